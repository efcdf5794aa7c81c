"""Each transformation against plain Python over the same elements."""

import collections

import numpy as np
import pytest

from tensorflux import data as tfd
import tensorflux as tf

INF, UNK = tfd.INFINITE_CARDINALITY, tfd.UNKNOWN_CARDINALITY


def values(ds):
    return list(ds.as_numpy_iterator())


def card(ds):
    return int(ds.cardinality())


def test_map_forms_and_specs():
    ds = tfd.Dataset.range(5)
    assert values(ds.map(lambda x: x * 2)) == [2 * i for i in range(5)]
    pairs = ds.map(lambda x: [x, x + 1])  # lists become tuples
    assert isinstance(pairs.element_spec, tuple)
    assert values(pairs.map(lambda a, b: a * b)) == [i * (i + 1) for i in range(5)]
    d = ds.map(lambda x: {"v": x, "w": (x, tf.cast(x, tf.float32))})
    assert d.element_spec["w"][1] == tf.TensorSpec([], tf.float32)
    assert values(d.map(lambda e: e["w"][0] + e["v"])) == [2 * i for i in range(5)]
    assert ds.map(lambda x: 1.5).element_spec == tf.TensorSpec([], tf.float32)
    P = collections.namedtuple("P", "a b")
    nt = ds.map(lambda x: P(x, -x))
    assert values(nt.map(lambda p: p.a + p.b)) == [0] * 5  # namedtuples are not unpacked
    assert card(ds.map(lambda x: x)) == 5


@pytest.mark.parametrize("par", [None, 1, 3, tfd.AUTOTUNE])
def test_map_parallel_keeps_order(par):
    ds = tfd.Dataset.range(1000).map(lambda x: x * 3 + 1, num_parallel_calls=par)
    assert values(ds) == [i * 3 + 1 for i in range(1000)]


def test_map_parallel_nondeterministic_same_multiset():
    ds = tfd.Dataset.range(500).map(lambda x: x + 1, num_parallel_calls=2, deterministic=False)
    assert sorted(values(ds)) == list(range(1, 501))


def test_map_traced_once_side_effects():
    calls = []

    def f(x):
        calls.append(1)
        return x + 1

    ds = tfd.Dataset.range(10).map(f)
    assert len(calls) == 1
    assert values(ds) == list(range(1, 11))
    assert values(ds) == list(range(1, 11))
    assert len(calls) == 1


def test_map_captures_variable_reads_live_value():
    v = tf.Variable(2, dtype=tf.int64)
    ds = tfd.Dataset.range(3).map(lambda x: x * v)
    assert values(ds) == [0, 2, 4]
    v.assign(10)
    assert values(ds) == [0, 10, 20]


def test_vectorized_map_batch_equals_per_element():
    x = np.random.RandomState(0).rand(1000, 7).astype(np.float32)
    fn = lambda v: tf.sqrt(v * 2.0 + 1.0) - tf.constant([1, 2, 3, 4, 5, 6, 7], tf.float32)  # noqa
    fused = tfd.Dataset.from_tensor_slices(x).map(fn).batch(64)
    assert fused._input._fn.vectorizable
    opts = tfd.Options()
    opts.experimental_optimization.map_and_batch_fusion = False
    plain = fused.with_options(opts)
    ref = np.sqrt(x * 2 + 1) - np.arange(1, 8, dtype=np.float32)
    a, b = values(fused), values(plain)
    assert len(a) == len(b) == 16 and a[-1].shape == (40, 7)
    np.testing.assert_allclose(np.concatenate(a), ref, rtol=1e-6)
    np.testing.assert_array_equal(np.concatenate(a), np.concatenate(b))
    # non-elementwise functions are not vectorized
    red = tfd.Dataset.from_tensor_slices(x).map(lambda v: v / tf.reduce_sum(v))
    assert not red._fn.vectorizable
    np.testing.assert_allclose(
        np.concatenate(values(red.batch(100))), x / x.sum(1, keepdims=True), rtol=1e-5
    )
    # drop_remainder on the vectorized path
    assert [b.shape[0] for b in values(fused.unbatch().batch(300, drop_remainder=True))] == [
        300
    ] * 3


def test_filter():
    ds = tfd.Dataset.range(20).filter(lambda x: x % 3 == 0)
    assert values(ds) == [i for i in range(20) if i % 3 == 0]
    assert card(ds) == UNK
    with pytest.raises(ValueError, match="predicate"):
        tfd.Dataset.range(3).filter(lambda x: x)
    z = tfd.Dataset.zip((tfd.Dataset.range(5), tfd.Dataset.range(5)))
    assert values(z.filter(lambda a, b: a + b > 4)) == [(3, 3), (4, 4)]


def test_flat_map_interleave():
    ds = tfd.Dataset.range(1, 4)
    fm = ds.flat_map(lambda x: tfd.Dataset.from_tensors(x).repeat(x))
    assert values(fm) == [1, 2, 2, 3, 3, 3]
    il = ds.interleave(lambda x: tfd.Dataset.from_tensors(x).repeat(x), cycle_length=2)
    assert values(il) == [1, 2, 2, 3, 3, 3]  # TensorFlow's order
    il2 = tfd.Dataset.range(1, 6).interleave(
        lambda x: tfd.Dataset.from_tensors(x).repeat(x), cycle_length=2, block_length=2
    )
    assert values(il2) == [1, 2, 2, 3, 3, 3, 4, 4, 5, 5, 4, 4, 5, 5, 5]
    par = tfd.Dataset.range(1, 6).interleave(
        lambda x: tfd.Dataset.from_tensors(x).repeat(x),
        cycle_length=2,
        block_length=2,
        num_parallel_calls=2,
    )
    assert values(par) == values(il2)


def test_batch_and_static_dims():
    ds = tfd.Dataset.range(10)
    b = ds.batch(4)
    got = values(b)
    assert [list(x) for x in got] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert b.element_spec == tf.TensorSpec([None], tf.int64) and card(b) == 3
    bd = ds.batch(4, drop_remainder=True)
    assert bd.element_spec == tf.TensorSpec([4], tf.int64) and card(bd) == 2
    assert len(values(bd)) == 2
    t = tfd.Dataset.zip((ds, ds.map(lambda x: tf.cast(x, tf.float32)))).batch(3)
    first = values(t)[0]
    np.testing.assert_array_equal(first[1], [0.0, 1.0, 2.0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        ds.batch(0)
    ragged = tfd.Dataset.from_generator(
        lambda: iter([[1], [1, 2]]), output_signature=tf.TensorSpec([None], tf.int32)
    )
    with pytest.raises(tf.errors.InvalidArgumentError):
        values(ragged.batch(2))


def test_padded_batch():
    ds = tfd.Dataset.range(5).map(lambda x: tf.ones(tf.reshape(x, [1]), tf.int64) * x)
    pb = ds.padded_batch(2, padding_values=tf.constant(-1, tf.int64))
    assert pb.element_spec == tf.TensorSpec([None, None], tf.int64)
    got = [x.tolist() for x in values(pb)]
    assert got == [[[-1], [1]], [[2, 2, -1], [3, 3, 3]], [[4, 4, 4, 4]]]
    fixed = ds.padded_batch(2, padded_shapes=[5], drop_remainder=True)
    assert fixed.element_spec == tf.TensorSpec([2, 5], tf.int64)
    assert values(fixed)[1].tolist() == [[2, 2, 0, 0, 0], [3, 3, 3, 0, 0]]
    with pytest.raises(tf.errors.InvalidArgumentError):
        values(ds.padded_batch(2, padded_shapes=[2]))


def test_unbatch_rebatch():
    ds = tfd.Dataset.range(10).batch(4)
    assert values(ds.unbatch()) == list(range(10))
    assert [list(b) for b in values(ds.rebatch(3))] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    with pytest.raises(ValueError):
        tfd.Dataset.range(3).unbatch()


def test_shuffle_uniform_and_seeded():
    ds = tfd.Dataset.range(10)
    s = ds.shuffle(4, seed=1)
    a, b = values(s), values(s)
    assert sorted(a) == list(range(10)) and sorted(b) == list(range(10))
    assert a != b  # reshuffled each iteration
    fixed = ds.shuffle(4, seed=1, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    assert values(ds.shuffle(4, seed=7)) == values(ds.shuffle(4, seed=7))
    # an element cannot move earlier than buffer_size allows
    for _ in range(5):
        out = values(tfd.Dataset.range(30).shuffle(3))
        assert all(out.index(v) >= v - 2 for v in range(30))
    # uniform: with buffer 2, the first output is element 0 or 1 with equal chance
    firsts = [values(tfd.Dataset.range(2).shuffle(2, seed=i))[0] for i in range(200)]
    assert 60 < sum(firsts) < 140
    with pytest.raises(tf.errors.InvalidArgumentError):
        ds.shuffle(0)


def test_repeat_take_skip_shard_cardinality():
    ds = tfd.Dataset.range(5)
    assert values(ds.repeat(2)) == list(range(5)) * 2
    assert card(ds.repeat()) == INF and card(ds.repeat(0)) == 0
    assert values(ds.repeat().take(12)) == (list(range(5)) * 3)[:12]
    assert values(ds.take(3)) == [0, 1, 2] and values(ds.take(-1)) == list(range(5))
    assert values(ds.skip(3)) == [3, 4] and values(ds.skip(-1)) == []
    assert values(tfd.Dataset.range(10).shard(3, 1)) == [1, 4, 7]
    assert card(tfd.Dataset.range(10).shard(3, 1)) == 3
    assert card(tfd.Dataset.range(10).shard(3, 2)) == 3
    assert card(ds.repeat().take(3)) == 3 and card(ds.repeat().skip(3)) == INF
    assert card(ds.filter(lambda x: True).take(0)) == UNK
    with pytest.raises(tf.errors.InvalidArgumentError, match="num_shards = 0"):
        ds.shard(0, 0)
    with pytest.raises(tf.errors.InvalidArgumentError, match="index = 3"):
        ds.shard(2, 3)
    assert values(tfd.Dataset.range(0).repeat()) == []


def test_len():
    assert len(tfd.Dataset.range(7).batch(2)) == 4
    with pytest.raises(TypeError, match="infinite"):
        len(tfd.Dataset.range(3).repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(tfd.Dataset.range(3).filter(lambda x: True))


def test_cache_memory_and_file(tmp_path):
    calls = []

    def gen():
        calls.append(1)
        yield from range(4)

    src = tfd.Dataset.from_generator(gen, output_signature=tf.TensorSpec([], tf.int64))
    c = src.cache()
    assert values(c) == [0, 1, 2, 3] and values(c) == [0, 1, 2, 3]
    assert len(calls) == 1
    names = tfd.Dataset.from_tensor_slices(["a", "bb", "", "dddd"])
    f = tfd.Dataset.zip((src.map(lambda x: (x, tf.cast(x, tf.float32) / 2)), names))
    fc = f.cache(str(tmp_path / "c"))
    first = values(fc)
    n = len(calls)
    assert values(fc) == first and len(calls) == n
    again = f.cache(str(tmp_path / "c"))  # a new dataset reads the files
    assert values(again) == first and len(calls) == n
    assert first[3] == ((3, 1.5), b"dddd")
    # a partial first pass caches nothing and leaves no temporary file
    part = src.cache(str(tmp_path / "p"))
    it = iter(part)
    next(it)
    del it
    import gc

    gc.collect()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.tfxcache"]
    assert values(part) == [0, 1, 2, 3]
    assert (tmp_path / "p.tfxcache").exists()


def test_window():
    w = tfd.Dataset.range(7).window(3, 2)
    assert repr(w.element_spec).startswith("DatasetSpec(")
    assert [values(x) for x in w] == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]
    d = tfd.Dataset.range(7).window(3, 2, 2, drop_remainder=True).flat_map(lambda x: x.batch(3))
    assert [list(x) for x in values(d)] == [[0, 2, 4], [2, 4, 6]]
    assert card(tfd.Dataset.range(7).window(3, 2, 2)) == 4
    assert card(tfd.Dataset.range(7).window(3, 2, 2, True)) == 2
    pairs = tfd.Dataset.zip((tfd.Dataset.range(4), tfd.Dataset.range(4))).window(2)
    a, b = next(iter(pairs))
    assert values(a) == [0, 1] and values(b) == [0, 1]


def test_scan_reduce_enumerate_take_while_unique_apply():
    ds = tfd.Dataset.range(6)
    sc = ds.scan(tf.constant(0, tf.int64), lambda s, x: (s + x, s * 10))
    assert values(sc) == [0, 0, 10, 30, 60, 100]
    assert int(ds.reduce(tf.constant(0, tf.int64), lambda s, x: s + x)) == 15
    r = ds.reduce((np.int64(0), np.int64(1)), lambda s, x: (s[0] + x, s[1] * (x + 1)))
    assert int(r[0]) == 15 and int(r[1]) == 720
    assert values(ds.enumerate(3)) == [(i + 3, i) for i in range(6)]
    assert values(ds.take_while(lambda x: x < 3)) == [0, 1, 2]
    u = tfd.Dataset.from_tensor_slices([1, 2, 1, 3, 2]).unique()
    assert values(u) == [1, 2, 3]
    s = tfd.Dataset.from_tensor_slices(["a", "b", "a"]).unique()
    assert values(s) == [b"a", b"b"]
    with pytest.raises(TypeError, match="only `tf.int32`"):
        tfd.Dataset.from_tensors(1.0).unique()
    assert values(ds.apply(lambda d: d.take(2))) == [0, 1]
    with pytest.raises(TypeError):
        ds.apply(lambda d: 3)


def test_get_single_element():
    assert int(tfd.Dataset.from_tensors(3).get_single_element()) == 3
    with pytest.raises(tf.errors.InvalidArgumentError, match="more than one"):
        tfd.Dataset.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match="empty"):
        tfd.Dataset.range(0).get_single_element()
    assert int(tfd.experimental.get_single_element(tfd.Dataset.range(1))) == 0
