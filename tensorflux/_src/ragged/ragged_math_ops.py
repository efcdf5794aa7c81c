"""Element-wise ops, reductions and matmul on RaggedTensors.

Element-wise ops run on `flat_values`: ragged operands must share their row partitions, dense
operands broadcast either against the inner (uniform) dimensions directly or, when they span
ragged dimensions, by gathering one entry per value from the dense tensor.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.ops import array_ops, creation_ops, gather_ops, linalg_ops, math_ops
from tensorflux._src.ops import reduction_ops, segment_ops
from tensorflux._src.ragged.ragged_tensor import RaggedTensor
from tensorflux._src.tensor import Tensor, convert_to_tensor, static_value


def leading_indices(rt) -> list:
    """For every flat value, its index in each of the leading `ragged_rank + 1` dimensions."""
    levels = []
    r = rt
    while isinstance(r, RaggedTensor):
        levels.append(r)
        r = r.values
    dt = rt.row_splits.dtype
    pos = creation_ops.range(array_ops.shape(r, out_type=dt)[0], dtype=dt)
    cols = []
    for lvl in reversed(levels):
        row = gather_ops.gather(lvl.value_rowids(), pos)
        cols.append(pos - gather_ops.gather(lvl.row_splits, row))
        pos = row
    cols.append(pos)
    return list(reversed(cols))


def check_same_partitions(a, b) -> None:
    """InvalidArgumentError (eagerly) if `a` and `b` are not cut into the same rows."""
    if a.ragged_rank != b.ragged_rank:
        raise ValueError(
            f"Ragged operands must have the same ragged_rank, got {a.ragged_rank} and "
            f"{b.ragged_rank}"
        )
    if a.row_splits.dtype is not b.row_splits.dtype:
        raise ValueError(
            "Input RaggedTensors have mismatched row_splits dtypes; use "
            "RaggedTensor.with_row_splits_dtype() to convert them to compatible dtypes."
        )
    for x, y in zip(a.nested_row_splits, b.nested_row_splits):
        if x is y:
            continue
        sx, sy = static_value(x), static_value(y)
        if sx is not None and sy is not None and (sx.shape != sy.shape or np.any(sx != sy)):
            raise errors.InvalidArgumentError(
                None, None, "Condition x == y did not hold.\nIndices of first 1 different "
                "values:\n" f"{x.shape} vs {y.shape}: the ragged operands have different "
                "row partitions"
            )  # fmt: skip


def broadcast_dense(ref, t, strict=True):
    """A dense operand as something that broadcasts against `ref.flat_values`."""
    t = t if isinstance(t, Tensor) else convert_to_tensor(t)
    trank = t.shape.rank
    inner = ref.flat_values.shape.rank - 1
    if trank is None or trank <= inner:
        return t
    rank = ref.ragged_rank + 1 + inner
    if trank > rank:
        raise ValueError(
            f"Cannot broadcast a dense tensor of shape {t.shape} against a RaggedTensor of "
            f"shape {ref.shape}"
        )
    t = array_ops.reshape(t, [1] * (rank - trank) + [-1 if d is None else d
                                                      for d in t.shape.as_list()])  # fmt: skip
    lead = ref.ragged_rank + 1
    idx = leading_indices(ref)
    dims = t.shape.as_list()
    for k, lengths in enumerate(ref.nested_row_lengths(), start=1):
        # A ragged dimension only meets a size-1 dense one, or one every row matches.
        lv = static_value(lengths)
        if strict and dims[k] not in (1, None) and lv is not None and np.any(lv != dims[k]):
            raise errors.InvalidArgumentError(None, None, "Condition x == y did not hold.")
    cols = [array_ops.zeros_like(i) if dims[k] == 1 else i for k, i in enumerate(idx[:lead])]
    return gather_ops.gather_nd(t, array_ops.stack(cols, axis=1))


def _dense_operand(a) -> bool:
    if isinstance(a, Tensor):
        return a.shape.rank != 0
    return isinstance(a, np.ndarray) and a.ndim > 0


def elementwise(fn, args, kwargs):
    """Calls `fn` on flat values: the result has the ragged operands' partitions."""
    ref = next((a for a in list(args) + list(kwargs.values()) if isinstance(a, RaggedTensor)))

    def flat(a):
        if isinstance(a, RaggedTensor):
            check_same_partitions(ref, a)
            return a.flat_values
        if _dense_operand(a):
            return broadcast_dense(ref, a)
        return a

    out = fn(*[flat(a) for a in args], **{k: flat(v) for k, v in kwargs.items()})
    return ref.with_flat_values(out)


def add_n(inputs, name=None):
    inputs = list(inputs)
    ref = next(a for a in inputs if isinstance(a, RaggedTensor))
    out = None
    for a in inputs:
        v = a.flat_values if isinstance(a, RaggedTensor) else broadcast_dense(ref, a)
        if isinstance(a, RaggedTensor):
            check_same_partitions(ref, a)
        out = v if out is None else math_ops.add(out, v)
    return ref.with_flat_values(out)


# ------------------------------------------------------------------ reductions

_SEGMENT = {
    "sum": segment_ops.unsorted_segment_sum,
    "prod": segment_ops.unsorted_segment_prod,
    "max": segment_ops.unsorted_segment_max,
    "min": segment_ops.unsorted_segment_min,
}
_DENSE = {
    "sum": reduction_ops.reduce_sum, "prod": reduction_ops.reduce_prod,
    "max": reduction_ops.reduce_max, "min": reduction_ops.reduce_min,
    "mean": reduction_ops.reduce_mean, "any": reduction_ops.reduce_any,
    "all": reduction_ops.reduce_all, "logsumexp": reduction_ops.reduce_logsumexp,
}  # fmt: skip


def _segment(kind, data, ids, n):
    if kind in ("any", "all"):
        # Count the True (any) or False (all) values of each segment; empty ones count 0.
        flag = data if kind == "any" else math_ops.logical_not(data)
        count = _SEGMENT["sum"](math_ops.cast(flag, dtypes.int32), ids, n)
        hit = math_ops.greater(count, 0)
        return hit if kind == "any" else math_ops.logical_not(hit)
    return _SEGMENT[kind](data, ids, n)


def _reduce_axis(kind, x, axis, keepdims):
    """Reduces one axis of a RaggedTensor (or dense tensor) with `kind`."""
    if not isinstance(x, RaggedTensor):
        return _DENSE[kind](x, axis=axis, keepdims=keepdims)
    rr = x.ragged_rank
    if axis > rr:
        return x.with_flat_values(_DENSE[kind](x.flat_values, axis=axis - rr, keepdims=keepdims))
    if kind == "logsumexp":
        return _reduce_padded(kind, x, axis, keepdims)
    if axis == rr:
        levels = []
        r = x
        while isinstance(r.values, RaggedTensor):
            levels.append(r)
            r = r.values
        out = _segment(kind, r.values, r.value_rowids(), r.nrows())
        if keepdims:
            out = array_ops.expand_dims(out, 1)
        if not levels:
            return out
        return RaggedTensor.from_nested_row_splits(
            out, [lvl.row_splits for lvl in levels], validate=False
        )
    if axis == 0 and rr == 1:
        cols = leading_indices(x)[1]
        n = reduction_ops.reduce_max(
            math_ops.cast(x.bounding_shape(), dtypes.int64)[1:2]
        )  # fmt: skip
        out = _segment(kind, x.values, cols, n)
        return array_ops.expand_dims(out, 0) if keepdims else out
    return _reduce_padded(kind, x, axis, keepdims)


def _identity(kind, dtype):
    """The value that leaves a `kind` reduction unchanged (used to pad missing entries)."""
    if kind in ("sum", "any"):
        return 0 if kind == "sum" else False
    if kind in ("prod", "all"):
        return 1 if kind == "prod" else True
    if kind == "logsumexp":
        return -np.inf
    info = np.finfo(dtype.as_numpy_dtype) if dtype.is_floating else np.iinfo(dtype.as_numpy_dtype)
    return info.min if kind == "max" else info.max


def _presence(x, level):
    """A bool tensor `[d0, ..., d_level]`: which entries exist down to ragged level `level`."""
    if level == 0:
        return array_ops.ones(array_ops.reshape(x.nrows(), [1]), dtypes.bool)
    splits = list(x.nested_row_splits[:level])
    n = splits[-1][-1]
    ones = array_ops.ones(array_ops.reshape(n, [1]), dtypes.bool)
    return RaggedTensor.from_nested_row_splits(ones, splits, validate=False).to_tensor(False)


def _reduce_padded(kind, x, axis, keepdims):
    """Reduces a ragged `axis` below the innermost one: entries are aligned by position by
    padding to the bounding shape with `kind`'s identity, and the result keeps the entries that
    exist in at least one of the reduced rows."""
    if keepdims:
        raise NotImplementedError("keepdims=True when reducing an outer ragged axis")
    rr = x.ragged_rank
    dense = x.to_tensor(default_value=_identity(kind, x.dtype))
    reduced = _DENSE[kind](dense, axis=axis)
    pres = [_presence(x, lvl) for lvl in range(rr + 1)]
    new = [pres[lvl] if lvl < axis else reduction_ops.reduce_any(pres[lvl + 1], axis=axis)
           for lvl in range(rr)]  # fmt: skip
    flat = gather_ops.boolean_mask(reduced, new[rr - 1])
    lengths = []
    for lvl in range(1, rr):
        counts = reduction_ops.reduce_sum(math_ops.cast(new[lvl], x.row_splits.dtype), axis=-1)
        lengths.append(gather_ops.boolean_mask(counts, new[lvl - 1]))
    out = flat
    for ln in reversed(lengths):
        out = RaggedTensor.from_row_lengths(out, ln, validate=False)
    return out


def reduce(kind, input_tensor, axis=None, keepdims=False, name=None):
    """`tf.reduce_<kind>` of a RaggedTensor: ragged axes reduce over each row's values."""
    rt = input_tensor
    if axis is None:
        out = _DENSE[kind](rt.flat_values)
        if keepdims:
            out = array_ops.reshape(out, [1] * rt.shape.rank)
        return out
    axes = axis if isinstance(axis, (list, tuple)) else [axis]
    if isinstance(axis, Tensor):
        axes = np.atleast_1d(static_value(axis)).tolist()
    rank = rt.shape.rank
    axes = sorted({int(a) + rank if int(a) < 0 else int(a) for a in axes}, reverse=True)
    for a in axes:
        if not 0 <= a < rank:
            raise ValueError(f"axis={a} out of bounds: expected {-rank}<=axis<{rank}")
    if kind == "mean":
        total, count = rt, rt.with_flat_values(array_ops.ones_like(rt.flat_values))
        for a in axes:
            total = _reduce_axis("sum", total, a, keepdims)
            count = _reduce_axis("sum", count, a, keepdims)
        if isinstance(total, RaggedTensor):
            return total.with_flat_values(total.flat_values / count.flat_values)
        return total / count
    out = rt
    for a in axes:
        out = _reduce_axis(kind, out, a, keepdims)
    return out


def moment(kind, input_tensor, axis=None, keepdims=False, name=None):
    """`tf.math.reduce_variance` / `reduce_std` of a RaggedTensor."""
    from tensorflux._src.ops import unary_ops

    x = input_tensor
    if not x.dtype.is_floating:
        raise TypeError(f"Input must be either real or complex. Received integer input tensor "
                        f"of dtype {x.dtype.name}")  # fmt: skip
    if axis is None:
        flat = x.flat_values
        m = reduction_ops.reduce_mean(flat)
        out = reduction_ops.reduce_mean(unary_ops.square(flat - m))
    else:
        m = reduce("mean", x, axis, keepdims=True)
        if isinstance(m, RaggedTensor):
            dev = elementwise(math_ops.subtract, (x, m), {})
        else:  # padded columns of the mean line up with whatever each row has
            dev = x.with_flat_values(x.flat_values - broadcast_dense(x, m, strict=False))
        out = reduce("mean", dev.with_flat_values(unary_ops.square(dev.flat_values)), axis,
                     keepdims)  # fmt: skip
    return unary_ops.sqrt(out) if kind == "std" else out


# ------------------------------------------------------------------ matmul


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False, grad_b=False,
           name=None):  # fmt: skip
    """Batched matmul of a ragged `[B, (N), K]` by a dense `[B, K, M]`, as TensorFlow allows."""
    if any((transpose_a, transpose_b, adjoint_a, adjoint_b)):
        raise NotImplementedError("ragged matmul with transposes/adjoints is not supported yet")
    if isinstance(a, RaggedTensor) and a.ragged_rank == 2 and a.shape.rank == 3:
        inner = static_value(a.values.row_lengths())
        if inner is not None and inner.size and np.all(inner == inner[0]):
            a = a.with_values(a.values.to_tensor())  # uniform innermost rows: ragged_rank 1
    if isinstance(a, RaggedTensor) and a.shape.rank == 2 and not isinstance(b, RaggedTensor):
        lengths = static_value(a.row_lengths())
        if lengths is None or (lengths.size and np.any(lengths != lengths[0])):
            raise errors.InvalidArgumentError(
                None, None, "The matrices in `a` and `b` may not be ragged in their innermost "
                "dimension.")  # fmt: skip
        return linalg_ops.matmul(a.to_tensor(), b)
    if isinstance(a, RaggedTensor) and not isinstance(b, RaggedTensor) and a.ragged_rank == 1:
        b = convert_to_tensor(b, dtype=a.dtype)
        if a.shape.rank == 3 and b.shape.rank == 3:
            rows = gather_ops.gather(b, a.value_rowids())  # [nvals, K, M]
            out = linalg_ops.matmul(array_ops.expand_dims(a.values, 1), rows)
            return a.with_values(array_ops.squeeze(out, [1]))
    raise NotImplementedError(
        "ragged matmul supports a RaggedTensor [B, (N), K] times a dense [B, K, M] only"
    )


__all__ = ["elementwise", "reduce", "matmul", "add_n", "broadcast_dense", "leading_indices"]
