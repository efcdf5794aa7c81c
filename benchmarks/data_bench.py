"""tf.data throughput: the same pipelines on tensorflux and (given --tf-python) TensorFlow.

    python benchmarks/data_bench.py [--tf-python /path/to/tf-venv/bin/python] [--only a,b]

Each backend runs in its own subprocess, one after the other, in one run. Numbers are elements
per second (best of several full passes after a warm-up pass, best of `--rounds` alternating
runs); a ratio above 1 means tensorflux is faster. Results are also written to
benchmarks/results/data-<stamp>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
N, D = 100_000, 128


def _source(tf):
    x = np.random.RandomState(0).rand(N, D).astype(np.float32)
    return tf.data.Dataset.from_tensor_slices(x)


def map_batch_prefetch(tf):
    """The issue's target: slices -> map(x*2+1, AUTOTUNE) -> batch(256) -> prefetch."""
    return (
        _source(tf)
        .map(lambda v: v * 2.0 + 1.0, num_parallel_calls=tf.data.AUTOTUNE)
        .batch(256)
        .prefetch(tf.data.AUTOTUNE)
    ), N


def map_batch_prefetch_unfused(tf):
    """The same with map+batch fusion off: one traced-function call per element."""
    ds, n = map_batch_prefetch(tf)
    opts = tf.data.Options()
    opts.experimental_optimization.map_and_batch_fusion = False
    return ds.with_options(opts), n


def map_norm_batch(tf):
    """A map that reduces (not element-wise): per-element calls on both sides."""
    return (
        _source(tf)
        .map(lambda v: v / tf.norm(v), num_parallel_calls=tf.data.AUTOTUNE)
        .batch(256)
        .prefetch(tf.data.AUTOTUNE)
    ), N


def slices_batch(tf):
    return _source(tf).batch(256), N


def shuffle_batch(tf):
    n = 50_000
    return tf.data.Dataset.range(n).shuffle(1000, seed=1).batch(32), n


def dict_map_filter(tf):
    n = 20_000
    ds = tf.data.Dataset.from_tensor_slices({"a": np.arange(n), "b": np.ones(n, np.float32)})
    ds = ds.map(lambda d: {"a": d["a"] * 2, "b": d["b"] + 1.0}).filter(lambda d: d["a"] % 3 == 0)
    return ds, n


def tfrecord_write_read_parse(tf):
    """The issue's I/O target: build and write 20k Examples to a TFRecord file, read them back
    in batches of 500 and parse_example them (records/s of the whole round trip)."""
    import tempfile

    n = 20_000
    path = os.path.join(tempfile.mkdtemp(), "bench.tfrecord")
    rng = np.random.default_rng(0)
    feats = rng.random((n, 16), dtype=np.float32)
    spec = {
        "x": tf.io.FixedLenFeature([16], tf.float32),
        "label": tf.io.FixedLenFeature([], tf.int64),
        "name": tf.io.FixedLenFeature([], tf.string),
    }

    def run():
        T = tf.train
        with tf.io.TFRecordWriter(path) as w:
            for i in range(n):
                ex = T.Example(features=T.Features(feature={
                    "x": T.Feature(float_list=T.FloatList(value=feats[i])),
                    "label": T.Feature(int64_list=T.Int64List(value=[i % 10])),
                    "name": T.Feature(bytes_list=T.BytesList(value=[b"item%d" % i])),
                }))  # fmt: skip
                w.write(ex.SerializeToString())
        ds = tf.data.TFRecordDataset(path).batch(500).map(
            lambda b: tf.io.parse_example(b, spec))
        for _ in ds:
            pass

    return run, n


WORKLOADS = {
    f.__name__: f
    for f in (
        map_batch_prefetch,
        map_batch_prefetch_unfused,
        map_norm_batch,
        slices_batch,
        shuffle_batch,
        dict_map_filter,
        tfrecord_write_read_parse,
    )
}


def _time(ds, n, repeats: int) -> float:
    # A dataset is iterated; a callable (a whole write/read round trip) is called.
    run = ds if callable(ds) else lambda: [None for _ in ds]
    run()  # warm-up pass: traces, thread start, caches
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - t0)
    return n / best


def run_here(backend: str, only: str) -> dict:
    if backend == "tensorflow":
        import tensorflow as tf
    else:
        import tensorflux as tf
    out = {}
    for name, fn in WORKLOADS.items():
        if only and name not in only.split(","):
            continue
        ds, n = fn(tf)
        out[name] = _time(ds, n, 3)
    return out


def run_backend(python: str, backend: str, only: str) -> dict:
    cmd = [python, os.path.abspath(__file__), "--backend", backend]
    if only:
        cmd += ["--only", only]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=os.path.dirname(HERE))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tf-python", default=os.environ.get("TF_PYTHON"))
    p.add_argument("--only", default="")
    p.add_argument("--backend", default=None)
    p.add_argument("--rounds", type=int, default=2, help="alternating runs; best one kept")
    args = p.parse_args()
    if args.backend:
        print(json.dumps(run_here(args.backend, args.only)))
        return
    tfx: dict = {}
    ref: dict = {}
    for _ in range(args.rounds):  # alternate backends so a busy spell hits both alike
        for out, python, backend in ((tfx, sys.executable, "tensorflux"),
                                     (ref, args.tf_python, "tensorflow")):  # fmt: skip
            if python:
                for k, v in run_backend(python, backend, args.only).items():
                    out[k] = max(out.get(k, 0.0), v)
    print(f"{'workload (elements/s)':28s} {'tensorflux':>12s} {'tensorflow':>12s} {'ratio':>7s}")
    for name, v in tfx.items():
        r = ref.get(name)
        ratio = f"{v / r:7.2f}" if r else ""
        print(f"{name:28s} {v:12,.0f} {r if r is None else format(r, '12,.0f'):>12} {ratio}")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with open(os.path.join(HERE, "results", f"data-{stamp}.json"), "w") as f:
        json.dump(
            {"machine": platform.platform(), "tensorflux": tfx, "tensorflow": ref}, f, indent=1
        )


if __name__ == "__main__":
    main()
