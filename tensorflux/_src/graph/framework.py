"""Graph-building helpers: tf.control_dependencies, tf.group, tf.no_op, tf.get_static_value."""

from __future__ import annotations

import contextlib

import numpy as np

from tensorflux._src.core.context import ctx
from tensorflux._src.core.registry import Rule, defop, not_differentiable

NoOp = defop(
    "NoOp",
    infer=Rule(lambda in_dtypes, attrs: [], lambda inputs, attrs: []),
    num_outputs=0,
)


@NoOp.kernel
def _(xp):
    return []


not_differentiable(NoOp)


def _last_op(graph):
    return graph.get_operations()[-1]


def no_op(name=None):
    """Does nothing; useful as a target of control dependencies.

    Args:
      name: Optional name for the operation.

    Returns:
      The created `Operation` while building a graph, None when executing eagerly.
    """
    graph = ctx.graph
    if graph is None:
        return None
    NoOp(name=name)
    return _last_op(graph)


def control_dependencies(control_inputs):
    """A context in which new ops run only after `control_inputs`.

    Eagerly, ops already ran in program order, so this is a no-op context (callables given are
    called, as TensorFlow does).

    Args:
      control_inputs: Operations or tensors that must run first, or None to clear the active
        dependencies.

    Returns:
      A context manager.
    """
    graph = ctx.graph
    if graph is None:
        if control_inputs:
            for c in control_inputs:
                if callable(c):
                    c()
        return contextlib.nullcontext()
    return graph.control_dependencies(control_inputs)


def group(*inputs, **kwargs):
    """An op that runs after all of `inputs` and has no output.

    Args:
      *inputs: Operations or tensors (nested lists are flattened) to wait for.
      name: Optional name for the operation.

    Returns:
      The `NoOp` operation while building a graph, None when executing eagerly.

    Raises:
      TypeError: On unexpected keyword arguments.
    """
    name = kwargs.pop("name", None)
    if kwargs:
        raise TypeError("Unknown keyword arguments: " + ", ".join(sorted(kwargs)))
    graph = ctx.graph
    if graph is None:
        return None
    from tensorflux._src.graph.graph import SymbolicTensor

    flat = []

    def walk(x):
        if isinstance(x, dict):
            for k in sorted(x):
                walk(x[k])
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        elif getattr(x, "_graph_op", None) is not None:  # what `v.assign(...)` returned
            flat.append(x._graph_op)
        elif x is not None:
            flat.append(x)

    walk(inputs)
    deps = [x for x in flat if isinstance(x, SymbolicTensor) or hasattr(x, "control_inputs")]
    with graph.control_dependencies(deps):
        return no_op(name=name or "group_deps")


# The op types whose values TensorFlow's constant_value computes while building.
_FOLDABLE = frozenset((
    "Const", "Shape", "Size", "Rank", "Range", "Cast", "Concat", "ConcatV2", "Pack", "Unpack",
    "Fill", "Identity", "StopGradient", "StridedSlice", "Equal", "NotEqual", "ExpandDims",
    "Squeeze",
))  # fmt: skip


def get_static_value(tensor, partial=False):
    """The value of `tensor` if it can be known without running the graph, else None.

    Args:
      tensor: A tensor (eager or symbolic) or any other value.
      partial: Accepted for compatibility; partially known values are not computed.

    Returns:
      A NumPy array (eager tensors and constant-foldable symbolic tensors), None when the
      value depends on run-time data (and for variables), or `tensor` itself when it is not a
      tensor.

    """
    from tensorflux._src.graph.graph import SymbolicTensor
    from tensorflux._src.tensor import Tensor

    from tensorflux._src.variables import is_variable

    if is_variable(tensor):
        return None
    if isinstance(tensor, SymbolicTensor):
        if tensor.op.type not in _FOLDABLE:
            return None
        v = tensor._static_value()
        return None if v is None else np.asarray(v)
    if isinstance(tensor, Tensor):
        try:
            return tensor.numpy()
        except Exception:  # noqa: BLE001 - tensors without host values have no static value
            return None
    return tensor
