"""Extended binary element-wise math: pow, integer/floor/truncating division and
modulo, safe division and products, xlogy family, squared difference, nextafter.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import float_complex
from tensorflux._src.core.registry import not_differentiable
from tensorflux._src.ops import array_ops, math_ops, unary_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.ops._elementwise import (
    _D,
    _DIV_T,
    _FLOORMOD_T,
    _NO_NAN_T,
    _POW_T,
    _SQDIFF_T,
    _TRUNCMOD_T,
    _XLOGY_T,
    _binary_op,
    _int_div_trunc,
    _zero_div_error,
)


# ------------------------------------------------------------------ powers and integer division


def _pow_kernel(xp, x, y):
    if x.dtype.kind in "iu":
        if bool(xp.any(y < 0)):
            raise InvalidArgumentError(
                None, None, "Integers to negative integer powers are not allowed"
            )
    return xp.power(x, y)


Pow = _binary_op("Pow", _POW_T, _pow_kernel)


@Pow.gradient
def _(op, dz):
    x, y = op.inputs
    (z,) = op.outputs
    gx = dz * math_ops.conj(y * pow(x, y - array_ops.ones_like(y)))
    if x.dtype.is_complex:
        mask = math_ops.not_equal(x, array_ops.zeros_like(x))
    else:
        mask = math_ops.greater(x, array_ops.zeros_like(x))
    safe_x = array_ops.where(mask, x, array_ops.ones_like(x))
    log_x = array_ops.where(mask, unary_ops.log(safe_x), array_ops.zeros_like(x))
    gy = dz * math_ops.conj(z * log_x)
    return [math_ops.unbroadcast(gx, x), math_ops.unbroadcast(gy, y)]


def pow(x, y, name=None):  # noqa: A001 - TensorFlow's public name
    """Computes x raised to the power y element-wise, broadcasting.

    Args:
      x: A `Tensor` (floating, complex or signed integer).
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.

    Raises:
      InvalidArgumentError: for integer inputs with a negative exponent.
    """
    return Pow(x, y, name=name)


def _floordiv_kernel(xp, x, y):
    if x.dtype.kind == "c":
        from tensorflux._src.core.errors import NotFoundError

        raise NotFoundError(None, None, f"No FloorDiv kernel for {x.dtype}")
    if x.dtype.kind in "iu":
        _zero_div_error(xp, y)
        return xp.floor_divide(x, y)
    return xp.floor(x / y)


FloorDiv = _binary_op("FloorDiv", _DIV_T, _floordiv_kernel)
not_differentiable(FloorDiv)  # TensorFlow's gradient is None for both inputs


def floordiv(x, y, name=None):
    """Divides x by y element-wise, rounding toward negative infinity (Python's `//`).

    Args:
      x: A real numeric `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.

    Raises:
      InvalidArgumentError: for integer inputs when y has a zero.
    """
    return FloorDiv(x, y, name=name)


def floor_div(x, y, name=None):
    """Same as `floordiv`: x // y element-wise."""
    return FloorDiv(x, y, name=name)


def _floormod_kernel(xp, x, y):
    _zero_div_error(xp, y)
    return xp.remainder(x, y)  # the result takes the sign of y, as Python's %


FloorMod = _binary_op("FloorMod", _FLOORMOD_T, _floormod_kernel)


@FloorMod.gradient
def _(op, dz):
    x, y = op.inputs
    return [
        math_ops.unbroadcast(dz, x),
        math_ops.unbroadcast(dz * math_ops.negative(floordiv(x, y)), y),
    ]


def floormod(x, y, name=None):
    """Computes the remainder of floor division, x - floor(x / y) * y, element-wise (Python's `%`).

    Args:
      x: A real numeric `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.

    Raises:
      InvalidArgumentError: for integer inputs when y has a zero.
    """
    return FloorMod(x, y, name=name)


mod = floormod

_TRUNC_ZERO = "Unexpected error in binary operator (only integer div and mod should have errors)"


def _truncdiv_kernel(xp, x, y):
    if x.dtype.kind in "iu":
        from tensorflux._src.core.errors import InternalError

        _zero_div_error(xp, y, InternalError, _TRUNC_ZERO)
        return _int_div_trunc(xp, x, y)
    return xp.trunc(x / y)


def _truncmod_kernel(xp, x, y):
    if x.dtype.kind in "iu":
        from tensorflux._src.core.errors import InternalError

        _zero_div_error(xp, y, InternalError, _TRUNC_ZERO)
    return xp.fmod(x, y)


TruncateDiv = _binary_op("TruncateDiv", _DIV_T, _truncdiv_kernel)
TruncateMod = _binary_op("TruncateMod", _TRUNCMOD_T, _truncmod_kernel)
not_differentiable(TruncateDiv)


@TruncateMod.gradient
def _(op, dz):
    # TensorFlow registers none; this is the derivative of x - trunc(x / y) * y.
    x, y = op.inputs
    return [
        math_ops.unbroadcast(dz, x),
        math_ops.unbroadcast(dz * math_ops.negative(truncatediv(x, y)), y),
    ]


def truncatediv(x, y, name=None):
    """Divides x by y element-wise, rounding toward zero (C's integer division).

    Args:
      x: A real numeric `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return TruncateDiv(x, y, name=name)


def truncatemod(x, y, name=None):
    """Computes the remainder of truncating division element-wise; it takes the sign of x.

    Args:
      x: A `Tensor` (int32, int64 or floating).
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return TruncateMod(x, y, name=name)


def realdiv(x, y, name=None):
    """Divides real or complex x by y element-wise (no integer-to-float conversion).

    Args:
      x: A `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return math_ops.RealDiv(x, y, name=name)


# ------------------------------------------------------------------ safe division and products


def _div_no_nan_kernel(xp, x, y):
    return xp.where(y == 0, xp.zeros((), x.dtype), x / y).astype(x.dtype, copy=False)


DivNoNan = _binary_op("DivNoNan", _NO_NAN_T, _div_no_nan_kernel, quiet=True)


@DivNoNan.gradient
def _(op, dz):
    x, y = op.inputs
    cx, cy = math_ops.conj(x), math_ops.conj(y)
    return [
        math_ops.unbroadcast(divide_no_nan(dz, cy), x),
        math_ops.unbroadcast(dz * divide_no_nan(divide_no_nan(math_ops.negative(cx), cy), cy), y),
    ]


def divide_no_nan(x, y, name=None):
    """Computes x / y element-wise, giving 0 wherever y is 0 (even if x is 0, inf or nan).

    Integer inputs are cast to floats first, as `tf.math.truediv` does.

    Args:
      x: A `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape.
    """
    x = as_tensor(x)
    y = as_tensor(y, dtype_hint=x.dtype)
    if x.dtype is not y.dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype!r} != {y.dtype!r}.")
    if x.dtype.is_integer:
        to = dtypes.float32 if x.dtype.size <= 2 else dtypes.float64
        x, y = math_ops.cast(x, to), math_ops.cast(y, to)
    return DivNoNan(x, y, name=name)


def _mul_no_nan_kernel(xp, x, y):
    return xp.where(y == 0, xp.zeros((), x.dtype), x * y).astype(x.dtype, copy=False)


MulNoNan = _binary_op("MulNoNan", float_complex, _mul_no_nan_kernel, quiet=True)


@MulNoNan.gradient
def _(op, dz):
    x, y = op.inputs
    return [
        math_ops.unbroadcast(multiply_no_nan(dz, math_ops.conj(y)), x),
        math_ops.unbroadcast(multiply_no_nan(math_ops.conj(x), dz), y),
    ]


def multiply_no_nan(x, y, name=None):
    """Computes x * y element-wise, giving 0 wherever y is 0 (even if x is inf or nan).

    Args:
      x: A floating or complex `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return MulNoNan(x, y, name=name)


def _x_times(f):
    def kernel(xp, x, y):
        return xp.where(x == 0, xp.zeros((), x.dtype), f(xp, x, y)).astype(x.dtype, copy=False)

    return kernel


Xlogy = _binary_op("Xlogy", _XLOGY_T, _x_times(lambda xp, x, y: x * xp.log(y)), quiet=True)
Xlog1py = _binary_op("Xlog1py", _XLOGY_T, _x_times(lambda xp, x, y: x * xp.log1p(y)), quiet=True)
Xdivy = _binary_op("Xdivy", _XLOGY_T, _x_times(lambda xp, x, y: x / y), quiet=True)


def _nonzero(x):
    return math_ops.cast(math_ops.not_equal(x, array_ops.zeros_like(x)), x.dtype)


@Xlogy.gradient
def _(op, dz):
    x, y = op.inputs
    return [
        math_ops.unbroadcast(xlogy(_nonzero(x), y) * dz, x),
        math_ops.unbroadcast(xdivy(x, y) * dz, y),
    ]


@Xlog1py.gradient
def _(op, dz):
    x, y = op.inputs
    return [
        math_ops.unbroadcast(xlog1py(_nonzero(x), y) * dz, x),
        math_ops.unbroadcast(xdivy(x, y + 1) * dz, y),
    ]


@Xdivy.gradient
def _(op, dz):
    x, y = op.inputs
    return [
        math_ops.unbroadcast(xdivy(_nonzero(x), y) * dz, x),
        math_ops.unbroadcast(xdivy(math_ops.negative(x), unary_ops.square(y)) * dz, y),
    ]


def xlogy(x, y, name=None):
    """Computes x * log(y) element-wise, giving 0 wherever x is 0 (even where log(y) is -inf).

    Args:
      x: A floating or complex `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return Xlogy(x, y, name=name)


def xlog1py(x, y, name=None):
    """Computes x * log1p(y) element-wise, giving 0 wherever x is 0.

    Args:
      x: A floating or complex `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return Xlog1py(x, y, name=name)


def xdivy(x, y, name=None):
    """Computes x / y element-wise, giving 0 wherever x is 0 (even where y is 0).

    Args:
      x: A floating or complex `Tensor`.
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return Xdivy(x, y, name=name)


def _sqdiff_kernel(xp, x, y):
    d = x - y
    return d * xp.conj(d) if d.dtype.kind == "c" else d * d


SquaredDifference = _binary_op("SquaredDifference", _SQDIFF_T, _sqdiff_kernel)


@SquaredDifference.gradient
def _(op, dz):
    x, y = op.inputs
    gx = (2 * dz) * (x - y)
    return [math_ops.unbroadcast(gx, x), math_ops.unbroadcast(math_ops.negative(gx), y)]


def squared_difference(x, y, name=None):
    """Computes (x - y) * conj(x - y) element-wise, broadcasting.

    Args:
      x: A `Tensor` (floating, int32, int64 or complex).
      y: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return SquaredDifference(x, y, name=name)


def scalar_mul(scalar, x, name=None):
    """Multiplies every element of x by a scalar.

    Args:
      scalar: A 0-D value, converted to `x`'s dtype.
      x: A `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the shape and dtype of `x`.

    Raises:
      ValueError: if `scalar` is not 0-D.
    """
    x = as_tensor(x)
    scalar = as_tensor(scalar, dtype=x.dtype)
    if scalar.shape.rank != 0:
        raise ValueError(f"The input scalar must be a 0-D value. Received shape {scalar.shape}.")
    return math_ops.multiply(scalar, x, name=name)


NextAfter = _binary_op("NextAfter", (_D.float64, _D.float32), lambda xp, a, b: xp.nextafter(a, b))


@NextAfter.gradient
def _(op, dz):
    x1, x2 = op.inputs
    return [math_ops.unbroadcast(dz, x1), array_ops.zeros_like(x2)]


def nextafter(x1, x2, name=None):
    """Returns the next representable value after x1 in the direction of x2, element-wise.

    Args:
      x1: A float32 or float64 `Tensor`.
      x2: A `Tensor` of the same dtype as `x1`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x1`.
    """
    return NextAfter(x1, x2, name=name)
