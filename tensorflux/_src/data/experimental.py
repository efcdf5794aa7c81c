"""Grouping, sampling, save/load and the `tf.data.experimental` functions."""

from __future__ import annotations


import numpy as np

from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.data import batching as _batching
from tensorflux._src.data import dataset as _ds
from tensorflux._src.data import transforms as _tr
from tensorflux._src.data.saving import load, save  # noqa: F401 - re-exported
from tensorflux._src.data.dataset import INFINITE, UNKNOWN, DatasetV2, StructuredFunction, wrap
from tensorflux._src.tensor_spec import TensorSpec

# ------------------------------------------------------------------------------------- grouping


class GroupByWindowDataset(_ds.UnaryDataset):
    def __init__(
        self, input_dataset, key_func, reduce_func, window_size=None, window_size_func=None
    ):
        super().__init__(input_dataset)
        if (window_size is None) == (window_size_func is None):
            raise ValueError(
                "Either the `window_size` argument or the `window_size_func` "
                "argument must be specified."
            )
        spec = input_dataset.element_spec
        self._key = StructuredFunction(key_func, spec, "group_by_window")
        ks = self._key.output_spec
        if not isinstance(ks, TensorSpec) or ks.dtype != dtypes.int64 or ks.shape.rank != 0:
            raise ValueError(
                f"Invalid `key_func`. `key_func` must return a single `tf.int64` scalar tensor "
                f"but its return type is {ks}."
            )
        if window_size is not None:
            n = _ds.to_int(window_size)
            self._size = lambda key: n
        else:
            fn = StructuredFunction(window_size_func, TensorSpec([], dtypes.int64), "window_size")
            self._size = lambda key: int(fn(key)._value)
        self._reduce = reduce_func
        probe_key = wrap(np.array(0, np.int64), dtypes.int64)
        with _tr._eager():
            out = reduce_func(probe_key, _ds.ListDataset([], spec))
        if not isinstance(out, DatasetV2):
            raise TypeError("`reduce_func` must return a `tf.data.Dataset`.")
        self._spec = out.element_spec

    def _iter(self):
        windows: dict = {}
        spec = self._input.element_spec
        for elem in self._input._iter():
            key = self._key(elem)
            k = int(key._value)
            w = windows.setdefault(k, [])
            w.append(elem)
            if len(w) >= self._size(key):
                del windows[k]
                yield from self._reduce(key, _ds.ListDataset(w, spec))._iter()
        for k in sorted(windows):  # the order TensorFlow's final flush has for small keys
            w = windows[k]
            key = wrap(np.array(k, np.int64), dtypes.int64)
            yield from self._reduce(key, _ds.ListDataset(w, spec))._iter()

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


def group_by_window(key_func, reduce_func, window_size=None, window_size_func=None):
    """The transformation `ds.group_by_window(...)`, for `Dataset.apply`."""
    return lambda ds: ds.group_by_window(key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(
    ds,
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
):
    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(b) for b in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(
            "len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1 but "
            f"len(bucket_batch_sizes)={len(sizes)} and "
            f"len(bucket_boundaries)={len(boundaries)}"
        )
    length_fn = StructuredFunction(element_length_func, ds.element_spec, "element_length")
    bounds = np.array(boundaries, dtype=np.int64)

    def key(*elem):
        return _bucket_key(elem)

    def _bucket_key(elem):
        n = int(length_fn(elem[0] if len(elem) == 1 else elem)._value)
        return int(np.searchsorted(bounds, n, side="right"))

    class _Bucketed(DatasetV2):
        def __init__(self):
            self._inputs = (ds,)
            spec = ds.element_spec
            dim = None
            if no_padding:
                self._spec = nest.map_structure(
                    lambda s: TensorSpec([dim] + s.shape.as_list(), s.dtype), spec
                )
            else:
                probe = _batching.PaddedBatchDataset(ds, 1, padded_shapes, padding_values)
                self._spec = probe.element_spec

        def _iter(self):
            buckets: dict = {}
            spec = ds.element_spec
            for elem in ds._iter():
                b = _bucket_key(elem if type(elem) is tuple else (elem,))
                w = buckets.setdefault(b, [])
                w.append(elem)
                if len(w) >= sizes[b]:
                    del buckets[b]
                    yield from _batch(w, b, spec)
            for b, w in buckets.items():
                if not drop_remainder:
                    yield from _batch(w, b, spec)

        def _cardinality(self):
            return INFINITE if ds._cardinality() == INFINITE else UNKNOWN

    def _batch(window, b, spec):
        src = _ds.ListDataset(window, spec)
        if no_padding:
            return _batching.BatchDataset(src, len(window))._iter()
        shapes = padded_shapes
        if pad_to_bucket_boundary:
            if b >= len(boundaries):
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    "When pad_to_bucket_boundary=True, elements must have length < "
                    "max(bucket_boundaries).",
                )
            target = boundaries[b] - 1
            shapes = nest.map_structure(lambda s: [target] + [None] * (s.shape.rank - 1), spec)
        return _batching.PaddedBatchDataset(src, len(window), shapes, padding_values)._iter()

    del key
    return _Bucketed()


# ------------------------------------------------------------------------------------- sampling


class _SampleDataset(DatasetV2):
    def __init__(self, datasets, choose, stop_on_empty, cardinality=UNKNOWN):
        self._inputs = tuple(datasets)
        spec = datasets[0].element_spec
        for d in datasets[1:]:
            spec = _ds.relax(spec, d.element_spec)
        self._spec = spec
        self._choose = choose  # live-index list -> iterator of chosen indices
        self._stop = stop_on_empty
        self._card = cardinality

    def _iter(self):
        its = [d._iter() for d in self._inputs]
        live = [True] * len(its)
        for i in self._choose(live):
            if i < 0 or i >= len(its):
                raise errors.InvalidArgumentError(
                    None, None, f"Selector index out of range: {i} >= {len(its)}"
                )
            if not live[i]:
                continue
            try:
                yield next(its[i])
            except StopIteration:
                if self._stop:
                    return
                live[i] = False
                if not any(live):
                    return

    def _cardinality(self) -> int:
        return self._card


def sample_from_datasets(
    datasets, weights=None, seed=None, stop_on_empty_dataset=False, rerandomize_each_iteration=None
):
    datasets = list(datasets)
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    for d in datasets:
        _ds.check_dataset(d, "datasets")
    n = len(datasets)
    if weights is None:
        w = np.full(n, 1.0 / n)
    else:
        if isinstance(weights, DatasetV2):
            raise NotImplementedError("sample_from_datasets with a dataset of weights")
        w = np.asarray(weights.numpy() if hasattr(weights, "numpy") else weights, np.float64)
        if w.shape != (n,):
            raise ValueError(
                f"Invalid `weights`. The shape of `weights` should be compatible with `[len("
                f"datasets)]` but is {list(w.shape)}."
            )
    seed_v = _tr._seed_value(seed)
    state = {"epoch": 0}

    def choose(live):
        state["epoch"] += 1
        rng = np.random.default_rng(
            None
            if seed_v is None
            else [seed_v, state["epoch"] if rerandomize_each_iteration else 0]
        )
        while True:
            p = w * np.array(live, dtype=np.float64)
            total = p.sum()
            if total <= 0:
                return
            yield int(rng.choice(n, p=p / total))

    cards = [d._cardinality() for d in datasets]
    card = INFINITE if all(c == INFINITE for c in cards) else UNKNOWN
    return _SampleDataset(datasets, choose, stop_on_empty_dataset, card)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
    datasets = list(datasets)
    if not datasets:
        raise ValueError("Invalid `datasets`. `datasets` should not be empty.")
    _ds.check_dataset(choice_dataset, "choice_dataset")
    cs = choice_dataset.element_spec
    if not isinstance(cs, TensorSpec) or cs.dtype != dtypes.int64 or cs.shape.rank != 0:
        raise TypeError(
            "Invalid `choice_dataset`. Elements of `choice_dataset` must be scalar of "
            f"`tf.int64` dtype, but found {cs}."
        )

    def choose(live):
        for t in choice_dataset._iter():
            yield int(t._value)

    return _SampleDataset(datasets, choose, stop_on_empty_dataset)


def rejection_resample(ds, class_func, target_dist, initial_dist=None, seed=None):
    target = np.asarray(getattr(target_dist, "numpy", lambda: target_dist)(), np.float64)
    init = (
        None
        if initial_dist is None
        else np.asarray(getattr(initial_dist, "numpy", lambda: initial_dist)(), np.float64)
    )
    fn = StructuredFunction(class_func, ds.element_spec, "rejection_resample")
    cls_spec = fn.output_spec
    seed_v = _tr._seed_value(seed)

    class _Resampled(DatasetV2):
        def __init__(self):
            self._inputs = (ds,)
            self._spec = (cls_spec, ds.element_spec)

        def _iter(self):
            rng = np.random.default_rng(seed_v)
            counts = np.zeros(len(target))
            for elem in ds._iter():
                c = fn(elem)
                k = int(c._value)
                if init is not None:
                    dist = init
                else:  # estimate the input's class distribution as it goes
                    counts[k] += 1
                    dist = counts / counts.sum()
                ratio = np.where(dist > 0, target / np.maximum(dist, 1e-12), 0.0)
                accept = ratio[k] / ratio.max() if ratio.max() > 0 else 0.0
                if rng.random() < accept:
                    yield (c, elem)

        def _cardinality(self):
            return INFINITE if ds._cardinality() == INFINITE else UNKNOWN

    return _Resampled()


# ------------------------------------------------------------------------------ cardinality etc


class _AssertCardinality(_ds.UnaryDataset):
    def __init__(self, input_dataset, expected):
        super().__init__(input_dataset)
        self._expected = _ds.to_int(expected)

    def _iter(self):
        n = 0
        for elem in self._input._iter():
            n += 1
            if self._expected >= 0 and n > self._expected:
                raise errors.FailedPreconditionError(
                    None,
                    None,
                    f"Input dataset was expected to contain {self._expected} "
                    f"elements but contained at least {n} elements.",
                )
            yield elem
        if n != self._expected:
            what = "infinite" if self._expected == INFINITE else self._expected
            raise errors.FailedPreconditionError(
                None,
                None,
                f"Input dataset was expected to contain {what} elements but "
                f"contained only {n} elements.",
            )

    def _cardinality(self) -> int:
        return self._expected


def assert_cardinality(expected_cardinality):
    """A transformation asserting the dataset has `expected_cardinality` elements (for
    `Dataset.apply`); the result reports that cardinality."""
    return lambda ds: _AssertCardinality(ds, expected_cardinality)


class Reducer:
    """How `group_by_reducer` folds a group: `init_func(key) -> state`,
    `reduce_func(state, element) -> state`, `finalize_func(state) -> output`."""

    def __init__(self, init_func, reduce_func, finalize_func):
        self.init_func = init_func
        self.reduce_func = reduce_func
        self.finalize_func = finalize_func


class _GroupByReducer(_ds.UnaryDataset):
    def __init__(self, input_dataset, key_func, reducer):
        super().__init__(input_dataset)
        spec = input_dataset.element_spec
        self._key = StructuredFunction(key_func, spec, "group_by_reducer")
        key_spec = TensorSpec([], dtypes.int64)
        self._init = StructuredFunction(reducer.init_func, key_spec, "init_func")
        state_spec = self._init.output_spec
        self._reduce = StructuredFunction(
            lambda s, e: reducer.reduce_func(s, e), (state_spec, spec), "reduce_func"
        )
        self._final = StructuredFunction(
            lambda s: reducer.finalize_func(s), (state_spec,), "finalize_func"
        )
        self._spec = self._final.output_spec

    def _iter(self):
        states: dict = {}
        for elem in self._input._iter():
            key = self._key(elem)
            k = int(key._value)
            state = states.get(k)
            if state is None:
                state = self._init(key)
            states[k] = self._reduce((state, elem))
        for k in sorted(states):
            yield self._final((states[k],))

    def _cardinality(self) -> int:
        return INFINITE if self._input._cardinality() == INFINITE else UNKNOWN


def group_by_reducer(key_func, reducer):
    """A transformation grouping elements by `key_func` (int64 scalar) and folding each group
    with `reducer`; one output per key at the end of the input."""
    return lambda ds: _GroupByReducer(ds, key_func, reducer)


def at(dataset, index):
    """The element at position `index`; `OutOfRangeError` past the end."""
    i = _ds.to_int(index)
    count = 0
    if i >= 0:
        for elem in _ds._iterate(dataset):
            if count == i:
                return elem
            count += 1
    raise errors.OutOfRangeError(None, None, f"Index out of range [0, {count}):{i}")


def Counter(start=0, step=1, dtype=dtypes.int64):  # noqa: N802 - TensorFlow's name
    """`tf.data.Dataset.counter` (the older spelling)."""
    return DatasetV2.counter(start, step, dtype)


def pad_to_cardinality(cardinality, mask_key="valid"):
    """A transformation padding a dataset of dicts with zero elements up to `cardinality`
    elements, adding a bool `mask_key` entry that is False on the padding."""

    def apply(ds):
        spec = ds.element_spec
        if not isinstance(spec, dict):
            raise ValueError("pad_to_cardinality requires a dataset of dicts.")
        n = ds._cardinality()
        if n < 0:
            raise ValueError(
                "The dataset passed into `pad_to_cardinality` must have a known cardinality, "
                f"but has cardinality {n}"
            )
        target = _ds.to_int(cardinality)
        if n > target:
            raise ValueError(
                f"The dataset passed into `pad_to_cardinality` must have a cardinality less "
                f"than the target cardinality ({target}), but has cardinality {n}"
            )
        true = wrap(np.array(True), dtypes.bool)
        false = wrap(np.array(False), dtypes.bool)
        valid = ds.map(lambda d: {**d, mask_key: true})
        pad = {**_ds.zeros_like_spec(spec), mask_key: false}
        return valid.concatenate(DatasetV2.from_tensors(pad).repeat(target - n))

    return apply


class _CopyToDevice(_ds.UnaryDataset):
    """Elements copied onto `device` as they are produced (prefetch/copy_to_device)."""

    def __init__(self, input_dataset, device):
        super().__init__(input_dataset)
        self._device = device

    def _iter(self):
        from tensorflux._src.devices.scope import device as device_scope
        from tensorflux._src.ops.array_ops import identity

        dev = self._device
        for elem in self._input._iter():
            with device_scope(dev):
                yield nest.map_structure(identity, elem)


def copy_to_device(target_device, source_device="/cpu:0"):
    """A transformation copying each element to `target_device`."""
    return lambda ds: _CopyToDevice(ds, target_device)


def prefetch_to_device(device, buffer_size=None):
    """A transformation producing elements ahead of the consumer, already on `device`."""
    from tensorflux._src.data.parallel import PrefetchDataset

    size = -1 if buffer_size is None else buffer_size
    return lambda ds: PrefetchDataset(_CopyToDevice(ds, device), size)


def cardinality(dataset):
    return dataset.cardinality()


def ignore_errors(log_warning=False):
    return lambda ds: ds.ignore_errors(log_warning)


def enumerate_dataset(start=0):
    return lambda ds: ds.enumerate(start)


def unique():
    return lambda ds: ds.unique()


def unbatch():
    return lambda ds: ds.unbatch()


def dense_to_sparse_batch(batch_size, row_shape):
    return lambda ds: ds.sparse_batch(batch_size, row_shape)


def take_while(predicate):
    return lambda ds: ds.take_while(predicate)


def scan(initial_state, scan_func):
    return lambda ds: ds.scan(initial_state, scan_func)


def get_single_element(dataset):
    return dataset.get_single_element()


def from_list(elements, name=None):
    """A dataset of the given elements (all of one structure)."""
    elements = list(elements)
    if not elements:
        raise ValueError("Invalid `elements`. `elements` should not be empty.")
    norm = [_ds.normalize(e) for e in elements]
    columns = list(zip(*[nest.flatten(e) for e in norm]))
    stacked = [wrap(np.stack([t._value for t in c]), c[0].dtype) for c in columns]
    from tensorflux._src.data.sources import TensorSliceDataset

    spec = norm[0]
    return TensorSliceDataset(
        stacked[0] if not nest.is_nested(spec) else nest.pack_sequence_as(spec, stacked)
    )


def map_and_batch(
    map_func, batch_size, num_parallel_batches=None, drop_remainder=False, num_parallel_calls=None
):
    return lambda ds: ds.map(map_func, num_parallel_calls).batch(batch_size, drop_remainder)


def shuffle_and_repeat(buffer_size, count=None, seed=None):
    return lambda ds: ds.shuffle(buffer_size, seed).repeat(count)


def parallel_interleave(
    map_func,
    cycle_length,
    block_length=1,
    sloppy=False,
    buffer_output_elements=None,
    prefetch_input_elements=None,
):
    return lambda ds: ds.interleave(
        map_func,
        cycle_length,
        block_length,
        num_parallel_calls=cycle_length,
        deterministic=not sloppy,
    )
