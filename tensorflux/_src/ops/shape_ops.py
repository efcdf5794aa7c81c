"""Shape-level array ops: BroadcastTo/BroadcastArgs, Size, Rank, ShapeN, IdentityN, StopGradient,
EnsureShape. One block per op (rule, kernel, gradient), then its public function."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_same
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import math_ops
from tensorflux._src.ops._util import as_tensor, static_shape_of
from tensorflux._src.ops.array_ops import _dims_str, _shape_arg

# ------------------------------------------------------------------ BroadcastTo, BroadcastArgs


def _broadcast_to_check(xdims, tdims):
    if len(xdims) > len(tdims):
        raise InvalidArgumentError(
            None,
            None,
            f"Rank of input ({len(xdims)}) must be no greater than rank of output shape "
            f"({len(tdims)}).",
        )
    lead = len(tdims) - len(xdims)
    out = list(tdims)
    for i, d in enumerate(xdims):
        t = tdims[lead + i]
        if d is None or t is None:
            continue
        if d != t and d != 1:
            raise InvalidArgumentError(
                None, None, f"Incompatible shapes: {_dims_str(xdims)} vs. {_dims_str(tdims)}"
            )
    return out


def _broadcast_to_shape(inputs, attrs):
    x, target = inputs
    t = static_shape_of(target)
    if t.rank is None or x.shape.rank is None:
        return t
    return TensorShape(_broadcast_to_check(x.shape.as_list(), t.as_list()))


BroadcastTo = defop(
    "BroadcastTo", infer=Rule(lambda d, a: d[0], _broadcast_to_shape), host_inputs=(1,)
)


@BroadcastTo.kernel
def _(xp, x, shape):
    target = [int(d) for d in np.asarray(shape).reshape(-1)]
    _broadcast_to_check(list(x.shape), target)
    return xp.array(xp.broadcast_to(x, target))


@BroadcastTo.gradient
def _(op, dy):
    return [math_ops.unbroadcast(dy, op.inputs[0]), None]


def broadcast_to(input, shape, name=None):
    """Broadcasts `input` to `shape` with NumPy's rules (trailing dimensions aligned).

    Args:
      input: a tensor.
      shape: a 1-D int32/int64 tensor, list or `TensorShape`: the shape of the result.
      name: an optional name for the operation.

    Returns:
      A tensor of shape `shape`.

    Raises:
      InvalidArgumentError: if `input` cannot be broadcast to `shape`.
    """
    return BroadcastTo(input, _shape_arg(shape), name=name)


def _bcast_args_shape(inputs, attrs):
    a, b = (static_shape_of(t) for t in inputs)
    if a.rank is None or b.rank is None:
        return TensorShape([None])
    return TensorShape([max(a.rank, b.rank)])


BroadcastArgs = defop(
    "BroadcastArgs",
    infer=Rule(lambda d, a: check_same(d), _bcast_args_shape),
    host_inputs=(0, 1),
)


@BroadcastArgs.kernel
def _(xp, s0, s1):
    a, b = [int(v) for v in s0], [int(v) for v in s1]
    n = max(len(a), len(b))
    a2, b2 = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    out = []
    for x, y in zip(a2, b2):
        if x != y and x != 1 and y != 1:
            raise InvalidArgumentError(
                None, None, f"Incompatible shapes: {_dims_str(a)} vs. {_dims_str(b)}"
            )
        out.append(y if x == 1 else x)
    return xp.asarray(out, dtype=s0.dtype)


not_differentiable(BroadcastArgs)


def broadcast_dynamic_shape(shape_x, shape_y):
    """Computes the shape two operands broadcast to, from their shapes as 1-D tensors.

    Args:
      shape_x: a 1-D int32/int64 tensor (or list): the first shape.
      shape_y: a 1-D tensor of the same dtype: the second shape.

    Returns:
      A 1-D tensor of that dtype: the broadcast shape.

    Raises:
      InvalidArgumentError: if the shapes are not broadcast-compatible.
    """
    return BroadcastArgs(shape_x, shape_y)


def broadcast_static_shape(shape_x, shape_y):
    """Computes the shape two operands broadcast to, from their static `TensorShape`s.

    Args:
      shape_x: a `TensorShape` (or anything `TensorShape` accepts).
      shape_y: another one.

    Returns:
      The broadcast `TensorShape`, with unknown dimensions where they cannot be determined.

    Raises:
      ValueError: if the shapes are not compatible for broadcasting.
    """
    x, y = TensorShape(shape_x), TensorShape(shape_y)
    try:
        return broadcast_shapes(x, y)
    except (ValueError, InvalidArgumentError):
        raise ValueError(
            "Incompatible shapes for broadcasting. Two shapes are compatible if for each "
            "dimension pair they are either equal or one of them is 1. Received: "
            f"{x} and {y}."
        ) from None


# ------------------------------------------------------------------ Size, Rank, ShapeN


def _out_type(d, a):
    return a.get("out_type", dtypes.int32)


Size = defop("Size", infer=Rule(_out_type, lambda i, a: TensorShape([])))
Rank = defop("Rank", infer=Rule(lambda d, a: dtypes.int32, lambda i, a: TensorShape([])))


@Size.kernel
def _(xp, x, out_type=dtypes.int32):
    return xp.asarray(x.size, dtype=out_type.as_numpy_dtype)


@Rank.kernel
def _(xp, x):
    return xp.asarray(x.ndim, dtype=np.int32)


ShapeN = defop(
    "ShapeN",
    infer=Rule(
        lambda d, a: [a.get("out_type", dtypes.int32)] * len(d),
        lambda i, a: [TensorShape([t.shape.rank]) for t in i],
    ),
    num_outputs=lambda attrs, n: n,
    type_inputs=(),
)


@ShapeN.kernel
def _(xp, *xs, out_type=dtypes.int32):
    return [xp.asarray(x.shape, dtype=out_type.as_numpy_dtype) for x in xs]


not_differentiable(Size, Rank, ShapeN)


def size(input, out_type=None, name=None):
    """Returns the number of elements of `input`.

    Args:
      input: a tensor.
      out_type: the integer dtype of the result (int32 when None).
      name: an optional name for the operation.

    Returns:
      A scalar tensor of `out_type`.
    """
    out_type = dtypes.int32 if out_type is None else dtypes.as_dtype(out_type)
    return Size(input, out_type=out_type, name=name)


def rank(input, name=None):
    """Returns the number of dimensions of `input`.

    Args:
      input: a tensor.
      name: an optional name for the operation.

    Returns:
      An int32 scalar tensor.
    """
    return Rank(input, name=name)


def shape_n(input, out_type=dtypes.int32, name=None):
    """Returns the shapes of several tensors at once.

    Args:
      input: a list of tensors.
      out_type: the integer dtype of the results (int32 or int64).
      name: an optional name for the operation.

    Returns:
      A list with one 1-D tensor of `out_type` per input.
    """
    out_type = dtypes.as_dtype(out_type)
    return ShapeN(*[as_tensor(x) for x in input], out_type=out_type, name=name)


# ------------------------------------------------------------------ IdentityN, StopGradient


IdentityN = defop(
    "IdentityN",
    infer=Rule(lambda d, a: list(d), lambda i, a: [t.shape for t in i]),
    num_outputs=lambda attrs, n: n,
    type_inputs=(),
)


@IdentityN.kernel
def _(xp, *xs):
    return list(xs)


@IdentityN.gradient
def _(op, *dys):
    return list(dys)


def identity_n(input, name=None):
    """Returns a list of tensors unchanged, as one op (so they travel, and differentiate, together).

    Args:
      input: a list of tensors, of any dtypes.
      name: an optional name for the operation.

    Returns:
      A list of tensors with the same values.
    """
    return IdentityN(*[as_tensor(x) for x in input], name=name)


StopGradient = defop("StopGradient", infer=Rule(lambda d, a: d[0], lambda i, a: i[0].shape))


@StopGradient.kernel
def _(xp, x):
    return x


not_differentiable(StopGradient)


def stop_gradient(input, name=None):
    """Returns `input` unchanged, but blocks gradients: the result counts as a constant.

    Args:
      input: a tensor.
      name: an optional name for the operation.

    Returns:
      A tensor with the same value; gradients with respect to `input` through it are None.
    """
    if getattr(input, "_is_variable", False):
        input = input.read_value()
    return StopGradient(input, name=name)


# ------------------------------------------------------------------ EnsureShape


def _ensure_message(actual, expected):
    return (
        f"Shape of tensor input {_dims_str(actual)} is not compatible with expected shape "
        f"{_dims_str(expected)}."
    )


def _ensure_shape_shape(inputs, attrs):
    s, want = inputs[0].shape, attrs["shape"]
    if not s.is_compatible_with(want):
        raise InvalidArgumentError(None, None, _ensure_message(s, want))
    return s.merge_with(want)


EnsureShape = defop("EnsureShape", infer=Rule(lambda d, a: d[0], _ensure_shape_shape))


@EnsureShape.kernel
def _(xp, x, shape):
    if not TensorShape(list(x.shape)).is_compatible_with(shape):
        raise InvalidArgumentError(None, None, _ensure_message(list(x.shape), shape))
    return x


@EnsureShape.gradient
def _(op, dy):
    return [dy]


def ensure_shape(x, shape, name=None):
    """Checks that `x` has a shape compatible with `shape` and returns it unchanged.

    Args:
      x: a tensor.
      shape: a `TensorShape` or list; None entries match any size.
      name: an optional name for the operation.

    Returns:
      `x`, with its static shape refined by `shape`.

    Raises:
      InvalidArgumentError: if the shape of `x` is not compatible with `shape`.
    """
    return EnsureShape(x, shape=TensorShape(shape), name=name)
