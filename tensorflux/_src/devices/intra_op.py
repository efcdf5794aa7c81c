"""Intra-op parallelism for large CPU kernels: a batch split across threads.

NumPy releases the GIL inside its loops, so the halves of a large kernel (a max-pool gradient,
an im2col copy, a scatter-add) run at the same time on two cores. BLAS calls are threaded by
BLAS itself; the parts of a kernel around them are not, and on a 2-core machine they were half
of a convolutional training step. `tf.config.threading.set_intra_op_parallelism_threads(n)`
sets the thread count (0: one per CPU core; 1: off).
"""

from __future__ import annotations

import concurrent.futures
import os
import threading

# Below this many elements of work, a thread handoff (~20-50 us) costs more than it saves.
MIN_ELEMS = 1 << 17

_threads = [0]
_pool = None
_lock = threading.Lock()
_local = threading.local()


def set_threads(n: int) -> None:
    """Threads a kernel may split over (0: one per CPU core)."""
    global _pool
    with _lock:
        _threads[0] = int(n)
        if _pool is not None:
            _pool.shutdown(wait=False)
            _pool = None


def threads() -> int:
    return _threads[0] or (os.cpu_count() or 1)


def _get_pool(n: int):
    global _pool
    with _lock:
        if _pool is None:
            _pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=n - 1, thread_name_prefix="tfx-intraop", initializer=_mark_worker
            )
        return _pool


def _mark_worker() -> None:
    _local.worker = True


def ranges(n: int, elems: int) -> list:
    """Batch ranges `[(start, stop), ...]` to run in parallel: one range when not worth it."""
    t = min(threads(), n)
    if t < 2 or elems < MIN_ELEMS or getattr(_local, "worker", False):
        return [(0, n)]
    step, extra = divmod(n, t)
    out, s = [], 0
    for i in range(t):
        e = s + step + (1 if i < extra else 0)
        out.append((s, e))
        s = e
    return out


def run(fn, parts: list) -> list:
    """`[fn(s, e) for (s, e) in parts]`, the parts after the first on the pool."""
    if len(parts) == 1:
        return [fn(*parts[0])]
    pool = _get_pool(threads())
    futures = [pool.submit(fn, s, e) for s, e in parts[1:]]
    first = fn(*parts[0])
    return [first] + [f.result() for f in futures]
