"""`tf.nn` normalization: moments, batch normalization, L2Loss and local response normalization.

Primitives: FusedBatchNormV3 (training and inference; its gradient is written with tensorflux
ops, so it differentiates again), L2Loss, LRN and LRNGrad. Composites: moments,
weighted_moments, normalize_moments, batch_normalization and the fused_batch_norm wrapper.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, unary
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import (
    array_ops,
    binary_math_ops,
    math_ops,
    reduction_ops,
    shape_ops,
    unary_ops,
)
from tensorflux._src.ops._util import as_tensor

_D = dtypes
_FLOAT_T = (_D.float16, _D.bfloat16, _D.float32, _D.float64)
# TensorFlow's FusedBatchNormV3 and LRN stop at float32; float64 is accepted here as well (the
# NumPy kernels handle it for free, and the gradient checks run in float64).
_HALF_FLOAT_T = (_D.float16, _D.bfloat16, _D.float32, _D.float64)


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _attr(op, name, default):
    try:
        return op.get_attr(name)
    except (ValueError, KeyError):
        return default


def _dims(s):
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


# ------------------------------------------------------------------ moments


def _axes_list(axes):
    if isinstance(axes, int):
        return [axes]
    return list(axes)


def moments(x, axes, shift=None, keepdims=False, name=None):
    """Computes the mean and variance of `x` over `axes`.

    float16 inputs are accumulated in float32. The variance is the biased (population) one.

    Args:
      x: A `Tensor`.
      axes: The dimensions to reduce over (a list of ints).
      shift: Unused (kept for compatibility).
      keepdims: Whether the reduced dimensions are kept with size 1.
      name: A name for the operation (optional).

    Returns:
      A `(mean, variance)` pair of `Tensor`s of `x`'s dtype.
    """
    del shift
    x = as_tensor(x)
    axes = _axes_list(axes)
    y = math_ops.cast(x, dtypes.float32) if x.dtype is dtypes.float16 else x
    mean = reduction_ops.reduce_mean(y, axes, keepdims=True)
    diff = binary_math_ops.squared_difference(y, shape_ops.stop_gradient(mean))
    variance = reduction_ops.reduce_mean(diff, axes, keepdims=True)
    if not keepdims:
        mean = array_ops.squeeze(mean, axes)
        variance = array_ops.squeeze(variance, axes)
    if x.dtype is dtypes.float16:
        return math_ops.cast(mean, x.dtype), math_ops.cast(variance, x.dtype)
    return mean, variance


def weighted_moments(x, axes, frequency_weights, keepdims=False, name=None):
    """Computes the frequency-weighted mean and variance of `x` over `axes`.

    Args:
      x: A `Tensor`.
      axes: The dimensions to reduce over.
      frequency_weights: Weights broadcastable to `x`.
      keepdims: Whether the reduced dimensions are kept with size 1.
      name: A name for the operation (optional).

    Returns:
      A `(weighted_mean, weighted_variance)` pair; zero total weight gives 0.
    """
    x = as_tensor(x)
    axes = _axes_list(axes)
    dtype = x.dtype
    if dtype is dtypes.float16:
        x = math_ops.cast(x, dtypes.float32)
    w = as_tensor(frequency_weights, dtype_hint=x.dtype)
    if w.dtype is not x.dtype:
        w = math_ops.cast(w, x.dtype)
    weighted_sum = reduction_ops.reduce_sum(w * x, axes, keepdims=True)
    total_w = reduction_ops.reduce_sum(w + array_ops.zeros_like(x), axes, keepdims=True)
    mean = binary_math_ops.divide_no_nan(weighted_sum, total_w)
    dist = reduction_ops.reduce_sum(
        w * binary_math_ops.squared_difference(x, mean), axes, keepdims=True
    )
    variance = binary_math_ops.divide_no_nan(dist, total_w)
    if not keepdims:
        mean = array_ops.squeeze(mean, axes)
        variance = array_ops.squeeze(variance, axes)
    if dtype is dtypes.float16:
        return math_ops.cast(mean, dtype), math_ops.cast(variance, dtype)
    return mean, variance


def normalize_moments(counts, mean_ss, variance_ss, shift, name=None):
    """Turns sufficient statistics (count, sum, sum of squares) into mean and variance.

    Args:
      counts: The number of elements summed.
      mean_ss: The (shifted) sum of the elements.
      variance_ss: The (shifted) sum of squares.
      shift: The shift used for the statistics, or None.
      name: A name for the operation (optional).

    Returns:
      A `(mean, variance)` pair.
    """
    mean_ss = as_tensor(mean_ss)
    divisor = unary_ops.reciprocal(as_tensor(counts, dtype_hint=mean_ss.dtype))
    shifted_mean = mean_ss * divisor
    mean = shifted_mean if shift is None else shifted_mean + shift
    variance = as_tensor(variance_ss) * divisor - unary_ops.square(shifted_mean)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """Normalizes `x` as `scale * (x - mean) / sqrt(variance + variance_epsilon) + offset`.

    Args:
      x: A floating `Tensor`.
      mean: The mean, broadcastable to `x`.
      variance: The variance, broadcastable to `x`.
      offset: The offset (beta), or None.
      scale: The scale (gamma), or None.
      variance_epsilon: A small float added to the variance.
      name: A name for the operation (optional).

    Returns:
      The normalized `Tensor`, of `x`'s shape and dtype.
    """
    x = as_tensor(x)
    variance = as_tensor(variance, dtype_hint=x.dtype)
    mean = as_tensor(mean, dtype_hint=variance.dtype)
    inv = unary_ops.rsqrt(variance + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    shift = (offset - mean * inv) if offset is not None else math_ops.negative(mean * inv)
    out = x * math_ops.cast(inv, x.dtype) + math_ops.cast(shift, x.dtype)
    return array_ops.identity(out, name=name) if name else out


# ------------------------------------------------------------------ FusedBatchNormV3

_FORMATS = ("NHWC", "NCHW", "NDHWC", "NCDHW")


def _bn_dtype(in_dtypes, attrs):
    t = in_dtypes[0]
    check_allowed(t, _HALF_FLOAT_T)
    u = in_dtypes[1]
    check_allowed(u, (_D.bfloat16, _D.float32, _D.float64), "U")
    return [t, u, u, u, u, u]


def _bn_channel(rank, data_format):
    return 1 if data_format.startswith("NC") else (rank - 1 if rank is not None else -1)


def _bn_shape(inputs, attrs):
    s = inputs[0].shape
    fmt = attrs.get("data_format", "NHWC")
    if s.rank is not None and s.rank not in (4, 5):
        raise _err(f"input must be 4 or 5-dimensional{_dims(s)}")
    c = s[_bn_channel(s.rank, fmt)] if s.rank is not None else None
    vec = TensorShape([c])
    return [s, vec, vec, vec, vec, TensorShape([])]


FusedBatchNormV3 = defop(
    "FusedBatchNormV3", infer=Rule(_bn_dtype, _bn_shape), num_outputs=6, type_inputs=(0,)
)


def _bn_axes(ndim, data_format):
    c = 1 if data_format.startswith("NC") else ndim - 1
    return c, tuple(i for i in range(ndim) if i != c)


@FusedBatchNormV3.kernel
def _(xp, x, scale, offset, mean, variance, epsilon=1e-4, exponential_avg_factor=1.0,
      data_format="NHWC", is_training=True):  # fmt: skip
    if x.ndim not in (4, 5):
        raise ValueError("rank")
    u = scale.dtype
    c, axes = _bn_axes(x.ndim, data_format)
    bshape = [1] * x.ndim
    bshape[c] = -1
    xf = x.astype(np.float32) if x.dtype != np.float64 else x
    if is_training:
        n = x.size // max(x.shape[c], 1)
        bm = xf.mean(axis=axes)
        bv = xf.var(axis=axes)
        inv = 1 / xp.sqrt(bv + epsilon)
        y = (xf - bm.reshape(bshape)) * (inv * scale).reshape(bshape) + offset.reshape(bshape)
        unbiased = bv * (n / max(n - 1, 1))
        f = exponential_avg_factor
        if f != 1.0:
            run_m = (1 - f) * mean + f * bm
            run_v = (1 - f) * variance + f * unbiased
        else:
            run_m, run_v = bm, unbiased
        outs = [y, run_m, run_v, bm, bv]
    else:
        inv = 1 / xp.sqrt(variance + epsilon)
        y = (xf - mean.reshape(bshape)) * (inv * scale).reshape(bshape) + offset.reshape(bshape)
        outs = [y, mean, variance, mean, variance]
    res = [outs[0].astype(x.dtype, copy=False)]
    res += [xp.asarray(o).astype(u, copy=True) for o in outs[1:]]
    res.append(xp.zeros((), dtype=u))
    return res


@FusedBatchNormV3.gradient
def _(op, dy, *unused):
    x, scale, _, mean, variance = op.inputs
    eps = _attr(op, "epsilon", 1e-4)
    fmt = _attr(op, "data_format", "NHWC")
    training = _attr(op, "is_training", True)
    rank = x.shape.rank
    if rank is None:
        raise NotImplementedError("the gradient of FusedBatchNormV3 needs a known rank")
    c, axes = _bn_axes(rank, fmt)
    axes = list(axes)
    bshape = [1] * rank
    bshape[c] = -1
    u = scale.dtype
    xf = math_ops.cast(x, u) if x.dtype is not u else x
    g = math_ops.cast(dy, u) if dy.dtype is not u else dy
    scale_b = array_ops.reshape(scale, bshape)
    if training:
        m = reduction_ops.reduce_mean(xf, axes, keepdims=True)
        xm = xf - m
        inv = unary_ops.rsqrt(reduction_ops.reduce_mean(xm * xm, axes, keepdims=True) + eps)
        xhat = xm * inv
        g_mean = reduction_ops.reduce_mean(g, axes, keepdims=True)
        gx_mean = reduction_ops.reduce_mean(g * xhat, axes, keepdims=True)
        dx = scale_b * inv * (g - g_mean - xhat * gx_mean)
    else:
        inv = array_ops.reshape(unary_ops.rsqrt(variance + eps), bshape)
        xhat = (xf - array_ops.reshape(mean, bshape)) * inv
        dx = g * scale_b * inv
    dscale = reduction_ops.reduce_sum(g * xhat, axes)
    doffset = reduction_ops.reduce_sum(g, axes)
    if dx.dtype is not x.dtype:
        dx = math_ops.cast(dx, x.dtype)
    return [dx, dscale, doffset, None, None]


def fused_batch_norm(x, scale, offset, mean=None, variance=None, epsilon=0.001,
                     data_format="NHWC", is_training=True, name=None,
                     exponential_avg_factor=1.0):  # fmt: skip
    """Batch normalization of a 4-D or 5-D tensor in one op (`tf.compat.v1.nn.fused_batch_norm`).

    In training the batch statistics normalize `x`; the returned mean and (unbiased) variance
    are blended into `mean`/`variance` by `exponential_avg_factor`. In inference `mean` and
    `variance` normalize `x` and are returned unchanged.

    Args:
      x: A float16, bfloat16 or float32 `Tensor` of rank 4 or 5.
      scale: A 1-D float32 `Tensor` of channel scales (gamma).
      offset: A 1-D float32 `Tensor` of channel offsets (beta).
      mean: A 1-D `Tensor` of population means (required unless training with factor 1).
      variance: A 1-D `Tensor` of population variances (likewise).
      epsilon: A small float added to the variance (at least 1.001e-5).
      data_format: "NHWC", "NCHW", "NDHWC" or "NCDHW".
      is_training: Whether to use the batch statistics.
      name: A name for the operation (optional).
      exponential_avg_factor: The weight of the new batch statistics in the running ones.

    Returns:
      `(y, running_mean, running_variance)`.

    Raises:
      ValueError: if `mean`/`variance` are missing where needed.
      InvalidArgumentError: if `x` is not 4-D or 5-D.
    """
    if (not is_training or exponential_avg_factor != 1.0) and (mean is None or variance is None):
        raise ValueError(
            "Both `mean` and `variance` must be a 1D tensor when `is_training` is False or "
            f"`exponential_avg_factor` != 1.0. Received: `mean` {mean} and `variance` {variance}"
        )
    x = as_tensor(x)
    scale = as_tensor(scale)
    offset = as_tensor(offset, dtype_hint=scale.dtype)
    if mean is None:
        mean = as_tensor(np.zeros([0], scale.dtype.as_numpy_dtype))
    if variance is None:
        variance = as_tensor(np.zeros([0], scale.dtype.as_numpy_dtype))
    if data_format not in _FORMATS:
        raise ValueError(f"Unknown data_format: {data_format}")
    y, run_m, run_v, _, _, _ = FusedBatchNormV3(
        x, scale, offset, as_tensor(mean, dtype_hint=scale.dtype),
        as_tensor(variance, dtype_hint=scale.dtype),
        epsilon=max(float(epsilon), 1.001e-5), exponential_avg_factor=float(exponential_avg_factor),
        data_format=data_format, is_training=bool(is_training), name=name,
    )  # fmt: skip
    return y, run_m, run_v


# ------------------------------------------------------------------ L2Loss

L2Loss = defop("L2Loss", infer=Rule(unary(_FLOAT_T).dtype, lambda inputs, attrs: TensorShape([])))


@L2Loss.kernel
def _(xp, t):
    acc = t.astype(np.float32) if t.dtype.itemsize < 4 else t
    return xp.asarray((acc * acc).sum() / 2).astype(t.dtype)


@L2Loss.gradient
def _(op, dy):
    (t,) = op.inputs
    return [t * dy]


def l2_loss(t, name=None):
    """Computes half the squared L2 norm of `t`: `sum(t ** 2) / 2`.

    Args:
      t: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A scalar `Tensor` of `t`'s dtype.
    """
    return L2Loss(t, name=name)


# ------------------------------------------------------------------ LRN


def _lrn_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank != 4:
        raise _err("in must be 4-dimensional")
    return s


def _lrn_dtype(in_dtypes, attrs):
    t = in_dtypes[0]
    check_allowed(t, _HALF_FLOAT_T)
    for o in in_dtypes[1:]:
        if o is not t:
            check_allowed(o, (t,))
    return t


LRN = defop("LRN", infer=Rule(_lrn_dtype, _lrn_shape))


def _window_sum(xp, a, r):
    """Sums of `a` over windows [d - r, d + r] of its last axis (clipped at the ends)."""
    d = a.shape[-1]
    pad = [(0, 0)] * (a.ndim - 1) + [(r, r)]
    p = xp.pad(a, pad)
    out = p[..., 0:d].copy()
    for k in range(1, 2 * r + 1):
        out += p[..., k : k + d]
    return out


def _lrn_norm(xp, xf, depth_radius, bias, alpha):
    return bias + alpha * _window_sum(xp, xf * xf, depth_radius)


@LRN.kernel
def _(xp, x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    if x.ndim != 4:
        raise ValueError("rank")
    xf = x.astype(np.float32) if x.dtype.itemsize < 4 else x
    norm = _lrn_norm(xp, xf, depth_radius, bias, alpha)
    return (xf * norm ** (-beta)).astype(x.dtype, copy=False)


LRNGrad = defop("LRNGrad", infer=Rule(_lrn_dtype, _lrn_shape))


@LRNGrad.kernel
def _(xp, dy, x, y, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    if x.ndim != 4:
        raise ValueError("rank")
    up = (lambda a: a.astype(np.float32)) if x.dtype.itemsize < 4 else (lambda a: a)
    xf, gf = up(x), up(dy)
    norm = _lrn_norm(xp, xf, depth_radius, bias, alpha)
    inner = _window_sum(xp, gf * xf * norm ** (-beta - 1), depth_radius)
    dx = gf * norm ** (-beta) - (2 * alpha * beta) * xf * inner
    return dx.astype(x.dtype, copy=False)


not_differentiable(LRNGrad)


def _lrn_attrs(op):
    return {
        "depth_radius": _attr(op, "depth_radius", 5),
        "bias": _attr(op, "bias", 1.0),
        "alpha": _attr(op, "alpha", 1.0),
        "beta": _attr(op, "beta", 0.5),
    }


@LRN.gradient
def _(op, dy):
    return [LRNGrad(dy, op.inputs[0], op.outputs[0], **_lrn_attrs(op))]


def local_response_normalization(input, depth_radius=5, bias=1, alpha=1, beta=0.5, name=None):
    """Local response normalization across the last (depth) dimension of a 4-D tensor.

    Each value is divided by `(bias + alpha * sum(x**2 over the 2*depth_radius+1 neighbouring
    depths)) ** beta`.

    Args:
      input: A 4-D float16, bfloat16 or float32 `Tensor`.
      depth_radius: Half-width of the normalization window.
      bias: An offset (usually positive, to avoid dividing by 0).
      alpha: A scale factor.
      beta: An exponent.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of `input`'s shape and dtype.

    Raises:
      InvalidArgumentError: if `input` is not 4-D.
    """
    return LRN(
        input, depth_radius=int(depth_radius), bias=float(bias), alpha=float(alpha),
        beta=float(beta), name=name,
    )  # fmt: skip


lrn = local_response_normalization


def lrn_grad(input_grads, input_image, output_image, depth_radius=5, bias=1, alpha=1, beta=0.5,
             name=None):  # fmt: skip
    """The gradient of `local_response_normalization` (raw op `LRNGrad`)."""
    return LRNGrad(
        input_grads, input_image, output_image, depth_radius=int(depth_radius), bias=float(bias),
        alpha=float(alpha), beta=float(beta), name=name,
    )  # fmt: skip


# ------------------------------------------------------------------ small composites


def sufficient_statistics(x, axes, shift=None, keepdims=False, name=None):
    """The count, (shifted) sum and (shifted) sum of squares of `x` over `axes`.

    Args:
      x: A `Tensor`.
      axes: The dimensions to reduce over.
      shift: Optional value subtracted before summing (for numerical stability), or None.
      keepdims: Whether the reduced dimensions are kept with size 1.
      name: A name for the operation (optional).

    Returns:
      `(count, mean_ss, variance_ss, shift)`; `count` is a scalar of `x`'s dtype.
    """
    del name
    x = as_tensor(x)
    axes = _axes_list(axes)
    s = x.shape
    if s.rank is not None and all(s[a] is not None for a in axes):
        n = 1
        for a in axes:
            n *= s[a]
        count = as_tensor(np.asarray(n, x.dtype.as_numpy_dtype))
    else:
        from tensorflux._src.ops import gather_ops

        dims = gather_ops.gather(array_ops.shape(x), axes)
        count = math_ops.cast(reduction_ops.reduce_prod(dims), x.dtype)
    if shift is not None:
        shift = as_tensor(shift, dtype_hint=x.dtype)
        centered = x - shift
    else:
        centered = x
    m_ss = reduction_ops.reduce_sum(centered, axes, keepdims=keepdims)
    v_ss = reduction_ops.reduce_sum(unary_ops.square(centered), axes, keepdims=keepdims)
    return count, m_ss, v_ss, shift


def zero_fraction(value, name=None):
    """The fraction of zeros in `value` (float32; NaN for an empty tensor).

    Args:
      value: A numeric `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A float32 scalar.
    """
    value = as_tensor(value)
    zeros = math_ops.cast(math_ops.equal(value, array_ops.zeros_like(value)), dtypes.float32)
    return reduction_ops.reduce_mean(zeros, name=name)


def batch_norm_with_global_normalization(input, mean, variance, beta, gamma, variance_epsilon,
                                         scale_after_normalization, name=None):  # fmt: skip
    """`batch_normalization` with population statistics (the older argument order).

    Args:
      input: A floating `Tensor`.
      mean: The population mean.
      variance: The population variance.
      beta: The offset.
      gamma: The scale, applied only when `scale_after_normalization`.
      variance_epsilon: A small float added to the variance.
      scale_after_normalization: Whether to multiply by `gamma`.
      name: A name for the operation (optional).

    Returns:
      The normalized `Tensor`.
    """
    return batch_normalization(
        input, mean, variance, beta, gamma if scale_after_normalization else None,
        variance_epsilon, name,
    )  # fmt: skip
