"""tf.lookup: hash tables kept on the host, reached through resource handles."""
