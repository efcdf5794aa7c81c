"""Gathers and scatters: GatherV2, GatherNd, ScatterNd, TensorScatter{Update,Add,Sub,Min,Max}.

Also the composites built on them: `gather_nd` with `batch_dims` and `boolean_mask`. Gathers along
axis 0 return `tf.IndexedSlices` gradients, as TensorFlow does; every other gradient here is dense
and written with these same ops, so it traces and differentiates again.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, static_value
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.indexed_slices import IndexedSlices
from tensorflux._src.ops import array_ops, creation_ops, manip_ops, math_ops, shape_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.tensor import Tensor

_INDEX_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


def _host(a):
    return a.get() if hasattr(a, "get") and not isinstance(a, np.ndarray) else np.asarray(a)


def attr(op, name, default):
    """An attr of a recorded op or graph node, or its default when the call left it out."""
    try:
        return op.get_attr(name)
    except (ValueError, KeyError):
        return default


def _dims_str(dims) -> str:
    return "[" + ",".join(str(d) for d in dims) + "]"


def _check_indices_dtype(dt, attr="Tindices"):
    if dt not in _INDEX_TYPES:
        check_allowed(dt, _INDEX_TYPES, attr)


def _static_dims(t):
    s = t.shape
    return s.as_list() if s.is_fully_defined() else None


# ------------------------------------------------------------------ GatherV2


def _gather_axes(p_rank, i_rank, axis, batch_dims):
    """Normalized (axis, batch_dims) for ranks that may be None; raises TensorFlow's errors."""
    if p_rank is not None and axis is not None and not -p_rank <= axis < p_rank:
        need = axis + 1 if axis >= 0 else -axis
        raise _err(f"Shape must be at least rank {need} but is rank {p_rank}")
    b = batch_dims
    if i_rank is not None:
        if not -i_rank <= b <= i_rank:
            raise _err(f"Expected batch_dims in the range [{-i_rank}, {i_rank}], but got {b}")
        if b < 0:
            b += i_rank
    if p_rank is None or axis is None:
        return axis, b
    a = axis % p_rank if p_rank else 0
    if b >= p_rank and b > 0:
        raise _err(f"batch_dims ({b}) must be less than rank(params) ({p_rank}).")
    if b > a:
        raise _err(f"batch_dims ({b}) must be less than or equal to axis ({a}).")
    return a, b


def _gather_dtype(dts, attrs):
    _check_indices_dtype(dts[1])
    if dts[2] not in (dtypes.int32, dtypes.int64):
        check_allowed(dts[2], (dtypes.int32, dtypes.int64), "Taxis")
    return dts[0]


def _gather_shape(inputs, attrs):
    params, indices, axis = inputs
    p, i = params.shape, indices.shape
    av = static_value(axis)
    a, b = _gather_axes(p.rank, i.rank, None if av is None else int(av), attrs.get("batch_dims", 0))
    if p.rank is None or i.rank is None:
        return TensorShape(None)
    if a is None:
        return TensorShape([None] * (p.rank + i.rank - 1 - b))
    pd, idims = p.as_list(), i.as_list()
    for k in range(b):
        if pd[k] is not None and idims[k] is not None and pd[k] != idims[k]:
            raise _err(
                f"params.shape[{k}]: {pd[k]} should be equal to indices.shape[{k}]: {idims[k]}"
            )
    return TensorShape(pd[:a] + idims[b:] + pd[a + 1 :])


GatherV2 = defop(
    "GatherV2", infer=Rule(_gather_dtype, _gather_shape), host_inputs=(2,), type_inputs=(0,)
)


def _check_range(xp, indices, n):
    bad = (indices < 0) | (indices >= n)
    if bool(xp.any(bad)):
        pos = tuple(int(v) for v in np.argwhere(_host(bad))[0])
        val = int(_host(indices)[pos])
        where = f"[{','.join(str(p) for p in pos)}]" if pos else ""
        raise _err(f"indices{where} = {val} is not in [0, {n})")


@GatherV2.kernel
def _(xp, params, indices, axis, batch_dims=0):
    a, b = _gather_axes(params.ndim, indices.ndim, int(axis), batch_dims)
    for k in range(b):
        if params.shape[k] != indices.shape[k]:
            raise _err(
                f"params.shape[{k}]: {params.shape[k]} should be equal to "
                f"indices.shape[{k}]: {indices.shape[k]}"
            )
    _check_range(xp, indices, params.shape[a])
    if b == 0:
        return xp.take(params, indices, axis=a)
    ri = indices.ndim
    p = xp.moveaxis(params, a, b)
    idx = tuple(
        xp.arange(params.shape[k]).reshape([1] * k + [-1] + [1] * (ri - k - 1)) for k in range(b)
    )
    out = p[idx + (indices,)]  # indices' dims, then params' dims b..a-1, then a+1..
    mid = list(range(ri, ri + a - b))
    perm = list(range(b)) + mid + list(range(b, ri)) + list(range(ri + a - b, out.ndim))
    return xp.ascontiguousarray(xp.transpose(out, perm))


@GatherV2.gradient
def _(op, dy):
    params, indices, axis = op.inputs
    av = static_value(axis)
    if av is None:
        raise NotImplementedError("the gradient of gather needs a constant axis")
    bd = attr(op, "batch_dims", 0)
    a, b = _gather_axes(params.shape.rank, indices.shape.rank, int(av), bd)
    if a == 0 and b == 0:
        if params.shape.rank is not None:
            rows = shape_arg([-1] + dims_of(params)[1:])
        else:
            rows = manip_ops.concat([np.asarray([-1], np.int32), array_ops.shape(params)[1:]], 0)
        values = array_ops.reshape(dy, rows)
        return [
            IndexedSlices(values, array_ops.reshape(indices, [-1]), array_ops.shape(params)),
            None,
            None,
        ]
    return [_gather_grad_dense(params, indices, dy, a, b), None, None]


def _gather_grad_dense(params, indices, dy, a, b):
    """The adjoint of a gather along axis `a`: a ScatterNd over the leading a+1 dims of params."""
    if params.shape.rank is None or indices.shape.rank is None:
        raise NotImplementedError("the gradient of gather along axis > 0 needs known ranks")
    indices = _wide(indices)
    dt = indices.dtype
    pd, idims = dims_of(params), dims_of(indices)
    lead = pd[:a] + idims[b:]  # dy's shape without params' trailing dims
    coords = [iota(lead, k, dt) for k in range(a)]
    # indices has dims P[:b] + I[b:]; broadcast it over the non-batch dims b..a-1 of params.
    idx = array_ops.reshape(indices, shape_arg(idims[:b] + [1] * (a - b) + idims[b:]))
    coords.append(shape_ops.broadcast_to(idx, shape_arg(lead)))
    return ScatterNd(array_ops.stack(coords, axis=-1), dy, _shape_arg(params, dt))


# ------------------------------------------------------------------ shape helpers for composites


def dims_of(t) -> list:
    """`t`'s dims: Python ints where static, else scalar int32 tensors read from its shape."""
    dims = t.shape.as_list()
    if all(d is not None for d in dims):
        return dims
    full = array_ops.shape(t)
    return [full[i] if d is None else d for i, d in enumerate(dims)]


def shape_arg(dims):
    """A shape argument from a list of ints and scalar int32 tensors."""
    if all(isinstance(d, int) for d in dims):
        return dims
    return array_ops.stack([as_tensor(d, dtype=dtypes.int32) for d in dims])


def iota(dims, k, dtype):
    """A tensor of shape `dims` holding each position's coordinate along dimension k."""
    shape = [1] * k + [-1] + [1] * (len(dims) - k - 1)
    if all(isinstance(d, int) for d in dims):
        grid = np.arange(dims[k], dtype=dtype.as_numpy_dtype).reshape(shape)
        return as_tensor(np.ascontiguousarray(np.broadcast_to(grid, dims)))
    r = array_ops.reshape(creation_ops.range(dims[k], dtype=dtype), shape)
    return shape_ops.broadcast_to(r, shape_arg(dims))


def _wide(indices):
    """int16 indices as int32 (Range, which builds coordinates, takes int32 and int64 only)."""
    return math_ops.cast(indices, dtypes.int32) if indices.dtype is dtypes.int16 else indices


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Collects slices of `params` along `axis` at the positions given by `indices`.

    The result has shape `params.shape[:axis] + indices.shape[batch_dims:] +
    params.shape[axis + 1:]`. With `batch_dims=k`, the first k dimensions of `params` and
    `indices` are batch dimensions and each batch gathers from its own slice.

    Args:
      params: the tensor to gather from.
      indices: an int32/int64 tensor of positions in `[0, params.shape[axis])`.
      validate_indices: deprecated and ignored; indices are always checked on the CPU.
      axis: the dimension of `params` to gather along; defaults to `batch_dims`.
      batch_dims: the number of leading batch dimensions; negative counts from indices' rank.
      name: a name for the operation.

    Returns:
      A tensor of `params`' dtype.

    Raises:
      InvalidArgumentError: if an index is out of range or the axes do not fit.
    """
    del validate_indices
    if getattr(params, "_is_variable", False):
        params = params.read_value() if hasattr(params, "read_value") else params
    if axis is None:
        axis = batch_dims
    av = static_value(axis) if isinstance(axis, Tensor) else axis
    if av is not None and int(av) == 0:
        batch_dims = 0  # TensorFlow ignores batch_dims when gathering along axis 0
    return GatherV2(params, indices, axis, batch_dims=int(batch_dims), name=name or "GatherV2")


# ------------------------------------------------------------------ GatherNd


def _gather_nd_dtype(dts, attrs):
    _check_indices_dtype(dts[1])
    return dts[0]


def _gather_nd_shape(inputs, attrs):
    p, i = inputs[0].shape, inputs[1].shape
    if i.rank == 0:
        raise _err("indices must be at least a vector")
    if p.rank is None or i.rank is None or i[-1] is None:
        return TensorShape(None)
    k = i[-1]
    if k > p.rank:
        raise _err(
            f"index innermost dimension length must be <= params rank; saw: {k} vs. {p.rank}"
        )
    return TensorShape(i.as_list()[:-1] + p.as_list()[k:])


GatherNd = defop("GatherNd", infer=Rule(_gather_nd_dtype, _gather_nd_shape), type_inputs=(0,))


def _rows(indices) -> int:
    """How many index rows `indices` holds (its size without the last dimension)."""
    return int(np.prod(indices.shape[:-1], dtype=np.int64))


def _bad_rows(xp, flat, dims):
    """A boolean vector: which index rows fall outside `dims`."""
    if not dims:
        return xp.zeros(flat.shape[:1], dtype=bool)
    lim = xp.asarray(dims, dtype=flat.dtype)
    return xp.any((flat < 0) | (flat >= lim), axis=1)


def _position(r, indices) -> str:
    """Row r of `indices` as TensorFlow prints it: `[i,j]` over the leading dims, or nothing."""
    pos = np.unravel_index(r, indices.shape[:-1])
    return f"[{','.join(str(int(p)) for p in pos)}]" if pos else ""


def _first_bad(bad, flat, last=False):
    """The position of the first (or last) bad index row, and the row as text."""
    hits = np.flatnonzero(_host(bad))
    r = int(hits[-1] if last else hits[0])
    return r, "[" + ", ".join(str(int(v)) for v in _host(flat[r])) + "]"


@GatherNd.kernel
def _(xp, params, indices, bad_indices_policy=""):
    if indices.ndim == 0:
        raise _err("indices must be at least a vector")
    k = indices.shape[-1]
    if k > params.ndim:
        raise _err(
            f"index innermost dimension length must be <= params rank; saw: {k} vs. {params.ndim}"
        )
    flat = indices.reshape(_rows(indices), k)
    bad = _bad_rows(xp, flat, params.shape[:k])
    ignore = bad_indices_policy == "IGNORE"
    if bool(xp.any(bad)):
        if not ignore:
            r, row = _first_bad(bad, flat, last=True)  # TensorFlow's CPU kernel reports the last
            raise _err(
                f"indices{_position(r, indices)} = {row} does not index into param shape "
                f"{_dims_str(params.shape)}, node name: GatherNd"
            )
        flat = xp.where(bad[:, None], 0, flat)
    inner = params.shape[k:]
    if k == 0:
        out = xp.broadcast_to(params, (flat.shape[0],) + params.shape).copy()
    else:
        out = params[tuple(flat[:, j] for j in range(k))]
    if ignore:
        out = xp.where(bad.reshape((-1,) + (1,) * len(inner)), xp.zeros((), out.dtype), out)
    return out.reshape(indices.shape[:-1] + inner)


@GatherNd.gradient
def _(op, dy):
    params, indices = op.inputs
    shape = _shape_arg(params, indices.dtype)
    return [ScatterNd(indices, dy, shape), None]


def _shape_arg(x, dtype):
    if x.shape.is_fully_defined():
        return np.asarray(x.shape.as_list(), dtype=dtype.as_numpy_dtype)
    return array_ops.shape(x, out_type=dtype)


def gather_nd(params, indices, batch_dims=0, name=None, bad_indices_policy=""):
    """Gathers slices of `params` addressed by the last dimension of `indices`.

    `indices[..., :]` is a (partial) coordinate into `params`; the result has shape
    `indices.shape[:-1] + params.shape[indices.shape[-1]:]` (batch dimensions kept in front).

    Args:
      params: the tensor to gather from.
      indices: an int32/int64 tensor whose last dimension indexes the leading dims of `params`.
      batch_dims: number of leading dimensions shared by `params` and `indices`.
      name: a name for the operation.
      bad_indices_policy: "" or "DEFAULT"/"ERROR" (out-of-range indices raise) or "IGNORE"
        (they give zeros).

    Returns:
      A tensor of `params`' dtype.

    Raises:
      InvalidArgumentError: if an index is out of range.
    """
    attrs = {"bad_indices_policy": bad_indices_policy} if bad_indices_policy else {}
    if not batch_dims:
        return GatherNd(params, indices, name=name or "GatherNd", **attrs)
    params, indices = as_tensor(params), _wide(as_tensor(indices))
    if indices.shape.rank is None:
        raise NotImplementedError("gather_nd with batch_dims needs indices of known rank")
    # Prepend each row's batch coordinates to its index, then gather as usual.
    lead = dims_of(indices)[:-1]
    batch = [iota(lead, j, indices.dtype) for j in range(batch_dims)]
    full = manip_ops.concat([array_ops.stack(batch, axis=-1), indices], axis=-1)
    return GatherNd(params, full, name=name or "GatherNd", **attrs)


# ------------------------------------------------------------------ ScatterNd


def _scatter_nd_dtype(dts, attrs):
    _check_indices_dtype(dts[0])
    if dts[2] is not dts[0]:
        raise _err(
            f"cannot compute {{op}} as input #2(zero-based) was expected to be a "
            f"{dts[0].name} tensor but is a {dts[2].name} tensor"
        )
    return dts[1]


def _scatter_check(idims, udims, sdims, what="input"):
    """ScatterNd's shape checks on fully known dims (messages as TensorFlow words them)."""
    _check_empty_output(sdims, idims, udims)
    k = idims[-1] if idims else 0
    outer = len(idims) - 1
    if udims[:outer] != idims[:outer] or len(udims) < outer:
        raise _err(
            f"Dimensions [0,{outer}) of indices[shape={_dims_str(idims)}] must match dimensions "
            f"[0,{outer}) of updates[shape={_dims_str(udims)}]"
        )
    if list(udims[outer:]) != list(sdims[k:]):
        raise _err(
            f"Dimensions [{k},{len(sdims)}) of {what}[shape={_dims_str(sdims)}] must match "
            f"dimensions [{outer},{len(udims)}) of updates[shape={_dims_str(udims)}]"
        )


def _scatter_nd_shape(inputs, attrs):
    indices, updates, shape = inputs
    v = static_value(shape)
    if v is None:
        s = shape.shape
        return TensorShape(None if s.rank != 1 or s[0] is None else [None] * s[0])
    dims = [int(d) for d in np.asarray(v).reshape(-1)]
    for d in dims:
        if d < 0:
            raise _err(f"Dimension {d} must be >= 0")
    idims, udims = _static_dims(indices), _static_dims(updates)
    if idims is not None and udims is not None:
        _scatter_check(idims, udims, dims)
    return TensorShape(dims)


ScatterNd = defop(
    "ScatterNd",
    infer=Rule(_scatter_nd_dtype, _scatter_nd_shape),
    host_inputs=(2,),
    type_inputs=(1,),
)


def _scatter_rows(xp, indices, updates, dims, policy, what="shape"):
    """Flattened (coordinate columns, update rows, good-row mask) with indices checked."""
    k = indices.shape[-1]
    flat = indices.reshape(_rows(indices), k)
    rows = updates.reshape((flat.shape[0],) + tuple(dims[k:]))
    bad = _bad_rows(xp, flat, dims[:k])
    if bool(xp.any(bad)):
        if policy != "IGNORE":
            r, row = _first_bad(bad, flat, last=True)  # TensorFlow's CPU kernel reports the last
            raise _err(
                f"indices{_position(r, indices)} = {row} does not index into {what} "
                f"{_dims_str(dims)}"
            )
        keep = ~bad
        flat, rows = flat[keep], rows[keep]
    return tuple(flat[:, j] for j in range(k)), rows


def _add_at(xp, out, cols, rows):
    if not cols:
        out += rows.sum(axis=0, dtype=out.dtype) if rows.shape[0] else 0
        return
    if out.dtype == np.bool_:
        xp.logical_or.at(out, cols, rows)  # bool "addition" is logical or
        return
    add = getattr(xp.add, "at", None)
    if add is not None:
        add(out, cols, rows)
    else:  # older CuPy
        import cupyx

        cupyx.scatter_add(out, cols, rows)


@ScatterNd.kernel
def _(xp, indices, updates, shape, bad_indices_policy=""):
    dims = [int(d) for d in np.asarray(shape).reshape(-1)]
    for d in dims:
        if d < 0:
            raise _err(f"Dimension {d} must be >= 0")
    _scatter_check(list(indices.shape), list(updates.shape), dims)
    _scatter_rank_check(list(indices.shape), list(updates.shape))
    out = xp.zeros(dims, dtype=updates.dtype)
    cols, rows = _scatter_rows(xp, indices, updates, dims, bad_indices_policy)
    _add_at(xp, out, cols, rows)
    return out


@ScatterNd.gradient
def _(op, dy):
    indices = op.inputs[0]
    return [None, GatherNd(dy, indices), None]


def scatter_nd(indices, updates, shape, bad_indices_policy="", name=None):
    """A zero tensor of `shape` with `updates` added at `indices` (repeated indices add up).

    Args:
      indices: int tensor; its last dimension is a (partial) coordinate into `shape`.
      updates: the values, of shape `indices.shape[:-1] + shape[indices.shape[-1]:]`.
      shape: 1-D int tensor, the shape of the result.
      bad_indices_policy: "" / "DEFAULT" / "ERROR" raise on out-of-range indices; "IGNORE"
        skips those updates.
      name: a name for the operation.

    Returns:
      A tensor of `updates`' dtype and shape `shape`.

    Raises:
      InvalidArgumentError: if an index is out of range or the shapes do not fit.
    """
    attrs = {"bad_indices_policy": bad_indices_policy} if bad_indices_policy else {}
    if not isinstance(shape, Tensor) and isinstance(indices, Tensor):
        shape = np.asarray(shape, dtype=indices.dtype.as_numpy_dtype)
    elif not isinstance(shape, Tensor) and not isinstance(indices, Tensor):
        indices = as_tensor(indices)
        shape = np.asarray(shape, dtype=indices.dtype.as_numpy_dtype)
    return ScatterNd(indices, updates, shape, name=name or "ScatterNd", **attrs)


# ------------------------------------------------------------------ TensorScatter*


def _tensor_scatter_dtype(dts, attrs):
    _check_indices_dtype(dts[1])
    return check_same(dts, (0, 2))


def _tensor_scatter_check(tdims, idims, udims):
    """TensorScatter*'s shape checks, in TensorFlow's order and words."""
    if len(idims) == 0:
        raise _err("Indices shape must have rank at least one. Found:" + _dims_str(idims))
    if len(udims) == 0:
        raise _err("Updates shape must have rank at least one. Found:" + _dims_str(udims))
    _check_empty_output(tdims, idims, udims)
    outer = len(idims) - 1
    if list(udims[:outer]) != list(idims[:outer]):
        raise _err(
            "Outer dimensions of indices and update must match. Indices shape: "
            f"{_dims_str(idims)}, updates shape:{_dims_str(udims)}"
        )
    k = idims[-1]
    if len(udims) - outer != len(tdims) - k:
        raise _err(
            "Inner dimensions of output shape must match inner dimensions of updates shape. "
            f"Output: {_dims_str(tdims)} updates: {_dims_str(udims)}"
        )
    if list(udims[outer:]) != list(tdims[k:]):
        raise _err(
            f"The inner {len(tdims) - k} dimensions of output.shape={_dims_str(tdims)} must "
            f"match the inner {len(udims) - outer} dimensions of updates.shape="
            f"{_dims_str(udims)}"
        )
    _scatter_rank_check(idims, udims)


def _scatter_rank_check(idims, udims):
    """The checks TensorFlow's shared scatter kernel makes after each op's own ones."""
    if len(idims) == 0:
        raise _err("Indices shape must have rank at least one. Found:" + _dims_str(idims))
    if len(udims) == 0:
        raise _err("Updates shape must have rank at least one. Found:" + _dims_str(udims))
    if len(idims) == 1:
        # That kernel reads 1-D indices as rows of one coordinate each, which never fits the
        # shapes the op's own checks let through: report the mismatch it reports.
        raise _err(
            f"Dimensions [0,1) of indices[shape={_dims_str(idims)}] = {idims[0]} must match "
            f"dimensions [0,1) of updates[shape={_dims_str(udims)}] = {udims[0]}"
        )


def _check_empty_output(tdims, idims, udims):
    if 0 in tdims and (int(np.prod(idims)) or int(np.prod(udims))):
        raise _err("Indices and updates specified for empty output shape")


def _tensor_scatter_shape(inputs, attrs):
    t, i, u = (_static_dims(x) for x in inputs)
    if t is not None and i is not None and u is not None:
        _tensor_scatter_check(t, i, u)
    return inputs[0].shape


def _tensor_scatter_op(name, combine):
    op = defop(name, infer=Rule(_tensor_scatter_dtype, _tensor_scatter_shape), type_inputs=(0, 2))

    @op.kernel
    def _(xp, tensor, indices, updates, bad_indices_policy=""):
        _tensor_scatter_check(list(tensor.shape), list(indices.shape), list(updates.shape))
        out = tensor.copy()
        cols, rows = _scatter_rows(xp, indices, updates, list(tensor.shape), bad_indices_policy)
        combine(xp, out, cols, rows)
        return out

    return op


def _assign(xp, out, cols, rows):
    if cols:
        out[cols] = rows
    elif rows.shape[0]:
        out[...] = rows[-1]


def _ufunc_at(name):
    def combine(xp, out, cols, rows):
        if not cols:
            for r in rows:
                out[...] = getattr(xp, name)(out, r)
            return
        if name == "add" and out.dtype != np.bool_:
            _add_at(xp, out, cols, rows)
        else:
            getattr(xp, name).at(out, cols, rows)

    return combine


def _sub_at(xp, out, cols, rows):
    _ufunc_at("add")(xp, out, cols, -rows)


TensorScatterUpdate = _tensor_scatter_op("TensorScatterUpdate", _assign)
TensorScatterAdd = _tensor_scatter_op("TensorScatterAdd", _ufunc_at("add"))
TensorScatterSub = _tensor_scatter_op("TensorScatterSub", _sub_at)
TensorScatterMin = _tensor_scatter_op("TensorScatterMin", _ufunc_at("minimum"))
TensorScatterMax = _tensor_scatter_op("TensorScatterMax", _ufunc_at("maximum"))


@TensorScatterUpdate.gradient
def _(op, dy):
    _, indices, updates = op.inputs
    return [
        TensorScatterUpdate(dy, indices, array_ops.zeros_like(updates)),
        None,
        GatherNd(dy, indices),
    ]


@TensorScatterAdd.gradient
def _(op, dy):
    return [dy, None, GatherNd(dy, op.inputs[1])]


@TensorScatterSub.gradient
def _(op, dy):
    return [dy, None, math_ops.negative(GatherNd(dy, op.inputs[1]))]


def _scatter_minmax_grad(op, dy):
    # Ties share the gradient equally between the tensor element and every update that won.
    tensor, indices, updates = op.inputs
    out = op.outputs[0]
    dt = dy.dtype
    x_hit = math_ops.cast(math_ops.equal(tensor, out), dt)
    u_hit = math_ops.cast(math_ops.equal(updates, GatherNd(out, indices)), dt)
    count = math_ops.add(x_hit, ScatterNd(indices, u_hit, _shape_arg(tensor, indices.dtype)))
    share = math_ops.divide(dy, count)
    return [
        math_ops.multiply(share, x_hit),
        None,
        math_ops.multiply(GatherNd(share, indices), u_hit),
    ]


TensorScatterMin.gradient(_scatter_minmax_grad)
TensorScatterMax.gradient(_scatter_minmax_grad)


def _tensor_scatter_fn(op, doc):
    def fn(tensor, indices, updates, bad_indices_policy="", name=None):
        attrs = {"bad_indices_policy": bad_indices_policy} if bad_indices_policy else {}
        return op(tensor, indices, updates, name=name or op.name, **attrs)

    fn.__doc__ = doc
    return fn


_SCATTER_DOC = """Returns a copy of `tensor` with `updates` {what} at `indices`.

    Args:
      tensor: the tensor to start from.
      indices: int tensor; its last dimension is a (partial) coordinate into `tensor`.
      updates: values of shape `indices.shape[:-1] + tensor.shape[indices.shape[-1]:]`.
      bad_indices_policy: "" / "DEFAULT" / "ERROR" raise on out-of-range indices; "IGNORE"
        skips those updates.
      name: a name for the operation.

    Returns:
      A tensor of `tensor`'s shape and dtype.

    Raises:
      InvalidArgumentError: if an index is out of range or the shapes do not fit.
    """


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """Returns a copy of `tensor` with the slices at `indices` replaced by `updates`.

    Args:
      tensor: the tensor to start from.
      indices: int tensor; its last dimension is a (partial) coordinate into `tensor`.
      updates: values of shape `indices.shape[:-1] + tensor.shape[indices.shape[-1]:]`.
      name: a name for the operation.

    Returns:
      A tensor of `tensor`'s shape and dtype. Where an index repeats, one of its updates wins.

    Raises:
      InvalidArgumentError: if an index is out of range or the shapes do not fit.
    """
    return TensorScatterUpdate(tensor, indices, updates, name=name or "TensorScatterUpdate")


tensor_scatter_nd_add = _tensor_scatter_fn(
    TensorScatterAdd, _SCATTER_DOC.format(what="added (repeated indices add up)")
)
tensor_scatter_nd_add.__name__ = "tensor_scatter_nd_add"
tensor_scatter_nd_sub = _tensor_scatter_fn(
    TensorScatterSub, _SCATTER_DOC.format(what="subtracted (repeated indices subtract each)")
)
tensor_scatter_nd_sub.__name__ = "tensor_scatter_nd_sub"
tensor_scatter_nd_min = _tensor_scatter_fn(
    TensorScatterMin, _SCATTER_DOC.format(what="combined by element-wise minimum")
)
tensor_scatter_nd_min.__name__ = "tensor_scatter_nd_min"
tensor_scatter_nd_max = _tensor_scatter_fn(
    TensorScatterMax, _SCATTER_DOC.format(what="combined by element-wise maximum")
)
tensor_scatter_nd_max.__name__ = "tensor_scatter_nd_max"


# ------------------------------------------------------------------ boolean_mask


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """Keeps the entries of `tensor` where `mask` is true.

    `mask` (k-D, bool) covers dimensions `axis .. axis+k-1` of `tensor`; those dimensions collapse
    into one holding the selected entries, in row-major order.

    Args:
      tensor: an N-D tensor.
      mask: a k-D boolean tensor, k <= N, matching `tensor`'s shape at `axis`.
      axis: the first dimension `mask` covers (default 0); may be negative.
      name: a name for the operation.

    Returns:
      A tensor of rank N-k+1.

    Raises:
      ValueError: if `mask` is a scalar, has unknown rank or does not match `tensor`'s shape.
    """
    tensor = as_tensor(tensor)
    mask = as_tensor(mask)
    m = mask.shape.rank
    if m == 0:
        raise ValueError("mask cannot be scalar.")
    if m is None:
        raise ValueError(
            "Number of mask dimensions must be specified, even if some dimensions are None.  "
            "E.g. shape=[None] is ok, but shape=None is not."
        )
    axis = 0 if axis is None else int(axis)
    rank = tensor.shape.rank
    if rank is not None:
        # Python slicing, negative axis included, exactly as TensorFlow slices the shape.
        dims, pos = tensor.shape.as_list(), list(range(rank))
        covered = dims[axis : axis + m]
        TensorShape(covered).assert_is_compatible_with(mask.shape)
        lead, tail = pos[:axis], pos[axis + m :]
        n = int(np.prod(covered, dtype=np.int64)) if None not in covered else -1
        if any(dims[i] is None for i in lead + tail):
            full = array_ops.shape(tensor)
            target = array_ops.stack(
                [
                    full[i] if dims[i] is None else as_tensor(dims[i], dtype=dtypes.int32)
                    for i in lead
                ]
                + [as_tensor(n, dtype=dtypes.int32)]
                + [
                    full[i] if dims[i] is None else as_tensor(dims[i], dtype=dtypes.int32)
                    for i in tail
                ]
            )
        else:
            target = [dims[i] for i in lead] + [n] + [dims[i] for i in tail]
        tensor = array_ops.reshape(tensor, target)
    elif m != 1 or axis != 0:
        raise NotImplementedError("boolean_mask of a tensor of unknown rank needs a 1-D mask")
    flat = array_ops.reshape(mask, [-1])
    idx = array_ops.reshape(array_ops.where(flat), [-1])
    return GatherV2(tensor, idx, np.int32(axis), batch_dims=0, name=name)
