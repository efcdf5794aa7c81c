"""Discrete cosine transforms of types I-IV along the last axis, computed through FFTs.

Unnormalized results follow the usual convention (the one scipy.fft.dct uses): type II is
`2 * sum x[n] cos(pi k (2n + 1) / 2N)`. `norm="ortho"` scales types II-IV to orthonormal
matrices. Built from the FFT ops, so every type is differentiable.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.ops import array_ops, fft_ops, manip_ops, math_ops
from tensorflux._src.ops._util import as_tensor

_INVERSE_TYPE = {1: 1, 2: 3, 3: 2, 4: 4}


def _check(type, norm, axis, n):  # noqa: A002 - TensorFlow's argument name
    if type not in (1, 2, 3, 4):
        raise ValueError("Types I, II, III and IV (I)DCT are supported.")
    if type == 1 and norm == "ortho":
        raise ValueError("Normalization is not supported for the Type-I DCT.")
    if n is not None and (not isinstance(n, (int, np.integer)) or n < 1):
        raise ValueError("n should be a positive integer or None")
    if axis != -1:
        raise NotImplementedError(f"axis must be -1. Got: {axis}")
    if norm not in (None, "ortho"):
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")


def _fit_last(x, n):
    """Crops or zero-pads the last axis of `x` to `n` samples."""
    have = x.shape[-1]
    if have is not None and have >= n:
        return x[..., :n] if have > n else x
    if have is not None:
        pads = [[0, 0]] * (x.shape.rank - 1) + [[0, n - have]]
        return manip_ops.pad(x, pads)
    rank = x.shape.rank
    extra = math_ops.maximum(n - array_ops.shape(x)[-1], 0)
    pads = array_ops.stack([array_ops.stack([0, extra if i == rank - 1 else 0])
                            for i in range(rank)])  # fmt: skip
    return manip_ops.pad(x, pads)[..., :n]


def _length(x):
    d = x.shape[-1]
    if d is not None:
        return d, float(d)
    return array_ops.shape(x)[-1], None


def _cplx(re, im, dtype):
    return math_ops.complex(as_tensor(re, dtype=dtype), as_tensor(im, dtype=dtype))


def _twiddle(n_len, dtype, sign, scale_k=1.0, offset=0.0):
    """exp(sign * i * pi * (scale_k * k + offset) / (2N)) for k in [0, N), as a complex tensor."""
    from tensorflux._src.ops import creation_ops, trig_ops

    k = math_ops.cast(creation_ops.range(n_len), dtype)
    angle = (k * scale_k + offset) * (sign * math.pi) / (2.0 * math_ops.cast(n_len, dtype))
    return math_ops.complex(trig_ops.cos(angle), trig_ops.sin(angle))


def _rfft(x, n2):
    return fft_ops.RFFT(x, as_tensor(n2, dtype=dtypes.int32), Tcomplex=_complex_of(x.dtype))


def _complex_of(dt):
    return dtypes.complex64 if dt is dtypes.float32 else dtypes.complex128


def _dct1(x, n_len):
    mirrored = manip_ops.concat([x, manip_ops.reverse(x[..., 1:-1], [-1])], -1)
    n2 = array_ops.reshape(2 * n_len - 2, [1])
    return math_ops.real(_rfft(mirrored, n2))


def _dct2(x, n_len):
    spec = _rfft(x, array_ops.reshape(2 * n_len, [1]))[..., :n_len]
    return 2.0 * math_ops.real(spec * _twiddle(n_len, x.dtype, -1.0))


def _dct3(x, n_len):
    # y_k = x_0 + 2 sum_{n>0} x_n cos(pi n (2k+1) / 2N) = 2N * irfft(x * e^{i pi n / 2N})[k].
    z = math_ops.complex(x, array_ops.zeros_like(x)) * _twiddle(n_len, x.dtype, 1.0)
    bins = fft_ops.IRFFT(z, array_ops.reshape(2 * n_len, [1]), Treal=x.dtype)[..., :n_len]
    return bins * (2.0 * math_ops.cast(n_len, x.dtype))


def _dct4(x, n_len):
    # y_k = 2 Re(e^{-i pi (2k+1) / 4N} * FFT_2N(x_n e^{-i pi n / 2N})[k]).
    z = math_ops.complex(x, array_ops.zeros_like(x)) * _twiddle(n_len, x.dtype, -1.0)
    z = manip_ops.concat([z, array_ops.zeros_like(z)], -1)
    spec = fft_ops.FFT(z)[..., :n_len]
    post = _twiddle(n_len, x.dtype, -1.0, scale_k=1.0, offset=0.5)
    return 2.0 * math_ops.real(spec * post)


def dct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """The discrete cosine transform of `input` along its last axis.

    Args:
      input: A float32/float64 `Tensor` of rank at least 1.
      type: 1, 2, 3 or 4.
      n: Optional length: the last axis is cropped or zero-padded to `n` before the transform.
      axis: Must be -1.
      norm: None or "ortho" (not for type 1).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` like `input` (last axis of length `n` when given).

    Raises:
      ValueError: for an unsupported type, norm or `n`, or a type-I DCT of length 1.
      NotImplementedError: if `axis` is not -1.
      TypeError: for non-floating inputs.
    """
    _check(type, norm, axis, n)
    x = as_tensor(input)
    if x.dtype not in (dtypes.float32, dtypes.float64):
        raise TypeError(f"dct needs a float32 or float64 input, got {x.dtype.name}")
    if x.shape.rank == 0:
        raise ValueError("dct needs an input of rank at least 1")
    if n is not None:
        x = _fit_last(x, int(n))
    n_len, n_float = _length(x)
    if type == 1:
        if n_float is not None and n_float <= 1:
            raise ValueError("Type-I DCT requires the dimension to be greater than one.")
        return array_ops.identity(_dct1(x, n_len), name=name)
    if type == 2:
        y = _dct2(x, n_len)
        if norm == "ortho":
            y = y * _ortho_scale(n_len, x.dtype, head=4.0)
    elif type == 3:
        if norm == "ortho":
            x = x * _ortho_scale(n_len, x.dtype, head=1.0)
        y = _dct3(x, n_len)
    else:
        y = _dct4(x, n_len)
        if norm == "ortho":
            y = y * _rsqrt(2.0 * math_ops.cast(n_len, x.dtype))
    return array_ops.identity(y, name=name)


def _rsqrt(v):
    from tensorflux._src.ops import unary_ops

    return unary_ops.rsqrt(v)


def _ortho_scale(n_len, dtype, head):
    """[1 / sqrt(head * N), 1 / sqrt(2N), ...]: orthonormal scaling of type II outputs
    (head=4) and of type III inputs (head=1)."""
    from tensorflux._src.ops import creation_ops

    nf = math_ops.cast(n_len, dtype)
    k = creation_ops.range(n_len)
    first = _rsqrt(head * nf) * array_ops.ones([1], dtype)
    return array_ops.where(math_ops.equal(k, 0), first, _rsqrt(2.0 * nf))


def idct(input, type=2, n=None, axis=-1, norm=None, name=None):  # noqa: A002
    """The inverse DCT: `dct` of the inverse type (II and III swap; I and IV are their own).

    Unnormalized, `idct(dct(x))` is `x` scaled by `2N` (types II-IV) or `2(N-1)` (type I);
    with `norm="ortho"` it is `x` exactly.

    Args:
      input: A float32/float64 `Tensor` of rank at least 1.
      type: 1, 2, 3 or 4.
      n: Optional length the last axis is cropped or zero-padded to.
      axis: Must be -1.
      norm: None or "ortho" (not for type 1).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` like `input`.

    Raises:
      ValueError, NotImplementedError, TypeError: as `dct`.
    """
    _check(type, norm, axis, n)
    return dct(input, type=_INVERSE_TYPE[type], n=n, axis=axis, norm=norm, name=name)
