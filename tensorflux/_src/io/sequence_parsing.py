"""`tf.io.parse_sequence_example` / `parse_single_sequence_example`.

One host op, `ParseSequenceExampleV2`, decodes serialized `tf.train.SequenceExample`s: context
features as parse_example does, and feature lists (one Feature per time step) into dense
`[batch, time, ...]` tensors padded to the longest sequence (with their lengths) or SparseTensors
`[batch, time, values]`.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.io import example_pb
from tensorflux._src.io import parsing_ops as P


def _seq_outputs(attrs):
    """(dtypes, shapes) of the feature-list outputs: dense, then lengths, then sparse triples."""
    single = attrs["single"]
    batch = [] if single else [None]
    dts, shapes = [], []
    for dtype, shape in zip(attrs["fl_dense_types"], attrs["fl_dense_shapes"]):
        dts.append(dtype)
        shapes.append(TensorShape(batch + [None] + list(shape)))
    for _ in attrs["fl_dense_keys"]:
        dts.append(dtypes.int64)
        shapes.append(TensorShape(batch))
    rank = len(batch) + 2
    for dtype in attrs["fl_sparse_types"]:
        dts += [dtypes.int64, dtype, dtypes.int64]
        shapes += [TensorShape([None, rank]), TensorShape([None]), TensorShape([rank])]
    return dts, shapes


def _dtypes(dts, attrs):
    return P._out_dtypes(dts, attrs) + _seq_outputs(attrs)[0]


def _shapes(inputs, attrs):
    return P._out_shapes(inputs, attrs) + _seq_outputs(attrs)[1]


def _count(attrs, n):
    return (len(attrs["dense_keys"]) + 3 * len(attrs["sparse"]) + 2 * len(attrs["fl_dense_keys"])
            + 3 * len(attrs["fl_sparse_keys"]))  # fmt: skip


ParseSequenceExampleV2 = defop(
    "ParseSequenceExampleV2", infer=Rule(_dtypes, _shapes), num_outputs=_count
)
not_differentiable(ParseSequenceExampleV2)


def _frames(lists, key, dtype):
    fl = lists.get(key)
    return None if fl is None else [list(P._values(f, key, dtype)) for f in fl.feature]


@ParseSequenceExampleV2.kernel
def _(xp, serialized, dense_keys, Tdense, dense_shapes, dense_defaults, sequence,  # noqa: N803
      sparse, fl_dense_keys, fl_dense_types, fl_dense_shapes, fl_dense_missing, fl_sparse_keys,
      fl_sparse_types, single=False):  # fmt: skip
    contexts, lists = [], []
    for r in np.asarray(serialized, dtype=object).reshape(-1):
        ex = example_pb.SequenceExample()
        try:
            ex.ParseFromString(bytes(r))
        except Exception:  # noqa: BLE001 - protobuf's DecodeError
            raise InvalidArgumentError(
                None, None, f"Could not parse example input, value: '{bytes(r)[:64]!r}'"
            ) from None
        contexts.append(ex.context.feature)
        lists.append(ex.feature_lists.feature_list)
    outs = P.parse_feature_maps(contexts, dense_keys, Tdense, dense_shapes, dense_defaults,
                                sequence, single, sparse)  # fmt: skip
    dense_out, lengths = [], []
    for key, dtype, shape, may_miss in zip(fl_dense_keys, fl_dense_types, fl_dense_shapes,
                                           fl_dense_missing):  # fmt: skip
        shape = tuple(shape)
        size = int(np.prod(shape)) if shape else 1
        npdt = P._np_dtype(dtype)
        rows = []
        for lst in lists:
            frames = _frames(lst, key, dtype)
            if frames is None:
                if not may_miss:
                    raise InvalidArgumentError(
                        None, None,
                        f"Name: <unknown>, Feature list '{key}' is required but could not be "
                        "found.  Did you mean to include it in "
                        "feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?",
                    )  # fmt: skip
                frames = []
            for t, vals in enumerate(frames):
                if len(vals) != size:
                    raise InvalidArgumentError(
                        None, None,
                        f"Name: <unknown>, Key: {key}, Index: {t}.  Number of values != expected."
                        f"  values size: {len(vals)} but output shape: {list(shape)}",
                    )  # fmt: skip
            rows.append(np.asarray(frames, dtype=npdt).reshape((len(frames),) + shape))
        longest = max((len(r) for r in rows), default=0)
        pad = b"" if dtype is dtypes.string else 0
        batch = np.full((len(rows), longest) + shape, pad, dtype=npdt)
        for i, r in enumerate(rows):
            batch[i, : len(r)] = r
        dense_out.append(batch[0] if single else batch)
        lens = np.array([len(r) for r in rows], dtype=np.int64)
        lengths.append(lens[0] if single else lens)
    sparse_out = []
    for key, dtype in zip(fl_sparse_keys, fl_sparse_types):
        idx, vals = [], []
        steps = width = 0
        for b, lst in enumerate(lists):
            frames = _frames(lst, key, dtype) or []
            steps = max(steps, len(frames))
            for t, fv in enumerate(frames):
                width = max(width, len(fv))
                idx += [[b, t, i] for i in range(len(fv))]
                vals += fv
        indices = np.array(idx, dtype=np.int64).reshape(-1, 3)
        shape = [len(lists), steps, width]
        if single:
            indices, shape = indices[:, 1:], shape[1:]
        sparse_out += [indices, np.array(vals, dtype=P._np_dtype(dtype)),
                       np.array(shape, dtype=np.int64)]  # fmt: skip
    return outs + dense_out + lengths + sparse_out


def _parse(serialized, context_features, sequence_features, single, name):
    from tensorflux._src.sparse_tensor import SparseTensor
    from tensorflux._src.tensor import convert_to_tensor

    if not context_features and not sequence_features:
        raise ValueError(
            "Both `context_features` and `sequence_features` argument are None, but at least one "
            "should have values."
        )
    dense, sparse, ragged = P._split(context_features or {})
    if ragged:
        raise NotImplementedError("RaggedFeature in context_features is not supported yet")
    keys = list(dense)
    fl_dense, fl_sparse = {}, {}
    for key in sorted(sequence_features or {}):
        spec = sequence_features[key]
        if isinstance(spec, P.FixedLenSequenceFeature):
            P._check_dtype(key, spec.dtype)
            fl_dense[key] = spec
        elif isinstance(spec, P.VarLenFeature):
            P._check_dtype(key, spec.dtype)
            fl_sparse[key] = spec
        elif isinstance(spec, P.RaggedFeature):
            raise NotImplementedError(
                f"RaggedFeature ({key}) in sequence_features is not supported yet"
            )
        else:
            raise ValueError(
                f"Unsupported sequence feature spec for {key}: {spec!r} (use "
                "FixedLenSequenceFeature or VarLenFeature)"
            )
    serialized = convert_to_tensor(serialized, dtype=dtypes.string)
    outs = ParseSequenceExampleV2(
        serialized, dense_keys=tuple(keys), Tdense=tuple(dense[k].dtype for k in keys),
        dense_shapes=tuple(tuple(TensorShape(dense[k].shape).as_list()) for k in keys),
        dense_defaults=tuple(dense[k].default_value for k in keys),
        sequence=tuple(isinstance(dense[k], P.FixedLenSequenceFeature) for k in keys),
        sparse=tuple(sparse.values()), fl_dense_keys=tuple(fl_dense),
        fl_dense_types=tuple(s.dtype for s in fl_dense.values()),
        fl_dense_shapes=tuple(tuple(TensorShape(s.shape).as_list()) for s in fl_dense.values()),
        fl_dense_missing=tuple(bool(s.allow_missing) for s in fl_dense.values()),
        fl_sparse_keys=tuple(fl_sparse), fl_sparse_types=tuple(s.dtype for s in fl_sparse.values()),
        single=single, name=name or "ParseSequenceExampleV2",
    )  # fmt: skip
    outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
    it = iter(outs)
    context = {k: next(it) for k in keys}
    for k in sparse:
        context[k] = SparseTensor(next(it), next(it), next(it))
    seq = {k: next(it) for k in fl_dense}
    lengths = {k: next(it) for k in fl_dense}
    for k in fl_sparse:
        seq[k] = SparseTensor(next(it), next(it), next(it))
    return {k: context[k] for k in sorted(context)}, seq, lengths


def parse_sequence_example(serialized, context_features=None, sequence_features=None,
                           example_names=None, name=None):  # fmt: skip
    """Parses a batch of serialized `tf.train.SequenceExample`s.

    Returns `(context, feature_lists, feature_list_lengths)`: context features as parse_example
    gives them, feature lists as `[batch, time, ...]` dense tensors (FixedLenSequenceFeature, padded
    with zeros) or SparseTensors (VarLenFeature), and each dense feature list's lengths.
    """
    return _parse(serialized, context_features, sequence_features, False, name)


def parse_single_sequence_example(serialized, context_features=None, sequence_features=None,
                                  example_name=None, name=None):  # fmt: skip
    """Parses one serialized `tf.train.SequenceExample`; returns `(context, feature_lists)`."""
    context, seq, _ = _parse(serialized, context_features, sequence_features, True, name)
    return context, seq
