"""Scans along one axis: Cumsum, Cumprod and CumulativeLogsumexp, with `exclusive` and `reverse`."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, floating, numeric
from tensorflux._src.core.registry import Rule
from tensorflux._src.core.registry import defop
from tensorflux._src.ops import array_ops, math_ops, unary_ops
from tensorflux._src.ops._util import as_tensor, static_int_list

_INDEX = (dtypes.int32, dtypes.int64)


def _scan_rule(allowed):
    def dtype(dts, attrs):
        if dts[0] not in allowed:
            check_allowed(dts[0], allowed)
        if dts[1] not in _INDEX:
            check_allowed(dts[1], _INDEX, "Tidx")
        return dts[0]

    def shape(inputs, attrs):
        x, axis = inputs
        a = static_int_list(axis)
        if a is not None and x.shape.rank is not None:
            _scan_axis(a[0], x.shape.rank)
        return x.shape

    return Rule(dtype, shape)


def _scan_axis(a, rank):
    if not -rank <= a < rank:
        raise InvalidArgumentError(
            None, None, f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but got {a}"
        )
    return a % rank


def _scan(xp, x, axis, exclusive, reverse, accumulate, identity):
    """Runs `accumulate(x, axis)` with TensorFlow's `exclusive` (shift in identity), `reverse`."""
    a = _scan_axis(int(np.asarray(axis).reshape(-1)[0]), x.ndim)
    if reverse:
        x = xp.flip(x, a)
    out = accumulate(x, a)
    if exclusive and x.shape[a]:
        first = xp.full(x.shape[:a] + (1,) + x.shape[a + 1 :], identity, dtype=out.dtype)
        rest = xp.take(out, xp.arange(x.shape[a] - 1), axis=a)
        out = xp.concatenate([first, rest], axis=a)
    if reverse:
        out = xp.flip(out, a)
    return xp.ascontiguousarray(out)


# ------------------------------------------------------------------ Cumsum

Cumsum = defop("Cumsum", infer=_scan_rule(numeric), host_inputs=(1,))


@Cumsum.kernel
def _(xp, x, axis, exclusive=False, reverse=False):
    return _scan(xp, x, axis, exclusive, reverse, lambda v, a: xp.cumsum(v, a, dtype=v.dtype), 0)


@Cumsum.gradient
def _(op, dy):
    return [
        cumsum(
            dy, op.inputs[1], exclusive=op.get_attr("exclusive"), reverse=not op.get_attr("reverse")
        ),
        None,
    ]


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes the cumulative sum of `x` along `axis`.

    With `exclusive`, each element excludes itself (the first output is 0); with `reverse`, the
    sum runs from the end.

    Args:
      x: a numeric tensor.
      axis: the axis to scan along (an int or int scalar tensor in `[-rank, rank)`); default 0.
      exclusive: if true, perform an exclusive sum.
      reverse: if true, sum in the opposite direction.
      name: an optional name for the operation.

    Returns:
      A tensor of the same shape and dtype as `x`.

    Raises:
      InvalidArgumentError: if `axis` is out of range.

    >>> tf.cumsum(tf.constant([1, 2, 3]), exclusive=True)
    <tf.Tensor: shape=(3,), dtype=int32, numpy=array([0, 1, 3], dtype=int32)>
    """
    return Cumsum(as_tensor(x), axis, exclusive=bool(exclusive), reverse=bool(reverse), name=name)


# ------------------------------------------------------------------ Cumprod

Cumprod = defop("Cumprod", infer=_scan_rule(numeric), host_inputs=(1,))


@Cumprod.kernel
def _(xp, x, axis, exclusive=False, reverse=False):
    return _scan(xp, x, axis, exclusive, reverse, lambda v, a: xp.cumprod(v, a, dtype=v.dtype), 1)


@Cumprod.gradient
def _(op, dy):
    # As TensorFlow's, this divides by x (so it is undefined at zeros of x) and does not
    # conjugate complex inputs.
    x, axis = op.inputs
    exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")
    y = cumprod(x, axis, exclusive=exclusive, reverse=reverse)
    s = cumsum(y * dy, axis, exclusive=exclusive, reverse=not reverse)
    return [s / x, None]


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes the cumulative product of `x` along `axis`.

    With `exclusive`, each element excludes itself (the first output is 1); with `reverse`, the
    product runs from the end.

    Args:
      x: a numeric tensor.
      axis: the axis to scan along (an int or int scalar tensor in `[-rank, rank)`); default 0.
      exclusive: if true, perform an exclusive product.
      reverse: if true, multiply in the opposite direction.
      name: an optional name for the operation.

    Returns:
      A tensor of the same shape and dtype as `x`.

    Raises:
      InvalidArgumentError: if `axis` is out of range.

    >>> tf.math.cumprod(tf.constant([1, 2, 3]))
    <tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 6], dtype=int32)>
    """
    return Cumprod(as_tensor(x), axis, exclusive=bool(exclusive), reverse=bool(reverse), name=name)


# ------------------------------------------------------------------ CumulativeLogsumexp

CumulativeLogsumexp = defop("CumulativeLogsumexp", infer=_scan_rule(floating), host_inputs=(1,))


@CumulativeLogsumexp.kernel
def _(xp, x, axis, exclusive=False, reverse=False):
    acc = np.float32 if x.dtype.itemsize <= 2 else x.dtype
    out = _scan(xp, x.astype(acc), axis, exclusive, reverse, _logaddexp_scan(xp), -np.inf)
    return out.astype(x.dtype)


def _logaddexp_scan(xp):
    if hasattr(xp.logaddexp, "accumulate"):
        return lambda u, a: xp.logaddexp.accumulate(u, a)

    def shifted(u, a):
        # Libraries without ufunc.accumulate: shift by the running maximum's final value.
        m = xp.max(u, axis=a, keepdims=True)
        m = xp.where(xp.isfinite(m), m, 0)
        with np.errstate(divide="ignore"):
            return xp.log(xp.cumsum(xp.exp(u - m), axis=a)) + m

    return shifted


@CumulativeLogsumexp.gradient
def _(op, dy):
    # d out_i / d x_j = exp(x_j - out_i) for each j the scan of i covers. Summing over i runs the
    # scan the other way; it is done in log space, positive and negative parts of dy apart.
    x, axis = op.inputs
    out = op.outputs[0]
    exclusive, reverse = op.get_attr("exclusive"), op.get_attr("reverse")
    # A very negative finite number stands in for log(0): -inf would give inf - inf = NaN in the
    # gradient of this gradient.
    floor = as_tensor(float(dy.dtype.min) / 2, dtype=dy.dtype)
    ones = array_ops.ones_like(dy)

    def part(mask, mag):
        log_mag = array_ops.where(mask, unary_ops.log(array_ops.where(mask, mag, ones)), floor)
        back = cumulative_logsumexp(log_mag - out, axis, exclusive=exclusive, reverse=not reverse)
        return unary_ops.exp(back + x)

    zeros = array_ops.zeros_like(dy)
    pos = part(math_ops.greater(dy, zeros), dy)
    neg = part(math_ops.less(dy, zeros), -dy)
    return [pos - neg, None]


def cumulative_logsumexp(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes log(cumsum(exp(x))) along `axis` without overflow.

    Args:
      x: a floating-point tensor.
      axis: the axis to scan along (an int or int scalar tensor in `[-rank, rank)`); default 0.
      exclusive: if true, each element excludes itself (the first output is -inf).
      reverse: if true, scan in the opposite direction.
      name: an optional name for the operation.

    Returns:
      A tensor of the same shape and dtype as `x`.

    Raises:
      InvalidArgumentError: if `x` is not floating point, or `axis` is out of range.

    >>> tf.math.cumulative_logsumexp(tf.constant([0., 0.]))
    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.       , 0.6931472], dtype=float32)>
    """
    return CumulativeLogsumexp(
        as_tensor(x), axis, exclusive=bool(exclusive), reverse=bool(reverse), name=name
    )
