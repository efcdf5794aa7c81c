"""Dropout family, GaussianNoise/Dropout, AlphaDropout, ActivityRegularization."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.keras.serialization import serialize_keras_object
from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test


def _ones(*shape):
    return np.ones(shape, "float32")


@pytest.mark.parametrize(
    "cls,kwargs,shape",
    [
        (layers.Dropout, {"rate": 0.5}, (2, 3)),
        (layers.SpatialDropout1D, {"rate": 0.5}, (2, 3, 4)),
        (layers.SpatialDropout2D, {"rate": 0.5}, (2, 3, 3, 4)),
        (layers.SpatialDropout3D, {"rate": 0.5, "data_format": "channels_first"},
         (1, 2, 2, 2, 2)),
        (layers.GaussianNoise, {"stddev": 0.1}, (2, 3)),
        (layers.GaussianDropout, {"rate": 0.1}, (2, 3)),
        (layers.AlphaDropout, {"rate": 0.1}, (2, 3)),
    ],
)  # fmt: skip
def test_random_layers_standard(cls, kwargs, shape):
    # the seed generator's state is a non-trainable *variable*, not a weight
    layer = run_layer_test(cls, kwargs, shape, shape, 0, 0,
                           expected_num_non_trainable_variables=1)  # fmt: skip
    x = np.random.RandomState(0).rand(*shape).astype("float32") + 1.0
    np.testing.assert_array_equal(layer(x).numpy(), x)  # inference: identity
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    y = layer(x, training=True).numpy()
    assert y.shape == x.shape and not np.array_equal(y, x)


def test_dropout_statistics_and_fresh_masks():
    d = layers.Dropout(0.5, seed=1)
    x = _ones(200, 50)
    y1 = d(x, training=True).numpy()
    y2 = d(x, training=True).numpy()
    assert set(np.unique(y1)) <= {0.0, 2.0}
    assert abs((y1 == 0).mean() - 0.5) < 0.05
    assert not np.array_equal(y1, y2)  # the seed generator advances
    fn = tf.function(lambda x: d(x, training=True))
    z1, z2 = fn(x).numpy(), fn(x).numpy()
    assert not np.array_equal(z1, z2)


def test_dropout_noise_shape_and_spatial():
    d = layers.Dropout(0.5, noise_shape=(None, 1, 4), seed=3)
    y = d(_ones(8, 5, 4), training=True).numpy()
    assert (y == y[:, :1, :]).all()  # the same mask along the broadcast axis
    s = layers.SpatialDropout2D(0.5, seed=2)
    y = s(_ones(8, 3, 3, 6), training=True).numpy()
    assert (y == y[:, :1, :1, :]).all()
    s = layers.SpatialDropout1D(0.5, seed=2)
    y = s(_ones(8, 5, 6), training=True).numpy()
    assert (y == y[:, :1, :]).all()


def test_dropout_configs_and_errors():
    cfg = layers.Dropout(0.2, noise_shape=(None, 1)).get_config()
    assert cfg["rate"] == 0.2 and cfg["seed"] is None and cfg["noise_shape"] == (None, 1)
    cfg = layers.SpatialDropout2D(0.2, name="sd").get_config()
    assert cfg == {"rate": 0.2, "seed": None, "name": "sd", "dtype": "float32",
                   "data_format": "channels_last"}  # fmt: skip
    assert layers.SpatialDropout1D(0.2, name="s").get_config() == {
        "rate": 0.2, "seed": None, "name": "s", "dtype": "float32"
    }  # fmt: skip
    assert layers.AlphaDropout(0.2, seed=4).get_config()["seed"] == 4
    assert "noise_shape" not in layers.AlphaDropout(0.2).get_config()
    assert serialize_keras_object(layers.AlphaDropout(0.2))["module"] == "keras._legacy.layers"
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1. Received: rate=1.5"):
        layers.Dropout(1.5)
    with pytest.raises(ValueError, match="Received: stddev=-1"):
        layers.GaussianNoise(-1)
    with pytest.raises(ValueError, match="expected ndim=4, found ndim=3"):
        layers.SpatialDropout2D(0.5)(_ones(2, 3, 4))
    assert layers.Dropout(0.5).built and layers.Dropout(0.5).supports_masking


def test_gaussian_layers_statistics():
    x = _ones(400, 50)
    y = layers.GaussianNoise(0.5, seed=1)(x, training=True).numpy()
    assert abs(y.mean() - 1.0) < 0.02 and abs(y.std() - 0.5) < 0.02
    y = layers.GaussianDropout(0.5, seed=1)(x, training=True).numpy()
    assert abs(y.mean() - 1.0) < 0.02 and abs(y.std() - 1.0) < 0.03


def test_alpha_dropout_keeps_selu_statistics():
    x = np.random.RandomState(0).standard_normal((500, 40)).astype("float32")
    y = layers.AlphaDropout(0.2, seed=1)(x, training=True).numpy()
    assert abs(y.mean()) < 0.05 and abs(y.std() - 1.0) < 0.05


def test_activity_regularization():
    layer = run_layer_test(layers.ActivityRegularization, {"l1": 0.1, "l2": 0.2}, (2, 3),
                           (2, 3), 0, 0, expected_num_losses=1)  # fmt: skip
    x = np.array([[1.0, -2.0]], "float32")
    layer(x)
    np.testing.assert_allclose(float(layer.losses[0]), 0.1 * 3 + 0.2 * 5, rtol=1e-5)
    assert layer.get_config()["l1"] == 0.1
