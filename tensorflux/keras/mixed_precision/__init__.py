"""`tf.keras.mixed_precision`: dtype policies (LossScaleOptimizer lives with the optimizers)."""

from tensorflux._src.keras.dtype_policy import DTypePolicy as DTypePolicy
from tensorflux._src.keras.dtype_policy import DTypePolicy as Policy
from tensorflux._src.keras.dtype_policy import global_policy as dtype_policy
from tensorflux._src.keras.dtype_policy import global_policy as global_policy
from tensorflux._src.keras.dtype_policy import set_global_policy as set_dtype_policy
from tensorflux._src.keras.dtype_policy import set_global_policy as set_global_policy
