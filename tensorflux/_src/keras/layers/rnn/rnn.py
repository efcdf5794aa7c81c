"""`keras.layers.RNN`: runs a cell over the time axis, plus the pieces the built-in cells share.

The time loop is a Python loop whenever the number of timesteps is static (always eagerly, and
in tf.function for inputs of known length), else a `tf.while_loop` over TensorArrays. Built-in
cells split their step in two: an input projection done once for every timestep with one matmul
(`_project`), and a recurrent step (`_step`) that only does the recurrent matmul.
"""

from __future__ import annotations

from tensorflux._src.core import context as _context
from tensorflux._src.core import nest
from tensorflux._src.keras import backend
from tensorflux._src.keras import random as _random
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import array_ops, gather_ops, manip_ops, math_ops
from tensorflux._src.ops.linalg_ops import matmul


def build_sublayer(layer, input_shape) -> None:
    """Builds `layer` inside its own name scope (so its weights read "outer/layer/kernel")."""
    if layer.built:
        return
    with backend.name_scope(layer.name):
        layer.build(input_shape)
    layer._build_input_shape = input_shape
    layer.built = True


def project(x, kernel, bias=None):
    """`x @ kernel (+ bias)` along the last axis of `x`, for rank 2 or more."""
    rank = x.shape.rank
    if rank == 2:
        y = matmul(x, kernel)
    else:
        dims = x.shape.as_list()[:-1] + [kernel.shape[-1]]
        flat = array_ops.reshape(x, [-1, x.shape[-1]])
        y = matmul(flat, kernel)
        if sum(d is None for d in dims) <= 1:
            y = array_ops.reshape(y, [-1 if d is None else d for d in dims])
        else:
            shape = array_ops.shape(x)
            out_shape = manip_ops.concat([shape[:-1], array_ops.shape(kernel)[-1:]], 0)
            y = array_ops.reshape(y, out_shape)
    if bias is not None:
        y = y + bias
    return y


class DropoutRNNCell:
    """Mixin of the built-in cells: one dropout mask per sequence for inputs and for states."""

    def _init_dropout(self, dropout, recurrent_dropout, seed):
        self.dropout = min(1.0, max(0.0, float(dropout)))
        self.recurrent_dropout = min(1.0, max(0.0, float(recurrent_dropout)))
        self.seed = seed
        self.seed_generator = _random.SeedGenerator(seed=seed)
        self._dropout_mask = None
        self._recurrent_dropout_mask = None

    def _mask_for(self, rate, like):
        shape = array_ops.shape(like)
        ones = array_ops.ones(manip_ops.concat([shape[:1], shape[-1:]], 0), dtype=like.dtype)
        return _random.dropout(ones, rate, seed=self.seed_generator)

    def get_dropout_mask(self, step_input):
        if self._dropout_mask is None and self.dropout > 0:
            self._dropout_mask = self._mask_for(self.dropout, step_input)
        return self._dropout_mask

    def get_recurrent_dropout_mask(self, step_input):
        if self._recurrent_dropout_mask is None and self.recurrent_dropout > 0:
            self._recurrent_dropout_mask = self._mask_for(self.recurrent_dropout, step_input)
        return self._recurrent_dropout_mask

    def reset_dropout_mask(self):
        self._dropout_mask = None

    def reset_recurrent_dropout_mask(self):
        self._recurrent_dropout_mask = None

    def _drop_inputs(self, x, training):
        """`x` (one step or a whole sequence) times the input dropout mask when training."""
        if not (training and 0.0 < self.dropout < 1.0):
            return x
        mask = self.get_dropout_mask(x)
        if x.shape.rank == 3:
            mask = array_ops.expand_dims(mask, 1)
        return x * mask

    def _drop_state(self, h, training):
        if not (training and 0.0 < self.recurrent_dropout < 1.0):
            return h
        return h * self.get_recurrent_dropout_mask(h)

    def call(self, inputs, states, training=False):
        return self._step(self._project(inputs, training), states, training)

    def get_initial_state(self, batch_size=None):
        dtype = self.compute_dtype
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        return [zeros_state(batch_size, d, dtype) for d in sizes]


def zeros_state(batch_size, size, dtype):
    """A zero state of shape (batch_size, *size); `batch_size` may be a scalar tensor."""
    dims = list(size) if isinstance(size, (list, tuple)) else [size]
    if isinstance(batch_size, int):
        return array_ops.zeros([batch_size] + dims, dtype=dtype)
    shape = array_ops.stack([math_ops.cast(batch_size, "int32")] + dims)
    return array_ops.zeros(shape, dtype=dtype)


class _Hidden:
    """A holder the layer tracker does not look into (stateful RNN state variables)."""

    def __init__(self, value):
        self.value = value


def _expand_mask(m, like):
    # (batch,) bool -> (batch, 1, ...) to select whole rows of `like`
    rank = like.shape.rank
    if rank is None or rank <= 1:
        return m
    return array_ops.reshape(m, [-1] + [1] * (rank - 1))


def run_loop(
    step,
    inputs,
    states,
    mask=None,
    go_backwards=False,
    unroll=False,
    zero_output_for_mask=False,
    return_all_outputs=True,
):
    """Runs `step(x_t, states) -> (output_t, new_states)` over axis 1 of `inputs`.

    Args:
      step: the step function; `states` is a nest of tensors, returned with the same structure.
      inputs: a (batch, time, ...) tensor.
      states: the initial states (a nest).
      mask: an optional (batch, time) bool tensor; masked steps keep the previous states and
        output (or a zero output with `zero_output_for_mask`).
      go_backwards: process the sequence from its end (outputs come in processing order).
      unroll: require a static time dimension (the loop is then a Python loop).
      zero_output_for_mask: see `mask`.
      return_all_outputs: whether to collect the outputs of every step.

    Returns:
      `(last_output, outputs or None, final_states)`, outputs stacked on axis 1.
    """
    timesteps = inputs.shape[1]
    if timesteps is None and _context.executing_eagerly():
        timesteps = int(array_ops.shape(inputs).numpy()[1])
    if timesteps is None:
        if unroll:
            raise ValueError(
                "Cannot unroll a RNN if the time dimension is undefined. If using a Sequential "
                "model, specify the time dimension by passing an `Input()` as your first layer. "
                "If using the functional API, specify the time dimension by passing a `shape` "
                "or `batch_shape` argument to your `Input()`."
            )
        return _while_loop(step, inputs, states, mask, go_backwards, zero_output_for_mask,
                           return_all_outputs)  # fmt: skip
    xs = array_ops.unstack(inputs, num=timesteps, axis=1)
    ms = array_ops.unstack(mask, num=timesteps, axis=1) if mask is not None else None
    if go_backwards:
        # new lists: the ones unstack returns are also the op's recorded outputs
        xs = xs[::-1]
        if ms is not None:
            ms = ms[::-1]
    outputs = []
    prev = None
    for t in range(timesteps):
        out, new_states = step(xs[t], states)
        if ms is not None:
            m = ms[t]
            flat_new = nest.flatten(new_states)
            flat_old = nest.flatten(states)
            flat = [array_ops.where(_expand_mask(m, n), n, o) for n, o in zip(flat_new, flat_old)]
            new_states = nest.pack_sequence_as(new_states, flat)
            if prev is None or zero_output_for_mask:
                prev = array_ops.zeros_like(out)
            out = array_ops.where(_expand_mask(m, out), out, prev)
            prev = out
        states = new_states
        if return_all_outputs or t == timesteps - 1:
            outputs.append(out)
    all_out = array_ops.stack(outputs, axis=1) if return_all_outputs else None
    return outputs[-1], all_out, states


def _while_loop(step, inputs, states, mask, go_backwards, zero_output_for_mask, return_all_outputs):
    from tensorflux._src.control_flow.tensor_array import TensorArray
    from tensorflux._src.control_flow.while_loop import while_loop

    rank = inputs.shape.rank
    perm = [1, 0] + list(range(2, rank))
    xs = array_ops.transpose(inputs, perm)
    if go_backwards:
        xs = manip_ops.reverse(xs, [0])
    n = array_ops.shape(xs)[0]
    # steps read the captured time-major tensors with gather (gradients flow to captures)
    mt = None
    if mask is not None:
        mt = array_ops.transpose(mask, [1, 0])
        if go_backwards:
            mt = manip_ops.reverse(mt, [0])
    # one step outside the loop gives the output's shape and dtype
    out0, _ = step(gather_ops.gather(xs, 0), states)
    prev0 = array_ops.zeros_like(out0)
    out_ta = TensorArray(out0.dtype, size=n, element_shape=out0.shape)
    flat_states = nest.flatten(states)

    def cond(t, prev, ta, *flat):
        return t < n

    def body(t, prev, ta, *flat):
        cur = nest.pack_sequence_as(states, list(flat))
        out, new = step(gather_ops.gather(xs, t), cur)
        flat_new = nest.flatten(new)
        if mt is not None:
            m = gather_ops.gather(mt, t)
            flat_new = [array_ops.where(_expand_mask(m, a), a, b) for a, b in zip(flat_new, flat)]
            base = array_ops.zeros_like(out) if zero_output_for_mask else prev
            out = array_ops.where(_expand_mask(m, out), out, base)
        ta = ta.write(t, out)
        return (t + 1, out, ta, *flat_new)

    result = while_loop(cond, body, (0, prev0, out_ta, *flat_states))
    last, ta = result[1], result[2]
    final = nest.pack_sequence_as(states, list(result[3:]))
    all_out = None
    if return_all_outputs:
        stacked = ta.stack()
        all_out = array_ops.transpose(stacked, [1, 0] + list(range(2, stacked.shape.rank or 2)))
    return last, all_out, final


@register_builtin("keras.layers")
class RNN(Layer):
    """Runs a recurrent cell over the time axis of its input.

    Args:
      cell: a cell (a layer with `call(inputs, states)` returning `(output, new_states)` and a
        `state_size` attribute) or a list of cells (stacked into `StackedRNNCells`).
      return_sequences: return the output of every timestep instead of the last one.
      return_state: also return the final states.
      go_backwards: process the sequence backwards (outputs come in processing order).
      stateful: keep the final states of a batch as the initial states of the next batch
        (requires a fixed batch size); `reset_state()` zeroes them.
      unroll: require a static number of timesteps (the loop is always a Python loop then).
      zero_output_for_mask: give masked timesteps a zero output instead of the previous one.
      **kwargs: base `Layer` arguments.

    Call arguments:
      sequences: a (batch, time, ...) tensor.
      initial_state: a list of initial state tensors (default zeros).
      mask: a (batch, time) bool tensor (taken from the input's `_keras_mask` when absent).
      training: whether dropout is active.

    Raises:
      ValueError: if `cell` has no `call` method or `state_size`.
    """

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):  # fmt: skip
        if isinstance(cell, (list, tuple)):
            from tensorflux._src.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells

            cell = StackedRNNCells(cell)
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise ValueError(
                "Argument `cell` should have a `call` method and a `state_size` attribute. "
                f"Received: cell={cell}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self._states = _Hidden(None)

    # ------------------------------------------------------------------ sizes and states

    @property
    def state_size(self):
        return self.cell.state_size

    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        if size is None:
            size = self.cell.state_size
            size = size[0] if isinstance(size, (list, tuple)) else size
        return size

    @property
    def states(self):
        """The state variables of a stateful RNN (None otherwise)."""
        return self._states.value

    def build(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        if len(sequences_shape) < 3:
            raise ValueError(
                "Input should be at least 3D, with shape (batch_size, timesteps, ...). "
                f"Received: sequences_shape={sequences_shape}"
            )
        step_shape = (sequences_shape[0],) + sequences_shape[2:]
        build_sublayer(self.cell, step_shape)
        if self.stateful:
            batch = sequences_shape[0]
            if batch is None:
                raise ValueError(
                    "When using `stateful=True` in a RNN, the batch size must be static. Found "
                    "dynamic batch size: sequence.shape="
                    f"{sequences_shape}"
                )
            self._create_state_variables(batch)
        self.built = True

    def _create_state_variables(self, batch):
        from tensorflux._src.function import init_scope
        from tensorflux._src.keras.variables import Variable

        init = self._initial_states(batch)
        flat = []
        with init_scope():
            for s in nest.flatten(init):
                flat.append(Variable(s.numpy(), dtype=self.variable_dtype, trainable=False,
                                     name="rnn_state"))  # fmt: skip
        self._states = _Hidden(flat)

    def reset_state(self):
        """Zeroes the state variables of a stateful RNN."""
        if self._states.value is None:
            return
        for v in self._states.value:
            v.assign(array_ops.zeros_like(v))

    def reset_states(self):
        """Same as `reset_state()`."""
        self.reset_state()

    def get_initial_state(self, batch_size):
        return self._initial_states(batch_size)

    def _initial_states(self, batch_size):
        cell_init = getattr(self.cell, "get_initial_state", None)
        if cell_init is not None:
            return list(cell_init(batch_size))
        sizes = self.cell.state_size
        sizes = list(sizes) if isinstance(sizes, (list, tuple)) else [sizes]
        return [zeros_state(batch_size, d, self.compute_dtype) for d in sizes]

    # ------------------------------------------------------------------ call

    def _prepare(self, sequences, training):
        """(projected inputs, step function) for the cell."""
        prep = getattr(self.cell, "_rnn_prepare", None)
        if prep is not None:
            return prep(sequences, training)
        cell = self.cell
        has_training = getattr(cell, "_call_has_training", False)

        def step(x, states):
            kwargs = {"training": training} if has_training else {}
            out, new = cell(x, states, **kwargs)
            if not isinstance(new, (list, tuple)):
                new = [new]
            return out, list(new)

        return sequences, step

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        batch = sequences.shape[0]
        if batch is None:
            batch = array_ops.shape(sequences)[0]
        default = None
        if initial_state is None and self.stateful and self._states.value is not None:
            flat = [v.value for v in self._states.value]
            default = self._initial_states(batch)
            initial_state = nest.pack_sequence_as(default, flat)
        elif initial_state is None:
            initial_state = self._initial_states(batch)
        else:
            default = self._initial_states(batch)
            flat = nest.flatten(initial_state)
            if len(flat) != len(nest.flatten(default)):
                raise ValueError(
                    f"Layer {self.name} expects {len(nest.flatten(default))} state(s), but it "
                    f"received {len(flat)} initial state(s). Input received: {initial_state}"
                )
            initial_state = nest.pack_sequence_as(default, flat)
        compute = self.compute_dtype
        initial_state = nest.map_structure(lambda s: _as_dtype(s, compute), initial_state)
        if mask is not None:
            mask = math_ops.cast(mask, "bool")
        for c in _cells(self.cell):
            if hasattr(c, "reset_dropout_mask"):
                c.reset_dropout_mask()
                c.reset_recurrent_dropout_mask()
        try:
            proj, step = self._prepare(sequences, training)
            last, outputs, states = run_loop(
                step, proj, initial_state, mask=mask, go_backwards=self.go_backwards,
                unroll=self.unroll, zero_output_for_mask=self.zero_output_for_mask,
                return_all_outputs=self.return_sequences,
            )  # fmt: skip
        finally:
            for c in _cells(self.cell):
                if hasattr(c, "reset_dropout_mask"):
                    c.reset_dropout_mask()
                    c.reset_recurrent_dropout_mask()
        if self.stateful and self._states.value is not None:
            for v, s in zip(self._states.value, nest.flatten(states)):
                v.assign(math_ops.cast(s, v.dtype))
        output = outputs if self.return_sequences else last
        if output.dtype.name != compute and output.dtype.is_floating:
            output = math_ops.cast(output, compute)
        if self.return_state:
            return (output, *states)
        return output

    # ------------------------------------------------------------------ shapes, masks, config

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        sequences_shape = tuple(sequences_shape)
        batch = sequences_shape[0]
        size = self._output_size()
        size = list(size) if isinstance(size, (list, tuple)) else [size]
        if self.return_sequences:
            out = (batch, sequences_shape[1], *size)
        else:
            out = (batch, *size)
        if not self.return_state:
            return out

        def shape_of(s):
            if isinstance(s, (list, tuple)):
                return [shape_of(x) for x in s]
            return (batch, s)

        sizes = self.cell.state_size
        sizes = sizes if isinstance(sizes, (list, tuple)) else [sizes]
        return (out, *[shape_of(s) for s in sizes])

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        out_mask = mask if self.return_sequences else None
        if self.return_state:
            sizes = self.cell.state_size
            n = len(sizes) if isinstance(sizes, (list, tuple)) else 1
            return [out_mask] + [None] * n
        return out_mask

    def _rnn_config(self) -> dict:
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialize_keras_object(self.dtype_policy),
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }

    def get_config(self):
        config = self._rnn_config()
        config["cell"] = serialize_keras_object(self.cell)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _as_dtype(s, dtype):
    from tensorflux._src.tensor import convert_to_tensor

    s = convert_to_tensor(s)
    if s.dtype.is_floating and s.dtype.name != dtype:
        return math_ops.cast(s, dtype)
    return s


def _cells(cell):
    inner = getattr(cell, "cells", None)
    if inner is not None:
        out = []
        for c in inner:
            out.extend(_cells(c))
        return out
    return [cell]


class _DelegatingRNN(RNN):
    """Base of SimpleRNN/LSTM/GRU: the cell's arguments read through the layer."""

    _CELL_KEYS: tuple = ()

    def get_config(self):
        config = self._rnn_config()
        cell_config = self.cell.get_config()
        for key in self._CELL_KEYS:
            if key == "activity_regularizer":
                config[key] = serialize_keras_object(self.activity_regularizer)
            else:
                config[key] = cell_config[key]
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        return cls(**config)


def _delegate(name):
    return property(lambda self: getattr(self.cell, name))


for _name in ("units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
              "recurrent_initializer", "bias_initializer", "unit_forget_bias",
              "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
              "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout",
              "recurrent_dropout", "reset_after", "implementation", "seed"):  # fmt: skip
    setattr(_DelegatingRNN, _name, _delegate(_name))
