"""`keras.Variable`: a tf.Variable with a Keras path, Keras's printing and autocasting.

Keras 3 on TensorFlow wraps a tf.Variable; here it *is* one (a subclass), so every op, tape and
tf.function takes it directly. `name` is the short name ("kernel"), `path` the full one
("dense/kernel"). Deviation: `dtype` is a DType (which compares equal to its name string).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.keras import backend
from tensorflux._src.variables import Variable as _TFVariable

_AGGREGATIONS = ("none", "mean", "sum", "only_first_replica")
_SYNCS = ("none", "on_read", "on_write", "auto")


class Variable(_TFVariable):
    """A Keras variable: a `tf.Variable` with a `path`, created from an initializer.

    Args:
      initializer: a value (array, tensor, number) or a callable `initializer(shape, dtype)`,
        such as a `keras.initializers` object or its name ("zeros", "glorot_uniform", ...).
      shape: the shape; required when `initializer` is callable.
      dtype: the dtype (default: the initial value's float dtype, else `floatx()`).
      trainable: whether optimizers update it.
      autocast: whether it reads as the layer's compute dtype under mixed precision.
      aggregation: "none", "mean", "sum" or "only_first_replica".
      synchronization: "none", "on_read", "on_write" or "auto".
      name: the short name; the path is the Keras name scope followed by it.
    """

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
    ):
        name = name or "variable"
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        if aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `aggregation`. Expected one of {_AGGREGATIONS}. "
                f"Received: aggregation={aggregation}"
            )
        if synchronization not in _SYNCS:
            raise ValueError(
                f"Invalid value for argument `synchronization`. Expected one of {_SYNCS}. "
                f"Received: synchronization={synchronization}"
            )
        if isinstance(initializer, str):
            from tensorflux._src.keras import initializers

            initializer = initializers.get(initializer)
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    "When creating a Variable from an initializer, the `shape` argument should "
                    f"be specified. Received: initializer={initializer} and shape={shape}"
                )
            shape = tuple(TensorShape(shape).as_list())
            if any(d is None for d in shape):
                raise ValueError(
                    "Shapes used to initialize variables must be fully-defined (no `None` "
                    f"dimensions). Received: shape={shape} for variable path='{name}'"
                )
            dt = backend.standardize_dtype(dtype)
            value = initializer(shape, dtype=dt)
        else:
            value = initializer
            if dtype is None:
                arr_dtype = getattr(value, "dtype", None)
                if arr_dtype is not None:
                    dt = backend.standardize_dtype(arr_dtype)
                else:
                    kind = np.asarray(value).dtype
                    dt = backend.floatx() if kind.kind == "f" else dtypes.from_numpy(kind).name
            else:
                dt = backend.standardize_dtype(dtype)
        self._keras_name = name
        self._path = f"{backend.current_path()}/{name}" if backend.current_path() else name
        self._autocast = bool(autocast)
        self._keras_aggregation = aggregation
        self._keras_synchronization = synchronization
        self.regularizer = None
        self.overwrite_with_gradient = False
        super().__init__(
            value, trainable=trainable, dtype=dt, name=name,
            shape=shape if shape is not None else None,
        )  # fmt: skip

    @property
    def name(self) -> str:
        return self._keras_name

    @property
    def path(self) -> str:
        return self._path

    @property
    def autocast(self) -> bool:
        return self._autocast

    @property
    def value(self):
        """The current value as a tensor (autocast applies)."""
        return self._read()

    @property
    def ndim(self) -> int:
        return self._shape.rank

    def _read(self):
        v = super()._read()
        target = backend.autocast_dtype()
        if target is not None and self._autocast and self._dtype.is_floating:
            if target is not self._dtype:
                from tensorflux._src.ops.math_ops import cast

                v = cast(v, target)
        return v

    def __repr__(self) -> str:
        value = np.asarray(self.numpy())
        return (
            f"<Variable path={self._path}, shape={tuple(self._shape.as_list())}, "
            f"dtype={self._dtype.name}, value={value}>"
        )

    __str__ = __repr__

    def __hash__(self):
        return id(self)


def is_keras_variable(x) -> bool:
    return isinstance(x, Variable)
