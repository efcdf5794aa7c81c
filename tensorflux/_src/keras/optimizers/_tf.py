"""The few TensorFlow-named ops the optimizers and schedules use, taken from `_src` (modules
under `_src` must not import the public `tensorflux` package)."""

from __future__ import annotations

import types

from tensorflux._src.autodiff.backprop import GradientTape as GradientTape
from tensorflux._src.control_flow.cond import cond as cond
from tensorflux._src.core.context import executing_eagerly as executing_eagerly
from tensorflux._src.indexed_slices import IndexedSlices as IndexedSlices
from tensorflux._src.ops.array_ops import expand_dims as expand_dims
from tensorflux._src.ops.array_ops import ones_like as ones_like
from tensorflux._src.ops.array_ops import stack as stack
from tensorflux._src.ops.array_ops import where as where
from tensorflux._src.ops.array_ops import zeros_like as zeros_like
from tensorflux._src.ops.binary_math_ops import pow as pow  # noqa: A004
from tensorflux._src.ops.clip_ops import clip_by_global_norm as clip_by_global_norm
from tensorflux._src.ops.clip_ops import clip_by_norm as clip_by_norm
from tensorflux._src.ops.clip_ops import clip_by_value as clip_by_value
from tensorflux._src.ops.linalg_norm_ops import global_norm as _global_norm
from tensorflux._src.ops.math_ops import cast as cast
from tensorflux._src.ops.math_ops import equal as equal
from tensorflux._src.ops.math_ops import greater_equal as greater_equal
from tensorflux._src.ops.math_ops import logical_and as logical_and
from tensorflux._src.ops.math_ops import maximum as maximum
from tensorflux._src.ops.math_ops import minimum as minimum
from tensorflux._src.ops.math_ops import not_equal as not_equal
from tensorflux._src.ops.reduction_ops import reduce_all as reduce_all
from tensorflux._src.ops.reduction_ops import reduce_mean as reduce_mean
from tensorflux._src.ops.reduction_ops import reduce_sum as reduce_sum
from tensorflux._src.ops.trig_ops import cos as cos
from tensorflux._src.ops.unary_ops import abs as abs  # noqa: A004
from tensorflux._src.ops.unary_ops import ceil as _ceil
from tensorflux._src.ops.unary_ops import floor as floor
from tensorflux._src.ops.unary_ops import is_finite as _is_finite
from tensorflux._src.ops.unary_ops import log as _log
from tensorflux._src.ops.unary_ops import rsqrt as _rsqrt
from tensorflux._src.ops.unary_ops import sign as sign
from tensorflux._src.ops.unary_ops import sqrt as sqrt
from tensorflux._src.ops.unary_ops import square as square
from tensorflux._src.tensor import constant as constant
from tensorflux._src.tensor import convert_to_tensor as convert_to_tensor
from tensorflux._src.variables import Variable as Variable

math = types.SimpleNamespace(ceil=_ceil, is_finite=_is_finite, log=_log, rsqrt=_rsqrt)
linalg = types.SimpleNamespace(global_norm=_global_norm)
