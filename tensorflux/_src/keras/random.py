"""`keras.random`: seeded random draws and `SeedGenerator`.

Every draw is a stateless op fed a (2,) int64 seed. An int seed gives the same numbers on every
call; a `SeedGenerator` (a variable holding the seed state, advanced by each draw) gives new
numbers each call, eagerly and inside tf.function; None uses a global generator.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.keras import backend
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.random")
class SeedGenerator:
    """A source of fresh seeds for `keras.random` draws (its state is a non-trainable variable).

    Args:
      seed: an int making the sequence of seeds reproducible; None draws one at random.
      name: the name of the state's scope (default "seed_generator").
    """

    def __init__(self, seed=None, name=None, **kwargs):
        from tensorflux._src.function import init_scope
        from tensorflux._src.keras.variables import Variable

        if seed is None:
            seed = int(np.random.randint(1, 2**31 - 1))
        if not isinstance(seed, (int, np.integer)):
            raise ValueError(f"Argument `seed` must be an integer. Received: seed={seed}")
        self._initial_seed = int(seed)
        self.name = name or backend.unique_object_name("seed_generator")
        with init_scope(), backend.name_scope(self.name):
            self.state = Variable(
                np.array([seed, 0], dtype=np.int64), dtype="int64", trainable=False,
                name="seed_generator_state",
            )  # fmt: skip

    def next(self, ordered=True):
        """The current seed (a (2,) int64 tensor); advances the state."""
        seed = self.state.read_value()
        self.state.assign_add(np.array([0, 1], dtype=np.int64))
        return seed

    def get_config(self) -> dict:
        return {"seed": self._initial_seed}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


_GLOBAL = None


def global_seed_generator() -> SeedGenerator:
    global _GLOBAL
    if _GLOBAL is None:
        _GLOBAL = SeedGenerator(name="global_seed_generator")
    return _GLOBAL


def draw_seed(seed):
    """A (2,) int64 seed tensor from an int, a SeedGenerator or None."""
    from tensorflux._src.tensor import constant

    if isinstance(seed, SeedGenerator):
        return seed.next()
    if seed is None:
        return global_seed_generator().next()
    if isinstance(seed, (int, np.integer)):
        return constant(np.array([seed, 0], dtype=np.int64))
    if hasattr(seed, "shape") and tuple(seed.shape) == (2,):
        return seed
    raise ValueError(
        "Argument `seed` must be either an integer or an instance of `SeedGenerator`. "
        f"Received: seed={seed} (of type {type(seed)})"
    )


def _dtype(dtype):
    return dtypes.as_dtype(backend.standardize_dtype(dtype))


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution."""
    from tensorflux._src.ops.stateless_random_ops import stateless_random_normal

    return stateless_random_normal(shape, draw_seed(seed), mean, stddev, dtype=_dtype(dtype))


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples uniformly from [minval, maxval)."""
    from tensorflux._src.ops.stateless_random_ops import stateless_random_uniform

    return stateless_random_uniform(
        shape, draw_seed(seed), minval=minval, maxval=maxval, dtype=_dtype(dtype)
    )


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples from a normal distribution truncated to two standard deviations."""
    from tensorflux._src.ops.stateless_random_ops import stateless_truncated_normal

    return stateless_truncated_normal(shape, draw_seed(seed), mean, stddev, dtype=_dtype(dtype))


def randint(shape, minval, maxval, dtype="int32", seed=None):
    """Samples integers uniformly from [minval, maxval)."""
    from tensorflux._src.ops.stateless_random_ops import stateless_random_uniform

    return stateless_random_uniform(
        shape, draw_seed(seed), minval=minval, maxval=maxval, dtype=dtypes.as_dtype(dtype)
    )


def categorical(logits, num_samples, dtype="int32", seed=None):
    """Draws class indices from the categorical distributions given by `logits` rows."""
    from tensorflux._src.ops.stateless_random_ops import stateless_categorical

    return stateless_categorical(logits, num_samples, draw_seed(seed), dtype=dtypes.as_dtype(dtype))


def shuffle(x, axis=0, seed=None):
    """Shuffles `x` along `axis`."""
    from tensorflux._src.ops.array_ops import transpose
    from tensorflux._src.ops.stateless_random_ops import stateless_shuffle

    if axis == 0:
        return stateless_shuffle(x, draw_seed(seed))
    rank = len(x.shape)
    perm = list(range(rank))
    perm[0], perm[axis] = perm[axis], perm[0]
    return transpose(stateless_shuffle(transpose(x, perm), draw_seed(seed)), perm)


def dropout(inputs, rate, noise_shape=None, seed=None):
    """Zeroes entries with probability `rate` and scales the rest by 1 / (1 - rate)."""
    from tensorflux._src.ops import math_ops
    from tensorflux._src.ops.array_ops import shape as tf_shape

    if noise_shape is None:
        noise_shape = tf_shape(inputs)
    keep = uniform(noise_shape, dtype=inputs.dtype, seed=seed) >= rate
    scale = 1.0 / (1.0 - rate)
    return math_ops.multiply(inputs * scale, math_ops.cast(keep, inputs.dtype))
