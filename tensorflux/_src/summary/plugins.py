"""The typed summaries TensorBoard's dashboards read: scalar, histogram, image, text, audio.

Each writes a tensor through `write()` with the `SummaryMetadata` TensorBoard's plugins expect
(the plugin name and content bytes TensorFlow 2 writes), in the layouts TensorBoard documents:

- scalar: a float32 scalar;
- histogram: a float64 `[k, 3]` tensor of (left edge, right edge, count) rows, k = buckets;
- image: a string vector `[width, height, png, png, ...]`;
- text: the string tensor itself;
- audio: a string `[k, 2]` tensor of (WAV bytes, label) rows.

The work that only matters when recording (bucketing, PNG and WAV encoding) is passed to
`write()` as a callable, so it is skipped when nothing is recorded. All of it is made of
tensorflux ops, so it runs eagerly and inside tf.function alike.
"""

from __future__ import annotations

import functools

from tensorflux._src.control_flow import asserts
from tensorflux._src.control_flow.cond import cond
from tensorflux._src.core import dtypes
from tensorflux._src.module import name_scope
from tensorflux._src.ops import array_ops as A
from tensorflux._src.ops import math_ops as M
from tensorflux._src.ops.creation_ops import range as _range
from tensorflux._src.ops.manip_ops import concat
from tensorflux._src.ops.reduction_ops import reduce_max, reduce_min
from tensorflux._src.ops.segment_ops import unsorted_segment_sum
from tensorflux._src.ops.shape_ops import size as _size
from tensorflux._src.ops.shape_ops import stop_gradient
from tensorflux._src.ops.unary_ops import floor
from tensorflux._src.summary import event_pb
from tensorflux._src.summary.summary_ops import summary_scope, write
from tensorflux._src.tensor import constant, convert_to_tensor

f64 = dtypes.float64

DEFAULT_BUCKET_COUNT = 30
_WAV = 11  # tensorboard.plugins.audio Encoding.WAV


def metadata(plugin_name: str, content: bytes = b"", description=None):
    """A `SummaryMetadata` naming the TensorBoard plugin that reads the summary."""
    m = event_pb.SummaryMetadata()
    m.plugin_data.plugin_name = plugin_name
    if content:
        m.plugin_data.content = content
    if description:
        m.summary_description = description
    return m


def scalar(name, data, step=None, description=None):
    """Writes a scalar summary (shown in TensorBoard's Scalars dashboard).

    Args:
      name: the summary name; the tag is this name under the current name scope.
      data: a real numeric scalar (Python number or tensor), written as float32.
      step: an int64-castable step; None uses `tf.summary.experimental.get_step()`.
      description: optional long description (Markdown).

    Returns:
      True when written, False when there is no default writer or recording is off.

    Raises:
      ValueError: `data` is not a scalar, or a default writer exists and no step is set.
    """
    meta = metadata("scalars", description=description)
    with summary_scope(name, "scalar_summary", values=[data, step]) as (tag, _):
        asserts.assert_scalar(data)
        return write(tag=tag, tensor=M.cast(data, dtypes.float32), step=step, metadata=meta)


def histogram(name, data, step=None, buckets=None, description=None):
    """Writes a histogram of all the elements of `data` (Histograms and Distributions
    dashboards).

    The buckets split [min, max] evenly; the last one includes max. With no data every bucket
    is zero; when all values are equal every bucket has that value as both edges and only the
    last one counts them.

    Args:
      name: the summary name.
      data: a tensor of any shape, castable to float64.
      step: an int64-castable step; None uses the default step.
      buckets: the number of buckets (a non-negative int32; default 30).
      description: optional long description.

    Returns:
      True when written, False otherwise.

    Raises:
      ValueError: a default writer exists and no step is set.
    """
    data = stop_gradient(data)
    meta = metadata("histograms", description=description)
    with summary_scope(name, "histogram_summary", values=[data, buckets, step]) as (tag, _):
        return write(tag=tag, tensor=lambda: buckets_tensor(data, buckets), step=step,
                     metadata=meta)  # fmt: skip


def buckets_tensor(data, bucket_count=None):
    """The `[k, 3]` float64 histogram of `data` that `histogram` writes."""
    if bucket_count is None:
        bucket_count = DEFAULT_BUCKET_COUNT
    with name_scope("buckets"):
        asserts.assert_scalar(bucket_count)
        bucket_count = convert_to_tensor(bucket_count)
        asserts.assert_type(bucket_count, dtypes.int32)
        count = M.maximum(0, bucket_count)
        data = M.cast(A.reshape(data, [-1]), f64)
        size = _size(data)
        empty = M.logical_or(M.equal(size, 0), M.less_equal(count, 0))

        def when_empty():
            return A.zeros(A.stack([count, 3]), f64)

        def when_nonempty():
            lo = reduce_min(data)
            hi = reduce_max(data)
            span = hi - lo

            def when_spread():
                width = span / M.cast(count, f64)
                index = M.cast(floor((data - lo) / width), dtypes.int32)
                index = M.minimum(index, count - 1)
                # NaN data give a negative index and count nowhere, as in TensorFlow's one_hot.
                ones = M.cast(M.greater_equal(index, 0), f64)
                counts = unsorted_segment_sum(ones, M.maximum(index, 0), count)
                # linspace(lo, hi, count + 1) with its ends exactly lo and hi.
                inner = lo + M.cast(_range(1, count), f64) * width
                edges = concat([A.reshape(lo, [1]), inner, A.reshape(hi, [1])], 0)
                return A.transpose(A.stack([edges[:-1], edges[1:], counts]))

            def when_single():
                edges = A.fill(A.reshape(count, [1]), hi)
                zeros = A.zeros(A.reshape(count - 1, [1]), f64)
                counts = concat([zeros, A.reshape(M.cast(size, f64), [1])], 0)
                return A.transpose(A.stack([edges, edges, counts]))

            return cond(M.equal(span, 0.0), when_single, when_spread)

        return cond(empty, when_empty, when_nonempty)


def _encode_each(encode, batch):
    """`encode` applied to each item of `batch`: a string vector (also for no item)."""
    from tensorflux._src.control_flow.functional import map_fn

    if batch.shape.rank is not None and batch.shape[0] == 0:
        return constant([], dtypes.string)  # known empty while tracing: nothing to map
    return map_fn(encode, batch, fn_output_signature=dtypes.string)


def image(name, data, step=None, max_outputs=3, description=None):
    """Writes images (Images dashboard), each PNG-encoded.

    Args:
      name: the summary name.
      data: a `[k, height, width, channels]` tensor, channels 1 (grayscale), 2 (grayscale and
        alpha), 3 (RGB) or 4 (RGBA); floats in [0, 1] or integers, converted as
        `tf.image.convert_image_dtype(data, tf.uint8, saturate=True)` does.
      step: an int64-castable step; None uses the default step.
      max_outputs: at most this many images (the first ones) are written.
      description: optional long description.

    Returns:
      True when written, False otherwise.

    Raises:
      ValueError: when recording and `data` is not of rank 4, or no step is set.
    """
    meta = metadata("images", description=description)
    with summary_scope(name, "image_summary", values=[data, max_outputs, step]) as (tag, _):

        def encoded():
            from tensorflux._src.image.image_ops import convert_image_dtype
            from tensorflux._src.io.image_codecs import encode_png
            from tensorflux._src.ops.string_conv_ops import as_string

            asserts.assert_rank(data, 4)
            asserts.assert_non_negative(max_outputs)
            images = convert_image_dtype(data, dtypes.uint8, saturate=True)
            pngs = _encode_each(encode_png, images[:max_outputs])
            shape = A.shape(images)
            dims = A.stack([as_string(shape[2]), as_string(shape[1])])
            return concat([dims, pngs], 0)

        return write(tag=tag, tensor=encoded, step=step, metadata=meta)


def text(name, data, step=None, description=None):
    """Writes a string tensor (Text dashboard; Markdown is rendered).

    Args:
      name: the summary name.
      data: a string tensor of any shape (or a Python string).
      step: an int64-castable step; None uses the default step.
      description: optional long description.

    Returns:
      True when written, False otherwise.

    Raises:
      TypeError: `data` is not a string tensor.
      ValueError: a default writer exists and no step is set.
    """
    meta = metadata("text", description=description)
    with summary_scope(name, "text_summary", values=[data, step]) as (tag, _):
        data = convert_to_tensor(data)
        asserts.assert_type(data, dtypes.string)
        return write(tag=tag, tensor=data, step=step, metadata=meta)


def audio(name, data, sample_rate, step=None, max_outputs=3, encoding=None, description=None):
    """Writes audio clips (Audio dashboard), each WAV-encoded as 16-bit PCM.

    Args:
      name: the summary name.
      data: a float32 `[k, frames, channels]` tensor of samples in [-1, 1].
      sample_rate: samples per second (a positive int or int32 scalar).
      step: an int64-castable step; None uses the default step.
      max_outputs: at most this many clips (the first ones) are written.
      encoding: "wav" (the default and only encoding).
      description: optional long description.

    Returns:
      True when written, False otherwise.

    Raises:
      ValueError: an encoding other than "wav"; when recording, `data` not of rank 3.
    """
    if encoding is None:
        encoding = "wav"
    if encoding != "wav":
        raise ValueError("Unknown encoding: %r" % encoding)
    meta = metadata("audio", content=bytes([0x10, _WAV]), description=description)
    inputs = [data, sample_rate, max_outputs, step]
    with summary_scope(name, "audio_summary", values=inputs) as (tag, _):

        def encoded():
            from tensorflux._src.audio.wav_ops import encode_wav

            asserts.assert_rank(data, 3)
            asserts.assert_non_negative(max_outputs)
            clips = convert_to_tensor(data)[:max_outputs]
            encode = functools.partial(encode_wav, sample_rate=sample_rate)
            wavs = _encode_each(encode, clips)
            labels = A.fill(A.shape(clips)[:1], constant("", dtypes.string))
            return A.transpose(A.stack([wavs, labels]))

        return write(tag=tag, tensor=encoded, step=step, metadata=meta)
