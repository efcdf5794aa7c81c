"""`tf.shape` of a RaggedTensor: a small `DynamicRaggedShape`.

It records the number of rows, the row lengths of each ragged dimension and the shape of the
flat values. Indexing a uniform dimension gives a scalar tensor; a ragged one is a ValueError,
as in TensorFlow. Using it as a shape argument (tf.reshape, tf.broadcast_to) is not supported.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.ops import array_ops, math_ops
from tensorflux._src.tensor import static_value


class DynamicRaggedShape:
    """The shape of a RaggedTensor, with the row lengths of its ragged dimensions."""

    def __init__(self, rt, dtype=dtypes.int32):
        self._rt = rt
        self._dtype = dtypes.as_dtype(dtype)

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def rank(self):
        return self._rt.shape.rank

    @property
    def num_row_partitions(self) -> int:
        return self._rt.ragged_rank

    @property
    def inner_shape(self):
        """The shape of the flat values (its first entry counts all values)."""
        return array_ops.shape(self._rt.flat_values, out_type=self._dtype)

    def _lengths(self):
        rt = self._rt
        out = [static_value(rt.nrows())]
        r = rt
        while hasattr(r, "row_splits"):
            out.append(static_value(r.row_lengths()))
            r = r.values
        inner = static_value(array_ops.shape(r))
        out.extend(inner[1:] if inner is not None else [None])
        return out

    def static_lengths(self) -> list:
        """Python ints for uniform dimensions, tuples of row lengths for ragged ones."""
        out = []
        rr = self._rt.ragged_rank
        for i, v in enumerate(self._lengths()):
            if v is None:
                out.append(None)
            elif 1 <= i <= rr:
                out.append(tuple(int(x) for x in v))
            else:
                out.append(int(v))
        return out

    def __getitem__(self, index):
        if not isinstance(index, int):
            raise NotImplementedError("DynamicRaggedShape supports integer indices only")
        rank = self.rank
        if index < 0:
            index += rank
        if not 0 <= index < rank:
            raise IndexError(f"Index {index} out of range for a shape of rank {rank}")
        rr = self._rt.ragged_rank
        if index == 0:
            return math_ops.cast(self._rt.nrows(), self._dtype)
        if index <= rr:
            raise ValueError(f"Index {index} is not uniform")
        return self.inner_shape[index - rr]

    def __repr__(self) -> str:
        text = ", ".join(str(v) for v in self.static_lengths())
        return f"<DynamicRaggedShape lengths=[{text}] num_row_partitions={self.num_row_partitions}>"


__all__ = ["DynamicRaggedShape"]
