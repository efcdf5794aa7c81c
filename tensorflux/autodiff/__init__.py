"""`tf.autodiff`: reverse-mode (GradientTape) and forward-mode (ForwardAccumulator) autodiff."""

from tensorflux._src.autodiff.backprop import GradientTape as GradientTape
from tensorflux._src.autodiff.forward import ForwardAccumulator as ForwardAccumulator
