"""CSV sources: `tf.data.experimental.CsvDataset` and `make_csv_dataset`."""

from __future__ import annotations

import collections
import csv
import io

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.data import sources as _src
from tensorflux._src.data.dataset import UNKNOWN, DatasetV2, wrap
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec

_CSV_TYPES = (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64, dtypes.string)


def _default(d):
    """(dtype, default array or None when the field is required) of one record_defaults entry."""
    if isinstance(d, dtypes.DType):
        return d, None
    t = d if isinstance(d, Tensor) else convert_to_tensor(d)
    if t.dtype not in _CSV_TYPES:
        raise TypeError(f"Unsupported CSV column type {t.dtype!r}; use one of {_CSV_TYPES}.")
    v = t._value
    if v.size == 0:
        return t.dtype, None  # an empty default means "required"
    return t.dtype, v.reshape(-1)[0]


def _parse(text, dtype, default, col, na_value):
    if text == "" or text == na_value:
        if default is None:
            raise errors.InvalidArgumentError(
                None, None, f"Field {col} is required but missing in record!"
            )
        return np.array(default, dtype=dtype.as_numpy_dtype)
    try:
        if dtype == dtypes.string:
            return np.array(text.encode(), dtype=object)
        if dtype.is_integer:
            return np.array(int(text), dtype=dtype.as_numpy_dtype)
        return np.array(float(text), dtype=dtype.as_numpy_dtype)
    except ValueError:
        raise errors.InvalidArgumentError(
            None, None, f"Field {col} in record is not a valid {dtype.name}: {text}"
        ) from None


class CsvDataset(DatasetV2):
    """The records of CSV files as tuples of scalars, one per selected column
    (`tf.data.experimental.CsvDataset`).

    Args:
      filenames: file names (strings, a string tensor or a dataset of them).
      record_defaults: per selected column a dtype (the field is required) or a default value
        (used for empty fields); its dtype is the column's.
      compression_type: None, "", "GZIP" or "ZLIB".
      header: skip each file's first line.
      field_delim: the field separator.
      use_quote_delim: whether double quotes group fields containing delimiters.
      na_value: text read as a missing value.
      select_cols: sorted column indices to keep (or `exclude_cols` to drop).
    """

    def __init__(
        self,
        filenames,
        record_defaults,
        compression_type=None,
        buffer_size=None,
        header=False,
        field_delim=",",
        use_quote_delim=True,
        na_value="",
        select_cols=None,
        exclude_cols=None,
        name=None,
    ):
        if select_cols is not None and exclude_cols is not None:
            raise ValueError("Either select_cols or exclude_cols should be empty")
        self._files = _src._filenames(filenames)
        self._defaults = [_default(d) for d in record_defaults]
        self._compression = compression_type
        self._header = bool(header)
        self._delim = field_delim
        self._quote = use_quote_delim
        self._na = na_value
        self._select = None if select_cols is None else [int(c) for c in select_cols]
        self._exclude = set() if exclude_cols is None else {int(c) for c in exclude_cols}
        if self._select is not None and len(self._select) != len(self._defaults):
            raise ValueError("len(select_cols) must equal len(record_defaults)")
        self._spec = tuple(TensorSpec([], dt) for dt, _ in self._defaults)

    def _rows(self):
        for f in self._files:
            with _src._open(_src._path(f), self._compression) as fh:
                text = io.TextIOWrapper(fh, encoding="utf-8", newline="")
                quoting = csv.QUOTE_MINIMAL if self._quote else csv.QUOTE_NONE
                reader = csv.reader(text, delimiter=self._delim, quoting=quoting)
                for i, row in enumerate(reader):
                    if (i == 0 and self._header) or not row:
                        continue
                    yield row

    def _iter(self):
        dts = self._defaults
        for row in self._rows():
            if self._select is not None:
                cols = self._select
            else:
                cols = [c for c in range(len(row)) if c not in self._exclude]
            if len(cols) != len(dts) or (cols and cols[-1] >= len(row)):
                raise errors.InvalidArgumentError(
                    None, None, f"Expect {len(dts)} fields but have {len(cols)} in record"
                )
            yield tuple(
                wrap(_parse(row[c], dt, d, k, self._na), dt)
                for k, (c, (dt, d)) in enumerate(zip(cols, dts))
            )

    def _cardinality(self) -> int:
        return UNKNOWN


def _infer(values) -> dtypes.DType:
    kind = dtypes.int32
    for v in values:
        if v == "":
            continue
        try:
            i = int(v)
            if kind == dtypes.int32 and not -(2**31) <= i < 2**31:
                kind = dtypes.int64
            continue
        except ValueError:
            pass
        try:
            float(v)
            if kind in (dtypes.int32, dtypes.int64):
                kind = dtypes.float32
        except ValueError:
            return dtypes.string
    return kind


def make_csv_dataset(
    file_pattern,
    batch_size,
    column_names=None,
    column_defaults=None,
    label_name=None,
    select_columns=None,
    field_delim=",",
    use_quote_delim=True,
    na_value="",
    header=True,
    num_epochs=None,
    shuffle=True,
    shuffle_buffer_size=10000,
    shuffle_seed=None,
    prefetch_buffer_size=None,
    num_parallel_reads=None,
    sloppy=False,
    num_rows_for_inference=100,
    compression_type=None,
    ignore_errors=False,
    encoding="utf-8",
):
    """Batches of CSV records as `(features, label)` (an OrderedDict of columns and the label
    column) or just the OrderedDict when `label_name` is None; types are inferred from the
    first rows unless `column_defaults` gives them. Repeats `num_epochs` times (forever if None).
    """
    files = _src._filenames(_src.list_files(file_pattern, shuffle=False))
    first = CsvDataset(
        files[:1],
        [dtypes.string],
        compression_type=compression_type,
        header=False,
        field_delim=field_delim,
        use_quote_delim=use_quote_delim,
    )
    rows = []
    for k, row in enumerate(first._rows()):
        rows.append(row)
        if k >= num_rows_for_inference:
            break
    if not rows:
        raise ValueError(f"Cannot infer the columns of {files[0]!r}: the file is empty.")
    if column_names is None:
        if not header:
            raise ValueError("Expected `column_names` or `header` to be set.")
        column_names = rows[0]
    data_rows = rows[1:] if header else rows
    names = list(column_names)
    if select_columns is not None:
        idx = [names.index(c) if isinstance(c, str) else int(c) for c in select_columns]
        idx = sorted(idx)
    else:
        idx = list(range(len(names)))
    if column_defaults is None:
        kinds = [_infer([r[i] for r in data_rows if i < len(r)]) for i in idx]
        # inferred columns read empty fields as zero / empty string, as TensorFlow's do
        column_defaults = [
            wrap(np.array(b"" if k == dtypes.string else 0, dtype=k.as_numpy_dtype), k)
            for k in kinds
        ]
    ds = CsvDataset(
        files,
        column_defaults,
        compression_type=compression_type,
        header=header,
        field_delim=field_delim,
        use_quote_delim=use_quote_delim,
        na_value=na_value,
        select_cols=idx,
    )
    keys = [names[i] for i in idx]
    if label_name is not None and label_name not in keys:
        raise ValueError(f"`label_name` provided must be one of the columns: {keys}.")

    def to_features(*cols):
        feats = collections.OrderedDict(zip(keys, cols))
        if label_name is None:
            return feats
        label = feats.pop(label_name)
        return feats, label

    ds = ds.map(to_features)
    if ignore_errors:
        ds = ds.ignore_errors()
    if num_epochs != 1:
        ds = ds.repeat(num_epochs)
    if shuffle:
        ds = ds.shuffle(shuffle_buffer_size, seed=shuffle_seed)
    ds = ds.batch(batch_size, drop_remainder=num_epochs is None)
    return ds.prefetch(-1 if prefetch_buffer_size is None else prefetch_buffer_size)


__all__ = ["CsvDataset", "make_csv_dataset"]
