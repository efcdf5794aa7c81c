"""`tf.nn`: neural-network ops. The activations, convolutions and losses land with Keras (issue 4)."""

from tensorflux._src.ops.activation_ops import sigmoid as sigmoid
from tensorflux._src.ops.activation_ops import softplus as softplus
from tensorflux._src.ops.activation_ops import softsign as softsign
from tensorflux._src.ops.reduction_ops import l2_normalize as l2_normalize
from tensorflux._src.ops.segment_ops import in_top_k as in_top_k
from tensorflux._src.ops.sort_ops import top_k as top_k
from tensorflux._src.ops.space_ops import depth_to_space as depth_to_space
from tensorflux._src.ops.space_ops import space_to_batch as space_to_batch
from tensorflux._src.ops.space_ops import space_to_depth as space_to_depth
from tensorflux._src.ops.trig_ops import tanh as tanh
