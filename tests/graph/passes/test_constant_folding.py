import numpy as np

import tensorflux as tf
from tensorflux._src.graph.passes.constant_folding import constant_folding
from tensorflux._src.graph.trace import trace

from ._util import ops_of, run_pass, spec, types


def test_constant_subgraph_folded():
    def f(x):
        c = tf.constant([1.0, 2.0, 3.0]) * 2.0 + tf.exp(tf.constant(0.5))
        return x * c

    g, g2 = run_pass(f, [spec([3])], constant_folding)
    assert types(g).count("Const") == 3 and "Exp" in types(g)
    (mul,) = ops_of(g2, "Mul")
    folded = mul.inputs[1].op
    assert folded.type == "Const" and folded.name == "AddV2"
    np.testing.assert_array_equal(
        folded.get_attr("value"), np.float32([1, 2, 3]) * np.float32(2) + np.exp(np.float32(0.5))
    )


def test_shape_of_known_shape_folded_unknown_kept():
    def f(x, y):
        return tf.cast(tf.shape(x), tf.float32), tf.shape(y), tf.size(x), tf.rank(y)

    g, g2 = run_pass(f, [spec([2, 3]), spec([None, 3])], constant_folding)
    assert types(g2).count("Shape") == 1 and ops_of(g2, "Shape")[0].inputs[0].op.name == "y"
    assert "Size" not in types(g2) and "Rank" not in types(g2) and "Cast" not in types(g2)


def test_stateful_and_placeholder_dependent_ops_not_folded():
    def f(x):
        r = tf.random.uniform([3], seed=1)
        return x + tf.constant(1.0), r * tf.constant(0.0)

    g, phs, outs = trace(f, [spec([3])])
    g2, outs2, n = constant_folding(g, list(outs))
    assert n == 0
    assert types(g2) == types(g)


def test_size_bound_and_kernel_errors_left_to_run_time():
    def f(x):
        big = tf.fill([300, 300], 1.0)  # 90000 elements > MAX_ELEMENTS
        small = tf.fill([2], 1.0)
        return x + tf.reduce_sum(big), small

    g, g2 = run_pass(f, [spec([])], constant_folding)
    assert len(ops_of(g2, "Fill")) == 1 and ops_of(g2, "Fill")[0].outputs[0].shape == [300, 300]
    g, g2 = run_pass(f, [spec([])], constant_folding, max_elements=10**6)
    assert "Fill" not in types(g2) and "Sum" not in types(g2)


def test_multi_output_and_integer_ops():
    def f(x):
        a, b = tf.unstack(tf.constant([[1, 2], [3, 4]]))
        return x * (a // b), b % 3

    g, g2 = run_pass(f, [spec([2], "int32")], constant_folding)
    assert "Unpack" in types(g) and "Unpack" not in types(g2)
    assert "FloorDiv" not in types(g2) and "FloorMod" not in types(g2)
    assert types(g2).count("Mul") == 1


def test_ops_with_control_inputs_not_folded():
    def f(x):
        y = tf.exp(x)
        with y.graph.control_dependencies([y]):
            c = tf.constant(2.0) * 3.0
        return c + x

    g, g2 = run_pass(f, [spec([3])], constant_folding)
    (mul,) = ops_of(g2, "Mul")
    assert [c.type for c in mul.control_inputs] == ["Exp"]


def test_division_by_zero_folds_to_ieee_values():
    def f(x):
        return x + tf.constant([1.0, -1.0, 0.0]) / tf.constant(0.0)

    g, g2 = run_pass(f, [spec([3])], constant_folding)
    assert "RealDiv" not in types(g2)
