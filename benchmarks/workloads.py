"""TensorFlow-API workloads, timed on whichever module `--backend` names.

Run by `benchmarks/run.py` once per backend (tensorflux in this interpreter, TensorFlow in the
interpreter given by --tf-python), both in one run. Each workload is a function of the
`tf` module returning a zero-argument callable; we report the best per-call time over several runs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import timeit

import numpy as np


def eager_add_1x1(tf):
    a, b = tf.constant([[1.0]]), tf.constant([[2.0]])
    return lambda: tf.add(a, b)


def eager_chain_10(tf):
    x, y = tf.constant([[1.0]]), tf.constant([[0.5]])

    def run():
        z = tf.add(x, y)
        z = tf.multiply(z, y)
        z = tf.subtract(z, x)
        z = tf.add(z, y)
        z = tf.multiply(z, x)
        z = tf.subtract(z, y)
        z = tf.add(z, x)
        z = tf.multiply(z, y)
        z = tf.subtract(z, x)
        return tf.add(z, y)

    return run


def taped_chain_10(tf):
    x, y = tf.constant([[1.0]]), tf.constant([[0.5]])

    def run():
        with tf.GradientTape() as tape:
            tape.watch(x)
            z = tf.add(x, y)
            z = tf.multiply(z, y)
            z = tf.subtract(z, x)
            z = tf.add(z, y)
            z = tf.multiply(z, x)
            z = tf.subtract(z, y)
            z = tf.add(z, x)
            z = tf.multiply(z, y)
            z = tf.subtract(z, x)
            z = tf.add(z, y)
        return z

    return run


def empty_tape(tf):
    x = tf.constant([[1.0]])

    def run():
        with tf.GradientTape() as tape:
            tape.watch(x)
        return tape

    return run


def matmul_1024(tf):
    rng = np.random.default_rng(0)
    a = tf.constant(rng.standard_normal((1024, 1024)).astype(np.float32))
    b = tf.constant(rng.standard_normal((1024, 1024)).astype(np.float32))
    return lambda: tf.matmul(a, b)


def reduce_sum_1m(tf):
    x = tf.constant(np.random.default_rng(0).standard_normal((1000, 1000)).astype(np.float32))
    return lambda: tf.reduce_sum(x, axis=1)


def grad_mlp_step(tf):
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((64, 32)).astype(np.float32))
    w1 = tf.Variable(rng.standard_normal((32, 64)).astype(np.float32))
    w2 = tf.Variable(rng.standard_normal((64, 1)).astype(np.float32))

    def run():
        with tf.GradientTape() as tape:
            h = tf.tanh(tf.matmul(x, w1))
            loss = tf.reduce_mean(tf.square(tf.matmul(h, w2)))
        return tape.gradient(loss, [w1, w2])

    return run


def function_call_chain_10(tf):
    x, y = tf.constant([[1.0]]), tf.constant([[0.5]])

    @tf.function
    def f(x, y):
        z = x
        for _ in range(10):
            z = z * y + x
        return z

    f(x, y)
    return lambda: f(x, y)


def function_train_step(tf):
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((64, 32)).astype(np.float32))
    w1 = tf.Variable(rng.standard_normal((32, 64)).astype(np.float32) * 0.1)
    w2 = tf.Variable(rng.standard_normal((64, 1)).astype(np.float32) * 0.1)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            h = tf.tanh(tf.matmul(x, w1))
            loss = tf.reduce_mean(tf.square(tf.matmul(h, w2)))
        g1, g2 = tape.gradient(loss, [w1, w2])
        w1.assign_sub(0.01 * g1)
        w2.assign_sub(0.01 * g2)
        return loss

    step()
    return step


def function_mlp_adam_step(tf):
    """Issue 3's target: an MLP 784-256-256-10 training step with Adam, batch 128, traced."""
    rng = np.random.default_rng(0)
    x = tf.constant(rng.random((128, 784), dtype=np.float32))
    y = tf.constant(rng.integers(0, 10, 128).astype(np.int32))

    def dense(n_in, n_out):
        w = tf.Variable(rng.standard_normal((n_in, n_out)).astype(np.float32) * 0.05)
        return w, tf.Variable(np.zeros(n_out, np.float32))

    params = [*dense(784, 256), *dense(256, 256), *dense(256, 10)]
    opt = tf.keras.optimizers.Adam(1e-3)

    @tf.function
    def step():
        w1, b1, w2, b2, w3, b3 = params
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.matmul(x, w1) + b1)
            h = tf.nn.relu(tf.matmul(h, w2) + b2)
            logits = tf.matmul(h, w3) + b3
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            )
        grads = tape.gradient(loss, params)
        opt.apply_gradients(zip(grads, params))
        return loss

    step()
    return step


def _ops_200(x):
    z = x
    for _ in range(100):
        z = z * 1.0001 + 0.5
    return z


def function_200_ops_call(tf):
    """Issue 3's target: per-call time of a traced function of 200 small ops."""
    x = tf.constant([[1.0]])
    f = tf.function(_ops_200)
    f(x)
    return lambda: f(x)


def function_200_ops_trace(tf):
    """Issue 3's target: trace + first call of a 200-small-op function (a fresh one each time)."""
    x = tf.constant([[1.0]])
    return lambda: tf.function(_ops_200)(x)


WORKLOADS = {
    "eager_add_1x1": eager_add_1x1,
    "eager_chain_10": eager_chain_10,
    "taped_chain_10": taped_chain_10,
    "empty_tape": empty_tape,
    "matmul_1024": matmul_1024,
    "reduce_sum_1000x1000": reduce_sum_1m,
    "grad_mlp_step": grad_mlp_step,
    "function_call_chain_10": function_call_chain_10,
    "function_train_step": function_train_step,
    "function_mlp_adam_step": function_mlp_adam_step,
    "function_200_ops_call": function_200_ops_call,
    "function_200_ops_trace": function_200_ops_trace,
}


def numpy_matmul_1024():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((1024, 1024)).astype(np.float32)
    b = rng.standard_normal((1024, 1024)).astype(np.float32)
    return lambda: np.matmul(a, b)


def best_time(fn, repeat: int = 5, min_time: float = 0.2) -> float:
    """Best seconds per call over `repeat` runs of an auto-ranged number of calls."""
    fn()  # warm up
    timer = timeit.Timer(fn)
    n, _ = timer.autorange()
    n = max(1, int(n * min_time / 0.2))
    return min(timer.repeat(repeat=repeat, number=n)) / n


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--backend", choices=["tensorflux", "tensorflow", "numpy"], required=True)
    p.add_argument("--only", default="")
    args = p.parse_args()
    results = {}
    if args.backend == "numpy":
        results["matmul_1024"] = best_time(numpy_matmul_1024())
    else:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        t0 = time.perf_counter()
        tf = __import__(args.backend)
        results["_import_s"] = time.perf_counter() - t0
        for name, make in WORKLOADS.items():
            if args.only and name not in args.only.split(","):
                continue
            try:
                results[name] = best_time(make(tf))
            except Exception as e:  # a workload that needs an API not landed yet
                results[name] = f"error: {type(e).__name__}: {e}"
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
