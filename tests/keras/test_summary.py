"""`model.summary()` against the text TensorFlow 2.21's Keras prints for the same models."""

import pytest

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.input_layer import Input
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.models.model import Model
from tensorflux._src.keras.models.sequential import Sequential
from tensorflux._src.keras.utils import summary_utils
from tests.keras import summary_golden as golden
from tests.keras.test_trainer import Dense


class Add(Layer):
    def call(self, xs):
        return xs[0] + xs[1]


@pytest.fixture(autouse=True)
def _width(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # the oracle ran without a terminal: 80 columns
    backend.clear_session()


def _seq():
    return Sequential([Input((4,)), Dense(3, activation="relu"), Dense(2)], name="seq")


def _func():
    i1, i2 = Input((4,), name="in1"), Input((4,), name="in2")
    a, b = Dense(3, name="da")(i1), Dense(3, name="db")(i2)
    c = Add(name="add")([a, b])
    inner = Sequential([Input((3,)), Dense(5)], name="inner")
    return Model([i1, i2], inner(c), name="func")


def test_sequential_summary(capsys):
    m = _seq()
    m.summary()
    assert capsys.readouterr().out == golden.SEQ
    m.summary(line_length=60, show_trainable=True)
    assert capsys.readouterr().out == golden.SEQ_60_TRAINABLE


def test_functional_summary_with_connections_and_nesting(capsys):
    _seq()  # takes the names "dense", "dense_1" as in the oracle run
    f = _func()
    f.summary()
    assert capsys.readouterr().out == golden.FUNC
    f.summary(expand_nested=True, show_trainable=True)
    assert capsys.readouterr().out == golden.FUNC_NESTED_TRAINABLE
    f.layers[2].trainable = False
    got = []
    f.summary(print_fn=got.append)
    assert got == [golden.FUNC_PRINT_FN]


def test_unbuilt_and_errors(capsys):
    for _ in range(3):
        backend.unique_object_name("dense")  # the oracle's fourth Dense is "dense_3"
    Sequential([Dense(3)]).summary()
    assert capsys.readouterr().out == golden.UNBUILT
    with pytest.raises(ValueError, match="Insufficient console width"):
        _seq().summary(line_length=8)
    with pytest.raises(ValueError, match="do not match the layer names"):
        _seq().summary(layer_range=["nope", "nada"])


def test_layer_range_optimizer_line_and_memory_sizes(capsys):
    m = _seq()
    m.summary(layer_range=["dense_1", "dense_1"])
    out = capsys.readouterr().out
    assert "dense_1 (Dense)" in out and "dense (Dense)" not in out
    m.compile(optimizer="sgd", loss="mse")
    m.optimizer.build(m.trainable_variables)
    m.summary()
    out = capsys.readouterr().out
    assert "\n Optimizer params: " in out
    assert summary_utils.readable_memory_size(92.0) == "92.00 B"
    assert summary_utils.readable_memory_size(1536.0) == "1.50 KB"
    assert summary_utils.readable_memory_size(3 * 1024 ** 3) == "3.00 GB"
    v = tf.Variable(tf.zeros((2, 3), tf.float64))
    assert summary_utils.weight_memory_size([v, v]) == 48.0
