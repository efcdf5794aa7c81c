"""Reductions over axes: one block per op (rule, kernel, gradient), then its public function.

Gradients reshape the incoming gradient to the "keepdims" shape of the output and broadcast it back
over the input. With fully known shapes that shape is a Python list; otherwise it is computed in the
graph from `Shape`, so the same gradient serves traced functions with unknown dimensions.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, numeric, real_numeric
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, binary_math_ops, cumulative_ops, math_ops, unary_ops
from tensorflux._src.ops._util import as_tensor, static_int_list

_INDEX = (dtypes.int32, dtypes.int64)


def _axes(axis, rank):
    """Normalized, sorted axes; raises TensorFlow's errors for out-of-range or repeated ones."""
    out = []
    for a in axis:
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None, None, f"Invalid reduction dimension ({a} for input with {rank} dimension(s)"
            )
        n = a % rank
        if n in out:
            raise InvalidArgumentError(
                None,
                None,
                f"Invalid reduction arguments: Axes contains duplicate dimension: {n}",
            )
        out.append(n)
    return sorted(out)


def reduce_shape(inputs, attrs):
    """The shape rule of every reduction: input shape without (or with size-1) reduced axes."""
    x, axis = inputs
    s = x.shape
    keep = attrs.get("keep_dims", False)
    axes = static_int_list(axis)
    if s.rank is None:
        return TensorShape(None)
    if axes is None:
        return TensorShape([None] * s.rank if keep else None)
    axes = _axes(axes, s.rank)
    dims = s.as_list()
    if keep:
        return TensorShape([1 if i in axes else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in axes])


def _check_tidx(dt):
    if dt not in _INDEX:
        check_allowed(dt, _INDEX, "Tidx")


def reduce_rule(allowed):
    def dtype(dts, attrs):
        if dts[0] not in allowed:
            check_allowed(dts[0], allowed)
        _check_tidx(dts[1])
        return dts[0]

    return Rule(dtype, reduce_shape)


def _bool_reduce_rule():
    def dtype(dts, attrs):
        if dts[0] is not dtypes.bool:
            raise InvalidArgumentError(
                None,
                None,
                "cannot compute {op} as input #0(zero-based) was expected to be a bool tensor "
                f"but is a {dts[0].name} tensor",
            )
        _check_tidx(dts[1])
        return dtypes.bool

    return Rule(dtype, reduce_shape)


def kernel_axes(x, axis):
    return tuple(_axes([int(a) for a in np.asarray(axis).reshape(-1)], x.ndim))


def _default_axis(x, axis):
    """`axis=None` means every axis: a Python list when the rank is known, else a range tensor."""
    if axis is None:
        r = x.shape.rank
        if r is not None:
            return list(range(r))
        return array_ops.range(0, array_ops.rank(x), 1)
    return axis


# ------------------------------------------------------------------ gradient helpers


def _keepdims_shape(x, axis):
    """The keepdims shape of a reduction of `x` over `axis`: a list, or a tensor if unknown."""
    s = x.shape
    axes = static_int_list(axis)
    if s.is_fully_defined() and axes is not None:
        axes = _axes(axes, s.rank)
        return [1 if i in axes else d for i, d in enumerate(s.as_list())]
    xs = array_ops.shape(x)
    ones = array_ops.ones_like(xs)
    positions = cumulative_ops.cumsum(ones, exclusive=True)  # 0, 1, ..., rank - 1
    rank = reduce_sum(ones)
    ax = math_ops.cast(array_ops.reshape(axis, [-1]), dtypes.int32)
    ax = array_ops.where(math_ops.less(ax, 0), ax + rank, ax)
    hit = math_ops.equal(array_ops.reshape(positions, [-1, 1]), array_ops.reshape(ax, [1, -1]))
    return array_ops.where(reduce_any(hit, axis=1), ones, xs)


def _shape_like(x):
    s = x.shape
    return s.as_list() if s.is_fully_defined() else array_ops.shape(x)


def _broadcast_grad(dy, x, axis):
    """`dy` of a reduction of `x` over `axis`, reshaped to keepdims and broadcast back over `x`."""
    dy = array_ops.reshape(dy, _keepdims_shape(x, axis))
    return array_ops.broadcast_to(dy, _shape_like(x))


def _reduced_count(x, y):
    """How many input elements went into each output element (at least 1): an int or a tensor."""
    xs, ys = x.shape, y.shape
    if xs.is_fully_defined() and ys.is_fully_defined():
        return max(xs.num_elements() // max(ys.num_elements(), 1), 1)
    nx = reduce_prod(array_ops.shape(x))
    ny = math_ops.maximum(reduce_prod(array_ops.shape(y)), 1)
    return math_ops.maximum(binary_math_ops.floordiv(nx, ny), 1)


# ------------------------------------------------------------------ Sum, Mean, Prod


Sum = defop("Sum", infer=reduce_rule(numeric), host_inputs=(1,))


@Sum.kernel
def _(xp, x, axis, keep_dims=False):
    return xp.sum(x, axis=kernel_axes(x, axis), keepdims=keep_dims, dtype=x.dtype)


@Sum.gradient
def _(op, dy):
    x, axis = op.inputs
    return [_broadcast_grad(dy, x, axis), None]


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the sum of elements across dimensions of a tensor.

    Args:
      input_tensor: the tensor to reduce (numeric).
      axis: the dimensions to reduce: an int, a list of ints or a 1-D int tensor, each in
        `[-rank, rank)`. `None` (the default) reduces every dimension.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced tensor, of the same dtype as `input_tensor`.

    Raises:
      InvalidArgumentError: if an axis is out of range or repeated.

    >>> tf.reduce_sum(tf.constant([[1, 2], [3, 4]]), axis=0)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([4, 6], dtype=int32)>
    """
    x = as_tensor(input_tensor)
    return Sum(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


Mean = defop("Mean", infer=reduce_rule(numeric), host_inputs=(1,))


@Mean.kernel
def _(xp, x, axis, keep_dims=False):
    axes = kernel_axes(x, axis)
    n = 1
    for a in axes:
        n *= x.shape[a]
    # Summed and divided in the input's dtype, half types included, as TensorFlow's kernel does.
    acc = x.dtype
    if x.dtype.kind in "iu" and x.dtype.itemsize < 8:
        acc = np.int64  # TensorFlow sums narrow integers in a wider type; 64-bit ones wrap
    total = xp.sum(x, axis=axes, keepdims=keep_dims, dtype=acc)
    if x.dtype.kind in "iu":
        if n == 0:
            return xp.zeros(total.shape, dtype=x.dtype)
        if x.dtype.kind == "u":
            return (total.astype(np.uint64) // n).astype(x.dtype)
        # Integer means truncate toward zero, as C++ integer division does.
        q = xp.abs(total) // n
        return xp.where(total < 0, -q, q).astype(x.dtype)
    if n == 0:
        return xp.full(total.shape, np.nan, dtype=x.dtype)
    return (total / np.asarray(n, dtype=x.dtype)).astype(x.dtype)


@Mean.gradient
def _(op, dy):
    x, axis = op.inputs
    g = _broadcast_grad(dy, x, axis)
    n = _reduced_count(x, op.outputs[0])
    if isinstance(n, int):
        return [g / n if n != 1 else g, None]
    return [g / math_ops.cast(n, g.dtype), None]


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the mean of elements across dimensions of a tensor.

    Integer tensors give an integer mean, truncated toward zero; the mean of no elements is NaN for
    floating types and 0 for integers.

    Args:
      input_tensor: the tensor to reduce (numeric).
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced tensor, of the same dtype as `input_tensor`.

    Raises:
      InvalidArgumentError: if an axis is out of range or repeated.

    >>> tf.reduce_mean(tf.constant([1, 2, 4]))
    <tf.Tensor: shape=(), dtype=int32, numpy=2>
    """
    x = as_tensor(input_tensor)
    return Mean(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


Prod = defop("Prod", infer=reduce_rule(numeric), host_inputs=(1,))


@Prod.kernel
def _(xp, x, axis, keep_dims=False):
    return xp.prod(x, axis=kernel_axes(x, axis), keepdims=keep_dims, dtype=x.dtype)


def product_of_others(x, n_zeros, nonzero_prod, is_zero):
    """For each element, the product of the other elements of its group (zeros handled exactly).

    `n_zeros` and `nonzero_prod` are per-group counts of zeros and products of the non-zero
    elements, already broadcastable to `x`; `is_zero` marks zero elements of `x`.
    """
    safe = array_ops.where(is_zero, array_ops.ones_like(x), x)
    no_zero = math_ops.equal(n_zeros, 0)
    lone_zero = math_ops.logical_and(is_zero, math_ops.equal(n_zeros, 1))
    zeros = array_ops.zeros_like(x)
    return array_ops.where(
        no_zero, nonzero_prod / safe, array_ops.where(lone_zero, nonzero_prod + zeros, zeros)
    )


@Prod.gradient
def _(op, dy):
    x, axis = op.inputs
    dy = array_ops.reshape(dy, _keepdims_shape(x, axis))
    is_zero = math_ops.equal(x, 0)
    n_zeros = reduce_sum(math_ops.cast(is_zero, dtypes.int32), axis, keepdims=True)
    safe = array_ops.where(is_zero, array_ops.ones_like(x), x)
    nonzero_prod = reduce_prod(safe, axis, keepdims=True)
    others = product_of_others(x, n_zeros, nonzero_prod, is_zero)
    return [dy * math_ops.conj(others), None]


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the product of elements across dimensions of a tensor.

    Args:
      input_tensor: the tensor to reduce (numeric).
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced tensor, of the same dtype as `input_tensor` (1 for an empty reduction).

    Raises:
      InvalidArgumentError: if an axis is out of range or repeated.

    >>> tf.reduce_prod(tf.constant([[1., 2.], [3., 4.]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([ 2., 12.], dtype=float32)>
    """
    x = as_tensor(input_tensor)
    return Prod(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


# ------------------------------------------------------------------ Max, Min


def lowest(np_dtype):
    """The identity of a max-reduction: -inf for floats, the smallest integer otherwise."""
    dt = np.dtype(np_dtype)
    if dt.kind == "f" or dt.kind == "V":
        return -np.inf
    return np.iinfo(dt).min


def highest(np_dtype):
    dt = np.dtype(np_dtype)
    if dt.kind == "f" or dt.kind == "V":
        return np.inf
    return np.iinfo(dt).max


def _extremum(xp, fn, identity, x, axis, keep_dims):
    axes = kernel_axes(x, axis)
    if any(x.shape[a] == 0 for a in axes):
        shape = (
            [1 if i in axes else d for i, d in enumerate(x.shape)]
            if keep_dims
            else [d for i, d in enumerate(x.shape) if i not in axes]
        )
        return xp.full(shape, identity(x.dtype), dtype=x.dtype)
    return fn(x, axis=axes, keepdims=keep_dims)


Max = defop("Max", infer=reduce_rule(real_numeric), host_inputs=(1,))
Min = defop("Min", infer=reduce_rule(real_numeric), host_inputs=(1,))


@Max.kernel
def _(xp, x, axis, keep_dims=False):
    return _extremum(xp, xp.max, lowest, x, axis, keep_dims)


@Min.kernel
def _(xp, x, axis, keep_dims=False):
    return _extremum(xp, xp.min, highest, x, axis, keep_dims)


def _extremum_grad(op, dy):
    # The gradient goes to every element equal to the extremum, split evenly among ties.
    x, axis = op.inputs
    kshape = _keepdims_shape(x, axis)
    y = array_ops.reshape(op.outputs[0], kshape)
    dy = array_ops.reshape(dy, kshape)
    hit = math_ops.cast(math_ops.equal(y, x), dy.dtype)
    n = reduce_sum(hit, axis, keepdims=True)
    return [hit / n * dy, None]


Max.gradient(_extremum_grad)
Min.gradient(_extremum_grad)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the maximum of elements across dimensions of a tensor.

    The maximum of no elements is the dtype's lowest value (-inf for floats). Its gradient is
    shared evenly among the elements equal to the maximum.

    Args:
      input_tensor: the tensor to reduce (real numeric).
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced tensor, of the same dtype as `input_tensor`.

    Raises:
      InvalidArgumentError: if an axis is out of range or repeated, or the dtype is not real.

    >>> tf.reduce_max(tf.constant([[1, 5], [3, 4]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([5, 4], dtype=int32)>
    """
    x = as_tensor(input_tensor)
    return Max(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the minimum of elements across dimensions of a tensor.

    The minimum of no elements is the dtype's highest value (+inf for floats). Its gradient is
    shared evenly among the elements equal to the minimum.

    Args:
      input_tensor: the tensor to reduce (real numeric).
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced tensor, of the same dtype as `input_tensor`.

    Raises:
      InvalidArgumentError: if an axis is out of range or repeated, or the dtype is not real.

    >>> tf.reduce_min(tf.constant([[1, 5], [3, 4]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 3], dtype=int32)>
    """
    x = as_tensor(input_tensor)
    return Min(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


# ------------------------------------------------------------------ All, Any

All = defop("All", infer=_bool_reduce_rule(), host_inputs=(1,))
Any = defop("Any", infer=_bool_reduce_rule(), host_inputs=(1,))


@All.kernel
def _(xp, x, axis, keep_dims=False):
    return xp.all(x, axis=kernel_axes(x, axis), keepdims=keep_dims)


@Any.kernel
def _(xp, x, axis, keep_dims=False):
    return xp.any(x, axis=kernel_axes(x, axis), keepdims=keep_dims)


not_differentiable(All, Any)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the logical AND of a bool tensor across dimensions (true for no elements).

    Args:
      input_tensor: the bool tensor to reduce.
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced bool tensor.

    Raises:
      InvalidArgumentError: if the input is not bool, or an axis is out of range.

    >>> tf.reduce_all(tf.constant([[True, True], [False, True]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>
    """
    x = as_tensor(input_tensor)
    return All(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the logical OR of a bool tensor across dimensions (false for no elements).

    Args:
      input_tensor: the bool tensor to reduce.
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced bool tensor.

    Raises:
      InvalidArgumentError: if the input is not bool, or an axis is out of range.

    >>> tf.reduce_any(tf.constant([[True, False], [False, False]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=bool, numpy=array([ True, False])>
    """
    x = as_tensor(input_tensor)
    return Any(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


# ------------------------------------------------------------------ EuclideanNorm

EuclideanNorm = defop("EuclideanNorm", infer=reduce_rule(numeric), host_inputs=(1,))


@EuclideanNorm.kernel
def _(xp, x, axis, keep_dims=False):
    axes = kernel_axes(x, axis)
    if x.dtype.kind == "c":
        return xp.sqrt(xp.sum(x * xp.conj(x), axis=axes, keepdims=keep_dims)).astype(x.dtype)
    if x.dtype.kind in "iu":
        # Squares and their sum wrap around in the input's dtype, as in TensorFlow.
        sq = xp.sum(x * x, axis=axes, keepdims=keep_dims, dtype=x.dtype)
        with np.errstate(invalid="ignore"):
            return xp.floor(xp.sqrt(sq.astype(np.float64))).astype(x.dtype)
    acc = np.float32 if x.dtype.itemsize <= 2 else x.dtype
    s = xp.sum(xp.square(x.astype(acc)), axis=axes, keepdims=keep_dims)
    return xp.sqrt(s).astype(x.dtype)


@EuclideanNorm.gradient
def _(op, dy):
    x, axis = op.inputs
    kshape = _keepdims_shape(x, axis)
    y = array_ops.reshape(op.outputs[0], kshape)
    dy = array_ops.reshape(dy, kshape)
    return [dy * x / y, None]


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the Euclidean norm (square root of the sum of squares) across dimensions.

    Args:
      input_tensor: the tensor to reduce (numeric; integer norms are truncated).
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced tensor, of the same dtype as `input_tensor`.

    Raises:
      InvalidArgumentError: if an axis is out of range or repeated.

    >>> tf.math.reduce_euclidean_norm(tf.constant([3., 4.]))
    <tf.Tensor: shape=(), dtype=float32, numpy=5.0>
    """
    x = as_tensor(input_tensor)
    return EuclideanNorm(x, _default_axis(x, axis), keep_dims=bool(keepdims), name=name)


# ------------------------------------------------------------------ composites


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """Computes log(sum(exp(x))) across dimensions without overflow or underflow.

    The largest element is subtracted before exponentiating and added back after the log; rows
    of -inf give -inf, and a +inf element gives +inf.

    Args:
      input_tensor: the floating-point tensor to reduce.
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The reduced tensor, of the same dtype as `input_tensor`.

    Raises:
      InvalidArgumentError: if the input is not floating point, or an axis is out of range.

    >>> tf.reduce_logsumexp(tf.constant([0., 0.]))
    <tf.Tensor: shape=(), dtype=float32, numpy=0.6931472>
    """
    x = as_tensor(input_tensor)
    axis = _default_axis(x, axis)
    raw_max = reduce_max(x, axis, keepdims=True)
    finite = unary_ops.is_finite(raw_max)
    shift = array_ops.stop_gradient(array_ops.where(finite, raw_max, array_ops.zeros_like(raw_max)))
    total = reduce_sum(unary_ops.exp(x - shift), axis, keepdims=keepdims)
    if not keepdims:
        shift = reduce_sum(shift, axis)  # drops the size-1 axes
    return unary_ops.log(total) + shift


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the variance (mean squared deviation from the mean) across dimensions.

    Complex inputs give a real variance (the mean of |x - mean|^2).

    Args:
      input_tensor: a floating-point or complex tensor.
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The variance, of the input's real dtype.

    Raises:
      TypeError: if the input has an integer dtype.

    >>> tf.math.reduce_variance(tf.constant([1., 2., 3., 4.]))
    <tf.Tensor: shape=(), dtype=float32, numpy=1.25>
    """
    x = as_tensor(input_tensor)
    if x.dtype.is_integer:
        raise TypeError(f"Input must be either real or complex. Received integer type {x.dtype}.")
    axis = _default_axis(x, axis)
    means = reduce_mean(x, axis, keepdims=True)
    diff = x - means
    if x.dtype.is_complex:
        sq = math_ops.real(diff * math_ops.conj(diff))
    else:
        sq = unary_ops.square(diff)
    return reduce_mean(sq, axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the standard deviation (square root of the variance) across dimensions.

    Args:
      input_tensor: a floating-point or complex tensor.
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      name: an optional name for the operation.

    Returns:
      The standard deviation, of the input's real dtype.

    Raises:
      TypeError: if the input has an integer dtype.

    >>> tf.math.reduce_std(tf.constant([1., 3.]))
    <tf.Tensor: shape=(), dtype=float32, numpy=1.0>
    """
    return unary_ops.sqrt(reduce_variance(input_tensor, axis, keepdims))


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):
    """Counts the non-zero elements (true, or non-empty strings) across dimensions.

    Args:
      input: a numeric, bool or string tensor.
      axis: the dimensions to reduce (int, list or 1-D tensor); `None` reduces all of them.
      keepdims: if true, reduced dimensions are kept with size 1.
      dtype: the integer dtype of the result (int64 by default).
      name: an optional name for the operation.

    Returns:
      The counts, of dtype `dtype`.

    >>> tf.math.count_nonzero(tf.constant([[0, 1], [2, 3]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=int64, numpy=array([1, 2])>
    """
    x = as_tensor(input)
    keepdims = bool(keepdims) if keepdims is not None else False
    zero = b"" if x.dtype is dtypes.string else (False if x.dtype is dtypes.bool else 0)
    zero = as_tensor(zero, dtype=x.dtype)
    hits = math_ops.cast(math_ops.not_equal(x, zero), dtypes.int64)
    return math_ops.cast(reduce_sum(hits, axis, keepdims=keepdims), dtypes.as_dtype(dtype))


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """Scales `x` along `axis` so that its L2 norm is 1: x / sqrt(max(sum(x**2), epsilon)).

    Args:
      x: a floating-point or complex tensor.
      axis: the dimensions to normalize over (`None`: all of them).
      epsilon: a lower bound on the squared norm, so that zero vectors stay zero.
      name: an optional name for the operation.
      dim: a deprecated alias of `axis`.

    Returns:
      A tensor of the same shape and dtype as `x`.

    >>> tf.math.l2_normalize(tf.constant([3., 4.]))
    <tf.Tensor: shape=(2,), dtype=float32, numpy=array([0.6, 0.8], dtype=float32)>
    """
    if axis is None:
        axis = dim
    x = as_tensor(x)
    if x.dtype.is_complex:
        re, im = math_ops.real(x), math_ops.imag(x)
        sq = reduce_sum(unary_ops.square(re) + unary_ops.square(im), axis, keepdims=True)
        inv = unary_ops.rsqrt(math_ops.maximum(sq, epsilon))
        return x * math_ops.cast(inv, x.dtype)
    sq = reduce_sum(unary_ops.square(x), axis, keepdims=True)
    return x * unary_ops.rsqrt(math_ops.maximum(sq, epsilon))


def polyval(coeffs, x, name=None):
    """Evaluates the polynomial coeffs[0] * x**(n-1) + ... + coeffs[n-1] at `x` (Horner's rule).

    Args:
      coeffs: a Python list of tensors (or numbers), highest degree first.
      x: the tensor at which to evaluate.
      name: an optional name for the operation.

    Returns:
      A tensor broadcast from `x` and the coefficients; zeros like `x` if `coeffs` is empty.

    Raises:
      ValueError: if `coeffs` is not a list.

    >>> tf.math.polyval([1., 2., 3.], tf.constant(2.))
    <tf.Tensor: shape=(), dtype=float32, numpy=11.0>
    """
    if not isinstance(coeffs, list):
        raise ValueError(f"Argument coeffs must be list type. Received type {type(coeffs)}.")
    x = as_tensor(x)
    if not coeffs:
        return array_ops.zeros_like(x, name=name)
    coeffs = [as_tensor(c) for c in coeffs]
    p = coeffs[0]
    for c in coeffs[1:]:
        p = c + p * x
    return p


def accumulate_n(inputs, shape=None, tensor_dtype=None, name=None):
    """Adds a list of tensors of one dtype and shape element-wise (as `tf.math.add_n`).

    Args:
      inputs: a non-empty list of tensors with the same dtype and shape.
      shape: the expected shape of each input (optional).
      tensor_dtype: the expected dtype of each input (optional).
      name: an optional name for the operation.

    Returns:
      The element-wise sum.

    Raises:
      ValueError: if `inputs` is empty, or the shapes disagree.
      TypeError: if `tensor_dtype` differs from the inputs' dtype.
    """
    msg = "inputs must be a list of at least one Tensor with the same dtype and shape"
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError(msg)
    inputs = [as_tensor(x) for x in inputs]
    if any(x.dtype is not inputs[0].dtype for x in inputs):
        raise ValueError(msg)
    want = TensorShape(shape) if shape is not None else TensorShape(None)
    for x in inputs:
        if not want.is_compatible_with(x.shape):
            raise ValueError(f"Shapes {want} and {x.shape} are not compatible")
        want = want.merge_with(x.shape)
    if tensor_dtype is not None and dtypes.as_dtype(tensor_dtype) is not inputs[0].dtype:
        raise TypeError(
            f"The `tensor_dtype` argument is {dtypes.as_dtype(tensor_dtype)}, but `input` is of "
            f"type {inputs[0].dtype}. These must be equal. Try casting the input to the "
            "desired type."
        )
    return math_ops.add_n(inputs, name=name)


# ------------------------------------------------------------------ ArgMax, ArgMin

_ARG_OUT = (dtypes.int16, dtypes.uint16, dtypes.int32, dtypes.int64)


def _arg_dtype(dts, attrs):
    allowed = real_numeric + (dtypes.bool,)
    if dts[0] not in allowed:
        check_allowed(dts[0], allowed)
    _check_tidx(dts[1])
    out = attrs.get("output_type", dtypes.int64)
    if out not in _ARG_OUT:
        check_allowed(out, _ARG_OUT, "output_type")
    return out


def _arg_dim(rank, a):
    if not -rank <= a < rank:
        raise InvalidArgumentError(
            None, None, f"Expected dimension in the range [{-rank}, {rank}), but got {a}"
        )
    return a % rank


def _arg_shape(inputs, attrs):
    x, dim = inputs
    s = x.shape
    d = static_int_list(dim)
    if s.rank is None:
        return TensorShape(None)
    if d is None:
        return TensorShape([None] * (s.rank - 1)) if s.rank else TensorShape(None)
    a = _arg_dim(s.rank, d[0])
    return TensorShape([v for i, v in enumerate(s.as_list()) if i != a])


ArgMax = defop("ArgMax", infer=Rule(_arg_dtype, _arg_shape), host_inputs=(1,))
ArgMin = defop("ArgMin", infer=Rule(_arg_dtype, _arg_shape), host_inputs=(1,))


def _arg_kernel(xp, fn, fill, x, dim, output_type):
    a = _arg_dim(x.ndim, int(np.asarray(dim).reshape(-1)[0]))
    if x.shape[a] == 0:
        raise InvalidArgumentError(
            None, None, f"Reduction axis {a} is empty in shape {list(x.shape)}"
        )
    if x.dtype.kind in "fV":
        # NaN never wins a comparison in TensorFlow's kernel; NumPy would pick it.
        x = xp.where(xp.isnan(x), fill, x)
    return fn(x, axis=a).astype(output_type.as_numpy_dtype)


@ArgMax.kernel
def _(xp, x, dimension, output_type=dtypes.int64):
    return _arg_kernel(xp, xp.argmax, -np.inf, x, dimension, output_type)


@ArgMin.kernel
def _(xp, x, dimension, output_type=dtypes.int64):
    return _arg_kernel(xp, xp.argmin, np.inf, x, dimension, output_type)


not_differentiable(ArgMax, ArgMin)


def _arg_axis(axis):
    if axis is None:
        return 0
    if isinstance(axis, (list, tuple)):
        raise TypeError("axis must be int or Tensor with integer datatype")
    return axis


def argmax(input, axis=None, output_type=dtypes.int64, name=None):
    """Returns the index of the largest value along `axis` (the first one among ties).

    Args:
      input: a real numeric or bool tensor.
      axis: the dimension to reduce (an int or int scalar tensor); defaults to 0.
      output_type: int16, uint16, int32 or int64 (the default).
      name: an optional name for the operation.

    Returns:
      A tensor of `output_type` with `axis` removed from the input's shape.

    Raises:
      InvalidArgumentError: if `axis` is out of range or the reduced dimension is empty.

    >>> tf.math.argmax(tf.constant([[1, 9], [7, 3]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=int64, numpy=array([1, 0])>
    """
    return ArgMax(
        as_tensor(input), _arg_axis(axis), output_type=dtypes.as_dtype(output_type), name=name
    )


def argmin(input, axis=None, output_type=dtypes.int64, name=None):
    """Returns the index of the smallest value along `axis` (the first one among ties).

    Args:
      input: a real numeric or bool tensor.
      axis: the dimension to reduce (an int or int scalar tensor); defaults to 0.
      output_type: int16, uint16, int32 or int64 (the default).
      name: an optional name for the operation.

    Returns:
      A tensor of `output_type` with `axis` removed from the input's shape.

    Raises:
      InvalidArgumentError: if `axis` is out of range or the reduced dimension is empty.

    >>> tf.math.argmin(tf.constant([[1, 9], [7, 3]]), axis=1)
    <tf.Tensor: shape=(2,), dtype=int64, numpy=array([0, 1])>
    """
    return ArgMin(
        as_tensor(input), _arg_axis(axis), output_type=dtypes.as_dtype(output_type), name=name
    )
