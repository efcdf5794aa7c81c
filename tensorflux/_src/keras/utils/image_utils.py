"""keras.utils image helpers: load_img/save_img (Pillow), img/array conversion, smart_resize."""

from __future__ import annotations

import io
import os
import pathlib

import numpy as np

# Pillow resampling filters by Keras's interpolation names.
_PIL_FILTERS = {
    "nearest": "NEAREST",
    "bilinear": "BILINEAR",
    "bicubic": "BICUBIC",
    "hamming": "HAMMING",
    "box": "BOX",
    "lanczos": "LANCZOS",
}


def _data_format(data_format):
    from tensorflux._src.keras import backend

    data_format = data_format or backend.image_data_format()
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}"
        )
    return data_format


def _pil():
    from PIL import Image

    return Image


def array_to_img(x, data_format=None, scale=True, dtype=None):
    """Turns a 3-D array (height, width, channels) into a PIL image (1, 3 or 4 channels)."""
    from tensorflux._src.keras import backend

    Image = _pil()
    data_format = _data_format(data_format)
    x = np.asarray(x, dtype=dtype or backend.floatx())
    if x.ndim != 3:
        raise ValueError(
            "Expected image array to have rank 3 (single image). "
            f"Got array with shape: {x.shape}"
        )
    if data_format == "channels_first":
        x = x.transpose(1, 2, 0)
    if scale:
        x = x - np.min(x)
        top = np.max(x)
        if top != 0:
            x = x / top
        x = x * 255
    channels = x.shape[2]
    if channels == 4:
        return Image.fromarray(x.astype("uint8"), "RGBA")
    if channels == 3:
        return Image.fromarray(x.astype("uint8"), "RGB")
    if channels == 1:
        if np.max(x) > 255:  # 32-bit signed integer grayscale
            return Image.fromarray(x[:, :, 0].astype("int32"), "I")
        return Image.fromarray(x[:, :, 0].astype("uint8"), "L")
    raise ValueError(f"Unsupported channel number: {channels}")


def img_to_array(img, data_format=None, dtype=None):
    """Turns a PIL image into a float array shaped (height, width, channels) (or channels first)."""
    from tensorflux._src.keras import backend

    data_format = _data_format(data_format)
    x = np.asarray(img, dtype=dtype or backend.floatx())
    if x.ndim == 2:
        x = x[:, :, None]
    elif x.ndim != 3:
        raise ValueError(f"Unsupported image shape: {x.shape}")
    if data_format == "channels_first":
        x = x.transpose(2, 0, 1)
    return x


def save_img(path, x, data_format=None, file_format=None, scale=True, **kwargs):
    """Writes an image array to `path` (format from the extension unless `file_format` is given)."""
    img = array_to_img(x, data_format=data_format, scale=scale)
    jpeg = file_format in ("jpg", "jpeg") or (
        file_format is None and str(path).lower().endswith((".jpg", ".jpeg"))
    )
    if img.mode == "RGBA" and jpeg:  # JPEG has no alpha channel
        img = img.convert("RGB")
    img.save(path, format=file_format, **kwargs)


def load_img(path, color_mode="rgb", target_size=None, interpolation="nearest",
             keep_aspect_ratio=False):  # fmt: skip
    """Loads an image file (path or BytesIO) into a PIL image, converted and optionally resized."""
    Image = _pil()
    if isinstance(path, io.BytesIO):
        img = Image.open(path)
    elif isinstance(path, (pathlib.Path, bytes, str)):
        if isinstance(path, bytes):
            path = path.decode("utf-8")
        with open(os.fspath(path), "rb") as f:
            img = Image.open(io.BytesIO(f.read()))
    else:
        raise TypeError(f"path should be path-like or io.BytesIO, not {type(path)}")
    modes = {"grayscale": ("L", "I;16", "I"), "rgba": ("RGBA",), "rgb": ("RGB",)}
    if color_mode not in modes:
        raise ValueError('color_mode must be "grayscale", "rgb", or "rgba"')
    if img.mode not in modes[color_mode]:
        img = img.convert("L" if color_mode == "grayscale" else color_mode.upper())
    if target_size is not None:
        width_height = (target_size[1], target_size[0])
        if img.size != width_height:
            if interpolation not in _PIL_FILTERS:
                raise ValueError(
                    f"Invalid interpolation method {interpolation} specified. Supported "
                    f"methods are {', '.join(_PIL_FILTERS)}"
                )
            resample = getattr(Image.Resampling, _PIL_FILTERS[interpolation])
            if keep_aspect_ratio:
                width, height = img.size
                target_w, target_h = width_height
                crop_h = (width * target_h) // target_w
                crop_w = (height * target_w) // target_h
                crop_h, crop_w = min(height, crop_h), min(width, crop_w)
                top, left = (height - crop_h) // 2, (width - crop_w) // 2
                img = img.crop((left, top, left + crop_w, top + crop_h))
            img = img.resize(width_height, resample)
    return img


def smart_resize(x, size, interpolation="bilinear", data_format="channels_last"):
    """Resizes images to `size` after cropping the largest centered window of the target aspect.

    Takes one image (rank 3) or a batch (rank 4); works on tensors with unknown height and width.
    """
    import tensorflux as tf
    from tensorflux._src.image.resize import resize

    if len(size) != 2:
        raise ValueError(f"Expected `size` to be a tuple of 2 integers, but got: {size}.")
    img = tf.convert_to_tensor(x)
    rank = img.shape.rank
    if rank is None or rank < 3 or rank > 4:
        raise ValueError(
            "Expected an image array with shape `(height, width, channels)`, or "
            "`(batch_size, height, width, channels)`, but got input with incorrect rank, "
            f"of shape {img.shape}."
        )
    if data_format == "channels_first":
        img = tf.transpose(img, (1, 2, 0) if rank == 3 else (0, 2, 3, 1))
    shape = tf.shape(img)
    h, w = shape[-3], shape[-2]
    th, tw = size
    crop_h = tf.maximum(tf.minimum(h, tf.cast(tf.cast(w * th, "float32") / tw, "int32")), 1)
    crop_w = tf.maximum(tf.minimum(w, tf.cast(tf.cast(h * tw, "float32") / th, "int32")), 1)
    top = tf.cast(tf.cast(h - crop_h, "float32") / 2, "int32")
    left = tf.cast(tf.cast(w - crop_w, "float32") / 2, "int32")
    if rank == 3:
        img = tf.slice(img, tf.stack([top, left, 0]), tf.stack([crop_h, crop_w, -1]))
    else:
        img = tf.slice(img, tf.stack([0, top, left, 0]), tf.stack([-1, crop_h, crop_w, -1]))
    img = resize(img, size, method=interpolation)
    if data_format == "channels_first":
        img = tf.transpose(img, (2, 0, 1) if rank == 3 else (0, 3, 1, 2))
    if isinstance(x, np.ndarray):
        return img.numpy()
    return img
