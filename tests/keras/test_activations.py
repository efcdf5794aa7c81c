"""keras.activations: values against NumPy, Keras's dtype quirks, and get/serialize/deserialize."""

import numpy as np
import pytest
from scipy.special import erf

import tensorflux as tf
from tensorflux._src.keras.serialization import serialize_keras_object
from tensorflux.keras import activations as A

X = np.array([[-3.0, -1.5, -0.4, 0.0], [0.3, 0.9, 2.0, 7.0]], np.float32)
X64 = X.astype(np.float64)


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _softplus(x):
    return np.log1p(np.exp(x))


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


REFS = {
    "relu": lambda x: np.maximum(x, 0),
    "relu6": lambda x: np.clip(x, 0, 6),
    "elu": lambda x: np.where(x > 0, x, np.expm1(x)),
    "selu": lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x)),
    "silu": lambda x: x * _sig(x),
    "swish": lambda x: x * _sig(x),
    "sigmoid": _sig,
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "hard_silu": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_swish": lambda x: x * np.clip(x / 6 + 0.5, 0, 1),
    "hard_tanh": lambda x: np.clip(x, -1, 1),
    "softmax": _softmax,
    "log_softmax": lambda x: np.log(_softmax(x)),
    "softplus": _softplus,
    "softsign": lambda x: x / (1 + np.abs(x)),
    "tanh": np.tanh,
    "tanh_shrink": lambda x: x - np.tanh(x),
    "exponential": np.exp,
    "linear": lambda x: x,
    "mish": lambda x: x * np.tanh(_softplus(x)),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "celu": lambda x: np.maximum(x, 0) + np.expm1(np.minimum(x, 0)),
    "log_sigmoid": lambda x: np.log(_sig(x)),
    "hard_shrink": lambda x: np.where(np.abs(x) > 0.5, x, 0),
    "soft_shrink": lambda x: np.where(x > 0.5, x - 0.5, np.where(x < -0.5, x + 0.5, 0)),
    "sparse_plus": lambda x: np.where(x <= -1, 0, np.where(x >= 1, x, (x + 1) ** 2 / 4)),
    "sparse_sigmoid": lambda x: np.where(x <= -1, 0, np.where(x >= 1, 1, (x + 1) / 2)),
    "squareplus": lambda x: (x + np.sqrt(x * x + 4)) / 2,
    "gelu": lambda x: x * 0.5 * (1 + erf(x / np.sqrt(2))),
}


@pytest.mark.parametrize("name", sorted(REFS))
def test_values_against_numpy(name):
    fn = getattr(A, name)
    out = fn(tf.constant(X))
    np.testing.assert_allclose(np.asarray(out), REFS[name](X64), rtol=1e-5, atol=1e-6)
    assert out.dtype == tf.float32


def test_every_keras_name_is_there():
    # dir(tf.keras.activations) in TensorFlow 2.21 (Keras 3.15).
    names = (
        "celu deserialize elu exponential gelu get glu hard_shrink hard_sigmoid hard_silu "
        "hard_swish hard_tanh leaky_relu linear log_sigmoid log_softmax mish relu relu6 selu "
        "serialize sigmoid silu soft_shrink softmax softplus softsign sparse_plus sparse_sigmoid "
        "sparsemax squareplus swish tanh tanh_shrink threshold"
    ).split()
    assert sorted(n for n in dir(A) if not n.startswith("_")) == sorted(names)


def test_relu_options():
    x = tf.constant([1.0, -2.0, 7.0])
    out = A.relu(x, negative_slope=0.1, max_value=6.0, threshold=0.5)
    np.testing.assert_allclose(out.numpy(), [1.0, -0.25, 6.0])
    np.testing.assert_allclose(A.relu(x, max_value=6).numpy(), [1.0, 0.0, 6.0])
    np.testing.assert_allclose(
        A.relu(tf.constant([1.0, -2.0]), negative_slope=0.5, threshold=1.0).numpy(), [0.0, -1.5]
    )
    leaky = A.relu(tf.constant([1, -2]), negative_slope=0.5)
    assert leaky.dtype == tf.float32 and leaky.numpy().tolist() == [1.0, -1.0]


def test_integer_inputs_follow_keras():
    assert A.relu([1, -2]).dtype == tf.int32
    assert A.relu(np.array([1, -2])).dtype == tf.int64
    assert A.relu(tf.constant([1, -2]), max_value=1).numpy().tolist() == [1, 0]
    assert A.relu6(tf.constant([1, -2, 8])).numpy().tolist() == [1, 0, 6]
    assert A.tanh(tf.constant([1, -2])).dtype == tf.float32
    assert A.exponential(tf.constant([1, 2])).dtype == tf.float32
    assert A.threshold(tf.constant([1, -2]), 0, 5).numpy().tolist() == [1, 5]
    with pytest.raises(TypeError):
        A.hard_sigmoid(tf.constant([1, -2]))
    with pytest.raises(tf.errors.InvalidArgumentError):
        A.selu(tf.constant([1, -2]))
    lin = [1, 2]
    assert A.linear(lin) is lin


def test_activations_with_parameters():
    np.testing.assert_allclose(
        A.elu(tf.constant([1.0, -2.0]), alpha=2.0).numpy(), [1.0, -1.7293295], rtol=1e-6
    )
    np.testing.assert_allclose(
        A.celu(tf.constant([1.0, -2.0]), alpha=2.0).numpy(), [1.0, -1.2642411], rtol=1e-6
    )
    np.testing.assert_allclose(
        A.leaky_relu(tf.constant([1.0, -2.0]), negative_slope=0.1).numpy(), [1.0, -0.2]
    )
    np.testing.assert_allclose(
        A.gelu(tf.constant([1.0, -2.0]), approximate=True).numpy(),
        [0.841192, -0.04540223],
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        A.threshold(tf.constant([1.0, -2.0, 1.5]), 1.2, 9.0).numpy(), [9.0, 9.0, 1.5]
    )
    np.testing.assert_allclose(A.squareplus(tf.constant([0.0]), b=9).numpy(), [1.5])


def test_softmax_axes():
    x = np.array([[1.0, -2.0], [3.0, 4.0]], np.float32)
    np.testing.assert_allclose(A.softmax(x, axis=0).numpy(), _softmax(x, 0), rtol=1e-6)
    both = A.softmax(x, axis=(0, 1)).numpy()
    np.testing.assert_allclose(both, np.exp(x) / np.exp(x).sum(), rtol=1e-5)
    np.testing.assert_allclose(
        A.log_softmax(x, axis=(0, 1)).numpy(), np.log(np.exp(x) / np.exp(x).sum()), rtol=1e-5
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match="logits must have >= 1 dimension"):
        A.softmax(tf.constant(1.0))


def test_glu_and_sparsemax():
    np.testing.assert_allclose(
        A.glu(tf.constant([1.0, -2.0, 3.0, 4.0])).numpy(), [0.95257413, -1.9640275], rtol=1e-6
    )
    with pytest.raises(ValueError, match="axis size must be divisible by 2"):
        A.glu(tf.constant([1.0, -2.0, 3.0]))
    out = A.sparsemax(tf.constant([[1.0, -2.0, 1.5], [0.1, 0.2, 0.3]])).numpy()
    np.testing.assert_allclose(out, [[0.25, 0.0, 0.75], [0.2333333, 0.3333333, 0.4333333]],
                               rtol=1e-5)  # fmt: skip
    col = A.sparsemax(tf.constant([[0.1, 0.2], [1.0, 0.25]]), axis=0).numpy()
    np.testing.assert_allclose(col.sum(axis=0), [1.0, 1.0], rtol=1e-6)


def test_gradients_flow_through_activations():
    x = tf.constant(X)
    for name in ["relu", "gelu", "silu", "mish", "hard_silu", "softmax", "sparse_plus", "celu"]:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(getattr(A, name)(x) * tf.constant(X))
        g = tape.gradient(y, x)
        assert g is not None and g.shape == x.shape, name
        assert np.all(np.isfinite(g.numpy())), name


def test_get():
    assert A.get(None) is A.linear
    assert A.get("relu") is A.relu
    assert A.get("swish") is A.silu
    assert A.get("hard_swish") is A.hard_silu
    assert A.get(A.tanh) is A.tanh
    f = lambda x: x  # noqa: E731
    assert A.get(f) is f
    for bad in ["Relu", "foo", 3]:
        with pytest.raises(ValueError, match=f"Could not interpret activation function "
                                             f"identifier: {bad}"):  # fmt: skip
            A.get(bad)
    cfg = {"module": "builtins", "class_name": "function", "config": "relu",
           "registered_name": "function"}  # fmt: skip
    assert A.get(cfg) is A.relu


def test_serialize_and_deserialize():
    assert A.serialize(A.relu) == "relu"
    assert A.serialize(A.swish) == "silu"
    assert A.serialize(A.hard_swish) == "hard_silu"
    assert A.serialize(tf.nn.relu) == "relu"
    with pytest.raises(ValueError, match="Unknown activation function 'relu' cannot be serialized"):
        A.serialize("relu")
    assert A.deserialize("relu") is A.relu
    assert A.deserialize("foo") == "foo"
    for name in ["gelu", "softmax", "sparsemax", "log_sigmoid"]:
        assert A.deserialize(A.serialize(getattr(A, name))) is getattr(A, name)
    assert serialize_keras_object(A.relu) == {
        "module": "builtins", "class_name": "function", "config": "relu",
        "registered_name": "function",
    }  # fmt: skip
