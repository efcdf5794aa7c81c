"""`keras.layers.TextVectorization`: standardize, split, n-grams, then a StringLookup."""

from __future__ import annotations

from tensorflux._src.keras import backend
from tensorflux._src.keras.layers.layer import Layer
from tensorflux._src.keras.layers.string_lookup import StringLookup
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)

# The punctuation "strip_punctuation" removes (ASCII punctuation, as Keras defines it).
_PUNCTUATION = r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']'
_STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
_SPLIT = ("whitespace", "character")
_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


def _tf():
    import tensorflux as tf

    return tf


def _check_choice(value, allowed, arg, callables=True):
    if value is None or (callables and callable(value)) or value in allowed:
        return
    raise ValueError(
        f"Unknown value for `{arg}` argument of TextVectorization. Allowed values are: "
        f"{allowed}. Received: {arg}={value}"
    )


@register_builtin("keras.layers")
class TextVectorization(Layer):
    """Turns text into token indices (or multi-hot / count / tf-idf vectors).

    Each input string is standardized (`standardize`: "lower_and_strip_punctuation", "lower",
    "strip_punctuation", None or a callable), split into tokens (`split`: "whitespace",
    "character", None or a callable), optionally combined into n-grams (`ngrams`: an int up to
    which all n-grams are made, or a tuple of widths), then looked up in a vocabulary learned by
    `adapt` or given as `vocabulary` (index 0 is the padding token "", 1 is "[UNK]").

    Args:
      max_tokens: the largest vocabulary size, padding and OOV included.
      output_mode: "int" (token indices), "multi_hot", "count", "tf_idf" or "one_hot".
      output_sequence_length: in "int" mode, pad or cut every row to this many indices.
      pad_to_max_tokens: in vector modes, output `max_tokens` columns.
      vocabulary / idf_weights: a given vocabulary (list or file path) and its idf weights.
      sparse: must be False (sparse outputs are not supported yet).
      ragged: in "int" mode, return a RaggedTensor instead of padding.
      encoding: the text encoding (utf-8).
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int", output_sequence_length=None,
                 pad_to_max_tokens=False, vocabulary=None, idf_weights=None, sparse=False,
                 ragged=False, encoding="utf-8", name=None, **kwargs):  # fmt: skip
        _check_choice(standardize, _STANDARDIZE, "standardize")
        _check_choice(split, _SPLIT, "split")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        _check_choice(output_mode, _MODES, "output_mode", callables=False)
        if output_mode is None:
            raise ValueError("`output_mode` must be set for TextVectorization.")
        if not (ngrams is None or isinstance(ngrams, int)
                or (isinstance(ngrams, tuple) and all(isinstance(n, int) for n in ngrams))):
            raise ValueError(
                f"`ngrams` must be None, an integer, or a tuple of integers. Received: "
                f"ngrams={ngrams}"
            )
        if output_mode == "int" and not (
            output_sequence_length is None or isinstance(output_sequence_length, int)
        ):
            raise ValueError(
                "`output_sequence_length` must be either None or an integer when `output_mode` "
                f"is 'int'. Received: output_sequence_length={output_sequence_length}"
            )
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(
                "`output_sequence_length` must not be set if `output_mode` is not 'int'. "
                f"Received output_sequence_length={output_sequence_length}."
            )
        if ragged and output_mode != "int":
            raise ValueError(
                f"`ragged` must not be true if `output_mode` is `'int'`. Received: "
                f"ragged={ragged} and output_mode={output_mode}"
            )
        has_vocab = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._ragged = ragged
        self._encoding = encoding
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            sparse=sparse, has_input_vocabulary=has_vocab, encoding=encoding,
            vocabulary_size=vocabulary_size,
        )  # fmt: skip
        self.built = True

    # ------------------------------------------------------------------ text processing

    @property
    def compute_dtype(self):
        return "string"

    @property
    def variable_dtype(self):
        return "string"

    def build(self, input_shape=None):
        self.built = True

    def _preprocess(self, inputs):
        tf = _tf()
        x = inputs
        if not hasattr(x, "flat_values"):
            x = tf.convert_to_tensor(x, dtype=tf.string)
        if self._standardize in ("lower", "lower_and_strip_punctuation"):
            x = tf.strings.lower(x)
        if self._standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            x = tf.strings.regex_replace(x, _PUNCTUATION, "")
        if callable(self._standardize):
            x = self._standardize(x)
        if self._split is not None:
            if x.shape.rank is not None and x.shape.rank > 1:
                if x.shape[-1] != 1:
                    raise ValueError(
                        "When using `TextVectorization` to tokenize strings, the input rank "
                        "must be 1 or the last shape dimension must be 1. Received: "
                        f"inputs.shape={x.shape} with rank={x.shape.rank}"
                    )
                x = tf.squeeze(x, axis=-1)
            if self._split == "whitespace":
                x = tf.strings.split(x)
            elif self._split == "character":
                x = tf.strings.unicode_split(x, "UTF-8")
            else:
                x = self._split(x)
        if self._ngrams is not None:
            x = tf.strings.ngrams(x, ngram_width=self._ngrams, separator=" ")
        return x

    def call(self, inputs):
        tf = _tf()
        tokens = self._preprocess(inputs)
        if self._output_mode != "int":
            if hasattr(tokens, "to_tensor"):  # padding "" is the mask token: it counts nowhere
                tokens = tokens.to_tensor(default_value="")
            return self._lookup_layer(tokens)
        ids = self._lookup_layer(tokens)
        length = self._output_sequence_length
        if hasattr(ids, "to_tensor"):
            if self._ragged:
                return ids if length is None else ids[:, :length]
            shape = ids.shape.as_list()
            shape[-1] = length
            return ids.to_tensor(default_value=0, shape=shape)
        if length is None:
            return ids
        ids = ids[..., :length]
        missing = tf.maximum(length - tf.shape(ids)[-1], 0)
        rank = len(ids.shape)
        pads = tf.stack([tf.stack([0, 0])] * (rank - 1) + [tf.stack([0, missing])])
        out = tf.pad(ids, pads)
        out.set_shape(ids.shape[:-1].concatenate([length]))
        return out

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            return (input_shape[0], self._output_sequence_length)
        if self._split is None:
            if len(input_shape) <= 1:
                input_shape = input_shape + (1,)
        else:
            input_shape = input_shape + (None,)
        return self._lookup_layer.compute_output_shape(input_shape)

    def compute_output_spec(self, inputs):
        from tensorflux._src.keras.keras_tensor import KerasTensor

        dtype = "int64" if self._output_mode == "int" else backend.floatx()
        return KerasTensor(self.compute_output_shape(inputs.shape.as_list()), dtype)

    # ------------------------------------------------------------------ vocabulary

    def adapt(self, data, batch_size=None, steps=None):
        """Learns the vocabulary (and document frequencies in tf_idf mode) from `data`: a
        batched dataset, an iterable of batches, or an array/list/tensor of strings."""
        tf = _tf()
        if hasattr(data, "element_spec"):
            if steps is not None:
                data = data.take(steps)
            batches = (self._preprocess(b) for b in data)
        elif hasattr(data, "__iter__") and not isinstance(data, (list, tuple, str, bytes)) and \
                not hasattr(data, "dtype"):  # fmt: skip
            batches = (self._preprocess(b) for i, b in enumerate(data)
                       if steps is None or i < steps)  # fmt: skip
        else:
            x = tf.convert_to_tensor(data, dtype=tf.string)
            if x.shape.rank == 1:
                x = tf.expand_dims(x, -1)
            batches = iter([self._preprocess(x)])
        self._lookup_layer.adapt(_Batches(batches))

    def get_vocabulary(self, include_special_tokens=True):
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    # ------------------------------------------------------------------ config and saving

    def get_config(self):
        lookup = self._lookup_layer
        standardize, split = self._standardize, self._split
        return {
            **super().get_config(),
            "max_tokens": lookup.max_tokens,
            "standardize": serialize_keras_object(standardize) if callable(standardize)
            else standardize,
            "split": serialize_keras_object(split) if callable(split) else split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": lookup.pad_to_max_tokens,
            "sparse": lookup.sparse,
            "ragged": self._ragged,
            "vocabulary": lookup.get_config()["vocabulary"],
            "idf_weights": lookup.get_config()["idf_weights"],
            "encoding": self._encoding,
            "vocabulary_size": self.vocabulary_size(),
        }  # fmt: skip

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        for key in ("standardize", "split"):
            if config.get(key) is not None and not isinstance(config[key], str):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)

    def get_build_config(self):
        return {}

    def build_from_config(self, config):
        self.built = True

    def save_assets(self, dir_path):
        self._lookup_layer.save_assets(dir_path)

    def load_assets(self, dir_path):
        self._lookup_layer.load_assets(dir_path)


class _Batches:
    """An iterable of already-tokenized batches: each row of a batch is one document."""

    def __init__(self, batches):
        self._batches = batches

    def __iter__(self):
        return iter(self._batches)
