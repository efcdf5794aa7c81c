"""Stateful random ops (`tf.random.uniform`, `normal`, `categorical`, ...) and `tf.random.set_seed`.

Seeds follow TensorFlow's rules. An op gets two seeds, `seed` (the global seed) and `seed2` (the
op seed): with neither set the op draws from fresh OS entropy on every call; with a global seed
set, each call without an op seed gets the next op seed from a generator seeded by the global
seed, so a program rerun after `set_seed` repeats its numbers; an op seed without a global seed
is paired with a fixed default global seed. Each (seed, seed2) pair is a stream: its kernel
advances a counter per run, so repeated calls with the same seeds differ but repeat after
`set_seed`.

Kernels draw on the host with NumPy's Philox generator keyed by (seed, seed2) and move the result
to the op's device, so every device gives the same numbers. The bits differ from TensorFlow's own
Philox kernels: programs are reproducible run to run, not bit-equal to TensorFlow's samples.
Random ops have no gradients.
"""

from __future__ import annotations

import collections
import random as _pyrandom
import threading

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, floating, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, math_ops
from tensorflux._src.ops._util import as_tensor, static_shape_of
from tensorflux._src.tensor import Tensor, convert_to_tensor

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2**31 - 1
_MASK64 = (1 << 64) - 1
_INT_SHAPE = (dtypes.int32, dtypes.int64)

# ------------------------------------------------------------------ seeds


class _SeedState:
    def __init__(self):
        self.global_seed = None
        self.op_seeds = None  # random.Random(global_seed): the op seeds of unseeded calls


_seed_state = _SeedState()


def set_seed(seed):
    """Sets the global random seed, making a program's random ops repeat from here on.

    After `set_seed(s)`, every random op (and `tf.random.Generator` made from the global seed)
    produces the same sequence of values each time the program runs, on every device. Calling
    `set_seed(s)` again restarts the sequences. `set_seed(None)` clears the global seed.

    Args:
      seed: an integer, or None.
    """
    if seed is None:
        _seed_state.global_seed = None
        _seed_state.op_seeds = None
    else:
        seed = int(seed)
        _seed_state.global_seed = seed
        _seed_state.op_seeds = _pyrandom.Random(seed)
    with _streams_lock:
        _streams.clear()


def get_seed(op_seed):
    """The (global seed, op seed) pair an op with op seed `op_seed` runs with.

    Returns (None, None) when neither seed is set: the op is then nondeterministic.

    Raises:
      RuntimeError: with op determinism enabled and no seed set.
    """
    g = _seed_state.global_seed
    if g is not None:
        if op_seed is None:
            op_seed = _seed_state.op_seeds.randint(0, _MAXINT32)
        seeds = (g, int(op_seed))
    elif op_seed is not None:
        seeds = (DEFAULT_GRAPH_SEED, int(op_seed))
    else:
        seeds = (None, None)
    if seeds == (None, None) and _context.op_determinism():
        raise RuntimeError(
            "Random ops require a seed to be set when determinism is enabled. Please set a seed "
            "before running the op, e.g. by calling tf.random.set_seed(1)."
        )
    if seeds == (0, 0):
        return (0, _MAXINT32)
    return seeds


def _op_seeds(seed):
    s1, s2 = get_seed(seed)
    return (0, 0) if s1 is None else (s1, s2)


# Per (seed, seed2) stream counters. Unseeded calls under a global seed draw fresh op seeds, so
# the table is bounded (least recently used out); a stream evicted and reused restarts.
_streams: collections.OrderedDict = collections.OrderedDict()
_streams_lock = threading.Lock()
_MAX_STREAMS = 4096


def _key(a: int, b: int) -> int:
    return (int(a) & _MASK64) | ((int(b) & _MASK64) << 64)


def stream(seed: int, seed2: int) -> np.random.Generator:
    """The NumPy generator for the next run of the op stream (seed, seed2); (0, 0): OS entropy."""
    if seed == 0 and seed2 == 0:
        return np.random.default_rng()
    k = (seed, seed2)
    with _streams_lock:
        n = _streams.pop(k, 0)
        _streams[k] = n + 1
        if len(_streams) > _MAX_STREAMS:
            _streams.popitem(last=False)
    # The run counter sits in the counter's top word: runs never overlap.
    return np.random.Generator(np.random.Philox(key=_key(seed, seed2), counter=n << 192))


def stateless_stream(seed) -> np.random.Generator:
    """The NumPy generator a stateless op with seed tensor value `seed` (shape [2]) draws from."""
    seed = np.asarray(seed)
    if seed.shape != (2,):
        raise InvalidArgumentError(None, None, f"seed must have shape [2], not {list(seed.shape)}")
    # A tag in the counter keeps stateless streams apart from stateful ones with equal seeds.
    return np.random.Generator(np.random.Philox(key=_key(seed[0], seed[1]), counter=1 << 255))


# ------------------------------------------------------------------ samplers (host NumPy)


def host(a) -> np.ndarray:
    """A kernel input as a host NumPy array (CuPy arrays are copied back)."""
    if isinstance(a, np.ndarray):
        return a
    get = getattr(a, "get", None)
    return get() if get is not None else np.asarray(a)


def dims(shape) -> tuple:
    shape = np.asarray(shape)
    if shape.ndim != 1:
        raise InvalidArgumentError(
            None, None, f"shape must be a vector of {{int32,int64}}, got shape {list(shape.shape)}"
        )
    out = tuple(int(d) for d in shape)
    for d in out:
        if d < 0:
            raise InvalidArgumentError(None, None, f"Dimension {d} must be >= 0")
    return out


def uniform01(gen, shape, dtype: dtypes.DType) -> np.ndarray:
    """Uniform floats in [0, 1) of `dtype`, exactly representable so that 1.0 never appears."""
    if dtype is dtypes.float64:
        return gen.random(shape, dtype=np.float64)
    if dtype is dtypes.float32:
        return gen.random(shape, dtype=np.float32)
    bits = 10 if dtype is dtypes.float16 else 7  # mantissa bits of half / bfloat16
    u = gen.integers(0, 1 << bits, size=shape, dtype=np.int64) * (1.0 / (1 << bits))
    return u.astype(dtype.as_numpy_dtype)


def normal_sample(gen, shape, dtype: dtypes.DType) -> np.ndarray:
    np_t = np.float64 if dtype is dtypes.float64 else np.float32
    return gen.standard_normal(shape, dtype=np_t).astype(dtype.as_numpy_dtype, copy=False)


def truncated(gen, shape, dtype: dtypes.DType) -> np.ndarray:
    """Standard normals redrawn until they fall within two standard deviations."""
    np_t = np.float64 if dtype is dtypes.float64 else np.float32
    x = gen.standard_normal(shape, dtype=np_t)
    bad = np.abs(x) > 2.0
    while bad.any():
        x[bad] = gen.standard_normal(int(bad.sum()), dtype=np_t)
        bad = np.abs(x) > 2.0
    return x.astype(dtype.as_numpy_dtype, copy=False)


def uniform_int(gen, shape, lo, hi, np_t) -> np.ndarray:
    lo, hi = host(lo), host(hi)
    if lo.ndim != 0:
        raise InvalidArgumentError(None, None, f"minval must be 0-D, got shape {list(lo.shape)}")
    if hi.ndim != 0:
        raise InvalidArgumentError(None, None, f"maxval must be 0-D, got shape {list(hi.shape)}")
    lo, hi = int(lo), int(hi)
    if not lo < hi:
        raise InvalidArgumentError(None, None, f"Need minval < maxval, got {lo} >= {hi}")
    return gen.integers(lo, hi, size=shape, dtype=np_t)


def full_int(gen, shape, np_t) -> np.ndarray:
    info = np.iinfo(np_t)
    return gen.integers(info.min, info.max, size=shape, dtype=np_t, endpoint=True)


def multinomial(gen, logits, num_samples, np_out) -> np.ndarray:
    logits = host(logits)
    if logits.ndim != 2:
        raise InvalidArgumentError(
            None, None, f"logits should be a matrix, got shape {list(logits.shape)}"
        )
    n = int(host(num_samples))
    if n < 0:
        raise InvalidArgumentError(None, None, f"num_samples should be non-negative, got {n}")
    batch, classes = logits.shape
    if classes <= 0:
        raise InvalidArgumentError(None, None, f"num_classes should be positive, got {classes}")
    lg = logits.astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        lg = lg - np.max(lg, axis=1, keepdims=True)
        cdf = np.cumsum(np.exp(lg), axis=1)
    cdf /= cdf[:, -1:]
    u = gen.random((batch, n))
    out = np.empty((batch, n), dtype=np_out)
    for b in range(batch):
        out[b] = np.minimum(np.searchsorted(cdf[b], u[b], side="right"), classes - 1)
    return out


def _to_xp(xp, a):
    return a if xp is np else xp.asarray(a)


# ------------------------------------------------------------------ rules


def _check_shape_dtype(dts):
    check_allowed(dts[0], _INT_SHAPE, "T")


def _shape_only(allowed):
    """Rule for ops whose only input is a shape and whose dtype is the `dtype` attr."""

    def dtype(dts, attrs):
        _check_shape_dtype(dts)
        out = attrs.get("dtype", dtypes.float32)
        check_allowed(out, allowed, "dtype")
        return out

    return Rule(dtype, lambda inputs, attrs: static_shape_of(inputs[0]))


def _shape_plus_param(inputs, attrs):
    """`shape` followed by the shape of the parameter input (RandomGamma, RandomPoissonV2)."""
    return static_shape_of(inputs[0]).concatenate(inputs[1].shape)


# ------------------------------------------------------------------ RandomUniform

RandomUniform = defop("RandomUniform", infer=_shape_only(floating), stateful=True, host_inputs=(0,))


@RandomUniform.kernel
def _(xp, shape, seed=0, seed2=0, dtype=dtypes.float32):
    return _to_xp(xp, uniform01(stream(seed, seed2), dims(shape), dtype))


def _uniform_int_dtype(dts, attrs):
    _check_shape_dtype(dts)
    check_allowed(dts[1], _INT_SHAPE, "Tout")
    return check_same(dts, (1, 2))


RandomUniformInt = defop(
    "RandomUniformInt",
    infer=Rule(_uniform_int_dtype, lambda inputs, attrs: static_shape_of(inputs[0])),
    stateful=True,
    host_inputs=(0,),
    type_inputs=(1, 2),
)


@RandomUniformInt.kernel
def _(xp, shape, minval, maxval, seed=0, seed2=0):
    np_t = host(minval).dtype
    return _to_xp(xp, uniform_int(stream(seed, seed2), dims(shape), minval, maxval, np_t))


RandomStandardNormal = defop(
    "RandomStandardNormal", infer=_shape_only(floating), stateful=True, host_inputs=(0,)
)


@RandomStandardNormal.kernel
def _(xp, shape, seed=0, seed2=0, dtype=dtypes.float32):
    return _to_xp(xp, normal_sample(stream(seed, seed2), dims(shape), dtype))


TruncatedNormal = defop(
    "TruncatedNormal", infer=_shape_only(floating), stateful=True, host_inputs=(0,)
)


@TruncatedNormal.kernel
def _(xp, shape, seed=0, seed2=0, dtype=dtypes.float32):
    return _to_xp(xp, truncated(stream(seed, seed2), dims(shape), dtype))


# ------------------------------------------------------------------ Multinomial


def multinomial_rule(logits_index=0, samples_index=1):
    def dtype(dts, attrs):
        check_allowed(dts[logits_index], floating, "T")
        out = attrs.get("output_dtype", dtypes.int64)
        check_allowed(out, _INT_SHAPE, "output_dtype")
        return out

    def shape(inputs, attrs):
        lg = inputs[logits_index].shape
        if lg.rank is not None and lg.rank != 2:
            raise InvalidArgumentError(
                None, None, f"logits should be a matrix, got shape {lg.as_list()}"
            )
        v = static_value(inputs[samples_index])
        n = None if v is None else int(v)
        return TensorShape([None if lg.rank is None else lg[0], n])

    return Rule(dtype, shape)


Multinomial = defop(
    "Multinomial", infer=multinomial_rule(), stateful=True, host_inputs=(1,), type_inputs=(0,)
)


@Multinomial.kernel
def _(xp, logits, num_samples, seed=0, seed2=0, output_dtype=dtypes.int64):
    out = multinomial(stream(seed, seed2), logits, num_samples, output_dtype.as_numpy_dtype)
    return _to_xp(xp, out)


# ------------------------------------------------------------------ RandomShuffle

RandomShuffle = defop(
    "RandomShuffle",
    infer=Rule(lambda dts, attrs: dts[0], lambda inputs, attrs: inputs[0].shape),
    stateful=True,
)


def shuffle_rows(xp, value, gen):
    if value.ndim == 0 or value.shape[0] <= 1:
        return value.copy() if hasattr(value, "copy") else value
    perm = gen.permutation(value.shape[0])
    return value[_to_xp(xp, perm)]


@RandomShuffle.kernel
def _(xp, value, seed=0, seed2=0):
    return shuffle_rows(xp, value, stream(seed, seed2))


# ------------------------------------------------------------------ RandomGamma, RandomPoissonV2

_GAMMA_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64)
_POISSON_TYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64)


def _gamma_dtype(dts, attrs):
    _check_shape_dtype(dts)
    check_allowed(dts[1], _GAMMA_TYPES, "T")
    return dts[1]


RandomGamma = defop(
    "RandomGamma",
    infer=Rule(_gamma_dtype, _shape_plus_param),
    stateful=True,
    host_inputs=(0,),
    type_inputs=(1,),
)


def gamma_sample(gen, shape, alpha, np_t) -> np.ndarray:
    a = host(alpha).astype(np.float64)
    return gen.standard_gamma(np.broadcast_to(a, shape)).astype(np_t)


@RandomGamma.kernel
def _(xp, shape, alpha, seed=0, seed2=0):
    a = host(alpha)
    out_shape = dims(shape) + a.shape
    return _to_xp(xp, gamma_sample(stream(seed, seed2), out_shape, a, a.dtype))


def _poisson_dtype(dts, attrs):
    _check_shape_dtype(dts)
    check_allowed(dts[1], _POISSON_TYPES, "R")
    out = attrs.get("dtype", dtypes.int64)
    check_allowed(out, _POISSON_TYPES, "dtype")
    return out


RandomPoissonV2 = defop(
    "RandomPoissonV2",
    infer=Rule(_poisson_dtype, _shape_plus_param),
    stateful=True,
    host_inputs=(0,),
    type_inputs=(1,),
)


def poisson_sample(gen, shape, lam, out: dtypes.DType) -> np.ndarray:
    lam = np.broadcast_to(host(lam).astype(np.float64), shape)
    return gen.poisson(np.maximum(lam, 0.0)).astype(out.as_numpy_dtype)


@RandomPoissonV2.kernel
def _(xp, shape, rate, seed=0, seed2=0, dtype=dtypes.int64):
    r = host(rate)
    return _to_xp(xp, poisson_sample(stream(seed, seed2), dims(shape) + r.shape, r, dtype))


not_differentiable(
    RandomUniform, RandomUniformInt, RandomStandardNormal, TruncatedNormal, Multinomial,
    RandomShuffle, RandomGamma, RandomPoissonV2,
)  # fmt: skip

# ------------------------------------------------------------------ public functions


def dtype_error(dtype, allowed) -> ValueError:
    names = ", ".join(f"tf.{d.name}" for d in allowed)
    return ValueError(
        f"Argument `dtype` got invalid value <dtype: '{dtype.name}'>. Accepted dtypes are "
        f"({names})."
    )


def shape_arg(shape):
    """A shape argument (list, tuple, TensorShape or tensor) in a form the ops accept."""
    if isinstance(shape, TensorShape):
        return shape.as_list()
    if isinstance(shape, Tensor):
        return shape
    return shape


def param(value, dtype, what):
    """A distribution parameter (mean, stddev, minval...) as a tensor of `dtype`."""
    try:
        return convert_to_tensor(value, dtype=dtype)
    except ValueError as e:
        raise ValueError(f"{what}: {e}") from None


_UNIFORM_TYPES = (
    dtypes.float16,
    dtypes.bfloat16,
    dtypes.float32,
    dtypes.float64,
    dtypes.int32,
    dtypes.int64,
)


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Draws values uniformly from `[minval, maxval)`.

    Floats come from `[0, 1)` scaled and shifted; integers are drawn without bias.

    Args:
      shape: the output shape (a 1-D integer tensor, list or TensorShape).
      minval: the inclusive lower bound (a scalar or a tensor broadcastable to `shape` for floats).
      maxval: the exclusive upper bound; defaults to 1 for floats and is required for integers.
      dtype: float16, bfloat16, float32, float64, int32 or int64.
      seed: the op seed; see `tf.random.set_seed`.
      name: a name for the op.

    Returns:
      A tensor of `shape` and `dtype`.

    Raises:
      ValueError: for another dtype, or an integer dtype without `maxval`.
      InvalidArgumentError: for integers when `minval >= maxval`.
    """
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _UNIFORM_TYPES:
        raise dtype_error(dtype, _UNIFORM_TYPES)
    shape = shape_arg(shape)
    s1, s2 = _op_seeds(seed)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype tf.{dtype.name}")
        lo = param(minval, dtype, "min")
        hi = param(maxval, dtype, "max")
        return RandomUniformInt(shape, lo, hi, seed=s1, seed2=s2, name=name)
    lo = param(minval, dtype, "min")
    hi = param(1 if maxval is None else maxval, dtype, "max")
    u = RandomUniform(shape, seed=s1, seed2=s2, dtype=dtype, name=name)
    if static_value(lo) is not None and static_value(hi) is not None:
        if float(np.max(static_value(lo))) == 0 and float(np.min(static_value(hi))) == 1:
            if np.ndim(static_value(lo)) == 0 and np.ndim(static_value(hi)) == 0:
                return u
    return math_ops.add(math_ops.multiply(u, math_ops.subtract(hi, lo)), lo)


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Draws values from a normal distribution.

    Args:
      shape: the output shape.
      mean: the mean (a scalar or a tensor broadcastable to `shape`).
      stddev: the standard deviation (likewise).
      dtype: float16, bfloat16, float32 or float64.
      seed: the op seed; see `tf.random.set_seed`.
      name: a name for the op.

    Returns:
      A tensor of `shape` and `dtype`.

    Raises:
      TypeError: if `mean` or `stddev` do not convert to `dtype`.
    """
    dtype = dtypes.as_dtype(dtype)
    mean_t = param(mean, dtype, "mean")
    std_t = param(stddev, dtype, "stddev")
    s1, s2 = _op_seeds(seed)
    x = RandomStandardNormal(shape_arg(shape), seed=s1, seed2=s2, dtype=dtype, name=name)
    return _scale_shift(x, mean_t, std_t)


def _scale_shift(x, mean_t, std_t):
    m, s = static_value(mean_t), static_value(std_t)
    if m is not None and s is not None and np.ndim(m) == 0 and np.ndim(s) == 0:
        if float(m) == 0 and float(s) == 1:
            return x
    return math_ops.add(math_ops.multiply(x, std_t), mean_t)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Draws from a normal distribution, redrawing values more than two stddevs from the mean.

    Args:
      shape: the output shape.
      mean: the mean of the (untruncated) normal distribution.
      stddev: its standard deviation.
      dtype: float16, bfloat16, float32 or float64.
      seed: the op seed; see `tf.random.set_seed`.
      name: a name for the op.

    Returns:
      A tensor of `shape` and `dtype`.
    """
    dtype = dtypes.as_dtype(dtype)
    mean_t = param(mean, dtype, "mean")
    std_t = param(stddev, dtype, "stddev")
    s1, s2 = _op_seeds(seed)
    x = TruncatedNormal(shape_arg(shape), seed=s1, seed2=s2, dtype=dtype, name=name)
    return _scale_shift(x, mean_t, std_t)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Draws class indices from categorical distributions given by unnormalized log-probabilities.

    Args:
      logits: a `[batch_size, num_classes]` float tensor; row `i` holds the log-probabilities
        (up to a constant) of distribution `i`.
      num_samples: how many indices to draw per row.
      dtype: int64 (default) or int32.
      seed: the op seed; see `tf.random.set_seed`.
      name: a name for the op.

    Returns:
      A `[batch_size, num_samples]` tensor of indices.

    Raises:
      ValueError: for another dtype.
      InvalidArgumentError: if `logits` is not a matrix, has no classes, or `num_samples < 0`.
    """
    out = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    if out not in _INT_SHAPE:
        raise dtype_error(out, _INT_SHAPE)
    s1, s2 = _op_seeds(seed)
    return Multinomial(
        as_tensor(logits), num_samples, seed=s1, seed2=s2, output_dtype=out, name=name
    )


def multinomial_v1(logits, num_samples, seed=None, name=None, output_dtype=None):
    """`tf.compat.v1.multinomial`: `categorical` with the older argument name."""
    return categorical(logits, num_samples, dtype=output_dtype, seed=seed, name=name)


def shuffle(value, seed=None, name=None):
    """Randomly permutes a tensor along its first dimension.

    Args:
      value: a tensor; a scalar is returned unchanged.
      seed: the op seed; see `tf.random.set_seed`.
      name: a name for the op.

    Returns:
      A tensor like `value` with its rows permuted.
    """
    s1, s2 = _op_seeds(seed)
    return RandomShuffle(as_tensor(value), seed=s1, seed2=s2, name=name)


def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None):
    """Draws from gamma distributions with concentration `alpha` and rate `beta`.

    Args:
      shape: the shape of the samples drawn per distribution.
      alpha: concentrations; `alpha` and `beta` broadcast together to give the distributions.
      beta: rates (default 1).
      dtype: float16, float32 or float64.
      seed: the op seed; see `tf.random.set_seed`.
      name: a name for the op.

    Returns:
      A tensor of shape `shape + broadcast(alpha, beta).shape`, never below the smallest positive
      normal number of `dtype`.
    """
    dtype = dtypes.as_dtype(dtype)
    tiny = np.finfo(dtype.as_numpy_dtype).tiny
    alpha_t = param(alpha, dtype, "alpha")
    beta_t = None if beta is None else param(beta, dtype, "beta")
    if beta_t is not None:
        alpha_t = math_ops.add(alpha_t, array_ops.zeros_like(beta_t))
    s1, s2 = _op_seeds(seed)
    x = RandomGamma(shape_arg(shape), alpha_t, seed=s1, seed2=s2, name=name)
    if beta_t is not None:
        x = math_ops.divide(x, beta_t)
    return math_ops.maximum(x, np.asarray(tiny, dtype=dtype.as_numpy_dtype))


def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None):
    """Draws from Poisson distributions with rates `lam`.

    Args:
      shape: the shape of the samples drawn per distribution.
      lam: the rates; a float or integer tensor.
      dtype: float16, float32, float64, int32 or int64.
      seed: the op seed; see `tf.random.set_seed`.
      name: a name for the op.

    Returns:
      A tensor of shape `shape + lam.shape`.
    """
    dtype = dtypes.as_dtype(dtype)
    s1, s2 = _op_seeds(seed)
    lam_t = as_tensor(lam, dtype_hint=dtypes.float32)
    return RandomPoissonV2(shape_arg(shape), lam_t, seed=s1, seed2=s2, dtype=dtype, name=name)
