"""`tf.keras.datasets.mnist`."""

from tensorflux._src.keras.datasets.loaders import mnist_load_data as load_data
