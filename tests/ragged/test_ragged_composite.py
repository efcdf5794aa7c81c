"""RaggedTensor as a composite: tf.nest, tf.function (arguments, returns, signatures, retracing),
GradientTape through flat values, and RaggedTensorSpec. Expected values from TensorFlow 2.21."""

import sys

import numpy as np
import pytest

import tensorflux as tf


def rt():
    return tf.ragged.constant([[1.0, 2.0, 3.0], [], [4.0, 5.0]])


def test_nest_flatten_and_pack():
    r = rt()
    flat = tf.nest.flatten(r, expand_composites=True)
    assert [x.numpy().tolist() for x in flat] == [[1.0, 2.0, 3.0, 4.0, 5.0], [0, 3, 3, 5]]
    back = tf.nest.pack_sequence_as(r, [flat[0] * 2, flat[1]], expand_composites=True)
    assert back.to_list() == [[2.0, 4.0, 6.0], [], [8.0, 10.0]]
    assert tf.nest.flatten({"a": r}) == [r]


def test_function_arguments_returns_and_retracing():
    traces = []

    @tf.function
    def f(x):
        traces.append(x.shape.as_list())
        return tf.reduce_sum(x, axis=1) + tf.reduce_sum(x * 2.0)

    np.testing.assert_allclose(f(rt()).numpy(), [36.0, 30.0, 39.0])
    np.testing.assert_allclose(f(tf.ragged.constant([[1.0], [2.0, 3.0]])).numpy(), [13.0, 17.0])
    assert traces == [[3, None], [2, None]]

    @tf.function
    def g(x):
        return x + 1.0, x.row_lengths(), x[1:], tf.concat([x, x], axis=1)

    a, lengths, tail, cat = g(rt())
    assert repr(a) == "<tf.RaggedTensor [[2.0, 3.0, 4.0], [], [5.0, 6.0]]>"
    assert lengths.numpy().tolist() == [3, 0, 2] and lengths.dtype == tf.int64
    assert repr(tail) == "<tf.RaggedTensor [[], [4.0, 5.0]]>"
    assert cat.to_list() == [[1.0, 2.0, 3.0, 1.0, 2.0, 3.0], [], [4.0, 5.0, 4.0, 5.0]]


def test_input_signature_and_graph_printing():
    seen = []

    @tf.function(input_signature=[tf.RaggedTensorSpec([None, None], tf.float32)])
    def h(x):
        seen.append(repr(x))
        return x.to_tensor()

    np.testing.assert_allclose(h(rt()).numpy(), [[1, 2, 3], [0, 0, 0], [4, 5, 0]])
    assert seen[0].startswith("tf.RaggedTensor(values=")
    assert "row_splits=" in seen[0]


def test_gradients_reach_flat_values():
    v = tf.Variable([1.0, 2.0, 3.0, 4.0, 5.0])
    with tf.GradientTape() as tape:
        r = tf.RaggedTensor.from_row_splits(v * 1.0, [0, 3, 3, 5])
        y = tf.reduce_sum(tf.reduce_max(r, axis=1) * tf.constant([1.0, 0.0, 2.0]))
        y = y + tf.reduce_sum(r.to_tensor())
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [1.0, 1.0, 2.0, 1.0, 3.0])
    r = rt()
    with tf.GradientTape() as tape:
        tape.watch(r.flat_values)
        y = tf.reduce_sum(tf.square(r))
    np.testing.assert_allclose(tape.gradient(y, r.flat_values).numpy(), [2, 4, 6, 8, 10])


def test_spec_relations():
    s = tf.RaggedTensorSpec([None, None], tf.int32)
    assert s.shape.as_list() == [None, None] and s.ragged_rank == 1
    assert s.row_splits_dtype == tf.int64 and s.flat_values_spec is None
    assert s.value_type is tf.RaggedTensor
    assert s.is_compatible_with(tf.ragged.constant([[1]]))
    assert not s.is_compatible_with(tf.ragged.constant([[1.0]]))
    sup = s.most_specific_common_supertype([tf.RaggedTensorSpec([2, None], tf.int32)])
    assert repr(sup) == "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)"
    assert tf.RaggedTensorSpec([2, None], tf.int32).is_subtype_of(s)
    assert isinstance(s, tf.TypeSpec)
    with pytest.raises(ValueError):
        tf.RaggedTensorSpec(None, tf.int32)


def test_numpy_and_len_and_iteration():
    r = tf.ragged.constant([[1, 2], [3]])
    arr = r.numpy()
    assert arr.dtype == object and [a.tolist() for a in arr] == [[1, 2], [3]]
    assert tf.ragged.constant([[1, 2], [3, 4]]).numpy().tolist() == [[1, 2], [3, 4]]
    with pytest.raises(TypeError):
        len(r)
    assert [x.numpy().tolist() for x in r] == [[1, 2], [3]]
    with pytest.raises(TypeError):
        bool(r)


def test_strings_values():
    r = tf.RaggedTensor.from_row_splits(tf.constant(["a", "bc", "d"]), [0, 2, 3])
    assert r.dtype == tf.string
    assert r.to_list() == [[b"a", b"bc"], [b"d"]]
    assert repr(r.to_tensor()).startswith("<tf.Tensor: shape=(2, 2), dtype=string")
    assert r.to_tensor().numpy().tolist() == [[b"a", b"bc"], [b"d", b""]]


def test_non_ragged_calls_are_unchanged():
    a = tf.constant([1.0, 2.0])
    assert tf.add(a, 1.0).numpy().tolist() == [2.0, 3.0]
    assert tf.reduce_sum(a).numpy() == 3.0
    assert tf.concat([a, a], 0).shape == (4,)
    assert (a + a).numpy().tolist() == [2.0, 4.0]


def test_splits_checked_when_a_traced_function_runs():
    sig = [tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.int64)]

    @tf.function(input_signature=sig)
    def f(v, s):
        return tf.RaggedTensor.from_row_splits(v, s).to_tensor()

    ok = f(tf.constant([1, 2, 3]), tf.constant([0, 1, 3], tf.int64))
    assert ok.numpy().tolist() == [[1, 0], [2, 3]]
    with pytest.raises(tf.errors.InvalidArgumentError, match="do not form a valid RaggedTensor"):
        f(tf.constant([1, 2, 3]), tf.constant([0, 1, 4], tf.int64))


def test_more_ops_inside_function():
    r3 = tf.ragged.constant([[[], [1.0]], [[2.0]], [[3.0, 4.0], [5.0], [6.0]]])

    @tf.function
    def f(x):
        return (tf.reduce_sum(x, axis=0), tf.reduce_max(x, axis=1), x[:, 1:],
                tf.gather(x, [2, 0]))  # fmt: skip

    a, b, c, d = f(r3)
    assert a.to_list() == [[5.0, 4.0], [6.0], [6.0]]
    assert b.to_list() == [[1.0], [2.0], [6.0, 4.0]]
    assert c.to_list() == [[[1.0]], [], [[5.0], [6.0]]]
    assert d.to_list() == [[[3.0, 4.0], [5.0], [6.0]], [[], [1.0]]]
    with tf.GradientTape() as tape:
        tape.watch(r3.flat_values)
        y = tf.reduce_sum(tf.reduce_max(r3, axis=0))
    assert tape.gradient(y, r3.flat_values).numpy().tolist() == [0, 0, 1, 1, 1, 1]


def test_print_and_logsumexp(capsys):
    r = tf.ragged.constant([[1.0, 2.0, 3.0], [], [4.0, 5.0]])
    tf.print(r, output_stream=sys.stdout)
    tf.print("x:", tf.ragged.constant([[[1, 2]], [[3]]]), "end", output_stream=sys.stdout)

    @tf.function
    def f(x):
        tf.print("in", x, output_stream=sys.stdout)
        return x

    f(tf.ragged.constant([[1, 2], [3]]))
    assert capsys.readouterr().out.splitlines() == [
        "[[1.000000, 2.000000, 3.000000], [], [4.000000, 5.000000]]",
        "x: [[[1, 2]], [[3]]] end",
        "in [[1, 2], [3]]",
    ]
    np.testing.assert_allclose(
        tf.reduce_logsumexp(r, axis=1).numpy(), [3.407606, -np.inf, 5.3132615], rtol=1e-6
    )


def test_map_fn_inside_function_with_dense_outputs():
    r = tf.ragged.constant([[1.0, 2.0, 3.0], [], [4.0, 5.0]])

    @tf.function
    def f(x):
        return tf.map_fn(lambda row: tf.reduce_sum(row) * 2.0, x, fn_output_signature=tf.float32)

    assert f(r).numpy().tolist() == [12.0, 0.0, 18.0]

    @tf.function
    def g(x):
        return tf.map_fn(lambda row: row * 2.0, x)

    with pytest.raises(NotImplementedError):
        g(r)
