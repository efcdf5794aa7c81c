"""Keras workloads of issue 4, tensorflux vs TensorFlow: `model.fit` on an MLP (784-256-256-10
relu, Adam, sparse categorical cross-entropy, accuracy; 100 steps of batch 128), a CNN training
step (Conv2D 32, MaxPool, Conv2D 64, MaxPool, Dense 128, Dense 10 on 28x28x1, batch 64), an
LSTM(128) training step over 50 steps (batch 64), and an eager custom-loop MLP step
(GradientTape + optimizer.apply_gradients).

    python benchmarks/keras_bench.py [--tf-python /path/to/tf-venv/bin/python] [--repeat 3]

Each backend runs in its own subprocess. Reported: the first `fit` (tracing included) and the best
steady-state `fit` of 100 steps (train function already built), plus `evaluate` and `predict`.
A ratio below 1 means tensorflux is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
STEPS, BATCH = 100, 128


def workload(backend: str, repeat: int) -> dict:
    if backend == "tensorflow":
        import tensorflow as tf
    else:
        import tensorflux as tf
    keras = tf.keras
    layers = keras.layers
    rng = np.random.default_rng(0)
    x = rng.standard_normal((STEPS * BATCH, 784)).astype("float32")
    y = rng.integers(0, 10, STEPS * BATCH).astype("int64")
    model = keras.Sequential([
        keras.Input((784,)),
        layers.Dense(256, activation="relu"),
        layers.Dense(256, activation="relu"),
        layers.Dense(10),
    ])  # fmt: skip
    model.compile(
        optimizer="adam",
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    out = {}
    t0 = time.perf_counter()
    model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
    out["fit_first_call"] = time.perf_counter() - t0
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        model.fit(x, y, batch_size=BATCH, epochs=1, verbose=0)
        best = min(best, time.perf_counter() - t0)
    out["fit_100_steps"] = best
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        model.evaluate(x, y, batch_size=BATCH, verbose=0)
        best = min(best, time.perf_counter() - t0)
    out["evaluate_100_steps"] = best
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        model.predict(x, batch_size=BATCH, verbose=0)
        best = min(best, time.perf_counter() - t0)
    out["predict_100_steps"] = best
    out.update(_models(tf, repeat))
    return out


def _best_step(fn, repeat, n=10):
    fn()
    fn()
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        best = min(best, (time.perf_counter() - t0) / n)
    return best


def _models(tf, repeat) -> dict:
    keras = tf.keras
    layers = keras.layers
    rng = np.random.default_rng(1)
    out = {}
    cnn = keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"), layers.MaxPooling2D(),
        layers.Flatten(), layers.Dense(128, activation="relu"), layers.Dense(10),
    ])  # fmt: skip
    cnn.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    xi = rng.random((64, 28, 28, 1), dtype=np.float32)
    yi = rng.integers(0, 10, 64)
    out["cnn_train_step"] = _best_step(lambda: cnn.train_on_batch(xi, yi), repeat)
    lstm = keras.Sequential([keras.Input((50, 32)), layers.LSTM(128), layers.Dense(10)])
    lstm.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    xs = rng.random((64, 50, 32), dtype=np.float32)
    out["lstm_train_step"] = _best_step(lambda: lstm.train_on_batch(xs, yi), repeat, n=5)
    mlp = keras.Sequential([
        keras.Input((784,)), layers.Dense(256, activation="relu"),
        layers.Dense(256, activation="relu"), layers.Dense(10),
    ])  # fmt: skip
    opt = keras.optimizers.Adam()
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    xm = tf.constant(rng.random((128, 784), dtype=np.float32))
    ym = tf.constant(rng.integers(0, 10, 128))

    def eager_step():
        with tf.GradientTape() as tape:
            loss = loss_fn(ym, mlp(xm, training=True))
        grads = tape.gradient(loss, mlp.trainable_variables)
        opt.apply_gradients(zip(grads, mlp.trainable_variables))

    out["eager_custom_loop_step"] = _best_step(eager_step, repeat)
    return out


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tf-python", default=os.environ.get("TF_PYTHON"))
    p.add_argument("--backend", default=None)
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    if args.backend:
        print(json.dumps(workload(args.backend, args.repeat)))
        return
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=os.path.dirname(HERE))

    def run(python, backend):
        cmd = [python, os.path.abspath(__file__), "--backend", backend,
               "--repeat", str(args.repeat)]  # fmt: skip
        res = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
        return json.loads(res.stdout.strip().splitlines()[-1])

    tfx = run(sys.executable, "tensorflux")
    ref = run(args.tf_python, "tensorflow") if args.tf_python else {}
    print(f"{'workload':22s} {'tensorflux':>12s} {'tensorflow':>12s} {'ratio':>7s}")
    for k, v in tfx.items():
        r = ref.get(k)
        ratio = f"{v / r:7.2f}" if r else ""
        rs = f"{r * 1e3:9.1f} ms" if r else ""
        print(f"{k:22s} {v * 1e3:9.1f} ms {rs:>12s} {ratio}")


if __name__ == "__main__":
    main()
