"""`tf.keras.config`: global Keras settings."""

from tensorflux._src.keras.backend import backend as backend
from tensorflux._src.keras.backend import epsilon as epsilon
from tensorflux._src.keras.backend import floatx as floatx
from tensorflux._src.keras.backend import image_data_format as image_data_format
from tensorflux._src.keras.backend import set_epsilon as set_epsilon
from tensorflux._src.keras.backend import set_floatx as set_floatx
from tensorflux._src.keras.backend import set_image_data_format as set_image_data_format
from tensorflux._src.keras.dtype_policy import global_policy as dtype_policy
from tensorflux._src.keras.dtype_policy import set_global_policy as set_dtype_policy
from tensorflux._src.keras.utils.io_utils import (
    disable_interactive_logging as disable_interactive_logging,
)
from tensorflux._src.keras.utils.io_utils import (
    enable_interactive_logging as enable_interactive_logging,
)
from tensorflux._src.keras.utils.io_utils import (
    is_interactive_logging_enabled as is_interactive_logging_enabled,
)
from tensorflux._src.keras.serialization import enable_unsafe_deserialization as enable_unsafe_deserialization
