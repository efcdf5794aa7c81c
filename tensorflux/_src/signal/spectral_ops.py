"""Short-time Fourier transforms and modified DCTs, and their inverses (all composites)."""

from __future__ import annotations

import math

from tensorflux._src.core import dtypes
from tensorflux._src.ops import (
    array_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    shape_ops,
    unary_ops,
)
from tensorflux._src.ops._util import Tensor, as_tensor, static_int_list
from tensorflux._src.signal import fft as fft_fns
from tensorflux._src.signal.dct_ops import dct
from tensorflux._src.signal.shape_ops import frame, overlap_and_add
from tensorflux._src.signal.window_ops import hann_window, vorbis_window


def _static(v):
    """A scalar argument as a Python int when known now, else None."""
    if isinstance(v, Tensor):
        vals = static_int_list(v)
        return vals[0] if vals is not None and len(vals) == 1 else None
    return int(v)


def _power_of_two_at_least(n):
    s = _static(n)
    if s is not None:
        return 1 << max(int(s) - 1, 0).bit_length()
    n = math_ops.cast(n, dtypes.int32)
    guess = unary_ops.round(unary_ops.log(math_ops.cast(n, dtypes.float64)) / math.log(2.0))
    p = math_ops.cast(2.0**guess, dtypes.int32)
    # The rounded logarithm is within one of the answer: step up or down to the exact power.
    p = array_ops.where(math_ops.less(p, n), p * 2, p)
    return array_ops.where(math_ops.greater_equal(p // 2, n), math_ops.maximum(p // 2, 1), p)


def _float_signal(signals, what="signals"):
    x = as_tensor(signals)
    if not x.dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Found {x.dtype}")
    if x.shape.rank == 0:
        raise ValueError("Shape () must have rank at least 1")
    return x


def stft(signals, frame_length, frame_step, fft_length=None, window_fn=hann_window,
         pad_end=False, name=None):  # fmt: skip
    """The short-time Fourier transform of real `signals` along their last axis.

    The signal is cut into frames (`frame`), each multiplied by `window_fn(frame_length,
    dtype=...)` and transformed with `rfft` of `fft_length` points (by default the smallest
    power of two not below `frame_length`).

    Args:
      signals: A float32/float64 `Tensor` `[..., samples]`.
      frame_length: An int or scalar int tensor.
      frame_step: An int or scalar int tensor.
      fft_length: An optional int or scalar int tensor.
      window_fn: A callable `(length, dtype) -> window`, or None for no window.
      pad_end: Whether to pad the signal end so that every sample lands in a frame.
      name: A name for the operation (optional).

    Returns:
      A complex `Tensor` `[..., frames, fft_length // 2 + 1]`.

    Raises:
      ValueError: for a non-floating or scalar signal.
    """
    x = _float_signal(signals)
    if fft_length is None:
        fft_length = _power_of_two_at_least(frame_length)
    framed = frame(x, frame_length, frame_step, pad_end=pad_end)
    if window_fn is not None:
        framed = framed * window_fn(frame_length, dtype=framed.dtype)
    n = [fft_length] if not isinstance(fft_length, Tensor) else array_ops.reshape(fft_length, [1])
    out = fft_fns.rfft(framed, n)
    return array_ops.identity(out, name=name) if name else out


def inverse_stft_window_fn(frame_step, forward_window_fn=hann_window, name=None):
    """A window function that makes `inverse_stft` invert `stft` (given the forward window).

    The returned `fn(frame_length, dtype)` divides the forward window by the sum of its squared
    copies `frame_step` apart, so overlap-adding windowed frames rebuilds the signal.

    Args:
      frame_step: An int: the hop the forward STFT used.
      forward_window_fn: The window function the forward STFT used.
      name: A name for the operation (optional).

    Returns:
      A callable `(frame_length, dtype) -> 1-D Tensor`.
    """

    def inverse_window(frame_length, dtype):
        window = forward_window_fn(frame_length, dtype=dtype)
        n = _static(frame_length)
        step = _static(frame_step)
        if n is None or step is None:
            raise NotImplementedError(
                "inverse_stft_window_fn needs a static frame_length and frame_step"
            )
        overlaps = -(-n // step)
        sq = manip_ops.pad(window * window, [[0, overlaps * step - n]])
        sums = reduction_ops.reduce_sum(array_ops.reshape(sq, [overlaps, step]), 0, keepdims=True)
        denom = array_ops.reshape(manip_ops.tile(sums, [overlaps, 1]), [overlaps * step])[:n]
        return window / denom

    return inverse_window


def inverse_stft(stfts, frame_length, frame_step, fft_length=None, window_fn=hann_window,
                 name=None):  # fmt: skip
    """Rebuilds signals from their STFTs: inverse rfft per frame, window, overlap-add.

    For a perfect reconstruction pass `window_fn=inverse_stft_window_fn(frame_step,
    forward_window_fn)`.

    Args:
      stfts: A complex `Tensor` `[..., frames, fft_length // 2 + 1]`.
      frame_length: An int or scalar int tensor.
      frame_step: An int or scalar int tensor.
      fft_length: An optional int (default: smallest power of two not below `frame_length`).
      window_fn: A callable `(length, dtype) -> window`, or None.
      name: A name for the operation (optional).

    Returns:
      A real `Tensor` `[..., samples]`.

    Raises:
      ValueError: if `stfts` is not complex.
    """
    x = as_tensor(stfts, dtype_hint=dtypes.complex64)
    if fft_length is None:
        fft_length = _power_of_two_at_least(frame_length)
    n = [fft_length] if not isinstance(fft_length, Tensor) else array_ops.reshape(fft_length, [1])
    frames = fft_fns.irfft(x, n)
    fl, fft_n = _static(frame_length), _static(fft_length)
    if fl is not None and fft_n is not None and frames.shape.rank is not None:
        if fft_n > fl:
            frames = frames[..., :fl]
        elif fft_n < fl:
            frames = manip_ops.pad(frames, [[0, 0]] * (frames.shape.rank - 1) + [[0, fl - fft_n]])
    else:
        frames = frames[..., :frame_length]
        extra = math_ops.maximum(frame_length - array_ops.shape(frames)[-1], 0)
        lead = array_ops.zeros(array_ops.stack([shape_ops.rank(frames) - 1, 2]), dtypes.int32)
        tail = array_ops.reshape(array_ops.stack([0, extra]), [1, 2])
        frames = manip_ops.pad(frames, manip_ops.concat([lead, tail], 0))
    if window_fn is not None:
        frames = frames * window_fn(frame_length, dtype=frames.dtype)
    out = overlap_and_add(frames, frame_step)
    return array_ops.identity(out, name=name) if name else out


def mdct(signals, frame_length, window_fn=vorbis_window, pad_end=False, norm=None, name=None):
    """The modified DCT of `signals`: frames of `frame_length` at hop `frame_length // 2`.

    Args:
      signals: A float32/float64 `Tensor` `[..., samples]`.
      frame_length: An int, a multiple of 4.
      window_fn: A callable `(length, dtype) -> window` (a Princen-Bradley window for perfect
        reconstruction), or None (frames are then scaled by 1/sqrt(2)).
      pad_end: Whether to pad the end of the signal so every sample lands in a frame.
      norm: None or "ortho".
      name: A name for the operation (optional).

    Returns:
      A `Tensor` `[..., frames, frame_length // 2]`.

    Raises:
      ValueError: if `frame_length` is not a multiple of 4, or for a non-floating signal.
    """
    x = _float_signal(signals)
    n = _static(frame_length)
    if n is None:
        raise NotImplementedError("mdct needs a static frame_length")
    if n % 4:
        raise ValueError("The frame length must be a multiple of 4.")
    framed = frame(x, n, n // 2, pad_end=pad_end)
    if window_fn is not None:
        framed = framed * window_fn(n, dtype=framed.dtype)
    else:
        framed = framed * (1.0 / math.sqrt(2.0))
    a, b, c, d = manip_ops.split(framed, 4, axis=-1)
    first = -manip_ops.reverse(c, [-1]) - d
    second = a - manip_ops.reverse(b, [-1])
    out = dct(manip_ops.concat([first, second], -1), type=4, norm=norm)
    return array_ops.identity(out, name=name) if name else out


def inverse_mdct(mdcts, window_fn=vorbis_window, norm=None, name=None):
    """Rebuilds signals from MDCT frames (time-domain aliasing cancels in the overlap-add).

    Args:
      mdcts: A float32/float64 `Tensor` `[..., frames, frame_length // 2]`.
      window_fn: The synthesis window function, or None (1/sqrt(2) scaling).
      norm: None or "ortho", as given to `mdct`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` `[..., samples]`.
    """
    x = _float_signal(mdcts)
    half = x.shape[-1]
    if half is None:
        raise NotImplementedError("inverse_mdct needs a static last dimension")
    if norm is None:
        y = dct(x, type=4) * (0.5 / half)
    elif norm == "ortho":
        y = dct(x, type=4, norm="ortho")
    else:
        raise ValueError(f"Unknown normalization. Expected None or 'ortho', got: {norm}")
    p, q = manip_ops.split(y, 2, axis=-1)
    frames = manip_ops.concat([q, -manip_ops.reverse(q, [-1]), -manip_ops.reverse(p, [-1]), -p], -1)
    if window_fn is not None:
        frames = frames * window_fn(2 * half, dtype=frames.dtype)
    else:
        frames = frames * (1.0 / math.sqrt(2.0))
    out = overlap_and_add(frames, half)
    return array_ops.identity(out, name=name) if name else out
