"""`tf.image` basics as composites: flips, rotations, crops/pads, dtype conversion, color and
brightness/contrast adjustments, random variants, gradients and simple metrics.

Images are `[batch,] height, width, channels`; every function here is built from existing ops,
so it runs on any device, traces, and differentiates where TensorFlow's does.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes


def _tf():
    import tensorflux as tf

    return tf


def _image(x):
    tf = _tf()
    x = tf.convert_to_tensor(x)
    if x.shape.rank is not None and x.shape.rank < 3:
        raise ValueError(f"'image' (shape {x.shape}) must be at least three-dimensional.")
    return x


def _hw(x):
    r = x.shape.rank
    return r - 3, r - 2


def flip_left_right(image):
    """Mirrors images horizontally (along width)."""
    x = _image(image)
    return _tf().reverse(x, [_hw(x)[1]])


def flip_up_down(image):
    """Mirrors images vertically (along height)."""
    x = _image(image)
    return _tf().reverse(x, [_hw(x)[0]])


def transpose(image, name=None):
    """Swaps height and width."""
    x = _image(image)
    r = x.shape.rank
    perm = list(range(r))
    perm[r - 3], perm[r - 2] = perm[r - 2], perm[r - 3]
    return _tf().transpose(x, perm)


def rot90(image, k=1, name=None):
    """Rotates images counter-clockwise by `k` quarter turns."""
    x = _image(image)
    k = int(k) % 4
    if k == 0:
        return x
    if k == 1:
        return flip_up_down(transpose(x))
    if k == 2:
        return flip_up_down(flip_left_right(x))
    return transpose(flip_up_down(x))


def crop_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Crops the box with top-left corner (offset_height, offset_width) and the target size.

    Raises:
      ValueError: if the box does not fit in the image.
    """
    tf = _tf()
    x = _image(image)
    h_ax, w_ax = _hw(x)
    h, w = x.shape[h_ax], x.shape[w_ax]
    if offset_width < 0:
        raise ValueError("offset_width must be >= 0.")
    if offset_height < 0:
        raise ValueError("offset_height must be >= 0.")
    if target_width <= 0:
        raise ValueError("target_width must be > 0.")
    if target_height <= 0:
        raise ValueError("target_height must be > 0.")
    if w is not None and w < target_width + offset_width:
        raise ValueError("width must be >= target + offset.")
    if h is not None and h < target_height + offset_height:
        raise ValueError("height must be >= target + offset.")
    begin = [0] * x.shape.rank
    size = [-1] * x.shape.rank
    begin[h_ax], begin[w_ax] = offset_height, offset_width
    size[h_ax], size[w_ax] = target_height, target_width
    return tf.slice(x, begin, size)


def pad_to_bounding_box(image, offset_height, offset_width, target_height, target_width):
    """Zero-pads images to the target size, placing them at the offsets.

    Raises:
      ValueError: if the image does not fit.
    """
    tf = _tf()
    x = _image(image)
    h_ax, w_ax = _hw(x)
    h, w = x.shape[h_ax], x.shape[w_ax]
    after_w = target_width - offset_width - w
    after_h = target_height - offset_height - h
    if offset_height < 0:
        raise ValueError("offset_height must be >= 0")
    if offset_width < 0:
        raise ValueError("offset_width must be >= 0")
    if after_w < 0:
        raise ValueError("width must be <= target - offset")
    if after_h < 0:
        raise ValueError("height must be <= target - offset")
    pads = [[0, 0]] * x.shape.rank
    pads[h_ax] = [offset_height, after_h]
    pads[w_ax] = [offset_width, after_w]
    return tf.pad(x, pads)


def central_crop(image, central_fraction):
    """Keeps the central `central_fraction` (in (0, 1]) of height and width."""
    if not 0.0 < central_fraction <= 1.0:
        raise ValueError("central_fraction must be within (0, 1]")
    x = _image(image)
    if central_fraction == 1.0:
        return x
    h_ax, w_ax = _hw(x)
    h, w = x.shape[h_ax], x.shape[w_ax]
    top = int((h - h * central_fraction) / 2)
    left = int((w - w * central_fraction) / 2)
    return crop_to_bounding_box(x, top, left, h - 2 * top, w - 2 * left)


def resize_with_crop_or_pad(image, target_height, target_width):
    """Centers images in the target size, cropping or zero-padding each axis as needed."""
    x = _image(image)
    h_ax, w_ax = _hw(x)
    h, w = x.shape[h_ax], x.shape[w_ax]
    off_crop_w = max((w - target_width) // 2, 0)
    off_pad_w = max((target_width - w) // 2, 0)
    off_crop_h = max((h - target_height) // 2, 0)
    off_pad_h = max((target_height - h) // 2, 0)
    x = crop_to_bounding_box(x, off_crop_h, off_crop_w, min(target_height, h),
                             min(target_width, w))  # fmt: skip
    return pad_to_bounding_box(x, off_pad_h, off_pad_w, target_height, target_width)


def resize_with_pad(image, target_height, target_width, method="bilinear", antialias=False):
    """Resizes keeping the aspect ratio, then zero-pads to the target size (centered)."""
    from tensorflux._src.image.resize import resize

    x = _image(image)
    h_ax, w_ax = _hw(x)
    h, w = x.shape[h_ax], x.shape[w_ax]
    if h is None or w is None:
        return _resize_with_pad_dynamic(x, h_ax, target_height, target_width, method, antialias)
    ratio = max(w / target_width, h / target_height)
    new_h, new_w = max(int(h / ratio), 1), max(int(w / ratio), 1)
    pad_h = int(max((target_height - h / ratio) / 2, 0))  # from the unrounded size, as TF
    pad_w = int(max((target_width - w / ratio) / 2, 0))
    resized = resize(x, (new_h, new_w), method=method, antialias=antialias)
    return pad_to_bounding_box(resized, pad_h, pad_w, target_height, target_width)


def _resize_with_pad_dynamic(x, h_ax, th, tw, method, antialias):
    """resize_with_pad for images whose size is known only when the graph runs."""
    from tensorflux._src.image.resize import resize

    tf = _tf()
    dims = tf.shape(x)
    h, w = tf.cast(dims[h_ax], "float64"), tf.cast(dims[h_ax + 1], "float64")
    ratio = tf.maximum(w / tw, h / th)
    new_h = tf.maximum(tf.cast(h / ratio, "int32"), 1)
    new_w = tf.maximum(tf.cast(w / ratio, "int32"), 1)
    pad_h = tf.cast(tf.maximum((th - h / ratio) / 2, 0.0), "int32")
    pad_w = tf.cast(tf.maximum((tw - w / ratio) / 2, 0.0), "int32")
    resized = resize(x, tf.stack([new_h, new_w]), method=method, antialias=antialias)
    spatial = [[pad_h, th - new_h - pad_h], [pad_w, tw - new_w - pad_w]]
    paddings = ([[0, 0]] if h_ax == 1 else []) + spatial + [[0, 0]]
    out = tf.pad(resized, tf.stack([tf.stack([tf.cast(a, "int32"), tf.cast(b, "int32")])
                                    for a, b in paddings]))  # fmt: skip
    out.set_shape(x.shape[:h_ax].concatenate([th, tw]).concatenate(x.shape[h_ax + 2:]))
    return out


def _max_of(dtype):
    return 1.0 if dtype.is_floating else float(np.iinfo(dtype.as_numpy_dtype).max)


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """Converts between image dtypes, rescaling: floats span [0, 1], integers [0, MAX].

    Args:
      image: the images.
      dtype: the target dtype.
      saturate: clip before casting (avoids wrap-around when narrowing integers).
    """
    tf = _tf()
    x = tf.convert_to_tensor(image)
    dtype = dtypes.as_dtype(dtype)
    if dtype is x.dtype:
        return tf.identity(x)
    src_float, dst_float = x.dtype.is_floating, dtype.is_floating
    if src_float and dst_float:
        return tf.cast(x, dtype)
    if not src_float and not dst_float:
        scale = _max_of(dtype) / _max_of(x.dtype)
        if scale >= 1:
            return tf.cast(x, dtype) * tf.cast(int(round(scale)), dtype) if scale > 1 else \
                tf.cast(x, dtype)  # fmt: skip
        return tf.cast(tf.math.floordiv(x, tf.cast(int(round(1 / scale)), x.dtype)), dtype)
    if src_float:
        scaled = x * (_max_of(dtype) + 0.5)
        if saturate:
            scaled = tf.clip_by_value(scaled, 0.0, _max_of(dtype))
        return tf.cast(scaled, dtype)
    return tf.cast(x, dtype) * tf.cast(1.0 / _max_of(x.dtype), dtype)


def per_image_standardization(image):
    """Scales each image to zero mean and unit variance (the deviation floored at 1/sqrt(N))."""
    tf = _tf()
    x = _image(image)
    if not x.dtype.is_floating:
        x = tf.cast(x, dtypes.float32)
    axes = [-1, -2, -3]
    n = int(np.prod(x.shape.as_list()[-3:]))
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    std = tf.math.reduce_std(x, axis=axes, keepdims=True)
    adjusted = tf.maximum(std, tf.cast(1.0 / np.sqrt(n), x.dtype))
    return (x - mean) / adjusted


_GRAY = np.array([0.2989, 0.5870, 0.1140])


def rgb_to_grayscale(images, name=None):
    """The luma of RGB images (one channel)."""
    tf = _tf()
    x = tf.convert_to_tensor(images)
    f = x if x.dtype.is_floating else tf.image.convert_image_dtype(x, dtypes.float32)
    gray = tf.reduce_sum(f * tf.constant(_GRAY, f.dtype), axis=-1, keepdims=True)
    return gray if x.dtype.is_floating else convert_image_dtype(gray, x.dtype)


def grayscale_to_rgb(images, name=None):
    """Repeats a single channel three times."""
    tf = _tf()
    x = tf.convert_to_tensor(images)
    return tf.concat([x, x, x], axis=-1)


_YUV = np.array([[0.299, -0.14714119, 0.61497538], [0.587, -0.28886916, -0.51496512],
                 [0.114, 0.43601035, -0.10001026]])  # fmt: skip
_YIQ = np.array([[0.299, 0.59590059, 0.2115], [0.587, -0.27455667, -0.52273617],
                 [0.114, -0.32134392, 0.31119955]])  # fmt: skip


def _color(images, m):
    tf = _tf()
    x = tf.convert_to_tensor(images)
    return tf.tensordot(x, tf.constant(m, x.dtype), axes=[[x.shape.rank - 1], [0]])


def rgb_to_yuv(images):
    """RGB to YUV."""
    return _color(images, _YUV)


def yuv_to_rgb(images):
    """YUV to RGB."""
    return _color(images, np.linalg.inv(_YUV))


def rgb_to_yiq(images):
    """RGB to YIQ."""
    return _color(images, _YIQ)


def yiq_to_rgb(images):
    """YIQ to RGB."""
    return _color(images, np.linalg.inv(_YIQ))


def _as_float(x):
    return (x, None) if x.dtype.is_floating else (convert_image_dtype(x, dtypes.float32), x.dtype)


def adjust_brightness(image, delta):
    """Adds `delta` to every pixel (in [0, 1] units for integer images)."""
    tf = _tf()
    x, orig = _as_float(tf.convert_to_tensor(image))
    out = x + tf.cast(delta, x.dtype)
    return convert_image_dtype(out, orig, saturate=True) if orig is not None else out


def adjust_contrast(images, contrast_factor):
    """Scales each channel's deviation from its per-image mean by `contrast_factor`."""
    tf = _tf()
    x, orig = _as_float(tf.convert_to_tensor(images))
    mean = tf.reduce_mean(x, axis=[-3, -2], keepdims=True)
    out = (x - mean) * tf.cast(contrast_factor, x.dtype) + mean
    return convert_image_dtype(out, orig, saturate=True) if orig is not None else out


def adjust_gamma(image, gamma=1, gain=1):
    """`gain * image ** gamma` (integer images scaled to [0, 1] first).

    Raises:
      ValueError: if gamma is negative.
    """
    tf = _tf()
    if isinstance(gamma, (int, float)) and gamma < 0:
        raise ValueError("Gamma should be a non-negative real number.")
    x, orig = _as_float(tf.convert_to_tensor(image))
    out = tf.cast(gain, x.dtype) * x ** tf.cast(gamma, x.dtype)
    return convert_image_dtype(out, orig, saturate=True) if orig is not None else out


def _random_bool(x, seed, stateless=False):
    tf = _tf()
    rank = x.shape.rank
    shape = [tf.shape(x)[0]] + [1] * (rank - 1) if rank == 4 else [1] * rank
    if stateless:
        u = tf.random.stateless_uniform(tf.stack(shape) if rank == 4 else shape, seed)
    else:
        u = tf.random.uniform(tf.stack(shape) if rank == 4 else shape, seed=seed)
    return u < 0.5


def random_flip_left_right(image, seed=None):
    """Mirrors each image horizontally with probability 1/2."""
    tf = _tf()
    x = _image(image)
    return tf.where(_random_bool(x, seed), flip_left_right(x), x)


def random_flip_up_down(image, seed=None):
    """Mirrors each image vertically with probability 1/2."""
    tf = _tf()
    x = _image(image)
    return tf.where(_random_bool(x, seed), flip_up_down(x), x)


def stateless_random_flip_left_right(image, seed):
    """`random_flip_left_right` driven by a (2,) seed (same seed, same flips)."""
    tf = _tf()
    x = _image(image)
    return tf.where(_random_bool(x, seed, True), flip_left_right(x), x)


def stateless_random_flip_up_down(image, seed):
    """`random_flip_up_down` driven by a (2,) seed."""
    tf = _tf()
    x = _image(image)
    return tf.where(_random_bool(x, seed, True), flip_up_down(x), x)


def random_brightness(image, max_delta, seed=None):
    """Adds one delta drawn from [-max_delta, max_delta).

    Raises:
      ValueError: if max_delta is negative.
    """
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    tf = _tf()
    delta = tf.random.uniform([], -max_delta, max_delta, seed=seed)
    return adjust_brightness(image, delta)


def stateless_random_brightness(image, max_delta, seed):
    """`random_brightness` driven by a (2,) seed."""
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")
    tf = _tf()
    delta = tf.random.stateless_uniform([], seed, -max_delta, max_delta)
    return adjust_brightness(image, delta)


def random_contrast(image, lower, upper, seed=None):
    """`adjust_contrast` with a factor drawn from [lower, upper).

    Raises:
      ValueError: unless 0 <= lower < upper.
    """
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    tf = _tf()
    return adjust_contrast(image, tf.random.uniform([], lower, upper, seed=seed))


def stateless_random_contrast(image, lower, upper, seed):
    """`random_contrast` driven by a (2,) seed."""
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")
    tf = _tf()
    return adjust_contrast(image, tf.random.stateless_uniform([], seed, lower, upper))


def random_crop(value, size, seed=None, name=None):
    """A random window of shape `size` (same rank as `value`)."""
    tf = _tf()
    x = tf.convert_to_tensor(value)
    shape = tf.shape(x)
    size = tf.convert_to_tensor(size, dtype=shape.dtype)
    limit = shape - size + 1
    offset = tf.random.uniform(tf.shape(shape), dtype=size.dtype, maxval=size.dtype.max,
                               seed=seed) % limit  # fmt: skip
    return tf.slice(x, offset, size)


def total_variation(images, name=None):
    """The sum of absolute differences between neighbouring pixels, per image."""
    tf = _tf()
    x = _image(images)
    dh = x[..., 1:, :, :] - x[..., :-1, :, :]
    dw = x[..., :, 1:, :] - x[..., :, :-1, :]
    axes = [-3, -2, -1]
    return tf.reduce_sum(tf.abs(dh), axis=axes) + tf.reduce_sum(tf.abs(dw), axis=axes)


def image_gradients(image):
    """(dy, dx): forward differences along height and width, zero in the last row/column."""
    tf = _tf()
    x = tf.convert_to_tensor(image)
    if x.shape.rank != 4:
        raise ValueError(
            "image_gradients expects a 4D tensor [batch_size, h, w, d], not {}.".format(x.shape)
        )
    dy = x[:, 1:, :, :] - x[:, :-1, :, :]
    dx = x[:, :, 1:, :] - x[:, :, :-1, :]
    dy = tf.concat([dy, tf.zeros_like(x[:, :1, :, :])], axis=1)
    dx = tf.concat([dx, tf.zeros_like(x[:, :, :1, :])], axis=2)
    return dy, dx


def psnr(a, b, max_val, name=None):
    """Peak signal-to-noise ratio per image, in dB."""
    tf = _tf()
    a = tf.convert_to_tensor(a)
    b = tf.convert_to_tensor(b)
    a32 = tf.cast(a, dtypes.float32) if not a.dtype.is_floating else a
    b32 = tf.cast(b, dtypes.float32) if not b.dtype.is_floating else b
    mse = tf.reduce_mean(tf.square(a32 - b32), axis=[-3, -2, -1])
    max_val = tf.cast(max_val, mse.dtype)
    return 20.0 * tf.math.log(max_val) / np.log(10.0) - 10.0 * tf.math.log(mse) / np.log(10.0)
