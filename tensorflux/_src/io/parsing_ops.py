"""`tf.io.parse_example` / `parse_single_example` with dense features.

One host op, `ParseExampleV2`, decodes a batch of serialized `tf.train.Example`s into one dense
tensor per requested key, so parsing also runs inside tf.function and tf.data maps.
`FixedLenFeature`, `FixedLenSequenceFeature`, `VarLenFeature` and `SparseFeature` (SparseTensor
outputs) and `RaggedFeature` (RaggedTensor outputs) are supported.
"""

from __future__ import annotations

import collections

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.io import example_pb

_KINDS = {dtypes.int64: "int64_list", dtypes.float32: "float_list", dtypes.string: "bytes_list"}
_TF_NAMES = {dtypes.int64: "int64", dtypes.float32: "float", dtypes.string: "string"}
_KIND_TYPE = {"int64_list": "int64", "float_list": "float", "bytes_list": "string"}


class FixedLenFeature(collections.namedtuple("FixedLenFeature", ["shape", "dtype",
                                                                 "default_value"])):  # fmt: skip
    """A feature with a fixed shape: parsed into a dense tensor of `shape`.

    Args:
      shape: the shape of the feature's values (the batch dimension is added by parse_example).
      dtype: tf.int64, tf.float32 or tf.string.
      default_value: used when an example lacks the feature; without it the feature is required.
    """

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtypes.as_dtype(dtype), default_value)


class FixedLenSequenceFeature(
    collections.namedtuple(
        "FixedLenSequenceFeature", ["shape", "dtype", "allow_missing", "default_value"]
    )
):
    """A feature holding any number of values of `shape`; parse_example pads to the longest.

    Args:
      shape: the shape of one element.
      dtype: tf.int64, tf.float32 or tf.string.
      allow_missing: whether an example may lack the feature (required in parse_example).
      default_value: the padding value (default 0 / "").
    """

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtypes.as_dtype(dtype), allow_missing, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any length, parsed into a SparseTensor of the values in each example."""

    def __new__(cls, dtype):
        return super().__new__(cls, dtypes.as_dtype(dtype))


class SparseFeature(
    collections.namedtuple(
        "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"]
    )
):
    """Index feature(s) and a value feature combined into a SparseTensor of dense shape `size`."""

    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        return super().__new__(cls, index_key, value_key, dtypes.as_dtype(dtype), size,
                               already_sorted)  # fmt: skip


class RaggedFeature(
    collections.namedtuple(
        "RaggedFeature", ["dtype", "value_key", "partitions", "row_splits_dtype", "validate"]
    )
):
    """A feature parsed into a RaggedTensor: the values of `value_key` (default: the feature's
    own key) per example, split further by `partitions` (outermost first), each read from
    another feature (`RowSplits`, `RowLengths`, `RowStarts`, `RowLimits`, `ValueRowIds`) or
    fixed (`UniformRowLength`)."""

    RowSplits = collections.namedtuple("RowSplits", ["key"])
    RowLengths = collections.namedtuple("RowLengths", ["key"])
    RowStarts = collections.namedtuple("RowStarts", ["key"])
    RowLimits = collections.namedtuple("RowLimits", ["key"])
    ValueRowIds = collections.namedtuple("ValueRowIds", ["key"])
    UniformRowLength = collections.namedtuple("UniformRowLength", ["length"])

    def __new__(cls, dtype, value_key=None, partitions=(), row_splits_dtype=dtypes.int32,
                validate=False):  # fmt: skip
        return super().__new__(cls, dtypes.as_dtype(dtype), value_key, tuple(partitions),
                               dtypes.as_dtype(row_splits_dtype), validate)  # fmt: skip


# ---------------------------------------------------------------------- the op


def _sparse_rank(spec, single):
    kind, _, _, size, _ = spec
    return (0 if single else 1) + (1 if kind == "var" else len(size))


def _out_dtypes(dts, attrs):
    out = list(attrs["Tdense"])
    for spec in attrs.get("sparse", ()):
        out += [dtypes.int64, spec[2], dtypes.int64]
    for spec in attrs.get("ragged", ()):
        out += [spec[1]] + [spec[3]] * _ragged_splits(spec, attrs.get("single"))
    return out


def _ragged_splits(spec, single) -> int:
    """How many row-splits outputs a ragged spec `(key, dtype, partitions, splits_dtype)` has."""
    return (0 if single else 1) + len(spec[2])


def _out_shapes(inputs, attrs):
    s = inputs[0].shape
    single = attrs.get("single")
    batch = [] if single else ([s[0]] if s.rank == 1 else [None])
    out = []
    for shape, seq in zip(attrs["dense_shapes"], attrs["sequence"]):
        out.append(TensorShape(batch + ([None] if seq else []) + list(shape)))
    for spec in attrs.get("sparse", ()):
        rank = _sparse_rank(spec, single)
        out += [TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])]
    for spec in attrs.get("ragged", ()):
        out += [TensorShape([None])] * (1 + _ragged_splits(spec, single))
    return out


ParseExampleV2 = defop(
    "ParseExampleV2",
    infer=Rule(_out_dtypes, _out_shapes),
    num_outputs=lambda attrs, n: (
        len(attrs["dense_keys"]) + 3 * len(attrs.get("sparse", ()))
        + sum(1 + _ragged_splits(r, attrs.get("single")) for r in attrs.get("ragged", ()))
    ),
)
not_differentiable(ParseExampleV2)


def _values(feature, key, dtype):
    kind = feature.WhichOneof("kind")
    if kind is None:
        return []
    if kind != _KINDS[dtype]:
        raise InvalidArgumentError(
            None, None,
            f"Key: {key}.  Data types don't match. Data type: {_KIND_TYPE[kind]} but expected "
            f"type: {_TF_NAMES[dtype]}",
        )  # fmt: skip
    return getattr(feature, kind).value


def _np_dtype(dtype):
    return np.dtype(object) if dtype is dtypes.string else dtype.as_numpy_dtype


@ParseExampleV2.kernel
def _(xp, serialized, dense_keys, Tdense, dense_shapes, dense_defaults, sequence,  # noqa: N803
      single=False, sparse=(), ragged=()):  # fmt: skip
    records = list(np.asarray(serialized, dtype=object).reshape(-1))
    parsed = []
    for r in records:
        ex = example_pb.Example()
        try:
            ex.ParseFromString(bytes(r))
        except Exception:  # noqa: BLE001 - protobuf's DecodeError
            raise InvalidArgumentError(None, None, "Could not parse example input, value: "
                                       f"'{bytes(r)[:64]!r}'")  # fmt: skip
        parsed.append(ex.features.feature)
    outs = parse_feature_maps(parsed, dense_keys, Tdense, dense_shapes, dense_defaults, sequence,
                              single, sparse)  # fmt: skip
    for spec in ragged:
        outs += _ragged_output(parsed, spec, single)
    return outs


def parse_feature_maps(parsed, dense_keys, Tdense, dense_shapes, dense_defaults, sequence,  # noqa: N803
                       single, sparse):  # fmt: skip
    """Dense outputs, then (indices, values, dense_shape) per sparse spec, from feature maps."""
    outs = []
    for key, dtype, shape, default, seq in zip(dense_keys, Tdense, dense_shapes,
                                               dense_defaults, sequence):  # fmt: skip
        shape = tuple(shape)
        size = int(np.prod(shape)) if shape else 1
        npdt = _np_dtype(dtype)
        kind = _KINDS[dtype]
        if not seq:
            flat: list = []
            fill = None
            for feats in parsed:
                f = feats.get(key)
                if f is not None and f.WhichOneof("kind") == kind:
                    vals = getattr(f, kind).value
                else:
                    vals = None if f is None or f.WhichOneof("kind") is None else _values(
                        f, key, dtype)  # fmt: skip
                if vals is None:
                    if default is None:
                        raise InvalidArgumentError(
                            None, None,
                            f"Name: <unknown>, Feature: {key} (data type: {_TF_NAMES[dtype]}) is "
                            "required but could not be found.",
                        )  # fmt: skip
                    if fill is None:
                        fill = np.broadcast_to(np.asarray(default, dtype=npdt), shape).reshape(-1)
                    flat.extend(fill.tolist())
                    continue
                if len(vals) != size:
                    raise InvalidArgumentError(
                        None, None,
                        f"Key: {key}.  Can't parse serialized Example: Number of "
                        f"{_TF_NAMES[dtype]} values != expected.  Values size: {len(vals)} but "
                        f"output shape: {list(shape)}",
                    )  # fmt: skip
                flat.extend(vals)
            arr = np.array(flat, dtype=npdt)
            outs.append(arr.reshape(shape if single else (len(parsed),) + shape))
            continue
        rows = []
        for feats in parsed:
            f = feats.get(key)
            vals = [] if f is None else _values(f, key, dtype)
            if len(vals) % max(size, 1):
                raise InvalidArgumentError(
                    None, None,
                    f"Name: <unknown>, Key: {key}, Index: 0.  Number of values: {len(vals)} "
                    f"is not a multiple of the element size: {size}",
                )  # fmt: skip
            rows.append(np.asarray(list(vals), dtype=npdt).reshape((-1,) + shape))
        longest = max((len(r) for r in rows), default=0)
        pad = (b"" if dtype is dtypes.string else 0) if default is None else default
        batch = np.full((len(rows), longest) + shape, pad, dtype=npdt)
        for i, r in enumerate(rows):
            batch[i, : len(r)] = r
        outs.append(batch[0] if single else batch)
    for spec in sparse:
        outs += _sparse_output(parsed, spec, single)
    return outs


def _partition_splits(feats, part, count, splits_dtype):
    """One example's row splits for partition `part` over `count` items of the level below."""
    name = type(part).__name__
    if name == "UniformRowLength":
        n = int(part.length)
        if n <= 0 or count % n:
            raise InvalidArgumentError(
                None, None, f"Number of values {count} is not divisible by uniform row length {n}"
            )
        return np.arange(0, count + 1, n)
    f = feats.get(part.key)
    vals = np.asarray([] if f is None else list(_values(f, part.key, dtypes.int64)), np.int64)
    if name == "RowSplits":
        splits = vals if len(vals) else np.zeros(1, np.int64)
    elif name == "RowLengths":
        splits = np.concatenate([[0], np.cumsum(vals)])
    elif name == "RowStarts":
        splits = np.concatenate([vals, [count]])
    elif name == "RowLimits":
        splits = np.concatenate([[0], vals])
    else:  # ValueRowIds: rows up to the largest id
        nrows = int(vals.max()) + 1 if len(vals) else 0
        splits = np.concatenate([[0], np.cumsum(np.bincount(vals, minlength=nrows))])
    if splits[0] != 0 or splits[-1] != count or np.any(np.diff(splits) < 0):
        raise InvalidArgumentError(
            None, None, f"Invalid {name} partition ({part.key}) for {count} values: "
            f"{splits.tolist()}"
        )
    return splits.astype(splits_dtype.as_numpy_dtype)


def _ragged_output(parsed, spec, single):
    """(flat_values, *row_splits outermost first) of a RaggedFeature over the batch."""
    key, dtype, partitions, splits_dtype = spec
    npdt = _np_dtype(dtype)
    values, levels, tops = [], [[] for _ in partitions], []
    offsets = [0] * (len(partitions) + 1)  # items so far at each level, innermost last
    for feats in parsed:
        f = feats.get(key)
        vals = [] if f is None else list(_values(f, key, dtype))
        count = len(vals)
        per = []
        for part in reversed(partitions):  # innermost partition first
            splits = _partition_splits(feats, part, count, splits_dtype)
            per.append(splits)
            count = len(splits) - 1
        per.reverse()
        for i, splits in enumerate(per):
            base = offsets[i + 1]
            levels[i].append((splits[1:] if levels[i] else splits) + base)
            offsets[i + 1] += int(splits[-1])
        values += vals
        tops.append(count)
    sdt = splits_dtype.as_numpy_dtype
    out = [np.array(values, dtype=npdt)]
    if not single:
        out.append(np.concatenate([[0], np.cumsum(tops)]).astype(sdt))
    for chunks in levels:
        out.append(np.concatenate(chunks).astype(sdt) if chunks else np.zeros(1, sdt))
    return out


def _sparse_output(parsed, spec, single):
    """(indices, values, dense_shape) of a VarLenFeature or SparseFeature over the batch."""
    kind, keys, dtype, size, already_sorted = spec
    npdt = _np_dtype(dtype)
    rows_idx, rows_val = [], []
    width = 0
    for b, feats in enumerate(parsed):
        if kind == "var":
            f = feats.get(keys)
            vals = [] if f is None else list(_values(f, keys, dtype))
            idx = [[b, i] for i in range(len(vals))]
            width = max(width, len(vals))
        else:
            index_keys, value_key = keys
            f = feats.get(value_key)
            vals = [] if f is None else list(_values(f, value_key, dtype))
            cols = []
            for k in index_keys:
                g = feats.get(k)
                ids = [] if g is None else list(_values(g, k, dtypes.int64))
                if len(ids) != len(vals):
                    raise InvalidArgumentError(
                        None, None,
                        f"Key: {k}.  SparseFeature index and value sizes differ: {len(ids)} "
                        f"indices but {len(vals)} values",
                    )  # fmt: skip
                cols.append(ids)
            idx = [[b, *c] for c in zip(*cols)] if cols else []
            if not already_sorted and idx:
                order = sorted(range(len(idx)), key=lambda i: idx[i])
                idx, vals = [idx[i] for i in order], [vals[i] for i in order]
        rows_idx += idx
        rows_val += vals
    rank = 2 if kind == "var" else 1 + len(size)
    indices = np.array(rows_idx, dtype=np.int64).reshape(-1, rank)
    shape = [len(parsed)] + ([width] if kind == "var" else list(size))
    if single:
        indices, shape = indices[:, 1:], shape[1:]
    return [indices, np.array(rows_val, dtype=npdt), np.array(shape, dtype=np.int64)]


# ---------------------------------------------------------------------- public functions


def _check_dtype(key, dtype):
    if dtype not in _KINDS:
        raise ValueError(
            f"Unsupported dtype {dtype.name} for feature {key}: use tf.int64, tf.float32 or "
            "tf.string."
        )


def _split(features):
    """Dense specs and sparse specs `(kind, keys, dtype, size, already_sorted)` by output key."""
    dense, sparse, ragged = {}, {}, {}
    for key in sorted(features):
        spec = features[key]
        if isinstance(spec, (FixedLenFeature, FixedLenSequenceFeature)):
            _check_dtype(key, spec.dtype)
            dense[key] = spec
        elif isinstance(spec, VarLenFeature):
            _check_dtype(key, spec.dtype)
            sparse[key] = ("var", key, spec.dtype, (), False)
        elif isinstance(spec, SparseFeature):
            _check_dtype(key, spec.dtype)
            index_keys = spec.index_key if isinstance(spec.index_key, (list, tuple)) else [
                spec.index_key]  # fmt: skip
            size = spec.size if isinstance(spec.size, (list, tuple)) else [spec.size]
            if len(size) != len(index_keys):
                raise ValueError(
                    f"SparseFeature {key}: index_key and size must have the same length, got "
                    f"{len(index_keys)} and {len(size)}"
                )
            sparse[key] = ("sparse", (tuple(index_keys), spec.value_key), spec.dtype,
                           tuple(int(n) for n in size), bool(spec.already_sorted))  # fmt: skip
        elif isinstance(spec, RaggedFeature):
            _check_dtype(key, spec.dtype)
            if spec.row_splits_dtype not in (dtypes.int32, dtypes.int64):
                raise ValueError(
                    f"RaggedFeature {key}: row_splits_dtype must be int32 or int64, got "
                    f"{spec.row_splits_dtype.name}"
                )
            ragged[key] = (spec.value_key or key, spec.dtype, tuple(spec.partitions),
                           spec.row_splits_dtype)  # fmt: skip
        else:
            raise ValueError(f"Unsupported feature spec for {key}: {spec!r}")
    return dense, sparse, ragged


def _parse(serialized, features, single, name):
    from tensorflux._src.sparse_tensor import SparseTensor
    from tensorflux._src.tensor import convert_to_tensor

    if not features:
        raise ValueError("Missing: features was empty.")
    dense, sparse, ragged = _split(features)
    keys = list(dense)
    seqs = [isinstance(dense[k], FixedLenSequenceFeature) for k in keys]
    for k, seq in zip(keys, seqs):
        if seq and not dense[k].allow_missing:
            raise ValueError(
                f"Unsupported: FixedLenSequenceFeature requires allow_missing to be True. "
                f"Feature: {k}"
            )
    defaults = [dense[k].default_value for k in keys]
    serialized = convert_to_tensor(serialized, dtype=dtypes.string)
    outs = ParseExampleV2(
        serialized, dense_keys=tuple(keys), Tdense=tuple(dense[k].dtype for k in keys),
        dense_shapes=tuple(tuple(TensorShape(dense[k].shape).as_list()) for k in keys),
        dense_defaults=tuple(defaults), sequence=tuple(seqs), single=single,
        sparse=tuple(sparse.values()), ragged=tuple(ragged.values()),
        name=name or "ParseExampleV2",
    )  # fmt: skip
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    result = dict(zip(keys, outs[: len(keys)]))
    it = iter(outs[len(keys):])
    for key in sparse:
        result[key] = SparseTensor(next(it), next(it), next(it))
    for key, spec in ragged.items():
        values = next(it)
        splits = [next(it) for _ in range(_ragged_splits(spec, single))]
        if not splits:
            result[key] = values  # one example, no partitions: a plain vector
            continue
        from tensorflux._src.ragged.ragged_tensor import RaggedTensor  # layer-ok: composite

        validate = bool(features[key].validate)
        result[key] = RaggedTensor.from_nested_row_splits(values, splits, validate=validate)
    return {k: result[k] for k in sorted(result)}


def parse_example(serialized, features, example_names=None, name=None):
    """Parses a batch (a 1-D string tensor) of serialized `tf.train.Example`s.

    Args:
      serialized: a vector of serialized Example protos.
      features: `{key: FixedLenFeature | FixedLenSequenceFeature}`.
      example_names: accepted (names for error messages).
      name: the op name.

    Returns:
      `{key: tensor}`, each with the batch as its first dimension.

    Raises:
      InvalidArgumentError: a required feature is missing, has the wrong type or size.
      NotImplementedError: for VarLenFeature, SparseFeature or RaggedFeature.
    """
    return _parse(serialized, features, False, name)


def parse_single_example(serialized, features, example_names=None, name=None):
    """Parses one serialized `tf.train.Example` (a scalar string tensor); see parse_example."""
    return _parse(serialized, features, True, name)
