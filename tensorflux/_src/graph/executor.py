"""Runs a graph: its ops in creation order, each with its kernel, on eager tensors.

`Executor(graph, inputs, outputs)` compiles a plan once: the ops the outputs need (and every
stateful op, which runs in program order even when nothing reads it), a slot per tensor, and for
each step the slots that die after it, so intermediates are released as soon as they are dead.
"""

from __future__ import annotations

from typing import Optional, Sequence

from tensorflux._src import devices as _devices
from tensorflux._src import dispatch
from tensorflux._src.core import context as _context
from tensorflux._src.core import errors
from tensorflux._src.core.device import DeviceSpec
from tensorflux._src.graph.graph import CONST, PLACEHOLDER, Graph, Operation, SymbolicTensor
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor


class _Step:
    __slots__ = ("op", "op_def", "attrs", "ins", "outs", "free", "device", "spec")

    def __init__(self, op: Operation, ins, outs, device, spec):
        self.op = op
        self.op_def = op.op_def
        self.attrs = op.attrs
        self.ins = ins
        self.outs = outs
        self.free: list = []
        self.device = device
        self.spec = spec


class Executor:
    """A compiled plan that runs `graph` from values of `inputs` (placeholders) to `outputs`.

    Args:
      graph: the Graph to run.
      inputs: the placeholders fed on each call, in call order. Captured placeholders
        (`graph.captures`) are fed automatically with their captured values.
      outputs: the tensors to return.
      prune: run only the ops the outputs need, plus stateful ops (default True).
    """

    def __init__(
        self,
        graph: Graph,
        inputs: Sequence[SymbolicTensor],
        outputs: Sequence[SymbolicTensor],
        prune: bool = True,
    ):
        self.graph = graph
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        slot: dict[int, int] = {}  # id(tensor) -> slot

        def slot_of(t):
            k = slot.get(id(t))
            if k is None:
                k = slot[id(t)] = len(slot)
            return k

        for t in self.outputs:
            if not isinstance(t, SymbolicTensor) or t.graph is not graph:
                raise ValueError(f"Cannot fetch {t!r}: it is not a tensor of this graph")
        needed = _needed_ops(graph, self.outputs, prune)
        fed = {id(t) for t in self.inputs}
        captured = [(v, t) for v, t in graph.captures]
        fed.update(id(t) for _, t in captured)
        self._feed_slots = [slot_of(t) for t in self.inputs]
        self._capture_feeds = [(slot_of(t), v) for v, t in captured]
        self._consts: list[tuple[int, EagerTensor]] = []
        steps: list[_Step] = []
        for op in needed:
            if op.op_def is PLACEHOLDER:
                if id(op.outputs[0]) not in fed:
                    raise errors.InvalidArgumentError(
                        None,
                        op,
                        f"You must feed a value for placeholder tensor '{op.name}' with "
                        f"dtype {op.outputs[0].dtype.name}",
                    )
                continue
            device, spec = _op_device(op)
            if op.op_def is CONST:
                dev = device or _devices.default_device()
                v = op.attrs["value"]
                self._consts.append(
                    (
                        slot_of(op.outputs[0]),
                        EagerTensor(dev.from_host(v), op.outputs[0].dtype, dev),
                    )
                )
                continue
            ins = [slot_of(x) for x in op.inputs]
            outs = [slot_of(t) for t in op.outputs]
            steps.append(_Step(op, ins, outs, device, spec))
        self._fetch_slots = [slot_of(t) for t in self.outputs]
        self._steps = steps
        self._n_slots = len(slot)
        # Release each slot after its last reader (never the fetched ones).
        keep = set(self._fetch_slots)
        last: dict[int, _Step] = {}
        for st in steps:
            for k in st.ins:
                last[k] = st
        for k, st in last.items():
            if k not in keep:
                st.free.append(k)
        for st in steps:  # outputs nobody reads die at once
            for k in st.outs:
                if k not in last and k not in keep:
                    st.free.append(k)

    def __call__(self, *values) -> list:
        """Runs the plan on `values` (one per input) and returns the outputs as eager tensors."""
        if len(values) != len(self.inputs):
            raise ValueError(f"Expected {len(self.inputs)} input values, got {len(values)}")
        slots: list = [None] * self._n_slots
        for k, v, ph in zip(self._feed_slots, values, self.inputs):
            slots[k] = _feed_value(ph, v)
        for k, v in self._capture_feeds:
            if not isinstance(v, EagerTensor):
                v = _resolve_capture(v)
            slots[k] = v
        for k, t in self._consts:
            slots[k] = t
        execute = dispatch.execute
        for st in self._steps:
            ins = [slots[k] for k in st.ins]
            try:
                if st.device is None:
                    res = execute(st.op_def, ins, st.attrs)
                else:
                    old = _context.set_device(st.device, st.spec)
                    try:
                        res = execute(st.op_def, ins, st.attrs)
                    finally:
                        _context.set_device(*old)
            except errors.OpError as e:
                raise _graph_error(e, st.op) from None
            if len(st.outs) == 1 and not isinstance(res, list):
                slots[st.outs[0]] = res
            else:
                for k, r in zip(st.outs, res):
                    slots[k] = r
            for k in st.free:
                slots[k] = None
        return [slots[k] for k in self._fetch_slots]

    @property
    def num_steps(self) -> int:
        """How many kernel calls one run makes (constants and feeds excluded)."""
        return len(self._steps)


def _needed_ops(graph: Graph, outputs, prune: bool) -> list:
    ops = graph._ops
    if not prune:
        return list(ops)
    mark = set()
    stack = [t.op for t in outputs] + [op for op in ops if getattr(op.op_def, "stateful", False)]
    while stack:
        op = stack.pop()
        if id(op) in mark:
            continue
        mark.add(id(op))
        stack.extend(x.op for x in op.inputs)
        stack.extend(op._control_inputs)
    return [op for op in ops if id(op) in mark]


def _op_device(op: Operation):
    if not op.device:
        return None, None
    spec = DeviceSpec.from_string(op.device)
    return _devices.lookup(spec), spec


def _feed_value(ph: SymbolicTensor, v) -> EagerTensor:
    if not isinstance(v, EagerTensor):
        if isinstance(v, Tensor):
            raise TypeError(f"Cannot feed symbolic tensor {v!r} to placeholder '{ph.op.name}'")
        with _context.eager_scope():
            v = convert_to_tensor(v, dtype=ph.dtype)
    elif v.dtype is not ph.dtype:
        raise errors.InvalidArgumentError(
            None,
            ph.op,
            f"Placeholder '{ph.op.name}' expects a {ph.dtype.name} tensor but was "
            f"fed a {v.dtype.name} tensor",
        )
    if not ph.shape.is_compatible_with(v.shape):
        raise errors.InvalidArgumentError(
            None,
            ph.op,
            f"Placeholder '{ph.op.name}' of shape {ph.shape} was fed a tensor of shape {v.shape}",
        )
    return v


def _resolve_capture(v):
    """A captured value as an eager tensor (variables and other convertible values read now)."""
    if isinstance(v, SymbolicTensor):
        raise ValueError(f"The graph captures {v!r} of another graph, which must be fed")
    with _context.eager_scope():
        return convert_to_tensor(v)


def _graph_error(e: errors.OpError, op: Operation) -> errors.OpError:
    msg = e.message
    tail = f" [Op:{op.type}]"
    if msg.endswith(tail):
        msg = msg[: -len(tail)]
    where = "".join(f'  File "{f}", line {n}, in {fn}\n\n' for f, n, fn in op._traceback)
    text = (
        f"Graph execution error:\n\nDetected at node {op.name} defined at (most recent call last):"
        f"\n{where}{msg}\n\t [[{{{{node {op.name}}}}}]]"
    )
    return type(e)(None, op, text)


def run(graph: Graph, fetches, feeds: Optional[Sequence] = None, prune: bool = True):
    """Runs `graph` once, returning eager values of `fetches` (a tensor or a list of tensors).

    Args:
      graph: the Graph.
      fetches: a SymbolicTensor or a list of them.
      feeds: (placeholder, value) pairs, or a dict keyed by `placeholder.ref()`.
      prune: run only what the fetches need, plus stateful ops.
    """
    pairs = list(feeds.items()) if isinstance(feeds, dict) else list(feeds or [])
    pairs = [(k.deref() if hasattr(k, "deref") else k, v) for k, v in pairs]
    single = isinstance(fetches, Tensor)
    outs = [fetches] if single else list(fetches)
    ex = Executor(graph, [k for k, _ in pairs], outs, prune=prune)
    res = ex(*[v for _, v in pairs])
    return res[0] if single else res
