"""tf.image.resize / resize_with_pad on images whose size is unknown when tracing."""

import numpy as np
import pytest

import tensorflux as tf

METHODS = ["bilinear", "nearest", "bicubic", "area", "lanczos3", "gaussian", "mitchellcubic"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("antialias", [False, True])
def test_traced_unknown_size_equals_eager(method, antialias):
    img = np.random.RandomState(0).rand(2, 7, 9, 3).astype(np.float32)
    fn = tf.function(lambda x: tf.image.resize(x, (4, 5), method=method, antialias=antialias),
                     input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32)])
    out = fn(img)
    assert fn.get_concrete_function().outputs[0].shape.as_list() == [None, 4, 5, 3]
    want = tf.image.resize(img, (4, 5), method=method, antialias=antialias)
    np.testing.assert_allclose(out.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)


def test_nearest_keeps_integer_dtype_and_size_tensor():
    img = np.arange(7 * 9, dtype=np.uint8).reshape(7, 9, 1)

    @tf.function(input_signature=[tf.TensorSpec([None, None, 1], tf.uint8),
                                  tf.TensorSpec([2], tf.int32)])
    def fn(x, size):
        return tf.image.resize(x, size, method="nearest")

    out = fn(img, tf.constant([3, 4]))
    assert out.dtype == tf.uint8
    np.testing.assert_array_equal(out.numpy(), tf.image.resize(img, (3, 4), "nearest").numpy())


def test_gradient_through_dynamic_resize():
    x = tf.constant(np.random.RandomState(1).rand(1, 5, 6, 2).astype(np.float32))
    fn = tf.function(lambda v: tf.reduce_sum(tf.image.resize(v, (3, 3)) ** 2),
                     input_signature=[tf.TensorSpec([None, None, None, 2], tf.float32)])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    with tf.GradientTape() as tape2:
        tape2.watch(x)
        y2 = tf.reduce_sum(tf.image.resize(x, (3, 3)) ** 2)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), tape2.gradient(y2, x).numpy(),
                               rtol=1e-5)


@pytest.mark.parametrize("shape", [(7, 9, 3), (9, 4, 3), (2, 5, 8, 3)])
def test_resize_with_pad_dynamic(shape):
    img = np.random.RandomState(2).rand(*shape).astype(np.float32)
    sig = tf.TensorSpec([None] * (len(shape) - 1) + [3], tf.float32)
    fn = tf.function(lambda x: tf.image.resize_with_pad(x, 6, 6), input_signature=[sig])
    out = fn(img)
    assert out.shape[-3:] == (6, 6, 3)
    np.testing.assert_allclose(out.numpy(), tf.image.resize_with_pad(img, 6, 6).numpy(), atol=1e-6)
