"""`tf.random.experimental`: aliases of `tf.random` names and seed utilities."""

from tensorflux._src.ops.stateless_random_ops import Algorithm as Algorithm
from tensorflux._src.ops.stateless_random_ops import fold_in as stateless_fold_in
from tensorflux._src.ops.stateless_random_ops import split as stateless_split
from tensorflux._src.ops.stateless_random_ops import stateless_shuffle as stateless_shuffle
from tensorflux._src.random_generator import Generator as Generator
from tensorflux._src.random_generator import create_rng_state as create_rng_state
from tensorflux._src.random_generator import get_global_generator as get_global_generator
from tensorflux._src.random_generator import set_global_generator as set_global_generator
from tensorflux._src.ops.stateless_random_ops import index_shuffle as index_shuffle
