"""Matrix decompositions and solvers: one block per op (rule, LAPACK kernel, gradient), then the
public functions and the composites built on them (logdet, cholesky_solve, pinv, lu_solve...).

Kernels call NumPy's batched LAPACK wrappers (`xp.linalg`), or SciPy on host arrays where NumPy
has no routine (triangular solves, LU, the matrix exponential and square root).
"""

from __future__ import annotations

import collections

import numpy as np

from tensorflux._src.core import dtypes as d
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, ids
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import array_ops, math_ops, reduction_ops, unary_ops
from tensorflux._src.ops._util import as_tensor
from tensorflux._src.ops.linalg_ops import (
    BatchMatMulV2,
    MatrixBandPart,
    MatrixDiagPartV3,
    MatrixDiagV3,
    MatrixSetDiagV3,
    _attr,
    _fmt,
    matrix_transpose,
)
from tensorflux._src.tensor import constant

# Allowed dtypes in TensorFlow's printing order.
_INV_T = (d.float64, d.float32, d.float16, d.complex64, d.complex128)
_DET_T = (d.float16, d.float32, d.float64, d.complex64, d.complex128)
_TRSV_T = (d.bfloat16, d.float64, d.float32, d.float16, d.complex64, d.complex128)
_EIG_T = (d.float32, d.float64, d.complex64, d.complex128)

_HALF = (np.dtype(np.float16), np.dtype(d.bfloat16.as_numpy_dtype))


def _err(msg: str) -> InvalidArgumentError:
    return InvalidArgumentError(None, None, msg)


def _dtype_rule(allowed, n_out=1, real_outputs=()):
    """Same-dtype inputs from `allowed`; `n_out` outputs of that dtype (real ones at indices)."""
    ok = ids(allowed)

    def dtype(dts, attrs):
        t = check_same(dts) if len(dts) > 1 else dts[0]
        if id(t) not in ok:
            check_allowed(t, allowed)
        if n_out == 1:
            return t
        return [t.real_dtype if i in real_outputs else t for i in range(n_out)]

    return dtype


def _square_shape(s: TensorShape):
    """Checks a (batch of) square matrix shape the way the kernels do."""
    if s.rank is None:
        return
    if s.rank < 2:
        raise _err(f"Input tensor 0 must have rank >= 2, got {s.rank}")
    if s[-1] is not None and s[-2] is not None and s[-1] != s[-2]:
        raise _err("Input matrix must be square.")


def _check_square(a):
    if a.ndim < 2:
        raise _err(f"Input tensor 0 must have rank >= 2, got {a.ndim}")
    if a.shape[-1] != a.shape[-2]:
        raise _err("Input matrix must be square.")


def _host(xp, a):
    return a if xp is np else xp.asnumpy(a)


def _dev(xp, a):
    return a if xp is np else xp.asarray(a)


def _up(a):
    """Half-precision inputs are decomposed in float32 (LAPACK has no half routines)."""
    return a.astype(np.float32) if a.dtype in _HALF else a


def _expand2(x):
    """x[..., None, None]."""
    return array_ops.expand_dims(array_ops.expand_dims(x, -1), -1)


def _eye_like(x):
    """An identity matrix (batch) shaped like the square matrix `x`, built from x's diagonal."""
    ones = array_ops.ones_like(MatrixDiagPartV3(x, 0, _zero(x)))
    return MatrixDiagV3(ones, 0, -1, -1, _zero(x))


def _zero(x):
    return constant(np.zeros((), x.dtype.as_numpy_dtype))


def _mm(a, b, adjoint_a=False, adjoint_b=False):
    return BatchMatMulV2(a, b, adj_x=adjoint_a, adj_y=adjoint_b)


def _adj(x):
    return matrix_transpose(x, conjugate=True)


def _row(x):
    """x[..., None, :]."""
    return array_ops.expand_dims(x, -2)


def _col(x):
    """x[..., :, None]."""
    return array_ops.expand_dims(x, -1)


# ------------------------------------------------------------------ MatrixInverse


def _inv_shape(inputs, attrs):
    s = inputs[0].shape
    _square_shape(s)
    return s


MatrixInverse = defop("MatrixInverse", infer=Rule(_dtype_rule(_INV_T), _inv_shape))


@MatrixInverse.kernel
def _(xp, a, adjoint=False):
    _check_square(a)
    dt = a.dtype
    if a.size == 0:
        return a.copy()
    try:
        out = xp.linalg.inv(_up(a))
    except np.linalg.LinAlgError:
        raise _err("Input is not invertible.") from None
    if not bool(xp.all(xp.isfinite(out))) and bool(xp.all(xp.isfinite(a))):
        raise _err("Input is not invertible.")
    if adjoint:
        out = xp.conj(xp.swapaxes(out, -1, -2))
    return out.astype(dt, copy=False)


@MatrixInverse.gradient
def _(op, dy):
    (y,) = op.outputs
    if _attr(op, "adjoint", False):
        return [-_mm(y, _mm(dy, y, adjoint_a=True))]
    return [-_mm(y, _mm(dy, y, adjoint_b=True), adjoint_a=True)]


def inv(input, adjoint=False, name=None):
    """The inverse of each innermost square matrix of `input` (or of its adjoint).

    Args:
      input: a float or complex tensor of shape `[..., M, M]`.
      adjoint: invert the conjugate transpose instead.
      name: a name for the operation.

    Returns:
      A tensor like `input`.

    Raises:
      InvalidArgumentError: if a matrix is not square or not invertible.
    """
    return MatrixInverse(input, adjoint=bool(adjoint), name=name)


# ------------------------------------------------------------------ determinants


def _det_shape(inputs, attrs):
    s = inputs[0].shape
    _square_shape(s)
    return s[:-2] if s.rank is not None else s


MatrixDeterminant = defop("MatrixDeterminant", infer=Rule(_dtype_rule(_DET_T), _det_shape))


@MatrixDeterminant.kernel
def _(xp, a):
    _check_square(a)
    return (
        xp.linalg.det(_up(a)).astype(a.dtype, copy=False)
        if a.size
        else xp.ones(a.shape[:-2], dtype=a.dtype)
    )


@MatrixDeterminant.gradient
def _(op, dy):
    (a,) = op.inputs
    (det,) = op.outputs
    scale = _expand2(dy * math_ops.conj(det))
    return [scale * MatrixInverse(a, adjoint=True)]


def det(input, name=None):
    """The determinant of each innermost square matrix of `input`.

    Args:
      input: a float or complex tensor of shape `[..., M, M]`.
      name: a name for the operation.

    Returns:
      A tensor of shape `[...]`.
    """
    return MatrixDeterminant(input, name=name)


def _slogdet_shape(inputs, attrs):
    s = _det_shape(inputs, attrs)
    return [s, s]


LogMatrixDeterminant = defop(
    "LogMatrixDeterminant", infer=Rule(_dtype_rule(_DET_T, 2), _slogdet_shape), num_outputs=2
)


@LogMatrixDeterminant.kernel
def _(xp, a):
    _check_square(a)
    sign, logdet = xp.linalg.slogdet(_up(a))
    return [sign.astype(a.dtype), logdet.astype(a.dtype)]


@LogMatrixDeterminant.gradient
def _(op, dsign, dlog):
    (a,) = op.inputs
    return [_expand2(dlog) * MatrixInverse(a, adjoint=True)]


_SlogdetResult = collections.namedtuple("LogMatrixDeterminant", ["sign", "log_abs_determinant"])


def slogdet(input, name=None):
    """Sign and log-absolute-value of the determinant of each innermost square matrix.

    Args:
      input: a float or complex tensor of shape `[..., M, M]`.
      name: a name for the operation.

    Returns:
      A `(sign, log_abs_determinant)` named tuple of tensors of shape `[...]`.
    """
    return _SlogdetResult(*LogMatrixDeterminant(input, name=name))


def logdet(matrix, name=None):
    """log(det(matrix)) for Hermitian positive definite matrices, via the Cholesky factor.

    Args:
      matrix: a float or complex tensor of shape `[..., M, M]`, Hermitian positive definite.
      name: a name for the operation.

    Returns:
      A real tensor of shape `[...]`.
    """
    chol = cholesky(matrix)
    diag = MatrixDiagPartV3(chol, 0, _zero(chol))
    if diag.dtype.is_complex:
        diag = math_ops.real(diag)
    return reduction_ops.reduce_sum(unary_ops.log(diag), [-1]) * 2.0


# ------------------------------------------------------------------ MatrixSolve


def _solve_shape(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    _square_shape(a)
    if a.rank is not None and b.rank is not None:
        if a.rank != b.rank:
            raise _err("All input tensors must have the same rank.")
        if not a[:-2].is_compatible_with(b[:-2]):
            raise _err("All input tensors must have the same outer dimensions.")
        if a[-2] is not None and b[-2] is not None and a[-2] != b[-2]:
            raise _err("Input matrix and rhs are incompatible.")
        return a[:-2].merge_with(b[:-2]).concatenate([a[-1], b[-1]])
    return b


MatrixSolve = defop("MatrixSolve", infer=Rule(_dtype_rule(_INV_T), _solve_shape))


@MatrixSolve.kernel
def _(xp, a, b, adjoint=False):
    _check_square(a)
    if a.ndim != b.ndim:
        raise _err("All input tensors must have the same rank.")
    if a.shape[:-2] != b.shape[:-2]:
        raise _err("All input tensors must have the same outer dimensions.")
    if a.shape[-2] != b.shape[-2]:
        raise _err("Input matrix and rhs are incompatible.")
    if a.size == 0 or b.size == 0:
        return xp.zeros(b.shape, dtype=b.dtype)
    if adjoint:
        a = xp.conj(xp.swapaxes(a, -1, -2))
    try:
        out = xp.linalg.solve(_up(a), _up(b))
    except np.linalg.LinAlgError:
        raise _err("Input matrix is not invertible.") from None
    return out.astype(b.dtype, copy=False)


@MatrixSolve.gradient
def _(op, dy):
    a, _ = op.inputs
    (x,) = op.outputs
    adjoint = _attr(op, "adjoint", False)
    gb = MatrixSolve(a, dy, adjoint=not adjoint)
    ga = -_mm(x, gb, adjoint_b=True) if adjoint else -_mm(gb, x, adjoint_b=True)
    return [ga, gb]


def solve(matrix, rhs, adjoint=False, name=None):
    """Solves `matrix @ x = rhs` (or `adjoint(matrix) @ x = rhs`) for each innermost system.

    Args:
      matrix: a float or complex tensor of shape `[..., M, M]`.
      rhs: a tensor of shape `[..., M, K]` with the same batch dimensions.
      adjoint: solve with the conjugate transpose of `matrix`.
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, K]`.

    Raises:
      InvalidArgumentError: if a matrix is singular or the shapes do not fit.
    """
    return MatrixSolve(matrix, rhs, adjoint=bool(adjoint), name=name)


# ------------------------------------------------------------------ MatrixTriangularSolve


def _trsv_shape(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    for s in (a, b):
        if s.rank is not None and s.rank < 2:
            raise _err(f"Input tensor must have rank >= 2, got {s.rank}")
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    if a[-2] is not None and b[-2] is not None and a[-2] != b[-2]:
        raise _err(
            f"In[0] mismatch In[1] shape: {a[-2]} vs. {b[-2]}: {_fmt(a)} {_fmt(b)} "
            f"{int(bool(attrs.get('lower', True)))} {int(bool(attrs.get('adjoint')))}"
        )
    try:
        batch = broadcast_shapes(a[:-2], b[:-2])
    except ValueError:
        raise _err(f"Incompatible batch dimensions: {_fmt(a)} vs. {_fmt(b)}") from None
    return batch.concatenate(b[-2:])


MatrixTriangularSolve = defop(
    "MatrixTriangularSolve", infer=Rule(_dtype_rule(_TRSV_T), _trsv_shape)
)


@MatrixTriangularSolve.kernel
def _(xp, a, b, lower=True, adjoint=False):
    import scipy.linalg

    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != a.shape[-2] or a.shape[-2] != b.shape[-2]:
        raise ValueError("shapes")
    dt = b.dtype
    ah, bh = _up(_host(xp, a)), _up(_host(xp, b))
    batch = np.broadcast_shapes(ah.shape[:-2], bh.shape[:-2])
    ah = np.broadcast_to(ah, batch + ah.shape[-2:]).reshape((-1,) + ah.shape[-2:])
    bh = np.broadcast_to(bh, batch + bh.shape[-2:]).reshape((-1,) + bh.shape[-2:])
    out = np.empty(bh.shape, dtype=np.result_type(ah.dtype, bh.dtype))
    trans = "C" if adjoint else "N"
    with np.errstate(all="ignore"):
        for i in range(bh.shape[0]):
            out[i] = (
                scipy.linalg.solve_triangular(
                    ah[i], bh[i], lower=lower, trans=trans, check_finite=False
                )
                if ah.shape[-1]
                else bh[i]
            )
    return _dev(xp, out.reshape(batch + b.shape[-2:]).astype(dt, copy=False))


@MatrixTriangularSolve.gradient
def _(op, dy):
    a, b = op.inputs
    (x,) = op.outputs
    lower, adjoint = _attr(op, "lower", True), _attr(op, "adjoint", False)
    gb = MatrixTriangularSolve(a, dy, lower=lower, adjoint=not adjoint)
    ga = -_mm(x, gb, adjoint_b=True) if adjoint else -_mm(gb, x, adjoint_b=True)
    ga = MatrixBandPart(ga, -1, 0) if lower else MatrixBandPart(ga, 0, -1)
    return [math_ops.unbroadcast(ga, a), math_ops.unbroadcast(gb, b)]


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """Solves triangular systems `matrix @ x = rhs` by substitution; batch dims broadcast.

    Only the lower (or upper, with `lower=False`) triangle of `matrix` is read.

    Args:
      matrix: a tensor of shape `[..., M, M]`.
      rhs: a tensor of shape `[..., M, K]`.
      lower: whether `matrix` is lower triangular.
      adjoint: solve with the conjugate transpose of `matrix`.
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, K]` (broadcast batch dimensions).
    """
    return MatrixTriangularSolve(matrix, rhs, lower=bool(lower), adjoint=bool(adjoint), name=name)


# ------------------------------------------------------------------ Cholesky


Cholesky = defop("Cholesky", infer=Rule(_dtype_rule(_INV_T), _inv_shape))


@Cholesky.kernel
def _(xp, a):
    _check_square(a)
    dt = a.dtype
    a = _up(a)
    try:
        out = xp.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        # TensorFlow leaves NaNs where the factorization breaks down; do it per matrix.
        flat = a.reshape((-1,) + a.shape[-2:])
        out = xp.empty_like(flat)
        for i in range(flat.shape[0]):
            try:
                out[i] = xp.linalg.cholesky(flat[i])
            except np.linalg.LinAlgError:
                out[i] = np.nan
        out = out.reshape(a.shape)
    return out.astype(dt, copy=False)


@Cholesky.gradient
def _(op, dy):
    (chol,) = op.outputs
    eye = _eye_like(chol)
    l_inv = MatrixTriangularSolve(chol, eye, lower=True, adjoint=False)
    middle = _mm(chol, dy, adjoint_a=True)
    middle = MatrixSetDiagV3(
        MatrixBandPart(middle, -1, 0), MatrixDiagPartV3(middle, 0, _zero(middle)) * 0.5, 0
    )
    g = _mm(_mm(l_inv, middle, adjoint_a=True), l_inv)
    return [(g + _adj(g)) * 0.5]


def cholesky(input, name=None):
    """The lower Cholesky factor `L` (`input = L @ adjoint(L)`) of each Hermitian PD matrix.

    Only the lower triangle of `input` is read.

    Args:
      input: a float or complex tensor of shape `[..., M, M]`.
      name: a name for the operation.

    Returns:
      A lower-triangular tensor like `input` (NaN where a matrix is not positive definite).
    """
    return Cholesky(input, name=name)


def cholesky_solve(chol, rhs, name=None):
    """Solves `A @ x = rhs` given the Cholesky factor `chol` of `A`.

    Args:
      chol: a lower-triangular tensor of shape `[..., M, M]` (from `tf.linalg.cholesky`).
      rhs: a tensor of shape `[..., M, K]`.
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., M, K]`.
    """
    y = MatrixTriangularSolve(chol, rhs, lower=True, adjoint=False)
    return MatrixTriangularSolve(chol, y, lower=True, adjoint=True, name=name)


# ------------------------------------------------------------------ MatrixSolveLs


def _lstsq_dtype(dts, attrs):
    t = check_same(dts[:2])
    check_allowed(t, _INV_T)
    if dts[2] is not d.float64:
        raise _err(
            "cannot compute {op} as input #2(zero-based) was expected to be a double tensor "
            f"but is a {dts[2].name} tensor"
        )
    return t


def _lstsq_shape(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    if a.rank < 2:
        raise _err(f"Input tensor 0 must have rank >= 2, got {a.rank}")
    if a.rank != b.rank:
        raise _err("All input tensors must have the same rank.")
    if a[-2] is not None and b[-2] is not None and a[-2] != b[-2]:
        raise _err(f"Matrix size-incompatible: In[0]: {_fmt(a)}, In[1]: {_fmt(b)}")
    return a[:-2].merge_with(b[:-2]).concatenate([a[-1], b[-1]])


MatrixSolveLs = defop("MatrixSolveLs", infer=Rule(_lstsq_dtype, _lstsq_shape), type_inputs=(0, 1))


def _chol_solve_np(xp, gram, rhs):
    try:
        c = xp.linalg.cholesky(gram)
    except np.linalg.LinAlgError:
        return xp.full(
            np.broadcast_shapes(gram.shape[:-1], rhs.shape[:-2] + (1,)) + rhs.shape[-1:],
            np.nan,
            dtype=rhs.dtype,
        )
    return xp.linalg.solve(c.conj().swapaxes(-1, -2), xp.linalg.solve(c, rhs))


@MatrixSolveLs.kernel
def _(xp, a, b, l2, fast=True):
    if a.ndim < 2 or a.ndim != b.ndim or a.shape[-2] != b.shape[-2]:
        raise ValueError("shapes")
    dt = b.dtype
    a, b = _up(a), _up(b)
    lam = float(l2)
    m, n = a.shape[-2:]
    if a.size == 0 or b.size == 0:
        return xp.zeros(a.shape[:-2] + (n, b.shape[-1]), dtype=dt)
    a, b = xp.ascontiguousarray(a), xp.ascontiguousarray(b)
    ah = xp.conj(xp.swapaxes(a, -1, -2))
    if fast:
        if m >= n:
            gram = ah @ a + lam * xp.eye(n, dtype=a.dtype)
            out = _chol_solve_np(xp, gram, ah @ b)
        else:
            gram = a @ ah + lam * xp.eye(m, dtype=a.dtype)
            out = ah @ _chol_solve_np(xp, gram, b)
    else:
        out = xp.linalg.pinv(a) @ b  # minimum-norm least squares; TF ignores l2 here too
    return out.astype(dt, copy=False)


@MatrixSolveLs.gradient
def _(op, dy):
    a, b, l2 = op.inputs
    (x,) = op.outputs
    m, n = a.shape[-2], a.shape[-1]
    if m is None or n is None:
        raise NotImplementedError("MatrixSolveLs gradient needs static matrix sizes")
    # With fast=False the kernel ignores the regularizer, as TensorFlow's does.
    lam = math_ops.cast(l2, a.dtype) if _attr(op, "fast", True) else _zero(a)
    if m >= n:
        gram = _mm(a, a, adjoint_a=True)
        chol = Cholesky(gram + lam * _eye_like(gram))
        z = cholesky_solve(chol, dy)
        xz = _mm(x, z, adjoint_b=True)
        ga = -_mm(a, xz + _adj(xz)) + _mm(b, z, adjoint_b=True)
        gb = _mm(a, z)
    else:
        gram = _mm(a, a, adjoint_b=True)
        chol = Cholesky(gram + lam * _eye_like(gram))
        gb = cholesky_solve(chol, _mm(a, dy))
        tmp = cholesky_solve(chol, b)
        a1 = -_mm(gb, _mm(tmp, a, adjoint_a=True))
        a2 = _mm(tmp, dy - _mm(a, gb, adjoint_a=True), adjoint_b=True)
        ga = a1 + a2
    return [ga, gb, None]


def lstsq(matrix, rhs, l2_regularizer=0.0, fast=True, name=None):
    """Least-squares solutions of `matrix @ x = rhs`, optionally Tikhonov-regularized.

    With `fast=True` the normal equations are solved by Cholesky (matrices must be full rank,
    or `l2_regularizer` positive); with `fast=False` the minimum-norm solution is returned.

    Args:
      matrix: a tensor of shape `[..., M, N]`.
      rhs: a tensor of shape `[..., M, K]`.
      l2_regularizer: a non-negative scalar added to the Gram matrix's diagonal.
      fast: use the normal equations.
      name: a name for the operation.

    Returns:
      A tensor of shape `[..., N, K]`.
    """
    l2 = as_tensor(l2_regularizer, dtype=d.float64)
    return MatrixSolveLs(matrix, rhs, l2, fast=bool(fast), name=name)


# ------------------------------------------------------------------ Qr


def _qr_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return [s, s]
    if s.rank < 2:
        raise _err(f"Input tensor 0 must have rank >= 2, got {s.rank}")
    m, n = s[-2], s[-1]
    k = None if m is None or n is None else min(m, n)
    if attrs.get("full_matrices", False):
        return [s[:-2].concatenate([m, m]), s]
    return [s[:-2].concatenate([m, k]), s[:-2].concatenate([k, n])]


Qr = defop("Qr", infer=Rule(_dtype_rule(_INV_T, 2), _qr_shape), num_outputs=2)


@Qr.kernel
def _(xp, a, full_matrices=False):
    if a.ndim < 2:
        raise ValueError("rank")
    dt = a.dtype
    q, r = xp.linalg.qr(_up(a), mode="complete" if full_matrices else "reduced")
    return [q.astype(dt, copy=False), r.astype(dt, copy=False)]


def _right_solve_upper(x, r):
    """x @ inv(adjoint(r)) for upper-triangular r."""
    return _adj(MatrixTriangularSolve(r, _adj(x), lower=False, adjoint=False))


def _qr_grad_tall(q, r, dq, dr):
    """The QR gradient for num_rows >= num_cols (reduced factors)."""
    qdq = _mm(q, dq, adjoint_a=True)
    rdr = _mm(r, dr, adjoint_b=True)
    tril = MatrixBandPart((qdq - _adj(qdq)) + (rdr - _adj(rdr)), -1, 0)
    ga = _mm(q, dr + _right_solve_upper(tril, r))
    gb = _right_solve_upper(dq - _mm(q, qdq), r)
    return ga + gb


@Qr.gradient
def _(op, dq, dr):
    (a,) = op.inputs
    q, r = op.outputs
    m, n = a.shape[-2], a.shape[-1]
    if m is None or n is None or (_attr(op, "full_matrices", False) and m > n):
        raise NotImplementedError(
            "QrGrad not implemented with dynamic shapes, or when nrows > ncols and "
            "full_matrices is true."
        )
    if m >= n:
        return [_qr_grad_tall(q, r, dq, dr)]
    # Wide: a = [x | y] with x square, r = [u | v]; x = q u and y = q v.
    from tensorflux._src.ops import manip_ops

    y = a[..., :, m:]
    u, du, dv = r[..., :, :m], dr[..., :, :m], dr[..., :, m:]
    gx = _qr_grad_tall(q, u, dq + _mm(y, dv, adjoint_b=True), du)
    return [manip_ops.concat([gx, _mm(q, dv)], -1)]


_QrResult = collections.namedtuple("Qr", ["q", "r"])


def qr(input, full_matrices=False, name=None):
    """The QR decomposition `input = q @ r` of each innermost matrix.

    Args:
      input: a float or complex tensor of shape `[..., M, N]`.
      full_matrices: compute the full `[M, M]` `q` and `[M, N]` `r` instead of the reduced
        `[M, P]` and `[P, N]` (`P = min(M, N)`).
      name: a name for the operation.

    Returns:
      A `(q, r)` named tuple; `q` has orthonormal columns, `r` is upper triangular.
    """
    return _QrResult(*Qr(input, full_matrices=bool(full_matrices), name=name))
