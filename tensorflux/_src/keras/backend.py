"""Keras's global settings and small shared helpers (`keras.backend`, `keras.config`).

floatx/epsilon/image_data_format, per-prefix name counters ("dense", "dense_1", ...), the Keras
name-scope path that variable paths come from ("dense/kernel"), and the autocast scope that makes
float variables read as the layer's compute dtype under mixed precision.
"""

from __future__ import annotations

import collections
import contextlib
import re
import threading

from tensorflux._src.core import dtypes

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"


def floatx() -> str:
    """The default float type name for Keras weights and inputs ("float32")."""
    return _FLOATX


def set_floatx(value) -> None:
    """Sets the default float type ("float16", "bfloat16", "float32" or "float64")."""
    global _FLOATX
    name = dtypes.as_dtype(value).name if not isinstance(value, str) else value
    if name not in ("float16", "bfloat16", "float32", "float64"):
        raise ValueError(
            f"Unknown `floatx` value: {value}. Expected one of "
            "{'float16', 'float32', 'float64', 'bfloat16'}"
        )
    _FLOATX = name


def epsilon() -> float:
    """The fuzz factor used to avoid division by zero (1e-7)."""
    return _EPSILON


def set_epsilon(value) -> None:
    """Sets the fuzz factor returned by `epsilon()`."""
    global _EPSILON
    _EPSILON = float(value)


def image_data_format() -> str:
    """"channels_last" (the default) or "channels_first"."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format) -> None:
    """Sets the default image layout ("channels_last" or "channels_first")."""
    global _IMAGE_DATA_FORMAT
    fmt = str(data_format).lower()
    if fmt not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}"
        )
    _IMAGE_DATA_FORMAT = fmt


def standardize_data_format(data_format) -> str:
    if data_format is None:
        return image_data_format()
    fmt = str(data_format).lower()
    if fmt not in ("channels_first", "channels_last"):
        raise ValueError(
            "The `data_format` argument must be one of {'channels_first', 'channels_last'}. "
            f"Received: data_format={data_format}"
        )
    return fmt


def backend() -> str:
    """The name of the backend: always "tensorflow"."""
    return "tensorflow"


def standardize_dtype(dtype) -> str:
    """A dtype name string ("float32") from a string, DType, NumPy dtype or None (floatx)."""
    if dtype is None:
        return floatx()
    if hasattr(dtype, "name") and isinstance(dtype.name, str) and not isinstance(dtype, str):
        if hasattr(dtype, "as_datatype_enum") or hasattr(dtype, "itemsize"):
            return dtypes.as_dtype(dtype).name
    if isinstance(dtype, str) and dtype in ("float", "int", "bool", "complex"):
        return {"float": "float32", "int": "int64", "bool": "bool", "complex": "complex64"}[dtype]
    return dtypes.as_dtype(dtype).name


def is_float_dtype(dtype) -> bool:
    return dtypes.as_dtype(standardize_dtype(dtype)).is_floating


# ---------------------------------------------------------------------- unique names

_UIDS: collections.defaultdict = collections.defaultdict(int)


def to_snake_case(name: str) -> str:
    """Class name to Keras's default object name: "MaxPooling2D" -> "max_pooling2d"."""
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return s


def get_uid(prefix: str) -> int:
    """1, 2, 3, ... per prefix since the last `clear_session()`."""
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def unique_object_name(prefix: str) -> str:
    """"dense", then "dense_1", "dense_2", ... (Keras's naming of layers, models, metrics)."""
    n = get_uid(prefix)
    return prefix if n == 1 else f"{prefix}_{n - 1}"


def clear_session(free_memory=True) -> None:
    """Resets Keras's global state: object-name counters start again."""
    _UIDS.clear()


# ---------------------------------------------------------------------- name-scope path


class _State(threading.local):
    def __init__(self):
        self.path: list = []
        self.autocast = None  # compute dtype for autocast float variables, or None


_state = _State()


@contextlib.contextmanager
def name_scope(name: str):
    """Pushes `name` onto the Keras path stack; variables created inside get path "name/var"."""
    _state.path.append(name)
    try:
        yield
    finally:
        _state.path.pop()


def current_path() -> str:
    return "/".join(_state.path)


@contextlib.contextmanager
def autocast_scope(dtype):
    """Inside, float variables created with autocast=True read as `dtype` (None: no casting)."""
    old = _state.autocast
    _state.autocast = None if dtype is None else dtypes.as_dtype(dtype)
    try:
        yield
    finally:
        _state.autocast = old


def autocast_dtype():
    return _state.autocast
