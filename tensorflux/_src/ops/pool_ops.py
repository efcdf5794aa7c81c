"""Pooling primitives: MaxPool, AvgPool, their 3-D forms, their gradients (registered as ops with
gradients of their own) and MaxPoolWithArgmax.

Kernels run on channels-last arrays and loop over the window taps (a strided slice each), never
over pixels; non-overlapping windows use a reshape. Max pooling routes each gradient to the first
maximum of its window in row-major order, as TensorFlow's CPU kernels do.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes as D
from tensorflux._src.core.errors import UnimplementedError
from tensorflux._src.core.infer import check_allowed, check_same
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops
from tensorflux._src.devices import intra_op
from tensorflux._src.ops import conv_util as cu
from tensorflux._src.ops._util import static_int_list

_MAXPOOL_T = (
    D.float16, D.bfloat16, D.float32, D.float64, D.int32, D.int64, D.uint8, D.int16, D.int8,
    D.uint16,
)  # fmt: skip
_MAXGRAD_T = (
    D.float32, D.float64, D.int32, D.uint8, D.int16, D.int8, D.int64, D.bfloat16, D.uint16,
    D.float16, D.uint32, D.uint64,
)  # fmt: skip
_FLOAT_T = (D.float16, D.bfloat16, D.float32, D.float64)
# TensorFlow has no float64 CPU kernel for the 3-D pools; we accept it (and test gradients in it).
_FLOAT3D_T = (D.float16, D.bfloat16, D.float32, D.float64)


# ------------------------------------------------------------------ attrs and geometry


def _attrs(nsp, attrs, default_format):
    """(cf, ksize, strides, padding, pairs) of a pooling op's attrs, validated as TF does."""
    fmt = attrs.get("data_format", default_format)
    cu.check_format(fmt, nsp)
    cf = cu.channels_first(fmt)
    r = nsp + 2
    k = cu.ints(attrs["ksize"])
    s = cu.ints(attrs["strides"])
    if len(k) != r:
        raise cu.err(f"Sliding window ksize field must specify {r} dimensions")
    if len(s) != r:
        raise cu.err(f"Sliding window stride field must specify {r} dimensions")
    if any(v <= 0 for v in k):
        raise cu.err(
            "Sliding window ksize must be positive. The specified or inferred ksize is: "
            + ",".join(str(v) for v in k)
        )
    if any(v <= 0 for v in s):
        raise cu.err(
            "Sliding window stride must be positive. The specified or inferred stride is: "
            + ",".join(str(v) for v in s)
        )
    bi, ci = (0, 1) if cf else (0, r - 1)
    if k[bi] != 1 or s[bi] != 1:
        raise UnimplementedError(None, None, "Pooling is not yet supported on the batch dimension.")
    if k[ci] != 1 or s[ci] != 1:
        raise UnimplementedError(
            None,
            None,
            "MaxPooling supports exactly one of pooling across depth or pooling across "
            "width/height.",
        )
    padding = attrs["padding"]
    padding = padding.decode() if isinstance(padding, bytes) else padding
    pairs = None
    # Only 2-D max pooling takes explicit padding.
    allowed = ("SAME", "VALID", "EXPLICIT") if "explicit_paddings" in attrs else ("SAME", "VALID")
    if padding not in allowed:
        raise cu.err(
            f"Value for attr 'padding' of \"{padding}\" is not in the list of allowed values: "
            + ", ".join(f'"{a}"' for a in allowed)
        )
    if padding == "EXPLICIT":
        ex = cu.ints(attrs.get("explicit_paddings", []))
        if len(ex) != 2 * r:
            raise cu.err(
                f"explicit_paddings attribute must contain {2 * r} values, but got: {len(ex)}"
            )
        pairs = cu.explicit_pairs(ex, nsp, cf)

    return cf, cu.spatial_of(k, nsp, cf), cu.spatial_of(s, nsp, cf), padding, pairs


def _check_rank(nsp, shape, graph=False):
    if len(shape) != nsp + 2:
        if graph:
            raise cu.err(f"Shape must be rank {nsp + 2} but is rank {len(shape)}")
        if nsp == 2:
            raise cu.err(f"tensor_in_shape must have 2 spatial dimensions. {len(shape)} 0")
        raise cu.err(f"tensor_in must be {nsp + 2}-dimensional")


def _geo(nsp, x_cl_shape, attrs, fmt):
    cf, k, s, padding, pairs = _attrs(nsp, attrs, fmt)
    outs, pads = cu.geometry(x_cl_shape[1:-1], k, s, [1] * nsp, padding, pairs)
    return cf, k, s, pads, outs


def _pool_shape(nsp, fmt):
    def shape(inputs, attrs):
        xs = inputs[0].shape
        cf, k, s, padding, pairs = _attrs(nsp, attrs, fmt)
        if xs.rank is None:
            return TensorShape([None] * (nsp + 2))
        _check_rank(nsp, xs.as_list(), graph=True)
        n, sp, c = cu.split_shape(xs, cf)
        outs = cu.static_out(sp, k, s, [1] * nsp, padding, pairs)
        return cu.full_shape(nsp + 2, n, outs, c, cf)

    return shape


def _unary_dtype(allowed):
    def dtype(in_dtypes, attrs):
        t = in_dtypes[0]
        if t not in allowed:
            check_allowed(t, allowed)
        return t

    return dtype


def _same_dtype(allowed):
    def dtype(in_dtypes, attrs):
        t = check_same(in_dtypes)
        if t not in allowed:
            check_allowed(t, allowed)
        return t

    return dtype


# ------------------------------------------------------------------ array kernels (channels-last)


def _lowest(dt):
    dt = np.dtype(dt)
    if dt.kind == "f" or dt.name == "bfloat16":
        return -np.inf
    return np.iinfo(dt).min


def _non_overlapping(x_shape, k, s, pads):
    return (
        k == s
        and not any(lo or hi for lo, hi in pads)
        and all(n % kk == 0 for n, kk in zip(x_shape[1:-1], k))
    )


def _parts(xp, x):
    """Batch ranges to split a kernel over (intra-op threads; NumPy only)."""
    if xp is not np or x.ndim == 0:
        return [(0, x.shape[0] if x.ndim else 1)]
    return intra_op.ranges(x.shape[0], x.size)


def max_forward(xp, x, k, s, pads, outs):
    # A running maximum over the taps beats a reduction over a reshaped window axis.
    xpd = cu.pad_cl(xp, x, pads, _lowest(x.dtype))
    taps = cu.taps(k, [1] * len(k))
    y = xp.empty((x.shape[0], *outs, x.shape[-1]), dtype=x.dtype)
    idx = [cu.tap_index(off, s, outs) for off in taps]

    def part(a, b):
        src, dst = xpd[a:b], y[a:b]
        dst[...] = src[idx[0]]
        for i in idx[1:]:
            xp.maximum(dst, src[i], out=dst)

    intra_op.run(part, _parts(xp, x))
    return y


def _arg_tap(xp, xpd, k, s, outs):
    """Index (into the tap list) of each window's first maximum."""
    taps = cu.taps(k, [1] * len(k))
    best = xpd[cu.tap_index(taps[0], s, outs)].copy()
    it = np.int8 if len(taps) < 128 else np.int32
    arg = xp.zeros(best.shape, dtype=it)
    for t, off in enumerate(taps[1:], 1):
        v = xpd[cu.tap_index(off, s, outs)]
        # Arithmetic select: much faster than where/putmask on strided int8 data.
        arg += (v > best) * (it(t) - arg)
        xp.maximum(best, v, out=best)
    return arg, taps


def _mask(arg, t, dt):
    m = arg == t
    return m if dt.kind in "fiu" and dt.name != "bfloat16" else m.astype(dt)


def max_backprop(xp, x, dy, k, s, pads, outs):
    xpd = cu.pad_cl(xp, x, pads, _lowest(x.dtype))
    arg, taps = _arg_tap(xp, xpd, k, s, outs)
    if _non_overlapping(x.shape, k, s, pads):
        dx = xp.empty(x.shape, dtype=dy.dtype)
        for t, off in enumerate(taps):
            xp.multiply(_mask(arg, t, dy.dtype), dy, out=dx[cu.tap_index(off, s, outs)])
        return dx
    dxp = xp.zeros(xpd.shape, dtype=dy.dtype)
    for t, off in enumerate(taps):
        dxp[cu.tap_index(off, s, outs)] += _mask(arg, t, dy.dtype) * dy
    return cu.crop_cl(dxp, pads, x.shape[1:-1])


def max_backprop_from_output(xp, x, y, dy, k, s, pads, outs):
    """`max_backprop` for unpadded pools whose windows tile the input (stride == size), using
    the forward output `y`: each tap's window element equal to `y`, and not already matched by an
    earlier tap, takes `dy` (TensorFlow's first maximum). Four passes over `dy`-sized blocks per
    tap instead of an argmax; returns None (caller falls back) when some window has no element
    equal to `y` (NaN inputs, or a `y` that is not this input's max pool).
    """
    if k != s or any(lo or hi for lo, hi in pads):
        return None
    dt = np.dtype(dy.dtype)
    if dt.kind not in "fiu" or dt.name == "bfloat16" or y.dtype != x.dtype:
        return None
    exact = all(n == o * kk for n, o, kk in zip(x.shape[1:-1], outs, k))
    dx = xp.empty(x.shape, dtype=dy.dtype) if exact else xp.zeros(x.shape, dtype=dy.dtype)
    idx = [cu.tap_index(off, s, outs) for off in cu.taps(k, [1] * len(k))]

    def part(a, b):
        xs, ys, dys, dxs = x[a:b], y[a:b], dy[a:b], dx[a:b]
        taken = xs[idx[0]] == ys
        xp.multiply(taken, dys, out=dxs[idx[0]])
        for i in idx[1:]:
            m = xp.greater(xs[i] == ys, taken)  # equal here and not matched before
            xp.multiply(m, dys, out=dxs[i])
            taken |= m
        return bool(taken.all())

    if not all(intra_op.run(part, _parts(xp, x))):
        return None
    return dx


def max_backprop_backprop(xp, x, g, k, s, pads, outs):
    """Gradient of `max_backprop` with respect to dy: g read at each window's argmax."""
    xpd = cu.pad_cl(xp, x, pads, _lowest(x.dtype))
    arg, taps = _arg_tap(xp, xpd, k, s, outs)
    gpd = cu.pad_cl(xp, g, pads, 0)
    out = xp.zeros(arg.shape, dtype=g.dtype)
    for t, off in enumerate(taps):
        out += _mask(arg, t, g.dtype) * gpd[cu.tap_index(off, s, outs)]
    return out


def _counts(xp, x_sp, k, s, pads, outs):
    """Number of in-bounds elements in each window (broadcastable to `[1, *outs, 1]`)."""
    total = np.ones([1] * (len(k) + 2))
    for i, (n, kk, ss, (lo, _), o) in enumerate(zip(x_sp, k, s, pads, outs)):
        start = np.arange(o) * ss - lo
        cnt = np.minimum(start + kk, n) - np.maximum(start, 0)
        shape = [1] * (len(k) + 2)
        shape[i + 1] = o
        total = total * cnt.reshape(shape)
    return xp.asarray(total)


def avg_forward(xp, x, k, s, pads, outs):
    nsp = len(k)
    acc = np.float32 if x.dtype.itemsize < 4 else x.dtype
    xpd = cu.pad_cl(xp, x, pads, 0)
    taps = cu.taps(k, [1] * nsp)
    y = xpd[cu.tap_index(taps[0], s, outs)].astype(acc)
    for off in taps[1:]:
        y += xpd[cu.tap_index(off, s, outs)]
    if any(lo or hi for lo, hi in pads):
        y /= _counts(xp, x.shape[1:-1], k, s, pads, outs).astype(acc)
    else:
        y *= np.dtype(acc).type(1.0 / len(taps))
    return y.astype(x.dtype, copy=False)


def avg_backprop(xp, x_shape, dy, k, s, pads, outs):
    nsp = len(k)
    acc = np.float32 if dy.dtype.itemsize < 4 else dy.dtype
    dyc = dy.astype(acc) / _counts(xp, x_shape[1:-1], k, s, pads, outs).astype(acc)
    if _non_overlapping(x_shape, k, s, pads):
        shape = [x_shape[0]]
        for o, kk in zip(outs, k):
            shape += [o, 1]
        full = [x_shape[0]]
        for o, kk in zip(outs, k):
            full += [o, kk]
        dx = xp.broadcast_to(dyc.reshape(shape + [x_shape[-1]]), full + [x_shape[-1]])
        return dx.reshape(x_shape).astype(dy.dtype)
    padded = [x_shape[0]] + [n + lo + hi for n, (lo, hi) in zip(x_shape[1:-1], pads)]
    dxp = xp.zeros(padded + [x_shape[-1]], dtype=acc)
    for off in cu.taps(k, [1] * nsp):
        dxp[cu.tap_index(off, s, outs)] += dyc
    return cu.crop_cl(dxp, pads, x_shape[1:-1]).astype(dy.dtype)


# ------------------------------------------------------------------ op declarations


_POOL_ATTRS = ("ksize", "strides", "padding", "explicit_paddings", "data_format")


def _grad_attrs(op):
    out = {}
    for name in _POOL_ATTRS:
        try:
            out[name] = op.get_attr(name)
        except (ValueError, KeyError):
            pass
    return out


def _shape_arg(t):
    s = t.shape
    return s.as_list() if s.is_fully_defined() else array_ops.shape(t)


def _declare_max(nsp, name, fmt, fwd_t, grad_t):
    fwd = defop(name, infer=Rule(_unary_dtype(fwd_t), _pool_shape(nsp, fmt)))

    def grad_shape(inputs, attrs):
        _attrs(nsp, attrs, fmt)
        return inputs[0].shape

    def gradgrad_shape(inputs, attrs):
        _attrs(nsp, attrs, fmt)
        return inputs[1].shape

    grad = defop(name + "Grad", infer=Rule(_same_dtype(grad_t), grad_shape))
    gradgrad = defop(name + "GradGrad", infer=Rule(_same_dtype(grad_t), gradgrad_shape))

    @fwd.kernel
    def _(xp, x, **attrs):
        _check_rank(nsp, x.shape)
        cf = cu.channels_first(attrs.get("data_format", fmt))
        x_cl = cu.to_cl(xp, x, cf)
        cf, k, s, pads, outs = _geo(nsp, x_cl.shape, attrs, fmt)
        return cu.from_cl(xp, max_forward(xp, x_cl, k, s, pads, outs), cf)

    @grad.kernel
    def _(xp, x, y, dy, **attrs):
        _check_rank(nsp, x.shape)
        cf = cu.channels_first(attrs.get("data_format", fmt))
        x_cl = cu.to_cl(xp, x, cf)
        cf, k, s, pads, outs = _geo(nsp, x_cl.shape, attrs, fmt)
        dy_cl = cu.to_cl(xp, dy, cf)
        dx = max_backprop_from_output(xp, x_cl, cu.to_cl(xp, y, cf), dy_cl, k, s, pads, outs)
        if dx is None:
            dx = max_backprop(xp, x_cl, dy_cl, k, s, pads, outs)
        return cu.from_cl(xp, dx, cf)

    @gradgrad.kernel
    def _(xp, x, y, g, **attrs):
        _check_rank(nsp, x.shape)
        cf = cu.channels_first(attrs.get("data_format", fmt))
        x_cl = cu.to_cl(xp, x, cf)
        cf, k, s, pads, outs = _geo(nsp, x_cl.shape, attrs, fmt)
        out = max_backprop_backprop(xp, x_cl, cu.to_cl(xp, g, cf), k, s, pads, outs)
        return cu.from_cl(xp, out, cf)

    @fwd.gradient
    def _(op, dy):
        return [grad(op.inputs[0], op.outputs[0], dy, **_grad_attrs(op))]

    @grad.gradient
    def _(op, g):
        x, y, _ = op.inputs
        return [
            array_ops.zeros_like(x),
            array_ops.zeros_like(y),
            gradgrad(x, y, g, **_grad_attrs(op)),
        ]

    @gradgrad.gradient
    def _(op, g):
        x, y, _ = op.inputs
        return [array_ops.zeros_like(x), array_ops.zeros_like(y), grad(x, y, g, **_grad_attrs(op))]

    return fwd, grad, gradgrad


def _declare_avg(nsp, name, fmt, allowed):
    fwd = defop(name, infer=Rule(_unary_dtype(allowed), _pool_shape(nsp, fmt)))

    def grad_shape(inputs, attrs):
        _attrs(nsp, attrs, fmt)
        vals = static_int_list(inputs[0])
        return TensorShape(vals) if vals is not None else TensorShape([None] * (nsp + 2))

    def grad_dtype(in_dtypes, attrs):
        t = in_dtypes[1]
        if t not in allowed:
            check_allowed(t, allowed)
        return t

    grad = defop(
        name + "Grad", infer=Rule(grad_dtype, grad_shape), host_inputs=(0,), type_inputs=(1,)
    )

    @fwd.kernel
    def _(xp, x, **attrs):
        _check_rank(nsp, x.shape)
        cf = cu.channels_first(attrs.get("data_format", fmt))
        x_cl = cu.to_cl(xp, x, cf)
        cf, k, s, pads, outs = _geo(nsp, x_cl.shape, attrs, fmt)
        return cu.from_cl(xp, avg_forward(xp, x_cl, k, s, pads, outs), cf)

    @grad.kernel
    def _(xp, orig_input_shape, dy, **attrs):
        shp = cu.ints(orig_input_shape)
        _check_rank(nsp, shp)
        cf = cu.channels_first(attrs.get("data_format", fmt))
        x_cl = [shp[0], *shp[2:], shp[1]] if cf else shp
        cf, k, s, pads, outs = _geo(nsp, x_cl, attrs, fmt)
        dx = avg_backprop(xp, x_cl, cu.to_cl(xp, dy, cf), k, s, pads, outs)
        return cu.from_cl(xp, dx, cf)

    @fwd.gradient
    def _(op, dy):
        return [grad(_shape_arg(op.inputs[0]), dy, **_grad_attrs(op))]

    @grad.gradient
    def _(op, g):
        return [None, fwd(g, **_grad_attrs(op))]

    return fwd, grad


MaxPool, MaxPoolGrad, MaxPoolGradGrad = _declare_max(2, "MaxPool", "NHWC", _MAXPOOL_T, _MAXGRAD_T)
MaxPool3D, MaxPool3DGrad, MaxPool3DGradGrad = _declare_max(
    3, "MaxPool3D", "NDHWC", _FLOAT3D_T, _FLOAT3D_T
)
AvgPool, AvgPoolGrad = _declare_avg(2, "AvgPool", "NHWC", _FLOAT_T)
AvgPool3D, AvgPool3DGrad = _declare_avg(3, "AvgPool3D", "NDHWC", _FLOAT_T)


# ------------------------------------------------------------------ MaxPoolWithArgmax


def _argmax_dtype(in_dtypes, attrs):
    t = in_dtypes[0]
    if t not in _MAXGRAD_T:
        check_allowed(t, _MAXGRAD_T)
    return [t, attrs.get("Targmax", D.int64)]


def _argmax_shape(inputs, attrs):
    s = _pool_shape(2, "NHWC")(inputs, attrs)
    return [s, s]


MaxPoolWithArgmax = defop(
    "MaxPoolWithArgmax", infer=Rule(_argmax_dtype, _argmax_shape), num_outputs=2
)


def _flat_index(xp, arg, taps, k, s, pads, outs, x_shape, include_batch):
    """Flat NHWC index into the unpadded input of each window's chosen tap."""
    n, c = x_shape[0], x_shape[-1]
    idx = xp.zeros(arg.shape, dtype=np.int64)
    grids = []
    for i, (o, ss, (lo, _)) in enumerate(zip(outs, s, pads)):
        shape = [1] * (len(k) + 2)
        shape[i + 1] = o
        grids.append(xp.asarray((np.arange(o) * ss - lo).reshape(shape)))
    offs = xp.asarray(np.array(taps, dtype=np.int64).reshape(len(taps), len(k)))
    for i in range(len(k)):
        pos = grids[i] + offs[arg, i]
        idx = idx * x_shape[i + 1] + pos
    idx = idx * c + xp.arange(c).reshape([1] * (len(k) + 1) + [c])
    if include_batch:
        idx = idx + (xp.arange(n) * int(np.prod(x_shape[1:]))).reshape([n] + [1] * (len(k) + 1))
    return idx


@MaxPoolWithArgmax.kernel
def _(xp, x, ksize, strides, padding, Targmax=D.int64, include_batch_in_index=False):
    _check_rank(2, x.shape)
    attrs = dict(ksize=ksize, strides=strides, padding=padding)
    _, k, s, pads, outs = _geo(2, x.shape, attrs, "NHWC")
    xpd = cu.pad_cl(xp, x, pads, _lowest(x.dtype))
    arg, taps = _arg_tap(xp, xpd, k, s, outs)
    y = max_forward(xp, x, k, s, pads, outs)
    idx = _flat_index(xp, arg, taps, k, s, pads, outs, x.shape, include_batch_in_index)
    return [y, idx.astype(D.as_dtype(Targmax).as_numpy_dtype)]


def _grad_argmax_dtype(in_dtypes, attrs):
    t = check_same(in_dtypes, (0, 1))
    if t not in _MAXGRAD_T:
        check_allowed(t, _MAXGRAD_T)
    return t


MaxPoolGradWithArgmax = defop(
    "MaxPoolGradWithArgmax",
    infer=Rule(_grad_argmax_dtype, lambda inputs, attrs: inputs[0].shape),
    type_inputs=(0, 1),
)


@MaxPoolGradWithArgmax.kernel
def _(xp, x, dy, argmax, ksize, strides, padding, include_batch_in_index=False):
    n = x.shape[0]
    per = int(np.prod(x.shape[1:]))
    idx = argmax.astype(np.int64).reshape(n, -1)
    if not include_batch_in_index:
        idx = idx + (xp.arange(n) * per)[:, None]
    out = xp.zeros(n * per, dtype=dy.dtype)
    xp.add.at(out, idx.reshape(-1), dy.reshape(-1))
    return out.reshape(x.shape)


@MaxPoolWithArgmax.gradient
def _(op, dy, dargmax):
    attrs = {a: op.get_attr(a) for a in ("ksize", "strides", "padding", "include_batch_in_index")}
    return [MaxPoolGradWithArgmax(op.inputs[0], dy, op.outputs[1], **attrs)]


# TensorFlow registers no gradient for MaxPoolGradWithArgmax either.
not_differentiable(MaxPoolGradWithArgmax)
