"""`tf.compat.v1.train`: reading TensorBoard event files."""

from tensorflux._src.summary.event_file import read_events as summary_iterator
