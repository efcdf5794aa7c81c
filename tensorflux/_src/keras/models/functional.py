"""Functional models: a graph of layer calls recorded on KerasTensors, replayed on real tensors."""

from __future__ import annotations

from tensorflux._src.core import nest
from tensorflux._src.keras.keras_tensor import is_keras_tensor
from tensorflux._src.keras.models.model import Model
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.tensor import Tensor, convert_to_tensor


def _node_of(t):
    h = t._keras_history
    if h is None:
        raise ValueError(
            f"Output tensors of a Functional model must be the output of a Keras layer. Got: {t}"
        )
    return h.operation._inbound_nodes[h.node_index]


def nodes_in_order(outputs) -> list:
    """The nodes that produce `outputs`, each after the nodes it depends on."""
    order, seen = [], set()
    for t in nest.flatten(outputs):
        stack = [(_node_of(t), False)]
        while stack:
            node, expanded = stack.pop()
            if id(node) in seen:
                continue
            if expanded:
                seen.add(id(node))
                order.append(node)
                continue
            stack.append((node, True))
            for parent in reversed(node.parent_nodes):
                if id(parent) not in seen:
                    stack.append((parent, False))
    return order


@register_builtin("keras.src.models.functional")
class Functional(Model):
    """A model defined by calling layers on `keras.Input` tensors.

    Args:
      inputs: a KerasTensor, or a list/dict of them.
      outputs: KerasTensor(s) computed from `inputs` through layers.
      name: the model's name.
    """

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        if isinstance(inputs, dict):
            for k, v in inputs.items():
                if not is_keras_tensor(v):
                    raise ValueError(f"Input {k} is not a KerasTensor: {v}")
        self._inputs_struct = inputs
        self._outputs_struct = outputs
        flat_in = nest.flatten(inputs)
        nodes = nodes_in_order(outputs)
        in_ids = {id(t) for t in flat_in}
        for node in nodes:
            if node.is_input and id(node.output_tensors[0]) not in in_ids:
                raise ValueError(
                    "Graph disconnected: cannot find the value of tensor "
                    f'{node.output_tensors[0]} at layer "{node.operation.name}". The following '
                    f"previous layers were accessed without issue: "
                    f"{[n.operation.name for n in nodes if n.is_input]}"
                )
        self._nodes = nodes
        layers, seen = [], set()
        for t in flat_in:  # input layers first, in input order
            layer = t._keras_history.operation
            if id(layer) not in seen:
                seen.add(id(layer))
                layers.append(layer)
        for node in nodes:
            layer = node.operation
            if id(layer) not in seen and not getattr(layer, "_is_operation", False):
                seen.add(id(layer))
                layers.append(layer)
        self._layer_order = layers
        self._ops = [n.operation for n in nodes if getattr(n.operation, "_is_operation", False)]
        self.built = True

    @property
    def inputs(self) -> list:
        return list(nest.flatten(self._inputs_struct))

    @property
    def outputs(self) -> list:
        return list(nest.flatten(self._outputs_struct))

    @property
    def input(self):
        return self._inputs_struct

    @property
    def output(self):
        return self._outputs_struct

    @property
    def input_shape(self):
        shapes = [tuple(t.shape.as_list()) for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [tuple(t.shape.as_list()) for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _flatten_inputs(self, inputs) -> list:
        struct = self._inputs_struct
        if isinstance(inputs, dict) and not isinstance(struct, dict):
            flat = []
            for t in nest.flatten(struct):
                key = t.name
                if key not in inputs:
                    raise ValueError(f"Missing data for input \"{key}\". You passed a dict "
                                     f"with keys {list(inputs)}.")  # fmt: skip
                flat.append(inputs[key])
            return flat
        if isinstance(struct, dict):
            if not isinstance(inputs, dict):
                flat = nest.flatten(inputs)
            else:
                flat = [inputs[k] for k in sorted(struct)]
            return flat
        flat = nest.flatten(inputs)
        expected = nest.flatten(struct)
        if len(flat) != len(expected):
            raise ValueError(
                f'Layer "{self.name}" expects {len(expected)} input(s), but it received '
                f"{len(flat)} input tensors. Inputs received: {inputs}"
            )
        return flat

    def call(self, inputs, training=None, mask=None):
        flat_in = self._flatten_inputs(inputs)
        values = {}
        for kt, x in zip(nest.flatten(self._inputs_struct), flat_in):
            if x is not None and not isinstance(x, Tensor):
                x = convert_to_tensor(x, dtype=kt.dtype if _numeric(x) else None)
            elif isinstance(x, Tensor) and x.dtype is not kt.dtype and kt.dtype.is_floating \
                    and x.dtype.is_floating:  # fmt: skip
                from tensorflux._src.ops.math_ops import cast

                m = getattr(x, "_keras_mask", None)
                x = cast(x, kt.dtype)
                if m is not None:
                    x._keras_mask = m
            values[id(kt)] = x

        def fetch(v):
            return values[id(v)] if is_keras_tensor(v) else v

        for node in self._nodes:
            if node.is_input:
                continue
            args = nest.map_structure(fetch, list(node.call_args), check_types=False)
            kwargs = {
                k: nest.map_structure(fetch, v, check_types=False)
                for k, v in node.call_kwargs.items()
            }
            out = node.operation(*args, **kwargs)
            for kt, val in zip(node.output_tensors, nest.flatten(out)):
                values[id(kt)] = val
        return nest.map_structure(fetch, self._outputs_struct, check_types=False)

    def get_config(self) -> dict:
        from tensorflux._src.keras.models.functional_config import functional_config

        return functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tensorflux._src.keras.models.functional_config import functional_from_config

        return functional_from_config(config, custom_objects)


def _numeric(x) -> bool:
    import numpy as np

    try:
        return np.asarray(x).dtype.kind in "fiub"
    except Exception:
        return False
