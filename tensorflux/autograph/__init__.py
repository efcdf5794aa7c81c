"""Public `tf.autograph` namespace."""

from tensorflux._src.autograph.api import to_graph as to_graph
from tensorflux.autograph import experimental as experimental
