"""Array ops that create, reshape and select tensors: one block per op, then its public function."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import any_, check_same, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import math_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor, static_shape_of
from tensorflux._src.tensor import Tensor, constant

# ------------------------------------------------------------------ Reshape


def _reshape_shape(inputs, attrs):
    x, shape = inputs
    target = static_shape_of(shape)
    if target.rank is None or not target.is_fully_defined() and x.shape.is_fully_defined():
        vals = None
        v = static_value(shape)
        if v is not None:
            vals = [int(e) for e in np.asarray(v).reshape(-1)]
        if vals is not None and vals.count(-1) == 1 and x.shape.is_fully_defined():
            n = x.shape.num_elements()
            known = int(np.prod([e for e in vals if e != -1], dtype=np.int64))
            if known == 0 or n % known:
                raise InvalidArgumentError(
                    None, None,
                    f"Input to reshape is a tensor with {n} values, but the requested shape "
                    f"requires a multiple of {known}",
                )
            return TensorShape([n // known if e == -1 else e for e in vals])
        return target
    if x.shape.is_fully_defined():
        n, m = x.shape.num_elements(), target.num_elements()
        if n != m:
            raise InvalidArgumentError(
                None, None,
                f"Input to reshape is a tensor with {n} values, but the requested shape has {m}",
            )
    return target


Reshape = defop(
    "Reshape",
    infer=Rule(lambda dts, attrs: dts[0], _reshape_shape),
    host_inputs=(1,),
)


@Reshape.kernel
def _(xp, x, shape):
    return xp.reshape(x, tuple(int(s) for s in shape))


@Reshape.gradient
def _(op, dy):
    x = op.inputs[0]
    if x.shape.is_fully_defined():
        return [reshape(dy, x.shape.as_list()), None]
    return [reshape(dy, shape(x)), None]


def reshape(tensor, shape, name=None):
    """Reshapes `tensor` to `shape`; one dimension may be -1 and is then inferred.

    >>> tf.reshape(tf.range(6), [2, -1]).shape
    TensorShape([2, 3])
    """
    return Reshape(tensor, shape, name=name)


# ------------------------------------------------------------------ Shape


def _shape_dtype(dts, attrs):
    return attrs.get("out_type", dtypes.int32)


def _shape_shape(inputs, attrs):
    return TensorShape([inputs[0].shape.rank])


Shape = defop("Shape", infer=Rule(_shape_dtype, _shape_shape))


@Shape.kernel
def _(xp, x, out_type=dtypes.int32):
    return np.asarray(x.shape, dtype=out_type.as_numpy_dtype)


@Shape.kernel(device="GPU")
def _(xp, x, out_type=dtypes.int32):
    return xp.asarray(x.shape, dtype=out_type.as_numpy_dtype)


not_differentiable(Shape)


def shape(input, out_type=dtypes.int32, name=None):
    """The shape of `input` as a 1-D integer tensor (int32 unless `out_type` says otherwise)."""
    out_type = dtypes.as_dtype(out_type)
    return Shape(input, out_type=out_type, name=name)


# ------------------------------------------------------------------ ZerosLike, OnesLike, Fill

ZerosLike = defop("ZerosLike", infer=Rule(lambda d, a: d[0], lambda i, a: i[0].shape))
OnesLike = defop("OnesLike", infer=Rule(lambda d, a: d[0], lambda i, a: i[0].shape))


@ZerosLike.kernel
def _(xp, x):
    if x.dtype == object:
        return np.full(x.shape, b"", dtype=object)
    return xp.zeros_like(x)


@OnesLike.kernel
def _(xp, x):
    return xp.ones_like(x)


not_differentiable(ZerosLike, OnesLike)


def zeros_like(input, dtype=None, name=None):
    """A tensor of zeros with the shape of `input` (and its dtype unless `dtype` is given)."""
    if getattr(input, "_is_variable", False):
        input = input.value()
    x = as_tensor(input)
    out = ZerosLike(x, name=name)
    return out if dtype is None else math_ops.cast(out, dtype)


def ones_like(input, dtype=None, name=None):
    """A tensor of ones with the shape of `input` (and its dtype unless `dtype` is given)."""
    if getattr(input, "_is_variable", False):
        input = input.value()
    x = as_tensor(input)
    out = OnesLike(x, name=name)
    return out if dtype is None else math_ops.cast(out, dtype)


def _fill_shape(inputs, attrs):
    return static_shape_of(inputs[0])


Fill = defop("Fill", infer=Rule(lambda d, a: d[1], _fill_shape), host_inputs=(0,))


@Fill.kernel
def _(xp, dims, value):
    dims = tuple(int(d) for d in np.asarray(dims).reshape(-1))
    if any(d < 0 for d in dims):
        raise InvalidArgumentError(None, None, f"dims must be nonnegative, got {list(dims)}")
    return xp.full(dims, value, dtype=value.dtype)


@Fill.gradient
def _(op, dy):
    return [None, reduction_ops.reduce_sum(dy)]


def fill(dims, value, name=None):
    """A tensor of shape `dims` with every element equal to the scalar `value`."""
    return Fill(dims, value, name=name)


def zeros(shape, dtype=dtypes.float32, name=None):
    """A tensor of the given shape filled with zeros."""
    dtype = dtypes.as_dtype(dtype)
    return fill(shape, constant(b"" if dtype is dtypes.string else 0, dtype=dtype), name=name)


def ones(shape, dtype=dtypes.float32, name=None):
    """A tensor of the given shape filled with ones."""
    dtype = dtypes.as_dtype(dtype)
    return fill(shape, constant(1, dtype=dtype), name=name)


# ------------------------------------------------------------------ Identity

Identity = defop("Identity", infer=Rule(lambda d, a: d[0], lambda i, a: i[0].shape))


@Identity.kernel
def _(xp, x):
    return x


@Identity.gradient
def _(op, dy):
    return [dy]


def identity(input, name=None):
    """Returns a tensor with the same shape, dtype and value as `input`."""
    if getattr(input, "_is_variable", False):
        return input.read_value()
    return Identity(input, name=name)


# ------------------------------------------------------------------ Pack (stack)


def _pack_dtype(dts, attrs):
    return check_same(dts)


def _pack_shape(inputs, attrs):
    s = TensorShape(None)
    for x in inputs:
        s = s.merge_with(x.shape)
    if s.rank is None:
        return s
    axis = attrs.get("axis", 0)
    r = s.rank + 1
    if not -r <= axis < r:
        raise InvalidArgumentError(None, None, f"axis = {axis} not in [{-r}, {r})")
    dims = s.as_list()
    dims.insert(axis % r, len(inputs))
    return TensorShape(dims)


Pack = defop("Pack", infer=Rule(_pack_dtype, _pack_shape))


@Pack.kernel
def _(xp, *xs, axis=0):
    return xp.stack(xs, axis=axis)


@Pack.gradient
def _(op, dy):
    return unstack(dy, num=len(op.inputs), axis=op.get_attr("axis"))


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor along `axis`."""
    values = [v if isinstance(v, Tensor) else as_tensor(v) for v in values]
    return Pack(*values, axis=axis, name=name)


def _unpack_dtype(dts, attrs):
    return [dts[0]] * attrs["num"]


def _unpack_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return [TensorShape(None)] * attrs["num"]
    axis = attrs.get("axis", 0) % s.rank
    dims = s.as_list()
    del dims[axis]
    return [TensorShape(dims)] * attrs["num"]


Unpack = defop(
    "Unpack",
    infer=Rule(_unpack_dtype, _unpack_shape),
    num_outputs=lambda attrs, n: attrs["num"],
)


@Unpack.kernel
def _(xp, x, num, axis=0):
    if x.shape[axis] != num:
        raise InvalidArgumentError(None, None, f"Input shape axis {axis} must equal {num}, got shape {list(x.shape)}")
    return [xp.take(x, i, axis=axis) for i in range(num)]


@Unpack.gradient
def _(op, *dys):
    return [stack(list(dys), axis=op.get_attr("axis"))]


def unstack(value, num=None, axis=0, name="unstack"):
    """Splits the `axis` dimension of `value` into a list of rank-(R-1) tensors."""
    value = as_tensor(value)
    if num is None:
        rank = value.shape.rank
        if rank is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
        num = value.shape[axis]
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {value.shape}")
    return Unpack(value, num=num, axis=axis, name=name)


# ------------------------------------------------------------------ BroadcastGradientArgs


def _bga_shape(inputs, attrs):
    return [TensorShape([None]), TensorShape([None])]


BroadcastGradientArgs = defop(
    "BroadcastGradientArgs",
    infer=Rule(lambda d, a: [d[0], d[0]], _bga_shape),
    num_outputs=2,
    host_inputs=(0, 1),
)


@BroadcastGradientArgs.kernel
def _(xp, s0, s1):
    a, b = [int(v) for v in s0], [int(v) for v in s1]
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    r0 = [i for i in range(n) if a[i] == 1 and b[i] != 1]
    r1 = [i for i in range(n) if b[i] == 1 and a[i] != 1]
    for i in range(n):
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            raise InvalidArgumentError(None, None, f"Incompatible shapes: {list(s0)} vs. {list(s1)}")
    dt = s0.dtype
    return [np.asarray(r0, dtype=dt), np.asarray(r1, dtype=dt)]


not_differentiable(BroadcastGradientArgs)


def broadcast_gradient_args(s0, s1):
    """Reduction axes for the gradients of two broadcast operands with shapes s0 and s1."""
    return BroadcastGradientArgs(s0, s1)


# ------------------------------------------------------------------ SelectV2 (where)


def _select_dtype(dts, attrs):
    if dts[0] is not dtypes.bool:
        raise InvalidArgumentError(
            None, None,
            f"cannot compute {{op}} as input #0(zero-based) was expected to be a bool tensor "
            f"but is a {dts[0].name} tensor",
        )
    return check_same(dts, (1, 2))


def _select_shape(inputs, attrs):
    c, x, y = (t.shape for t in inputs)
    return broadcast_shapes(broadcast_shapes(c, x), y)


SelectV2 = defop("SelectV2", infer=Rule(_select_dtype, _select_shape), type_inputs=(1, 2))


@SelectV2.kernel
def _(xp, c, x, y):
    return xp.where(c, x, y)


@SelectV2.gradient
def _(op, dy):
    c, x, y = op.inputs
    zeros = zeros_like(dy)
    return [None, math_ops.unbroadcast(SelectV2(c, dy, zeros), x),
            math_ops.unbroadcast(SelectV2(c, zeros, dy), y)]


def where(condition, x=None, y=None, name=None):
    """With x and y: elements of x where `condition` holds, else of y (broadcasting).

    With neither: the coordinates of true elements, as an int64 [num_true, rank] tensor.
    """
    if x is None and y is None:
        return Where(condition, name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    return SelectV2(condition, x, y, name=name)


Where = defop(
    "Where",
    infer=Rule(lambda d, a: dtypes.int64, lambda i, a: TensorShape([None, i[0].shape.rank])),
)


@Where.kernel
def _(xp, c):
    if c.dtype != bool:
        c = c != 0
    return xp.argwhere(c).astype(np.int64)


not_differentiable(Where)

_ = any_
