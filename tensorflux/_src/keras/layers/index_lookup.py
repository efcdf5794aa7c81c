"""The shared base of `StringLookup` and `IntegerLookup`: a vocabulary mapped to indices with a
`tf.lookup.StaticHashTable`, learned by `adapt` or given, with mask and out-of-vocabulary (OOV)
indices and the categorical encodings.

Index layout (as Keras): `[mask (int mode only)] [OOV indices] [vocabulary tokens]`.
"""

from __future__ import annotations

import collections
import os

import numpy as np

from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.layer import Layer

_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def salt_pair(salt, layer: str, pair_text: str) -> list:
    """A hashing salt as two ints: a pair as given, or one int twice."""
    if isinstance(salt, (tuple, list)) and len(salt) == 2:
        return list(salt)
    if isinstance(salt, int):
        return [salt, salt]
    raise ValueError(
        f"The `salt` argument for `{layer}` can only be {pair_text}, or a single integer. "
        f"Received: salt={salt}."
    )


def _tf():
    import tensorflux as tf

    return tf


def _listify(x):
    if hasattr(x, "numpy"):
        x = x.numpy()
    if isinstance(x, np.ndarray):
        x = x.tolist()
    if isinstance(x, list):
        x = [v.decode("utf-8") if isinstance(v, bytes) else v for v in x]
    return x


def encode_ids(tf, ids, depth, mode, dtype):
    """One-hot / multi-hot / count encoding of int ids; ids outside [0, depth) are dropped.

    one_hot encodes every element (a trailing axis of size 1 is folded in); multi_hot and count
    treat the last axis as one sample's values (a rank-1 input is one sample).
    """
    ids = tf.cast(ids, "int64")
    if mode == "one_hot" and len(ids.shape) > 1 and ids.shape[-1] == 1:
        ids = tf.squeeze(ids, -1)
    ok = tf.logical_and(ids >= 0, ids < depth)
    ids = tf.where(ok, ids, tf.constant(-1, "int64"))  # one_hot of -1 is all zeros
    hot = tf.one_hot(ids, depth, dtype=dtype)
    if mode == "one_hot":
        return hot
    summed = tf.reduce_sum(hot, axis=-2 if len(ids.shape) > 1 else 0)
    return tf.minimum(summed, tf.ones_like(summed)) if mode == "multi_hot" else summed


class IndexLookup(Layer):
    """Maps vocabulary terms to indices (or back, with `invert=True`). See StringLookup."""

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 sparse=False, pad_to_max_tokens=False, oov_method="floormod", name=None,
                 salt=None, **kwargs):  # fmt: skip
        tf = _tf()
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(
                f"If set, `max_tokens` must be greater than 1. Received: max_tokens={max_tokens}"
            )
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(
                "If pad_to_max_tokens is True, must set `max_tokens`. Received: "
                f"max_tokens={max_tokens}"
            )
        if num_oov_indices < 0:
            raise ValueError(
                "`num_oov_indices` must be greater than or equal to 0. Received: "
                f"num_oov_indices={num_oov_indices}"
            )
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(
                f"Unknown value for `oov_method` argument of {type(self).__name__}. Allowed "
                f"values are: ('floormod', 'farmhash'). Received: oov_method={oov_method}"
            )
        vdtype = tf.as_dtype(vocabulary_dtype)
        if salt is not None:
            if vdtype.is_integer and oov_method != "farmhash":
                raise ValueError(
                    "`salt` can only be used when `oov_method='farmhash'`. Received: "
                    f"oov_method={oov_method}"
                )
            salt = salt_pair(salt, "IndexLookup", "a tuple of 2 integers")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in _MODES:
            raise ValueError(
                f"Unknown value for `output_mode` argument of {type(self).__name__}. Allowed "
                f"values are: {_MODES}. Received: output_mode={output_mode}"
            )
        if invert and output_mode != "int":
            raise ValueError(
                f"`output_mode` must be `'int'` when `invert` is true. Received: "
                f"output_mode={output_mode}"
            )
        if sparse and output_mode == "int":
            raise ValueError(
                "`sparse` may only be true if `output_mode` is `'one_hot'`, `'multi_hot'`, "
                f"`'count'` or `'tf_idf'`. Received: sparse={sparse} and "
                f"output_mode={output_mode}"
            )
        if sparse:
            raise NotImplementedError(
                f"{type(self).__name__}(sparse=True) (SparseTensor outputs) is not supported yet."
            )
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(
                "`idf_weights` should only be set if `output_mode` is `'tf_idf'`. Received: "
                f"idf_weights={idf_weights} and output_mode={output_mode}"
            )
        frozen = kwargs.pop("vocabulary_size", None)
        has_vocab = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword argument(s): {kwargs}")
        super().__init__(name=name)
        self.invert = invert
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vdtype.name
        self.oov_method = oov_method
        self.salt = salt
        self._frozen_vocab_size = frozen
        self.input_vocabulary = vocabulary if not isinstance(vocabulary, str) else None
        self.input_idf_weights = idf_weights
        self._has_input_vocabulary = has_vocab
        self._tokens = None  # the learned or given terms, without mask/OOV tokens
        self._idf = None  # NumPy idf weights over the whole index range (tf_idf mode)
        self.lookup_table = None
        if invert:
            self._key_dtype, self._value_dtype = "int64", self.vocabulary_dtype
            self._default_value = oov_token
        else:
            self._key_dtype, self._value_dtype = self.vocabulary_dtype, "int64"
            # One OOV index: the table's default; several: -1, then hashed into the OOV range.
            self._default_value = self._oov_start_index() if num_oov_indices == 1 else -1
        if output_mode == "tf_idf" and has_vocab and idf_weights is None:
            raise ValueError(
                "When specifying the `vocabulary` argument, in TF-IDF output mode, the "
                "`idf_weights` argument must also be provided."
            )
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------------ index layout

    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of indices: the terms plus the mask and OOV indices."""
        return len(self._tokens or ()) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens=True) -> list:
        """The vocabulary; with special tokens a term's position is its index."""
        vocab = [self.oov_token] * self._token_start_index() + list(self._tokens or ())
        if self.mask_token is not None and self.output_mode == "int":
            vocab[0] = self.mask_token
        if not include_special_tokens:
            vocab = vocab[self._token_start_index() :]
        return vocab

    # ------------------------------------------------------------------ vocabulary

    def _as_token(self, v):
        """A vocabulary entry as a Python str (string layers) or int."""
        if isinstance(v, bytes):
            return v.decode("utf-8")
        if isinstance(v, (np.integer, np.floating)):
            return v.item()
        return v

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Sets the vocabulary (an array-like of terms or a text file path, one term a line) and,
        in tf_idf mode, the idf weights (same length as `vocabulary`)."""
        if self.output_mode == "tf_idf":
            if idf_weights is None:
                raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        elif idf_weights is not None:
            raise ValueError(
                "`idf_weights` should only be set if output_mode is `'tf_idf'`. Received: "
                f"output_mode={self.output_mode} and idf_weights={idf_weights}"
            )
        if isinstance(vocabulary, str):
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            if self.output_mode == "tf_idf":
                raise ValueError(
                    "output_mode `'tf_idf'` does not support loading a vocabulary from file."
                )
            with open(vocabulary, encoding="utf-8") as f:
                lines = f.read().splitlines()
            vocabulary = [ln if self.vocabulary_dtype == "string" else int(ln) for ln in lines]
        if hasattr(vocabulary, "numpy"):
            vocabulary = vocabulary.numpy()
        vocab = [self._as_token(v) for v in np.asarray(vocabulary, dtype=object).reshape(-1)]
        if hasattr(idf_weights, "numpy"):
            idf_weights = idf_weights.numpy()
        if not vocab:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        oov_start, token_start = self._oov_start_index(), self._token_start_index()
        specials = [self.mask_token] * oov_start + [self.oov_token] * self.num_oov_indices
        found_specials = vocab[:token_start] == specials
        tokens = vocab[token_start:] if found_specials else vocab
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError(
                "The passed vocabulary has at least one repeated term. Please uniquify your "
                f"dataset. The repeated terms are: {repeated}"
            )
        for what, token in (("mask", self.mask_token), ("OOV", self.oov_token)):
            if token is None or token not in tokens or (what == "OOV" and not self.invert):
                continue
            at = len(vocab) - 1 - vocab[::-1].index(token)
            arg = "mask_token" if what == "mask" else "oov_token"
            raise ValueError(
                f"Found reserved {what} token at unexpected location in `vocabulary`. Note that "
                "passed `vocabulary` does not need to include the OOV and mask tokens. Either "
                "remove all mask and OOV tokens, or include them only at the start of the "
                f"vocabulary in precisely this order: {specials}. Received: {arg}={token} at "
                f"vocabulary index [{at}]"
            )
        size = token_start + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                "Attempted to set a vocabulary larger than the maximum vocab size. Received "
                f"vocabulary size is {size}; `max_tokens` is {self.max_tokens}."
            )
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            idf = np.asarray(idf_weights, np.float64)
            if len(idf) != len(vocab):
                raise ValueError(
                    "`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                    f"{len(idf)}; len(vocabulary) is {len(vocab)}"
                )
            if idf.ndim != 1:
                raise ValueError(
                    f"TF-IDF data must be a 1-index array. Received: type(idf_weights)="
                    f"{type(idf_weights)}"
                )
            front = 0 if found_specials else token_start
            self._idf = self._pad_idf(idf, front, float(np.mean(idf)) if front else 0.0)
        self._record_vocabulary_size()

    def _pad_idf(self, idf, front, front_value):
        back = 0
        if self.pad_to_max_tokens and self.max_tokens is not None:
            back = max(0, self.max_tokens - front - len(idf))
        return np.pad(idf, (front, back), constant_values=(front_value, 0.0)).astype(np.float32)

    def _set_tokens(self, tokens):
        tf = _tf()
        self._tokens = list(tokens)
        start = self._token_start_index()
        indices = np.arange(start, start + len(tokens), dtype=np.int64)
        if self.vocabulary_dtype == "string":
            terms = np.array([t.encode("utf-8") if isinstance(t, str) else t for t in tokens],
                             dtype=object)  # fmt: skip
        else:
            terms = np.array(tokens, dtype=np.int64)
        keys, values = (indices, terms) if self.invert else (terms, indices)
        init = tf.lookup.KeyValueTensorInitializer(
            tf.constant(keys, self._key_dtype), tf.constant(values, self._value_dtype)
        )
        default = self._default_value
        if isinstance(default, str):
            default = default.encode("utf-8")
        self.lookup_table = tf.lookup.StaticHashTable(init, default)

    def _record_vocabulary_size(self):
        new = self.vocabulary_size()
        fixed = self.output_mode == "int" or self.pad_to_max_tokens
        if not fixed and self._frozen_vocab_size is not None and new != self._frozen_vocab_size:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "the vocabulary size cannot be changed after the layer is called. Old vocab "
                f"size is {self._frozen_vocab_size}, new vocab size is {new}"
            )
        self._frozen_vocab_size = new

    # ------------------------------------------------------------------ adapt

    def adapt(self, data, steps=None):
        """Learns the vocabulary from `data` (an array, tensor, list or batched dataset): terms
        by decreasing count, ties by decreasing term, at most `max_tokens` indices in all; in
        tf_idf mode also each term's document frequency (each row is a document)."""
        if self._has_input_vocabulary:
            raise ValueError(
                f"Cannot adapt layer '{self.name}' after setting a static vocabulary via "
                "`vocabulary` argument or `set_vocabulary()` method."
            )
        counts, doc_counts, docs = collections.Counter(), collections.Counter(), 0
        for batch, direct in _batches(data, steps):
            for row in _rows(self, batch, direct):
                counts.update(row)
                doc_counts.update(set(row))
                docs += 1
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        if not counts:
            self._record_vocabulary_size()
            return
        ranked = sorted(counts.items(), key=lambda kv: (kv[1], _order(kv[0])), reverse=True)
        if self.max_tokens:
            ranked = ranked[: self.max_tokens - self._token_start_index()]
        tokens = [t for t, _ in ranked]
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            idf = np.log1p(docs / (1.0 + np.array([doc_counts[t] for t in tokens], np.float64)))
            idf = idf.astype(np.float32)  # Keras computes in float64, then casts to floatx
            self._idf = self._pad_idf(idf, self._token_start_index(), float(np.mean(idf)))
        self._record_vocabulary_size()

    # ------------------------------------------------------------------ call

    def call(self, inputs):
        tf = _tf()
        fixed = self.output_mode == "int" or self.pad_to_max_tokens
        if not fixed and self._frozen_vocab_size is None:
            raise RuntimeError(
                f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, "
                "you must set the layer's vocabulary before calling it. Either pass a "
                "`vocabulary` argument to the layer, or call `adapt` with some sample data."
            )
        if self.lookup_table is None:
            raise tf.errors.FailedPreconditionError(None, None, "Table not initialized.")
        x = self._input_tensor(inputs)
        if isinstance(x, tf.SparseTensor):
            ids = tf.SparseTensor(x.indices, self._lookup_dense(x.values), x.dense_shape)
        elif hasattr(x, "flat_values") and hasattr(x, "with_flat_values"):
            ids = x.with_flat_values(self._lookup_dense(x.flat_values))
        else:
            scalar = len(x.shape) == 0
            ids = self._lookup_dense(tf.reshape(x, [1]) if scalar else x)
            if scalar and self.output_mode == "int":
                return tf.reshape(ids, [])
        if self.output_mode == "int":
            return ids
        if not isinstance(ids, tf.Tensor):
            raise NotImplementedError(
                f"{type(self).__name__}(output_mode={self.output_mode!r}) on sparse or ragged "
                "inputs is not supported yet."
            )
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode_ids(tf, ids, depth, mode, self._value_dtype)
        if self.output_mode == "tf_idf":
            out = tf.cast(out, backend.floatx()) * tf.constant(self._idf, backend.floatx())
        return out

    def _input_tensor(self, inputs):
        tf = _tf()
        if isinstance(inputs, tf.SparseTensor) or hasattr(inputs, "flat_values"):
            return inputs
        x = tf.convert_to_tensor(inputs)
        if x.dtype == tf.string and self._key_dtype != "string":
            raise tf.errors.UnimplementedError(
                None, None, f"Cast string to {self._key_dtype} is not supported"
            )
        if x.dtype.is_integer and tf.as_dtype(self._key_dtype) is tf.int64 and x.dtype != tf.int64:
            x = tf.cast(x, "int64")
        return x

    def _lookup_dense(self, x):
        tf = _tf()
        ids = self.lookup_table.lookup(x)
        if self.mask_token is not None:
            key = 0 if self.invert else self.mask_token
            if self.invert:
                value = self.mask_token
            else:
                value = 0 if self.output_mode == "int" else np.iinfo(np.int64).max
            hit = tf.equal(x, tf.constant(key, x.dtype))
            ids = tf.where(hit, tf.constant(value, ids.dtype), ids)
        if self.invert:
            return ids
        if self.num_oov_indices == 0:
            return self._check_no_oov(tf, x, ids)
        if self.num_oov_indices > 1:
            n = self.num_oov_indices
            if x.dtype.is_integer and self.oov_method != "farmhash":
                oov = tf.math.floormod(x, tf.constant(n, x.dtype))
            else:
                text = tf.strings.as_string(x) if x.dtype.is_integer else x
                if self.salt is not None:
                    oov = tf.strings.to_hash_bucket_strong(text, n, key=self.salt)
                else:
                    oov = tf.strings.to_hash_bucket_fast(text, n)
            oov = tf.cast(oov, "int64") + self._oov_start_index()
            ids = tf.where(tf.equal(ids, tf.constant(-1, "int64")), oov, ids)
        return ids

    def _check_no_oov(self, tf, x, ids):
        miss = tf.equal(ids, tf.constant(-1, "int64"))
        if tf.executing_eagerly():
            if bool(tf.reduce_any(miss)):
                bad = tf.boolean_mask(x, miss).numpy().tolist()
                shown = "[" + " ".join(
                    f'"{b.decode("utf-8", "replace")}"' if isinstance(b, bytes) else str(b)
                    for b in bad
                ) + "]"  # fmt: skip
                raise tf.errors.InvalidArgumentError(
                    None, None,
                    "When `num_oov_indices=0` all inputs should be in vocabulary, found OOV "
                    f"values {shown}, consider setting `num_oov_indices=1`.",
                )  # fmt: skip
            return ids
        check = tf.debugging.Assert(
            tf.logical_not(tf.reduce_any(miss)),
            ["When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values, "
             "consider setting `num_oov_indices=1`."],
        )  # fmt: skip
        with tf.control_dependencies([check]):
            return tf.identity(ids)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        depth = self.max_tokens if self.pad_to_max_tokens else self._frozen_vocab_size
        input_shape = tuple(input_shape)
        if self.output_mode == "one_hot" and not (len(input_shape) > 1 and input_shape[-1] == 1):
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def compute_output_spec(self, inputs):
        from tensorflux._src.keras.keras_tensor import KerasTensor

        if self.output_mode == "int":
            dtype = self.vocabulary_dtype if self.invert else "int64"
        else:
            dtype = backend.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape.as_list()), dtype)

    # ------------------------------------------------------------------ config and saving

    def get_config(self):
        return {
            **super().get_config(),
            "invert": self.invert, "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
            "mask_token": self.mask_token, "output_mode": self.output_mode,
            "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": _listify(self.input_idf_weights),
            "vocabulary": _listify(self.input_vocabulary),
            "vocabulary_size": self._frozen_vocab_size, "oov_method": self.oov_method,
            "salt": self.salt,
        }  # fmt: skip

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_assets(self, dir_path):
        """Writes an adapted vocabulary to `vocabulary.txt` (a given one lives in the config)."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, "vocabulary.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(str(w) for w in self.get_vocabulary()))
        if self.output_mode == "tf_idf" and self._idf is not None:
            np.savetxt(os.path.join(dir_path, "idf_weights.txt"), self._idf)

    def load_assets(self, dir_path):
        """Reads back what `save_assets` wrote."""
        if self.input_vocabulary is not None:
            return
        path = os.path.join(dir_path, "vocabulary.txt")
        if not os.path.exists(path):
            return
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if self.vocabulary_dtype != "string":
            lines = [int(x) for x in lines]
        idf = None
        if self.output_mode == "tf_idf":
            idf = np.loadtxt(os.path.join(dir_path, "idf_weights.txt"), ndmin=1)
            idf = idf[: len(lines)]
        self.set_vocabulary(lines, idf_weights=idf)


def _order(token):
    return token.encode("utf-8") if isinstance(token, str) else token


def _batches(data, steps):
    """(batch, direct) pairs: arrays, tensors and lists are one direct batch (a rank-1 one holds
    one-token documents); datasets and other iterables give their elements (a rank-1 element is
    one document)."""
    if isinstance(data, (list, tuple, np.ndarray)) or hasattr(data, "numpy") or hasattr(
        data, "flat_values"
    ):  # fmt: skip
        yield data, True
        return
    if hasattr(data, "element_spec") and steps is not None:
        data = data.take(steps)
        steps = None
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            break
        yield batch, False


def _rows(layer, batch, direct) -> list:
    """The documents of one batch, as lists of Python tokens."""
    if hasattr(batch, "to_list"):  # ragged: one document per row
        rows = batch.to_list()
    else:
        arr = batch.numpy() if hasattr(batch, "numpy") else np.asarray(batch)
        arr = np.asarray(arr)
        if arr.ndim == 0:
            arr = arr.reshape(1, 1)
        elif arr.ndim == 1:
            arr = arr.reshape(-1, 1) if direct else arr.reshape(1, -1)
        rows = arr.reshape(arr.shape[0], -1).tolist()
    return [[layer._as_token(v) for v in _flatten(row)] for row in rows]


def _flatten(row):
    if isinstance(row, (list, tuple)):
        return [v for item in row for v in _flatten(item)]
    return [row]
