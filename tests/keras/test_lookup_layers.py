"""StringLookup, IntegerLookup and Hashing; expected values were printed by TF 2.21's tf.keras
(Keras 3.15.1)."""

from __future__ import annotations

import zipfile

import numpy as np
import pytest

import tensorflux as tf
from tests.keras.layer_test import run_layer_test

K = tf.keras.layers
VOCAB = ["a", "b", "c"]


def _ids(t):
    return t.numpy().tolist()


def test_string_lookup_layer_test():
    data = np.array([["a", "x"], ["c", "b"]], dtype=object)
    layer = run_layer_test(
        K.StringLookup, {"vocabulary": VOCAB}, input_data=data, expected_output_shape=(2, 2),
        expected_output_dtype="int64", expected_num_trainable_weights=0,
        run_mixed_precision_check=False, run_symbolic_check=False,  # the helper's Input: numbers
    )  # fmt: skip
    assert _ids(layer(tf.constant(data))) == [[1, 0], [3, 2]]


def test_string_lookup_basics_and_config():
    layer = K.StringLookup(vocabulary=VOCAB)
    assert _ids(layer(tf.constant([["a", "x"], ["c", "b"]]))) == [[1, 0], [3, 2]]
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert layer.get_vocabulary(include_special_tokens=False) == VOCAB
    assert layer.vocabulary_size() == 4
    cfg = layer.get_config()
    assert list(cfg)[3:] == [
        "invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token", "output_mode",
        "sparse", "pad_to_max_tokens", "idf_weights", "vocabulary", "vocabulary_size",
        "oov_method", "salt", "encoding",
    ]  # fmt: skip
    assert cfg["vocabulary"] == VOCAB and cfg["vocabulary_size"] == 4
    assert layer.compute_output_shape((None, 2)) == (None, 2)
    assert repr(K.StringLookup()).endswith("built=False>")


def test_string_lookup_adapt():
    layer = K.StringLookup()
    layer.adapt(["b", "a", "b", "c", "c", "c", "d", "a"])
    assert layer.get_vocabulary() == ["[UNK]", "c", "b", "a", "d"]  # count, then term, descending
    assert layer.get_config()["vocabulary"] is None
    assert layer.get_config()["vocabulary_size"] == 5
    layer.adapt(tf.data.Dataset.from_tensor_slices([["z", "y"], ["z", "w"]]).batch(1))
    assert layer.get_vocabulary() == ["[UNK]", "z", "y", "w"]
    capped = K.StringLookup(max_tokens=3)
    capped.adapt(["a", "a", "b", "b", "b", "c"])
    assert capped.get_vocabulary() == ["[UNK]", "b", "a"]


def test_string_lookup_mask_oov_and_invert():
    layer = K.StringLookup(vocabulary=VOCAB, mask_token="", num_oov_indices=2)
    assert _ids(layer(tf.constant(["a", "", "x", "zz", "q"]))) == [3, 0, 1, 1, 2]
    assert layer.get_vocabulary() == ["", "[UNK]", "[UNK]", "a", "b", "c"]
    assert layer.vocabulary_size() == 6
    inv = K.StringLookup(vocabulary=VOCAB, invert=True)
    assert _ids(inv(tf.constant([0, 1, 3, 7]))) == [b"[UNK]", b"a", b"c", b"[UNK]"]
    inv = K.StringLookup(vocabulary=VOCAB, mask_token="", invert=True)
    assert _ids(inv(tf.constant([0, 1, 3]))) == [b"", b"[UNK]", b"b"]
    three = K.StringLookup(vocabulary=["a", "b"], num_oov_indices=3)
    assert _ids(three(tf.constant(["a", "q", "r", "s", "t"]))) == [3, 2, 1, 1, 1]
    salted = K.StringLookup(vocabulary=["a", "b"], num_oov_indices=3, salt=5)
    assert _ids(salted(tf.constant(["a", "q", "r", "s", "t"]))) == [3, 1, 1, 0, 0]
    assert _ids(K.StringLookup(vocabulary=["a", "b"], mask_token="")(tf.constant("a"))) == 2


@pytest.mark.parametrize("mode, matrix, vector", [
    ("one_hot", [[[0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]],
                 [[1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 1]]],
     [[0, 1, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]),
    ("multi_hot", [[0, 1, 1, 0], [1, 0, 0, 1]], [0, 1, 1, 0]),
    ("count", [[0, 2, 1, 0], [1, 0, 0, 2]], [0, 2, 1, 0]),
])  # fmt: skip
def test_string_lookup_encodings(mode, matrix, vector):
    layer = K.StringLookup(vocabulary=VOCAB, output_mode=mode)
    out = layer(tf.constant([["a", "b", "a"], ["x", "c", "c"]]))
    assert out.dtype == tf.int64 and _ids(out) == matrix
    assert _ids(layer(tf.constant(["a", "b", "a"]))) == vector


def test_string_lookup_tf_idf_and_padding():
    layer = K.StringLookup(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[0.5, 1.0, 2.0])
    out = layer(tf.constant([["a", "b", "a"], ["x", "c", "c"]]))
    np.testing.assert_allclose(out.numpy(), [[0, 1, 1, 0], [7 / 6, 0, 0, 4]], rtol=1e-6)
    assert out.dtype == tf.float32
    adapted = K.StringLookup(output_mode="tf_idf")
    adapted.adapt([["a", "b", "a"], ["b", "c", "d"]])
    assert adapted.get_vocabulary(include_special_tokens=False) == ["b", "a", "d", "c"]
    got = adapted(tf.constant([["a", "b", "zz"]])).numpy()
    np.testing.assert_allclose(got, [[0.6475668, 0.51082563, 0.6931472, 0, 0]], rtol=1e-6)
    padded = K.StringLookup(vocabulary=VOCAB, output_mode="multi_hot", pad_to_max_tokens=True,
                            max_tokens=6)  # fmt: skip
    assert _ids(padded(tf.constant([["a", "b"]]))) == [[0, 1, 1, 0, 0, 0]]
    one = K.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")
    assert one(tf.constant([["a"], ["b"]])).shape == (2, 3)
    assert one.compute_output_shape((None, 1)) == (None, 3)


def test_string_lookup_errors():
    with pytest.raises(ValueError, match="at least one repeated term.*\\['a'\\]"):
        K.StringLookup(vocabulary=["a", "a"])
    with pytest.raises(ValueError, match="Allowed values are: \\('int', 'one_hot'"):
        K.StringLookup(output_mode="foo")
    with pytest.raises(ValueError, match="`output_mode` must be `'int'` when `invert` is true"):
        K.StringLookup(vocabulary=["a"], invert=True, output_mode="one_hot")
    with pytest.raises(tf.errors.FailedPreconditionError, match="Table not initialized."):
        K.StringLookup()(tf.constant(["a"]))
    with pytest.raises(tf.errors.InvalidArgumentError, match='found OOV values \\["b"\\]'):
        K.StringLookup(num_oov_indices=0, vocabulary=["a"])(tf.constant(["b"]))
    assert _ids(K.StringLookup(num_oov_indices=0, vocabulary=["a"])(tf.constant(["a"]))) == [0]
    with pytest.raises(ValueError, match="Cannot set an empty vocabulary"):
        K.StringLookup(vocabulary=[])
    with pytest.raises(ValueError, match="Received vocabulary size is 4; `max_tokens` is 3."):
        K.StringLookup(vocabulary=VOCAB, max_tokens=3)
    with pytest.raises(ValueError, match="`max_tokens` must be greater than 1"):
        K.StringLookup(max_tokens=1)
    with pytest.raises(ValueError, match="Cannot adapt layer .* after setting a static"):
        K.StringLookup(vocabulary=["a", "b"]).adapt(["a"])
    with pytest.raises(RuntimeError, match="you must set the layer's vocabulary"):
        K.StringLookup(output_mode="count")(tf.constant([["a"]]))
    with pytest.raises(ValueError, match="the `idf_weights` argument must also be provided"):
        K.StringLookup(vocabulary=["a"], output_mode="tf_idf")


def test_set_vocabulary_and_file(tmp_path):
    layer = K.StringLookup(vocabulary=["a", "b"])
    layer.set_vocabulary(["q", "r", "s"])
    assert layer.get_vocabulary() == ["[UNK]", "q", "r", "s"]
    with_specials = K.StringLookup(vocabulary=["[UNK]", "a", "b"])
    assert with_specials.get_vocabulary() == ["[UNK]", "a", "b"]
    path = tmp_path / "vocab.txt"
    path.write_text("x\ny\n")
    from_file = K.StringLookup(vocabulary=str(path))
    assert _ids(from_file(tf.constant(["y", "x", "?"]))) == [2, 1, 0]
    assert from_file.get_config()["vocabulary"] is None


def test_string_lookup_ragged_sparse_and_function():
    layer = K.StringLookup(vocabulary=["a", "b"])
    sp = layer(tf.sparse.from_dense(tf.constant([["a", ""], ["", "b"]])))
    assert _ids(sp.values) == [1, 2] and _ids(sp.indices) == [[0, 0], [1, 1]]
    f = tf.function(layer)
    assert _ids(f(tf.constant(["b", "zz"]))) == [2, 0]
    ds = tf.data.Dataset.from_tensor_slices(["a", "b", "q"]).batch(3).map(layer)
    assert [x.tolist() for x in ds.as_numpy_iterator()] == [[1, 2, 0]]


def test_integer_lookup():
    layer = K.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    assert _ids(layer(tf.constant([[12, 1138, 42], [42, 1000, 36]]))) == [[1, 3, 4], [4, 0, 2]]
    assert layer.get_vocabulary() == [-1, 12, 36, 1138, 42]
    cfg = layer.get_config()
    assert cfg["vocabulary_dtype"] == "int64" and cfg["oov_token"] == -1
    adapted = K.IntegerLookup()
    adapted.adapt(np.array([5, 5, 3, 3, 3, 9]))
    assert adapted.get_vocabulary() == [-1, 3, 5, 9]
    assert _ids(adapted(np.array([3, 5, 9, 1]))) == [1, 2, 3, 0]
    masked = K.IntegerLookup(vocabulary=[12, 36], mask_token=0)
    assert _ids(masked(tf.constant([0, 12, 36, 7]))) == [0, 2, 3, 1]
    assert masked.get_vocabulary() == [0, -1, 12, 36]
    inv = K.IntegerLookup(vocabulary=[12, 36], invert=True)
    assert _ids(inv(tf.constant([0, 1, 2, 5]))) == [-1, 12, 36, -1]
    assert _ids(K.IntegerLookup(vocabulary=[12, 36])(tf.constant([12, 36, 5], tf.int32))) == [
        1, 2, 0]  # fmt: skip
    floor = K.IntegerLookup(vocabulary=[12, 36], num_oov_indices=3)
    assert _ids(floor(tf.constant([12, 36, 5, 6, 7, -1]))) == [3, 4, 2, 0, 1, 2]
    farm = K.IntegerLookup(vocabulary=[12, 36], num_oov_indices=3, oov_method="farmhash")
    assert _ids(farm(tf.constant([12, 36, 5, 6, 7, -1]))) == [3, 4, 1, 2, 1, 0]
    one = K.IntegerLookup(output_mode="one_hot", vocabulary=[1, 2])
    assert _ids(one(tf.constant([[1], [2], [7]]))) == [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    m = K.IntegerLookup(mask_token=0)
    m.adapt(np.array([[5, 0, 3], [3, 0, -1]]))
    assert m.get_vocabulary() == [0, -1, 3, 5]


def test_integer_lookup_errors():
    with pytest.raises(ValueError, match="Only `vocabulary_dtype='int64'` is supported"):
        K.IntegerLookup(vocabulary=[1], vocabulary_dtype="int32")
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to int64"):
        K.IntegerLookup(vocabulary=[12, 36])(tf.constant(["a"]))
    with pytest.raises(ValueError, match="`salt` can only be used when `oov_method='farmhash'`"):
        K.IntegerLookup(salt=3)


def test_integer_lookup_layer_test():
    run_layer_test(
        K.IntegerLookup, {"vocabulary": [3, 5], "output_mode": "multi_hot"},
        input_data=np.array([[3, 5], [5, 9]], np.int64), expected_output_shape=(2, 3),
        expected_output_dtype="int64", run_mixed_precision_check=False,
    )  # fmt: skip


def test_hashing_values():
    data = tf.constant([["A"], ["B"], ["C"], ["D"], ["E"]])
    h = K.Hashing(num_bins=3)
    out = h(data)
    assert out.dtype == tf.int64 and _ids(out) == [[1], [0], [1], [1], [2]]
    assert h.get_config()["dtype"]["config"]["name"] == "int64"
    masked = K.Hashing(num_bins=3, mask_value="")
    assert _ids(masked(tf.constant([["A"], ["B"], [""], ["C"], ["D"]]))) == [[1], [1], [0], [2],
                                                                             [2]]  # fmt: skip
    salted = K.Hashing(num_bins=3, salt=133)
    assert _ids(salted(data)) == [[0], [0], [2], [1], [0]]
    assert salted.get_config()["salt"] == [133, 133]
    assert _ids(K.Hashing(num_bins=3, salt=[133, 137])(data)) == [[1], [2], [1], [0], [2]]
    assert _ids(K.Hashing(num_bins=3)(tf.constant([[1], [2], [3], [-4]]))) == [[0], [1], [0], [1]]
    assert _ids(K.Hashing(num_bins=3)(tf.constant([1.5, 2.5]))) == [0, 1]
    assert _ids(K.Hashing(num_bins=3, mask_value=0)(np.array([0, 1, 2]))) == [0, 2, 2]


def test_hashing_encodings_and_errors():
    multi = K.Hashing(num_bins=4, output_mode="multi_hot")
    out = multi(tf.constant([["A", "B"], ["C", "D"]]))
    assert out.dtype == tf.float32 and _ids(out) == [[1, 0, 0, 0], [0, 0, 0, 1]]
    one = K.Hashing(num_bins=4, output_mode="one_hot")
    assert _ids(one(tf.constant(["A", "B"]))) == [[1, 0, 0, 0], [1, 0, 0, 0]]
    count = K.Hashing(num_bins=4, output_mode="count")
    assert _ids(count(tf.constant([["A", "A"]]))) == [[2, 0, 0, 0]]
    assert count.compute_output_shape((None, 2)) == (None, 4)
    with pytest.raises(ValueError, match="cannot be `None` or non-positive values"):
        K.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="`dtype` should be an integer type"):
        K.Hashing(num_bins=3, dtype="float32")


def test_hashing_layer_test():
    run_layer_test(
        K.Hashing, {"num_bins": 5}, input_data=np.array([["a", "b"], ["c", "d"]], dtype=object),
        expected_output_shape=(2, 2), expected_output_dtype="int64",
        run_mixed_precision_check=False, run_symbolic_check=False,
    )  # fmt: skip


def test_keras_file_round_trip(tmp_path):
    given = K.StringLookup(vocabulary=["a", "b"])
    inp = tf.keras.Input(shape=(3,), dtype="string")
    out = given(inp)
    assert out.dtype == tf.int64 and out.shape.as_list() == [None, 3]
    path = str(tmp_path / "given.keras")
    tf.keras.Model(inp, out).save(path)
    assert not [n for n in zipfile.ZipFile(path).namelist() if n.startswith("assets/")]
    back = tf.keras.models.load_model(path)
    assert _ids(back(tf.constant([["a", "b", "z"]]))) == [[1, 2, 0]]

    learned = K.StringLookup()
    learned.adapt(["x", "y", "y"])
    inp = tf.keras.Input(shape=(2,), dtype="string")
    path = str(tmp_path / "adapted.keras")
    tf.keras.Model(inp, learned(inp)).save(path)
    names = zipfile.ZipFile(path).namelist()
    vocab_file = [n for n in names if n.endswith("/vocabulary.txt")]
    assert vocab_file and vocab_file[0].startswith("assets/layers/")
    assert zipfile.ZipFile(path).read(vocab_file[0]) == b"[UNK]\ny\nx"  # Keras's layout
    back = tf.keras.models.load_model(path)
    assert back.layers[1].get_vocabulary() == ["[UNK]", "y", "x"]
    assert _ids(back(tf.constant([["y", "q"]]))) == [[1, 0]]


def test_tf_idf_adapted_round_trip(tmp_path):
    layer = K.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b", "a"], ["b", "c", "d"]])
    inp = tf.keras.Input(shape=(3,), dtype="string")
    path = str(tmp_path / "tfidf.keras")
    model = tf.keras.Model(inp, layer(inp))
    model.save(path)
    back = tf.keras.models.load_model(path)
    x = tf.constant([["a", "b", "zz"]])
    np.testing.assert_allclose(back(x).numpy(), model(x).numpy(), rtol=1e-6)
