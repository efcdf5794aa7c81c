"""keras.layers.TextVectorization against Keras 3.15 (values taken from TensorFlow 2.21)."""

import numpy as np
import pytest

import tensorflux as tf

TV = tf.keras.layers.TextVectorization
DATA = ["The cat sat on the mat.", "The dog ate my homework!", "Cats, dogs & mats?", "the THE the"]


def test_int_mode_vocabulary_order_and_padding():
    layer = TV(max_tokens=12, output_sequence_length=6)
    layer.adapt(DATA)
    assert layer.get_vocabulary() == ["", "[UNK]", "the", "sat", "on", "my", "mats", "mat",
                                      "homework", "dogs", "dog", "cats"]
    out = layer(["the cat ate", "unknown words here and more and more"])
    assert out.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), [[2, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]])
    x = TV(vocabulary=["a", "b"], output_sequence_length=3)
    np.testing.assert_array_equal(x([["a b a b"], ["b"]]).numpy(), [[2, 3, 2], [3, 0, 0]])
    assert TV(ragged=True, vocabulary=["a", "b"])(["a b c", "b"]).to_list() == [[2, 3, 1], [3]]


def test_vector_modes():
    m = TV(output_mode="multi_hot", ngrams=2)
    m.adapt(tf.data.Dataset.from_tensor_slices(DATA).batch(2))
    assert m.vocabulary_size() == 25
    assert m.get_vocabulary()[:8] == ["[UNK]", "the", "the the", "the mat", "the dog", "the cat",
                                      "sat on", "sat"]
    got = m(["the cat sat"]).numpy()[0]
    assert got.tolist() == [0, 1, 0, 0, 0, 1, 0, 1] + [0] * 13 + [1, 1, 0, 0]
    t = TV(output_mode="tf_idf", max_tokens=8)
    t.adapt(DATA)
    np.testing.assert_allclose(t(["the cat the"]).numpy()[0, :2], [1.0407, 1.3863], atol=1e-4)
    c = TV(output_mode="count", split="character", standardize="lower")
    c.adapt(["abca", "bd"])
    assert c.get_vocabulary() == ["[UNK]", "b", "a", "d", "c"]
    assert c(["aab"]).numpy().tolist() == [[0, 1, 2, 0, 0]]
    for mode, dtype in [("multi_hot", tf.int64), ("count", tf.int64), ("tf_idf", tf.float32)]:
        layer = TV(output_mode=mode)
        layer.adapt(["good movie", "bad movie"])
        assert layer(["good"]).dtype == dtype


def test_config_round_trip_and_errors():
    layer = TV(max_tokens=12, output_sequence_length=6)
    layer.adapt(DATA)
    cfg = layer.get_config()
    assert {k: cfg[k] for k in ("max_tokens", "standardize", "split", "output_mode",
                                "output_sequence_length", "vocabulary_size")} == {
        "max_tokens": 12, "standardize": "lower_and_strip_punctuation", "split": "whitespace",
        "output_mode": "int", "output_sequence_length": 6, "vocabulary_size": 12}
    with pytest.raises(ValueError, match="`output_sequence_length` must not be set"):
        TV(output_mode="multi_hot", output_sequence_length=3)
    with pytest.raises(ValueError, match="`ngrams` must be None, an integer, or a tuple"):
        TV(ngrams=[1, 2])
    with pytest.raises(ValueError, match="the last shape dimension must be 1"):
        TV(vocabulary=["a"])([["a", "b"]])


def test_functional_model_fit_save_and_load(tmp_path):
    data = np.array(["good movie", "bad movie", "great film", "awful film", "good good", "bad bad"])
    y = np.array([1, 0, 1, 0, 1, 0])
    vec = TV(max_tokens=20, output_sequence_length=4)
    vec.adapt(data)
    inp = tf.keras.Input(shape=(1,), dtype="string")
    x = tf.keras.layers.Embedding(20, 4)(vec(inp))
    out = tf.keras.layers.Dense(1, activation="sigmoid")(tf.keras.layers.GlobalAveragePooling1D()(x))
    model = tf.keras.Model(inp, out)
    assert tuple(vec(inp).shape.as_list()) == (None, 4)
    model.compile("adam", "binary_crossentropy")
    model.fit(data[:, None], y, epochs=2, verbose=0)
    path = str(tmp_path / "tv.keras")
    model.save(path)
    back = tf.keras.models.load_model(path)
    np.testing.assert_allclose(model.predict(data[:, None], verbose=0),
                               back.predict(data[:, None], verbose=0), rtol=1e-6)
    assert back.layers[1].get_vocabulary()[:5] == ["", "[UNK]", "good", "bad", "movie"]
    ds = tf.data.Dataset.from_tensor_slices((data, y)).batch(2).map(lambda a, b: (vec(a), b))
    assert ds.element_spec[0] == tf.TensorSpec((None, 4), tf.int64)


def test_bad_choice_message():
    with pytest.raises(ValueError, match="Unknown value for `split` argument of TextVectorization"):
        TV(split="comma")
