"""tf.strings.to_number, as_string and the hash-bucket ops; numbers from TensorFlow 2.21."""

import pytest

import tensorflux as tf
from tensorflux._src.ops.string_hash_ops import hash64, siphash24

WORDS = ["hello", "world", "", "a" * 9, "abcdefghijklmnopqrstuvwxyz0123456789", "\xe9t\xe9"]


def _list(t):
    return t.numpy().tolist()


def test_hash_buckets_match_tensorflow():
    assert _list(tf.strings.to_hash_bucket_fast(["hello", "world", ""], 1000)) == [296, 598, 263]
    assert _list(tf.strings.to_hash_bucket(["hello", "world", ""], 1000)) == [938, 861, 899]
    out = tf.strings.to_hash_bucket_strong(["hello", "world", ""], 1000, key=[1, 2])
    assert out.dtype == tf.int64 and _list(out) == [622, 990, 435]
    # 2**62 buckets keep 62 bits of each hash: the full functions, not only their residues
    big = 2**62
    assert _list(tf.strings.to_hash_bucket(WORDS, big)) == [
        1331861223480393034, 1841869521928869053, 105434511174508091, 1778972120519950747,
        794022125702020992, 3287882255489415818]  # fmt: skip
    assert _list(tf.strings.to_hash_bucket_fast(WORDS, big)) == [
        3786372426573024488, 2601484383088587886, 1936946117179621455, 1010243743929222519,
        4075488832824458235, 4309181583525144726]  # fmt: skip
    assert _list(tf.strings.to_hash_bucket_strong(WORDS, big, key=[1, 2])) == [
        2957200328589801622, 187049873850690182, 443797209252341627, 947061891333336970,
        1050565319752141689, 25632369123002269]  # fmt: skip
    assert _list(tf.strings.to_hash_bucket_strong(WORDS, big, key=[2**40 + 7, 123456789])) == [
        3025581677914283516, 4602248862898048257, 4217562041728492017, 3390634545865384694,
        1890557148640509220, 4144954206422680931]  # fmt: skip
    assert _list(tf.strings.to_hash_bucket_strong(WORDS, 97, key=[0, 0])) == [35, 2, 3, 5, 19, 48]
    assert _list(tf.strings.to_hash_bucket_fast(["a"], 2**63 - 1)) == [3694432073954588132]
    assert _list(tf.strings.to_hash_bucket_strong(["a"], 10, key=[-1, 2**63 - 1])) == [0]


def test_hash_functions_and_errors():
    assert hash64(b"hello") % 1000 == 938 and siphash24(1, 2, b"hello") % 1000 == 622
    with pytest.raises(tf.errors.InvalidArgumentError, match="Key must have 2 elements"):
        tf.strings.to_hash_bucket_strong(["a"], 10, key=[1])
    with pytest.raises(tf.errors.InvalidArgumentError, match="'num_buckets' of 0 must be at least"):
        tf.strings.to_hash_bucket_fast(["a"], 0)
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.strings.to_hash_bucket_fast([1], 3)


def test_hash_inside_tf_function():
    f = tf.function(lambda x: tf.strings.to_hash_bucket_fast(x, 1000))
    assert _list(f(tf.constant(["hello", "world"]))) == [296, 598]


def test_to_number():
    out = tf.strings.to_number(["1.5", " 2e3", "inf", "nan", "0x10"])
    assert out.dtype == tf.float32
    assert str(out) == "tf.Tensor([1.5e+00 2.0e+03     inf     nan 1.6e+01], shape=(5,), dtype=float32)"
    assert _list(tf.strings.to_number(["1", "-2", " 3 "], out_type=tf.int32)) == [1, -2, 3]
    assert _list(tf.strings.to_number(["1e40"])) == [float("inf")]
    assert _list(tf.strings.to_number(["1.0000000001"], out_type=tf.float64)) == [1.0000000001]
    for bad, dt in [("x", tf.float32), ("1.5", tf.int32), ("3.7", tf.int64), ("", tf.float32),
                    ("99999999999", tf.int32), ("0x1A", tf.int32), ("1.5f", tf.float32)]:  # fmt: skip
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            tf.strings.to_number([bad], out_type=dt)
        assert str(e.value) == (
            f"StringToNumberOp could not correctly convert string: {bad} [Op:StringToNumber]"
        )
    with pytest.raises(tf.errors.InvalidArgumentError, match="'out_type' of int16 is not in"):
        tf.strings.to_number(["1"], out_type=tf.int16)


def test_as_string_formats():
    f = tf.strings.as_string
    assert _list(f([1.5, 2.25e10, 3.0], precision=2)) == [b"1.50", b"22499999744.00", b"3.00"]
    assert _list(f([1.5, 2.25e10, 3.0])) == [b"1.500000", b"22499999744.000000", b"3.000000"]
    assert _list(f([1.5, 2.25e10, 3.0], shortest=True)) == [b"1.5", b"2.25e+10", b"3"]
    assert _list(f([1, 22], width=5, fill="0")) == [b"00001", b"00022"]
    assert _list(f([True, False])) == [b"true", b"false"]
    assert _list(f([1 + 2j])) == [b"(1.000000,2.000000)"]
    assert _list(f(tf.constant([1.5 + 2j], tf.complex64), precision=1)) == [b"(1.5,2.0)"]
    assert _list(f([1.5], scientific=True)) == [b"1.500000e+00"]
    assert _list(f([1.5], scientific=True, precision=3)) == [b"1.500e+00"]
    assert _list(f([-1.5], width=8, fill="0")) == [b"-1.500000"]
    assert _list(f([1.5], width=8, fill=" ")) == [b" 1.500000"]
    assert _list(f(tf.constant([0.1, 123456789.0]), shortest=True)) == [b"0.1", b"1.23457e+08"]
    assert _list(f(tf.constant([-5], tf.int8), width=4)) == [b"  -5"]
    assert _list(f(tf.constant(["a"]))) == [b"a"]
    nan, inf = float("nan"), float("inf")
    assert _list(f([nan, inf, -inf])) == [b"nan", b"inf", b"-inf"]
    assert _list(f([nan, inf], width=6, fill="0")) == [b"   nan", b"   inf"]
    with pytest.raises(tf.errors.InvalidArgumentError, match='Fill argument not supported: "x"'):
        f([1.5], width=8, fill="x")
    with pytest.raises(tf.errors.InvalidArgumentError, match="precision not supported for datatype int32"):
        f([1], precision=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Cannot select both scientific"):
        f([1.5], shortest=True, scientific=True)


def test_conversions_trace():
    g = tf.function(lambda x: tf.strings.as_string(tf.strings.to_number(x) * 2, precision=1))
    assert _list(g(tf.constant(["1.5", "-2"]))) == [b"3.0", b"-4.0"]
