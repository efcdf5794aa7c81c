"""`tf.sparse.cross` / `cross_hashed`: per-row cartesian products of features (SparseCrossV2,
SparseCrossHashed).

Feature crossing is string work on the host, so each is one kernel: for each row (batch entry) it
takes every combination of one value from each input — SparseTensor inputs first, then dense ones,
the first input varying slowest — and joins the values with the separator, or hashes them as
TensorFlow does (FarmHash Fingerprint64 of strings, chained with FingerprintCat64).
"""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.sparse_tensor import SparseTensor
from tensorflux._src.tensor import convert_to_tensor

_FEATURE_DTYPES = (dtypes.string, dtypes.int64, dtypes.int32)


def _cross_dtype(dts, attrs):
    n = attrs.get("N", 0)
    feats = list(dts[n : 2 * n]) + list(dts[3 * n : -1])
    for dt in feats:
        if dt not in _FEATURE_DTYPES:
            raise TypeError(f"tf.sparse.cross inputs must be string or int64, got {dt.name}")
    return [dtypes.int64, dtypes.string, dtypes.int64]


def _cross_shape(inputs, attrs):
    return [TensorShape([None, 2]), TensorShape([None]), TensorShape([2])]


def _hashed_dtype(dts, attrs):
    _cross_dtype(list(dts) + [dtypes.string], attrs)
    return [dtypes.int64, dtypes.int64, dtypes.int64]


SparseCrossV2 = defop("SparseCrossV2", infer=Rule(_cross_dtype, _cross_shape), num_outputs=3)
SparseCrossHashed = defop(
    "SparseCrossHashed", infer=Rule(_hashed_dtype, _cross_shape), num_outputs=3
)
not_differentiable(SparseCrossV2, SparseCrossHashed)


def _host(a) -> np.ndarray:
    return a.get() if hasattr(a, "get") else np.asarray(a)


def _text(v) -> bytes:
    return v if isinstance(v, bytes) else str(int(v)).encode()


def _features(arrays, n):
    """Per row, the list of each feature's values (sparse inputs first, then dense)."""
    idx, vals, shapes = arrays[:n], arrays[n : 2 * n], arrays[2 * n : 3 * n]
    dense = arrays[3 * n :]
    batch = int(shapes[0][0]) if n else int(dense[0].shape[0])
    per_row: list = [[] for _ in range(batch)]
    for i, v in zip(idx, vals):
        rows = [[] for _ in range(batch)]
        for r, x in zip(i[:, 0], v):
            rows[int(r)].append(x)
        for r in range(batch):
            per_row[r].append(rows[r])
    for d in dense:
        for r in range(batch):
            per_row[r].append(list(d[r]))
    return per_row


def _crossed(per_row, combine, out_dtype):
    out_idx, out_vals, width = [], [], 0
    for r, feats in enumerate(per_row):
        crossed = [combine(c) for c in itertools.product(*feats)] if feats else []
        out_idx += [[r, k] for k in range(len(crossed))]
        out_vals += crossed
        width = max(width, len(crossed))
    indices = np.array(out_idx, dtype=np.int64).reshape(-1, 2)
    values = np.empty(len(out_vals), dtype=out_dtype)
    values[:] = out_vals
    return [indices, values, np.array([len(per_row), width], dtype=np.int64)]


@SparseCrossV2.kernel
def _(xp, *args, N=0):
    arrays = [_host(a) for a in args]
    sep = _text(arrays[-1].item() if arrays[-1].ndim == 0 else arrays[-1].reshape(-1)[0])
    per_row = _features(arrays[:-1], N)
    return _crossed(per_row, lambda c: sep.join(_text(x) for x in c), object)


_M64 = (1 << 64) - 1
_KMUL = 0xC6A4A7935BD1E995


def _shift_mix(v: int) -> int:
    return v ^ (v >> 47)


def _fingerprint_cat64(fp1: int, fp2: int) -> int:
    """TensorFlow's FingerprintCat64: combines two 64-bit fingerprints (order matters)."""
    r = fp1 ^ _KMUL
    r ^= (_shift_mix((fp2 * _KMUL) & _M64) * _KMUL) & _M64
    r = (r * _KMUL) & _M64
    r = (_shift_mix(r) * _KMUL) & _M64
    return _shift_mix(r)


@SparseCrossHashed.kernel
def _(xp, *args, N=0, num_buckets=0, hash_key=0):
    import farmhash  # required dependency, imported on first use

    def feature_hash(x):
        if isinstance(x, (bytes, str)):
            return farmhash.fingerprint64(x)
        return int(x) & _M64

    buckets = int(num_buckets) if num_buckets else (1 << 63) - 1

    def combine(c):
        h = int(hash_key) & _M64
        for x in c:
            h = _fingerprint_cat64(h, feature_hash(x))
        return h % buckets

    per_row = _features([_host(a) for a in args], N)
    return _crossed(per_row, combine, np.int64)


def cross(inputs, name=None, separator=None) -> SparseTensor:
    """Crosses string or integer features: every per-row combination, joined into one string.

    SparseTensor inputs come first in each combination, then dense ones, each group in the order
    given; the first feature varies slowest.

    Args:
      inputs: a list of rank-2 SparseTensors and dense tensors (string or int64) with the same
        number of rows.
      name: optional name for the operation.
      separator: the string between crossed values (default "_X_").

    Returns:
      A string SparseTensor of shape `[rows, max combinations per row]`.

    Raises:
      TypeError: if `inputs` is not a list, or a feature has another dtype.
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("Inputs must be a list")
    sparse = [x for x in inputs if isinstance(x, SparseTensor)]
    dense = [convert_to_tensor(x) for x in inputs if not isinstance(x, SparseTensor)]
    sep = convert_to_tensor("_X_" if separator is None else separator, dtype=dtypes.string)
    args = (
        [s.indices for s in sparse] + [s.values for s in sparse]
        + [s.dense_shape for s in sparse] + dense + [sep]
    )  # fmt: skip
    indices, values, shape = SparseCrossV2(*args, N=len(sparse), name=name)
    return SparseTensor(indices, values, shape)


_DEFAULT_HASH_KEY = 0xDECAFCAFFE


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None) -> SparseTensor:
    """Crosses features like `tf.sparse.cross`, giving each combination's hash instead.

    A combination's hash chains the features' 64-bit fingerprints (FarmHash Fingerprint64 for
    strings, the value for integers) from `hash_key` with FingerprintCat64, so bucket numbers
    equal TensorFlow's.

    Args:
      inputs: a list of rank-2 SparseTensors and dense tensors (string or int64).
      num_buckets: the number of hash buckets; 0 keeps the (non-negative) hash itself.
      hash_key: the starting key of the hash chain (TensorFlow's default when None).
      name: optional name for the operation.

    Returns:
      An int64 SparseTensor of shape `[rows, max combinations per row]`.

    Raises:
      TypeError: if `inputs` is not a list, or a feature has another dtype.
    """
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("Inputs must be a list")
    sparse = [x for x in inputs if isinstance(x, SparseTensor)]
    dense = [convert_to_tensor(x) for x in inputs if not isinstance(x, SparseTensor)]
    args = (
        [s.indices for s in sparse] + [s.values for s in sparse]
        + [s.dense_shape for s in sparse] + dense
    )  # fmt: skip
    key = _DEFAULT_HASH_KEY if hash_key is None else int(hash_key)
    indices, values, shape = SparseCrossHashed(
        *args, N=len(sparse), num_buckets=int(num_buckets), hash_key=key, name=name
    )
    return SparseTensor(indices, values, shape)


__all__ = ["SparseCrossV2", "SparseCrossHashed", "cross", "cross_hashed"]
