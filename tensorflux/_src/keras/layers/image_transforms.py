"""Keras image layers that resample: Resizing, RandomRotation, RandomZoom, RandomTranslation.

`affine_transform` maps every output pixel through a per-image affine matrix (output -> input
coordinates), samples the input bilinearly or at the nearest pixel, and handles points outside
the image with Keras's fill modes: "reflect" (d c b a | a b c d | d c b a), "wrap"
(a b c d | a b c d), "nearest" (a a a a | a b c d | d d d d) and "constant" (fill_value). It is
built from gathers, so it runs in graphs and is differentiable with respect to the images.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux._src.keras import backend
from tensorflux._src.keras import random as krandom
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin

_FILL = ("reflect", "wrap", "constant", "nearest")


def _tf():
    import tensorflux as tf

    return tf


def _map(tf, c, n, mode):
    n_f = float(n)
    if mode == "reflect":
        c = tf.math.floormod(c, 2 * n_f)
        c = tf.where(c >= n_f, 2 * n_f - c - 1, c)
        return tf.clip_by_value(c, 0.0, n_f - 1)
    if mode == "wrap":
        return tf.math.floormod(c, n_f)
    if mode == "nearest":
        return tf.clip_by_value(c, 0.0, n_f - 1)
    return c


def affine_transform(images, transforms, interpolation="bilinear", fill_mode="constant",
                     fill_value=0.0):  # fmt: skip
    """Resamples NHWC `images` through per-image affine maps.

    Args:
      images: [batch, height, width, channels].
      transforms: [batch, 6] `(a0, a1, a2, b0, b1, b2)`: output pixel (x, y) reads input
        `(a0 x + a1 y + a2, b0 x + b1 y + b2)`.
      interpolation: "bilinear" or "nearest".
      fill_mode: "reflect", "wrap", "nearest" or "constant".
      fill_value: the value of points outside the input with fill_mode="constant".
    """
    tf = _tf()
    if interpolation not in ("bilinear", "nearest"):
        raise ValueError(
            f"Invalid value for argument `interpolation`. Expected one of ('nearest', "
            f"'bilinear'). Received: interpolation={interpolation}"
        )
    if fill_mode not in _FILL:
        raise ValueError(
            f"Invalid value for argument `fill_mode`. Expected one of {_FILL}. Received: "
            f"fill_mode={fill_mode}"
        )
    x = tf.convert_to_tensor(images)
    _, h, w, c = x.shape.as_list()
    dtype = x.dtype if x.dtype.is_floating else tf.float32
    x = tf.cast(x, dtype)
    t = tf.cast(transforms, dtype)
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64),
                         indexing="ij")  # fmt: skip
    xs = tf.constant(xs, dtype)[None]
    ys = tf.constant(ys, dtype)[None]

    def col(i):
        return tf.reshape(t[:, i], [-1, 1, 1])

    xin = col(0) * xs + col(1) * ys + col(2)
    yin = col(3) * xs + col(4) * ys + col(5)
    xin, yin = _map(tf, xin, w, fill_mode), _map(tf, yin, h, fill_mode)
    flat = tf.reshape(x, [-1, h * w, c])
    fill = tf.cast(fill_value, dtype)

    def read(yy, xx):
        valid = (yy >= 0) & (yy <= h - 1) & (xx >= 0) & (xx <= w - 1)
        yi = tf.cast(tf.clip_by_value(yy, 0.0, float(h - 1)), "int32")
        xi = tf.cast(tf.clip_by_value(xx, 0.0, float(w - 1)), "int32")
        idx = tf.reshape(yi * w + xi, [-1, h * w])
        vals = tf.reshape(tf.gather(flat, idx, batch_dims=1), [-1, h, w, c])
        if fill_mode == "constant":
            vals = tf.where(valid[..., None], vals, fill)
        return vals

    if interpolation == "nearest":
        return read(tf.round(yin), tf.round(xin))
    y0, x0 = tf.floor(yin), tf.floor(xin)
    y1, x1 = y0 + 1.0, x0 + 1.0
    if fill_mode == "wrap":
        y1, x1 = tf.math.floormod(y1, float(h)), tf.math.floormod(x1, float(w))
    elif fill_mode != "constant":
        y1, x1 = tf.minimum(y1, float(h - 1)), tf.minimum(x1, float(w - 1))
    wy = (yin - y0)[..., None]
    wx = (xin - x0)[..., None]
    top = read(y0, x0) * (1 - wx) + read(y0, x1) * wx
    bottom = read(y1, x0) * (1 - wx) + read(y1, x1) * wx
    return top * (1 - wy) + bottom * wy


class _Base(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)

    def _nhwc(self, x):
        tf = _tf()
        single = x.shape.rank == 3
        if single:
            x = x[None]
        if self.data_format == "channels_first":
            x = tf.transpose(x, [0, 2, 3, 1])
        return x, single

    def _back(self, x, single):
        tf = _tf()
        if self.data_format == "channels_first":
            x = tf.transpose(x, [0, 3, 1, 2])
        return x[0] if single else x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


@register_builtin("keras.layers")
class Resizing(_Base):
    """Resizes images to `height` x `width` (optionally cropping or padding to keep the aspect).

    Args:
      height, width: the output size.
      interpolation: a `tf.image.resize` method name.
      crop_to_aspect_ratio: crop the largest centered window of the target aspect first.
      pad_to_aspect_ratio: pad with `fill_value` to the target aspect first.
      fill_mode, fill_value: padding for pad_to_aspect_ratio ("constant" only).
      antialias: low-pass filter when downsampling.
    """

    def __init__(self, height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
                 pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0,
                 antialias=False, data_format=None, **kwargs):  # fmt: skip
        super().__init__(data_format=data_format, **kwargs)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(
                "Only one of `crop_to_aspect_ratio` and `pad_to_aspect_ratio` can be True."
            )
        self.height, self.width = height, width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = crop_to_aspect_ratio
        self.pad_to_aspect_ratio = pad_to_aspect_ratio
        self.fill_mode, self.fill_value = fill_mode, fill_value
        self.antialias = antialias

    def call(self, inputs):
        from tensorflux._src.image.resize import resize

        tf = _tf()
        x, single = self._nhwc(tf.convert_to_tensor(inputs))
        h, w = x.shape[1], x.shape[2]
        target = self.height / self.width
        if self.crop_to_aspect_ratio and h / w != target:
            ch = min(h, int(w * self.height / self.width))
            cw = min(w, int(h * self.width / self.height))
            top, left = (h - ch) // 2, (w - cw) // 2
            x = x[:, top : top + ch, left : left + cw, :]
        elif self.pad_to_aspect_ratio and h / w != target:
            ph = max(h, int(w * self.height / self.width))
            pw = max(w, int(h * self.width / self.height))
            top, left = (ph - h) // 2, (pw - w) // 2
            x = tf.pad(x, [[0, 0], [top, ph - h - top], [left, pw - w - left], [0, 0]],
                       constant_values=self.fill_value)  # fmt: skip
        out = resize(x, (self.height, self.width), method=self.interpolation,
                     antialias=self.antialias)  # fmt: skip
        out = tf.cast(out, self.compute_dtype)
        return self._back(out, single)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if self.data_format == "channels_last":
            shape[-3], shape[-2] = self.height, self.width
        else:
            shape[-2], shape[-1] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "height": self.height,
                "width": self.width, "interpolation": self.interpolation,
                "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias}  # fmt: skip


def _range(factor, name):
    if isinstance(factor, (tuple, list)):
        lo, hi = float(factor[0]), float(factor[1])
    else:
        lo, hi = -abs(float(factor)), abs(float(factor))
    if lo > hi:
        raise ValueError(f"`{name}` lower bound must not exceed the upper bound. "
                         f"Received: {name}={factor}")  # fmt: skip
    return lo, hi


class _RandomAffine(_Base):
    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
                 data_format=None, **kwargs):  # fmt: skip
        super().__init__(data_format=data_format, **kwargs)
        if fill_mode not in _FILL:
            raise NotImplementedError(f"Unknown `fill_mode` {fill_mode}. Expected of one {_FILL}.")
        self.fill_mode, self.interpolation = fill_mode, interpolation
        self.seed, self.fill_value = seed, fill_value
        self.seed_generator = krandom.SeedGenerator(seed)

    def _draw(self, n, lo, hi):
        return krandom.uniform([n], lo, hi, seed=self.seed_generator)

    def call(self, inputs, training=True):
        tf = _tf()
        x = tf.convert_to_tensor(inputs)
        if not training:
            return x
        x, single = self._nhwc(tf.cast(x, self.compute_dtype))
        n = tf.shape(x)[0]
        h, w = x.shape[1], x.shape[2]
        out = affine_transform(x, self._transforms(n, h, w), self.interpolation, self.fill_mode,
                               self.fill_value)  # fmt: skip
        return self._back(out, single)

    def _config(self, **extra):
        return {**Layer.get_config(self), "data_format": self.data_format, **extra,
                "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                "interpolation": self.interpolation, "seed": self.seed}  # fmt: skip


@register_builtin("keras.layers")
class RandomRotation(_RandomAffine):
    """Rotates images by a random angle (a fraction of a full turn) while training.

    Args:
      factor: a float or (lower, upper), as fractions of 2π.
      fill_mode, interpolation, seed, fill_value: see the module doc.
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):  # fmt: skip
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = _range(factor, "factor")

    def _transforms(self, n, h, w):
        tf = _tf()
        angle = self._draw(n, self.factor[0] * 2 * math.pi, self.factor[1] * 2 * math.pi)
        cos, sin = tf.cos(angle), tf.sin(angle)
        cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
        # output (x, y) reads the input rotated back around the center
        a2 = cx - cos * cx + sin * cy
        b2 = cy - sin * cx - cos * cy
        return tf.stack([cos, -sin, a2, sin, cos, b2], axis=1)

    def get_config(self):
        return self._config(factor=self.factor)


@register_builtin("keras.layers")
class RandomZoom(_RandomAffine):
    """Zooms images in or out by random factors while training.

    Args:
      height_factor: a float or (lower, upper); positive values zoom out, negative zoom in.
      width_factor: the same for width; None keeps the aspect ratio (uses the height draw).
      fill_mode, interpolation, seed, fill_value: see the module doc.
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):  # fmt: skip
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._h = _range(height_factor, "height_factor")
        self._w = _range(width_factor, "width_factor") if width_factor is not None else None

    def _transforms(self, n, h, w):
        tf = _tf()
        zh = 1.0 + self._draw(n, *self._h)
        zw = 1.0 + self._draw(n, *self._w) if self._w is not None else zh
        cx, cy = (w - 1) / 2.0, (h - 1) / 2.0
        zeros = tf.zeros_like(zh)
        return tf.stack([zw, zeros, cx - zw * cx, zeros, zh, cy - zh * cy], axis=1)

    def get_config(self):
        return self._config(height_factor=self.height_factor, width_factor=self.width_factor)


@register_builtin("keras.layers")
class RandomTranslation(_RandomAffine):
    """Shifts images by random fractions of their height and width while training.

    Args:
      height_factor, width_factor: floats or (lower, upper) fractions of the size.
      fill_mode, interpolation, seed, fill_value: see the module doc.
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):  # fmt: skip
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor = height_factor
        self.width_factor = width_factor
        self._h = _range(height_factor, "height_factor")
        self._w = _range(width_factor, "width_factor")

    def _transforms(self, n, h, w):
        tf = _tf()
        dy = self._draw(n, *self._h) * h
        dx = self._draw(n, *self._w) * w
        ones, zeros = tf.ones_like(dy), tf.zeros_like(dy)
        return tf.stack([ones, zeros, -dx, zeros, ones, -dy], axis=1)

    def get_config(self):
        return self._config(height_factor=self.height_factor, width_factor=self.width_factor)
