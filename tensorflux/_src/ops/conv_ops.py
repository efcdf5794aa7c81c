"""Convolution primitives: Conv2D, Conv3D and DepthwiseConv2dNative, each with its input and filter
backprops registered as ops of their own (so gradients of gradients work).

Every family shares one shape rule and one kernel shape, parameterized by its spatial rank and by
whether it is a depthwise convolution. Kernels live in `conv_kernels` (im2col + one matmul); the
public `tf.nn` functions are in `conv_api`.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes as D
from tensorflux._src.core.errors import InvalidArgumentError, UnimplementedError
from tensorflux._src.core.infer import check_allowed, check_same, legacy_name
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops
from tensorflux._src.ops import conv_kernels as K
from tensorflux._src.ops import conv_util as cu
from tensorflux._src.ops._util import static_int_list

_CONV_T = (D.float16, D.bfloat16, D.float32, D.float64, D.int32)
_FLOAT_T = (D.float16, D.bfloat16, D.float32, D.float64)


class _Family:
    """What differs between Conv2D, Conv3D and DepthwiseConv2dNative."""

    def __init__(self, name, nsp, depthwise, allowed, default_format):
        self.name = name
        self.nsp = nsp
        self.depthwise = depthwise
        self.allowed = allowed
        self.default_format = default_format


_C2 = _Family("Conv2D", 2, False, _CONV_T, "NHWC")
_C3 = _Family("Conv3D", 3, False, _FLOAT_T, "NDHWC")
_DW = _Family("DepthwiseConv2dNative", 2, True, _FLOAT_T, "NHWC")


def _dims_str(dims):
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _check_input_rank(fam, shape, graph=False):
    r = fam.nsp + 2
    if len(shape) == r:
        return
    if graph:  # shape inference while tracing words it as TensorFlow's graph builder does
        raise cu.err(f"Shape must be rank {r} but is rank {len(shape)}")
    if fam is _C3:
        raise cu.err(f"input must be {r}-dimensional")
    if fam.depthwise:
        raise cu.err(f"input must be {r}-dimensional{_dims_str(shape)}")
    raise cu.err(f"convolution input must be {r}-dimensional: {_dims_str(shape)}")


def _check_filter_rank(fam, shape, graph=False):
    r = fam.nsp + 2
    if len(shape) == r:
        return
    if graph:
        raise cu.err(f"Shape must be rank {r} but is rank {len(shape)}")
    if fam is _C3:
        raise cu.err(f"filter must be {r}-dimensional")
    if fam.depthwise:
        raise cu.err(f"filter must be {r}-dimensional: {_dims_str(shape)}")
    raise cu.err(f"convolution filter must be {r}-dimensional: {_dims_str(shape)}")


def _check_depth_graph(fam, c, cin, o):
    if c is None or cin is None:
        return
    if fam.depthwise:
        if c != cin:
            raise cu.err(f"Dimensions must be equal, but are {c} and {cin}")
        return
    if cin and c % cin:
        raise cu.err(f"Depth of input ({c}) is not a multiple of input depth of filter ({cin})")
    if cin and o is not None and o % (c // cin):
        raise cu.err(
            f"Depth of output ({o}) is not a multiple of the number of groups ({c // cin})"
        )


def _check_depth(fam, c, cin, o=None):
    if c is None or cin is None:
        return
    if fam.depthwise:
        if c != cin:
            raise cu.err(f"input and filter must have the same depth: {c} vs {cin}")
    elif fam is _C3:
        if c != cin:
            raise cu.err(
                f"Number of channels in filter ({cin}) must match last dimension of input ({c})"
            )
    else:
        if cin == 0:
            raise cu.err(f"filter depth must be stricly positive, got {cin}")
        if c % cin:
            raise cu.err(f"input depth must be evenly divisible by filter depth: {c} vs {cin}")
        g = c // cin
        if o is not None and o % g:
            raise cu.err(f"output depth must be evenly divisible by number of groups: {o} vs {g}")


def _check_attrs(fam, attrs):
    """Validates strides/dilations/padding; returns (cf, strides, dilations, padding, pairs)."""
    fmt = attrs.get("data_format", fam.default_format)
    cu.check_format(fmt, fam.nsp)
    cf = cu.channels_first(fmt)
    r = fam.nsp + 2
    strides = cu.ints(attrs["strides"])
    dil = cu.ints(attrs.get("dilations", [1] * r))
    if len(strides) != r:
        raise cu.err(f"Sliding window strides field must specify {r} dimensions")
    if len(dil) != r:
        raise cu.err(f"Sliding window dilations field must specify {r} dimensions")
    bc = (0, 1) if cf else (0, r - 1)
    if strides[bc[0]] != 1 or strides[bc[1]] != 1:
        raise UnimplementedError(
            None,
            None,
            "Current implementation does not yet support strides in the batch and depth "
            "dimensions.",
        )
    s_sp = cu.spatial_of(strides, fam.nsp, cf)
    d_sp = cu.spatial_of(dil, fam.nsp, cf)
    if any(s < 1 for s in s_sp):
        raise cu.err("Row and column strides should be larger than 0.")
    if any(d < 1 for d in d_sp):
        raise cu.err("Dilated rates should be larger than 0.")
    padding = attrs["padding"]
    padding = padding.decode() if isinstance(padding, bytes) else padding
    if padding not in ("SAME", "VALID", "EXPLICIT"):
        raise cu.err(
            f"Value for attr 'padding' of \"{padding}\" is not in the list of allowed values: "
            '"SAME", "VALID", "EXPLICIT"'
        )
    pairs = None
    if padding == "EXPLICIT":
        ex = cu.ints(attrs.get("explicit_paddings", []))
        if len(ex) != 2 * r:
            raise cu.err(
                f"explicit_paddings attribute must contain {2 * r} values, but got: {len(ex)}"
            )
        full = [ex[i : i + 2] for i in range(0, 2 * r, 2)]
        if any(v < 0 for v in ex):
            raise cu.err("All elements of explicit_paddings must be nonnegative")
        for i in bc:
            if full[i] != [0, 0]:
                raise cu.err(
                    "Nonzero explicit padding in the batch or depth dimensions is not supported"
                )
        pairs = cu.explicit_pairs(ex, fam.nsp, cf)
    return cf, s_sp, d_sp, padding, pairs


def _out_channels(fam, c, wshape):
    if fam.depthwise:
        return None if c is None or wshape[-1] is None else c * wshape[-1]
    return wshape[-1]


def _forward_shape(fam):
    def shape(inputs, attrs):
        xs, ws = inputs[0].shape, inputs[1].shape
        if xs.rank is not None:
            _check_input_rank(fam, xs.as_list(), graph=True)
        if ws.rank is not None:
            _check_filter_rank(fam, ws.as_list(), graph=True)
        cf, s_sp, d_sp, padding, pairs = _check_attrs(fam, attrs)
        r = fam.nsp + 2
        if xs.rank is None:
            xs = TensorShape([None] * r)
        if ws.rank is None:
            ws = TensorShape([None] * r)
        n, sp, c = cu.split_shape(xs, cf)
        wl = ws.as_list()
        _check_depth_graph(fam, c, wl[-2], wl[-1])
        outs = cu.static_out(sp, wl[:-2], s_sp, d_sp, padding, pairs)
        return cu.full_shape(r, n, outs, _out_channels(fam, c, wl), cf)

    return shape


def _dtype_same(allowed):
    def dtype(in_dtypes, attrs):
        t = check_same(in_dtypes)
        if t not in allowed:
            check_allowed(t, allowed)
        return t

    return dtype


def _dtype_pair(allowed, a, b, sizes_at):
    """Two T inputs at `a`, `b` and an int32 sizes input."""

    def dtype(in_dtypes, attrs):
        t = check_same(in_dtypes, (a, b))
        if t not in allowed:
            check_allowed(t, allowed)
        st = in_dtypes[sizes_at]
        if st not in (D.int32, D.int64):
            raise InvalidArgumentError(
                None, None, f"sizes must be int32 or int64, got {legacy_name(st)}"
            )
        return t

    return dtype


def _geometry(fam, x_shape_cl, w_shape, attrs):
    cf, s_sp, d_sp, padding, pairs = _check_attrs(fam, attrs)
    outs, pads = cu.geometry(x_shape_cl[1:-1], w_shape[:-2], s_sp, d_sp, padding, pairs)
    return cf, s_sp, d_sp, pads, outs


def _cl_shape(shape, cf):
    shape = list(shape)
    return [shape[0], *shape[2:], shape[1]] if cf else shape


def _check_dy(fam, dy_cl, x_cl, w_shape, outs, s_sp, d_sp, what):
    expect_c = x_cl[-1] * w_shape[-1] if fam.depthwise else w_shape[-1]
    if dy_cl[-1] != expect_c:
        raise cu.err(f"{what}: filter and out_backprop must have the same out_depth")
    if dy_cl[0] != x_cl[0]:
        raise cu.err(f"{what}: input and out_backprop must have the same batch size")
    for i, (a, b) in enumerate(zip(dy_cl[1:-1], outs)):
        if a != b:
            raise cu.err(
                f"{what}: Size of out_backprop doesn't match computed: actual = {a}, computed = "
                f"{b} spatial_dim: {i + 1} input: {x_cl[i + 1]} filter: {w_shape[i]} output: {a} "
                f"stride: {s_sp[i]} dilation: {d_sp[i]}"
            )


def _sizes_shape(t, r):
    vals = static_int_list(t)
    if vals is not None:
        if len(vals) != r:
            raise cu.err(f"input_sizes must be {r}-dimensional, got: {len(vals)}")
        return TensorShape(vals)
    return TensorShape([None] * r)


# ------------------------------------------------------------------ op declarations


def _declare(fam, bin_name, bfil_name):
    r = fam.nsp + 2
    fwd = defop(fam.name, infer=Rule(_dtype_same(fam.allowed), _forward_shape(fam)))
    allowed = fam.allowed

    def bin_shape(inputs, attrs):
        _check_attrs(fam, attrs)
        ws = inputs[1].shape
        if ws.rank is not None:
            _check_filter_rank(fam, ws.as_list())
        return _sizes_shape(inputs[0], r)

    def bfil_shape(inputs, attrs):
        _check_attrs(fam, attrs)
        xs = inputs[0].shape
        if xs.rank is not None:
            _check_input_rank(fam, xs.as_list())
        return _sizes_shape(inputs[1], r)

    bin_ = defop(
        bin_name, infer=Rule(_dtype_pair(allowed, 1, 2, 0), bin_shape), host_inputs=(0,),
        type_inputs=(1, 2),
    )  # fmt: skip
    bfil = defop(
        bfil_name, infer=Rule(_dtype_pair(allowed, 0, 2, 1), bfil_shape), host_inputs=(1,),
        type_inputs=(0, 2),
    )  # fmt: skip
    fk, bfk, bik = (
        (K.depthwise_forward, K.depthwise_backprop_filter, K.depthwise_backprop_input)
        if fam.depthwise
        else (K.conv_forward, K.conv_backprop_filter, K.conv_backprop_input)
    )

    @fwd.kernel
    def _(xp, x, w, **attrs):
        _check_input_rank(fam, x.shape)
        _check_filter_rank(fam, w.shape)
        cf = cu.channels_first(attrs.get("data_format", fam.default_format))
        x_cl = cu.to_cl(xp, x, cf)
        _check_depth(fam, x_cl.shape[-1], w.shape[-2], w.shape[-1])
        cf, s_sp, d_sp, pads, outs = _geometry(fam, x_cl.shape, w.shape, attrs)
        y = fk(xp, x_cl, w, s_sp, d_sp, pads, outs).astype(x.dtype, copy=False)
        return cu.from_cl(xp, y, cf)

    @bin_.kernel
    def _(xp, input_sizes, w, dy, **attrs):
        sizes = cu.ints(input_sizes)
        _check_filter_rank(fam, w.shape)
        _check_input_rank(fam, sizes)
        cf = cu.channels_first(attrs.get("data_format", fam.default_format))
        x_cl = _cl_shape(sizes, cf)
        _check_depth(fam, x_cl[-1], w.shape[-2], w.shape[-1])
        cf, s_sp, d_sp, pads, outs = _geometry(fam, x_cl, w.shape, attrs)
        dy_cl = cu.to_cl(xp, dy, cf)
        what = "Conv2DCustomBackpropInput" if fam is _C2 else bin_name
        _check_dy(fam, dy_cl.shape, x_cl, w.shape, outs, s_sp, d_sp, what)
        dx = bik(xp, x_cl, w, dy_cl, s_sp, d_sp, pads, outs).astype(dy.dtype, copy=False)
        return cu.from_cl(xp, dx, cf)

    @bfil.kernel
    def _(xp, x, filter_sizes, dy, **attrs):
        wsz = cu.ints(filter_sizes)
        _check_input_rank(fam, x.shape)
        _check_filter_rank(fam, wsz)
        cf = cu.channels_first(attrs.get("data_format", fam.default_format))
        x_cl = cu.to_cl(xp, x, cf)
        _check_depth(fam, x_cl.shape[-1], wsz[-2], wsz[-1])
        cf, s_sp, d_sp, pads, outs = _geometry(fam, x_cl.shape, wsz, attrs)
        dy_cl = cu.to_cl(xp, dy, cf)
        what = "Conv2DCustomBackpropFilter" if fam is _C2 else bfil_name
        _check_dy(fam, dy_cl.shape, x_cl.shape, wsz, outs, s_sp, d_sp, what)
        return bfk(xp, x_cl, wsz, dy_cl, s_sp, d_sp, pads, outs).astype(x.dtype, copy=False)

    # Gradients skip inputs the caller marks as not needed (`op.skip_input_indices`, as in
    # TensorFlow), e.g. a network's first-layer input.
    @fwd.gradient
    def _(op, dy):
        x, w = op.inputs
        a = _grad_attrs(op)
        skip = _skipped(op)
        return [
            None if 0 in skip else bin_(_shape_arg(x), w, dy, **a),
            None if 1 in skip else bfil(x, _shape_arg(w), dy, **a),
        ]

    @bin_.gradient
    def _(op, g):
        sizes, w, dy = op.inputs
        a = _grad_attrs(op)
        skip = _skipped(op)
        return [
            None,
            None if 1 in skip else bfil(g, _shape_arg(w), dy, **a),
            None if 2 in skip else fwd(g, w, **a),
        ]

    @bfil.gradient
    def _(op, g):
        x, sizes, dy = op.inputs
        a = _grad_attrs(op)
        skip = _skipped(op)
        return [
            None if 0 in skip else bin_(_shape_arg(x), g, dy, **a),
            None,
            None if 2 in skip else fwd(x, g, **a),
        ]

    return fwd, bin_, bfil


def _skipped(op):
    return getattr(op, "skip_input_indices", None) or ()


def _shape_arg(t):
    """A tensor's shape as a sizes input: Python ints when static (cheap), else a Shape op."""
    s = t.shape
    if s.is_fully_defined():
        return s.as_list()
    return array_ops.shape(t)


_ATTRS = ("strides", "padding", "explicit_paddings", "data_format", "dilations", "use_cudnn_on_gpu")


def _grad_attrs(op):
    out = {}
    for k in _ATTRS:
        try:
            out[k] = op.get_attr(k)
        except (ValueError, KeyError):
            pass
    return out


Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter = _declare(
    _C2, "Conv2DBackpropInput", "Conv2DBackpropFilter"
)
Conv3D, Conv3DBackpropInputV2, Conv3DBackpropFilterV2 = _declare(
    _C3, "Conv3DBackpropInputV2", "Conv3DBackpropFilterV2"
)
(
    DepthwiseConv2dNative,
    DepthwiseConv2dNativeBackpropInput,
    DepthwiseConv2dNativeBackpropFilter,
) = _declare(_DW, "DepthwiseConv2dNativeBackpropInput", "DepthwiseConv2dNativeBackpropFilter")
