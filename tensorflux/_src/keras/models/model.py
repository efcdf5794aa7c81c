"""`keras.Model`: a layer with the training API; `Model(inputs, outputs)` makes a functional one."""

from __future__ import annotations

from tensorflux._src.core import nest
from tensorflux._src.keras.keras_tensor import is_keras_tensor
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.keras.trainers.trainer import Trainer


def _functional_args(args, kwargs) -> bool:
    inputs = kwargs.get("inputs", args[0] if args else None)
    outputs = kwargs.get("outputs", args[1] if len(args) > 1 else None)
    return (
        inputs is not None
        and outputs is not None
        and all(is_keras_tensor(x) for x in nest.flatten(inputs))
    )


@register_builtin("keras")
class Model(Trainer, Layer):
    """A trainable model: layers plus `compile`/`fit`/`evaluate`/`predict`.

    Built three ways: `Model(inputs, outputs)` on KerasTensors (functional), `Sequential`, or
    a subclass that creates layers in `__init__` and computes in `call`.

    Args:
      inputs / outputs: KerasTensors (functional models only).
      name: the model's name.
      trainable: whether its weights are trained.
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _functional_args(args, kwargs):
            from tensorflux._src.keras.models.functional import Functional

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if _functional_args(args, kwargs) and type(self).__name__ != "Functional":
            raise NotImplementedError(
                "Subclassing Model while passing `inputs` and `outputs` to `super().__init__()` "
                "is not supported yet; build a `keras.Model(inputs, outputs)` instead."
            )
        allowed = {"name", "trainable", "dtype", "autocast"}
        unknown = set(kwargs) - allowed
        if args or unknown:
            raise TypeError(f"Keyword argument not understood: {sorted(unknown) or list(args)}")
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)

    def build(self, input_shape=None):
        """Builds the model (and its sub-layers) for inputs of `input_shape` by tracing `call`."""
        if self.built:
            return
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        from tensorflux._src.core.shape import TensorShape
        from tensorflux._src.graph.trace import InputSpec, trace

        dtype = self.compute_dtype

        def to_spec(s):
            return InputSpec(TensorShape(list(s)), dtype)

        if isinstance(input_shape, dict):
            specs = {k: to_spec(v) for k, v in input_shape.items()}
        elif (
            isinstance(input_shape, (list, tuple))
            and input_shape
            and all(isinstance(s, (list, tuple)) for s in input_shape)
        ):
            specs = [to_spec(s) for s in input_shape]
        else:
            specs = to_spec(input_shape)
        self.built = True  # so __call__ does not come back here
        try:
            trace(lambda x: self(x), [specs])
        except Exception:
            self.built = False
            raise
        self._build_input_shape = input_shape

    def get_layer(self, name=None, index=None):
        """A sub-layer by name or by index in `layers`."""
        if index is not None and name is not None:
            raise ValueError(
                f"Provide only a layer name or a layer index. Received: index={index}, name={name}."
            )
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has "
                    f"{len(self.layers)} layers."
                )
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: "
                f"{list(layer.name for layer in self.layers)}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    # ------------------------------------------------------------------ saving

    def save(self, filepath, overwrite=True, zipped=None, **kwargs) -> None:
        """Saves the model to a `.keras` file (see `keras.models.save_model`)."""
        from tensorflux._src.keras.saving import saving_api

        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite=True, max_shard_size=None) -> None:
        """Saves the weights to a `.weights.h5` file."""
        from tensorflux._src.keras.saving import saving_api

        saving_api.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs) -> None:
        """Loads weights from a `.weights.h5` or `.keras` file."""
        from tensorflux._src.keras.saving import saving_api

        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs) -> str:
        """The model's config as a JSON string (no weights)."""
        from tensorflux._src.keras.saving import saving_api

        return saving_api.model_to_json(self, **kwargs)

    def get_config(self) -> dict:
        from tensorflux._src.keras.serialization import serialize_keras_object

        return {"trainable": self.trainable, "dtype": serialize_keras_object(self.dtype_policy)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        try:
            return cls(**config)
        except TypeError:
            base = {"name", "trainable", "dtype"}
            return cls(**{k: v for k, v in config.items() if k not in base})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"
