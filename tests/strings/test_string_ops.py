"""tf.strings element-wise and reducing ops; expected values from TensorFlow 2.21."""

import numpy as np
import pytest

import tensorflux as tf


def _list(t):
    return t.numpy().tolist()


def test_join_broadcasts_scalars_and_checks_shapes():
    assert _list(tf.strings.join(["a", ["b", "c"]])) == [b"ab", b"ac"]
    a = tf.constant(["a", "bc"])
    assert _list(tf.strings.join([a, "x"], separator="-")) == [b"a-x", b"bc-x"]
    assert tf.strings.join([]).numpy() == b""
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Input shapes do not match: \[2\] vs. \[3\]"):
        tf.strings.join([["a", "b"], ["b", "c", "d"]])
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a string tensor"):
        tf.strings.join([tf.constant([1])])


def test_reduce_join_axes_order_keepdims():
    x = [["a", "b"], ["c", "d"]]
    assert tf.strings.reduce_join(x).numpy() == b"abcd"
    assert _list(tf.strings.reduce_join(x, axis=0)) == [b"ac", b"bd"]
    assert _list(tf.strings.reduce_join(x, axis=-1)) == [b"ab", b"cd"]
    out = tf.strings.reduce_join(x, axis=1, keepdims=True, separator=",")
    assert out.shape == (2, 1) and _list(out) == [[b"a,b"], [b"c,d"]]
    # several axes: the first listed varies fastest
    assert _list(tf.strings.reduce_join(x, axis=[0, 1], keepdims=True)) == [[b"acbd"]]
    y = tf.constant([[["a", "b"], ["c", "d"]], [["e", "f"], ["g", "h"]]])
    assert _list(tf.strings.reduce_join(y, axis=[1, 0])) == [b"aceg", b"bdfh"]
    assert _list(tf.strings.reduce_join(y, axis=[0, 2])) == [b"aebf", b"cgdh"]
    assert _list(tf.strings.reduce_join(y, axis=[2, 0])) == [b"abef", b"cdgh"]
    assert tf.strings.reduce_join(y, separator=".").numpy() == b"a.b.c.d.e.f.g.h"
    assert _list(tf.strings.reduce_join(tf.zeros([0, 2], tf.string), axis=0)) == [b"", b""]
    with pytest.raises(tf.errors.OutOfRangeError, match="Invalid reduction dimension 2"):
        tf.strings.reduce_join(x, axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate reduction dimension 0"):
        tf.strings.reduce_join(y, axis=[0, 0])


def test_strip_case_length():
    assert _list(tf.strings.strip([" a \t\n", "b "])) == [b"a", b"b"]
    assert _list(tf.strings.lower(["ÀBC", "Hé"])) == [b"\xc3\x80bc", b"h\xc3\xa9"]
    assert _list(tf.strings.lower(["ÀBC", "Hé"], encoding="utf-8")) == [b"\xc3\xa0bc", b"h\xc3\xa9"]
    assert _list(tf.strings.upper(["àbc", "hé"], encoding="utf-8")) == [b"\xc3\x80BC", b"H\xc3\x89"]
    assert _list(tf.strings.length(["héllo", ""])) == [6, 0]
    n = tf.strings.length(["héllo", ""], unit="UTF8_CHAR")
    assert n.dtype == tf.int32 and _list(n) == [5, 0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot compute StringLength as input"):
        tf.strings.length(tf.constant([1]))


def test_substr_positions_units_broadcasting():
    s = ["hello", "world"]
    assert _list(tf.strings.substr(s, 1, 3)) == [b"ell", b"orl"]
    assert _list(tf.strings.substr(s, -3, 2)) == [b"ll", b"rl"]
    assert _list(tf.strings.substr(s, 5, 2)) == [b"", b""]
    assert _list(tf.strings.substr(["héllo"], 1, 2, unit="UTF8_CHAR")) == [b"\xc3\xa9l"]
    out = tf.strings.substr([["ten", "eleven"], ["a", "bb"]], [1, 0], [1, 2])
    assert _list(out) == [[b"e", b"el"], [b"", b"bb"]]
    assert _list(tf.strings.substr(b"thirteen", [1, 5, 7], [3, 2, 1])) == [b"hir", b"ee", b"n"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos 6 out of range for string"):
        tf.strings.substr(s, 6, 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="pos -6 out of range"):
        tf.strings.substr(s, -6, 2)


def test_regex_full_match_and_replace():
    m = tf.strings.regex_full_match(["abc", "abd", "xabc"], "ab.")
    assert m.dtype == tf.bool and _list(m) == [True, True, False]
    assert _list(tf.strings.regex_full_match(["abc", "abd"], tf.constant("ab."))) == [True, True]
    assert _list(tf.strings.regex_replace(["hello world", "foo"], "o", "0")) == [
        b"hell0 w0rld", b"f00"]  # fmt: skip
    out = tf.strings.regex_replace(["hello world", "foo"], "o", "0", replace_global=False)
    assert _list(out) == [b"hell0 world", b"f0o"]
    assert _list(tf.strings.regex_replace(["hello world"], r"(\w+) (\w+)", r"\2 \1")) == [
        b"world hello"]  # fmt: skip
    assert _list(tf.strings.regex_replace(["hello world"], r"(\w+)", r"<\0>")) == [
        b"<hello> <world>"]  # fmt: skip
    # RE2 matches UTF-8 characters, and knows POSIX classes
    assert _list(tf.strings.regex_full_match(["é"], ".")) == [True]
    assert _list(tf.strings.regex_replace(["a1b22"], "[[:digit:]]+", "#")) == [b"a#b#"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid pattern: \\("):
        tf.strings.regex_full_match(["hello"], "(")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid pattern"):
        tf.strings.regex_replace(["hello"], "(", "x")


def test_unsorted_segment_join():
    out = tf.strings.unsorted_segment_join(["a", "b", "c", "d"], [0, 1, 0, 3], 4, separator=":")
    assert _list(out) == [b"a:c", b"b", b"", b"d"]
    out = tf.strings.unsorted_segment_join([["a", "b"], ["c", "d"]], [1, 0], 2)
    assert _list(out) == [[b"c", b"d"], [b"a", b"b"]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="segment_ids are not allowed"):
        tf.strings.unsorted_segment_join(["a", "b"], [0, 5], 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="segment_ids are not allowed"):
        tf.strings.unsorted_segment_join(["a", "b"], [0, -1], 2)


def test_format():
    out = tf.strings.format(
        "a {} b {}", [tf.constant([1, 2, 3, 4, 5, 6, 7, 8]), tf.constant("x")], summarize=2
    )
    assert out.numpy() == b'a [1 2 ... 7 8] b "x"'
    assert tf.strings.format("{}", tf.constant([[1.5, 2], [3, 4]])).numpy() == b"[[1.5 2]\n [3 4]]"
    assert tf.strings.format("x %s y", [tf.constant(1)], placeholder="%s").numpy() == b"x 1 y"
    assert tf.strings.format("x {}", ["abc"]).numpy() == b'x "abc"'
    with pytest.raises(ValueError, match="The template expects 2 tensors, but the inputs only"):
        tf.strings.format("x {} {}", [tf.constant(1)])


def test_operators_comparisons_and_printing():
    a = tf.constant(["a", "bc"])
    assert _list(a + "x") == [b"ax", b"bcx"]
    assert _list(a == b"a") == [True, False]
    assert _list(a != "a") == [False, True]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Value for attr 'T' of string"):
        a < a  # noqa: B015 - TensorFlow defines no ordering on strings
    assert str(tf.constant([[b"\xff", "é"]])) == (
        "tf.Tensor([[b'\\xff' b'\\xc3\\xa9']], shape=(1, 2), dtype=string)"
    )
    assert repr(tf.constant("é")) == "<tf.Tensor: shape=(), dtype=string, numpy=b'\\xc3\\xa9'>"


def test_ops_trace_inside_tf_function():
    @tf.function
    def f(x, y):
        return (
            tf.strings.reduce_join(x, axis=1),
            tf.strings.substr(x, 0, 1),
            tf.strings.upper(x),
            tf.strings.length(x),
            tf.strings.regex_replace(x, "a", y),
            tf.strings.join([x, y]),
            tf.strings.unsorted_segment_join(x, [1, 0], 3),
        )

    x = tf.constant([["ab", "c"], ["d", "ea"]])
    got = f(x, tf.constant("Z"))
    assert _list(got[0]) == [b"abc", b"dea"]
    assert _list(got[1]) == [[b"a", b"c"], [b"d", b"e"]]
    assert _list(got[3]) == [[2, 1], [1, 2]]
    assert _list(got[4]) == [[b"Zb", b"c"], [b"d", b"eZ"]]
    assert _list(got[6]) == [[b"d", b"ea"], [b"ab", b"c"], [b"", b""]]
    cf = f.get_concrete_function(tf.TensorSpec([None, None], tf.string), tf.TensorSpec([], tf.string))
    shapes = [o.shape.as_list() for o in cf.structured_outputs]
    assert shapes[0] == [None] and shapes[3] == [None, None] and shapes[6] == [3, None]
    assert [o.dtype for o in cf.structured_outputs][3] == tf.int32
    np.testing.assert_array_equal(cf(x, tf.constant("Z"))[2].numpy(), np.array(
        [[b"AB", b"C"], [b"D", b"EA"]], dtype=object))  # fmt: skip


def test_reduce_join_traced_with_unknown_rank_and_tensor_axis():
    spec = [tf.TensorSpec(None, tf.string)]
    f = tf.function(lambda x: tf.strings.reduce_join(x, separator="."), input_signature=spec)
    assert f(tf.constant([["a", "b"], ["c", "d"]])).numpy() == b"a.b.c.d"
    g = tf.function(lambda x, a: tf.strings.reduce_join(x, axis=a))
    assert _list(g(tf.constant([["a", "b"], ["c", "d"]]), tf.constant(0))) == [b"ac", b"bd"]
