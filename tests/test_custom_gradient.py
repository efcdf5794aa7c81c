"""tf.custom_gradient, tf.recompute_grad, tf.RegisterGradient and tf.no_gradient."""

import numpy as np
import pytest

import tensorflux as tf


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


def test_replaces_the_gradient():
    x = tf.constant(100.0)
    with tf.GradientTape() as g:
        g.watch(x)
        y = log1pexp(x)
    assert g.gradient(y, x).numpy() == 1.0  # the naive gradient would be nan
    assert log1pexp.__name__ == "log1pexp"
    np.testing.assert_allclose(log1pexp(tf.constant(0.0)).numpy(), np.log(2.0), rtol=1e-6)


def test_several_inputs_and_outputs():
    @tf.custom_gradient
    def two(a, b):
        def grad(dy1, dy2):
            return dy1 * 3.0, dy2 * 5.0

        return (a * 1.0, b * 1.0), grad

    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as g:
        g.watch([a, b])
        r = two(a, b)
        z = r[0] + r[1] * 2.0
    assert isinstance(r, tuple)
    assert [t.numpy() for t in g.gradient(z, [a, b])] == [3.0, 10.0]


def test_variables_keyword():
    v = tf.Variable(2.0)
    x = tf.constant(3.0)

    @tf.custom_gradient
    def use_v(x):
        def grad(dy, variables=None):
            return dy * 10.0, [dy * 100.0 for _ in variables]

        return x * v, grad

    with tf.GradientTape() as g:
        g.watch(x)
        y = use_v(x)
    assert [t.numpy() for t in g.gradient(y, [x, v])] == [10.0, 100.0]

    @tf.custom_gradient
    def no_kw(x):
        def grad(dy):
            return dy

        return x * v, grad

    with pytest.raises(TypeError, match="grad_fn must accept keyword argument 'variables'"):
        no_kw(x)


def test_wrong_gradient_counts():
    x = tf.constant(3.0)
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def two_grads(x):
        return x * 2.0, lambda dy: (dy, dy)

    with tf.GradientTape() as g:
        g.watch(x)
        y = two_grads(x)
    with pytest.raises(ValueError) as info:
        g.gradient(y, x)
    assert str(info.value) == (
        "custom_gradient function expected to return 1 gradients, but returned 2 instead."
    )

    @tf.custom_gradient
    def no_var_grads(x):
        def grad(dy, variables=None):
            return dy, []

        return x * v, grad

    with tf.GradientTape() as g:
        g.watch(x)
        y = no_var_grads(x)
    with pytest.raises(ValueError, match="Must return gradient for each variable"):
        g.gradient(y, x)


def test_higher_order_through_custom_gradient():
    @tf.custom_gradient
    def cube(x):
        def grad(dy):
            return dy * 3.0 * x * x

        return x * x * x, grad

    x = tf.constant(2.0)
    with tf.GradientTape() as g2:
        g2.watch(x)
        with tf.GradientTape() as g1:
            g1.watch(x)
            y = cube(x)
        d1 = g1.gradient(y, x)
    assert (d1.numpy(), g2.gradient(d1, x).numpy()) == (12.0, 12.0)

    @tf.custom_gradient
    def clip_grad(x):
        return x * 1.0, lambda dy: tf.clip_by_value(dy, -0.1, 0.1)

    with tf.GradientTape() as g:
        g.watch(x)
        y = clip_grad(x * x)
    assert np.isclose(g.gradient(y, x).numpy(), 0.4)


def test_forward_mode_ignores_custom_gradient():
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: dy * 7.0

    x = tf.constant([1.0, 1.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0])) as acc:
        y = f(x)
    assert acc.jvp(y).numpy().tolist() == [2.0, 2.0]


def test_recompute_grad_matches_plain_gradient():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])

    def block(h):
        return tf.tanh(tf.matmul(h, w))

    rb = tf.recompute_grad(block)
    h = tf.constant([[0.1, 0.2]])
    with tf.GradientTape(persistent=True) as g:
        g.watch(h)
        o1 = tf.reduce_sum(rb(h))
        o2 = tf.reduce_sum(block(h))
    g1, g2 = g.gradient(o1, [h, w]), g.gradient(o2, [h, w])
    for a, b in zip(g1, g2):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)
    np.testing.assert_allclose(o1.numpy(), o2.numpy())


def test_register_gradient_and_no_gradient():
    with pytest.raises(TypeError, match="op_type must be a string"):
        tf.RegisterGradient(3)
    with pytest.raises(TypeError, match="op_type must be a string"):
        tf.no_gradient(3)
    with pytest.raises(KeyError, match="Registering two gradient with name 'Sin'!"):
        tf.RegisterGradient("Sin")(lambda op, g: g)
    with pytest.raises(KeyError, match="Registering two gradient with name 'Sin'!"):
        tf.no_gradient("Sin")
    tf.no_gradient("TfxTestOpWithoutGradient")
    fn = tf.RegisterGradient("TfxTestOpWithGradient")(lambda op, g: g)
    assert callable(fn)
    with pytest.raises(KeyError):
        tf.RegisterGradient("TfxTestOpWithGradient")(lambda op, g: g)


def test_grad_pass_through_forward_is_f_gradient_is_identity():
    a = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(a)
        y = tf.grad_pass_through(lambda t: tf.round(t * 3.0))(a)
        s = tf.reduce_sum(y * y)
    np.testing.assert_allclose(y.numpy(), [3.0, 6.0])
    np.testing.assert_allclose(tape.gradient(s, a).numpy(), [6.0, 12.0])  # 2y, not 0


def test_grad_pass_through_around_a_variable_assignment():
    x = tf.Variable(1.0)
    z = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = tf.grad_pass_through(x.assign)(z**2)
    assert float(tape.gradient(y, z)) == 6.0 and float(x.numpy()) == 9.0

    @tf.function
    def step():
        with tf.GradientTape() as t:
            out = tf.grad_pass_through(x.assign)(z * 2.0)
        return t.gradient(out, z)

    assert float(step()) == 2.0 and float(x.numpy()) == 6.0
