"""Categorical columns: hash bucket, identity, vocabulary list/file, weighted and crossed."""

from __future__ import annotations

import collections
import os

import tensorflux as tf
from tensorflux._src.feature_column.base import (
    CategoricalColumn, check_key, replace_values, to_sparse,
)  # fmt: skip

_CROSS_HASH_KEY = 0xDECAFCAFFE  # the default key of tf.sparse.cross_hashed


def _check_dtype(key, column_dtype, tensor_dtype):
    ok = (column_dtype == tf.string and tensor_dtype == tf.string) or (
        column_dtype.is_integer and tensor_dtype.is_integer
    )
    if not ok:
        raise ValueError(
            "Column dtype and SparseTensors dtype must be compatible. "
            f"key: {key}, column dtype: {column_dtype!r}, tensor dtype: {tensor_dtype!r}"
        )


class HashedCategoricalColumn(
    CategoricalColumn,
    collections.namedtuple("HashedCategoricalColumn", ("key", "hash_bucket_size", "dtype")),
):
    """Ids are `Fingerprint64(str(value)) % hash_bucket_size`."""

    __slots__ = ()
    name = property(lambda self: self.key)
    num_buckets = property(lambda self: self.hash_bucket_size)

    @property
    def parse_example_spec(self):
        return {self.key: tf.io.VarLenFeature(self.dtype)}

    def _transform(self, cache, state):
        sp = to_sparse(cache.get(self.key, state))
        _check_dtype(self.key, self.dtype, sp.dtype)
        values = sp.values if sp.dtype == tf.string else tf.strings.as_string(sp.values)
        return replace_values(sp, tf.strings.to_hash_bucket_fast(values, self.hash_bucket_size))


def categorical_column_with_hash_bucket(key, hash_bucket_size, dtype=tf.string):
    """A column of string or integer values hashed into `hash_bucket_size` ids."""
    check_key(key)
    if hash_bucket_size is None:
        raise ValueError(f"hash_bucket_size must be set. key: {key}")
    if hash_bucket_size < 1:
        raise ValueError(
            f"hash_bucket_size must be at least 1. hash_bucket_size: {hash_bucket_size}, key: {key}"
        )
    dtype = tf.as_dtype(dtype)
    if dtype != tf.string and not dtype.is_integer:
        raise ValueError(f"column_name: {key} dtype must be string or integer. dtype: {dtype!r}.")
    return HashedCategoricalColumn(key, hash_bucket_size, dtype)


class IdentityCategoricalColumn(
    CategoricalColumn,
    collections.namedtuple("IdentityCategoricalColumn", ("key", "number_buckets", "default_value")),
):
    """Integer values used as ids directly; out-of-range ids become `default_value`."""

    __slots__ = ()
    name = property(lambda self: self.key)
    num_buckets = property(lambda self: self.number_buckets)

    @property
    def parse_example_spec(self):
        return {self.key: tf.io.VarLenFeature(tf.int64)}

    def _transform(self, cache, state):
        sp = to_sparse(cache.get(self.key, state))
        if not sp.dtype.is_integer:
            raise ValueError(f"Invalid input, not integer. key: {self.key} dtype: {sp.dtype!r}")
        values = tf.cast(sp.values, tf.int64)
        if self.default_value is not None:
            bad = tf.logical_or(values < 0, values >= self.number_buckets)
            values = tf.where(bad, tf.constant(self.default_value, tf.int64), values)
        # Without a default, out-of-range ids pass through as in TensorFlow: an indicator gives
        # zeros for them and an embedding lookup fails.
        return replace_values(sp, values)


def categorical_column_with_identity(key, num_buckets, default_value=None):
    """A column whose integer values are the ids themselves, in `[0, num_buckets)`."""
    check_key(key)
    if num_buckets < 1:
        raise ValueError(f"num_buckets {num_buckets} < 1, column_name {key}")
    if default_value is not None and not 0 <= default_value < num_buckets:
        raise ValueError(
            f"default_value {default_value} not in range [0, {num_buckets}), column_name {key}"
        )
    return IdentityCategoricalColumn(key, num_buckets, default_value)


def _lookup_ids(sp, vocab, dtype, default_value, num_oov_buckets, key):
    _check_dtype(key, dtype, sp.dtype)
    keys = sp.values if sp.dtype == dtype else tf.cast(sp.values, dtype)
    init = tf.lookup.KeyValueTensorInitializer(
        tf.constant(list(vocab), dtype=dtype), tf.range(len(vocab), dtype=tf.int64)
    )
    if num_oov_buckets:
        table = tf.lookup.StaticVocabularyTable(init, num_oov_buckets)
    else:
        table = tf.lookup.StaticHashTable(init, default_value)
    return replace_values(sp, table.lookup(keys))


def _vocab_args(key, dtype, default_value, num_oov_buckets, vocab_dtype):
    if num_oov_buckets:
        if default_value != -1:
            raise ValueError(f"Can't specify both num_oov_buckets and default_value in {key}.")
        if num_oov_buckets < 0:
            raise ValueError(f"Invalid num_oov_buckets {num_oov_buckets} in {key}.")
    dtype = tf.as_dtype(dtype) if dtype is not None else vocab_dtype
    if dtype != tf.string and not dtype.is_integer:
        raise ValueError(f"dtype must be string or integer. dtype: {dtype!r}, column_name: {key}")
    return dtype


class VocabularyListCategoricalColumn(
    CategoricalColumn,
    collections.namedtuple(
        "VocabularyListCategoricalColumn",
        ("key", "vocabulary_list", "dtype", "default_value", "num_oov_buckets"),
    ),
):
    """Ids are positions in `vocabulary_list`; unknown values hash into OOV buckets."""

    __slots__ = ()
    name = property(lambda self: self.key)
    num_buckets = property(lambda self: len(self.vocabulary_list) + self.num_oov_buckets)

    @property
    def parse_example_spec(self):
        return {self.key: tf.io.VarLenFeature(self.dtype)}

    def _transform(self, cache, state):
        sp = to_sparse(cache.get(self.key, state))
        return _lookup_ids(sp, self.vocabulary_list, self.dtype, self.default_value,
                           self.num_oov_buckets, self.key)


def categorical_column_with_vocabulary_list(
    key, vocabulary_list, dtype=None, default_value=-1, num_oov_buckets=0
):
    """A column mapping values to their index in an in-memory vocabulary.

    Values not in the vocabulary get `default_value`, or, with `num_oov_buckets > 0`, an id in
    `[len(vocabulary_list), len(vocabulary_list) + num_oov_buckets)` chosen by hash.
    """
    check_key(key)
    if vocabulary_list is None or len(vocabulary_list) < 1:
        raise ValueError(f"vocabulary_list {vocabulary_list} must be non-empty, column_name: {key}")
    if len(set(vocabulary_list)) != len(vocabulary_list):
        raise ValueError(f"Duplicate keys in vocabulary_list {vocabulary_list}, column_name: {key}")
    vocab_dtype = tf.string if isinstance(vocabulary_list[0], (str, bytes)) else tf.int64
    given = _vocab_args(key, dtype, default_value, num_oov_buckets, vocab_dtype)
    if (given == tf.string) != (vocab_dtype == tf.string):
        raise ValueError(
            f"dtype {given!r} and vocabulary dtype {vocab_dtype!r} do not match, "
            f"column_name: {key}"
        )
    return VocabularyListCategoricalColumn(
        key, tuple(vocabulary_list), given, default_value, num_oov_buckets
    )


class VocabularyFileCategoricalColumn(
    CategoricalColumn,
    collections.namedtuple(
        "VocabularyFileCategoricalColumn",
        ("key", "vocabulary_file", "vocabulary_size", "num_oov_buckets", "dtype",
         "default_value", "file_format"),
    ),
):
    """Ids are line numbers in `vocabulary_file` (the first `vocabulary_size` lines)."""

    __slots__ = ()
    name = property(lambda self: self.key)
    num_buckets = property(lambda self: self.vocabulary_size + self.num_oov_buckets)

    @property
    def parse_example_spec(self):
        return {self.key: tf.io.VarLenFeature(self.dtype)}

    def _transform(self, cache, state):
        lines = _read_lines(self.vocabulary_file)
        if len(lines) < self.vocabulary_size:
            raise tf.errors.InvalidArgumentError(
                None, None,
                f"Invalid vocab_size in {self.vocabulary_file}: expected {self.vocabulary_size} "
                f"lines, the file has {len(lines)}",
            )
        lines = lines[: self.vocabulary_size]
        vocab = lines if self.dtype == tf.string else [int(v) for v in lines]
        sp = to_sparse(cache.get(self.key, state))
        return _lookup_ids(sp, vocab, self.dtype, self.default_value, self.num_oov_buckets,
                           self.key)


def _read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\r\n") for line in f]


def categorical_column_with_vocabulary_file(
    key, vocabulary_file, vocabulary_size=None, dtype=tf.string, default_value=None,
    num_oov_buckets=0, file_format=None,
):
    """Like `categorical_column_with_vocabulary_list`, with one vocabulary entry per file line."""
    check_key(key)
    if not vocabulary_file:
        raise ValueError(f"Missing vocabulary_file in {key}.")
    if file_format is not None:
        raise NotImplementedError(
            "categorical_column_with_vocabulary_file: only plain text vocabulary files "
            f"are supported (file_format={file_format!r})"
        )
    if not os.path.exists(vocabulary_file):
        raise ValueError(f"vocabulary_file in {key} does not exist.")
    n_lines = len(_read_lines(vocabulary_file))
    if vocabulary_size is None:
        vocabulary_size = n_lines
    elif vocabulary_size < 1:
        raise ValueError(f"Invalid vocabulary_size in {key}.")
    if default_value is None:
        default_value = -1
    dtype = _vocab_args(key, dtype, default_value, num_oov_buckets, tf.string)
    return VocabularyFileCategoricalColumn(
        key, vocabulary_file, vocabulary_size, num_oov_buckets, dtype, default_value, file_format
    )


class WeightedCategoricalColumn(
    CategoricalColumn,
    collections.namedtuple(
        "WeightedCategoricalColumn", ("categorical_column", "weight_feature_key", "dtype")
    ),
):
    """A categorical column whose ids carry the values of another feature as weights."""

    __slots__ = ()
    num_buckets = property(lambda self: self.categorical_column.num_buckets)

    @property
    def name(self):
        return f"{self.categorical_column.name}_weighted_by_{self.weight_feature_key}"

    @property
    def parse_example_spec(self):
        spec = dict(self.categorical_column.parse_example_spec)
        if self.weight_feature_key in spec:
            raise ValueError(f"Parse config {spec[self.weight_feature_key]} already exists for "
                             f"{self.weight_feature_key}.")
        spec[self.weight_feature_key] = tf.io.VarLenFeature(self.dtype)
        return spec

    def _transform(self, cache, state):
        w = cache.get(self.weight_feature_key, state)
        w = to_sparse(w, 0.0 if w.dtype.is_floating else None)
        if not w.dtype.is_floating:
            w = replace_values(w, tf.cast(w.values, tf.float32))
        ids, _ = self.categorical_column._ids(cache, state)
        return ids, w

    def _ids(self, cache, state):
        return cache.get(self, state)


def weighted_categorical_column(categorical_column, weight_feature_key, dtype=tf.float32):
    """Pairs each id of `categorical_column` with the value of feature `weight_feature_key`."""
    dtype = tf.as_dtype(dtype)
    if not (dtype.is_integer or dtype.is_floating):
        raise ValueError(f"dtype {dtype!r} is not convertible to float.")
    return WeightedCategoricalColumn(categorical_column, weight_feature_key, dtype)


class CrossedColumn(
    CategoricalColumn,
    collections.namedtuple("CrossedColumn", ("keys", "hash_bucket_size", "hash_key")),
):
    """Every combination of the keys' values per example, hashed into `hash_bucket_size` ids."""

    __slots__ = ()
    num_buckets = property(lambda self: self.hash_bucket_size)

    @property
    def name(self):
        return "_X_".join(sorted(k if isinstance(k, str) else k.name for k in self.keys))

    @property
    def parse_example_spec(self):
        spec = {}
        for k in self.keys:
            if isinstance(k, str):
                spec[k] = tf.io.VarLenFeature(tf.string)
            else:
                spec.update(k.parse_example_spec)
        return spec

    def _leaves(self):
        for k in self.keys:
            if isinstance(k, CrossedColumn):
                yield from k._leaves()
            else:
                yield k

    def _transform(self, cache, state):
        inputs = []
        for k in self._leaves():
            if isinstance(k, str):
                inputs.append(cache.get(k, state))
            else:
                ids, weights = k._ids(cache, state)
                if weights is not None:
                    raise ValueError(
                        f"crossed_column does not support weight_tensor, but the given column "
                        f"populates weight_tensor. Given column: {k.name}"
                    )
                inputs.append(ids)
        hash_key = _CROSS_HASH_KEY if self.hash_key is None else self.hash_key
        return tf.sparse.cross_hashed(inputs, self.hash_bucket_size, hash_key=hash_key)


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """Crosses string features and categorical columns, hashing each combination.

    `keys` name raw string/integer features or are categorical columns (not hashed ones); ids
    are `FingerprintCat64` crosses modulo `hash_bucket_size`, as TensorFlow computes them.
    """
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for k in keys:
        if not isinstance(k, (str, CategoricalColumn)):
            raise ValueError(
                "Unsupported key type. All keys must be either string, or categorical column "
                f"except HashedCategoricalColumn. Given: {k}"
            )
        if isinstance(k, HashedCategoricalColumn):
            raise ValueError(
                "categorical_column_with_hash_bucket is not supported for crossing. Hashing "
                "before crossing will increase probability of collision. Instead, use the "
                f"feature name as a string. Given: {k}"
            )
    return CrossedColumn(tuple(keys), hash_bucket_size, hash_key)

