"""Harness rows for array creation and manipulation: transpose, concat, split, pad, tile, reverse,
roll, one_hot, range, linspace, broadcast_to, space/batch/depth moves, einsum, clipping."""

import numpy as np

import tensorflux as tf
from tensorflux._src.ops import array_ops, manip_ops, space_ops
from tests.ops.harness import COMPLEX, FLOAT32_64, INT32_64, OpInfo, Sample, make

D = tf
SOME = FLOAT32_64 + (D.int32,)
WITH_BOOL = SOME + (D.bool,)
WIDE = FLOAT32_64 + INT32_64 + (D.bool, D.float16, D.complex128)


def _int(v, dtype=np.int32):
    return np.asarray(v, dtype=dtype)


# ------------------------------------------------------------------ transpose, squeeze, expand_dims


def _transpose_samples(rng, dtype):
    out = [
        Sample([make(rng, (2, 3), dtype)]),
        Sample([make(rng, (2, 3, 4), dtype)], {"perm": [2, 0, 1]}),
        Sample([make(rng, (), dtype)]),
        Sample([make(rng, (0, 3), dtype)], {"perm": [1, 0]}),
    ]
    if dtype.is_complex:
        out.append(Sample([make(rng, (2, 3), dtype)], {"conjugate": True}))
    return out


def _transpose_ref(x, perm=None, conjugate=False):
    y = np.transpose(x, perm)
    return np.conj(y) if conjugate else y


def _squeeze_samples(rng, dtype):
    return [
        Sample([make(rng, (1, 2, 1), dtype)]),
        Sample([make(rng, (1, 2, 1), dtype)], {"axis": [0]}),
        Sample([make(rng, (1, 2, 1), dtype)], {"axis": -1}),
        Sample([make(rng, (), dtype)]),
        Sample([make(rng, (0, 1), dtype)], {"axis": 1}),
    ]


def _squeeze_ref(x, axis=None):
    return np.squeeze(x, axis=tuple(axis) if isinstance(axis, list) else axis)


def _expand_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)], {"axis": 0}),
        Sample([make(rng, (2, 3), dtype)], {"axis": -1}),
        Sample([make(rng, (2, 3), dtype)], {"axis": -2}),
        Sample([make(rng, (), dtype)], {"axis": 0}),
    ]


# ------------------------------------------------------------------ concat, split


def _concat(*xs, axis=0):
    return tf.concat(list(xs), axis)


def _concat_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), make(rng, (2, 4), dtype)], {"axis": -1}),
        Sample([make(rng, (2, 3), dtype), make(rng, (1, 3), dtype), make(rng, (2, 3), dtype)]),
        Sample([make(rng, (0, 3), dtype), make(rng, (2, 3), dtype)], {"axis": 0}),
        Sample([make(rng, (2,), dtype)]),
    ]


def _concat_ref(*xs, axis=0):
    return np.concatenate(xs, axis=axis)


def _split(x, num_or_size_splits, axis=0):
    return tf.split(x, num_or_size_splits, axis=axis)


def _split_ref(x, num_or_size_splits, axis=0):
    if isinstance(num_or_size_splits, int):
        return np.split(x, num_or_size_splits, axis=axis)
    sizes = list(num_or_size_splits)
    if -1 in sizes:
        sizes[sizes.index(-1)] = x.shape[axis] - (sum(sizes) + 1)
    return np.split(x, np.cumsum(sizes)[:-1], axis=axis)


def _split_samples(rng, dtype):
    return [
        Sample([make(rng, (4, 3), dtype), 2]),
        Sample([make(rng, (2, 6), dtype), 3], {"axis": -1}),
        Sample([make(rng, (0, 3), dtype), 3], {"axis": 0}),
        Sample([make(rng, (4, 3), dtype), [1, -1]]),
        Sample([make(rng, (2, 3), dtype), [2, 0, 1]], {"axis": -1}),
        Sample([make(rng, (5,), dtype), [5]]),
    ]


# ------------------------------------------------------------------ tile, pad, reverse, roll


def _tile_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), [2, 1]]),
        Sample([make(rng, (), dtype), []]),
        Sample([make(rng, (0, 2), dtype), [3, 2]]),
        Sample([make(rng, (2, 1, 3), dtype), [1, 2, 2]]),
        Sample([make(rng, (2,), dtype), [0]]),
    ]


def _pad_samples(rng, dtype):
    out = [
        Sample([make(rng, (2, 3), dtype), [[1, 0], [2, 1]]]),
        Sample([make(rng, (), dtype), np.zeros((0, 2), np.int32)]),
        Sample([make(rng, (0, 2), dtype), [[1, 1], [0, 0]]]),
        Sample([make(rng, (3, 4), dtype), [[1, 2], [2, 3]]], {"mode": "REFLECT"}),
        Sample([make(rng, (3, 4), dtype), [[3, 1], [0, 4]]], {"mode": "symmetric"}),
    ]
    if dtype is not D.bool:
        out.append(Sample([make(rng, (2, 2), dtype), [[0, 1], [1, 0]]], {"constant_values": 3}))
    return out


def _pad_ref(x, paddings, mode="CONSTANT", constant_values=0):
    pads = np.asarray(paddings).reshape(-1, 2).tolist()
    if not pads:
        return x
    m = mode.lower()
    if m == "constant":
        return np.pad(x, pads, mode="constant", constant_values=constant_values)
    return np.pad(x, pads, mode=m if m == "symmetric" else "reflect")


def _reverse_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), [-1]]),
        Sample([make(rng, (2, 3, 4), dtype), [0, 2]]),
        Sample([make(rng, (), dtype), []]),
        Sample([make(rng, (0, 2), dtype), [1]]),
    ]


def _reverse_ref(x, axis):
    return np.flip(x, axis=tuple(axis)) if axis else x


def _roll_samples(rng, dtype):
    return [
        Sample([make(rng, (5,), dtype), 7, 0]),
        Sample([make(rng, (2, 3), dtype), [1, -1], [0, 1]]),
        Sample([make(rng, (2, 3), dtype), [1, 1], [-1, 1]]),
        Sample([make(rng, (0, 3), dtype), 1, 1]),
    ]


def _roll_ref(x, shift, axis):
    if isinstance(shift, int):
        return np.roll(x, shift, axis)
    return np.roll(x, tuple(shift), tuple(axis))


def _repeat_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), 2], {"axis": 0}),
        Sample([make(rng, (2, 3), dtype), [1, 2]], {"axis": 0}),
        Sample([make(rng, (2, 3), dtype), [2, 0, 1]], {"axis": -1}),
        Sample([make(rng, (2, 2), dtype), 3]),
        Sample([make(rng, (), dtype), 2]),
    ]


# ------------------------------------------------------------------ creation


def _one_hot(indices, depth, **kw):
    return tf.one_hot(indices, depth, **kw)


def _one_hot_samples(rng, dtype):
    on, off = np.ones((), dtype.as_numpy_dtype) * 5, np.zeros((), dtype.as_numpy_dtype) - 1
    return [
        Sample([_int([0, 2, -1, 3]), 3], {"dtype": dtype}),
        Sample([_int([[0, 2], [1, 1]], np.int64), 3], {"axis": 0, "dtype": dtype}),
        Sample([_int([1, 0], np.uint8), 2], {"on_value": on, "off_value": off, "axis": -1}),
        Sample([_int([], np.int32), 4], {"dtype": dtype}),
        Sample([_int(1), 3], {"dtype": dtype}),
    ]


def _one_hot_ref(indices, depth, on_value=None, off_value=None, axis=None, dtype=None):
    on = 1 if on_value is None else on_value
    off = 0 if off_value is None else off_value
    dt = dtype.as_numpy_dtype if dtype is not None else np.asarray(on).dtype
    hot = np.asarray(indices)[..., None] == np.arange(depth)
    out = np.where(hot, on, off).astype(dt)
    return out if axis in (None, -1) else np.moveaxis(out, -1, axis)


def _eye_samples(rng, dtype):
    return [
        Sample([3], {"dtype": dtype}),
        Sample([2, 3], {"batch_shape": [2], "dtype": dtype}),
        Sample([0], {"dtype": dtype}),
        Sample([3, 2], {"batch_shape": [1, 2], "dtype": dtype}),
    ]


def _eye_ref(num_rows, num_columns=None, batch_shape=None, dtype=None):
    m = np.eye(num_rows, num_columns, dtype=dtype.as_numpy_dtype)
    return np.broadcast_to(m, list(batch_shape or []) + list(m.shape))


def _range_samples(rng, dtype):
    return [
        Sample([5], {"dtype": dtype}),
        Sample([1, 7, 2], {"dtype": dtype}),
        Sample([5, 0, -2], {"dtype": dtype}),
        Sample([3, 3], {"dtype": dtype}),
        Sample(
            [
                np.asarray(2, dtype.as_numpy_dtype),
                np.asarray(9, dtype.as_numpy_dtype),
                np.asarray(3, dtype.as_numpy_dtype),
            ]
        ),
    ]


def _range_ref(start, limit=None, delta=1, dtype=None):
    if limit is None:
        start, limit = 0, start
    dt = dtype.as_numpy_dtype if dtype is not None else np.asarray(start).dtype
    return np.arange(start, limit, delta).astype(dt)


def _linspace_samples(rng, dtype):
    return [
        Sample([np.asarray(0.5, dtype.as_numpy_dtype), np.asarray(2.0, dtype.as_numpy_dtype), 4]),
        Sample([make(rng, (2,), dtype), make(rng, (2,), dtype), 3], {"axis": -1}),
        Sample([make(rng, (2, 1), dtype), make(rng, (3,), dtype), 4], {"axis": 1}),
        Sample([np.asarray(1.0, dtype.as_numpy_dtype), np.asarray(3.0, dtype.as_numpy_dtype), 1]),
        Sample([make(rng, (2,), dtype), make(rng, (2,), dtype), 0]),
    ]


def _linspace_ref(start, stop, num, axis=0):
    return np.linspace(start, stop, num, axis=axis)


def _meshgrid(*xs, **kw):
    return tf.meshgrid(*xs, **kw)


def _meshgrid_samples(rng, dtype):
    return [
        Sample([make(rng, (2,), dtype), make(rng, (3,), dtype)]),
        Sample(
            [make(rng, (2,), dtype), make(rng, (3,), dtype), make(rng, (4,), dtype)],
            {"indexing": "ij"},
        ),
        Sample([make(rng, (2,), dtype), make(rng, (0,), dtype)], {"indexing": "xy"}),
    ]


def _sequence_mask_samples(rng, dtype):
    return [
        Sample([_int([1, 3, 0]), 4], {"dtype": dtype}),
        Sample([_int([[1, 3], [0, 2]], np.int64)], {"dtype": dtype}),
        Sample([_int([], np.int32), 2], {"dtype": dtype}),
    ]


def _sequence_mask_ref(lengths, maxlen=None, dtype=None):
    lengths = np.asarray(lengths)
    if maxlen is None:
        maxlen = int(lengths.max()) if lengths.size else 0
    return (np.arange(maxlen) < lengths[..., None]).astype(dtype.as_numpy_dtype)


# ------------------------------------------------------------------ broadcasting, shape queries


def _broadcast_to_samples(rng, dtype):
    return [
        Sample([make(rng, (3,), dtype), [2, 3]]),
        Sample([make(rng, (2, 1), dtype), [2, 2, 3]]),
        Sample([make(rng, (), dtype), [2]]),
        Sample([make(rng, (1, 0), dtype), [3, 0]]),
        Sample([make(rng, (2, 3), dtype), [2, 3]]),
    ]


def _bds_samples(rng, dtype):
    t = dtype.as_numpy_dtype
    return [
        Sample([np.asarray([2, 1], t), np.asarray([3], t)]),
        Sample([np.asarray([], t), np.asarray([4, 1], t)]),
        Sample([np.asarray([1, 5], t), np.asarray([3, 1, 1], t)]),
    ]


def _shape_query_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)]),
        Sample([make(rng, (), dtype)]),
        Sample([make(rng, (0, 4, 1), dtype)]),
    ]


def _size_int64(x):
    return tf.size(x, out_type=tf.int64)


def _shape_n(a, b):
    return tf.shape_n([a, b])


def _identity_n(a, b):
    return tf.identity_n([a, b])


def _pair_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), make(rng, (), dtype)]),
        Sample([make(rng, (0,), dtype), make(rng, (4, 1), dtype)]),
    ]


def _ensure_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)], {"shape": [None, 3]}),
        Sample([make(rng, (), dtype)], {"shape": []}),
        Sample([make(rng, (0, 2), dtype)], {"shape": tf.TensorShape([0, 2])}),
    ]


# ------------------------------------------------------------------ space / batch / depth


def _s2b_ref(x, block_shape, paddings):
    """Loop reference: output[(i1..iM)*B + b, p1.., rest] = padded[b, p1*b1 + i1, ...]."""
    x = np.asarray(x)
    m = len(block_shape)
    pads = [[0, 0]] + [list(p) for p in paddings] + [[0, 0]] * (x.ndim - m - 1)
    xp = np.pad(x, pads)
    batch = x.shape[0]
    outs = []
    for offs in np.ndindex(*block_shape):
        sl = [slice(None)] + [slice(o, None, b) for o, b in zip(offs, block_shape)]
        outs.append(xp[tuple(sl)])
    return np.concatenate(outs, axis=0).reshape((len(outs) * batch,) + outs[0].shape[1:])


def _b2s_ref(x, block_shape, crops):
    x = np.asarray(x)
    m = len(block_shape)
    nblk = int(np.prod(block_shape))
    batch = x.shape[0] // nblk
    full = (
        [batch] + [x.shape[i + 1] * b for i, b in enumerate(block_shape)] + list(x.shape[m + 1 :])
    )
    out = np.zeros(full, x.dtype)
    for k, offs in enumerate(np.ndindex(*block_shape)):
        sl = [slice(None)] + [slice(o, None, b) for o, b in zip(offs, block_shape)]
        out[tuple(sl)] = x[k * batch : (k + 1) * batch]
    crop = [slice(None)] + [slice(lo, out.shape[i + 1] - hi) for i, (lo, hi) in enumerate(crops)]
    return out[tuple(crop)]


def _s2b_samples(rng, dtype):
    return [
        Sample([make(rng, (1, 4, 4, 1), dtype), [2, 2], [[0, 0], [0, 0]]]),
        Sample([make(rng, (2, 2, 3, 2), dtype), [2, 2], [[0, 0], [1, 0]]]),
        Sample([make(rng, (2, 3), dtype), [3], [[1, 2]]]),
    ]


def _b2s_samples(rng, dtype):
    return [
        Sample([make(rng, (4, 1, 2, 1), dtype), [2, 2], [[0, 0], [0, 1]]]),
        Sample([make(rng, (8, 1, 2, 3), dtype), [2, 2], [[1, 0], [0, 0]]]),
        Sample([make(rng, (3, 2), dtype), [3], [[1, 2]]]),
    ]


def _s2d_ref(x, block_size, data_format="NHWC"):
    b = block_size
    if data_format == "NCHW":
        x = np.transpose(x, (0, 2, 3, 1))
    n, h, w, c = x.shape
    out = np.zeros((n, h // b, w // b, c * b * b), x.dtype)
    for i in range(h):
        for j in range(w):
            k = ((i % b) * b + (j % b)) * c
            out[:, i // b, j // b, k : k + c] = x[:, i, j, :]
    return out if data_format == "NHWC" else np.transpose(out, (0, 3, 1, 2))


def _d2s_ref(x, block_size, data_format="NHWC"):
    b = block_size
    if data_format == "NCHW":
        x = np.transpose(x, (0, 2, 3, 1))
    n, h, w, c = x.shape
    c2 = c // (b * b)
    out = np.zeros((n, h * b, w * b, c2), x.dtype)
    for i in range(h * b):
        for j in range(w * b):
            k = ((i % b) * b + (j % b)) * c2
            out[:, i, j, :] = x[:, i // b, j // b, k : k + c2]
    return out if data_format == "NHWC" else np.transpose(out, (0, 3, 1, 2))


def _s2d_samples(rng, dtype):
    return [
        Sample([make(rng, (1, 2, 4, 2), dtype), 2]),
        Sample([make(rng, (2, 3, 3, 1), dtype), 3]),
        Sample([make(rng, (1, 2, 2, 4), dtype), 2], {"data_format": "NCHW"}),
    ]


def _d2s_samples(rng, dtype):
    return [
        Sample([make(rng, (1, 1, 2, 8), dtype), 2]),
        Sample([make(rng, (2, 1, 1, 9), dtype), 3]),
        Sample([make(rng, (1, 8, 2, 1), dtype), 2], {"data_format": "NCHW"}),
    ]


# ------------------------------------------------------------------ einsum


def _einsum(equation, *xs):
    return tf.einsum(equation, *xs)


def _einsum_samples(rng, dtype):
    m = lambda *s: make(rng, s, dtype)  # noqa: E731
    return [
        Sample(["ij,jk->ik", m(2, 3), m(3, 2)]),
        Sample(["ii", m(3, 3)]),
        Sample(["ii->i", m(3, 3)]),
        Sample(["ij->ji", m(2, 3)]),
        Sample(["ij->", m(2, 3)]),
        Sample(["...ij,...jk->...ik", m(1, 2, 3), m(4, 3, 2)]),
        Sample(["bij,bjk", m(2, 2, 3), m(2, 3, 1)]),
        Sample(["i,j->ij", m(3), m(2)]),
        Sample(["ij,ij->i", m(2, 3), m(2, 3)]),
        Sample(["ijk,k->ij", m(2, 0, 3), m(3)]),
        Sample(["ij,jk,kl->il", m(2, 3), m(3, 2), m(2, 2)]),
    ]


# ------------------------------------------------------------------ clipping


def _clip_samples(rng, dtype):
    lo, hi = np.asarray(-0.5, dtype.as_numpy_dtype), np.asarray(0.7, dtype.as_numpy_dtype)
    if dtype.is_integer:
        lo, hi = np.asarray(-1, dtype.as_numpy_dtype), np.asarray(1, dtype.as_numpy_dtype)
    return [
        Sample([make(rng, (2, 3), dtype), lo, hi]),
        Sample([make(rng, (3,), dtype), make(rng, (3,), dtype, -2, -1), hi]),
        Sample([make(rng, (), dtype), lo, hi]),
        Sample([make(rng, (0, 2), dtype), lo, hi]),
    ]


def _clip_norm_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), 1.0]),
        Sample([make(rng, (2, 3), dtype), 1.0], {"axes": [1]}),
        Sample([np.zeros((2, 2), dtype.as_numpy_dtype), 1.0], {"axes": [0]}, grad=False),
        Sample([make(rng, (3,), dtype, 0.01, 0.1), 5.0]),
    ]


def _clip_norm_ref(t, clip_norm, axes=None):
    l2 = np.sqrt(np.sum(t * t, axis=tuple(axes) if axes else None, keepdims=True))
    return (t * clip_norm / np.maximum(l2, clip_norm)).astype(t.dtype)


def _clip_global(a, b, clip_norm):
    out, norm = tf.clip_by_global_norm([a, None, b], clip_norm)
    assert out[1] is None
    return [out[0], out[2], norm]


def _clip_global_ref(a, b, clip_norm):
    g = np.sqrt(np.sum(a * a) + np.sum(b * b))
    s = clip_norm / max(g, clip_norm)
    return [(a * s).astype(a.dtype), (b * s).astype(b.dtype), np.asarray(g, a.dtype)]


def _clip_global_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), make(rng, (4,), dtype), 1.0]),
        Sample([make(rng, (2,), dtype, 0.0, 0.1), make(rng, (), dtype, 0.0, 0.1), 5.0]),
    ]


# ------------------------------------------------------------------ rows for ops without their own


def _unstack_samples(rng, dtype):
    return [
        Sample([make(rng, (3, 2), dtype)]),
        Sample([make(rng, (2, 3, 1), dtype)], {"axis": -2}),
        Sample([make(rng, (2, 0), dtype)], {"axis": 0}),
    ]


def _unstack_ref(x, axis=0):
    return [np.take(x, i, axis=axis) for i in range(x.shape[axis])]


def _fill_samples(rng, dtype):
    return [
        Sample([[2, 3], make(rng, (), dtype)]),
        Sample([[], make(rng, (), dtype)]),
        Sample([[0, 2], make(rng, (), dtype)]),
    ]


def _invert_perm_samples(rng, dtype):
    t = dtype.as_numpy_dtype
    return [
        Sample([np.asarray([2, 0, 3, 1], t)]),
        Sample([np.asarray([], t)]),
        Sample([np.asarray([0], t)]),
    ]


def _mirror_pad_grad(dy, paddings, mode):
    return manip_ops.MirrorPadGrad(dy, paddings, mode=mode)


def _mirror_pad_grad_ref(dy, paddings, mode):
    """Adjoint of mirror padding, by pushing each padded element back to its source."""
    pads = np.asarray(paddings).reshape(-1, 2)
    shape = [d - a - b for d, (a, b) in zip(dy.shape, pads)]
    src = np.arange(int(np.prod(shape))).reshape(shape)
    idx = np.pad(src, pads.tolist(), mode="reflect" if mode == "REFLECT" else "symmetric")
    out = np.zeros(int(np.prod(shape)), dy.dtype)
    np.add.at(out, idx.reshape(-1), dy.reshape(-1))
    return out.reshape(shape)


def _mirror_pad_grad_samples(rng, dtype):
    return [
        Sample([make(rng, (5, 7), dtype), [[1, 1], [2, 2]], "REFLECT"]),
        Sample([make(rng, (6, 4), dtype), [[2, 1], [0, 1]], "SYMMETRIC"]),
    ]


OPS = [
    OpInfo("transpose", tf.transpose, _transpose_ref, WIDE, samples=_transpose_samples, grad2=True),
    OpInfo("squeeze", tf.squeeze, _squeeze_ref, WITH_BOOL, samples=_squeeze_samples),
    OpInfo(
        "expand_dims",
        tf.expand_dims,
        lambda x, axis: np.expand_dims(x, axis),
        WITH_BOOL,
        samples=_expand_samples,
    ),
    OpInfo("concat", _concat, _concat_ref, WIDE, samples=_concat_samples, grad2=True),
    OpInfo("split", _split, _split_ref, WITH_BOOL, samples=_split_samples, grad2=True),
    OpInfo(
        "tile",
        tf.tile,
        lambda x, m: np.tile(x, m) if m else x,
        WITH_BOOL,
        samples=_tile_samples,
        grad2=True,
    ),
    OpInfo("pad", tf.pad, _pad_ref, WITH_BOOL + (D.complex64,), samples=_pad_samples, grad2=True),
    OpInfo("reverse", tf.reverse, _reverse_ref, WITH_BOOL, samples=_reverse_samples),
    OpInfo("roll", tf.roll, _roll_ref, WITH_BOOL, samples=_roll_samples),
    OpInfo(
        "repeat",
        tf.repeat,
        lambda x, r, axis=None: np.repeat(x, r, axis=axis),
        WITH_BOOL,
        samples=_repeat_samples,
    ),
    OpInfo(
        "one_hot",
        _one_hot,
        _one_hot_ref,
        SOME,
        samples=_one_hot_samples,
        result_dtype=lambda d: d,
        grad=False,
    ),
    OpInfo("eye", tf.eye, _eye_ref, SOME + (D.bool,), samples=_eye_samples, grad=False),
    OpInfo(
        "range",
        tf.range,
        _range_ref,
        FLOAT32_64 + INT32_64,
        samples=_range_samples,
        grad=False,
        data_dependent_shape=True,
    ),
    OpInfo(
        "linspace", tf.linspace, _linspace_ref, FLOAT32_64, samples=_linspace_samples, grad=False
    ),
    OpInfo(
        "meshgrid",
        _meshgrid,
        lambda *xs, indexing="xy": np.meshgrid(*xs, indexing=indexing),
        SOME,
        samples=_meshgrid_samples,
    ),
    OpInfo(
        "sequence_mask",
        tf.sequence_mask,
        _sequence_mask_ref,
        (D.bool, D.float32, D.int32),
        samples=_sequence_mask_samples,
        result_dtype=lambda d: d,
        grad=False,
        data_dependent_shape=True,
    ),
    OpInfo(
        "broadcast_to",
        tf.broadcast_to,
        lambda x, s: np.broadcast_to(x, s),
        WITH_BOOL,
        samples=_broadcast_to_samples,
        grad2=True,
    ),
    OpInfo(
        "broadcast_dynamic_shape",
        tf.broadcast_dynamic_shape,
        lambda a, b: np.asarray(np.broadcast_shapes(tuple(a), tuple(b)), a.dtype),
        INT32_64,
        samples=_bds_samples,
        grad=False,
    ),
    OpInfo(
        "size",
        tf.size,
        lambda x: np.asarray(x.size, np.int32),
        SOME,
        samples=_shape_query_samples,
        result_dtype=lambda d: D.int32,
        grad=False,
    ),
    OpInfo(
        "size_int64",
        _size_int64,
        lambda x: np.asarray(x.size, np.int64),
        SOME,
        samples=_shape_query_samples,
        result_dtype=lambda d: D.int64,
        grad=False,
    ),
    OpInfo(
        "rank",
        tf.rank,
        lambda x: np.asarray(x.ndim, np.int32),
        SOME,
        samples=_shape_query_samples,
        result_dtype=lambda d: D.int32,
        grad=False,
    ),
    OpInfo(
        "shape_n",
        _shape_n,
        lambda a, b: [np.asarray(a.shape, np.int32), np.asarray(b.shape, np.int32)],
        SOME,
        samples=_pair_samples,
        result_dtype=lambda d: D.int32,
        grad=False,
    ),
    OpInfo("identity_n", _identity_n, lambda a, b: [a, b], WIDE, samples=_pair_samples),
    OpInfo(
        "stop_gradient",
        tf.stop_gradient,
        lambda x: x,
        WITH_BOOL,
        samples=_shape_query_samples,
        grad=False,
    ),
    OpInfo("ensure_shape", tf.ensure_shape, lambda x, shape: x, WITH_BOOL, samples=_ensure_samples),
    OpInfo("space_to_batch_nd", tf.space_to_batch_nd, _s2b_ref, SOME, samples=_s2b_samples),
    OpInfo("batch_to_space", tf.batch_to_space, _b2s_ref, SOME, samples=_b2s_samples),
    OpInfo("nn.space_to_depth", space_ops.space_to_depth, _s2d_ref, SOME, samples=_s2d_samples),
    OpInfo("nn.depth_to_space", space_ops.depth_to_space, _d2s_ref, SOME, samples=_d2s_samples),
    OpInfo(
        "einsum",
        _einsum,
        np.einsum,
        FLOAT32_64 + (D.int32, D.float16) + COMPLEX,
        samples=_einsum_samples,
        grad2=True,
        tol={D.float16: (2e-2, 2e-2)},
    ),
    OpInfo(
        "transpose_conjugate",
        lambda x: tf.transpose(x, conjugate=True),
        lambda x: np.conj(np.transpose(x)),
        COMPLEX,
        samples=_shape_query_samples,
    ),
    OpInfo(
        "unstack", tf.unstack, _unstack_ref, WITH_BOOL, samples=_unstack_samples, unknown_dims=False
    ),  # the number of outputs needs the static size
    OpInfo("fill", tf.fill, lambda dims, v: np.full(dims, v), WITH_BOOL, samples=_fill_samples),
    OpInfo(
        "math.invert_permutation",
        array_ops.invert_permutation,
        lambda p: np.argsort(p).astype(p.dtype),
        INT32_64,
        samples=_invert_perm_samples,
        grad=False,
    ),
    OpInfo(
        "raw.MirrorPadGrad",
        _mirror_pad_grad,
        _mirror_pad_grad_ref,
        FLOAT32_64,
        samples=_mirror_pad_grad_samples,
        grad2=True,
    ),
    OpInfo(
        "clip_by_value",
        tf.clip_by_value,
        lambda t, lo, hi: np.clip(t, lo, hi),
        SOME,
        samples=_clip_samples,
    ),
    OpInfo("clip_by_norm", tf.clip_by_norm, _clip_norm_ref, FLOAT32_64, samples=_clip_norm_samples),
    OpInfo(
        "clip_by_global_norm",
        _clip_global,
        _clip_global_ref,
        FLOAT32_64,
        samples=_clip_global_samples,
    ),
]
