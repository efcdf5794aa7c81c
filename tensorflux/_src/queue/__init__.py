"""tf.queue: host-side producer/consumer queues (see queues.py and queue_ops.py)."""
