"""tf.image: written against the public tf API (a client area, see tests/test_layers.py)."""
