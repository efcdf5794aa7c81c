"""Harness rows for tf.nn convolutions and pooling, with naive NumPy loop references.

The references loop over output positions (small shapes only) and share no code with the kernels:
they compute padding themselves and read each window by plain indexing.
"""

import itertools

import numpy as np

import tensorflux as tf
from tensorflux._src.ops import conv_ops, pool_ops
from tests.ops.harness import OpInfo, Sample, make

F = (tf.float16, tf.bfloat16, tf.float32, tf.float64)
F16_32_64 = (tf.float16, tf.float32, tf.float64)

# ------------------------------------------------------------------ reference helpers


def _seq(v, n, cf):
    """int / len-1 / len-n / len-(n+2) attr -> the n spatial values."""
    if v is None:
        return [1] * n
    if isinstance(v, int):
        return [v] * n
    v = list(v)
    if len(v) == 1:
        return v * n
    if len(v) == n:
        return v
    return v[2:] if cf else v[1:-1]


def _geom(size, k, s, d, padding, i, cf, n):
    """(out, pad_lo) of spatial dim i, computed directly from the definitions."""
    eff = (k - 1) * d + 1
    if isinstance(padding, (list, tuple)):
        pair = padding[i + 2] if cf else padding[i + 1]
        lo, hi = pair
        return (size + lo + hi - eff) // s + 1, lo
    if padding == "VALID":
        return (size - eff) // s + 1, 0
    out = -(-size // s)
    total = max((out - 1) * s + eff - size, 0)
    return out, total // 2


def _to_cl(x, cf):
    return np.moveaxis(x, 1, -1) if cf else x


def _from_cl(x, cf):
    return np.moveaxis(x, -1, 1) if cf else x


def _window(x, pos, lo, k, s, d, fill=0.0):
    """x [N, *S, C] -> the window at output `pos`: [N, *k, C] with `fill` outside."""
    n = len(pos)
    out = np.full((x.shape[0], *k, x.shape[-1]), fill, dtype=np.float64)
    for tap in itertools.product(*[range(kk) for kk in k]):
        idx = [pos[i] * s[i] - lo[i] + tap[i] * d[i] for i in range(n)]
        if all(0 <= idx[i] < x.shape[1 + i] for i in range(n)):
            out[(slice(None), *tap)] = x[(slice(None), *idx)]
    return out


def _layout(x_cl_shape, k, strides, padding, dilations, cf):
    n = len(k)
    s = _seq(strides, n, cf)
    d = _seq(dilations, n, cf)
    geo = [_geom(x_cl_shape[1 + i], k[i], s[i], d[i], padding, i, cf, n) for i in range(n)]
    return s, d, [g[0] for g in geo], [g[1] for g in geo]


def ref_conv(x, w, strides, padding, data_format=None, dilations=None, depthwise=False):
    """N-D convolution (grouped when C is a multiple of the filter depth)."""
    cf = data_format is not None and data_format.startswith("NC")
    xc = _to_cl(np.asarray(x, np.float64), cf)
    w = np.asarray(w, np.float64)
    k = list(w.shape[:-2])
    s, d, outs, lo = _layout(xc.shape, k, strides, padding, dilations, cf)
    cin, o = w.shape[-2], w.shape[-1]
    c = xc.shape[-1]
    oc = c * o if depthwise else o
    y = np.zeros((xc.shape[0], *outs, oc))
    g = 1 if depthwise else c // cin
    for pos in itertools.product(*[range(v) for v in outs]):
        win = _window(xc, pos, lo, k, s, d)
        if depthwise:
            wk = w.reshape(-1, cin, o)
            r = np.einsum("nkc,kcm->ncm", win.reshape(win.shape[0], -1, c), wk)
            r = r.reshape(xc.shape[0], -1)
        else:
            og = o // g
            parts = [
                np.tensordot(
                    win[..., j * cin : (j + 1) * cin], w[..., j * og : (j + 1) * og], len(k) + 1
                )
                for j in range(g)
            ]
            r = np.concatenate(parts, axis=-1)
        y[(slice(None), *pos)] = r
    return _from_cl(y, cf)


def ref_conv_transpose(
    dy, w, x_shape, strides, padding, data_format=None, dilations=None, depthwise=False
):
    """The adjoint of `ref_conv` in its input: scatter each output's contribution back."""
    cf = data_format is not None and data_format.startswith("NC")
    x_cl = [x_shape[0], *x_shape[2:], x_shape[1]] if cf else list(x_shape)
    dyc = _to_cl(np.asarray(dy, np.float64), cf)
    w = np.asarray(w, np.float64)
    k = list(w.shape[:-2])
    n = len(k)
    s, d, outs, lo = _layout(x_cl, k, strides, padding, dilations, cf)
    cin, o = w.shape[-2], w.shape[-1]
    dx = np.zeros(x_cl)
    for pos in itertools.product(*[range(v) for v in outs]):
        g = dyc[(slice(None), *pos)]  # [N, O']
        if depthwise:
            contrib = np.einsum(
                "ncm,kcm->nkc", g.reshape(g.shape[0], cin, o), w.reshape(-1, cin, o)
            )
            contrib = contrib.reshape(g.shape[0], *k, cin)
        else:
            contrib = np.tensordot(g, w, axes=[[1], [n + 1]])  # [N, *k, cin]
        for tap in itertools.product(*[range(kk) for kk in k]):
            idx = [pos[i] * s[i] - lo[i] + tap[i] * d[i] for i in range(n)]
            if all(0 <= idx[i] < x_cl[1 + i] for i in range(n)):
                dx[(slice(None), *idx)] += contrib[(slice(None), *tap)]
    return _from_cl(dx, cf)


def ref_conv_filter_grad(
    x, w_shape, dy, strides, padding, data_format=None, dilations=None, depthwise=False
):
    cf = data_format is not None and data_format.startswith("NC")
    xc = _to_cl(np.asarray(x, np.float64), cf)
    dyc = _to_cl(np.asarray(dy, np.float64), cf)
    k = list(w_shape[:-2])
    s, d, outs, lo = _layout(xc.shape, k, strides, padding, dilations, cf)
    cin, o = w_shape[-2], w_shape[-1]
    dw = np.zeros(w_shape)
    for pos in itertools.product(*[range(v) for v in outs]):
        win = _window(xc, pos, lo, k, s, d)
        g = dyc[(slice(None), *pos)]
        if depthwise:
            wf = win.reshape(win.shape[0], -1, cin)
            dw += np.einsum("nkc,ncm->kcm", wf, g.reshape(g.shape[0], cin, o)).reshape(w_shape)
        else:
            dw += np.tensordot(win, g, axes=[[0], [0]])
    return dw


def ref_pool(x, ksize, strides, padding, data_format=None, kind="MAX", dilations=None):
    cf = data_format is not None and data_format.startswith("NC")
    xc = _to_cl(np.asarray(x, np.float64), cf)
    n = xc.ndim - 2
    k = _seq(ksize, n, cf)
    s, d, outs, lo = _layout(xc.shape, k, strides, padding, dilations, cf)
    y = np.zeros((xc.shape[0], *outs, xc.shape[-1]))
    for pos in itertools.product(*[range(v) for v in outs]):
        win = _window(xc, pos, lo, k, s, d, fill=np.nan)
        axes = tuple(range(1, n + 1))
        y[(slice(None), *pos)] = np.nanmax(win, axes) if kind == "MAX" else np.nanmean(win, axes)
    return _from_cl(y, cf).astype(np.asarray(x).dtype)


def ref_max_pool_with_argmax(x, ksize, strides, padding, include_batch_in_index=False, **kw):
    x = np.asarray(x, np.float64)
    nb, h, wd, c = x.shape
    k = _seq(ksize, 2, False)
    s, d, outs, lo = _layout(x.shape, k, strides, padding, None, False)
    y = np.zeros((nb, *outs, c))
    arg = np.zeros((nb, *outs, c), np.int64)
    for b, i, j, ch in itertools.product(range(nb), range(outs[0]), range(outs[1]), range(c)):
        best, bi = -np.inf, -1
        for a in range(k[0]):
            for e in range(k[1]):
                r, q = i * s[0] - lo[0] + a, j * s[1] - lo[1] + e
                if 0 <= r < h and 0 <= q < wd and x[b, r, q, ch] > best:
                    best, bi = x[b, r, q, ch], (r * wd + q) * c + ch
        y[b, i, j, ch] = best
        arg[b, i, j, ch] = bi + (b * h * wd * c if include_batch_in_index else 0)
    return y, arg


# ------------------------------------------------------------------ samples


def _conv2d_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 5, 6, 3), m(3, 2, 3, 4)], dict(strides=1, padding="SAME")),
        Sample([m(1, 6, 5, 2), m(2, 3, 2, 3)], dict(strides=[2, 1], padding="VALID")),
        Sample([m(1, 7, 6, 2), m(3, 3, 2, 2)], dict(strides=2, padding="SAME", dilations=2)),
        Sample(
            [m(1, 4, 5, 2), m(2, 2, 2, 3)],
            dict(strides=1, padding=[[0, 0], [1, 2], [0, 1], [0, 0]]),
        ),
        Sample([m(1, 2, 5, 4), m(3, 1, 2, 4)], dict(strides=1, padding="SAME"), note="groups"),
        Sample(
            [m(2, 3, 5, 4), m(2, 2, 3, 2)],
            dict(strides=[1, 1, 2, 1], padding="SAME", data_format="NCHW"),
        ),
        Sample([m(0, 3, 3, 2), m(2, 2, 2, 3)], dict(strides=1, padding="VALID"), grad=False),
    ]


def _conv2d_int_ok(rng, dt):
    return _conv2d_samples(rng, dt)


def _conv3d_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(1, 3, 4, 3, 2), m(2, 2, 2, 2, 3)], dict(strides=1, padding="SAME")),
        Sample(
            [m(1, 4, 3, 5, 2), m(2, 1, 3, 2, 2)], dict(strides=[1, 2, 1, 2, 1], padding="VALID")
        ),
        Sample(
            [m(1, 2, 3, 4, 3), m(2, 2, 2, 2, 2)],
            dict(strides=1, padding="SAME", dilations=[1, 1, 1, 2, 1], data_format="NCDHW"),
        ),
    ]


def _depthwise_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 5, 4, 3), m(3, 2, 3, 2)], dict(strides=[1, 1, 1, 1], padding="SAME")),
        Sample([m(1, 6, 5, 2), m(2, 2, 2, 1)], dict(strides=[1, 2, 2, 1], padding="VALID")),
        Sample(
            [m(1, 6, 6, 2), m(2, 2, 2, 2)],
            dict(strides=[1, 1, 1, 1], padding="SAME", dilations=[2, 2]),
        ),
        Sample(
            [m(1, 2, 5, 4), m(3, 2, 2, 2)],
            dict(strides=[1, 1, 2, 2], padding="SAME", data_format="NCHW"),
        ),
    ]


def _ref_depthwise(x, w, strides, padding, data_format=None, dilations=None):
    cf = data_format is not None and data_format.startswith("NC")
    st = _seq(strides, 2, cf)
    return ref_conv(x, w, st, padding, data_format, dilations, depthwise=True)


def _transpose_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 3, 3, 4), m(3, 3, 2, 4), [2, 6, 5, 2]], dict(strides=2, padding="SAME")),
        Sample([m(1, 2, 3, 3), m(2, 3, 2, 3), [1, 5, 5, 2]], dict(strides=[2, 1], padding="VALID")),
        Sample(
            [m(1, 3, 4, 2), m(3, 3, 2, 3), [1, 2, 4, 2]],
            dict(strides=1, padding="SAME", data_format="NCHW", dilations=[1, 1, 2, 1]),
        ),
    ]


def _ref_transpose(dy, w, output_shape, strides, padding, data_format=None, dilations=None):
    return ref_conv_transpose(dy, w, output_shape, strides, padding, data_format, dilations)


def _bfilter_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(2, 5, 4, 3), [3, 2, 3, 2], m(2, 5, 4, 2)], dict(strides=[1, 1, 1, 1], padding="SAME")
        ),  # fmt: skip
        Sample(
            [m(1, 6, 5, 2), [2, 2, 2, 3], m(1, 3, 4, 3)],
            dict(strides=[1, 2, 1, 1], padding="VALID"),
        ),  # fmt: skip
        Sample(
            [m(1, 2, 5, 4), [2, 2, 2, 4], m(1, 4, 5, 4)],
            dict(strides=[1, 1, 1, 1], padding="SAME", data_format="NCHW"),
        ),  # fmt: skip
    ]


def _bfilter_fn(x, filter_sizes, dy, strides, padding, data_format="NHWC", dilations=None):
    return conv_ops.Conv2DBackpropFilter(
        x, filter_sizes, dy, strides=strides, padding=padding, explicit_paddings=[],
        data_format=data_format, dilations=dilations or [1, 1, 1, 1], use_cudnn_on_gpu=True,
    )  # fmt: skip


def _ref_bfilter(x, filter_sizes, dy, strides, padding, data_format="NHWC", dilations=None):
    return ref_conv_filter_grad(x, filter_sizes, dy, strides, padding, data_format, dilations)


def _conv3d_bfilter_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(1, 3, 4, 3, 2), [2, 2, 2, 2, 3], m(1, 3, 4, 3, 3)],
            dict(strides=[1, 1, 1, 1, 1], padding="SAME"),
        ),  # fmt: skip
    ]


def _conv3d_bfilter_fn(x, filter_sizes, dy, strides, padding):
    return conv_ops.Conv3DBackpropFilterV2(
        x, filter_sizes, dy, strides=strides, padding=padding, data_format="NDHWC",
        dilations=[1] * 5,
    )  # fmt: skip


def _conv3d_t_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(1, 2, 2, 3, 3), m(2, 2, 2, 2, 3), [1, 4, 3, 6, 2]],
            dict(strides=[1, 2, 2, 2, 1], padding="SAME"),
        ),  # fmt: skip
    ]


def _dw_bin_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [[2, 5, 4, 3], m(3, 2, 3, 2), m(2, 5, 4, 6)], dict(strides=[1, 1, 1, 1], padding="SAME")
        ),  # fmt: skip
        Sample(
            [[1, 6, 5, 2], m(2, 2, 2, 1), m(1, 3, 2, 2)],
            dict(strides=[1, 2, 2, 1], padding="VALID"),
        ),  # fmt: skip
    ]


def _dw_bfil_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(2, 5, 4, 3), [3, 2, 3, 2], m(2, 5, 4, 6)], dict(strides=[1, 1, 1, 1], padding="SAME")
        ),  # fmt: skip
        Sample(
            [m(1, 6, 5, 2), [2, 2, 2, 1], m(1, 3, 2, 2)],
            dict(strides=[1, 2, 2, 1], padding="VALID"),
        ),  # fmt: skip
    ]


def _conv1d_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 7, 3), m(3, 3, 2)], dict(stride=1, padding="SAME")),
        Sample([m(2, 7, 3), m(2, 3, 4)], dict(stride=2, padding="VALID", dilations=2)),
        Sample([m(2, 3, 6), m(3, 3, 2)], dict(stride=2, padding="SAME", data_format="NCW")),
    ]


def _ref_conv1d(x, w, stride, padding, data_format="NWC", dilations=None):
    return ref_conv(x, w, stride, padding, data_format, dilations)


def _conv1d_t_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [Sample([m(2, 4, 3), m(3, 2, 3), [2, 8, 2]], dict(strides=2, padding="SAME"))]


def _separable_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(1, 5, 5, 2), m(3, 3, 2, 2), m(1, 1, 4, 3)],
            dict(strides=[1, 1, 1, 1], padding="SAME"),
        ),  # fmt: skip
        Sample(
            [m(1, 6, 6, 2), m(2, 2, 2, 1), m(1, 1, 2, 3)],
            dict(strides=[1, 1, 1, 1], padding="VALID", dilations=2),
        ),  # fmt: skip
    ]


def _ref_separable(x, dw, pw, strides, padding, data_format=None, dilations=None):
    y = ref_conv(x, dw, _seq(strides, 2, False), padding, None, dilations, depthwise=True)
    return ref_conv(y, pw, 1, "VALID")


def _atrous_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(1, 6, 6, 2), m(2, 2, 2, 3)], dict(rate=2, padding="SAME")),
        Sample([m(1, 7, 6, 2), m(2, 2, 2, 3)], dict(rate=3, padding="VALID")),
    ]


def _atrous_t_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [Sample([m(1, 6, 6, 3), m(2, 2, 2, 3), [1, 6, 6, 2]], dict(rate=2, padding="SAME"))]


def _convolution_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(1, 6, 3), m(2, 3, 2)], dict(padding="SAME", strides=[2])),
        Sample([m(1, 5, 4, 2), m(2, 2, 2, 3)], dict(dilations=[1, 2])),
        Sample([m(1, 3, 3, 3, 2), m(2, 2, 2, 2, 2)], dict(padding="SAME")),
    ]


def _ref_convolution(x, w, strides=None, padding="VALID", data_format=None, dilations=None):
    return ref_conv(x, w, strides, padding, data_format, dilations)


def _conv_t_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(1, 3, 3), m(2, 2, 3), [1, 6, 2]], dict(strides=2)),
        Sample([m(1, 3, 3, 3), m(2, 2, 2, 3), [1, 6, 6, 2]], dict(strides=2, padding="VALID")),
    ]


def _pool2d_samples(rng, dt, explicit=True):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    out = [
        Sample([m(2, 4, 6, 3)], dict(ksize=2, strides=2, padding="VALID")),
        Sample([m(1, 5, 7, 2)], dict(ksize=3, strides=2, padding="SAME")),
        Sample([m(1, 5, 6, 2)], dict(ksize=[2, 3], strides=[1, 2], padding="VALID")),
        Sample([m(1, 2, 5, 4)], dict(ksize=2, strides=1, padding="SAME", data_format="NCHW")),
    ]
    if explicit:
        out.append(Sample([m(1, 4, 5, 2)], dict(ksize=3, strides=2,
                          padding=[[0, 0], [1, 1], [0, 2], [0, 0]])))  # fmt: skip
    return out


def _pool3d_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(1, 4, 4, 4, 2)], dict(ksize=2, strides=2, padding="VALID")),
        Sample([m(1, 3, 5, 4, 2)], dict(ksize=[2, 3, 2], strides=[1, 2, 2], padding="SAME")),
        Sample([m(1, 2, 3, 4, 3)], dict(ksize=2, strides=1, padding="SAME", data_format="NCDHW")),
    ]


def _pool1d_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 7, 3)], dict(ksize=3, strides=2, padding="SAME")),
        Sample([m(2, 3, 8)], dict(ksize=2, strides=2, padding="VALID", data_format="NCW")),
    ]


def _pool_generic_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(1, 5, 6, 2)],
            dict(window_shape=[2, 2], pooling_type="MAX", padding="SAME", strides=[2, 2]),
        ),  # fmt: skip
        Sample([m(1, 5, 6, 2)], dict(window_shape=[2, 3], pooling_type="AVG", dilations=[2, 1])),
        Sample([m(1, 7, 2)], dict(window_shape=[3], pooling_type="MAX", dilations=[2])),
        Sample(
            [m(1, 2, 6, 5)],
            dict(window_shape=[2, 2], pooling_type="AVG", data_format="NCHW", dilations=[1, 2]),
        ),  # fmt: skip
    ]


def _ref_pool_generic(x, window_shape, pooling_type, strides=None, padding="VALID",
                      data_format=None, dilations=None):  # fmt: skip
    return ref_pool(x, window_shape, strides, padding, data_format, pooling_type, dilations)


def _ref_max(x, ksize, strides, padding, data_format=None):
    return ref_pool(x, ksize, strides, padding, data_format, "MAX")


def _ref_avg(x, ksize, strides, padding, data_format=None):
    return ref_pool(x, ksize, strides, padding, data_format, "AVG")


def _argmax_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 4, 5, 3)], dict(ksize=2, strides=2, padding="SAME")),
        Sample(
            [m(2, 5, 5, 2)], dict(ksize=3, strides=1, padding="VALID", include_batch_in_index=True)
        ),  # fmt: skip
    ]


def _max_pool_grad_fn(x, dy, ksize, strides, padding, data_format="NHWC"):
    """The raw MaxPoolGrad op (so its own gradient, MaxPoolGradGrad, is checked)."""
    attrs = dict(ksize=ksize, strides=strides, padding=padding, data_format=data_format)
    y = pool_ops.MaxPool(x, explicit_paddings=[], **attrs)
    return pool_ops.MaxPoolGrad(x, y, dy, explicit_paddings=[], **attrs)


def _max_pool3d_grad_fn(x, dy, ksize, strides, padding):
    attrs = dict(ksize=ksize, strides=strides, padding=padding, data_format="NDHWC")
    y = pool_ops.MaxPool3D(x, **attrs)
    return pool_ops.MaxPool3DGrad(x, y, dy, **attrs)


def _ref_max_grad(x, dy, ksize, strides, padding, data_format="NHWC"):
    """The adjoint of max pooling: each dy goes to the first maximum of its window."""
    x = np.asarray(x, np.float64)
    dy = np.asarray(dy, np.float64)
    n = x.ndim - 2
    k, s = ksize[1:-1], strides[1:-1]
    _, _, outs, lo = _layout(x.shape, k, s, padding, None, False)
    dx = np.zeros_like(x)
    for pos in itertools.product(*[range(v) for v in outs]):
        for b, c in itertools.product(range(x.shape[0]), range(x.shape[-1])):
            best, at = -np.inf, None
            for tap in itertools.product(*[range(kk) for kk in k]):
                idx = tuple(pos[i] * s[i] - lo[i] + tap[i] for i in range(n))
                if all(0 <= idx[i] < x.shape[1 + i] for i in range(n)) and x[(b, *idx, c)] > best:
                    best, at = x[(b, *idx, c)], idx
            dx[(b, *at, c)] += dy[(b, *pos, c)]
    return dx


def _max_grad_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(1, 4, 5, 2), m(1, 2, 3, 2)],
            dict(ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME"),
        ),  # fmt: skip
        Sample(
            [m(1, 5, 5, 2), m(1, 2, 2, 2)],
            dict(ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="VALID"),
        ),  # fmt: skip
    ]


def _max3d_grad_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [m(1, 3, 4, 4, 2), m(1, 2, 2, 2, 2)],
            dict(ksize=[1, 2, 2, 2, 1], strides=[1, 2, 2, 2, 1], padding="SAME"),
        ),  # fmt: skip
    ]


def _avg_grad_fn(shape, dy, ksize, strides, padding, data_format="NHWC"):
    """The raw AvgPoolGrad / AvgPool3DGrad op (so its own gradient is checked)."""
    op = pool_ops.AvgPool if len(shape) == 4 else pool_ops.AvgPool3D
    op = pool_ops.AvgPoolGrad if op is pool_ops.AvgPool else pool_ops.AvgPool3DGrad
    return op(shape, dy, ksize=ksize, strides=strides, padding=padding, data_format=data_format)


def _ref_avg_grad(shape, dy, ksize, strides, padding, data_format="NHWC"):
    """The adjoint of average pooling: dy / count spread over each window's in-bounds cells."""
    cf = data_format.startswith("NC")
    x_cl = [shape[0], *shape[2:], shape[1]] if cf else list(shape)
    dyc = _to_cl(np.asarray(dy, np.float64), cf)
    n = len(x_cl) - 2
    k, s = _seq(ksize, n, cf), _seq(strides, n, cf)
    _, _, outs, lo = _layout(x_cl, k, s, padding, None, False)
    dx = np.zeros(x_cl)
    for pos in itertools.product(*[range(v) for v in outs]):
        cells = []
        for tap in itertools.product(*[range(kk) for kk in k]):
            idx = tuple(pos[i] * s[i] - lo[i] + tap[i] for i in range(n))
            if all(0 <= idx[i] < x_cl[1 + i] for i in range(n)):
                cells.append(idx)
        for idx in cells:
            dx[(slice(None), *idx)] += dyc[(slice(None), *pos)] / len(cells)
    return _from_cl(dx, cf)


def _avg_grad_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample(
            [[1, 4, 5, 2], m(1, 2, 3, 2)],
            dict(ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME"),
        ),  # fmt: skip
        Sample(
            [[1, 2, 5, 5], m(1, 2, 2, 2)],
            dict(ksize=[1, 1, 3, 3], strides=[1, 1, 2, 2], padding="VALID", data_format="NCHW"),
        ),  # fmt: skip
        Sample(
            [[1, 3, 4, 4, 2], m(1, 2, 2, 2, 2)],
            dict(
                ksize=[1, 2, 2, 2, 1], strides=[1, 2, 2, 2, 1], padding="SAME", data_format="NDHWC"
            ),
        ),  # fmt: skip
    ]


N = tf.nn
OPS = [
    OpInfo(
        "nn.conv2d",
        N.conv2d,
        ref_conv,
        F + (tf.int32,),
        samples=_conv2d_samples,
        grad2=True,
        domain=(-2, 2),
    ),  # fmt: skip
    OpInfo("nn.conv3d", N.conv3d, ref_conv, F, samples=_conv3d_samples, grad2=True),
    OpInfo(
        "nn.depthwise_conv2d",
        N.depthwise_conv2d,
        _ref_depthwise,
        F,
        samples=_depthwise_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "nn.conv2d_transpose",
        N.conv2d_transpose,
        _ref_transpose,
        F16_32_64,
        samples=_transpose_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "raw.Conv2DBackpropFilter",
        _bfilter_fn,
        _ref_bfilter,
        F16_32_64,
        samples=_bfilter_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "nn.conv3d_transpose",
        N.conv3d_transpose,
        _ref_transpose,
        F16_32_64,
        samples=_conv3d_t_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "raw.Conv3DBackpropFilterV2",
        _conv3d_bfilter_fn,
        _ref_bfilter,
        F16_32_64,
        samples=_conv3d_bfilter_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "nn.depthwise_conv2d_backprop_input",
        N.depthwise_conv2d_backprop_input,
        lambda s, w, dy, **kw: ref_conv_transpose(dy, w, s, depthwise=True, **kw),
        F16_32_64,
        samples=_dw_bin_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "nn.depthwise_conv2d_backprop_filter",
        N.depthwise_conv2d_backprop_filter,
        lambda x, s, dy, **kw: ref_conv_filter_grad(x, s, dy, depthwise=True, **kw),
        F16_32_64,
        samples=_dw_bfil_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo("nn.conv1d", N.conv1d, _ref_conv1d, F16_32_64, samples=_conv1d_samples),
    OpInfo(
        "nn.conv1d_transpose",
        N.conv1d_transpose,
        _ref_transpose,
        F16_32_64,
        samples=_conv1d_t_samples,
    ),  # fmt: skip
    OpInfo(
        "nn.separable_conv2d",
        N.separable_conv2d,
        _ref_separable,
        F16_32_64,
        samples=_separable_samples,
    ),  # fmt: skip
    OpInfo(
        "nn.atrous_conv2d",
        N.atrous_conv2d,
        lambda x, w, rate, padding: ref_conv(x, w, 1, padding, dilations=rate),
        F16_32_64,
        samples=_atrous_samples,
    ),  # fmt: skip
    OpInfo(
        "nn.atrous_conv2d_transpose",
        N.atrous_conv2d_transpose,
        lambda x, w, o, rate, padding: ref_conv_transpose(x, w, o, 1, padding, dilations=rate),
        F16_32_64,
        samples=_atrous_t_samples,
    ),  # fmt: skip
    OpInfo(
        "nn.convolution", N.convolution, _ref_convolution, F16_32_64, samples=_convolution_samples
    ),  # fmt: skip
    OpInfo(
        "nn.conv_transpose",
        N.conv_transpose,
        lambda x, w, o, strides, padding="SAME": ref_conv_transpose(x, w, o, strides, padding),
        F16_32_64,
        samples=_conv_t_samples,
    ),  # fmt: skip
    OpInfo(
        "nn.max_pool2d",
        N.max_pool2d,
        _ref_max,
        F + (tf.int32, tf.uint8),
        samples=_pool2d_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "nn.avg_pool2d",
        N.avg_pool2d,
        _ref_avg,
        F,
        samples=lambda r, d: _pool2d_samples(r, d, explicit=False),
        grad2=True,
    ),  # fmt: skip
    OpInfo("nn.max_pool3d", N.max_pool3d, _ref_max, F, samples=_pool3d_samples, grad2=True),
    OpInfo("nn.avg_pool3d", N.avg_pool3d, _ref_avg, F, samples=_pool3d_samples, grad2=True),
    OpInfo("nn.max_pool1d", N.max_pool1d, _ref_max, F16_32_64, samples=_pool1d_samples),
    OpInfo("nn.avg_pool1d", N.avg_pool1d, _ref_avg, F16_32_64, samples=_pool1d_samples),
    OpInfo("nn.max_pool", N.max_pool, _ref_max, F16_32_64, samples=_pool1d_samples),
    OpInfo("nn.avg_pool", N.avg_pool, _ref_avg, F16_32_64, samples=_pool3d_samples),
    OpInfo("nn.pool", N.pool, _ref_pool_generic, F16_32_64, samples=_pool_generic_samples),
    OpInfo(
        "nn.max_pool_with_argmax",
        N.max_pool_with_argmax,
        ref_max_pool_with_argmax,
        (tf.float32, tf.float64, tf.float16),
        samples=_argmax_samples,
    ),  # fmt: skip
    OpInfo(
        "raw.MaxPoolGrad",
        _max_pool_grad_fn,
        _ref_max_grad,
        F16_32_64,
        samples=_max_grad_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "raw.MaxPool3DGrad",
        _max_pool3d_grad_fn,
        _ref_max_grad,
        (tf.float32, tf.float64),
        samples=_max3d_grad_samples,
        grad2=True,
    ),  # fmt: skip
    OpInfo(
        "raw.AvgPoolGrad",
        _avg_grad_fn,
        _ref_avg_grad,
        F16_32_64,
        samples=_avg_grad_samples,
        grad2=True,
    ),  # fmt: skip
]
