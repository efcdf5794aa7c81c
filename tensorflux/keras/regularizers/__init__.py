"""`tf.keras.regularizers`."""

from tensorflux._src.keras.regularizers import L1 as L1
from tensorflux._src.keras.regularizers import L1L2 as L1L2
from tensorflux._src.keras.regularizers import L2 as L2
from tensorflux._src.keras.regularizers import OrthogonalRegularizer as OrthogonalRegularizer
from tensorflux._src.keras.regularizers import Regularizer as Regularizer
from tensorflux._src.keras.regularizers import deserialize as deserialize
from tensorflux._src.keras.regularizers import get as get
from tensorflux._src.keras.regularizers import l1 as l1
from tensorflux._src.keras.regularizers import l1_l2 as l1_l2
from tensorflux._src.keras.regularizers import l2 as l2
from tensorflux._src.keras.regularizers import orthogonal_regularizer as orthogonal_regularizer
from tensorflux._src.keras.regularizers import serialize as serialize
