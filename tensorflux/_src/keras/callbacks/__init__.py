"""Keras callbacks: hooks called by `fit`, `evaluate` and `predict` (trainer helper)."""
