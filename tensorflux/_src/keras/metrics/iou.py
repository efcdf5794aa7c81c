"""Intersection-over-union metrics from an accumulated (num_classes x num_classes) confusion
matrix. As in Keras, the matrix defaults to int64, so fractional sample weights truncate."""

from __future__ import annotations

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.metrics.base import Metric
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.metrics"


class _IoUBase(Metric):
    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "int64")
        self.num_classes = num_classes
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            (num_classes, num_classes), "zeros", dtype=self.dtype, name="total_confusion_matrix"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = tf.convert_to_tensor(y_true)
        y_pred = tf.convert_to_tensor(y_pred)
        if not self.sparse_y_true:
            y_true = tf.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = tf.argmax(y_pred, axis=self.axis)
        y_true = tf.reshape(tf.cast(y_true, self.dtype), [-1])
        y_pred = tf.reshape(tf.cast(y_pred, self.dtype), [-1])
        if sample_weight is None:
            sample_weight = tf.ones_like(y_true)
        else:
            sample_weight = tf.reshape(tf.cast(sample_weight, self.dtype), [-1])
            sample_weight = tf.broadcast_to(sample_weight, tf.shape(y_true))
        if self.ignore_class is not None:
            valid = tf.not_equal(y_true, tf.cast(self.ignore_class, y_true.dtype))
            y_true = tf.boolean_mask(y_true, valid)
            y_pred = tf.boolean_mask(y_pred, valid)
            sample_weight = tf.boolean_mask(sample_weight, valid)
        cm = tf.math.confusion_matrix(
            tf.cast(y_true, tf.int64),
            tf.cast(y_pred, tf.int64),
            num_classes=self.num_classes,
            weights=sample_weight,
            dtype=self.dtype,
        )
        self.total_cm.assign(self.total_cm + cm)

    def reset_state(self):
        self.total_cm.assign(tf.zeros(self.total_cm.shape, dtype=self.total_cm.dtype))


@register_builtin(_MODULE)
class IoU(_IoUBase):
    """Mean intersection-over-union of the classes in `target_class_ids`.

    IoU of a class is TP / (TP + FP + FN); classes absent from both labels and predictions
    are left out of the mean.

    Args:
      num_classes: the number of classes.
      target_class_ids: the class ids averaged over.
      name: the metric name.
      dtype: the dtype of the confusion matrix (default int64).
      ignore_class: a label whose entries are skipped.
      sparse_y_true: whether labels are class ids (else one-hot / scores).
      sparse_y_pred: whether predictions are class ids (else scores).
      axis: the class axis for non-sparse inputs.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )
        if max(target_class_ids) >= num_classes:
            raise ValueError(
                f"Target class id {max(target_class_ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.target_class_ids = list(target_class_ids)

    def result(self):
        ft = backend.floatx()
        cm = tf.cast(self.total_cm, ft)
        tp = tf.linalg.diag_part(cm)
        denom = tf.reduce_sum(cm, axis=0) + tf.reduce_sum(cm, axis=1) - tp
        ids = tf.constant(self.target_class_ids, dtype=tf.int32)
        tp = tf.gather(tp, ids)
        denom = tf.gather(denom, ids)
        valid = tf.reduce_sum(tf.cast(tf.greater(denom, 1e-9), ft))
        return tf.math.divide_no_nan(tf.reduce_sum(tf.math.divide_no_nan(tp, denom)), valid)

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


@register_builtin(_MODULE)
class BinaryIoU(IoU):
    """IoU for binary labels, predictions thresholded at `threshold`.

    Args:
      target_class_ids: which of the classes 0 and 1 are averaged over.
      threshold: predictions at or above it are class 1.
      name: the metric name.
      dtype: the dtype of the confusion matrix (default int64).
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(num_classes=2, target_class_ids=target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = tf.convert_to_tensor(y_pred)
        y_pred = tf.cast(tf.greater_equal(tf.cast(y_pred, tf.float32), self.threshold), self.dtype)
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
            "name": self.name,
            "dtype": self.dtype,
        }


@register_builtin(_MODULE)
class MeanIoU(IoU):
    """Mean IoU over all classes.

    Args:
      num_classes: the number of classes.
      name: the metric name.
      dtype: the dtype of the confusion matrix (default int64).
      ignore_class: a label whose entries are skipped.
      sparse_y_true: whether labels are class ids.
      sparse_y_pred: whether predictions are class ids.
      axis: the class axis for non-sparse inputs.
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


@register_builtin(_MODULE)
class OneHotIoU(IoU):
    """IoU of `target_class_ids` for one-hot labels (and scores or class-id predictions).

    Args:
      num_classes: the number of classes.
      target_class_ids: the class ids averaged over.
      name: the metric name.
      dtype: the dtype of the confusion matrix (default int64).
      ignore_class: a label whose entries are skipped.
      sparse_y_pred: whether predictions are class ids.
      axis: the class axis.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


@register_builtin(_MODULE)
class OneHotMeanIoU(MeanIoU):
    """Mean IoU over all classes for one-hot labels.

    Args:
      num_classes: the number of classes.
      name: the metric name.
      dtype: the dtype of the confusion matrix (default int64).
      ignore_class: a label whose entries are skipped.
      sparse_y_pred: whether predictions are class ids.
      axis: the class axis.
    """

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        return {
            "num_classes": self.num_classes,
            "name": self.name,
            "dtype": self.dtype,
            "ignore_class": self.ignore_class,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }
