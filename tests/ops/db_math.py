"""Harness rows for element-wise math: abs/sign, powers, division variants, trig, rounding, casts."""

import numpy as np

import tensorflux as tf
from tests.ops.harness import (
    BOOL,
    COMPLEX,
    FLOAT,
    FLOAT32_64,
    INT,
    INT32_64,
    SIGNED_INT,
    OpInfo,
    Sample,
    make,
)

FC = FLOAT + COMPLEX
_B = lambda d: tf.bool  # noqa: E731
_REAL_OF = lambda d: d.real_dtype  # noqa: E731


def _unary_shapes(rng, dtype, lo, hi):
    return [Sample([make(rng, s, dtype, lo, hi)]) for s in [(), (0,), (3,), (2, 3), (2, 1, 4)]]


def _binary(rng, dtype, xs=(-3.0, 3.0), ys=(0.5, 3.0), signed_y=True):
    """Pairs with broadcasting; y is kept away from zero (random sign where the dtype allows)."""
    out = []
    for sx, sy in [((), ()), ((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((0, 3), (3,))]:
        x = make(rng, sx, dtype, *xs)
        y = make(rng, sy, dtype, *ys)
        if signed_y and (dtype.is_floating or (dtype.is_integer and not dtype.is_unsigned)):
            y = (y * np.where(rng.random(sy) < 0.5, -1, 1).astype(y.dtype)).astype(y.dtype)
        if dtype.is_unsigned:
            x = make(rng, sx, dtype, 0, 9)
        out.append(Sample([x, y]))
    return out


def _div_samples(rng, dtype):
    return _binary(rng, dtype, (-7, 7), (1, 4))


def _round_samples(rng, dtype):
    halves = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.4, 0.6])
    if dtype.is_integer:
        halves = make(rng, (8,), dtype, 0, 9)
    return [Sample([np.asarray(halves).astype(dtype.as_numpy_dtype)])] + _unary_shapes(
        rng, dtype, -3, 3
    )


def _int_pow_samples(rng, dtype):
    return [
        Sample([make(rng, s, dtype, -3, 4), make(rng, s2, dtype, 0, 4)])
        for s, s2 in [((), ()), ((3,), (3,)), ((2, 3), (3,))]
    ]


def _no_nan_samples(rng, dtype):
    x = make(rng, (2, 3), dtype, -2, 2)
    y = make(rng, (2, 3), dtype, 0.5, 2)
    y[0, 1] = 0
    return [Sample([x, y], grad=False)] + _binary(rng, dtype)


def _mul_no_nan_samples(rng, dtype):
    x = make(rng, (4,), dtype, -2, 2)
    x[0] = np.inf
    x[1] = np.nan
    y = make(rng, (4,), dtype, 0.5, 2)
    y[:2] = 0
    return [Sample([x, y], grad=False)] + _binary(rng, dtype)


def _x_samples(lo, hi):
    def samples(rng, dtype):
        x = make(rng, (2, 3), dtype, -2, 2)
        x[0, :2] = 0
        y = make(rng, (2, 3), dtype, lo, hi)
        y[0, 0] = 0 if lo > 0 else -1  # where log(y) is -inf but x is 0
        return [Sample([x, y], grad=False)] + _binary(rng, dtype, (-2, 2), (lo, hi), False)

    return samples


def _xlogy_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x * np.log(y))


def _xlog1py_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x * np.log1p(y))


def _xdivy_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(x == 0, 0, x / y)


def _div_no_nan_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(y == 0, 0, x / y)


def _mul_no_nan_ref(x, y):
    with np.errstate(all="ignore"):
        return np.where(y == 0, 0, x * y)


def _special_values(rng, dtype):
    x = np.array([1.0, np.nan, np.inf, -np.inf, 0.0, -2.5]).astype(dtype.as_numpy_dtype)
    return [Sample([x])] + _unary_shapes(rng, dtype, -2, 2)


def _softplus_samples(rng, dtype):
    wide = np.array([-100.0, -20.0, -1.0, 0.0, 1.0, 20.0, 100.0]).astype(dtype.as_numpy_dtype)
    return [Sample([wide], grad=False)] + _unary_shapes(rng, dtype, -3, 3)


def _scalar_mul_samples(rng, dtype):
    s = np.array(3 if dtype.is_integer else 2.5).astype(dtype.as_numpy_dtype)
    return [Sample([s, make(rng, (2, 3), dtype)]), Sample([s, make(rng, (0,), dtype)])]


def _sign_ref(x):
    if x.dtype.kind == "c":
        mag = np.abs(x)
        return np.where(mag == 0, 0, x / np.where(mag == 0, 1, mag))
    return np.sign(x)


def _trunc_div_ref(x, y):
    if x.dtype.kind in "iu":
        q = np.abs(x.astype(np.int64)) // np.abs(y.astype(np.int64))
        return np.where((x < 0) ^ (y < 0), -q, q).astype(x.dtype)
    return np.trunc(x / y)


def _floordiv_ref(x, y):
    return np.floor_divide(x, y) if x.dtype.kind in "iu" else np.floor(x / y)


def _bitcast_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)], {"type": tf.int32}),
        Sample([make(rng, (3,), dtype)], {"type": tf.uint8}),
        Sample([make(rng, (3, 2), dtype)], {"type": tf.complex64}),
        Sample([make(rng, (2, 2), dtype)], {"type": tf.float16}),
        Sample([make(rng, (), dtype)], {"type": tf.int32}),  # a scalar stays a scalar
        Sample([make(rng, (), dtype)], {"type": tf.uint8}),
    ]


def _bitcast_ref(x, type):
    src, dst = x.dtype, np.dtype(type.as_numpy_dtype)
    x = np.ascontiguousarray(x).reshape(x.shape)
    if src.itemsize > dst.itemsize:
        return (
            x.reshape(x.shape + (1,)).view(dst).reshape(x.shape + (src.itemsize // dst.itemsize,))
        )
    if src.itemsize < dst.itemsize:
        return x.view(dst).reshape(x.shape[:-1])
    return x.view(dst)


def _sat_samples(rng, dtype):
    big = 300 if dtype.size == 1 else 1e5
    out = []
    for to in (tf.uint8, tf.int8, tf.int16, tf.float16):
        lo, hi = (-big, big) if not dtype.is_unsigned else (0, 250)
        out.append(Sample([make(rng, (2, 5), dtype, lo, hi)], {"dtype": to}))
    return out


def _sat_ref(value, dtype):
    info = np.iinfo if dtype.is_integer else np.finfo
    lim = info(dtype.as_numpy_dtype)
    v = np.clip(np.nan_to_num(value.astype(np.float64)), float(lim.min), float(lim.max))
    if dtype.is_integer:
        v = np.trunc(v)
    return v.astype(dtype.as_numpy_dtype)


def _complex_samples(rng, dtype):
    return [
        Sample([make(rng, s1, dtype), make(rng, s2, dtype)])
        for s1, s2 in [((), ()), ((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3))]
    ]


def _cast_samples(rng, dtype):
    x = make(rng, (2, 3), dtype)
    out = [Sample([x], {"dtype": to}, grad=False) for to in (tf.int32, tf.float16, tf.bool)]
    # The gradient flows back through a cast to a wider type (exact in finite differences).
    return out + [Sample([x], {"dtype": tf.complex128}), Sample([x[0, 0]], {"dtype": tf.float64})]


def _cast_ref(x, dtype):
    if dtype.is_integer:
        return np.trunc(x).astype(dtype.as_numpy_dtype)
    return x.astype(dtype.as_numpy_dtype)


OPS = [
    OpInfo("math.logical_or", tf.math.logical_or, np.logical_or, BOOL, arity=2, grad=False),
    OpInfo("math.logical_not", tf.math.logical_not, np.logical_not, BOOL, grad=False),
    OpInfo("math.logical_xor", tf.math.logical_xor, np.logical_xor, BOOL, arity=2, grad=False),
    OpInfo("math.conj", tf.math.conj, np.conj, COMPLEX, grad2=True),
    OpInfo("math.conj_of_real", tf.math.conj, np.conj, FLOAT + INT32_64),
    OpInfo("cast", tf.cast, _cast_ref, FLOAT32_64, samples=_cast_samples),
    OpInfo("math.abs", tf.abs, np.abs, FLOAT + SIGNED_INT),
    OpInfo(
        "math.abs_complex",
        tf.math.abs,
        np.abs,
        COMPLEX,
        result_dtype=_REAL_OF,
        grad2=True,
        domain=(0.5, 2.0),
    ),
    OpInfo("math.sign", tf.sign, _sign_ref, FLOAT + SIGNED_INT + COMPLEX),
    OpInfo("math.reciprocal", tf.math.reciprocal, np.reciprocal, FC, domain=(0.5, 2.0), grad2=True),
    OpInfo(
        "math.reciprocal_no_nan",
        tf.math.reciprocal_no_nan,
        lambda x: _div_no_nan_ref(np.ones_like(x), x),
        FC,
        domain=(0.5, 2.0),
    ),
    OpInfo(
        "math.rsqrt", tf.math.rsqrt, lambda x: 1 / np.sqrt(x), FC, domain=(0.5, 2.0), grad2=True
    ),
    OpInfo("math.expm1", tf.math.expm1, np.expm1, FC, grad2=True),
    OpInfo("math.log1p", tf.math.log1p, np.log1p, FC, domain=(-0.5, 2.0), grad2=True),
    OpInfo("math.sinh", tf.sinh, np.sinh, FC, grad2=True),
    OpInfo("math.cosh", tf.math.cosh, np.cosh, FC, grad2=True),
    OpInfo("math.tan", tf.tan, np.tan, FC, domain=(-1.0, 1.0), grad2=True),
    OpInfo("math.asin", tf.asin, np.arcsin, FC, domain=(-0.8, 0.8), grad2=True),
    OpInfo("math.acos", tf.acos, np.arccos, FC, domain=(-0.8, 0.8), grad2=True),
    OpInfo("math.atan", tf.atan, np.arctan, FC, grad2=True),
    OpInfo("math.asinh", tf.asinh, np.arcsinh, FC, grad2=True),
    OpInfo("math.acosh", tf.acosh, np.arccosh, FC, domain=(1.2, 3.0), grad2=True),
    OpInfo("math.atanh", tf.atanh, np.arctanh, FC, domain=(-0.8, 0.8), grad2=True),
    OpInfo("math.atan2", tf.atan2, np.arctan2, FLOAT, arity=2, domain=(0.5, 2.0), grad2=True),
    OpInfo("math.floor", tf.floor, np.floor, FLOAT, grad=False),
    OpInfo("math.ceil", tf.math.ceil, np.ceil, FLOAT, grad=False),
    OpInfo("math.rint", tf.math.rint, np.rint, FLOAT, samples=_round_samples, grad=False),
    OpInfo("math.round", tf.round, np.round, FLOAT + INT, samples=_round_samples, grad=False),
    OpInfo("math.pow", tf.pow, np.power, FC, arity=2, domain=(0.5, 2.0), grad2=True),
    OpInfo("math.pow_int", tf.pow, np.power, SIGNED_INT, samples=_int_pow_samples),
    OpInfo(
        "math.floordiv",
        tf.math.floordiv,
        _floordiv_ref,
        FLOAT + INT,
        samples=_div_samples,
        grad=False,
    ),
    OpInfo(
        "math.floormod",
        tf.math.floormod,
        np.remainder,
        FLOAT + INT,
        samples=_div_samples,
        tol={tf.float16: (1e-2, 3e-2), tf.bfloat16: (4e-2, 1e-1)},
    ),
    OpInfo(
        "truncatediv", tf.truncatediv, _trunc_div_ref, FLOAT + INT, samples=_div_samples, grad=False
    ),
    OpInfo(
        "truncatemod",
        tf.truncatemod,
        np.fmod,
        FLOAT + INT32_64,
        samples=_div_samples,
        tol={tf.float16: (1e-2, 3e-2), tf.bfloat16: (4e-2, 1e-1)},
    ),
    OpInfo("realdiv", tf.realdiv, np.true_divide, FC, samples=_div_samples, grad2=True),
    OpInfo(
        "math.divide_no_nan",
        tf.math.divide_no_nan,
        _div_no_nan_ref,
        FC,
        samples=_no_nan_samples,
        grad2=True,
    ),
    OpInfo(
        "math.divide_no_nan_int",
        tf.math.divide_no_nan,
        _div_no_nan_ref,
        INT32_64,
        samples=_no_nan_samples,
        result_dtype=lambda d: tf.float64,
        grad=False,
    ),
    OpInfo(
        "math.multiply_no_nan",
        tf.math.multiply_no_nan,
        _mul_no_nan_ref,
        FC,
        samples=_mul_no_nan_samples,
        grad2=True,
    ),
    OpInfo("math.xlogy", tf.math.xlogy, _xlogy_ref, FC, samples=_x_samples(0.5, 2.0), grad2=True),
    OpInfo(
        "math.xlog1py", tf.math.xlog1py, _xlog1py_ref, FC, samples=_x_samples(-0.5, 2.0), grad2=True
    ),
    OpInfo("math.xdivy", tf.math.xdivy, _xdivy_ref, FC, samples=_x_samples(0.5, 2.0), grad2=True),
    OpInfo(
        "math.squared_difference",
        tf.math.squared_difference,
        lambda x, y: (x - y) * np.conj(x - y),
        FLOAT + INT32_64 + COMPLEX,
        arity=2,
        grad2=True,
    ),
    OpInfo(
        "math.is_nan",
        tf.math.is_nan,
        np.isnan,
        FLOAT,
        samples=_special_values,
        result_dtype=_B,
        grad=False,
    ),
    OpInfo(
        "math.is_inf",
        tf.math.is_inf,
        np.isinf,
        FLOAT,
        samples=_special_values,
        result_dtype=_B,
        grad=False,
    ),
    OpInfo(
        "math.is_finite",
        tf.math.is_finite,
        np.isfinite,
        FLOAT,
        samples=_special_values,
        result_dtype=_B,
        grad=False,
    ),
    OpInfo(
        "math.softplus",
        tf.math.softplus,
        lambda x: np.logaddexp(0, x),
        FLOAT,
        samples=_softplus_samples,
        grad2=True,
    ),
    OpInfo("math.softsign", tf.math.softsign, lambda x: x / (1 + np.abs(x)), FLOAT, grad2=True),
    OpInfo(
        "math.log_sigmoid",
        tf.math.log_sigmoid,
        lambda x: -np.logaddexp(0, -x),
        FLOAT,
        samples=_softplus_samples,
        grad2=True,
    ),
    OpInfo(
        "math.scalar_mul",
        tf.math.scalar_mul,
        lambda s, x: s * x,
        FLOAT + INT32_64,
        samples=_scalar_mul_samples,
        grad2=True,
    ),
    OpInfo("math.nextafter", tf.math.nextafter, np.nextafter, FLOAT32_64, arity=2),
    OpInfo("math.real", tf.math.real, np.real, COMPLEX, result_dtype=_REAL_OF, grad2=True),
    OpInfo("math.imag", tf.math.imag, np.imag, COMPLEX, result_dtype=_REAL_OF, grad2=True),
    OpInfo(
        "math.angle",
        tf.math.angle,
        np.angle,
        COMPLEX,
        result_dtype=_REAL_OF,
        grad2=True,
        domain=(0.5, 2.0),
    ),
    OpInfo("math.real_of_real", tf.math.real, np.real, FLOAT + INT32_64),
    OpInfo("math.imag_of_real", tf.math.imag, np.imag, FLOAT + INT32_64),
    OpInfo(
        "math.angle_of_real",
        tf.math.angle,
        lambda x: np.where(x < 0, np.pi, 0.0),
        FLOAT,
        grad=False,
    ),
    OpInfo(
        "complex",
        tf.complex,
        lambda re, im: re + 1j * im,
        FLOAT32_64,
        samples=_complex_samples,
        result_dtype=lambda d: tf.complex64 if d == tf.float32 else tf.complex128,
    ),  # grad2: the harness seeds complex outputs with real cotangents
    OpInfo(
        "bitcast",
        tf.bitcast,
        _bitcast_ref,
        (tf.float32, tf.int32, tf.uint32),
        samples=_bitcast_samples,
        grad=False,
    ),
    OpInfo(
        "dtypes.saturate_cast",
        tf.dtypes.saturate_cast,
        _sat_ref,
        (tf.float32, tf.float64, tf.int32, tf.int64, tf.uint16),
        samples=_sat_samples,
        grad=False,
    ),
]


# Gradients of complex inputs (the rows above check theirs in float64 only).
_COMPLEX_GRAD = {
    "math.reciprocal",
    "math.rsqrt",
    "math.expm1",
    "math.log1p",
    "math.sinh",
    "math.cosh",
    "math.tan",
    "math.asin",
    "math.acos",
    "math.atan",
    "math.asinh",
    "math.acosh",
    "math.atanh",
    "math.pow",
    "math.divide_no_nan",
    "math.multiply_no_nan",
    "math.xlogy",
    "math.xdivy",
    "math.xlog1py",
}
OPS += [
    OpInfo(
        f"{r.name}_complex_grad",
        r.fn,
        r.ref,
        (tf.complex128,),
        samples=r.samples,
        arity=r.arity,
        domain=r.domain,
        noncontiguous=False,
    )
    for r in OPS
    if r.name in _COMPLEX_GRAD
]
