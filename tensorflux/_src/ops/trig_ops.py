"""Trigonometric and hyperbolic functions, inverse forms and atan2."""

from __future__ import annotations

from tensorflux._src.core.infer import float_complex, floating, unary
from tensorflux._src.core.registry import defop
from tensorflux._src.ops import math_ops, unary_ops
from tensorflux._src.ops._elementwise import _binary_op, _unary_op


# ------------------------------------------------------------------ sine, cosine, tanh

Sin = defop("Sin", infer=unary(float_complex))


@Sin.kernel
def _(xp, x):
    return xp.sin(x)


@Sin.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(cos(x))]


def sin(x, name=None):
    """Returns the sine of x element-wise."""
    return Sin(x, name=name)


Cos = defop("Cos", infer=unary(float_complex))


@Cos.kernel
def _(xp, x):
    return xp.cos(x)


@Cos.gradient
def _(op, dy):
    (x,) = op.inputs
    return [math_ops.negative(dy) * math_ops.conj(sin(x))]


def cos(x, name=None):
    """Returns the cosine of x element-wise."""
    return Cos(x, name=name)


Tanh = defop("Tanh", infer=unary(float_complex))


@Tanh.kernel
def _(xp, x):
    return xp.tanh(x)


@Tanh.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy * (1 - unary_ops.square(math_ops.conj(y)))]


def tanh(x, name=None):
    """Returns the hyperbolic tangent of x element-wise."""
    return Tanh(x, name=name)


# ------------------------------------------------------------------ tan, inverse forms, hyperbolic

Tan = _unary_op("Tan", float_complex, lambda xp, x: xp.tan(x))


@Tan.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(unary_ops.square(unary_ops.reciprocal(cos(x))))]


Asin = _unary_op("Asin", float_complex, lambda xp, x: xp.arcsin(x))


@Asin.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(unary_ops.reciprocal(unary_ops.sqrt(1 - unary_ops.square(x))))]


Acos = _unary_op("Acos", float_complex, lambda xp, x: xp.arccos(x))


@Acos.gradient
def _(op, dy):
    (x,) = op.inputs
    return [
        math_ops.negative(dy)
        * math_ops.conj(unary_ops.reciprocal(unary_ops.sqrt(1 - unary_ops.square(x))))
    ]


Atan = _unary_op("Atan", float_complex, lambda xp, x: xp.arctan(x))


@Atan.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(unary_ops.reciprocal(1 + unary_ops.square(x)))]


Sinh = _unary_op("Sinh", float_complex, lambda xp, x: xp.sinh(x))


@Sinh.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(cosh(x))]


Cosh = _unary_op("Cosh", float_complex, lambda xp, x: xp.cosh(x))


@Cosh.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(sinh(x))]


Asinh = _unary_op("Asinh", float_complex, lambda xp, x: xp.arcsinh(x))


@Asinh.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy / math_ops.conj(cosh(y))]


Acosh = _unary_op("Acosh", float_complex, lambda xp, x: xp.arccosh(x))


@Acosh.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy / math_ops.conj(sinh(y))]


Atanh = _unary_op("Atanh", float_complex, lambda xp, x: xp.arctanh(x))


@Atanh.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(unary_ops.reciprocal(1 - unary_ops.square(x)))]


def tan(x, name=None):
    """Computes the tangent of x element-wise.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Tan(x, name=name)


def asin(x, name=None):
    """Computes the inverse sine of x element-wise (nan outside [-1, 1] for real x).

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Asin(x, name=name)


def acos(x, name=None):
    """Computes the inverse cosine of x element-wise (nan outside [-1, 1] for real x).

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Acos(x, name=name)


def atan(x, name=None):
    """Computes the inverse tangent of x element-wise.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Atan(x, name=name)


def sinh(x, name=None):
    """Computes the hyperbolic sine of x element-wise.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Sinh(x, name=name)


def cosh(x, name=None):
    """Computes the hyperbolic cosine of x element-wise.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Cosh(x, name=name)


def asinh(x, name=None):
    """Computes the inverse hyperbolic sine of x element-wise.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Asinh(x, name=name)


def acosh(x, name=None):
    """Computes the inverse hyperbolic cosine of x element-wise (nan below 1 for real x).

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Acosh(x, name=name)


def atanh(x, name=None):
    """Computes the inverse hyperbolic tangent of x element-wise (nan outside [-1, 1] for real x).

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Atanh(x, name=name)


Atan2 = _binary_op("Atan2", floating, lambda xp, y, x: xp.arctan2(y, x))


@Atan2.gradient
def _(op, dz):
    y, x = op.inputs
    inv = dz / (unary_ops.square(x) + unary_ops.square(y))
    return [math_ops.unbroadcast(x * inv, y), math_ops.unbroadcast(math_ops.negative(y) * inv, x)]


def atan2(y, x, name=None):
    """Computes the angle of the point (x, y) from the positive x axis, in (-pi, pi], element-wise.

    Args:
      y: A floating `Tensor`.
      x: A `Tensor` of the same dtype as `y`; the two broadcast.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `y`.
    """
    return Atan2(y, x, name=name)
