"""Event files: naming, the version record, TFRecord framing, queueing and flushing, reading."""

import os
import re
import socket
import subprocess
import sys

import pytest

from tensorflux._src.core import errors
from tensorflux._src.summary import event_pb
from tensorflux._src.summary.event_file import EventFileWriter, read_events
from tests.summary.helpers import only_file


def _event(step):
    e = event_pb.Event(wall_time=1.5, step=step)
    e.summary.value.add(tag="t").tensor.dtype = 1
    return e


def _count(path) -> int:
    return sum(1 for _ in read_events(path))


def test_file_name_and_version_record(tmp_path):
    w = EventFileWriter(tmp_path / "a" / "b")  # parents are created
    name = os.path.basename(w.path)
    pattern = r"events\.out\.tfevents\.(\d{10})\.(.+)\.(\d+)\.(\d+)\.v2"
    m = re.fullmatch(pattern, name)
    assert m, name
    assert m.group(2) == socket.gethostname() and int(m.group(3)) == os.getpid()
    first = list(read_events(w.path))
    assert len(first) == 1  # written and flushed at creation
    assert first[0].file_version == "brain.Event:2"
    assert first[0].wall_time == int(m.group(1))
    w.close()


def test_suffix_replaces_v2_and_numbers_increase(tmp_path):
    a = EventFileWriter(tmp_path, filename_suffix=".abc")
    b = EventFileWriter(tmp_path)
    assert a.path.endswith(".abc") and not a.path.endswith(".v2.abc")
    na = int(a.path.rsplit(".", 2)[-2])
    nb = int(b.path.rsplit(".", 2)[-2])
    assert nb == na + 1
    a.close()
    b.close()


def test_queue_flushes_past_max_queue(tmp_path):
    w = EventFileWriter(tmp_path, max_queue=2)
    w.write(_event(1))
    w.write(_event(2))
    assert _count(w.path) == 1  # two queued: not yet on disk
    w.write(_event(3))  # more than max_queue: all three go out
    assert _count(w.path) == 4
    w.write(_event(4))
    assert _count(w.path) == 4
    w.flush()
    assert [e.step for e in read_events(w.path)] == [0, 1, 2, 3, 4]
    w.close()


def test_flush_millis_zero_flushes_every_write(tmp_path):
    w = EventFileWriter(tmp_path, flush_millis=0)
    w.write(_event(7))
    assert _count(w.path) == 2
    w.close()


def test_close_flushes_and_later_writes_fail(tmp_path):
    w = EventFileWriter(tmp_path)
    w.write(_event(1))
    w.close()
    w.close()  # idempotent
    assert [e.step for e in read_events(w.path)][-1] == 1
    with pytest.raises(errors.FailedPreconditionError):
        w.write(_event(2))


def test_logdir_that_is_a_file(tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(errors.FailedPreconditionError, match="Not a directory"):
        EventFileWriter(f)


def test_reader_errors(tmp_path):
    with pytest.raises(errors.NotFoundError):
        list(read_events(tmp_path / "missing"))
    w = EventFileWriter(tmp_path)
    w.write(_event(1))
    w.close()
    data = open(w.path, "rb").read()
    with open(w.path, "wb") as f:
        f.write(data[:-3])  # cut inside the last record
    with pytest.raises(errors.DataLossError):
        list(read_events(w.path))


def test_queued_events_are_flushed_at_exit(tmp_path):
    code = (
        "import sys, tensorflux as tf\n"
        "w = tf.summary.create_file_writer(sys.argv[1])\n"
        "w.set_as_default(step=4)\n"
        "tf.summary.scalar('x', 2.0)\n"
    )
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], check=True, cwd=repo,
                   timeout=120)  # fmt: skip
    steps = [e.step for e in read_events(only_file(tmp_path))]
    assert steps == [0, 4]
