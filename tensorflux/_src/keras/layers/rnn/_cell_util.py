"""Helpers shared by the built-in recurrent cells: argument checks, fast activations, configs."""

from __future__ import annotations

from tensorflux._src.keras import activations
from tensorflux._src.keras.serialization import serialize_keras_object
from tensorflux._src.ops import activation_ops, trig_ops


def check_units(units) -> int:
    if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
        raise ValueError(
            "Received an invalid value for argument `units`, expected a positive integer, "
            f"got {units}."
        )
    return units


def fast(fn):
    """The raw op behind a Keras activation (skips the Keras wrapper's bookkeeping)."""
    if fn is activations.tanh:
        return trig_ops.tanh
    if fn is activations.sigmoid:
        return activation_ops.sigmoid
    return fn


def ser(obj):
    return serialize_keras_object(obj)


def base_config(layer) -> dict:
    return {"name": layer.name, "trainable": layer.trainable, "dtype": ser(layer.dtype_policy)}


def value(v):
    """A variable's current value as a tensor (read once per sequence)."""
    from tensorflux._src.tensor import convert_to_tensor

    return convert_to_tensor(v)
