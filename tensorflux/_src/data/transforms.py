"""Dataset transformations: map, filter, batch, shuffle, repeat, take, window, scan, ..."""

from __future__ import annotations

import itertools
import logging
import os

import numpy as np

from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.data import dataset as _ds
from tensorflux._src.data.batching import WindowSpec
from tensorflux._src.data.dataset import (
    AUTOTUNE,
    INFINITE,
    UNKNOWN,
    DatasetV2,
    ListDataset,
    StructuredFunction,
    UnaryDataset,
    wrap,
)
from tensorflux._src.tensor import EagerTensor, Tensor
from tensorflux._src.tensor_spec import TensorSpec

_log = logging.getLogger("tensorflux")


def _seed_value(seed):
    """The seed a random transformation uses: its own, else one derived from tf.random's."""
    from tensorflux._src.ops import random_ops

    if isinstance(seed, Tensor):
        seed = int(seed.numpy())
    g, s = random_ops.get_seed(seed)
    if g is None:
        return None
    return (int(g) * 1000003 + int(s)) & 0x7FFFFFFFFFFFFFFF


class MapDataset(UnaryDataset):
    def __init__(self, input_dataset, map_func, num_parallel_calls=None, deterministic=None):
        super().__init__(input_dataset)
        self._fn = StructuredFunction(map_func, input_dataset.element_spec, "map")
        self._spec = self._fn.output_spec
        if num_parallel_calls is not None:
            num_parallel_calls = _ds.to_int(num_parallel_calls)
            if num_parallel_calls <= 0 and num_parallel_calls != AUTOTUNE:
                raise ValueError(
                    f"num_parallel_calls must be positive or tf.data.AUTOTUNE, got "
                    f"{num_parallel_calls}."
                )
        self._parallel = num_parallel_calls
        self._deterministic = deterministic

    def _iter(self):
        fn = self._fn
        if self._parallel is None or self._parallel == 1 or _ds.DEBUG_MODE[0]:
            return map(fn, self._input._iter())
        from tensorflux._src.data import parallel

        det = _deterministic(self, self._deterministic)
        opts = self._pipeline_options or self.options()
        threads = opts.threading.private_threadpool_size
        return parallel.parallel_map(self._input._iter(), fn, self._parallel, det, threads)

    def _blocks(self, n, drop_remainder):
        if _ds.DEBUG_MODE[0] or not _fusion_enabled(self) or not self._fn.vectorizable:
            return None
        blocks = self._input._blocks(n, drop_remainder)
        if blocks is None:
            return None
        call = self._fn.call_flat
        dts = [s.dtype for s in nest.flatten(self._input.element_spec)]
        return ([t._value for t in call([wrap(a, d) for a, d in zip(b, dts)])] for b in blocks)


def _deterministic(ds, flag) -> bool:
    if flag is not None:
        return bool(flag)
    det = (ds._pipeline_options or ds.options()).deterministic
    return True if det is None else bool(det)


def _fusion_enabled(ds) -> bool:
    opts = ds._pipeline_options or ds.options()
    opt = opts.experimental_optimization.map_and_batch_fusion
    return opt is None or bool(opt)


def _predicate(predicate, spec, what):
    fn = StructuredFunction(predicate, spec, what)
    out = fn.output_spec
    if (
        not isinstance(out, TensorSpec)
        or out.dtype != dtypes.bool
        or out.shape.rank not in (0, None)
    ):
        raise ValueError(
            f"Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, but its "
            f"return type is {out}."
        )
    return fn


class FilterDataset(UnaryDataset):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = _predicate(predicate, input_dataset.element_spec, "filter")

    def _iter(self):
        fn = self._fn
        for elem in self._input._iter():
            if fn(elem)._value:
                yield elem

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


def _dataset_fn(func, spec, what):
    fn_out = []

    def call(*args):
        ds = func(*args)
        if not isinstance(ds, DatasetV2):
            raise TypeError(f"The function passed to `{what}` must return a `tf.data.Dataset`.")
        fn_out.append(ds)
        return ds

    probe = _unpacked(spec)
    with _eager():
        ds = call(*probe)
    return call, ds.element_spec


def _unpacked(spec):
    """A stand-in element of `spec` (zeros; empty datasets for window components)."""

    def one(s):
        if isinstance(s, WindowSpec):
            return ListDataset([], s.element_spec)
        return _ds.zeros_like_spec(s)

    elem = nest.map_structure(one, spec)
    return elem if type(elem) is tuple else (elem,)


def _eager():
    from tensorflux._src.core import context as _context

    class _Scope:
        def __enter__(self):
            self._a = _context.eager_scope()
            self._b = _context.pause_tapes()
            self._a.__enter__()
            self._b.__enter__()

        def __exit__(self, *exc):
            self._b.__exit__(*exc)
            self._a.__exit__(*exc)

    return _Scope()


class FlatMapDataset(UnaryDataset):
    """Map functions returning datasets run per element in Python (their result is a dataset
    object, not tensors), so their side effects run per element."""

    def __init__(self, input_dataset, map_func):
        super().__init__(input_dataset)
        self._func = map_func
        self._call, self._spec = _dataset_fn(map_func, input_dataset.element_spec, "flat_map")

    def _inner(self, elem):
        return self._call(*(elem if type(elem) is tuple else (elem,)))

    def _iter(self):
        for elem in self._input._iter():
            yield from self._inner(elem)._iter()

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


class InterleaveDataset(FlatMapDataset):
    def __init__(
        self,
        input_dataset,
        map_func,
        cycle_length=None,
        block_length=None,
        num_parallel_calls=None,
        deterministic=None,
    ):
        super().__init__(input_dataset, map_func)
        cycle = _ds.to_int(cycle_length) if cycle_length is not None else AUTOTUNE
        self._cycle = (os.cpu_count() or 1) if cycle == AUTOTUNE else cycle
        if self._cycle <= 0:
            raise errors.InvalidArgumentError(None, None, "cycle_length must be > 0")
        self._block = _ds.to_int(block_length) if block_length is not None else 1
        if self._block <= 0:
            raise errors.InvalidArgumentError(None, None, "block_length must be > 0")
        self._parallel = num_parallel_calls
        self._deterministic = deterministic

    def _iter(self):
        inputs = self._input._iter()
        parallel = self._parallel is not None and _ds.to_int(self._parallel) != 1
        parallel = parallel and not _ds.DEBUG_MODE[0]
        if parallel:
            from tensorflux._src.data import parallel as _par

            def open_one(elem):  # each input's dataset is read ahead on its own thread
                return _par.background(self._inner(elem)._iter(), 2)
        else:

            def open_one(elem):
                return iter(self._inner(elem)._iter())

        # TensorFlow's order: visit slots round-robin; an empty slot opens the next input; an
        # iterator that ends frees its slot and the cycle moves on.
        slots: list = [None] * self._cycle
        exhausted = False
        pos = 0
        try:
            while True:
                it = slots[pos]
                if it is None and not exhausted:
                    try:
                        it = slots[pos] = open_one(next(inputs))
                    except StopIteration:
                        exhausted = True
                if it is None:
                    if exhausted and all(s is None for s in slots):
                        return
                    pos = (pos + 1) % self._cycle
                    continue
                for _ in range(self._block):
                    try:
                        elem = next(it)
                    except StopIteration:
                        _close_it(it)
                        slots[pos] = None
                        break
                    yield elem
                pos = (pos + 1) % self._cycle
        finally:
            for it in slots:
                if it is not None:
                    _close_it(it)


def _close_it(it):
    close = getattr(it, "close", None)
    if close is not None:
        close()


class ShuffleDataset(UnaryDataset):
    def __init__(self, input_dataset, buffer_size, seed=None, reshuffle_each_iteration=True):
        super().__init__(input_dataset)
        self._buffer = _ds.to_int(buffer_size)
        if self._buffer <= 0 and self._buffer != UNKNOWN:
            raise errors.InvalidArgumentError(
                None, None, "buffer_size must be greater than zero or UNKNOWN_CARDINALITY"
            )
        self._seed = _seed_value(seed)
        self._reshuffle = (
            True if reshuffle_each_iteration is None else bool(reshuffle_each_iteration)
        )
        self._epoch = 0

    def _rng(self):
        self._epoch += 1
        if self._seed is None:
            return np.random.default_rng()
        return np.random.default_rng([self._seed, self._epoch if self._reshuffle else 0])

    def _iter(self):
        rng = self._rng()
        size = self._buffer if self._buffer > 0 else None  # UNKNOWN: the whole input
        it = self._input._iter()
        buf = list(itertools.islice(it, size))
        n = len(buf)
        # Random slots drawn 1024 at a time (a per-element Generator call costs more than the
        # rest of the step); a float in [0, 1) times the buffer length picks a slot uniformly.
        draws = iter(())
        for elem in it:
            u = next(draws, None)
            if u is None:
                draws = iter((rng.random(1024) * n).astype(np.int64).tolist())
                u = next(draws)
            yield buf[u]
            buf[u] = elem
        # Drain: each remaining element is equally likely to come next.
        while buf:
            i = int(rng.integers(len(buf)))
            buf[i], buf[-1] = buf[-1], buf[i]
            yield buf.pop()


class RepeatDataset(UnaryDataset):
    def __init__(self, input_dataset, count=None):
        super().__init__(input_dataset)
        self._count = -1 if count is None else _ds.to_int(count)

    def _iter(self):
        n = 0
        while self._count < 0 or n < self._count:
            empty = True
            for elem in self._input._iter():
                empty = False
                yield elem
            if empty:
                return
            n += 1

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if self._count < 0:
            return 0 if n == 0 else INFINITE
        if n < 0:
            return n
        return n * self._count


class TakeDataset(UnaryDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _ds.to_int(count)

    def _iter(self):
        if self._count < 0:
            return self._input._iter()
        return itertools.islice(self._input._iter(), self._count)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if self._count < 0:
            return n
        if n == UNKNOWN:
            return UNKNOWN
        if n == INFINITE:
            return self._count
        return min(n, self._count)


class SkipDataset(UnaryDataset):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = _ds.to_int(count)

    def _iter(self):
        if self._count < 0:
            return iter(())
        return itertools.islice(self._input._iter(), self._count, None)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if self._count < 0:
            return 0 if n != INFINITE else INFINITE
        if n < 0:
            return n
        return max(0, n - self._count)


class ShardDataset(UnaryDataset):
    def __init__(self, input_dataset, num_shards, index):
        super().__init__(input_dataset)
        self._num = _ds.to_int(num_shards)
        self._index = _ds.to_int(index)
        if self._num <= 0:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Number of shards must be greater than zero (currently num_shards = {self._num}).",
            )
        if not 0 <= self._index < self._num:
            raise errors.InvalidArgumentError(
                None,
                None,
                f"Index must be between 0 and {self._num - 1} (currently index = {self._index}).",
            )

    def _iter(self):
        return itertools.islice(self._input._iter(), self._index, None, self._num)

    def _cardinality(self) -> int:
        n = self._input._cardinality()
        if n < 0:
            return n
        return n // self._num + (1 if n % self._num > self._index else 0)


class CacheDataset(UnaryDataset):
    """Caches elements after the first complete pass: in memory, or in `filename` + suffixes.

    A partial first pass (iteration stopped early) leaves nothing cached, as TensorFlow's."""

    def __init__(self, input_dataset, filename=""):
        super().__init__(input_dataset)
        if isinstance(filename, EagerTensor):
            filename = filename._value[()]
        self._file = filename.decode() if isinstance(filename, bytes) else str(filename)
        self._memory = None
        if self._file and _ds.has_composites(input_dataset.element_spec):
            raise NotImplementedError(
                "Dataset.cache(filename) of sparse or ragged elements is not supported yet; "
                "cache in memory (no filename) instead."
            )

    def _path(self) -> str:
        return self._file + ".tfxcache"

    def _iter(self):
        if self._file:
            return self._file_iter()
        if self._memory is not None:
            return iter(self._memory)
        return self._memory_iter()

    def _memory_iter(self):
        seen = []
        for elem in self._input._iter():
            seen.append(elem)
            yield elem
        self._memory = seen

    def _file_iter(self):
        from tensorflux._src.data.saving import read_records, write_record

        flat_spec = nest.flatten(self._spec)
        pack, flatten = _ds.packer(self._spec), _ds.flattener(self._spec)
        path = self._path()
        if os.path.exists(path):
            with open(path, "rb") as f:
                for row in read_records(f, len(flat_spec)):
                    yield pack([wrap(a, s.dtype) for a, s in zip(row, flat_spec)])
            return
        tmp = f"{path}.{os.getpid()}.{id(self)}.tmp"
        done = False
        try:
            with open(tmp, "wb") as f:
                for elem in self._input._iter():
                    write_record(f, [t._value for t in flatten(elem)])
                    yield elem
            os.replace(tmp, path)
            done = True
        finally:
            if not done and os.path.exists(tmp):
                os.remove(tmp)


class ConcatenateDataset(DatasetV2):
    def __init__(self, input_dataset, dataset):
        _ds.check_dataset(dataset, "dataset")
        self._inputs = (input_dataset, dataset)
        self._spec = _ds.relax(input_dataset.element_spec, dataset.element_spec)

    def _iter(self):
        for ds in self._inputs:
            yield from ds._iter()

    def _cardinality(self) -> int:
        a, b = (d._cardinality() for d in self._inputs)
        if INFINITE in (a, b):
            return INFINITE
        if UNKNOWN in (a, b):
            return UNKNOWN
        return a + b


class ScanDataset(UnaryDataset):
    def __init__(self, input_dataset, initial_state, scan_func):
        super().__init__(input_dataset)
        self._state = _ds.normalize(initial_state)
        state_spec = _ds.spec_of(self._state)
        spec = input_dataset.element_spec
        self._fn = StructuredFunction(
            lambda s, e: scan_func(s, *e) if type(e) is tuple else scan_func(s, e),
            (state_spec, spec),
            "scan",
        )
        out = self._fn.output_spec
        if type(out) is not tuple or len(out) != 2:
            raise TypeError(
                "The scan function must return a pair comprising the new state and the output "
                f"value; got {out}."
            )
        self._spec = out[1]

    def _iter(self):
        state = self._state
        fn = self._fn
        for elem in self._input._iter():
            state, out = fn((state, elem))
            yield out


class TakeWhileDataset(UnaryDataset):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._fn = _predicate(predicate, input_dataset.element_spec, "take_while")

    def _iter(self):
        fn = self._fn
        for elem in self._input._iter():
            if not fn(elem)._value:
                return
            yield elem

    def _cardinality(self) -> int:
        return UNKNOWN


class UniqueDataset(UnaryDataset):
    def __init__(self, input_dataset):
        super().__init__(input_dataset)
        spec = input_dataset.element_spec
        ok = (dtypes.int32, dtypes.int64, dtypes.string)
        if not isinstance(spec, TensorSpec) or spec.dtype not in ok:
            raise TypeError(
                "`tf.data.Dataset.unique` does not support type "
                f"{getattr(spec, 'dtype', spec)!r} -- only `tf.int32`, `tf.int64`, and "
                "`tf.string` are supported."
            )

    def _iter(self):
        seen = set()
        for elem in self._input._iter():
            key = elem._value.tobytes() if elem._value.dtype != object else elem._value[()]
            if key not in seen:
                seen.add(key)
                yield elem

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


class OptionsDataset(UnaryDataset):
    def __init__(self, input_dataset, options):
        from tensorflux._src.data.options import Options

        super().__init__(input_dataset)
        if not isinstance(options, Options):
            raise TypeError(f"`options` must be a `tf.data.Options`, got {type(options)}.")
        self._options = options

    def _iter(self):
        return self._input._iter()


class IgnoreErrorsDataset(UnaryDataset):
    def __init__(self, input_dataset, log_warning=False):
        super().__init__(input_dataset)
        self._log = log_warning

    def _iter(self):
        it = self._input._iter()
        while True:
            try:
                elem = next(it)
            except StopIteration:
                return
            except errors.OpError as e:
                if self._log:
                    _log.warning("Ignoring error: %s", e)
                # A generator that raised is finished; other iterators continue.
                if getattr(it, "gi_frame", 1) is None:
                    return
                continue
            yield elem

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN
