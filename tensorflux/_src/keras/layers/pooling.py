"""Keras pooling layers: Max/AveragePooling1D/2D/3D and GlobalMax/GlobalAveragePooling1D/2D/3D
(plus the MaxPool2D / AvgPool2D / GlobalAvgPool2D ... aliases)."""

from __future__ import annotations

from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.conv import standardize_tuple
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import reduction_ops as _red

_FORMATS = {
    (1, False): "NWC", (2, False): "NHWC", (3, False): "NDHWC",
    (1, True): "NCW", (2, True): "NCHW", (3, True): "NCDHW",
}  # fmt: skip


def pooling_output_length(length, pool, stride, padding):
    if length is None:
        return None
    if padding == "same":
        return (length - 1) // stride + 1
    return (length - pool) // stride + 1


class _Pooling(Layer):
    rank = 2
    mode = "max"

    def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                 **kwargs):  # fmt: skip
        super().__init__(name=name, **kwargs)
        n = self.rank
        self.pool_size = standardize_tuple(pool_size, n, "pool_size")
        self.strides = (
            self.pool_size if strides is None else standardize_tuple(strides, n, "strides")
        )
        self.padding = padding.lower() if isinstance(padding, str) else padding
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=n + 2)
        self._cf = self.data_format == "channels_first"
        self._tf_format = _FORMATS[(n, self._cf)]
        self._ksize = list(self.pool_size)
        self._tf_strides = list(self.strides)
        self._tf_padding = self.padding.upper() if isinstance(self.padding, str) else padding
        self.built = True

    def call(self, inputs):
        from tensorflux._src.ops import pool_api

        fn = pool_api.max_pool if self.mode == "max" else pool_api.avg_pool
        return fn(inputs, self._ksize, self._tf_strides, self._tf_padding,
                  data_format=self._tf_format)  # fmt: skip

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[2:] if self._cf else input_shape[1:-1]
        out = tuple(
            pooling_output_length(d, self.pool_size[i], self.strides[i], self.padding)
            for i, d in enumerate(spatial)
        )
        if self._cf:
            return input_shape[:2] + out
        return (input_shape[0],) + out + (input_shape[-1],)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialize_keras_object(self.dtype_policy),
            "pool_size": self.pool_size,
            "padding": self.padding,
            "strides": self.strides,
            "data_format": self.data_format,
        }


_POOL_DOC = """{kind} pooling over {rank}-D windows.

    Args:
      pool_size: an int or {rank} ints, the window size{default}.
      strides: an int or {rank} ints (default: `pool_size`).
      padding: "valid" or "same".
      data_format: "channels_last" (default) or "channels_first".
      name: the layer's name.
      **kwargs: base `Layer` arguments.
    """


def _pool_init(default):
    if default is None:

        def __init__(self, pool_size, strides=None, padding="valid", data_format=None, name=None,
                     **kwargs):  # fmt: skip
            _Pooling.__init__(self, pool_size, strides, padding, data_format, name, **kwargs)

    else:

        def __init__(self, pool_size=default, strides=None, padding="valid", data_format=None,
                     name=None, **kwargs):  # fmt: skip
            _Pooling.__init__(self, pool_size, strides, padding, data_format, name, **kwargs)

    return __init__


def _make_pool(name, rank, mode, default):
    kind = "Max" if mode == "max" else "Average"
    doc = _POOL_DOC.format(
        kind=kind, rank=rank, default="" if default is None else f" (default {default})"
    )
    cls = type(name, (_Pooling,), {
        "__doc__": doc, "rank": rank, "mode": mode, "__init__": _pool_init(default),
        "__module__": __name__, "__qualname__": name,
    })  # fmt: skip
    return register_builtin("keras.layers")(cls)


MaxPooling1D = _make_pool("MaxPooling1D", 1, "max", 2)
MaxPooling2D = _make_pool("MaxPooling2D", 2, "max", (2, 2))
MaxPooling3D = _make_pool("MaxPooling3D", 3, "max", (2, 2, 2))
AveragePooling1D = _make_pool("AveragePooling1D", 1, "avg", None)
AveragePooling2D = _make_pool("AveragePooling2D", 2, "avg", None)
AveragePooling3D = _make_pool("AveragePooling3D", 3, "avg", None)


class _GlobalPooling(Layer):
    rank = 2
    mode = "max"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.keepdims = keepdims
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._cf = self.data_format == "channels_first"
        self._axes = list(range(2, self.rank + 2)) if self._cf else list(range(1, self.rank + 1))
        self.built = True

    def call(self, inputs):
        if self.mode == "max":
            return _red.reduce_max(inputs, axis=self._axes, keepdims=self.keepdims)
        return _red.reduce_mean(inputs, axis=self._axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.keepdims:
            return tuple(1 if i in self._axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in self._axes)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialize_keras_object(self.dtype_policy),
            "data_format": self.data_format,
            "keepdims": self.keepdims,
        }


class _GlobalAverage1D(_GlobalPooling):
    """Keeps the mask-aware average of Keras's GlobalAveragePooling1D."""

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(data_format=data_format, keepdims=keepdims, **kwargs)
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is None:
            return _red.reduce_mean(inputs, axis=self._axes, keepdims=self.keepdims)
        from tensorflux._src.ops.array_ops import expand_dims
        from tensorflux._src.ops.math_ops import cast

        m = cast(mask, inputs.dtype)
        m = expand_dims(m, 1 if self._cf else 2)
        total = _red.reduce_sum(inputs * m, axis=self._axes, keepdims=self.keepdims)
        count = _red.reduce_sum(m, axis=self._axes, keepdims=self.keepdims)
        return total / count

    def compute_mask(self, inputs, previous_mask=None):
        return None


_GLOBAL_DOC = """Global {kind} pooling over the {rank} spatial dimension(s).

    Args:
      data_format: "channels_last" (default) or "channels_first".
      keepdims: whether to keep the pooled dimensions with size 1.
      **kwargs: base `Layer` arguments.
    """


def _make_global(name, rank, mode, base=_GlobalPooling):
    kind = "max" if mode == "max" else "average"
    cls = type(name, (base,), {
        "__doc__": _GLOBAL_DOC.format(kind=kind, rank=rank), "rank": rank, "mode": mode,
        "__module__": __name__, "__qualname__": name,
    })  # fmt: skip
    return register_builtin("keras.layers")(cls)


GlobalMaxPooling1D = _make_global("GlobalMaxPooling1D", 1, "max")
GlobalMaxPooling2D = _make_global("GlobalMaxPooling2D", 2, "max")
GlobalMaxPooling3D = _make_global("GlobalMaxPooling3D", 3, "max")
GlobalAveragePooling1D = _make_global("GlobalAveragePooling1D", 1, "avg", _GlobalAverage1D)
GlobalAveragePooling2D = _make_global("GlobalAveragePooling2D", 2, "avg")
GlobalAveragePooling3D = _make_global("GlobalAveragePooling3D", 3, "avg")

MaxPool1D = MaxPooling1D
MaxPool2D = MaxPooling2D
MaxPool3D = MaxPooling3D
AvgPool1D = AveragePooling1D
AvgPool2D = AveragePooling2D
AvgPool3D = AveragePooling3D
GlobalMaxPool1D = GlobalMaxPooling1D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalMaxPool3D = GlobalMaxPooling3D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalAvgPool3D = GlobalAveragePooling3D


# ---------------------------------------------------------------------- adaptive pooling


def _adaptive_bins(length, size):
    """Start/end of each of `size` bins over `length` (bins may overlap by one)."""
    return [((i * length) // size, -((-(i + 1) * length) // size)) for i in range(size)]


class _AdaptivePooling(Layer):
    rank = 2
    mode = "avg"

    def __init__(self, output_size, data_format=None, **kwargs):
        super().__init__(**kwargs)
        n = self.rank
        names = {1: "an integer", 2: "an integer or (height, width) tuple",
                 3: "an integer or (depth, height, width) tuple"}  # fmt: skip
        if isinstance(output_size, int):
            output_size = (output_size,) * n
        elif not isinstance(output_size, (list, tuple)) or len(output_size) != n:
            raise TypeError(
                f"`output_size` must be {names[n]}. Received: {output_size} of type "
                f"{type(output_size)}"
            )
        self.output_size = tuple(int(s) for s in output_size)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=n + 2)
        self._cf = self.data_format == "channels_first"
        self._axes = list(range(2, n + 2)) if self._cf else list(range(1, n + 1))

    def call(self, inputs):
        from tensorflux._src.ops.manip_ops import concat

        reduce = _red.reduce_max if self.mode == "max" else _red.reduce_mean
        x = inputs
        shape = x.shape.as_list()
        for axis, size in zip(self._axes, self.output_size):
            length = shape[axis]
            if length is None:
                raise ValueError(
                    f"{type(self).__name__} needs known spatial dimensions. Received: "
                    f"inputs.shape={tuple(shape)}"
                )
            parts = []
            for start, end in _adaptive_bins(length, size):
                index = [slice(None)] * len(shape)
                index[axis] = slice(start, end)
                parts.append(reduce(x[tuple(index)], axis=axis, keepdims=True))
            x = concat(parts, axis=axis)
        return x

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for axis, size in zip(self._axes, self.output_size):
            out[axis] = size
        return tuple(out)

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": serialize_keras_object(self.dtype_policy),
            "output_size": self.output_size,
            "data_format": self.data_format,
        }


_ADAPTIVE_DOC = """Adaptive {kind} pooling to a fixed {rank}-D output size: each output entry pools
    a bin of about `input_size / output_size` entries (bins start at `floor(i * L / size)` and end
    at `ceil((i + 1) * L / size)`).

    Args:
      output_size: an int or {rank} ints, the spatial output size.
      data_format: "channels_last" (default) or "channels_first".
      **kwargs: base `Layer` arguments.
    """


def _make_adaptive(name, rank, mode):
    cls = type(name, (_AdaptivePooling,), {
        "__doc__": _ADAPTIVE_DOC.format(kind="max" if mode == "max" else "average", rank=rank),
        "rank": rank, "mode": mode, "__module__": __name__, "__qualname__": name,
    })  # fmt: skip
    return register_builtin("keras.layers")(cls)


AdaptiveAveragePooling1D = _make_adaptive("AdaptiveAveragePooling1D", 1, "avg")
AdaptiveAveragePooling2D = _make_adaptive("AdaptiveAveragePooling2D", 2, "avg")
AdaptiveAveragePooling3D = _make_adaptive("AdaptiveAveragePooling3D", 3, "avg")
AdaptiveMaxPooling1D = _make_adaptive("AdaptiveMaxPooling1D", 1, "max")
AdaptiveMaxPooling2D = _make_adaptive("AdaptiveMaxPooling2D", 2, "max")
AdaptiveMaxPooling3D = _make_adaptive("AdaptiveMaxPooling3D", 3, "max")
