"""tf.lookup tables: expected values were taken from TensorFlow 2.21."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf


def _kv():
    return tf.lookup.KeyValueTensorInitializer(
        tf.constant(["a", "b", "c"]), tf.constant([0, 1, 2], tf.int64)
    )


def test_static_hash_table_basics():
    t = tf.lookup.StaticHashTable(_kv(), default_value=-1)
    assert t.lookup(tf.constant(["a", "x", "c"])).numpy().tolist() == [0, -1, 2]
    assert int(t.size()) == 3
    assert t.key_dtype == tf.string and t.value_dtype == tf.int64
    assert int(t.default_value) == -1 and t.default_value.dtype == tf.int64
    assert t.resource_handle.dtype == tf.resource and t.resource_handle.shape == ()
    keys, values = t.export()
    assert dict(zip(keys.numpy().tolist(), values.numpy().tolist())) == {b"a": 0, b"b": 1, b"c": 2}
    out = t.lookup(tf.constant([[b"a"], [b"q"]]))
    assert out.shape == (2, 1) and out.numpy().tolist() == [[0], [-1]]


def test_initializer_dtypes():
    init = tf.lookup.KeyValueTensorInitializer([1, 2], [3.0, 4.0])
    assert init.key_dtype == tf.int32 and init.value_dtype == tf.float32
    t = tf.lookup.StaticHashTable(tf.lookup.KeyValueTensorInitializer([1, 2], [3, 4]), -1)
    assert t.lookup(tf.constant([1, 5])).numpy().tolist() == [3, -1]


def test_static_errors():
    t = tf.lookup.StaticHashTable(_kv(), default_value=-1)
    with pytest.raises(TypeError, match="Dtype of argument `keys` must be <dtype: 'string'>, "
                       "received: <dtype: 'int32'>"):  # fmt: skip
        t.lookup(tf.constant([1, 2]))
    with pytest.raises(TypeError, match="Cannot convert -1.0"):
        tf.lookup.StaticHashTable(_kv(), default_value=-1.0)
    dup = tf.lookup.KeyValueTensorInitializer(["a", "a"], [3, 4])
    with pytest.raises(tf.errors.FailedPreconditionError, match="Key a has 3 and trying to add "
                       "value 4"):  # fmt: skip
        tf.lookup.StaticHashTable(dup, -1)
    bad = tf.lookup.KeyValueTensorInitializer(["a", "b", "c"], [3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Expected shape \[3\] for value, "
                       r"got \[2\]"):  # fmt: skip
        tf.lookup.StaticHashTable(bad, -1)


def test_lookup_sparse():
    t = tf.lookup.StaticHashTable(_kv(), default_value=-1)
    sp = t.lookup(tf.sparse.from_dense(tf.constant([["a", ""], ["", "c"]])))
    assert sp.values.numpy().tolist() == [0, 2]
    assert sp.indices.numpy().tolist() == [[0, 0], [1, 1]]


def test_inside_tf_function_and_dataset_map():
    t = tf.lookup.StaticHashTable(_kv(), default_value=-1)

    @tf.function
    def f(x):
        return t.lookup(x), t.size()

    ids, size = f(tf.constant(["b", "zz"]))
    assert ids.numpy().tolist() == [1, -1] and int(size) == 3
    ds = tf.data.Dataset.from_tensor_slices(["a", "b", "q"]).map(t.lookup)
    assert [int(x) for x in ds.as_numpy_iterator()] == [0, 1, -1]


def test_static_vocabulary_table_strings():
    v = tf.lookup.StaticVocabularyTable(_kv(), num_oov_buckets=5)
    got = v.lookup(tf.constant(["a", "x", "c", "hello", "world", "zz", ""]))
    assert got.numpy().tolist() == [0, 3, 2, 4, 6, 5, 6]  # TensorFlow's ids
    assert int(v.size()) == 8
    assert v.key_dtype == tf.string and v.value_dtype == tf.int64


def test_static_vocabulary_table_ints():
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant([10, 20], tf.int64), tf.constant([0, 1], tf.int64)
    )
    vi = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=7)
    got = vi.lookup(tf.constant([10, 20, 30, -5, 12345678901], tf.int64))
    assert got.numpy().tolist() == [0, 1, 2, 2, 5]
    vi2 = tf.lookup.StaticVocabularyTable(init, num_oov_buckets=7, lookup_key_dtype=tf.int32)
    assert vi2.key_dtype == tf.int32
    assert vi2.lookup(tf.constant([10, 20, 30, -5], tf.int32)).numpy().tolist() == [0, 1, 2, 2]
    with pytest.raises(TypeError, match="must be <dtype: 'int32'>"):
        vi2.lookup(tf.constant([10], tf.int64))


def test_static_vocabulary_table_errors():
    with pytest.raises(ValueError, match="`num_oov_buckets` must be > 0; use StaticHashTable."):
        tf.lookup.StaticVocabularyTable(_kv(), num_oov_buckets=0)
    with pytest.raises(TypeError, match="Invalid `value_dtype`, expected <dtype: 'int64'> but "
                       "got <dtype: 'int32'>."):  # fmt: skip
        tf.lookup.StaticVocabularyTable(tf.lookup.KeyValueTensorInitializer(["a"], [1]), 3)
    with pytest.raises(TypeError, match="Invalid `key_dtype`, expected integer but got "
                       "<dtype: 'string'>."):  # fmt: skip
        tf.lookup.StaticVocabularyTable(_kv(), 3, lookup_key_dtype=tf.int32)


def test_vocabulary_table_in_function():
    v = tf.lookup.StaticVocabularyTable(_kv(), num_oov_buckets=5)
    f = tf.function(v.lookup)
    assert f(tf.constant(["hello", "a"])).numpy().tolist() == [4, 0]


@pytest.fixture
def vocab_file(tmp_path):
    p = tmp_path / "voc.txt"
    p.write_text("emerson 10\nlake 20\npalmer 30\n")
    return str(p)


def test_text_file_initializer_columns(vocab_file):
    ti = tf.lookup.TextFileInitializer(vocab_file, tf.string, 0, tf.int64, 1, delimiter=" ")
    assert ti.key_dtype == tf.string and ti.value_dtype == tf.int64
    t = tf.lookup.StaticHashTable(ti, -1)
    assert t.lookup(tf.constant(["emerson", "lake", "x"])).numpy().tolist() == [10, 20, -1]
    rev = tf.lookup.TextFileInitializer(vocab_file, tf.int64, 1, tf.string, 0, delimiter=" ")
    t2 = tf.lookup.StaticHashTable(rev, "UNK")
    got = t2.lookup(tf.constant([10, 30, 40], tf.int64)).numpy().tolist()
    assert got == [b"emerson", b"palmer", b"UNK"]


def test_text_file_initializer_whole_line(vocab_file):
    idx = tf.lookup.TextFileIndex
    assert (idx.WHOLE_LINE, idx.LINE_NUMBER) == (-2, -1)
    ti = tf.lookup.TextFileInitializer(
        vocab_file, tf.string, idx.WHOLE_LINE, tf.int64, idx.LINE_NUMBER
    )
    t = tf.lookup.StaticHashTable(ti, -1)
    assert t.lookup(tf.constant(["emerson 10", "lake 20", "x"])).numpy().tolist() == [0, 1, -1]
    ti = tf.lookup.TextFileInitializer(
        vocab_file, tf.string, 0, tf.int64, idx.LINE_NUMBER, delimiter=" ", vocab_size=2
    )
    t = tf.lookup.StaticHashTable(ti, -1)
    assert t.lookup(tf.constant(["emerson", "lake", "palmer"])).numpy().tolist() == [0, 1, -1]
    ti = tf.lookup.TextFileInitializer(
        vocab_file, tf.string, 0, tf.int64, -1, delimiter=" ", value_index_offset=5
    )
    assert tf.lookup.StaticHashTable(ti, -1).lookup(tf.constant(["lake"])).numpy().tolist() == [6]


def test_text_file_initializer_errors(vocab_file, tmp_path):
    IAE = tf.errors.InvalidArgumentError
    with pytest.raises(IAE, match="Invalid vocab_size in .*: expected 5 but got 3"):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            vocab_file, tf.string, 0, tf.int64, 1, delimiter=" ", vocab_size=5), -1)  # fmt: skip
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            str(tmp_path / "missing.txt"), tf.string, 0, tf.int64, 1), -1)  # fmt: skip
    with pytest.raises(IAE, match=r"line 0 \(emerson 10\) : expected at least 2 got 1"):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            vocab_file, tf.string, 0, tf.int64, 1), -1)  # fmt: skip
    with pytest.raises(IAE, match="Field emerson in line 0 is not a valid int64."):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            vocab_file, tf.string, 1, tf.int64, 0, delimiter=" "), -1)  # fmt: skip
    empty = tmp_path / "e.txt"
    empty.write_text("a\nb\n\nc\n")
    with pytest.raises(IAE, match="empty line found at position 5."):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            str(empty), tf.string, -2, tf.int64, -1), -1)  # fmt: skip
    with pytest.raises(ValueError, match="`key_dtype` must be int64 if `key_index` is -1"):
        tf.lookup.TextFileInitializer(vocab_file, tf.int32, -1, tf.int64, -2)
    with pytest.raises(ValueError, match="`key_index` should be >= -2, received: -3."):
        tf.lookup.TextFileInitializer(vocab_file, tf.string, -3, tf.int64, 0)
    dup = tmp_path / "d.txt"
    dup.write_text("a\nb\na\n")
    with pytest.raises(tf.errors.FailedPreconditionError, match="same key"):
        tf.lookup.StaticHashTable(tf.lookup.TextFileInitializer(
            str(dup), tf.string, -2, tf.int64, -1), -1)  # fmt: skip


def test_public_names():
    assert sorted(n for n in dir(tf.lookup) if not n.startswith("_")) == [
        "KeyValueTensorInitializer", "StaticHashTable", "StaticVocabularyTable", "TextFileIndex",
        "TextFileInitializer", "experimental",
    ]  # fmt: skip
    names = sorted(n for n in dir(tf.lookup.experimental) if not n.startswith("_"))
    assert names == ["DenseHashTable", "MutableHashTable"]


def test_graph_uses_tf_op_names():
    t = tf.lookup.StaticHashTable(_kv(), default_value=-1)

    @tf.function
    def f(x):
        return t.lookup(x), t.size()

    g = f.get_concrete_function(tf.TensorSpec([None], tf.string)).graph
    types = {op.type for op in g.get_operations()}
    assert {"LookupTableFindV2", "LookupTableSizeV2"} <= types
    out = [op for op in g.get_operations() if op.type == "LookupTableFindV2"][0].outputs[0]
    assert out.shape.as_list() == [None] and out.dtype == tf.int64


def test_np_keys_are_converted():
    t = tf.lookup.StaticHashTable(_kv(), default_value=-1)
    assert t.lookup(np.array([b"b"], dtype=object)).numpy().tolist() == [1]
