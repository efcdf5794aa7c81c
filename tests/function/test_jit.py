"""tf.function(jit_compile=True): XLA through JAX when installed, same numbers as the executor."""

import logging

import numpy as np
import pytest

import tensorflux as tf

jax = pytest.importorskip("jax")


def _model():
    rng = np.random.default_rng(0)
    w = tf.Variable(rng.normal(0, 0.1, (6, 4)).astype("float32"))
    b = tf.Variable(np.zeros(4, "float32"))
    return w, b


def _step_fn(w, b):
    def step(x, y):
        with tf.GradientTape() as tape:
            logits = tf.matmul(x, w) + b
            loss = tf.reduce_mean(tf.square(logits - tf.one_hot(y, 4)))
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * gw)
        b.assign_add(-0.1 * gb)
        return loss

    return step


def test_jit_step_matches_executor_and_updates_variables():
    x = tf.constant(np.random.default_rng(1).random((8, 6), dtype=np.float32))
    y = tf.constant(np.arange(8) % 4)
    w1, b1 = _model()
    w2, b2 = _model()
    plain = tf.function(_step_fn(w1, b1))
    jitted = tf.function(_step_fn(w2, b2), jit_compile=True)
    for _ in range(3):
        np.testing.assert_allclose(float(jitted(x, y)), float(plain(x, y)), rtol=1e-5)
    np.testing.assert_allclose(w2.numpy(), w1.numpy(), rtol=1e-5, atol=1e-6)
    ex = jitted.get_concrete_function(x, y)._executor
    assert type(ex).__name__ == "JaxPlan" and not ex._broken
    w2.assign_add(tf.ones_like(w2))  # the variable stays writable after a jitted update
    assert ex._written  # the program stored its assignments back


def test_unlowerable_graph_falls_back_with_a_warning(caplog):
    @tf.function(jit_compile=True)
    def f(x):
        return x + tf.random.uniform([3])

    with caplog.at_level(logging.WARNING, logger="tensorflux"):
        out = f(tf.zeros([3]))
    assert out.shape == (3,) and any("runs without XLA" in r.message for r in caplog.records)
