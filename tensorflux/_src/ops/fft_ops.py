"""Fast Fourier transforms over the innermost 1, 2 or 3 dimensions: FFT/IFFT and RFFT/IRFFT.

Kernels call `xp.fft` (NumPy on CPU, CuPy on GPU). Gradients are transforms themselves: the adjoint
of a complex FFT is an unnormalized inverse FFT, and the adjoints of the real transforms are the
opposite real transforms with the half-spectrum bins weighted (see `_half_weights`).
"""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, complex_
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import (
    array_ops,
    creation_ops,
    indexing_ops,
    manip_ops,
    math_ops,
    reduction_ops,
)
from tensorflux._src.ops._util import as_tensor, np, static_int_list

_REAL = (dtypes.float32, dtypes.float64)
_TO_COMPLEX = {dtypes.float32: dtypes.complex64, dtypes.float64: dtypes.complex128}
_TO_REAL = {dtypes.complex64: dtypes.float32, dtypes.complex128: dtypes.float64}


def _dims_text(shape: TensorShape) -> str:
    if shape.rank is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _check_rank(shape: TensorShape, k: int) -> None:
    if shape.rank is not None and shape.rank < k:
        raise InvalidArgumentError(
            None, None, f"Input must have rank of at least {k} but got: {_dims_text(shape)}"
        )


def _check_lengths(lengths, k: int) -> None:
    if len(lengths) != k:
        raise InvalidArgumentError(None, None, f"fft_length must have shape [{k}]")
    for i, n in enumerate(lengths):
        if n < 0:
            raise InvalidArgumentError(None, None, f"fft_length[{i}] must >= 0, but got: {n}")


def _axes(k: int) -> tuple:
    return tuple(range(-k, 0))


# ------------------------------------------------------------------ complex FFT / IFFT


def _complex_rule(k: int) -> Rule:
    def dtype(in_dtypes, attrs):
        check_allowed(in_dtypes[0], complex_, "Tcomplex")
        return in_dtypes[0]

    def shape(inputs, attrs):
        s = inputs[0].shape
        _check_rank(s, k)
        return s

    return Rule(dtype, shape)


def _complex_kernel(k: int, inverse: bool):
    def kernel(xp, x, **attrs):
        if x.ndim < k:
            raise InvalidArgumentError(
                None, None, f"Input must have rank of at least {k} but got: {list(x.shape)}"
            )
        if x.size == 0:
            return xp.zeros(x.shape, x.dtype)
        fn = xp.fft.ifftn if inverse else xp.fft.fftn
        return fn(x, axes=_axes(k)).astype(x.dtype, copy=False)

    return kernel


def _inner_size(t, k: int, dtype):
    """The number of elements in the innermost `k` dimensions of `t`, as a scalar of `dtype`."""
    dims = t.shape.as_list()[-k:] if t.shape.rank is not None else [None]
    if None not in dims:
        return as_tensor(float(np.prod(dims)), dtype=dtype)
    inner = array_ops.shape(t)[-k:]
    return math_ops.cast(reduction_ops.reduce_prod(inner), dtype)


FFT = defop("FFT", infer=_complex_rule(1))
IFFT = defop("IFFT", infer=_complex_rule(1))
FFT2D = defop("FFT2D", infer=_complex_rule(2))
IFFT2D = defop("IFFT2D", infer=_complex_rule(2))
FFT3D = defop("FFT3D", infer=_complex_rule(3))
IFFT3D = defop("IFFT3D", infer=_complex_rule(3))
_COMPLEX_OPS = {1: (FFT, IFFT), 2: (FFT2D, IFFT2D), 3: (FFT3D, IFFT3D)}


def _register_complex(k: int) -> None:
    fwd, inv = _COMPLEX_OPS[k]
    fwd.kernel(_complex_kernel(k, inverse=False))
    inv.kernel(_complex_kernel(k, inverse=True))

    # The adjoint of the DFT matrix F is conj(F) = n * F^-1, and that of F^-1 is F / n.
    @fwd.gradient
    def _(op, dy):
        return [inv(dy) * _inner_size(dy, k, dy.dtype)]

    @inv.gradient
    def _(op, dy):
        return [fwd(dy) / _inner_size(dy, k, dy.dtype)]


for _k in (1, 2, 3):
    _register_complex(_k)


# ------------------------------------------------------------------ real RFFT / IRFFT


def _real_rule(k: int, inverse: bool) -> Rule:
    def dtype(in_dtypes, attrs):
        x, n = in_dtypes
        if inverse:
            check_allowed(x, complex_, "Tcomplex")
            return attrs.get("Treal") or _TO_REAL[x]
        check_allowed(x, _REAL, "Treal")
        check_allowed(n, (dtypes.int32,), "fft_length")
        return attrs.get("Tcomplex") or _TO_COMPLEX[x]

    def shape(inputs, attrs):
        s = inputs[0].shape
        _check_rank(s, k)
        lengths = static_int_list(inputs[1])
        if lengths is not None:
            _check_lengths(lengths, k)
            inner = list(lengths) if inverse else lengths[:-1] + [lengths[-1] // 2 + 1]
        else:
            inner = [None] * k
        if s.rank is None:
            return TensorShape(None)
        return TensorShape(s.as_list()[:-k] + inner)

    return Rule(dtype, shape)


def _real_kernel(k: int, inverse: bool):
    def kernel(xp, x, fft_length, Tcomplex=None, Treal=None):
        lengths = [int(v) for v in np.asarray(fft_length).reshape(-1)]
        _check_lengths(lengths, k)
        if x.ndim < k:
            raise InvalidArgumentError(
                None, None, f"Input must have rank of at least {k} but got: {list(x.shape)}"
            )
        inner = lengths if inverse else lengths[:-1] + [lengths[-1] // 2 + 1]
        out_shape = tuple(x.shape[:-k]) + tuple(inner)
        out_dt = (
            (Treal or _TO_REAL[dtypes.as_dtype(x.dtype)])
            if inverse
            else (Tcomplex or _TO_COMPLEX[dtypes.as_dtype(x.dtype)])
        )
        out_np = out_dt.as_numpy_dtype
        # Zero-length transforms and all-padding inputs have an all-zero result.
        if x.size == 0 or 0 in lengths or 0 in out_shape:
            return xp.zeros(out_shape, out_np)
        fn = xp.fft.irfftn if inverse else xp.fft.rfftn
        return fn(x, s=lengths, axes=_axes(k)).astype(out_np, copy=False)

    return kernel


RFFT = defop("RFFT", infer=_real_rule(1, False), host_inputs=(1,))
IRFFT = defop("IRFFT", infer=_real_rule(1, True), host_inputs=(1,))
RFFT2D = defop("RFFT2D", infer=_real_rule(2, False), host_inputs=(1,))
IRFFT2D = defop("IRFFT2D", infer=_real_rule(2, True), host_inputs=(1,))
RFFT3D = defop("RFFT3D", infer=_real_rule(3, False), host_inputs=(1,))
IRFFT3D = defop("IRFFT3D", infer=_real_rule(3, True), host_inputs=(1,))
_REAL_OPS = {1: (RFFT, IRFFT), 2: (RFFT2D, IRFFT2D), 3: (RFFT3D, IRFFT3D)}


def _half_weights(n_last, dtype):
    """Weights over the rfft bins of an `n_last`-point transform: 1 at DC and Nyquist, 1/2 else.

    `n * irfft(g * w)` is the adjoint of rfft, and `rfft(g) / (n * w)` that of irfft.
    """
    if isinstance(n_last, int):
        w = np.full(n_last // 2 + 1, 0.5)
        w[0] = 1.0
        if n_last % 2 == 0:
            w[-1] = 1.0
        return as_tensor(w.astype(dtype.as_numpy_dtype))
    n = math_ops.cast(n_last, dtypes.int32)
    bins = creation_ops.range(n // 2 + 1)
    edge = math_ops.logical_or(math_ops.equal(bins, 0), math_ops.equal(bins * 2, n))
    w = math_ops.cast(edge, dtype.real_dtype) * 0.5 + 0.5
    return math_ops.complex(w, array_ops.zeros_like(w))


def _fit_inner(t, like, k: int):
    """Crops or zero-pads the innermost `k` dimensions of `t` to those of `like`."""
    have = t.shape.as_list()[-k:] if t.shape.rank is not None else None
    want = like.shape.as_list()[-k:] if like.shape.rank is not None else None
    if have is not None and want is not None and None not in have and None not in want:
        if have == want:
            return t
        r = t.shape.rank
        pads = [[0, 0]] * (r - k) + [[0, max(w - h, 0)] for h, w in zip(have, want)]
        if any(p[1] for p in pads):
            t = manip_ops.pad(t, pads)
        index = (Ellipsis,) + tuple(slice(0, w) for w in want)
        return t[index]
    # Dynamic sizes: pad every inner dim by what is missing, then slice the wanted block.
    s_t = array_ops.shape(t)
    s_like = array_ops.shape(like)
    outer = s_t[:-k]
    want_t = s_like[-k:]
    extra = math_ops.maximum(want_t - s_t[-k:], 0)
    zero_outer = array_ops.zeros_like(outer)
    before = manip_ops.concat([zero_outer, array_ops.zeros_like(extra)], 0)
    after = manip_ops.concat([zero_outer, extra], 0)
    t = manip_ops.pad(t, array_ops.stack([before, after], axis=1))
    size = manip_ops.concat([outer, want_t], 0)
    return indexing_ops.slice(t, array_ops.zeros_like(size), size)


def _last_length(fft_length, k: int):
    lengths = static_int_list(fft_length)
    if lengths is not None:
        return lengths[-1]
    return fft_length[k - 1]


def _register_real(k: int) -> None:
    fwd, inv = _REAL_OPS[k]
    fwd.kernel(_real_kernel(k, inverse=False))
    inv.kernel(_real_kernel(k, inverse=True))

    @fwd.gradient
    def _(op, dy):
        x, fft_length = op.inputs
        w = _half_weights(_last_length(fft_length, k), dy.dtype)
        y = inv(dy * w, fft_length, Treal=x.dtype)
        return [_fit_inner(y * _inner_size(y, k, x.dtype), x, k), None]

    @inv.gradient
    def _(op, dy):
        x, fft_length = op.inputs
        (y,) = op.outputs
        w = _half_weights(_last_length(fft_length, k), x.dtype)
        z = fwd(dy, fft_length, Tcomplex=x.dtype) / (w * _inner_size(y, k, x.dtype))
        return [_fit_inner(z, x, k), None]


for _k in (1, 2, 3):
    _register_real(_k)
