"""Patch and glimpse extraction: the ExtractImagePatches op (differentiable) and ExtractGlimpseV2.

ExtractImagePatches gathers through a static index map into the zero-padded image; its gradient
scatters back with `unsorted_segment_sum` over the same map, so it traces and differentiates again.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, real_numeric, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.image.color_adjust import host


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _axis_plan(n, k, stride, rate, padding):
    """(output size, padding before) along one spatial axis."""
    keff = k + (k - 1) * (rate - 1)
    if padding == "VALID":
        return max(math.ceil((n - keff + 1) / stride), 0), 0
    out = math.ceil(n / stride)
    return out, max((out - 1) * stride + keff - n, 0) // 2


def _index_map(h, w, attrs):
    """Flat indices [out_r, out_c, kr, kc] into an (h+1)*w-long image (h*w is the zero cell)."""
    _, kr, kc, _ = attrs["ksizes"]
    _, sr, sc, _ = attrs["strides"]
    _, rr, rc, _ = attrs["rates"]
    out_r, pad_r = _axis_plan(h, kr, sr, rr, attrs["padding"])
    out_c, pad_c = _axis_plan(w, kc, sc, rc, attrs["padding"])
    rows = np.arange(out_r)[:, None] * sr + np.arange(kr)[None, :] * rr - pad_r  # [out_r, kr]
    cols = np.arange(out_c)[:, None] * sc + np.arange(kc)[None, :] * rc - pad_c
    r = rows[:, None, :, None]
    c = cols[None, :, None, :]
    inside = (r >= 0) & (r < h) & (c >= 0) & (c < w)
    return np.where(inside, r * w + c, h * w)


def _check_attrs(attrs):
    for key in ("ksizes", "strides", "rates"):
        v = attrs[key]
        if len(v) != 4 or v[0] != 1 or v[3] != 1:
            raise _err(f"{key} must have the form [1, r, c, 1]: {list(v)}")
        if min(v) < 1:
            raise _err(f"{key} must be positive: {list(v)}")
    if attrs["padding"] not in ("SAME", "VALID"):
        raise _err(f"Value for attr 'padding' of \"{attrs['padding']}\" is not in the list of "
                   'allowed values: "SAME", "VALID"')  # fmt: skip


def _patches_dtype(dts, attrs):
    check_allowed(dts[0], real_numeric + (dtypes.complex64, dtypes.complex128, dtypes.bool))
    _check_attrs(attrs)
    return dts[0]


def _patches_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return TensorShape([None] * 4)
    if s.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {s.rank} for 'ExtractImagePatches'")
    b, h, w, d = s.as_list()
    _, kr, kc, _ = attrs["ksizes"]
    _, sr, sc, _ = attrs["strides"]
    _, rr, rc, _ = attrs["rates"]
    out_r = None if h is None else _axis_plan(h, kr, sr, rr, attrs["padding"])[0]
    out_c = None if w is None else _axis_plan(w, kc, sc, rc, attrs["padding"])[0]
    return TensorShape([b, out_r, out_c, None if d is None else kr * kc * d])


ExtractImagePatches = defop("ExtractImagePatches", infer=Rule(_patches_dtype, _patches_shape))


@ExtractImagePatches.kernel
def _(xp, images, ksizes, strides, rates, padding):
    if images.ndim != 4:
        raise _err(f"input must be 4-dimensional{list(images.shape)}")
    b, h, w, d = images.shape
    attrs = dict(ksizes=ksizes, strides=strides, rates=rates, padding=padding)
    idx = _index_map(h, w, attrs)
    flat = xp.concatenate([images.reshape(b, h * w, d), xp.zeros((b, 1, d), images.dtype)], 1)
    out = flat[:, xp.asarray(idx.reshape(-1)), :]
    o_r, o_c = idx.shape[:2]
    return out.reshape(b, o_r, o_c, -1)


@ExtractImagePatches.gradient
def _(op, dy):
    from tensorflux._src.ops import array_ops, segment_ops

    x = op.inputs[0]
    b, h, w, d = x.shape.as_list() if x.shape.rank == 4 else [None] * 4
    if h is None or w is None or d is None:
        raise NotImplementedError("the gradient of extract_patches needs static height, width "
                                  "and depth")  # fmt: skip
    attrs = {k: op.get_attr(k) for k in ("ksizes", "strides", "rates", "padding")}
    idx = _index_map(h, w, attrs).reshape(-1)
    # [batch, positions*depth] -> [positions, batch, depth], summed into (h*w + 1) cells.
    g = array_ops.reshape(dy, [-1, idx.size, d])
    g = array_ops.transpose(g, [1, 0, 2])
    cells = segment_ops.unsorted_segment_sum(g, idx.astype(np.int32), h * w + 1)
    cells = array_ops.transpose(cells[: h * w], [1, 0, 2])
    return [array_ops.reshape(cells, [-1, h, w, d])]


def extract_patches(images, sizes, strides, rates, padding, name=None):
    """Gathers `sizes`-shaped patches from images into the depth axis.

    Args:
      images: `[batch, rows, cols, depth]`.
      sizes, strides, rates: `[1, r, c, 1]` patch size, step between patch origins, and the
        dilation inside a patch.
      padding: "VALID" (patches fully inside) or "SAME" (zero padding, `ceil(n / stride)` out).

    Returns:
      `[batch, out_rows, out_cols, r * c * depth]`, each patch flattened row-major.
    """
    import tensorflux as tf

    return ExtractImagePatches(tf.convert_to_tensor(images), ksizes=[int(v) for v in sizes],
                               strides=[int(v) for v in strides], rates=[int(v) for v in rates],
                               padding=padding.upper(), name=name)  # fmt: skip


# ------------------------------------------------------------------ ExtractGlimpseV2


def _glimpse_shape(inputs, attrs):
    s = inputs[0].shape
    v = static_value(inputs[1])
    gh, gw = (None, None) if v is None else (int(v[0]), int(v[1]))
    if s.rank is None:
        return TensorShape([None, gh, gw, None])
    return TensorShape([s[0], gh, gw, s[3]])


def _glimpse_dtype(dts, attrs):
    if dts[0] is not dtypes.float32:
        check_allowed(dts[0], (dtypes.float32,))
    return dtypes.float32


ExtractGlimpseV2 = defop("ExtractGlimpseV2", infer=Rule(_glimpse_dtype, _glimpse_shape),
                         host_inputs=(1,), stateful=True)  # fmt: skip


@ExtractGlimpseV2.kernel
def _(xp, images, size, offsets, centered=True, normalized=True, uniform_noise=True,
      noise="uniform"):  # fmt: skip
    x = host(images).astype(np.float32)
    off = host(offsets).astype(np.float32)
    if x.ndim != 4:
        raise _err(f"input must be a 4-D tensor{list(x.shape)}")
    b, h, w, d = x.shape
    gh, gw = int(size[0]), int(size[1])
    if off.shape != (b, 2):
        raise _err(f"offsets must be a matrix of shape [{b}, 2], got {list(off.shape)}")
    if noise not in ("uniform", "gaussian", "zero", ""):
        raise _err(f"The noise type '{noise}' is not supported")
    if noise == "":
        noise = "uniform" if uniform_noise else "gaussian"
    f = np.float32
    ys, xs = off[:, 0].copy(), off[:, 1].copy()
    # Window corners as TensorFlow's kernel places them (only centered+normalized offsets
    # name the window's center; the others its top-left corner), truncated toward zero.
    if normalized and centered:
        ys = ys * f(h) / f(2) + f(h) / f(2) - f(gh) / f(2)
        xs = xs * f(w) / f(2) + f(w) / f(2) - f(gw) / f(2)
    elif normalized:
        ys, xs = ys * f(h), xs * f(w)
    elif centered:
        ys, xs = ys + f(h) / f(2), xs + f(w) / f(2)
    ys, xs = ys.astype(np.int64), xs.astype(np.int64)
    out = np.empty((b, gh, gw, d), np.float32)
    rng = np.random.default_rng()
    for i in range(b):
        rows = ys[i] + np.arange(gh)
        cols = xs[i] + np.arange(gw)
        inside = ((rows >= 0) & (rows < h))[:, None] & ((cols >= 0) & (cols < w))[None, :]
        src = x[i][np.clip(rows, 0, h - 1)[:, None], np.clip(cols, 0, w - 1)[None, :]]
        if noise == "zero":
            fill = np.zeros((gh, gw, d), np.float32)
        elif noise == "uniform":
            lo, hi = x[i].min(axis=(0, 1)), x[i].max(axis=(0, 1))
            fill = rng.uniform(lo, hi, (gh, gw, d)).astype(np.float32)
        else:
            mean, std = x[i].mean(axis=(0, 1)), x[i].std(axis=(0, 1))
            fill = rng.normal(mean, std, (gh, gw, d)).astype(np.float32)
        out[i] = np.where(inside[..., None], src, fill)
    return xp.asarray(out)


not_differentiable(ExtractGlimpseV2)


def extract_glimpse(input, size, offsets, centered=True, normalized=True, noise="uniform",
                    name=None):  # fmt: skip
    """Takes a `size` window from each image at the given `offsets` ([batch, 2], (y, x)).

    Args:
      input: float32 `[batch, height, width, channels]`.
      size: `[glimpse_height, glimpse_width]`.
      offsets: window centers; with `normalized` in [-1, 1] units (or [0, 1] when not
        `centered`), else in pixels; `centered` measures them from the image center.
      noise: what fills the window where it leaves the image: "uniform" (between the image's
        per-channel min and max), "gaussian" (its per-channel mean and deviation) or "zero".
    """
    import tensorflux as tf

    return ExtractGlimpseV2(tf.convert_to_tensor(input), tf.convert_to_tensor(size, dtypes.int32),
                            tf.convert_to_tensor(offsets, dtypes.float32), centered=centered,
                            normalized=normalized, uniform_noise=noise == "uniform",
                            noise=noise, name=name)  # fmt: skip
