"""Inter-op parallelism: independent heavy steps run on the pool with the same results."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import context
from tensorflux._src.graph import parallel


@pytest.fixture
def threads():
    old = context.INTER_OP_THREADS[0]
    context.INTER_OP_THREADS[0] = 2
    yield
    context.INTER_OP_THREADS[0] = old


def _f(x, y):
    return tf.matmul(x, y) + tf.matmul(x * 2.0, y) + tf.matmul(x, y * 3.0)


def test_independent_matmuls_are_submitted_and_results_match(threads):
    rng = np.random.default_rng(0)
    a = rng.random((128, 256), dtype=np.float32)
    b = rng.random((256, 256), dtype=np.float32)
    f = tf.function(_f)
    out = f(tf.constant(a), tf.constant(b))
    ex = f.get_concrete_function(tf.constant(a), tf.constant(b))._executor
    assert len(ex._parallel) == 3
    np.testing.assert_allclose(out.numpy(), (a @ b) * 6, rtol=1e-4)


def test_default_is_sequential_and_chains_never_parallel(threads):
    assert parallel.pool_size() == 2
    g = tf.function(lambda x, y: tf.matmul(tf.matmul(x, y), y))
    x = tf.ones([128, 256])
    y = tf.ones([256, 256])
    g(x, y)
    assert not g.get_concrete_function(x, y)._executor._parallel  # one depends on the other
    context.INTER_OP_THREADS[0] = 0
    assert parallel.pool_size() == 1


def test_errors_from_pool_steps_carry_their_step(threads):
    def kernel(xp, a):
        raise ValueError("boom")

    fut = parallel.make_submit(7, kernel, {})(np, np.ones(3))
    with pytest.raises(parallel.StepFailed) as info:
        fut.result()
    assert info.value.index == 7 and str(info.value.error) == "boom"
