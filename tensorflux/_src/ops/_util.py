"""Helpers shared by op modules: the public-function wrapper and static-shape utilities."""

from __future__ import annotations

from typing import Optional

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor, static_value

__all__ = [
    "as_tensor",
    "convert_alike",
    "static_int_list",
    "static_shape_of",
    "EagerTensor",
    "Tensor",
    "convert_to_tensor",
    "static_value",
    "dtypes",
    "np",
    "TensorShape",
]


def as_tensor(x, dtype=None, dtype_hint=None) -> Tensor:
    if isinstance(x, Tensor) and dtype is None:
        return x
    return convert_to_tensor(x, dtype=dtype, dtype_hint=dtype_hint)


def static_int_list(t) -> Optional[list]:
    """A shape-like input (list, tuple, array, tensor) as Python ints, or None if not static."""
    if isinstance(t, (list, tuple)):
        if all(isinstance(v, (int, np.integer)) for v in t):
            return [int(v) for v in t]
        vals = [static_value(v) if isinstance(v, Tensor) else v for v in t]
        if any(v is None for v in vals):
            return None
        return [int(v) for v in vals]
    v = static_value(t) if isinstance(t, Tensor) else np.asarray(t)
    if v is None:
        return None
    return [int(e) for e in np.asarray(v).reshape(-1)]


def static_shape_of(value) -> TensorShape:
    """The static shape a shape-valued input describes (dims from its constant value, else None)."""
    vals = static_int_list(value)
    if vals is not None:
        return TensorShape([None if v < 0 else v for v in vals])
    shp = value.shape if isinstance(value, Tensor) else TensorShape(None)
    n = shp[0] if shp.rank == 1 else None
    return TensorShape(None if n is None else [None] * n)


def convert_alike(values) -> list:
    """Converts the values of one op argument list the way TensorFlow does: to the dtype of the
    first tensor among them, or with none, to the dtype the first value converts to."""
    hint = next((v.dtype for v in values if isinstance(v, Tensor)), None)
    out = []
    for v in values:
        t = v if isinstance(v, Tensor) else as_tensor(v, dtype=hint)
        hint = hint or t.dtype
        out.append(t)
    return out
