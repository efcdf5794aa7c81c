"""`tf.keras.preprocessing`: the dataset builders and image/sequence helpers Keras 3 still ships."""

from tensorflux._src.keras.utils.dataset_utils import image_dataset_from_directory as image_dataset_from_directory
from tensorflux._src.keras.utils.dataset_utils import text_dataset_from_directory as text_dataset_from_directory
from tensorflux._src.keras.utils.misc_utils import timeseries_dataset_from_array as timeseries_dataset_from_array
from tensorflux.keras.preprocessing import image as image
from tensorflux.keras.preprocessing import sequence as sequence
