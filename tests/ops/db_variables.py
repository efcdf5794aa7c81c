"""Harness rows for the resource-variable ops (read, assign, scatter) and CustomGradient.

Each row builds a variable from its first input, updates it and returns the value read back, so
the reference is the same update done on NumPy arrays. Variable creation cuts the gradient link
to the input (as in TensorFlow), so these rows check forward values only; variable gradients are
tested in tests/test_variables.py.
"""

import numpy as np

import tensorflux as tf
from tests.ops.harness import BOOL, FLOAT32_64, NUMERIC, REAL, OpInfo, Sample, make

STRING = (tf.string,)


def _same_shape_samples(rng, dtype):
    # (The harness's dtype check reads a scalar string result as bytes, so strings skip rank 0.)
    scalar = [] if dtype == tf.string else [Sample([make(rng, (), dtype), make(rng, (), dtype)])]
    return scalar + [
        Sample([make(rng, (3,), dtype), make(rng, (3,), dtype)]),
        Sample([make(rng, (2, 3), dtype), make(rng, (2, 3), dtype)]),
        Sample([make(rng, (0, 2), dtype), make(rng, (0, 2), dtype)]),
    ]


def _assign(x, y):
    v = tf.Variable(x)
    v.assign(y)
    return v.read_value()


def _assign_add(x, y):
    v = tf.Variable(x)
    return v.assign_add(y).read_value()


def _assign_sub(x, y):
    v = tf.Variable(x)
    v.assign_sub(y, read_value=False)
    return v.value()


# ------------------------------------------------------------------ first-axis scatters


def _scatter_samples(unique, lo=-2.0, hi=2.0):
    def samples(rng, dtype):
        idx = np.array([2, 0], np.int32) if unique else np.array([2, 0, 2], np.int64)
        n = len(idx)
        return [
            Sample([make(rng, (4,), dtype), idx, make(rng, (n,), dtype, lo, hi)]),
            Sample(
                [make(rng, (3, 2), dtype), idx[:, None][:1], make(rng, (1, 1, 2), dtype, lo, hi)]
            ),
            Sample([make(rng, (3, 2), dtype), idx, make(rng, (n, 2), dtype, lo, hi)]),
        ]

    return samples


def _scatter_fn(method):
    def fn(x, indices, updates):
        v = tf.Variable(x)
        getattr(v, method)(tf.IndexedSlices(updates, indices))
        return tf.convert_to_tensor(v)

    return fn


def _scatter_ref(ufunc):
    def ref(x, indices, updates):
        out = np.array(x, copy=True)
        idx = np.asarray(indices).reshape(-1)
        upd = np.asarray(updates).reshape((idx.size,) + out.shape[1:])
        for i, u in zip(idx, upd):
            out[i] = u if ufunc is None else ufunc(out[i], u)
        return out

    return ref


def _int_div(a, b):
    if np.asarray(a).dtype.kind in "iu":
        return (np.abs(a) // np.abs(b)) * (np.sign(a) * np.sign(b))
    return a / b


# ------------------------------------------------------------------ n-d scatters


def _scatter_nd_samples(unique):
    def samples(rng, dtype):
        idx = np.array([[1, 0], [0, 2]], np.int32)
        if not unique:
            idx = np.array([[1, 0], [0, 2], [1, 0]], np.int64)
        n = len(idx)
        return [
            Sample([make(rng, (2, 3), dtype), idx, make(rng, (n,), dtype)]),
            Sample([make(rng, (2, 3), dtype), idx[:, :1], make(rng, (n, 3), dtype)]),
            Sample([make(rng, (4,), dtype), np.array([[3]], np.int32), make(rng, (1,), dtype)]),
        ]

    return samples


def _scatter_nd_fn(method):
    def fn(x, indices, updates):
        v = tf.Variable(x)
        return getattr(v, method)(indices, updates).read_value()

    return fn


def _scatter_nd_ref(ufunc):
    def ref(x, indices, updates):
        out = np.array(x, copy=True)
        idx = np.asarray(indices)
        k = idx.shape[-1]
        flat = idx.reshape(-1, k)
        upd = np.asarray(updates).reshape((flat.shape[0],) + out.shape[k:])
        for i, u in zip(flat, upd):
            out[tuple(i)] = u if ufunc is None else ufunc(out[tuple(i)], u)
        return out

    return ref


# ------------------------------------------------------------------ CustomGradient


@tf.custom_gradient
def _custom_square(x):
    def grad(dy):
        return dy * 2.0 * x

    return x * x, grad


def _row(name, fn, ref, dtypes, samples, **kw):
    return OpInfo(
        name, fn, ref, dtypes, samples=samples, grad=False, traced=False, spec=False, **kw
    )


OPS = [
    _row("Variable.assign", _assign, lambda x, y: y, NUMERIC + BOOL + STRING, _same_shape_samples),
    _row("Variable.assign_add", _assign_add, lambda x, y: x + y, NUMERIC, _same_shape_samples),
    _row("Variable.assign_sub", _assign_sub, lambda x, y: x - y, NUMERIC, _same_shape_samples),
    _row(
        "Variable.scatter_update",
        _scatter_fn("scatter_update"),
        _scatter_ref(None),
        NUMERIC + BOOL,
        _scatter_samples(True),
    ),
    _row(
        "Variable.scatter_add",
        _scatter_fn("scatter_add"),
        _scatter_ref(np.add),
        NUMERIC,
        _scatter_samples(False),
    ),
    _row(
        "Variable.scatter_sub",
        _scatter_fn("scatter_sub"),
        _scatter_ref(np.subtract),
        NUMERIC,
        _scatter_samples(False),
    ),
    _row(
        "Variable.scatter_mul",
        _scatter_fn("scatter_mul"),
        _scatter_ref(np.multiply),
        NUMERIC,
        _scatter_samples(False),
    ),
    _row(
        "Variable.scatter_div",
        _scatter_fn("scatter_div"),
        _scatter_ref(_int_div),
        NUMERIC,
        _scatter_samples(False, 1.0, 3.0),
    ),
    _row(
        "Variable.scatter_max",
        _scatter_fn("scatter_max"),
        _scatter_ref(np.maximum),
        REAL,
        _scatter_samples(False),
    ),
    _row(
        "Variable.scatter_min",
        _scatter_fn("scatter_min"),
        _scatter_ref(np.minimum),
        REAL,
        _scatter_samples(False),
    ),
    _row(
        "Variable.scatter_nd_update",
        _scatter_nd_fn("scatter_nd_update"),
        _scatter_nd_ref(None),
        NUMERIC + BOOL + STRING,
        _scatter_nd_samples(True),
    ),
    _row(
        "Variable.scatter_nd_add",
        _scatter_nd_fn("scatter_nd_add"),
        _scatter_nd_ref(np.add),
        NUMERIC,
        _scatter_nd_samples(False),
    ),
    _row(
        "Variable.scatter_nd_sub",
        _scatter_nd_fn("scatter_nd_sub"),
        _scatter_nd_ref(np.subtract),
        NUMERIC,
        _scatter_nd_samples(False),
    ),
    _row(
        "Variable.scatter_nd_max",
        _scatter_nd_fn("scatter_nd_max"),
        _scatter_nd_ref(np.maximum),
        REAL,
        _scatter_nd_samples(False),
    ),
    _row(
        "Variable.scatter_nd_min",
        _scatter_nd_fn("scatter_nd_min"),
        _scatter_nd_ref(np.minimum),
        REAL,
        _scatter_nd_samples(False),
    ),
    OpInfo("custom_gradient", _custom_square, np.square, FLOAT32_64, grad2=True),
]
