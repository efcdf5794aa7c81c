import numpy as np

import tensorflux as tf
from tensorflux._src.graph.executor import Executor
from tensorflux._src.graph.passes.fusion import FusedElementwise, fusion
from tensorflux._src.graph.trace import trace

from ._util import ops_of, run_pass, spec, types


def _gelu(x):
    return 0.5 * x * (1.0 + tf.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))


def test_elementwise_tree_fused_bit_exact():
    g, g2 = run_pass(_gelu, [spec([4, 5])], fusion)
    (fused,) = ops_of(g2, "FusedElementwise")
    assert fused.op_def is FusedElementwise
    assert fused.name == ops_of(g, "Mul")[-1].name
    assert str(fused.get_attr("program")).count(">") == len(fused.get_attr("program").steps) - 1
    assert not {"Mul", "AddV2", "Tanh"} & set(types(g2))
    ex = Executor(g2, g2.inputs, [fused.outputs[0]])
    assert ex.num_steps == 1


def test_shared_and_fetched_intermediates_stay_outside():
    def f(x, y):
        a = tf.exp(x) * y  # read twice below: a fused tree's output, not inside one
        b = tf.sin(a) + a
        c = tf.sqrt(tf.abs(b))  # fetched: stays an output of its own
        return c, tf.tanh(c) - 1.0

    g, g2 = run_pass(f, [spec([3]), spec([3])], fusion)
    fused = ops_of(g2, "FusedElementwise")
    assert sorted(str(op.get_attr("program")) for op in fused) == [
        "Exp>Mul",
        "Sin>AddV2>Abs>Sqrt",
        "Tanh>Sub",
    ]
    (first,) = [op for op in fused if str(op.get_attr("program")) == "Sin>AddV2>Abs>Sqrt"]
    assert len(first.inputs) == 1 and first.inputs[0].op.type == "FusedElementwise"


def test_non_elementwise_stateful_and_controlled_ops_not_fused():
    def f(x, w):
        h = tf.matmul(x, w)
        r = tf.random.uniform([2, 2], seed=4)
        y = tf.exp(h)
        with y.graph.control_dependencies([r]):
            z = tf.sin(y)
        return z * 2.0, r

    g, phs, outs = trace(f, [spec([2, 2]), spec([2, 2])])
    g2, outs2, n = fusion(g, list(outs))
    assert n == 0 and types(g2) == types(g)


def test_mixed_dtypes_and_broadcasting():
    def f(x, i):
        m = tf.cast(i, tf.float32) * x + 1.0
        return tf.cast(m > 0.5, tf.int32) * i

    g, g2 = run_pass(f, [spec([2, 3]), spec([3], "int32")], fusion)
    (fused,) = ops_of(g2, "FusedElementwise")
    assert fused.outputs[0].dtype is tf.int32 and fused.outputs[0].shape == [2, 3]
    assert len(fused.inputs) == 4  # i (read twice, fed once), x, 1.0 and 0.5


def test_values_equal_unfused_kernels_exactly_inputs_untouched():
    rng = np.random.default_rng(1)
    for shape in [(64, 64), (300, 256)]:  # below and above the in-place threshold
        x = rng.standard_normal(shape).astype(np.float32)
        keep = x.copy()
        g, phs, outs = trace(_gelu, [spec(list(shape))])
        g2, outs2, _ = fusion(g, [outs])
        (fused,) = ops_of(g2, "FusedElementwise")
        assert "out=" in fused.get_attr("program").source()
        (a,) = Executor(g, phs, [outs])(x)
        (b,) = Executor(g2, g2.inputs, outs2)(x)
        assert a.numpy().tobytes() == b.numpy().tobytes()
        np.testing.assert_array_equal(
            x, keep
        )  # buffers reused are the kernel's own, never fed ones


def test_in_place_reuse_respects_broadcasting():
    rng = np.random.default_rng(2)

    def f(x, row, col):
        a = tf.exp(x) * row  # [300, 256] * [256]: may reuse exp's buffer
        b = tf.sin(row) * col  # [256] * [300, 1] grows: no buffer of that shape to reuse
        return (a - b) / 3.0

    specs = [spec([300, 256]), spec([256]), spec([300, 1])]
    g, phs, outs = trace(f, specs)
    g2, outs2, _ = fusion(g, [outs])
    feeds = [rng.standard_normal(s.shape.as_list()).astype(np.float32) for s in specs]
    (a,) = Executor(g, phs, [outs])(*feeds)
    (b,) = Executor(g2, g2.inputs, outs2)(*feeds)
    assert a.numpy().tobytes() == b.numpy().tobytes()
    assert len(ops_of(g2, "FusedElementwise")) == 1


def test_in_place_never_writes_into_a_kernel_result_that_aliases_an_input(monkeypatch):
    from tensorflux._src.core.infer import unary
    from tensorflux._src.core.registry import OpDef
    from tensorflux._src.graph.passes import fusion as fusion_mod

    View = OpDef("TestViewOp", unary((tf.float32,)))
    View.kernel(lambda xp, x: x)  # returns its input itself, as a view-making kernel may
    monkeypatch.setattr(fusion_mod, "ELEMENTWISE", fusion_mod.ELEMENTWISE | {"TestViewOp"})

    def f(x):
        return tf.exp(View(x)) * 2.0

    x = np.random.default_rng(3).standard_normal((300, 256)).astype(np.float32)
    keep = x.copy()
    g, phs, outs = trace(f, [spec([300, 256])])
    g2, outs2, _ = fusion(g, [outs])
    assert str(ops_of(g2, "FusedElementwise")[0].get_attr("program")) == "TestViewOp>Exp>Mul"
    (b,) = Executor(g2, g2.inputs, outs2)(x)
    np.testing.assert_array_equal(x, keep)
    np.testing.assert_array_equal(b.numpy(), np.exp(keep) * np.float32(2))
