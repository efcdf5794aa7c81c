"""tf.lookup.experimental.MutableHashTable / DenseHashTable, and checkpoints of both."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf


def _table():
    m = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=-1)
    m.insert(tf.constant(["a", "b"]), tf.constant([1, 2], tf.int64))
    return m


def test_mutable_insert_lookup_remove_export():
    m = _table()
    assert m.key_dtype == tf.string and m.value_dtype == tf.int64
    assert m.lookup(tf.constant(["a", "c"])).numpy().tolist() == [1, -1]
    assert int(m.size()) == 2
    m.remove(tf.constant(["a", "zz"]))
    assert int(m.size()) == 1
    keys, values = m.export()
    assert keys.numpy().tolist() == [b"b"] and values.numpy().tolist() == [2]
    m.insert(["q"], [5])  # Python values convert to the table's dtypes
    assert m.lookup(tf.constant(["q"])).numpy().tolist() == [5]
    m.insert(["q"], [6])  # replaces
    assert m.lookup(tf.constant(["q"])).numpy().tolist() == [6]


def test_mutable_errors():
    m = _table()
    with pytest.raises(ValueError, match="^keys: Tensor conversion requested dtype string for "
                       "Tensor with dtype int32"):  # fmt: skip
        m.insert(tf.constant([1]), tf.constant([1], tf.int64))
    with pytest.raises(ValueError, match="^values: Tensor conversion requested dtype int64"):
        m.insert(tf.constant(["a"]), tf.constant([1], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected shape \[2\] for value, "
                       r"got \[1\]"):  # fmt: skip
        m.insert(tf.constant(["a", "b"]), tf.constant([1], tf.int64))
    with pytest.raises(TypeError, match="Dtype of argument `keys` must be <dtype: 'string'>"):
        m.remove(tf.constant([1]))
    with pytest.raises(TypeError, match="Dtype of argument `keys`"):
        m.lookup(tf.constant([1]))


def test_mutable_vector_values_and_dynamic_defaults():
    m = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, default_value=[0.0, 0.0])
    m.insert(tf.constant([1, 2], tf.int64), tf.constant([[1.0, 2.0], [3.0, 4.0]]))
    got = m.lookup(tf.constant([1, 5], tf.int64))
    np.testing.assert_array_equal(got.numpy(), [[1, 2], [0, 0]])
    dyn = m.lookup(tf.constant([1, 5], tf.int64),
                   dynamic_default_values=tf.constant([[9.0, 9.0], [8.0, 8.0]]))  # fmt: skip
    np.testing.assert_array_equal(dyn.numpy(), [[1, 2], [8, 8]])
    keys, values = m.export()
    assert values.shape == (2, 2) and sorted(keys.numpy().tolist()) == [1, 2]
    m1 = tf.lookup.experimental.MutableHashTable(tf.int64, tf.float32, default_value=0.0)
    assert m1.lookup(tf.constant([[1]], tf.int64)).shape == (1, 1)
    s = tf.lookup.experimental.MutableHashTable(tf.string, tf.string, "?")
    s.insert(["a"], ["b"])
    assert s.lookup(tf.constant(["a", "c"])).numpy().tolist() == [b"b", b"?"]


def test_mutable_inside_tf_function():
    m = _table()

    @tf.function
    def f(k, v):
        m.insert(k, v)
        return m.lookup(k), m.size()

    ids, size = f(tf.constant(["f1"]), tf.constant([11], tf.int64))
    assert ids.numpy().tolist() == [11] and int(size) == 3
    ids, size = f(tf.constant(["f2"]), tf.constant([12], tf.int64))  # the same trace runs again
    assert ids.numpy().tolist() == [12] and int(size) == 4

    @tf.function
    def g(k):
        m.remove(k)
        return m.size()

    assert int(g(tf.constant(["f1", "f2"]))) == 2


def test_dense_hash_table():
    d = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1
    )
    assert int(d.size()) == 0
    d.insert(tf.constant([1, 2, 3], tf.int64), tf.constant([10, 20, 30], tf.int64))
    assert d.lookup(tf.constant([1, 5], tf.int64)).numpy().tolist() == [10, -1]
    d.erase(tf.constant([1], tf.int64))
    assert int(d.size()) == 2
    assert d.lookup(tf.constant([1, 2], tf.int64)).numpy().tolist() == [-1, 20]
    keys, values = d.export()
    assert keys.shape == (131072, 1) and values.shape == (131072, 1)  # TensorFlow's bucket arrays
    live = {k: v for k, v in zip(keys.numpy()[:, 0], values.numpy()[:, 0]) if k not in (0, -1)}
    assert live == {2: 20, 3: 30}
    d.insert_or_assign([5], [6])
    assert d.lookup([5]).numpy().tolist() == [6]
    d.remove(tf.constant([5], tf.int64))
    assert int(d.size()) == 2


def test_dense_errors_and_growth():
    IAE = tf.errors.InvalidArgumentError
    d = tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, 0, -1)
    with pytest.raises(IAE, match="Using the empty_key as a table key is not allowed"):
        d.insert(tf.constant([0], tf.int64), tf.constant([1], tf.int64))
    with pytest.raises(IAE, match="Using the deleted_key as a table key is not allowed"):
        d.insert(tf.constant([-1], tf.int64), tf.constant([1], tf.int64))
    with pytest.raises(IAE, match="Using the empty_key as a table key is not allowed"):
        d.lookup(tf.constant([0], tf.int64))
    with pytest.raises(IAE, match="Empty and deleted keys cannot be equal"):
        tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, 0, 0)
    with pytest.raises(IAE, match="at least 4 and a power of 2, got: 3"):
        tf.lookup.experimental.DenseHashTable(tf.int64, tf.int64, -1, 0, -1, initial_num_buckets=3)
    s = tf.lookup.experimental.DenseHashTable(
        tf.string, tf.float32, default_value=0.0, empty_key="", deleted_key="$",
        initial_num_buckets=4,
    )  # fmt: skip
    s.insert(["a", "b", "c", "d", "e"], [1.0, 2.0, 3.0, 4.0, 5.0])
    assert int(s.size()) == 5 and s.export()[0].shape == (8, 1)  # grown as TensorFlow does
    assert s.lookup(["e", "q"]).numpy().tolist() == [5.0, 0.0]


def test_dense_vector_keys():
    d = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.int64, default_value=[-1, -1], empty_key=[0, 0], deleted_key=[-1, -1],
        initial_num_buckets=8,
    )  # fmt: skip
    d.insert([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    assert d.lookup([[1, 2], [9, 9]]).numpy().tolist() == [[5, 6], [-1, -1]]
    keys, values = d.export()
    assert keys.shape == (8, 2) and values.shape == (8, 2)
    assert keys.numpy()[3].tolist() == [1, 2]  # TensorFlow puts [1, 2] in bucket 3 too


def test_checkpoint_round_trip(tmp_path):
    m = _table()
    d = tf.lookup.experimental.DenseHashTable(
        tf.int64, tf.int64, default_value=-1, empty_key=0, deleted_key=-1, initial_num_buckets=16
    )
    d.insert(tf.constant([1, 2, 3], tf.int64), tf.constant([10, 20, 30], tf.int64))
    ck = tf.train.Checkpoint(m=m, d=d)
    path = ck.save(str(tmp_path / "ck"))
    names = dict(tf.train.list_variables(path))
    assert names["m/.ATTRIBUTES/table-keys"] == [2] and names["m/.ATTRIBUTES/table-values"] == [2]
    assert names["d/.ATTRIBUTES/table-keys"] == [16, 1]
    m.insert(tf.constant(["new"]), tf.constant([9], tf.int64))
    d.insert(tf.constant([7], tf.int64), tf.constant([70], tf.int64))
    ck.restore(path).assert_consumed()
    keys, values = m.export()
    assert dict(zip(keys.numpy().tolist(), values.numpy().tolist())) == {b"a": 1, b"b": 2}
    assert int(d.size()) == 3
    assert d.lookup(tf.constant([7, 2], tf.int64)).numpy().tolist() == [-1, 20]
    fresh = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, default_value=-1)
    tf.train.Checkpoint(m=fresh).restore(path).expect_partial()
    assert fresh.lookup(tf.constant(["b"])).numpy().tolist() == [2]


def test_checkpoint_false_and_static_tables_save_nothing(tmp_path):
    m = tf.lookup.experimental.MutableHashTable(tf.string, tf.int64, -1, checkpoint=False)
    s = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), -1)
    path = tf.train.Checkpoint(m=m, s=s).save(str(tmp_path / "ck"))
    assert [n for n, _ in tf.train.list_variables(path)] == [
        "save_counter/.ATTRIBUTES/VARIABLE_VALUE"
    ]
