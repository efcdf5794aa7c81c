"""tf.experimental.Optional and tf.OptionalSpec (expected values from TensorFlow 2.21)."""

import pytest

import tensorflux as tf

INT = tf.TensorSpec([], tf.int32)


def test_from_value_and_empty():
    o = tf.experimental.Optional.from_value(42)
    assert bool(o.has_value()) and int(o.get_value()) == 42
    assert o.element_spec == INT
    assert repr(o._type_spec) == "OptionalSpec(TensorSpec(shape=(), dtype=tf.int32, name=None),)"
    e = tf.experimental.Optional.empty(INT)
    assert not bool(e.has_value()) and e.element_spec == INT
    with pytest.raises(tf.errors.InvalidArgumentError, match="The given optional does not have"):
        e.get_value()


def test_nested_element_and_spec():
    o = tf.experimental.Optional.from_value({"a": 1, "b": (2.0, "s")})
    assert repr(o._type_spec) == (
        "OptionalSpec({'a': TensorSpec(shape=(), dtype=tf.int32, name=None), 'b': "
        "(TensorSpec(shape=(), dtype=tf.float32, name=None), TensorSpec(shape=(), "
        "dtype=tf.string, name=None))},)"
    )
    v = o.get_value()
    assert int(v["a"]) == 1 and v["b"][1].numpy() == b"s"
    assert hash(o._type_spec) == hash(tf.OptionalSpec(o.element_spec))
    sp = tf.experimental.Optional.from_value(tf.sparse.from_dense([[1, 0]]))
    assert repr(sp.element_spec) == "SparseTensorSpec(TensorShape([1, 2]), tf.int32)"


def test_types():
    o = tf.experimental.Optional.from_value(1)
    assert isinstance(o, tf.experimental.Optional)
    assert tf.data.experimental.Optional is tf.experimental.Optional
    assert type(o._type_spec) is tf.OptionalSpec
    assert tf.OptionalSpec.from_value(o) == tf.OptionalSpec(INT)
    with pytest.raises(TypeError):
        tf.experimental.Optional()
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.experimental.Optional.from_value(None)


def test_through_tf_function():
    @tf.function
    def f(x):
        return tf.cond(x.has_value(), lambda: x.get_value(), lambda: 0)

    assert int(f(tf.experimental.Optional.from_value(42))) == 42
    assert int(f(tf.experimental.Optional.empty(INT))) == 0

    @tf.function
    def g(v):
        return tf.experimental.Optional.from_value(v)

    r = g(3)
    assert isinstance(r, tf.experimental.Optional) and int(r.get_value()) == 3

    @tf.function(input_signature=[tf.OptionalSpec(INT)])
    def h(x):
        return x.has_value()

    assert bool(h(tf.experimental.Optional.from_value(5)))
    assert not bool(h(tf.experimental.Optional.empty(INT)))


def test_spec_relations():
    a = tf.OptionalSpec(tf.TensorSpec([2], tf.float32))
    b = tf.OptionalSpec(tf.TensorSpec([3], tf.float32))
    sup = a.most_specific_common_supertype([b])
    assert sup == tf.OptionalSpec(tf.TensorSpec([None], tf.float32))
    assert a.is_subtype_of(sup) and not a.is_compatible_with(b)


def test_iterator_get_next_as_optional():
    it = iter(tf.data.Dataset.range(1))
    o = it.get_next_as_optional()
    assert isinstance(o, tf.experimental.Optional) and int(o.get_value()) == 0
    assert not bool(it.get_next_as_optional().has_value())


def test_dataset_of_optionals():
    ds = tf.data.Dataset.range(3).map(lambda x: tf.experimental.Optional.from_value(x))
    assert repr(ds.element_spec) == (
        "OptionalSpec(TensorSpec(shape=(), dtype=tf.int64, name=None),)"
    )
    assert [int(o.get_value()) for o in ds] == [0, 1, 2]
