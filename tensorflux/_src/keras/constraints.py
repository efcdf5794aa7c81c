"""`keras.constraints`: projections `c(weight) -> weight` applied after optimizer updates."""

from __future__ import annotations

from tensorflux._src.keras import backend
from tensorflux._src.keras.serialization import (
    builtin_objects,
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import clip_ops, math_ops, reduction_ops, unary_ops
from tensorflux._src.tensor import convert_to_tensor

_MODULE = "keras.constraints"


@register_builtin(_MODULE)
class Constraint:
    """Base class: subclasses implement `__call__(w)` returning the projected weight."""

    def __call__(self, w):
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _norms(w, axis):
    return unary_ops.sqrt(reduction_ops.reduce_sum(unary_ops.square(w), axis=axis, keepdims=True))


def _rescale(w, norms, desired):
    return w * (desired / (math_ops.cast(backend.epsilon(), w.dtype) + norms))


@register_builtin(_MODULE)
class MaxNorm(Constraint):
    """Rescales slices along `axis` whose L2 norm exceeds `max_value` down to it.

    Args:
      max_value: the largest allowed norm.
      axis: the axis (or axes) the norm is taken over; 0 for a Dense kernel's columns.
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        norms = _norms(w, self.axis)
        desired = clip_ops.clip_by_value(norms, 0, math_ops.cast(self.max_value, w.dtype))
        return _rescale(w, norms, desired)

    def get_config(self) -> dict:
        return {"max_value": self.max_value, "axis": self.axis}


@register_builtin(_MODULE)
class MinMaxNorm(Constraint):
    """Moves slice norms along `axis` into `[min_value, max_value]`, by `rate` of the way.

    Args:
      min_value: the smallest allowed norm.
      max_value: the largest allowed norm.
      rate: 1.0 projects fully; smaller values move part way (`rate * clipped + (1 - rate) *
        norm`).
      axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        dt = w.dtype
        norms = _norms(w, self.axis)
        clipped = clip_ops.clip_by_value(
            norms, math_ops.cast(self.min_value, dt), math_ops.cast(self.max_value, dt)
        )
        rate = math_ops.cast(self.rate, dt)
        desired = rate * clipped + (math_ops.cast(1.0, dt) - rate) * norms
        return _rescale(w, norms, desired)

    def get_config(self) -> dict:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


@register_builtin(_MODULE)
class NonNeg(Constraint):
    """Sets negative entries to zero."""

    def __call__(self, w):
        w = convert_to_tensor(w)
        return math_ops.maximum(w, math_ops.cast(0, w.dtype))


@register_builtin(_MODULE)
class UnitNorm(Constraint):
    """Scales slices along `axis` to unit L2 norm.

    Args:
      axis: the axis (or axes) the norm is taken over.
    """

    def __init__(self, axis=0):
        self.axis = axis

    def __call__(self, w):
        w = convert_to_tensor(w)
        return w / (math_ops.cast(backend.epsilon(), w.dtype) + _norms(w, self.axis))

    def get_config(self) -> dict:
        return {"axis": self.axis}


max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

_ALIASES = {"max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg,
            "unit_norm": UnitNorm}  # fmt: skip


def serialize(constraint):
    """The Keras config dict of a constraint."""
    return serialize_keras_object(constraint)


def deserialize(config, custom_objects=None):
    """A constraint from its config dict (or name)."""
    return deserialize_keras_object(
        config, module_objects={**builtin_objects(_MODULE), **_ALIASES},
        custom_objects=custom_objects, printable_module_name="constraint",
    )  # fmt: skip


def get(identifier):
    """A constraint from None, a name ("max_norm", "NonNeg"), a config dict, a class or a
    callable.

    Raises:
      ValueError: if `identifier` cannot be interpreted.
    """
    if identifier is None:
        return None
    obj = deserialize(identifier) if isinstance(identifier, (dict, str)) else identifier
    if isinstance(obj, type):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret constraint identifier: {identifier}")
