"""Tracing: call a Python function on placeholders to build a graph of the ops it calls.

`trace(fn, input_specs)` is the core that `tf.function` builds on; `run_traced(fn, args)` traces
with the shapes and dtypes of `args` and runs the graph on them, which the op tests use to check
that a traced call matches the eager one.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional, Sequence

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, nest
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.graph.executor import Executor
from tensorflux._src.graph.graph import Graph, SymbolicTensor
from tensorflux._src.tensor import Tensor


class InputSpec:
    """The shape and dtype of one traced argument (what `tf.TensorSpec` describes)."""

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype, name: Optional[str] = None):
        self.shape = as_shape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name

    def __repr__(self) -> str:
        return f"InputSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"


def _is_spec(x) -> bool:
    """A leaf that becomes a placeholder: a spec-like object (shape and dtype), not a value."""
    if isinstance(x, InputSpec):
        return True
    if isinstance(x, (Tensor, np.ndarray, np.generic)) or getattr(x, "_is_variable", False):
        return False
    return hasattr(x, "shape") and isinstance(getattr(x, "dtype", None), dtypes.DType)


def _arg_names(fn, n_args: int) -> list:
    """Names for the placeholders of the first `n_args` positional arguments."""
    names = []
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        params = []
    for p in params:
        if len(names) == n_args:
            break
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            names.append(p.name)
        elif p.kind == p.VAR_POSITIONAL:
            start = len(names)
            names += [f"{p.name}_{i - start}" for i in range(start, n_args)]
    names += [f"args_{i}" for i in range(len(names), n_args)]
    return names


def trace(
    fn: Callable,
    input_specs: Sequence[Any],
    kwargs: Optional[dict] = None,
    graph: Optional[Graph] = None,
):
    """Builds the graph of `fn` called on placeholders.

    Args:
      fn: the Python function to trace.
      input_specs: its positional arguments. Spec leaves (`InputSpec`, or anything with `shape`
        and a tf `dtype` that is not a tensor or array) become placeholders, anywhere in nested
        lists, tuples and dicts; every other value is passed to `fn` unchanged.
      kwargs: keyword arguments, treated the same way.
      graph: the Graph to build into (a new one by default).

    Returns:
      `(graph, placeholders, outputs)`: the graph, its placeholders in argument order (positional
      then keyword, each flattened), and what `fn` returned, with graph tensors in it.
    """
    if graph is None:
        graph = Graph()
        graph._keeps_v1_variables = False  # a scratch graph (Keras shape tracing), not TF1 code
    kwargs = dict(kwargs or {})
    args = list(input_specs)
    names = _arg_names(fn, len(args))
    placeholders: list[SymbolicTensor] = []

    def make(structure, base):
        leaves = nest.flatten(structure)
        if not any(_is_spec(x) for x in leaves):
            return structure
        out = []
        for x in leaves:
            if _is_spec(x):
                p = graph.placeholder(x.dtype, x.shape, getattr(x, "name", None) or base)
                placeholders.append(p)
                out.append(p)
            else:
                out.append(x)
        return nest.pack_sequence_as(structure, out)

    old_scope = _context.set_name_scope("")
    try:
        with _context.graph_scope(graph):
            call_args = [make(a, n) for a, n in zip(args, names)]
            call_kwargs = {k: make(v, k) for k, v in sorted(kwargs.items())}
            outputs = fn(*call_args, **call_kwargs)
    finally:
        _context.set_name_scope(old_scope)
    graph.inputs = list(placeholders)
    graph.outputs = [t for t in nest.flatten(outputs) if isinstance(t, SymbolicTensor)]
    return graph, placeholders, outputs


def _spec_of(t, unknown_dims: bool) -> InputSpec:
    shape = t.shape
    if unknown_dims and shape.rank is not None:
        shape = TensorShape([None] * shape.rank)
    return InputSpec(shape, t.dtype)


def run_traced(
    fn: Callable, args: Sequence[Any], kwargs: Optional[dict] = None, unknown_dims: bool = False
):
    """Traces `fn` with the shapes and dtypes of the tensors in `args`, then runs the graph on them.

    Args:
      fn: the function.
      args: positional arguments; tensors (also inside lists, tuples and dicts) become
        placeholders fed with their values, anything else stays a Python value.
      kwargs: keyword arguments, treated the same way.
      unknown_dims: trace with every dimension unknown (ranks kept) instead of the exact shapes.

    Returns:
      What `fn` returns, with its graph tensors replaced by eager results.
    """
    kwargs = dict(kwargs or {})
    fed: list = []

    def to_specs(structure):
        leaves = nest.flatten(structure)
        if not any(isinstance(x, Tensor) for x in leaves):
            return structure
        out = []
        for x in leaves:
            if isinstance(x, Tensor):
                fed.append(x)
                out.append(_spec_of(x, unknown_dims))
            else:
                out.append(x)
        return nest.pack_sequence_as(structure, out)

    spec_args = [to_specs(a) for a in args]
    spec_kwargs = {k: to_specs(v) for k, v in sorted(kwargs.items())}
    graph, placeholders, outputs = trace(fn, spec_args, spec_kwargs)
    leaves = nest.flatten(outputs)
    fetches = [t for t in leaves if isinstance(t, SymbolicTensor)]
    values = iter(Executor(graph, placeholders, fetches)(*fed))
    flat = [next(values) if isinstance(t, SymbolicTensor) else t for t in leaves]
    if not nest.is_nested(outputs):
        return flat[0]
    return nest.pack_sequence_as(outputs, flat)
