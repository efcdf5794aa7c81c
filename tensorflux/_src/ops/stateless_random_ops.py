"""Stateless random ops: `tf.random.stateless_*`, `split` and `fold_in`.

A stateless op's output is a pure function of its arguments and its `seed`, an integer tensor of
shape [2]: the same seed gives the same numbers on every call, every run and every device. The
numbers come from NumPy's Philox generator keyed by the seed; they are not the bits TensorFlow's
kernels produce for the same seed (the distributions are the same).
"""

from __future__ import annotations

import enum

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, floating
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import array_ops, manip_ops, math_ops
from tensorflux._src.ops import random_ops as R
from tensorflux._src.ops._util import as_tensor, static_shape_of
from tensorflux._src.tensor import convert_to_tensor

_INT = (dtypes.int32, dtypes.int64)
_FULL_INT = (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64)
_PARAM = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


class Algorithm(enum.Enum):
    """`tf.random.Algorithm`: the counter-based generator a seed or state is meant for.

    tensorflux draws every algorithm's numbers with NumPy's Philox; the choice fixes the state
    size (3 words for PHILOX, 2 for THREEFRY) as in TensorFlow.
    """

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def convert_alg(alg) -> Algorithm:
    """An `Algorithm` from an Algorithm, its value, its name ("philox") or None/"auto_select"."""
    if alg is None:
        return Algorithm.AUTO_SELECT
    if isinstance(alg, Algorithm):
        return alg
    if isinstance(alg, str):
        key = alg.lower()
        for a in Algorithm:
            if a.name.lower() == key:
                return a
    elif isinstance(alg, (int, np.integer)):
        for a in Algorithm:
            if a.value == int(alg):
                return a
    raise ValueError(
        f"Argument `alg` got unsupported value {alg}. Supported values are "
        f"{Algorithm.PHILOX.name}, {Algorithm.THREEFRY.name} and {Algorithm.AUTO_SELECT.name}."
    )


# ------------------------------------------------------------------ rules


def _seed_check(dts, i):
    check_allowed(dts[i], _INT, "Tseed")


def _shape_seed(allowed, default=dtypes.float32):
    def dtype(dts, attrs):
        check_allowed(dts[0], _INT, "T")
        _seed_check(dts, 1)
        out = attrs.get("dtype", default)
        check_allowed(out, allowed, "dtype")
        return out

    return Rule(dtype, lambda inputs, attrs: static_shape_of(inputs[0]))


def _op(name, rule, host=(0, 1), type_inputs=None):
    return defop(name, infer=rule, host_inputs=host, type_inputs=type_inputs)


StatelessRandomUniform = _op("StatelessRandomUniform", _shape_seed(floating))
StatelessRandomNormal = _op("StatelessRandomNormal", _shape_seed(floating))
StatelessTruncatedNormal = _op("StatelessTruncatedNormal", _shape_seed(floating))
StatelessRandomUniformFullInt = _op(
    "StatelessRandomUniformFullInt", _shape_seed(_FULL_INT, dtypes.uint64)
)


@StatelessRandomUniform.kernel
def _(xp, shape, seed, dtype=dtypes.float32):
    return R._to_xp(xp, R.uniform01(R.stateless_stream(seed), R.dims(shape), dtype))


@StatelessRandomNormal.kernel
def _(xp, shape, seed, dtype=dtypes.float32):
    return R._to_xp(xp, R.normal_sample(R.stateless_stream(seed), R.dims(shape), dtype))


@StatelessTruncatedNormal.kernel
def _(xp, shape, seed, dtype=dtypes.float32):
    return R._to_xp(xp, R.truncated(R.stateless_stream(seed), R.dims(shape), dtype))


@StatelessRandomUniformFullInt.kernel
def _(xp, shape, seed, dtype=dtypes.uint64):
    gen = R.stateless_stream(seed)
    return R._to_xp(xp, R.full_int(gen, R.dims(shape), dtype.as_numpy_dtype))


def _uniform_int_dtype(dts, attrs):
    check_allowed(dts[0], _INT, "T")
    _seed_check(dts, 1)
    check_allowed(dts[2], _FULL_INT, "dtype")
    return check_same(dts, (2, 3))


StatelessRandomUniformInt = _op(
    "StatelessRandomUniformInt",
    Rule(_uniform_int_dtype, lambda inputs, attrs: static_shape_of(inputs[0])),
    type_inputs=(2, 3),
)


@StatelessRandomUniformInt.kernel
def _(xp, shape, seed, minval, maxval):
    gen = R.stateless_stream(seed)
    np_t = R.host(minval).dtype
    return R._to_xp(xp, R.uniform_int(gen, R.dims(shape), minval, maxval, np_t))


_MULTINOMIAL = R.multinomial_rule(0, 1)


def _multinomial_dtype(dts, attrs):
    _seed_check(dts, 2)
    return _MULTINOMIAL.dtype(dts, attrs)


StatelessMultinomial = defop(
    "StatelessMultinomial",
    infer=Rule(_multinomial_dtype, _MULTINOMIAL.shape),
    host_inputs=(1, 2),
    type_inputs=(0,),
)


@StatelessMultinomial.kernel
def _(xp, logits, num_samples, seed, output_dtype=dtypes.int64):
    gen = R.stateless_stream(seed)
    return R._to_xp(xp, R.multinomial(gen, logits, num_samples, output_dtype.as_numpy_dtype))


def _shuffle_dtype(dts, attrs):
    _seed_check(dts, 1)
    return dts[0]


StatelessShuffle = defop(
    "StatelessShuffle",
    infer=Rule(_shuffle_dtype, lambda inputs, attrs: inputs[0].shape),
    host_inputs=(1,),
    type_inputs=(0,),
)


@StatelessShuffle.kernel
def _(xp, value, seed):
    return R.shuffle_rows(xp, value, R.stateless_stream(seed))


# ------------------------------------------------------------------ parameterized distributions


def _check_ends_with(shape: tuple, param_shape: tuple):
    n = len(param_shape)
    if n > len(shape) or (n and tuple(shape[-n:]) != tuple(param_shape)):
        raise InvalidArgumentError(None, None, "Shape passed in must end with broadcasted shape.")


def _param_shape_rule(param_indices):
    def shape(inputs, attrs):
        out = static_shape_of(inputs[0])
        ps = TensorShape([])
        for i in param_indices:
            ps = broadcast_shapes(ps, inputs[i].shape)
        if out.rank is not None and ps.rank is not None and ps.rank > out.rank:
            raise InvalidArgumentError(
                None, None, "Shape passed in must end with broadcasted shape."
            )
        return out

    return shape


def _binomial_dtype(dts, attrs):
    check_allowed(dts[0], _INT, "T")
    _seed_check(dts, 1)
    check_allowed(dts[2], _PARAM, "T")
    check_same(dts, (2, 3))
    out = attrs.get("dtype", dtypes.int64)
    check_allowed(out, _PARAM, "dtype")
    return out


StatelessRandomBinomial = _op(
    "StatelessRandomBinomial",
    Rule(_binomial_dtype, _param_shape_rule((2, 3))),
    type_inputs=(2, 3),
)


@StatelessRandomBinomial.kernel
def _(xp, shape, seed, counts, probs, dtype=dtypes.int64):
    gen = R.stateless_stream(seed)
    out_shape = R.dims(shape)
    c, p = R.host(counts), R.host(probs)
    _check_ends_with(out_shape, np.broadcast_shapes(c.shape, p.shape))
    n = np.broadcast_to(c.astype(np.float64), out_shape)
    pr = np.clip(np.broadcast_to(p.astype(np.float64), out_shape), 0.0, 1.0)
    sample = gen.binomial(np.floor(np.maximum(n, 0)).astype(np.int64), pr)
    return R._to_xp(xp, sample.astype(dtype.as_numpy_dtype))


def _poisson_dtype(dts, attrs):
    check_allowed(dts[0], _INT, "T")
    _seed_check(dts, 1)
    check_allowed(dts[2], _PARAM, "Rtype")
    out = attrs.get("dtype", dtypes.int64)
    check_allowed(out, _PARAM, "dtype")
    return out


StatelessRandomPoisson = _op(
    "StatelessRandomPoisson", Rule(_poisson_dtype, _param_shape_rule((2,))), type_inputs=(2,)
)


@StatelessRandomPoisson.kernel
def _(xp, shape, seed, lam, dtype=dtypes.int64):
    out_shape = R.dims(shape)
    lam = R.host(lam)
    _check_ends_with(out_shape, lam.shape)
    return R._to_xp(xp, R.poisson_sample(R.stateless_stream(seed), out_shape, lam, dtype))


def _gamma_dtype(dts, attrs):
    check_allowed(dts[0], _INT, "T")
    _seed_check(dts, 1)
    check_allowed(dts[2], R._GAMMA_TYPES, "dtype")
    return dts[2]


StatelessRandomGammaV2 = _op(
    "StatelessRandomGammaV2", Rule(_gamma_dtype, _param_shape_rule((2,))), type_inputs=(2,)
)


@StatelessRandomGammaV2.kernel
def _(xp, shape, seed, alpha):
    out_shape = R.dims(shape)
    a = R.host(alpha)
    _check_ends_with(out_shape, a.shape)
    return R._to_xp(xp, R.gamma_sample(R.stateless_stream(seed), out_shape, a, a.dtype))


def _ptn_dtype(dts, attrs):
    check_allowed(dts[0], _INT, "T")
    _seed_check(dts, 1)
    check_allowed(dts[2], (dtypes.float16, dtypes.float32, dtypes.float64), "dtype")
    return check_same(dts, (2, 3, 4, 5))


StatelessParameterizedTruncatedNormal = _op(
    "StatelessParameterizedTruncatedNormal",
    Rule(_ptn_dtype, _param_shape_rule((2, 3, 4, 5))),
    type_inputs=(2, 3, 4, 5),
)


@StatelessParameterizedTruncatedNormal.kernel
def _(xp, shape, seed, means, stddevs, minvals, maxvals):
    from scipy import special

    out_shape = R.dims(shape)
    params = [R.host(a) for a in (means, stddevs, minvals, maxvals)]
    _check_ends_with(out_shape, np.broadcast_shapes(*[p.shape for p in params]))
    mu, sd, lo, hi = (np.broadcast_to(p.astype(np.float64), out_shape) for p in params)
    u = R.stateless_stream(seed).random(out_shape)
    # Inverse CDF between the standardized bounds, from the nearer tail for accuracy.
    a, b = (lo - mu) / sd, (hi - mu) / sd
    flip = a > 0
    a2, b2 = np.where(flip, -b, a), np.where(flip, -a, b)
    ca, cb = special.ndtr(a2), special.ndtr(b2)
    z = special.ndtri(ca + u * (cb - ca))
    z = np.clip(np.where(flip, -z, z), a, b)
    return R._to_xp(xp, (mu + sd * z).astype(R.host(means).dtype))


not_differentiable(
    StatelessRandomUniform, StatelessRandomNormal, StatelessTruncatedNormal,
    StatelessRandomUniformFullInt, StatelessRandomUniformInt, StatelessMultinomial,
    StatelessShuffle, StatelessRandomBinomial, StatelessRandomPoisson, StatelessRandomGammaV2,
    StatelessParameterizedTruncatedNormal,
)  # fmt: skip

# ------------------------------------------------------------------ public functions


def _seed(seed):
    return as_tensor(seed)


_STATELESS_UNIFORM = (
    dtypes.float16,
    dtypes.bfloat16,
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.int64,
    dtypes.uint32,
    dtypes.uint64,
)


def stateless_random_uniform(
    shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None, alg="auto_select"
):
    """Uniform values in `[minval, maxval)`, a deterministic function of `seed`.

    For integer dtypes pass both `minval` and `maxval`, or neither to draw from the dtype's
    whole range.

    Args:
      shape: the output shape.
      seed: an int32 or int64 tensor of shape [2].
      minval: the inclusive lower bound (default 0).
      maxval: the exclusive upper bound (default 1 for floats).
      dtype: float16, bfloat16, float32, float64, int32, int64, uint32 or uint64.
      name: a name for the op.
      alg: the RNG algorithm (see `tf.random.Algorithm`); all give NumPy Philox numbers here.

    Returns:
      A tensor of `shape` and `dtype`.

    Raises:
      ValueError: for another dtype, or only one of `minval`/`maxval` for integers.
      InvalidArgumentError: if `seed` does not have shape [2].
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _STATELESS_UNIFORM:
        raise R.dtype_error(dtype, _STATELESS_UNIFORM)
    convert_alg(alg)
    shape = R.shape_arg(shape)
    seed = _seed(seed)
    if dtype.is_integer:
        if (minval is None) != (maxval is None):
            raise ValueError(
                f"For integer `dtype` argument <dtype: '{dtype.name}'>, argument `minval` and "
                f"`maxval` must be both None or not None. Got `minval`={minval} and "
                f"`maxval`={maxval}."
            )
        if minval is None:
            return StatelessRandomUniformFullInt(shape, seed, dtype=dtype, name=name)
        if dtype.is_unsigned:
            raise ValueError(
                f"Argument `dtype` got invalid value <dtype: '{dtype.name}'> when argument "
                "`minval` is not None. Please don't use unsigned integers in this case."
            )
        lo, hi = R.param(minval, dtype, "min"), R.param(maxval, dtype, "max")
        return StatelessRandomUniformInt(shape, seed, lo, hi, name=name)
    lo = R.param(0 if minval is None else minval, dtype, "min")
    hi = R.param(1 if maxval is None else maxval, dtype, "max")
    u = StatelessRandomUniform(shape, seed, dtype=dtype, name=name)
    return math_ops.add(math_ops.multiply(u, math_ops.subtract(hi, lo)), lo)


def stateless_random_normal(
    shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"
):
    """Normal values, a deterministic function of `seed` (an integer tensor of shape [2]).

    Args:
      shape: the output shape.
      seed: an int32 or int64 tensor of shape [2].
      mean: the mean.
      stddev: the standard deviation.
      dtype: float16, bfloat16, float32 or float64.
      name: a name for the op.
      alg: the RNG algorithm (see `tf.random.Algorithm`).

    Returns:
      A tensor of `shape` and `dtype`.
    """
    dtype = dtypes.as_dtype(dtype)
    convert_alg(alg)
    m, s = R.param(mean, dtype, "mean"), R.param(stddev, dtype, "stddev")
    x = StatelessRandomNormal(R.shape_arg(shape), _seed(seed), dtype=dtype, name=name)
    return R._scale_shift(x, m, s)


def stateless_truncated_normal(
    shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None, alg="auto_select"
):
    """Normal values within two stddevs of the mean, a deterministic function of `seed`.

    Args:
      shape: the output shape.
      seed: an int32 or int64 tensor of shape [2].
      mean: the mean of the untruncated distribution.
      stddev: its standard deviation.
      dtype: float16, bfloat16, float32 or float64.
      name: a name for the op.
      alg: the RNG algorithm (see `tf.random.Algorithm`).

    Returns:
      A tensor of `shape` and `dtype`.
    """
    dtype = dtypes.as_dtype(dtype)
    convert_alg(alg)
    m, s = R.param(mean, dtype, "mean"), R.param(stddev, dtype, "stddev")
    x = StatelessTruncatedNormal(R.shape_arg(shape), _seed(seed), dtype=dtype, name=name)
    return R._scale_shift(x, m, s)


def stateless_categorical(logits, num_samples, seed, dtype=dtypes.int64, name=None):
    """Class indices drawn from categorical distributions, a deterministic function of `seed`.

    Args:
      logits: a `[batch_size, num_classes]` float tensor of unnormalized log-probabilities.
      num_samples: how many indices to draw per row.
      seed: an int32 or int64 tensor of shape [2].
      dtype: int64 (default) or int32.
      name: a name for the op.

    Returns:
      A `[batch_size, num_samples]` tensor of indices.
    """
    out = dtypes.as_dtype(dtype)
    if out not in _INT:
        raise R.dtype_error(out, _INT)
    return StatelessMultinomial(
        as_tensor(logits), num_samples, _seed(seed), output_dtype=out, name=name
    )


def stateless_random_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Binomial samples (successes in `counts` trials of probability `probs`), a function of `seed`.

    Args:
      shape: the output shape; it must end with the broadcast shape of `counts` and `probs`.
      seed: an int32 or int64 tensor of shape [2].
      counts: numbers of trials.
      probs: success probabilities.
      output_dtype: float16, float32, float64, int32 (default) or int64.
      name: a name for the op.

    Returns:
      A tensor of `shape` and `output_dtype`.
    """
    probs_t = as_tensor(probs, dtype_hint=dtypes.float32)
    counts_t = as_tensor(counts, dtype_hint=probs_t.dtype)
    if counts_t.dtype is not probs_t.dtype:
        counts_t = math_ops.cast(counts_t, probs_t.dtype)
    return StatelessRandomBinomial(
        R.shape_arg(shape),
        _seed(seed),
        counts_t,
        probs_t,
        dtype=dtypes.as_dtype(output_dtype),
        name=name,
    )


def stateless_random_poisson(shape, seed, lam, dtype=dtypes.int32, name=None):
    """Poisson samples with rates `lam`, a deterministic function of `seed`.

    Args:
      shape: the output shape; it must end with the shape of `lam`.
      seed: an int32 or int64 tensor of shape [2].
      lam: the rates.
      dtype: float16, float32, float64, int32 (default) or int64.
      name: a name for the op.

    Returns:
      A tensor of `shape` and `dtype`.
    """
    lam_t = as_tensor(lam, dtype_hint=dtypes.float32)
    return StatelessRandomPoisson(
        R.shape_arg(shape), _seed(seed), lam_t, dtype=dtypes.as_dtype(dtype), name=name
    )


def stateless_random_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None):
    """Gamma samples with concentration `alpha` and rate `beta`, a function of `seed`.

    Args:
      shape: the output shape; it must end with the broadcast shape of `alpha` and `beta`.
      seed: an int32 or int64 tensor of shape [2].
      alpha: concentrations.
      beta: rates (default 1).
      dtype: float16, float32 or float64.
      name: a name for the op.

    Returns:
      A tensor of `shape` and `dtype`, never below the smallest positive normal number.
    """
    dtype = dtypes.as_dtype(dtype)
    alpha_t = convert_to_tensor(alpha, dtype=dtype)
    beta_t = None if beta is None else convert_to_tensor(beta, dtype=dtype)
    if beta_t is not None:
        alpha_t = math_ops.add(alpha_t, array_ops.zeros_like(beta_t))
    x = StatelessRandomGammaV2(R.shape_arg(shape), _seed(seed), alpha_t, name=name)
    if beta_t is not None:
        x = math_ops.divide(x, beta_t)
    tiny = np.asarray(np.finfo(dtype.as_numpy_dtype).tiny, dtype=dtype.as_numpy_dtype)
    return math_ops.maximum(x, tiny)


def stateless_parameterized_truncated_normal(
    shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0, name=None
):
    """Normal samples truncated to `[minvals, maxvals]`, a deterministic function of `seed`.

    Args:
      shape: the output shape; the parameters broadcast to it.
      seed: an int32 or int64 tensor of shape [2].
      means: means of the untruncated distributions.
      stddevs: their standard deviations.
      minvals: lower bounds.
      maxvals: upper bounds.
      name: a name for the op.

    Returns:
      A tensor of `shape` with the dtype of `means` (float32 for Python values).
    """
    m, s, lo, hi = (as_tensor(v) for v in (means, stddevs, minvals, maxvals))
    return StatelessParameterizedTruncatedNormal(
        R.shape_arg(shape), _seed(seed), m, s, lo, hi, name=name
    )


def stateless_shuffle(value, seed, alg="auto_select", name=None):
    """Permutes `value` along its first dimension, a deterministic function of `seed`.

    Args:
      value: a tensor.
      seed: an int32 or int64 tensor of shape [2].
      alg: the RNG algorithm (see `tf.random.Algorithm`).
      name: a name for the op.

    Returns:
      A tensor like `value` with its rows permuted.
    """
    convert_alg(alg)
    return StatelessShuffle(as_tensor(value), _seed(seed), name=name)


def split(seed, num=2, alg="auto_select"):
    """Derives `num` new seeds from one, for stateless ops that need independent streams.

    Args:
      seed: an int32 or int64 tensor of shape [2].
      num: how many seeds to make.
      alg: the RNG algorithm (see `tf.random.Algorithm`).

    Returns:
      A tensor of shape `[num, 2]` with the dtype of `seed`.
    """
    seed = _seed(seed)
    return stateless_random_uniform(
        [num, 2], seed, dtype=seed.dtype, minval=None, maxval=None, alg=alg
    )


def fold_in(seed, data, alg="auto_select"):
    """Derives a new seed from `seed` and an integer `data` (a step, a replica id...).

    Args:
      seed: an int32 or int64 tensor of shape [2].
      data: an integer scalar.
      alg: the RNG algorithm (see `tf.random.Algorithm`).

    Returns:
      A seed tensor of shape [2] with the dtype of `seed`.
    """
    seed = _seed(seed)
    first = stateless_random_uniform([], seed, dtype=seed.dtype, minval=None, maxval=None, alg=alg)
    data = math_ops.cast(as_tensor(data), seed.dtype)
    return array_ops.stack([first, data])


# ------------------------------------------------------------------ RandomIndexShuffle
# A keyed bijection of [0, max_index]: a Feistel network over the smallest even number of bits
# covering the range, walked until it lands inside (cycle walking keeps it a bijection).

_SHUFFLE_INT = (dtypes.int32, dtypes.uint32, dtypes.int64, dtypes.uint64)


def _mix(x):
    """SplitMix64's finalizer over uint64 arrays (wrapping arithmetic)."""
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def index_permutation(index, seed, max_index: int, rounds: int = 4) -> np.ndarray:
    """`index` (uint64 array) mapped through the permutation of [0, max_index] keyed by `seed`.

    `seed` is a uint64 array of shape [3] or [index.size, 3].
    """
    bits = max(2, int(max_index).bit_length())
    bits += bits % 2
    half = np.uint64(bits // 2)
    mask = np.uint64((1 << (bits // 2)) - 1)
    seed = seed.reshape(-1, 3)
    with np.errstate(over="ignore"):
        keys = [
            _mix(seed[:, 0] + np.uint64((0x9E3779B97F4A7C15 * (r + 1)) & R._MASK64))
            ^ _mix(seed[:, 1] ^ np.uint64((0x632BE59BD9B4E019 * r + 7) & R._MASK64))
            ^ _mix(seed[:, 2] + np.uint64(r))
            for r in range(rounds)
        ]

        def feistel(v, ks):
            left, right = v >> half, v & mask
            for k in ks:
                left, right = right, left ^ (_mix(right ^ k) & mask)
            return (left << half) | right

        out = feistel(index, keys)
        bad = out > np.uint64(max_index)
        while bad.any():
            sub = [k if k.size == 1 else k[bad] for k in keys]
            out[bad] = feistel(out[bad], sub)
            bad = out > np.uint64(max_index)
    return out


def _index_shuffle_dtype(dts, attrs):
    check_allowed(dts[0], _SHUFFLE_INT, "dtype")
    check_allowed(dts[1], _SHUFFLE_INT, "Tseed")
    return check_same(dts, (0, 2))


RandomIndexShuffle = defop(
    "RandomIndexShuffle",
    infer=Rule(_index_shuffle_dtype, lambda inputs, attrs: inputs[0].shape),
    host_inputs=(0, 1, 2),
    type_inputs=(0, 2),
)


@RandomIndexShuffle.kernel
def _(xp, index, seed, max_index, rounds=4):
    index, seed, max_index = np.asarray(index), np.asarray(seed), np.asarray(max_index)
    if index.ndim > 1:
        raise InvalidArgumentError(None, None, "Index bust be a scalar or vector.")
    n = index.size if index.ndim == 1 else 1
    if seed.shape != (3,) and seed.shape != (n, 3):
        raise InvalidArgumentError(
            None,
            None,
            f"Seed must be a vector of size [3] or a matrix of size [{n}, 3] but got "
            f"{list(seed.shape)}.",
        )
    top = int(max_index)
    idx = index.reshape(-1)
    if idx.size and int(idx.max()) > top:
        raise InvalidArgumentError(
            None, None, f"max_index must be >= index, but {top} < {int(idx.max())}"
        )
    out = index_permutation(idx.astype(np.uint64), seed.astype(np.uint64), top, rounds)
    return R._to_xp(xp, out.astype(index.dtype).reshape(index.shape))


not_differentiable(RandomIndexShuffle)


def random_index_shuffle(index, seed, max_index, rounds=4, name=None):
    """`tf.random_index_shuffle`: maps `index` through a random permutation of [0, max_index].

    Args:
      index: a scalar or vector of int32, uint32, int64 or uint64 indices in [0, max_index].
      seed: a [3] (or [len(index), 3]) integer tensor keying the permutation.
      max_index: the largest index, of the dtype of `index`.
      rounds: the number of Feistel rounds.
      name: a name for the op.

    Returns:
      A tensor like `index`: distinct indices map to distinct results.
    """
    index = as_tensor(index)
    if not hasattr(max_index, "dtype"):
        max_index = convert_to_tensor(max_index, dtype=index.dtype)
    return RandomIndexShuffle(index, as_tensor(seed), max_index, rounds=rounds, name=name)


def index_shuffle(index, seed, max_index):
    """`tf.random.experimental.index_shuffle`: the position of `index` in a random permutation.

    Args:
      index: a scalar or vector of integer indices in [0, max_index].
      seed: an integer tensor of shape [2] keying the permutation.
      max_index: the largest index.

    Returns:
      A tensor like `index` holding distinct indices in [0, max_index].
    """
    seed = as_tensor(seed)
    seed3 = manip_ops.concat([seed, array_ops.zeros([1], seed.dtype)], 0)
    return random_index_shuffle(index, seed3, max_index)
