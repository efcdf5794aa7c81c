"""`tf.nn` activations, bias_add, softmax and dropout.

Primitives (one block each, TensorFlow's op-type names): Relu, Relu6, Elu, Selu, LeakyRelu, their
*Grad ops (registered with gradients of their own so second-order gradients work), Softmax,
LogSoftmax, BiasAdd and BiasAddGrad. Composites: gelu, silu/swish, crelu, softmax/log_softmax
along any axis, and the dropouts.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import binary, check_allowed, check_same, unary
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import (
    activation_ops,
    array_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    special_ops,
    trig_ops,
    unary_ops,
)
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.tensor import Tensor

_D = dtypes
# Allowed dtypes in TensorFlow's order (they are printed in error messages).
_RELU_T = (
    _D.float32, _D.float64, _D.int32, _D.uint8, _D.int16, _D.int8, _D.int64, _D.bfloat16,
    _D.uint16, _D.float16, _D.uint32, _D.uint64,
)  # fmt: skip
_FLOAT_T = (_D.float16, _D.bfloat16, _D.float32, _D.float64)
_BIAS_T = (
    _D.float32, _D.float64, _D.int32, _D.uint8, _D.int16, _D.int8, _D.complex64, _D.int64,
    _D.bfloat16, _D.complex128, _D.float16, _D.uint32, _D.uint64,
)  # fmt: skip


def _attr(op, name, default):
    try:
        return op.get_attr(name)
    except (ValueError, KeyError):
        return default


def _err(msg):
    return InvalidArgumentError(None, None, msg)


# ------------------------------------------------------------------ Relu, Relu6

Relu = defop("Relu", infer=unary(_RELU_T))


@Relu.kernel
def _(xp, x):
    return xp.maximum(x, x.dtype.type(0))


ReluGrad = defop("ReluGrad", infer=binary(_RELU_T))


@ReluGrad.kernel
def _(xp, dy, x):
    # A multiply by the mask is several times faster than where() on large blocks; like
    # TensorFlow's kernel, a NaN gradient stays NaN where x <= 0.
    return dy * (x > 0)


@Relu.gradient
def _(op, dy):
    return [ReluGrad(dy, op.outputs[0])]


@ReluGrad.gradient
def _(op, ddx):
    _, x = op.inputs
    return [ReluGrad(ddx, x), array_ops.zeros_like(x)]


def relu(features, name=None):
    """Computes the rectified linear unit, `max(features, 0)`, element-wise.

    Args:
      features: A real `Tensor` (floating or integer).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `features`.

    Raises:
      InvalidArgumentError: for a dtype Relu does not accept (bool, complex...).
    """
    return Relu(features, name=name)


Relu6 = defop("Relu6", infer=unary(_RELU_T))


@Relu6.kernel
def _(xp, x):
    return xp.minimum(xp.maximum(x, x.dtype.type(0)), x.dtype.type(6)).astype(x.dtype, copy=False)


Relu6Grad = defop("Relu6Grad", infer=binary(_RELU_T))


@Relu6Grad.kernel
def _(xp, dy, x):
    return dy * ((x > 0) & (x < 6))


@Relu6.gradient
def _(op, dy):
    return [Relu6Grad(dy, op.inputs[0])]


@Relu6Grad.gradient
def _(op, ddx):
    _, x = op.inputs
    return [Relu6Grad(ddx, x), array_ops.zeros_like(x)]


def relu6(features, name=None):
    """Computes `min(max(features, 0), 6)` element-wise.

    Args:
      features: A real `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `features`.
    """
    return Relu6(as_tensor(features), name=name)


# ------------------------------------------------------------------ Elu, Selu

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946

Elu = defop("Elu", infer=unary(_FLOAT_T))


@Elu.kernel
def _(xp, x):
    with np.errstate(over="ignore"):
        return xp.where(x > 0, x, xp.expm1(xp.minimum(x, 0))).astype(x.dtype, copy=False)


EluGrad = defop("EluGrad", infer=binary(_FLOAT_T))


@EluGrad.kernel
def _(xp, dy, y):
    return xp.where(y > 0, dy, dy * (y + 1)).astype(dy.dtype, copy=False)


@Elu.gradient
def _(op, dy):
    return [EluGrad(dy, op.outputs[0])]


@EluGrad.gradient
def _(op, ddx):
    dy, y = op.inputs
    zeros = array_ops.zeros_like(y)
    return [EluGrad(ddx, y), array_ops.where(y < 0, ddx * dy, zeros)]


def elu(features, name=None):
    """Computes the exponential linear unit: `features` if positive, else `exp(features) - 1`.

    Args:
      features: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `features`.
    """
    return Elu(features, name=name)


Selu = defop("Selu", infer=unary(_FLOAT_T))


@Selu.kernel
def _(xp, x):
    neg = (_SELU_SCALE * _SELU_ALPHA) * xp.expm1(xp.minimum(x, 0))
    return xp.where(x > 0, _SELU_SCALE * x, neg).astype(x.dtype, copy=False)


SeluGrad = defop("SeluGrad", infer=binary(_FLOAT_T))


@SeluGrad.kernel
def _(xp, dy, y):
    neg = dy * (y + _SELU_SCALE * _SELU_ALPHA)
    return xp.where(y > 0, _SELU_SCALE * dy, neg).astype(dy.dtype, copy=False)


@Selu.gradient
def _(op, dy):
    return [SeluGrad(dy, op.outputs[0])]


@SeluGrad.gradient
def _(op, ddx):
    dy, y = op.inputs
    zeros = array_ops.zeros_like(y)
    return [SeluGrad(ddx, y), array_ops.where(y < 0, ddx * dy, zeros)]


def selu(features, name=None):
    """Computes the scaled exponential linear unit: `scale * elu(x)`, alpha 1.6733, scale 1.0507.

    Args:
      features: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `features`.
    """
    return Selu(features, name=name)


# ------------------------------------------------------------------ LeakyRelu

LeakyRelu = defop("LeakyRelu", infer=unary(_FLOAT_T))


@LeakyRelu.kernel
def _(xp, x, alpha=0.2):
    return xp.where(x > 0, x, x * x.dtype.type(alpha))


LeakyReluGrad = defop("LeakyReluGrad", infer=binary(_FLOAT_T))


@LeakyReluGrad.kernel
def _(xp, dy, x, alpha=0.2):
    return xp.where(x > 0, dy, dy * dy.dtype.type(alpha))


@LeakyRelu.gradient
def _(op, dy):
    return [LeakyReluGrad(dy, op.inputs[0], alpha=_attr(op, "alpha", 0.2))]


@LeakyReluGrad.gradient
def _(op, ddx):
    _, x = op.inputs
    return [LeakyReluGrad(ddx, x, alpha=_attr(op, "alpha", 0.2)), array_ops.zeros_like(x)]


def leaky_relu(features, alpha=0.2, name=None):
    """Computes `features` where positive, else `alpha * features`, element-wise.

    Integer inputs are cast to float32 first, as TensorFlow does.

    Args:
      features: A real `Tensor`.
      alpha: The slope for negative inputs (a Python float).
      name: A name for the operation (optional).

    Returns:
      A floating `Tensor` of the same shape as `features`.
    """
    x = as_tensor(features)
    if x.dtype.is_integer:
        x = math_ops.cast(x, dtypes.float32)
    if isinstance(alpha, np.ndarray):
        alpha = alpha.item()
    elif isinstance(alpha, Tensor):
        alpha = float(alpha.numpy())
    return LeakyRelu(x, alpha=float(alpha), name=name)


# ------------------------------------------------------------------ composites: gelu, silu, crelu


def _require_float(x, what="features"):
    if not x.dtype.is_floating:
        raise ValueError(
            f"`{what}.dtype` must be a floating point tensor.Received:{what}.dtype={x.dtype!s}"
        )


def gelu(features, approximate=False, name=None):
    """Computes the Gaussian error linear unit, `x * P(X <= x)` for standard normal X.

    With `approximate=False` this is `0.5 * x * (1 + erf(x / sqrt(2)))`; with `approximate=True`
    the tanh form `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x**3)))`.

    Args:
      features: A floating `Tensor`.
      approximate: Whether to use the tanh approximation.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `features`.

    Raises:
      ValueError: if `features` is not floating point.
    """
    x = as_tensor(features)
    _require_float(x)
    if approximate:
        c = math.sqrt(2.0 / math.pi)
        inner = c * (x + 0.044715 * (x * x * x))
        return math_ops.multiply(0.5 * x, 1.0 + trig_ops.tanh(inner), name=name)
    return math_ops.multiply(0.5 * x, 1.0 + special_ops.erf(x * (1.0 / math.sqrt(2.0))), name=name)


def silu(features, beta=1.0):
    """Computes the sigmoid linear unit (swish), `features * sigmoid(beta * features)`.

    Args:
      features: A floating `Tensor`.
      beta: A scalar multiplying `features` inside the sigmoid.

    Returns:
      A `Tensor` of the same shape and dtype as `features`.
    """
    x = as_tensor(features)
    if isinstance(beta, (int, float)) and beta == 1.0:
        return x * activation_ops.sigmoid(x)
    beta = as_tensor(beta, dtype=x.dtype)
    return x * activation_ops.sigmoid(beta * x)


swish = silu


def crelu(features, axis=-1, name=None):
    """Concatenates `relu(features)` and `relu(-features)` along `axis` (doubling its size).

    Args:
      features: A real `Tensor`.
      axis: The axis to concatenate along.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` with `axis` twice as long as in `features`.
    """
    x = as_tensor(features)
    both = manip_ops.concat([x, math_ops.negative(x)], axis)
    return Relu(both, name=name)


# ------------------------------------------------------------------ Softmax, LogSoftmax


def _softmax_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank == 0:
        raise _err("logits must have >= 1 dimension, got []")
    return s


_SOFTMAX_RULE = Rule(unary(_FLOAT_T).dtype, _softmax_shape)
Softmax = defop("Softmax", infer=_SOFTMAX_RULE)
LogSoftmax = defop("LogSoftmax", infer=_SOFTMAX_RULE)


@Softmax.kernel
def _(xp, x):
    if x.ndim == 0:
        raise ValueError("rank 0")  # the shape rule gives TensorFlow's message
    if x.size == 0:
        return x.copy()
    e = x - x.max(axis=-1, keepdims=True)
    xp.exp(e, out=e)  # in place: one temporary for the whole softmax
    e /= e.sum(axis=-1, keepdims=True)
    return e


@Softmax.gradient
def _(op, dy):
    y = op.outputs[0]
    return [(dy - reduction_ops.reduce_sum(dy * y, -1, keepdims=True)) * y]


@LogSoftmax.kernel
def _(xp, x):
    if x.ndim == 0:
        raise ValueError("rank 0")
    if x.size == 0:
        return x.copy()
    s = x - x.max(axis=-1, keepdims=True)
    s -= xp.log(xp.exp(s).sum(axis=-1, keepdims=True))
    return s


@LogSoftmax.gradient
def _(op, dy):
    y = op.outputs[0]
    return [dy - unary_ops.exp(y) * reduction_ops.reduce_sum(dy, -1, keepdims=True)]


def _along_axis(op, x, axis, name):
    """Applies a last-axis op along `axis` by swapping `axis` with the last one, as TF does."""
    x = as_tensor(x)
    if axis is None or axis == -1:
        return op(x, name=name)
    rank = x.shape.rank
    if rank is None:
        raise NotImplementedError("softmax along a non-last axis needs a known rank")
    axis = int(axis)
    if not -rank <= axis < rank:
        raise _err(
            f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the number of "
            f"dimensions in the input. Received: dim={axis}"
        )
    axis %= rank
    if axis == rank - 1:
        return op(x, name=name)
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    out = op(array_ops.transpose(x, perm))
    return array_ops.transpose(out, perm, name=name)


def softmax(logits, axis=None, name=None):
    """Computes `exp(logits) / reduce_sum(exp(logits), axis)`, stably (the max is subtracted).

    Args:
      logits: A non-empty floating `Tensor`.
      axis: The dimension softmax is computed along; default -1 (the last).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `logits`.

    Raises:
      InvalidArgumentError: if `logits` is a scalar, or `axis` is out of range.
    """
    return _along_axis(Softmax, logits, axis, name)


def log_softmax(logits, axis=None, name=None):
    """Computes `logits - log(reduce_sum(exp(logits), axis))`, stably.

    Args:
      logits: A non-empty floating `Tensor`.
      axis: The dimension to normalize along; default -1 (the last).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `logits`.

    Raises:
      InvalidArgumentError: if `logits` is a scalar, or `axis` is out of range.
    """
    return _along_axis(LogSoftmax, logits, axis, name)


# ------------------------------------------------------------------ BiasAdd


def _bias_dtype(in_dtypes, attrs):
    a, b = in_dtypes
    if a is not b:
        check_same(in_dtypes)
    check_allowed(a, _BIAS_T)
    return a


def _channel_axis(rank, data_format):
    return 1 if data_format == "NCHW" and rank is not None and rank >= 3 else -1


def _bias_check(vshape, bshape, data_format):
    """Raises TensorFlow's BiasAdd errors for (possibly partly unknown) shapes."""
    if vshape.rank is not None and vshape.rank < 2:
        raise _err(f"Input tensor must be at least 2D: {_dims(vshape)}")
    if bshape.rank is not None and bshape.rank != 1:
        raise _err(f"Biases must be 1D: {_dims(bshape)}")
    if vshape.rank is None or bshape.rank is None:
        return
    c = vshape[_channel_axis(vshape.rank, data_format)]
    if c is not None and bshape[0] is not None and c != bshape[0]:
        raise _err(
            "Must provide as many biases as the last dimension of the input tensor: "
            f"{_dims(bshape)} vs. {_dims(vshape)}"
        )


def _dims(s):
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


def _bias_shape(inputs, attrs):
    v, b = inputs
    _bias_check(v.shape, b.shape, attrs.get("data_format", "NHWC"))
    return v.shape


BiasAdd = defop("BiasAdd", infer=Rule(_bias_dtype, _bias_shape))


@BiasAdd.kernel
def _(xp, value, bias, data_format="NHWC"):
    if value.ndim < 2 or bias.ndim != 1:
        raise ValueError("bad BiasAdd shapes")  # the shape rule gives TensorFlow's message
    if data_format == "NCHW" and value.ndim >= 3:
        if value.shape[1] != bias.shape[0]:
            raise ValueError("bias size")
        return value + bias.reshape((-1,) + (1,) * (value.ndim - 2))
    if value.shape[-1] != bias.shape[0]:
        raise ValueError("bias size")
    return value + bias


def _bias_grad_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return TensorShape([None])
    if s.rank < 2:
        raise _err(f"Input tensor must be at least 2D: {_dims(s)}")
    return TensorShape([s[_channel_axis(s.rank, attrs.get("data_format", "NHWC"))]])


BiasAddGrad = defop("BiasAddGrad", infer=Rule(unary(_BIAS_T).dtype, _bias_grad_shape))


@BiasAddGrad.kernel
def _(xp, dy, data_format="NHWC"):
    if dy.ndim < 2:
        raise ValueError("rank")
    axis = 1 if data_format == "NCHW" and dy.ndim >= 3 else dy.ndim - 1
    axes = tuple(i for i in range(dy.ndim) if i != axis)
    return xp.sum(dy, axis=axes, dtype=dy.dtype)


@BiasAdd.gradient
def _(op, dy):
    return [dy, BiasAddGrad(dy, data_format=_attr(op, "data_format", "NHWC"))]


@BiasAddGrad.gradient
def _(op, ddb):
    (dy,) = op.inputs
    fmt = _attr(op, "data_format", "NHWC")
    return [BiasAdd(array_ops.zeros_like(dy), ddb, data_format=fmt)]


def bias_add(value, bias, data_format=None, name=None):
    """Adds a 1-D `bias` along the channel dimension of `value`.

    Args:
      value: A `Tensor` of rank >= 2.
      bias: A 1-D `Tensor` whose size is the channel dimension of `value`, of the same dtype.
      data_format: `None` or a string of the form `N...C` (channels last, the default) or
        `NC...` (channels second).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `value`.

    Raises:
      ValueError: for another `data_format`.
      InvalidArgumentError: if the ranks or sizes do not fit.
    """
    if data_format is None:
        fmt = "NHWC"
    elif data_format.startswith("NC"):
        fmt = "NCHW"
    elif data_format.startswith("N") and data_format.endswith("C"):
        fmt = "NHWC"
    else:
        raise ValueError(
            "`data_format` must be of the form `N...C` or `NC...`. "
            f"Received: data_format={data_format}"
        )
    value = as_tensor(value)
    bias = as_tensor(bias, dtype_hint=value.dtype)
    return BiasAdd(value, bias, data_format=fmt, name=name)


# ------------------------------------------------------------------ dropout


def _check_rate(rate):
    if isinstance(rate, numbers.Real) and not isinstance(rate, bool):
        if not 0 <= rate < 1:
            raise ValueError(
                "`rate` must be a scalar tensor or a float in the range [0, 1). "
                f"Received: rate={rate}"
            )
        return True
    return False


def _noise_shape(x, noise_shape):
    if noise_shape is None:
        return array_ops.shape(x) if not x.shape.is_fully_defined() else x.shape.as_list()
    if isinstance(noise_shape, (list, tuple)) and any(d is None for d in noise_shape):
        dims = x.shape.as_list() if x.shape.rank is not None else None
        if dims is not None and len(dims) == len(noise_shape):
            filled = [dims[i] if d is None else d for i, d in enumerate(noise_shape)]
            if all(d is not None for d in filled):
                return filled
        full = array_ops.shape(x)
        return array_ops.stack(
            [full[i] if d is None else as_tensor(d, dtype=dtypes.int32)
             for i, d in enumerate(noise_shape)]
        )  # fmt: skip
    return noise_shape


def _dropout_with(x, rate, noise_shape, sampler, name):
    x = as_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(
            "`x.dtype` must be a floating point tensor as `x` will be scaled. "
            f"Received: x_dtype={x.dtype!s}"
        )
    is_number = _check_rate(rate)
    if is_number and rate == 0:
        return array_ops.identity(x, name=name)
    if is_number:
        keep_prob = 1 - rate
        scale = 1 / keep_prob
        rate_t = as_tensor(rate, dtype=x.dtype)
    else:
        rate_t = math_ops.cast(as_tensor(rate), x.dtype)
        scale = 1 / (1 - rate_t)
    shape = _noise_shape(x, noise_shape)
    random = sampler(shape, x.dtype)
    keep = math_ops.cast(math_ops.greater_equal(random, rate_t), x.dtype)
    return math_ops.multiply(x * scale, keep, name=name)


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zeroes each element of `x` with probability `rate`, scaling kept ones by `1 / (1 - rate)`.

    The mask comes from a stateful random op, so inside `tf.function` each call draws anew.

    Args:
      x: A floating `Tensor`.
      rate: The drop probability: a Python float in `[0, 1)` or a scalar tensor.
      noise_shape: Optional 1-D shape of the random mask, broadcast against `x` (e.g. `[n, 1]`
        keeps or drops whole rows); `None` entries take `x`'s size.
      seed: Optional Python integer op seed (see `tf.random.set_seed`).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.

    Raises:
      ValueError: if `x` is not floating point or `rate` is a number outside `[0, 1)`.
    """
    from tensorflux._src.ops import random_ops

    def sampler(shape, dtype):
        return random_ops.uniform(shape, dtype=dtype, seed=seed)

    return _dropout_with(x, rate, noise_shape, sampler, name)


def stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None):
    """Like `dropout`, with a mask that is a deterministic function of `seed` (shape [2]).

    Args:
      x: A floating `Tensor`.
      rate: The drop probability in `[0, 1)`.
      seed: An integer tensor of shape [2], the stateless RNG seed.
      rng_alg: The RNG algorithm (as `tf.random.stateless_uniform` takes it).
      noise_shape: Optional 1-D shape of the random mask.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    from tensorflux._src.ops import stateless_random_ops

    def sampler(shape, dtype):
        return stateless_random_ops.stateless_random_uniform(
            shape, seed=seed, dtype=dtype, alg="auto_select" if rng_alg is None else rng_alg
        )

    return _dropout_with(x, rate, noise_shape, sampler, name)


def general_dropout(x, rate, uniform_sampler, noise_shape=None, name=None):
    """Dropout with a caller-supplied sampler `uniform_sampler(shape=..., dtype=...)`.

    Args:
      x: A floating `Tensor`.
      rate: The drop probability in `[0, 1)`.
      uniform_sampler: A callable returning uniform values in `[0, 1)` of a given shape and dtype.
      noise_shape: Optional 1-D shape of the random mask.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return _dropout_with(
        x, rate, noise_shape, lambda shape, dtype: uniform_sampler(shape=shape, dtype=dtype), name
    )


__all__ = [
    "relu", "relu6", "elu", "selu", "leaky_relu", "gelu", "silu", "swish", "crelu", "softmax",
    "log_softmax", "bias_add", "dropout", "stateless_dropout", "general_dropout",
]  # fmt: skip
