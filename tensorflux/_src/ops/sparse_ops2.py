"""`tf.sparse` shape manipulation and construction: concat, reshape, slice, split, transpose, ...

Composites of dense ops on the indices, like `sparse_ops.py`; ops whose result TensorFlow
returns in row-major order finish with `reorder`.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.indexed_slices import IndexedSlices
from tensorflux._src.ops import (
    array_ops,
    creation_ops,
    gather_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    segment_ops,
    unary_ops,
)
from tensorflux._src.ops._util import static_int_list
from tensorflux._src.ops.sparse_ops import (
    SparseToDense,
    _err,
    _group,
    _i64,
    _int64,
    _linear,
    _mask,
    _new,
    _rank,
    _size,
    _sp,
    _unlinear,
    reorder,
)
from tensorflux._src.sparse_tensor import SparseTensor
from tensorflux._src.tensor import Tensor, convert_to_tensor, static_value


def _onehot(rank: int, axis: int) -> Tensor:
    v = np.zeros(rank, dtype=np.int64)
    v[axis] = 1
    return convert_to_tensor(v)


def concat(axis, sp_inputs, expand_nonconcat_dims=False, name=None) -> SparseTensor:
    """Concatenates SparseTensors along `axis`.

    Args:
      axis: the dimension to concatenate along (negative counts from the end).
      sp_inputs: a list of SparseTensors of the same rank and dtype.
      expand_nonconcat_dims: if True, the other dimensions of the result are the largest of the
        inputs'; otherwise they must all be equal.
      name: optional name for the operation.

    Returns:
      A SparseTensor with sorted indices.

    Raises:
      InvalidArgumentError: if the other dimensions differ and `expand_nonconcat_dims` is False.
    """
    sps = [_sp(s, "sp_inputs") for s in sp_inputs]
    rank = _rank(sps[0])
    ax = int(axis)
    if not -rank <= ax < rank:
        raise _err(f"Concat dimension must be in range [{-rank}, {rank}), got {ax}")
    ax %= rank
    shapes = [static_value(s.dense_shape) for s in sps]
    if not expand_nonconcat_dims and all(v is not None for v in shapes):
        for i, sh in enumerate(shapes[1:], 1):
            for d in range(rank):
                if d != ax and sh[d] != shapes[0][d]:
                    raise _err(
                        f"Input shapes must match: expected {shapes[0][d]} for dimension {d} "
                        f"but got {sh[d]} at position {i} [Op:SparseConcat]"
                    )
    hot = _onehot(rank, ax)
    offset = convert_to_tensor(np.int64(0))
    indices = []
    for s in sps:
        indices.append(s.indices + (offset * hot)[None, :])
        offset = offset + s.dense_shape[ax]
    others = sps[0].dense_shape
    if expand_nonconcat_dims:
        for s in sps[1:]:
            others = math_ops.maximum(others, s.dense_shape)
    out_shape = others * (1 - hot) + offset * hot
    out = SparseTensor(
        manip_ops.concat(indices, 0), manip_ops.concat([s.values for s in sps], 0), out_shape
    )
    return reorder(out)


def expand_dims(sp_input, axis=None, name=None) -> SparseTensor:
    """Inserts a dimension of size 1 at `axis` (default -1, the end).

    Args:
      sp_input: a SparseTensor.
      axis: where the new dimension goes, in `[-rank - 1, rank]`.
      name: optional name for the operation.

    Returns:
      A SparseTensor of rank + 1.
    """
    sp = _sp(sp_input)
    rank = _rank(sp)
    ax = -1 if axis is None else int(axis)
    if not -rank - 1 <= ax <= rank:
        raise _err(
            f"Axis should be in range [{-rank - 1}, {rank}] but got {ax} [Op:SparseExpandDims]"
        )
    ax = ax % (rank + 1)
    n = _size(sp.values)
    col = array_ops.zeros(array_ops.stack([n, convert_to_tensor(np.int64(1))]), dtype=_int64)
    idx = manip_ops.concat([sp.indices[:, :ax], col, sp.indices[:, ax:]], 1)
    one = convert_to_tensor(np.array([1], dtype=np.int64))
    shape = manip_ops.concat([sp.dense_shape[:ax], one, sp.dense_shape[ax:]], 0)
    static = sp.shape
    if static.rank is not None:
        dims = static.as_list()
        static = TensorShape(dims[:ax] + [1] + dims[ax:])
    return _new(idx, sp.values, shape, static)


def eye(num_rows, num_columns=None, dtype=dtypes.float32, name=None) -> SparseTensor:
    """A sparse identity matrix of shape `[num_rows, num_columns]` (square by default).

    Args:
      num_rows: the number of rows.
      num_columns: the number of columns (default `num_rows`).
      dtype: the values' dtype.
      name: optional name for the operation.

    Returns:
      A rank-2 SparseTensor with ones on the diagonal.
    """
    rows = _i64(num_rows)
    cols = rows if num_columns is None else _i64(num_columns)
    n = math_ops.minimum(rows, cols)
    diag = creation_ops.range(n, dtype=_int64)
    indices = array_ops.stack([diag, diag], axis=1)
    values = array_ops.ones(n[None], dtype=dtype)
    return _new(indices, values, array_ops.stack([rows, cols]))


def fill_empty_rows(sp_input, default_value, name=None):
    """Adds an entry `[row, 0, ..., 0] = default_value` to every empty row of a SparseTensor.

    Args:
      sp_input: a SparseTensor of rank >= 1.
      default_value: the value placed in empty rows (same dtype as `sp_input`).
      name: optional name for the operation.

    Returns:
      A pair `(sp_ordered_output, empty_row_indicator)`: the filled SparseTensor (sorted) and a
      bool vector that is True for the rows that were empty.
    """
    sp = _sp(sp_input)
    rank = _rank(sp)
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    nrows = sp.dense_shape[0]
    counts = segment_ops.unsorted_segment_sum(
        array_ops.ones_like(sp.indices[:, 0]), sp.indices[:, 0], nrows
    )
    empty = math_ops.equal(counts, 0)
    rows = array_ops.where(empty)  # [k, 1]
    k = _size(rows)
    pad = array_ops.zeros(array_ops.stack([k, convert_to_tensor(np.int64(rank - 1))]), _int64)
    new_idx = manip_ops.concat([rows, pad], 1)
    new_vals = array_ops.fill(k[None], default)
    out = _new(
        manip_ops.concat([sp.indices, new_idx], 0),
        manip_ops.concat([sp.values, new_vals], 0),
        sp.dense_shape,
        sp.shape,
    )
    return reorder(out), empty


def mask(a, mask_indices, name=None) -> IndexedSlices:
    """The rows of an IndexedSlices whose index is not in `mask_indices`.

    Args:
      a: a `tf.IndexedSlices`.
      mask_indices: a 1-D tensor of row indices to drop.
      name: optional name for the operation.

    Returns:
      An IndexedSlices with the remaining rows, in their original order.
    """
    m = convert_to_tensor(mask_indices, dtype=a.indices.dtype)
    hit = reduction_ops.reduce_any(math_ops.equal(a.indices[:, None], m[None, :]), axis=1)
    keep = math_ops.logical_not(hit)
    return IndexedSlices(
        gather_ops.boolean_mask(a.values, keep),
        gather_ops.boolean_mask(a.indices, keep),
        a.dense_shape,
    )


def reset_shape(sp_input, new_shape=None) -> SparseTensor:
    """The same entries with a new (larger or equal) dense shape.

    Args:
      sp_input: a SparseTensor.
      new_shape: a 1-D int64 shape, at least as large as the current one in every dimension;
        if None, the tightest shape holding the indices (max index + 1 per dimension).

    Returns:
      A SparseTensor with the same indices and values.

    Raises:
      ValueError: if `new_shape` is smaller than the current shape or of another rank.
    """
    sp = _sp(sp_input)
    if new_shape is None:
        top = reduction_ops.reduce_max(sp.indices, axis=0) + 1
        shape = math_ops.maximum(top, array_ops.zeros_like(top))
        return _new(sp.indices, sp.values, shape)
    shape = _i64(new_shape)
    new, old = static_value(shape), static_value(sp.dense_shape)
    if new is not None and old is not None:
        if new.shape != old.shape:
            raise ValueError(f"Shapes must be equal rank, but are {len(old)} and {len(new)}")
        if np.any(new < old):
            # TensorFlow's message names the two shapes the other way round.
            raise ValueError(
                "Requested new_shape should have dimension sizes >= sp_input.shape.  Found "
                f"new_shape ({old}), sp_input.shape ({new})."
            )
    return _new(sp.indices, sp.values, shape)


def reshape(sp_input, shape, name=None) -> SparseTensor:
    """Reshapes a SparseTensor (row-major order, as tf.reshape), keeping the entry order.

    Args:
      sp_input: a SparseTensor.
      shape: the new dense shape; at most one entry may be -1 (inferred).
      name: optional name for the operation.

    Returns:
      A SparseTensor of the new shape.

    Raises:
      InvalidArgumentError: if the number of dense elements differs.
    """
    sp = _sp(sp_input)
    new = static_int_list(shape)
    old = static_value(sp.dense_shape)
    if new is not None and old is not None:
        total = int(np.prod(old))
        if new.count(-1) > 1:
            raise _err("only one output dimension may be -1, not both 0 and 1 [Op:SparseReshape]")
        known = int(np.prod([d for d in new if d != -1]))
        shown = "[" + ",".join(str(1 if d == -1 else d) for d in new) + "]"
        if -1 in new:
            if known == 0 or total % known:
                raise _err(
                    f"Input to reshape is a SparseTensor with {total} dense values, but the "
                    f"requested shape requires a multiple of {known}. input_shape="
                    f"{'[' + ','.join(str(int(d)) for d in old) + ']'} output_shape={shown} "
                    "[Op:SparseReshape]"
                )
            new = [total // known if d == -1 else d for d in new]
        elif known != total:
            raise _err(
                f"Input to reshape is a tensor with {total} dense values, but the requested "
                f"shape has {known}. input_shape={'[' + ','.join(str(int(d)) for d in old) + ']'}"
                f" output_shape={shown} [Op:SparseReshape]"
            )
        new_t = convert_to_tensor(np.array(new, dtype=np.int64))
    else:
        new_t = _i64(shape)
        total = reduction_ops.reduce_prod(sp.dense_shape)
        known = reduction_ops.reduce_prod(math_ops.maximum(new_t, array_ops.ones_like(new_t)))
        missing = array_ops.where(math_ops.equal(new_t, -1), total // known, new_t)
        new_t = missing
    keys = _linear(sp.indices, sp.dense_shape)
    return _new(_unlinear(keys, new_t), sp.values, new_t)


def retain(sp_input, to_retain) -> SparseTensor:
    """The entries of a SparseTensor selected by a bool vector.

    Args:
      sp_input: a SparseTensor with N entries.
      to_retain: a bool vector of length N.

    Returns:
      A SparseTensor with the same dense shape holding the selected entries.
    """
    sp = _sp(sp_input)
    keep = convert_to_tensor(to_retain, dtype=dtypes.bool)
    return _new(
        gather_ops.boolean_mask(sp.indices, keep),
        _mask(sp.values, keep),
        sp.dense_shape,
        sp.shape,
    )


def _segment(data, indices, segment_ids, num_segments, kind):
    data = convert_to_tensor(data)
    rows = gather_ops.gather(data, indices)
    ids = convert_to_tensor(segment_ids)
    if num_segments is None:
        # Sorted ids: the last one names the last segment (an empty input has none).
        last = gather_ops.gather(ids, math_ops.maximum(_size(ids) - 1, 0))
        n = array_ops.where(math_ops.greater(_size(ids), 0), last + 1, 0)
        n = math_ops.cast(n, ids.dtype)
    else:
        n = num_segments
    sums = segment_ops.unsorted_segment_sum(rows, ids, n)
    if kind == "sum":
        return sums
    ones = math_ops.cast(array_ops.ones_like(ids), data.dtype)
    counts = segment_ops.unsorted_segment_sum(ones, ids, n)
    counts = math_ops.maximum(counts, array_ops.ones_like(counts))
    if kind == "sqrt_n":
        counts = unary_ops.sqrt(counts)
    if rows.shape.rank is None or rows.shape.rank > 1:
        extra = array_ops.ones_like(array_ops.shape(sums)[1:])
        counts = array_ops.reshape(counts, manip_ops.concat([array_ops.shape(counts), extra], 0))
    return sums / counts


def segment_sum(data, indices, segment_ids, num_segments=None, name=None, sparse_gradient=False):
    """Sums rows `data[indices[i]]` into segment `segment_ids[i]`.

    Args:
      data: a dense tensor.
      indices: a 1-D tensor of row indices into `data`.
      segment_ids: a 1-D tensor (sorted unless `num_segments` is given) of segment ids.
      num_segments: optional number of output segments.
      name: optional name for the operation.
      sparse_gradient: accepted for compatibility; gradients are dense.

    Returns:
      A tensor with one row per segment.
    """
    return _segment(data, indices, segment_ids, num_segments, "sum")


def segment_mean(data, indices, segment_ids, num_segments=None, name=None, sparse_gradient=False):
    """Averages rows `data[indices[i]]` per segment (empty segments give 0).

    Args: as `tf.sparse.segment_sum`.

    Returns:
      A tensor with one row per segment.
    """
    return _segment(data, indices, segment_ids, num_segments, "mean")


def segment_sqrt_n(data, indices, segment_ids, num_segments=None, name=None, sparse_gradient=False):
    """Sums rows `data[indices[i]]` per segment, divided by the square root of the row count.

    Args: as `tf.sparse.segment_sum`.

    Returns:
      A tensor with one row per segment.
    """
    return _segment(data, indices, segment_ids, num_segments, "sqrt_n")


def slice(sp_input, start, size, name=None) -> SparseTensor:  # noqa: A001 - TensorFlow's name
    """The entries of a SparseTensor inside the box `[start, start + size)`, shifted to 0.

    Args:
      sp_input: a SparseTensor.
      start: a 1-D tensor, the box's first coordinate.
      size: a 1-D tensor, the box's extent (clipped to the dense shape).
      name: optional name for the operation.

    Returns:
      A SparseTensor of shape `min(size, dense_shape - start)`.
    """
    sp = _sp(sp_input)
    start, size = _i64(start), _i64(size)
    end = start + size
    inside = math_ops.logical_and(
        math_ops.greater_equal(sp.indices, start[None, :]), math_ops.less(sp.indices, end[None, :])
    )
    keep = reduction_ops.reduce_all(inside, axis=1)
    shape = math_ops.maximum(
        math_ops.minimum(sp.dense_shape, end) - start, array_ops.zeros_like(start)
    )
    return _new(
        gather_ops.boolean_mask(sp.indices, keep) - start[None, :],
        _mask(sp.values, keep),
        shape,
    )


def split(sp_input=None, num_split=None, axis=None, name=None) -> list:
    """Splits a SparseTensor into `num_split` pieces along `axis`.

    The first `dense_shape[axis] % num_split` pieces are one larger than the others.

    Args:
      sp_input: a SparseTensor.
      num_split: the number of pieces (a Python int).
      axis: the dimension to split.
      name: optional name for the operation.

    Returns:
      A list of `num_split` SparseTensors.
    """
    if sp_input is None or num_split is None or axis is None:
        raise ValueError("sp_input, num_split and axis are required")
    sp = _sp(sp_input)
    rank = _rank(sp)
    ax = int(axis) % rank
    num = int(num_split)
    dim = sp.dense_shape[ax]
    base, extra = dim // num, dim % num
    hot = _onehot(rank, ax)
    pieces = []
    start = convert_to_tensor(np.int64(0))
    for i in range(num):
        size_i = base + math_ops.cast(math_ops.less(np.int64(i), extra), _int64)
        st = start * hot
        sz = sp.dense_shape * (1 - hot) + size_i * hot
        pieces.append(slice(sp, st, sz))
        start = start + size_i
    return pieces


def to_indicator(sp_input, vocab_size, name=None) -> Tensor:
    """A dense bool tensor marking, per row, which ids appear among the row's values.

    `result[i_0, ..., i_{n-2}, v]` is True when some entry `[i_0, ..., i_{n-2}, j]` holds `v`.

    Args:
      sp_input: a SparseTensor of integer ids.
      vocab_size: the size of the last output dimension.
      name: optional name for the operation.

    Returns:
      A bool tensor of shape `dense_shape[:-1] + [vocab_size]`.
    """
    sp = _sp(sp_input)
    rank = _rank(sp)
    ids = math_ops.cast(sp.values, _int64)
    idx = manip_ops.concat([sp.indices[:, : rank - 1], ids[:, None]], 1)
    shape = manip_ops.concat([sp.dense_shape[: rank - 1], _i64(vocab_size)[None]], 0)
    ones = array_ops.ones_like(ids, dtype=dtypes.bool)
    out = SparseToDense(
        idx, shape, ones, convert_to_tensor(False), validate_indices=False, name=name
    )
    static = sp.shape
    if static.rank is not None and isinstance(vocab_size, int):
        out.set_shape(out.shape.merge_with(static[:-1].concatenate([vocab_size])))
    return out


def transpose(sp_input, perm=None, name=None) -> SparseTensor:
    """Permutes the dimensions of a SparseTensor (reverses them by default).

    Args:
      sp_input: a SparseTensor.
      perm: a permutation of `range(rank)`.
      name: optional name for the operation.

    Returns:
      A SparseTensor with sorted indices.
    """
    sp = _sp(sp_input)
    rank = _rank(sp)
    p = list(range(rank))[::-1] if perm is None else static_int_list(perm)
    if p is None or sorted(p) != list(range(rank)):
        raise _err(f"{perm} is not a permutation of [0, {rank})")
    idx = gather_ops.gather(sp.indices, p, axis=1)
    shape = gather_ops.gather(sp.dense_shape, p)
    static = sp.shape
    if static.rank is not None:
        static = TensorShape([static.as_list()[i] for i in p])
    return reorder(_new(idx, sp.values, shape, static))


def map_values(op, *args, **kwargs):
    """Applies `op` to the values of the SparseTensors among the arguments.

    Every SparseTensor argument must have the same indices and dense shape; they are replaced by
    their values when `op` is called, and the result takes the shared indices.

    Args:
      op: a callable taking tensors (e.g. `tf.math.add`).
      *args: positional arguments for `op`; SparseTensors are replaced by their values.
      **kwargs: keyword arguments for `op`, treated the same way.

    Returns:
      A SparseTensor whose values are `op`'s result.

    Raises:
      ValueError: if no argument is a SparseTensor.
      InvalidArgumentError: if SparseTensor arguments have different indices (eagerly).
    """
    sps = [a for a in list(args) + list(kwargs.values()) if isinstance(a, SparseTensor)]
    if not sps:
        raise ValueError("No SparseTensor in argument list of map_values")
    first = sps[0]
    for s in sps[1:]:
        a, b = static_value(first.indices), static_value(s.indices)
        if a is not None and b is not None and (a.shape != b.shape or np.any(a != b)):
            raise _err("Inputs must have identical indices.")
    unwrap = lambda x: x.values if isinstance(x, SparseTensor) else x  # noqa: E731
    out = op(*[unwrap(a) for a in args], **{k: unwrap(v) for k, v in kwargs.items()})
    return _new(first.indices, out, first.dense_shape, first.shape)


def bincount(
    values,
    weights=None,
    axis=0,
    minlength=None,
    maxlength=None,
    binary_output=False,
    name=None,
) -> SparseTensor:
    """Counts the occurrences of each integer value, as a SparseTensor.

    Args:
      values: a dense int tensor or a SparseTensor of ints (rank 1, or rank 2 with `axis=-1`).
      weights: optional weights of the same shape as `values` (their sums replace the counts).
      axis: 0 counts over all values; -1 counts per row of a rank-2 input.
      minlength: the output's last dimension is at least this large.
      maxlength: the output's last dimension is at most this large; larger values are dropped.
      binary_output: if True, entries are 1 where a value occurs, whatever the count.
      name: optional name for the operation.

    Returns:
      A SparseTensor of shape `[size]` (axis 0) or `[rows, size]` (axis -1), where `size` is
      `max(values) + 1` bounded by `minlength` and `maxlength`; its dtype is the weights' dtype,
      or the values' dtype for counts.
    """
    if axis not in (0, -1):
        raise ValueError(f"Unsupported axis value {axis}. Only 0 and -1 are currently supported.")
    if isinstance(values, SparseTensor):
        vals = values.values
        rows = values.indices[:, 0]
        nrows = values.dense_shape[0]
        w = None if weights is None else weights.values
    else:
        v = convert_to_tensor(values)
        if axis == -1 and v.shape.rank != 2:
            raise NotImplementedError("bincount with axis=-1 supports rank-2 inputs")
        vals = array_ops.reshape(v, [-1])
        if axis == -1:
            dims = array_ops.shape(v, out_type=_int64)
            nrows = dims[0]
            rows = creation_ops.range(_size(vals), dtype=_int64) // math_ops.maximum(dims[1], 1)
        w = None if weights is None else array_ops.reshape(convert_to_tensor(weights), [-1])
    v64 = math_ops.cast(vals, _int64)
    top = reduction_ops.reduce_max(v64) + 1  # -big for no values: clipped to 0 below
    size = math_ops.maximum(top, math_ops.cast(0, _int64))
    if minlength is not None:
        size = math_ops.maximum(size, _i64(minlength))
    if maxlength is not None:
        size = math_ops.minimum(size, _i64(maxlength))
    keep = math_ops.logical_and(math_ops.greater_equal(v64, 0), math_ops.less(v64, size))
    v64 = gather_ops.boolean_mask(v64, keep)
    if axis == -1:
        keys = gather_ops.boolean_mask(rows, keep) * size + v64
        shape = array_ops.stack([nrows, size])
    else:
        keys = v64
        shape = size[None]
    ukeys, seg, n = _group(keys)
    if binary_output or w is None:
        dtype = vals.dtype if w is None or binary_output else w.dtype
        counts = segment_ops.unsorted_segment_sum(
            math_ops.cast(array_ops.ones_like(seg), dtype), seg, n
        )
        if binary_output:
            counts = array_ops.ones_like(counts)
    else:
        counts = segment_ops.unsorted_segment_sum(_mask(w, keep), seg, n)
    return _new(_unlinear(ukeys, shape), counts, shape)


__all__ = [
    "bincount",
    "concat", "expand_dims", "eye", "fill_empty_rows", "mask", "reset_shape", "reshape",
    "retain", "segment_sum", "segment_mean", "segment_sqrt_n", "slice", "split", "to_indicator",
    "transpose", "map_values",
]  # fmt: skip
