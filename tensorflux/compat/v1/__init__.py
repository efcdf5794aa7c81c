"""`tf.compat.v1`: the TensorFlow 1 pieces tensorflux supports.

Graphs built inside `with tf.Graph().as_default():` run in a `Session`, fed through
placeholders; variables made there are listed by `global_variables()` and re-initialized by
`global_variables_initializer()`; `graph_util` freezes variables into constants. Anything else
of TensorFlow 1's API is absent (see docs/compat.md) rather than approximated.
"""

from tensorflux._src.compat.config_pb import ConfigProto as ConfigProto
from tensorflux._src.compat.config_pb import GPUOptions as GPUOptions
from tensorflux._src.compat.session import InteractiveSession as InteractiveSession
from tensorflux._src.compat.session import Session as Session
from tensorflux._src.compat.session import get_default_graph as get_default_graph
from tensorflux._src.compat.session import get_default_session as get_default_session
from tensorflux._src.compat.session import global_variables as global_variables
from tensorflux._src.compat.session import (
    global_variables_initializer as global_variables_initializer,
)
from tensorflux._src.compat.session import (
    local_variables_initializer as local_variables_initializer,
)
from tensorflux._src.compat.session import placeholder as placeholder
from tensorflux._src.compat.session import reset_default_graph as reset_default_graph
from tensorflux._src.compat.session import trainable_variables as trainable_variables
from tensorflux._src.compat.session import variables_initializer as variables_initializer
from tensorflux._src.compat.v1_mode import disable_eager_execution as disable_eager_execution
from tensorflux._src.compat.v1_mode import disable_v2_behavior as disable_v2_behavior
from tensorflux._src.compat.v1_mode import enable_eager_execution as enable_eager_execution
from tensorflux._src.compat.v1_mode import enable_v2_behavior as enable_v2_behavior
from tensorflux._src.core.context import executing_eagerly as executing_eagerly
from tensorflux._src.graph.graph import Graph as Graph
from tensorflux._src.ops.random_ops import set_seed as set_random_seed
from tensorflux.compat.v1 import graph_util as graph_util
from tensorflux.compat.v1 import logging as logging
from tensorflux.compat.v1 import random as random
from tensorflux.compat.v1 import train as train


def __getattr__(name):
    raise AttributeError(
        f"module 'tensorflux.compat.v1' has no attribute '{name}': tensorflux offers only part "
        "of TensorFlow 1's API (Session, ConfigProto, placeholder, variable initializers, "
        "graph_util, logging, set_random_seed, train.summary_iterator); use the TensorFlow 2 form "
        f"(tf.{name}) if there is one"
    )
