"""tf.image against values printed by TensorFlow 2.21 (hard-coded) and NumPy references."""

import numpy as np
import pytest

import tensorflux as tf

X = np.arange(2 * 3 * 4 * 3, dtype=np.float32).reshape(2, 3, 4, 3) / 72.0




def test_resize_methods_shapes_dtypes_and_identities():
    x = tf.constant(X)
    for m in ("bilinear", "nearest", "bicubic", "area", "lanczos3", "lanczos5", "gaussian",
              "mitchellcubic"):  # fmt: skip
        out = tf.image.resize(x, (5, 7), method=m)
        assert out.shape == (2, 5, 7, 3) and out.dtype == tf.float32
    u8 = tf.constant((X * 255).astype(np.uint8))
    assert tf.image.resize(u8, (3, 4), method="nearest").dtype == tf.uint8
    assert tf.image.resize(u8, (3, 4)).dtype == tf.float32
    np.testing.assert_allclose(tf.image.resize(x, (3, 4)).numpy(), X, atol=1e-6)
    assert tf.image.resize(X[0], (6, 8)).shape == (6, 8, 3)
    with pytest.raises(ValueError, match="Resize method is not implemented"):
        tf.image.resize(x, (2, 2), method="cubic")


def test_bilinear_matches_half_pixel_formula():
    img = np.array([[0.0, 10.0]], np.float32).reshape(1, 1, 2, 1)
    out = tf.image.resize(img, (1, 4)).numpy().ravel()
    # output pixel centers at input x = -0.25, 0.25, 0.75, 1.25 (clamped at the borders)
    np.testing.assert_allclose(out, [0.0, 2.5, 7.5, 10.0], atol=1e-6)


def test_area_downscale_is_a_box_average():
    img = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
    out = tf.image.resize(img, (2, 2), method="area").numpy()[0, :, :, 0]
    np.testing.assert_allclose(out, img[0, :, :, 0].reshape(2, 2, 2, 2).mean(axis=(1, 3)))


def test_resize_is_differentiable():
    x = tf.Variable(X)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.image.resize(x, (6, 8), method="bilinear"))
    g = tape.gradient(y, x).numpy()
    # each output pixel spreads weight 1 over inputs: total gradient = number of outputs
    np.testing.assert_allclose(g.sum(), 2 * 6 * 8 * 3, rtol=1e-5)


def test_values_printed_by_tensorflow():
    x = tf.constant(X)
    np.testing.assert_allclose(tf.image.per_image_standardization(x).numpy()[0, 0, 0],
                               [-1.4583333, -1.3749999, -1.2916666], rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(
        tf.image.convert_image_dtype(np.array([0, 128, 255], "uint8"), tf.float32).numpy(),
        [0.0, 0.5019608, 1.0], rtol=1e-6,
    )
    assert tf.image.convert_image_dtype(np.array([0.0, 0.5, 1.0]), tf.uint8).numpy().tolist() == [
        0, 127, 255,
    ]
    np.testing.assert_allclose(tf.image.rgb_to_grayscale(x).numpy()[0, 0, :2].ravel(),
                               [0.01131945, 0.05298195], rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(tf.image.adjust_contrast(x, 2.0).numpy()[0, 0, 0],
                               [-0.22916667, -0.21527776, -0.20138893], rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(tf.image.adjust_gamma(x, 2.0, 1.5).numpy()[0, 0, 1],
                               [0.00260417, 0.00462963, 0.0072338], rtol=1e-4)  # fmt: skip
    assert tf.image.total_variation(x).numpy().tolist() == [5.125, 5.125]
    np.testing.assert_allclose(tf.image.psnr(x, x * 0.9, max_val=1.0).numpy(),
                               [30.974895, 22.418839], rtol=1e-5)  # fmt: skip


def test_crops_pads_and_rotations():
    x = tf.constant(X)
    assert tf.image.central_crop(x, 0.5).shape == (2, 3, 2, 3)
    crop_pad = tf.image.resize_with_crop_or_pad(x, 5, 2).numpy()[0, :, :, 0]
    np.testing.assert_allclose(crop_pad[1:4], X[0, :, 1:3, 0])
    assert crop_pad[0].tolist() == [0, 0] and crop_pad[4].tolist() == [0, 0]
    padded = tf.image.resize_with_pad(x, 6, 6).numpy()[0, :, :, 0]
    # TensorFlow pads from the unrounded resized size: here all padding goes below
    assert padded[4].tolist() == [0] * 6 and padded[5].tolist() == [0] * 6
    np.testing.assert_allclose(padded[0, :3], [0.0, 0.02083333, 0.04861112], atol=1e-6)
    np.testing.assert_array_equal(tf.image.rot90(X[0]).numpy(), np.rot90(X[0]))
    np.testing.assert_array_equal(tf.image.rot90(X[0], k=3).numpy(), np.rot90(X[0], 3))
    np.testing.assert_array_equal(tf.image.flip_left_right(X).numpy(), X[:, :, ::-1])
    np.testing.assert_array_equal(tf.image.flip_up_down(X).numpy(), X[:, ::-1])
    with pytest.raises(ValueError, match="height must be >= target \\+ offset"):
        tf.image.crop_to_bounding_box(x, 2, 0, 2, 2)
    with pytest.raises(ValueError, match="width must be <= target - offset"):
        tf.image.pad_to_bounding_box(x, 1, 1, 3, 4)


def test_random_flips_are_flips_and_stateless_reproducible():
    x = tf.constant(X)
    for _ in range(4):
        out = tf.image.random_flip_left_right(x).numpy()
        for i in range(2):
            assert np.array_equal(out[i], X[i]) or np.array_equal(out[i], X[i][:, ::-1])
    a = tf.image.stateless_random_flip_up_down(x, seed=(1, 2)).numpy()
    b = tf.image.stateless_random_flip_up_down(x, seed=(1, 2)).numpy()
    np.testing.assert_array_equal(a, b)


def test_color_space_round_trips():
    x = tf.constant(X)
    np.testing.assert_allclose(tf.image.yuv_to_rgb(tf.image.rgb_to_yuv(x)).numpy(), X, atol=1e-5)
    np.testing.assert_allclose(tf.image.yiq_to_rgb(tf.image.rgb_to_yiq(x)).numpy(), X, atol=1e-5)
