"""Matrix products and matrix structure: MatMul, BatchMatMulV2/V3, the diagonal family, band part,
Cross, Diag/DiagPart, then composites (matvec, trace, norm, tensordot, global_norm, transposes).

Decompositions and solvers live in `linalg_decomp_ops.py`.
"""

from __future__ import annotations

import numbers

import numpy as np

from tensorflux._src.core import dtypes as d
from tensorflux._src.core.errors import InvalidArgumentError, NotFoundError
from tensorflux._src.core.infer import check_allowed, check_same, ids, legacy_name, static_value
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import array_ops, math_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.tensor import EagerTensor, Tensor, constant

# Allowed dtypes, in the order TensorFlow prints them.
_MATMUL_T = (d.bfloat16, d.float16, d.float32, d.float64, d.int32, d.int64, d.uint8, d.uint16,
             d.uint32, d.uint64, d.complex64, d.complex128)  # fmt: skip
_BMM_T = (d.bfloat16, d.float16, d.float32, d.float64, d.int16, d.int32, d.int64, d.uint8,
          d.uint16, d.uint32, d.uint64, d.complex64, d.complex128)  # fmt: skip
_BMM3_IN = (d.bfloat16, d.float16, d.float32, d.float64, d.uint8, d.int8, d.int16, d.int32,
            d.int64, d.complex64, d.complex128)  # fmt: skip
_BMM3_OUT = (d.bfloat16, d.float16, d.float32, d.float64, d.int16, d.int32, d.int64,
             d.complex64, d.complex128)  # fmt: skip


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


def _fmt(shape: TensorShape) -> str:
    """A shape as TensorFlow prints it in kernel messages: [2,3] (unknown dims as -1)."""
    if shape.rank is None:
        return "<unknown>"
    return "[" + ",".join("-1" if x is None else str(x) for x in shape.dims) + "]"


def _attr(op, name, default):
    """An attribute of a recorded op, or its default when the call left it out."""
    try:
        return op.get_attr(name)
    except ValueError:
        return default


def _ndim_rule(allowed):
    ok = ids(allowed)

    def dtype(dts, attrs):
        t = dts[0]
        if len(dts) > 1 and dts[1] is not t:
            check_same(dts)
        if id(t) not in ok:
            check_allowed(t, allowed)
        return t

    return dtype


# ------------------------------------------------------------------ the matmul kernel


_HALF = frozenset([np.dtype(np.float16), np.dtype(d.bfloat16.as_numpy_dtype)])


def _product(xp, a, b):
    """a @ b on BLAS, computing half-precision products in float32 as TensorFlow's CPU does."""
    if a.dtype in _HALF:
        return xp.matmul(a.astype(np.float32), b.astype(np.float32)).astype(a.dtype)
    return xp.matmul(_blas_ready(xp, a), _blas_ready(xp, b))


def _blas_ready(xp, a):
    """`a` itself if BLAS takes it (unit stride along rows or columns), else a copy laid out
    the same way round, so that the result never depends on the input's strides."""
    s = getattr(a, "strides", None)
    if s is None:  # traced arrays (jit_compile) have no memory layout
        return a
    it = a.itemsize
    if s[-1] == it or s[-2] == it:
        return a
    if abs(s[-2]) < abs(s[-1]):  # a column-major view: copy it column-major
        return xp.swapaxes(xp.ascontiguousarray(xp.swapaxes(a, -1, -2)), -1, -2)
    return xp.ascontiguousarray(a)


def _mT(xp, x, conj):
    x = xp.swapaxes(x, -1, -2)
    return xp.conj(x) if conj and x.dtype.kind == "c" else x


# ------------------------------------------------------------------ MatMul


def _matmul_shape(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is not None and b.rank is not None and a.rank != b.rank:
        raise _err(f"In[0] and In[1] has different ndims: {_fmt(a)} vs. {_fmt(b)}")
    for s in (a, b):
        if s.rank is not None and s.rank != 2:
            raise _err(f"In[0] and In[1] ndims must be == 2: {s.rank}")
    a = a if a.rank is not None else TensorShape([None, None])
    b = b if b.rank is not None else TensorShape([None, None])
    ta, tb = attrs.get("transpose_a", False), attrs.get("transpose_b", False)
    m, ka = (a[1], a[0]) if ta else (a[0], a[1])
    kb, n = (b[1], b[0]) if tb else (b[0], b[1])
    if ka is not None and kb is not None and ka != kb:
        raise _err(f"Matrix size-incompatible: In[0]: {_fmt(a)}, In[1]: {_fmt(b)}")
    return TensorShape([m, n])


MatMul = defop("MatMul", infer=Rule(_ndim_rule(_MATMUL_T), _matmul_shape))


@MatMul.kernel
def _(xp, a, b, transpose_a=False, transpose_b=False, grad_a=False, grad_b=False):
    if transpose_a:
        a = a.T
    if transpose_b:
        b = b.T
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ValueError("MatMul takes two matrices of matching inner size")
    return _product(xp, a, b)


@MatMul.gradient
def _(op, dy):
    a, b = op.inputs
    ta, tb = _attr(op, "transpose_a", False), _attr(op, "transpose_b", False)
    a, b = math_ops.conj(a), math_ops.conj(b)
    if not ta and not tb:
        return [MatMul(dy, b, transpose_b=True), MatMul(a, dy, transpose_a=True)]
    if not ta and tb:
        return [MatMul(dy, b), MatMul(dy, a, transpose_a=True)]
    if ta and not tb:
        return [MatMul(b, dy, transpose_b=True), MatMul(a, dy)]
    return [
        MatMul(b, dy, transpose_a=True, transpose_b=True),
        MatMul(dy, a, transpose_a=True, transpose_b=True),
    ]


# ------------------------------------------------------------------ BatchMatMulV2 / V3


def _bmm_shape(inputs, attrs):
    x, y = inputs[0].shape, inputs[1].shape
    for i, s in enumerate((x, y)):
        if s.rank is not None and s.rank < 2:
            raise _err(f"In[{i}] ndims must be >= 2: {s.rank}")
    if x.rank is None or y.rank is None:
        return TensorShape(None)
    try:
        batch = broadcast_shapes(x[:-2], y[:-2])
    except ValueError:
        raise _err(
            f"In[0] and In[1] must have compatible batch dimensions: {_fmt(x)} vs. {_fmt(y)}"
        ) from None
    m, kx = (x[-1], x[-2]) if attrs.get("adj_x", False) else (x[-2], x[-1])
    ky, n = (y[-1], y[-2]) if attrs.get("adj_y", False) else (y[-2], y[-1])
    if kx is not None and ky is not None and kx != ky:
        raise _err(f"Matrix size-incompatible: In[0]: {_fmt(x)}, In[1]: {_fmt(y)}")
    return batch.concatenate([m, n])


BatchMatMulV2 = defop("BatchMatMulV2", infer=Rule(_ndim_rule(_BMM_T), _bmm_shape))


def _bmm(xp, x, y, adj_x, adj_y):
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError("BatchMatMul takes matrices")
    if adj_x:
        x = _mT(xp, x, True)
    if adj_y:
        y = _mT(xp, y, True)
    if x.shape[-1] != y.shape[-2]:
        raise ValueError("size-incompatible")
    return _product(xp, x, y)


@BatchMatMulV2.kernel
def _(xp, x, y, adj_x=False, adj_y=False, grad_x=False, grad_y=False):
    return _bmm(xp, x, y, adj_x, adj_y)


def _bmm_grads(op, dy, fn):
    """Gradients of x @ y (with adjoint flags), summed back over broadcast batch dimensions."""
    x, y = op.inputs
    ax, ay = _attr(op, "adj_x", False), _attr(op, "adj_y", False)
    if not ax and not ay:
        gx, gy = fn(dy, y, False, True), fn(x, dy, True, False)
    elif not ax and ay:
        gx, gy = fn(dy, y, False, False), fn(dy, x, True, False)
    elif ax and not ay:
        gx, gy = fn(y, dy, False, True), fn(x, dy, False, False)
    else:
        gx, gy = fn(y, dy, True, True), fn(dy, x, True, True)
    return [math_ops.unbroadcast(gx, x), math_ops.unbroadcast(gy, y)]


@BatchMatMulV2.gradient
def _(op, dy):
    return _bmm_grads(op, dy, lambda a, b, p, q: BatchMatMulV2(a, b, adj_x=p, adj_y=q))


def _bmm3_dtype(dts, attrs):
    ta, tb, tout = dts[0], dts[1], attrs["Tout"]
    check_allowed(ta, _BMM3_IN, "Ta")
    check_allowed(tb, _BMM3_IN, "Tb")
    check_allowed(tout, _BMM3_OUT, "Tout")
    small_int = (d.int8, d.uint8, d.int16)
    if not (ta is tb is tout or (ta in small_int and tb in small_int and tout is d.int32)):
        names = [f"DT_{legacy_name(t).upper()}" for t in (ta, tb, tout)]
        raise NotFoundError(
            None,
            None,
            "Could not find device for node: {{node BatchMatMulV3}} = BatchMatMulV3"
            f"[Ta={names[0]}, Tb={names[1]}, Tout={names[2]}, adj_x="
            f"{str(attrs.get('adj_x', False)).lower()}, adj_y="
            f"{str(attrs.get('adj_y', False)).lower()}]",
        )
    return tout


BatchMatMulV3 = defop("BatchMatMulV3", infer=Rule(_bmm3_dtype, _bmm_shape), type_inputs=(0,))


@BatchMatMulV3.kernel
def _(xp, x, y, Tout, adj_x=False, adj_y=False, grad_x=False, grad_y=False):
    np_t = Tout.as_numpy_dtype
    return _bmm(xp, x.astype(np_t, copy=False), y.astype(np_t, copy=False), adj_x, adj_y)


@BatchMatMulV3.gradient
def _(op, dy):
    x, y = op.inputs
    tout = op.get_attr("Tout")

    def fn(a, b, p, q):
        return BatchMatMulV3(
            math_ops.cast(a, tout), math_ops.cast(b, tout), Tout=tout, adj_x=p, adj_y=q
        )

    gx, gy = _bmm_grads(op, dy, fn)
    return [math_ops.cast(gx, x.dtype), math_ops.cast(gy, y.dtype)]


def matmul(
    a,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    grad_a=False,
    grad_b=False,
    name=None,
):
    """Multiplies matrix `a` by matrix `b`, producing `a @ b`.

    Inputs of rank > 2 are batches of matrices whose leading (batch) dimensions broadcast.

    >>> tf.matmul(tf.constant([[1., 2.]]), tf.constant([[3.], [4.]]))
    <tf.Tensor: shape=(1, 1), dtype=float32, numpy=array([[11.]], dtype=float32)>

    Args:
      a: a tensor of rank >= 2 (float, integer or complex).
      b: a tensor of the same dtype as `a` (unless `output_type` is given).
      transpose_a, transpose_b: transpose the operand before multiplying.
      adjoint_a, adjoint_b: conjugate and transpose the operand before multiplying.
      a_is_sparse, b_is_sparse: hints only; the product is computed densely.
      output_type: the result dtype; lets int8 inputs give an int32 product.
      grad_a, grad_b: hints that this product is a gradient; they change nothing.
      name: a name for the operation.

    Returns:
      A tensor with the product, of the dtype of `a` (or `output_type`).

    Raises:
      ValueError: if both `transpose_x` and `adjoint_x` are set for one operand.
      InvalidArgumentError: on incompatible shapes or dtypes.
    """
    if (
        a.__class__ is EagerTensor
        and b.__class__ is EagerTensor
        and output_type is None
        and not adjoint_a
        and not adjoint_b
        and a._value.ndim == 2
        and b._value.ndim == 2
    ):  # the common eager case, kept short
        if transpose_a or transpose_b:
            return MatMul(a, b, transpose_a=transpose_a, transpose_b=transpose_b, name=name)
        return MatMul(a, b, name=name)
    if transpose_a and adjoint_a:
        raise ValueError(
            "Only one of `transpose_a` and `adjoint_a` can be True. "
            f"Received `transpose_a`={transpose_a}, `adjoint_a`={adjoint_a}."
        )
    if transpose_b and adjoint_b:
        raise ValueError(
            "Only one of `transpose_b` and `adjoint_b` can be True. "
            f"Received `transpose_b`={transpose_b}, `adjoint_b`={adjoint_b}."
        )
    a = _read(a)
    b = _read(b)
    if not isinstance(a, Tensor):
        a = as_tensor(a, dtype_hint=b.dtype if isinstance(b, Tensor) else None)
    if not isinstance(b, Tensor):
        b = as_tensor(b, dtype_hint=a.dtype)
    ra, rb = a.shape.rank, b.shape.rank
    v3 = output_type is not None and (
        d.as_dtype(output_type) is not a.dtype or d.as_dtype(output_type) is not b.dtype
    )
    if v3 or ra is None or rb is None or ra > 2 or rb > 2:
        adj_x = adjoint_a or transpose_a
        adj_y = adjoint_b or transpose_b
        if transpose_a and a.dtype.is_complex:
            a = math_ops.conj(a)  # transpose = adjoint of the conjugate
        if transpose_b and b.dtype.is_complex:
            b = math_ops.conj(b)
        if v3:
            return BatchMatMulV3(
                a, b, Tout=d.as_dtype(output_type), adj_x=adj_x, adj_y=adj_y, name=name
            )
        return BatchMatMulV2(a, b, adj_x=adj_x, adj_y=adj_y, name=name)
    if adjoint_a:
        a = math_ops.conj(a)
    if adjoint_b:
        b = math_ops.conj(b)
    return MatMul(
        a, b, transpose_a=transpose_a or adjoint_a, transpose_b=transpose_b or adjoint_b, name=name
    )


def _read(x):
    if getattr(x, "_is_variable", False):
        return x.read_value()
    return x


def matvec(
    a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None
):
    """Multiplies a (batch of) matrix `a` by a (batch of) vector `b`: `a @ b[..., None]`.

    Args:
      a: a tensor of rank >= 2.
      b: a tensor of rank >= 1 with `a`'s dtype; its last dimension is the vector.
      transpose_a, adjoint_a: transpose (or conjugate-transpose) `a` first.
      a_is_sparse, b_is_sparse: hints only.
      name: a name for the operation.

    Returns:
      A tensor of shape `batch + [rows]`.
    """
    b = as_tensor(_read(b))
    col = _expand_last(b)
    out = matmul(a, col, transpose_a=transpose_a, adjoint_a=adjoint_a, name=name)
    return _squeeze_last(out)


def _expand_last(x):
    return array_ops.expand_dims(x, -1)


def _squeeze_last(x):
    return array_ops.squeeze(x, [-1])


# ------------------------------------------------------------------ transposes


def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes the last two dimensions of `a` (a batch of matrices).

    Args:
      a: a tensor of rank >= 2.
      name: a name for the operation.
      conjugate: also conjugate complex values (the adjoint).

    Returns:
      A tensor with the last two dimensions swapped.

    Raises:
      ValueError: if `a` has rank < 2.
    """
    a = as_tensor(_read(a))
    rank = a.shape.rank
    if rank is None:
        raise NotImplementedError("matrix_transpose of a tensor of unknown rank")
    if rank < 2:
        raise ValueError(
            "Argument `a` should be a (batch) matrix with rank >= 2.  Received `a` = "
            f"{a} with shape: {a.shape}"
        )
    perm = list(range(rank - 2)) + [rank - 1, rank - 2]
    return array_ops.transpose(a, perm, conjugate=conjugate, name=name)


def adjoint(matrix, name=None):
    """The conjugate transpose of the innermost two dimensions of `matrix`.

    Args:
      matrix: a tensor of rank >= 2.
      name: a name for the operation.

    Returns:
      `conj(matrix)` with its last two dimensions swapped.
    """
    return matrix_transpose(matrix, name=name or "adjoint", conjugate=True)


def _adj(x):
    return matrix_transpose(x, conjugate=True)


# ------------------------------------------------------------------ MatrixBandPart


def _band_dtype(dts, attrs):
    for t in dts[1:]:
        check_allowed(t, (d.int32, d.int64), "Tindex")
    return dts[0]


def _band_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank < 2:
        raise _err(f"input must be at least 2-dim, received shape: {_fmt(s)}")
    for i, what in ((1, "num_lower"), (2, "num_upper")):
        v = static_value(inputs[i])
        n = s[-2] if i == 1 else s[-1]
        if v is not None and n is not None and int(v) > n:
            rc = "rows" if i == 1 else "columns"
            raise _err(
                f"{what} must be negative or less or equal to number of {rc} ({n}) got: {int(v)}"
            )
    return s


MatrixBandPart = defop(
    "MatrixBandPart", infer=Rule(_band_dtype, _band_shape), host_inputs=(1, 2), type_inputs=(0,)
)


@MatrixBandPart.kernel
def _(xp, x, num_lower, num_upper):
    if x.ndim < 2:
        raise ValueError("rank")
    m, n = x.shape[-2:]
    lo, hi = int(num_lower), int(num_upper)
    if lo > m or hi > n:
        raise ValueError("band")
    r = xp.arange(m)[:, None]
    c = xp.arange(n)[None, :]
    keep = xp.ones((m, n), dtype=bool)
    if lo >= 0:
        keep &= (r - c) <= lo
    if hi >= 0:
        keep &= (c - r) <= hi
    return xp.where(keep, x, xp.zeros((), dtype=x.dtype))


@MatrixBandPart.gradient
def _(op, dy):
    _, lo, hi = op.inputs
    return [MatrixBandPart(dy, lo, hi), None, None]


def band_part(input, num_lower, num_upper, name=None):
    """Keeps a band around the diagonal of each innermost matrix, zeroing everything else.

    Element (m, n) is kept when `(num_lower < 0 or m - n <= num_lower)` and
    `(num_upper < 0 or n - m <= num_upper)`.

    Args:
      input: a tensor of rank >= 2.
      num_lower: how many subdiagonals to keep (negative: all).
      num_upper: how many superdiagonals to keep (negative: all).
      name: a name for the operation.

    Returns:
      A tensor like `input` with the band kept.
    """
    return MatrixBandPart(input, num_lower, num_upper, name=name)


# ------------------------------------------------------------------ MatrixDiagV3 family


def _k_range(k) -> tuple:
    vals = [int(v) for v in np.asarray(k).reshape(-1)]
    if not 1 <= len(vals) <= 2:
        raise _err("diag_index must be a scalar or a vector with at most 2 elements")
    lo, hi = (vals[0], vals[0]) if len(vals) == 1 else vals
    if lo > hi:
        raise _err(f"lower_diag_index must not be larger than upper_diag_index: {lo} > {hi}")
    return lo, hi


def _diag_len(rows, cols, dg):
    return min(rows + min(0, dg), cols - max(0, dg))


def _offset(align, dg, length, width):
    """Where diagonal `dg` starts inside a packed row of `width` (TensorFlow's align modes)."""
    sup, sub = align.split("_")
    side = sup if dg >= 0 else sub
    return width - length if side == "RIGHT" else 0


def _diag_indices(xp, rows, cols, dg):
    n = _diag_len(rows, cols, dg)
    j = xp.arange(max(n, 0))
    return j - min(dg, 0), j + max(dg, 0), n  # row, col, length


def _diag_out_dims(dshape, lo, hi, num_rows, num_cols):
    width = dshape[-1]
    min_rows = None if width is None else width - min(hi, 0)
    min_cols = None if width is None else width + max(lo, 0)
    if num_rows == -1 and num_cols == -1:
        r = None if width is None else max(min_rows, min_cols)
        return r, r
    if num_rows == -1:
        return min_rows, num_cols
    if num_cols == -1:
        return num_rows, min_cols
    return num_rows, num_cols


def _same_as_first(other):
    def dtype(dts, attrs):
        return check_same(dts, (0, other))

    return dtype


def _diag_shape(inputs, attrs):
    diag, k, nr, nc = inputs[:4]
    kv, nrv, ncv = static_value(k), static_value(nr), static_value(nc)
    s = diag.shape
    if kv is None or nrv is None or ncv is None or s.rank is None:
        return TensorShape(None)
    lo, hi = _k_range(kv)
    batch = s[:-1] if lo == hi else s[:-2]
    if lo != hi:
        if s.rank < 2:
            raise _err("diagonal must be at least 2-dim for a range of diagonals")
        if s[-2] is not None and s[-2] != hi - lo + 1:
            raise _err(
                f"The number of diagonals provided in the input does not match the "
                f"lower_diag_index and upper_diag_index range. Expected {hi - lo + 1} "
                f"but got {s[-2]}"
            )
    elif s.rank < 1:
        raise _err(f"diagonal must be at least 1-dim, received shape: {_fmt(s)}")
    rows, cols = _diag_out_dims(s, lo, hi, int(nrv), int(ncv))
    return batch.concatenate([rows, cols])


MatrixDiagV3 = defop(
    "MatrixDiagV3",
    infer=Rule(_same_as_first(4), _diag_shape),
    host_inputs=(1, 2, 3),
    type_inputs=(0, 4),
)


@MatrixDiagV3.kernel
def _(xp, diag, k, num_rows, num_cols, padding_value, align="RIGHT_LEFT"):
    lo, hi = _k_range(k)
    if lo == hi:
        diag = diag[..., None, :]
    rows, cols = _diag_out_dims(diag.shape, lo, hi, int(num_rows), int(num_cols))
    width = diag.shape[-1]
    if rows < 0 or cols < 0 or min(rows + min(hi, 0), cols - max(lo, 0)) != width:
        raise _err(
            "The number of rows or columns is not consistent with the specified "
            "d_lower, d_upper, and diagonal."
        )
    out = xp.empty(diag.shape[:-2] + (rows, cols), dtype=diag.dtype)
    out[...] = padding_value
    for i, dg in enumerate(range(hi, lo - 1, -1)):
        r, c, n = _diag_indices(xp, rows, cols, dg)
        if n <= 0:
            continue
        off = _offset(align, dg, n, width)
        out[..., r, c] = diag[..., i, off : off + n]
    return out


def _diag_part_shape(inputs, attrs):
    x, k = inputs[:2]
    s = x.shape
    if s.rank is not None and s.rank < 2:
        raise _err(f"input must be at least 2-dim, received shape: {_fmt(s)}")
    kv = static_value(k)
    if kv is None or s.rank is None:
        return TensorShape(None)
    lo, hi = _k_range(kv)
    rows, cols = s[-2], s[-1]
    width = None if rows is None or cols is None else min(rows + min(0, hi), cols - max(0, lo))
    if lo == hi:
        return s[:-2].concatenate([width])
    return s[:-2].concatenate([hi - lo + 1, width])


MatrixDiagPartV3 = defop(
    "MatrixDiagPartV3",
    infer=Rule(_same_as_first(2), _diag_part_shape),
    host_inputs=(1,),
    type_inputs=(0, 2),
)


@MatrixDiagPartV3.kernel
def _(xp, x, k, padding_value, align="RIGHT_LEFT"):
    if x.ndim < 2:
        raise ValueError("rank")
    lo, hi = _k_range(k)
    rows, cols = x.shape[-2:]
    for dg in (lo, hi):
        if not (dg == 0 or -rows < dg < cols):
            raise _err(f"Diagonal index {dg} is out of range for a {rows}x{cols} matrix")
    width = max(min(rows + min(0, hi), cols - max(0, lo)), 0)
    out = xp.empty(x.shape[:-2] + (hi - lo + 1, width), dtype=x.dtype)
    out[...] = padding_value
    for i, dg in enumerate(range(hi, lo - 1, -1)):
        r, c, n = _diag_indices(xp, rows, cols, dg)
        if n <= 0:
            continue
        off = _offset(align, dg, n, width)
        out[..., i, off : off + n] = x[..., r, c]
    return out[..., 0, :] if lo == hi else out


def _set_diag_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank < 2:
        raise _err(f"input must be at least 2-dim, received shape: {_fmt(s)}")
    return s


MatrixSetDiagV3 = defop(
    "MatrixSetDiagV3",
    infer=Rule(_same_as_first(1), _set_diag_shape),
    host_inputs=(2,),
    type_inputs=(0, 1),
)


@MatrixSetDiagV3.kernel
def _(xp, x, diag, k, align="RIGHT_LEFT"):
    if x.ndim < 2:
        raise ValueError("rank")
    lo, hi = _k_range(k)
    rows, cols = x.shape[-2:]
    width = max(min(rows + min(0, hi), cols - max(0, lo)), 0)
    want = x.shape[:-2] + ((width,) if lo == hi else (hi - lo + 1, width))
    if tuple(diag.shape) != want:
        raise _err(f"diagonal must have shape {list(want)}, got {list(diag.shape)}")
    if lo == hi:
        diag = diag[..., None, :]
    out = x.copy()
    for i, dg in enumerate(range(hi, lo - 1, -1)):
        r, c, n = _diag_indices(xp, rows, cols, dg)
        if n <= 0:
            continue
        off = _offset(align, dg, n, width)
        out[..., r, c] = diag[..., i, off : off + n]
    return out


def _align(op):
    return _attr(op, "align", "RIGHT_LEFT")


@MatrixDiagV3.gradient
def _(op, dy):
    k = op.inputs[1]
    return [MatrixDiagPartV3(dy, k, _zero(dy), align=_align(op)), None, None, None, None]


@MatrixDiagPartV3.gradient
def _(op, dy):
    x, k, _ = op.inputs
    return [MatrixSetDiagV3(array_ops.zeros_like(x), dy, k, align=_align(op)), None, None]


@MatrixSetDiagV3.gradient
def _(op, dy):
    _, diag, k = op.inputs
    align = _align(op)
    return [
        MatrixSetDiagV3(dy, array_ops.zeros_like(diag), k, align=align),
        MatrixDiagPartV3(dy, k, _zero(dy), align=align),
        None,
    ]


def _zero(like):
    return constant(np.zeros((), like.dtype.as_numpy_dtype))


def _check_align(align):
    if align not in ("LEFT_RIGHT", "LEFT_LEFT", "RIGHT_LEFT", "RIGHT_RIGHT"):
        raise _err(
            f"Value for attr 'align' of \"{align}\" is not in the list of allowed values: "
            '"LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT"'
        )


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """Builds a batch of matrices with the given diagonals, everything else `padding_value`.

    >>> tf.linalg.diag([1, 2])
    <tf.Tensor: shape=(2, 2), dtype=int32, numpy=
    array([[1, 0],
           [0, 2]], dtype=int32)>

    Args:
      diagonal: `[..., N]` for one diagonal, or `[..., num_diags, N]` for a range `k`.
      name: a name for the operation.
      k: the diagonal offset (0 main, > 0 above, < 0 below) or a pair `(low, high)`.
      num_rows, num_cols: the output matrix size; -1 infers the smallest that fits.
      padding_value: the value outside the given diagonals.
      align: how shorter diagonals sit in the packed input: "RIGHT_LEFT" (default),
        "LEFT_RIGHT", "LEFT_LEFT" or "RIGHT_RIGHT" (superdiagonals first, subdiagonals second).

    Returns:
      A tensor of shape `batch + [num_rows, num_cols]`.
    """
    _check_align(align)
    diagonal = as_tensor(_read(diagonal))
    pad = as_tensor(padding_value, dtype=diagonal.dtype)
    return MatrixDiagV3(diagonal, k, num_rows, num_cols, pad, align=align, name=name)


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):
    """Returns the diagonal(s) of each innermost matrix of `input`.

    Args:
      input: a tensor of rank >= 2.
      name: a name for the operation.
      k: the diagonal offset, or a pair `(low, high)` for a range (packed in a new axis).
      padding_value: fills the packed output where a diagonal is shorter than the longest.
      align: where shorter diagonals sit in the packed output (see `tf.linalg.diag`).

    Returns:
      `[..., min(M, N)]` for one diagonal, `[..., num_diags, max_len]` for a range.
    """
    _check_align(align)
    input = as_tensor(_read(input))
    pad = as_tensor(padding_value, dtype=input.dtype)
    return MatrixDiagPartV3(input, k, pad, align=align, name=name)


def set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):
    """Replaces the diagonal(s) of each innermost matrix of `input` with `diagonal`.

    Args:
      input: a tensor of rank >= 2.
      diagonal: the new values, shaped like `tf.linalg.diag_part(input, k=k)`.
      name: a name for the operation.
      k: the diagonal offset or a pair `(low, high)`.
      align: where shorter diagonals sit in a packed `diagonal` (see `tf.linalg.diag`).

    Returns:
      `input` with the diagonals replaced.
    """
    _check_align(align)
    input = as_tensor(_read(input))
    diagonal = as_tensor(_read(diagonal), dtype_hint=input.dtype)
    return MatrixSetDiagV3(input, diagonal, k, align=align, name=name)


def trace(x, name=None):
    """The sum of the main diagonal of each innermost matrix of `x`.

    Args:
      x: a tensor of rank >= 2.
      name: a name for the operation.

    Returns:
      A tensor of shape `x.shape[:-2]`.
    """
    return reduction_ops.reduce_sum(diag_part(x), [-1], name=name)


# ------------------------------------------------------------------ tensordot


def tensordot(a, b, axes, name=None):
    """Contracts `a` and `b` over the given axes (a generalised matrix product).

    Args:
      a: a float, integer or complex tensor.
      b: a tensor of the same dtype.
      axes: an int N (the last N axes of `a` against the first N of `b`), or a pair of
        lists of axes `[a_axes, b_axes]` of equal length.
      name: a name for the operation.

    Returns:
      A tensor of shape `a`'s free dims + `b`'s free dims.

    Raises:
      ValueError: if `axes` does not fit the ranks.
    """
    a = as_tensor(_read(a))
    b = as_tensor(_read(b), dtype_hint=a.dtype)
    ra, rb = a.shape.rank, b.shape.rank
    if ra is None or rb is None:
        raise NotImplementedError("tensordot with unknown ranks")
    if isinstance(axes, Tensor):
        v = static_value(axes)
        if v is None:
            raise NotImplementedError("tensordot with axes known only at run time")
        axes = np.asarray(v).tolist()
    if isinstance(axes, (numbers.Integral, np.integer)):
        n = int(axes)
        if n < 0:
            raise ValueError(f"`axes` must be at least 0. Received: {n}.")
        if n > ra:
            raise ValueError(
                "`axes` must not be larger than the number of dimensions of tensor "
                f"{a}.  Received {n}, vs tensor dimensions {ra}."
            )
        a_axes, b_axes = list(range(ra - n, ra)), list(range(n))
    else:
        if len(axes) != 2:
            raise ValueError(f"`axes` must be an integer or have length 2. Received {axes}.")
        a_axes, b_axes = axes
        a_axes = [a_axes] if isinstance(a_axes, numbers.Integral) else list(a_axes)
        b_axes = [b_axes] if isinstance(b_axes, numbers.Integral) else list(b_axes)
        if len(a_axes) != len(b_axes):
            raise ValueError(
                f"Different number of contraction axes `a` and `b`, {len(a_axes)} != {len(b_axes)}."
            )
        a_axes = [int(x) % ra for x in a_axes]
        b_axes = [int(x) % rb for x in b_axes]
    a_free = [i for i in range(ra) if i not in a_axes]
    b_free = [i for i in range(rb) if i not in b_axes]
    a2, a_free_dims = _to_matrix(a, a_free, a_axes, contract_last=True)
    b2, b_free_dims = _to_matrix(b, b_free, b_axes, contract_last=False)
    out = matmul(a2, b2)
    static = a_free_dims + b_free_dims
    if None not in static:
        return array_ops.reshape(out, static, name=name)
    from tensorflux._src.ops import gather_ops, manip_ops

    sa, sb = array_ops.shape(a), array_ops.shape(b)
    shape = manip_ops.concat([gather_ops.gather(sa, a_free), gather_ops.gather(sb, b_free)], 0)
    return array_ops.reshape(out, shape, name=name)


def _to_matrix(x, free, axes, contract_last):
    """x transposed to free + axes (or axes + free) and flattened to a matrix."""
    perm = free + axes if contract_last else axes + free
    dims = x.shape.as_list()
    if perm != list(range(len(perm))):
        x = array_ops.transpose(x, perm)
    free_dims = [dims[i] for i in free]
    sizes = []
    for group in (free, axes):
        ds = [dims[i] for i in group]
        sizes.append(int(np.prod(ds, dtype=np.int64)) if None not in ds else None)
    if not contract_last:
        sizes = sizes[::-1]
    if sizes.count(None) <= 1:
        return array_ops.reshape(x, [-1 if v is None else v for v in sizes]), free_dims
    from tensorflux._src.ops import gather_ops, manip_ops

    shp = array_ops.shape(x)
    n = len(perm)
    split = len(free) if contract_last else len(axes)
    rows = reduction_ops.reduce_prod(gather_ops.gather(shp, list(range(split))))
    cols = reduction_ops.reduce_prod(gather_ops.gather(shp, list(range(split, n))))
    return array_ops.reshape(
        x, manip_ops.concat([array_ops.reshape(rows, [1]), array_ops.reshape(cols, [1])], 0)
    ), free_dims
