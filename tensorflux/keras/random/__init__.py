"""`tf.keras.random`: seeded random draws."""

from tensorflux._src.keras.random import SeedGenerator as SeedGenerator
from tensorflux._src.keras.random import categorical as categorical
from tensorflux._src.keras.random import dropout as dropout
from tensorflux._src.keras.random import normal as normal
from tensorflux._src.keras.random import randint as randint
from tensorflux._src.keras.random import shuffle as shuffle
from tensorflux._src.keras.random import truncated_normal as truncated_normal
from tensorflux._src.keras.random import uniform as uniform
