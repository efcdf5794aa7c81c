"""`tf.strings`: operations on string tensors (which hold bytes)."""

from tensorflux._src.ops.string_hash_ops import to_hash_bucket as to_hash_bucket
from tensorflux._src.ops.string_hash_ops import to_hash_bucket_fast as to_hash_bucket_fast
from tensorflux._src.ops.string_hash_ops import to_hash_bucket_strong as to_hash_bucket_strong
from tensorflux._src.ops.string_ops import format as format  # noqa: A004
from tensorflux._src.ops.string_ops import join as join
from tensorflux._src.ops.string_ops import length as length
from tensorflux._src.ops.string_ops import lower as lower
from tensorflux._src.ops.string_ops import reduce_join as reduce_join
from tensorflux._src.ops.string_regex import regex_full_match as regex_full_match
from tensorflux._src.ops.string_regex import regex_replace as regex_replace
from tensorflux._src.ops.string_ops import strip as strip
from tensorflux._src.ops.string_ops import substr as substr
from tensorflux._src.ops.string_ops import unsorted_segment_join as unsorted_segment_join
from tensorflux._src.ops.string_ops import upper as upper
from tensorflux._src.ops.string_conv_ops import as_string as as_string
from tensorflux._src.ops.string_conv_ops import to_number as to_number
from tensorflux._src.ops.string_split_ops import bytes_split as bytes_split
from tensorflux._src.ops.string_split_ops import ngrams as ngrams
from tensorflux._src.ops.string_split_ops import split as split
from tensorflux._src.ops.unicode_ops import unicode_decode as unicode_decode
from tensorflux._src.ops.unicode_ops import (
    unicode_decode_with_offsets as unicode_decode_with_offsets,
)
from tensorflux._src.ops.unicode_ops import unicode_encode as unicode_encode
from tensorflux._src.ops.unicode_ops import unicode_script as unicode_script
from tensorflux._src.ops.unicode_ops import unicode_split as unicode_split
from tensorflux._src.ops.unicode_ops import unicode_split_with_offsets as unicode_split_with_offsets
from tensorflux._src.ops.unicode_ops import unicode_transcode as unicode_transcode
