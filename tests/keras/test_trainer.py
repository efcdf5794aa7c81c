"""compile/fit/evaluate/predict, the step methods, data adapters and the loss/metric containers."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.keras.layers.input_layer import Input
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.models.model import Model
from tensorflux._src.keras.models.sequential import Sequential
from tensorflux._src.keras.trainers import data_adapters as da
from tensorflux._src.keras.utils.py_dataset import PyDataset
from tensorflux.keras import callbacks as cbs


class Dense(Layer):
    """A small dense layer so these tests only need the layer base."""

    def __init__(self, units, activation=None, kernel_regularizer=None, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.act = activation
        self.kernel_regularizer = kernel_regularizer

    def build(self, shape):
        self.kernel = self.add_weight(shape=(shape[-1], self.units), name="kernel",
                                      regularizer=self.kernel_regularizer)
        self.bias = self.add_weight(shape=(self.units,), initializer="zeros", name="bias")

    def call(self, x):
        y = tf.matmul(x, self.kernel) + self.bias
        if self.act == "relu":
            return tf.nn.relu(y)
        if self.act == "sigmoid":
            return tf.sigmoid(y)
        if self.act == "softmax":
            return tf.nn.softmax(y)
        return y


def _data(n=64, d=4, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, d)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")
    return x, np.minimum(y, classes - 1)


def _model(classes=3, d=4, **compile_kwargs):
    m = Sequential([Input((d,)), Dense(8, activation="relu"), Dense(classes)])
    kw = dict(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    kw.update(compile_kwargs)
    m.compile(**kw)
    return m


def test_fit_reduces_loss_and_returns_history():
    x, y = _data()
    m = _model(loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
               if hasattr(tf.keras, "losses") else "sparse_categorical_crossentropy")
    m.optimizer.learning_rate = 0.05
    h = m.fit(x, y, epochs=8, batch_size=16, verbose=0)
    assert list(h.history) == ["accuracy", "loss"]
    assert h.params == {"verbose": 0, "epochs": 8, "steps": 4}
    assert h.epoch == list(range(8))
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert m.history is h
    assert all(isinstance(v, float) for v in h.history["loss"])


def test_metrics_and_names_follow_keras():
    x, y = _data()
    m = _model()
    assert [type(v).__name__ for v in m.metrics] == ["Mean", "CompileMetrics"]
    assert m.metrics_names == ["loss", "compile_metrics"]
    m.fit(x, y, verbose=0)
    sub = m.metrics[1].metrics
    assert [type(v).__name__ for v in sub] == ["SparseCategoricalAccuracy"]
    assert sub[0].name == "accuracy"
    # metric state is not part of the model's variables
    assert len(m.variables) == len(m.weights) == 4
    assert len(m.metrics_variables) == 4


def test_evaluate_list_and_dict_and_predict():
    x, y = _data()
    m = _model()
    res = m.evaluate(x, y, verbose=0)
    d = m.evaluate(x, y, verbose=0, return_dict=True)
    assert list(d) == ["accuracy", "loss"]
    np.testing.assert_allclose(res, [d["loss"], d["accuracy"]], rtol=1e-6)
    p = m.predict(x, batch_size=10, verbose=0)
    assert isinstance(p, np.ndarray) and p.shape == (64, 3)
    np.testing.assert_allclose(p, m(x).numpy(), rtol=1e-5, atol=1e-6)
    only_loss = Sequential([Input((4,)), Dense(1)])
    only_loss.compile(loss="mse")
    assert isinstance(only_loss.evaluate(x, y.astype("float32"), verbose=0), float)
    assert only_loss.metrics_names == ["loss"]


def test_on_batch_methods():
    x, y = _data(16)
    m = _model()
    r = m.train_on_batch(x, y)
    assert isinstance(r, list) and len(r) == 2
    d = m.test_on_batch(x, y, return_dict=True)
    assert set(d) == {"loss", "accuracy"}
    out = m.predict_on_batch(x[:2])
    assert isinstance(out, np.ndarray) and out.shape == (2, 3)


def test_not_compiled_raises():
    m = Sequential([Input((4,)), Dense(2)])
    for call in (lambda: m.fit(np.zeros((2, 4)), np.zeros(2)),
                 lambda: m.evaluate(np.zeros((2, 4)), np.zeros(2)),
                 lambda: m.train_on_batch(np.zeros((2, 4)), np.zeros(2))):
        with pytest.raises(ValueError, match=r"You must call `compile\(\)` before using the model"):
            call()
    assert m.predict(np.zeros((2, 4)), verbose=0).shape == (2, 2)
    with pytest.raises(ValueError, match="Expected `metrics` argument to be a list"):
        m.compile(loss="mse", metrics="mae")
    with pytest.raises(ValueError, match="Expected `weighted_metrics` argument to be a list"):
        m.compile(loss="mse", weighted_metrics="mae")
    with pytest.raises(ValueError, match="Expected `loss_weights` argument to be a float"):
        m.compile(loss="mse", loss_weights="x")


def test_validation_split_takes_last_fraction_before_shuffling():
    x = np.arange(20, dtype="float32").reshape(10, 2)
    y = np.arange(10, dtype="float32")
    seen = []

    class Spy(Model):
        def __init__(self):
            super().__init__()
            self.d = Dense(1)

        def call(self, x):
            return self.d(x)

        def test_step(self, data):
            seen.append(np.asarray(data[0]))
            return super().test_step(data)

    m = Spy()
    m.compile(optimizer="sgd", loss="mse", run_eagerly=True)
    h = m.fit(x, y, validation_split=0.2, epochs=1, verbose=0)
    np.testing.assert_array_equal(np.concatenate(seen), x[8:])
    assert list(h.history) == ["loss", "val_loss"]
    with pytest.raises(ValueError, match="not sufficient to split"):
        m.fit(x[:1], y[:1], validation_split=0.5, verbose=0)


def test_shuffle_modes_cover_every_sample_once():
    x = np.arange(10, dtype="float32")[:, None]
    for shuffle in (True, False, "batch"):
        ad = da.ArrayAdapter(x, batch_size=4, shuffle=shuffle)
        got = np.concatenate([b for b in ad.epoch_batches()])[:, 0]
        assert sorted(got.tolist()) == list(range(10))
        if shuffle is False:
            assert got.tolist() == list(range(10))
        if shuffle == "batch":  # batches stay in order, shuffled inside
            assert sorted(got[:4].tolist()) == [0, 1, 2, 3]
            assert sorted(got[4:8].tolist()) == [4, 5, 6, 7]


def test_class_weight_and_sample_weight_change_the_loss():
    x, y = _data(32)
    m = _model()
    base = m.evaluate(x, y, verbose=0, return_dict=True)["loss"]
    w = m.evaluate(x, y, sample_weight=np.full(32, 2.0), verbose=0, return_dict=True)["loss"]
    np.testing.assert_allclose(w, 2 * base, rtol=1e-5)
    sw = da.class_weight_to_sample_weights(np.array([0, 1, 2, 1]), {1: 3.0})
    np.testing.assert_array_equal(sw, [1.0, 3.0, 1.0, 3.0])
    sw = da.class_weight_to_sample_weights(np.eye(3)[[2, 0]], {2: 0.5})
    np.testing.assert_array_equal(sw, [0.5, 1.0])
    m.fit(x, y, class_weight={0: 1.0, 1: 2.0, 2: 1.0}, epochs=1, verbose=0)


def test_weighted_metrics_get_prefix_when_names_collide():
    x, y = _data(16)
    m = _model(weighted_metrics=["accuracy", "sparse_top_k_categorical_accuracy"])
    h = m.fit(x, y, verbose=0)
    assert list(h.history) == [
        "accuracy", "loss", "sparse_top_k_categorical_accuracy", "weighted_accuracy",
    ]


def test_accuracy_resolution_from_shapes():
    x, y = _data(16)
    cases = [
        (1, "binary_crossentropy", y[:, None].clip(0, 1).astype("float32"), "BinaryAccuracy"),
        (3, "categorical_crossentropy", np.eye(3, dtype="float32")[y], "CategoricalAccuracy"),
        (3, "mse", np.eye(3, dtype="float32")[y], "CategoricalAccuracy"),
        (3, "sparse_categorical_crossentropy", y, "SparseCategoricalAccuracy"),
        (3, "sparse_categorical_crossentropy", y[:, None], "SparseCategoricalAccuracy"),
    ]
    for units, loss, target, cls in cases:
        m = Sequential([Input((4,)), Dense(units, activation="sigmoid" if units == 1
                                           else "softmax")])
        m.compile(loss=loss, metrics=["accuracy", "acc"])
        m.fit(x, target, verbose=0)
        got = [(type(v).__name__, v.name) for v in m.metrics[1].metrics]
        assert got == [(cls, "accuracy"), (cls, "acc")], (loss, got)


def test_multi_output_losses_metrics_and_weights():
    x, y = _data(16)
    i = Input((4,))
    a = Dense(3, name="a")(i)
    b = Dense(1, name="b")(i)
    m = Model(i, [a, b])
    m.compile(optimizer="sgd", loss=["sparse_categorical_crossentropy", "mse"],
              metrics=[["accuracy"], ["mae"]], loss_weights=[1.0, 0.5])
    h = m.fit(x, [y, y.astype("float32")], verbose=0)
    assert list(h.history) == ["a_accuracy", "a_loss", "b_loss", "b_mae", "loss"]
    assert m.metrics_names == ["loss", "compile_metrics", "a_loss", "b_loss"]
    d = m.evaluate(x, [y, y.astype("float32")], verbose=0, return_dict=True)
    np.testing.assert_allclose(d["loss"], d["a_loss"] + 0.5 * d["b_loss"], rtol=1e-5)
    r = m.evaluate(x, [y, y.astype("float32")], verbose=0)
    assert r == [d["loss"], d["a_loss"], d["b_loss"], d["a_accuracy"], d["b_mae"]]
    m2 = Model(i, {"a": a, "b": b})
    m2.compile(loss={"a": "sparse_categorical_crossentropy", "b": "mse"},
               metrics={"a": "accuracy", "b": ["mae", "acc"]})
    h = m2.fit(x, {"a": y, "b": y.astype("float32")}, verbose=0)
    assert list(h.history) == ["a_accuracy", "a_loss", "b_acc", "b_loss", "b_mae", "loss"]


def test_regularization_losses_are_added():
    x, y = _data(16)

    def reg(w):
        return 10.0 * tf.reduce_sum(tf.square(w))

    m = Sequential([Input((4,)), Dense(1, kernel_regularizer=reg)])
    m.compile(loss="mse")
    plain = Sequential([Input((4,)), Dense(1)])
    plain.compile(loss="mse")
    plain.set_weights(m.get_weights())
    yy = y.astype("float32")
    penalty = 10.0 * float(np.sum(np.square(m.get_weights()[0])))
    got = m.evaluate(x, yy, verbose=0, batch_size=16)
    want = plain.evaluate(x, yy, verbose=0, batch_size=16) + penalty
    np.testing.assert_allclose(got, want, rtol=1e-5)


def test_custom_train_step_and_run_eagerly():
    x, y = _data(32)
    calls = []

    class Custom(Model):
        def __init__(self):
            super().__init__()
            self.d = Dense(3)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            calls.append(type(data).__name__)
            xb, yb = data
            with tf.GradientTape() as tape:
                loss = self.compute_loss(x=xb, y=yb, y_pred=self(xb, training=True))
            grads = tape.gradient(loss, self.trainable_weights)
            self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
            return {"custom": loss}

    for eager in (False, True):
        calls.clear()
        m = Custom()
        m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", run_eagerly=eager)
        h = m.fit(x, y, batch_size=8, epochs=1, verbose=0)
        assert list(h.history) == ["custom"]
        # eager: one Python call per batch; compiled: Python runs only while tracing
        assert calls[0] == "tuple"
        assert len(calls) == 4 if eager else len(calls) < 4


def test_stop_training_from_callback():
    x, y = _data()

    class Stop(cbs.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.model.stop_training = True

    m = _model()
    seen = []
    lam = cbs.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(b))
    h = m.fit(x, y, batch_size=8, epochs=5, verbose=0, callbacks=[Stop(), lam])
    assert seen == [0, 1] and h.epoch == [0]


def test_validation_data_and_freq():
    x, y = _data()
    m = _model()
    h = m.fit(x, y, epochs=4, verbose=0, validation_data=(x[:10], y[:10]), validation_freq=2)
    assert len(h.history["loss"]) == 4 and len(h.history["val_loss"]) == 2
    assert list(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]


def test_dataset_generator_and_pydataset_inputs():
    from tensorflux._src.data.dataset import DatasetV2

    x, y = _data(32)
    m = _model()
    ds = DatasetV2.from_tensor_slices((x, y)).batch(8)
    h = m.fit(ds, epochs=2, verbose=0)
    assert h.params["steps"] == 4
    assert isinstance(m.evaluate(ds, verbose=0), list)
    assert m.predict(DatasetV2.from_tensor_slices(x).batch(5), verbose=0).shape == (32, 3)
    with pytest.raises(ValueError, match="should not be passed"):
        m.fit(ds, y)

    def gen():
        while True:
            for i in range(0, 32, 8):
                yield x[i:i + 8], y[i:i + 8]

    h = m.fit(gen(), steps_per_epoch=3, epochs=2, verbose=0)
    assert h.params["steps"] == 3

    class Seq(PyDataset):
        def __init__(self):
            super().__init__()
            self.ends = 0

        def __len__(self):
            return 4

        def __getitem__(self, i):
            return x[i * 8:(i + 1) * 8], y[i * 8:(i + 1) * 8]

        def on_epoch_end(self):
            self.ends += 1

    s = Seq()
    m.fit(s, epochs=2, verbose=0)
    assert s.ends == 2


def test_unpack_and_pack_x_y_sample_weight():
    assert da.unpack_x_y_sample_weight(1) == (1, None, None)
    assert da.unpack_x_y_sample_weight((1,)) == (1, None, None)
    assert da.unpack_x_y_sample_weight([1, 2]) == (1, 2, None)
    assert da.unpack_x_y_sample_weight((1, 2, 3)) == (1, 2, 3)
    with pytest.raises(ValueError, match="Data is expected to be in format"):
        da.unpack_x_y_sample_weight((1, 2, 3, 4))
    assert da.pack_x_y_sample_weight(1) == 1
    assert da.pack_x_y_sample_weight((1, 2)) == ((1, 2),)
    assert da.pack_x_y_sample_weight(1, 2) == (1, 2)
    assert da.pack_x_y_sample_weight(1, 2, 3) == (1, 2, 3)


def test_cardinality_mismatch():
    m = _model()
    with pytest.raises(ValueError, match="Data cardinality is ambiguous"):
        m.fit(np.zeros((4, 4), "float32"), np.zeros(5), verbose=0)


def test_compile_config_roundtrip():
    m = _model()
    cfg = m.get_compile_config()
    assert cfg["loss"] == "sparse_categorical_crossentropy" and cfg["metrics"] == ["accuracy"]
    assert cfg["jit_compile"] is False and cfg["steps_per_execution"] == 1
    from tensorflux._src.keras.serialization import serialize_keras_object

    m2 = Sequential([Input((4,)), Dense(8), Dense(3)])
    m2.compile_from_config(serialize_keras_object(cfg))
    assert type(m2.optimizer).__name__ == "Adam" and m2.loss == "sparse_categorical_crossentropy"


def test_loss_scale_optimizer_is_used_for_float16(monkeypatch):
    from tensorflux._src.keras import optimizers

    if not hasattr(optimizers, "LossScaleOptimizer"):
        pytest.skip("LossScaleOptimizer not available")
    m = Sequential([Input((4,)), Dense(2, dtype="mixed_float16")])
    m.dtype_policy = "mixed_float16"
    m.compile(optimizer="sgd", loss="mse")
    assert isinstance(m.optimizer, optimizers.LossScaleOptimizer)
    x, y = _data(16)
    before = m.get_weights()[0].copy()
    h = m.fit(x, np.eye(2, dtype="float32")[y.clip(0, 1)], epochs=2, verbose=0)
    assert np.isfinite(h.history["loss"]).all()
    assert not np.array_equal(before, m.get_weights()[0])
    plain = Sequential([Input((4,)), Dense(2)])
    plain.compile(optimizer="sgd", loss="mse", auto_scale_loss=True)
    assert not isinstance(plain.optimizer, optimizers.LossScaleOptimizer)


def test_steps_per_execution_groups_callback_calls():
    x, y = _data(40)
    m = _model(steps_per_execution=2)
    seen = []
    lam = cbs.LambdaCallback(on_train_batch_begin=lambda b, logs: seen.append(("b", b)),
                             on_train_batch_end=lambda b, logs: seen.append(("e", b)))
    m.fit(x, y, batch_size=8, verbose=0, callbacks=[lam])
    assert seen == [("b", 0), ("e", 1), ("b", 2), ("e", 3), ("b", 4), ("e", 5)]
    assert m.get_compile_config()["steps_per_execution"] == 2


def test_compiled_model_survives_save_and_load(tmp_path):
    pytest.importorskip("h5py")
    core = pytest.importorskip("tensorflux._src.keras.layers.core")
    from tensorflux._src.keras.saving import saving_api

    x, y = _data(16)
    m = Sequential([Input((4,)), core.Dense(3)])
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    m.fit(x, y, verbose=0)
    path = str(tmp_path / "m.keras")
    m.save(path)
    m2 = saving_api.load_model(path)
    assert m2.compiled and type(m2.optimizer).__name__ == "Adam"
    assert m2.get_compile_config()["metrics"] == ["accuracy"]
    np.testing.assert_allclose(m2.evaluate(x, y, verbose=0), m.evaluate(x, y, verbose=0),
                               rtol=1e-6)


def test_steps_per_epoch_continues_the_pass_across_epochs():
    seen = []

    class M(Model):
        def __init__(self):
            super().__init__()
            self.d = Dense(1)

        def call(self, x):
            return self.d(x)

        def train_step(self, data):
            seen.append(int(np.asarray(data[0])[0, 0]))
            return {"a": 1.0}

    m = M()
    m.compile(loss="mse", run_eagerly=True)
    x = np.arange(10, dtype="float32")[:, None]
    m.fit(x, x, batch_size=2, steps_per_epoch=3, epochs=3, shuffle=False, verbose=0)
    assert seen == [0, 2, 4, 6, 8, 0, 2, 4]  # the second epoch ran out after two batches
    seen.clear()
    with pytest.warns(UserWarning, match="ran out of data"):
        m.fit(x, x, batch_size=2, steps_per_epoch=7, epochs=2, shuffle=False, verbose=0)
    assert seen == [0, 2, 4, 6, 8] * 2
    seen.clear()
    m.fit(x, x, batch_size=2, steps_per_epoch=5, epochs=2, shuffle=False, verbose=0)
    assert seen == [0, 2, 4, 6, 8] * 2
    seen.clear()
    m.fit(x, x, batch_size=2, steps_per_epoch=2, epochs=4, shuffle=False, verbose=0)
    assert seen == [0, 2, 4, 6, 8, 0, 2]
