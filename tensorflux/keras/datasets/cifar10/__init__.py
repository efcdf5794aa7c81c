"""`tf.keras.datasets.cifar10`."""

from tensorflux._src.keras.datasets.loaders import cifar10_load_data as load_data
