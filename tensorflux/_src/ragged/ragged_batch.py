"""`Dataset.ragged_batch`: batching elements of different shapes into RaggedTensors.

Each dense component of rank >= 1 is relabelled as a RaggedTensorSpec (rank-1 tensors as
ragged_rank 0, higher ranks turned into RaggedTensors with every inner dimension ragged), so that
the ordinary batch transformation stacks them through `RaggedTensorSpec._stack_values`.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes, nest
from tensorflux._src.data.dataset import UnaryDataset
from tensorflux._src.ragged.ragged_spec import RaggedTensorSpec
from tensorflux._src.ragged.ragged_tensor import RaggedTensor
from tensorflux._src.tensor_spec import TensorSpec


def _ragged_spec(s, splits_dtype):
    if isinstance(s, TensorSpec) and s.shape.rank:
        rank = s.shape.rank
        shape = [s.shape[0]] + [None] * (rank - 1)
        return RaggedTensorSpec(shape, s.dtype, rank - 1, splits_dtype)
    return s


class _RaggedElements(UnaryDataset):
    """The input's elements, with dense components of rank >= 2 made RaggedTensors."""

    def __init__(self, input_dataset, splits_dtype):
        super().__init__(input_dataset)
        self._splits_dtype = splits_dtype
        self._spec = nest.map_structure(lambda s: _ragged_spec(s, splits_dtype),
                                        input_dataset.element_spec)  # fmt: skip

    def _iter(self):
        dt = self._splits_dtype

        def convert(x):
            rank = getattr(x, "shape", None) is not None and x.shape.rank
            if not isinstance(x, RaggedTensor) and rank and rank >= 2:
                return RaggedTensor.from_tensor(x, ragged_rank=rank - 1, row_splits_dtype=dt)
            return x

        for element in self._input._iter():
            yield nest.map_structure(convert, element)


def ragged_batch(dataset, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64):
    from tensorflux._src.data import batching

    inner = _RaggedElements(dataset, dtypes.as_dtype(row_splits_dtype))
    return batching.BatchDataset(inner, batch_size, drop_remainder)


__all__ = ["ragged_batch"]
