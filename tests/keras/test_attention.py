"""Attention, AdditiveAttention and MultiHeadAttention; expected values are Keras 3.15's."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.attention import (
    AdditiveAttention,
    Attention,
    MultiHeadAttention,
)
from tensorflux._src.keras.layers.core import Embedding
from tensorflux._src.keras.layers.input_layer import Input
from tests.keras import oracle_layers as oracle
from tests.keras.layer_test import run_layer_test


def _x(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape).astype("float32")


Q = _x(2, 3, 4, seed=1)
V = _x(2, 5, 4, seed=2)
K = _x(2, 5, 4, seed=3)
QM = np.array([[True, True, False], [True, False, True]])
VM = np.array([[True, True, True, False, False], [True, False, True, True, True]])


def test_attention_math_by_hand():
    out, w = Attention()([Q, V, K], return_attention_scores=True)
    scores = Q @ K.transpose(0, 2, 1)
    e = np.exp(scores - scores.max(-1, keepdims=True))
    weights = e / e.sum(-1, keepdims=True)
    np.testing.assert_allclose(w.numpy(), weights, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy(), weights @ V, rtol=1e-5, atol=1e-6)


def test_attention_masks_and_causal():
    out, w = Attention()([Q, V], mask=[QM, VM], return_attention_scores=True)
    w = np.asarray(w)
    assert np.all(w[0, :, 3:] < 1e-6) and np.all(w[1, :, 1] < 1e-6)
    np.testing.assert_array_equal(out.numpy()[0, 2], 0.0)  # masked query row
    _, w = Attention()([Q, Q], use_causal_mask=True, return_attention_scores=True)
    assert np.all(np.triu(w.numpy()[0], 1) < 1e-6)
    layer = Attention()
    y = layer([Q, V], mask=[QM, VM])
    np.testing.assert_array_equal(y._keras_mask.numpy(), QM)


def test_attention_weights_and_config():
    backend.clear_session()
    a = Attention(use_scale=True, score_mode="concat")
    a([Q, V])
    assert [(w.path, tuple(w.shape.as_list())) for w in a.weights] == [
        ("attention/scale", ()), ("attention/concat_score_weight", ())]
    assert a.get_config() == {
        "name": "attention", "trainable": True,
        "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                  "registered_name": None},
        "use_scale": True, "score_mode": "concat", "dropout": 0.0, "seed": None,
    }  # fmt: skip
    b = AdditiveAttention()
    b([Q, V])
    assert [(w.path, tuple(w.shape.as_list())) for w in b.weights] == [
        ("additive_attention/scale", (4,))]
    assert list(b.get_config()) == ["name", "trainable", "dtype", "use_scale", "dropout", "seed"]
    assert Attention().weights == []
    with pytest.raises(ValueError, match="score_mode"):
        Attention(score_mode="add")
    with pytest.raises(ValueError, match="list of inputs"):
        Attention()(Q)
    with pytest.raises(ValueError, match="length 2 or 3"):
        Attention()([Q])


def test_attention_dropout_training_only():
    a = Attention(dropout=0.5, seed=3)
    base = a([Q, V]).numpy()
    np.testing.assert_array_equal(a([Q, V], training=False).numpy(), base)
    assert not np.allclose(a([Q, V], training=True).numpy(), base)
    assert len(a.non_trainable_variables) == 1


def test_multi_head_attention_weights_and_config():
    backend.clear_session()
    m = MultiHeadAttention(2, 3)
    out = m(Q, V)
    assert tuple(out.shape.as_list()) == (2, 3, 4)
    assert [(w.path, tuple(w.shape.as_list())) for w in m.weights] == [
        ("multi_head_attention/query/kernel", (4, 2, 3)),
        ("multi_head_attention/query/bias", (2, 3)),
        ("multi_head_attention/key/kernel", (4, 2, 3)),
        ("multi_head_attention/key/bias", (2, 3)),
        ("multi_head_attention/value/kernel", (4, 2, 3)),
        ("multi_head_attention/value/bias", (2, 3)),
        ("multi_head_attention/attention_output/kernel", (2, 3, 4)),
        ("multi_head_attention/attention_output/bias", (4,)),
    ]  # fmt: skip
    m2 = MultiHeadAttention(2, 3, value_dim=5, output_shape=(7,), use_bias=False)
    out, scores = m2(Q, V, return_attention_scores=True)
    assert tuple(out.shape.as_list()) == (2, 3, 7)
    assert tuple(scores.shape.as_list()) == (2, 2, 3, 5)
    assert [tuple(w.shape.as_list()) for w in m2.weights] == [(4, 2, 3), (4, 2, 3), (4, 2, 5),
                                                              (2, 5, 7)]  # fmt: skip
    cfg = m.get_config()
    assert list(cfg) == [
        "name", "trainable", "dtype", "num_heads", "key_dim", "value_dim", "dropout", "use_bias",
        "use_gate", "output_shape", "attention_axes", "sliding_window", "kernel_initializer",
        "bias_initializer", "kernel_regularizer", "bias_regularizer", "activity_regularizer",
        "kernel_constraint", "bias_constraint", "seed",
    ]  # fmt: skip
    assert cfg["value_dim"] == 3 and cfg["output_shape"] is None
    assert MultiHeadAttention(2, 3, output_shape=7).get_config()["output_shape"] == (7,)
    assert MultiHeadAttention(2, 3, attention_axes=1).get_config()["attention_axes"] == (1,)
    revived = MultiHeadAttention.from_config(cfg)
    assert revived.get_config() == cfg


def test_multi_head_attention_masks():
    m = MultiHeadAttention(2, 3)
    _, s = m(Q, V, attention_mask=np.broadcast_to(VM[:, None, :], (2, 3, 5)),
             return_attention_scores=True)  # fmt: skip
    s = s.numpy()
    assert np.all(s[0, :, :, 3:] < 1e-6) and np.all(s[1, :, :, 1] < 1e-6)
    np.testing.assert_allclose(s.sum(-1), 1.0, rtol=1e-5)
    _, s = m(Q, Q, use_causal_mask=True, return_attention_scores=True)
    assert np.all(np.triu(s.numpy()[0, 0], 1) < 1e-6)
    # masks riding on the inputs (Embedding(mask_zero=True)) are used
    emb = Embedding(6, 4, mask_zero=True)
    ids = np.array([[1, 2, 0], [3, 0, 0]])
    e = emb(ids)
    _, s = m(e, e, return_attention_scores=True)
    s = s.numpy()
    assert np.all(s[0, :, :2, 2] < 1e-6) and np.all(s[1, :, 0, 1:] < 1e-6)
    # rows of masked queries are not masked (as in Keras 3.15)
    np.testing.assert_allclose(s[1, :, 1:].sum(-1), 1.0, rtol=1e-5)


def test_multi_head_attention_functional_and_tf_function():
    q = Input(shape=(3, 4))
    v = Input(shape=(5, 4))
    m = MultiHeadAttention(2, 3)
    out, scores = m(q, v, return_attention_scores=True)
    assert tuple(out.shape.as_list()) == (None, 3, 4)
    assert tuple(scores.shape.as_list()) == (None, 2, 3, 5)
    eager = m(Q, V).numpy()
    fn = tf.function(lambda a, b: m(a, b))
    np.testing.assert_allclose(fn(tf.constant(Q), tf.constant(V)).numpy(), eager, rtol=1e-5)


def test_run_layer_test():
    run_layer_test(Attention, {"use_scale": True}, input_shape=[(2, 3, 4), (2, 5, 4)],
                   expected_output_shape=(2, 3, 4), expected_num_trainable_weights=1,
                   supports_masking=True, run_symbolic_check=False)  # fmt: skip
    run_layer_test(AdditiveAttention, {}, input_shape=[(2, 3, 4), (2, 5, 4)],
                   expected_output_shape=(2, 3, 4), expected_num_trainable_weights=1,
                   run_symbolic_check=False)  # fmt: skip


def _cases():
    backend.clear_session()
    img = _x(2, 3, 2, 4, seed=4)
    return [
        oracle.Case(Attention(), [[Q, V]]),
        oracle.Case(Attention(use_scale=True), [[Q, V, K]], {"mask": [QM, VM]}),
        oracle.Case(Attention(score_mode="concat", use_scale=True), [[Q, Q]],
                    {"use_causal_mask": True, "return_attention_scores": True}),
        oracle.Case(AdditiveAttention(), [[Q, V, K]], {"mask": [QM, VM]}),
        oracle.Case(AdditiveAttention(use_scale=False), [[Q, V]],
                    {"return_attention_scores": True}),
        oracle.Case(MultiHeadAttention(2, 3, bias_initializer="random_normal"), [Q, V]),
        oracle.Case(MultiHeadAttention(2, 3, value_dim=5, output_shape=(7,), use_bias=False),
                    [Q, V, K], {"attention_mask": np.broadcast_to(VM[:, None, :], (2, 3, 5)).copy(),
                                "return_attention_scores": True}),
        oracle.Case(MultiHeadAttention(3, 2), [Q, Q],
                    {"use_causal_mask": True, "query_mask": QM}),
        oracle.Case(MultiHeadAttention(2, 3), [Q, V], {"query_mask": QM, "value_mask": VM}),
        oracle.Case(MultiHeadAttention(2, 2, attention_axes=(1, 2)), [img, img],
                    {"return_attention_scores": True}),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def oracle_results():
    if not oracle.have_oracle():
        pytest.skip("TensorFlow oracle not installed")
    cases = _cases()
    return cases, oracle.run_oracle(cases)


@pytest.mark.parametrize("index", range(10))
def test_matches_keras(oracle_results, index):
    cases, results = oracle_results
    oracle.assert_matches(oracle.ours(cases[index]), results[index], rtol=2e-5, atol=2e-5)
    assert set(cases[index].layer.get_config()) == set(results[index]["config"])
