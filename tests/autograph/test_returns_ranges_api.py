"""AutoGraph: `return` inside tensor-dependent `if`s, `range()` with tensor bounds, to_code."""

import logging

import pytest

import tensorflux as tf


def test_return_in_if_with_tensor_condition():
    @tf.function
    def f(x):
        if x > 0:
            return x * 10
        return -x

    assert int(f(tf.constant(3))) == 30 and int(f(tf.constant(-2))) == 2
    assert f.experimental_get_tracing_count() == 1  # one graph serves both branches


def test_nested_returns_and_code_after_the_if():
    @tf.function
    def f(x):
        if x > 0:
            y = x * 2
            if y > 10:
                return y - 1
            return y
        z = x - 100
        return z

    assert [int(f(tf.constant(v))) for v in (1, 7, -2)] == [2, 13, -102]


def test_return_with_python_condition_stays_python():
    @tf.function
    def f(x, flag):
        if flag:
            return x + 1
        return x - 1

    assert int(f(tf.constant(1), True)) == 2 and int(f(tf.constant(1), False)) == 0


def test_mismatched_branch_structures_fail_clearly():
    @tf.function
    def f(x):
        if x > 0:
            return x
        return None

    with pytest.raises((ValueError, TypeError)):
        f(tf.constant(1))


def test_range_with_tensor_bound_becomes_a_graph_loop():
    @tf.function
    def f(n):
        s = 0
        for i in range(n):
            s += i
        return s

    assert int(f(tf.constant(5))) == 10 and int(f(tf.constant(6))) == 15
    assert f.experimental_get_tracing_count() == 1


def test_to_code_shows_the_converted_function():
    def k(x):
        if x > 0:
            return x
        return -x

    code = tf.autograph.to_code(k)
    assert code.startswith("def k(x):") and "ag__.if_stmt" in code and "ag__retval" in code


def test_set_verbosity_logs_conversions(caplog):
    def fresh(x):
        while x < 3:
            x += 1
        return x

    tf.autograph.set_verbosity(3)
    try:
        with caplog.at_level(logging.INFO, logger="tensorflux"):
            tf.function(fresh)(tf.constant(0))
    finally:
        tf.autograph.set_verbosity(0)
    assert any("Converted" in r.message and "fresh" in r.message for r in caplog.records)
