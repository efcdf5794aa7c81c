"""Sequence columns through SequenceFeatures; expected values come from TensorFlow 2.21."""

import pytest

import tensorflux as tf
from tensorflux._src.feature_column.sequence_features import SequenceFeatures

fc = tf.feature_column
SV = fc.sequence_categorical_column_with_vocabulary_list("sv", ["a", "b"], num_oov_buckets=1)


def _feats():
    return {
        "sn": tf.sparse.SparseTensor([[0, 0], [0, 1], [0, 2], [0, 3], [1, 0], [1, 1]],
                                     [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [2, 4]),
        "sh": tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], ["x", "y", "z"], [2, 3]),
        "si": tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1], [1, 2]], [1, 3, 0, 2], [2, 3]),
        "sv": tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], ["a", "q", "b"], [2, 2]),
    }


def _run(cols, feats=None):
    dense, lengths = SequenceFeatures(cols)(feats or _feats())
    return dense.numpy().tolist(), lengths.numpy().tolist()


def test_reprs_and_specs():
    sn = fc.sequence_numeric_column("sn", shape=(2,))
    assert repr(sn) == ("SequenceNumericColumn(key='sn', shape=(2,), default_value=0.0, "
                        "dtype=tf.float32, normalizer_fn=None)")
    assert sn.parse_example_spec == {"sn": tf.io.VarLenFeature(tf.float32)}
    assert repr(SV) == (
        "SequenceCategoricalColumn(categorical_column=VocabularyListCategoricalColumn(key='sv', "
        "vocabulary_list=('a', 'b'), dtype=tf.string, default_value=-1, num_oov_buckets=1))")
    assert (SV.name, SV.num_buckets) == ("sv", 3)
    assert fc.indicator_column(SV).name == "sv_indicator"


def test_sequence_numeric():
    sn = fc.sequence_numeric_column("sn", shape=(2,))
    assert _run([sn]) == ([[[1, 2], [3, 4]], [[5, 6], [0, 0]]], [2, 1])
    d3 = {"sn3": tf.sparse.SparseTensor([[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]],
                                        [1.0, 2.0, 3.0, 4.0], [2, 2, 2])}
    assert _run([fc.sequence_numeric_column("sn3")], d3) == (
        [[[1], [2], [3], [0]], [[4], [0], [0], [0]]], [2, 1])


def test_sequence_indicators():
    sh = fc.sequence_categorical_column_with_hash_bucket("sh", 10)
    dense, lengths = _run([fc.indicator_column(sh)])
    assert [[row.index(1.0) if 1.0 in row else None for row in ex] for ex in dense] == [
        [0, 5, None], [7, None, None]]
    assert lengths == [2, 1]
    si = fc.sequence_categorical_column_with_identity("si", 4)
    assert _run([fc.indicator_column(si)]) == (
        [[[0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 1], [1, 0, 0, 0], [0, 0, 1, 0]]],
        [1, 3])
    assert _run([fc.indicator_column(SV)]) == ([[[1, 0, 0], [0, 0, 1]], [[0, 1, 0], [0, 0, 0]]],
                                               [2, 1])


def test_sequence_embedding_and_concat():
    def ramp(shape, dtype=None):
        return tf.reshape(tf.range(shape[0] * shape[1], dtype=tf.float32) / 10.0, shape)

    feats = dict(_feats(), sn2=tf.sparse.SparseTensor([[0, 0], [0, 1], [1, 0]], [7.0, 8.0, 9.0],
                                                      [2, 2]))
    layer = SequenceFeatures([fc.embedding_column(SV, 2, initializer=ramp),
                              fc.sequence_numeric_column("sn2")])
    with tf.GradientTape() as tape:
        dense, lengths = layer(feats)
        loss = tf.reduce_sum(dense)
    assert tape.gradient(loss, layer.trainable_weights)[0] is not None
    expected = [[[7.0, 0.0, 0.1], [8.0, 0.4, 0.5]], [[9.0, 0.2, 0.3], [0.0, 0.0, 0.0]]]
    for got_ex, want_ex in zip(dense.numpy().tolist(), expected):
        for got, want in zip(got_ex, want_ex):
            assert got == pytest.approx(want)
    assert lengths.numpy().tolist() == [2, 1]


def test_sequence_errors():
    with pytest.raises(ValueError, match="must not be of type SequenceCategoricalColumn"):
        tf.keras.layers.DenseFeatures([fc.indicator_column(SV)])(_feats())
    with pytest.raises(ValueError, match="SequenceDenseColumn"):
        SequenceFeatures([fc.numeric_column("a")])
    with pytest.raises(ValueError, match="dtype must be convertible to float"):
        fc.sequence_numeric_column("a", dtype=tf.string)
    with pytest.raises(tf.errors.InvalidArgumentError):
        _run([fc.sequence_numeric_column("sn", shape=(2,)),
              fc.indicator_column(fc.sequence_categorical_column_with_identity("si", 4))])
