"""`Tensor.__getitem__` against NumPy indexing, StridedSlice masks and gradients, gather/scatter
errors, and `tf.IndexedSlices` gradients through the tape."""

import itertools

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core.errors import InvalidArgumentError

X = np.arange(60, dtype=np.float64).reshape(3, 4, 5)

_PARTS = [
    0, -1, 2, slice(None), slice(1, None), slice(None, -1), slice(None, None, -1),
    slice(3, 0, -2), slice(-2, None, 2), slice(10, -10, -1), slice(4, 1), None,
]  # fmt: skip


def _specs():
    for a, b in itertools.product(_PARTS, repeat=2):
        yield (a, b)
        yield (Ellipsis, a, b)
        yield (a, Ellipsis, b)
    for a, b, c in itertools.product(_PARTS[::3], repeat=3):
        yield (a, b, c)
        yield (a, None, b, c)


SPECS = list(_specs())


def _valid(spec) -> bool:
    try:
        X[spec]
    except IndexError:
        return False
    return True


@pytest.mark.parametrize("spec", [s for s in SPECS if _valid(s)], ids=repr)
def test_getitem_matches_numpy(spec):
    got = tf.constant(X)[spec]
    want = X[spec]
    assert got.shape.as_list() == list(want.shape)
    np.testing.assert_array_equal(got.numpy(), want)


@pytest.mark.parametrize("spec", SPECS[::7], ids=repr)
def test_getitem_gradient_scatters_ones(spec):
    if not _valid(spec):
        return
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x[spec]
    g = tape.gradient(y, x).numpy()
    want = np.zeros_like(X)
    want[spec] = 1.0  # basic indexing never repeats an element
    np.testing.assert_array_equal(g, want)


def test_getitem_second_order_and_weighted_gradient():
    x = tf.constant(X)
    w = np.random.default_rng(0).standard_normal(X[1:, ::-2, None, 3].shape)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(x[1:, ::-2, None, 3] * tf.constant(w) * x[1:, ::-2, None, 3])
        g = inner.gradient(y, x)
        total = tf.reduce_sum(g)
    want = np.zeros_like(X)
    want[1:, ::-2, None, 3] = 2 * w * X[1:, ::-2, None, 3]
    np.testing.assert_allclose(g.numpy(), want)
    h = outer.gradient(total, x)
    want_h = np.zeros_like(X)
    want_h[1:, ::-2, None, 3] = 2 * w
    np.testing.assert_allclose(h.numpy(), want_h)


def test_getitem_scalar_tensor_and_numpy_indices():
    x = tf.constant(X)
    np.testing.assert_array_equal(x[tf.constant(1)].numpy(), X[1])
    np.testing.assert_array_equal(x[tf.constant(1, tf.int64), 2].numpy(), X[1, 2])
    np.testing.assert_array_equal(x[np.int64(2), np.array(-1)].numpy(), X[2, -1])
    np.testing.assert_array_equal(x[tf.constant(1) : tf.constant(-1)].numpy(), X[1:-1])
    np.testing.assert_array_equal(x[tf.newaxis, ..., tf.newaxis].numpy(), X[None, ..., None])
    # A list is a tuple of indices, as in TensorFlow.
    np.testing.assert_array_equal(x[[0, 1]].numpy(), X[0, 1])


def test_getitem_boolean_mask_index():
    x = tf.constant(X)
    m = X[:, 0, 0] > 10
    np.testing.assert_array_equal(x[tf.constant(m)].numpy(), X[m])
    np.testing.assert_array_equal(x[m].numpy(), X[m])
    with pytest.raises(ValueError, match="mask cannot be scalar."):
        x[True]


def test_boolean_mask_axis_slices_the_shape_like_tensorflow():
    x = tf.constant(X)
    m = np.array([True, False, True, True])
    np.testing.assert_array_equal(tf.boolean_mask(x, m, axis=-2).numpy(), X[:, m])
    # TensorFlow slices shape[axis:axis + k] literally, so axis=-1 covers no dimension.
    with pytest.raises(ValueError, match=r"Shapes \(\) and \(5,\) are incompatible"):
        tf.boolean_mask(x, np.ones(5, bool), axis=-1)


@pytest.mark.parametrize(
    "spec",
    [
        [0, 1],
        tf.constant([0, 1]),
        1.0,
        tf.constant(1.0),
        "a",
        np.array([0, 1]),
        slice(1.5, None),
    ],  # fmt: skip
    ids=repr,
)
def test_getitem_rejects_what_tensorflow_rejects(spec):
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    if isinstance(spec, list):  # a list is a tuple: x[[0, 1]] == x[0, 1]
        assert float(x[spec]) == 1.0
        return
    with pytest.raises(TypeError, match=r"Only integers, slices \(`:`\), ellipsis"):
        x[spec]


def test_getitem_errors():
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    with pytest.raises(InvalidArgumentError, match=r"slice index 5 of dimension 0 out of bounds\."):
        x[5]
    with pytest.raises(InvalidArgumentError, match="slice index -1 of dimension 0 out of bounds"):
        x[-3]
    with pytest.raises(InvalidArgumentError, match="slice index 3 of dimension 1 out of bounds"):
        x[:, 3]
    with pytest.raises(InvalidArgumentError, match="Multiple ellipses in slice spec not allowed"):
        x[..., ...]
    with pytest.raises(InvalidArgumentError, match="Index out of range using input dim 2"):
        x[1, 2, 3]
    with pytest.raises(InvalidArgumentError, match=r"strides\[0\] must be non-zero"):
        x[::0]


MASK_CASES = [
    # (begin, end, strides, masks, NumPy spec)
    ([0], [1], [1], dict(begin_mask=1, new_axis_mask=1, shrink_axis_mask=1), (None,)),
    ([1, 0], [5, 1], [1, 1], dict(shrink_axis_mask=2, end_mask=2), (slice(1, 5), 0)),
    ([0, 1], [0, 0], [1, -1], dict(ellipsis_mask=1, end_mask=2), (Ellipsis, slice(1, None, -1))),
    (
        [0, 0, 0],
        [0, 0, 0],
        [1, 1, 1],
        dict(new_axis_mask=2, begin_mask=5, end_mask=5),
        (slice(None), None, slice(None)),
    ),
    ([2, -1], [0, 0], [-1, 1], dict(end_mask=1, shrink_axis_mask=2), (slice(2, None, -1), -1)),
]


@pytest.mark.parametrize("case", MASK_CASES, ids=lambda c: repr(c[4]))
def test_strided_slice_masks_and_gradient(case):
    begin, end, strides, masks, spec = case
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.strided_slice(x, begin, end, strides, **masks)
    np.testing.assert_array_equal(y.numpy(), X[spec])
    g = tape.gradient(y, x, output_gradients=tf.ones_like(y) * 2.0).numpy()
    want = np.zeros_like(X)
    want[spec] = 2.0
    np.testing.assert_array_equal(g, want)


def test_slice_errors_and_size_minus_one():
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    np.testing.assert_array_equal(tf.slice(x, [0, 1], [-1, 2]).numpy(), [[1, 2], [4, 5]])
    with pytest.raises(InvalidArgumentError, match=r"Expected size\[0\] in \[0, 2\], but got 3"):
        tf.slice(x, [0, 1], [3, 2])
    with pytest.raises(InvalidArgumentError, match=r"Expected begin\[1\] in \[0, 3\], but got -1"):
        tf.slice(x, [0, -1], [1, 1])
    with pytest.raises(InvalidArgumentError, match="1-D tensors of size 2, but got shapes"):
        tf.slice(x, [0], [3])


# ------------------------------------------------------------------ gather, scatter errors


def test_gather_errors():
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = 5 is not in \[0, 2\)"):
        tf.gather(x, [0, 5])
    with pytest.raises(InvalidArgumentError, match=r"indices\[0,1\] = 5 is not in \[0, 3\)"):
        tf.gather(x, [[0, 5]], axis=1)
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = -1 is not in \[0, 2\)"):
        tf.gather(x, [0, -1])
    with pytest.raises(InvalidArgumentError, match="Shape must be at least rank 3 but is rank 2"):
        tf.gather(x, [0], axis=2)
    with pytest.raises(InvalidArgumentError, match="'Tindices' of float"):
        tf.gather(x, [0.0])
    with pytest.raises(InvalidArgumentError, match=r"params.shape\[0\]: 2 should be equal"):
        tf.gather(x, [[0], [1], [0]], axis=1, batch_dims=1)


def test_gather_nd_and_scatter_errors():
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    with pytest.raises(
        InvalidArgumentError,
        match=r"indices\[0\] = \[0, 5\] does not index into param shape \[2,3\]",
    ):
        tf.gather_nd(x, [[0, 5]])
    with pytest.raises(InvalidArgumentError, match="innermost dimension length must be <= params"):
        tf.gather_nd(x, [[0, 0, 0]])
    with pytest.raises(
        InvalidArgumentError, match=r"indices\[0\] = \[5\] does not index into shape \[3\]"
    ):
        tf.scatter_nd([[5]], [1.0], [3])
    with pytest.raises(
        InvalidArgumentError, match=r"indices\[0\] = \[5\] does not index into shape \[2,3\]"
    ):
        tf.tensor_scatter_nd_update(x, [[5]], [[1.0, 2, 3]])
    with pytest.raises(InvalidArgumentError, match="The inner 1 dimensions of output.shape"):
        tf.tensor_scatter_nd_add(x, [[1]], [[1.0, 2]])
    np.testing.assert_array_equal(
        tf.gather_nd(x, [[0, 5], [1, 1]], bad_indices_policy="IGNORE").numpy(), [0.0, 4.0]
    )
    np.testing.assert_array_equal(
        tf.scatter_nd([[5], [1]], [1.0, 2.0], [3], bad_indices_policy="IGNORE").numpy(),
        [0.0, 2.0, 0.0],
    )


# ------------------------------------------------------------------ IndexedSlices


def test_gather_gradient_is_indexed_slices():
    p = tf.constant(np.arange(6.0).reshape(3, 2))
    with tf.GradientTape() as tape:
        tape.watch(p)
        y = tf.gather(p, [[0], [2], [0]])
    g = tape.gradient(y, p)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [0, 2, 0]
    assert g.values.shape.as_list() == [3, 2]
    assert g.dense_shape.numpy().tolist() == [3, 2] and g.dense_shape.dtype == tf.int32
    assert g.shape.as_list() == [3, 2] and g.dtype == tf.float64
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [[2, 2], [0, 0], [1, 1]])
    assert str(g).startswith("IndexedSlices(indices=tf.Tensor([0 2 0]")


def test_indexed_slices_aggregate_and_densify_on_the_tape():
    p = tf.constant(np.arange(6.0).reshape(3, 2))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(p)
        a = tf.gather(p, [0, 2, 0])
        b = tf.gather(p, [1])
        c = tf.gather(p + 0.0, [2]) * 3.0
    g = tape.gradient([a, b], p)  # two IndexedSlices: concatenated, still sparse
    assert isinstance(g, tf.IndexedSlices)
    assert sorted(g.indices.numpy().tolist()) == [0, 0, 1, 2]
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), [[2, 2], [1, 1], [1, 1]])
    g2 = tape.gradient([a, c], p)  # a dense op on the way: the sum is a dense tensor
    np.testing.assert_array_equal(np.asarray(tf.convert_to_tensor(g2)), [[2, 2], [0, 0], [4, 4]])


def test_gather_axis_and_batch_dims_gradients_are_dense():
    x = tf.constant(np.arange(6.0).reshape(3, 2))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y1 = tf.gather(x, [0, 1, 1], axis=1)
        y2 = tf.gather(x, [[0], [1], [1]], axis=1, batch_dims=1)
    g1, g2 = tape.gradient(y1, x), tape.gradient(y2, x)
    assert isinstance(g1, tf.Tensor) and isinstance(g2, tf.Tensor)
    np.testing.assert_array_equal(g1.numpy(), [[1, 2]] * 3)
    np.testing.assert_array_equal(g2.numpy(), [[1, 0], [0, 1], [0, 1]])


def test_indexed_slices_conversion_rules():
    s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))
    np.testing.assert_array_equal((-s).values.numpy(), [[-1.0, -2.0]])
    np.testing.assert_array_equal(tf.convert_to_tensor(s).numpy(), [[0, 0], [1, 2], [0, 0]])
    np.testing.assert_array_equal((tf.constant(1.0) + tf.convert_to_tensor(s)).numpy()[1], [2, 3])
    assert tf.is_tensor(s)
    with pytest.raises(ValueError, match="without dense_shape"):
        tf.convert_to_tensor(tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0])))
    with pytest.raises(ValueError, match="requested dtype int32 for IndexedSlices"):
        tf.convert_to_tensor(s, dtype=tf.int32)
    assert tf.IndexedSlices(tf.constant([[1.0]]), tf.constant([0])).shape.rank is None


# ------------------------------------------------------------------ sorting details


def test_sort_and_argsort_directions_are_stable():
    x = tf.constant([3.0, 1.0, 1.0, 2.0])
    assert tf.argsort(x).numpy().tolist() == [1, 2, 3, 0]
    assert tf.argsort(x, direction="DESCENDING").numpy().tolist() == [0, 3, 1, 2]
    u = tf.constant(np.array([3, 0, 255, 0], np.uint8))
    assert tf.sort(u).numpy().tolist() == [0, 0, 3, 255]
    assert tf.argsort(u).numpy().tolist() == [1, 3, 0, 2]
    i8 = tf.constant(np.array([-128, 127, 0], np.int8))
    assert tf.sort(i8, direction="DESCENDING").numpy().tolist() == [127, 0, -128]
    with pytest.raises(ValueError, match="Argument `direction` should be one of"):
        tf.sort(x, direction="UP")
    with pytest.raises(InvalidArgumentError, match="'T' of bool"):
        tf.sort(tf.constant([True, False]))


def test_unique_and_searchsorted():
    y, idx = tf.unique(tf.constant([3, 1, 3, 2]))
    assert y.numpy().tolist() == [3, 1, 2] and idx.numpy().tolist() == [0, 1, 0, 2]
    r = tf.unique_with_counts(tf.constant([3, 1, 3, 2]), out_idx=tf.int64)
    assert r.count.numpy().tolist() == [2, 1, 1] and r.idx.dtype == tf.int64
    with pytest.raises(InvalidArgumentError, match="unique expects a 1D vector."):
        tf.unique(tf.constant([[1, 2]]))
    out = tf.searchsorted([[1, 2, 3]], [[2, 5]], side="right")
    assert out.numpy().tolist() == [[2, 3]]
    with pytest.raises(InvalidArgumentError, match="Leading dim_size of both tensors must match."):
        tf.searchsorted([[1, 2, 3]], [[2, 5], [1, 1]])
    with pytest.raises(ValueError, match="Argument `side` must be either 'right' or 'left'"):
        tf.searchsorted([1, 2, 3], [2], side="middle")
    with pytest.raises(InvalidArgumentError, match="Need k >= 0, got -1"):
        tf.math.top_k([[1.0, 2.0]], k=-1)
    with pytest.raises(InvalidArgumentError, match="input must have at least k columns"):
        tf.math.top_k([1, 3, 2, 3], k=5)
