"""Grouping, sampling, save/load, options and tf.data.experimental."""

import collections

import numpy as np
import pytest

from tensorflux import data as tfd
import tensorflux as tf


def values(ds):
    return list(ds.as_numpy_iterator())


def test_group_by_window():
    ds = tfd.Dataset.range(10)
    g = ds.group_by_window(lambda x: x % 3, lambda k, w: w.batch(2), window_size=2)
    assert [list(x) for x in values(g)] == [[0, 3], [1, 4], [2, 5], [6, 9], [7], [8]]
    assert g.element_spec == tf.TensorSpec([None], tf.int64)
    g2 = ds.apply(
        tfd.experimental.group_by_window(
            lambda x: x % 2, lambda k, w: w.batch(10), window_size_func=lambda k: k + 2
        )
    )
    assert [list(x) for x in values(g2)] == [[0, 2], [1, 3, 5], [4, 6], [8], [7, 9]]
    g3 = tfd.Dataset.range(14).group_by_window(
        lambda x: (x * 7) % 4, lambda k, w: w.batch(10), window_size=5
    )
    assert [list(x) for x in values(g3)] == [[0, 4, 8, 12], [3, 7, 11], [2, 6, 10], [1, 5, 9, 13]]
    with pytest.raises(ValueError):
        ds.group_by_window(lambda x: x % 3, lambda k, w: w)
    with pytest.raises(ValueError, match="int64"):
        ds.group_by_window(lambda x: tf.cast(x, tf.int32), lambda k, w: w, window_size=2)


def test_bucket_by_sequence_length():
    src = tfd.Dataset.from_generator(
        lambda: iter([[1], [1, 2, 3], [1, 2], [4, 5, 6, 7, 8]]),
        output_signature=tf.TensorSpec([None], tf.int32),
    )
    bb = src.bucket_by_sequence_length(lambda x: tf.shape(x)[0], [2, 4], [2, 2, 2])
    got = [x.tolist() for x in values(bb)]
    assert got == [[[1, 2, 3], [1, 2, 0]], [[1]], [[4, 5, 6, 7, 8]]]  # TensorFlow's output
    assert bb.element_spec == tf.TensorSpec([None, None], tf.int32)
    padded = src.bucket_by_sequence_length(
        lambda x: tf.shape(x)[0], [3, 9], [2, 2, 2], pad_to_bucket_boundary=True
    )
    assert [x.shape for x in values(padded)] == [(2, 2), (2, 8)]


def test_sample_and_choose():
    a, b = tfd.Dataset.range(3), tfd.Dataset.range(10, 13)
    s = tfd.Dataset.sample_from_datasets([a, b], seed=1)
    got = values(s)
    assert sorted(got) == [0, 1, 2, 10, 11, 12]
    assert [v for v in got if v < 10] == [0, 1, 2]  # each input keeps its order
    assert int(s.cardinality()) == tfd.UNKNOWN_CARDINALITY
    only_b = tfd.Dataset.sample_from_datasets([a, b], weights=[0.0, 1.0], seed=2)
    assert values(only_b.take(3)) == [10, 11, 12]
    stop = tfd.Dataset.sample_from_datasets(
        [a, b.repeat()], [0.5, 0.5], seed=3, stop_on_empty_dataset=True
    )
    assert len([v for v in values(stop) if v < 10]) == 3
    counts = collections.Counter(
        int(v >= 10)
        for v in values(
            tfd.Dataset.sample_from_datasets(
                [tfd.Dataset.range(10).repeat(), tfd.Dataset.range(10, 20).repeat()],
                [0.25, 0.75],
                seed=5,
            ).take(2000)
        )
    )
    assert 1350 < counts[1] < 1650
    choice = tfd.Dataset.from_tensor_slices(tf.constant([0, 1, 1, 0, 0, 0, 1], tf.int64))
    c = tfd.Dataset.choose_from_datasets([a, b], choice)
    assert values(c) == [0, 10, 11, 1, 2]  # TensorFlow stops at the first empty input
    c2 = tfd.Dataset.choose_from_datasets([a, b], choice, stop_on_empty_dataset=False)
    assert values(c2) == [0, 10, 11, 1, 2, 12]
    with pytest.raises(TypeError):
        tfd.Dataset.choose_from_datasets(
            [a, b], tfd.Dataset.range(2).map(lambda x: tf.cast(x, tf.int32))
        )


def test_rejection_resample():
    ds = tfd.Dataset.range(4000).map(lambda x: x % 10)
    res = ds.rejection_resample(lambda x: tf.cast(x < 2, tf.int32), [0.5, 0.5], seed=1)
    assert res.element_spec == (tf.TensorSpec([], tf.int32), tf.TensorSpec([], tf.int64))
    got = values(res)
    assert all(int(c) == int(v < 2) for c, v in got)
    frac = np.mean([c for c, _ in got])
    assert 0.4 < frac < 0.6  # input has 20% class 1


def test_save_load(tmp_path):
    P = collections.namedtuple("P", "x y")
    ds = tfd.Dataset.range(5).map(
        lambda i: {"a": P(i, tf.cast(i, tf.float32) / 2), "s": tf.reshape(i, [1])}
    )
    path = str(tmp_path / "saved")
    ds.save(path)
    back = tfd.Dataset.load(path)
    assert back.element_spec["s"] == tf.TensorSpec([1], tf.int64)
    got = values(back)
    assert [g["a"].x for g in got] == list(range(5))
    assert [float(g["a"].y) for g in got] == [i / 2 for i in range(5)]
    strings = tfd.Dataset.from_tensor_slices(["ab", "", "xyz"])
    strings.save(str(tmp_path / "s"), compression="GZIP")
    assert values(tfd.experimental.load(str(tmp_path / "s"), compression="GZIP")) == [
        b"ab",
        b"",
        b"xyz",
    ]
    tfd.experimental.save(tfd.Dataset.range(6), str(tmp_path / "sh"), shard_func=lambda x: x % 2)
    assert sorted(values(tfd.Dataset.load(str(tmp_path / "sh")))) == list(range(6))
    with pytest.raises(tf.errors.NotFoundError):
        tfd.Dataset.load(str(tmp_path / "missing"))


def test_assert_cardinality_ignore_errors():
    ds = tfd.Dataset.range(5).filter(lambda x: True)
    assert int(ds.apply(tfd.experimental.assert_cardinality(5)).cardinality()) == 5
    with pytest.raises(tf.errors.FailedPreconditionError, match="at least 4"):
        values(ds.apply(tfd.experimental.assert_cardinality(3)))
    with pytest.raises(tf.errors.FailedPreconditionError, match="only 5"):
        values(ds.apply(tfd.experimental.assert_cardinality(7)))
    bad = tfd.Dataset.from_tensor_slices([1.0, 0.0, 2.0]).map(
        lambda x: tf.debugging.check_numerics(1.0 / x, "boom")
    )
    assert values(bad.ignore_errors()) == [1.0, 0.5]
    assert values(bad.apply(tfd.experimental.ignore_errors())) == [1.0, 0.5]


def test_options():
    o = tfd.Options()
    assert o.deterministic is None and o.threading.private_threadpool_size is None
    assert o.autotune.enabled is None
    with pytest.raises(AttributeError, match="Cannot set the property foo"):
        o.foo = 1
    with pytest.raises(TypeError, match="must be of type"):
        o.deterministic = 3
    o.deterministic = False
    o.threading.private_threadpool_size = 4
    ds = tfd.Dataset.range(3).with_options(o)
    assert ds.options().deterministic is False
    assert ds.map(lambda x: x).options().threading.private_threadpool_size == 4
    o2 = tfd.Options()
    o2.deterministic = True
    assert ds.with_options(o2).options().deterministic is True
    assert tfd.Options() == tfd.Options() and o != tfd.Options()
    assert o.experimental_deterministic is False
    opt = tfd.experimental.OptimizationOptions()
    assert opt.map_and_batch_fusion is None


def test_experimental_aliases():
    e = tfd.experimental
    assert e.AUTOTUNE == tfd.AUTOTUNE == -1
    assert e.INFINITE_CARDINALITY == -1 and e.UNKNOWN_CARDINALITY == -2
    ds = tfd.Dataset.range(4)
    assert int(e.cardinality(ds)) == 4
    assert values(ds.apply(e.enumerate_dataset(1)))[0] == (1, 0)
    assert values(ds.batch(2).apply(e.unbatch())) == [0, 1, 2, 3]
    assert values(ds.apply(e.take_while(lambda x: x < 2))) == [0, 1]
    assert values(ds.apply(e.scan(np.int64(0), lambda s, x: (s + x, s)))) == [0, 0, 1, 3]
    assert values(e.from_list([(1, "a"), (2, "b")])) == [(1, b"a"), (2, b"b")]
    assert e.get_structure(ds) == tf.TensorSpec([], tf.int64)
    assert [list(b) for b in values(ds.apply(e.map_and_batch(lambda x: x + 1, 3)))] == [
        [1, 2, 3],
        [4],
    ]
    o = e.get_next_as_optional(iter(ds.take(0)))
    assert not bool(o.has_value())


def test_group_by_reducer_at_counter_pad():
    e = tfd.experimental
    r = e.Reducer(
        init_func=lambda k: tf.constant(0, tf.int64),
        reduce_func=lambda s, x: s + x,
        finalize_func=lambda s: s * 10,
    )
    ds = tfd.Dataset.range(10).apply(e.group_by_reducer(lambda x: x % 3, r))
    assert values(ds) == [180, 120, 150]  # TensorFlow's output
    assert int(e.at(tfd.Dataset.range(10).map(lambda x: x * 3), 4)) == 12
    with pytest.raises(tf.errors.OutOfRangeError, match=r"\[0, 3\):5"):
        e.at(tfd.Dataset.range(3), 5)
    c = e.Counter(5, 2, dtype=tf.int32)
    assert values(c.take(2)) == [5, 7] and c.element_spec.dtype == tf.int32
    p = tfd.Dataset.from_tensor_slices({"a": [1, 2]}).apply(e.pad_to_cardinality(4))
    assert values(p) == [
        {"a": 1, "valid": True},
        {"a": 2, "valid": True},
        {"a": 0, "valid": False},
        {"a": 0, "valid": False},
    ]
    spec = tfd.DatasetSpec(tf.TensorSpec([], tf.int64))
    assert tfd.Dataset.range(3).window(2).element_spec == spec


def test_copy_and_prefetch_to_device():
    e = tfd.experimental
    ds = tfd.Dataset.range(4).apply(e.prefetch_to_device("/cpu:0"))
    got = list(ds)
    assert [int(x) for x in got] == [0, 1, 2, 3]
    assert got[0].device.endswith("CPU:0")
    c = tfd.Dataset.range(2).map(lambda x: (x, x + 1)).apply(e.copy_to_device("/cpu:0"))
    assert values(c) == [(0, 1), (1, 2)]
