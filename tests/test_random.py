"""tf.random: seed semantics, distributions (loose moments on fixed seeds), dtypes, shapes, errors."""

import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import context
from tensorflux._src.core.errors import InvalidArgumentError

N = 20000  # samples for moment checks: 3-4 sigma bounds stay well under the tolerances below


@pytest.fixture(autouse=True)
def _clear_seed():
    yield
    tf.random.set_seed(None)


# ------------------------------------------------------------------ seeds


def test_set_seed_repeats_the_sequence_and_calls_differ():
    tf.random.set_seed(7)
    a1, a2 = tf.random.uniform([5]).numpy(), tf.random.uniform([5]).numpy()
    n1 = tf.random.normal([3], seed=3).numpy()
    n2 = tf.random.normal([3], seed=3).numpy()
    tf.random.set_seed(7)
    b1, b2 = tf.random.uniform([5]).numpy(), tf.random.uniform([5]).numpy()
    m1 = tf.random.normal([3], seed=3).numpy()
    m2 = tf.random.normal([3], seed=3).numpy()
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    assert not np.array_equal(a1, a2)
    np.testing.assert_array_equal(n1, m1)
    np.testing.assert_array_equal(n2, m2)
    assert not np.array_equal(n1, n2)  # the op-seeded stream advances per call


def test_different_global_seeds_differ():
    tf.random.set_seed(1)
    a = tf.random.uniform([8]).numpy()
    tf.random.set_seed(2)
    b = tf.random.uniform([8]).numpy()
    assert not np.array_equal(a, b)


def test_op_seed_without_global_seed_is_reproducible():
    tf.random.set_seed(None)
    a = tf.random.uniform([4], seed=11).numpy()
    tf.random.set_seed(None)  # restarts the per-op streams
    b = tf.random.uniform([4], seed=11).numpy()
    np.testing.assert_array_equal(a, b)
    c = tf.random.uniform([4], seed=12).numpy()
    assert not np.array_equal(a, c)


def test_unseeded_ops_are_not_repeated():
    tf.random.set_seed(None)
    a = tf.random.uniform([16]).numpy()
    b = tf.random.uniform([16]).numpy()
    assert not np.array_equal(a, b)


def test_same_program_same_numbers_across_processes():
    prog = (
        "import tensorflux as tf\n"
        "tf.random.set_seed(1234)\n"
        "x = tf.random.normal([4]); y = tf.random.uniform([3], seed=5)\n"
        "z = tf.random.categorical([[0., 1., 2.]], 5)\n"
        "print(list(x.numpy()) + list(y.numpy()) + list(z.numpy()[0]))\n"
    )
    outs = [
        subprocess.run([sys.executable, "-c", prog], capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    for o in outs:
        assert o.returncode == 0, o.stderr
    assert outs[0].stdout == outs[1].stdout and outs[0].stdout.strip()


def test_get_seed_rules():
    from tensorflux._src.ops.random_ops import DEFAULT_GRAPH_SEED, get_seed

    tf.random.set_seed(None)
    assert get_seed(None) == (None, None)
    assert get_seed(5) == (DEFAULT_GRAPH_SEED, 5)
    tf.random.set_seed(0)
    assert get_seed(0) == (0, 2**31 - 1)  # (0, 0) would mean "nondeterministic"
    g, s = get_seed(None)
    assert g == 0 and isinstance(s, int)


def test_op_determinism_requires_a_seed():
    tf.random.set_seed(None)
    context.set_op_determinism(True)
    try:
        with pytest.raises(RuntimeError, match="Random ops require a seed"):
            tf.random.uniform([2])
        tf.random.uniform([2], seed=1)  # an op seed is enough
    finally:
        context.set_op_determinism(False)


# ------------------------------------------------------------------ stateful distributions


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float32, tf.float64])
def test_uniform_float(dtype):
    x = tf.random.uniform([N], seed=1, dtype=dtype)
    assert x.dtype == dtype and x.shape == [N]
    v = np.asarray(x.numpy(), dtype=np.float64)
    assert v.min() >= 0 and v.max() < 1
    assert abs(v.mean() - 0.5) < 0.01 and abs(v.var() - 1 / 12) < 0.005


def test_uniform_range_and_tensor_bounds():
    v = tf.random.uniform([N], minval=-3.0, maxval=5.0, seed=2).numpy()
    assert v.min() >= -3 and v.max() < 5 and abs(v.mean() - 1.0) < 0.1
    lo = tf.constant([0.0, 10.0])
    w = tf.random.uniform([1000, 2], minval=lo, maxval=lo + 1, seed=3).numpy()
    assert (w[:, 0] < 1).all() and (w[:, 1] >= 10).all()


@pytest.mark.parametrize("dtype", [tf.int32, tf.int64])
def test_uniform_int(dtype):
    x = tf.random.uniform([N], minval=-2, maxval=5, dtype=dtype, seed=4)
    assert x.dtype == dtype
    v = x.numpy()
    assert set(np.unique(v)) == set(range(-2, 5))
    assert abs(v.mean() - 1.0) < 0.1


@pytest.mark.parametrize("dtype", [tf.float16, tf.bfloat16, tf.float32, tf.float64])
def test_normal(dtype):
    x = tf.random.normal([N], mean=2.0, stddev=3.0, dtype=dtype, seed=5)
    assert x.dtype == dtype
    v = np.asarray(x.numpy(), dtype=np.float64)
    assert abs(v.mean() - 2.0) < 0.1 and abs(v.std() - 3.0) < 0.1


def test_normal_broadcast_mean():
    v = tf.random.normal([N, 3], mean=tf.constant([1.0, 2.0, 3.0]), seed=6).numpy()
    np.testing.assert_allclose(v.mean(axis=0), [1, 2, 3], atol=0.05)


@pytest.mark.parametrize("dtype", [tf.float16, tf.float32, tf.float64])
def test_truncated_normal(dtype):
    v = np.asarray(tf.random.truncated_normal([N], dtype=dtype, seed=7).numpy(), np.float64)
    assert np.abs(v).max() <= 2.0
    assert abs(v.mean()) < 0.03 and abs(v.std() - 0.8796) < 0.02
    w = tf.random.truncated_normal([N], mean=10.0, stddev=0.5, seed=8).numpy()
    assert w.min() >= 9.0 and w.max() <= 11.0


def test_categorical_frequencies():
    with np.errstate(divide="ignore"):
        logits = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 0.0]], dtype=np.float32))
    x = tf.random.categorical(logits, N, seed=9)
    assert x.dtype == tf.int64 and x.shape == [2, N]
    v = x.numpy()
    np.testing.assert_allclose(np.bincount(v[0], minlength=3) / N, [0.1, 0.2, 0.7], atol=0.015)
    assert (v[1] != 2).all()  # probability 0 (-inf logit) never drawn
    assert tf.random.categorical(logits, 4, dtype=tf.int32).dtype == tf.int32
    assert tf.random.categorical(tf.zeros([0, 3]), 3).shape == [0, 3]


def test_shuffle_permutes_rows():
    x = tf.reshape(tf.range(20), [10, 2])
    y = tf.random.shuffle(x, seed=10).numpy()
    assert sorted(y[:, 0].tolist()) == list(range(0, 20, 2))
    np.testing.assert_array_equal(y[:, 1], y[:, 0] + 1)  # rows move whole
    assert not np.array_equal(y, x.numpy())
    assert tf.random.shuffle(5).numpy() == 5


def test_gamma():
    x = tf.random.gamma([N], alpha=[2.0, 0.5], beta=[[1.0], [4.0]], seed=11)
    assert x.shape == [N, 2, 2] and x.dtype == tf.float32
    means = x.numpy().mean(axis=0)
    np.testing.assert_allclose(means, [[2.0, 0.5], [0.5, 0.125]], rtol=0.05)
    assert x.numpy().min() > 0
    assert tf.random.gamma([3], 1.0, dtype=tf.float64).dtype == tf.float64


def test_poisson():
    x = tf.random.poisson([N], lam=[1.0, 7.0], seed=12)
    assert x.shape == [N, 2] and x.dtype == tf.float32
    np.testing.assert_allclose(x.numpy().mean(axis=0), [1.0, 7.0], rtol=0.05)
    assert tf.random.poisson([3], [1.0], dtype=tf.int64).dtype == tf.int64


def test_shapes_from_tensors_and_tensorshape():
    assert tf.random.normal(tf.constant([2, 3], tf.int64)).shape == [2, 3]
    assert tf.random.uniform(tf.TensorShape([4, 1])).shape == [4, 1]
    assert tf.random.uniform([0, 3]).shape == [0, 3]
    assert tf.random.normal([]).shape == []


# ------------------------------------------------------------------ errors (TensorFlow's)


def test_errors():
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
        tf.random.uniform([2], dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match=r"Need minval < maxval, got 5 >= 3"):
        tf.random.uniform([2], minval=5, maxval=3, dtype=tf.int64)
    with pytest.raises(ValueError, match=r"Argument `dtype` got invalid value <dtype: 'uint8'>"):
        tf.random.uniform([2], maxval=4, dtype=tf.uint8)
    with pytest.raises(TypeError, match="Cannot convert 0.0 to EagerTensor of dtype int32"):
        tf.random.normal([2], dtype=tf.int32)
    with pytest.raises(ValueError, match="^mean: Tensor conversion requested dtype float64"):
        tf.random.normal([2], dtype=tf.float64, mean=tf.constant([1.0, 2.0]))
    with pytest.raises(InvalidArgumentError, match="Dimension -1 must be >= 0"):
        tf.random.normal([-1])
    with pytest.raises(InvalidArgumentError, match="logits should be a matrix, got shape"):
        tf.random.categorical([0.0, 1.0], 3)
    with pytest.raises(InvalidArgumentError, match="num_classes should be positive, got 0"):
        tf.random.categorical(tf.zeros([2, 0]), 3)
    with pytest.raises(InvalidArgumentError, match="num_samples should be non-negative, got -1"):
        tf.random.categorical([[0.0, 1.0]], -1)
    with pytest.raises(ValueError, match=r"Accepted dtypes are \(tf.int32, tf.int64\)"):
        tf.random.categorical([[0.0, 1.0]], 3, dtype=tf.float32)
    with pytest.raises(InvalidArgumentError, match="attr 'dtype' of int8 is not in the list"):
        tf.random.poisson([3], [1.0], dtype=tf.int8)
    with pytest.raises(ValueError, match="not inexact"):
        tf.random.gamma([3], 1, dtype=tf.int32)
    with pytest.raises(ValueError, match="^alpha: Tensor conversion requested dtype float32"):
        tf.random.gamma([2], tf.constant([1.0, 2.0], tf.float64))
    with pytest.raises(ValueError, match="^min: Tensor conversion requested dtype float32"):
        tf.random.uniform([2], minval=tf.constant(1.0, tf.float64))
    with pytest.raises(InvalidArgumentError, match=r"shape must be a vector of \{int32,int64\}"):
        tf.random.normal(3)


def test_random_ops_are_stateful_and_not_differentiable():
    from tensorflux._src.core import registry

    for name in ("RandomUniform", "RandomStandardNormal", "Multinomial", "RandomShuffle"):
        op = registry.get(name)
        assert op.stateful and op.differentiable is False
    for name in ("StatelessRandomNormal", "StatelessRandomUniformInt"):
        op = registry.get(name)
        assert not op.stateful and op.differentiable is False
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.random.shuffle(x, seed=1)
    assert tape.gradient(y, x) is None


# ------------------------------------------------------------------ stateless


def test_stateless_is_a_function_of_the_seed():
    for fn in (
        tf.random.stateless_uniform,
        tf.random.stateless_normal,
        tf.random.stateless_truncated_normal,
    ):
        a = fn([6], seed=[1, 2]).numpy()
        b = fn([6], seed=tf.constant([1, 2], tf.int64)).numpy()
        c = fn([6], seed=[1, 3]).numpy()
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)
    tf.random.set_seed(3)  # the global seed does not matter to stateless ops
    d = tf.random.stateless_uniform([6], seed=[1, 2]).numpy()
    np.testing.assert_array_equal(d, tf.random.stateless_uniform([6], seed=[1, 2]).numpy())


def test_stateless_distributions():
    s = [4, 5]
    u = tf.random.stateless_uniform([N], s, minval=2.0, maxval=4.0).numpy()
    assert u.min() >= 2 and u.max() < 4 and abs(u.mean() - 3) < 0.02
    n = tf.random.stateless_normal([N], s, mean=1.0, stddev=2.0).numpy()
    assert abs(n.mean() - 1) < 0.06 and abs(n.std() - 2) < 0.06
    i = tf.random.stateless_uniform([N], s, minval=3, maxval=6, dtype=tf.int32).numpy()
    assert set(np.unique(i)) == {3, 4, 5}
    f = tf.random.stateless_uniform([4], s, minval=None, maxval=None, dtype=tf.uint32)
    assert f.dtype == tf.uint32
    b = tf.random.stateless_binomial([N, 2], s, counts=[10.0, 20.0], probs=[0.5, 0.25])
    assert b.dtype == tf.int32
    np.testing.assert_allclose(b.numpy().mean(axis=0), [5.0, 5.0], rtol=0.03)
    p = tf.random.stateless_poisson([N, 2], s, lam=[2.0, 5.0]).numpy()
    np.testing.assert_allclose(p.mean(axis=0), [2.0, 5.0], rtol=0.04)
    g = tf.random.stateless_gamma([N, 2], s, alpha=[3.0, 1.0], beta=[1.0, 2.0]).numpy()
    np.testing.assert_allclose(g.mean(axis=0), [3.0, 0.5], rtol=0.04)
    t = tf.random.stateless_parameterized_truncated_normal(
        [N], s, means=1.0, stddevs=2.0, minvals=0.0, maxvals=1.5
    ).numpy()
    assert t.min() >= 0.0 and t.max() <= 1.5 and 0.6 < t.mean() < 0.9
    c = tf.random.stateless_categorical(np.log([[0.25, 0.75]]).astype(np.float32), N, s).numpy()
    assert abs(c.mean() - 0.75) < 0.02


def test_stateless_shuffle_split_fold_in():
    x = tf.range(10)
    a = tf.random.experimental.stateless_shuffle(x, [1, 2]).numpy()
    np.testing.assert_array_equal(a, tf.random.experimental.stateless_shuffle(x, [1, 2]).numpy())
    assert sorted(a.tolist()) == list(range(10))
    s = tf.random.split([1, 2], 3)
    assert s.shape == [3, 2] and s.dtype == tf.int32
    assert len({tuple(r) for r in s.numpy().tolist()}) == 3
    np.testing.assert_array_equal(s.numpy(), tf.random.experimental.stateless_split([1, 2], 3))
    assert tf.random.split(tf.constant([1, 2], tf.int64)).dtype == tf.int64
    f = tf.random.fold_in([1, 2], 5)
    assert f.shape == [2] and f.numpy()[1] == 5
    assert not np.array_equal(f.numpy(), tf.random.fold_in([1, 2], 6).numpy())


def test_stateless_errors():
    with pytest.raises(InvalidArgumentError, match=r"seed must have shape \[2\], not \[3\]"):
        tf.random.stateless_uniform([2], seed=[1, 2, 3])
    with pytest.raises(InvalidArgumentError, match="attr 'Tseed'"):
        tf.random.stateless_uniform([2], seed=[1.0, 2.0])
    with pytest.raises(ValueError, match="must be both None or not None"):
        tf.random.stateless_uniform([2], seed=[1, 2], dtype=tf.int32)
    with pytest.raises(InvalidArgumentError, match="Shape passed in must end with broadcasted"):
        tf.random.stateless_poisson([3], seed=[1, 2], lam=[1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="Shape passed in must end with broadcasted"):
        tf.random.stateless_gamma([3], seed=[1, 2], alpha=[1.0, 2.0])
    with pytest.raises(ValueError, match="Please don't use unsigned integers in this case."):
        tf.random.stateless_uniform([2], seed=[1, 2], minval=1, maxval=5, dtype=tf.uint32)
    with pytest.raises(InvalidArgumentError, match=r"input #3\(zero-based\) was expected to be a"):
        tf.random.stateless_parameterized_truncated_normal(
            [2], [1, 2], means=tf.constant(0.0, tf.float64)
        )


# ------------------------------------------------------------------ Generator


def test_generator_from_seed_is_reproducible_and_advances():
    g1, g2 = tf.random.Generator.from_seed(42), tf.random.Generator.from_seed(42)
    np.testing.assert_array_equal(g1.state.numpy(), [42, 0, 0])
    a, b = g1.normal([5]).numpy(), g2.normal([5]).numpy()
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(g1.state.numpy(), [42, 0, 0])
    assert not np.array_equal(a, g1.normal([5]).numpy())
    assert g1.algorithm == tf.random.Algorithm.PHILOX.value


def test_generator_state_round_trip_and_reset():
    g = tf.random.Generator.from_seed(1)
    g.uniform([3])
    assert isinstance(g.state, tf.Variable) and not g.state.trainable
    saved = g.state.read_value()
    x = g.uniform([3]).numpy()
    h = tf.random.Generator.from_state(saved, tf.random.Algorithm.PHILOX)
    np.testing.assert_array_equal(h.uniform([3]).numpy(), x)
    g.reset(saved)
    np.testing.assert_array_equal(g.uniform([3]).numpy(), x)
    g.reset_from_seed(1)
    np.testing.assert_array_equal(g.state.numpy(), [1, 0, 0])
    g.skip(10)
    assert g.state.numpy()[0] == 11
    copy = tf.random.Generator(copy_from=g)
    np.testing.assert_array_equal(copy.state.numpy(), g.state.numpy())
    np.testing.assert_array_equal(copy.normal([2]).numpy(), g.normal([2]).numpy())
    t = tf.random.Generator.from_seed(1, alg="threefry")
    assert t.state.shape == [2] and t.algorithm == 2


def test_generator_distributions_and_helpers():
    g = tf.random.Generator.from_seed(3)
    u = g.uniform([N], minval=1.0, maxval=3.0).numpy()
    assert u.min() >= 1 and u.max() < 3 and abs(u.mean() - 2) < 0.03
    i = g.uniform([N], minval=0, maxval=4, dtype=tf.int64)
    assert i.dtype == tf.int64 and set(np.unique(i.numpy())) == {0, 1, 2, 3}
    assert g.uniform_full_int([3]).dtype == tf.uint64
    assert np.abs(g.truncated_normal([N]).numpy()).max() <= 2
    b = g.binomial([N], counts=8.0, probs=0.25)
    assert b.dtype == tf.int32 and abs(b.numpy().mean() - 2) < 0.05
    seeds = g.make_seeds(4)
    assert seeds.shape == [2, 4] and seeds.dtype == tf.int64
    kids = g.split(3)
    draws = [k.normal([4]).numpy() for k in kids]
    assert not np.array_equal(draws[0], draws[1]) and not np.array_equal(draws[1], draws[2])
    with pytest.raises(ValueError, match="minval and maxval must be both `None`"):
        g.uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \[3\] are incompatible"):
        tf.random.Generator.from_state([1, 2], "philox")


def test_generator_draws_advance_inside_traced_graphs():
    trace = pytest.importorskip("tensorflux._src.graph.trace")
    executor = pytest.importorskip("tensorflux._src.graph.executor")
    g = tf.random.Generator.from_seed(4)
    ref = tf.random.Generator.from_seed(4)
    graph, phs, out = trace.trace(lambda x: g.normal([3]) + x, [trace.InputSpec([], tf.float32)])
    np.testing.assert_array_equal(g.state.numpy(), [4, 0, 0])  # tracing draws nothing
    feeds = [(phs[0], tf.constant(0.0))]
    first, second = executor.run(graph, out, feeds), executor.run(graph, out, feeds)
    # each run of the one graph advances the state, giving the eager sequence
    np.testing.assert_array_equal(first.numpy(), ref.normal([3]).numpy())
    np.testing.assert_array_equal(second.numpy(), ref.normal([3]).numpy())
    np.testing.assert_array_equal(g.state.numpy(), ref.state.numpy())


def test_traced_random_ops():
    trace = pytest.importorskip("tensorflux._src.graph.trace")

    def f(x):
        return (tf.random.stateless_uniform([4], [1, 2]) + x, tf.random.uniform([2], seed=3) + x)

    s1, u1 = trace.run_traced(f, [tf.constant(0.0)])
    np.testing.assert_array_equal(s1.numpy(), tf.random.stateless_uniform([4], [1, 2]).numpy())
    assert u1.shape == [2]


def test_create_rng_state_and_global_generator():
    np.testing.assert_array_equal(tf.random.create_rng_state(5, "philox").numpy(), [5, 0, 0])
    np.testing.assert_array_equal(tf.random.create_rng_state(5, "threefry").numpy(), [5, 0])
    old = tf.random.get_global_generator()
    assert tf.random.get_global_generator() is old
    mine = tf.random.Generator.from_seed(9)
    tf.random.set_global_generator(mine)
    try:
        assert tf.random.get_global_generator() is mine
        assert tf.random.experimental.get_global_generator() is mine
    finally:
        tf.random.set_global_generator(old)


def test_index_shuffle_is_a_keyed_bijection():
    idx = tf.range(100, dtype=tf.int64)
    a = tf.random.experimental.index_shuffle(idx, [1, 2], 99)
    assert a.dtype == tf.int64 and sorted(a.numpy().tolist()) == list(range(100))
    np.testing.assert_array_equal(a, tf.random.experimental.index_shuffle(idx, [1, 2], 99))
    assert not np.array_equal(a, tf.random.experimental.index_shuffle(idx, [1, 3], 99))
    assert not np.array_equal(a.numpy(), np.arange(100))
    one = tf.random.experimental.index_shuffle(7, [1, 2], 99)
    assert one.shape == [] and int(one) == int(a.numpy()[7])
    r = tf.random_index_shuffle(
        np.arange(4, dtype=np.uint64), np.arange(12).reshape(4, 3), 2**64 - 1
    )
    assert r.dtype == tf.uint64 and len(set(r.numpy().tolist())) == 4
    with pytest.raises(InvalidArgumentError, match="max_index must be >= index, but 5 < 7"):
        tf.random_index_shuffle(7, [1, 2, 3], 5)
    with pytest.raises(InvalidArgumentError, match=r"matrix of size \[1, 3\] but got \[2\]"):
        tf.random_index_shuffle(3, [1, 2], 5)
    with pytest.raises(InvalidArgumentError, match="Index bust be a scalar or vector."):
        tf.random_index_shuffle([[1, 2], [3, 4]], [1, 2, 3], 9)
