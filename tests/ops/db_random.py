"""Harness rows for random ops: dtypes, shapes and placement (values are checked in tests/test_random.py).

Random ops have no NumPy reference and no gradient. Stateful rows skip the non-contiguous and
traced comparisons (every call draws new numbers); stateless rows keep them, since the same seed
gives the same numbers.
"""

import numpy as np

import tensorflux as tf
from tests.ops.harness import FLOAT, FLOAT32_64, INT32_64, OpInfo, Sample, make

SEED = np.asarray([3, 4], np.int64)


def _placed(fn):
    """Runs `fn` under tf.device of its first tensor argument.

    Random ops are placed by the device scope alone (their shape and seed inputs live on the
    host); the harness places a row's inputs on the device under test, so the row scopes by them.
    """

    def run(*args, **kwargs):
        for a in list(args) + list(kwargs.values()):
            if isinstance(a, tf.Tensor):
                with tf.device(a.device):
                    return fn(*args, **kwargs)
        return fn(*args, **kwargs)

    run.__name__ = getattr(fn, "__name__", "random_fn")
    return run


def _shape(*dims):
    return np.asarray(dims, np.int32)


def _shaped(extra=None):
    def samples(rng, dtype):
        kw = {"dtype": dtype, **(extra(dtype) if extra else {})}
        return [Sample([_shape(2, 3)], kw), Sample([_shape(0, 4)], kw), Sample([_shape()], kw)]

    return samples


def _int_bounds(dtype):
    return {"maxval": 7, "seed": 1} if dtype.is_integer else {"seed": 1}


def _stateless(extra=None):
    def samples(rng, dtype):
        kw = {"dtype": dtype, **(extra(dtype) if extra else {})}
        return [Sample([_shape(2, 3), SEED], kw), Sample([_shape(0), SEED], kw)]

    return samples


def _logits(with_seed):
    def samples(rng, dtype):
        lg = make(rng, (2, 4), dtype)
        extra = [SEED] if with_seed else []
        return [Sample([lg, 5, *extra]), Sample([make(rng, (0, 3), dtype), 2, *extra])]

    return samples


def _shuffle(with_seed):
    def samples(rng, dtype):
        extra = [SEED] if with_seed else []
        return [Sample([make(rng, (5, 2), dtype), *extra]), Sample([make(rng, (), dtype), *extra])]

    return samples


def _param_samples(name, with_seed, shape_ends=False):
    def samples(rng, dtype):
        p = make(rng, (3,), dtype, 0.5, 3.0)
        shape = _shape(4, 3) if shape_ends else _shape(4)
        args = [shape, SEED] if with_seed else [shape]
        return [Sample(args, {name: p})]

    return samples


def _binomial_samples(rng, dtype):
    counts = np.asarray([5.0, 10.0], np.float32)
    return [Sample([_shape(3, 2), SEED], {"counts": counts, "probs": 0.25, "output_dtype": dtype})]


def _ptn_samples(rng, dtype):
    t = dtype.as_numpy_dtype
    return [
        Sample(
            [_shape(3, 2), SEED],
            {
                "means": np.zeros(2, t),
                "stddevs": np.ones(2, t),
                "minvals": np.asarray(-1, t),
                "maxvals": np.asarray(1, t),
            },
        )
    ]


def _ptn_fn(shape, seed, **params):
    params = {k: tf.constant(v) for k, v in params.items()}
    return tf.random.stateless_parameterized_truncated_normal(shape, seed, **params)


def _poisson_fn(shape, lam, **kw):
    return tf.random.poisson(shape, tf.constant(lam), **kw)


def _gamma_fn(shape, alpha, **kw):
    return tf.random.gamma(shape, alpha, dtype=tf.as_dtype(alpha.dtype), **kw)


def _stateless_gamma_fn(shape, seed, alpha, **kw):
    return tf.random.stateless_gamma(shape, seed, alpha, dtype=tf.as_dtype(alpha.dtype), **kw)


def _stateless_poisson_fn(shape, seed, lam, **kw):
    return tf.random.stateless_poisson(shape, seed, tf.constant(lam), dtype=tf.int64, **kw)


def _index_samples(rng, dtype):
    t = dtype.as_numpy_dtype
    return [
        Sample([np.arange(10, dtype=t), SEED, np.asarray(9, t)]),
        Sample([np.asarray(3, t), SEED, np.asarray(1000, t)]),
    ]


def _generator_normal(shape, dtype):
    # A fresh generator per call: the same numbers every call, on every device.
    return tf.random.Generator.from_seed(7).normal(shape, dtype=dtype)


STATEFUL = dict(ref=None, grad=False, noncontiguous=False, traced=False, data_dependent_shape=True)
STATELESS = dict(ref=None, grad=False, data_dependent_shape=True)

OPS = [
    OpInfo(
        "random.uniform",
        _placed(tf.random.uniform),
        dtypes=FLOAT,
        samples=_shaped(_int_bounds),
        **STATEFUL,
    ),
    OpInfo(
        "random.uniform_int",
        _placed(tf.random.uniform),
        dtypes=INT32_64,
        samples=_shaped(_int_bounds),
        **STATEFUL,
    ),
    OpInfo("random.normal", _placed(tf.random.normal), dtypes=FLOAT, samples=_shaped(), **STATEFUL),
    OpInfo(
        "random.truncated_normal",
        _placed(tf.random.truncated_normal),
        dtypes=FLOAT,
        samples=_shaped(),
        **STATEFUL,
    ),
    OpInfo(
        "random.categorical",
        _placed(tf.random.categorical),
        dtypes=FLOAT32_64,
        samples=_logits(False),
        result_dtype=lambda d: tf.int64,
        **STATEFUL,
    ),
    OpInfo(
        "random.shuffle",
        _placed(tf.random.shuffle),
        dtypes=FLOAT32_64 + INT32_64 + (tf.bool,),
        samples=_shuffle(False),
        **STATEFUL,
    ),
    OpInfo(
        "random.gamma",
        _placed(_gamma_fn),
        dtypes=(tf.float16, tf.float32, tf.float64),
        samples=_param_samples("alpha", False),
        **STATEFUL,
    ),
    OpInfo(
        "random.poisson",
        _placed(_poisson_fn),
        dtypes=FLOAT32_64,
        samples=_param_samples("lam", False),
        result_dtype=lambda d: tf.float32,
        **STATEFUL,
    ),
    OpInfo(
        "random.stateless_uniform",
        _placed(tf.random.stateless_uniform),
        dtypes=FLOAT,
        samples=_stateless(),
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_uniform_int",
        _placed(tf.random.stateless_uniform),
        dtypes=INT32_64,
        samples=_stateless(lambda d: {"maxval": 9}),
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_uniform_full_int",
        _placed(tf.random.stateless_uniform),
        dtypes=INT32_64 + (tf.uint32, tf.uint64),
        samples=_stateless(lambda d: {"minval": None, "maxval": None}),
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_normal",
        _placed(tf.random.stateless_normal),
        dtypes=FLOAT,
        samples=_stateless(),
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_truncated_normal",
        _placed(tf.random.stateless_truncated_normal),
        dtypes=FLOAT,
        samples=_stateless(),
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_categorical",
        _placed(tf.random.stateless_categorical),
        dtypes=FLOAT32_64,
        samples=_logits(True),
        result_dtype=lambda d: tf.int64,
        **STATELESS,
    ),
    OpInfo(
        "random.experimental.stateless_shuffle",
        _placed(tf.random.experimental.stateless_shuffle),
        dtypes=FLOAT32_64 + INT32_64,
        samples=_shuffle(True),
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_binomial",
        _placed(tf.random.stateless_binomial),
        dtypes=(tf.int32, tf.int64, tf.float32),
        samples=_binomial_samples,
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_poisson",
        _placed(_stateless_poisson_fn),
        dtypes=FLOAT32_64,
        samples=_param_samples("lam", True, shape_ends=True),
        result_dtype=lambda d: tf.int64,
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_gamma",
        _placed(_stateless_gamma_fn),
        dtypes=(tf.float16, tf.float32, tf.float64),
        samples=_param_samples("alpha", True, shape_ends=True),
        **STATELESS,
    ),
    OpInfo(
        "random.stateless_parameterized_truncated_normal",
        _placed(_ptn_fn),
        dtypes=FLOAT32_64,
        samples=_ptn_samples,
        **STATELESS,
    ),
    OpInfo(
        "random.Generator.normal",
        _placed(_generator_normal),
        dtypes=FLOAT32_64,
        samples=_shaped(),
        **STATELESS,
    ),
    OpInfo(
        "random.experimental.index_shuffle",
        _placed(tf.random.experimental.index_shuffle),
        dtypes=(tf.int32, tf.int64, tf.uint32, tf.uint64),
        samples=_index_samples,
        **STATELESS,
    ),
]
