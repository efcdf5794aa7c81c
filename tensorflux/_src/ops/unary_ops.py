"""Element-wise unary math: powers and roots, exponentials and logarithms, abs/sign,
reciprocals, rounding and float classification. One block per op, then its public function.
"""

from __future__ import annotations

from tensorflux._src.core.infer import float_complex, floating, numeric, unary
from tensorflux._src.core.registry import defop, not_differentiable
from tensorflux._src.ops import array_ops, binary_math_ops, math_ops
from tensorflux._src.ops._elementwise import _ABS_T, _D, _SIGN_T, _int_div_trunc, _unary_op
from tensorflux._src.ops._util import as_tensor


# ------------------------------------------------------------------ square, sqrt, exp, log

Square = defop("Square", infer=unary(numeric))


@Square.kernel
def _(xp, x):
    return xp.square(x)


@Square.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * (2 * math_ops.conj(x))]


def square(x, name=None):
    """Returns x * x element-wise."""
    return Square(x, name=name)


Sqrt = defop("Sqrt", infer=unary(float_complex))


@Sqrt.kernel
def _(xp, x):
    return xp.sqrt(x)


@Sqrt.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy * 0.5 / math_ops.conj(y)]


def sqrt(x, name=None):
    """Returns the square root of x element-wise."""
    return Sqrt(x, name=name)


Exp = defop("Exp", infer=unary(float_complex))


@Exp.kernel
def _(xp, x):
    return xp.exp(x)


@Exp.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy * math_ops.conj(y)]


def exp(x, name=None):
    """Returns e raised to the power x, element-wise."""
    return Exp(x, name=name)


Log = defop("Log", infer=unary(float_complex))


@Log.kernel
def _(xp, x):
    return xp.log(x)


@Log.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy / math_ops.conj(x)]


def log(x, name=None):
    """Returns the natural logarithm of x element-wise."""
    return Log(x, name=name)


# ------------------------------------------------------------------ abs, sign, reciprocals

Abs = _unary_op("Abs", _ABS_T, lambda xp, x: xp.abs(x))


@Abs.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * sign(x)]


def abs(x, name=None):  # noqa: A001 - TensorFlow's public name
    """Computes the absolute value of a tensor element-wise.

    For complex inputs the result is the magnitude `sqrt(re^2 + im^2)`, of the matching real dtype
    (complex64 gives float32, complex128 gives float64).

    Args:
      x: A `Tensor`: floating, int8 to int64, complex64 or complex128.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape as `x`; its dtype is `x`'s, or the real dtype for complex `x`.
    """
    x = as_tensor(x)
    if x.dtype.is_complex:
        from tensorflux._src.ops import complex_ops

        return complex_ops.ComplexAbs(x, Tout=x.dtype.real_dtype, name=name)
    return Abs(x, name=name)


def _sign_kernel(xp, x):
    if x.dtype.kind == "c":
        mag = xp.abs(x)
        return xp.where(mag == 0, 0, x / xp.where(mag == 0, 1, mag)).astype(x.dtype)
    return xp.sign(x)


Sign = _unary_op("Sign", _SIGN_T, _sign_kernel)


@Sign.gradient
def _(op, dy):
    return [array_ops.zeros_like(op.inputs[0])]


def sign(x, name=None):
    """Returns -1, 0 or 1 by the sign of each element (x / |x| for complex, 0 at 0); nan stays nan.

    Args:
      x: A numeric `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Sign(x, name=name)


def _reciprocal_kernel(xp, x):
    if x.dtype.kind in "iu":
        return _int_div_trunc(xp, xp.ones_like(x), x)
    return xp.reciprocal(x)


Reciprocal = _unary_op("Reciprocal", _SIGN_T, _reciprocal_kernel)


@Reciprocal.gradient
def _(op, dy):
    (y,) = op.outputs
    return [math_ops.negative(dy) * square(math_ops.conj(y))]


def reciprocal(x, name=None):
    """Computes 1 / x element-wise.

    Args:
      x: A `Tensor` (floating, complex or signed integer).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Reciprocal(x, name=name)


def reciprocal_no_nan(x, name=None):
    """Computes 1 / x element-wise, giving 0 where x is 0.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    x = as_tensor(x)
    return binary_math_ops.divide_no_nan(array_ops.ones_like(x), x, name=name)


Rsqrt = _unary_op("Rsqrt", float_complex, lambda xp, x: xp.reciprocal(xp.sqrt(x)))


@Rsqrt.gradient
def _(op, dy):
    (y,) = op.outputs
    cy = math_ops.conj(y)
    return [dy * (-0.5 * cy * square(cy))]


def rsqrt(x, name=None):
    """Computes 1 / sqrt(x) element-wise.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Rsqrt(x, name=name)


# ------------------------------------------------------------------ expm1 and log1p

Expm1 = _unary_op("Expm1", float_complex, lambda xp, x: xp.expm1(x))


@Expm1.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * math_ops.conj(exp(x))]


def expm1(x, name=None):
    """Computes exp(x) - 1 element-wise, accurately for small x.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Expm1(x, name=name)


Log1p = _unary_op("Log1p", float_complex, lambda xp, x: xp.log1p(x))


@Log1p.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * reciprocal(math_ops.conj(1 + x))]


def log1p(x, name=None):
    """Computes log(1 + x) element-wise, accurately for small x.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Log1p(x, name=name)


# ------------------------------------------------------------------ rounding

Floor = _unary_op("Floor", floating, lambda xp, x: xp.floor(x))
Ceil = _unary_op("Ceil", floating, lambda xp, x: xp.ceil(x))
Rint = _unary_op("Rint", floating, lambda xp, x: xp.rint(x))


def _round_kernel(xp, x):
    if x.dtype.kind in "iu":
        return x
    return xp.round(x)  # half to even, as TensorFlow's Round


Round = _unary_op("Round", _SIGN_T, _round_kernel)
# TensorFlow's gradients of these return None: the functions are piecewise constant.
not_differentiable(Floor, Ceil, Rint, Round)


def floor(x, name=None):
    """Returns the largest integer not greater than x, element-wise.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Floor(x, name=name)


def ceil(x, name=None):
    """Returns the smallest integer not less than x, element-wise.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Ceil(x, name=name)


def rint(x, name=None):
    """Returns the integer nearest to x, element-wise; halves round to the even integer.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Rint(x, name=name)


def round(x, name=None):  # noqa: A001 - TensorFlow's public name
    """Rounds x to the nearest integer element-wise, halves to even ("banker's rounding").

    Integer tensors are returned unchanged.

    Args:
      x: A floating or integer `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    x = as_tensor(x)
    if x.dtype.is_integer:
        return x
    return Round(x, name=name)


# ------------------------------------------------------------------ classification

IsNan = _unary_op("IsNan", floating, lambda xp, x: xp.isnan(x), out=_D.bool)
IsInf = _unary_op("IsInf", floating, lambda xp, x: xp.isinf(x), out=_D.bool)
IsFinite = _unary_op("IsFinite", floating, lambda xp, x: xp.isfinite(x), out=_D.bool)
not_differentiable(IsNan, IsInf, IsFinite)


def is_nan(x, name=None):
    """Returns which elements of x are NaN.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A bool `Tensor` of the shape of `x`.
    """
    return IsNan(x, name=name)


def is_inf(x, name=None):
    """Returns which elements of x are +inf or -inf.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A bool `Tensor` of the shape of `x`.
    """
    return IsInf(x, name=name)


def is_finite(x, name=None):
    """Returns which elements of x are finite (neither inf nor NaN).

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A bool `Tensor` of the shape of `x`.
    """
    return IsFinite(x, name=name)
