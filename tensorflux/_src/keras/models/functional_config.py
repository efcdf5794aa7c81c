"""Keras 3's config format for functional and Sequential models, both ways.

A functional config lists each layer (its serialized form plus `name` and `inbound_nodes`, where
KerasTensor arguments appear as `{"class_name": "__keras_tensor__", "config": {..., "keras_history":
[layer, node, tensor]}}`) and the `input_layers`/`output_layers` references.
"""

from __future__ import annotations

from tensorflux._src.core import nest
from tensorflux._src.keras import serialization
from tensorflux._src.keras.keras_tensor import is_keras_tensor


def _tensor_ref(t, node_ids):
    layer, node_index, tensor_index = t._keras_history
    return [layer.name, node_ids.get((id(layer), node_index), node_index), tensor_index]


def _serialize_arg(x, node_ids):
    if is_keras_tensor(x):
        return {
            "class_name": "__keras_tensor__",
            "config": {
                "shape": x.shape.as_list() if x.shape.rank is not None else None,
                "dtype": x.dtype.name,
                "keras_history": _tensor_ref(x, node_ids),
            },
        }
    if isinstance(x, (list, tuple)):
        return [_serialize_arg(v, node_ids) for v in x]
    if isinstance(x, dict):
        return {k: _serialize_arg(v, node_ids) for k, v in x.items()}
    return serialization.serialize_keras_object(x)


def _refs(struct, node_ids):
    if is_keras_tensor(struct):
        return _tensor_ref(struct, node_ids)
    if isinstance(struct, dict):
        return {k: _refs(v, node_ids) for k, v in struct.items()}
    return [_refs(v, node_ids) for v in struct]


def functional_config(model) -> dict:
    """The config of a functional model (Keras 3 layout)."""
    nodes = [n for n in model._nodes]
    kept = {id(n) for n in nodes}
    # node indices count only the nodes that belong to this model, per layer
    node_ids = {}
    for layer in list(model._layer_order) + list(model._ops):
        k = 0
        for i, node in enumerate(layer._inbound_nodes):
            if id(node) in kept:
                node_ids[(id(layer), i)] = k
                k += 1
    layers = []
    for layer in list(model._layer_order):
        entry = serialization.serialize_keras_object(layer)
        entry["name"] = layer.name
        inbound = []
        for node in layer._inbound_nodes:
            if id(node) not in kept or node.is_input:
                continue
            inbound.append({
                "args": [_serialize_arg(a, node_ids) for a in node.call_args],
                "kwargs": {k: _serialize_arg(v, node_ids) for k, v in node.call_kwargs.items()},
            })  # fmt: skip
        entry["inbound_nodes"] = inbound
        layers.append(entry)
    if model._ops:
        raise NotImplementedError(
            "Serializing a functional model that applies operators (+, [], ...) directly to "
            "KerasTensors is not supported yet; wrap the computation in a layer."
        )
    inputs, outputs = model._inputs_struct, model._outputs_struct
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": layers,
        "input_layers": _refs(inputs, node_ids),
        "output_layers": _refs(outputs, node_ids),
    }


def functional_from_config(config, custom_objects=None):
    """Rebuilds a functional model by recreating each layer and replaying its calls."""
    from tensorflux._src.keras.models.functional import Functional

    created = {}
    pending = []  # (layer, node_data) in config order
    for entry in config["layers"]:
        layer = serialization.deserialize_keras_object(
            {k: v for k, v in entry.items() if k not in ("inbound_nodes", "build_config")},
            custom_objects=custom_objects,
        )
        created[entry["name"]] = layer
        for node_data in entry.get("inbound_nodes", []):
            pending.append((layer, node_data))
    outputs_by_layer: dict = {
        name: [layer.output] for name, layer in created.items()
        if type(layer).__name__ == "InputLayer"
    }  # fmt: skip

    def resolve(x):
        if isinstance(x, dict) and x.get("class_name") == "__keras_tensor__":
            name, node_index, tensor_index = x["config"]["keras_history"]
            produced = outputs_by_layer.get(name)
            if produced is None or node_index >= len(produced):
                raise _NotReady()
            return nest.flatten(produced[node_index])[tensor_index]
        if isinstance(x, list):
            return [resolve(v) for v in x]
        if isinstance(x, dict):
            return {k: resolve(v) for k, v in x.items()}
        return x

    while pending:
        progressed = False
        rest = []
        for layer, node_data in pending:
            try:
                args = [resolve(a) for a in node_data.get("args", [])]
                kwargs = {k: resolve(v) for k, v in node_data.get("kwargs", {}).items()}
            except _NotReady:
                rest.append((layer, node_data))
                continue
            out = layer(*args, **kwargs)
            outputs_by_layer.setdefault(layer.name, []).append(out)
            progressed = True
        if not progressed:
            raise ValueError("Could not rebuild the functional model: unresolved layer inputs.")
        pending = rest

    def ref_to_tensor(ref):
        if isinstance(ref, dict):
            return {k: ref_to_tensor(v) for k, v in ref.items()}
        if len(ref) == 3 and isinstance(ref[0], str) and isinstance(ref[1], int):
            name, node_index, tensor_index = ref
            return nest.flatten(outputs_by_layer[name][node_index])[tensor_index]
        return [ref_to_tensor(r) for r in ref]

    inputs = ref_to_tensor(config["input_layers"])
    outputs = ref_to_tensor(config["output_layers"])
    return Functional(inputs, outputs, name=config.get("name"),
                      trainable=config.get("trainable", True))  # fmt: skip


class _NotReady(Exception):
    pass


def sequential_config(model) -> dict:
    """The config of a Sequential model (Keras 3 layout)."""
    from tensorflux._src.keras.keras_tensor import KerasTensor  # noqa: F401

    layers = []
    if model._input_layer is not None:
        layers.append(serialization.serialize_keras_object(model._input_layer))
    for layer in model._stack:
        layers.append(serialization.serialize_keras_object(layer))
    config = {
        "name": model.name,
        "trainable": model.trainable,
        "dtype": serialization.serialize_keras_object(model.dtype_policy),
        "layers": layers,
    }
    if model.built and getattr(model, "_build_input_shape", None) is not None:
        config["build_input_shape"] = model._build_input_shape
    return config


def sequential_from_config(cls, config, custom_objects=None):
    """Rebuilds a Sequential model from its config."""
    model = cls(name=config.get("name"), trainable=config.get("trainable", True))
    for entry in config["layers"]:
        layer = serialization.deserialize_keras_object(
            {k: v for k, v in entry.items() if k != "build_config"}, custom_objects=custom_objects
        )
        model.add(layer, rebuild=False)
    model._maybe_rebuild()
    shape = config.get("build_input_shape")
    if not model.built and shape is not None:
        model.build(tuple(shape))
    return model
