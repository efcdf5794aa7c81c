"""The recording tape and reverse-mode differentiation over what it recorded.

A tape keeps the ops whose inputs it watches (and, transitively, their outputs). `backprop` walks
the entries backwards calling each op's gradient function. Gradient functions see a `TapeOp`,
which offers the same view as a graph `Operation` (`inputs`, `outputs`, `type`, `get_attr`), so one
gradient function serves tapes and graphs. Gradient ops run through the ordinary dispatch point,
so outer tapes record them and higher-order gradients fall out.
"""

from __future__ import annotations

from typing import Optional

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, registry


class TapeOp:
    """A recorded op call, seen by gradient functions like a graph Operation."""

    __slots__ = ("op_def", "inputs", "outputs", "attrs")

    def __init__(self, op_def, inputs, attrs, outputs):
        self.op_def = op_def
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs

    @property
    def type(self) -> str:
        return self.op_def.name

    @property
    def name(self) -> str:
        return self.op_def.name

    def get_attr(self, name: str):
        try:
            return self.attrs[name]
        except KeyError:
            raise ValueError(f"Operation {self.type} has no attr named '{name}'.") from None

    @property
    def node_def(self):
        return None


_DIFFERENTIABLE = frozenset(
    [dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.complex64,
     dtypes.complex128, dtypes.resource, dtypes.variant]
)  # fmt: skip


def differentiable_dtype(dt) -> bool:
    return dt in _DIFFERENTIABLE


class Tape:
    """The recording state behind one GradientTape."""

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self.watched: dict[int, object] = {}  # id -> tensor or variable, kept alive here
        self.watched_variables: dict[int, object] = {}
        self.entries: list[TapeOp] = []

    def watch(self, x) -> None:
        if getattr(x, "_is_variable", False):
            x = getattr(x, "_primary", x)  # an assign's result stands for its variable
            self.watched_variables[id(x)] = x
        self.watched[id(x)] = x

    def record(self, op, inputs, attrs, outputs) -> None:
        w = self.watched
        for x in inputs:
            if id(x) in w:
                break
        else:
            return
        if op.differentiable is False and registry.gradient_function(op.name) is None:
            return
        self.entries.append(TapeOp(op, inputs, attrs, outputs))
        for o in outputs:
            w[id(o)] = o

    def variable_accessed(self, var) -> None:
        if self.watch_accessed_variables and var.trainable and id(var) not in self.watched:
            self.watch(var)

    def record_read(self, var, value) -> None:
        """Reading a watched variable: its value's gradient flows to the variable."""
        if id(var) in self.watched:
            self.entries.append(TapeOp(_READ, [var], {}, [value]))
            self.watched[id(value)] = value


class _ReadVariable:
    """The op-like record of a variable read; its gradient passes straight through."""

    name = "ReadVariableOp"
    differentiable = True

    @staticmethod
    def grad_fn(op, dy):
        return [dy]


_READ = _ReadVariable()


def backprop(tape: Tape, targets: list, sources: list, output_gradients: Optional[list], ops):
    """Gradients of sum(targets · output_gradients) with respect to each source (None: unconnected).

    `ops` is the module of array/math helpers gradients need (ones_like, add_n, ...), passed in so
    this layer-3 module states exactly what it uses from layer 2.
    """
    source_ids = {id(s) for s in sources}
    entries = tape.entries
    # Forward pass: which entries depend on a source; only they get gradients.
    live = set(source_ids)
    useful = []
    for e in entries:
        if any(id(x) in live for x in e.inputs):
            useful.append(e)
            for o in e.outputs:
                live.add(id(o))

    grads: dict[int, list] = {}
    for i, t in enumerate(targets):
        if t is None or id(t) not in live and id(t) not in source_ids:
            continue
        if not differentiable_dtype(t.dtype):
            continue
        g = output_gradients[i] if output_gradients is not None else None
        if g is None:
            g = ops.ones_like(t)
        else:
            g = ops.convert_to_tensor(g, dtype_hint=t.dtype)
        grads.setdefault(id(t), []).append(g)

    for e in reversed(useful):
        outs = e.outputs
        if not any(id(o) in grads for o in outs):
            continue
        dys = []
        for o in outs:
            pieces = grads.get(id(o))
            if pieces is None:
                dys.append(None)
            else:
                dys.append(_aggregate(pieces, ops))
                grads[id(o)] = [dys[-1]]
        fn = registry.gradient_function(e.type) if e.op_def is not _READ else _READ.grad_fn
        if fn is None:
            if e.op_def is not _READ and e.op_def.differentiable is False:
                continue
            if e.type in registry._USER_GRADIENTS:  # tf.no_gradient
                continue
            raise LookupError(f"No gradient defined for operation '{e.type}' (op type: {e.type}).")
        if len(outs) > 1 and any(d is None for d in dys):
            dys = [ops.zeros_like(o) if d is None else d for o, d in zip(outs, dys)]
        in_grads = fn(e, *dys)
        if not isinstance(in_grads, (list, tuple)):
            in_grads = [in_grads]
        for x, g in zip(e.inputs, in_grads):
            if g is None or id(x) not in live:
                continue
            if not differentiable_dtype(x.dtype):
                continue
            grads.setdefault(id(x), []).append(g)

    out = []
    for s in sources:
        pieces = grads.get(id(s))
        out.append(None if pieces is None else _aggregate(pieces, ops))
    return out


def _aggregate(pieces: list, ops):
    if len(pieces) == 1:
        return pieces[0]
    if any(getattr(p, "_is_indexed_slices", False) for p in pieces):
        if all(getattr(p, "_is_indexed_slices", False) for p in pieces):
            return ops.concat_indexed_slices(pieces)
        pieces = [ops.convert_to_tensor(p) for p in pieces]
    return ops.add_n(pieces)


def current_tapes() -> list:
    return list(_context.ctx.tapes)
