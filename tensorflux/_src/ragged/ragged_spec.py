"""`tf.RaggedTensorSpec`: a RaggedTensor's shape, dtype, ragged rank and row-splits dtype.

Its components are the flat values followed by the row_splits of each ragged dimension,
outermost first, which is how tf.nest, tf.function and tf.data see a RaggedTensor.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.ragged.ragged_tensor import RaggedTensor
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec
from tensorflux._src.type_spec import BatchableTypeSpec


class RaggedTensorSpec(BatchableTypeSpec):
    """Describes a `tf.RaggedTensor`.

    Args:
      shape: the static shape (ragged dimensions are None).
      dtype: the values' dtype (default float32).
      ragged_rank: the number of ragged dimensions (default: rank - 1).
      row_splits_dtype: int64 (default) or int32.
      flat_values_spec: optional TensorSpec of the flat values (overrides `dtype`).
    """

    __slots__ = ("_shape", "_dtype", "_ragged_rank", "_row_splits_dtype", "_flat_values_spec")

    def __init__(self, shape=None, dtype=dtypes.float32, ragged_rank=None,
                 row_splits_dtype=dtypes.int64, flat_values_spec=None):  # fmt: skip
        self._shape = as_shape(shape)
        self._row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
        if flat_values_spec is not None:
            dtype = flat_values_spec.dtype
        self._flat_values_spec = flat_values_spec
        self._dtype = dtypes.as_dtype(dtype)
        rank = self._shape.rank
        if ragged_rank is None:
            if rank is None:
                raise ValueError("Must specify ragged_rank or a shape with a known rank.")
            ragged_rank = rank - 1
        if not isinstance(ragged_rank, int):
            raise TypeError(f"ragged_rank must be an int, got {ragged_rank!r}")
        if rank is not None:
            if ragged_rank >= rank:
                raise ValueError(f"ragged_rank must be less than rank, got {ragged_rank}")
        self._ragged_rank = ragged_rank

    value_type = property(lambda self: RaggedTensor)
    shape = property(lambda self: self._shape)
    dtype = property(lambda self: self._dtype)
    ragged_rank = property(lambda self: self._ragged_rank)
    row_splits_dtype = property(lambda self: self._row_splits_dtype)
    flat_values_spec = property(lambda self: self._flat_values_spec)

    def _serialize(self) -> tuple:
        if self._flat_values_spec is None:
            return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype)
        return (self._shape, self._dtype, self._ragged_rank, self._row_splits_dtype,
                self._flat_values_spec)  # fmt: skip

    def __repr__(self) -> str:
        parts = [f"TensorShape({self._shape.as_list() if self._shape.rank is not None else None})",
                 f"tf.{self._dtype.name}", str(self._ragged_rank),
                 f"tf.{self._row_splits_dtype.name}"]  # fmt: skip
        if self._flat_values_spec is not None:
            parts.append(repr(self._flat_values_spec))
        return f"RaggedTensorSpec({', '.join(parts)})"

    @property
    def _component_specs(self):
        if self._ragged_rank == 0:
            return [TensorSpec(self._shape, self._dtype)]
        if self._flat_values_spec is not None:
            flat = self._flat_values_spec
        elif self._shape.rank is None:
            flat = TensorSpec(None, self._dtype)
        else:
            flat = TensorSpec([None] + self._shape.as_list()[self._ragged_rank + 1:], self._dtype)
        nrows = self._shape[0] if self._shape.rank else None
        outer = TensorSpec([None if nrows is None else nrows + 1], self._row_splits_dtype)
        inner = [TensorSpec([None], self._row_splits_dtype)] * (self._ragged_rank - 1)
        return [flat, outer] + inner

    def _to_components(self, value):
        if self._ragged_rank == 0 and isinstance(value, Tensor):
            return [value]
        if isinstance(value, RaggedTensor):
            if value.ragged_rank != self._ragged_rank:
                raise ValueError(
                    f"RaggedTensor with ragged_rank {value.ragged_rank} does not match spec "
                    f"ragged_rank {self._ragged_rank}"
                )
            return [value.flat_values] + list(value.nested_row_splits)
        raise TypeError(f"Expected a RaggedTensor, got {value!r}")

    def _from_components(self, components):
        flat, *splits = components
        if not splits:
            return flat
        return RaggedTensor.from_nested_row_splits(flat, splits, validate=False)

    def _batch(self, batch_size) -> "RaggedTensorSpec":
        return RaggedTensorSpec(TensorShape([batch_size]).concatenate(self._shape), self._dtype,
                                self._ragged_rank + 1, self._row_splits_dtype)  # fmt: skip

    def _unbatch(self) -> "RaggedTensorSpec":
        if self._shape.rank == 0:
            raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        return RaggedTensorSpec(self._shape[1:], self._dtype, self._ragged_rank - 1,
                                self._row_splits_dtype)  # fmt: skip

    def _stack_values(self, values: list):
        """`values` (of this spec) stacked along a new outer ragged dimension (tf.data)."""
        from tensorflux._src.ops import array_ops, manip_ops

        dt = self._row_splits_dtype
        if self._ragged_rank == 0:
            rows = [v if isinstance(v, Tensor) else convert_to_tensor(v) for v in values]
            lengths = [array_ops.shape(v, out_type=dt)[0] for v in rows]
            if not rows:
                empty = array_ops.zeros([0] + self._shape.as_list()[1:], self._dtype)
                return RaggedTensor.from_row_lengths(empty, array_ops.zeros([0], dt))
            return RaggedTensor.from_row_lengths(manip_ops.concat(rows, 0),
                                                 array_ops.stack(lengths), validate=False)
        from tensorflux._src.ragged.ragged_array_ops import stack

        if len(values) == 1:
            v = values[0]
            splits = array_ops.stack([array_ops.zeros([], dt), v.nrows()])
            return RaggedTensor.from_row_splits(v, splits, validate=False)
        return stack(values, 0)

    def _unstack_value(self, value) -> list:
        """The rows of a batched value (tf.data unbatch / from_tensor_slices)."""
        n = int(value.nrows().numpy())
        return [value[i] for i in range(n)]

    @classmethod
    def from_value(cls, value) -> "RaggedTensorSpec":
        """The spec describing a RaggedTensor."""
        return cls(value.shape, value.dtype, value.ragged_rank, value.row_splits.dtype)


__all__ = ["RaggedTensorSpec"]
