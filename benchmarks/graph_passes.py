"""Graph optimization pipeline: a traced MLP run with and without the passes.

    python benchmarks/graph_passes.py [--repeat 5]

Prints the best per-call time of the executor on the unoptimized graph, after the default passes,
and after the default passes plus elementwise fusion, with node counts and step counts, at a
small size (dispatch overhead dominates) and a large one (NumPy kernels dominate).
A ratio below 1 means the optimized graph is faster. BLAS runs on one thread (override with
OPENBLAS_NUM_THREADS) so that matmul timings stay stable on a shared machine.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import timeit

# One BLAS thread: the matmuls then time the same whatever else loads the machine.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import tensorflux as tf  # noqa: E402
from tensorflux._src.graph.executor import Executor  # noqa: E402
from tensorflux._src.graph.passes.pipeline import OptimizerOptions, optimize  # noqa: E402
from tensorflux._src.graph.trace import InputSpec, trace  # noqa: E402


def _gelu(x):
    c = tf.sqrt(tf.constant(2.0) / tf.constant(math.pi))  # a constant subgraph
    return 0.5 * x * (1.0 + tf.tanh(c * (x + 0.044715 * x * x * x)))


def make_mlp(width: int, depth: int = 3):
    rng = np.random.default_rng(0)
    ws = [tf.constant(rng.standard_normal((width, width)).astype(np.float32) * 0.1)]
    ws *= depth
    bs = [tf.constant(np.zeros(width, np.float32))] * depth

    def mlp(x):
        h = tf.cast(x, tf.float32)  # already float32: the cast is a no-op
        for w, b in zip(ws, bs):
            h = tf.identity(h)
            z = tf.matmul(h, w) + b
            z = z * 1.0  # a scale left at one
            h = _gelu(z)
            mean = tf.reduce_mean(h, axis=-1, keepdims=True)
            var = tf.reduce_mean(tf.square(h - mean), axis=-1, keepdims=True)
            h = (h - mean) * tf.math.rsqrt(var + 1e-5)  # h - mean again: CSE merges it
        return h

    return mlp


def make_elementwise():
    """GELU then a layer norm: elementwise-bound, no matmul."""

    def f(x):
        h = _gelu(x * 1.0)
        mean = tf.reduce_mean(h, axis=-1, keepdims=True)
        var = tf.reduce_mean(tf.square(h - mean), axis=-1, keepdims=True)
        return (h - mean) * tf.math.rsqrt(var + 1e-5)

    return f


def bench(title: str, fn, batch: int, width: int, repeat: int) -> None:
    g, phs, out = trace(fn, [InputSpec([batch, width], tf.float32)])
    x = np.random.default_rng(1).standard_normal((batch, width)).astype(np.float32)
    variants = [("unoptimized", g, phs, [out])]
    g1, o1 = optimize(g, [out], options=OptimizerOptions(fusion=False))
    variants.append(("default passes", g1, g1.inputs, o1))
    stats: list = []
    g2, o2 = optimize(g, [out], options=OptimizerOptions(fusion=True), stats=stats)
    variants.append(("default + fusion", g2, g2.inputs, o2))
    ref = None
    runs = []
    for name, graph, ins, outs in variants:
        ex = Executor(graph, ins, outs)
        (res,) = ex(x)
        ref = res.numpy() if ref is None else ref
        assert np.array_equal(ref, res.numpy()), name  # the passes never change values
        n = max(1, int(0.02 / max(timeit.timeit(lambda: ex(x), number=1), 1e-6)))
        runs.append((name, graph, ex, n, []))
    for _ in range(repeat):  # interleaved, so load from other processes hits every variant
        for _, _, ex, n, times in runs:
            times.append(timeit.timeit(lambda: ex(x), number=n) / n)
    print(f"{title} batch={batch} width={width}")
    base = min(runs[0][4])
    for name, graph, ex, _, times in runs:
        t = min(times)
        print(
            f"  {name:18s} {len(graph.get_operations()):4d} nodes {ex.num_steps:4d} steps "
            f"{t * 1e6:10.1f} us   ratio {t / base:5.2f}"
        )
    total = sum(s.seconds for s in stats) * 1e3
    print(f"  optimizing took {total:.1f} ms: " + "; ".join(str(s) for s in stats if s.changes))


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--repeat", type=int, default=7)
    args = p.parse_args()
    for batch, width in [(8, 32), (64, 256), (512, 1024)]:
        bench("MLP", make_mlp(width), batch, width, args.repeat)
    for batch, width in [(8, 32), (512, 1024)]:
        bench("GELU+layernorm", make_elementwise(), batch, width, args.repeat)


if __name__ == "__main__":
    main()
