import tensorflux as tf
from tensorflux._src.graph.passes.cse import cse
from tensorflux._src.graph.passes.prune import prune

from ._util import ops_of, run_pass, spec, types


def _cse_prune(g, outs):
    g2, outs2, n = cse(g, outs)
    g3, outs3, _ = prune(g2, outs2)
    return g3, outs3, n


def test_duplicates_merge_and_cascade():
    def f(x, w):
        a = tf.tanh(tf.matmul(x, w) + 1.0)
        b = tf.tanh(tf.matmul(x, w) + 1.0)
        return a * b

    g, g2 = run_pass(f, [spec([2, 3]), spec([3, 4])], _cse_prune)
    assert types(g).count("MatMul") == 2 and types(g).count("Tanh") == 2
    assert types(g2).count("MatMul") == 1 and types(g2).count("Tanh") == 1
    assert types(g2).count("Const") == 1
    (mul,) = ops_of(g2, "Mul")
    assert mul.inputs[0] is mul.inputs[1]


def test_different_attrs_or_inputs_not_merged():
    def f(x, y):
        return (
            tf.matmul(x, y, transpose_b=True),
            tf.matmul(x, y, transpose_a=True),
            x + 1.0,
            x + 2.0,
            x - y,
            y - x,
        )

    g, g2 = run_pass(f, [spec([3, 3]), spec([3, 3])], cse)
    assert types(g2) == types(g)


def test_signed_zero_constants_differ():
    def f(x):
        return x + tf.constant(0.0), x + tf.constant(-0.0)

    g, g2 = run_pass(f, [spec([3])], _cse_prune)
    assert types(g2).count("AddV2") == 2 and types(g2).count("Const") == 2


def test_stateful_ops_never_merged():
    def f(x):
        return x + tf.random.uniform([3], seed=3), x + tf.random.uniform([3], seed=3)

    g, g2 = run_pass(f, [spec([3])], cse, trials=0)
    assert types(g2).count("RandomUniform") == 2 and types(g2).count("AddV2") == 2


def test_multi_output_ops_merge():
    def f(x):
        a, b = tf.split(x, 2)
        c, d = tf.split(x, 2)
        return a + d, b * c

    g, g2 = run_pass(f, [spec([4])], _cse_prune)
    assert types(g2).count("Split") == 1


def test_scalar_and_vector_constants_differ_equal_scalars_merge():
    def f(x):
        s = tf.reduce_sum(x, axis=tf.constant([0]))  # an int32 [0] before the scalars
        return s + tf.cast(tf.constant(0), tf.float32), s * tf.cast(tf.constant(0), tf.float32)

    g, g2 = run_pass(f, [spec([3])], _cse_prune)
    shapes = sorted(op.get_attr("value").shape for op in ops_of(g2, "Const"))
    assert shapes == [(), (1,)] and types(g2).count("Cast") == 1


def test_string_constants_left_alone():
    def f(x):
        return x, tf.identity(tf.constant(["ab", "c"])), tf.identity(tf.constant(["ab", "c"]))

    g, g2 = run_pass(f, [spec([2])], _cse_prune)
    assert types(g2).count("Const") == 2
