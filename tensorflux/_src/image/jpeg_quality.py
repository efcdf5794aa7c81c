"""JPEG re-compression as augmentation: the EncodeJpegVariableQuality op (quality given as a
tensor, so it can be random) and adjust_jpeg_quality / random_jpeg_quality built on it.

Encoding uses Pillow (libjpeg: 4:2:0 chroma subsampling, baseline, standard tables scaled by the
quality), imported on first use; decoding is tf.io's `decode_jpeg`.
"""

from __future__ import annotations

import io as _io

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.image.color_adjust import host


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _tf():
    import tensorflux as tf

    return tf


def _encode_dtype(dts, attrs):
    check_allowed(dts[0], (dtypes.uint8,))
    if dts[1] is not dtypes.int32:
        check_allowed(dts[1], (dtypes.int32,), "quality")
    return dtypes.string


EncodeJpegVariableQuality = defop(
    "EncodeJpegVariableQuality",
    infer=Rule(_encode_dtype, lambda inputs, attrs: TensorShape([])),
)


@EncodeJpegVariableQuality.kernel
def _(xp, images, quality):
    from PIL import Image

    a = host(images)
    q = host(quality)
    if a.ndim != 3:
        raise _err(f"image must be 3-dimensional{list(a.shape)}")
    if a.shape[2] not in (1, 3):
        raise _err(f"image must have 1 or 3 channels, got {list(a.shape)}")
    if q.ndim != 0:
        raise _err(f"quality must be a scalar: {list(q.shape)}")
    q = int(q)
    if not 0 <= q <= 100:
        raise _err(f"quality must be in [0,100], got {q}")
    img = Image.fromarray(np.ascontiguousarray(a[..., 0] if a.shape[2] == 1 else a))
    buf = _io.BytesIO()
    img.save(buf, "JPEG", quality=max(q, 1), subsampling=2)
    return np.array(buf.getvalue(), dtype=object)


not_differentiable(EncodeJpegVariableQuality)


def adjust_jpeg_quality(image, jpeg_quality, dct_method="", name=None):
    """Encodes a `[height, width, 1 or 3]` image as JPEG at `jpeg_quality` (0-100) and decodes
    it again; the result keeps the image's dtype (floats are scaled through uint8)."""
    from tensorflux._src.image.image_ops import convert_image_dtype
    from tensorflux._src.io.image_codecs import decode_jpeg

    tf = _tf()
    x = tf.convert_to_tensor(image)
    channels = x.shape[-1] if x.shape.rank is not None else None
    orig = x.dtype
    u8 = convert_image_dtype(x, dtypes.uint8, saturate=True)
    q = tf.convert_to_tensor(jpeg_quality, dtypes.int32)
    data = EncodeJpegVariableQuality(u8, q, name=name)
    out = decode_jpeg(data, channels=channels or 0, dct_method=dct_method)
    return convert_image_dtype(out, orig, saturate=True)


def _check_quality(lo, hi):
    if lo < 0 or hi < 0 or lo > 100 or hi > 100:
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if lo >= hi:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")


def random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed=None):
    """`adjust_jpeg_quality` at a quality drawn uniformly from [min, max)."""
    _check_quality(min_jpeg_quality, max_jpeg_quality)
    q = _tf().random.uniform([], min_jpeg_quality, max_jpeg_quality, seed=seed,
                             dtype=dtypes.int32)  # fmt: skip
    return adjust_jpeg_quality(image, q)


def stateless_random_jpeg_quality(image, min_jpeg_quality, max_jpeg_quality, seed):
    """`random_jpeg_quality` driven by a shape-[2] seed."""
    _check_quality(min_jpeg_quality, max_jpeg_quality)
    q = _tf().random.stateless_uniform([], seed, min_jpeg_quality, max_jpeg_quality,
                                       dtype=dtypes.int32)  # fmt: skip
    return adjust_jpeg_quality(image, q)
