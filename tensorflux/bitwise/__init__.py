"""`tf.bitwise`: bitwise operations on integer tensors."""

from tensorflux._src.ops.bitwise_ops import bitwise_and as bitwise_and
from tensorflux._src.ops.bitwise_ops import bitwise_or as bitwise_or
from tensorflux._src.ops.bitwise_ops import bitwise_xor as bitwise_xor
from tensorflux._src.ops.bitwise_ops import invert as invert
from tensorflux._src.ops.bitwise_ops import left_shift as left_shift
from tensorflux._src.ops.bitwise_ops import right_shift as right_shift
