"""tf.summary writers, steps, recording conditions and `write`, eagerly and inside tf.function."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import errors
from tensorflux._src.summary import event_pb
from tensorflux._src.summary.event_file import read_events
from tests.summary.helpers import by_tag, event_files, only_file, values


@pytest.fixture
def writer(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    yield w
    w.close()


def _summaries(writer, logdir):
    writer.flush()
    return values(only_file(logdir))


def test_scalar_round_trip(writer, tmp_path):
    with writer.as_default(step=3):
        assert bool(tf.summary.scalar("loss", 0.25)) is True
        assert bool(tf.summary.scalar("acc", tf.constant(2, tf.int64), step=9)) is True
    (s1, t1, a1, d1, p1, c1), (s2, t2, a2, d2, *_) = _summaries(writer, tmp_path)
    assert (s1, t1, float(a1), d1, p1, c1) == (3, "loss", 0.25, "float32", "scalars", b"")
    assert (s2, t2, float(a2), d2) == (9, "acc", 2.0, "float32")
    assert a1.shape == ()


def test_nothing_written_without_writer_or_when_not_recording(writer, tmp_path):
    assert bool(tf.summary.scalar("a", 1.0, step=1)) is False
    assert bool(tf.summary.should_record_summaries()) is False
    with writer.as_default(step=1):
        assert bool(tf.summary.should_record_summaries()) is True
        for cond in (False, lambda: False, tf.constant(False)):
            with tf.summary.record_if(cond):
                assert bool(tf.summary.should_record_summaries()) is False
                assert bool(tf.summary.scalar("b", 1.0)) is False
                # the lazy part of a summary does not run either: no rank error
                assert bool(tf.summary.image("c", np.zeros((2, 2)))) is False
        with tf.summary.record_if(True):
            assert bool(tf.summary.scalar("d", 1.0)) is True
    assert [v[1] for v in _summaries(writer, tmp_path)] == ["d"]


def test_default_step_scoping(writer):
    assert tf.summary.experimental.get_step() is None
    with writer.as_default(step=5):
        assert tf.summary.experimental.get_step() == 5
        with writer.as_default():
            assert tf.summary.experimental.get_step() == 5  # None leaves the step alone
        with writer.as_default(step=2):
            assert tf.summary.experimental.get_step() == 2
        assert tf.summary.experimental.get_step() == 5
    assert tf.summary.experimental.get_step() is None
    tf.summary.experimental.set_step(11)
    try:
        assert tf.summary.experimental.get_step() == 11
    finally:
        tf.summary.experimental.set_step(None)


def test_as_default_flushes_on_exit(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path), max_queue=100)
    with w.as_default(step=1):
        tf.summary.scalar("a", 1.0)
        assert len(list(read_events(only_file(tmp_path)))) == 1  # still queued
    assert len(list(read_events(only_file(tmp_path)))) == 2
    w.close()


def test_missing_and_bad_steps(writer, tmp_path):
    with writer.as_default():
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.scalar("a", 1.0)
        with pytest.raises(TypeError, match="Cannot convert 's' to EagerTensor of dtype int64"):
            tf.summary.scalar("a", 1.0, step="s")
        with pytest.raises(TypeError):
            tf.summary.scalar("a", 1.0, step=1.5)
        with pytest.raises(ValueError, match="must be a scalar. Received step with shape"):
            tf.summary.scalar("a", 1.0, step=[1, 2])
        with pytest.raises(ValueError, match="requested dtype int64 for Tensor with dtype int32"):
            tf.summary.scalar("a", 1.0, step=tf.constant(1))
        with pytest.raises(ValueError, match="Expected scalar shape"):
            tf.summary.scalar("a", [1.0, 2.0], step=1)
        assert bool(tf.summary.scalar("ok", 1.0, step=np.int32(4))) is True
    # a bad explicit step is an error even with no writer, as in TensorFlow
    with pytest.raises(TypeError):
        tf.summary.scalar("a", 1.0, step="s")
    assert [(v[0], v[1]) for v in _summaries(writer, tmp_path)] == [(4, "ok")]


def test_variable_step_is_read_when_writing(writer, tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    with writer.as_default(step=step):
        for _ in range(3):
            tf.summary.scalar("x", tf.cast(step, tf.float32))
            step.assign_add(1)
    got = [(v[0], float(v[2])) for v in _summaries(writer, tmp_path)]
    assert got == [(0, 0.0), (1, 1.0), (2, 2.0)]


def test_function_writes_on_every_call_in_program_order(writer, tmp_path):
    step = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def train(x):
        tf.summary.scalar("before", x, step=step)
        step.assign_add(1)
        tf.summary.scalar("after", x * 2.0, step=step)
        return x

    with writer.as_default():
        for i in range(3):
            train(tf.constant(float(i)))
    assert train.experimental_get_tracing_count() == 1
    got = [(v[0], v[1], float(v[2])) for v in _summaries(writer, tmp_path)]
    assert got == [(0, "before", 0.0), (1, "after", 0.0), (1, "before", 1.0),
                   (2, "after", 2.0), (2, "before", 2.0), (3, "after", 4.0)]  # fmt: skip


def test_function_record_if_on_a_variable(writer, tmp_path):
    step = tf.Variable(0, dtype=tf.int64)

    @tf.function
    def f():
        with tf.summary.record_if(lambda: tf.equal(step % 2, 0)):
            r = tf.summary.scalar("x", 1.0, step=step)
        step.assign_add(1)
        return r

    with writer.as_default():
        written = [bool(f()) for _ in range(4)]
    assert written == [True, False, True, False]
    assert [v[0] for v in _summaries(writer, tmp_path)] == [0, 2]


def test_function_keeps_the_writer_of_its_trace(tmp_path):
    a = tf.summary.create_file_writer(str(tmp_path / "a"))
    b = tf.summary.create_file_writer(str(tmp_path / "b"))

    @tf.function
    def f(x):
        return tf.summary.scalar("x", x, step=1)

    @tf.function
    def g(x):
        return tf.summary.scalar("x", x, step=1)

    with a.as_default():
        assert bool(f(tf.constant(1.0))) is True
    with b.as_default():
        assert bool(f(tf.constant(2.0))) is True  # traced under `a`: still writes to `a`
    assert bool(f(tf.constant(3.0))) is True
    assert bool(g(tf.constant(4.0))) is False  # traced without a writer: writes nothing
    with b.as_default():
        assert bool(g(tf.constant(5.0))) is False
    a.close()
    b.close()
    assert [float(v[2]) for v in values(only_file(tmp_path / "a"))] == [1.0, 2.0, 3.0]
    assert values(only_file(tmp_path / "b")) == []


def test_writer_made_default_inside_function(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))

    @tf.function
    def f(x):
        with w.as_default(step=7):
            tf.summary.scalar("x", x)

    f(tf.constant(1.0))
    f(tf.constant(2.0))
    # as_default's exit flushed inside the function: both are on disk without closing
    assert [(v[0], float(v[2])) for v in values(only_file(tmp_path))] == [(7, 1.0), (7, 2.0)]
    w.close()


def test_write_generic_and_metadata(writer, tmp_path):
    meta = event_pb.SummaryMetadata()
    meta.plugin_data.plugin_name = "custom"
    meta.plugin_data.content = b"\x01\x02"
    with writer.as_default(step=2):
        tf.summary.write("raw", tf.constant([1, 2], tf.int64))
        tf.summary.write("meta", tf.constant("s"), metadata=meta)
        tf.summary.write("bytes", 1.5, metadata=meta.SerializeToString())
        tf.summary.write("lazy", lambda: tf.constant([[True]]))
    writer.flush()
    events = [e for e in read_events(only_file(tmp_path)) if e.HasField("summary")]
    raw, m1, m2, lazy = (e.summary.value[0] for e in events)
    assert not raw.HasField("metadata")  # no metadata given: none written
    assert m1.metadata == meta and m2.metadata == meta
    got = values(only_file(tmp_path))
    np.testing.assert_array_equal(got[0][2], [1, 2])
    assert got[0][3] == "int64" and got[1][2] == np.array(b"s", object)
    assert got[3][3] == "bool" and got[3][2].shape == (1, 1)


def test_write_raw_pb(writer, tmp_path):
    s = event_pb.Summary()
    s.value.add(tag="old", simple_value=3.5)
    with writer.as_default(step=6):
        assert bool(tf.summary.experimental.write_raw_pb(s.SerializeToString())) is True
        with pytest.raises(errors.InvalidArgumentError, match="failed to parse"):
            tf.summary.experimental.write_raw_pb(b"\xff\xff")
    writer.flush()
    (event,) = [e for e in read_events(only_file(tmp_path)) if e.HasField("summary")]
    assert event.step == 6 and event.summary.value[0].simple_value == 3.5


def test_summary_scope_tags(writer, tmp_path):
    with tf.summary.experimental.summary_scope("foo bar", "dflt") as (tag, scope):
        assert (tag, scope) == ("foo bar", "foobar/")
    with tf.name_scope("outer"):
        with tf.summary.experimental.summary_scope(None, "dflt") as (tag, scope):
            assert (tag, scope) == ("outer/dflt", "outer/dflt/")
        with writer.as_default(step=0):
            tf.summary.scalar("x y", 1.0)
    assert [v[1] for v in _summaries(writer, tmp_path)] == ["outer/x y"]


def test_closed_writer(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path))
    with w.as_default(step=1):
        w.close()
        with pytest.raises(errors.NotFoundError):
            tf.summary.scalar("a", 1.0)
        assert tf.summary.flush() is None  # flushing a closed writer does nothing
    with pytest.raises(RuntimeError, match="already closed"):
        w.as_default()
    with pytest.raises(RuntimeError, match="already closed"):
        w.init()
    w.close()


def test_noop_writer_and_bad_arguments(tmp_path):
    noop = tf.summary.create_noop_writer()
    with noop.as_default(step=1):
        assert tf.summary.experimental.get_step() is None  # not even the step is set
        assert bool(tf.summary.scalar("a", 1.0, step=1)) is False
    noop.flush()
    noop.close()
    with pytest.raises(ValueError, match="cannot be None"):
        tf.summary.create_file_writer(None)
    with pytest.raises(NotImplementedError, match="experimental_mesh"):
        tf.summary.create_file_writer(str(tmp_path), experimental_mesh=object())
    assert event_files(tmp_path) == []
    assert isinstance(tf.summary.create_file_writer(str(tmp_path)), tf.summary.SummaryWriter)


def test_set_as_default_and_module_flush(tmp_path):
    w = tf.summary.create_file_writer(str(tmp_path), max_queue=100)
    w.set_as_default(step=3)
    try:
        tf.summary.scalar("a", 1.0)
        assert tf.summary.flush() is None
        assert by_tag(tmp_path)["a"][0][0] == 3
    finally:
        from tensorflux._src.summary import summary_ops  # no public way to unset a default

        summary_ops._state.writer = None
        summary_ops._state.step = None
        w.close()
