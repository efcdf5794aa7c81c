"""tf.data: input pipelines (see docs/design/data.md)."""
