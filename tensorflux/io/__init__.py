"""`tf.io`: TFRecord files and tf.train.Example parsing (more of tf.io lands with issue 5)."""

from tensorflux._src.io.parsing_ops import FixedLenFeature as FixedLenFeature
from tensorflux._src.io.parsing_ops import FixedLenSequenceFeature as FixedLenSequenceFeature
from tensorflux._src.io.parsing_ops import RaggedFeature as RaggedFeature
from tensorflux._src.io.parsing_ops import SparseFeature as SparseFeature
from tensorflux._src.io.parsing_ops import VarLenFeature as VarLenFeature
from tensorflux._src.io.parsing_ops import parse_example as parse_example
from tensorflux._src.io.parsing_ops import parse_single_example as parse_single_example
from tensorflux._src.io.sequence_parsing import parse_sequence_example as parse_sequence_example
from tensorflux._src.io.sequence_parsing import parse_single_sequence_example as parse_single_sequence_example
from tensorflux._src.io.tfrecord import TFRecordOptions as TFRecordOptions
from tensorflux._src.io.tfrecord import TFRecordWriter as TFRecordWriter
