"""Dead-branch removal: an If/Case whose predicate or index is a constant becomes its branch.

Constant folding often turns a predicate into a `Const` (a static shape test, a flag); the
branch op then always runs the same sub-graph, so the pass copies that branch's ops into the
graph in the op's place (its placeholders read the op's inputs) and drops the other branches.
Inlined ops inherit the op's control inputs, and whatever waited for the op waits for them.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.graph.graph import CONST, PLACEHOLDER, Graph
from tensorflux._src.graph.passes._rewrite import Rewriter, check_outputs, const_value

_BRANCH_OPS = ("If", "StatelessIf", "Case", "StatelessCase")


def _chosen(op):
    """(sub-graph, input indices) the op always runs, or None when not statically known."""
    value = const_value(op.inputs[0])
    if value is None or np.size(value) != 1:
        return None
    attrs = op.attrs
    if op.type in ("If", "StatelessIf"):
        k = 0 if bool(np.asarray(value).reshape(())) else 1
        branch = attrs["then_branch"] if k == 0 else attrs["else_branch"]
    else:
        branches = attrs["branches"]
        k = int(np.asarray(value).reshape(()))
        if not 0 <= k < len(branches):
            k = len(branches) - 1  # out of range runs the last branch (the default)
        branch = branches[k]
    return branch, attrs["branch_inputs"][k]


def _inlinable(branch, op) -> bool:
    g = branch.graph
    if g.captures or getattr(branch, "recorded", None):
        return False
    if len(branch.outputs) != len(op.outputs):
        return False
    return all(a.dtype is b.dtype for a, b in zip(branch.outputs, op.outputs))


def _inline(rw: Rewriter, op, branch, index) -> list:
    """Copies `branch`'s ops into the new graph; returns the new tensors of its outputs."""
    args = rw.inputs(op)[1:]  # op inputs: predicate/index, then the branch arguments
    env: dict[int, object] = {}
    for ph, i in zip(branch.inputs, index):
        env[id(ph)] = args[i]
    controls = rw._controls(op)
    made = []
    for inner in branch.graph._ops:
        if inner.op_def is PLACEHOLDER:
            if id(inner.outputs[0]) not in env:
                raise ValueError(f"Pass bug: unfed branch placeholder {inner.name}")
            continue
        if inner.op_def is CONST:
            value = inner.attrs["value"]
            new_t = rw.constant(value, inner.outputs[0].dtype, f"{op.name}/{inner.name}")
            env[id(inner.outputs[0])] = new_t
            continue
        ins = [env[id(x)] for x in inner.inputs]
        new = rw.add(
            f"{op.name}/{inner.name}",
            inner.op_def,
            ins,
            dict(inner.attrs),
            [t.dtype for t in inner.outputs],
            [t.shape for t in inner.outputs],
            inner.device or op.device,
            None,
        )
        inner_controls = [env_op for c in inner._control_inputs for env_op in _ops_for(env, c)]
        new._control_inputs = list(controls) + [c for c in inner_controls if c not in controls]
        env[("op", id(inner))] = new
        for a, b in zip(inner.outputs, new.outputs):
            env[id(a)] = b
        made.append(new)
    return [env[id(t)] for t in branch.outputs], made


def _ops_for(env, control_op):
    new = env.get(("op", id(control_op)))
    return [new] if new is not None else []


def dead_branch(graph: Graph, outputs):
    """Replaces If/Case ops with a constant predicate or index by their chosen branch.

    Args:
      graph: the Graph (left unchanged).
      outputs: the tensors that must still be computable.

    Returns:
      `(new_graph, new_outputs, changes)`, changes being the number of branch ops inlined.
    """
    outputs = check_outputs(graph, outputs)
    rw = Rewriter(graph)
    inlined = 0
    for op in graph._ops:
        chosen = _chosen(op) if op.type in _BRANCH_OPS else None
        if chosen is None or not _inlinable(chosen[0], op):
            rw.copy(op)
            continue
        tensors, made = _inline(rw, op, *chosen)
        rw.forward(op, tensors)
        rw._o[id(op)] = made or [t.op for t in tensors]
        inlined += 1
    g, outs = rw.finish(outputs)
    return g, outs, inlined
