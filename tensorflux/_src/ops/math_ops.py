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
    """Sums `grad` down to the shape of input `x` it was broadcast from (the gradient of broadcasting)."""
    gs, xs = grad.shape, x.shape
    if gs.is_fully_defined() and xs.is_fully_defined():
        g, s = gs.as_list(), xs.as_list()
        if g == s:
            return grad
        lead = len(g) - len(s)
        axes = list(range(lead)) + [lead + i for i, d in enumerate(s) if d == 1 and g[lead + i] != 1]
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
        raise TypeError(
            f"`x` and `y` must have the same dtype, got {x.dtype!r} != {y.dtype!r}."
        )
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
    return [unbroadcast(array_ops.where(mask, dy, zeros), x),
            unbroadcast(array_ops.where(mask, zeros, dy), y)]


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
    return [unbroadcast(array_ops.where(mask, dy, zeros), x),
            unbroadcast(array_ops.where(mask, zeros, dy), y)]


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
    """Casts x to `dtype`. Floats cast to integers truncate toward zero; complex to real keeps the real part.

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
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and shape")
    inputs = [x if isinstance(x, Tensor) else as_tensor(x) for x in inputs]
    if len(inputs) == 1:
        return array_ops.identity(inputs[0], name=name)
    return AddN(*inputs, name=name)


def _check_float(x, allowed=floating):
    check_allowed(x.dtype, allowed)
