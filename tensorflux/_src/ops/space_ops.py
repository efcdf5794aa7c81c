"""Block moves between space, batch and depth: SpaceToBatchND, BatchToSpaceND, SpaceToDepth,
DepthToSpace. Each one's gradient is its inverse."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops._util import static_int_list
from tensorflux._src.ops.array_ops import _dims_str
from tensorflux._src.ops.manip_ops import _INDEX, _ints, _matrix

# ------------------------------------------------------------------ SpaceToBatchND, BatchToSpaceND


def _block_info(x_shape, block, pads, what):
    m = len(block)
    if len(x_shape) < m + 1:
        raise InvalidArgumentError(
            None, None, f"input rank should be >= {m + 1} instead of {len(x_shape)}"
        )
    if len(pads) != m:
        raise InvalidArgumentError(
            None,
            None,
            f"{what} should have shape [{m}, 2] instead of {_dims_str([len(pads), 2])}",
        )
    for b in block:
        if b < 1:
            raise InvalidArgumentError(None, None, f"block_shape must be positive: {b}")
    for a, b in pads:
        if a < 0 or b < 0:
            raise InvalidArgumentError(None, None, f"{what} must be non-negative")


def _s2b_dims(dims, block, pads):
    out = list(dims)
    prod = int(np.prod(block))
    out[0] = None if dims[0] is None else dims[0] * prod
    for i, (b, (lo, hi)) in enumerate(zip(block, pads)):
        d = dims[i + 1]
        if d is None:
            continue
        p = d + lo + hi
        if p % b:
            raise InvalidArgumentError(
                None, None, f"padded_shape[{i}]={p} is not divisible by block_shape[{i}]={b}"
            )
        out[i + 1] = p // b
    return out


def _b2s_dims(dims, block, crops):
    out = list(dims)
    prod = int(np.prod(block))
    if dims[0] is not None:
        if dims[0] % prod:
            raise InvalidArgumentError(
                None,
                None,
                f"Input batch dimension ({dims[0]}) is not divisible by product of block sizes "
                f"({prod})",
            )
        out[0] = dims[0] // prod
    for i, (b, (lo, hi)) in enumerate(zip(block, crops)):
        d = dims[i + 1]
        if d is None:
            continue
        full = d * b
        if lo + hi > full:
            raise InvalidArgumentError(
                None, None, "Crops must be non-negative and not larger than the dim size"
            )
        out[i + 1] = full - lo - hi
    return out


def _space_batch_shape(to_batch):
    def shape(inputs, attrs):
        x, block, pads = inputs
        bl, pv = static_int_list(block), static_int_list(pads)
        s = x.shape
        if s.rank is None:
            return s
        if bl is None or pv is None:
            return TensorShape([None] * s.rank)
        pairs = [pv[i : i + 2] for i in range(0, len(pv), 2)]
        _block_info(s.as_list(), bl, pairs, "paddings" if to_batch else "crops")
        f = _s2b_dims if to_batch else _b2s_dims
        return TensorShape(f(s.as_list(), bl, pairs))

    return shape


def _space_batch_dtype(dts, attrs):
    for dt, nm in ((dts[1], "Tblock_shape"), (dts[2], "Tpaddings")):
        if dt not in _INDEX:
            check_allowed(dt, _INDEX, nm)
    return dts[0]


SpaceToBatchND = defop(
    "SpaceToBatchND",
    infer=Rule(_space_batch_dtype, _space_batch_shape(True)),
    host_inputs=(1, 2),
)
BatchToSpaceND = defop(
    "BatchToSpaceND",
    infer=Rule(_space_batch_dtype, _space_batch_shape(False)),
    host_inputs=(1, 2),
)


@SpaceToBatchND.kernel
def _(xp, x, block_shape, paddings):
    block, pads = _ints(block_shape), _matrix(paddings)
    _block_info(list(x.shape), block, pads, "paddings")
    out_dims = _s2b_dims(list(x.shape), block, pads)
    m = len(block)
    rest = list(x.shape[m + 1 :])
    xp_pad = xp.pad(x, [[0, 0]] + pads + [[0, 0]] * len(rest))
    split_dims = [x.shape[0]]
    for i, b in enumerate(block):
        split_dims += [out_dims[i + 1], b]
    y = xp_pad.reshape(split_dims + rest)
    perm = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
    perm += list(range(1 + 2 * m, 1 + 2 * m + len(rest)))
    return xp.ascontiguousarray(xp.transpose(y, perm)).reshape(out_dims)


@BatchToSpaceND.kernel
def _(xp, x, block_shape, crops):
    block, crop = _ints(block_shape), _matrix(crops)
    _block_info(list(x.shape), block, crop, "crops")
    out_dims = _b2s_dims(list(x.shape), block, crop)
    m = len(block)
    rest = list(x.shape[m + 1 :])
    batch = out_dims[0]
    y = x.reshape(block + [batch] + list(x.shape[1:]))
    perm = [m]
    for i in range(m):
        perm += [m + 1 + i, i]
    perm += list(range(2 * m + 1, 2 * m + 1 + len(rest)))
    y = xp.transpose(y, perm).reshape(
        [batch] + [x.shape[i + 1] * b for i, b in enumerate(block)] + rest
    )
    idx = tuple([slice(None)] + [slice(lo, y.shape[i + 1] - hi) for i, (lo, hi) in enumerate(crop)])
    return xp.ascontiguousarray(y[idx])


@SpaceToBatchND.gradient
def _(op, dy):
    _, block, pads = op.inputs
    return [BatchToSpaceND(dy, block, pads), None, None]


@BatchToSpaceND.gradient
def _(op, dy):
    _, block, crops = op.inputs
    return [SpaceToBatchND(dy, block, crops), None, None]


def space_to_batch_nd(input, block_shape, paddings, name=None):
    """Moves blocks of the spatial dimensions into the batch dimension (after zero padding).

    Args:
      input: a tensor `[batch] + spatial_shape + remaining_shape`, with M spatial dimensions.
      block_shape: a 1-D int tensor of length M, each entry >= 1.
      paddings: an `[M, 2]` int tensor of non-negative paddings for the spatial dimensions.
      name: an optional name for the operation.

    Returns:
      A tensor `[batch * prod(block_shape)] + padded_spatial / block_shape + remaining_shape`.
    """
    return SpaceToBatchND(input, block_shape, paddings, name=name)


def space_to_batch(input, block_shape, paddings, name=None):
    """Moves blocks of the spatial dimensions into the batch dimension (`space_to_batch_nd`).

    Args:
      input: a tensor `[batch] + spatial_shape + remaining_shape`, with M spatial dimensions.
      block_shape: a 1-D int tensor of length M, each entry >= 1.
      paddings: an `[M, 2]` int tensor of non-negative paddings for the spatial dimensions.
      name: an optional name for the operation.

    Returns:
      A tensor `[batch * prod(block_shape)] + padded_spatial / block_shape + remaining_shape`.
    """
    return SpaceToBatchND(input, block_shape, paddings, name=name)


def batch_to_space(input, block_shape, crops, name=None):
    """Moves blocks of the batch dimension back into the spatial dimensions, then crops.

    The inverse of `space_to_batch`.

    Args:
      input: a tensor `[batch] + spatial_shape + remaining_shape`; batch must be divisible by
        `prod(block_shape)`.
      block_shape: a 1-D int tensor of length M, each entry >= 1.
      crops: an `[M, 2]` int tensor: how much to remove from each end of each spatial dimension.
      name: an optional name for the operation.

    Returns:
      A tensor `[batch / prod(block_shape)] + spatial_shape * block_shape - crops + remaining`.
    """
    return BatchToSpaceND(input, block_shape, crops, name=name)


batch_to_space_nd = batch_to_space


# ------------------------------------------------------------------ SpaceToDepth, DepthToSpace


def _depth_attrs(block_size, data_format):
    if block_size < 2:
        raise InvalidArgumentError(
            None, None, f"Value for attr 'block_size' of {block_size} must be at least minimum 2"
        )
    if data_format not in ("NHWC", "NCHW"):
        raise NotImplementedError(f"data_format {data_format!r} is not supported")


def _to_nhwc(dims, fmt):
    return dims if fmt == "NHWC" else [dims[0], dims[2], dims[3], dims[1]]


def _from_nhwc(dims, fmt):
    return dims if fmt == "NHWC" else [dims[0], dims[3], dims[1], dims[2]]


def _s2d_dims(dims, b):
    n, h, w, c = dims
    if h is not None and w is not None and (h % b or w % b):
        raise InvalidArgumentError(
            None,
            None,
            f"Image width {w} and height {h} should be divisible by block_size: {b}",
        )
    return [
        n,
        None if h is None else h // b,
        None if w is None else w // b,
        None if c is None else c * b * b,
    ]


def _d2s_dims(dims, b):
    n, h, w, c = dims
    if c is not None and c % (b * b):
        raise InvalidArgumentError(
            None, None, f"Input depth dimension {c} should be divisible by: {b * b}"
        )
    return [
        n,
        None if h is None else h * b,
        None if w is None else w * b,
        None if c is None else c // (b * b),
    ]


def _depth_shape(fn):
    def shape(inputs, attrs):
        s = inputs[0].shape
        b, fmt = attrs["block_size"], attrs.get("data_format", "NHWC")
        _depth_attrs(b, fmt)
        if s.rank is None:
            return TensorShape([None] * 4)
        if s.rank != 4:
            raise InvalidArgumentError(None, None, f"input rank should be 4 instead of {s.rank}")
        return TensorShape(_from_nhwc(fn(_to_nhwc(s.as_list(), fmt), b), fmt))

    return shape


SpaceToDepth = defop("SpaceToDepth", infer=Rule(lambda d, a: d[0], _depth_shape(_s2d_dims)))
DepthToSpace = defop("DepthToSpace", infer=Rule(lambda d, a: d[0], _depth_shape(_d2s_dims)))


def _nhwc_in(xp, x, fmt):
    return x if fmt == "NHWC" else xp.transpose(x, (0, 2, 3, 1))


def _nhwc_out(xp, y, fmt):
    return xp.ascontiguousarray(y if fmt == "NHWC" else xp.transpose(y, (0, 3, 1, 2)))


@SpaceToDepth.kernel
def _(xp, x, block_size, data_format="NHWC"):
    _depth_attrs(block_size, data_format)
    x = _nhwc_in(xp, x, data_format)
    b = block_size
    n, h, w, c = _s2d_dims(list(x.shape), b)
    y = x.reshape(n, h, b, w, b, x.shape[3]).transpose(0, 1, 3, 2, 4, 5).reshape(n, h, w, c)
    return _nhwc_out(xp, y, data_format)


@DepthToSpace.kernel
def _(xp, x, block_size, data_format="NHWC"):
    _depth_attrs(block_size, data_format)
    x = _nhwc_in(xp, x, data_format)
    b = block_size
    n, h, w, c = _d2s_dims(list(x.shape), b)
    y = x.reshape(n, x.shape[1], x.shape[2], b, b, c).transpose(0, 1, 3, 2, 4, 5)
    return _nhwc_out(xp, y.reshape(n, h, w, c), data_format)


@SpaceToDepth.gradient
def _(op, dy):
    return [
        DepthToSpace(
            dy, block_size=op.get_attr("block_size"), data_format=op.get_attr("data_format")
        )
    ]


@DepthToSpace.gradient
def _(op, dy):
    return [
        SpaceToDepth(
            dy, block_size=op.get_attr("block_size"), data_format=op.get_attr("data_format")
        )
    ]


def space_to_depth(input, block_size, data_format="NHWC", name=None):
    """Moves `block_size` x `block_size` spatial blocks into the channel dimension.

    Args:
      input: a 4-D tensor (NHWC, or NCHW with `data_format="NCHW"`); height and width must be
        divisible by `block_size`.
      block_size: an int >= 2.
      data_format: "NHWC" or "NCHW".
      name: an optional name for the operation.

    Returns:
      A tensor with height and width divided by `block_size` and depth multiplied by its square.
    """
    return SpaceToDepth(input, block_size=int(block_size), data_format=data_format, name=name)


def depth_to_space(input, block_size, data_format="NHWC", name=None):
    """Moves channel data into `block_size` x `block_size` spatial blocks (inverse of
    `space_to_depth`).

    Args:
      input: a 4-D tensor whose depth is divisible by `block_size**2`.
      block_size: an int >= 2.
      data_format: "NHWC" or "NCHW".
      name: an optional name for the operation.

    Returns:
      A tensor with height and width multiplied by `block_size` and depth divided by its square.
    """
    return DepthToSpace(input, block_size=int(block_size), data_format=data_format, name=name)
