"""Rearrangements driven by index data: ReverseSequence, DynamicPartition, DynamicStitch.

Their index inputs (sequence lengths, partition ids, stitch positions) are read on the host: the
kernels need the values to check them and, for partition and stitch, to size the outputs. The
gradients are these same ops (a partition's gradient is a stitch, a stitch's is a gather), so
they trace and differentiate again.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import context, dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, legacy_name, static_value
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, creation_ops, gather_ops, shape_ops
from tensorflux._src.ops._util import as_tensor, convert_alike
from tensorflux._src.tensor import Tensor

_INDEX = (dtypes.int32, dtypes.int64)
_dims_text = array_ops._dims_text


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


def _host(a) -> np.ndarray:
    return a.get() if hasattr(a, "get") and not isinstance(a, np.ndarray) else np.asarray(a)


def _int_arg(value, arg: str) -> int:
    """An int attribute given by the caller, converted the way TensorFlow's op wrappers do."""
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"Expected int for argument '{arg}' not {value!r}.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise TypeError(f"Expected int for argument '{arg}' not {value!r}.") from None


def _expect_int32(dt, i: int) -> None:
    if dt is not dtypes.int32:
        raise _err(
            f"cannot compute {{op}} as input #{i}(zero-based) was expected to be a int32 tensor "
            f"but is a {legacy_name(dt)} tensor"
        )


# ------------------------------------------------------------------ ReverseSequence


def _reverse_sequence_check(dims, lens_dims, seq, batch, lens=None):
    """TensorFlow's checks in its order; `dims`/`lens_dims` may be None or hold None."""
    if batch < 0:
        raise _err(f"Invalid batch_dim {batch}")
    if seq < 0:
        raise _err(f"Invalid seq_dim {seq}")
    if lens_dims is not None and len(lens_dims) != 1:
        raise _err(f"seq_lengths must be 1-dim, not {len(lens_dims)}")
    if batch == seq:
        raise _err(f"batch_dim == seq_dim == {seq}")
    if dims is None:
        return
    rank = len(dims)
    if seq >= rank:
        raise _err(f"seq_dim must be < input rank ( {seq} vs. {rank})")
    if batch >= rank:
        raise _err(f"batch_dim must be < input rank ( {batch} vs. {rank})")
    n = None if lens_dims is None else lens_dims[0]
    if n is not None and dims[batch] is not None and n != dims[batch]:
        raise _err(f"Length of seq_lengths != input.dims({batch}), ({n} vs. {dims[batch]})")
    if lens is None:
        return
    for d, v in enumerate(int(e) for e in lens):
        if v < 0:
            raise _err(f"seq_lens({d}) < 0")
        if dims[seq] is not None and v > dims[seq]:
            raise _err(f"seq_lens({d}) > input.dims({seq})")


def _reverse_sequence_dtype(dts, attrs):
    if dts[1] not in _INDEX:
        check_allowed(dts[1], _INDEX, "Tlen")
    return dts[0]


def _reverse_sequence_shape(inputs, attrs):
    x, lens = inputs
    s, ls = x.shape, lens.shape
    seq, batch = attrs["seq_dim"], attrs.get("batch_dim", 0)
    v = static_value(lens)
    _reverse_sequence_check(
        None if s.rank is None else s.as_list(),
        None if ls.rank is None else ls.as_list(),
        seq,
        batch,
        None if v is None or np.ndim(v) != 1 else np.asarray(v),
    )
    if s.rank is None or ls.rank != 1 or ls[0] is None or s[batch] is not None:
        return s
    dims = s.as_list()
    dims[batch] = ls[0]  # the batch size is known from the lengths
    return TensorShape(dims)


ReverseSequence = defop(
    "ReverseSequence",
    infer=Rule(_reverse_sequence_dtype, _reverse_sequence_shape),
    host_inputs=(1,),
)


@ReverseSequence.kernel
def _(xp, x, seq_lengths, seq_dim, batch_dim=0):
    lens = np.asarray(seq_lengths)
    _reverse_sequence_check(list(x.shape), list(lens.shape), seq_dim, batch_dim, lens)
    if x.size == 0:
        return x
    steps = np.arange(x.shape[seq_dim])
    n = lens.astype(np.int64)[:, None]
    # Source position along the sequence axis for each (batch, step): mirrored below its length.
    src = np.where(steps < n, n - 1 - steps, steps)
    moved = xp.moveaxis(x, (batch_dim, seq_dim), (0, 1))
    rows = xp.arange(x.shape[batch_dim])[:, None]
    out = moved[rows, xp.asarray(src)]
    return xp.moveaxis(out, (0, 1), (batch_dim, seq_dim))


@ReverseSequence.gradient
def _(op, dy):
    x, lens = op.inputs
    seq, batch = op.get_attr("seq_dim"), gather_ops.attr(op, "batch_dim", 0)
    return [ReverseSequence(dy, lens, seq_dim=seq, batch_dim=batch), None]


def reverse_sequence(input, seq_lengths, seq_axis=None, batch_axis=None, name=None):
    """Reverses the first `seq_lengths[i]` elements of each slice `i` along `seq_axis`.

    Slice `i` is taken along `batch_axis`; elements past its length keep their place.

    >>> tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1, batch_axis=0)
    <tf.Tensor: shape=(2, 3), dtype=int32, numpy=
    array([[2, 1, 3],
           [6, 5, 4]], dtype=int32)>

    Args:
      input: a tensor of rank at least 2.
      seq_lengths: a 1-D int32 or int64 tensor of `input.shape[batch_axis]` lengths, each at most
        `input.shape[seq_axis]`.
      seq_axis: the (non-negative) dimension that is partially reversed; required.
      batch_axis: the (non-negative) dimension along which lengths apply; 0 when None.
      name: an optional name for the operation.

    Returns:
      A tensor of the same shape and dtype as `input`.

    Raises:
      TypeError: if `seq_axis` is None or not an integer.
      InvalidArgumentError: if the axes are out of range or equal, `seq_lengths` has the wrong
        size, or a length is negative or too long.
    """
    seq = _int_arg(seq_axis, "seq_dim")
    batch = 0 if batch_axis is None else _int_arg(batch_axis, "batch_dim")
    return ReverseSequence(input, seq_lengths, seq_dim=seq, batch_dim=batch, name=name)


# ------------------------------------------------------------------ DynamicPartition


def _partition_dtype(dts, attrs):
    n = attrs["num_partitions"]
    if n < 1:
        raise _err(f"Value for attr 'num_partitions' of {n} must be at least minimum 1")
    _expect_int32(dts[1], 1)
    return [dts[0]] * n


def _partition_prefix_error(data_dims, part_dims):
    return _err(
        f"data.shape must start with partitions.shape, got data.shape = {_dims_text(data_dims)}, "
        f"partitions.shape = {_dims_text(part_dims)}"
    )


def _partition_shape(inputs, attrs):
    data, parts = inputs[0].shape, inputs[1].shape
    n = attrs["num_partitions"]
    if data.rank is None or parts.rank is None:
        return [TensorShape(None)] * n
    if parts.rank > data.rank or not TensorShape(data.as_list()[: parts.rank]).is_compatible_with(
        parts
    ):
        raise _partition_prefix_error(data, parts)
    return [TensorShape([None] + data.as_list()[parts.rank :])] * n


DynamicPartition = defop(
    "DynamicPartition",
    infer=Rule(_partition_dtype, _partition_shape),
    num_outputs=lambda attrs, n: attrs["num_partitions"],
    host_inputs=(1,),
)


@DynamicPartition.kernel
def _(xp, data, partitions, num_partitions):
    p = np.asarray(partitions)
    if tuple(data.shape[: p.ndim]) != p.shape:
        raise _partition_prefix_error(TensorShape(data.shape), TensorShape(p.shape))
    flat = p.reshape(-1)
    bad = np.flatnonzero((flat < 0) | (flat >= num_partitions))
    if bad.size:
        i = int(bad[0])
        where = "" if p.ndim == 0 else "[" + ",".join(map(str, np.unravel_index(i, p.shape))) + "]"
        raise _err(f"partitions{where} = {flat[i]} is not in [0, {num_partitions})")
    rows = data.reshape((flat.size,) + data.shape[p.ndim :])
    # One stable sort groups the rows by partition, keeping their order within each.
    order = np.argsort(flat, kind="stable")
    ends = np.cumsum(np.bincount(flat, minlength=num_partitions))[:-1]
    return list(xp.split(rows[xp.asarray(order)], [int(e) for e in ends]))


@DynamicPartition.gradient
def _(op, *dys):
    data, partitions = op.inputs
    n = op.get_attr("num_partitions")
    # Partition the positions 0..size-1 like the data, then stitch the gradients back there.
    positions = array_ops.reshape(
        creation_ops.range(shape_ops.size(partitions)), array_ops.shape(partitions)
    )
    where = DynamicPartition(positions, partitions, num_partitions=n)
    merged = DynamicStitch(*where, *dys, N=n)
    return [array_ops._like_shape(data, merged), None]


def dynamic_partition(data, partitions, num_partitions, name=None):
    """Splits `data` into `num_partitions` tensors by the partition id of each slice.

    `partitions.shape` must be a prefix of `data.shape`; the slice `data[idx]` for each index
    `idx` of `partitions` goes to output `partitions[idx]`, in order.

    >>> tf.dynamic_partition(tf.constant([10, 20, 30, 40]), [0, 1, 0, 1], 2)[1]
    <tf.Tensor: shape=(2,), dtype=int32, numpy=array([20, 40], dtype=int32)>

    Args:
      data: a tensor.
      partitions: an int32 tensor of ids in `[0, num_partitions)` whose shape starts
        `data.shape`.
      num_partitions: the number of outputs, at least 1.
      name: an optional name for the operation.

    Returns:
      A list of `num_partitions` tensors of `data`'s dtype; output `k` has shape
      `[count of k] + data.shape[partitions.ndim:]`.

    Raises:
      InvalidArgumentError: if an id is out of range or the shapes do not fit.
    """
    n = _int_arg(num_partitions, "num_partitions")
    if not isinstance(partitions, Tensor):
        partitions = as_tensor(partitions, dtype=dtypes.int32)
    return DynamicPartition(data, partitions, num_partitions=n, name=name)


# ------------------------------------------------------------------ DynamicStitch


def _stitch_dtype(dts, attrs):
    n = len(dts) // 2
    for i in range(n):
        _expect_int32(dts[i], i)
    return check_same(dts, range(n, 2 * n))


def _same_dims(a, b) -> bool:
    return len(a) == len(b) and all(x is None or y is None or x == y for x, y in zip(a, b))


def _stitch_prefix_error(i, idx, data):
    """The message when `data[i]`'s dims (lists, None: unknown) do not start with `indices[i]`'s."""
    if len(data) >= len(idx) and _same_dims(data[: len(idx)], idx):
        return None
    return (
        f"data[{i}].shape = {_dims_text(TensorShape(data))} does not start with "
        f"indices[{i}].shape = {_dims_text(TensorShape(idx))}"
    )


def _stitch_tail_error(i, idx0, data0, idx, data):
    text = [_dims_text(TensorShape(d)) for d in (data0, data, idx0, idx)]
    return (
        f"Need data[0].shape[{len(idx0)}:] = data[{i}].shape[{len(idx)}:], got data[0].shape = "
        f"{text[0]}, data[{i}].shape = {text[1]}, indices[0].shape = {text[2]}, "
        f"indices[{i}].shape = {text[3]}"
    )


def _stitch_shape(inputs, attrs):
    n = len(inputs) // 2
    idx, data = inputs[:n], inputs[n:]
    rest = TensorShape(None)
    first = None  # the first pair whose ranks are known: the others must match its tail
    for i in range(n):
        si, sd = idx[i].shape, data[i].shape
        if si.rank is None or sd.rank is None:
            continue
        pair = (si.as_list(), sd.as_list())
        msg = _stitch_prefix_error(i, *pair)
        if msg is not None:
            raise _err(msg)
        tail = TensorShape(pair[1][len(pair[0]) :])
        if not rest.is_compatible_with(tail):
            raise _err(_stitch_tail_error(i, *first, *pair))
        first = first or pair
        rest = rest.merge_with(tail)
    values = [static_value(t) for t in idx]
    size = None
    if all(v is not None for v in values):
        size = max((int(np.max(v)) for v in values if np.size(v)), default=-1) + 1
    return TensorShape([size]).concatenate(rest) if rest.rank is not None else TensorShape(None)


DynamicStitch = defop("DynamicStitch", infer=Rule(_stitch_dtype, _stitch_shape), type_inputs=())


@DynamicStitch.kernel
def _(xp, *args, N):
    idx = [_host(a) for a in args[:N]]
    data = args[N:]
    size = max((int(i.max()) for i in idx if i.size), default=-1) + 1
    idx0, data0 = list(idx[0].shape), list(data[0].shape)
    for i in range(N):
        pair = (list(idx[i].shape), list(data[i].shape))
        msg = _stitch_prefix_error(i, *pair)
        if msg is None and i and not _same_dims(data0[len(idx0) :], pair[1][len(pair[0]) :]):
            msg = _stitch_tail_error(i, idx0, data0, *pair)
        if msg is not None:
            raise _err(msg)
    tail = tuple(data[0].shape[idx[0].ndim :])
    for ix in idx:
        bad = np.flatnonzero((ix.reshape(-1) < 0) | (ix.reshape(-1) >= size))
        if bad.size:
            raise _err(f"indices[{int(bad[0])}] is out of range")
    if data[0].dtype == object:
        out = np.full((size,) + tail, b"", dtype=object)
    else:
        out = xp.zeros((size,) + tail, dtype=data[0].dtype)
    flat = np.concatenate([ix.reshape(-1) for ix in idx])
    if not flat.size:
        return out
    rows = xp.concatenate([d.reshape((ix.size,) + tail) for d, ix in zip(data, idx)])
    # Later positions win on duplicates: keep each index's last occurrence, then write once.
    targets, first_in_reversed = np.unique(flat[::-1], return_index=True)
    out[xp.asarray(targets)] = rows[xp.asarray(flat.size - 1 - first_in_reversed)]
    return out


@DynamicStitch.gradient
def _(op, dy):
    n = op.get_attr("N")
    return [None] * n + [gather_ops.gather(dy, i) for i in op.inputs[:n]]


# TensorFlow's class for an empty stitch; its message there is a KernelDef dump, ours is plain.
_EMPTY_STITCH = "DynamicStitch needs at least one indices/data pair: got empty lists"


def dynamic_stitch(indices, data, name=None):
    """Interleaves the slices of `data` into one tensor at the positions `indices` give.

    `merged[indices[m][i]] = data[m][i]` for every input `m` and index `i` of `indices[m]`; where
    positions repeat, the later input (and the later position within one) wins. Positions nobody
    writes are zero.

    >>> tf.dynamic_stitch([[0, 2], [1, 3]], [[10, 30], [20, 40]])
    <tf.Tensor: shape=(4,), dtype=int32, numpy=array([10, 20, 30, 40], dtype=int32)>

    Args:
      indices: a list of int32 tensors of non-negative positions.
      data: a list of as many tensors of one dtype; `data[m].shape` starts with
        `indices[m].shape`, and what follows is the same for every `m`.
      name: an optional name for the operation.

    Returns:
      A tensor of shape `[max(indices) + 1] + data[0].shape[indices[0].ndim:]`.

    Raises:
      TypeError: if `indices` or `data` is not a list.
      ValueError: if the lists differ in length.
      InvalidArgumentError: if the shapes do not fit or an index is negative.
    """
    from_tensor = isinstance(indices, Tensor)
    if from_tensor:
        indices = array_ops.unstack(indices)
    elif not isinstance(indices, (list, tuple)):
        raise TypeError(
            f"Expected list for 'indices' argument to 'dynamic_stitch' Op, not {indices!r}."
        )
    if from_tensor and isinstance(data, Tensor):
        data = array_ops.unstack(data)
    elif not isinstance(data, (list, tuple)):
        raise TypeError(f"Expected list for 'data' argument to 'dynamic_stitch' Op, not {data!r}.")
    if len(data) != len(indices):
        raise ValueError(
            f"List argument 'data' to 'dynamic_stitch' Op with length {len(data)} must match "
            f"length {len(indices)} of argument 'indices'."
        )
    if not indices:
        if context.executing_eagerly():
            raise InvalidArgumentError(None, None, _EMPTY_STITCH)
        raise ValueError(
            "List argument 'indices' to 'DynamicStitch' Op with length 0 shorter than minimum "
            "length 1."
        )
    indices = [i if isinstance(i, Tensor) else as_tensor(i, dtype=dtypes.int32) for i in indices]
    data = convert_alike(data)
    return DynamicStitch(*indices, *data, N=len(indices), name=name)
