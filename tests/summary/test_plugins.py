"""The typed summaries' contents: histogram buckets, PNG images, text, WAV audio, graphs."""

import io

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.summary import event_pb
from tensorflux._src.summary.event_file import read_events
from tests.summary.helpers import only_file, values


@pytest.fixture
def logdir(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    with w.as_default(step=1):
        yield tmp_path
    w.close()


def _written(logdir):
    tf.summary.flush()
    return {v[1]: v for v in values(only_file(logdir))}


def _reference_histogram(data, k=30):
    """TensorBoard's documented bucketing, in float64 NumPy."""
    data = np.asarray(data, np.float64).reshape(-1)
    lo, hi = data.min(), data.max()
    width = (hi - lo) / k
    idx = np.minimum(np.floor((data - lo) / width).astype(np.int64), k - 1)
    counts = np.bincount(idx, minlength=k).astype(np.float64)
    edges = lo + np.arange(k + 1, dtype=np.float64) * width
    edges[0], edges[-1] = lo, hi
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


def test_histogram_buckets(logdir):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(40, 5)).astype(np.float32)
    assert bool(tf.summary.histogram("h", data)) is True
    tf.summary.histogram("h7", tf.constant([3, 1, 2, 9]), buckets=7)
    got = _written(logdir)
    step, tag, arr, dtype, plugin, content = got["h"]
    assert (dtype, plugin, content, arr.shape) == ("float64", "histograms", b"", (30, 3))
    np.testing.assert_array_equal(arr, _reference_histogram(data))
    assert arr[:, 2].sum() == data.size
    np.testing.assert_array_equal(got["h7"][2], _reference_histogram([3, 1, 2, 9], 7))


def test_histogram_degenerate_cases(logdir):
    tf.summary.histogram("same", [2.5, 2.5, 2.5])
    tf.summary.histogram("empty", tf.zeros([0, 3]))
    tf.summary.histogram("zero_buckets", [1.0, 2.0], buckets=0)
    tf.summary.histogram("negative_buckets", [1.0, 2.0], buckets=-3)
    with pytest.raises(TypeError, match="int32"):
        tf.summary.histogram("bad", [1.0], buckets=np.int64(3))
    got = _written(logdir)
    same = got["same"][2]
    assert same.shape == (30, 3)
    np.testing.assert_array_equal(same[:, :2], 2.5)
    np.testing.assert_array_equal(same[:, 2], [0] * 29 + [3])
    np.testing.assert_array_equal(got["empty"][2], np.zeros((30, 3)))
    assert got["zero_buckets"][2].shape == (0, 3)
    assert got["negative_buckets"][2].shape == (0, 3)


def test_histogram_in_function_matches_eager(logdir):
    data = np.linspace(-1, 3, 17).astype(np.float32)

    @tf.function
    def f(x):
        return tf.summary.histogram("traced", x)

    f(tf.constant(data))
    tf.summary.histogram("eager", data)
    got = _written(logdir)
    np.testing.assert_array_equal(got["traced"][2], got["eager"][2])


def _png_pixels(data: bytes) -> np.ndarray:
    return tf.io.decode_png(data).numpy()


def test_image_uint8_and_float(logdir):
    rng = np.random.default_rng(1)
    imgs = rng.integers(0, 256, (4, 3, 5, 3), dtype=np.uint8)
    assert bool(tf.summary.image("u8", imgs, max_outputs=2)) is True
    tf.summary.image("f", np.full((1, 2, 2, 1), 0.5, np.float32))
    tf.summary.image("rgba", np.zeros((1, 2, 3, 4), np.uint8), max_outputs=0)
    got = _written(logdir)
    arr = got["u8"][2]
    assert got["u8"][3:] == ("string", "images", b"")
    assert arr.shape == (4,) and arr[0] == b"5" and arr[1] == b"3"  # width, then height
    for i in range(2):
        np.testing.assert_array_equal(_png_pixels(arr[2 + i]), imgs[i])
    # 0.5 * 255.5 truncates to 127, as convert_image_dtype does
    np.testing.assert_array_equal(_png_pixels(got["f"][2][2]), np.full((2, 2, 1), 127))
    assert list(got["rgba"][2]) == [b"3", b"2"]  # no image, dimensions kept


def test_image_errors(logdir):
    with pytest.raises(ValueError, match="must have rank 4"):
        tf.summary.image("bad", np.zeros((4, 4, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.summary.image("bad", np.zeros((1, 4, 4, 3)), max_outputs=-1)
    assert _written(logdir) == {}


def test_image_and_audio_in_function(logdir):
    @tf.function
    def f(img, aud):
        tf.summary.image("img", img, max_outputs=2)
        tf.summary.audio("aud", aud, 8000)

    f(tf.fill((3, 2, 4, 1), tf.constant(9, tf.uint8)), tf.zeros((2, 5, 1)))
    f(tf.zeros((0, 2, 4, 1), tf.uint8), tf.zeros((0, 5, 1)))  # empty batches
    tf.summary.flush()
    got = [(v[1], v[2]) for v in values(only_file(logdir))]
    assert [(t, a.shape) for t, a in got] == [("img", (4,)), ("aud", (2, 2)),
                                              ("img", (2,)), ("aud", (0, 2))]  # fmt: skip
    np.testing.assert_array_equal(_png_pixels(got[0][1][3]), np.full((2, 4, 1), 9))


def test_text(logdir):
    tf.summary.text("scalar", "**hello**")
    tf.summary.text("matrix", tf.constant([["a", "b"], ["c", "d"]]))
    with pytest.raises(TypeError, match="must be of type tf.string"):
        tf.summary.text("bad", 3)
    got = _written(logdir)
    assert got["scalar"][2] == np.array(b"**hello**", object)
    assert got["scalar"][3:5] == ("string", "text")
    assert got["matrix"][2].tolist() == [[b"a", b"b"], [b"c", b"d"]]


def test_audio(logdir):
    t = np.linspace(0, 1, 50, dtype=np.float32)
    clips = np.stack([np.stack([np.sin(20 * t), 0.5 * t], -1), np.zeros((50, 2))]).astype(
        np.float32
    )
    assert bool(tf.summary.audio("a", clips, 8000, max_outputs=1)) is True
    with pytest.raises(ValueError, match="Unknown encoding"):
        tf.summary.audio("a", clips, 8000, encoding="mp3")
    with pytest.raises(ValueError, match="must have rank 3"):
        tf.summary.audio("a", clips[0], 8000)
    step, tag, arr, dtype, plugin, content = _written(logdir)["a"]
    assert (dtype, plugin, content, arr.shape) == ("string", "audio", b"\x10\x0b", (1, 2))
    assert arr[0, 1] == b""
    audio, rate = tf.audio.decode_wav(arr[0, 0])
    assert int(rate) == 8000
    np.testing.assert_allclose(audio.numpy(), clips[0], atol=1 / 32767)


def test_description_goes_to_metadata(logdir):
    tf.summary.scalar("d", 1.0, description="the *loss*")
    tf.summary.flush()
    events = [e for e in read_events(only_file(logdir)) if e.HasField("summary")]
    meta = events[0].summary.value[0].metadata
    assert meta.summary_description == "the *loss*" and meta.display_name == ""


def test_graph_and_trace_export(tmp_path):
    @tf.function
    def f(x):
        return tf.matmul(x, x) + 1.0

    x = tf.ones((2, 2))
    w = tf.summary.create_file_writer(str(tmp_path))
    with pytest.raises(ValueError, match="Must enable trace"):
        with w.as_default():
            tf.summary.trace_export("t", step=0)
    with pytest.raises(NotImplementedError, match="profiler"):
        tf.summary.trace_on(profiler=True)
    tf.summary.trace_on(graph=True)
    try:
        f(x)
        with w.as_default(step=3):
            tf.summary.trace_export("my_trace")
            assert bool(tf.summary.graph(f.get_concrete_function(x).graph)) is True
            with pytest.raises(ValueError, match="not tf.Graph"):
                tf.summary.graph("nope")
    finally:
        tf.summary.trace_off()
    w.close()
    events = list(read_events(only_file(tmp_path)))
    traced = [e for e in events if e.HasField("summary")][0]
    v = traced.summary.value[0]
    assert (traced.step, v.tag, v.metadata.plugin_data.plugin_name) == (
        3, "my_trace", "graph_run_metadata_graph")  # fmt: skip
    graph_event = [e for e in events if e.HasField("graph_def")][0]
    assert graph_event.step == 0
    g = event_pb.GraphDef.FromString(graph_event.graph_def)
    ops = {n.op for n in g.node}
    assert {"MatMul", "AddV2"} <= ops or {"MatMul", "Add"} <= ops, ops
    matmul = [n for n in g.node if n.op == "MatMul"][0]
    assert len(matmul.input) == 2 and matmul.attr["transpose_a"].WhichOneof("value") == "b"
    const = [n for n in g.node if n.op == "Const"][0]
    assert const.attr["dtype"].type == 1 and const.attr["value"].tensor.dtype == 1  # DT_FLOAT
    # the trace's RunMetadata holds the same graph as a function graph
    run_metadata = v.tensor.string_val[0]
    assert b"MatMul" in run_metadata and len(run_metadata) > 50
    assert io.BytesIO(run_metadata).read(1) == b"\x22"  # field 4 (function_graphs), wire 2
