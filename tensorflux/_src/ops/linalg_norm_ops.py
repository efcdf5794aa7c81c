"""Cross products, the tensor diagonal ops (Diag, DiagPart) and norms (`tf.norm`,
`tf.linalg.global_norm`): one block per op, then its public function.
"""

from __future__ import annotations

import numbers

import numpy as np

from tensorflux._src.core import dtypes as d
from tensorflux._src.core.errors import FailedPreconditionError
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, binary_math_ops, math_ops, reduction_ops, unary_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.ops.linalg_ops import _err, _fmt, _ndim_rule, _read
from tensorflux._src.tensor import constant

_CROSS_T = (d.float32, d.float64, d.int32, d.uint8, d.int16, d.int8, d.int64, d.bfloat16,
            d.uint16, d.float16, d.uint32, d.uint64)  # fmt: skip
_DIAG_T = (d.bfloat16, d.float16, d.float32, d.float64, d.int32, d.int64, d.complex64,
           d.complex128)  # fmt: skip


# ------------------------------------------------------------------ Diag / DiagPart (tensor_diag)


def _tdiag_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return s
    if s.rank < 1:
        raise _err("Input must be at least rank 1, got 0")
    return s.concatenate(s)


Diag = defop("Diag", infer=Rule(_ndim_rule(_DIAG_T), _tdiag_shape))


@Diag.kernel
def _(xp, x):
    if x.ndim < 1:
        raise ValueError("rank")
    n = x.size
    out = xp.zeros((n, n), dtype=x.dtype)
    idx = xp.arange(n)
    out[idx, idx] = x.reshape(-1)
    return out.reshape(x.shape + x.shape)


def _tdiag_part_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return s
    if s.rank % 2 or s.rank == 0:
        raise _err(f"The rank of the tensor should be even and positive, got shape {_fmt(s)}")
    h = s.rank // 2
    out = []
    for a, b in zip(s[:h], s[h:]):
        if a is not None and b is not None and a != b:
            i = len(out)
            raise _err(f"Invalid shape {_fmt(s)}: dimensions {i} and {i + h} do not match.")
        out.append(a if a is not None else b)
    return TensorShape(out)


DiagPart = defop("DiagPart", infer=Rule(_ndim_rule(_DIAG_T), _tdiag_part_shape))


@DiagPart.kernel
def _(xp, x):
    h = x.ndim // 2
    if x.ndim % 2 or x.ndim == 0 or x.shape[:h] != x.shape[h:]:
        raise ValueError("shape")
    n = int(np.prod(x.shape[:h], dtype=np.int64))
    idx = xp.arange(n)
    return x.reshape(n, n)[idx, idx].reshape(x.shape[:h])


@Diag.gradient
def _(op, dy):
    return [DiagPart(dy)]


@DiagPart.gradient
def _(op, dy):
    return [Diag(dy)]


def tensor_diag(diagonal, name=None):
    """A tensor of rank 2k with `diagonal` (rank k) on its diagonal and zeros elsewhere.

    Args:
      diagonal: a tensor of rank k >= 1.
      name: a name for the operation.

    Returns:
      A tensor of shape `diagonal.shape + diagonal.shape`.
    """
    return Diag(diagonal, name=name)


def tensor_diag_part(input, name=None):
    """The diagonal of a rank-2k tensor whose shape is `D + D`: `out[i...] = input[i..., i...]`.

    Args:
      input: a tensor of even rank whose two halves of the shape are equal.
      name: a name for the operation.

    Returns:
      A tensor of the first half of `input`'s shape.
    """
    return DiagPart(input, name=name)


# ------------------------------------------------------------------ Cross


def _cross_shape(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.is_fully_defined() and b.is_fully_defined() and a != b:
        raise _err(f"Both inputs must be of same shape: {_fmt(a)} vs. {_fmt(b)}")
    s = a.merge_with(b) if a.is_compatible_with(b) else a
    if s.rank is not None and (s.rank == 0 or s[-1] not in (None, 3)):
        raise FailedPreconditionError(
            None, None, "Cross-products are only defined for 3-element vectors."
        )
    return s


Cross = defop("Cross", infer=Rule(_ndim_rule(_CROSS_T), _cross_shape))


@Cross.kernel
def _(xp, a, b):
    if a.shape != b.shape or a.ndim == 0 or a.shape[-1] != 3:
        raise ValueError("shape")
    a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
    b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
    return xp.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)


@Cross.gradient
def _(op, dy):
    a, b = op.inputs
    return [Cross(b, dy), Cross(dy, a)]


def cross(a, b, name=None):
    """The pairwise cross product of the 3-vectors in the last dimension of `a` and `b`.

    Args:
      a: a tensor whose last dimension is 3.
      b: a tensor of the same shape and dtype.
      name: a name for the operation.

    Returns:
      A tensor like `a`.

    Raises:
      FailedPreconditionError: if the last dimension is not 3.
    """
    return Cross(a, b, name=name)


# ------------------------------------------------------------------ norms


_MATRIX_ORDS = ("euclidean", "fro", 1, 2, np.inf)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """Vector or matrix norm of `tensor`.

    Args:
      tensor: a float or complex tensor.
      ord: "euclidean" (default), a positive number or `np.inf` for vector norms;
        "euclidean", "fro", 1, 2 or `np.inf` for matrix norms.
      axis: None (the whole tensor as one vector), an int (vector norms along it) or a pair of
        ints (matrix norms over those two dimensions).
      keepdims: keep the reduced dimensions with size 1.
      name: a name for the operation.

    Returns:
      The norms, of the real dtype of `tensor`.

    Raises:
      ValueError: on an unsupported `ord` or `axis`.
    """
    keepdims = bool(keepdims)
    if isinstance(axis, (tuple, list)) and len(axis) == 1:
        axis = axis[0]
    is_matrix = isinstance(axis, (tuple, list))
    valid = (
        axis is None
        or isinstance(axis, (numbers.Integral, np.integer))
        or (
            is_matrix
            and len(axis) == 2
            and all(isinstance(a, numbers.Integral) for a in axis)
            and axis[0] != axis[1]
        )
    )
    if not valid:
        raise ValueError(
            f"'axis' must be None, an integer, or a tuple of 2 unique integers, got {axis}"
        )
    real_ord = isinstance(ord, numbers.Real) and not isinstance(ord, bool)
    if is_matrix:
        if not (ord in ("euclidean", "fro") or real_ord and ord in (1, 2, np.inf)):
            raise ValueError(
                "'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, 2, inf], "
                f"got {ord}"
            )
    elif not (ord == "euclidean" or real_ord and ord > 0):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    x = as_tensor(_read(tensor))
    rank = x.shape.rank
    if axis is None:
        if rank is None:
            x, rank, keepdims = array_ops.reshape(x, [-1]), 1, False
        ax = list(range(rank))
    else:
        ax = [int(a) for a in axis] if is_matrix else [int(axis)]
        if rank is not None:
            for a in ax:
                if not -rank <= a < rank:
                    raise ValueError(f"'axis' {axis} is out of range for a tensor of rank {rank}")
            ax = [a % rank for a in ax]
    mag = x if x.dtype.is_floating else unary_ops.abs(x)
    if ord == "euclidean" or ord == "fro" or (ord == 2 and not is_matrix):
        out = unary_ops.sqrt(reduction_ops.reduce_sum(mag * mag, ax, keepdims=True))
    elif is_matrix and ord == 2:
        out = _spectral_norm(x, ax)
    elif is_matrix:
        mag = unary_ops.abs(x)
        inner, outer = (ax[0], ax[1]) if ord == 1 else (ax[1], ax[0])
        s = reduction_ops.reduce_sum(mag, [inner], keepdims=True)
        out = reduction_ops.reduce_max(s, [outer], keepdims=True)
    elif ord == np.inf:
        out = reduction_ops.reduce_max(unary_ops.abs(x), ax, keepdims=True)
    elif ord == 1:
        out = reduction_ops.reduce_sum(unary_ops.abs(x), ax, keepdims=True)
    else:
        mag = unary_ops.abs(x)
        p = constant(np.asarray(ord, mag.dtype.as_numpy_dtype))
        s = reduction_ops.reduce_sum(binary_math_ops.pow(mag, p), ax, keepdims=True)
        out = binary_math_ops.pow(s, constant(np.asarray(1.0 / ord, mag.dtype.as_numpy_dtype)))
    if not keepdims:
        out = _squeeze_axes(out, ax)
    return array_ops.identity(out, name=name) if name else out


def _squeeze_axes(x, axes):
    return array_ops.squeeze(x, axes)


def _spectral_norm(x, ax):
    from tensorflux._src.ops import linalg_spectral_ops

    rank = x.shape.rank
    rest = [i for i in range(rank) if i not in ax]
    perm = rest + list(ax)
    if perm != list(range(rank)):
        x = array_ops.transpose(x, perm)
    s = linalg_spectral_ops.svd(x, compute_uv=False)
    top = reduction_ops.reduce_max(s, [-1], keepdims=True)
    # Put the two (size-1) matrix axes back where they were.
    out = array_ops.expand_dims(top, -1)
    inv = [perm.index(i) for i in range(rank)]
    if inv != list(range(rank)):
        out = array_ops.transpose(out, inv)
    return out


def global_norm(t_list, name=None):
    """The global norm of several tensors: `sqrt(sum(l2_norm(t) ** 2 for t in t_list))`.

    None entries are ignored; IndexedSlices count their values.

    Args:
      t_list: a list or tuple of tensors (or None).
      name: a name for the operation.

    Returns:
      A scalar tensor.

    Raises:
      TypeError: if `t_list` is not a sequence.
    """
    if not isinstance(t_list, (list, tuple)) or isinstance(t_list, str):
        raise TypeError(f"`t_list` should be a sequence of tensors. Received {type(t_list)}.")
    parts = []
    for t in t_list:
        if t is None:
            continue
        if getattr(t, "_is_indexed_slices", False):
            t = t.values
        t = as_tensor(_read(t))
        mag = unary_ops.abs(t) if t.dtype.is_complex else t
        parts.append(reduction_ops.reduce_sum(mag * mag))
    if not parts:
        return constant(np.float32(0.0))
    total = math_ops.add_n(parts) if len(parts) > 1 else parts[0]
    return unary_ops.sqrt(total, name=name or "global_norm")


def normalize(tensor, ord="euclidean", axis=None, name=None):
    """Divides `tensor` by its norm along `axis` (see `tf.norm` for `ord` and `axis`).

    Args:
      tensor: a float or complex tensor.
      ord: the norm's order, as for `tf.norm`.
      axis: None, an int or a pair of ints, as for `tf.norm`.
      name: a name for the operation.

    Returns:
      `(normalized, norm)`, where `norm` keeps the reduced dimensions with size 1.
    """
    x = as_tensor(_read(tensor))
    n = norm(x, ord=ord, axis=axis, keepdims=True)
    return x / math_ops.cast(n, x.dtype), n
