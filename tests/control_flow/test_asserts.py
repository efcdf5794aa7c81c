"""tf.Assert, tf.debugging.assert_* and check_numerics: messages as TensorFlow 2.21 gives them."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.graph.trace import run_traced

c = tf.constant
IAE = tf.errors.InvalidArgumentError


def test_assert_eager():
    assert tf.Assert(c(True), [c([1, 2])]) is None
    with pytest.raises(IAE) as e:
        tf.Assert(c(False), [c([1, 2]), "hello", c(3.5)])
    assert str(e.value.message) == (
        "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: 1, 2\n"
        "b'hello'\n3.5"
    )
    with pytest.raises(IAE, match=r"Expected 'False' to be true. Summarized data: b'x'"):
        tf.Assert(False, ["x"])
    with pytest.raises(IAE, match=r"Summarized data: 0, 1, 2, 3, 4, ...\n1.5, 2.0, 3.0, 4.0"):
        tf.Assert(c(False), [c(np.arange(10)), c([[1.5, 2.0], [3.0, 4.0]])], summarize=5)


def test_assert_traced_runs_at_run_time():
    def f(x):
        tf.Assert(x > 0, ["hi", x, c([1, 2, 3, 4, 5])])
        return x + 1.0

    assert float(run_traced(f, [c(1.0)])) == 2.0
    with pytest.raises(IAE, match=r"assertion failed: \[hi\] \[-1\] \[1 2 3...\]"):
        run_traced(f, [c(-1.0)])


def test_binary_asserts_eager():
    assert tf.debugging.assert_equal(c([1, 2]), c([1, 2])) is None
    with pytest.raises(IAE) as e:
        tf.debugging.assert_equal(c([1, 2]), c([1, 3]), message="msg")
    assert e.value.message == (
        "msg\nCondition x == y did not hold.\nIndices of first 1 different values:\n[[1]]\n"
        "Corresponding x values:\n[2]\nCorresponding y values:\n[3]\nFirst 2 elements of x:\n"
        "[1 2]\nFirst 2 elements of y:\n[1 3]"
    )
    with pytest.raises(IAE) as e:
        tf.debugging.assert_equal(c(np.arange(10)), c(np.arange(10) * 2), summarize=2)
    assert "Indices of first 2 different values:\n[[1]\n [2]]" in e.value.message
    assert "First 2 elements of x:\n[0 1]" in e.value.message
    with pytest.raises(IAE, match="Condition x == y did not hold.\nFirst 3 elements of x"):
        tf.debugging.assert_equal(c([[1, 2], [3, 4]]), 1)
    cases = [(tf.debugging.assert_less, "<", [[0]]), (tf.debugging.assert_greater, ">", [[1]]),
             (tf.debugging.assert_less_equal, "<=", [[0]]),
             (tf.debugging.assert_greater_equal, ">=", [[1]]),
             (tf.debugging.assert_none_equal, "!=", [[1]])]
    ys = {"<": [1, 3], ">": [0, 3], "<=": [0, 3], ">=": [0, 3], "!=": [0, 2]}
    for fn, sym, idx in cases:
        with pytest.raises(IAE) as e:
            fn(c([1, 2]), c(ys[sym]))
        assert e.value.message.startswith(f"Condition x {sym} y did not hold.")
        assert f"different values:\n{np.array(idx)}" in e.value.message
    assert tf.assert_less(c([1, 2]), c([2, 3])) is None


def test_binary_asserts_traced():
    def f(x):
        tf.debugging.assert_equal(x, c([1.0, 2.0]), message="mm")
        return x

    np.testing.assert_allclose(run_traced(f, [c([1.0, 2.0])]).numpy(), [1.0, 2.0])
    with pytest.raises(IAE, match=r"assertion failed: \[mm\] \[Condition x == y did not hold "
                                  r"element-wise:\] \[x \(x:0\) = \] \[1 3\]"):
        run_traced(f, [c([1.0, 3.0])])

    def g(x):  # statically known values fail while tracing
        tf.debugging.assert_less(c(3), c(2))
        return x

    with pytest.raises(IAE, match="Condition x < y did not hold"):
        run_traced(g, [c(1.0)])


def test_sign_asserts():
    with pytest.raises(IAE) as e:
        tf.debugging.assert_positive(c([1.0, -2.0]))
    assert e.value.message == (
        "\nCondition x > 0 did not hold element-wise:\nx (shape=(2,) dtype=float32) = \n"
        "['1.0', '-2.0']"
    )
    with pytest.raises(IAE, match="element-wise:x \\(shape"):
        tf.debugging.assert_non_positive(c([1.0, -2.0]))
    assert tf.debugging.assert_non_negative(c([0.0, 2.0])) is None
    with pytest.raises(IAE, match="Condition x < 0"):
        tf.debugging.assert_negative(c([1.0, -2.0]))


def test_assert_near():
    assert tf.debugging.assert_near(c([1.0, 2.0]), c([1.0, 2.0 + 1e-7])) is None
    with pytest.raises(IAE) as e:
        tf.debugging.assert_near(c([1.0, 2.0]), c([1.0, 2.1]))
    msg = e.value.message
    assert msg.startswith("Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true.")
    assert "x and y not equal to tolerance rtol = tf.Tensor(1.1920929e-06" in msg
    assert "b'y (shape=(2,) dtype=float32) = '\n1.0, 2.1" in msg


def test_rank_shape_type_checks():
    with pytest.raises(ValueError, match=r"^Tensor  must have rank 2.  Received rank 1, shape "
                                         r"\(2,\)$"):
        tf.debugging.assert_rank(c([1, 2]), 2)
    with pytest.raises(ValueError, match=r"^m.  Tensor  must have rank 2"):
        tf.debugging.assert_rank(c([1, 2]), 2, message="m")
    assert tf.assert_rank(c([1, 2]), 1) is None
    with pytest.raises(ValueError, match="must have rank at least 2"):
        tf.debugging.assert_rank_at_least(c([1, 2]), 2)
    with pytest.raises(ValueError, match=r"must have rank in \(0, 2\)"):
        tf.debugging.assert_rank_in(c([1, 2]), (0, 2))
    with pytest.raises(TypeError, match=r'Expected "x" to be integer type'):
        tf.debugging.assert_integer(c([1.0]))
    with pytest.raises(TypeError, match="tensor must be of type tf.int32; got tf.float32"):
        tf.debugging.assert_type(c([1.0]), tf.int32)
    assert tf.debugging.assert_type(3, tf.int32) is None  # Python values convert first
    assert tf.debugging.assert_type(np.int64(3), tf.int64) is None
    with pytest.raises(TypeError, match=r"^hey\.  tensor must be of type tf.int64; got tf.int32"):
        tf.debugging.assert_type([1, 2], tf.int64, message="hey")
    with pytest.raises(ValueError, match=r"Expected scalar shape, saw shape: \(2,\)"):
        tf.debugging.assert_scalar(c([1.0, 2.0]))
    assert tf.debugging.is_numeric_tensor(c(1))


def test_assert_shapes():
    x, y = c([1.0, -2.0]), c([[1.0]])
    with pytest.raises(ValueError) as e:
        tf.debugging.assert_shapes([(x, ("N",)), (y, ("N", 1))])
    assert str(e.value) == (
        "Specified by tensor shape=(2,) dtype=float32 dimension 0.  Tensor shape=(1, 1) "
        "dtype=float32 dimension 0 must have size 2.  Received size 1, shape (1, 1)"
    )
    assert tf.debugging.assert_shapes([(x, (2,)), (c([[1.0, 2.0]]), (None, 2))]) is None
    with pytest.raises(ValueError, match="^mm.  Specified explicitly.  Tensor shape=\\(1, 2\\)"):
        tf.debugging.assert_shapes([(c([[1.0, -2.0]]), (2, 2))], message="mm")
    with pytest.raises(ValueError, match="must have rank 2"):
        tf.debugging.assert_shapes([(x, ("N", "M"))])
    with pytest.raises(ValueError, match="only allowed as the first entry"):
        tf.debugging.assert_shapes([(y, (1, "*"))])
    assert tf.debugging.assert_shapes([(c(np.zeros((2, 3, 4))), ("...", 4))]) is None


def test_check_numerics():
    np.testing.assert_allclose(tf.debugging.check_numerics(c([1.0, 2.0]), "bad").numpy(), [1, 2])
    with pytest.raises(IAE, match=r"bad : Tensor had NaN values"):
        tf.debugging.check_numerics(c([1.0, np.nan]), "bad")
    with pytest.raises(IAE, match=r"bad : Tensor had Inf values"):
        tf.debugging.assert_all_finite(c([1.0, np.inf]), "bad")
    with pytest.raises(IAE, match=r"bad : Tensor had Inf and NaN values"):
        tf.debugging.check_numerics(c([1.0, np.nan, np.inf]), "bad")
    with pytest.raises(IAE, match="oops : Tensor had NaN values"):
        run_traced(lambda x: tf.debugging.check_numerics(x, "oops"), [c([1.0, np.nan])])
    x = c([1.0, 2.0])
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.debugging.check_numerics(x * x, "m")
    np.testing.assert_allclose(t.gradient(y, x).numpy(), [2.0, 4.0])
