"""The same tf.data programs on tensorflux and real TensorFlow; printed results must match.

Uses the interpreter in ``$TFX_TF_PYTHON``, else ``/work/tfenv/bin/python`` when it imports
tensorflow; skipped without one. Both backends run every program in one subprocess each.
"""

import json
import os
import subprocess
import sys

import pytest

PROGRAMS = {
    "range_map_batch": "ds = tf.data.Dataset.range(10).map(lambda x: x * 2).batch(4)",
    "drop_remainder_spec": "ds = tf.data.Dataset.range(10).batch(4, drop_remainder=True)",
    "slices_tuple": "ds = tf.data.Dataset.from_tensor_slices(([1, 2], [[1., 2.], [3., 4.]]))",
    "zip_nested": "ds = tf.data.Dataset.zip((tf.data.Dataset.range(3), "
    "{'a': tf.data.Dataset.range(5, 9)}))",
    "filter": "ds = tf.data.Dataset.range(20).filter(lambda x: x % 3 == 1)",
    "interleave": "ds = tf.data.Dataset.range(1, 6).interleave(lambda x: "
    "tf.data.Dataset.from_tensors(x).repeat(x), cycle_length=3, block_length=2)",
    "flat_map": "ds = tf.data.Dataset.range(4).flat_map(lambda x: tf.data.Dataset.range(x))",
    "padded_batch": "ds = tf.data.Dataset.range(6).map(lambda x: tf.range(x))"
    ".padded_batch(4, padding_values=tf.constant(-1, tf.int64))",
    "unbatch_rebatch": "ds = tf.data.Dataset.range(11).batch(4).rebatch(3)",
    "window_flat": "ds = tf.data.Dataset.range(9).window(4, 3, 2).flat_map(lambda w: w.batch(9))",
    "scan": "ds = tf.data.Dataset.range(6).scan(tf.constant(1, tf.int64), "
    "lambda s, x: (s * 2 + x, s - x))",
    "enumerate_shard": "ds = tf.data.Dataset.range(5, 15).enumerate().shard(3, 2)",
    "take_skip_repeat": "ds = tf.data.Dataset.range(4).repeat(3).skip(2).take(7)",
    "group_by_window": "ds = tf.data.Dataset.range(20).group_by_window(lambda x: x % 4, "
    "lambda k, w: w.batch(3), window_size=3)",
    "bucket": "ds = tf.data.Dataset.range(1, 9).map(lambda x: tf.range(x))"
    ".bucket_by_sequence_length(lambda x: tf.shape(x)[0], [3, 6], [2, 2, 3])",
    "take_while_unique": "ds = tf.data.Dataset.from_tensor_slices([3, 1, 3, 2, 1, 9, 0])"
    ".unique().take_while(lambda x: x < 9)",
    "choose": "ds = tf.data.Dataset.choose_from_datasets([tf.data.Dataset.range(4), "
    "tf.data.Dataset.range(10, 12)], tf.data.Dataset.from_tensor_slices("
    "tf.constant([1, 0, 0, 1, 1, 0], tf.int64)), stop_on_empty_dataset=False)",
    "cardinalities": "ds = tf.data.Dataset.from_tensor_slices([int(d.cardinality()) for d in ["
    "tf.data.Dataset.range(7).batch(2), tf.data.Dataset.range(7).window(3, 2, 2, True), "
    "tf.data.Dataset.range(7).repeat().take(3), tf.data.Dataset.range(7).shard(3, 1), "
    "tf.data.Dataset.range(7).filter(lambda x: True).take(2), tf.data.Dataset.range(0).repeat(), "
    "tf.data.Dataset.range(7).skip(-1), tf.data.Dataset.range(7).concatenate("
    "tf.data.Dataset.range(2).repeat())]])",
    "generator_types": "ds = tf.data.Dataset.from_generator(lambda: ((i, [i] * 2) for i in "
    "range(3)), output_types=(tf.int64, tf.int32), output_shapes=((), (2,)))",
    "generator_dict": "ds = tf.data.Dataset.from_generator(lambda: ({'a': i, 'b': [1.5] * i} "
    "for i in range(3)), output_signature={'a': tf.TensorSpec([], tf.int32), "
    "'b': tf.TensorSpec([None], tf.float32)}).padded_batch(2)",
    "map_parallel_dict": "ds = tf.data.Dataset.from_tensor_slices({'x': [[1., 2.], [3., 4.], "
    "[5., 6.]], 'y': [1, 2, 3]}).map(lambda d: (d['x'] * tf.cast(d['y'], tf.float32), "
    "d['y'] + 1), num_parallel_calls=2)",
    "shuffle_buffer_1": "ds = tf.data.Dataset.range(6).shuffle(1).batch(4)",
    "padded_dict_shapes": "ds = tf.data.Dataset.range(4).map(lambda x: {'r': tf.range(x), "
    "'s': x}).padded_batch(2, padded_shapes={'r': [5], 's': []}, drop_remainder=True)",
    "rebatch_drop": "ds = tf.data.Dataset.range(10).batch(3).rebatch(4, drop_remainder=True)",
    "csv": "import tempfile, os\np = os.path.join(tempfile.mkdtemp(), 'a.csv')\n"
    "open(p, 'w').write('x,y,name\\n1,2.5,\"a,b\"\\n3,,c\\n7,1e3,d\\n')\n"
    "ds = tf.data.experimental.make_csv_dataset(p, batch_size=2, num_epochs=2, shuffle=False, "
    "label_name='x').concatenate(tf.data.experimental.make_csv_dataset(p, batch_size=3, "
    "num_epochs=1, shuffle=False, label_name='x', select_columns=['x', 'name']).map("
    "lambda f, l: ({'y': tf.zeros([3]), 'name': f['name']}, l)))",
    "reduce": "ds = tf.data.Dataset.from_tensors(tf.data.Dataset.range(1, 6).reduce("
    "tf.constant(1, tf.int64), lambda s, x: s * x))",
}

RUNNER = r"""
import json, sys
import numpy as np
if sys.argv[1] == "tensorflow":
    import tensorflow as tf
else:
    import tensorflux as tf
progs = json.loads(sys.stdin.read())
out = {}
def show(v):
    if isinstance(v, dict):
        return {k: show(v[k]) for k in sorted(v)}
    if isinstance(v, tuple):
        return [show(x) for x in v]
    v = np.asarray(v)
    if v.dtype == object:
        return [repr(b) for b in v.ravel().tolist()] + [list(v.shape)]
    return v.tolist()
for name, src in progs.items():
    try:
        env = {"tf": tf}
        exec(src, env)
        ds = env["ds"]
        out[name] = {"spec": repr(ds.element_spec), "values": [show(e) for e in ds.as_numpy_iterator()]}
    except Exception as e:
        out[name] = {"error": type(e).__name__ + ": " + str(e)[:200]}
print(json.dumps(out))
"""


def _tf_python():
    explicit = os.environ.get("TFX_TF_PYTHON")
    for cand in [explicit] if explicit else ["/work/tfenv/bin/python"]:
        if cand and os.path.exists(cand):
            return cand
    return None


def _run(python, backend):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root
    res = subprocess.run(
        [python, "-c", RUNNER, backend],
        input=json.dumps(PROGRAMS),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr[-2000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def results():
    tfp = _tf_python()
    if tfp is None:
        pytest.skip("no TensorFlow interpreter (set TFX_TF_PYTHON or install /work/tfenv)")
    try:
        ref = _run(tfp, "tensorflow")
    except (AssertionError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"TensorFlow interpreter unusable: {e}")
    return ref, _run(sys.executable, "tensorflux")


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_tensorflow(results, name):
    ref, got = results
    assert "error" not in ref[name], ref[name]
    assert got[name] == ref[name]
