"""Graph building, naming, printing, the executor and tracing (tensorflux/_src/graph)."""

from __future__ import annotations

import weakref

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import errors, registry
from tensorflux._src.core.infer import static_value
from tensorflux._src.core.registry import OpDef, Rule
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.graph.executor import Executor, run
from tensorflux._src.graph.graph import Graph, OperatorNotAllowedInGraphError, SymbolicTensor
from tensorflux._src.graph.trace import InputSpec, run_traced, trace
from tensorflux._src.ops import array_ops, math_ops


def _ph(g, shape, dtype=tf.float32, name="a"):
    return g.placeholder(dtype, shape, name)


# ------------------------------------------------------------------ symbolic tensors


def test_symbolic_tensor_view():
    g = Graph()
    with g.as_default():
        a = _ph(g, [None, 3])
        assert not tf.executing_eagerly()
        b = a + 1.0
    assert tf.executing_eagerly()
    assert isinstance(b, tf.Tensor) and isinstance(b, SymbolicTensor)
    assert b.dtype is tf.float32 and b.shape == TensorShape([None, 3])
    assert b.name == "AddV2:0" and b.value_index == 0 and b.graph is g
    assert b.op.type == "AddV2" and b.op.inputs[0] is a and b.op.outputs[0] is b
    assert str(a) == 'Tensor("a:0", shape=(None, 3), dtype=float32)'
    assert repr(a) == "<tf.Tensor 'a:0' shape=(None, 3) dtype=float32>"
    assert not hasattr(a, "numpy")
    assert static_value(a) is None and static_value(b) is None


def test_symbolic_tensor_refuses_python_values():
    g = Graph()
    with g.as_default():
        a = _ph(g, [2])
    with pytest.raises(OperatorNotAllowedInGraphError, match="as a Python `bool`"):
        bool(a)
    assert issubclass(OperatorNotAllowedInGraphError, TypeError)
    with pytest.raises(OperatorNotAllowedInGraphError, match="Iterating over a symbolic"):
        iter(a)
    with pytest.raises(TypeError, match=r"len is not well defined for a symbolic Tensor \(a:0\)"):
        len(a)
    with pytest.raises(NotImplementedError, match=r"Cannot convert a symbolic tf.Tensor \(a:0\)"):
        np.asarray(a)
    assert {a.ref(): 1}[a.ref()] == 1
    assert {a: 1}[a] == 1  # a plain graph's tensors hash by identity (TF1 feed_dicts)


def test_function_graph_tensors_are_unhashable():
    seen = []

    @tf.function
    def f(x):
        seen.append(x)
        return x

    f(tf.constant(1.0))
    with pytest.raises(TypeError, match="unhashable"):
        hash(seen[0])


def test_set_shape():
    g = Graph()
    a = _ph(g, [None, 3])
    a.set_shape([2, None])
    assert a.shape == TensorShape([2, 3])
    with pytest.raises(
        ValueError, match=r"Dimension 1 in both shapes must be equal, but are 3 and 4"
    ):
        a.set_shape([2, 4])


def test_operators_build_nodes():
    g = Graph()
    with g.as_default():
        a = _ph(g, [3])
        b = _ph(g, [3], name="b")
        outs = [a * b, a - b, -a, a / b, a < b, a >= b, a == b, a != b]
    types = [t.op.type for t in outs]
    assert types == ["Mul", "Sub", "Neg", "RealDiv", "Less", "GreaterEqual", "Equal", "NotEqual"]
    assert [t.dtype for t in outs[4:]] == [tf.bool] * 4
    assert all(t.shape == TensorShape([3]) for t in outs)


def test_static_values_fold_shapes_and_constants():
    g = Graph()
    with g.as_default():
        x = _ph(g, [2, 3])
        y = _ph(g, [None, 6], name="y")
        c = tf.constant([1, 2])
        assert static_value(c).tolist() == [1, 2]
        s = tf.shape(x)
        assert static_value(s).tolist() == [2, 3]
        assert static_value(s + 1).tolist() == [3, 4]  # small constant subgraphs fold
        assert static_value(tf.shape(y)) is None
        r = tf.reshape(y, tf.shape(x))
        assert r.shape == TensorShape([2, 3])


# ------------------------------------------------------------------ names


def test_unique_names_follow_tensorflow():
    g = Graph()
    with g.as_default():
        a = _ph(g, [3])
        names = [
            tf.add(a, 1.0, name=n).op.name for n in ["Add", "add", "ADD", "add_1", "add", "x/"]
        ]
    assert names == ["Add", "add_1", "ADD_2", "add_1_1", "add_3", "x"]
    assert g.unique_name("add", mark_as_used=False) == "add_4"


def test_name_scopes():
    g = Graph()
    with g.as_default():
        a = _ph(g, [3])
        with g.name_scope("s") as scope:
            assert scope == "s/"
            m = a * 2.0
            c = tf.constant(1.0, name="s")
            with g.name_scope("inner"):
                n = a * 3.0
        with g.name_scope("s"):
            m2 = a * 2.0
        with g.name_scope("s/"):
            m3 = a * 2.0
    assert [m.op.name, c.op.name, n.op.name, m2.op.name, m3.op.name] == [
        "s/Mul",
        "s/s",
        "s/inner/Mul",
        "s_1/Mul",
        "s/Mul_1",
    ]


def test_invalid_names():
    g = Graph()
    with g.as_default():
        a = _ph(g, [3])
        with pytest.raises(ValueError, match="'a b' is not a valid root scope name"):
            tf.add(a, 1.0, name="a b")
        with pytest.raises(ValueError, match="'_x' is not a valid root scope name"):
            tf.add(a, 1.0, name="_x")
        with g.name_scope("s"):
            assert tf.add(a, 1.0, name="_x").op.name == "s/_x"


def test_lookups():
    g = Graph()
    with g.as_default():
        a = _ph(g, [3])
        b, c = tf.unstack(tf.stack([a, a]))
    assert g.get_operation_by_name("a") is a.op
    assert g.get_tensor_by_name("unstack:1") is c
    assert b.name == "unstack:0" and c.name == "unstack:1"
    assert [op.name for op in g.get_operations()] == ["a", "stack", "unstack"]
    with pytest.raises(KeyError, match="refers to an Operation not in the graph"):
        g.get_operation_by_name("nope")
    with pytest.raises(KeyError, match="The operation, 'nope', does not exist in the graph"):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(KeyError, match="exists but only has 2 outputs"):
        g.get_tensor_by_name("unstack:2")
    with pytest.raises(ValueError, match="refers to an Operation, not a Tensor"):
        g.get_tensor_by_name("a")


# ------------------------------------------------------------------ operations


def test_operation_view_matches_tape_ops():
    g = Graph()
    with g.as_default():
        a = _ph(g, [2, 3])
        p = tf.stack([a, a], axis=1)
    op = p.op
    assert op.type == "Pack" and op.name == "stack" and op.get_attr("axis") == 1
    assert len(op.inputs) == 2 and op.outputs == [p] and op.values() == (p,)
    with pytest.raises(ValueError, match="Operation 'stack' has no attr named 'zz'"):
        op.get_attr("zz")
    assert op.node_def.input == ["a", "a"] and op.node_def.op == "Pack"
    assert repr(op) == "<tf.Operation 'stack' type=Pack>"
    # One gradient function serves tapes and graphs: Pack's gradient builds an Unpack node here.
    with g.as_default():
        dy = _ph(g, [2, 2, 3], name="dy")
        grads = registry.gradient_function("Pack")(op, dy)
    assert [t.op.type for t in grads] == ["Unpack", "Unpack"]
    assert grads[0].shape == TensorShape([2, 3])


def test_control_dependencies_and_devices():
    g = Graph()
    with g.as_default():
        a = _ph(g, [3])
        b = a + 1.0
        with g.control_dependencies([b]):
            c = a * 2.0
            with g.control_dependencies(None):
                d = a * 3.0
        with tf.device("/CPU:0"):
            e = a - 1.0
    assert c.op.control_inputs == [b.op] and d.op.control_inputs == []
    assert c.op.node_def.input == ["a", "Const_1", "^AddV2"]
    assert e.op.device == "/device:CPU:0" and a.op.device == ""
    np.testing.assert_allclose(run(g, e, [(a, [1.0, 2.0, 3.0])]).numpy(), [0.0, 1.0, 2.0])


def test_graph_printer_one_line_per_node():
    g = Graph()
    with g.as_default():
        a = _ph(g, [None, 3])
        tf.reduce_sum(a * 2.0, axis=1)
    lines = str(g).splitlines()
    assert len(lines) == len(g.get_operations()) == 5
    assert lines[0] == "a = Placeholder() -> float32[?,3]"
    assert lines[2] == "Mul = Mul(a, Const) -> float32[?,3]"
    assert lines[4].startswith("Sum = Sum[keep_dims=False](Mul, Const_1) -> float32[?]")


# ------------------------------------------------------------------ rule errors while building


def test_rule_errors_become_type_and_value_errors():
    g = Graph()
    with g.as_default():
        i = _ph(g, [3], tf.int32, name="i")
        f = _ph(g, [3], name="f")
        f4 = _ph(g, [4], name="f4")
        with pytest.raises(
            TypeError,
            match="Input #1 of 'AddV2' Op has type float32 that does not match type int32",
        ):
            tf.add(i, f)
        with pytest.raises(
            TypeError,
            match="has DataType int32 not in list of allowed values: "
            "bfloat16, float16, float32, float64",
        ):
            tf.sin(i)
        with pytest.raises(ValueError, match=r"node AddV2.*with input shapes: \[3\], \[4\]"):
            f + f4
    # eager behaviour is unchanged
    with pytest.raises(errors.InvalidArgumentError):
        tf.add(tf.constant([1, 2]), tf.constant([1.0, 2.0]))


# ------------------------------------------------------------------ captures


def test_eager_tensors_are_captured():
    small = tf.constant([1.0, 2.0])
    big = tf.constant(np.arange(200, dtype=np.float32))
    g = Graph()
    with g.as_default():
        a = _ph(g, [])
        s = a * small
        s2 = a + small  # captured once
        b = a * big
    assert s.op.inputs[1] is s2.op.inputs[1]
    assert s.op.inputs[1].op.type == "Const"
    assert b.op.inputs[1].op.type == "Placeholder"
    assert len(g.captures) == 1 and g.captures[0][0] is big
    out_s, out_b = Executor(g, [a], [s, b])(tf.constant(2.0))
    np.testing.assert_allclose(out_s.numpy(), [2.0, 4.0])
    np.testing.assert_allclose(out_b.numpy(), np.arange(200) * 2.0)


# ------------------------------------------------------------------ executor


def test_executor_runs_and_checks_feeds():
    g = Graph()
    with g.as_default():
        a = _ph(g, [None, 2])
        y = tf.reduce_sum(a * a, axis=0)
    ex = Executor(g, [a], [y, a])
    out, same = ex(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    assert isinstance(out, tf.Tensor) and out.dtype is tf.float32
    np.testing.assert_allclose(out.numpy(), [10.0, 20.0])
    np.testing.assert_allclose(same.numpy(), [[1.0, 2.0], [3.0, 4.0]])
    with pytest.raises(errors.InvalidArgumentError, match="was fed a tensor of shape"):
        ex(tf.zeros([2, 3]))
    with pytest.raises(errors.InvalidArgumentError, match="expects a float32 tensor"):
        ex(tf.zeros([2, 2], tf.int32))
    with pytest.raises(errors.InvalidArgumentError, match="You must feed a value for placeholder"):
        Executor(g, [], [y])


def _counting_op(name, calls, refs=None, stateful=False):
    """An unregistered op (registry untouched) whose kernel adds 1 and notes its calls."""
    op = OpDef(name, Rule(lambda d, a: d[0], lambda i, a: i[0].shape), stateful=stateful)

    @op.kernel
    def _(xp, x):
        calls.append(name)
        out = x + 1
        if refs is not None:
            refs.append(weakref.ref(out))
        return out

    return op


def test_executor_frees_dead_intermediates_and_prunes():
    calls, refs = [], []
    inc = _counting_op("TestInc", calls, refs)
    seen_dead = []
    probe = OpDef("TestProbe", Rule(lambda d, a: d[0], lambda i, a: i[0].shape))

    @probe.kernel
    def _(xp, x):
        seen_dead.append(refs[0]() is None)  # the first intermediate is dead by now
        return x

    g = Graph()
    with g.as_default():
        a = _ph(g, [4])
        b = inc(a)  # read only by c
        c = inc(b)
        d = probe(inc(c))
        inc(a, name="unused")  # pruned
    (out,) = Executor(g, [a], [d])(np.zeros(4, np.float32))
    np.testing.assert_allclose(out.numpy(), [3.0] * 4)
    assert calls == ["TestInc"] * 3 and seen_dead == [True]


def test_executor_keeps_stateful_ops():
    calls = []
    g = Graph()
    with g.as_default():
        a = _ph(g, [2])
        _counting_op("TestStateful", calls, stateful=True)(a)
        y = a * 2.0
    run(g, y, [(a, [1.0, 2.0])])
    assert calls == ["TestStateful"]


def test_executor_errors_name_the_node_and_user_line():
    g = Graph()
    with g.as_default():
        a = _ph(g, [None])
        r = tf.reshape(a, [2, 2])  # the line named in the error
    with pytest.raises(errors.InvalidArgumentError) as info:
        run(g, r, [(a, [1.0, 2.0, 3.0])])
    msg = str(info.value)
    assert msg.startswith("Graph execution error:\n\nDetected at node Reshape")
    assert "test_graph.py" in msg and "[[{{node Reshape}}]]" in msg
    assert "Input to reshape is a tensor with 3 values" in msg


# ------------------------------------------------------------------ tracing


def test_trace_names_placeholders_and_keeps_python_values():
    seen = {}

    def f(x, values, k=1, *, scale=None):
        seen["eager"] = tf.executing_eagerly()
        seen["k"] = k
        return tf.stack(values, axis=0) * x * scale

    specs = [InputSpec([None], tf.float32), [InputSpec([3], tf.float32)] * 2, 5]
    g, phs, out = trace(f, specs, {"scale": InputSpec([], tf.float32)})
    assert seen == {"eager": False, "k": 5}
    assert [p.op.name for p in phs] == ["x", "values", "values_1", "scale"]
    assert g.inputs == phs and g.outputs == [out]
    assert out.shape == TensorShape([2, 3])


def test_trace_starts_at_the_root_name_scope():
    from tensorflux._src.core import context

    old = context.set_name_scope("outer/")
    try:
        g, _, out = trace(lambda x: x * 2.0, [InputSpec([2], tf.float32)])
    finally:
        context.set_name_scope(old)
    assert out.op.name == "Mul"


def test_run_traced_matches_eager():
    def f(a, b, axis):
        return tf.reduce_sum(a * b, axis=axis), tf.unstack(a, num=3, axis=1)

    a = tf.constant(np.arange(6.0).reshape(2, 3))
    b = tf.constant(np.ones(3))
    eager = f(a, b, 1)
    for unknown in (False, True):
        s, parts = run_traced(f, [a, b, 1], unknown_dims=unknown)
        np.testing.assert_array_equal(s.numpy(), eager[0].numpy())
        assert len(parts) == 3
        for p, e in zip(parts, eager[1]):
            np.testing.assert_array_equal(p.numpy(), e.numpy())


def test_broadcast_gradient_with_unknown_shapes():
    # AddV2's gradient with unknown shapes reduces through BroadcastGradientArgs at run time.
    def grads(x, y, dy):
        op = tf.add(x, y).op
        return registry.gradient_function("AddV2")(op, dy)

    x = tf.constant(np.ones((2, 3)))
    y = tf.constant(np.ones((3,)))
    dy = tf.constant(np.arange(6.0).reshape(2, 3))
    gx, gy = run_traced(grads, [x, y, dy], unknown_dims=True)
    np.testing.assert_array_equal(gx.numpy(), dy.numpy())
    np.testing.assert_array_equal(gy.numpy(), [3.0, 5.0, 7.0])
    g, _, _ = trace(grads, [InputSpec([None, None], tf.float64)] * 3)
    assert "BroadcastGradientArgs" in [op.type for op in g.get_operations()]


# ------------------------------------------------------------------ the harness checks can fail


def test_harness_spec_check_catches_a_wrong_shape_rule():
    from tests.ops.harness import OpInfo, Sample, check_spec

    bad = OpDef("TestBadRule", Rule(lambda d, a: d[0], lambda i, a: TensorShape([7])))

    @bad.kernel
    def _(xp, x):
        return x

    info = OpInfo(
        "bad",
        lambda x: bad(x),
        None,
        [tf.float32],
        samples=lambda rng, dt: [Sample([np.zeros(3, np.float32)])],
    )
    with pytest.raises(AssertionError, match="incompatible with eager"):
        check_spec(info, tf.float32, np.random.default_rng(0))


def test_harness_traced_check_catches_a_graph_difference():
    from tests.ops.harness import OpInfo, Sample, check_traced

    def fn(x):
        return x + (1.0 if tf.executing_eagerly() else 2.0)

    info = OpInfo(
        "differs",
        fn,
        None,
        [tf.float32],
        samples=lambda rng, dt: [Sample([np.zeros(3, np.float32)])],
    )
    with pytest.raises(AssertionError, match="traced vs eager"):
        check_traced(info, tf.float32, None, np.random.default_rng(0))


def test_math_ops_module_used():
    # the gradient helpers graph code relies on stay importable from the ops layer
    assert callable(math_ops.unbroadcast) and callable(array_ops.broadcast_gradient_args)


def test_every_tensor_operator_traces_like_eager():
    def f(x, y, m, p, q, i, j):
        return [
            x + y,
            x - y,
            x * y,
            x / y,
            -x,
            +x,
            abs(x),
            x**2.0,
            x // y,
            x % y,
            2.0 * x,
            1.0 - x,
            x < y,
            x <= y,
            x > y,
            x >= y,
            x == y,
            x != y,
            x[0],
            x[:, 1:],
            x[..., None],
            m @ m,
            p & q,
            p | q,
            p ^ q,
            ~p,
            i & j,
            i | j,
            ~i,
        ]

    rng = np.random.default_rng(0)
    args = [
        tf.constant(rng.uniform(1, 2, (2, 3))),
        tf.constant(rng.uniform(1, 2, (2, 3))),
        tf.constant(rng.uniform(-1, 1, (3, 3))),
        tf.constant(rng.random((4,)) < 0.5),
        tf.constant(rng.random((4,)) < 0.5),
        tf.constant([1, 6, 3]),
        tf.constant([5, 2, 7]),
    ]
    eager = f(*args)
    for unknown in (False, True):
        got = run_traced(f, args, unknown_dims=unknown)
        assert len(got) == len(eager)
        for k, (g, e) in enumerate(zip(got, eager)):
            assert g.dtype == e.dtype, k
            np.testing.assert_allclose(g.numpy(), e.numpy(), err_msg=f"operator #{k}")


def test_duplicate_explicit_names_are_refused():
    g = Graph()
    with g.as_default():
        a = _ph(g, [3])
        tf.add(a, 1.0, name="x/")
        with pytest.raises(ValueError, match="Duplicate node name in graph: 'x'"):
            tf.add(a, 1.0, name="x/")
