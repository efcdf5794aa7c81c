"""`tf.experimental.Optional` and `tf.OptionalSpec`: a value that may be absent.

An Optional is a composite tensor made of a scalar bool `has_value` tensor followed by the flat
component tensors of its element (a nest of tensors and composite tensors described by
`element_spec`). An empty Optional made eagerly holds zero-filled placeholders for those
components, so it flattens and crosses tf.function like a full one. TensorFlow packs all of
this into one variant tensor instead; `tf.nest.flatten(opt, expand_composites=True)` therefore
lists `has_value` and the element's tensors here.

tf.data's `Iterator.get_next_as_optional` builds its results with `Optional._from_parts`.
"""

from __future__ import annotations

import abc

import numpy as np

from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core import context as _context
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec
from tensorflux._src.type_spec import TypeSpec, type_spec_from_value

_MISSING = "The given optional does not have a value."
# A traced get_value() on an empty Optional fails when the graph runs, as in TensorFlow (an
# Assert under a control dependency; guard it with tf.cond(has_value(), ...)).
_CHECK_IN_GRAPH = True


# ------------------------------------------------------------------ element structure helpers


def _leaf_specs(element_spec) -> list:
    return nest.flatten(element_spec)


def _flat_specs(element_spec) -> list:
    """The TensorSpecs of every component tensor of an element of `element_spec`."""
    out = []
    for s in _leaf_specs(element_spec):
        out.extend([s] if isinstance(s, TensorSpec) else s._flat_tensor_specs())
    return out


def _to_flat(element_spec, value) -> list:
    leaves = nest.flatten_up_to(element_spec, value, check_types=False)
    out = []
    for s, v in zip(_leaf_specs(element_spec), leaves):
        out.extend([v] if isinstance(s, TensorSpec) else s._to_tensor_list(v))
    return out


def _from_flat(element_spec, flat):
    leaves, i = [], 0
    for s in _leaf_specs(element_spec):
        if isinstance(s, TensorSpec):
            leaves.append(flat[i])
            i += 1
        else:
            k = len(s._flat_tensor_specs())
            leaves.append(s._from_tensor_list(flat[i : i + k]))
            i += k
    return nest.pack_sequence_as(element_spec, leaves)


def _normalize(value):
    """Tensors for every leaf: tuples, dicts and namedtuples are structure, lists are tensors."""
    if isinstance(value, Tensor) or getattr(value, "_is_composite_tensor", False):
        return value
    if getattr(value, "_is_variable", False):
        return value.read_value()
    if nest.is_namedtuple(value):
        return type(value)(*[_normalize(v) for v in value])
    if isinstance(value, tuple):
        return tuple(_normalize(v) for v in value)
    if isinstance(value, dict):
        return type(value)((k, _normalize(v)) for k, v in value.items())
    return convert_to_tensor(value)


def _placeholder(spec: TensorSpec) -> Tensor:
    """A zero-filled tensor of `spec` (unknown dimensions become 0, unknown rank a scalar)."""
    shape = spec.shape
    dims = [] if shape.rank is None else [d or 0 for d in shape.as_list()]
    dt = spec.dtype
    if dt == dtypes.string:
        return convert_to_tensor(np.full(dims, b"", dtype=object), dtype=dt)
    return convert_to_tensor(np.zeros(dims, dtype=dt.as_numpy_dtype), dtype=dt)


def _freeze(x):
    """A hashable stand-in for a nest of specs (dicts become sorted item tuples)."""
    if isinstance(x, dict):
        return ("dict",) + tuple((k, _freeze(x[k])) for k in sorted(x))
    if isinstance(x, (list, tuple)):
        return (type(x).__name__,) + tuple(_freeze(v) for v in x)
    return x


# ------------------------------------------------------------------ Optional


class Optional(metaclass=abc.ABCMeta):
    """A value that may or may not be present (`tf.experimental.Optional`).

    Make one with `Optional.from_value(value)` or `Optional.empty(element_spec)`; tf.data's
    `Iterator.get_next_as_optional()` returns one too. `has_value()` says whether it holds a
    value, `get_value()` returns it. Optionals cross tf.function boundaries as arguments and
    return values, described by `tf.OptionalSpec`.
    """

    _is_composite_tensor = True

    @abc.abstractmethod
    def has_value(self, name=None):
        """A scalar bool tensor: True when this Optional holds a value."""

    @abc.abstractmethod
    def get_value(self, name=None):
        """The value held; InvalidArgumentError when there is none."""

    @property
    @abc.abstractmethod
    def element_spec(self):
        """The nest of TypeSpecs describing the value (held or not)."""

    @property
    @abc.abstractmethod
    def _type_spec(self):
        """The OptionalSpec of this Optional."""

    @staticmethod
    def from_value(value):
        """An Optional holding `value` (a nest of tensors, composite tensors or values that
        convert to tensors; lists become tensors, as in tf.data)."""
        if value is None or not nest.flatten(value):
            raise errors.InvalidArgumentError(
                None, None, "Length for attr 'Toutput_types' of 0 must be at least minimum 1 "
                "[Op:OptionalFromValue]",
            )  # fmt: skip
        value = _normalize(value)
        spec = nest.map_structure(type_spec_from_value, value)
        return _OptionalImpl(convert_to_tensor(True), _to_flat(spec, value), spec)

    @staticmethod
    def empty(element_spec):
        """An Optional holding nothing, whose value would be described by `element_spec`."""
        return _OptionalImpl(convert_to_tensor(False), None, element_spec)

    @staticmethod
    def _from_parts(has_value, flat_components, element_spec):
        """An Optional from a bool tensor and the element's flat component tensors."""
        return _OptionalImpl(has_value, list(flat_components), element_spec)


class _OptionalImpl(Optional):
    """The Optional every constructor returns."""

    __slots__ = ("_has", "_flat", "_spec")

    def __init__(self, has_value, flat, element_spec):
        self._has = has_value
        self._flat = flat  # None: an eager empty Optional (placeholders made on demand)
        self._spec = element_spec

    def has_value(self, name=None):
        return self._has

    def get_value(self, name=None):
        if _known(self._has):
            if not bool(self._has.numpy()):
                raise errors.InvalidArgumentError(None, None, f"{_MISSING} [Op:OptionalGetValue]")
            return _from_flat(self._spec, self._components_flat())
        flat = self._components_flat()
        if _CHECK_IN_GRAPH and _context.ctx.graph is not None:
            flat = _guarded(self._has, flat)
        return _from_flat(self._spec, flat)

    def _components_flat(self) -> list:
        if self._flat is None:
            self._flat = [_placeholder(s) for s in _flat_specs(self._spec)]
        return self._flat

    @property
    def element_spec(self):
        return self._spec

    @property
    def _type_spec(self):
        return OptionalSpec(self._spec)

    def __repr__(self) -> str:
        if _known(self._has):
            return f"<tensorflux.experimental.Optional has_value={bool(self._has.numpy())}>"
        return "<tensorflux.experimental.Optional (symbolic)>"


def _known(t) -> bool:
    return isinstance(t, EagerTensor)


def _guarded(has, flat) -> list:
    """`flat` made to depend on an assertion that `has` is true (inside a traced function)."""
    from tensorflux._src.control_flow.asserts import Assert
    from tensorflux._src.graph.framework import control_dependencies
    from tensorflux._src.ops.array_ops import identity

    check = Assert(has, [_MISSING], name="OptionalGetValue")
    with control_dependencies([check]):
        return [identity(t) for t in flat]


# ------------------------------------------------------------------ OptionalSpec


class OptionalSpec(TypeSpec):
    """Describes a `tf.experimental.Optional` by the spec of the value it may hold.

    Args:
      element_spec: a nest of TypeSpecs (TensorSpec, SparseTensorSpec, ...).
    """

    __slots__ = ("_element_spec",)

    def __init__(self, element_spec):
        self._element_spec = element_spec

    @property
    def value_type(self):
        return _OptionalImpl

    @property
    def element_spec(self):
        return self._element_spec

    def _serialize(self) -> tuple:
        return (self._element_spec,)

    @property
    def _component_specs(self):
        return [TensorSpec([], dtypes.bool)] + _flat_specs(self._element_spec)

    def _to_components(self, value):
        if not isinstance(value, Optional):
            raise TypeError(f"Expected an Optional, got {value!r}")
        return [value._has] + value._components_flat()

    def _from_components(self, components):
        components = list(components)
        return _OptionalImpl(components[0], components[1:], self._element_spec)

    # The element spec may be a dict or tuple nest: relations walk it leaf by leaf.
    def _leaves_with(self, other):
        if type(other) is not type(self):
            return None
        try:
            nest.assert_same_structure(self._element_spec, other._element_spec)
        except (TypeError, ValueError):
            return None
        return list(zip(_leaf_specs(self._element_spec), _leaf_specs(other._element_spec)))

    def is_subtype_of(self, other) -> bool:
        pairs = self._leaves_with(other)
        return pairs is not None and all(a.is_subtype_of(b) for a, b in pairs)

    def is_compatible_with(self, spec_or_value) -> bool:
        if isinstance(spec_or_value, Optional):
            spec_or_value = spec_or_value._type_spec
        pairs = self._leaves_with(spec_or_value)
        return pairs is not None and all(a.is_compatible_with(b) for a, b in pairs)

    def most_specific_common_supertype(self, others):
        out = self._element_spec
        for o in others:
            pairs = OptionalSpec(out)._leaves_with(o)
            if pairs is None:
                return None
            leaves = [a.most_specific_common_supertype([b]) for a, b in pairs]
            if any(x is None for x in leaves):
                return None
            out = nest.pack_sequence_as(out, leaves)
        return OptionalSpec(out)

    def __eq__(self, other) -> bool:
        return type(other) is type(self) and _freeze(self._element_spec) == _freeze(
            other._element_spec
        )

    def __hash__(self) -> int:
        return hash((OptionalSpec, _freeze(self._element_spec)))

    def __repr__(self) -> str:
        return f"OptionalSpec({self._element_spec!r},)"

    @staticmethod
    def from_value(value) -> "OptionalSpec":
        """The spec of an Optional."""
        return OptionalSpec(value.element_spec)


__all__ = ["Optional", "OptionalSpec"]
