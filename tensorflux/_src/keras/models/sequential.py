"""`keras.Sequential`: a plain stack of layers, each feeding the next."""

from __future__ import annotations

from tensorflux._src.keras import backend
from tensorflux._src.keras.keras_tensor import is_keras_tensor
from tensorflux._src.keras.layers.input_layer import InputLayer
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.models.model import Model
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras")
class Sequential(Model):
    """A model that runs its layers one after another.

    Args:
      layers: the layers (optionally starting with `keras.Input(...)` or an `InputLayer`).
      trainable: whether the weights are trained.
      name: the model's name.
    """

    def __init__(self, layers=None, trainable=True, name=None, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        self._stack = []
        self._input_layer = None
        self._graph_outputs = None
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    @property
    def _layer_order(self):
        head = [self._input_layer] if self._input_layer is not None else []
        return head + list(self._stack)

    @property
    def layers(self) -> list:
        return list(self._stack)

    def add(self, layer, rebuild=True) -> None:
        """Appends a layer (or starts the model with `keras.Input(...)`)."""
        if is_keras_tensor(layer):
            layer = layer._keras_history.operation
        if isinstance(layer, InputLayer):
            if self._input_layer is not None or self._stack:
                raise ValueError(
                    f"Sequential model '{self.name}' has already been configured to use input "
                    f"shape {self._input_layer.batch_shape if self._input_layer else None}. You "
                    f"cannot add a different Input layer to it."
                )
            self._input_layer = layer
            if rebuild:
                self._maybe_rebuild()
            return
        if not isinstance(layer, Layer):
            raise ValueError(
                "Only instances of `keras.Layer` can be added to a Sequential model. Received: "
                f"{layer} (of type {type(layer)})"
            )
        if not self._stack and self._input_layer is None:
            batch_shape = getattr(layer, "_batch_input_shape", None)
            if batch_shape is not None:
                self._input_layer = InputLayer(batch_shape=batch_shape)
        if any(layer.name == other.name for other in self._stack):
            raise ValueError(
                "All layers added to a Sequential model should have unique names. Name "
                f'"{layer.name}" is already the name of a layer in this model. Update the `name` '
                "argument to pass a unique name."
            )
        self._stack.append(layer)
        self.built = False
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes and returns the last layer."""
        if not self._stack:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self.built = False
        self._graph_outputs = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    def _maybe_rebuild(self) -> None:
        self.built = False
        self._graph_outputs = None
        if self._input_layer is not None and self._stack:
            self.build(self._input_layer.batch_shape)

    def build(self, input_shape=None):
        """Builds every layer by running the stack on a symbolic input of `input_shape`."""
        if input_shape is None:
            if self._input_layer is None:
                raise ValueError("You must provide an `input_shape` argument.")
            input_shape = self._input_layer.batch_shape
        if self._input_layer is None or tuple(self._input_layer.batch_shape) != tuple(input_shape):
            dtype = self._input_layer.dtype if self._input_layer is not None else None
            self._input_layer = InputLayer(batch_shape=tuple(input_shape), dtype=dtype)
        x = self._input_layer.output
        with backend.name_scope(self.name):  # weight paths read "sequential/dense/kernel"
            for layer in self._stack:
                x = layer(x)
        self._graph_outputs = x
        self._build_input_shape = tuple(input_shape)
        self.built = True

    def _maybe_build(self, args, kwargs) -> None:
        if self.built:
            return
        first = args[0] if args else next(iter(kwargs.values()))
        shape = first.shape.as_list() if hasattr(first.shape, "as_list") else list(first.shape)
        self.build(tuple(shape))

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self._stack:
            x = layer(x)
        return x

    @property
    def inputs(self):
        return [self._input_layer.output] if self._input_layer is not None else None

    @property
    def outputs(self):
        return [self._graph_outputs] if self._graph_outputs is not None else None

    @property
    def input_shape(self):
        if self._input_layer is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined input shape yet.")
        return self._input_layer.batch_shape

    @property
    def output_shape(self):
        if self._graph_outputs is None:
            raise AttributeError(f"Sequential model '{self.name}' has no defined output shape yet.")
        return tuple(self._graph_outputs.shape.as_list())

    def get_config(self) -> dict:
        from tensorflux._src.keras.models.functional_config import sequential_config

        return sequential_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux._src.keras.models.functional_config import sequential_from_config

        return sequential_from_config(cls, config, custom_objects)
