"""Table initializers: from key/value tensors and from a text file."""

from __future__ import annotations

import os

from tensorflux._src.core import dtypes
from tensorflux._src.lookup import table_ops


class TextFileIndex:
    """Special column indices for `TextFileInitializer`: the whole line, or the line number."""

    WHOLE_LINE = -2
    LINE_NUMBER = -1


def _eager(t, what):
    """A tensor's value, which must be known when the table is made."""
    from tensorflux._src.tensor import EagerTensor, static_value

    if isinstance(t, EagerTensor):
        return t
    v = static_value(t)
    if v is None:
        raise NotImplementedError(
            f"Table initializer {what} must be known when the table is created (an eager "
            "tensor or a constant); tables initialized from computed graph tensors are not "
            "supported yet."
        )
    from tensorflux._src.tensor import constant

    return constant(v, dtype=t.dtype)


class TableInitializerBase:
    """Fills a static table once, when the table is created."""

    def __init__(self, key_dtype, value_dtype):
        self._key_dtype = dtypes.as_dtype(key_dtype)
        self._value_dtype = dtypes.as_dtype(value_dtype)

    @property
    def key_dtype(self):
        """The dtype of the keys."""
        return self._key_dtype

    @property
    def value_dtype(self):
        """The dtype of the values."""
        return self._value_dtype

    def initialize(self, table):
        """Loads this initializer's entries into `table`."""
        raise NotImplementedError


class KeyValueTensorInitializer(TableInitializerBase):
    """Initializes a table from a tensor of keys and a tensor of values of the same length.

    Args:
      keys, values: tensors (or values convertible to them) of the same first dimension.
      key_dtype, value_dtype: optional dtypes to convert `keys` / `values` to.
      name: optional name.
    """

    def __init__(self, keys, values, key_dtype=None, value_dtype=None, name=None):
        from tensorflux._src.core import context
        from tensorflux._src.tensor import convert_to_tensor

        with context.eager_scope():
            self._keys = _eager(convert_to_tensor(keys, dtype=key_dtype, name="keys"), "keys")
            self._values = _eager(
                convert_to_tensor(values, dtype=value_dtype, name="values"), "values"
            )
        self._name = name
        super().__init__(self._keys.dtype, self._values.dtype)

    def initialize(self, table):
        from tensorflux._src.lookup.tables import _on_host

        _on_host(table_ops.LookupTableImportV2, table.resource_handle, self._keys, self._values)


class TextFileInitializer(TableInitializerBase):
    """Initializes a table from a text file, one entry per line.

    Args:
      filename: the file's path (a string or scalar string tensor).
      key_dtype, value_dtype: the dtypes of keys and values.
      key_index, value_index: the column (split on `delimiter`) holding the key / value, or
        `TextFileIndex.WHOLE_LINE` (-2) or `TextFileIndex.LINE_NUMBER` (-1).
      vocab_size: the number of lines to read (the file must have at least that many).
      delimiter: the column separator (default tab).
      name: optional name.
      value_index_offset: added to line numbers used as values.

    Raises:
      ValueError: an index below -2, or a line-number column with a dtype other than int64, or
        a whole-line column with a non-string dtype.
    """

    def __init__(self, filename, key_dtype, key_index, value_dtype, value_index, vocab_size=None,
                 delimiter="\t", name=None, value_index_offset=0):  # fmt: skip
        key_dtype = dtypes.as_dtype(key_dtype)
        value_dtype = dtypes.as_dtype(value_dtype)
        for what, index, dt in (("key", key_index, key_dtype), ("value", value_index, value_dtype)):
            if index < -2:
                raise ValueError(f"`{what}_index` should be >= -2, received: {index}.")
            if index == TextFileIndex.LINE_NUMBER and dt is not dtypes.int64:
                raise ValueError(
                    f"`{what}_dtype` must be int64 if `{what}_index` is -1, received: {dt!r}"
                )
            if index == TextFileIndex.WHOLE_LINE and not (dt.is_integer or dt is dtypes.string):
                raise ValueError(
                    f"`{what}_dtype` should be either integer or string for `{what}_index` -2, "
                    f"received: {dt!r}"
                )
        if vocab_size is not None and vocab_size <= 0:
            raise ValueError(f"`vocab_size` should be > 0, received: {vocab_size}")
        if hasattr(filename, "numpy"):
            filename = filename.numpy()
        if isinstance(filename, bytes):
            filename = filename.decode()
        self._filename = os.fspath(filename)
        self._key_index = key_index
        self._value_index = value_index
        self._vocab_size = vocab_size
        self._delimiter = delimiter
        self._name = name
        self._offset = value_index_offset
        super().__init__(key_dtype, value_dtype)

    def initialize(self, table):
        from tensorflux._src.tensor import constant

        from tensorflux._src.lookup.tables import _on_host

        _on_host(
            table_ops.InitializeTableFromTextFileV2, table.resource_handle,
            constant(self._filename),
            key_index=self._key_index, value_index=self._value_index,
            vocab_size=-1 if self._vocab_size is None else self._vocab_size,
            delimiter=self._delimiter, offset=self._offset,
        )  # fmt: skip
