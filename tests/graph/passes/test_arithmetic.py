import numpy as np

import tensorflux as tf
from tensorflux._src.graph.passes.arithmetic import arithmetic
from tensorflux._src.graph.passes.prune import prune
from tensorflux._src.ops import math_ops

from ._util import ops_of, run_pass, spec, types


def _simplify(g, outs):
    g2, outs2, n = arithmetic(g, outs)
    g3, outs3, _ = prune(g2, outs2)
    return g3, outs3, n


def test_neutral_elements_removed():
    def f(x):
        y = x * 1.0
        y = 1.0 * y
        y = y / tf.constant([1.0, 1.0, 1.0])
        y = y - 0.0
        return tf.sin(y)

    g, g2 = run_pass(f, [spec([None, 3])], _simplify)
    assert types(g2) == ["Placeholder", "Sin"]
    assert ops_of(g2, "Sin")[0].inputs[0].op.type == "Placeholder"


def test_float_plus_zero_kept_integer_plus_zero_removed():
    def f(x, i):
        return x + 0.0, x + tf.constant(-0.0), i + 0, x - tf.constant(-0.0)

    g, g2 = run_pass(f, [spec([3]), spec([3], "int32")], _simplify)
    assert types(g2).count("AddV2") == 1 and types(g2).count("Sub") == 1
    (add,) = ops_of(g2, "AddV2")
    assert add.inputs[1].op.get_attr("value") == 0.0
    assert not np.signbit(add.inputs[1].op.get_attr("value"))
    # -0.0 + 0.0 is +0.0, which run_pass's bit-exact comparison would catch if it were dropped


def test_broadcasting_constants_that_grow_the_shape_kept():
    def f(x, s, z):
        ones = lambda *s: tf.constant(np.ones(s, np.float32))  # noqa: E731
        return x * ones(2, 3), s * ones(2), z * ones(1, 3)

    g, g2 = run_pass(f, [spec([3]), spec([]), spec([None, 3])], _simplify)
    assert types(g2).count("Mul") == 2


def test_complex_and_bool_left_alone():
    def f(x):
        c = tf.complex(x, x)
        return c * tf.constant(1 + 0j, tf.complex64)

    g, g2 = run_pass(f, [spec([3])], _simplify)
    assert types(g2).count("Mul") == 1


def test_double_negation_identity_and_same_type_cast():
    def f(x):
        y = -(-x)
        y = tf.identity(tf.identity(y))
        return math_ops.Cast(y, DstT=tf.float32), math_ops.Cast(y, DstT=tf.float64)

    g, g2 = run_pass(f, [spec([2, 2])], _simplify)
    assert "Neg" not in types(g2) and "Identity" not in types(g2)
    assert types(g2).count("Cast") == 1
    assert ops_of(g2, "Cast")[0].outputs[0].dtype is tf.float64


def test_identity_with_control_inputs_kept():
    def f(x):
        y = tf.exp(x)
        with y.graph.control_dependencies([y]):
            z = tf.identity(x)
        return z * 1.0

    g, g2 = run_pass(f, [spec([3])], _simplify)
    assert types(g2).count("Identity") == 1 and "Mul" not in types(g2)


def test_transposes():
    def f(x):
        a = tf.transpose(tf.transpose(x, [1, 2, 0]), [2, 0, 1])  # inverse: gone
        b = tf.transpose(tf.transpose(x, [1, 0, 2]), [0, 2, 1])  # composed into one
        c = tf.transpose(x, [0, 1, 2])  # identity perm: gone
        return a + c, b

    g, g2 = run_pass(f, [spec([2, 3, 4])], _simplify)
    (t,) = ops_of(g2, "Transpose")
    np.testing.assert_array_equal(t.inputs[1].op.get_attr("value"), [1, 2, 0])
    assert t.inputs[0].op.type == "Placeholder"


def test_reshapes():
    def f(x, y):
        a = tf.reshape(tf.reshape(x, [-1]), [-1, 2, 3])  # one reshape
        b = tf.reshape(tf.reshape(y, [-1, 6]), [-1, 2])  # inner may fail at run time: kept
        c = tf.reshape(tf.reshape(y, [-1, 2]), [-1])  # inner always works: one reshape
        d = tf.reshape(tf.ones([2, 3]) * 2.0, [2, 3])  # to its own known shape: gone
        return a, b, c, d

    g, g2 = run_pass(f, [spec([None, 3, 2]), spec([None, 4])], _simplify)
    rs = ops_of(g2, "Reshape")
    assert len(rs) == 4
    srcs = sorted(r.inputs[0].op.name for r in rs)
    assert srcs == ["Reshape_2", "x", "y", "y"]


def test_identity_moving_a_tensor_to_another_device_kept():
    def f(x):
        with tf.device("/CPU:0"):
            y = tf.identity(x)  # placed: a copy TensorFlow would keep
            z = tf.identity(y)  # same device as y: removable
        return z * 1.0

    g, g2 = run_pass(f, [spec([3])], _simplify)
    (ident,) = ops_of(g2, "Identity")
    assert ident.device and ident.inputs[0].op.type == "Placeholder"
    assert "Mul" in types(g2)  # x*1 placed elsewhere than its input: kept too
