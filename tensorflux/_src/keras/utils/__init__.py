"""Keras utilities: progress bar, model summary, data helpers (trainer helper)."""
