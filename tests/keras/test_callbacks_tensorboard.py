"""keras.callbacks.TensorBoard: the run directories, tags, steps and values Keras 3 writes."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tests.summary.helpers import by_tag, event_files, values

keras = tf.keras


def _model():
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu", name="h"),
                          keras.layers.Dense(1, name="out")], name="net")  # fmt: skip
    m.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    return m


def _data():
    rng = np.random.default_rng(0)
    return rng.random((20, 3), dtype=np.float32), rng.random((20, 1), dtype=np.float32)


def _fit(log_dir, epochs=2, **kwargs):
    m = _model()
    x, y = _data()
    cb = keras.callbacks.TensorBoard(str(log_dir), **kwargs)
    history = m.fit(x, y, batch_size=5, epochs=epochs, validation_data=(x[:10], y[:10]),
                    callbacks=[cb], verbose=0)  # fmt: skip
    return m, cb, history.history


def _steps(series):
    return [s for s, _ in series]


def _floats(series):
    return [float(v) for _, v in series]


def test_default_fit_writes_train_and_validation_runs(tmp_path):
    _, _, hist = _fit(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ["train", "validation"]
    train = by_tag(tmp_path / "train")
    assert set(train) == {"keras", "epoch_loss", "epoch_mae", "epoch_learning_rate"}
    for name in ("loss", "mae"):
        assert _steps(train[f"epoch_{name}"]) == [0, 1]
        np.testing.assert_allclose(_floats(train[f"epoch_{name}"]), hist[name], rtol=1e-6)
    np.testing.assert_allclose(_floats(train["epoch_learning_rate"]), [0.01, 0.01])
    ((step, config),) = train["keras"]
    assert step == 0 and json.loads(config.item())["class_name"] == "Sequential"
    meta = [v for v in values(event_files(tmp_path / "train")[0]) if v[1] == "keras"][0]
    assert meta[4:] == ("graph_keras_model", b"1")

    val = by_tag(tmp_path / "validation")
    assert set(val) == {"epoch_loss", "epoch_mae", "evaluation_loss_vs_iterations",
                        "evaluation_mae_vs_iterations"}  # fmt: skip
    np.testing.assert_allclose(_floats(val["epoch_loss"]), hist["val_loss"], rtol=1e-6)
    # evaluation_* are stepped by the optimizer's iterations: 4 batches per epoch
    assert _steps(val["evaluation_loss_vs_iterations"]) == [4, 8]
    np.testing.assert_allclose(_floats(val["evaluation_mae_vs_iterations"]), hist["val_mae"],
                               rtol=1e-6)  # fmt: skip


def test_batch_updates_histograms_images_and_rates(tmp_path):
    m, _, hist = _fit(tmp_path, update_freq=2, histogram_freq=1, write_images=True,
                      write_steps_per_second=True, write_graph=False)  # fmt: skip
    train = by_tag(tmp_path / "train")
    assert "keras" not in train
    for name in ("batch_loss", "batch_mae", "batch_steps_per_second"):
        assert _steps(train[name]) == [2, 4, 6, 8], name  # every 2nd of 8 batches
    assert train["batch_loss"][-1][1] == pytest.approx(hist["loss"][-1], rel=1e-6)
    assert all(v > 0 for v in _floats(train["epoch_steps_per_second"]))
    names = {t for t in train if t.endswith(("/histogram", "/image"))}
    assert names == {
        "net/h/kernel/histogram", "net/h/kernel/image",
        "net/h/bias/histogram", "net/h/bias/image",
        "net/out/kernel/histogram", "net/out/kernel/image",
        "net/out/bias/histogram",  # a single bias value makes no image
    }  # fmt: skip
    (step, h) = train["net/h/kernel/histogram"][-1]
    assert step == 1 and h.shape == (30, 3) and h[:, 2].sum() == 12
    kernel = m.layers[0].kernel.numpy()
    assert h[0, 0] == pytest.approx(kernel.min()) and h[-1, 1] == pytest.approx(kernel.max())
    _, img = train["net/h/kernel/image"][-1]
    assert list(img[:2]) == [b"4", b"3"]  # the 3x4 kernel laid out wide
    assert tf.io.decode_png(img[2]).shape == (3, 4, 1)
    assert set(by_tag(tmp_path / "validation")) >= {"epoch_loss"}
    assert not any(t.startswith("batch_") for t in by_tag(tmp_path / "validation"))


def test_evaluate_after_fit_writes_a_new_validation_file(tmp_path):
    m, cb, _ = _fit(tmp_path, epochs=1)
    x, y = _data()
    m.evaluate(x, y, batch_size=5, callbacks=[cb], verbose=0)
    files = event_files(tmp_path / "validation")
    assert len(files) == 2
    tags = [v[1] for v in values(files[1])]
    assert tags == ["evaluation_loss_vs_iterations", "evaluation_mae_vs_iterations"]


def test_profile_batch_writes_the_traced_graph(tmp_path):
    with pytest.warns(UserWarning, match="no profiler"):
        _fit(tmp_path, epochs=1, profile_batch=2)
    entries = {v[1]: v for f in event_files(tmp_path / "train") for v in values(f)}
    step, _, run_metadata, _, plugin, content = entries["batch_2"]
    assert (step, plugin, content) == (2, "graph_run_metadata_graph", b"1")
    assert len(run_metadata.item()) > 100  # the training function's graph
    with pytest.raises(ValueError, match="profile_batch must be"):
        keras.callbacks.TensorBoard(str(tmp_path), profile_batch=(5, 2))
    with pytest.raises(ValueError, match="profile_batch must be"):
        keras.callbacks.TensorBoard(str(tmp_path), profile_batch=-1)


def test_embeddings(tmp_path):
    pytest.importorskip("h5py")
    keras.utils.set_random_seed(0)
    m = keras.Sequential([keras.Input((3,)), keras.layers.Embedding(10, 2, name="emb"),
                          keras.layers.Flatten(), keras.layers.Dense(1)])  # fmt: skip
    m.compile(optimizer="adam", loss="mse")
    x = np.arange(24).reshape(8, 3) % 10
    cb = keras.callbacks.TensorBoard(str(tmp_path), embeddings_freq=1, write_graph=False,
                                     embeddings_metadata={"emb": 'meta "x".tsv'})  # fmt: skip
    m.fit(x, np.zeros((8, 1)), epochs=2, callbacks=[cb], verbose=0)
    assert (tmp_path / "projector_config.pbtxt").read_text() == (
        "embeddings {\n"
        '  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"\n'
        '  metadata_path: "meta \\"x\\".tsv"\n'
        "}\n"
    )
    assert (tmp_path / "train" / "keras_embedding.ckpt-1.weights.h5").exists()
    with pytest.raises(ValueError, match="Unrecognized `Embedding` layer names"):
        m.fit(x, np.zeros((8, 1)), epochs=1, verbose=0, callbacks=[
            keras.callbacks.TensorBoard(str(tmp_path), embeddings_freq=1,
                                        embeddings_metadata={"nope": "a"})])  # fmt: skip
