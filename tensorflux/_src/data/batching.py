"""Batching transformations: batch, padded_batch, unbatch, window."""

from __future__ import annotations

import collections
import itertools

import numpy as np

from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.data import dataset as _ds
from tensorflux._src.data.dataset import INFINITE, UNKNOWN, ListDataset, UnaryDataset, wrap
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec


class BatchDataset(UnaryDataset):
    def __init__(self, input_dataset, batch_size, drop_remainder=False):
        super().__init__(input_dataset)
        self._n = _ds.to_int(batch_size)
        if self._n <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        self._drop = _ds.to_bool(drop_remainder)
        dim = self._n if self._drop else None
        self._spec = nest.map_structure(
            lambda s: s._batch(dim) if _ds.is_composite_spec(s)
            else TensorSpec(TensorShape([dim]).concatenate(s.shape), s.dtype),
            input_dataset.element_spec,
        )  # fmt: skip

    def _iter(self):
        spec = self._spec
        flat_spec = nest.flatten(spec)
        if _ds.has_composites(spec):
            return self._stack_iter(flat_spec)
        blocks = self._input._blocks(self._n, self._drop)
        if blocks is not None:
            pack = _ds.packer(spec)
            dts = [s.dtype for s in flat_spec]
            return (pack([wrap(a, d) for a, d in zip(b, dts)]) for b in blocks)
        return self._stack_iter(flat_spec)

    def _stack_iter(self, flat_spec):
        spec, n = self._spec, self._n
        it = self._input._iter()
        single = isinstance(spec, TensorSpec)
        flatten, pack = _ds.flattener(self._input.element_spec), _ds.packer(spec)
        while True:
            chunk = list(itertools.islice(it, n))
            if not chunk or (self._drop and len(chunk) < n):
                return
            if single:
                yield wrap(_stack([t._value for t in chunk]), flat_spec[0].dtype)
                continue
            cols = zip(*[flatten(e) for e in chunk])
            in_specs = nest.flatten(self._input.element_spec)
            out = [i._stack_values(list(c)) if _ds.is_composite_spec(i)
                   else wrap(_stack([t._value for t in c]), s.dtype)
                   for c, s, i in zip(cols, flat_spec, in_specs)]  # fmt: skip
            yield pack(out)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._n if self._drop else -(-n // self._n)


def _stack(arrays):
    try:
        return np.stack(arrays)
    except ValueError:
        shapes = sorted({a.shape for a in arrays})
        raise errors.InvalidArgumentError(
            None,
            None,
            f"Cannot batch tensors with different shapes in component 0. First element had "
            f"shape {list(shapes[0])} and element 1 had shape {list(shapes[-1])}.",
        ) from None


class PaddedBatchDataset(BatchDataset):
    def __init__(
        self,
        input_dataset,
        batch_size,
        padded_shapes=None,
        padding_values=None,
        drop_remainder=False,
    ):
        super().__init__(input_dataset, batch_size, drop_remainder)
        spec = input_dataset.element_spec
        for s in nest.flatten(spec):
            if _ds.is_composite_spec(s):
                raise TypeError(
                    "`padded_batch` is only supported for datasets that produce tensor elements "
                    "but type spec of elements in the input dataset is not a subclass of "
                    f"TensorSpec: `{s}`."
                )
        if padded_shapes is None:
            for s in nest.flatten(spec):
                if s.shape.rank is None:
                    raise ValueError(
                        "You must provide `padded_shapes` argument because component has "
                        "unknown rank."
                    )
            padded_shapes = nest.map_structure(lambda s: s.shape, spec)
        else:
            padded_shapes = nest.map_structure_up_to(spec, _as_pad_shape, padded_shapes)
        self._shapes = padded_shapes
        if padding_values is None:
            padding_values = nest.map_structure(
                lambda s: b"" if s.dtype == dtypes.string else 0, spec
            )
        else:
            padding_values = nest.map_structure_up_to(spec, lambda v: v, padding_values)
        self._pads = nest.map_structure(
            lambda v, s: convert_to_tensor(v, dtype=s.dtype)._value, padding_values, spec
        )
        dim = self._n if self._drop else None
        self._spec = nest.map_structure(
            lambda s, p: TensorSpec(TensorShape([dim]).concatenate(p), s.dtype), spec, padded_shapes
        )

    def _iter(self):
        flat_spec = nest.flatten(self._spec)
        shapes = nest.flatten_up_to(self._input.element_spec, self._shapes)
        pads = nest.flatten(self._pads)
        it = self._input._iter()
        while True:
            chunk = list(itertools.islice(it, self._n))
            if not chunk or (self._drop and len(chunk) < self._n):
                return
            cols = zip(*[nest.flatten(e) for e in chunk])
            out = []
            for c, s, shape, pad in zip(cols, flat_spec, shapes, pads):
                vals = [t._value for t in c]
                target = [
                    max(v.shape[i] for v in vals) if d is None else d
                    for i, d in enumerate(shape.as_list())
                ]
                arr = np.full([len(vals)] + target, pad, dtype=vals[0].dtype)
                for i, v in enumerate(vals):
                    if any(a > b for a, b in zip(v.shape, target)):
                        raise errors.InvalidArgumentError(
                            None,
                            None,
                            f"Attempted to pad to a smaller size than the input element. "
                            f"Element shape {list(v.shape)}, padded shape {target}.",
                        )
                    arr[(i,) + tuple(slice(0, d) for d in v.shape)] = v
                out.append(wrap(arr, s.dtype))
            yield _ds.pack(self._spec, out)


class SparseBatchDataset(UnaryDataset):
    def __init__(self, input_dataset, batch_size, row_shape):
        from tensorflux._src.sparse_tensor import SparseTensorSpec

        super().__init__(input_dataset)
        self._n = _ds.to_int(batch_size)
        if self._n <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than zero.")
        spec = input_dataset.element_spec
        if not isinstance(spec, TensorSpec):
            raise TypeError(f"sparse_batch needs a dataset of single tensors, got {spec}")
        self._row = _as_pad_shape(row_shape)
        self._spec = SparseTensorSpec(TensorShape([None]).concatenate(self._row), spec.dtype)

    def _iter(self):
        from tensorflux._src.sparse_tensor import SparseTensor

        row = self._row.as_list()
        dtype = self._spec.dtype
        it = self._input._iter()
        while True:
            chunk = [t._value for t in itertools.islice(it, self._n)]
            if not chunk:
                return
            idx, vals = [], []
            top = [0] * len(row)
            for i, a in enumerate(chunk):
                if a.ndim != len(row):
                    raise errors.InvalidArgumentError(
                        None, None, f"Input element had shape ({_dims(a.shape)}) that is "
                        f"incompatible with the row shape ({_dims(row)})."
                    )
                if any(d is not None and n > d for n, d in zip(a.shape, row)):
                    raise errors.DataLossError(
                        None, None, f"Input element had shape ({_dims(a.shape)}) that is larger "
                        f"than the row shape ({_dims(row)})."
                    )
                top = [max(t, n) for t, n in zip(top, a.shape)]
                pos = np.argwhere(np.ones(a.shape, dtype=bool))  # every position, row-major
                idx.append(np.concatenate([np.full((len(pos), 1), i), pos], axis=1))
                vals.append(a.reshape(-1))
            shape = [len(chunk)] + [t if d is None else d for t, d in zip(top, row)]
            yield SparseTensor(wrap(np.concatenate(idx).astype(np.int64), dtypes.int64),
                               wrap(np.concatenate(vals), dtype), shape)  # fmt: skip

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        return n if n < 0 else -(-n // self._n)


def _dims(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


def _as_pad_shape(s):
    if isinstance(s, Tensor):
        s = [int(d) if d >= 0 else None for d in s.numpy().tolist()]
    return as_shape([None if d == -1 else d for d in s] if isinstance(s, (list, tuple)) else s)


class UnbatchDataset(UnaryDataset):
    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        for s in nest.flatten(input_dataset.element_spec):
            if not _ds.is_composite_spec(s) and s.shape.rank == 0:  # composites: _unbatch checks
                raise ValueError("Cannot unbatch an input with scalar components.")
        self._spec = nest.map_structure(
            lambda s: s._unbatch() if _ds.is_composite_spec(s)
            else TensorSpec(s.shape[1:], s.dtype), input_dataset.element_spec
        )  # fmt: skip

    def _iter(self):
        spec = self._spec
        flat_spec = nest.flatten(spec)
        in_specs = nest.flatten(self._input.element_spec)
        flatten, pack = _ds.flattener(self._input.element_spec), _ds.packer(spec)
        dts = [getattr(s, "dtype", None) for s in flat_spec]
        for elem in self._input._iter():
            # Rows of each leaf: array rows for tensors, unstacked values for composites.
            arrays = [i._unstack_value(t) if _ds.is_composite_spec(i) else t._value
                      for t, i in zip(flatten(elem), in_specs)]  # fmt: skip
            n = len(arrays[0])
            if any(len(a) != n for a in arrays):
                raise errors.InvalidArgumentError(
                    None, None, "Input element must have the same batch size in each component."
                )
            for i in range(n):
                yield pack([a[i] if isinstance(a, list) else wrap(a[i, ...], d)
                            for a, d in zip(arrays, dts)])  # fmt: skip

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


class WindowDataset(UnaryDataset):
    def __init__(self, input_dataset, size, shift=None, stride=1, drop_remainder=False):
        super().__init__(input_dataset)
        self._size = _ds.to_int(size)
        self._shift = self._size if shift is None else _ds.to_int(shift)
        self._stride = _ds.to_int(stride)
        self._drop = _ds.to_bool(drop_remainder)
        if self._size <= 0 or self._shift <= 0 or self._stride <= 0:
            raise errors.InvalidArgumentError(
                None, None, "Window size, shift and stride must be positive."
            )
        spec = input_dataset.element_spec
        self._spec = nest.map_structure(lambda s: WindowSpec(s), spec)

    def _iter(self):
        span = (self._size - 1) * self._stride + 1
        buf: collections.deque = collections.deque()
        it = self._input._iter()
        start = 0  # index of buf[0] in the input
        pos = 0
        in_spec = self._input.element_spec
        exhausted = False
        while True:
            while not exhausted and start + len(buf) < pos + span:
                try:
                    buf.append(next(it))
                except StopIteration:
                    exhausted = True
            lo = pos - start
            window = list(buf)[lo : lo + span : self._stride]
            if not window or (self._drop and len(window) < self._size):
                return
            flat = [nest.flatten(e) for e in window]
            comps = [
                ListDataset([col[i] for col in flat], s)
                for i, s in enumerate(nest.flatten(in_spec))
            ]
            yield _ds.pack(in_spec, comps)
            pos += self._shift
            while buf and start < pos:
                buf.popleft()
                start += 1
            if exhausted and not buf:
                return

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        if self._drop:
            span = (self._size - 1) * self._stride + 1
            return 0 if n < span else (n - span) // self._shift + 1
        return -(-n // self._shift)


class DatasetSpec:
    """The type of a dataset-valued component (`tf.data.DatasetSpec`): its element_spec.

    Window components have this type; `value_type` is `tf.data.Dataset`.
    """

    def __init__(self, element_spec, dataset_shape=()):
        self._element_spec = element_spec
        self._shape = as_shape(dataset_shape)

    @property
    def element_spec(self):
        return self._element_spec

    @property
    def value_type(self):
        return _ds.DatasetV2

    def __eq__(self, other):
        return (
            isinstance(other, DatasetSpec)
            and other._element_spec == self._element_spec
            and other._shape == self._shape
        )

    def __hash__(self):
        return hash((repr(self._element_spec), self._shape))

    def __repr__(self) -> str:
        return f"DatasetSpec({self._element_spec!r}, TensorShape({self._shape.as_list()}))"


WindowSpec = DatasetSpec
