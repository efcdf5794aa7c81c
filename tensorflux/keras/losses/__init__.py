"""`tf.keras.losses`: loss classes, loss functions and get/serialize/deserialize."""

from tensorflux._src.keras.losses import deserialize as deserialize
from tensorflux._src.keras.losses import get as get
from tensorflux._src.keras.losses import serialize as serialize
from tensorflux._src.keras.losses.classes import BinaryCrossentropy as BinaryCrossentropy
from tensorflux._src.keras.losses.classes import BinaryFocalCrossentropy as BinaryFocalCrossentropy
from tensorflux._src.keras.losses.classes import (
    CategoricalCrossentropy as CategoricalCrossentropy,
)
from tensorflux._src.keras.losses.classes import (
    CategoricalFocalCrossentropy as CategoricalFocalCrossentropy,
)
from tensorflux._src.keras.losses.classes import (
    CategoricalGeneralizedCrossEntropy as CategoricalGeneralizedCrossEntropy,
)
from tensorflux._src.keras.losses.classes import CTC as CTC
from tensorflux._src.keras.losses.classes import CategoricalHinge as CategoricalHinge
from tensorflux._src.keras.losses.classes import Circle as Circle
from tensorflux._src.keras.losses.classes import CosineSimilarity as CosineSimilarity
from tensorflux._src.keras.losses.classes import Dice as Dice
from tensorflux._src.keras.losses.classes import Hinge as Hinge
from tensorflux._src.keras.losses.classes import Huber as Huber
from tensorflux._src.keras.losses.classes import KLDivergence as KLDivergence
from tensorflux._src.keras.losses.classes import LogCosh as LogCosh
from tensorflux._src.keras.losses.classes import MeanAbsoluteError as MeanAbsoluteError
from tensorflux._src.keras.losses.classes import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from tensorflux._src.keras.losses.classes import MeanSquaredError as MeanSquaredError
from tensorflux._src.keras.losses.classes import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
from tensorflux._src.keras.losses.classes import Poisson as Poisson
from tensorflux._src.keras.losses.classes import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from tensorflux._src.keras.losses.classes import SquaredHinge as SquaredHinge
from tensorflux._src.keras.losses.classes import Tversky as Tversky
from tensorflux._src.keras.losses.functions import KLD as KLD
from tensorflux._src.keras.losses.functions import MAE as MAE
from tensorflux._src.keras.losses.functions import MAPE as MAPE
from tensorflux._src.keras.losses.functions import MSE as MSE
from tensorflux._src.keras.losses.functions import MSLE as MSLE
from tensorflux._src.keras.losses.functions import binary_crossentropy as binary_crossentropy
from tensorflux._src.keras.losses.functions import (
    binary_focal_crossentropy as binary_focal_crossentropy,
)
from tensorflux._src.keras.losses.functions import (
    categorical_crossentropy as categorical_crossentropy,
)
from tensorflux._src.keras.losses.functions import (
    categorical_focal_crossentropy as categorical_focal_crossentropy,
)
from tensorflux._src.keras.losses.functions import (
    categorical_generalized_cross_entropy as categorical_generalized_cross_entropy,
)
from tensorflux._src.keras.losses.functions import categorical_hinge as categorical_hinge
from tensorflux._src.keras.losses.functions import circle as circle
from tensorflux._src.keras.losses.functions import cosine_similarity as cosine_similarity
from tensorflux._src.keras.losses.functions import ctc as ctc
from tensorflux._src.keras.losses.functions import dice as dice
from tensorflux._src.keras.losses.functions import hinge as hinge
from tensorflux._src.keras.losses.functions import huber as huber
from tensorflux._src.keras.losses.functions import kld as kld
from tensorflux._src.keras.losses.functions import (
    kullback_leibler_divergence as kullback_leibler_divergence,
)
from tensorflux._src.keras.losses.functions import logcosh as logcosh
from tensorflux._src.keras.losses.functions import mae as mae
from tensorflux._src.keras.losses.functions import mape as mape
from tensorflux._src.keras.losses.functions import mse as mse
from tensorflux._src.keras.losses.functions import msle as msle
from tensorflux._src.keras.losses.functions import poisson as poisson
from tensorflux._src.keras.losses.functions import (
    sparse_categorical_crossentropy as sparse_categorical_crossentropy,
)
from tensorflux._src.keras.losses.functions import squared_hinge as squared_hinge
from tensorflux._src.keras.losses.functions import tversky as tversky
from tensorflux._src.keras.losses.loss import Loss as Loss
from tensorflux._src.keras.losses.loss import Reduction as Reduction
