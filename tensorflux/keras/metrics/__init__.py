"""`tf.keras.metrics`: metric classes, metric functions and get/serialize/deserialize."""

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
from tensorflux._src.keras.losses.functions import categorical_hinge as categorical_hinge
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
from tensorflux._src.keras.metrics import deserialize as deserialize
from tensorflux._src.keras.metrics import get as get
from tensorflux._src.keras.metrics import serialize as serialize
from tensorflux._src.keras.metrics.accuracy import Accuracy as Accuracy
from tensorflux._src.keras.metrics.accuracy import BinaryAccuracy as BinaryAccuracy
from tensorflux._src.keras.metrics.accuracy import CategoricalAccuracy as CategoricalAccuracy
from tensorflux._src.keras.metrics.accuracy import (
    SparseCategoricalAccuracy as SparseCategoricalAccuracy,
)
from tensorflux._src.keras.metrics.accuracy import (
    SparseTopKCategoricalAccuracy as SparseTopKCategoricalAccuracy,
)
from tensorflux._src.keras.metrics.accuracy import (
    TopKCategoricalAccuracy as TopKCategoricalAccuracy,
)
from tensorflux._src.keras.metrics.accuracy import binary_accuracy as binary_accuracy
from tensorflux._src.keras.metrics.accuracy import categorical_accuracy as categorical_accuracy
from tensorflux._src.keras.metrics.accuracy import (
    sparse_categorical_accuracy as sparse_categorical_accuracy,
)
from tensorflux._src.keras.metrics.accuracy import (
    sparse_top_k_categorical_accuracy as sparse_top_k_categorical_accuracy,
)
from tensorflux._src.keras.metrics.accuracy import (
    top_k_categorical_accuracy as top_k_categorical_accuracy,
)
from tensorflux._src.keras.metrics.base import Mean as Mean
from tensorflux._src.keras.metrics.base import MeanMetricWrapper as MeanMetricWrapper
from tensorflux._src.keras.metrics.base import Metric as Metric
from tensorflux._src.keras.metrics.base import Sum as Sum
from tensorflux._src.keras.metrics.confusion import AUC as AUC
from tensorflux._src.keras.metrics.confusion import FalseNegatives as FalseNegatives
from tensorflux._src.keras.metrics.confusion import FalsePositives as FalsePositives
from tensorflux._src.keras.metrics.confusion import Precision as Precision
from tensorflux._src.keras.metrics.confusion import PrecisionAtRecall as PrecisionAtRecall
from tensorflux._src.keras.metrics.confusion import Recall as Recall
from tensorflux._src.keras.metrics.confusion import RecallAtPrecision as RecallAtPrecision
from tensorflux._src.keras.metrics.confusion import (
    SensitivityAtSpecificity as SensitivityAtSpecificity,
)
from tensorflux._src.keras.metrics.confusion import (
    SpecificityAtSensitivity as SpecificityAtSensitivity,
)
from tensorflux._src.keras.metrics.confusion import TrueNegatives as TrueNegatives
from tensorflux._src.keras.metrics.confusion import TruePositives as TruePositives
from tensorflux._src.keras.metrics.f_score import F1Score as F1Score
from tensorflux._src.keras.metrics.f_score import FBetaScore as FBetaScore
from tensorflux._src.keras.metrics.iou import BinaryIoU as BinaryIoU
from tensorflux._src.keras.metrics.iou import IoU as IoU
from tensorflux._src.keras.metrics.iou import MeanIoU as MeanIoU
from tensorflux._src.keras.metrics.iou import OneHotIoU as OneHotIoU
from tensorflux._src.keras.metrics.iou import OneHotMeanIoU as OneHotMeanIoU
from tensorflux._src.keras.metrics.probabilistic import BinaryCrossentropy as BinaryCrossentropy
from tensorflux._src.keras.metrics.probabilistic import (
    CategoricalCrossentropy as CategoricalCrossentropy,
)
from tensorflux._src.keras.metrics.probabilistic import CategoricalHinge as CategoricalHinge
from tensorflux._src.keras.metrics.probabilistic import Hinge as Hinge
from tensorflux._src.keras.metrics.probabilistic import KLDivergence as KLDivergence
from tensorflux._src.keras.metrics.probabilistic import Poisson as Poisson
from tensorflux._src.keras.metrics.probabilistic import (
    SparseCategoricalCrossentropy as SparseCategoricalCrossentropy,
)
from tensorflux._src.keras.metrics.probabilistic import SquaredHinge as SquaredHinge
from tensorflux._src.keras.metrics.regression import (
    ConcordanceCorrelation as ConcordanceCorrelation,
)
from tensorflux._src.keras.metrics.regression import CosineSimilarity as CosineSimilarity
from tensorflux._src.keras.metrics.regression import LogCoshError as LogCoshError
from tensorflux._src.keras.metrics.regression import MeanAbsoluteError as MeanAbsoluteError
from tensorflux._src.keras.metrics.regression import (
    MeanAbsolutePercentageError as MeanAbsolutePercentageError,
)
from tensorflux._src.keras.metrics.regression import MeanSquaredError as MeanSquaredError
from tensorflux._src.keras.metrics.regression import (
    MeanSquaredLogarithmicError as MeanSquaredLogarithmicError,
)
from tensorflux._src.keras.metrics.regression import PearsonCorrelation as PearsonCorrelation
from tensorflux._src.keras.metrics.regression import R2Score as R2Score
from tensorflux._src.keras.metrics.regression import RootMeanSquaredError as RootMeanSquaredError
from tensorflux._src.keras.metrics.regression import (
    concordance_correlation as concordance_correlation,
)
from tensorflux._src.keras.metrics.regression import pearson_correlation as pearson_correlation
