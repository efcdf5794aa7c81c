"""Constant folding: runs pure ops whose inputs are all constants once, keeping the results.

Also folds `Shape`, `Size` and `Rank` of tensors whose static shape is fully known (the executor
checks fed shapes against the placeholders', so the static shape is what will be seen).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src import devices as _devices
from tensorflux._src import dispatch
from tensorflux._src.core import context as _context
from tensorflux._src.graph.graph import CONST, Graph, Operation, fold_shape_op
from tensorflux._src.graph.passes._rewrite import Rewriter, check_outputs, is_pure
from tensorflux._src.tensor import EagerTensor

# Folding replaces computation by memory: outputs larger than this stay computed at run time.
MAX_ELEMENTS = 1 << 16


def _shape_fold(op: Operation):
    if op.type not in ("Shape", "Size", "Rank") or len(op.inputs) != 1 or len(op.outputs) != 1:
        return None
    return fold_shape_op(op)


def _evaluate(op: Operation, vals: list, max_elements: int):
    """The op's outputs on constant `vals` as host arrays, or None when it cannot be folded."""
    if sum(np.size(v) for v in vals) > max_elements:
        return None
    dev = _devices.CPU0
    ins = [EagerTensor(np.asarray(v), x.dtype, dev) for v, x in zip(vals, op.inputs)]
    try:
        with _context.eager_scope(), np.errstate(all="ignore"):
            res = dispatch.execute(op.op_def, ins, op.attrs)
    except Exception:  # the run-time error (if any) is reported when the graph runs
        return None
    res = res if isinstance(res, list) else [res]
    out = []
    for r, t in zip(res, op.outputs):
        v = np.asarray(r.numpy())
        if r.dtype is not t.dtype or np.size(v) > max_elements:
            return None
        if t.shape.rank is not None and not t.shape.is_compatible_with(v.shape):
            return None
        out.append(v)
    return out if len(out) == len(op.outputs) else None


def constant_folding(graph: Graph, outputs, max_elements: int = MAX_ELEMENTS):
    """Replaces pure ops computable from constants by `Const` nodes.

    Stateful ops, ops holding sub-graphs or functions, and ops on resource/variant tensors are
    never folded; neither are ops with control inputs (the ordering they carry would be lost).

    Args:
      graph: the Graph (left unchanged).
      outputs: the tensors to keep computable.
      max_elements: the largest input total and output size folded.

    Returns:
      `(new_graph, new_outputs, changes)`, changes being the number of ops folded.
    """
    outputs = check_outputs(graph, outputs)
    rw = Rewriter(graph)
    for op in graph._ops:
        vals = None
        if is_pure(op) and not op._control_inputs and op.outputs:
            vals = _shape_fold(op)
            if vals is None and op.inputs:
                ins = rw.inputs(op)
                if all(x.op.op_def is CONST for x in ins):
                    vals = _evaluate(op, [x.op.attrs["value"] for x in ins], max_elements)
        if vals is None:
            rw.copy(op)
            continue
        one = len(vals) == 1
        consts = [
            rw.constant(v, t.dtype, op.name if one else f"{op.name}/folded", op.device, reuse=one)
            for v, t in zip(vals, op.outputs)
        ]
        rw.forward(op, consts)
    g, outs = rw.finish(outputs)
    return g, outs, rw.changes
