"""tf.io.read_file / write_file / matching_files, eagerly and inside tf.function."""

import os

import numpy as np
import pytest

import tensorflux as tf


def test_write_read_eager(tmp_path):
    p = str(tmp_path / "no" / "dir" / "f.bin")
    assert tf.io.write_file(p, b"\x00abc\xff") is None  # parent directories are created
    t = tf.io.read_file(p)
    assert t.dtype == tf.string and t.shape == () and t.numpy() == b"\x00abc\xff"
    tf.io.write_file(tf.constant(p), tf.constant("text"))
    assert tf.io.read_file(p).numpy() == b"text"
    assert sorted(os.listdir(os.path.dirname(p))) == ["f.bin"]  # atomic: no temporary left


def test_errors(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        tf.io.read_file(str(tmp_path / "missing"))
    with pytest.raises(tf.errors.FailedPreconditionError, match="Is a directory"):
        tf.io.read_file(str(tmp_path))
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be a scalar"):
        tf.io.read_file([str(tmp_path / "a"), str(tmp_path / "b")])


def test_matching_files(tmp_path):
    d = str(tmp_path)
    for n in ["b.txt", "a.txt", "c.csv"]:
        open(os.path.join(d, n), "w").close()
    m = tf.io.matching_files(os.path.join(d, "*.txt"))
    assert m.shape == (2,) and m.dtype == tf.string
    assert [s.decode() for s in m.numpy()] == [os.path.join(d, "a.txt"), os.path.join(d, "b.txt")]
    both = tf.io.matching_files([os.path.join(d, "*"), os.path.join(d, "c*")])
    assert both.shape == (4,)  # one list per pattern, concatenated (c.csv twice), as in TF
    empty = tf.io.matching_files(os.path.join(d, "zz*"))
    assert empty.shape == (0,) and empty.dtype == tf.string


def test_in_tf_function_keeps_order_and_reruns(tmp_path):
    p = str(tmp_path / "f.txt")

    @tf.function
    def roundtrip(path, text):
        tf.io.write_file(path, text)
        return tf.io.read_file(path)

    assert roundtrip(tf.constant(p), tf.constant("one")).numpy() == b"one"
    # same trace, new contents: the read is not constant-folded and follows the write
    assert roundtrip(tf.constant(p), tf.constant("two")).numpy() == b"two"
    open(p, "w").write("outside")

    @tf.function
    def read_only():
        return tf.io.read_file(p)  # a constant filename: still read on every call

    assert read_only().numpy() == b"outside"
    open(p, "w").write("changed")
    assert read_only().numpy() == b"changed"

    @tf.function
    def count(pattern):
        return tf.shape(tf.io.matching_files(pattern))[0]

    assert int(count(tf.constant(str(tmp_path / "*")))) == 1
    open(str(tmp_path / "g.txt"), "w").close()
    assert int(count(tf.constant(str(tmp_path / "*")))) == 2


def test_graph_op_types(tmp_path):
    @tf.function
    def f(x):
        return tf.io.read_file(x)

    g = f.get_concrete_function(tf.TensorSpec([], tf.string)).graph
    types = [op.type for op in g.get_operations()]
    assert "ReadFile" in types
    out = f.get_concrete_function(tf.TensorSpec([], tf.string)).structured_outputs
    assert out.shape == () and out.dtype == tf.string
    assert np.asarray(tf.io.matching_files(str(tmp_path / "*")).numpy()).size == 0
