"""The fields of a `tf.experimental.ExtensionType`: reading annotations, checking and converting.

Each annotation becomes a converter that takes a field value (or, for the type's `Spec`, a
field spec) and returns the stored value, raising TypeError with TensorFlow's message
(`x: expected 'int', got 'str'`). Supported annotations: `tf.Tensor`, Python scalars
(int, float, str, bytes, bool, None), `tf.TensorShape`, `tf.DType`, composite tensor classes
(SparseTensor, RaggedTensor, other ExtensionTypes), TypeSpec classes, and `typing.Tuple`,
`typing.Mapping`, `typing.Union` / `typing.Optional` of these.
"""

from __future__ import annotations

import collections.abc
import typing

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec
from tensorflux._src.type_spec import TypeSpec

_SCALARS = (int, float, str, bytes, bool, type(None))
_NOTHING = object()  # marks a field with no default value


class ImmutableDict(collections.abc.Mapping):
    """A read-only dict: the stored form of `typing.Mapping` fields."""

    __slots__ = ("_d",)

    def __init__(self, *args, **kwargs):
        self._d = dict(*args, **kwargs)

    def __getitem__(self, key):
        return self._d[key]

    def __iter__(self):
        return iter(self._d)

    def __len__(self):
        return len(self._d)

    def __repr__(self) -> str:
        return f"ImmutableDict({self._d!r})"


class Field:
    """One field: its name, annotation and default (`_NOTHING` when required)."""

    __slots__ = ("name", "annotation", "default")

    def __init__(self, name, annotation, default=_NOTHING):
        self.name = name
        self.annotation = annotation
        self.default = default
        check_annotation(annotation, name)

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, annotation={self.annotation!r})"


def _is_extension_type(t) -> bool:
    return isinstance(t, type) and getattr(t, "_tfx_extension_type", False)


def check_annotation(ann, name) -> None:
    """TypeError if `ann` is not an annotation ExtensionType fields support."""
    origin = typing.get_origin(ann)
    if origin is not None:
        args = typing.get_args(ann)
        if origin in (tuple, typing.Tuple):
            for a in args:
                if a is not Ellipsis:
                    check_annotation(a, name)
            return
        if origin in (collections.abc.Mapping, dict, typing.Mapping):
            for a in args:
                check_annotation(a, name)
            return
        if origin is typing.Union:
            for a in args:
                check_annotation(a, name)
            return
    ok = (
        ann in _SCALARS
        or ann is None
        or ann is Tensor
        or ann in (TensorShape, dtypes.DType)
        or (isinstance(ann, type) and issubclass(ann, TypeSpec))
        or (isinstance(ann, type) and getattr(ann, "_is_composite_tensor", False))
        or ann in (tuple, typing.Tuple)
    )
    if not ok:
        shown = getattr(ann, "__name__", repr(ann))
        raise TypeError(f"In field {name!r}: Unsupported type annotation {shown!r}")


def _type_name(ann) -> str:
    if typing.get_origin(ann) is not None:
        return repr(ann)
    if ann is Tensor:
        return "Tensor"
    if ann is None or ann is type(None):
        return "NoneType"
    return getattr(ann, "__name__", repr(ann))


def _mismatch(path, ann, value, for_spec):
    want = _type_name(ann)
    if for_spec and ann is Tensor:
        return TypeError(f"{path}: expected a TensorSpec, got {type(value).__name__!r}")
    if ann is Tensor:
        return TypeError(f"{path}: expected a Tensor, got {type(value).__name__!r}")
    if typing.get_origin(ann) is not None:
        return TypeError(f"{path}: expected {want}, got {type(value).__name__!r}")
    return TypeError(f"{path}: expected {want!r}, got {type(value).__name__!r}")


def convert(value, ann, path: str, for_spec: bool = False):
    """`value` checked against annotation `ann` and converted to its stored form.

    For a type's Spec (`for_spec`), tensor fields take TensorSpecs and composite fields take the
    composites' TypeSpecs; everything else is checked as for values.
    """
    origin = typing.get_origin(ann)
    if origin is typing.Union:
        for option in typing.get_args(ann):
            try:
                return convert(value, option, path, for_spec)
            except (TypeError, ValueError):
                continue
        raise _mismatch(path, ann, value, for_spec)
    if origin in (tuple, typing.Tuple) or ann in (tuple, typing.Tuple):
        if not isinstance(value, (tuple, list)):
            raise _mismatch(path, ann, value, for_spec)
        args = typing.get_args(ann)
        if not args:
            return tuple(value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(convert(v, args[0], f"{path}[{i}]", for_spec) for i, v in enumerate(value))
        if len(args) != len(value):
            raise TypeError(f"{path}: expected a tuple of length {len(args)}, got {len(value)}")
        return tuple(convert(v, a, f"{path}[{i}]", for_spec)
                     for i, (v, a) in enumerate(zip(value, args)))  # fmt: skip
    if origin in (collections.abc.Mapping, dict, typing.Mapping):
        if not isinstance(value, collections.abc.Mapping):
            raise _mismatch(path, ann, value, for_spec)
        kt, vt = typing.get_args(ann) or (typing.Any, typing.Any)
        out = {}
        for k, v in value.items():
            kk = k if kt is typing.Any else convert(k, kt, f"{path}[<key>]", for_spec)
            out[kk] = v if vt is typing.Any else convert(v, vt, f"{path}[{k!r}]", for_spec)
        return ImmutableDict(out)
    if ann is Tensor:
        if for_spec:
            if isinstance(value, TensorSpec):
                return value
            raise _mismatch(path, ann, value, for_spec)
        return _to_tensor(value, path)
    if ann is TensorShape:
        try:
            return as_shape(value)
        except (TypeError, ValueError):
            raise _mismatch(path, ann, value, for_spec) from None
    if ann is dtypes.DType:
        try:
            return dtypes.as_dtype(value)
        except (TypeError, ValueError):
            raise _mismatch(path, ann, value, for_spec) from None
    if ann is None or ann is type(None):
        if value is not None:
            raise _mismatch(path, type(None), value, for_spec)
        return None
    if ann in _SCALARS:
        if not isinstance(value, ann):
            raise _mismatch(path, ann, value, for_spec)
        return value
    if isinstance(ann, type) and getattr(ann, "_is_composite_tensor", False):
        if for_spec:
            spec_cls = getattr(ann, "Spec", None) if _is_extension_type(ann) else TypeSpec
            if isinstance(value, spec_cls or TypeSpec):
                return value
            raise TypeError(
                f"{path}: expected {(spec_cls or TypeSpec).__name__!r}, "
                f"got {type(value).__name__!r}"
            )
        if not isinstance(value, ann):
            raise _mismatch(path, ann, value, for_spec)
        return value
    if isinstance(ann, type) and issubclass(ann, TypeSpec):
        if not isinstance(value, ann):
            raise _mismatch(path, ann, value, for_spec)
        return value
    raise _mismatch(path, ann, value, for_spec)


def _to_tensor(value, path):
    if isinstance(value, Tensor):
        return value
    if getattr(value, "_is_variable", False):
        return value.read_value()
    if getattr(value, "_is_composite_tensor", False):
        raise TypeError(f"{path}: expected a Tensor, got {type(value).__name__!r}")
    try:
        return convert_to_tensor(value)
    except (TypeError, ValueError):
        raise TypeError(f"{path}: expected a Tensor, got {type(value).__name__!r}") from None


def fields_of(cls) -> list:
    """The fields of ExtensionType subclass `cls`: annotations of its bases, then its own."""
    seen: dict = {}
    for klass in reversed(cls.__mro__):
        own = klass.__dict__.get("__annotations__", {})
        if not own or "_tfx_base" in klass.__dict__:
            continue
        try:
            hints = typing.get_type_hints(klass)
        except (NameError, TypeError):
            hints = dict(own)
        for name in own:
            ann = hints.get(name, own[name])
            if typing.get_origin(ann) is typing.ClassVar or name.startswith("_tf"):
                continue
            default = klass.__dict__.get(name, _NOTHING)
            if default is _NOTHING and name in seen:
                default = seen[name].default
            seen.pop(name, None)
            seen[name] = Field(name, ann, default)
    return list(seen.values())


# ------------------------------------------------------------------ field values <-> specs


def spec_of_value(v):
    """The spec form of a stored field value (tensors -> TensorSpec, composites -> TypeSpec)."""
    if isinstance(v, Tensor):
        return TensorSpec(v.shape, v.dtype)
    if getattr(v, "_is_composite_tensor", False):
        return v._type_spec
    if isinstance(v, tuple):
        return tuple(spec_of_value(x) for x in v)
    if isinstance(v, ImmutableDict):
        return ImmutableDict((k, spec_of_value(x)) for k, x in v.items())
    return v


def value_leaves(v, out: list) -> list:
    """Appends the tensors and composite values inside stored field value `v`."""
    if isinstance(v, Tensor) or getattr(v, "_is_composite_tensor", False):
        out.append(v)
    elif isinstance(v, tuple):
        for x in v:
            value_leaves(x, out)
    elif isinstance(v, ImmutableDict):
        for k in sorted(v):
            value_leaves(v[k], out)
    return out


def spec_leaves(s, out: list) -> list:
    """Appends the TensorSpecs and TypeSpecs inside a stored field spec `s`."""
    if isinstance(s, (TensorSpec, TypeSpec)):
        out.append(s)
    elif isinstance(s, tuple):
        for x in s:
            spec_leaves(x, out)
    elif isinstance(s, ImmutableDict):
        for k in sorted(s):
            spec_leaves(s[k], out)
    return out


def rebuild(s, leaves):
    """The field value for spec `s`, its tensor/composite leaves taken from iterator `leaves`."""
    if isinstance(s, (TensorSpec, TypeSpec)):
        return next(leaves)
    if isinstance(s, tuple):
        return tuple(rebuild(x, leaves) for x in s)
    if isinstance(s, ImmutableDict):
        got = {k: rebuild(s[k], leaves) for k in sorted(s)}
        return ImmutableDict((k, got[k]) for k in s)
    return s


def map_specs(s, fn):
    """`s` with every TensorSpec/TypeSpec leaf replaced by `fn(leaf)`."""
    if isinstance(s, (TensorSpec, TypeSpec)):
        return fn(s)
    if isinstance(s, tuple):
        return tuple(map_specs(x, fn) for x in s)
    if isinstance(s, ImmutableDict):
        return ImmutableDict((k, map_specs(x, fn)) for k, x in s.items())
    return s


def freeze(s):
    """A hashable, comparable form of a stored field spec."""
    if isinstance(s, tuple):
        return ("tuple",) + tuple(freeze(x) for x in s)
    if isinstance(s, ImmutableDict):
        return ("dict",) + tuple((k, freeze(s[k])) for k in sorted(s))
    return s


def spec_repr(s) -> str:
    if isinstance(s, ImmutableDict):
        return "{" + ", ".join(f"{k!r}: {spec_repr(v)}" for k, v in s.items()) + "}"
    if isinstance(s, tuple):
        inner = ", ".join(spec_repr(x) for x in s)
        return f"({inner},)" if len(s) == 1 else f"({inner})"
    return repr(s)
