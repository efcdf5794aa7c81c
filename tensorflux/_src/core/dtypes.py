"""TensorFlow's dtypes: `tf.DType` objects backed by NumPy (and ml_dtypes) scalar types."""

from __future__ import annotations

import builtins
from typing import Any

import ml_dtypes
import numpy as np


class DType:
    """A tensor element type, such as `tf.float32` or `tf.string`.

    Instances are singletons: compare them with `==` or `is`.
    """

    __slots__ = ("_name", "_np", "_enum", "__weakref__")

    def __init__(self, name: str, np_type: Any, enum: int):
        self._name = name
        self._np = np.dtype(np_type) if np_type is not None else None
        self._enum = enum

    @property
    def name(self) -> str:
        return self._name

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type (`np.float32`, ...); `object` for strings."""
        if self._np is None:
            return None
        return object if self._enum == 7 else self._np.type

    @property
    def as_datatype_enum(self) -> int:
        return self._enum

    @property
    def base_dtype(self) -> DType:
        return self

    @property
    def real_dtype(self) -> DType:
        if self is complex64:
            return float32
        if self is complex128:
            return float64
        return self

    @property
    def is_floating(self) -> bool:
        return self in _FLOATING

    @property
    def is_integer(self) -> bool:
        return self in _INTEGER

    @property
    def is_unsigned(self) -> bool:
        return self in _UNSIGNED

    @property
    def is_complex(self) -> bool:
        return self is complex64 or self is complex128

    @property
    def is_bool(self) -> bool:
        return self is bool

    @property
    def is_numeric(self) -> bool:
        return self in _NUMERIC

    @property
    def is_quantized(self) -> bool:
        return False

    @property
    def is_numpy_compatible(self) -> bool:
        """Whether NumPy can hold values of this dtype (all but resource and variant)."""
        return self._np is not None

    @property
    def size(self) -> int:
        if self._np is None or self._enum == 7:  # resource, variant, string
            return 1 if self._np is None else 0
        return self._np.itemsize

    @property
    def min(self):
        """The smallest representable value; raises TypeError for bool, complex and strings."""
        if self.is_floating:
            return self._np.type(ml_dtypes.finfo(self._np).min)
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        raise TypeError(f"Cannot find minimum value of {self} with type {self}.")

    @property
    def max(self):
        """The largest representable value; raises TypeError for bool, complex and strings."""
        if self.is_floating:
            return self._np.type(ml_dtypes.finfo(self._np).max)
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        raise TypeError(f"Cannot find maximum value of {self} with type {self}.")

    @property
    def limits(self):
        """TensorFlow's image-range limits `(0, max)`: 1 for float32/64, the range for ints.

        Raises:
          ValueError: for dtypes without such a range (float16, bfloat16, complex, string).
        """
        if self.is_integer:
            return (0, int(np.iinfo(self._np).max))
        if self is bool:
            return (0, True)
        if self is float32 or self is float64:
            return (0, 1)
        raise ValueError(f"{self} does not have defined limits.")

    def is_compatible_with(self, other) -> bool:
        return self is as_dtype(other)

    def __eq__(self, other) -> bool:
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return self._enum

    def __reduce__(self):
        return as_dtype, (self._name,)

    def __repr__(self) -> str:
        return f"tf.{self._name}"

    def __str__(self) -> str:
        return f"<dtype: '{self._name}'>"


# Enum values are TensorFlow's DataType numbers, so graphs and saved models can name them.
float16 = DType("float16", np.float16, 19)
half = float16
float32 = DType("float32", np.float32, 1)
float64 = DType("float64", np.float64, 2)
double = float64
bfloat16 = DType("bfloat16", ml_dtypes.bfloat16, 14)
int8 = DType("int8", np.int8, 6)
int16 = DType("int16", np.int16, 5)
int32 = DType("int32", np.int32, 3)
int64 = DType("int64", np.int64, 9)
uint8 = DType("uint8", np.uint8, 4)
uint16 = DType("uint16", np.uint16, 17)
uint32 = DType("uint32", np.uint32, 22)
uint64 = DType("uint64", np.uint64, 23)
bool = DType("bool", np.bool_, 10)  # noqa: A001 - TensorFlow's public name
complex64 = DType("complex64", np.complex64, 8)
complex128 = DType("complex128", np.complex128, 18)
string = DType("string", np.object_, 7)
resource = DType("resource", None, 20)
variant = DType("variant", None, 21)

_FLOATING = frozenset([float16, float32, float64, bfloat16])
_UNSIGNED = frozenset([uint8, uint16, uint32, uint64])
_INTEGER = frozenset([int8, int16, int32, int64]) | _UNSIGNED
_NUMERIC = _FLOATING | _INTEGER | {complex64, complex128}

ALL = (
    float16, float32, float64, bfloat16, int8, int16, int32, int64,
    uint8, uint16, uint32, uint64, bool, complex64, complex128, string,
)  # fmt: skip

_BY_NAME = {d.name: d for d in ALL + (resource, variant)}
_BY_NAME.update(half=float16, double=float64, float=float32)
_BY_NP = {d._np: d for d in ALL}
_BY_ENUM = {d.as_datatype_enum: d for d in ALL + (resource, variant)}
_BY_PY = {float: float32, object: string}  # TensorFlow takes no other Python type


def as_dtype(type_value) -> DType:
    """Converts a DType, NumPy dtype, type name, enum or Python type to a `tf.DType`.

    Raises:
      TypeError: if `type_value` names no TensorFlow dtype.
    """
    if isinstance(type_value, DType):
        return type_value
    d = None
    if isinstance(type_value, str):
        d = _BY_NAME.get(type_value)
    elif type_value is builtins.bool:
        d = bool
    elif isinstance(type_value, int) and not isinstance(type_value, builtins.bool):
        d = _BY_ENUM.get(type_value)
    else:
        d = _BY_PY.get(type_value) if isinstance(type_value, type) else None
        if d is None and not any(type_value is t for t in (None, int, complex, str, bytes)):
            try:
                npd = np.dtype(type_value)
            except TypeError:
                npd = None
            if npd is not None:
                d = _BY_NP.get(npd) or (string if npd.kind in "SU" else None)
    if d is None:
        raise TypeError(
            f"Cannot convert the argument `type_value`: {type_value!r} to a TensorFlow DType."
        )
    return d


def from_numpy(np_dtype) -> DType:
    """The DType of a NumPy dtype, with strings (bytes/str/object) mapping to `tf.string`."""
    d = _BY_NP.get(np_dtype)
    if d is not None:
        return d
    if np_dtype.kind in "SUO":
        return string
    raise TypeError(f"Unsupported NumPy dtype for a Tensor: {np_dtype}")


FLOATING = (float16, bfloat16, float32, float64)
INTEGER = (int8, int16, int32, int64, uint8, uint16, uint32, uint64)
SIGNED_INTEGER = (int8, int16, int32, int64)
COMPLEX = (complex64, complex128)
REAL_NUMERIC = FLOATING + INTEGER
NUMERIC = REAL_NUMERIC + COMPLEX
