"""Reductions over axes: one block per op (rule, kernel, gradient), then its public function."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, numeric
from tensorflux._src.core.registry import Rule
from tensorflux._src.core.registry import defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, math_ops
from tensorflux._src.ops._util import as_tensor, static_int_list


def _axes(axis, rank):
    """Normalized, sorted, unique axes; raises InvalidArgumentError for out-of-range ones."""
    out = set()
    for a in axis:
        if not -rank <= a < max(rank, 1):
            raise InvalidArgumentError(
                None, None, f"Invalid reduction dimension ({a} for input with {rank} dimension(s)"
            )
        out.add(a % rank if rank else 0)
    return sorted(out)


def reduce_shape(inputs, attrs):
    """The shape rule of every reduction: input shape without (or with size-1) reduced axes."""
    x, axis = inputs
    s = x.shape
    keep = attrs.get("keep_dims", False)
    axes = static_int_list(axis)
    if s.rank is None:
        return TensorShape(None)
    if axes is None:
        return TensorShape([None] * s.rank if keep else None)
    axes = _axes(axes, s.rank)
    dims = s.as_list()
    if keep:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


def reduce_rule(allowed):
    def dtype(dts, attrs):
        check_allowed(dts[0], allowed)
        if dts[1] not in (dtypes.int32, dtypes.int64):
            check_allowed(dts[1], (dtypes.int32, dtypes.int64), "Tidx")
        return dts[0]

    return Rule(dtype, reduce_shape)


def kernel_axes(x, axis):
    rank = x.ndim
    return tuple(_axes([int(a) for a in np.asarray(axis).reshape(-1)], rank))


def _default_axis(x, axis):
    if axis is None:
        r = x.shape.rank
        if r is not None:
            return list(range(r))
        return math_ops_range_of_rank(x)
    return axis


def math_ops_range_of_rank(x):
    from tensorflux._src.ops import array_ops as A

    n = A.shape(A.shape(x))
    return A.range_(0, A.reshape(n, []), 1)


def grad_keepdims_shape(x, axis):
    """The shape of a reduction's output as if keepdims were on (for broadcasting its gradient)."""
    s = x.shape
    axes = static_int_list(axis)
    if s.is_fully_defined() and axes is not None:
        axes = _axes(axes, s.rank)
        return [1 if i in axes else d for i, d in enumerate(s.as_list())]
    raise NotImplementedError("Reduction gradients with unknown shapes need graph ops not yet landed")


Sum = defop("Sum", infer=reduce_rule(numeric), host_inputs=(1,))


@Sum.kernel
def _(xp, x, axis, keep_dims=False):
    return xp.sum(x, axis=kernel_axes(x, axis), keepdims=keep_dims, dtype=x.dtype)


@Sum.gradient
def _(op, dy):
    x, axis = op.inputs
    dy = array_ops.reshape(dy, grad_keepdims_shape(x, axis))
    return [dy * array_ops.ones_like(x), None]


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sums elements over `axis` (all axes if None), keeping reduced axes if `keepdims`.

    >>> tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=0)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([4, 6], dtype=int32)>
    """
    x = as_tensor(input_tensor)
    return Sum(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)
