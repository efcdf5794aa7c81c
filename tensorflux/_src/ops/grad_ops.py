"""The few ops the tape itself needs (seeding, accumulating, stacking jacobians), in one place."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.ops.array_ops import ones_like, reshape, stack, zeros, zeros_like  # noqa: F401
from tensorflux._src.ops.math_ops import add_n  # noqa: F401
from tensorflux._src.tensor import constant, convert_to_tensor  # noqa: F401


def size_py(t) -> int:
    return t.shape.num_elements()


def one_hot_py(i: int, n: int, dtype) -> object:
    v = np.zeros([n], dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    v[i] = 1
    return constant(v)


def tile_one_hot_py(i: int, n: int, batch: int, dtype) -> object:
    v = np.zeros([batch, n], dtype=dtypes.as_dtype(dtype).as_numpy_dtype)
    v[:, i] = 1
    return constant(v)


def concat_indexed_slices(pieces):
    from tensorflux._src.ops import indexed_slices

    return indexed_slices.concat(pieces)
