"""Keras initializers: values / distributions (moments, bounds), seeding, configs, get."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import initializers as I

SHAPE = (200, 300)  # fan_in 200, fan_out 300


def _np(x):
    return np.asarray(x.numpy(), dtype=np.float64)


def test_constants():
    assert np.all(_np(I.Zeros()((2, 3))) == 0) and np.all(_np(I.Ones()((2, 3))) == 1)
    np.testing.assert_array_equal(_np(I.Constant(3.5)((2, 2))), np.full((2, 2), 3.5))
    np.testing.assert_array_equal(_np(I.Constant([1, 2])((2, 2))), [[1, 2], [1, 2]])
    x = I.Constant(2)((3,), dtype="int32")
    assert x.dtype == tf.int32 and list(x.numpy()) == [2, 2, 2]
    assert I.Zeros()((2,)).dtype == tf.float32
    assert I.Ones()((2,), dtype="float64").dtype == tf.float64
    np.testing.assert_array_equal(_np(I.Identity(gain=2.0)((3, 2))), 2 * np.eye(3, 2))
    with pytest.raises(ValueError, match="only be used for 2D"):
        I.Identity()((2, 3, 4))


@pytest.mark.parametrize(
    "init,mean,std,bound",
    [
        (I.RandomNormal(mean=1.0, stddev=0.5, seed=1), 1.0, 0.5, None),
        (I.RandomUniform(-0.2, 0.4, seed=1), 0.1, 0.6 / math.sqrt(12), (-0.2, 0.4)),
        (I.TruncatedNormal(stddev=0.5, seed=1), 0.0, 0.5 * 0.8796, (-1.0, 1.0)),
        (I.GlorotUniform(seed=1), 0.0, math.sqrt(2 / 500), (-math.sqrt(6 / 500),
                                                          math.sqrt(6 / 500))),
        (I.GlorotNormal(seed=1), 0.0, math.sqrt(2 / 500), None),
        (I.HeUniform(seed=1), 0.0, math.sqrt(2 / 200), (-math.sqrt(6 / 200),
                                                      math.sqrt(6 / 200))),
        (I.HeNormal(seed=1), 0.0, math.sqrt(2 / 200), None),
        (I.LecunUniform(seed=1), 0.0, math.sqrt(1 / 200), (-math.sqrt(3 / 200),
                                                         math.sqrt(3 / 200))),
        (I.LecunNormal(seed=1), 0.0, math.sqrt(1 / 200), None),
        (I.VarianceScaling(2.0, "fan_out", "untruncated_normal", seed=1), 0.0,
         math.sqrt(2 / 300), None),
    ],
)  # fmt: skip
def test_random_distributions(init, mean, std, bound):
    x = _np(init(SHAPE))
    assert x.shape == SHAPE
    assert abs(x.mean() - mean) < 4 * std / math.sqrt(x.size) + 1e-3
    assert abs(x.std() - std) / std < 0.03
    if bound is not None:
        assert x.min() >= bound[0] - 1e-6 and x.max() <= bound[1] + 1e-6
        assert x.min() < bound[0] + 0.05 * (bound[1] - bound[0])  # the range is used


def test_fans_conv_and_axes():
    x = _np(I.VarianceScaling(1.0, "fan_in", "uniform", seed=2)((3, 3, 16, 8)))
    limit = math.sqrt(3 / (3 * 3 * 16))
    assert x.max() <= limit and x.max() > 0.9 * limit
    init = I.VarianceScaling(1.0, "fan_in", "uniform", seed=2, input_axes=[0], output_axes=[1])
    limit = math.sqrt(3 / 40)
    x = _np(init((40, 5, 6)))
    assert x.max() <= limit and x.max() > 0.9 * limit


def test_seeding():
    a = I.GlorotUniform(seed=3)
    np.testing.assert_array_equal(_np(a((4, 4))), _np(a((4, 4))))
    np.testing.assert_array_equal(_np(a((4, 4))), _np(I.GlorotUniform(seed=3)((4, 4))))
    assert not np.array_equal(_np(a((4, 4))), _np(I.GlorotUniform(seed=4)((4, 4))))
    b, c = I.RandomNormal(), I.RandomNormal()  # unseeded: a seed drawn per instance
    assert b.get_config()["seed"] is None
    assert not np.array_equal(_np(b((8,))), _np(c((8,))))
    gen = I.RandomNormal(seed=tf.keras.random.SeedGenerator(5))
    assert not np.array_equal(_np(gen((8,))), _np(gen((8,))))


def test_orthogonal():
    q = _np(I.Orthogonal(gain=2.0, seed=1)((2, 2, 3))).reshape(4, 3)
    np.testing.assert_allclose(q.T @ q, 4 * np.eye(3), atol=1e-5)
    q = _np(I.Orthogonal(seed=1)((3, 5)))
    np.testing.assert_allclose(q @ q.T, np.eye(3), atol=1e-5)
    with pytest.raises(ValueError, match="at least two-dimensional"):
        I.Orthogonal()((3,))


def test_stft_kernel():
    k = _np(I.STFT("real", None, None)((4, 1, 3)))
    t, f = np.arange(4)[:, None], np.arange(3)[None, :]
    np.testing.assert_allclose(k[:, 0, :], np.cos(2 * np.pi * t * f / 4), atol=1e-6)
    k = _np(I.STFT("imag", "hann", "density")((4, 1, 3)))
    assert abs(k[0, 0, 1]) < 1e-6 and k.shape == (4, 1, 3)


def test_configs_and_get():
    assert I.VarianceScaling(seed=1, input_axes=[0], output_axes=[1]).get_config() == {
        "seed": 1, "scale": 1.0, "mode": "fan_in", "distribution": "truncated_normal",
        "input_axes": [0], "output_axes": [1],
    }  # fmt: skip
    assert I.GlorotUniform(seed=3).get_config() == {
        "seed": 3,
        "input_axes": None,
        "output_axes": None,
    }
    assert I.RandomUniform().get_config() == {"seed": None, "minval": -0.05, "maxval": 0.05}
    assert I.Orthogonal().get_config() == {"seed": None, "gain": 1.0}
    assert I.Identity(gain=2.0).get_config() == {}
    assert I.VarianceScaling(distribution="normal").distribution == "truncated_normal"
    cfg = I.serialize(I.HeNormal(seed=7))
    assert cfg == {"module": "keras.initializers", "class_name": "HeNormal",
                   "config": {"seed": 7, "input_axes": None, "output_axes": None},
                   "registered_name": None}  # fmt: skip
    again = I.deserialize(cfg)
    assert isinstance(again, I.HeNormal)
    np.testing.assert_array_equal(_np(again((3, 3))), _np(I.HeNormal(seed=7)((3, 3))))
    assert isinstance(I.get("glorot_uniform"), I.GlorotUniform)
    assert isinstance(I.get("GlorotUniform"), I.GlorotUniform)
    assert isinstance(I.get({"class_name": "Zeros", "config": {}}), I.Zeros)
    assert I.get(None) is None
    assert I.glorot_uniform is I.GlorotUniform and I.OrthogonalInitializer is I.Orthogonal
    with pytest.raises(ValueError, match="Could not interpret initializer identifier: foo"):
        I.get("foo")
    with pytest.raises(ValueError, match="Invalid `mode`"):
        I.VarianceScaling(mode="x")
    with pytest.raises(ValueError, match="must be positive"):
        I.VarianceScaling(scale=0)


def test_keras_variable_from_initializer_name():
    v = tf.keras.Variable("ones", shape=(2, 2), name="w")
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 2)))
