"""Ops that create tensors from scratch: Range, LinSpace, OneHot, and the composites eye,
sequence_mask and meshgrid. One block per op (rule, kernel, gradient), then its public function.

This module defines `range` (tf.range); the builtin is `_brange` here.
"""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, math_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.ops.array_ops import _dims_str, _static_int, expand_dims, reshape, shape
from tensorflux._src.ops.shape_ops import broadcast_dynamic_shape, broadcast_to, size
from tensorflux._src.tensor import Tensor, constant

_brange = builtins.range

# ------------------------------------------------------------------ Range

_RANGE_TYPES = (
    dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int8, dtypes.int16,
    dtypes.int32, dtypes.int64, dtypes.uint16, dtypes.uint32,
)  # fmt: skip


def _range_size(start, limit, delta):
    if delta == 0:
        raise InvalidArgumentError(None, None, f"Requires delta != 0: {_num(delta)}")
    if delta > 0 and start > limit:
        raise InvalidArgumentError(
            None,
            None,
            f"Requires start <= limit when delta > 0: {_num(start)}/{_num(limit)}",
        )
    if delta < 0 and start < limit:
        raise InvalidArgumentError(
            None,
            None,
            f"Requires start >= limit when delta < 0: {_num(start)}/{_num(limit)}",
        )
    if isinstance(start, (int, np.integer)) and isinstance(delta, (int, np.integer)):
        return (abs(int(limit) - int(start)) + abs(int(delta)) - 1) // abs(int(delta))
    return int(np.ceil(abs((float(limit) - float(start)) / float(delta))))


def _num(v):
    v = v.item() if hasattr(v, "item") else v
    return int(v) if float(v).is_integer() else v


def _range_dtype(dts, attrs):
    t = check_same(dts)
    check_allowed(t, _RANGE_TYPES, "Tidx")
    return t


def _range_shape(inputs, attrs):
    vals = [static_value(t) for t in inputs]
    if any(v is None for v in vals):
        return TensorShape([None])
    return TensorShape([_range_size(*(np.asarray(v).reshape(()).item() for v in vals))])


Range = defop("Range", infer=Rule(_range_dtype, _range_shape), host_inputs=(0, 1, 2))


@Range.kernel
def _(xp, start, limit, delta):
    for nm, v in (("start", start), ("limit", limit), ("delta", delta)):
        if np.ndim(v) != 0:
            raise InvalidArgumentError(
                None, None, f"{nm} must be a scalar, not shape {_dims_str(np.shape(v))}"
            )
    s, lim, d = (np.asarray(v).item() for v in (start, limit, delta))
    n = _range_size(s, lim, d)
    dt = np.asarray(start).dtype
    # start + i*delta, computed in the output type as TensorFlow's kernel does.
    return xp.asarray(np.asarray(s, dtype=dt) + np.arange(n).astype(dt) * np.asarray(d, dtype=dt))


not_differentiable(Range)

# TensorFlow's order for inferring a range's dtype from Python values.
_RANGE_ORDER = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)


def range(start, limit=None, delta=1, dtype=None, name="range"):
    """Creates a 1-D tensor of numbers from `start` up to (not including) `limit` by `delta`.

    `tf.range(n)` counts from 0 to n - 1. Without `dtype`, the result's dtype is the widest of
    the arguments' dtypes in the order int32, int64, float32, float64 (Python ints count as int32,
    Python floats as float32).

    Args:
      start: the first value, or the limit when `limit` is None.
      limit: the exclusive end of the sequence.
      delta: the step between values (nonzero; negative counts down).
      dtype: the dtype of the result.
      name: an optional name for the operation.

    Returns:
      A 1-D tensor.

    Raises:
      InvalidArgumentError: if `delta` is zero or points away from `limit`.
    """
    if limit is None:
        start, limit = 0, start
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        args = [
            as_tensor(v) if isinstance(v, Tensor) else constant(v, dtype=dtype)
            for v in (start, limit, delta)
        ]
        args = [math_ops.cast(a, dtype) if a.dtype is not dtype else a for a in args]
    else:
        args = [as_tensor(v) for v in (start, limit, delta)]
        inferred = max(
            (a.dtype for a in args),
            key=lambda d: _RANGE_ORDER.index(d) if d in _RANGE_ORDER else -1,
        )
        args = [math_ops.cast(a, inferred) if a.dtype is not inferred else a for a in args]
    return Range(*args, name=name)


# ------------------------------------------------------------------ LinSpace


def _linspace_shape(inputs, attrs):
    n = _static_int(inputs[2])
    return TensorShape([n])


def _linspace_dtype(dts, attrs):
    t = check_same(dts, (0, 1))
    check_allowed(t, (dtypes.bfloat16, dtypes.float16, dtypes.float32, dtypes.float64))
    return t


LinSpace = defop(
    "LinSpace", infer=Rule(_linspace_dtype, _linspace_shape), host_inputs=(2,), type_inputs=(0, 1)
)


@LinSpace.kernel
def _(xp, start, stop, num):
    n = int(np.asarray(num).reshape(()))
    if n <= 0:
        if n < 0:
            raise InvalidArgumentError(None, None, f"Requires num > 0: {n}")
        return xp.zeros((0,), dtype=start.dtype)
    return xp.linspace(start, stop, n).astype(start.dtype)


not_differentiable(LinSpace)


def linspace(start, stop, num, name=None, axis=0):
    """Creates `num` evenly spaced values from `start` to `stop`, both included.

    `start` and `stop` may be tensors of one shape (or broadcastable shapes); the new dimension
    of size `num` is then inserted at `axis`. Integer endpoints give a float64 result.

    Args:
      start: the first value(s).
      stop: the last value(s).
      num: the number of values, a non-negative integer.
      name: an optional name for the operation.
      axis: where the new dimension goes when `start`/`stop` are not scalars.

    Returns:
      A tensor with one more dimension than the broadcast of `start` and `stop`.
    """
    start = as_tensor(start)
    stop = as_tensor(stop, dtype_hint=start.dtype)
    if start.dtype.is_integer:
        start = math_ops.cast(start, dtypes.float64)
    if stop.dtype is not start.dtype:
        stop = math_ops.cast(stop, start.dtype)
    if start.shape.rank == 0 and stop.shape.rank == 0 and axis in (0, -1):
        return LinSpace(start, stop, num, name=name)
    return _linspace_nd(start, stop, num, axis)


def _linspace_nd(start, stop, num, axis):
    # start + i * (stop - start) / (num - 1) along a new dimension at `axis`.
    bshape = broadcast_dynamic_shape(shape(start), shape(stop))
    start, stop = broadcast_to(start, bshape), broadcast_to(stop, bshape)
    r = start.shape.rank
    axis = axis if axis >= 0 else axis + r + 1
    n = as_tensor(num)
    denom = math_ops.cast(math_ops.maximum(math_ops.subtract(n, 1), 1), start.dtype)
    lo, hi = expand_dims(start, axis), expand_dims(stop, axis)
    steps = math_ops.cast(range(n), start.dtype)
    steps = reshape(steps, [1] * axis + [-1] + [1] * (r - axis))
    return lo + steps * ((hi - lo) / denom)


# ------------------------------------------------------------------ OneHot


def _one_hot_axis(axis, rank):
    if axis != -1 and not 0 <= axis <= rank:
        raise InvalidArgumentError(
            None,
            None,
            f"Expected axis to be -1 or between [0, {rank + 1}).  But received: {axis}",
        )
    return rank if axis == -1 else axis


def _one_hot_dtype(dts, attrs):
    check_allowed(dts[0], (dtypes.uint8, dtypes.int8, dtypes.int32, dtypes.int64), "TI")
    return check_same(dts, (2, 3))


def _one_hot_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return TensorShape(None)
    dims = s.as_list()
    dims.insert(_one_hot_axis(attrs.get("axis", -1), s.rank), _static_int(inputs[1]))
    return TensorShape(dims)


OneHot = defop(
    "OneHot", infer=Rule(_one_hot_dtype, _one_hot_shape), host_inputs=(1,), type_inputs=(2, 3)
)


@OneHot.kernel
def _(xp, indices, depth, on_value, off_value, axis=-1):
    d = int(np.asarray(depth).reshape(()))
    if d < 0:
        raise InvalidArgumentError(None, None, f"depth must be non-negative, got: {d}")
    ax = _one_hot_axis(axis, indices.ndim)
    hot = indices[..., None] == xp.arange(d, dtype=indices.dtype)
    out = xp.where(hot, on_value, off_value).astype(on_value.dtype)
    return xp.moveaxis(out, -1, ax) if ax != indices.ndim else out


not_differentiable(OneHot)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot encodes `indices`: `on_value` where the new dimension's index equals the index.

    Indices outside `[0, depth)` give a row of `off_value`.

    Args:
      indices: an integer tensor (uint8, int8, int32 or int64).
      depth: the size of the new dimension.
      on_value: the value at the hot positions (default 1).
      off_value: the value elsewhere (default 0).
      axis: where the new dimension goes (default -1, last).
      dtype: the result dtype; default the dtype of `on_value`/`off_value`, else float32.
      name: an optional name for the operation.

    Returns:
      A tensor with one more dimension than `indices`.

    Raises:
      TypeError: if `dtype`, `on_value` and `off_value` disagree on the dtype.
    """
    on_t = None if on_value is None else as_tensor(on_value)
    off_t = None if off_value is None else as_tensor(off_value)
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
        if on_t is not None and on_t.dtype is not dtype:
            raise TypeError(
                f"dtype {on_t.dtype!r} of on_value does not match dtype parameter {dtype!r}"
            )
        if off_t is not None and off_t.dtype is not dtype:
            raise TypeError(
                f"dtype {off_t.dtype!r} of off_value does not match dtype parameter {dtype!r}"
            )
    elif on_t is not None and off_t is not None and on_t.dtype is not off_t.dtype:
        raise TypeError(
            f"dtype {on_t.dtype!r} of on_value does not match dtype {off_t.dtype!r} of off_value"
        )
    else:
        given = on_t if on_t is not None else off_t
        dtype = given.dtype if given is not None else dtypes.float32
    if on_t is None:
        on_t = constant(1, dtype=dtype)
    if off_t is None:
        off_t = constant(0, dtype=dtype)
    return OneHot(indices, depth, on_t, off_t, axis=-1 if axis is None else axis, name=name)


# ------------------------------------------------------------------ eye


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """Creates an identity matrix, or a batch of them.

    Args:
      num_rows: the number of rows.
      num_columns: the number of columns (default `num_rows`).
      batch_shape: optional leading dimensions; the matrix is repeated over them.
      dtype: the element type.
      name: an optional name for the operation.

    Returns:
      A tensor of shape `batch_shape + [num_rows, num_columns]` with ones on the diagonal.
    """
    dtype = dtypes.as_dtype(dtype)
    if num_columns is None:
        num_columns = num_rows
    if isinstance(num_rows, (int, np.integer)) and isinstance(num_columns, (int, np.integer)):
        if builtins.min(num_rows, num_columns) < 0:  # TF fails building the diagonal, in Fill
            array_ops.fill([builtins.min(num_rows, num_columns)], constant(1, dtype))
    rows = expand_dims(range(num_rows), 1)
    m = math_ops.cast(math_ops.equal(rows, range(num_columns)), dtype)
    if batch_shape is None:
        return m
    if isinstance(batch_shape, TensorShape):
        batch_shape = batch_shape.as_list()
    if isinstance(batch_shape, (list, tuple)) and all(
        isinstance(b, (int, np.integer)) for b in batch_shape
    ):
        return broadcast_to(m, list(batch_shape) + m.shape.as_list())
    target = _concat_shapes(batch_shape, shape(m))
    return broadcast_to(m, target)


def _concat_shapes(a, b):
    from tensorflux._src.ops import manip_ops

    return manip_ops.concat([math_ops.cast(as_tensor(a), dtypes.int32), b], 0)


# ------------------------------------------------------------------ sequence_mask, meshgrid


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """A mask whose row i is `[j < lengths[i] for j in range(maxlen)]`.

    Args:
      lengths: an integer tensor of any shape.
      maxlen: the size of the new last dimension; the largest length when None.
      dtype: the dtype of the result.
      name: an optional name for the operation.

    Returns:
      A tensor of shape `lengths.shape + [maxlen]`.
    """
    lengths = as_tensor(lengths)
    if maxlen is None:
        # An empty `lengths` has the lowest value as its max; clamp it to 0.
        maxlen = math_ops.maximum(reduction_ops.reduce_max(lengths), 0)
    else:
        maxlen = as_tensor(maxlen)
    if maxlen.dtype.is_floating:
        maxlen = math_ops.cast(maxlen, dtypes.int32)
    row = range(maxlen)
    mat = math_ops.cast(array_ops.expand_dims(lengths, -1), maxlen.dtype)
    mask = math_ops.greater(mat, row)  # row < mat, placed with `lengths`
    dtype = dtypes.as_dtype(dtype)
    return mask if dtype is dtypes.bool else math_ops.cast(mask, dtype)


def meshgrid(*args, **kwargs):
    """Coordinate arrays for a grid spanned by N 1-D tensors.

    Args:
      *args: 1-D tensors (or values), of one dtype.
      **kwargs: `indexing`: "xy" (Cartesian, default: the first two outputs dimensions swapped)
        or "ij" (matrix); `name`: ignored.

    Returns:
      A list of N tensors, each of rank N.

    Raises:
      TypeError: for other keyword arguments.
      ValueError: for another `indexing`.
    """
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        key = next(iter(kwargs))
        raise TypeError(f"'{key}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'"
        )
    ndim = len(args)
    if ndim == 0:
        return []
    xs = [array_ops.reshape(as_tensor(a), [-1]) for a in args]
    outs = []
    for i, x in enumerate(xs):
        s = [1] * ndim
        s[i] = -1
        outs.append(array_ops.reshape(x, s))
    sizes = [size(x) for x in xs]
    if indexing == "xy" and ndim > 1:
        outs[0] = array_ops.reshape(xs[0], [1, -1] + [1] * (ndim - 2))
        outs[1] = array_ops.reshape(xs[1], [-1, 1] + [1] * (ndim - 2))
        sizes[0], sizes[1] = sizes[1], sizes[0]
    ones = array_ops.ones(array_ops.stack(sizes), dtype=xs[0].dtype)
    return [math_ops.multiply(o, ones) for o in outs]
