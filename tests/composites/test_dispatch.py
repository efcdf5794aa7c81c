"""tf.experimental.dispatch_for_api and the element-wise dispatch decorators (behaviour checked
against TensorFlow 2.21). Every registration is removed again at the end of its test."""

import typing

import pytest

import tensorflux as tf


class MT(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor


M = MT([1, 2], [True, False])


def test_dispatch_for_api_with_annotations():
    @tf.experimental.dispatch_for_api(tf.math.add)
    def masked_add(x: MT, y: MT, name=None):
        return MT(x.values + y.values, x.mask & y.mask)

    try:
        out = tf.math.add(M, M)
        assert isinstance(out, MT) and out.values.numpy().tolist() == [2, 4]
        assert tf.add(M, M).mask.numpy().tolist() == [True, False]
        assert int(tf.math.add(1, 2)) == 3  # other arguments take the normal path

        @tf.function
        def f(m):
            return tf.math.add(m, m).values

        assert f(M).numpy().tolist() == [2, 4]
    finally:
        tf.experimental.unregister_dispatch_for(masked_add)
    with pytest.raises(ValueError):  # back to no dispatch: an ExtensionType is no tensor
        tf.math.add(M, M)


def test_dispatch_for_api_with_signature_dict():
    @tf.experimental.dispatch_for_api(tf.math.reduce_sum, {"input_tensor": MT})
    def masked_sum(input_tensor, axis=None, keepdims=False, name=None):
        return tf.reduce_sum(tf.where(input_tensor.mask, input_tensor.values, 0), axis)

    try:
        assert int(tf.reduce_sum(M)) == 1
    finally:
        tf.experimental.unregister_dispatch_for(masked_sum)


def test_signature_errors():
    with pytest.raises(ValueError, match="does not match API's signature"):

        @tf.experimental.dispatch_for_api(tf.math.add)
        def bad(a: MT, b: MT):
            pass

    with pytest.raises(ValueError, match="must be called with at least one signature"):

        @tf.experimental.dispatch_for_api(tf.math.add)
        def bad2(x, y, name=None):
            pass

    with pytest.raises(ValueError, match="was not registered"):
        tf.experimental.unregister_dispatch_for(lambda: None)


def test_elementwise_dispatch():
    @tf.experimental.dispatch_for_unary_elementwise_apis(MT)
    def unary(api_func, x):
        return MT(api_func(x.values), x.mask)

    @tf.experimental.dispatch_for_binary_elementwise_apis(MT, typing.Union[MT, tf.Tensor])
    def binary(api_func, x, y):
        yv = y.values if isinstance(y, MT) else y
        return MT(api_func(x.values, yv), x.mask)

    try:
        assert tf.abs(MT([-1.0, 2.0], [True, True])).values.numpy().tolist() == [1.0, 2.0]
        assert tf.math.negative(M).values.numpy().tolist() == [-1, -2]
        assert tf.math.multiply(M, M).values.numpy().tolist() == [1, 4]
        assert tf.math.subtract(M, tf.constant([1, 1])).values.numpy().tolist() == [0, 1]
        assert float(tf.abs(-3.0)) == 3.0
    finally:
        tf.experimental.unregister_dispatch_for(unary)
        tf.experimental.unregister_dispatch_for(binary)


def test_unregister_restores_the_original():
    original = tf.math.subtract

    @tf.experimental.dispatch_for_api(tf.math.subtract)
    def masked_sub(x: MT, y: MT, name=None):
        return MT(x.values - y.values, x.mask)

    assert tf.math.subtract is not original and tf.subtract is tf.math.subtract
    assert tf.math.subtract(M, M).values.numpy().tolist() == [0, 0]
    tf.experimental.unregister_dispatch_for(masked_sub)
    assert tf.math.subtract is original and tf.subtract is original
