"""Pooling layers: standard checks, NumPy references, configs and masks."""

import json
import os

import numpy as np
import pytest

from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test

_ORACLE = json.load(open(os.path.join(os.path.dirname(__file__), "layers_oracle.json")))


def _x(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "cls,kwargs,in_shape,out_shape",
    [
        (layers.MaxPooling1D, {}, (2, 5, 3), (2, 2, 3)),
        (layers.MaxPooling2D, {"pool_size": 3, "strides": 1, "padding": "same"}, (2, 4, 4, 2),
         (2, 4, 4, 2)),
        (layers.MaxPooling3D, {}, (1, 4, 4, 4, 2), (1, 2, 2, 2, 2)),
        (layers.AveragePooling1D, {"pool_size": 2}, (2, 5, 3), (2, 2, 3)),
        (layers.AveragePooling2D, {"pool_size": 2, "data_format": "channels_first"},
         (2, 3, 4, 4), (2, 3, 2, 2)),
        (layers.AveragePooling3D, {"pool_size": 2}, (1, 4, 4, 4, 2), (1, 2, 2, 2, 2)),
        (layers.GlobalMaxPooling1D, {}, (2, 5, 3), (2, 3)),
        (layers.GlobalMaxPooling2D, {"keepdims": True}, (2, 4, 4, 3), (2, 1, 1, 3)),
        (layers.GlobalMaxPooling3D, {}, (1, 2, 2, 2, 3), (1, 3)),
        (layers.GlobalAveragePooling1D, {}, (2, 5, 3), (2, 3)),
        (layers.GlobalAveragePooling2D, {"data_format": "channels_first"}, (2, 3, 4, 4),
         (2, 3)),
        (layers.GlobalAveragePooling3D, {"keepdims": True}, (1, 2, 2, 2, 3), (1, 1, 1, 1, 3)),
    ],
)  # fmt: skip
def test_pooling_standard(cls, kwargs, in_shape, out_shape):
    run_layer_test(cls, kwargs, in_shape, out_shape, 0, 0)


def test_pooling_numerics():
    x = _x(2, 4, 6, 3)
    y = layers.MaxPooling2D()(x).numpy()
    np.testing.assert_allclose(y, x.reshape(2, 2, 2, 3, 2, 3).max(axis=(2, 4)))
    y = layers.AveragePooling2D(2)(x).numpy()
    np.testing.assert_allclose(y, x.reshape(2, 2, 2, 3, 2, 3).mean(axis=(2, 4)), rtol=1e-5)
    np.testing.assert_allclose(layers.GlobalMaxPooling2D()(x).numpy(), x.max(axis=(1, 2)))
    np.testing.assert_allclose(layers.GlobalAveragePooling2D()(x).numpy(), x.mean(axis=(1, 2)),
                               rtol=1e-5)  # fmt: skip
    x1 = _x(2, 6, 3)
    np.testing.assert_allclose(layers.MaxPooling1D(3)(x1).numpy(),
                               x1.reshape(2, 2, 3, 3).max(axis=2))  # fmt: skip


def test_average_pooling_same_oracle():
    x = ((np.arange(32, dtype="float32").reshape(1, 4, 4, 2) % 7 - 3) / 10).astype("float32")
    y = layers.AveragePooling2D(3, strides=2, padding="same")(x).numpy()
    np.testing.assert_allclose(y, _ORACLE["pool_avg_same"], atol=1e-6)


def test_pooling_configs():
    cfg = layers.MaxPooling2D(pool_size=3, strides=1, padding="same").get_config()
    assert {k: cfg[k] for k in ("pool_size", "padding", "strides", "data_format")} == {
        "pool_size": (3, 3), "padding": "same", "strides": (1, 1),
        "data_format": "channels_last",
    }  # fmt: skip
    assert layers.AveragePooling1D(2).get_config()["strides"] == (2,)
    assert layers.MaxPooling2D().built
    cfg = layers.GlobalMaxPooling2D().get_config()
    assert cfg["keepdims"] is False and cfg["data_format"] == "channels_last"
    assert layers.MaxPooling2D().name.startswith("max_pooling2d")
    assert layers.MaxPool2D is layers.MaxPooling2D and layers.GlobalAvgPool1D is (
        layers.GlobalAveragePooling1D
    )


def test_pooling_none_dims():
    assert layers.MaxPooling2D().compute_output_shape((None, None, 5, 3)) == (None, None, 2, 3)
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.MaxPooling2D()(np.zeros((1, 4, 4), "float32"))


def test_global_average_pooling_1d_mask():
    x = _x(2, 4, 3)
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    y = layers.GlobalAveragePooling1D()(x, mask=mask).numpy()
    np.testing.assert_allclose(y, np.stack([x[0, :2].mean(0), x[1].mean(0)]), rtol=1e-5)
    masked = layers.Masking()(np.array([[[1.0], [0.0], [3.0]]], "float32"))
    out = layers.GlobalAveragePooling1D()(masked)
    np.testing.assert_allclose(out.numpy(), [[2.0]])
    assert getattr(out, "_keras_mask", None) is None


@pytest.mark.parametrize(
    "cls,kwargs,in_shape,out_shape",
    [
        (layers.AdaptiveAveragePooling1D, {"output_size": 4}, (2, 7, 2), (2, 4, 2)),
        (layers.AdaptiveMaxPooling1D, {"output_size": 3}, (2, 7, 2), (2, 3, 2)),
        (layers.AdaptiveAveragePooling2D, {"output_size": (2, 3)}, (2, 5, 7, 1), (2, 2, 3, 1)),
        (layers.AdaptiveMaxPooling2D, {"output_size": 3, "data_format": "channels_first"},
         (2, 1, 5, 7), (2, 1, 3, 3)),
        (layers.AdaptiveAveragePooling3D, {"output_size": 2}, (1, 3, 4, 5, 2), (1, 2, 2, 2, 2)),
        (layers.AdaptiveMaxPooling3D, {"output_size": (1, 2, 3)}, (1, 3, 4, 5, 2),
         (1, 1, 2, 3, 2)),
    ],
)  # fmt: skip
def test_adaptive_pooling_standard(cls, kwargs, in_shape, out_shape):
    run_layer_test(cls, kwargs, in_shape, out_shape, 0, 0, check_none_batch=True)


def test_adaptive_pooling_values():
    x = np.arange(2 * 5 * 7, dtype="float32").reshape(2, 5, 7, 1)
    y = layers.AdaptiveAveragePooling2D((2, 3))(x).numpy()
    np.testing.assert_allclose(y[0, :, :, 0], [[8, 10, 12], [22, 24, 26]])  # Keras's values
    y = layers.AdaptiveMaxPooling2D(3)(x).numpy()
    np.testing.assert_allclose(y[0, :, :, 0], [[9, 11, 13], [23, 25, 27], [30, 32, 34]])
    cfg = layers.AdaptiveAveragePooling1D(3).get_config()
    assert cfg["output_size"] == (3,) and cfg["data_format"] == "channels_last"
    with pytest.raises(TypeError, match="`output_size` must be an integer or"):
        layers.AdaptiveAveragePooling2D((2, 3, 4))
