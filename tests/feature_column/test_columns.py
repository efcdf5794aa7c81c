"""tf.feature_column columns through DenseFeatures; expected values come from TensorFlow 2.21."""

import numpy as np
import pytest

import tensorflux as tf

fc = tf.feature_column


def _feats():
    return {
        "a": tf.constant([[1.0, 2.0], [3.0, 4.0]]),
        "p": tf.constant([[-1.0], [50.0]]),
        "s": tf.sparse.from_dense(tf.constant([["x", "yy"], ["zz", ""]])),
        "v": tf.constant([["a", "q"], ["c", ""]]),
        "v2": tf.constant([["b"], ["zz"]]),
        "id": tf.constant([[1], [7]]),
        "wt": tf.constant([[2.0, 3.0], [4.0, 0.0]]),
        "i": tf.constant([[3], [12345]], dtype=tf.int64),
    }


def _ramp(shape, dtype=None, partition_info=None):
    return tf.reshape(tf.range(int(np.prod(shape)), dtype=tf.float32) / 10.0, shape)


def _run(cols, feats=None):
    return tf.keras.layers.DenseFeatures(cols)(feats or _feats()).numpy().tolist()


V = fc.categorical_column_with_vocabulary_list("v", ["a", "b", "c"], num_oov_buckets=2)
H = fc.categorical_column_with_hash_bucket("s", 10)
B = fc.bucketized_column(fc.numeric_column("p"), [0.0, 10.0, 100.0])


def test_numeric_and_bucketized():
    assert _run([fc.numeric_column("a", shape=(2,))]) == [[1.0, 2.0], [3.0, 4.0]]
    assert _run([B]) == [[1, 0, 0, 0], [0, 0, 1, 0]]


def test_hash_bucket_ids_match_tf():
    out = _run([fc.indicator_column(H)])
    assert out == [[1, 0, 0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]]
    hi = fc.categorical_column_with_hash_bucket("i", 10, dtype=tf.int64)
    assert np.nonzero(_run([fc.indicator_column(hi)]))[1].tolist() == [1, 8]


def test_vocabulary_list_oov_and_default():
    assert _run([fc.indicator_column(V)]) == [[1, 0, 0, 0, 1], [0, 0, 1, 0, 0]]
    v2 = fc.categorical_column_with_vocabulary_list("v2", ["a", "b", "c"])
    assert _run([fc.indicator_column(v2)]) == [[0, 1, 0], [0, 0, 0]]


def test_identity_default_and_error():
    idc = fc.categorical_column_with_identity("id", 5, default_value=0)
    assert _run([fc.indicator_column(idc)]) == [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]]
    bad = fc.categorical_column_with_identity("id", 5)
    assert _run([fc.indicator_column(bad)]) == [[0, 1, 0, 0, 0], [0, 0, 0, 0, 0]]
    with pytest.raises(tf.errors.InvalidArgumentError):
        _run([fc.embedding_column(bad, 2)])


def test_crossed_ids_match_tf():
    x = fc.crossed_column(["s", V, B], 7)
    assert x.name == "p_bucketized_X_s_X_v"
    assert _run([fc.indicator_column(x)]) == [[0, 0, 0, 1, 1, 0, 2], [0, 0, 0, 1, 0, 0, 0]]
    feats = {"c1": tf.constant([["u"], ["w"]]), "c2": tf.constant([["k", "l"], ["m", "n"]]),
             "n": tf.constant([[10, 99], [20, -1]], dtype=tf.int64)}
    out = np.array(_run([fc.indicator_column(fc.crossed_column(["c1", "c2"], 100))], feats))
    assert np.nonzero(out)[1].tolist() == [2, 49, 72, 83]
    keyed = fc.crossed_column(["c1", "c2"], 50, hash_key=123)
    assert np.nonzero(_run([fc.indicator_column(keyed)], feats))[1].tolist() == [23, 49, 27, 35]
    nested = fc.crossed_column([fc.crossed_column(["c2", "c1"], 5), "n"], 40)
    got = np.nonzero(_run([fc.indicator_column(nested)], feats))[1].tolist()
    assert got == [4, 7, 17, 23, 5, 28, 31, 34]


def test_weighted_indicator_and_embeddings():
    w = fc.weighted_categorical_column(V, "wt")
    assert w.name == "v_weighted_by_wt"
    assert _run([fc.indicator_column(w)]) == [[2, 0, 0, 0, 3], [0, 0, 4, 0, 0]]
    cases = [
        (fc.embedding_column(H, 3, initializer=_ramp), [[1.05, 1.15, 1.25], [0.6, 0.7, 0.8]]),
        (fc.embedding_column(V, 2, "sqrtn", _ramp), [[0.5656854, 0.7071068], [0.4, 0.5]]),
        (fc.embedding_column(w, 2, "sum", _ramp), [[2.4, 2.9], [1.6, 2.0]]),
        (fc.embedding_column(w, 2, initializer=_ramp), [[0.48, 0.58], [0.4, 0.5]]),
    ]
    for col, want in cases:
        np.testing.assert_allclose(_run([col]), want, rtol=1e-5)


def test_vocabulary_file_and_int_vocab(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("apple\nbanana\ncherry\n")
    feats = {"f": tf.constant([["apple", "kiwi"], ["cherry", "zz"]]),
             "n": tf.constant([[10, 99], [20, -1]], dtype=tf.int64)}
    f3 = fc.categorical_column_with_vocabulary_file("f", str(path), num_oov_buckets=3)
    assert _run([fc.indicator_column(f3)], feats) == [[1, 0, 0, 0, 0, 1], [0, 0, 1, 0, 1, 0]]
    f2 = fc.categorical_column_with_vocabulary_file("f", str(path), vocabulary_size=2)
    assert _run([fc.indicator_column(f2)], feats) == [[1, 0], [0, 0]]
    n = fc.categorical_column_with_vocabulary_list("n", [10, 20, 30], num_oov_buckets=4)
    assert _run([fc.indicator_column(n)], feats) == [
        [1, 0, 0, 0, 0, 1, 0], [0, 1, 0, 0, 0, 0, 0]
    ]


def test_order_normalizer_and_rank1_inputs(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("apple\nbanana\ncherry\n")
    feats = {"z": tf.constant([[1.0], [2.0]]), "a": tf.constant([3.0, 4.0]),
             "f": tf.constant([["apple", "kiwi"], ["cherry", "zz"]]),
             "q": tf.constant([[0.5, 20.0], [15.0, -3.0]])}
    cols = [fc.numeric_column("z"), fc.numeric_column("a", normalizer_fn=lambda x: x * 2.0),
            fc.indicator_column(
                fc.categorical_column_with_vocabulary_file("f", str(path), num_oov_buckets=3))]
    assert _run(cols, feats) == [[6, 1, 0, 0, 0, 0, 1, 1], [8, 0, 0, 1, 0, 1, 0, 2]]
    q = fc.bucketized_column(fc.numeric_column("q", shape=(2,)), [1.0, 10.0])
    want = [[1, 0, 0, 0, 0, 1], [0, 0, 1, 1, 0, 0]]
    assert _run([q], feats) == want
    assert _run([fc.indicator_column(q)], feats) == want


def test_vocabulary_file_size_beyond_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\n")
    col = fc.categorical_column_with_vocabulary_file("f", str(path), vocabulary_size=5)
    assert col.num_buckets == 5
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected 5 lines"):
        _run([fc.indicator_column(col)], {"f": tf.constant([["a"]])})
    with pytest.raises(ValueError, match="Invalid vocabulary_size in f"):
        fc.categorical_column_with_vocabulary_file("f", str(path), vocabulary_size=0)
