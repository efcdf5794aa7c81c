"""tf.train: checkpoints (and, later, Example protos)."""
