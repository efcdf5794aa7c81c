"""tf.sparse ops against NumPy references on the dense values, plus TensorFlow's errors."""

import numpy as np
import pytest

import tensorflux as tf
import tensorflux.sparse as sparse
from tensorflux._src.sparse_tensor import SparseTensor

RNG = np.random.default_rng(0)


def _random_dense(shape, density=0.4, dtype=np.float32):
    x = RNG.uniform(-2, 2, size=shape).astype(dtype)
    x[RNG.random(shape) > density] = 0
    return x


def _from_np(x):
    idx = np.argwhere(x != 0)
    return SparseTensor(idx.astype(np.int64), x[tuple(idx.T)], list(x.shape))


def _np(sp):
    """The dense NumPy value of a SparseTensor (independent of tf.sparse.to_dense)."""
    shape = tuple(int(d) for d in sp.dense_shape.numpy())
    out = np.zeros(shape, dtype=sp.values.numpy().dtype)
    idx = sp.indices.numpy()
    if not shape:
        return np.asarray(sp.values.numpy().sum(), dtype=out.dtype)
    if len(idx):
        np.add.at(out, tuple(idx.T), sp.values.numpy())
    return out


def _sorted(sp) -> bool:
    idx = sp.indices.numpy()
    shape = sp.dense_shape.numpy()
    if idx.shape[1] == 0:
        return len(idx) <= 1
    lin = np.ravel_multi_index(tuple(idx.T), shape) if len(idx) else np.zeros(0)
    return bool(np.all(np.diff(lin) > 0))


# ------------------------------------------------------------------ conversions


def test_from_dense_and_to_dense_roundtrip():
    x = _random_dense((3, 4, 2))
    sp = sparse.from_dense(x)
    assert sp.shape == tf.TensorShape([3, 4, 2]) and _sorted(sp)
    np.testing.assert_array_equal(_np(sp), x)
    np.testing.assert_array_equal(sparse.to_dense(sp).numpy(), x)
    strings = sparse.from_dense(tf.constant(["a", "", "b"]))
    np.testing.assert_array_equal(strings.indices.numpy(), [[0], [2]])
    assert strings.values.numpy().tolist() == [b"a", b"b"]


def test_to_dense_default_value_and_empty():
    sp = SparseTensor([[0, 0], [1, 1]], [1, 2], [2, 2])
    np.testing.assert_array_equal(sparse.to_dense(sp, default_value=7).numpy(), [[1, 7], [7, 2]])
    empty = SparseTensor(tf.zeros([0, 2], tf.int64), tf.zeros([0]), [2, 2])
    np.testing.assert_array_equal(sparse.to_dense(empty).numpy(), np.zeros((2, 2)))
    assert sparse.to_dense(empty).dtype == tf.float32


@pytest.mark.parametrize(
    "indices, validate, msg",
    [
        (
            [[1, 0], [0, 1]],
            True,
            "indices[1] = [0,1] is out of order. Many sparse ops require sorted indices.\n    "
            "Use `tf.sparse.reorder` to create a correctly ordered copy.\n\n [Op:SparseToDense]",
        ),
        (
            [[0, 0], [2, 1]],
            True,
            "indices[1] = [2,1] is out of bounds: need 0 <= index < [2,2] [Op:SparseToDense]",
        ),
        ([[0, 0], [0, 0]], True, "indices[1] = [0,0] is repeated [Op:SparseToDense]"),
        (
            [[1, 0], [0, 5]],
            True,
            "indices[1] = [0,5] is out of bounds: need 0 <= index < [2,2] [Op:SparseToDense]",
        ),
        (
            [[0, 0], [0, 5]],
            False,
            "Indices are not valid (out of bounds).  Shape: [2,2] [Op:SparseToDense]",
        ),
    ],
)
def test_to_dense_validation_errors(indices, validate, msg):
    sp = SparseTensor(indices, [1.0, 2.0], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sparse.to_dense(sp, validate_indices=validate)
    assert str(e.value) == msg


def test_to_dense_unvalidated_accepts_unsorted():
    sp = SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [2, 2])
    np.testing.assert_array_equal(
        sparse.to_dense(sp, validate_indices=False).numpy(), [[0, 2], [1, 0]]
    )


def test_reorder():
    sp = SparseTensor([[1, 0], [0, 1], [0, 0]], [1, 2, 3], [2, 2])
    r = sparse.reorder(sp)
    np.testing.assert_array_equal(r.indices.numpy(), [[0, 0], [0, 1], [1, 0]])
    np.testing.assert_array_equal(r.values.numpy(), [3, 2, 1])
    np.testing.assert_array_equal(_np(r), _np(sp))


# ------------------------------------------------------------------ arithmetic


def test_add_sparse_sparse_threshold():
    a = SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    b = SparseTensor([[0, 0], [1, 0]], [-1.0, 0.5], [2, 2])
    s = sparse.add(a, b)
    np.testing.assert_array_equal(s.indices.numpy(), [[0, 0], [1, 0], [1, 1]])
    np.testing.assert_array_equal(s.values.numpy(), [0.0, 0.5, 2.0])
    # The threshold drops only summed entries (an entry from one input is always kept).
    t = sparse.add(a, b, threshold=0.6)
    np.testing.assert_array_equal(t.indices.numpy(), [[1, 0], [1, 1]])
    np.testing.assert_array_equal(t.values.numpy(), [0.5, 2.0])


def test_add_random_against_numpy():
    x, y = _random_dense((4, 5)), _random_dense((4, 5))
    s = sparse.add(_from_np(x), _from_np(y))
    assert _sorted(s)
    np.testing.assert_allclose(_np(s), x + y, rtol=1e-6)
    d = _random_dense((4, 5), density=1.0)
    np.testing.assert_allclose(sparse.add(_from_np(x), d).numpy(), x + d, rtol=1e-6)
    np.testing.assert_allclose(sparse.add(d, _from_np(x)).numpy(), x + d, rtol=1e-6)
    with pytest.raises(TypeError, match="At least one input should be SparseTensor"):
        sparse.add(d, d)


def test_maximum_minimum():
    a = SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    b = SparseTensor([[0, 0], [1, 0]], [-1.0, 0.5], [2, 2])
    mx, mn = sparse.maximum(a, b), sparse.minimum(a, b)
    np.testing.assert_array_equal(mx.indices.numpy(), [[0, 0], [1, 0], [1, 1]])
    np.testing.assert_array_equal(mx.values.numpy(), [1.0, 0.5, 2.0])
    np.testing.assert_array_equal(mn.values.numpy(), [-1.0, 0.0, 0.0])


def test_operators_with_dense():
    x = _random_dense((3, 4))
    sp = _from_np(x)
    row = RNG.uniform(1, 2, size=(1, 4)).astype(np.float32)
    np.testing.assert_allclose(_np(sp * row), x * row, rtol=1e-6)
    np.testing.assert_allclose(_np(sp * 2.0), x * 2, rtol=1e-6)
    np.testing.assert_allclose(_np(sp / row), np.where(x != 0, x / row, 0), rtol=1e-6)
    ints = SparseTensor([[0, 0]], [3], [2, 2]) / 2
    assert ints.dtype == tf.float64 and ints.values.numpy().tolist() == [1.5]
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sp * tf.ones([5, 3, 4])
    assert str(e.value) == (
        "SparseDenseBinaryOpShared broadcasts dense to sparse only; got incompatible shapes: "
        "[3,4] vs. [5,3,4] [Op:SparseDenseCwiseMul]"
    )
    with pytest.raises(TypeError):
        SparseTensor([[0, 0]], [3], [2, 2]) * 2.0
    for op in ("__add__", "__neg__", "__sub__", "__abs__"):  # TensorFlow defines none of these
        assert not hasattr(SparseTensor, op)


# ------------------------------------------------------------------ reductions


@pytest.mark.parametrize("axis", [None, 0, 1, -1, [0, 2]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reduce_sum(axis, keepdims):
    x = _random_dense((3, 4, 2))
    out = sparse.reduce_sum(_from_np(x), axis, keepdims=keepdims)
    ax = tuple(axis) if isinstance(axis, list) else axis
    np.testing.assert_allclose(out.numpy(), x.sum(axis=ax, keepdims=keepdims), rtol=1e-5)
    sp_out = sparse.reduce_sum(_from_np(x), axis, keepdims=keepdims, output_is_sparse=True)
    assert _sorted(sp_out)
    np.testing.assert_allclose(_np(sp_out), x.sum(axis=ax, keepdims=keepdims), rtol=1e-5)


def _stored_max(x, axis):
    masked = np.where(x != 0, x, -np.inf)
    m = masked.max(axis=axis)
    return np.where(np.isinf(m), 0, m)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_reduce_max_over_stored_entries(axis):
    x = -np.abs(_random_dense((4, 5)))  # all stored values negative: implicit zeros don't count
    out = sparse.reduce_max(_from_np(x), axis)
    np.testing.assert_allclose(out.numpy(), _stored_max(x, axis), rtol=1e-6)
    n = SparseTensor([[0, 0], [1, 1]], [-1.0, -2.0], [3, 2])
    s = sparse.reduce_max(n, 1, output_is_sparse=True)
    np.testing.assert_array_equal(s.indices.numpy(), [[0], [1]])
    np.testing.assert_array_equal(s.values.numpy(), [-1.0, -2.0])
    np.testing.assert_array_equal(s.dense_shape.numpy(), [3])


def test_softmax():
    sp = SparseTensor([[0, 0], [0, 2], [1, 1]], [1.0, 2.0, 3.0], [2, 3])
    out = sparse.softmax(sp)
    e = np.exp([1.0, 2.0])
    np.testing.assert_allclose(out.values.numpy(), [*(e / e.sum()), 1.0], rtol=1e-6)
    np.testing.assert_array_equal(out.indices.numpy(), sp.indices.numpy())


@pytest.mark.parametrize("adjoint_a", [False, True])
@pytest.mark.parametrize("adjoint_b", [False, True])
def test_sparse_dense_matmul(adjoint_a, adjoint_b):
    a = _random_dense((3, 4))
    b = RNG.uniform(-1, 1, size=(4, 2)).astype(np.float32)
    a_in = a.T.copy() if adjoint_a else a
    b_in = b.T.copy() if adjoint_b else b
    out = sparse.sparse_dense_matmul(_from_np(a_in), b_in, adjoint_a, adjoint_b)
    np.testing.assert_allclose(out.numpy(), a @ b, rtol=1e-5, atol=1e-6)
    # dense @ sparse
    c = RNG.uniform(-1, 1, size=(2, 3)).astype(np.float32)
    c_in = c.T.copy() if adjoint_a else c
    a2 = a.T.copy() if adjoint_b else a
    out2 = sparse.sparse_dense_matmul(c_in, _from_np(a2), adjoint_a, adjoint_b)
    np.testing.assert_allclose(out2.numpy(), c @ a, rtol=1e-5, atol=1e-6)


def test_sparse_dense_matmul_complex_adjoint():
    a = (_random_dense((3, 4)) + 1j * _random_dense((3, 4))).astype(np.complex64)
    b = (RNG.normal(size=(3, 2)) + 1j * RNG.normal(size=(3, 2))).astype(np.complex64)
    out = sparse.sparse_dense_matmul(_from_np(a), b, adjoint_a=True)
    np.testing.assert_allclose(out.numpy(), a.conj().T @ b, rtol=1e-5, atol=1e-5)


# ------------------------------------------------------------------ shape manipulation


def test_concat():
    x, y = _random_dense((2, 3)), _random_dense((4, 3))
    out = sparse.concat(0, [_from_np(x), _from_np(y)])
    assert _sorted(out)
    np.testing.assert_array_equal(_np(out), np.concatenate([x, y]))
    z = _random_dense((2, 5))
    out1 = sparse.concat(-1, [_from_np(x), _from_np(z)])
    assert _sorted(out1)
    np.testing.assert_array_equal(_np(out1), np.concatenate([x, z], axis=1))
    a = SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    b = SparseTensor([[0, 1]], [3.0], [1, 3])
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sparse.concat(0, [a, b])
    assert str(e.value) == (
        "Input shapes must match: expected 2 for dimension 1 but got 3 at position 1 "
        "[Op:SparseConcat]"
    )
    wide = sparse.concat(0, [a, b], expand_nonconcat_dims=True)
    np.testing.assert_array_equal(wide.dense_shape.numpy(), [3, 3])
    np.testing.assert_array_equal(wide.indices.numpy(), [[0, 0], [1, 1], [2, 1]])


def test_expand_dims_eye_retain():
    a = SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    for axis, want in ((-1, [2, 2, 1]), (0, [1, 2, 2]), (1, [2, 1, 2])):
        e = sparse.expand_dims(a, axis)
        np.testing.assert_array_equal(e.dense_shape.numpy(), want)
        np.testing.assert_array_equal(_np(e), np.reshape(_np(a), want))
        assert e.shape == tf.TensorShape(want)
    eye = sparse.eye(2, 3, dtype=tf.int32)
    assert eye.dtype == tf.int32
    np.testing.assert_array_equal(_np(eye), np.eye(2, 3))
    r = sparse.retain(a, [True, False])
    np.testing.assert_array_equal(r.indices.numpy(), [[0, 0]])
    np.testing.assert_array_equal(r.dense_shape.numpy(), [2, 2])


def test_fill_empty_rows():
    sp = SparseTensor([[0, 1], [2, 0]], [1.0, 2.0], [4, 3])
    out, empty = sparse.fill_empty_rows(sp, 9.0)
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 1], [1, 0], [2, 0], [3, 0]])
    np.testing.assert_array_equal(out.values.numpy(), [1.0, 9.0, 2.0, 9.0])
    np.testing.assert_array_equal(empty.numpy(), [False, True, False, True])


def test_mask():
    a = tf.IndexedSlices(tf.constant([[1.0], [2.0], [3.0]]), tf.constant([0, 2, 5]), [6, 1])
    m = sparse.mask(a, [2])
    assert isinstance(m, tf.IndexedSlices)
    np.testing.assert_array_equal(m.indices.numpy(), [0, 5])
    np.testing.assert_array_equal(m.values.numpy(), [[1.0], [3.0]])


def test_reset_shape():
    sp = SparseTensor([[0, 0], [0, 4], [1, 2]], [1.0, 2.0, 3.0], [4, 6])
    np.testing.assert_array_equal(sparse.reset_shape(sp).dense_shape.numpy(), [2, 5])
    np.testing.assert_array_equal(sparse.reset_shape(sp, [5, 7]).dense_shape.numpy(), [5, 7])
    with pytest.raises(ValueError) as e:
        sparse.reset_shape(sp, [3, 3])
    # TensorFlow's message, with the two shapes named the other way round.
    assert str(e.value) == (
        "Requested new_shape should have dimension sizes >= sp_input.shape.  Found new_shape "
        "([4 6]), sp_input.shape ([3 3])."
    )


def test_reshape():
    x = _random_dense((2, 6))
    for shape in ([3, 4], [4, -1], [2, 3, 2], [-1]):
        out = sparse.reshape(_from_np(x), shape)
        np.testing.assert_array_equal(_np(out), x.reshape(shape))
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        sparse.reshape(SparseTensor([[0, 0]], [1.0], [2, 5]), [3, -1])
    assert str(e.value) == (
        "Input to reshape is a SparseTensor with 10 dense values, but the requested shape "
        "requires a multiple of 3. input_shape=[2,5] output_shape=[3,1] [Op:SparseReshape]"
    )


def test_slice_and_split():
    x = _random_dense((4, 5))
    out = sparse.slice(_from_np(x), [1, 2], [2, 10])
    np.testing.assert_array_equal(_np(out), x[1:3, 2:])
    pieces = sparse.split(sp_input=_from_np(x), num_split=2, axis=1)
    np.testing.assert_array_equal(_np(pieces[0]), x[:, :3])
    np.testing.assert_array_equal(_np(pieces[1]), x[:, 3:])
    rows = sparse.split(sp_input=_from_np(x), num_split=3, axis=0)
    assert [int(p.dense_shape.numpy()[0]) for p in rows] == [2, 1, 1]


def test_transpose():
    x = _random_dense((2, 3, 4))
    for perm in (None, [2, 0, 1], [0, 2, 1]):
        out = sparse.transpose(_from_np(x), perm)
        assert _sorted(out)
        np.testing.assert_array_equal(_np(out), np.transpose(x, perm))
    assert sparse.transpose(_from_np(x)).shape == tf.TensorShape([4, 3, 2])


def test_to_indicator():
    sp = SparseTensor([[0, 0], [0, 1], [1, 0]], [2, 0, 1], [2, 2])
    out = sparse.to_indicator(sp, 3)
    assert out.dtype == tf.bool
    np.testing.assert_array_equal(out.numpy(), [[True, False, True], [False, True, False]])


def test_segment_ops():
    data = tf.constant([[1.0, 2], [3, 4], [5, 6]])
    idx, seg = [0, 2, 1], [0, 0, 1]
    np.testing.assert_allclose(sparse.segment_sum(data, idx, seg).numpy(), [[6.0, 8.0], [3.0, 4.0]])
    np.testing.assert_allclose(
        sparse.segment_mean(data, idx, [0, 0, 2]).numpy(), [[3.0, 4.0], [0, 0], [3.0, 4.0]]
    )
    out = sparse.segment_sqrt_n(data, idx, seg, num_segments=4)
    want = [[6 / np.sqrt(2), 8 / np.sqrt(2)], [3.0, 4.0], [0, 0], [0, 0]]
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-6)


def test_map_values():
    a = SparseTensor([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    out = sparse.map_values(tf.math.add, a, 10.0)
    np.testing.assert_array_equal(out.values.numpy(), [11.0, 12.0])
    both = sparse.map_values(tf.math.multiply, a, a)
    np.testing.assert_array_equal(both.values.numpy(), [1.0, 4.0])
    with pytest.raises(ValueError):
        sparse.map_values(tf.math.add, 1.0, 2.0)
    with pytest.raises(tf.errors.InvalidArgumentError):
        sparse.map_values(tf.math.add, a, SparseTensor([[0, 1], [1, 1]], [1.0, 2.0], [2, 2]))


@pytest.mark.parametrize(
    "call, msg",
    [
        (
            lambda a: sparse.sparse_dense_matmul(a, tf.ones([4, 2])),
            "Cannot multiply A and B because inner dimension does not match: 3 vs. 4.  Did you "
            "forget a transpose?  Dimensions of A: [2, 3).  Dimensions of B: [4,2] "
            "[Op:SparseTensorDenseMatMul]",
        ),
        (
            lambda a: sparse.reduce_sum(a, 3),
            "Invalid reduction dimension 3, for input with 2 dimensions. [Op:SparseReduceSum]",
        ),
        (
            lambda a: sparse.add(a, SparseTensor([[0, 0]], [1.0], [2, 4])),
            "Operands' shapes do not match: got 3 and 4 for dimension 1 [Op:SparseAdd]",
        ),
    ],
)
def test_tensorflow_error_messages(call, msg):
    a = SparseTensor([[0, 0]], [1.0], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError) as e:
        call(a)
    assert str(e.value) == msg


def test_bincount():
    x = RNG.integers(0, 6, size=(3, 5)).astype(np.int32)
    out = sparse.bincount(tf.constant(x))
    assert out.dtype == tf.int32 and _sorted(out)
    np.testing.assert_array_equal(_np(out), np.bincount(x.ravel()))
    rows = sparse.bincount(tf.constant(x), axis=-1, minlength=8)
    want = np.stack([np.bincount(r, minlength=8) for r in x])
    np.testing.assert_array_equal(_np(rows), want)
    w = RNG.uniform(size=x.shape).astype(np.float32)
    weighted = sparse.bincount(tf.constant(x), weights=tf.constant(w), maxlength=4)
    ref = np.bincount(x.ravel(), weights=w.ravel())[:4]
    np.testing.assert_allclose(_np(weighted), ref[: int(weighted.dense_shape.numpy()[0])], 1e-5)
    binary = sparse.bincount(tf.constant(x), binary_output=True)
    np.testing.assert_array_equal(_np(binary), (np.bincount(x.ravel()) > 0).astype(np.int32))


def test_cross():
    st = SparseTensor([[0, 0], [0, 1], [1, 0]], ["a", "b", "c"], [2, 2])
    d = tf.constant([["d", "e"], ["f", "g"]])
    out = sparse.cross([d, st])  # sparse inputs come first in each combination
    np.testing.assert_array_equal(
        out.indices.numpy(), [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1]]
    )
    assert out.values.numpy().tolist() == [
        b"a_X_d",
        b"a_X_e",
        b"b_X_d",
        b"b_X_e",
        b"c_X_f",
        b"c_X_g",
    ]
    np.testing.assert_array_equal(out.dense_shape.numpy(), [2, 4])
    ints = sparse.cross([tf.constant([[1], [2]], tf.int64), st], separator="-")
    assert ints.values.numpy().tolist() == [b"a-1", b"b-1", b"c-2"]
    traced = tf.function(lambda a, b: sparse.cross([a, b]))(st, d)
    assert traced.values.numpy().tolist() == out.values.numpy().tolist()
    with pytest.raises(TypeError):
        sparse.cross([tf.constant([[1.0]])])


def test_cross_hashed_matches_tensorflow_buckets():
    st = SparseTensor([[0, 0], [0, 1], [1, 0]], ["a", "b", "c"], [2, 2])
    d = tf.constant([["d", "e"], ["f", "g"]])
    # Values printed by TensorFlow 2.21 for the same calls.
    assert sparse.cross_hashed([st, d], num_buckets=100).values.numpy().tolist() == [
        82, 17, 54, 61, 68, 89,
    ]  # fmt: skip
    assert sparse.cross_hashed([st, d]).values.numpy().tolist() == [
        1584069791037555375, 3927666362714511010, 2292520902626215647, 4171697120956746554,
        4546572711251652368, 857586637149637889,
    ]  # fmt: skip
    ints = tf.constant([[1], [2]], tf.int64)
    out = sparse.cross_hashed([st, ints], num_buckets=1000, hash_key=7)
    assert out.values.numpy().tolist() == [477, 852, 919]
    neg = sparse.cross_hashed([tf.constant([[-5, 3]], tf.int64), tf.constant([["x"]])], 997)
    assert neg.values.numpy().tolist() == [861, 896]
    np.testing.assert_array_equal(out.indices.numpy(), [[0, 0], [0, 1], [1, 0]])
