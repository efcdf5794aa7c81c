import numpy as np

import tensorflux as tf
from tensorflux._src.graph.passes.dead_branch import dead_branch
from tensorflux._src.graph.passes.pipeline import optimize
from tensorflux._src.graph.trace import trace

from ._util import ops_of, run_pass, spec, types


def _const_pred(x):
    return tf.cond(tf.constant(True), lambda: tf.sin(x) * 2.0, lambda: tf.cos(x))


def test_constant_predicate_inlines_the_taken_branch():
    g, g2 = run_pass(_const_pred, [spec([3])], dead_branch)
    assert ops_of(g, "StatelessIf") and not ops_of(g2, "StatelessIf")
    assert "Sin" in types(g2) and "Cos" not in types(g2)


def test_false_predicate_and_case_index():
    def f(x):
        a = tf.cond(tf.constant(False), lambda: x + 1.0, lambda: x - 1.0)
        b = tf.switch_case(tf.constant(1), [lambda: x * 3.0, lambda: x * 5.0, lambda: -x])
        return a + b

    g, g2 = run_pass(f, [spec([2])], dead_branch)
    assert not [op for op in g2.get_operations() if op.type in ("StatelessIf", "StatelessCase")]
    vals = np.array([1.0, 2.0], np.float32)
    assert tf.function(f)(vals).numpy().tolist() == (vals - 1 + vals * 5).tolist()


def test_tensor_predicate_is_left_alone():
    def f(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: -x)

    g, g2 = run_pass(f, [spec([3])], dead_branch)
    assert len(ops_of(g2, "StatelessIf")) == 1


def test_folded_static_shape_test_becomes_dead_branch_in_the_pipeline():
    def f(x):
        return tf.cond(tf.shape(x)[0] > 2, lambda: tf.exp(x), lambda: tf.zeros_like(x))

    g, _, outs = trace(f, [spec([4])])
    g2, outs2 = optimize(g, [outs])
    assert not ops_of(g2, "StatelessIf") and "Exp" in types(g2)


def test_stateful_branch_keeps_its_ops_in_order():
    v = tf.Variable(1.0)

    @tf.function
    def f():
        tf.cond(tf.constant(True), lambda: v.assign_add(2.0), lambda: v.assign_sub(1.0))
        return v.read_value()

    assert float(f()) == 3.0 and float(f()) == 5.0
