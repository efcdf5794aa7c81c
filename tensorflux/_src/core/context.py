"""The execution context: per-thread state that every op call consults.

It says whether ops run now (eager) or are added to a graph being traced, which tapes are
recording, which device scope and name scope are open. Layers above register themselves here
(a graph builder, a tape) so that the dispatch point calls upward without importing upward.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any, Optional


class _Context(threading.local):
    def __init__(self):
        self.graph: Any = None  # the graph being built (layer 3 object), or None when eager
        self.tapes: list = []  # recording tapes, innermost last
        self.device: Any = None  # the Device scoped by tf.device, or None for the default
        self.device_spec: Any = None  # the DeviceSpec of the innermost tf.device scope
        self.name_scope: str = ""
        self.hooks: list = []  # callables(op, inputs, attrs) seeing every dispatch (tests, debug)
        self.fast: bool = True  # eager, no tape, no device scope, no hooks: the lean path
        self.eager_plain: bool = True  # the same but tapes allowed (they record afterwards)
        self.update()

    def update(self) -> None:
        self.eager_plain = (
            self.graph is None and self.device is None and not self.hooks and not _DEBUG
        )
        self.fast = self.eager_plain and not self.tapes


_DEBUG = bool(os.environ.get("TFX_DEBUG"))
ctx = _Context()


def executing_eagerly() -> bool:
    """True when ops run immediately, False while a graph is being traced."""
    return ctx.graph is None


@contextlib.contextmanager
def graph_scope(graph):
    """Makes ops called inside add nodes to `graph` instead of running."""
    c = ctx
    old = c.graph
    c.graph = graph
    c.update()
    try:
        yield graph
    finally:
        c.graph = old
        c.update()


@contextlib.contextmanager
def eager_scope():
    """Runs ops eagerly inside, even while a graph is being traced (tf.init_scope's core)."""
    with graph_scope(None):
        yield


def push_tape(tape) -> None:
    ctx.tapes.append(tape)
    ctx.update()


def pop_tape(tape) -> None:
    tapes = ctx.tapes
    for i in range(len(tapes) - 1, -1, -1):
        if tapes[i] is tape:
            del tapes[i]
            break
    ctx.update()


@contextlib.contextmanager
def pause_tapes():
    """No tape records inside (GradientTape.stop_recording and gradient computation)."""
    c = ctx
    saved = c.tapes
    c.tapes = []
    c.update()
    try:
        yield
    finally:
        c.tapes = saved
        c.update()


@contextlib.contextmanager
def dispatch_hook(fn):
    """Calls `fn(op, inputs, attrs)` on every op dispatched inside (used by tests and TFX_DEBUG)."""
    c = ctx
    c.hooks.append(fn)
    c.update()
    try:
        yield
    finally:
        c.hooks.remove(fn)
        c.update()


def set_debug(on: bool) -> None:
    global _DEBUG
    _DEBUG = on
    ctx.update()


def debug() -> bool:
    return _DEBUG


def current_name_scope() -> str:
    return ctx.name_scope


def set_name_scope(scope: str) -> str:
    old = ctx.name_scope
    ctx.name_scope = scope
    return old


def set_device(device, spec) -> tuple:
    c = ctx
    old = (c.device, c.device_spec)
    c.device, c.device_spec = device, spec
    c.update()
    return old


def current_device() -> Optional[Any]:
    return ctx.device


# Process-wide switches set through tf.config (not per thread, as in TensorFlow).
_RUN_FUNCTIONS_EAGERLY = False
_OP_DETERMINISM = False


# tf.config.optimizer.set_experimental_options flags; tf.function's graph pipeline reads them.
OPTIMIZER_OPTIONS: dict = {}
INTER_OP_THREADS: list = [0]  # tf.config.threading's inter-op setting (0: CPU count)
# While tf.summary.trace_on(graph=True) is active: the graphs of the functions run since.
GRAPH_TRACE: Optional[dict] = None  # id(graph) -> graph, in first-call order


def set_run_functions_eagerly(on: bool) -> None:
    """tf.config.run_functions_eagerly: tf.function calls run their Python function eagerly."""
    global _RUN_FUNCTIONS_EAGERLY
    _RUN_FUNCTIONS_EAGERLY = bool(on)


def functions_run_eagerly() -> bool:
    return _RUN_FUNCTIONS_EAGERLY


def set_op_determinism(on: bool) -> None:
    """tf.config.experimental.enable_op_determinism: ops must give the same result every run."""
    global _OP_DETERMINISM
    _OP_DETERMINISM = bool(on)


def op_determinism() -> bool:
    return _OP_DETERMINISM
