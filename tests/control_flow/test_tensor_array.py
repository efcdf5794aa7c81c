"""TensorArray gradients through traced loops."""

import numpy as np

import tensorflux as tf


def test_gradient_through_list_captured_by_a_traced_while():
    # The list is built outside the loop and only read inside: its gradient flows back through
    # the loop's captured (loop-invariant) list input.
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3).unstack(x)

        def body(i, acc):
            return i + 1, acc + ta.read(i) ** 2

        return tf.while_loop(lambda i, a: i < 3, body, [tf.constant(0), tf.constant(0.0)])[1]

    x = tf.constant([1.0, 2.0, 3.0])
    for fn in (f, tf.function(f)):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])
