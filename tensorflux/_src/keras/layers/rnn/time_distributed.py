"""`keras.layers.TimeDistributed`: applies a layer to every timestep of its input."""

from __future__ import annotations

from tensorflux._src.core import context as _context
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.rnn._cell_util import base_config
from tensorflux._src.keras.layers.rnn.rnn import build_sublayer
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import array_ops, manip_ops, math_ops


def _cast(y, dtype):
    if y.dtype.is_floating and y.dtype.name != dtype:
        return math_ops.cast(y, dtype)
    return y


@register_builtin("keras.layers")
class TimeDistributed(Layer):
    """Applies `layer` to each slice `inputs[:, t]` along axis 1 (the same weights each time).

    Args:
      layer: the layer to apply.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if `layer` is not a Layer, or the input has rank below 3.
    """

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(
                "Please initialize `TimeDistributed` layer with a `keras.layers.Layer` instance."
                f" Received: {layer}"
            )
        super().__init__(**kwargs)
        self.layer = layer
        self.supports_masking = True

    def _child_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) < 3:
            raise ValueError(
                "`TimeDistributed` Layer should be passed an `input_shape` with at least 3 "
                f"dimensions, received: {input_shape}"
            )
        return (input_shape[0],) + input_shape[2:]

    def build(self, input_shape):
        build_sublayer(self.layer, self._child_shape(input_shape))
        self.built = True

    def compute_output_shape(self, input_shape):
        child = tuple(self.layer.compute_output_shape(self._child_shape(input_shape)))
        return (child[0], tuple(input_shape)[1]) + child[1:]

    def call(self, inputs, training=None, mask=None):
        kwargs = {}
        if self.layer._call_has_training and training is not None:
            kwargs["training"] = training
        steps = inputs.shape[1]
        if steps is None and _context.executing_eagerly():
            steps = int(array_ops.shape(inputs).numpy()[1])
        if steps is None:
            # unknown length in a graph: fold time into the batch
            shape = array_ops.shape(inputs)
            flat = array_ops.reshape(inputs, manip_ops.concat([[-1], shape[2:]], 0))
            if self.layer._call_has_mask and mask is not None:
                kwargs["mask"] = array_ops.reshape(mask, [-1])
            y = self.layer(flat, **kwargs)
            out_shape = manip_ops.concat([shape[:2], array_ops.shape(y)[1:]], 0)
            return _cast(array_ops.reshape(y, out_shape), self.compute_dtype)
        xs = array_ops.unstack(inputs, num=steps, axis=1)
        ms = None
        if mask is not None and self.layer._call_has_mask:
            ms = array_ops.unstack(mask, num=steps, axis=1)
        outs = []
        for t in range(steps):
            if ms is not None:
                kwargs["mask"] = ms[t]
            outs.append(self.layer(xs[t], **kwargs))
        return _cast(array_ops.stack(outs, axis=1), self.compute_dtype)

    def get_config(self):
        return {**base_config(self), "layer": serialize_keras_object(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        layer = deserialize_keras_object(config.pop("layer"), custom_objects=custom_objects)
        return cls(layer, **config)
