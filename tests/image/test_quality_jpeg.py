"""tf.image.ssim, ssim_multiscale, sobel_edges and the JPEG-quality functions (expected values printed by TensorFlow 2.21, hard-coded)."""

import numpy as np
import pytest

import tensorflux as tf

_rng = np.random.RandomState(0)
A = _rng.rand(2, 12, 13, 3).astype(np.float32)
B = np.clip(A + _rng.randn(*A.shape).astype(np.float32) * 0.1, 0, 1)
A2 = _rng.rand(1, 37, 41, 2).astype(np.float32)
B2 = np.clip(A2 + _rng.randn(*A2.shape).astype(np.float32) * 0.2, 0, 1)
S = np.arange(1 * 4 * 5 * 2, dtype=np.float32).reshape(1, 4, 5, 2) ** 1.5 / 10
_yy, _xx = np.mgrid[0:16, 0:16]
SM = (np.stack([np.sin(_yy / 3), np.cos(_xx / 4), np.sin((_xx + _yy) / 5)], -1) * 100 + 120).astype(
    np.uint8
)
SSIM = [0.951602, 0.953811]
SSIM_OPTS = [0.950356, 0.947474]
SSIM_MAP_MEAN = [0.951602, 0.953811]
SSIM_U8 = [0.951871, 0.954143]
SSIM_GRAD = [
    [-0.0018057, -0.0090797, 0.0048529],
    [0.0273737, 0.0378388, -0.0061904],
    [0.0040252, -0.032667, -0.0078898],
]
MS = [0.834682]
MS3 = [0.816237]
MS_GRAD = [-0.0019674, -0.00198197, -0.00044566]
SOBEL = [
    [[-0.0, 0.0], [-2e-06, 5.752085], [0.0, 6.859859], [1e-06, 7.722349], [0.0, 0.0]],
    [
        [37.960686, 0.0],
        [39.973969, 7.765365],
        [43.73893, 8.611545],
        [47.086533, 9.318264],
        [48.682446, 0.0],
    ],
    [
        [54.428822, 0.0],
        [55.746334, 11.096161],
        [58.318848, 11.618219],
        [60.77494, 12.115282],
        [61.976036, 0.0],
    ],
    [[-2e-06, 0.0], [-2e-06, 12.413678], [1e-06, 12.87321], [2e-06, 13.316381], [1e-06, 0.0]],
]
JPEG_U8_50 = [
    [[139, 208, 141], [142, 140, 203], [129, 36, 179], [147, 25, 126]],
    [[207, 225, 213], [215, 154, 214], [202, 42, 128], [222, 31, 72]],
    [[99, 227, 192], [110, 149, 131], [98, 38, 37], [113, 35, 31]],
    [[16, 220, 135], [26, 141, 72], [11, 41, 31], [21, 40, 82]],
]
JPEG_F_20 = [
    [0.396078, 0.529412, 0.52549, 0.505882],
    [0.843137, 0.901961, 0.862745, 0.847059],
    [0.333333, 0.360784, 0.321569, 0.352941],
    [0.141176, 0.168627, 0.137255, 0.243137],
]
JPEG_GRAY = [[133, 133, 133, 133], [215, 215, 215, 215], [99, 99, 99, 99], [18, 18, 18, 18]]


def close(a, b, atol=1e-5):
    np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64), atol=atol)


def test_ssim():
    close(tf.image.ssim(A, B, 1.0), SSIM)
    close(tf.image.ssim(A, B, 2.0, filter_size=5, filter_sigma=0.8, k1=0.02, k2=0.05), SSIM_OPTS)
    m = tf.image.ssim(A, B, 1.0, return_index_map=True)
    assert m.shape == (2, 2, 3)
    close(tf.reduce_mean(m, [1, 2]), SSIM_MAP_MEAN)
    close(tf.image.ssim((A * 255).astype(np.uint8), (B * 255).astype(np.uint8), 255), SSIM_U8)
    close(tf.image.ssim(A, A, 1.0), [1.0, 1.0])
    with pytest.raises(tf.errors.InvalidArgumentError, match="filter_size"):
        tf.image.ssim(A[:, :5], B[:, :5], 1.0)


def test_ssim_gradient():
    av = tf.constant(A)
    with tf.GradientTape() as tape:
        tape.watch(av)
        loss = tf.reduce_sum(tf.image.ssim(av, B, 1.0))
    close(tape.gradient(loss, av)[0, 5, 5:8], SSIM_GRAD, 1e-6)


def test_ssim_multiscale():
    close(tf.image.ssim_multiscale(A2, B2, 1.0, filter_size=3, filter_sigma=0.7), MS)
    close(tf.image.ssim_multiscale(A2, B2, 1.0, power_factors=(0.3, 0.3, 0.4), filter_size=5), MS3)
    a2 = tf.constant(A2)
    with tf.GradientTape() as tape:
        tape.watch(a2)
        loss = tf.reduce_sum(tf.image.ssim_multiscale(a2, B2, 1.0, filter_size=3))
    close(tape.gradient(loss, a2)[0, 10, 10:13, 0], MS_GRAD, 1e-6)
    f = tf.function(lambda x, y: tf.image.ssim_multiscale(x, y, 1.0, filter_size=3,
                                                          filter_sigma=0.7))  # fmt: skip
    close(f(A2, B2), MS)


def test_sobel_edges():
    out = tf.image.sobel_edges(tf.constant(S))
    assert out.shape == (1, 4, 5, 2, 2)
    close(out[0, ..., 0, :], SOBEL, 1e-4)


def test_jpeg_quality_round_trip():
    out = tf.image.adjust_jpeg_quality(SM, 50)
    assert out.dtype == tf.uint8 and out.shape == (16, 16, 3)
    np.testing.assert_array_equal(out[::5, ::5], JPEG_U8_50)
    f = tf.image.adjust_jpeg_quality(SM.astype(np.float32) / 255, 20)
    assert f.dtype == tf.float32
    close(f[::5, ::5, 0], JPEG_F_20)
    np.testing.assert_array_equal(tf.image.adjust_jpeg_quality(SM[..., :1], 10)[::5, ::5, 0],
                                  JPEG_GRAY)  # fmt: skip


def test_random_jpeg_quality():
    a = tf.image.stateless_random_jpeg_quality(SM, 40, 60, seed=[1, 2])
    np.testing.assert_array_equal(a, tf.image.stateless_random_jpeg_quality(SM, 40, 60, [1, 2]))
    assert tf.image.random_jpeg_quality(SM, 49, 50).shape == (16, 16, 3)
    np.testing.assert_array_equal(tf.image.random_jpeg_quality(SM, 50, 51)[::5, ::5], JPEG_U8_50)
    with pytest.raises(ValueError, match="must be less than"):
        tf.image.random_jpeg_quality(SM, 50, 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        tf.image.random_jpeg_quality(SM, -1, 50)
