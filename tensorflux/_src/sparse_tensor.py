"""`tf.sparse.SparseTensor` and `tf.SparseTensorSpec`.

A SparseTensor is three tensors: `indices` (int64, `[N, rank]`), `values` (`[N]`) and
`dense_shape` (int64, `[rank]`). It is a composite tensor: its `SparseTensorSpec` (dense shape and
dtype) takes it apart into those three and rebuilds it, which is all tf.nest, tf.function and
tf.data need. The ops on it live in `ops/sparse_ops.py`, which also installs the operators
TensorFlow defines (`*`, `/` with a dense tensor).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.ops._util import static_shape_of
from tensorflux._src.tensor import Tensor, convert_to_tensor, register_tensor_conversion_function
from tensorflux._src.tensor_spec import TensorSpec
from tensorflux._src.type_spec import BatchableTypeSpec


def _rank_error(shape, rank):
    return ValueError(f"Shape {shape} must have rank {rank}")


class SparseTensor:
    """A tensor stored as its non-default entries: coordinates, values and the dense shape.

    `dense[indices[i]] = values[i]`; every other entry holds zero (or the `default_value` given
    to `tf.sparse.to_dense`). Most ops expect `indices` in row-major order with no repeats;
    `tf.sparse.reorder` sorts them.

    Args:
      indices: a 2-D int64 tensor `[N, rank]` of coordinates.
      values: a 1-D tensor `[N]` of any dtype.
      dense_shape: a 1-D int64 tensor `[rank]`, the shape of the dense tensor.

    Raises:
      ValueError: if the ranks or sizes of the three tensors disagree.
      TypeError: if `indices` or `dense_shape` cannot be converted to int64.
    """

    _is_composite_tensor = True
    _is_sparse_tensor = True

    def __init__(self, indices, values, dense_shape):
        indices = convert_to_tensor(indices, dtype=dtypes.int64, name="indices")
        if isinstance(values, Tensor):
            pass
        elif getattr(values, "_is_variable", False):
            values = values.read_value()
        else:
            values = convert_to_tensor(values, name="values")
        dense_shape = convert_to_tensor(dense_shape, dtype=dtypes.int64, name="dense_shape")
        ishape, vshape, dshape = indices.shape, values.shape, dense_shape.shape
        if ishape.rank is not None and ishape.rank != 2:
            raise _rank_error(ishape, 2)
        if vshape.rank is not None and vshape.rank != 1:
            raise _rank_error(vshape, 1)
        if dshape.rank is not None and dshape.rank != 1:
            raise _rank_error(dshape, 1)
        _merge_dim(ishape, 0, vshape, 0)
        _merge_dim(ishape, 1, dshape, 0)
        self._indices = indices
        self._values = values
        self._dense_shape = dense_shape
        self._shape = static_shape_of(dense_shape)

    # --- construction ---------------------------------------------------------------------------

    @classmethod
    def from_value(cls, sparse_tensor_value):
        """A SparseTensor with the same three components as `sparse_tensor_value`."""
        v = sparse_tensor_value
        if not getattr(v, "_is_sparse_tensor", False) and not all(
            hasattr(v, a) for a in ("indices", "values", "dense_shape")
        ):
            raise TypeError(f"Neither a SparseTensor nor SparseTensorValue: {v}.")
        return cls(v.indices, v.values, v.dense_shape)

    def with_values(self, new_values) -> "SparseTensor":
        """A SparseTensor with the same indices and dense shape, holding `new_values` instead.

        Args:
          new_values: a 1-D tensor with as many entries as `values` (any dtype).

        Returns:
          A SparseTensor.
        """
        out = SparseTensor(self._indices, new_values, self._dense_shape)
        out._shape = self._shape
        return out

    # --- properties -----------------------------------------------------------------------------

    @property
    def indices(self) -> Tensor:
        """The int64 `[N, rank]` coordinates of the stored entries."""
        return self._indices

    @property
    def values(self) -> Tensor:
        """The `[N]` stored entries."""
        return self._values

    @property
    def dense_shape(self) -> Tensor:
        """The int64 `[rank]` shape of the dense tensor."""
        return self._dense_shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._values.dtype

    @property
    def shape(self) -> TensorShape:
        """The static shape of the dense tensor (None dims where it is not known)."""
        return self._shape

    def get_shape(self) -> TensorShape:
        return self._shape

    def set_shape(self, shape) -> None:
        """Narrows the static shape; ValueError if `shape` is incompatible with it."""
        self._shape = self._shape.merge_with(as_shape(shape))

    @property
    def op(self):
        return self._values.op

    @property
    def graph(self):
        return self._indices.graph

    @property
    def device(self):
        return self._values.device

    def consumers(self) -> list:
        return []

    @property
    def _type_spec(self) -> "SparseTensorSpec":
        return SparseTensorSpec(self._shape, self._values.dtype)

    def __str__(self) -> str:
        return (
            f"SparseTensor(indices={self._indices!s}, values={self._values!s}, "
            f"dense_shape={self._dense_shape!s})"
        )

    __repr__ = __str__


def _merge_dim(a: TensorShape, i: int, b: TensorShape, j: int) -> None:
    if a.rank is None or b.rank is None:
        return
    x, y = a[i], b[j]
    if x is not None and y is not None and x != y:
        raise ValueError(f"Dimensions {x} and {y} are not compatible")


class SparseTensorSpec(BatchableTypeSpec):
    """Describes a `tf.sparse.SparseTensor` by its dense shape and dtype.

    Args:
      shape: the dense shape (None dims and None rank allowed).
      dtype: the values' dtype (default float32).
    """

    __slots__ = ("_shape", "_dtype")

    def __init__(self, shape=None, dtype=dtypes.float32):
        self._shape = as_shape(shape)
        self._dtype = dtypes.as_dtype(dtype)

    @property
    def value_type(self):
        return SparseTensor

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    def _serialize(self) -> tuple:
        return (self._shape, self._dtype)

    @property
    def _component_specs(self):
        rank = self._shape.rank
        return [
            TensorSpec([None, rank], dtypes.int64),
            TensorSpec([None], self._dtype),
            TensorSpec([rank], dtypes.int64),
        ]

    def _to_components(self, value):
        if isinstance(value, SparseTensor):
            return [value.indices, value.values, value.dense_shape]
        raise TypeError(f"Expected a SparseTensor, got {value!r}")

    def _from_components(self, components):
        indices, values, dense_shape = components
        out = SparseTensor(indices, values, dense_shape)
        if self._shape.rank is not None:
            out._shape = out._shape.merge_with(self._shape)
        return out

    def _batch(self, batch_size) -> "SparseTensorSpec":
        return SparseTensorSpec(TensorShape([batch_size]).concatenate(self._shape), self._dtype)

    def _unbatch(self) -> "SparseTensorSpec":
        if self._shape.rank == 0:
            raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        return SparseTensorSpec(self._shape[1:], self._dtype)

    def _stack_values(self, values: list) -> SparseTensor:
        # Each value's indices get its position in front; the dense shape is the largest seen.
        idx, vals, shapes = [], [], []
        for i, v in enumerate(values):
            ind = v.indices._numpy()
            idx.append(np.concatenate([np.full((len(ind), 1), i, np.int64), ind], axis=1))
            vals.append(v.values._numpy())
            shapes.append(v.dense_shape._numpy())
        rank = len(shapes[0]) if shapes else (self._shape.rank or 0)
        if any(len(s) != rank for s in shapes):
            raise errors.InvalidArgumentError(
                None, None, "Cannot batch SparseTensors of different ranks"
            )
        top = np.max(np.stack(shapes), axis=0) if shapes else np.zeros(rank, np.int64)
        return SparseTensor(
            np.concatenate(idx) if idx else np.zeros((0, rank + 1), np.int64),
            _as_values(np.concatenate(vals) if vals else np.zeros(0), self._dtype),
            np.concatenate([[len(values)], top]).astype(np.int64),
        )

    def _unstack_value(self, value) -> list:
        ind, vals = value.indices._numpy(), value.values._numpy()
        shape = value.dense_shape._numpy()
        out = []
        for i in range(int(shape[0])):
            rows = ind[:, 0] == i
            out.append(SparseTensor(ind[rows, 1:], _as_values(vals[rows], self._dtype),
                                    shape[1:]))  # fmt: skip
        return out

    @classmethod
    def from_value(cls, value) -> "SparseTensorSpec":
        """The spec of a SparseTensor."""
        return cls(value.shape, value.dtype)


def _as_values(array, dtype):
    return convert_to_tensor(np.asarray(array, dtype=dtype.as_numpy_dtype), dtype=dtype)


def _refuse_conversion(value, dtype=None, name=None, as_ref=False):
    raise ValueError(
        f"Attempt to convert a value ({value}) with an unsupported type ({type(value)}) to a "
        "Tensor."
    )


# As in TensorFlow, a SparseTensor never silently densifies: use tf.sparse.to_dense.
register_tensor_conversion_function(SparseTensor, _refuse_conversion)

__all__ = ["SparseTensor", "SparseTensorSpec"]
