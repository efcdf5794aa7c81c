"""Elementwise arithmetic core: broadcasting gradients, + - * /, min/max, negation,
conjugation, comparisons and logic, casts and sums, saturating casts and bitcasts.

One block per op (rule, kernel, gradient), then its public function.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src import dispatch
from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError, UnimplementedError
from tensorflux._src.core.infer import (
    binary,
    bool_,
    check_allowed,
    compare,
    nary_same,
    numeric,
    real_numeric,
    signed_numeric,
    unary,
    any_,
)
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.ops import array_ops, reduction_ops, unary_ops
from tensorflux._src.ops._elementwise import _D, _binary_op, _int_div_trunc
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.dispatch import _scalar_like
from tensorflux._src.tensor import EagerTensor, Tensor


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
    out = xp.add(x, y)
    if x.dtype == object and not isinstance(out, np.ndarray):
        out = np.array(out, dtype=object)  # 0-d string concatenation gives bare bytes
    return out


@AddV2.gradient
def _(op, dy):
    x, y = op.inputs
    return [unbroadcast(dy, x), unbroadcast(dy, y)]


def add(x, y, name=None):
    """Returns x + y element-wise, broadcasting; both must have the same dtype.

    >>> tf.add(tf.constant([1, 2]), 3)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([4, 5], dtype=int32)>
    """
    # Unlike most ops, a Python `y` that does not fit x's dtype keeps its own dtype, so the
    # mismatch is reported by the op (InvalidArgumentError), as TensorFlow's tf.add does.
    if not isinstance(x, Tensor) and not getattr(x, "_is_variable", False):
        x = dispatch.convert_lenient(x, None)  # x keeps its own default dtype
    if not isinstance(y, Tensor) and not getattr(y, "_is_variable", False):
        y2 = _scalar_like(y, x) if x.__class__ is EagerTensor and y.__class__ in (int, float) else y
        y = y2 if y2 is not y else dispatch.convert_lenient(y, x.dtype)
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


# ------------------------------------------------------------------ negation and conjugation

Neg = defop("Neg", infer=unary(signed_numeric))


@Neg.kernel
def _(xp, x):
    return xp.negative(x)


@Neg.gradient
def _(op, dy):
    return [negative(dy)]


def negative(x, name=None):
    """Returns -x element-wise."""
    return Neg(x, name=name)


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


Less = _binary_op("Less", real_numeric, lambda xp, x, y: xp.less(x, y), out=dtypes.bool)
LessEqual = _binary_op(
    "LessEqual", real_numeric, lambda xp, x, y: xp.less_equal(x, y), out=dtypes.bool
)
Greater = _binary_op("Greater", real_numeric, lambda xp, x, y: xp.greater(x, y), out=dtypes.bool)
GreaterEqual = _binary_op(
    "GreaterEqual", real_numeric, lambda xp, x, y: xp.greater_equal(x, y), out=dtypes.bool
)
not_differentiable(Less, LessEqual, Greater, GreaterEqual)


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
        x = x.read_value()
    x = as_tensor(x)
    if x.dtype is dtype:
        return x
    if x.dtype is dtypes.string or dtype is dtypes.string:
        raise UnimplementedError(  # as TensorFlow: use tf.strings.to_number / as_string
            None, None, f"Cast {x.dtype.name} to {dtype.name} is not supported [Op:Cast]"
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
        value = array_ops.where(unary_ops.is_nan(value), array_ops.zeros_like(value), value)
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
    x = xp.ascontiguousarray(x).reshape(x.shape)  # ascontiguousarray makes a scalar 1-D
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
