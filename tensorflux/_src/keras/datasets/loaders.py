"""The `load_data()` functions of `keras.datasets.<name>`."""

from __future__ import annotations

import json
import pickle
import tarfile

import numpy as np

from tensorflux._src.keras.datasets import _BASE, fetch, read_idx, split_train_test

# SHA-256 of the files at Keras's origins
_SHA_0 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
_SHA_1 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"
_SHA_2 = "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7"
_SHA_3 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_SHA_4 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
_SHA_5 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"
_SHA_6 = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"


def mnist_load_data(path="mnist.npz"):
    """MNIST digits: `(x_train, y_train), (x_test, y_test)`, uint8 images 28x28 and labels."""
    local = fetch(path, _BASE + "mnist.npz",
                  _SHA_0, "mnist")  # fmt: skip
    with np.load(local, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def fashion_mnist_load_data():
    """Fashion-MNIST: `(x_train, y_train), (x_test, y_test)`, uint8 28x28 images, 10 classes."""
    names = (
        "train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
        "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
    )  # fmt: skip
    y_train, x_train, y_test, x_test = (
        read_idx(fetch(n, _BASE + n, None, "fashion-mnist")) for n in names
    )
    return (x_train, y_train), (x_test, y_test)


def _cifar_batch(f, label_key):
    d = pickle.load(f, encoding="bytes")  # the official CIFAR python format is pickled
    d = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    x = np.asarray(d["data"], np.uint8).reshape(-1, 3, 32, 32)
    y = np.asarray(d[label_key], np.uint8 if label_key == "labels" else np.int64)
    return x, y


def _cifar(fname, origin, sha, members, label_key):
    local = fetch(fname, origin, sha, "")
    xs, ys = [], []
    with tarfile.open(local, "r:gz") as tar:
        test = None
        for member in members:
            f = tar.extractfile(member)
            if f is None:
                raise ValueError(f"{local} does not contain {member}.")
            x, y = _cifar_batch(f, label_key)
            if member.endswith("test") or member.endswith("test_batch"):
                test = (x, y)
            else:
                xs.append(x)
                ys.append(y)
    x_train = np.concatenate(xs).transpose(0, 2, 3, 1)
    y_train = np.concatenate(ys).reshape(-1, 1)
    x_test = test[0].transpose(0, 2, 3, 1)
    y_test = test[1].reshape(-1, 1)
    return (x_train, y_train.astype(np.uint8)), (x_test, y_test.astype(np.uint8))


def cifar10_load_data():
    """CIFAR-10: uint8 images (N, 32, 32, 3) and labels (N, 1) in 10 classes."""
    members = [f"cifar-10-batches-py/data_batch_{i}" for i in range(1, 6)]
    members.append("cifar-10-batches-py/test_batch")
    return _cifar(
        "cifar-10-python.tar.gz", "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
        _SHA_1, members, "labels",
    )  # fmt: skip


def cifar100_load_data(label_mode="fine"):
    """CIFAR-100: uint8 images (N, 32, 32, 3); labels (N, 1) "fine" (100) or "coarse" (20)."""
    if label_mode not in ("fine", "coarse"):
        raise ValueError(
            f'`label_mode` must be one of `"fine"`, `"coarse"`. Received: label_mode={label_mode}.'
        )
    members = ["cifar-100-python/train", "cifar-100-python/test"]
    return _cifar(
        "cifar-100-python.tar.gz", "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
        _SHA_2, members,
        label_mode + "_labels",
    )  # fmt: skip


def _sequences(x, y, num_words, skip_top, maxlen, seed, start_char, oov_char, index_from):
    rng = np.random.RandomState(seed)
    order = np.arange(len(x))
    rng.shuffle(order)
    x, y = x[order], y[order]
    if start_char is not None:
        x = [[start_char] + [w + index_from for w in s] for s in x]
    elif index_from:
        x = [[w + index_from for w in s] for s in x]
    else:
        x = [list(s) for s in x]
    if maxlen:
        keep = [i for i, s in enumerate(x) if len(s) < maxlen]
        x, y = [x[i] for i in keep], y[keep]
        if not x:
            raise ValueError(
                "After filtering for sequences shorter than maxlen="
                f"{maxlen}, no sequence was kept. Increase maxlen."
            )
    if not num_words:
        num_words = max(max(s) for s in x)
    if oov_char is not None:
        x = [[w if skip_top <= w < num_words else oov_char for w in s] for s in x]
    else:
        x = [[w for w in s if skip_top <= w < num_words] for s in x]
    out = np.empty(len(x), dtype=object)
    out[:] = x
    return out, y


def _load_object_npz(path):
    # imdb/reuters store ragged int lists as object arrays; Keras reads them the same way.
    with np.load(path, allow_pickle=True) as f:
        return {k: f[k] for k in f.files}


def imdb_load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
                   start_char=1, oov_char=2, index_from=3, **kwargs):  # fmt: skip
    """IMDB reviews as word-index sequences with binary sentiment labels."""
    local = fetch(path, _BASE + "imdb.npz",
                  _SHA_3, "")  # fmt: skip
    d = _load_object_npz(local)
    n_train = len(d["x_train"])
    x = np.concatenate([d["x_train"], d["x_test"]])
    y = np.concatenate([d["y_train"], d["y_test"]])
    rng_train = (x[:n_train], y[:n_train])
    rng_test = (x[n_train:], y[n_train:])
    xtr, ytr = _sequences(*rng_train, num_words, skip_top, maxlen, seed, start_char, oov_char,
                          index_from)  # fmt: skip
    xte, yte = _sequences(*rng_test, num_words, skip_top, maxlen, seed * 2, start_char, oov_char,
                          index_from)  # fmt: skip
    return (xtr, ytr), (xte, yte)


def imdb_get_word_index(path="imdb_word_index.json"):
    """`{word: index}` for the IMDB dataset."""
    local = fetch(path, _BASE + "imdb_word_index.json", "bfafd718b763782e994055a2d397834f", "")
    with open(local) as f:
        return json.load(f)


def reuters_load_data(
    path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2, seed=113,
    start_char=1, oov_char=2, index_from=3,
):  # fmt: skip
    """Reuters newswires as word-index sequences with 46 topic labels."""
    local = fetch(path, _BASE + "reuters.npz",
                  _SHA_4, "")  # fmt: skip
    d = _load_object_npz(local)
    x, y = _sequences(d["x"], d["y"], num_words, skip_top, maxlen, seed, start_char, oov_char,
                      index_from)  # fmt: skip
    n = int(len(x) * (1 - test_split))
    return (x[:n], y[:n]), (x[n:], y[n:])


def reuters_get_word_index(path="reuters_word_index.json"):
    """`{word: index}` for the Reuters dataset."""
    local = fetch(path, _BASE + "reuters_word_index.json", "4d44cc38712099c9e383dc6e5f11a921", "")
    with open(local) as f:
        return json.load(f)


def boston_housing_load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """Boston housing prices: 13 features per house, target in $1000s."""
    if not 0 <= test_split < 1:
        raise ValueError(f"`test_split` must be between 0 and 1. Received: {test_split}")
    local = fetch(path, _BASE + "boston_housing.npz",
                  _SHA_5, "")  # fmt: skip
    with np.load(local, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    return split_train_test(x, y, test_split, seed)


def california_housing_load_data(version="large", path="california_housing.npz",
                                 test_split=0.2, seed=113):  # fmt: skip
    """California housing: 8 features per district, median house value target."""
    if version not in ("small", "large"):
        raise ValueError(
            f"Argument `version` must be one of 'small', 'large'. Received: version={version}."
        )
    local = fetch(path, _BASE + "california_housing.npz",
                  _SHA_6, "")  # fmt: skip
    with np.load(local, allow_pickle=False) as f:
        x, y = f["x"], f["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return split_train_test(x, y, test_split, seed)


__all__ = [n for n in dir() if n.endswith(("_load_data", "_get_word_index"))]
