"""`tf.queue`: FIFOQueue, PaddingFIFOQueue, RandomShuffleQueue and PriorityQueue.

Each queue owns a `QueueCell` on the host behind a scalar `resource` handle (`queue_ref`); its
methods call the queue ops in `queue_ops`, on the CPU, so they work eagerly and inside
`tf.function` (a traced function captures the handle). Elements go in as a single tensor, a
tuple or list of components, or a dict keyed by `names`, and come out as TensorFlow returns them.
"""

from __future__ import annotations

from tensorflux._src.core import context, dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.queue import queue_ops
from tensorflux._src.queue.queue_ops import QueueCell


def _on_host(op, *inputs, **attrs):
    """Runs a queue op on the CPU, where queues live, whatever the device scope."""
    from tensorflux._src.devices.scope import device

    with device("/CPU:0"):
        return op(*inputs, **attrs)


def _as_list(x) -> list:
    return list(x) if isinstance(x, (list, tuple)) else [x]


class QueueBase:
    """What every queue offers: enqueue/dequeue in their single, many and up-to forms, size and
    close. Use a subclass (`FIFOQueue`, ...); the constructor here takes a ready `QueueCell`."""

    def __init__(self, dtypes_, shapes, names, cell: QueueCell, name: str):
        from tensorflux._src import devices
        from tensorflux._src.tensor import EagerTensor

        self._dtypes = list(dtypes_)
        self._shapes = shapes if shapes is not None else [TensorShape(None)] * len(self._dtypes)
        self._names = names
        self._cell = cell
        self._name = name
        self._queue_ref = EagerTensor(cell, dtypes.resource, devices.CPU0)

    @staticmethod
    def from_list(index, queues):
        raise NotImplementedError(
            "tf.queue.QueueBase.from_list selects a queue by a tensor index at run time; it is "
            "not supported by tensorflux yet"
        )

    @property
    def queue_ref(self):
        """The scalar `resource` tensor naming the queue."""
        return self._queue_ref

    @property
    def name(self) -> str:
        """The queue's name ("Empty" for queues made eagerly, as TensorFlow 2 reports it)."""
        return self._name

    @property
    def dtypes(self) -> list:
        """The dtypes of the components of an element."""
        return list(self._dtypes)

    @property
    def shapes(self) -> list:
        """The shapes of the components of an element (`TensorShape(None)` when unspecified)."""
        return list(self._shapes)

    @property
    def names(self):
        """The component names, or None for queues without names."""
        return None if self._names is None else list(self._names)

    # -- converting elements

    def _components(self, vals, many: bool) -> list:
        from tensorflux._src.tensor import convert_to_tensor

        if isinstance(vals, dict):
            if not self._names:
                raise ValueError("Queue must have names to enqueue a dictionary")
            if sorted(self._names, key=str) != sorted(vals.keys(), key=str):
                raise ValueError(
                    "Keys in dictionary to enqueue do not match names of Queue.  Dictionary: "
                    f"{sorted(vals.keys())},Queue: {sorted(self._names)}"
                )
            vals = [vals[k] for k in self._names]
        else:
            if self._names:
                raise ValueError("You must enqueue a dictionary in a Queue with names")
            vals = _as_list(vals)
        out = []
        for i, (v, dt) in enumerate(zip(vals, self._dtypes)):
            try:
                t = convert_to_tensor(v, dtype=dt)
            except ValueError as e:
                raise ValueError(f"component_{i}: {e}") from None
            shape = t.shape
            if many:
                if shape.rank is not None and shape.rank < 1:
                    raise ValueError(f"Shape {shape} must have rank at least 1")
                shape = shape[1:] if shape.rank is not None else shape
            if not shape.is_compatible_with(self._shapes[i]):
                raise ValueError(f"Shapes {shape} and {self._shapes[i]} are incompatible")
            out.append(t)
        if many and out:
            first = out[0].shape[0] if out[0].shape.rank else None
            for t in out[1:]:
                d = t.shape[0] if t.shape.rank else None
                if first is not None and d is not None and d != first:
                    raise ValueError(f"Dimensions {first} and {d} are not compatible")
        return out

    def _pack(self, tensors):
        if not isinstance(tensors, (list, tuple)):
            tensors = [tensors]
        if self._names:
            return dict(zip(self._names, tensors))
        if len(tensors) == 1:
            return tensors[0]
        return list(tensors)

    def _attrs(self) -> dict:
        return {"component_types": tuple(self._dtypes), "shapes": tuple(self._shapes)}

    # -- operations

    def enqueue(self, vals, name=None):
        """Adds one element, blocking while the queue is full.

        Raises `tf.errors.CancelledError` if the queue is closed, or if it is closed with
        `cancel_pending_enqueues=True` while this call waits.
        """
        comps = self._components(vals, many=False)
        _on_host(queue_ops.QueueEnqueueV2, self._queue_ref, *comps, name=name)

    def enqueue_many(self, vals, name=None):
        """Adds the slices along the first dimension of each component as separate elements."""
        comps = self._components(vals, many=True)
        _on_host(queue_ops.QueueEnqueueManyV2, self._queue_ref, *comps, name=name)

    def dequeue(self, name=None):
        """Removes one element, blocking while the queue is empty.

        Raises `tf.errors.OutOfRangeError` once the queue is closed and empty.
        """
        out = _on_host(queue_ops.QueueDequeueV2, self._queue_ref, name=name, **self._attrs())
        return self._pack(out)

    def dequeue_many(self, n, name=None):
        """Removes exactly `n` elements and stacks them along a new first dimension.

        Raises `tf.errors.OutOfRangeError` if the queue is closed with fewer than `n` left.
        """
        out = _on_host(queue_ops.QueueDequeueManyV2, self._queue_ref, _n(n), name=name,
                       **self._attrs())  # fmt: skip
        return self._pack(out)

    def dequeue_up_to(self, n, name=None):
        """Like `dequeue_many`, but once the queue is closed returns the (fewer) elements left."""
        out = _on_host(queue_ops.QueueDequeueUpToV2, self._queue_ref, _n(n), name=name,
                       **self._attrs())  # fmt: skip
        return self._pack(out)

    def close(self, cancel_pending_enqueues=False, name=None):
        """Closes the queue: later enqueues fail and dequeues drain what is left."""
        cancel = bool(cancel_pending_enqueues)
        return _on_host(
            queue_ops.QueueCloseV2, self._queue_ref, cancel_pending_enqueues=cancel, name=name
        )

    def is_closed(self, name=None):
        """Whether the queue is closed, as a scalar bool tensor."""
        return _on_host(queue_ops.QueueIsClosedV2, self._queue_ref, name=name)

    def size(self, name=None):
        """The number of elements in the queue, as a scalar int32 tensor."""
        return _on_host(queue_ops.QueueSizeV2, self._queue_ref, name=name)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} object at {hex(id(self))}>"


def _n(n):
    from tensorflux._src.tensor import Tensor, convert_to_tensor

    return n if isinstance(n, Tensor) else convert_to_tensor(n, dtype=dtypes.int32)


# ------------------------------------------------------------------ construction helpers


def _dtype_list(dts) -> list:
    return [dtypes.as_dtype(d) for d in _as_list(dts)]


def _shape_list(shapes, dts, partial: bool = False):
    """TensorFlow's reading of `shapes`: a bare list of ints (or []) is one component's shape."""
    if shapes is None:
        return None
    if isinstance(shapes, TensorShape):
        shapes = [shapes]
    if not isinstance(shapes, (list, tuple)):
        raise TypeError("Shapes must be a TensorShape or a list or tuple of TensorShapes, "
                        f"got {type(shapes).__name__} instead.")  # fmt: skip
    if partial and (not shapes or any(s is None or isinstance(s, int) for s in shapes)):
        raise ValueError("When providing partial shapes, a list of shapes must be provided.")
    if all(s is None or isinstance(s, int) for s in shapes):
        shapes = [shapes]
    out = [TensorShape(s) for s in shapes]
    if any(s.rank is None for s in out) or (
        not partial and not all(s.is_fully_defined() for s in out)
    ):
        raise ValueError(f"All shapes must be fully defined: {out}")
    if len(out) != len(dts):
        types = ", ".join(d.name for d in dts)
        text = ", ".join(str(s.as_list()) for s in out).replace(" ", "")
        raise InvalidArgumentError(
            None, None, f"Different number of component types.  Types: {types}, Shapes: [{text}]"
        )
    return out


def _name_list(names, n: int):
    if names is None:
        return None
    names = _as_list(names)
    if len(names) != n:
        raise ValueError(
            "List of names must have the same length as the list of dtypes, received "
            f"len(names)={len(names)},len(dtypes)={n}"
        )
    return names


def _make(kind, capacity, dts, shapes, names, **extra):
    with context.eager_scope():
        cell = QueueCell(kind, capacity, dts, shapes, **extra)
    return cell


class FIFOQueue(QueueBase):
    """A queue handing out elements in first-in first-out order.

    Args:
      capacity: the most elements it holds (enqueues block beyond it; negative: unbounded).
      dtypes: a DType or list of DTypes, one per component of an element.
      shapes: optional list of fully defined shapes, one per component; needed by
        `dequeue_many` / `dequeue_up_to`.
      names: optional list of component names; elements are then dicts.
      shared_name: accepted; queues are never shared between sessions here.
      name: optional name.
    """

    def __init__(self, capacity, dtypes, shapes=None, names=None, shared_name=None,
                 name="fifo_queue"):  # fmt: skip
        dts = _dtype_list(dtypes)
        shp = _shape_list(shapes, dts)
        nms = _name_list(names, len(dts))
        super().__init__(dts, shp, nms, _make("FIFOQueue", capacity, dts, shp, nms), "Empty")


class PaddingFIFOQueue(QueueBase):
    """A FIFO queue whose components may have unknown dimensions (`None`): `dequeue_many` and
    `dequeue_up_to` pad them with zeros (empty strings) to the largest size in the batch.

    Args are those of `FIFOQueue`, except that `shapes` is required and may hold `None` dims.
    """

    def __init__(self, capacity, dtypes, shapes, names=None, shared_name=None,
                 name="padding_fifo_queue"):  # fmt: skip
        dts = _dtype_list(dtypes)
        nms = _name_list(names, len(dts))
        shp = _shape_list(shapes, dts, partial=True)
        cell = _make("PaddingFIFOQueue", capacity, dts, shp, nms)
        super().__init__(dts, shp, nms, cell, "Empty")


class RandomShuffleQueue(QueueBase):
    """A queue handing out its elements in random order.

    Args:
      capacity: the most elements it holds.
      min_after_dequeue: dequeues wait while the queue would be left with fewer elements than
        this (until it is closed), so that enough elements are mixed.
      dtypes, shapes, names, shared_name, name: as for `FIFOQueue`.
      seed: optional seed for the order (not TensorFlow's sequence).
    """

    def __init__(self, capacity, min_after_dequeue, dtypes, shapes=None, names=None, seed=None,
                 shared_name=None, name="random_shuffle_queue"):  # fmt: skip
        dts = _dtype_list(dtypes)
        shp = _shape_list(shapes, dts)
        nms = _name_list(names, len(dts))
        if capacity >= 0 and min_after_dequeue >= capacity:
            raise InvalidArgumentError(
                None, None, f"min_after_dequeue {min_after_dequeue} must be < capacity "
                f"{capacity} [Op:RandomShuffleQueueV2] name: {name}"
            )  # fmt: skip
        cell = _make("RandomShuffleQueue", capacity, dts, shp, nms,
                     min_after_dequeue=min_after_dequeue, seed=seed)  # fmt: skip
        super().__init__(dts, shp, nms, cell, "Empty")


class PriorityQueue(QueueBase):
    """A queue handing out the element with the smallest priority first.

    Every element starts with a scalar int64 priority followed by the components of `types`;
    elements of equal priority come out in insertion order.

    Args:
      capacity: the most elements it holds.
      types: the dtypes of the components after the priority.
      shapes: the shapes of those components (required).
      names: optional names for all components, the priority's included.
      shared_name, name: as for `FIFOQueue`.
    """

    def __init__(self, capacity, types, shapes=None, names=None, shared_name=None,
                 name="priority_queue"):  # fmt: skip
        dts = [dtypes.int64] + _dtype_list(types)
        if shapes is None:
            raise InvalidArgumentError(
                None, None, f"PriorityQueue needs the shapes of its components; got types "
                f"{[d.name for d in dts[1:]]} and no shapes [Op:PriorityQueueV2] name: {name}"
            )  # fmt: skip
        shp = [TensorShape([])] + _shape_list(shapes, dts[1:])
        if names is not None and len(_as_list(names)) != len(dts):
            raise ValueError(
                "Queue names must have the same length as dtypes,received "
                f"len(names)={len(_as_list(names))},len {len(dts)}"
            )
        nms = None if names is None else _as_list(names)
        super().__init__(dts, shp, nms, _make("PriorityQueue", capacity, dts, shp, nms), "Empty")
