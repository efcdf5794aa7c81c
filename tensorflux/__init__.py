"""tensorflux: TensorFlow 2 in Python. `import tensorflux as tf`."""

from tensorflux._src import dispatch as _dispatch  # noqa: F401 - installs the dispatch point
from tensorflux._src import ops as _ops  # noqa: F401 - registers every op

# --- core: dtypes, shapes, tensors
from tensorflux._src.core.dtypes import DType as DType
from tensorflux._src.core.dtypes import as_dtype as as_dtype
from tensorflux._src.core.dtypes import bfloat16 as bfloat16
from tensorflux._src.core.dtypes import bool as bool
from tensorflux._src.core.dtypes import complex64 as complex64
from tensorflux._src.core.dtypes import complex128 as complex128
from tensorflux._src.core.dtypes import double as double
from tensorflux._src.core.dtypes import float16 as float16
from tensorflux._src.core.dtypes import float32 as float32
from tensorflux._src.core.dtypes import float64 as float64
from tensorflux._src.core.dtypes import half as half
from tensorflux._src.core.dtypes import int8 as int8
from tensorflux._src.core.dtypes import int16 as int16
from tensorflux._src.core.dtypes import int32 as int32
from tensorflux._src.core.dtypes import int64 as int64
from tensorflux._src.core.dtypes import resource as resource
from tensorflux._src.core.dtypes import string as string
from tensorflux._src.core.dtypes import uint8 as uint8
from tensorflux._src.core.dtypes import uint16 as uint16
from tensorflux._src.core.dtypes import uint32 as uint32
from tensorflux._src.core.dtypes import uint64 as uint64
from tensorflux._src.core.dtypes import variant as variant
from tensorflux._src.core.shape import TensorShape as TensorShape
from tensorflux._src.core.context import executing_eagerly as executing_eagerly
from tensorflux._src.tensor import Tensor as Tensor
from tensorflux._src.tensor import constant as constant
from tensorflux._src.tensor import convert_to_tensor as convert_to_tensor
from tensorflux._src.tensor import is_tensor as is_tensor
from tensorflux._src.tensor import register_tensor_conversion_function as register_tensor_conversion_function

# --- autodiff
from tensorflux._src.autodiff.backprop import GradientTape as GradientTape
from tensorflux._src.autodiff.backprop import UnconnectedGradients as UnconnectedGradients

# --- math (public functions also live under tf.math)
from tensorflux._src.ops.math_ops import add as add
from tensorflux._src.ops.math_ops import add_n as add_n
from tensorflux._src.ops.math_ops import cast as cast
from tensorflux._src.ops.math_ops import cos as cos
from tensorflux._src.ops.math_ops import divide as divide
from tensorflux._src.ops.math_ops import equal as equal
from tensorflux._src.ops.math_ops import exp as exp
from tensorflux._src.ops.math_ops import greater as greater
from tensorflux._src.ops.math_ops import greater_equal as greater_equal
from tensorflux._src.ops.math_ops import less as less
from tensorflux._src.ops.math_ops import less_equal as less_equal
from tensorflux._src.ops.math_ops import logical_and as logical_and
from tensorflux._src.ops.math_ops import logical_not as logical_not
from tensorflux._src.ops.math_ops import logical_or as logical_or
from tensorflux._src.ops.math_ops import maximum as maximum
from tensorflux._src.ops.math_ops import minimum as minimum
from tensorflux._src.ops.math_ops import multiply as multiply
from tensorflux._src.ops.math_ops import negative as negative
from tensorflux._src.ops.math_ops import not_equal as not_equal
from tensorflux._src.ops.math_ops import sigmoid as sigmoid
from tensorflux._src.ops.math_ops import sin as sin
from tensorflux._src.ops.math_ops import sqrt as sqrt
from tensorflux._src.ops.math_ops import square as square
from tensorflux._src.ops.math_ops import subtract as subtract
from tensorflux._src.ops.math_ops import tanh as tanh
from tensorflux._src.ops.math_ops import truediv as truediv
from tensorflux._src.ops.reduction_ops import reduce_sum as reduce_sum

# --- array ops
from tensorflux._src.ops.array_ops import fill as fill
from tensorflux._src.ops.array_ops import identity as identity
from tensorflux._src.ops.array_ops import ones as ones
from tensorflux._src.ops.array_ops import ones_like as ones_like
from tensorflux._src.ops.array_ops import reshape as reshape
from tensorflux._src.ops.array_ops import shape as shape
from tensorflux._src.ops.array_ops import stack as stack
from tensorflux._src.ops.array_ops import unstack as unstack
from tensorflux._src.ops.array_ops import where as where
from tensorflux._src.ops.array_ops import zeros as zeros
from tensorflux._src.ops.array_ops import zeros_like as zeros_like

# --- devices
from tensorflux._src.core.device import DeviceSpec as DeviceSpec
from tensorflux._src.devices.scope import device as device

# --- public subpackages
from tensorflux import math as math
