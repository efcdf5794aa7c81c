"""`tf.experimental.ExtensionType`: user-defined composite tensors declared by annotated fields.

A subclass lists its fields as class annotations (`values: tf.Tensor`, `name: str = "x"`).
The class gets a constructor that checks and converts the field values (extension_type_fields),
immutability after construction, `__eq__` and `__repr__`, and a nested `Spec` class (a TypeSpec)
whose components are the tensor and composite fields, so values flow through tf.nest
(expand_composites), tf.function and GradientTape. `BatchableExtensionType` values can also be
batched and unbatched by tf.data, field by field.
"""

from __future__ import annotations

import inspect

import numpy as np

from tensorflux._src import extension_type_fields as _f
from tensorflux._src.core import errors, nest
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec
from tensorflux._src.type_spec import BatchableTypeSpec, TypeSpec, _compatible, _subtype
from tensorflux._src.type_spec import _NONE, _supertype

_BUILDING = "_tfx_building"  # instance flag: set while a constructor may assign fields
_SPEC_CACHE = "_tfx_spec"


# ------------------------------------------------------------------ spec relations


def _walk(a, b, leaf):
    """Combines two stored field specs leaf by leaf; `_NONE` when their structures differ."""
    if isinstance(a, _f.ImmutableDict) and isinstance(b, _f.ImmutableDict):
        if set(a) != set(b):
            return _NONE
        out = {k: _walk(a[k], b[k], leaf) for k in a}
        return _NONE if any(v is _NONE for v in out.values()) else _f.ImmutableDict(out)
    if isinstance(a, tuple) and isinstance(b, tuple):
        if len(a) != len(b):
            return _NONE
        out = tuple(_walk(x, y, leaf) for x, y in zip(a, b))
        return _NONE if any(v is _NONE for v in out) else out
    return leaf(a, b)


def _as_test(fn):
    return lambda a, b: True if fn(a, b) else _NONE


class ExtensionTypeSpec(TypeSpec):
    """The TypeSpec of an ExtensionType: one entry per field, tensors described by TensorSpecs.

    Each ExtensionType subclass `T` gets its own subclass `T.Spec`, built with the same field
    names as `T` (`T.Spec(values=tf.TensorSpec(...), ...)`).
    """

    __slots__ = ("_tfx_values",)
    value_type = None  # set on each generated Spec class

    def __init__(self, *args, **kwargs):
        cls = self.value_type
        if cls is None:
            raise TypeError("ExtensionTypeSpec is abstract: use the `Spec` of an ExtensionType.")
        bound = cls._tfx_signature.bind(*args, **kwargs)
        bound.apply_defaults()
        vals = {}
        for fld in cls._tfx_fields:
            v = bound.arguments[fld.name]
            if fld.default is not _f._NOTHING and v is fld.default:
                v = _f.spec_of_value(_f.convert(v, fld.annotation, fld.name))
            else:
                v = _f.convert(v, fld.annotation, fld.name, for_spec=True)
            vals[fld.name] = v
        self._tfx_values = vals

    @classmethod
    def _from_field_specs(cls, vals: dict):
        out = object.__new__(cls)
        out._tfx_values = vals
        return out

    def __getattr__(self, name):
        vals = object.__getattribute__(self, "_tfx_values")
        if name in vals:
            return vals[name]
        raise AttributeError(f"{type(self).__qualname__!r} object has no attribute {name!r}")

    def _serialize(self) -> tuple:
        return tuple(self._tfx_values.values())

    @classmethod
    def _deserialize(cls, serialization):
        return cls._from_field_specs(dict(zip(cls._names(), serialization)))

    @classmethod
    def _names(cls):
        return [f.name for f in cls.value_type._tfx_fields]

    @property
    def _component_specs(self):
        out: list = []
        for v in self._tfx_values.values():
            _f.spec_leaves(v, out)
        return out

    def _to_components(self, value):
        out: list = []
        for name in self._tfx_values:
            _f.value_leaves(value.__dict__[name], out)
        return out

    def _from_tensor_list(self, tensors):
        # Composite component specs (SparseTensorSpec, ...) take several tensors each.
        tensors, comps, i = list(tensors), [], 0
        for s in self._component_specs:
            if isinstance(s, TensorSpec):
                comps.append(tensors[i])
                i += 1
            else:
                k = len(s._flat_tensor_specs())
                comps.append(s._from_tensor_list(tensors[i : i + k]))
                i += k
        return self._from_components(comps)

    def _from_components(self, components):
        leaves = iter(components)
        vals = {n: _f.rebuild(s, leaves) for n, s in self._tfx_values.items()}
        return self.value_type._tfx_from_fields(vals)

    # --- relations and identity -----------------------------------------------------------------

    def _pairwise(self, other, leaf):
        if type(other) is not type(self):
            return _NONE
        return _walk(
            tuple(self._tfx_values.values()), tuple(other._tfx_values.values()), leaf
        )

    def is_subtype_of(self, other) -> bool:
        return self._pairwise(other, _as_test(_subtype)) is not _NONE

    def is_compatible_with(self, spec_or_value) -> bool:
        if getattr(spec_or_value, "_is_composite_tensor", False):
            spec_or_value = spec_or_value._type_spec
        return self._pairwise(spec_or_value, _as_test(_compatible)) is not _NONE

    def most_specific_common_supertype(self, others):
        out = self
        for o in others:
            ser = out._pairwise(o, _supertype)
            if ser is _NONE:
                return None
            out = self._deserialize(ser)
        return out

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and self._frozen() == other._frozen()

    def __hash__(self) -> int:
        return hash((type(self), self._frozen()))

    def _frozen(self):
        return tuple(_f.freeze(v) for v in self._tfx_values.values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={_f.spec_repr(v)}" for k, v in self._tfx_values.items())
        return f"{self.value_type.__name__}.Spec({inner})"

    @classmethod
    def from_value(cls, value):
        """The spec of `value` (an instance of this spec's ExtensionType)."""
        return value._type_spec


class ExtensionTypeBatchEncoder:
    """How a BatchableExtensionType is batched (`tf.experimental.ExtensionTypeBatchEncoder`).

    This default encodes a value as its tensor and composite fields, and batches by giving each
    of them a new leading dimension. A subclass set as `__batch_encoder__` on a
    BatchableExtensionType can choose another encoding (e.g. concatenated values plus lengths).
    """

    def batch(self, spec, batch_size):
        """The spec of `batch_size` values of `spec` batched (None: unknown count)."""

        def one(s):
            if isinstance(s, TensorSpec):
                return TensorSpec(TensorShape([batch_size]).concatenate(s.shape), s.dtype)
            return s._batch(batch_size)

        return _map_field_specs(spec, one)

    def unbatch(self, spec):
        """The spec of one value of a batch described by `spec`."""

        def one(s):
            if isinstance(s, TensorSpec):
                if s.shape.rank == 0:
                    raise ValueError("Unbatching a tensor is only supported for rank >= 1")
                return TensorSpec(s.shape[1:], s.dtype)
            return s._unbatch()

        return _map_field_specs(spec, one)

    def encode(self, spec, value, minimum_rank=0):
        """`value` (of `spec`) as a tuple of batchable parts: tensors and composites."""
        return tuple(spec._to_components(value))

    def decode(self, spec, encoded_value):
        """The value of `spec` made from the parts `encode` returned."""
        return spec._from_components(list(encoded_value))

    def encoding_specs(self, spec):
        """The specs of the parts `encode` returns for values of `spec`."""
        return tuple(spec._component_specs)


_DEFAULT_ENCODER = ExtensionTypeBatchEncoder()


def _map_field_specs(spec, fn):
    return spec._from_field_specs({k: _f.map_specs(v, fn) for k, v in spec._tfx_values.items()})


class BatchableExtensionTypeSpec(ExtensionTypeSpec, BatchableTypeSpec):
    """The spec of a BatchableExtensionType: batching goes through the type's
    `__batch_encoder__` (by default, every tensor field gets a new leading dimension)."""

    __slots__ = ()

    def _encoder(self):
        return getattr(self.value_type, "__batch_encoder__", None) or _DEFAULT_ENCODER

    def _batch(self, batch_size):
        return self._encoder().batch(self, batch_size)

    def _unbatch(self):
        return self._encoder().unbatch(self)

    def _stack_values(self, values: list):
        enc = self._encoder()
        specs = enc.encoding_specs(self)
        columns = list(zip(*[enc.encode(self, v) for v in values])) or [()] * len(specs)
        stacked = []
        for j, (s, col) in enumerate(zip(specs, columns)):
            if not isinstance(s, TensorSpec):
                stacked.append(s._stack_values(list(col)))
                continue
            arrays = [np.asarray(t.numpy()) for t in col]
            for i, a in enumerate(arrays[1:], 1):
                if a.shape != arrays[0].shape:
                    raise errors.InvalidArgumentError(
                        None, None,
                        f"Cannot batch tensors with different shapes in component {j}. First "
                        f"element had shape {list(arrays[0].shape)} and element {i} had shape "
                        f"{list(a.shape)}.",
                    )  # fmt: skip
            stacked.append(convert_to_tensor(np.stack(arrays), dtype=s.dtype))
        return enc.decode(self._batch(len(values)), stacked)

    def _unstack_value(self, value) -> list:
        enc = self._encoder()
        per_part = []
        for s, t in zip(enc.encoding_specs(self), enc.encode(self, value)):
            if isinstance(s, TensorSpec):
                arr = np.asarray(t.numpy())
                per_part.append([convert_to_tensor(arr[i], dtype=s.dtype) for i in range(len(arr))])
            else:
                per_part.append(s._unstack_value(t))
        n = len(per_part[0]) if per_part else 0
        one = self._unbatch()
        return [enc.decode(one, [col[i] for col in per_part]) for i in range(n)]


# ------------------------------------------------------------------ the value classes


class ExtensionType:
    """Base class of user-defined composite tensors (`tf.experimental.ExtensionType`).

    Subclasses declare fields with annotations; see the module docstring for what is supported.
    Values are immutable once constructed; `__validate__(self)`, when defined, runs after the
    fields are converted. `T.Spec` is the TypeSpec class of `T`.
    """

    _tfx_base = True
    _tfx_extension_type = True
    _is_composite_tensor = True
    _tfx_fields: list = []
    _tfx_spec_base = ExtensionTypeSpec

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "_tfx_base" in cls.__dict__:
            return
        fields = _f.fields_of(cls)
        cls._tfx_fields = fields
        for fld in fields:
            if fld.name in cls.__dict__:
                delattr(cls, fld.name)
        params = [
            inspect.Parameter(
                fld.name, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=inspect.Parameter.empty if fld.default is _f._NOTHING else fld.default,
            )
            for fld in fields
        ]  # fmt: skip
        try:
            cls._tfx_signature = inspect.Signature(params)
        except ValueError as e:
            raise TypeError(f"In {cls.__name__}: {e}") from None
        if "__init__" in cls.__dict__:
            cls.__init__ = _wrap_init(cls.__dict__["__init__"])
        else:
            cls.__init__ = _generated_init
            cls.__init__.__signature__ = inspect.Signature(
                [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)] + params
            )
        user_spec = cls.__dict__.get("Spec")
        base = cls._tfx_spec_base
        bases = (user_spec, base) if isinstance(user_spec, type) else (base,)
        body = {
            "value_type": cls, "__module__": cls.__module__,
            "__qualname__": f"{cls.__qualname__}.Spec", "__slots__": (),
        }  # fmt: skip
        cls.Spec = type(f"{cls.__name__}.Spec", bases, body)

    def __init__(self, *args, **kwargs):
        _generated_init(self, *args, **kwargs)

    @classmethod
    def _tfx_from_fields(cls, vals: dict):
        """An instance holding already-converted field values (no __init__, no __validate__)."""
        out = object.__new__(cls)
        out.__dict__.update(vals)
        return out

    def _tfx_finish(self) -> None:
        """Fills defaults, converts the fields, runs __validate__."""
        d = self.__dict__
        missing = {f.name for f in self._tfx_fields if f.name not in d and f.default is _f._NOTHING}
        if missing:
            raise ValueError(f"Missing required fields: {missing}")
        for fld in self._tfx_fields:
            v = d.get(fld.name, fld.default)
            d[fld.name] = _f.convert(v, fld.annotation, fld.name)
        validate = getattr(type(self), "__validate__", None)
        if validate is not None:
            validate(self)

    @property
    def _type_spec(self):
        spec = self.__dict__.get(_SPEC_CACHE)
        if spec is None:
            vals = {f.name: _f.spec_of_value(self.__dict__[f.name]) for f in self._tfx_fields}
            spec = type(self).Spec._from_field_specs(vals)
            object.__setattr__(self, _SPEC_CACHE, spec)
        return spec

    def __getattr__(self, name):  # only reached for names that are not fields
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __setattr__(self, name, value):
        if self.__dict__.get(_BUILDING):
            object.__setattr__(self, name, value)
            return
        raise AttributeError(
            f"Cannot mutate attribute `{name}` outside the custom constructor of ExtensionType."
        )

    def __delattr__(self, name):
        if self.__dict__.get(_BUILDING):
            object.__delattr__(self, name)
            return
        raise AttributeError(
            f"Cannot mutate attribute `{name}` outside the custom constructor of ExtensionType."
        )

    def __repr__(self) -> str:
        inner = ", ".join(f"{f.name}={self.__dict__[f.name]!r}" for f in self._tfx_fields)
        return f"{type(self).__name__}({inner})"

    def __eq__(self, other):
        from tensorflux._src.ops.array_ops import stack
        from tensorflux._src.ops.math_ops import equal
        from tensorflux._src.ops.reduction_ops import reduce_all

        if type(other) is not type(self) or self._type_spec != other._type_spec:
            return False
        a = nest.flatten(self, expand_composites=True)
        b = nest.flatten(other, expand_composites=True)
        if not a:
            return convert_to_tensor(True)
        return reduce_all(stack([reduce_all(equal(x, y)) for x, y in zip(a, b)]))

    def __ne__(self, other):
        from tensorflux._src.ops.math_ops import logical_not

        eq = self.__eq__(other)
        return logical_not(eq) if isinstance(eq, Tensor) else not eq

    __hash__ = None


class BatchableExtensionType(ExtensionType):
    """An ExtensionType whose values tf.data can batch and unbatch: every tensor field gets a
    new leading dimension (`tf.experimental.BatchableExtensionType`)."""

    _tfx_base = True
    _tfx_spec_base = BatchableExtensionTypeSpec


def _generated_init(self, *args, **kwargs):
    cls = type(self)
    bound = cls._tfx_signature.bind(*args, **kwargs)
    d = self.__dict__
    inside = d.get(_BUILDING)  # called from a custom __init__ (super().__init__(...))
    d.update(bound.arguments)
    if not inside:
        d[_BUILDING] = True
        try:
            self._tfx_finish()
        finally:
            d.pop(_BUILDING, None)


def _wrap_init(user_init):
    def __init__(self, *args, **kwargs):
        d = self.__dict__
        if d.get(_BUILDING):
            user_init(self, *args, **kwargs)
            return
        d[_BUILDING] = True
        try:
            user_init(self, *args, **kwargs)
            self._tfx_finish()
        finally:
            d.pop(_BUILDING, None)

    __init__.__wrapped__ = user_init
    __init__.__doc__ = user_init.__doc__
    return __init__


__all__ = [
    "BatchableExtensionType",
    "ExtensionTypeBatchEncoder",
    "BatchableExtensionTypeSpec",
    "ExtensionType",
    "ExtensionTypeSpec",
]
