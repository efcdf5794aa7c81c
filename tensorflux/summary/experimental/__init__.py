"""`tf.summary.experimental`: the default step, summary scopes and raw `Summary` writes."""

from tensorflux._src.summary.summary_ops import get_step as get_step
from tensorflux._src.summary.summary_ops import set_step as set_step
from tensorflux._src.summary.summary_ops import summary_scope as summary_scope
from tensorflux._src.summary.summary_ops import write_raw_pb as write_raw_pb
