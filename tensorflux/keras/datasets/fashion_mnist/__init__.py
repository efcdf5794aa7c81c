"""`tf.keras.datasets.fashion_mnist`."""

from tensorflux._src.keras.datasets.loaders import fashion_mnist_load_data as load_data
