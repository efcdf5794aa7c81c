"""Array manipulation ops: concat, split, tile, pad, reverse, roll, space/batch/depth moves.

One block per op (rule, kernel, gradient), then its public function. Gradients are written with
these ops themselves (a pad's gradient is a split, a concat's gradient is a split, a tile's is a
reshape and a sum), so they trace and differentiate again.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import context, dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, math_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor, static_int_list
from tensorflux._src.tensor import Tensor

_dims_str = array_ops._dims_str
_static_int = array_ops._static_int
_INDEX = (dtypes.int32, dtypes.int64)


def _ints(a) -> list:
    return [int(v) for v in np.asarray(a).reshape(-1)]


def _matrix(a) -> list:
    return [[int(v) for v in row] for row in np.asarray(a).reshape(-1, 2)]


# ------------------------------------------------------------------ ConcatV2


def _concat_check(shapes, axis):
    """Validates ConcatV2 on known shapes (lists, dims may be None); returns the output dims."""
    first = shapes[0]
    r = len(first)
    if r == 0:
        raise InvalidArgumentError(
            None, None, "ConcatOp : Can't concatenate scalars (use tf.stack instead)"
        )
    if not -r <= axis < r:
        raise InvalidArgumentError(
            None,
            None,
            f"ConcatOp : Expected concatenating dimensions in the range [{-r}, {r}), "
            f"but got {axis}",
        )
    axis %= r
    out = list(first)
    for k, s in enumerate(shapes[1:], 1):
        if len(s) != r:
            raise InvalidArgumentError(
                None,
                None,
                "ConcatOp : Ranks of all input tensors should match: shape[0] = "
                f"{_dims_str(first)} vs. shape[{k}] = {_dims_str(s)}",
            )
        for i, (a, b) in enumerate(zip(out, s)):
            if i == axis:
                out[i] = None if a is None or b is None else a + b
            elif a is None:
                out[i] = b
            elif b is not None and a != b:
                raise InvalidArgumentError(
                    None,
                    None,
                    f"ConcatOp : Dimension {i} in both shapes must be equal: shape[0] = "
                    f"{_dims_str(first)} vs. shape[{k}] = {_dims_str(s)}",
                )
    return out


def _concat_dtype(dts, attrs):
    if dts[-1] not in _INDEX:
        check_allowed(dts[-1], _INDEX, "Tidx")
    return check_same(dts[:-1])


def _concat_shape(inputs, attrs):
    *values, axis = inputs
    ax = _static_int(axis)
    if any(v.shape.rank is None for v in values):
        known = [v.shape.rank for v in values if v.shape.rank is not None]
        return TensorShape(None if not known else [None] * known[0])
    if ax is None:
        return TensorShape([None] * values[0].shape.rank)
    return TensorShape(_concat_check([v.shape.as_list() for v in values], ax))


# The axis is ConcatV2's last input, so it is an ordinary int32 input rather than a host input.
ConcatV2 = defop("ConcatV2", infer=Rule(_concat_dtype, _concat_shape))


@ConcatV2.kernel
def _(xp, *args):
    *values, axis = args
    ax = int(axis)
    _concat_check([list(v.shape) for v in values], ax)
    return xp.concatenate(values, axis=ax)


@ConcatV2.gradient
def _(op, dy):
    *values, axis = op.inputs
    if len(values) == 1:
        return [dy, None]
    sizes = []
    ax = _static_int(axis)
    static = ax is not None and all(v.shape.rank is not None for v in values)
    if static:
        sizes = [v.shape[ax] for v in values]
        static = all(s is not None for s in sizes)
    if not static:
        sizes = array_ops.stack([array_ops.reshape(_dim_size(v, axis), []) for v in values])
    return [*split(dy, sizes, axis=axis), None]


def _dim_size(x, axis):
    # shape(x)[axis] with ops we own: pick the entry with a one-hot mask.
    s = array_ops.shape(x)
    r = array_ops.rank(x)
    ax = math_ops.cast(as_tensor(axis), dtypes.int32)
    ax = math_ops.add(ax, math_ops.multiply(r, math_ops.cast(math_ops.less(ax, 0), dtypes.int32)))
    mask = math_ops.cast(math_ops.equal(array_ops.range(r), ax), dtypes.int32)
    return reduction_ops.reduce_sum(math_ops.multiply(s, mask))


def concat(values, axis, name="concat"):
    """Joins a list of tensors along dimension `axis`.

    Args:
      values: a list of tensors of one dtype and rank, equal in every dimension but `axis`.
      axis: the dimension to join along; negative values count from the end.
      name: an optional name for the operation.

    Returns:
      The joined tensor.

    Raises:
      InvalidArgumentError: if ranks, dtypes or other dimensions differ, or `axis` is out of
        range.
    """
    if not isinstance(values, (list, tuple)):
        values = [values]
    if not values:
        _no_values(axis)
    if len(values) == 1:
        return array_ops.identity(values[0], name=name)
    values = [as_tensor(v) for v in values]
    if not isinstance(axis, Tensor):
        axis = as_tensor(np.int32(axis) if abs(int(axis)) < 2**31 else np.int64(axis))
    return ConcatV2(*values, axis, name=name)


def _no_values(axis):
    """Raises TensorFlow's error class for `concat([], axis)` (its message is TF internals)."""
    if not context.executing_eagerly():
        raise ValueError(
            "List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2."
        )
    raise InvalidArgumentError(
        None, None, "ConcatV2 needs at least one input tensor: tf.concat got an empty list"
    )


# ------------------------------------------------------------------ Split, SplitV


def _split_axis(axis, rank):
    if not -rank <= axis < rank:
        raise InvalidArgumentError(
            None,
            None,
            f"-input rank(-{rank}) <= split_dim < input rank ({rank}), but got {axis}",
        )
    return axis % rank


def _split_dtype(dts, attrs):
    return [dts[1]] * attrs["num_split"]


def _split_shape(inputs, attrs):
    axis, x = inputs
    n = attrs["num_split"]
    s = x.shape
    ax = _static_int(axis)
    if s.rank is None:
        return [TensorShape(None)] * n
    if ax is None:
        return [TensorShape([None] * s.rank)] * n
    ax = _split_axis(ax, s.rank)
    dims = s.as_list()
    if dims[ax] is not None:
        if dims[ax] % n:
            raise InvalidArgumentError(
                None,
                None,
                "Number of ways to split should evenly divide the split dimension, but got "
                f"split_dim {ax} (size = {dims[ax]}) and num_split {n}",
            )
        dims[ax] //= n
    return [TensorShape(dims)] * n


Split = defop(
    "Split",
    infer=Rule(_split_dtype, _split_shape),
    num_outputs=lambda attrs, n: attrs["num_split"],
    host_inputs=(0,),
)


@Split.kernel
def _(xp, axis, x, num_split):
    ax = _split_axis(int(np.asarray(axis).reshape(())), x.ndim)
    if x.shape[ax] % num_split:
        raise InvalidArgumentError(
            None,
            None,
            "Number of ways to split should evenly divide the split dimension, but got "
            f"split_dim {ax} (size = {x.shape[ax]}) and num_split {num_split}",
        )
    return xp.split(x, num_split, axis=ax)


@Split.gradient
def _(op, *dys):
    return [None, concat(list(dys), op.inputs[0])]


def _resolve_sizes(sizes, dim):
    """SplitV's sizes with a -1 filled in; raises TensorFlow's errors."""
    neg = [i for i, s in enumerate(sizes) if s == -1]
    if len(neg) > 1:
        raise InvalidArgumentError(None, None, "There can only be one -1 in the input.")
    known = sum(s for s in sizes if s != -1)
    if dim is None:
        return [None if s == -1 else s for s in sizes]
    if (not neg and known != dim) or (neg and known > dim):
        raise InvalidArgumentError(
            None,
            None,
            "Determined shape must either match input shape along split_dim exactly if fully "
            "specified, or be less than the size of the input along split_dim if not fully "
            f"specified.  Got: {known}",
        )
    return [dim - known if s == -1 else s for s in sizes]


def _splitv_dtype(dts, attrs):
    if dts[1] not in _INDEX + (dtypes.int8,):
        check_allowed(dts[1], (dtypes.int8, dtypes.int32, dtypes.int64), "Tlen")
    return [dts[0]] * attrs["num_split"]


def _splitv_shape(inputs, attrs):
    x, sizes, axis = inputs
    n = attrs["num_split"]
    s = x.shape
    ax = _static_int(axis)
    sz = static_int_list(sizes)
    if s.rank is None:
        return [TensorShape(None)] * n
    if ax is None:
        return [TensorShape([None] * s.rank)] * n
    ax = _split_axis(ax, s.rank)
    dims = s.as_list()
    if sz is None:
        sz = [None] * n
    else:
        sz = _resolve_sizes(sz, dims[ax])
    return [TensorShape(dims[:ax] + [d] + dims[ax + 1 :]) for d in sz]


SplitV = defop(
    "SplitV",
    infer=Rule(_splitv_dtype, _splitv_shape),
    num_outputs=lambda attrs, n: attrs["num_split"],
    host_inputs=(1, 2),
    type_inputs=(0,),
)


@SplitV.kernel
def _(xp, x, size_splits, axis, num_split):
    ax = _split_axis(int(np.asarray(axis).reshape(())), x.ndim)
    sizes = _resolve_sizes(_ints(size_splits), x.shape[ax])
    if any(s < 0 for s in sizes):
        raise InvalidArgumentError(
            None,
            None,
            f"Split size at index {sizes.index(min(sizes))} must be >= 0. Got: {min(sizes)}",
        )
    return xp.split(x, np.cumsum(sizes)[:-1].tolist(), axis=ax)


@SplitV.gradient
def _(op, *dys):
    return [concat(list(dys), op.inputs[2]), None, None]


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits `value` along `axis` into equal parts or parts of given sizes.

    Args:
      value: the tensor to split.
      num_or_size_splits: an int (the number of equal parts) or a 1-D list/tensor of sizes, one
        of which may be -1 (whatever is left).
      axis: the dimension to split; negative values count from the end.
      num: the number of outputs when `num_or_size_splits` is a tensor of unknown length.
      name: an optional name for the operation.

    Returns:
      A list of tensors.

    Raises:
      InvalidArgumentError: if the parts do not add up to the dimension's size.
      ValueError: if the number of outputs cannot be determined.
    """
    value = as_tensor(value)
    if isinstance(num_or_size_splits, Tensor) and num_or_size_splits.shape.rank == 0:
        n = _static_int(num_or_size_splits)
        if n is None:
            raise ValueError("Cannot infer the number of splits from a scalar tensor")
        num_or_size_splits = n
    if isinstance(num_or_size_splits, (int, np.integer)) and not isinstance(
        num_or_size_splits, bool
    ):
        n = int(num_or_size_splits)
        if n < 1:
            raise InvalidArgumentError(
                None,
                None,
                f"Value for attr 'num_split' of {n} must be at least minimum 1 [Op:Split]",
            )
        return Split(axis, value, num_split=n, name=name)
    sizes = num_or_size_splits
    if not isinstance(sizes, Tensor):
        sizes = as_tensor(np.asarray(sizes, dtype=np.int64 if _big(sizes) else np.int32))
    if num is None:
        s = sizes.shape
        num = s[0] if s.rank == 1 else None
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {s}")
    return SplitV(value, sizes, axis, num_split=int(num), name=name)


def _big(sizes) -> bool:
    return any(abs(int(s)) >= 2**31 for s in np.asarray(sizes).reshape(-1))


# ------------------------------------------------------------------ Tile


def _tile_check(dims, mult):
    if len(mult) != len(dims):
        raise InvalidArgumentError(
            None,
            None,
            f"Expected multiples argument to be a vector of length {len(dims)} but got length "
            f"{len(mult)}",
        )
    for i, m in enumerate(mult):
        if m < 0:
            raise InvalidArgumentError(None, None, f"Expected multiples[{i}] >= 0, but got {m}")


def _tile_shape(inputs, attrs):
    x, multiples = inputs
    m = static_int_list(multiples)
    s = x.shape
    if s.rank is None:
        ms = multiples.shape
        n = ms[0] if ms.rank == 1 else None
        if m is not None:
            return TensorShape([None] * len(m))
        return TensorShape(None if n is None else [None] * n)
    if m is None:
        return TensorShape([None] * s.rank)
    _tile_check(s.as_list(), m)
    return TensorShape([None if d is None else d * k for d, k in zip(s.as_list(), m)])


Tile = defop("Tile", infer=Rule(lambda d, a: d[0], _tile_shape), host_inputs=(1,))


@Tile.kernel
def _(xp, x, multiples):
    m = _ints(multiples)
    _tile_check(list(x.shape), m)
    return xp.tile(x, m) if m else x.copy()


@Tile.gradient
def _(op, dy):
    x, multiples = op.inputs
    m = static_int_list(multiples)
    if m is not None and x.shape.is_fully_defined():
        dims = x.shape.as_list()
        inter = [v for pair in zip(m, dims) for v in pair]
        axes = list(range(0, 2 * len(dims), 2))
    else:
        pairs = array_ops.stack([math_ops.cast(multiples, dtypes.int32), array_ops.shape(x)], 1)
        inter = array_ops.reshape(pairs, [-1])
        axes = array_ops.range(0, array_ops.size(inter), 2)
    g = reduction_ops.reduce_sum(array_ops.reshape(dy, inter), axes)
    return [array_ops._like_shape(x, g), None]


def tile(input, multiples, name=None):
    """Repeats `input` `multiples[i]` times along each dimension i.

    Args:
      input: a tensor.
      multiples: a 1-D int32/int64 list or tensor with one entry per dimension of `input`.
      name: an optional name for the operation.

    Returns:
      A tensor whose dimension i has size `input.shape[i] * multiples[i]`.

    Raises:
      InvalidArgumentError: if `multiples` has the wrong length or a negative entry.
    """
    return Tile(input, multiples, name=name)


# ------------------------------------------------------------------ Pad, PadV2, MirrorPad


def _pad_check(dims, pads, mode=None):
    if len(pads) != len(dims):
        raise InvalidArgumentError(
            None,
            None,
            f"The first dimension of paddings must be the rank of inputs[{len(pads)},2] "
            f"{_dims_str(dims)}",
        )
    for (a, b), d in zip(pads, dims):
        if a < 0 or b < 0:
            raise InvalidArgumentError(None, None, f"Paddings must be non-negative: {a} {b}")
        if mode is None or d is None:
            continue
        if mode == "REFLECT" and (a >= d or b >= d):
            raise InvalidArgumentError(
                None,
                None,
                f"paddings must be less than the dimension size: {a}, {b} not less than {d}",
            )
        if mode == "SYMMETRIC" and (a > d or b > d):
            raise InvalidArgumentError(
                None,
                None,
                f"paddings must be no greater than the dimension size: {a}, {b} greater than {d}",
            )


def _pad_shape(inputs, attrs):
    x, paddings = inputs[0], inputs[1]
    s = x.shape
    v = static_int_list(paddings)
    if v is None:
        ps = paddings.shape
        n = ps[0] if ps.rank == 2 else None
        if s.rank is not None:
            return TensorShape([None] * s.rank)
        return TensorShape(None if n is None else [None] * n)
    pads = [v[i : i + 2] for i in range(0, len(v), 2)]
    if s.rank is None:
        return TensorShape([None] * len(pads))
    _pad_check(s.as_list(), pads, attrs.get("mode"))
    return TensorShape([None if d is None else d + a + b for d, (a, b) in zip(s.as_list(), pads)])


def _pad_dtype(dts, attrs):
    if dts[1] not in _INDEX:
        check_allowed(dts[1], _INDEX, "Tpaddings")
    if len(dts) > 2:
        return check_same(dts, (0, 2))
    return dts[0]


Pad = defop("Pad", infer=Rule(_pad_dtype, _pad_shape), host_inputs=(1,))
PadV2 = defop("PadV2", infer=Rule(_pad_dtype, _pad_shape), host_inputs=(1,), type_inputs=(0, 2))
MirrorPad = defop("MirrorPad", infer=Rule(_pad_dtype, _pad_shape), host_inputs=(1,))


def _pad_kernel(xp, x, paddings, value):
    pads = _matrix(paddings)
    _pad_check(list(x.shape), pads)
    if not pads:
        return x
    # Fill, then copy the input into the middle: much cheaper than xp.pad.
    mod = np if x.dtype == object else xp
    out = mod.full([d + a + b for d, (a, b) in zip(x.shape, pads)], value, dtype=x.dtype)
    out[tuple(slice(a, a + d) for d, (a, _) in zip(x.shape, pads))] = x
    return out


@Pad.kernel
def _(xp, x, paddings):
    return _pad_kernel(xp, x, paddings, b"" if x.dtype == object else 0)


@PadV2.kernel
def _(xp, x, paddings, constant_values):
    return _pad_kernel(
        xp,
        x,
        paddings,
        constant_values.reshape(()).item() if x.dtype == object else constant_values.reshape(()),
    )


@MirrorPad.kernel
def _(xp, x, paddings, mode):
    pads = _matrix(paddings)
    _pad_check(list(x.shape), pads, mode)
    if not pads:
        return x
    return xp.pad(x, pads, mode="reflect" if mode == "REFLECT" else "symmetric")


def _unpad(dy, x, paddings):
    """The middle of `dy` along each dimension: the gradient of padding `x` with `paddings`."""
    v = static_int_list(paddings)
    r = x.shape.rank
    if v is not None:
        for i in range(len(v) // 2):
            a, b = v[2 * i], v[2 * i + 1]
            if a or b:
                dy = split(dy, [a, -1, b], axis=i)[1]
        return dy
    if r is None:
        raise NotImplementedError("Gradient of Pad with dynamic paddings needs a known input rank")
    p = math_ops.cast(paddings, dtypes.int32)
    for i, row in enumerate(array_ops.unstack(p, num=r)):
        a, b = array_ops.unstack(row, num=2)
        dy = split(dy, array_ops.stack([a, -1, b]), axis=i, num=3)[1]
    return dy


@Pad.gradient
def _(op, dy):
    x, paddings = op.inputs
    return [_unpad(dy, x, paddings), None]


@PadV2.gradient
def _(op, dy):
    # Like TensorFlow, no gradient reaches `constant_values`.
    x, paddings, _ = op.inputs
    return [_unpad(dy, x, paddings), None, None]


MirrorPadGrad = defop(
    "MirrorPadGrad",
    infer=Rule(
        _pad_dtype,
        lambda i, a: _mirror_grad_shape(i[0].shape, static_int_list(i[1])),
    ),
    host_inputs=(1,),
)


def _mirror_grad_shape(s, v):
    if s.rank is None or v is None:
        return TensorShape(None) if s.rank is None else TensorShape([None] * s.rank)
    return TensorShape(
        [None if d is None else d - v[2 * i] - v[2 * i + 1] for i, d in enumerate(s.as_list())]
    )


@MirrorPadGrad.kernel
def _(xp, dy, paddings, mode):
    off = 1 if mode == "REFLECT" else 0
    g = dy
    for ax, (a, b) in enumerate(_matrix(paddings)):
        n = g.shape[ax] - a - b
        g = xp.moveaxis(g, ax, 0)
        core = g[a : a + n].copy()
        if a:
            core[off : off + a] += g[:a][::-1]
        if b:
            core[n - off - b : n - off] += g[a + n :][::-1]
        g = xp.moveaxis(core, 0, ax)
    return xp.ascontiguousarray(g) if g.ndim else g


@MirrorPad.gradient
def _(op, dy):
    return [MirrorPadGrad(dy, op.inputs[1], mode=op.get_attr("mode")), None]


@MirrorPadGrad.gradient
def _(op, dy):
    return [MirrorPad(dy, op.inputs[1], mode=op.get_attr("mode")), None]


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pads `tensor` with `paddings[i] = [before, after]` values around each dimension i.

    Args:
      tensor: a tensor.
      paddings: an int32/int64 `[rank, 2]` list or tensor.
      mode: "CONSTANT" (fill with `constant_values`), "REFLECT" (mirror without the edge) or
        "SYMMETRIC" (mirror including the edge); case-insensitive.
      constant_values: the fill value in CONSTANT mode, of `tensor`'s dtype.
      name: an optional name for the operation.

    Returns:
      The padded tensor.

    Raises:
      ValueError: for an unknown mode.
      InvalidArgumentError: if `paddings` does not fit `tensor`.
    """
    m = mode.upper()
    if m == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.all(np.asarray(constant_values) == 0):
            return Pad(tensor, paddings, name=name)
        return PadV2(tensor, paddings, constant_values, name=name)
    if m in ("REFLECT", "SYMMETRIC"):
        return MirrorPad(tensor, paddings, mode=m, name=name)
    raise ValueError(
        'Value of argument `mode` expected to be one of "CONSTANT", "REFLECT", or "SYMMETRIC". '
        f"Received `mode` = {mode}"
    )


# ------------------------------------------------------------------ ReverseV2, Roll


def _reverse_axes(axes, rank):
    out = []
    for i, a in enumerate(axes):
        if not -rank <= a < rank:
            raise InvalidArgumentError(
                None, None, f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}"
            )
        a %= rank
        if a in out:
            raise InvalidArgumentError(None, None, f"axis {a} specified more than once.")
        out.append(a)
    return out


def _reverse_shape(inputs, attrs):
    s = inputs[0].shape
    axes = static_int_list(inputs[1])
    if s.rank is not None and axes is not None:
        _reverse_axes(axes, s.rank)
    return s


ReverseV2 = defop("ReverseV2", infer=Rule(lambda d, a: d[0], _reverse_shape), host_inputs=(1,))


@ReverseV2.kernel
def _(xp, x, axis):
    axes = _reverse_axes(_ints(axis), x.ndim)
    return xp.flip(x, axis=tuple(axes)) if axes else x


@ReverseV2.gradient
def _(op, dy):
    return [ReverseV2(dy, op.inputs[1]), None]


def reverse(tensor, axis, name=None):
    """Reverses the order of elements along each dimension listed in `axis`.

    Args:
      tensor: a tensor.
      axis: a 1-D list or tensor of distinct dimensions (negative counts from the end).
      name: an optional name for the operation.

    Returns:
      A tensor of the same shape with the listed dimensions reversed.
    """
    return ReverseV2(tensor, axis, name=name)


def _roll_check(shift, axes, rank):
    if len(shift) != len(axes):
        raise InvalidArgumentError(None, None, "shift and axis must have the same size")
    for a in axes:
        if not -rank <= a < rank:
            raise InvalidArgumentError(None, None, f"axis {a} is out of range")


def _roll_shape(inputs, attrs):
    x, shift, axis = inputs
    sh, ax = static_int_list(shift), static_int_list(axis)
    if x.shape.rank is not None and sh is not None and ax is not None:
        _roll_check(sh, ax, x.shape.rank)
    return x.shape


Roll = defop("Roll", infer=Rule(lambda d, a: d[0], _roll_shape), host_inputs=(1, 2))


@Roll.kernel
def _(xp, x, shift, axis):
    sh, ax = _ints(shift), _ints(axis)
    _roll_check(sh, ax, x.ndim)
    if not sh or x.size == 0:
        return x
    return xp.roll(x, sh, axis=tuple(ax))


@Roll.gradient
def _(op, dy):
    x, shift, axis = op.inputs
    return [Roll(dy, math_ops.negative(shift), axis), None, None]


def roll(input, shift, axis, name=None):
    """Rolls elements along `axis` by `shift` places (they wrap around).

    Args:
      input: a tensor.
      shift: an int or 1-D list of ints: positive moves elements toward higher indices.
      axis: an int or 1-D list of ints, as long as `shift`; a dimension may repeat (the shifts
        add up).
      name: an optional name for the operation.

    Returns:
      A tensor of the same shape.
    """
    return Roll(input, shift, axis, name=name)


# ------------------------------------------------------------------ composites


def repeat(input, repeats, axis=None, name=None):
    """Repeats each element of `input` along `axis` (of the flattened input when None).

    Args:
      input: a tensor.
      repeats: an int or 1-D list/tensor of ints: how often each element along `axis` appears;
        a list is as long as that dimension (or of length 1).
      axis: the dimension to repeat along; negative counts from the end.
      name: an optional name for the operation.

    Returns:
      A tensor like `input`, longer along `axis`.

    Raises:
      ValueError: if `repeats` does not match the dimension's size.
    """
    x = as_tensor(input)
    if axis is None:
        x = array_ops.reshape(x, [-1])
        axis = 0
    r = static_int_list(repeats) if not isinstance(repeats, (int, np.integer)) else [int(repeats)]
    if r is None:
        raise NotImplementedError("tf.repeat needs `repeats` known when the call is traced")
    rank = x.shape.rank
    if rank == 0:
        x = array_ops.reshape(x, [1])
        rank = 1
    axis = axis % rank if rank else 0
    n = x.shape[axis]
    if len(r) == 1:
        k = r[0]
        y = array_ops.expand_dims(x, axis + 1)
        y = tile(y, [1] * (axis + 1) + [k] + [1] * (rank - axis - 1))
        dims = array_ops.shape(x) if not x.shape.is_fully_defined() else x.shape.as_list()
        if isinstance(dims, list):
            dims = dims[:axis] + [dims[axis] * k] + dims[axis + 1 :]
            return array_ops.reshape(y, dims, name=name)
        return array_ops.reshape(y, _merge_dims(dims, axis, k), name=name)
    if n is not None and n != len(r):
        raise ValueError(f"Dimensions {len(r)} and {n} are not compatible")
    from tensorflux._src.core import registry

    gather = registry.all_ops().get("GatherV2")
    if gather is not None:
        idx = np.repeat(np.arange(len(r), dtype=np.int32), r)
        return gather(x, idx, np.int32(axis), batch_dims=0, name=name)
    pieces = split(x, len(r), axis=axis)
    pieces = [tile(p, [1] * axis + [k] + [1] * (rank - axis - 1)) for p, k in zip(pieces, r)]
    return concat(pieces, axis, name=name or "concat")


def _merge_dims(dims, axis, k):
    # The dynamic shape of `x` with dimension `axis` multiplied by k.
    parts = array_ops.unstack(dims)
    parts[axis] = math_ops.multiply(parts[axis], k)
    return array_ops.stack(parts)
