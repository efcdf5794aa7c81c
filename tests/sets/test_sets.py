"""tf.sets against values and messages obtained from TensorFlow 2.21."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf

A = [[3, 1, 2, 1], [5, 5, 6, 7]]
B = [[1, 9], [7, 8]]


def _sp(x):
    assert isinstance(x, tf.SparseTensor)
    assert x.indices.dtype == tf.int64 and x.dense_shape.dtype == tf.int64
    return x.indices.numpy().tolist(), x.values.numpy().tolist(), x.dense_shape.numpy().tolist()


def _st(indices, values, shape, dtype=tf.int32):
    return tf.sparse.SparseTensor(indices, tf.constant(values, dtype), shape)


def test_dense_dense():
    a, b = tf.constant(A), tf.constant(B)
    assert _sp(tf.sets.difference(a, b)) == ([[0, 0], [0, 1], [1, 0], [1, 1]], [2, 3, 5, 6], [2, 2])
    assert _sp(tf.sets.difference(a, b, aminusb=False)) == ([[0, 0], [1, 0]], [9, 8], [2, 1])
    assert _sp(tf.sets.intersection(a, b)) == ([[0, 0], [1, 0]], [1, 7], [2, 1])
    assert _sp(tf.sets.union(a, b)) == (
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2], [1, 3]],
        [1, 2, 3, 9, 5, 6, 7, 8],
        [2, 4],
    )
    assert tf.sets.union(a, b).values.dtype == tf.int32


def test_rank3_and_empty():
    a3 = tf.constant([[[1, 2], [3, 3]], [[5, 4], [0, 0]]])
    b3 = tf.constant([[[2], [3]], [[9], [0]]])
    assert _sp(tf.sets.union(a3, b3)) == (
        [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 0, 1], [1, 0, 2], [1, 1, 0]],
        [1, 2, 3, 4, 5, 9, 0],
        [2, 2, 3],
    )
    assert _sp(tf.sets.intersection(a3, b3)) == (
        [[0, 0, 0], [0, 1, 0], [1, 1, 0]],
        [2, 3, 0],
        [2, 2, 1],
    )
    z0, z1 = tf.zeros([2, 0], tf.int32), tf.zeros([2, 1], tf.int32)
    assert _sp(tf.sets.intersection(z0, z0)) == ([], [], [2, 0])
    assert _sp(tf.sets.union(z0, z1)) == ([[0, 0], [1, 0]], [0, 0], [2, 1])


def test_dense_sparse_both_orders():
    a, b = tf.constant(A), tf.constant(B)
    s = _st([[0, 0], [0, 2], [1, 1]], [4, 2, 4], [2, 3])
    assert _sp(tf.sets.union(s, b)) == (
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2]],
        [1, 2, 4, 9, 4, 7, 8],
        [2, 4],
    )
    assert _sp(tf.sets.union(a, s)) == (
        [[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1], [1, 2], [1, 3]],
        [1, 2, 3, 4, 4, 5, 6, 7],
        [2, 4],
    )
    assert _sp(tf.sets.difference(a, s)) == ([[0, 0], [0, 1], [1, 0], [1, 1], [1, 2]],
                                             [1, 3, 5, 6, 7], [2, 3])  # fmt: skip
    assert _sp(tf.sets.difference(s, a)) == ([[0, 0], [1, 0]], [4, 4], [2, 1])
    assert _sp(tf.sets.intersection(s, s)) == ([[0, 0], [0, 1], [1, 0]], [2, 4, 4], [2, 2])
    one = _st([[0, 0]], [2], [1, 3])
    assert _sp(tf.sets.difference(tf.constant([[1, 2]]), one, aminusb=False)) == ([], [], [1, 0])
    assert _sp(tf.sets.difference(one, tf.constant([[1, 2]]))) == ([], [], [1, 0])


def test_sparse_sparse():
    s1 = _st([[0, 0], [0, 1]], [4, 2], [2, 3])
    s2 = _st([[0, 0], [1, 1]], [4, 2], [2, 4])
    assert _sp(tf.sets.union(s1, s2)) == ([[0, 0], [0, 1], [1, 0]], [2, 4, 2], [2, 2])
    x = _st([[1, 1], [1, 2]], [1, 2], [3, 3])
    y = _st([[1, 0]], [2], [3, 3])
    assert _sp(tf.sets.intersection(x, y)) == ([[1, 0]], [2], [3, 1])
    assert _sp(tf.sets.difference(x, y)) == ([[1, 0]], [1], [3, 1])
    assert _sp(tf.sets.difference(x, y, aminusb=False)) == ([], [], [3, 0])


def test_size():
    s = _st([[0, 0], [0, 2], [1, 1]], [4, 2, 4], [2, 3])
    np.testing.assert_array_equal(tf.sets.size(s).numpy(), [2, 1])
    assert tf.sets.size(s).dtype == tf.int32
    r3 = _st([[0, 0, 1], [1, 1, 0]], [1, 2], [2, 3, 4])
    np.testing.assert_array_equal(tf.sets.size(r3).numpy(), [[1, 0, 0], [0, 1, 0]])
    dup = _st([[0, 0], [0, 1]], [1, 1], [2, 3])  # repeated values count once
    np.testing.assert_array_equal(tf.sets.size(dup).numpy(), [1, 0])
    with pytest.raises(TypeError, match=r"Expected `SparseTensor`, got tf.Tensor\(\[3 1 2 3\]"):
        tf.sets.size(tf.constant([3, 1, 2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid rank 1."):
        tf.sets.size(_st([[0]], [1], [3]))


def test_strings_and_small_ints():
    u = tf.sets.union(tf.constant([["b", "a", "B", ""]]), tf.constant([["c"]]))
    assert _sp(u) == ([[0, 0], [0, 1], [0, 2], [0, 3], [0, 4]], [b"", b"B", b"a", b"b", b"c"],
                      [1, 5])  # fmt: skip
    u16 = tf.sets.union(tf.constant([[1, 2]], tf.uint16), tf.constant([[3]], tf.uint16))
    assert _sp(u16) == ([[0, 0], [0, 1], [0, 2]], [1, 2, 3], [1, 3])
    assert u16.values.dtype == tf.uint16


def test_validate_indices():
    us = _st([[0, 2], [0, 0]], [4, 2], [2, 3])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is out of "
                       "order. Many sparse ops require sorted indices."):  # fmt: skip
        tf.sets.size(us)
    with pytest.raises(tf.errors.InvalidArgumentError, match="DenseToSparseSetOperation"):
        tf.sets.union(tf.constant(A), us)
    np.testing.assert_array_equal(tf.sets.size(us, validate_indices=False).numpy(), [2, 0])
    assert _sp(tf.sets.union(us, us, validate_indices=False)) == ([[0, 0], [0, 1]], [2, 4], [2, 2])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"indices\[1\] = \[0,5\] is out of bounds: need 0 <= index < \[2,3\]",
    ):
        tf.sets.size(_st([[0, 0], [0, 5]], [1, 2], [2, 3]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,0\] is repeated"):
        tf.sets.size(_st([[0, 0], [0, 0]], [1, 2], [2, 3]))


def test_out_of_bounds_without_validation():
    s = _st([[0, 0], [0, 5]], [1, 2], [2, 3])
    with pytest.raises(tf.errors.InternalError, match=r"indices\[1, 1\] expected < 3, got 5."):
        tf.sets.size(s, validate_indices=False)


def test_errors():
    ia = tf.errors.InvalidArgumentError
    with pytest.raises(ia, match=r"Shape \[3\] has rank 1 < 2 \[Op:DenseToDenseSetOperation\]"):
        tf.sets.union(tf.constant([3, 1, 2]), tf.constant([5, 1]))
    with pytest.raises(ia, match=r"Mismatched shapes \[1\] vs \[2\]"):
        tf.sets.union(tf.constant([[1, 2]]), tf.constant([[1, 2, 3], [4, 5, 6]]))
    with pytest.raises(ia, match=r"Mismatched shapes \[1,1\] vs \[2\]"):
        tf.sets.union(tf.constant([[[1, 2]]]), tf.constant([[1, 2, 3], [4, 5, 6]]))
    s1, s4 = _st([[0, 0], [0, 1]], [4, 2], [2, 3]), _st([[0, 0], [0, 1]], [4, 2], [3, 3])
    with pytest.raises(ia, match=r"Mismatched shapes \[2\] vs \[3\] \[Op:SparseToSparseSet"):
        tf.sets.union(s1, s4)
    with pytest.raises(ia, match=r"Mismatched shapes \[3\] vs \[2\] \[Op:DenseToSparseSet"):
        tf.sets.union(tf.constant([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), s1)
    with pytest.raises(TypeError, match=r"'a' has invalid dtype `<dtype: 'float32'>` not in "):
        tf.sets.union(tf.constant([[1.0, 2.0]]), tf.constant([[1.0]]))
    with pytest.raises(TypeError, match=r"Types don't match, <dtype: 'int32'> vs <dtype: 'int64'>"):
        tf.sets.union(tf.constant([[1, 2]]), tf.constant([[1]], tf.int64))


def test_tf_function_and_static_shapes():
    seen = {}

    @tf.function
    def f(x, y):
        r = tf.sets.union(x, y)
        seen["shapes"] = (r.indices.shape, r.values.shape, r.dense_shape.shape)
        return r, tf.sets.size(tf.sparse.from_dense(x))

    r, size = f(tf.constant(A), tf.constant(B))
    assert seen["shapes"] == (tf.TensorShape([None, 2]), tf.TensorShape([None]),
                              tf.TensorShape([2]))  # fmt: skip
    assert _sp(r)[1] == [1, 2, 3, 9, 5, 6, 7, 8]
    np.testing.assert_array_equal(size.numpy(), [3, 3])


def test_not_differentiable():
    x = tf.constant([[1, 2]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        r = tf.sets.union(x, tf.constant([[3]]))
    assert tape.gradient(r.values, x) is None
