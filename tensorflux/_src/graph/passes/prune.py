"""Pruning: drops the ops no output needs, keeping stateful ops and what they read."""

from __future__ import annotations

from tensorflux._src.graph.graph import Graph
from tensorflux._src.graph.passes._rewrite import Rewriter, check_outputs, is_opaque, is_stateful


def live_ops(graph: Graph, outputs) -> set:
    """Ids of the ops that outputs, stateful/opaque ops and argument placeholders depend on."""
    roots = [t.op for t in outputs] + [p.op for p in graph.inputs]
    roots += [op for op in graph._ops if is_stateful(op) or is_opaque(op)]
    live: set[int] = set()
    stack = list(roots)
    while stack:
        op = stack.pop()
        if id(op) in live:
            continue
        live.add(id(op))
        stack.extend(x.op for x in op.inputs)
        stack.extend(op._control_inputs)
    return live


def prune(graph: Graph, outputs):
    """Removes dead ops: those neither `outputs` nor any stateful op needs.

    Argument placeholders (`graph.inputs`) stay, since callers feed them by position; captured
    placeholders nothing reads are dropped together with their capture.

    Args:
      graph: the Graph (left unchanged).
      outputs: the tensors that must still be computable.

    Returns:
      `(new_graph, new_outputs, changes)`, changes being the number of ops removed.
    """
    outputs = check_outputs(graph, outputs)
    live = live_ops(graph, outputs)
    rw = Rewriter(graph)
    for op in graph._ops:
        if id(op) in live:
            rw.copy(op)
        else:
            rw.drop(op)
    g, outs = rw.finish(outputs)
    return g, outs, rw.changes
