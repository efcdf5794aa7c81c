"""Harness rows for the tf.sets kernels (DenseToDense/DenseToSparse/SparseToSparseSetOperation,
SetSize). The references build each group's set with NumPy; tests/sets checks TensorFlow's values."""

import numpy as np

import tensorflux as tf
from tensorflux._src.ops.set_ops import (
    DenseToDenseSetOperation,
    DenseToSparseSetOperation,
    SetSize,
    SparseToSparseSetOperation,
)
from tests.ops.harness import OpInfo, Sample, make

_TYPES = (tf.int8, tf.int32, tf.int64, tf.uint8, tf.uint16, tf.string)
_FNS = {
    "union": np.union1d,
    "intersection": np.intersect1d,
    "a-b": np.setdiff1d,
    "b-a": lambda a, b: np.setdiff1d(b, a),
}


def _groups_dense(x):
    return {i: x[i] for i in np.ndindex(*x.shape[:-1])}


def _groups_sparse(idx, vals, shape):
    out = {i: vals[:0] for i in np.ndindex(*[int(d) for d in shape[:-1]])}
    for row, v in zip(idx, vals):
        key = tuple(int(d) for d in row[:-1])
        out[key] = np.append(out[key], v).astype(vals.dtype)
    return out


def _ref(g1, g2, gshape, op, dtype):
    idx, vals, width = [], [], 0
    for key in np.ndindex(*gshape):
        r = _FNS[op](g1[key], g2[key])
        width = max(width, len(r))
        idx += [list(key) + [j] for j in range(len(r))]
        vals += list(r)
    out = np.empty(len(vals), dtype=dtype)
    out[:] = vals
    rank = len(gshape) + 1
    shape = np.array(list(gshape) + [width], dtype=np.int64)
    return np.array(idx, dtype=np.int64).reshape(-1, rank), out, shape


def _sparse(rng, dtype, shape, n):
    flat = np.sort(rng.choice(int(np.prod(shape)), size=n, replace=False))
    idx = np.stack(np.unravel_index(flat, shape), axis=1).astype(np.int64)
    return idx, make(rng, (n,), dtype, 0, 4), np.array(shape, dtype=np.int64)


def _d2d(a, b, op):
    return DenseToDenseSetOperation(a, b, set_operation=op)


def _d2d_ref(a, b, op):
    return _ref(_groups_dense(a), _groups_dense(b), a.shape[:-1], op, a.dtype)


def _d2d_samples(rng, dtype):
    out = []
    for op, (s1, s2) in zip(_FNS, [((2, 4), (2, 3)), ((3, 2, 3), (3, 2, 2)), ((2, 3), (2, 0)),
                                   ((1, 5), (1, 5))]):  # fmt: skip
        a, b = make(rng, s1, dtype, 0, 4), make(rng, s2, dtype, 0, 4)
        out.append(Sample([a, b], {"op": op}))
    return out


def _d2s(a, i, v, s, op):
    return DenseToSparseSetOperation(a, i, v, s, set_operation=op)


def _d2s_ref(a, i, v, s, op):
    return _ref(_groups_dense(a), _groups_sparse(i, v, s), a.shape[:-1], op, a.dtype)


def _d2s_samples(rng, dtype):
    return [
        Sample([make(rng, (3, 2), dtype, 0, 4), *_sparse(rng, dtype, (3, 4), 5)], {"op": op})
        for op in _FNS
    ]


def _s2s(i1, v1, s1, i2, v2, s2, op):
    return SparseToSparseSetOperation(i1, v1, s1, i2, v2, s2, set_operation=op)


def _s2s_ref(i1, v1, s1, i2, v2, s2, op):
    g1, g2 = _groups_sparse(i1, v1, s1), _groups_sparse(i2, v2, s2)
    return _ref(g1, g2, tuple(int(d) for d in s1[:-1]), op, v1.dtype)


def _s2s_samples(rng, dtype):
    return [
        Sample([*_sparse(rng, dtype, (2, 2, 3), 6), *_sparse(rng, dtype, (2, 2, 4), 4)], {"op": op})
        for op in _FNS
    ]


def _size(i, v, s):
    return SetSize(i, v, s)


def _size_ref(i, v, s):
    g = _groups_sparse(i, v, s)
    out = np.zeros([int(d) for d in s[:-1]], dtype=np.int32)
    for k, vals in g.items():
        out[k] = len(set(vals.tolist()))
    return out


def _size_samples(rng, dtype):
    return [Sample(list(_sparse(rng, dtype, shape, n))) for shape, n in
            [((3, 4), 7), ((2, 2, 5), 6), ((2, 3), 0)]]  # fmt: skip


_COMMON = dict(grad=False, unknown_dims=False, data_dependent_shape=True, noncontiguous=False)

OPS = [
    OpInfo("sets.dense_to_dense", _d2d, _d2d_ref, _TYPES, samples=_d2d_samples, **_COMMON),
    OpInfo("sets.dense_to_sparse", _d2s, _d2s_ref, _TYPES, samples=_d2s_samples, **_COMMON),
    OpInfo("sets.sparse_to_sparse", _s2s, _s2s_ref, _TYPES, samples=_s2s_samples, **_COMMON),
    OpInfo(
        "sets.size",
        _size,
        _size_ref,
        _TYPES,
        samples=_size_samples,
        result_dtype=lambda dt: tf.int32,
        **_COMMON,
    ),  # fmt: skip
]
