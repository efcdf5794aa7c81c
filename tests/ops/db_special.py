"""Harness rows for the special functions (references from scipy.special)."""

import numpy as np
import scipy.special as sp

import tensorflux as tf
from tests.ops.harness import FLOAT, FLOAT32_64, OpInfo, Sample, make

S = tf.math.special
# Special functions computed in float32 and rounded: half precision needs a looser check.
LOOSE = {tf.float16: (2e-2, 2e-2), tf.bfloat16: (6e-2, 6e-2), tf.float32: (2e-5, 2e-6)}


def _pairs(a_range, x_range):
    def samples(rng, dtype):
        out = []
        for sa, sx in [((), ()), ((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((0,), ())]:
            out.append(Sample([make(rng, sa, dtype, *a_range), make(rng, sx, dtype, *x_range)]))
        return out

    return samples


def _betainc_samples(rng, dtype):
    return [
        Sample(
            [
                make(rng, (3,), dtype, 0.5, 3),
                make(rng, (3,), dtype, 0.5, 3),
                make(rng, (3,), dtype, 0.05, 0.95),
            ]
        ),
        Sample(
            [
                make(rng, (2, 3), dtype, 0.5, 3),
                make(rng, (2, 3), dtype, 0.5, 3),
                make(rng, (2, 3), dtype, 0.05, 0.95),
            ]
        ),
        Sample(
            [
                make(rng, (), dtype, 0.5, 3),
                make(rng, (), dtype, 0.5, 3),
                make(rng, (), dtype, 0.05, 0.95),
            ]
        ),
    ]


def _polygamma_samples(rng, dtype):
    n = np.array([0, 1, 2, 3]).astype(dtype.as_numpy_dtype)
    return [
        Sample([n, make(rng, (4,), dtype, 0.5, 3)]),
        Sample([n[:, None], make(rng, (3,), dtype, 0.5, 3)]),
        Sample([np.array(1.0, dtype.as_numpy_dtype), make(rng, (2, 3), dtype, 0.5, 3)]),
    ]


def _lbeta_samples(rng, dtype):
    out = [Sample([make(rng, s, dtype, 0.5, 3)]) for s in [(3,), (2, 3), (2, 1, 4)]]
    return out + [Sample([make(rng, (0,), dtype)], grad=False)]  # -inf: no finite differences


def _lbeta_ref(x):
    return np.sum(sp.gammaln(x), -1) - sp.gammaln(np.sum(x, -1))


def _ref(fn):
    """scipy reference computed in float64."""
    return lambda *a: fn(*[np.asarray(v, np.float64) for v in a])


def _row(name, fn, ref, lo, hi, dtypes=FLOAT, **kw):
    kw.setdefault("grad2", True)
    return OpInfo(name, fn, _ref(ref), dtypes, domain=(lo, hi), tol=LOOSE, **kw)


OPS = [
    _row("math.erf", tf.math.erf, sp.erf, -2, 2),
    _row("math.erfc", tf.math.erfc, sp.erfc, -2, 2),
    _row("math.erfinv", tf.math.erfinv, sp.erfinv, -0.9, 0.9),
    _row("math.erfcinv", tf.math.erfcinv, sp.erfcinv, 0.1, 1.9, dtypes=FLOAT32_64),
    _row("math.ndtri", tf.math.ndtri, sp.ndtri, 0.05, 0.95),
    _row("math.lgamma", tf.math.lgamma, sp.gammaln, 0.5, 4),
    _row("math.digamma", tf.math.digamma, sp.psi, 0.5, 4),
    OpInfo(
        "math.igamma",
        tf.math.igamma,
        _ref(sp.gammainc),
        FLOAT,
        samples=_pairs((0.5, 3), (0.2, 3)),
        tol=LOOSE,
    ),
    OpInfo(
        "math.igammac",
        tf.math.igammac,
        _ref(sp.gammaincc),
        FLOAT,
        samples=_pairs((0.5, 3), (0.2, 3)),
        tol=LOOSE,
    ),
    OpInfo(
        "math.betainc",
        tf.math.betainc,
        _ref(sp.betainc),
        FLOAT32_64,
        samples=_betainc_samples,
        grad_argnums=[2],
        grad2=True,
        tol=LOOSE,
    ),
    OpInfo(
        "math.polygamma",
        tf.math.polygamma,
        _ref(sp.polygamma),
        FLOAT32_64,
        samples=_polygamma_samples,
        grad_argnums=[1],
        grad2=True,
        tol=LOOSE,
    ),
    OpInfo(
        "math.zeta",
        tf.math.zeta,
        _ref(sp.zeta),
        FLOAT32_64,
        samples=_pairs((1.5, 4), (0.5, 3)),
        grad_argnums=[1],
        grad2=True,
        tol=LOOSE,
    ),
    OpInfo(
        "math.lbeta",
        tf.math.lbeta,
        _ref(_lbeta_ref),
        FLOAT32_64,
        samples=_lbeta_samples,
        grad2=True,
        tol=LOOSE,
    ),
    _row("math.bessel_i0", tf.math.bessel_i0, sp.i0, -3, 3),
    _row("math.bessel_i0e", tf.math.bessel_i0e, sp.i0e, -3, 3),
    _row("math.bessel_i1", tf.math.bessel_i1, sp.i1, -3, 3),
    _row("math.bessel_i1e", tf.math.bessel_i1e, sp.i1e, -3, 3),
    _row("math.special.bessel_j0", S.bessel_j0, sp.j0, -3, 3),
    _row("math.special.bessel_j1", S.bessel_j1, sp.j1, -3, 3),
    _row("math.special.bessel_k0", S.bessel_k0, sp.k0, 0.5, 3),
    _row("math.special.bessel_k0e", S.bessel_k0e, sp.k0e, 0.5, 3),
    _row("math.special.bessel_k1", S.bessel_k1, sp.k1, 0.5, 3),
    _row("math.special.bessel_k1e", S.bessel_k1e, sp.k1e, 0.5, 3),
    _row("math.special.bessel_y0", S.bessel_y0, sp.y0, 0.5, 3),
    _row("math.special.bessel_y1", S.bessel_y1, sp.y1, 0.5, 3),
    _row("math.special.dawsn", S.dawsn, sp.dawsn, -2, 2),
    _row("math.special.expint", S.expint, sp.expi, 0.5, 3),
    _row("math.special.fresnel_cos", S.fresnel_cos, lambda x: sp.fresnel(x)[1], -2, 2),
    _row("math.special.fresnel_sin", S.fresnel_sin, lambda x: sp.fresnel(x)[0], -2, 2),
    _row("math.special.spence", S.spence, sp.spence, 0.5, 3),
]
