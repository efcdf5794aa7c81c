"""`MultiOptimizer`: different optimizers for different variables (`OptimizerMap` or a
callable choosing one per variable)."""

from __future__ import annotations

import re

from tensorflux._src.function import init_scope
from tensorflux._src.keras.optimizers.base import Optimizer
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)


@register_builtin("keras.optimizers")
class OptimizerMap(dict):
    """`{path_regex: optimizer}` with a default: a variable goes to the first optimizer whose
    pattern is found in its path, else to `default_optimizer`.

    Args:
      default_optimizer: the optimizer of unmatched variables.
      optimizer_map: the initial `{pattern: optimizer}` entries.
    """

    def __init__(self, default_optimizer, optimizer_map=None):
        super().__init__(optimizer_map or {})
        self.default_optimizer = default_optimizer

    def optimizer_for(self, variable):
        path = getattr(variable, "path", None) or variable.name
        for pattern, opt in self.items():
            if re.search(pattern, path):
                return opt
        return self.default_optimizer

    def get_config(self) -> dict:
        return {
            "default_optimizer": serialize_keras_object(self.default_optimizer),
            "optimizer_map": {k: serialize_keras_object(v) for k, v in self.items()},
        }

    @classmethod
    def from_config(cls, config):
        return cls(
            deserialize_keras_object(config["default_optimizer"]),
            {k: deserialize_keras_object(v) for k, v in config["optimizer_map"].items()},
        )


@register_builtin("keras.optimizers")
class MultiOptimizer(Optimizer):
    """Delegates each variable to the optimizer an `OptimizerMap` (or a callable
    `fn(variable) -> optimizer`) picks; each sub-optimizer keeps its own state and counters.

    Args:
      optimizer_map: an `OptimizerMap` or a callable taking a variable.
      loss_scale_factor: as for `Optimizer`.
      name: the optimizer's name.

    Raises:
      AttributeError: on reading `learning_rate` (it belongs to the sub-optimizers).
    """

    def __init__(self, optimizer_map, loss_scale_factor=None, name=None):
        super().__init__(learning_rate=0.0, loss_scale_factor=loss_scale_factor, name=name)
        self.optimizer_map = optimizer_map
        self._groups: list = []  # [(optimizer, [variables])]
        self._owner: dict = {}  # id(variable) -> optimizer

    @property
    def optimizers(self) -> list:
        return [opt for opt, _ in self._groups]

    @property
    def learning_rate(self):
        raise AttributeError(
            "Learning rate cannot be accessed on a MultiOptimizer. Access the learning rate on "
            "the individual sub-optimizers instead."
        )

    @learning_rate.setter
    def learning_rate(self, value):
        raise AttributeError("Learning rate cannot be set on a MultiOptimizer.")

    @property
    def variables(self) -> list:
        out = list(self._variables)
        for opt in self.optimizers:
            out.extend(opt.variables)
        return out

    def build(self, var_list):
        if self.built:
            return
        var_list = list(var_list)
        groups: dict = {}
        if isinstance(self.optimizer_map, OptimizerMap):
            for opt in [*self.optimizer_map.values(), self.optimizer_map.default_optimizer]:
                groups.setdefault(id(opt), (opt, []))
            pick = self.optimizer_map.optimizer_for
        else:
            pick = self.optimizer_map
        for v in var_list:
            opt = pick(v)
            groups.setdefault(id(opt), (opt, []))[1].append(v)
            self._owner[id(v)] = opt
        self._groups = [(opt, vs) for opt, vs in groups.values()]
        for opt, vs in self._groups:
            opt.build(vs)
        self._trainable_variables = var_list
        self._index = {id(v): i for i, v in enumerate(var_list)}
        self.built = True

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if trainable_variables is None:
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if not self.built:
            with init_scope():
                self.build(trainable_variables)
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        per_opt: dict = {}
        for g, v in zip(grads, trainable_variables):
            self._get_variable_index(v)
            opt = self._owner[id(v)]
            per_opt.setdefault(id(opt), (opt, [], []))
            per_opt[id(opt)][1].append(g)
            per_opt[id(opt)][2].append(v)
        for opt, gs, vs in per_opt.values():
            opt.apply(gs, vs)
        self._iterations.assign_add(1)

    def get_config(self) -> dict:
        if isinstance(self.optimizer_map, OptimizerMap):  # a dict subclass: serialized by hand
            mapping = {
                "module": "keras.optimizers",
                "class_name": "OptimizerMap",
                "config": self.optimizer_map.get_config(),
                "registered_name": None,
            }
        else:
            mapping = serialize_keras_object(self.optimizer_map)
        return {
            "optimizer_map": mapping,
            "loss_scale_factor": self.loss_scale_factor,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["optimizer_map"] = deserialize_keras_object(
            config["optimizer_map"], custom_objects=custom_objects
        )
        return cls(**config)
