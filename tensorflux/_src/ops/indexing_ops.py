"""Slicing: StridedSlice (and `Tensor.__getitem__`), StridedSliceGrad and Slice.

StridedSlice follows TensorFlow's encoding: `begin`, `end`, `strides` are 1-D index tensors and five
bit masks say, per spec position, "begin/end not given", "this is `...`", "insert a new axis" and
"this was an integer index, drop the axis". `_dense_spec` turns that sparse spec into one
(begin, end, stride, shrink) per input dimension plus the output layout; the shape rule, the
kernels and the gradient all use it.
"""

from __future__ import annotations

import builtins
import numbers
import weakref

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.context import ctx as _ctx
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, gather_ops, math_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.tensor import EagerTensor, Tensor

_INDEX_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)
_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")
_NEW = -1  # marks a new axis in an output layout
_pyslice = builtins.slice  # `slice` below is tf.slice

# `tf.newaxis`: inserts a size-1 dimension when used in an index.
newaxis = None


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


def _dense_spec(dims, begin, end, strides, masks):
    """Canonicalizes a strided-slice spec against input `dims` (ints or None).

    `begin`/`end`/`strides` are lists of ints, or None when only known at run time. Returns
    `(spec, layout)`: `spec[i]` is `(begin, end, stride, shrink)` for input dimension i (begin/end
    None when unknown) and `layout` lists, per output dimension, the input dimension it comes from
    or `_NEW`.
    """
    bm, em, ellipsis, new_axis, shrink = (masks.get(k, 0) for k in _MASKS)
    n = len(strides) if strides is not None else len(begin) if begin is not None else None
    if n is None:
        raise ValueError("the length of the slice spec must be known")
    if ellipsis & (ellipsis - 1):
        raise _err("Multiple ellipses in slice spec not allowed")
    rank = len(dims)
    entries = list(range(n))
    if not ellipsis:
        entries.append("...")  # dimensions not mentioned are kept whole
        ell_pos = n
    else:
        ell_pos = (ellipsis & -ellipsis).bit_length() - 1
        entries[ell_pos] = "..."
    new_after = sum(1 for i in range(ell_pos + 1, n) if new_axis >> i & 1)
    spec = [None] * rank
    layout = []
    full = 0
    for i in entries:
        if i == "...":
            stop = min(rank - (len(entries) - 1 - ell_pos) + new_after, rank)
            for d in range(full, stop):
                spec[d] = (0, dims[d], 1, False, True, True)
                layout.append(d)
            full = max(full, stop)
            continue
        if new_axis >> i & 1:
            layout.append(_NEW)
            continue
        if full >= rank:
            if rank == 0:
                raise _err("Attempting to slice scalar input.")
            raise _err(f"Index out of range using input dim {full}; input has only {rank} dims")
        b = None if begin is None else begin[i]
        e = None if end is None else end[i]
        s = None if strides is None else strides[i]
        spec[full] = (b, e, s, bool(shrink >> i & 1), bool(bm >> i & 1), bool(em >> i & 1))
        if not shrink >> i & 1:
            layout.append(full)
        full += 1
    out = []
    for d, (b, e, s, sh, b_masked, e_masked) in enumerate(spec):
        out.append(_canonical(d, dims[d], b, e, s, sh, b_masked, e_masked))
    return out, layout


def _canonical(d, dim, b, e, s, shrink, b_masked, e_masked):
    """One dimension's (begin, end, stride, shrink), clamped as Python slicing clamps."""
    if s is not None and s == 0:
        raise _err(f"strides[{d}] must be non-zero")
    if shrink and s is not None and s < 0:
        raise _err("only stride 1 allowed on non-range indexing.")
    if dim is None or s is None:
        return (None, None, s, shrink)
    if shrink:
        if b is None:
            return (None, None, 1, True)
        fwd = b + dim if b < 0 else b
        if not 0 <= fwd < dim:
            raise _err(f"slice index {fwd} of dimension {d} out of bounds.")
        return (fwd, fwd + 1, 1, True)
    lo, hi = (0, dim) if s > 0 else (-1, dim - 1)

    def canon(x, masked, which):
        if masked:
            return (lo, hi)[which] if s > 0 else (hi, lo)[which]
        if x is None:
            return None
        x = x + dim if x < 0 else x
        return lo if x < lo else hi if x > hi else x

    return (canon(b, b_masked, 0), canon(e, e_masked, 1), s, False)


def _length(b, e, s):
    if b is None or e is None or s is None:
        return None
    n = e - b
    if n == 0 or (n < 0) != (s < 0):
        return 0
    return (n + s - 1) // s if s > 0 else (-n - s - 1) // -s


def _out_dims(spec, layout):
    return [1 if i == _NEW else _length(*spec[i][:3]) for i in layout]


def _index(spec):
    """A NumPy index tuple for the canonical spec (ints drop shrunk axes)."""
    idx = []
    for b, e, s, sh in spec:
        if sh:
            idx.append(b)
        elif _length(b, e, s) == 0:
            idx.append(_pyslice(0, 0, 1))
        else:
            idx.append(_pyslice(b, None if e < 0 else e, s))
    idx.append(Ellipsis)  # keeps a 0-d result an array, not a NumPy scalar
    return tuple(idx)


def _host_list(t):
    v = static_value(t) if isinstance(t, Tensor) else t
    return None if v is None else [int(x) for x in np.asarray(v).reshape(-1)]


def _spec_of(shape: TensorShape, begin, end, strides, attrs):
    return _dense_spec(
        shape.as_list(), _host_list(begin), _host_list(end), _host_list(strides), attrs
    )


# ------------------------------------------------------------------ StridedSlice


def _check_index_dtypes(dts, first):
    for t in dts[first : first + 3]:
        if t not in _INDEX_TYPES:
            check_allowed(t, _INDEX_TYPES, "Index")
    if not dts[first] is dts[first + 1] is dts[first + 2]:
        raise _err(
            f"cannot compute {{op}} as input #{first + 1}(zero-based) was expected to be a "
            f"{dts[first].name} tensor but is a {dts[first + 1].name} tensor"
        )


def _strided_slice_dtype(dts, attrs):
    _check_index_dtypes(dts, 1)
    return dts[0]


def _check_spec_shapes(begin, end, strides):
    shapes = [t.shape for t in (begin, end, strides)]
    if any(s.rank not in (None, 1) for s in shapes) or len({s[0] for s in shapes if s.rank}) > 1:
        txt = ", ".join(str(s.as_list()) if s.rank is not None else "?" for s in shapes[:2])
        raise _err(
            "Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
            f"{txt}, and {shapes[2].as_list()} instead."
        )


def _strided_slice_shape(inputs, attrs):
    x, begin, end, strides = inputs
    if x.shape.rank is None:
        return TensorShape(None)
    _check_spec_shapes(begin, end, strides)
    if strides.shape.rank is None or strides.shape[0] is None:
        return TensorShape(None)
    spec, layout = _spec_of(x.shape, begin, end, strides, attrs)
    return TensorShape(_out_dims(spec, layout))


StridedSlice = defop(
    "StridedSlice",
    infer=Rule(_strided_slice_dtype, _strided_slice_shape),
    host_inputs=(1, 2, 3),
    type_inputs=(0,),
)


@StridedSlice.kernel
def _(xp, x, begin, end, strides, **masks):
    if not (begin.ndim == end.ndim == strides.ndim == 1) or not (
        begin.shape == end.shape == strides.shape
    ):
        raise _err(
            "Expected begin, end, and strides to be 1D equal size tensors, but got shapes "
            f"{list(begin.shape)}, {list(end.shape)}, and {list(strides.shape)} instead."
        )
    spec, layout = _dense_spec(list(x.shape), begin.tolist(), end.tolist(), strides.tolist(), masks)
    return x[_index(spec)].copy().reshape(_out_dims(spec, layout))


@StridedSlice.gradient
def _(op, dy):
    x, begin, end, strides = op.inputs
    attrs = {k: gather_ops.attr(op, k, 0) for k in _MASKS}
    shape = _shape_arg(x, begin.dtype)
    return [StridedSliceGrad(shape, begin, end, strides, dy, **attrs), None, None, None]


def _shape_arg(x, dtype):
    if x.shape.is_fully_defined():
        return np.asarray(x.shape.as_list(), dtype=dtype.as_numpy_dtype)
    return array_ops.shape(x, out_type=dtype)


def strided_slice(
    input_, begin, end, strides=None, begin_mask=0, end_mask=0, ellipsis_mask=0,
    new_axis_mask=0, shrink_axis_mask=0, var=None, name=None,
):  # fmt: skip
    """Extracts a strided slice of `input_`, as Python's `input_[b0:e0:s0, b1:e1:s1, ...]`.

    Args:
      input_: the tensor to slice.
      begin: 1-D int tensor, the start index of each spec entry.
      end: 1-D int tensor, the (exclusive) stop index of each spec entry.
      strides: 1-D int tensor of non-zero steps; all ones when None.
      begin_mask: bit i set ignores `begin[i]` (slice from the very start, or end if stepping back).
      end_mask: bit i set ignores `end[i]` (slice to the very end, or start if stepping back).
      ellipsis_mask: bit i set makes entry i a `...` covering the dimensions not named.
      new_axis_mask: bit i set inserts a new dimension of size 1 at entry i.
      shrink_axis_mask: bit i set takes the single index `begin[i]` and drops that dimension.
      var: unused here; kept for TensorFlow's signature (slices of variables assign through it).
      name: a name for the operation.

    Returns:
      A tensor of `input_`'s dtype.

    Raises:
      InvalidArgumentError: for a zero stride, an out-of-range shrink index, or more than one `...`.
    """
    if strides is None:
        n = len(begin) if isinstance(begin, (list, tuple)) else begin.shape[0]
        strides = np.ones([n], dtype=np.int64 if _dtype_of(begin) is dtypes.int64 else np.int32)
    return StridedSlice(
        input_, begin, end, strides, begin_mask=begin_mask, end_mask=end_mask,
        ellipsis_mask=ellipsis_mask, new_axis_mask=new_axis_mask,
        shrink_axis_mask=shrink_axis_mask, name=name or "StridedSlice",
    )  # fmt: skip


def _dtype_of(v):
    return v.dtype if isinstance(v, Tensor) else None


# ------------------------------------------------------------------ StridedSliceGrad


def _strided_slice_grad_dtype(dts, attrs):
    _check_index_dtypes(dts, 1)
    if dts[0] is not dts[1]:
        raise _err(
            f"cannot compute {{op}} as input #1(zero-based) was expected to be a "
            f"{dts[0].name} tensor but is a {dts[1].name} tensor"
        )
    return dts[4]


def _strided_slice_grad_shape(inputs, attrs):
    v = static_value(inputs[0])
    if v is not None:
        return TensorShape([int(d) for d in np.asarray(v).reshape(-1)])
    s = inputs[0].shape
    return TensorShape(None if s.rank != 1 or s[0] is None else [None] * s[0])


StridedSliceGrad = defop(
    "StridedSliceGrad",
    infer=Rule(_strided_slice_grad_dtype, _strided_slice_grad_shape),
    host_inputs=(0, 1, 2, 3),
    type_inputs=(4,),
)


@StridedSliceGrad.kernel
def _(xp, shape, begin, end, strides, dy, **masks):
    dims = [int(d) for d in shape]
    spec, _ = _dense_spec(dims, begin.tolist(), end.tolist(), strides.tolist(), masks)
    out = xp.zeros(dims, dtype=dy.dtype)
    idx = _index(spec)
    target = out[idx]
    out[idx] = dy.reshape(target.shape)
    return out


@StridedSliceGrad.gradient
def _(op, ddx):
    _, begin, end, strides, _ = op.inputs
    attrs = {k: gather_ops.attr(op, k, 0) for k in _MASKS}
    return [None, None, None, None, StridedSlice(ddx, begin, end, strides, **attrs)]


# ------------------------------------------------------------------ Slice


def _slice_dtype(dts, attrs):
    for t in dts[1:]:
        if t not in (dtypes.int32, dtypes.int64):
            check_allowed(t, (dtypes.int32, dtypes.int64), "Index")
    if dts[1] is not dts[2]:
        raise _err(
            f"cannot compute {{op}} as input #2(zero-based) was expected to be a "
            f"{dts[1].name} tensor but is a {dts[2].name} tensor"
        )
    return dts[0]


def _slice_bounds(dims, begin, size):
    """Checks Slice's begin/size against `dims` (ints or None); returns the output dims."""
    if len(begin) != len(dims) or len(size) != len(dims):
        raise _err(
            f"Expected begin and size arguments to be 1-D tensors of size {len(dims)}, but got "
            f"shapes [{len(begin)}] and [{len(size)}] instead."
        )
    out = []
    for i, (d, b, s) in enumerate(zip(dims, begin, size)):
        if d is None:
            out.append(None if s == -1 else s)
            continue
        if not 0 <= b <= d:
            raise _err(f"Expected begin[{i}] in [0, {d}], but got {b}")
        if s == -1:
            s = d - b
        if not 0 <= s <= d - b:
            raise _err(f"Expected size[{i}] in [0, {d - b}], but got {s}")
        out.append(s)
    return out


def _slice_shape(inputs, attrs):
    x, begin, size = inputs
    b, s = _host_list(begin), _host_list(size)
    if x.shape.rank is None:
        n = size.shape[0] if size.shape.rank == 1 else None
        return TensorShape(None if n is None else [None] * n)
    if b is None or s is None:
        if s is not None:
            return TensorShape([None if v == -1 else v for v in s])
        return TensorShape([None] * x.shape.rank)
    return TensorShape(_slice_bounds(x.shape.as_list(), b, s))


Slice = defop("Slice", infer=Rule(_slice_dtype, _slice_shape), host_inputs=(1, 2), type_inputs=(0,))


@Slice.kernel
def _(xp, x, begin, size):
    if begin.ndim != 1 or size.ndim != 1:
        raise _err(
            f"Expected begin and size arguments to be 1-D tensors of size {x.ndim}, but got "
            f"shapes {list(begin.shape)} and {list(size.shape)} instead."
        )
    b, s = begin.tolist(), size.tolist()
    out = _slice_bounds(list(x.shape), b, s)
    return x[tuple(_pyslice(i, i + n) for i, n in zip(b, out)) + (Ellipsis,)].copy()


@Slice.gradient
def _(op, dy):
    x, begin, size = op.inputs
    b, s = _host_list(begin), _host_list(size)
    if b is not None and s is not None and x.shape.is_fully_defined():
        dims = x.shape.as_list()
        end = [bi + (d - bi if si == -1 else si) for bi, si, d in zip(b, s, dims)]
        np_t = begin.dtype.as_numpy_dtype
        end = np.asarray(end, dtype=np_t)
        strides = np.ones([len(b)], dtype=np_t)
    else:
        full = array_ops.shape(x, out_type=begin.dtype)
        end = array_ops.where(math_ops.less(size, 0), full, math_ops.add(begin, size))
        strides = array_ops.ones_like(begin)
    shape = _shape_arg(x, begin.dtype)
    return [StridedSliceGrad(shape, begin, end, strides, dy), None, None]


def slice(input_, begin, size, name=None):  # noqa: A001 - TensorFlow's name
    """Extracts the block of `input_` that starts at `begin` and has shape `size`.

    Args:
      input_: the tensor to slice.
      begin: 1-D int32/int64 tensor, the first index in each dimension.
      size: 1-D int tensor of the same length; -1 means "to the end of the dimension".
      name: a name for the operation.

    Returns:
      A tensor of `input_`'s dtype with shape `size` (-1 entries resolved).

    Raises:
      InvalidArgumentError: if the block does not fit inside `input_`.
    """
    return Slice(input_, begin, size, name=name or "Slice")


# ------------------------------------------------------------------ Tensor.__getitem__

_BAD_INDEX = (
    "Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
    "tf.int32/tf.int64 tensors are valid indices, got {!r}"
)


def _index_value(v):
    """A valid scalar index as a Python int or a scalar int tensor; TypeError otherwise."""
    if type(v) is int:
        return v
    if isinstance(v, bool):
        raise _err(
            "Value for attr 'Index' of bool is not in the list of allowed values: "
            "int16, int32, int64"
        )
    if isinstance(v, numbers.Integral):
        return int(v)
    if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iu":
        return int(v)
    if isinstance(v, Tensor) and v.dtype in (dtypes.int32, dtypes.int64) and v.shape.rank == 0:
        return int(v.numpy()) if isinstance(v, EagerTensor) else v
    raise TypeError(_BAD_INDEX.format(v))


def _is_bool_mask(spec) -> bool:
    if isinstance(spec, bool):
        return True
    if isinstance(spec, Tensor):
        return spec.dtype is dtypes.bool
    return isinstance(spec, np.ndarray) and spec.dtype == np.bool_


def getitem(tensor, slice_spec, var=None):
    """`tensor[slice_spec]`: NumPy-style basic indexing, lowered to one StridedSlice.

    Integers (negative count from the end), slices with any step, `...`, `tf.newaxis`/None and
    scalar int32/int64 tensors are valid; a boolean tensor or array is a `tf.boolean_mask`.
    """
    if _ctx.fast and tensor.__class__ is EagerTensor and tensor._dtype is not dtypes.string:
        out = _eager_basic_index(tensor, slice_spec)
        if out is not None:
            return out
    if _is_bool_mask(slice_spec):
        return gather_ops.boolean_mask(tensor, slice_spec)
    if not isinstance(tensor, Tensor):
        tensor = as_tensor(tensor)
    begin, end, strides, masks = _slice_args(slice_spec)
    return StridedSlice(tensor, begin, end, strides, **masks, name="strided_slice")


def _slice_args(slice_spec):
    """StridedSlice's (begin, end, strides, masks) for a Python index expression."""
    if not isinstance(slice_spec, (list, tuple)):
        slice_spec = (slice_spec,)
    begin, end, strides = [], [], []
    bm = em = ellipsis = new_axis = shrink = 0
    for i, s in enumerate(slice_spec):
        bit = 1 << i
        if isinstance(s, type(Ellipsis)):
            if ellipsis:
                raise _err("Multiple ellipses in slice spec not allowed")
            begin.append(0), end.append(0), strides.append(1)
            ellipsis |= bit
        elif s is None:
            begin.append(0), end.append(0), strides.append(1)
            new_axis |= bit
        elif isinstance(s, _pyslice):
            parts = [None if p is None else _index_value(p) for p in (s.start, s.stop, s.step)]
            b, e, st = parts
            if b is None:
                b, bm = 0, bm | bit
            if e is None:
                e, em = 0, em | bit
            begin.append(b), end.append(e), strides.append(1 if st is None else st)
        else:
            v = _index_value(s)
            begin.append(v), end.append(v + 1), strides.append(1)
            shrink |= bit
    every = begin + end + strides
    wide = any(
        v.dtype is dtypes.int64 if isinstance(v, Tensor) else not -(2**31) <= v < 2**31
        for v in every
    )
    begin, end, strides = (_pack_index(p, wide) for p in (begin, end, strides))
    masks = {
        "begin_mask": bm, "end_mask": em, "ellipsis_mask": ellipsis, "new_axis_mask": new_axis,
        "shrink_axis_mask": shrink,
    }  # fmt: skip
    return begin, end, strides, masks


# ------------------------------------------------------------------ v[...].assign(value)


def _slice_assign_dtype(dts, attrs):
    _check_index_dtypes(dts, 1)
    return []


ResourceStridedSliceAssign = defop(
    "ResourceStridedSliceAssign",
    infer=Rule(_slice_assign_dtype, lambda inputs, attrs: []),
    host_inputs=(1, 2, 3),
    num_outputs=0,
    stateful=True,
)
not_differentiable(ResourceStridedSliceAssign)


@ResourceStridedSliceAssign.kernel
def _(xp, cell, begin, end, strides, value, **masks):
    arr = cell.array
    b, e, st = begin.tolist(), end.tolist(), strides.tolist()
    spec, layout = _dense_spec(list(arr.shape), b, e, st, masks)
    dims = _out_dims(spec, layout)
    try:
        block = xp.broadcast_to(value, dims)
    except ValueError:
        raise _err(
            f"Cannot broadcast input shape {list(value.shape)} into final shape {dims}"
        ) from None
    new = arr.copy()  # values read earlier keep the old array
    idx = _index(spec)
    new[idx] = block.reshape(new[idx].shape)
    cell.array = new
    return []


# The variable each `v[...]` tensor was sliced from: `id(tensor) -> (weakref, variable, spec)`.
_SLICED: dict = {}


def variable_getitem(var, slice_spec):
    """`v[slice_spec]`: the sliced value, a tensor that also has `.assign(value)`."""
    out = getitem(var._read(), slice_spec)
    if isinstance(out, Tensor) and not _is_bool_mask(slice_spec):
        key = id(out)
        _SLICED[key] = (weakref.ref(out, lambda _, k=key: _SLICED.pop(k, None)), var, slice_spec)
    return out


def _assign_to_slice(tensor):
    entry = _SLICED.get(id(tensor))
    if entry is None or entry[0]() is not tensor:
        raise AttributeError(f"'{type(tensor).__name__}' object has no attribute 'assign'")
    _, var, spec = entry

    def assign(value, name=None):
        """Writes `value` (broadcast to the slice's shape) into the sliced variable.

        Returns the updated variable.
        """
        begin, end, strides, masks = _slice_args(spec)
        value = var._convert_value(value)
        ResourceStridedSliceAssign(
            var.handle, begin, end, strides, value, **masks, name=name or "strided_slice/_assign"
        )
        return var._unread()

    return assign


_BASIC = (int, _pyslice, type(None), type(Ellipsis))


def _eager_basic_index(tensor, spec):
    """Plain ints/slices/None/... on an eager tensor, indexed directly (StridedSlice semantics).

    NumPy's basic indexing agrees with StridedSlice on these; anything it rejects (out of range,
    zero step, several ellipses) returns None so the op path raises TensorFlow's error.
    """
    key = tuple(spec) if isinstance(spec, (list, tuple)) else (spec,)
    for k in key:
        t = type(k)
        if t not in _BASIC:
            return None
        if t is _pyslice and not all(
            p is None or type(p) is int for p in (k.start, k.stop, k.step)
        ):
            return None
    try:
        v = tensor._value[key]
    except (IndexError, ValueError, TypeError):
        return None
    return EagerTensor(v, tensor._dtype, tensor._device)


def _pack_index(values, wide):
    """A list of ints and scalar tensors as one 1-D index tensor (int64 if `wide`)."""
    if all(type(v) is int for v in values):
        return np.asarray(values, dtype=np.int64 if wide else np.int32)
    dt = dtypes.int64 if wide else dtypes.int32
    return array_ops.stack(
        [math_ops.cast(v, dt) if isinstance(v, Tensor) else as_tensor(v, dtype=dt) for v in values]
    )
