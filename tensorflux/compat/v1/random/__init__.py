"""`tf.compat.v1.random`: the TensorFlow 1 name of the global seed setter."""

from tensorflux._src.ops.random_ops import set_seed as set_random_seed
