"""Keras files move both ways between TensorFlow 2.21's Keras and tensorflux unchanged.

A model saved by real Keras (`.keras` and `.weights.h5`) loads here with identical predictions,
and the reverse. Runs real TensorFlow in its own interpreter (see test_vs_tensorflow.py); skipped
when there is none.
"""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from tests.differential.test_vs_tensorflow import _tf_python

pytestmark = pytest.mark.tf

pytest.importorskip("h5py")

# The same architecture on both sides; `tf` is TensorFlow or tensorflux.
BUILD = textwrap.dedent(
    """
    import numpy as np
    keras = tf.keras
    def build():
        return keras.Sequential([
            keras.Input((6, 6, 2)),
            keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Flatten(),
            keras.layers.Dense(8, activation="tanh"),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(3),
        ])
    x = np.linspace(-1, 1, 5 * 6 * 6 * 2, dtype="float32").reshape(5, 6, 6, 2)
    y = np.arange(5) % 3
    """
)

SAVE = BUILD + textwrap.dedent(
    """
    import sys
    out = sys.argv[1]
    keras.utils.set_random_seed(1)
    build()  # a first model: the saved one's layers get names like dense_2, not dense
    m = build()
    m.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    m.fit(x, y, epochs=2, batch_size=5, verbose=0)
    m.save(out + "/model.keras")
    m.save_weights(out + "/model.weights.h5")
    np.save(out + "/pred.npy", m.predict(x, verbose=0))
    """
)

LOAD = BUILD + textwrap.dedent(
    """
    import sys
    out = sys.argv[1]
    m = keras.models.load_model(out + "/model.keras")
    np.save(out + "/loaded.npy", m.predict(x, verbose=0))
    m2 = build()
    m2.load_weights(out + "/model.weights.h5")
    np.save(out + "/weights_loaded.npy", m2.predict(x, verbose=0))
    """
)


def _run(python, backend, script, path):
    head = "import tensorflow as tf\n" if backend == "tensorflow" else "import tensorflux as tf\n"
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = repo if backend == "tensorflux" else ""
    proc = subprocess.run(
        [python, "-c", head + script, str(path)], capture_output=True, text=True, timeout=300,
        env=env,
    )
    assert proc.returncode == 0, f"{backend} failed:\n{proc.stderr[-3000:]}"


@pytest.fixture(scope="module")
def tf_python():
    py = _tf_python()
    if py is None:
        pytest.skip("no TensorFlow interpreter (set TFX_TF_PYTHON or install /work/tfenv)")
    return py


def test_tensorflow_saved_model_loads_here(tf_python, tmp_path):
    _run(tf_python, "tensorflow", SAVE, tmp_path)
    _run(sys.executable, "tensorflux", LOAD, tmp_path)
    pred = np.load(tmp_path / "pred.npy")
    np.testing.assert_allclose(np.load(tmp_path / "loaded.npy"), pred, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        np.load(tmp_path / "weights_loaded.npy"), pred, rtol=1e-5, atol=1e-5
    )


def test_tensorflux_saved_model_loads_in_tensorflow(tf_python, tmp_path):
    _run(sys.executable, "tensorflux", SAVE, tmp_path)
    _run(tf_python, "tensorflow", LOAD, tmp_path)
    pred = np.load(tmp_path / "pred.npy")
    np.testing.assert_allclose(np.load(tmp_path / "loaded.npy"), pred, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(
        np.load(tmp_path / "weights_loaded.npy"), pred, rtol=1e-5, atol=1e-5
    )
