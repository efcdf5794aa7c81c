"""Threads for tf.data: the shared pool (parallel map), prefetch and background iterators.

Upstream iterators are only ever advanced by one thread at a time: parallel map pulls its inputs
on the consumer thread and hands chunks to the pool; prefetch and `background` own a dedicated
thread that is the only one advancing the upstream iterator. Errors travel to the consumer as
exception objects and are re-raised there, keeping the worker's traceback.
"""

from __future__ import annotations

import collections
import concurrent.futures as _futures
import itertools
import os
import queue
import threading
import time

from tensorflux._src.data import dataset as _ds
from tensorflux._src.data.dataset import AUTOTUNE, DatasetV2

_POOL = None
_POOL_LOCK = threading.Lock()
_CHUNK = 32  # elements per pool task: amortizes the hand-off (~20 us) over several calls


def pool_size() -> int:
    from tensorflux._src.core import context as _context

    n = _context.INTER_OP_THREADS[0]
    return n if n > 0 else (os.cpu_count() or 1)


def get_pool() -> _futures.ThreadPoolExecutor:
    global _POOL
    if _POOL is None:
        with _POOL_LOCK:
            if _POOL is None:
                _POOL = _futures.ThreadPoolExecutor(
                    max_workers=pool_size(), thread_name_prefix="tfx_data"
                )
    return _POOL


def _run_chunk(fn, items):
    out = []
    try:
        for x in items:
            out.append(fn(x))
    except BaseException as e:  # noqa: BLE001 - handed to the consumer thread
        return out, e
    return out, None


def parallel_map(inputs, fn, parallelism: int, deterministic: bool, threads=None):
    """`map(fn, inputs)` computed on the pool, `parallelism` tasks in flight.

    AUTOTUNE times a stretch computed in-line against one computed on the pool and keeps the
    faster: with small elements the GIL makes threads a loss, with heavy NumPy kernels a gain.
    `threads` (Options.threading.private_threadpool_size) gives the pipeline its own pool.
    """
    if threads:
        return _private(inputs, fn, parallelism, deterministic, threads)
    if parallelism == AUTOTUNE or parallelism <= 0:
        if pool_size() == 1:
            return map(fn, inputs)
        return _autotuned_map(iter(inputs), fn, deterministic)
    return _parallel_map(iter(inputs), fn, max(1, parallelism), deterministic)


def _private(inputs, fn, parallelism, deterministic, threads):
    pool = _futures.ThreadPoolExecutor(max_workers=threads, thread_name_prefix="tfx_data_private")
    n = threads if parallelism == AUTOTUNE or parallelism <= 0 else parallelism
    try:
        yield from _parallel_map(iter(inputs), fn, n, deterministic, pool)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


_PROBE = 256  # elements per timed stretch


def _autotuned_map(inputs, fn, deterministic):
    t0 = time.perf_counter()
    n0 = 0
    for x in itertools.islice(inputs, _PROBE):
        yield fn(x)
        n0 += 1
    if n0 < _PROBE:
        return
    inline = (time.perf_counter() - t0) / n0
    t1 = time.perf_counter()
    n1 = 0
    probe = _parallel_map(itertools.islice(inputs, 4 * _PROBE), fn, pool_size(), deterministic)
    for y in probe:
        yield y
        n1 += 1
    if n1 == 0:
        return
    pooled = (time.perf_counter() - t1) / n1
    if pooled < inline * 0.9:
        yield from _parallel_map(inputs, fn, pool_size(), deterministic)
    else:
        yield from map(fn, inputs)


def _parallel_map(inputs, fn, parallelism, deterministic, pool=None):
    pool = pool or get_pool()
    pending: collections.deque = collections.deque()
    exhausted = False
    chunk = 1 if parallelism == 1 else _CHUNK
    try:
        while True:
            while not exhausted and len(pending) < parallelism:
                items = list(itertools.islice(inputs, chunk))
                if not items:
                    exhausted = True
                    break
                pending.append(pool.submit(_run_chunk, fn, items))
            if not pending:
                return
            if deterministic:
                fut = pending.popleft()
            else:
                done, _ = _futures.wait(pending, return_when=_futures.FIRST_COMPLETED)
                fut = next(f for f in pending if f in done)
                pending.remove(fut)
            results, err = fut.result()
            yield from results
            if err is not None:
                raise err
    finally:
        for f in pending:
            f.cancel()


_END = object()


class _Background:
    """Runs an iterator on its own daemon thread, `size` elements ahead of the consumer."""

    def __init__(self, it, size: int):
        self._queue: queue.Queue = queue.Queue(maxsize=max(1, size))
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=_produce,
            args=(iter(it), self._queue, self._stop),
            daemon=True,
            name="tfx_data_prefetch",
        )
        self._thread.start()
        self._done = False

    def __iter__(self):
        return self

    def __next__(self):
        if self._done:
            raise StopIteration
        item = self._queue.get()
        if item is _END:
            self._done = True
            self._thread.join()
            raise StopIteration
        if type(item) is _Error:
            self._done = True
            self._thread.join()
            raise item.error
        return item

    def close(self) -> None:
        self._done = True
        self._stop.set()
        # Unblock a producer waiting on a full queue.
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.05)
            except queue.Empty:
                pass
        self._thread.join()

    def __del__(self):
        if not self._done:
            self._stop.set()
            try:
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass


class _Error:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def _produce(it, q, stop):
    try:
        for item in it:
            while True:
                if stop.is_set():
                    return
                try:
                    q.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if stop.is_set():
                return
        q.put(_END)
    except BaseException as e:  # noqa: BLE001 - re-raised in the consumer
        q.put(_Error(e))
    finally:
        close = getattr(it, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # noqa: BLE001
                pass


def background(it, size: int):
    return _Background(it, size)


def _generator(bg):
    try:
        yield from bg
    finally:
        bg.close()


class PrefetchDataset(DatasetV2):
    def __init__(self, input_dataset, buffer_size):
        self._input = _ds.check_dataset(input_dataset, "input_dataset")
        self._inputs = (input_dataset,)
        self._spec = input_dataset.element_spec
        self._size = _ds.to_int(buffer_size)
        if self._size < 0 and self._size != AUTOTUNE:
            raise ValueError(f"buffer_size must be non-negative or AUTOTUNE, got {self._size}")

    def _iter(self):
        if self._size == 0 or _ds.DEBUG_MODE[0]:
            return self._input._iter()
        size = 8 if self._size == AUTOTUNE else self._size
        return _generator(_Background(self._input._iter(), size))

    def _cardinality(self) -> int:
        return self._input._cardinality()


def live_threads() -> list:
    """The tf.data threads alive now (prefetch and background readers); for tests."""
    return [t for t in threading.enumerate() if t.name == "tfx_data_prefetch"]
