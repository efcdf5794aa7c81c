"""Numeric preprocessing layers against NumPy references and Keras's printed values."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.keras.layers import preprocessing as pp


def test_normalization_adapt_and_invert():
    data = np.array([[1.0, 2.0], [3.0, 6.0]], np.float32)
    n = pp.Normalization()
    n.adapt(data)
    assert [w.name for w in n.weights] == ["mean", "variance", "count"]
    np.testing.assert_allclose(n(np.array([[1.0, 2.0]], np.float32)).numpy(), [[-1.0, -1.0]])
    inv = pp.Normalization(mean=[2.0, 4.0], variance=[1.0, 4.0], invert=True)
    np.testing.assert_allclose(inv(np.array([[-1.0, -1.0]], np.float32)).numpy(), [[1.0, 2.0]])
    assert n.get_config()["axis"] == (-1,)


def test_normalization_axis_none_uses_one_statistic():
    data = np.arange(12, dtype=np.float32).reshape(3, 4)
    n = pp.Normalization(axis=None)
    n.adapt(data)
    out = n(data).numpy()
    np.testing.assert_allclose(out, (data - data.mean()) / data.std(), rtol=1e-5)


def test_rescaling_and_center_crop():
    np.testing.assert_allclose(pp.Rescaling(1 / 255.0, offset=-1)(np.array([255.0])).numpy(), [0])
    img = np.arange(16.0, dtype=np.float32).reshape(1, 4, 4, 1)
    out = pp.CenterCrop(2, 2)(img).numpy()[0, ..., 0]
    assert out.tolist() == [[5.0, 6.0], [9.0, 10.0]]


def test_category_encoding_modes():
    x = np.array([[0, 1], [3, 3]])
    multi = pp.CategoryEncoding(num_tokens=4)(x).numpy()
    count = pp.CategoryEncoding(num_tokens=4, output_mode="count")(x).numpy()
    assert multi.tolist() == [[1, 1, 0, 0], [0, 0, 0, 1]]
    assert count.tolist() == [[1, 1, 0, 0], [0, 0, 0, 2]]
    assert pp.CategoryEncoding(num_tokens=4)(np.array([0, 3])).numpy().tolist() == [1, 0, 0, 1]
    one = pp.CategoryEncoding(num_tokens=3, output_mode="one_hot")(np.array([2, 0])).numpy()
    assert one.tolist() == [[0, 0, 1], [1, 0, 0]]
    with pytest.raises(ValueError, match="num_tokens must be set"):
        pp.CategoryEncoding()


def test_discretization_boundaries_and_adapt():
    d = pp.Discretization(bin_boundaries=[0.0, 1.0])
    out = d(np.array([-1.0, 0.0, 0.5, 1.0, 2.0], np.float32))
    assert out.dtype == tf.int32 and out.numpy().tolist() == [0, 1, 1, 2, 2]
    q = pp.Discretization(num_bins=4)
    q.adapt(np.arange(100, dtype=np.float32))
    assert len(q.bin_boundaries) == 3
    assert q(np.array([0.0, 99.0], np.float32)).numpy().tolist() == [0, 3]


def test_random_flip_only_when_training_and_reproducible():
    img = np.arange(8.0, dtype=np.float32).reshape(2, 2, 2, 1)
    f = pp.RandomFlip("horizontal", seed=3)
    np.testing.assert_array_equal(f(img, training=False).numpy(), img)
    outs = [f(img).numpy() for _ in range(8)]
    for o in outs:  # every image is itself or its mirror
        for i in range(2):
            assert np.array_equal(o[i], img[i]) or np.array_equal(o[i], img[i][:, ::-1])
    assert any(not np.array_equal(o, img) for o in outs)


def test_random_contrast_brightness_and_crop_ranges():
    rng = np.random.default_rng(0)
    img = rng.uniform(0, 255, (3, 5, 5, 3)).astype(np.float32)
    c = pp.RandomContrast(0.5, seed=1)(img).numpy()
    assert c.min() >= 0 and c.max() <= 255
    b = pp.RandomBrightness(0.2, seed=1)(img).numpy()
    assert b.min() >= 0 and b.max() <= 255 and not np.allclose(b, img)
    crop = pp.RandomCrop(3, 4, seed=2)
    assert crop(img).shape == (3, 3, 4, 3)
    center = crop(img, training=False).numpy()
    np.testing.assert_array_equal(center, img[:, 1:4, 0:4, :])


def test_resizing_matches_keras_values():
    from tensorflux._src.keras.layers.image_transforms import Resizing

    x = np.arange(25.0, dtype=np.float32).reshape(1, 5, 5, 1)
    np.testing.assert_allclose(
        Resizing(3, 3)(x).numpy()[0, ..., 0],
        [[2.0, 3.6666665, 5.333333], [10.333333, 12.0, 13.666666], [18.666666, 20.333332, 22.0]],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        Resizing(3, 4, crop_to_aspect_ratio=True)(x).numpy()[0, ..., 0][0],
        [5.125, 6.375, 7.625, 8.875], rtol=1e-5,
    )
    assert Resizing(2, 3).compute_output_shape((None, 5, 5, 1)) == (None, 2, 3, 1)


def test_affine_transform_fill_modes_and_identity():
    from tensorflux._src.keras.layers.image_transforms import affine_transform

    x = np.arange(16.0, dtype=np.float32).reshape(1, 4, 4, 1)
    ident = np.array([[1, 0, 0, 0, 1, 0]], np.float32)
    np.testing.assert_allclose(affine_transform(x, ident).numpy(), x)
    shift = np.array([[1, 0, -1, 0, 1, 0]], np.float32)  # output x reads input x - 1
    row = x[0, 0, :, 0]
    expect = {
        "constant": [0, 0, 1, 2], "nearest": [0, 0, 1, 2], "reflect": [0, 0, 1, 2],
        "wrap": [3, 0, 1, 2],
    }  # fmt: skip
    for mode, want in expect.items():
        got = affine_transform(x, shift, fill_mode=mode).numpy()[0, 0, :, 0]
        np.testing.assert_allclose(got, np.asarray(want, np.float32) + row[0], err_msg=mode)
    half = np.array([[1, 0, 0.5, 0, 1, 0]], np.float32)
    got = affine_transform(x, half, fill_mode="nearest").numpy()[0, 0, :, 0]
    np.testing.assert_allclose(got, [0.5, 1.5, 2.5, 3.0])


def test_random_geometric_layers_keep_shape_and_identity_at_inference():
    from tensorflux._src.keras.layers import image_transforms as it

    x = np.random.default_rng(0).random((2, 6, 6, 3)).astype(np.float32)
    for layer in (it.RandomRotation(0.2, seed=1), it.RandomZoom(0.3, seed=1),
                  it.RandomTranslation(0.2, 0.2, seed=1)):  # fmt: skip
        out = layer(x)
        assert out.shape == x.shape and not np.allclose(out.numpy(), x)
        np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    assert it.RandomRotation(0.1).get_config()["factor"] == (-0.1, 0.1)
