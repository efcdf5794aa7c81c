"""Core Keras layers: Dense, EinsumDense, Activation, Identity, Lambda, Embedding, Masking.

`Dense.call` is on the hot path of every training benchmark: it does one matmul (a tensordot
for inputs of rank > 2), one bias add and the activation, with everything it needs resolved at
construction/build time.
"""

from __future__ import annotations

import base64
import inspect
import marshal
import re
import types

from tensorflux._src.keras import activations, constraints, initializers, regularizers
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import math_ops as _math
from tensorflux._src.ops import nn_ops as _nn
from tensorflux._src.ops.linalg_ops import matmul as _matmul
from tensorflux._src.ops.linalg_ops import tensordot as _tensordot


def _ser(obj):
    return serialize_keras_object(obj)


def _linear_activation(fn) -> bool:
    return fn is activations.linear


def _initializer(identifier):
    # Keras accepts "uniform"/"normal" as short names of the random initializers.
    if isinstance(identifier, str) and identifier in ("uniform", "normal"):
        identifier = "random_" + identifier
    return initializers.get(identifier)


@register_builtin("keras.layers")
class Dense(Layer):
    """A densely connected layer: `activation(inputs @ kernel + bias)`.

    For inputs of rank > 2 the kernel is applied along the last axis.

    Args:
      units: the output size (a positive int).
      activation: an activation name or function (default: none, i.e. linear).
      use_bias: whether to add a bias vector.
      kernel_initializer / bias_initializer: initializers of the weights.
      kernel_regularizer / bias_regularizer: regularizers of the weights.
      activity_regularizer: a regularizer of the outputs.
      kernel_constraint / bias_constraint: constraints of the weights.
      lora_rank, lora_alpha, quantization_config: not supported (must be None).
      **kwargs: base `Layer` arguments (name, dtype, trainable, input_shape, ...).

    Raises:
      ValueError: if `units` is not a positive integer.
    """

    def __init__(
        self,
        units,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                "Received an invalid value for `units`, expected a positive integer. "
                f"Received: units={units}"
            )
        if lora_rank is not None or quantization_config is not None:
            raise NotImplementedError("Dense: LoRA and quantization are not supported.")
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True
        self._act = None if _linear_activation(self.activation) else self.activation

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.kernel = self.add_weight(
            name="kernel", shape=(input_dim, self.units), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
        )  # fmt: skip
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.units,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )  # fmt: skip
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})
        self.built = True

    def call(self, inputs, training=None):
        if inputs.shape.rank == 2:
            x = _matmul(inputs, self.kernel)
        else:
            x = _tensordot(inputs, self.kernel, [[inputs.shape.rank - 1], [0]])
        if self.bias is not None:
            x = _nn.bias_add(x, self.bias)
        if self._act is not None:
            x = self._act(x)
        return x

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": _ser(self.kernel_initializer),
            "bias_initializer": _ser(self.bias_initializer),
            "kernel_regularizer": _ser(self.kernel_regularizer),
            "bias_regularizer": _ser(self.bias_regularizer),
            "kernel_constraint": _ser(self.kernel_constraint),
            "bias_constraint": _ser(self.bias_constraint),
            "quantization_config": None,
        }


# ---------------------------------------------------------------------- EinsumDense

_PLAIN = re.compile(r"^([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)$")
_LEFT = re.compile(r"^\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)$")
_RIGHT = re.compile(r"^([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]{2,})\.\.\.$")


def _einsum_shapes(equation, bias_axes, input_shape, output_shape):
    """(kernel shape, bias shape or None, full output shape) for an EinsumDense equation."""
    eq = equation.replace(" ", "")
    left = False
    m = _PLAIN.match(eq)
    if m is None:
        m = _LEFT.match(eq)
        left = m is not None
    if m is None:
        m = _RIGHT.match(eq)
    if m is None:
        raise ValueError(
            f"Invalid einsum equation '{equation}'. Equations must be in the form "
            "[X],[Y]->[Z], ...[X],[Y]->...[Z], or [X]...,[Y]->[Z]...."
        )
    in_spec, w_spec, out_spec = m.group(1), m.group(2), m.group(3)
    input_shape = list(input_shape)
    elided = len(input_shape) - len(in_spec)
    out = [output_shape] if isinstance(output_shape, int) else list(output_shape)
    out.insert(0, input_shape[0])
    if elided > 0 and left:
        for i in range(1, elided):
            out.insert(1, input_shape[i])
    elif elided > 0:
        out.extend(input_shape[len(input_shape) - elided :])
    if left:
        in_pos = {c: i + elided - len(input_shape) for i, c in enumerate(in_spec)}
        out_pos = {c: i + elided for i, c in enumerate(out_spec)}
    else:
        in_pos = {c: i for i, c in enumerate(in_spec)}
        out_pos = {c: i for i, c in enumerate(out_spec)}
    for c in in_spec:
        if c in out_pos:
            want = out[out_pos[c]]
            have = input_shape[in_pos[c]]
            if want is not None and want != have:
                raise ValueError(
                    f"Input shape and output shape do not match at shared dimension '{c}'. "
                    f"Input shape is {have}, and output shape is {want}."
                )
    for c in out_spec:
        if c not in in_spec and c not in w_spec:
            raise ValueError(
                f"Dimension '{c}' was specified in the output '{out_spec}' but has no "
                f"corresponding dim in the input spec '{in_spec}' or weight spec '{w_spec}'"
            )
    kernel_shape = []
    for c in w_spec:
        if c in in_pos:
            kernel_shape.append(input_shape[in_pos[c]])
        elif c in out_pos:
            kernel_shape.append(out[out_pos[c]])
        else:
            raise ValueError(
                f"Weight dimension '{c}' did not have a match in either the input spec "
                f"'{in_spec}' or the output spec '{out_spec}'. For this layer, the weight must "
                "be fully specified."
            )
    bias_shape = None
    if bias_axes is not None:
        for c in bias_axes:
            if c not in out_spec:
                raise ValueError(
                    f"Bias dimension '{c}' was requested, but is not part of the output spec "
                    f"'{out_spec}'"
                )
        first = min(out_spec.find(c) for c in bias_axes)
        bias_shape = [out[out_pos[c]] if c in bias_axes else 1 for c in out_spec[first:]]
        if not left:
            bias_shape.extend([1] * max(elided, 0))
    return kernel_shape, bias_shape, out


@register_builtin("keras.layers")
class EinsumDense(Layer):
    """A dense layer whose contraction is any einsum equation: `einsum(equation, x, kernel)`.

    Args:
      equation: an equation `"ab,bc->ac"` (input, kernel -> output); `...` may stand for
        leading or trailing input dimensions.
      output_shape: the output shape without the batch dimension (None for a dimension taken
        from the input); an int for rank-2 outputs.
      activation: an activation name or function.
      bias_axes: letters of the output dimensions that get a bias (None: no bias).
      kernel_initializer / bias_initializer / kernel_regularizer / bias_regularizer /
        kernel_constraint / bias_constraint: as in `Dense`.
      **kwargs: base `Layer` arguments.
    """

    def __init__(
        self,
        equation,
        output_shape,
        activation=None,
        bias_axes=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        lora_rank=None,
        lora_alpha=None,
        gptq_unpacked_column_size=None,
        quantization_config=None,
        **kwargs,
    ):
        if lora_rank is not None or quantization_config is not None:
            raise NotImplementedError("EinsumDense: LoRA and quantization are not supported.")
        super().__init__(**kwargs)
        self.equation = equation
        if isinstance(output_shape, int):
            self.partial_output_shape = (output_shape,)
        else:
            self.partial_output_shape = tuple(output_shape)
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha
        self.supports_masking = True
        self._act = None if _linear_activation(self.activation) else self.activation

    def build(self, input_shape):
        kernel_shape, bias_shape, full = _einsum_shapes(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        self.full_output_shape = tuple(full)
        self.kernel = self.add_weight(
            name="kernel", shape=tuple(kernel_shape), initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
        )  # fmt: skip
        if bias_shape is not None:
            self.bias = self.add_weight(
                name="bias", shape=tuple(bias_shape), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )  # fmt: skip
        else:
            self.bias = None
        self.built = True

    def call(self, inputs, training=None):
        from tensorflux._src.ops.einsum_ops import einsum

        x = einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            x = x + self.bias
        if self._act is not None:
            x = self._act(x)
        return x

    def compute_output_shape(self, input_shape):
        _, _, full = _einsum_shapes(
            self.equation, self.bias_axes, input_shape, self.partial_output_shape
        )
        return tuple(full)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": _ser(self.kernel_initializer),
            "bias_initializer": _ser(self.bias_initializer),
            "kernel_regularizer": _ser(self.kernel_regularizer),
            "bias_regularizer": _ser(self.bias_regularizer),
            "activity_regularizer": _ser(self.activity_regularizer),
            "kernel_constraint": _ser(self.kernel_constraint),
            "bias_constraint": _ser(self.bias_constraint),
            "quantization_config": None,
        }


# ---------------------------------------------------------------------- simple layers


@register_builtin("keras.layers")
class Activation(Layer):
    """Applies an activation function to its input.

    Args:
      activation: an activation name ("relu", ...) or a callable.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = activations.get(activation)
        self.built = True

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "activation": activations.serialize(self.activation),
        }


@register_builtin("keras.layers")
class Identity(Layer):
    """Returns its input unchanged (a placeholder layer).

    Args:
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.built = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable, "dtype": _ser(self.dtype_policy)}


def _encode_lambda(fn) -> dict:
    code = base64.encodebytes(marshal.dumps(fn.__code__)).decode("ascii")
    closure = None
    if fn.__closure__:
        closure = tuple(c.cell_contents for c in fn.__closure__)
    return {
        "class_name": "__lambda__",
        "config": {"code": code, "defaults": fn.__defaults__, "closure": closure},
    }


def _decode_lambda(config, globs) -> types.FunctionType:
    raw = config["code"].encode("ascii")
    code = marshal.loads(base64.decodebytes(raw))
    closure = config.get("closure")
    cells = None
    if closure is not None:
        cells = tuple(types.CellType(v) for v in closure)
    defaults = config.get("defaults")
    if isinstance(defaults, list):
        defaults = tuple(defaults)
    return types.FunctionType(code, globs, code.co_name, defaults, cells)


def _is_lambda(fn) -> bool:
    return isinstance(fn, types.LambdaType) and fn.__name__ == "<lambda>"


@register_builtin("keras.layers")
class Lambda(Layer):
    """Wraps a Python function of tensors as a layer.

    Args:
      function: the function, called as `function(inputs, **arguments)` (it may also take
        `mask` and `training`).
      output_shape: the output shape (without the batch dimension) or a function of the input
        shape; None infers it by tracing.
      mask: a mask tensor or a function `mask(inputs, previous_mask)`, or None.
      arguments: extra keyword arguments passed to `function`.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.arguments = arguments or {}
        self.function = function
        params = inspect.signature(function).parameters if callable(function) else {}
        self._fn_mask = "mask" in params
        self._fn_training = "training" in params
        self._output_shape = output_shape
        self.mask = mask
        self.supports_masking = mask is not None

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_mask:
            kwargs["mask"] = mask
        if self._fn_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, previous_mask=None):
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            from tensorflux._src.keras.keras_tensor import KerasTensor, trace_output_spec

            def spec(s):
                return KerasTensor(s, self.compute_dtype)

            if isinstance(input_shape, list):
                args = ([spec(s) for s in input_shape],)
            else:
                args = (spec(input_shape),)
            out = trace_output_spec(self, args, {})
            if isinstance(out, (list, tuple)):
                return [tuple(t.shape.as_list()) for t in out]
            return tuple(out.shape.as_list())
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        return (input_shape[0],) + tuple(self._output_shape)

    def compute_output_spec(self, *args, **kwargs):
        from tensorflux._src.keras.keras_tensor import KerasTensor, trace_output_spec

        if self._output_shape is None:
            return trace_output_spec(self, args, kwargs)  # shapes and dtypes from tracing
        first = args[0]
        in_shape = (
            [tuple(x.shape.as_list()) for x in first] if isinstance(first, (list, tuple))
            else tuple(first.shape.as_list())
        )  # fmt: skip
        shape = self.compute_output_shape(in_shape)
        return KerasTensor(shape, self.compute_dtype)

    def _serialize_fn(self, fn):
        if _is_lambda(fn):
            return _encode_lambda(fn)
        return _ser(fn)

    def get_config(self):
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "function": self._serialize_fn(self.function),
        }
        if self._output_shape is not None:
            if callable(self._output_shape):
                config["output_shape"] = self._serialize_fn(self._output_shape)
            else:
                config["output_shape"] = self._output_shape
        if self.mask is not None:
            config["mask"] = self._serialize_fn(self.mask) if callable(self.mask) else self.mask
        config["arguments"] = _ser(self.arguments)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=None):
        config = dict(config)
        for key in ("function", "output_shape", "mask"):
            value = config.get(key)
            if isinstance(value, dict) and value.get("class_name") == "__lambda__":
                if safe_mode is None:
                    from tensorflux._src.keras.serialization import in_safe_mode

                    safe_mode = in_safe_mode()
                if safe_mode is not False:
                    raise ValueError(
                        "Requested the deserialization of a `Lambda` layer whose `function` is a "
                        "Python lambda. This carries a potential risk of arbitrary code "
                        "execution and thus it is disallowed by default. If you trust the source "
                        "of the artifact, you can override this error by passing "
                        "`safe_mode=False` to the loading function, or calling "
                        "`keras.config.enable_unsafe_deserialization()."
                    )
                config[key] = _decode_lambda(value["config"], globals())
            elif isinstance(value, dict) and "class_name" in value:
                config[key] = deserialize_keras_object(value, custom_objects=custom_objects)
            elif key == "output_shape" and isinstance(value, list):
                config[key] = tuple(value)
        return super().from_config(config)


@register_builtin("keras.layers")
class Embedding(Layer):
    """Maps integer indices to dense vectors: row `i` of an `(input_dim, output_dim)` matrix.

    Args:
      input_dim: the vocabulary size (largest index + 1).
      output_dim: the size of each vector.
      embeddings_initializer / embeddings_regularizer / embeddings_constraint: for the matrix.
      mask_zero: whether index 0 is padding (the layer then outputs a mask).
      weights: optional initial value of the matrix.
      **kwargs: base `Layer` arguments (including `activity_regularizer`).

    Raises:
      ValueError: if `input_dim` or `output_dim` is not a positive integer.
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        weights=None,
        lora_rank=None,
        lora_alpha=None,
        quantization_config=None,
        **kwargs,
    ):
        for arg, value in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(
                    f"`{arg}` must be a positive integer. Received: {arg}={value} "
                    f"(of type {type(value).__name__})."
                )
        if lora_rank is not None or quantization_config is not None:
            raise NotImplementedError("Embedding: LoRA and quantization are not supported.")
        kwargs.pop("input_length", None)
        super().__init__(**kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = _initializer(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha
        if weights is not None:
            self.build()
            if not (isinstance(weights, list) and len(weights) == 1):
                weights = [weights]
            self.set_weights(weights)

    def build(self, input_shape=None):
        if self.built:
            return
        self.embeddings = self.add_weight(
            name="embeddings", shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint, trainable=True,
        )  # fmt: skip
        self.built = True

    def call(self, inputs):
        from tensorflux._src.core import dtypes
        from tensorflux._src.ops.gather_ops import gather

        if inputs.dtype not in (dtypes.int32, dtypes.int64):
            inputs = _math.cast(inputs, dtypes.int32)
        out = gather(self.embeddings, inputs)
        if out.dtype.name != self.compute_dtype:
            out = _math.cast(out, self.compute_dtype)
        return out

    def compute_mask(self, inputs, previous_mask=None):
        if not self.mask_zero:
            return None
        return _math.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": _ser(self.embeddings_initializer),
            "embeddings_regularizer": _ser(self.embeddings_regularizer),
            "activity_regularizer": _ser(self.activity_regularizer),
            "embeddings_constraint": _ser(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }


@register_builtin("keras.layers")
class Masking(Layer):
    """Masks timesteps whose features all equal `mask_value` (zeroes them, outputs a mask).

    Args:
      mask_value: the value marking a padded timestep.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = mask_value
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs, previous_mask=None):
        from tensorflux._src.ops.reduction_ops import reduce_any

        return reduce_any(_math.not_equal(inputs, self.mask_value), axis=-1)

    def call(self, inputs):
        from tensorflux._src.ops.array_ops import expand_dims

        keep = self.compute_mask(inputs)
        out = inputs * _math.cast(expand_dims(keep, -1), inputs.dtype)
        try:
            out._keras_mask = keep
        except AttributeError:
            pass
        return out

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "mask_value": self.mask_value,
        }


@register_builtin("keras.layers")
class ReversibleEmbedding(Embedding):
    """An `Embedding` that can also run in reverse, projecting vectors back to vocabulary
    logits: `inputs @ embeddings.T` (tied) or `inputs @ reverse_embeddings`.

    Args:
      input_dim / output_dim: the vocabulary size and the vector size.
      tie_weights: whether the reverse projection reuses the embedding matrix.
      embeddings_initializer / embeddings_regularizer / embeddings_constraint / mask_zero: as in
        `Embedding`.
      reverse_dtype: the dtype the reverse matmul runs in (None: the compute dtype).
      logit_soft_cap: if set, reverse logits are `tanh(logits / cap) * cap`.
      **kwargs: base `Layer` arguments.

    Call arguments:
      inputs: indices (forward) or vectors (reverse).
      reverse: whether to project vectors to logits.
    """

    def __init__(
        self,
        input_dim,
        output_dim,
        tie_weights=True,
        embeddings_initializer="uniform",
        embeddings_regularizer=None,
        embeddings_constraint=None,
        mask_zero=False,
        reverse_dtype=None,
        logit_soft_cap=None,
        **kwargs,
    ):
        super().__init__(
            input_dim, output_dim, embeddings_initializer=embeddings_initializer,
            embeddings_regularizer=embeddings_regularizer,
            embeddings_constraint=embeddings_constraint, mask_zero=mask_zero, **kwargs,
        )  # fmt: skip
        self.tie_weights = tie_weights
        self.reverse_dtype = reverse_dtype
        self.logit_soft_cap = logit_soft_cap

    def build(self, input_shape=None):
        if self.built:
            return
        super().build(input_shape)
        self.built = False
        if not self.tie_weights:
            self.reverse_embeddings = self.add_weight(
                name="reverse_embeddings", shape=(self.output_dim, self.input_dim),
                initializer=self.embeddings_initializer, dtype=self.dtype,
            )  # fmt: skip
        self.built = True

    def call(self, inputs, reverse=False):
        if not reverse:
            return super().call(inputs)
        from tensorflux._src.ops.array_ops import transpose

        kernel = transpose(self.embeddings) if self.tie_weights else self.reverse_embeddings
        x = inputs
        dtype = self.reverse_dtype or self.compute_dtype
        if x.dtype.name != dtype:
            x = _math.cast(x, dtype)
        if kernel.dtype.name != dtype:
            kernel = _math.cast(kernel, dtype)
        rank = x.shape.rank
        logits = _matmul(x, kernel) if rank == 2 else _tensordot(x, kernel, [[rank - 1], [0]])
        if self.logit_soft_cap is not None:
            from tensorflux._src.ops.trig_ops import tanh

            cap = self.logit_soft_cap
            logits = tanh(logits / cap) * cap
        return logits

    def compute_output_shape(self, input_shape, reverse=False):
        if reverse:
            return tuple(input_shape[:-1]) + (self.input_dim,)
        return tuple(input_shape) + (self.output_dim,)

    def compute_output_spec(self, inputs, reverse=False):
        from tensorflux._src.keras.keras_tensor import KerasTensor

        shape = self.compute_output_shape(tuple(inputs.shape.as_list()), reverse=reverse)
        dtype = (self.reverse_dtype or self.compute_dtype) if reverse else self.compute_dtype
        return KerasTensor(shape, dtype)

    def get_config(self):
        return {
            **super().get_config(),
            "tie_weights": self.tie_weights,
            "reverse_dtype": self.reverse_dtype,
            "logit_soft_cap": self.logit_soft_cap,
        }


def serialize(layer):
    """The Keras config dict of a layer (`{"module", "class_name", "config", ...}`)."""
    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """A layer rebuilt from `serialize`'s output.

    Args:
      config: the dict from `serialize`.
      custom_objects: extra `{name: class}` to resolve custom layers.

    Returns:
      The layer.
    """
    from tensorflux._src.keras.serialization import builtin_objects

    return deserialize_keras_object(
        config, custom_objects=custom_objects, module_objects=builtin_objects("keras.layers"),
        printable_module_name="layer",
    )  # fmt: skip


@register_builtin("keras.layers")
class Wrapper(Layer):
    """The base of layers that wrap another layer (`SpectralNormalization`, ...): it builds the
    wrapped layer, tracks its weights and serializes it under the "layer" config key.

    Args:
      layer: the wrapped `Layer`.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if `layer` is not a Keras layer.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Layer {layer} supplied to Wrapper isn't a supported layer type. Please ensure "
                "wrapped layer is a valid Keras layer."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape=None):
        if not self.layer.built:
            from tensorflux._src.keras import backend

            with backend.name_scope(self.layer.name):
                self.layer.build(input_shape)
            self.layer.built = True
            self.layer._build_input_shape = input_shape
        self.built = True

    def call(self, *args, **kwargs):
        return self.layer(*args, **kwargs)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "layer": _ser(self.layer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        return super().from_config(config)
