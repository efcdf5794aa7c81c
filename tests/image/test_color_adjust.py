"""tf.image HSV conversion, hue/saturation adjustments and their random variants (expected values printed by TensorFlow 2.21, hard-coded)."""

import numpy as np
import pytest

import tensorflux as tf

PIX = np.array([[[0.2, 0.4, 0.6], [0.9, 0.1, 0.3], [0.5, 0.5, 0.5]],
                [[0.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.3, 0.8, 0.2]]], np.float32)  # fmt: skip
HSV = [
    [[0.583333, 0.666667, 0.6], [0.958333, 0.888889, 0.9], [0.0, 0.0, 0.5]],
    [[0.0, 0.0, 0.0], [0.166667, 1.0, 1.0], [0.305556, 0.75, 0.8]],
]
HSV2RGB = [[0.8, 0.4, 0.4], [0.8, 0.4, 0.4], [0.8, 0.4, 0.4], [0.36, 0.528, 0.6]]
HUE = [
    [[0.6, 0.2, 0.6], [0.7, 0.9, 0.1], [0.5, 0.5, 0.5]],
    [[0.0, 0.0, 0.0], [0.0, 1.0, 0.5], [0.2, 0.6, 0.8]],
]
HUE_NEG = [
    [[0.6, 0.2, 0.48], [0.46, 0.9, 0.1], [0.5, 0.5, 0.5]],
    [[0.0, 0.0, 0.0], [0.0, 1.0, 0.8], [0.2, 0.42, 0.8]],
]
HUE_U8 = [
    [[153, 51, 153], [178, 229, 25], [127, 127, 127]],
    [[0, 0, 0], [0, 255, 127], [51, 152, 204]],
]
SAT = [
    [[0.0, 0.3, 0.6], [0.9, 0.0, 0.225], [0.5, 0.5, 0.5]],
    [[0.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.133333, 0.8, 0.0]],
]
SAT_U8 = [
    [[122, 137, 153], [229, 168, 183], [127, 127, 127]],
    [[0, 0, 0], [255, 255, 178], [165, 204, 158]],
]
HSV_GRAD = [
    [-3.125, -0.416667, 4.319445],
    [3.298997, -2.065972, -0.208333],
    [-0.277778, 3.671296, -2.268518],
    [3.176682, 0.277778, -2.903439],
]


def close(a, b, atol=1e-5):
    np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64), atol=atol)


def test_rgb_hsv_round_trip_and_edges():
    close(tf.image.rgb_to_hsv(PIX), HSV)
    close(tf.image.hsv_to_rgb(tf.image.rgb_to_hsv(PIX)), PIX)
    hsv = np.array([[1.0, 0.5, 0.8], [1.2, 0.5, 0.8], [-0.2, 0.5, 0.8], [0.55, 0.4, 0.6]])
    close(tf.image.hsv_to_rgb(hsv.astype(np.float32)), HSV2RGB)
    assert tf.image.rgb_to_hsv(PIX.astype(np.float64)).dtype == tf.float64


def test_rgb_to_hsv_gradient():
    g = tf.constant([[0.2, 0.4, 0.6], [0.9, 0.1, 0.3], [0.3, 0.8, 0.2], [0.7, 0.6, 0.1]])
    with tf.GradientTape() as tape:
        tape.watch(g)
        loss = tf.reduce_sum(tf.image.rgb_to_hsv(g) * tf.constant([[1.0, 2.0, 3.0]]))
    close(tape.gradient(loss, g), HSV_GRAD, 1e-4)


def test_adjust_hue_and_saturation():
    close(tf.image.adjust_hue(PIX, 0.25), HUE)
    close(tf.image.adjust_hue(PIX, -0.7), HUE_NEG)
    u8 = (PIX * 255).astype(np.uint8)
    out = tf.image.adjust_hue(u8, 0.25)
    assert out.dtype == tf.uint8
    np.testing.assert_array_equal(out.numpy(), HUE_U8)
    close(tf.image.adjust_saturation(PIX, 1.5), SAT)
    np.testing.assert_array_equal(tf.image.adjust_saturation(u8, 0.3).numpy(), SAT_U8)
    f = tf.function(lambda x: tf.image.adjust_saturation(tf.image.adjust_hue(x, 0.25), 1.5))
    close(f(tf.constant(PIX)), tf.image.adjust_saturation(HUE, 1.5))


def test_channel_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="3 channels but instead has 2"):
        tf.image.adjust_hue(PIX[..., :2], 0.1)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.rgb_to_hsv(PIX[..., :2])


def test_random_variants_ranges_and_determinism():
    x = tf.constant(PIX)
    for bad, msg in [(0.6, "max_delta must be <= 0.5."), (-0.1, "max_delta must be non-negative.")]:
        with pytest.raises(ValueError, match=msg):
            tf.image.random_hue(x, bad)
    with pytest.raises(ValueError, match="upper must be > lower."):
        tf.image.random_saturation(x, 0.5, 0.4)
    with pytest.raises(ValueError, match="lower must be non-negative."):
        tf.image.stateless_random_saturation(x, -0.5, 0.4, [1, 2])
    a = tf.image.stateless_random_hue(x, 0.3, [3, 4])
    close(a, tf.image.stateless_random_hue(x, 0.3, [3, 4]), 0)
    b = tf.image.stateless_random_saturation(x, 0.2, 1.8, [3, 4])
    close(b, tf.image.stateless_random_saturation(x, 0.2, 1.8, [3, 4]), 0)
    assert tf.image.random_hue(x, 0.2).shape == (2, 3, 3)
    assert tf.image.random_saturation(x, 0.5, 1.5, seed=3).shape == (2, 3, 3)


def test_stateless_random_crop():
    x = tf.reshape(tf.range(60), [4, 5, 3])
    a = tf.image.stateless_random_crop(x, [2, 3, 3], seed=[1, 2])
    assert a.shape == (2, 3, 3)
    np.testing.assert_array_equal(a, tf.image.stateless_random_crop(x, [2, 3, 3], seed=[1, 2]))
    flat = x.numpy()
    r0, c0 = np.argwhere(flat[..., 0] == a.numpy()[0, 0, 0])[0]
    np.testing.assert_array_equal(a.numpy(), flat[r0 : r0 + 2, c0 : c0 + 3])
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.image.stateless_random_crop(x, [5, 2, 3], seed=[1, 2])
