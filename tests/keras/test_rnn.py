"""Recurrent layers: RNN, SimpleRNN/LSTM/GRU (+ cells), StackedRNNCells, Bidirectional,
TimeDistributed, ConvLSTM. Expected names/shapes/configs are the oracle's (Keras 3.15)."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.core import Dense, Embedding, Masking
from tensorflux._src.keras.layers.input_layer import Input
from tensorflux._src.keras.layers.rnn.bidirectional import Bidirectional
from tensorflux._src.keras.layers.rnn.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from tensorflux._src.keras.layers.rnn.gru import GRU, GRUCell
from tensorflux._src.keras.layers.rnn.lstm import LSTM, LSTMCell
from tensorflux._src.keras.layers.rnn.rnn import RNN
from tensorflux._src.keras.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from tensorflux._src.keras.layers.rnn.stacked_rnn_cells import StackedRNNCells
from tensorflux._src.keras.layers.rnn.time_distributed import TimeDistributed
from tests.keras import oracle_layers as oracle
from tests.keras.layer_test import run_layer_test

RNG = np.random.RandomState(0)
X = RNG.standard_normal((2, 5, 4)).astype("float32")
X2 = RNG.standard_normal((2, 4, 6, 6, 3)).astype("float32")


def _x(*shape, seed=1):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


# ---------------------------------------------------------------------- names, shapes, configs


def test_weight_paths_and_shapes():
    backend.clear_session()
    cases = [
        (SimpleRNN(3), [("simple_rnn/simple_rnn_cell/kernel", (4, 3)),
                        ("simple_rnn/simple_rnn_cell/recurrent_kernel", (3, 3)),
                        ("simple_rnn/simple_rnn_cell/bias", (3,))]),
        (LSTM(3), [("lstm/lstm_cell/kernel", (4, 12)), ("lstm/lstm_cell/recurrent_kernel", (3, 12)),
                   ("lstm/lstm_cell/bias", (12,))]),
        (GRU(3), [("gru/gru_cell/kernel", (4, 9)), ("gru/gru_cell/recurrent_kernel", (3, 9)),
                  ("gru/gru_cell/bias", (2, 9))]),
        (GRU(3, reset_after=False), [("gru_1/gru_cell/kernel", (4, 9)),
                                     ("gru_1/gru_cell/recurrent_kernel", (3, 9)),
                                     ("gru_1/gru_cell/bias", (9,))]),
        (RNN([LSTMCell(3), GRUCell(2)]), [
            ("rnn/stacked_rnn_cells/lstm_cell/kernel", (4, 12)),
            ("rnn/stacked_rnn_cells/lstm_cell/recurrent_kernel", (3, 12)),
            ("rnn/stacked_rnn_cells/lstm_cell/bias", (12,)),
            ("rnn/stacked_rnn_cells/gru_cell/kernel", (3, 6)),
            ("rnn/stacked_rnn_cells/gru_cell/recurrent_kernel", (2, 6)),
            ("rnn/stacked_rnn_cells/gru_cell/bias", (2, 6))]),
        (Bidirectional(LSTM(2)), [
            ("bidirectional/forward_lstm_1/lstm_cell/kernel", (4, 8)),
            ("bidirectional/forward_lstm_1/lstm_cell/recurrent_kernel", (2, 8)),
            ("bidirectional/forward_lstm_1/lstm_cell/bias", (8,)),
            ("bidirectional/backward_lstm_1/lstm_cell/kernel", (4, 8)),
            ("bidirectional/backward_lstm_1/lstm_cell/recurrent_kernel", (2, 8)),
            ("bidirectional/backward_lstm_1/lstm_cell/bias", (8,))]),
        (TimeDistributed(Dense(3)), [("time_distributed/dense/kernel", (4, 3)),
                                     ("time_distributed/dense/bias", (3,))]),
    ]  # fmt: skip
    for layer, want in cases:
        layer(X)
        got = [(w.path, tuple(w.shape.as_list())) for w in layer.weights]
        assert got == want, got
    # the cell's SeedGenerator state is a non-trainable variable (not a weight), as in Keras
    lstm = cases[1][0]
    assert [v.name for v in lstm.non_trainable_variables] == ["seed_generator_state"]


def test_lstm_config_matches_keras():
    backend.clear_session()
    cfg = LSTM(3).get_config()
    assert list(cfg) == [
        "name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards",
        "stateful", "unroll", "zero_output_for_mask", "units", "activation",
        "recurrent_activation", "use_bias", "kernel_initializer", "recurrent_initializer",
        "bias_initializer", "unit_forget_bias", "kernel_regularizer", "recurrent_regularizer",
        "bias_regularizer", "activity_regularizer", "kernel_constraint", "recurrent_constraint",
        "bias_constraint", "dropout", "recurrent_dropout", "seed",
    ]  # fmt: skip
    assert cfg["name"] == "lstm" and cfg["activation"] == "tanh"
    assert cfg["recurrent_initializer"] == {
        "module": "keras.initializers", "class_name": "Orthogonal",
        "config": {"seed": None, "gain": 1.0}, "registered_name": None,
    }  # fmt: skip
    assert "seed" not in SimpleRNN(2).get_config()
    assert list(GRU(2).get_config())[-2:] == ["reset_after", "seed"]
    assert list(RNN(SimpleRNNCell(2)).get_config()) == [
        "name", "trainable", "dtype", "return_sequences", "return_state", "go_backwards",
        "stateful", "unroll", "zero_output_for_mask", "cell",
    ]  # fmt: skip
    assert list(Bidirectional(GRU(2)).get_config()) == [
        "name", "trainable", "dtype", "merge_mode", "layer", "backward_layer",
    ]  # fmt: skip


def test_unit_forget_bias():
    layer = LSTM(2)
    layer(X)
    np.testing.assert_array_equal(layer.cell.bias.numpy(), [0, 0, 1, 1, 0, 0, 0, 0])
    layer = LSTM(2, unit_forget_bias=False)
    layer(X)
    np.testing.assert_array_equal(layer.cell.bias.numpy(), np.zeros(8))


def test_output_shapes_and_compute_output_shape():
    for layer, want in [
        (SimpleRNN(2, return_sequences=True, return_state=True), [(2, 5, 2), (2, 2)]),
        (LSTM(2, return_sequences=True, return_state=True), [(2, 5, 2), (2, 2), (2, 2)]),
        (GRU(2, return_state=True), [(2, 2), (2, 2)]),
    ]:
        out = layer(X)
        assert [tuple(o.shape.as_list()) for o in out] == want
    layer = RNN([LSTMCell(3), GRUCell(2)], return_state=True)
    assert layer.compute_output_shape((None, 4, 3)) == ((None, 2), [(None, 3), (None, 3)], (None, 2))
    out, s1, s2 = layer(X)
    assert isinstance(s1, list) and len(s1) == 2 and isinstance(s2, list) and len(s2) == 1
    assert Bidirectional(LSTM(3, return_sequences=True)).compute_output_shape((None, 4, 5)) == (
        None, 4, 6)
    assert TimeDistributed(Dense(3)).compute_output_shape((None, 4, 5)) == (None, 4, 3)


def test_bad_arguments():
    with pytest.raises(ValueError, match="positive integer"):
        LSTM(0)
    with pytest.raises(ValueError, match="Invalid merge mode"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="state_size"):
        RNN(Dense(2))
    with pytest.raises(ValueError, match="Unrecognized keyword"):
        GRU(2, time_major=True)
    with pytest.raises(ValueError, match="Layer"):
        TimeDistributed(3)


# ---------------------------------------------------------------------- behaviour


def test_go_backwards_output_order_and_values():
    # kernel ones, recurrent zeros: output_t = tanh(sum(x_t)), in processing order
    layer = SimpleRNN(2, return_sequences=True, go_backwards=True, kernel_initializer="ones",
                      recurrent_initializer="zeros")  # fmt: skip
    x = (np.arange(6, dtype="float32").reshape(1, 3, 2) * 0.1)
    out = layer(x).numpy()
    np.testing.assert_allclose(out[0, :, 0], np.tanh([0.9, 0.5, 0.1]), rtol=1e-6)


def test_masking_keeps_previous_output_and_state():
    x = np.arange(8, dtype="float32").reshape(1, 4, 2) * 0.1
    m = np.array([[True, False, True, False]])
    layer = SimpleRNN(2, return_sequences=True, return_state=True, kernel_initializer="ones",
                      recurrent_initializer="ones")  # fmt: skip
    seq, state = layer(x, mask=m)
    # values printed by Keras 3.15 for this exact setup
    np.testing.assert_allclose(seq.numpy()[0, :, 0], [0.099668, 0.099668, 0.8002603, 0.8002603],
                               rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(state.numpy()[0], [0.8002603, 0.8002603], rtol=1e-5)
    layer = SimpleRNN(2, return_sequences=True, zero_output_for_mask=True,
                      kernel_initializer="ones", recurrent_initializer="ones")  # fmt: skip
    np.testing.assert_allclose(layer(x, mask=m).numpy()[0, :, 0],
                               [0.099668, 0.0, 0.8002603, 0.0], rtol=1e-5)  # fmt: skip


def test_mask_from_embedding_and_masking_layer():
    emb = Embedding(5, 3, mask_zero=True)
    rnn = LSTM(2, return_sequences=True)
    out = rnn(emb(np.array([[1, 2, 0, 0], [3, 0, 0, 0]])))
    np.testing.assert_array_equal(out._keras_mask.numpy(),
                                  [[True, True, False, False], [True, False, False, False]])
    # masked steps repeat the last unmasked output
    np.testing.assert_allclose(out.numpy()[0, 3], out.numpy()[0, 1])
    last = LSTM(2)
    y = last(emb(np.array([[1, 2, 0, 0]])))
    assert getattr(y, "_keras_mask", None) is None
    x = _x(2, 4, 3)
    x[:, 2:] = 0.0
    masked = Masking()(x)
    a = GRU(2)
    full = a(masked)
    np.testing.assert_allclose(full.numpy(), a(x[:, :2]).numpy(), rtol=1e-5, atol=1e-6)


def test_initial_state_and_state_count_check():
    layer = LSTM(3, return_state=True)
    h0, c0 = _x(2, 3, seed=3), _x(2, 3, seed=4)
    out, h, c = layer(X, initial_state=[h0, c0])
    out2, _, _ = layer(X)
    assert not np.allclose(out.numpy(), out2.numpy())
    np.testing.assert_array_equal(out.numpy(), h.numpy())
    with pytest.raises(ValueError, match="state"):
        layer(X, initial_state=[h0])


def test_stateful_carries_state_and_resets():
    layer = GRU(2, stateful=True)
    x = _x(2, 3, 4)
    first = layer(x).numpy()
    second = layer(x).numpy()
    assert not np.allclose(first, second)
    assert len(layer.states) == 1 and layer.states[0].path == f"{layer.name}/rnn_state"
    assert all(v.name != "rnn_state" for v in layer.variables)
    layer.reset_states()
    np.testing.assert_array_equal(layer.states[0].numpy(), np.zeros((2, 2)))
    np.testing.assert_allclose(layer(x).numpy(), first, rtol=1e-6)
    with pytest.raises(ValueError, match="batch size"):
        GRU(2, stateful=True)(Input(shape=(3, 4)))


def test_dropout_only_in_training_and_same_mask_each_step():
    layer = LSTM(4, dropout=0.5, recurrent_dropout=0.5, seed=1)
    x = _x(3, 6, 5)
    a = layer(x).numpy()
    np.testing.assert_array_equal(a, layer(x, training=False).numpy())
    b = layer(x, training=True).numpy()
    assert not np.allclose(a, b)
    assert layer.cell._dropout_mask is None  # masks do not outlive a call
    # one input mask per sequence: with constant inputs, dropped features stay dropped
    cell = SimpleRNNCell(3, dropout=0.5, seed=2)
    rnn = RNN(cell, return_sequences=True)
    rnn(np.ones((2, 4, 6), "float32"))
    proj = cell._project(tf.constant(np.ones((2, 4, 6), "float32")), True).numpy()
    np.testing.assert_allclose(proj[:, 0], proj[:, 3], rtol=1e-6)


def test_custom_cell():
    from tensorflux._src.keras.layers.layer import Layer

    class MinimalRNNCell(Layer):
        def __init__(self, units, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.state_size = units

        def build(self, input_shape):
            self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
            self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                    name="recurrent_kernel")  # fmt: skip

        def call(self, inputs, states):
            prev = states[0]
            out = tf.matmul(inputs, self.kernel) + tf.matmul(prev, self.recurrent_kernel)
            return out, [out]

    cell = MinimalRNNCell(3)
    layer = RNN(cell, return_sequences=True)
    out = layer(X)
    assert tuple(out.shape.as_list()) == (2, 5, 3)
    k, r = cell.kernel.numpy(), cell.recurrent_kernel.numpy()
    h = np.zeros((2, 3), "float32")
    for t in range(5):
        h = X[:, t] @ k + h @ r
    np.testing.assert_allclose(out.numpy()[:, -1], h, rtol=1e-5, atol=1e-6)
    assert [w.path for w in layer.weights] == [
        f"{layer.name}/{cell.name}/kernel", f"{layer.name}/{cell.name}/recurrent_kernel"]


def test_tf_function_static_and_dynamic_time_with_gradients():
    layer = LSTM(3, return_sequences=True)
    layer(X)

    def loss_and_grads(x):
        with tf.GradientTape() as tape:
            y = layer(x)
            loss = tf.reduce_sum(y * y)
        return loss, tape.gradient(loss, layer.trainable_weights)

    eager = loss_and_grads(tf.constant(X))
    static = tf.function(loss_and_grads)(tf.constant(X))
    dyn_fn = tf.function(loss_and_grads,
                         input_signature=[tf.TensorSpec([None, None, 4], tf.float32)])
    dynamic = dyn_fn(tf.constant(X))
    for got in (static, dynamic):
        np.testing.assert_allclose(got[0].numpy(), eager[0].numpy(), rtol=1e-5)
        for g, e in zip(got[1], eager[1]):
            np.testing.assert_allclose(g.numpy(), e.numpy(), rtol=1e-4, atol=1e-6)
    # the unknown-length trace runs on other lengths too
    other = _x(2, 7, 4)
    np.testing.assert_allclose(dyn_fn(tf.constant(other))[0].numpy(),
                               loss_and_grads(tf.constant(other))[0].numpy(), rtol=1e-5)


def test_dynamic_time_with_mask_and_backwards():
    layer = GRU(2, return_sequences=True, go_backwards=True)
    m = np.array([[True, True, False, True, True], [True, False, False, False, True]])
    want = layer(X, mask=m).numpy()
    fn = tf.function(lambda x, mk: layer(x, mask=mk), input_signature=[
        tf.TensorSpec([None, None, 4], tf.float32), tf.TensorSpec([None, None], tf.bool)])
    np.testing.assert_allclose(fn(tf.constant(X), tf.constant(m)).numpy(), want, rtol=1e-5)


def test_unroll_needs_static_time():
    layer = SimpleRNN(2, unroll=True)
    fn = tf.function(lambda x: layer(x), input_signature=[tf.TensorSpec([None, None, 4], tf.float32)])
    with pytest.raises(ValueError, match="unroll"):
        fn(tf.constant(X))


def test_functional_model():
    from tensorflux._src.keras.models.functional import Functional

    inp = Input(shape=(5, 4))
    seq, h, c = LSTM(3, return_sequences=True, return_state=True)(inp)
    assert tuple(seq.shape.as_list()) == (None, 5, 3)
    assert tuple(h.shape.as_list()) == (None, 3)
    out = Bidirectional(GRU(2))(seq)
    assert tuple(out.shape.as_list()) == (None, 4)
    model = Functional(inp, [out, h])
    y, hh = model(X)
    assert tuple(y.shape.as_list()) == (2, 4) and tuple(hh.shape.as_list()) == (2, 3)


def test_bidirectional_modes_and_states():
    base = LSTM(2, return_sequences=True)
    bi = Bidirectional(base, merge_mode=None)
    y_f, y_b = bi(X)
    fw = bi.forward_layer(X).numpy()
    bw = bi.backward_layer(X).numpy()
    np.testing.assert_allclose(y_f.numpy(), fw)
    np.testing.assert_allclose(y_b.numpy(), bw[:, ::-1])
    s = Bidirectional(LSTM(2, return_state=True), merge_mode="sum")
    out = s(X)
    assert len(out) == 5
    np.testing.assert_allclose(out[0].numpy(), (out[1] + out[3]).numpy(), rtol=1e-6)
    back = LSTM(2, go_backwards=True, name="bb")
    b2 = Bidirectional(LSTM(2), backward_layer=back)
    b2(X)
    assert b2.backward_layer.name == "bb"
    assert [w.path for w in b2.weights][3] == f"{b2.name}/bb/lstm_cell/kernel"


@pytest.mark.parametrize("make,shape", [
    (lambda: SimpleRNN(3, return_sequences=True), (2, 5, 3)),
    (lambda: LSTM(3), (2, 3)),
    (lambda: GRU(3, reset_after=False, return_sequences=True), (2, 5, 3)),
])  # fmt: skip
def test_run_layer_test(make, shape):
    layer = make()
    cfg = layer.get_config()
    run_layer_test(type(layer), {k: v for k, v in cfg.items() if k != "name"}, input_shape=X.shape,
                   expected_output_shape=shape, expected_num_trainable_weights=3,
                   supports_masking=True)  # fmt: skip


def test_run_layer_test_wrappers():
    run_layer_test(Bidirectional, {"layer": GRU(2, return_sequences=True)}, input_shape=(2, 5, 4),
                   expected_output_shape=(2, 5, 4), expected_num_trainable_weights=6)
    run_layer_test(TimeDistributed, {"layer": Dense(3)}, input_shape=(2, 5, 4),
                   expected_output_shape=(2, 5, 3), expected_num_trainable_weights=2)
    run_layer_test(RNN, {"cell": [LSTMCell(3), SimpleRNNCell(2)]}, input_shape=(2, 5, 4),
                   expected_output_shape=(2, 2), expected_num_trainable_weights=6)
    assert StackedRNNCells([LSTMCell(3), GRUCell(2)]).state_size == [[3, 3], 2]


def test_conv_lstm():
    backend.clear_session()
    layer = ConvLSTM2D(2, 3)
    assert tuple(layer(X2).shape.as_list()) == (2, 4, 4, 2)
    assert [(w.path, tuple(w.shape.as_list())) for w in layer.weights] == [
        ("conv_lstm2d/conv_lstm_cell/kernel", (3, 3, 3, 8)),
        ("conv_lstm2d/conv_lstm_cell/recurrent_kernel", (3, 3, 2, 8)),
        ("conv_lstm2d/conv_lstm_cell/bias", (8,))]
    cfg = layer.get_config()
    assert cfg["kernel_size"] == (3, 3) and cfg["padding"] == "valid"
    assert cfg["data_format"] == "channels_last" and list(cfg)[-1] == "seed"
    run_layer_test(ConvLSTM2D, {"filters": 2, "kernel_size": 3, "padding": "same",
                                "return_sequences": True}, input_shape=(2, 3, 5, 5, 2),
                   expected_output_shape=(2, 3, 5, 5, 2), expected_num_trainable_weights=3)
    cf = ConvLSTM2D(2, 3, data_format="channels_first", return_sequences=True)
    y = cf(np.transpose(X2, (0, 1, 4, 2, 3)))
    assert tuple(y.shape.as_list()) == (2, 4, 2, 4, 4)


# ---------------------------------------------------------------------- against the oracle


def _oracle_cases():
    backend.clear_session()
    mask = np.array([[True, True, False, True, False], [True, False, False, False, False]])
    h0 = _x(2, 3, seed=5)
    c0 = _x(2, 3, seed=6)
    return [
        oracle.Case(SimpleRNN(3, bias_initializer="random_normal"), [X]),
        oracle.Case(SimpleRNN(3, activation="relu", use_bias=False, return_sequences=True,
                              go_backwards=True), [X]),
        oracle.Case(LSTM(3, return_sequences=True, return_state=True,
                         bias_initializer="random_normal"), [X]),
        oracle.Case(LSTM(3, return_sequences=True), [X], {"mask": mask}),
        oracle.Case(LSTM(3, return_state=True), [X], {"initial_state": [h0, c0]}),
        oracle.Case(GRU(3, return_state=True, bias_initializer="random_normal"), [X]),
        oracle.Case(GRU(3, reset_after=False, go_backwards=True, return_sequences=True,
                        bias_initializer="random_normal"), [X], {"mask": mask}),
        oracle.Case(SimpleRNN(3, return_sequences=True, zero_output_for_mask=True), [X],
                    {"mask": mask}),
        oracle.Case(RNN([LSTMCell(3), GRUCell(2)], return_state=True), [X]),
        oracle.Case(Bidirectional(LSTM(3, return_sequences=True)), [X], {"mask": mask}),
        oracle.Case(Bidirectional(GRU(2, return_state=True), merge_mode="ave"), [X]),
        oracle.Case(Bidirectional(SimpleRNN(2, return_sequences=True), merge_mode="mul"), [X]),
        oracle.Case(TimeDistributed(Dense(3, activation="tanh")), [X]),
        oracle.Case(ConvLSTM2D(2, 3), [X2]),
        oracle.Case(ConvLSTM2D(2, (3, 2), padding="same", return_sequences=True,
                               return_state=True, bias_initializer="random_normal"), [X2]),
        oracle.Case(ConvLSTM1D(3, 2, strides=2, go_backwards=True), [_x(2, 4, 7, 3, seed=8)]),
        oracle.Case(ConvLSTM3D(2, 2, return_sequences=True), [_x(1, 3, 4, 4, 4, 2, seed=9)]),
        # cells called directly on one step
        oracle.Case(LSTMCell(3, bias_initializer="random_normal"), [X[:, 0], [h0, c0]]),
        oracle.Case(GRUCell(3, bias_initializer="random_normal"), [X[:, 0], [h0]]),
        oracle.Case(GRUCell(3, reset_after=False, bias_initializer="random_normal"),
                    [X[:, 0], h0]),
        oracle.Case(SimpleRNNCell(3), [X[:, 0], [h0]]),
        oracle.Case(StackedRNNCells([LSTMCell(3), GRUCell(3)]), [X[:, 0], [[h0, c0], [h0]]]),
        oracle.Case(SimpleRNN(2, zero_output_for_mask=True), [X], {"mask": mask}),
        oracle.Case(LSTM(3, unroll=True, go_backwards=True), [X], {"mask": mask}),
        oracle.Case(Bidirectional(LSTM(3, return_state=True, return_sequences=True)), [X],
                    {"initial_state": [h0, c0, c0, h0]}),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def oracle_results():
    if not oracle.have_oracle():
        pytest.skip("TensorFlow oracle not installed")
    cases = _oracle_cases()
    return cases, oracle.run_oracle(cases)


@pytest.mark.parametrize("index", range(25))
def test_matches_keras(oracle_results, index):
    cases, results = oracle_results
    case, theirs = cases[index], results[index]
    oracle.assert_matches(oracle.ours(case), theirs, rtol=2e-5, atol=2e-5)
    mine = case.layer.get_config()
    # the oracle's config of the layer rebuilt from ours is ours again (names aside)
    assert set(mine) == set(theirs["config"]), set(mine) ^ set(theirs["config"])
