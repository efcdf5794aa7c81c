"""Trace types: the cache key of a tf.function call, and how keys relate.

A call's key is built from its bound arguments, parameter by parameter:

- tensors (and NumPy arrays, which are passed as tensors) by `TensorSpec(shape, dtype)`;
- variables by their shape and dtype (their handle is a function input);
- Python primitives (`int`, `float`, `bool`, `str`, `bytes`, `None`, ...) by value, with Python
  equality (`1`, `1.0` and `True` share a key, as in TensorFlow);
- lists, tuples, dicts and namedtuples by structure, recursively;
- composite tensors (SparseTensor, IndexedSlices, ...) by their TypeSpec; their component
  tensors are what the function is fed (see docs/design/composites.md);
- any other object by identity (a weak reference).

Keys are nested tuples whose leaves are these kinds; containers are tuples starting with a tag.
`is_subtype(a, b)` says a call keyed `a` may run a function traced for `b` (b's shapes are at least
as general); `supertype(a, b)` is the most specific key both are subtypes of (reduce_retracing).
"""

from __future__ import annotations

import weakref
from typing import Optional

import numpy as np

from tensorflux._src import type_spec as _type_spec  # noqa: F401 - IndexedSlices gets its spec
from tensorflux._src.core import dtypes, nest
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec

_PRIMITIVES = (int, float, bool, str, bytes, complex, type(None), np.generic)


class TensorKey:
    """A tensor leaf: dtype and dims (a tuple with None entries, or None for unknown rank)."""

    __slots__ = ("dtype", "dims", "_hash")

    def __init__(self, dtype, dims):
        self.dtype = dtype
        self.dims = dims
        self._hash = hash((id(dtype), dims))

    def __eq__(self, other):
        return (
            other.__class__ is TensorKey and self.dtype is other.dtype and self.dims == other.dims
        )

    def __hash__(self):
        return self._hash

    @property
    def shape(self) -> TensorShape:
        return TensorShape(None if self.dims is None else list(self.dims))

    def spec(self, name=None) -> TensorSpec:
        return TensorSpec(self.shape, self.dtype, name)

    def __repr__(self) -> str:
        return repr(self.spec())


class VariableKey(TensorKey):
    """A variable leaf: the variable's dtype and shape (no shape relaxation)."""

    __slots__ = ()

    def __eq__(self, other):
        return (
            other.__class__ is VariableKey and self.dtype is other.dtype and self.dims == other.dims
        )

    __hash__ = TensorKey.__hash__

    def __repr__(self) -> str:
        return f"VariableSpec(shape={self.shape}, dtype={self.dtype!r})"


class CompositeKey:
    """A composite tensor leaf: its TypeSpec (the components are fed, the spec is the key)."""

    __slots__ = ("spec", "_hash")

    def __init__(self, spec):
        self.spec = spec
        self._hash = hash(spec)

    def __eq__(self, other):
        return other.__class__ is CompositeKey and self.spec == other.spec

    def __hash__(self):
        return self._hash

    def __repr__(self) -> str:
        return repr(self.spec)


def _composite_key(x, flat: list) -> CompositeKey:
    spec = x._type_spec
    flat.extend(nest.flatten(spec._to_components(x), expand_composites=True))
    return CompositeKey(spec)


def _is_type_spec(x) -> bool:
    return callable(getattr(x, "_to_components", None)) and not isinstance(x, TensorSpec)


class RefKey:
    """Any other object, by identity: equal only to a key of the same live object."""

    __slots__ = ("oid", "ref", "obj")

    def __init__(self, obj):
        self.oid = id(obj)
        try:
            self.ref = weakref.ref(obj)
            self.obj = None
        except TypeError:  # not weak-referenceable: keep it alive so its id stays unique
            self.ref = None
            self.obj = obj

    def get(self):
        return self.obj if self.ref is None else self.ref()

    def __eq__(self, other):
        return other.__class__ is RefKey and self.oid == other.oid and self.get() is other.get()

    def __hash__(self):
        return self.oid

    def __repr__(self) -> str:
        return repr(self.get())


def _dims(shape) -> Optional[tuple]:
    return shape._dims if isinstance(shape, TensorShape) else TensorShape(shape)._dims


def leaf_kind(x) -> str:
    """'tensor', 'variable', 'literal', 'nest' or 'object'."""
    if isinstance(x, Tensor) or isinstance(x, np.ndarray):
        return "tensor"
    if getattr(x, "_is_variable", False):
        return "variable"
    if isinstance(x, _PRIMITIVES):
        return "literal"
    if nest.is_nested(x):
        return "nest"
    return "object"


def make_key(x, flat: list):
    """The key of value `x`; appends the values fed to the function (tensors, handles) to `flat`."""
    cls = x.__class__
    if cls is EagerTensor:
        flat.append(x)
        return TensorKey(x._dtype, tuple(x._value.shape))
    if isinstance(x, Tensor):
        flat.append(x)
        return TensorKey(x.dtype, x.shape._dims)
    if cls is np.ndarray:
        t = convert_to_tensor(x)
        flat.append(t)
        return TensorKey(t.dtype, t.shape._dims)
    if cls is TensorSpec:  # get_concrete_function(tf.TensorSpec(...))
        flat.append(x)
        return TensorKey(x.dtype, x.shape._dims)
    if cls is list or cls is tuple:
        return (cls.__name__,) + tuple(make_key(v, flat) for v in x)
    if cls is dict:
        try:
            keys = sorted(x)
        except TypeError:
            keys = list(x)
        return ("dict",) + tuple((k, make_key(x[k], flat)) for k in keys)
    if getattr(x, "_is_variable", False):
        flat.append(x)
        return VariableKey(x.dtype, x.shape._dims)
    if isinstance(x, _PRIMITIVES):
        return x
    if getattr(x, "_is_composite_tensor", False):
        return _composite_key(x, flat)
    if _is_type_spec(x):  # get_concrete_function(tf.SparseTensorSpec(...))
        flat.extend(x._flat_tensor_specs())
        return CompositeKey(x)
    if nest.is_namedtuple(x):
        return ("namedtuple", cls) + tuple(make_key(v, flat) for v in x)
    if nest.is_nested(x):
        raise NotImplementedError(
            f"tf.function arguments of type {cls.__name__} (composite or attrs structures) are "
            "not supported yet"
        )
    return RefKey(x)


def _is_container(k) -> bool:
    return k.__class__ is tuple


def is_subtype(a, b) -> bool:
    """True if a call keyed `a` can run the function traced for key `b`."""
    if a.__class__ is TensorKey and b.__class__ is TensorKey:
        if a.dtype is not b.dtype:
            return False
        if b.dims is None:
            return True
        if a.dims is None or len(a.dims) != len(b.dims):
            return False
        return all(y is None or x == y for x, y in zip(a.dims, b.dims))
    if a.__class__ is CompositeKey or b.__class__ is CompositeKey:
        return a.__class__ is b.__class__ and a.spec.is_subtype_of(b.spec)
    if _is_container(a) and _is_container(b):
        if len(a) != len(b) or a[0] != b[0]:
            return False
        start = 2 if a[0] == "namedtuple" else 1
        if start == 2 and a[1] is not b[1]:
            return False
        if a[0] == "dict":
            return all(x[0] == y[0] and is_subtype(x[1], y[1]) for x, y in zip(a[1:], b[1:]))
        return all(is_subtype(x, y) for x, y in zip(a[start:], b[start:]))
    if _is_container(a) or _is_container(b):
        return False
    return a.__class__ is b.__class__ and a == b or (_literal_eq(a, b))


def _literal_eq(a, b) -> bool:
    if isinstance(a, (TensorKey, RefKey, CompositeKey)) or isinstance(
        b, (TensorKey, RefKey, CompositeKey)
    ):
        return False
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - odd __eq__ implementations
        return False


def _common_dims(a, b):
    if a is None or b is None or len(a) != len(b):
        return None
    return tuple(x if x == y else None for x, y in zip(a, b))


def supertype(a, b):
    """The most specific key that `a` and `b` are both subtypes of, or None if there is none."""
    if a.__class__ is TensorKey and b.__class__ is TensorKey:
        if a.dtype is not b.dtype:
            return None
        return TensorKey(a.dtype, _common_dims(a.dims, b.dims))
    if a.__class__ is CompositeKey and b.__class__ is CompositeKey:
        s = a.spec.most_specific_common_supertype([b.spec])
        return None if s is None else CompositeKey(s)
    if _is_container(a) and _is_container(b):
        if len(a) != len(b) or a[0] != b[0]:
            return None
        start = 2 if a[0] == "namedtuple" else 1
        if start == 2 and a[1] is not b[1]:
            return None
        out = list(a[:start])
        for x, y in zip(a[start:], b[start:]):
            if a[0] == "dict":
                if x[0] != y[0]:
                    return None
                s = supertype(x[1], y[1])
                if s is None:
                    return None
                out.append((x[0], s))
            else:
                s = supertype(x, y)
                if s is None:
                    return None
                out.append(s)
        return tuple(out)
    if is_subtype(a, b):
        return a
    return None


def without_tensors(k):
    """The key with every tensor leaf replaced by one marker (compares Python parts only)."""
    if isinstance(k, TensorKey):
        return "<tensor>"
    if k.__class__ is CompositeKey:
        return ("<composite>", type(k.spec))
    if k.__class__ is tuple:
        if k and k[0] == "dict":
            return ("dict",) + tuple((kk, without_tensors(v)) for kk, v in k[1:])
        return tuple(without_tensors(v) for v in k)
    return k


def key_from_spec(spec):
    """The key of a nested input_signature entry (TensorSpecs and containers of them)."""
    if _is_type_spec(spec):
        return CompositeKey(spec)
    if isinstance(spec, TensorSpec) or (
        hasattr(spec, "shape") and isinstance(getattr(spec, "dtype", None), dtypes.DType)
    ):
        return TensorKey(spec.dtype, _dims(spec.shape))
    if isinstance(spec, (list, tuple)) and not nest.is_namedtuple(spec):
        return (type(spec).__name__,) + tuple(key_from_spec(s) for s in spec)
    if isinstance(spec, dict):
        return ("dict",) + tuple((k, key_from_spec(spec[k])) for k in sorted(spec))
    if nest.is_namedtuple(spec):
        return ("namedtuple", type(spec)) + tuple(key_from_spec(s) for s in spec)
    return make_key(spec, [])


# ------------------------------------------------------------------ printing (TensorFlow's look


def type_text(k) -> str:
    """A key as TensorFlow prints trace types: `TensorSpec(...)`, `Literal[2]`, `List[...]`."""
    if isinstance(k, TensorKey):
        if k.__class__ is VariableKey:
            return "TensorSpec(shape=(), dtype=tf.resource, name=None)"
        return repr(k.spec())
    if isinstance(k, RefKey):
        return f"Ref[{k.get()!r}]"
    if k.__class__ is CompositeKey:
        return repr(k.spec)
    if _is_container(k):
        tag = k[0]
        if tag == "dict":
            return "Dict[" + ", ".join(f"[{kk!r}, {type_text(v)}]" for kk, v in k[1:]) + "]"
        if tag == "namedtuple":
            cls = k[1]
            items = ", ".join(f"[{f!r}, {type_text(v)}]" for f, v in zip(cls._fields, k[2:]))
            return f"{cls.__name__}[{items}]"
        name = "List" if tag == "list" else "Tuple"
        return f"{name}[" + ", ".join(type_text(v) for v in k[1:]) + "]"
    return f"Literal[{k!r}]"


def value_type_text(v) -> str:
    """The trace type of an output value (a symbolic tensor, a nest of them, a Python value)."""
    if isinstance(v, Tensor):
        return repr(TensorSpec(v.shape, v.dtype))
    if getattr(v, "_is_composite_tensor", False):
        return repr(v._type_spec)
    if nest.is_namedtuple(v):
        items = ", ".join(f"[{f!r}, {value_type_text(x)}]" for f, x in zip(v._fields, v))
        return f"{type(v).__name__}[{items}]"
    if isinstance(v, dict):
        return "Dict[" + ", ".join(f"[{k!r}, {value_type_text(x)}]" for k, x in v.items()) + "]"
    if isinstance(v, list):
        return "List[" + ", ".join(value_type_text(x) for x in v) + "]"
    if isinstance(v, tuple):
        return "Tuple[" + ", ".join(value_type_text(x) for x in v) + "]"
    return f"Literal[{v!r}]"
