"""SparseTensor elements in tf.data: slicing, batching, unbatching, maps and traced loops.

Expected values are TensorFlow 2.21's for the same programs.
"""

import numpy as np
import pytest

import tensorflux as tf


def _st():
    return tf.sparse.SparseTensor([[0, 0], [1, 2], [2, 1]], [1.0, 2.0, 3.0], [3, 4])


def _check(st, indices, values, shape):
    np.testing.assert_array_equal(st.indices.numpy(), indices)
    np.testing.assert_array_equal(st.values.numpy(), values)
    np.testing.assert_array_equal(st.dense_shape.numpy(), shape)


def test_slices_and_spec():
    ds = tf.data.Dataset.from_tensor_slices((_st(), tf.constant([1, 2, 3])))
    assert ds.element_spec == (tf.SparseTensorSpec([4], tf.float32), tf.TensorSpec([], tf.int32))
    s, y = list(ds)[1]
    _check(s, [[2]], [2.0], [4])
    assert int(y) == 2
    assert len(ds) == 3


def test_batch_takes_largest_dense_shape_and_unbatch_keeps_it():
    a = tf.data.Dataset.from_tensors(tf.sparse.SparseTensor([[0]], [1.0], [2]))
    b = tf.data.Dataset.from_tensors(tf.sparse.SparseTensor([[0], [4]], [1.0, 2.0], [5]))
    batched = a.concatenate(b).batch(2)
    assert batched.element_spec == tf.SparseTensorSpec([None, None], tf.float32)
    _check(list(batched)[0], [[0, 0], [1, 0], [1, 4]], [1.0, 1.0, 2.0], [2, 5])
    _check(list(batched.unbatch())[0], [[0]], [1.0], [5])


def test_map_in_and_out_and_parallel():
    ds = tf.data.Dataset.from_tensor_slices(_st())
    m = ds.map(lambda s: (tf.sparse.to_dense(s), tf.sparse.map_values(lambda v: v * 2, s)),
               num_parallel_calls=2)
    assert m.element_spec == (tf.TensorSpec([4], tf.float32), tf.SparseTensorSpec([4], tf.float32))
    dense, sp = list(m)[2]
    np.testing.assert_array_equal(dense.numpy(), [0, 3, 0, 0])
    _check(sp, [[1]], [6.0], [4])
    batched = list(m.batch(3))[0][1]
    _check(batched, [[0, 0], [1, 2], [2, 1]], [2.0, 4.0, 6.0], [3, 4])


def test_iteration_inside_tf_function():
    ds = tf.data.Dataset.from_tensor_slices((_st(), tf.constant([1, 2, 3])))

    @tf.function
    def total():
        acc = tf.constant(0.0)
        for s, y in ds:
            acc += tf.sparse.reduce_sum(s) * tf.cast(y, tf.float32)
        return acc

    assert float(total()) == 14.0
    it = iter(ds.batch(2))

    @tf.function
    def first():
        s, _ = next(it)
        return tf.sparse.to_dense(s)

    np.testing.assert_array_equal(first().numpy(), [[1, 0, 0, 0], [0, 0, 2, 0]])


def test_shuffle_cache_repeat_keep_sparse_elements():
    ds = tf.data.Dataset.from_tensor_slices(_st()).cache().repeat(2).shuffle(6, seed=1)
    sums = sorted(float(tf.sparse.reduce_sum(s)) for s in ds)
    assert sums == [1.0, 1.0, 2.0, 2.0, 3.0, 3.0]


def test_padded_batch_refuses_sparse():
    ds = tf.data.Dataset.from_tensor_slices(_st())
    with pytest.raises(TypeError, match="`padded_batch` is only supported for datasets that produce"):
        ds.padded_batch(2)


def test_sparse_batch_matches_tensorflow():
    ds = tf.data.Dataset.range(1, 5).map(lambda n: tf.range(n) * 2)
    fixed = ds.sparse_batch(3, [5])
    assert fixed.element_spec == tf.SparseTensorSpec([None, 5], tf.int64)
    _check(list(fixed)[0], [[0, 0], [1, 0], [1, 1], [2, 0], [2, 1], [2, 2]], [0, 0, 2, 0, 2, 4],
           [3, 5])
    free = list(ds.apply(tf.data.experimental.dense_to_sparse_batch(3, [None])))[1]
    _check(free, [[0, 0], [0, 1], [0, 2], [0, 3]], [0, 2, 4, 6], [1, 4])
    with pytest.raises(tf.errors.DataLossError, match=r"shape \(\[2\]\) that is larger than the row"):
        list(ds.sparse_batch(2, [1]))
    with pytest.raises(tf.errors.InvalidArgumentError, match="incompatible with the row shape"):
        list(ds.sparse_batch(2, [2, 2]))


def test_file_cache_and_save_refuse_sparse(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices(_st())
    with pytest.raises(NotImplementedError, match="cache\\(filename\\) of sparse"):
        ds.cache(str(tmp_path / "c"))
    with pytest.raises(NotImplementedError, match="save of sparse"):
        ds.save(str(tmp_path / "s"))
