"""`tf.TensorSpec`: the shape, dtype and optional name that describe a tensor.

tf.function signatures, `get_concrete_function` and dataset `element_spec` use it; the composite
`TypeSpec` machinery (RaggedTensorSpec, ...) builds on the same interface later.
"""

from __future__ import annotations

from typing import Optional

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.tensor import Tensor


class TensorSpec:
    """Describes a tensor: `TensorSpec(shape=(None, 3), dtype=tf.float32, name=None)`.

    Args:
      shape: anything `tf.TensorShape` accepts; None dims and None rank mean "any".
      dtype: the element type (default float32).
      name: an optional name, used for function argument names.
    """

    __slots__ = ("_shape", "_dtype", "_name")

    def __init__(self, shape, dtype=dtypes.float32, name: Optional[str] = None):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._name = name

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def name(self) -> Optional[str]:
        return self._name

    @property
    def value_type(self):
        return Tensor

    @classmethod
    def from_tensor(cls, tensor, name: Optional[str] = None) -> TensorSpec:
        """The spec of an existing tensor (or variable), named `name` or after the tensor."""
        if name is None and isinstance(tensor, Tensor):
            try:
                name = tensor.op.name  # a graph tensor is named after its op
            except AttributeError:
                name = None  # eager tensors have no name
        return cls(tensor.shape, tensor.dtype, name)

    @classmethod
    def from_spec(cls, spec, name: Optional[str] = None) -> TensorSpec:
        """A copy of `spec` (anything with shape and dtype), renamed if `name` is given."""
        return cls(
            spec.shape, spec.dtype, name if name is not None else getattr(spec, "name", None)
        )

    def is_compatible_with(self, spec_or_tensor) -> bool:
        """True if a tensor or spec has this dtype and a shape compatible with this one."""
        if not isinstance(spec_or_tensor, (TensorSpec, Tensor)) and not getattr(
            spec_or_tensor, "_is_variable", False
        ):
            return False
        return self._dtype == spec_or_tensor.dtype and self._shape.is_compatible_with(
            spec_or_tensor.shape
        )

    def is_subtype_of(self, other) -> bool:
        """True if every tensor this spec describes is also described by `other`."""
        if not isinstance(other, TensorSpec) or other._dtype != self._dtype:
            return False
        if other._name != self._name:
            return False
        o = other._shape
        if o.rank is None:
            return True
        if self._shape.rank != o.rank:
            return False
        return all(b is None or a == b for a, b in zip(self._shape, o))

    def most_specific_common_supertype(self, others) -> Optional[TensorSpec]:
        """The narrowest spec describing this and all `others`, or None if there is none."""
        shape = self._shape
        for o in others:
            if not isinstance(o, TensorSpec) or o._dtype != self._dtype or o._name != self._name:
                return None
            shape = shape.most_specific_compatible_shape(o._shape)
        return TensorSpec(shape, self._dtype, self._name)

    def most_specific_compatible_type(self, other) -> TensorSpec:
        """The narrowest spec compatible with both; ValueError if their dtypes differ."""
        if not isinstance(other, TensorSpec) or other._dtype != self._dtype:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return TensorSpec(self._shape.most_specific_compatible_shape(other._shape), self._dtype)

    def __eq__(self, other) -> bool:
        return (
            type(other) is type(self)
            and self._dtype == other._dtype
            and self._shape == other._shape
            and self._name == other._name
        )

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self._shape, self._dtype, self._name))

    def __reduce__(self):
        return TensorSpec, (self._shape, self._dtype, self._name)

    def __repr__(self) -> str:
        name = "None" if self._name is None else repr(self._name)
        return f"TensorSpec(shape={self._shape}, dtype={self._dtype!r}, name={name})"
