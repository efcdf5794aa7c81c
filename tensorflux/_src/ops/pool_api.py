"""Public `tf.nn` pooling functions over the ops in `pool_ops`."""

from __future__ import annotations

import collections

from tensorflux._src.core import dtypes as D
from tensorflux._src.ops import array_ops, space_ops
from tensorflux._src.ops import pool_ops as P
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.ops.conv_api import _cf, get_sequence, padding_attrs

# TensorFlow returns a namedtuple of this name.
MaxPoolWithArgmaxResult = collections.namedtuple("MaxPoolWithArgmax", ["output", "argmax"])

_FORMATS = {1: ("NWC", "NCW"), 2: ("NHWC", "NCHW"), 3: ("NDHWC", "NCDHW")}


def _string_padding(padding):
    if not isinstance(padding, (str, bytes)):
        raise TypeError(f"Expected string for argument 'padding' not {padding!r}.")
    return padding.decode() if isinstance(padding, bytes) else padding


def _pool_nd(kind, input, ksize, strides, padding, data_format, n, name):
    """Runs MaxPool/AvgPool (2-D or 3-D) or, for n == 1, the 2-D op on an added height dim."""
    cf = _cf(data_format)
    if n == 1:
        x = array_ops.expand_dims(input, 2 if cf else 1)
        k = get_sequence(ksize, 1, cf, "ksize")
        s = get_sequence(strides, 1, cf, "strides")
        k = k[:-1] + [1] + k[-1:] if cf else k[:1] + [1] + k[1:]
        s = s[:-1] + [1] + s[-1:] if cf else s[:1] + [1] + s[1:]
        if isinstance(padding, (list, tuple)):
            padding = list(padding)
            padding = (
                padding[:2] + [[0, 0]] + padding[2:] if cf else padding[:1] + [[0, 0]] + padding[1:]
            )
        fmt = "NCHW" if cf else "NHWC"
        y = _pool_nd(kind, x, k, s, padding, fmt, 2, None)
        return array_ops.squeeze(y, [2 if cf else 1], name=name)
    fmt = data_format or _FORMATS[n][0]
    attrs = dict(
        ksize=get_sequence(ksize, n, cf, "ksize"),
        strides=get_sequence(strides, n, cf, "strides"),
        data_format=fmt,
    )
    if kind == "MAX" and n == 2:
        pad, ex = padding_attrs(padding, 2)
        return P.MaxPool(input, padding=pad, explicit_paddings=ex, name=name, **attrs)
    attrs["padding"] = _string_padding(padding)
    op = {("MAX", 3): P.MaxPool3D, ("AVG", 2): P.AvgPool, ("AVG", 3): P.AvgPool3D}[(kind, n)]
    return op(input, name=name, **attrs)


def _check_format(data_format, n):
    if data_format is not None and data_format not in _FORMATS[n]:
        raise ValueError(
            f"`data_format` must be one of {list(_FORMATS[n])}. Received: data_format={data_format}"
        )


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """Max pooling over a 3-D input.

    Args:
      input: A 3-D `Tensor`, `[batch, width, channels]` (NWC) or NCW.
      ksize: An int or a list of 1 or 3 ints: the window size.
      strides: An int or a list of 1 or 3 ints.
      padding: `"SAME"`, `"VALID"` or a list of 3 `[before, after]` pairs.
      data_format: `"NWC"` (default) or `"NCW"`.
      name: A name for the operation (optional).

    Returns:
      A 3-D `Tensor` of the input's dtype.
    """
    _check_format(data_format, 1)
    return _pool_nd("MAX", input, ksize, strides, padding, data_format, 1, name)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """Max pooling over a 4-D input.

    Args:
      input: A 4-D `Tensor`, NHWC (default) or NCHW.
      ksize: An int or a list of 1, 2 or 4 ints: the window size.
      strides: An int or a list of 1, 2 or 4 ints.
      padding: `"SAME"`, `"VALID"` or a list of 4 `[before, after]` pairs.
      data_format: `"NHWC"` (default) or `"NCHW"`.
      name: A name for the operation (optional).

    Returns:
      A 4-D `Tensor` of the input's dtype.

    Raises:
      InvalidArgumentError: for a bad rank or a window larger than the (padded) input.
    """
    _check_format(data_format, 2)
    return _pool_nd("MAX", input, ksize, strides, padding, data_format, 2, name)


def max_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """Max pooling over a 5-D input.

    Args:
      input: A 5-D `Tensor`, NDHWC (default) or NCDHW; half, bfloat16 or float32.
      ksize: An int or a list of 1, 3 or 5 ints.
      strides: An int or a list of 1, 3 or 5 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: `"NDHWC"` (default) or `"NCDHW"`.
      name: A name for the operation (optional).

    Returns:
      A 5-D `Tensor` of the input's dtype.
    """
    _check_format(data_format, 3)
    return _pool_nd("MAX", input, ksize, strides, padding, data_format, 3, name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """Average pooling over a 3-D input (padding cells are not counted).

    Args:
      input: A 3-D floating `Tensor`, NWC (default) or NCW.
      ksize: An int or a list of 1 or 3 ints.
      strides: An int or a list of 1 or 3 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: `"NWC"` (default) or `"NCW"`.
      name: A name for the operation (optional).

    Returns:
      A 3-D `Tensor` of the input's dtype.
    """
    _check_format(data_format, 1)
    _string_padding(padding)
    return _pool_nd("AVG", input, ksize, strides, padding, data_format, 1, name)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """Average pooling over a 4-D input (padding cells are not counted).

    Args:
      input: A 4-D floating `Tensor`, NHWC (default) or NCHW.
      ksize: An int or a list of 1, 2 or 4 ints.
      strides: An int or a list of 1, 2 or 4 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: `"NHWC"` (default) or `"NCHW"`.
      name: A name for the operation (optional).

    Returns:
      A 4-D `Tensor` of the input's dtype.
    """
    _check_format(data_format, 2)
    return _pool_nd("AVG", input, ksize, strides, padding, data_format, 2, name)


def avg_pool3d(input, ksize, strides, padding, data_format="NDHWC", name=None):
    """Average pooling over a 5-D input (padding cells are not counted).

    Args:
      input: A 5-D floating `Tensor`, NDHWC (default) or NCDHW.
      ksize: An int or a list of 1, 3 or 5 ints.
      strides: An int or a list of 1, 3 or 5 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: `"NDHWC"` (default) or `"NCDHW"`.
      name: A name for the operation (optional).

    Returns:
      A 5-D `Tensor` of the input's dtype.
    """
    _check_format(data_format, 3)
    return _pool_nd("AVG", input, ksize, strides, padding, data_format, 3, name)


def _rank_n(input):
    x = as_tensor(input)
    r = x.shape.rank
    if r not in (3, 4, 5):
        raise ValueError(
            f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={x.shape} of rank {r}."
        )
    return x, r - 2


def max_pool(input, ksize, strides, padding, data_format=None, name=None):
    """Max pooling over a 3-, 4- or 5-D input (1-, 2- or 3-D windows, from the input's rank).

    Args:
      input: A `Tensor` of rank N + 2.
      ksize: An int or a list of 1, N or N + 2 ints.
      strides: An int or a list of 1, N or N + 2 ints.
      padding: `"SAME"`, `"VALID"` or (for N <= 2) a list of pairs.
      data_format: channels-last (default) or channels-first (`"NC..."`).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the input's dtype.

    Raises:
      ValueError: if the input's rank is not 3, 4 or 5.
    """
    x, n = _rank_n(input)
    fmt = _FORMATS[n][1 if _cf(data_format) else 0]
    return _pool_nd("MAX", x, ksize, strides, padding, fmt, n, name)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):
    """Average pooling over a 3-, 4- or 5-D input (padding cells are not counted).

    Args:
      input: A floating `Tensor` of rank N + 2.
      ksize: An int or a list of 1, N or N + 2 ints.
      strides: An int or a list of 1, N or N + 2 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: channels-last (default) or channels-first (`"NC..."`).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the input's dtype.
    """
    x, n = _rank_n(input)
    fmt = _FORMATS[n][1 if _cf(data_format) else 0]
    _string_padding(padding)
    return _pool_nd("AVG", x, ksize, strides, padding, fmt, n, name)


def pool(
    input, window_shape, pooling_type, strides=None, padding="VALID", data_format=None,
    dilations=None, name=None,
):  # fmt: skip
    """N-D max or average pooling, with optional dilated windows.

    Args:
      input: A `Tensor` of rank N + 2 (N = 1, 2 or 3).
      window_shape: A list of N positive ints.
      pooling_type: `"MAX"` or `"AVG"`.
      strides: A list of N ints (default 1). Must be 1 where `dilations` exceed 1.
      padding: `"VALID"` (default) or `"SAME"` (`"SAME"` only without dilation).
      data_format: channels-last (default) or channels-first (`"NC..."`).
      dilations: A list of N ints (default 1): spacing between window taps.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of rank N + 2.

    Raises:
      ValueError: for an unknown pooling type, or dilation combined with strides or SAME padding.
    """
    window = [int(v) for v in window_shape]
    n = len(window)
    if n not in (1, 2, 3):
        raise ValueError(f"`len(window_shape)` must be 1, 2 or 3. Received: {window_shape}")
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"{n}-D {pooling_type} pooling is not supported.")
    st = [1] * n if strides is None else [int(v) for v in strides]
    dl = [1] * n if dilations is None else [int(v) for v in dilations]
    pad = padding.decode() if isinstance(padding, bytes) else padding
    if max(dl) > 1:
        if pad == "SAME":
            raise ValueError(
                "pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. "
                f"Received: padding={pad} and dilation_rate=[{' '.join(map(str, dl))}]"
            )
        if max(st) > 1:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides=[{' '.join(map(str, st))}] and "
                f"dilation_rate=[{' '.join(map(str, dl))}]"
            )
    cf = _cf(data_format)
    fmt = _FORMATS[n][1 if cf else 0]
    if max(dl) == 1:
        return _pool_nd(pooling_type, input, window, st, pad, fmt, n, name)
    return _dilated_pool(as_tensor(input), window, pooling_type, dl, cf, n, name)


def _dilated_pool(x, window, kind, rate, cf, n, name):
    """VALID pooling with dilated windows: space-to-batch by the rate, pool, batch-to-space."""
    if cf:
        x = array_ops.transpose(x, [0, *range(2, n + 2), 1])
    sp = x.shape.as_list()[1:-1]
    if any(d is None for d in sp):
        # Pad each spatial dim up to a multiple of its rate, computed at run time.
        size = array_ops.shape(x)[1:-1]
        r = as_tensor(rate, dtype=D.int32)
        hi = (r - size % r) % r
        pads = array_ops.stack([array_ops.zeros_like(hi), hi], axis=1)
    else:
        pads = [[0, (-d) % r] for d, r in zip(sp, rate)]
    b = space_ops.space_to_batch_nd(x, rate, pads)
    y = _pool_nd(kind, b, window, 1, "VALID", _FORMATS[n][0], n, None)
    y = space_ops.batch_to_space(y, rate, pads)
    if cf:
        y = array_ops.transpose(y, [0, n + 1, *range(1, n + 1)])
    return array_ops.identity(y, name=name) if name else y


def max_pool_with_argmax(
    input, ksize, strides, padding, data_format="NHWC", output_dtype=D.int64,
    include_batch_in_index=False, name=None,
):  # fmt: skip
    """2-D max pooling that also returns where each maximum came from.

    The index of input element `(b, y, x, c)` is `((b * height + y) * width + x) * channels + c`,
    with `b` counted only when `include_batch_in_index` is True.

    Args:
      input: A 4-D NHWC `Tensor`.
      ksize: An int or a list of 1, 2 or 4 ints.
      strides: An int or a list of 1, 2 or 4 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: Only `"NHWC"`.
      output_dtype: `tf.int32` or `tf.int64` (default): the dtype of `argmax`.
      include_batch_in_index: Whether the flat index includes the batch.
      name: A name for the operation (optional).

    Returns:
      A `(output, argmax)` namedtuple-like pair of `Tensor`s.

    Raises:
      ValueError: for a data_format other than NHWC.
    """
    if data_format != "NHWC":
        raise ValueError(
            "`data_format` values other  than 'NHWC' are not supported. Received: "
            f"data_format={data_format}"
        )
    out, arg = P.MaxPoolWithArgmax(
        input,
        ksize=get_sequence(ksize, 2, False, "ksize"),
        strides=get_sequence(strides, 2, False, "strides"),
        Targmax=D.as_dtype(output_dtype),
        padding=_string_padding(padding),
        include_batch_in_index=bool(include_batch_in_index),
        name=name,
    )
    return MaxPoolWithArgmaxResult(out, arg)
