"""`keras.metrics.Metric` (not a Layer, as in Keras 3) and the reducing metrics Sum/Mean.

State lives in non-trainable `keras.Variable`s made by `add_variable`, created eagerly (through
`init_scope`) even when the first `update_state` runs inside a traced function.
"""

from __future__ import annotations

import numpy as np

import tensorflux as tf
from tensorflux._src.core import dtypes
from tensorflux._src.function import init_scope
from tensorflux._src.keras import backend
from tensorflux._src.keras.losses.loss import (
    apply_mask,
    compute_dtype_of,
    get_mask,
    squeeze_or_expand_to_same_rank,
)
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.keras.variables import Variable

_MODULE = "keras.metrics"


def _initial_value(initializer, shape, dtype):
    if callable(initializer):
        return initializer
    if initializer is None or initializer == "zeros":
        return np.zeros(shape, dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    if initializer == "ones":
        return np.ones(shape, dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    return initializer  # a name the initializers module resolves


@register_builtin(_MODULE)
class Metric:
    """The base of Keras metrics: state variables, `update_state`, `result`, `reset_state`.

    Args:
      dtype: the dtype of the state and the result (default `floatx()`).
      name: the metric name (default: the snake-case class name, made unique).
    """

    _is_metric = True

    def __init__(self, dtype=None, name=None):
        object.__setattr__(self, "_variables", [])
        object.__setattr__(self, "_metrics", [])
        self.name = name or backend.unique_object_name(backend.to_snake_case(type(self).__name__))
        self._dtype = compute_dtype_of(dtype)

    def __setattr__(self, key, value):
        if isinstance(value, Metric) and key != "_metrics":
            metrics = self.__dict__.setdefault("_metrics", [])
            if value not in metrics:
                metrics.append(value)
        object.__setattr__(self, key, value)

    @property
    def dtype(self):
        return self._dtype

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """Creates a non-trainable state variable under this metric's name scope.

        Args:
          shape: the variable shape.
          initializer: an initializer (callable or name such as "zeros").
          dtype: the dtype (default: the metric dtype).
          aggregation: "sum", "mean", "none" or "only_first_replica".
          name: the short variable name.

        Returns:
          The `keras.Variable`.
        """
        dtype = dtype or self._dtype
        shape = tuple(shape) if shape is not None else ()
        with init_scope(), backend.name_scope(self.name.replace("/", ">")):
            var = Variable(
                _initial_value(initializer, shape, dtype),
                shape=shape,
                dtype=dtype,
                trainable=False,
                aggregation=aggregation,
                name=name,
            )
        self.__dict__.setdefault("_variables", []).append(var)
        return var

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape, initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        out = list(self._variables)
        for m in self._metrics:
            out.extend(m.variables)
        return out

    def reset_state(self):
        """Sets every state variable back to zero."""
        for v in self.variables:
            v.assign(tf.zeros(v.shape, dtype=v.dtype))

    def update_state(self, *args, **kwargs):
        """Accumulates statistics from a batch; subclasses implement it."""
        raise NotImplementedError

    def result(self):
        """The metric value from the accumulated state; subclasses implement it."""
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


def _to(x, dtype):
    x = tf.convert_to_tensor(x)
    return x if x.dtype == dtype else tf.cast(x, dtype)


def reduce_to_samplewise_values(values, sample_weight, reduce_fn, dtype):
    """Values reduced to one per sample (and weights shaped to match)."""
    dtype = dtypes.as_dtype(dtype or backend.floatx())
    mask = get_mask(values)
    values = _to(values, dtype)
    if sample_weight is not None:
        sample_weight = _to(sample_weight, dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype, "sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        w_rank = sample_weight.shape.rank
        v_rank = values.shape.rank
        if v_rank > w_rank:
            values = reduce_fn(values, axis=list(range(w_rank, v_rank)))
        sample_weight = tf.broadcast_to(sample_weight, tf.shape(values))
        values = values * sample_weight
        if w_rank > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, w_rank)))
    if values.shape.rank > 1:
        values = reduce_fn(values, axis=list(range(1, values.shape.rank)))
    return values, sample_weight


@register_builtin(_MODULE)
class Reduce(Metric):
    """Accumulates values reduced by "sum" or "weighted_mean"."""

    def __init__(self, reduction, name, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reduction = reduction
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        if reduction == "weighted_mean":
            self.count = self.add_variable(
                shape=(), initializer="zeros", dtype=self.dtype, name="count"
            )

    def update_state(self, values, sample_weight=None):
        fn = tf.reduce_sum if self.reduction == "sum" else tf.reduce_mean
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, fn, self.dtype)
        self.total.assign_add(tf.reduce_sum(values))
        if self.reduction == "weighted_mean":
            if sample_weight is not None:
                n = tf.reduce_sum(sample_weight)
            elif values.shape.rank >= 1:
                n = tf.cast(tf.shape(values)[0], self.dtype)
            else:
                n = tf.cast(1, self.dtype)
            self.count.assign_add(tf.cast(n, self.dtype))

    def result(self):
        if self.reduction == "sum":
            return tf.identity(self.total)
        return tf.math.divide_no_nan(self.total, tf.cast(self.count, self.dtype))


@register_builtin(_MODULE)
class Sum(Reduce):
    """The (weighted) sum of all values seen.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(reduction="sum", name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin(_MODULE)
class Mean(Reduce):
    """The (weighted) mean of all values seen: total / count.

    Args:
      name: the metric name.
      dtype: the dtype of the state.
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(reduction="weighted_mean", name=name, dtype=dtype)

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


@register_builtin(_MODULE)
class MeanMetricWrapper(Mean):
    """The mean of a per-sample function `fn(y_true, y_pred, **kwargs)` over all samples seen.

    Args:
      fn: the function.
      name: the metric name.
      dtype: the dtype of the state.
      **kwargs: passed to `fn`.
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(
            name=name or backend.unique_object_name("mean_metric_wrapper"), dtype=dtype
        )
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = get_mask(y_pred)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            if sample_weight is not None:
                sample_weight = _to(sample_weight, dtypes.as_dtype(self.dtype))
            sample_weight = apply_mask(sample_weight, mask, dtypes.as_dtype(self.dtype), "sum")
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "fn": serialize_keras_object(self._fn)}
        config.update(serialize_keras_object(self._fn_kwargs))
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize_keras_object(config["fn"])
        return cls(**config)
