"""Harness rows for rearrangements driven by index data (reverse_sequence, dynamic_partition,
dynamic_stitch) and for fixed-width histograms."""

import numpy as np

import tensorflux as tf
from tests.ops.harness import COMPLEX, FLOAT32_64, INT32_64, OpInfo, Sample, make

D = tf
SOME = FLOAT32_64 + (D.int32,)
WIDE = SOME + (D.bool, D.float16, D.string) + COMPLEX


def _ints(v, dtype=np.int32):
    return np.asarray(v, dtype=dtype)


# ------------------------------------------------------------------ reverse_sequence


def _reverse_sequence_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), _ints([2, 3])], {"seq_axis": 1, "batch_axis": 0}),
        Sample([make(rng, (2, 4), dtype), _ints([0, 4], np.int64)], {"seq_axis": 1}),
        Sample([make(rng, (4, 2, 3), dtype), _ints([1, 4, 0])], {"seq_axis": 0, "batch_axis": 2}),
        Sample([make(rng, (2, 3, 4), dtype), _ints([3, 1, 2])], {"seq_axis": 2, "batch_axis": 1}),
        Sample([make(rng, (0, 3), dtype), _ints([])], {"seq_axis": 1}),
        Sample([make(rng, (2, 0), dtype), _ints([0, 0])], {"seq_axis": 1}),
    ]


def _reverse_sequence_ref(x, lens, seq_axis, batch_axis=0):
    out = np.array(x, copy=True)
    for b, n in enumerate(lens):
        src = [slice(None)] * x.ndim
        src[batch_axis] = b
        src[seq_axis] = slice(0, int(n))
        piece = x[tuple(src)]
        axis = seq_axis - (seq_axis > batch_axis)  # the seq axis once the batch axis is gone
        out[tuple(src)] = np.flip(piece, axis=axis)
    return out


# ------------------------------------------------------------------ dynamic_partition / stitch


def _partition_samples(rng, dtype):
    return [
        Sample([make(rng, (5,), dtype), _ints([0, 1, 0, 2, 1])], {"num_partitions": 3}),
        Sample([make(rng, (2, 3, 2), dtype), _ints([[1, 0, 1], [3, 1, 0]])], {"num_partitions": 4}),
        Sample([make(rng, (4, 3), dtype), _ints([1, 1, 1, 1])], {"num_partitions": 2}),
        Sample([make(rng, (), dtype), _ints(0)], {"num_partitions": 2}),
        Sample([make(rng, (0, 2), dtype), _ints([])], {"num_partitions": 2}),
    ]


def _partition_ref(data, partitions, num_partitions):
    rows = data.reshape((partitions.size,) + data.shape[partitions.ndim :])
    flat = partitions.reshape(-1)
    return [rows[flat == k] for k in range(num_partitions)]


def _stitch(i0, i1, d0, d1):
    return tf.dynamic_stitch([i0, i1], [d0, d1])


def _stitch_samples(rng, dtype):
    return [
        Sample([_ints([0, 2]), _ints([1, 3]), make(rng, (2,), dtype), make(rng, (2,), dtype)]),
        # gaps stay zero; 2-D indices take 2-D leading data dims
        Sample(
            [
                _ints([5, 1]),
                _ints([[0, 3], [6, 2]]),
                make(rng, (2, 3), dtype),
                make(rng, (2, 2, 3), dtype),
            ]
        ),
        Sample([_ints(4), _ints([0, 1]), make(rng, (2,), dtype), make(rng, (2, 2), dtype)]),
        Sample([_ints([]), _ints([]), make(rng, (0, 2), dtype), make(rng, (0, 2), dtype)]),
        # repeated positions: the later one wins (TensorFlow's gradient ignores that: no check)
        Sample(
            [_ints([0, 1, 1]), _ints([1, 2]), make(rng, (3,), dtype), make(rng, (2,), dtype)],
            grad=False,
        ),
    ]


def _stitch_ref(*args):
    n = len(args) // 2
    idx, data = args[:n], args[n:]
    size = max((int(i.max()) for i in idx if i.size), default=-1) + 1
    tail = data[0].shape[idx[0].ndim :]
    out = np.zeros((size,) + tail, dtype=data[0].dtype)
    if data[0].dtype == object:
        out[...] = b""
    for i, d in zip(idx, data):
        for pos, row in zip(i.reshape(-1), d.reshape((i.size,) + tail)):
            out[pos] = row
    return out


# ------------------------------------------------------------------ histograms


def _histogram_samples(rng, dtype):
    def vals(shape):
        return make(rng, shape, dtype, -6, 12)

    return [
        Sample([vals((20,)), np.asarray([0, 5], dtype.as_numpy_dtype)], {"nbins": 5}),
        Sample([vals((3, 4)), np.asarray([-2, 7], dtype.as_numpy_dtype)], {"nbins": 3}),
        Sample([vals(()), np.asarray([0, 10], dtype.as_numpy_dtype)], {"nbins": 4}),
        Sample([vals((0,)), np.asarray([0, 1], dtype.as_numpy_dtype)], {"nbins": 2}),
        # values on the inner edges
        Sample(
            [
                np.asarray([0, 1, 2, 3, 4, 5], dtype.as_numpy_dtype),
                np.asarray([0, 6], dtype.as_numpy_dtype),
            ],
            {"nbins": 3},
        ),
    ]


def _histogram_ref(values, value_range, nbins):
    lo, hi = (float(v) for v in value_range)
    step = hi / nbins - lo / nbins  # TensorFlow's float64 bin arithmetic
    offset = np.maximum(values.reshape(-1).astype(np.float64), lo) - lo
    index = np.minimum(offset / step, nbins - 1).astype(np.int64)
    return np.bincount(index, minlength=nbins).astype(np.int32)


def _bins_ref(values, value_range, nbins):
    t = values.dtype.type
    lo, hi = t(value_range[0]), t(value_range[1])
    scaled = (values - lo) / (hi - lo)  # in the values' own precision, like the tensor ops
    index = np.floor(t(nbins) * scaled)
    return np.clip(index, 0, t(nbins) - 1).astype(np.int32)


OPS = [
    OpInfo(
        "reverse_sequence",
        tf.reverse_sequence,
        _reverse_sequence_ref,
        WIDE,
        samples=_reverse_sequence_samples,
        grad2=True,
    ),
    OpInfo(
        "dynamic_partition",
        tf.dynamic_partition,
        _partition_ref,
        WIDE,
        samples=_partition_samples,
        grad2=True,
        data_dependent_shape=True,
    ),
    OpInfo(
        "dynamic_stitch",
        _stitch,
        _stitch_ref,
        WIDE,
        samples=_stitch_samples,
        grad2=True,
        data_dependent_shape=True,
    ),
    OpInfo(
        "histogram_fixed_width",
        tf.histogram_fixed_width,
        _histogram_ref,
        FLOAT32_64 + INT32_64,
        samples=_histogram_samples,
        result_dtype=lambda d: D.int32,
        grad=False,
    ),
    OpInfo(
        "histogram_fixed_width_bins",
        tf.histogram_fixed_width_bins,
        _bins_ref,
        FLOAT32_64 + (D.float16,),
        samples=_histogram_samples,
        result_dtype=lambda d: D.int32,
        grad=False,
        ref_upcast=False,
    ),
]
