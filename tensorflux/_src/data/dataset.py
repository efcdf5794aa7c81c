"""`tf.data.Dataset`: the base class, element structures and the user-function wrapper.

A dataset is a Python object with an `element_spec` and an `_iter()` method returning a Python
iterator of elements (structures of CPU eager tensors). See docs/design/data.md.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.data.structure import (  # noqa: F401 - used as _ds.<name> by siblings
    DEBUG_MODE,
    StructuredFunction,
    flattener,
    has_composites,
    is_composite_spec,
    lists_to_tuples,
    normalize,
    pack,
    packer,
    relax,
    spec_of,
    to_bool,
    to_int,
    wrap,
    zeros_like_spec,
)
from tensorflux._src.tensor_spec import TensorSpec

AUTOTUNE = -1
INFINITE = -1
UNKNOWN = -2


# ---------------------------------------------------------------------------------- the dataset


def _transforms():
    from tensorflux._src.data import transforms

    return transforms


def _batching():
    from tensorflux._src.data import batching

    return batching


class DatasetV2:
    """A sequence of elements, each a structure of tensors, built from sources and transformed
    lazily; iterate it in Python (`for x in ds`) or inside a `tf.function`.

    Construct with the static methods (`from_tensor_slices`, `range`, `from_generator`, ...) and
    chain transformations (`map`, `batch`, `shuffle`, ...); each returns a new dataset.
    """

    _inputs: tuple = ()
    _options = None
    _pipeline_options = None  # the iterated pipeline's options, set by OwnedIterator

    # -- subclass interface
    def _iter(self):
        raise NotImplementedError

    def _cardinality(self) -> int:
        return UNKNOWN

    def _blocks(self, n: int, drop_remainder: bool):
        """Flat lists of arrays holding `n` consecutive elements each, or None if unsupported."""
        return None

    # -- properties
    @property
    def element_spec(self):
        """The structure of `tf.TensorSpec`s describing one element."""
        return self._spec

    def cardinality(self):
        """The number of elements as an int64 scalar tensor: -1 infinite, -2 unknown."""
        return wrap(np.array(self._cardinality(), dtype=np.int64), dtypes.int64)

    def __len__(self) -> int:
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self) -> bool:
        return True

    def __repr__(self) -> str:
        return f"<_{type(self).__name__} element_spec={self.element_spec}>"

    def options(self):
        """The `tf.data.Options` in effect: those of the inputs merged with this dataset's."""
        from tensorflux._src.data.options import Options

        merged = Options()
        for ds in self._inputs:
            merged = merged.merge(ds.options())
        if self._options is not None:
            merged = merged.merge(self._options)
        return merged

    # -- iteration
    def __iter__(self):
        if not _context.executing_eagerly():
            raise RuntimeError(
                "`tf.data.Dataset` only supports Python-style iteration in eager mode or within "
                "tf.function."
            )
        from tensorflux._src.data.iterator import OwnedIterator

        return OwnedIterator(self)

    def _tfx_for_stmt(self, extra_test, body, vals, names, targets=()):
        """Autograph's `for x in ds:` inside a traced function: a while loop over the
        iterator ops (created per call, not unrolled at trace time)."""
        from tensorflux._src.data.iterator import for_stmt

        return for_stmt(self, extra_test, body, vals, names)

    def as_numpy_iterator(self):
        """An iterator of the elements as NumPy values (bytes for strings)."""
        from tensorflux._src.data.iterator import NumpyIterator

        for s in nest.flatten(self.element_spec):
            if not isinstance(s, TensorSpec):
                raise TypeError(
                    f"Dataset.as_numpy_iterator() is not supported for datasets that produce "
                    f"values of type {getattr(s, 'value_type', type(s)).__name__}"
                )
        return NumpyIterator(iter(self))

    def reduce(self, initial_state, reduce_func):
        """Folds every element into a state with `reduce_func(state, element)`; returns it."""
        state = normalize(initial_state)
        state_spec = spec_of(state)
        fn = StructuredFunction(
            lambda s, e: reduce_func(s, e), (state_spec, self.element_spec), "reduce"
        )
        nest.assert_same_structure(state_spec, fn.output_spec)
        for elem in _iterate(self):
            state = fn((state, elem))
        return state

    def get_single_element(self, name=None):
        """The only element of the dataset; InvalidArgumentError if there is not exactly one."""
        it = _iterate(self)
        try:
            first = next(it)
        except StopIteration:
            raise errors.InvalidArgumentError(None, None, "Dataset was empty.") from None
        try:
            next(it)
        except StopIteration:
            return first
        raise errors.InvalidArgumentError(None, None, "Dataset had more than one element.")

    # -- constructors
    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset with one element, `tensors`."""
        from tensorflux._src.data import sources

        return sources.TensorDataset(tensors)

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the slices of `tensors` along their first dimension."""
        from tensorflux._src.data import sources

        return sources.TensorSliceDataset(tensors)

    @staticmethod
    def range(*args, **kwargs):
        """Like Python's `range` (start, stop, step), as int64 scalars (`output_type=`)."""
        from tensorflux._src.data import sources

        return sources.RangeDataset(*args, **kwargs)

    @staticmethod
    def zip(*args, datasets=None, name=None):
        """Elements of several datasets side by side, in the structure they are given in."""
        from tensorflux._src.data import sources

        if datasets is not None and args:
            raise TypeError("Both `*args` and `datasets` cannot be set.")
        if datasets is None:
            if not args:
                raise TypeError("Must pass at least one dataset to `zip`.")
            datasets = args[0] if len(args) == 1 else args
        return sources.ZipDataset(datasets)

    @staticmethod
    def from_generator(
        generator,
        output_types=None,
        output_shapes=None,
        args=None,
        output_signature=None,
        name=None,
    ):
        """Elements produced by calling `generator(*args)` and iterating its result."""
        from tensorflux._src.data import sources

        return sources.GeneratorDataset(
            generator, output_types, output_shapes, args, output_signature
        )

    @staticmethod
    def counter(start=0, step=1, dtype=dtypes.int64, name=None):
        """start, start + step, ... forever."""
        from tensorflux._src.data import sources

        return sources.RangeDataset(start, None, step, output_type=dtype)

    @staticmethod
    def random(seed=None, rerandomize_each_iteration=None, name=None):
        """An infinite dataset of random int64 scalars in [0, 2**63)."""
        from tensorflux._src.data import sources

        return sources.RandomDataset(seed, rerandomize_each_iteration)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """The file names matching one or more glob patterns (shuffled by default)."""
        from tensorflux._src.data import sources

        return sources.list_files(file_pattern, shuffle, seed)

    @staticmethod
    def sample_from_datasets(
        datasets,
        weights=None,
        seed=None,
        stop_on_empty_dataset=False,
        rerandomize_each_iteration=None,
    ):
        """Elements drawn at random from `datasets` with probabilities `weights`."""
        from tensorflux._src.data import experimental

        return experimental.sample_from_datasets(
            datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration
        )

    @staticmethod
    def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True):
        """Elements taken from `datasets[i]` for each `i` that `choice_dataset` yields."""
        from tensorflux._src.data import experimental

        return experimental.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)

    @staticmethod
    def load(path, element_spec=None, compression=None, reader_func=None, wait=False):
        """Reads a dataset written by `Dataset.save`."""
        from tensorflux._src.data import experimental

        return experimental.load(path, element_spec, compression, reader_func)

    # -- transformations (implemented in transforms.py / parallel.py / experimental.py)
    def map(
        self,
        map_func,
        num_parallel_calls=None,
        deterministic=None,
        name=None,
        synchronous=None,
        use_unbounded_threadpool=False,
    ):
        """Applies `map_func` to each element (in parallel with `num_parallel_calls`)."""
        return _transforms().MapDataset(self, map_func, num_parallel_calls, deterministic)

    def filter(self, predicate, name=None):
        """Keeps the elements for which `predicate` returns True (a scalar bool)."""
        return _transforms().FilterDataset(self, predicate)

    def flat_map(self, map_func, name=None):
        """Maps each element to a dataset and concatenates those datasets."""
        return _transforms().FlatMapDataset(self, map_func)

    def interleave(
        self,
        map_func,
        cycle_length=None,
        block_length=None,
        num_parallel_calls=None,
        deterministic=None,
        name=None,
    ):
        """Maps elements to datasets and interleaves `cycle_length` of them, `block_length`
        elements at a time."""
        return _transforms().InterleaveDataset(
            self, map_func, cycle_length, block_length, num_parallel_calls, deterministic
        )

    def batch(
        self,
        batch_size,
        drop_remainder=False,
        num_parallel_calls=None,
        deterministic=None,
        name=None,
    ):
        """Stacks `batch_size` consecutive elements into one (the last may be smaller)."""
        return _batching().BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(
        self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None
    ):
        """Like `batch`, padding each component to a common shape."""
        return _batching().PaddedBatchDataset(
            self, batch_size, padded_shapes, padding_values, drop_remainder
        )

    def unbatch(self, name=None):
        """Splits each element along its first dimension into several elements."""
        return _batching().UnbatchDataset(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        """Re-splits batched elements into batches of `batch_size`."""
        return _batching().UnbatchDataset(self).batch(batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Samples elements uniformly from a buffer of `buffer_size` elements."""
        return _transforms().ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """Repeats the dataset `count` times (forever if None or -1)."""
        return _transforms().RepeatDataset(self, count)

    def take(self, count, name=None):
        """The first `count` elements (all if -1)."""
        return _transforms().TakeDataset(self, count)

    def skip(self, count, name=None):
        """All but the first `count` elements (none if -1)."""
        return _transforms().SkipDataset(self, count)

    def shard(self, num_shards, index, name=None):
        """Every `num_shards`-th element starting at `index`."""
        return _transforms().ShardDataset(self, num_shards, index)

    def cache(self, filename="", name=None):
        """Keeps the elements after the first full pass, in memory or in files at `filename`."""
        return _transforms().CacheDataset(self, filename)

    def prefetch(self, buffer_size, name=None):
        """Produces elements ahead of the consumer on a background thread."""
        from tensorflux._src.data import parallel

        return parallel.PrefetchDataset(self, buffer_size)

    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by `dataset`'s."""
        return _transforms().ConcatenateDataset(self, dataset)

    def enumerate(self, start=0, name=None):
        """Pairs `(index, element)` with int64 indices from `start`."""
        from tensorflux._src.data import sources

        counter = sources.RangeDataset(start, None, 1, output_type=dtypes.int64)
        return DatasetV2.zip((counter, self))

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Elements grouped into windows, each a structure of datasets of `size` elements."""
        return _batching().WindowDataset(self, size, shift, stride, drop_remainder)

    def scan(self, initial_state, scan_func, name=None):
        """Like map, threading a state: `scan_func(state, elem) -> (new_state, output)`."""
        return _transforms().ScanDataset(self, initial_state, scan_func)

    def take_while(self, predicate, name=None):
        """Elements up to (not including) the first for which `predicate` is False."""
        return _transforms().TakeWhileDataset(self, predicate)

    def unique(self, name=None):
        """The first occurrence of each distinct element (int or string scalars)."""
        return _transforms().UniqueDataset(self)

    def apply(self, transformation_func):
        """`transformation_func(self)`, which must return a dataset."""
        ds = transformation_func(self)
        if not isinstance(ds, DatasetV2):
            raise TypeError(
                f"`transformation_func` must return a `tf.data.Dataset` object. Got {type(ds)}."
            )
        return ds

    def with_options(self, options, name=None):
        """This dataset with `options` (a `tf.data.Options`) merged in."""
        return _transforms().OptionsDataset(self, options)

    def ignore_errors(self, log_warning=False, name=None):
        """Drops the elements whose computation raised an error."""
        return _transforms().IgnoreErrorsDataset(self, log_warning)

    def group_by_window(
        self, key_func, reduce_func, window_size=None, window_size_func=None, name=None
    ):
        """Groups elements by `key_func` into windows reduced by `reduce_func`."""
        from tensorflux._src.data import experimental

        return experimental.GroupByWindowDataset(
            self, key_func, reduce_func, window_size, window_size_func
        )

    def bucket_by_sequence_length(
        self,
        element_length_func,
        bucket_boundaries,
        bucket_batch_sizes,
        padded_shapes=None,
        padding_values=None,
        pad_to_bucket_boundary=False,
        no_padding=False,
        drop_remainder=False,
        name=None,
    ):
        """Batches elements of similar length together (padded per bucket)."""
        from tensorflux._src.data import experimental

        return experimental.bucket_by_sequence_length(
            self,
            element_length_func,
            bucket_boundaries,
            bucket_batch_sizes,
            padded_shapes,
            padding_values,
            pad_to_bucket_boundary,
            no_padding,
            drop_remainder,
        )

    def rejection_resample(self, class_func, target_dist, initial_dist=None, seed=None, name=None):
        """Resamples elements so their classes follow `target_dist`; yields (class, element)."""
        from tensorflux._src.data import experimental

        return experimental.rejection_resample(self, class_func, target_dist, initial_dist, seed)

    def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
        """Writes the elements to directory `path` (read back with `Dataset.load`)."""
        from tensorflux._src.data import experimental

        experimental.save(self, path, compression, shard_func)

    def ragged_batch(self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64,
                     name=None):  # fmt: skip
        """Batches elements of different shapes into RaggedTensors (dense rank-1 elements give
        `[batch, None]` RaggedTensors; RaggedTensor elements gain one ragged dimension)."""
        from tensorflux._src.ragged import ragged_batch  # layer-ok: ragged sits beside data

        return ragged_batch.ragged_batch(self, batch_size, drop_remainder, row_splits_dtype)

    def sparse_batch(self, batch_size, row_shape, name=None):
        """Batches dense elements of varying shape into SparseTensors of shape
        `[batch] + row_shape` (None dims: the largest in the batch); every value is kept."""
        return _batching().SparseBatchDataset(self, batch_size, row_shape)

    def snapshot(self, *args, **kwargs):
        raise NotImplementedError("Dataset.snapshot is not implemented; use cache or save.")


Dataset = DatasetV2


class UnaryDataset(DatasetV2):
    """A transformation of one input dataset that keeps its cardinality unless overridden."""

    def __init__(self, input_dataset):
        self._input = check_dataset(input_dataset, "input_dataset")
        self._inputs = (input_dataset,)
        self._spec = input_dataset.element_spec

    def _cardinality(self) -> int:
        return self._input._cardinality()


class ListDataset(DatasetV2):
    """A finite dataset over a Python list of elements (window contents, groups)."""

    def __init__(self, elements, spec):
        self._elements = elements
        self._spec = spec

    def _iter(self):
        return iter(self._elements)

    def _cardinality(self) -> int:
        return len(self._elements)


def _iterate(ds):
    """A Python iterator over `ds`'s elements, run eagerly with tapes paused."""
    from tensorflux._src.data.iterator import OwnedIterator

    return OwnedIterator(ds)


def check_dataset(x, what="dataset"):
    if not isinstance(x, DatasetV2):
        raise TypeError(f"`{what}` must be a `tf.data.Dataset` object, got {type(x).__name__}.")
    return x


def shape_of(spec) -> TensorShape:
    return spec.shape
