"""`tf.compat.v1.graph_util`: freezing, pruning and importing GraphDefs."""

from tensorflux._src.graph.graph_def import (
    convert_variables_to_constants as convert_variables_to_constants,
)
from tensorflux._src.graph.graph_def import extract_sub_graph as extract_sub_graph
from tensorflux._src.graph.graph_def import import_graph_def as import_graph_def
from tensorflux._src.graph.graph_def import remove_training_nodes as remove_training_nodes
from tensorflux._src.graph.graph_def import (
    tensor_shape_from_node_def_name as tensor_shape_from_node_def_name,
)
