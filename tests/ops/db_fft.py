"""Harness rows for the FFT ops (tf.signal.fft ... irfft3d), with numpy.fft as the reference."""

import numpy as np

import tensorflux.signal as S
from tests.ops.harness import COMPLEX, FLOAT32_64, OpInfo, Sample, make
from tensorflux._src.core import dtypes as D

_TO_COMPLEX = {D.float32: D.complex64, D.float64: D.complex128}
_TO_REAL = {D.complex64: D.float32, D.complex128: D.float64}
# Sums of a few dozen terms in float32: slightly looser than the elementwise default.
TOL = {D.float32: (1e-4, 1e-4), D.complex64: (1e-4, 1e-4)}

_SHAPES = {
    1: [(3,), (2, 4), (2, 1, 5), (0,), (2, 0)],
    2: [(2, 3), (2, 3, 4), (1, 0, 2), (3, 1)],
    3: [(2, 3, 4), (2, 2, 3, 2), (1, 1, 1)],
}


def _complex_samples(k):
    def samples(rng, dtype):
        return [Sample([make(rng, s, dtype)]) for s in _SHAPES[k]]

    return samples


def _complex_ref(k, inverse):
    def ref(x):
        if x.size == 0:
            return x.copy()
        fn = np.fft.ifftn if inverse else np.fft.fftn
        return fn(x, axes=tuple(range(-k, 0))).astype(x.dtype)

    return ref


# fft_length values per rank: None (from the input), larger (zero-pads), smaller (crops).
_LENGTHS = {
    1: [None, [8], [3], [1]],
    2: [None, [4, 6], [1, 3], [3, 2]],
    3: [None, [3, 2, 5], [1, 4, 2]],
}


def _real_samples(k, inverse):
    def samples(rng, dtype):
        out = []
        for shape in _SHAPES[k]:
            if 0 in shape:
                continue
            for n in _LENGTHS[k]:
                if inverse and n is None and shape[-1] == 1:
                    continue  # default fft_length 0: nothing to transform
                kw = {} if n is None else {"fft_length": n}
                out.append(Sample([make(rng, shape, dtype)], kw))
        return out

    return samples


def _real_ref(k, inverse):
    def ref(x, fft_length=None):
        axes = tuple(range(-k, 0))
        if fft_length is None:
            fft_length = list(x.shape[-k:])
            if inverse:
                fft_length[-1] = 2 * (fft_length[-1] - 1)
        if inverse:
            out = np.fft.irfftn(x, s=fft_length, axes=axes)
            return out.astype(np.float32 if x.dtype == np.complex64 else np.float64)
        out = np.fft.rfftn(x, s=fft_length, axes=axes)
        return out.astype(np.complex64 if x.dtype == np.float32 else np.complex128)

    return ref


def _rows():
    rows = []
    for k, suffix in ((1, ""), (2, "2d"), (3, "3d")):
        for inverse in (False, True):
            name = ("ifft" if inverse else "fft") + suffix
            rows.append(
                OpInfo(
                    f"signal.{name}",
                    getattr(S, name),
                    _complex_ref(k, inverse),
                    COMPLEX,
                    samples=_complex_samples(k),
                    tol=TOL,
                    grad2=False,
                )
            )
            rname = ("irfft" if inverse else "rfft") + suffix
            rows.append(
                OpInfo(
                    f"signal.{rname}",
                    getattr(S, rname),
                    _real_ref(k, inverse),
                    COMPLEX if inverse else FLOAT32_64,
                    samples=_real_samples(k, inverse),
                    result_dtype=(_TO_REAL.get if inverse else _TO_COMPLEX.get),
                    tol=TOL,
                )
            )
    return rows


OPS = _rows()
