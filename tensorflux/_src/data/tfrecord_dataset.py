"""`tf.data.TFRecordDataset`: the records of TFRecord files, CRC-checked (tf.io's reader)."""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.data.dataset import UNKNOWN, DatasetV2
from tensorflux._src.data.sources import _filenames, _path, _string
from tensorflux._src.io.tfrecord import tf_record_iterator
from tensorflux._src.tensor_spec import TensorSpec


class TFRecordDataset(DatasetV2):
    """The records of one or more TFRecord files, as scalar string tensors.

    Args:
      filenames: a file name, a list of them, or a string tensor/dataset of names.
      compression_type: "", "ZLIB" or "GZIP".
      buffer_size: accepted (files are read whole).
      num_parallel_reads: accepted; files are read one after another, in order.
      name: accepted.

    Raises:
      DataLossError: while iterating, on a corrupted or truncated record.
    """

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):  # fmt: skip
        self._files = _filenames(filenames)
        self._compression = compression_type or ""
        self._spec = TensorSpec([], dtypes.string)

    def _iter(self):
        for f in self._files:
            for record in tf_record_iterator(_path(f), self._compression):
                yield _string(record)

    def _cardinality(self) -> int:
        return UNKNOWN
