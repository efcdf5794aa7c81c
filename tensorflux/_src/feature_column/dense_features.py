"""`DenseFeatures`: the Keras layer that evaluates dense feature columns on a dict of features."""

from __future__ import annotations

import math

import tensorflux as tf
from tensorflux._src.feature_column.base import DenseColumn, TransformCache
from tensorflux._src.keras.layers.layer import Layer


def _as_column_list(feature_columns):
    if isinstance(feature_columns, DenseColumn) or not hasattr(feature_columns, "__iter__"):
        feature_columns = [feature_columns]
    cols = list(feature_columns)
    if not cols:
        raise ValueError("Expected feature_columns to be iterable, found list: [].")
    for c in cols:
        if not isinstance(c, DenseColumn):
            raise ValueError(
                "Items of feature_columns must be a DenseColumn. You can wrap a categorical "
                f"column with an embedding_column or indicator_column. Given: {c}"
            )
    names = [c.name for c in cols]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"Duplicate feature column name found for columns: {dup}")
    return sorted(cols, key=lambda c: c.name)


class DenseFeatures(Layer):
    """Turns a dict of features into one dense tensor, one block per column.

    Columns are evaluated in order of their names and each block is flattened to
    `(batch, prod(variable_shape))` before concatenation. Embedding columns own their tables as
    this layer's weights.

    Args:
      feature_columns: dense columns (numeric, bucketized, indicator, embedding).
      trainable: whether the embedding tables are trained.
      name: the layer's name.
    """

    def __init__(self, feature_columns, trainable=True, name=None, partitioner=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        if partitioner is not None:
            raise NotImplementedError("DenseFeatures: variable partitioners are not supported")
        self._feature_columns = _as_column_list(feature_columns)
        self._state = {}

    @property
    def feature_columns(self):
        return list(self._feature_columns)

    def build(self, input_shape=None):
        for col in self._feature_columns:
            col._create_state(self, self._state)
        self.built = True

    def _width(self, col):
        return math.prod(col.variable_shape.as_list())

    def call(self, features, cols_to_output_tensors=None, training=None):
        cache = TransformCache(features)
        outputs = []
        for col in self._feature_columns:
            t = col._dense(cache, self._state)
            flat = tf.reshape(t, [-1, self._width(col)])
            if cols_to_output_tensors is not None:
                cols_to_output_tensors[col] = flat
            outputs.append(flat)
        return tf.concat(outputs, axis=-1)

    def compute_output_shape(self, input_shape):
        batch = None
        if isinstance(input_shape, dict) and input_shape:
            first = next(iter(input_shape.values()))
            batch = tuple(first)[0] if first is not None else None
        return (batch, sum(self._width(c) for c in self._feature_columns))

    def get_config(self):
        config = super().get_config()
        config["feature_columns"] = list(self._feature_columns)
        return config
