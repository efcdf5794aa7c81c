"""Harness rows for `tf.bitwise` (integer dtypes; no gradients)."""

import numpy as np

import tensorflux as tf
from tests.ops.harness import INT, OpInfo, Sample, make


def _range(dtype):
    info = np.iinfo(dtype.as_numpy_dtype)
    return int(info.min), min(int(info.max), 2**62)  # the sampler draws through int64


def _pairs(rng, dtype):
    lo, hi = _range(dtype)
    return [
        Sample([make(rng, a, dtype, lo, hi), make(rng, b, dtype, lo, hi)])
        for a, b in [((), ()), ((5,), (5,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((0,), ())]
    ]


def _shift_samples(rng, dtype):
    bits = 8 * dtype.size
    x = make(rng, (2, 6), dtype, *_range(dtype))
    y = make(rng, (2, 6), dtype, 0, bits)
    # Out-of-range shifts (negative, >= bit width) are clamped, as TensorFlow does.
    edge = np.array(
        [bits, bits + 3, 1] if dtype.is_unsigned else [-1, bits, bits + 3], dtype.as_numpy_dtype
    )
    return [Sample([x, y]), Sample([x[0, :3], edge]), Sample([x[:, :1], y[0]])]


def _shift_ref(fn):
    def ref(x, y):
        bits = 8 * x.dtype.itemsize
        return fn(x, np.clip(y, 0, bits - 1).astype(x.dtype))

    return ref


OPS = [
    OpInfo(
        "bitwise.bitwise_and",
        tf.bitwise.bitwise_and,
        np.bitwise_and,
        INT,
        samples=_pairs,
        grad=False,
    ),
    OpInfo(
        "bitwise.bitwise_or", tf.bitwise.bitwise_or, np.bitwise_or, INT, samples=_pairs, grad=False
    ),
    OpInfo(
        "bitwise.bitwise_xor",
        tf.bitwise.bitwise_xor,
        np.bitwise_xor,
        INT,
        samples=_pairs,
        grad=False,
    ),
    OpInfo(
        "bitwise.invert",
        tf.bitwise.invert,
        np.invert,
        INT,
        samples=lambda rng, d: [Sample([s.args[0]]) for s in _pairs(rng, d)],
        grad=False,
    ),
    OpInfo(
        "bitwise.left_shift",
        tf.bitwise.left_shift,
        _shift_ref(np.left_shift),
        INT,
        samples=_shift_samples,
        grad=False,
    ),
    OpInfo(
        "bitwise.right_shift",
        tf.bitwise.right_shift,
        _shift_ref(np.right_shift),
        INT,
        samples=_shift_samples,
        grad=False,
    ),
]
