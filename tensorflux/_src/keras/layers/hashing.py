"""`keras.layers.Hashing`: values to hash bins (FarmHash, or SipHash with a salt)."""

from __future__ import annotations

from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.index_lookup import encode_ids, salt_pair
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.serialization import register_builtin


def _tf():
    import tensorflux as tf

    return tf


@register_builtin("keras.layers")
class Hashing(Layer):
    """Hashes strings or numbers into `num_bins` bins.

    Values are hashed as text (integers by their decimal spelling, floats after truncation to
    int64) with FarmHash Fingerprint64, or with keyed SipHash-2-4 when `salt` is given.

    Args:
      num_bins: the number of bins, the mask bin included.
      mask_value: a value sent to bin 0 (the others then share bins 1..num_bins-1).
      salt: an int or a pair of ints: the SipHash key.
      output_mode: "int" (default), "one_hot", "multi_hot" or "count".
      sparse: must be False (sparse outputs are not supported yet).
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False,
                 **kwargs):  # fmt: skip
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError(
                'When `output_mode="int"`, `dtype` should be an integer type, \'int32\' or '
                f"'in64'. Received: dtype={self.dtype_policy.name}"
            )
        modes = ("int", "one_hot", "multi_hot", "count")
        if output_mode not in modes:
            raise ValueError(
                f"Invalid value for argument `output_mode`. Expected one of {modes}. Received: "
                f"output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                '`sparse` may only be true if `output_mode` is `"one_hot"`, `"multi_hot"`, or '
                f'`"count"`. Received: sparse={sparse} and output_mode={output_mode}'
            )
        if sparse:
            raise NotImplementedError("Hashing(sparse=True) (SparseTensor outputs) is not "
                                      "supported yet.")  # fmt: skip
        if salt is not None:
            salt = salt_pair(salt, "Hashing", "a tuple of size 2 integers")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.strong_hash = salt is not None
        self.output_mode = output_mode
        self.sparse = sparse
        self.salt = salt
        self.autocast = False
        self.built = True

    def _bins(self, values):
        tf = _tf()
        bins, mask = self.num_bins, None
        if self.mask_value is not None and bins > 1:
            bins -= 1
            mask = tf.equal(values, tf.constant(self.mask_value, values.dtype))
        if values.dtype.is_floating:
            values = tf.cast(values, "int64")
        if values.dtype != tf.string:
            values = tf.strings.as_string(values)
        if self.strong_hash:
            out = tf.strings.to_hash_bucket_strong(values, bins, key=self.salt)
        else:
            out = tf.strings.to_hash_bucket_fast(values, bins)
        if mask is not None:
            out = tf.where(mask, tf.zeros_like(out), out + 1)
        return out

    def call(self, inputs):
        tf = _tf()
        x = inputs if isinstance(inputs, tf.SparseTensor) else tf.convert_to_tensor(inputs)
        if isinstance(x, tf.SparseTensor):
            ids = tf.SparseTensor(x.indices, self._bins(x.values), x.dense_shape)
            if self.output_mode != "int":
                raise NotImplementedError(
                    "Hashing with a non-int output_mode on SparseTensor inputs is not supported "
                    "yet."
                )
            return ids
        ids = self._bins(x)
        if self.output_mode == "int":
            return tf.cast(ids, self.compute_dtype)
        return encode_ids(tf, ids, self.num_bins, self.output_mode, self.compute_dtype)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        if len(input_shape) == 0:
            return (self.num_bins,)
        if self.output_mode == "one_hot" and input_shape[-1] != 1:
            return tuple(input_shape) + (self.num_bins,)
        return tuple(input_shape[:-1]) + (self.num_bins,)

    def compute_output_spec(self, inputs):
        from tensorflux._src.keras.keras_tensor import KerasTensor

        return KerasTensor(self.compute_output_shape(inputs.shape.as_list()), self.compute_dtype)

    def get_config(self):
        return {
            **super().get_config(), "num_bins": self.num_bins, "salt": self.salt,
            "mask_value": self.mask_value, "output_mode": self.output_mode,
            "sparse": self.sparse,
        }  # fmt: skip
