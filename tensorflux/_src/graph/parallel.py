"""Inter-op parallelism for compiled CPU plans: independent heavy ops run on a thread pool.

NumPy releases the GIL inside BLAS and large ufunc loops, so two independent matrix products (the
two gradients of a MatMul, parallel branches of a model) can overlap. The plan stays straight-line
code in program order; a heavy pure step is *submitted* instead of called, its slot holding a
future that the first reader in the main thread resolves (workers resolve futures they read
themselves, which cannot deadlock: a task only waits on tasks submitted before it). Stateful ops
always run on the main thread in program order. A plan uses the pool only when it has at least
two heavy steps neither of which depends on the other, and only when
`tf.config.threading.set_inter_op_parallelism_threads(n)` asked for n >= 2 threads (see
`pool_size` for why the default is off).
"""

from __future__ import annotations

import concurrent.futures
import threading

import numpy as np

from tensorflux._src.core import context as _context

# Flops below which handing a step to another thread costs more than it saves.
MIN_FLOPS = 2_000_000

_HEAVY = {
    "MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3", "Conv2D", "Conv2DBackpropInput",
    "Conv2DBackpropFilter", "Conv3D", "DepthwiseConv2dNative",
}  # fmt: skip

_pool = None
_pool_lock = threading.Lock()


def pool_size() -> int:
    """Threads for inter-op parallelism: the explicit setting; off (1) by default.

    Measured on a 2-core machine, overlapping matrix products lost to NumPy's own multi-threaded
    BLAS (MLP training step 2.2 ms vs 1.75 ms) and won only with a single-threaded BLAS (three
    256x512x512 products 3.5 ms vs 4.8 ms), so the pool is used only when asked for.
    """
    n = int(_context.INTER_OP_THREADS[0] or 0)
    return n if n > 1 else 1


def get_pool():
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=pool_size(), thread_name_prefix="tfx-interop"
            )
        return _pool


def _dims(t):
    shape = t.shape
    if shape.rank is None:
        return None
    dims = shape.as_list()
    return None if any(d is None for d in dims) else dims


def flops(op) -> int:
    """A rough static cost of `op` (0 when unknown or cheap)."""
    if op.type not in _HEAVY or len(op.outputs) != 1:
        return 0
    out = _dims(op.outputs[0])
    if out is None:
        return 0
    size = int(np.prod(out)) if out else 1
    if op.type in ("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3"):
        a = _dims(op.inputs[0])
        if a is None or len(a) < 2:
            return 0
        adj = op.attrs.get("transpose_a", op.attrs.get("adj_x", False))
        k = a[-2] if adj else a[-1]
        return 2 * size * k
    if op.type in ("Conv2D", "Conv3D", "DepthwiseConv2dNative"):
        f = _dims(op.inputs[1])
        return 2 * size * int(np.prod(f[:-1])) if f else 0
    if op.type == "Conv2DBackpropInput":
        f = _dims(op.inputs[1])
        return 2 * size * int(np.prod(f[:-2])) * f[-1] if f else 0
    if op.type == "Conv2DBackpropFilter":
        g = _dims(op.inputs[2])
        return 2 * size * int(np.prod(g[:-1])) if g else 0
    return 0


def choose_parallel(steps, is_pure) -> set:
    """Indices of steps worth submitting: heavy, pure, and independent of another heavy step."""
    if pool_size() < 2:
        return set()
    heavy = [i for i, st in enumerate(steps) if is_pure(st.op) and flops(st.op) >= MIN_FLOPS]
    if len(heavy) < 2:
        return set()
    producer = {}
    for i, st in enumerate(steps):
        for k in st.outs:
            producer[k] = i
    # ancestors of each heavy step among the heavy steps (bitmask over heavy positions)
    pos = {i: j for j, i in enumerate(heavy)}
    anc: dict[int, int] = {}
    for i, st in enumerate(steps):
        mask = 0
        for k in st.ins:
            p = producer.get(k)
            if p is not None:
                mask |= anc.get(p, 0)
                if p in pos:
                    mask |= 1 << pos[p]
        anc[i] = mask
    chosen = set()
    for a in heavy:
        for b in heavy:
            if a < b and not (anc[b] >> pos[a]) & 1:
                chosen.update((a, b))
    return chosen


class StepFailed(Exception):
    """A submitted step raised; carries the step index for error reporting."""

    def __init__(self, index, error):
        super().__init__(str(error))
        self.index = index
        self.error = error


def make_submit(index, kernel, attrs):
    """`submit(xp, *args)` -> future of `kernel(xp, *args, **attrs)`; future args are awaited."""
    pool = get_pool()
    Future = concurrent.futures.Future

    def call(xp, args):
        args = [a.result() if isinstance(a, Future) else a for a in args]
        try:
            return kernel(xp, *args, **attrs)
        except Exception as e:  # noqa: BLE001 - re-raised with the step index
            raise StepFailed(index, e) from e

    def submit(xp, *args):
        return pool.submit(call, xp, args)

    return submit
