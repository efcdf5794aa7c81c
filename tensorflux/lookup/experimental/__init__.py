"""tf.lookup.experimental: the mutable tables."""

from tensorflux._src.lookup.tables import DenseHashTable as DenseHashTable
from tensorflux._src.lookup.tables import MutableHashTable as MutableHashTable
