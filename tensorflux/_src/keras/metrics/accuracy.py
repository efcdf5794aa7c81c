"""Accuracy metrics: exact match, binary threshold, (sparse) categorical and top-k."""

from __future__ import annotations

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.losses.loss import squeeze_or_expand_to_same_rank
from tensorflux._src.keras.metrics.base import MeanMetricWrapper
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.metrics"


def accuracy(y_true, y_pred):
    """1.0 where `y_true == y_pred`, else 0.0."""
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = tf.cast(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return tf.cast(tf.equal(y_true, y_pred), backend.floatx())


@register_builtin(_MODULE)
def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where `(y_pred > threshold)` equals the binary label, else 0.0 (element-wise).

    Args:
      y_true: binary labels.
      y_pred: predicted probabilities (or scores).
      threshold: the decision threshold.

    Returns:
      Per-element matches as floats.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    pred = tf.cast(tf.greater(y_pred, tf.cast(threshold, y_pred.dtype)), y_true.dtype)
    return tf.cast(tf.equal(y_true, pred), backend.floatx())


@register_builtin(_MODULE)
def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label equals argmax(y_pred), else 0.0.

    Args:
      y_true: integer labels, shape `[batch]` or `[batch, 1]`.
      y_pred: class scores, shape `[batch, num_classes]`.

    Returns:
      Per-sample matches, shaped like `y_true`.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    shape = tf.shape(y_true)
    reshape = False
    if (
        y_true.shape.rank is not None
        and y_true.shape.rank == y_pred.shape.rank
        and y_true.shape[-1] == 1
    ):
        y_true = tf.squeeze(y_true, -1)
        reshape = True
    pred = tf.argmax(y_pred, axis=-1)
    if pred.dtype != y_true.dtype:
        pred = tf.cast(pred, y_true.dtype)
    matches = tf.cast(tf.equal(y_true, pred), backend.floatx())
    if reshape:
        matches = tf.reshape(matches, shape)
    return matches


@register_builtin(_MODULE)
def categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_true) equals argmax(y_pred), else 0.0 (per sample).

    Args:
      y_true: one-hot labels, shape `[batch, num_classes]`.
      y_pred: class scores, same shape.

    Returns:
      Per-sample matches as floats.
    """
    y_true = tf.argmax(tf.convert_to_tensor(y_true), axis=-1)
    return sparse_categorical_accuracy(y_true, y_pred)


@register_builtin(_MODULE)
def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer label is among the `k` highest-scored classes, else 0.0.

    Args:
      y_true: integer labels, shape `[batch]` or `[batch, 1]`.
      y_pred: class scores `[batch, num_classes]`, or with `from_sorted_ids` the class ids
        sorted by decreasing score.
      k: how many top classes count.
      from_sorted_ids: whether `y_pred` holds sorted class ids.

    Returns:
      Per-sample matches, shaped like `y_true`.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    shape = tf.shape(y_true)
    reshape = False
    if y_true.shape.rank is not None and y_pred.shape.rank is not None:
        if y_pred.shape.rank > 2:
            y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
        if y_true.shape.rank > 1:
            reshape = True
            y_true = tf.reshape(y_true, [-1])
    if from_sorted_ids:
        ids = tf.cast(y_pred[:, :k], tf.int64)
        hit = tf.reduce_any(tf.equal(tf.expand_dims(tf.cast(y_true, tf.int64), -1), ids), -1)
    else:
        hit = tf.math.in_top_k(tf.cast(y_true, tf.int32), tf.cast(y_pred, tf.float32), k)
    matches = tf.cast(hit, backend.floatx())
    if reshape:
        matches = tf.reshape(matches, shape)
    return matches


@register_builtin(_MODULE)
def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where argmax(y_true) is among the `k` highest-scored classes, else 0.0.

    Args:
      y_true: one-hot labels, shape `[batch, num_classes]`.
      y_pred: class scores, same shape.
      k: how many top classes count.

    Returns:
      Per-sample matches as floats.
    """
    y_true = tf.argmax(tf.convert_to_tensor(y_true), axis=-1)
    return sparse_top_k_categorical_accuracy(y_true, y_pred, k=k)


@register_builtin(_MODULE)
class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin(_MODULE)
class BinaryAccuracy(MeanMetricWrapper):
    """How often thresholded predictions match binary labels.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
      threshold: the decision threshold.
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


@register_builtin(_MODULE)
class CategoricalAccuracy(MeanMetricWrapper):
    """How often argmax of predictions matches argmax of one-hot labels.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin(_MODULE)
class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often argmax of predictions matches integer labels.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin(_MODULE)
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label is among the top `k` predictions.

    Args:
      k: how many top classes count.
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


@register_builtin(_MODULE)
class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the top `k` predictions.

    Args:
      k: how many top classes count.
      name: the metric name.
      dtype: the dtype of the state.
      from_sorted_ids: whether predictions are class ids sorted by score.
    """

    def __init__(
        self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None, from_sorted_ids=False
    ):
        super().__init__(
            fn=sparse_top_k_categorical_accuracy,
            name=name,
            dtype=dtype,
            k=k,
            from_sorted_ids=from_sorted_ids,
        )
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config
