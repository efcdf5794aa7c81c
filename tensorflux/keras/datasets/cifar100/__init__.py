"""`tf.keras.datasets.cifar100`."""

from tensorflux._src.keras.datasets.loaders import cifar100_load_data as load_data
