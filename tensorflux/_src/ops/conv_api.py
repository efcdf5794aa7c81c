"""Public `tf.nn` convolutions: conv1d/2d/3d, their transposes, depthwise, separable, atrous and the
rank-generic `convolution` / `conv_transpose`. All are thin wrappers over the ops in `conv_ops`."""

from __future__ import annotations

from tensorflux._src.core import dtypes as D
from tensorflux._src.ops import array_ops, manip_ops
from tensorflux._src.ops import conv_ops as C
from tensorflux._src.ops._util import as_tensor, static_int_list
from tensorflux._src.tensor import Tensor


def _cf(data_format) -> bool:
    return data_format is not None and str(data_format).startswith("NC")


def get_sequence(value, n, cf, name):
    """An int or a list of length 1, n or n + 2 as a full-rank attr list (batch/channel 1)."""
    if value is None:
        return [1] * (n + 2)
    if isinstance(value, Tensor):
        value = static_int_list(value)
    if isinstance(value, int) or not hasattr(value, "__len__"):
        value = [int(value)]
    value = [int(v) for v in value]
    if len(value) == n + 2:
        return value
    if len(value) == 1:
        value = value * n
    elif len(value) != n:
        raise ValueError(
            f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={value} of length "
            f"{len(value)}"
        )
    return [1, 1, *value] if cf else [1, *value, 1]


def padding_attrs(padding, n):
    """(padding string, explicit_paddings) from "SAME"/"VALID" or a list of [lo, hi] pairs."""
    if isinstance(padding, (list, tuple)):
        if len(padding) != n + 2:
            raise ValueError(
                f"When padding is a list, it must be of size {n + 2}. Received: padding="
                f"{list(padding)} of size {len(padding)}"
            )
        flat = []
        for pair in padding:
            if len(pair) != 2:
                raise ValueError(f"Each padding entry must be a pair of ints: {list(padding)}")
            flat += [int(pair[0]), int(pair[1])]
        return "EXPLICIT", flat
    if isinstance(padding, bytes):
        padding = padding.decode()
    return padding, []


def _conv2d_attrs(strides, padding, data_format, dilations):
    cf = _cf(data_format)
    pad, ex = padding_attrs(padding, 2)
    return dict(
        strides=get_sequence(strides, 2, cf, "strides"),
        padding=pad,
        explicit_paddings=ex,
        data_format=data_format or "NHWC",
        dilations=get_sequence(dilations, 2, cf, "dilations"),
        use_cudnn_on_gpu=True,
    )


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """Computes a 2-D convolution of a 4-D input with a 4-D filter.

    Args:
      input: A `Tensor` of shape `[batch, height, width, channels]` (NHWC) or
        `[batch, channels, height, width]` (NCHW); half, bfloat16, float32, float64 or int32.
      filters: A `Tensor` of the same dtype, shape `[fh, fw, in_channels / groups, out_channels]`.
        When the input has a multiple of the filter's input depth, channels form groups.
      strides: An int or a list of 1, 2 or 4 ints: the window step per dimension.
      padding: `"SAME"`, `"VALID"`, or a list of 4 `[before, after]` pairs (batch and channel
        pairs must be `[0, 0]`).
      data_format: `"NHWC"` (default) or `"NCHW"`.
      dilations: An int or a list of 1, 2 or 4 ints: the filter's dilation rate. Default 1.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the input's dtype.

    Raises:
      InvalidArgumentError: for wrong ranks, mismatched depths or a negative output size.
      ValueError: for badly sized strides, dilations or padding lists.
    """
    attrs = _conv2d_attrs(strides, padding, data_format, dilations)
    return C.Conv2D(input, filters, name=name, **attrs)


def _conv3d_attrs(strides, padding, data_format, dilations):
    cf = _cf(data_format)
    pad, ex = padding_attrs(padding, 3)
    if pad == "EXPLICIT":
        raise ValueError("Conv3D does not support explicit padding lists")
    return dict(
        strides=get_sequence(strides, 3, cf, "strides"),
        padding=pad,
        data_format=data_format or "NDHWC",
        dilations=get_sequence(dilations, 3, cf, "dilations"),
    )


def conv3d(input, filters, strides, padding, data_format="NDHWC", dilations=None, name=None):
    """Computes a 3-D convolution of a 5-D input with a 5-D filter.

    Args:
      input: A `Tensor` of shape `[batch, depth, height, width, channels]` (NDHWC) or NCDHW.
      filters: A `Tensor` of shape `[fd, fh, fw, in_channels, out_channels]`.
      strides: An int or a list of 1, 3 or 5 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: `"NDHWC"` (default) or `"NCDHW"`.
      dilations: An int or a list of 1, 3 or 5 ints. Default 1.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of the input's dtype.
    """
    attrs = _conv3d_attrs(strides, padding, data_format, dilations)
    return C.Conv3D(input, filters, name=name, **attrs)


def _sizes(output_shape):
    vals = static_int_list(output_shape)
    if vals is not None:
        return vals
    return as_tensor(output_shape, dtype_hint=D.int32)


def conv2d_transpose(
    input, filters, output_shape, strides, padding="SAME", data_format="NHWC", dilations=None,
    name=None,
):  # fmt: skip
    """The transpose (gradient) of `conv2d`: maps a conv2d output shape back to its input shape.

    Args:
      input: A 4-D `Tensor` shaped like a conv2d output.
      filters: A `Tensor` of shape `[fh, fw, output_channels, input_channels]`.
      output_shape: A 1-D int tensor or list: the full 4-D shape of the result.
      strides: An int or a list of 1, 2 or 4 ints.
      padding: `"SAME"`, `"VALID"` or a list of 4 pairs.
      data_format: `"NHWC"` (default) or `"NCHW"`.
      dilations: An int or a list of 1, 2 or 4 ints.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of shape `output_shape`, the input's dtype.
    """
    attrs = _conv2d_attrs(strides, padding, data_format, dilations)
    return C.Conv2DBackpropInput(_sizes(output_shape), filters, input, name=name, **attrs)


def conv3d_transpose(
    input, filters, output_shape, strides, padding="SAME", data_format="NDHWC", dilations=None,
    name=None,
):  # fmt: skip
    """The transpose (gradient) of `conv3d`.

    Args:
      input: A 5-D `Tensor` shaped like a conv3d output.
      filters: A `Tensor` of shape `[fd, fh, fw, output_channels, input_channels]`.
      output_shape: A 1-D int tensor or list: the full 5-D shape of the result.
      strides: An int or a list of 1, 3 or 5 ints.
      padding: `"SAME"` or `"VALID"`.
      data_format: `"NDHWC"` (default) or `"NCDHW"`.
      dilations: An int or a list of 1, 3 or 5 ints.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of shape `output_shape`.
    """
    attrs = _conv3d_attrs(strides, padding, data_format, dilations)
    return C.Conv3DBackpropInputV2(_sizes(output_shape), filters, input, name=name, **attrs)


# ------------------------------------------------------------------ 1-D through 2-D


def _conv1d_parts(stride, padding, data_format, dilations, name_s="stride"):
    cf = _cf(data_format)
    fmt = "NCHW" if cf else "NHWC"
    s = get_sequence(stride, 1, cf, name_s)
    d = get_sequence(dilations, 1, cf, "dilations")
    # Insert a height dim of size 1 before the width dim.
    s2 = s[:-1] + [1] + s[-1:] if cf else s[:1] + [1] + s[1:]
    d2 = d[:-1] + [1] + d[-1:] if cf else d[:1] + [1] + d[1:]
    if isinstance(padding, (list, tuple)):
        if len(padding) != 3:
            raise ValueError(
                f"When padding is a list, it must be of size 3. Received: padding="
                f"{list(padding)} of size {len(padding)}"
            )
        padding = list(padding)
        padding = (
            padding[:2] + [[0, 0]] + padding[2:] if cf else padding[:1] + [[0, 0]] + padding[1:]
        )
    return cf, fmt, s2, d2, padding


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    """Computes a 1-D convolution of a 3-D input with a 3-D filter (through `conv2d`).

    Args:
      input: A 3-D `Tensor`, `[batch, width, channels]` (NWC) or `[batch, channels, width]` (NCW).
      filters: A `Tensor` of shape `[fw, in_channels, out_channels]`.
      stride: An int or a list of 1 or 3 ints.
      padding: `"SAME"`, `"VALID"` or a list of 3 pairs.
      data_format: `"NWC"` (default) or `"NCW"`.
      dilations: An int or a list of 1 or 3 ints.
      name: A name for the operation (optional).

    Returns:
      A 3-D `Tensor` of the input's dtype.
    """
    if data_format not in (None, "NWC", "NCW", "NHWC", "NCHW"):
        raise ValueError(
            f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}"
        )
    cf, fmt, s2, d2, padding = _conv1d_parts(stride, padding, data_format, dilations)
    x = array_ops.expand_dims(input, 2 if cf else 1)
    w = array_ops.expand_dims(filters, 0)
    y = conv2d(x, w, s2, padding, data_format=fmt, dilations=d2)
    return array_ops.squeeze(y, [2 if cf else 1], name=name)


def conv1d_transpose(
    input, filters, output_shape, strides, padding="SAME", data_format="NWC", dilations=None,
    name=None,
):  # fmt: skip
    """The transpose (gradient) of `conv1d`.

    Args:
      input: A 3-D `Tensor` shaped like a conv1d output.
      filters: A `Tensor` of shape `[fw, output_channels, input_channels]`.
      output_shape: A 1-D int tensor or list: the full 3-D shape of the result.
      strides: An int or a list of 1 or 3 ints.
      padding: `"SAME"`, `"VALID"` or a list of 3 pairs.
      data_format: `"NWC"` (default) or `"NCW"`.
      dilations: An int or a list of 1 or 3 ints.
      name: A name for the operation (optional).

    Returns:
      A 3-D `Tensor` of shape `output_shape`.
    """
    if data_format not in (None, "NWC", "NCW"):
        raise ValueError(
            f"`data_format` must be 'NWC' or 'NCW'. Received: data_format={data_format}"
        )
    cf, fmt, s2, d2, padding = _conv1d_parts(strides, padding, data_format, dilations, "strides")
    ax = 2 if cf else 1
    sizes = static_int_list(output_shape)
    if sizes is not None:
        sizes = sizes[:ax] + [1] + sizes[ax:]
    else:
        o = as_tensor(output_shape, dtype_hint=D.int32)
        one = as_tensor([1], dtype=o.dtype)
        sizes = manip_ops.concat([o[:ax], one, o[ax:]], 0)
    x = array_ops.expand_dims(input, ax)
    w = array_ops.expand_dims(filters, 0)
    y = conv2d_transpose(x, w, sizes, s2, padding, data_format=fmt, dilations=d2)
    return array_ops.squeeze(y, [ax], name=name)


# ------------------------------------------------------------------ depthwise, separable, atrous


def _rate(dilations):
    if dilations is None:
        return [1, 1]
    if isinstance(dilations, int):
        return [dilations, dilations]
    d = [int(v) for v in dilations]
    if len(d) == 1:
        return d * 2
    if len(d) == 4:
        return d[1:3]
    if len(d) != 2:
        raise ValueError(f"rate must be of length 2. Received: {d}")
    return d


def _dw_attrs(strides, padding, data_format, dilations):
    cf = _cf(data_format)
    st = [int(s) for s in strides] if not isinstance(strides, int) else [1, strides, strides, 1]
    if len(st) != 4:
        raise ValueError(f"strides must be of length 4. Received: {st}")
    rate = _rate(dilations)
    if max(rate) > 1 and max(st[2:] if cf else st[1:3]) > 1:
        raise ValueError(
            f"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: "
            f"strides={st[2:] if cf else st[1:3]} and dilation_rate={rate}"
        )
    pad, ex = padding_attrs(padding, 2)
    return dict(
        strides=st,
        padding=pad,
        explicit_paddings=ex,
        data_format=data_format or "NHWC",
        dilations=[1, 1, *rate] if cf else [1, *rate, 1],
    )


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None, name=None):
    """Convolves each input channel with its own set of filters (depthwise convolution).

    Args:
      input: A 4-D `Tensor`, NHWC (default) or NCHW.
      filter: A `Tensor` of shape `[fh, fw, in_channels, channel_multiplier]`.
      strides: A list of 4 ints.
      padding: `"SAME"`, `"VALID"` or a list of 4 pairs.
      data_format: `"NHWC"` (default) or `"NCHW"`.
      dilations: The dilation rate: an int or a list of 1 or 2 ints (the atrous rate).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` with `in_channels * channel_multiplier` channels.
    """
    attrs = _dw_attrs(strides, padding, data_format, dilations)
    return C.DepthwiseConv2dNative(input, filter, name=name, **attrs)


def depthwise_conv2d_backprop_input(
    input_sizes, filter, out_backprop, strides, padding, data_format="NHWC",
    dilations=(1, 1, 1, 1), name=None,
):  # fmt: skip
    """The gradient of `depthwise_conv2d` with respect to its input.

    Args:
      input_sizes: A 1-D int tensor or list: the input's shape.
      filter: A `Tensor` of shape `[fh, fw, in_channels, channel_multiplier]`.
      out_backprop: The gradient with respect to the convolution's output.
      strides: A list of 4 ints.
      padding: `"SAME"`, `"VALID"` or a list of 4 pairs.
      data_format: `"NHWC"` (default) or `"NCHW"`.
      dilations: A list of 4 ints.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of shape `input_sizes`.
    """
    pad, ex = padding_attrs(padding, 2)
    return C.DepthwiseConv2dNativeBackpropInput(
        _sizes(input_sizes), filter, out_backprop, strides=list(strides), padding=pad,
        explicit_paddings=ex, data_format=data_format, dilations=list(dilations), name=name,
    )  # fmt: skip


def depthwise_conv2d_backprop_filter(
    input, filter_sizes, out_backprop, strides, padding, data_format="NHWC",
    dilations=(1, 1, 1, 1), name=None,
):  # fmt: skip
    """The gradient of `depthwise_conv2d` with respect to its filter.

    Args:
      input: The convolution's 4-D input.
      filter_sizes: A 1-D int tensor or list: the filter's shape.
      out_backprop: The gradient with respect to the convolution's output.
      strides: A list of 4 ints.
      padding: `"SAME"`, `"VALID"` or a list of 4 pairs.
      data_format: `"NHWC"` (default) or `"NCHW"`.
      dilations: A list of 4 ints.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of shape `filter_sizes`.
    """
    pad, ex = padding_attrs(padding, 2)
    return C.DepthwiseConv2dNativeBackpropFilter(
        input, _sizes(filter_sizes), out_backprop, strides=list(strides), padding=pad,
        explicit_paddings=ex, data_format=data_format, dilations=list(dilations), name=name,
    )  # fmt: skip


def separable_conv2d(
    input, depthwise_filter, pointwise_filter, strides, padding, data_format=None,
    dilations=None, name=None,
):  # fmt: skip
    """A depthwise convolution followed by a 1x1 (pointwise) convolution that mixes channels.

    Args:
      input: A 4-D `Tensor`, NHWC (default) or NCHW.
      depthwise_filter: `[fh, fw, in_channels, channel_multiplier]`.
      pointwise_filter: `[1, 1, in_channels * channel_multiplier, out_channels]`.
      strides: A list of 4 ints (for the depthwise step).
      padding: `"SAME"` or `"VALID"`.
      data_format: `"NHWC"` (default) or `"NCHW"`.
      dilations: The depthwise dilation rate: an int or a list of 1 or 2 ints.
      name: A name for the operation (optional).

    Returns:
      A 4-D `Tensor` with `out_channels` channels.
    """
    pw = as_tensor(pointwise_filter)
    if pw.shape.rank is not None and pw.shape.rank == 4:
        kh, kw = pw.shape.as_list()[:2]
        if (kh is not None and kh != 1) or (kw is not None and kw != 1):
            raise ValueError(
                f"Pointwise filter should be of shape [1, 1, ...]. Received: {pw.shape}"
            )
    dw = depthwise_conv2d(input, depthwise_filter, strides, padding, data_format, dilations)
    return conv2d(dw, pw, [1, 1, 1, 1], "VALID", data_format=data_format or "NHWC", name=name)


def atrous_conv2d(value, filters, rate, padding, name=None):
    """A dilated ("atrous") 2-D convolution with stride 1 and dilation `rate` (NHWC).

    Args:
      value: A 4-D NHWC `Tensor`.
      filters: A `Tensor` of shape `[fh, fw, in_channels, out_channels]`.
      rate: A positive int: the spacing between filter taps.
      padding: `"SAME"` or `"VALID"`.
      name: A name for the operation (optional).

    Returns:
      A 4-D `Tensor`.

    Raises:
      ValueError: if `rate` is less than one.
    """
    if int(rate) < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return conv2d(value, filters, 1, padding, dilations=int(rate), name=name)


def atrous_conv2d_transpose(value, filters, output_shape, rate, padding, name=None):
    """The transpose (gradient) of `atrous_conv2d`.

    Args:
      value: A 4-D NHWC `Tensor` shaped like an atrous_conv2d output.
      filters: A `Tensor` of shape `[fh, fw, output_channels, input_channels]`.
      output_shape: A 1-D int tensor or list of 4 ints: the result's shape.
      rate: A positive int.
      padding: `"SAME"` or `"VALID"`.
      name: A name for the operation (optional).

    Returns:
      A 4-D `Tensor` of shape `output_shape`.
    """
    if int(rate) < 1:
        raise ValueError(f"rate {rate} cannot be less than one")
    return conv2d_transpose(
        value, filters, output_shape, 1, padding, dilations=int(rate), name=name
    )


# ------------------------------------------------------------------ rank-generic


def _rank_of(filters, what):
    f = as_tensor(filters)
    r = f.shape.rank
    if r is None:
        raise ValueError(f"`{what}` must have a known rank")
    return f, r - 2


def _seq_n(v, n):
    if v is None:
        return 1
    if isinstance(v, int):
        return v
    return list(v)


def convolution(
    input, filters, strides=None, padding="VALID", data_format=None, dilations=None, name=None
):
    """An N-D convolution (N = 1, 2 or 3, from the filter's rank).

    Args:
      input: An `(N + 2)`-D `Tensor`.
      filters: An `(N + 2)`-D `Tensor` of shape `[*spatial, in_channels, out_channels]`.
      strides: An int or a list of N ints. Default 1.
      padding: `"VALID"` (default), `"SAME"` or a list of pairs.
      data_format: channels-last (default) or channels-first (`"NC..."`).
      dilations: An int or a list of N ints. Default 1.
      name: A name for the operation (optional).

    Returns:
      An `(N + 2)`-D `Tensor`.
    """
    filters, n = _rank_of(filters, "filters")
    s, d = _seq_n(strides, n), _seq_n(dilations, n)
    cf = _cf(data_format)
    if n == 1:
        return conv1d(input, filters, s, padding, "NCW" if cf else "NWC", d, name=name)
    if n == 2:
        return conv2d(input, filters, s, padding, "NCHW" if cf else "NHWC", d, name=name)
    if n == 3:
        return conv3d(input, filters, s, padding, "NCDHW" if cf else "NDHWC", d, name=name)
    raise ValueError(f"`filters` must be of rank 3, 4 or 5. Received: rank {n + 2}")


def conv_transpose(
    input, filters, output_shape, strides, padding="SAME", data_format=None, dilations=None,
    name=None,
):  # fmt: skip
    """The transpose of `convolution` for N = 1, 2 or 3 (from the length of `output_shape`).

    Args:
      input: An `(N + 2)`-D `Tensor`.
      filters: `[*spatial, output_channels, input_channels]`.
      output_shape: A 1-D int tensor or list of N + 2 ints.
      strides: An int or a list of N ints.
      padding: `"SAME"` (default), `"VALID"` or a list of pairs.
      data_format: channels-last (default) or channels-first (`"NC..."`).
      dilations: An int or a list of N ints.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of shape `output_shape`.
    """
    vals = static_int_list(output_shape)
    if vals is not None:
        n = len(vals) - 2
    else:
        _, n = _rank_of(filters, "filters")
    cf = _cf(data_format)
    args = (input, filters, output_shape, strides, padding)
    if n == 1:
        return conv1d_transpose(*args, "NCW" if cf else "NWC", dilations, name=name)
    if n == 2:
        return conv2d_transpose(*args, "NCHW" if cf else "NHWC", dilations, name=name)
    if n == 3:
        return conv3d_transpose(*args, "NCDHW" if cf else "NDHWC", dilations, name=name)
    raise ValueError(f"`output_shape` must be of length 3, 4 or 5. Received: length {n + 2}")
