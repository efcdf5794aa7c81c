"""Dense wrappers of categorical columns: `indicator_column`, `embedding_column` and
`shared_embeddings`."""

from __future__ import annotations

import collections
import math

import tensorflux as tf
from tensorflux._src.feature_column.base import CategoricalColumn, DenseColumn
from tensorflux._src.feature_column.sequence import SequenceCategoricalColumn, sequence_length

_COMBINERS = ("mean", "sqrtn", "sum")


def _flat_ids(cat, cache, state):
    """The ids of a categorical column as (row of each id, id, weight) vectors."""
    ids, weights = cat._ids(cache, state)
    rows = ids.indices[:, 0]
    values = tf.cast(ids.values, tf.int64)
    if weights is None:
        w = tf.ones_like(values, dtype=tf.float32)
    else:
        w = tf.cast(weights.values, tf.float32)
    batch = ids.dense_shape[0]
    return rows, values, w, batch


def _not_sequence(fn_name, column):
    cat = column.categorical_column
    if isinstance(cat, SequenceCategoricalColumn):
        raise ValueError(
            f"In {fn_name}: {column.name}. categorical_column must not be of type "
            "SequenceCategoricalColumn. Suggested fix A: If you wish to use DenseFeatures, use a "
            "non-sequence categorical_column_with_*. Suggested fix B: If you wish to create "
            "sequence input, use SequenceFeatures instead of DenseFeatures. Given (type "
            f"{type(cat)}): {cat}"
        )


def _step_ids(column, cache, state):
    """Ids of a sequence column keyed by (example, step): segment `row * steps + step`."""
    cat = column.categorical_column
    if not isinstance(cat, SequenceCategoricalColumn):
        raise ValueError(
            f"In {type(column).__name__} {column.name}: categorical_column must be of type "
            f"SequenceCategoricalColumn to use SequenceFeatures. Given (type {type(cat)}): {cat}"
        )
    ids, _ = cat._ids(cache, state)
    _, values, w, batch = _flat_ids(cat, cache, state)
    steps = ids.dense_shape[1]
    segs = ids.indices[:, 0] * steps + ids.indices[:, 1]
    return segs, values, w, batch, steps, sequence_length(ids)


class IndicatorColumn(
    DenseColumn, collections.namedtuple("IndicatorColumn", ("categorical_column",))
):
    """A multi-hot vector over the column's ids: each id's count (or summed weights)."""

    __slots__ = ()

    @property
    def name(self):
        return f"{self.categorical_column.name}_indicator"

    @property
    def parse_example_spec(self):
        return self.categorical_column.parse_example_spec

    @property
    def variable_shape(self):
        return tf.TensorShape([self.categorical_column.num_buckets])

    def _transform(self, cache, state):
        _not_sequence("indicator_column", self)
        rows, ids, w, batch = _flat_ids(self.categorical_column, cache, state)
        # Ids outside [0, num_buckets) (e.g. a default_value of -1) one-hot to zeros.
        hot = tf.one_hot(ids, self.categorical_column.num_buckets, dtype=tf.float32)
        return tf.math.unsorted_segment_sum(hot * tf.expand_dims(w, -1), rows, batch)

    def _dense(self, cache, state):
        return cache.get(self, state)

    def _sequence_dense(self, cache, state):
        segs, ids, w, batch, steps, lengths = _step_ids(self, cache, state)
        n = self.categorical_column.num_buckets
        hot = tf.one_hot(ids, n, dtype=tf.float32) * tf.expand_dims(w, -1)
        out = tf.math.unsorted_segment_sum(hot, segs, batch * steps)
        return tf.reshape(out, tf.stack([batch, steps, n])), lengths


def indicator_column(categorical_column):
    """The dense multi-hot form of a categorical column."""
    if not isinstance(categorical_column, CategoricalColumn):
        raise ValueError(
            "Unsupported input type. Input must be a CategoricalColumn. "
            f"Given: {categorical_column}"
        )
    return IndicatorColumn(categorical_column)


def _combine(table, rows, ids, w, batch, combiner, max_norm):
    """Sums the looked-up rows of `table` per example, scaled as `combiner` says."""
    if combiner not in _COMBINERS:
        raise ValueError(f"combiner must be one of 'mean', 'sqrtn' or 'sum', got {combiner!r}")
    # Like safe_embedding_lookup_sparse: invalid ids and non-positive weights are dropped.
    keep = tf.logical_and(ids >= 0, w > 0)
    rows, ids, w = (tf.boolean_mask(t, keep) for t in (rows, ids, w))
    vecs = tf.gather(table, ids)
    if max_norm is not None:
        vecs = tf.clip_by_norm(vecs, max_norm, axes=[1])
    total = tf.math.unsorted_segment_sum(vecs * tf.expand_dims(w, -1), rows, batch)
    if combiner == "sum":
        return total
    scale = w if combiner == "mean" else w * w
    denom = tf.math.unsorted_segment_sum(scale, rows, batch)
    if combiner == "sqrtn":
        denom = tf.sqrt(denom)
    # Empty examples stay zero vectors.
    return tf.math.divide_no_nan(total, tf.expand_dims(denom, -1))


def _default_initializer(dimension):
    return tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=1.0 / math.sqrt(dimension))


def _call_initializer(init, shape, dtype):
    try:
        return init(shape, dtype=dtype)
    except TypeError:
        return init(shape)


class EmbeddingColumn(
    DenseColumn,
    collections.namedtuple(
        "EmbeddingColumn",
        ("categorical_column", "dimension", "combiner", "initializer", "ckpt_to_load_from",
         "tensor_name_in_ckpt", "max_norm", "trainable", "use_safe_embedding_lookup"),
    ),
):
    """A learned `dimension`-vector per id, combined over an example's ids."""

    __slots__ = ()

    @property
    def name(self):
        return f"{self.categorical_column.name}_embedding"

    @property
    def parse_example_spec(self):
        return self.categorical_column.parse_example_spec

    @property
    def variable_shape(self):
        return tf.TensorShape([self.dimension])

    def _table_shape(self):
        return (self.categorical_column.num_buckets, self.dimension)

    def _create_state(self, layer, state):
        init = self.initializer

        def make(shape, dtype=None):
            return _call_initializer(init, shape, dtype or tf.float32)

        state[self.name] = layer.add_weight(
            name=f"{self.name}_weights", shape=self._table_shape(), dtype="float32",
            initializer=make, trainable=self.trainable and layer.trainable,
        )

    def _transform(self, cache, state):
        if state is None or self.name not in state:
            raise ValueError(f"Embedding column {self.name} needs a DenseFeatures layer's state.")
        _not_sequence("embedding_column", self)
        rows, ids, w, batch = _flat_ids(self.categorical_column, cache, state)
        return _combine(state[self.name], rows, ids, w, batch, self.combiner, self.max_norm)

    def _dense(self, cache, state):
        return cache.get(self, state)

    def _sequence_dense(self, cache, state):
        segs, ids, w, batch, steps, lengths = _step_ids(self, cache, state)
        out = _combine(state[self.name], segs, ids, w, batch * steps, self.combiner,
                       self.max_norm)
        return tf.reshape(out, tf.stack([batch, steps, self.dimension])), lengths


def embedding_column(
    categorical_column, dimension, combiner="mean", initializer=None, ckpt_to_load_from=None,
    tensor_name_in_ckpt=None, max_norm=None, trainable=True, use_safe_embedding_lookup=True,
):
    """A dense column that embeds a categorical column's ids into `dimension` floats.

    `combiner` ('mean', 'sqrtn' or 'sum') reduces several ids of one example (weighted by a
    `weighted_categorical_column`); `initializer` defaults to a truncated normal with
    standard deviation `1 / sqrt(dimension)`.
    """
    if dimension is None or dimension < 1:
        raise ValueError(f"Invalid dimension {dimension}.")
    if (ckpt_to_load_from is None) != (tensor_name_in_ckpt is None):
        raise ValueError(
            "Must specify both `ckpt_to_load_from` and `tensor_name_in_ckpt` or none of them."
        )
    if ckpt_to_load_from is not None:
        raise NotImplementedError("embedding_column: ckpt_to_load_from is not supported yet")
    if initializer is not None and not callable(initializer):
        raise ValueError(
            "initializer must be callable if specified. Embedding of column_name: "
            f"{categorical_column.name}"
        )
    if initializer is None:
        initializer = _default_initializer(dimension)
    return EmbeddingColumn(
        categorical_column, dimension, combiner, initializer, ckpt_to_load_from,
        tensor_name_in_ckpt, max_norm, trainable, use_safe_embedding_lookup,
    )


def shared_embeddings(
    categorical_columns, dimension, combiner="mean", initializer=None,
    shared_embedding_collection_name=None,
    ckpt_to_load_from=None, tensor_name_in_ckpt=None, max_norm=None, trainable=True,
    use_safe_embedding_lookup=True,
):
    """Embedding columns sharing one table; like TensorFlow 2, unavailable in eager mode."""
    if tf.executing_eagerly():
        raise RuntimeError(
            "shared_embedding_columns are not supported when eager execution is enabled."
        )
    raise NotImplementedError(
        "shared_embeddings is only usable in TF1 graph mode, which tensorflux does not provide"
    )
