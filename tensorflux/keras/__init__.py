"""`tf.keras`: Keras 3 as TensorFlow 2.21 ships it (imported on first use of `tf.keras`)."""

from tensorflux._src.keras.constraints import Constraint as Constraint
from tensorflux._src.keras.dtype_policy import DTypePolicy as DTypePolicy
from tensorflux._src.keras.dtype_policy import DTypePolicy as FloatDTypePolicy
from tensorflux._src.keras.initializers import Initializer as Initializer
from tensorflux._src.keras.keras_tensor import KerasTensor as KerasTensor
from tensorflux._src.keras.layers.input_layer import Input as Input
from tensorflux._src.keras.layers.input_spec import InputSpec as InputSpec
from tensorflux._src.keras.layers.layer import Layer as Layer
from tensorflux._src.keras.losses.loss import Loss as Loss
from tensorflux._src.keras.metrics.base import Metric as Metric
from tensorflux._src.keras.models.model import Model as Model
from tensorflux._src.keras.models.sequential import Sequential as Sequential
from tensorflux._src.keras.optimizers import Optimizer as Optimizer
from tensorflux._src.keras.regularizers import Regularizer as Regularizer
from tensorflux._src.keras.variables import Variable as Variable
from tensorflux.keras import activations as activations
from tensorflux.keras import backend as backend
from tensorflux.keras import callbacks as callbacks
from tensorflux.keras import config as config
from tensorflux.keras import constraints as constraints
from tensorflux.keras import datasets as datasets
from tensorflux.keras import initializers as initializers
from tensorflux.keras import layers as layers
from tensorflux.keras import losses as losses
from tensorflux.keras import metrics as metrics
from tensorflux.keras import mixed_precision as mixed_precision
from tensorflux.keras import models as models
from tensorflux.keras import optimizers as optimizers
from tensorflux.keras import preprocessing as preprocessing
from tensorflux.keras import random as random
from tensorflux.keras import regularizers as regularizers
from tensorflux.keras import utils as utils


def version() -> str:
    """The Keras version whose behaviour and file layout tensorflux follows."""
    return "3.15.1"


__version__ = "3.15.1"
