"""Registry-wide completeness: every op is tested by a harness row and has a tested gradient story.

Coverage is collected by running the harness rows themselves: each row's samples for its first
dtype under a dispatch hook (the op types they reach), and each row's gradient checks with tape
recording observed (the op types whose gradients they exercise). An op no row reaches must be
listed below with a one-line reason.
"""

from __future__ import annotations

import contextlib
import functools

import numpy as np

import tensorflux.data  # noqa: F401 - registers the ops defined outside ops/ (loaded lazily)
import tensorflux.io  # noqa: F401
import tensorflux.strings  # noqa: F401
import tensorflux.lookup  # noqa: F401
import tensorflux.queue  # noqa: F401 - queue ops
import tensorflux.sets  # noqa: F401 - set ops
import tensorflux.image  # noqa: F401 - tf.image ops (CropAndResize, NMS, ...)
import tensorflux.signal  # noqa: F401 - FFT ops
import tensorflux.audio  # noqa: F401 - WAV ops
import tensorflux.summary  # noqa: F401 - summary-writer ops

from tensorflux._src.autodiff import tape as _tape
from tensorflux._src.core import context, registry
from tests.ops.harness import check_gradient, check_gradient2, samples_for, to_tf
from tests.ops.op_db import OPS

# Ops no harness row needs to reach, each with the reason.
EXEMPT = {
    "BroadcastGradientArgs": "internal to broadcasting gradients with unknown shapes; no public "
    "function (exercised by tests/graph)",
    "Assert": "eager tf.Assert checks in Python (TensorFlow's eager message); the op runs only in "
    "traced graphs (tests/control_flow/test_asserts.py)",
    "StringFormat": "tf.print's formatting step: output is text, not numbers (tests/test_print.py)",
    "PrintV2": "no outputs, writes to a stream (tests/test_print.py)",
    "NoOp": "no inputs or outputs: tf.no_op / tf.group (tests/graph/test_graph_api.py)",
    "TfxAnonymousIterator": "tf.data: creates a host iterator per call of a traced `for x in "
    "dataset` loop (tests/data/test_iteration.py)",
    "TfxIteratorGetNext": "tf.data: pulls the next element from a host iterator "
    "(tests/data/test_iteration.py)",
    "TfxDeleteIterator": "tf.data: frees a traced loop's iterator (tests/data/test_iteration.py)",
    "EagerPyFunc": "calls user Python code (tf.py_function); tests/function/test_script_ops.py",
    "PyFunc": "calls user Python code (tf.numpy_function); tests/function/test_script_ops.py",
    "PyFuncStateless": "tf.numpy_function(stateful=False); tests/function/test_script_ops.py",
    "ParseSequenceExampleV2": "decodes serialized SequenceExample protos (strings in, per-key "
    "tensors out) (tests/io/test_parse_features.py)",
    "DecodeWav": "tf.audio: WAV bytes (a string) in, samples out (tests/audio)",
    "EncodeWav": "tf.audio: samples in, WAV bytes (a string) out (tests/audio)",
    "TfxResizeWeights": "tf.image.resize's interpolation matrix for sizes known only at run "
    "time (tests/image/test_resize_dynamic.py compares it with the static path)",
    # tf.io file and codec ops: strings (paths, encoded bytes) in or out, registered when tf.io is
    # first used; their values are checked against TensorFlow's in the tests named.
    "ReadFile": "file system I/O on string paths (tests/io/test_file_ops.py)",
    "WriteFile": "file system I/O, no outputs (tests/io/test_file_ops.py)",
    "ResourceStridedSliceAssign": "a variable write, no outputs: `v[...].assign` "
    "(tests/test_variables.py)",
    "WriteSummary": "event-file I/O, no outputs (tests/summary)",
    "WriteRawProtoSummary": "event-file I/O, no outputs (tests/summary)",
    "FlushSummaryWriter": "event-file I/O, no outputs (tests/summary)",
    "CloseSummaryWriter": "event-file I/O, no outputs (tests/summary)",
    "MatchingFiles": "glob over the file system, string output (tests/io/test_file_ops.py)",
    "SerializeTensor": "tensor -> TensorProto bytes (tests/io/test_codecs.py)",
    "ParseTensor": "TensorProto bytes -> tensor (tests/io/test_codecs.py)",
    "DecodeRaw": "bytes -> numbers (tests/io/test_codecs.py::test_decode_raw)",
    "DecodePaddedRaw": "bytes -> numbers with fixed_length (tests/io/test_codecs.py)",
    "DecodeCSV": "CSV text -> columns (tests/io/test_codecs.py::test_decode_csv*)",
    "DecodeCompressed": "bytes -> bytes (tests/io/test_codecs.py::test_decode_compressed)",
    "EncodeBase64": "bytes -> text (tests/io/test_codecs.py::test_base64)",
    "DecodeBase64": "text -> bytes (tests/io/test_codecs.py::test_base64)",
    "DecodeJSONExample": "JSON text -> Example bytes (tests/io/test_codecs.py)",
    "DecodeImage": "encoded image bytes -> pixels (tests/io/test_codecs.py)",
    "DecodePng": "encoded image bytes -> pixels (tests/io/test_codecs.py)",
    "DecodeJpeg": "JPEG bytes -> pixels, hashes of TensorFlow's output (tests/io/test_codecs.py)",
    "DecodeAndCropJpeg": "JPEG bytes -> cropped pixels (tests/io/test_codecs.py)",
    "DecodeGif": "GIF bytes -> frames (tests/io/test_codecs.py::test_gif_bmp)",
    "DecodeBmp": "BMP bytes -> pixels (tests/io/test_codecs.py::test_gif_bmp)",
    "EncodePng": "pixels -> PNG bytes, checked by round trips (tests/io/test_codecs.py)",
    "EncodeJpeg": "pixels -> JPEG bytes (tests/io/test_codecs.py)",
    "ExtractJpegShape": "JPEG header bytes -> shape (tests/io/test_codecs.py)",
    "StringJoin": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "ReduceJoin": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "StringStrip": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "StringLower": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "StringUpper": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "StringLength": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "Substr": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "RegexFullMatch": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "StaticRegexFullMatch": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "RegexReplace": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "StaticRegexReplace": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "UnsortedSegmentJoin": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_ops.py)",
    "StringToNumber": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_conv_hash.py)",
    "AsString": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_conv_hash.py)",
    "StringToHashBucket": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_conv_hash.py)",
    "StringToHashBucketFast": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_conv_hash.py)",
    "StringToHashBucketStrong": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_string_conv_hash.py)",
    "UnicodeDecode": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_unicode_split.py)",
    "UnicodeDecodeWithOffsets": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_unicode_split.py)",
    "UnicodeEncode": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_unicode_split.py)",
    "UnicodeTranscode": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_unicode_split.py)",
    "UnicodeScript": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_unicode_split.py)",
    "StringSplitV2": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_unicode_split.py)",
    "StringNGrams": "tf.strings: string tensors in or out, which the numeric harness does not "
    "cover (tests/strings/test_unicode_split.py)",
    "QueueEnqueueV2": "tf.queue: blocking host queue through a resource handle (tests/queue)",
    "QueueEnqueueManyV2": "tf.queue: blocking host queue through a resource handle "
    "(tests/queue)",
    "QueueDequeueV2": "tf.queue: blocking host queue through a resource handle (tests/queue)",
    "QueueDequeueManyV2": "tf.queue: blocking host queue through a resource handle "
    "(tests/queue)",
    "QueueDequeueUpToV2": "tf.queue: blocking host queue through a resource handle "
    "(tests/queue)",
    "QueueCloseV2": "tf.queue: closes a host queue (tests/queue)",
    "QueueSizeV2": "tf.queue: the element count of a host queue (tests/queue)",
    "QueueIsClosedV2": "tf.queue: whether a host queue is closed (tests/queue)",
    "LookupTableFindV2": "tf.lookup: reads a host hash table through a resource handle "
    "(tests/lookup)",
    "LookupTableInsertV2": "tf.lookup: writes a host hash table (tests/lookup)",
    "LookupTableImportV2": "tf.lookup: fills a host hash table (tests/lookup)",
    "LookupTableRemoveV2": "tf.lookup: removes keys from a host hash table (tests/lookup)",
    "LookupTableSizeV2": "tf.lookup: the entry count of a host hash table (tests/lookup)",
    "LookupTableExportV2": "tf.lookup: a host hash table's contents (tests/lookup)",
    "InitializeTableFromTextFileV2": "tf.lookup: fills a host hash table from a text file "
    "(tests/lookup)",
    "ParseExampleV2": "decodes serialized protos (strings in, per-key tensors out); registered "
    "when tf.io is first used (tests/io/test_tfrecord_example.py)",
    "CropAndResizeGradImage": "CropAndResize's gradient kernel, reached by its gradient "
    "(tests/image/test_crop_patches.py compares it with TensorFlow's values)",
    "CropAndResizeGradBoxes": "CropAndResize's gradient kernel, reached by its gradient "
    "(tests/image/test_crop_patches.py compares it with TensorFlow's values)",
    "SampleDistortedBoundingBoxV2": "random crops; their contract (ranges, coverage, "
    "fallback) is checked in tests/image/test_nms_boxes.py",
    "StatelessSampleDistortedBoundingBox": "random crops from a seed; their contract is checked "
    "in tests/image/test_nms_boxes.py",
    "EncodeJpegVariableQuality": "string output (JPEG bytes); the round trip is checked in "
    "tests/image/test_quality_jpeg.py against TensorFlow's pixels",
}

# Differentiable ops whose gradient no harness gradient check reaches, each with the reason.
GRAD_EXEMPT: dict[str, str] = {
    "CropAndResize": "its output is float32 whatever the image dtype, too coarse for the float64 "
    "finite differences; gradients wrt image and boxes are compared with TensorFlow's in "
    "tests/image/test_crop_patches.py",
    "EagerPyFunc": "its gradient re-runs the user's function under a tape; checked against "
    "analytic values in tests/function/test_script_ops.py",
    "ReadVariableOp": "tapes link a read to its variable directly (Tape.record_read); the "
    "registered gradient serves graphs; variable gradients are tested in tests/test_variables.py",
    "WhileHistoryRead": "its gradient raises NotImplementedError: second-order gradients "
    "through a traced while_loop are not supported yet (tests/control_flow)",
}


@contextlib.contextmanager
def _recorded_types(into: set):
    """Collects the op types appended to any tape while active."""
    original = _tape.Tape.record

    def record(self, op, inputs, attrs, outputs):
        n = len(self.entries)
        original(self, op, inputs, attrs, outputs)
        if len(self.entries) > n:
            into.add(self.entries[-1].type)

    _tape.Tape.record = record
    try:
        yield
    finally:
        _tape.Tape.record = original


@functools.lru_cache(maxsize=None)
def _coverage():
    """(op types reached, op types with a gradient check, {row: error} for rows that failed)."""
    reached: set = set()
    grads: set = set()
    failed: dict = {}

    def hook(op, inputs, attrs):
        reached.add(op.name)

    with context.dispatch_hook(hook):
        for info in OPS:
            try:
                rng = np.random.default_rng(0)
                for s in samples_for(info, rng, info.dtypes[0]):
                    info.fn(*[to_tf(a) for a in s.args], **s.kwargs)
            except Exception as e:  # the row's own tests report it; keep collecting
                failed[info.name] = f"{type(e).__name__}: {e}"
            if not (info.grad or info.grad2):
                continue
            try:
                with _recorded_types(grads):
                    if info.grad:
                        check_gradient(info, None, np.random.default_rng(1))
                    if info.grad2:
                        check_gradient2(info, None, np.random.default_rng(2))
            except Exception as e:
                failed[f"{info.name} (gradient)"] = f"{type(e).__name__}: {e}"
    return frozenset(reached), frozenset(grads), failed


def _fmt(names, failed) -> str:
    text = ", ".join(sorted(names))
    if failed:
        text += "\nrows that raised while collecting: " + "; ".join(
            f"{k}: {v[:120]}" for k, v in sorted(failed.items())
        )
    return text


def test_every_op_has_a_row():
    reached, _, failed = _coverage()
    missing = [n for n in registry.all_ops() if n not in reached and n not in EXEMPT]
    assert not missing, f"{len(missing)} ops reached by no harness row: " + _fmt(missing, failed)


def test_exemptions_are_current():
    ops = registry.all_ops()
    reached, grads, _ = _coverage()
    for table, seen in ((EXEMPT, reached), (GRAD_EXEMPT, grads)):
        unknown = [n for n in table if n not in ops]
        assert not unknown, f"exempted ops that are not registered: {unknown}"
        stale = [n for n in table if n in seen]
        assert not stale, f"exempted ops that rows now reach (drop the exemption): {stale}"
        assert all(isinstance(v, str) and v.strip() for v in table.values())


def test_every_op_is_differentiable_or_marked():
    unmarked = [n for n, op in registry.all_ops().items() if op.differentiable is None]
    assert not unmarked, (
        f"{len(unmarked)} ops have neither a gradient nor not_differentiable(): {sorted(unmarked)}"
    )


def test_gradient_marks_are_consistent():
    for name, op in registry.all_ops().items():
        if op.differentiable is True:
            assert op.grad_fn is not None, f"{name} is marked differentiable without a gradient"
        if op.differentiable is False:
            assert op.grad_fn is None, f"{name} is marked not differentiable but has a gradient"


def test_every_gradient_is_checked():
    _, grads, failed = _coverage()
    missing = [
        n
        for n, op in registry.all_ops().items()
        if op.differentiable and n not in grads and n not in GRAD_EXEMPT
    ]
    assert not missing, f"{len(missing)} differentiable ops reached by no gradient check: " + _fmt(
        missing, failed
    )
