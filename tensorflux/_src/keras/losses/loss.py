"""`keras.losses.Loss`: per-sample losses reduced with sample weights and Keras masks.

`__call__` converts both inputs to the loss dtype, asks `call` for per-sample values, folds the
`_keras_mask` of `y_pred` (and of the values) into the sample weights, and reduces. The helpers
here (`squeeze_or_expand_to_same_rank`, `apply_mask`, `reduce_weighted_values`) are shared with
the metrics.
"""

from __future__ import annotations

import tensorflux as tf
from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object

_REDUCTIONS = (None, "sum_over_batch_size", "none", "mean_with_sample_weight", "mean", "sum")


def standardize_reduction(reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(
            "Invalid value for argument `reduction`. Expected one of {None, "
            "'sum_over_batch_size', 'none', 'mean_with_sample_weight', 'mean', 'sum'}. "
            f"Received: reduction={reduction}"
        )
    return reduction


def _rank(x):
    return x.shape.rank


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Makes ranks equal when they differ by a trailing dimension of size 1."""
    r1, r2 = _rank(x1), _rank(x2)
    if r1 is None or r2 is None or r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, -1)
        else:
            x1 = tf.squeeze(x1, -1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, -1)
        else:
            x2 = tf.squeeze(x2, -1)
    return x1, x2


def _num_elements(x, dtype):
    return tf.cast(tf.size(x), dtype)


def apply_mask(sample_weight, mask, dtype, reduction):
    """Folds a boolean mask into the sample weights (rescaled for mean reductions)."""
    if mask is None:
        return sample_weight
    mask = tf.cast(mask, dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        # Keep the mean over valid entries: each valid one weighs total / valid.
        total = _num_elements(mask, dtype)
        valid = tf.reduce_sum(mask)
        mask = mask * (total / (valid + backend.epsilon()))
    if sample_weight is None:
        return mask
    sample_weight = tf.cast(sample_weight, dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    if reduction is None or reduction == "none":
        return values
    if values.shape.rank == 0 or tuple(values.shape.as_list()) == (0,):
        return values
    loss = tf.reduce_sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = tf.cast(tf.reduce_sum(sample_weight), loss.dtype)
        else:
            divisor = _num_elements(values, loss.dtype)
        loss = tf.math.divide_no_nan(loss, divisor)
    return loss


def reduce_weighted_values(
    values, sample_weight=None, mask=None, reduction="sum_over_batch_size", dtype=None
):
    """Weights `values` by `sample_weight` and `mask`, then reduces them."""
    reduction = standardize_reduction(reduction)
    values = tf.convert_to_tensor(values, dtype=dtype)
    if sample_weight is not None:
        sample_weight = _to_dtype(sample_weight, values.dtype)
    sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    if sample_weight is not None:
        sample_weight = tf.cast(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


def _to_dtype(x, dtype):
    """Converts `x` to a tensor of `dtype` (casting tensors of another dtype)."""
    if isinstance(x, tf.Tensor) or hasattr(x, "_read"):
        x = tf.convert_to_tensor(x)
        return x if x.dtype == dtype else tf.cast(x, dtype)
    try:
        return tf.convert_to_tensor(x, dtype=dtype)
    except (TypeError, ValueError):
        return tf.cast(tf.convert_to_tensor(x), dtype)


def compute_dtype_of(dtype) -> str:
    """The compute dtype name for a dtype or policy argument (None: `floatx()`)."""
    if dtype is None:
        return backend.floatx()
    from tensorflux._src.keras import dtype_policy

    return dtype_policy.get(dtype).compute_dtype


def get_mask(x):
    return getattr(x, "_keras_mask", None)


def set_mask(x, mask):
    try:
        x._keras_mask = mask
    except AttributeError:
        pass
    return x


@register_builtin("keras.losses")
class Loss:
    """The base of Keras losses.

    A subclass implements `call(y_true, y_pred)` returning per-sample losses; calling the loss
    object weights them by `sample_weight` (and the Keras mask of `y_pred`) and reduces.

    Args:
      name: the loss name (default: the snake-case class name, made unique).
      reduction: "sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight",
        "none" or None.
      dtype: the dtype the inputs are converted to and the loss is computed in (default
        `floatx()`).
    """

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or backend.unique_object_name(backend.to_snake_case(type(self).__name__))
        self.reduction = standardize_reduction(reduction)
        self._dtype = compute_dtype_of(dtype)

    @property
    def dtype(self):
        return self._dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        in_mask = get_mask(y_pred)
        dt = dtypes.as_dtype(self._dtype)
        with tf.name_scope(self.name):
            y_pred = tf.nest.map_structure(lambda x: _to_dtype(x, dt), y_pred)
            y_true = tf.nest.map_structure(lambda x: _to_dtype(x, dt), y_true)
            losses = self.call(y_true, y_pred)
            out_mask = get_mask(losses)
            if in_mask is not None and out_mask is not None:
                mask = tf.logical_and(tf.cast(in_mask, tf.bool), tf.cast(out_mask, tf.bool))
            else:
                mask = in_mask if in_mask is not None else out_mask
            return reduce_weighted_values(
                losses,
                sample_weight=sample_weight,
                mask=mask,
                reduction=self.reduction,
                dtype=dt,
            )

    def call(self, y_true, y_pred):
        """Per-sample losses; subclasses implement it."""
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register_builtin("keras.losses")
class LossFunctionWrapper(Loss):
    """A `Loss` computing per-sample values with a function `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        if isinstance(y_true, tf.Tensor) and isinstance(y_pred, tf.Tensor):
            y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config["fn"] = serialize_keras_object(self.fn)
        config.update(serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        from tensorflux._src.keras.serialization import deserialize_keras_object

        if "fn" in config:
            config = dict(config)
            config["fn"] = deserialize_keras_object(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


class Reduction:
    """The legacy names of loss reductions (`keras.losses.Reduction`)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')
