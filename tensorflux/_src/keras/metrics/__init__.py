"""`keras.metrics`: the `Metric` base, every built-in metric and get/serialize/deserialize."""

from __future__ import annotations

import inspect

from tensorflux._src.keras import serialization as _ser
from tensorflux._src.keras.metrics import accuracy as _accuracy
from tensorflux._src.keras.metrics import base as _base
from tensorflux._src.keras.metrics import confusion as _confusion
from tensorflux._src.keras.metrics import f_score as _f_score
from tensorflux._src.keras.metrics import iou as _iou
from tensorflux._src.keras.metrics import probabilistic as _probabilistic
from tensorflux._src.keras.metrics import regression as _regression
from tensorflux._src.keras.metrics.base import Metric

_MODULES = (_base, _accuracy, _confusion, _f_score, _iou, _probabilistic, _regression)
_ALIASES = {
    "bce": "BinaryCrossentropy",
    "BCE": "BinaryCrossentropy",
    "mse": "MeanSquaredError",
    "MSE": "MeanSquaredError",
    "mae": "MeanAbsoluteError",
    "MAE": "MeanAbsoluteError",
    "mape": "MeanAbsolutePercentageError",
    "MAPE": "MeanAbsolutePercentageError",
    "msle": "MeanSquaredLogarithmicError",
    "MSLE": "MeanSquaredLogarithmicError",
}


def _all_objects() -> dict:
    from tensorflux._src.keras.backend import to_snake_case

    out = {}
    for mod in _MODULES:
        for name, obj in vars(mod).items():
            if inspect.isclass(obj) and issubclass(obj, Metric) and not name.startswith("_"):
                if obj is _base.Reduce:
                    continue
                out[obj.__name__] = obj
    for name, obj in list(out.items()):
        out[to_snake_case(name)] = obj
    for alias, name in _ALIASES.items():
        out[alias] = out[name]
    return out


def serialize(metric):
    """The Keras config of a metric object or function.

    Args:
      metric: a `Metric` instance or a metric function.

    Returns:
      A config dict.
    """
    return _ser.serialize_keras_object(metric)


def deserialize(config, custom_objects=None):
    """Builds a metric from a config dict or name.

    Args:
      config: a config dict or a registered name.
      custom_objects: extra `{name: object}` to resolve names.

    Returns:
      A `Metric` instance, class or function.
    """
    return _ser.deserialize_keras_object(
        config,
        module_objects=_all_objects(),
        custom_objects=custom_objects,
        printable_module_name="metric function",
    )


def get(identifier):
    """Resolves a metric from None, a name, a config dict, a `Metric` or a function.

    Args:
      identifier: what to resolve.

    Returns:
      The metric (None for None); names of classes give new instances.

    Raises:
      ValueError: if the identifier cannot be interpreted.
    """
    if identifier is None:
        return None
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, str):
        obj = _all_objects().get(identifier)
        if obj is None:
            obj = _ser.get_registered_object(identifier)
    else:
        obj = identifier
    if callable(obj):
        if inspect.isclass(obj):
            obj = obj()
        return obj
    raise ValueError(f"Could not interpret metric identifier: {identifier}")
