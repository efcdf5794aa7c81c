"""`tf.IndexedSlices`: a sparse set of rows of a dense tensor, as gathers produce for gradients.

The class holds three tensors and knows nothing of ops; `ops/indexed_slices.py` registers its
conversion to a dense tensor (rows at the same index add up), installs `-slices`, and holds the
concatenation the tape uses to add several of them.
"""

from __future__ import annotations

from tensorflux._src.core.shape import TensorShape
from tensorflux._src.tensor import static_value


class IndexedSlices:
    """Rows `values[i]` of a dense tensor of shape `dense_shape`, placed at row `indices[i]`.

    The dense value is `sum_i scatter(values[i] at row indices[i])`; rows may repeat and then add.
    Gradients of `tf.gather` (axis 0) take this form, so that updating a large embedding touches
    only the rows that were used.

    Args:
      values: a tensor of shape `[N] + dense_shape[1:]`.
      indices: a 1-D integer tensor of N row indices.
      dense_shape: optional 1-D integer tensor, the shape of the dense tensor.
    """

    _is_indexed_slices = True
    _is_composite_tensor = True

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    @property
    def values(self):
        """The rows, a tensor of shape `[N] + dense_shape[1:]`."""
        return self._values

    @property
    def indices(self):
        """The 1-D tensor of row indices into the dense tensor."""
        return self._indices

    @property
    def dense_shape(self):
        """The shape of the dense tensor (a 1-D tensor), or None."""
        return self._dense_shape

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        """The static shape of the dense tensor: from `dense_shape` where it is known."""
        if self._dense_shape is None:
            return TensorShape(None)
        v = static_value(self._dense_shape)
        if v is not None:
            return TensorShape([int(d) for d in v])
        n = self._dense_shape.shape
        if n.rank == 1 and n[0] is not None:
            rows = self._values.shape
            tail = rows[1:] if rows.rank is not None else [None] * (n[0] - 1)
            return TensorShape([None] + list(tail))
        return TensorShape(None)

    @property
    def device(self):
        return self._values.device

    @property
    def name(self):
        return self._values.name

    @property
    def op(self):
        return self._values.op

    @property
    def graph(self):
        return self._values.graph

    def __str__(self) -> str:
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape!s}"
        return f"IndexedSlices(indices={self._indices!s}, values={self._values!s}{shape})"
