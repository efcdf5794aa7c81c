"""Indexing and array ops on RaggedTensors: `rt[...]`, gather, concat, stack, boolean_mask,
where, tile, expand_dims, squeeze, merge_dims, size and rank.

Row selection is one gather of value positions (`_gather_rows`), built from the selected rows'
starts and lengths, so it traces and passes gradients to the values.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.ops import array_ops, creation_ops, cumulative_ops, gather_ops, manip_ops
from tensorflux._src.ops import math_ops, segment_ops, shape_ops
from tensorflux._src.ragged.ragged_tensor import RaggedTensor, rowids_from_splits
from tensorflux._src.tensor import Tensor, convert_to_tensor, static_value


def _splits_from_lengths(lengths):
    zero = array_ops.zeros([1], lengths.dtype)
    return manip_ops.concat([zero, cumulative_ops.cumsum(lengths)], 0)


def _ranges(starts, lengths):
    """Concatenated `range(starts[i], starts[i] + lengths[i])` for every i."""
    dt = lengths.dtype
    total = _sum(lengths)
    offsets = cumulative_ops.cumsum(lengths, exclusive=True)
    rows = rowids_from_splits(_splits_from_lengths(lengths))
    pos = creation_ops.range(total, dtype=dt) - gather_ops.gather(offsets, rows)
    return gather_ops.gather(starts, rows) + pos


def _sum(x):
    from tensorflux._src.ops import reduction_ops

    return reduction_ops.reduce_sum(x)


def _take(values, idx):
    """`values` rows at positions `idx` (values may be ragged)."""
    if isinstance(values, RaggedTensor):
        return gather_rows(values, idx)
    return gather_ops.gather(values, idx)


def gather_rows(rt, idx):
    """The rows `idx` (a 1-D int tensor) of `rt`, as a RaggedTensor."""
    dt = rt.row_splits.dtype
    idx = math_ops.cast(idx, dt)
    starts = gather_ops.gather(rt.row_splits[:-1], idx)
    lengths = gather_ops.gather(rt.row_lengths(), idx)
    values = _take(rt.values, _ranges(starts, lengths))
    return RaggedTensor.from_row_splits(values, _splits_from_lengths(lengths), validate=False)


def _row(rt, i):
    """Row `i` (a Python int or scalar tensor) of `rt`: a Tensor or RaggedTensor."""
    n = static_value(rt.nrows())
    if isinstance(i, (int, np.integer)) and n is not None:
        if not -n <= i < n:
            raise IndexError(f"Row key {i} out of bounds")
        i = i + n if i < 0 else i
    elif not isinstance(i, (int, np.integer)):
        i = math_ops.cast(i, rt.row_splits.dtype)
    s = rt.row_splits
    start, stop = s[i], s[i + 1]
    v = rt.values
    if isinstance(v, RaggedTensor):
        return gather_rows(v, creation_ops.range(start, stop, dtype=s.dtype))
    return v[start:stop]


def _slice_rows(rt, sl):
    n = rt.nrows()
    step = 1 if sl.step is None else sl.step
    ns = static_value(n)
    if ns is not None and all(isinstance(x, (int, type(None))) for x in (sl.start, sl.stop)):
        if not isinstance(step, int):
            raise NotImplementedError("a tensor step when slicing a RaggedTensor")
        idx = np.arange(int(ns))[sl].astype(rt.row_splits.dtype.as_numpy_dtype)
        if step == 1 and len(idx) == ns:
            return rt
        return gather_rows(rt, convert_to_tensor(idx))
    if step != 1:
        raise NotImplementedError("slicing RaggedTensor rows with tensor bounds and a step")
    dt = n.dtype
    begin = _bound(sl.start, n, 0)
    end = _bound(sl.stop, n, n)
    return gather_rows(rt, creation_ops.range(begin, math_ops.maximum(begin, end), dtype=dt))


def _bound(b, size, default):
    """A slice bound as a tensor in [0, size] (negative bounds count from the end)."""
    if b is None:
        return math_ops.cast(default, size.dtype) if not isinstance(default, int) else (
            convert_to_tensor(default, dtype=size.dtype))  # fmt: skip
    b = math_ops.cast(b, size.dtype) if isinstance(b, Tensor) else convert_to_tensor(
        b, dtype=size.dtype)  # fmt: skip
    b = array_ops.where(b < 0, size + b, b)
    return math_ops.minimum(math_ops.maximum(b, 0), size)


def _slice_inner(rt, sl):
    """Slices every row of `rt` (its first ragged dimension) with `sl` (positive steps)."""
    step = 1 if sl.step is None else sl.step
    if not isinstance(step, int) or step <= 0:
        raise NotImplementedError("slicing a ragged dimension with a negative or tensor step")
    lengths = rt.row_lengths()
    dt = lengths.dtype
    zeros = array_ops.zeros_like(lengths)

    def bound(b, default):
        if b is None:
            return default
        b = convert_to_tensor(b, dtype=dt) if not isinstance(b, Tensor) else math_ops.cast(b, dt)
        b = array_ops.where(b < 0, lengths + b, zeros + b)
        return math_ops.minimum(math_ops.maximum(b, 0), lengths)

    begin = bound(sl.start, zeros)
    end = bound(sl.stop, lengths)
    new_len = math_ops.maximum(end - begin + (step - 1), 0) // step
    starts = rt.row_splits[:-1] + begin
    if step == 1:
        src = _ranges(starts, new_len)
    else:
        rows = rowids_from_splits(_splits_from_lengths(new_len))
        j = _ranges(zeros, new_len)
        src = gather_ops.gather(starts, rows) + j * step
    values = _take(rt.values, src)
    return RaggedTensor.from_row_splits(values, _splits_from_lengths(new_len), validate=False)


def _index_inner(x, key):
    """Applies `key` to dimensions 1.. of `x` (all rows at once)."""
    if not key:
        return x
    if not isinstance(x, RaggedTensor):
        return x[(slice(None),) + tuple(key)]
    first, rest = key[0], key[1:]
    if isinstance(first, slice):
        if first != slice(None):
            x = _slice_inner(x, first)
        return x.with_values(_index_inner(x.values, rest)) if rest else x
    raise ValueError("Cannot index into an inner ragged dimension.")


def _expand_key(rt, key):
    """`key` with `...` replaced by full slices, and the output axes of `tf.newaxis` entries."""
    if sum(k is Ellipsis for k in key) > 1:
        raise ValueError("An index can only have a single ellipsis ('...')")
    if Ellipsis in [k for k in key if not isinstance(k, Tensor)]:
        i = next(j for j, k in enumerate(key) if k is Ellipsis)
        used = sum(1 for k in key if k is not None and k is not Ellipsis)
        key = key[:i] + (slice(None),) * (rt.shape.rank - used) + key[i + 1:]
    new_axes, out, dropped = [], [], 0
    for i, k in enumerate(key):
        if k is None:
            new_axes.append(i - dropped)
            continue
        if not isinstance(k, slice):
            dropped += 1
        out.append(k)
    return tuple(out), new_axes


def getitem(rt, key):
    """`rt[key]`: ints and slices on the outer dimension, slices on ragged dimensions, any
    basic index on the uniform inner dimensions, `...` and `tf.newaxis`."""
    if not isinstance(key, tuple):
        key = (key,)
    key, new_axes = _expand_key(rt, key)
    out = _getitem(rt, key)
    for axis in new_axes:
        out = expand_dims(out, axis) if isinstance(out, RaggedTensor) else (
            array_ops.expand_dims(out, axis))  # fmt: skip
    return out


def _getitem(rt, key):
    if not key:
        return rt
    first, rest = key[0], key[1:]
    if isinstance(first, slice):
        return _index_inner(_slice_rows(rt, first), list(rest))
    if isinstance(first, (int, np.integer)) or (isinstance(first, Tensor) and
                                                first.shape.rank == 0):  # fmt: skip
        row = _row(rt, first)
        if not rest:
            return row
        if isinstance(row, RaggedTensor):
            return _getitem(row, rest)
        return row[rest]
    raise TypeError(f"Unsupported index for a RaggedTensor: {first!r}")


# ------------------------------------------------------------------ combining


def _as_ragged(x, like):
    if isinstance(x, RaggedTensor):
        return x
    return RaggedTensor.from_tensor(x, ragged_rank=like.ragged_rank,
                                    row_splits_dtype=like.row_splits.dtype)  # fmt: skip


def _concat_rows(rts):
    """Stacks the rows of every input one after another (axis 0)."""
    values = [r.values for r in rts]
    if isinstance(values[0], RaggedTensor):
        merged = _concat_rows(values)
    else:
        merged = manip_ops.concat(values, 0)
    lengths = manip_ops.concat([r.row_lengths() for r in rts], 0)
    return RaggedTensor.from_row_splits(merged, _splits_from_lengths(lengths), validate=False)


def _interleave(rts):
    """Row i of the result holds row i of each input in turn: `[n, k, (rows)]`."""
    k = len(rts)
    allv = _concat_rows(rts)  # rows ordered input-major
    n = rts[0].nrows()
    dt = n.dtype
    j = creation_ops.range(k, dtype=dt)
    i = creation_ops.range(n, dtype=dt)
    order = array_ops.reshape(array_ops.expand_dims(j, 0) * n + array_ops.expand_dims(i, 1), [-1])
    rows = gather_rows(allv, order)
    return RaggedTensor.from_uniform_row_length(rows, k, nrows=n)


def concat(values, axis, name=None):
    """`tf.concat` with RaggedTensor inputs along axis 0 or 1."""
    values = list(values)
    ref = next(v for v in values if isinstance(v, RaggedTensor))
    rts = [_as_ragged(v, ref) for v in values]
    rank = ref.shape.rank
    axis = axis + rank if axis < 0 else axis
    if len(rts) == 1:
        return rts[0]
    if axis == 0:
        return _concat_rows(rts)
    if axis == 1:
        return merge_dims(_interleave(rts), 1, 2)
    if axis > ref.ragged_rank:
        from tensorflux._src.ragged.ragged_math_ops import check_same_partitions

        for r in rts[1:]:
            check_same_partitions(ref, r)
        flat = manip_ops.concat([r.flat_values for r in rts], axis - ref.ragged_rank)
        return ref.with_flat_values(flat)
    # A deeper ragged axis: the outer rows must match; join the values one level down.
    for r in rts[1:]:
        _check_same_splits(ref.row_splits, r.row_splits)
    return ref.with_values(concat([r.values for r in rts], axis - 1))


def _check_same_splits(a, b):
    sa, sb = static_value(a), static_value(b)
    if sa is not None and sb is not None and (sa.shape != sb.shape or np.any(sa != sb)):
        raise errors.InvalidArgumentError(None, None, "Condition x == y did not hold.")


def stack(values, axis=0, name=None):
    """`tf.stack` / `tf.ragged.stack` of RaggedTensors (or tensors) along axis 0 or 1."""
    values = list(values)
    ref = next((v for v in values if isinstance(v, RaggedTensor)), None)
    if ref is None:
        values = [convert_to_tensor(v) for v in values]
        if values[0].shape.rank == 1 and axis == 0:
            ref = RaggedTensor.from_tensor(array_ops.stack(values))
            return ref
        return array_ops.stack(values, axis)
    rts = [_as_ragged(v, ref) for v in values]
    rank = ref.shape.rank
    axis = axis + rank + 1 if axis < 0 else axis
    if axis == 0:
        dt = ref.row_splits.dtype
        nrows = array_ops.stack([math_ops.cast(r.nrows(), dt) for r in rts])
        return RaggedTensor.from_row_splits(_concat_rows(rts), _splits_from_lengths(nrows),
                                            validate=False)  # fmt: skip
    if axis == 1:
        return _interleave(rts)
    if axis > ref.ragged_rank:
        from tensorflux._src.ragged.ragged_math_ops import check_same_partitions

        for r in rts[1:]:
            check_same_partitions(ref, r)
        flat = array_ops.stack([r.flat_values for r in rts], axis - ref.ragged_rank)
        return ref.with_flat_values(flat)
    raise NotImplementedError(f"tf.stack of RaggedTensors along axis {axis}")


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """`tf.gather` of the rows of a RaggedTensor (1-D or scalar indices, axis 0)."""
    if axis not in (None, 0) or batch_dims != 0:
        raise NotImplementedError("tf.gather on a RaggedTensor supports axis=0 only")
    if isinstance(indices, RaggedTensor):
        return indices.with_flat_values(gather(params, indices.flat_values))
    idx = indices if isinstance(indices, Tensor) else convert_to_tensor(indices)
    if idx.shape.rank == 0:
        return _row(params, idx)
    if idx.shape.rank == 1:
        return gather_rows(params, idx)
    flat = gather_rows(params, array_ops.reshape(idx, [-1]))
    return _nest_uniform(flat, idx)


def _nest_uniform(flat, idx):
    """Wraps rows gathered for a multi-dimensional index into its uniform outer shape."""
    out = flat
    dims = idx.shape.as_list()
    for d in reversed(dims[1:]):
        out = RaggedTensor.from_uniform_row_length(out, d)
    return out


def boolean_mask(tensor, mask, axis=None, name=None):
    """Keeps rows (1-D dense mask) or values (a mask ragged like `tensor`) where `mask` holds."""
    if isinstance(mask, RaggedTensor):
        if not isinstance(tensor, RaggedTensor):
            tensor = RaggedTensor.from_tensor(tensor, ragged_rank=mask.ragged_rank)
        levels, r = [], tensor
        while isinstance(r, RaggedTensor):
            levels.append(r)
            r = r.values
        m = mask.flat_values
        kept = gather_ops.boolean_mask(tensor.flat_values, m)
        inner = levels[-1]
        counts = segment_ops.unsorted_segment_sum(
            math_ops.cast(m, inner.row_splits.dtype), inner.value_rowids(), inner.nrows()
        )
        out = RaggedTensor.from_row_splits(kept, _splits_from_lengths(counts), validate=False)
        for lvl in reversed(levels[:-1]):
            out = RaggedTensor.from_row_splits(out, lvl.row_splits, validate=False)
        return out
    mask = mask if isinstance(mask, Tensor) else convert_to_tensor(mask, dtype=dtypes.bool)
    if isinstance(tensor, RaggedTensor) and mask.shape.rank == 1:
        rows = array_ops.reshape(array_ops.where(mask), [-1])
        return gather_rows(tensor, rows)
    if isinstance(tensor, RaggedTensor):
        raise NotImplementedError("tf.ragged.boolean_mask with a dense mask of rank > 1")
    return gather_ops.boolean_mask(tensor, mask)


def where(condition, x=None, y=None, name=None):
    """`tf.where` with ragged operands: element-wise selection, or the true coordinates."""
    if x is None and y is None:
        sp = condition.to_sparse()
        return gather_ops.boolean_mask(sp.indices, sp.values)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    from tensorflux._src.ragged.ragged_math_ops import elementwise

    return elementwise(array_ops.where, (condition, x, y), {})


def tile(input, multiples, name=None):  # noqa: A002 - TensorFlow's argument name
    """`tf.tile` of a RaggedTensor with ragged_rank 1: rows repeat inside, then as a whole."""
    rt = input
    if rt.ragged_rank != 1:
        raise NotImplementedError("tf.tile supports RaggedTensors with ragged_rank 1 only")
    m = static_value(convert_to_tensor(multiples)) if not isinstance(multiples, Tensor) else (
        static_value(multiples))  # fmt: skip
    if m is None:
        raise NotImplementedError("tf.tile of a RaggedTensor needs static multiples")
    m = [int(v) for v in m]
    dt = rt.row_splits.dtype
    lengths = rt.row_lengths()
    if m[1] != 1:
        new_len = lengths * m[1]
        rows = rowids_from_splits(_splits_from_lengths(new_len))
        pos = creation_ops.range(_sum(new_len), dtype=dt) - gather_ops.gather(
            cumulative_ops.cumsum(new_len, exclusive=True), rows)  # fmt: skip
        src = gather_ops.gather(rt.row_splits[:-1], rows) + pos % math_ops.maximum(
            gather_ops.gather(lengths, rows), 1)  # fmt: skip
        rt = RaggedTensor.from_row_splits(gather_ops.gather(rt.values, src),
                                          _splits_from_lengths(new_len), validate=False)
    if len(m) > 2 and any(v != 1 for v in m[2:]):
        rt = rt.with_values(manip_ops.tile(rt.values, [1] + m[2:]))
    if m[0] != 1:
        n = rt.nrows()
        rt = gather_rows(rt, creation_ops.range(n * m[0], dtype=dt) % math_ops.maximum(n, 1))
    return rt


def expand_dims(input, axis, name=None):  # noqa: A002 - TensorFlow's argument name
    """Inserts a dimension of size 1 at `axis` (uniform, so it is not ragged)."""
    x = input
    rank = x.shape.rank
    if axis < 0:
        axis += rank + 1
    if not 0 <= axis <= rank:
        raise ValueError(f"axis={axis} out of bounds for a RaggedTensor of rank {rank}")
    return _expand(x, axis)


def _expand(x, axis):
    if not isinstance(x, RaggedTensor):
        return array_ops.expand_dims(x, axis)
    if axis == 0:
        splits = array_ops.stack([array_ops.zeros([], x.row_splits.dtype), x.nrows()])
        return RaggedTensor.from_row_splits(x, splits, validate=False)
    if axis == 1:
        return RaggedTensor.from_uniform_row_length(
            x, convert_to_tensor(1, dtype=x.row_splits.dtype), nrows=x.nrows())
    return x.with_values(_expand(x.values, axis - 1))


def squeeze(input, axis=None, name=None):  # noqa: A002 - TensorFlow's argument name
    """Removes size-1 dimensions given by `axis` (required for RaggedTensors)."""
    if axis is None:
        raise ValueError("Ragged squeeze must have 'axis' argument.")
    axes = sorted([axis] if isinstance(axis, int) else list(axis), reverse=True)
    rank = input.shape.rank
    out = input
    for a in axes:
        out = _squeeze(out, a + rank if a < 0 else a)
    return out


def _squeeze(x, axis):
    if not isinstance(x, RaggedTensor):
        return array_ops.squeeze(x, [axis])
    if axis == 0:
        raise errors.InvalidArgumentError(None, None, "Cannot squeeze the outer dimension of "
                                          "a RaggedTensor")  # fmt: skip
    if axis == 1:
        lengths = static_value(x.row_lengths())
        if lengths is not None and np.any(lengths != 1):
            raise errors.InvalidArgumentError(
                None, None, "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. "
                f"Summarized data: b'the given axis (axis = {axis}) is not squeezable!'"
            )
        return x.values
    return x.with_values(_squeeze(x.values, axis - 1))


def merge_dims(rt, outer_axis, inner_axis):
    """Merges dimensions `outer_axis..inner_axis` into one."""
    rank = rt.shape.rank
    if inner_axis < 0:
        inner_axis += rank
    if outer_axis < 0:
        outer_axis += rank
    if not 0 <= outer_axis <= inner_axis < rank:
        raise ValueError(f"Expected outer_axis ({outer_axis}) to be less than or equal to "
                         f"inner_axis ({inner_axis})")  # fmt: skip
    if outer_axis == inner_axis:
        return rt
    if outer_axis == 0:
        flat = rt
        for _ in range(inner_axis):
            flat = _drop_outer(flat)
        return flat
    if not isinstance(rt, RaggedTensor):
        shape = array_ops.shape(rt)
        minus1 = convert_to_tensor([-1], dtype=shape.dtype)
        new = manip_ops.concat([shape[:outer_axis], minus1, shape[inner_axis + 1:]], 0)
        return array_ops.reshape(rt, new)
    if outer_axis >= 2:
        return rt.with_values(merge_dims(rt.values, outer_axis - 1, inner_axis - 1))
    # outer_axis == 1: each row's sub-rows join; splits move to the merged values' units.
    splits, v = rt.row_splits, rt.values
    for _ in range(inner_axis - 1):
        if isinstance(v, RaggedTensor):
            splits = gather_ops.gather(v.row_splits, splits)
            v = v.values
        else:
            splits = splits * array_ops.shape(v, out_type=splits.dtype)[1]
            v = _drop_outer(v)
    return RaggedTensor.from_row_splits(v, splits, validate=False)


def _drop_outer(x):
    """Merges the two outermost dimensions of `x`."""
    if isinstance(x, RaggedTensor):
        return x.values
    shape = array_ops.shape(x)
    return array_ops.reshape(x, manip_ops.concat([convert_to_tensor([-1]), shape[2:]], 0))


def size(input, out_type=None, name=None):  # noqa: A002 - TensorFlow's argument name
    return math_ops.cast(shape_ops.size(input.flat_values), out_type or dtypes.int32)


def rank(input, name=None):  # noqa: A002 - TensorFlow's argument name
    return convert_to_tensor(input.shape.rank, dtype=dtypes.int32)


__all__ = ["getitem", "gather", "concat", "stack", "boolean_mask", "where", "tile",
           "expand_dims", "squeeze", "merge_dims", "size", "rank", "gather_rows"]  # fmt: skip
