"""`tf.keras.constraints`."""

from tensorflux._src.keras.constraints import Constraint as Constraint
from tensorflux._src.keras.constraints import MaxNorm as MaxNorm
from tensorflux._src.keras.constraints import MinMaxNorm as MinMaxNorm
from tensorflux._src.keras.constraints import NonNeg as NonNeg
from tensorflux._src.keras.constraints import UnitNorm as UnitNorm
from tensorflux._src.keras.constraints import deserialize as deserialize
from tensorflux._src.keras.constraints import get as get
from tensorflux._src.keras.constraints import max_norm as max_norm
from tensorflux._src.keras.constraints import min_max_norm as min_max_norm
from tensorflux._src.keras.constraints import non_neg as non_neg
from tensorflux._src.keras.constraints import serialize as serialize
from tensorflux._src.keras.constraints import unit_norm as unit_norm
