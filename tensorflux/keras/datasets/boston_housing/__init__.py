"""`tf.keras.datasets.boston_housing`."""

from tensorflux._src.keras.datasets.loaders import boston_housing_load_data as load_data
