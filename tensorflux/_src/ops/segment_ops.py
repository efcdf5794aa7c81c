"""Segment reductions, counting (bincount, confusion_matrix) and in_top_k.

Segment ids are host inputs: the kernels need their values to size the output anyway. The
gradients scatter back with `gather`, so they run on any device and differentiate again.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, numeric, real_numeric
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, math_ops, reduction_ops, unary_ops
from tensorflux._src.ops._util import as_tensor, static_int_list
from tensorflux._src.tensor import static_value

_INDEX = (dtypes.int32, dtypes.int64)


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _check_index(dt, attr):
    if dt not in _INDEX:
        check_allowed(dt, _INDEX, attr)


def _identity(kind, np_dtype):
    """What an empty segment holds before sorted-segment fix-ups: the reduction's identity."""
    dt = np.dtype(np_dtype)
    if kind in ("sum", "mean"):
        return 0
    if kind == "prod":
        return 1
    if dt.kind == "f" or dt.kind == "V":
        t = dtypes.as_dtype(dt)
        return t.min if kind == "max" else t.max
    info = np.iinfo(dt)
    return info.min if kind == "max" else info.max


_UFUNC = {"sum": "add", "mean": "add", "prod": "multiply", "max": "maximum", "min": "minimum"}


def _reduce_into(xp, kind, data, ids, n):
    """Reduces rows of `data` (leading dims = ids.shape) into `n` segments; ids < 0 are dropped."""
    tail = data.shape[ids.ndim :]
    rows = data.reshape((ids.size,) + tail)
    flat = ids.reshape(-1)
    keep = flat >= 0
    if not keep.all():
        rows, flat = rows[xp.asarray(keep)], flat[keep]
    acc = np.float32 if data.dtype.kind in "fV" and data.dtype.itemsize <= 2 else data.dtype
    out = xp.full((n,) + tail, _identity(kind, data.dtype), dtype=acc)
    ufunc = getattr(xp, _UFUNC[kind])
    vals = rows.astype(acc, copy=False)
    if xp is np and flat.size:
        # Sorting the rows by id and reducing each run with reduceat is far faster than ufunc.at.
        if np.any(flat[1:] < flat[:-1]):
            order = np.argsort(flat, kind="stable")
            flat_sorted, vals = flat[order], vals[order]
        else:
            flat_sorted = flat
        starts = np.flatnonzero(np.concatenate(([True], flat_sorted[1:] != flat_sorted[:-1])))
        out[flat_sorted[starts]] = ufunc.reduceat(vals, starts, axis=0)
    else:
        ufunc.at(out, xp.asarray(flat), vals)
    if kind == "mean":
        counts = np.bincount(flat, minlength=n).reshape((n,) + (1,) * len(tail))
        counts = xp.asarray(np.maximum(counts, 1))
        if data.dtype.kind in "iu":
            q = xp.abs(out.astype(np.int64)) // counts  # integer means truncate toward zero
            out = xp.where(out < 0, -q, q)
        else:
            out = out / counts.astype(acc)
    return out.astype(data.dtype), flat


# ------------------------------------------------------------------ sorted segment reductions


def _sorted_rule(allowed):
    def dtype(dts, attrs):
        if dts[0] not in allowed:
            check_allowed(dts[0], allowed)
        _check_index(dts[1], "Tindices")
        return dts[0]

    def shape(inputs, attrs):
        data, ids = inputs
        s = data.shape
        if s.rank is None:
            return TensorShape(None)
        if s.rank == 0:
            raise _err("input must be at least rank 1")
        v = static_int_list(ids)
        n = None if v is None else (v[-1] + 1 if v else 0)
        return TensorShape([n] + s.as_list()[1:])

    return Rule(dtype, shape)


def _check_sorted(data, ids):
    if ids.ndim != 1:
        raise _err("segment_ids should be a vector.")
    if data.ndim == 0 or ids.shape[0] != data.shape[0]:
        raise _err("segment_ids should be the same size as dimension 0 of input.")
    n = int(ids[-1]) + 1 if ids.size else 0
    if ids.size:
        bad = ids[(ids < 0) | (ids >= n)]
        if bad.size:
            raise _err(
                f"Segment id {int(bad[0])} out of range [0, {n}), possibly because "
                "'segment_ids' input is not sorted."
            )
        if np.any(np.diff(ids) < 0):
            raise _err("segment ids are not increasing")
    return n


def _sorted_op(name, kind, allowed):
    op = defop(name, infer=_sorted_rule(allowed), host_inputs=(1,))

    @op.kernel
    def _(xp, data, ids):
        ids = np.asarray(ids)
        n = _check_sorted(data, ids)
        out, flat = _reduce_into(xp, kind, data, ids, n)
        if kind in ("max", "min") and n:
            empty = np.bincount(flat, minlength=n) == 0
            if empty.any():  # sorted max/min leave empty segments at 0
                out[xp.asarray(empty)] = 0
        return out

    return op


SegmentSum = _sorted_op("SegmentSum", "sum", numeric)
SegmentMean = _sorted_op("SegmentMean", "mean", numeric)
SegmentProd = _sorted_op("SegmentProd", "prod", numeric)
SegmentMax = _sorted_op("SegmentMax", "max", real_numeric)
SegmentMin = _sorted_op("SegmentMin", "min", real_numeric)


def _gather(params, ids):
    from tensorflux._src.ops import gather_ops

    return gather_ops.gather(params, ids)


@SegmentSum.gradient
def _(op, dy):
    return [_gather(dy, op.inputs[1]), None]


@SegmentMean.gradient
def _(op, dy):
    data, ids = op.inputs
    counts = segment_sum(array_ops.ones_like(data), ids)
    return [_gather(dy / math_ops.maximum(counts, 1), ids), None]


def _extremum_grad(data, y, dy, gather, seg_sum):
    # Every element equal to its segment's extremum shares that segment's gradient evenly.
    hit = math_ops.equal(data, gather(y))
    n_hit = seg_sum(math_ops.cast(hit, dy.dtype))
    share = gather(dy / math_ops.maximum(n_hit, 1))
    return array_ops.where(hit, share, array_ops.zeros_like(share))


def _prod_grad(data, dy, gather, seg_sum, seg_prod):
    is_zero = math_ops.equal(data, 0)
    n_zeros = seg_sum(math_ops.cast(is_zero, dtypes.int32))
    safe = array_ops.where(is_zero, array_ops.ones_like(data), data)
    others = reduction_ops.product_of_others(data, gather(n_zeros), gather(seg_prod(safe)), is_zero)
    return gather(dy) * others  # TensorFlow does not conjugate here (Prod's gradient does)


def _sorted_extremum_grad(op, dy):
    data, ids = op.inputs
    return [
        _extremum_grad(
            data, op.outputs[0], dy, lambda t: _gather(t, ids), lambda t: segment_sum(t, ids)
        ),
        None,
    ]


SegmentMax.gradient(_sorted_extremum_grad)
SegmentMin.gradient(_sorted_extremum_grad)


@SegmentProd.gradient
def _(op, dy):
    data, ids = op.inputs
    return [
        _prod_grad(
            data,
            dy,
            lambda t: _gather(t, ids),
            lambda t: segment_sum(t, ids),
            lambda t: segment_prod(t, ids),
        ),
        None,
    ]


_SEGMENT_DOC = """Computes the {what} of each segment of `data` along its first dimension.

    `segment_ids` is a sorted 1-D int32/int64 tensor with one id per row of `data`; output row `i`
    reduces the rows whose id is `i`. Ids that do not occur give {empty}.

    Args:
      data: a {types} tensor of rank >= 1.
      segment_ids: sorted non-negative segment ids, as long as `data`'s first dimension.
      name: an optional name for the operation.

    Returns:
      A tensor of `data`'s dtype with shape `[segment_ids[-1] + 1] + data.shape[1:]`.

    Raises:
      InvalidArgumentError: if the ids are not sorted, negative, or of the wrong length.
    """


def segment_sum(data, segment_ids, name=None):
    return SegmentSum(data, segment_ids, name=name)


def segment_mean(data, segment_ids, name=None):
    return SegmentMean(data, segment_ids, name=name)


def segment_prod(data, segment_ids, name=None):
    return SegmentProd(data, segment_ids, name=name)


def segment_max(data, segment_ids, name=None):
    return SegmentMax(data, segment_ids, name=name)


def segment_min(data, segment_ids, name=None):
    return SegmentMin(data, segment_ids, name=name)


segment_sum.__doc__ = _SEGMENT_DOC.format(what="sum", empty="0", types="numeric")
segment_mean.__doc__ = _SEGMENT_DOC.format(
    what="mean (truncated for integers)", empty="0", types="numeric"
)
segment_prod.__doc__ = _SEGMENT_DOC.format(what="product", empty="1", types="numeric")
segment_max.__doc__ = _SEGMENT_DOC.format(what="maximum", empty="0", types="real numeric")
segment_min.__doc__ = _SEGMENT_DOC.format(what="minimum", empty="0", types="real numeric")


# ------------------------------------------------------------------ unsorted segment reductions


def _unsorted_rule(allowed):
    def dtype(dts, attrs):
        if dts[0] not in allowed:
            check_allowed(dts[0], allowed)
        _check_index(dts[1], "Tindices")
        _check_index(dts[2], "Tnumsegments")
        return dts[0]

    def shape(inputs, attrs):
        data, ids, num = inputs
        s, i = data.shape, ids.shape
        if s.rank is None or i.rank is None:
            return TensorShape(None)
        if not TensorShape(s.as_list()[: i.rank]).is_compatible_with(i) or i.rank > s.rank:
            raise _err(
                f"data.shape = {_dims(s)} does not start with segment_ids.shape = {_dims(i)}"
            )
        v = static_int_list(num)
        n = None if v is None else v[0]
        if n is not None and n < 0:
            raise _err(f"Input num_segments == {n} must not be negative.")
        return TensorShape([n] + s.as_list()[i.rank :])

    return Rule(dtype, shape)


def _dims(s):
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


def _np_dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def _unsorted_op(name, kind, allowed):
    op = defop(name, infer=_unsorted_rule(allowed), host_inputs=(1, 2))

    @op.kernel
    def _(xp, data, ids, num_segments):
        ids = np.asarray(ids)
        n = int(np.asarray(num_segments).reshape(-1)[0])
        if n < 0:
            raise _err(f"Input num_segments == {n} must not be negative.")
        if data.shape[: ids.ndim] != ids.shape:
            raise _err(
                f"data.shape = {_np_dims(data.shape)} does not start with segment_ids.shape = "
                f"{_np_dims(ids.shape)}"
            )
        big = np.flatnonzero(ids.reshape(-1) >= n)
        if big.size:
            where = np.unravel_index(big[0], ids.shape)
            raise _err(
                f"segment_ids[{','.join(str(int(w)) for w in where)}] = "
                f"{int(ids.reshape(-1)[big[0]])} is out of range [0, {n})"
            )
        return _reduce_into(xp, kind, data, ids, n)[0]

    return op


UnsortedSegmentSum = _unsorted_op("UnsortedSegmentSum", "sum", numeric)
UnsortedSegmentProd = _unsorted_op("UnsortedSegmentProd", "prod", numeric)
UnsortedSegmentMax = _unsorted_op("UnsortedSegmentMax", "max", real_numeric)
UnsortedSegmentMin = _unsorted_op("UnsortedSegmentMin", "min", real_numeric)


def _valid_mask(ids, like):
    """`ids >= 0`, with trailing size-1 axes so that it broadcasts against `like`."""
    mask = math_ops.greater_equal(ids, 0)
    extra = like.shape.rank - ids.shape.rank if like.shape.rank is not None else None
    if extra is None or ids.shape.rank is None:
        raise NotImplementedError("unsorted segment gradients need inputs of known rank")
    for _ in range(extra):
        mask = array_ops.expand_dims(mask, -1)
    return mask


def _gather_drop_negatives(params, ids):
    """gather(params, ids) with zero rows where ids < 0 (rows the forward op dropped)."""
    g = _gather(params, math_ops.maximum(ids, array_ops.zeros_like(ids)))
    return array_ops.where(_valid_mask(ids, g), g, array_ops.zeros_like(g))


@UnsortedSegmentSum.gradient
def _(op, dy):
    return [_gather_drop_negatives(dy, op.inputs[1]), None, None]


def _unsorted_extremum_grad(op, dy):
    data, ids, num = op.inputs
    g = _extremum_grad(
        data,
        op.outputs[0],
        dy,
        lambda t: _gather_drop_negatives(t, ids),
        lambda t: unsorted_segment_sum(t, ids, num),
    )
    return [g, None, None]


UnsortedSegmentMax.gradient(_unsorted_extremum_grad)
UnsortedSegmentMin.gradient(_unsorted_extremum_grad)


@UnsortedSegmentProd.gradient
def _(op, dy):
    data, ids, num = op.inputs
    g = _prod_grad(
        data,
        dy,
        lambda t: _gather_drop_negatives(t, ids),
        lambda t: unsorted_segment_sum(t, ids, num),
        lambda t: unsorted_segment_prod(t, ids, num),
    )
    return [g, None, None]


_UNSORTED_DOC = """Computes the {what} of the rows of `data` that share a segment id.

    `segment_ids` may be in any order and have any shape that is a prefix of `data`'s shape;
    negative ids drop their rows. Segments with no rows hold {empty}.

    Args:
      data: a {types} tensor.
      segment_ids: an int32/int64 tensor whose shape is a prefix of `data.shape`.
      num_segments: the number of segments (an int32/int64 scalar).
      name: an optional name for the operation.

    Returns:
      A tensor of shape `[num_segments] + data.shape[rank(segment_ids):]`{dtype}.

    Raises:
      InvalidArgumentError: if an id is >= `num_segments` or the shapes disagree.
    """


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    return UnsortedSegmentSum(data, segment_ids, num_segments, name=name)


def unsorted_segment_prod(data, segment_ids, num_segments, name=None):
    return UnsortedSegmentProd(data, segment_ids, num_segments, name=name)


def unsorted_segment_max(data, segment_ids, num_segments, name=None):
    return UnsortedSegmentMax(data, segment_ids, num_segments, name=name)


def unsorted_segment_min(data, segment_ids, num_segments, name=None):
    return UnsortedSegmentMin(data, segment_ids, num_segments, name=name)


def _segment_counts(data, ids, num_segments):
    """Rows per segment (at least 1), shaped to broadcast against the segment sums."""
    ids = as_tensor(ids)
    # cast(ones_like(ids)) keeps the counts on the ids' device.
    n = unsorted_segment_sum(math_ops.cast(array_ops.ones_like(ids), data.dtype), ids, num_segments)
    if data.shape.rank is not None and ids.shape.rank is not None:
        for _ in range(data.shape.rank - ids.shape.rank):
            n = array_ops.expand_dims(n, -1)
    else:
        n = unsorted_segment_sum(array_ops.ones_like(data), ids, num_segments)
    return math_ops.maximum(n, 1)


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    data = as_tensor(data)
    total = unsorted_segment_sum(data, segment_ids, num_segments)
    return math_ops.truediv(total, _segment_counts(data, segment_ids, num_segments))


def unsorted_segment_sqrt_n(data, segment_ids, num_segments, name=None):
    data = as_tensor(data)
    total = unsorted_segment_sum(data, segment_ids, num_segments)
    return math_ops.truediv(total, unary_ops.sqrt(_segment_counts(data, segment_ids, num_segments)))


unsorted_segment_sum.__doc__ = _UNSORTED_DOC.format(
    what="sum", empty="0", types="numeric", dtype=" and `data`'s dtype"
)
unsorted_segment_prod.__doc__ = _UNSORTED_DOC.format(
    what="product", empty="1", types="numeric", dtype=" and `data`'s dtype"
)
unsorted_segment_max.__doc__ = _UNSORTED_DOC.format(
    what="maximum",
    empty="the dtype's lowest finite value",
    types="real numeric",
    dtype=" and `data`'s dtype",
)
unsorted_segment_min.__doc__ = _UNSORTED_DOC.format(
    what="minimum",
    empty="the dtype's highest finite value",
    types="real numeric",
    dtype=" and `data`'s dtype",
)
unsorted_segment_mean.__doc__ = _UNSORTED_DOC.format(
    what="mean",
    empty="0",
    types="numeric",
    dtype=" (integer data gives a floating result, as `tf.math.truediv` does)",
)
unsorted_segment_sqrt_n.__doc__ = _UNSORTED_DOC.format(
    what="sum divided by sqrt(rows in the segment)",
    empty="0",
    types="floating or complex",
    dtype=" and `data`'s dtype",
)


# ------------------------------------------------------------------ DenseBincount

_BINCOUNT_T = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


def _bincount_dtype(dts, attrs):
    _check_index(dts[0], "Tidx")
    if dts[1] not in _INDEX:
        check_allowed(dts[1], _INDEX, "Tidx")
    if dts[2] not in _BINCOUNT_T:
        check_allowed(dts[2], _BINCOUNT_T)
    return dts[2]


def _bincount_shape(inputs, attrs):
    arr, size, _ = inputs
    v = static_int_list(size)
    n = None if v is None else v[0]
    r = arr.shape.rank
    if r is None:
        return TensorShape(None)
    if r == 1:
        return TensorShape([n])
    if r == 2:
        return TensorShape([arr.shape[0], n])
    raise _err("Shape must be at most rank 2 but is rank " + str(r))


DenseBincount = defop(
    "DenseBincount",
    infer=Rule(_bincount_dtype, _bincount_shape),
    host_inputs=(1,),
    type_inputs=(2,),
)


@DenseBincount.kernel
def _(xp, arr, size, weights, binary_output=False):
    n = int(np.asarray(size).reshape(-1)[0])
    if n < 0:
        raise _err(f"size ({n}) must be non-negative")
    if arr.size and bool((arr < 0).any()):
        raise _err("Input arr must be non-negative!")
    weighted = weights.size > 0
    if weighted and weights.shape != arr.shape:
        raise _err(
            f"Input must match the shape of weights, got {list(arr.shape)} and "
            f"{list(weights.shape)}"
        )
    rows = arr.reshape(-1, arr.shape[-1] if arr.ndim else 1) if arr.ndim != 1 else arr[None]
    w = weights.reshape(rows.shape) if weighted else None
    out = xp.zeros((rows.shape[0], n), dtype=weights.dtype)
    keep = rows < n
    r_idx = xp.broadcast_to(xp.arange(rows.shape[0])[:, None], rows.shape)[keep]
    c_idx = rows[keep]
    if binary_output:
        out[r_idx, c_idx] = 1
    else:
        xp.add.at(out, (r_idx, c_idx), w[keep] if weighted else 1)
    return out[0] if arr.ndim == 1 else out


not_differentiable(DenseBincount)


def bincount(
    arr,
    weights=None,
    minlength=None,
    maxlength=None,
    dtype=dtypes.int32,
    name=None,
    axis=None,
    binary_output=False,
):
    """Counts how often each non-negative integer occurs in `arr`.

    Output `i` is the number of times `i` occurs (or the sum of the matching `weights`). The
    output has `max(arr) + 1` entries, raised to `minlength` and capped at `maxlength`; values at
    or above the cap are ignored.

    Args:
      arr: a tensor of non-negative integers (other dtypes are cast to int32).
      weights: optional tensor of `arr`'s shape; the result then has the weights' dtype.
      minlength: the least length of the output.
      maxlength: the greatest length of the output.
      dtype: the result dtype when `weights` is None.
      name: an optional name for the operation.
      axis: None (count over all of `arr`) or -1 (count each row of a rank-2 `arr`).
      binary_output: if true, output 1 for values that occur instead of counts.

    Returns:
      A 1-D tensor (or, with `axis=-1`, one row per row of `arr`).

    Raises:
      InvalidArgumentError: if `arr` has negative values.

    >>> tf.math.bincount(tf.constant([1, 1, 3]))
    <tf.Tensor: shape=(4,), dtype=int32, numpy=array([0, 2, 0, 1], dtype=int32)>
    """
    arr = as_tensor(arr)
    if arr.dtype not in _INDEX:
        arr = math_ops.cast(arr, dtypes.int32)
    if weights is not None:
        if binary_output:
            raise ValueError("Arguments `binary_output` and `weights` are mutually exclusive.")
        weights = as_tensor(weights)
        dtype = weights.dtype
    dtype = dtypes.as_dtype(dtype)
    if axis is None:
        arr = array_ops.reshape(arr, [-1])
        if weights is not None:
            weights = array_ops.reshape(weights, [-1])
    elif axis not in (-1, 1) or arr.shape.rank != 2:
        raise NotImplementedError("tf.math.bincount supports axis=None, or axis=-1 on rank-2 input")
    n_elems = array_ops.size(arr)
    top = reduction_ops.reduce_max(arr)
    size = array_ops.where(math_ops.greater(n_elems, 0), math_ops.cast(top, dtypes.int32) + 1, 0)
    if minlength is not None:
        size = math_ops.maximum(size, math_ops.cast(minlength, dtypes.int32))
    if maxlength is not None:
        size = math_ops.minimum(size, math_ops.cast(maxlength, dtypes.int32))
    if weights is None:
        weights = array_ops.zeros([0], dtype=dtype)
    return DenseBincount(arr, size, weights, binary_output=bool(binary_output), name=name)


# ------------------------------------------------------------------ confusion_matrix


def _check_labels(values, what, n):
    v = static_value(values)
    if v is None:
        return
    if v.size and v.min() < 0:
        raise _err(
            f"`{what}` contains negative values.  \nCondition x >= 0 did not hold element-wise:"
        )
    if n is not None and v.size and v.max() >= n:
        raise _err(f"`{what}` out of bound\nCondition x < y did not hold.")


def confusion_matrix(
    labels, predictions, num_classes=None, weights=None, dtype=dtypes.int32, name=None
):
    """Builds the confusion matrix of `labels` (rows) against `predictions` (columns).

    Entry `[i, j]` counts (or sums the `weights` of) the examples whose label is `i` and whose
    prediction is `j`.

    Args:
      labels: a 1-D tensor of true class ids (0-based).
      predictions: a 1-D tensor of predicted class ids, as long as `labels`.
      num_classes: the number of classes; by default one more than the largest id seen.
      weights: optional 1-D tensor of per-example weights.
      dtype: the dtype of the result.
      name: an optional name for the operation.

    Returns:
      A `[num_classes, num_classes]` tensor of `dtype`.

    Raises:
      InvalidArgumentError: if ids are negative or not below `num_classes`, or the shapes differ.

    >>> tf.math.confusion_matrix([0, 1, 1], [0, 1, 0])
    <tf.Tensor: shape=(2, 2), dtype=int32, numpy=
    array([[1, 0],
           [1, 1]], dtype=int32)>
    """
    dtype = dtypes.as_dtype(dtype)
    labels = math_ops.cast(as_tensor(labels), dtypes.int64)
    predictions = math_ops.cast(as_tensor(predictions), dtypes.int64)
    ls, ps = labels.shape, predictions.shape
    if not ls.is_compatible_with(ps):
        raise _err(
            f"Shapes of all inputs must match: values[0].shape = {_dims(ls)} != "
            f"values[1].shape = {_dims(ps)}"
        )
    if ls.rank is not None and ls.rank != 1:
        raise ValueError(f"labels must be a 1-D tensor, got shape {ls}")
    n_static = None if num_classes is None else static_int_list([num_classes])
    n_static = None if n_static is None else n_static[0]
    _check_labels(labels, "labels", n_static)
    _check_labels(predictions, "predictions", n_static)
    if num_classes is None:
        top = reduction_ops.reduce_max
        n = math_ops.maximum(top(labels), top(predictions))
        n = math_ops.maximum(n + 1, array_ops.zeros_like(n))
    else:
        n = math_ops.cast(as_tensor(num_classes), dtypes.int64)
    flat = labels * n + predictions
    if weights is None:
        values = math_ops.cast(array_ops.ones_like(labels), dtype)
    else:
        values = math_ops.cast(as_tensor(weights), dtype)
    cm = unsorted_segment_sum(values, flat, n * n)
    return array_ops.reshape(cm, array_ops.stack([n, n]), name=name)


# ------------------------------------------------------------------ InTopKV2


def _in_top_k_dtype(dts, attrs):
    if dts[0] is not dtypes.float32:
        check_allowed(dts[0], (dtypes.float32,))
    _check_index(dts[1], "T")
    _check_index(dts[2], "T")
    return dtypes.bool


def _in_top_k_shape(inputs, attrs):
    p, t, _ = inputs
    if p.shape.rank is not None and p.shape.rank != 2:
        raise _err("predictions must be 2-dimensional")
    if t.shape.rank is not None and t.shape.rank != 1:
        raise _err("targets must be 1-dimensional")
    b = p.shape[0] if p.shape.rank else None
    tb = t.shape[0] if t.shape.rank else None
    if b is not None and tb is not None and b != tb:
        raise _err(f"First dimension of predictions {b} must match length of targets {tb}")
    return TensorShape([b if b is not None else tb])


InTopKV2 = defop(
    "InTopKV2",
    infer=Rule(_in_top_k_dtype, _in_top_k_shape),
    host_inputs=(2,),
    type_inputs=(0,),
)


@InTopKV2.kernel
def _(xp, predictions, targets, k):
    k = int(np.asarray(k).reshape(-1)[0])
    if predictions.ndim != 2:
        raise _err("predictions must be 2-dimensional")
    b, n = predictions.shape
    if targets.shape != (b,):
        raise _err(
            f"First dimension of predictions {b} must match length of targets "
            f"{targets.shape[0] if targets.ndim else 0}"
        )
    t = targets.astype(np.int64)
    valid = (t >= 0) & (t < n)
    safe = xp.where(valid, t, 0)
    target_val = xp.take_along_axis(predictions, safe[:, None], axis=1)
    finite_row = xp.isfinite(predictions).all(axis=1)
    better = (predictions > target_val).sum(axis=1)
    return valid & finite_row & (better < k)


not_differentiable(InTopKV2)


def in_top_k(targets, predictions, k, name=None):
    """Says, per row, whether the target class is among the `k` largest predictions.

    A target counts as in the top k when fewer than `k` predictions in its row are strictly
    larger than its own; rows with a non-finite prediction, or targets out of range, give false.

    Args:
      targets: a 1-D int32/int64 tensor of class ids, one per row.
      predictions: a `[batch, classes]` float32 tensor.
      k: how many top entries to consider.
      name: an optional name for the operation.

    Returns:
      A 1-D bool tensor of length `batch`.

    Raises:
      InvalidArgumentError: if the shapes do not fit.

    >>> tf.math.in_top_k([1, 0], tf.constant([[0.1, 0.9], [0.2, 0.8]]), 1)
    <tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>
    """
    from tensorflux._src.tensor import convert_to_tensor

    predictions = convert_to_tensor(predictions, dtype=dtypes.float32)
    targets = as_tensor(targets)
    k = math_ops.cast(as_tensor(k), targets.dtype)
    return InTopKV2(predictions, targets, k, name=name)
