"""`tf.image.resize`: every method as two interpolation matrices (one per spatial axis).

Resizing is linear and separable, so `out = Wy · image · Wxᵀ` per channel, with `Wy`
(out_h × in_h) and `Wx` (out_w × in_w) computed in NumPy from the static sizes. One einsum per
call, differentiable through einsum's gradient, identical on every device. Each method is a row
of weights per output pixel with half-pixel centers (TensorFlow 2's `resize`):

- bilinear / nearest / area follow TensorFlow's dedicated kernels,
- bicubic (Keys, a = -0.5), lanczos3/5, gaussian, mitchellcubic (and bilinear with antialias)
  follow its scale-and-translate kernels, widened by the downscale factor when antialiasing.
"""

from __future__ import annotations

import functools

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.infer import static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape

METHODS = ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
           "mitchellcubic")  # fmt: skip


def _bilinear_rows(out_n, in_n):
    w = np.zeros((out_n, in_n))
    scale = in_n / out_n
    for o in range(out_n):
        x = (o + 0.5) * scale - 0.5
        f = np.floor(x)
        lo = int(max(f, 0))
        hi = int(min(np.ceil(x), in_n - 1))
        t = x - f
        w[o, lo] += 1 - t
        w[o, hi] += t
    return w


def _nearest_rows(out_n, in_n):
    w = np.zeros((out_n, in_n))
    scale = in_n / out_n
    for o in range(out_n):
        i = min(int(np.floor((o + 0.5) * scale)), in_n - 1)
        w[o, i] = 1.0
    return w


def _keys(t, a=-0.5):
    t = abs(t)
    if t <= 1:
        return ((a + 2) * t - (a + 3)) * t * t + 1
    if t < 2:
        return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a
    return 0.0


def _area_rows(out_n, in_n):
    w = np.zeros((out_n, in_n))
    scale = in_n / out_n
    for o in range(out_n):
        start, end = o * scale, (o + 1) * scale
        i = int(np.floor(start))
        while i < end and i < in_n:
            cover = min(end, i + 1) - max(start, i)
            if cover > 0:
                w[o, i] += cover / scale
            i += 1
    return w


def _kernel(name):
    if name in ("bilinear", "triangle"):
        return lambda x: max(0.0, 1 - abs(x)), 1.0
    if name == "lanczos3":
        return lambda x: float(np.sinc(x) * np.sinc(x / 3)) if abs(x) < 3 else 0.0, 3.0
    if name == "lanczos5":
        return lambda x: float(np.sinc(x) * np.sinc(x / 5)) if abs(x) < 5 else 0.0, 5.0
    if name == "gaussian":
        sigma = 1.5 / 3
        return lambda x: float(np.exp(-x * x / (2 * sigma * sigma))) if abs(x) < 1.5 else 0.0, 1.5
    if name == "mitchellcubic":
        b = c = 1 / 3

        def m(x):
            x = abs(x)
            if x < 1:
                return ((12 - 9 * b - 6 * c) * x**3 + (-18 + 12 * b + 6 * c) * x**2
                        + (6 - 2 * b)) / 6  # fmt: skip
            if x < 2:
                return ((-b - 6 * c) * x**3 + (6 * b + 30 * c) * x**2 + (-12 * b - 48 * c) * x
                        + (8 * b + 24 * c)) / 6  # fmt: skip
            return 0.0

        return m, 2.0
    if name == "bicubic":
        return _keys, 2.0
    if name == "area":
        return lambda x: 1.0 if abs(x) < 0.5 else 0.0, 0.5
    raise ValueError(name)


def _scale_translate_rows(out_n, in_n, method, antialias):
    """TensorFlow's scale_and_translate weights: kernel centered on each output pixel."""
    fn, radius = _kernel(method)
    inv = in_n / out_n
    kscale = max(inv, 1.0) if antialias else 1.0
    w = np.zeros((out_n, in_n))
    for o in range(out_n):
        center = (o + 0.5) * inv
        lo = int(np.floor(center - radius * kscale - 0.5))
        hi = int(np.ceil(center + radius * kscale - 0.5))
        total = 0.0
        row = {}
        for i in range(max(lo, 0), min(hi + 1, in_n)):
            v = fn((i + 0.5 - center) / kscale)
            if v != 0.0:
                row[i] = v
                total += v
        if abs(total) > 1e-12:
            for i, v in row.items():
                w[o, i] = v / total
    return w


@functools.lru_cache(maxsize=256)
def weights(out_n: int, in_n: int, method: str, antialias: bool) -> np.ndarray:
    """The (out_n, in_n) interpolation matrix of one axis."""
    if method == "nearest":
        return _nearest_rows(out_n, in_n)
    if method == "area":  # already an average over the covered input: antialias changes nothing
        return _area_rows(out_n, in_n)
    if method in ("lanczos3", "lanczos5", "gaussian", "mitchellcubic", "bicubic"):
        return _scale_translate_rows(out_n, in_n, method, antialias)
    if antialias and out_n < in_n:
        return _scale_translate_rows(out_n, in_n, "bilinear", True)
    return _bilinear_rows(out_n, in_n)


def _weights_dtype(dts, attrs):
    return dtypes.int32 if attrs["indices"] else dtypes.float32


def _weights_shape(inputs, attrs):
    out_n = static_value(inputs[1])
    out_n = None if out_n is None else int(out_n)
    return TensorShape([out_n] if attrs["indices"] else [out_n, None])


# An axis's matrix (or nearest indices) from its run-time input and output sizes, for images
# whose size is unknown when tracing (decoded images in tf.data maps).
ResizeWeights = defop(
    "TfxResizeWeights", infer=Rule(_weights_dtype, _weights_shape), host_inputs=(0, 1)
)


@ResizeWeights.kernel
def _(xp, in_n, out_n, method, antialias, indices):
    w = weights(int(out_n), int(in_n), method, bool(antialias))
    if indices:
        return xp.asarray(np.argmax(w, axis=1).astype(np.int32))
    return xp.asarray(w.astype(np.float32))


not_differentiable(ResizeWeights)


def _dynamic_resize(images, x, new_h, new_w, method, antialias, out_dtype):
    """resize for sizes unknown when tracing: the matrices are computed when the graph runs."""
    from tensorflux._src.ops import math_ops
    from tensorflux._src.ops.array_ops import shape
    from tensorflux._src.ops.einsum_ops import einsum
    from tensorflux._src.ops.gather_ops import gather

    op = ResizeWeights
    dims = shape(images)
    kw = {"method": method, "antialias": bool(antialias)}
    if method == "nearest":
        iy = op(dims[1], new_h, indices=True, **kw)
        ix = op(dims[2], new_w, indices=True, **kw)
        return gather(gather(images, iy, axis=1), ix, axis=2)
    wy = op(dims[1], new_h, indices=False, **kw)
    wx = op(dims[2], new_w, indices=False, **kw)
    out = einsum("oh,bhwc,pw->bopc", wy, x, wx)
    return math_ops.cast(out, out_dtype) if out.dtype is not out_dtype else out


def resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False,
           name=None):  # fmt: skip
    """Resizes images (`[batch,] height, width, channels`) to `size` = (new_height, new_width).

    Args:
      images: a 4-D or 3-D tensor.
      size: two ints (the new height and width).
      method: one of `tf.image.ResizeMethod` ("bilinear", "nearest", "bicubic", "area",
        "lanczos3", "lanczos5", "gaussian", "mitchellcubic").
      preserve_aspect_ratio: shrink `size` so the image keeps its aspect ratio.
      antialias: low-pass filter when downsampling.
      name: the op name.

    Returns:
      float32 images (the input dtype for "nearest"), of shape `[batch,] size..., channels`.

    Raises:
      ValueError: for a bad rank, size or method.
    """
    from tensorflux._src.ops import math_ops
    from tensorflux._src.ops.array_ops import expand_dims, squeeze
    from tensorflux._src.ops.einsum_ops import einsum
    from tensorflux._src.tensor import constant, convert_to_tensor

    method = getattr(method, "value", method)
    if method not in METHODS:
        raise ValueError(f"Resize method is not implemented: [{method}]")
    images = convert_to_tensor(images)
    rank = images.shape.rank
    if rank not in (3, 4):
        raise ValueError("'images' must have either 3 or 4 dimensions.")
    single = rank == 3
    if single:
        images = expand_dims(images, 0)
    from tensorflux._src.tensor import EagerTensor, Tensor

    if isinstance(size, Tensor) and not isinstance(size, EagerTensor):
        if size.shape.as_list() not in ([2], [None]):
            raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
        size = [size[0], size[1]]  # known when the graph runs
    else:
        size = [int(s) for s in (size.numpy() if hasattr(size, "numpy") else size)]
    if len(size) != 2:
        raise ValueError("'size' must be a 1-D Tensor of 2 elements: new_height, new_width")
    _, in_h, in_w, _ = images.shape.as_list()
    new_h, new_w = size
    if in_h is None or in_w is None or isinstance(new_h, Tensor):
        if preserve_aspect_ratio:
            raise NotImplementedError(
                "tf.image.resize(preserve_aspect_ratio=True) needs the input height and width "
                "known when tracing."
            )
        out_dtype = images.dtype if method == "nearest" else dtypes.float32
        x = images if images.dtype is dtypes.float32 else math_ops.cast(images, dtypes.float32)
        out = _dynamic_resize(images, x, new_h, new_w, method, antialias, out_dtype)
        return squeeze(out, [0]) if single else out
    if preserve_aspect_ratio:
        scale = min(new_h / in_h, new_w / in_w)
        new_h = max(int(round(in_h * scale)), 1)
        new_w = max(int(round(in_w * scale)), 1)
    if method == "nearest":
        out_dtype = images.dtype
    else:
        out_dtype = dtypes.float32  # every other method returns float32, whatever the input
    x = images if images.dtype is dtypes.float32 else math_ops.cast(images, dtypes.float32)
    if method == "nearest" and (new_h, new_w) != (in_h, in_w):
        from tensorflux._src.ops.gather_ops import gather

        iy = np.argmax(weights(new_h, in_h, "nearest", False), axis=1)
        ix = np.argmax(weights(new_w, in_w, "nearest", False), axis=1)
        out = gather(gather(images, constant(iy.astype(np.int32)), axis=1),
                     constant(ix.astype(np.int32)), axis=2)  # fmt: skip
    elif (new_h, new_w) == (in_h, in_w) and method in ("nearest", "bilinear", "bicubic", "area"):
        out = images if method == "nearest" else math_ops.cast(x, out_dtype)
    else:
        wy = constant(weights(new_h, in_h, method, bool(antialias)), dtype=x.dtype)
        wx = constant(weights(new_w, in_w, method, bool(antialias)), dtype=x.dtype)
        out = einsum("oh,bhwc,pw->bopc", wy, x, wx)
        out = math_ops.cast(out, out_dtype) if out.dtype is not out_dtype else out
    return squeeze(out, [0]) if single else out


class ResizeMethod:
    """Names of the resize methods (`tf.image.ResizeMethod.BILINEAR`, ...)."""

    BILINEAR = "bilinear"
    NEAREST_NEIGHBOR = "nearest"
    BICUBIC = "bicubic"
    AREA = "area"
    LANCZOS3 = "lanczos3"
    LANCZOS5 = "lanczos5"
    GAUSSIAN = "gaussian"
    MITCHELLCUBIC = "mitchellcubic"
