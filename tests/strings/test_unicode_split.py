"""Ragged-returning tf.strings ops (split, bytes_split, ngrams, unicode_*); values from
TensorFlow 2.21."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.ragged.ragged_tensor import RaggedTensor


def R(rows):
    """A RaggedTensor from nested Python lists (strings or ints)."""
    if rows and isinstance(rows[0], list) and rows[0] and isinstance(rows[0][0], list):
        inner = [r for row in rows for r in row]
        return RaggedTensor.from_row_splits(R(inner), np.cumsum([0] + [len(r) for r in rows]))
    vals = [v for r in rows for v in r]
    dt = tf.int32 if vals and isinstance(vals[0], int) else tf.string
    return RaggedTensor.from_row_splits(
        tf.constant(vals, dtype=dt), np.cumsum([0] + [len(r) for r in rows])
    )


def _l(x):
    return x.to_list() if isinstance(x, RaggedTensor) else x.numpy().tolist()


def test_split():
    assert _l(tf.strings.split("a b")) == [b"a", b"b"]
    out = tf.strings.split(["a b", "c"])
    assert isinstance(out, RaggedTensor) and out.row_splits.dtype == tf.int64
    assert _l(tf.strings.split([["a b", "c"], ["d", ""]])) == [[[b"a", b"b"], [b"c"]], [[b"d"], []]]
    assert _l(tf.strings.split(["  a  b ", ""], sep=" ")) == [
        [b"", b"", b"a", b"", b"b", b""], [b""]]  # fmt: skip
    assert _l(tf.strings.split([" a  b "], maxsplit=1)) == [[b"a", b"b "]]
    assert _l(tf.strings.split(["a<>b<>c"], sep="<>")) == [[b"a", b"b", b"c"]]
    assert _l(tf.strings.split(["a,b,,c", "d"], sep=",", maxsplit=1)) == [[b"a", b"b,,c"], [b"d"]]
    assert _l(tf.strings.split(["a b c"], sep=" ", maxsplit=0)) == [[b"a b c"]]
    assert _l(tf.strings.split(R([["a b"], ["c d", "e"]]))) == [
        [[b"a", b"b"]], [[b"c", b"d"], [b"e"]]]  # fmt: skip


def test_bytes_split():
    assert _l(tf.strings.bytes_split(["hé", "ab"])) == [[b"h", b"\xc3", b"\xa9"], [b"a", b"b"]]
    assert _l(tf.strings.bytes_split("hé")) == [b"h", b"\xc3", b"\xa9"]
    assert _l(tf.strings.bytes_split(R([["ab"], ["c", ""]]))) == [[[b"a", b"b"]], [[b"c"], []]]
    assert _l(tf.strings.bytes_split(["", "abc", ""])) == [[], [b"a", b"b", b"c"], []]


def test_ngrams():
    ng = tf.strings.ngrams
    assert _l(ng(["a", "b", "c", "d"], 2)) == [b"a b", b"b c", b"c d"]
    out = ng([["a", "b", "c"], ["d", "e", "f"]], 2, separator="_")
    assert out.shape == (2, 2) and _l(out) == [[b"a_b", b"b_c"], [b"d_e", b"e_f"]]
    assert _l(ng([["a", "b", "c"]], [2, 3])) == [[b"a b", b"b c", b"a b c"]]
    assert _l(ng(["a", "b"], 3)) == []
    assert _l(ng(["a", "b"], 3, preserve_short_sequences=True)) == [b"a b"]
    assert _l(ng(["a", "b"], 3, pad_values="P", padding_width=5)) == [
        b"P P a", b"P a b", b"a b P", b"b P P"]  # fmt: skip
    r = R([["a", "b", "c"], ["d"]])
    assert _l(ng(r, (1, 2))) == [[b"a", b"b", b"c", b"a b", b"b c"], [b"d"]]
    assert _l(ng(r, 3, pad_values=("<s>", "</s>"))) == [
        [b"<s> <s> a", b"<s> a b", b"a b c", b"b c </s>", b"c </s> </s>"],
        [b"<s> <s> d", b"<s> d </s>", b"d </s> </s>"],
    ]
    assert _l(ng(r, 3, pad_values="P", padding_width=1)) == [[b"P a b", b"a b c", b"b c P"], [b"P d P"]]
    assert _l(ng(r, 3, preserve_short_sequences=True)) == [[b"a b c"], [b"d"]]
    assert _l(ng(R([["a", "b", "c"], []]), 2, pad_values="P")) == [
        [b"P a", b"a b", b"b c", b"c P"], [b"P P"]]  # fmt: skip
    assert _l(ng(R([[["a", "b", "c"]], [["d"]]]), 2)) == [[[b"a b", b"b c"]], [[]]]
    with pytest.raises(ValueError, match="Data must have rank>0"):
        ng("abc", 2)
    with pytest.raises(ValueError, match="All ngram_widths must be greater than 0. Got 0"):
        ng(["a"], 0)


def test_unicode_decode_and_offsets():
    d = tf.strings.unicode_decode
    out = d(["héllo", "ab"], "UTF-8")
    assert out.dtype == tf.int32 and _l(out) == [[104, 233, 108, 108, 111], [97, 98]]
    assert _l(d([b"h\xffi"], "UTF-8")) == [[104, 65533, 105]]
    assert _l(d([b"h\xffi"], "UTF-8", errors="ignore")) == [[104, 105]]
    assert _l(d([b"h\xffi"], "UTF-8", replacement_char=63)) == [[104, 63, 105]]
    assert _l(d([b"a\x01b"], "UTF-8", replace_control_characters=True)) == [[97, 65533, 98]]
    assert _l(d("héllo", "UTF-8")) == [104, 233, 108, 108, 111]
    assert _l(d([["ab"], ["c"]], "UTF-8")) == [[[97, 98]], [[99]]]
    assert _l(d(["héllo".encode("utf-16-be")], "UTF-16-BE")) == [[104, 233, 108, 108, 111]]
    assert _l(d([b"abc"], "latin1")) == [[97, 98, 99]]
    assert _l(d(R([["ab"], ["c", ""]]), "UTF-8")) == [[[97, 98]], [[99], []]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid formatting on input string"):
        d([b"h\xffi"], "UTF-8", errors="strict")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not create converter"):
        d(["a"], "foo")
    codes, offs = tf.strings.unicode_decode_with_offsets(["héllo", "ab"], "UTF-8")
    assert _l(codes) == [[104, 233, 108, 108, 111], [97, 98]]
    assert offs.dtype == tf.int64 and _l(offs) == [[0, 1, 3, 4, 5], [0, 1]]
    codes, offs = tf.strings.unicode_decode_with_offsets([b"a\xffb\xe9"], "UTF-8", errors="ignore")
    assert _l(codes) == [[97, 98]] and _l(offs) == [[0, 2]]


def test_unicode_split():
    chars = [b"h", b"\xc3\xa9", b"l", b"l", b"o"]
    assert _l(tf.strings.unicode_split(["héllo", "ab"], "UTF-8")) == [chars, [b"a", b"b"]]
    assert _l(tf.strings.unicode_split("héllo", "UTF-8")) == chars
    assert _l(tf.strings.unicode_split([b"a\xffb"], "UTF-8")) == [[b"a", b"\xef\xbf\xbd", b"b"]]
    c, o = tf.strings.unicode_split_with_offsets(["héllo", "ab"], "UTF-8")
    assert _l(c) == [chars, [b"a", b"b"]] and _l(o) == [[0, 1, 3, 4, 5], [0, 1]]


def test_unicode_encode():
    e = tf.strings.unicode_encode
    assert _l(e([[104, 233], [97, 98]], "UTF-8")) == [b"h\xc3\xa9", b"ab"]
    assert _l(e(R([[104, 233], [97]]), "UTF-8")) == [b"h\xc3\xa9", b"a"]
    assert _l(e(R([[[104, 233]], [[97], []]]), "UTF-8")) == [[b"h\xc3\xa9"], [b"a", b""]]
    assert _l(e([[[104, 233]], [[97, 98]]], "UTF-8")) == [[b"h\xc3\xa9"], [b"ab"]]
    assert e([104, 0x110000], "UTF-8").numpy() == b"h\xef\xbf\xbd"
    assert e([104, -1], "UTF-8", errors="ignore").numpy() == b"h"
    assert e([104, 233], "UTF-16-BE").numpy() == b"\x00h\x00\xe9"
    assert e([104, 233], "UTF-32-BE").numpy() == b"\x00\x00\x00h\x00\x00\x00\xe9"
    with pytest.raises(tf.errors.InvalidArgumentError, match="Code point is out of range"):
        e([104, 0x110000], "UTF-8", errors="strict")
    with pytest.raises(ValueError, match="rank must be at least 1"):
        e(104, "UTF-8")


def test_unicode_transcode_and_script():
    t = tf.strings.unicode_transcode
    assert _l(t(["héllo", b"\xff"], "UTF-8", "UTF-16-BE")) == [
        b"\x00h\x00\xe9\x00l\x00l\x00o", b"\xff\xfd"]  # fmt: skip
    assert _l(t([b"\xe9t\xe9"], "ISO-8859-1", "UTF-8")) == [b"\xc3\xa9t\xc3\xa9"]
    assert _l(t([b"a\xffb"], "UTF-8", "UTF-8", errors="ignore")) == [b"ab"]
    assert _l(t([b"a\xffb"], "UTF-8", "UTF-8")) == [b"a\xef\xbf\xbdb"]
    assert _l(t([b"a\x02b"], "UTF-8", "UTF-8", replace_control_characters=True)) == [
        b"a\xef\xbf\xbdb"]  # fmt: skip
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid formatting"):
        t([b"a\xffb"], "UTF-8", "UTF-8", errors="strict")
    cps = [65, 0x3B1, 0x430, 0x5D0, 0x627, 0x4E00, 0x3042, 0x30A2, 0xAC00, 0x0E01, 48, -1, 0x300,
           0x10000, 0x378, 0xE000, 0x3000, 0x30FC, 0xFF21, 0x2E80, 0x20000, 0x2160, 0x64B, 0x1F600]  # fmt: skip
    assert _l(tf.strings.unicode_script(cps)) == [
        25, 14, 8, 19, 2, 17, 20, 22, 18, 38, 0, -1, 1, 49, 103, 103, 0, 0, 25, 17, 17, 25, 1, 0]  # fmt: skip
    with pytest.raises(NotImplementedError, match="U\\+17000"):
        tf.strings.unicode_script([0x17000])  # Tangut: a script outside the table
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected to be a int32 tensor"):
        tf.strings.unicode_script(tf.constant([1.0]))


def test_ragged_ops_trace_inside_tf_function():
    @tf.function
    def f(x):
        r = tf.strings.split(x)
        d = tf.strings.unicode_decode(x, "UTF-8")
        b = tf.strings.bytes_split(x)
        s = tf.strings.unicode_split(x, "UTF-8")
        return (r.flat_values, r.row_splits, d.flat_values, d.row_splits, b.row_splits,
                tf.strings.ngrams(x, 2), s.flat_values, tf.strings.unicode_encode(d, "UTF-8"))  # fmt: skip

    out = f(tf.constant(["a bé", "c"]))
    assert _l(out[0]) == [b"a", b"b\xc3\xa9", b"c"] and _l(out[1]) == [0, 2, 3]
    assert _l(out[2]) == [97, 32, 98, 233, 99] and _l(out[3]) == [0, 4, 5]
    assert _l(out[4]) == [0, 5, 6] and _l(out[5]) == [b"a b\xc3\xa9 c"]
    assert _l(out[6]) == [b"a", b" ", b"b", b"\xc3\xa9", b"c"]
    assert _l(out[7]) == [b"a b\xc3\xa9", b"c"]
    g = tf.function(lambda x: tf.strings.split(x, sep=","))
    assert _l(g(tf.constant(["a,b", "c"]))) == [[b"a", b"b"], [b"c"]]


def test_string_ops_in_dataset_map():
    ds = tf.data.Dataset.from_tensor_slices(["a b", "cé"]).map(
        lambda s: (tf.strings.length(s, "UTF8_CHAR"), tf.strings.split([s, "x y"]))
    )
    got = [(int(n), _l(r)) for n, r in ds]
    assert got == [(3, [[b"a", b"b"], [b"x", b"y"]]), (2, [[b"c\xc3\xa9"], [b"x", b"y"]])]
