"""Sub-graphs of control-flow ops: tracing a branch or loop body, running it, replaying it.

A control-flow op (If, Case, While) keeps its branches as `Graph` attributes. `trace_fn` traces a
Python function on placeholders into a fresh graph and turns everything the function captured from
outside (tensors of enclosing graphs, eager tensors, variable handles) into extra explicit inputs,
listed in `SubGraph.captured`; the op passes those values as ordinary inputs. `run` executes a
sub-graph on eager tensors (what the kernels do). `replay` re-issues a sub-graph's ops through the
dispatch point (so tapes record them), which is how gradients of control flow are built.
"""

from __future__ import annotations

import threading

import numpy as np

from tensorflux._src import devices as _devices
from tensorflux._src import dispatch
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, nest
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.graph.executor import Executor
from tensorflux._src.graph.graph import CONST, PLACEHOLDER, Graph, SymbolicTensor, reachable_ops
from tensorflux._src.graph.trace import InputSpec, trace
from tensorflux._src.tensor import EagerTensor, Tensor, _wrap_constant, convert_to_tensor

_ctx = _context.ctx


class Cell:
    """Per-thread storage a control-flow kernel fills for its gradient (enabled on demand)."""

    def __init__(self):
        self.enabled = False
        self._local = threading.local()

    def store(self, values) -> None:
        self._local.values = values

    def get(self):
        return getattr(self._local, "values", None)

    def __repr__(self) -> str:
        return f"<record cell enabled={self.enabled}>"


def _recorded_tensors(graph, outputs) -> list:
    """Outputs of stateful, non-differentiable ops (random draws) the outputs need.

    A gradient replays the sub-graph; these values must be the ones the forward run drew, so the
    forward kernel fetches and keeps them.
    """
    mark, out = reachable_ops([t.op for t in outputs], control=False), []
    for op in graph._ops:
        if (
            id(op) in mark
            and getattr(op.op_def, "stateful", False)
            and (getattr(op.op_def, "differentiable", None) is False)
        ):
            out.extend(op.outputs)
    return out


class SubGraph:
    """A traced function: its graph, inputs (arguments then captures) and flat outputs.

    Attributes:
      graph: the Graph.
      inputs: placeholders; the first `num_args` stand for the function's arguments, the rest for
        the values in `captured`.
      captured: outer values (enclosing-graph tensors, eager tensors) the function used.
      outputs: the flat list of output tensors of `graph`.
      structure: what the function returned, with None for non-tensor leaves handled by the
        caller (`leaves` gives each flat leaf: a graph tensor or a Python value).
      variables: variables read inside, keyed by id of their handle.
    """

    def __init__(self, graph, num_args, captured, outputs, structure, variables, name):
        self.graph = graph
        self.num_args = num_args
        self.captured = captured
        self.inputs = list(graph.inputs)
        self.outputs = outputs
        self.structure = structure
        self.variables = variables
        self.name = name
        self.recorded = _recorded_tensors(graph, outputs)
        self._executor = None
        self.optimized_graph = None  # set when the executor is built
        self._lock = threading.Lock()

    @property
    def stateful(self) -> bool:
        return any(getattr(op.op_def, "stateful", False) for op in self.graph._ops)

    @property
    def output_dtypes(self) -> list:
        return [t.dtype for t in self.outputs]

    @property
    def output_shapes(self) -> list:
        return [t.shape for t in self.outputs]

    def executor(self) -> Executor:
        """The compiled plan: the sub-graph after the graph passes (the same ones and flags as
        tf.function's), built on first use. Gradients replay the unoptimized `graph`."""
        if self._executor is None:
            with self._lock:
                if self._executor is None:
                    self._executor = self._make_executor()
        return self._executor

    def _make_executor(self) -> Executor:
        from tensorflux._src.graph.passes import pipeline

        outputs = self.outputs + self.recorded
        options = pipeline.OptimizerOptions.from_flags(_context.OPTIMIZER_OPTIONS)
        graph, new_outputs = pipeline.optimize(self.graph, outputs, options=options)
        self.optimized_graph = graph
        return Executor(graph, list(graph.inputs[: len(self.inputs)]), new_outputs)

    def __repr__(self) -> str:
        return f"<SubGraph {self.name}: {len(self.graph._ops)} ops>"


class _BranchGraph(Graph):
    """A sub-graph whose captured eager tensors all become inputs (never baked-in constants), so
    gradients flow to them through the control-flow op."""

    _keeps_v1_variables = False

    def capture(self, value, name=None):
        hit = self._capture_map.get(id(value))
        if hit is not None:
            return hit[1]
        if not isinstance(value, EagerTensor):
            return super().capture(value, name)
        with self._no_control_dependencies():
            t = self.placeholder(value.dtype, value.shape, name or "Placeholder")
        self.captures.append((value, t))
        self._capture_map[id(value)] = (value, t)
        return t


class _VariableCollector:
    """Stands in for a tape while a sub-graph is traced: notes the variables read inside."""

    persistent = False

    def __init__(self):
        self.variables: dict = {}

    def record(self, op, inputs, attrs, outputs) -> None:
        pass

    def watch(self, x) -> None:
        pass

    def variable_accessed(self, var) -> None:
        self.variables[id(var._handle)] = var

    def record_read(self, var, value) -> None:
        self.variables[id(var._handle)] = var


def note_variable(var, handle) -> None:
    """Tells the sub-graph being traced that `handle` (an outer tensor it uses) is `var`'s.

    Gradient bodies receive variable handles as plain tensors; this keeps the op built from the
    sub-graph linked to the variable on tapes, so it can be differentiated again.
    """
    for t in _ctx.tapes:
        if isinstance(t, _VariableCollector):
            t.variables[id(handle)] = var


def spec_of(t, shape=None) -> InputSpec:
    return InputSpec(t.shape if shape is None else shape, t.dtype)


def trace_fn(fn, arg_specs, name: str, convert_outputs: bool = True) -> SubGraph:
    """Traces `fn(*placeholders)` into a new graph; captured outer values become inputs.

    Args:
      fn: the Python function.
      arg_specs: an InputSpec per positional argument.
      name: a name for messages.
      convert_outputs: convert Python values the function returns into constants inside.
    """
    collector = _VariableCollector()
    c = _ctx
    saved_tapes = c.tapes
    c.tapes = [collector]
    c.update()
    try:

        def wrapped(*args):
            out = fn(*args)
            leaves = nest.flatten(out, expand_composites=True)
            g = _ctx.graph
            flat = []
            for x in leaves:
                if x is None:
                    flat.append(None)
                    continue
                if not isinstance(x, Tensor) or getattr(x, "_is_variable", False):
                    if not convert_outputs:
                        flat.append(x)
                        continue
                    x = convert_to_tensor(x)
                if not (isinstance(x, SymbolicTensor) and x.graph is g):
                    x = g.capture(x)
                flat.append(x)
            return out, flat

        graph, placeholders, (structure, flat) = trace(
            wrapped, list(arg_specs), graph=_BranchGraph()
        )
    finally:
        c.tapes = saved_tapes
        c.update()
    captured = [v for v, _ in graph.captures]
    cap_phs = [t for _, t in graph.captures]
    graph.captures = []
    graph.inputs = list(placeholders) + cap_phs
    outputs = [x for x in flat if isinstance(x, SymbolicTensor)]
    graph.outputs = outputs
    sg = SubGraph(graph, len(placeholders), captured, outputs, structure, collector.variables, name)
    sg.leaves = flat
    return sg


def pack_outputs(sg: SubGraph, values) -> object:
    """`sg.structure` with its tensor leaves replaced by `values` (one per `sg.outputs`)."""
    it = iter(values)
    flat = [next(it) if isinstance(x, SymbolicTensor) else x for x in sg.leaves]
    composite = getattr(sg.structure, "_is_composite_tensor", False)
    if not nest.is_nested(sg.structure) and not composite:
        return flat[0] if flat else sg.structure
    return nest.pack_sequence_as(sg.structure, flat, expand_composites=True)


def graph_op(op):
    """The Operation of the graph being built behind `op` (a tape entry or an Operation), or None
    when it ran eagerly or belongs to another graph."""
    outs = list(getattr(op, "outputs", None) or [])
    if not outs or not isinstance(outs[0], SymbolicTensor):
        return None
    g_op = outs[0].op
    return g_op if g_op.graph is _ctx.graph else None


def union_inputs(sgs, args, share_args: bool = True) -> tuple:
    """Op inputs for sub-graphs sharing arguments `args`: (inputs, per sub-graph index lists).

    Every sub-graph takes `args` first; the union of their captured values follows, each listed
    once, and sub-graph k's input j is op input `index[k][j]`. A captured value that is also an
    argument reuses the argument's input when `share_args` (not for loop variables, which change).
    """
    inputs = list(args)
    pos: dict = {}
    if share_args:
        for i, a in enumerate(inputs):
            pos.setdefault(id(a), i)
    index = []
    for sg in sgs:
        ix = list(range(sg.num_args))
        for v in sg.captured:
            k = pos.get(id(v))
            if k is None:
                k = pos[id(v)] = len(inputs)
                inputs.append(v)
            ix.append(k)
        index.append(ix)
    return inputs, index


# ------------------------------------------------------------------ running


def kernel_device(xp):
    """The device a kernel running with array module `xp` works on."""
    dev = _ctx.device
    if dev is not None and dev.xp is xp:
        return dev
    dev = _devices.default_device()
    return dev if dev.xp is xp else _devices.CPU0


def wrap(arrays, dts, dev) -> list:
    return [EagerTensor(a, dt, dev) for a, dt in zip(arrays, dts)]


def run(sg: SubGraph, values) -> tuple:
    """Runs `sg` on eager tensors (arguments then captures): (outputs, recorded values)."""
    res = sg.executor()(*values)
    n = len(sg.outputs)
    return res[:n], res[n:]


# ------------------------------------------------------------------ replaying


def _needed(sg: SubGraph) -> set:
    return reachable_ops([t.op for t in sg.outputs], control=False)


def replay(sg: SubGraph, values, recorded=None) -> list:
    """Re-issues the ops `sg`'s outputs need on `values` through the dispatch point.

    Runs eagerly or adds nodes to the graph being traced, and active tapes record every op, so
    the outputs can be differentiated with respect to `values`. `recorded` gives the values of
    `sg.recorded` (random draws of the forward run) instead of drawing again.
    """
    if sg.recorded and recorded is None:
        raise NotImplementedError(
            f"{sg.name} draws random values; differentiating it needs the values of the forward "
            "run, which this op did not keep (it ran before its gradient was requested)."
        )
    env: dict[int, object] = {}
    for ph, v in zip(sg.inputs, values):
        env[id(ph)] = v
    for t, v in zip(sg.recorded, recorded or []):
        env[id(t)] = v
    needed = _needed(sg)
    for op in sg.graph._ops:
        if id(op) not in needed or (op.outputs and all(id(t) in env for t in op.outputs)):
            continue
        if op.op_def is PLACEHOLDER:
            if id(op.outputs[0]) not in env:
                raise ValueError(f"Placeholder {op.name} of {sg.name} has no value to replay")
            continue
        if op.op_def is CONST:
            v = op.attrs["value"]
            env[id(op.outputs[0])] = _wrap_constant(np.asarray(v), op.outputs[0].dtype)
            continue
        ins = [env[id(x)] for x in op.inputs]
        res = dispatch.apply(op.op_def, ins, dict(op.attrs))
        outs = res if isinstance(res, list) else [res]
        for t, r in zip(op.outputs, outs):
            env[id(t)] = r
    return [env[id(t)] for t in sg.outputs]


# ------------------------------------------------------------------ shapes


def most_specific_compatible(a: TensorShape, b: TensorShape) -> TensorShape:
    """The shape both `a` and `b` satisfy: equal dims kept, others unknown."""
    if a.rank is None or b.rank is None or a.rank != b.rank:
        return TensorShape(None)
    return TensorShape([x if x == y else None for x, y in zip(a.as_list(), b.as_list())])


def shape_text(s: TensorShape) -> str:
    return str(s)


def differentiable(dt) -> bool:
    return dt in (
        dtypes.float16,
        dtypes.bfloat16,
        dtypes.float32,
        dtypes.float64,
        dtypes.complex64,
        dtypes.complex128,
    )
