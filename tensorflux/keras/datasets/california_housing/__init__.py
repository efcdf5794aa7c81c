"""`tf.keras.datasets.california_housing`."""

from tensorflux._src.keras.datasets.loaders import california_housing_load_data as load_data
