"""`SequenceFeatures`: Keras 2's layer evaluating sequence columns to `(batch, steps, width)`."""

from __future__ import annotations

import math

import tensorflux as tf
from tensorflux._src.feature_column.base import TransformCache
from tensorflux._src.keras.layers.layer import Layer


def _is_sequence_dense(col) -> bool:
    from tensorflux._src.feature_column.dense import EmbeddingColumn, IndicatorColumn
    from tensorflux._src.feature_column.sequence import (
        SequenceCategoricalColumn, SequenceNumericColumn,
    )  # fmt: skip

    if isinstance(col, SequenceNumericColumn):
        return True
    return isinstance(col, (EmbeddingColumn, IndicatorColumn)) and isinstance(
        col.categorical_column, SequenceCategoricalColumn
    )


class SequenceFeatures(Layer):
    """Turns a dict of sequence features into `(sequence_input, sequence_length)`.

    `sequence_input` concatenates, in order of column names, each column's per-step values
    flattened to `(batch, steps, prod(variable_shape))`; every column must give the same
    sequence lengths, which are returned as `sequence_length` (int64, one per example).

    Args:
      feature_columns: `sequence_numeric_column`s and indicator/embedding columns of
        `sequence_categorical_column_with_*` columns.
      trainable: whether the embedding tables are trained.
      name: the layer's name.
    """

    def __init__(self, feature_columns, trainable=True, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        cols = list(feature_columns)
        for c in cols:
            if not _is_sequence_dense(c):
                raise ValueError(
                    "All feature_columns must be of type SequenceDenseColumn. You can wrap a "
                    "sequence_categorical_column with an embedding_column or indicator_column. "
                    f"Given: {c}"
                )
        self._feature_columns = sorted(cols, key=lambda c: c.name)
        self._state = {}

    def build(self, input_shape=None):
        for col in self._feature_columns:
            col._create_state(self, self._state)
        self.built = True

    def call(self, features, training=None):
        cache = TransformCache(features)
        outputs, lengths = [], None
        for col in self._feature_columns:
            dense, length = col._sequence_dense(cache, self._state)
            width = math.prod(col.variable_shape.as_list())
            shape = tf.shape(dense)
            outputs.append(tf.reshape(dense, tf.stack([shape[0], shape[1], width])))
            if lengths is None:
                lengths = length
            elif tf.executing_eagerly() and not bool(tf.reduce_all(tf.equal(lengths, length))):
                raise tf.errors.InvalidArgumentError(
                    None, None,
                    f"SequenceFeatures: column {col.name} has sequence lengths "
                    f"{length.numpy().tolist()}, other columns {lengths.numpy().tolist()}",
                )
        return tf.concat(outputs, axis=-1), lengths
