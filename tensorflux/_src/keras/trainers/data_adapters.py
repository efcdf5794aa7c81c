"""Turning what `fit`/`evaluate`/`predict` receive into batches.

Supported: NumPy arrays, tensors, Python lists of numbers, and lists/tuples/dicts of those (sliced
by index arrays in NumPy, one fancy-index per leaf per batch); `tf.data` datasets (iterated in
Python, one epoch per pass); Python generators/iterators; `keras.utils.PyDataset` (and the older
`Sequence` name). A batch is `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` as Keras.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from tensorflux._src.core import nest
from tensorflux._src.keras import backend

# ---------------------------------------------------------------------- packing helpers


def unpack_x_y_sample_weight(data):
    """Splits a batch into `(x, y, sample_weight)`, with None for missing parts.

    Args:
      data: `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)` (a list counts as a tuple).

    Returns:
      The tuple `(x, y, sample_weight)`.

    Raises:
      ValueError: if `data` is a tuple of another length.
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if len(data) == 1:
        return (data[0], None, None)
    if len(data) == 2:
        return (data[0], data[1], None)
    if len(data) == 3:
        return (data[0], data[1], data[2])
    raise ValueError(
        "Data is expected to be in format `x`, `(x,)`, `(x, y)`, or `(x, y, sample_weight)`, "
        f"found: {data}"
    )


def pack_x_y_sample_weight(x, y=None, sample_weight=None):
    """Packs data into the tuple form `train_step` receives.

    Args:
      x: the inputs.
      y: the targets (optional).
      sample_weight: the sample weights (optional).

    Returns:
      `x` (or `(x,)` when `x` is itself a list/tuple) if only `x` is given, `(x, y)` if no
      sample weights, else `(x, y, sample_weight)`.
    """
    if y is None:
        if not isinstance(x, (list, tuple)):
            return x
        return (x,)
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)


# ---------------------------------------------------------------------- kind detection


def _is_tensor(x) -> bool:
    from tensorflux._src.tensor import Tensor

    return isinstance(x, Tensor)


def _is_array_leaf(x) -> bool:
    return (
        x is None
        or isinstance(x, (np.ndarray, np.generic))
        or _is_tensor(x)
        or (hasattr(x, "__array__") and hasattr(x, "shape") and hasattr(x, "dtype"))
    )


def is_array_like(data) -> bool:
    """Whether `data` is arrays/tensors (possibly nested in lists, tuples, dicts)."""
    if data is None:
        return True
    if isinstance(data, dict):
        return all(is_array_like(v) for v in data.values())
    if isinstance(data, (list, tuple)):
        if data and all(isinstance(v, (int, float, bool, np.number)) for v in data):
            return True
        return all(is_array_like(v) for v in data)
    return _is_array_leaf(data)


def is_tf_dataset(x) -> bool:
    try:
        from tensorflux._src.data.dataset import DatasetV2
    except ImportError:  # the tf.data package is not there yet
        DatasetV2 = ()
    if DatasetV2 and isinstance(x, DatasetV2):
        return True
    cls = type(x)
    return any(c.__name__ in ("DatasetV2", "Dataset") for c in cls.__mro__) and hasattr(
        x, "element_spec"
    )


def is_py_dataset(x) -> bool:
    from tensorflux._src.keras.utils.py_dataset import PyDataset

    return isinstance(x, PyDataset)


def is_generator(x) -> bool:
    import types

    return isinstance(x, types.GeneratorType) or (
        hasattr(x, "__next__") and hasattr(x, "__iter__") and not is_array_like(x)
    )


def _to_numpy(x):
    """A NumPy array; floats of another width are cast to `floatx()` (as Keras does)."""
    if x is None:
        return None
    if isinstance(x, np.ndarray):
        arr = x
    elif _is_tensor(x):
        arr = np.asarray(x.numpy())
    else:
        arr = np.asarray(x)
    name = arr.dtype.name
    if (arr.dtype.kind == "f" or name == "bfloat16") and name != backend.floatx():
        arr = arr.astype(backend.floatx())
    return arr


def _standardize_arrays(data):
    """NumPy leaves; lists of numbers become arrays; lists of arrays become tuples."""
    if data is None:
        return None
    if isinstance(data, dict):
        return {k: _standardize_arrays(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        if data and all(isinstance(v, (int, float, bool, np.number)) for v in data):
            return _to_numpy(data)
        return tuple(_standardize_arrays(v) for v in data)
    return _to_numpy(data)


def class_weight_to_sample_weights(y, class_weight):
    """Per-sample weights from a `{class_index: weight}` dict and the targets."""
    y = np.asarray(y.numpy() if _is_tensor(y) else y)
    if y.ndim > 1:
        y = np.argmax(y, axis=-1) if y.shape[-1] != 1 else np.squeeze(y, axis=-1)
    y = np.round(y).astype("int32")
    lookup = np.ones((int(y.max()) + 1 if y.size else 1,), dtype=backend.floatx())
    for k, v in class_weight.items():
        if 0 <= int(k) < lookup.shape[0]:
            lookup[int(k)] = v
    return lookup[y] if y.size else np.ones((0,), backend.floatx())


def _check_cardinality(x, y, sw) -> int:
    sizes = {int(a.shape[0]) for a in nest.flatten((x, y, sw)) if a is not None}
    if len(sizes) > 1:
        msg = (
            "Data cardinality is ambiguous. Make sure all arrays contain the same number of "
            "samples."
        )
        for label, part in zip(("x", "y", "sample_weight"), (x, y, sw)):
            sz = ", ".join(str(a.shape[0]) for a in nest.flatten(part) if a is not None)
            msg += f"'{label}' sizes: {sz}\n"
        raise ValueError(msg)
    return sizes.pop() if sizes else 0


def train_validation_split(arrays, validation_split):
    """Splits arrays into (train, validation): the last `validation_split` part validates.

    Args:
      arrays: a nested structure of arrays/tensors (None allowed).
      validation_split: a float in (0, 1).

    Returns:
      `(train_arrays, validation_arrays)`.

    Raises:
      ValueError: if the data are not arrays, or too few to split.
    """
    flat = nest.flatten(arrays)
    bad = [type(t) for t in flat if not _is_array_leaf(t)]
    if bad:
        raise ValueError(
            "Argument `validation_split` is only supported for tensors or NumPy arrays."
            f"Found incompatible type in the input: {bad}"
        )
    if all(t is None for t in flat):
        return arrays, arrays
    first = next(t for t in flat if t is not None)
    n = int(first.shape[0])
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        raise ValueError(
            f"Training data contains {n} samples, which is not sufficient to split it into a "
            f"validation and training set as specified by `validation_split={validation_split}`. "
            "Either provide more data, or a different value for the `validation_split` argument."
        )

    def cut(t, lo, hi):
        if t is None:
            return None
        return _to_numpy(t)[lo:hi]

    train = nest.map_structure(lambda t: cut(t, 0, split_at), arrays)
    val = nest.map_structure(lambda t: cut(t, split_at, n), arrays)
    return train, val


# ---------------------------------------------------------------------- adapters
#
# Every adapter yields one pass over its data from `epoch_batches()`; `pass_batches` is that
# pass's length when known. `EpochIterator` applies `steps_per_epoch` on top.


class ArrayAdapter:
    """Batches in-memory arrays by slicing; shuffles with a fresh permutation each pass."""

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, shuffle=False,
                 class_weight=None):  # fmt: skip
        x = _standardize_arrays(x)
        y = _standardize_arrays(y)
        sample_weight = _standardize_arrays(sample_weight)
        if class_weight is not None:
            if y is None:
                raise ValueError("`class_weight` requires targets `y`.")
            flat_y = nest.flatten(y)
            if len(flat_y) > 1:
                raise ValueError(
                    "`class_weight` is only supported for Models with a single output."
                )
            cw = class_weight_to_sample_weights(flat_y[0], class_weight)
            sample_weight = cw if sample_weight is None else sample_weight * cw
        self._n = _check_cardinality(x, y, sample_weight)
        parts = (x,) if y is None else ((x, y) if sample_weight is None else (x, y, sample_weight))
        self._struct = parts
        self._leaves = nest.flatten(parts)
        self._batch_size = batch_size or 32
        self._shuffle = shuffle
        self._single = len(parts) == 1
        # (x, y[, sw]) of plain arrays: batches are tuples of the sliced leaves, no repacking
        self._flat_tuple = not self._single and all(
            p is None or isinstance(p, np.ndarray) for p in parts
        )

    @property
    def pass_batches(self):
        return int(math.ceil(self._n / self._batch_size)) if self._n else 0

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def has_partial_batch(self):
        return self._n % self._batch_size != 0

    def _pack(self, leaves):
        if self._flat_tuple:
            return tuple(leaves)
        packed = nest.pack_sequence_as(self._struct, leaves)
        return pack_x_y_sample_weight(packed[0]) if self._single else packed

    def epoch_batches(self):
        n, bs = self._n, self._batch_size
        if n == 0:
            return
        leaves = self._leaves
        shuffle = self._shuffle
        if shuffle == "batch":  # batches in order, each one shuffled inside
            order = np.arange(n)
            for s in range(0, n, bs):
                np.random.shuffle(order[s:s + bs])
        elif shuffle:
            order = np.random.permutation(n)
        else:
            order = None
        for lo in range(0, n, bs):
            hi = min(n, lo + bs)
            if order is None:
                batch = [None if a is None else a[lo:hi] for a in leaves]
            else:
                idx = order[lo:hi]
                batch = [None if a is None else a[idx] for a in leaves]
            yield self._pack(batch)


class DatasetAdapter:
    """Iterates a `tf.data` dataset (its own batching and shuffling apply)."""

    def __init__(self, dataset, class_weight=None):
        self._ds = dataset
        self._class_weight = class_weight
        try:
            card = dataset.cardinality()
            card = int(card.numpy() if hasattr(card, "numpy") else card)
        except Exception:
            card = -2
        self._card = card if card >= 0 else None

    @property
    def pass_batches(self):
        return self._card

    def epoch_batches(self):
        for batch in self._ds:
            if isinstance(batch, list):
                batch = tuple(batch)
            if self._class_weight is not None:
                batch = _apply_class_weight(batch, self._class_weight)
            yield batch


def _apply_class_weight(batch, class_weight):
    x, y, sw = unpack_x_y_sample_weight(batch)
    if y is None:
        return batch
    cw = class_weight_to_sample_weights(y, class_weight)
    if sw is not None:
        cw = cw * np.asarray(sw.numpy() if _is_tensor(sw) else sw)
    return (x, y, cw)


class GeneratorAdapter:
    """Draws batches from a Python generator/iterator (one pass lasts until it is exhausted)."""

    def __init__(self, generator):
        self._gen = generator

    @property
    def pass_batches(self):
        return None

    def epoch_batches(self):
        for batch in self._gen:
            if isinstance(batch, list):
                batch = tuple(batch)
            yield batch


class PyDatasetAdapter:
    """Indexes a `keras.utils.PyDataset`; `shuffle` permutes the batch order each pass."""

    def __init__(self, ds, shuffle=False, class_weight=None):
        self._ds = ds
        self._shuffle = shuffle
        self._class_weight = class_weight

    @property
    def pass_batches(self):
        return getattr(self._ds, "num_batches", None)

    def _finish(self, batch):
        if isinstance(batch, list):
            batch = tuple(batch)
        if self._class_weight is not None:
            batch = _apply_class_weight(batch, self._class_weight)
        return batch

    def _threaded(self, order):
        """`workers` threads fetch batches ahead (up to `max_queue_size`), yielded in order."""
        import collections
        from concurrent.futures import ThreadPoolExecutor

        ds = self._ds
        ahead = max(int(getattr(ds, "max_queue_size", 10) or 10), 1)
        with ThreadPoolExecutor(max_workers=int(ds.workers)) as pool:
            pending: collections.deque = collections.deque()
            it = iter(order)
            try:
                for idx in it:
                    pending.append(pool.submit(ds.__getitem__, int(idx)))
                    if len(pending) >= ahead:
                        yield self._finish(pending.popleft().result())
                while pending:
                    yield self._finish(pending.popleft().result())
            finally:
                for f in pending:
                    f.cancel()
        ds.on_epoch_end()

    def epoch_batches(self):
        n = self._ds.num_batches
        if n is None:
            order = None
        else:
            order = np.random.permutation(n) if self._shuffle else np.arange(n)
            if int(getattr(self._ds, "workers", 1) or 1) > 1:
                yield from self._threaded(order)
                return
        i = 0
        while order is None or i < len(order):
            idx = i if order is None else int(order[i])
            try:
                batch = self._ds[idx]
            except IndexError:
                if order is None:
                    break
                raise
            yield self._finish(batch)
            i += 1
        self._ds.on_epoch_end()


def _unsupported(arg, what, kind):
    raise ValueError(
        f"When providing `x` as a {kind}, `{arg}` should not be passed. Instead, {what} should "
        f"be included as part of the {kind}."
    )


def get_data_adapter(x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                     shuffle=False, class_weight=None):  # fmt: skip
    """The adapter for `x` (see the module docstring for the kinds accepted).

    Raises:
      ValueError: for unsupported data, or `y`/`sample_weight` given next to a dataset.
    """
    if is_tf_dataset(x):
        if y is not None:
            _unsupported("y", "the targets", "tf.data.Dataset")
        if sample_weight is not None:
            _unsupported("sample_weights", "the sample weights", "tf.data.Dataset")
        return DatasetAdapter(x, class_weight=class_weight)
    if is_py_dataset(x):
        if y is not None:
            _unsupported("y", "the targets", "PyDataset")
        if sample_weight is not None:
            _unsupported("sample_weights", "the sample weights", "PyDataset")
        return PyDatasetAdapter(x, shuffle=shuffle, class_weight=class_weight)
    if is_array_like(x):
        return ArrayAdapter(x, y, sample_weight, batch_size=batch_size, shuffle=shuffle,
                            class_weight=class_weight)  # fmt: skip
    if is_generator(x):
        if y is not None:
            _unsupported("y", "the targets", "generator")
        if sample_weight is not None:
            _unsupported("sample_weights", "the sample weights", "generator")
        if class_weight is not None:
            raise ValueError(
                "Argument `class_weight` is not supported for Python generator inputs. "
                f"Received: class_weight={class_weight}"
            )
        if shuffle:
            warnings.warn(
                "`shuffle=True` was passed, but will be ignored since the data `x` was provided "
                "as a generator. The shuffling of the data should be handled by the generator "
                "itself.",
                stacklevel=3,
            )
        return GeneratorAdapter(x)
    raise ValueError(f"Unrecognized data type: x={x} (of type {type(x)})")


class EpochIterator:
    """Steps over the data epoch by epoch: `for step, batch in it.enumerate_epoch()`.

    Without `steps_per_epoch` an epoch is one pass over the data. With it, an epoch is that many
    batches drawn from a pass that carries on across epochs; when the pass runs out the epoch
    ends early (with a warning, once) and the next epoch starts a new pass, as Keras does.

    Args:
      x, y, sample_weight, batch_size, steps_per_epoch, shuffle, class_weight: as in `fit`.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=None, steps_per_epoch=None,
                 shuffle=False, class_weight=None, steps_per_execution=1):  # fmt: skip
        self.adapter = get_data_adapter(
            x, y, sample_weight, batch_size=batch_size, steps_per_epoch=steps_per_epoch,
            shuffle=shuffle, class_weight=class_weight,
        )  # fmt: skip
        self.steps_per_epoch = None if steps_per_epoch is None else int(steps_per_epoch)
        self._current = None
        self._drawn = 0
        self._warned = False

    @property
    def num_batches(self):
        if self.steps_per_epoch is not None:
            return self.steps_per_epoch
        return self.adapter.pass_batches

    def _ran_out(self):
        if not self._warned:
            self._warned = True
            warnings.warn(
                "Your input ran out of data; interrupting training. Make sure that your dataset "
                "or generator can generate at least `steps_per_epoch * epochs` batches. You may "
                "need to use the `.repeat()` function when building your dataset.",
                stacklevel=3,
            )

    def enumerate_epoch(self):
        """Yields `(step, batch)` for one epoch."""
        if self.steps_per_epoch is None:
            step = -1
            for step, batch in enumerate(self.adapter.epoch_batches()):
                yield step, batch
            if step < 0:
                self._ran_out()
            return
        per_pass = self.adapter.pass_batches
        if self._current is None or (per_pass is not None and self._drawn >= per_pass):
            self._current = iter(self.adapter.epoch_batches())
            self._drawn = 0
        for step in range(self.steps_per_epoch):
            try:
                batch = next(self._current)
            except StopIteration:
                self._current = None
                self._ran_out()
                return
            self._drawn += 1
            yield step, batch
