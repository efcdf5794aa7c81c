"""`tf.keras.datasets.reuters`."""

from tensorflux._src.keras.datasets.loaders import reuters_load_data as load_data
from tensorflux._src.keras.datasets.loaders import reuters_get_word_index as get_word_index
