"""`keras.layers.ConvLSTM1D/2D/3D`: an LSTM whose input and recurrent transforms are convolutions.

The input convolution runs once over every timestep (time folded into the batch); each step
then does only the recurrent "same" convolution of the previous output.
"""

from __future__ import annotations

from tensorflux._src.keras import activations, backend, constraints, initializers, regularizers
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.rnn._cell_util import base_config, fast, ser, value
from tensorflux._src.keras.layers.rnn.lstm import _ForgetBiasInitializer
from tensorflux._src.keras.layers.rnn.rnn import RNN, DropoutRNNCell, zeros_state
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.ops import array_ops, manip_ops
from tensorflux._src.ops.conv_api import convolution


def _tuple(value, rank, name):
    if isinstance(value, int):
        return (value,) * rank
    value = tuple(value)
    if len(value) != rank or not all(isinstance(v, int) for v in value):
        raise ValueError(
            f"The `{name}` argument must be a tuple of {rank} integers. Received {name}={value}"
        )
    return value


def _out_len(n, k, s, d, padding):
    if n is None:
        return None
    if padding == "same":
        return -(-n // s)
    return (n - d * (k - 1) - 1) // s + 1


class ConvLSTMCell(DropoutRNNCell, Layer):
    """The cell of a ConvLSTM layer: LSTM gates computed with convolutions (states `[h, c]`)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):  # fmt: skip
        super().__init__(**kwargs)
        self.rank = rank
        self.filters = filters
        self.kernel_size = _tuple(kernel_size, rank, "kernel_size")
        self.strides = _tuple(strides, rank, "strides")
        self.padding = str(padding).lower()
        if self.padding not in ("valid", "same"):
            raise ValueError(
                "The `padding` argument must be one of 'valid', 'same'. Received: "
                f"padding={padding}"
            )
        self.data_format = backend.standardize_data_format(data_format)
        self.dilation_rate = _tuple(dilation_rate, rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = unit_forget_bias
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_dropout(dropout, recurrent_dropout, seed)
        self.state_size = -1
        self.output_size = -1

    @property
    def _cf(self) -> bool:
        return self.data_format == "channels_first"

    def build(self, inputs_shape):
        inputs_shape = tuple(inputs_shape)
        channel_axis = 1 if self._cf else -1
        input_dim = inputs_shape[channel_axis]
        if input_dim is None:
            raise ValueError(
                "The channel dimension of the inputs (last axis) should be defined. Found None. "
                f"Full input shape received: input_shape={inputs_shape}"
            )
        f = self.filters
        self.kernel = self.add_weight(
            shape=self.kernel_size + (input_dim, 4 * f), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )  # fmt: skip
        self.recurrent_kernel = self.add_weight(
            shape=self.kernel_size + (f, 4 * f), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )  # fmt: skip
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                init = _ForgetBiasInitializer(self.bias_initializer, f)
            self.bias = self.add_weight(
                shape=(4 * f,), name="bias", initializer=init,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )  # fmt: skip
        else:
            self.bias = None
        self.built = True

    def _fmt(self):
        return ("NC" + "DHW"[3 - self.rank:]) if self._cf else None

    def _add_bias(self, y):
        if self.bias is None:
            return y
        b = value(self.bias)
        if self._cf:
            b = array_ops.reshape(b, [-1] + [1] * self.rank)
        return y + b

    def output_spatial(self, spatial):
        return tuple(_out_len(n, k, s, d, self.padding) for n, k, s, d in zip(
            spatial, self.kernel_size, self.strides, self.dilation_rate))  # fmt: skip

    def _mask_for(self, rate, like):
        from tensorflux._src.keras import random as _random

        ones = array_ops.ones_like(like)
        return _random.dropout(ones, rate, seed=self.seed_generator)

    def _project(self, inputs, training):
        """The input convolution (with bias) of one step or of a whole (B, T, ...) sequence."""
        step_rank = self.rank + 2
        x = inputs
        if x.shape.rank == step_rank + 1:
            if training and 0.0 < self.dropout < 1.0:
                step0 = x[:, 0]
                x = x * array_ops.expand_dims(self.get_dropout_mask(step0), 1)
            dims = x.shape.as_list()
            batch_time = array_ops.shape(x)[:2]
            flat = array_ops.reshape(x, [-1] + dims[2:])
            y = self._conv_in(flat)
            out_dims = y.shape.as_list()[1:]
            if dims[0] is not None and dims[1] is not None:
                return array_ops.reshape(y, dims[:2] + out_dims)
            return array_ops.reshape(y, manip_ops.concat([batch_time, out_dims], 0))
        return self._conv_in(self._drop_inputs(x, training))

    def _drop_inputs(self, x, training):
        if not (training and 0.0 < self.dropout < 1.0):
            return x
        return x * self.get_dropout_mask(x)

    def _conv_in(self, x):
        y = convolution(x, value(self.kernel), strides=list(self.strides),
                        padding=self.padding.upper(), data_format=self._fmt(),
                        dilations=list(self.dilation_rate))  # fmt: skip
        return self._add_bias(y)

    def _make_step(self, training):
        rk = value(self.recurrent_kernel)
        act = fast(self.activation)
        rec = fast(self.recurrent_activation)
        axis = 1 if self._cf else -1
        fmt = self._fmt()

        def step(xp, states):
            h_prev, c_prev = states[0], states[1]
            h_in = self._drop_state(h_prev, training)
            z = xp + convolution(h_in, rk, strides=1, padding="SAME", data_format=fmt)
            zi, zf, zc, zo = manip_ops.split(z, 4, axis=axis)
            c = rec(zf) * c_prev + rec(zi) * act(zc)
            h = rec(zo) * act(c)
            return h, [h, c]

        return step

    def _step(self, xp, states, training):
        return self._make_step(training)(xp, states)

    def _rnn_prepare(self, sequences, training):
        return self._project(sequences, training), self._make_step(training)

    def get_config(self):
        return {
            **base_config(self),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": ser(self.kernel_initializer),
            "recurrent_initializer": ser(self.recurrent_initializer),
            "bias_initializer": ser(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": ser(self.kernel_regularizer),
            "recurrent_regularizer": ser(self.recurrent_regularizer),
            "bias_regularizer": ser(self.bias_regularizer),
            "kernel_constraint": ser(self.kernel_constraint),
            "recurrent_constraint": ser(self.recurrent_constraint),
            "bias_constraint": ser(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


_CELL_KEYS = (
    "filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate", "activation",
    "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
    "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
    "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint",
    "bias_constraint", "dropout", "recurrent_dropout", "seed",
)  # fmt: skip


class ConvLSTM(RNN):
    """The shared body of ConvLSTM1D/2D/3D (`rank` spatial dimensions)."""

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):  # fmt: skip
        cell = ConvLSTMCell(
            rank=rank, filters=filters, kernel_size=kernel_size, strides=strides,
            padding=padding, data_format=data_format, dilation_rate=dilation_rate,
            activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
            name="conv_lstm_cell", dtype=kwargs.get("dtype"),
        )  # fmt: skip
        super().__init__(
            cell, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful,
            activity_regularizer=activity_regularizer, **kwargs,
        )  # fmt: skip
        self._spatial = None

    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        rank = self.cell.rank
        if len(sequences_shape) != rank + 3:
            raise ValueError(
                f"Input should have rank {rank + 3}, with shape (batch, time, ...). Received: "
                f"sequences_shape={sequences_shape}"
            )
        step = (sequences_shape[0],) + sequences_shape[2:]
        spatial = step[2:] if self.cell._cf else step[1:-1]
        self._spatial = self.cell.output_spatial(spatial)
        super().build(sequences_shape, initial_state_shape)

    def _state_shape(self):
        f = self.cell.filters
        return (f,) + self._spatial if self.cell._cf else self._spatial + (f,)

    def _initial_states(self, batch_size):
        shape = list(self._state_shape())
        return [zeros_state(batch_size, shape, self.compute_dtype) for _ in range(2)]

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        step = (sequences_shape[0],) + sequences_shape[2:]
        spatial = step[2:] if self.cell._cf else step[1:-1]
        out = self.cell.output_spatial(spatial)
        f = self.cell.filters
        per_step = (f,) + out if self.cell._cf else out + (f,)
        batch = sequences_shape[0]
        y = (batch, sequences_shape[1]) + per_step if self.return_sequences else (batch,) + per_step
        if self.return_state:
            return (y, (batch,) + per_step, (batch,) + per_step)
        return y

    def get_config(self):
        config = self._rnn_config()
        cell = self.cell.get_config()
        for key in _CELL_KEYS:
            if key == "activity_regularizer":
                config[key] = ser(self.activity_regularizer)
            else:
                config[key] = cell[key]
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**dict(config))


for _name in ("filters", "kernel_size", "strides", "padding", "data_format", "dilation_rate",
              "activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "unit_forget_bias",
              "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
              "recurrent_dropout", "seed"):  # fmt: skip
    setattr(ConvLSTM, _name, property(lambda self, n=_name: getattr(self.cell, n)))


def _make(rank, doc):
    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 unit_forget_bias=True, kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, **kwargs):  # fmt: skip
        ConvLSTM.__init__(
            self, rank, filters, kernel_size, strides=strides, padding=padding,
            data_format=data_format, dilation_rate=dilation_rate, activation=activation,
            recurrent_activation=recurrent_activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout,
            recurrent_dropout=recurrent_dropout, seed=seed, return_sequences=return_sequences,
            return_state=return_state, go_backwards=go_backwards, stateful=stateful, **kwargs,
        )  # fmt: skip

    cls = type(f"ConvLSTM{rank}D", (ConvLSTM,), {"__init__": __init__, "__doc__": doc})
    cls.__module__ = __name__
    return register_builtin("keras.layers")(cls)


_DOC = """{rank}D convolutional LSTM over inputs of shape (batch, time, {dims}, channels).

    Args:
      filters: the number of output channels.
      kernel_size / strides / dilation_rate: an int or a tuple of {rank} ints.
      padding: "valid" or "same" (of the input convolution; the recurrent one is "same").
      data_format: "channels_last" (default) or "channels_first".
      activation, recurrent_activation, use_bias, *_initializer, unit_forget_bias,
        *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as in `LSTM`.
      return_sequences, return_state, go_backwards, stateful: as in `RNN`.
      **kwargs: base `Layer` arguments.
    """

ConvLSTM1D = _make(1, _DOC.format(rank=1, dims="steps"))
ConvLSTM2D = _make(2, _DOC.format(rank=2, dims="rows, cols"))
ConvLSTM3D = _make(3, _DOC.format(rank=3, dims="depth, rows, cols"))
