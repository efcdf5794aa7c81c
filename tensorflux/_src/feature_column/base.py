"""Shared pieces of the feature columns: the column base classes and the per-call input cache.

Columns are immutable named tuples (equal when their arguments are equal). A column turns raw
features into tensors through a `TransformCache`, which converts each raw feature once and
remembers every column's result for the duration of one call.
"""

from __future__ import annotations

import tensorflux as tf


class FeatureColumn:
    """The base of every feature column; subclasses are named tuples of their arguments."""

    __slots__ = ()

    @property
    def name(self) -> str:
        raise NotImplementedError

    @property
    def parse_example_spec(self) -> dict:
        raise NotImplementedError

    def _transform(self, cache, state):
        raise NotImplementedError


class DenseColumn(FeatureColumn):
    """A column that yields a dense float tensor of shape `(batch,) + variable_shape`."""

    __slots__ = ()

    @property
    def variable_shape(self):
        raise NotImplementedError

    def _dense(self, cache, state):
        raise NotImplementedError

    def _create_state(self, layer, state) -> None:
        """Creates variables (embedding tables) on `layer`; most columns have none."""


class CategoricalColumn(FeatureColumn):
    """A column that yields integer ids in `[0, num_buckets)` as a SparseTensor (plus weights)."""

    __slots__ = ()

    @property
    def num_buckets(self) -> int:
        raise NotImplementedError

    def _ids(self, cache, state):
        """Returns `(ids, weights)`: SparseTensors of int64 ids and float weights (or None)."""
        return cache.get(self, state), None


def check_key(key) -> None:
    if not isinstance(key, str):
        raise ValueError(f"key must be a string. Got: type {type(key)}. Given key: {key}.")


def is_sparse(x) -> bool:
    return isinstance(x, tf.sparse.SparseTensor)


def to_sparse(x, ignore_value=None):
    """A dense tensor as a SparseTensor without its `ignore_value` entries ('' / -1 / 0)."""
    if is_sparse(x):
        return x
    x = tf.convert_to_tensor(x)
    if ignore_value is None:
        if x.dtype == tf.string:
            ignore_value = ""
        elif x.dtype.is_integer:
            ignore_value = -1
        else:
            ignore_value = 0
    keep = tf.not_equal(x, tf.cast(ignore_value, x.dtype))
    indices = tf.where(keep)
    return tf.sparse.SparseTensor(
        indices, tf.gather_nd(x, indices), tf.shape(x, out_type=tf.int64)
    )


def replace_values(sp, values):
    return tf.sparse.SparseTensor(sp.indices, values, sp.dense_shape)


class TransformCache:
    """Raw features of one call, and the transformed output of each column already computed."""

    def __init__(self, features):
        if not isinstance(features, dict):
            raise ValueError("We expected a dictionary here. Instead we got: ", features)
        self._features = features
        self._done = {}

    def get(self, key, state=None):
        if key in self._done:
            return self._done[key]
        if isinstance(key, str):
            out = self._raw(key)
        elif isinstance(key, FeatureColumn):
            out = key._transform(self, state)
        else:
            raise TypeError(f"Unsupported transformation key: {key!r}")
        self._done[key] = out
        return out

    def _raw(self, key):
        if key not in self._features:
            raise ValueError(f"The feature ({key}) is not in features dictionary.")
        x = self._features[key]
        if is_sparse(x):
            return x
        x = tf.convert_to_tensor(x)
        rank = x.shape.rank
        if rank == 0:
            raise ValueError(
                f"Feature (key: {key}) cannot have rank 0. Given: {x}"
            )
        if rank == 1:
            x = tf.expand_dims(x, -1)
        return x
