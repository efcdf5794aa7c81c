"""`keras.losses`: the `Loss` base, every built-in loss class and function, get/serialize."""

from __future__ import annotations

import inspect

from tensorflux._src.keras import serialization as _ser
from tensorflux._src.keras.losses import classes as _classes
from tensorflux._src.keras.losses import functions as _functions
from tensorflux._src.keras.losses.classes import *  # noqa: F403
from tensorflux._src.keras.losses.functions import *  # noqa: F403
from tensorflux._src.keras.losses.functions import (  # noqa: F401
    KLD,
    MAE,
    MAPE,
    MSE,
    MSLE,
    kld,
    kullback_leibler_divergence,
    logcosh,
    mae,
    mape,
    mse,
    msle,
)
from tensorflux._src.keras.losses.loss import Loss, LossFunctionWrapper, Reduction  # noqa: F401


def _all_objects() -> dict:
    out = {}
    for mod in (_classes, _functions):
        for name, obj in vars(mod).items():
            if name.startswith("_") or name.isupper():
                continue
            if inspect.isclass(obj) and issubclass(obj, _classes.Loss):
                out[obj.__name__] = obj
            elif inspect.isfunction(obj) and obj.__module__ == _functions.__name__:
                out[obj.__name__] = obj
    out["Loss"] = Loss
    out["LossFunctionWrapper"] = LossFunctionWrapper
    for alias, fn in (
        ("bce", _functions.binary_crossentropy),
        ("BCE", _functions.binary_crossentropy),
        ("kld", kld),
        ("KLD", kld),
        ("mae", mae),
        ("MAE", mae),
        ("mse", mse),
        ("MSE", mse),
        ("mape", mape),
        ("MAPE", mape),
        ("msle", msle),
        ("MSLE", msle),
    ):
        out[alias] = fn
    return out


def serialize(loss):
    """The Keras config of a loss object or function.

    Args:
      loss: a `Loss` instance or a loss function.

    Returns:
      A config dict.
    """
    return _ser.serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """Builds a loss from a config dict or name.

    Args:
      name: a config dict or a registered name ("mse", "binary_crossentropy", ...).
      custom_objects: extra `{name: object}` to resolve names.

    Returns:
      A `Loss` instance or a loss function.
    """
    return _ser.deserialize_keras_object(
        name,
        module_objects=_all_objects(),
        custom_objects=custom_objects,
        printable_module_name="loss function",
    )


def get(identifier):
    """Resolves a loss from None, a name, a config dict, a `Loss` or a function.

    Args:
      identifier: what to resolve.

    Returns:
      The loss (None for None); a class name gives a new instance.

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
    raise ValueError(f"Could not interpret loss identifier: {identifier}")
