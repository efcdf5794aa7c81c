"""tf.data: input pipelines."""

from tensorflux._src.data import iterator as _iterator  # noqa: F401 - registers iterator ops
from tensorflux._src.data.batching import DatasetSpec as DatasetSpec
from tensorflux._src.data.dataset import AUTOTUNE as AUTOTUNE
from tensorflux._src.data.dataset import INFINITE as INFINITE_CARDINALITY
from tensorflux._src.data.dataset import UNKNOWN as UNKNOWN_CARDINALITY
from tensorflux._src.data.dataset import DatasetV2 as Dataset
from tensorflux._src.data.iterator import NumpyIterator as NumpyIterator
from tensorflux._src.data.iterator import OwnedIterator as Iterator
from tensorflux._src.data.options import Options as Options
from tensorflux._src.data.options import ThreadingOptions as ThreadingOptions
from tensorflux._src.data.sources import FixedLengthRecordDataset as FixedLengthRecordDataset
from tensorflux._src.data.sources import TextLineDataset as TextLineDataset
from tensorflux._src.data.tfrecord_dataset import TFRecordDataset as TFRecordDataset
from tensorflux.data import experimental as experimental
