"""More `tf.*` functions on RaggedTensors: cumsum/cumprod, reverse, softmax/log_softmax, split,
unsorted segment reductions. Ops along a ragged axis pad to the bounding shape with a neutral
value, run the dense op, and keep the entries that exist."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.ops import array_ops, creation_ops, cumulative_ops, gather_ops
from tensorflux._src.ops import manip_ops, nn_ops
from tensorflux._src.ragged.ragged_array_ops import gather_rows
from tensorflux._src.ragged.ragged_math_ops import check_same_partitions, leading_indices
from tensorflux._src.ragged.ragged_tensor import RaggedTensor
from tensorflux._src.tensor import static_value


def _axis(rt, axis) -> int:
    rank = rt.shape.rank
    a = int(static_value(axis)) if not isinstance(axis, int) else axis
    if not -rank <= a < rank:
        raise ValueError(f"axis={a} out of bounds: expected {-rank}<=axis<{rank}")
    return a + rank if a < 0 else a


def dense_roundtrip(rt, fn, pad):
    """`fn` applied to `rt` padded with `pad`, keeping only the entries `rt` has."""
    dense = rt.to_tensor(default_value=pad)
    n = array_ops.shape(rt.flat_values)[:1]
    mask = rt.with_flat_values(array_ops.ones(n, dtypes.bool)).to_tensor(False)
    return rt.with_flat_values(gather_ops.boolean_mask(fn(dense), mask))


def _scan(op, pad):
    def scan(x, axis=0, exclusive=False, reverse=False, name=None):
        a = _axis(x, axis)
        if a > x.ragged_rank:
            return x.with_flat_values(op(x.flat_values, a - x.ragged_rank, exclusive, reverse))
        return dense_roundtrip(x, lambda d: op(d, a, exclusive, reverse), pad)

    return scan


cumsum = _scan(cumulative_ops.cumsum, 0)
cumprod = _scan(cumulative_ops.cumprod, 1)


def _softmax(op):
    def fn(logits, axis=None, name=None):
        x = logits
        a = _axis(x, -1 if axis is None else axis)
        if a > x.ragged_rank:
            return x.with_flat_values(op(x.flat_values, axis=a - x.ragged_rank))
        if a != x.shape.rank - 1:
            raise NotImplementedError("softmax of a RaggedTensor along an outer ragged axis")
        lowest = float(np.finfo(x.dtype.as_numpy_dtype).min)
        return dense_roundtrip(x, lambda d: op(d, axis=a), lowest)

    return fn


softmax = _softmax(nn_ops.softmax)
log_softmax = _softmax(nn_ops.log_softmax)


def reverse(tensor, axis, name=None):
    """Reverses the rows (axis 0), each innermost ragged row, or a uniform inner axis."""
    rt = tensor
    axes = [axis] if isinstance(axis, int) else list(static_value(axis).reshape(-1)) if (
        not isinstance(axis, (list, tuple))) else list(axis)  # fmt: skip
    for a in sorted({_axis(rt, int(a)) for a in axes}):
        rr = rt.ragged_rank
        if a == 0:
            n = rt.nrows()
            rt = gather_rows(rt, creation_ops.range(n - 1, -1, -1, dtype=n.dtype))
        elif a > rr:
            rt = rt.with_flat_values(manip_ops.reverse(rt.flat_values, [a - rr]))
        elif a == rr:
            rt = _reverse_inner(rt)
        else:
            raise NotImplementedError("tf.reverse along an outer ragged axis")
    return rt


def _reverse_inner(rt):
    """Reverses the values of each innermost ragged row."""
    if not isinstance(rt.values, RaggedTensor):
        splits = rt.row_splits
        rows = rt.value_rowids()
        cols = leading_indices(rt)[1]
        lengths = rt.row_lengths()
        src = gather_ops.gather(splits, rows) + gather_ops.gather(lengths, rows) - 1 - cols
        return rt.with_values(gather_ops.gather(rt.values, src))
    return rt.with_values(_reverse_inner(rt.values))


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits the rows of a RaggedTensor (axis 0) into pieces."""
    rt = value
    if _axis(rt, axis) != 0:
        raise NotImplementedError("tf.split of a RaggedTensor supports axis=0 only")
    n = static_value(rt.nrows())
    if isinstance(num_or_size_splits, int):
        if n % num_or_size_splits:
            raise errors.InvalidArgumentError(
                None, None, f"Number of ways to split should evenly divide the split dimension, "
                f"but got split_dim 0 (size = {n}) and num_split {num_or_size_splits}")  # fmt: skip
        sizes = [n // num_or_size_splits] * num_or_size_splits
    else:
        sizes = [int(s) for s in np.asarray(static_value(num_or_size_splits)
                                            if not isinstance(num_or_size_splits, (list, tuple))
                                            else num_or_size_splits)]  # fmt: skip
    out, start = [], 0
    dt = rt.row_splits.dtype
    for size in sizes:
        out.append(gather_rows(rt, creation_ops.range(start, start + size, dtype=dt)))
        start += size
    return out


def _segment(op):
    def fn(data, segment_ids, num_segments, name=None):
        if isinstance(data, RaggedTensor) and isinstance(segment_ids, RaggedTensor):
            check_same_partitions(data, segment_ids)
            return op(data.flat_values, segment_ids.flat_values, num_segments)
        raise NotImplementedError(
            "unsorted segment ops take a RaggedTensor `data` with `segment_ids` ragged alike"
        )

    return fn


def segment_handlers() -> dict:
    from tensorflux._src.ops import segment_ops

    names = ("sum", "prod", "max", "min", "mean", "sqrt_n")
    return {f"unsorted_segment_{n}": _segment(getattr(segment_ops, f"unsorted_segment_{n}"))
            for n in names}  # fmt: skip


__all__ = ["cumsum", "cumprod", "softmax", "log_softmax", "reverse", "split",
           "segment_handlers", "dense_roundtrip"]  # fmt: skip
