"""Ops on `tf.IndexedSlices`: conversion to a dense tensor, negation, and concatenation.

Importing this module registers the conversion, so any op given an IndexedSlices (a gradient
flowing into a dense op, `tf.convert_to_tensor(g)`) sees the dense sum of its rows.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.indexed_slices import IndexedSlices
from tensorflux._src.ops import array_ops, gather_ops, manip_ops, math_ops
from tensorflux._src.tensor import register_tensor_conversion_function


def to_dense(value: IndexedSlices, dtype=None, name=None, as_ref=False):
    """The dense tensor an IndexedSlices stands for: rows scattered into zeros, repeats added."""
    del as_ref
    if dtype is not None and dtypes.as_dtype(dtype) is not value.dtype:
        raise ValueError(
            f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} for IndexedSlices "
            f"with dtype {value.dtype.name}"
        )
    if value.dense_shape is None:
        raise ValueError(
            "Tensor conversion requested for IndexedSlices for argument `value` without "
            f"dense_shape: {value}"
        )
    indices = value.indices
    shape = value.dense_shape
    if shape.dtype is not indices.dtype:
        shape = math_ops.cast(shape, indices.dtype)
    return gather_ops.ScatterNd(
        array_ops.reshape(indices, [-1, 1]), value.values, shape, name=name or "ScatterNd"
    )


register_tensor_conversion_function(IndexedSlices, to_dense)


def _neg(self: IndexedSlices) -> IndexedSlices:
    return IndexedSlices(math_ops.negative(self.values), self.indices, self.dense_shape)


IndexedSlices.__neg__ = _neg


def concat(pieces) -> IndexedSlices:
    """One IndexedSlices holding the rows of all `pieces` (their dense values add up)."""
    if len(pieces) == 1:
        return pieces[0]
    idx_dtype = dtypes.int64 if any(p.indices.dtype is dtypes.int64 for p in pieces) else None
    indices = [
        p.indices
        if idx_dtype is None or p.indices.dtype is idx_dtype
        else math_ops.cast(p.indices, idx_dtype)
        for p in pieces
    ]
    shape = next((p.dense_shape for p in pieces if p.dense_shape is not None), None)
    return IndexedSlices(
        manip_ops.concat([p.values for p in pieces], 0), manip_ops.concat(indices, 0), shape
    )
