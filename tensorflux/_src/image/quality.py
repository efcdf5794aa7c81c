"""Image quality and edge measures built from existing ops: SSIM, multi-scale SSIM, Sobel edges.

SSIM uses a normalized `filter_size` Gaussian window applied per channel with a VALID depthwise
convolution; everything is a composite, so it traces and differentiates.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError

# Weights of the five scales of multi-scale SSIM (Wang, Simoncelli and Bovik, 2003).
_MSSSIM_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363, 0.1333)


def _tf():
    import tensorflux as tf

    return tf


def _gauss_window(size, sigma, dtype):
    """A `[size, size, 1, 1]` Gaussian window that sums to one."""
    tf = _tf()
    c = tf.cast(tf.range(size), dtype) - tf.cast(size - 1, dtype) / 2.0
    g = -0.5 * tf.square(c) / tf.square(tf.cast(sigma, dtype))
    g = tf.reshape(g, [1, -1]) + tf.reshape(g, [-1, 1])
    g = tf.nn.softmax(tf.reshape(g, [1, -1]))
    return tf.reshape(g, [size, size, 1, 1])


def _channel_multiples(x):
    """[1, 1, channels, 1]: tiles a one-channel depthwise filter over every channel."""
    tf = _tf()
    c = x.shape[-1] if x.shape.rank is not None else None
    if c is not None:
        return [1, 1, c, 1]
    return tf.concat([[1, 1], tf.shape(x)[-1:], [1]], 0)


def _check_size(x, filter_size):
    s = x.shape
    for i in (-3, -2):
        if s.rank is not None and s[i] is not None and s[i] < filter_size:
            raise InvalidArgumentError(
                None, None, f"SSIM: image dimensions {s.as_list()[-3:-1]} must be at least "
                f"filter_size {filter_size}")  # fmt: skip


def _ssim_per_channel(x, y, max_val, filter_size, filter_sigma, k1, k2, index_map=False):
    """(ssim, contrast-structure) per image and channel, or their maps with `index_map`."""
    tf = _tf()
    _check_size(x, filter_size)
    _check_size(y, filter_size)
    window = _gauss_window(filter_size, filter_sigma, x.dtype)
    window = tf.tile(window, _channel_multiples(x))
    head = tf.shape(x)[:-3]

    def blur(t):
        flat = tf.reshape(t, tf.concat([[-1], tf.shape(t)[-3:]], 0))
        out = tf.nn.depthwise_conv2d(flat, window, [1, 1, 1, 1], "VALID")
        return tf.reshape(out, tf.concat([head, tf.shape(out)[1:]], 0))

    c1 = tf.square(k1 * max_val)
    c2 = tf.square(k2 * max_val)
    mx, my = blur(x), blur(y)
    num0 = mx * my * 2.0
    den0 = tf.square(mx) + tf.square(my)
    luminance = (num0 + c1) / (den0 + c1)
    num1 = blur(x * y) * 2.0
    den1 = blur(tf.square(x) + tf.square(y))
    cs = (num1 - num0 + c2) / (den1 - den0 + c2)
    if index_map:
        return luminance * cs, cs
    return tf.reduce_mean(luminance * cs, [-3, -2]), tf.reduce_mean(cs, [-3, -2])


def _prepare(img1, img2, max_val):
    from tensorflux._src.image.image_ops import convert_image_dtype

    tf = _tf()
    a = tf.convert_to_tensor(img1)
    b = tf.convert_to_tensor(img2)
    if a.dtype is not b.dtype:
        raise InvalidArgumentError(
            None, None, f"img1 and img2 must have the same dtype: {a.dtype.name} vs {b.dtype.name}"
        )
    mv = convert_image_dtype(tf.cast(max_val, a.dtype), dtypes.float32)
    return convert_image_dtype(a, dtypes.float32), convert_image_dtype(b, dtypes.float32), mv


def ssim(img1, img2, max_val, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03,
         return_index_map=False):  # fmt: skip
    """Structural similarity between two batches of images, one value per image.

    Args:
      img1, img2: `[..., height, width, channels]` images of one dtype (integers are scaled
        to [0, 1] first, as `convert_image_dtype` does; so is `max_val`).
      max_val: the dynamic range of the pixel values (255 for 8-bit, 1.0 for floats in [0, 1]).
      filter_size, filter_sigma: the Gaussian window; images must be at least this large.
      k1, k2: the stabilizing constants of the luminance and contrast terms.
      return_index_map: return the per-pixel SSIM map (averaged over channels) instead.
    """
    tf = _tf()
    a, b, mv = _prepare(img1, img2, max_val)
    val, _ = _ssim_per_channel(a, b, mv, filter_size, filter_sigma, k1, k2, return_index_map)
    return tf.reduce_mean(val, [-1])


def ssim_multiscale(img1, img2, max_val, power_factors=_MSSSIM_WEIGHTS, filter_size=11,
                    filter_sigma=1.5, k1=0.01, k2=0.03):  # fmt: skip
    """Multi-scale SSIM: contrast-structure terms of successively 2x-downsampled images and the
    SSIM of the coarsest one, combined as a product of powers (`power_factors`, one per scale).

    Odd heights/widths are padded symmetrically before each 2x2 average pooling.
    """
    tf = _tf()
    a, b, mv = _prepare(img1, img2, max_val)
    imgs = [a, b]
    mcs = []
    val = None
    for k in range(len(power_factors)):
        if k > 0:
            imgs = [_downscale(t) for t in imgs]
        val, cs = _ssim_per_channel(imgs[0], imgs[1], mv, filter_size, filter_sigma, k1, k2)
        mcs.append(tf.nn.relu(cs))
    mcs.pop()
    stacked = tf.stack(mcs + [tf.nn.relu(val)], axis=-1)
    weights = tf.constant(power_factors, stacked.dtype)
    return tf.reduce_mean(tf.reduce_prod(stacked**weights, [-1]), [-1])


def _downscale(t):
    """Halves height and width by 2x2 average pooling (symmetric padding of odd sizes)."""
    tf = _tf()
    shape = tf.shape(t)
    tail = shape[-3:]
    flat = tf.reshape(t, tf.concat([[-1], tail], 0))
    rem = tail[:2] % 2
    # [[0, 0], [0, h % 2], [0, w % 2], [0, 0]]
    pads = tf.pad(tf.expand_dims(tf.concat([rem, [0]], 0), -1), [[1, 0], [1, 0]])
    flat = tf.pad(flat, pads, mode="SYMMETRIC")
    out = tf.nn.avg_pool2d(flat, [2, 2], [2, 2], "VALID")
    return tf.reshape(out, tf.concat([shape[:-3], tf.shape(out)[1:]], 0))


def sobel_edges(image):
    """Sobel derivatives of `[batch, h, w, d]` images: `[batch, h, w, d, 2]` holding (dy, dx),
    with the borders reflected."""
    tf = _tf()
    x = tf.convert_to_tensor(image)
    ky = np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]])
    kernels = np.stack([ky, ky.T], -1)[:, :, None, :]  # [3, 3, 1, 2]
    k = tf.tile(tf.constant(kernels, x.dtype), _channel_multiples(x))
    padded = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], mode="REFLECT")
    out = tf.nn.depthwise_conv2d(padded, k, [1, 1, 1, 1], "VALID")
    return tf.reshape(out, tf.concat([tf.shape(x), [2]], 0))
