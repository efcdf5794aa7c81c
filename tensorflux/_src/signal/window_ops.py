"""Window functions: Hann, Hamming, Kaiser, Kaiser-Bessel-derived and Vorbis.

Each takes a window length (int or scalar int tensor) and a floating dtype, and is built from
ops so a window of dynamic length works inside traced functions.
"""

from __future__ import annotations

import math

from tensorflux._src.core import dtypes
from tensorflux._src.ops import (
    array_ops,
    creation_ops,
    cumulative_ops,
    manip_ops,
    math_ops,
    special_ops,
    trig_ops,
    unary_ops,
)
from tensorflux._src.ops._util import Tensor, as_tensor, static_int_list


def _check_dtype(dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {dtype}")
    return dtype


def _length(window_length):
    """The length as a Python int when static, else a scalar int32 tensor."""
    if isinstance(window_length, Tensor):
        vals = static_int_list(window_length)
        if vals is not None and len(vals) == 1:
            return vals[0]
        return math_ops.cast(array_ops.reshape(window_length, []), dtypes.int32)
    return int(window_length)


def _raised_cosine(window_length, periodic, dtype, a, b, name):
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    if isinstance(n, int) and n == 1:
        return array_ops.ones([1], dtype=dtype, name=name)
    # As in TensorFlow, `periodic` only lengthens the period of even-length windows.
    if isinstance(n, int) and isinstance(periodic, bool):
        denom = n + (int(periodic) if n % 2 == 0 else 0) - 1
    else:
        per = math_ops.cast(as_tensor(periodic), dtypes.int32)
        denom = n + per * (1 - n % 2) - 1
    count = math_ops.cast(creation_ops.range(n), dtype)
    arg = count * (2.0 * math.pi) / math_ops.cast(as_tensor(denom), dtype)
    window = a - b * trig_ops.cos(arg)
    if not isinstance(n, int):
        window = array_ops.where(math_ops.equal(n, 1), array_ops.ones_like(window), window)
    return array_ops.identity(window, name=name)


def hann_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """A Hann window, 0.5 - 0.5 * cos(2 pi k / N), of `window_length` samples.

    N is `window_length - 1`, or `window_length` for an even length when `periodic` (the window
    then tiles smoothly, as STFT analysis wants). A length-1 window is `[1]`.

    Args:
      window_length: An int or scalar int tensor.
      periodic: A bool (or bool tensor).
      dtype: A floating dtype.
      name: A name for the operation (optional).

    Returns:
      A 1-D `Tensor` of length `window_length`.

    Raises:
      ValueError: if `dtype` is not floating.
    """
    return _raised_cosine(window_length, periodic, dtype, 0.5, 0.5, name)


def hamming_window(window_length, periodic=True, dtype=dtypes.float32, name=None):
    """A Hamming window, 0.54 - 0.46 * cos(2 pi k / N) (N as in `hann_window`).

    Args:
      window_length: An int or scalar int tensor.
      periodic: A bool (or bool tensor).
      dtype: A floating dtype.
      name: A name for the operation (optional).

    Returns:
      A 1-D `Tensor` of length `window_length`.

    Raises:
      ValueError: if `dtype` is not floating.
    """
    return _raised_cosine(window_length, periodic, dtype, 0.54, 0.46, name)


def kaiser_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """A Kaiser window: I0(beta * sqrt(1 - r^2)) / I0(beta), r running over [-1, 1].

    Args:
      window_length: An int or scalar int tensor (at least 1).
      beta: The shape parameter; larger values narrow the window.
      dtype: A floating dtype.
      name: A name for the operation (optional).

    Returns:
      A 1-D `Tensor` of length `window_length`.

    Raises:
      ValueError: if `dtype` is not floating.
    """
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    if isinstance(n, int):
        if n == 1:
            return array_ops.ones([1], dtype=dtype, name=name)
        if n < 1:
            from tensorflux._src.core.errors import InvalidArgumentError

            raise InvalidArgumentError(
                None, None, f"kaiser_window needs a window_length of at least 1, got {n}"
            )
    beta = as_tensor(beta, dtype=dtype)
    half = math_ops.cast(as_tensor(n), dtype) * 0.5 - 0.5
    r = (math_ops.cast(creation_ops.range(n), dtype) - half) / math_ops.maximum(half, 0.5)
    arg = beta * unary_ops.sqrt(math_ops.maximum(1.0 - r * r, 0.0))
    # I0(arg) / I0(beta) through the scaled i0e, which cannot overflow for large beta.
    window = special_ops.bessel_i0e(arg) / special_ops.bessel_i0e(beta) * unary_ops.exp(arg - beta)
    return array_ops.identity(window, name=name)


def kaiser_bessel_derived_window(window_length, beta=12.0, dtype=dtypes.float32, name=None):
    """A Kaiser-Bessel-derived window, the MDCT window of AAC and Vorbis-like codecs.

    Its first half is the square root of the normalized running sum of a Kaiser window of
    `window_length // 2 + 1` points; the second half mirrors it. An odd length gives
    `window_length - 1` samples, as in TensorFlow.

    Args:
      window_length: An int or scalar int tensor.
      beta: The Kaiser shape parameter.
      dtype: A floating dtype.
      name: A name for the operation (optional).

    Returns:
      A 1-D `Tensor` of length `2 * (window_length // 2)`.

    Raises:
      ValueError: if `dtype` is not floating.
    """
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    half = n // 2
    kaiser = kaiser_window(half + 1, beta, dtype)
    csum = cumulative_ops.cumsum(kaiser)
    half_w = unary_ops.sqrt(csum[:-1] / csum[-1])
    window = manip_ops.concat([half_w, manip_ops.reverse(half_w, [0])], 0)
    return array_ops.identity(window, name=name)


def vorbis_window(window_length, dtype=dtypes.float32, name=None):
    """The Vorbis power-complementary window, sin(pi/2 * sin^2(pi * (k + 1/2) / N)).

    Args:
      window_length: An int or scalar int tensor.
      dtype: A floating dtype.
      name: A name for the operation (optional).

    Returns:
      A 1-D `Tensor` of length `window_length`.

    Raises:
      ValueError: if `dtype` is not floating.
    """
    dtype = _check_dtype(dtype)
    n = _length(window_length)
    k = math_ops.cast(creation_ops.range(n), dtype) + 0.5
    inner = trig_ops.sin(k * math.pi / math_ops.cast(as_tensor(n), dtype))
    window = trig_ops.sin(inner * inner * (math.pi / 2))
    return array_ops.identity(window, name=name)
