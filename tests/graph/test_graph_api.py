"""Public Graph API: as_graph_def / import_graph_def round trips, control dependencies, tf.group,
tf.no_op, tf.get_static_value."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.graph import executor
from tensorflux._src.graph.graph_def import extract_sub_graph


def _traced():
    @tf.function
    def f(x, y):
        a = tf.matmul(x, y)
        b = tf.reduce_sum(a, axis=1)
        c, d = tf.split(a, 2, axis=0)
        return tf.maximum(b, 0.0) + tf.reduce_mean(c) - d[0, 0]

    spec = tf.TensorSpec([2, 3], tf.float32), tf.TensorSpec([3, 4], tf.float32)
    return f.get_concrete_function(*spec).graph


def test_graph_def_nodes():
    g = _traced()
    gd = g.as_graph_def()
    assert [n.name for n in gd.node] == [op.name for op in g.get_operations()]
    by = {n.name: n for n in gd.node}
    assert by["x"].op == "Placeholder" and by["x"].attr["dtype"] == tf.float32
    mm = [n for n in gd.node if n.op == "MatMul"][0]
    assert mm.input == ["x", "y"]
    assert any(i.endswith(":1") for n in gd.node for i in n.input)  # split's 2nd output


def test_round_trip_executes_equally():
    g = _traced()
    gd = g.as_graph_def()
    g2 = tf.Graph()
    with g2.as_default():
        x2, y2, out2 = tf.graph_util.import_graph_def(
            gd, return_elements=["x:0", "y:0", g.outputs[0].name]
        )
    assert x2.name == "import/x:0"
    assert [n.op for n in g2.as_graph_def().node] == [n.op for n in gd.node]
    rng = np.random.default_rng(0)
    xv = rng.standard_normal((2, 3)).astype(np.float32)
    yv = rng.standard_normal((3, 4)).astype(np.float32)
    want = executor.run(g, g.outputs[0], [(g.inputs[0], xv), (g.inputs[1], yv)])
    got = executor.run(g2, out2, [(x2, xv), (y2, yv)])
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6)


def test_import_input_map_and_control_inputs():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(2.0, name="x")
        n = tf.no_op(name="first")
        with tf.control_dependencies([n]):
            tf.multiply(x, 3.0, name="y")
    gd = g.as_graph_def()
    assert "^first" in [n for n in gd.node if n.name == "y"][0].input
    g2 = tf.Graph()
    with g2.as_default():
        z = tf.constant(5.0, name="z")
        (y2, first2) = tf.import_graph_def(
            gd, input_map={"x:0": z}, return_elements=["y:0", "first"], name="imp"
        )
    assert isinstance(first2, tf.Operation) and first2.name == "imp/first"
    assert y2.op.control_inputs == [first2]
    assert executor.run(g2, y2).numpy() == 15.0
    with g2.as_default():
        with pytest.raises(ValueError, match="not found in graph_def"):
            tf.import_graph_def(gd, input_map={"nope:0": z})


def test_import_needs_a_graph():
    with pytest.raises(RuntimeError):
        tf.import_graph_def(tf.Graph().as_graph_def())


def test_extract_sub_graph():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0, name="a")
        b = tf.add(a, 1.0, name="b")
        tf.add(a, 2.0, name="c")
        del b
    sub = extract_sub_graph(g.as_graph_def(), ["b"])
    assert [n.name for n in sub.node] == ["a", "Const", "b"]
    with pytest.raises(TypeError):
        extract_sub_graph(g.as_graph_def(), "b")


def test_group_no_op_control_dependencies_in_function(capsys):
    seen = {}

    @tf.function
    def f(x):
        p = tf.print("p", x)
        g = tf.group(x, p)
        seen["g"] = g
        seen["n"] = tf.no_op()
        with tf.control_dependencies([g]):
            y = x + 1
        seen["y"] = y
        return y

    assert f(tf.constant(1)).numpy() == 2
    assert capsys.readouterr().err == "p 1\n"
    g = seen["g"]
    assert g.type == "NoOp" and g.name == "group_deps"
    assert [c.type for c in g.control_inputs] == ["Placeholder", "PrintV2"]
    assert seen["n"].name == "NoOp"
    assert g in seen["y"].op.control_inputs


def test_eager_forms():
    assert tf.group(tf.constant(1)) is None
    assert tf.no_op() is None
    with tf.control_dependencies([tf.constant(1)]):
        assert tf.constant(2).numpy() == 2


def test_get_static_value():
    np.testing.assert_array_equal(tf.get_static_value(tf.constant([1, 2])), [1, 2])
    assert tf.get_static_value(3) == 3
    assert tf.get_static_value(tf.Variable(1.0)) is None
    out = {}

    @tf.function
    def f(x):
        out["x"] = tf.get_static_value(x)
        out["shape"] = tf.get_static_value(tf.shape(tf.zeros([2, 3])))
        out["add"] = tf.get_static_value(tf.constant(2) + 3)  # TF does not fold AddV2
        return x

    f(tf.constant(1))
    assert out["x"] is None and out["add"] is None
    np.testing.assert_array_equal(out["shape"], [2, 3])


def test_finalize_makes_the_graph_read_only():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0)
    assert not g.finalized
    g.finalize()
    assert g.finalized
    with pytest.raises(RuntimeError, match="Graph is finalized and cannot be modified."):
        with g.as_default():
            tf.constant(2.0) + a
    assert [op.type for op in g.get_operations()] == ["Const"]
