"""Array-level convolution kernels (written against `xp`), channels-last, any number of spatial
dims. Forward and filter backprop are im2col (a strided window view copied once) and one matmul;
input backprop is one matmul and a scatter-add per kernel tap. Large batches run in slices so
the im2col buffer stays bounded."""

from __future__ import annotations

import numpy as np

from tensorflux._src.devices import intra_op
from tensorflux._src.ops import conv_util as cu

_LOW = (np.dtype(np.float16),)


def _compute_dtype(dt):
    # Half types go through float32 BLAS (NumPy has no fast half matmul), as TF accumulates.
    dt = np.dtype(dt)
    if dt in _LOW or dt.name == "bfloat16":
        return np.dtype(np.float32)
    return dt


# im2col buffers are capped at this many elements by splitting the batch (64 MiB of float32).
_CHUNK_ELEMS = 1 << 24


def _chunks(n, per_item, start=0):
    step = max(1, _CHUNK_ELEMS // max(per_item, 1))
    return [(i, min(i + step, n)) for i in range(start, n, step)]


def _batch_parts(xp, n, per_item):
    """Batch ranges run in parallel by intra-op threads (each then chunked by `_chunks`)."""
    if xp is not np:
        return [(0, n)]
    return intra_op.ranges(n, n * per_item)


# Below this many input channels, im2col is built tap by tap (see `_cols`).
_TAP_MAJOR_C = 8


def _cols(xp, xpd, k_sp, strides, dilations, outs):
    """im2col of a padded channels-last batch: `[N * prod(outs), prod(k) * C]` (a copy).

    With few channels the window view's innermost runs are C values long, and copying it is
    slow (1.4 ms for a 28x28x1 batch of 64); then the columns are built one tap at a time into a
    `[prod(k) * C, M]` buffer (whole rows per copy, 7x faster) and returned transposed — BLAS
    takes the transposed operand without a copy.
    """
    m = xpd.shape[0] * int(np.prod(outs, dtype=np.int64))
    c = xpd.shape[-1]
    if c < _TAP_MAJOR_C:
        taps = cu.taps(k_sp, dilations)
        ct = xp.empty((len(taps), c, xpd.shape[0], *outs), dtype=xpd.dtype)
        for t, off in enumerate(taps):
            ct[t] = xp.moveaxis(xpd[cu.tap_index(off, strides, outs)], -1, 0)
        return ct.reshape(len(taps) * c, m).T
    win = cu.windows(xp, xpd, k_sp, strides, dilations, outs)
    return win.reshape(m, -1)


def _padded(xp, x, pads):
    return cu.pad_cl(xp, x, pads)


def conv_forward(xp, x, w, strides, dilations, pads, outs):
    """x [N, *S, C], w [*K, Cin, O] (C = groups * Cin) -> [N, *outs, O]."""
    k_sp = w.shape[:-2]
    cin, o = w.shape[-2], w.shape[-1]
    c = x.shape[-1]
    g = c // cin
    kk = int(np.prod(k_sp))
    ct = _compute_dtype(x.dtype)
    n = x.shape[0]
    y = xp.empty((n, *outs, o), dtype=ct)
    if y.size == 0:
        return y
    if kk * c == 0:
        y[...] = 0
        return y
    xpd = _padded(xp, x.astype(ct, copy=False), pads)
    w = w.astype(ct, copy=False)
    per = int(np.prod(outs)) * kk * c
    if g == 1:
        w2 = w.reshape(-1, o)
    else:
        wg = w.reshape(kk, cin, g, o // g).transpose(2, 0, 1, 3).reshape(g, kk * cin, o // g)
    y2 = y.reshape(-1, o)
    p = int(np.prod(outs))

    def part(a, b):
        for s, e in _chunks(b, per, a):
            cols = _cols(xp, xpd[s:e], k_sp, strides, dilations, outs)
            if g == 1:
                xp.matmul(cols, w2, out=y2[s * p : e * p])  # straight into y: no copy
            else:
                cols = cols.reshape(-1, kk, g, cin).transpose(2, 0, 1, 3).reshape(g, -1, kk * cin)
                yg = xp.matmul(cols, wg).transpose(1, 0, 2)
                y[s:e] = yg.reshape(e - s, *outs, o)

    intra_op.run(part, _batch_parts(xp, n, per))
    return y


def conv_backprop_filter(xp, x, w_shape, dy, strides, dilations, pads, outs):
    """Gradient of `conv_forward` with respect to the filter, of shape `w_shape`."""
    k_sp = tuple(w_shape[:-2])
    cin, o = w_shape[-2], w_shape[-1]
    c = x.shape[-1]
    g = c // max(cin, 1)
    kk = int(np.prod(k_sp))
    ct = _compute_dtype(x.dtype)
    dw = xp.zeros((g, kk * cin, o // max(g, 1)) if g > 1 else (kk * c, o), dtype=ct)
    if x.size == 0 or dy.size == 0 or dw.size == 0:
        return dw.reshape(w_shape) if g == 1 else xp.zeros(w_shape, dtype=ct)
    xpd = _padded(xp, x.astype(ct, copy=False), pads)
    dy = dy.astype(ct, copy=False)
    per = int(np.prod(outs)) * kk * c

    def part(a, b):
        acc = dw if a == 0 else xp.zeros_like(dw)
        for s, e in _chunks(b, per, a):
            cols = _cols(xp, xpd[s:e], k_sp, strides, dilations, outs)
            dy2 = dy[s:e].reshape(-1, o)
            if g == 1:
                acc += cols.T @ dy2
            else:
                cols = cols.reshape(-1, kk, g, cin).transpose(2, 1, 3, 0).reshape(g, kk * cin, -1)
                acc += xp.matmul(cols, dy2.reshape(-1, g, o // g).transpose(1, 0, 2))
        return acc

    for acc in intra_op.run(part, _batch_parts(xp, x.shape[0], per))[1:]:
        dw += acc  # each thread summed its part of the batch
    if g == 1:
        return dw.reshape(w_shape)
    return dw.reshape(g, kk, cin, o // g).transpose(1, 2, 0, 3).reshape(w_shape)


def conv_backprop_input(xp, x_shape, w, dy, strides, dilations, pads, outs):
    """Gradient of `conv_forward` with respect to the input, of shape `x_shape` (channels-last)."""
    k_sp = w.shape[:-2]
    cin, o = w.shape[-2], w.shape[-1]
    c = x_shape[-1]
    g = c // max(cin, 1)
    ct = _compute_dtype(dy.dtype)
    padded = [x_shape[0]] + [s + lo + hi for s, (lo, hi) in zip(x_shape[1:-1], pads)] + [c]
    dxp = xp.zeros(padded, dtype=ct)
    if dy.size == 0 or w.size == 0:
        return cu.crop_cl(dxp, pads, x_shape[1:-1])
    kk = int(np.prod(k_sp))
    w = w.astype(ct, copy=False)
    dy = dy.astype(ct, copy=False)
    taps = cu.taps(k_sp, dilations)
    if g == 1:
        # A contiguous transposed filter keeps BLAS on its fastest path.
        wt = xp.ascontiguousarray(w.reshape(kk * cin, o).T)
    else:
        wg = w.reshape(kk, cin, g, o // g).transpose(2, 3, 0, 1).reshape(g, o // g, kk * cin)
    per = int(np.prod(outs)) * kk * c
    intra_op.run(
        lambda a, b: _backprop_input_part(
            xp, a, b, dxp, dy, wt if g == 1 else wg, taps, strides, outs, per, g, kk, c, o, ct
        ),
        _batch_parts(xp, x_shape[0], per),
    )
    return cu.crop_cl(dxp, pads, x_shape[1:-1])


def _backprop_input_part(xp, a, b, dxp, dy, wmat, taps, strides, outs, per, g, kk, c, o, ct):
    """`conv_backprop_input` for batch items a..b (writes only `dxp[a:b]`)."""
    nsp = len(outs)
    wt = wg = wmat
    for s, e in _chunks(b, per, a):
        dy2 = dy[s:e].reshape(-1, o)
        if g == 1 and c >= 16:
            # One GEMM per tap into a reused buffer: each tap's block comes out contiguous, so
            # the scatter-add reads whole rows (slicing one [M, kk * C] product per tap reads
            # C values at a time, and costs more than the GEMM itself).
            sub = dxp[s:e]
            buf = xp.empty((dy2.shape[0], c), dtype=ct)
            blk = buf.reshape(e - s, *outs, c)
            for t, off in enumerate(taps):
                xp.matmul(dy2, wt[:, t * c : (t + 1) * c], out=buf)
                sub[cu.tap_index(off, strides, outs)] += blk
            continue
        if g == 1:
            dcols = dy2 @ wt  # [M, kk * C]
        else:
            dyg = dy2.reshape(-1, g, o // g).transpose(1, 0, 2)  # [g, M, o/g]
            dcols = xp.matmul(dyg, wg)  # [g, M, kk*cin]
            dcols = dcols.reshape(g, -1, kk, c // g).transpose(1, 2, 0, 3).reshape(-1, kk * c)
        dcols = dcols.reshape(e - s, *outs, kk, c)
        sub = dxp[s:e]
        if c < 16:
            # Few channels: put the taps first so each add runs over whole rows, not c values.
            dcols = xp.ascontiguousarray(xp.moveaxis(dcols, nsp + 1, 1))
            for t, off in enumerate(taps):
                sub[cu.tap_index(off, strides, outs)] += dcols[:, t]
        else:
            for t, off in enumerate(taps):
                sub[cu.tap_index(off, strides, outs)] += dcols[..., t, :]


# ------------------------------------------------------------------ depthwise (tap loops)
# Loops run per channel multiplier m so every elementwise op works on `[N, *outs, C]` blocks whose
# rows are contiguous (a trailing axis of size M would make NumPy's inner loops one element long).


def depthwise_forward(xp, x, w, strides, dilations, pads, outs):
    """x [N, *S, C], w [*K, C, M] -> [N, *outs, C * M]."""
    k_sp = w.shape[:-2]
    c, m = w.shape[-2], w.shape[-1]
    ct = _compute_dtype(x.dtype)
    xpd = cu.pad_cl(xp, x.astype(ct, copy=False), pads)
    wf = w.astype(ct, copy=False).reshape(-1, c, m)
    taps = cu.taps(k_sp, dilations)
    shape = (x.shape[0], *outs, c)
    y = xp.empty(shape + (m,), dtype=ct)
    acc = xp.empty(shape, dtype=ct)
    tmp = xp.empty(shape, dtype=ct)
    for j in range(m):
        acc[...] = 0
        for t, off in enumerate(taps):
            xp.multiply(xpd[cu.tap_index(off, strides, outs)], wf[t, :, j], out=tmp)
            acc += tmp
        y[..., j] = acc
    return y.reshape(x.shape[0], *outs, c * m)


def depthwise_backprop_filter(xp, x, w_shape, dy, strides, dilations, pads, outs):
    k_sp = tuple(w_shape[:-2])
    c, m = w_shape[-2], w_shape[-1]
    ct = _compute_dtype(x.dtype)
    xpd = cu.pad_cl(xp, x.astype(ct, copy=False), pads)
    dyf = dy.astype(ct, copy=False).reshape(x.shape[0], *outs, c, m)
    taps = cu.taps(k_sp, dilations)
    dw = xp.zeros((len(taps), c, m), dtype=ct)
    shape = (x.shape[0], *outs, c)
    tmp = xp.empty(shape, dtype=ct)
    lead = tuple(range(len(shape) - 1))
    for j in range(m):
        dyj = xp.ascontiguousarray(dyf[..., j])
        for t, off in enumerate(taps):
            xp.multiply(xpd[cu.tap_index(off, strides, outs)], dyj, out=tmp)
            dw[t, :, j] = tmp.sum(axis=lead)
    return dw.reshape(w_shape)


def depthwise_backprop_input(xp, x_shape, w, dy, strides, dilations, pads, outs):
    k_sp = w.shape[:-2]
    c, m = w.shape[-2], w.shape[-1]
    ct = _compute_dtype(dy.dtype)
    padded = [x_shape[0]] + [s + lo + hi for s, (lo, hi) in zip(x_shape[1:-1], pads)] + [c]
    dxp = xp.zeros(padded, dtype=ct)
    wf = w.astype(ct, copy=False).reshape(-1, c, m)
    dyf = dy.astype(ct, copy=False).reshape(x_shape[0], *outs, c, m)
    tmp = xp.empty((x_shape[0], *outs, c), dtype=ct)
    for j in range(m):
        dyj = xp.ascontiguousarray(dyf[..., j])
        for t, off in enumerate(cu.taps(k_sp, dilations)):
            xp.multiply(dyj, wf[t, :, j], out=tmp)
            dxp[cu.tap_index(off, strides, outs)] += tmp
    return cu.crop_cl(dxp, pads, x_shape[1:-1])
