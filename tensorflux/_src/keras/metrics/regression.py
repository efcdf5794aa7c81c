"""Regression metrics: (root) mean squared/absolute errors, cosine similarity, log-cosh, R2,
Pearson and concordance correlation."""

from __future__ import annotations

import warnings

import tensorflux as tf
from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras.losses import functions as F
from tensorflux._src.keras.losses.loss import squeeze_or_expand_to_same_rank
from tensorflux._src.keras.metrics.base import Mean, MeanMetricWrapper, Metric
from tensorflux._src.keras.metrics.probabilistic import _simple
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.metrics"

MeanSquaredError = _simple(
    "MeanSquaredError", F.mean_squared_error, "mean_squared_error", "Mean of squared differences."
)
MeanAbsoluteError = _simple(
    "MeanAbsoluteError",
    F.mean_absolute_error,
    "mean_absolute_error",
    "Mean of absolute differences.",
)
MeanAbsolutePercentageError = _simple(
    "MeanAbsolutePercentageError",
    F.mean_absolute_percentage_error,
    "mean_absolute_percentage_error",
    "Mean absolute percentage error.",
)
MeanSquaredLogarithmicError = _simple(
    "MeanSquaredLogarithmicError",
    F.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error",
    "Mean squared logarithmic error.",
)
LogCoshError = _simple("LogCoshError", F.log_cosh, "logcosh", "Mean log(cosh(error)).")


def cosine_similarity(y_true, y_pred, axis=-1):
    """Cosine similarity along `axis` (1 for aligned vectors)."""
    y_true, y_pred = F._pair(y_true, y_pred)
    return tf.reduce_sum(F._l2_normalize(y_true, axis) * F._l2_normalize(y_pred, axis), axis=axis)


@register_builtin(_MODULE)
class CosineSimilarity(MeanMetricWrapper):
    """Mean cosine similarity between labels and predictions.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
      axis: the axis holding the vectors.
    """

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin(_MODULE)
class RootMeanSquaredError(Mean):
    """sqrt of the (weighted) mean of squared errors.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = dtypes.as_dtype(self.dtype)
        y_true = tf.cast(tf.convert_to_tensor(y_true), dt)
        y_pred = tf.cast(tf.convert_to_tensor(y_pred), dt)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(tf.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return tf.sqrt(super().result())


def _centered(x, axis):
    return x - tf.reduce_mean(x, axis=axis, keepdims=True)


@register_builtin(_MODULE)
def pearson_correlation(y_true, y_pred, axis=-1):
    """Pearson correlation coefficient along `axis`.

    Args:
      y_true: the targets.
      y_pred: the predictions.
      axis: the axis the correlation is taken over.

    Returns:
      The coefficients (one per remaining index).
    """
    y_true, y_pred = F._pair(y_true, y_pred)
    t = _centered(y_true, axis) / tf.math.reduce_std(y_true, axis=axis, keepdims=True)
    p = _centered(y_pred, axis) / tf.math.reduce_std(y_pred, axis=axis, keepdims=True)
    return tf.reduce_mean(t * p, axis=axis)


@register_builtin(_MODULE)
def concordance_correlation(y_true, y_pred, axis=-1):
    """Lin's concordance correlation coefficient along `axis`.

    Args:
      y_true: the targets.
      y_pred: the predictions.
      axis: the axis the coefficient is taken over.

    Returns:
      The coefficients (one per remaining index).
    """
    y_true, y_pred = F._pair(y_true, y_pred)
    mt = tf.reduce_mean(y_true, axis=axis, keepdims=True)
    mp = tf.reduce_mean(y_pred, axis=axis, keepdims=True)
    vt = tf.math.reduce_variance(y_true - mt, axis=axis, keepdims=True)
    vp = tf.math.reduce_variance(y_pred - mp, axis=axis, keepdims=True)
    cov = (y_true - mt) * (y_pred - mp)
    norm = vt + vp + tf.square(mt - mp)
    return tf.reduce_mean(2.0 * cov / (norm + backend.epsilon()), axis=axis)


@register_builtin(_MODULE)
class PearsonCorrelation(MeanMetricWrapper):
    """Mean Pearson correlation between labels and predictions.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
      axis: the axis the correlation is taken over.
    """

    def __init__(self, name="pearson_correlation", dtype=None, axis=-1):
        super().__init__(pearson_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


@register_builtin(_MODULE)
class ConcordanceCorrelation(MeanMetricWrapper):
    """Mean concordance correlation between labels and predictions.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
      axis: the axis the coefficient is taken over.
    """

    def __init__(self, name="concordance_correlation", dtype=None, axis=-1):
        super().__init__(concordance_correlation, name=name, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "axis": self.axis}


@register_builtin(_MODULE)
class R2Score(Metric):
    """The coefficient of determination, per output then aggregated.

    Args:
      class_aggregation: "uniform_average" (default), "variance_weighted_average" or None
        (one score per output).
      num_regressors: the number of independent regressors (adjusted R2 when > 0).
      name: the metric name.
      dtype: the dtype of the state.

    Raises:
      ValueError: for an unknown `class_aggregation` or a negative `num_regressors`.
    """

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        valid = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in valid:
            raise ValueError(
                "Invalid value for argument `class_aggregation`. Expected one of "
                f"{valid}. Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_variable(shape=(), initializer="zeros", name="num_samples")
        self._built = False

    def _build(self, y_true_shape, y_pred_shape):
        if y_true_shape.rank != 2 or y_pred_shape.rank != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received input "
                f"shapes: y_pred.shape={y_pred_shape} and y_true.shape={y_true_shape}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), with output_dim "
                f"fully defined (not None). Received input shapes: y_pred.shape={y_pred_shape} "
                f"and y_true.shape={y_true_shape}."
            )
        n = y_pred_shape[-1]
        self.squared_sum = self.add_variable((n,), "zeros", name="squared_sum")
        self.sum = self.add_variable((n,), "zeros", name="sum")
        self.total_mse = self.add_variable((n,), "zeros", name="residual")
        self.count = self.add_variable((n,), "zeros", name="count")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        dt = dtypes.as_dtype(self.dtype)
        y_true = tf.cast(tf.convert_to_tensor(y_true), dt)
        y_pred = tf.cast(tf.convert_to_tensor(y_pred), dt)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if not self._built:
            self._build(y_true.shape, y_pred.shape)
        w = tf.cast(tf.convert_to_tensor(1 if sample_weight is None else sample_weight), dt)
        if w.shape.rank == 1:
            w = tf.expand_dims(w, 1)
        w = tf.broadcast_to(w, tf.shape(y_true))
        wy = y_true * w
        self.sum.assign(self.sum + tf.reduce_sum(wy, axis=0))
        self.squared_sum.assign(self.squared_sum + tf.reduce_sum(y_true * wy, axis=0))
        self.total_mse.assign(
            self.total_mse + tf.reduce_sum(tf.square(y_true - y_pred) * w, axis=0)
        )
        self.count.assign(self.count + tf.reduce_sum(w, axis=0))
        self.num_samples.assign(self.num_samples + tf.cast(tf.size(y_true), dt))

    def result(self):
        mean = self.sum / self.count
        total = self.squared_sum - self.sum * mean
        raw = 1.0 - self.total_mse / total
        raw = tf.where(tf.math.is_inf(raw), tf.zeros_like(raw), raw)
        if self.class_aggregation == "uniform_average":
            r2 = tf.reduce_mean(raw)
        elif self.class_aggregation == "variance_weighted_average":
            r2 = tf.reduce_sum(total * raw) / tf.reduce_sum(total)
        else:
            r2 = raw
        if self.num_regressors != 0:
            n = float(self.num_samples.numpy()) if tf.executing_eagerly() else None
            p = float(self.num_regressors)
            if n is not None and p > n - 1:
                warnings.warn(
                    "More independent predictors than datapoints in adjusted R2 score. "
                    "Falling back to standard R2 score.",
                    stacklevel=2,
                )
            elif n is not None and p == n - 1:
                warnings.warn(
                    "Division by zero in Adjusted R2 score. Falling back to standard R2 score.",
                    stacklevel=2,
                )
            else:
                nn = tf.cast(self.num_samples, r2.dtype)
                r2 = 1.0 - (1.0 - r2) * (nn - 1.0) / (nn - p - 1.0)
        return r2

    def reset_state(self):
        for v in self.variables:
            v.assign(tf.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "class_aggregation": self.class_aggregation,
            "num_regressors": self.num_regressors,
        }
