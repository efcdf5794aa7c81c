"""`keras.layers.LSTMCell` and `keras.layers.LSTM` (gates in Keras's order: i, f, c, o)."""

from __future__ import annotations

from tensorflux._src.keras import activations, constraints, initializers, regularizers
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.rnn._cell_util import base_config, check_units, fast, ser, value
from tensorflux._src.keras.layers.rnn.rnn import DropoutRNNCell, _DelegatingRNN, project
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.ops import manip_ops
from tensorflux._src.ops.linalg_ops import matmul


class _ForgetBiasInitializer:
    """The LSTM bias with `unit_forget_bias`: the forget gate's quarter starts at one."""

    def __init__(self, base, units):
        self.base = base
        self.units = units

    def __call__(self, shape, dtype=None, **kwargs):
        u = self.units
        ones = initializers.get("ones")
        return manip_ops.concat(
            [
                self.base((u,), dtype=dtype),
                ones((u,), dtype=dtype),
                self.base((2 * u,), dtype=dtype),
            ],
            0,
        )


@register_builtin("keras.layers")
class LSTMCell(DropoutRNNCell, Layer):
    """The cell of a long short-term memory layer; its states are `[h, c]`.

    Args:
      units: the output size (and the size of each state).
      activation: the activation of the candidate and of the output (default tanh).
      recurrent_activation: the gates' activation (default sigmoid).
      use_bias: whether to add a bias.
      kernel_initializer / recurrent_initializer / bias_initializer: initializers.
      unit_forget_bias: start the forget gate's bias at one (and use `bias_initializer` for
        the rest).
      kernel_regularizer / recurrent_regularizer / bias_regularizer: regularizers.
      kernel_constraint / recurrent_constraint / bias_constraint: constraints.
      dropout / recurrent_dropout: fractions of input / state units dropped (training only).
      seed: the seed of the dropout masks.
      **kwargs: base `Layer` arguments; `implementation` (1 or 2) is accepted, both compute
        the same function.

    Raises:
      ValueError: if `units` is not a positive integer.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):  # fmt: skip
        check_units(units)
        implementation = kwargs.pop("implementation", 2)
        super().__init__(**kwargs)
        self.implementation = implementation
        self.units = units
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
        self.state_size = [units, units]
        self.output_size = units

    def build(self, input_shape):
        u = self.units
        self.kernel = self.add_weight(
            shape=(input_shape[-1], 4 * u), name="kernel", initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
        )  # fmt: skip
        self.recurrent_kernel = self.add_weight(
            shape=(u, 4 * u), name="recurrent_kernel", initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint,
        )  # fmt: skip
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                init = _ForgetBiasInitializer(self.bias_initializer, u)
            self.bias = self.add_weight(
                shape=(4 * u,), name="bias", initializer=init,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )  # fmt: skip
        else:
            self.bias = None
        self.built = True

    def _project(self, inputs, training):
        return project(self._drop_inputs(inputs, training), self.kernel, self.bias)

    def _make_step(self, training):
        rk = value(self.recurrent_kernel)
        act = fast(self.activation)
        rec = fast(self.recurrent_activation)

        def step(xp, states):
            h_prev, c_prev = states[0], states[1]
            z = xp + matmul(self._drop_state(h_prev, training), rk)
            zi, zf, zc, zo = manip_ops.split(z, 4, axis=-1)
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
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_initializer": ser(self.kernel_initializer),
            "recurrent_initializer": ser(self.recurrent_initializer),
            "bias_initializer": ser(self.bias_initializer),
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


@register_builtin("keras.layers")
class LSTM(_DelegatingRNN):
    """Long short-term memory: `RNN(LSTMCell(...))` with the cell's arguments.

    Args:
      units, activation, recurrent_activation, use_bias, *_initializer, unit_forget_bias,
        *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as in `LSTMCell`.
      activity_regularizer: a regularizer of the outputs.
      return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
      use_cudnn: accepted ("auto", True or False); the same computation runs either way.
      **kwargs: base `Layer` arguments (and `zero_output_for_mask`, `implementation`).
    """

    _CELL_KEYS = (
        "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "unit_forget_bias", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "seed",
    )  # fmt: skip

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", unit_forget_bias=True, kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, return_sequences=False,
                 return_state=False, go_backwards=False, stateful=False, unroll=False,
                 use_cudnn="auto", **kwargs):  # fmt: skip
        cell = LSTMCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            unit_forget_bias=unit_forget_bias, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="lstm_cell", implementation=kwargs.pop("implementation", 2),
        )  # fmt: skip
        super().__init__(
            cell, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, unroll=unroll,
            activity_regularizer=activity_regularizer, **kwargs,
        )  # fmt: skip
        if use_cudnn not in ("auto", True, False):
            raise ValueError(
                "Invalid valid received for argument `use_cudnn`. Expected one of {'auto', "
                f"True, False}}. Received: use_cudnn={use_cudnn}"
            )
        self.use_cudnn = use_cudnn
