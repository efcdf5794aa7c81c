"""`keras.layers.GRUCell` and `keras.layers.GRU` (gates in Keras's order: z, r, h)."""

from __future__ import annotations

from tensorflux._src.keras import activations, constraints, initializers, regularizers
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.rnn._cell_util import base_config, check_units, fast, ser, value
from tensorflux._src.keras.layers.rnn.rnn import DropoutRNNCell, _DelegatingRNN, project
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.ops import manip_ops
from tensorflux._src.ops.linalg_ops import matmul


@register_builtin("keras.layers")
class GRUCell(DropoutRNNCell, Layer):
    """The cell of a gated recurrent unit layer.

    With `reset_after=True` (the default, cuDNN's form) the reset gate multiplies the recurrent
    projection and the bias has shape (2, 3 * units): input bias, recurrent bias.

    Args:
      units: the output (and state) size.
      activation / recurrent_activation: of the candidate (tanh) / of the gates (sigmoid).
      use_bias: whether to add biases.
      kernel_initializer / recurrent_initializer / bias_initializer: initializers.
      kernel_regularizer / recurrent_regularizer / bias_regularizer: regularizers.
      kernel_constraint / recurrent_constraint / bias_constraint: constraints.
      dropout / recurrent_dropout: fractions of input / state units dropped (training only).
      reset_after: apply the reset gate after the recurrent matmul.
      seed: the seed of the dropout masks.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if `units` is not a positive integer.
    """

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, recurrent_constraint=None,
                 bias_constraint=None, dropout=0.0, recurrent_dropout=0.0, reset_after=True,
                 seed=None, **kwargs):  # fmt: skip
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
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.reset_after = reset_after
        self._init_dropout(dropout, recurrent_dropout, seed)
        self.state_size = units
        self.output_size = units

    def build(self, input_shape):
        u = self.units
        self.kernel = self.add_weight(
            shape=(input_shape[-1], 3 * u), name="kernel", initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
        )  # fmt: skip
        self.recurrent_kernel = self.add_weight(
            shape=(u, 3 * u), name="recurrent_kernel", initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint,
        )  # fmt: skip
        if self.use_bias:
            shape = (2, 3 * u) if self.reset_after else (3 * u,)
            self.bias = self.add_weight(
                shape=shape, name="bias", initializer=self.bias_initializer,
                regularizer=self.bias_regularizer, constraint=self.bias_constraint,
            )  # fmt: skip
        else:
            self.bias = None
        self.built = True

    def _biases(self):
        if self.bias is None:
            return None, None
        b = value(self.bias)
        if self.reset_after:
            return b[0], b[1]
        return b, None

    def _project(self, inputs, training):
        b_in, _ = self._biases()
        return project(self._drop_inputs(inputs, training), self.kernel, b_in)

    def _make_step(self, training):
        u = self.units
        rk = value(self.recurrent_kernel)
        _, b_rec = self._biases()
        act = fast(self.activation)
        rec = fast(self.recurrent_activation)
        reset_after = self.reset_after
        if not reset_after:
            rk_zr, rk_h = rk[:, : 2 * u], rk[:, 2 * u :]

        def step(xp, states):
            nested = isinstance(states, (list, tuple))
            h_prev = states[0] if nested else states
            h_in = self._drop_state(h_prev, training)
            x_z, x_r, x_h = manip_ops.split(xp, 3, axis=-1)
            if reset_after:
                inner = matmul(h_in, rk)
                if b_rec is not None:
                    inner = inner + b_rec
                r_z, r_r, r_h = manip_ops.split(inner, 3, axis=-1)
                z = rec(x_z + r_z)
                r = rec(x_r + r_r)
                hh = act(x_h + r * r_h)
            else:
                r_z, r_r = manip_ops.split(matmul(h_in, rk_zr), 2, axis=-1)
                z = rec(x_z + r_z)
                r = rec(x_r + r_r)
                hh = act(x_h + matmul(r * h_in, rk_h))
            h = z * h_prev + (1.0 - z) * hh
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
            "recurrent_activation": activations.serialize(self.recurrent_activation),
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
            "reset_after": self.reset_after,
            "seed": self.seed,
        }


@register_builtin("keras.layers")
class GRU(_DelegatingRNN):
    """Gated recurrent unit: `RNN(GRUCell(...))` with the cell's arguments.

    Args:
      units, activation, recurrent_activation, use_bias, *_initializer, *_regularizer,
        *_constraint, dropout, recurrent_dropout, reset_after, seed: as in `GRUCell`.
      activity_regularizer: a regularizer of the outputs.
      return_sequences, return_state, go_backwards, stateful, unroll: as in `RNN`.
      use_cudnn: accepted ("auto", True or False); the same computation runs either way.
      **kwargs: base `Layer` arguments (and `zero_output_for_mask`).
    """

    _CELL_KEYS = (
        "units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
        "recurrent_initializer", "bias_initializer", "kernel_regularizer",
        "recurrent_regularizer", "bias_regularizer", "activity_regularizer", "kernel_constraint",
        "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout", "reset_after",
        "seed",
    )  # fmt: skip

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None, recurrent_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, return_sequences=False, return_state=False,
                 go_backwards=False, stateful=False, unroll=False, reset_after=True,
                 use_cudnn="auto", **kwargs):  # fmt: skip
        cell = GRUCell(
            units, activation=activation, recurrent_activation=recurrent_activation,
            use_bias=use_bias, kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
            kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
            bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
            recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
            dropout=dropout, recurrent_dropout=recurrent_dropout, reset_after=reset_after,
            seed=seed, dtype=kwargs.get("dtype"), trainable=kwargs.get("trainable", True),
            name="gru_cell", implementation=kwargs.pop("implementation", 2),
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
