"""`set_random_seed`, `split_dataset`, `timeseries_dataset_from_array`, `plot_model`."""

from __future__ import annotations

import random

import numpy as np


def set_random_seed(seed):
    """Seeds Python's `random`, NumPy, TensorFlow and Keras's global seed generator.

    Args:
      seed: an int.

    Raises:
      ValueError: if `seed` is not an int.
    """
    if not isinstance(seed, int):
        raise ValueError(
            f"Expected `seed` argument to be an integer. Received: seed={seed} (of type "
            f"{type(seed)})"
        )
    random.seed(seed)
    np.random.seed(seed)
    import tensorflux as tf

    tf.random.set_seed(seed)
    from tensorflux._src.keras import random as keras_random

    keras_random._GLOBAL = keras_random.SeedGenerator(seed, name="global_seed_generator")


def _dataset_module():
    try:
        from tensorflux._src.data.dataset import DatasetV2
    except ImportError as e:  # pragma: no cover - the tf.data package is being written
        raise NotImplementedError("this utility needs tf.data, which is not available") from e
    return DatasetV2


def split_dataset(dataset, left_size=None, right_size=None, shuffle=False, seed=None):
    """Splits arrays (or a tuple/dict of arrays, or a finite dataset) into two datasets.

    Args:
      dataset: NumPy arrays/tensors (or a tuple/list/dict of them) or a `tf.data.Dataset`.
      left_size: the left part's size (a fraction in (0, 1) or a count).
      right_size: the right part's size; the sizes default to the complement of each other,
        and to 0.5 when both are None.
      shuffle: shuffle the samples before splitting.
      seed: the shuffling seed.

    Returns:
      `(left_dataset, right_dataset)` as `tf.data.Dataset`s.

    Raises:
      ValueError: on sizes that do not fit the data.
    """
    DatasetV2 = _dataset_module()
    from tensorflux._src.core import nest

    if isinstance(dataset, DatasetV2):
        elements = list(dataset.as_numpy_iterator())
        if not elements:
            raise ValueError("The dataset is empty.")
        flat = [nest.flatten(e) for e in elements]
        cols = [np.stack([f[i] for f in flat]) for i in range(len(flat[0]))]
        data = nest.pack_sequence_as(elements[0], cols)
    else:
        data = tuple(dataset) if isinstance(dataset, list) else dataset
    leaves = nest.flatten(data)
    leaves = [np.asarray(x.numpy() if hasattr(x, "numpy") else x) for x in leaves]
    n = leaves[0].shape[0]
    if left_size is None and right_size is None:
        left_size = 0.5
    left = _count(left_size, n, "left_size")
    right = _count(right_size, n, "right_size")
    if left is None:
        left = n - right
    if right is None:
        right = n - left
    if left + right > n:
        raise ValueError(
            f"The sum of `left_size` and `right_size` should be smaller than the {n} samples. "
            f"Received: left_size={left_size}, right_size={right_size}"
        )
    if left == 0 and right == 0:
        raise ValueError("Both `left_size` and `right_size` are zero.")
    order = np.arange(n)
    if shuffle:
        rng = np.random.default_rng(seed)
        rng.shuffle(order)
    lo, ro = order[:left], order[left : left + right]
    left_data = nest.pack_sequence_as(data, [x[lo] for x in leaves])
    right_data = nest.pack_sequence_as(data, [x[ro] for x in leaves])
    from_slices = DatasetV2.from_tensor_slices
    return from_slices(left_data), from_slices(right_data)


def _count(size, n, what):
    if size is None:
        return None
    if isinstance(size, float):
        if not 0 < size < 1:
            raise ValueError(
                f"`{what}` should be a float in the range (0, 1) or a positive integer. Received: "
                f"{what}={size}"
            )
        return int(round(size * n))
    if isinstance(size, int):
        if size < 0 or size > n:
            raise ValueError(
                f"`{what}` should be smaller than the number of samples {n}. Received: "
                f"{what}={size}"
            )
        return size
    raise TypeError(f"Invalid `{what}` type. Expected float or int. Received: {type(size)}")


def timeseries_dataset_from_array(data, targets, sequence_length, sequence_stride=1,
                                  sampling_rate=1, batch_size=128, shuffle=False, seed=None,
                                  start_index=None, end_index=None):  # fmt: skip
    """Windows of a time series as a batched dataset of `(windows, targets)` (or windows).

    Args:
      data: an array whose first axis is time.
      targets: `targets[i]` belongs to the window starting at `i` (None: windows only).
      sequence_length: steps per window.
      sequence_stride: offset between consecutive window starts.
      sampling_rate: offset between consecutive steps inside a window.
      batch_size: windows per batch (None: unbatched).
      shuffle: shuffle the windows.
      seed: the shuffling seed.
      start_index / end_index: the part of `data` to use.

    Returns:
      A `tf.data.Dataset`.

    Raises:
      ValueError: on out-of-range indices or non-positive lengths/rates.
    """
    DatasetV2 = _dataset_module()
    data = np.asarray(data.numpy() if hasattr(data, "numpy") else data)
    if start_index is not None and (start_index < 0 or start_index >= len(data)):
        raise ValueError(
            "`start_index` must be 0 or greater and strictly lower than the number of samples, "
            f"len(data)={len(data)}. Received: start_index={start_index}"
        )
    if end_index is not None:
        if start_index is not None and end_index <= start_index:
            raise ValueError(
                "`end_index` must be higher than `start_index`. Received: "
                f"start_index={start_index}, and end_index={end_index} "
            )
        if end_index >= len(data):
            raise ValueError(
                "`end_index` must be lower than the number of samples, len(data)="
                f"{len(data)}. Received: end_index={end_index}"
            )
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, v in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if v <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={v}")
    if sampling_rate >= len(data):
        raise ValueError(
            "`sampling_rate` must be lower than the length of the data. Received: "
            f"sampling_rate={sampling_rate}, for data of length {len(data)}"
        )
    if sequence_stride >= len(data):
        raise ValueError(
            "`sequence_stride` must be lower than the length of the data. Received: "
            f"sequence_stride={sequence_stride}, for data of length {len(data)}"
        )
    start = start_index or 0
    end = end_index if end_index is not None else len(data)
    span = (sequence_length - 1) * sampling_rate + 1
    n_windows = end - start - span + 1
    if targets is not None:
        targets = np.asarray(targets.numpy() if hasattr(targets, "numpy") else targets)
        n_windows = min(n_windows, len(targets) - start)
    starts = np.arange(0, max(n_windows, 0), sequence_stride) + start
    if shuffle:
        rng = np.random.default_rng(seed)
        rng.shuffle(starts)
    steps = np.arange(sequence_length) * sampling_rate
    windows = data[starts[:, None] + steps[None, :]] if len(starts) else \
        np.zeros((0, sequence_length) + data.shape[1:], data.dtype)  # fmt: skip
    if targets is not None:
        ds = DatasetV2.from_tensor_slices((windows, targets[starts]))
    else:
        ds = DatasetV2.from_tensor_slices(windows)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    return ds


def _has_pydot() -> bool:
    try:
        import pydot  # noqa: F401
    except ImportError:
        return False
    return True


def model_to_dot(model, *args, **kwargs):
    """Not supported: graph drawing needs pydot and Graphviz.

    Raises:
      ImportError: when pydot is not installed (as Keras).
      NotImplementedError: otherwise (the drawing itself is not written yet).
    """
    if not _has_pydot():
        raise ImportError("You must install pydot (`pip install pydot`) for model_to_dot to work.")
    raise NotImplementedError("model_to_dot is not implemented in tensorflux yet.")


def plot_model(model, to_file="model.png", *args, **kwargs):
    """Not supported: graph drawing needs pydot and Graphviz.

    Raises:
      ImportError: when pydot is not installed (as Keras).
      NotImplementedError: otherwise (the drawing itself is not written yet).
    """
    if not _has_pydot():
        raise ImportError("You must install pydot (`pip install pydot`) for `plot_model` to work.")
    raise NotImplementedError("plot_model is not implemented in tensorflux yet.")
