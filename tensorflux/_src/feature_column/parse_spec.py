"""`make_parse_example_spec`: the `tf.io.parse_example` spec of a set of columns."""

from __future__ import annotations

from tensorflux._src.feature_column.base import FeatureColumn


def make_parse_example_spec(feature_columns):
    """Merges the columns' parse specs into one dict for `tf.io.parse_example`."""
    result = {}
    for column in feature_columns:
        if not isinstance(column, FeatureColumn):
            raise ValueError(
                f"All feature_columns must be FeatureColumn instances. Given: {column}"
            )
        for key, spec in column.parse_example_spec.items():
            if key in result and result[key] != spec:
                raise ValueError(
                    f"feature_columns contain different parse_spec for key {key}. "
                    f"Given {spec} and {result[key]}"
                )
            result[key] = spec
    return result
