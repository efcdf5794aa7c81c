"""tf.graph_util: importing GraphDefs."""

from tensorflux._src.graph.graph_def import import_graph_def as import_graph_def
