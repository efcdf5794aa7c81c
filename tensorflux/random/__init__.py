"""`tf.random`: random numbers, seeds and generators."""

from tensorflux._src.ops.random_ops import categorical as categorical
from tensorflux._src.ops.random_ops import gamma as gamma
from tensorflux._src.ops.random_ops import normal as normal
from tensorflux._src.ops.random_ops import poisson as poisson
from tensorflux._src.ops.random_ops import set_seed as set_seed
from tensorflux._src.ops.random_ops import shuffle as shuffle
from tensorflux._src.ops.random_ops import truncated_normal as truncated_normal
from tensorflux._src.ops.random_ops import uniform as uniform
from tensorflux._src.ops.stateless_random_ops import Algorithm as Algorithm
from tensorflux._src.ops.stateless_random_ops import fold_in as fold_in
from tensorflux._src.ops.stateless_random_ops import split as split
from tensorflux._src.ops.stateless_random_ops import stateless_categorical as stateless_categorical
from tensorflux._src.ops.stateless_random_ops import (
    stateless_parameterized_truncated_normal as stateless_parameterized_truncated_normal,
)
from tensorflux._src.ops.stateless_random_ops import stateless_random_binomial as stateless_binomial
from tensorflux._src.ops.stateless_random_ops import stateless_random_gamma as stateless_gamma
from tensorflux._src.ops.stateless_random_ops import stateless_random_normal as stateless_normal
from tensorflux._src.ops.stateless_random_ops import stateless_random_poisson as stateless_poisson
from tensorflux._src.ops.stateless_random_ops import stateless_random_uniform as stateless_uniform
from tensorflux._src.ops.stateless_random_ops import (
    stateless_truncated_normal as stateless_truncated_normal,
)
from tensorflux._src.random_generator import Generator as Generator
from tensorflux._src.random_generator import create_rng_state as create_rng_state
from tensorflux._src.random_generator import get_global_generator as get_global_generator
from tensorflux._src.random_generator import set_global_generator as set_global_generator
from tensorflux.random import experimental as experimental
