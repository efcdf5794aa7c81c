"""Keras normalization layers: BatchNormalization, LayerNormalization, GroupNormalization and
UnitNormalization.

Statistics are computed in float32 even under a float16 policy (the weights are created with
`autocast=False`), and the result is cast back to the input's dtype, as Keras does.
BatchNormalization updates its moving statistics with `assign` inside `call`, so the update
happens eagerly and inside `tf.function` alike.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.keras import constraints, initializers, regularizers
from tensorflux._src.keras.layers.core import Wrapper
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import math_ops as _math
from tensorflux._src.ops import nn_norm_ops as _norm
from tensorflux._src.ops import reduction_ops as _red
from tensorflux._src.ops.unary_ops import rsqrt


def _ser(obj):
    return serialize_keras_object(obj)


def _is_half(dtype) -> bool:
    return dtype.name in ("float16", "bfloat16")


def _rsqrt(x):
    return rsqrt(x)


@register_builtin("keras.layers")
class BatchNormalization(Layer):
    """Normalizes inputs with batch statistics in training and moving statistics in inference.

    In training (`training=True` and the layer trainable) the output is
    `gamma * (x - mean(x)) / sqrt(var(x) + epsilon) + beta` over every axis but `axis`, and
    `moving_mean`/`moving_variance` move towards the batch statistics by `1 - momentum`.
    Otherwise the moving statistics are used.

    Args:
      axis: the feature axis (normalized per index along it).
      momentum: the moving-average momentum.
      epsilon: added to the variance.
      center / scale: whether to use `beta` / `gamma`.
      beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: initializers.
      beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: for the weights.
      synchronized: accepted (a single replica: same as False).
      renorm, renorm_clipping, renorm_momentum: batch renormalization (not supported).
      **kwargs: base `Layer` arguments.
    """

    def __init__(
        self,
        axis=-1,
        momentum=0.99,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        renorm=False,
        renorm_clipping=None,
        renorm_momentum=0.99,
        synchronized=False,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if renorm:
            raise NotImplementedError("BatchNormalization(renorm=True) is not supported.")
        self.axis = int(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.synchronized = synchronized
        self.renorm = renorm
        self.renorm_clipping = renorm_clipping
        self.renorm_momentum = renorm_momentum
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axis = self.axis if self.axis >= 0 else ndim + self.axis
        shape = (input_shape[self.axis],)
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma", shape=shape, initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                trainable=True, autocast=False,
            )  # fmt: skip
        else:
            self.gamma = None
        if self.center:
            self.beta = self.add_weight(
                name="beta", shape=shape, initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                trainable=True, autocast=False,
            )  # fmt: skip
        else:
            self.beta = None
        self.moving_mean = self.add_weight(
            name="moving_mean", shape=shape, initializer=self.moving_mean_initializer,
            trainable=False, autocast=False,
        )  # fmt: skip
        self.moving_variance = self.add_weight(
            name="moving_variance", shape=shape, initializer=self.moving_variance_initializer,
            trainable=False, autocast=False,
        )  # fmt: skip
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: input_shape[self.axis]})
        self._reduction_axes = [i for i in range(ndim) if i != axis]
        # 4-D/5-D inputs normalized along the channel axis run as one FusedBatchNormV3 op
        # (its outputs 3 and 4 are the batch mean and the biased batch variance).
        self._fused_format = None
        if ndim in (4, 5) and self.epsilon >= 1.001e-5 and axis in (1, ndim - 1):
            self._fused_format = {
                (4, False): "NHWC", (4, True): "NCHW", (5, False): "NDHWC", (5, True): "NCDHW",
            }[(ndim, axis == 1)]  # fmt: skip
            channels = input_shape[self.axis]
            self._ones = np.ones((channels,), "float32")
            self._zeros = np.zeros((channels,), "float32")
        self._bshape = None
        if axis != ndim - 1:
            self._bshape = [1] * ndim
            self._bshape[axis] = input_shape[self.axis]
        self.built = True

    def _bcast(self, v):
        if v is None or self._bshape is None:
            return v
        from tensorflux._src.ops.array_ops import reshape

        return reshape(v, self._bshape)

    def call(self, inputs, training=None, mask=None):
        if self._fused_format is not None and mask is None:
            return self._fused_call(inputs, bool(training and self.trainable))
        x = inputs
        in_dtype = x.dtype
        if _is_half(in_dtype):
            x = _math.cast(x, "float32")
        if training and self.trainable:
            if mask is None:
                mean, var = _norm.moments(x, self._reduction_axes)
            else:
                from tensorflux._src.ops.array_ops import expand_dims

                w = _math.cast(mask, x.dtype)
                if len(mask.shape) < len(x.shape):
                    w = expand_dims(w, -1)
                mean, var = _norm.weighted_moments(x, self._reduction_axes, w)
            m = self.momentum
            self.moving_mean.assign(self.moving_mean * m + mean * (1.0 - m))
            self.moving_variance.assign(self.moving_variance * m + var * (1.0 - m))
        else:
            mean, var = self.moving_mean, self.moving_variance
        out = _norm.batch_normalization(
            x, self._bcast(mean), self._bcast(var), self._bcast(self.beta),
            self._bcast(self.gamma), self.epsilon,
        )  # fmt: skip
        if out.dtype != in_dtype:
            out = _math.cast(out, in_dtype)
        return out

    def _fused_call(self, x, training):
        gamma = self.gamma if self.gamma is not None else self._ones
        beta = self.beta if self.beta is not None else self._zeros
        outs = _norm.FusedBatchNormV3(
            x, gamma, beta, self.moving_mean, self.moving_variance, epsilon=self.epsilon,
            exponential_avg_factor=1.0, data_format=self._fused_format, is_training=training,
        )  # fmt: skip
        if training:
            m = self.momentum
            self.moving_mean.assign(self.moving_mean * m + outs[3] * (1.0 - m))
            self.moving_variance.assign(self.moving_variance * m + outs[4] * (1.0 - m))
        return outs[0]

    def compute_output_shape(self, input_shape):
        if isinstance(self.axis, int):
            ndim = len(input_shape)
            if self.axis >= ndim or self.axis < -ndim:
                raise ValueError(
                    f"Axis {self.axis} is out of bounds for input shape {tuple(input_shape)}. "
                    f"Received: axis={self.axis}"
                )
        return tuple(input_shape)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": _ser(self.beta_initializer),
            "gamma_initializer": _ser(self.gamma_initializer),
            "moving_mean_initializer": _ser(self.moving_mean_initializer),
            "moving_variance_initializer": _ser(self.moving_variance_initializer),
            "beta_regularizer": _ser(self.beta_regularizer),
            "gamma_regularizer": _ser(self.gamma_regularizer),
            "beta_constraint": _ser(self.beta_constraint),
            "gamma_constraint": _ser(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


def _axes_arg(axis, name="axis"):
    if isinstance(axis, (list, tuple)):
        return list(axis)
    if isinstance(axis, int):
        return axis
    raise TypeError(
        f"Expected an int or a list/tuple of ints for the argument '{name}', but received: {axis}"
    )


@register_builtin("keras.layers")
class LayerNormalization(Layer):
    """Normalizes each example over `axis`: `gamma * (x - mean) / sqrt(var + epsilon) + beta`.

    Args:
      axis: an int or list of ints, the axes normalized over (and indexed by gamma/beta).
      epsilon: added to the variance.
      center / scale: whether to use `beta` / `gamma`.
      rms_scaling: scale the uncentered inputs by `gamma / sqrt(var + epsilon)` (no `beta`).
      beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: for the weights.
      **kwargs: base `Layer` arguments.
    """

    def __init__(
        self,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        rms_scaling = kwargs.pop("rms_scaling", False)
        super().__init__(**kwargs)
        self.axis = _axes_arg(axis)
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.rms_scaling = rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.supports_masking = True
        self.autocast = False

    def build(self, input_shape):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        ndim = len(input_shape)
        for a in axes:
            if a >= ndim or a < -ndim:
                raise ValueError(f"Invalid axis: {a}")
        self.axis = sorted(axes)
        shape = tuple(input_shape[a] for a in self.axis)
        if self.scale or self.rms_scaling:
            self.gamma = self.add_weight(
                name="gamma", shape=shape, initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
                trainable=True, autocast=False,
            )  # fmt: skip
        else:
            self.gamma = None
        if self.center and not self.rms_scaling:
            self.beta = self.add_weight(
                name="beta", shape=shape, initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
                trainable=True, autocast=False,
            )  # fmt: skip
        else:
            self.beta = None
        pos = sorted(a % ndim for a in self.axis)
        self._axes_pos = pos
        self._bshape = [input_shape[i] if i in pos else 1 for i in range(ndim)]
        self._need_reshape = pos != list(range(ndim - len(pos), ndim))
        self.built = True

    def _b(self, v):
        if v is None or not self._need_reshape:
            return v
        from tensorflux._src.ops.array_ops import reshape

        return reshape(v, self._bshape)

    def call(self, inputs):
        x = inputs
        in_dtype = x.dtype
        if _is_half(in_dtype) or not in_dtype.is_floating:
            x = _math.cast(x, "float32")
        axes = self._axes_pos
        if self.rms_scaling:
            # Keras 3 scales the uncentered inputs by the inverse standard deviation.
            _, var = _norm.moments(x, axes, keepdims=True)
            out = x * _rsqrt(var + self.epsilon)
            if self.gamma is not None:
                out = out * self._b(self.gamma)
        else:
            mean, var = _norm.moments(x, axes, keepdims=True)
            inv = _rsqrt(var + self.epsilon)
            if self.gamma is not None:
                inv = inv * self._b(self.gamma)
            out = (x - mean) * inv
            if self.beta is not None:
                out = out + self._b(self.beta)
        if out.dtype.name != self.compute_dtype:
            out = _math.cast(out, self.compute_dtype)
        return out

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": _ser(self.beta_initializer),
            "gamma_initializer": _ser(self.gamma_initializer),
            "beta_regularizer": _ser(self.beta_regularizer),
            "gamma_regularizer": _ser(self.gamma_regularizer),
            "beta_constraint": _ser(self.beta_constraint),
            "gamma_constraint": _ser(self.gamma_constraint),
        }


@register_builtin("keras.layers")
class GroupNormalization(Layer):
    """Normalizes each example over groups of channels (`groups` groups along `axis`).

    Args:
      groups: the number of groups (must divide the channel count).
      axis: the channel axis.
      epsilon: added to the variance.
      center / scale: whether to use `beta` / `gamma`.
      beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
        beta_constraint, gamma_constraint: for the weights.
      **kwargs: base `Layer` arguments.
    """

    def __init__(
        self,
        groups=32,
        axis=-1,
        epsilon=1e-3,
        center=True,
        scale=True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon
        self.center = center
        self.scale = scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        ndim = len(input_shape)
        dim = input_shape[self.axis]
        if dim is None:
            raise ValueError(
                f"Axis {self.axis} of input tensor should have a defined dimension but the "
                f"layer received an input with shape {tuple(input_shape)}."
            )
        if self.groups == -1:
            self.groups = dim
        if dim < self.groups:
            raise ValueError(
                f"Number of groups ({self.groups}) cannot be more than the number of channels "
                f"({dim})."
            )
        if dim % self.groups != 0:
            raise ValueError(
                f"Number of groups ({self.groups}) must be a multiple of the number of channels "
                f"({dim})."
            )
        self.input_spec = InputSpec(ndim=ndim, axes={self.axis: dim})
        if self.scale:
            self.gamma = self.add_weight(
                name="gamma", shape=(dim,), initializer=self.gamma_initializer,
                regularizer=self.gamma_regularizer, constraint=self.gamma_constraint,
            )  # fmt: skip
        else:
            self.gamma = None
        if self.center:
            self.beta = self.add_weight(
                name="beta", shape=(dim,), initializer=self.beta_initializer,
                regularizer=self.beta_regularizer, constraint=self.beta_constraint,
            )  # fmt: skip
        else:
            self.beta = None
        axis = self.axis % ndim
        self._axis_pos = axis
        self._dim = dim
        self._bshape = [1] * ndim
        self._bshape[axis] = dim
        # reduce over every axis of the grouped tensor but the batch and the group axes
        self._reduce = [i for i in range(1, ndim + 1) if i != axis]
        self.built = True

    def call(self, inputs):
        from tensorflux._src.ops.array_ops import reshape
        from tensorflux._src.ops.array_ops import shape as tf_shape
        from tensorflux._src.ops.manip_ops import concat

        x = inputs
        in_dtype = x.dtype
        if _is_half(in_dtype):
            x = _math.cast(x, "float32")
        axis = self._axis_pos
        static = x.shape.as_list()
        if all(d is not None for d in static):
            gshape = static[:axis] + [self.groups, self._dim // self.groups] + static[axis + 1 :]
        else:
            dyn = tf_shape(x)
            gshape = concat(
                [dyn[:axis], [self.groups, self._dim // self.groups], dyn[axis + 1 :]], 0
            )
        xg = reshape(x, gshape)
        mean, var = _norm.moments(xg, self._reduce, keepdims=True)
        xg = (xg - mean) * _rsqrt(var + self.epsilon)
        out = reshape(xg, tf_shape(x) if not isinstance(gshape, list) else static)
        if self.gamma is not None:
            out = out * reshape(_math.cast(self.gamma, out.dtype), self._bshape)
        if self.beta is not None:
            out = out + reshape(_math.cast(self.beta, out.dtype), self._bshape)
        if out.dtype != in_dtype:
            out = _math.cast(out, in_dtype)
        return out

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": _ser(self.beta_initializer),
            "gamma_initializer": _ser(self.gamma_initializer),
            "beta_regularizer": _ser(self.beta_regularizer),
            "gamma_regularizer": _ser(self.gamma_regularizer),
            "beta_constraint": _ser(self.beta_constraint),
            "gamma_constraint": _ser(self.gamma_constraint),
        }


@register_builtin("keras.layers")
class UnitNormalization(Layer):
    """Scales each example to unit L2 norm over `axis`.

    Args:
      axis: an int or list of ints.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = _axes_arg(axis)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        from tensorflux._src.ops.unary_ops import square

        x = inputs
        if not x.dtype.is_floating:
            x = _math.cast(x, self.compute_dtype)
        sq = _red.reduce_sum(square(x), axis=self.axis, keepdims=True)
        return x * _rsqrt(_math.maximum(sq, 1e-12))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "axis": self.axis,
        }


@register_builtin("keras.layers")
class RMSNormalization(Layer):
    """Root-mean-square normalization: `x * rsqrt(mean(x**2, axis) + epsilon) * scale`.

    Args:
      axis: an int or list of ints, the axes averaged over (and indexed by `scale`).
      epsilon: added to the mean square.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, axis=-1, epsilon=1e-6, **kwargs):
        super().__init__(**kwargs)
        self.axis = _axes_arg(axis)
        self.epsilon = epsilon
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        pos = sorted(a % ndim for a in axes)
        self._pos = pos
        self._bshape = [input_shape[i] if i in pos else 1 for i in range(ndim)]
        self._need_reshape = pos != list(range(ndim - len(pos), ndim))
        self.scale = self.add_weight(
            name="scale", shape=tuple(input_shape[i] for i in pos), initializer="ones"
        )
        self.built = True

    def call(self, inputs):
        from tensorflux._src.ops.array_ops import reshape
        from tensorflux._src.ops.unary_ops import square

        x = inputs
        ms = _red.reduce_mean(square(x), axis=self._pos, keepdims=True)
        scale = self.scale
        if self._need_reshape:
            scale = reshape(scale, self._bshape)
        return x * rsqrt(ms + self.epsilon) * scale

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "axis": self.axis,
            "epsilon": self.epsilon,
        }


@register_builtin("keras.layers")
class SpectralNormalization(Wrapper):
    """Divides the kernel (or embeddings) of the wrapped layer by its largest singular value,
    estimated by power iteration; in training the estimate and the normalized kernel are stored
    back into `vector_u` and the layer's kernel.

    Args:
      layer: a layer with a `kernel` or `embeddings` weight (Dense, Conv2D, Embedding, ...).
      power_iterations: power-iteration steps per training call (> 0).
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if `power_iterations` is not positive, or the layer has no kernel.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        super().__init__(layer, **kwargs)
        if power_iterations <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.power_iterations = power_iterations

    def build(self, input_shape):
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        if hasattr(self.layer, "kernel"):
            self.kernel = self.layer.kernel
        elif hasattr(self.layer, "embeddings"):
            self.kernel = self.layer.embeddings
        else:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'"
            )
        self._kernel_shape = tuple(self.kernel.shape.as_list())
        self.vector_u = self.add_weight(
            shape=(1, self._kernel_shape[-1]), initializer=initializers.RandomNormal(),
            trainable=False, name="vector_u", dtype=self.kernel.dtype,
        )  # fmt: skip
        self.built = True

    def call(self, inputs, training=False):
        if training:
            new_u, new_kernel = self.normalized_weights()
            self.vector_u.assign(new_u)
            self.kernel.assign(new_kernel)
        out = self.layer(inputs)
        if out.dtype != inputs.dtype:
            out = _math.cast(out, inputs.dtype)
        return out

    def normalized_weights(self):
        """(new `vector_u`, the kernel divided by its estimated spectral norm)."""
        from tensorflux._src.ops.array_ops import reshape, stop_gradient, transpose
        from tensorflux._src.ops.linalg_ops import matmul

        def unit(v):
            return v * rsqrt(_math.maximum(_red.reduce_sum(v * v), 1e-12))

        w = reshape(self.kernel, [-1, self._kernel_shape[-1]])
        u = self.vector_u.value
        v = None
        for _ in range(self.power_iterations):
            v = unit(matmul(u, transpose(w)))
            u = unit(matmul(v, w))
        u = stop_gradient(u)
        v = stop_gradient(v)
        sigma = matmul(matmul(v, w), transpose(u))
        kernel = reshape(self.kernel / sigma, self._kernel_shape)
        return u, kernel

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        return {**super().get_config(), "power_iterations": self.power_iterations}
