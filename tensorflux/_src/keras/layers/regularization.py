"""Keras regularization layers: Dropout, SpatialDropout1D/2D/3D, GaussianNoise, GaussianDropout,
AlphaDropout and ActivityRegularization.

The random layers act only when called with `training=True` (`fit` passes it; a direct call
defaults to inference) and draw from their own `keras.random.SeedGenerator`, whose state is a
non-trainable variable, so each call gives fresh noise eagerly and inside `tf.function`.
"""

from __future__ import annotations

import math

from tensorflux._src.keras import backend
from tensorflux._src.keras import random as krandom
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import math_ops as _math


def _ser(obj):
    return serialize_keras_object(obj)


def _check_rate(rate, name="rate"):
    if not isinstance(rate, (int, float)) or isinstance(rate, bool) or not 0 <= rate <= 1:
        raise ValueError(
            f"Invalid value received for argument `{name}`. Expected a float value between 0 "
            f"and 1. Received: {name}={rate}"
        )


def _noise_shape(inputs, noise_shape):
    """`noise_shape` with None entries filled from the input's (possibly dynamic) shape."""
    from tensorflux._src.ops.array_ops import shape as tf_shape

    if noise_shape is None:
        static = inputs.shape.as_list()
        return static if all(d is not None for d in static) else tf_shape(inputs)
    static = inputs.shape.as_list()
    out = []
    dyn = None
    for i, d in enumerate(noise_shape):
        if d is None:
            if static[i] is not None:
                d = static[i]
            else:
                if dyn is None:
                    dyn = tf_shape(inputs)
                d = dyn[i]
        out.append(d)
    if dyn is not None or not all(isinstance(d, int) for d in out):
        from tensorflux._src.ops.array_ops import stack

        return stack(out)
    return out


def _base_config(layer):
    return {
        "name": layer.name,
        "trainable": layer.trainable,
        "dtype": _ser(layer.dtype_policy),
    }


@register_builtin("keras.layers")
class Dropout(Layer):
    """Randomly zeroes inputs with probability `rate` in training, scaling the rest by
    `1 / (1 - rate)`; the identity at inference.

    Args:
      rate: the fraction of inputs dropped, in [0, 1].
      noise_shape: the shape of the keep/drop mask (broadcast over the input; None entries take
        the input's size), e.g. `(batch, 1, features)` to drop whole features.
      seed: an int seed for reproducible masks.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if `rate` is not in [0, 1].
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        _check_rate(rate)
        self.rate = rate
        self.seed = seed
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        if rate > 0:
            self.seed_generator = krandom.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.rate > 0:
            return self._drop(inputs)
        return inputs

    def _drop(self, inputs):
        shape = _noise_shape(inputs, self._mask_shape(inputs))
        keep = krandom.uniform(shape, dtype=inputs.dtype, seed=self.seed_generator)
        keep = _math.cast(keep >= self.rate, inputs.dtype)
        return inputs * keep * (1.0 / (1.0 - self.rate))

    def _mask_shape(self, inputs):
        return self.noise_shape

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **_base_config(self),
            "rate": self.rate,
            "seed": self.seed,
            "noise_shape": self.noise_shape,
        }


class _SpatialDropout(Dropout):
    rank = 1

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, seed=seed, name=name, dtype=dtype)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _mask_shape(self, inputs):
        from tensorflux._src.ops.array_ops import shape as tf_shape

        static = inputs.shape.as_list()
        batch = static[0]
        channels = static[1] if self.data_format == "channels_first" else static[-1]
        if batch is None or channels is None:
            dyn = tf_shape(inputs)
            batch = dyn[0] if batch is None else batch
            if channels is None:
                channels = dyn[1] if self.data_format == "channels_first" else dyn[-1]
        ones = [1] * self.rank
        if self.data_format == "channels_first":
            return [batch, channels] + ones
        return [batch] + ones + [channels]

    def get_config(self):
        config = {
            "rate": self.rate,
            "seed": self.seed,
            "name": self.name,
            "dtype": self.dtype_policy.name,
        }
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


@register_builtin("keras.layers")
class SpatialDropout1D(_SpatialDropout):
    """Dropout of whole channels of `(batch, steps, channels)` inputs.

    Args:
      rate: the fraction of channels dropped.
      seed: an int seed.
      name / dtype: the layer's name and dtype.
    """

    rank = 1

    def __init__(self, rate, seed=None, name=None, dtype=None):
        super().__init__(rate, data_format="channels_last", seed=seed, name=name, dtype=dtype)


@register_builtin("keras.layers")
class SpatialDropout2D(_SpatialDropout):
    """Dropout of whole feature maps of 4-D inputs.

    Args:
      rate: the fraction of channels dropped.
      data_format: "channels_last" (default) or "channels_first".
      seed: an int seed.
      name / dtype: the layer's name and dtype.
    """

    rank = 2

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, data_format=data_format, seed=seed, name=name, dtype=dtype)


@register_builtin("keras.layers")
class SpatialDropout3D(_SpatialDropout):
    """Dropout of whole feature volumes of 5-D inputs.

    Args:
      rate: the fraction of channels dropped.
      data_format: "channels_last" (default) or "channels_first".
      seed: an int seed.
      name / dtype: the layer's name and dtype.
    """

    rank = 3

    def __init__(self, rate, data_format=None, seed=None, name=None, dtype=None):
        super().__init__(rate, data_format=data_format, seed=seed, name=name, dtype=dtype)


@register_builtin("keras.layers")
class GaussianNoise(Layer):
    """Adds zero-mean Gaussian noise of standard deviation `stddev` in training.

    Args:
      stddev: the noise's standard deviation, in [0, 1].
      seed: an int seed.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        _check_rate(stddev, "stddev")
        self.stddev = stddev
        self.seed = seed
        if stddev > 0:
            self.seed_generator = krandom.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and self.stddev > 0:
            shape = _noise_shape(inputs, None)
            noise = krandom.normal(
                shape, mean=0.0, stddev=self.stddev, dtype=inputs.dtype, seed=self.seed_generator
            )
            return inputs + noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**_base_config(self), "stddev": self.stddev, "seed": self.seed}


@register_builtin("keras.layers")
class GaussianDropout(Layer):
    """Multiplies inputs by Gaussian noise of mean 1 and variance `rate / (1 - rate)` in
    training.

    Args:
      rate: the equivalent drop probability, in [0, 1].
      seed: an int seed.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(**kwargs)
        _check_rate(rate)
        self.rate = rate
        self.seed = seed
        if rate > 0:
            self.seed_generator = krandom.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and 0 < self.rate < 1:
            stddev = math.sqrt(self.rate / (1.0 - self.rate))
            noise = krandom.normal(
                _noise_shape(inputs, None), mean=1.0, stddev=stddev, dtype=inputs.dtype,
                seed=self.seed_generator,
            )  # fmt: skip
            return inputs * noise
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**_base_config(self), "rate": self.rate, "seed": self.seed}


_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805


@register_builtin("keras._legacy.layers")  # where Keras 3.15 keeps it (it serializes so)
class AlphaDropout(Layer):
    """Dropout for SELU networks: dropped inputs are set to SELU's negative saturation value
    and the result is affinely corrected to keep the mean and variance.

    Args:
      rate: the fraction of inputs dropped.
      noise_shape: the shape of the keep/drop mask (None entries take the input's size).
      seed: an int seed.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        if rate > 0:
            self.seed_generator = krandom.SeedGenerator(seed)
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if training and 0 < self.rate < 1:
            rate = self.rate
            alpha_p = -_SELU_ALPHA * _SELU_SCALE
            shape = _noise_shape(inputs, self.noise_shape)
            u = krandom.uniform(shape, dtype=inputs.dtype, seed=self.seed_generator)
            kept = _math.cast(u >= rate, inputs.dtype)
            a = ((1.0 - rate) * (1.0 + rate * alpha_p**2)) ** -0.5
            b = -a * alpha_p * rate
            x = inputs * kept + alpha_p * (1.0 - kept)
            return a * x + b
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**_base_config(self), "rate": self.rate, "seed": self.seed}


@register_builtin("keras.layers")
class ActivityRegularization(Layer):
    """Passes inputs through and adds `l1 * sum(|x|) + l2 * sum(x**2)` to `losses`.

    Args:
      l1: the L1 factor.
      l2: the L2 factor.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        from tensorflux._src.keras import regularizers

        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.supports_masking = True
        self.l1 = l1
        self.l2 = l2
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**_base_config(self), "l1": self.l1, "l2": self.l2}
