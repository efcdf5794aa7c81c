"""Merge layers (Add ... Dot) and their function forms."""

import numpy as np
import pytest

from tensorflux._src.keras.layers.input_layer import Input
from tensorflux._src.keras.models.model import Model
from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test


def _x(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


@pytest.mark.parametrize(
    "cls,ref",
    [
        (layers.Add, lambda a, b: a + b),
        (layers.Subtract, lambda a, b: a - b),
        (layers.Multiply, lambda a, b: a * b),
        (layers.Average, lambda a, b: (a + b) / 2),
        (layers.Maximum, np.maximum),
        (layers.Minimum, np.minimum),
    ],
)
def test_elementwise_merges(cls, ref):
    run_layer_test(cls, {}, [(2, 3), (2, 3)], (2, 3), 0, 0, supports_masking=True)
    a, b = _x(2, 3), _x(2, 3, seed=1)
    np.testing.assert_allclose(cls()([a, b]).numpy(), ref(a, b), rtol=1e-6)


def test_function_forms():
    a, b, c = _x(2, 3), _x(2, 3, seed=1), _x(2, 3, seed=2)
    np.testing.assert_allclose(layers.add([a, b, c]).numpy(), a + b + c, rtol=1e-6)
    np.testing.assert_allclose(layers.subtract([a, b]).numpy(), a - b)
    np.testing.assert_allclose(layers.multiply([a, b]).numpy(), a * b)
    np.testing.assert_allclose(layers.average([a, b]).numpy(), (a + b) / 2, rtol=1e-6)
    np.testing.assert_allclose(layers.maximum([a, b]).numpy(), np.maximum(a, b))
    np.testing.assert_allclose(layers.minimum([a, b]).numpy(), np.minimum(a, b))
    np.testing.assert_allclose(layers.concatenate([a, b], axis=0).numpy(),
                               np.concatenate([a, b], 0))  # fmt: skip
    np.testing.assert_allclose(layers.dot([a, b], axes=1).numpy(),
                               (a * b).sum(1, keepdims=True), rtol=1e-5)  # fmt: skip


def test_merge_broadcast_and_errors():
    y = layers.Add()([np.ones((2, 1, 3), "float32"), np.ones((2, 5, 3), "float32")])
    assert tuple(y.shape.as_list()) == (2, 5, 3)
    y = layers.Add()([np.ones((2, 3), "float32"), np.ones((2, 1, 3), "float32")])
    assert tuple(y.shape.as_list()) == (2, 1, 3)
    assert layers.Add().compute_output_shape([(None, 1, 3), (None, 5, 3)]) == (None, 5, 3)
    with pytest.raises(ValueError, match="should be called on a list of inputs"):
        layers.Add()(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match=r"incompatible shapes. Received shapes \(3,\) and \(4,\)"):
        layers.Add()([np.zeros((2, 3), "float32"), np.zeros((2, 4), "float32")])
    with pytest.raises(ValueError, match="`Subtract` layer should be called on exactly 2"):
        layers.Subtract()([np.zeros((2, 3), "float32")] * 3)


def test_concatenate():
    run_layer_test(layers.Concatenate, {"axis": 1}, [(2, 3), (2, 4)], (2, 7), 0, 0,
                   supports_masking=True)  # fmt: skip
    assert layers.Concatenate(axis=1).compute_output_shape([(None, 2, 3), (None, None, 3)]) == (
        None, None, 3
    )
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        layers.Concatenate()([np.zeros((2, 3), "float32"), np.zeros((3, 4), "float32")])
    assert layers.Concatenate().get_config()["axis"] == -1


def test_dot():
    run_layer_test(layers.Dot, {"axes": 1}, [(2, 3), (2, 3)], (2, 1), 0, 0,
                   run_training_check=False)  # fmt: skip
    a, b = _x(2, 4, 3), _x(2, 5, 3, seed=1)
    y = layers.Dot(axes=2)([a, b]).numpy()
    np.testing.assert_allclose(y, np.einsum("bik,bjk->bij", a, b), rtol=1e-5)
    assert layers.Dot(axes=2).compute_output_shape([(None, 4, 3), (None, 5, 3)]) == (None, 4, 5)
    y = layers.Dot(axes=(1, 2))([_x(2, 3), _x(2, 4, 3, seed=1)])
    assert tuple(y.shape.as_list()) == (2, 4)
    y = layers.Dot(axes=-1, normalize=True)([np.ones((2, 3), "float32")] * 2).numpy()
    np.testing.assert_allclose(y, np.ones((2, 1)), rtol=1e-5)
    with pytest.raises(ValueError, match=r"axis values 3 \(at axis 1\) != 4 \(at axis 1\)"):
        layers.Dot(axes=1)([np.ones((2, 3), "float32"), np.ones((2, 4), "float32")])
    with pytest.raises(TypeError, match="it should be a list or an int"):
        layers.Dot(axes="a")
    assert layers.Dot(axes=(1, 1)).get_config()["axes"] == (1, 1)


def test_merge_in_functional_model_and_masks():
    a, b = Input((3,)), Input((3,))
    out = layers.Concatenate()([layers.Add()([a, b]), layers.Multiply()([a, b])])
    model = Model([a, b], out)
    x1, x2 = _x(2, 3), _x(2, 3, seed=1)
    np.testing.assert_allclose(model([x1, x2]).numpy(),
                               np.concatenate([x1 + x2, x1 * x2], -1), rtol=1e-6)  # fmt: skip
    m1 = layers.Masking()(np.array([[[1.0], [0.0], [2.0]]], "float32"))
    m2 = layers.Masking()(np.array([[[1.0], [3.0], [0.0]]], "float32"))
    y = layers.Add()([m1, m2])
    np.testing.assert_array_equal(y._keras_mask.numpy(), [[True, True, True]])  # any, as Keras
    m3 = layers.Masking()(np.array([[[0.0], [0.0], [2.0]]], "float32"))
    y = layers.Average()([m1, m3])
    np.testing.assert_array_equal(y._keras_mask.numpy(), [[True, False, True]])
    y = layers.Concatenate(axis=1)([m1, m2])
    np.testing.assert_array_equal(y._keras_mask.numpy(),
                                  [[True, False, True, True, True, False]])  # fmt: skip
