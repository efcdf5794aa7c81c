"""Element-wise activations: sigmoid, softplus, softsign, log_sigmoid."""

from __future__ import annotations

from tensorflux._src.core.infer import float_complex, unary
from tensorflux._src.core.registry import defop
from tensorflux._src.ops import math_ops, unary_ops
from tensorflux._src.ops._elementwise import _NN_T, _unary_op


# ------------------------------------------------------------------ sigmoid

Sigmoid = defop("Sigmoid", infer=unary(float_complex))


@Sigmoid.kernel
def _(xp, x):
    if x.dtype.kind == "c":
        return 1 / (1 + xp.exp(-x))
    # Split by sign so exp never overflows.
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype)


@Sigmoid.gradient
def _(op, dy):
    (y,) = op.outputs
    y = math_ops.conj(y)
    return [dy * y * (1 - y)]


def sigmoid(x, name=None):
    """Returns 1 / (1 + exp(-x)) element-wise."""
    return Sigmoid(x, name=name)


# ------------------------------------------------------------------ softplus and softsign


def _softplus_kernel(xp, x):
    # max(x, 0) + log1p(exp(-|x|)) never overflows.
    return (xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))).astype(x.dtype, copy=False)


Softplus = _unary_op("Softplus", _NN_T, _softplus_kernel)


@Softplus.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * sigmoid(x)]


def softplus(features, name=None):
    """Computes log(exp(features) + 1) element-wise, without overflow for large inputs.

    Args:
      features: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `features`.
    """
    return Softplus(features, name=name)


Softsign = _unary_op("Softsign", _NN_T, lambda xp, x: x / (1 + xp.abs(x)))


@Softsign.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy / unary_ops.square(1 + unary_ops.abs(x))]


def softsign(features, name=None):
    """Computes features / (abs(features) + 1) element-wise.

    Args:
      features: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `features`.
    """
    return Softsign(features, name=name)


def log_sigmoid(x, name=None):
    """Computes log(sigmoid(x)) element-wise as -softplus(-x), which stays finite for large |x|.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return math_ops.negative(softplus(math_ops.negative(x)), name=name)
