"""Complex numbers: building them from parts, taking them apart, magnitude and phase.

Each op here turns complex64 into float32 and complex128 into float64 (or back, for Complex),
through a `Tout` attribute as in TensorFlow.
"""

from __future__ import annotations

import math

from tensorflux._src.core import dtypes
from tensorflux._src.core.infer import check_allowed, complex_
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import broadcast_shapes
from tensorflux._src.ops import array_ops, binary_math_ops, math_ops, unary_ops
from tensorflux._src.ops._util import as_tensor

_REAL_T = (dtypes.float32, dtypes.float64)


def _to_real_rule():
    def dtype(in_dtypes, attrs):
        check_allowed(in_dtypes[0], complex_)
        return attrs.get("Tout") or in_dtypes[0].real_dtype

    return Rule(dtype, lambda inputs, attrs: inputs[0].shape)


def _out(xp, arr, x):
    return arr.astype(x.real.dtype, copy=False)


ComplexAbs = defop("ComplexAbs", infer=_to_real_rule())
Real = defop("Real", infer=_to_real_rule())
Imag = defop("Imag", infer=_to_real_rule())
Angle = defop("Angle", infer=_to_real_rule())


@ComplexAbs.kernel
def _(xp, x, Tout=None):
    return _out(xp, xp.abs(x), x)


@Real.kernel
def _(xp, x, Tout=None):
    return xp.asarray(x.real).copy()


@Imag.kernel
def _(xp, x, Tout=None):
    return xp.asarray(x.imag).copy()


@Angle.kernel
def _(xp, x, Tout=None):
    return _out(xp, xp.angle(x), x)


@ComplexAbs.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    zero = array_ops.zeros_like(dy)
    return [
        binary_math_ops.divide_no_nan(complex(dy, zero) * x, complex(y, array_ops.zeros_like(y)))
    ]


@Real.gradient
def _(op, dy):
    return [complex(dy, array_ops.zeros_like(dy))]


@Imag.gradient
def _(op, dy):
    return [complex(array_ops.zeros_like(dy), dy)]


@Angle.gradient
def _(op, dy):
    (x,) = op.inputs
    z = unary_ops.reciprocal(complex(imag(x), real(x)))
    return [math_ops.negative(complex(dy, array_ops.zeros_like(dy))) * z]


def real(input, name=None):  # noqa: A002 - TensorFlow's argument name
    """Returns the real part of a complex tensor; real tensors are returned unchanged.

    Args:
      input: A `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A float32 (from complex64) or float64 (from complex128) `Tensor`, or `input` itself.
    """
    input = as_tensor(input)
    if input.dtype.is_complex:
        return Real(input, Tout=input.dtype.real_dtype, name=name)
    return input


def imag(input, name=None):  # noqa: A002
    """Returns the imaginary part of a complex tensor; zeros for a real tensor.

    Args:
      input: A `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the real dtype matching `input`.
    """
    input = as_tensor(input)
    if input.dtype.is_complex:
        return Imag(input, Tout=input.dtype.real_dtype, name=name)
    return array_ops.zeros_like(input, name=name)


def angle(input, name=None):  # noqa: A002
    """Returns the argument (phase) of each element: atan2(imag, real) for complex inputs.

    For real inputs the result is pi where the element is negative and 0 elsewhere.

    Args:
      input: A floating or complex `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the real dtype matching `input`.

    Raises:
      TypeError: for integer inputs (pi is not representable).
    """
    input = as_tensor(input)
    if input.dtype.is_complex:
        return Angle(input, Tout=input.dtype.real_dtype, name=name)
    pi = as_tensor(math.pi, dtype=input.dtype)
    return array_ops.where(
        math_ops.less(input, array_ops.zeros_like(input)),
        pi * array_ops.ones_like(input),
        array_ops.zeros_like(input),
        name=name,
    )


def _complex_dtype(in_dtypes, attrs):
    a, b = in_dtypes
    check_allowed(a, _REAL_T)
    check_allowed(b, _REAL_T)
    return attrs.get("Tout") or (dtypes.complex64 if a is dtypes.float32 else dtypes.complex128)


Complex = defop(
    "Complex",
    infer=Rule(
        _complex_dtype, lambda inputs, attrs: broadcast_shapes(inputs[0].shape, inputs[1].shape)
    ),
)


@Complex.kernel
def _(xp, re, im, Tout=None):
    out = xp.empty(xp.broadcast_shapes(re.shape, im.shape), Tout.as_numpy_dtype)
    out.real = re
    out.imag = im
    return out


@Complex.gradient
def _(op, dz):
    re, im = op.inputs
    return [math_ops.unbroadcast(real(dz), re), math_ops.unbroadcast(imag(dz), im)]


def complex(real, imag, name=None):  # noqa: A001 - TensorFlow's public name
    """Builds complex numbers real + imag * 1j element-wise.

    Args:
      real: A float32 or float64 `Tensor`.
      imag: A `Tensor` of the same dtype as `real`; the two broadcast.
      name: A name for the operation (optional).

    Returns:
      A complex64 (from float32) or complex128 (from float64) `Tensor`.

    Raises:
      TypeError: if the parts have different dtypes or are not float32/float64.
    """
    real = as_tensor(real)
    imag = as_tensor(imag)
    rt, it = real.dtype, imag.dtype
    if rt is not it or rt not in _REAL_T:
        raise TypeError(
            f"The `real` and `imag` components have incorrect types: {rt.name} {it.name}. "
            "They must be consistent, and one of [tf.float32, tf.float64]"
        )
    tout = dtypes.complex64 if rt is dtypes.float32 else dtypes.complex128
    return Complex(real, imag, Tout=tout, name=name)
