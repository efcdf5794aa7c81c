"""Harness rows for the control-flow ops (If/Case/While and their stateful forms, the TensorList
ops behind traced TensorArrays, CheckNumerics).

Eagerly `tf.cond` and friends run plain Python, so these rows call the op-building forms
(`cond_op`, `switch_case_op`, `while_op`), which create the node eagerly too: the harness then
checks values, traced runs and gradients (the tape records the control-flow op itself). The
public functions are tested in tests/control_flow.
"""

import numpy as np

import tensorflux as tf
from tensorflux._src.control_flow import cond as cond_mod
from tensorflux._src.control_flow import tensor_array as ta_mod
from tensorflux._src.control_flow import while_loop as while_mod
from tensorflux._src.graph.trace import run_traced
from tests.ops.harness import FLOAT32_64, OpInfo, Sample, make


def _if(x, stateful=False):
    def true_fn():
        y = tf.sin(x) * x
        return tf.debugging.check_numerics(y, "true") if stateful else y

    return cond_mod.cond_op(tf.reduce_sum(x) > 0, true_fn, lambda: x * x * x)


def _if_ref(x):
    return np.sin(x) * x if np.sum(x) > 0 else x**3


def _case(x, stateful=False):
    def first():
        y = x * x
        return tf.debugging.check_numerics(y, "first") if stateful else y

    fns = [first, lambda: tf.sin(x), lambda: x + 1.0]
    index = tf.cast(tf.reduce_sum(x) > 0, tf.int32) * 2 - 1  # -1 (default) or 1
    return cond_mod.switch_case_op(index, fns, fns[-1])


def _case_ref(x):
    return np.sin(x) if np.sum(x) > 0 else x + 1.0


def _while(x, stateful=False):
    def body(i, y):
        y = y * x
        return i + 1, (tf.debugging.check_numerics(y, "body") if stateful else y)

    return while_mod.while_op(lambda i, y: i < 3, body, (0, x))[1]


def _while_grad(x):
    with tf.GradientTape() as t:
        t.watch(x)
        y = _while(x)
    return t.gradient(y, x)


def _tensor_list(x):
    n = x.shape[0]
    dt = x.dtype
    ta = ta_mod.functional_tensor_array(dt, n).unstack(x)
    ta = ta.write(0, x[n - 1] * 2.0)
    first, stacked, picked = ta.read(0), ta.stack(), ta.gather([n - 1, 0])
    sc = ta_mod.functional_tensor_array(dt, n + 1).scatter(
        list(range(n, 0, -1)), x)
    flat = tf.reshape(x, [-1])
    parts = ta_mod.functional_tensor_array(dt, 2, infer_shape=False).split(
        flat, [1, int(np.prod(x.shape)) - 1])
    piece = tf.reshape(parts.read(1), [int(np.prod(x.shape)) - 1])  # (elements vary in shape)
    return (first, stacked, picked, sc.stack(), sc.concat(), piece,
            tf.cast(ta.size(), dt))


def _tensor_list_ref(x):
    n = x.shape[0]
    st = x.copy()
    st[0] = x[n - 1] * 2.0
    sc = np.zeros((n + 1,) + x.shape[1:], x.dtype)
    sc[1:] = x[::-1]
    return (st[0], st, st[[n - 1, 0]], sc, sc.reshape((-1,) + x.shape[2:]),
            x.reshape(-1)[1:], np.asarray(n, x.dtype))


def _tensor_list_grad(x):
    n = x.shape[0]
    dt = x.dtype
    with tf.GradientTape() as t:
        t.watch(x)
        ta = ta_mod.functional_tensor_array(dt, n).unstack(x)
        ta = ta.write(1, ta.read(0) * 3.0)
        picked = ta.gather([0, 0])
        sc = ta_mod.functional_tensor_array(dt, n).scatter(list(range(n)), x)
        flat = tf.reshape(x, [-1])
        parts = ta_mod.functional_tensor_array(dt, 2, infer_shape=False).split(
            flat, [1, int(np.prod(x.shape)) - 1])
        y = (tf.reduce_sum(ta.stack()) + tf.reduce_sum(picked) + tf.reduce_sum(sc.concat() ** 2)
             + tf.reduce_sum(tf.sin(parts.read(1))))
    return t.gradient(y, x)


def _tensor_list_grad_ref(x):
    g = 2 * x
    g[0] += 6.0
    g[2:] += 1.0
    flat = g.reshape(-1)
    flat[1:] += np.cos(x.reshape(-1)[1:])
    return flat.reshape(x.shape)


def _list_samples(rng, dtype):
    return [Sample([make(rng, s, dtype)]) for s in [(3, 1), (2, 3), (4, 2, 2)]]


OPS = [
    OpInfo("cond_op", _if, _if_ref, FLOAT32_64, grad2=True),
    OpInfo("cond_op (stateful branch)", lambda x: _if(x, True), _if_ref, FLOAT32_64),
    OpInfo("switch_case_op", _case, _case_ref, FLOAT32_64),
    OpInfo("switch_case_op (stateful branch)", lambda x: _case(x, True), _case_ref, FLOAT32_64),
    OpInfo("while_op", _while, lambda x: x**4, FLOAT32_64),
    OpInfo("while_op (stateful body)", lambda x: _while(x, True), lambda x: x**4, FLOAT32_64),
    OpInfo("while_op gradient", _while_grad, lambda x: 4 * x**3, FLOAT32_64, grad=False),
    OpInfo("TensorArray (TensorList ops)", _tensor_list, _tensor_list_ref, FLOAT32_64,
           samples=_list_samples, unknown_dims=False),
    OpInfo("TensorArray gradient (TensorListGrad)", _tensor_list_grad, _tensor_list_grad_ref,
           FLOAT32_64, samples=_list_samples, grad=False, unknown_dims=False),
    OpInfo("debugging.check_numerics", lambda x: tf.debugging.check_numerics(x, "m"),
           lambda x: x, FLOAT32_64),
]


def _random_branches_grad(x):
    """Gradient through a cond and a while_loop whose branch/body draw random values (the
    gradient replays them with the forward draws: RecordedRead, WhileHistoryRead)."""

    def inner(x):
        with tf.GradientTape() as t:
            t.watch(x)
            noise = lambda: 0.0 * tf.random.uniform(tf.shape(x), dtype=x.dtype)  # noqa: E731
            y = tf.cond(tf.reduce_sum(x) > 0, lambda: x * x + noise(), lambda: tf.sin(x))
            z = tf.while_loop(lambda i, z: i < 1, lambda i, z: (i + 1, z * x + noise()),
                              (0, y))[1]
        return t.gradient(z, x)

    return run_traced(inner, [x])


def _random_branches_grad_ref(x):
    if np.sum(x) > 0:
        return 3 * x**2
    return np.cos(x) * x + np.sin(x)


OPS += [
    OpInfo("cond/while_loop gradients with random draws", _random_branches_grad,
           _random_branches_grad_ref, FLOAT32_64, grad=False, traced=False, spec=False,
           unknown_dims=False),  # (it traces and runs a function itself)
]
