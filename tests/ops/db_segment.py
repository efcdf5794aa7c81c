"""Harness rows for segment reductions, bincount, confusion_matrix and in_top_k."""

import numpy as np

import tensorflux as tf
from tests.ops.harness import FLOAT, FLOAT32_64, OpInfo, Sample, make

I32, I64 = tf.int32, tf.int64


def _seg_np(kind, data, ids, n, sorted_empty_zero):
    """Reference segment reduction with plain loops (negative ids dropped)."""
    ids = np.asarray(ids)
    tail = data.shape[ids.ndim :]
    rows = data.reshape((ids.size,) + tail)
    flat = ids.reshape(-1)
    out = []
    for s in range(n):
        sel = rows[flat == s]
        if sel.shape[0] == 0:
            if kind in ("sum", "mean") or sorted_empty_zero and kind in ("max", "min"):
                v = np.zeros(tail, data.dtype)
            elif kind == "prod":
                v = np.ones(tail, data.dtype)
            else:
                fi = np.finfo(data.dtype) if data.dtype.kind == "f" else np.iinfo(data.dtype)
                v = np.full(tail, fi.min if kind == "max" else fi.max, data.dtype)
        elif kind == "sum":
            v = sel.sum(0)
        elif kind == "prod":
            v = sel.prod(0)
        elif kind == "max":
            v = sel.max(0)
        elif kind == "min":
            v = sel.min(0)
        elif kind == "mean" and data.dtype.kind in "iu":
            v = np.trunc(sel.astype(np.int64).sum(0) / sel.shape[0])
        else:
            v = sel.sum(0) / sel.shape[0]
        out.append(np.asarray(v).astype(data.dtype))
    return np.stack(out) if out else np.zeros((0,) + tail, data.dtype)


def _sorted_ref(kind):
    def ref(data, ids):
        ids = np.asarray(ids)
        n = int(ids[-1]) + 1 if ids.size else 0
        return _seg_np(kind, data, ids, n, True)

    return ref


def _unsorted_ref(kind):
    def ref(data, ids, num_segments):
        return _seg_np(kind, data, ids, int(num_segments), False)

    return ref


def _sorted_samples(rng, dtype, lo=-2.0, hi=2.0):
    return [
        Sample([make(rng, (4,), dtype, lo, hi), np.array([0, 0, 2, 2], np.int32)]),
        Sample([make(rng, (5, 2), dtype, lo, hi), np.array([0, 1, 1, 1, 3], np.int64)]),
        Sample([make(rng, (3, 2, 2), dtype, lo, hi), np.array([1, 1, 2], np.int32)]),
        Sample([make(rng, (0, 2), dtype, lo, hi), np.zeros((0,), np.int32)]),
    ]


def _prod_samples(rng, dtype):
    zeros = np.array([0.0, 2.0, 0.0, 0.0, 3.0, 1.5, 0.0]).astype(dtype.as_numpy_dtype)
    return _sorted_samples(rng, dtype, 0.5, 1.5) + [
        Sample([zeros, np.array([0, 0, 1, 1, 2, 2, 2], np.int32)]),
    ]


def _ties(dtype):
    return np.array([1, 3, 3, 2, 2]).astype(dtype.as_numpy_dtype)


def _extremum_samples(rng, dtype):
    return _sorted_samples(rng, dtype) + [
        Sample([_ties(dtype), np.array([0, 0, 0, 1, 1], np.int32)], grad=False),
    ]


def _unsorted_samples(rng, dtype, lo=-2.0, hi=2.0):
    return [
        Sample([make(rng, (4,), dtype, lo, hi), np.array([2, -1, 0, 2], np.int32), 4]),
        Sample([make(rng, (4, 2), dtype, lo, hi), np.array([1, 0, 1, 1], np.int64), 3]),
        Sample(
            [make(rng, (2, 3, 2), dtype, lo, hi), np.array([[0, 2, 2], [-1, 0, 1]], np.int32), 3]
        ),
        Sample([make(rng, (0,), dtype, lo, hi), np.zeros((0,), np.int32), 2]),
        Sample([make(rng, (3,), dtype, lo, hi), np.array([0, 0, 0], np.int32), 1]),
    ]


def _unsorted_prod_samples(rng, dtype):
    zeros = np.array([0.0, 2.0, 0.0, 0.0, 3.0, 1.5, 0.0]).astype(dtype.as_numpy_dtype)
    return _unsorted_samples(rng, dtype, 0.5, 1.5) + [
        Sample([zeros, np.array([2, 2, 0, 0, 1, 1, -1], np.int32), 3]),
    ]


def _unsorted_extremum_samples(rng, dtype):
    return _unsorted_samples(rng, dtype) + [
        Sample([_ties(dtype), np.array([1, 1, 1, 0, 0], np.int32), 2], grad=False),
    ]


def _sqrt_n_ref(data, ids, num_segments):
    ids = np.asarray(ids)
    total = _seg_np("sum", data, ids, int(num_segments), False)
    counts = np.array([max((ids == s).sum(), 1) for s in range(int(num_segments))], np.float64)
    counts = counts.reshape((-1,) + (1,) * (data.ndim - ids.ndim))
    return (total / np.sqrt(counts)).astype(data.dtype)


def _mean_u_ref(data, ids, num_segments):
    ids = np.asarray(ids)
    total = _seg_np("sum", data, ids, int(num_segments), False)
    counts = np.array([max((ids == s).sum(), 1) for s in range(int(num_segments))], np.float64)
    counts = counts.reshape((-1,) + (1,) * (data.ndim - ids.ndim))
    out = total / counts
    return out if data.dtype.kind in "iu" else out.astype(data.dtype)


def _bincount_ref(
    arr, weights=None, minlength=None, maxlength=None, dtype=None, axis=None, binary_output=False
):
    def one(a, w):
        size = int(a.max()) + 1 if a.size else 0
        if minlength is not None:
            size = max(size, minlength)
        if maxlength is not None:
            size = min(size, maxlength)
        keep = a < size
        out = np.zeros(size, np.float64)
        np.add.at(out, a[keep], 1 if w is None else w[keep])
        return (out > 0).astype(np.float64) if binary_output else out

    want = weights.dtype if weights is not None else (dtype or tf.int32).as_numpy_dtype
    if axis is None:
        return one(arr.reshape(-1), None if weights is None else weights.reshape(-1)).astype(want)
    size = int(arr.max()) + 1 if arr.size else 0
    rows = [np.pad(r := one(a, None), (0, size - len(r))) for a in arr]
    return np.stack(rows).astype(want)


def _bincount_samples(rng, dtype):
    arr = rng.integers(0, 5, size=(6,)).astype(dtype.as_numpy_dtype)
    return [
        Sample([arr]),
        Sample([arr], {"weights": rng.uniform(0, 1, size=(6,)).astype(np.float32)}),
        Sample([arr], {"minlength": 8, "dtype": tf.float64}),
        Sample([arr], {"maxlength": 3}),
        Sample([arr], {"binary_output": True}),
        Sample([arr.reshape(2, 3)]),
        Sample([arr.reshape(2, 3)], {"axis": -1}),
        Sample([np.zeros((0,), dtype.as_numpy_dtype)]),
    ]


def _cm_ref(labels, predictions, num_classes=None, weights=None, dtype=None):
    labels, predictions = (
        np.asarray(labels).astype(np.int64),
        np.asarray(predictions).astype(np.int64),
    )
    n = num_classes if num_classes is not None else max(labels.max(), predictions.max()) + 1
    out = np.zeros((n, n), np.float64)
    np.add.at(out, (labels, predictions), 1 if weights is None else weights)
    return out.astype((dtype or tf.int32).as_numpy_dtype)


def _cm_samples(rng, dtype):
    labels = rng.integers(0, 4, size=(7,)).astype(dtype.as_numpy_dtype)
    preds = rng.integers(0, 4, size=(7,)).astype(dtype.as_numpy_dtype)
    return [
        Sample([labels, preds]),
        Sample([labels, preds], {"num_classes": 6}),
        Sample([labels, preds, None, np.arange(7.0)], {"dtype": tf.float32}),
    ]


def _itk_ref(targets, predictions, k):
    out = []
    for t, row in zip(targets, predictions):
        if not 0 <= t < row.size or not np.isfinite(row).all():
            out.append(False)
        else:
            out.append(bool((row > row[t]).sum() < k))
    return np.array(out, bool)


def _itk_samples(rng, dtype):
    p = np.array([[0.1, 0.5, 0.5, 0.2], [0.3, 0.1, np.nan, 0.3], [0.0, 0.0, 1.0, -1.0]], np.float32)
    t = np.array([1, 0, 3], dtype.as_numpy_dtype)
    return [
        Sample([t, p, 1]),
        Sample([t, p, 2]),
        Sample([np.array([5, -1, 2], dtype.as_numpy_dtype), p, 4]),
        Sample([t, p, 0]),
        Sample([t[:2], rng.random((2, 6)).astype(np.float32), 3]),
    ]


def _seg(name, fn, kind, dtypes, samples, grad2=False, sorted_=True):
    ref = _sorted_ref(kind) if sorted_ else _unsorted_ref(kind)
    # Sorted segment ops size their output from the last segment id's value.
    return OpInfo(name, fn, ref, dtypes, samples=samples, grad2=grad2, data_dependent_shape=sorted_)


SEG_T = FLOAT32_64 + (I32, I64, tf.complex128)
SEG_REAL = FLOAT + (I32, tf.uint8)
# Empty unsorted segments hold the dtype's lowest/highest value, which a float64 reference cannot
# express for half types (tests/ops/test_reductions.py checks those).
SEG_REAL_U = FLOAT32_64 + (I32, tf.uint8)

OPS = [
    _seg("math.segment_sum", tf.math.segment_sum, "sum", SEG_T, _sorted_samples, grad2=True),
    _seg(
        "math.segment_mean",
        tf.math.segment_mean,
        "mean",
        FLOAT32_64 + (I32,),
        _sorted_samples,
        grad2=True,
    ),
    _seg("math.segment_prod", tf.math.segment_prod, "prod", FLOAT32_64 + (I32,), _prod_samples),
    _seg("math.segment_max", tf.math.segment_max, "max", SEG_REAL, _extremum_samples),
    _seg("math.segment_min", tf.math.segment_min, "min", SEG_REAL, _extremum_samples),
    _seg(
        "math.unsorted_segment_sum",
        tf.math.unsorted_segment_sum,
        "sum",
        SEG_T,
        _unsorted_samples,
        grad2=True,
        sorted_=False,
    ),
    _seg(
        "math.unsorted_segment_prod",
        tf.math.unsorted_segment_prod,
        "prod",
        FLOAT32_64 + (I32,),
        _unsorted_prod_samples,
        sorted_=False,
    ),
    _seg(
        "math.unsorted_segment_max",
        tf.math.unsorted_segment_max,
        "max",
        SEG_REAL_U,
        _unsorted_extremum_samples,
        sorted_=False,
    ),
    _seg(
        "math.unsorted_segment_min",
        tf.math.unsorted_segment_min,
        "min",
        SEG_REAL_U,
        _unsorted_extremum_samples,
        sorted_=False,
    ),
    OpInfo(
        "math.unsorted_segment_mean",
        tf.math.unsorted_segment_mean,
        _mean_u_ref,
        FLOAT32_64 + (I32,),
        samples=_unsorted_samples,
        grad2=True,
        result_dtype=lambda d: tf.float64 if d is I32 else d,
    ),
    OpInfo(
        "math.unsorted_segment_sqrt_n",
        tf.math.unsorted_segment_sqrt_n,
        _sqrt_n_ref,
        FLOAT32_64,
        samples=_unsorted_samples,
        grad2=True,
    ),
    OpInfo(
        "math.bincount",
        tf.math.bincount,
        _bincount_ref,
        (I32, I64),
        samples=_bincount_samples,
        grad=False,
        data_dependent_shape=True,
    ),
    OpInfo(
        "math.confusion_matrix",
        tf.math.confusion_matrix,
        _cm_ref,
        (I32, I64),
        samples=_cm_samples,
        grad=False,
        data_dependent_shape=True,
    ),
    OpInfo(
        "math.in_top_k",
        tf.math.in_top_k,
        _itk_ref,
        (I32, I64),
        samples=_itk_samples,
        grad=False,
        result_dtype=lambda d: tf.bool,
    ),
]
