"""BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization."""

import json
import os

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test

_ORACLE = json.load(open(os.path.join(os.path.dirname(__file__), "layers_oracle.json")))


def _x(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


def _arr(*shape):
    n = int(np.prod(shape))
    return ((np.arange(n, dtype="float32").reshape(shape) % 7 - 3) / 10).astype("float32")


def test_batch_norm_standard():
    layer = run_layer_test(layers.BatchNormalization, {}, (4, 3), (4, 3), 2, 2,
                           supports_masking=True)  # fmt: skip
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    run_layer_test(layers.BatchNormalization, {"axis": 1, "center": False}, (2, 3, 4, 4),
                   (2, 3, 4, 4), 1, 2)  # fmt: skip


def test_batch_norm_training_and_inference():
    x = np.random.RandomState(0).rand(8, 3).astype("float32")
    bn = layers.BatchNormalization(momentum=0.5)
    y = bn(x, training=True).numpy()
    ref = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.5 + 0.5 * x.var(0), rtol=1e-5)
    # inference uses the moving statistics and leaves them alone
    mm, mv = bn.moving_mean.numpy(), bn.moving_variance.numpy()
    y = bn(x).numpy()
    np.testing.assert_allclose(y, (x - mm) / np.sqrt(mv + 1e-3), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.moving_mean.numpy(), mm)
    # frozen layers run in inference mode even with training=True
    bn.trainable = False
    y = bn(x, training=True).numpy()
    np.testing.assert_allclose(bn.moving_mean.numpy(), mm)
    np.testing.assert_allclose(y, (x - mm) / np.sqrt(mv + 1e-3), rtol=1e-4, atol=1e-5)


def test_batch_norm_updates_inside_tf_function():
    x = np.random.RandomState(1).rand(6, 2, 2, 3).astype("float32")
    bn = layers.BatchNormalization(momentum=0.9)

    @tf.function
    def step(x):
        return bn(x, training=True)

    step(x)
    step(x)
    mean = x.mean(axis=(0, 1, 2))
    expect = mean * (1 - 0.9**2)
    np.testing.assert_allclose(bn.moving_mean.numpy(), expect, rtol=1e-5)
    var = x.var(axis=(0, 1, 2))  # the biased batch variance, as Keras
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.81 + var * (1 - 0.81), rtol=1e-5)


@pytest.mark.parametrize("axis,center,scale", [(-1, True, True), (1, False, True),
                                               (-1, True, False)])  # fmt: skip
def test_batch_norm_4d_matches_numpy(axis, center, scale):
    x = np.random.RandomState(3).rand(4, 3, 2, 5).astype("float32")
    bn = layers.BatchNormalization(axis=axis, center=center, scale=scale, momentum=0.8,
                                   beta_initializer="ones", gamma_initializer="ones")  # fmt: skip
    red = tuple(i for i in range(4) if i != axis % 4)
    shape = [1] * 4
    shape[axis] = x.shape[axis]
    g = np.full(shape, 1.0) if scale else 1.0
    b = np.full(shape, 1.0) if center else 0.0
    m, v = x.mean(axis=red, keepdims=True), x.var(axis=red, keepdims=True)
    with tf.GradientTape() as tape:
        y = bn(x, training=True)
        loss = tf.reduce_sum(y * y)
    np.testing.assert_allclose(y.numpy(), (x - m) / np.sqrt(v + 1e-3) * g + b, rtol=1e-4,
                               atol=1e-5)  # fmt: skip
    grads = tape.gradient(loss, bn.trainable_weights)
    assert len(grads) == int(center) + int(scale) and all(gr is not None for gr in grads)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.2 * m.reshape(-1), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.8 + 0.2 * v.reshape(-1), rtol=1e-5)
    mm, mv = bn.moving_mean.numpy().reshape(shape), bn.moving_variance.numpy().reshape(shape)
    y = bn(x).numpy()
    np.testing.assert_allclose(y, (x - mm) / np.sqrt(mv + 1e-3) * g + b, rtol=1e-4, atol=1e-5)


def test_batch_norm_channels_first_and_mixed_precision():
    x = np.random.RandomState(2).rand(4, 3, 2, 2).astype("float32")
    bn = layers.BatchNormalization(axis=1)
    y = bn(x, training=True).numpy()
    m = x.mean(axis=(0, 2, 3), keepdims=True)
    v = x.var(axis=(0, 2, 3), keepdims=True)
    np.testing.assert_allclose(y, (x - m) / np.sqrt(v + 1e-3), rtol=1e-4, atol=1e-5)
    mp = layers.BatchNormalization(dtype="mixed_float16")
    out = mp(x, training=True)
    assert out.dtype.name == "float16"
    assert all(w.dtype.name == "float32" for w in mp.weights)


def test_batch_norm_config_keys():
    cfg = layers.BatchNormalization().get_config()
    assert list(cfg)[3:] == [
        "axis", "momentum", "epsilon", "center", "scale", "beta_initializer",
        "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
        "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
        "synchronized", "renorm", "renorm_clipping", "renorm_momentum",
    ]  # fmt: skip
    assert cfg["momentum"] == 0.99 and cfg["epsilon"] == 0.001 and cfg["axis"] == -1


def test_layer_norm():
    layer = run_layer_test(layers.LayerNormalization, {}, (2, 3, 4), (2, 3, 4), 2, 0,
                           supports_masking=True)  # fmt: skip
    assert layer.get_config()["axis"] == [-1]
    assert layers.LayerNormalization().get_config()["axis"] == -1
    x = _x(2, 5)
    y = layers.LayerNormalization(epsilon=1e-5)(x).numpy()
    ref = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    ln = layers.LayerNormalization(axis=[1, 2])
    np.testing.assert_allclose(
        ln.build((2, 3, 4)) or _with_weights(ln, _arr(2, 3, 4)), _ORACLE["ln"], atol=1e-5
    )
    rms = layers.LayerNormalization(rms_scaling=True)
    y = rms(x).numpy()
    # Keras 3 divides the uncentered inputs by the standard deviation (not the RMS)
    np.testing.assert_allclose(y, x / np.sqrt(x.var(-1, keepdims=True) + 1e-3), rtol=1e-4)
    assert [w.name for w in rms.weights] == ["gamma"]
    assert rms.get_config()["rms_scaling"] is True


def _with_weights(layer, x):
    if not layer.built:
        layer.build(x.shape)
    layer.set_weights([_arr(*w.shape.as_list()) for w in layer.weights])
    return layer(x).numpy()


def test_group_norm():
    run_layer_test(layers.GroupNormalization, {"groups": 2}, (2, 3, 4), (2, 3, 4), 2, 0)
    y = _with_weights(layers.GroupNormalization(groups=2), _arr(2, 3, 4))
    np.testing.assert_allclose(y, _ORACLE["gn"], atol=1e-5)
    with pytest.raises(ValueError, match=r"Number of groups \(3\) must be a multiple"):
        layers.GroupNormalization(groups=3)(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match=r"cannot be more than the number of channels \(4\)"):
        layers.GroupNormalization(groups=8)(np.zeros((2, 4), "float32"))
    x = _x(2, 6)
    y = layers.GroupNormalization(groups=3)(x).numpy()
    g = x.reshape(2, 3, 2)
    ref = ((g - g.mean(-1, keepdims=True)) / np.sqrt(g.var(-1, keepdims=True) + 1e-3))
    np.testing.assert_allclose(y, ref.reshape(2, 6), rtol=1e-4, atol=1e-5)


def test_unit_norm():
    run_layer_test(layers.UnitNormalization, {}, (2, 3), (2, 3), 0, 0, supports_masking=True)
    x = _x(2, 3, 4)
    y = layers.UnitNormalization(axis=[1, 2])(x).numpy()
    np.testing.assert_allclose(y, x / np.sqrt((x**2).sum(axis=(1, 2), keepdims=True)),
                               rtol=1e-5)  # fmt: skip
    assert layers.UnitNormalization(axis=(1, 2)).get_config()["axis"] == [1, 2]


def test_rms_norm():
    layer = run_layer_test(layers.RMSNormalization, {}, (2, 3, 4), (2, 3, 4), 1, 0)
    assert layer.weights[0].name == "scale"
    x = _x(2, 3, 4)
    y = layers.RMSNormalization(axis=[1, 2])(x).numpy()
    np.testing.assert_allclose(y, x / np.sqrt((x**2).mean(axis=(1, 2), keepdims=True) + 1e-6),
                               rtol=1e-4)  # fmt: skip
    assert layers.RMSNormalization().get_config()["epsilon"] == 1e-6


def test_spectral_normalization_matches_keras():
    s = layers.SpectralNormalization(layers.Dense(3, name="d"))
    x = ((np.arange(8).reshape(2, 4) % 7 - 3) / 10).astype("float32")
    s(x)
    ws = {w.path: w for w in s.weights}
    assert set(ws) == {"spectral_normalization/d/kernel", "spectral_normalization/d/bias",
                       "spectral_normalization/vector_u"}  # fmt: skip
    assert not ws["spectral_normalization/vector_u"].trainable
    ws["spectral_normalization/d/kernel"].assign(
        ((np.arange(12).reshape(4, 3) % 5 - 2) / 3).astype("float32")
    )
    ws["spectral_normalization/d/bias"].assign(np.array([0.1, 0.2, 0.3], "float32"))
    ws["spectral_normalization/vector_u"].assign(np.array([[0.5, -0.2, 0.8]], "float32"))
    # values printed by Keras 3.15 for the same weights
    np.testing.assert_allclose(s(x).numpy(), [[0.266667, 0.166667, 0.4], [-0.2, 0.5, 0.366667]],
                               atol=1e-5)  # fmt: skip
    np.testing.assert_allclose(
        s(x, training=True).numpy(),
        [[0.305099, 0.15898, 0.423059], [-0.269178, 0.569178, 0.382039]], atol=1e-5,
    )  # fmt: skip
    np.testing.assert_allclose(s.vector_u.numpy(), [[0.22445, -0.76313, 0.606015]], atol=1e-5)
    cfg = s.get_config()
    assert cfg["power_iterations"] == 1 and cfg["layer"]["class_name"] == "Dense"
    assert type(layers.SpectralNormalization.from_config(cfg).layer) is layers.Dense
    with pytest.raises(ValueError, match="has no attribute 'kernel' nor 'embeddings'"):
        layers.SpectralNormalization(layers.ReLU())(x)
    with pytest.raises(ValueError, match="`power_iterations` should be greater than zero"):
        layers.SpectralNormalization(layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="isn't a supported layer type"):
        layers.Wrapper("a")
