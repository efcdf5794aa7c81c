"""Reading a table's keys and values from a text file (TextFileInitializer's kernel).

Each line gives one entry: a column of the line split on `delimiter`, the whole line (-2), or the
line number (-1).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError, NotFoundError

WHOLE_LINE = -2
LINE_NUMBER = -1


def _lines(path: str):
    """(line text, byte position after the line) for each line of the file."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        raise NotFoundError(None, None, f"{path}; No such file or directory") from None
    pos = 0
    for chunk in raw.split(b"\n"):
        end = pos + len(chunk) + 1
        if end > len(raw) and not chunk:  # the newline ending the last line
            break
        yield chunk.rstrip(b"\r"), end
        pos = end


def _convert(field: bytes, dtype, path: str, line_no: int):
    if dtype is dtypes.string:
        return field
    try:
        if dtype.is_integer:
            return int(field)
        return float(field)
    except ValueError:
        raise InvalidArgumentError(
            None, None,
            f"Field {field.decode('utf-8', 'replace')} in line {line_no} is not a valid "
            f"{dtype.name}.",
        ) from None  # fmt: skip


def read_table_file(path, key_dtype, value_dtype, key_index, value_index, vocab_size,
                    delimiter, offset=0):  # fmt: skip
    """(keys, values) NumPy arrays read from `path` as TensorFlow's text-file initializer does.

    Raises:
      NotFoundError: the file does not exist.
      InvalidArgumentError: an empty line, too few columns, a field of the wrong type, or fewer
        lines than `vocab_size`.
    """
    if isinstance(delimiter, str):
        delimiter = delimiter.encode()
    need = max(key_index, value_index) + 1
    keys, values = [], []
    n = 0
    for line, end in _lines(path):
        if vocab_size is not None and 0 <= vocab_size <= n:
            break
        if not line:
            raise InvalidArgumentError(
                None, None, f"Invalid content in {path}: empty line found at position {end}."
            )
        cols = line.split(delimiter) if need > 0 else None
        if need > 0 and len(cols) < need:
            raise InvalidArgumentError(
                None, None,
                f"Invalid number of columns in {path} line {n} ({line.decode('utf-8', 'replace')})"
                f" : expected at least {need} got {len(cols)}",
            )  # fmt: skip

        def pick(index, dtype):
            if index == LINE_NUMBER:
                return n + offset
            if index == WHOLE_LINE:
                return _convert(line, dtype, path, n)
            return _convert(cols[index], dtype, path, n)

        keys.append(pick(key_index, key_dtype))
        values.append(pick(value_index, value_dtype))
        n += 1
    if vocab_size is not None and vocab_size >= 0 and n != vocab_size:
        raise InvalidArgumentError(
            None, None, f"Invalid vocab_size in {path}: expected {vocab_size} but got {n}"
        )
    kd = object if key_dtype is dtypes.string else key_dtype.as_numpy_dtype
    vd = object if value_dtype is dtypes.string else value_dtype.as_numpy_dtype
    k = np.empty(len(keys), kd)
    k[:] = keys
    v = np.empty(len(values), vd)
    v[:] = values
    return k, v
