"""`crop_and_resize`: the CropAndResize op and its two gradient ops (wrt the image and the boxes).

A box (y1, x1, y2, x2) in normalized coordinates samples a `crop_h x crop_w` grid spanning it:
row `i` reads image row `y1 (H-1) + i (y2 - y1) (H-1) / (crop_h - 1)` (the box's center row when
crop_h is 1); samples outside the image take `extrapolation_value`.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError, OutOfRangeError
from tensorflux._src.core.infer import check_allowed, real_numeric, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.image.color_adjust import host

_METHODS = ("bilinear", "nearest")
_GRAD_IMAGE_T = (dtypes.float16, dtypes.float32, dtypes.float64)


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _coords(lo, hi, n_out, n_in):
    """Sample coordinates [boxes, n_out] along one axis, in input pixels (float32 arithmetic,
    as TensorFlow's kernel: which pixels a sample falls between depends on the rounding)."""
    f = np.float32
    lo, hi = lo.astype(f), hi.astype(f)
    if n_out > 1:
        step = (hi - lo) * f(n_in - 1) / f(n_out - 1)
        return lo[:, None] * f(n_in - 1) + np.arange(n_out, dtype=f)[None, :] * step[:, None]
    return (f(0.5) * (lo + hi) * f(n_in - 1))[:, None]


def _round(v):
    return np.sign(v) * np.floor(np.abs(v) + 0.5)  # halves away from zero, as C's round


def _grid(boxes, crop, shape):
    """Per-axis sample coordinates, validity masks, floor/ceil indices and lerp weights."""
    _, h, w, _ = shape
    ys = _coords(boxes[:, 0], boxes[:, 2], crop[0], h)
    xs = _coords(boxes[:, 1], boxes[:, 3], crop[1], w)
    vy = (ys >= 0) & (ys <= h - 1)
    vx = (xs >= 0) & (xs <= w - 1)
    return ys, xs, vy, vx


def _check(image_shape, boxes, box_ind, crop):
    if len(image_shape) != 4:
        raise _err(f"input image must be 4-D{list(image_shape)}")
    if boxes.ndim != 2 or boxes.shape[1] != 4:
        raise _err(f"boxes must be 2-D[num_boxes, 4]: {list(boxes.shape)}")
    if box_ind.ndim != 1 or box_ind.shape[0] != boxes.shape[0]:
        raise _err(f"box_index has incompatible shape {list(box_ind.shape)}")
    if crop is not None and (crop[0] <= 0 or crop[1] <= 0):
        raise _err("crop dimensions must be positive")
    bad = (box_ind < 0) | (box_ind >= image_shape[0])
    if bad.any():
        raise OutOfRangeError(None, None, "box_index has values outside [0, batch_size)")


def _bilinear_parts(img, boxes, box_ind, crop):
    """Corner values and weights of every sample: (tl, tr, bl, br, y_lerp, x_lerp, mask...)."""
    ys, xs, vy, vx = _grid(boxes, crop, img.shape)
    _, h, w, _ = img.shape
    top = np.clip(np.floor(ys), 0, h - 1).astype(np.int64)
    bot = np.clip(np.ceil(ys), 0, h - 1).astype(np.int64)
    left = np.clip(np.floor(xs), 0, w - 1).astype(np.int64)
    right = np.clip(np.ceil(xs), 0, w - 1).astype(np.int64)
    b = box_ind[:, None, None]
    tl = img[b, top[:, :, None], left[:, None, :]]
    tr = img[b, top[:, :, None], right[:, None, :]]
    bl = img[b, bot[:, :, None], left[:, None, :]]
    br = img[b, bot[:, :, None], right[:, None, :]]
    yl = (ys - np.floor(ys))[:, :, None, None]
    xl = (xs - np.floor(xs))[:, None, :, None]
    mask = (vy[:, :, None] & vx[:, None, :])[..., None]
    return tl, tr, bl, br, yl, xl, mask, (top, bot, left, right)


def _crop_dtype(dts, attrs):
    check_allowed(dts[0], real_numeric)
    if dts[1] is not dtypes.float32:
        check_allowed(dts[1], (dtypes.float32,), "boxes")
    if attrs.get("method", "bilinear") not in _METHODS:
        raise _err("method must be 'bilinear' or 'nearest'")
    return dtypes.float32


def _crop_shape(inputs, attrs):
    image, boxes = inputs[0], inputs[1]
    if image.shape.rank is not None and image.shape.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {image.shape.rank} for "
                         f"'CropAndResize' (op: 'CropAndResize')")  # fmt: skip
    cs = static_value(inputs[3])
    ch, cw = (None, None) if cs is None else (int(cs[0]), int(cs[1]))
    n = boxes.shape[0] if boxes.shape.rank == 2 else None
    d = image.shape[3] if image.shape.rank == 4 else None
    return TensorShape([n, ch, cw, d])


CropAndResize = defop("CropAndResize", infer=Rule(_crop_dtype, _crop_shape), host_inputs=(3,))


@CropAndResize.kernel
def _(xp, image, boxes, box_ind, crop_size, method="bilinear", extrapolation_value=0.0):
    img, bx, bi = host(image), host(boxes), host(box_ind)
    crop = [int(c) for c in crop_size]
    _check(img.shape, bx, bi, crop)
    img = img.astype(np.float32)
    if method == "nearest":
        ys, xs, vy, vx = _grid(bx, crop, img.shape)
        ri = np.clip(_round(ys), 0, img.shape[1] - 1).astype(np.int64)
        ci = np.clip(_round(xs), 0, img.shape[2] - 1).astype(np.int64)
        out = img[bi[:, None, None], ri[:, :, None], ci[:, None, :]]
        mask = (vy[:, :, None] & vx[:, None, :])[..., None]
    else:
        tl, tr, bl, br, yl, xl, mask, _ = _bilinear_parts(img, bx, bi, crop)
        top = tl + (tr - tl) * xl.astype(np.float32)
        bottom = bl + (br - bl) * xl.astype(np.float32)
        out = top + (bottom - top) * yl.astype(np.float32)
    out = np.where(mask, out, np.float32(extrapolation_value)).astype(np.float32)
    return xp.asarray(out)


@CropAndResize.gradient
def _(op, dy):
    image, boxes, box_ind, _ = op.inputs
    method = op.get_attr("method")
    d_image = None
    if image.dtype in _GRAD_IMAGE_T:
        from tensorflux._src.ops import array_ops

        d_image = CropAndResizeGradImage(dy, boxes, box_ind, array_ops.shape(image),
                                         T=image.dtype, method=method)  # fmt: skip
    d_boxes = CropAndResizeGradBoxes(dy, image, boxes, box_ind, method="bilinear")
    return [d_image, d_boxes, None, None]


def _grad_image_shape(inputs, attrs):
    v = static_value(inputs[3])
    return TensorShape(None if v is None else [int(s) for s in v]) if v is not None else \
        TensorShape([None] * 4)  # fmt: skip


CropAndResizeGradImage = defop(
    "CropAndResizeGradImage",
    infer=Rule(lambda dts, attrs: attrs["T"], _grad_image_shape),
    host_inputs=(3,),
)


@CropAndResizeGradImage.kernel
def _(xp, grads, boxes, box_ind, image_size, T=dtypes.float32, method="bilinear"):
    g, bx, bi = host(grads).astype(np.float64), host(boxes), host(box_ind)
    shape = tuple(int(s) for s in image_size)
    crop = g.shape[1:3]
    _check(shape, bx, bi, None)
    out = np.zeros(shape, np.float64)
    ys, xs, vy, vx = _grid(bx, crop, shape)
    mask = (vy[:, :, None] & vx[:, None, :])[..., None]
    g = np.where(mask, g, 0)
    b = np.broadcast_to(bi[:, None, None], g.shape[:3])
    if method == "nearest":
        ri = np.clip(_round(ys), 0, shape[1] - 1).astype(np.int64)
        ci = np.clip(_round(xs), 0, shape[2] - 1).astype(np.int64)
        np.add.at(out, (b, np.broadcast_to(ri[:, :, None], b.shape),
                        np.broadcast_to(ci[:, None, :], b.shape)), g)  # fmt: skip
    else:
        top = np.clip(np.floor(ys), 0, shape[1] - 1).astype(np.int64)
        bot = np.clip(np.ceil(ys), 0, shape[1] - 1).astype(np.int64)
        left = np.clip(np.floor(xs), 0, shape[2] - 1).astype(np.int64)
        right = np.clip(np.ceil(xs), 0, shape[2] - 1).astype(np.int64)
        yl = (ys - np.floor(ys))[:, :, None, None]
        xl = (xs - np.floor(xs))[:, None, :, None]
        for rows, wy in ((top, 1 - yl), (bot, yl)):
            for cols, wx in ((left, 1 - xl), (right, xl)):
                idx = (b, np.broadcast_to(rows[:, :, None], b.shape),
                       np.broadcast_to(cols[:, None, :], b.shape))  # fmt: skip
                np.add.at(out, idx, g * wy * wx)
    return xp.asarray(out.astype(T.as_numpy_dtype))


CropAndResizeGradBoxes = defop(
    "CropAndResizeGradBoxes",
    infer=Rule(lambda dts, attrs: dtypes.float32, lambda inputs, attrs: inputs[2].shape),
)


@CropAndResizeGradBoxes.kernel
def _(xp, grads, image, boxes, box_ind, method="bilinear"):
    g = host(grads).astype(np.float64)
    img, bx, bi = host(image).astype(np.float64), host(boxes), host(box_ind)
    _check(img.shape, bx, bi, None)
    _, h, w, _ = img.shape
    ch, cw = g.shape[1:3]
    tl, tr, bl, br, yl, xl, mask, _ = _bilinear_parts(img, bx, bi, (ch, cw))
    top = tl + (tr - tl) * xl
    bottom = bl + (br - bl) * xl
    gy = np.where(mask, g * (bottom - top), 0).sum(axis=(2, 3))  # d out / d y-coord, per row
    gx = np.where(mask, g * ((1 - yl) * (tr - tl) + yl * (br - bl)), 0).sum(axis=(1, 3))
    if ch > 1:
        t = np.arange(ch) / (ch - 1)
        dy1 = (gy * (1 - t)).sum(1) * (h - 1)
        dy2 = (gy * t).sum(1) * (h - 1)
    else:
        dy1 = dy2 = gy.sum(1) * 0.5 * (h - 1)
    if cw > 1:
        t = np.arange(cw) / (cw - 1)
        dx1 = (gx * (1 - t)).sum(1) * (w - 1)
        dx2 = (gx * t).sum(1) * (w - 1)
    else:
        dx1 = dx2 = gx.sum(1) * 0.5 * (w - 1)
    return xp.asarray(np.stack([dy1, dx1, dy2, dx2], 1).astype(np.float32))


not_differentiable(CropAndResizeGradImage, CropAndResizeGradBoxes)


def crop_and_resize(image, boxes, box_indices, crop_size, method="bilinear",
                    extrapolation_value=0.0, name=None):  # fmt: skip
    """Crops boxes out of a batch of images and resizes each to `crop_size`.

    Args:
      image: `[batch, height, width, depth]` images of a real dtype.
      boxes: `[num_boxes, 4]` float32 boxes `(y1, x1, y2, x2)` in normalized coordinates (y1 > y2
        flips the crop; coordinates outside [0, 1] extrapolate).
      box_indices: `[num_boxes]` int32 batch index of each box.
      crop_size: `[crop_height, crop_width]`, both positive.
      method: "bilinear" or "nearest".
      extrapolation_value: the value of samples that fall outside the image.

    Returns:
      float32 `[num_boxes, crop_height, crop_width, depth]`.
    """
    import tensorflux as tf

    return CropAndResize(
        tf.convert_to_tensor(image),
        tf.convert_to_tensor(boxes, dtype_hint=dtypes.float32),
        tf.convert_to_tensor(box_indices, dtype_hint=dtypes.int32),
        tf.convert_to_tensor(crop_size, dtype_hint=dtypes.int32),
        method=method,
        extrapolation_value=float(extrapolation_value),
        name=name,
    )
