"""tf.GradientTape and tf.autodiff.ForwardAccumulator: recording rules, higher orders, structures,
jacobians and errors, compared with closed forms, finite differences and TensorFlow 2.21."""

import numpy as np
import pytest

import tensorflux as tf


def _close(a, b, tol=1e-5):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


def test_basic_and_non_persistent_reuse():
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    assert g.gradient(y, x).numpy() == 6.0
    with pytest.raises(RuntimeError) as info:
        g.gradient(y, x)
    assert str(info.value) == (
        "A non-persistent GradientTape can only be used to compute one set of gradients "
        "(or jacobians)"
    )
    with pytest.raises(RuntimeError):
        g.jacobian(y, x)


def test_persistent_and_inside_context():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x * x
        dy = g.gradient(y, x)  # recorded on the tape itself: differentiable again
        d2 = g.gradient(dy, x)
    assert (dy.numpy(), d2.numpy()) == (27.0, 18.0)
    assert g.gradient(y, x).numpy() == 27.0
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
        assert g.gradient(y, x).numpy() == 6.0  # a non-persistent tape stops recording here


def test_nested_third_order():
    x = tf.constant(3.0)
    with tf.GradientTape() as g1:
        g1.watch(x)
        with tf.GradientTape() as g2:
            g2.watch(x)
            with tf.GradientTape() as g3:
                g3.watch(x)
                y = x * x * x * x
            d1 = g3.gradient(y, x)
        d2 = g2.gradient(d1, x)
    d3 = g1.gradient(d2, x)
    assert (d1.numpy(), d2.numpy(), d3.numpy()) == (108.0, 108.0, 72.0)


def test_unwatched_int_and_string_sources():
    x = tf.constant(3.0)
    with tf.GradientTape() as g:
        y = x * 2
    assert g.gradient(y, x) is None
    i = tf.constant(3)
    with tf.GradientTape() as g:
        g.watch(i)
        y = i * i
    assert g.gradient(y, i) is None
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.cast(x, tf.int32)
    assert g.gradient(y, x) is None
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * 2
    assert g.gradient(y, tf.constant(["a"])) is None


def test_unconnected_gradients():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * 2
    other = tf.constant([1.0, 2.0])
    assert g.gradient(y, other) is None
    z = g.gradient(y, [x, other], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert z[0].numpy() == 2.0 and z[1].numpy().tolist() == [0.0, 0.0]
    assert g.gradient(y, other, unconnected_gradients="zero").shape == (2,)
    with pytest.raises(ValueError) as info:
        g.gradient(y, x, unconnected_gradients="foo")
    assert str(info.value) == "Unknown value for unconnected_gradients: 'foo'"


def test_watch_accessed_variables_false_and_trainable():
    v = tf.Variable(2.0)
    with tf.GradientTape(watch_accessed_variables=False) as g:
        y = v * v
    assert g.gradient(y, v) is None and g.watched_variables() == ()
    with tf.GradientTape(watch_accessed_variables=False) as g:
        g.watch(v)
        y = v * v
    assert g.gradient(y, v).numpy() == 4.0


def test_stop_recording_and_reset():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
        with g.stop_recording():
            z = y * y
    assert g.gradient(z, x) is None
    assert g.gradient(y, x).numpy() == 6.0
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
        g.reset()
        z = x * 3.0
    assert g.gradient(y, x) is None  # forgotten, and x is no longer watched
    with tf.GradientTape() as g:
        g.watch(x)
        g.reset()
        g.watch(x)
        z = x * 3.0
    assert g.gradient(z, x).numpy() == 3.0


def test_output_gradients_and_structures():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
    assert g.gradient(y, x, output_gradients=tf.constant(2.0)).numpy() == 12.0
    both = g.gradient([y, y], x, output_gradients=[tf.constant(2.0), tf.constant(3.0)])
    assert both.numpy() == 30.0
    out = g.gradient({"a": y, "b": [y]}, {"k": x, "j": (x,)})
    assert set(out) == {"k", "j"} and isinstance(out["j"], tuple)
    assert out["k"].numpy() == 12.0 and out["j"][0].numpy() == 12.0


def test_errors():
    g = tf.GradientTape()
    with pytest.raises(ValueError, match="Passed in object 1.0 of type 'float', not tf.Tensor"):
        g.watch([1.0])
    x = tf.constant(1.0)
    with tf.GradientTape() as g:
        g.watch(x)
    with pytest.raises(TypeError, match="Argument `target` should be a list or nested structure"):
        g.gradient(None, x)
    g2 = tf.GradientTape()
    g2.__enter__()
    with pytest.raises(ValueError, match="Tape is still recording"):
        g2.__enter__()
    g2.__exit__(None, None, None)


def _numeric_jacobian(f, x, eps=1e-6):
    x = np.asarray(x, np.float64)
    y0 = np.asarray(f(x))
    jac = np.zeros(y0.shape + x.shape)
    for idx in np.ndindex(*x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        jac[(Ellipsis,) + idx] = (np.asarray(f(x + d)) - np.asarray(f(x - d))) / (2 * eps)
    return jac


def test_jacobian_matches_numerical():
    a = np.array([[1.0, 2.0], [3.0, 4.0]])
    x = tf.constant(a)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = tf.sin(x) * x
    want = _numeric_jacobian(lambda v: np.sin(v) * v, a)
    _close(g.jacobian(y, x).numpy(), want)
    bj = g.batch_jacobian(y, x).numpy()
    _close(bj, np.stack([want[i, :, i, :] for i in range(2)]))
    outside = g.jacobian(tf.reduce_sum(y), x)  # an op run after recording is not on the tape
    assert outside is None


def test_jacobian_with_variables_and_unconnected():
    v = tf.Variable([1.0, 2.0, 3.0], dtype=tf.float64)
    c = tf.constant([1.0, 1.0], tf.float64)
    with tf.GradientTape(persistent=True) as g:
        y = v * v
    _close(g.jacobian(y, v).numpy(), np.diag([2.0, 4.0, 6.0]))
    assert g.jacobian(y, c) is None
    _close(g.jacobian(y, c, unconnected_gradients="zero").numpy(), np.zeros((3, 2)))


def test_forward_accumulator_jvp():
    x = tf.constant([1.0, 2.0, 3.0], tf.float64)
    tangent = tf.constant([1.0, 0.5, -1.0], tf.float64)
    with tf.autodiff.ForwardAccumulator(x, tangent) as acc:
        y = tf.reduce_sum(tf.sin(x) * x)
        z = tf.exp(x) / (1.0 + x)
        q = tf.constant(3.0) * 2.0
        w = tf.gather(x, [1, 1, 0])
    xv, t = x.numpy(), tangent.numpy()
    _close(acc.jvp(y).numpy(), np.sum((np.cos(xv) * xv + np.sin(xv)) * t))
    _close(acc.jvp(z).numpy(), np.exp(xv) * xv / (1 + xv) ** 2 * t)
    _close(acc.jvp(w).numpy(), t[[1, 1, 0]])
    assert acc.jvp(q) is None and acc.jvp(q, unconnected_gradients="zero").numpy() == 0.0
    assert acc.jvp(x) is tangent
    nested = acc.jvp([y, {"a": z}])
    _close(nested[1]["a"].numpy(), acc.jvp(z).numpy())


def test_forward_accumulator_variables_and_hvp():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with tf.autodiff.ForwardAccumulator(v, tf.ones([2, 2])) as acc:
        y = tf.matmul(v, v)
    vv = v.numpy()
    _close(acc.jvp(y).numpy(), np.ones((2, 2)) @ vv + vv @ np.ones((2, 2)))
    x = tf.constant([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:  # forward over back
        with tf.GradientTape() as g:
            g.watch(x)
            y = tf.reduce_sum(x * x * x)
        grad = g.gradient(y, x)
    _close(acc.jvp(grad).numpy(), [6.0, 0.0])
    with tf.GradientTape() as g:  # back over forward
        g.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 0.0])) as acc:
            y = tf.reduce_sum(x * x * x)
        j = acc.jvp(y)
    _close(g.gradient(j, x).numpy(), [6.0, 0.0])
    s = tf.constant(2.0)
    with tf.autodiff.ForwardAccumulator(s, tf.constant(1.0)) as outer:
        with tf.autodiff.ForwardAccumulator(s, tf.constant(1.0)) as inner:
            y = s * s * s
        d1 = inner.jvp(y)
    assert (d1.numpy(), outer.jvp(d1).numpy()) == (12.0, 12.0)
    assert tf.autodiff.GradientTape is tf.GradientTape
