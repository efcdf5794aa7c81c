"""Element-wise math beyond the harness: TensorFlow's errors, operators, domain edges, casts.

Expected values were taken from TensorFlow 2.21.
"""

import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf

C = tf.constant


def _eq(t, expected, dtype=None):
    if dtype is not None:
        assert t.dtype == dtype, f"{t.dtype} != {dtype}"
    np.testing.assert_array_equal(t.numpy(), np.asarray(expected))


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("fn", [tf.math.floordiv, tf.math.floormod, tf.math.mod])
def test_integer_division_by_zero(fn):
    with pytest.raises(tf.errors.InvalidArgumentError, match="Integer division by zero"):
        fn(C([1, 2]), 0)


@pytest.mark.parametrize("fn", [tf.truncatediv, tf.truncatemod])
def test_truncating_integer_division_by_zero_is_internal(fn):
    with pytest.raises(tf.errors.InternalError, match="only integer div and mod"):
        fn(C([7, -7]), 0)


def test_float_division_by_zero_is_not_an_error():
    _eq(tf.math.floordiv(C([7.0, -7.0]), 0.0), [np.inf, -np.inf])
    _eq(tf.math.floormod(C([5.0, -5.0, 5.0]), C([0.0, 3.0, -3.0])), [np.nan, 1.0, -1.0])


def test_integer_negative_power():
    with pytest.raises(tf.errors.InvalidArgumentError, match="negative integer powers"):
        tf.pow(C([2, 3]), -1)
    _eq(tf.pow(C([2, 3]), 2), [4, 9], tf.int32)


@pytest.mark.parametrize(
    "fn, arg",
    [
        (tf.floor, [1, 2]),
        (tf.math.ceil, [1, 2]),
        (tf.math.is_nan, [1]),
        (tf.math.rsqrt, [4]),
        (tf.math.softplus, [1]),
        (tf.math.erf, [1]),
        (tf.bitwise.invert, [1.0]),
    ],
)
def test_disallowed_dtypes(fn, arg):
    with pytest.raises(tf.errors.InvalidArgumentError, match="is not in the list of allowed"):
        fn(C(arg))


def test_allowed_list_in_message():
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        tf.floor(C([1, 2]))
    assert "of int32 is not in the list of allowed values: bfloat16, half, float, double" in str(
        e.value
    )
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match="values: bfloat16, half, float, double, int8, int16, int32, int64 ",
    ):
        tf.abs(C([1], tf.uint8))


def test_mismatched_dtypes():
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.pow(C([2.0]), C([2]))


# ------------------------------------------------------------------ operators


def test_arithmetic_operators():
    t = C([7, -7])
    _eq(t // 2, [3, -4], tf.int32)
    _eq(t % 3, [1, 2], tf.int32)
    _eq(7 // C([2, 3]), [3, 2])
    _eq(7 % C([2, 3]), [1, 1])
    _eq(C([2, 3]) ** 2, [4, 9])
    _eq(2 ** C([1.0, 2.0]), [2.0, 4.0], tf.float32)
    _eq(abs(t), [7, 7], tf.int32)
    _eq(abs(C([3 + 4j])), [5.0], tf.float64)
    _eq(7.0 / C([2.0, 4.0]), [3.5, 1.75], tf.float32)


def test_logical_and_bitwise_operators():
    b = C([True, False])
    i = C([3, 5])
    _eq(b & C([True, True]), [True, False], tf.bool)
    _eq(b | False, [True, False], tf.bool)
    _eq(b ^ True, [False, True], tf.bool)
    _eq(True & b, [True, False], tf.bool)
    _eq(~b, [False, True], tf.bool)
    _eq(i & C([1, 4]), [1, 4], tf.int32)
    _eq(i | 1, [3, 5])
    _eq(i ^ 1, [2, 4])
    _eq(1 & i, [1, 1])
    _eq(~i, [-4, -6])
    with pytest.raises(tf.errors.InvalidArgumentError):
        C([3.0]) & C([1.0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        ~C([1.0])


# ------------------------------------------------------------------ values TensorFlow picks


def test_round_is_bankers():
    _eq(tf.round(C([0.5, 1.5, 2.5, -0.5, -1.5])), [0.0, 2.0, 2.0, -0.0, -2.0])
    _eq(tf.math.rint(C([0.5, 1.5, 2.5])), [0.0, 2.0, 2.0])
    i = C([1, 2], tf.uint8)
    assert tf.round(i) is i


def test_sign_complex_and_nan():
    _eq(tf.sign(C([1.5, -2.5, 0.0, np.nan])), [1.0, -1.0, 0.0, np.nan])
    s = tf.sign(C([3 + 4j, 0j]))
    np.testing.assert_allclose(s.numpy(), [0.6 + 0.8j, 0])


def test_divide_no_nan_casts_integers():
    _eq(tf.math.divide_no_nan(C([1, 2]), C([0, 2])), [0.0, 1.0], tf.float64)
    _eq(tf.math.divide_no_nan(C([1.0, 2.0]), C([0.0, 2.0])), [0.0, 1.0], tf.float32)
    _eq(tf.math.multiply_no_nan(C([np.inf, 2.0]), C([0.0, 2.0])), [0.0, 4.0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.math.multiply_no_nan(C([1, 2]), 0)


def test_xlogy_family_at_zero():
    _eq(tf.math.xlogy(C([0.0, 0.0]), C([0.0, -1.0])), [0.0, 0.0])
    _eq(tf.math.xdivy(C([0.0]), C([0.0])), [0.0])
    _eq(tf.math.xlog1py(C([0.0]), C([-1.0])), [0.0])
    x, y = C([0.0, 1.0]), C([2.0, 2.0])
    with tf.GradientTape() as g:
        g.watch([x, y])
        z = tf.math.xlogy(x, y)
    gx, gy = g.gradient(z, [x, y])
    np.testing.assert_allclose(gx.numpy(), [0.0, np.log(2.0)], rtol=1e-6)
    np.testing.assert_allclose(gy.numpy(), [0.0, 0.5], rtol=1e-6)


def test_softplus_and_log_sigmoid_are_stable():
    x = C([-100.0, 0.0, 100.0])
    np.testing.assert_allclose(tf.math.softplus(x).numpy(), [0.0, np.log(2.0), 100.0], atol=1e-6)
    np.testing.assert_allclose(
        tf.math.log_sigmoid(x).numpy(), [-100.0, -np.log(2.0), 0.0], atol=1e-6
    )
    big = C([1000.0], tf.float64)
    assert np.isfinite(tf.math.softplus(big).numpy()).all()


def test_complex_parts_and_results_dtypes():
    z = C([1 + 2j], tf.complex64)
    _eq(tf.math.real(z), [1.0], tf.float32)
    _eq(tf.math.imag(z), [2.0], tf.float32)
    np.testing.assert_allclose(tf.math.angle(z).numpy(), [np.arctan2(2, 1)], rtol=1e-6)
    assert tf.math.angle(z).dtype == tf.float32
    _eq(tf.math.real(1 + 2j), 1.0, tf.float64)
    r = C([1.0, -2.0])
    assert tf.math.real(r) is r
    _eq(tf.math.imag(r), [0.0, 0.0], tf.float32)
    np.testing.assert_allclose(tf.math.angle(r).numpy(), [0.0, np.pi], rtol=1e-6)
    with pytest.raises(TypeError, match="Cannot convert 3.14"):
        tf.math.angle(C([1, -2]))


def test_complex_constructor():
    _eq(tf.complex(1.0, 2.0), 1 + 2j, tf.complex64)
    _eq(tf.complex(C([1.0], tf.float64), C([2.0], tf.float64)), [1 + 2j], tf.complex128)
    with pytest.raises(TypeError, match="incorrect types: float32 float64"):
        tf.complex(C([1.0]), C([2.0], tf.float64))
    with pytest.raises(TypeError, match="incorrect types: int32 int32"):
        tf.complex(C([1]), C([2]))


def test_scalar_mul():
    _eq(tf.math.scalar_mul(2, C([1.0, 2.0])), [2.0, 4.0], tf.float32)
    with pytest.raises(ValueError, match="must be a 0-D value. Received shape"):
        tf.math.scalar_mul(C([2.0, 3.0]), C([1.0, 2.0]))
    with pytest.raises(TypeError):
        tf.math.scalar_mul(2.5, C([1, 2]))


def test_polyval_lbeta_erfcinv():
    _eq(tf.math.polyval([1.0, 2.0, 3.0], C([1.0, 2.0])), [6.0, 11.0])
    _eq(tf.math.polyval([], C([1.0, 2.0])), [0.0, 0.0])
    _eq(tf.math.lbeta(C([])), -np.inf, tf.float32)
    np.testing.assert_allclose(
        tf.math.lbeta(C([[1.0, 2.0], [3.0, 4.0]])).numpy(), [-0.6931472, -4.0943446], rtol=1e-6
    )
    np.testing.assert_allclose(tf.math.erfcinv(C([0.5, 1.0])).numpy(), [0.4769363, 0.0], atol=1e-6)


def test_special_function_domain_edges_follow_tensorflow():
    assert np.isnan(tf.math.digamma(C([0.0])).numpy()).all()
    _eq(tf.math.igamma(C([0.0, 1.0, -1.0]), C([1.0, 0.0, 1.0])), [np.nan, 0.0, np.nan])
    _eq(tf.math.igammac(C([0.0, 1.0]), C([1.0, 0.0])), [np.nan, 1.0])
    assert np.isnan(tf.math.betainc(C([0.0]), C([1.0]), C([0.5])).numpy()).all()
    S = tf.math.special
    _eq(S.bessel_k0(C([-1.0])), [np.inf])
    _eq(S.bessel_k1e(C([-1.0])), [np.inf])
    _eq(S.bessel_y0(C([-1.0])), [-np.inf])
    _eq(S.expint(C([-1.0])), [np.nan])
    _eq(tf.math.polygamma(C([1.5]), C([2.0])), [np.nan])


def test_special_gradients():
    a, x = C([1.0, 2.0], tf.float64), C([1.5, 0.5], tf.float64)
    with tf.GradientTape() as g:
        g.watch([a, x])
        z = tf.math.igamma(a, x)
    ga, gx = g.gradient(z, [a, x])
    import scipy.special as sp

    h = 1e-6
    fd_a = (sp.gammainc(a.numpy() + h, x.numpy()) - sp.gammainc(a.numpy() - h, x.numpy())) / (2 * h)
    np.testing.assert_allclose(ga.numpy(), fd_a, rtol=1e-6)
    np.testing.assert_allclose(
        gx.numpy(),
        np.exp(-x.numpy()) * x.numpy() ** (a.numpy() - 1) / sp.gamma(a.numpy()),
        rtol=1e-10,
    )
    with tf.GradientTape() as g:
        g.watch(a)
        z = tf.math.betainc(a, a, C([0.3, 0.3], tf.float64))
    assert g.gradient(z, a) is None


# ------------------------------------------------------------------ casts


def test_saturate_cast_matches_tensorflow():
    _eq(
        tf.dtypes.saturate_cast(C([-1.0, 300.0, 5.5, np.nan, np.inf]), tf.uint8),
        [0, 255, 5, 0, 255],
        tf.uint8,
    )
    _eq(tf.dtypes.saturate_cast(C([-1, 300, 5]), tf.uint8), [0, 255, 5])
    _eq(tf.dtypes.saturate_cast(C([1e10, -1e10]), tf.int32), [2147483520, -2147483648])
    _eq(tf.dtypes.saturate_cast(C([1e10, -1e10]), tf.float16), [65504.0, -65504.0])
    _eq(tf.dtypes.saturate_cast(C([3e9]), tf.uint32), [3000000000])
    _eq(tf.dtypes.saturate_cast(C([1 + 2j, -1e10]), tf.int32), [1, -2147483648])
    with pytest.raises(TypeError, match="Cannot find minimum value of <dtype: 'bool'>"):
        tf.dtypes.saturate_cast(C([True]), tf.int32)


def test_saturate_cast_where_tensorflow_is_wrong():
    # TensorFlow 2.21 returns [0, 0] and -9.2e18 here (its limits overflow); we clamp correctly.
    _eq(tf.dtypes.saturate_cast(C([1, -1], tf.int64), tf.uint64), [1, 0])
    assert tf.dtypes.saturate_cast(C([2**63 - 1], tf.int64), tf.float32).numpy()[0] > 0


def test_bitcast_shapes_and_errors():
    _eq(tf.bitcast(C([1.0]), tf.int32), [1065353216], tf.int32)
    _eq(tf.bitcast(C([1.0]), tf.uint8), [[0, 0, 128, 63]], tf.uint8)
    _eq(tf.bitcast(C([1.0, 2.0]), tf.complex64), 1 + 2j, tf.complex64)
    assert tf.bitcast(C([[1, 2, 3, 4]], tf.uint8), tf.float32).shape == (1,)
    # Scalars: same width keeps shape (), a narrower type adds the last dimension.
    _eq(tf.bitcast(C(1.0), tf.int32), 1065353216, tf.int32)
    assert tf.bitcast(C(1.0), tf.int32).shape == ()
    _eq(tf.bitcast(C(1.0), tf.uint8), [0, 0, 128, 63], tf.uint8)
    assert tf.bitcast(C([1, 2, 3, 4], tf.uint8), tf.float32).shape == ()
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot bitcast from 4 to 1"):
        tf.bitcast(C(1, tf.uint8), tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot bitcast from 4 to 1"):
        tf.bitcast(C([1, 2, 3], tf.uint8), tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot bitcast from 1 to 8"):
        tf.bitcast(C([1.0]), tf.complex64)
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'type' of bool"):
        tf.bitcast(C([1]), tf.bool)


def test_shifts_clamp_like_tensorflow():
    x = C([1, 1, 1, 1, -1], tf.int8)
    _eq(tf.bitwise.left_shift(x, C([0, 7, 8, -1, 9], tf.int8)), [1, -128, -128, 1, -128])
    _eq(
        tf.bitwise.right_shift(C([-128, -128, 64, 64, -1], tf.int8), C([0, 7, 8, -1, 9], tf.int8)),
        [-128, -1, 0, 64, -1],
    )
    _eq(tf.bitwise.right_shift(C([255, 255, 255], tf.uint8), C([1, 8, 200], tf.uint8)), [127, 1, 1])


# ------------------------------------------------------------------ public surface


@pytest.mark.parametrize("with_ragged", [False, True], ids=["plain", "ragged_dispatch"])
def test_public_aliases(with_ragged):
    # Loading tf.ragged wraps the public element-wise functions; aliases must stay identical.
    if with_ragged:
        _ = tf.ragged.constant
    for name in [
        "abs",
        "acos",
        "acosh",
        "asin",
        "asinh",
        "atan",
        "atan2",
        "atanh",
        "cosh",
        "floor",
        "pow",
        "round",
        "scalar_mul",
        "sign",
        "sinh",
        "tan",
    ]:
        assert getattr(tf, name) is getattr(tf.math, name), name
    assert tf.math.mod is tf.math.floormod
    assert tf.dtypes.cast is tf.cast and tf.dtypes.complex is tf.complex
    assert tf.math.special.bessel_i0e is tf.math.bessel_i0e


def test_import_does_not_load_scipy():
    code = "import sys, tensorflux; print('scipy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
