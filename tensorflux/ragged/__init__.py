"""`tf.ragged`: building and transforming RaggedTensors (see docs/ragged.md)."""

from tensorflux._src.ragged.ragged_factory import constant as constant
from tensorflux._src.ragged.ragged_factory import range as range
from tensorflux._src.ragged.ragged_factory import (
    row_splits_to_segment_ids as row_splits_to_segment_ids,
)
from tensorflux._src.ragged.ragged_factory import (
    segment_ids_to_row_splits as segment_ids_to_row_splits,
)
from tensorflux._src.ragged.ragged_ops import boolean_mask as boolean_mask
from tensorflux._src.ragged.ragged_ops import cross as cross
from tensorflux._src.ragged.ragged_ops import cross_hashed as cross_hashed
from tensorflux._src.ragged.ragged_ops import map_flat_values as map_flat_values
from tensorflux._src.ragged.ragged_ops import stack as stack
from tensorflux._src.ragged.ragged_ops import stack_dynamic_partitions as stack_dynamic_partitions
from tensorflux._src.ragged.ragged_dispatch import install as _install

_install()
