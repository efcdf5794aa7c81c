"""Common subexpression elimination: one node for each (op type, inputs, attrs, device) found.

Runs in graph order on the rewritten inputs, so merges cascade: once two `Const`s merge, the ops
reading them can merge too.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.graph.graph import CONST, Graph, Operation
from tensorflux._src.graph.passes._rewrite import (
    Rewriter,
    check_outputs,
    is_pure,
    same_static_shape,
)

# Constants bigger than this are not compared (hashing their bytes would cost more than it saves).
MAX_CONST_ELEMENTS = 1 << 12


def _key(v):
    """A hashable key equal for attr values that behave the same (bit-exact for floats)."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, float):
        return ("f", v.hex() if v == v else "nan")
    if isinstance(v, (str, bytes)) or v is None:
        return ("s", v)
    if isinstance(v, dtypes.DType):
        return ("t", v.name)
    if isinstance(v, TensorShape):
        return ("S", None if v.rank is None else tuple(v.as_list()))
    if isinstance(v, (np.ndarray, np.generic)):
        a = np.asarray(v)
        if a.dtype.hasobject:  # bytes would be pointers
            raise TypeError("no key for object arrays")
        return ("a", a.dtype.str, a.shape, a.tobytes())
    if isinstance(v, (list, tuple)):
        return ("l", type(v).__name__, tuple(_key(x) for x in v))
    raise TypeError(f"no key for attr value of type {type(v).__name__}")


def _op_key(op: Operation, rw: Rewriter):
    if op.op_def is CONST:
        value = op.attrs["value"]
        if np.size(value) > MAX_CONST_ELEMENTS:
            return None
        try:
            return ("Const", op.outputs[0].dtype.name, op.device, _key(value))
        except TypeError:
            return None
    if not is_pure(op):
        return None
    try:
        attrs = tuple(sorted((k, _key(v)) for k, v in op.attrs.items()))
    except TypeError:
        return None
    ins = tuple(id(rw.tensor(x)) for x in op.inputs)
    ctrl = tuple(sorted(id(c) for c in rw._controls(op)))
    return (id(op.op_def), ins, attrs, op.device, ctrl)


def cse(graph: Graph, outputs):
    """Merges ops that compute the same thing: same op type, inputs, attrs, device and control
    inputs. Stateful ops, placeholders and ops holding sub-graphs or functions are never merged.

    Args:
      graph: the Graph (left unchanged).
      outputs: the tensors to keep computable.

    Returns:
      `(new_graph, new_outputs, changes)`, changes being the number of ops merged away.
    """
    outputs = check_outputs(graph, outputs)
    rw = Rewriter(graph)
    seen: dict = {}
    for op in graph._ops:
        key = _op_key(op, rw)
        hit = seen.get(key) if key is not None else None
        if hit is not None and all(
            a.dtype is b.dtype and same_static_shape(a.shape, b.shape)
            for a, b in zip(op.outputs, hit.outputs)
        ):
            rw.forward(op, hit.outputs)
            continue
        new = rw.copy(op)
        if key is not None:
            seen.setdefault(key, new)
    g, outs = rw.finish(outputs)
    return g, outs, rw.changes
