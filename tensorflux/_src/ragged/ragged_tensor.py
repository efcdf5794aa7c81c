"""`tf.RaggedTensor`: a tensor whose rows have different lengths.

A RaggedTensor is a `values` tensor (or another RaggedTensor) cut into rows by `row_splits`:
row `i` is `values[row_splits[i]:row_splits[i + 1]]`. Nesting gives `ragged_rank` ragged
dimensions over one dense `flat_values` tensor. Every method is written with tensorflux ops, so
it works eagerly, inside tf.function and under GradientTape (gradients reach `flat_values`).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, creation_ops, cumulative_ops, manip_ops
from tensorflux._src.ops import math_ops, reduction_ops, segment_ops
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor, static_value
from tensorflux._src.tensor import register_tensor_conversion_function

_int64, _int32 = dtypes.int64, dtypes.int32
_TOKEN = object()  # only the factory methods may call the constructor


def _splits_tensor(x, name, dtype=None):
    """A row-partition tensor: int32/int64 tensors keep their dtype, other values become int64."""
    if isinstance(x, Tensor):
        if x.dtype not in (_int32, _int64):
            raise ValueError(f"{name} must have dtype int32 or int64, got {x.dtype.name}")
        t = x
    else:
        t = convert_to_tensor(x, dtype=dtype or _int64, name=name)
    if t.shape.rank is not None and t.shape.rank != 1:
        raise ValueError(f"Shape {t.shape} must have rank 1")
    return t


def _values_tensor(values):
    if isinstance(values, (Tensor, RaggedTensor)):
        return values
    if getattr(values, "_is_variable", False):
        return values.read_value()
    return convert_to_tensor(values, name="values")


def _invalid(fname, what, detail=""):
    msg = f"Arguments to {fname} do not form a valid RaggedTensor{what}"
    return errors.InvalidArgumentError(None, None, msg + (f"\n{detail}" if detail else ""))


def _invalid_partition(fname):
    return errors.InvalidArgumentError(
        None, None, f"Arguments to {fname} do not form a valid RowPartition.  "
    )


def _nvals(values):
    """The static number of rows of `values`, or None."""
    if isinstance(values, RaggedTensor):
        return values._static_nrows()
    return values.shape[0] if values.shape.rank else None


def _check_splits(values, splits, fname):
    """Validates `splits` against `values` wherever both are known without running anything."""
    s = static_value(splits)
    if s is None:
        _assert_splits(values, splits, fname)
        return
    if s.size == 0:
        raise errors.InvalidArgumentError(
            None, None, "slice index 0 of dimension 0 out of bounds. [Op:StridedSlice]"
        )
    if s[0] != 0:
        raise _invalid(
            fname, ":zero",
            f"Condition x == y did not hold.\nFirst 1 elements of x:\n[{s[0]}]\n"
            "First 1 elements of y:\n[0]",
        )  # fmt: skip
    if np.any(np.diff(s) < 0):
        raise _invalid(
            fname, ":monotonic.  ", "Condition x >= 0 did not hold element-wise:\n"
            f"x (shape={tuple(s.shape[:1]) and (s.size - 1,)} dtype={splits.dtype.name}) = \n"
            f"{[str(v) for v in np.diff(s)]}",
        )  # fmt: skip
    n = _nvals(values)
    if n is not None and s[-1] != n:
        raise _invalid(
            "_from_row_partition", "",
            f"Condition x == y did not hold.\nFirst 1 elements of x:\n[{s[-1]}]\n"
            f"First 1 elements of y:\n[{n}]",
        )  # fmt: skip


def _assert_splits(values, splits, fname):
    """The run-time form of the checks, for splits only known when a traced function runs."""
    from tensorflux._src.control_flow.asserts import Assert

    nv = _nrows_tensor(values, splits.dtype)
    ok = math_ops.logical_and(
        math_ops.logical_and(math_ops.equal(splits[0], 0), math_ops.equal(splits[-1], nv)),
        reduction_ops.reduce_all(math_ops.greater_equal(splits[1:], splits[:-1])),
    )
    Assert(ok, [f"Arguments to {fname} do not form a valid RaggedTensor"])


class RaggedTensor:
    """A tensor with one or more ragged dimensions, stored as values and row partitions.

    Build one with `tf.ragged.constant` or a factory classmethod (`from_row_splits`,
    `from_row_lengths`, `from_value_rowids`, `from_tensor`, ...); the constructor is private.
    """

    _is_composite_tensor = True
    _is_ragged_tensor = True
    __array_priority__ = 200  # NumPy defers `array + rt` to us

    def __init__(self, values, row_splits, internal=None):
        if internal is not _TOKEN:
            raise ValueError(
                "RaggedTensor constructor is private; please use one of the factory methods "
                "instead (e.g., RaggedTensor.from_row_lengths())"
            )
        self._values = values
        self._row_splits = row_splits
        _install_dispatch()

    # --- factories --------------------------------------------------------------------------------

    @classmethod
    def _make(cls, values, splits):
        if isinstance(values, RaggedTensor) and values._row_splits.dtype is not splits.dtype:
            raise ValueError(
                "dtype mismatch: row_splits of the outer partition is "
                f"{splits.dtype.name} but the inner values use {values._row_splits.dtype.name}; "
                "use RaggedTensor.with_row_splits_dtype to convert them"
            )
        return cls(values, splits, internal=_TOKEN)

    @classmethod
    def from_row_splits(cls, values, row_splits, name=None, validate=True):
        """Rows `values[row_splits[i]:row_splits[i + 1]]`; row_splits starts at 0, ends at nvals."""
        values = _values_tensor(values)
        splits = _splits_tensor(row_splits, "row_splits")
        if values.shape.rank == 0:
            raise ValueError("values must have rank at least 1")
        if validate:
            _check_splits(values, splits, "from_row_splits")
        return cls._make(values, splits)

    @classmethod
    def from_nested_row_splits(cls, flat_values, nested_row_splits, name=None, validate=True):
        """Applies `from_row_splits` for each splits tensor, innermost (last) first."""
        if isinstance(nested_row_splits, Tensor):
            raise TypeError("nested_row_splits must be a list of Tensors")
        out = _values_tensor(flat_values)
        for splits in reversed(list(nested_row_splits)):
            out = cls.from_row_splits(out, splits, validate=validate)
        return out

    @classmethod
    def from_row_lengths(cls, values, row_lengths, name=None, validate=True):
        """Row `i` holds the next `row_lengths[i]` values."""
        values = _values_tensor(values)
        lengths = _splits_tensor(row_lengths, "row_lengths")
        if validate:
            lv = static_value(lengths)
            if lv is not None and np.any(lv < 0):
                raise _invalid_partition("from_row_lengths")
        zero = array_ops.zeros([1], lengths.dtype)
        splits = manip_ops.concat([zero, cumulative_ops.cumsum(lengths)], 0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_value_rowids(cls, values, value_rowids, nrows=None, name=None, validate=True):
        """Value `j` goes to row `value_rowids[j]` (sorted ascending); `nrows` pads empty rows."""
        values = _values_tensor(values)
        rowids = _splits_tensor(value_rowids, "value_rowids")
        dt = rowids.dtype
        rv = static_value(rowids)
        if validate and rv is not None and rv.size:
            if rv[0] < 0 or np.any(np.diff(rv) < 0):
                raise _invalid_partition("from_value_rowids")
        if nrows is None:
            # Sorted ids: the last one names the last row (no ids: no rows).
            if rv is not None:
                nrows = int(rv[-1]) + 1 if rv.size else 0
            else:
                last = reduction_ops.reduce_max(
                    manip_ops.concat([rowids, convert_to_tensor([-1], dtype=dt)], 0))
                nrows = last + 1  # fmt: skip
        if not isinstance(nrows, Tensor):
            nrows = convert_to_tensor(nrows, dtype=dt)
        nrows = math_ops.cast(nrows, dt)
        if validate and rv is not None and rv.size:
            nv = static_value(nrows)
            if nv is not None and rv[-1] >= nv:
                raise _invalid_partition("from_value_rowids")
        ones = array_ops.ones_like(rowids)
        lengths = segment_ops.unsorted_segment_sum(ones, rowids, nrows)
        return cls.from_row_lengths(values, lengths, validate=validate)

    @classmethod
    def from_row_starts(cls, values, row_starts, name=None, validate=True):
        """Row `i` starts at `row_starts[i]`; the last row ends at `nvals`."""
        values = _values_tensor(values)
        starts = _splits_tensor(row_starts, "row_starts")
        nv = _nrows_tensor(values, starts.dtype)
        splits = manip_ops.concat([starts, array_ops.reshape(nv, [1])], 0)
        return cls.from_row_splits(values, splits, validate=validate)

    @classmethod
    def from_row_limits(cls, values, row_limits, name=None, validate=True):
        """Row `i` ends at `row_limits[i]`; the first row starts at 0."""
        values = _values_tensor(values)
        limits = _splits_tensor(row_limits, "row_limits")
        zero = array_ops.zeros([1], limits.dtype)
        return cls.from_row_splits(values, manip_ops.concat([zero, limits], 0), validate=validate)

    @classmethod
    def from_uniform_row_length(cls, values, uniform_row_length, nrows=None, validate=True,
                                name=None):  # fmt: skip
        """Rows of `uniform_row_length` values each."""
        values = _values_tensor(values)
        length = uniform_row_length
        if not isinstance(length, Tensor):
            length = convert_to_tensor(length, dtype=_int64, name="uniform_row_length")
        if length.dtype not in (_int32, _int64):
            raise ValueError(f"uniform_row_length must be int32 or int64, got {length.dtype}")
        if length.shape.rank is not None and length.shape.rank != 0:
            raise ValueError(f"Shape {length.shape} must have rank 0")
        dt = length.dtype
        if nrows is None:
            nrows = _nrows_tensor(values, dt) // math_ops.maximum(length, 1)
        splits = creation_ops.range(0, math_ops.cast(nrows, dt) + 1, dtype=dt) * length
        return cls.from_row_splits(values, splits, validate=validate)

    # --- structure --------------------------------------------------------------------------------

    @property
    def values(self):
        """The concatenated rows: a Tensor, or a RaggedTensor when ragged_rank > 1."""
        return self._values

    @property
    def row_splits(self) -> Tensor:
        """The 1-D row boundaries `[nrows + 1]` (int64 unless built from int32 partitions)."""
        return self._row_splits

    @property
    def flat_values(self) -> Tensor:
        """The innermost dense values tensor."""
        v = self._values
        while isinstance(v, RaggedTensor):
            v = v._values
        return v

    @property
    def nested_row_splits(self) -> tuple:
        """The row_splits of every ragged dimension, outermost first."""
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt._row_splits)
            rt = rt._values
        return tuple(out)

    @property
    def ragged_rank(self) -> int:
        v = self._values
        return 1 + v.ragged_rank if isinstance(v, RaggedTensor) else 1

    @property
    def dtype(self) -> dtypes.DType:
        return self.flat_values.dtype

    @property
    def row_splits_dtype(self) -> dtypes.DType:
        return self._row_splits.dtype

    def _static_nrows(self):
        n = self._row_splits.shape[0]
        return None if n is None else n - 1

    @property
    def shape(self) -> TensorShape:
        """The static shape: None for each ragged dimension (and for unknown sizes)."""
        inner = self._values.shape
        tail = inner.as_list()[1:] if inner.rank is not None else None
        if tail is None:
            return TensorShape(None)
        return TensorShape([self._static_nrows(), None] + tail)

    def get_shape(self) -> TensorShape:
        return self.shape

    @property
    def ndim(self) -> int:
        return self.shape.rank

    @property
    def device(self):
        return self.flat_values.device

    @property
    def graph(self):
        return self.flat_values.graph

    def _is_eager(self) -> bool:
        return all(isinstance(t, EagerTensor) for t in (self.flat_values,) + self.nested_row_splits)

    def with_values(self, new_values) -> "RaggedTensor":
        """The same outermost partition over `new_values` (same number of rows)."""
        return RaggedTensor._make(_values_tensor(new_values), self._row_splits)

    def with_flat_values(self, new_values) -> "RaggedTensor":
        """The same partitions over new flat values (same number of rows)."""
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.with_flat_values(new_values))
        return self.with_values(new_values)

    def with_row_splits_dtype(self, dtype) -> "RaggedTensor":
        """A copy whose partitions all have `dtype` (int32 or int64)."""
        dtype = dtypes.as_dtype(dtype)
        if dtype not in (_int32, _int64):
            raise ValueError(f"dtype must be int32 or int64, got {dtype.name}")
        v = self._values
        if isinstance(v, RaggedTensor):
            v = v.with_row_splits_dtype(dtype)
        s = self._row_splits
        return RaggedTensor._make(v, s if s.dtype is dtype else math_ops.cast(s, dtype))

    # --- row partition views ----------------------------------------------------------------------

    def nrows(self, out_type=None, name=None) -> Tensor:
        """The number of rows, a scalar of `out_type` (default: the row_splits dtype)."""
        n = array_ops.shape(self._row_splits, out_type=self._row_splits.dtype)[0] - 1
        return n if out_type is None else math_ops.cast(n, out_type)

    def row_starts(self, name=None) -> Tensor:
        return self._row_splits[:-1]

    def row_limits(self, name=None) -> Tensor:
        return self._row_splits[1:]

    def row_lengths(self, axis=1, name=None):
        """Lengths of the rows of dimension `axis` (1: a Tensor; deeper: a RaggedTensor)."""
        if axis == 0:
            return self.nrows()
        if axis == 1:
            return self._row_splits[1:] - self._row_splits[:-1]
        if axis < 0:
            raise ValueError("row_lengths does not support negative axis with a ragged tensor")
        if isinstance(self._values, RaggedTensor):
            return self.with_values(self._values.row_lengths(axis - 1))
        shape = array_ops.shape(self._values, out_type=self._row_splits.dtype)
        return self.with_values(array_ops.fill([shape[0]] if axis == 2 else shape[:axis - 1],
                                               shape[axis - 1]))  # fmt: skip

    def value_rowids(self, name=None) -> Tensor:
        """The row index of each value (a sorted 1-D tensor as long as `values`)."""
        return rowids_from_splits(self._row_splits)

    def nested_row_lengths(self, name=None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.row_lengths())
            rt = rt._values
        return tuple(out)

    def nested_value_rowids(self, name=None) -> tuple:
        out, rt = [], self
        while isinstance(rt, RaggedTensor):
            out.append(rt.value_rowids())
            rt = rt._values
        return tuple(out)

    def bounding_shape(self, axis=None, name=None, out_type=None) -> Tensor:
        """The smallest dense shape holding this tensor, as a 1-D tensor (or one entry of it)."""
        dt = out_type or self._row_splits.dtype
        dims = [math_ops.cast(self.nrows(), dt)]
        rt = self
        while isinstance(rt, RaggedTensor):
            lengths = rt.row_lengths()
            longest = reduction_ops.reduce_max(manip_ops.concat(
                [lengths, array_ops.zeros([1], lengths.dtype)], 0))  # fmt: skip
            dims.append(math_ops.cast(longest, dt))
            rt = rt._values
        inner = array_ops.shape(rt, out_type=dt)[1:]
        out = manip_ops.concat([array_ops.stack(dims), inner], 0)
        return out if axis is None else out[axis]

    def merge_dims(self, outer_axis, inner_axis) -> "RaggedTensor":
        """Merges dimensions `outer_axis..inner_axis` into one (`merge_dims(0, -1)` flattens
        everything into a 1-D tensor)."""
        from tensorflux._src.ragged import ragged_array_ops  # layer-ok: sibling module

        return ragged_array_ops.merge_dims(self, outer_axis, inner_axis)

    # --- conversions ------------------------------------------------------------------------------

    def to_tensor(self, default_value=None, name=None, shape=None) -> Tensor:
        """A dense tensor, rows padded with `default_value` (zero by default) to the bounding
        shape, or to `shape` when given (rows longer than it are truncated)."""
        from tensorflux._src.ragged import ragged_conversion  # layer-ok: sibling module

        return ragged_conversion.to_tensor(self, default_value, shape)

    def to_sparse(self, name=None):
        """A SparseTensor holding each value at its (row, column, ...) position."""
        from tensorflux._src.ragged import ragged_conversion  # layer-ok: sibling module

        return ragged_conversion.to_sparse(self)

    @classmethod
    def from_tensor(cls, tensor, lengths=None, padding=None, ragged_rank=1, name=None,
                    row_splits_dtype=_int64):  # fmt: skip
        """Rows of a dense tensor, cut to `lengths` or stripped of trailing `padding`."""
        from tensorflux._src.ragged import ragged_conversion  # layer-ok: sibling module

        return ragged_conversion.from_tensor(
            tensor, lengths, padding, ragged_rank, row_splits_dtype
        )

    @classmethod
    def from_sparse(cls, st_input, name=None, row_splits_dtype=_int64):
        """Rows of a 2-D SparseTensor whose indices are in row-major order."""
        from tensorflux._src.ragged import ragged_conversion  # layer-ok: sibling module

        return ragged_conversion.from_sparse(st_input, row_splits_dtype)

    def numpy(self):
        """The value as NumPy: a dense array when every row has the same length, otherwise an
        object array of row arrays (eager only)."""
        from tensorflux._src.ragged import ragged_print  # layer-ok: sibling module

        return ragged_print.to_numpy(self)

    def to_list(self) -> list:
        """The value as nested Python lists (eager only)."""
        from tensorflux._src.ragged import ragged_print  # layer-ok: sibling module

        return ragged_print.to_list(self)

    @property
    def _type_spec(self):
        from tensorflux._src.ragged.ragged_spec import RaggedTensorSpec  # layer-ok: sibling

        return RaggedTensorSpec.from_value(self)

    def __repr__(self) -> str:
        from tensorflux._src.ragged import ragged_print  # layer-ok: sibling module

        return ragged_print.repr_text(self)

    __str__ = __repr__

    def __bool__(self):
        raise TypeError("RaggedTensor may not be used as a boolean.")

    def __hash__(self):
        raise TypeError("RaggedTensor is unhashable.")

    def __iter__(self):
        n = self._static_nrows()
        if n is None:
            raise TypeError("Cannot iterate over a RaggedTensor with unknown first dimension.")
        return (self[i] for i in range(n))


def _nrows_tensor(values, dtype):
    if isinstance(values, RaggedTensor):
        return math_ops.cast(values.nrows(), dtype)
    return array_ops.shape(values, out_type=dtype)[0]


def rowids_from_splits(splits):
    """`[0]*len(row 0) + [1]*len(row 1) + ...`: the row of each position below `splits[-1]`;
    a sorted search, so it also works when the lengths are only known at run time."""
    from tensorflux._src.ops import sort_ops

    dt = splits.dtype
    # One extra position keeps the search non-empty (tf.searchsorted rejects empty values).
    pos = creation_ops.range(splits[-1] + 1, dtype=dt)
    return (sort_ops.searchsorted(splits, pos, side="right", out_type=dt) - 1)[:-1]


_INSTALLED = []


def _install_dispatch():
    """Loads the ragged ops, operators and API dispatch the first time a RaggedTensor exists."""
    if not _INSTALLED:
        _INSTALLED.append(True)
        from tensorflux._src.ragged import ragged_dispatch  # layer-ok: sibling module

        ragged_dispatch.install()


def is_ragged(x) -> bool:
    return isinstance(x, RaggedTensor)


def _refuse_conversion(value, dtype=None, name=None, as_ref=False):
    # TensorFlow's message: a RaggedTensor never silently densifies (use rt.to_tensor()).
    raise ValueError("TypeError: object of type 'RaggedTensor' has no len()")


register_tensor_conversion_function(RaggedTensor, _refuse_conversion)

__all__ = ["RaggedTensor", "is_ragged"]
