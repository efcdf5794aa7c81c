"""tf.image.crop_and_resize, extract_patches and extract_glimpse (expected values printed by TensorFlow 2.21, hard-coded)."""

import numpy as np
import pytest

import tensorflux as tf

IMG = np.arange(2 * 4 * 5 * 2, dtype=np.float32).reshape(2, 4, 5, 2) / 10.0
BX = np.array([[0.1, 0.2, 0.7, 0.9], [-0.3, 0.25, 0.6, 1.2], [0.8, 0.7, 0.2, 0.1]], np.float32)
BI = np.array([0, 1, 1], np.int32)
W = np.linspace(-1, 1, 3 * 2 * 3 * 2).reshape(3, 2, 3, 2).astype(np.float32)
P = np.arange(1 * 4 * 5 * 2, dtype=np.float32).reshape(1, 4, 5, 2)
GI = np.arange(2 * 5 * 6 * 1, dtype=np.float32).reshape(2, 5, 6, 1)
OF = np.array([[0.2, -0.4], [0.9, 0.5]], np.float32)
CROP_BIL = [
    [[[0.46, 0.56], [0.74, 0.84], [1.02, 1.12]], [[2.26, 2.36], [2.54, 2.64], [2.82, 2.92]]],
    [[[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]], [[6.0, 6.1], [6.38, 6.48], [0.0, 0.0]]],
    [[[6.96, 7.06], [6.72, 6.82], [6.48, 6.58]], [[5.16, 5.26], [4.92, 5.02], [4.68, 4.78]]],
]
CROP_NEAR = [
    [[[0.2, 0.3], [0.8, 0.9]], [[1.2, 1.3], [1.8, 1.9]], [[2.2, 2.3], [2.8, 2.9]]],
    [[[-1.0, -1.0], [-1.0, -1.0]], [[4.2, 4.3], [-1.0, -1.0]], [[6.2, 6.3], [-1.0, -1.0]]],
    [[[6.6, 6.7], [6.0, 6.1]], [[6.6, 6.7], [6.0, 6.1]], [[5.6, 5.7], [5.0, 5.1]]],
]
CROP_ONE = [[[[1.64, 1.74]]], [[[5.03, 5.13]]], [[[5.82, 5.92]]]]
GI_BIL = [
    [
        [[-0.14, -0.132], [-0.56, -0.528], [-0.496, -0.464], [-0.34, -0.316], [-0.324, -0.3]],
        [
            [-0.06, -0.056571],
            [-0.24, -0.226286],
            [-0.212571, -0.198857],
            [-0.145714, -0.135429],
            [-0.138857, -0.128571],
        ],
        [
            [-0.118286, -0.108],
            [-0.473143, -0.432],
            [-0.390857, -0.349714],
            [-0.252, -0.221143],
            [-0.231429, -0.200571],
        ],
        [
            [-0.013143, -0.012],
            [-0.052571, -0.048],
            [-0.043429, -0.038857],
            [-0.028, -0.024571],
            [-0.025714, -0.022286],
        ],
    ],
    [
        [
            [0.226286, 0.24],
            [0.283429, 0.301714],
            [0.256, 0.274286],
            [0.228571, 0.246857],
            [0.0, 0.0],
        ],
        [
            [0.339429, 0.36],
            [0.430857, 0.469714],
            [0.386857, 0.415429],
            [0.368571, 0.406286],
            [0.0, 0.0],
        ],
        [
            [0.216, 0.236571],
            [0.283429, 0.356571],
            [0.230857, 0.262857],
            [0.281143, 0.349714],
            [0.0, 0.0],
        ],
        [
            [0.144, 0.157714],
            [0.173714, 0.192],
            [0.146286, 0.164571],
            [0.118857, 0.137143],
            [0.0, 0.0],
        ],
    ],
]
GB_BIL = [
    [-15.42857, -3.65714, -9.25714, -2.92571],
    [0.0, 0.13714, 1.37143, 0.13714],
    [9.25714, 2.92571, 15.42857, 3.65714],
]
GI_NEAR = [
    [
        [[0.0, 0.0], [-1.0, -0.942857], [-0.885714, -0.828571], [0.0, 0.0], [-0.771429, -0.714286]],
        [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
        [[0.0, 0.0], [-0.657143, -0.6], [-0.542857, -0.485714], [0.0, 0.0], [-0.428571, -0.371429]],
        [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
    ],
    [
        [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
        [[0.942857, 1.0], [0.0, 0.0], [0.828571, 0.885714], [0.714286, 0.771429], [0.0, 0.0]],
        [
            [0.6, 0.657143],
            [0.028571, 0.085714],
            [0.485714, 0.542857],
            [0.514286, 0.628571],
            [0.0, 0.0],
        ],
        [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
    ],
]
GB_NEAR = [
    [-15.42857, -3.65714, -9.25714, -2.92571],
    [0.0, 0.13714, 1.37143, 0.13714],
    [9.25714, 2.92571, 15.42857, 3.65714],
]
PATCH_VALID = [
    [
        [
            [0.0, 1.0, 2.0, 3.0, 10.0, 11.0, 12.0, 13.0],
            [4.0, 5.0, 6.0, 7.0, 14.0, 15.0, 16.0, 17.0],
        ],
        [
            [20.0, 21.0, 22.0, 23.0, 30.0, 31.0, 32.0, 33.0],
            [24.0, 25.0, 26.0, 27.0, 34.0, 35.0, 36.0, 37.0],
        ],
    ]
]
PATCH_SAME = [
    [
        [
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 10.0, 11.0, 12.0, 13.0],
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0],
            [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 16.0, 17.0, 18.0, 19.0, 0.0, 0.0],
        ],
        [
            [0.0, 0.0, 20.0, 21.0, 22.0, 23.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
            [26.0, 27.0, 28.0, 29.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        ],
    ]
]
PATCH_GRAD = [
    [2.0, 4.0, 2.0, 4.0, 2.0],
    [3.0, 6.0, 3.0, 6.0, 3.0],
    [3.0, 6.0, 3.0, 6.0, 3.0],
    [2.0, 4.0, 2.0, 4.0, 2.0],
]
GL_TT = [[[12.0, 13.0, 14.0], [18.0, 19.0, 20.0]], [[51.0, 52.0, 53.0], [57.0, 58.0, 59.0]]]
GL_TF = [[[19.0, 20.0, 21.0], [25.0, 26.0, 27.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]]
GL_FT = [[[0.0, 0.0, 6.0], [0.0, 0.0, 12.0]], [[57.0, 58.0, 59.0], [0.0, 0.0, 0.0]]]
GL_FF = [[[0.0, 0.0, 1.0], [0.0, 6.0, 7.0]], [[43.0, 44.0, 45.0], [49.0, 50.0, 51.0]]]


def close(a, b, atol=1e-5):
    np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64), atol=atol)


def test_crop_and_resize_values():
    close(tf.image.crop_and_resize(IMG, BX, BI, [2, 3]), CROP_BIL)
    near = tf.image.crop_and_resize(IMG, BX, BI, [3, 2], method="nearest", extrapolation_value=-1.0)
    close(near, CROP_NEAR)
    close(tf.image.crop_and_resize(IMG, BX, BI, [1, 1]), CROP_ONE)
    out = tf.image.crop_and_resize((IMG * 10).astype(np.uint8), BX, BI, [2, 3])
    assert out.dtype == tf.float32 and out.shape == (3, 2, 3, 2)
    f = tf.function(lambda i, b: tf.image.crop_and_resize(i, b, BI, [2, 3]))
    close(f(IMG, BX), CROP_BIL)


@pytest.mark.parametrize(
    "method,gi,gb", [("bilinear", GI_BIL, GB_BIL), ("nearest", GI_NEAR, GB_NEAR)]
)
def test_crop_and_resize_gradients(method, gi, gb):
    iv, bv = tf.constant(IMG), tf.constant(BX)
    with tf.GradientTape() as tape:
        tape.watch([iv, bv])
        loss = tf.reduce_sum(tf.image.crop_and_resize(iv, bv, BI, [2, 3], method=method) * W)
    g_img, g_box = tape.gradient(loss, [iv, bv])
    close(g_img, gi)
    close(g_box, gb, 1e-3)


def test_crop_and_resize_errors():
    with pytest.raises(tf.errors.OutOfRangeError, match="box_index has values outside"):
        tf.image.crop_and_resize(IMG, BX, [0, 2, 1], [2, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="crop dimensions must be positive"):
        tf.image.crop_and_resize(IMG, BX, BI, [0, 2])


def test_extract_patches_values_and_gradient():
    close(tf.image.extract_patches(P, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1], "VALID"),
          PATCH_VALID)  # fmt: skip
    close(tf.image.extract_patches(P, [1, 2, 3, 1], [1, 3, 2, 1], [1, 2, 1, 1], "SAME"), PATCH_SAME)
    pv = tf.constant(P)
    with tf.GradientTape() as tape:
        tape.watch(pv)
        loss = tf.reduce_sum(tf.image.extract_patches(pv, [1, 3, 3, 1], [1, 1, 2, 1],
                                                      [1, 1, 1, 1], "SAME"))  # fmt: skip
    close(tape.gradient(loss, pv)[0, ..., 0], PATCH_GRAD)
    with pytest.raises(tf.errors.InvalidArgumentError, match="padding"):
        tf.image.extract_patches(P, [1, 2, 2, 1], [1, 1, 1, 1], [1, 1, 1, 1], "FOO")


def test_extract_patches_traced_with_unknown_batch():
    f = tf.function(lambda x: tf.image.extract_patches(x, [1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1],
                                                       "VALID"),
                    input_signature=[tf.TensorSpec([None, 4, 5, 2], tf.float32)])  # fmt: skip
    close(f(P), PATCH_VALID)


@pytest.mark.parametrize(
    "centered,normalized,want",
    [(True, True, GL_TT), (True, False, GL_TF), (False, True, GL_FT), (False, False, GL_FF)],
)
def test_extract_glimpse_offsets(centered, normalized, want):
    off = OF if normalized else OF * 3
    out = tf.image.extract_glimpse(GI, [2, 3], off, centered=centered, normalized=normalized,
                                   noise="zero")  # fmt: skip
    close(out[..., 0], want)


def test_extract_glimpse_noise_stays_in_range():
    out = tf.image.extract_glimpse(GI, [4, 4], [[1.0, 1.0], [-1.0, -1.0]]).numpy()
    assert out.shape == (2, 4, 4, 1)
    for b in range(2):
        assert GI[b].min() <= out[b].min() and out[b].max() <= GI[b].max()
