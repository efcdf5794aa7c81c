"""`keras.layers.SimpleRNNCell` and `keras.layers.SimpleRNN`: `h = activation(x W + h U + b)`."""

from __future__ import annotations

from tensorflux._src.keras import activations, constraints, initializers, regularizers
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.rnn._cell_util import base_config, check_units, fast, ser, value
from tensorflux._src.keras.layers.rnn.rnn import DropoutRNNCell, _DelegatingRNN, project
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.ops.linalg_ops import matmul


@register_builtin("keras.layers")
class SimpleRNNCell(DropoutRNNCell, Layer):
    """The cell of a fully connected RNN whose output is fed back as its state.

    Args:
      units: the output (and state) size.
      activation: the activation (default tanh; None for linear).
      use_bias: whether to add a bias.
      kernel_initializer / recurrent_initializer / bias_initializer: initializers of the input
        kernel, the recurrent kernel (default orthogonal) and the bias.
      kernel_regularizer / recurrent_regularizer / bias_regularizer: their regularizers.
      kernel_constraint / recurrent_constraint / bias_constraint: their constraints.
      dropout: the fraction of input units dropped (training only).
      recurrent_dropout: the fraction of state units dropped (training only).
      seed: the seed of the dropout masks.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if `units` is not a positive integer.
    """

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, seed=None,
                 **kwargs):  # fmt: skip
        check_units(units)
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._init_dropout(dropout, recurrent_dropout, seed)
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(
            shape=(input_shape[-1], self.units), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )  # fmt: skip
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, self.units), name="recurrent_kernel",
            initializer=self.recurrent_initializer, regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )  # fmt: skip
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), name="bias", initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )  # fmt: skip
        else:
            self.bias = None
        self.built = True

    def _project(self, inputs, training):
        x = self._drop_inputs(inputs, training)
        return project(x, self.kernel, self.bias)

    def _make_step(self, training):
        u = value(self.recurrent_kernel)
        act = fast(self.activation)

        def step(xp, states):
            nested = isinstance(states, (list, tuple))
            prev = states[0] if nested else states
            h = xp + matmul(self._drop_state(prev, training), u)
            if act is not activations.linear:
                h = act(h)
            return h, ([h] if nested else h)

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
            "use_bias": self.use_bias,
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
class SimpleRNN(_DelegatingRNN):
    """A fully connected RNN: `RNN(SimpleRNNCell(...))` with the cell's arguments.

    Args:
      units, activation, use_bias, *_initializer, *_regularizer, *_constraint, dropout,
        recurrent_dropout, seed: as in `SimpleRNNCell`.
      activity_regularizer: a regularizer of the outputs.
      return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
      **kwargs: base `Layer` arguments (and `zero_output_for_mask`).
    """

    _CELL_KEYS = (
        "units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
        "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
        "activity_regularizer", "kernel_constraint", "recurrent_constraint", "bias_constraint",
        "dropout", "recurrent_dropout",
    )  # fmt: skip

    def __init__(self, units, activation="tanh", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, seed=None,
                 **kwargs):  # fmt: skip
        cell = SimpleRNNCell(
            units, activation=activation, use_bias=use_bias,
            kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
            recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
            kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
            bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
            seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="simple_rnn_cell",
        )  # fmt: skip
        super().__init__(
            cell, return_sequences=return_sequences, return_state=return_state,
            go_backwards=go_backwards, stateful=stateful, unroll=unroll,
            activity_regularizer=activity_regularizer, **kwargs,
        )  # fmt: skip
