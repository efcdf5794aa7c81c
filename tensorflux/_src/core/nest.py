"""`tf.nest`: flattening and rebuilding nested structures with TensorFlow's rules.

What nests: sequences (lists, tuples, namedtuples, deques, ranges -- not strings or bytes),
mappings (dicts, OrderedDicts, defaultdicts, any `collections.abc.Mapping`, flattened by sorted
key), mapping views, and attrs classes. Everything else, tensors and NumPy arrays included, is a
leaf. With `expand_composites=True`, composite tensors (`_is_composite_tensor`) nest too, through
their `_type_spec._to_components` / `_from_components`.
"""

from __future__ import annotations

import collections
import collections.abc as _abc
from typing import Any, Callable

_STRINGS = (str, bytes, bytearray)

__all__ = [
    "is_nested", "flatten", "pack_sequence_as", "assert_same_structure", "map_structure",
    "flatten_with_tuple_paths", "flatten_with_joined_string_paths", "map_structure_with_paths",
    "map_structure_with_tuple_paths", "flatten_up_to", "map_structure_up_to",
    "assert_shallow_structure", "is_namedtuple",
]  # fmt: skip


def is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


_is_namedtuple = is_namedtuple


def _is_attrs(x) -> bool:
    return hasattr(type(x), "__attrs_attrs__")


def _is_composite(x) -> bool:
    return getattr(x, "_is_composite_tensor", False) is True


def is_nested(seq) -> bool:
    """Whether `seq` is a structure `tf.nest` looks inside (not a leaf).

    Lists, tuples, namedtuples, other non-string sequences, mappings, mapping views and attrs
    objects are nested; strings, sets, NumPy arrays and tensors are not.

    Args:
      seq: any value.

    Returns:
      True if `seq` is nested.
    """
    if isinstance(seq, (_abc.Mapping, _abc.MappingView)):
        return True
    if isinstance(seq, _abc.Sequence):
        return not isinstance(seq, _STRINGS)
    return _is_attrs(seq)


is_sequence = is_nested


def _nested(x, expand_composites) -> bool:
    return is_nested(x) or (expand_composites and _is_composite(x))


def _children(x, expand_composites=False) -> list:
    if isinstance(x, _abc.Mapping):
        return [x[k] for k in sorted(x)]
    if _is_attrs(x):
        return [getattr(x, a.name) for a in type(x).__attrs_attrs__]
    if expand_composites and _is_composite(x):
        return list(x._type_spec._to_components(x))
    return list(x)


def _keys(x, expand_composites=False) -> list:
    """The path element of each child, in `_children` order."""
    if isinstance(x, _abc.Mapping):
        return sorted(x)
    if is_namedtuple(x):
        return list(type(x)._fields)
    if _is_attrs(x):
        return [a.name for a in type(x).__attrs_attrs__]
    return list(range(len(_children(x, expand_composites))))


def flatten(structure, expand_composites: bool = False) -> list:
    """The leaves of a nested structure, in TensorFlow's order.

    Mappings contribute their values by sorted key; a leaf (None included) flattens to a list
    holding itself.

    Args:
      structure: a nested structure or a leaf.
      expand_composites: if True, composite tensors flatten to their component tensors.

    Returns:
      A flat Python list.

    Raises:
      TypeError: if a mapping has keys that cannot be sorted.
    """
    out: list = []
    _flatten_into(structure, out, expand_composites)
    return out


def _flatten_into(x, out, expand_composites):
    if _nested(x, expand_composites):
        for c in _children(x, expand_composites):
            _flatten_into(c, out, expand_composites)
    else:
        out.append(x)


def _rebuild(template, children):
    """A structure like `template` holding `children` (in `_children` order)."""
    if isinstance(template, _abc.Mapping):
        by_key = dict(zip(sorted(template), children))
        if isinstance(template, collections.defaultdict):
            out = type(template)(template.default_factory)
            for k in template:
                out[k] = by_key[k]
            return out
        try:
            return type(template)((k, by_key[k]) for k in template)
        except TypeError as e:
            raise TypeError(
                f"Error creating an object of type {type(template)} like {template}. Note that it "
                "must accept a single positional argument representing an iterable of key-value "
                f"pairs, in addition to self. Cause: {e}"
            ) from None
    if is_namedtuple(template) or _is_attrs(template):
        return type(template)(*children)
    if _is_composite(template) and not is_nested(template):
        return template._type_spec._from_components(children)
    if isinstance(template, (list, tuple)) and type(template) in (list, tuple):
        return type(template)(children)
    try:
        return type(template)(children)
    except TypeError:
        return list(children)


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """Rebuilds `structure` with its leaves taken, in `flatten` order, from `flat_sequence`.

    Args:
      structure: the nested structure to copy; its leaves are ignored.
      flat_sequence: a flat sequence with one item per leaf of `structure`.
      expand_composites: if True, composite tensors in `structure` are rebuilt from components.

    Returns:
      A structure like `structure` holding the items of `flat_sequence`.

    Raises:
      TypeError: if `flat_sequence` is not a sequence.
      ValueError: if the number of items differs from the number of leaves.
    """
    if not is_nested(flat_sequence):
        raise TypeError(
            f"Attempted to pack value:\n  {flat_sequence}\ninto a structure, but found "
            f"incompatible type `{type(flat_sequence)}` instead."
        )
    flat = [flat_sequence[i] for i in range(len(flat_sequence))]
    if not _nested(structure, expand_composites):
        if len(flat) != 1:
            raise ValueError(
                f"The target structure is of type `{type(structure)}`\n  {structure}\nHowever the "
                f"input is a sequence ({type(flat_sequence)}) of length {len(flat)}.\n  {flat}\n"
                "nest cannot guarantee that it is safe to map one to the other."
            )
        return flat[0]
    n = len(flatten(structure, expand_composites))
    if n != len(flat):
        raise ValueError(
            f"Could not pack sequence. Structure had {n} atoms, but flat_sequence had "
            f"{len(flat)} items.  Structure: {structure}, flat_sequence: {flat}."
        )
    it = iter(flat)

    def build(t):
        if _nested(t, expand_composites):
            return _rebuild(t, [build(c) for c in _children(t, expand_composites)])
        return next(it)

    return build(structure)


# ------------------------------------------------------------------ structure comparison


def _desc(x) -> str:
    return f"type={type(x).__name__} str={x}"


class _Dot:
    def __repr__(self):
        return "."


def _dots(structure) -> str:
    """The structure with every leaf shown as "." (for error messages)."""
    dot = _Dot()

    def build(x):
        if is_nested(x):
            try:
                return _rebuild(x, [build(c) for c in _children(x)])
            except Exception:
                return dot
        return dot

    out = build(structure)
    return "." if out is dot else str(out)


def _same_namedtuple(a, b) -> bool:
    return (
        is_namedtuple(a) and is_namedtuple(b)
        and type(a).__name__ == type(b).__name__ and type(a)._fields == type(b)._fields
    )  # fmt: skip


class _Mismatch(Exception):
    def __init__(self, cls, detail):
        super().__init__(detail)
        self.cls = cls
        self.detail = detail


def _compare(a, b, check_types, expand_composites):
    na, nb = _nested(a, expand_composites), _nested(b, expand_composites)
    if na != nb:
        seq, other = (a, b) if na else (b, a)
        raise _Mismatch(
            ValueError,
            f'Substructure "{_desc(seq)}" is a sequence, while substructure "{_desc(other)}" '
            "is not",
        )
    if not na:
        return
    ta, tb = type(a), type(b)
    if check_types and ta is not tb:
        both_maps = isinstance(a, _abc.Mapping) and isinstance(b, _abc.Mapping)
        if not (both_maps or _same_namedtuple(a, b)):
            raise _Mismatch(
                TypeError,
                "The two namedtuples don't have the same sequence type. First structure "
                f"{_desc(a)} has type {ta.__name__}, while second structure {_desc(b)} has type "
                f"{tb.__name__}",
            )
    if expand_composites and _is_composite(a) and _is_composite(b):
        sa, sb = a._type_spec, b._type_spec
        if not _specs_compatible(sa, sb):
            raise _Mismatch(
                ValueError,
                f"Incompatible CompositeTensor TypeSpecs: {_desc(sa)} vs. {_desc(sb)}",
            )
    if isinstance(a, _abc.Mapping) and isinstance(b, _abc.Mapping):
        if set(a) != set(b):
            raise _Mismatch(
                ValueError,
                "The two dictionaries don't have the same set of keys. First structure has keys "
                f"{_desc(list(a))}, while second structure has keys {_desc(list(b))}",
            )
    ca, cb = _children(a, expand_composites), _children(b, expand_composites)
    if len(ca) != len(cb):
        raise _Mismatch(
            ValueError,
            "The two structures don't have the same number of elements. First structure: "
            f"{_desc(a)}. Second structure: {_desc(b)}",
        )
    for x, y in zip(ca, cb):
        _compare(x, y, check_types, expand_composites)


def _specs_compatible(sa, sb) -> bool:
    if type(sa) is not type(sb):
        return False
    strip = lambda s: s._without_tensor_names() if hasattr(s, "_without_tensor_names") else s
    sa, sb = strip(sa), strip(sb)
    if hasattr(sa, "most_specific_common_supertype"):
        return sa.most_specific_common_supertype([sb]) is not None
    if hasattr(sa, "is_compatible_with"):
        return bool(sa.is_compatible_with(sb))
    return sa == sb


def assert_same_structure(nest1, nest2, check_types: bool = True, expand_composites=False):
    """Checks that two structures nest the same way.

    Args:
      nest1: a nested structure.
      nest2: another nested structure.
      check_types: if True (default), sequence types must match too (a list is not a tuple;
        namedtuples match by name and fields; any two mappings match).
      expand_composites: if True, composite tensors are compared through their components and
        their type specs must be compatible.

    Raises:
      ValueError: if the nestings, lengths or dictionary keys differ.
      TypeError: if `check_types` and two sequence types differ.
    """
    try:
        _compare(nest1, nest2, check_types, expand_composites)
    except _Mismatch as m:
        raise m.cls(
            "The two structures don't have the same nested structure.\n\n"
            f"First structure: {_desc(nest1)}\n\nSecond structure: {_desc(nest2)}\n\n"
            f"More specifically: {m.detail}\n"
            f"Entire first structure:\n{_dots(nest1)}\nEntire second structure:\n{_dots(nest2)}"
        ) from None


def _map_kwargs(kwargs):
    check_types = kwargs.pop("check_types", True)
    expand_composites = kwargs.pop("expand_composites", False)
    if kwargs:
        names = ", ".join(f"`{k}`" for k in kwargs)
        raise ValueError(
            f"Only valid keyword arguments are `check_types` and `expand_composites`, not: {names}"
        )
    return check_types, expand_composites


def map_structure(func: Callable, *structure, **kwargs) -> Any:
    """Applies `func` to the matching leaves of one or more structures of the same nesting.

    Args:
      func: a callable taking as many arguments as there are structures.
      *structure: nested structures that `assert_same_structure` accepts together.
      **kwargs: `check_types` (default True) and `expand_composites` (default False).

    Returns:
      A structure like `structure[0]` whose leaves are `func`'s results.

    Raises:
      TypeError: if `func` is not callable, or sequence types differ under `check_types`.
      ValueError: if no structure is given, an unknown keyword is passed, or nestings differ.
    """
    if not callable(func):
        raise TypeError(f"func must be callable, got: {func}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    check_types, expand_composites = _map_kwargs(kwargs)
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types, expand_composites)
    flats = [flatten(s, expand_composites) for s in structure]
    return pack_sequence_as(
        structure[0], [func(*xs) for xs in zip(*flats)], expand_composites=expand_composites
    )


# ------------------------------------------------------------------ paths


def flatten_with_tuple_paths(structure, expand_composites: bool = False) -> list:
    """`(path, leaf)` pairs in `flatten` order; a path is the tuple of keys/indices to the leaf."""
    out = []

    def walk(x, path):
        if _nested(x, expand_composites):
            for k, c in zip(_keys(x, expand_composites), _children(x, expand_composites)):
                walk(c, path + (k,))
        else:
            out.append((path, x))

    walk(structure, ())
    return out


def flatten_with_joined_string_paths(structure, separator: str = "/", expand_composites=False):
    """`("a/0/b", leaf)` pairs in `flatten` order."""
    return [
        (separator.join(str(p) for p in path), v)
        for path, v in flatten_with_tuple_paths(structure, expand_composites)
    ]


def map_structure_with_tuple_paths(func, *structure, **kwargs):
    """Like `map_structure`, but `func(path_tuple, *leaves)` also gets each leaf's path."""
    check_types, expand_composites = _map_kwargs(kwargs)
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types, expand_composites)
    paths = [p for p, _ in flatten_with_tuple_paths(structure[0], expand_composites)]
    flats = [flatten(s, expand_composites) for s in structure]
    return pack_sequence_as(
        structure[0],
        [func(p, *xs) for p, *xs in zip(paths, *flats)],
        expand_composites=expand_composites,
    )


def map_structure_with_paths(func, *structure, **kwargs):
    """Like `map_structure`, but `func("a/0/b", *leaves)` also gets each leaf's joined path."""
    return map_structure_with_tuple_paths(
        lambda p, *xs: func("/".join(str(e) for e in p), *xs), *structure, **kwargs
    )


# ------------------------------------------------------------------ shallow structures


def assert_shallow_structure(shallow_tree, input_tree, check_types: bool = True):
    """Checks that `input_tree` nests at least as deep as `shallow_tree`, matching its shape."""
    if not is_nested(shallow_tree):
        return
    if not is_nested(input_tree):
        raise TypeError(
            "If shallow structure is a sequence, input must also be a sequence. Input has type: "
            f"{type(input_tree)}."
        )
    if check_types and type(shallow_tree) is not type(input_tree):
        both_maps = isinstance(shallow_tree, _abc.Mapping) and isinstance(input_tree, _abc.Mapping)
        if not (both_maps or _same_namedtuple(shallow_tree, input_tree)):
            raise TypeError(
                "The two structures don't have the same sequence type. Input structure has type "
                f"{type(input_tree)}, while shallow structure has type {type(shallow_tree)}."
            )
    if isinstance(shallow_tree, _abc.Mapping):
        missing = [k for k in shallow_tree if k not in input_tree]
        if missing:
            raise ValueError(
                f"The input_tree has fewer keys than the shallow_tree. Missing: {missing}."
            )
        pairs = [(shallow_tree[k], input_tree[k]) for k in sorted(shallow_tree)]
    else:
        sc, ic = _children(shallow_tree), _children(input_tree)
        if len(sc) != len(ic):
            raise ValueError(
                "The two structures don't have the same sequence length. Input structure has "
                f"length {len(ic)}, while shallow structure has length {len(sc)}."
            )
        pairs = list(zip(sc, ic))
    for s, i in pairs:
        assert_shallow_structure(s, i, check_types)


def flatten_up_to(shallow_tree, input_tree, check_types: bool = True) -> list:
    """Flattens `input_tree` only as deep as `shallow_tree`: its subtrees there are leaves."""
    assert_shallow_structure(shallow_tree, input_tree, check_types)
    out: list = []

    def walk(s, i):
        if not is_nested(s):
            out.append(i)
        elif isinstance(s, _abc.Mapping):
            for k in sorted(s):
                walk(s[k], i[k])
        else:
            for a, b in zip(_children(s), _children(i)):
                walk(a, b)

    walk(shallow_tree, input_tree)
    return out


def map_structure_up_to(shallow_tree, func, *inputs, **kwargs):
    """Applies `func` to the subtrees of `inputs` found at the leaves of `shallow_tree`."""
    check_types = kwargs.pop("check_types", True)
    if not inputs:
        raise ValueError("Cannot map over no sequences")
    flats = [flatten_up_to(shallow_tree, x, check_types) for x in inputs]
    return pack_sequence_as(shallow_tree, [func(*xs) for xs in zip(*flats)])
