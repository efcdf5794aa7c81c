"""Fixed-width histograms: the HistogramFixedWidth op and the `histogram_fixed_width_bins`
composite, which gives each value's bin index."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import context, dtypes, registry
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, legacy_name, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import clip_ops, math_ops, unary_ops
from tensorflux._src.ops._util import convert_alike
from tensorflux._src.tensor import constant, convert_to_tensor

_VALUES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64)
_COUNTS = (dtypes.int32, dtypes.int64)


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


def _host(a) -> np.ndarray:
    return a.get() if hasattr(a, "get") and not isinstance(a, np.ndarray) else np.asarray(a)


def _histogram_dtype(dts, attrs):
    t = check_same(dts, (0, 1))
    check_allowed(t, _VALUES)
    if dts[2] is not dtypes.int32:
        raise _err(
            "cannot compute {op} as input #2(zero-based) was expected to be a int32 tensor but is "
            f"a {legacy_name(dts[2])} tensor"
        )
    out = attrs.get("dtype", dtypes.int32)
    if out not in _COUNTS:
        check_allowed(out, _COUNTS, "dtype")
    return out


def _histogram_shape(inputs, attrs):
    _, value_range, nbins = inputs
    r, k = value_range.shape, nbins.shape
    if r.rank is not None and r.rank != 1:
        raise _err(f"Shape must be rank 1 but is rank {r.rank}")
    if r.rank == 1 and r[0] is not None and r[0] != 2:
        raise _err(f"Dimension must be 2 but is {r[0]}")
    if k.rank is not None and k.rank != 0:
        raise _err(f"Shape must be rank 0 but is rank {k.rank}")
    v = static_value(nbins)
    if v is None or np.ndim(v):
        return TensorShape([None])
    if int(v) <= 0:
        raise _err(f"Requires nbins > 0: {int(v)}")
    return TensorShape([int(v)])


HistogramFixedWidth = defop(
    "HistogramFixedWidth",
    infer=Rule(_histogram_dtype, _histogram_shape),
    host_inputs=(2,),
    type_inputs=(0, 1),
)


def _bound_text(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


@HistogramFixedWidth.kernel
def _(xp, values, value_range, nbins, dtype=dtypes.int32):
    if value_range.ndim != 1:
        raise _err("value_range should be a vector.")
    if value_range.size != 2:
        raise _err("value_range should be a vector of 2 elements.")
    if np.ndim(nbins) != 0:
        raise _err("nbins should be a scalar.")
    lo, hi = _host(value_range).tolist()
    n = int(nbins)
    if not lo < hi:
        raise _err(
            "value_range should satisfy value_range[0] < value_range[1], but got "
            f"'[{_bound_text(lo)}, {_bound_text(hi)}]'"
        )
    if n <= 0:
        raise _err(f"nbins should be a positive number, but got '{n}'")
    if values.dtype.kind == "f" and bool(xp.isnan(values).any()):
        raise _err("Histogram values must not contain NaN")
    # TensorFlow's bin arithmetic, in float64: a value on an inner edge may land one bin low.
    step = float(hi) / n - float(lo) / n
    flat = values.reshape(-1).astype(np.float64)
    offset = xp.maximum(flat, float(lo)) - float(lo)
    with np.errstate(invalid="ignore"):  # inf / inf with an infinite range: TensorFlow crashes
        bins = xp.nan_to_num(xp.minimum(offset / step, n - 1), nan=0.0).astype(np.int64)
    return xp.bincount(bins, minlength=n).astype(dtype.as_numpy_dtype)


not_differentiable(HistogramFixedWidth)


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """Counts `values` in `nbins` equal-width bins spanning `value_range`.

    Values below `value_range[0]` count in the first bin, values at or above `value_range[1]` in
    the last.

    >>> tf.histogram_fixed_width([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5)
    <tf.Tensor: shape=(5,), dtype=int32, numpy=array([2, 1, 1, 0, 2], dtype=int32)>

    Args:
      values: an int32, int64, float32 or float64 tensor of any shape.
      value_range: a tensor `[low, high]` of `values`' dtype, with `low < high`.
      nbins: a positive int32 scalar.
      dtype: int32 or int64, the dtype of the counts.
      name: an optional name for the operation.

    Returns:
      A 1-D tensor of `nbins` counts.

    Raises:
      InvalidArgumentError: if `value_range` or `nbins` is malformed, or a value is NaN.
    """
    values, value_range = convert_alike([values, value_range])
    nbins = convert_to_tensor(nbins, dtype=dtypes.int32)
    dtype = dtypes.int32 if dtype is None else dtypes.as_dtype(dtype)
    return HistogramFixedWidth(
        values, value_range, nbins, dtype=dtype, name=name or "histogram_fixed_width"
    )


def _check_positive(nbins) -> None:
    """Fails unless `nbins > 0`: at once eagerly, when the graph runs while tracing."""
    ok = math_ops.greater(nbins, 0)
    text = "nbins " + str(nbins) + " must > 0"  # str: a tensor's format() gives its value
    if context.executing_eagerly():
        if not bool(ok.numpy()):
            raise _err(f"Expected '{ok!s}' to be true. Summarized data: {text.encode()!r}")
        return
    v = static_value(nbins)
    if v is not None and int(v) > 0:
        return
    # tf.Assert lives above this layer; its op is reached through the registry.
    registry.get("Assert")(ok, constant(text), summarize=3, name="Assert")


def histogram_fixed_width_bins(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """The index of the bin each of `values` falls in, with `nbins` equal bins over `value_range`.

    Values below the range go to bin 0 and values above it to bin `nbins - 1`. The result is
    int32 whatever `dtype` says, as in TensorFlow.

    >>> tf.histogram_fixed_width_bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5)
    <tf.Tensor: shape=(6,), dtype=int32, numpy=array([0, 0, 1, 2, 4, 4], dtype=int32)>

    Args:
      values: a floating-point tensor of any shape.
      value_range: a tensor `[low, high]` of `values`' dtype.
      nbins: a positive int32 scalar.
      dtype: ignored.
      name: an optional name for the operation.

    Returns:
      An int32 tensor of `values`' shape.

    Raises:
      InvalidArgumentError: if `nbins` is not positive, or the dtypes of `values` and
        `value_range` differ.
    """
    del dtype, name
    values = convert_to_tensor(values)
    value_range = convert_to_tensor(value_range)
    try:
        nbins = convert_to_tensor(nbins, dtype=dtypes.int32)
    except ValueError as e:
        raise ValueError(f"nbins: {e}") from None
    _check_positive(nbins)
    bins = math_ops.cast(nbins, values.dtype)
    low, high = value_range[0], value_range[1]
    scaled = math_ops.truediv(math_ops.subtract(values, low), math_ops.subtract(high, low))
    index = unary_ops.floor(math_ops.multiply(bins, scaled))
    index = clip_ops.clip_by_value(index, 0, math_ops.subtract(bins, 1))
    return math_ops.cast(index, dtypes.int32)
