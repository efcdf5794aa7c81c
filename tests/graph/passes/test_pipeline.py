import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core.infer import unary
from tensorflux._src.core.registry import OpDef
from tensorflux._src.graph.executor import Executor
from tensorflux._src.graph.graph import Graph
from tensorflux._src.graph.passes.pipeline import (
    DEFAULT,
    PASSES,
    OptimizerOptions,
    PassStats,
    optimize,
)
from tensorflux._src.graph.trace import trace

from ._util import compare, ops_of, random_value, run_pass, spec, types


def _pipeline(**opts):
    def run(g, outs):
        stats = []
        g2, outs2 = optimize(g, outs, options=OptimizerOptions(**opts), stats=stats)
        return g2, outs2, sum(s.changes for s in stats)

    return run


def _model(x, w):
    a = tf.matmul(x, w) * 1.0
    b = tf.matmul(x, w)
    c = tf.sqrt(tf.constant(2.0) * tf.constant(8.0))
    t = tf.transpose(tf.transpose(a, [1, 0]), [1, 0])
    y = tf.tanh(-(-(t + b))) * c - 0.0
    _ = tf.exp(x)
    return tf.reshape(tf.reshape(y, [-1]), [4, 5]), y + 1.0


def test_default_pipeline_shrinks_graph_same_values():
    g, g2 = run_pass(_model, [spec([4, 3]), spec([3, 5])], _pipeline())
    assert len(g.get_operations()) == 28
    assert sorted(types(g2)) == sorted(
        ["Placeholder"] * 2 + ["MatMul", "AddV2", "Tanh", "Mul", "Const", "Const", "AddV2"]
    )
    (folded,) = [op for op in ops_of(g2, "Const") if op.get_attr("value") == 4.0]
    assert folded.name == "Sqrt"


def test_fusion_opt_in():
    g, g2 = run_pass(_model, [spec([4, 3]), spec([3, 5])], _pipeline(fusion=True))
    (fused,) = ops_of(g2, "FusedElementwise")
    assert str(fused.get_attr("program")) == "AddV2>Tanh>Mul"  # its output is fetched: no more
    assert types(g2).count("AddV2") == 1


def test_stats_and_explicit_pass_list():
    g, phs, outs = trace(_model, [spec([4, 3]), spec([3, 5])])
    stats = []
    g2, outs2 = optimize(g, list(outs), passes=["cse", "prune"], stats=stats)
    assert [s.name for s in stats] == ["cse", "prune"]
    assert all(isinstance(s, PassStats) and s.seconds >= 0 for s in stats)
    assert stats[0].nodes_before == 28 and stats[0].changes == 3  # a MatMul and two Consts
    assert stats[1].nodes_after == len(g2.get_operations()) == 24  # the dead Exp
    assert "nodes" in str(stats[0])
    with pytest.raises(ValueError, match="Unknown graph passes"):
        optimize(g, list(outs), passes=["nope"])
    assert set(DEFAULT) <= set(PASSES)


def test_options_disable_passes_and_follow_tf_config():
    g, phs, outs = trace(_model, [spec([4, 3]), spec([3, 5])])
    stats = []
    optimize(g, list(outs), options=OptimizerOptions(cse=False, prune=False), stats=stats)
    assert {s.name for s in stats} == {"arithmetic", "constant_folding", "dead_branch"}
    old = tf.config.optimizer.get_experimental_options()
    try:
        tf.config.optimizer.set_experimental_options({"constant_folding": False, "remapping": True})
        opts = OptimizerOptions.from_flags(tf.config.optimizer.get_experimental_options())
        assert not opts.constant_folding and opts.fusion and opts.cse
        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
        opts = OptimizerOptions.from_flags(tf.config.optimizer.get_experimental_options())
        stats = []
        g2, outs2 = optimize(g, list(outs), options=opts, stats=stats)
        assert stats == [] and g2 is g
    finally:  # restore exactly: a flag that was unset must be unset again
        from tensorflux._src import config as _config

        _config._optimizer_options.clear()
        _config._optimizer_options.update(old)
    assert OptimizerOptions.from_flags(tf.config.optimizer.get_experimental_options()).arithmetic


def test_custom_gradient_op_left_alone():
    @tf.custom_gradient
    def f(x):
        return x * 1.0, lambda dy: dy * 2.0

    def g_fn(x):
        return f(x) * 1.0

    g, g2 = run_pass(g_fn, [spec([3])], _pipeline(fusion=True))
    assert types(g2).count("CustomGradient") == types(g).count("CustomGradient") == 1


def test_unknown_op_with_graph_attr_kept_and_not_merged():
    # A stand-in for control-flow ops: a sub-graph attr, not marked stateful, unused outputs.
    sub = Graph()
    calls = []

    Branch = OpDef("TestBranchOp", unary((tf.float32,)))

    @Branch.kernel
    def _(xp, x, body):
        calls.append(1)
        return xp.exp(x)

    def f(x):
        _ = Branch(x, body=sub)
        return Branch(x, body=sub) + Branch(x, body=sub) * 1.0

    g, phs, outs = trace(f, [spec([2])])
    g2, outs2 = optimize(g, [outs], options=OptimizerOptions(fusion=True))
    assert len(ops_of(g2, "TestBranchOp")) == 3
    x = random_value(spec([2]), np.random.default_rng(0))
    compare(Executor(g, phs, [outs])(x), Executor(g2, g2.inputs, outs2)(x))


def test_captured_placeholders_still_fed():
    big = tf.constant(np.arange(400, dtype=np.float32).reshape(20, 20))

    def f(x):
        return tf.matmul(x, big) * 1.0 + tf.matmul(x, big)

    g, g2 = run_pass(f, [spec([2, 20])], _pipeline())
    assert len(g2.captures) == 1 and g2.captures[0][0] is big
    assert types(g2).count("MatMul") == 1


def test_duplicate_and_placeholder_outputs():
    def f(x):
        y = x * 1.0
        return y, y, x

    g, g2 = run_pass(f, [spec([3])], _pipeline())
    assert types(g2) == ["Placeholder"]


def _bodies(cf):
    out = []
    for op in cf.graph.get_operations():
        if op.type in ("While", "StatelessWhile"):
            out.append(op.get_attr("body"))
        elif op.type in ("If", "StatelessIf"):
            out += [op.get_attr("then_branch"), op.get_attr("else_branch")]
    return out


def test_passes_run_inside_while_and_cond_bodies():
    def f(x, flag):
        def body(i, x):
            a = tf.transpose(tf.transpose(x * 1.0 + 0.0))
            k = tf.constant(2.0) * tf.constant(3.0)
            return i + 1, tf.tanh((tf.exp(a) + tf.exp(a)) * 0.01 + k)

        x = tf.while_loop(lambda i, x: i < 50, body, (0, x))[1]
        return tf.cond(flag, lambda: tf.sqrt(tf.constant(4.0)) * x * 1.0, lambda: x - 0.0)

    fn = tf.function(f)
    x = np.linspace(-1, 1, 6).astype(np.float32)
    flags = (tf.constant(True), tf.constant(False))
    want = [f(tf.constant(x), flag).numpy() for flag in flags]  # eager
    for flag, w in zip(flags, want):
        np.testing.assert_allclose(fn(x, flag).numpy(), w, rtol=1e-6)
    bodies = _bodies(fn.get_concrete_function(x, flags[0]))
    assert len(bodies) == 3
    for sg in bodies:
        kinds = [op.type for op in ops_of(sg.optimized_graph)]
        assert len(kinds) < len(ops_of(sg.graph)), sg
        assert "Transpose" not in kinds and kinds.count("Exp") <= 1

    old = tf.config.optimizer.get_experimental_options()
    try:
        tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
        fn2 = tf.function(f)
        for flag, w in zip(flags, want):
            np.testing.assert_allclose(fn2(x, flag).numpy(), w, rtol=1e-6)
        for sg in _bodies(fn2.get_concrete_function(x, flags[0])):
            assert sg.optimized_graph is sg.graph  # the flags reach sub-graphs too
    finally:
        tf.config.optimizer.set_experimental_options(
            {"disable_meta_optimizer": old.get("disable_meta_optimizer", False)}
        )
