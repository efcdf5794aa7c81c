"""Bounding-box utilities: DrawBoundingBoxesV2 and the distorted-crop samplers
SampleDistortedBoundingBoxV2 / StatelessSampleDistortedBoundingBox.

The samplers follow TensorFlow's contract (a crop with an aspect ratio and area fraction drawn
from the given ranges that covers at least `min_object_covered` of one of the boxes, else the
whole image); their random draws are tensorflux's own, not TensorFlow's bit stream.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.image.color_adjust import host
from tensorflux._src.ops import random_ops as R


def _err(msg):
    return InvalidArgumentError(None, None, msg)


# Colors used when `colors` is empty, cycled over the boxes.
_PALETTE = np.array([[1, 1, 0, 1], [0, 0, 1, 1], [1, 0, 0, 1], [0, 1, 0, 1], [0.5, 0, 0.5, 1],
                     [0.5, 0.5, 0, 1], [0.5, 0, 0, 1], [0, 0, 0.5, 1], [0, 1, 1, 1],
                     [1, 0, 1, 1]], np.float32)  # fmt: skip


def _draw_dtype(dts, attrs):
    check_allowed(dts[0], (dtypes.float16, dtypes.float32))
    return dts[0]


DrawBoundingBoxesV2 = defop(
    "DrawBoundingBoxesV2", infer=Rule(_draw_dtype, lambda inputs, attrs: inputs[0].shape)
)


@DrawBoundingBoxesV2.kernel
def _(xp, images, boxes, colors):
    img = host(images).copy()
    bx = host(boxes).astype(np.float32)
    col = host(colors).astype(np.float32)
    if img.ndim != 4:
        raise _err(f"The rank of the images should be 4{list(img.shape)}")
    b, h, w, d = img.shape
    if d not in (1, 2, 3, 4):
        raise _err("Channel depth should be either 1 (GRY), 3 (RGB), or 4 (RGBA)")
    if bx.ndim != 3 or bx.shape[0] != b or bx.shape[2] != 4:
        raise _err(f"boxes must be 3-D [batch, num_boxes, 4]: {list(bx.shape)}")
    if col.size == 0:
        col = _PALETTE.copy()
        if d == 1:
            col[:, 0] = 1
    if col.ndim != 2 or col.shape[1] < d:
        raise _err(f"Color has to have at least as many channels as the image: {list(col.shape)}")
    for i in range(b):
        for j in range(bx.shape[1]):
            c = col[j % col.shape[0], :d].astype(img.dtype)
            # Truncation toward zero, as TensorFlow's integer conversion.
            r0, c0 = int(bx[i, j, 0] * np.float32(h - 1)), int(bx[i, j, 1] * np.float32(w - 1))
            r1, c1 = int(bx[i, j, 2] * np.float32(h - 1)), int(bx[i, j, 3] * np.float32(w - 1))
            if r0 > r1 or c0 > c1 or r0 >= h or r1 < 0 or c0 >= w or c1 < 0:
                continue
            rs, re = max(r0, 0), min(r1, h - 1)
            cs, ce = max(c0, 0), min(c1, w - 1)
            if 0 <= r0 < h:
                img[i, r0, cs : ce + 1] = c
            if 0 <= r1 < h:
                img[i, r1, cs : ce + 1] = c
            if 0 <= c0 < w:
                img[i, rs : re + 1, c0] = c
            if 0 <= c1 < w:
                img[i, rs : re + 1, c1] = c
    return xp.asarray(img)


not_differentiable(DrawBoundingBoxesV2)


def draw_bounding_boxes(images, boxes, colors, name=None):
    """Draws one-pixel box outlines on a batch of images.

    Args:
      images: float32/float16 `[batch, height, width, depth]` (depth 1, 3 or 4).
      boxes: `[batch, num_boxes, 4]` normalized `(y_min, x_min, y_max, x_max)`; parts outside
        the image are not drawn.
      colors: `[num_colors, 4]` RGBA colors cycled over the boxes (None or empty: a built-in
        palette).
    """
    import tensorflux as tf

    x = tf.convert_to_tensor(images)
    if colors is None:
        colors = tf.zeros([0, 4], dtypes.float32)
    return DrawBoundingBoxesV2(
        x,
        tf.convert_to_tensor(boxes, dtypes.float32),
        tf.convert_to_tensor(colors, dtypes.float32),
        name=name,
    )


# ------------------------------------------------------------------ distorted crops


def _sample_dtype(dts, attrs):
    check_allowed(dts[0], (dtypes.uint8, dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64))
    return [dts[0], dts[0], dtypes.float32]


def _sample_shape(inputs, attrs):
    return [TensorShape([3]), TensorShape([3]), TensorShape([1, 1, 4])]


def _check_sample_args(image_size, boxes, covered, aspect, area, use_image):
    if image_size.ndim != 1 or image_size.size != 3:
        raise _err(f"image_size must contain 3 elements{list(image_size.shape)}")
    if boxes.ndim != 3 or boxes.shape[2] != 4:
        shape = ",".join(str(d) for d in boxes.shape)
        raise _err(f"input boxes must be 3-dimensional [batch, num_boxes, coords]: [{shape}]")
    if covered < 0:
        raise _err(f"Min object covered must be non-negative: {covered:g}")
    if len(aspect) != 2 or min(aspect) <= 0:
        raise _err(f"Aspect ratio range must be non-negative: [{aspect[0]:g}, {aspect[1]:g}]")
    if len(area) != 2 or min(area) <= 0:
        raise _err(f"Area range must be non-negative: [{area[0]:g}, {area[1]:g}]")
    if max(area) > 1:
        raise _err(f"Area range must be less then or equal to 1.0: [{area[0]:g}, {area[1]:g}]")
    flat = boxes.reshape(-1)
    bad = (flat < 0) | (flat > 1)
    if bad.any():
        raise _err(f"All bounding box coordinates must be in [0.0, 1.0]: {flat[bad][0]:g}")
    if flat.size == 0 and not use_image:
        raise _err("No bounding boxes provided as input. One must enable "
                   "use_image_if_no_bounding_boxes if you wish to not provide any bounding "
                   "boxes.")  # fmt: skip


def _random_crop(rng, h, w, aspect, area):
    """(y, x, ch, cw) of one candidate crop, or None when this draw cannot satisfy the ranges."""
    ratio = rng.uniform(aspect[0], aspect[1])
    min_area, max_area = area[0] * h * w, area[1] * h * w
    lo = int(round(math.sqrt(min_area / ratio)))
    hi = int(round(math.sqrt(max_area / ratio)))
    if round(hi * ratio) > w:
        hi = int((w + 0.5 - 1e-7) / ratio)
        if round(hi * ratio) > w:
            hi -= 1
    hi = min(hi, h)
    lo = min(lo, hi)
    ch = lo + int(rng.integers(0, hi - lo + 1)) if lo < hi else lo
    cw = int(round(ch * ratio))
    if cw * ch < min_area:
        ch += 1
        cw = int(round(ch * ratio))
    elif cw * ch > max_area:
        ch -= 1
        cw = int(round(ch * ratio))
    if not (min_area <= cw * ch <= max_area) or not (0 < cw <= w and 0 < ch <= h):
        return None
    y = int(rng.integers(0, h - ch)) if ch < h else 0
    x = int(rng.integers(0, w - cw)) if cw < w else 0
    return y, x, ch, cw


def _covers(crop, rects, covered):
    y, x, ch, cw = crop
    for r0, c0, r1, c1 in rects:
        box_area = (r1 - r0) * (c1 - c0)
        if box_area <= 0:
            continue
        ih = max(min(r1, y + ch) - max(r0, y), 0)
        iw = max(min(c1, x + cw) - max(c0, x), 0)
        if ih * iw / box_area >= covered:
            return True
    return False


def _sample(rng, image_size, boxes, covered, aspect, area, attempts, use_image):
    size = host(image_size)
    bx = host(boxes).astype(np.float32)
    covered = float(host(covered))
    _check_sample_args(size, bx, covered, aspect, area, use_image)
    h, w = int(size[0]), int(size[1])
    if h <= 0 or w <= 0:
        raise _err(f"image height and width must be positive, got [{h}, {w}]")
    flat = bx.reshape(-1, 4)
    rects = [(int(b[0] * h), int(b[1] * w), int(b[2] * h), int(b[3] * w)) for b in flat]
    if not rects:
        rects = [(0, 0, h, w)]
    crop = None
    for _ in range(attempts):
        cand = _random_crop(rng, h, w, aspect, area)
        if cand is not None and _covers(cand, rects, covered):
            crop = cand
            break
    y, x, ch, cw = crop if crop is not None else (0, 0, h, w)
    dt = size.dtype
    begin = np.array([y, x, 0], dt)
    out_size = np.array([ch, cw, -1]).astype(dt)
    bbox = np.array([[[y / h, x / w, (y + ch) / h, (x + cw) / w]]], np.float32)
    return begin, out_size, bbox


SampleDistortedBoundingBoxV2 = defop(
    "SampleDistortedBoundingBoxV2",
    infer=Rule(_sample_dtype, _sample_shape),
    num_outputs=3,
    stateful=True,
)


@SampleDistortedBoundingBoxV2.kernel
def _(xp, image_size, bounding_boxes, min_object_covered, seed=0, seed2=0,
      aspect_ratio_range=(0.75, 1.33), area_range=(0.05, 1.0), max_attempts=100,
      use_image_if_no_bounding_boxes=False):  # fmt: skip
    rng = R.stream(seed, seed2)
    return [xp.asarray(a) for a in _sample(rng, image_size, bounding_boxes, min_object_covered,
                                           aspect_ratio_range, area_range, max_attempts,
                                           use_image_if_no_bounding_boxes)]  # fmt: skip


StatelessSampleDistortedBoundingBox = defop(
    "StatelessSampleDistortedBoundingBox",
    infer=Rule(_sample_dtype, _sample_shape),
    num_outputs=3,
)


@StatelessSampleDistortedBoundingBox.kernel
def _(xp, image_size, bounding_boxes, min_object_covered, seed,
      aspect_ratio_range=(0.75, 1.33), area_range=(0.05, 1.0), max_attempts=100,
      use_image_if_no_bounding_boxes=False):  # fmt: skip
    rng = R.stateless_stream(host(seed))
    return [xp.asarray(a) for a in _sample(rng, image_size, bounding_boxes, min_object_covered,
                                           aspect_ratio_range, area_range, max_attempts,
                                           use_image_if_no_bounding_boxes)]  # fmt: skip


not_differentiable(SampleDistortedBoundingBoxV2, StatelessSampleDistortedBoundingBox)


def _sample_attrs(aspect_ratio_range, area_range, max_attempts, use_image):
    return dict(
        aspect_ratio_range=[float(v) for v in (aspect_ratio_range or (0.75, 1.33))],
        area_range=[float(v) for v in (area_range or (0.05, 1.0))],
        max_attempts=100 if max_attempts is None else int(max_attempts),
        use_image_if_no_bounding_boxes=bool(use_image),
    )


def sample_distorted_bounding_box(image_size, bounding_boxes, seed=0, min_object_covered=0.1,
                                  aspect_ratio_range=None, area_range=None, max_attempts=None,
                                  use_image_if_no_bounding_boxes=None, name=None):  # fmt: skip
    """Draws a random crop for data augmentation.

    The crop's aspect ratio (width / height) is drawn from `aspect_ratio_range` (default
    [0.75, 1.33]) and its area, as a fraction of the image, lies in `area_range` (default
    [0.05, 1]); it must cover at least `min_object_covered` of one of `bounding_boxes`
    (`[batch, N, 4]` normalized boxes). After `max_attempts` (default 100) failures the whole
    image is returned.

    Returns:
      (begin `[y, x, 0]`, size `[h, w, -1]`, both of image_size's dtype, ready for `tf.slice`,
      and the crop as a float32 `[1, 1, 4]` normalized box).
    """
    import tensorflux as tf

    s1, s2 = R._op_seeds(seed if seed else None)
    return tuple(SampleDistortedBoundingBoxV2(
        tf.convert_to_tensor(image_size), tf.convert_to_tensor(bounding_boxes, dtypes.float32),
        tf.convert_to_tensor(min_object_covered, dtypes.float32), seed=s1, seed2=s2,
        name=name, **_sample_attrs(aspect_ratio_range, area_range, max_attempts,
                                   use_image_if_no_bounding_boxes)))  # fmt: skip


def stateless_sample_distorted_bounding_box(image_size, bounding_boxes, seed,
                                            min_object_covered=0.1, aspect_ratio_range=None,
                                            area_range=None, max_attempts=None,
                                            use_image_if_no_bounding_boxes=None,
                                            name=None):  # fmt: skip
    """`sample_distorted_bounding_box` driven by a shape-[2] `seed`: same seed, same crop."""
    import tensorflux as tf

    return tuple(StatelessSampleDistortedBoundingBox(
        tf.convert_to_tensor(image_size), tf.convert_to_tensor(bounding_boxes, dtypes.float32),
        tf.convert_to_tensor(min_object_covered, dtypes.float32), tf.convert_to_tensor(seed),
        name=name, **_sample_attrs(aspect_ratio_range, area_range, max_attempts,
                                   use_image_if_no_bounding_boxes)))  # fmt: skip
