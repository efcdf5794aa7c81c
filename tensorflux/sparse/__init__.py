"""`tf.sparse`: SparseTensor and the ops on it."""

from tensorflux._src.ops.sparse_cross import cross as cross
from tensorflux._src.ops.sparse_cross import cross_hashed as cross_hashed
from tensorflux._src.ops.sparse_ops import add as add
from tensorflux._src.ops.sparse_ops import from_dense as from_dense
from tensorflux._src.ops.sparse_ops import maximum as maximum
from tensorflux._src.ops.sparse_ops import minimum as minimum
from tensorflux._src.ops.sparse_ops import reduce_max as reduce_max
from tensorflux._src.ops.sparse_ops import reduce_sum as reduce_sum
from tensorflux._src.ops.sparse_ops import reorder as reorder
from tensorflux._src.ops.sparse_ops import softmax as softmax
from tensorflux._src.ops.sparse_ops import sparse_dense_matmul as sparse_dense_matmul
from tensorflux._src.ops.sparse_ops import to_dense as to_dense
from tensorflux._src.ops.sparse_ops2 import bincount as bincount
from tensorflux._src.ops.sparse_ops2 import concat as concat
from tensorflux._src.ops.sparse_ops2 import expand_dims as expand_dims
from tensorflux._src.ops.sparse_ops2 import eye as eye
from tensorflux._src.ops.sparse_ops2 import fill_empty_rows as fill_empty_rows
from tensorflux._src.ops.sparse_ops2 import map_values as map_values
from tensorflux._src.ops.sparse_ops2 import mask as mask
from tensorflux._src.ops.sparse_ops2 import reset_shape as reset_shape
from tensorflux._src.ops.sparse_ops2 import reshape as reshape
from tensorflux._src.ops.sparse_ops2 import retain as retain
from tensorflux._src.ops.sparse_ops2 import segment_mean as segment_mean
from tensorflux._src.ops.sparse_ops2 import segment_sqrt_n as segment_sqrt_n
from tensorflux._src.ops.sparse_ops2 import segment_sum as segment_sum
from tensorflux._src.ops.sparse_ops2 import slice as slice  # noqa: A004
from tensorflux._src.ops.sparse_ops2 import split as split
from tensorflux._src.ops.sparse_ops2 import to_indicator as to_indicator
from tensorflux._src.ops.sparse_ops2 import transpose as transpose
from tensorflux._src.sparse_tensor import SparseTensor as SparseTensor
