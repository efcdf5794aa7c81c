"""tf.function semantics: variables, stateful order, nesting, gradients across calls, errors.

Each behaviour is compared with eager execution or with what TensorFlow 2.21 does.
"""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import context as _context

SINGLETON = "tf.function only supports singleton tf.Variables created on the first call"


# ------------------------------------------------------------------ variables


def test_captured_variable_read_by_reference():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        return v * x

    np.testing.assert_allclose(f(tf.constant(2.0)).numpy(), [2.0, 4.0])
    v.assign([3.0, 4.0])
    np.testing.assert_allclose(f(tf.constant(2.0)).numpy(), [6.0, 8.0])
    assert f.experimental_get_tracing_count() == 1
    graph = f.get_concrete_function(tf.constant(2.0)).graph
    read = [op for op in graph.get_operations() if op.type == "ReadVariableOp"][0]
    assert read.outputs[0].shape == tf.TensorShape([2])  # the variable's shape is known


def test_assign_inside_mutates_and_keeps_program_order():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        before = v.read_value()
        v.assign_add(x)
        after = v.read_value()
        v.assign_sub(x / 2)
        return before, after

    b, a = f(tf.constant([1.0, 1.0]))
    np.testing.assert_allclose(b.numpy(), [1.0, 2.0])
    np.testing.assert_allclose(a.numpy(), [2.0, 3.0])
    np.testing.assert_allclose(v.numpy(), [1.5, 2.5])
    b, a = f(tf.constant([1.0, 1.0]))
    np.testing.assert_allclose(b.numpy(), [1.5, 2.5])
    np.testing.assert_allclose(v.numpy(), [2.0, 3.0])
    graph = f.get_concrete_function(tf.constant([1.0, 1.0])).graph
    ops = {op.name: op for op in graph.get_operations()}
    assign = [op for op in graph.get_operations() if op.type == "AssignAddVariableOp"][0]
    assert ops["ReadVariableOp"] in assign.control_inputs  # the automatic control edges
    sub = [op for op in graph.get_operations() if op.type == "AssignSubVariableOp"][0]
    assert ops["ReadVariableOp_1"] in sub.control_inputs


def test_unfetched_assign_still_runs():
    v = tf.Variable(0)

    @tf.function
    def f():
        v.assign_add(1)
        return tf.constant(7)

    f()
    f()
    assert v.numpy() == 2


def test_variable_arguments_share_a_trace_and_are_mutated():
    v1, v2 = tf.Variable(1.0), tf.Variable(2.0)

    @tf.function
    def f(v, d):
        v.assign_add(d)
        return v * 2

    assert f(v1, 1.0).numpy() == 4.0
    assert f(v2, 1.0).numpy() == 6.0
    assert (v1.numpy(), v2.numpy()) == (2.0, 3.0)
    assert f.experimental_get_tracing_count() == 1


def test_variable_created_every_trace_is_refused():
    @tf.function
    def bad(x):
        v = tf.Variable(1.0)
        return v * x

    with pytest.raises(ValueError, match=SINGLETON):
        bad(1.0)
    assert bad.experimental_get_tracing_count() == 2


def test_variable_from_argument_is_refused_like_tf():
    @tf.function
    def dep(x):
        return tf.Variable(x)

    with pytest.raises(ValueError, match=SINGLETON):
        dep(tf.constant(3.0))


def test_variable_created_on_a_later_trace():
    made = []

    @tf.function
    def late(x):
        if x.shape[0] == 3:
            made.append(tf.Variable(1.0))
        return x

    late(tf.constant([1.0, 2.0]))
    with pytest.raises(
        ValueError,
        match="Creating variables on a non-first call to a function decorated with tf.function.",
    ):
        late(tf.constant([1.0, 2.0, 3.0]))


def test_lazily_built_variable_from_constant_subgraph():
    holder = []

    @tf.function
    def f(x):
        if not holder:
            holder.append(tf.Variable(tf.zeros([2]) + 5.0))
        return holder[0] + x

    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [6.0, 7.0])
    assert f.experimental_get_tracing_count() == 2
    holder[0].assign([0.0, 0.0])
    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [1.0, 2.0])


# ------------------------------------------------------------------ nesting


def test_nested_functions_are_inlined_and_traced_once():
    traced = []

    @tf.function
    def inner(x):
        traced.append(1)
        return x * x

    @tf.function
    def outer(x):
        return inner(x) + inner(x + 1.0)

    assert outer(tf.constant(2.0)).numpy() == 13.0
    assert len(traced) == 1 and inner.experimental_get_tracing_count() == 1
    graph = outer.get_concrete_function(tf.constant(2.0)).graph
    assert [op.type for op in graph.get_operations()].count("Mul") == 2


def test_nested_function_updates_captured_variable():
    v = tf.Variable(0.0)

    @tf.function
    def bump(d):
        v.assign_add(d)
        return v.read_value()

    @tf.function
    def outer(d):
        a = bump(d)
        b = bump(d)
        return a, b

    a, b = outer(tf.constant(1.0))
    assert (a.numpy(), b.numpy(), v.numpy()) == (1.0, 2.0, 2.0)


# ------------------------------------------------------------------ gradients


def _grads_eager_and_traced(fn, x, variables):
    out = []
    for f in (fn, tf.function(fn)):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        out.append(tape.gradient(y, [x] + variables))
    return out


def test_gradient_across_call_matches_eager():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    b = tf.Variable([0.5, -0.5])

    def loss(x):
        h = tf.tanh(tf.matmul(x, w) + b)
        return tf.reduce_sum(h * h)

    x = tf.constant([[0.1, 0.2], [0.3, -0.1]])
    eager, traced = _grads_eager_and_traced(loss, x, [w, b])
    for e, t in zip(eager, traced):
        np.testing.assert_allclose(t.numpy(), e.numpy(), rtol=1e-6)


def test_gradient_of_nested_call_and_second_order():
    @tf.function
    def cube(x):
        return x * x * x

    @tf.function
    def outer(x):
        return cube(x) + x

    x = tf.constant(3.0)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = outer(x)
        g = t1.gradient(y, x)
    assert g.numpy() == 28.0  # 3x^2 + 1
    assert t2.gradient(g, x).numpy() == 18.0  # 6x


def test_gradient_with_assign_inside_matches_tf():
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        y = v * x
        v.assign_add(1.0)
        return y

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    gx, gv = tape.gradient(y, [x, v])
    assert (y.numpy(), gx.numpy(), gv.numpy(), v.numpy()) == (6.0, 2.0, 3.0, 3.0)
    assert tape.watched_variables()[0] is v


def test_tape_inside_function():
    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x * x
        return t.gradient(y, x)

    assert f(tf.constant(2.0)).numpy() == 12.0


def test_no_tape_uses_compiled_plan():
    @tf.function
    def f(x):
        return x + 1.0

    cf = f.get_concrete_function(tf.constant(1.0))
    f(tf.constant(1.0))
    assert cf._executor is not None and cf._replay_plan is None


# ------------------------------------------------------------------ errors


def test_python_bool_of_tensor_raises():
    @tf.function(autograph=False)
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(TypeError, match="symbolic `tf.Tensor` as a Python `bool`"):
        f(tf.constant(1.0))


def test_trace_time_shape_error():
    @tf.function
    def f(x, y):
        return x + y

    with pytest.raises(ValueError, match=r"with input shapes: \[2\], \[3\]"):
        f(tf.zeros([2]), tf.zeros([3]))


def test_run_time_error_names_the_node():
    @tf.function
    def f(x, i):
        return tf.gather(x, i)

    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        f(tf.constant([1.0, 2.0]), tf.constant(5))
    msg = str(e.value)
    assert msg.startswith("Graph execution error:\n\nDetected at node GatherV2 defined at")
    assert "indices = 5 is not in [0, 2)" in msg and "[[{{node GatherV2}}]]" in msg
    cf = f.get_concrete_function(tf.constant([1.0, 2.0]), tf.constant(5))
    assert msg.endswith(f"[Op:{cf.name.decode()}]")


def test_debug_logs_retrace_reason(caplog, monkeypatch):
    monkeypatch.setenv("TFX_DEBUG", "1")

    @tf.function
    def f(x):
        return x

    with caplog.at_level("WARNING", logger="tensorflux"):
        f(tf.zeros([2]))
        f(tf.zeros([3]))
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "traced (first call)" in text and "argument 'x' changed" in text
    assert not _context.functions_run_eagerly()


def test_trace_errors_point_at_user_code():
    @tf.function
    def bad(x):
        v = tf.Variable(1.0)
        return v * x

    with pytest.raises(ValueError) as e:
        bad(1.0)
    msg = str(e.value)
    assert msg.startswith('in user code:\n\n    File "')
    assert ", in bad  *\n        v = tf.Variable(1.0)\n\n    ValueError: tf.function only" in msg
    assert msg.endswith("for more information.\n")


def test_tape_that_sees_nothing_keeps_the_compiled_plan():
    v = tf.Variable(2.0, trainable=False)

    @tf.function
    def f(x):
        return x * v

    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        y = f(x)
    cf = f.get_concrete_function(x)
    assert cf._replay_plan is None and tape.gradient(y, x) is None
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert tape.gradient(y, x).numpy() == 2.0 and cf._replay_plan is not None


def test_gradient_through_cond_reading_a_variable():
    w = tf.Variable([1.0, 2.0])

    def f(x):
        return tf.cond(
            tf.reduce_sum(x) > 0,
            lambda: tf.reduce_sum(x * w),
            lambda: tf.reduce_sum(x * w * w),
        )

    ff = tf.function(f)
    x = tf.constant([[1.0, 1.0]])
    for sign in (1.0, -1.0, 1.0):
        got = []
        for fn in (f, ff):
            with tf.GradientTape() as tape:
                y = fn(x * sign)
            got.append(tape.gradient(y, w).numpy())
        np.testing.assert_allclose(got[1], got[0])
    assert ff.experimental_get_tracing_count() == 1


def test_multi_output_ops_in_compiled_plan():
    v = tf.Variable(0.0)

    def f(x):
        a, b = tf.split(x, 2)
        u, idx = tf.unique(tf.cast(a, tf.int32))
        v.assign_add(tf.reduce_sum(b))
        return a * 2.0, u, idx, tf.unstack(b)

    x = tf.constant([1.0, 1.0, 3.0, 4.0])
    want = f(x)
    got = tf.function(f)(x)
    for w, g in zip(tf.nest.flatten(want), tf.nest.flatten(got)):
        np.testing.assert_array_equal(g.numpy(), w.numpy())
    assert v.numpy() == 14.0


def test_optimization_report_and_optimized_graph():
    @tf.function
    def f(x):
        _ = tf.exp(x)  # dead
        return tf.cond(tf.shape(x)[0] > 1, lambda: x * 2.0, lambda: x)

    cf = f.get_concrete_function(tf.TensorSpec([3]))
    report = cf.optimization_report()
    assert "dead_branch:" in report and "prune:" in report and report.splitlines()[-1].startswith(
        "total: "
    )
    after = [op.type for op in cf.optimized_graph.get_operations()]
    assert "Exp" not in after and "StatelessIf" not in after
    assert "StatelessIf" in [op.type for op in cf.graph.get_operations()]
    assert cf(tf.constant([1.0, 2.0, 3.0])).numpy().tolist() == [2.0, 4.0, 6.0]
