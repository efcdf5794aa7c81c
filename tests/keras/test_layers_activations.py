"""ReLU, LeakyReLU, PReLU, ELU and Softmax layers."""

import json
import os

import numpy as np
import pytest

from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test

_ORACLE = json.load(open(os.path.join(os.path.dirname(__file__), "layers_oracle.json")))
_X = np.array([[-2.0, -0.5, 0.0, 0.5, 3.0, 8.0]], "float32")


def test_relu():
    run_layer_test(layers.ReLU, {"max_value": 6.0}, (2, 3), (2, 3), 0, 0,
                   supports_masking=True)  # fmt: skip
    np.testing.assert_allclose(layers.ReLU()(_X).numpy(), np.maximum(_X, 0))
    y = layers.ReLU(max_value=6, negative_slope=0.1, threshold=0.5)(_X).numpy()
    ref = np.where(_X >= 6, 6, np.where(_X > 0.5, _X, 0.1 * (_X - 0.5)))
    np.testing.assert_allclose(y, ref, rtol=1e-6)
    assert layers.ReLU(max_value=6).get_config()["max_value"] == 6
    with pytest.raises(ValueError, match="max_value of a ReLU layer cannot be a negative"):
        layers.ReLU(max_value=-1)
    with pytest.raises(ValueError, match="negative_slope of a ReLU layer cannot be None"):
        layers.ReLU(negative_slope=-1)
    assert layers.ReLU().name.startswith("re_lu")


def test_leaky_relu():
    run_layer_test(layers.LeakyReLU, {"negative_slope": 0.1}, (2, 3), (2, 3), 0, 0)
    np.testing.assert_allclose(layers.LeakyReLU()(_X).numpy(), np.where(_X > 0, _X, 0.3 * _X),
                               rtol=1e-6)  # fmt: skip
    with pytest.warns(UserWarning):
        layer = layers.LeakyReLU(alpha=0.1)
    assert layer.get_config()["negative_slope"] == 0.1
    with pytest.raises(ValueError, match="cannot be None or negative value"):
        layers.LeakyReLU(negative_slope=-1)


def test_prelu():
    layer = run_layer_test(layers.PReLU, {"shared_axes": [1]}, (2, 3, 4), (2, 3, 4), 1, 0,
                           supports_masking=True)  # fmt: skip
    assert layer.weights[0].name == "alpha"
    assert tuple(layer.weights[0].shape.as_list()) == (1, 4)
    p = layers.PReLU(shared_axes=[1])
    x = ((np.arange(24, dtype="float32").reshape(2, 3, 4) % 7 - 3) / 10).astype("float32")
    p.build(x.shape)
    p.set_weights([((np.arange(4, dtype="float32").reshape(1, 4) % 7 - 3) / 10)])
    np.testing.assert_allclose(p(x).numpy(), _ORACLE["prelu"], atol=1e-6)
    assert layers.PReLU(shared_axes=1).get_config()["shared_axes"] == [1]
    assert layers.PReLU().get_config()["alpha_initializer"]["class_name"] == "Zeros"


def test_elu():
    run_layer_test(layers.ELU, {"alpha": 0.5}, (2, 3), (2, 3), 0, 0)
    y = layers.ELU(alpha=0.5)(_X).numpy()
    np.testing.assert_allclose(y, np.where(_X > 0, _X, 0.5 * (np.exp(_X) - 1)), rtol=1e-6)
    assert list(layers.ELU().get_config()) == ["name", "alpha", "trainable", "dtype"]


def test_softmax():
    run_layer_test(layers.Softmax, {}, (2, 3), (2, 3), 0, 0, supports_masking=True)
    x = np.array([[1.0, 2.0, 3.0]], "float32")
    e = np.exp(x - x.max())
    np.testing.assert_allclose(layers.Softmax()(x).numpy(), e / e.sum(), rtol=1e-6)
    y = layers.Softmax()(x, mask=np.array([[True, False, True]])).numpy()
    np.testing.assert_allclose(y, [[0.11920291, 0.0, 0.880797]], rtol=1e-5)
    x3 = np.random.RandomState(0).standard_normal((2, 3, 4)).astype("float32")
    y = layers.Softmax(axis=(1, 2))(x3).numpy()
    e = np.exp(x3 - x3.max(axis=(1, 2), keepdims=True))
    np.testing.assert_allclose(y, e / e.sum(axis=(1, 2), keepdims=True), rtol=1e-5)
    assert layers.Softmax(axis=(1, 2)).get_config()["axis"] == (1, 2)
    with pytest.raises(ValueError, match="The `mask` must be broadcastable to `inputs`"):
        layers.Softmax()(x3, mask=np.ones((2, 3), bool))
    y = layers.Softmax()(x3, mask=np.array([True, False, True, True]).reshape(1, 1, 4)).numpy()
    assert (y[..., 1] == 0).all()
    np.testing.assert_allclose(y.sum(-1), 1.0, rtol=1e-5)


def test_thresholded_relu():
    run_layer_test(layers.ThresholdedReLU, {"theta": 0.5}, (2, 3), (2, 3), 0, 0)
    y = layers.ThresholdedReLU(theta=0.5)(np.array([0.2, 0.5, 0.7], "float32")).numpy()
    np.testing.assert_allclose(y, [0.0, 0.0, 0.7])
    with pytest.raises(ValueError, match="should be >=0. Received: -1"):
        layers.ThresholdedReLU(theta=-1)
