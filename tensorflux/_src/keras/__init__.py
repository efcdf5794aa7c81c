"""Keras on tensorflux (see docs/design/keras.md)."""
