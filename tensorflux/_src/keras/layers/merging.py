"""Keras merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate and Dot,
and their function forms (`keras.layers.add(inputs)` ...).

Inputs of different ranks are made broadcastable by inserting axes after the batch axis, as in
Keras. Output masks combine the inputs' masks (read from their `_keras_mask`).
"""

from __future__ import annotations

from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin, serialize_keras_object
from tensorflux._src.ops import array_ops as _arr
from tensorflux._src.ops import math_ops as _math
from tensorflux._src.ops import reduction_ops as _red


def _base_config(layer):
    return {
        "name": layer.name,
        "trainable": layer.trainable,
        "dtype": serialize_keras_object(layer.dtype_policy),
    }


def _shape_list(shape):
    return None if shape is None else list(shape)


def _input_masks(inputs, mask):
    if mask is not None:
        return list(mask) if isinstance(mask, (list, tuple)) else [mask]
    if not isinstance(inputs, (list, tuple)):
        return None
    masks = [getattr(x, "_keras_mask", None) for x in inputs]
    return masks if any(m is not None for m in masks) else None


class _Merge(Layer):
    """Shared checks, broadcasting and mask merging of the element-wise merge layers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _elemwise_shape(self, shape1, shape2):
        if shape1 is None or shape2 is None:
            return None
        if len(shape1) < len(shape2):
            return self._elemwise_shape(shape2, shape1)
        if not shape2:
            return tuple(shape1)
        out = list(shape1[: -len(shape2)])
        for i, j in zip(shape1[-len(shape2) :], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError(
                    f"Inputs have incompatible shapes. Received shapes {tuple(shape1)} and "
                    f"{tuple(shape2)}"
                )
        return tuple(out)

    def _check_list(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                "A merge layer should be called on a list of inputs. Received: "
                f"input_shape={input_shape} (not a list of shapes)"
            )
        if len(input_shape) < 1:
            raise ValueError(
                "A merge layer should be called on a list of at least 1 input. Got "
                f"{len(input_shape)} inputs. Full input_shape received: {input_shape}"
            )

    def build(self, input_shape):
        self._check_list(input_shape)
        self._out_shape(input_shape)
        self.built = True

    def _out_shape(self, input_shape):
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(
                "Cannot merge tensors with different batch sizes. Received tensors with shapes "
                f"{input_shape}"
            )
        shape = None if input_shape[0] is None else tuple(input_shape[0][1:])
        for s in input_shape[1:]:
            other = None if s is None else tuple(s[1:])
            shape = self._elemwise_shape(shape, other)
        batch = batch_sizes.pop() if len(batch_sizes) == 1 else None
        return (batch,) + tuple(shape) if shape is not None else None

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        return self._out_shape(input_shape)

    def call(self, inputs):
        ranks = [x.shape.rank for x in inputs]
        if len(set(ranks)) > 1 and None not in ranks:
            top = max(ranks)
            xs = []
            for x, r in zip(inputs, ranks):
                while r < top:
                    x = _arr.expand_dims(x, 1)
                    r += 1
                xs.append(x)
            inputs = xs
        return self._merge(list(inputs))

    def compute_mask(self, inputs, mask=None):
        masks = _input_masks(inputs, mask)
        if masks is None:
            return None
        if isinstance(inputs, (list, tuple)) and len(masks) != len(inputs):
            raise ValueError(
                "`mask` should have the same length as `inputs`. Received: "
                f"inputs={inputs} and mask={mask}"
            )
        masks = [_arr.expand_dims(m, 0) for m in masks if m is not None]
        if not masks:
            return None
        from tensorflux._src.ops.manip_ops import concat

        return _red.reduce_any(concat(masks, 0), axis=0)

    def get_config(self):
        return _base_config(self)


def _doc(what):
    return f"""{what}

    Args:
      **kwargs: base `Layer` arguments.

    Call arguments:
      inputs: a list of tensors of broadcast-compatible shapes.
    """


@register_builtin("keras.layers")
class Add(_Merge):
    __doc__ = _doc("Adds a list of inputs element-wise.")

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = _math.add(out, x)
        return out


@register_builtin("keras.layers")
class Subtract(_Merge):
    __doc__ = _doc("Subtracts the second of exactly two inputs from the first.")

    def build(self, input_shape):
        super().build(input_shape)
        if len(input_shape) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. Received: "
                f"input_shape={input_shape}"
            )

    def _merge(self, inputs):
        if len(inputs) != 2:
            raise ValueError(
                "A `Subtract` layer should be called on exactly 2 inputs. Received: "
                f"inputs={inputs}"
            )
        return _math.subtract(inputs[0], inputs[1])


@register_builtin("keras.layers")
class Multiply(_Merge):
    __doc__ = _doc("Multiplies a list of inputs element-wise.")

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = _math.multiply(out, x)
        return out


@register_builtin("keras.layers")
class Average(_Merge):
    __doc__ = _doc("Averages a list of inputs element-wise.")

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = _math.add(out, x)
        return out / len(inputs)


@register_builtin("keras.layers")
class Maximum(_Merge):
    __doc__ = _doc("The element-wise maximum of a list of inputs.")

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = _math.maximum(out, x)
        return out


@register_builtin("keras.layers")
class Minimum(_Merge):
    __doc__ = _doc("The element-wise minimum of a list of inputs.")

    def _merge(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = _math.minimum(out, x)
        return out


@register_builtin("keras.layers")
class Concatenate(_Merge):
    """Concatenates a list of inputs along `axis`.

    Args:
      axis: the concatenation axis.
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def build(self, input_shape):
        if (
            not isinstance(input_shape, (list, tuple))
            or not input_shape
            or not isinstance(input_shape[0], (list, tuple))
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of at least 1 input. "
                f"Received: input_shape={input_shape}"
            )
        if all(s is None for s in input_shape):
            self.built = True
            return
        self._check_shapes(input_shape)
        self.built = True

    def _check_shapes(self, input_shape):
        shapes = [list(s) for s in input_shape if s is not None]
        ranks = {len(s) for s in shapes}
        error = ValueError(
            "A `Concatenate` layer requires inputs with matching shapes except for the "
            f"concatenation axis. Received: input_shape={input_shape}"
        )
        if len(ranks) != 1:
            raise error
        rank = ranks.pop()
        axis = self.axis % rank
        for i in range(rank):
            if i == axis:
                continue
            dims = {s[i] for s in shapes} - {None}
            if len(dims) > 1:
                raise error

    def _merge(self, inputs):
        from tensorflux._src.ops.manip_ops import concat

        return concat(inputs, axis=self.axis)

    def call(self, inputs):
        return self._merge(list(inputs))

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape, (list, tuple)) or not isinstance(
            input_shape[0], (list, tuple)
        ):
            raise ValueError(
                "A `Concatenate` layer should be called on a list of inputs. Received: "
                f"input_shape={input_shape}"
            )
        self._check_shapes(input_shape)
        out = list(input_shape[0])
        rank = len(out)
        axis = self.axis % rank
        for s in input_shape[1:]:
            if out[axis] is None or s[axis] is None:
                out[axis] = None
            else:
                out[axis] += s[axis]
        for i in range(rank):
            if i != axis and out[i] is None:
                for s in input_shape[1:]:
                    if s[i] is not None:
                        out[i] = s[i]
                        break
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        masks = _input_masks(inputs, mask)
        if masks is None or all(m is None for m in masks):
            return None
        from tensorflux._src.ops.manip_ops import concat

        full = []
        for x, m in zip(inputs, masks):
            if m is None:
                m = _math.cast(_arr.ones_like(x), "bool")
            elif m.shape.rank < x.shape.rank:
                m = _arr.expand_dims(m, -1)
            full.append(m)
        return _red.reduce_any(concat(full, axis=self.axis), axis=-1)

    def get_config(self):
        return {**_base_config(self), "axis": self.axis}


def _check_axes(axes):
    if isinstance(axes, int):
        return
    if not isinstance(axes, (list, tuple)):
        raise TypeError(
            f"Invalid type for argument `axes`: it should be a list or an int. Received: "
            f"axes={axes}"
        )
    if len(axes) != 2:
        raise ValueError(
            "Invalid format for argument `axes`: list should contain two elements. Received: "
            f"axes={axes}"
        )
    if not isinstance(axes[0], int) or not isinstance(axes[1], int):
        raise ValueError(
            "Invalid format for argument `axes`: list elements should be integers. Received: "
            f"axes={axes}"
        )


@register_builtin("keras.layers")
class Dot(_Merge):
    """The dot product of two inputs along the given axes, per batch example.

    Args:
      axes: an int or a pair of ints, the axes of the first and second input that are
        contracted (never the batch axis 0).
      normalize: whether to L2-normalize both inputs along those axes first (giving cosine
        similarity).
      **kwargs: base `Layer` arguments.
    """

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        _check_axes(axes)
        self.axes = axes
        self.normalize = normalize
        self.supports_masking = True

    def _axes_for(self, rank1, rank2):
        if isinstance(self.axes, int):
            if self.axes < 0:
                return [self.axes % rank1, self.axes % rank2]
            return [self.axes, self.axes]
        return [a % r if a < 0 else a for a, r in zip(self.axes, (rank1, rank2))]

    def build(self, input_shape):
        if not isinstance(input_shape[0], (tuple, list)) or len(input_shape) != 2:
            raise ValueError(
                "A `Dot` layer should be called on a list of 2 inputs. Received: "
                f"input_shape={input_shape}"
            )
        s1, s2 = input_shape
        if s1 is None or s2 is None:
            self.built = True
            return
        a1, a2 = self._axes_for(len(s1), len(s2))
        if s1[a1] is not None and s2[a2] is not None and s1[a1] != s2[a2]:
            raise ValueError(
                f"Incompatible input shapes: axis values {s1[a1]} (at axis {a1}) != "
                f"{s2[a2]} (at axis {a2}). Full input shapes: {tuple(s1)}, {tuple(s2)}"
            )
        self.built = True

    def call(self, inputs):
        from tensorflux._src.ops.einsum_ops import einsum

        if len(inputs) != 2:
            raise ValueError(
                f"A `Dot` layer should be called on exactly 2 inputs. Received: inputs={inputs}"
            )
        x1, x2 = inputs
        r1, r2 = x1.shape.rank, x2.shape.rank
        a1, a2 = self._axes_for(r1, r2)
        if self.normalize:
            from tensorflux._src.ops.reduction_ops import l2_normalize

            x1 = l2_normalize(x1, axis=a1)
            x2 = l2_normalize(x2, axis=a2)
        letters = "abcdefghijklmnopqrstuvwxyz"
        s1 = list(letters[:r1])
        s2 = ["a"] + list(letters[r1 : r1 + r2 - 1])
        s2[a2] = s1[a1]
        out = [c for i, c in enumerate(s1) if i != a1] + [
            c for i, c in enumerate(s2) if i not in (0, a2)
        ]
        y = einsum(f"{''.join(s1)},{''.join(s2)}->{''.join(out)}", x1, x2)
        if len(out) == 1:
            y = _arr.expand_dims(y, 1)
        return y

    def compute_output_shape(self, input_shape):
        if not isinstance(input_shape[0], (tuple, list)) or len(input_shape) != 2:
            raise ValueError(
                "A `Dot` layer should be called on a list of 2 inputs. Received: "
                f"input_shape={input_shape}"
            )
        s1, s2 = list(input_shape[0]), list(input_shape[1])
        a1, a2 = self._axes_for(len(s1), len(s2))
        s1.pop(a1)
        s2.pop(a2)
        s2.pop(0)
        out = s1 + s2
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**_base_config(self), "axes": self.axes, "normalize": self.normalize}


# ---------------------------------------------------------------------- function forms


def add(inputs, **kwargs):
    """`Add(**kwargs)(inputs)`: the element-wise sum of a list of tensors."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """`Subtract(**kwargs)(inputs)`: the difference of two tensors."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """`Multiply(**kwargs)(inputs)`: the element-wise product of a list of tensors."""
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """`Average(**kwargs)(inputs)`: the element-wise mean of a list of tensors."""
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """`Maximum(**kwargs)(inputs)`: the element-wise maximum of a list of tensors."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """`Minimum(**kwargs)(inputs)`: the element-wise minimum of a list of tensors."""
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """`Concatenate(axis=axis, **kwargs)(inputs)`: the tensors joined along `axis`."""
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """`Dot(axes=axes, **kwargs)(inputs)`: the batchwise dot product of two tensors."""
    return Dot(axes=axes, **kwargs)(inputs)
