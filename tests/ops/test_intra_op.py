"""Kernels split over intra-op threads give the single-thread results (devices/intra_op.py)."""

import numpy as np
import pytest

from tensorflux._src.devices import intra_op
from tensorflux._src.ops import conv_kernels as K
from tensorflux._src.ops import pool_ops as P


@pytest.fixture
def threads():
    def run(n, fn):
        old = intra_op._threads[0]
        intra_op.set_threads(n)
        try:
            return fn()
        finally:
            intra_op.set_threads(old)

    return run


def test_ranges_cover_the_batch_once():
    intra_op.set_threads(3)
    try:
        parts = intra_op.ranges(10, 1 << 20)
        assert parts == [(0, 4), (4, 7), (7, 10)]
        assert intra_op.ranges(10, 100) == [(0, 10)]  # too little work to split
        assert intra_op.ranges(1, 1 << 20) == [(0, 1)]
        assert intra_op.run(lambda a, b: b - a, parts) == [4, 3, 3]
    finally:
        intra_op.set_threads(0)


@pytest.mark.parametrize("c", [1, 3, 32])
def test_convolutions_split_match_single_thread(threads, c):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((18, 30, 30, c)).astype(np.float32)
    w = rng.standard_normal((3, 3, c, 24)).astype(np.float32)
    pads, outs, one = [(1, 1), (0, 0)], [30, 28], [1, 1]
    dy = rng.standard_normal((18, *outs, 24)).astype(np.float32)

    def all_three():
        return (
            K.conv_forward(np, x, w, one, one, pads, outs),
            K.conv_backprop_filter(np, x, w.shape, dy, one, one, pads, outs),
            K.conv_backprop_input(np, x.shape, w, dy, one, one, pads, outs),
        )

    single, split = threads(1, all_three), threads(3, all_three)
    assert len(threads(3, lambda: intra_op.ranges(18, 18 * 30 * 28 * 9 * c))) == 3  # it split
    for a, b in zip(single, split):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-4)


def test_max_pool_split_matches_single_thread(threads):
    rng = np.random.default_rng(1)
    x = np.maximum(rng.standard_normal((8, 40, 41, 16)), 0).astype(np.float32)  # many ties at 0
    k, pads, outs = [2, 2], [(0, 0), (0, 0)], [20, 20]

    def both():
        y = P.max_forward(np, x, k, k, pads, outs)
        dy = np.arange(y.size, dtype=np.float32).reshape(y.shape)
        return y, P.max_backprop_from_output(np, x, y, dy, k, k, pads, outs), dy

    (y1, dx1, dy), (y2, dx2, _) = threads(1, both), threads(4, both)
    np.testing.assert_array_equal(y1, y2)
    np.testing.assert_array_equal(dx1, dx2)
    np.testing.assert_array_equal(dx1, P.max_backprop(np, x, dy, k, k, pads, outs))
    assert dx1.sum() == dy.sum()  # each window's gradient lands once (first maximum)
