"""Dataset iterators: `OwnedIterator` (Python), `Optional`, and `for x in ds` inside tf.function."""

from __future__ import annotations

import itertools
import threading
import weakref

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.data import dataset as _ds
from tensorflux._src.optional import Optional
from tensorflux._src.tensor_spec import TensorSpec


def _close(gen) -> None:
    close = getattr(gen, "close", None)
    if close is not None:
        try:
            close()
        except ValueError:  # "generator already executing" in another thread: it stops itself
            pass


def _share_options(dataset) -> None:
    """Options apply to the whole pipeline, wherever `with_options` sits: hand the final
    dataset's options to every dataset upstream of it."""
    opts = dataset.options()
    stack, seen = [dataset], set()
    while stack:
        ds = stack.pop()
        if id(ds) in seen:
            continue
        seen.add(id(ds))
        ds._pipeline_options = opts
        stack.extend(ds._inputs)


class OwnedIterator:
    """An iterator over a dataset's elements; `next()` raises StopIteration at the end and
    `get_next()` raises `tf.errors.OutOfRangeError`."""

    def __init__(self, dataset):
        self._dataset = dataset
        self._element_spec = dataset.element_spec
        _share_options(dataset)
        with _context.eager_scope(), _context.pause_tapes():
            self._it = iter(dataset._iter())
        self._done = False
        # Closing the generator chain stops the pipeline's threads when the iterator goes away.
        self._finalizer = weakref.finalize(self, _close, self._it)

    @property
    def element_spec(self):
        return self._element_spec

    def __iter__(self):
        return self

    def __next__(self):
        c = _context.ctx
        if c.graph is not None:  # inside a traced function: pull at run time, not now
            return _ds.packer(self._element_spec, True)(self._graph_next(strict=True)[1])
        if self._done:
            raise StopIteration
        try:
            if c.fast:
                return next(self._it)
            with _context.eager_scope(), _context.pause_tapes():
                return next(self._it)
        except StopIteration:
            self._done = True
            raise
        except errors.OutOfRangeError:
            self._done = True
            raise StopIteration from None

    def next(self):
        return self.__next__()

    def get_next(self, name=None):
        """The next element; `tf.errors.OutOfRangeError` at the end of the sequence."""
        try:
            return self.__next__()
        except StopIteration:
            raise errors.OutOfRangeError(None, None, "End of sequence") from None

    def _graph_handle(self):
        """This iterator's handle for the iterator ops (registered once, weakly)."""
        h = self.__dict__.get("_handle")
        if h is None:
            with _LOCK:
                h = self._handle = next(_IDS)
                _LIVE[h] = weakref.ref(self, lambda _, h=h: _LIVE.pop(h, None))
        return h

    def _graph_next(self, strict: bool):
        """(has_value, components) as graph tensors of a get-next op on this iterator."""
        from tensorflux._src.tensor import constant

        handle = constant(np.int64(self._graph_handle()))
        outs = IteratorGetNext(handle, specs=_spec_attr(self), strict=strict)
        return outs[0], list(outs[1:])

    def _tfx_for_stmt(self, extra_test, body, vals, names, targets=()):
        """`for x in iterator:` inside a traced function: loops over the remaining elements."""
        return for_stmt(self, extra_test, body, vals, names)

    def get_next_as_optional(self):
        """The next element wrapped in an `Optional` (empty at the end of the sequence)."""
        if _context.ctx.graph is not None:
            has, comps = self._graph_next(strict=False)
            return Optional._from_parts(has, comps, self._element_spec)
        try:
            return Optional.from_value(self.__next__())
        except StopIteration:
            return Optional.empty(self._element_spec)

    def close(self) -> None:
        self._done = True
        self._finalizer()

    def __repr__(self) -> str:
        return f"<tensorflux.data.Iterator element_spec={self._element_spec}>"


Iterator = OwnedIterator


class NumpyIterator:
    """Wraps a dataset iterator and yields NumPy values (`as_numpy_iterator`)."""

    def __init__(self, iterator):
        self._iterator = iterator

    def __iter__(self):
        return self

    def __next__(self):
        elem = next(self._iterator)
        return nest.map_structure(_to_numpy, elem)

    next = __next__

    def __repr__(self) -> str:
        return f"NumpyIterator(iterator={self._iterator!r})"


def _to_numpy(t):
    v = t._value
    if v.ndim == 0:
        return v[()]
    return v


# ------------------------------------------------------------------- iteration inside tf.function

_LIVE: dict = {}  # handle -> Python iterator, for iterators created by traced functions
_IDS = itertools.count(1)
_LOCK = threading.Lock()


def _spec_attr(dataset) -> tuple:
    """The TensorSpecs of an element's flat components (composites expanded)."""
    out = []
    for s in nest.flatten(dataset.element_spec):
        out += s._flat_tensor_specs() if _ds.is_composite_spec(s) else [s]
    return tuple(out)


AnonymousIterator = defop(
    "TfxAnonymousIterator",
    infer=Rule(lambda dts, attrs: dtypes.int64, lambda ins, attrs: TensorShape([])),
    stateful=True,
)


@AnonymousIterator.kernel
def _(xp, dataset=None):
    with _LOCK:
        handle = next(_IDS)
        _LIVE[handle] = OwnedIterator(dataset)
    return np.array(handle, dtype=np.int64)


def _next_dtypes(dts, attrs):
    return [dtypes.bool] + [s.dtype for s in attrs["specs"]]


def _next_shapes(ins, attrs):
    return [TensorShape([])] + [s.shape for s in attrs["specs"]]


IteratorGetNext = defop(
    "TfxIteratorGetNext",
    infer=Rule(_next_dtypes, _next_shapes),
    num_outputs=lambda attrs, n: 1 + len(attrs["specs"]),
    stateful=True,
    host_inputs=(0,),
)


@IteratorGetNext.kernel
def _(xp, handle, specs=(), strict=False):
    h = int(handle)
    it = _LIVE.get(h)
    if isinstance(it, weakref.ref):  # an eager iterator used inside a traced function
        it = it()
    elem = None
    if it is not None:
        try:
            elem = next(it)
        except StopIteration:
            if not isinstance(_LIVE.get(h), weakref.ref):
                with _LOCK:
                    _LIVE.pop(h, None)
    if elem is None:
        if strict:
            raise errors.OutOfRangeError(None, None, "End of sequence")
        zeros = nest.flatten(_ds.zeros_like_spec(list(specs)))
        return [np.array(False)] + [z._value for z in zeros]
    return [np.array(True)] + [t._value for t in nest.flatten(elem, expand_composites=True)]


DeleteIterator = defop(
    "TfxDeleteIterator",
    infer=Rule(lambda dts, attrs: dtypes.bool, lambda ins, attrs: TensorShape([])),
    stateful=True,
    host_inputs=(0,),
)


@DeleteIterator.kernel
def _(xp, handle):
    with _LOCK:
        it = _LIVE.pop(int(handle), None)
    if it is not None:
        it.close()
    return np.array(it is not None)


not_differentiable(AnonymousIterator, IteratorGetNext, DeleteIterator)


def for_stmt(dataset, extra_test, body, vals, names):
    """`for elem in dataset: body` inside a traced function, as a while loop over the ops above.

    The loop carries `(has_value, *element, *vals)`; element shapes are relaxed to the spec's.
    """
    from tensorflux._src.autograph import operators as ag

    if _context.executing_eagerly():
        vals = tuple(vals)
        for item in dataset:
            if extra_test is not None and not extra_test(*vals):
                break
            vals = tuple(body(item, *vals))
        return vals
    spec = dataset.element_spec
    specs = _spec_attr(dataset)
    n = len(specs)
    owned = isinstance(dataset, OwnedIterator)  # an existing iterator: continue it
    if owned:
        from tensorflux._src.tensor import constant

        handle = constant(np.int64(dataset._graph_handle()))
    else:
        handle = AnonymousIterator(dataset=dataset)

    def get_next():
        outs = IteratorGetNext(handle, specs=specs)
        return outs[0], list(outs[1:])

    has, first = get_next()
    vals = tuple(vals)

    def test(has_value, *v):
        ok = has_value
        if extra_test is not None:
            ok = ag.and_(lambda: ok, lambda: extra_test(*v[n:]))
        return ok

    def step(has_value, *v):
        elem = _ds.packer(spec, True)(list(v[:n]))
        out = tuple(body(elem, *v[n:]))
        nxt_has, nxt = get_next()
        return (nxt_has, *nxt, *out)

    loop_names = ("<has_value>",) + tuple(f"<elem_{i}>" for i in range(n)) + tuple(names)
    out = ag._tensor_while(test, step, (has, *first, *vals), loop_names)
    from tensorflux._src.graph.framework import control_dependencies

    if not owned:
        with control_dependencies([t for t in out if hasattr(t, "op")]):
            DeleteIterator(handle)  # frees the iterator when the loop ends early (break)
    return tuple(out[1 + n :])


def get_next_as_optional(iterator):
    """`iterator.get_next_as_optional()` (tf.data.experimental.get_next_as_optional)."""
    return iterator.get_next_as_optional()


def element_spec_of(x):
    """tf.data.experimental.get_structure: the element_spec of a dataset or iterator."""
    spec = getattr(x, "element_spec", None)
    if spec is None:
        raise TypeError(
            f"Invalid `dataset_or_iterator`: {x!r} must be a `tf.data.Dataset` or "
            "tf.data.Iterator object."
        )
    return spec


__all__ = ["Iterator", "NumpyIterator", "Optional", "OwnedIterator", "TensorSpec"]
