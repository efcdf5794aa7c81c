"""Dense and sparse conversions: `to_tensor`, `from_tensor`, `to_sparse`, `from_sparse`.

All are written with tensorflux ops (gather, boolean_mask, cumsum), so they trace inside
tf.function and pass gradients between the dense tensor and `flat_values`.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.ops import array_ops, creation_ops, cumulative_ops, gather_ops, manip_ops
from tensorflux._src.ops import math_ops, reduction_ops, shape_ops
from tensorflux._src.ops import indexing_ops
from tensorflux._src.ragged.ragged_tensor import RaggedTensor
from tensorflux._src.sparse_tensor import SparseTensor
from tensorflux._src.tensor import Tensor, convert_to_tensor, static_value


def _densify(rt, default):
    """`rt` padded to its bounding shape with `default` (a scalar tensor of rt's dtype)."""
    inner = rt.values
    if isinstance(inner, RaggedTensor):
        inner = _densify(inner, default)
    dt = rt.row_splits.dtype
    lengths = rt.row_lengths()
    maxlen = reduction_ops.reduce_max(manip_ops.concat([lengths, array_ops.zeros([1], dt)], 0))
    ishape = array_ops.shape(inner, out_type=dt)
    pad_row = shape_ops.broadcast_to(
        default, manip_ops.concat([array_ops.ones([1], dt), ishape[1:]], 0)
    )
    padded = manip_ops.concat([inner, pad_row], 0)
    cols = creation_ops.range(maxlen, dtype=dt)
    idx = array_ops.expand_dims(rt.row_splits[:-1], 1) + array_ops.expand_dims(cols, 0)
    mask = math_ops.less(array_ops.expand_dims(cols, 0), array_ops.expand_dims(lengths, 1))
    idx = array_ops.where(mask, idx, array_ops.fill(array_ops.shape(idx), ishape[0]))
    return gather_ops.gather(padded, idx)


def to_tensor(rt, default_value=None, shape=None):
    dtype = rt.dtype
    if default_value is None:
        default = array_ops.zeros([], dtype) if dtype is not dtypes.string else (
            convert_to_tensor(b"", dtype=dtype))  # fmt: skip
    elif isinstance(default_value, Tensor):
        default = default_value
    else:
        default = convert_to_tensor(default_value, dtype=dtype)
    if default.dtype is not dtype:
        raise TypeError(f"default_value has dtype {default.dtype.name}, expected {dtype.name}")
    out = _densify(rt, default)
    if shape is not None:
        out = _fit_shape(out, shape, default)
    return out


def _fit_shape(x, shape, default):
    """Truncates or pads `x` (with `default`) to `shape` (None entries keep x's size)."""
    from tensorflux._src.core.shape import as_shape

    dims = shape if isinstance(shape, Tensor) else as_shape(shape).as_list()
    if isinstance(dims, Tensor):
        dims = static_value(dims).tolist()
    rank = x.shape.rank
    if len(dims) != rank:
        raise ValueError(f"Shape {x.shape} must have rank {len(dims)}")
    xs = array_ops.shape(x, out_type=dtypes.int64)
    cur = [xs[i] for i in range(rank)]
    want = [cur[i] if d is None or d < 0 else convert_to_tensor(d, dtype=dtypes.int64)
            for i, d in enumerate(dims)]  # fmt: skip
    size = array_ops.stack([math_ops.minimum(c, w) for c, w in zip(cur, want)])
    x = indexing_ops.slice(x, array_ops.zeros([rank], dtypes.int64), size)
    pads = array_ops.stack([array_ops.zeros([rank], dtypes.int64), array_ops.stack(want) - size], 1)
    out = manip_ops.pad(x, pads, constant_values=default)
    static = [d if d is not None and d >= 0 else x.shape[i] for i, d in enumerate(dims)]
    if hasattr(out, "set_shape") and not hasattr(out, "numpy"):
        out.set_shape(static)
    return out


def _flatten_outer(tensor, shape, dt):
    """`tensor` with its two outer dimensions merged."""
    return array_ops.reshape(tensor, manip_ops.concat([convert_to_tensor([-1], dtype=dt),
                                                       shape[2:]], 0))  # fmt: skip


def from_tensor(tensor, lengths=None, padding=None, ragged_rank=1, row_splits_dtype=dtypes.int64):
    if lengths is not None and padding is not None:
        raise ValueError("Specify argument `lengths` or `padding`, but not both.")
    tensor = convert_to_tensor(tensor, name="tensor")
    dt = dtypes.as_dtype(row_splits_dtype)
    rank = tensor.shape.rank
    if not isinstance(ragged_rank, int) or ragged_rank <= 0:
        raise ValueError(f"ragged_rank must be greater than 0; got {ragged_rank}")
    if rank is not None and ragged_rank >= rank:
        raise ValueError(f"Shape {tensor.shape} must have rank at least {ragged_rank + 1}")
    shape = array_ops.shape(tensor, out_type=dt)
    if ragged_rank > 1:
        # The outer ragged dimensions are uniform: fold them into rows and cut back later.
        flat = _flatten_outer(tensor, shape, dt)
        if lengths is not None:
            lengths = array_ops.reshape(convert_to_tensor(lengths), [-1])
        inner = from_tensor(flat, lengths, padding, ragged_rank - 1, dt)
        return RaggedTensor.from_uniform_row_length(inner, shape[1], nrows=shape[0])
    nrows, ncols = shape[0], shape[1]
    if lengths is None and padding is None:
        values = _flatten_outer(tensor, shape, dt)
        splits = creation_ops.range(nrows + 1, dtype=dt) * ncols
        return RaggedTensor.from_row_splits(values, splits, validate=False)
    if padding is not None:
        padding = convert_to_tensor(padding, dtype=tensor.dtype)
        is_pad = math_ops.equal(tensor, padding)
        if rank is not None and rank > 2:
            is_pad = reduction_ops.reduce_all(is_pad, axis=list(range(2, rank)))
        trailing = cumulative_ops.cumprod(math_ops.cast(is_pad, dt), axis=1, reverse=True)
        lengths = ncols - reduction_ops.reduce_sum(trailing, axis=1)
    else:
        lengths = convert_to_tensor(lengths) if not isinstance(lengths, Tensor) else lengths
        lengths = math_ops.minimum(math_ops.cast(lengths, dt), ncols)
    cols = creation_ops.range(ncols, dtype=dt)
    mask = math_ops.less(array_ops.expand_dims(cols, 0), array_ops.expand_dims(lengths, 1))
    values = gather_ops.boolean_mask(tensor, mask)
    return RaggedTensor.from_row_lengths(values, lengths, validate=False)


def _scalar_flat(rt):
    """`rt` with dense inner dimensions turned ragged, so flat_values is 1-D."""
    flat = rt.flat_values
    extra = (flat.shape.rank or 1) - 1
    if extra == 0:
        return rt
    return rt.with_flat_values(from_tensor(flat, ragged_rank=extra,
                                           row_splits_dtype=rt.row_splits.dtype))  # fmt: skip


def to_sparse(rt):
    full = _scalar_flat(rt)
    levels = []
    r = full
    while isinstance(r, RaggedTensor):
        levels.append(r)
        r = r.values
    n = array_ops.shape(full.flat_values, out_type=dtypes.int64)[0]
    pos = creation_ops.range(n, dtype=dtypes.int64)
    cols = []
    for lvl in reversed(levels):
        splits = math_ops.cast(lvl.row_splits, dtypes.int64)
        rowid = math_ops.cast(lvl.value_rowids(), dtypes.int64)
        row = gather_ops.gather(rowid, pos)
        cols.append(pos - gather_ops.gather(splits, row))
        pos = row
    cols.append(pos)
    indices = array_ops.stack(list(reversed(cols)), axis=1)
    dense_shape = math_ops.cast(rt.bounding_shape(), dtypes.int64)
    return SparseTensor(indices, full.flat_values, dense_shape)


_NOT_RIGHT_RAGGED = ("Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized "
                     "data: b'SparseTensor is not right-ragged'")


def from_sparse(st, row_splits_dtype=dtypes.int64):
    if not isinstance(st, SparseTensor):
        raise TypeError(f"st_input must be a SparseTensor, got {type(st).__name__}")
    if st.shape.rank is not None and st.shape.rank != 2:
        raise ValueError("rank(st_input) must be 2.")
    dt = dtypes.as_dtype(row_splits_dtype)
    idx = static_value(st.indices)
    if idx is not None and len(idx):
        # Right-ragged: row-major order, and each row's columns are 0, 1, 2, ...
        first = np.r_[True, idx[1:, 0] != idx[:-1, 0]]
        expect = np.arange(len(idx)) - np.maximum.accumulate(np.where(first, np.arange(len(idx)),
                                                                      0))  # fmt: skip
        if np.any(np.diff(idx[:, 0]) < 0) or np.any(idx[:, 1] != expect):
            raise errors.InvalidArgumentError(None, None, _NOT_RIGHT_RAGGED)
    rowids = math_ops.cast(st.indices[:, 0], dt)
    nrows = math_ops.cast(st.dense_shape[0], dt)
    return RaggedTensor.from_value_rowids(st.values, rowids, nrows, validate=False)


__all__ = ["to_tensor", "from_tensor", "to_sparse", "from_sparse"]
