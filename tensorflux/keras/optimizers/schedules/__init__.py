"""`tf.keras.optimizers.schedules`."""

from tensorflux._src.keras.optimizers.schedules import CosineDecay as CosineDecay
from tensorflux._src.keras.optimizers.schedules import CosineDecayRestarts as CosineDecayRestarts
from tensorflux._src.keras.optimizers.schedules import ExponentialDecay as ExponentialDecay
from tensorflux._src.keras.optimizers.schedules import InverseTimeDecay as InverseTimeDecay
from tensorflux._src.keras.optimizers.schedules import LearningRateSchedule as LearningRateSchedule
from tensorflux._src.keras.optimizers.schedules import (
    PiecewiseConstantDecay as PiecewiseConstantDecay,
)
from tensorflux._src.keras.optimizers.schedules import PolynomialDecay as PolynomialDecay
from tensorflux._src.keras.optimizers.schedules import deserialize as deserialize
from tensorflux._src.keras.optimizers.schedules import serialize as serialize
