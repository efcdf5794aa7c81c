"""Summary writers, the default-writer state and the stateful ops that write events.

A writer's handle is a scalar `resource` tensor whose value is a `WriterCell` (the event file).
`write()` adds a stateful `WriteSummary` op, so inside a tf.function the event is written each
time the function runs, in program order with the writer's other ops. As in TensorFlow, the
default writer, the `record_if` condition and the default step are read when a function is
traced: the function keeps writing to the writer that was the default then.
"""

from __future__ import annotations

import abc
import contextlib
import re
import threading
import time

import numpy as np
from google.protobuf.message import DecodeError

from tensorflux._src.core import dtypes, errors
from tensorflux._src.core.context import ctx, eager_scope
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.summary import event_pb
from tensorflux._src.summary.event_file import EventFileWriter

# ------------------------------------------------------------------ the writer resource


class WriterCell:
    """The state behind a writer handle: its event file. Poses as a rank-0 array."""

    __slots__ = ("file", "logdir", "__weakref__")
    shape = ()
    ndim = 0
    size = 1
    dtype = np.dtype(object)

    def __init__(self, file, logdir):
        self.file = file
        self.logdir = logdir

    def write(self, event) -> None:
        if self.file.closed:
            raise errors.NotFoundError(
                None, None,
                f"Resource localhost/summary_writer/{self.logdir} does not exist: the summary "
                "writer was closed.",
            )  # fmt: skip
        self.file.write(event)

    def __repr__(self) -> str:
        return f'<ResourceHandle(name="{self.logdir}", type="SummaryWriterInterface")>'


def _handle(cell):
    from tensorflux._src import devices
    from tensorflux._src.tensor import EagerTensor

    return EagerTensor(cell, dtypes.resource, devices.CPU0)


def _text(a) -> str:
    v = a.item() if hasattr(a, "item") else a
    return v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)


def _bytes(a) -> bytes:
    v = a.item() if hasattr(a, "item") else a
    return v.encode("utf-8") if isinstance(v, str) else bytes(v)


def _host(a) -> np.ndarray:
    get = getattr(a, "get", None)  # a CuPy array: events are written from the host
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


def _check_dtypes(expected):
    def rule(in_dtypes, attrs):
        for i, (got, want) in enumerate(zip(in_dtypes, expected)):
            if want is not None and got is not want:
                raise errors.InvalidArgumentError(
                    None, None,
                    f"cannot compute {{op}} as input #{i}(zero-based) was expected to be a "
                    f"{want.name} tensor but is a {got.name} tensor",
                )  # fmt: skip
        return []

    return Rule(rule, lambda inputs, attrs: [])


def _event(step) -> event_pb.Event:
    return event_pb.Event(wall_time=time.time(), step=int(_host(step)))


WriteSummary = defop(
    "WriteSummary",
    infer=_check_dtypes((dtypes.resource, dtypes.int64, None, dtypes.string, dtypes.string)),
    num_outputs=0,
    stateful=True,
)


@WriteSummary.kernel
def _(xp, writer, step, tensor, tag, summary_metadata, T=None):  # noqa: N803 - TF's attr name
    from tensorflux._src.io.tensor_codec import tensor_proto_bytes

    event = _event(step)
    value = event.summary.value.add(tag=_text(tag))
    value.tensor.MergeFromString(tensor_proto_bytes(_host(tensor), T))
    meta = _bytes(summary_metadata)
    if meta:
        try:
            value.metadata.MergeFromString(meta)
        except DecodeError:  # TensorFlow keeps an empty metadata message then
            value.metadata.Clear()
            value.metadata.SetInParent()
    writer.write(event)
    return []


WriteRawProtoSummary = defop(
    "WriteRawProtoSummary",
    infer=_check_dtypes((dtypes.resource, dtypes.int64, dtypes.string)),
    num_outputs=0,
    stateful=True,
)


@WriteRawProtoSummary.kernel
def _(xp, writer, step, tensor):
    events = []
    for item in np.asarray(tensor, dtype=object).reshape(-1):
        event = _event(step)
        try:
            event.summary.ParseFromString(_bytes(item))
        except DecodeError:
            raise errors.InvalidArgumentError(
                None, None, "failed to parse serialized summary"
            ) from None
        events.append(event)
    for event in events:
        writer.write(event)
    return []


def _writer_op(name: str, method: str):
    """A stateful op calling the writer's event-file method `method` (flush, close)."""
    op = defop(name, infer=_check_dtypes((dtypes.resource,)), num_outputs=0, stateful=True)

    @op.kernel
    def _(xp, writer):
        getattr(writer.file, method)()
        return []

    return op


FlushSummaryWriter = _writer_op("FlushSummaryWriter", "flush")
CloseSummaryWriter = _writer_op("CloseSummaryWriter", "close")


not_differentiable(WriteSummary, WriteRawProtoSummary, FlushSummaryWriter, CloseSummaryWriter)


def _on_host(op, *inputs, **attrs):
    """Runs a summary op on the CPU, where event files are written; while tracing, adds it and
    returns the Operation."""
    from tensorflux._src.devices.scope import device

    with device("/CPU:0"):
        op(*inputs, **attrs)
    graph = ctx.graph
    return None if graph is None else graph.get_operations()[-1]


# ------------------------------------------------------------------ default writer state


class _State(threading.local):
    def __init__(self):
        self.writer = None  # the default SummaryWriter
        self.step = None
        self.is_recording = None


_state = _State()


class _SummaryContext:
    """What `SummaryWriter.as_default` returns: the writer (and step) as defaults inside."""

    def __init__(self, writer, step=None):
        self._writer = writer
        self._step = step
        self._saved: list = []

    def __enter__(self):
        s = _state
        self._saved.append((s.writer, s.step))
        s.writer = self._writer
        if self._step is not None:
            s.step = self._step
        return self._writer

    def __exit__(self, *exc):
        s = _state
        writer, step = self._saved.pop()
        try:
            s.writer.flush()
        finally:
            s.writer = writer
            if self._step is not None:
                s.step = step
        return False


class SummaryWriter(metaclass=abc.ABCMeta):
    """The interface of summary writers: made default with `as_default`, flushed, closed."""

    def set_as_default(self, step=None):
        """Makes this writer the default of the current thread (until another is set).

        Args:
          step: if not None, also sets the default step (an int or an int64 variable).
        """
        self.as_default(step).__enter__()

    def as_default(self, step=None):
        """A context manager in which this writer is the default; flushed on exit.

        Args:
          step: if not None, the default step inside (restored on exit); a `tf.Variable` is
            read each time a summary is written.

        Returns:
          The context manager; `with ... as w` gives this writer.
        """
        return _SummaryContext(self, step)

    def init(self):
        """Initializes the writer."""
        raise NotImplementedError()

    def flush(self):
        """Writes buffered events to disk."""
        raise NotImplementedError()

    def close(self):
        """Flushes and closes the writer."""
        raise NotImplementedError()


class _FileSummaryWriter(SummaryWriter):
    """A writer that appends events to one new event file."""

    def __init__(self, cell: WriterCell):
        self._cell = cell
        self._resource = _handle(cell)
        self._closed = False

    def _check_open(self):
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")

    def set_as_default(self, step=None):
        self._check_open()
        super().set_as_default(step)

    def as_default(self, step=None):
        self._check_open()
        return super().as_default(step)

    def init(self):
        """Does nothing for an open writer: its file was created with it.

        Raises:
          RuntimeError: the writer is closed.
        """
        self._check_open()

    def flush(self):
        """Writes buffered events to the file (a no-op once closed)."""
        if self._closed:
            return None
        return _on_host(FlushSummaryWriter, self._resource)

    def close(self):
        """Flushes and closes the event file; later writes through this writer fail."""
        if self._closed:
            return None
        try:
            return _on_host(CloseSummaryWriter, self._resource)
        finally:
            if ctx.graph is None:
                self._closed = True


class _NoopSummaryWriter(SummaryWriter):
    """A writer that writes nothing; making it the default changes nothing."""

    def set_as_default(self, step=None):
        pass

    def as_default(self, step=None):
        return contextlib.nullcontext()

    def init(self):
        pass

    def flush(self):
        pass

    def close(self):
        pass


def create_file_writer(
    logdir,
    max_queue=None,
    flush_millis=None,
    filename_suffix=None,
    name=None,
    experimental_trackable=False,
    experimental_mesh=None,
):
    """Creates a summary writer that writes a new event file in `logdir`.

    The file (`events.out.tfevents.<time>.<host>.<pid>.<n>.v2`) is created at once, with
    `logdir` and its parents. Inside a tf.function the writer is created once, when the
    function is traced.

    Args:
      logdir: directory of the event file (a string or a scalar string tensor).
      max_queue: events kept in memory before a write flushes them (default 10).
      flush_millis: a write flushes when this many milliseconds passed since the last flush
        (default 120000).
      filename_suffix: the file name's ending, in place of ".v2".
      name: accepted for compatibility (TensorFlow's resource name).
      experimental_trackable: accepted; tensorflux writers are plain Python objects either way.
      experimental_mesh: DTensor meshes are not supported (must be None).

    Returns:
      A `tf.summary.SummaryWriter`.

    Raises:
      ValueError: `logdir` is None.
      NotImplementedError: `experimental_mesh` is given.
      FailedPreconditionError: `logdir` is a file.
    """
    if logdir is None:
        raise ValueError("Argument `logdir` cannot be None")
    if experimental_mesh is not None:
        raise NotImplementedError(
            "tf.summary.create_file_writer: DTensor meshes (experimental_mesh) are not "
            "supported by tensorflux."
        )
    with eager_scope():
        if hasattr(logdir, "numpy"):
            logdir = logdir.numpy()
        if isinstance(logdir, bytes):
            logdir = logdir.decode()
        file = EventFileWriter(
            logdir,
            max_queue=10 if max_queue is None else int(_value(max_queue)),
            flush_millis=120000 if flush_millis is None else int(_value(flush_millis)),
            filename_suffix=".v2" if filename_suffix is None else _str(filename_suffix),
        )
        return _FileSummaryWriter(WriterCell(file, str(logdir)))


def _value(x):
    return x.numpy() if hasattr(x, "numpy") else x


def _str(x) -> str:
    x = _value(x)
    return x.decode() if isinstance(x, bytes) else str(x)


def create_noop_writer():
    """Returns a summary writer that writes nothing (useful as a placeholder)."""
    return _NoopSummaryWriter()


# ------------------------------------------------------------------ recording condition, step


@contextlib.contextmanager
def record_if(condition):
    """Turns summary recording on or off inside the context.

    Args:
      condition: True, False, a scalar bool tensor, or a callable returning one; a callable is
        called at each summary call (inside a tf.function: when it is traced, so a condition
        on a variable, e.g. `lambda: step % 100 == 0`, is evaluated at each run).

    Yields:
      Nothing; the previous condition is restored on exit.
    """
    old = _state.is_recording
    _state.is_recording = condition
    try:
        yield
    finally:
        _state.is_recording = old


def _recording():
    """The recording condition now: a Python bool, or a bool tensor while tracing."""
    if _state.writer is None:
        return False
    cond = _state.is_recording
    if callable(cond):
        cond = cond()
    if cond is None:
        return True
    if isinstance(cond, (bool, np.bool_)):
        return bool(cond)
    from tensorflux._src.tensor import EagerTensor, convert_to_tensor

    if isinstance(cond, EagerTensor) or ctx.graph is None:
        return bool(convert_to_tensor(cond, dtype=dtypes.bool).numpy())
    from tensorflux._src.graph.framework import get_static_value

    static = get_static_value(cond)
    return bool(static) if static is not None else cond


def should_record_summaries():
    """Whether summaries are recorded now: a default writer exists and `record_if` allows it.

    Returns:
      A scalar bool tensor.
    """
    from tensorflux._src.tensor import constant

    cond = _recording()
    return constant(cond) if isinstance(cond, bool) else cond


def get_step():
    """The default step (set by `set_step` or `as_default(step=...)`), or None."""
    return _state.step


def set_step(step):
    """Sets the default step for summaries written without an explicit `step`.

    Args:
      step: an int, an int64 tensor or variable (read each time a summary is written), or None.
    """
    _state.step = step


def _step_tensor(step):
    from tensorflux._src.tensor import convert_to_tensor

    t = convert_to_tensor(step, dtype=dtypes.int64)
    # An unknown rank is let through: traced variable reads may lose their static shape.
    if t.shape.rank is not None and t.shape.num_elements() != 1:
        raise ValueError(f"Argument `step` must be a scalar. Received step with shape {t.shape}.")
    return t


_INVALID_SCOPE = re.compile(r"[^-_/.A-Za-z0-9]")


@contextlib.contextmanager
def summary_scope(name, default_name="summary", values=None):
    """Opens a name scope for a summary and gives its tag.

    The tag is `name` under the current name scope, kept as given; the scope name drops the
    characters a name scope cannot hold.

    Args:
      name: the summary's name (`default_name` when empty).
      default_name: the name used when `name` is empty.
      values: accepted for compatibility (the tensors the summary uses).

    Yields:
      `(tag, scope)`: the summary tag and the opened scope (ending in "/").
    """
    from tensorflux._src.module import name_scope

    name = name or default_name
    current = ctx.name_scope
    tag = f"{current}/{name}" if current else name
    scope_name = _INVALID_SCOPE.sub("", name) or default_name
    with name_scope(scope_name) as scope:
        yield tag, scope


# ------------------------------------------------------------------ writing


def _no_step():
    return ValueError(
        "No step set. Please specify one either through the `step` argument or through "
        "tf.summary.experimental.set_step()"
    )


def _serialized(metadata) -> bytes:
    if metadata is None:
        return b""
    if hasattr(metadata, "SerializeToString"):
        return metadata.SerializeToString()
    if hasattr(metadata, "numpy"):
        metadata = metadata.numpy()
    return metadata.encode("utf-8") if isinstance(metadata, str) else bytes(metadata)


def _record(op, step, *inputs, **attrs):
    """Writes through the default writer unless recording is off; returns a bool tensor."""
    from tensorflux._src.control_flow.cond import cond
    from tensorflux._src.tensor import constant

    def record():
        if step is None:
            raise _no_step()
        from tensorflux._src.devices.scope import device

        with device("/CPU:0"):
            values = [x() if callable(x) else x for x in inputs]
            op(_state.writer._resource, _step_tensor(step), *values, **attrs)
        return constant(True)

    recording = _recording()
    if isinstance(recording, bool):
        return record() if recording else constant(False)
    return cond(recording, record, lambda: constant(False))


def write(tag, tensor, step=None, metadata=None, name=None):
    """Writes a tensor with a tag and metadata to the default writer (the op under the others).

    Args:
      tag: the summary tag (a string or scalar string tensor), usually from `summary_scope`.
      tensor: the tensor to write, or a callable returning it, called only when recording.
      step: an int64-castable step; None uses `tf.summary.experimental.get_step()`.
      metadata: a `SummaryMetadata` message or its serialized bytes (optional).
      name: optional name for the op.

    Returns:
      A scalar bool tensor: True when written, False when there is no default writer or
      recording is off.

    Raises:
      ValueError: a default writer exists and no step was given or set, or `step` is not a
        scalar.
      TypeError: `step` cannot be converted to int64.
    """
    from tensorflux._src.tensor import constant, convert_to_tensor

    if step is not None:
        _step_tensor(step)
    if _state.writer is None:
        return constant(False)
    if step is None:
        step = get_step()
    serialized = _serialized(metadata)

    def value():
        t = tensor() if callable(tensor) else tensor
        return convert_to_tensor(t)

    def op(writer, step_t, t, tag_t, meta_t):
        return WriteSummary(writer, step_t, t, tag_t, meta_t, T=t.dtype, name=name)

    return _record(
        op, step, value, lambda: convert_to_tensor(tag, dtype=dtypes.string),
        lambda: constant(serialized, dtype=dtypes.string),
    )  # fmt: skip


def write_raw_pb(tensor, step=None, name=None):
    """Writes serialized `Summary` messages (a string tensor of them) to the default writer.

    Args:
      tensor: a string tensor, each element a serialized `tf.compat.v1.Summary`.
      step: an int64-castable step; None uses the default step.
      name: optional name for the op.

    Returns:
      A scalar bool tensor: True when written.

    Raises:
      ValueError: a default writer exists and no step was given or set.
    """
    from tensorflux._src.tensor import constant, convert_to_tensor

    if step is not None:
        _step_tensor(step)
    if _state.writer is None:
        return constant(False)
    if step is None:
        step = get_step()

    def op(writer, step_t, t):
        return WriteRawProtoSummary(writer, step_t, t, name=name)

    return _record(op, step, lambda: convert_to_tensor(tensor, dtype=dtypes.string))


def flush(writer=None, name=None):
    """Flushes a writer's buffered events (the default writer's when `writer` is None).

    Args:
      writer: a `SummaryWriter`, or None for the default one (no default: nothing happens).
      name: accepted for compatibility.

    Returns:
      None eagerly.
    """
    if writer is None:
        writer = _state.writer
        if writer is None:
            return None
    return writer.flush()


def has_default_writer() -> bool:
    return _state.writer is not None


def current_writer_cell():
    """The open WriterCell of the default writer, or None (eager code such as tf.summary.graph)."""
    return getattr(_state.writer, "_cell", None)
