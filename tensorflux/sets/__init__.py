"""tf.sets: set operations along the last dimension of dense and sparse tensors."""

from tensorflux._src.ops.set_ops import set_difference as difference
from tensorflux._src.ops.set_ops import set_intersection as intersection
from tensorflux._src.ops.set_ops import set_size as size
from tensorflux._src.ops.set_ops import set_union as union
