"""keras.utils: to_categorical, normalize, pad_sequences, get_file, seeds, dataset helpers."""

import hashlib
import os
import random
import tarfile

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import utils


def test_to_categorical():
    r = utils.to_categorical([1, 2, 0])
    assert r.dtype == np.float64
    np.testing.assert_array_equal(r, np.eye(3)[[1, 2, 0]])
    assert utils.to_categorical(np.array([[1], [3]]), num_classes=5).shape == (2, 5)
    assert utils.to_categorical(np.array([[1, 2], [0, 1]])).shape == (2, 2, 3)
    t = utils.to_categorical(tf.constant([1, 0]), 3)
    assert t.dtype == tf.float32
    np.testing.assert_array_equal(t.numpy(), [[0, 1, 0], [1, 0, 0]])


def test_normalize():
    r = utils.normalize(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert r.dtype == np.float64
    np.testing.assert_allclose(r, [[0.6, 0.8], [0, 0]])
    r = utils.normalize(np.array([[3.0, 4.0]], dtype="float32"), order=1)
    assert r.dtype == np.float32
    np.testing.assert_allclose(r, [[3 / 7, 4 / 7]], rtol=1e-6)
    t = utils.normalize(tf.constant([[3.0, 4.0]]))
    np.testing.assert_allclose(t.numpy(), [[0.6, 0.8]], rtol=1e-6)
    with pytest.raises(ValueError, match="must be an int >= 1"):
        utils.normalize(tf.constant([[3.0, 4.0]]), order=0)


def test_pad_sequences():
    r = utils.pad_sequences([[1, 2, 3], [4, 5]])
    assert r.dtype == np.int32
    np.testing.assert_array_equal(r, [[1, 2, 3], [0, 4, 5]])
    r = utils.pad_sequences([[1, 2, 3], [4, 5]], maxlen=2, padding="post", truncating="post",
                            value=9)
    np.testing.assert_array_equal(r, [[1, 2], [4, 5]])
    r = utils.pad_sequences([[1, 2, 3], [4]], maxlen=2, padding="post")
    np.testing.assert_array_equal(r, [[2, 3], [4, 0]])
    r = utils.pad_sequences([[1.5, 2], [4]], dtype="float32")
    np.testing.assert_array_equal(r, [[1.5, 2.0], [0.0, 4.0]])
    r = utils.pad_sequences([["a", "b"], ["c"]], dtype=object, value="-")
    assert r.tolist() == [["a", "b"], ["-", "c"]]
    with pytest.raises(ValueError, match='Padding type "mid" not understood'):
        utils.pad_sequences([[1]], padding="mid")
    with pytest.raises(ValueError, match="is not compatible with `value`'s type"):
        utils.pad_sequences([[1]], value="x")


def test_pack_unpack_are_exported():
    assert utils.unpack_x_y_sample_weight((1, 2)) == (1, 2, None)
    assert utils.pack_x_y_sample_weight(1, 2, 3) == (1, 2, 3)


def test_set_random_seed_repeats_draws():
    utils.set_random_seed(7)
    a = (random.random(), np.random.rand(), tf.random.uniform(()).numpy())
    utils.set_random_seed(7)
    b = (random.random(), np.random.rand(), tf.random.uniform(()).numpy())
    assert a == b
    with pytest.raises(ValueError, match="Expected `seed` argument to be an integer"):
        utils.set_random_seed(1.5)


def test_get_file_caches_checks_hash_and_extracts(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    payload = src / "data.txt"
    payload.write_text("hello")
    sha = hashlib.sha256(b"hello").hexdigest()
    url = "file://" + str(payload)
    cache = tmp_path / "cache"
    path = utils.get_file("data.txt", url, file_hash=sha, cache_dir=str(cache))
    assert path == str(cache / "datasets" / "data.txt") and open(path).read() == "hello"
    assert "Downloading data from" in capsys.readouterr().out
    utils.get_file("data.txt", url, file_hash=sha, cache_dir=str(cache))
    assert capsys.readouterr().out == ""  # cached: no download
    with pytest.raises(ValueError, match="Incomplete or corrupted file detected"):
        utils.get_file("other.txt", url, file_hash="0" * 64, cache_dir=str(cache))
    with pytest.raises(ValueError, match="Paths are no longer accepted"):
        utils.get_file("a/b.txt", url, cache_dir=str(cache))
    with pytest.raises(ValueError, match='specify the "origin" argument'):
        utils.get_file("x")
    archive = src / "pack.tar.gz"
    with tarfile.open(archive, "w:gz") as t:
        t.add(payload, arcname="inner/data.txt")
    out = utils.get_file("pack.tar.gz", "file://" + str(archive), extract=True,
                         cache_dir=str(cache))
    assert out == str(cache / "datasets" / "pack_extracted")
    assert open(os.path.join(out, "inner", "data.txt")).read() == "hello"


def test_split_dataset_and_timeseries():
    left, right = utils.split_dataset(np.arange(10), left_size=0.8)
    assert [int(v) for v in left.as_numpy_iterator()] == list(range(8))
    assert [int(v) for v in right.as_numpy_iterator()] == [8, 9]
    left, right = utils.split_dataset((np.arange(6), np.arange(6) * 2), right_size=2,
                                      shuffle=True, seed=1)
    pairs = list(left.as_numpy_iterator()) + list(right.as_numpy_iterator())
    assert sorted(int(a) for a, _ in pairs) == list(range(6))
    assert all(int(b) == 2 * int(a) for a, b in pairs)
    with pytest.raises(ValueError):
        utils.split_dataset(np.arange(4), left_size=3, right_size=3)
    ds = utils.timeseries_dataset_from_array(np.arange(10), np.arange(10) * 10, 3,
                                             batch_size=4)
    batches = list(ds.as_numpy_iterator())
    np.testing.assert_array_equal(batches[0][0], [[0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5]])
    np.testing.assert_array_equal(batches[0][1], [0, 10, 20, 30])
    assert sum(len(b[0]) for b in batches) == 8
    ds = utils.timeseries_dataset_from_array(np.arange(20), None, 3, sequence_stride=4,
                                             sampling_rate=2, batch_size=None)
    got = [w.tolist() for w in ds.as_numpy_iterator()]
    assert got == [[0, 2, 4], [4, 6, 8], [8, 10, 12], [12, 14, 16]]


def test_plot_model_needs_pydot():
    try:
        import pydot  # noqa: F401
    except ImportError:
        with pytest.raises(ImportError, match="You must install pydot"):
            utils.plot_model(object())
    else:
        with pytest.raises(NotImplementedError):
            utils.plot_model(object())


def test_pydataset_defaults():
    class D(utils.PyDataset):
        def __len__(self):
            return 3

    d = D()
    assert d.num_batches == 3 and d.workers == 1 and not d.use_multiprocessing
    assert utils.Sequence is utils.PyDataset
    assert utils.PyDataset().num_batches is None


def test_py_dataset_workers_fetch_in_threads_in_order():
    import threading
    import time

    import numpy as np

    import tensorflux as tf

    class Batches(tf.keras.utils.PyDataset):
        def __init__(self):
            super().__init__(workers=3, max_queue_size=4)
            self.threads = set()
            self.epochs = 0

        def __len__(self):
            return 6

        def __getitem__(self, i):
            self.threads.add(threading.get_ident())
            time.sleep(0.01 * (6 - i))  # later batches finish first: order must still hold
            x = np.full((2, 1), float(i), np.float32)
            return x, x

        def on_epoch_end(self):
            self.epochs += 1

    from tensorflux._src.keras.trainers.data_adapters import PyDatasetAdapter

    ds = Batches()
    seen = [float(b[0][0, 0]) for b in PyDatasetAdapter(ds).epoch_batches()]
    assert seen == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert len(ds.threads) > 1 and threading.get_ident() not in ds.threads
    assert ds.epochs == 1
    model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    assert len(model.fit(ds, epochs=2, verbose=0).history["loss"]) == 2
    assert ds.epochs == 3
