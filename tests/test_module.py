"""tf.Module and tf.name_scope: naming, scopes and the discovery order of variables and
submodules (as TensorFlow 2.21 reports them)."""

import pytest

import tensorflux as tf


class Model(tf.Module):
    def __init__(self):
        super().__init__()
        self.b = tf.Variable(1.0, name="b")
        self.a = [
            tf.Variable(2.0, name="a0"),
            {"z": tf.Variable(3.0, name="z"), "y": tf.Variable(4.0, name="y", trainable=False)},
        ]
        self.c = (tf.Module(name="sub1"),)
        self.c[0].w = tf.Variable(5.0, name="w")
        self.d = tf.Module(name="sub2")
        self.d.inner = tf.Module(name="sub3")
        self.d.inner.q = tf.Variable(6.0, name="q")
        self.d.inner.back = self  # a cycle
        self.e = self.b  # the same variable twice
        self.n = None
        self.s = "text"

    @tf.Module.with_name_scope
    def make(self):
        return tf.Variable(1.0).name


def test_discovery_order():
    m = Model()
    assert [v.name for v in m.variables] == ["a0:0", "y:0", "z:0", "b:0", "w:0", "q:0"]
    assert [v.name for v in m.trainable_variables] == ["a0:0", "z:0", "b:0", "w:0", "q:0"]
    assert [v.name for v in m.non_trainable_variables] == ["y:0"]
    assert [s.name for s in m.submodules] == ["sub1", "sub2", "sub3"]
    assert [v.name for v in m.d.inner.variables] == ["q:0", "a0:0", "y:0", "z:0", "b:0", "w:0"]


def test_flatten_with_path():
    m = Model()
    paths = [
        p for p, _ in m._flatten(with_path=True, predicate=lambda v: isinstance(v, tf.Variable))
    ]
    # With paths, values are not de-duplicated; the cycle is walked once more, not forever.
    assert paths == [
        ("a", 0),
        ("a", 1, "y"),
        ("a", 1, "z"),
        ("b",),
        ("e",),
        ("c", 0, "w"),
        ("d", "inner", "q"),
        ("d", "inner", "back", "a", 0),
        ("d", "inner", "back", "a", 1, "y"),
        ("d", "inner", "back", "a", 1, "z"),
        ("d", "inner", "back", "b"),
        ("d", "inner", "back", "e"),
    ]
    modules = m._flatten(with_path=True, predicate=lambda v: isinstance(v, tf.Module))
    assert [p for p, _ in modules] == [
        ("c", 0),
        ("d",),
        ("d", "inner"),
        ("d", "inner", "back"),
        ("d", "inner", "back", "c", 0),
        ("d", "inner", "back", "d"),
    ]
    shallow = m._flatten(
        with_path=True, recursive=False, predicate=lambda v: isinstance(v, tf.Variable)
    )
    assert [p for p, _ in shallow] == [("a", 0), ("a", 1, "y"), ("a", 1, "z"), ("b",), ("e",)]


def test_names_and_validation():
    assert tf.Module().name == "module"
    assert type("MyHTTPModule2", (tf.Module,), {})().name == "my_http_module2"
    assert type("Dense", (tf.Module,), {})().name == "dense"
    assert type("ABC", (tf.Module,), {})().name == "abc"
    assert type("conv2DTranspose", (tf.Module,), {})().name == "conv2_d_transpose"
    with pytest.raises(ValueError) as info:
        tf.Module(name="a b")
    assert str(info.value) == (
        "'a b' is not a valid module name. Module names must be valid Python identifiers "
        "(e.g. a valid class name)."
    )
    with pytest.raises(TypeError):
        tf.Module(name=3)


def test_name_scope_of_module():
    with tf.name_scope("outer"):
        m = tf.Module(name="inner")
    assert m.name_scope.name == "outer/inner/"
    with m.name_scope as scope:
        assert scope == "outer/inner/"
        assert tf.Variable(1.0).name == "outer/inner/Variable:0"
    mm = Model()
    assert mm.make() == "model/Variable:0"
    assert Model.make.__name__ == "make"
    assert tf.get_current_name_scope() == ""


def test_name_scope_rules():
    with pytest.raises(ValueError, match="name for name_scope must be a string."):
        tf.name_scope(None)
    ns = tf.name_scope("x")
    assert ns.name == "x"
    with tf.name_scope("a"):
        assert tf.get_current_name_scope() == "a"
        with tf.name_scope("/b") as s:
            assert s == "a//b/"
        with ns as s:
            assert s == "a/x/"
            with ns as s2:  # the same scope object entered again, nested
                assert s2 == "a/x/x/"
            assert tf.get_current_name_scope() == "a/x"
    with tf.name_scope("foo") as s:
        assert s == "foo/"  # eagerly, scope names are not made unique
    assert tf.get_current_name_scope() == ""


def test_name_scope_is_made_unique_while_tracing():
    from tensorflux._src.core import context
    from tensorflux._src.graph.graph import Graph

    with context.graph_scope(Graph()):
        with tf.name_scope("a") as s1:
            pass
        with tf.name_scope("a") as s2, tf.name_scope("b") as s3:
            assert tf.get_current_name_scope() == "a_1/b"
    assert (s1, s2, s3) == ("a/", "a_1/", "a_1/b/")
