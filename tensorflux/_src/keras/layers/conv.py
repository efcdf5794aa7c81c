"""Keras convolution layers: Conv1D/2D/3D, their transposes, SeparableConv1D/2D and
DepthwiseConv1D/2D (plus the `Convolution*` aliases).

The argument checks, weight shapes and output-shape arithmetic follow Keras 3; the computation
goes through `tf.nn` (convolution, conv_transpose, depthwise_conv2d, bias_add).
"""

from __future__ import annotations

from tensorflux._src.keras import activations, backend, constraints, initializers, regularizers
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import nn_ops as _nn
from tensorflux._src.ops.array_ops import expand_dims, reshape, squeeze, stack
from tensorflux._src.ops.array_ops import shape as tf_shape
from tensorflux._src.ops.conv_api import conv_transpose, convolution, depthwise_conv2d
from tensorflux._src.ops.manip_ops import concat, pad, split

# ---------------------------------------------------------------------- argument helpers


def standardize_tuple(value, n, name, allow_zero=False):
    """`value` (an int or n ints) as a tuple of n ints, with Keras's error messages."""
    error = f"The `{name}` argument must be a tuple of {n} integers. Received {name}={value}"
    if isinstance(value, int):
        values = (value,) * n
    else:
        try:
            values = tuple(value)
        except TypeError:
            raise ValueError(error) from None
        if len(values) != n:
            raise ValueError(error)
        for v in values:
            if not isinstance(v, int):
                raise ValueError(error)
    bad = {v for v in values if (v < 0 if allow_zero else v <= 0)}
    if bad:
        cond = "`value >= 0`" if allow_zero else "`value > 0`"
        raise ValueError(f"{error}, including values {bad} that do not satisfy {cond}")
    return values


def standardize_padding(value, allow_causal=False):
    if isinstance(value, (list, tuple)):
        return value
    padding = str(value).lower()
    allowed = {"valid", "same", "causal"} if allow_causal else {"valid", "same"}
    if padding not in allowed:
        names = "{'valid', 'same', 'causal'}" if allow_causal else "{'valid', 'same'}"
        raise ValueError(
            f"The `padding` argument must be a list/tuple or one of {names}. Received: {padding}"
        )
    return padding


def conv_output_length(length, kernel, stride, padding, dilation):
    if length is None:
        return None
    if padding == "valid":
        return (length - dilation * (kernel - 1) - 1) // stride + 1
    return (length - 1) // stride + 1


def conv_transpose_output_length(length, kernel, stride, padding, output_padding, dilation):
    if length is None:
        return None
    kernel = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "valid":
            return length * stride + max(kernel - stride, 0)
        return length * stride
    pad = kernel // 2 if padding == "same" else 0
    return (length - 1) * stride + kernel - 2 * pad + output_padding


def _ser(obj):
    return serialize_keras_object(obj)


def _tf_format(rank, channels_first):
    return (
        {1: "NWC", 2: "NHWC", 3: "NDHWC"}[rank]
        if not channels_first
        else {1: "NCW", 2: "NCHW", 3: "NCDHW"}[rank]
    )


def _add_bias(x, bias, rank, channels_first):
    if not channels_first:
        return _nn.bias_add(x, bias)
    if rank == 2:
        return _nn.bias_add(x, bias, data_format="NCHW")
    return x + reshape(bias, (1, -1) + (1,) * rank)


# ---------------------------------------------------------------------- BaseConv


class _BaseConv(Layer):
    """Shared construction, build and config of the plain N-D convolution layers."""

    rank = 2
    _transpose = False

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        output_padding=None,
        **kwargs,
    ):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        rank = self.rank
        self.filters = filters
        self.groups = groups or 1
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding, allow_causal=rank == 1 and not self._transpose)
        self.data_format = backend.standardize_data_format(data_format)
        if self._transpose:
            self.output_padding = (
                None if output_padding is None
                else standardize_tuple(output_padding, rank, "output_padding", allow_zero=True)
            )  # fmt: skip
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._channels_first = self.data_format == "channels_first"
        self._act = None if self.activation is activations.linear else self.activation
        if self.filters is not None and (not isinstance(filters, int) or self.filters <= 0):
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={self.filters}."
            )
        if self.filters is not None and self.filters % self.groups != 0:
            raise ValueError(
                "The number of filters must be evenly divisible by the number of groups. "
                f"Received: groups={self.groups}, filters={self.filters}."
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        if self._transpose and self.output_padding is not None:
            for s, p in zip(self.strides, self.output_padding):
                if p >= s:
                    raise ValueError(
                        "Strides must be greater than output padding. Received strides="
                        f"{self.strides}, output_padding={self.output_padding}."
                    )

    @property
    def _channel_axis(self):
        return 1 if self._channels_first else -1

    def build(self, input_shape):
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. Found `None`. Full input "
                f"shape received: input_shape={tuple(input_shape)}"
            )
        if self._transpose:
            kernel_shape = self.kernel_size + (self.filters, channels)
        else:
            if channels % self.groups != 0:
                raise ValueError(
                    "The number of input channels must be evenly divisible by the number of "
                    f"groups. Received groups={self.groups}, but the input has {channels} "
                    f"channels (full input shape is {tuple(input_shape)})."
                )
            kernel_shape = self.kernel_size + (channels // self.groups, self.filters)
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={self._channel_axis: channels})
        self.kernel = self.add_weight(
            name="kernel", shape=kernel_shape, initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
            trainable=True,
        )  # fmt: skip
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                trainable=True,
            )  # fmt: skip
        else:
            self.bias = None
        self._in_channels = channels
        self.compute_output_shape(input_shape)  # Keras's error for an empty output
        self._tf_padding = "VALID" if self.padding in ("valid", "causal") else "SAME"
        self._data_format_tf = _tf_format(self.rank, self._channels_first)
        self.built = True

    def _spatial(self, shape):
        return shape[2:] if self._channels_first else shape[1:-1]

    def _assemble(self, shape, spatial, channels):
        if self._channels_first:
            return (shape[0], channels) + tuple(spatial)
        return (shape[0],) + tuple(spatial) + (channels,)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = self._spatial(input_shape)
        out = []
        for i, length in enumerate(spatial):
            if self._transpose:
                op = None if self.output_padding is None else self.output_padding[i]
                out.append(conv_transpose_output_length(
                    length, self.kernel_size[i], self.strides[i], self.padding, op,
                    self.dilation_rate[i],
                ))  # fmt: skip
            else:
                out.append(conv_output_length(
                    length, self.kernel_size[i], self.strides[i], self.padding,
                    self.dilation_rate[i],
                ))  # fmt: skip
        if any(d is not None and d <= 0 for d in out):
            channels = input_shape[1 if self._channels_first else -1]
            if self._transpose:
                kshape = self.kernel_size + (self.filters, channels)
            else:
                kshape = self.kernel_size + (
                    None if channels is None else channels // self.groups, self.filters
                )
            dilation = "[" + " ".join(str(d) for d in self.dilation_rate) + "]"
            raise ValueError(
                "Computed output size would be zero or negative. Received `inputs shape="
                f"{input_shape}`, `kernel shape={kshape}`, `dilation_rate={dilation}`, "
                f"`strides={self.strides}`, `padding={self.padding}`."
            )
        return self._assemble(input_shape, out, self.filters)

    def _conv(self, x, kernel):
        if self.padding == "causal":
            left = self.dilation_rate[0] * (self.kernel_size[0] - 1)
            steps = [left, 0]
            x = pad(x, [[0, 0], [0, 0], steps] if self._channels_first else [[0, 0], steps, [0, 0]])
        return convolution(
            x, kernel, strides=list(self.strides), padding=self._tf_padding,
            data_format=self._data_format_tf, dilations=list(self.dilation_rate),
        )  # fmt: skip

    def call(self, inputs):
        if self.groups == 1:
            x = self._conv(inputs, self.kernel)
        else:
            axis = self.rank + 1 if not self._channels_first else 1
            xs = split(inputs, self.groups, axis=axis)
            ks = split(self.kernel, self.groups, axis=self.rank + 1)
            x = concat([self._conv(a, b) for a, b in zip(xs, ks)], axis=axis)
        if self.bias is not None:
            x = _add_bias(x, self.bias, self.rank, self._channels_first)
        if self._act is not None:
            x = self._act(x)
        return x

    def get_config(self):
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
        }
        if self._transpose:
            config["output_padding"] = self.output_padding
        config["data_format"] = self.data_format
        config["dilation_rate"] = self.dilation_rate
        if not self._transpose:
            config["groups"] = self.groups
        config.update({
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": _ser(self.kernel_initializer),
            "bias_initializer": _ser(self.bias_initializer),
            "kernel_regularizer": _ser(self.kernel_regularizer),
            "bias_regularizer": _ser(self.bias_regularizer),
            "activity_regularizer": _ser(self.activity_regularizer),
            "kernel_constraint": _ser(self.kernel_constraint),
            "bias_constraint": _ser(self.bias_constraint),
        })  # fmt: skip
        return config


_CONV_DOC = """A {rank}-D convolution layer: `activation(conv(inputs, kernel) + bias)`.

    Args:
      filters: the number of output channels.
      kernel_size: an int or {rank} ints, the window size.
      strides: an int or {rank} ints.
      padding: "valid", "same"{causal}.
      data_format: "channels_last" (default) or "channels_first".
      dilation_rate: an int or {rank} ints (not combined with strides > 1).
      groups: the number of channel groups (filters and input channels must divide by it).
      activation: an activation name or function.
      use_bias: whether to add a bias.
      kernel_initializer / bias_initializer / kernel_regularizer / bias_regularizer /
        activity_regularizer / kernel_constraint / bias_constraint: as in `Dense`.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: for invalid filters, kernel sizes, strides, padding or groups.
    """


def _conv_init(rank, defaults):
    strides_d, dilation_d = defaults

    def __init__(
        self,
        filters,
        kernel_size,
        strides=strides_d,
        padding="valid",
        data_format=None,
        dilation_rate=dilation_d,
        groups=1,
        activation=None,
        use_bias=True,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        _BaseConv.__init__(
            self, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, groups=groups,
            activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint, **kwargs,
        )  # fmt: skip

    return __init__


@register_builtin("keras.layers")
class Conv1D(_BaseConv):
    __doc__ = _CONV_DOC.format(rank=1, causal=' or "causal"')
    rank = 1
    __init__ = _conv_init(1, (1, 1))


@register_builtin("keras.layers")
class Conv2D(_BaseConv):
    __doc__ = _CONV_DOC.format(rank=2, causal="")
    rank = 2
    __init__ = _conv_init(2, ((1, 1), (1, 1)))


@register_builtin("keras.layers")
class Conv3D(_BaseConv):
    __doc__ = _CONV_DOC.format(rank=3, causal="")
    rank = 3
    __init__ = _conv_init(3, ((1, 1, 1), (1, 1, 1)))


# ---------------------------------------------------------------------- transposed


class _BaseConvTranspose(_BaseConv):
    _transpose = True

    def call(self, inputs):
        in_shape = tuple(inputs.shape.as_list())
        out_shape = list(self.compute_output_shape(in_shape))
        if any(d is None for d in out_shape):
            dyn = tf_shape(inputs)
            spatial_idx = (
                range(2, self.rank + 2) if self._channels_first else range(1, self.rank + 1)
            )
            dims = [dyn[0]]
            for j, i in enumerate(spatial_idx):
                length = dyn[i]
                k = self.kernel_size[j] + (self.kernel_size[j] - 1) * (self.dilation_rate[j] - 1)
                s = self.strides[j]
                if self.output_padding is None:
                    d = length * s + max(k - s, 0) if self.padding == "valid" else length * s
                else:
                    pad = k // 2 if self.padding == "same" else 0
                    d = (length - 1) * s + k - 2 * pad + self.output_padding[j]
                dims.append(d)
            if self._channels_first:
                dims.insert(1, self.filters)
            else:
                dims.append(self.filters)
            out_shape = stack(dims)
        x = conv_transpose(
            inputs, self.kernel, out_shape, strides=list(self.strides),
            padding=self._tf_padding, data_format=self._data_format_tf,
            dilations=list(self.dilation_rate),
        )  # fmt: skip
        if self.bias is not None:
            x = _add_bias(x, self.bias, self.rank, self._channels_first)
        if self._act is not None:
            x = self._act(x)
        return x


_TCONV_DOC = """A {rank}-D transposed convolution ("deconvolution") layer.

    Args:
      filters: the number of output channels.
      kernel_size: an int or {rank} ints.
      strides: an int or {rank} ints.
      padding: "valid" or "same".
      output_padding: an int or {rank} ints of extra size on one side of the output (each
        smaller than the stride); None infers the output size.
      data_format: "channels_last" (default) or "channels_first".
      dilation_rate: an int or {rank} ints.
      activation / use_bias / *_initializer / *_regularizer / *_constraint: as in `Conv2D`.
      **kwargs: base `Layer` arguments.
    """


def _tconv_init(rank, defaults, data_format_first):
    strides_d, dilation_d = defaults

    def init(self, filters, kernel_size, strides, padding, output_padding, data_format,
             dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
             kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
             bias_constraint, kwargs):  # fmt: skip
        _BaseConv.__init__(
            self, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
            output_padding=output_padding, **kwargs,
        )  # fmt: skip

    if data_format_first:

        def __init__(
            self,
            filters,
            kernel_size,
            strides=strides_d,
            padding="valid",
            data_format=None,
            output_padding=None,
            dilation_rate=dilation_d,
            activation=None,
            use_bias=True,
            kernel_initializer="glorot_uniform",
            bias_initializer="zeros",
            kernel_regularizer=None,
            bias_regularizer=None,
            activity_regularizer=None,
            kernel_constraint=None,
            bias_constraint=None,
            **kwargs,
        ):
            init(self, filters, kernel_size, strides, padding, output_padding, data_format,
                 dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
                 kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                 bias_constraint, kwargs)  # fmt: skip

    else:

        def __init__(
            self,
            filters,
            kernel_size,
            strides=strides_d,
            padding="valid",
            output_padding=None,
            data_format=None,
            dilation_rate=dilation_d,
            activation=None,
            use_bias=True,
            kernel_initializer="glorot_uniform",
            bias_initializer="zeros",
            kernel_regularizer=None,
            bias_regularizer=None,
            activity_regularizer=None,
            kernel_constraint=None,
            bias_constraint=None,
            **kwargs,
        ):
            init(self, filters, kernel_size, strides, padding, output_padding, data_format,
                 dilation_rate, activation, use_bias, kernel_initializer, bias_initializer,
                 kernel_regularizer, bias_regularizer, activity_regularizer, kernel_constraint,
                 bias_constraint, kwargs)  # fmt: skip

    return __init__


@register_builtin("keras.layers")
class Conv1DTranspose(_BaseConvTranspose):
    __doc__ = _TCONV_DOC.format(rank=1)
    rank = 1
    __init__ = _tconv_init(1, (1, 1), False)


@register_builtin("keras.layers")
class Conv2DTranspose(_BaseConvTranspose):
    __doc__ = _TCONV_DOC.format(rank=2)
    rank = 2
    __init__ = _tconv_init(2, ((1, 1), (1, 1)), False)


@register_builtin("keras.layers")
class Conv3DTranspose(_BaseConvTranspose):
    __doc__ = _TCONV_DOC.format(rank=3)
    rank = 3
    __init__ = _tconv_init(3, ((1, 1, 1), (1, 1, 1)), True)


# ---------------------------------------------------------------------- depthwise / separable


def _depthwise(layer, x, kernel):
    """Depthwise convolution of rank 1 or 2 (rank 1 runs as rank 2 on a unit axis)."""
    cf = layer._channels_first
    strides = list(layer.strides)
    dil = list(layer.dilation_rate)
    if layer.rank == 1:
        axis = 2 if cf else 1
        x = expand_dims(x, axis)
        kernel = expand_dims(kernel, 0)
        strides = [1] + strides
        dil = [1] + dil
    fmt = "NCHW" if cf else "NHWC"
    full = [1, 1] + strides if cf else [1] + strides + [1]
    out = depthwise_conv2d(
        x, kernel, strides=full, padding=layer._tf_padding, data_format=fmt, dilations=dil
    )
    if layer.rank == 1:
        out = squeeze(out, [2 if cf else 1])
    return out


class _DepthwiseBase(Layer):
    rank = 2
    _separable = False

    def _setup(self, kernel_size, strides, padding, data_format, dilation_rate,
               depth_multiplier, activation, use_bias, bias_initializer, bias_regularizer,
               bias_constraint):  # fmt: skip
        rank = self.rank
        self.depth_multiplier = depth_multiplier
        self.kernel_size = standardize_tuple(kernel_size, rank, "kernel_size")
        self.strides = standardize_tuple(strides, rank, "strides")
        self.dilation_rate = standardize_tuple(dilation_rate, rank, "dilation_rate")
        self.padding = standardize_padding(padding)
        self.data_format = backend.standardize_data_format(data_format)
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.bias_initializer = initializers.get(bias_initializer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=rank + 2)
        self._channels_first = self.data_format == "channels_first"
        self._act = None if self.activation is activations.linear else self.activation
        self._tf_padding = self.padding.upper()
        if not isinstance(depth_multiplier, int) or depth_multiplier <= 0:
            raise ValueError(
                "Invalid value for argument `depth_multiplier`. Expected a strictly positive "
                f"value. Received depth_multiplier={depth_multiplier}."
            )
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={self.strides} and dilation_rate={self.dilation_rate}"
            )

    def _channels(self, input_shape):
        axis = 1 if self._channels_first else -1
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(
                "The channel dimension of the inputs should be defined. Found `None`. Full input "
                f"shape received: input_shape={tuple(input_shape)}"
            )
        self.input_spec = InputSpec(min_ndim=self.rank + 2, axes={axis: channels})
        return channels

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        cf = self._channels_first
        spatial = input_shape[2:] if cf else input_shape[1:-1]
        out = [
            conv_output_length(d, self.kernel_size[i], self.strides[i], self.padding,
                               self.dilation_rate[i])
            for i, d in enumerate(spatial)
        ]  # fmt: skip
        channels = self._out_channels(input_shape[1 if cf else -1])
        if cf:
            return (input_shape[0], channels) + tuple(out)
        return (input_shape[0],) + tuple(out) + (channels,)


_DW_DOC = """A {rank}-D depthwise convolution: each input channel is convolved with its own
    `depth_multiplier` filters (output channels = input channels * depth_multiplier).

    Args:
      kernel_size: an int or {rank} ints.
      strides: an int or {rank} ints.
      padding: "valid" or "same".
      depth_multiplier: filters per input channel.
      data_format: "channels_last" (default) or "channels_first".
      dilation_rate: an int or {rank} ints.
      activation: an activation name or function.
      use_bias: whether to add a bias.
      depthwise_initializer / bias_initializer / depthwise_regularizer / bias_regularizer /
        activity_regularizer / depthwise_constraint / bias_constraint: for the weights/outputs.
      **kwargs: base `Layer` arguments.
    """


class _DepthwiseConv(_DepthwiseBase):
    def _init(self, kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate,
              activation, use_bias, depthwise_initializer, bias_initializer,
              depthwise_regularizer, bias_regularizer, activity_regularizer,
              depthwise_constraint, bias_constraint, kwargs):  # fmt: skip
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        self._setup(kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                    activation, use_bias, bias_initializer, bias_regularizer,
                    bias_constraint)  # fmt: skip
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)

    def _out_channels(self, channels):
        return None if channels is None else channels * self.depth_multiplier

    def build(self, input_shape):
        channels = self._channels(input_shape)
        self.kernel = self.add_weight(
            name="kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, trainable=True,
        )  # fmt: skip
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(channels * self.depth_multiplier,),
                initializer=self.bias_initializer, regularizer=self.bias_regularizer,
                constraint=self.bias_constraint, trainable=True,
            )  # fmt: skip
        else:
            self.bias = None
        self.built = True

    def call(self, inputs):
        x = _depthwise(self, inputs, self.kernel)
        if self.bias is not None:
            x = _add_bias(x, self.bias, self.rank, self._channels_first)
        if self._act is not None:
            x = self._act(x)
        return x

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "depth_multiplier": self.depth_multiplier,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": _ser(self.depthwise_initializer),
            "bias_initializer": _ser(self.bias_initializer),
            "depthwise_regularizer": _ser(self.depthwise_regularizer),
            "bias_regularizer": _ser(self.bias_regularizer),
            "activity_regularizer": _ser(self.activity_regularizer),
            "depthwise_constraint": _ser(self.depthwise_constraint),
            "bias_constraint": _ser(self.bias_constraint),
        }


def _dw_init(defaults):
    strides_d, dilation_d = defaults

    def __init__(
        self,
        kernel_size,
        strides=strides_d,
        padding="valid",
        depth_multiplier=1,
        data_format=None,
        dilation_rate=dilation_d,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        self._init(kernel_size, strides, padding, depth_multiplier, data_format, dilation_rate,
                   activation, use_bias, depthwise_initializer, bias_initializer,
                   depthwise_regularizer, bias_regularizer, activity_regularizer,
                   depthwise_constraint, bias_constraint, kwargs)  # fmt: skip

    return __init__


@register_builtin("keras.layers")
class DepthwiseConv1D(_DepthwiseConv):
    __doc__ = _DW_DOC.format(rank=1)
    rank = 1
    __init__ = _dw_init((1, 1))


@register_builtin("keras.layers")
class DepthwiseConv2D(_DepthwiseConv):
    __doc__ = _DW_DOC.format(rank=2)
    rank = 2
    __init__ = _dw_init(((1, 1), (1, 1)))


_SEP_DOC = """A {rank}-D separable convolution: a depthwise convolution followed by a 1x1
    (pointwise) convolution mixing the channels into `filters` outputs.

    Args:
      filters: the number of output channels.
      kernel_size: an int or {rank} ints.
      strides: an int or {rank} ints.
      padding: "valid" or "same".
      data_format: "channels_last" (default) or "channels_first".
      dilation_rate: an int or {rank} ints.
      depth_multiplier: depthwise filters per input channel.
      activation: an activation name or function.
      use_bias: whether to add a bias.
      depthwise_* / pointwise_* / bias_* initializers, regularizers and constraints, and
        activity_regularizer.
      **kwargs: base `Layer` arguments.
    """


class _SeparableConv(_DepthwiseBase):
    def _init(self, filters, kernel_size, strides, padding, data_format, dilation_rate,
              depth_multiplier, activation, use_bias, depthwise_initializer,
              pointwise_initializer, bias_initializer, depthwise_regularizer,
              pointwise_regularizer, bias_regularizer, activity_regularizer,
              depthwise_constraint, pointwise_constraint, bias_constraint, kwargs):  # fmt: skip
        Layer.__init__(self, activity_regularizer=activity_regularizer, **kwargs)
        self._setup(kernel_size, strides, padding, data_format, dilation_rate, depth_multiplier,
                    activation, use_bias, bias_initializer, bias_regularizer,
                    bias_constraint)  # fmt: skip
        if not isinstance(filters, int) or filters <= 0:
            raise ValueError(
                "Invalid value for argument `filters`. Expected a strictly positive value. "
                f"Received filters={filters}."
            )
        self.filters = filters
        self.depthwise_initializer = initializers.get(depthwise_initializer)
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self.depthwise_regularizer = regularizers.get(depthwise_regularizer)
        self.pointwise_regularizer = regularizers.get(pointwise_regularizer)
        self.depthwise_constraint = constraints.get(depthwise_constraint)
        self.pointwise_constraint = constraints.get(pointwise_constraint)

    def _out_channels(self, channels):
        return self.filters

    def build(self, input_shape):
        channels = self._channels(input_shape)
        self.depthwise_kernel = self.add_weight(
            name="depthwise_kernel", shape=self.kernel_size + (channels, self.depth_multiplier),
            initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
            constraint=self.depthwise_constraint, trainable=True,
        )  # fmt: skip
        self.pointwise_kernel = self.add_weight(
            name="pointwise_kernel",
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, trainable=True,
        )  # fmt: skip
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias", shape=(self.filters,), initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                trainable=True,
            )  # fmt: skip
        else:
            self.bias = None
        self.built = True

    def call(self, inputs):
        x = _depthwise(self, inputs, self.depthwise_kernel)
        x = convolution(
            x, self.pointwise_kernel, strides=1, padding="VALID",
            data_format=_tf_format(self.rank, self._channels_first),
        )  # fmt: skip
        if self.bias is not None:
            x = _add_bias(x, self.bias, self.rank, self._channels_first)
        if self._act is not None:
            x = self._act(x)
        return x

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": _ser(self.dtype_policy),
            "depth_multiplier": self.depth_multiplier,
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "depthwise_initializer": _ser(self.depthwise_initializer),
            "pointwise_initializer": _ser(self.pointwise_initializer),
            "bias_initializer": _ser(self.bias_initializer),
            "depthwise_regularizer": _ser(self.depthwise_regularizer),
            "pointwise_regularizer": _ser(self.pointwise_regularizer),
            "bias_regularizer": _ser(self.bias_regularizer),
            "activity_regularizer": _ser(self.activity_regularizer),
            "depthwise_constraint": _ser(self.depthwise_constraint),
            "pointwise_constraint": _ser(self.pointwise_constraint),
            "bias_constraint": _ser(self.bias_constraint),
        }


def _sep_init(defaults):
    strides_d, dilation_d = defaults

    def __init__(
        self,
        filters,
        kernel_size,
        strides=strides_d,
        padding="valid",
        data_format=None,
        dilation_rate=dilation_d,
        depth_multiplier=1,
        activation=None,
        use_bias=True,
        depthwise_initializer="glorot_uniform",
        pointwise_initializer="glorot_uniform",
        bias_initializer="zeros",
        depthwise_regularizer=None,
        pointwise_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        depthwise_constraint=None,
        pointwise_constraint=None,
        bias_constraint=None,
        **kwargs,
    ):
        self._init(filters, kernel_size, strides, padding, data_format, dilation_rate,
                   depth_multiplier, activation, use_bias, depthwise_initializer,
                   pointwise_initializer, bias_initializer, depthwise_regularizer,
                   pointwise_regularizer, bias_regularizer, activity_regularizer,
                   depthwise_constraint, pointwise_constraint, bias_constraint,
                   kwargs)  # fmt: skip

    return __init__


@register_builtin("keras.layers")
class SeparableConv1D(_SeparableConv):
    __doc__ = _SEP_DOC.format(rank=1)
    rank = 1
    __init__ = _sep_init((1, 1))


@register_builtin("keras.layers")
class SeparableConv2D(_SeparableConv):
    __doc__ = _SEP_DOC.format(rank=2)
    rank = 2
    __init__ = _sep_init(((1, 1), (1, 1)))


# Keras's alternative public names (same classes).
Convolution1D = Conv1D
Convolution2D = Conv2D
Convolution3D = Conv3D
Convolution1DTranspose = Conv1DTranspose
Convolution2DTranspose = Conv2DTranspose
Convolution3DTranspose = Conv3DTranspose
SeparableConvolution1D = SeparableConv1D
SeparableConvolution2D = SeparableConv2D
