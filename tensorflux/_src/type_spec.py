"""`tf.TypeSpec`: the description of a composite value, and how it splits into tensors.

A composite value (SparseTensor, IndexedSlices, RaggedTensor later) is a Python object made of
component tensors. Its TypeSpec says how: `_component_specs` describes the components,
`_to_components(value)` takes a value apart and `_from_components(components)` puts it back.
`tf.nest(expand_composites=True)`, tf.function signatures and tracing, and later tf.data and saved
models only use this protocol (docs/design/composites.md).

Specs compare and hash by `(type, _serialize())`; the generic `is_subtype_of`,
`most_specific_common_supertype` and `is_compatible_with` walk the serialization, relaxing
`TensorShape`s and requiring everything else (dtypes, flags) to be equal.
"""

from __future__ import annotations

import abc
from typing import Optional

from tensorflux._src.core import dtypes, nest
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.indexed_slices import IndexedSlices
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec


class TypeSpec(metaclass=abc.ABCMeta):
    """Describes a value that tf.function, tf.nest and tf.data can take apart and rebuild.

    Subclasses define `value_type`, `_component_specs`, `_to_components`, `_from_components`
    and `_serialize` (a tuple of the constructor's arguments). `tf.TensorSpec` is registered as a
    virtual subclass, so `isinstance(tf.TensorSpec(...), tf.TypeSpec)` holds as in TensorFlow.
    """

    __slots__ = ()

    @property
    @abc.abstractmethod
    def value_type(self):
        """The Python type of the values this spec describes."""

    @property
    @abc.abstractmethod
    def _component_specs(self):
        """A nest of TensorSpecs (or TypeSpecs) describing the components."""

    @abc.abstractmethod
    def _to_components(self, value):
        """The components of `value`, a nest shaped like `_component_specs`."""

    @abc.abstractmethod
    def _from_components(self, components):
        """The value made from `components` (a nest shaped like `_component_specs`)."""

    @abc.abstractmethod
    def _serialize(self) -> tuple:
        """The constructor arguments, as a tuple: `type(self)(*self._serialize())` is a copy."""

    @classmethod
    def _deserialize(cls, serialization):
        return cls(*serialization)

    # --- relations ------------------------------------------------------------------------------

    def is_subtype_of(self, other) -> bool:
        """True if every value this spec describes is also described by `other`."""
        if type(other) is not type(self):
            return False
        return _subtype(self._serialize(), other._serialize())

    def most_specific_common_supertype(self, others) -> Optional["TypeSpec"]:
        """The narrowest spec of this type describing this spec and all `others`, or None."""
        ser = self._serialize()
        for o in others:
            if type(o) is not type(self):
                return None
            ser = _supertype(ser, o._serialize())
            if ser is _NONE:
                return None
        return self._deserialize(ser)

    def is_compatible_with(self, spec_or_value) -> bool:
        """True if `spec_or_value` (a spec or a value) could be described by a common spec."""
        if not isinstance(spec_or_value, TypeSpec):
            try:
                spec_or_value = type_spec_from_value(spec_or_value)
            except (TypeError, ValueError):
                return False
        if type(spec_or_value) is not type(self):
            return False
        return _compatible(self._serialize(), spec_or_value._serialize())

    def most_specific_compatible_type(self, other) -> "TypeSpec":
        """Like `most_specific_common_supertype([other])`, raising ValueError when none exists."""
        out = self.most_specific_common_supertype([other])
        if out is None:
            raise ValueError(f"No TypeSpec is compatible with both {self} and {other}")
        return out

    # --- flattening -----------------------------------------------------------------------------

    def _flat_tensor_specs(self) -> list:
        """The TensorSpecs of the components, flattened (composites inside expand too)."""
        out = []
        for s in nest.flatten(self._component_specs):
            if isinstance(s, TensorSpec):
                out.append(s)
            else:
                out.extend(s._flat_tensor_specs())
        return out

    def _to_tensor_list(self, value) -> list:
        return nest.flatten(self._to_components(value), expand_composites=True)

    def _from_tensor_list(self, tensors):
        # Each component spec takes its share of the flat tensors: one for a TensorSpec, its
        # own flat count for a composite one (rebuilt by that spec).
        tensors, leaves, i = list(tensors), [], 0
        for s in nest.flatten(self._component_specs):
            if isinstance(s, TensorSpec):
                leaves.append(tensors[i])
                i += 1
            else:
                k = len(s._flat_tensor_specs())
                leaves.append(s._from_tensor_list(tensors[i : i + k]))
                i += k
        return self._from_components(nest.pack_sequence_as(self._component_specs, leaves))

    # --- identity -------------------------------------------------------------------------------

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._serialize() == other._serialize()

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((type(self), self._serialize()))

    def __reduce__(self):
        return type(self)._deserialize, (self._serialize(),)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(repr(x) for x in self._serialize())})"


TypeSpec.register(TensorSpec)


class BatchableTypeSpec(TypeSpec):
    """A TypeSpec whose values can be stacked along a new leading dimension (tf.data batch)."""

    __slots__ = ()

    @abc.abstractmethod
    def _batch(self, batch_size) -> "BatchableTypeSpec":
        """The spec of `batch_size` values of this spec stacked (None: unknown count)."""

    @abc.abstractmethod
    def _unbatch(self) -> "BatchableTypeSpec":
        """The spec of one element of a batch described by this spec."""

    # tf.data batches and slices composite elements eagerly through these two.
    def _stack_values(self, values: list):
        """One eager value of `self._batch(len(values))` holding `values` (all of this spec)."""
        raise NotImplementedError(f"tf.data cannot batch values of {type(self).__name__} yet")

    def _unstack_value(self, value) -> list:
        """The eager values of `self._unbatch()` that make up `value` along its first axis."""
        raise NotImplementedError(f"tf.data cannot unbatch values of {type(self).__name__} yet")


# ------------------------------------------------------------------ serialization relations

_NONE = object()


def _subtype(a, b) -> bool:
    if isinstance(a, TensorShape) and isinstance(b, TensorShape):
        if b.rank is None:
            return True
        if a.rank != b.rank:
            return False
        return all(y is None or x == y for x, y in zip(a.as_list(), b.as_list()))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_subtype(x, y) for x, y in zip(a, b))
    if isinstance(a, TypeSpec) and isinstance(b, TypeSpec):
        return a.is_subtype_of(b)
    return type(a) is type(b) and a == b


def _supertype(a, b):
    if isinstance(a, TensorShape) and isinstance(b, TensorShape):
        return a.most_specific_compatible_shape(b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        if len(a) != len(b):
            return _NONE
        out = tuple(_supertype(x, y) for x, y in zip(a, b))
        return _NONE if any(x is _NONE for x in out) else out
    if isinstance(a, TypeSpec) and isinstance(b, TypeSpec):
        s = a.most_specific_common_supertype([b])
        return _NONE if s is None else s
    return a if type(a) is type(b) and a == b else _NONE


def _compatible(a, b) -> bool:
    if isinstance(a, TensorShape) and isinstance(b, TensorShape):
        return a.is_compatible_with(b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_compatible(x, y) for x, y in zip(a, b))
    if isinstance(a, TypeSpec) and isinstance(b, TypeSpec):
        return a.is_compatible_with(b)
    return type(a) is type(b) and a == b


# ------------------------------------------------------------------ IndexedSlicesSpec


class IndexedSlicesSpec(TypeSpec):
    """Describes a `tf.IndexedSlices`: dense shape and dtype, index dtype and count.

    Args:
      shape: the dense shape (None: unknown).
      dtype: the values' dtype.
      indices_dtype: the indices' dtype (int64 by default).
      dense_shape_dtype: the dense_shape tensor's dtype, or None when values carry none.
      indices_shape: the shape of `indices` (default `[None]`).
    """

    __slots__ = ("_shape", "_dtype", "_indices_dtype", "_dense_shape_dtype", "_indices_shape")

    def __init__(
        self,
        shape=None,
        dtype=dtypes.float32,
        indices_dtype=dtypes.int64,
        dense_shape_dtype=None,
        indices_shape=None,
    ):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)
        self._indices_dtype = dtypes.as_dtype(indices_dtype)
        self._dense_shape_dtype = (
            None if dense_shape_dtype is None else dtypes.as_dtype(dense_shape_dtype)
        )
        self._indices_shape = as_shape(indices_shape if indices_shape is not None else [None])

    value_type = property(lambda self: IndexedSlices)
    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)

    def _serialize(self) -> tuple:
        return (
            self._shape, self._dtype, self._indices_dtype, self._dense_shape_dtype,
            self._indices_shape,
        )  # fmt: skip

    @property
    def _component_specs(self):
        rows = self._indices_shape.as_list() if self._indices_shape.rank is not None else None
        if self._shape.rank is None:
            vshape = TensorShape(None)
        else:
            lead = rows[0] if rows else None
            vshape = TensorShape([lead] + self._shape.as_list()[1:])
        specs = [
            TensorSpec(vshape, self._dtype),
            TensorSpec(self._indices_shape, self._indices_dtype),
        ]
        if self._dense_shape_dtype is not None:
            specs.append(TensorSpec([self._shape.rank], self._dense_shape_dtype))
        return specs

    def _to_components(self, value):
        if value.dense_shape is None:
            return [value.values, value.indices]
        return [value.values, value.indices, value.dense_shape]

    def _from_components(self, components):
        return IndexedSlices(*components)

    @classmethod
    def from_value(cls, value) -> "IndexedSlicesSpec":
        ds = value.dense_shape
        return cls(
            value.shape, value.dtype, value.indices.dtype, None if ds is None else ds.dtype,
            value.indices.shape,
        )  # fmt: skip


# IndexedSlices (a layer-1 class) gets its spec here, so that it flows through tf.function.
IndexedSlices._type_spec = property(IndexedSlicesSpec.from_value)


# ------------------------------------------------------------------ tf.type_spec_from_value


def type_spec_from_value(value) -> TypeSpec:
    """The TypeSpec describing `value`.

    Tensors (and values convertible to tensors) give a `tf.TensorSpec` of their shape and dtype;
    composite values (SparseTensor, IndexedSlices, ...) give their own spec.

    Args:
      value: a tensor, composite tensor, or a value `tf.convert_to_tensor` accepts.

    Returns:
      A `tf.TypeSpec`.

    Raises:
      TypeError: if no TypeSpec describes `value`.
    """
    if isinstance(value, Tensor):
        return TensorSpec(value.shape, value.dtype)
    if getattr(value, "_is_composite_tensor", False):
        return value._type_spec
    if getattr(value, "_is_variable", False):
        return TensorSpec(value.shape, value.dtype)
    try:
        t = convert_to_tensor(value)
    except (TypeError, ValueError):
        t = None
    if t is not None:
        return TensorSpec(t.shape, t.dtype)
    raise TypeError(f"Could not build a TypeSpec for {value!r} of unsupported type {type(value)}.")


__all__ = ["TypeSpec", "BatchableTypeSpec", "IndexedSlicesSpec", "type_spec_from_value"]
