"""Spectral decompositions and matrix functions: Svd, SelfAdjointEigV2, Eig, Lu,
MatrixExponential and MatrixSquareRoot (rule, kernel, gradient), plus pinv and the LU helpers.
"""

from __future__ import annotations

import collections

import numpy as np

from tensorflux._src.core import dtypes as d
from tensorflux._src.core.infer import check_allowed
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import array_ops, math_ops, reduction_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.ops.linalg_decomp_ops import (
    _EIG_T,
    _HALF,
    _INV_T,
    MatrixSolve,
    MatrixTriangularSolve,
    _adj,
    _check_square,
    _col,
    _dev,
    _dtype_rule,
    _err,
    _eye_like,
    _host,
    _inv_shape,
    _mm,
    _row,
    _square_shape,
    _up,
    _zero,
)
from tensorflux._src.ops.linalg_ops import (
    MatrixBandPart,
    MatrixDiagPartV3,
    MatrixDiagV3,
    MatrixSetDiagV3,
    _attr,
    _read,
    matmul,
)
from tensorflux._src.tensor import constant


# ------------------------------------------------------------------ Svd


def _svd_dtype(dts, attrs):
    t = dts[0]
    check_allowed(t, _INV_T)
    return [t.real_dtype, t, t]


def _svd_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return [TensorShape(None)] * 3
    if s.rank < 2:
        raise _err(f"Input tensor 0 must have rank >= 2, got {s.rank}")
    m, n = s[-2], s[-1]
    k = None if m is None or n is None else min(m, n)
    batch = s[:-2]
    if not attrs.get("compute_uv", True):
        return [batch.concatenate([k]), TensorShape([]), TensorShape([])]
    if attrs.get("full_matrices", False):
        return [batch.concatenate([k]), batch.concatenate([m, m]), batch.concatenate([n, n])]
    return [batch.concatenate([k]), batch.concatenate([m, k]), batch.concatenate([n, k])]


Svd = defop("Svd", infer=Rule(_svd_dtype, _svd_shape), num_outputs=3)


@Svd.kernel
def _(xp, a, compute_uv=True, full_matrices=False):
    if a.ndim < 2:
        raise ValueError("rank")
    dt = a.dtype
    rdt = np.float32 if dt in _HALF else np.empty(0, dt).real.dtype
    m, n = a.shape[-2:]
    if a.size == 0:
        k = min(m, n)
        s = xp.zeros(a.shape[:-2] + (k,), dtype=dt.type(0).real.dtype)
        um, vn = (m, n) if full_matrices else (k, k)
        u = xp.broadcast_to(xp.eye(m, um, dtype=dt), a.shape[:-2] + (m, um)).copy()
        v = xp.broadcast_to(xp.eye(n, vn, dtype=dt), a.shape[:-2] + (n, vn)).copy()
        if not compute_uv:
            return [s, xp.zeros((), dt), xp.zeros((), dt)]
        return [s, u, v]
    if not compute_uv:
        s = xp.linalg.svd(_up(a), compute_uv=False)
        return [
            s.astype(np.dtype(dt).type(0).real.dtype, copy=False),
            xp.zeros((), dt),
            xp.zeros((), dt),
        ]
    u, s, vh = xp.linalg.svd(_up(a), full_matrices=full_matrices)
    v = xp.conj(xp.swapaxes(vh, -1, -2))
    del rdt
    return [
        s.astype(np.dtype(dt).type(0).real.dtype, copy=False),
        u.astype(dt, copy=False),
        v.astype(dt, copy=False),
    ]


@Svd.gradient
def _(op, ds, du, dv):
    (a,) = op.inputs
    if a.dtype.is_complex:
        raise NotImplementedError("Svd gradient of complex matrices is not implemented")
    m, n = a.shape[-2], a.shape[-1]
    if m is None or n is None:
        raise NotImplementedError(
            "SVD gradient has not been implemented for input with unknown inner matrix shape."
        )
    if not _attr(op, "compute_uv", True):
        s, u, v = Svd(a, compute_uv=True, full_matrices=False)
        return [_mm(u * _row(ds), v, adjoint_b=True)]
    if _attr(op, "full_matrices", False) and m != n:
        raise NotImplementedError(
            "SVD gradient has not been implemented for input with unequal number of rows and "
            "columns when full_matrices=True"
        )
    s, u, v = op.outputs
    if m < n:  # differentiate the transpose: a^T = v s u^T
        u, v, du, dv = v, u, dv, du
    s2 = s * s
    diff = _row(s2) - _col(s2)  # [i, j] = s_j^2 - s_i^2
    eye = _eye_like(diff)
    f = (eye - 1) / (-diff - eye)  # 1 / (s_j^2 - s_i^2) off the diagonal, 0 on it
    utdu = _mm(u, du, adjoint_a=True)
    vtdv = _mm(v, dv, adjoint_a=True)
    fu, fv = f * utdu, f * vtdv
    smat = MatrixDiagV3(s, 0, -1, -1, _zero(s))
    inner = (
        MatrixDiagV3(ds, 0, -1, -1, _zero(s)) + _mm(fu + _adj(fu), smat) + _mm(smat, fv + _adj(fv))
    )
    g = _mm(u, _mm(inner, v, adjoint_b=True))
    if m != n:
        rows, cols = (m, n) if m > n else (n, m)
        del rows, cols
        extra = du - _mm(u, utdu)  # the part of du outside span(u)
        g = g + _mm(extra / _row(s), v, adjoint_b=True)
    if m < n:
        g = _adj(g)
    return [g]


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """The singular value decomposition `tensor = u @ diag(s) @ adjoint(v)`.

    Note the order of the results: `s, u, v` (and `v`, not its adjoint).

    Args:
      tensor: a float or complex tensor of shape `[..., M, N]`.
      full_matrices: return square `u` `[..., M, M]` and `v` `[..., N, N]`.
      compute_uv: also compute `u` and `v`; otherwise only `s` is returned.
      name: a name for the operation.

    Returns:
      `s` (descending, real), or `(s, u, v)` when `compute_uv`.
    """
    s, u, v = Svd(tensor, compute_uv=bool(compute_uv), full_matrices=bool(full_matrices), name=name)
    return (s, u, v) if compute_uv else s


def pinv(a, rcond=None, validate_args=False, name=None):
    """The Moore-Penrose pseudo-inverse of each innermost matrix, from its SVD.

    Args:
      a: a float tensor of shape `[..., M, N]`.
      rcond: singular values at most `rcond * max(s)` are treated as zero; the default is
        `10 * max(M, N) * eps`.
      validate_args: unused (kept for signature compatibility).
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., N, M]`.
    """
    a = as_tensor(_read(a))
    if rcond is None:
        m, n = a.shape[-2], a.shape[-1]
        size = max(m or 1, n or 1)
        rcond = 10.0 * size * float(np.finfo(a.dtype.as_numpy_dtype).eps)
    s, u, v = svd(a, full_matrices=False, compute_uv=True)
    cutoff = constant(np.asarray(rcond, s.dtype.as_numpy_dtype)) * reduction_ops.reduce_max(
        s, [-1], keepdims=True
    )
    inf = constant(np.asarray(np.inf, s.dtype.as_numpy_dtype))
    s = array_ops.where(math_ops.greater(s, cutoff), s, array_ops.zeros_like(s) + inf)
    return matmul(v / _row(math_ops.cast(s, v.dtype)), u, adjoint_b=True, name=name)


# ------------------------------------------------------------------ SelfAdjointEigV2


def _eigh_shape(inputs, attrs):
    s = inputs[0].shape
    _square_shape(s)
    if s.rank is None:
        return [s, s]
    e = s[:-1]
    return [e, s if attrs.get("compute_v", True) else TensorShape([])]


SelfAdjointEigV2 = defop(
    "SelfAdjointEigV2",
    infer=Rule(_dtype_rule(_INV_T, 2, real_outputs=(0,)), _eigh_shape),
    num_outputs=2,
)


@SelfAdjointEigV2.kernel
def _(xp, a, compute_v=True):
    _check_square(a)
    dt = a.dtype
    rdt = np.dtype(dt).type(0).real.dtype
    if a.size == 0:
        return [xp.zeros(a.shape[:-1], rdt), a.copy() if compute_v else xp.zeros((), dt)]
    if not compute_v:
        return [xp.linalg.eigvalsh(_up(a)).astype(rdt, copy=False), xp.zeros((), dt)]
    e, v = xp.linalg.eigh(_up(a))
    return [e.astype(rdt, copy=False), v.astype(dt, copy=False)]


@SelfAdjointEigV2.gradient
def _(op, de, dv):
    (a,) = op.inputs
    if _attr(op, "compute_v", True):
        e, v = op.outputs
    else:
        e, v = SelfAdjointEigV2(a, compute_v=True)
        dv = None
    ec = math_ops.cast(e, v.dtype)
    inner = MatrixDiagV3(math_ops.cast(de, v.dtype), 0, -1, -1, _zero(v))
    if dv is not None:
        diff = _row(ec) - _col(ec)  # [i, j] = e_j - e_i
        eye = _eye_like(diff)
        f = (eye - 1) / (-diff - eye)
        inner = inner + f * _mm(v, dv, adjoint_a=True)
    g = _mm(v, _mm(inner, v, adjoint_b=True))
    # The kernel reads the lower triangle only: fold the upper part onto it.
    g = MatrixBandPart(g + _adj(g), -1, 0)
    g = MatrixSetDiagV3(g, MatrixDiagPartV3(g, 0, _zero(g)) * 0.5, 0)
    return [g]


def eigh(tensor, name=None):
    """Eigen-decomposition of each innermost Hermitian matrix (its lower triangle is read).

    Args:
      tensor: a float or complex tensor of shape `[..., N, N]`.
      name: a name for the operation.

    Returns:
      `(e, v)`: ascending real eigenvalues `[..., N]` and eigenvectors as columns of `v`.
    """
    e, v = SelfAdjointEigV2(tensor, compute_v=True, name=name)
    return e, v


def eigvalsh(tensor, name=None):
    """The ascending real eigenvalues of each innermost Hermitian matrix.

    Args:
      tensor: a float or complex tensor of shape `[..., N, N]`.
      name: a name for the operation.

    Returns:
      A real tensor of shape `[..., N]`.
    """
    e, _ = SelfAdjointEigV2(tensor, compute_v=False, name=name)
    return e


# ------------------------------------------------------------------ Eig


def _eig_dtype(dts, attrs):
    check_allowed(dts[0], _EIG_T)
    tout = attrs["Tout"]
    check_allowed(tout, (d.complex64, d.complex128), "Tout")
    return [tout, tout]


Eig = defop("Eig", infer=Rule(_eig_dtype, _eigh_shape), num_outputs=2)


@Eig.kernel
def _(xp, a, Tout, compute_v=True):
    _check_square(a)
    ct = Tout.as_numpy_dtype
    ah = _host(xp, a)
    if a.size == 0:
        e = np.zeros(a.shape[:-1], ct)
        v = ah.astype(ct) if compute_v else np.zeros((), ct)
        return [_dev(xp, e), _dev(xp, v)]
    if not compute_v:
        return [_dev(xp, np.linalg.eigvals(ah).astype(ct)), _dev(xp, np.zeros((), ct))]
    e, v = np.linalg.eig(ah)
    return [_dev(xp, e.astype(ct)), _dev(xp, v.astype(ct))]


@Eig.gradient
def _(op, de, dv):
    (a,) = op.inputs
    if _attr(op, "compute_v", True):
        e, v = op.outputs
    else:
        e, v = Eig(a, Tout=op.get_attr("Tout"), compute_v=True)
        dv = None
    inner = MatrixDiagV3(de, 0, -1, -1, _zero(e))
    if dv is not None:
        ec = math_ops.conj(e)
        diff = _row(ec) - _col(ec)
        eye = _eye_like(diff)
        f = (eye - 1) / (-diff - eye)
        vhdv = _mm(v, dv, adjoint_a=True)
        # Eigenvectors have unit norm: remove the component of dv along that constraint.
        vhv = _mm(v, v, adjoint_a=True)
        norm_part = _mm(
            vhv,
            MatrixDiagV3(
                math_ops.cast(math_ops.real(MatrixDiagPartV3(vhdv, 0, _zero(vhdv))), v.dtype),
                0,
                -1,
                -1,
                _zero(v),
            ),
        )
        inner = inner + f * (vhdv - norm_part)
    g = MatrixSolve(_adj(v), _mm(inner, v, adjoint_b=True))
    if not a.dtype.is_complex:
        g = math_ops.real(g)
    return [g]


def eig(tensor, name=None):
    """Eigen-decomposition of each innermost (not necessarily Hermitian) square matrix.

    Args:
      tensor: a float or complex tensor of shape `[..., N, N]`.
      name: a name for the operation.

    Returns:
      `(e, v)`: complex eigenvalues `[..., N]` and unit eigenvectors as columns of `v`.
    """
    tensor = as_tensor(_read(tensor))
    tout = d.complex128 if tensor.dtype in (d.float64, d.complex128) else d.complex64
    e, v = Eig(tensor, Tout=tout, compute_v=True, name=name)
    return e, v


def eigvals(tensor, name=None):
    """The complex eigenvalues of each innermost square matrix.

    Args:
      tensor: a float or complex tensor of shape `[..., N, N]`.
      name: a name for the operation.

    Returns:
      A complex tensor of shape `[..., N]`.
    """
    tensor = as_tensor(_read(tensor))
    tout = d.complex128 if tensor.dtype in (d.float64, d.complex128) else d.complex64
    e, _ = Eig(tensor, Tout=tout, compute_v=False, name=name)
    return e


# ------------------------------------------------------------------ MatrixExponential


MatrixExponential = defop("MatrixExponential", infer=Rule(_dtype_rule(_INV_T), _inv_shape))


@MatrixExponential.kernel
def _(xp, a):
    import scipy.linalg

    _check_square(a)
    dt = a.dtype
    if a.size == 0:
        return a.copy()
    return _dev(xp, scipy.linalg.expm(_up(_host(xp, a))).astype(dt, copy=False))


@MatrixExponential.gradient
def _(op, dy):
    # d expm(A)[G] is the upper-right block of expm([[A^H, G], [0, A^H]]); the block matrix
    # is assembled with concat and its block read back with a 0/1 selector product.
    from tensorflux._src.ops import manip_ops

    (a,) = op.inputs
    ah = _adj(a)
    eye = _eye_like(a)
    zeros = array_ops.zeros_like(a)
    top = manip_ops.concat([eye, zeros], -2)  # [I; 0]
    bot = manip_ops.concat([zeros, eye], -2)  # [0; I]
    block = manip_ops.concat(
        [manip_ops.concat([ah, dy], -1), manip_ops.concat([zeros, ah], -1)], -2
    )
    return [_mm(_mm(top, MatrixExponential(block), adjoint_a=True), bot)]


def expm(input, name=None):
    """The matrix exponential of each innermost square matrix.

    Args:
      input: a float or complex tensor of shape `[..., M, M]`.
      name: a name for the operation.

    Returns:
      A tensor like `input`.
    """
    return MatrixExponential(input, name=name)


# ------------------------------------------------------------------ Lu


def _lu_dtype(dts, attrs):
    t = dts[0]
    check_allowed(t, _INV_T)
    idx = attrs.get("output_idx_type", d.int32)
    check_allowed(idx, (d.int32, d.int64), "output_idx_type")
    return [t, idx]


def _lu_shape(inputs, attrs):
    s = inputs[0].shape
    _square_shape(s)
    return [s, s[:-1] if s.rank is not None else s]


Lu = defop("Lu", infer=Rule(_lu_dtype, _lu_shape), num_outputs=2)


@Lu.kernel
def _(xp, a, output_idx_type=d.int32):
    import scipy.linalg

    _check_square(a)
    dt = a.dtype
    ah = _up(_host(xp, a))
    n = a.shape[-1]
    flat = ah.reshape((-1, n, n))
    lu = np.empty_like(flat)
    perm = np.empty(flat.shape[:2], dtype=output_idx_type.as_numpy_dtype)
    with np.errstate(all="ignore"):
        for i in range(flat.shape[0]):
            f, piv = scipy.linalg.lu_factor(flat[i], check_finite=False)
            if np.any(np.diagonal(f) == 0):
                raise _err("Input is not invertible.")
            p = np.arange(n)
            for j, k in enumerate(piv):  # LAPACK's row swaps, applied in order
                p[j], p[k] = p[k], p[j]
            lu[i], perm[i] = f, p
    return [
        _dev(xp, lu.reshape(a.shape).astype(dt, copy=False)),
        _dev(xp, perm.reshape(a.shape[:-1])),
    ]


@Lu.gradient
def _(op, dlu, dperm):
    (a,) = op.inputs
    lu_, perm = op.outputs
    lower = MatrixBandPart(lu_, -1, 0)
    ones = array_ops.ones_like(MatrixDiagPartV3(lu_, 0, _zero(lu_)))
    low = MatrixSetDiagV3(lower, ones, 0)
    up = MatrixBandPart(lu_, 0, -1)
    g_low = MatrixSetDiagV3(MatrixBandPart(dlu, -1, 0), array_ops.zeros_like(ones), 0)
    g_up = MatrixBandPart(dlu, 0, -1)
    phi_l = MatrixBandPart(_mm(low, g_low, adjoint_a=True), -1, 0)
    phi_l = MatrixSetDiagV3(phi_l, array_ops.zeros_like(ones), 0)
    phi = phi_l + MatrixBandPart(_mm(g_up, up, adjoint_b=True), 0, -1)
    x = MatrixTriangularSolve(low, phi, lower=True, adjoint=True)  # L^-H phi
    g = _adj(MatrixTriangularSolve(up, _adj(x), lower=False, adjoint=False))  # ... U^-H
    return [_permute_rows(g, perm, inverse=True)]


def _perm_matrix(perm, dtype):
    """The 0/1 matrix P with P[..., i, j] = (perm[..., i] == j), so that P @ x = x[perm]."""
    from tensorflux._src.ops import cumulative_ops

    cols = cumulative_ops.cumsum(array_ops.ones_like(perm), axis=-1, exclusive=True)
    return math_ops.cast(math_ops.equal(_col(perm), _row(cols)), dtype)


def _permute_rows(x, perm, inverse=False):
    """x[..., perm, :] (or the inverse permutation), as a product with a 0/1 matrix."""
    p = _perm_matrix(perm, x.dtype)
    return _mm(p, x, adjoint_a=inverse)


_LuResult = collections.namedtuple("Lu", ["lu", "p"])


def lu(input, output_idx_type=d.int32, name=None):
    """The LU decomposition with partial pivoting of each innermost square matrix.

    `lu` packs the unit lower-triangular `L` (below the diagonal) and `U` (on and above it);
    `p` is the row permutation, so that `input[..., p, :] = L @ U`.

    Args:
      input: a float or complex tensor of shape `[..., M, M]`.
      output_idx_type: int32 (default) or int64, the dtype of `p`.
      name: a name for the operation.

    Returns:
      A `(lu, p)` named tuple.

    Raises:
      InvalidArgumentError: if a matrix is singular or not square.
    """
    return _LuResult(*Lu(input, output_idx_type=d.as_dtype(output_idx_type), name=name))


def _lu_factors(lower_upper):
    ones = array_ops.ones_like(MatrixDiagPartV3(lower_upper, 0, _zero(lower_upper)))
    low = MatrixSetDiagV3(MatrixBandPart(lower_upper, -1, 0), ones, 0)
    return low, MatrixBandPart(lower_upper, 0, -1)


def lu_solve(lower_upper, perm, rhs, validate_args=False, name=None):
    """Solves `A @ x = rhs` from the LU decomposition `(lower_upper, perm)` of `A`.

    Args:
      lower_upper: the packed `lu` from `tf.linalg.lu`, shape `[..., M, M]`.
      perm: the permutation `p` from `tf.linalg.lu`, shape `[..., M]`.
      rhs: a tensor of shape `[..., M, K]`.
      validate_args: unused (kept for signature compatibility).
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, K]`.
    """
    lower_upper = as_tensor(lower_upper)
    perm = as_tensor(perm)
    rhs = as_tensor(rhs, dtype_hint=lower_upper.dtype)
    low, up = _lu_factors(lower_upper)
    pb = _permute_rows(rhs, perm)
    y = MatrixTriangularSolve(low, pb, lower=True, adjoint=False)
    return MatrixTriangularSolve(up, y, lower=False, adjoint=False, name=name)


def lu_matrix_inverse(lower_upper, perm, validate_args=False, name=None):
    """The inverse of `A` from its LU decomposition `(lower_upper, perm)`.

    Args:
      lower_upper: the packed `lu` from `tf.linalg.lu`, shape `[..., M, M]`.
      perm: the permutation `p` from `tf.linalg.lu`.
      validate_args: unused (kept for signature compatibility).
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, M]`.
    """
    lower_upper = as_tensor(lower_upper)
    return lu_solve(lower_upper, perm, _eye_like(lower_upper), name=name)


def lu_reconstruct(lower_upper, perm, validate_args=False, name=None):
    """Rebuilds `A` from its LU decomposition `(lower_upper, perm)`.

    Args:
      lower_upper: the packed `lu` from `tf.linalg.lu`, shape `[..., M, M]`.
      perm: the permutation `p` from `tf.linalg.lu`.
      validate_args: unused (kept for signature compatibility).
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, M]`.
    """
    lower_upper = as_tensor(lower_upper)
    perm = as_tensor(perm)
    low, up = _lu_factors(lower_upper)
    return _permute_rows(_mm(low, up), perm, inverse=True)


# ------------------------------------------------------------------ MatrixSquareRoot


MatrixSquareRoot = defop("MatrixSquareRoot", infer=Rule(_dtype_rule(_INV_T), _inv_shape))


@MatrixSquareRoot.kernel
def _(xp, a):
    import scipy.linalg

    _check_square(a)
    dt = a.dtype
    ah = _up(_host(xp, a))
    if a.size == 0:
        return a.copy()
    flat = ah.reshape((-1,) + ah.shape[-2:])
    out = np.empty(
        flat.shape,
        dtype=np.result_type(flat.dtype, np.complex64) if flat.dtype.kind == "c" else flat.dtype,
    )
    for i in range(flat.shape[0]):
        r = scipy.linalg.sqrtm(flat[i])
        out[i] = r if out.dtype.kind == "c" else np.real(r)
    return _dev(xp, out.reshape(a.shape).astype(dt, copy=False))


@MatrixSquareRoot.gradient
def _(op, dy):
    # With Y = sqrtm(A): dA = Y dY + dY Y, so the gradient G_A solves Y^H G_A + G_A Y^H = G_Y,
    # a Sylvester equation solved here through its Kronecker form (small matrices only).
    (y,) = op.outputs
    n = y.shape[-1]
    if n is None or y.shape.rank != 2:
        raise NotImplementedError("MatrixSquareRoot gradient supports single static matrices")
    eye = constant(np.eye(n, dtype=y.dtype.as_numpy_dtype))
    yh = _adj(y)
    # vec_r(Y^H X + X Y^H) = (Y^H kron I + I kron conj(Y)) vec_r(X) for row-major vec.
    k = _kron(yh, eye) + _kron(eye, math_ops.conj(y))
    g = MatrixSolve(k, array_ops.reshape(dy, [n * n, 1]))
    return [array_ops.reshape(g, [n, n])]


def _kron(a, b):
    n = a.shape[-1]
    ab = array_ops.reshape(a, [n, 1, n, 1]) * array_ops.reshape(b, [1, n, 1, n])
    return array_ops.reshape(ab, [n * n, n * n])


def sqrtm(input, name=None):
    """The principal square root of each innermost square matrix.

    Args:
      input: a float or complex tensor of shape `[..., M, M]`.
      name: a name for the operation.

    Returns:
      A tensor like `input` whose square is `input`.
    """
    return MatrixSquareRoot(input, name=name)


# ------------------------------------------------------------------ MatrixLogarithm


MatrixLogarithm = defop(
    "MatrixLogarithm", infer=Rule(_dtype_rule((d.complex64, d.complex128)), _inv_shape)
)


@MatrixLogarithm.kernel
def _(xp, a):
    import scipy.linalg

    _check_square(a)
    ah = _host(xp, a)
    if a.size == 0:
        return a.copy()
    flat = ah.reshape((-1,) + ah.shape[-2:])
    out = np.stack([scipy.linalg.logm(m, disp=False)[0] for m in flat]).astype(a.dtype, copy=False)
    return _dev(xp, out.reshape(a.shape))


not_differentiable(MatrixLogarithm)  # TensorFlow registers no gradient for it either


def logm(input, name=None):
    """The principal logarithm of each innermost square complex matrix.

    Args:
      input: a complex tensor of shape `[..., M, M]`.
      name: a name for the operation.

    Returns:
      A tensor like `input` whose matrix exponential is `input`.
    """
    return MatrixLogarithm(input, name=name)


def matrix_rank(a, tol=None, validate_args=False, name=None):
    """The numerical rank of each innermost matrix: singular values above `tol` are counted.

    Args:
      a: a float tensor of shape `[..., M, N]`.
      tol: the threshold; by default `eps * max(M, N) * max(singular values)`.
      validate_args: unused (kept for signature compatibility).
      name: a name for the operation.

    Returns:
      An int32 tensor of shape `[...]`.
    """
    a = as_tensor(_read(a))
    s = svd(a, compute_uv=False)
    if tol is None:
        m, n = a.shape[-2], a.shape[-1]
        eps = float(np.finfo(s.dtype.as_numpy_dtype).eps)
        scale = constant(np.asarray(eps * max(m or 1, n or 1), s.dtype.as_numpy_dtype))
        tol = scale * reduction_ops.reduce_max(s, [-1], keepdims=True)
    else:
        tol = as_tensor(tol, dtype=s.dtype)
    above = math_ops.cast(math_ops.greater(s, tol), d.int32)
    return reduction_ops.reduce_sum(above, [-1], name=name)
