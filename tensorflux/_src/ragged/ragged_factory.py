"""`tf.ragged.constant`, `tf.ragged.range` and the segment-id / row-splits conversions."""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.ops import array_ops, creation_ops, cumulative_ops, gather_ops, manip_ops
from tensorflux._src.ops import math_ops, reduction_ops, segment_ops
from tensorflux._src.ragged.ragged_tensor import RaggedTensor, rowids_from_splits
from tensorflux._src.tensor import Tensor, constant as _constant, convert_to_tensor, static_value


def _is_list(x) -> bool:
    return isinstance(x, (list, tuple)) or (isinstance(x, np.ndarray) and x.ndim > 0)


def _scalar_depth(x, depth=0):
    """The nesting depth of the scalars in `x` (None when `x` holds no scalar)."""
    if not _is_list(x):
        return depth
    found = None
    for item in x:
        d = _scalar_depth(item, depth + 1)
        if d is None:
            continue
        if found is not None and d != found:
            raise ValueError("all scalar values must have the same nesting depth")
        found = d
    return found


def _max_list_depth(x) -> int:
    if not _is_list(x):
        return 0
    return 1 + max((_max_list_depth(i) for i in x), default=0)


def constant(pylist, dtype=None, ragged_rank=None, inner_shape=None, name=None,
             row_splits_dtype=dtypes.int64):  # fmt: skip
    """A RaggedTensor (or a Tensor when ragged_rank is 0) from a nested Python list.

    Args:
      pylist: nested lists (or tuples / arrays) of scalars; all scalars sit at the same depth.
      dtype: the values' dtype (default: inferred, float32 when there are no scalars).
      ragged_rank: how many dimensions are ragged (default: the scalar depth minus one, less
        the rank of `inner_shape`).
      inner_shape: the shape of each innermost value (default: inferred below `ragged_rank`).
      name: ignored (kept for TensorFlow's signature).
      row_splits_dtype: int64 (default) or int32.

    Returns:
      A RaggedTensor of rank `scalar depth`, or a Tensor when it has no ragged dimension.

    Raises:
      ValueError: if scalars sit at different depths or inner values disagree in shape.
    """
    if isinstance(pylist, (Tensor, RaggedTensor)):
        raise TypeError("tf.ragged.constant expects a Python list, got a tensor")
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    rsd = dtypes.as_dtype(row_splits_dtype)
    depth = _scalar_depth(pylist)
    if inner_shape is not None:
        inner_shape = tuple(int(d) for d in inner_shape)
    if depth is None:  # no scalars: the list structure alone gives the rank
        depth = max(_max_list_depth(pylist), (ragged_rank or 0) + 1) + (
            len(inner_shape) if inner_shape else 0)  # fmt: skip
    if ragged_rank is None:
        ragged_rank = max(0, depth - 1 - (len(inner_shape) if inner_shape else 0))
    elif ragged_rank < 0:
        raise ValueError(f"Invalid ragged_rank: {ragged_rank}")
    if inner_shape is not None and ragged_rank + 1 + len(inner_shape) != depth:
        raise ValueError("pylist has scalar values depth %d, but ragged_rank=%d and "
                         "inner_shape=%s require scalar value depth %d" % (
                             depth, ragged_rank, inner_shape,
                             ragged_rank + 1 + len(inner_shape)))  # fmt: skip
    if ragged_rank == 0:
        return _dense(pylist, dtype, inner_shape, rectangular=True)
    splits = []
    level = list(pylist)
    for _ in builtins.range(ragged_rank):
        lengths = [len(row) for row in level]
        splits.append(np.concatenate([[0], np.cumsum(lengths)]).astype(rsd.as_numpy_dtype))
        level = [item for row in level for item in row]
    flat = _dense(level, dtype, inner_shape, rectangular=False)
    nested = [convert_to_tensor(s, dtype=rsd) for s in splits]
    return RaggedTensor.from_nested_row_splits(flat, nested, validate=False)


def _dense(items, dtype, inner_shape, rectangular):
    """The flat values: `items` as one dense tensor of shape `[len(items)] + inner_shape`."""
    if isinstance(items, list) and not items:
        shape = [0] + list(inner_shape or [])
        return array_ops.zeros(shape, dtype or dtypes.float32) if (
            dtype is not dtypes.string) else _constant(np.zeros(shape, object), dtypes.string)
    try:
        t = _constant(items, dtype=dtype)
    except ValueError as e:
        if rectangular:
            raise ValueError("Can't convert non-rectangular Python sequence to Tensor.") from e
        raise ValueError("inner values have inconsistent shape") from e
    if inner_shape is not None and tuple(t.shape.as_list()[1:]) != tuple(inner_shape):
        t = array_ops.reshape(t, [-1] + list(inner_shape))
    return t


# --------------------------------------------------------------------------- range / segments


def range(starts, limits=None, deltas=1, dtype=None, name=None,  # noqa: A001 - TF's name
          row_splits_dtype=dtypes.int64):  # fmt: skip
    """Row `i` holds `range(starts[i], limits[i], deltas[i])` (scalars broadcast).

    With one argument, `starts` are the limits and the starts are 0, as for Python's range.
    """
    if limits is None:
        starts, limits = 0, starts
    args = [starts, limits, deltas]
    hint = next((a.dtype for a in args if isinstance(a, Tensor)), None)
    if dtype is None and hint is None:
        kinds = [np.asarray(a).dtype.kind for a in args]
        hint = dtypes.float32 if "f" in kinds else dtypes.int32
    dt = dtypes.as_dtype(dtype) if dtype is not None else hint
    s, lim, d = (a if isinstance(a, Tensor) and a.dtype is dt else
                 math_ops.cast(convert_to_tensor(a), dt) for a in args)  # fmt: skip
    rank = max(x.shape.rank or 0 for x in (s, lim, d))
    if rank > 1:
        raise ValueError("starts, limits and deltas must be scalars or vectors")
    if rank == 1:
        zero = array_ops.zeros_like(next(x for x in (s, lim, d) if x.shape.rank == 1))
        s, lim, d = (x + zero for x in (s, lim, d))  # broadcast scalars to the vectors
    else:
        s, lim, d = (array_ops.reshape(x, [1]) for x in (s, lim, d))
    dv = static_value(d)
    if dv is not None and np.any(dv == 0):
        raise errors.InvalidArgumentError(None, None, "Requires delta != 0 [Op:RaggedRange]")
    rsd = dtypes.as_dtype(row_splits_dtype)
    span = math_ops.cast(lim - s, dtypes.float64) / math_ops.cast(d, dtypes.float64)
    from tensorflux._src.ops import unary_ops

    lengths = math_ops.cast(math_ops.maximum(unary_ops.ceil(span), 0.0), rsd)
    splits = manip_ops.concat([array_ops.zeros([1], rsd), cumulative_ops.cumsum(lengths)], 0)
    rowids = row_splits_to_segment_ids(splits, out_type=rsd)
    total = splits[-1]
    pos = creation_ops.range(total, dtype=rsd) - gather_ops.gather(splits, rowids)
    values = gather_ops.gather(s, rowids) + math_ops.cast(pos, dt) * gather_ops.gather(d, rowids)
    return RaggedTensor.from_row_splits(values, splits, validate=False)


def segment_ids_to_row_splits(segment_ids, num_segments=None, out_type=None, name=None):
    """Row splits for sorted `segment_ids` (rows `0..num_segments-1`, empty ones included)."""
    ids = segment_ids if isinstance(segment_ids, Tensor) else convert_to_tensor(
        segment_ids, dtype=dtypes.int64)  # fmt: skip
    out_type = dtypes.as_dtype(out_type) if out_type is not None else dtypes.int64
    ids = math_ops.cast(ids, out_type)
    if num_segments is None:
        n = array_ops.shape(ids, out_type=out_type)[0]
        num_segments = math_ops.cast(n > 0, out_type) * (
            reduction_ops.reduce_max(manip_ops.concat([ids, array_ops.zeros([1], out_type)], 0))
            + 1)  # fmt: skip
    num_segments = math_ops.cast(num_segments, out_type)
    counts = segment_ops.unsorted_segment_sum(array_ops.ones_like(ids), ids, num_segments)
    return manip_ops.concat([array_ops.zeros([1], out_type), cumulative_ops.cumsum(counts)], 0)


def row_splits_to_segment_ids(splits, name=None, out_type=None):
    """The row index of each value for the partition `splits`."""
    splits = splits if isinstance(splits, Tensor) else convert_to_tensor(
        splits, dtype=dtypes.int64)  # fmt: skip
    if splits.shape.rank is not None and splits.shape.rank != 1:
        raise ValueError(f"Shape {splits.shape} must have rank 1")
    out_type = dtypes.as_dtype(out_type) if out_type is not None else splits.dtype
    return rowids_from_splits(math_ops.cast(splits, out_type))


__all__ = ["constant", "range", "segment_ids_to_row_splits", "row_splits_to_segment_ids"]
