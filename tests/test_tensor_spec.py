"""tf.TensorSpec: construction, printing, compatibility and supertypes, as TensorFlow 2.21 does."""

import pytest

import tensorflux as tf


def test_repr_and_properties():
    s = tf.TensorSpec([None, 3], tf.float32, name="x")
    assert repr(s) == "TensorSpec(shape=(None, 3), dtype=tf.float32, name='x')"
    assert str(tf.TensorSpec([])) == "TensorSpec(shape=(), dtype=tf.float32, name=None)"
    assert (
        str(tf.TensorSpec(None, tf.int32))
        == "TensorSpec(shape=<unknown>, dtype=tf.int32, name=None)"
    )
    assert s.shape == tf.TensorShape([None, 3]) and s.dtype == tf.float32 and s.name == "x"
    assert s.value_type is tf.Tensor


def test_compatibility_with_tensors_and_specs():
    s = tf.TensorSpec([None, 3])
    assert s.is_compatible_with(tf.zeros([2, 3]))
    assert not s.is_compatible_with(tf.zeros([2, 4]))
    assert not s.is_compatible_with(tf.zeros([2, 3], tf.int32))
    assert s.is_compatible_with(tf.TensorSpec([5, 3]))
    assert not tf.TensorSpec([2], tf.int32).is_compatible_with(
        [1, 2]
    )  # plain lists are not tensors


def test_from_tensor_and_from_spec():
    assert tf.TensorSpec.from_tensor(tf.constant([1, 2])) == tf.TensorSpec([2], tf.int32)
    s = tf.TensorSpec([None, 3], name="x")
    assert tf.TensorSpec.from_spec(s, name="y") == tf.TensorSpec([None, 3], name="y")


def test_equality_and_hash_include_the_name():
    a = tf.TensorSpec([None, 3], tf.float32, name="x")
    assert a == tf.TensorSpec([None, 3], tf.float32, name="x")
    assert a != tf.TensorSpec([None, 3], tf.float32)
    assert hash(a) == hash(tf.TensorSpec([None, 3], tf.float32, name="x"))
    assert len({a, tf.TensorSpec([None, 3], name="x"), tf.TensorSpec([1, 3])}) == 2


def test_supertypes_and_subtypes():
    a, b = tf.TensorSpec([2, 3]), tf.TensorSpec([2, None])
    assert a.most_specific_common_supertype([b]) == tf.TensorSpec([2, None])
    assert a.most_specific_common_supertype([tf.TensorSpec([2, 3], tf.int32)]) is None
    assert tf.TensorSpec([2, 3], name="x").most_specific_common_supertype([b]) is None
    assert a.is_subtype_of(tf.TensorSpec([None, 3]))
    assert not tf.TensorSpec([None, 3]).is_subtype_of(a)
    assert a.is_subtype_of(tf.TensorSpec(None))


def test_bad_dtype_is_a_type_error():
    with pytest.raises(
        TypeError, match="Cannot convert the argument `type_value`: 'floot' to a TensorFlow DType"
    ):
        tf.TensorSpec([None, 3], "floot")
