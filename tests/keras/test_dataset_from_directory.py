"""keras.utils.image/text_dataset_from_directory and the image helpers, against values from Keras 3.15."""

import os

import numpy as np
import pytest

import tensorflux as tf

PIL = pytest.importorskip("PIL.Image")

# Sums of each 4x6 bilinear-resized image in file order, from TensorFlow 2.21 on the same tree.
ORACLE_SUMS = [9289.28125, 9216.125, 9571.4375, 7856.15625, 9163.625, 8920.25, 9314.09375,
               8476.75, 8812.84375, 8998.125, 9264.84375, 9672.6875]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    rng = np.random.RandomState(0)
    for c in ["cat", "dog", "bird"]:
        os.makedirs(tmp_path / "img" / c / "sub")
        os.makedirs(tmp_path / "txt" / c)
        for i in range(3):
            a = (rng.rand(7 + i, 9, 3) * 255).astype("uint8")
            PIL.fromarray(a).save(tmp_path / "img" / c / f"{i}_{c}.png")
            (tmp_path / "txt" / c / f"{i}.txt").write_text(f"{c} text {i} " * (i + 1))
        PIL.fromarray((rng.rand(5, 5) * 255).astype("uint8")).save(tmp_path / "img" / c / "sub" / "z.jpg")
    (tmp_path / "img" / "cat" / "notes.txt").write_text("not an image")
    (tmp_path / "img" / "README").write_text("x")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_inferred_labels_in_file_order(tree, capsys):
    ds = tf.keras.utils.image_dataset_from_directory("img", image_size=(4, 6), shuffle=False,
                                                     batch_size=None)
    assert capsys.readouterr().out == "Found 12 files belonging to 3 classes.\n"
    assert ds.class_names == ["bird", "cat", "dog"]
    assert ds.file_paths[:4] == ["img/bird/0_bird.png", "img/bird/1_bird.png",
                                 "img/bird/2_bird.png", "img/bird/sub/z.jpg"]
    x_spec, y_spec = ds.element_spec
    assert x_spec == tf.TensorSpec((4, 6, 3), tf.float32)
    assert y_spec == tf.TensorSpec((), tf.int32)
    items = list(ds)
    assert [int(y) for _, y in items] == [0] * 4 + [1] * 4 + [2] * 4
    sums = [float(tf.reduce_sum(x)) for x, _ in items]
    np.testing.assert_allclose(sums, ORACLE_SUMS, rtol=1e-5)


def test_categorical_grayscale_batches(tree):
    ds = tf.keras.utils.image_dataset_from_directory(
        "img", image_size=(4, 6), shuffle=False, batch_size=5, label_mode="categorical",
        color_mode="grayscale", verbose=False)
    assert ds.element_spec[0] == tf.TensorSpec((None, 4, 6, 1), tf.float32)
    assert ds.element_spec[1] == tf.TensorSpec((None, 3), tf.float32)
    batches = list(ds)
    assert [b[0].shape[0] for b in batches] == [5, 5, 2]
    np.testing.assert_array_equal(batches[0][1].numpy()[:, 0], [1, 1, 1, 1, 0])


def test_validation_split_both_is_a_partition(tree, capsys):
    train, val = tf.keras.utils.image_dataset_from_directory(
        "img", image_size=(4, 6), seed=3, validation_split=0.3, subset="both", batch_size=None)
    out = capsys.readouterr().out
    assert "Using 9 files for training.\nUsing 3 files for validation.\n" in out
    assert len(train.file_paths) == 9 and len(val.file_paths) == 3
    assert sorted(train.file_paths + val.file_paths) == sorted(
        tf.keras.utils.image_dataset_from_directory("img", shuffle=False, verbose=False).file_paths)
    assert len(list(val)) == 3
    # The split is reproducible from the seed, as the file shuffle is.
    again = tf.keras.utils.image_dataset_from_directory(
        "img", image_size=(4, 6), seed=3, validation_split=0.3, subset="validation", verbose=False)
    assert again.file_paths == val.file_paths


def test_unlabelled_and_explicit_labels(tree):
    ds = tf.keras.utils.image_dataset_from_directory("img", labels=None, image_size=(4, 6),
                                                     shuffle=False, verbose=False)
    assert ds.element_spec == tf.TensorSpec((None, 4, 6, 3), tf.float32)
    assert ds.class_names is None and len(ds.file_paths) == 12
    labels = [0, 1] * 6
    ds = tf.keras.utils.image_dataset_from_directory(
        "img", labels=labels, label_mode="binary", image_size=(4, 6), shuffle=False,
        batch_size=None, verbose=False)
    assert ds.class_names == ["0", "1"]
    assert ds.element_spec[1] == tf.TensorSpec((1,), tf.float32)
    assert [float(y[0]) for _, y in ds] == [float(v) for v in labels]


def test_crop_and_pad_to_aspect_ratio(tree):
    for kw in ({"crop_to_aspect_ratio": True}, {"pad_to_aspect_ratio": True}):
        ds = tf.keras.utils.image_dataset_from_directory("img", image_size=(3, 3), shuffle=False,
                                                         batch_size=None, verbose=False, **kw)
        x, _ = next(iter(ds))
        assert x.shape == (3, 3, 3)


@pytest.mark.parametrize("kwargs, message", [
    ({"validation_split": 0.2}, "If `subset` is set, `validation_split` must be set"),
    ({"subset": "training"}, "If `subset` is set, `validation_split` must be set"),
    ({"validation_split": 0.2, "subset": "training"}, "you must provide a `seed`"),
    ({"label_mode": "binary"}, "there must be exactly 2 class_names"),
    ({"labels": [0, 1]}, "len\\(labels\\) is 2 while we found 12 files"),
    ({"class_names": ["a", "b"]}, "did not match the names of the subdirectories"),
    ({"color_mode": "x"}, "`color_mode` must be one of"),
    ({"label_mode": "foo"}, "`label_mode` argument must be one of"),
    ({"interpolation": "cubic"}, "`interpolation` should be one of"),
])
def test_bad_arguments(tree, kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.keras.utils.image_dataset_from_directory("img", verbose=False, **kwargs)


def test_text_dataset(tree, capsys):
    ds = tf.keras.utils.text_dataset_from_directory("txt", shuffle=False, batch_size=None,
                                                    max_length=10)
    assert capsys.readouterr().out == "Found 9 files belonging to 3 classes.\n"
    assert ds.element_spec == (tf.TensorSpec((), tf.string), tf.TensorSpec((), tf.int32))
    got = [(x.numpy(), int(y)) for x, y in ds]
    assert got[:4] == [(b"bird text ", 0)] * 3 + [(b"cat text 0", 1)]
    full = tf.keras.utils.text_dataset_from_directory("txt", shuffle=False, batch_size=4,
                                                      verbose=False)
    first = next(iter(full))[0].numpy().tolist()
    assert first[1] == b"bird text 1 bird text 1 "


def test_fit_on_directory_dataset(tree):
    ds = tf.keras.utils.image_dataset_from_directory("img", image_size=(8, 8), seed=1,
                                                     batch_size=4, verbose=False)
    model = tf.keras.Sequential([tf.keras.Input((8, 8, 3)), tf.keras.layers.Rescaling(1 / 255),
                                 tf.keras.layers.Flatten(), tf.keras.layers.Dense(3)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    history = model.fit(ds, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_image_helpers_match_keras(tree):
    from tensorflux.keras.preprocessing.image import smart_resize

    x = np.arange(2 * 5 * 7 * 3, dtype="float32").reshape(2, 5, 7, 3)
    r = smart_resize(x, (3, 3))
    assert isinstance(r, np.ndarray) and r.shape == (2, 3, 3, 3) and float(r.sum()) == 5643.0
    assert float(smart_resize(x[0], (4, 2)).sum()) == 1212.0
    img = tf.keras.utils.load_img("img/cat/1_cat.png", target_size=(5, 4), keep_aspect_ratio=True)
    a = tf.keras.utils.img_to_array(img)
    assert a.shape == (5, 4, 3) and a.dtype == np.float32 and a.sum() == 6917.0
    g = tf.keras.utils.img_to_array(tf.keras.utils.load_img("img/cat/1_cat.png",
                                                            color_mode="grayscale"))
    assert g.shape == (8, 9, 1) and g.sum() == 8943.0
    back = tf.keras.utils.array_to_img(np.random.RandomState(0).rand(4, 5, 3))
    assert back.size == (5, 4) and back.mode == "RGB" and np.asarray(back).sum() == 7824
    tf.keras.utils.save_img("out.png", a)
    np.testing.assert_array_equal(
        tf.keras.utils.img_to_array(tf.keras.utils.load_img("out.png")),
        tf.keras.utils.img_to_array(tf.keras.utils.array_to_img(a)))


@pytest.fixture
def audio_tree(tmp_path, monkeypatch):
    for c in ["no", "yes"]:
        os.makedirs(tmp_path / "aud" / c)
        for i in range(3):
            x = np.sin(np.arange(100 * (i + 1)) / (3 + i)).astype("float32")[:, None] * 0.5
            tf.io.write_file(str(tmp_path / "aud" / c / f"{i}.wav"), tf.audio.encode_wav(x, 16000))
    monkeypatch.chdir(tmp_path)


def test_audio_dataset_pads_batches_like_keras(audio_tree, capsys):
    ds = tf.keras.utils.audio_dataset_from_directory("aud", shuffle=False, batch_size=4)
    assert capsys.readouterr().out == "Found 6 files belonging to 2 classes.\n"
    assert ds.element_spec == (tf.TensorSpec((None, None, None), tf.float32),
                               tf.TensorSpec((None,), tf.int32))
    got = [(x.shape, y.numpy().tolist(), float(tf.reduce_sum(x))) for x, y in ds]
    assert [g[:2] for g in got] == [((4, 300, 1), [0, 0, 0, 1]), ((2, 300, 1), [1, 1])]
    np.testing.assert_allclose([g[2] for g in got], [8.5880126953125, 5.076416015625], rtol=1e-6)
    fixed = tf.keras.utils.audio_dataset_from_directory(
        "aud", shuffle=False, batch_size=None, output_sequence_length=150, label_mode="binary",
        verbose=False)
    assert fixed.element_spec == (tf.TensorSpec((150, None), tf.float32),
                                  tf.TensorSpec((1,), tf.float32))
    both = tf.keras.utils.audio_dataset_from_directory("aud", seed=1, validation_split=0.5,
                                                       subset="both", verbose=False)
    assert isinstance(both, tuple) and len(both) == 2
    with pytest.raises(ValueError, match="Cannot set both `ragged` and `output_sequence_length`"):
        tf.keras.utils.audio_dataset_from_directory("aud", ragged=True, output_sequence_length=3)
