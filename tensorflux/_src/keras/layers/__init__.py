"""Keras layers: the base and every concrete family."""
