"""tf.py_function / tf.numpy_function: eager, traced, in tf.data, gradients, errors."""

import numpy as np
import pytest

import tensorflux as tf


def test_py_function_eager_value_and_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.py_function(lambda a: a * a, [x], tf.float32)
    np.testing.assert_allclose(y.numpy(), [1.0, 4.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0])


def test_traced_runs_at_call_time_with_unknown_shape():
    calls = []

    def body(a):
        calls.append(1)
        return a * 3.0

    @tf.function
    def f(x):
        y = tf.py_function(body, [x], Tout=tf.float32)
        assert y.shape.rank is None
        return y

    x = tf.constant([1.0, 2.0])
    f(x)
    f(x)
    assert len(calls) == 2  # once per execution, not at trace time
    np.testing.assert_allclose(f(x).numpy(), [3.0, 6.0])


def test_traced_gradient_reruns_function_under_a_tape():
    @tf.function
    def f(x):
        return tf.py_function(lambda a: a * a * 3.0, [x], tf.float32)

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [6.0, 12.0])


def test_multiple_outputs_and_empty():
    x = tf.constant([1.0, 2.0])
    a, b = tf.py_function(lambda v: (v, v + 1), [x], [tf.float32, tf.float32])
    np.testing.assert_allclose(b.numpy(), [2.0, 3.0])
    assert tf.py_function(lambda: None, [], []) == []
    assert tf.py_function(lambda v: 3, [x], tf.int32).dtype == tf.int32


def test_numpy_function_gets_arrays():
    seen = []

    def body(a):
        seen.append(type(a))
        return (a + 1).astype(np.float32)

    @tf.function
    def f(x):
        return tf.numpy_function(body, [x], tf.float32)

    np.testing.assert_allclose(f(tf.constant([1.0])).numpy(), [2.0])
    assert seen == [np.ndarray]


def test_numpy_function_wrong_dtype_in_graph_is_invalid_argument():
    @tf.function
    def g(x):
        return tf.numpy_function(lambda a: a.astype(np.float64), [x], tf.float32)

    with pytest.raises(tf.errors.InvalidArgumentError, match="is double, but expects float"):
        g(tf.constant([1.0]))


@pytest.mark.parametrize(
    "exc, cls",
    [
        (ValueError("v"), tf.errors.InvalidArgumentError),
        (TypeError("t"), tf.errors.InvalidArgumentError),
        (StopIteration(), tf.errors.OutOfRangeError),
        (KeyError("k"), tf.errors.UnknownError),
    ],
)
def test_py_function_error_mapping(exc, cls):
    def raiser(a):
        raise exc

    with pytest.raises(cls):
        tf.py_function(raiser, [tf.constant(1.0)], tf.float32)

    @tf.function
    def f(x):
        return tf.py_function(raiser, [x], tf.float32)

    with pytest.raises(cls):
        f(tf.constant(1.0))


def test_in_dataset_map():
    ds = tf.data.Dataset.range(3).map(lambda i: tf.py_function(lambda j: j * 2, [i], tf.int64))
    assert list(ds.as_numpy_iterator()) == [0, 2, 4]
    assert ds.element_spec.shape.rank is None


def test_strings_pass_through():
    out = tf.numpy_function(lambda s: np.array([b"x" + s[0]], dtype=object), [tf.constant(["a"])],
                            tf.string)
    assert out.numpy().tolist() == [b"xa"]
