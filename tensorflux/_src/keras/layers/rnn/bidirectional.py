"""`keras.layers.Bidirectional`: one RNN forwards, a copy backwards, outputs merged."""

from __future__ import annotations

from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.rnn._cell_util import base_config
from tensorflux._src.keras.layers.rnn.rnn import _Hidden, build_sublayer
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import manip_ops, math_ops

_MODES = ("sum", "mul", "ave", "concat", None)


def _clone(layer, name, **overrides):
    config = serialize_keras_object(layer)
    config["config"] = dict(config["config"], name=name, **overrides)
    return deserialize_keras_object(config)


def _strip(name: str, prefix: str) -> str:
    return name[len(prefix) :] if name.startswith(prefix) else name


@register_builtin("keras.layers")
class Bidirectional(Layer):
    """Runs a recurrent layer over the sequence forwards and a copy of it backwards.

    Args:
      layer: an `RNN` layer (LSTM, GRU, ...); it is copied into `forward_layer` and (with
        `go_backwards` flipped) into `backward_layer`.
      merge_mode: how outputs combine: "concat" (default), "sum", "mul", "ave", or None (a list
        of both).
      weights: optional initial weights (forward then backward), set when the layer is built.
      backward_layer: an explicit layer for the backward direction.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: for a `layer` that is not a Layer or an unknown `merge_mode`.
    """

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `Bidirectional` layer with a `keras.layers.Layer` instance. "
                f"Received: {layer}"
            )
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(
                "`backward_layer` need to be a `keras.layers.Layer` instance. "
                f"Received: {backward_layer}"
            )
        if merge_mode not in _MODES:
            raise ValueError(
                f"Invalid merge mode. Received: {merge_mode}. Merge mode should be one of "
                '{"sum", "mul", "ave", "concat", None}'
            )
        super().__init__(**kwargs)
        self.forward_layer = _clone(layer, "forward_" + _strip(layer.name, "forward_"))
        if backward_layer is None:
            self.backward_layer = _clone(
                layer, "backward_" + _strip(layer.name, "backward_"),
                go_backwards=not layer.go_backwards,
            )  # fmt: skip
        else:
            for attr in ("return_sequences", "return_state"):
                if getattr(backward_layer, attr) != getattr(layer, attr):
                    raise ValueError(
                        "Forward layer and backward layer should have the same `"
                        f"{attr}` attribute value. Received: forward={getattr(layer, attr)}, "
                        f"backward={getattr(backward_layer, attr)}"
                    )
            self.backward_layer = backward_layer
        # masked steps of returned sequences read zero in both directions (Keras does this)
        self.forward_layer.zero_output_for_mask = layer.return_sequences
        self.backward_layer.zero_output_for_mask = layer.return_sequences
        self.merge_mode = merge_mode
        self._initial_weights = _Hidden(weights)
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True

    @property
    def states(self):
        f, b = self.forward_layer.states, self.backward_layer.states
        if f is None:
            return None
        return tuple(f) + tuple(b)

    def reset_state(self):
        self.forward_layer.reset_state()
        self.backward_layer.reset_state()

    def reset_states(self):
        self.reset_state()

    def build(self, sequences_shape, initial_state_shape=None):
        build_sublayer(self.forward_layer, tuple(sequences_shape))
        build_sublayer(self.backward_layer, tuple(sequences_shape))
        weights = self._initial_weights.value
        if weights is not None:
            self.set_weights(weights)
            self._initial_weights = _Hidden(None)
        self.built = True

    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs = {}
        if training is not None:
            kwargs["training"] = training
        if mask is not None:
            kwargs["mask"] = mask
        fwd_state = bwd_state = None
        if initial_state is not None:
            states = list(initial_state)
            half = len(states) // 2
            fwd_state, bwd_state = states[:half], states[half:]
        y = self.forward_layer(sequences, initial_state=fwd_state, **kwargs)
        y_rev = self.backward_layer(sequences, initial_state=bwd_state, **kwargs)
        states = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        compute = self.compute_dtype
        if y.dtype.is_floating and y.dtype.name != compute:
            y, y_rev = math_ops.cast(y, compute), math_ops.cast(y_rev, compute)
        if self.return_sequences:
            y_rev = manip_ops.reverse(y_rev, [1])
        mode = self.merge_mode
        if mode == "concat":
            out = manip_ops.concat([y, y_rev], axis=-1)
        elif mode == "sum":
            out = y + y_rev
        elif mode == "ave":
            out = (y + y_rev) / 2
        elif mode == "mul":
            out = math_ops.multiply(y, y_rev)
        else:
            out = (y, y_rev)
        if self.return_state:
            if mode is None:
                return (*out, *states)
            return (out, *states)
        return out

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes = []
        if self.return_state:
            shape, state_shapes = shape[0], list(shape[1:])
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (shape[-1] * 2,)
            outs = [shape]
        elif self.merge_mode is None:
            outs = [tuple(shape), tuple(shape)]
        else:
            outs = [tuple(shape)]
        if self.return_state:
            return tuple(outs + state_shapes + state_shapes)
        return outs[0] if len(outs) == 1 else tuple(outs)

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if self.return_sequences:
            out = mask if self.merge_mode else [mask, mask]
        else:
            out = None if self.merge_mode else [None, None]
        if self.return_state:
            sizes = self.forward_layer.cell.state_size
            n = len(sizes) if isinstance(sizes, (list, tuple)) else 1
            head = out if isinstance(out, list) else [out]
            return head + [None] * (2 * n)
        return out

    def get_config(self):
        return {
            **base_config(self),
            "merge_mode": self.merge_mode,
            "layer": serialize_keras_object(self.forward_layer),
            "backward_layer": serialize_keras_object(self.backward_layer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            config["backward_layer"] = deserialize_keras_object(
                backward, custom_objects=custom_objects
            )
        return cls(**config)
