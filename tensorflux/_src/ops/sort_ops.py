"""Sorting and searching: TopKV2 (with `sort`/`argsort` built on it), Unique, UniqueWithCounts,
LowerBound and UpperBound (`searchsorted`).

`sort` is TopKV2 along the last axis (transposing other axes there), as in TensorFlow; ascending
order sorts an order-reversed copy of the values (`-x` for floats, `~x` for signed integers,
`max - x` for unsigned ones), which keeps equal values in their original order.
"""

from __future__ import annotations

import collections

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, real_numeric, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, gather_ops, math_ops
from tensorflux._src.ops._util import as_tensor


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


# ------------------------------------------------------------------ TopKV2


def _top_k_dtype(dts, attrs):
    check_allowed(dts[0], real_numeric)
    if dts[1] not in (dtypes.int16, dtypes.int32, dtypes.int64):
        check_allowed(dts[1], (dtypes.int16, dtypes.int32, dtypes.int64), "Tk")
    return [dts[0], attrs.get("index_type", dtypes.int32)]


def _top_k_shape(inputs, attrs):
    x, k = inputs
    s = x.shape
    kv = static_value(k)
    if s.rank is None:
        return [TensorShape(None)] * 2
    if s.rank == 0:
        raise _err(f"input must be >= 1-D, got shape {s.as_list()}")
    kk = None if kv is None else int(kv)
    if kk is not None and kk < 0:
        raise _err(f"Need k >= 0, got {kk}")
    if kk is not None and s[-1] is not None and s[-1] < kk:
        raise _err(f"input must have at least k columns. Had {s[-1]}, needed {kk}")
    out = TensorShape(s.as_list()[:-1] + [kk])
    return [out, out]


TopKV2 = defop(
    "TopKV2",
    infer=Rule(_top_k_dtype, _top_k_shape),
    num_outputs=2,
    host_inputs=(1,),
    type_inputs=(0,),
)


def _descending_order(xp, x):
    """Stable descending argsort along the last axis: equal values keep their order."""
    n = x.shape[-1]
    rev = xp.argsort(x[..., ::-1], axis=-1, kind="stable")[..., ::-1]
    return (n - 1) - rev


@TopKV2.kernel
def _(xp, x, k, sorted=True, index_type=dtypes.int32):
    k = int(k)
    if x.ndim == 0:
        raise _err(f"input must be >= 1-D, got shape {list(x.shape)}")
    if k < 0:
        raise _err(f"Need k >= 0, got {k}")
    if x.shape[-1] < k:
        raise _err(f"input must have at least k columns. Had {x.shape[-1]}, needed {k}")
    idx = _descending_order(xp, x)[..., :k]
    vals = xp.take_along_axis(x, idx, axis=-1)
    return [vals, idx.astype(index_type.as_numpy_dtype)]


@TopKV2.gradient
def _(op, dvalues, dindices):
    # Scatter each row's value gradients back to the positions the row's top k came from.
    x = op.inputs[0]
    idx = gather_ops._wide(op.outputs[1])
    if idx.shape.rank is None:
        raise NotImplementedError("the gradient of top_k needs inputs of known rank")
    kd = gather_ops.dims_of(idx)
    coords = [gather_ops.iota(kd, j, idx.dtype) for j in range(len(kd) - 1)] + [idx]
    shape = gather_ops._shape_arg(x, idx.dtype)
    return [gather_ops.ScatterNd(array_ops.stack(coords, axis=-1), dvalues, shape), None]


TopK = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """The `k` largest entries of the last dimension of `input`, and their positions.

    Args:
      input: a real tensor of rank >= 1.
      k: how many entries to keep (0 <= k <= input.shape[-1]).
      sorted: results come in descending order when True (they always do here).
      index_type: int16, int32 or int64, the dtype of `indices`.
      name: a name for the operation.

    Returns:
      A `(values, indices)` namedtuple; among equal values the lower index comes first.

    Raises:
      InvalidArgumentError: if k is negative or larger than the last dimension.
    """
    index_type = dtypes.as_dtype(index_type)
    values, indices = TopKV2(input, k, sorted=sorted, index_type=index_type, name=name or "TopKV2")
    return TopK(values, indices)


# ------------------------------------------------------------------ sort, argsort

_DIRECTIONS = ("ASCENDING", "DESCENDING")


def _flip_order(x):
    """An order-reversing bijection of x's dtype, its own inverse."""
    dt = x.dtype
    if dt.is_floating:
        return math_ops.negative(x)
    if dt.is_unsigned:
        return math_ops.subtract(as_tensor(np.iinfo(dt.as_numpy_dtype).max, dtype=dt), x)
    if dt.is_integer:
        return math_ops.subtract(math_ops.negative(x), as_tensor(1, dtype=dt))  # ~x
    raise _err(
        f"Value for attr 'T' of {dt.name} is not in the list of allowed values: bfloat16, half, "
        "float, double, int8, int16, int32, int64, complex64, complex128"
    )


def _sort_along(values, axis, direction, want_indices):
    if direction not in _DIRECTIONS:
        raise ValueError(
            f"Argument `direction` should be one of {', '.join(_DIRECTIONS)}. "
            f"Received: direction={direction}"
        )
    values = as_tensor(values)
    rank = values.shape.rank
    if rank is None:
        raise NotImplementedError("sort of a tensor of unknown rank")
    axis = int(axis)
    if not -rank <= axis < rank or rank == 0:
        raise _err(f"slice index {axis + rank if axis < 0 else axis} of dimension 0 out of bounds.")
    axis %= rank
    x = values
    ascending = direction == "ASCENDING"
    if ascending:
        x = _flip_order(x)
    perm = None
    if axis != rank - 1:
        perm = list(range(rank))
        perm[axis], perm[-1] = perm[-1], perm[axis]
        x = array_ops.transpose(x, perm)
    n = x.shape[-1]
    k = array_ops.shape(x)[-1] if n is None else n
    top, idx = TopKV2(x, k, sorted=True, index_type=dtypes.int32)
    out = idx if want_indices else top
    if perm is not None:
        out = array_ops.transpose(out, perm)
    if ascending and not want_indices:
        out = _flip_order(out)
    return out


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorts `values` along `axis`.

    Args:
      values: a real tensor.
      axis: the dimension to sort along (default: the last).
      direction: "ASCENDING" or "DESCENDING".
      name: a name for the operation.

    Returns:
      A tensor of `values`' shape and dtype, sorted along `axis`.

    Raises:
      ValueError: for an unknown `direction`.
    """
    del name
    return _sort_along(values, axis, direction, want_indices=False)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort `values` along `axis`.

    Args:
      values: a real tensor.
      axis: the dimension to sort along (default: the last).
      direction: "ASCENDING" or "DESCENDING".
      stable: equal values keep their original order (they always do here).
      name: a name for the operation.

    Returns:
      An int32 tensor of `values`' shape.

    Raises:
      ValueError: for an unknown `direction`.
    """
    del stable, name
    return _sort_along(values, axis, direction, want_indices=True)


# ------------------------------------------------------------------ Unique, UniqueWithCounts


def _unique_dtype(n_out):
    def dtype(dts, attrs):
        out = attrs.get("out_idx", dtypes.int32)
        if out not in (dtypes.int32, dtypes.int64):
            check_allowed(out, (dtypes.int32, dtypes.int64), "out_idx")
        return [dts[0]] + [out] * (n_out - 1)

    return dtype


def _unique_shape(n_out):
    def shape(inputs, attrs):
        s = inputs[0].shape
        if s.rank not in (None, 1):
            raise _err("unique expects a 1D vector.")
        return [TensorShape([None]), TensorShape(s if s.rank is not None else [None])] + [
            TensorShape([None])
        ] * (n_out - 2)

    return shape


Unique = defop("Unique", infer=Rule(_unique_dtype(2), _unique_shape(2)), num_outputs=2)
UniqueWithCounts = defop(
    "UniqueWithCounts", infer=Rule(_unique_dtype(3), _unique_shape(3)), num_outputs=3
)


def _unique(xp, x, out_idx):
    """(values in order of first appearance, index of each element's value, counts)."""
    if x.ndim != 1:
        raise _err("unique expects a 1D vector.")
    if x.dtype == object:  # strings: sort on the host
        xp = np
    _, first, inv, counts = xp.unique(x, return_index=True, return_inverse=True, return_counts=True)
    order = xp.argsort(first, kind="stable")
    rank = xp.empty_like(order)
    rank[order] = xp.arange(order.shape[0])
    t = out_idx.as_numpy_dtype
    return x[first[order]], rank[inv.reshape(-1)].astype(t), counts[order].astype(t)


@Unique.kernel
def _(xp, x, out_idx=dtypes.int32):
    y, idx, _ = _unique(xp, x, out_idx)
    return [y, idx]


@UniqueWithCounts.kernel
def _(xp, x, out_idx=dtypes.int32):
    return list(_unique(xp, x, out_idx))


not_differentiable(Unique, UniqueWithCounts)

UniqueResult = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCountsResult = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def unique(x, out_idx=dtypes.int32, name=None):
    """The distinct values of 1-D `x` in order of first appearance, and where each element went.

    Args:
      x: a 1-D tensor.
      out_idx: int32 or int64, the dtype of `idx`.
      name: a name for the operation.

    Returns:
      A `(y, idx)` namedtuple with `x == tf.gather(y, idx)`.

    Raises:
      InvalidArgumentError: if `x` is not 1-D.
    """
    y, idx = Unique(x, out_idx=dtypes.as_dtype(out_idx), name=name or "Unique")
    return UniqueResult(y, idx)


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """Like `unique`, plus how many times each distinct value occurs.

    Args:
      x: a 1-D tensor.
      out_idx: int32 or int64, the dtype of `idx` and `count`.
      name: a name for the operation.

    Returns:
      A `(y, idx, count)` namedtuple.

    Raises:
      InvalidArgumentError: if `x` is not 1-D.
    """
    y, idx, count = UniqueWithCounts(
        x, out_idx=dtypes.as_dtype(out_idx), name=name or "UniqueWithCounts"
    )
    return UniqueWithCountsResult(y, idx, count)


# ------------------------------------------------------------------ LowerBound, UpperBound


def _bound_dtype(dts, attrs):
    out = attrs.get("out_type", dtypes.int32)
    if out not in (dtypes.int32, dtypes.int64):
        check_allowed(out, (dtypes.int32, dtypes.int64), "out_type")
    check_same(dts)
    return out


def _bound_shape(inputs, attrs):
    a, v = inputs[0].shape, inputs[1].shape
    if a.rank is not None and v.rank is not None and a[0] is not None and v[0] is not None:
        if a[0] != v[0]:
            raise _err("Leading dim_size of both tensors must match.")
    return v


def _bound_op(name, side):
    op = defop(name, infer=Rule(_bound_dtype, _bound_shape))

    @op.kernel
    def _(xp, sorted_inputs, values, out_type=dtypes.int32):
        if sorted_inputs.ndim != 2 or values.ndim != 2:
            raise _err("Input sorted_inputs and values must be 2-D tensors.")
        if sorted_inputs.shape[0] != values.shape[0]:
            raise _err("Leading dim_size of both tensors must match.")
        out = xp.empty(values.shape, dtype=out_type.as_numpy_dtype)
        for r in range(values.shape[0]):
            out[r] = xp.searchsorted(sorted_inputs[r], values[r], side=side)
        return out

    not_differentiable(op)
    return op


LowerBound = _bound_op("LowerBound", "left")
UpperBound = _bound_op("UpperBound", "right")


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """For each value, the position in the sorted innermost rows where it would be inserted.

    Args:
      sorted_sequence: N-D tensor sorted ascending along its last dimension.
      values: N-D tensor with the same leading dimensions.
      side: "left" (first suitable position) or "right" (last suitable position).
      out_type: int32 or int64.
      name: a name for the operation.

    Returns:
      A tensor of `values`' shape and dtype `out_type`.

    Raises:
      ValueError: for an unknown `side`.
      InvalidArgumentError: if the leading dimensions differ.
    """
    if side not in ("left", "right"):
        raise ValueError(
            f"Argument `side` must be either 'right' or 'left'. Received: `side` = '{side}'."
        )
    sorted_sequence = as_tensor(sorted_sequence)
    values = as_tensor(values, dtype_hint=sorted_sequence.dtype)
    out_type = dtypes.as_dtype(out_type)
    s_dims, v_dims = sorted_sequence.shape, values.shape
    if s_dims.rank == 0 or v_dims.rank == 0:
        raise _err("slice index -1 of dimension 0 out of bounds.")
    seq2 = array_ops.reshape(sorted_sequence, _shape_list([-1, _last(sorted_sequence)]))
    val2 = array_ops.reshape(values, _shape_list([-1, _last(values)]))
    op = LowerBound if side == "left" else UpperBound
    out = op(seq2, val2, out_type=out_type, name=name)
    vshape = v_dims.as_list() if v_dims.is_fully_defined() else array_ops.shape(values)
    return array_ops.reshape(out, vshape)


def _shape_list(dims):
    """A shape argument from ints and scalar int32 tensors."""
    if all(isinstance(d, int) for d in dims):
        return dims
    return array_ops.stack([as_tensor(d, dtype=dtypes.int32) for d in dims])


def _last(t):
    d = t.shape[-1]
    return d if d is not None else array_ops.shape(t)[-1]
