"""tf.gradients: symbolic gradients while a graph is built (tf.function and tf.Graph)."""

import numpy as np
import pytest

import tensorflux as tf


def test_eager_call_raises_as_tensorflow():
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        tf.gradients(tf.constant(1.0), tf.constant(2.0))


def test_gradients_in_function_match_the_tape():
    w = tf.Variable([1.0, 2.0])

    @tf.function
    def symbolic(x):
        y = tf.reduce_sum(w * x * x)
        c = tf.cond(x[0] > 0, lambda: y * 2.0, lambda: y)
        _, acc = tf.while_loop(
            lambda i, a: i < 3, lambda i, a: (i + 1, a * x[1]), [0, tf.constant(1.0)]
        )
        return tf.gradients(y, [x, w]) + tf.gradients(c, x) + tf.gradients(acc, x)

    x = tf.constant([1.5, -2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reduce_sum(w * x * x)
        c = y * 2.0
        acc = x[1] ** 3
    want = tape.gradient(y, [x, w]) + [tape.gradient(c, x), tape.gradient(acc, x)]
    for got, ref in zip(symbolic(x), want):
        np.testing.assert_allclose(got.numpy(), ref.numpy(), rtol=1e-6)


def test_grad_ys_stop_gradients_unconnected_and_second_order():
    @tf.function
    def f(x):
        y = x * x
        return (
            tf.gradients(y, [x], grad_ys=[tf.constant(2.0)])[0],
            tf.gradients(tf.constant(3.0), x),
            tf.gradients(tf.constant(3.0), x, unconnected_gradients="zero")[0],
            tf.gradients([y, 2.0 * x], x)[0],
            tf.gradients(y * x, x, stop_gradients=[y])[0],
            tf.gradients(tf.gradients(y * x, x)[0], x)[0],
        )

    scaled, none, zero, summed, stopped, second = f(tf.constant(3.0))
    assert float(scaled) == 12.0 and none == [None] and float(zero) == 0.0
    assert float(summed) == 8.0 and float(stopped) == 9.0 and float(second) == 18.0


def test_gradients_in_a_tf1_graph_run_by_a_session():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None])
        w = tf.Variable(2.0)
        loss = tf.reduce_sum((w * x - 1.0) ** 2)
        (grad,) = tf.gradients(loss, [w])
        assert grad.op.name.startswith("gradients/")
        train = w.assign_sub(0.01 * grad)
        with tf.compat.v1.Session() as sess:
            for _ in range(20):
                sess.run(train, {x: [1.0, 2.0]})
            assert round(float(sess.run(w)), 4) == 0.7702  # TensorFlow 2.21 gives the same


def test_outside_tensors_are_their_captured_nodes():
    outside = tf.constant(1.0)

    @tf.function
    def f(x):
        return tf.gradients(x * outside, outside)[0], tf.gradients(x * 2.0, outside)

    used, unused = f(tf.constant(3.0))
    assert float(used) == 3.0 and unused == [None]  # as TensorFlow 2.21


def test_sources_must_be_tensors_of_the_graph():
    @tf.function
    def f(x):
        return tf.gradients(x * 2.0, [1.0])

    with pytest.raises(ValueError, match="must be a tensor of the graph being built"):
        f(tf.constant(1.0))


def test_hessians():
    @tf.function
    def f(x):
        y = tf.reduce_sum(x**3) + x[0, 0] * x[1, 1]
        return tf.hessians(y, x)[0], tf.hessians([y, 2.0 * y], [x])[0]

    h, h3 = f(tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    want = np.diag([6.0, 12.0, 18.0, 24.0])
    want[0, 3] = want[3, 0] = 1.0
    assert h.shape == (2, 2, 2, 2)
    np.testing.assert_allclose(h.numpy().reshape(4, 4), want)
    np.testing.assert_allclose(h3.numpy().reshape(4, 4), 3.0 * want)  # of sum(ys), as TF
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        tf.hessians(tf.constant(1.0), tf.constant(2.0))

    @tf.function
    def unconnected(x, z):
        return tf.hessians(tf.reduce_sum(x**3), [x, z])

    with pytest.raises(ValueError, match="None values not supported"):
        unconnected(tf.constant([1.0]), tf.constant(1.0))
