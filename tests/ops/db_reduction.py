"""Harness rows for reductions, scans and the reduction-like composites of tf.math."""

import warnings

import numpy as np

import tensorflux as tf
from tests.ops.harness import BOOL, COMPLEX, FLOAT, FLOAT32_64, OpInfo, Sample, make

I32, I64, U8 = tf.int32, tf.int64, tf.uint8


def _ax(axis):
    """A harness `axis` kwarg (int, list, array, tensor, None) as NumPy wants it."""
    if axis is None:
        return None
    a = np.asarray(axis).reshape(-1) if not isinstance(axis, int) else axis
    return axis if isinstance(axis, int) else tuple(int(v) for v in a)


def _np_reduce(fn):
    def ref(x, axis=None, keepdims=False):
        return fn(x, axis=_ax(axis), keepdims=keepdims)

    return ref


def _red_samples(rng, dtype, lo=-2.0, hi=2.0):
    return [
        Sample([make(rng, (2, 3), dtype, lo, hi)]),
        Sample([make(rng, (2, 3), dtype, lo, hi)], {"axis": 0}),
        Sample([make(rng, (2, 3, 4), dtype, lo, hi)], {"axis": [0, 2], "keepdims": True}),
        Sample([make(rng, (2, 3), dtype, lo, hi)], {"axis": -1}),
        Sample([make(rng, (2, 3, 2), dtype, lo, hi)], {"axis": np.array([-1, 0])}),
        Sample([make(rng, (3, 2), dtype, lo, hi)], {"axis": [], "keepdims": True}),
        Sample([make(rng, (), dtype, lo, hi)]),
        Sample([make(rng, (), dtype, lo, hi)], {"axis": [], "keepdims": True}),
        Sample([make(rng, (0, 3), dtype, lo, hi)], {"axis": 1}),
    ]


def _red_samples_with_empty(rng, dtype):
    return _red_samples(rng, dtype) + [
        Sample([make(rng, (0, 3), dtype)], {"axis": 0}, grad=False),
        Sample([make(rng, (2, 0), dtype)], {"keepdims": True}, grad=False),
    ]


def _mean_ref(x, axis=None, keepdims=False):
    if x.dtype.kind in "iu":
        s = np.sum(x.astype(np.int64), axis=_ax(axis), keepdims=keepdims)
        n = x.size // max(np.size(s), 1) if x.size else 0
        if n == 0:
            return np.zeros_like(s).astype(x.dtype)
        return np.trunc(s / n).astype(x.dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the mean of nothing is NaN
        return np.mean(x, axis=_ax(axis), keepdims=keepdims)


def _prod_samples(rng, dtype):
    zeros = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.5], [1.0, -2.0, 3.0]]).astype(
        dtype.as_numpy_dtype
    )
    return _red_samples(rng, dtype, 0.5, 1.5) + [
        Sample([zeros], {"axis": 1}),
        Sample([zeros], {"axis": [0, 1], "keepdims": True}),
        Sample([make(rng, (0, 3), dtype)], {"axis": 0}, grad=False),
    ]


def _extremum_samples(rng, dtype):
    ties = np.array([[1, 3, 3], [2, 2, 2]]).astype(dtype.as_numpy_dtype)
    return _red_samples_with_empty(rng, dtype) + [
        Sample([ties], {"axis": 1}, grad=False),
    ]


def _extremum_ref(fn, ident):
    def ref(x, axis=None, keepdims=False):
        ax = _ax(axis)
        if x.size == 0 or any(
            x.shape[a] == 0 for a in np.atleast_1d(ax if ax is not None else range(x.ndim))
        ):
            init = ident(x.dtype)
            return fn(x, axis=ax, keepdims=keepdims, initial=init)
        return fn(x, axis=ax, keepdims=keepdims)

    return ref


def _lowest(dt):
    return -np.inf if dt.kind == "f" else np.iinfo(dt).min


def _highest(dt):
    return np.inf if dt.kind == "f" else np.iinfo(dt).max


def _bool_samples(rng, dtype):
    return [
        Sample([rng.random((2, 3)) < 0.5]),
        Sample([rng.random((2, 3)) < 0.5], {"axis": 1, "keepdims": True}),
        Sample([rng.random((2, 3, 2)) < 0.5], {"axis": [-1, 0]}),
        Sample([np.array(True)]),
        Sample([np.zeros((0, 2), bool)], {"axis": 0}),
    ]


def _lse_ref(x, axis=None, keepdims=False):
    ax = _ax(axis)
    m = np.max(x, axis=ax, keepdims=True, initial=-np.inf)
    m = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):
        out = np.log(np.sum(np.exp(x - m), axis=ax, keepdims=True)) + m
    if not keepdims:
        out = np.squeeze(out, axis=ax if ax is not None else tuple(range(x.ndim)))
    return out


def _lse_samples(rng, dtype):
    big = np.array([[1000.0, 1000.0], [-np.inf, -np.inf], [-1000.0, 3.0]]).astype(
        dtype.as_numpy_dtype
    )
    return [s for s in _red_samples(rng, dtype) if s.args[0].size] + [
        Sample([big], {"axis": 1}, grad=False),
    ]


def _var_ref(x, axis=None, keepdims=False):
    return np.var(x, axis=_ax(axis), keepdims=keepdims)


def _std_ref(x, axis=None, keepdims=False):
    return np.std(x, axis=_ax(axis), keepdims=keepdims)


def _nothing_reduced(s):
    axis = s.kwargs.get("axis")
    return isinstance(axis, list) and not axis or s.args[0].ndim == 0


def _moment_samples(rng, dtype):
    # With nothing reduced the deviation is 0, where sqrt (and so std) has no derivative.
    return [
        s if not _nothing_reduced(s) else Sample(s.args, s.kwargs, grad=False)
        for s in _red_samples(rng, dtype)
        if s.args[0].size
    ]


def _norm_ref(x, axis=None, keepdims=False):
    ax = _ax(axis)
    if x.dtype.kind in "iu":
        s = np.sum(x.astype(np.float64) ** 2, axis=ax, keepdims=keepdims)
        return np.floor(np.sqrt(s)).astype(x.dtype)
    return np.sqrt(np.sum(np.abs(x) ** 2, axis=ax, keepdims=keepdims)).astype(x.dtype)


def _norm_samples(rng, dtype):
    return [s for s in _red_samples(rng, dtype, 0.5, 2.0) if s.args[0].size] + [
        Sample([make(rng, (0, 3), dtype)], {"axis": 0}, grad=False),
    ]


def _arg_samples(rng, dtype):
    ties = np.array([[1, 3, 3], [2, 2, 0]]).astype(dtype.as_numpy_dtype)
    return [
        Sample([make(rng, (4,), dtype, -5, 5)]),
        Sample([make(rng, (2, 3), dtype, -5, 5)], {"axis": 1}),
        Sample([make(rng, (2, 3, 2), dtype, -5, 5)], {"axis": -2, "output_type": tf.int32}),
        Sample([ties], {"axis": 1}),
        Sample([make(rng, (0, 3), dtype)], {"axis": 1}),
    ]


def _argmax_ref(x, axis=None, output_type=None):
    return np.argmax(x, axis=0 if axis is None else axis)


def _argmin_ref(x, axis=None, output_type=None):
    return np.argmin(x, axis=0 if axis is None else axis)


def _scan_ref(fn, ident):
    def ref(x, axis=0, exclusive=False, reverse=False):
        a = int(np.asarray(axis))
        y = np.flip(x, a) if reverse else x
        out = fn(y, axis=a)
        if exclusive:
            pad = np.full_like(np.take(out, [0], axis=a), ident)
            out = np.concatenate([pad, np.take(out, np.arange(out.shape[a] - 1), axis=a)], a)
        return np.flip(out, a) if reverse else out

    return ref


def _cumsum_np(x, axis):
    return np.cumsum(x, axis=axis, dtype=x.dtype)


def _cumprod_np(x, axis):
    return np.cumprod(x, axis=axis, dtype=x.dtype)


def _clse_np(x, axis):
    return np.logaddexp.accumulate(x, axis=axis)


def _scan_samples(rng, dtype, lo=-2.0, hi=2.0):
    return [
        Sample([make(rng, (4,), dtype, lo, hi)]),
        Sample([make(rng, (2, 3), dtype, lo, hi)], {"axis": 1, "exclusive": True}),
        Sample([make(rng, (2, 3), dtype, lo, hi)], {"axis": -1, "reverse": True}),
        Sample([make(rng, (3, 2), dtype, lo, hi)], {"exclusive": True, "reverse": True}),
        Sample([make(rng, (2, 2, 3), dtype, lo, hi)], {"axis": np.int32(-2)}),
        Sample([make(rng, (0, 3), dtype, lo, hi)], {"axis": 1}),
    ]


def _clse_samples(rng, dtype):
    # Exclusive scans start at -inf, where the tape and finite differences both give nan-free
    # but second-order-undefined values: keep them out of the gradient checks.
    return [
        s if not s.kwargs.get("exclusive") else Sample(s.args, s.kwargs, grad=False)
        for s in _scan_samples(rng, dtype)
    ]


def _cnz_ref(x, axis=None, keepdims=None, dtype=None):
    out = np.sum(x != np.zeros((), x.dtype), axis=_ax(axis), keepdims=bool(keepdims))
    return np.asarray(out).astype(np.int64 if dtype is None else dtype.as_numpy_dtype)


def _cnz_samples(rng, dtype):
    x = make(rng, (3, 4), dtype, -1, 2)
    return [
        Sample([x]),
        Sample([x], {"axis": 1}),
        Sample([x], {"axis": -1, "keepdims": True, "dtype": tf.int32}),
        Sample([make(rng, (), dtype, -1, 2)]),
    ]


def _l2_ref(x, axis=None, epsilon=1e-12, dim=None):
    axis = dim if axis is None else axis
    sq = np.sum(np.abs(x) ** 2, axis=_ax(axis), keepdims=True)
    return (x / np.sqrt(np.maximum(sq, epsilon))).astype(x.dtype)


def _l2_samples(rng, dtype):
    return [
        Sample([make(rng, (4,), dtype)]),
        Sample([make(rng, (2, 3), dtype)], {"axis": 1}),
        Sample([make(rng, (2, 3), dtype)], {"axis": [0, -1]}),
        Sample([make(rng, (2, 3), dtype)], {"dim": 0, "epsilon": 1e-3}),
        Sample([np.zeros((2,), dtype.as_numpy_dtype)], grad=False),
    ]


def _polyval(c0, c1, c2, x):
    return tf.math.polyval([c0, c1, c2], x)


def _polyval_ref(c0, c1, c2, x):
    return (c0 * x + c1) * x + c2


def _poly_samples(rng, dtype):
    return [
        Sample(
            [
                make(rng, (), dtype),
                make(rng, (), dtype),
                make(rng, (), dtype),
                make(rng, (3,), dtype),
            ]
        ),
        Sample(
            [
                make(rng, (3,), dtype),
                make(rng, (), dtype),
                make(rng, (2, 1), dtype),
                make(rng, (3,), dtype),
            ]
        ),
    ]


def _accumulate_n(a, b, c):
    return tf.math.accumulate_n([a, b, c])


def _acc_samples(rng, dtype):
    return [Sample([make(rng, s, dtype) for _ in range(3)]) for s in [(), (2, 3), (0,)]]


REAL_SMALL = FLOAT32_64 + (I32, I64)

OPS = [
    OpInfo(
        "math.reduce_mean",
        tf.reduce_mean,
        _mean_ref,
        FLOAT + (I32, I64, U8, tf.complex128),
        samples=_red_samples_with_empty,
        grad2=True,
    ),
    OpInfo(
        "math.reduce_prod",
        tf.reduce_prod,
        _np_reduce(np.prod),
        FLOAT32_64 + (I32, tf.complex128),
        samples=_prod_samples,
    ),
    OpInfo(
        "math.reduce_max",
        tf.reduce_max,
        _extremum_ref(np.max, _lowest),
        FLOAT + (I32, I64, U8),
        samples=_extremum_samples,
    ),
    OpInfo(
        "math.reduce_min",
        tf.reduce_min,
        _extremum_ref(np.min, _highest),
        FLOAT + (I32, I64, U8),
        samples=_extremum_samples,
    ),
    OpInfo(
        "math.reduce_all",
        tf.reduce_all,
        _np_reduce(np.all),
        BOOL,
        samples=_bool_samples,
        grad=False,
    ),
    OpInfo(
        "math.reduce_any",
        tf.reduce_any,
        _np_reduce(np.any),
        BOOL,
        samples=_bool_samples,
        grad=False,
    ),
    OpInfo(
        "math.reduce_logsumexp",
        tf.reduce_logsumexp,
        _lse_ref,
        FLOAT32_64,
        samples=_lse_samples,
        grad2=True,
    ),
    OpInfo(
        "math.reduce_variance",
        tf.math.reduce_variance,
        _var_ref,
        FLOAT32_64 + COMPLEX,
        samples=_moment_samples,
        grad2=True,
    ),
    OpInfo(
        "math.reduce_std",
        tf.math.reduce_std,
        _std_ref,
        FLOAT32_64 + COMPLEX,
        samples=_moment_samples,
        grad2=True,
    ),
    OpInfo(
        "math.reduce_euclidean_norm",
        tf.math.reduce_euclidean_norm,
        _norm_ref,
        FLOAT32_64 + (I32, tf.complex128),
        samples=_norm_samples,
        grad2=True,
    ),
    OpInfo(
        "math.argmax",
        tf.math.argmax,
        _argmax_ref,
        REAL_SMALL + (U8, tf.float16),
        samples=_arg_samples,
        grad=False,
    ),
    OpInfo(
        "math.argmin",
        tf.math.argmin,
        _argmin_ref,
        REAL_SMALL + (U8,),
        samples=_arg_samples,
        grad=False,
    ),
    OpInfo(
        "math.cumsum",
        tf.math.cumsum,
        _scan_ref(_cumsum_np, 0),
        FLOAT + (I32, I64, tf.complex128),
        samples=_scan_samples,
        grad2=True,
    ),
    OpInfo(
        "math.cumprod",
        tf.math.cumprod,
        _scan_ref(_cumprod_np, 1),
        FLOAT32_64 + (I32, tf.complex128),
        samples=lambda rng, dt: _scan_samples(rng, dt, 0.5, 2.0),
        grad2=True,
    ),
    OpInfo(
        "math.cumulative_logsumexp",
        tf.math.cumulative_logsumexp,
        _scan_ref(_clse_np, -np.inf),
        FLOAT,
        samples=_clse_samples,
        grad2=True,
    ),
    OpInfo(
        "math.count_nonzero",
        tf.math.count_nonzero,
        _cnz_ref,
        (tf.float32, I32, tf.bool),
        samples=_cnz_samples,
        grad=False,
    ),
    OpInfo(
        "math.l2_normalize",
        tf.math.l2_normalize,
        _l2_ref,
        FLOAT32_64 + (tf.complex128,),
        samples=_l2_samples,
        grad2=True,
    ),
    OpInfo(
        "math.polyval",
        _polyval,
        _polyval_ref,
        FLOAT32_64 + (I32,),
        samples=_poly_samples,
        grad2=True,
    ),
    OpInfo(
        "math.accumulate_n",
        _accumulate_n,
        lambda a, b, c: a + b + c,
        FLOAT32_64 + (I32,),
        samples=_acc_samples,
        grad2=True,
    ),
]
