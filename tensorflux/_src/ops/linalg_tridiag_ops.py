"""Tridiagonal systems: TridiagonalMatMul and TridiagonalSolve (rule, kernel, gradient), and
their public functions with TensorFlow's three diagonal formats ("compact", "sequence",
"matrix").

In the compact format a `[..., 3, M]` tensor holds the superdiagonal (its last element unused),
the main diagonal and the subdiagonal (its first element unused).
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes as d
from tensorflux._src.core.infer import check_allowed, check_same
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import array_ops, math_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.ops.linalg_ops import MatrixDiagPartV3, _err, _fmt, _read, matrix_transpose
from tensorflux._src.tensor import constant

_TRI_T = (d.float64, d.float32, d.complex64, d.complex128)


def _tri_dtype(dts, attrs, allowed=_TRI_T):
    t = check_same(dts)
    check_allowed(t, allowed)
    return t


def _banded_dtype(dts, attrs):
    return _tri_dtype(dts, attrs, (d.float64, d.float32, d.float16, d.complex64, d.complex128))


def _shift_up(x):
    """y[..., i, :] = x[..., i + 1, :], with zeros in the last row."""
    from tensorflux._src.ops import manip_ops

    return manip_ops.concat([x[..., 1:, :], array_ops.zeros_like(x[..., :1, :])], -2)


def _shift_down(x):
    """y[..., i, :] = x[..., i - 1, :], with zeros in the first row."""
    from tensorflux._src.ops import manip_ops

    return manip_ops.concat([array_ops.zeros_like(x[..., :1, :]), x[..., :-1, :]], -2)


# ------------------------------------------------------------------ TridiagonalMatMul


def _tmm_shape(inputs, attrs):
    rhs = inputs[3].shape
    if rhs.rank is not None and rhs.rank < 2:
        raise _err(f"Input must have rank >= 2, but got {_fmt(rhs)}")
    return rhs


TridiagonalMatMul = defop("TridiagonalMatMul", infer=Rule(_tri_dtype, _tmm_shape))


@TridiagonalMatMul.kernel
def _(xp, superdiag, maindiag, subdiag, rhs):
    if rhs.ndim < 2 or superdiag.shape[-1] != rhs.shape[-2]:
        raise ValueError("shapes")
    sup = xp.swapaxes(superdiag, -1, -2)  # [..., M, 1]
    main = xp.swapaxes(maindiag, -1, -2)
    sub = xp.swapaxes(subdiag, -1, -2)
    out = main * rhs
    out[..., :-1, :] += sup[..., :-1, :] * rhs[..., 1:, :]
    out[..., 1:, :] += sub[..., 1:, :] * rhs[..., :-1, :]
    return out.astype(rhs.dtype, copy=False)


@TridiagonalMatMul.gradient
def _(op, dy):
    sup, main, sub, rhs = op.inputs
    crhs = math_ops.conj(rhs)
    # d/dsup[i] = <dy[i], rhs[i+1]>, d/dmain[i] = <dy[i], rhs[i]>, d/dsub[i] = <dy[i], rhs[i-1]>.
    g_sup = reduction_ops.reduce_sum(dy * _shift_up(crhs), [-1])
    g_main = reduction_ops.reduce_sum(dy * crhs, [-1])
    g_sub = reduction_ops.reduce_sum(dy * _shift_down(crhs), [-1])
    # The adjoint matrix: superdiagonal conj(sub[i+1]), subdiagonal conj(sup[i-1]).
    sup_c = _col(math_ops.conj(sup))
    sub_c = _col(math_ops.conj(sub))
    adj_sup = _row(_shift_up(sub_c))
    adj_sub = _row(_shift_down(sup_c))
    g_rhs = TridiagonalMatMul(adj_sup, _row(_col(math_ops.conj(main))), adj_sub, dy)
    return [
        array_ops.expand_dims(g_sup, -2),
        array_ops.expand_dims(g_main, -2),
        array_ops.expand_dims(g_sub, -2),
        g_rhs,
    ]


def _col(x):
    """[..., 1, M] -> [..., M, 1]."""
    return matrix_transpose(x)


def _row(x):
    """[..., M, 1] -> [..., 1, M]."""
    return matrix_transpose(x)


def _compact(diagonals, diagonals_format):
    """The [..., 3, M] compact form of `diagonals` given in any of TensorFlow's formats."""
    if diagonals_format == "compact":
        d3 = as_tensor(_read(diagonals))
        if d3.shape.rank is not None and d3.shape[-2] not in (None, 3):
            raise ValueError(f"Expected 3 diagonals got {d3.shape[-2]}")
        return d3
    if diagonals_format == "sequence":
        if not isinstance(diagonals, (list, tuple)) or len(diagonals) != 3:
            raise ValueError(f"Expected diagonals to be a sequence of length 3, got {diagonals}")
        sup, main, sub = [as_tensor(_read(x)) for x in diagonals]
        return array_ops.stack([sup, main, sub], axis=-2)
    if diagonals_format == "matrix":
        m = as_tensor(_read(diagonals))
        zero = constant(np.zeros((), m.dtype.as_numpy_dtype))
        return MatrixDiagPartV3(m, (-1, 1), zero, align="LEFT_RIGHT")
    raise ValueError(f"Unrecognized diagonals_format: {diagonals_format}")


def tridiagonal_matmul(diagonals, rhs, diagonals_format="compact", name=None):
    """Multiplies tridiagonal matrices by `rhs`.

    Args:
      diagonals: the matrices' three diagonals, in `diagonals_format`: "compact" (a
        `[..., 3, M]` tensor: superdiagonal, main diagonal, subdiagonal), "sequence" (a tuple
        of three `[..., M]` tensors) or "matrix" (full `[..., M, M]` matrices).
      rhs: a tensor of shape `[..., M, N]`.
      diagonals_format: one of "compact", "sequence", "matrix".
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, N]`.
    """
    d3 = _compact(diagonals, diagonals_format)
    rhs = as_tensor(_read(rhs), dtype_hint=d3.dtype)
    sup, main, sub = d3[..., 0:1, :], d3[..., 1:2, :], d3[..., 2:3, :]
    return TridiagonalMatMul(sup, main, sub, rhs, name=name)


# ------------------------------------------------------------------ TridiagonalSolve


def _tsolve_shape(inputs, attrs):
    dg, rhs = inputs[0].shape, inputs[1].shape
    if dg.rank is not None and dg.rank < 2:
        raise _err(f"Input must have rank >= 2, but got {_fmt(dg)}")
    if dg.rank is not None and dg[-2] not in (None, 3):
        raise _err(f"Expected 3 diagonals got {dg[-2]}")
    if (
        dg.rank is not None
        and rhs.rank is not None
        and dg[-1] is not None
        and rhs[-2] is not None
        and dg[-1] != rhs[-2]
    ):
        raise _err(f"Expected {dg[-1]} rows in rhs, got {rhs[-2]}")
    return rhs if rhs.rank is not None else TensorShape(None)


TridiagonalSolve = defop("TridiagonalSolve", infer=Rule(_tri_dtype, _tsolve_shape))


def _dense(xp, d3):
    m = d3.shape[-1]
    out = xp.zeros(d3.shape[:-2] + (m, m), dtype=d3.dtype)
    i = xp.arange(m)
    out[..., i, i] = d3[..., 1, :]
    out[..., i[:-1], i[1:]] = d3[..., 0, :-1]
    out[..., i[1:], i[:-1]] = d3[..., 2, 1:]
    return out


@TridiagonalSolve.kernel
def _(xp, diagonals, rhs, partial_pivoting=True, perturb_singular=False):
    if diagonals.ndim < 2 or diagonals.shape[-2] != 3 or diagonals.shape[-1] != rhs.shape[-2]:
        raise ValueError("shapes")
    a = _dense(xp, diagonals)
    batch = np.broadcast_shapes(a.shape[:-2], rhs.shape[:-2])
    a = xp.broadcast_to(a, batch + a.shape[-2:])
    b = xp.broadcast_to(rhs, batch + rhs.shape[-2:])
    try:
        return xp.linalg.solve(a, b).astype(rhs.dtype, copy=False)
    except np.linalg.LinAlgError:
        # Singular systems give NaN, as TensorFlow's CPU kernel does.
        fa, fb = a.reshape((-1,) + a.shape[-2:]), b.reshape((-1,) + b.shape[-2:])
        out = xp.empty(fb.shape, dtype=rhs.dtype)
        for i in range(fa.shape[0]):
            try:
                out[i] = xp.linalg.solve(fa[i], fb[i])
            except np.linalg.LinAlgError:
                out[i] = np.nan
        return out.reshape(b.shape)


@TridiagonalSolve.gradient
def _(op, dy):
    d3, rhs = op.inputs
    (x,) = op.outputs
    sup, main, sub = d3[..., 0:1, :], d3[..., 1:2, :], d3[..., 2:3, :]
    # The adjoint system: superdiagonal conj(sub[i+1]), subdiagonal conj(sup[i-1]).
    adj = array_ops.stack(
        [
            _row(_shift_up(_col(math_ops.conj(sub))))[..., 0, :],
            math_ops.conj(main)[..., 0, :],
            _row(_shift_down(_col(math_ops.conj(sup))))[..., 0, :],
        ],
        axis=-2,
    )
    g_rhs = TridiagonalSolve(adj, dy, partial_pivoting=True)
    cx = math_ops.conj(x)
    # dA = -g_rhs x^H, kept on the three diagonals.
    g_sup = -reduction_ops.reduce_sum(g_rhs * _shift_up(cx), [-1])
    g_main = -reduction_ops.reduce_sum(g_rhs * cx, [-1])
    g_sub = -reduction_ops.reduce_sum(g_rhs * _shift_down(cx), [-1])
    g_d = array_ops.stack([g_sup, g_main, g_sub], axis=-2)
    return [math_ops.unbroadcast(g_d, d3), math_ops.unbroadcast(g_rhs, rhs)]


def tridiagonal_solve(
    diagonals,
    rhs,
    diagonals_format="compact",
    transpose_rhs=False,
    conjugate_rhs=False,
    name=None,
    partial_pivoting=True,
    perturb_singular=False,
):
    """Solves tridiagonal systems `A @ x = rhs`.

    Args:
      diagonals: the matrices' three diagonals, in `diagonals_format` (see
        `tf.linalg.tridiagonal_matmul`).
      rhs: a tensor of shape `[..., M]` or `[..., M, K]`.
      diagonals_format: one of "compact", "sequence", "matrix".
      transpose_rhs: `rhs` is given as `[..., K, M]` and is transposed first.
      conjugate_rhs: conjugate `rhs` first.
      name: a name for the operation.
      partial_pivoting: pivot rows for stability (the solution is computed with LAPACK's
        pivoting either way).
      perturb_singular: not supported.

    Returns:
      A tensor of shape `[..., M]` or `[..., M, K]` (NaN where a system is singular).

    Raises:
      ValueError: on a malformed `diagonals`.
    """
    if perturb_singular:
        raise NotImplementedError("tridiagonal_solve with perturb_singular=True")
    d3 = _compact(diagonals, diagonals_format)
    rhs = as_tensor(_read(rhs), dtype_hint=d3.dtype)
    vector = (
        rhs.shape.rank is not None
        and d3.shape.rank is not None
        and rhs.shape.rank == d3.shape.rank - 1
    )
    if vector:
        rhs = array_ops.expand_dims(rhs, -1)
    elif transpose_rhs:
        rhs = matrix_transpose(rhs)
    if conjugate_rhs:
        rhs = math_ops.conj(rhs)
    out = TridiagonalSolve(d3, rhs, partial_pivoting=bool(partial_pivoting), name=name)
    return array_ops.squeeze(out, [-1]) if vector else out


# ------------------------------------------------------------------ BandedTriangularSolve


def _banded_shape(inputs, attrs):
    b, rhs = inputs[0].shape, inputs[1].shape
    for s in (b, rhs):
        if s.rank is not None and s.rank < 2:
            raise _err(f"Input must have rank >= 2, but got {_fmt(s)}")
    if b.rank is None or rhs.rank is None:
        return TensorShape(None)
    if b[-1] is not None and rhs[-2] is not None and b[-1] != rhs[-2]:
        raise _err(f"Matrix size-incompatible: In[0]: {_fmt(b)}, In[1]: {_fmt(rhs)}")
    try:
        batch = broadcast_shapes(b[:-2], rhs[:-2])
    except ValueError:
        raise _err(f"Incompatible batch dimensions: {_fmt(b)} vs. {_fmt(rhs)}") from None
    return batch.concatenate(rhs[-2:])


BandedTriangularSolve = defop("BandedTriangularSolve", infer=Rule(_banded_dtype, _banded_shape))


def _banded_dense(xp, bands, lower):
    k1, m = bands.shape[-2:]
    out = xp.zeros(bands.shape[:-2] + (m, m), dtype=bands.dtype)
    for k in range(min(k1, m)):
        i = xp.arange(m - k)
        if lower:  # row r, column r - k holds bands[k, r]
            out[..., i + k, i] = bands[..., k, k:]
        else:  # row r, column r + k holds bands[K - k, r]
            out[..., i, i + k] = bands[..., k1 - 1 - k, : m - k]
    return out


@BandedTriangularSolve.kernel
def _(xp, bands, rhs, lower=True, adjoint=False):
    from tensorflux._src.ops import linalg_decomp_ops

    if bands.ndim < 2 or rhs.ndim < 2 or bands.shape[-1] != rhs.shape[-2]:
        raise ValueError("shapes")
    dense = _banded_dense(xp, bands, lower)
    trsv = linalg_decomp_ops.MatrixTriangularSolve.kernel_for("CPU")
    return trsv(xp, dense, rhs, lower=lower, adjoint=adjoint)


@BandedTriangularSolve.gradient
def _(op, dy):
    from tensorflux._src.ops.linalg_decomp_ops import _attr, _mm

    bands, rhs = op.inputs
    (x,) = op.outputs
    lower, adjoint = _attr(op, "lower", True), _attr(op, "adjoint", False)
    gb = BandedTriangularSolve(bands, dy, lower=lower, adjoint=not adjoint)
    ga = -_mm(x, gb, adjoint_b=True) if adjoint else -_mm(gb, x, adjoint_b=True)
    k1 = bands.shape[-2] if bands.shape.rank is not None else None
    if k1 is None:
        kk = array_ops.shape(bands)[-2] - 1
        zero = array_ops.zeros_like(kk)
        k = array_ops.stack([-kk, zero]) if lower else array_ops.stack([zero, kk])
    else:
        k = [-(k1 - 1), 0] if lower else [0, k1 - 1]
    pad = constant(np.zeros((), bands.dtype.as_numpy_dtype))
    g_bands = MatrixDiagPartV3(ga, k, pad, align="LEFT_RIGHT")
    if k1 == 1:
        g_bands = array_ops.expand_dims(g_bands, -2)
    return [math_ops.unbroadcast(g_bands, bands), math_ops.unbroadcast(gb, rhs)]


def banded_triangular_solve(bands, rhs, lower=True, adjoint=False, name=None):
    """Solves triangular systems whose matrices are given by their `K + 1` nonzero diagonals.

    For `lower=True`, `bands[..., 0, :]` is the main diagonal and `bands[..., k, :]` the k-th
    subdiagonal, right-aligned (its first k entries unused). For `lower=False`,
    `bands[..., K, :]` is the main diagonal and `bands[..., K - k, :]` the k-th superdiagonal,
    left-aligned (its last k entries unused).

    Args:
      bands: a tensor of shape `[..., K + 1, M]`.
      rhs: a tensor of shape `[..., M, N]`; batch dimensions broadcast with `bands`'.
      lower: whether the matrices are lower triangular.
      adjoint: solve with the conjugate transpose of each matrix.
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, N]`.
    """
    return BandedTriangularSolve(bands, rhs, lower=bool(lower), adjoint=bool(adjoint), name=name)


def eigh_tridiagonal(
    alpha, beta, eigvals_only=True, select="a", select_range=None, tol=None, name=None
):
    """Eigenvalues (and optionally eigenvectors) of a Hermitian tridiagonal matrix.

    Args:
      alpha: the real main diagonal, shape `[n]`.
      beta: the first superdiagonal, shape `[n - 1]` (its conjugate is the subdiagonal).
      eigvals_only: return only the eigenvalues.
      select: "a" (all), "i" (indices `select_range[0]..select_range[1]`, inclusive) or "v"
        (eigenvalues in the half-open interval `(select_range[0], select_range[1]]`).
      select_range: the index or value range for `select` "i" or "v".
      tol: unused; eigenvalues are computed to LAPACK's accuracy.
      name: a name for the operation.

    Returns:
      The ascending eigenvalues, or `(eigenvalues, eigenvectors)` with eigenvectors as columns.

    Raises:
      ValueError: on an unknown `select` or a missing `select_range`.
    """
    from tensorflux._src.ops import gather_ops, linalg_spectral_ops
    from tensorflux._src.ops.linalg_ops import diag

    if select not in ("a", "i", "v"):
        raise ValueError(f"'select' must be 'a', 'i' or 'v', got {select!r}")
    if select != "a" and select_range is None:
        raise ValueError(f"select_range must be given when select is {select!r}")
    alpha = as_tensor(_read(alpha))
    beta = as_tensor(_read(beta), dtype_hint=alpha.dtype)
    if alpha.dtype.is_complex:
        raise ValueError("alpha must be a real tensor")
    main = math_ops.cast(alpha, beta.dtype) if beta.dtype.is_complex else alpha
    dense = diag(main) + diag(beta, k=1) + diag(math_ops.conj(beta), k=-1)
    e, v = linalg_spectral_ops.eigh(dense)
    if select == "i":
        lo, hi = int(select_range[0]), int(select_range[1])
        e, v = e[lo : hi + 1], v[:, lo : hi + 1]
    elif select == "v":
        lo = constant(np.asarray(select_range[0], e.dtype.as_numpy_dtype))
        hi = constant(np.asarray(select_range[1], e.dtype.as_numpy_dtype))
        keep = math_ops.logical_and(math_ops.greater(e, lo), math_ops.less_equal(e, hi))
        e, v = gather_ops.boolean_mask(e, keep), gather_ops.boolean_mask(v, keep, axis=1)
    return e if eigvals_only else (e, v)
