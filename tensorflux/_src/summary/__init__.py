"""`tf.summary`: TensorBoard event files written by tensorflux itself, and the summary ops."""
