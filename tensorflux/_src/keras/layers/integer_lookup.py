"""`keras.layers.IntegerLookup`: integers to vocabulary indices (or back)."""

from __future__ import annotations

from tensorflux._src.keras.layers.index_lookup import IndexLookup
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.layers")
class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices from a vocabulary (or back when inverted).

    Args:
      max_tokens: the largest vocabulary size, special indices included (None: no limit).
      num_oov_indices: how many indices out-of-vocabulary values share (`x mod n` by default,
        FarmHash of the decimal text with `oov_method="farmhash"`).
      mask_token: a value mapped to index 0 (None: no mask index).
      oov_token: the value standing for OOV indices in `get_vocabulary` and inverted output.
      vocabulary: a list/array/tensor of values, or a text file path; otherwise call `adapt`.
      vocabulary_dtype: must be "int64".
      idf_weights, invert, output_mode, sparse, pad_to_max_tokens: as for StringLookup.
      oov_method: "floormod" (default) or "farmhash".
      salt: a hashing key (with `oov_method="farmhash"`).
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False,
                 oov_method="floormod", salt=None, name=None, **kwargs):  # fmt: skip
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                "If `max_tokens` is set for `IntegerLookup`, it must be greater than 1. "
                f"Received: max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "The value of `num_oov_indices` argument for `IntegerLookup` must >= 0. "
                f"Received: num_oov_indices={num_oov_indices}"
            )
        if vocabulary_dtype != "int64":
            raise ValueError(
                "Only `vocabulary_dtype='int64'` is supported at this time. Received: "
                f"vocabulary_dtype={vocabulary_dtype}"
            )
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
            oov_token=oov_token, vocabulary=vocabulary, vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, name=name,
            **kwargs,
        )  # fmt: skip
