"""Lookup tables: `StaticHashTable`, `StaticVocabularyTable`, and the mutable `MutableHashTable`
and `DenseHashTable` (tf.lookup.experimental).

Every table owns a `TableCell` on the host behind a scalar `resource` handle; its methods call the
table ops in `table_ops`, so they work eagerly, inside `tf.function` and in `Dataset.map`.
Mutable tables save their contents in checkpoints (`table-keys` / `table-values`).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import context, dtypes, errors
from tensorflux._src.lookup import table_ops
from tensorflux._src.lookup.table_ops import TableCell


def _tensor(value, dtype=None, name=None):
    from tensorflux._src.tensor import convert_to_tensor

    return convert_to_tensor(value, dtype=dtype, name=name)


def _map_keys(keys, fn):
    """Applies `fn` to a tensor, or to the values of a SparseTensor / RaggedTensor."""
    from tensorflux._src.sparse_tensor import SparseTensor

    if isinstance(keys, SparseTensor):
        return SparseTensor(keys.indices, fn(keys.values), keys.dense_shape)
    if hasattr(keys, "with_flat_values") and hasattr(keys, "flat_values"):
        return keys.with_flat_values(fn(keys.flat_values))
    return fn(keys)


def _checked_keys(keys, key_dtype):
    from tensorflux._src.tensor import Tensor

    if not isinstance(keys, Tensor):
        keys = _tensor(keys, dtype=key_dtype)
    if keys.dtype is not key_dtype:
        raise TypeError(f"Dtype of argument `keys` must be {key_dtype}, received: {keys.dtype}")
    return keys


def _on_host(op, *inputs, **attrs):
    """Runs a table op on the CPU, where tables live (as in TensorFlow), whatever the scope."""
    from tensorflux._src.devices.scope import device

    with device("/CPU:0"):
        return op(*inputs, **attrs)


def _converted(value, dtype, what):
    try:
        return _tensor(value, dtype=dtype, name=what)
    except ValueError as e:
        raise ValueError(f"{what}: {e}") from None


class LookupInterface:
    """What every table offers: dtypes, the resource handle, `lookup` and `size`."""

    def __init__(self, cell: TableCell):
        from tensorflux._src import devices
        from tensorflux._src.tensor import EagerTensor

        self._cell = cell
        self._key_dtype = cell.key_dtype
        self._value_dtype = cell.value_dtype
        self._resource_handle = EagerTensor(cell, dtypes.resource, devices.CPU0)

    @property
    def key_dtype(self):
        """The dtype of the table's keys."""
        return self._key_dtype

    @property
    def value_dtype(self):
        """The dtype of the table's values."""
        return self._value_dtype

    @property
    def name(self):
        """The table's name (None for tables made eagerly, as in TensorFlow 2)."""
        return None

    @property
    def resource_handle(self):
        """The scalar `resource` tensor naming the table."""
        return self._resource_handle

    def size(self, name=None):
        """The number of entries, as a scalar int64 tensor."""
        return _on_host(table_ops.LookupTableSizeV2, self._resource_handle, name=name)

    def _find(self, keys, default, name=None, **extra):
        cell = self._cell
        return _on_host(
            table_ops.LookupTableFindV2, self._resource_handle, keys, default,
            Tin=cell.key_dtype, Tout=cell.value_dtype, value_shape=cell.value_shape,
            key_shape=cell.key_shape, name=name, **extra,
        )  # fmt: skip

    def _export(self, name=None):
        cell = self._cell
        if cell.kind == "dense":
            ksize = max(1, len(cell.key_shape) and int(_prod(cell.key_shape)))
            vsize = max(1, len(cell.value_shape) and int(_prod(cell.value_shape)))
            kshape, vshape = (None, ksize), (None, vsize)
        else:
            kshape, vshape = (None,) + cell.key_shape, (None,) + cell.value_shape
        return tuple(_on_host(
            table_ops.LookupTableExportV2, self._resource_handle, Tkeys=cell.key_dtype,
            Tvalues=cell.value_dtype, keys_shape=kshape, values_shape=vshape, name=name,
        ))  # fmt: skip

    def _checkpoint_dependencies(self):
        return []


def _prod(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


class StaticHashTable(LookupInterface):
    """A table filled once by an initializer; keys not in it map to `default_value`.

    Args:
      initializer: a `KeyValueTensorInitializer` or `TextFileInitializer`.
      default_value: the value for missing keys (of the initializer's value dtype).
      name: optional name.
      experimental_is_anonymous: accepted; tables here are always anonymous.
    """

    def __init__(self, initializer, default_value, name=None, experimental_is_anonymous=False):
        with context.eager_scope():
            self._default_value = _tensor(default_value, dtype=initializer.value_dtype)
            super().__init__(TableCell(initializer.key_dtype, initializer.value_dtype))
            self._initializer = initializer
            initializer.initialize(self)

    @property
    def default_value(self):
        """The value returned for missing keys."""
        return self._default_value

    @property
    def initializer(self):
        return self._initializer

    def lookup(self, keys, name=None):
        """Looks up `keys` (a tensor, SparseTensor or RaggedTensor) in the table.

        Raises:
          TypeError: if the keys' dtype is not the table's key dtype.
        """
        return _map_keys(keys, lambda k: self._find(
            _checked_keys(k, self._key_dtype), self._default_value, name))  # fmt: skip

    def export(self, name=None):
        """(keys, values) tensors of all entries."""
        return self._export(name)


class StaticVocabularyTable(LookupInterface):
    """A vocabulary table whose missing keys go to `num_oov_buckets` hash buckets after the
    vocabulary: `id = size + Fingerprint64(str(key)) % num_oov_buckets`.

    Args:
      initializer: an initializer with int64 values (or None: buckets only).
      num_oov_buckets: the number of out-of-vocabulary buckets (> 0).
      lookup_key_dtype: the dtype of looked-up keys (an integer dtype for int64 tables).
      name, experimental_is_anonymous: accepted.

    Raises:
      ValueError: `num_oov_buckets` <= 0.
      TypeError: values that are not int64, or an integer `lookup_key_dtype` for string keys.
    """

    def __init__(self, initializer, num_oov_buckets, lookup_key_dtype=None, name=None,
                 experimental_is_anonymous=False):  # fmt: skip
        if num_oov_buckets <= 0:
            raise ValueError("`num_oov_buckets` must be > 0; use StaticHashTable.")
        if initializer is not None and initializer.value_dtype is not dtypes.int64:
            raise TypeError(
                f"Invalid `value_dtype`, expected {dtypes.int64} but got "
                f"{initializer.value_dtype}."
            )
        key_dtype = initializer.key_dtype if initializer is not None else dtypes.string
        if lookup_key_dtype is None:
            lookup_key_dtype = key_dtype
        lookup_key_dtype = dtypes.as_dtype(lookup_key_dtype)
        if key_dtype.is_integer != lookup_key_dtype.is_integer:
            want = "integer" if lookup_key_dtype.is_integer else "string"
            raise TypeError(f"Invalid `key_dtype`, expected {want} but got {key_dtype}.")
        self._num_oov_buckets = int(num_oov_buckets)
        self._table_key_dtype = key_dtype
        with context.eager_scope():
            super().__init__(TableCell(key_dtype, dtypes.int64))
            self._key_dtype = lookup_key_dtype
            self._initializer = initializer
            if initializer is not None:
                initializer.initialize(self)

    def size(self, name=None):
        """The vocabulary size plus the number of buckets."""
        return _on_host(
            table_ops.LookupTableSizeV2, self._resource_handle,
            num_oov_buckets=self._num_oov_buckets, name=name,
        )  # fmt: skip

    def lookup(self, keys, name=None):
        """The id of each key: its vocabulary index, or a bucket id past the vocabulary."""
        from tensorflux._src.tensor import constant

        def find(k):
            k = _checked_keys(k, self._key_dtype)
            if k.dtype is not self._table_key_dtype:
                from tensorflux._src.ops.math_ops import cast

                k = cast(k, self._table_key_dtype)
            return self._find(
                k, constant(-1, dtypes.int64), name, num_oov_buckets=self._num_oov_buckets
            )

        return _map_keys(keys, find)


class MutableHashTable(LookupInterface):
    """A table that grows and shrinks with `insert` and `remove`; values may be tensors of any
    shape (that of `default_value`).

    Args:
      key_dtype, value_dtype: the dtypes of keys and values.
      default_value: the value for missing keys; its shape is the value shape.
      name: accepted.
      checkpoint: whether `tf.train.Checkpoint` saves the contents (default True).
    """

    def __init__(self, key_dtype, value_dtype, default_value, name="MutableHashTable",
                 checkpoint=True, experimental_is_anonymous=False):  # fmt: skip
        key_dtype, value_dtype = dtypes.as_dtype(key_dtype), dtypes.as_dtype(value_dtype)
        with context.eager_scope():
            self._default_value = _tensor(default_value, dtype=value_dtype)
        vshape = tuple(self._default_value.shape.as_list())
        super().__init__(TableCell(key_dtype, value_dtype, vshape, kind="mutable"))
        self._checkpoint = checkpoint

    def lookup(self, keys, dynamic_default_values=None, name=None):
        """Values for `keys`; missing keys get `dynamic_default_values` (same outer shape as
        keys) when given, else `default_value`."""
        default = self._default_value
        if dynamic_default_values is not None:
            default = _tensor(dynamic_default_values, dtype=self._value_dtype)
        return _map_keys(keys, lambda k: self._find(
            _checked_keys(k, self._key_dtype), default, name))  # fmt: skip

    def insert(self, keys, values, name=None):
        """Inserts or replaces the entries `keys[i] -> values[i]`.

        Raises:
          ValueError: keys or values of another dtype than the table's.
          InvalidArgumentError: values whose shape is not keys' shape + the value shape.
        """
        k = _converted(keys, self._key_dtype, "keys")
        v = _converted(values, self._value_dtype, "values")
        return _on_host(table_ops.LookupTableInsertV2, self._resource_handle, k, v, name=name)

    def remove(self, keys, name=None):
        """Removes `keys` (missing keys are ignored)."""
        k = _checked_keys(keys, self._key_dtype)
        return _on_host(table_ops.LookupTableRemoveV2, self._resource_handle, k, name=name)

    def export(self, name=None):
        """(keys, values) tensors of all entries."""
        return self._export(name)

    # checkpointing (tensorflux._src.training.checkpoint reads these)
    def _serialize_to_tensors(self):
        if not self._checkpoint:
            return {}
        keys, values = self._export()
        return {"table-keys": keys, "table-values": values}

    def _restore_from_tensors(self, restored):
        return _on_host(
            table_ops.LookupTableImportV2, self._resource_handle, restored["table-keys"],
            restored["table-values"],
        )  # fmt: skip


class DenseHashTable(MutableHashTable):
    """A mutable table stored with open addressing, with two reserved keys: `empty_key` and
    `deleted_key` (neither may be inserted or looked up). Keys may have a shape (that of
    `empty_key`); values have the shape of `default_value`.

    Args:
      key_dtype, value_dtype, default_value: as for MutableHashTable.
      empty_key, deleted_key: the reserved keys (must differ).
      initial_num_buckets: a power of 2, at least 4 (default 131072).
      name, checkpoint, experimental_is_anonymous: as for MutableHashTable.
    """

    def __init__(self, key_dtype, value_dtype, default_value, empty_key, deleted_key,
                 initial_num_buckets=None, name="MutableDenseHashTable", checkpoint=True,
                 experimental_is_anonymous=False):  # fmt: skip
        key_dtype, value_dtype = dtypes.as_dtype(key_dtype), dtypes.as_dtype(value_dtype)
        with context.eager_scope():
            self._default_value = _tensor(default_value, dtype=value_dtype)
            empty = _tensor(empty_key, dtype=key_dtype)
            deleted = _tensor(deleted_key, dtype=key_dtype)
        ev, dv = np.asarray(empty._value), np.asarray(deleted._value)
        kshape = tuple(empty.shape.as_list())
        if ev.shape != dv.shape or (ev == dv).all():
            raise errors.InvalidArgumentError(
                None, None,
                "Empty and deleted keys cannot be equal [Op:MutableDenseHashTableV2] name: "
                "MutableDenseHashTable",
            )  # fmt: skip
        nb = 131072 if initial_num_buckets is None else int(initial_num_buckets)
        if nb < 4 or nb & (nb - 1):
            raise errors.InvalidArgumentError(
                None, None,
                f"Number of buckets must be at least 4 and a power of 2, got: {nb} "
                "[Op:MutableDenseHashTableV2] name: MutableDenseHashTable",
            )  # fmt: skip
        vshape = tuple(self._default_value.shape.as_list())
        cell = TableCell(key_dtype, value_dtype, vshape, kind="dense", key_shape=kshape)
        cell.num_buckets = nb
        cell.empty_key = tuple(ev.reshape(-1).tolist()) if kshape else ev.item()
        cell.deleted_key = tuple(dv.reshape(-1).tolist()) if kshape else dv.item()
        LookupInterface.__init__(self, cell)
        self._checkpoint = checkpoint
        self._empty_key, self._deleted_key = empty, deleted

    def lookup(self, keys, name=None):
        """Values for `keys` (default_value where missing)."""
        return self._find(_checked_keys(keys, self._key_dtype), self._default_value, name)

    def insert_or_assign(self, keys, values, name=None):
        """The same as `insert`."""
        return self.insert(keys, values, name)

    def erase(self, keys, name=None):
        """Removes `keys` (missing keys are ignored)."""
        return self.remove(keys, name)

    def _restore_from_tensors(self, restored):
        return _on_host(
            table_ops.LookupTableImportV2, self._resource_handle, restored["table-keys"],
            restored["table-values"],
        )  # fmt: skip
