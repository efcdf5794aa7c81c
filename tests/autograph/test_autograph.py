"""AutoGraph: converted control flow inside tf.function matches plain eager Python."""

import numpy as np
import pytest

import tensorflux as tf


def _check(py_fn, *arg_sets, **kw):
    f = tf.function(py_fn, **kw)
    for args in arg_sets:
        want = py_fn(*args)
        got = f(*args)
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)
    return f


def _c(v, dtype=tf.float32):
    return tf.constant(v, dtype)


def if_else(x):
    if x > 0:
        y = x * 2.0
    elif x > -1.0:
        y = x + 10.0
    else:
        y = -x
    return y


def test_if_elif_else_on_tensor():
    f = _check(if_else, (_c(3.0),), (_c(-0.5),), (_c(-4.0),))
    assert f.experimental_get_tracing_count() == 1


def if_python_flag(x, flag):
    if flag:
        x = x + 1.0
    else:
        x = x - 1.0
    print("tracing")
    return x


def test_python_bool_test_stays_python_and_retraces(capsys):
    f = _check(if_python_flag, (_c(1.0), True), (_c(1.0), False), (_c(2.0), True))
    assert f.experimental_get_tracing_count() == 2
    assert capsys.readouterr().out.count("tracing") >= 2


def while_sum(n):
    i = tf.constant(0)
    s = tf.constant(0)
    while i < n:
        s = s + i * i
        i = i + 1
    return s


def test_while_on_tensor():
    f = _check(while_sum, (_c(0, tf.int32),), (_c(5, tf.int32),), (_c(9, tf.int32),))
    assert f.experimental_get_tracing_count() == 1


def python_int_becomes_tensor_loop(n):
    i = 0
    s = 0
    while i < n:
        s += i
        i += 1
    return s


def test_while_python_start_tensor_condition():
    _check(python_int_becomes_tensor_loop, (_c(4, tf.int32),), (_c(7, tf.int32),))


def nested_if_in_loop_with_break_continue(x, n):
    total = tf.constant(0.0)
    for i in tf.range(n):
        if i % 2 == 0:
            continue
        if total > x:
            break
        if i > 3:
            total = total + tf.cast(i, tf.float32)
        else:
            total = total + 1.0
    return total


def test_for_range_nested_if_break_continue():
    f = _check(nested_if_in_loop_with_break_continue,
               (_c(100.0), _c(10, tf.int32)), (_c(5.0), _c(10, tf.int32)),
               (_c(0.5), _c(3, tf.int32)), (_c(1.0), _c(0, tf.int32)))
    assert f.experimental_get_tracing_count() == 1


def while_break(x):
    i = tf.constant(0)
    while i < 100:
        x = x * 2.0
        i += 1
        if x > 50.0:
            break
    return tf.stack([x, tf.cast(i, tf.float32)])


def test_while_with_break():
    _check(while_break, (_c(1.0),), (_c(60.0),), (_c(-1.0),))


def test_called_functions_are_converted():
    def inner(x):
        if x > 0:
            x = x + 1.0
        return x

    def outer(x):
        return inner(x) * 2.0

    _check(outer, (_c(1.0),), (_c(-1.0),))


def for_over_tensor(v):
    s = tf.constant(0.0)
    for row in v:
        s = s + tf.reduce_sum(row) * 2.0
    return s


def test_for_over_tensor_rows():
    _check(for_over_tensor, (_c([[1.0, 2.0], [3.0, 4.0]]),), (_c([[5.0, 6.0]]),))


def python_for_with_break(x):
    for k in [1.0, 2.0, 3.0, 4.0]:
        if k > 2.5:
            break
        x = x + k
    return x


def test_for_over_python_list_stays_python():
    _check(python_for_with_break, (_c(0.0),), (_c(5.0),))


def bool_ops(x, y):
    if (x > 0 and y > 0) or not (x < -5):
        r = x + y
    else:
        r = x - y
    return r


def test_and_or_not_on_tensors():
    _check(bool_ops, (_c(1.0), _c(1.0)), (_c(-6.0), _c(1.0)), (_c(-1.0), _c(-1.0)),
           (_c(-7.0), _c(-1.0)))


def test_python_and_or_keep_python_semantics():
    def f(x, a, b):
        c = a and b
        d = a or b
        if not c:
            x = x + 1.0
        return x, c, d

    g = tf.function(f)
    out = g(_c(1.0), 0, 3)
    assert out[1] == 0 and out[2] == 3
    assert float(out[0]) == 2.0


def cond_for_grad(x):
    if x > 1.0:
        y = x * x * x
    else:
        y = x * 2.0
    return y


def while_for_grad(x):
    i = tf.constant(0)
    while i < 3:
        x = x * x
        i += 1
    return x


@pytest.mark.parametrize("fn,x,want", [
    (cond_for_grad, 2.0, 12.0), (cond_for_grad, 0.5, 2.0), (while_for_grad, 1.5, 8 * 1.5 ** 7)])
def test_gradient_through_converted_control_flow(fn, x, want):
    f = tf.function(fn)
    v = _c(x)
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = f(v)
    np.testing.assert_allclose(float(tape.gradient(y, v)), want, rtol=1e-5)


def test_gradient_inside_function():
    @tf.function
    def g(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            if x > 1.0:
                y = x * x
            else:
                y = -x
        return tape.gradient(y, x)

    assert float(g(_c(3.0))) == 6.0
    assert float(g(_c(0.0))) == -1.0


def test_undefined_in_one_branch_raises():
    @tf.function
    def f(x):
        if x > 0:
            y = x
        return y  # noqa: F821

    with pytest.raises(ValueError, match="'y' must also be initialized in the else branch$"):
        f(_c(1.0))


def test_early_return_on_tensor_is_converted():
    @tf.function
    def f(x):
        if x > 0:
            return x
        return -x

    assert float(f(_c(-1.0))) == 1.0


def test_early_return_on_python_value_works():
    @tf.function
    def f(x, flag):
        if flag:
            return x + 1.0
        return x

    assert float(f(_c(1.0), True)) == 2.0
    assert float(f(_c(1.0), False)) == 1.0


def test_autograph_false_is_not_converted():
    f = tf.function(if_else, autograph=False)
    with pytest.raises(TypeError, match="Python `bool`"):
        f(_c(1.0))


def test_do_not_convert():
    @tf.autograph.experimental.do_not_convert
    def h(x):
        if x > 0:
            x = x + 1.0
        return x

    with pytest.raises(TypeError, match="Python `bool`"):
        tf.function(h)(_c(1.0))


def test_to_graph_and_conversion_is_cached():
    from tensorflux._src.autograph.conversion import convert

    g = tf.autograph.to_graph(if_else)
    assert float(g(_c(3.0))) == 6.0
    assert convert(if_else) is convert(if_else)
    assert convert(if_else) is not if_else


def test_methods_and_closures():
    scale = 3.0

    class M:
        def __init__(self):
            self.k = 2.0

        @tf.function
        def f(self, x):
            if x > 0:
                x = x * self.k * scale
            return x

    m = M()
    assert float(m.f(_c(1.0))) == 6.0
    assert float(m.f(_c(-1.0))) == -1.0


def test_nested_loops():
    def f(n):
        s = tf.constant(0)
        for i in tf.range(n):
            j = tf.constant(0)
            while j < i:
                if (i + j) % 3 == 0:
                    s = s + 1
                j += 1
        return s

    _check(f, (_c(0, tf.int32),), (_c(4, tf.int32),), (_c(7, tf.int32),))


def test_branch_only_variables_and_side_effects():
    v = tf.Variable(0.0)

    @tf.function
    def f(x):
        i = 0
        while i < 2:
            if x > 0:
                temp_only_here = 1  # noqa: F841 - never read: not a cond output
                v.assign_add(1.0)
            i += 1
        return x

    f(_c(1.0))
    f(_c(-1.0))
    assert float(v.numpy()) == 2.0


def test_converted_without_warning(caplog):
    from tensorflux._src.autograph.conversion import _convert_function

    with caplog.at_level("WARNING", logger="tensorflux"):
        for fn in (if_else, while_sum, nested_if_in_loop_with_break_continue, while_break,
                   for_over_tensor, python_for_with_break, bool_ops):
            assert getattr(_convert_function(fn), "__ag_converted__", False)
    assert not caplog.records


def test_unconvertible_falls_back_with_warning(caplog):
    from tensorflux._src.autograph.conversion import convert

    def f(x):
        for k in [1, 2]:
            with tf.name_scope("s"):
                break
        return x

    with caplog.at_level("WARNING", logger="tensorflux"):
        assert convert(f) is f
    assert "AutoGraph could not transform" in caplog.text
    assert float(tf.function(f)(_c(1.0))) == 1.0


def test_loop_target_defined_after_tensor_loop():
    @tf.function
    def h(x):
        for i in tf.range(x):
            pass
        return i

    assert int(h(_c(0, tf.int32))) == 0
    assert int(h(_c(3, tf.int32))) == 2
