"""`tf.keras.optimizers`."""

from tensorflux._src.keras.optimizers import Adadelta as Adadelta
from tensorflux._src.keras.optimizers import Adafactor as Adafactor
from tensorflux._src.keras.optimizers import Adagrad as Adagrad
from tensorflux._src.keras.optimizers import Adam as Adam
from tensorflux._src.keras.optimizers import AdamW as AdamW
from tensorflux._src.keras.optimizers import Adamax as Adamax
from tensorflux._src.keras.optimizers import Ftrl as Ftrl
from tensorflux._src.keras.optimizers import Lamb as Lamb
from tensorflux._src.keras.optimizers import Lion as Lion
from tensorflux._src.keras.optimizers import LossScaleOptimizer as LossScaleOptimizer
from tensorflux._src.keras.optimizers import Muon as Muon
from tensorflux._src.keras.optimizers import MultiOptimizer as MultiOptimizer
from tensorflux._src.keras.optimizers import Nadam as Nadam
from tensorflux._src.keras.optimizers import OptimizerMap as OptimizerMap
from tensorflux._src.keras.optimizers import Optimizer as Optimizer
from tensorflux._src.keras.optimizers import RMSprop as RMSprop
from tensorflux._src.keras.optimizers import SGD as SGD
from tensorflux._src.keras.optimizers import ScheduleFreeAdamW as ScheduleFreeAdamW
from tensorflux._src.keras.optimizers import deserialize as deserialize
from tensorflux._src.keras.optimizers import get as get
from tensorflux._src.keras.optimizers import serialize as serialize
from tensorflux.keras.optimizers import schedules as schedules
