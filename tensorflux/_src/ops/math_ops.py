"""Elementwise arithmetic: one block per op (rule, kernel, gradient), then its public function."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import (
    binary,
    bool_,
    check_allowed,
    compare,
    float_complex,
    floating,
    nary_same,
    numeric,
    real_numeric,
    unary,
    any_,
)
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.ops import array_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.tensor import Tensor


def unbroadcast(grad, x):
    """Sums `grad` down to the shape of `x`, which was broadcast to it (broadcasting's gradient)."""
    gs, xs = grad.shape, x.shape
    if gs.is_fully_defined() and xs.is_fully_defined():
        g, s = gs.as_list(), xs.as_list()
        if g == s:
            return grad
        lead = len(g) - len(s)
        kept = [lead + i for i, d in enumerate(s) if d == 1 and g[lead + i] != 1]
        axes = list(range(lead)) + kept
        if axes:
            grad = reduction_ops.reduce_sum(grad, axes)
        return array_ops.reshape(grad, s)
    rx, _ = array_ops.broadcast_gradient_args(array_ops.shape(x), array_ops.shape(grad))
    return array_ops.reshape(reduction_ops.reduce_sum(grad, rx), array_ops.shape(x))


# ------------------------------------------------------------------ binary arithmetic

AddV2 = defop("AddV2", infer=binary(numeric + (dtypes.string,)))


@AddV2.kernel
def _(xp, x, y):
    return xp.add(x, y)


@AddV2.gradient
def _(op, dy):
    x, y = op.inputs
    return [unbroadcast(dy, x), unbroadcast(dy, y)]


def add(x, y, name=None):
    """Returns x + y element-wise, broadcasting; both must have the same dtype.

    >>> tf.add(tf.constant([1, 2]), 3)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([4, 5], dtype=int32)>
    """
    return AddV2(x, y, name=name)


Sub = defop("Sub", infer=binary(numeric))


@Sub.kernel
def _(xp, x, y):
    return xp.subtract(x, y)


@Sub.gradient
def _(op, dy):
    x, y = op.inputs
    return [unbroadcast(dy, x), unbroadcast(negative(dy), y)]


def subtract(x, y, name=None):
    """Returns x - y element-wise, broadcasting."""
    return Sub(x, y, name=name)


Mul = defop("Mul", infer=binary(numeric))


@Mul.kernel
def _(xp, x, y):
    return xp.multiply(x, y)


@Mul.gradient
def _(op, dy):
    x, y = op.inputs
    return [unbroadcast(dy * conj(y), x), unbroadcast(conj(x) * dy, y)]


def multiply(x, y, name=None):
    """Returns x * y element-wise, broadcasting."""
    return Mul(x, y, name=name)


RealDiv = defop("RealDiv", infer=binary(numeric))


@RealDiv.kernel
def _(xp, x, y):
    if x.dtype.kind in "iu":
        return _int_div_trunc(xp, x, y)
    return xp.true_divide(x, y)


def _int_div_trunc(xp, x, y):
    if xp.any(y == 0):
        raise InvalidArgumentError(None, None, "Integer division by zero")
    q = xp.abs(x) // xp.abs(y)
    return xp.where((x < 0) ^ (y < 0), -q, q).astype(x.dtype)


@RealDiv.gradient
def _(op, dy):
    x, y = op.inputs
    cy = conj(y)
    return [unbroadcast(dy / cy, x), unbroadcast(negative(dy) * conj(x) / (cy * cy), y)]


def divide(x, y, name=None):
    """Returns x / y element-wise; integer inputs are divided as floats (like Python 3)."""
    return truediv(x, y, name=name)


def truediv(x, y, name=None):
    """Divides x / y, casting integers to floats first (int8/16 to float32, int32/64 to float64)."""
    x = as_tensor(x)
    y = as_tensor(y, dtype_hint=x.dtype)
    if x.dtype is not y.dtype:
        raise TypeError(f"`x` and `y` must have the same dtype, got {x.dtype!r} != {y.dtype!r}.")
    if x.dtype.is_integer:
        to = dtypes.float32 if x.dtype.size <= 2 else dtypes.float64
        x, y = cast(x, to), cast(y, to)
    return RealDiv(x, y, name=name)


Maximum = defop("Maximum", infer=binary(real_numeric))


@Maximum.kernel
def _(xp, x, y):
    return xp.maximum(x, y)


@Maximum.gradient
def _(op, dy):
    x, y = op.inputs
    mask = greater_equal(x, y)
    zeros = array_ops.zeros_like(dy)
    return [
        unbroadcast(array_ops.where(mask, dy, zeros), x),
        unbroadcast(array_ops.where(mask, zeros, dy), y),
    ]


def maximum(x, y, name=None):
    """Returns the element-wise maximum of x and y, broadcasting."""
    return Maximum(x, y, name=name)


Minimum = defop("Minimum", infer=binary(real_numeric))


@Minimum.kernel
def _(xp, x, y):
    return xp.minimum(x, y)


@Minimum.gradient
def _(op, dy):
    x, y = op.inputs
    mask = less_equal(x, y)
    zeros = array_ops.zeros_like(dy)
    return [
        unbroadcast(array_ops.where(mask, dy, zeros), x),
        unbroadcast(array_ops.where(mask, zeros, dy), y),
    ]


def minimum(x, y, name=None):
    """Returns the element-wise minimum of x and y, broadcasting."""
    return Minimum(x, y, name=name)


# ------------------------------------------------------------------ unary arithmetic

Neg = defop("Neg", infer=unary(numeric))


@Neg.kernel
def _(xp, x):
    return xp.negative(x)


@Neg.gradient
def _(op, dy):
    return [negative(dy)]


def negative(x, name=None):
    """Returns -x element-wise."""
    return Neg(x, name=name)


Square = defop("Square", infer=unary(numeric))


@Square.kernel
def _(xp, x):
    return xp.square(x)


@Square.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * (2 * conj(x))]


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
    return [dy * 0.5 / conj(y)]


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
    return [dy * conj(y)]


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
    return [dy / conj(x)]


def log(x, name=None):
    """Returns the natural logarithm of x element-wise."""
    return Log(x, name=name)


Sin = defop("Sin", infer=unary(float_complex))


@Sin.kernel
def _(xp, x):
    return xp.sin(x)


@Sin.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(cos(x))]


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
    return [negative(dy) * conj(sin(x))]


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
    return [dy * (1 - square(conj(y)))]


def tanh(x, name=None):
    """Returns the hyperbolic tangent of x element-wise."""
    return Tanh(x, name=name)


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
    y = conj(y)
    return [dy * y * (1 - y)]


def sigmoid(x, name=None):
    """Returns 1 / (1 + exp(-x)) element-wise."""
    return Sigmoid(x, name=name)


Conj = defop("Conj", infer=unary(numeric + (dtypes.variant,)))


@Conj.kernel
def _(xp, x):
    return xp.conj(x) if x.dtype.kind == "c" else x


@Conj.gradient
def _(op, dy):
    return [conj(dy)]


def conj(x, name=None):
    """Returns the complex conjugate of x; real tensors are returned unchanged."""
    x = as_tensor(x)
    if not x.dtype.is_complex:
        return x
    return Conj(x, name=name)


# ------------------------------------------------------------------ comparison and logic


def _cmp(name, fn_name, allowed):
    op = defop(name, infer=compare(allowed))
    kernel = getattr(np, fn_name).__name__

    @op.kernel
    def _(xp, x, y):
        return getattr(xp, kernel)(x, y)

    not_differentiable(op)
    return op


Less = _cmp("Less", "less", real_numeric)
LessEqual = _cmp("LessEqual", "less_equal", real_numeric)
Greater = _cmp("Greater", "greater", real_numeric)
GreaterEqual = _cmp("GreaterEqual", "greater_equal", real_numeric)


def less(x, y, name=None):
    """Returns the truth value of x < y element-wise."""
    return Less(x, y, name=name)


def less_equal(x, y, name=None):
    """Returns the truth value of x <= y element-wise."""
    return LessEqual(x, y, name=name)


def greater(x, y, name=None):
    """Returns the truth value of x > y element-wise."""
    return Greater(x, y, name=name)


def greater_equal(x, y, name=None):
    """Returns the truth value of x >= y element-wise."""
    return GreaterEqual(x, y, name=name)


def _equal_rule():
    base = compare(any_)

    def shape(inputs, attrs):
        try:
            return base.shape(inputs, attrs)
        except ValueError:
            if attrs.get("incompatible_shape_error", True):
                raise
            return inputs[0].shape.__class__(None)

    return Rule(base.dtype, shape)


Equal = defop("Equal", infer=_equal_rule())
NotEqual = defop("NotEqual", infer=_equal_rule())


@Equal.kernel
def _(xp, x, y, incompatible_shape_error=True):
    return _eq(xp, x, y, incompatible_shape_error, xp.equal)


@NotEqual.kernel
def _(xp, x, y, incompatible_shape_error=True):
    return _eq(xp, x, y, incompatible_shape_error, xp.not_equal)


def _eq(xp, x, y, strict, fn):
    if not strict:
        try:
            xp.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            return xp.asarray(fn is xp.not_equal)
    return fn(x, y)


not_differentiable(Equal, NotEqual)


def equal(x, y, name=None):
    """Returns the truth value of x == y element-wise, broadcasting."""
    return Equal(x, y, name=name)


def not_equal(x, y, name=None):
    """Returns the truth value of x != y element-wise, broadcasting."""
    return NotEqual(x, y, name=name)


LogicalAnd = defop("LogicalAnd", infer=binary(bool_))
LogicalOr = defop("LogicalOr", infer=binary(bool_))
LogicalNot = defop("LogicalNot", infer=unary(bool_))


@LogicalAnd.kernel
def _(xp, x, y):
    return xp.logical_and(x, y)


@LogicalOr.kernel
def _(xp, x, y):
    return xp.logical_or(x, y)


@LogicalNot.kernel
def _(xp, x):
    return xp.logical_not(x)


not_differentiable(LogicalAnd, LogicalOr, LogicalNot)


def logical_and(x, y, name=None):
    """Returns x AND y element-wise (bool tensors)."""
    return LogicalAnd(x, y, name=name)


def logical_or(x, y, name=None):
    """Returns x OR y element-wise (bool tensors)."""
    return LogicalOr(x, y, name=name)


def logical_not(x, name=None):
    """Returns NOT x element-wise (a bool tensor)."""
    return LogicalNot(x, name=name)


def logical_xor(x, y, name="LogicalXor"):
    """Returns x XOR y element-wise: (x | y) & ~(x & y)."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


# ------------------------------------------------------------------ casts and sums


def _cast_dtype(in_dtypes, attrs):
    return attrs["DstT"]


Cast = defop("Cast", infer=Rule(_cast_dtype, lambda inputs, attrs: inputs[0].shape))


@Cast.kernel
def _(xp, x, DstT, Truncate=False):
    np_t = DstT.as_numpy_dtype
    if x.dtype.kind == "c" and DstT.is_complex is False:
        x = x.real
    if DstT is dtypes.bool:
        return x != 0
    if DstT.is_integer and x.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            return xp.trunc(x).astype(np_t)
    return x.astype(np_t)


@Cast.gradient
def _(op, dy):
    (x,) = op.inputs
    src = x.dtype
    if (src.is_floating or src.is_complex) and (dy.dtype.is_floating or dy.dtype.is_complex):
        return [cast(dy, src)]
    return [None]


def cast(x, dtype, name=None):
    """Casts x to `dtype`.

    Floats cast to integers truncate toward zero; complex to real keeps the real part.

    >>> tf.cast(tf.constant([1.7, -1.7]), tf.int32)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([ 1, -1], dtype=int32)>
    """
    dtype = dtypes.as_dtype(dtype)
    if getattr(x, "_is_variable", False):
        x = x.value()
    x = as_tensor(x)
    if x.dtype is dtype:
        return x
    if x.dtype is dtypes.string or dtype is dtypes.string:
        raise NotImplementedError(
            f"Cast from {x.dtype.name} to {dtype.name} is not supported [Op:Cast]"
        )
    return Cast(x, DstT=dtype, name=name)


AddN = defop("AddN", infer=nary_same(numeric + (dtypes.variant,)))


@AddN.kernel
def _(xp, *xs):
    out = xs[0].copy() if hasattr(xs[0], "copy") else xs[0]
    for x in xs[1:]:
        out = out + x
    return out


@AddN.gradient
def _(op, dy):
    return [dy] * len(op.inputs)


def add_n(inputs, name=None):
    """Adds a list of tensors of the same shape and dtype element-wise."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError(
            "inputs must be a list of at least one Tensor/IndexedSlices with the same dtype "
            "and shape"
        )
    inputs = [x if isinstance(x, Tensor) else as_tensor(x) for x in inputs]
    if len(inputs) == 1:
        return array_ops.identity(inputs[0], name=name)
    return AddN(*inputs, name=name)


def _check_float(x, allowed=floating):
    check_allowed(x.dtype, allowed)


# ================================================================== element-wise math, extended
# Allowed-dtype lists follow each op's TensorFlow definition, in its order (errors print them).

_D = dtypes
_ABS_T = floating + (_D.int8, _D.int16, _D.int32, _D.int64)
_SIGN_T = _ABS_T + (_D.complex64, _D.complex128)
_POW_T = (
    _D.bfloat16,
    _D.float32,
    _D.float16,
    _D.float64,
    _D.int8,
    _D.int16,
    _D.int32,
    _D.int64,
    _D.complex64,
    _D.complex128,
)
_DIV_T = floating + (
    _D.uint8,
    _D.int8,
    _D.uint16,
    _D.int16,
    _D.int32,
    _D.uint32,
    _D.uint64,
    _D.int64,
    _D.complex64,
    _D.complex128,
)
_FLOORMOD_T = (
    _D.int8,
    _D.int16,
    _D.int32,
    _D.int64,
    _D.uint8,
    _D.uint16,
    _D.uint32,
    _D.uint64,
) + floating
_TRUNCMOD_T = (_D.int32, _D.int64) + floating
_NO_NAN_T = (_D.float16, _D.float32, _D.bfloat16, _D.float64, _D.complex64, _D.complex128)
_XLOGY_T = (_D.float16, _D.bfloat16, _D.float32, _D.float64, _D.complex64, _D.complex128)
_SQDIFF_T = floating + (_D.int32, _D.int64, _D.complex64, _D.complex128)
_NN_T = (_D.float16, _D.bfloat16, _D.float32, _D.float64)


def _quiet(fn):
    """Wraps a kernel so NumPy's warnings stay quiet (np.errstate costs a few microseconds)."""

    def kernel(xp, *arrays, **attrs):
        with np.errstate(all="ignore"):
            return fn(xp, *arrays, **attrs)

    return kernel


def _unary_op(name, allowed, fn, out=None):
    """Declares a one-input op whose kernel is `fn(xp, x)`; gradients are registered beside it."""
    op = defop(name, infer=unary(allowed, out))
    op.kernel(fn)
    return op


def _binary_op(name, allowed, fn, out=None, quiet=False):
    """Declares a two-input broadcasting op; `quiet` kernels compute a branch they then discard."""
    op = defop(name, infer=binary(allowed, out))
    op.kernel(_quiet(fn) if quiet else fn)
    return op


def _zero_div_error(xp, y, cls=InvalidArgumentError, msg="Integer division by zero"):
    if y.dtype.kind in "iu" and bool(xp.any(y == 0)):
        raise cls(None, None, msg)


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
    return [negative(dy) * square(conj(y))]


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
    return divide_no_nan(array_ops.ones_like(x), x, name=name)


Rsqrt = _unary_op("Rsqrt", float_complex, lambda xp, x: xp.reciprocal(xp.sqrt(x)))


@Rsqrt.gradient
def _(op, dy):
    (y,) = op.outputs
    cy = conj(y)
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


# ------------------------------------------------------------------ exponentials and logarithms

Expm1 = _unary_op("Expm1", float_complex, lambda xp, x: xp.expm1(x))


@Expm1.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(exp(x))]


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
    return [dy * reciprocal(conj(1 + x))]


def log1p(x, name=None):
    """Computes log(1 + x) element-wise, accurately for small x.

    Args:
      x: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Log1p(x, name=name)


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
    return [dy / square(1 + abs(x))]


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
    return negative(softplus(negative(x)), name=name)


# ------------------------------------------------------------------ trigonometric and hyperbolic

Tan = _unary_op("Tan", float_complex, lambda xp, x: xp.tan(x))


@Tan.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(square(reciprocal(cos(x))))]


Asin = _unary_op("Asin", float_complex, lambda xp, x: xp.arcsin(x))


@Asin.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(reciprocal(sqrt(1 - square(x))))]


Acos = _unary_op("Acos", float_complex, lambda xp, x: xp.arccos(x))


@Acos.gradient
def _(op, dy):
    (x,) = op.inputs
    return [negative(dy) * conj(reciprocal(sqrt(1 - square(x))))]


Atan = _unary_op("Atan", float_complex, lambda xp, x: xp.arctan(x))


@Atan.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(reciprocal(1 + square(x)))]


Sinh = _unary_op("Sinh", float_complex, lambda xp, x: xp.sinh(x))


@Sinh.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(cosh(x))]


Cosh = _unary_op("Cosh", float_complex, lambda xp, x: xp.cosh(x))


@Cosh.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(sinh(x))]


Asinh = _unary_op("Asinh", float_complex, lambda xp, x: xp.arcsinh(x))


@Asinh.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy / conj(cosh(y))]


Acosh = _unary_op("Acosh", float_complex, lambda xp, x: xp.arccosh(x))


@Acosh.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy / conj(sinh(y))]


Atanh = _unary_op("Atanh", float_complex, lambda xp, x: xp.arctanh(x))


@Atanh.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * conj(reciprocal(1 - square(x)))]


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
    inv = dz / (square(x) + square(y))
    return [unbroadcast(x * inv, y), unbroadcast(negative(y) * inv, x)]


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
    gx = dz * conj(y * pow(x, y - array_ops.ones_like(y)))
    if x.dtype.is_complex:
        mask = not_equal(x, array_ops.zeros_like(x))
    else:
        mask = greater(x, array_ops.zeros_like(x))
    safe_x = array_ops.where(mask, x, array_ops.ones_like(x))
    log_x = array_ops.where(mask, log(safe_x), array_ops.zeros_like(x))
    gy = dz * conj(z * log_x)
    return [unbroadcast(gx, x), unbroadcast(gy, y)]


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
    return [unbroadcast(dz, x), unbroadcast(dz * negative(floordiv(x, y)), y)]


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
    return [unbroadcast(dz, x), unbroadcast(dz * negative(truncatediv(x, y)), y)]


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
    return RealDiv(x, y, name=name)


# ------------------------------------------------------------------ safe division and products


def _div_no_nan_kernel(xp, x, y):
    return xp.where(y == 0, xp.zeros((), x.dtype), x / y).astype(x.dtype, copy=False)


DivNoNan = _binary_op("DivNoNan", _NO_NAN_T, _div_no_nan_kernel, quiet=True)


@DivNoNan.gradient
def _(op, dz):
    x, y = op.inputs
    cx, cy = conj(x), conj(y)
    return [
        unbroadcast(divide_no_nan(dz, cy), x),
        unbroadcast(dz * divide_no_nan(divide_no_nan(negative(cx), cy), cy), y),
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
        x, y = cast(x, to), cast(y, to)
    return DivNoNan(x, y, name=name)


def _mul_no_nan_kernel(xp, x, y):
    return xp.where(y == 0, xp.zeros((), x.dtype), x * y).astype(x.dtype, copy=False)


MulNoNan = _binary_op("MulNoNan", float_complex, _mul_no_nan_kernel, quiet=True)


@MulNoNan.gradient
def _(op, dz):
    x, y = op.inputs
    return [
        unbroadcast(multiply_no_nan(dz, conj(y)), x),
        unbroadcast(multiply_no_nan(conj(x), dz), y),
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
    return cast(not_equal(x, array_ops.zeros_like(x)), x.dtype)


@Xlogy.gradient
def _(op, dz):
    x, y = op.inputs
    return [unbroadcast(xlogy(_nonzero(x), y) * dz, x), unbroadcast(xdivy(x, y) * dz, y)]


@Xlog1py.gradient
def _(op, dz):
    x, y = op.inputs
    return [unbroadcast(xlog1py(_nonzero(x), y) * dz, x), unbroadcast(xdivy(x, y + 1) * dz, y)]


@Xdivy.gradient
def _(op, dz):
    x, y = op.inputs
    return [
        unbroadcast(xdivy(_nonzero(x), y) * dz, x),
        unbroadcast(xdivy(negative(x), square(y)) * dz, y),
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
    return [unbroadcast(gx, x), unbroadcast(negative(gx), y)]


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
    return multiply(scalar, x, name=name)


NextAfter = _binary_op("NextAfter", (_D.float64, _D.float32), lambda xp, a, b: xp.nextafter(a, b))


@NextAfter.gradient
def _(op, dz):
    x1, x2 = op.inputs
    return [unbroadcast(dz, x1), array_ops.zeros_like(x2)]


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


# ------------------------------------------------------------------ saturating cast and bitcast


def _clip_limits(src, dst):
    """Bounds, as `src` values, that keep every value of `src` inside `dst`'s range after a cast."""
    src_np = np.dtype(src.as_numpy_dtype)
    lo, hi = dst.real_dtype.min, dst.real_dtype.max
    if src.is_integer:
        info = np.iinfo(src_np)
        lo_v = max(int(info.min), int(np.ceil(float(lo))) if not dst.is_integer else int(lo))
        hi_v = min(int(info.max), int(np.floor(float(hi))) if not dst.is_integer else int(hi))
        return np.array(lo_v, src_np), np.array(hi_v, src_np)
    # Floating source: the nearest src values inside [lo, hi] (rounding may have pushed them out).
    with np.errstate(all="ignore"):
        lo_v = np.array(max(float(lo), float(src.min)), src_np)
        hi_v = np.array(min(float(hi), float(src.max)), src_np)
        if float(lo_v) < float(lo):
            lo_v = np.nextafter(lo_v, np.array(0, src_np))
        if float(hi_v) > float(hi):
            hi_v = np.nextafter(hi_v, np.array(0, src_np))
    if dst.is_integer and float(hi_v) >= 2.0 ** (8 * dst.size - (0 if dst.is_unsigned else 1)):
        hi_v = np.nextafter(hi_v, np.array(0, src_np))
    return lo_v, hi_v


def saturate_cast(value, dtype, name=None):
    """Casts `value` to `dtype`, clamping values outside `dtype`'s range to its limits.

    Unlike `tf.cast`, large values do not wrap around: casting 300.0 to uint8 gives 255. Complex
    values cast to a real dtype keep their real part; NaN cast to an integer gives 0.

    Args:
      value: A `Tensor`.
      dtype: The destination `DType`.
      name: A name for the operation (optional).

    Returns:
      `value` cast to `dtype`, saturating.

    Raises:
      TypeError: for bool inputs or a bool destination (they have no numeric range).
    """
    dtype = dtypes.as_dtype(dtype)
    value = as_tensor(value)
    src = value.dtype
    for t in (src, dtype):
        if t is dtypes.bool:
            raise TypeError(f"Cannot find minimum value of {t} with type {t}.")
    if src.is_complex and not dtype.is_complex:
        value = real(value)
        src = value.dtype
    if src.is_complex:
        if dtype.real_dtype.size < src.real_dtype.size:
            lo, hi = _clip_limits(src.real_dtype, dtype.real_dtype)
            value = complex(_clip(real(value), lo, hi), _clip(imag(value), lo, hi))
        return cast(value, dtype, name=name)
    widening = dtype.is_floating and src.is_floating and dtype.size >= src.size
    if widening and dtype is not dtypes.bfloat16:
        return cast(value, dtype, name=name)
    lo, hi = _clip_limits(src, dtype.real_dtype)
    if src.is_floating and dtype.is_integer:
        # NaN compares false everywhere: send it to 0, as TensorFlow's clip does.
        value = array_ops.where(is_nan(value), array_ops.zeros_like(value), value)
    return cast(_clip(value, lo, hi), dtype, name=name)


def _clip(x, lo, hi):
    return minimum(maximum(x, lo), hi)


def real(input, name=None):  # noqa: A002 - TensorFlow's argument name
    from tensorflux._src.ops import complex_ops

    return complex_ops.real(input, name=name)


def imag(input, name=None):  # noqa: A002
    from tensorflux._src.ops import complex_ops

    return complex_ops.imag(input, name=name)


def complex(real, imag, name=None):  # noqa: A001 - TensorFlow's public name
    from tensorflux._src.ops import complex_ops

    return complex_ops.complex(real, imag, name=name)


_BITCAST_T = (
    _D.bfloat16,
    _D.float16,
    _D.float32,
    _D.float64,
    _D.int64,
    _D.int32,
    _D.uint8,
    _D.uint16,
    _D.uint32,
    _D.uint64,
    _D.int8,
    _D.int16,
    _D.complex64,
    _D.complex128,
)


def _bitcast_dtype(in_dtypes, attrs):
    check_allowed(in_dtypes[0], _BITCAST_T)
    check_allowed(attrs["type"], _BITCAST_T, "type")
    return attrs["type"]


def _bitcast_shape(inputs, attrs):
    src, dst = inputs[0].dtype, attrs["type"]
    s = inputs[0].shape
    if src.size == dst.size or s.rank is None:
        return s if src.size == dst.size else s.__class__(None)
    dims = s.as_list()
    if src.size > dst.size:
        return s.__class__(dims + [src.size // dst.size])
    if not dims or (dims[-1] is not None and dims[-1] != dst.size // src.size):
        raise InvalidArgumentError(
            None, None, f"Cannot bitcast from {src.as_datatype_enum} to {dst.as_datatype_enum}"
        )
    return s.__class__(dims[:-1])


Bitcast = defop("Bitcast", infer=Rule(_bitcast_dtype, _bitcast_shape))


@Bitcast.kernel
def _(xp, x, type):  # noqa: A002 - TensorFlow's attr name
    src, dst = np.dtype(x.dtype), np.dtype(type.as_numpy_dtype)
    x = xp.ascontiguousarray(x)
    if src.itemsize == dst.itemsize:
        return x.view(dst)
    if src.itemsize > dst.itemsize:
        parts = src.itemsize // dst.itemsize
        return x.reshape(x.shape + (1,)).view(dst).reshape(x.shape + (parts,))
    n = dst.itemsize // src.itemsize
    if x.ndim == 0 or x.shape[-1] != n:
        raise InvalidArgumentError(
            None,
            None,
            f"Cannot bitcast from {dtypes.from_numpy(src).as_datatype_enum} to "
            f"{type.as_datatype_enum}",
        )
    return x.view(dst).reshape(x.shape[:-1])


not_differentiable(Bitcast)


def bitcast(input, type, name=None):  # noqa: A002 - TensorFlow's argument names
    """Reinterprets the bytes of a tensor as another dtype, without copying values.

    Same-size dtypes keep the shape. A wider input gains a last dimension of
    `input.dtype.size // type.size`; a narrower one must have that many elements in its last
    dimension, which is removed.

    Args:
      input: A numeric `Tensor`.
      type: The destination `DType`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of dtype `type`.

    Raises:
      InvalidArgumentError: if the last dimension does not fit the size ratio.
    """
    return Bitcast(input, type=dtypes.as_dtype(type), name=name)
