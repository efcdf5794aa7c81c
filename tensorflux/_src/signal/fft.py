"""Public FFT functions of `tf.signal` (over the FFT ops) and fftshift/ifftshift."""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.ops import array_ops, binary_math_ops, fft_ops, gather_ops, manip_ops
from tensorflux._src.ops._util import as_tensor, np, static_int_list

_REAL = (dtypes.float32, dtypes.float64)


def _complex_fn(op, doc: str):
    def fn(input, name=None):  # noqa: A002 - TensorFlow's argument name
        # As in TensorFlow, NumPy arrays convert to complex64 and Python lists to complex128.
        hint = dtypes.complex64 if isinstance(input, np.ndarray) else None
        return op(as_tensor(input, dtype_hint=hint), name=name)

    fn.__doc__ = doc
    return fn


_C_DOC = """Computes the {what} over the innermost {k} dimension{s} of `input`.

    Args:
      input: A complex64 or complex128 `Tensor` of rank at least {k}.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype.{extra}
    """
_INV = " The inverse transform divides by the number of transformed elements."
fft = _complex_fn(fft_ops.FFT, _C_DOC.format(what="DFT", k=1, s="", extra=""))
ifft = _complex_fn(fft_ops.IFFT, _C_DOC.format(what="inverse DFT", k=1, s="", extra=_INV))
fft2d = _complex_fn(fft_ops.FFT2D, _C_DOC.format(what="2-D DFT", k=2, s="s", extra=""))
ifft2d = _complex_fn(fft_ops.IFFT2D, _C_DOC.format(what="inverse 2-D DFT", k=2, s="s", extra=_INV))
fft3d = _complex_fn(fft_ops.FFT3D, _C_DOC.format(what="3-D DFT", k=3, s="s", extra=""))
ifft3d = _complex_fn(fft_ops.IFFT3D, _C_DOC.format(what="inverse 3-D DFT", k=3, s="s", extra=_INV))
for _f, _n in ((fft, "fft"), (ifft, "ifft"), (fft2d, "fft2d"), (ifft2d, "ifft2d"),
               (fft3d, "fft3d"), (ifft3d, "ifft3d")):  # fmt: skip
    _f.__name__ = _f.__qualname__ = _n


def _default_length(x, k: int, inverse: bool):
    """fft_length taken from the input's inner dims (2 * (bins - 1) on the last one for irfft)."""
    s = x.shape
    if s.rank is not None:
        if s.rank < k:
            raise ValueError(f"Shape {s} must have rank at least {k}")
        dims = s.as_list()[-k:]
        if None not in dims:
            if inverse:
                dims[-1] = 2 * (dims[-1] - 1)
            return as_tensor(np.asarray(dims, np.int32))
    inner = array_ops.shape(x)[-k:]
    if not inverse:
        return inner
    last = 2 * (inner[-1:] - 1)
    return manip_ops.concat([inner[:-1], last], 0) if k > 1 else last


def _lengths(fft_length, x, k: int, inverse: bool):
    if fft_length is None:
        return _default_length(x, k, inverse)
    vals = static_int_list(fft_length) if not hasattr(fft_length, "dtype") else None
    if vals is not None:
        return as_tensor(np.asarray(vals, np.int32))
    return as_tensor(fft_length, dtype=dtypes.int32)


_RFFT_DOC = """Computes the DFT of a real signal over its innermost {k} dimension(s).

    Only the non-negative frequencies are returned: the last dimension holds
    fft_length[-1] // 2 + 1 bins. `fft_length` (a length-{k} int32 list or tensor, by default the
    input's inner dimensions) sets the transform size; the input is cropped or zero-padded to it.

    Args:
      input_tensor: A float32 or float64 `Tensor`.
      fft_length: An optional `[{k}]` int32 list or tensor.
      name: A name for the operation (optional).

    Returns:
      A complex64 (from float32) or complex128 (from float64) `Tensor`.

    Raises:
      ValueError: for other dtypes.
    """
_IRFFT_DOC = """Inverts `rfft` over the innermost {k} dimension(s): a real signal from its spectrum.

    The output's inner dimensions are `fft_length` (by default the input's, with the last one
    2 * (bins - 1)); the input is cropped or zero-padded to fft_length[:-1] and
    fft_length[-1] // 2 + 1 bins first.

    Args:
      input_tensor: A complex64 or complex128 `Tensor`.
      fft_length: An optional `[{k}]` int32 list or tensor.
      name: A name for the operation (optional).

    Returns:
      A float32 (from complex64) or float64 (from complex128) `Tensor`.

    Raises:
      ValueError: for other dtypes.
    """


def _real_fn(k: int, inverse: bool):
    fwd, inv = fft_ops._REAL_OPS[k]
    opname = ("IRFFT" if inverse else "RFFT") + ("" if k == 1 else f"{k}D")

    def fn(input_tensor, fft_length=None, name=None):
        if inverse:
            x = as_tensor(input_tensor, dtype_hint=dtypes.complex64)
            if not x.dtype.is_complex:
                raise ValueError(
                    f"{opname} requires tf.complex64 or tf.complex128 inputs, got: {x!s}"
                )
            n = _lengths(fft_length, x, k, True)
            return inv(x, n, Treal=x.dtype.real_dtype, name=name)
        x = as_tensor(input_tensor, dtype_hint=dtypes.float32)
        if x.dtype not in _REAL:
            raise ValueError(f"{opname} requires tf.float32 or tf.float64 inputs, got: {x!s}")
        n = _lengths(fft_length, x, k, False)
        out = dtypes.complex64 if x.dtype is dtypes.float32 else dtypes.complex128
        return fwd(x, n, Tcomplex=out, name=name)

    fn.__doc__ = (_IRFFT_DOC if inverse else _RFFT_DOC).format(k=k)
    fn.__name__ = fn.__qualname__ = ("irfft" if inverse else "rfft") + ("" if k == 1 else f"{k}d")
    return fn


rfft = _real_fn(1, False)
irfft = _real_fn(1, True)
rfft2d = _real_fn(2, False)
irfft2d = _real_fn(2, True)
rfft3d = _real_fn(3, False)
irfft3d = _real_fn(3, True)


def _shift(x, axes, sign: int, name):
    x = as_tensor(x)
    if axes is None:
        rank = x.shape.rank
        if rank is None:
            raise ValueError("fftshift with axes=None needs an input of known rank")
        axes = list(range(rank))
    elif isinstance(axes, (int, np.integer)) or (hasattr(axes, "shape") and not axes.shape):
        axes = [axes]
    ax = static_int_list(axes)
    if ax is not None:
        dims = x.shape.as_list() if x.shape.rank is not None else [None] * (max(ax) + 1)
        if all(dims[a] is not None for a in ax):
            shift = [sign * (dims[a] // 2) for a in ax]
            return manip_ops.roll(x, shift, ax, name=name)
    axes_t = as_tensor(axes, dtype=dtypes.int32)
    sizes = gather_ops.gather(array_ops.shape(x), axes_t)
    shift = binary_math_ops.floordiv(sizes, 2) * sign
    return manip_ops.roll(x, shift, axes_t, name=name)


def fftshift(x, axes=None, name=None):
    """Moves the zero-frequency bin to the middle of each axis in `axes` (all axes by default).

    Rolls each axis forward by half its length (rounded down), as `numpy.fft.fftshift` does.

    Args:
      x: A `Tensor`.
      axes: An int or list of ints, or None for every axis.
      name: A name for the operation (optional).

    Returns:
      The shifted `Tensor`.
    """
    return _shift(x, axes, 1, name)


def ifftshift(x, axes=None, name=None):
    """Undoes `fftshift`: rolls each axis in `axes` back by half its length (rounded down).

    Args:
      x: A `Tensor`.
      axes: An int or list of ints, or None for every axis.
      name: A name for the operation (optional).

    Returns:
      The shifted `Tensor`.
    """
    return _shift(x, axes, -1, name)
