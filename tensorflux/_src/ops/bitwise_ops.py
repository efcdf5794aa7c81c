"""Bitwise operations on integer tensors (`tf.bitwise`); none of them has a gradient."""

from __future__ import annotations

from tensorflux._src.core.infer import binary, integer, unary
from tensorflux._src.core.registry import defop, not_differentiable

_INT_T = integer  # int8, int16, int32, int64, uint8, uint16, uint32, uint64: TensorFlow's order

BitwiseAnd = defop("BitwiseAnd", infer=binary(_INT_T))
BitwiseOr = defop("BitwiseOr", infer=binary(_INT_T))
BitwiseXor = defop("BitwiseXor", infer=binary(_INT_T))
Invert = defop("Invert", infer=unary(_INT_T))
LeftShift = defop("LeftShift", infer=binary(_INT_T))
RightShift = defop("RightShift", infer=binary(_INT_T))


@BitwiseAnd.kernel
def _(xp, x, y):
    return xp.bitwise_and(x, y)


@BitwiseOr.kernel
def _(xp, x, y):
    return xp.bitwise_or(x, y)


@BitwiseXor.kernel
def _(xp, x, y):
    return xp.bitwise_xor(x, y)


@Invert.kernel
def _(xp, x):
    return xp.invert(x)


def _shift_amount(xp, x, y):
    # TensorFlow clamps the shift to [0, bits - 1], so out-of-range shifts are well defined.
    bits = 8 * x.dtype.itemsize
    return xp.clip(y, 0, bits - 1).astype(x.dtype)


@LeftShift.kernel
def _(xp, x, y):
    return xp.left_shift(x, _shift_amount(xp, x, y))


@RightShift.kernel
def _(xp, x, y):
    return xp.right_shift(x, _shift_amount(xp, x, y))  # arithmetic for signed types


not_differentiable(BitwiseAnd, BitwiseOr, BitwiseXor, Invert, LeftShift, RightShift)


def bitwise_and(x, y, name=None):
    """Computes the bitwise AND of x and y element-wise, broadcasting.

    Args:
      x: An integer `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return BitwiseAnd(x, y, name=name)


def bitwise_or(x, y, name=None):
    """Computes the bitwise OR of x and y element-wise, broadcasting.

    Args:
      x: An integer `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return BitwiseOr(x, y, name=name)


def bitwise_xor(x, y, name=None):
    """Computes the bitwise XOR of x and y element-wise, broadcasting.

    Args:
      x: An integer `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return BitwiseXor(x, y, name=name)


def invert(x, name=None):
    """Flips every bit of x element-wise (~x; for unsigned types, max - x).

    Args:
      x: An integer `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the shape and dtype of `x`.
    """
    return Invert(x, name=name)


def left_shift(x, y, name=None):
    """Shifts the bits of x left by y element-wise; y is clamped to [0, bit width - 1].

    Args:
      x: An integer `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return LeftShift(x, y, name=name)


def right_shift(x, y, name=None):
    """Shifts the bits of x right by y element-wise (arithmetic for signed types).

    The shift y is clamped to [0, bit width - 1].

    Args:
      x: An integer `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return RightShift(x, y, name=name)
