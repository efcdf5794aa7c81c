"""Keras reshaping layers: Flatten, Reshape, Permute, RepeatVector, ZeroPadding1D/2D/3D,
Cropping1D/2D/3D and UpSampling1D/2D/3D."""

from __future__ import annotations

import math

from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.conv import standardize_tuple
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import array_ops as _arr
from tensorflux._src.ops import manip_ops as _manip


def _base_config(layer):
    return {
        "name": layer.name,
        "trainable": layer.trainable,
        "dtype": serialize_keras_object(layer.dtype_policy),
    }


def _known_prod(dims):
    if any(d is None for d in dims):
        return None
    return int(math.prod(dims))


@register_builtin("keras.layers")
class Flatten(Layer):
    """Flattens every dimension but the batch one: `(batch, ...) -> (batch, prod(...))`.

    Args:
      data_format: "channels_last" (default) or "channels_first" (channels are moved last
        first, so the element order matches a channels-last model).
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(min_ndim=1)

    def call(self, inputs):
        rank = inputs.shape.rank
        x = inputs
        if self.data_format == "channels_first" and rank is not None and rank > 2:
            x = _arr.transpose(x, [0] + list(range(2, rank)) + [1])
        static = x.shape.as_list()
        flat = _known_prod(static[1:])
        if flat is not None:
            return _arr.reshape(x, [-1 if static[0] is None else static[0], flat])
        batch = static[0] if static[0] is not None else _arr.shape(x)[0]
        return _arr.reshape(x, _arr.stack([batch, -1]))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if len(input_shape) == 1:
            return (input_shape[0], 1)
        return (input_shape[0], _known_prod(input_shape[1:]))

    def get_config(self):
        return {**_base_config(self), "data_format": self.data_format}


def _resolve_reshape(in_dims, target):
    """`target` with its -1 resolved from `in_dims` (None when the input size is unknown)."""
    target = list(target)
    if -1 not in target:
        return target
    known = _known_prod(in_dims)
    if known is None:
        return [None if d == -1 else d for d in target]
    rest = math.prod(d for d in target if d != -1)
    target[target.index(-1)] = known // rest if rest else 0
    return target


@register_builtin("keras.layers")
class Reshape(Layer):
    """Reshapes each example to `target_shape` (the batch dimension is kept).

    Args:
      target_shape: the new shape without the batch dimension; one entry may be -1.
      **kwargs: base `Layer` arguments.

    Raises:
      ValueError: if `target_shape` has more than one -1, or the sizes do not match.
    """

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target_shape = tuple(target_shape)
        if list(target_shape).count(-1) > 1:
            raise ValueError(
                "There must be at most one unknown dimension (-1) in `target_shape`. "
                f"Received: target_shape={target_shape}."
            )
        self.target_shape = target_shape
        self.built = True

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(_resolve_reshape(input_shape[1:], self.target_shape))

    def call(self, inputs):
        static = inputs.shape.as_list()
        in_dims = static[1:]
        known = _known_prod(in_dims)
        if known is not None and -1 not in self.target_shape:
            if known != math.prod(self.target_shape):
                raise ValueError(
                    "The total size of the tensor must be unchanged. Received: input_shape="
                    f"{tuple(in_dims)}, target_shape={self.target_shape}"
                )
        if known is not None and -1 in self.target_shape:
            rest = math.prod(d for d in self.target_shape if d != -1)
            if rest == 0 or known % rest != 0:
                raise ValueError(
                    "The total size of the tensor must be unchanged. Received: input_shape="
                    f"{tuple(in_dims)}, target_shape={self.target_shape}"
                )
        out = _resolve_reshape(in_dims, self.target_shape)
        if all(d is not None for d in out):
            return _arr.reshape(inputs, [-1 if static[0] is None else static[0]] + out)
        batch = static[0] if static[0] is not None else _arr.shape(inputs)[0]
        return _arr.reshape(inputs, _arr.stack([batch] + list(self.target_shape)))

    def get_config(self):
        return {**_base_config(self), "target_shape": self.target_shape}


@register_builtin("keras.layers")
class Permute(Layer):
    """Permutes the non-batch dimensions: `dims` (1-based) gives the new order.

    Args:
      dims: a permutation of `1..rank-1`, e.g. `(2, 1)` swaps the two feature axes.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError(
                "Invalid permutation argument `dims` for Permute Layer. The set of indices in "
                f"`dims` must be consecutive and start from 1. Received dims={self.dims}"
            )
        self.input_spec = InputSpec(ndim=len(self.dims) + 1)
        self._perm = [0] + list(self.dims)

    def call(self, inputs):
        return _arr.transpose(inputs, self._perm)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[i] for i in self._perm)

    def get_config(self):
        return {**_base_config(self), "dims": self.dims}


@register_builtin("keras.layers")
class RepeatVector(Layer):
    """Repeats a `(batch, features)` input `n` times: `(batch, n, features)`.

    Args:
      n: the number of repetitions.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.n = n
        self.input_spec = InputSpec(ndim=2)

    def call(self, inputs):
        return _manip.tile(_arr.expand_dims(inputs, 1), [1, self.n, 1])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**_base_config(self), "n": self.n}


# ---------------------------------------------------------------------- padding / cropping


def _pairs(value, n, name):
    """Keras's standardization of a padding/cropping argument into n (before, after) pairs."""
    if isinstance(value, int):
        return tuple((value, value) for _ in range(n))
    if not hasattr(value, "__len__") or len(value) != n:
        if n == 2:
            raise ValueError(f"`{name}` should have two elements. Received: {name}={value}.")
        raise ValueError(f"`{name}` should have {n} elements. Received: {value}.")
    out = []
    ordinals = ("1st", "2nd", "3rd")
    for i, v in enumerate(value):
        if isinstance(v, int):
            out.append((v, v))
        else:
            out.append(standardize_tuple(v, 2, f"{ordinals[i]} entry of {name}", allow_zero=True))
    return tuple(out)


def _spatial_axes(rank, data_format):
    if data_format == "channels_first":
        return list(range(2, rank + 2))
    return list(range(1, rank + 1))


class _Padding(Layer):
    rank = 2

    def _setup(self, padding, data_format):
        if self.rank == 1:
            self.padding = standardize_tuple(padding, 2, "padding", allow_zero=True)
            self._pairs = (self.padding,)
        else:
            self.padding = _pairs(padding, self.rank, "padding")
            self._pairs = self.padding
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._axes = _spatial_axes(self.rank, self.data_format)
        full = [[0, 0] for _ in range(self.rank + 2)]
        for a, p in zip(self._axes, self._pairs):
            full[a] = list(p)
        self._full = full

    def call(self, inputs):
        return _manip.pad(inputs, self._full)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for a, p in zip(self._axes, self._pairs):
            if out[a] is not None:
                out[a] = out[a] + p[0] + p[1]
        return tuple(out)

    def get_config(self):
        return {**_base_config(self), "padding": self.padding, "data_format": self.data_format}


@register_builtin("keras.layers")
class ZeroPadding1D(_Padding):
    """Pads the steps axis of `(batch, steps, features)` inputs with zeros.

    Args:
      padding: an int or `(left, right)`.
      data_format: "channels_last" (default) or "channels_first".
      **kwargs: base `Layer` arguments.
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(padding, data_format)


@register_builtin("keras.layers")
class ZeroPadding2D(_Padding):
    """Pads the rows and columns of images with zeros.

    Args:
      padding: an int, `(sym_height, sym_width)` or `((top, bottom), (left, right))`.
      data_format: "channels_last" (default) or "channels_first".
      **kwargs: base `Layer` arguments.
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(padding, data_format)


@register_builtin("keras.layers")
class ZeroPadding3D(_Padding):
    """Pads the three spatial dimensions of volumes with zeros.

    Args:
      padding: an int, 3 ints, or 3 `(before, after)` pairs.
      data_format: "channels_last" (default) or "channels_first".
      **kwargs: base `Layer` arguments.
    """

    rank = 3

    def __init__(self, padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(padding, data_format)


class _Cropping(Layer):
    rank = 2

    def _setup(self, cropping, data_format):
        if self.rank == 1:
            self.cropping = standardize_tuple(cropping, 2, "cropping", allow_zero=True)
            self._pairs = (self.cropping,)
            self.data_format = "channels_last"
        else:
            self.cropping = _pairs(cropping, self.rank, "cropping")
            self._pairs = self.cropping
            self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._axes = _spatial_axes(self.rank, self.data_format)

    def _check(self, shape):
        for a, (lo, hi) in zip(self._axes, self._pairs):
            if shape[a] is not None and lo + hi >= shape[a]:
                if self.rank == 1:
                    raise ValueError(
                        "`cropping` parameter of `Cropping1D` layer must be smaller than the "
                        f"input length. Received: inputs.shape={tuple(shape)}, cropping="
                        f"{self.cropping}"
                    )
                raise ValueError(
                    "Values in `cropping` argument should be smaller than the corresponding "
                    f"spatial dimension of the input. Received: inputs.shape={tuple(shape)}, "
                    f"cropping={self.cropping}"
                )

    def call(self, inputs):
        shape = inputs.shape.as_list()
        self._check(shape)
        index = [slice(None)] * len(shape)
        for a, (lo, hi) in zip(self._axes, self._pairs):
            index[a] = slice(lo, -hi if hi else None)
        return inputs[tuple(index)]

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for a, (lo, hi) in zip(self._axes, self._pairs):
            if out[a] is not None:
                out[a] = out[a] - lo - hi
        if any(d is not None and d <= 0 for d in out):
            self._check(tuple(input_shape))
        return tuple(out)

    def get_config(self):
        config = {**_base_config(self), "cropping": self.cropping}
        if self.rank > 1:
            config["data_format"] = self.data_format
        return config


@register_builtin("keras.layers")
class Cropping1D(_Cropping):
    """Crops the steps axis of `(batch, steps, features)` inputs.

    Args:
      cropping: an int or `(start, end)`, the number of steps removed at each end.
      **kwargs: base `Layer` arguments.
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self._setup(cropping, None)


@register_builtin("keras.layers")
class Cropping2D(_Cropping):
    """Crops the rows and columns of images.

    Args:
      cropping: an int, `(sym_height, sym_width)` or `((top, bottom), (left, right))`.
      data_format: "channels_last" (default) or "channels_first".
      **kwargs: base `Layer` arguments.
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(cropping, data_format)


@register_builtin("keras.layers")
class Cropping3D(_Cropping):
    """Crops the three spatial dimensions of volumes.

    Args:
      cropping: an int, 3 ints, or 3 `(start, end)` pairs.
      data_format: "channels_last" (default) or "channels_first".
      **kwargs: base `Layer` arguments.
    """

    rank = 3

    def __init__(self, cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(cropping, data_format)


# ---------------------------------------------------------------------- upsampling


def _repeat_axes(x, sizes, axes):
    for a, s in zip(axes, sizes):
        if s != 1:
            x = _manip.repeat(x, s, axis=a)
    return x


@register_builtin("keras.layers")
class UpSampling1D(Layer):
    """Repeats each step `size` times along the steps axis.

    Args:
      size: the repetition factor.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)
        self.input_spec = InputSpec(ndim=3)

    def call(self, inputs):
        return _manip.repeat(inputs, self.size, axis=1)

    def compute_output_shape(self, input_shape):
        n = input_shape[1]
        return (input_shape[0], None if n is None else n * self.size, input_shape[2])

    def get_config(self):
        return {**_base_config(self), "size": self.size}


class _UpSampling(Layer):
    rank = 2

    def _setup(self, size, data_format):
        self.size = standardize_tuple(size, self.rank, "size")
        self.data_format = backend.standardize_data_format(data_format)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self._axes = _spatial_axes(self.rank, self.data_format)

    def call(self, inputs):
        return _repeat_axes(inputs, self.size, self._axes)

    def compute_output_shape(self, input_shape):
        out = list(input_shape)
        for a, s in zip(self._axes, self.size):
            if out[a] is not None:
                out[a] = out[a] * s
        return tuple(out)


@register_builtin("keras.layers")
class UpSampling2D(_UpSampling):
    """Upsamples images by `size` (rows, columns), repeating pixels ("nearest") or
    interpolating ("bilinear").

    Args:
      size: an int or 2 ints.
      data_format: "channels_last" (default) or "channels_first".
      interpolation: "nearest" (default) or another `tf.image.resize` method.
      **kwargs: base `Layer` arguments.
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self._setup(size, data_format)
        self.interpolation = interpolation

    def call(self, inputs):
        if self.interpolation == "nearest":
            return _repeat_axes(inputs, self.size, self._axes)
        from tensorflux._src.image.resize import resize

        x = inputs
        cf = self.data_format == "channels_first"
        if cf:
            x = _arr.transpose(x, [0, 2, 3, 1])
        h, w = x.shape.as_list()[1:3]
        if h is None or w is None:
            dyn = _arr.shape(x)
            h = dyn[1] if h is None else h
            w = dyn[2] if w is None else w
        x = resize(x, [h * self.size[0], w * self.size[1]], method=self.interpolation)
        if cf:
            x = _arr.transpose(x, [0, 3, 1, 2])
        return x

    def get_config(self):
        return {
            **_base_config(self),
            "size": self.size,
            "data_format": self.data_format,
            "interpolation": self.interpolation,
        }


@register_builtin("keras.layers")
class UpSampling3D(_UpSampling):
    """Upsamples volumes by repeating entries `size` times along each spatial axis.

    Args:
      size: an int or 3 ints.
      data_format: "channels_last" (default) or "channels_first".
      **kwargs: base `Layer` arguments.
    """

    rank = 3

    def __init__(self, size=(2, 2, 2), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self._setup(size, data_format)

    def get_config(self):
        return {**_base_config(self), "size": self.size, "data_format": self.data_format}
