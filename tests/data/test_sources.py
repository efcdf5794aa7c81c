"""Dataset sources, each compared with plain Python over the same values."""

import collections
import os

import numpy as np
import pytest

from tensorflux import data as tfd
import tensorflux as tf


def values(ds):
    return list(ds.as_numpy_iterator())


def test_from_tensor_slices_tuple_dict_namedtuple():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    y = np.array([1, 2, 3, 4])
    ds = tfd.Dataset.from_tensor_slices((x, y))
    assert ds.element_spec == (tf.TensorSpec([3], tf.float32), tf.TensorSpec([], tf.int64))
    got = values(ds)
    assert len(got) == 4
    for (a, b), ra, rb in zip(got, x, y):
        np.testing.assert_array_equal(a, ra)
        assert b == rb
    d = tfd.Dataset.from_tensor_slices({"a": [1, 2], "b": ["x", "y"]})
    assert d.element_spec == {"a": tf.TensorSpec([], tf.int32), "b": tf.TensorSpec([], tf.string)}
    assert values(d) == [{"a": 1, "b": b"x"}, {"a": 2, "b": b"y"}]
    P = collections.namedtuple("P", "u v")
    n = tfd.Dataset.from_tensor_slices(P([1, 2], [3.0, 4.0]))
    first = next(iter(n))
    assert type(first) is P and float(first.v) == 3.0


def test_from_tensor_slices_copies_and_checks():
    a = np.arange(3)
    ds = tfd.Dataset.from_tensor_slices(a)
    a[0] = 100
    assert values(ds) == [0, 1, 2]
    with pytest.raises(tf.errors.InvalidArgumentError):
        tfd.Dataset.from_tensor_slices((np.zeros(2), np.zeros(3)))
    with pytest.raises(ValueError):
        tfd.Dataset.from_tensor_slices(3)


def test_from_tensors_lists_are_tensors():
    ds = tfd.Dataset.from_tensors([1, 2])
    assert ds.element_spec == tf.TensorSpec([2], tf.int32)
    assert len(ds) == 1
    np.testing.assert_array_equal(values(ds)[0], [1, 2])


@pytest.mark.parametrize("args", [(5,), (2, 10), (2, 10, 3), (10, 2, -3), (3, 3)])
def test_range(args):
    ds = tfd.Dataset.range(*args)
    assert values(ds) == list(range(*args))
    assert len(ds) == len(range(*args))
    assert ds.element_spec == tf.TensorSpec([], tf.int64)
    assert tfd.Dataset.range(3, output_type=tf.int32).element_spec.dtype == tf.int32


def test_zip_and_concatenate():
    a, b = tfd.Dataset.range(3), tfd.Dataset.range(10, 15)
    z = tfd.Dataset.zip((a, b))
    assert values(z) == list(zip(range(3), range(10, 15)))
    assert int(z.cardinality()) == 3
    z2 = tfd.Dataset.zip(a, b)
    assert values(z2) == values(z)
    zd = tfd.Dataset.zip({"p": a, "q": (b, a)})
    assert values(zd)[1] == {"p": 1, "q": (11, 1)}
    with pytest.raises(TypeError):
        tfd.Dataset.zip([a, b])
    c = a.concatenate(b)
    assert values(c) == list(range(3)) + list(range(10, 15))
    assert len(c) == 8
    with pytest.raises(TypeError):
        a.concatenate(tfd.Dataset.from_tensors(1.0))


def test_from_generator_signature_types_args():
    def gen(n):
        for i in range(int(n)):
            yield i, [i] * i

    sig = (tf.TensorSpec([], tf.int64), tf.TensorSpec([None], tf.int64))
    ds = tfd.Dataset.from_generator(gen, output_signature=sig, args=(3,))
    got = values(ds)
    assert [g[0] for g in got] == [0, 1, 2]
    assert [list(g[1]) for g in got] == [[], [1], [2, 2]]
    assert ds.element_spec == sig
    assert int(ds.cardinality()) == tfd.UNKNOWN_CARDINALITY
    # output_types / output_shapes
    d2 = tfd.Dataset.from_generator(
        lambda: iter([1.0, 2.0]), output_types=tf.float32, output_shapes=()
    )
    assert d2.element_spec == tf.TensorSpec([], tf.float32)
    assert values(d2) == [1.0, 2.0]
    # a generator is called afresh on every iteration
    assert values(d2) == [1.0, 2.0]
    bad = tfd.Dataset.from_generator(
        lambda: iter([[1, 2]]), output_signature=tf.TensorSpec([3], tf.int32)
    )
    with pytest.raises(TypeError):
        values(bad)
    with pytest.raises(TypeError):
        tfd.Dataset.from_generator(lambda: iter([]))


def test_counter_random():
    assert values(tfd.Dataset.counter(2, 3).take(3)) == [2, 5, 8]
    assert int(tfd.Dataset.counter().cardinality()) == tfd.INFINITE_CARDINALITY
    r1 = values(tfd.Dataset.random(seed=4).take(5))
    r2 = values(tfd.Dataset.random(seed=4).take(5))
    assert r1 == r2 and len(set(r1)) == 5 and all(v >= 0 for v in r1)


def test_files(tmp_path):
    for i in range(3):
        (tmp_path / f"f{i}.txt").write_bytes(b"a%d\nbb%d\r\nlast" % (i, i))
    pattern = str(tmp_path / "*.txt")
    names = values(tfd.Dataset.list_files(pattern, shuffle=False))
    assert names == sorted(os.path.join(str(tmp_path), f"f{i}.txt").encode() for i in range(3))
    assert sorted(values(tfd.Dataset.list_files(pattern, seed=1))) == names
    lines = values(tfd.TextLineDataset([n.decode() for n in names]))
    assert lines[:3] == [b"a0", b"bb0", b"last"] and len(lines) == 9
    lines2 = values(
        tfd.Dataset.list_files(pattern, shuffle=False).interleave(
            tfd.TextLineDataset, cycle_length=1
        )
    )
    assert lines2 == lines
    (tmp_path / "rec.bin").write_bytes(b"HH" + b"abcdefgh" + b"F")
    recs = values(
        tfd.FixedLengthRecordDataset(str(tmp_path / "rec.bin"), 3, header_bytes=2, footer_bytes=1)
    )
    assert recs == [b"abc", b"def"]
    with pytest.raises(tf.errors.InvalidArgumentError):
        tfd.Dataset.list_files(str(tmp_path / "*.none"))


def test_csv(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text('x,y,name\n1,2.5,"a,b"\n3,,c\n')
    e = tfd.experimental
    ds = e.CsvDataset(str(p), [tf.int32, tf.constant(9.0), tf.string], header=True)
    assert values(ds) == [(1, 2.5, b"a,b"), (3, 9.0, b"c")]
    sel = e.CsvDataset(str(p), [0.0, "z"], header=True, select_cols=[1, 2])
    assert values(sel) == [(2.5, b"a,b"), (0.0, b"c")]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Field 1 is required"):
        values(e.CsvDataset(str(p), [tf.int32, tf.float32, tf.string], header=True))
    m = e.make_csv_dataset(str(p), batch_size=2, num_epochs=1, shuffle=False, label_name="x")
    ((feats, label),) = values(m)
    assert list(feats) == ["y", "name"] and label.tolist() == [1, 3]
    assert feats["y"].tolist() == [2.5, 0.0] and feats["name"].tolist() == [b"a,b", b"c"]
    assert m.element_spec[1] == tf.TensorSpec([None], tf.int32)
