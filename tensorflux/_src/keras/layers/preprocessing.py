"""Keras preprocessing layers on numeric data: normalization, rescaling, cropping, encoding,
discretization, and the simple image augmentations (flip, contrast, brightness, crop).

Random layers augment only when `training` is true (True by default when called directly, as in
Keras; `fit` passes True and `predict`/`evaluate` False) and draw from a `SeedGenerator`.
Geometric augmentations that need image resampling (rotation, zoom, translation, Resizing) and
the string layers come with tf.image and tf.strings.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras import random as krandom
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin


def _tf():
    import tensorflux as tf

    return tf


def _pair(factor, name):
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2:
            raise ValueError(f"`{name}` must be a float or a tuple of two floats. Received: "
                             f"{name}={factor}")  # fmt: skip
        return tuple(float(f) for f in factor)
    return (-abs(float(factor)), abs(float(factor)))


@register_builtin("keras.layers")
class Normalization(Layer):
    """Shifts and scales inputs to zero mean and unit variance along `axis`.

    Args:
      axis: the axis or axes kept (statistics are per index along them); None: one scalar.
      mean, variance: fixed statistics; otherwise call `adapt(data)` first.
      invert: apply the inverse transform (`x * sqrt(var) + mean`).
    """

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        if axis is None:
            axis = ()
        elif isinstance(axis, int):
            axis = (axis,)
        self.axis = tuple(axis)
        if (mean is None) != (variance is None):
            raise ValueError(
                "When setting values directly, both `mean` and `variance` must be set. "
                f"Received: mean={mean} and variance={variance}"
            )
        self.input_mean = mean
        self.input_variance = variance
        self.invert = invert
        self._adapted = mean is not None

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = tuple(a % ndim for a in self.axis)
        self._keep = axes
        self._reduce = tuple(i for i in range(ndim) if i not in axes)
        shape = tuple(input_shape[a] for a in axes)
        if any(d is None for d in shape):
            raise ValueError(
                "All `axis` values to be kept must have a known shape. Received axis="
                f"{self.axis}, inputs.shape={input_shape}, with unknown axis at index "
                f"{[a for a in axes if input_shape[a] is None][0]}"
            )
        self._bshape = [input_shape[i] if i in axes else 1 for i in range(ndim)]
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(
                name="mean", shape=shape, initializer="zeros", trainable=False
            )
            self.adapt_variance = self.add_weight(
                name="variance", shape=shape, initializer="ones", trainable=False
            )
            self.count = self.add_weight(
                name="count", shape=(), dtype="int64", initializer="zeros", trainable=False
            )
        self.built = True

    def adapt(self, data, batch_size=None, steps=None):
        """Computes the mean and variance of `data` (an array, tensor or dataset)."""
        arr = _collect(data, steps)
        if not self.built:
            self.build(arr.shape)
        mean = arr.mean(axis=self._reduce)
        var = arr.var(axis=self._reduce)
        self.adapt_mean.assign(np.asarray(mean, np.float32).reshape(self.adapt_mean.shape))
        self.adapt_variance.assign(np.asarray(var, np.float32).reshape(self.adapt_variance.shape))
        self._adapted = True

    def _stats(self, dtype):
        tf = _tf()
        if self.input_mean is not None:
            mean = np.broadcast_to(np.asarray(self.input_mean, np.float32), self._bshape_full())
            var = np.broadcast_to(np.asarray(self.input_variance, np.float32),
                                  self._bshape_full())  # fmt: skip
            return tf.constant(mean, dtype), tf.constant(var, dtype)
        mean = tf.reshape(tf.cast(self.adapt_mean, dtype), self._bshape)
        var = tf.reshape(tf.cast(self.adapt_variance, dtype), self._bshape)
        return mean, var

    def _bshape_full(self):
        return tuple(self._bshape)

    def call(self, inputs):
        tf = _tf()
        x = tf.cast(inputs, self.compute_dtype) if not inputs.dtype.is_floating else inputs
        mean, var = self._stats(x.dtype)
        if self.invert:
            return x * tf.sqrt(tf.maximum(var, backend.epsilon())) + mean
        return (x - mean) / tf.maximum(tf.sqrt(var), backend.epsilon())

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def plain(v):
            return np.asarray(v).tolist() if v is not None and not isinstance(v, float) else v

        return {**super().get_config(), "axis": self.axis, "invert": self.invert,
                "mean": plain(self.input_mean), "variance": plain(self.input_variance)}  # fmt: skip


def _collect(data, steps=None) -> np.ndarray:
    if hasattr(data, "numpy") and not hasattr(data, "element_spec"):
        return np.asarray(data.numpy(), np.float64)
    if isinstance(data, np.ndarray) or isinstance(data, (list, tuple)):
        return np.asarray(data, np.float64)
    batches = []
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        batches.append(np.asarray(batch.numpy() if hasattr(batch, "numpy") else batch, np.float64))
    return np.concatenate(batches, axis=0)


@register_builtin("keras.layers")
class Rescaling(Layer):
    """Computes `inputs * scale + offset`.

    Args:
      scale: the multiplier.
      offset: the value added after scaling.
    """

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True

    def call(self, inputs):
        tf = _tf()
        dtype = self.compute_dtype
        x = tf.cast(inputs, dtype)
        return x * tf.cast(self.scale, dtype) + tf.cast(self.offset, dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}


class _ImageLayer(Layer):
    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)

    def _hw_axes(self, rank):
        if self.data_format == "channels_last":
            return rank - 3, rank - 2
        return rank - 2, rank - 1


@register_builtin("keras.layers")
class CenterCrop(_ImageLayer):
    """Crops the central `height` x `width` window of images (NHWC or NCHW).

    Args:
      height, width: the output size.
      data_format: "channels_last" or "channels_first".
    """

    def __init__(self, height, width, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def call(self, inputs):
        tf = _tf()
        x = tf.convert_to_tensor(inputs)
        rank = len(x.shape)
        h_ax, w_ax = self._hw_axes(rank)
        h, w = x.shape[h_ax], x.shape[w_ax]
        if h is None or w is None:
            shape = tf.shape(x)
            h, w = shape[h_ax], shape[w_ax]
        if isinstance(h, int) and (h < self.height or w < self.width):
            raise NotImplementedError(
                "CenterCrop to a size larger than the input needs image resizing, which is not "
                "implemented yet."
            )
        top = (h - self.height) // 2
        left = (w - self.width) // 2
        begin = [0] * rank
        size = [-1] * rank
        begin[h_ax], begin[w_ax] = top, left
        size[h_ax], size[w_ax] = self.height, self.width
        return tf.slice(x, begin, size)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h_ax, w_ax = self._hw_axes(len(shape))
        shape[h_ax], shape[w_ax] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "height": self.height, "width": self.width}  # fmt: skip


@register_builtin("keras.layers")
class RandomFlip(_ImageLayer):
    """Flips images left-right and/or up-down at random while training.

    Args:
      mode: "horizontal", "vertical" or "horizontal_and_vertical".
      seed: an int for reproducible draws.
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if mode not in ("horizontal", "vertical", "horizontal_and_vertical"):
            raise ValueError(
                "RandomFlip layer {name} received an unknown mode argument {arg}".format(
                    name=kwargs.get("name"), arg=mode
                )
            )
        self.mode = mode
        self.seed = seed
        self.seed_generator = krandom.SeedGenerator(seed)

    def call(self, inputs, training=True):
        tf = _tf()
        x = tf.convert_to_tensor(inputs)
        if not training:
            return x
        rank = len(x.shape)
        h_ax, w_ax = self._hw_axes(rank)
        batched = rank == 4
        n = tf.shape(x)[0] if batched else 1
        draw_shape = [n] + [1] * (rank - 1) if batched else [1] * rank
        if self.mode in ("horizontal", "horizontal_and_vertical"):
            flip = krandom.uniform(draw_shape, seed=self.seed_generator) > 0.5
            x = tf.where(flip, tf.reverse(x, [w_ax]), x)
        if self.mode in ("vertical", "horizontal_and_vertical"):
            flip = krandom.uniform(draw_shape, seed=self.seed_generator) > 0.5
            x = tf.where(flip, tf.reverse(x, [h_ax]), x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "seed": self.seed,
                "mode": self.mode}  # fmt: skip


@register_builtin("keras.layers")
class RandomContrast(_ImageLayer):
    """Scales each image's deviation from its mean by a random factor while training.

    Args:
      factor: a float or (lower, upper); the factor is drawn from [1 - lower, 1 + upper].
      value_range: the range outputs are clipped to.
      seed: an int for reproducible draws.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        if isinstance(factor, (tuple, list)):
            lower, upper = factor
        else:
            lower = upper = factor
        if lower < 0 or upper < 0 or lower > 1:
            raise ValueError(
                "`factor` argument cannot have negative values or values greater than 1. "
                f"Received: factor={factor}"
            )
        self.factor = (0, upper) if not isinstance(factor, (tuple, list)) else tuple(factor)
        self._lower, self._upper = lower, upper
        self.value_range = tuple(value_range)
        self.seed = seed
        self.seed_generator = krandom.SeedGenerator(seed)

    def call(self, inputs, training=True):
        tf = _tf()
        x = tf.cast(inputs, self.compute_dtype)
        if not training:
            return x
        rank = len(x.shape)
        h_ax, w_ax = self._hw_axes(rank)
        n = tf.shape(x)[0] if rank == 4 else 1
        shape = [n] + [1] * (rank - 1) if rank == 4 else [1] * rank
        f = krandom.uniform(shape, 1.0 - self._lower, 1.0 + self._upper, seed=self.seed_generator,
                            dtype=self.compute_dtype)  # fmt: skip
        mean = tf.reduce_mean(x, axis=[h_ax, w_ax], keepdims=True)
        out = (x - mean) * f + mean
        return tf.clip_by_value(out, self.value_range[0], self.value_range[1])

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "factor": self.factor,
                "value_range": self.value_range, "seed": self.seed}  # fmt: skip


@register_builtin("keras.layers")
class RandomBrightness(_ImageLayer):
    """Adds a random offset (a fraction of `value_range`) to each image while training.

    Args:
      factor: a float or (lower, upper) in [-1, 1].
      value_range: the input range; outputs are clipped to it.
      seed: an int for reproducible draws.
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.factor = _pair(factor, "factor")
        if not all(-1 <= f <= 1 for f in self.factor):
            raise ValueError(
                f"The `factor` argument should be a number (or a list of two numbers) in the "
                f"range [-1.0, 1.0]. Received: factor={factor}"
            )
        self.value_range = list(value_range)
        self.seed = seed
        self.seed_generator = krandom.SeedGenerator(seed)

    def call(self, inputs, training=True):
        tf = _tf()
        x = tf.cast(inputs, self.compute_dtype)
        if not training:
            return x
        rank = len(x.shape)
        n = tf.shape(x)[0] if rank == 4 else 1
        shape = [n] + [1] * (rank - 1) if rank == 4 else [1] * rank
        lo, hi = self.value_range
        delta = krandom.uniform(shape, self.factor[0], self.factor[1], seed=self.seed_generator,
                                dtype=self.compute_dtype) * (hi - lo)  # fmt: skip
        return tf.clip_by_value(x + delta, lo, hi)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "factor": self.factor,
                "value_range": self.value_range, "seed": self.seed}  # fmt: skip


@register_builtin("keras.layers")
class RandomCrop(_ImageLayer):
    """Crops a random `height` x `width` window while training, the central one otherwise.

    Args:
      height, width: the output size (must not exceed the input's).
      seed: an int for reproducible draws.
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self.height = height
        self.width = width
        self.seed = seed if seed is not None else int(np.random.randint(1, 2**30))
        self.seed_generator = krandom.SeedGenerator(self.seed)

    def call(self, inputs, training=True):
        tf = _tf()
        x = tf.convert_to_tensor(inputs)
        rank = len(x.shape)
        h_ax, w_ax = self._hw_axes(rank)
        shape = tf.shape(x)
        h, w = shape[h_ax], shape[w_ax]
        if training:
            top = krandom.randint([], 0, h - self.height + 1, seed=self.seed_generator)
            left = krandom.randint([], 0, w - self.width + 1, seed=self.seed_generator)
        else:
            top, left = (h - self.height) // 2, (w - self.width) // 2
        begin = [tf.constant(0)] * rank
        size = [-1] * rank
        begin[h_ax], begin[w_ax] = tf.cast(top, "int32"), tf.cast(left, "int32")
        size[h_ax], size[w_ax] = self.height, self.width
        return tf.slice(x, tf.stack(begin), size)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        h_ax, w_ax = self._hw_axes(len(shape))
        shape[h_ax], shape[w_ax] = self.height, self.width
        return tuple(shape)

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format, "height": self.height,
                "width": self.width, "seed": self.seed}  # fmt: skip


_MODES = ("int", "one_hot", "multi_hot", "count")


def _encode(tf, idx, depth, mode, dtype):
    """One-hot/multi-hot/count encoding of integer indices (last axis summed for multi/count)."""
    if mode == "int":
        return idx
    oh = tf.one_hot(idx, depth, dtype=dtype)
    if mode == "one_hot":
        return oh
    if len(idx.shape) == 0:
        return oh
    counts = tf.reduce_sum(oh, axis=-2)
    return tf.minimum(counts, 1) if mode == "multi_hot" else counts


@register_builtin("keras.layers")
class CategoryEncoding(Layer):
    """Encodes integer category ids as one-hot, multi-hot or count vectors.

    Args:
      num_tokens: the number of categories (ids must be in [0, num_tokens)).
      output_mode: "one_hot", "multi_hot" (default) or "count".
      sparse: must be False.
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode not in ("one_hot", "multi_hot", "count"):
            raise ValueError(
                "Unknown arg for output_mode: {}. Expected one of ('count', 'one_hot', "
                "'multi_hot').".format(output_mode)
            )
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not known "
                "beforehand, use the IntegerLookup layer instead."
            )
        if sparse:
            raise NotImplementedError("CategoryEncoding(sparse=True) needs SparseTensor (issue 6).")
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        tf = _tf()
        idx = tf.cast(inputs, "int64")
        if self.output_mode == "one_hot" and len(idx.shape) >= 1 and idx.shape[-1] == 1:
            idx = tf.squeeze(idx, -1)
        if self.output_mode != "one_hot" and len(idx.shape) == 1:
            idx = tf.expand_dims(idx, 0)
            out = _encode(tf, idx, self.num_tokens, self.output_mode, self.compute_dtype)
            return tf.squeeze(out, 0)
        return _encode(tf, idx, self.num_tokens, self.output_mode, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        if not shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and shape[-1] != 1:
            return tuple(shape) + (self.num_tokens,)
        return tuple(shape[:-1]) + (self.num_tokens,)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode}  # fmt: skip


@register_builtin("keras.layers")
class Discretization(Layer):
    """Buckets continuous values: bucket i holds `boundaries[i-1] <= x < boundaries[i]`.

    Args:
      bin_boundaries: sorted boundaries; or None with `num_bins` and `adapt(data)` (quantiles).
      num_bins: the number of bins to learn with `adapt`.
      epsilon: accepted (quantiles are computed exactly).
      output_mode: "int" (default), "one_hot", "multi_hot" or "count".
      sparse: must be False.
    """

    def __init__(self, bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
                 sparse=False, dtype=None, name=None):  # fmt: skip
        super().__init__(name=name, dtype=dtype)
        if output_mode not in _MODES:
            raise ValueError(
                f"Invalid value for argument `output_mode`. Expected one of {_MODES}. Received: "
                f"output_mode={output_mode}"
            )
        if sparse:
            raise NotImplementedError("Discretization(sparse=True) needs SparseTensor (issue 6).")
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. Received: "
                f"num_bins={num_bins} and bin_boundaries={bin_boundaries}"
            )
        self.bin_boundaries = list(bin_boundaries) if bin_boundaries is not None else None
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse

    def adapt(self, data, steps=None):
        """Learns `num_bins - 1` boundaries at the data's quantiles."""
        if self.num_bins is None:
            raise ValueError("Cannot adapt a Discretization layer that has been initialized "
                             "with `bin_boundaries`, use `num_bins` instead.")  # fmt: skip
        arr = _collect(data, steps).reshape(-1)
        qs = np.linspace(0, 1, self.num_bins + 1)[1:-1]
        self.bin_boundaries = [float(v) for v in np.quantile(arr, qs)]

    def call(self, inputs):
        tf = _tf()
        if self.bin_boundaries is None:
            raise ValueError(
                "You need to either pass the `bin_boundaries` argument at construction time or "
                "call `adapt(dataset)` before you can start using the `Discretization` layer."
            )
        x = tf.convert_to_tensor(inputs)
        bounds = np.asarray(self.bin_boundaries, np.float64)
        idx = tf.searchsorted(
            tf.constant(bounds, x.dtype if x.dtype.is_floating else dtypes.float64),
            tf.reshape(x if x.dtype.is_floating else tf.cast(x, "float64"), [-1]), side="right",
        )  # fmt: skip
        idx = tf.reshape(tf.cast(idx, "int64"), tf.shape(x))
        if self.output_mode == "int":
            return tf.cast(idx, "int32")
        return _encode(tf, idx, len(self.bin_boundaries) + 1, self.output_mode, self.compute_dtype)

    def get_config(self):
        return {
            "bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
            "epsilon": self.epsilon, "output_mode": self.output_mode, "sparse": self.sparse,
            "name": self.name, "dtype": self.dtype_policy.name,
        }  # fmt: skip
