"""TFRecord framing, tf.train.Example wire format, and parse_example / parse_single_example."""

import os
import subprocess
import textwrap

import pytest

import tensorflux as tf
from tensorflux._src.io.tfrecord import encode_record, masked_crc, tf_record_iterator

# tf.train.Example bytes as TensorFlow 2.21 serializes them (features a: int64 [1, 2], b: 0.5,
# c: b"x"); map entries in insertion order c, b, a.
TF_BYTES = bytes.fromhex(
    "0a280a0d0a0162120812060a040000003f0a0a0a016312050a030a01780a0b0a016112061a040a020102"
)


def _example(a=(1, 2), b=0.5):
    return tf.train.Example(features=tf.train.Features(feature={
        "a": tf.train.Feature(int64_list=tf.train.Int64List(value=list(a))),
        "b": tf.train.Feature(float_list=tf.train.FloatList(value=[b])),
    }))  # fmt: skip


def test_example_bytes_match_tensorflow():
    e = tf.train.Example.FromString(TF_BYTES)
    assert list(e.features.feature["a"].int64_list.value) == [1, 2]
    assert e.features.feature["c"].bytes_list.value[0] == b"x"
    built = tf.train.Example(features=tf.train.Features(feature={
        "c": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"x"])),
        "b": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5])),
        "a": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 2])),
    }))  # fmt: skip
    assert built == e and tf.train.Example.FromString(built.SerializeToString()) == e
    # without maps the bytes are fixed: packed int64 list, float list, oneof field numbers
    f = tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 2]))
    assert f.SerializeToString() == bytes.fromhex("1a040a020102")
    g = tf.train.Feature(float_list=tf.train.FloatList(value=[0.5]))
    assert g.SerializeToString() == bytes.fromhex("12060a040000003f")
    assert type(e).__name__ == "Example" and "int64_list" in str(e)


def test_masked_crc_known_value_and_framing():
    # CRC32C("123456789") is 0xE3069283 (RFC 3720); the mask rotates and adds 0xa282ead8.
    c = 0xE3069283
    assert masked_crc(b"123456789") == ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + 0xA282EAD8) % 2**32
    rec = encode_record(b"abc")
    assert len(rec) == 8 + 4 + 3 + 4 and rec[:8] == (3).to_bytes(8, "little")


@pytest.mark.parametrize("compression", ["", "GZIP", "ZLIB"])
def test_write_read_round_trip(tmp_path, compression):
    path = str(tmp_path / "r.tfrecord")
    records = [b"", b"abc", _example().SerializeToString(), bytes(range(256)) * 10]
    with tf.io.TFRecordWriter(path, tf.io.TFRecordOptions(compression)) as w:
        for r in records:
            w.write(r)
    assert list(tf_record_iterator(path, compression)) == records
    assert not [f for f in os.listdir(tmp_path) if f.startswith(".tmp")]


def test_corruption_and_truncation_raise_data_loss(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"hello world")
        w.write(b"second")
    data = bytearray(open(path, "rb").read())
    data[14] ^= 0xFF  # a payload byte of the first record
    open(path, "wb").write(bytes(data))
    with pytest.raises(tf.errors.DataLossError, match="corrupted record"):
        list(tf_record_iterator(path))
    open(path, "wb").write(bytes(data[:20]))
    with pytest.raises(tf.errors.DataLossError):
        list(tf_record_iterator(path))


def test_writer_failure_leaves_old_file(tmp_path):
    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"old")
    with pytest.raises(RuntimeError):
        with tf.io.TFRecordWriter(path) as w:
            w.write(b"new")
            raise RuntimeError("interrupted")
    assert list(tf_record_iterator(path)) == [b"old"]


def test_parse_single_example_dense_and_defaults():
    s = _example().SerializeToString()
    out = tf.io.parse_single_example(s, {
        "a": tf.io.FixedLenFeature([2], tf.int64),
        "b": tf.io.FixedLenFeature([], tf.float32),
        "z": tf.io.FixedLenFeature([1], tf.float32, default_value=[7.0]),
    })  # fmt: skip
    assert out["a"].dtype == tf.int64 and out["a"].numpy().tolist() == [1, 2]
    assert out["b"].shape == () and float(out["b"]) == 0.5
    assert out["z"].numpy().tolist() == [7.0]


def test_parse_example_batch_sequence_and_tf_function():
    ss = [_example((1, 2)).SerializeToString(), _example((3, 4)).SerializeToString()]
    spec = {"a": tf.io.FixedLenFeature([2], tf.int64)}
    assert tf.io.parse_example(ss, spec)["a"].numpy().tolist() == [[1, 2], [3, 4]]
    seq = {"a": tf.io.FixedLenSequenceFeature([], tf.int64, allow_missing=True)}
    assert tf.io.parse_example(ss[:1], seq)["a"].numpy().tolist() == [[1, 2]]
    f = tf.function(lambda x: tf.io.parse_example(x, spec)["a"])
    assert f(tf.constant(ss)).numpy().tolist() == [[1, 2], [3, 4]]


def test_parse_errors_match_tensorflow():
    s = _example().SerializeToString()
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Feature: q \(data type: float\) is required but could not be found"):
        tf.io.parse_single_example(s, {"q": tf.io.FixedLenFeature([], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Data types don't match. Data type: int64 but expected type: float"):
        tf.io.parse_single_example(s, {"a": tf.io.FixedLenFeature([2], tf.float32)})


def _tf_python():
    from tests.differential.test_vs_tensorflow import _tf_python as find

    return find()


@pytest.mark.tf
def test_tfrecord_files_move_both_ways_with_tensorflow(tmp_path):
    py = _tf_python()
    if py is None:
        pytest.skip("no TensorFlow interpreter")
    ours = str(tmp_path / "ours.tfrecord")
    theirs = str(tmp_path / "theirs.tfrecord")
    with tf.io.TFRecordWriter(ours, "GZIP") as w:
        for i in range(3):
            w.write(_example((i, i + 1), i / 2).SerializeToString())
    script = textwrap.dedent(f"""
        import tensorflow as tf
        spec = {{"a": tf.io.FixedLenFeature([2], tf.int64), "b": tf.io.FixedLenFeature([], tf.float32)}}
        recs = list(tf.data.TFRecordDataset({ours!r}, compression_type="GZIP"))
        print(tf.io.parse_example(tf.stack(recs), spec)["a"].numpy().tolist())
        with tf.io.TFRecordWriter({theirs!r}) as w:
            for i in range(2):
                e = tf.train.Example(features=tf.train.Features(feature={{
                    "a": tf.train.Feature(int64_list=tf.train.Int64List(value=[i, 10 * i]))}}))
                w.write(e.SerializeToString())
    """)
    proc = subprocess.run([py, "-c", script], capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=""))  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "[[0, 1], [1, 2], [2, 3]]"
    got = tf.io.parse_example(list(tf_record_iterator(theirs)),
                              {"a": tf.io.FixedLenFeature([2], tf.int64)})  # fmt: skip
    assert got["a"].numpy().tolist() == [[0, 0], [1, 10]]


def test_tfrecord_dataset_with_parse_in_map(tmp_path):
    paths = []
    for k in range(2):
        path = str(tmp_path / f"part-{k}.tfrecord")
        with tf.io.TFRecordWriter(path, "ZLIB") as w:
            for i in range(3):
                w.write(_example((10 * k + i, i), float(i)).SerializeToString())
        paths.append(path)
    ds = tf.data.TFRecordDataset(paths, compression_type="ZLIB")
    assert ds.element_spec == tf.TensorSpec([], tf.string)
    plain = [r for p in paths for r in tf_record_iterator(p, "ZLIB")]
    assert [r.numpy() for r in ds] == plain
    spec = {"a": tf.io.FixedLenFeature([2], tf.int64)}
    parsed = ds.batch(4).map(lambda s: tf.io.parse_example(s, spec)["a"])
    got = [b.numpy().tolist() for b in parsed]
    assert got == [[[0, 0], [1, 1], [2, 2], [10, 0]], [[11, 1], [12, 2]]]


def test_tfrecord_dataset_reports_corruption(tmp_path):
    path = str(tmp_path / "bad.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        w.write(b"payload")
    data = bytearray(open(path, "rb").read())
    data[-6] ^= 1
    open(path, "wb").write(bytes(data))
    with pytest.raises(tf.errors.DataLossError):
        list(tf.data.TFRecordDataset(path))
