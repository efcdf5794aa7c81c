"""Special functions: error function, gamma family, incomplete gamma/beta, zeta, Bessel and friends.

Kernels call `scipy.special` (or `cupyx.scipy.special` on the GPU), imported on first use so that
`import tensorflux` never loads SciPy. Half-precision inputs are computed in float32 and rounded
back. Where SciPy's value at a domain edge differs from TensorFlow's, the kernel follows TensorFlow.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.infer import binary, check_allowed, check_same, floating, unary
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import broadcast_shapes
from tensorflux._src.ops import (
    array_ops,
    binary_math_ops,
    math_ops,
    reduction_ops,
    trig_ops,
    unary_ops,
)
from tensorflux._src.ops._util import as_tensor

_F32_64 = (dtypes.float32, dtypes.float64)


def _special(xp, name):
    """`name` from scipy.special (NumPy arrays) or cupyx.scipy.special, falling back to the host."""
    if xp is np:
        import scipy.special

        return getattr(scipy.special, name)
    try:
        import cupyx.scipy.special as cs

        return getattr(cs, name)
    except (ImportError, AttributeError):
        import scipy.special

        host = getattr(scipy.special, name)
        return lambda *a: xp.asarray(host(*[xp.asnumpy(v) for v in a]))


def _compute(xp, name, *arrays, post=None):
    """Runs special function `name` on `arrays` in at least float32, returning the input dtype."""
    dt = arrays[0].dtype
    work = [a.astype(np.float32) if a.dtype.itemsize < 4 else a for a in arrays]
    with np.errstate(all="ignore"):
        out = _special(xp, name)(*work)
        if post is not None:
            out = post(xp, out, *work)
    return xp.asarray(out).astype(dt, copy=False)


def _unary_special(op_name, sp_name, post=None, allowed=floating):
    op = defop(op_name, infer=unary(allowed))

    @op.kernel
    def _(xp, x):
        return _compute(xp, sp_name, x, post=post)

    return op


def _nan_where(cond):
    """A post-step that puts NaN where `cond(xp, *inputs)` holds (TensorFlow's domain edges)."""

    def post(xp, out, *inputs):
        return xp.where(cond(xp, *inputs), xp.asarray(np.nan, out.dtype), out)

    return post


def _fill_negative(value):
    def post(xp, out, x):
        return xp.where(x < 0, xp.asarray(value, out.dtype), out)

    return post


# ------------------------------------------------------------------ error function family

Erf = _unary_special("Erf", "erf")
Erfc = _unary_special("Erfc", "erfc")
Erfinv = _unary_special("Erfinv", "erfinv")
Ndtri = _unary_special("Ndtri", "ndtri")
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


@Erf.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * (_TWO_OVER_SQRT_PI * unary_ops.exp(math_ops.negative(unary_ops.square(x))))]


@Erfc.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * (-_TWO_OVER_SQRT_PI * unary_ops.exp(math_ops.negative(unary_ops.square(x))))]


@Erfinv.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy * (math.sqrt(math.pi) / 2 * unary_ops.exp(unary_ops.square(y)))]


@Ndtri.gradient
def _(op, dy):
    (y,) = op.outputs
    return [dy * (math.sqrt(2 * math.pi) * unary_ops.exp(0.5 * unary_ops.square(y)))]


def erf(x, name=None):
    """Computes the Gauss error function 2/sqrt(pi) * integral from 0 to x of exp(-t^2) dt.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Erf(x, name=name)


def erfc(x, name=None):
    """Computes the complementary error function 1 - erf(x), accurately for large x.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Erfc(x, name=name)


def erfinv(x, name=None):
    """Computes the inverse of the error function on (-1, 1) (+-inf at +-1, NaN outside).

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Erfinv(x, name=name)


def erfcinv(x, name=None):
    """Computes the inverse of `erfc` on (0, 2).

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    x = as_tensor(x)
    return math_ops.multiply(math_ops.negative(ndtri(x * 0.5)), math.sqrt(0.5), name=name)


def ndtri(x, name=None):
    """Computes the inverse of the standard normal CDF (the probit function) on (0, 1).

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Ndtri(x, name=name)


# ------------------------------------------------------------------ gamma family

# log|Gamma(-inf)|: SciPy says -inf, TensorFlow +inf.
Lgamma = _unary_special(
    "Lgamma", "gammaln", post=lambda xp, out, x: xp.where(x == -np.inf, np.inf, out)
)
# psi has a pole at 0 where SciPy says -inf; TensorFlow says NaN, as at the negative integers.
Digamma = _unary_special("Digamma", "psi", post=_nan_where(lambda xp, x: x == 0))


@Lgamma.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * digamma(x)]


@Digamma.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * polygamma(array_ops.ones_like(x), x)]


def lgamma(x, name=None):
    """Computes log(|Gamma(x)|) element-wise.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Lgamma(x, name=name)


def digamma(x, name=None):
    """Computes Psi, the derivative of lgamma, element-wise (NaN at 0 and the negative integers).

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Digamma(x, name=name)


def lbeta(x, name=None):
    """Computes log(|Beta(x)|) over the last dimension: sum(lgamma(x)) - lgamma(sum(x)).

    Args:
      x: A floating `Tensor` of rank at least 1.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the shape of `x` without its last dimension. An empty last dimension gives
      -inf, the log of Beta's value there (the empty product over the Gamma of zero, 1/inf).
    """
    x = as_tensor(x)
    log_prod = reduction_ops.reduce_sum(lgamma(x), axis=[-1])
    return math_ops.subtract(log_prod, lgamma(reduction_ops.reduce_sum(x, axis=[-1])), name=name)


def _igammac_post(xp, out, a, x):
    return xp.where((a <= 0) | (x < 0), xp.asarray(np.nan, out.dtype), out)


def _igamma_post(xp, out, a, x):
    # TensorFlow's P(a, 0) is 0 for every a, even where a itself is out of the domain.
    return xp.where(x == 0, xp.zeros((), out.dtype), _igammac_post(xp, out, a, x))


def _binary_special(op_name, sp_name, post=None, allowed=floating):
    op = defop(op_name, infer=binary(allowed))

    @op.kernel
    def _(xp, a, x):
        a, x = xp.broadcast_arrays(a, x)
        return _compute(xp, sp_name, a, x, post=post)

    return op


Igamma = _binary_special("Igamma", "gammainc", post=_igamma_post)
Igammac = _binary_special("Igammac", "gammaincc", post=_igammac_post)
IgammaGradA = defop("IgammaGradA", infer=binary(_F32_64))


@IgammaGradA.kernel
def _(xp, a, x):
    # d/da of the regularized lower incomplete gamma has no closed form: a five-point central
    # difference in float64 (relative step) is accurate to about 1e-10.
    a64, x64 = (v.astype(np.float64) for v in xp.broadcast_arrays(a, x))
    f = _special(xp, "gammainc")
    h = 1e-3 * xp.maximum(xp.abs(a64), 1e-3)
    with np.errstate(all="ignore"):
        d = (
            -f(a64 + 2 * h, x64) + 8 * f(a64 + h, x64) - 8 * f(a64 - h, x64) + f(a64 - 2 * h, x64)
        ) / (12 * h)
        d = xp.where((a64 <= 0) | (x64 < 0), np.nan, xp.where(x64 == 0, 0.0, d))
    return d.astype(a.dtype)


not_differentiable(IgammaGradA)


def _igamma_dx(a, x):
    # x^(a-1) e^-x / Gamma(a), computed in log space.
    return unary_ops.exp(math_ops.negative(x) + binary_math_ops.xlogy(a - 1, x) - lgamma(a))


@Igamma.gradient
def _(op, dz):
    a, x = op.inputs
    return [
        math_ops.unbroadcast(dz * IgammaGradA(a, x), a),
        math_ops.unbroadcast(dz * _igamma_dx(a, x), x),
    ]


@Igammac.gradient
def _(op, dz):
    a, x = op.inputs
    return [
        math_ops.unbroadcast(math_ops.negative(dz) * IgammaGradA(a, x), a),
        math_ops.unbroadcast(math_ops.negative(dz) * _igamma_dx(a, x), x),
    ]


def igamma(a, x, name=None):
    """Computes the regularized lower incomplete gamma function P(a, x).

    P(a, x) = 1/Gamma(a) * integral from 0 to x of t^(a-1) exp(-t) dt; NaN for a <= 0 or x < 0.

    Args:
      a: A floating `Tensor`.
      x: A `Tensor` of the same dtype as `a`; the two broadcast.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `a`.
    """
    return Igamma(a, x, name=name)


def igammac(a, x, name=None):
    """Computes the regularized upper incomplete gamma function Q(a, x) = 1 - P(a, x).

    Args:
      a: A floating `Tensor`.
      x: A `Tensor` of the same dtype as `a`; the two broadcast.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `a`.
    """
    return Igammac(a, x, name=name)


def _betainc_dtype(in_dtypes, attrs):
    t = check_same(in_dtypes)
    check_allowed(t, _F32_64)
    return t


def _betainc_shape(inputs, attrs):
    # TensorFlow requires equal shapes unless an input is a scalar.
    return broadcast_shapes(broadcast_shapes(inputs[0].shape, inputs[1].shape), inputs[2].shape)


Betainc = defop("Betainc", infer=Rule(_betainc_dtype, _betainc_shape))


@Betainc.kernel
def _(xp, a, b, x):
    a, b, x = xp.broadcast_arrays(a, b, x)
    bad = lambda xp, a, b, x: (a <= 0) | (b <= 0) | (x < 0) | (x > 1)  # noqa: E731
    return _compute(xp, "betainc", a, b, x, post=_nan_where(bad))


@Betainc.gradient
def _(op, dz):
    a, b, x = op.inputs
    log_beta = lgamma(a) + lgamma(b) - lgamma(a + b)
    partial_x = unary_ops.exp(
        binary_math_ops.xlog1py(b - 1, math_ops.negative(x))
        + binary_math_ops.xlogy(a - 1, x)
        - log_beta
    )
    return [None, None, math_ops.unbroadcast(dz * partial_x, x)]


def betainc(a, b, x, name=None):
    """Computes the regularized incomplete beta function I_x(a, b).

    Only the gradient with respect to `x` is defined (as in TensorFlow).

    Args:
      a: A float32 or float64 `Tensor`.
      b: A `Tensor` of the same dtype.
      x: A `Tensor` of the same dtype, in [0, 1].
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `a`.
    """
    return Betainc(a, b, x, name=name)


def _polygamma_kernel_post(xp, out, n, x):
    # At the poles (x = 0, -1, -2, ...) TensorFlow gives +inf for odd orders and NaN for even ones.
    pole = (x <= 0) & (x == xp.floor(x))
    out = xp.where(pole, xp.where(n % 2 == 1, np.inf, np.nan), out)
    bad = (n != xp.floor(n)) | (n < 0) | (x == -np.inf)
    return xp.where(bad, xp.asarray(np.nan, out.dtype), out)


Polygamma = _binary_special("Polygamma", "polygamma", post=_polygamma_kernel_post, allowed=_F32_64)


@Polygamma.gradient
def _(op, dz):
    n, x = op.inputs
    return [None, math_ops.unbroadcast(dz * polygamma(n + 1, x), x)]


def polygamma(a, x, name=None):
    """Computes the polygamma function psi^(a)(x), the a-th derivative of digamma.

    Args:
      a: A float32 or float64 `Tensor` of non-negative integer values (NaN otherwise).
      x: A `Tensor` of the same dtype as `a`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `a`.
    """
    return Polygamma(a, x, name=name)


Zeta = _binary_special("Zeta", "zeta", allowed=_F32_64)


@Zeta.gradient
def _(op, dz):
    x, q = op.inputs
    return [None, math_ops.unbroadcast(dz * math_ops.negative(x) * zeta(x + 1, q), q)]


def zeta(x, q, name=None):
    """Computes the Hurwitz zeta function: the sum over n >= 0 of (n + q)^-x.

    Args:
      x: A float32 or float64 `Tensor`.
      q: A `Tensor` of the same dtype as `x`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the broadcast shape and the dtype of `x`.
    """
    return Zeta(x, q, name=name)


# ------------------------------------------------------------------ Bessel functions
# SciPy gives NaN for K and Y at negative x; TensorFlow gives +inf (K) and -inf (Y).

BesselI0 = _unary_special("BesselI0", "i0")
BesselI0e = _unary_special("BesselI0e", "i0e")
BesselI1 = _unary_special("BesselI1", "i1")
BesselI1e = _unary_special("BesselI1e", "i1e")
BesselJ0 = _unary_special("BesselJ0", "j0")
BesselJ1 = _unary_special("BesselJ1", "j1")
BesselK0 = _unary_special("BesselK0", "k0", post=_fill_negative(np.inf))
BesselK0e = _unary_special("BesselK0e", "k0e", post=_fill_negative(np.inf))
BesselK1 = _unary_special("BesselK1", "k1", post=_fill_negative(np.inf))
BesselK1e = _unary_special("BesselK1e", "k1e", post=_fill_negative(np.inf))
BesselY0 = _unary_special("BesselY0", "y0", post=_fill_negative(-np.inf))
BesselY1 = _unary_special("BesselY1", "y1", post=_fill_negative(-np.inf))


def _over_x(f, x, at_zero):
    """f(x) / x with the limit `at_zero` where x is tiny (the removable singularity at 0)."""
    tiny = math_ops.less(unary_ops.abs(x), np.finfo(np.float32).tiny)
    safe = array_ops.where(tiny, array_ops.ones_like(x), x)
    return array_ops.where(tiny, at_zero * array_ops.ones_like(x), f(safe) / safe)


@BesselI0.gradient
def _(op, dy):
    return [dy * bessel_i1(op.inputs[0])]


@BesselI0e.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    return [dy * (bessel_i1e(x) - unary_ops.sign(x) * y)]


@BesselI1.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * (bessel_i0(x) - _over_x(bessel_i1, x, 0.5))]


@BesselI1e.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    return [dy * (bessel_i0e(x) - unary_ops.sign(x) * y - _over_x(bessel_i1e, x, 0.5))]


@BesselJ0.gradient
def _(op, dy):
    return [math_ops.negative(dy) * bessel_j1(op.inputs[0])]


@BesselJ1.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * (bessel_j0(x) - _over_x(bessel_j1, x, 0.5))]


@BesselK0.gradient
def _(op, dy):
    return [math_ops.negative(dy) * bessel_k1(op.inputs[0])]


@BesselK0e.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    return [dy * (y - bessel_k1e(x))]


@BesselK1.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    return [math_ops.negative(dy) * (bessel_k0(x) + y / x)]


@BesselK1e.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    return [dy * (y - bessel_k0e(x) - y / x)]


@BesselY0.gradient
def _(op, dy):
    return [math_ops.negative(dy) * bessel_y1(op.inputs[0])]


@BesselY1.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    return [dy * (bessel_y0(x) - y / x)]


def _bessel_fn(op, what):
    def fn(x, name=None):
        return op(x, name=name)

    fn.__doc__ = f"""Computes {what} element-wise.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return fn


bessel_i0 = _bessel_fn(BesselI0, "the modified Bessel function of the first kind of order 0")
bessel_i0e = _bessel_fn(BesselI0e, "exp(-|x|) * bessel_i0(x), the scaled modified Bessel I0")
bessel_i1 = _bessel_fn(BesselI1, "the modified Bessel function of the first kind of order 1")
bessel_i1e = _bessel_fn(BesselI1e, "exp(-|x|) * bessel_i1(x), the scaled modified Bessel I1")
bessel_j0 = _bessel_fn(BesselJ0, "the Bessel function of the first kind of order 0")
bessel_j1 = _bessel_fn(BesselJ1, "the Bessel function of the first kind of order 1")
bessel_k0 = _bessel_fn(BesselK0, "the modified Bessel function of the second kind of order 0")
bessel_k0e = _bessel_fn(BesselK0e, "exp(x) * bessel_k0(x), the scaled modified Bessel K0")
bessel_k1 = _bessel_fn(BesselK1, "the modified Bessel function of the second kind of order 1")
bessel_k1e = _bessel_fn(BesselK1e, "exp(x) * bessel_k1(x), the scaled modified Bessel K1")
bessel_y0 = _bessel_fn(BesselY0, "the Bessel function of the second kind of order 0")
bessel_y1 = _bessel_fn(BesselY1, "the Bessel function of the second kind of order 1")
for _f, _n in (
    (bessel_i0, "bessel_i0"),
    (bessel_i0e, "bessel_i0e"),
    (bessel_i1, "bessel_i1"),
    (bessel_i1e, "bessel_i1e"),
    (bessel_j0, "bessel_j0"),
    (bessel_j1, "bessel_j1"),
    (bessel_k0, "bessel_k0"),
    (bessel_k0e, "bessel_k0e"),
    (bessel_k1, "bessel_k1"),
    (bessel_k1e, "bessel_k1e"),
    (bessel_y0, "bessel_y0"),
    (bessel_y1, "bessel_y1"),
):
    _f.__name__ = _f.__qualname__ = _n


# ------------------------------------------------------------------ other integrals

Dawsn = _unary_special("Dawsn", "dawsn")
# SciPy's expi is defined for negative x too; TensorFlow's Expint is NaN there (and at +inf).
Expint = _unary_special("Expint", "expi", post=_nan_where(lambda xp, x: (x < 0) | (x == np.inf)))
FresnelCos = defop("FresnelCos", infer=unary(floating))
FresnelSin = defop("FresnelSin", infer=unary(floating))
Spence = _unary_special("Spence", "spence")


@FresnelCos.kernel
def _(xp, x):
    return _compute(xp, "fresnel", x, post=lambda xp, out, x: out[1])


@FresnelSin.kernel
def _(xp, x):
    return _compute(xp, "fresnel", x, post=lambda xp, out, x: out[0])


@Dawsn.gradient
def _(op, dy):
    (x,) = op.inputs
    (y,) = op.outputs
    return [dy * (1 - 2 * x * y)]


@Expint.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * unary_ops.exp(x) / x]


@FresnelCos.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * trig_ops.cos((math.pi / 2) * unary_ops.square(x))]


@FresnelSin.gradient
def _(op, dy):
    (x,) = op.inputs
    return [dy * trig_ops.sin((math.pi / 2) * unary_ops.square(x))]


@Spence.gradient
def _(op, dy):
    (x,) = op.inputs
    one = array_ops.ones_like(x)
    at_one = math_ops.equal(x, one)
    safe = array_ops.where(at_one, 2 * one, x)
    partial = array_ops.where(at_one, math_ops.negative(one), unary_ops.log(safe) / (1 - safe))
    return [dy * partial]


def dawsn(x, name=None):
    """Computes Dawson's integral exp(-x^2) * integral from 0 to x of exp(t^2) dt.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Dawsn(x, name=name)


def expint(x, name=None):
    """Computes the exponential integral Ei(x) (NaN for negative x).

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Expint(x, name=name)


def fresnel_cos(x, name=None):
    """Computes the Fresnel cosine integral: integral from 0 to x of cos(pi/2 * t^2) dt.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return FresnelCos(x, name=name)


def fresnel_sin(x, name=None):
    """Computes the Fresnel sine integral: integral from 0 to x of sin(pi/2 * t^2) dt.

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return FresnelSin(x, name=name)


def spence(x, name=None):
    """Computes Spence's integral: integral from 1 to x of log(t) / (1 - t) dt (NaN for x < 0).

    Args:
      x: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the same shape and dtype as `x`.
    """
    return Spence(x, name=name)
