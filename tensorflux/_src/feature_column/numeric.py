"""`numeric_column` and `bucketized_column`."""

from __future__ import annotations

import collections
import math

import numpy as np

import tensorflux as tf
from tensorflux._src.feature_column.base import CategoricalColumn, DenseColumn, check_key


def _shape_tuple(shape, key):
    shape = (shape,) if isinstance(shape, int) else tuple(int(d) for d in shape)
    for d in shape:
        if d < 1:
            raise ValueError(f"shape dimensions must be greater than 0. shape: {shape}, key: {key}")
    return shape


def _default_tuple(default_value, shape, dtype, key):
    if default_value is None:
        return None
    arr = np.asarray(default_value, dtype=dtype.as_numpy_dtype)
    if arr.ndim == 0:
        arr = np.full(shape, arr)
    elif arr.shape != shape:
        raise ValueError(
            "The shape of default_value must be equal to given shape. "
            f"default_value: {default_value}, shape: {shape}, key: {key}"
        )
    # Nested tuples, as tf.io.FixedLenFeature expects.
    return tuple(np.asarray(arr).tolist()) if arr.ndim == 1 else _nested(arr.tolist())


def _nested(v):
    return tuple(_nested(x) for x in v) if isinstance(v, list) else v


class NumericColumn(
    DenseColumn,
    collections.namedtuple(
        "NumericColumn", ("key", "shape", "default_value", "dtype", "normalizer_fn")
    ),
):
    """A real-valued feature read as a dense tensor of `shape` per example."""

    __slots__ = ()

    @property
    def name(self):
        return self.key

    @property
    def parse_example_spec(self):
        return {self.key: tf.io.FixedLenFeature(self.shape, self.dtype, self.default_value)}

    @property
    def variable_shape(self):
        return tf.TensorShape(self.shape)

    def _transform(self, cache, state):
        x = cache.get(self.key, state)
        if isinstance(x, tf.sparse.SparseTensor):
            raise ValueError(
                "The corresponding Tensor of numerical column must be a Tensor. "
                f"SparseTensor is not supported. key: {self.key}"
            )
        if self.normalizer_fn is not None:
            x = self.normalizer_fn(x)
        return tf.cast(x, tf.float32)

    def _dense(self, cache, state):
        x = cache.get(self, state)
        return tf.reshape(x, [-1] + list(self.shape))


def numeric_column(key, shape=(1,), default_value=None, dtype=tf.float32, normalizer_fn=None):
    """A column for dense numeric features of a fixed `shape` per example.

    `default_value` fills examples missing the feature when parsing; `normalizer_fn` is applied
    to the raw tensor before it is cast to float32.
    """
    check_key(key)
    shape = _shape_tuple(shape, key)
    dtype = tf.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype must be convertible to float. dtype: {dtype!r}, key: {key}")
    default_value = _default_tuple(default_value, shape, dtype, key)
    if normalizer_fn is not None and not callable(normalizer_fn):
        raise TypeError(f"normalizer_fn must be a callable. Given: {normalizer_fn}")
    return NumericColumn(key, shape, default_value, dtype, normalizer_fn)


class BucketizedColumn(
    DenseColumn,
    CategoricalColumn,
    collections.namedtuple("BucketizedColumn", ("source_column", "boundaries")),
):
    """A numeric column discretised by `boundaries`: bucket i holds `b[i-1] <= x < b[i]`."""

    __slots__ = ()

    @property
    def name(self):
        return f"{self.source_column.name}_bucketized"

    @property
    def parse_example_spec(self):
        return self.source_column.parse_example_spec

    @property
    def _size(self):
        return math.prod(self.source_column.shape)

    @property
    def num_buckets(self):
        return (len(self.boundaries) + 1) * self._size

    @property
    def variable_shape(self):
        return tf.TensorShape(tuple(self.source_column.shape) + (len(self.boundaries) + 1,))

    def _transform(self, cache, state):
        x = cache.get(self.source_column, state)
        bounds = tf.constant(self.boundaries, dtype=x.dtype)
        # Bucket = number of boundaries at or below the value.
        return tf.reduce_sum(tf.cast(tf.expand_dims(x, -1) >= bounds, tf.int64), axis=-1)

    def _dense(self, cache, state):
        b = cache.get(self, state)
        b = tf.reshape(b, [-1] + list(self.source_column.shape))
        return tf.one_hot(b, len(self.boundaries) + 1, dtype=tf.float32)

    def _ids(self, cache, state):
        b = tf.reshape(cache.get(self, state), [-1, self._size])
        # Element i of the source shape uses ids [i * nb, (i + 1) * nb).
        nb = len(self.boundaries) + 1
        ids = b + tf.range(self._size, dtype=tf.int64) * nb
        batch = tf.shape(ids, out_type=tf.int64)[0]
        rows = tf.repeat(tf.range(batch), self._size)
        cols = tf.tile(tf.range(self._size, dtype=tf.int64), [batch])
        indices = tf.stack([rows, cols], axis=1)
        return tf.sparse.SparseTensor(
            indices, tf.reshape(ids, [-1]), tf.stack([batch, tf.constant(self._size, tf.int64)])
        ), None


def bucketized_column(source_column, boundaries):
    """Splits a `numeric_column` into buckets at the sorted `boundaries`.

    The dense form is a one-hot vector per element; as a categorical column the ids count
    `(len(boundaries) + 1) * prod(shape)` buckets.
    """
    if not isinstance(source_column, NumericColumn):
        raise ValueError(
            "source_column must be a column generated with numeric_column(). "
            f"Given: {source_column}"
        )
    if len(source_column.shape) > 1:
        raise ValueError(
            f"source_column must be one-dimensional column. Given: {source_column}"
        )
    if not boundaries:
        raise ValueError("boundaries must not be empty.")
    if not isinstance(boundaries, (list, tuple)):
        raise ValueError("boundaries must be a sorted list.")
    for a, b in zip(boundaries[:-1], boundaries[1:]):
        if not a < b:
            raise ValueError("boundaries must be a sorted list.")
    return BucketizedColumn(source_column, tuple(float(b) for b in boundaries))
