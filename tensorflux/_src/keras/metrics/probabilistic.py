"""Cross-entropy, KL divergence, Poisson and hinge metrics: means of the loss functions."""

from __future__ import annotations

from tensorflux._src.keras.losses import functions as F
from tensorflux._src.keras.metrics.base import MeanMetricWrapper
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.metrics"


class _NameDtype(MeanMetricWrapper):
    _fn_default = None
    _name_default = None

    def __init__(self, name=None, dtype=None):
        super().__init__(fn=type(self)._fn_default, name=name or self._name_default, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


def _simple(class_name, fn, default_name, doc):
    cls = type(
        class_name,
        (_NameDtype,),
        {
            "_fn_default": staticmethod(fn),
            "_name_default": default_name,
            "__module__": __name__,
            "__doc__": doc + "\n\n    Args:\n      name: the metric name.\n"
            "      dtype: the dtype of the state.\n    ",
        },
    )
    return register_builtin(_MODULE)(cls)


KLDivergence = _simple(
    "KLDivergence",
    F.kl_divergence,
    "kl_divergence",
    "Mean Kullback-Leibler divergence between label and predicted distributions.",
)
Poisson = _simple(
    "Poisson", F.poisson, "poisson", "Mean Poisson loss y_pred - y_true * log(y_pred)."
)
Hinge = _simple("Hinge", F.hinge, "hinge", "Mean hinge loss.")
SquaredHinge = _simple("SquaredHinge", F.squared_hinge, "squared_hinge", "Mean squared hinge loss.")
CategoricalHinge = _simple(
    "CategoricalHinge", F.categorical_hinge, "categorical_hinge", "Mean categorical hinge loss."
)


@register_builtin(_MODULE)
class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary cross-entropy between labels and predictions.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
      from_logits: whether predictions are logits.
      label_smoothing: in [0, 1].
    """

    def __init__(
        self, name="binary_crossentropy", dtype=None, from_logits=False, label_smoothing=0
    ):
        super().__init__(
            F.binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
        }


@register_builtin(_MODULE)
class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical cross-entropy between one-hot labels and predictions.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
      from_logits: whether predictions are logits.
      label_smoothing: in [0, 1].
      axis: the class axis.
    """

    def __init__(
        self,
        name="categorical_crossentropy",
        dtype=None,
        from_logits=False,
        label_smoothing=0,
        axis=-1,
    ):
        super().__init__(
            F.categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "label_smoothing": self.label_smoothing,
            "axis": self.axis,
        }


@register_builtin(_MODULE)
class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean cross-entropy between integer labels and predictions.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
      from_logits: whether predictions are logits.
      ignore_class: a label whose entries are skipped.
      axis: the class axis.
    """

    def __init__(
        self,
        name="sparse_categorical_crossentropy",
        dtype=None,
        from_logits=False,
        ignore_class=None,
        axis=-1,
    ):
        super().__init__(
            F.sparse_categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self.dtype,
            "from_logits": self.from_logits,
            "ignore_class": self.ignore_class,
            "axis": self.axis,
        }
