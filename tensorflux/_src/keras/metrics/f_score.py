"""F-beta and F1 scores from accumulated per-class TP/FP/FN counts."""

from __future__ import annotations

import tensorflux as tf
from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras.metrics.base import Metric
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.metrics"


@register_builtin(_MODULE)
class FBetaScore(Metric):
    """F-beta score (1 + beta^2) P R / (beta^2 P + R) for multi-class / multi-label outputs.

    Args:
      average: None (one score per class), "micro" (counts pooled over classes), "macro"
        (unweighted mean of class scores) or "weighted" (mean weighted by label support).
      beta: the weight of recall relative to precision (> 0).
      threshold: predictions above it count as positive; None: the arg-max of each sample.
      name: the metric name.
      dtype: the dtype of the state.

    Raises:
      ValueError: for an unknown `average`, a non-positive `beta`, or a `threshold` outside
        (0, 1].
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: "
                "{None, 'micro', 'macro', 'weighted'}. "
                f"Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float. "
                f"Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if y_pred_shape.rank != 2 or y_true_shape.rank != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim), with "
                "output_dim fully defined (not None). Received input shapes: "
                f"y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        self.true_positives = self.add_variable(shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(shape, "zeros", name="false_positives")
        self.false_negatives = self.add_variable(shape, "zeros", name="false_negatives")
        self.intermediate_weights = self.add_variable(shape, "zeros", name="intermediate_weights")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = dtypes.as_dtype(self.dtype)
        y_true = tf.cast(tf.convert_to_tensor(y_true), dt)
        y_pred = tf.cast(tf.convert_to_tensor(y_pred), dt)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        if self.threshold is None:
            top = tf.reduce_max(y_pred, axis=-1, keepdims=True)
            # abs > tiny keeps an all-zero row from marking every class.
            pred = tf.logical_and(y_pred >= top, tf.abs(y_pred) > 1e-9)
        else:
            pred = y_pred > self.threshold
        pred = tf.cast(pred, dt)

        def wsum(v):
            if sample_weight is not None:
                w = tf.cast(tf.convert_to_tensor(sample_weight), dt)
                v = v * tf.expand_dims(w, 1)
            return tf.reduce_sum(v, axis=self.axis)

        self.true_positives.assign(self.true_positives + wsum(pred * y_true))
        self.false_positives.assign(self.false_positives + wsum(pred * (1.0 - y_true)))
        self.false_negatives.assign(self.false_negatives + wsum((1.0 - pred) * y_true))
        self.intermediate_weights.assign(self.intermediate_weights + wsum(y_true))

    def result(self):
        eps = backend.epsilon()
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + eps)
        recall = tp / (tp + self.false_negatives + eps)
        b2 = self.beta**2
        f = (1.0 + b2) * (precision * recall) / (b2 * precision + recall + eps)
        if self.average == "weighted":
            w = self.intermediate_weights
            f = tf.reduce_sum(f * (w / (tf.reduce_sum(w) + eps)))
        elif self.average is not None:
            f = tf.reduce_mean(f)
        return f

    def reset_state(self):
        for v in self.variables:
            v.assign(tf.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


@register_builtin(_MODULE)
class F1Score(FBetaScore):
    """F1 score: the harmonic mean of precision and recall (F-beta with beta = 1).

    Args:
      average: None, "micro", "macro" or "weighted" (see `FBetaScore`).
      threshold: predictions above it count as positive; None: the arg-max of each sample.
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
