"""tensorflux: TensorFlow 2 in Python. `import tensorflux as tf`."""

from tensorflux._src.core import memory as _memory
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
from tensorflux._src.tensor_spec import TensorSpec as TensorSpec
from tensorflux._src.core.context import executing_eagerly as executing_eagerly
from tensorflux._src.tensor import Tensor as Tensor
from tensorflux._src.tensor import constant as constant
from tensorflux._src.tensor import convert_to_tensor as convert_to_tensor
from tensorflux._src.tensor import is_tensor as is_tensor
from tensorflux._src.tensor import (
    register_tensor_conversion_function as register_tensor_conversion_function,
)

# --- autodiff
from tensorflux._src.autodiff.backprop import GradientTape as GradientTape
from tensorflux._src.autodiff.backprop import UnconnectedGradients as UnconnectedGradients
from tensorflux._src.autodiff.graph_gradients import AggregationMethod as AggregationMethod
from tensorflux._src.autodiff.graph_gradients import gradients as gradients
from tensorflux._src.autodiff.graph_gradients import hessians as hessians
from tensorflux._src.compat.tf_logging import get_logger as get_logger

# --- math (public functions also live under tf.math)
from tensorflux._src.ops.math_ops import add as add
from tensorflux._src.ops.math_ops import add_n as add_n
from tensorflux._src.ops.math_ops import cast as cast
from tensorflux._src.ops.trig_ops import cos as cos
from tensorflux._src.ops.math_ops import divide as divide
from tensorflux._src.ops.math_ops import equal as equal
from tensorflux._src.ops.unary_ops import exp as exp
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
from tensorflux._src.ops.activation_ops import sigmoid as sigmoid
from tensorflux._src.ops.trig_ops import sin as sin
from tensorflux._src.ops.unary_ops import sqrt as sqrt
from tensorflux._src.ops.unary_ops import square as square
from tensorflux._src.ops.math_ops import subtract as subtract
from tensorflux._src.ops.trig_ops import tanh as tanh
from tensorflux._src.ops.math_ops import truediv as truediv
from tensorflux._src.ops.reduction_ops import reduce_sum as reduce_sum

# --- math (element-wise)
from tensorflux._src.ops.unary_ops import abs as abs
from tensorflux._src.ops.trig_ops import acos as acos
from tensorflux._src.ops.trig_ops import acosh as acosh
from tensorflux._src.ops.trig_ops import asin as asin
from tensorflux._src.ops.trig_ops import asinh as asinh
from tensorflux._src.ops.trig_ops import atan as atan
from tensorflux._src.ops.trig_ops import atan2 as atan2
from tensorflux._src.ops.trig_ops import atanh as atanh
from tensorflux._src.ops.math_ops import bitcast as bitcast
from tensorflux._src.ops.complex_ops import complex as complex
from tensorflux._src.ops.trig_ops import cosh as cosh
from tensorflux._src.ops.unary_ops import floor as floor
from tensorflux._src.ops.binary_math_ops import pow as pow
from tensorflux._src.ops.binary_math_ops import realdiv as realdiv
from tensorflux._src.ops.unary_ops import round as round
from tensorflux._src.ops.math_ops import saturate_cast as saturate_cast
from tensorflux._src.ops.binary_math_ops import scalar_mul as scalar_mul
from tensorflux._src.ops.unary_ops import sign as sign
from tensorflux._src.ops.trig_ops import sinh as sinh
from tensorflux._src.ops.trig_ops import tan as tan
from tensorflux._src.ops.binary_math_ops import truncatediv as truncatediv
from tensorflux._src.ops.binary_math_ops import truncatemod as truncatemod

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
from tensorflux._src.ops.array_ops import expand_dims as expand_dims
from tensorflux._src.ops.array_ops import squeeze as squeeze
from tensorflux._src.ops.array_ops import transpose as transpose
from tensorflux._src.ops.shape_ops import broadcast_dynamic_shape as broadcast_dynamic_shape
from tensorflux._src.ops.shape_ops import broadcast_static_shape as broadcast_static_shape
from tensorflux._src.ops.shape_ops import broadcast_to as broadcast_to
from tensorflux._src.ops.shape_ops import ensure_shape as ensure_shape
from tensorflux._src.ops.shape_ops import identity_n as identity_n
from tensorflux._src.ops.shape_ops import rank as rank
from tensorflux._src.ops.shape_ops import shape_n as shape_n
from tensorflux._src.ops.shape_ops import size as size
from tensorflux._src.ops.shape_ops import stop_gradient as stop_gradient
from tensorflux._src.ops.creation_ops import eye as eye
from tensorflux._src.ops.creation_ops import linspace as linspace
from tensorflux._src.ops.creation_ops import meshgrid as meshgrid
from tensorflux._src.ops.creation_ops import one_hot as one_hot
from tensorflux._src.ops.creation_ops import range as range
from tensorflux._src.ops.creation_ops import sequence_mask as sequence_mask
from tensorflux._src.ops.manip_ops import concat as concat
from tensorflux._src.ops.manip_ops import pad as pad
from tensorflux._src.ops.manip_ops import repeat as repeat
from tensorflux._src.ops.manip_ops import reverse as reverse
from tensorflux._src.ops.manip_ops import roll as roll
from tensorflux._src.ops.manip_ops import split as split
from tensorflux._src.ops.manip_ops import tile as tile
from tensorflux._src.ops.space_ops import batch_to_space as batch_to_space
from tensorflux._src.ops.space_ops import space_to_batch as space_to_batch
from tensorflux._src.ops.space_ops import space_to_batch_nd as space_to_batch_nd
from tensorflux._src.ops.clip_ops import clip_by_global_norm as clip_by_global_norm
from tensorflux._src.ops.clip_ops import clip_by_norm as clip_by_norm
from tensorflux._src.ops.clip_ops import clip_by_value as clip_by_value
from tensorflux._src.ops.einsum_ops import einsum as einsum
from tensorflux._src.ops.partition_ops import dynamic_partition as dynamic_partition
from tensorflux._src.ops.partition_ops import dynamic_stitch as dynamic_stitch
from tensorflux._src.ops.partition_ops import reverse_sequence as reverse_sequence
from tensorflux._src.ops.histogram_ops import histogram_fixed_width as histogram_fixed_width
from tensorflux._src.ops.histogram_ops import (
    histogram_fixed_width_bins as histogram_fixed_width_bins,
)

# --- reductions
from tensorflux._src.ops.cumulative_ops import cumsum as cumsum
from tensorflux._src.ops.reduction_ops import argmax as argmax
from tensorflux._src.ops.reduction_ops import argmin as argmin
from tensorflux._src.ops.reduction_ops import reduce_all as reduce_all
from tensorflux._src.ops.reduction_ops import reduce_any as reduce_any
from tensorflux._src.ops.reduction_ops import reduce_logsumexp as reduce_logsumexp
from tensorflux._src.ops.reduction_ops import reduce_max as reduce_max
from tensorflux._src.ops.reduction_ops import reduce_mean as reduce_mean
from tensorflux._src.ops.reduction_ops import reduce_min as reduce_min
from tensorflux._src.ops.reduction_ops import reduce_prod as reduce_prod

# --- indexing
from tensorflux._src.indexed_slices import IndexedSlices as IndexedSlices
from tensorflux._src.ops.gather_ops import boolean_mask as boolean_mask
from tensorflux._src.ops.gather_ops import gather as gather
from tensorflux._src.ops.gather_ops import gather_nd as gather_nd
from tensorflux._src.ops.gather_ops import scatter_nd as scatter_nd
from tensorflux._src.ops.gather_ops import tensor_scatter_nd_add as tensor_scatter_nd_add
from tensorflux._src.ops.gather_ops import tensor_scatter_nd_max as tensor_scatter_nd_max
from tensorflux._src.ops.gather_ops import tensor_scatter_nd_min as tensor_scatter_nd_min
from tensorflux._src.ops.gather_ops import tensor_scatter_nd_sub as tensor_scatter_nd_sub
from tensorflux._src.ops.gather_ops import tensor_scatter_nd_update as tensor_scatter_nd_update
from tensorflux._src.ops.indexing_ops import slice as slice
from tensorflux._src.ops.indexing_ops import strided_slice as strided_slice
from tensorflux._src.ops.sort_ops import argsort as argsort
from tensorflux._src.ops.sort_ops import searchsorted as searchsorted
from tensorflux._src.ops.sort_ops import sort as sort
from tensorflux._src.ops.sort_ops import unique as unique
from tensorflux._src.ops.sort_ops import unique_with_counts as unique_with_counts

from tensorflux._src.ops.indexing_ops import newaxis as newaxis

# --- linalg
from tensorflux._src.ops.linalg_norm_ops import norm as norm
from tensorflux._src.ops.linalg_ops import matmul as matmul
from tensorflux._src.ops.linalg_ops import tensordot as tensordot
from tensorflux._src.ops.linalg_spectral_ops import eig as eig
from tensorflux._src.ops.linalg_spectral_ops import eigvals as eigvals
from tensorflux._src.ops.linalg_spectral_ops import sqrtm as matrix_square_root
from tensorflux import linalg as linalg

# --- variables / module / autodiff
from tensorflux._src.variables import Variable as Variable
from tensorflux._src.variables import VariableAggregationV2 as VariableAggregation
from tensorflux._src.variables import VariableSynchronization as VariableSynchronization
from tensorflux._src.module import Module as Module
from tensorflux._src.module import get_current_name_scope as get_current_name_scope
from tensorflux._src.module import name_scope as name_scope
from tensorflux._src.autodiff.custom_gradient import RegisterGradient as RegisterGradient
from tensorflux._src.autodiff.custom_gradient import custom_gradient as custom_gradient
from tensorflux._src.autodiff.custom_gradient import grad_pass_through as grad_pass_through
from tensorflux._src.autodiff.custom_gradient import no_gradient as no_gradient
from tensorflux._src.autodiff.custom_gradient import recompute_grad as recompute_grad
from tensorflux import autodiff as autodiff
from tensorflux import errors as errors

# --- devices
from tensorflux._src.core.device import DeviceSpec as DeviceSpec
from tensorflux._src.devices.scope import device as device

# --- public subpackages
from tensorflux import math as math
from tensorflux import nn as nn
from tensorflux import bitwise as bitwise
from tensorflux import dtypes as dtypes

# --- random / nest / config
from tensorflux._src.ops.stateless_random_ops import random_index_shuffle as random_index_shuffle
from tensorflux import random as random
from tensorflux import nest as nest
from tensorflux import config as config

# --- tf.function
from tensorflux._src.function import function as function
from tensorflux._src.function import init_scope as init_scope
from tensorflux import autograph as autograph

# --- control flow
from tensorflux._src.control_flow.asserts import Assert as Assert
from tensorflux._src.control_flow.asserts import assert_equal as assert_equal
from tensorflux._src.control_flow.asserts import assert_greater as assert_greater
from tensorflux._src.control_flow.asserts import assert_less as assert_less
from tensorflux._src.control_flow.asserts import assert_rank as assert_rank
from tensorflux._src.control_flow.cond import case as case
from tensorflux._src.control_flow.cond import cond as cond
from tensorflux._src.control_flow.cond import switch_case as switch_case
from tensorflux._src.control_flow.functional import foldl as foldl
from tensorflux._src.control_flow.functional import foldr as foldr
from tensorflux._src.control_flow.functional import map_fn as map_fn
from tensorflux._src.control_flow.functional import scan as scan
from tensorflux._src.control_flow.functional import vectorized_map as vectorized_map
from tensorflux._src.control_flow.tensor_array import TensorArray as TensorArray
from tensorflux._src.control_flow.while_loop import while_loop as while_loop
from tensorflux import debugging as debugging

# --- graphs, control dependencies, printing
from tensorflux._src.graph.graph import Graph as Graph
from tensorflux._src.graph.graph import Operation as Operation
from tensorflux._src.graph.framework import control_dependencies as control_dependencies
from tensorflux._src.graph.framework import get_static_value as get_static_value
from tensorflux._src.graph.framework import group as group
from tensorflux._src.graph.framework import no_op as no_op
from tensorflux._src.graph.graph_def import import_graph_def as import_graph_def
from tensorflux._src.ops.logging_ops import print_v2 as print
from tensorflux._src.ops.script_ops import numpy_function as numpy_function
from tensorflux._src.ops.script_ops import py_function as py_function
from tensorflux import graph_util as graph_util

# --- composite tensors
from tensorflux._src.sparse_tensor import SparseTensor as SparseTensor
from tensorflux._src.sparse_tensor import SparseTensorSpec as SparseTensorSpec
from tensorflux._src.optional import OptionalSpec as OptionalSpec
from tensorflux._src.ragged.ragged_tensor import RaggedTensor as RaggedTensor
from tensorflux._src.ragged.ragged_spec import RaggedTensorSpec as RaggedTensorSpec
from tensorflux._src.type_spec import IndexedSlicesSpec as IndexedSlicesSpec
from tensorflux._src.type_spec import TypeSpec as TypeSpec
from tensorflux._src.type_spec import type_spec_from_value as type_spec_from_value
from tensorflux import sparse as sparse

_memory.tune_malloc()  # freed kernel buffers stay in the heap (see _src/core/memory.py)

# --- heavy areas load on first use (`tf.keras`, `tf.data`, ...), keeping `import tensorflux` fast
_LAZY = {
    "keras": "tensorflux.keras",
    "data": "tensorflux.data",
    "optimizers": "tensorflux.keras.optimizers",
    "losses": "tensorflux.keras.losses",
    "metrics": "tensorflux.keras.metrics",
    "initializers": "tensorflux.keras.initializers",
    "image": "tensorflux.image",
    "io": "tensorflux.io",
    "train": "tensorflux.train",
    "signal": "tensorflux.signal",
    "audio": "tensorflux.audio",
    "strings": "tensorflux.strings",
    "ragged": "tensorflux.ragged",
    "queue": "tensorflux.queue",
    "sets": "tensorflux.sets",
    "lookup": "tensorflux.lookup",
    "feature_column": "tensorflux.feature_column",
    "experimental": "tensorflux.experimental",
    "compat": "tensorflux.compat",
    "summary": "tensorflux.summary",
}


def __getattr__(name):
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'tensorflux' has no attribute '{name}'")
    import importlib

    module = importlib.import_module(target)
    globals()[name] = module
    return module


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
