"""`tf.nest`: flattening and rebuilding nested structures with TensorFlow's ordering rules.

Sequences (lists, tuples, namedtuples), dicts (by sorted key) and attrs classes nest; everything
else (tensors included) is a leaf. Composite tensors expand to their components with
`expand_composites=True` through their `_type_spec`.
"""

from __future__ import annotations

import collections.abc as _abc
from typing import Any, Callable


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _is_attrs(x) -> bool:
    return hasattr(type(x), "__attrs_attrs__")


def is_nested(seq) -> bool:
    """True for lists, tuples, dicts, mappings and attrs objects (not strings or tensors)."""
    return isinstance(seq, (list, tuple, dict, _abc.Mapping)) or _is_attrs(seq)


is_sequence = is_nested


def _sorted_keys(d):
    try:
        return sorted(d)
    except TypeError:
        raise TypeError("nest only supports dicts with sortable keys.") from None


def _children(x, expand_composites=False) -> list:
    if isinstance(x, (dict, _abc.Mapping)):
        return [x[k] for k in _sorted_keys(x)]
    if _is_attrs(x):
        return [getattr(x, a.name) for a in type(x).__attrs_attrs__]
    if expand_composites and _is_composite(x):
        return list(x._type_spec._to_components(x))
    return list(x)


def _is_composite(x) -> bool:
    return getattr(x, "_is_composite_tensor", False)


def _nested(x, expand_composites) -> bool:
    return is_nested(x) or (expand_composites and _is_composite(x))


def flatten(structure, expand_composites: bool = False) -> list:
    """The leaves of `structure` in TensorFlow's order; a leaf itself flattens to `[leaf]`."""
    if structure is None:
        return [None]
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
    if isinstance(template, (dict, _abc.Mapping)):
        keys = _sorted_keys(template)
        pairs = dict(zip(keys, children))
        if isinstance(template, collections_defaultdict):
            d = type(template)(template.default_factory)
            for k in template:
                d[k] = pairs[k]
            return d
        try:
            return type(template)((k, pairs[k]) for k in template)
        except TypeError:
            return {k: pairs[k] for k in template}
    if _is_namedtuple(template):
        return type(template)(*children)
    if _is_attrs(template):
        return type(template)(*children)
    if isinstance(template, (list, tuple)):
        try:
            return type(template)(children)
        except TypeError:
            return list(children) if isinstance(template, list) else tuple(children)
    if _is_composite(template):
        return template._type_spec._from_components(children)
    return children


import collections as _collections  # noqa: E402

collections_defaultdict = _collections.defaultdict


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """Rebuilds `structure` with its leaves taken in order from `flat_sequence`."""
    flat = list(flat_sequence)
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
    pos = [0]

    def build(t):
        if _nested(t, expand_composites):
            return _rebuild(t, [build(c) for c in _children(t, expand_composites)])
        v = flat[pos[0]]
        pos[0] += 1
        return v

    return build(structure)


def assert_same_structure(nest1, nest2, check_types: bool = True, expand_composites=False):
    """Raises ValueError (or TypeError for differing sequence types) if the nestings differ."""

    def walk(a, b):
        na, nb = _nested(a, expand_composites), _nested(b, expand_composites)
        if na != nb:
            raise ValueError(
                "The two structures don't have the same nested structure.\n\n"
                f"First structure: {nest1}\n\nSecond structure: {nest2}"
            )
        if not na:
            return
        if check_types and type(a) is not type(b):
            if not (isinstance(a, _abc.Mapping) and isinstance(b, _abc.Mapping)):
                raise TypeError(
                    "The two structures don't have the same sequence type. Input structure has "
                    f"type {type(a)}, while shallow structure has type {type(b)}."
                )
        if isinstance(a, _abc.Mapping) and set(a) != set(b):
            raise ValueError(
                "The two dictionaries don't have the same set of keys. First structure has keys "
                f"{list(a)}, while second structure has keys {list(b)}."
            )
        ca, cb = _children(a, expand_composites), _children(b, expand_composites)
        if len(ca) != len(cb):
            raise ValueError(
                "The two structures don't have the same number of elements.\n\n"
                f"First structure: {nest1}\n\nSecond structure: {nest2}"
            )
        for x, y in zip(ca, cb):
            walk(x, y)

    walk(nest1, nest2)


def map_structure(func: Callable, *structure, **kwargs) -> Any:
    """Applies `func` to matching leaves of one or more structures of the same nesting."""
    check_types = kwargs.pop("check_types", True)
    expand_composites = kwargs.pop("expand_composites", False)
    if kwargs:
        raise ValueError(f"Only valid keyword arguments are `check_types` and `expand_composites`, not: {tuple(kwargs)}")
    if not structure:
        raise ValueError("Must provide at least one structure")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types, expand_composites)
    flats = [flatten(s, expand_composites) for s in structure]
    return pack_sequence_as(
        structure[0], [func(*xs) for xs in zip(*flats)], expand_composites=expand_composites
    )


def flatten_with_joined_string_paths(structure, separator: str = "/", expand_composites=False):
    """Pairs of ("a/0/b", leaf) for every leaf, in flatten order."""
    return [
        (separator.join(str(p) for p in path), v)
        for path, v in flatten_with_tuple_paths(structure, expand_composites)
    ]


def flatten_with_tuple_paths(structure, expand_composites: bool = False) -> list:
    out = []

    def walk(x, path):
        if _nested(x, expand_composites):
            if isinstance(x, _abc.Mapping):
                keys = _sorted_keys(x)
            elif _is_namedtuple(x):
                keys = list(type(x)._fields)
            elif _is_attrs(x):
                keys = [a.name for a in type(x).__attrs_attrs__]
            else:
                keys = list(range(len(_children(x, expand_composites))))
            for k, c in zip(keys, _children(x, expand_composites)):
                walk(c, path + (k,))
        else:
            out.append((path, x))

    walk(structure, ())
    return out


def map_structure_with_paths(func, *structure, **kwargs):
    paths = [separator_path for separator_path, _ in flatten_with_joined_string_paths(structure[0])]
    flats = [flatten(s) for s in structure]
    for other in structure[1:]:
        assert_same_structure(structure[0], other, kwargs.get("check_types", True))
    return pack_sequence_as(structure[0], [func(p, *xs) for p, *xs in zip(paths, *flats)])
