"""Framing a signal into overlapping windows, and adding overlapping frames back together.

Both are composites: `frame` is one gather with a [frames, frame_length] index grid and
`overlap_and_add` one unsorted segment sum, so gradients come from those ops.
"""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.ops import (
    array_ops,
    creation_ops,
    gather_ops,
    manip_ops,
    math_ops,
    reduction_ops,
    segment_ops,
    shape_ops,
)
from tensorflux._src.ops._util import Tensor, as_tensor, static_int_list


def _scalar(v):
    """A scalar int argument as a Python int when static, else an int32 tensor."""
    if isinstance(v, Tensor):
        if v.shape.rank not in (None, 0):
            raise ValueError(f"Shape {v.shape} must have rank 0")
        vals = static_int_list(v)
        return vals[0] if vals is not None else math_ops.cast(v, dtypes.int32)
    if isinstance(v, (list, tuple)):
        raise ValueError(f"Shape ({len(v)},) must have rank 0")
    return int(v)


def _is_static(*vals) -> bool:
    return all(isinstance(v, int) for v in vals)


def frame(signal, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None):
    """Slices `signal` along `axis` into frames of `frame_length` samples, `frame_step` apart.

    The `axis` dimension of length n is replaced by two: the number of frames and
    `frame_length`. Without `pad_end` only whole frames are kept (1 + (n - frame_length) //
    frame_step of them, or none); with it the signal is extended with `pad_value` so that
    ceil(n / frame_step) frames fit.

    Args:
      signal: A `Tensor` of rank at least 1 (any dtype).
      frame_length: An int or scalar int tensor: samples per frame.
      frame_step: An int or scalar int tensor: distance between frame starts.
      pad_end: Whether to pad the end of the signal with `pad_value`.
      pad_value: The padding value, of the signal's dtype.
      axis: The dimension to frame; negative counts from the end.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of rank one more than `signal`.

    Raises:
      ValueError: if `signal` is a scalar or the lengths are not scalars.
    """
    signal = as_tensor(signal)
    frame_length = _scalar(frame_length)
    frame_step = _scalar(frame_step)
    rank = signal.shape.rank
    if rank == 0:
        raise ValueError("Shape () must have rank at least 1")
    if rank is not None and not -rank <= axis < rank:
        raise ValueError(f"axis {axis} is out of range for a signal of rank {rank}")
    ax = axis % rank if rank is not None else axis
    n = signal.shape[ax] if rank is not None else None
    if n is None:
        n = array_ops.shape(signal)[axis]
    if pad_end:
        if _is_static(frame_step) and frame_step == 0:
            raise _div_zero()
        num_frames = -(-n // frame_step)  # ceil(n / frame_step)
        total = (num_frames - 1) * frame_step + frame_length
        extra = math_ops.maximum(total - n, 0) if not _is_static(total, n) else max(total - n, 0)
        if not _is_static(extra) or extra > 0:
            signal = _pad_axis(signal, extra, ax, pad_value, rank)
    elif _is_static(n, frame_length, frame_step):
        if frame_step == 0:
            raise _div_zero()
        num_frames = max(0, (n - frame_length + frame_step) // frame_step)
    else:
        num_frames = math_ops.maximum((n - frame_length + frame_step) // frame_step, 0)
    starts = creation_ops.range(num_frames) * frame_step
    offsets = creation_ops.range(frame_length)
    idx = array_ops.expand_dims(starts, 1) + array_ops.expand_dims(offsets, 0)
    # Gathering from a reshape makes the signal's gradient dense, as in TensorFlow.
    dense = array_ops.reshape(signal, array_ops.shape(signal))
    return gather_ops.gather(dense, idx, axis=axis, name=name)


def _div_zero():
    from tensorflux._src.core.errors import InvalidArgumentError

    return InvalidArgumentError(None, None, "Integer division by zero [frame_step is 0]")


def _pad_axis(signal, extra, ax, pad_value, rank):
    if rank is None:
        raise ValueError("frame with pad_end=True needs a signal of known rank")
    pads = [[0, 0] for _ in range(rank)]
    if _is_static(extra):
        pads[ax][1] = extra
    else:
        pads = array_ops.stack([array_ops.stack([0, extra if i == ax else 0]) for i in range(rank)])
    value = as_tensor(pad_value, dtype=signal.dtype)
    return manip_ops.pad(signal, pads, constant_values=value)


def overlap_and_add(signal, frame_step, name=None):
    """Adds frames laid `frame_step` apart into one signal (the reverse of `frame`).

    `signal` has shape `[..., frames, frame_length]`; the result has shape
    `[..., (frames - 1) * frame_step + frame_length]`, each output sample the sum of the frame
    samples that land on it.

    Args:
      signal: A `Tensor` of rank at least 2.
      frame_step: An int or scalar int tensor; steps longer than the frames leave zeros.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of rank one less than `signal`, of its dtype.

    Raises:
      ValueError: if `signal` has rank below 2 or `frame_step` is not a scalar.
    """
    signal = as_tensor(signal)
    step = _scalar(frame_step)
    rank = signal.shape.rank
    if rank is not None and rank < 2:
        raise ValueError(f"Shape {signal.shape} must have rank at least 2")
    shape = array_ops.shape(signal)
    frames, length = _dim(signal, -2, shape), _dim(signal, -1, shape)
    out_len = (frames - 1) * step + length
    if _is_static(out_len):
        out_len = max(out_len, 0)
    # Position of every frame sample in the output, then one segment sum over them.
    pos = array_ops.expand_dims(creation_ops.range(frames) * step, 1) + array_ops.expand_dims(
        creation_ops.range(length), 0
    )
    outer = shape[:-2]
    dims = signal.shape.as_list()[:-2] if rank is not None else [None]
    batch = 1
    for d in dims:
        batch = batch * d if d is not None and _is_static(batch) else None
    if batch is None:
        batch = reduction_ops.reduce_prod(outer)
    flat = array_ops.reshape(signal, array_ops.stack([batch, frames * length]))
    cols = array_ops.transpose(flat)
    summed = segment_ops.unsorted_segment_sum(cols, array_ops.reshape(pos, [-1]), out_len)
    out = array_ops.transpose(summed)
    tail = [out_len] if _is_static(out_len) else array_ops.reshape(out_len, [1])
    new_shape = manip_ops.concat([outer, tail], 0)
    out = array_ops.reshape(out, new_shape, name=name)
    if rank is not None:
        # Keep what is statically known (a traced reshape by a half-known shape loses it).
        want = signal.shape.as_list()[:-2] + [out_len if _is_static(out_len) else None]
        if out.shape.rank is None or want != out.shape.as_list():
            out = shape_ops.ensure_shape(out, want)
    return out


def _dim(t, i, shape):
    d = t.shape[i] if t.shape.rank is not None else None
    return d if d is not None else shape[i]
