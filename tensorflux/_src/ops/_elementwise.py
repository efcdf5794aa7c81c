"""Shared pieces of the element-wise op modules: allowed-dtype lists and op declarers."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import binary, floating, unary
from tensorflux._src.core.registry import defop


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


def _int_div_trunc(xp, x, y):
    """Integer x / y rounded toward zero (C semantics), as RealDiv and TruncateDiv compute it."""
    if xp.any(y == 0):
        raise InvalidArgumentError(None, None, "Integer division by zero")
    q = xp.abs(x) // xp.abs(y)
    return xp.where((x < 0) ^ (y < 0), -q, q).astype(x.dtype)
