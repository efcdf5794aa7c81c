"""Control flow: cond/case/switch_case, while_loop, map_fn/scan/folds, TensorArray — eager and
traced, with gradients checked against central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.graph.trace import InputSpec, run_traced, trace

c = tf.constant


def fd_grad(f, x, eps=1e-6):
    """Central differences of scalar `f` (NumPy float64 in, float out) at `x`."""
    x = np.asarray(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        g[i] = (f(xp) - f(xm)) / (2 * eps)
    return g


def value_and_grad(fn, x, traced):
    """(fn(x), d sum(fn(x)) / dx) computed eagerly or inside a traced function."""

    def inner(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = fn(x)
            s = tf.reduce_sum(y)
        return y, t.gradient(s, x)

    if traced:
        return run_traced(inner, [x])
    return inner(x)


def check_grad(fn, x0, traced, atol=1e-6):
    x = c(np.asarray(x0, dtype=np.float64))
    _, g = value_and_grad(fn, x, traced)
    want = fd_grad(lambda v: float(np.sum(fn(c(v)).numpy())), x0)
    np.testing.assert_allclose(g.numpy(), want, rtol=1e-5, atol=atol)


BOTH = pytest.mark.parametrize("traced", [False, True], ids=["eager", "traced"])


def ops_of(fn, *specs):
    g, _, _ = trace(fn, list(specs))
    return [op.type for op in g.get_operations()]


# ------------------------------------------------------------------ cond


@BOTH
def test_cond_values(traced):
    def f(x):
        return tf.cond(x[0] > 0, lambda: x * 2.0, lambda: x - 1.0)

    run = (lambda f, x: run_traced(f, [x])) if traced else (lambda f, x: f(x))
    np.testing.assert_allclose(run(f, c([1.0, 2.0])).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(run(f, c([-1.0, 2.0])).numpy(), [-2.0, 1.0])


@BOTH
def test_cond_structures(traced):
    def f(x):
        return tf.cond(x > 0, lambda: {"a": x, "b": (x + 1, [x * 3])},
                       lambda: {"a": -x, "b": (x - 1, [x * 4])})

    out = run_traced(f, [c(2.0)]) if traced else f(c(2.0))
    assert set(out) == {"a", "b"} and isinstance(out["b"], tuple) and isinstance(out["b"][1], list)
    assert [float(out["a"]), float(out["b"][0]), float(out["b"][1][0])] == [2.0, 3.0, 6.0]
    single = run_traced(lambda x: tf.cond(x > 0, lambda: [x], lambda: [x]), [c(1.0)]) \
        if traced else tf.cond(c(True), lambda: [c(1.0)], lambda: [c(2.0)])
    assert isinstance(single, list) and len(single) == 1


def test_cond_traced_builds_one_if_node():
    types = ops_of(lambda x: tf.cond(x > 0, lambda: x, lambda: -x), InputSpec([], tf.float32))
    assert types.count("StatelessIf") == 1 and "Neg" not in types  # branches live in sub-graphs


def test_cond_python_values_and_captures():
    y = c([10.0, 20.0])  # an outer eager tensor captured by a branch

    def f(x):
        return tf.cond(x > 0, lambda: y + x, lambda: 1.0 + tf.zeros_like(y))

    np.testing.assert_allclose(run_traced(f, [c(1.0)]).numpy(), [11.0, 21.0])
    np.testing.assert_allclose(run_traced(f, [c(-1.0)]).numpy(), [1.0, 1.0])
    assert tf.cond(True, lambda: (1, 2), lambda: (3, 4)) == (1, 2)


def test_cond_errors():
    with pytest.raises(TypeError, match="'true_fn' argument required"):
        tf.cond(c(True))
    with pytest.raises(TypeError, match="'false_fn' must be callable"):
        tf.cond(True, lambda: 1, 3)
    with pytest.raises(TypeError, match="must have the same number, type, and overall structure"):
        run_traced(lambda x: tf.cond(x > 0, lambda: x, lambda: tf.cast(x, tf.int32)), [c(1.0)])
    with pytest.raises(ValueError, match="must have the same number, type"):
        run_traced(lambda x: tf.cond(x > 0, lambda: (x, x), lambda: x), [c(1.0)])
    with pytest.raises(ValueError, match="Shape must be rank 0"):
        run_traced(lambda x: tf.cond(x > 0, lambda: x, lambda: x), [c([1.0, 2.0])])


def test_cond_output_shape_merges_branches():
    def f(x):
        return tf.cond(x[0] > 0, lambda: x, lambda: tf.concat([x, x], 0))

    g, _, out = trace(f, [InputSpec([2], tf.float32)])
    assert out.shape.as_list() == [None]
    np.testing.assert_allclose(run_traced(f, [c([-1.0, 2.0])]).numpy(), [-1, 2, -1, 2])


@BOTH
def test_cond_gradients(traced):
    def f(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: tf.sin(x) * x, lambda: x * x * x)

    check_grad(f, [0.3, 0.9], traced)
    check_grad(f, [-0.3, -0.9], traced)


@BOTH
def test_nested_cond_gradient_and_outer_capture(traced):
    def fn(x):
        w = x * 2.0

        def outer():
            return tf.cond(x[1] > 0, lambda: w * x, lambda: tf.exp(x))

        return tf.cond(x[0] > 0, outer, lambda: tf.square(w))

    for x0 in ([0.5, 0.7], [0.5, -0.7], [-0.5, 0.7]):
        check_grad(fn, x0, traced)


def test_cond_second_order_traced():
    def f(x):
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.cond(x > 0, lambda: x * x * x, lambda: x)
            g = t1.gradient(y, x)
        return g, t2.gradient(g, x)

    g, gg = run_traced(f, [c(2.0, tf.float64)])
    assert float(g) == pytest.approx(12.0) and float(gg) == pytest.approx(12.0)


def test_cond_variable_gradient_traced():
    v = tf.Variable([1.0, 2.0])

    def f(x):
        with tf.GradientTape() as t:
            y = tf.cond(x > 0, lambda: tf.reduce_sum(v * v) * x, lambda: x)
        return t.gradient(y, v)

    np.testing.assert_allclose(run_traced(f, [c(3.0)]).numpy(), [6.0, 12.0])
    np.testing.assert_allclose(run_traced(f, [c(-3.0)]).numpy(), [0.0, 0.0])


@BOTH
def test_cond_and_switch_case_variable_second_order(traced):
    v = tf.Variable(1.5)

    def f():
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = tf.cond(v > 1.0, lambda: v * v * v, lambda: v)
                y += tf.switch_case(tf.constant(1), [lambda: v, lambda: v * v])
            g = t1.gradient(y, v)
        return g, t2.gradient(g, v)

    g, gg = run_traced(f, []) if traced else f()
    # d/dv (v^3 + v^2) = 3v^2 + 2v, d2/dv2 = 6v + 2
    assert float(g) == pytest.approx(3 * 1.5**2 + 3.0) and float(gg) == pytest.approx(11.0)


# ------------------------------------------------------------------ switch_case / case


@BOTH
def test_switch_case(traced):
    def f(i, x):
        return tf.switch_case(i, [lambda: x + 1.0, lambda: x * 10.0, lambda: -x])

    run = (lambda i: run_traced(f, [c(i), c(2.0)])) if traced else (lambda i: f(c(i), c(2.0)))
    assert [float(run(i)) for i in (0, 1, 2, 7, -1)] == [3.0, 20.0, -2.0, -2.0, -2.0]

    def g(i, x):
        return tf.switch_case(i, {0: lambda: x, 1: lambda: x * 2}, default=lambda: x * 0)

    run = (lambda i: run_traced(g, [c(i), c(2.0)])) if traced else (lambda i: g(c(i), c(2.0)))
    assert [float(run(i)) for i in (0, 1, 5)] == [2.0, 4.0, 0.0]


def test_switch_case_errors_and_gradient():
    with pytest.raises(TypeError, match="'branch_index' must be a Tensor, got <class 'int'>"):
        tf.switch_case(1, [lambda: 1])
    with pytest.raises(TypeError, match="must be an integer Tensor"):
        tf.switch_case(c(1.0), [lambda: 1])
    with pytest.raises(ValueError, match=r"contiguous range of \[0 to 2\) but found \{0,3\}"):
        tf.switch_case(c(3), {0: lambda: 1, 3: lambda: 2})
    with pytest.raises(ValueError, match="at least one item"):
        tf.switch_case(c(1), [])

    def f(x):
        return tf.switch_case(tf.cast(x[0] > 0, tf.int32), [lambda: x * x, lambda: tf.sin(x)])

    check_grad(f, [0.4, 0.2], True)
    check_grad(f, [-0.4, 0.2], True)
    assert "StatelessCase" in ops_of(f, InputSpec([2], tf.float64))


@BOTH
def test_case(traced):
    def f(x):
        return tf.case([(x < 0, lambda: -x), (x < 10, lambda: x * 2)], default=lambda: x)

    run = (lambda v: run_traced(f, [c(v)])) if traced else (lambda v: f(c(v)))
    assert [float(run(v)) for v in (-3.0, 3.0, 30.0)] == [3.0, 6.0, 30.0]


def test_case_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="exclusive=True: more than 1"):
        tf.case([(c(True), lambda: 1), (c(True), lambda: 2)], default=lambda: 3, exclusive=True)
    assert tf.case([(c(True), lambda: 1), (c(True), lambda: 2)], default=lambda: 3) == 1
    with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions evaluated"):
        tf.case([(c(False), lambda: 1)])
    with pytest.raises(TypeError, match="pred must be a Tensor, got: False"):
        tf.case([(False, lambda: 1)], default=lambda: 4)

    def f(x):
        return tf.case([(x < 0, lambda: -x), (x < 10, lambda: x)], exclusive=True)

    with pytest.raises(tf.errors.InvalidArgumentError, match="exclusive=True"):
        run_traced(f, [c(-1.0)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="None of conditions"):
        run_traced(f, [c(20.0)])
    assert float(run_traced(f, [c(5.0)])) == 5.0


# ------------------------------------------------------------------ while_loop


@BOTH
def test_while_loop_structures(traced):
    def f(x):
        i, (a, d) = tf.while_loop(
            lambda i, s: i < 4,
            lambda i, s: (i + 1, (s[0] * x, {"k": s[1]["k"] + 1.0})),
            (c(0), (c(1.0), {"k": c(0.0)})),
        )
        return i, a, d["k"]

    i, a, k = run_traced(f, [c(2.0)]) if traced else f(c(2.0))
    assert (int(i), float(a), float(k)) == (4, 16.0, 4.0)


def test_while_loop_return_structure_eager():
    assert isinstance(tf.while_loop(lambda i: i < 3, lambda i: (i + 1,), (0,)), tuple)
    out = tf.while_loop(lambda i: i < 3, lambda i: [i + 1], [0])
    assert isinstance(out, list) and int(out[0]) == 3
    out = tf.while_loop(lambda i: i < 100, lambda i: [i + 1], [0], maximum_iterations=5)
    assert int(out[0]) == 5


@BOTH
def test_while_loop_maximum_iterations(traced):
    def f(x):
        return tf.while_loop(lambda v: v < 1000.0, lambda v: [v * 2.0], [x],
                             maximum_iterations=3)[0]

    assert float(run_traced(f, [c(1.0)]) if traced else f(c(1.0))) == 8.0
    assert float(run_traced(f, [c(600.0)]) if traced else f(c(600.0))) == 1200.0


def test_while_loop_errors():
    with pytest.raises(TypeError, match="'cond' must be callable"):
        tf.while_loop(3, lambda i: i, [1])
    with pytest.raises(TypeError, match="'body' must be callable"):
        tf.while_loop(lambda i: True, 4, [1])
    with pytest.raises(ValueError, match="'loop_vars' must be provided"):
        tf.while_loop(lambda i: True, lambda i: i, [])
    with pytest.raises(ValueError, match="same nested structure|same number of elements"):
        tf.while_loop(lambda i: i < 3, lambda i: (i + 1, 1), [0])

    def grow(x):
        return tf.while_loop(lambda v: tf.reduce_sum(v) < 30, lambda v: tf.concat([v, v], 0), [x])

    with pytest.raises(ValueError, match="enters the loop with shape"):
        run_traced(grow, [c([1.0])])
    with pytest.raises(TypeError, match="enters the loop with type"):
        run_traced(lambda x: tf.while_loop(lambda i: i < 3, lambda i: tf.cast(i, tf.int32), [x]),
                   [c(1.0)])


def test_while_loop_shape_invariants():
    def grow(x):
        return tf.while_loop(lambda v: tf.reduce_sum(v) < 30, lambda v: [tf.concat([v, v], 0)],
                             [x], shape_invariants=[tf.TensorShape([None])])[0]

    np.testing.assert_allclose(run_traced(grow, [c([1.0, 2.0])]).numpy(), [1.0, 2.0] * 16)
    np.testing.assert_allclose(grow(c([1.0, 2.0])).numpy(), [1.0, 2.0] * 16)
    with pytest.raises(ValueError, match="not compatible with the initial shape"):
        run_traced(lambda x: tf.while_loop(lambda v: True, lambda v: v, [x],
                                           shape_invariants=[tf.TensorShape([3])]), [c([1.0])])


def test_while_loop_traced_return_types():
    def f(x):
        a = tf.while_loop(lambda i, v: i < 2, lambda i, v: (i + 1, v * 2.0), (0, x))
        b = tf.while_loop(lambda i, v: i < 2, lambda i, v: [i + 1, v * 2.0], [0, x])
        c1 = tf.while_loop(lambda v: v < 5.0, lambda v: v * 2.0, [x])  # bare body result
        return a, b, c1

    a, b, c1 = run_traced(f, [c(1.0)])
    assert isinstance(a, tuple) and isinstance(b, list) and isinstance(c1, list)
    assert float(a[1]) == float(b[1]) == 4.0 and float(c1[0]) == 8.0


def test_while_loop_is_one_node():
    def f(x):
        return tf.while_loop(lambda i, v: i < 3, lambda i, v: (i + 1, tf.sin(v)), (0, x))

    types = ops_of(f, InputSpec([], tf.float32))
    assert types.count("StatelessWhile") == 1 and "Sin" not in types


@BOTH
def test_while_gradient_data_dependent_trip_count(traced):
    # y = x^k for the smallest k with x^k >= 50: the trip count depends on x.
    def f(x):
        return tf.while_loop(lambda y: tf.reduce_sum(y) < 50.0, lambda y: [y * x], [x])[0]

    for x0 in ([1.7], [3.2], [9.0]):
        check_grad(f, x0, traced, atol=1e-5)


@BOTH
def test_while_gradient_captures_and_several_vars(traced):
    def f(x):
        w = x * 0.5  # captured by the body: its gradient accumulates over iterations

        def body(i, a, b):
            return i + 1, tf.tanh(a * w + b), b + tf.sin(a)

        _, a, b = tf.while_loop(lambda i, a, b: i < 5, body, (0, x, x * x))
        return a * 3.0 + b

    check_grad(f, [0.2, -0.4, 0.7], traced)


def test_while_gradient_zero_iterations_and_unused_outputs():
    def f(x):
        i, y = tf.while_loop(lambda i, y: i < 0, lambda i, y: (i + 1, y * 3.0), (0, x))
        return y

    check_grad(f, [0.5], True)

    def g(x):
        i, y, z = tf.while_loop(lambda i, y, z: i < 3, lambda i, y, z: (i + 1, y * x, z + 1.0),
                                (0, x, x))
        return y  # z unused: its gradient is zeros

    check_grad(g, [1.3], True)


def test_while_second_order_eager():
    x = c(1.5, tf.float64)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), (0, x))[1]
        g = t1.gradient(y, x)
    assert float(g) == pytest.approx(4 * 1.5**3)
    assert float(t2.gradient(g, x)) == pytest.approx(12 * 1.5**2)


def test_cond_inside_while_gradient_traced():
    def f(x):
        def body(i, y):
            return i + 1, tf.cond(y > 1.0, lambda: y * 0.5, lambda: y * x)

        return tf.while_loop(lambda i, y: i < 6, body, (0, x))[1]

    for x0 in (1.3, 0.7):
        check_grad(f, x0, True)
        check_grad(f, x0, False)


# ------------------------------------------------------------------ map_fn / scan / folds


@BOTH
def test_map_fn(traced):
    run = (lambda f, *a: run_traced(f, list(a))) if traced else (lambda f, *a: f(*a))
    x = c([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_allclose(run(lambda x: tf.map_fn(lambda r: r * 2.0, x), x).numpy(),
                               x.numpy() * 2)
    out = run(lambda x: tf.map_fn(lambda r: (tf.reduce_sum(r), tf.cast(r, tf.int32)), x,
                                  fn_output_signature=(tf.float32, tf.int32)), x)
    np.testing.assert_allclose(out[0].numpy(), [3, 7, 11])
    assert out[1].dtype == tf.int32 and out[1].shape == (3, 2)
    out = run(lambda a, b: tf.map_fn(lambda p: p[0] * p[1], (a, b),
                                     fn_output_signature=tf.float32), c([1.0, 2.0]),
              c([3.0, 4.0]))
    np.testing.assert_allclose(out.numpy(), [3.0, 8.0])


def test_map_fn_eager_edge_cases():
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda x: x, c(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="TensorArray dtype is float32"):
        tf.map_fn(lambda x: tf.cast(x, tf.int32), c([1.0, 2.0]))
    with pytest.raises(ValueError):
        tf.map_fn(lambda x: (x, x), c([1.0, 2.0]))
    assert tf.map_fn(lambda x: x, tf.zeros([0, 3])).shape == (0,)


@BOTH
def test_scan_and_folds(traced):
    run = (lambda f, *a: run_traced(f, list(a))) if traced else (lambda f, *a: f(*a))
    x = c([1.0, 2.0, 3.0])
    np.testing.assert_allclose(run(lambda x: tf.scan(lambda a, e: a + e, x), x).numpy(),
                               [1, 3, 6])
    np.testing.assert_allclose(
        run(lambda x: tf.scan(lambda a, e: a + e, x, initializer=c(10.0)), x).numpy(),
        [11, 13, 16])
    np.testing.assert_allclose(
        run(lambda x: tf.scan(lambda a, e: a + e, x, reverse=True), x).numpy(), [6, 5, 3])
    out = run(lambda x: tf.scan(lambda a, e: (a[0] + e, a[1] * e), x,
                                initializer=(c(0.0), c(1.0))), x)
    np.testing.assert_allclose(out[0].numpy(), [1, 3, 6])
    np.testing.assert_allclose(out[1].numpy(), [1, 2, 6])
    assert float(run(lambda x: tf.foldl(lambda a, e: a * 10 + e, x), x)) == 123.0
    assert float(run(lambda x: tf.foldr(lambda a, e: a * 10 + e, x), x)) == 321.0
    assert float(run(lambda x: tf.foldl(lambda a, e: a * 10 + e, x, initializer=c(5.0)),
                     x)) == 5123.0


def test_scan_fold_empty_errors():
    for fn in (tf.scan, tf.foldl, tf.foldr):
        with pytest.raises(tf.errors.OutOfRangeError, match="array size is: 0"):
            fn(lambda a, x: a + x, tf.zeros([0]))


@BOTH
def test_map_scan_fold_gradients(traced):
    check_grad(lambda x: tf.map_fn(lambda r: tf.sin(r) * r, x), [[0.1, 0.5], [0.3, -0.2]], traced)
    check_grad(lambda x: tf.scan(lambda a, e: a * e + 1.0, x), [0.5, 0.7, 1.1], traced)
    check_grad(lambda x: tf.foldl(lambda a, e: tf.sin(a) + e * a, x, initializer=x[0]),
               [0.5, 0.7, 1.1], traced)
    check_grad(lambda x: tf.foldr(lambda a, e: a * e, x), [0.5, 0.7, 1.1], traced)


@BOTH
def test_vectorized_map(traced):
    run = (lambda f, *a: run_traced(f, list(a))) if traced else (lambda f, *a: f(*a))
    x = c([[1.0, 2.0], [3.0, 4.0]])
    out = run(lambda x: tf.vectorized_map(lambda r: (tf.reduce_sum(r), r * 2.0), x), x)
    np.testing.assert_allclose(out[0].numpy(), [3.0, 7.0])
    np.testing.assert_allclose(out[1].numpy(), x.numpy() * 2)


# ------------------------------------------------------------------ TensorArray


def test_tensor_array_eager():
    ta = tf.TensorArray(tf.float32, size=3)
    ta = ta.write(0, c([1.0, 2.0])).write(2, c([5.0, 6.0]))
    np.testing.assert_allclose(ta.stack().numpy(), [[1, 2], [0, 0], [5, 6]])
    assert int(ta.size()) == 3 and ta.element_shape == tf.TensorShape([2])
    ta = tf.TensorArray(tf.float32, size=3).unstack(c([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(ta.gather([2, 0]).numpy(), [3.0, 1.0])
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True).scatter([1, 3], c([[1.0], [2.0]]))
    np.testing.assert_allclose(ta.stack().numpy(), [[0], [1], [0], [2]])
    ta = tf.TensorArray(tf.float32, size=2, infer_shape=False)
    ta = ta.write(0, c([1.0])).write(1, c([2.0, 3.0]))
    np.testing.assert_allclose(ta.concat().numpy(), [1, 2, 3])
    ta = tf.TensorArray(tf.float32, size=2).split(c([1.0, 2.0, 3.0]), [1, 2])
    np.testing.assert_allclose(ta.read(1).numpy(), [2, 3])
    assert tf.TensorArray(tf.float32, size=0).stack().shape == (0,)


def test_tensor_array_eager_errors():
    ta = tf.TensorArray(tf.float32, size=2)
    with pytest.raises(tf.errors.OutOfRangeError, match="not resizeable and size is: 2"):
        ta.write(2, 1.0)
    with pytest.raises(ValueError, match=r"Incompatible shape for value \(\(2,\)\)"):
        tf.TensorArray(tf.float32, size=2).write(0, c([1.0])).write(1, c([1.0, 2.0]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype is float32 but Op"):
        tf.TensorArray(tf.float32, size=2).write(0, c(3))
    with pytest.raises(tf.errors.OutOfRangeError, match="read from index 5"):
        tf.TensorArray(tf.float32, size=2).read(5)
    t = tf.TensorArray(tf.float32, size=2, clear_after_read=True).write(0, 1.0).write(1, 2.0)
    assert float(t.read(0)) == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="twice because it was cleared"):
        t.read(0)
    t = tf.TensorArray(tf.float32, size=1, clear_after_read=False).write(0, 1.0)
    assert float(t.read(0)) == float(t.read(0)) == 1.0


@BOTH
def test_tensor_array_in_while_loop(traced):
    def f(x):
        ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True)

        def body(i, ta):
            return i + 1, ta.write(i, x * tf.cast(i, tf.float32))

        _, ta = tf.while_loop(lambda i, ta: i < 4, body, (0, ta))
        return ta.stack(), ta.size(), ta.read(2), ta.gather([3, 1])

    s, n, r, g = run_traced(f, [c(2.0)]) if traced else f(c(2.0))
    np.testing.assert_allclose(s.numpy(), [0, 2, 4, 6])
    assert int(n) == 4 and float(r) == 4.0
    np.testing.assert_allclose(g.numpy(), [6.0, 2.0])


def test_tensor_array_traced_ops():
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3).unstack(x)
        ta2 = tf.TensorArray(tf.float32, size=2, infer_shape=False).split(
            tf.reshape(x, [-1]), [2, 4])
        return ta.read(1), ta.stack(), ta2.concat(), ta2.read(0)

    x = c([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    r, s, cc, r0 = run_traced(f, [x])
    np.testing.assert_allclose(r.numpy(), [3, 4])
    np.testing.assert_allclose(s.numpy(), x.numpy())
    np.testing.assert_allclose(cc.numpy(), x.numpy().reshape(-1))
    np.testing.assert_allclose(r0.numpy(), [1, 2])

    def bad(x):
        return tf.TensorArray(tf.float32, size=2).read(4)

    with pytest.raises(tf.errors.OutOfRangeError, match="read from index 4"):
        run_traced(bad, [x])


# ------------------------------------------------------------------ variables, tf.function


def test_variable_gradients_through_cond_and_while_traced():
    v = tf.Variable([1.0, 2.0])

    def f(x):
        with tf.GradientTape() as t:
            y = tf.cond(x > 0, lambda: tf.reduce_sum(v * v) * x, lambda: x)
            z = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * tf.reduce_sum(v)),
                              (0, y))[1]
        return z, t.gradient(z, v)

    # Values from TensorFlow 2.21.
    for x, want_z, want_g in ((2.0, 270.0, [378.0, 486.0]), (-2.0, -54.0, [-54.0, -54.0])):
        for run in (lambda x: run_traced(f, [c(x)]), lambda x: tf.function(f)(c(x)), f):
            z, g = run(x)
            assert float(z) == want_z
            np.testing.assert_allclose(g.numpy(), want_g)


def _nth_derivatives(f, x, order):
    """[f(x), f'(x), ..., f^(order)(x)] by nested tapes (x a scalar tensor)."""
    tapes = [tf.GradientTape(persistent=True) for _ in range(order)]
    for t in tapes:
        t.__enter__()
        t.watch(x)
    outs = [f(x)]
    for k in range(order):
        tapes[order - 1 - k].__exit__(None, None, None)
        outs.append(tapes[order - 1 - k].gradient(outs[-1], x))
    return outs


def _loop_fns():
    def power(x):  # x^4
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), (0, x))[1]

    def coupled(x):  # two loop variables and a captured tensor, nonlinear
        k = x * 0.5

        def body(i, a, b):
            return i + 1, tf.sin(a) * b + k, a * b - tf.cos(k * b)

        _, a, b = tf.while_loop(lambda i, a, b: i < 4, body, (0, x, x * x))
        return a * 3.0 + b

    def none(x):  # zero iterations
        return tf.while_loop(lambda i, y: i < 0, lambda i, y: (i + 1, y * x), (0, x * x))[1]

    return {"power": power, "coupled": coupled, "zero_iterations": none}


@pytest.mark.parametrize("name", ["power", "coupled", "zero_iterations"])
def test_traced_while_higher_order_equals_eager(name):
    fn = _loop_fns()[name]
    order = 3 if name == "power" else 2
    for x0 in (0.7, -1.3):
        x = c(x0, tf.float64)
        want = _nth_derivatives(fn, x, order)  # eager: the loop runs in Python under the tapes
        got = run_traced(lambda x: _nth_derivatives(fn, x, order), [x])
        for k, (g, w) in enumerate(zip(got, want)):
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-10, err_msg=f"order {k}")
    if name == "power":
        got = run_traced(lambda x: _nth_derivatives(fn, x, 3), [c(1.5, tf.float64)])
        np.testing.assert_allclose([float(v) for v in got], [1.5**4, 4 * 1.5**3, 12 * 2.25, 36])


def test_traced_while_second_order_on_variable():
    v = tf.Variable(1.5)

    @tf.function
    def f():
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = tf.while_loop(lambda i, a: i < 3, lambda i, a: (i + 1, a * v),
                                  [0, tf.constant(1.0)])[1]
            g = t1.gradient(y, v)
        return y, g, t2.gradient(g, v)

    y, g, gg = f()
    assert (float(y), float(g), float(gg)) == pytest.approx((1.5**3, 3 * 1.5**2, 6 * 1.5))


@BOTH
def test_tensor_array_gradients(traced):
    def stack_read(x):
        ta = tf.TensorArray(x.dtype, size=3, clear_after_read=False).unstack(x)
        ta = ta.write(1, ta.read(0) * ta.read(2))
        return ta.stack() * 2.0 + tf.reduce_sum(ta.gather([2, 2]), 0)

    check_grad(stack_read, [[0.5, 1.0], [1.5, -1.0], [0.3, 0.7]], traced)

    def scatter_concat(x):
        ta = tf.TensorArray(x.dtype, size=4).scatter([3, 0], x)
        ta2 = tf.TensorArray(x.dtype, size=2, infer_shape=False).split(
            tf.reshape(x, [-1]), [1, 3])
        return tf.reduce_sum(ta.concat() ** 2) + tf.reduce_sum(tf.sin(ta2.concat()))

    check_grad(scatter_concat, [[0.5, 1.0], [1.5, -1.0]], traced)

    def in_loop(x):
        ta = tf.TensorArray(x.dtype, size=0, dynamic_size=True)

        def body(i, y, ta):
            return i + 1, tf.sin(y) * x, ta.write(i, y * y)

        _, y, ta = tf.while_loop(lambda i, y, ta: i < 4, body, (0, x, ta))
        return tf.reduce_sum(ta.stack(), 0) + y

    check_grad(in_loop, [0.5, 1.2], traced)
    # map_fn's TensorArray path (output shapes unknown while tracing)
    check_grad(lambda x: tf.map_fn(lambda r: r[: tf.cast(tf.reduce_sum(r) > -9.0, tf.int32) + 1]
                                   * r[0], x), [[0.5, 1.0], [1.5, -1.0]], traced)


@BOTH
def test_while_loop_back_prop_false_stops_gradients(traced):
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.while_loop(lambda i, y: i < 2, lambda i, y: (i + 1, y * x), (0, x),
                              back_prop=False)[1]
            z = y + x
        return t.gradient(z, x)

    assert float(run_traced(f, [c(2.0)]) if traced else f(c(2.0))) == 1.0


def test_gradients_reuse_the_forward_random_draws():
    # The gradient replays the branch/body: it must see the values the forward run drew.
    def f(x):
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = tf.cond(x[0] > 0, lambda: x * tf.random.uniform([4], 0.5, 1.5), lambda: x)
            z = tf.while_loop(lambda i, z: i < 3,
                              lambda i, z: (i + 1, z * tf.random.uniform([4], 0.5, 1.5)),
                              (0, x))[1]
        return y / x, t.gradient(y, x), z / x, t.gradient(z, x)

    for _ in range(2):
        ry, gy, rz, gz = run_traced(f, [c([1.0, 2.0, 3.0, 4.0])])
        np.testing.assert_allclose(gy.numpy(), ry.numpy(), rtol=1e-6)
        np.testing.assert_allclose(gz.numpy(), rz.numpy(), rtol=1e-6)
        assert len(set(np.round(ry.numpy(), 6))) > 1  # really random


def test_gradient_across_a_function_call():
    @tf.function
    def f(x):
        y = tf.cond(x > 0, lambda: x * x, lambda: -x)
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), (0, y))[1]

    x = c(1.5)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    assert float(t.gradient(y, x)) == pytest.approx(5 * 1.5**4)

    @tf.function
    def g(x):
        return tf.while_loop(lambda i, y: i < 3,
                             lambda i, y: (i + 1, y * tf.random.uniform([])), (0, x))[1]

    with tf.GradientTape() as t:
        t.watch(x)
        y = g(x)
    with pytest.raises(NotImplementedError, match="draws random values"):
        t.gradient(y, x)


# ------------------------------------------------------------------ composite values


def test_cond_returns_composites_traced_with_gradients():
    v = tf.Variable(2.0)

    @tf.function
    def f(p, s):
        with tf.GradientTape() as t:
            r = tf.cond(p, lambda: tf.ragged.constant([[1.0], [2.0, 3.0]]) * v,
                        lambda: tf.ragged.constant([[1.0]]) * v * v)
            y = tf.reduce_sum(r)
        sp = tf.cond(p, lambda: s * 2.0, lambda: tf.sparse.SparseTensor([[0, 0]], [7.0], [2, 2]))
        return r, t.gradient(y, v), tf.sparse.to_dense(sp)

    s = tf.sparse.SparseTensor([[1, 1]], [3.0], [2, 2])
    r, g, d = f(tf.constant(True), s)
    assert isinstance(r, tf.RaggedTensor) and r.to_list() == [[2.0], [4.0, 6.0]]
    assert float(g) == 6.0 and d.numpy().tolist() == [[0, 0], [0, 6]]
    r, g, d = f(tf.constant(False), s)
    assert r.to_list() == [[4.0]] and float(g) == 4.0 and d.numpy().tolist() == [[7, 0], [0, 0]]


def test_while_loop_composite_loop_vars():
    def m():
        return tf.while_loop(lambda i, r: i < 2, lambda i, r: (i + 1, r * 2.0),
                             (0, tf.ragged.constant([[1.0], [2.0, 3.0]])))

    _, r = m()  # eagerly the loop is Python and any value can be a loop variable
    assert isinstance(r, tf.RaggedTensor) and r.to_list() == [[4.0], [8.0, 12.0]]
    with pytest.raises(NotImplementedError, match="composite loop variables"):
        tf.function(m)()
