"""Flatten, Reshape, Permute, RepeatVector, ZeroPadding*, Cropping*, UpSampling*."""

import json
import os

import numpy as np
import pytest

from tensorflux._src.keras.layers.input_layer import Input
from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test

_ORACLE = json.load(open(os.path.join(os.path.dirname(__file__), "layers_oracle.json")))


def _x(*shape):
    return np.arange(int(np.prod(shape)), dtype="float32").reshape(shape)


@pytest.mark.parametrize(
    "cls,kwargs,in_shape,out_shape",
    [
        (layers.Flatten, {}, (2, 3, 4), (2, 12)),
        (layers.Reshape, {"target_shape": (2, -1)}, (2, 6), (2, 2, 3)),
        (layers.Permute, {"dims": (2, 1)}, (2, 3, 4), (2, 4, 3)),
        (layers.RepeatVector, {"n": 3}, (2, 4), (2, 3, 4)),
        (layers.ZeroPadding1D, {"padding": (1, 2)}, (2, 3, 4), (2, 6, 4)),
        (layers.ZeroPadding2D, {"padding": ((1, 0), (2, 1))}, (2, 3, 3, 1), (2, 4, 6, 1)),
        (layers.ZeroPadding3D, {"padding": 1}, (1, 2, 2, 2, 1), (1, 4, 4, 4, 1)),
        (layers.Cropping1D, {"cropping": (1, 2)}, (2, 5, 3), (2, 2, 3)),
        (layers.Cropping2D, {"cropping": ((1, 0), (0, 2))}, (2, 4, 4, 1), (2, 3, 2, 1)),
        (layers.Cropping3D, {"cropping": 1}, (1, 4, 4, 4, 1), (1, 2, 2, 2, 1)),
        (layers.UpSampling1D, {"size": 3}, (2, 2, 3), (2, 6, 3)),
        (layers.UpSampling2D, {"size": (2, 3)}, (2, 2, 2, 1), (2, 4, 6, 1)),
        (layers.UpSampling3D, {}, (1, 2, 2, 2, 1), (1, 4, 4, 4, 1)),
    ],
)  # fmt: skip
def test_reshaping_standard(cls, kwargs, in_shape, out_shape):
    run_layer_test(cls, kwargs, in_shape, out_shape, 0, 0, supports_masking=False)


def test_flatten():
    x = _x(2, 3, 2)
    np.testing.assert_array_equal(layers.Flatten()(x).numpy(), x.reshape(2, -1))
    y = layers.Flatten(data_format="channels_first")(_x(1, 2, 3, 2)).numpy()
    np.testing.assert_array_equal(y, [[0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11]])
    assert layers.Flatten().compute_output_shape((None, 3, None)) == (None, None)
    assert layers.Flatten().compute_output_shape((None,)) == (None, 1)
    kt = layers.Flatten()(Input((None, 3)))
    assert tuple(kt.shape.as_list()) == (None, None)


def test_reshape():
    np.testing.assert_array_equal(layers.Reshape((3, 2))(_x(2, 6)).numpy(), _x(2, 3, 2))
    assert layers.Reshape((-1, 2)).compute_output_shape((None, 6)) == (None, 3, 2)
    assert layers.Reshape((-1, 2)).compute_output_shape((None, None)) == (None, None, 2)
    assert layers.Reshape([2, 3]).get_config()["target_shape"] == (2, 3)
    with pytest.raises(ValueError, match="at most one unknown dimension"):
        layers.Reshape((-1, -1))
    with pytest.raises(ValueError, match="total size of the tensor must be unchanged"):
        layers.Reshape((4,))(_x(2, 3))
    kt = layers.Reshape((-1, 2))(Input((None,)))
    assert tuple(kt.shape.as_list()) == (None, None, 2)


def test_permute_repeat():
    x = _x(2, 3, 4)
    np.testing.assert_array_equal(layers.Permute((2, 1))(x).numpy(), x.transpose(0, 2, 1))
    with pytest.raises(ValueError, match="must be consecutive and start from 1"):
        layers.Permute((1, 3))
    y = layers.RepeatVector(2)(_x(2, 3)).numpy()
    np.testing.assert_array_equal(y, np.repeat(_x(2, 1, 3), 2, axis=1))
    with pytest.raises(TypeError, match="Expected an integer value for `n`"):
        layers.RepeatVector("a")
    with pytest.raises(ValueError, match="expected ndim=2, found ndim=3"):
        layers.RepeatVector(2)(_x(2, 3, 4))


def test_padding_and_cropping_values():
    x = _x(1, 3, 3, 1)
    y = layers.ZeroPadding2D(((1, 0), (0, 2)))(x).numpy()
    np.testing.assert_array_equal(y, np.pad(x, [(0, 0), (1, 0), (0, 2), (0, 0)]))
    y = layers.ZeroPadding2D(1, data_format="channels_first")(_x(1, 1, 2, 2)).numpy()
    assert y.shape == (1, 1, 4, 4)
    y = layers.Cropping2D(((1, 0), (0, 1)))(_x(1, 3, 3, 1)).numpy()
    np.testing.assert_array_equal(y, _x(1, 3, 3, 1)[:, 1:, :2])
    y = layers.Cropping1D((1, 1))(_x(1, 4, 2)).numpy()
    np.testing.assert_array_equal(y, _x(1, 4, 2)[:, 1:3])
    assert layers.Cropping2D(1).compute_output_shape((None, None, 4, 1)) == (None, None, 2, 1)


def test_padding_and_cropping_configs_and_errors():
    assert layers.ZeroPadding2D(2).get_config()["padding"] == ((2, 2), (2, 2))
    assert layers.ZeroPadding2D((1, 2)).get_config()["padding"] == ((1, 1), (2, 2))
    assert layers.ZeroPadding1D().get_config()["padding"] == (1, 1)
    assert layers.ZeroPadding1D().get_config()["data_format"] == "channels_last"
    assert layers.ZeroPadding3D(2).get_config()["padding"] == ((2, 2), (2, 2), (2, 2))
    assert layers.Cropping2D(2).get_config()["cropping"] == ((2, 2), (2, 2))
    assert "data_format" not in layers.Cropping1D().get_config()
    with pytest.raises(ValueError, match="`padding` should have two elements"):
        layers.ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match="`padding` should have 3 elements"):
        layers.ZeroPadding3D((1, 2))
    with pytest.raises(ValueError, match=r"tuple of 2 integers. Received padding=\(1, 2, 3\)"):
        layers.ZeroPadding1D((1, 2, 3))
    with pytest.raises(ValueError, match="`cropping` should have two elements"):
        layers.Cropping2D((1, 2, 3))
    with pytest.raises(ValueError, match="must be smaller than the input length"):
        layers.Cropping1D((3, 3))(_x(2, 5, 1))
    with pytest.raises(ValueError, match="should be smaller than the corresponding spatial"):
        layers.Cropping2D(3)(_x(1, 4, 4, 1))


def test_upsampling():
    x = _x(1, 2, 2, 1)
    y = layers.UpSampling2D()(x).numpy()
    np.testing.assert_array_equal(y, x.repeat(2, axis=1).repeat(2, axis=2))
    assert layers.UpSampling2D(3).get_config()["size"] == (3, 3)
    assert layers.UpSampling2D(interpolation="bilinear").get_config()["interpolation"] == (
        "bilinear"
    )
    assert layers.UpSampling1D(3).get_config()["size"] == 3
    assert layers.UpSampling3D(3).get_config()["size"] == (3, 3, 3)
    assert layers.UpSampling2D().compute_output_shape((None, None, 3, 2)) == (None, None, 6, 2)
    y = layers.UpSampling2D(2)(((np.arange(32, dtype="float32").reshape(1, 4, 4, 2) % 7 - 3)
                                / 10).astype("float32")).numpy()  # fmt: skip
    np.testing.assert_allclose(y, _ORACLE["up2d_nearest"], atol=1e-6)
