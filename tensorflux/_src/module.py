"""`tf.Module` and `tf.name_scope`.

A module finds its variables and submodules by walking its attributes (sorted by name) and the
lists, tuples and dicts inside them; the attributes of the module itself come before those of
its submodules, which are visited in the order they were found.
"""

from __future__ import annotations

import functools
import re

from tensorflux._src.core import context as _context
from tensorflux._src.core import nest


class name_scope:  # noqa: N801 - TensorFlow's public name
    """A context manager that prefixes the names of ops and variables created inside.

    `with tf.name_scope("a"):` inside `"b"` makes the scope `"b/a"`; the `as` target is the scope
    followed by "/". A name ending in "/" is taken as a complete scope, and "" returns to the top.
    While a graph is traced, names are made unique within it ("a", "a_1", ...).

    Args:
      name: the scope name.

    Raises:
      ValueError: if `name` is not a string.
    """

    __slots__ = ("_name", "_saved")

    def __init__(self, name):
        if not isinstance(name, str):
            raise ValueError("name for name_scope must be a string.")
        self._name = name
        self._saved: list = []  # outer scopes, one per (possibly nested) entry

    @property
    def name(self) -> str:
        return self._name

    def __enter__(self) -> str:
        graph_scope = getattr(_context.ctx.graph, "name_scope", None)
        if graph_scope is not None:  # tracing: the graph makes the scope unique and checks it
            cm = graph_scope(self._name)
            scope = cm.__enter__()
            self._saved.append(cm)
            return scope
        old = _context.current_name_scope()
        name = self._name
        if not name:
            scope = ""
        elif name.endswith("/"):
            scope = name[:-1]
        else:
            scope = f"{old}/{name}" if old else name
        self._saved.append(old)
        _context.set_name_scope(scope)
        return scope + "/" if scope else ""

    def __exit__(self, *exc) -> None:
        saved = self._saved.pop()
        if isinstance(saved, str):
            _context.set_name_scope(saved)
        else:
            saved.__exit__(*exc)


def get_current_name_scope() -> str:
    """The name scope in effect, without a trailing "/" ("" at the top level)."""
    return _context.current_name_scope()


def _snake_case(name: str) -> str:
    # An upper-case letter starts a new word after a lower-case letter or digit, or when it begins
    # a capitalised word inside an acronym run ("HTTPModule" -> "http_module").
    out = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name)
    out = re.sub(r"(?<=[A-Z])([A-Z])(?=[a-z])", r"_\1", out)
    return out.lower()


def _is_variable(x) -> bool:
    return getattr(x, "_is_variable", False)


def _is_trainable_variable(x) -> bool:
    return _is_variable(x) and getattr(x, "trainable", False)


def _is_non_trainable_variable(x) -> bool:
    return _is_variable(x) and not getattr(x, "trainable", False)


def _is_module(x) -> bool:
    return isinstance(x, Module)


class Module:
    """A named container of variables, submodules and the methods that use them.

    Variables and submodules assigned to attributes (directly, or inside lists, tuples and
    dicts) are found by `variables`, `trainable_variables` and `submodules`.

    Args:
      name: the module's name, a valid Python identifier; defaults to the class name in
        snake_case.

    Raises:
      ValueError: if `name` is not a valid identifier.
    """

    # Attributes the structure walk skips (checkpoint bookkeeping in TensorFlow).
    _TF_MODULE_IGNORED_PROPERTIES = frozenset(
        ("_self_unconditional_checkpoint_dependencies", "_self_unconditional_dependency_names")
    )

    def __init__(self, name=None):
        if name is None:
            name = _snake_case(type(self).__name__)
        elif not isinstance(name, str):
            raise TypeError(f"expected string or bytes-like object, got '{type(name).__name__}'")
        elif not name.isidentifier():
            raise ValueError(
                f"'{name}' is not a valid module name. Module names must be valid Python "
                f"identifiers (e.g. a valid class name)."
            )
        self._name = name
        with name_scope(name) as scope:
            self._name_scope = name_scope(scope or "/")

    @property
    def name(self) -> str:
        """The name given to the constructor (or derived from the class name)."""
        return self._name

    @property
    def name_scope(self) -> name_scope:
        """A `tf.name_scope` entering this module's scope (absolute, fixed at construction)."""
        return self._name_scope

    @property
    def variables(self) -> tuple:
        """Every variable in this module and its submodules, each once."""
        return tuple(self._flatten(predicate=_is_variable, expand_composites=True))

    @property
    def trainable_variables(self) -> tuple:
        """The trainable variables in this module and its submodules."""
        return tuple(self._flatten(predicate=_is_trainable_variable, expand_composites=True))

    @property
    def non_trainable_variables(self) -> tuple:
        """The non-trainable variables in this module and its submodules."""
        return tuple(self._flatten(predicate=_is_non_trainable_variable, expand_composites=True))

    @property
    def submodules(self) -> tuple:
        """Every module reachable from this one (not itself), each once."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(
        self,
        recursive=True,
        predicate=None,
        attribute_traversal_key=None,
        with_path=False,
        expand_composites=False,
    ):
        """Yields the values (or `(path, value)` pairs) in this module that satisfy `predicate`.

        Args:
          recursive: also walk submodules.
          predicate: a function of a value; default: every value.
          attribute_traversal_key: sort key for attribute names (default: the names).
          with_path: yield `(path, value)` with the attribute/index/key path; values reached by
            several paths are then yielded once per path.
          expand_composites: look inside composite tensors.
        """
        if predicate is None:
            predicate = lambda _: True  # noqa: E731
        seen = {id(self)}
        return _walk(
            self,
            (),
            recursive,
            predicate,
            attribute_traversal_key,
            with_path,
            expand_composites,
            seen,
            [],
        )

    @classmethod
    def with_name_scope(cls, method):
        """Decorates a method so that it runs inside the module's name scope."""

        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)

        return method_with_name_scope


def _leaves_with_paths(value, path, expand_composites):
    """(path, leaf) pairs of a nested value: dicts by sorted key, then sequences in order."""
    if isinstance(value, Module) or _is_variable(value):
        yield path, value
    elif isinstance(value, dict):
        try:
            keys = sorted(value)
        except TypeError:
            keys = list(value)
        for k in keys:
            yield from _leaves_with_paths(value[k], path + (k,), expand_composites)
    elif isinstance(value, (list, tuple)):
        for i, v in enumerate(value):
            yield from _leaves_with_paths(v, path + (i,), expand_composites)
    elif expand_composites and getattr(value, "_is_composite_tensor", False):
        for i, v in enumerate(nest.flatten(value, expand_composites=True)):
            yield path + (i,), v
    else:
        yield path, value


def _walk(module, prefix, recursive, predicate, key, with_path, expand, seen, stack):
    found = []
    attrs = vars(module)
    ignored = getattr(module, "_TF_MODULE_IGNORED_PROPERTIES", ())
    for name in sorted(attrs, key=key):
        if name in ignored:
            continue
        for path, leaf in _leaves_with_paths(attrs[name], (name,), expand):
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            if predicate(leaf):
                yield (prefix + path, leaf) if with_path else leaf
            if recursive and isinstance(leaf, Module):
                found.append((prefix + path, leaf))
    if id(module) in stack:  # a cycle: report what we found but do not go round again
        return
    stack.append(id(module))
    for path, sub in found:
        yield from _walk(sub, path, recursive, predicate, key, with_path, expand, seen, stack)
    stack.pop()


__all__ = ["Module", "name_scope", "get_current_name_scope"]
