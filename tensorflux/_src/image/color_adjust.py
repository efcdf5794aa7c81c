"""HSV conversion and hue/saturation adjustment: the ops RGBToHSV, HSVToRGB, AdjustHue and
AdjustSaturation, and the public functions built on them (random and stateless variants too).

Kernels work in NumPy on the host (these are per-pixel table-free formulas; a CuPy array is
copied over and back).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, floating
from tensorflux._src.core.registry import Rule, defop, not_differentiable

_HALF_FLOAT = (dtypes.float16, dtypes.float32)


def _tf():
    import tensorflux as tf

    return tf


def host(a):
    """A device array as a NumPy array (CuPy arrays are copied to the host)."""
    return a.get() if hasattr(a, "get") else np.asarray(a)


def _rgb_shape(op_name):
    def shape(inputs, attrs):
        s = inputs[0].shape
        if s.rank is not None:
            if s.rank < 1:
                raise InvalidArgumentError(None, None, f"input must be at least 1D{s}")
            if s[-1] is not None and s[-1] != 3:
                raise InvalidArgumentError(
                    None, None, f"input must have 3 channels but instead has {s[-1]} channels."
                )
        return s

    return shape


def _image_dtype(allowed):
    def dtype(dts, attrs):
        check_allowed(dts[0], allowed)
        return dts[0]

    return dtype


def _check_channels(x):
    if x.ndim < 1:
        raise InvalidArgumentError(None, None, f"input must be at least 1D{list(x.shape)}")
    if x.shape[-1] != 3:
        raise InvalidArgumentError(
            None, None, f"input must have 3 channels but instead has {x.shape[-1]} channels."
        )


def rgb_to_hsv_np(rgb):
    """RGB in [0, 1] to HSV, all three in [0, 1] (hue 0 for grays), in rgb's float dtype."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    mx = rgb.max(-1)
    mn = rgb.min(-1)
    rng = mx - mn
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(mx > 0, rng / mx, 0)
        safe = np.where(rng > 0, rng, 1)
        h = np.where(r == mx, (g - b) / safe, np.where(g == mx, (b - r) / safe + 2,
                                                        (r - g) / safe + 4))  # fmt: skip
        h = np.where(rng > 0, h / 6, 0)
    h = np.where(h < 0, h + 1, h)
    return np.stack([h, s, mx], -1).astype(rgb.dtype)


def hsv_to_rgb_np(hsv):
    """HSV to RGB; a hue outside [0, 1) counts as pure red, as TensorFlow's kernel has it."""
    h, s, v = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    c = s * v
    m = v - c
    dh = h * 6
    cat = np.floor(dh)
    x = c * (1 - np.abs(np.mod(dh, 2) - 1))
    z = np.zeros_like(c)
    conds = [cat == k for k in range(6)]
    r = np.select(conds, [c, x, z, z, x, c], c)  # hues outside [0, 1) fall back to (c, 0, 0)
    g = np.select(conds, [x, c, c, x, z, z], 0)
    b = np.select(conds, [z, z, x, c, c, x], 0)
    return (np.stack([r, g, b], -1) + m[..., None]).astype(hsv.dtype)


RGBToHSV = defop("RGBToHSV", infer=Rule(_image_dtype(floating), _rgb_shape("RGBToHSV")))


@RGBToHSV.kernel
def _(xp, images):
    x = host(images)
    _check_channels(x)
    work = x.astype(np.float32) if x.dtype.itemsize < 4 else x
    return xp.asarray(rgb_to_hsv_np(work).astype(x.dtype))


@RGBToHSV.gradient
def _(op, dy):
    # Piecewise derivatives of v = max, s = 1 - min/max, h = N / (6 (max - min)).
    tf = _tf()
    x = op.inputs[0]
    mx_oh = tf.one_hot(tf.argmax(x, axis=-1), 3, dtype=x.dtype)
    mn_oh = tf.one_hot(tf.argmin(x, axis=-1), 3, dtype=x.dtype)
    mx = tf.reduce_max(x, -1, keepdims=True)
    mn = tf.reduce_min(x, -1, keepdims=True)
    d = mx - mn
    dh, ds, dv = dy[..., 0:1], dy[..., 1:2], dy[..., 2:3]
    safe_mx = tf.where(mx > 0, mx, tf.ones_like(mx))
    g_s = tf.where(mx > 0, mx_oh * mn / (safe_mx * safe_mx) - mn_oh / safe_mx, tf.zeros_like(x))
    r, g, b = x[..., 0:1], x[..., 1:2], x[..., 2:3]
    cases = tf.constant([[0, 1, -1], [-1, 0, 1], [1, -1, 0]], x.dtype)
    d_num = tf.tensordot(mx_oh, cases, [[x.shape.rank - 1], [0]])
    num = tf.concat([g - b, b - r, r - g], -1)
    num = tf.reduce_sum(num * mx_oh, -1, keepdims=True)
    safe_d = tf.where(d > 0, d, tf.ones_like(d))
    g_h = (d_num / safe_d - num * (mx_oh - mn_oh) / (safe_d * safe_d)) / 6
    g_h = tf.where(d > 0, g_h, tf.zeros_like(x))
    return [dh * g_h + ds * g_s + dv * mx_oh]


HSVToRGB = defop("HSVToRGB", infer=Rule(_image_dtype(floating), _rgb_shape("HSVToRGB")))


@HSVToRGB.kernel
def _(xp, images):
    x = host(images)
    _check_channels(x)
    work = x.astype(np.float32) if x.dtype.itemsize < 4 else x
    return xp.asarray(hsv_to_rgb_np(work).astype(x.dtype))


not_differentiable(HSVToRGB)


def _adjust_dtype(dts, attrs):
    check_allowed(dts[0], _HALF_FLOAT)
    if dts[1] is not dtypes.float32:
        check_allowed(dts[1], (dtypes.float32,), "delta")
    return dts[0]


AdjustHue = defop("AdjustHue", infer=Rule(_adjust_dtype, _rgb_shape("AdjustHue")))
AdjustSaturation = defop(
    "AdjustSaturation", infer=Rule(_adjust_dtype, _rgb_shape("AdjustSaturation"))
)


def _scalar(v, what):
    v = host(v)
    if v.ndim != 0:
        raise InvalidArgumentError(None, None, f"{what} must be scalar: {list(v.shape)}")
    return float(v)


@AdjustHue.kernel
def _(xp, images, delta):
    x = host(images)
    _check_channels(x)
    hsv = rgb_to_hsv_np(x.astype(np.float32))
    h = np.mod(hsv[..., 0] + np.float32(_scalar(delta, "delta")), np.float32(1))
    hsv[..., 0] = np.where(h >= 1, h - 1, h)
    return xp.asarray(hsv_to_rgb_np(hsv).astype(x.dtype))


@AdjustSaturation.kernel
def _(xp, images, scale):
    x = host(images)
    _check_channels(x)
    hsv = rgb_to_hsv_np(x.astype(np.float32))
    hsv[..., 1] = np.clip(hsv[..., 1] * np.float32(_scalar(scale, "scale")), 0, 1)
    return xp.asarray(hsv_to_rgb_np(hsv).astype(x.dtype))


not_differentiable(AdjustHue, AdjustSaturation)


def rgb_to_hsv(images, name=None):
    """Converts RGB images (floats in [0, 1]) to HSV, each component in [0, 1]."""
    return RGBToHSV(_tf().convert_to_tensor(images), name=name)


def hsv_to_rgb(images, name=None):
    """Converts HSV images (each component in [0, 1]) back to RGB."""
    return HSVToRGB(_tf().convert_to_tensor(images), name=name)


def _adjust(op, image, amount, name):
    from tensorflux._src.image.image_ops import convert_image_dtype

    tf = _tf()
    x = tf.convert_to_tensor(image)
    orig = x.dtype
    work = x if orig in _HALF_FLOAT else convert_image_dtype(x, dtypes.float32)
    out = op(work, tf.cast(amount, dtypes.float32), name=name)
    return out if orig in _HALF_FLOAT else convert_image_dtype(out, orig, saturate=True)


def adjust_hue(image, delta, name=None):
    """Rotates the hue of RGB images by `delta` (a fraction of the full circle, in [-1, 1]).

    Integer images are converted to float and back; the last axis must hold the 3 channels.
    """
    return _adjust(AdjustHue, image, delta, name)


def adjust_saturation(image, saturation_factor, name=None):
    """Multiplies the saturation of RGB images by `saturation_factor` (clipped to [0, 1])."""
    return _adjust(AdjustSaturation, image, saturation_factor, name)


def _check_hue(max_delta):
    if max_delta > 0.5:
        raise ValueError("max_delta must be <= 0.5.")
    if max_delta < 0:
        raise ValueError("max_delta must be non-negative.")


def _check_range(lower, upper):
    if upper <= lower:
        raise ValueError("upper must be > lower.")
    if lower < 0:
        raise ValueError("lower must be non-negative.")


def random_hue(image, max_delta, seed=None):
    """`adjust_hue` by a delta drawn uniformly from [-max_delta, max_delta) (max_delta <= 0.5)."""
    _check_hue(max_delta)
    delta = _tf().random.uniform([], -max_delta, max_delta, seed=seed)
    return adjust_hue(image, delta)


def stateless_random_hue(image, max_delta, seed):
    """`random_hue` driven by a shape-[2] seed: the same seed gives the same delta."""
    _check_hue(max_delta)
    delta = _tf().random.stateless_uniform([], seed, -max_delta, max_delta)
    return adjust_hue(image, delta)


def random_saturation(image, lower, upper, seed=None):
    """`adjust_saturation` by a factor drawn uniformly from [lower, upper)."""
    _check_range(lower, upper)
    return adjust_saturation(image, _tf().random.uniform([], lower, upper, seed=seed))


def stateless_random_saturation(image, lower, upper, seed=None):
    """`random_saturation` driven by a shape-[2] seed."""
    _check_range(lower, upper)
    return adjust_saturation(image, _tf().random.stateless_uniform([], seed, lower, upper))


def stateless_random_crop(value, size, seed, name=None):
    """A window of shape `size` at an offset drawn from a shape-[2] seed (same seed, same crop)."""
    tf = _tf()
    x = tf.convert_to_tensor(value)
    shape = tf.shape(x)
    size = tf.convert_to_tensor(size, dtype=shape.dtype)
    limit = shape - size + 1
    tf.debugging.assert_greater_equal(shape, size, message="Need value.shape >= size, got ")
    offset = tf.random.stateless_uniform(tf.shape(shape), seed, maxval=shape.dtype.max,
                                         dtype=shape.dtype) % limit  # fmt: skip
    return tf.slice(x, offset, size)
