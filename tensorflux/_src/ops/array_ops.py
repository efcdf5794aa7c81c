"""Array ops that create, reshape and select tensors: one block per op, then its public function."""

from __future__ import annotations

import builtins

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import math_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor, static_int_list, static_shape_of
from tensorflux._src.tensor import constant

_brange = builtins.range  # this module defines tf.range

# ------------------------------------------------------------------ Reshape


def _reshape_shape(inputs, attrs):
    x, shape = inputs
    target = static_shape_of(shape)
    if target.rank is None or not target.is_fully_defined() and x.shape.is_fully_defined():
        vals = None
        v = static_value(shape)
        if v is not None:
            vals = [int(e) for e in np.asarray(v).reshape(-1)]
            _check_one_unknown(vals)
        if vals is not None and vals.count(-1) == 1 and x.shape.is_fully_defined():
            n = x.shape.num_elements()
            known = int(np.prod([e for e in vals if e != -1], dtype=np.int64))
            if known == 0 or n % known:
                raise InvalidArgumentError(
                    None,
                    None,
                    f"Input to reshape is a tensor with {n} values, but the requested shape "
                    f"requires a multiple of {known}",
                )
            return TensorShape([n // known if e == -1 else e for e in vals])
        return target
    if x.shape.is_fully_defined():
        n, m = x.shape.num_elements(), target.num_elements()
        if n != m:
            raise InvalidArgumentError(
                None,
                None,
                f"Input to reshape is a tensor with {n} values, but the requested shape has {m}",
            )
    return target


Reshape = defop(
    "Reshape",
    infer=Rule(lambda dts, attrs: dts[0], _reshape_shape),
    host_inputs=(1,),
)


def _check_one_unknown(vals):
    unknown = [i for i, e in enumerate(vals) if e == -1]
    if len(unknown) > 1:
        raise InvalidArgumentError(
            None, None, f"Only one input size may be -1, not both {unknown[0]} and {unknown[1]}"
        )


@Reshape.kernel
def _(xp, x, shape):
    dims = tuple(int(s) for s in shape)
    _check_one_unknown(dims)
    return xp.reshape(x, dims)


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


def zeros_like(input, dtype=None, name=None, layout=None):
    """Creates a tensor of zeros with the shape of `input`.

    Args:
      input: a tensor or value convertible to one.
      dtype: the element type of the result (a `DType` or its name); `input`'s dtype when None.
      name: an optional name for the operation.
      layout: unsupported (DTensor); must be None.

    Returns:
      A tensor of zeros shaped like `input`.
    """
    if layout is not None:
        raise NotImplementedError("tf.zeros_like: DTensor layouts are not supported")
    if getattr(input, "_is_variable", False):
        input = input.read_value()
    x = as_tensor(input)
    if dtype is not None and dtypes.as_dtype(dtype) is not x.dtype:
        return zeros(shape(x), dtype=dtype, name=name)
    return ZerosLike(x, name=name)


def ones_like(input, dtype=None, name=None, layout=None):
    """Creates a tensor of ones with the shape of `input`.

    Args:
      input: a tensor or value convertible to one.
      dtype: the element type of the result (a `DType` or its name); `input`'s dtype when None.
      name: an optional name for the operation.
      layout: unsupported (DTensor); must be None.

    Returns:
      A tensor of ones shaped like `input`.
    """
    if layout is not None:
        raise NotImplementedError("tf.ones_like: DTensor layouts are not supported")
    if getattr(input, "_is_variable", False):
        input = input.read_value()
    x = as_tensor(input)
    if dtype is not None and dtypes.as_dtype(dtype) is not x.dtype:
        return ones(shape(x), dtype=dtype, name=name)
    return OnesLike(x, name=name)


def _fill_shape(inputs, attrs):
    return static_shape_of(inputs[0])


Fill = defop("Fill", infer=Rule(lambda d, a: d[1], _fill_shape), host_inputs=(0,))


@Fill.kernel
def _(xp, dims, value):
    if value.ndim and value.size != 1 or value.ndim > 1:
        raise InvalidArgumentError(
            None,
            None,
            "value must represent a scalar, got shape [" + ",".join(map(str, value.shape)) + "]",
        )
    value = value.reshape(())
    dims = tuple(int(d) for d in np.asarray(dims).reshape(-1))
    for d in dims:
        if d < 0:
            raise InvalidArgumentError(None, None, f"Dimension {d} must be >= 0")
    return xp.full(dims, value, dtype=value.dtype)


@Fill.gradient
def _(op, dy):
    return [None, reduction_ops.reduce_sum(dy)]


def fill(dims, value, name=None, layout=None):
    """Creates a tensor of shape `dims` with every element equal to the scalar `value`.

    Args:
      dims: a 1-D int32/int64 list, `TensorShape` or tensor of non-negative sizes.
      value: a scalar; its dtype is the result's.
      name: an optional name for the operation.
      layout: unsupported (DTensor); must be None.

    Returns:
      A tensor of shape `dims`.

    Raises:
      InvalidArgumentError: if a size is negative.
    """
    if layout is not None:
        raise NotImplementedError("tf.fill: DTensor layouts are not supported")
    return Fill(_shape_arg(dims), value, name=name)


def _shape_arg(shape):
    """A shape given as TensorShape, list, tuple, int or tensor, as something Fill accepts."""
    if isinstance(shape, TensorShape):
        return shape.as_list()
    if isinstance(shape, (int, np.integer)):
        return [int(shape)]
    return shape


def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    """Creates a tensor of the given shape with every element zero.

    Args:
      shape: a list, tuple, `TensorShape` or 1-D integer tensor.
      dtype: the element type (a `DType` or its name); strings are filled with b"".
      name: an optional name for the operation.
      layout: unsupported (DTensor); must be None.

    Returns:
      A tensor of `dtype` and shape `shape`.
    """
    if layout is not None:
        raise NotImplementedError("tf.zeros: DTensor layouts are not supported")
    dtype = dtypes.as_dtype(dtype)
    zero = b"" if dtype is dtypes.string else np.zeros((), dtype.as_numpy_dtype)
    return fill(_shape_arg(shape), constant(zero, dtype=dtype), name=name)


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    """Creates a tensor of the given shape with every element one.

    Args:
      shape: a list, tuple, `TensorShape` or 1-D integer tensor.
      dtype: the element type (a `DType` or its name).
      name: an optional name for the operation.
      layout: unsupported (DTensor); must be None.

    Returns:
      A tensor of `dtype` and shape `shape`.

    Raises:
      TypeError: for `tf.string`, which has no one.
    """
    if layout is not None:
        raise NotImplementedError("tf.ones: DTensor layouts are not supported")
    dtype = dtypes.as_dtype(dtype)
    if dtype is dtypes.string:
        raise TypeError("Cannot convert 1 to EagerTensor of dtype string")
    return fill(
        _shape_arg(shape), constant(np.ones((), dtype.as_numpy_dtype), dtype=dtype), name=name
    )


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
    for i, x in enumerate(inputs):
        if not s.is_compatible_with(x.shape):
            raise InvalidArgumentError(
                None,
                None,
                "Shapes of all inputs must match: values[0].shape = "
                f"{_dims_text(inputs[0].shape)} != values[{i}].shape = {_dims_text(x.shape)}",
            )
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


def _dims_text(shape):
    """A shape as TensorFlow's kernels print it: `[2,3]`, unknown dimensions as -1."""
    if shape.rank is None:
        return "<unknown>"
    return "[" + ",".join("-1" if e is None else str(e) for e in shape.as_list()) + "]"


Pack = defop("Pack", infer=Rule(_pack_dtype, _pack_shape))


@Pack.kernel
def _(xp, *xs, axis=0):
    return xp.stack(xs, axis=axis)


@Pack.gradient
def _(op, dy):
    return unstack(dy, num=len(op.inputs), axis=op.get_attr("axis"))


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor along `axis`."""
    # Non-tensor values convert like any op input: to the first tensor's dtype, strictly.
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
        raise InvalidArgumentError(
            None, None, f"Input shape axis {axis} must equal {num}, got shape {list(x.shape)}"
        )
    return [xp.take(x, i, axis=axis) for i in _brange(num)]


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
    texts = ["[" + ",".join(map(str, v)) + "]" for v in (a, b)]
    n = max(len(a), len(b))
    a, b = [1] * (n - len(a)) + a, [1] * (n - len(b)) + b
    r0 = [i for i in _brange(n) if a[i] == 1 and b[i] != 1]
    r1 = [i for i in _brange(n) if b[i] == 1 and a[i] != 1]
    for i in _brange(n):
        if a[i] != b[i] and a[i] != 1 and b[i] != 1:
            raise InvalidArgumentError(
                None,
                None,
                f"Incompatible shapes: {texts[0]} vs. {texts[1]}",
            )
    dt = s0.dtype
    return [xp.asarray(r0, dtype=dt), xp.asarray(r1, dtype=dt)]


not_differentiable(BroadcastGradientArgs)


def broadcast_gradient_args(s0, s1):
    """Reduction axes for the gradients of two broadcast operands with shapes s0 and s1."""
    return BroadcastGradientArgs(s0, s1)


# ------------------------------------------------------------------ SelectV2 (where)


def _select_dtype(dts, attrs):
    if dts[0] is not dtypes.bool:
        raise InvalidArgumentError(
            None,
            None,
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
    return [
        None,
        math_ops.unbroadcast(SelectV2(c, dy, zeros), x),
        math_ops.unbroadcast(SelectV2(c, zeros, dy), y),
    ]


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


# ------------------------------------------------------------------ helpers shared by the rules


def _dims_str(s) -> str:
    """A shape as TensorFlow writes it in kernel messages: [2,?,3]."""
    if isinstance(s, TensorShape):
        if s.rank is None:
            return "<unknown>"
        s = s.as_list()
    return "[" + ",".join("?" if d is None else str(int(d)) for d in s) + "]"


def _static_int(t):
    """A scalar shape-like input as a Python int, or None when only known at run time."""
    v = static_int_list(t)
    return None if v is None or len(v) != 1 else v[0]


def _like_shape(x, t):
    """Reshapes `t` to the shape of tensor `x` (static when known, else via Shape)."""
    if x.shape.is_fully_defined():
        return reshape(t, x.shape.as_list())
    return reshape(t, shape(x))


# ------------------------------------------------------------------ Transpose


def _check_perm(p, rank):
    if len(p) != rank:
        raise InvalidArgumentError(
            None,
            None,
            f"transpose expects a vector of size {rank}. But input(1) is a vector of size {len(p)}",
        )
    for i in p:
        if not 0 <= i < rank:
            raise InvalidArgumentError(None, None, f"{i} is out of range [0 .. {rank})")
    for i in _brange(rank):
        if i not in p:
            joined = ",".join(str(e) for e in p)
            raise InvalidArgumentError(None, None, f"{i} is missing from {{{joined}}}.")


def _transpose_shape(inputs, attrs):
    x, perm = inputs
    p = static_int_list(perm)
    s = x.shape
    if p is None:
        if s.rank is not None:
            return TensorShape([None] * s.rank)
        ps = perm.shape
        return TensorShape(None if ps.rank != 1 or ps[0] is None else [None] * ps[0])
    if s.rank is None:
        return TensorShape([None] * len(p))
    _check_perm(p, s.rank)
    dims = s.as_list()
    return TensorShape([dims[i] for i in p])


def _transpose_kernel(xp, x, perm):
    p = [int(i) for i in perm]
    _check_perm(p, x.ndim)
    return xp.transpose(x, p)


Transpose = defop("Transpose", infer=Rule(lambda d, a: d[0], _transpose_shape), host_inputs=(1,))
ConjugateTranspose = defop(
    "ConjugateTranspose", infer=Rule(lambda d, a: d[0], _transpose_shape), host_inputs=(1,)
)
Transpose.kernel(_transpose_kernel)


@ConjugateTranspose.kernel
def _(xp, x, perm):
    y = _transpose_kernel(xp, x, perm)
    return xp.conj(y) if y.dtype.kind == "c" else y


def _inverse_perm(perm):
    p = static_int_list(perm)
    if p is not None:
        return [int(i) for i in np.argsort(p)]
    return invert_permutation(perm)


@Transpose.gradient
def _(op, dy):
    x, perm = op.inputs
    return [Transpose(dy, _inverse_perm(perm)), None]


@ConjugateTranspose.gradient
def _(op, dy):
    x, perm = op.inputs
    return [ConjugateTranspose(dy, _inverse_perm(perm)), None]


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permutes the dimensions of `a`: output dimension i is input dimension `perm[i]`.

    Args:
      a: a tensor.
      perm: a permutation of `range(rank(a))`; the reversed order when None (a matrix transpose
        for rank 2).
      conjugate: if True and `a` is complex, also conjugates the values.
      name: an optional name for the operation.

    Returns:
      The transposed tensor.

    Raises:
      InvalidArgumentError: if `perm` is not a permutation of the dimensions of `a`.
    """
    a = as_tensor(a)
    if perm is None:
        r = a.shape.rank
        if r is not None:
            perm = list(_brange(r - 1, -1, -1))
        else:
            perm = math_ops.subtract(math_ops.subtract(rank(a), 1), range(rank(a)))
    op = ConjugateTranspose if conjugate and a.dtype.is_complex else Transpose
    return op(a, perm, name=name)


InvertPermutation = defop(
    "InvertPermutation",
    infer=Rule(lambda d, a: _int_dtype(d[0], "T"), lambda i, a: i[0].shape),
)


def _int_dtype(dt, attr):
    if dt not in (dtypes.int32, dtypes.int64):
        check_allowed(dt, (dtypes.int32, dtypes.int64), attr)
    return dt


@InvertPermutation.kernel
def _(xp, x):
    if x.ndim != 1:
        raise InvalidArgumentError(None, None, "invert_permutation expects a 1D vector.")
    n = x.shape[0]
    out = xp.full((n,), -1, dtype=x.dtype)
    idx = xp.asarray(x)
    if bool(xp.any((idx < 0) | (idx >= n))):
        raise InvalidArgumentError(None, None, f"{int(idx.min())} is not between 0 and {n}")
    out[idx] = xp.arange(n, dtype=x.dtype)
    if bool(xp.any(out < 0)):
        raise InvalidArgumentError(None, None, "invert_permutation: duplicate values in input")
    return out


not_differentiable(InvertPermutation)


def invert_permutation(x, name=None):
    """Computes the inverse of a permutation: `y[x[i]] = i`.

    Args:
      x: a 1-D int32/int64 tensor holding each of `0 .. n-1` once.
      name: an optional name for the operation.

    Returns:
      A tensor of the same dtype and shape.

    Raises:
      InvalidArgumentError: if `x` is not a permutation.
    """
    return InvertPermutation(x, name=name)


# ------------------------------------------------------------------ ExpandDims, Squeeze


def _expand_axis(axis, rank):
    if not -rank - 1 <= axis <= rank:
        raise InvalidArgumentError(
            None, None, f"Tried to expand dim index {axis} for tensor with {rank} dimensions."
        )
    return axis if axis >= 0 else axis + rank + 1


def _expand_dims_shape(inputs, attrs):
    x, axis = inputs
    a = _static_int(axis)
    s = x.shape
    if s.rank is None:
        return TensorShape(None)
    if a is None:
        return TensorShape([None] * (s.rank + 1))
    dims = s.as_list()
    dims.insert(_expand_axis(a, s.rank), 1)
    return TensorShape(dims)


ExpandDims = defop(
    "ExpandDims", infer=Rule(lambda d, a: d[0], _expand_dims_shape), host_inputs=(1,)
)


@ExpandDims.kernel
def _(xp, x, axis):
    a = np.asarray(axis).reshape(-1)
    if a.size != 1:
        raise InvalidArgumentError(
            None, None, f"'dim' must be a tensor with a single value, got {a.size} values"
        )
    return xp.expand_dims(x, _expand_axis(int(a[0]), x.ndim))


@ExpandDims.gradient
def _(op, dy):
    return [_like_shape(op.inputs[0], dy), None]


def expand_dims(input, axis, name=None):
    """Inserts a dimension of size 1 at index `axis` of `input`'s shape.

    Args:
      input: a tensor.
      axis: an integer in `[-rank(input) - 1, rank(input)]`; negative values count from the end.
      name: an optional name for the operation.

    Returns:
      A tensor with one more dimension and the same values.

    Raises:
      InvalidArgumentError: if `axis` is out of range.
    """
    if axis is None:
        raise ValueError("'axis' must be specified")
    return ExpandDims(input, axis, name=name)


def _squeeze_axes(axes, dims):
    rank = len(dims)
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None, None, f"Tried to squeeze dim index {a} for tensor with {rank} dimensions."
            )
        a = a % rank
        if dims[a] is not None and dims[a] != 1:
            raise InvalidArgumentError(
                None, None, f"Can not squeeze dim[{a}], expected a dimension of 1, got {dims[a]}"
            )
        out.append(a)
    return out


def _squeeze_shape(inputs, attrs):
    s = inputs[0].shape
    axes = attrs.get("squeeze_dims", [])
    if s.rank is None:
        return TensorShape(None)
    dims = s.as_list()
    if not axes:
        if any(d is None for d in dims):
            return TensorShape(None)
        return TensorShape([d for d in dims if d != 1])
    drop = _squeeze_axes(axes, dims)
    return TensorShape([d for i, d in enumerate(dims) if i not in drop])


Squeeze = defop("Squeeze", infer=Rule(lambda d, a: d[0], _squeeze_shape))


@Squeeze.kernel
def _(xp, x, squeeze_dims=()):
    if not squeeze_dims:
        return xp.reshape(x, tuple(d for d in x.shape if d != 1))
    drop = _squeeze_axes(squeeze_dims, list(x.shape))
    return xp.reshape(x, tuple(d for i, d in enumerate(x.shape) if i not in drop))


@Squeeze.gradient
def _(op, dy):
    return [_like_shape(op.inputs[0], dy)]


def squeeze(input, axis=None, name=None):
    """Removes dimensions of size 1 from the shape of `input`.

    Args:
      input: a tensor.
      axis: an int or list of ints: the size-1 dimensions to remove (negative counts from the
        end); all size-1 dimensions when None.
      name: an optional name for the operation.

    Returns:
      A tensor with the same values and fewer dimensions.

    Raises:
      InvalidArgumentError: if a listed dimension is out of range or not of size 1.
    """
    if axis is None:
        axis = []
    elif isinstance(axis, (int, np.integer)):
        axis = [int(axis)]
    else:
        axis = [int(a) for a in axis]
    return Squeeze(input, squeeze_dims=axis, name=name)


# Public functions defined in sibling modules (which build on the helpers above), reachable as
# `array_ops.<name>` too. Imported last: every name those modules take from here exists by now.
from tensorflux._src.ops.shape_ops import (  # noqa: E402
    broadcast_dynamic_shape as broadcast_dynamic_shape,
    broadcast_static_shape as broadcast_static_shape,
    broadcast_to as broadcast_to,
    ensure_shape as ensure_shape,
    identity_n as identity_n,
    rank as rank,
    shape_n as shape_n,
    size as size,
    stop_gradient as stop_gradient,
)
from tensorflux._src.ops.creation_ops import (  # noqa: E402
    eye as eye,
    linspace as linspace,
    meshgrid as meshgrid,
    one_hot as one_hot,
    range as range,
    sequence_mask as sequence_mask,
)
