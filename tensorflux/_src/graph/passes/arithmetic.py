"""Algebraic simplification: rewrites that give bit-identical values, dtypes and shapes.

x * 1, 1 * x, x / 1        -> x      (real floats and integers; 1 may broadcast into x)
x - 0, x + (-0.0), x + 0   -> x      (x + 0 only for integers: -0.0 + 0.0 is +0.0)
-(-x)                      -> x
Identity(x)                -> x      (same device)
Cast(x) to x's dtype       -> x
Transpose(Transpose(x))    -> x, or one Transpose with the composed permutation
Reshape(Reshape(x, s), t)  -> Reshape(x, t)   (when the inner reshape cannot fail)
Reshape(x, s) to x's known shape -> x
"""

from __future__ import annotations

from typing import Optional

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.graph.graph import Graph, Operation, SymbolicTensor
from tensorflux._src.graph.passes._rewrite import (
    Rewriter,
    check_outputs,
    const_value,
    is_pure,
)


def at_least_as_known(new: TensorShape, old: TensorShape) -> bool:
    """`new` agrees with every dimension `old` knows."""
    if old.rank is None:
        return True
    if new.rank != old.rank:
        return False
    return all(o is None or n == o for n, o in zip(new.as_list(), old.as_list()))


def _absorbs(x: TensorShape, c: tuple) -> bool:
    """Broadcasting a constant of shape `c` against `x` always gives x's shape."""
    if x.rank is None or len(c) > x.rank:
        return False
    xs = x.as_list()[x.rank - len(c) :]
    return all(cd == 1 or (xd is not None and xd == cd) for xd, cd in zip(xs, c))


def _is_real(dt: dtypes.DType) -> bool:
    return (dt.is_floating or dt.is_integer) and not dt.is_complex and dt is not dtypes.bool


def _all(c: Optional[np.ndarray], pred) -> bool:
    return c is not None and c.size > 0 and bool(np.all(pred(c)))


def _neutral(op: Operation, ins: list) -> Optional[SymbolicTensor]:
    """The input that `op` leaves unchanged (x for x*1, x-0, ...), if any."""
    t = op.type
    if t not in ("Mul", "AddV2", "Sub", "RealDiv") or len(ins) != 2:
        return None
    dt = op.outputs[0].dtype
    if not _is_real(dt):
        return None
    fl = dt.is_floating
    one = lambda c: c == 1  # noqa: E731
    cands = []
    if t == "Mul":
        cands = [(0, 1, one), (1, 0, one)]
    elif t == "RealDiv" and fl:
        cands = [(0, 1, one)]
    elif t == "Sub":
        cands = [(0, 1, (lambda c: (c == 0) & ~np.signbit(c)) if fl else (lambda c: c == 0))]
    elif t == "AddV2":
        zero = (lambda c: (c == 0) & np.signbit(c)) if fl else (lambda c: c == 0)
        cands = [(0, 1, zero), (1, 0, zero)]
    for keep, other, pred in cands:
        c = const_value(ins[other])
        if c is not None and _all(np.asarray(c), pred) and _absorbs(ins[keep].shape, c.shape):
            return ins[keep]
    return None


def _perm(t: SymbolicTensor) -> Optional[np.ndarray]:
    c = const_value(t)
    if c is None or c.ndim != 1 or (c < 0).any():
        return None
    return c


def _reshape_safe(x: TensorShape, shape: np.ndarray) -> bool:
    """Reshaping a tensor of static shape `x` to `shape` succeeds whatever is fed."""
    if x.rank is None or shape.ndim != 1:
        return False
    dims = [int(d) for d in shape]
    known = [d for d in x.as_list() if d is not None]
    count = int(np.prod(known, dtype=np.int64))
    holes = dims.count(-1)
    rest = int(np.prod([d for d in dims if d != -1], dtype=np.int64))
    if holes > 1 or any(d < -1 for d in dims):
        return False
    if holes == 1:
        return rest > 0 and count % rest == 0
    return len(known) == x.rank and rest == count


def _simplify(op: Operation, rw: Rewriter) -> bool:
    """Rewrites `op` if a rule applies; True when it did."""
    ins = rw.inputs(op)
    out = op.outputs[0] if len(op.outputs) == 1 else None
    if out is None:
        return False

    def forward(x: SymbolicTensor) -> bool:
        ok = (
            x.dtype is out.dtype
            and x.op.device == op.device
            and at_least_as_known(x.shape, out.shape)
        )
        if ok:
            rw.forward(op, [x])
        return ok

    def plain(x: SymbolicTensor, typ: str) -> bool:  # x is made by a rewritable op of type typ
        return x.op.type == typ and not x.op._control_inputs and x.op.device == op.device

    t = op.type
    x = _neutral(op, ins)
    if x is not None:
        return forward(x)
    if t == "Identity" and len(ins) == 1:
        return forward(ins[0])
    if t == "Cast" and ins[0].dtype is out.dtype:
        return forward(ins[0])
    if t == "Neg" and plain(ins[0], "Neg"):
        return forward(ins[0].op.inputs[0])
    if t == "Transpose" and len(ins) == 2:
        p2 = _perm(ins[1])
        if p2 is None:
            return False
        if np.array_equal(p2, np.arange(p2.size)):
            return forward(ins[0])
        if plain(ins[0], "Transpose"):
            p1 = _perm(ins[0].op.inputs[1])
            if p1 is None or p1.size != p2.size:
                return False
            src = ins[0].op.inputs[0]
            composed = p1[p2]
            if np.array_equal(composed, np.arange(composed.size)):
                return forward(src)
            perm = rw.constant(composed.astype(p2.dtype), ins[1].dtype, f"{op.name}/perm")
            rw.copy(op, inputs=[src, perm])
            rw.changes += 1
            return True
    if t == "Reshape" and len(ins) == 2:
        x = ins[0]
        if x.shape.is_fully_defined() and same_known(x.shape, out.shape):
            return forward(x)
        shape = const_value(ins[1])
        if plain(x, "Reshape") and shape is not None:
            inner_src, inner_shape = x.op.inputs
            s1 = const_value(inner_shape)
            if s1 is not None and _reshape_safe(inner_src.shape, s1):
                rw.copy(op, inputs=[inner_src, ins[1]])
                rw.changes += 1
                return True
    return False


def same_known(a: TensorShape, b: TensorShape) -> bool:
    return a.rank is not None and b.rank is not None and a.as_list() == b.as_list()


def arithmetic(graph: Graph, outputs):
    """Applies the rewrites in this module's docstring to every pure op without control inputs.

    Args:
      graph: the Graph (left unchanged).
      outputs: the tensors to keep computable.

    Returns:
      `(new_graph, new_outputs, changes)`, changes being the number of rewrites.
    """
    outputs = check_outputs(graph, outputs)
    rw = Rewriter(graph)
    for op in graph._ops:
        if is_pure(op) and not op._control_inputs and _simplify(op, rw):
            continue
        rw.copy(op)
    g, outs = rw.finish(outputs)
    return g, outs, rw.changes
