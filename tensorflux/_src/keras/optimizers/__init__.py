"""`keras.optimizers`: the Optimizer base, every built-in optimizer, get/serialize/deserialize."""

from __future__ import annotations

from tensorflux._src.keras.optimizers import schedules
from tensorflux._src.keras.optimizers.adam import (
    Adam,
    Adamax,
    AdamW,
    Lamb,
    Nadam,
    ScheduleFreeAdamW,
)
from tensorflux._src.keras.optimizers.base import Optimizer
from tensorflux._src.keras.optimizers.adafactor import Adafactor
from tensorflux._src.keras.optimizers.ftrl import Ftrl
from tensorflux._src.keras.optimizers.loss_scale_optimizer import LossScaleOptimizer
from tensorflux._src.keras.optimizers.multi_optimizer import MultiOptimizer, OptimizerMap
from tensorflux._src.keras.optimizers.muon import Muon
from tensorflux._src.keras.optimizers.rmsprop import Adadelta, Adagrad, RMSprop
from tensorflux._src.keras.optimizers.sgd import SGD, Lion
from tensorflux._src.keras.serialization import (
    builtin_objects,
    deserialize_keras_object,
    serialize_keras_object,
)

__all__ = [
    "Adadelta", "Adafactor", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lamb", "Lion",
    "LossScaleOptimizer", "Muon", "MultiOptimizer", "Nadam", "OptimizerMap", "Optimizer", "RMSprop", "SGD", "ScheduleFreeAdamW",
    "deserialize", "get",
    "schedules", "serialize",
]  # fmt: skip


# The names `get` resolves case-insensitively (Keras leaves Lamb out).
_GETTABLE = (SGD, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Ftrl, Lion, Adafactor,
             ScheduleFreeAdamW, Muon)  # fmt: skip
_BY_NAME = {c.__name__.lower(): c for c in _GETTABLE}


def _module_objects() -> dict:
    objs = dict(builtin_objects("keras.optimizers"))
    objs.update({name.lower(): cls for name, cls in list(objs.items())})
    return objs


def serialize(optimizer):
    """The Keras config dict of an optimizer."""
    return serialize_keras_object(optimizer)


def deserialize(config, custom_objects=None, use_legacy_optimizer=False):
    """An optimizer from its config dict (class names match case-insensitively, as Keras)."""
    if use_legacy_optimizer:
        raise ValueError("Legacy optimizers are not supported.")
    if isinstance(config, dict) and isinstance(config.get("class_name"), str):
        objs = _module_objects()
        name = config["class_name"]
        if name not in objs and name.lower() in objs:
            config = {**config, "class_name": objs[name.lower()].__name__}
    return deserialize_keras_object(
        config, module_objects=_module_objects(), custom_objects=custom_objects,
        printable_module_name="optimizer",
    )  # fmt: skip


def get(identifier):
    """An optimizer from a name ("adam", "Adam"), a config dict or an Optimizer instance.

    Raises:
      ValueError: if `identifier` cannot be interpreted.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is not None:
            return cls()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")
