"""tf.function runs the optimized graph (same values) and honours tf.config.optimizer flags."""

import numpy as np

import tensorflux as tf
from tensorflux._src.core import context


def _fn():
    @tf.function
    def f(x):
        c = tf.constant(2.0) * tf.constant(3.0)  # folds to one constant
        y = (x * 1.0 + 0.0) * c  # x*1 and the +(-0)-free chain simplify
        z = (x * 1.0 + 0.0) * c  # a common subexpression
        unused = tf.exp(x)  # dead
        del unused
        return y + z

    return f


def test_optimized_graph_is_smaller_and_gives_the_same_values():
    f = _fn()
    x = tf.constant([1.0, -2.0, 3.5])
    out = f(x)
    np.testing.assert_allclose(out.numpy(), 12.0 * x.numpy())
    cf = f.get_concrete_function(x)
    assert len(cf.optimized_graph.get_operations()) < len(cf.graph.get_operations())
    types = [op.type for op in cf.optimized_graph.get_operations()]
    assert "Exp" not in types


def test_disable_meta_optimizer_keeps_the_traced_graph():
    saved = dict(context.OPTIMIZER_OPTIONS)
    tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    try:
        f = _fn()
        x = tf.constant([1.0, 2.0])
        np.testing.assert_allclose(f(x).numpy(), 12.0 * x.numpy())
        cf = f.get_concrete_function(x)
        assert [o.type for o in cf.optimized_graph.get_operations()].count("Exp") == 1
    finally:
        context.OPTIMIZER_OPTIONS.clear()
        context.OPTIMIZER_OPTIONS.update(saved)
