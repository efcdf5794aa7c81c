"""Runs benchmarks/workloads.py on tensorflux and (given --tf-python) TensorFlow; prints ratios.

    python benchmarks/run.py [--tf-python /path/to/tf-venv/bin/python] [--only a,b]

Each backend runs in its own subprocess, one after the other, on the same machine in one run.
A ratio below 1 means tensorflux is faster. Results are also written to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def run_backend(python: str, backend: str, only: str) -> dict:
    cmd = [python, os.path.join(HERE, "workloads.py"), "--backend", backend]
    if only:
        cmd += ["--only", only]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=os.path.dirname(HERE))
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_time(python: str, module: str, n: int = 3) -> float:
    best = float("inf")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=os.path.dirname(HERE))
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run([python, "-c", f"import {module}"], check=True, env=env, capture_output=True)
        best = min(best, time.perf_counter() - t0)
    return best


def fmt(v) -> str:
    if isinstance(v, str):
        return v[:40]
    if v >= 1e-3:
        return f"{v * 1e3:9.3f} ms"
    return f"{v * 1e6:9.2f} us"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--tf-python", default=os.environ.get("TF_PYTHON"))
    p.add_argument("--only", default="")
    args = p.parse_args()
    tfx = run_backend(sys.executable, "tensorflux", args.only)
    ref = run_backend(args.tf_python, "tensorflow", args.only) if args.tf_python else {}
    npy = run_backend(sys.executable, "numpy", "")
    tfx["import (subprocess)"] = import_time(sys.executable, "tensorflux")
    if args.tf_python:
        ref["import (subprocess)"] = import_time(args.tf_python, "tensorflow", n=1)
    print(f"{'workload':24s} {'tensorflux':>14s} {'tensorflow':>14s} {'ratio':>8s}")
    for name, v in tfx.items():
        if name.startswith("_"):
            continue
        r = ref.get(name)
        ratio = f"{v / r:8.2f}" if isinstance(v, float) and isinstance(r, float) else ""
        print(f"{name:24s} {fmt(v):>14s} {fmt(r) if r is not None else '':>14s} {ratio}")
    if isinstance(tfx.get("matmul_1024"), float):
        print(f"matmul_1024 vs NumPy's own GEMM: {tfx['matmul_1024'] / npy['matmul_1024']:.3f}x")
    if isinstance(tfx.get("taped_chain_10"), float) and isinstance(
        tfx.get("eager_chain_10"), float
    ):
        per_op = (tfx["taped_chain_10"] - tfx.get("empty_tape", 0) - tfx["eager_chain_10"]) / 10
        print(f"GradientTape overhead per recorded op: {per_op * 1e6:.2f} us")
    os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    with open(os.path.join(HERE, "results", f"{stamp}.json"), "w") as f:
        json.dump(
            {"machine": platform.platform(), "tensorflux": tfx, "tensorflow": ref, "numpy": npy},
            f,
            indent=1,
        )


if __name__ == "__main__":
    main()
