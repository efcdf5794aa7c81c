"""Mel-scale filter banks and MFCCs."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.ops import array_ops, math_ops, unary_ops
from tensorflux._src.ops._util import Tensor, as_tensor, static_value
from tensorflux._src.signal.dct_ops import dct

# The HTK mel scale: mel = 1127 * ln(1 + hz / 700).
_BREAK_HZ = 700.0
_MEL_Q = 1127.0


def _value(v, what):
    """A scalar argument as a Python number (tensors must be constant)."""
    if isinstance(v, Tensor):
        s = static_value(v)
        if s is None:
            raise NotImplementedError(f"linear_to_mel_weight_matrix needs a constant {what}")
        return np.asarray(s).reshape(()).item()
    return v


def linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000,
                                lower_edge_hertz=125.0, upper_edge_hertz=3800.0,
                                dtype=dtypes.float32, name=None):  # fmt: skip
    """A `[num_spectrogram_bins, num_mel_bins]` matrix of triangular mel filters.

    Multiplying a linear-frequency magnitude spectrogram (bins spaced evenly from 0 Hz to the
    Nyquist frequency) by it gives a mel spectrogram. The filters' edges are spaced evenly on
    the mel scale between `lower_edge_hertz` and `upper_edge_hertz`; the DC bin gets no weight.

    Args:
      num_mel_bins: Number of mel bands (output columns).
      num_spectrogram_bins: Number of spectrogram bins (rows), usually fft_length // 2 + 1.
      sample_rate: Samples per second of the analysed signal.
      lower_edge_hertz: Lower edge of the lowest band.
      upper_edge_hertz: Upper edge of the highest band.
      dtype: A floating dtype for the result.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of shape `[num_spectrogram_bins, num_mel_bins]`.

    Raises:
      ValueError: for a non-positive count or rate, bad edges, or a non-floating dtype.
    """
    num_mel_bins = _value(num_mel_bins, "num_mel_bins")
    num_spec = _value(num_spectrogram_bins, "num_spectrogram_bins")
    sample_rate = _value(sample_rate, "sample_rate")
    lower = _value(lower_edge_hertz, "lower_edge_hertz")
    upper = _value(upper_edge_hertz, "upper_edge_hertz")
    dtype = dtypes.as_dtype(dtype)
    if num_mel_bins <= 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {num_mel_bins}")
    if lower < 0.0:
        raise ValueError(f"lower_edge_hertz must be non-negative. Got: {lower}")
    if lower >= upper:
        raise ValueError(f"lower_edge_hertz {lower} >= upper_edge_hertz {upper}")
    if sample_rate <= 0.0:
        raise ValueError(f"sample_rate must be positive. Got: {sample_rate}")
    if upper > sample_rate / 2:
        raise ValueError(
            "upper_edge_hertz must not be larger than the Nyquist frequency (sample_rate / 2). "
            f"Got {upper} for sample_rate: {sample_rate}"
        )
    if not dtype.is_floating:
        raise ValueError(f"dtype must be a floating point type. Got: {dtype}")
    # Computed in the requested precision, as TensorFlow does, so float32 results agree closely.
    t = np.dtype(dtype.as_numpy_dtype) if dtype in (dtypes.float32, dtypes.float64) else np.float32
    nyquist = t.type(sample_rate) / t.type(2.0)
    freqs = np.linspace(0.0, nyquist, int(num_spec), dtype=t)[1:]

    def to_mel(hz):
        return t.type(_MEL_Q) * np.log1p(np.asarray(hz, t) / t.type(_BREAK_HZ)).astype(t)

    bins_mel = to_mel(freqs)[:, None]
    edges = np.linspace(to_mel(t.type(lower)), to_mel(t.type(upper)), num_mel_bins + 2, dtype=t)
    lo, mid, hi = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    rising = (bins_mel - lo) / (mid - lo)
    falling = (hi - bins_mel) / (hi - mid)
    weights = np.maximum(t.type(0.0), np.minimum(rising, falling))
    weights = np.concatenate([np.zeros((1, num_mel_bins), t), weights], 0)
    return as_tensor(weights.astype(dtype.as_numpy_dtype), dtype=dtype)


def mfccs_from_log_mel_spectrograms(log_mel_spectrograms, name=None):
    """Mel-frequency cepstral coefficients: an orthonormal-scaled DCT-II over the mel axis.

    Computes `dct(x, type=2) / sqrt(2 * num_mel_bins)` along the last axis; keep the first
    few coefficients (commonly 13) as features.

    Args:
      log_mel_spectrograms: A float32/float64 `Tensor` `[..., num_mel_bins]`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape.

    Raises:
      ValueError: if the last dimension is 0.
    """
    x = as_tensor(log_mel_spectrograms)
    if x.shape.rank == 0:
        raise ValueError("log_mel_spectrograms must have rank at least 1")
    n = x.shape[-1] if x.shape.rank is not None else None
    if n == 0:
        raise ValueError(f"num_mel_bins must be positive. Got: {x!s}")
    coeffs = dct(x, type=2)
    count = n if n is not None else math_ops.cast(array_ops.shape(x)[-1], x.dtype)
    scale = unary_ops.rsqrt(as_tensor(count, dtype=x.dtype) * 2.0)
    return array_ops.identity(coeffs * scale, name=name) if name else coeffs * scale
