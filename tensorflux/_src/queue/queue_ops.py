"""The queue ops (`QueueEnqueueV2`, `QueueDequeueManyV2`, ...) and the host storage they act on.

A queue's handle is a scalar `resource` tensor whose value is a `QueueCell`: the kernels reach the
queue through it eagerly and inside traced functions alike (a traced function captures the handle).
All ops are stateful, so traced graphs keep them in program order. Blocking uses one
`threading.Condition` per queue; separate enqueue and dequeue locks keep a multi-element enqueue
or dequeue from interleaving with another one, as TensorFlow serves attempts in arrival order.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections import deque

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import CancelledError, InvalidArgumentError, OutOfRangeError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape

_NAMES = itertools.count(0)


def _np_dtype(dt):
    return object if dt is dtypes.string else dt.as_numpy_dtype


def _host(a) -> np.ndarray:
    get = getattr(a, "get", None)  # a CuPy array: queues live on the host
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


def _dims(shape: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


class QueueCell:
    """The storage behind a queue handle. It poses as a rank-0 array so that the handle is an
    ordinary scalar EagerTensor. `kind` is the TensorFlow class name used in messages."""

    shape = ()
    ndim = 0
    size = 1
    dtype = np.dtype(object)

    def __init__(self, kind, capacity, dtypes_, shapes, min_after_dequeue=0, seed=None):
        self.kind = kind
        self.capacity = int(capacity)
        self.dtypes = list(dtypes_)
        self.shapes = shapes  # list of TensorShape, or None when unspecified
        self.min_after_dequeue = int(min_after_dequeue)
        self.name = str(next(_NAMES))
        self.cond = threading.Condition()
        self.enqueue_lock = threading.Lock()
        self.dequeue_lock = threading.Lock()
        self.closed = False
        self.cancel_gen = 0  # bumped by close(cancel_pending_enqueues=True)
        self.rng = np.random.default_rng(seed)
        self.items = [] if kind == "PriorityQueue" else deque()
        self.counter = itertools.count()

    def __repr__(self) -> str:
        return (
            f'<ResourceHandle(name="{self.name}", device="/job:localhost/replica:0/task:0/'
            'device:CPU:0", container="localhost", type="tensorflow::QueueInterface", '
            'dtype and shapes : "[  ]")>'
        )

    __str__ = __repr__

    def __len__(self) -> int:
        return len(self.items)

    # -- element storage (called with `cond` held)

    def _full(self) -> bool:
        return 0 <= self.capacity <= len(self.items)

    def _put(self, elem: tuple) -> None:
        if self.kind == "PriorityQueue":
            heapq.heappush(self.items, (int(elem[0]), next(self.counter), elem))
        else:
            self.items.append(elem)

    def _take(self) -> tuple:
        if self.kind == "PriorityQueue":
            return heapq.heappop(self.items)[2]
        if self.kind == "RandomShuffleQueue":
            i = int(self.rng.integers(len(self.items)))
            self.items[i], self.items[-1] = self.items[-1], self.items[i]
            return self.items.pop()
        return self.items.popleft()

    def _put_back(self, taken: list) -> None:
        if self.kind == "PriorityQueue" or self.kind == "RandomShuffleQueue":
            for e in taken:
                self._put(e)
        else:
            self.items.extendleft(reversed(taken))

    def _available(self) -> int:
        keep = 0 if self.closed or self.kind != "RandomShuffleQueue" else self.min_after_dequeue
        return len(self.items) - keep

    # -- operations

    def _check(self, comps: list, many: bool) -> list:
        if len(comps) != len(self.dtypes):
            have = ", ".join(["resource"] + [str(c.dtype) for c in comps])
            want = ", ".join(["resource"] + [d.name for d in self.dtypes])
            raise InvalidArgumentError(
                None, None, f"Signature mismatch, have: {have}-> expected: {want}->"
            )
        if many:
            sizes = {c.shape[0] if c.ndim else None for c in comps}
            if None in sizes:
                raise InvalidArgumentError(
                    None, None, "Input tensors must have at least rank 1 for EnqueueMany"
                )
            if len(sizes) > 1:
                raise InvalidArgumentError(
                    None, None, "Input tensors to EnqueueMany must have the same size in the "
                    f"0th dimension, got {sorted(sizes)}"
                )  # fmt: skip
        if self.shapes is not None:
            for i, (c, s) in enumerate(zip(comps, self.shapes)):
                got = TensorShape(c.shape[1:] if many else c.shape)
                if not got.is_compatible_with(s):
                    what = "component" if self.kind == "PaddingFIFOQueue" else "tuple component"
                    raise InvalidArgumentError(
                        None, None, f"Shape mismatch in {what} {i}. Expected {_dims(s)}, got "
                        f"{_dims(got)}"
                    )  # fmt: skip
        return comps

    def enqueue(self, comps: list, many: bool) -> None:
        comps = self._check([_host(c) for c in comps], many)
        rows = (
            [tuple(c[i] for c in comps) for i in range(comps[0].shape[0])] if many
            else [tuple(comps)]
        )  # fmt: skip
        with self.cond:
            gen = self.cancel_gen
            if self.closed:
                raise CancelledError(None, None, f"{self.kind} '{self.name}' is closed.")
        with self.enqueue_lock:
            for row in rows:
                with self.cond:
                    while self._full() and self.cancel_gen == gen:
                        self.cond.wait()
                    if self.cancel_gen != gen:
                        raise CancelledError(None, None, "Enqueue operation was cancelled")
                    self._put(tuple(np.array(x, copy=True) for x in row))
                    self.cond.notify_all()

    def dequeue(self, n: int, mode: str) -> list:
        """`mode` is "one" (a single element), "many" (exactly n) or "up_to" (n, fewer at close)."""
        if mode != "one":
            op = "DequeueManyOp" if mode == "many" else "DequeueUpToOp"
            if n < 0:
                raise InvalidArgumentError(None, None, f"{op} requested {n} < 0 elements")
            if self.shapes is None:
                raise InvalidArgumentError(
                    None, None, f"{self.kind}'s DequeueMany and DequeueUpTo require the "
                    "components to have specified shapes."
                )  # fmt: skip
        taken: list = []
        with self.dequeue_lock:
            with self.cond:
                while len(taken) < n:
                    if self._available() > 0:
                        taken.append(self._take())
                        self.cond.notify_all()
                        continue
                    if self.closed:
                        if mode == "up_to" and taken:
                            break
                        size = len(self.items) + len(taken)
                        self._put_back(taken)
                        self.cond.notify_all()
                        raise OutOfRangeError(
                            None, None, f"{self.kind} '{self.name}' is closed and has "
                            f"insufficient elements (requested {n}, current size {size})"
                        )  # fmt: skip
                    self.cond.wait()
        if mode == "one":
            return list(taken[0])
        return [self._stack([e[i] for e in taken], i) for i in range(len(self.dtypes))]

    def _stack(self, parts: list, i: int) -> np.ndarray:
        dt = _np_dtype(self.dtypes[i])
        if self.kind == "PaddingFIFOQueue":
            spec = self.shapes[i].as_list()
            dims = [max([p.shape[k] for p in parts], default=0) if d is None else d
                    for k, d in enumerate(spec)]  # fmt: skip
            out = np.full([len(parts)] + dims, b"" if dt is object else 0, dtype=dt)
            for j, p in enumerate(parts):
                out[(j,) + tuple(slice(0, s) for s in p.shape)] = p
            return out
        if not parts:
            return np.zeros([0] + self.shapes[i].as_list(), dtype=dt)
        return np.stack(parts).astype(dt, copy=False)

    def close(self, cancel: bool) -> None:
        with self.cond:
            self.closed = True
            if cancel:
                self.cancel_gen += 1
            self.cond.notify_all()


# ------------------------------------------------------------------ ops


def _none(dts, attrs):
    return []


def _no_shapes(ins, attrs):
    return []


QueueEnqueueV2 = defop("QueueEnqueueV2", infer=Rule(_none, _no_shapes), num_outputs=0,
                       stateful=True)  # fmt: skip
QueueEnqueueManyV2 = defop("QueueEnqueueManyV2", infer=Rule(_none, _no_shapes), num_outputs=0,
                           stateful=True)  # fmt: skip


@QueueEnqueueV2.kernel
def _(xp, handle, *components, timeout_ms=-1):
    handle.enqueue(list(components), many=False)
    return []


@QueueEnqueueManyV2.kernel
def _(xp, handle, *components, timeout_ms=-1):
    handle.enqueue(list(components), many=True)
    return []


def _deq_dtypes(dts, attrs):
    return list(attrs["component_types"])


def _deq_shapes(lead):
    def shapes(ins, attrs):
        out = attrs.get("shapes") or [None] * len(attrs["component_types"])
        head = lead(ins)
        return [
            TensorShape(None)
            if s is None or s.rank is None
            else TensorShape(head + s.as_list())
            if head is not None
            else TensorShape(None)
            for s in out
        ]

    return shapes


def _n_static(ins):
    from tensorflux._src.tensor import static_value

    v = static_value(ins[1])
    return [None] if v is None else [int(v)]


def _n_comps(attrs, n):
    return len(attrs["component_types"])


QueueDequeueV2 = defop(
    "QueueDequeueV2", infer=Rule(_deq_dtypes, _deq_shapes(lambda ins: [])),
    num_outputs=_n_comps, stateful=True,
)  # fmt: skip
QueueDequeueManyV2 = defop(
    "QueueDequeueManyV2", infer=Rule(_deq_dtypes, _deq_shapes(_n_static)),
    num_outputs=_n_comps, stateful=True, host_inputs=(1,),
)  # fmt: skip
QueueDequeueUpToV2 = defop(
    "QueueDequeueUpToV2", infer=Rule(_deq_dtypes, _deq_shapes(lambda ins: [None])),
    num_outputs=_n_comps, stateful=True, host_inputs=(1,),
)  # fmt: skip


@QueueDequeueV2.kernel
def _(xp, handle, component_types=(), shapes=None, timeout_ms=-1):
    return handle.dequeue(1, "one")


@QueueDequeueManyV2.kernel
def _(xp, handle, n, component_types=(), shapes=None, timeout_ms=-1):
    return handle.dequeue(int(n), "many")


@QueueDequeueUpToV2.kernel
def _(xp, handle, n, component_types=(), shapes=None, timeout_ms=-1):
    return handle.dequeue(int(n), "up_to")


QueueCloseV2 = defop("QueueCloseV2", infer=Rule(_none, _no_shapes), num_outputs=0,
                     stateful=True)  # fmt: skip


@QueueCloseV2.kernel
def _(xp, handle, cancel_pending_enqueues=False):
    handle.close(bool(cancel_pending_enqueues))
    return []


def _scalar(dt):
    return Rule(lambda dts, attrs: dt, lambda ins, attrs: TensorShape([]))


QueueSizeV2 = defop("QueueSizeV2", infer=_scalar(dtypes.int32), stateful=True)
QueueIsClosedV2 = defop("QueueIsClosedV2", infer=_scalar(dtypes.bool), stateful=True)


@QueueSizeV2.kernel
def _(xp, handle):
    with handle.cond:
        return np.array(len(handle.items), dtype=np.int32)


@QueueIsClosedV2.kernel
def _(xp, handle):
    with handle.cond:
        return np.array(handle.closed)


not_differentiable(
    QueueEnqueueV2,
    QueueEnqueueManyV2,
    QueueDequeueV2,
    QueueDequeueManyV2,
    QueueDequeueUpToV2,
    QueueCloseV2,
    QueueSizeV2,
    QueueIsClosedV2,
)
