"""`tf.keras.datasets`: small standard datasets (see docs/keras.md for offline copies)."""

from tensorflux.keras.datasets import boston_housing as boston_housing
from tensorflux.keras.datasets import california_housing as california_housing
from tensorflux.keras.datasets import cifar10 as cifar10
from tensorflux.keras.datasets import cifar100 as cifar100
from tensorflux.keras.datasets import fashion_mnist as fashion_mnist
from tensorflux.keras.datasets import imdb as imdb
from tensorflux.keras.datasets import mnist as mnist
from tensorflux.keras.datasets import reuters as reuters
