"""Layer base, KerasTensor, functional / Sequential / subclassed models, configs and cloning.

Uses a small local layer so these tests depend only on the base classes.
"""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.input_layer import Input
from tensorflux._src.keras.layers.input_spec import InputSpec
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.models.cloning import clone_model
from tensorflux._src.keras.models.model import Model
from tensorflux._src.keras.models.sequential import Sequential
from tensorflux._src.keras.serialization import register_keras_serializable


@register_keras_serializable(package="tfxtest")
class Affine(Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_shape[-1]})

    def call(self, x):
        return tf.matmul(x, self.kernel) + self.bias

    def get_config(self):
        return {**super().get_config(), "units": self.units}


@register_keras_serializable(package="tfxtest")
class Twice(Layer):
    def call(self, x, training=None):
        self.seen_training = training
        return x * 2.0 if training else x


@register_keras_serializable(package="tfxtest")
class MaskZero(Layer):
    def call(self, x):
        return x

    def compute_mask(self, inputs, previous_mask=None):
        return tf.not_equal(inputs[..., 0], 0.0)


class UsesMask(Layer):
    def call(self, x, mask=None):
        self.got_mask = mask
        return x


def _x(*shape):
    return np.arange(np.prod(shape), dtype="float32").reshape(shape) / 10.0


def test_layer_builds_on_first_call_with_paths_and_unique_names():
    backend.clear_session()
    a, b = Affine(3), Affine(2)
    assert (a.name, b.name) == ("affine", "affine_1")
    y = a(_x(2, 4))
    assert y.shape == (2, 3) and a.built
    assert [v.path for v in a.weights] == ["affine/kernel", "affine/bias"]
    assert a.kernel.name == "kernel" and a.count_params() == 15


def test_input_spec_errors_name_the_layer_and_shapes():
    a = Affine(3, name="aff")
    a(_x(2, 4))
    with pytest.raises(ValueError, match="layer 'aff' is incompatible.*axis -1.*value 4.*\\(2, 5\\)"):
        a(_x(2, 5))
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        Affine(2)(_x(3))


def test_trainable_flag_moves_weights_and_recurses():
    outer = Sequential([Input((4,)), Affine(3), Affine(2)])
    assert len(outer.trainable_weights) == 4
    outer.layers[0].trainable = False
    assert len(outer.trainable_weights) == 2 and len(outer.non_trainable_weights) == 2
    outer.trainable = False
    assert not outer.trainable_weights and all(not layer.trainable for layer in outer.layers)


def test_add_loss_is_cleared_at_each_top_level_call():
    class L(Layer):
        def call(self, x):
            self.add_loss(tf.reduce_sum(x))
            return x

    class Outer(Layer):
        def __init__(self):
            super().__init__()
            self.inner = L()

        def call(self, x):
            return self.inner(x)

    o = Outer()
    o(np.ones((2, 2), "float32"))
    o(np.ones((2, 2), "float32"))
    assert len(o.losses) == 1 and float(o.losses[0]) == 4.0


def test_training_flag_propagates_to_nested_layers():
    t = Twice()
    seq = Sequential([Input((2,)), t])
    out = seq(np.ones((1, 2), "float32"), training=True)
    assert t.seen_training is True and float(out[0, 0]) == 2.0
    out = seq(np.ones((1, 2), "float32"))
    assert t.seen_training is None and float(out[0, 0]) == 1.0


def test_mask_flows_from_compute_mask_to_call_argument():
    u = UsesMask()
    x = np.array([[1.0, 2.0], [0.0, 3.0]], "float32")
    y = MaskZero()(x)
    assert y._keras_mask.numpy().tolist() == [True, False]
    u(y)
    assert u.got_mask.numpy().tolist() == [True, False]


def test_mixed_precision_policy_autocasts_inputs_and_variables():
    a = Affine(2, dtype="mixed_float16")
    y = a(_x(2, 3))
    assert a.kernel.dtype == tf.float32 and y.dtype == tf.float16
    assert a.dtype == "float32" and a.compute_dtype == "float16"


def test_functional_model_replays_calls():
    backend.clear_session()
    x = Input((4,), name="x")
    h = Affine(3)(x)
    out = Affine(2)(h + 1.0)
    model = Model(x, out)
    assert type(model).__name__ == "Functional"
    assert [layer.name for layer in model.layers] == ["x", "affine", "affine_1"]
    a, b = model.layers[1], model.layers[2]
    xv = _x(5, 4)
    expected = (xv @ a.kernel.numpy() + a.bias.numpy() + 1.0) @ b.kernel.numpy() + b.bias.numpy()
    np.testing.assert_allclose(model(xv).numpy(), expected, rtol=1e-5)
    assert out.shape.as_list() == [None, 2]


def test_functional_multi_input_output_and_dict_inputs():
    x1, x2 = Input((3,), name="a"), Input((3,), name="b")
    shared = Affine(2)
    y1, y2 = shared(x1), shared(x2)
    m = Model({"a": x1, "b": x2}, [y1, y2])
    o1, o2 = m({"a": _x(2, 3), "b": _x(2, 3) + 1})
    assert o1.shape == (2, 2) and not np.allclose(o1.numpy(), o2.numpy())
    assert len(m.weights) == 2  # shared layer counted once


def test_graph_disconnected_is_reported():
    x1, x2 = Input((3,)), Input((3,))
    y = Affine(2)(x2)
    with pytest.raises(ValueError, match="Graph disconnected"):
        Model(x1, y)


def test_keras_tensor_refuses_tensorflow_ops():
    x = Input((3,))
    with pytest.raises(ValueError, match="KerasTensor cannot be used as input to a TensorFlow"):
        tf.concat([x, x], 0)
    assert repr(x).startswith("<KerasTensor shape=(None, 3), dtype=float32, sparse=False")


def test_functional_config_round_trip_gives_same_architecture():
    x = Input((4,), name="inp")
    m = Model(x, Affine(2)(Affine(3)(x)))
    config = m.get_config()
    assert config["input_layers"] == ["inp", 0, 0]
    assert config["layers"][1]["inbound_nodes"][0]["args"][0]["config"]["keras_history"] == [
        "inp", 0, 0,
    ]
    m2 = type(m).from_config(config)
    m2.set_weights(m.get_weights())
    np.testing.assert_allclose(m2(_x(2, 4)).numpy(), m(_x(2, 4)).numpy(), rtol=1e-6)


def test_sequential_build_add_pop_and_config():
    s = Sequential([Affine(3), Affine(2)])
    assert not s.built
    s(_x(5, 4))
    assert s.built and len(s.weights) == 4
    s2 = Sequential([Input((4,)), Affine(3)])
    assert s2.built and s2.output_shape == (None, 3)
    s2.add(Affine(1))
    assert s2.output_shape == (None, 1)
    popped = s2.pop()
    assert popped.units == 1 and s2.output_shape == (None, 3)
    config = s2.get_config()
    assert config["layers"][0]["class_name"] == "InputLayer"
    s3 = Sequential.from_config(config)
    assert s3.built and [w.shape for w in s3.weights] == [w.shape for w in s2.weights]


def test_subclassed_model_build_creates_nested_weights():
    class M(Model):
        def __init__(self):
            super().__init__()
            self.a = Affine(3)
            self.b = [Affine(2)]

        def call(self, x):
            return self.b[0](self.a(x))

    m = M()
    m.build((None, 4))
    assert [w.shape.as_list() for w in m.weights] == [[4, 3], [3], [3, 2], [2]]
    assert m.weights[0].path.startswith(m.name + "/")


def test_model_inside_tf_function_matches_eager():
    x = Input((4,))
    m = Model(x, Affine(2)(x))
    f = tf.function(lambda v: m(v))
    np.testing.assert_allclose(f(tf.constant(_x(3, 4))).numpy(), m(_x(3, 4)).numpy(), rtol=1e-6)


def test_clone_model_has_new_weights_same_shapes():
    x = Input((4,))
    m = Model(x, Affine(2)(x))
    c = clone_model(m)
    assert [w.shape for w in c.weights] == [w.shape for w in m.weights]
    assert c.weights[0] is not m.weights[0]
    s = Sequential([Input((4,)), Affine(3)])
    cs = clone_model(s)
    assert type(cs) is Sequential and cs.layers[0] is not s.layers[0]


def test_get_config_requires_override_when_init_has_arguments():
    class NoConfig(Layer):
        def __init__(self, k):
            super().__init__()
            self.k = k

        def call(self, x):
            return x

    with pytest.raises(NotImplementedError, match="must override `get_config\\(\\)`"):
        NoConfig(1).get_config()
    cfg = Twice().get_config()
    assert list(cfg) == ["name", "activity_regularizer", "trainable", "dtype", "autocast"]
