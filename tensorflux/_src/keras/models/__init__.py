"""Model, Sequential and functional models."""
