import numpy as np

import tensorflux as tf
from tensorflux._src.graph.executor import Executor
from tensorflux._src.graph.passes.prune import prune
from tensorflux._src.graph.trace import trace

from ._util import ops_of, run_pass, spec, types


def test_dead_ops_removed():
    def f(x):
        _ = tf.exp(x) * 3.0  # dead
        return tf.sin(x) + 1.0

    g, g2 = run_pass(f, [spec([2, 3])], prune)
    assert "Exp" in types(g) and "Exp" not in types(g2)
    assert sorted(types(g2)) == ["AddV2", "Const", "Placeholder", "Sin"]


def test_unused_argument_placeholder_kept():
    def f(x, y):
        return x * 2.0

    g, g2 = run_pass(f, [spec([3]), spec([3])], prune)
    assert len(ops_of(g2, "Placeholder")) == 2


def test_multi_output_op_partly_used():
    def f(x):
        a, b, c = tf.split(x, 3)
        return a * 2.0

    g, g2 = run_pass(f, [spec([6])], prune)
    assert len(ops_of(g2, "Split")) == 1 and len(ops_of(g2, "Split")[0].outputs) == 3


def test_stateful_ops_kept_in_order_and_unused_captures_dropped():
    v = tf.Variable(1.0)
    big = tf.constant(np.ones((20, 20), np.float32))  # captured as a placeholder

    def f(x):
        v.assign_add(2.0)
        _ = big * 2.0  # dead: its capture goes too
        r = v.read_value()
        v.assign(5.0)
        return x + r

    g, phs, outs = trace(f, [spec([3])])
    g2, outs2, n = prune(g, [outs])
    assert n >= 2
    assert types(g2).count("Mul") == 0 and len(g2.captures) == 1 and len(g.captures) == 2
    order = [op.type for op in g2.get_operations() if op.op_def.stateful]
    assert order == ["AssignAddVariableOp", "ReadVariableOp", "AssignVariableOp"]
    x = np.arange(3, dtype=np.float32)
    v.assign(1.0)
    (r1,) = Executor(g, phs, [outs])(x)
    assert v.numpy() == 5.0
    v.assign(1.0)
    (r2,) = Executor(g2, g2.inputs, outs2)(x)
    np.testing.assert_array_equal(r1.numpy(), r2.numpy())
    np.testing.assert_array_equal(r2.numpy(), x + 3.0)
    assert v.numpy() == 5.0


def test_control_inputs_keep_their_targets():
    def f(x):
        y = tf.exp(x)
        with y.graph.control_dependencies([y]):
            z = tf.identity(x)
        return z

    g, g2 = run_pass(f, [spec([3])], prune)
    assert "Exp" in types(g2)
    (ident,) = ops_of(g2, "Identity")
    assert [c.type for c in ident.control_inputs] == ["Exp"]
