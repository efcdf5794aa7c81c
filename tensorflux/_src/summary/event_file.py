"""Event files: TFRecord files of `Event` messages, named and buffered as TensorFlow's are.

A file is named `events.out.tfevents.<seconds>.<hostname>.<pid>.<n><suffix>` (suffix ".v2" by
default) and starts with a `file_version: "brain.Event:2"` event, written when the file is created.
Later events wait in a queue that is written out when it holds more than `max_queue` events, when
`flush_millis` have passed since the last flush (checked at each write, as TensorFlow does), on
`flush()` and on `close()`. Files are appended in place, never renamed, so TensorBoard can read
them while they grow.
"""

from __future__ import annotations

import atexit
import itertools
import os
import socket
import threading
import time
import weakref

from tensorflux._src.core import errors
from tensorflux._src.io import tfrecord
from tensorflux._src.summary import event_pb

FILE_VERSION = "brain.Event:2"
_WRITER_NAME = "tensorflux.summary"
_file_ids = itertools.count()  # the process-wide <n> of file names
_open_writers: "weakref.WeakSet[EventFileWriter]" = weakref.WeakSet()


def _os_error(e: OSError, path: str) -> errors.OpError:
    if isinstance(e, FileNotFoundError):
        return errors.NotFoundError(None, None, f"{path}; {e.strerror}")
    if isinstance(e, PermissionError):
        return errors.PermissionDeniedError(None, None, f"{path}; {e.strerror}")
    if isinstance(e, (FileExistsError, NotADirectoryError)):
        return errors.FailedPreconditionError(None, None, f"{path}; Not a directory")
    return errors.FailedPreconditionError(None, None, e.strerror or str(e))


class EventFileWriter:
    """Writes serialized `Event`s to a new event file in `logdir`.

    Args:
      logdir: the directory (created with its parents when missing).
      max_queue: events held in memory before a write flushes them (TensorFlow's default 10).
      flush_millis: milliseconds after which the next write flushes (default two minutes).
      filename_suffix: the file name's ending (default ".v2").

    Raises:
      FailedPreconditionError: `logdir` (or a parent) is a file.
      PermissionDeniedError: the directory cannot be written.
    """

    def __init__(self, logdir, max_queue=10, flush_millis=120000, filename_suffix=".v2"):
        logdir = os.fspath(logdir)
        now = time.time()
        name = "events.out.tfevents.%010d.%s.%d.%d%s" % (
            int(now), socket.gethostname(), os.getpid(), next(_file_ids), filename_suffix,
        )  # fmt: skip
        self.path = os.path.join(logdir, name)
        try:
            os.makedirs(logdir, exist_ok=True)
            self._file = open(self.path, "wb")
        except OSError as e:
            raise _os_error(e, logdir) from None
        self.max_queue = max_queue
        self.flush_millis = flush_millis
        self._queue: list = []
        self._lock = threading.Lock()
        self._closed = False
        first = event_pb.Event(wall_time=float(int(now)), file_version=FILE_VERSION)
        first.source_metadata.writer = _WRITER_NAME
        self._file.write(tfrecord.encode_record(first.SerializeToString()))
        self._file.flush()
        self._last_flush = time.monotonic()
        _open_writers.add(self)

    @property
    def closed(self) -> bool:
        return self._closed

    def write(self, event) -> None:
        """Queues one `Event` (a message or its serialized bytes); may flush the queue."""
        data = event if isinstance(event, bytes) else event.SerializeToString()
        with self._lock:
            if self._closed:
                raise errors.FailedPreconditionError(
                    None, None, f"The event file {self.path} is closed."
                )
            self._queue.append(data)
            late = (time.monotonic() - self._last_flush) * 1000.0 > self.flush_millis
            if len(self._queue) > self.max_queue or late:
                self._flush_locked()

    def flush(self) -> None:
        """Writes the queued events to the file and flushes it to the OS."""
        with self._lock:
            if not self._closed:
                self._flush_locked()

    def _flush_locked(self) -> None:
        queue, self._queue = self._queue, []
        try:
            self._file.write(b"".join(tfrecord.encode_record(d) for d in queue))
            self._file.flush()
        except OSError as e:
            raise _os_error(e, self.path) from None
        self._last_flush = time.monotonic()

    def close(self) -> None:
        """Flushes and closes the file; later calls do nothing."""
        with self._lock:
            if self._closed:
                return
            try:
                self._flush_locked()
            finally:
                self._closed = True
                self._file.close()
        _open_writers.discard(self)

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


@atexit.register
def _flush_all_at_exit() -> None:
    # Queued events are not lost when a program ends without closing its writers.
    for w in list(_open_writers):
        try:
            w.flush()
        except Exception:  # noqa: BLE001 - best effort at exit
            pass


def read_events(path):
    """Yields the `Event` messages of an event file, in order.

    Args:
      path: an event file (written by tensorflux, TensorFlow or any TensorBoard writer).

    Raises:
      NotFoundError: there is no file at `path`.
      DataLossError: a record is corrupt or cut short.
    """
    path = os.fspath(path)
    for record in tfrecord.tf_record_iterator(path):
        event = event_pb.Event()
        event.ParseFromString(record)
        yield event
