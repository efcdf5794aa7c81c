"""Clipping: clip_by_value, clip_by_norm, clip_by_global_norm. All composites of other ops, so
their gradients are those of minimum/maximum/multiply/divide (as in TensorFlow)."""

from __future__ import annotations

from tensorflux._src.ops import array_ops, linalg_norm_ops, math_ops, reduction_ops, unary_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.tensor import constant


def _values_of(t):
    if getattr(t, "_is_variable", False):
        return t.read_value()
    return t


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips the values of `t` to `[clip_value_min, clip_value_max]` element-wise.

    The gradient flows to `t` where it is inside the range, and to the bound that was applied
    elsewhere (ties go to `t`), as with `maximum(minimum(t, max), min)`.

    Args:
      t: a tensor (or `IndexedSlices`, whose values are clipped).
      clip_value_min: the lower bound, a scalar or a tensor broadcastable to `t`'s shape.
      clip_value_max: the upper bound, likewise.
      name: an optional name for the operation.

    Returns:
      A clipped tensor of `t`'s shape and dtype.

    Raises:
      ValueError: if a bound would change the shape of the result.
      InvalidArgumentError: if the dtypes differ.
    """
    if getattr(t, "_is_indexed_slices", False):
        vals = clip_by_value(t.values, clip_value_min, clip_value_max, name=name)
        return type(t)(vals, t.indices, t.dense_shape)
    values = as_tensor(_values_of(t))
    t_min = math_ops.minimum(values, clip_value_max)
    if not values.shape.is_compatible_with(t_min.shape):
        raise ValueError(f"Shapes {values.shape} and {t_min.shape} are incompatible")
    t_max = math_ops.maximum(t_min, clip_value_min)
    if not values.shape.is_compatible_with(t_max.shape):
        raise ValueError(f"Shapes {values.shape} and {t_max.shape} are incompatible")
    return array_ops.identity(t_max, name=name) if name else t_max


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Rescales `t` so that its L2 norm (over `axes`) is at most `clip_norm`.

    Where the norm `l2` exceeds `clip_norm` the values become `t * clip_norm / l2`; elsewhere
    they are unchanged.

    Args:
      t: a floating-point tensor (or `IndexedSlices`).
      clip_norm: a positive scalar of `t`'s dtype.
      axes: the dimensions the norm is taken over; all of them when None.
      name: an optional name for the operation.

    Returns:
      A clipped tensor of `t`'s shape and dtype.

    Raises:
      InvalidArgumentError: for integer `t` (the square root is undefined for them).
    """
    if getattr(t, "_is_indexed_slices", False):
        vals = clip_by_norm(t.values, clip_norm, axes, name=name)
        return type(t)(vals, t.indices, t.dense_shape)
    values = as_tensor(_values_of(t))
    l2sum = reduction_ops.reduce_sum(values * values, axes, keepdims=True)
    pred = math_ops.greater(l2sum, 0)
    # Guard the square root so that an all-zero slice has a finite gradient.
    l2sum_safe = array_ops.where(pred, l2sum, array_ops.ones_like(l2sum))
    l2norm = array_ops.where(pred, unary_ops.sqrt(l2sum_safe), l2sum)
    clip = as_tensor(clip_norm, dtype_hint=l2norm.dtype)
    out = values * clip / math_ops.maximum(l2norm, clip)
    return array_ops.identity(out, name=name) if name else out


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales a list of tensors so that their global norm is at most `clip_norm`.

    With `g = global_norm(t_list)`, every tensor becomes `t * clip_norm / max(g, clip_norm)`. An
    infinite or NaN global norm makes every value NaN, so the failure is visible.

    Args:
      t_list: a list or tuple of tensors (None entries stay None).
      clip_norm: a positive scalar.
      use_norm: the global norm to use, if already computed.
      name: an optional name for the operation.

    Returns:
      A pair `(list_clipped, global_norm)`.

    Raises:
      TypeError: if `t_list` is not a sequence.
    """
    if not isinstance(t_list, (list, tuple)) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    t_list = list(t_list)
    if use_norm is None:
        use_norm = global_norm(t_list)
    use_norm = as_tensor(use_norm)
    clip = math_ops.cast(as_tensor(clip_norm, dtype_hint=use_norm.dtype), use_norm.dtype)
    one = constant(1.0, dtype=use_norm.dtype)
    scale_finite = clip * math_ops.minimum(one / use_norm, one / clip)
    # use_norm - use_norm is NaN exactly when use_norm is inf or NaN.
    scale = scale_finite + (use_norm - use_norm)
    out = []
    for t in t_list:
        if t is None:
            out.append(None)
            continue
        if getattr(t, "_is_indexed_slices", False):
            vals = t.values * math_ops.cast(scale, t.values.dtype)
            out.append(type(t)(vals, t.indices, t.dense_shape))
            continue
        v = as_tensor(_values_of(t))
        out.append(array_ops.identity(v * math_ops.cast(scale, v.dtype)))
    return out, use_norm


def global_norm(t_list, name=None):
    """sqrt(sum of squared L2 norms) of a list of tensors: `tf.linalg.global_norm`."""
    return linalg_norm_ops.global_norm(t_list, name=name)
