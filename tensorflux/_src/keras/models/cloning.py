"""`keras.models.clone_model`: the same architecture with freshly initialized weights."""

from __future__ import annotations

from tensorflux._src.keras.serialization import deserialize_keras_object, serialize_keras_object


def _default_clone(layer):
    return type(layer).from_config(layer.get_config())


def clone_model(
    model, input_tensors=None, clone_function=None, call_function=None, recursive=False, **kwargs
):
    """Builds a new model with the same layers' configs (new weights, not copies).

    Args:
      model: a Sequential, functional or subclassed model.
      input_tensors: not supported (must be None).
      clone_function: `layer -> new layer` applied to each layer of a Sequential model
        (default: rebuild from the layer's config).
      call_function: not supported (must be None).
      recursive: accepted; nested models are rebuilt from their configs.

    Returns:
      The new model.
    """
    from tensorflux._src.keras.models.functional import Functional
    from tensorflux._src.keras.models.sequential import Sequential

    if input_tensors is not None or call_function is not None:
        raise NotImplementedError(
            "clone_model(input_tensors=..., call_function=...) is not supported yet."
        )
    if isinstance(model, Sequential):
        fn = clone_function or _default_clone
        layers = []
        if model._input_layer is not None:
            il = model._input_layer
            from tensorflux._src.keras.layers.input_layer import InputLayer

            layers.append(InputLayer(batch_shape=il.batch_shape, dtype=il.dtype, name=il.name))
        layers += [fn(layer) for layer in model.layers]
        return Sequential(layers, name=model.name, trainable=model.trainable)
    if isinstance(model, Functional):
        if clone_function is not None:
            raise NotImplementedError(
                "clone_model(clone_function=...) is supported for Sequential models only."
            )
        return Functional.from_config(model.get_config())
    return deserialize_keras_object(serialize_keras_object(model))
