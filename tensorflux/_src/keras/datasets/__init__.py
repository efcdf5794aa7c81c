"""`keras.datasets`: the small standard datasets, downloaded once into Keras's cache.

Each loader looks for its files, in order, in `$TFX_DATASETS_DIR/<name>/`, in a system copy
(Debian's `dataset-fashion-mnist` installs `/usr/share/datasets/fashion-mnist/`), in Keras's cache
(`$KERAS_HOME/datasets` or `~/.keras/datasets`), and only then downloads from Keras's origin with
its published SHA-256, so machines without network use a local copy.
"""

from __future__ import annotations

import gzip
import os

import numpy as np

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_SYSTEM_DIRS = ("/usr/share/datasets",)


def local_dirs(name: str) -> list:
    """Directories searched for dataset `name` before any download."""
    dirs = []
    env = os.environ.get("TFX_DATASETS_DIR")
    if env:
        dirs.append(os.path.join(env, name))
        dirs.append(env)
    dirs += [os.path.join(d, name) for d in _SYSTEM_DIRS]
    keras_home = os.environ.get("KERAS_HOME", os.path.join(os.path.expanduser("~"), ".keras"))
    dirs.append(os.path.join(keras_home, "datasets", name))
    dirs.append(os.path.join(keras_home, "datasets"))
    return dirs


def fetch(fname: str, origin: str, file_hash=None, name: str = "", extract=False) -> str:
    """A local path for `fname`: found in a local directory, else downloaded and verified."""
    for d in local_dirs(name):
        path = os.path.join(d, fname)
        if os.path.exists(path):
            return path
    from tensorflux._src.keras.utils.file_utils import get_file

    subdir = os.path.join("datasets", name) if name else "datasets"
    return get_file(fname, origin=origin, file_hash=file_hash, cache_subdir=subdir,
                    extract=extract)  # fmt: skip


def read_idx(path: str) -> np.ndarray:
    """Reads an IDX file (the MNIST format), gzip-compressed or not."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    if len(data) < 4 or data[0] != 0 or data[1] != 0:
        raise ValueError(f"{path} is not an IDX file.")
    kind, ndim = data[2], data[3]
    if kind != 0x08:
        raise ValueError(f"{path}: only unsigned-byte IDX files are supported (type {kind:#x}).")
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    arr = np.frombuffer(data, np.uint8, offset=offset)
    if arr.size != int(np.prod(dims)):
        raise ValueError(f"{path} is truncated: expected {int(np.prod(dims))} values.")
    return arr.reshape(dims)


def split_train_test(x, y, test_split, seed):
    rng = np.random.RandomState(seed)
    order = rng.permutation(len(x))
    x, y = x[order], y[order]
    n = int(len(x) * (1 - test_split))
    return (x[:n], y[:n]), (x[n:], y[n:])
