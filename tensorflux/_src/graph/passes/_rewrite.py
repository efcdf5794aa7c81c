"""What every pass shares: a graph rebuilder and the tests of what a pass may touch.

Passes never edit their input. `Rewriter` copies a graph op by op into a fresh `Graph`, keeping
names, devices, tracebacks, control inputs and captures, while a pass drops ops, forwards an op's
outputs to other tensors, or adds new nodes in place of old ones.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.graph.graph import CONST, PLACEHOLDER, Graph, Operation, SymbolicTensor

_PLAIN = (int, float, bool, str, bytes, type(None), np.generic, dtypes.DType, TensorShape)


def _plain(v) -> bool:
    if isinstance(v, _PLAIN):
        return True
    if isinstance(v, np.ndarray):
        return v.dtype != object
    if isinstance(v, (list, tuple)):
        return all(_plain(x) for x in v)
    return False


def is_stateful(op: Operation) -> bool:
    return bool(getattr(op.op_def, "stateful", False))


def is_opaque(op: Operation) -> bool:
    """An op a pass must leave alone: attrs holding sub-graphs, functions or other objects."""
    return not all(_plain(v) for v in op.attrs.values())


def is_builtin(op: Operation) -> bool:
    return op.op_def is CONST or op.op_def is PLACEHOLDER


_SPECIAL = (dtypes.resource, dtypes.variant)


def touches_handles(op: Operation) -> bool:
    """Reads or makes resource/variant tensors (variables, lists): never folded or merged."""
    return any(t.dtype in _SPECIAL for t in op.inputs) or any(
        t.dtype in _SPECIAL for t in op.outputs
    )


def is_pure(op: Operation) -> bool:
    """An op whose outputs depend only on its input values and attrs."""
    return not (is_stateful(op) or is_opaque(op) or touches_handles(op) or is_builtin(op))


def const_value(t: SymbolicTensor) -> Optional[np.ndarray]:
    """The value of a `Const` node's output, else None."""
    op = t.op
    return op.attrs["value"] if op.op_def is CONST else None


def same_static_shape(a: TensorShape, b: TensorShape) -> bool:
    if a.rank is None or b.rank is None:
        return a.rank is None and b.rank is None
    return a.as_list() == b.as_list()


def control_targets(graph: Graph) -> set:
    """Ids of ops that some op lists as a control input."""
    return {id(c) for op in graph._ops for c in op._control_inputs}


def consumers(graph: Graph) -> dict:
    """id(tensor) -> number of reads by ops of `graph` (an op reading twice counts twice)."""
    n: dict[int, int] = {}
    for op in graph._ops:
        for x in op.inputs:
            n[id(x)] = n.get(id(x), 0) + 1
    return n


class Rewriter:
    """Builds a new Graph from `graph`, one source op at a time, in the source's order.

    For each source op call exactly one of `copy`, `forward` or `drop`; new nodes made with
    `add` or `constant` land at the current position, so the new graph stays in dependency order.
    """

    def __init__(self, graph: Graph):
        self.src = graph
        self.dst = Graph()
        self.dst._names_in_use = dict(graph._names_in_use)  # new names never reuse old ones
        self._t: dict[int, SymbolicTensor] = {}  # id(source tensor) -> new tensor
        self._o: dict[int, list] = {}  # id(source op) -> new ops standing for it (control deps)
        self.changes = 0

    # --- mapping ----------------------------------------------------------------------------

    def tensor(self, t: SymbolicTensor) -> SymbolicTensor:
        """The new tensor standing for source tensor `t`."""
        try:
            return self._t[id(t)]
        except KeyError:
            raise ValueError(f"Pass bug: {t.name} was dropped but is still read") from None

    def has(self, t: SymbolicTensor) -> bool:
        return id(t) in self._t

    def inputs(self, op: Operation) -> list:
        return [self.tensor(x) for x in op.inputs]

    def _controls(self, op: Operation) -> list:
        out = []
        for c in op._control_inputs:
            for n in self._o.get(id(c), ()):
                if all(n is not k for k in out):
                    out.append(n)
        return out

    # --- the three fates of a source op -------------------------------------------------------

    def copy(self, op: Operation, inputs: Optional[Sequence] = None, attrs=None) -> Operation:
        """Re-creates `op` (on `inputs`, new tensors, if given) with its name and output types."""
        ins = self.inputs(op) if inputs is None else list(inputs)
        new = self._make(
            op.name,
            op.op_def,
            ins,
            dict(op.attrs) if attrs is None else attrs,
            [t.dtype for t in op.outputs],
            [t.shape for t in op.outputs],
            op.device,
            op,
        )
        new._control_inputs = self._controls(op)
        for a, b in zip(op.outputs, new.outputs):
            self._t[id(a)] = b
            if hasattr(a, "_handle_data"):  # a variable's shape behind a resource tensor
                b._handle_data = a._handle_data
        self._o[id(op)] = [new]
        return new

    def forward(self, op: Operation, tensors: Sequence[SymbolicTensor]) -> None:
        """Drops `op`; its outputs are read from `tensors` (new tensors, one per output)."""
        tensors = list(tensors)
        if len(tensors) != len(op.outputs):
            raise ValueError(f"Pass bug: {op.name} has {len(op.outputs)} outputs")
        for a, b in zip(op.outputs, tensors):
            if a.dtype is not b.dtype:
                raise ValueError(f"Pass bug: forwarding {a.name} would change its dtype")
            self._t[id(a)] = b
        # Whoever waited for `op` now waits for what computes its replacement.
        self._o[id(op)] = [t.op for t in tensors if not is_builtin(t.op)]
        self.changes += 1

    def drop(self, op: Operation) -> None:
        """Leaves `op` out; nothing may read it afterwards."""
        self._o[id(op)] = []
        self.changes += 1

    # --- new nodes --------------------------------------------------------------------------

    def fresh_name(self, base: str, reuse: bool = False) -> str:
        """A name no source or new op has; `reuse`: `base` itself, a replaced op's name."""
        if reuse and base not in self.dst._by_name:
            return base
        used = self.dst._names_in_use
        i = used.get(base.lower(), 0)
        name = base if i == 0 else f"{base}_{i}"
        while name.lower() in used or name in self.dst._by_name or name in self.src._by_name:
            i += 1
            name = f"{base}_{i}"
        used[base.lower()] = i + 1
        used[name.lower()] = 1
        return name

    def constant(self, value, dtype: dtypes.DType, name: str, device: str = "", reuse=False):
        """A new `Const` node; `name` is made unique (`reuse`: see `fresh_name`)."""
        value = np.asarray(value)
        op = self._make(
            self.fresh_name(name, reuse),
            CONST,
            [],
            {"value": value, "dtype": dtype},
            [dtype],
            [TensorShape(value.shape)],
            device,
            None,
        )
        return op.outputs[0]

    def add(self, name, op_def, inputs, attrs, out_dtypes, out_shapes, device="", like=None):
        """A new node of `op_def` with the given output types; `name` is made unique."""
        return self._make(
            self.fresh_name(name, reuse=like is not None and like.name == name),
            op_def,
            inputs,
            attrs,
            out_dtypes,
            out_shapes,
            device,
            like,
        )

    def _make(self, name, op_def, inputs, attrs, out_dtypes, out_shapes, device, like):
        op = self.dst._create(name, op_def, inputs, attrs, out_dtypes, out_shapes)
        op.device = device
        if like is not None:
            op._traceback = like._traceback
        return op

    # --- result -----------------------------------------------------------------------------

    def finish(self, outputs: Sequence[SymbolicTensor]):
        """The new graph and the new tensors of `outputs`; carries inputs and captures over."""
        src, dst = self.src, self.dst
        new_outputs = [self.tensor(t) for t in outputs]
        dst.inputs = [self.tensor(p) for p in src.inputs]
        for v, ph in src.captures:
            if self.has(ph):
                nph = self.tensor(ph)
                dst.captures.append((v, nph))
                dst._capture_map[id(v)] = (v, nph)
        dst.outputs = [self._t[id(t)] for t in src.outputs if id(t) in self._t]
        return dst, new_outputs


def check_outputs(graph: Graph, outputs: Sequence) -> list:
    outputs = list(outputs)
    for t in outputs:
        if not isinstance(t, SymbolicTensor) or t.graph is not graph:
            raise ValueError(f"{t!r} is not a tensor of the graph being optimized")
    return outputs
