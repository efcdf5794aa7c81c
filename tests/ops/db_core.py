"""Harness rows for the ops the core landed with (arithmetic basics, reshape, sum)."""

import numpy as np

import tensorflux as tf
from tests.ops.harness import (
    BOOL,
    COMPLEX,
    FLOAT,
    FLOAT32_64,
    NUMERIC,
    REAL,
    SIGNED_INT,
    OpInfo,
    Sample,
    make,
)

D = tf


def _reshape_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), [3, 2]]),
        Sample([make(rng, (2, 3), dtype), [-1]]),
        Sample([make(rng, (), dtype), [1, 1]]),
        Sample([make(rng, (0, 3), dtype), [3, 0]]),
    ]


def _sum_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)], {}),
        Sample([make(rng, (2, 3), dtype)], {"axis": 0}),
        Sample([make(rng, (2, 3, 4), dtype)], {"axis": [0, 2], "keepdims": True}),
        Sample([make(rng, (2, 3), dtype)], {"axis": -1}),
        Sample([make(rng, (), dtype)], {}),
        Sample([make(rng, (0, 3), dtype)], {"axis": 0}),
    ]


def _where_samples(rng, dtype):
    return [
        Sample(
            [rng.random((2, 3)) < 0.5, make(rng, (2, 3), dtype), make(rng, (2, 3), dtype)],
            grad=True,
        ),
        Sample([rng.random((3,)) < 0.5, make(rng, (2, 3), dtype), make(rng, (), dtype)]),
    ]


def _stack_samples(rng, dtype):
    return [
        Sample([[make(rng, (2, 3), dtype), make(rng, (2, 3), dtype)]], {"axis": 1}),
        Sample([[make(rng, (), dtype)] * 3]),
    ]


def _stack_fn(values, axis=0):
    return tf.stack([tf.constant(v) for v in values], axis=axis)


OPS = [
    OpInfo("math.add", tf.add, np.add, NUMERIC, arity=2, grad2=True),
    OpInfo("math.subtract", tf.subtract, np.subtract, NUMERIC, arity=2),
    OpInfo("math.multiply", tf.multiply, np.multiply, NUMERIC, arity=2, grad2=True),
    OpInfo(
        "math.truediv",
        tf.truediv,
        np.true_divide,
        FLOAT + COMPLEX,
        arity=2,
        domain=(0.5, 2.0),
        grad2=True,
    ),
    OpInfo("math.maximum", tf.maximum, np.maximum, REAL, arity=2),
    OpInfo("math.minimum", tf.minimum, np.minimum, REAL, arity=2),
    OpInfo("math.negative", tf.negative, np.negative, FLOAT + SIGNED_INT + COMPLEX),
    OpInfo("math.square", tf.square, np.square, NUMERIC, grad2=True),
    OpInfo("math.sqrt", tf.sqrt, np.sqrt, FLOAT + COMPLEX, domain=(0.5, 3.0), grad2=True),
    OpInfo("math.exp", tf.exp, np.exp, FLOAT + COMPLEX, grad2=True),
    OpInfo("math.log", tf.math.log, np.log, FLOAT + COMPLEX, domain=(0.5, 3.0), grad2=True),
    OpInfo("math.sin", tf.sin, np.sin, FLOAT + COMPLEX, grad2=True),
    OpInfo("math.cos", tf.cos, np.cos, FLOAT + COMPLEX, grad2=True),
    OpInfo("math.tanh", tf.tanh, np.tanh, FLOAT + COMPLEX, grad2=True),
    OpInfo("math.sigmoid", tf.sigmoid, lambda x: 1 / (1 + np.exp(-x)), FLOAT32_64, grad2=True),
    OpInfo(
        "math.less", tf.less, np.less, REAL, arity=2, result_dtype=lambda d: tf.bool, grad=False
    ),
    OpInfo(
        "math.equal",
        tf.equal,
        np.equal,
        NUMERIC + BOOL,
        arity=2,
        result_dtype=lambda d: tf.bool,
        grad=False,
    ),
    OpInfo("math.logical_and", tf.logical_and, np.logical_and, BOOL, arity=2, grad=False),
    OpInfo(
        "reshape",
        tf.reshape,
        lambda x, s: np.reshape(x, s),
        NUMERIC + BOOL,
        samples=_reshape_samples,
        grad2=True,
    ),
    OpInfo(
        "reduce_sum",
        tf.reduce_sum,
        lambda x, axis=None, keepdims=False: np.sum(
            x, axis=tuple(axis) if isinstance(axis, list) else axis, keepdims=keepdims
        ),
        FLOAT32_64 + (tf.int32, tf.int64, tf.complex128),
        samples=_sum_samples,
    ),
    OpInfo("where", tf.where, np.where, FLOAT32_64 + (tf.int32,), samples=_where_samples),
    OpInfo(
        "stack",
        _stack_fn,
        lambda values, axis=0: np.stack(values, axis),
        FLOAT32_64 + (tf.int32,),
        samples=_stack_samples,
        grad=False,
    ),
]
