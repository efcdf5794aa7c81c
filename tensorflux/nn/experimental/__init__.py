"""`tf.nn.experimental`: dropout variants with caller-controlled randomness."""

from tensorflux._src.ops.nn_ops import general_dropout as general_dropout
from tensorflux._src.ops.nn_ops import stateless_dropout as stateless_dropout
