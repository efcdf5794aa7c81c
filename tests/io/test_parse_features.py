"""VarLenFeature / SparseFeature parsing and SequenceExample parsing, against TensorFlow 2.21's output."""

import numpy as np
import pytest

import tensorflux as tf

F = tf.train


def _ex(**kw):
    feats = {}
    for k, v in kw.items():
        if isinstance(v[0], float):
            feats[k] = F.Feature(float_list=F.FloatList(value=v))
        elif isinstance(v[0], int):
            feats[k] = F.Feature(int64_list=F.Int64List(value=v))
        else:
            feats[k] = F.Feature(bytes_list=F.BytesList(value=v))
    return F.Example(features=F.Features(feature=feats)).SerializeToString()


RECORDS = [_ex(a=[1, 2, 3], i=[3, 0], v=[1.5, 2.5], w=[b"x"]), _ex(a=[4], i=[1], v=[9.0], w=[b"y", b"z"]),
           _ex(i=[2], v=[7.0])]


def _check(st, indices, values, shape):
    np.testing.assert_array_equal(st.indices.numpy(), indices)
    np.testing.assert_array_equal(st.values.numpy(), values)
    np.testing.assert_array_equal(st.dense_shape.numpy(), shape)


def test_varlen_and_sparse_feature_batch():
    r = tf.io.parse_example(RECORDS, {"a": tf.io.VarLenFeature(tf.int64),
                                      "sp": tf.io.SparseFeature("i", "v", tf.float32, 5),
                                      "w": tf.io.VarLenFeature(tf.string)})
    _check(r["a"], [[0, 0], [0, 1], [0, 2], [1, 0]], [1, 2, 3, 4], [3, 3])
    _check(r["sp"], [[0, 0], [0, 3], [1, 1], [2, 2]], [2.5, 1.5, 9.0, 7.0], [3, 5])
    _check(r["w"], [[0, 0], [1, 0], [1, 1]], [b"x", b"y", b"z"], [3, 2])
    assert r["a"].dtype == tf.int64 and r["w"].dtype == tf.string


def test_single_example_and_sorting_options():
    r = tf.io.parse_single_example(RECORDS[0], {"a": tf.io.VarLenFeature(tf.int64),
                                                "sp": tf.io.SparseFeature("i", "v", tf.float32, 5)})
    _check(r["a"], [[0], [1], [2]], [1, 2, 3], [3])
    _check(r["sp"], [[0], [3]], [2.5, 1.5], [5])
    kept = tf.io.parse_example(RECORDS[:2], {"sp": tf.io.SparseFeature("i", "v", tf.float32, 5,
                                                                       already_sorted=True)})
    _check(kept["sp"], [[0, 3], [0, 0], [1, 1]], [1.5, 2.5, 9.0], [2, 5])
    multi = tf.io.parse_example(RECORDS[:1], {"sp": tf.io.SparseFeature(["i", "i"], "v", tf.float32,
                                                                        [5, 4])})
    _check(multi["sp"], [[0, 0, 0], [0, 3, 3]], [2.5, 1.5], [1, 5, 4])


def test_sparse_parsing_in_function_and_dataset():
    spec = {"a": tf.io.VarLenFeature(tf.int64)}

    @tf.function
    def f(s):
        return tf.sparse.to_dense(tf.io.parse_example(s, spec)["a"])

    np.testing.assert_array_equal(f(tf.constant(RECORDS)).numpy(), [[1, 2, 3], [4, 0, 0], [0, 0, 0]])
    ds = tf.data.Dataset.from_tensor_slices(RECORDS).map(
        lambda s: tf.sparse.to_dense(tf.io.parse_single_example(s, spec)["a"]))
    assert [x.tolist() for x in ds.as_numpy_iterator()] == [[1, 2, 3], [4], []]


def test_type_mismatch_is_invalid_argument():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Data types don't match"):
        tf.io.parse_example(RECORDS, {"a": tf.io.VarLenFeature(tf.float32)})


def _seq(ctx_len, toks):
    ctx = F.Features(feature={"len": F.Feature(int64_list=F.Int64List(value=[ctx_len]))})
    fl = F.FeatureLists(feature_list={
        "tok": F.FeatureList(feature=[F.Feature(int64_list=F.Int64List(value=t)) for t in toks]),
        "emb": F.FeatureList(feature=[F.Feature(float_list=F.FloatList(value=[float(t[0]), 0.5]))
                                      for t in toks])})
    return F.SequenceExample(context=ctx, feature_lists=fl).SerializeToString()


SEQS = [_seq(2, [[1], [2, 3]]), _seq(1, [[4]])]
CTX = {"len": tf.io.FixedLenFeature([], tf.int64)}
SEQ_FEATURES = {"tok": tf.io.VarLenFeature(tf.int64),
                "emb": tf.io.FixedLenSequenceFeature([2], tf.float32)}


def test_parse_sequence_example_batch():
    c, q, lengths = tf.io.parse_sequence_example(SEQS, context_features=CTX,
                                                 sequence_features=SEQ_FEATURES)
    np.testing.assert_array_equal(c["len"].numpy(), [2, 1])
    _check(q["tok"], [[0, 0, 0], [0, 1, 0], [0, 1, 1], [1, 0, 0]], [1, 2, 3, 4], [2, 2, 2])
    np.testing.assert_array_equal(q["emb"].numpy(), [[[1, 0.5], [2, 0.5]], [[4, 0.5], [0, 0]]])
    assert set(lengths) == {"emb"}
    np.testing.assert_array_equal(lengths["emb"].numpy(), [2, 1])


def test_parse_single_sequence_example():
    c, q = tf.io.parse_single_sequence_example(SEQS[0], context_features=CTX,
                                               sequence_features=SEQ_FEATURES)
    assert int(c["len"]) == 2
    _check(q["tok"], [[0, 0], [1, 0], [1, 1]], [1, 2, 3], [2, 2])
    np.testing.assert_array_equal(q["emb"].numpy(), [[1, 0.5], [2, 0.5]])


def test_sequence_errors_and_missing_lists():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Feature list 'missing' is required"):
        tf.io.parse_sequence_example(
            SEQS, sequence_features={"missing": tf.io.FixedLenSequenceFeature([2], tf.float32)})
    _, q, n = tf.io.parse_sequence_example(SEQS, sequence_features={
        "missing": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True)})
    assert q["missing"].shape == (2, 0, 2)
    np.testing.assert_array_equal(n["missing"].numpy(), [0, 0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key: tok, Index: 1.  Number of values"):
        tf.io.parse_sequence_example(SEQS, sequence_features={
            "tok": tf.io.FixedLenSequenceFeature([], tf.int64)})
    with pytest.raises(ValueError, match="at least one should have values"):
        tf.io.parse_sequence_example(SEQS)


def test_sequence_parsing_traced():
    @tf.function
    def f(s):
        return tf.io.parse_sequence_example(s, context_features=CTX,
                                            sequence_features=SEQ_FEATURES)[1]["emb"]

    out = f(tf.constant(SEQS))
    assert out.shape == (2, 2, 2)
    assert f.get_concrete_function(tf.TensorSpec([None], tf.string)).outputs[0].shape.as_list() == [None, None, 2]


RAGGED = [_ex(v=[1, 2, 3, 4, 5], lens=[2, 3], sp=[0, 1, 5]), _ex(v=[6], lens=[1], sp=[0, 1]),
          _ex(lens=[0], sp=[0])]
RF = tf.io.RaggedFeature


def test_ragged_feature_batch_and_partitions():
    r = tf.io.parse_example(RAGGED, {"v": RF(tf.int64)})["v"]
    assert r.to_list() == [[1, 2, 3, 4, 5], [6], []]
    assert r.row_splits.dtype == tf.int32
    r = tf.io.parse_example(RAGGED, {"r": RF(tf.int64, value_key="v",
                                              partitions=[RF.RowLengths("lens")])})["r"]
    assert r.to_list() == [[[1, 2], [3, 4, 5]], [[6]], [[]]]
    r = tf.io.parse_example(RAGGED[:2], {"r": RF(tf.int64, value_key="v",
                                                  partitions=[RF.RowSplits("sp")],
                                                  row_splits_dtype=tf.int64)})["r"]
    assert r.to_list() == [[[1], [2, 3, 4, 5]], [[6]]]
    assert r.row_splits.dtype == tf.int64
    r = tf.io.parse_example(RAGGED[:2], {"r": RF(tf.int64, value_key="v",
                                                  partitions=[RF.UniformRowLength(1)])})["r"]
    assert r.to_list() == [[[1], [2], [3], [4], [5]], [[6]]]
    assert repr(RF.RowSplits("x")) == "RowSplits(key='x')"


def test_ragged_feature_single_example():
    v = tf.io.parse_single_example(RAGGED[0], {"v": RF(tf.int64)})["v"]
    assert isinstance(v, tf.Tensor) and v.numpy().tolist() == [1, 2, 3, 4, 5]
    r = tf.io.parse_single_example(RAGGED[0], {"r": RF(tf.int64, value_key="v",
                                                        partitions=[RF.RowLengths("lens")])})
    assert r["r"].to_list() == [[1, 2], [3, 4, 5]]


def test_ragged_feature_traced_and_bad_partition():
    spec = {"r": RF(tf.int64, value_key="v", partitions=[RF.RowLengths("lens")])}

    @tf.function
    def f(s):
        return tf.io.parse_example(s, spec)["r"].flat_values

    assert f(tf.constant(RAGGED)).numpy().tolist() == [1, 2, 3, 4, 5, 6]
    bad = [_ex(v=[1, 2], lens=[5])]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid RowLengths partition"):
        tf.io.parse_example(bad, spec)
