"""Keras model and weight files."""
