"""Harness rows for the sparse kernel (SparseToDense, behind `tf.sparse.to_dense`).

Every other tf.sparse function is a composite of dense ops; tests/sparse checks them.
"""

import itertools

import numpy as np

import tensorflux as tf
from tensorflux._src.ops.sparse_cross import SparseCrossHashed, SparseCrossV2, _fingerprint_cat64
from tensorflux._src.ops.sparse_ops import SparseToDense
from tests.ops.harness import BOOL, FLOAT32_64, INT32_64, OpInfo, Sample, make


def _to_dense(indices, shape, values, default):
    return SparseToDense(indices, shape, values, default)


def _to_dense_ref(indices, shape, values, default):
    out = np.full([int(d) for d in shape], default, dtype=values.dtype)
    if len(indices):
        out[tuple(indices.T)] = values
    return out


def _to_dense_samples(rng, dtype):
    def sample(shape, n):
        flat = np.sort(rng.choice(int(np.prod(shape)), size=n, replace=False))
        idx = np.stack(np.unravel_index(flat, shape), axis=1).astype(np.int64)
        shp = list(shape)  # a constant, so traced static shapes are known
        return Sample([idx, shp, make(rng, (n,), dtype), make(rng, (), dtype)])

    return [sample((3, 4), 5), sample((6,), 2), sample((2, 3, 2), 4), sample((2, 2), 0)]


def _cross(indices, values, shape, dense, sep):
    return SparseCrossV2(indices, values, shape, dense, sep, N=1)


def _text(v):
    return v if isinstance(v, bytes) else str(int(v)).encode()


def _cross_ref(indices, values, shape, dense, sep):
    sep = _text(sep.item() if isinstance(sep, np.ndarray) else sep)
    out_idx, out_vals, width = [], [], 0
    for r in range(int(shape[0])):
        sp = [_text(v) for i, v in zip(indices, values) if i[0] == r]
        combos = [sep.join(c) for c in itertools.product(sp, [_text(x) for x in dense[r]])]
        out_idx += [[r, k] for k in range(len(combos))]
        out_vals += combos
        width = max(width, len(combos))
    vals = np.empty(len(out_vals), dtype=object)
    vals[:] = out_vals
    idx = np.array(out_idx, dtype=np.int64).reshape(-1, 2)
    return idx, vals, np.array([int(shape[0]), width], dtype=np.int64)


def _cross_hashed(indices, values, shape, dense):
    return SparseCrossHashed(indices, values, shape, dense, N=1, num_buckets=97, hash_key=5)


def _cross_hashed_ref(indices, values, shape, dense):
    import farmhash

    def h(x):
        return farmhash.fingerprint64(x) if isinstance(x, bytes) else int(x) & (2**64 - 1)

    out_idx, out_vals, width = [], [], 0
    for r in range(int(shape[0])):
        sp = [v for i, v in zip(indices, values) if i[0] == r]
        combos = [
            _fingerprint_cat64(_fingerprint_cat64(5, h(a)), h(b)) % 97
            for a, b in itertools.product(sp, list(dense[r]))
        ]
        out_idx += [[r, k] for k in range(len(combos))]
        out_vals += combos
        width = max(width, len(combos))
    idx = np.array(out_idx, dtype=np.int64).reshape(-1, 2)
    return idx, np.array(out_vals, np.int64), np.array([int(shape[0]), width], dtype=np.int64)


def _cross_hashed_samples(rng, dtype):
    idx = np.array([[0, 0], [1, 0], [1, 1]], dtype=np.int64)
    shape = np.array([2, 2], dtype=np.int64)
    return [Sample([idx, make(rng, (3,), tf.string), shape, make(rng, (2, 3), dtype, -9, 9)])]


def _cross_samples(rng, dtype):
    idx = np.array([[0, 0], [0, 1], [2, 0]], dtype=np.int64)
    shape = np.array([3, 2], dtype=np.int64)
    dense = make(rng, (3, 2), dtype)
    return [
        Sample([idx, make(rng, (3,), tf.string), shape, dense, np.array(b"_X_", dtype=object)]),
        Sample([idx, make(rng, (3,), tf.string), shape, dense, np.array(b"-", dtype=object)]),
    ]


OPS = [
    OpInfo(
        "sparse.to_dense",
        _to_dense,
        _to_dense_ref,
        FLOAT32_64 + INT32_64 + BOOL,
        samples=_to_dense_samples,
        grad_argnums=(2, 3),
        grad2=True,
    ),
    OpInfo(
        "sparse.cross",
        _cross,
        _cross_ref,
        (tf.string, tf.int64),
        samples=_cross_samples,
        result_dtype=lambda dt: tf.int64,
        grad=False,
        unknown_dims=False,
        data_dependent_shape=True,
    ),
    OpInfo(
        "sparse.cross_hashed",
        _cross_hashed,
        _cross_hashed_ref,
        (tf.string, tf.int64),
        samples=_cross_hashed_samples,
        result_dtype=lambda dt: tf.int64,
        grad=False,
        unknown_dims=False,
        data_dependent_shape=True,
    ),
]
