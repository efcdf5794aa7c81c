"""`.keras` archives and `.weights.h5` files: layout, round trips, errors, atomic writes."""

import json
import os
import zipfile

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from tensorflux._src.keras.layers.input_layer import Input  # noqa: E402
from tensorflux._src.keras.models.model import Model  # noqa: E402
from tensorflux._src.keras.models.sequential import Sequential  # noqa: E402
from tensorflux._src.keras.saving import saving_api  # noqa: E402
from tests.keras.test_model_base import Affine  # noqa: E402


def _x():
    return np.linspace(-1, 1, 12, dtype="float32").reshape(3, 4)


def _seq():
    return Sequential([Input((4,)), Affine(3, name="a"), Affine(2, name="b")], name="seq")


def test_weights_file_has_keras_layout(tmp_path):
    m = _seq()
    path = str(tmp_path / "m.weights.h5")
    m.save_weights(path)
    with h5py.File(path) as f:
        names = []
        f.visit(names.append)
        # Keras names list items by class (affine, affine_1), never by the layers' own names.
        assert "layers/affine/vars/0" in names and "layers/affine_1/vars/1" in names
        assert f["layers/affine/vars"].attrs["name"] == "a"
        np.testing.assert_array_equal(f["layers/affine/vars/0"][()], m.layers[0].kernel.numpy())


def test_save_weights_then_load_into_a_fresh_model(tmp_path):
    m = _seq()
    path = str(tmp_path / "m.weights.h5")
    m.save_weights(path)
    m2 = _seq()
    m2.load_weights(path)
    np.testing.assert_allclose(m2(_x()).numpy(), m(_x()).numpy())


def test_keras_archive_round_trip(tmp_path):
    x = Input((4,), name="x")
    m = Model(x, Affine(2, name="out")(Affine(3, name="hid")(x)), name="fn")
    path = str(tmp_path / "m.keras")
    m.save(path)
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["config.json", "metadata.json", "model.weights.h5"]
        config = json.loads(z.read("config.json"))
        assert config["class_name"] == "Functional" and config["config"]["name"] == "fn"
        assert json.loads(z.read("metadata.json"))["keras_version"].startswith("3.")
    m2 = saving_api.load_model(path)
    np.testing.assert_allclose(m2(_x()).numpy(), m(_x()).numpy(), rtol=1e-6)
    assert [layer.name for layer in m2.layers] == ["x", "hid", "out"]


def test_sequential_archive_round_trip(tmp_path):
    m = _seq()
    path = str(tmp_path / "s.keras")
    m.save(path)
    m2 = saving_api.load_model(path)
    assert type(m2) is Sequential
    np.testing.assert_allclose(m2(_x()).numpy(), m(_x()).numpy(), rtol=1e-6)


def test_errors_match_keras(tmp_path):
    m = _seq()
    with pytest.raises(ValueError, match="Invalid filepath extension for saving"):
        m.save(str(tmp_path / "dir"))
    with pytest.raises(ValueError, match="must end in `.weights.h5`"):
        m.save_weights(str(tmp_path / "w.h5"))
    with pytest.raises(ValueError, match="File not found: filepath="):
        saving_api.load_model(str(tmp_path / "missing.keras"))
    m.save_weights(str(tmp_path / "m.weights.h5"))
    fewer = Sequential([Input((4,)), Affine(3, name="a")])
    fewer.load_weights(str(tmp_path / "m.weights.h5"))  # extra saved layers are ignored
    more = Sequential([Input((4,)), Affine(3, name="a"), Affine(2, name="b"), Affine(2, name="c")])
    with pytest.raises(ValueError, match="(?s)A total of 1 objects could not be loaded.*Layer .c. "
                       "expected 2 variables, but received 0"):  # fmt: skip
        more.load_weights(str(tmp_path / "m.weights.h5"))


def test_failed_save_leaves_the_old_file(tmp_path, monkeypatch):
    m = _seq()
    path = str(tmp_path / "m.keras")
    m.save(path)
    before = open(path, "rb").read()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", boom)
    with pytest.raises(OSError):
        m.save(path)
    assert open(path, "rb").read() == before
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp-")]
