"""tf.function: tracing Python functions into graphs (see docs/design/function.md)."""

from __future__ import annotations

import contextlib

from tensorflux._src.core import context as _context
from tensorflux._src.function.concrete import ConcreteFunction, FuncGraph
from tensorflux._src.function.polymorphic import Function, function


@contextlib.contextmanager
def init_scope():
    """Runs the body eagerly, outside any function being traced, with tapes paused.

    Code that creates state once (variables, lookup tables) uses it from inside a tf.function.
    """
    with _context.eager_scope(), _context.pause_tapes():
        yield


__all__ = ["ConcreteFunction", "FuncGraph", "Function", "function", "init_scope"]
