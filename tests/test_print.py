"""tf.print: eager output (format checked against TensorFlow 2.21) and program order in tf.function."""

import sys

import numpy as np
import pytest

import tensorflux as tf


def test_eager_formats_like_tensorflow(capsys):
    tf.print(
        "a",
        1,
        2.5,
        tf.constant([1, 2, 3]),
        tf.range(10),
        tf.constant([[1.5, 2.0], [3, 4]]),
        tf.constant("str"),
        tf.constant(["x", "y"]),
        True,
        tf.constant(True),
    )
    err = capsys.readouterr().err
    assert err == 'a 1 2.5 [1 2 3] [0 1 2 ... 7 8 9] [[1.5 2]\n [3 4]] "str" ["x" "y"] True 1\n'


def test_options_and_streams(capsys):
    tf.print(tf.range(10), summarize=-1, sep="|", end="!\n")
    tf.print(tf.range(10), "z", summarize=2, sep="|")
    tf.print({"k": tf.constant(1)}, [1, tf.constant(2)], None, "x", output_stream=sys.stdout)
    out = capsys.readouterr()
    assert out.err == "[0 1 2 3 4 5 6 7 8 9]!\n[0 1 ... 8 9]|z\n"
    assert out.out == "{'k': 1} [1, 2] None x\n"


def test_rank3_and_floats(capsys):
    tf.print(tf.reshape(tf.range(24), [2, 3, 4]))
    tf.print(
        tf.constant(3.0),
        tf.constant(1e-5),
        tf.constant(1e10),
        tf.constant(2, tf.int64),
        tf.constant(0.1, tf.float64),
    )
    err = capsys.readouterr().err
    assert err == (
        "[[[0 1 2 3]\n  [4 5 6 7]\n  [8 9 10 11]]\n\n [[12 13 14 15]\n  [16 17 18 19]\n"
        "  [20 21 22 23]]]\n3 1e-05 1e+10 2 0.1\n"
    )


def test_eager_returns_none_and_rejects_bad_stream():
    assert tf.print("x", output_stream=sys.stdout) is None
    with pytest.raises(ValueError, match="Unsupported output stream"):
        tf.print("x", output_stream="nowhere")


def test_file_stream(tmp_path):
    p = tmp_path / "log.txt"
    tf.print("hi", tf.constant([1, 2]), output_stream=f"file://{p}")
    assert p.read_text() == "hi [1 2]\n"


def test_in_function_prints_at_run_time_in_order(capsys):
    v = tf.Variable(1)

    @tf.function
    def f(x):
        tf.print("in", x)
        v.assign_add(x)
        tf.print("v", v)
        y = x * 2
        tf.print("out", y, output_stream=sys.stdout)
        return y

    f(tf.constant(3))
    f(tf.constant(4))
    out = capsys.readouterr()
    assert out.err == "in 3\nv 4\nin 4\nv 8\n"
    assert out.out == "out 6\nout 8\n"
    ops = [op.type for op in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert ops.count("PrintV2") == 3 and ops.count("StringFormat") == 3


def test_print_in_graph_returns_operation():
    g = tf.Graph()
    with g.as_default():
        op = tf.print("x", tf.constant(np.float32(1.0)))
    assert isinstance(op, tf.Operation) and op.type == "PrintV2"
    assert op.inputs[0].op.type == "StringFormat"


def test_float_digits_and_literal_braces(capsys):
    tf.print(
        tf.constant(1 / 3),
        tf.constant(1 / 3, tf.float64),
        tf.constant(123456789.0, tf.float64),
        tf.constant(1.5, tf.float16),
        tf.constant([], tf.float32),
        tf.constant(float("nan")),
    )
    tf.print("a{}b", tf.constant(1), "c{{}}")
    err = capsys.readouterr().err
    assert err == "0.333333343 0.33333333333333331 123456789 1.5 [] nan\na{}b 1 c{{}}\n"
