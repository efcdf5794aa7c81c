"""`tf.sparse`: SparseToDense (the one sparse kernel), conversions, arithmetic and reductions.

Everything but `SparseToDense` is a composite of dense ops (gather, segment sums, argsort,
unique, where), so it traces into tf.function graphs and differentiates with respect to the
values with no gradient of its own. Entries are addressed by their row-major linear position
(`_linear`), which turns sorting, matching and grouping of coordinates into 1-D integer work.
Shape manipulation (concat, reshape, slice, split, ...) lives in `sparse_ops2.py`.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.ops import (
    array_ops,
    binary_math_ops,
    creation_ops,
    cumulative_ops,
    gather_ops,
    linalg_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    segment_ops,
    sort_ops,
    unary_ops,
)
from tensorflux._src.ops._util import static_int_list, static_shape_of
from tensorflux._src.sparse_tensor import SparseTensor
from tensorflux._src.tensor import Tensor, convert_to_tensor, static_value

_int64 = dtypes.int64


def _err(msg):
    return InvalidArgumentError(None, None, msg)


# ------------------------------------------------------------------ SparseToDense


def _std_dtype(dts, attrs):
    if dts[0] not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"sparse_indices must be int32 or int64, got {dts[0].name}")
    return dts[2]


def _std_shape(inputs, attrs):
    return static_shape_of(inputs[1])


SparseToDense = defop(
    "SparseToDense", infer=Rule(_std_dtype, _std_shape), host_inputs=(0, 1), type_inputs=(2, 3)
)


def _fmt(row) -> str:
    return "[" + ",".join(str(int(v)) for v in row) + "]"


def _validate(idx: np.ndarray, shape: tuple, check_order: bool) -> None:
    """TensorFlow's SparseToDense checks: in bounds, then in row-major order without repeats."""
    n = idx.shape[0]
    if n == 0:
        return
    sh = np.asarray(shape, dtype=np.int64)
    oob = np.any((idx < 0) | (idx >= sh), axis=1)
    if not check_order:
        if oob.any():
            raise _err(f"Indices are not valid (out of bounds).  Shape: {_fmt(shape)}")
        return
    cmp = np.zeros(n, dtype=np.int64)  # sign of (row i - row i-1), by first differing column
    if n > 1 and idx.shape[1]:
        d = np.sign(idx[1:] - idx[:-1])
        first = np.argmax(d != 0, axis=1)
        cmp[1:] = d[np.arange(n - 1), first]
    bad = oob.copy()
    bad[1:] |= cmp[1:] <= 0
    if not bad.any():
        return
    i = int(np.argmax(bad))
    if oob[i]:
        raise _err(
            f"indices[{i}] = {_fmt(idx[i])} is out of bounds: need 0 <= index < {_fmt(shape)}"
        )
    if cmp[i] < 0:
        raise _err(
            f"indices[{i}] = {_fmt(idx[i])} is out of order. Many sparse ops require sorted "
            "indices.\n    Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n"
        )
    raise _err(f"indices[{i}] = {_fmt(idx[i])} is repeated")


@SparseToDense.kernel
def _(xp, indices, output_shape, values, default_value, validate_indices=True):
    shape = tuple(int(d) for d in np.asarray(output_shape).reshape(-1))
    idx = np.asarray(indices, dtype=np.int64)
    if idx.ndim == 1:
        idx = idx.reshape(-1, 1) if len(shape) == 1 else idx.reshape(1, -1)
    _validate(idx, shape, bool(validate_indices))
    out = xp.full(shape, default_value, dtype=values.dtype)
    if idx.shape[0]:
        vals = xp.broadcast_to(values, (idx.shape[0],))
        out[tuple(xp.asarray(idx.T))] = vals
    return out


@SparseToDense.gradient
def _(op, dy):
    indices = op.inputs[0]
    dv = gather_ops.gather_nd(dy, indices)
    dd = reduction_ops.reduce_sum(dy) - reduction_ops.reduce_sum(dv)
    return [None, None, dv, dd]


# ------------------------------------------------------------------ helpers


def _sp(x, what="sp_input") -> SparseTensor:
    if isinstance(x, SparseTensor):
        return x
    if all(hasattr(x, a) for a in ("indices", "values", "dense_shape")):
        return SparseTensor.from_value(x)
    raise TypeError(f"Input must be a SparseTensor, got {type(x).__name__} for `{what}`")


def _rank(sp: SparseTensor) -> int:
    r = sp.shape.rank
    if r is None:
        r = sp.indices.shape[1] if sp.indices.shape.rank == 2 else None
    if r is None:
        raise NotImplementedError("this tf.sparse op needs a SparseTensor of known rank")
    return int(r)


def _i64(x) -> Tensor:
    t = convert_to_tensor(x, dtype_hint=_int64)
    return t if t.dtype is _int64 else math_ops.cast(t, _int64)


def _strides(dense_shape) -> Tensor:
    return cumulative_ops.cumprod(dense_shape, exclusive=True, reverse=True)


def _linear(indices, dense_shape) -> Tensor:
    """Row-major linear positions of `indices` [N, rank] in a tensor of `dense_shape`."""
    return reduction_ops.reduce_sum(indices * _strides(dense_shape)[None, :], axis=1)


def _unlinear(keys, dense_shape) -> Tensor:
    """Coordinates [N, rank] of row-major linear positions `keys` [N]."""
    strides = _strides(dense_shape)
    safe = math_ops.maximum(dense_shape, math_ops.cast(1, _int64))
    return binary_math_ops.floormod(
        binary_math_ops.floordiv(keys[:, None], strides[None, :]), safe[None, :]
    )


def _new(indices, values, dense_shape, static_shape=None) -> SparseTensor:
    out = SparseTensor(indices, values, dense_shape)
    if static_shape is not None and out.shape.rank is None:
        out._shape = static_shape
    elif static_shape is not None:
        try:
            out._shape = out.shape.merge_with(static_shape)
        except ValueError:
            pass
    return out


def _take(x, rows) -> Tensor:
    """`x[rows]` along axis 0, with a dense gradient (TensorFlow's sparse ops give dense ones)."""
    return gather_ops.gather_nd(x, rows[:, None])


def _mask(x, keep) -> Tensor:
    """The rows of `x` where the bool vector `keep` is True (dense gradient)."""
    return _take(x, array_ops.where(keep)[:, 0])


def _size(t) -> Tensor:
    return array_ops.shape(t, out_type=_int64)[0]


def _group(keys):
    """Sorted unique `keys` and, per key, its group number in that order (int64)."""
    uniq, idx = sort_ops.unique(keys, out_idx=_int64)
    order = sort_ops.argsort(uniq, stable=True)
    n = _size(uniq)
    rank = gather_ops.scatter_nd(
        math_ops.cast(order, _int64)[:, None], creation_ops.range(n, dtype=_int64), n[None]
    )
    return gather_ops.gather(uniq, order), gather_ops.gather(rank, idx), n


# ------------------------------------------------------------------ conversions


def from_dense(tensor, name=None) -> SparseTensor:
    """The SparseTensor of the non-zero entries of a dense tensor.

    Args:
      tensor: a dense tensor (any dtype; for strings, "non-zero" means non-empty).
      name: optional name for the operation.

    Returns:
      A SparseTensor with `dense_shape = tf.shape(tensor)`, entries in row-major order.
    """
    t = convert_to_tensor(tensor)
    indices = array_ops.where(math_ops.not_equal(t, array_ops.zeros_like(t)))
    values = gather_ops.gather_nd(t, indices)
    return _new(indices, values, array_ops.shape(t, out_type=_int64), t.shape)


def to_dense(sp_input, default_value=None, validate_indices=True, name=None) -> Tensor:
    """The dense tensor a SparseTensor stands for.

    Args:
      sp_input: a SparseTensor.
      default_value: the value of entries not stored (zero, or "" for strings, by default).
      validate_indices: if True (default), indices must be in bounds, sorted in row-major order
        and unique.
      name: optional name for the operation.

    Returns:
      A dense tensor of shape `sp_input.dense_shape` and dtype `sp_input.dtype`.

    Raises:
      InvalidArgumentError: if an index is out of bounds, or (validating) out of order or
        repeated.
    """
    sp = _sp(sp_input)
    if default_value is None:
        default_value = b"" if sp.dtype is dtypes.string else 0
    default = convert_to_tensor(default_value, dtype=sp.dtype)
    out = SparseToDense(
        sp.indices, sp.dense_shape, sp.values, default,
        validate_indices=bool(validate_indices), name=name,
    )  # fmt: skip
    if not out.shape.is_fully_defined() and hasattr(out, "set_shape"):
        out.set_shape(out.shape.merge_with(sp.shape))
    return out


def reorder(sp_input, name=None) -> SparseTensor:
    """The same SparseTensor with its entries sorted in row-major (canonical) order.

    Args:
      sp_input: a SparseTensor.
      name: optional name for the operation.

    Returns:
      A SparseTensor with the same dense value and sorted indices.
    """
    sp = _sp(sp_input)
    order = sort_ops.argsort(_linear(sp.indices, sp.dense_shape), stable=True)
    return _new(
        gather_ops.gather(sp.indices, order), _take(sp.values, order),
        sp.dense_shape, sp.shape,
    )  # fmt: skip


# ------------------------------------------------------------------ elementwise


def _union(a: SparseTensor, b: SparseTensor):
    """Sorted union of both index sets: (indices, a's values there, b's, count of inputs)."""
    shape = a.dense_shape
    ka, kb = _linear(a.indices, shape), _linear(b.indices, shape)
    keys, seg, n = _group(manip_ops.concat([ka, kb], 0))
    za, zb = array_ops.zeros_like(b.values), array_ops.zeros_like(a.values)
    va = segment_ops.unsorted_segment_sum(manip_ops.concat([a.values, za], 0), seg, n)
    vb = segment_ops.unsorted_segment_sum(manip_ops.concat([zb, b.values], 0), seg, n)
    ones = array_ops.ones_like(seg)
    count = segment_ops.unsorted_segment_sum(ones, seg, n)
    return _unlinear(keys, shape), va, vb, count


def _check_same_shape(a: SparseTensor, b: SparseTensor, op: str) -> None:
    sa, sb = static_value(a.dense_shape), static_value(b.dense_shape)
    if sa is None or sb is None:
        return
    if len(sa) != len(sb):
        raise _err(f"Operands' shapes do not match: got {len(sa)} and {len(sb)} dims [Op:{op}]")
    for d, (x, y) in enumerate(zip(sa, sb)):
        if x != y:
            raise _err(
                f"Operands' shapes do not match: got {x} and {y} for dimension {d} [Op:{op}]"
            )


def add(a, b, threshold=0):
    """Adds two tensors, at least one of them a SparseTensor.

    Sparse + sparse gives a SparseTensor over the union of the index sets; an entry present in
    both inputs is dropped when the magnitude of its sum is below `threshold`. Sparse + dense
    gives a dense tensor.

    Args:
      a: a SparseTensor or dense tensor.
      b: a SparseTensor or dense tensor (at least one of `a`, `b` is sparse).
      threshold: the smallest magnitude a summed entry keeps (sparse + sparse only).

    Returns:
      A SparseTensor (both sparse) or a dense tensor.

    Raises:
      TypeError: if neither input is a SparseTensor.
    """
    sa, sb = isinstance(a, SparseTensor), isinstance(b, SparseTensor)
    if not sa and not sb:
        raise TypeError("At least one input should be SparseTensor; do you mean to use tf.add?")
    if sa and sb:
        _check_same_shape(a, b, "SparseAdd")
        indices, va, vb, count = _union(a, b)
        total = va + vb
        thr = (
            static_value(convert_to_tensor(threshold))
            if not isinstance(threshold, Tensor)
            else None
        )
        if thr is None or float(np.abs(thr)) > 0:
            t = math_ops.cast(threshold, unary_ops.abs(total).dtype)
            keep = math_ops.logical_or(
                math_ops.less_equal(count, 1), math_ops.greater_equal(unary_ops.abs(total), t)
            )
            indices = gather_ops.boolean_mask(indices, keep)
            total = _mask(total, keep)
        return _new(indices, total, a.dense_shape, a.shape.merge_with(b.shape))
    sp, dense = (a, b) if sa else (b, a)
    dense = convert_to_tensor(dense, dtype=sp.dtype)
    return gather_ops.TensorScatterAdd(dense, sp.indices, sp.values)


def _binary_union(fn, a, b, op):
    a, b = _sp(a, "sp_a"), _sp(b, "sp_b")
    _check_same_shape(a, b, op)
    indices, va, vb, _ = _union(a, b)
    return _new(indices, fn(va, vb), a.dense_shape, a.shape.merge_with(b.shape))


def maximum(sp_a, sp_b, name=None) -> SparseTensor:
    """Element-wise maximum of two SparseTensors over the union of their entries.

    An entry stored in only one input is compared with zero.

    Args:
      sp_a: a SparseTensor.
      sp_b: a SparseTensor of the same dense shape and dtype.
      name: optional name for the operation.

    Returns:
      A SparseTensor with sorted indices.
    """
    return _binary_union(math_ops.maximum, sp_a, sp_b, "SparseSparseMaximum")


def minimum(sp_a, sp_b, name=None) -> SparseTensor:
    """Element-wise minimum of two SparseTensors over the union of their entries.

    An entry stored in only one input is compared with zero.

    Args:
      sp_a: a SparseTensor.
      sp_b: a SparseTensor of the same dense shape and dtype.
      name: optional name for the operation.

    Returns:
      A SparseTensor with sorted indices.
    """
    return _binary_union(math_ops.minimum, sp_a, sp_b, "SparseSparseMinimum")


def _dense_at_entries(sp: SparseTensor, y: Tensor, op: str) -> Tensor:
    """`y` broadcast to the sparse shape, read at the stored entries (dense → sparse only)."""
    r = y.shape.rank
    R = sp.shape.rank
    if r is not None and R is not None:
        ys, ss = y.shape.as_list(), sp.shape.as_list()
        ok = r <= R and all(
            a is None or b is None or a == 1 or a == b for a, b in zip(ys, ss[R - r :])
        )
        if not ok:
            fmt = lambda s: "[" + ",".join("?" if d is None else str(d) for d in s) + "]"  # noqa
            raise _err(
                "SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible "
                f"shapes: {fmt(ss)} vs. {fmt(ys)} [Op:{op}]"
            )
    if r == 0:
        return y
    if r is None or R is None:
        raise NotImplementedError("sparse-dense operators need inputs of known rank")
    ydims = array_ops.shape(y, out_type=_int64)
    keep = math_ops.cast(math_ops.not_equal(ydims, 1), _int64)
    return gather_ops.gather_nd(y, sp.indices[:, R - r :] * keep[None, :])


def _truediv_dtype(dt):
    if dt.is_integer:
        return dtypes.float64 if dt.size >= 4 else dtypes.float32
    return None


def _sparse_mul(self, y):
    y = convert_to_tensor(y, dtype=self.dtype)
    g = _dense_at_entries(self, y, "SparseDenseCwiseMul")
    return self.with_values(self.values * g)


def _sparse_truediv(self, y):
    y = convert_to_tensor(y, dtype=self.dtype)
    g = _dense_at_entries(self, y, "SparseDenseCwiseDiv")
    v = self.values
    to = _truediv_dtype(self.dtype)
    if to is not None:
        v, g = math_ops.cast(v, to), math_ops.cast(g, to)
    return self.with_values(math_ops.truediv(v, g))


SparseTensor.__mul__ = _sparse_mul
SparseTensor.__truediv__ = _sparse_truediv
SparseTensor.__div__ = _sparse_truediv


# ------------------------------------------------------------------ reductions


def _axes(axis, rank) -> list:
    if axis is None:
        return list(range(rank))
    vals = static_int_list(axis if isinstance(axis, (list, tuple, Tensor)) else [axis])
    if vals is None:
        raise NotImplementedError("tf.sparse reductions need a static axis")
    out = []
    for a in vals:
        if not -rank <= a < rank:
            raise _err(
                f"Invalid reduction dimension {a}, for input with {rank} dimensions. "
                "[Op:SparseReduceSum]"
            )
        out.append(a % rank)
    return sorted(set(out))


def _reduce(sp_input, axis, keepdims, output_is_sparse, kind):
    sp = _sp(sp_input)
    rank = _rank(sp)
    axes = _axes(axis, rank)
    reduced = np.zeros(rank, dtype=bool)
    reduced[axes] = True
    kept = [d for d in range(rank) if not reduced[d]]
    kept_t = convert_to_tensor(np.array(kept, dtype=np.int64))
    red = convert_to_tensor(reduced.astype(np.int64))
    kd_shape = math_ops.maximum(sp.dense_shape * (1 - red), red)  # reduced dims become 1
    kd_indices = sp.indices * (1 - red)[None, :]
    keys = _linear(kd_indices, kd_shape)
    seg_fn = segment_ops.unsorted_segment_sum if kind == "sum" else segment_ops.unsorted_segment_max
    if output_is_sparse:
        ukeys, seg, n = _group(keys)
        vals = seg_fn(sp.values, seg, n)
        idx = _unlinear(ukeys, kd_shape)
        shape = kd_shape
        if not keepdims:
            idx = gather_ops.gather(idx, kept_t, axis=1)
            shape = gather_ops.gather(kd_shape, kept_t)
        return _new(idx, vals, shape)
    n = reduction_ops.reduce_prod(kd_shape)
    vals = seg_fn(sp.values, keys, n)
    if kind == "max":
        count = segment_ops.unsorted_segment_sum(array_ops.ones_like(keys), keys, n)
        vals = array_ops.where(math_ops.greater(count, 0), vals, array_ops.zeros_like(vals))
    out_shape = kd_shape if keepdims else gather_ops.gather(kd_shape, kept_t)
    out = array_ops.reshape(vals, out_shape)
    static = sp.shape
    if static.rank is not None:
        dims = static.as_list()
        want = [1 if reduced[d] else dims[d] for d in range(rank)]
        if not keepdims:
            want = [dims[d] for d in kept]
        if all(d is not None for d in want) and out.shape.rank is None:
            out = array_ops.reshape(out, want)
    return out


def reduce_sum(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Sums a SparseTensor's entries along `axis`.

    Args:
      sp_input: a SparseTensor.
      axis: an int or list of ints (default: all dimensions).
      keepdims: if True, reduced dimensions are kept with size 1.
      output_is_sparse: if True, the result is a SparseTensor holding only the groups that had
        entries; otherwise a dense tensor.
      name: optional name for the operation.

    Returns:
      A dense tensor or a SparseTensor.
    """
    return _reduce(sp_input, axis, bool(keepdims), output_is_sparse, "sum")


def reduce_max(sp_input, axis=None, keepdims=None, output_is_sparse=False, name=None):
    """Maximum of a SparseTensor's stored entries along `axis`.

    Only stored entries take part (the implicit zeros do not); a group with no entries gives 0
    in the dense result.

    Args:
      sp_input: a SparseTensor.
      axis: an int or list of ints (default: all dimensions).
      keepdims: if True, reduced dimensions are kept with size 1.
      output_is_sparse: if True, the result is a SparseTensor holding only the groups that had
        entries; otherwise a dense tensor.
      name: optional name for the operation.

    Returns:
      A dense tensor or a SparseTensor.
    """
    return _reduce(sp_input, axis, bool(keepdims), output_is_sparse, "max")


def softmax(sp_input, name=None) -> SparseTensor:
    """Softmax over the last dimension of a SparseTensor, among the stored entries only.

    Args:
      sp_input: a floating-point SparseTensor of rank >= 1 with sorted indices.
      name: optional name for the operation.

    Returns:
      A SparseTensor with the same indices and the normalized values.
    """
    sp = _sp(sp_input)
    rank = _rank(sp)
    outer = sp.dense_shape[: rank - 1]
    keys = _linear(sp.indices[:, : rank - 1], outer)
    n = reduction_ops.reduce_prod(outer)
    m = segment_ops.unsorted_segment_max(sp.values, keys, n)
    e = unary_ops.exp(sp.values - gather_ops.gather(m, keys))
    s = segment_ops.unsorted_segment_sum(e, keys, n)
    return sp.with_values(e / gather_ops.gather(s, keys))


# ------------------------------------------------------------------ sparse_dense_matmul


def _adjoint_sparse(sp: SparseTensor, conj: bool, swap: bool) -> SparseTensor:
    idx, shape, vals = sp.indices, sp.dense_shape, sp.values
    if swap:
        idx = manip_ops.reverse(idx, [1])
        shape = manip_ops.reverse(shape, [0])
    if conj and vals.dtype.is_complex:
        vals = math_ops.conj(vals)
    return SparseTensor(idx, vals, shape)


def _sparse_times_dense(sp: SparseTensor, b: Tensor) -> Tensor:
    rows = gather_ops.gather_nd(b, sp.indices[:, 1:2])  # a dense gradient for b, as in TF
    contrib = rows * sp.values[:, None]
    return segment_ops.unsorted_segment_sum(contrib, sp.indices[:, 0], sp.dense_shape[0])


def _adj(x: Tensor, on: bool) -> Tensor:
    return linalg_ops.adjoint(x) if on else x


def sparse_dense_matmul(sp_a, b, adjoint_a=False, adjoint_b=False, name=None) -> Tensor:
    """Multiplies a rank-2 SparseTensor by a dense matrix (or a dense matrix by a sparse one).

    Args:
      sp_a: a rank-2 SparseTensor (or a dense matrix when `b` is sparse).
      b: a dense matrix of the same dtype (or a SparseTensor).
      adjoint_a: use the conjugate transpose of `sp_a`.
      adjoint_b: use the conjugate transpose of `b`.
      name: optional name for the operation.

    Returns:
      The dense product `adj(sp_a) @ adj(b)`.

    Raises:
      InvalidArgumentError: if the inner dimensions differ.
    """
    if isinstance(b, SparseTensor) and not isinstance(sp_a, SparseTensor):
        # a @ B = (B^T @ a^T)^T, with the adjoints folded into each side.
        a = convert_to_tensor(sp_a, dtype=b.dtype)
        bt = _adjoint_sparse(b, conj=adjoint_b, swap=not adjoint_b)
        at = math_ops.conj(a) if adjoint_a and a.dtype.is_complex else a
        at = at if adjoint_a else array_ops.transpose(a)
        _check_inner(bt, at)
        return array_ops.transpose(_sparse_times_dense(bt, at))
    sp = _sp(sp_a, "sp_a")
    b = convert_to_tensor(b, dtype=sp.dtype)
    if adjoint_a:
        sp = _adjoint_sparse(sp, conj=True, swap=True)
    b = _adj(b, adjoint_b)
    _check_inner(sp, b)
    out = _sparse_times_dense(sp, b)
    rows = sp.shape[0] if sp.shape.rank == 2 else None
    if rows is not None and b.shape.rank == 2 and out.shape.rank is None:
        out = array_ops.reshape(out, [rows, -1 if b.shape[1] is None else b.shape[1]])
    return out


def _check_inner(sp: SparseTensor, b: Tensor) -> None:
    ds = static_value(sp.dense_shape)
    if ds is None or b.shape.rank != 2 or b.shape[0] is None:
        return
    if int(ds[1]) != b.shape[0]:
        raise _err(
            f"Cannot multiply A and B because inner dimension does not match: {int(ds[1])} vs. "
            f"{b.shape[0]}.  Did you forget a transpose?  Dimensions of A: [{int(ds[0])}, "
            f"{int(ds[1])}).  Dimensions of B: {_fmt(b.shape.as_list())} "
            "[Op:SparseTensorDenseMatMul]"
        )


__all__ = [
    "SparseToDense", "from_dense", "to_dense", "reorder", "add", "maximum", "minimum",
    "reduce_sum", "reduce_max", "softmax", "sparse_dense_matmul",
]  # fmt: skip
