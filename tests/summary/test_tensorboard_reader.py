"""The real TensorBoard (its EventAccumulator, in this process) reads tensorflux's event files."""

import numpy as np
import pytest

import tensorflux as tf

pytest.importorskip("tensorboard")
from tensorboard.backend.event_processing import event_accumulator  # noqa: E402
from tensorboard.compat.proto import config_pb2  # noqa: E402
from tensorboard.plugins.audio import metadata as audio_metadata  # noqa: E402
from tensorboard.util import tensor_util  # noqa: E402


def _load(logdir):
    acc = event_accumulator.EventAccumulator(
        str(logdir), size_guidance={event_accumulator.TENSORS: 0}
    )
    acc.Reload()
    return acc


def test_tensorboard_reads_every_summary_kind(tmp_path):
    rng = np.random.default_rng(0)
    hist = rng.normal(size=100)
    image = rng.integers(0, 256, (1, 4, 6, 3), dtype=np.uint8)

    @tf.function
    def f(x):
        return tf.nn.relu(x)

    w = tf.summary.create_file_writer(str(tmp_path))
    with w.as_default():
        for step in range(3):
            tf.summary.scalar("loss", 1.0 / (step + 1), step=step)
        tf.summary.histogram("weights", hist, step=2)
        tf.summary.image("picture", image, step=2)
        tf.summary.text("note", "hi", step=2)
        tf.summary.audio("sound", np.zeros((1, 8, 1), np.float32), 4000, step=2)
        tf.summary.trace_on(graph=True)
        try:
            f(tf.ones(3))
            tf.summary.trace_export("trace", step=2)
        finally:
            tf.summary.trace_off()
        tf.summary.graph(f.get_concrete_function(tf.ones(3)).graph)
    w.close()

    acc = _load(tmp_path)
    tags = acc.Tags()
    assert set(tags["tensors"]) == {"loss", "weights", "picture", "note", "sound", "trace"}
    assert tags["graph"] is True
    loss = acc.Tensors("loss")
    assert [e.step for e in loss] == [0, 1, 2]
    np.testing.assert_allclose([tensor_util.make_ndarray(e.tensor_proto) for e in loss],
                               [1.0, 0.5, 1 / 3], rtol=1e-6)  # fmt: skip
    assert acc.SummaryMetadata("loss").plugin_data.plugin_name == "scalars"
    h = tensor_util.make_ndarray(acc.Tensors("weights")[0].tensor_proto)
    assert h.shape == (30, 3) and h[:, 2].sum() == 100
    assert acc.SummaryMetadata("weights").plugin_data.plugin_name == "histograms"
    pic = tensor_util.make_ndarray(acc.Tensors("picture")[0].tensor_proto)
    assert list(pic[:2]) == [b"6", b"4"] and pic[2].startswith(b"\x89PNG")
    assert tensor_util.make_ndarray(acc.Tensors("note")[0].tensor_proto) == b"hi"
    content = acc.SummaryMetadata("sound").plugin_data.content
    assert audio_metadata.parse_plugin_metadata(content).encoding == audio_metadata.Encoding.WAV
    run_meta = config_pb2.RunMetadata.FromString(
        tensor_util.make_ndarray(acc.Tensors("trace")[0].tensor_proto).item()
    )
    (fg,) = run_meta.function_graphs
    assert "Relu" in {n.op for n in fg.pre_optimization_graph.node}
    assert "Relu" in {n.op for n in acc.Graph().node}
