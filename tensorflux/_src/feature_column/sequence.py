"""Sequence columns: per-time-step features for `SequenceFeatures`.

A sequence feature is a SparseTensor `(batch, steps)` (or `(batch, steps, k)`); its length per
example is the last used step plus one. Dense output is `(batch, steps, width)`.
"""

from __future__ import annotations

import collections
import math

import tensorflux as tf
from tensorflux._src.feature_column import categorical as _cat
from tensorflux._src.feature_column.base import CategoricalColumn, DenseColumn, to_sparse
from tensorflux._src.feature_column.numeric import _shape_tuple


def sequence_length(sp, num_elements=1):
    """Steps used per example: the largest step index plus one (over `num_elements` values)."""
    batch = sp.dense_shape[0]
    steps = tf.math.unsorted_segment_max(sp.indices[:, 1] + 1, sp.indices[:, 0], batch)
    steps = tf.maximum(steps, 0)  # examples without values
    if num_elements != 1:
        steps = (steps + num_elements - 1) // num_elements
    return steps


class SequenceNumericColumn(
    DenseColumn,
    collections.namedtuple(
        "SequenceNumericColumn", ("key", "shape", "default_value", "dtype", "normalizer_fn")
    ),
):
    """A numeric value of `shape` at every step of a sequence."""

    __slots__ = ()
    name = property(lambda self: self.key)

    @property
    def parse_example_spec(self):
        return {self.key: tf.io.VarLenFeature(self.dtype)}

    @property
    def variable_shape(self):
        return tf.TensorShape(self.shape)

    def _transform(self, cache, state):
        sp = cache.get(self.key, state)
        if self.normalizer_fn is not None:
            sp = self.normalizer_fn(sp)
        return sp

    def _dense(self, cache, state):
        raise ValueError(
            f"Sequence column {self.name} can only be used with SequenceFeatures, not "
            "DenseFeatures."
        )

    def _sequence_dense(self, cache, state):
        sp = to_sparse(cache.get(self, state))
        n = math.prod(self.shape)
        dense = tf.sparse.to_dense(sp, default_value=tf.cast(self.default_value, sp.dtype))
        batch = tf.shape(dense)[0]
        dense = tf.reshape(tf.cast(dense, tf.float32), tf.concat([[batch, -1], [n]], 0))
        dense = tf.reshape(dense, tf.concat([[batch, -1], list(self.shape)], 0))
        return dense, sequence_length(sp, n)


def sequence_numeric_column(key, shape=(1,), default_value=0.0, dtype=tf.float32,
                            normalizer_fn=None):
    """A column of per-step numeric values; missing steps are padded with `default_value`."""
    shape = _shape_tuple(shape, key)
    dtype = tf.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype!r}, key: {key}")
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return SequenceNumericColumn(key, shape, default_value, dtype, normalizer_fn)


class SequenceCategoricalColumn(
    CategoricalColumn,
    collections.namedtuple("SequenceCategoricalColumn", ("categorical_column",)),
):
    """A categorical column read per step; wrap it in an indicator or embedding column."""

    __slots__ = ()
    name = property(lambda self: self.categorical_column.name)
    num_buckets = property(lambda self: self.categorical_column.num_buckets)

    @property
    def parse_example_spec(self):
        return self.categorical_column.parse_example_spec

    def _transform(self, cache, state):
        return self.categorical_column._ids(cache, state)

    def _ids(self, cache, state):
        return cache.get(self, state)


def sequence_categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=tf.string):
    """`categorical_column_with_hash_bucket` applied at every step."""
    return SequenceCategoricalColumn(
        _cat.categorical_column_with_hash_bucket(key, hash_bucket_size, dtype)
    )


def sequence_categorical_column_with_identity(key, num_buckets, default_value=None):
    """`categorical_column_with_identity` applied at every step."""
    return SequenceCategoricalColumn(
        _cat.categorical_column_with_identity(key, num_buckets, default_value)
    )


def sequence_categorical_column_with_vocabulary_list(
    key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0
):
    """`categorical_column_with_vocabulary_list` applied at every step."""
    return SequenceCategoricalColumn(_cat.categorical_column_with_vocabulary_list(
        key, vocabulary_list, dtype, default_value, num_oov_buckets
    ))


def sequence_categorical_column_with_vocabulary_file(
    key, vocabulary_file, vocabulary_size=None, num_oov_buckets=0, default_value=None,
    dtype=tf.string,
):
    """`categorical_column_with_vocabulary_file` applied at every step."""
    return SequenceCategoricalColumn(_cat.categorical_column_with_vocabulary_file(
        key, vocabulary_file, vocabulary_size, dtype, default_value, num_oov_buckets
    ))
