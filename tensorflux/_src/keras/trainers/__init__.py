"""compile/fit/evaluate/predict."""
