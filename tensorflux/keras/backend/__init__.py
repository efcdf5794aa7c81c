"""`tf.keras.backend`: global settings and a few tensor helpers of the legacy backend API."""

from tensorflux._src.keras.backend import backend as backend
from tensorflux._src.keras.backend import clear_session as clear_session
from tensorflux._src.keras.backend import epsilon as epsilon
from tensorflux._src.keras.backend import floatx as floatx
from tensorflux._src.keras.backend import get_uid as get_uid
from tensorflux._src.keras.backend import image_data_format as image_data_format
from tensorflux._src.keras.backend import is_float_dtype as is_float_dtype
from tensorflux._src.keras.backend import set_epsilon as set_epsilon
from tensorflux._src.keras.backend import set_floatx as set_floatx
from tensorflux._src.keras.backend import set_image_data_format as set_image_data_format
from tensorflux._src.keras.backend import standardize_dtype as standardize_dtype
from tensorflux._src.keras.keras_tensor import is_keras_tensor as is_keras_tensor
