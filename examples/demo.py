"""`make demo`: train a small CNN on Fashion-MNIST with Keras, evaluate, save, reload, compare.

Runs offline. The data comes from a local Fashion-MNIST copy when there is one (the Debian
package `dataset-fashion-mnist`, `$TFX_DATASETS_DIR/fashion-mnist/`, or Keras's cache
`~/.keras/datasets/fashion-mnist/`); otherwise a small synthetic 10-class image set is generated
and the output says so.
"""

import os
import sys
import tempfile
import time

import numpy as np

import tensorflux as tf

keras = tf.keras
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")  # fmt: skip


def local_fashion_mnist() -> bool:
    home = os.environ.get("KERAS_HOME", os.path.expanduser("~/.keras"))
    dirs = [
        os.path.join(os.environ.get("TFX_DATASETS_DIR", "/nonexistent"), "fashion-mnist"),
        "/usr/share/datasets/fashion-mnist",
        os.path.join(home, "datasets", "fashion-mnist"),
    ]
    return any(all(os.path.exists(os.path.join(d, f)) for f in FILES) for d in dirs)


def synthetic(n_train=6000, n_test=1000, seed=0):
    """10 classes of 28x28 images: a fixed random stroke pattern per class, shifted, plus noise."""
    rng = np.random.default_rng(seed)
    templates = (rng.random((10, 28, 28)) > 0.75).astype(np.float32)

    def make(n):
        y = rng.integers(0, 10, n)
        shifts = rng.integers(-2, 3, (n, 2))
        x = np.stack([np.roll(templates[c], tuple(s), (0, 1)) for c, s in zip(y, shifts)])
        x = np.clip(x * 200 + rng.normal(0, 40, x.shape), 0, 255).astype(np.uint8)
        return x, y.astype(np.uint8)

    return make(n_train), make(n_test)


def main() -> int:
    if local_fashion_mnist():
        (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
        source = "Fashion-MNIST (local copy)"
        x_train, y_train = x_train[:12000], y_train[:12000]
    else:
        (x_train, y_train), (x_test, y_test) = synthetic()
        source = "SYNTHETIC data (no local Fashion-MNIST found; see examples/demo.py)"
    print(f"data: {source}: {len(x_train)} train / {len(x_test)} test images")
    x_train = (x_train[..., None] / 255.0).astype("float32")
    x_test = (x_test[..., None] / 255.0).astype("float32")

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(32, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(64, 3, activation="relu"),
        keras.layers.MaxPooling2D(),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dense(10),
    ])  # fmt: skip
    model.compile(
        optimizer=keras.optimizers.Adam(1e-3),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.summary()
    start = time.perf_counter()
    model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.1, verbose=1)
    print(f"training took {time.perf_counter() - start:.1f} s")
    loss, acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"test loss {loss:.4f}  test accuracy {acc:.4f}")

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "fashion_cnn.keras")
        model.save(path)
        reloaded = keras.models.load_model(path)
        a = model.predict(x_test[:256], verbose=0)
        b = reloaded.predict(x_test[:256], verbose=0)
        same = np.allclose(a, b, atol=1e-5)
        print(f"saved to .keras and reloaded: predictions match = {same}")
    if not same or acc < 0.5:
        print("demo FAILED", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
