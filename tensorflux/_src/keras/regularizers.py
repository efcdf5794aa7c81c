"""`keras.regularizers`: penalties `reg(weight) -> scalar` added to a layer's `losses`."""

from __future__ import annotations

import numpy as np

from tensorflux._src.keras.serialization import (
    builtin_objects,
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.ops import linalg_ops, math_ops, reduction_ops, unary_ops
from tensorflux._src.tensor import convert_to_tensor

_MODULE = "keras.regularizers"


def _check_factor(name, value):
    ok = isinstance(value, (int, float, np.number)) and not isinstance(value, bool)
    if not ok or value < 0:
        raise ValueError(
            f"Invalid value for argument {name}: expected a non-negative float."
            f"Received: {name}={value}"
        )
    return value


def _float32(value) -> float:
    # Keras keeps these factors in a float32 tensor, so its configs show the rounded value.
    return float(np.float32(value))


@register_builtin(_MODULE)
class Regularizer:
    """Base class: subclasses implement `__call__(x)` returning a scalar penalty."""

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self) -> dict:
        raise NotImplementedError(f"{self} does not implement get_config()")


@register_builtin(_MODULE)
class L1(Regularizer):
    """`l1 * sum(abs(x))`.

    Args:
      l1: the non-negative factor (None means 0.01).
    """

    def __init__(self, l1=0.01):
        l1 = 0.01 if l1 is None else l1
        self.l1 = _float32(_check_factor("l1", l1))

    def __call__(self, x):
        x = convert_to_tensor(x)
        return math_ops.cast(self.l1, x.dtype) * reduction_ops.reduce_sum(unary_ops.abs(x))

    def get_config(self) -> dict:
        return {"l1": self.l1}


@register_builtin(_MODULE)
class L2(Regularizer):
    """`l2 * sum(square(x))`.

    Args:
      l2: the non-negative factor (None means 0.01).
    """

    def __init__(self, l2=0.01):
        l2 = 0.01 if l2 is None else l2
        self.l2 = _check_factor("l2", l2)

    def __call__(self, x):
        x = convert_to_tensor(x)
        return math_ops.cast(self.l2, x.dtype) * reduction_ops.reduce_sum(unary_ops.square(x))

    def get_config(self) -> dict:
        return {"l2": float(self.l2)}


@register_builtin(_MODULE)
class L1L2(Regularizer):
    """`l1 * sum(abs(x)) + l2 * sum(square(x))`.

    Args:
      l1: the L1 factor (None means 0).
      l2: the L2 factor (None means 0).
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check_factor("l1", 0.0 if l1 is None else l1)
        self.l2 = _check_factor("l2", 0.0 if l2 is None else l2)

    def __call__(self, x):
        x = convert_to_tensor(x)
        total = math_ops.cast(0.0, x.dtype)
        if self.l1:
            total = total + math_ops.cast(self.l1, x.dtype) * reduction_ops.reduce_sum(
                unary_ops.abs(x)
            )
        if self.l2:
            total = total + math_ops.cast(self.l2, x.dtype) * reduction_ops.reduce_sum(
                unary_ops.square(x)
            )
        return total

    def get_config(self) -> dict:
        return {"l1": float(self.l1), "l2": float(self.l2)}


@register_builtin(_MODULE)
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards orthogonality.

    The penalty is `factor` times the mean absolute cosine similarity over distinct pairs of
    rows ("rows") or columns ("columns").

    Args:
      factor: the non-negative factor.
      mode: "rows" or "columns".

    Raises:
      ValueError: for an unknown mode, or (when called) an input that is not 2-D.
    """

    def __init__(self, factor=0.01, mode="rows"):
        self.factor = _float32(_check_factor("factor", factor))
        if mode not in ("rows", "columns"):
            raise ValueError(
                'Invalid value for argument `mode`. Expected one of {"rows", "columns"}. '
                f"Received: mode={mode}"
            )
        self.mode = mode

    def __call__(self, inputs):
        x = convert_to_tensor(inputs)
        if len(x.shape) != 2:
            raise ValueError(
                "Inputs to OrthogonalRegularizer must have rank 2. "
                f"Received: inputs.shape={tuple(x.shape)}"
            )
        if self.mode == "rows":
            x = reduction_ops.l2_normalize(x, axis=1)
            gram = linalg_ops.matmul(x, x, transpose_b=True)
        else:
            x = reduction_ops.l2_normalize(x, axis=0)
            gram = linalg_ops.matmul(x, x, transpose_a=True)
        n = int(gram.shape[0])
        off = gram * math_ops.cast(1.0 - np.eye(n), x.dtype)
        size = float(n * (n - 1)) if n > 1 else 1.0
        total = reduction_ops.reduce_sum(unary_ops.abs(off)) / math_ops.cast(size, x.dtype)
        return math_ops.cast(self.factor, x.dtype) * total

    def get_config(self) -> dict:
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_ALIASES = {"l1": L1, "l2": L2, "l1_l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}


def serialize(regularizer):
    """The Keras config dict of a regularizer."""
    return serialize_keras_object(regularizer)


def deserialize(config, custom_objects=None):
    """A regularizer from its config dict (or name)."""
    return deserialize_keras_object(
        config, module_objects={**builtin_objects(_MODULE), **_ALIASES},
        custom_objects=custom_objects, printable_module_name="regularizer",
    )  # fmt: skip


def get(identifier):
    """A regularizer from None, a name ("l2", "L1L2"), a config dict, a class or a callable.

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
    raise ValueError(f"Could not interpret regularizer identifier: {identifier}")
