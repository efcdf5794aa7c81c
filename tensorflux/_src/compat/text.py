"""`tf.compat` helpers from the Python 2/3 era: text and bytes, dimensions, compatibility dates."""

from __future__ import annotations

import contextlib
import datetime
import numbers
import os

import numpy as np

bytes_or_text_types = (bytes, str)
integral_types = (numbers.Integral, np.integer)
real_types = (numbers.Real, np.integer, np.floating)
complex_types = (numbers.Complex, np.number)

# The date up to which graphs may use this release's op forms (TensorFlow 2.21's horizon).
_HORIZON = [datetime.date(2026, 1, 16)]


def as_bytes(bytes_or_text, encoding="utf-8") -> bytes:
    """`bytes_or_text` as bytes: str is encoded with `encoding`, bytes-likes copied.

    Raises:
      TypeError: For anything else.
    """
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8") -> str:
    """`bytes_or_text` as str: bytes are decoded with `encoding`.

    Raises:
      TypeError: For anything but str and bytes.
    """
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text


def as_str_any(value, encoding="utf-8") -> str:
    """`value` as str: bytes are decoded, anything else goes through `str()`."""
    if isinstance(value, bytes):
        return as_str(value, encoding=encoding)
    return str(value)


def path_to_str(path):
    """A path-like object (`pathlib.Path`...) as a str; other values are returned unchanged."""
    if isinstance(path, os.PathLike):
        return as_str_any(path.__fspath__())
    return path


def dimension_value(dimension):
    """The int (or None) of a dimension: works for ints and for objects with a `.value`."""
    if isinstance(dimension, (int, np.integer)) or dimension is None:
        return dimension
    return getattr(dimension, "value", dimension)


def forward_compatible(year: int, month: int, day: int) -> bool:
    """True when the forward-compatibility horizon is past year-month-day."""
    return _HORIZON[0] > datetime.date(year, month, day)


@contextlib.contextmanager
def forward_compatibility_horizon(year: int, month: int, day: int):
    """A context in which the forward-compatibility horizon is year-month-day (for tests)."""
    old = _HORIZON[0]
    _HORIZON[0] = datetime.date(year, month, day)
    try:
        yield
    finally:
        _HORIZON[0] = old
