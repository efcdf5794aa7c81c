"""The resource-variable ops: read, assign, and scatter updates of a variable's storage.

A variable's handle is a scalar `resource` tensor whose value is a `VarCell`, the storage slot.
Writes never modify an array in place: they store a new array in the cell, so a value read
earlier keeps its contents (TensorFlow's snapshot semantics) and kernels stay side-effect free
apart from the cell itself. All ops here are stateful, so traced graphs keep them in order.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, legacy_name, numeric
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.variables import VarCell


def _cell_of(handle):
    cell = getattr(handle, "_value", None)
    return cell if isinstance(cell, VarCell) else None


def _var_shape(handle) -> TensorShape:
    cell = _cell_of(handle)
    if cell is not None:
        return cell.var_shape
    shape = getattr(handle, "_handle_data", None)  # a traced handle standing for a variable
    return shape if shape is not None else TensorShape(None)


def _no_outputs(in_dtypes, attrs):
    return []


def _check_value_dtype(in_dtypes, attrs, index=1):
    want = attrs["dtype"]
    got = in_dtypes[index]
    if got is not want:
        raise InvalidArgumentError(
            None,
            None,
            f"cannot compute {{op}} as input #{index}(zero-based) was expected to be a "
            f"{legacy_name(want)} tensor but is a {legacy_name(got)} tensor",
        )


def _shape_list(shape) -> str:
    return "[" + ",".join(str(d) for d in shape) + "]"


# ------------------------------------------------------------------ ReadVariableOp

ReadVariableOp = defop(
    "ReadVariableOp",
    infer=Rule(lambda dts, attrs: attrs["dtype"], lambda inputs, attrs: _var_shape(inputs[0])),
    stateful=True,
)


@ReadVariableOp.kernel
def _(xp, cell, dtype):
    return cell.array


@ReadVariableOp.gradient
def _(op, dy):
    return [dy]  # the gradient with respect to the variable is the gradient of its value


def read_variable_op(resource, dtype, name=None):
    """The current value of the variable behind `resource`."""
    return ReadVariableOp(resource, dtype=dtype, name=name)


# ------------------------------------------------------------------ AssignVariableOp


def _assign_dtype(in_dtypes, attrs):
    _check_value_dtype(in_dtypes, attrs)
    return []


AssignVariableOp = defop(
    "AssignVariableOp",
    infer=Rule(_assign_dtype, lambda inputs, attrs: []),
    num_outputs=0,
    stateful=True,
)


@AssignVariableOp.kernel
def _(xp, cell, value, dtype, validate_shape=False):
    if validate_shape and tuple(value.shape) != tuple(cell.array.shape):
        raise InvalidArgumentError(
            None,
            None,
            f"Trying to assign to variable with tensor with wrong shape. Expected "
            f"{_shape_list(cell.array.shape)} got {_shape_list(value.shape)}",
        )
    cell.array = value
    return []


# ------------------------------------------------------------------ AssignAdd/SubVariableOp


def _update_dtype(in_dtypes, attrs):
    check_allowed(attrs["dtype"], numeric, "dtype")
    _check_value_dtype(in_dtypes, attrs)
    return []


def _check_same_shape(cell, value):
    if tuple(value.shape) != tuple(cell.array.shape):
        raise InvalidArgumentError(
            None,
            None,
            f"Cannot update variable with shape {_shape_list(cell.array.shape)} using a Tensor "
            f"with shape {_shape_list(value.shape)}, shapes must be equal.",
        )


AssignAddVariableOp = defop(
    "AssignAddVariableOp",
    infer=Rule(_update_dtype, lambda inputs, attrs: []),
    num_outputs=0,
    stateful=True,
)
AssignSubVariableOp = defop(
    "AssignSubVariableOp",
    infer=Rule(_update_dtype, lambda inputs, attrs: []),
    num_outputs=0,
    stateful=True,
)


@AssignAddVariableOp.kernel
def _(xp, cell, value, dtype):
    _check_same_shape(cell, value)
    cell.array = (cell.array + value).astype(cell.array.dtype, copy=False)
    return []


@AssignSubVariableOp.kernel
def _(xp, cell, value, dtype):
    _check_same_shape(cell, value)
    cell.array = (cell.array - value).astype(cell.array.dtype, copy=False)
    return []


# ------------------------------------------------------------------ ResourceScatter* (first axis)

_INDEX_DTYPES = (dtypes.int32, dtypes.int64)


def _scatter_dtype(in_dtypes, attrs):
    check_allowed(in_dtypes[1], _INDEX_DTYPES, "Tindices")
    _check_value_dtype(in_dtypes, attrs, index=2)
    return []


def _combine(xp, name, dst, idx, upd):
    """Applies one scatter combiner in place on `dst` (a fresh copy), duplicates accumulating."""
    if name == "update":
        dst[idx] = upd
    elif name == "add":
        xp.add.at(dst, idx, upd)
    elif name == "sub":
        xp.subtract.at(dst, idx, upd)
    elif name == "mul":
        xp.multiply.at(dst, idx, upd)
    elif name == "div":
        if dst.dtype.kind in "iu":  # C-style truncating division, one update at a time
            pos = (
                list(zip(*[np.asarray(i).tolist() for i in idx]))
                if isinstance(idx, tuple)
                else np.asarray(idx).reshape(-1).tolist()
            )
            ups = upd.reshape((len(pos),) + tuple(upd.shape[upd.ndim - (dst.ndim - _depth(idx)) :]))
            for p, u in zip(pos, ups):
                q = dst[p]
                dst[p] = (abs(q) // abs(u)) * (np.sign(q) * np.sign(u))
        else:
            xp.divide.at(dst, idx, upd)
    elif name == "max":
        xp.maximum.at(dst, idx, upd)
    elif name == "min":
        xp.minimum.at(dst, idx, upd)


def _depth(idx) -> int:
    return len(idx) if isinstance(idx, tuple) else 1


def _scatter_kernel(kind):
    def kernel(xp, cell, indices, updates, dtype, Tindices=None):
        arr = cell.array
        if arr.ndim == 0:
            raise InvalidArgumentError(None, None, "params must be at least 1 dimensional")
        idx = np.asarray(indices).astype(np.int64, copy=False)
        n = arr.shape[0]
        if tuple(updates.shape) != tuple(idx.shape) + tuple(arr.shape[1:]):
            if updates.ndim != 0:
                if tuple(updates.shape[: idx.ndim]) != tuple(idx.shape):
                    raise InvalidArgumentError(
                        None,
                        None,
                        f"The shape of indices ({_shape_list(idx.shape)}) must be a prefix of the "
                        f"shape of updates ({_shape_list(updates.shape)})",
                    )
                raise InvalidArgumentError(
                    None,
                    None,
                    f"Must have updates.shape = indices.shape + params.shape[1:] or "
                    f"updates.shape = [], got updates.shape {_shape_list(updates.shape)}, "
                    f"indices.shape {_shape_list(idx.shape)}, params.shape "
                    f"{_shape_list(arr.shape)}",
                )
        flat = idx.reshape(-1)
        bad = np.nonzero((flat < 0) | (flat >= n))[0]
        if bad.size:
            i = int(bad[0])
            raise InvalidArgumentError(
                None, None, f"indices[{i}] = {int(flat[i])} is not in [0, {n})"
            )
        out = arr.copy()
        upd = xp.broadcast_to(updates, tuple(idx.shape) + tuple(arr.shape[1:]))
        _combine(xp, kind, out, xp.asarray(idx), upd)
        cell.array = out
        return []

    return kernel


def _def_scatter(op_name, kind, allowed=None):
    def dtype_rule(in_dtypes, attrs):
        if allowed is not None:
            check_allowed(attrs["dtype"], allowed, "dtype")
        return _scatter_dtype(in_dtypes, attrs)

    op = defop(
        op_name,
        infer=Rule(dtype_rule, lambda i, a: []),
        num_outputs=0,
        stateful=True,
        type_inputs=(2,),
    )
    op.kernel(_scatter_kernel(kind))
    return op


_REAL = tuple(d for d in numeric if not d.is_complex)
ResourceScatterUpdate = _def_scatter("ResourceScatterUpdate", "update")
ResourceScatterAdd = _def_scatter("ResourceScatterAdd", "add", numeric)
ResourceScatterSub = _def_scatter("ResourceScatterSub", "sub", numeric)
ResourceScatterMul = _def_scatter("ResourceScatterMul", "mul", numeric)
ResourceScatterDiv = _def_scatter("ResourceScatterDiv", "div", numeric)
ResourceScatterMax = _def_scatter("ResourceScatterMax", "max", _REAL)
ResourceScatterMin = _def_scatter("ResourceScatterMin", "min", _REAL)


# ------------------------------------------------------------------ ResourceScatterNd*


def _scatter_nd_kernel(kind):
    def kernel(xp, cell, indices, updates, use_locking=True, Tindices=None):
        arr = cell.array
        idx = np.asarray(indices).astype(np.int64, copy=False)
        if idx.ndim == 0:
            raise InvalidArgumentError(
                None, None, f"Indices shape must have rank at least one. Found:{list(idx.shape)}"
            )
        k = idx.shape[-1]
        if k > arr.ndim:
            raise InvalidArgumentError(
                None,
                None,
                f"Dimensions [0,{k}) of input[shape={_shape_list(arr.shape)}] must match "
                f"dimensions [0,{k}) of indices",
            )
        batch = tuple(idx.shape[:-1])
        want = batch + tuple(arr.shape[k:])
        if tuple(updates.shape) != want:
            nb = len(batch)
            got = updates.shape[nb - 1] if 0 < nb <= updates.ndim else None
            exp = batch[-1] if batch else None
            raise InvalidArgumentError(
                None,
                None,
                f"Dimensions [0,{nb}) of indices[shape={_shape_list(idx.shape)}] = {exp} must "
                f"match dimensions [0,{nb}) of updates[shape={_shape_list(updates.shape)}] = {got}",
            )
        flat = idx.reshape(-1, k)
        limits = np.asarray(arr.shape[:k], dtype=np.int64)
        bad = np.nonzero(np.any((flat < 0) | (flat >= limits), axis=1))[0]
        if bad.size:
            i = int(bad[0])
            vals = ", ".join(str(int(v)) for v in flat[i])
            raise InvalidArgumentError(
                None,
                None,
                f"indices[{i}] = [{vals}] does not index into shape {_shape_list(arr.shape)}",
            )
        out = arr.copy()
        where = tuple(xp.asarray(flat[:, j]) for j in range(k))
        upd = updates.reshape((flat.shape[0],) + tuple(arr.shape[k:]))
        _combine(xp, kind, out, where, upd)
        cell.array = out
        return []

    return kernel


def _def_scatter_nd(op_name, kind, allowed=None):
    def dtype_rule(in_dtypes, attrs):
        check_allowed(in_dtypes[1], _INDEX_DTYPES, "Tindices")
        if allowed is not None:
            check_allowed(in_dtypes[2], allowed, "T")
        return []

    op = defop(
        op_name,
        infer=Rule(dtype_rule, lambda i, a: []),
        num_outputs=0,
        stateful=True,
        type_inputs=(2,),
    )
    op.kernel(_scatter_nd_kernel(kind))
    return op


ResourceScatterNdUpdate = _def_scatter_nd("ResourceScatterNdUpdate", "update")
ResourceScatterNdAdd = _def_scatter_nd("ResourceScatterNdAdd", "add", numeric)
ResourceScatterNdSub = _def_scatter_nd("ResourceScatterNdSub", "sub", numeric)
ResourceScatterNdMax = _def_scatter_nd("ResourceScatterNdMax", "max", _REAL)
ResourceScatterNdMin = _def_scatter_nd("ResourceScatterNdMin", "min", _REAL)

not_differentiable(
    AssignVariableOp, AssignAddVariableOp, AssignSubVariableOp,
    ResourceScatterUpdate, ResourceScatterAdd, ResourceScatterSub, ResourceScatterMul,
    ResourceScatterDiv, ResourceScatterMax, ResourceScatterMin,
    ResourceScatterNdUpdate, ResourceScatterNdAdd, ResourceScatterNdSub,
    ResourceScatterNdMax, ResourceScatterNdMin,
)  # fmt: skip
