"""Dense, EinsumDense, Activation, Identity, Lambda, Embedding, Masking."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.input_layer import Input
from tensorflux.keras import layers
from tests.keras.layer_test import run_layer_test


def _x(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


def test_dense_standard():
    layer = run_layer_test(
        layers.Dense, {"units": 3, "activation": "relu"}, (2, 4), (2, 3), 2, 0,
        supports_masking=True,
    )  # fmt: skip
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    run_layer_test(layers.Dense, {"units": 3, "use_bias": False}, (2, 5, 4), (2, 5, 3), 1, 0)


def test_dense_numerics_and_paths():
    backend.clear_session()
    d = layers.Dense(3, activation="tanh")
    x = _x(2, 4)
    y = d(x)
    k, b = d.get_weights()
    np.testing.assert_allclose(y.numpy(), np.tanh(x @ k + b), rtol=1e-5, atol=1e-6)
    assert [w.path for w in d.weights] == ["dense/kernel", "dense/bias"]
    x3 = _x(2, 5, 4)
    np.testing.assert_allclose(d(x3).numpy(), np.tanh(x3 @ k + b), rtol=1e-5, atol=1e-6)


def test_dense_oracle_values():
    d = layers.Dense(2)
    d.build((None, 3))
    d.set_weights([np.arange(6, dtype="float32").reshape(3, 2) / 10, np.array([0.5, -0.5])])
    y = d(np.array([[1.0, 2.0, 3.0]], "float32"))
    np.testing.assert_allclose(y.numpy(), [[2.1, 1.7]], rtol=1e-6)


def test_dense_config_matches_keras():
    cfg = layers.Dense(3, name="d").get_config()
    assert cfg == {
        "name": "d", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                  "registered_name": None},
        "units": 3, "activation": "linear", "use_bias": True,
        "kernel_initializer": {"module": "keras.initializers", "class_name": "GlorotUniform",
                               "config": {"seed": None, "input_axes": None, "output_axes": None},
                               "registered_name": None},
        "bias_initializer": {"module": "keras.initializers", "class_name": "Zeros", "config": {},
                             "registered_name": None},
        "kernel_regularizer": None, "bias_regularizer": None, "kernel_constraint": None,
        "bias_constraint": None, "quantization_config": None,
    }  # fmt: skip


def test_dense_errors():
    with pytest.raises(ValueError, match="expected a positive integer. Received: units=0"):
        layers.Dense(0)
    with pytest.raises(ValueError, match="units=3.0"):
        layers.Dense(3.0)
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        layers.Dense(3)(np.zeros((3,), "float32"))
    d = layers.Dense(3)
    d(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="axis -1 of input shape to have value 4"):
        d(np.zeros((2, 5), "float32"))


def test_dense_regularizer_losses_and_symbolic_none():
    d = layers.Dense(2, kernel_regularizer="l2")
    d(np.ones((1, 3), "float32"))
    assert len(d.losses) == 1
    kt = layers.Dense(4)(Input((None, 3)))
    assert tuple(kt.shape.as_list()) == (None, None, 4)


def test_dense_in_tf_function_training_step():
    d = layers.Dense(2)
    x = _x(4, 3)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(d(x) ** 2)
        return tape.gradient(loss, d.trainable_weights)

    gk, gb = step(x)
    k, b = d.get_weights()
    y = x @ k + b
    np.testing.assert_allclose(gk.numpy(), x.T @ (2 * y), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gb.numpy(), (2 * y).sum(0), rtol=1e-4, atol=1e-5)


def test_einsum_dense():
    layer = run_layer_test(
        layers.EinsumDense, {"equation": "abc,cd->abd", "output_shape": (None, 5),
                             "bias_axes": "d"},
        (2, 3, 4), (2, 3, 5), 2, 0, check_compute_output_shape=False, run_symbolic_check=False,
    )  # fmt: skip
    assert [tuple(w.shape.as_list()) for w in layer.weights] == [(4, 5), (5,)]
    assert layer.compute_output_shape((None, 3, 4)) == (None, None, 5)
    e = layers.EinsumDense("...b,bc->...c", 5, bias_axes="c")
    x = _x(2, 3, 4)
    y = e(x)
    k, b = e.get_weights()
    np.testing.assert_allclose(y.numpy(), x @ k + b, rtol=1e-5, atol=1e-6)
    assert e.get_config()["output_shape"] == (5,)
    e2 = layers.EinsumDense("ab,bcd->acd", (3, 2), bias_axes="d")
    e2(_x(2, 4))
    assert [tuple(w.shape.as_list()) for w in e2.weights] == [(4, 3, 2), (2,)]
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        layers.EinsumDense("ab->b", 3)(_x(2, 4))


def test_activation_identity():
    run_layer_test(layers.Activation, {"activation": "relu"}, (2, 3), (2, 3), 0, 0,
                   supports_masking=True)  # fmt: skip
    y = layers.Activation("softmax")(np.zeros((2, 3), "float32"))
    np.testing.assert_allclose(y.numpy(), np.full((2, 3), 1 / 3), rtol=1e-6)
    assert layers.Activation(None).get_config()["activation"] == "linear"
    run_layer_test(layers.Identity, {}, (2, 3), (2, 3), 0, 0, supports_masking=True)


def double(x):
    return x * 2.0


def test_lambda():
    run_layer_test(layers.Lambda, {"function": double}, (2, 3), (2, 3), 0, 0,
                   custom_objects={"double": double}, supports_masking=False)  # fmt: skip
    cfg = layers.Lambda(double).get_config()
    assert cfg["function"] == {
        "module": "builtins", "class_name": "function", "config": "double",
        "registered_name": "function",
    }  # fmt: skip
    assert cfg["arguments"] == {}
    lam = layers.Lambda(lambda x, k: x * k, arguments={"k": 3.0}, output_shape=(3,))
    np.testing.assert_allclose(lam(np.ones((1, 3), "float32")).numpy(), [[3.0, 3.0, 3.0]])
    cfg = lam.get_config()
    assert cfg["function"]["class_name"] == "__lambda__" and cfg["output_shape"] == (3,)
    with pytest.raises(ValueError, match="safe_mode=False"):
        layers.Lambda.from_config(cfg)
    back = layers.Lambda.from_config(cfg, safe_mode=False)
    np.testing.assert_allclose(back(np.ones((1, 3), "float32")).numpy(), [[3.0, 3.0, 3.0]])
    kt = layers.Lambda(lambda x: x[:, :2])(Input((5,)))
    assert tuple(kt.shape.as_list()) == (None, 2)


def test_lambda_in_saved_model_needs_safe_mode_off(tmp_path):
    model = tf.keras.Sequential([Input((2,)), layers.Lambda(lambda x: x * 2)])
    path = str(tmp_path / "lam.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Python lambda"):
        tf.keras.models.load_model(path)
    back = tf.keras.models.load_model(path, safe_mode=False)
    np.testing.assert_allclose(back(np.ones((1, 2), "float32")).numpy(), [[2.0, 2.0]])


def test_lambda_traces_output_dtype():
    kt = layers.Lambda(lambda x: tf.cast(x > 0, "int32"))(Input((5,)))
    assert kt.dtype.name == "int32"  # traced, so the dtype is the function's
    kt = layers.Lambda(lambda x: x[:, :2], output_shape=(2,))(Input((5,)))
    assert tuple(kt.shape.as_list()) == (None, 2)


def test_embedding():
    layer = run_layer_test(
        layers.Embedding, {"input_dim": 10, "output_dim": 4}, (2, 3), (2, 3, 4), 1, 0,
        input_dtype="int32", supports_masking=False,
    )  # fmt: skip
    assert layer.weights[0].name == "embeddings"
    cfg = layer.get_config()
    assert cfg["embeddings_initializer"]["class_name"] == "RandomUniform"
    assert cfg["embeddings_initializer"]["config"] == {"seed": None, "minval": -0.05,
                                                       "maxval": 0.05}  # fmt: skip
    e = layers.Embedding(5, 2, mask_zero=True)
    ids = np.array([[0, 1, 4]])
    y = e(ids)
    np.testing.assert_allclose(y.numpy()[0], e.get_weights()[0][[0, 1, 4]])
    np.testing.assert_array_equal(y._keras_mask.numpy(), [[False, True, True]])
    with pytest.raises(ValueError, match="`input_dim` must be a positive integer"):
        layers.Embedding(0, 3)
    w = np.arange(6, dtype="float32").reshape(3, 2)
    e = layers.Embedding(3, 2, weights=w)
    np.testing.assert_allclose(e(np.array([2.0], "float32")).numpy(), [[4.0, 5.0]])


def test_masking():
    run_layer_test(layers.Masking, {"mask_value": 0.0}, (2, 3, 2), (2, 3, 2), 0, 0,
                   supports_masking=True)  # fmt: skip
    x = np.array([[[0.0, 0.0], [1.0, 2.0], [-1.0, 0.0]]], "float32")
    y = layers.Masking()(x)
    np.testing.assert_array_equal(y._keras_mask.numpy(), [[False, True, True]])
    np.testing.assert_allclose(y.numpy(), x)
    y = layers.Masking(mask_value=1.0)(np.array([[[1.0, 1.0], [2.0, 1.0]]], "float32"))
    np.testing.assert_allclose(y.numpy(), [[[0.0, 0.0], [2.0, 1.0]]])


def test_mask_propagates_through_dense():
    x = np.array([[[0.0, 0.0], [1.0, 2.0]]], "float32")
    y = layers.Dense(3)(layers.Masking()(x))
    np.testing.assert_array_equal(y._keras_mask.numpy(), [[False, True]])


def test_reversible_embedding():
    run_layer_test(layers.ReversibleEmbedding, {"input_dim": 5, "output_dim": 3}, (2, 4),
                   (2, 4, 3), 1, 0, input_dtype="int32")  # fmt: skip
    untied = layers.ReversibleEmbedding(5, 3, tie_weights=False)
    untied(np.zeros((1, 2), "int32"))
    assert [w.name for w in untied.weights] == ["embeddings", "reverse_embeddings"]
    assert tuple(untied.weights[1].shape.as_list()) == (3, 5)
    assert untied.get_config()["tie_weights"] is False
    r = layers.ReversibleEmbedding(5, 3, logit_soft_cap=2.0)
    r.build()
    h = np.random.RandomState(0).standard_normal((2, 3)).astype("float32")
    logits = r(h, reverse=True).numpy()
    e = r.get_weights()[0]
    np.testing.assert_allclose(logits, np.tanh(h @ e.T / 2.0) * 2.0, rtol=1e-5, atol=1e-6)
    kt = layers.ReversibleEmbedding(5, 3)(Input((3,)), reverse=True)
    assert tuple(kt.shape.as_list()) == (None, 5)


def test_layers_serialize_and_build_config():
    cfg = layers.serialize(layers.Dense(2, name="d"))
    assert cfg["class_name"] == "Dense" and cfg["module"] == "keras.layers"
    assert type(layers.deserialize(cfg)) is layers.Dense
    # as in Keras: layers built at construction record no build config, lazily built ones do
    from tensorflux._src.keras.serialization import serialize_keras_object

    x = np.ones((2, 3), "float32")
    flat = layers.Flatten()
    flat(x)
    assert list(serialize_keras_object(flat)["build_config"]["input_shape"]) == [2, 3]
    act = layers.Activation("relu")
    act(x)
    assert "build_config" not in serialize_keras_object(act)
