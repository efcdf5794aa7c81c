"""Iterators, Optional, errors, threads, and iteration inside tf.function."""

import gc
import time
import traceback

import numpy as np
import pytest

from tensorflux import data as tfd
from tensorflux._src.data import iterator as _iterator
from tensorflux._src.data import parallel as _parallel
import tensorflux as tf


def test_iter_next_stop_and_out_of_range():
    it = iter(tfd.Dataset.range(2))
    assert it.element_spec == tf.TensorSpec([], tf.int64)
    assert int(next(it)) == 0 and int(it.get_next()) == 1
    with pytest.raises(StopIteration):
        next(it)
    with pytest.raises(tf.errors.OutOfRangeError):
        it.get_next()
    assert [int(x) for x in tfd.Dataset.range(3)] == [0, 1, 2]
    assert [int(x) for x in tfd.Dataset.range(3)] == [0, 1, 2]  # each for-loop restarts


def test_optional():
    it = iter(tfd.Dataset.range(1))
    o = it.get_next_as_optional()
    assert bool(o.has_value()) and int(o.get_value()) == 0
    e = it.get_next_as_optional()
    assert not bool(e.has_value()) and e.element_spec == tf.TensorSpec([], tf.int64)
    with pytest.raises(tf.errors.InvalidArgumentError):
        e.get_value()
    assert int(tfd.experimental.Optional.from_value(5).get_value()) == 5


def test_numpy_iterator_types():
    it = tfd.Dataset.from_tensor_slices((["a"], [[1.0, 2.0]])).as_numpy_iterator()
    s, v = next(it)
    assert s == b"a" and isinstance(v, np.ndarray) and v.shape == (2,)
    assert repr(it).startswith("NumpyIterator(")


def test_iteration_is_not_recorded_by_tapes():
    x = tf.Variable(2.0)
    ds = tfd.Dataset.from_tensors(1.0).map(lambda v: v * x)
    with tf.GradientTape() as tape:
        (elem,) = list(ds)
        y = elem * x
    assert float(tape.gradient(y, x)) == 2.0  # only the multiply outside the pipeline


def test_map_error_surfaces_in_consumer():
    ds = tfd.Dataset.from_tensor_slices([1.0, 0.0]).map(
        lambda x: tf.debugging.check_numerics(1.0 / x, "bad value"), num_parallel_calls=2
    )
    it = iter(ds)
    assert float(next(it)) == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="bad value"):
        next(it)


def _failing_gen():
    yield 1
    raise ValueError("generator broke")


def test_worker_error_keeps_original_traceback():
    ds = tfd.Dataset.from_generator(_failing_gen, output_signature=tf.TensorSpec([], tf.int32))
    it = iter(ds.prefetch(2))
    assert int(next(it)) == 1
    with pytest.raises(ValueError, match="generator broke") as info:
        next(it)
    frames = [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    assert "_failing_gen" in frames


def _wait_threads(n, timeout=5.0):
    end = time.time() + timeout
    while time.time() < end:
        gc.collect()
        if len(_parallel.live_threads()) <= n:
            return True
        time.sleep(0.01)
    return False


def test_prefetch_threads_stop_with_iterator():
    base = len(_parallel.live_threads())
    ds = tfd.Dataset.range(10**9).prefetch(4).map(lambda x: x + 1).prefetch(2)
    it = iter(ds)
    assert int(next(it)) == 1
    assert len(_parallel.live_threads()) == base + 2
    del it
    assert _wait_threads(base)
    # a fully consumed iterator leaves nothing behind either
    assert [int(x) for x in tfd.Dataset.range(5).prefetch(1)] == list(range(5))
    assert _wait_threads(base)
    # closing explicitly
    it = iter(tfd.Dataset.range(10**9).prefetch(tfd.AUTOTUNE))
    next(it)
    it.close()
    assert _wait_threads(base)


def test_parallel_interleave_threads_cleaned():
    base = len(_parallel.live_threads())
    ds = tfd.Dataset.range(4).interleave(
        lambda x: tfd.Dataset.range(10**9), cycle_length=3, num_parallel_calls=3
    )
    it = iter(ds)
    assert [int(next(it)) for _ in range(3)] == [0, 0, 0]
    del it
    assert _wait_threads(base)


def test_for_loop_inside_tf_function_runs_per_call():
    counter = tf.Variable(0, dtype=tf.int64)
    ds = tfd.Dataset.range(5).map(lambda x: x * 2)
    traces = []

    @tf.function
    def total():
        traces.append(1)
        s = tf.constant(0, tf.int64)

        def body(x, s):
            counter.assign_add(1)
            return (s + x,)

        (s,) = _iterator.for_stmt(ds, None, body, (s,), ("s",))
        return s

    assert int(total()) == 20 and int(total()) == 20
    assert len(traces) == 1 and int(counter.numpy()) == 10  # the loop ran on each call

    @tf.function
    def until_five():
        s = tf.constant(0, tf.int64)
        (s,) = _iterator.for_stmt(ds, lambda s: s < 5, lambda x, s: (s + x,), (s,), ("s",))
        return s

    assert int(until_five()) == 6
    assert not _iterator._LIVE  # the iterator of the early-stopped loop was freed


def test_autograph_for_over_dataset():
    ds = tfd.Dataset.range(4)

    @tf.function
    def f():
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s

    assert int(f()) == 6


def test_iter_in_graph_mode_raises():
    @tf.function(autograph=False)
    def f():
        return iter(tfd.Dataset.range(2))

    with pytest.raises(RuntimeError, match="only supports Python-style iteration"):
        f()


def test_public_module_lazy():
    import tensorflux

    assert tensorflux.data.Dataset is tfd.Dataset
    assert tensorflux.data.experimental.AUTOTUNE == -1


def test_private_threadpool_option():
    import threading

    opts = tfd.Options()
    opts.threading.private_threadpool_size = 2
    ds = tfd.Dataset.range(2000).map(lambda x: x + 1, num_parallel_calls=2).with_options(opts)
    it = iter(ds)
    assert [int(next(it)) for _ in range(3)] == [1, 2, 3]
    names = [t.name for t in threading.enumerate()]
    assert any(n.startswith("tfx_data_private") for n in names)
    assert [int(x) for x in it] == list(range(4, 2001))


def test_training_loop_over_dataset_inside_tf_function():
    x = np.random.RandomState(0).rand(64, 3).astype("float32")
    y = x @ np.array([[1.0], [2.0], [3.0]], "float32")
    ds = tfd.Dataset.from_tensor_slices((x, y)).batch(16)
    w = tf.Variable(tf.zeros([3, 1]))

    @tf.function
    def epoch():
        def body(batch, total):
            xb, yb = batch
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(tf.matmul(xb, w) - yb))
            w.assign_sub(0.5 * tape.gradient(loss, w))
            return (total + loss,)

        (t,) = _iterator.for_stmt(ds, None, body, (tf.constant(0.0),), ("total",))
        return t

    losses = [float(epoch()) for _ in range(4)]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    ref = np.zeros((3, 1), np.float32)  # the same SGD in NumPy
    for _ in range(4):
        for i in range(0, 64, 16):
            xb, yb = x[i : i + 16], y[i : i + 16]
            ref -= 0.5 * (2 / 16) * xb.T @ (xb @ ref - yb)
    np.testing.assert_allclose(w.numpy(), ref, rtol=1e-4, atol=1e-5)


def test_debug_mode_runs_functions_eagerly():
    from tensorflux._src.data import structure

    seen = []

    def f(x):
        seen.append(int(x))  # only possible on eager tensors
        return x * 2

    try:
        tfd.experimental.enable_debug_mode()
        ds = tfd.Dataset.range(5).map(f, num_parallel_calls=4).batch(2).prefetch(2)
        got = [list(b.numpy()) for b in ds]
    finally:
        structure.DEBUG_MODE[0] = False
    assert got == [[0, 2], [4, 6], [8]]
    assert seen[1:] == [0, 1, 2, 3, 4]  # after one probe call that finds the output type


GPU_SCRIPT = """
import numpy as np
import tensorflux as tf
assert tf.constant(1.0).device.endswith("GPU:0")
x = np.arange(12, dtype=np.float32).reshape(6, 2)
ds = tf.data.Dataset.from_tensor_slices(x).map(lambda v: v / tf.reduce_sum(v + 1.0))
out = list(ds.batch(4).prefetch(2))
assert all(o.device.endswith("CPU:0") for o in out)  # pipelines run on the CPU
ref = x / (x + 1).sum(1, keepdims=True)
np.testing.assert_allclose(np.concatenate([o.numpy() for o in out]), ref, rtol=1e-6)
two = list(tf.data.Dataset.from_tensor_slices(x).map(lambda v: v * 2.0).batch(4))
np.testing.assert_array_equal(np.concatenate([o.numpy() for o in two]), x * 2)
moved = next(iter(tf.data.Dataset.range(3).apply(
    tf.data.experimental.prefetch_to_device("/GPU:0"))))
assert moved.device.endswith("GPU:0")
print("OK")
"""


def test_pipelines_run_on_cpu_with_default_gpu():
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, TFX_FAKE_GPU="1", TFX_DEFAULT_GPU="1", PYTHONPATH=root)
    res = subprocess.run(
        [sys.executable, "-c", GPU_SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert res.stdout.strip().endswith("OK"), res.stderr[-3000:]


def test_eager_iterator_passed_to_tf_function():
    ds = tfd.Dataset.range(5).map(lambda x: x * 10)
    it = iter(ds)

    @tf.function
    def step(it):
        return next(it) + 1

    assert [int(step(it)) for _ in range(3)] == [1, 11, 21]
    assert step.experimental_get_tracing_count() == 1  # pulled at run time, not baked in
    assert int(next(it)) == 30  # the same iterator, continued eagerly
    assert int(step(it)) == 41
    with pytest.raises(tf.errors.OutOfRangeError):
        step(it)

    it2 = iter(tfd.Dataset.range(2))

    @tf.function
    def opt(it):
        o = it.get_next_as_optional()
        return o.has_value(), tf.cond(o.has_value(), o.get_value, lambda: tf.constant(-1, tf.int64))

    got = [(bool(h), int(v)) for h, v in (opt(it2), opt(it2), opt(it2))]
    assert got == [(True, 0), (True, 1), (False, -1)]

    @tf.function
    def unguarded(it):
        return it.get_next_as_optional().get_value()

    with pytest.raises(tf.errors.InvalidArgumentError, match="does not have a value"):
        unguarded(it2)  # as in TensorFlow: the traced get_value fails when there is none

    it3 = iter(tfd.Dataset.range(6))
    next(it3)

    @tf.function
    def rest(it):
        s = tf.constant(0, tf.int64)
        (s,) = _iterator.for_stmt(it, None, lambda x, s: (s + x,), (s,), ("s",))
        return s

    assert int(rest(it3)) == 15  # 1 + ... + 5: the remaining elements
