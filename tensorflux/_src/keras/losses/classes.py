"""The loss classes of `keras.losses`: each wraps one loss function with its settings."""

from __future__ import annotations

from tensorflux._src.keras.losses import functions as F
from tensorflux._src.keras.losses.loss import Loss, LossFunctionWrapper
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.losses"
_SOBS = "sum_over_batch_size"


class _Simple(LossFunctionWrapper):
    """A wrapper whose config is just name and reduction."""

    _fn = None
    _default_name = None

    def __init__(self, reduction=_SOBS, name=None, dtype=None):
        super().__init__(
            type(self)._fn, name=name or self._default_name, reduction=reduction, dtype=dtype
        )

    def get_config(self):
        return Loss.get_config(self)


def _simple(class_name, fn, default_name, doc):
    cls = type(
        class_name,
        (_Simple,),
        {
            "_fn": staticmethod(fn),
            "_default_name": default_name,
            "__doc__": doc,
            "__module__": __name__,
        },
    )
    return register_builtin(_MODULE)(cls)


_ARGS = """

    Args:
      reduction: "sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight",
        "none" or None.
      name: the loss name.
      dtype: the dtype of the computation (default `floatx()`).
    """

MeanSquaredError = _simple(
    "MeanSquaredError",
    F.mean_squared_error,
    "mean_squared_error",
    "Mean of squared differences between labels and predictions." + _ARGS,
)
MeanAbsoluteError = _simple(
    "MeanAbsoluteError",
    F.mean_absolute_error,
    "mean_absolute_error",
    "Mean of absolute differences between labels and predictions." + _ARGS,
)
MeanAbsolutePercentageError = _simple(
    "MeanAbsolutePercentageError",
    F.mean_absolute_percentage_error,
    "mean_absolute_percentage_error",
    "100 * mean(|y_true - y_pred| / |y_true|)." + _ARGS,
)
MeanSquaredLogarithmicError = _simple(
    "MeanSquaredLogarithmicError",
    F.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error",
    "Mean of squared differences of log(1 + x)." + _ARGS,
)
LogCosh = _simple("LogCosh", F.log_cosh, "log_cosh", "Mean of log(cosh(y_pred - y_true))." + _ARGS)
Hinge = _simple("Hinge", F.hinge, "hinge", "Mean of max(1 - y_true * y_pred, 0)." + _ARGS)
SquaredHinge = _simple(
    "SquaredHinge",
    F.squared_hinge,
    "squared_hinge",
    "Mean of max(1 - y_true * y_pred, 0) ** 2." + _ARGS,
)
CategoricalHinge = _simple(
    "CategoricalHinge",
    F.categorical_hinge,
    "categorical_hinge",
    "max(max_neg - pos + 1, 0) for one-hot labels." + _ARGS,
)
KLDivergence = _simple(
    "KLDivergence",
    F.kl_divergence,
    "kl_divergence",
    "Kullback-Leibler divergence between label and predicted distributions." + _ARGS,
)
Poisson = _simple("Poisson", F.poisson, "poisson", "Mean of y_pred - y_true * log(y_pred)." + _ARGS)


@register_builtin(_MODULE)
class Huber(LossFunctionWrapper):
    """Huber loss: quadratic for small errors, linear for errors beyond `delta`.

    Args:
      delta: where the loss turns from quadratic to linear.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(self, delta=1.0, reduction=_SOBS, name="huber_loss", dtype=None):
        super().__init__(F.huber, name=name, reduction=reduction, dtype=dtype, delta=delta)

    def get_config(self):
        return Loss.get_config(self)


@register_builtin(_MODULE)
class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity between labels and predictions along `axis`.

    Args:
      axis: the axis holding the vectors.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(self, axis=-1, reduction=_SOBS, name="cosine_similarity", dtype=None):
        super().__init__(
            F.cosine_similarity, name=name, reduction=reduction, dtype=dtype, axis=axis
        )

    def get_config(self):
        return Loss.get_config(self)


@register_builtin(_MODULE)
class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy between labels and predicted probabilities (or logits).

    Args:
      from_logits: whether predictions are logits.
      label_smoothing: in [0, 1]; labels move towards 0.5 by this fraction.
      axis: the axis averaged over.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SOBS,
        name="binary_crossentropy",
        dtype=None,
    ):
        super().__init__(
            F.binary_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            {
                "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing,
                "axis": self.axis,
            }
        )
        return config


@register_builtin(_MODULE)
class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy down-weighting easy examples by (1 - p_t) ** gamma.

    Args:
      apply_class_balancing: whether positives weigh `alpha` and negatives `1 - alpha`.
      alpha: the class-balancing weight.
      gamma: the focusing exponent.
      from_logits: whether predictions are logits.
      label_smoothing: in [0, 1].
      axis: the axis averaged over.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SOBS,
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            F.binary_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            {
                "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing,
                "axis": self.axis,
                "apply_class_balancing": self.apply_class_balancing,
                "alpha": self.alpha,
                "gamma": self.gamma,
            }
        )
        return config


@register_builtin(_MODULE)
class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between one-hot labels and predicted class probabilities (or logits).

    Args:
      from_logits: whether predictions are logits.
      label_smoothing: in [0, 1]; labels move towards uniform by this fraction.
      axis: the class axis.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SOBS,
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            F.categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            {
                "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing,
                "axis": self.axis,
            }
        )
        return config


@register_builtin(_MODULE)
class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical cross-entropy down-weighting easy examples by alpha * (1 - p) ** gamma.

    Args:
      alpha: the weighting factor.
      gamma: the focusing exponent.
      from_logits: whether predictions are logits.
      label_smoothing: in [0, 1].
      axis: the class axis.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(
        self,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_SOBS,
        name="categorical_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            F.categorical_focal_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            {
                "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing,
                "axis": self.axis,
                "alpha": self.alpha,
                "gamma": self.gamma,
            }
        )
        return config


@register_builtin(_MODULE)
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between integer labels and predicted class probabilities (or logits).

    Args:
      from_logits: whether predictions are logits.
      ignore_class: a label to ignore (its entries are masked out).
      reduction: the reduction (see `Loss`).
      axis: the class axis.
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction=_SOBS,
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            F.sparse_categorical_crossentropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits, "ignore_class": self.ignore_class})
        return config


@register_builtin(_MODULE)
class CategoricalGeneralizedCrossEntropy(LossFunctionWrapper):
    """Generalized cross-entropy (1 - p_y ** q) / q for integer labels, robust to label noise.

    Args:
      q: in (0, 1].
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.

    Raises:
      ValueError: if `q` is outside (0, 1].
    """

    def __init__(
        self, q=0.5, reduction=_SOBS, name="categorical_generalized_cross_entropy", dtype=None
    ):
        if not 0 < q <= 1:
            raise ValueError("q must be in the interval (0, 1]")
        super().__init__(
            F.categorical_generalized_cross_entropy,
            name=name,
            reduction=reduction,
            dtype=dtype,
            q=q,
        )
        self.q = q

    def get_config(self):
        config = Loss.get_config(self)
        config["q"] = self.q
        return config


@register_builtin(_MODULE)
class Dice(LossFunctionWrapper):
    """Dice loss 1 - 2|A.B| / (|A| + |B|).

    Args:
      reduction: the reduction (see `Loss`).
      name: the loss name.
      axis: the axes summed over (None: all).
      dtype: the dtype of the computation.
    """

    def __init__(self, reduction=_SOBS, name="dice", axis=None, dtype=None):
        super().__init__(F.dice, name=name, reduction=reduction, dtype=dtype, axis=axis)
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config["axis"] = self.axis
        return config


@register_builtin(_MODULE)
class Tversky(LossFunctionWrapper):
    """Tversky loss 1 - TP / (TP + beta FP + alpha FN) (Dice at alpha = beta = 0.5).

    Args:
      alpha: the weight of false negatives.
      beta: the weight of false positives.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      axis: the axes summed over (None: all).
      dtype: the dtype of the computation.
    """

    def __init__(self, alpha=0.5, beta=0.5, reduction=_SOBS, name="tversky", axis=None, dtype=None):
        super().__init__(
            F.tversky,
            name=name,
            reduction=reduction,
            dtype=dtype,
            alpha=alpha,
            beta=beta,
            axis=axis,
        )
        self.alpha = alpha
        self.beta = beta
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"alpha": self.alpha, "beta": self.beta, "axis": self.axis})
        return config


@register_builtin(_MODULE)
class CTC(LossFunctionWrapper):
    """Connectionist Temporal Classification loss (labels 0-padded; class 0 is the blank).

    Args:
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(self, reduction=_SOBS, name="ctc", dtype=None):
        super().__init__(F.ctc, name=name, reduction=reduction, dtype=dtype)

    def get_config(self):
        return Loss.get_config(self)


@register_builtin(_MODULE)
class Circle(LossFunctionWrapper):
    """Circle loss between integer labels and L2-normalized embeddings (metric learning).

    Args:
      gamma: the scale factor.
      margin: the relaxation margin.
      remove_diagonal: whether to drop self-pairs from the positives.
      reduction: the reduction (see `Loss`).
      name: the loss name.
      dtype: the dtype of the computation.
    """

    def __init__(
        self,
        gamma=80.0,
        margin=0.4,
        remove_diagonal=True,
        reduction=_SOBS,
        name="circle",
        dtype=None,
    ):
        super().__init__(
            F.circle,
            name=name,
            reduction=reduction,
            dtype=dtype,
            gamma=gamma,
            margin=margin,
            remove_diagonal=remove_diagonal,
        )
        self.gamma = gamma
        self.margin = margin
        self.remove_diagonal = remove_diagonal

    def get_config(self):
        config = Loss.get_config(self)
        config.update(
            {"gamma": self.gamma, "margin": self.margin, "remove_diagonal": self.remove_diagonal}
        )
        return config
