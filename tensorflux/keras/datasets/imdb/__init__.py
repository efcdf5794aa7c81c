"""`tf.keras.datasets.imdb`."""

from tensorflux._src.keras.datasets.loaders import imdb_load_data as load_data
from tensorflux._src.keras.datasets.loaders import imdb_get_word_index as get_word_index
