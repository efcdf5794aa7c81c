"""`tf.random.Generator`: a random number generator with explicit state.

The state is TensorFlow's layout, held in a non-trainable int64 `tf.Variable`: 3 words for PHILOX
(counter low, counter high, key) or 2 for THREEFRY (counter, key). Each draw reads the state,
derives a seed for a stateless op from (key, counter) and writes back the state with its counter
advanced, all as ops, so draws inside a traced `tf.function` advance the state on every call. A
generator's sequence is a pure function of its initial state, identical on every device; the
bits differ from TensorFlow's Philox kernels.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import random_ops as R
from tensorflux._src.ops import stateless_random_ops as S
from tensorflux._src.tensor import EagerTensor, Tensor, constant

Algorithm = S.Algorithm
_MASK64 = (1 << 64) - 1
_STATE_SIZE = {Algorithm.PHILOX: 3, Algorithm.THREEFRY: 2}


def _resolve(alg) -> Algorithm:
    a = S.convert_alg(alg)
    return Algorithm.PHILOX if a is Algorithm.AUTO_SELECT else a


def _words(value, size: int) -> np.ndarray:
    """An integer (or sequence of integers) as `size` int64 words, low word first, zero padded."""
    if isinstance(value, Tensor) or hasattr(value, "numpy"):
        value = value.numpy()
    if isinstance(value, (int, np.integer)):
        v = int(value) & ((1 << (64 * size)) - 1)
        out = [(v >> (64 * i)) & _MASK64 for i in range(size)]
    else:
        flat = [int(x) & _MASK64 for x in np.asarray(value).reshape(-1)]
        if len(flat) > size:
            raise ValueError(
                f"Seed has {len(flat)} words, more than the state size {size} of the algorithm."
            )
        out = flat + [0] * (size - len(flat))
    return np.array(out, dtype=np.uint64).view(np.int64)


def _counter_of(state: np.ndarray) -> int:
    words = np.asarray(state[:-1], np.int64).view(np.uint64)
    return sum(int(w) << (64 * i) for i, w in enumerate(words))


def _with_counter(state: np.ndarray, counter: int) -> np.ndarray:
    out = np.array(state, dtype=np.int64, copy=True)
    n = len(out) - 1
    counter &= (1 << (64 * n)) - 1
    for i in range(n):
        out[i] = np.uint64((counter >> (64 * i)) & _MASK64).view(np.int64)
    return out


# ------------------------------------------------------------------ RngSeedAndSkip
# tensorflux's own op (TensorFlow reads and skips a resource in one op, RngReadAndSkip): from a
# state vector it derives a stateless seed and the state with its counter advanced by `delta`.


def _seed_skip_shape(inputs, attrs):
    return [TensorShape([2]), inputs[0].shape]


RngSeedAndSkip = defop(
    "RngSeedAndSkip",
    infer=Rule(lambda dts, attrs: [dtypes.int64, dtypes.int64], _seed_skip_shape),
    num_outputs=2,
    host_inputs=(0,),
)


@RngSeedAndSkip.kernel
def _(xp, state, delta=1):
    state = np.asarray(state, np.int64)
    counter = _counter_of(state)
    bg = np.random.Philox(key=int(state[-1]) & _MASK64, counter=counter)
    seed = np.random.Generator(bg).integers(
        -(2**63), 2**63 - 1, size=2, dtype=np.int64, endpoint=True
    )
    return [R._to_xp(xp, seed), R._to_xp(xp, _with_counter(state, counter + int(delta)))]


not_differentiable(RngSeedAndSkip)


def create_rng_state(seed, alg):
    """The initial RNG state for `seed` and algorithm `alg`, as an int64 vector.

    Args:
      seed: an integer (or a sequence of 64-bit words).
      alg: a `tf.random.Algorithm`, its name or value.

    Returns:
      An int64 tensor of shape [3] for PHILOX, [2] for THREEFRY.
    """
    a = _resolve(alg)
    return constant(_words(seed, _STATE_SIZE[a]), dtype=dtypes.int64)


class Generator:
    """A random number generator whose state is explicit and can be saved, reset and split.

    Make one with `Generator.from_seed(seed)`, `from_non_deterministic_state()`,
    `from_state(state, alg)` or `from_key_counter(key, counter, alg)`. The state is a
    non-trainable int64 `tf.Variable` (`generator.state`), so it is saved with checkpoints of
    objects that hold the generator.

    >>> g = tf.random.Generator.from_seed(1)
    >>> g.normal([2]).shape
    TensorShape([2])
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError(
                    "When `copy_from` is not None, neither `state` nor `alg` may be given."
                )
            self._alg = copy_from._alg
            words = copy_from._state_var.numpy()
        else:
            if state is None or alg is None:
                raise ValueError("`state` and `alg` must both be given (or use a factory method).")
            self._alg = _resolve(alg)
            words = self._check_state(state)
        from tensorflux._src.variables import Variable

        self._state_var = Variable(
            np.asarray(words, np.int64), dtype=dtypes.int64, trainable=False, name="StateVar"
        )

    def _check_state(self, state) -> np.ndarray:
        arr = np.asarray(state.numpy() if hasattr(state, "numpy") else state)
        size = _STATE_SIZE[self._alg]
        if arr.shape != (size,):
            raise ValueError(f"Shapes {arr.shape} and [{size}] are incompatible")
        return arr.astype(np.int64)

    # --------------------------------------------------------------- factories

    @classmethod
    def from_state(cls, state, alg):
        """A generator with the given state vector and algorithm."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose state is made from an integer seed (see `create_rng_state`)."""
        a = _resolve(alg)
        return cls(state=_words(seed, _STATE_SIZE[a]), alg=a)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from OS entropy: different on every run."""
        a = _resolve(alg)
        words = np.random.default_rng().integers(0, 2**63, size=_STATE_SIZE[a], dtype=np.int64)
        return cls(state=words, alg=a)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        """A generator from a key (a scalar) and a counter (1 word for THREEFRY, 2 for PHILOX)."""
        a = _resolve(alg)
        return cls(state=_key_counter_state(key, counter), alg=a)

    # --------------------------------------------------------------- state

    @property
    def state(self):
        """The state, an int64 `tf.Variable`."""
        return self._state_var

    @property
    def algorithm(self) -> int:
        """The algorithm's value (1 for PHILOX, 2 for THREEFRY)."""
        return self._alg.value

    @property
    def key(self):
        """The key part of the state."""
        return self._state_var.read_value()[-1]

    def reset(self, state):
        """Replaces the state."""
        if not isinstance(state, Tensor) or isinstance(state, EagerTensor):
            state = self._check_state(state)
        self._state_var.assign(state, read_value=False)

    def reset_from_seed(self, seed):
        """Resets the state as `from_seed(seed)` would make it."""
        self.reset(_words(seed, _STATE_SIZE[self._alg]))

    def reset_from_key_counter(self, key, counter):
        """Resets the state from a key and a counter."""
        self.reset(_key_counter_state(key, counter))

    def skip(self, delta):
        """Advances the counter by `delta` draws' worth."""
        self._seed(int(delta))

    def _seed(self, delta: int = 1):
        """A fresh [2] int64 seed for one stateless draw, advancing the state past it (as ops)."""
        seed, new_state = RngSeedAndSkip(self._state_var.read_value(), delta=delta)
        self._state_var.assign(new_state, read_value=False)
        return seed

    # --------------------------------------------------------------- draws

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Uniform values in `[minval, maxval)` (see `tf.random.uniform`).

        For integer dtypes give both `minval` and `maxval`, or neither for the whole range.

        Raises:
          ValueError: for an integer dtype with only one of `minval`, `maxval`.
        """
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer and (minval is None) != (maxval is None):
            raise ValueError(
                f"For integer dtype <dtype: '{dtype.name}'>, minval and maxval must be both "
                f"`None` or both non-`None`; got minval={minval} and maxval={maxval}"
            )
        if not dtype.is_integer and maxval is None:
            maxval = 1
        return S.stateless_random_uniform(
            shape, self._seed(), minval=minval, maxval=maxval, dtype=dtype, name=name
        )

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Integers drawn uniformly from the whole range of `dtype` (int32/int64/uint32/uint64)."""
        return S.stateless_random_uniform(
            shape, self._seed(), minval=None, maxval=None, dtype=dtype, name=name
        )

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal values (see `tf.random.normal`)."""
        return S.stateless_random_normal(shape, self._seed(), mean, stddev, dtype, name)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal values within two stddevs of the mean (see `tf.random.truncated_normal`)."""
        return S.stateless_truncated_normal(shape, self._seed(), mean, stddev, dtype, name)

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        """Binomial samples (see `tf.random.stateless_binomial`)."""
        return S.stateless_random_binomial(shape, self._seed(), counts, probs, dtype, name)

    def make_seeds(self, count=1):
        """`count` seeds for stateless ops, as an int64 tensor of shape [2, count]."""
        return self.uniform_full_int([2, count], dtype=dtypes.int64)

    def split(self, count=1):
        """`count` new generators, independent of this one and of each other; advances this one."""
        size = _STATE_SIZE[self._alg]
        seeds = self.uniform_full_int([count, size], dtype=dtypes.int64).numpy()
        return [Generator(state=s, alg=self._alg) for s in seeds]


def _key_counter_state(key, counter) -> np.ndarray:
    counter = np.asarray(counter.numpy() if hasattr(counter, "numpy") else counter)
    key = np.asarray(key.numpy() if hasattr(key, "numpy") else key)
    return np.concatenate([counter.reshape(-1), key.reshape(-1)]).astype(np.int64)


# ------------------------------------------------------------------ the global generator

_global = None


def get_global_generator() -> Generator:
    """The process-wide generator, made from OS entropy on first use.

    Raises:
      RuntimeError: with op determinism enabled, unless `set_global_generator` was called.
    """
    global _global
    if _global is None:
        from tensorflux._src.core import context

        if context.op_determinism():
            raise RuntimeError(
                '"get_global_generator" cannot be called if determinism is enabled, unless '
                '"set_global_generator" has already been called. Please call '
                '"set_global_generator" first.'
            )
        _global = Generator.from_non_deterministic_state()
    return _global


def set_global_generator(generator: Generator) -> None:
    """Replaces the global generator (existing references keep the old one)."""
    global _global
    _global = generator


__all__ = [
    "Algorithm",
    "Generator",
    "create_rng_state",
    "get_global_generator",
    "set_global_generator",
]
