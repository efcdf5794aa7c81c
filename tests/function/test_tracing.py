"""tf.function tracing: cache keys, retracing, input_signature, concrete functions, methods.

Expected counts, messages and printouts were taken from TensorFlow 2.21.
"""

from __future__ import annotations

import collections
import logging

import numpy as np
import pytest

import tensorflux as tf


def _counting():
    calls = []

    @tf.function
    def f(*a, **k):
        calls.append(1)
        return 1

    return f, calls


# ------------------------------------------------------------------ cache keys


def test_decorator_and_function_forms():
    def g(x):
        return x * 2.0

    f1 = tf.function(g)
    f2 = tf.function()(g)
    f3 = tf.function(reduce_retracing=True)(g)
    for f in (f1, f2, f3):
        np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    assert f1.__name__ == "g" and f1.python_function is g and f1.input_signature is None


def test_python_values_keyed_by_value_with_python_equality():
    f, calls = _counting()
    for v in [1, 1.0, True, 2, "a", None, 1]:
        f(v)
    assert f.experimental_get_tracing_count() == 4 and len(calls) == 4  # TF: 4


def test_numpy_arrays_are_tensors():
    f, _ = _counting()
    f(np.ones(3))
    f(np.zeros(3))
    f(np.zeros(3, np.int32))
    f(np.zeros(4))
    assert f.experimental_get_tracing_count() == 3


def test_variables_keyed_by_shape_and_dtype():
    f, _ = _counting()
    v1, v2, v3 = tf.Variable(1.0), tf.Variable(2.0), tf.Variable([1.0, 2.0])
    f(v1)
    f(v2)
    f(v1)
    f(v3)
    assert f.experimental_get_tracing_count() == 2


def test_other_objects_keyed_by_identity():
    class A:
        pass

    class B:
        def __init__(self, x):
            self.x = x

        def __eq__(self, o):
            return self.x == o.x

        def __hash__(self):
            return hash(self.x)

    f, _ = _counting()
    a1, a2 = A(), A()
    f(a1)
    f(a2)
    f(a1)
    assert f.experimental_get_tracing_count() == 2
    f, _ = _counting()
    b1, b2, b3 = B(1), B(1), B(2)
    f(b1)
    f(b2)
    f(b3)
    assert f.experimental_get_tracing_count() == 3


def test_nested_structures():
    f, _ = _counting()
    f([1, 2])
    f((1, 2))
    f([1, 2])
    f({"a": 1})
    f({"a": tf.constant(1.0)})
    f({"a": tf.constant(2.0)})
    f({"a": tf.constant([2.0])})
    assert f.experimental_get_tracing_count() == 5


def test_keywords_and_defaults():
    f, _ = _counting()
    f(tf.constant(1.0))
    f(x=tf.constant(1.0))
    f(tf.constant(1.0), y=1)
    assert f.experimental_get_tracing_count() == 3

    @tf.function
    def g(x, y=2):
        return x * y

    g(tf.constant(1.0))
    g(tf.constant(1.0), 2)
    g(tf.constant(1.0), y=2)
    g(x=tf.constant(1.0))
    assert g.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match=r"missing a required argument: 'x'.*\(x, y=<captured"):
        g()


def test_side_effects_only_while_tracing():
    seen = []

    @tf.function
    def f(x):
        seen.append(x.shape)
        return x + 1

    for _ in range(3):
        f(tf.constant([1, 2]))
    assert len(seen) == 1
    assert tf.executing_eagerly()


def test_outputs_python_values_become_tensors():
    @tf.function
    def f():
        return 1, None, "s", tf.constant(1.0)

    a, b, c, d = f()
    assert isinstance(a, tf.Tensor) and a.dtype == tf.int32 and a.numpy() == 1
    assert b is None
    assert c.dtype == tf.string and c.numpy() == b"s"
    assert d.numpy() == 1.0

    v = tf.Variable(3.0)
    r = tf.function(lambda: v)()
    assert isinstance(r, tf.Tensor) and r.numpy() == 3.0
    r = tf.function(lambda: v.assign(4.0))()
    assert isinstance(r, tf.Tensor) and r.numpy() == 4.0


def test_structured_outputs_keep_structure():
    P = collections.namedtuple("P", "a b")

    @tf.function
    def f(x):
        return {"p": P(x + 1, [x * 2]), "n": None}

    out = f(tf.constant(1.0))
    assert isinstance(out["p"], P) and out["n"] is None
    assert out["p"].a.numpy() == 2.0 and out["p"].b[0].numpy() == 2.0


# ------------------------------------------------------------------ reduce_retracing


def test_reduce_retracing_generalizes_shapes():
    shapes = []

    @tf.function(reduce_retracing=True)
    def f(x):
        shapes.append(x.shape)
        return x

    for s in [[2], [3], [4], [2, 2], [3, 3], [3, 4], [1, 2, 3], [2]]:
        f(tf.zeros(s))
    assert f.experimental_get_tracing_count() == 3
    assert [str(s) for s in shapes] == ["(2,)", "(None,)", "<unknown>"]


def test_reduce_retracing_accumulates_over_earlier_traces():
    shapes = []

    @tf.function(reduce_retracing=True)
    def f(x):
        shapes.append(str(x.shape))
        return x

    for s in [[2, 3], [2, 4], [5, 3], [7, 7]]:
        f(tf.zeros(s))
    assert shapes == ["(2, 3)", "(2, None)", "(None, None)"]  # as TF


def test_reduce_retracing_keeps_python_values_exact():
    seen = []

    @tf.function(reduce_retracing=True)
    def g(x, n):
        seen.append((x.shape.as_list(), n))
        return x

    g(tf.zeros([2]), 1)
    g(tf.zeros([3]), 1)
    g(tf.zeros([3]), 2)
    g(tf.zeros([4]), 2)
    g(tf.zeros([5]), 1)
    assert g.experimental_get_tracing_count() == 4
    assert seen == [([2], 1), ([None], 1), ([3], 2), ([None], 2)]


def test_experimental_relax_shapes_alias():
    f = tf.function(lambda x: x, experimental_relax_shapes=True)
    for n in (2, 3, 4):
        f(tf.zeros([n]))
    assert f.experimental_get_tracing_count() == 2


def test_concrete_function_with_unknown_dims_serves_calls():
    @tf.function
    def k(x):
        return x

    k.get_concrete_function(tf.TensorSpec([None], tf.float32))
    k(tf.zeros([3]))
    k(tf.zeros([4]))
    assert k.experimental_get_tracing_count() == 1
    k(tf.zeros([3], tf.int32))
    assert k.experimental_get_tracing_count() == 2


# ------------------------------------------------------------------ input_signature


def _sig_fn():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return x * 2

    return f


def test_input_signature_accepts_compatible_calls():
    f = _sig_fn()
    np.testing.assert_allclose(f(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(f(tf.constant([1.0, 2.0, 3.0])).numpy(), [2.0, 4.0, 6.0])
    np.testing.assert_allclose(f([1.0, 2.0]).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(f(np.array([1.0, 2.0])).numpy(), [2.0, 4.0])
    np.testing.assert_allclose(f(x=tf.constant([1.0])).numpy(), [2.0])
    assert f.experimental_get_tracing_count() == 1


SIG = "for signature: (x: TensorSpec(shape=(None,), dtype=tf.float32, name=None))."


@pytest.mark.parametrize(
    "args, why",
    [
        (
            (tf.constant([[1.0]]),),
            "Can not cast TensorSpec(shape=(1, 1), dtype=tf.float32, name=None) to "
            "TensorSpec(shape=(None,), dtype=tf.float32, name=None)",
        ),
        (
            (tf.constant([1, 2]),),
            "Can not cast TensorSpec(shape=(2,), dtype=tf.int32, name=None) to "
            "TensorSpec(shape=(None,), dtype=tf.float32, name=None)",
        ),
        ((tf.constant([1.0]), tf.constant([2.0])), "too many positional arguments"),
        ((), "missing a required argument: 'x'"),
        (("s",), "Cannot convert 's' to EagerTensor of dtype float"),
    ],
)
def test_input_signature_errors(args, why):
    f = _sig_fn()
    with pytest.raises(TypeError) as e:
        f(*args)
    msg = str(e.value)
    assert msg.startswith(f"Binding inputs to tf.function failed due to `{why}`. Received args: ")
    assert msg.endswith(SIG)


def test_input_signature_validation():
    with pytest.raises(TypeError, match="input_signature missing type constraint for y"):
        tf.function(lambda x, y: x, input_signature=[tf.TensorSpec([2])])
    with pytest.raises(TypeError, match=r"nested sequence of TensorSpec objects, got invalid"):
        tf.function(lambda x: x, input_signature=[1])
    with pytest.raises(TypeError, match="input_signature must be either a tuple or a list"):
        tf.function(lambda x: x, input_signature=tf.TensorSpec([2]))


def test_input_signature_converts_python_values():
    @tf.function(input_signature=[tf.TensorSpec([2], tf.float32), tf.TensorSpec([], tf.int32)])
    def g(x, n):
        return x * tf.cast(n, tf.float32)

    np.testing.assert_allclose(g(tf.constant([1.0, 2.0]), 3).numpy(), [3.0, 6.0])
    with pytest.raises(TypeError, match="Cannot convert 3.5 to EagerTensor of dtype int32"):
        g(tf.constant([1.0, 2.0]), 3.5)


# ------------------------------------------------------------------ concrete functions


def test_concrete_function_attributes_and_call():
    v = tf.Variable(2.0, name="w")
    u = tf.Variable(1.0, trainable=False, name="u")

    @tf.function
    def f(x, n=2):
        return {"a": x * v + u, "b": (x, n)}

    cf = f.get_concrete_function(tf.TensorSpec([None, 3], tf.float32, name="xx"))
    assert cf.structured_input_signature == (
        (tf.TensorSpec([None, 3], tf.float32, name="xx"), 2),
        {},
    )
    assert [t.dtype for t in cf.inputs] == [tf.float32, tf.resource, tf.resource]
    assert cf.inputs[0].name == "xx:0"
    assert [t.dtype for t in cf.outputs] == [tf.float32, tf.float32, tf.int32]
    assert set(cf.structured_outputs) == {"a", "b"}
    assert [x.name for x in cf.variables] == ["w:0", "u:0"]
    assert [x.name for x in cf.trainable_variables] == ["w:0"]
    assert cf.graph.inputs == cf.inputs and cf.graph.outputs == cf.outputs
    out = cf(tf.ones([2, 3]))
    np.testing.assert_allclose(out["a"].numpy(), np.full([2, 3], 3.0))
    assert out["b"][1].numpy() == 2
    v.assign(5.0)  # captured by reference
    np.testing.assert_allclose(cf(tf.ones([1, 3]))["a"].numpy(), [[6.0, 6.0, 6.0]])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"input #0\(zero-based\) was "
        r"expected to be a float tensor but is a int32 tensor",
    ):
        cf(tf.ones([1, 3], tf.int32))


def test_pretty_printed_signatures():
    @tf.function
    def f(x, n=2):
        return x * n

    f(tf.constant([1.0, 2.0]))
    f(tf.constant(1.0), n=3)
    want0 = (
        "Input Parameters:\n"
        "  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(2,), dtype=tf.float32, name=None)\n"
        "  n (POSITIONAL_OR_KEYWORD): Literal[2]\n"
        "Output Type:\n"
        "  TensorSpec(shape=(2,), dtype=tf.float32, name=None)\n"
        "Captures:\n"
        "  None"
    )
    text = f.pretty_printed_concrete_signatures()
    assert text.split("\n\n")[0] == want0
    assert "Literal[3]" in text.split("\n\n")[1]
    short = f.pretty_printed_concrete_signatures(verbose=False).split("\n")
    assert short[0] == (
        "(x: TensorSpec(shape=(2,), dtype=tf.float32, name=None), n: Literal[2]) -> "
        "TensorSpec(shape=(2,), dtype=tf.float32, name=None)"
    )
    P = collections.namedtuple("P", "a b")

    @tf.function
    def q(p, lst):
        return P(p.a + 1, lst[0])

    cf = q.get_concrete_function(P(tf.TensorSpec([2]), 1.0), [tf.TensorSpec([], tf.int32)])
    assert cf.pretty_printed_signature() == (
        "Input Parameters:\n"
        "  p (POSITIONAL_OR_KEYWORD): P[['a', TensorSpec(shape=(2,), dtype=tf.float32, "
        "name=None)], ['b', Literal[1.0]]]\n"
        "  lst (POSITIONAL_OR_KEYWORD): List[TensorSpec(shape=(), dtype=tf.int32, name=None)]\n"
        "Output Type:\n"
        "  P[['a', TensorSpec(shape=(2,), dtype=tf.float32, name=None)], ['b', "
        "TensorSpec(shape=(), dtype=tf.int32, name=None)]]\n"
        "Captures:\n"
        "  None"
    )
    none_cf = tf.function(lambda: None).get_concrete_function()
    assert "Output Type:\n  Literal[None]" in none_cf.pretty_printed_signature()
    assert repr(none_cf).startswith("<ConcreteFunction () -> Literal[None] at 0x")


# ------------------------------------------------------------------ methods


def test_methods_bind_per_instance():
    traces = []

    class A:
        def __init__(self, k):
            self.k = k

        @tf.function
        def m(self, x):
            traces.append(self.k)
            return x * self.k

    a, b = A(2.0), A(3.0)
    assert a.m(tf.constant(1.0)).numpy() == 2.0
    assert b.m(tf.constant(1.0)).numpy() == 3.0
    assert a.m(tf.constant(2.0)).numpy() == 4.0
    assert traces == [2.0, 3.0]
    assert a.m.experimental_get_tracing_count() == 1
    assert b.m.experimental_get_tracing_count() == 1
    assert A.m.experimental_get_tracing_count() == 0
    assert a.m is a.m
    sig = a.m.get_concrete_function(tf.TensorSpec([])).pretty_printed_signature()
    assert sig.startswith("Input Parameters:\n  x (POSITIONAL_OR_KEYWORD)")
    assert A.m(a, tf.constant(5.0)).numpy() == 10.0
    assert A.m.experimental_get_tracing_count() == 1


def test_module_method_builds_variables_on_first_call():
    traces = []

    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None

        @tf.function
        def __call__(self, x):
            traces.append(1)
            if self.v is None:
                self.v = tf.Variable(tf.ones_like(x) * 2.0)
            return self.v * x

    m = M()
    np.testing.assert_allclose(m(tf.constant([1.0, 2.0])).numpy(), [2.0, 4.0])
    assert m.__call__.experimental_get_tracing_count() == 2 and len(traces) == 2  # as TF
    np.testing.assert_allclose(m(tf.constant([3.0, 2.0])).numpy(), [6.0, 4.0])
    assert len(traces) == 2


# ------------------------------------------------------------------ warnings and reasons


def test_frequent_retracing_warning(caplog):
    @tf.function
    def f(x):
        return x

    with caplog.at_level(logging.WARNING, logger="tensorflux"):
        for i in range(12):
            f(i if i % 3 else 0)
    msgs = [
        r.getMessage()
        for r in caplog.records
        if "triggered tf.function retracing" in r.getMessage()
    ]
    assert len(msgs) == 2  # TF warns twice per function at most
    assert msgs[0].startswith("5 out of the last 6 calls to <function ")
    assert msgs[1].startswith("6 out of the last 8 calls to ")
    assert "reduce_retracing=True option" in msgs[0]


def test_retrace_reasons_name_the_argument():
    @tf.function
    def f(x, n):
        return x

    f(tf.zeros([2]), 1)
    f(tf.zeros([3]), 1)
    f(tf.zeros([3]), 2)
    reasons = f.experimental_get_retrace_reasons()
    assert reasons[0] == "first call"
    assert reasons[1].startswith("argument 'x' changed: TensorSpec(shape=(3,)")
    assert reasons[2] == "argument 'n' changed: Literal[2] (was Literal[1])"


def test_run_functions_eagerly():
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        assert f(tf.constant(1)).numpy() == 2
        assert f(tf.constant(1)).numpy() == 2
    finally:
        tf.config.run_functions_eagerly(False)
    assert seen == [True, True] and f.experimental_get_tracing_count() == 0
    f(tf.constant(1))
    assert seen[-1] is False and f.experimental_get_tracing_count() == 1


def test_init_scope_runs_eagerly_inside_a_trace():
    seen = []

    @tf.function
    def f(x):
        with tf.init_scope():
            seen.append(tf.executing_eagerly())
        seen.append(tf.executing_eagerly())
        return x

    f(tf.constant(1.0))
    assert seen == [True, False]
