"""Keras activation layers: ReLU, LeakyReLU, PReLU, ELU and Softmax (mask-aware)."""

from __future__ import annotations

import warnings

from tensorflux._src.keras import activations as _acts
from tensorflux._src.keras import constraints, initializers, regularizers
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import math_ops as _math


def _base_config(layer):
    return {
        "name": layer.name,
        "trainable": layer.trainable,
        "dtype": serialize_keras_object(layer.dtype_policy),
    }


@register_builtin("keras.layers")
class ReLU(Layer):
    """The rectified linear unit with optional cap, leak and threshold:
    `max_value` if `x >= max_value`, `x` if `threshold <= x < max_value`, else
    `negative_slope * (x - threshold)`.

    Args:
      max_value: the cap (None: none); must be >= 0.
      negative_slope: the slope below the threshold; must be >= 0.
      threshold: the threshold; must be >= 0.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError(
                f"max_value of a ReLU layer cannot be a negative value. Received: "
                f"max_value={max_value}"
            )
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError(
                "negative_slope of a ReLU layer cannot be None or a negative value. Received: "
                f"negative_slope={negative_slope}"
            )
        if threshold is None or threshold < 0.0:
            raise ValueError(
                "threshold of a ReLU layer cannot be None or a negative value. Received: "
                f"threshold={threshold}"
            )
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True
        self._plain = max_value is None and not negative_slope and not threshold
        self.built = True

    def call(self, inputs):
        if self._plain:
            from tensorflux._src.ops.nn_ops import relu

            return relu(inputs)
        return _acts.relu(
            inputs, negative_slope=self.negative_slope, max_value=self.max_value,
            threshold=self.threshold,
        )  # fmt: skip

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **_base_config(self),
            "max_value": self.max_value,
            "negative_slope": self.negative_slope,
            "threshold": self.threshold,
        }


@register_builtin("keras.layers")
class LeakyReLU(Layer):
    """`x` for `x >= 0`, else `negative_slope * x`.

    Args:
      negative_slope: the slope for negative inputs (>= 0; `alpha` is an old name for it).
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError(
                "The negative_slope value of a Leaky ReLU layer cannot be None or negative "
                f"value. Expected a float. Received: negative_slope={negative_slope}"
            )
        self.negative_slope = negative_slope
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        from tensorflux._src.ops.nn_ops import leaky_relu

        return leaky_relu(inputs, alpha=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**_base_config(self), "negative_slope": self.negative_slope}


@register_builtin("keras.layers")
class PReLU(Layer):
    """A leaky ReLU whose negative slope `alpha` is learned (per element, or shared along
    `shared_axes`): `x` for `x >= 0`, else `alpha * x`.

    Args:
      alpha_initializer / alpha_regularizer / alpha_constraint: for the `alpha` weight.
      shared_axes: axes (1-based, excluding the batch axis) along which one alpha is shared,
        e.g. `[1, 2]` for one alpha per channel of images.
      **kwargs: base `Layer` arguments.
    """

    def __init__(
        self,
        alpha_initializer="Zeros",
        alpha_regularizer=None,
        alpha_constraint=None,
        shared_axes=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer = regularizers.get(alpha_regularizer)
        self.alpha_constraint = constraints.get(alpha_constraint)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        if self.shared_axes is not None:
            for i in self.shared_axes:
                param_shape[i - 1] = 1
        self.alpha = self.add_weight(
            name="alpha", shape=tuple(param_shape), initializer=self.alpha_initializer,
            regularizer=self.alpha_regularizer, constraint=self.alpha_constraint,
        )  # fmt: skip
        axes = {}
        if self.shared_axes:
            for i in range(1, len(input_shape)):
                if i not in self.shared_axes:
                    axes[i] = input_shape[i]
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, inputs):
        from tensorflux._src.ops.nn_ops import relu

        return relu(inputs) - self.alpha * relu(-inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            **_base_config(self),
            "alpha_initializer": serialize_keras_object(self.alpha_initializer),
            "alpha_regularizer": serialize_keras_object(self.alpha_regularizer),
            "alpha_constraint": serialize_keras_object(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }


@register_builtin("keras.layers")
class ELU(Layer):
    """The exponential linear unit: `x` for `x > 0`, else `alpha * (exp(x) - 1)`.

    Args:
      alpha: the scale of the negative part.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return _acts.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        base = _base_config(self)
        return {"name": base["name"], "alpha": self.alpha, "trainable": base["trainable"],
                "dtype": base["dtype"]}  # fmt: skip


def _large_negative(dtype):
    if dtype.name in ("float16", "bfloat16"):
        return -3e4
    return -1e9


def _check_mask(x, mask):
    xs = x.shape.as_list() if x.shape.rank is not None else None
    ms = getattr(mask, "shape", None)
    ms = list(ms.as_list() if hasattr(ms, "as_list") else ms) if ms is not None else None
    if xs is None or ms is None:
        return
    ok = len(xs) == len(ms) and all(m in (1, None) or d is None or m == d for d, m in zip(xs, ms))
    if not ok:
        raise ValueError(
            "The `mask` must be broadcastable to `inputs`. Each mask dimension must be 1 or "
            "match the corresponding input dimension. Received: inputs.shape="
            f"{tuple(xs)}, mask.shape={tuple(ms)}"
        )


@register_builtin("keras.layers")
class Softmax(Layer):
    """The softmax along `axis`; entries where `mask` is False get probability 0.

    Args:
      axis: an int or a tuple of ints.
      **kwargs: base `Layer` arguments.

    Call arguments:
      inputs: the logits.
      mask: an optional boolean tensor broadcastable to the inputs (True: keep).
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def call(self, inputs, mask=None):
        x = inputs
        if mask is not None:
            _check_mask(x, mask)
            keep = _math.cast(mask, x.dtype)
            x = x + (1.0 - keep) * _large_negative(x.dtype)
        if isinstance(self.axis, (tuple, list)):
            from tensorflux._src.ops.reduction_ops import reduce_logsumexp
            from tensorflux._src.ops.unary_ops import exp

            out = exp(x - reduce_logsumexp(x, axis=list(self.axis), keepdims=True))
        else:
            from tensorflux._src.ops.nn_ops import softmax

            out = softmax(x, axis=self.axis)
        if mask is not None:
            out = out * keep
        return out

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**_base_config(self), "axis": self.axis}


@register_builtin("keras._legacy.layers")  # where Keras 3.15 keeps it (it serializes so)
class ThresholdedReLU(Layer):
    """`x` where `x > theta`, else 0.

    Args:
      theta: the threshold (>= 0).
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, theta=1.0, **kwargs):
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(
                "Theta of a Thresholded ReLU layer cannot be None, expecting a float. Received: "
                "None"
            )
        if theta < 0:
            raise ValueError(
                f"The theta value of a Thresholded ReLU layer should be >=0. Received: {theta}"
            )
        self.theta = float(theta)
        self.supports_masking = True

    def call(self, inputs):
        return inputs * _math.cast(inputs > self.theta, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**_base_config(self), "theta": self.theta}
