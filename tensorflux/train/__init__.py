"""`tf.train`: checkpoints."""

from tensorflux._src.training.checkpoint import Checkpoint as Checkpoint
from tensorflux._src.training.checkpoint_management import CheckpointManager as CheckpointManager
from tensorflux._src.training.checkpoint_management import CheckpointOptions as CheckpointOptions
from tensorflux._src.training.checkpoint import latest_checkpoint as latest_checkpoint
from tensorflux._src.training.checkpoint import list_variables as list_variables
from tensorflux._src.training.checkpoint import load_checkpoint as load_checkpoint
from tensorflux._src.training.checkpoint import load_variable as load_variable
from tensorflux._src.io.example_pb import BytesList as BytesList
from tensorflux._src.io.example_pb import Example as Example
from tensorflux._src.io.example_pb import Feature as Feature
from tensorflux._src.io.example_pb import FeatureList as FeatureList
from tensorflux._src.io.example_pb import FeatureLists as FeatureLists
from tensorflux._src.io.example_pb import Features as Features
from tensorflux._src.io.example_pb import FloatList as FloatList
from tensorflux._src.io.example_pb import Int64List as Int64List
from tensorflux._src.io.example_pb import SequenceExample as SequenceExample
