"""`tf.sets`: set operations along the last dimension of dense tensors and SparseTensors.

A rank-n input holds one set per index of its first n-1 dimensions (its "group"); the values along
the last dimension are the set's members. The four kernels read every group into a Python set on
the host, combine them and write the sorted results back as a SparseTensor whose last dimension is
the largest result set. Set ops have no gradient.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InternalError, InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.devices.scope import device
from tensorflux._src.ops.sparse_ops import _validate
from tensorflux._src.sparse_tensor import SparseTensor
from tensorflux._src.tensor import Tensor, convert_to_tensor, static_value

_SUPPORTED = (
    dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16,
    dtypes.string,
)  # fmt: skip


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


def _fmt(dims) -> str:
    return "[" + ",".join(str(int(d)) for d in dims) + "]"


def _host(a) -> np.ndarray:
    get = getattr(a, "get", None)  # CuPy arrays: set kernels run on the host
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


def _key(v):
    return v if isinstance(v, bytes) else v.item() if hasattr(v, "item") else v


# ------------------------------------------------------------------ reading sets


def _dense_groups(arr) -> tuple:
    """(group shape, {group index tuple: set}) of a dense input; every group is present."""
    arr = _host(arr)
    if arr.ndim < 2:
        raise _err(f"Shape {_fmt(arr.shape)} has rank {arr.ndim} < 2")
    gshape = tuple(arr.shape[:-1])
    rows = arr.reshape(int(np.prod(gshape)), arr.shape[-1])
    groups = {}
    for flat, idx in enumerate(np.ndindex(*gshape)):
        groups[idx] = {_key(v) for v in rows[flat]}
    return gshape, groups


def _sparse_groups(indices, values, shape, validate: bool) -> tuple:
    """(group shape, {group index tuple: set}) of a sparse input; only groups with entries."""
    idx = _host(indices).astype(np.int64, copy=False)
    vals = _host(values)
    shape = tuple(int(d) for d in _host(shape).reshape(-1))
    if len(shape) < 2:
        raise _err(f"Invalid rank {len(shape)}.")
    if idx.ndim != 2 or idx.shape[1] != len(shape):
        raise _err(
            f"Expected indices of shape [N, {len(shape)}] for dense_shape {_fmt(shape)}, "
            f"got {_fmt(idx.shape)}"
        )
    if validate:
        _validate(idx, shape, True)
    elif idx.size:
        bad = (idx < 0) | (idx >= np.asarray(shape, dtype=np.int64))
        if bad.any():
            i, d = (int(v) for v in np.argwhere(bad)[0])
            raise InternalError(
                None, None, f"indices[{i}, {d}] expected < {shape[d]}, got {int(idx[i, d])}."
            )
    groups: dict = {}
    for row, v in zip(idx.tolist(), vals.reshape(-1)):
        groups.setdefault(tuple(row[:-1]), set()).add(_key(v))
    return shape[:-1], groups


def _combine(g1, g2, gshape, operation: str, np_dtype):
    """The sorted result of `operation` per group, as (indices, values, dense_shape) arrays."""
    keys = sorted(set(g1) | set(g2))
    empty: set = set()
    out_idx, out_vals, width = [], [], 0
    for k in keys:
        a, b = g1.get(k, empty), g2.get(k, empty)
        if operation == "union":
            r = a | b
        elif operation == "intersection":
            r = a & b
        elif operation == "a-b":
            r = a - b
        elif operation == "b-a":
            r = b - a
        else:
            raise _err(f"Invalid set_operation {operation}.")
        members = sorted(r)
        width = max(width, len(members))
        out_idx.extend(k + (j,) for j in range(len(members)))
        out_vals.extend(members)
    rank = len(gshape) + 1
    indices = np.array(out_idx, dtype=np.int64).reshape(-1, rank)
    values = np.array(out_vals, dtype=np_dtype).reshape(-1)
    return [indices, values, np.array(list(gshape) + [width], dtype=np.int64)]


def _same_groups(s1, s2) -> None:
    if tuple(s1) != tuple(s2):
        raise _err(f"Mismatched shapes {_fmt(s1)} vs {_fmt(s2)}")


def _np_dtype(dt):
    return object if dt is dtypes.string else dt.as_numpy_dtype


# ------------------------------------------------------------------ ops


def _check_dtype(dt):
    if dt not in _SUPPORTED:
        raise TypeError(f"Set ops do not support dtype {dt.name}")
    return dt


def _set_rule(value_input: int, rank_of):
    def dtype(dts, attrs):
        return [dtypes.int64, _check_dtype(dts[value_input]), dtypes.int64]

    def shape(ins, attrs):
        r = rank_of(ins)
        return [TensorShape([None, r]), TensorShape([None]), TensorShape([r])]

    return Rule(dtype, shape)


def _dense_rank(ins):
    return ins[0].shape.rank


def _sparse_rank(ins, i):
    """The rank of a sparse input from its indices' or dense_shape's static shape."""
    r = ins[i].shape[1] if ins[i].shape.rank == 2 else None
    if r is None and ins[i + 2].shape.rank == 1:
        r = ins[i + 2].shape[0]
    return r


DenseToDenseSetOperation = defop(
    "DenseToDenseSetOperation", infer=_set_rule(0, _dense_rank), num_outputs=3
)


@DenseToDenseSetOperation.kernel
def _(xp, set1, set2, set_operation="union", validate_indices=True):
    s1, g1 = _dense_groups(set1)
    s2, g2 = _dense_groups(set2)
    _same_groups(s1, s2)
    return _combine(g1, g2, s1, set_operation, set1.dtype)


DenseToSparseSetOperation = defop(
    "DenseToSparseSetOperation", infer=_set_rule(0, _dense_rank), num_outputs=3
)


@DenseToSparseSetOperation.kernel
def _(xp, set1, set2_indices, set2_values, set2_shape, set_operation="union",
      validate_indices=True):  # fmt: skip
    s1, g1 = _dense_groups(set1)
    s2, g2 = _sparse_groups(set2_indices, set2_values, set2_shape, validate_indices)
    _same_groups(s1, s2)
    return _combine(g1, g2, s1, set_operation, _host(set1).dtype)


SparseToSparseSetOperation = defop(
    "SparseToSparseSetOperation", infer=_set_rule(1, lambda ins: _sparse_rank(ins, 0)),
    num_outputs=3,
)  # fmt: skip


@SparseToSparseSetOperation.kernel
def _(xp, set1_indices, set1_values, set1_shape, set2_indices, set2_values, set2_shape,
      set_operation="union", validate_indices=True):  # fmt: skip
    s1, g1 = _sparse_groups(set1_indices, set1_values, set1_shape, validate_indices)
    s2, g2 = _sparse_groups(set2_indices, set2_values, set2_shape, validate_indices)
    _same_groups(s1, s2)
    return _combine(g1, g2, s1, set_operation, _host(set1_values).dtype)


def _size_shape(ins, attrs):
    shape = static_value(ins[2])
    if shape is None:
        return TensorShape(None)
    return TensorShape([int(d) for d in np.asarray(shape).reshape(-1)[:-1]])


SetSize = defop(
    "SetSize",
    infer=Rule(lambda dts, attrs: (_check_dtype(dts[1]), dtypes.int32)[1], _size_shape),
)


@SetSize.kernel
def _(xp, set_indices, set_values, set_shape, validate_indices=True):
    gshape, groups = _sparse_groups(set_indices, set_values, set_shape, validate_indices)
    out = np.zeros(gshape, dtype=np.int32)
    for k, members in groups.items():
        out[k] = len(members)
    return out


not_differentiable(
    DenseToDenseSetOperation, DenseToSparseSetOperation, SparseToSparseSetOperation, SetSize
)


# ------------------------------------------------------------------ public functions


def _convert(x, name: str):
    if isinstance(x, SparseTensor):
        return x
    parts = ("indices", "values", "dense_shape")
    if not isinstance(x, Tensor) and all(hasattr(x, a) for a in parts):
        return SparseTensor.from_value(x)
    return convert_to_tensor(x, name=name)


def _dtype_of(x):
    return x.values.dtype if isinstance(x, SparseTensor) else x.dtype


def _checked(x, name: str):
    dt = _dtype_of(x)
    if dt not in _SUPPORTED:
        names = "tf.int32, tf.uint8, tf.int16, tf.int8, tf.string, tf.int64, tf.uint16"
        raise TypeError(
            f"'{name}' has invalid dtype `<dtype: '{dt.name}'>` not in supported dtypes: "
            f"`frozenset({{{names}}})`."
        )
    return x


def _set_operation(a, b, operation: str, validate_indices: bool) -> SparseTensor:
    a = _checked(_convert(a, "a"), "a")
    b = _checked(_convert(b, "b"), "b")
    if _dtype_of(a) != _dtype_of(b):
        raise TypeError(
            f"Types don't match, <dtype: '{_dtype_of(a).name}'> vs <dtype: '{_dtype_of(b).name}'>."
        )
    if isinstance(a, SparseTensor) and not isinstance(b, SparseTensor):
        # Only dense-with-sparse exists as a kernel: swap the operands (and the difference).
        a, b = b, a
        operation = {"a-b": "b-a", "b-a": "a-b"}.get(operation, operation)
    attrs = {"set_operation": operation, "validate_indices": bool(validate_indices)}
    with device("/CPU:0"):  # host kernels, as TensorFlow has (string sets included)
        out = _run_set_op(a, b, attrs)
    return SparseTensor(out[0], out[1], out[2])


def _run_set_op(a, b, attrs):
    if isinstance(a, SparseTensor):
        out = SparseToSparseSetOperation(a.indices, a.values, a.dense_shape, b.indices, b.values,
                                         b.dense_shape, **attrs)  # fmt: skip
    elif isinstance(b, SparseTensor):
        out = DenseToSparseSetOperation(a, b.indices, b.values, b.dense_shape, **attrs)
    else:
        out = DenseToDenseSetOperation(a, b, **attrs)
    return out


def set_size(a, validate_indices=True):
    """Counts the distinct members of each set in the last dimension of a SparseTensor.

    Args:
      a: a `SparseTensor` of rank >= 2 and a supported dtype (int8..int64, uint8, uint16,
        string); its values along the last dimension are the sets.
      validate_indices: whether to check that `a`'s indices are sorted, unique and in bounds.

    Returns:
      An int32 tensor of shape `a.dense_shape[:-1]`: the size of each set.

    Raises:
      TypeError: if `a` is not a SparseTensor or has an unsupported dtype.
    """
    if isinstance(a, Tensor) or not isinstance(_convert(a, "a"), SparseTensor):
        raise TypeError(f"Expected `SparseTensor`, got {str(a)}.")
    a = _checked(_convert(a, "a"), "a")
    with device("/CPU:0"):
        return SetSize(a.indices, a.values, a.dense_shape, validate_indices=bool(validate_indices))


def set_intersection(a, b, validate_indices=True):
    """The members common to the sets in `a` and `b`, per group of leading indices.

    Args:
      a: a dense `Tensor` or `SparseTensor` of rank >= 2; the last dimension holds the sets.
      b: the same kind of value with the same leading dimensions and dtype.
      validate_indices: whether to check the order and bounds of sparse indices.

    Returns:
      A `SparseTensor` with the sorted members of each result set along its last dimension,
      whose size is that of the largest result set.
    """
    return _set_operation(a, b, "intersection", validate_indices)


def set_difference(a, b, aminusb=True, validate_indices=True):
    """The members of each set in `a` missing from `b` (or, with `aminusb=False`, of `b` missing
    from `a`); arguments and result as for `set_intersection`."""
    return _set_operation(a, b, "a-b" if aminusb else "b-a", validate_indices)


def set_union(a, b, validate_indices=True):
    """The members found in either set of `a` and `b`; arguments and result as for
    `set_intersection`."""
    return _set_operation(a, b, "union", validate_indices)
