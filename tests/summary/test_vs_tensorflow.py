"""Event files move both ways between TensorFlow 2.21 and tensorflux.

The same summary program runs here (tensorflux) and in real TensorFlow's interpreter; TensorFlow
then reads both log directories (`tf.compat.v1.train.summary_iterator` and TensorBoard's
EventAccumulator) and tensorflux reads TensorFlow's. Every reading must agree: tags, steps,
plugin names and contents, dtypes, shapes and values (PNG and WAV payloads compared decoded).
Skipped without a TensorFlow interpreter (see tests/differential/test_vs_tensorflow.py).
"""

import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

from tests.differential.test_vs_tensorflow import _tf_python

pytestmark = pytest.mark.tf

PROGRAM = textwrap.dedent(
    """
    import numpy as np
    data = np.linspace(-2, 3, 37).astype("float32")
    img = (np.arange(2 * 3 * 4 * 3) * 7 % 256).astype("uint8").reshape(2, 3, 4, 3)
    aud = np.sin(np.linspace(0, 6, 40)).astype("float32").reshape(1, 20, 2)
    step = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def traced(x):
        tf.summary.scalar("traced/scalar", tf.reduce_sum(x), step=step)
        tf.summary.histogram("traced/hist", x, step=step)
        step.assign_add(1)

    w = tf.summary.create_file_writer(LOGDIR)
    with w.as_default(step=5):
        tf.summary.scalar("scalar", 0.1)
        tf.summary.scalar("int_scalar", 3, step=7)
        tf.summary.histogram("hist", data)
        tf.summary.histogram("hist_same", [4.0, 4.0, 4.0], buckets=5)
        tf.summary.histogram("hist_empty", np.zeros([0], "float32"))
        tf.summary.histogram("hist_int", tf.constant([1, 2, 3, 7]))
        tf.summary.image("image", img, max_outputs=5)
        tf.summary.image("image_float", img.astype("float32") / 255.0)
        tf.summary.text("text", tf.constant(["a", "bc"]))
        tf.summary.audio("audio", aud, 16000)
        tf.summary.write("raw", tf.constant([[1, 2]], tf.int64), step=9)
        with tf.name_scope("scope"):
            tf.summary.scalar("x", 2.5, description="about x")
        for i in range(2):
            traced(tf.constant(data * (i + 1)))
    w.close()
    """
)

# `dump(logdir, iterate, to_array)` -> a JSON-able list, one entry per summary value.
DUMP = textwrap.dedent(
    """
    import glob

    def _payload(tag, arr):
        if tag.startswith("image"):
            return [list(arr[:2].astype(str))] + [
                tf.io.decode_png(b).numpy().tolist() for b in arr[2:]]
        if tag == "audio":
            return [[tf.audio.decode_wav(r[0])[0].numpy().tolist(), r[1].decode()] for r in arr]
        if arr.dtype == object:
            return [b.decode("latin-1") for b in arr.reshape(-1)]
        return arr.astype("float64").reshape(-1).tolist()

    def dump(logdir, iterate, to_array):
        out = []
        for f in sorted(glob.glob(logdir + "/events.out.tfevents.*")):
            for e in iterate(f):
                if e.WhichOneof("what") != "summary":
                    out.append({"what": e.WhichOneof("what"), "file_version": e.file_version})
                    continue
                for v in e.summary.value:
                    arr = to_array(v.tensor)
                    pd = v.metadata.plugin_data
                    out.append({
                        "step": e.step, "tag": v.tag, "plugin": pd.plugin_name,
                        "content": pd.content.hex(), "has_meta": v.HasField("metadata"),
                        "desc": v.metadata.summary_description, "dtype": int(v.tensor.dtype),
                        "shape": list(arr.shape), "values": _payload(v.tag, arr),
                    })
        return out
    """
)

TF_SIDE = (
    textwrap.dedent(
        """
    import json, sys
    import tensorflow as tf
    from tensorboard.backend.event_processing import event_accumulator as ea_mod
    LOGDIR, FX_LOGDIR = sys.argv[1], sys.argv[2]
    """
    )
    + PROGRAM
    + DUMP
    + textwrap.dedent(
        """
    it = tf.compat.v1.train.summary_iterator
    sys.stdin.readline()  # tensorflux's files are complete
    acc = ea_mod.EventAccumulator(FX_LOGDIR, size_guidance={ea_mod.TENSORS: 0})
    acc.Reload()
    accumulated = {t: [e.step for e in acc.Tensors(t)] for t in acc.Tags()["tensors"]}
    print(json.dumps({"tf": dump(LOGDIR, it, tf.make_ndarray),
                      "fx": dump(FX_LOGDIR, it, tf.make_ndarray),
                      "accumulated": accumulated}))
    """
    )
)


def _run_tensorflux(logdir):
    import tensorflux as tf

    ns = {"tf": tf, "LOGDIR": str(logdir)}
    exec(compile(PROGRAM, "<tensorflux program>", "exec"), ns)
    exec(compile(DUMP, "<dump>", "exec"), ns)
    return ns["dump"]


def _same(a, b, where):
    assert len(a) == len(b), f"{where}: {len(a)} vs {len(b)} entries"
    for x, y in zip(a, b):
        x, y = dict(x), dict(y)
        vx, vy = x.pop("values", None), y.pop("values", None)
        assert x == y, where
        if x.get("dtype") in (1, 2, 9):  # float, double, int64
            np.testing.assert_array_equal(np.asarray(vx), np.asarray(vy), err_msg=x["tag"])
        else:
            assert vx == vy, f"{where}: {x['tag']}"


@pytest.fixture(scope="module")
def readings(tmp_path_factory):
    py = _tf_python()
    if py is None:
        pytest.skip("no TensorFlow interpreter")
    pytest.importorskip("PIL")
    fx_dir = tmp_path_factory.mktemp("fx")
    tf_dir = tmp_path_factory.mktemp("tf")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="", PYTHONPATH="")
    # TensorFlow imports and writes its files while tensorflux writes here.
    proc = subprocess.Popen(
        [py, "-c", TF_SIDE, str(tf_dir), str(fx_dir)],
        text=True,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        dump = _run_tensorflux(fx_dir)
        stdout, stderr = proc.communicate("go\n", timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    if proc.returncode != 0 and "No module named 'tensorboard'" in stderr:
        pytest.skip("TensorFlow's interpreter has no tensorboard")
    assert proc.returncode == 0, stderr[-3000:]
    from tensorflux._src.io.tensor_codec import parse_tensor_proto
    from tensorflux._src.summary.event_file import read_events

    def to_array(t):
        return parse_tensor_proto(t.SerializeToString())[0]

    out = json.loads(stdout.strip().splitlines()[-1])
    out["fx_reads_tf"] = dump(str(tf_dir), read_events, to_array)
    return out


def test_tensorflow_reads_tensorflux_files_as_its_own(readings):
    _same(readings["fx"], readings["tf"], "TensorFlow reading tensorflux vs its own files")


def test_tensorflux_reads_tensorflow_files(readings):
    _same(readings["fx_reads_tf"], readings["tf"], "tensorflux vs TensorFlow reading TF files")


def test_tensorboard_accumulates_tensorflux_files(readings):
    acc = readings["accumulated"]
    assert acc["scalar"] == [5] and acc["int_scalar"] == [7] and acc["raw"] == [9]
    assert acc["traced/scalar"] == [0, 1] and acc["traced/hist"] == [0, 1]
    assert "scope/x" in acc and "audio" in acc and len(acc) == 14
