"""Window arithmetic shared by the convolution and pooling ops.

Kernels work on channels-last arrays (`N, *spatial, C`); channels-first inputs are transposed on
the way in and out. A window position is a "tap": an offset into the padded input, read with a
strided slice, so loops run over the kernel taps (a handful), never over pixels.
"""

from __future__ import annotations

import itertools

import numpy as np

from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.shape import TensorShape


def err(msg):
    return InvalidArgumentError(None, None, msg)


def check_format(data_format, nsp):
    """Raises TensorFlow's attr error for a data_format the op does not accept."""
    fmt = data_format.decode() if isinstance(data_format, bytes) else data_format
    ok = ("NHWC", "NCHW") if nsp == 2 else ("NDHWC", "NCDHW")
    if fmt not in ok:
        raise err(
            f"Value for attr 'data_format' of \"{fmt}\" is not in the list of allowed values: "
            f'"{ok[0]}", "{ok[1]}"'
        )


def channels_first(data_format) -> bool:
    fmt = data_format.decode() if isinstance(data_format, bytes) else str(data_format)
    return fmt.startswith("NC")


def spatial_of(vec, nsp, cf):
    """The spatial entries of a full-rank strides/dilations/ksize attr."""
    vec = list(vec)
    return vec[2:] if cf else vec[1 : 1 + nsp]


def explicit_pairs(explicit, nsp, cf):
    pairs = [list(explicit[i : i + 2]) for i in range(0, len(explicit), 2)]
    return pairs[2:] if cf else pairs[1 : 1 + nsp]


def out_size(n, k, s, d, padding, pair=None):
    """(output size, pad before, pad after) of one spatial dim, raising TensorFlow's error."""
    eff = (k - 1) * d + 1
    pad = padding.decode() if isinstance(padding, bytes) else padding
    if pad == "VALID":
        o = (n - eff + s) // s
        lo = hi = 0
    elif pad == "SAME":
        o = (n + s - 1) // s
        total = max((o - 1) * s + eff - n, 0)
        lo, hi = total // 2, total - total // 2
    else:
        lo, hi = pair
        o = (n + lo + hi - eff + s) // s
    if o < 0:
        raise err(
            f"Computed output size would be negative: {o} [input_size: {n}, "
            f"effective_filter_size: {eff}, stride: {s}]"
        )
    return o, lo, hi


def geometry(in_sp, k_sp, strides, dilations, padding, pairs=None):
    """Output sizes and (lo, hi) pads of every spatial dim."""
    outs, pads = [], []
    for i, (n, k, s, d) in enumerate(zip(in_sp, k_sp, strides, dilations)):
        o, lo, hi = out_size(n, k, s, d, padding, None if pairs is None else pairs[i])
        outs.append(o)
        pads.append((lo, hi))
    return outs, pads


def static_out(in_sp, k_sp, strides, dilations, padding, pairs=None):
    """Like `geometry` but dims may be None (unknown stays unknown); errors worded as TF's
    shape inference words them while tracing."""
    outs = []
    for i, (n, k, s, d) in enumerate(zip(in_sp, k_sp, strides, dilations)):
        if n is None or k is None:
            outs.append(None)
            continue
        pair = None if pairs is None else pairs[i]
        try:
            outs.append(out_size(n, k, s, d, padding, pair)[0])
        except InvalidArgumentError:
            extra = 0 if pair is None else pair[0] + pair[1]
            raise err(
                f"Negative dimension size caused by subtracting {(k - 1) * d + 1} from {n + extra}"
            ) from None
    return outs


def to_cl(xp, x, cf):
    if not cf:
        return x
    return xp.moveaxis(x, 1, -1)


def from_cl(xp, x, cf):
    if not cf:
        return x
    return xp.ascontiguousarray(xp.moveaxis(x, -1, 1))


def pad_cl(xp, x, pads, value=0):
    """Pads the spatial dims of a channels-last array (a copy only when some pad is non-zero)."""
    if not any(lo or hi for lo, hi in pads):
        return x
    shape = [x.shape[0]] + [n + lo + hi for n, (lo, hi) in zip(x.shape[1:-1], pads)]
    out = xp.full(shape + [x.shape[-1]], value, dtype=x.dtype)
    inner = tuple(slice(lo, lo + n) for n, (lo, _) in zip(x.shape[1:-1], pads))
    out[(slice(None),) + inner] = x
    return out


def crop_cl(x, pads, sizes):
    inner = tuple(slice(lo, lo + n) for n, (lo, _) in zip(sizes, pads))
    return x[(slice(None),) + inner]


def taps(k_sp, dilations):
    """Every window offset, in row-major window order."""
    return list(itertools.product(*[[i * d for i in range(k)] for k, d in zip(k_sp, dilations)]))


def tap_index(offsets, strides, outs):
    """The slice of a padded channels-last array read by one tap for every output position."""
    sl = tuple(slice(o, o + (n - 1) * s + 1, s) for o, s, n in zip(offsets, strides, outs))
    return (slice(None),) + sl


def windows(xp, xpad, k_sp, strides, dilations, outs):
    """A strided view `[N, *outs, *k_sp, C]` of every window (no copy)."""
    st = xpad.strides
    nsp = len(k_sp)
    shape = (xpad.shape[0], *outs, *k_sp, xpad.shape[-1])
    strides_ = (
        st[0],
        *[st[1 + i] * strides[i] for i in range(nsp)],
        *[st[1 + i] * dilations[i] for i in range(nsp)],
        st[-1],
    )
    return xp.lib.stride_tricks.as_strided(xpad, shape=shape, strides=strides_)


def ints(v):
    return [int(e) for e in np.asarray(v).reshape(-1)]


def full_shape(rank, n, sp, c, cf):
    """A TensorShape from batch, spatial and channel dims in the given layout."""
    dims = [n, c, *sp] if cf else [n, *sp, c]
    return TensorShape(dims)


def split_shape(shape, cf):
    """(batch, spatial dims, channels) of a known-rank TensorShape, in the given layout."""
    d = shape.as_list()
    if cf:
        return d[0], d[2:], d[1]
    return d[0], d[1:-1], d[-1]
