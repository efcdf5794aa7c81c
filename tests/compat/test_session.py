"""tf.compat.v1: Session.run over tf.Graph, placeholders, initializers, graph_util freezing."""

import collections

import numpy as np
import pytest

import tensorflux as tf

v1 = tf.compat.v1


def _linear():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0], [2.0]], name="w")
        b = tf.Variable(0.5, name="b")
        y = tf.add(tf.matmul(x, w), b, name="y")
    return g, x, w, b, y


def test_run_feeds_placeholders_and_keeps_fetch_structure():
    g, x, w, b, y = _linear()
    Pair = collections.namedtuple("Pair", "p q")
    with v1.Session(graph=g) as sess:
        out = sess.run(y, {x: [[1.0, 1.0]]})
        assert isinstance(out, np.ndarray) and out.dtype == np.float32
        np.testing.assert_allclose(out, [[3.5]])
        got = sess.run([y, {"a": b, "pair": Pair(y, w)}], feed_dict={"x:0": [[2.0, 2.0]]})
        np.testing.assert_allclose(got[0], [[6.5]])
        assert isinstance(got[1]["pair"], Pair)
        np.testing.assert_allclose(got[1]["pair"].q, [[1.0], [2.0]])
        assert float(got[1]["a"]) == 0.5
        np.testing.assert_allclose(sess.run("y:0", {"x": [[0.0, 0.0]]}), [[0.5]])
        assert sess.run("y", {x: [[0.0, 0.0]]}) is None  # an op name: runs it, returns None
        assert sess.run((y.op,), {x: [[1.0, 0.0]]}) == (None,)


def test_with_session_makes_its_graph_default_and_enables_eval():
    g, x, _, _, y = _linear()
    with v1.Session(graph=g) as sess:
        assert v1.get_default_session() is sess
        assert v1.get_default_graph() is g
        np.testing.assert_allclose(y.eval({x: [[1.0, 0.0]]}), [[1.5]])
        y.op.run({x: [[1.0, 0.0]]})
    assert v1.get_default_session() is None
    with pytest.raises(ValueError, match="No default session is registered"):
        y.eval({x: [[1.0, 0.0]]})


def test_only_what_the_fetches_need_runs():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(1.0, name="v")
        bump = v.assign_add(10.0)
        double = bump * 2.0  # reads wait for the write they come from
        c = tf.constant(3.0)
    with v1.Session(graph=g) as sess:
        assert sess.run(c) == 3.0
        assert v.numpy() == 1.0  # the assign was not fetched: it did not run
        assert sess.run(double) == 22.0
        assert sess.run(bump) == 21.0
        sess.run(tf.group(bump))
        assert sess.run(v) == 31.0


def test_global_variables_initializer_reassigns_initial_values():
    g = tf.Graph()
    with g.as_default():
        a = tf.Variable([1.0, 2.0], name="a")
        t = tf.Variable(3, trainable=False, name="t")
        step = a.assign([5.0, 6.0])
        assert [x.name for x in v1.global_variables()] == ["a:0", "t:0"]
        assert [x.name for x in v1.trainable_variables()] == ["a:0"]
        init = v1.global_variables_initializer()
        only_t = v1.variables_initializer([t])
    assert init.type == "NoOp" and init.name == "init"
    with v1.Session(graph=g) as sess:
        sess.run(step)
        sess.run(only_t)
        np.testing.assert_allclose(sess.run(a), [5.0, 6.0])
        assert sess.run(init) is None
        np.testing.assert_allclose(sess.run(a), [1.0, 2.0])
    assert v1.global_variables_initializer() is None  # eagerly: nothing to build
    assert v1.global_variables() == []


def test_variables_of_tf_function_graphs_are_not_collected():
    from tensorflux._src.function.concrete import FuncGraph

    graph = FuncGraph("f")
    with graph.as_default():
        tf.Variable(1.0)  # as a tf.function's first trace creates one
    assert graph._v1_variables == []
    plain = tf.Graph()
    with plain.as_default():
        v = tf.Variable(1.0)
    assert [x for x, _ in plain._v1_variables] == [v]


def test_scratch_trace_graphs_keep_no_variables():
    # Keras traces layers in scratch graphs to learn output shapes; the variables built there
    # must not be remembered (with their initial values) by those graphs.
    from tensorflux._src.core.shape import TensorShape
    from tensorflux._src.graph.trace import InputSpec, trace

    g, _, _ = trace(lambda x: tf.Variable(1.0) + x, [InputSpec(TensorShape([]), tf.float32)])
    assert g._v1_variables == []
    inp = tf.keras.Input((3,))
    tf.keras.layers.Dense(2)(inp)  # a symbolic call: runs through such a scratch graph


def test_initializer_refuses_variables_of_another_graph():
    outside = tf.Variable(1.0)
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="was not created in this graph"):
            v1.variables_initializer([outside])


def test_run_errors_match_tensorflow():
    g, x, _, _, y = _linear()
    sess = v1.Session(graph=g)
    with pytest.raises(TypeError, match="Cannot be None"):
        sess.run(None)
    with pytest.raises(TypeError, match='has invalid type "int" must be a string or Tensor'):
        sess.run(3)
    with pytest.raises(ValueError, match=r"Cannot feed value of shape \(1, 3\) for Tensor x:0"):
        sess.run(y, {x: [[1.0, 2.0, 3.0]]})
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"You must feed a value for placeholder tensor 'x' with dtype float and shape \[\?,2\]",
    ):
        sess.run(y)
    with pytest.raises(NotImplementedError, match="feed placeholders only"):
        sess.run(y, {y: [[1.0]]})
    with tf.Graph().as_default():
        other = tf.constant(1.0)
    with pytest.raises(ValueError, match="is not an element of this graph"):
        sess.run(other)
    with pytest.raises(ValueError, match="Cannot interpret feed_dict key"):
        sess.run(y, {"nope:0": 1.0})
    sess.close()
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(y, {x: [[1.0, 2.0]]})


def test_make_callable_and_interactive_session():
    g, x, _, _, y = _linear()
    sess = v1.InteractiveSession(graph=g)
    try:
        assert v1.get_default_session() is sess
        run = sess.make_callable(y, [x])
        np.testing.assert_allclose(run(np.array([[1.0, 2.0]], np.float32)), [[5.5]])
        with g.as_default():
            np.testing.assert_allclose(y.eval({x: [[0.0, 1.0]]}), [[2.5]])
    finally:
        sess.close()
    assert v1.get_default_session() is None


def test_plain_graph_tensors_are_hashable():
    g, x, *_ = _linear()
    assert {x: 1}[x] == 1


def test_placeholder_needs_a_graph_and_reset_default_graph_refuses_nesting():
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        v1.placeholder(tf.float32)
    before = v1.get_default_graph()
    v1.reset_default_graph()
    assert v1.get_default_graph() is not before
    with tf.Graph().as_default():
        with pytest.raises(AssertionError, match="Do not use tf.reset_default_graph"):
            v1.reset_default_graph()


def test_v1_mode_switches():
    v1.enable_eager_execution()
    v1.enable_v2_behavior()
    assert v1.executing_eagerly()
    with pytest.raises(NotImplementedError, match="always runs TensorFlow 2 behaviour"):
        v1.disable_eager_execution()
    with pytest.raises(NotImplementedError, match="always runs TensorFlow 2 behaviour"):
        v1.disable_v2_behavior()
    with pytest.raises(AttributeError, match="only part of TensorFlow 1's API"):
        v1.layers  # noqa: B018
    assert tf.compat.v2 is tf


# --- graph_util ------------------------------------------------------------------------------


def test_convert_variables_to_constants_freezes_and_reimports():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 2], name="x")
        w = tf.Variable([[1.0], [2.0]], name="w")
        b = tf.Variable(0.5, name="b")
        tf.identity(tf.matmul(x, w) + b, name="y")
        unused = tf.Variable(7.0, name="unused")
        _ = unused + 1.0
    with v1.Session(graph=g) as sess:
        sess.run(w.assign([[3.0], [4.0]]))
        frozen = v1.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), ["y"])
        partial = v1.graph_util.convert_variables_to_constants(
            sess, g.as_graph_def(), ["y"], variable_names_whitelist=["w"]
        )
    ops = {n.name: n.op for n in frozen.node}
    assert ops["w"] == "Const" and ops["b"] == "Const" and "unused" not in ops
    assert "ReadVariableOp" not in ops.values() and "Identity" in ops.values()
    np.testing.assert_allclose({n.name: n for n in frozen.node}["w"].attr["value"], [[3], [4]])
    assert {n.name: n.op for n in partial.node}["b"] == "Placeholder"
    with tf.Graph().as_default() as g2:
        xx = v1.placeholder(tf.float32, [None, 2])
        (yy,) = tf.graph_util.import_graph_def(
            frozen, input_map={"x:0": xx}, return_elements=["y:0"], name="frozen"
        )
        with v1.Session(graph=g2) as s2:
            np.testing.assert_allclose(s2.run(yy, {xx: [[1.0, 1.0]]}), [[7.5]])
    assert not any(c for c in g2.captures)  # no variable behind the frozen graph


def test_convert_variables_to_constants_refuses_writes():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(1.0, name="v")
        w = v.assign_add(1.0)
        out = tf.identity(w, name="out")
    with v1.Session(graph=g) as sess:
        with pytest.raises(ValueError, match="only reads can be frozen"):
            v1.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), [out.op.name])


def test_remove_training_nodes_and_shapes():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 3], name="x")
        i = tf.identity(x, name="i")
        c = tf.debugging.check_numerics(i, "bad", name="chk")
        keep = tf.identity(c, name="keep")
        out = tf.multiply(keep, 2.0, name="out")
    gd = v1.graph_util.remove_training_nodes(g.as_graph_def(), protected_nodes=["keep"])
    by = {n.name: n for n in gd.node}
    assert "i" not in by and "chk" not in by and by["keep"].input == ["x"]
    assert by["out"].input[0] == "keep"
    assert v1.graph_util.tensor_shape_from_node_def_name(g, "x").as_list() == [None, 3]
    sub = v1.graph_util.extract_sub_graph(g.as_graph_def(), ["keep"])
    assert [n.name for n in sub.node] == ["x", "i", "chk", "keep"]
    del out
    with pytest.raises(TypeError, match="GraphDef"):
        v1.graph_util.remove_training_nodes("not a graph")


def test_compat_text_helpers():
    import pathlib

    assert tf.compat.as_bytes("é") == "é".encode() and tf.compat.as_text(b"a") == "a"
    assert tf.compat.as_str_any(3) == "3" and tf.compat.path_to_str(pathlib.Path("/a")) == "/a"
    assert tf.compat.dimension_value(None) is None and tf.compat.dimension_value(4) == 4
    with pytest.raises(TypeError, match="Expected binary or unicode string, got 3"):
        tf.compat.as_bytes(3)
    assert tf.compat.forward_compatible(2020, 1, 1)
    assert not tf.compat.forward_compatible(2100, 1, 1)
    with tf.compat.forward_compatibility_horizon(2101, 1, 1):
        assert tf.compat.forward_compatible(2100, 1, 1)


def test_summary_iterator_reads_event_files(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    with w.as_default():
        tf.summary.scalar("loss", 0.25, step=3)
    w.close()
    (path,) = list(tmp_path.glob("events.out.tfevents.*"))
    events = list(v1.train.summary_iterator(str(path)))
    assert events[0].file_version == "brain.Event:2"
    (value,) = [v for e in events[1:] for v in e.summary.value]
    assert value.tag == "loss" and events[-1].step == 3
    assert value.metadata.plugin_data.plugin_name == "scalars"
    with pytest.raises(tf.errors.NotFoundError):
        next(v1.train.summary_iterator(str(tmp_path / "missing")))


def test_v1_logging_and_get_logger(caplog):
    import logging

    assert tf.get_logger() is logging.getLogger("tensorflow")
    L = v1.logging
    old = tf.get_logger().level
    try:
        L.set_verbosity(L.ERROR)
        assert L.get_verbosity() == logging.ERROR
        # tensorflux's own logger follows the level set on TensorFlow's
        assert logging.getLogger("tensorflux.dispatch").getEffectiveLevel() == logging.ERROR
        L.set_verbosity(L.INFO)
        with caplog.at_level(logging.INFO, logger="tensorflow"):
            for i in range(5):
                L.log_every_n(L.WARN, "every %d", 2, i)
            for i in range(5):
                L.log_first_n(L.INFO, "first %d", 2, i)
            L.log_if(L.INFO, "never", False)
            L.fatal("still running")
        msgs = [r.getMessage() for r in caplog.records if r.name == "tensorflow"]
        assert msgs == ["every 0", "every 2", "every 4", "first 0", "first 1", "still running"]
    finally:
        tf.get_logger().setLevel(old)


def test_v1_set_random_seed_is_the_global_seed():
    v1.set_random_seed(3)
    a = tf.random.uniform([3]).numpy()
    v1.random.set_random_seed(3)
    b = tf.random.uniform([3]).numpy()
    np.testing.assert_array_equal(a, b)
    assert tf.AggregationMethod.DEFAULT == tf.AggregationMethod.ADD_N == 0


def test_config_proto_is_accepted_and_behaves_like_the_proto():
    config = v1.ConfigProto(device_count={"GPU": 0}, allow_soft_placement=True)
    config.gpu_options.allow_growth = True
    assert str(config) == (
        'device_count {\n  key: "GPU"\n  value: 0\n}\ngpu_options {\n  allow_growth: true\n}\n'
        "allow_soft_placement: true\n"
    )
    assert v1.GPUOptions(per_process_gpu_memory_fraction=0.5).per_process_gpu_memory_fraction == 0.5
    with pytest.raises(ValueError, match='Protocol message ConfigProto has no "foo" field.'):
        v1.ConfigProto(foo=1)
    g, x, _, _, y = _linear()
    with v1.Session(graph=g, config=config) as sess:
        np.testing.assert_allclose(sess.run(y, {x: [[1.0, 1.0]]}), [[3.5]])
    with pytest.raises(TypeError, match="config must be a tf.ConfigProto"):
        v1.Session(config={"allow_growth": True})
