"""`keras.layers.StringLookup`: strings to vocabulary indices (or back)."""

from __future__ import annotations

from tensorflux._src.keras.layers.index_lookup import IndexLookup
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.layers")
class StringLookup(IndexLookup):
    """Maps strings to integer indices from a vocabulary (or indices to strings when inverted).

    Args:
      max_tokens: the largest vocabulary size, special indices included (None: no limit).
      num_oov_indices: how many indices out-of-vocabulary strings share (hashed among them).
      mask_token: a string mapped to index 0 (None: no mask index).
      oov_token: the term standing for OOV indices in `get_vocabulary` and inverted output.
      vocabulary: a list/array/tensor of terms, or a text file path; otherwise call `adapt`.
      idf_weights: per-term weights for `output_mode="tf_idf"` with a given vocabulary.
      invert: map indices back to strings.
      output_mode: "int", "one_hot", "multi_hot", "count" or "tf_idf".
      pad_to_max_tokens: encode to `max_tokens` columns whatever the vocabulary size.
      sparse: must be False (sparse outputs are not supported yet).
      encoding: the text encoding (utf-8).
      salt: a hashing key for OOV buckets (SipHash, as `tf.strings.to_hash_bucket_strong`).
    """

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", name=None, salt=None,
                 **kwargs):  # fmt: skip
        self.encoding = encoding
        kwargs.pop("vocabulary_dtype", None)
        super().__init__(
            max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
            oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
            output_mode=output_mode, pad_to_max_tokens=pad_to_max_tokens, sparse=sparse,
            name=name, salt=salt, vocabulary_dtype="string", **kwargs,
        )  # fmt: skip

    def get_config(self):
        config = super().get_config()
        del config["vocabulary_dtype"]
        return {**config, "encoding": self.encoding}
