"""Keras object (de)serialization: `{"module", "class_name", "config", "registered_name"}` dicts.

Built-in classes register under their public Keras module ("keras.layers", "keras.optimizers",
...) with `register_builtin`; user classes with `register_keras_serializable` ("package>Name").
The format is Keras 3's, so `get_config()` dicts and `.keras` files match real Keras.
"""

from __future__ import annotations

import inspect
import threading

_BUILTINS: dict = {}  # module -> {class_name: object}
_BUILTIN_MODULE: dict = {}  # id(object) -> module
_CUSTOM: dict = {}  # registered name ("Custom>MyLayer") -> object
_CUSTOM_NAMES: dict = {}  # object -> registered name


class _Scope(threading.local):
    def __init__(self):
        self.stack: list = []


_scope = _Scope()


class _SafeMode(threading.local):
    def __init__(self):
        self.value = None  # set by load_model for the deserialization it runs


_safe = _SafeMode()
_UNSAFE_ALLOWED = [False]  # keras.config.enable_unsafe_deserialization()


def enable_unsafe_deserialization() -> None:
    """Allows deserializing Python lambdas (Lambda layers) everywhere from now on."""
    _UNSAFE_ALLOWED[0] = True


def in_safe_mode() -> bool:
    """Whether deserialization must refuse Python bytecode (lambdas) now."""
    if _UNSAFE_ALLOWED[0]:
        return False
    return _safe.value is not False


class SafeModeScope:
    """`with SafeModeScope(safe_mode):` - the safe mode of the deserialization inside."""

    def __init__(self, safe_mode=True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self._old = _safe.value
        _safe.value = self.safe_mode
        return self

    def __exit__(self, *exc):
        _safe.value = self._old


def register_builtin(module: str, name: str = None):
    """Class/function decorator: a built-in object serialized as `module`.`name`."""

    def deco(obj):
        key = name or obj.__name__
        _BUILTINS.setdefault(module, {})[key] = obj
        _BUILTIN_MODULE.setdefault(id(obj), module)
        return obj

    return deco


def builtin_objects(module: str) -> dict:
    return _BUILTINS.get(module, {})


def register_keras_serializable(package="Custom", name=None):
    """Registers a class or function under "package>name" so configs can name it.

    Args:
      package: the package part of the registered name.
      name: the name part; defaults to the object's `__name__`.

    Returns:
      A decorator returning the object unchanged.

    Raises:
      ValueError: if the object is a class without `get_config`, or the name is taken.
    """

    def deco(obj):
        key = f"{package}>{name or obj.__name__}"
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise ValueError("Cannot register a class that does not have a get_config() method.")
        _CUSTOM[key] = obj
        _CUSTOM_NAMES[obj] = key
        return obj

    return deco


def get_registered_name(obj) -> str:
    """The name `obj` is registered under, else its `__name__`."""
    return _CUSTOM_NAMES.get(obj, getattr(obj, "__name__", None))


def get_registered_object(name, custom_objects=None, module_objects=None):
    """The object registered (or given in a scope or dict) under `name`, else None."""
    for scope in reversed(_scope.stack):
        if name in scope:
            return scope[name]
    if name in _CUSTOM:
        return _CUSTOM[name]
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


def get_custom_objects() -> dict:
    """The global dict of registered custom objects (editable)."""
    return _CUSTOM


class CustomObjectScope:
    """`with custom_object_scope({"MyLayer": MyLayer}):` makes the names resolvable inside."""

    def __init__(self, *args):
        self.custom_objects = {}
        for a in args:
            if a is not None:
                self.custom_objects.update(a)

    def __enter__(self):
        _scope.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc):
        _scope.stack.pop()


custom_object_scope = CustomObjectScope


def _module_of(obj) -> str | None:
    cls = obj if inspect.isclass(obj) or inspect.isfunction(obj) else type(obj)
    return _BUILTIN_MODULE.get(id(cls))


def serialize_keras_object(obj):
    """The Keras config form of `obj` (plain values pass through; objects become dicts)."""
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {k: serialize_keras_object(v) for k, v in obj.items()}
    if hasattr(obj, "as_datatype_enum"):  # a DType
        return obj.name
    if hasattr(obj, "as_list") and hasattr(obj, "rank"):  # a TensorShape
        return obj.as_list() if obj.rank is not None else None
    if hasattr(obj, "numpy") and not hasattr(obj, "get_config"):
        import numpy as np

        return np.asarray(obj.numpy()).tolist()
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        registered = _CUSTOM_NAMES.get(obj)
        return {
            "module": "builtins" if registered is None else obj.__module__,
            "class_name": "function",
            "config": obj.__name__,
            "registered_name": registered or "function",
        }
    if inspect.isclass(obj):
        return {
            "module": _module_of(obj),
            "class_name": obj.__name__,
            "config": None,
            "registered_name": _CUSTOM_NAMES.get(obj),
        }
    if not hasattr(obj, "get_config"):
        raise TypeError(f"Cannot serialize object {obj} of type {type(obj)}.")
    config = obj.get_config()
    cls = type(obj)
    out = {
        "module": _module_of(obj),
        "class_name": cls.__name__,
        "config": _plain(config),
        "registered_name": _CUSTOM_NAMES.get(cls),
    }
    build = getattr(obj, "get_build_config", None)
    if build is not None and getattr(obj, "built", False):
        build_config = build()
        if build_config is not None:
            out["build_config"] = _plain(build_config)
    compile_config = getattr(obj, "get_compile_config", None)
    if compile_config is not None and getattr(obj, "compiled", False):
        cc = compile_config()
        if cc is not None:
            out["compile_config"] = serialize_keras_object(cc)
    return out


def _plain(config):
    if isinstance(config, dict):
        return {k: _plain(v) for k, v in config.items()}
    if isinstance(config, tuple):
        return [_plain(v) for v in config]
    if isinstance(config, list):
        return [_plain(v) for v in config]
    if hasattr(config, "as_datatype_enum"):
        return config.name
    return config


def deserialize_keras_object(
    config, custom_objects=None, module_objects=None, printable_module_name="object", **kwargs
):
    """Rebuilds an object from `serialize_keras_object`'s output (or a registered name string).

    Args:
      config: a dict from `serialize_keras_object`, a name string, or None.
      custom_objects: extra `{name: class_or_function}` to resolve names.
      module_objects: the built-in `{name: object}` of the calling module (e.g. the activations).
      printable_module_name: used in the error message.

    Returns:
      The object (classes are built with `from_config`).

    Raises:
      ValueError: if a name cannot be resolved.
    """
    if config is None:
        return None
    if isinstance(config, str):
        obj = get_registered_object(config, custom_objects, module_objects)
        if obj is None:
            raise ValueError(
                f"Could not interpret {printable_module_name} identifier: {config}"
            )
        return obj
    if not isinstance(config, dict):
        return config
    if "class_name" not in config or "config" not in config:
        return config
    class_name = config["class_name"]
    inner = config["config"]
    registered = config.get("registered_name")
    module = config.get("module")
    if class_name == "function":
        name = inner
        obj = None
        if registered and registered != "function":
            obj = get_registered_object(registered, custom_objects)
        if obj is None:
            obj = get_registered_object(name, custom_objects, module_objects)
        if obj is None:
            for objs in _BUILTINS.values():
                if name in objs and inspect.isfunction(objs[name]):
                    obj = objs[name]
                    break
        if obj is None:
            raise ValueError(f"Could not interpret {printable_module_name} identifier: {name}")
        return obj
    cls = None
    for key in (registered, class_name):
        if key:
            cls = get_registered_object(key, custom_objects, module_objects)
            if cls is not None:
                break
    if cls is None and module in _BUILTINS:
        cls = _BUILTINS[module].get(class_name)
    if cls is None:
        for objs in _BUILTINS.values():
            if class_name in objs and inspect.isclass(objs[class_name]):
                cls = objs[class_name]
                break
    if cls is None:
        raise TypeError(
            f"Could not locate class '{class_name}'. Make sure custom classes are decorated "
            f"with `@keras.saving.register_keras_serializable()`. Full object config: {config}"
        )
    if not inspect.isclass(cls):
        return cls
    with CustomObjectScope(custom_objects):
        obj = cls.from_config(inner)
        build_config = config.get("build_config")
        if build_config and hasattr(obj, "build_from_config") and not getattr(obj, "built", True):
            obj.build_from_config(build_config)
        compile_config = config.get("compile_config")
        if compile_config and hasattr(obj, "compile_from_config"):
            obj.compile_from_config(compile_config)
    return obj
