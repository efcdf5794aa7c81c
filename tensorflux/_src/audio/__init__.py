"""`tf.audio` internals: WAV decoding and encoding."""
