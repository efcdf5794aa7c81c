"""Confusion-matrix metrics: TP/FP/TN/FN counts, Precision, Recall, AUC and the
"X at fixed Y" metrics, all from weighted counts at a list of thresholds.
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras.losses.loss import squeeze_or_expand_to_same_rank
from tensorflux._src.keras.metrics.base import Metric
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.metrics"
NEG_INF = -1e10


def _parse_thresholds(thresholds, default):
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple)) else [thresholds]
    for t in values:
        if t is None:
            raise ValueError("Threshold values must be in [0, 1]. Received: None")
    for t in values:
        if not 0 <= float(t) <= 1 and t != NEG_INF:
            raise ValueError(f"Threshold values must be in [0, 1]. Received: {values}")
    return [float(t) for t in values]


def _evenly_spaced(thresholds) -> bool:
    t = np.asarray(thresholds, dtype=np.float64)
    n = len(t) - 1
    if n < 1:
        return False
    return bool(np.allclose(t, np.arange(n + 1) / n, atol=backend.epsilon()))


def _filter_top_k(x, k):
    """Keeps the k largest entries of the last axis; the rest become NEG_INF."""
    _, idx = tf.math.top_k(x, k, sorted=False)
    hit = tf.reduce_sum(tf.one_hot(idx, tf.shape(x)[-1], dtype=x.dtype), axis=-2)
    return x * hit + (1.0 - hit) * NEG_INF


def update_confusion_counts(
    counts,
    y_true,
    y_pred,
    thresholds,
    thresholds_evenly=False,
    top_k=None,
    class_id=None,
    sample_weight=None,
    multi_label=False,
    label_weights=None,
):
    """Adds the weighted TP/FP/TN/FN counts at each threshold to `counts`' variables.

    `counts` maps any of "tp", "fp", "tn", "fn" to a variable of shape [T] (or [T, L] with
    `multi_label`). Labels are positive where non-zero; predictions where above the threshold.
    """
    var = next(iter(counts.values()))
    dt = var.dtype
    y_true = tf.cast(tf.convert_to_tensor(y_true), dt)
    y_pred = tf.cast(tf.convert_to_tensor(y_pred), dt)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is not None:
        sample_weight = tf.cast(tf.convert_to_tensor(sample_weight), dt)
        y_pred, sample_weight = squeeze_or_expand_to_same_rank(y_pred, sample_weight)
    if top_k is not None:
        y_pred = _filter_top_k(y_pred, top_k)
    if class_id is not None:
        y_true = y_true[..., class_id : class_id + 1]
        y_pred = y_pred[..., class_id : class_id + 1]
    num_t = len(thresholds)
    weights = None
    if sample_weight is not None:
        weights = tf.broadcast_to(sample_weight, tf.shape(y_pred))
    if label_weights is not None and not multi_label:
        lw = tf.broadcast_to(tf.cast(label_weights, dt), tf.shape(y_pred))
        weights = lw if weights is None else weights * lw
    if multi_label:
        n_labels = y_pred.shape[-1]
        if n_labels is None:
            n_labels = tf.shape(y_pred)[-1]
        shape = tf.stack([-1, n_labels]) if isinstance(n_labels, tf.Tensor) else [-1, n_labels]
    else:
        shape = [-1, 1]
    # Rows are examples, columns labels (a single column unless multi_label).
    pred = tf.reshape(y_pred, shape)
    pos = tf.cast(tf.reshape(tf.not_equal(y_true, 0.0), shape), dt)
    w = tf.ones_like(pred) if weights is None else tf.reshape(weights, shape)
    if thresholds_evenly:
        sums = _bucketed_counts(pred, pos, w, num_t, dt)
    else:
        thr = tf.constant(np.asarray(thresholds, np.float64), dtype=dt)
        above = tf.cast(tf.greater(tf.expand_dims(pred, 0), tf.reshape(thr, [num_t, 1, 1])), dt)
        tp = tf.reduce_sum(above * (pos * w), axis=1)
        fp = tf.reduce_sum(above * ((1.0 - pos) * w), axis=1)
        sums = (tp, fp, tf.reduce_sum(pos * w, axis=0), tf.reduce_sum((1.0 - pos) * w, axis=0))
    tp, fp, all_pos, all_neg = sums
    values = {"tp": tp, "fp": fp, "fn": all_pos - tp, "tn": all_neg - fp}
    for key, variable in counts.items():
        v = values[key]
        variable.assign_add(v if multi_label else tf.reshape(v, [-1]))


def _bucketed_counts(pred, pos, w, num_t, dt):
    """TP/FP per evenly spaced threshold in O(N + T): each prediction lands in the bucket of the
    highest threshold it exceeds (the first threshold always passes), then a reverse cumulative
    sum counts every threshold below it."""
    n_labels = tf.shape(pred)[1]
    bucket = tf.cast(tf.math.ceil(pred * tf.cast(num_t - 1, dt)) - 1.0, tf.int32)
    bucket = tf.clip_by_value(bucket, 0, num_t - 1)
    # One segment per (bucket, label) pair.
    seg = tf.reshape(bucket * n_labels + tf.expand_dims(tf.range(n_labels), 0), [-1])
    n_seg = num_t * n_labels
    shape = tf.stack([num_t, n_labels])

    def per_bucket(v):
        total = tf.math.unsorted_segment_sum(tf.reshape(v, [-1]), seg, n_seg)
        return tf.cumsum(tf.reshape(total, shape), axis=0, reverse=True)

    tp = per_bucket(pos * w)
    fp = per_bucket((1.0 - pos) * w)
    return tp, fp, tf.reduce_sum(pos * w, axis=0), tf.reduce_sum((1.0 - pos) * w, axis=0)


class _ConfusionCount(Metric):
    _key = None

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.thresholds = _parse_thresholds(thresholds, 0.5)
        self._thresholds_distributed_evenly = False
        self.accumulator = self.add_variable(
            shape=(len(self.thresholds),), initializer="zeros", name="accumulator"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(
            {self._key: self.accumulator},
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
        )

    def result(self):
        if len(self.thresholds) == 1:
            return self.accumulator[0]
        return tf.identity(self.accumulator)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


def _count_class(class_name, key, what):
    doc = (
        f"The weighted number of {what} at each threshold.\n\n    Args:\n"
        "      thresholds: a threshold or list of thresholds in [0, 1] (default 0.5); the\n"
        "        result is a scalar for a single threshold.\n"
        "      name: the metric name.\n      dtype: the dtype of the state.\n    "
    )
    cls = type(
        class_name, (_ConfusionCount,), {"_key": key, "__doc__": doc, "__module__": __name__}
    )
    return register_builtin(_MODULE)(cls)


TruePositives = _count_class("TruePositives", "tp", "true positives")
FalsePositives = _count_class("FalsePositives", "fp", "false positives")
TrueNegatives = _count_class("TrueNegatives", "tn", "true negatives")
FalseNegatives = _count_class("FalseNegatives", "fn", "false negatives")


class _PrecisionRecall(Metric):
    _second = None  # "fp" for precision, "fn" for recall

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = 0.5 if top_k is None else NEG_INF
        self.thresholds = _parse_thresholds(thresholds, default)
        self._thresholds_distributed_evenly = False
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "zeros", name="true_positives")
        other = "false_positives" if self._second == "fp" else "false_negatives"
        setattr(self, other, self.add_variable((n,), "zeros", name=other))
        self._other = getattr(self, other)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(
            {"tp": self.true_positives, self._second: self._other},
            y_true,
            y_pred,
            self.thresholds,
            top_k=self.top_k,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def result(self):
        r = tf.math.divide_no_nan(self.true_positives, self.true_positives + self._other)
        if len(self.thresholds) == 1:
            return r[0]
        return r

    def reset_state(self):
        n = len(self.thresholds)
        for v in (self.true_positives, self._other):
            v.assign(tf.zeros((n,), dtype=v.dtype))

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


@register_builtin(_MODULE)
class Precision(_PrecisionRecall):
    """TP / (TP + FP) at each threshold.

    Args:
      thresholds: a threshold or list of thresholds in [0, 1] (default 0.5, or "in the top k"
        with `top_k`).
      top_k: only the k highest predictions per sample count as positive.
      class_id: compute the metric for this class only.
      name: the metric name.
      dtype: the dtype of the state.
    """

    _second = "fp"


@register_builtin(_MODULE)
class Recall(_PrecisionRecall):
    """TP / (TP + FN) at each threshold.

    Args:
      thresholds: a threshold or list of thresholds in [0, 1] (default 0.5, or "in the top k"
        with `top_k`).
      top_k: only the k highest predictions per sample count as positive.
      class_id: compute the metric for this class only.
      name: the metric name.
      dtype: the dtype of the state.
    """

    _second = "fn"


class _SensitivitySpecificityBase(Metric):
    _value_name = None

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. "
                f"Received: num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        self.num_thresholds = num_thresholds
        if num_thresholds == 1:
            self.thresholds = [0.5]
            self._thresholds_distributed_evenly = False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0] + inner + [1.0]
            self._thresholds_distributed_evenly = True
        n = len(self.thresholds)
        self.true_positives = self.add_variable((n,), "zeros", name="true_positives")
        self.false_positives = self.add_variable((n,), "zeros", name="false_positives")
        self.true_negatives = self.add_variable((n,), "zeros", name="true_negatives")
        self.false_negatives = self.add_variable((n,), "zeros", name="false_negatives")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_counts(
            {
                "tp": self.true_positives,
                "fp": self.false_positives,
                "tn": self.true_negatives,
                "fn": self.false_negatives,
            },
            y_true,
            y_pred,
            self.thresholds,
            thresholds_evenly=self._thresholds_distributed_evenly,
            class_id=self.class_id,
            sample_weight=sample_weight,
        )

    def _max_where(self, constrained, dependent):
        feasible = tf.greater_equal(constrained, tf.cast(self.value, constrained.dtype))
        best = tf.reduce_max(tf.where(feasible, dependent, tf.zeros_like(dependent)))
        return tf.where(tf.reduce_any(feasible), best, tf.zeros_like(best))

    def _rates(self):
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        return {
            "sens": tf.math.divide_no_nan(tp, tp + fn),
            "spec": tf.math.divide_no_nan(tn, tn + fp),
            "prec": tf.math.divide_no_nan(tp, tp + fp),
        }

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._value_name: self.value,
        }

    @classmethod
    def _check(cls, value, what):
        if value < 0 or value > 1:
            raise ValueError(
                f"Argument `{what}` must be in the range [0, 1]. Received: {what}={value}"
            )


_SS_ARGS = """
      num_thresholds: how many evenly spaced thresholds approximate the curve.
      class_id: compute the metric for this class only.
      name: the metric name.
      dtype: the dtype of the state.

    Raises:
      ValueError: if the target is outside [0, 1] or `num_thresholds` <= 0.
    """


@register_builtin(_MODULE)
class SensitivityAtSpecificity(_SensitivitySpecificityBase):
    __doc__ = (
        "The best sensitivity (recall) among thresholds whose specificity is at least "
        "`specificity`.\n\n    Args:\n      specificity: the target in [0, 1]." + _SS_ARGS
    )
    _value_name = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._check(specificity, "specificity")
        super().__init__(specificity, num_thresholds, class_id, name, dtype)
        self.specificity = specificity

    def result(self):
        r = self._rates()
        return self._max_where(r["spec"], r["sens"])


@register_builtin(_MODULE)
class SpecificityAtSensitivity(_SensitivitySpecificityBase):
    __doc__ = (
        "The best specificity among thresholds whose sensitivity is at least "
        "`sensitivity`.\n\n    Args:\n      sensitivity: the target in [0, 1]." + _SS_ARGS
    )
    _value_name = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._check(sensitivity, "sensitivity")
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)
        self.sensitivity = sensitivity

    def result(self):
        r = self._rates()
        return self._max_where(r["sens"], r["spec"])


@register_builtin(_MODULE)
class PrecisionAtRecall(_SensitivitySpecificityBase):
    __doc__ = (
        "The best precision among thresholds whose recall is at least `recall`."
        "\n\n    Args:\n      recall: the target in [0, 1]." + _SS_ARGS
    )
    _value_name = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._check(recall, "recall")
        super().__init__(recall, num_thresholds, class_id, name, dtype)
        self.recall = recall

    def result(self):
        r = self._rates()
        return self._max_where(r["sens"], r["prec"])


@register_builtin(_MODULE)
class RecallAtPrecision(_SensitivitySpecificityBase):
    __doc__ = (
        "The best recall among thresholds whose precision is at least `precision`."
        "\n\n    Args:\n      precision: the target in [0, 1]." + _SS_ARGS
    )
    _value_name = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        self._check(precision, "precision")
        super().__init__(precision, num_thresholds, class_id, name, dtype)
        self.precision = precision

    def result(self):
        r = self._rates()
        return self._max_where(r["prec"], r["sens"])


_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


@register_builtin(_MODULE)
class AUC(Metric):
    """Area under the ROC or precision-recall curve, from counts at fixed thresholds.

    Args:
      num_thresholds: how many thresholds discretize the curve (> 1).
      curve: "ROC" (default), "PR" or "PRGAIN" (precision-recall gain).
      summation_method: "interpolation" (trapezoids; for PR the Davis-Goadrich
        interpolation), "minoring" or "majoring".
      name: the metric name.
      dtype: the dtype of the state.
      thresholds: explicit thresholds in [0, 1] (overrides `num_thresholds`).
      multi_label: whether each label gets its own curve (averaged in the result).
      num_labels: the number of labels with `multi_label` (else taken from the first batch).
      label_weights: per-label weights (for the average with `multi_label`, or as example
        weights otherwise).
      from_logits: whether predictions are logits (a sigmoid is applied).

    Raises:
      ValueError: for an unknown curve or summation method, or `num_thresholds` <= 1.
    """

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        super().__init__(name=name, dtype=dtype)
        key = str(curve).lower()
        if key not in _CURVES:
            raise ValueError(
                f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]'
            )
        self.curve = _CURVES[key]
        method = str(summation_method).lower()
        if method not in _SUMMATIONS:
            raise ValueError(
                f'Invalid AUC summation method value: "{summation_method}". Expected values '
                'are ["interpolation", "majoring", "minoring"]'
            )
        self.summation_method = method
        self._init_from_thresholds = thresholds is not None
        if thresholds is not None:
            self.num_thresholds = len(thresholds) + 2
            inner = sorted(float(t) for t in thresholds)
            self._thresholds_distributed_evenly = _evenly_spaced([0.0] + inner + [1.0])
        else:
            if num_thresholds <= 1:
                raise ValueError(
                    "Argument `num_thresholds` must be an integer > 1. "
                    f"Received: num_thresholds={num_thresholds}"
                )
            self.num_thresholds = num_thresholds
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._thresholds_distributed_evenly = True
        eps = backend.epsilon()
        self._thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self.multi_label = multi_label
        self.num_labels = num_labels
        if label_weights is not None:
            lw = np.asarray(label_weights, dtype=dtypes.as_dtype(self.dtype).as_numpy_dtype)
            if np.any(lw < 0):
                raise ValueError("All values of `label_weights` must be non-negative.")
            self.label_weights = tf.constant(lw)
        else:
            self.label_weights = None
        self.from_logits = from_logits
        self._built = False
        if multi_label:
            if num_labels:
                self._build([None, num_labels])
        else:
            if num_labels:
                raise ValueError("`num_labels` is needed only when `multi_label` is True.")
            self._build(None)

    @property
    def thresholds(self):
        return list(self._thresholds)

    def _build(self, shape):
        if self.multi_label:
            if len(shape) != 2:
                raise ValueError(
                    "`y_pred` must have rank 2 when `multi_label=True`. "
                    f"Found rank {len(shape)}. Full shape received for `y_pred`: {shape}"
                )
            self._num_labels = shape[1]
            var_shape = (self.num_thresholds, self._num_labels)
        else:
            var_shape = (self.num_thresholds,)
        self.true_positives = self.add_variable(var_shape, "zeros", name="true_positives")
        self.false_positives = self.add_variable(var_shape, "zeros", name="false_positives")
        self.true_negatives = self.add_variable(var_shape, "zeros", name="true_negatives")
        self.false_negatives = self.add_variable(var_shape, "zeros", name="false_negatives")
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.convert_to_tensor(y_pred)
        if not self._built:
            self._build(y_pred.shape.as_list())
        if self.from_logits:
            y_pred = tf.sigmoid(tf.cast(y_pred, self.dtype))
        label_weights = None if self.multi_label else self.label_weights
        update_confusion_counts(
            {
                "tp": self.true_positives,
                "fp": self.false_positives,
                "tn": self.true_negatives,
                "fn": self.false_negatives,
            },
            y_true,
            y_pred,
            self._thresholds,
            thresholds_evenly=self._thresholds_distributed_evenly,
            sample_weight=sample_weight,
            multi_label=self.multi_label,
            label_weights=label_weights,
        )

    def _average(self, by_label):
        if self.label_weights is None:
            return tf.reduce_mean(by_label)
        return tf.math.divide_no_nan(
            tf.reduce_sum(by_label * self.label_weights), tf.reduce_sum(self.label_weights)
        )

    def _interpolated_pr_auc(self):
        # Precision is interpolated linearly in the number of predicted positives between
        # neighbouring thresholds (Davis & Goadrich, 2006), integrated in closed form.
        n = self.num_thresholds
        tp, fp, fn = self.true_positives, self.false_positives, self.false_negatives
        d_tp = tp[: n - 1] - tp[1:]
        p = tp + fp
        d_p = p[: n - 1] - p[1:]
        slope = tf.math.divide_no_nan(d_tp, tf.maximum(d_p, 0.0))
        intercept = tp[1:] - slope * p[1:]
        both = tf.logical_and(p[: n - 1] > 0, p[1:] > 0)
        ratio = tf.where(
            both, tf.math.divide_no_nan(p[: n - 1], tf.maximum(p[1:], 0.0)), tf.ones_like(p[1:])
        )
        inc = tf.math.divide_no_nan(
            slope * (d_tp + intercept * tf.math.log(ratio)), tf.maximum(tp[1:] + fn[1:], 0.0)
        )
        if self.multi_label:
            return self._average(tf.reduce_sum(inc, axis=0))
        return tf.reduce_sum(inc)

    def result(self):
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolated_pr_auc()
        n = self.num_thresholds
        tp, fp = self.true_positives, self.false_positives
        tn, fn = self.true_negatives, self.false_negatives
        recall = tf.math.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = tf.math.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PRGAIN":
            # Gains rescale precision/recall against the positive rate: 1 - (P/N)(FP/TP) and
            # 1 - (P/N)(FN/TP), taken as 0 where TP = 0; negative recall gains clip to 0.
            pos, neg = tp + fn, fp + tn
            base = tp * neg
            y = tf.math.divide_no_nan(base - fp * pos, base)
            x = tf.maximum(tf.math.divide_no_nan(base - fn * pos, base), 0.0)
        else:
            x, y = recall, tf.math.divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[: n - 1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = tf.minimum(y[: n - 1], y[1:])
        else:
            heights = tf.maximum(y[: n - 1], y[1:])
        terms = (x[: n - 1] - x[1:]) * heights
        if self.multi_label:
            return self._average(tf.reduce_sum(terms, axis=0))
        return tf.reduce_sum(terms)

    def reset_state(self):
        if self._built:
            for v in self.variables:
                v.assign(tf.zeros(v.shape, dtype=v.dtype))

    def get_config(self):
        lw = self.label_weights
        config = {
            "name": self.name,
            "dtype": self.dtype,
            "num_thresholds": self.num_thresholds,
            "curve": self.curve,
            "summation_method": self.summation_method,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if lw is None else np.asarray(lw.numpy()).tolist(),
            "from_logits": self.from_logits,
        }
        if self._init_from_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config
