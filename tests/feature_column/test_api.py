"""Column reprs, names, parse specs and argument errors (TensorFlow 2.21's), and DenseFeatures
training."""

import re

import numpy as np
import pytest

import tensorflux as tf

fc = tf.feature_column
V = fc.categorical_column_with_vocabulary_list("v", ["a", "b", "c"], num_oov_buckets=2)


def test_reprs_names_and_specs():
    n = fc.numeric_column("a", shape=(2,), default_value=1.0)
    assert repr(n) == ("NumericColumn(key='a', shape=(2,), default_value=(1.0, 1.0), "
                       "dtype=tf.float32, normalizer_fn=None)")
    assert repr(V) == ("VocabularyListCategoricalColumn(key='v', vocabulary_list=('a', 'b', 'c'), "
                       "dtype=tf.string, default_value=-1, num_oov_buckets=2)")
    assert repr(fc.categorical_column_with_identity("id", 5, default_value=0)) == (
        "IdentityCategoricalColumn(key='id', number_buckets=5, default_value=0)")
    h = fc.categorical_column_with_hash_bucket("i", 10, dtype=tf.int64)
    assert repr(h) == "HashedCategoricalColumn(key='i', hash_bucket_size=10, dtype=tf.int64)"
    ints = fc.categorical_column_with_vocabulary_list("a", [1, 2])
    assert ints.dtype == tf.int64 and ints.num_buckets == 2
    b = fc.bucketized_column(fc.numeric_column("p"), [0.0, 10.0, 100.0])
    assert (b.name, b.num_buckets) == ("p_bucketized", 4)
    x = fc.crossed_column(["s", V, b], 7)
    assert x.name == "p_bucketized_X_s_X_v"
    assert fc.indicator_column(V).name == "v_indicator"
    assert fc.embedding_column(V, 3).name == "v_embedding"
    spec = fc.make_parse_example_spec([n, x, fc.weighted_categorical_column(V, "wt")])
    assert spec == {
        "a": tf.io.FixedLenFeature((2,), tf.float32, (1.0, 1.0)),
        "s": tf.io.VarLenFeature(tf.string), "v": tf.io.VarLenFeature(tf.string),
        "p": tf.io.FixedLenFeature((1,), tf.float32),
        "wt": tf.io.VarLenFeature(tf.float32),
    }


@pytest.mark.parametrize("make, message", [
    (lambda: fc.numeric_column(3), "key must be a string"),
    (lambda: fc.numeric_column("a", shape=(0,)), "shape dimensions must be greater than 0"),
    (lambda: fc.numeric_column("a", dtype=tf.string), "dtype must be convertible to float"),
    (lambda: fc.numeric_column("a", shape=(2,), default_value=(1.0, 2.0, 3.0)),
     "The shape of default_value must be equal to given shape"),
    (lambda: fc.bucketized_column("a", [1.0]), "source_column must be a column generated"),
    (lambda: fc.bucketized_column(fc.numeric_column("a"), [2.0, 1.0]), "must be a sorted list"),
    (lambda: fc.bucketized_column(fc.numeric_column("a"), []), "must not be empty"),
    (lambda: fc.categorical_column_with_hash_bucket("a", 10, dtype=tf.float32),
     "dtype must be string or integer"),
    (lambda: fc.categorical_column_with_identity("a", 0), "num_buckets 0 < 1"),
    (lambda: fc.categorical_column_with_identity("a", 3, default_value=5), "not in range [0, 3)"),
    (lambda: fc.categorical_column_with_vocabulary_list("a", []), "must be non-empty"),
    (lambda: fc.categorical_column_with_vocabulary_list("a", ["x", "x"]), "Duplicate keys"),
    (lambda: fc.categorical_column_with_vocabulary_list("a", ["x"], default_value=0,
                                                        num_oov_buckets=1), "Can't specify both"),
    (lambda: fc.categorical_column_with_vocabulary_list("a", ["x"], dtype=tf.int64),
     "do not match"),
    (lambda: fc.categorical_column_with_vocabulary_file("a", None), "Missing vocabulary_file"),
    (lambda: fc.categorical_column_with_vocabulary_file("a", "/nonexist.txt"), "does not exist"),
    (lambda: fc.crossed_column(["a"], 3), "length > 1"),
    (lambda: fc.crossed_column(["a", "b"], 0), "hash_bucket_size must be > 1"),
    (lambda: fc.crossed_column(["a", fc.numeric_column("b")], 3), "Unsupported key type"),
    (lambda: fc.crossed_column(["a", fc.categorical_column_with_hash_bucket("b", 3)], 3),
     "not supported for crossing"),
    (lambda: fc.indicator_column("a"), "Input must be a CategoricalColumn"),
    (lambda: fc.embedding_column(V, 0), "Invalid dimension 0"),
    (lambda: fc.embedding_column(V, 2, initializer=3), "initializer must be callable"),
    (lambda: fc.make_parse_example_spec(["a"]), "must be FeatureColumn instances"),
    (lambda: fc.make_parse_example_spec([fc.numeric_column("a"), fc.numeric_column("a", 2)]),
     "different parse_spec for key a"),
    (lambda: tf.keras.layers.DenseFeatures([V]), "must be a DenseColumn"),
])
def test_argument_errors(make, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make()


def test_unsupported_features():
    with pytest.raises(TypeError, match="normalizer_fn must be a callable"):
        fc.numeric_column("a", normalizer_fn=3)
    with pytest.raises(RuntimeError, match="not supported when eager"):
        fc.shared_embeddings([V], 4)
    layer = tf.keras.layers.DenseFeatures([fc.numeric_column("a")])
    with pytest.raises(ValueError, match="SparseTensor is not supported"):
        layer({"a": tf.sparse.from_dense(tf.constant([[1.0]]))})
    with pytest.raises(ValueError, match=r"The feature \(b\) is not in features dictionary"):
        tf.keras.layers.DenseFeatures([fc.numeric_column("b")])({"a": tf.constant([1.0])})


def test_dense_features_trains_in_fit():
    cols = [fc.numeric_column("x"),
            fc.embedding_column(fc.categorical_column_with_vocabulary_list("c", ["a", "b"]), 4),
            fc.indicator_column(fc.categorical_column_with_hash_bucket("h", 5))]
    layer = tf.keras.layers.DenseFeatures(cols)
    feats = {"x": np.array([[1.0], [2.0], [3.0], [4.0]], np.float32),
             "c": np.array([["a"], ["b"], ["a"], ["zz"]]), "h": np.array([["p"], ["q"], ["r"], ["s"]])}
    y = np.array([[1.0], [0.0], [1.0], [0.0]], np.float32)
    inputs = {"x": tf.keras.Input((1,), name="x"),
              "c": tf.keras.Input((1,), name="c", dtype="string"),
              "h": tf.keras.Input((1,), name="h", dtype="string")}
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(layer(inputs)))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
    table = layer.trainable_weights[0]
    assert tuple(table.shape) == (2, 4)
    before = table.numpy().copy()
    ds = tf.data.Dataset.from_tensor_slices((feats, y)).batch(2)
    history = model.fit(ds, epochs=2, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert not np.allclose(before, table.numpy())
    assert model.predict(ds, verbose=0).shape == (4, 1)
    with tf.GradientTape() as tape:
        out = layer({k: tf.constant(v) for k, v in feats.items()})
        loss = tf.reduce_sum(out)
    (grad,) = tape.gradient(loss, layer.trainable_weights)
    # Rows: 'a' twice, 'b' once; 'zz' is out of vocabulary and contributes nothing.
    np.testing.assert_allclose(tf.convert_to_tensor(grad).numpy(), [[2.0] * 4, [1.0] * 4])
    assert out.shape == (4, 10)


def test_parse_example_round_trip():
    cols = [fc.numeric_column("a"), fc.indicator_column(V)]
    ex = tf.train.Example(features=tf.train.Features(feature={
        "a": tf.train.Feature(float_list=tf.train.FloatList(value=[2.5])),
        "v": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"b", b"q"])),
    }))
    parsed = tf.io.parse_example([ex.SerializeToString()], fc.make_parse_example_spec(cols))
    out = tf.keras.layers.DenseFeatures(cols)(parsed).numpy().tolist()
    assert out == [[2.5, 0.0, 1.0, 0.0, 0.0, 1.0]]
