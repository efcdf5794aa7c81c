"""Harness rows for slicing, gathers/scatters, sorting and searching."""

import numpy as np

import tensorflux as tf
from tests.ops.harness import FLOAT32_64, INT32_64, OpInfo, Sample, make

D = tf
SOME = FLOAT32_64 + INT32_64 + (D.bool,)
ALL_KINDS = SOME + (D.string, D.float16, D.int8, D.uint8)


def _idx(values, dtype=np.int32):
    return np.asarray(values, dtype=dtype)


# ------------------------------------------------------------------ __getitem__ / strided_slice

_GETITEM_SPECS = [
    (1,),
    (-1, slice(None, None, -1)),
    (slice(1, None), Ellipsis, None),
    (Ellipsis, slice(3, 0, -2)),
    (None, 0, slice(None), None, -2),
    (slice(None, None, 2), slice(-2, None)),
    (slice(5, -9, -1), 2, slice(1, 3)),
    (),
    (Ellipsis,),
    (0, 1, 2),
]


def _getitem_samples(rng, dtype):
    x = make(rng, (3, 4, 5), dtype)
    # (A scalar string result reads back as bytes, which the harness cannot type-check.)
    specs = _GETITEM_SPECS[:-1] if dtype is D.string else _GETITEM_SPECS
    return [Sample([x], {"spec": s}) for s in specs] + [
        Sample([make(rng, (0, 3), dtype)], {"spec": (slice(None), 1)}),
        Sample([make(rng, (), dtype)], {"spec": (None, Ellipsis)}),
    ]


def _getitem(x, spec):
    return x[spec]


def _strided_samples(rng, dtype):
    x = make(rng, (3, 4, 5), dtype)
    cases = [
        # (strided_slice arguments, the same slice in NumPy)
        (
            dict(begin=[1, 0], end=[0, 3], strides=[-1, 2], begin_mask=1),
            (slice(None, 0, -1), slice(0, 3, 2)),
        ),
        (
            dict(begin=[0, 2], end=[0, 0], strides=[1, 1], ellipsis_mask=1, shrink_axis_mask=2),
            (Ellipsis, 2),
        ),
        (
            dict(begin=[0, 1, 0], end=[0, 2, 0], strides=[1, 1, 1], new_axis_mask=5, end_mask=4),
            (None, slice(1, 2), None),
        ),
        (
            dict(
                begin=[-1, 0, 1],
                end=[0, 0, 4],
                strides=[1, 1, 3],
                shrink_axis_mask=1,
                begin_mask=2,
                end_mask=2,
            ),
            (-1, slice(None), slice(1, 4, 3)),
        ),
        (dict(begin=[0], end=[0], strides=[1], new_axis_mask=1, shrink_axis_mask=1), (None,)),
        (
            dict(begin=[0, 0], end=[0, 0], strides=[1, -1], begin_mask=3, end_mask=3),
            (slice(None), slice(None, None, -1)),
        ),
    ]
    return [Sample([x], {"args": a, "np_spec": s}) for a, s in cases]


def _strided(x, args, np_spec):
    return tf.strided_slice(x, **args)


def _ssg_samples(rng, dtype):
    # StridedSliceGrad scatters dy (a slice's gradient) into zeros of the sliced input's shape.
    out = []
    for smp in _strided_samples(rng, dtype):
        x, args, np_spec = smp.args[0], smp.kwargs["args"], smp.kwargs["np_spec"]
        dy = make(rng, np.shape(x[np_spec]), dtype)
        out.append(Sample([dy], {"shape": list(x.shape), "args": args, "np_spec": np_spec}))
    return out


def _ssg(dy, shape, args, np_spec):
    from tensorflux._src.ops.indexing_ops import StridedSliceGrad

    a = dict(args)
    spec = [np.asarray(a.pop(k), np.int32) for k in ("begin", "end", "strides")]
    return StridedSliceGrad(np.asarray(shape, np.int32), *spec, dy, **a)


def _ssg_ref(dy, shape, args, np_spec):
    out = np.zeros(shape, dy.dtype)
    out[np_spec] = dy
    return out


def _slice_samples(rng, dtype):
    x = make(rng, (3, 4), dtype)
    return [
        Sample([x], {"begin": [1, 0], "size": [2, -1]}),
        Sample([x], {"begin": [0, 3], "size": [3, 1]}),
        Sample([x], {"begin": [3, 0], "size": [0, 4]}),
    ]


def _slice_ref(x, begin, size):
    return x[
        tuple(
            slice(b, x.shape[i] if s == -1 else b + s) for i, (b, s) in enumerate(zip(begin, size))
        )
    ]


# ------------------------------------------------------------------ gather, gather_nd


def _gather_samples(rng, dtype):
    return [
        Sample([make(rng, (4, 3), dtype), _idx([3, 0, 3])]),
        Sample([make(rng, (4, 3), dtype), _idx([[1, 2], [0, 1]], np.int64)], {"axis": 1}),
        Sample([make(rng, (2, 3, 4), dtype), _idx([[0, 3], [1, 1]])], {"axis": 2, "batch_dims": 1}),
        Sample([make(rng, (2, 3, 4), dtype), _idx([[2], [0]])], {"axis": -2, "batch_dims": -1}),
        Sample([make(rng, (3, 2), dtype), _idx(np.zeros([0], int))]),
    ] + ([] if dtype is D.string else [Sample([make(rng, (5,), dtype), _idx(2)])])


def _gather_ref(params, indices, axis=None, batch_dims=0):
    if batch_dims < 0:
        batch_dims += indices.ndim
    axis = batch_dims if axis is None else axis % params.ndim
    if batch_dims == 0:
        return np.take(params, indices, axis=axis)
    out = [_gather_ref(p, i, axis - 1, batch_dims - 1) for p, i in zip(params, indices)]
    return np.stack(out)


def _gather_nd_samples(rng, dtype):
    return [
        Sample([make(rng, (3, 4), dtype), _idx([[0, 1], [2, 3], [0, 1]])]),
        Sample([make(rng, (3, 4, 2), dtype), _idx([[[2]], [[0]]], np.int64)]),
        Sample([make(rng, (3, 4), dtype), _idx(np.zeros([2, 0], int))]),
        Sample(
            [make(rng, (2, 3, 4), dtype), _idx([[[1, 0], [2, 3]], [[0, 0], [1, 1]]])],
            {"batch_dims": 1},
        ),
        Sample([make(rng, (2, 3, 4), dtype), _idx([[1], [2]])], {"batch_dims": 1}),
    ]


def _gather_nd_ref(params, indices, batch_dims=0):
    if batch_dims:
        return np.stack([_gather_nd_ref(p, i, batch_dims - 1) for p, i in zip(params, indices)])
    k = indices.shape[-1]
    flat = indices.reshape(int(np.prod(indices.shape[:-1])), k)
    rows = [params[tuple(r)] for r in flat]
    out = np.stack(rows) if rows else np.zeros((0,) + params.shape[k:], params.dtype)
    return out.reshape(indices.shape[:-1] + params.shape[k:])


# ------------------------------------------------------------------ scatters


def _scatter_nd_samples(rng, dtype):
    return [
        Sample([_idx([[1], [3], [1]]), make(rng, (3, 2), dtype), [4, 2]]),
        Sample([_idx([[0, 1], [2, 0]], np.int64), make(rng, (2,), dtype), [3, 2]]),
        Sample([_idx(np.zeros([0, 1], int)), make(rng, (0, 3), dtype), [2, 3]]),
    ]


def _scatter_nd_ref(indices, updates, shape):
    out = np.zeros(shape, updates.dtype)
    k = indices.shape[-1]
    np.add.at(
        out,
        tuple(indices.reshape(int(np.prod(indices.shape[:-1])), k).T),
        updates.reshape((-1,) + tuple(shape[k:])),
    )
    return out


def _tensor_scatter_samples(unique_rows):
    def samples(rng, dtype):
        idx = _idx([[2], [0]]) if unique_rows else _idx([[2], [0], [2]])
        return [
            Sample([make(rng, (3, 2), dtype), idx, make(rng, (idx.shape[0], 2), dtype)]),
            Sample(
                [make(rng, (3, 2), dtype), _idx([[1, 1], [0, 0]], np.int64), make(rng, (2,), dtype)]
            ),
            Sample([make(rng, (3,), dtype), _idx(np.zeros([0, 1], int)), make(rng, (0,), dtype)]),
        ]

    return samples


def _tensor_scatter_ref(kind):
    def ref(tensor, indices, updates):
        out = tensor.copy()
        k = indices.shape[-1]
        cols = tuple(indices.reshape(int(np.prod(indices.shape[:-1])), k).T)
        rows = updates.reshape((-1,) + tensor.shape[k:])
        if kind == "update":
            out[cols] = rows
        elif kind == "sub":
            np.subtract.at(out, cols, rows)
        else:
            getattr(np, kind).at(out, cols, rows)
        return out

    return ref


# ------------------------------------------------------------------ boolean_mask


def _boolean_mask_samples(rng, dtype):
    return [
        Sample([make(rng, (3, 2), dtype), np.array([True, False, True])]),
        Sample([make(rng, (2, 3, 2), dtype), rng.random((3, 2)) < 0.5], {"axis": 1}),
        Sample([make(rng, (2, 3), dtype), np.array([[True, False, True], [False, True, True]])]),
        Sample([make(rng, (2, 3, 2), dtype), np.array([False, False, True])], {"axis": -2}),
    ]


def _boolean_mask_ref(tensor, mask, axis=None):
    axis = 0 if axis is None else axis % tensor.ndim
    return tensor[(slice(None),) * axis + (mask,)]


# ------------------------------------------------------------------ sorting, searching


def _sort_samples(rng, dtype):
    vals = rng.permutation(24).reshape(2, 3, 4) - 12  # distinct, so gradients are smooth
    x = vals.astype(dtype.as_numpy_dtype)
    return [
        Sample([x]),
        Sample([x], {"axis": 0, "direction": "DESCENDING"}),
        Sample([x[0]], {"axis": -2}),
        Sample([make(rng, (5,), dtype, -3, 3)], {"direction": "DESCENDING"}, grad=False),
        Sample([make(rng, (0, 3), dtype)]),
    ]


def _sort_ref(x, axis=-1, direction="ASCENDING"):
    out = np.sort(x, axis=axis, kind="stable")
    return np.flip(out, axis) if direction == "DESCENDING" else out


def _argsort_ref(x, axis=-1, direction="ASCENDING", stable=False):
    if direction == "DESCENDING":
        return np.argsort(-x.astype(np.float64), axis=axis, kind="stable").astype(np.int32)
    return np.argsort(x, axis=axis, kind="stable").astype(np.int32)


def _top_k_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 6), dtype, -3, 3)], {"k": 3}, grad=False),
        Sample([(rng.permutation(12).reshape(3, 4) - 6).astype(dtype.as_numpy_dtype)], {"k": 4}),
        Sample([make(rng, (4,), dtype)], {"k": 0}),
    ]


def _top_k_fn(x, k):
    return tf.math.top_k(x, k=k)


def _top_k_ref(x, k):
    idx = np.argsort(-x.astype(np.float64), axis=-1, kind="stable")[..., :k]
    return [np.take_along_axis(x, idx, -1), idx.astype(np.int32)]


def _unique_samples(rng, dtype):
    return [
        Sample([make(rng, (12,), dtype, -3, 3)]),
        Sample([make(rng, (0,), dtype)]),
        Sample([make(rng, (7,), dtype, -3, 3)], {"out_idx": tf.int64}),
    ]


def _unique_ref(counts):
    def ref(x, out_idx=tf.int32):
        seen, y, idx = {}, [], []
        for v in x.tolist():
            if v not in seen:
                seen[v] = len(y)
                y.append(v)
            idx.append(seen[v])
        t = out_idx.as_numpy_dtype
        cnt = np.bincount(np.asarray(idx, int), minlength=len(y)).astype(t)
        out = [np.asarray(y, dtype=x.dtype), np.asarray(idx, t)]
        return out + [cnt] if counts else out

    return ref


def _searchsorted_samples(rng, dtype):
    seq = np.sort(make(rng, (2, 6), dtype, -4, 4), axis=-1)
    return [
        Sample([seq, make(rng, (2, 3), dtype, -5, 5)]),
        Sample([seq, make(rng, (2, 3), dtype, -5, 5)], {"side": "right", "out_type": tf.int64}),
        Sample([np.sort(make(rng, (5,), dtype, -4, 4)), seq[0, :2].copy()], {"side": "right"}),
    ]


def _searchsorted_ref(seq, values, side="left", out_type=tf.int32):
    s2, v2 = seq.reshape(-1, seq.shape[-1]), values.reshape(-1, values.shape[-1])
    out = np.stack([np.searchsorted(a, b, side=side) for a, b in zip(s2, v2)])
    return out.reshape(values.shape).astype(out_type.as_numpy_dtype)


OPS = [
    OpInfo("__getitem__", _getitem, _getitem, ALL_KINDS, samples=_getitem_samples, grad2=True),
    OpInfo(
        "strided_slice",
        _strided,
        lambda x, args, np_spec: x[np_spec],
        SOME,
        samples=_strided_samples,
        grad2=True,
    ),
    OpInfo("raw_ops.StridedSliceGrad", _ssg, _ssg_ref, SOME, samples=_ssg_samples, grad2=True),
    OpInfo("slice", tf.slice, _slice_ref, SOME, samples=_slice_samples, grad2=True),
    OpInfo("gather", tf.gather, _gather_ref, ALL_KINDS, samples=_gather_samples, grad2=True),
    OpInfo("gather_nd", tf.gather_nd, _gather_nd_ref, SOME, samples=_gather_nd_samples, grad2=True),
    OpInfo(
        "scatter_nd",
        tf.scatter_nd,
        _scatter_nd_ref,
        FLOAT32_64 + INT32_64,
        samples=_scatter_nd_samples,
        grad2=True,
    ),
    OpInfo(
        "tensor_scatter_nd_update",
        tf.tensor_scatter_nd_update,
        _tensor_scatter_ref("update"),
        SOME,
        samples=_tensor_scatter_samples(True),
    ),
    OpInfo(
        "tensor_scatter_nd_add",
        tf.tensor_scatter_nd_add,
        _tensor_scatter_ref("add"),
        FLOAT32_64 + INT32_64,
        samples=_tensor_scatter_samples(False),
    ),
    OpInfo(
        "tensor_scatter_nd_sub",
        tf.tensor_scatter_nd_sub,
        _tensor_scatter_ref("sub"),
        FLOAT32_64 + INT32_64,
        samples=_tensor_scatter_samples(False),
    ),
    OpInfo(
        "tensor_scatter_nd_min",
        tf.tensor_scatter_nd_min,
        _tensor_scatter_ref("minimum"),
        FLOAT32_64 + INT32_64,
        samples=_tensor_scatter_samples(False),
    ),
    OpInfo(
        "tensor_scatter_nd_max",
        tf.tensor_scatter_nd_max,
        _tensor_scatter_ref("maximum"),
        FLOAT32_64 + INT32_64,
        samples=_tensor_scatter_samples(False),
    ),
    OpInfo(
        "boolean_mask",
        tf.boolean_mask,
        _boolean_mask_ref,
        SOME + (D.string,),
        samples=_boolean_mask_samples,
        grad_argnums=[0],
        data_dependent_shape=True,
    ),
    OpInfo(
        "sort",
        tf.sort,
        _sort_ref,
        FLOAT32_64 + INT32_64 + (D.int8, D.uint8, D.float16),
        samples=_sort_samples,
        grad2=True,
    ),
    OpInfo(
        "argsort",
        tf.argsort,
        _argsort_ref,
        FLOAT32_64 + INT32_64 + (D.uint8,),
        samples=_sort_samples,
        result_dtype=lambda d: tf.int32,
        grad=False,
    ),
    OpInfo("math.top_k", _top_k_fn, _top_k_ref, FLOAT32_64 + INT32_64, samples=_top_k_samples),
    OpInfo(
        "unique",
        tf.unique,
        _unique_ref(False),
        FLOAT32_64 + INT32_64 + (D.string,),
        samples=_unique_samples,
        grad=False,
        data_dependent_shape=True,
    ),
    OpInfo(
        "unique_with_counts",
        tf.unique_with_counts,
        _unique_ref(True),
        FLOAT32_64 + INT32_64 + (D.string,),
        samples=_unique_samples,
        grad=False,
        data_dependent_shape=True,
    ),
    OpInfo(
        "searchsorted",
        tf.searchsorted,
        _searchsorted_ref,
        FLOAT32_64 + INT32_64,
        samples=_searchsorted_samples,
        result_dtype=None,
        grad=False,
        ref_upcast=False,
    ),
]
