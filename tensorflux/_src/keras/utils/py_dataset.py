"""`keras.utils.PyDataset` (formerly `Sequence`): a dataset of batches indexed from Python."""

from __future__ import annotations


class PyDataset:
    """Base class for datasets that build each batch in Python.

    Subclasses implement `__getitem__(index)` (returning a batch: `x`, `(x, y)` or
    `(x, y, sample_weight)`) and `__len__` (the number of batches), and may override
    `on_epoch_end`. With `workers > 1`, that many threads fetch up to `max_queue_size`
    batches ahead, delivered in order (threads also when `use_multiprocessing=True`).

    Args:
      workers: the number of workers requested.
      use_multiprocessing: whether processes were requested instead of threads.
      max_queue_size: the prefetch queue size requested.
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self):
        return getattr(self, "_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        return getattr(self, "_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        return getattr(self, "_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    @property
    def num_batches(self):
        """The number of batches (`len(self)`), or None when `__len__` is not defined."""
        if type(self).__len__ is PyDataset.__len__:
            return None
        return len(self)

    def on_epoch_begin(self):
        """Called at the start of each epoch."""

    def on_epoch_end(self):
        """Called at the end of each epoch."""


Sequence = PyDataset
