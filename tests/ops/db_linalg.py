"""Harness rows for tf.linalg: products, the diagonal family, decompositions, solvers, norms.

Inputs are well conditioned: square matrices get `n * I` added, SPD ones are `X X^T + n I`, and
functions of Hermitian matrices symmetrize their input first so that finite differences and the
tape see the same function.
"""

import numpy as np
import scipy.linalg

import tensorflux as tf
from tensorflux._src.ops import linalg_ops
from tests.ops.harness import COMPLEX, FLOAT, FLOAT32_64, OpInfo, Sample, make

F64C = FLOAT32_64 + COMPLEX
LOOSE = {
    tf.float32: (1e-4, 1e-4),
    tf.complex64: (1e-4, 1e-4),
    tf.float16: (2e-2, 2e-2),
    tf.bfloat16: (6e-2, 6e-2),
}


def _square(rng, shape, dtype):
    n = shape[-1]
    return (make(rng, shape, dtype, -1, 1) + n * np.eye(n)).astype(make(rng, (), dtype).dtype)


def _spd(rng, shape, dtype):
    x = make(rng, shape, dtype, -1, 1)
    n = shape[-1]
    xh = np.conj(np.swapaxes(x, -1, -2))
    return (x @ xh + n * np.eye(n)).astype(x.dtype)


def _sym(x):
    return (x + tf.linalg.adjoint(x)) / 2


def _mT(x):
    return np.swapaxes(x, -1, -2)


def _mH(x):
    return np.conj(_mT(x))


# ------------------------------------------------------------------ matmul


def _matmul_ref(
    a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, output_type=None
):
    a = _mT(a) if transpose_a else _mH(a) if adjoint_a else a
    b = _mT(b) if transpose_b else _mH(b) if adjoint_b else b
    out = np.matmul(a, b)
    return out.astype(output_type.as_numpy_dtype) if output_type is not None else out


def _matmul_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 3), m(3, 4)]),
        Sample([m(3, 2), m(3, 4)], {"transpose_a": True}),
        Sample([m(2, 3), m(4, 3)], {"transpose_b": True}),
        Sample([m(3, 2), m(4, 3)], {"adjoint_a": True, "adjoint_b": True}),
        Sample([m(2, 2, 3), m(3, 4)]),
        Sample([m(2, 1, 2, 3), m(3, 4, 3)], {"adjoint_b": True}),
        Sample([m(3, 2, 3), m(3, 2, 4)], {"transpose_a": True}),
        Sample([m(0, 3), m(3, 2)]),
        Sample([m(2, 0), m(0, 3)]),
    ]


def _matmul_int8_samples(rng, dt):
    return [
        Sample(
            [make(rng, (2, 3), dt, -5, 5), make(rng, (3, 4), dt, -5, 5)], {"output_type": tf.int32}
        ),
        Sample(
            [make(rng, (2, 2, 3), dt, -5, 5), make(rng, (3, 4), dt, -5, 5)],
            {"output_type": tf.int32},
        ),
    ]


def _matvec_samples(rng, dt):
    return [
        Sample([make(rng, (2, 3), dt), make(rng, (3,), dt)]),
        Sample([make(rng, (2, 3, 2), dt), make(rng, (2, 3), dt)], {"adjoint_a": True}),
    ]


def _matvec_ref(a, b, transpose_a=False, adjoint_a=False):
    return _matmul_ref(a, b[..., None], transpose_a, adjoint_a=adjoint_a)[..., 0]


def _tensordot_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 3), m(3, 4)], {"axes": 1}),
        Sample([m(2, 3, 4), m(4, 3, 5)], {"axes": [[1, 2], [1, 0]]}),
        Sample(
            [
                m(2, 3),
                m(
                    4,
                ),
            ],
            {"axes": 0},
        ),
        Sample([m(2, 3), m(2, 3)], {"axes": 2}),
    ]


def _transpose_samples(rng, dt):
    return [Sample([make(rng, (2, 3), dt)]), Sample([make(rng, (2, 3, 4), dt)])]


# ------------------------------------------------------------------ band and diagonals


def _band_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(4, 4), 1, 0]),
        Sample([m(3, 5), -1, 2]),
        Sample([m(2, 4, 3), 0, -1]),
        Sample([m(3, 3), -1, -1]),
        Sample([m(0, 3), 0, 0]),
    ]


def _band_ref(x, lo, hi):
    m, n = x.shape[-2:]
    r, c = np.arange(m)[:, None], np.arange(n)[None, :]
    keep = ((lo < 0) | (r - c <= lo)) & ((hi < 0) | (c - r <= hi))
    return np.where(keep, x, np.zeros((), x.dtype))


def _diag_len(rows, cols, k):
    return min(rows + min(0, k), cols - max(0, k))


def _offset(align, k, n, width):
    side = align.split("_")[0 if k >= 0 else 1]
    return width - n if side == "RIGHT" else 0


def _diag_ref(diagonal, k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    lo, hi = (k, k) if np.ndim(k) == 0 else tuple(k)
    d = diagonal if lo != hi else diagonal[..., None, :]
    width = d.shape[-1]
    if num_rows == -1 and num_cols == -1:
        num_rows = num_cols = max(width - min(hi, 0), width + max(lo, 0))
    elif num_rows == -1:
        num_rows = width - min(hi, 0)
    elif num_cols == -1:
        num_cols = width + max(lo, 0)
    out = np.full(d.shape[:-2] + (num_rows, num_cols), padding_value, d.dtype)
    for i, kk in enumerate(range(hi, lo - 1, -1)):
        n = _diag_len(num_rows, num_cols, kk)
        off = _offset(align, kk, n, width)
        for j in range(n):
            out[..., j - min(kk, 0), j + max(kk, 0)] = d[..., i, off + j]
    return out


def _diag_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(3)]),
        Sample([m(2, 3)], {"k": 1}),
        Sample([m(3)], {"k": -1, "num_rows": 5}),
        Sample([m(2, 3)], {"k": (-1, 0)}),
        Sample([m(2, 3, 3)], {"k": (-1, 1), "padding_value": 7, "align": "LEFT_RIGHT"}),
        Sample([m(2, 3)], {"k": (0, 1), "num_rows": 3, "num_cols": 4, "align": "RIGHT_RIGHT"}),
        Sample([m(0)]),
    ]


def _diag_part_ref(x, k=0, padding_value=0, align="RIGHT_LEFT"):
    lo, hi = (k, k) if np.ndim(k) == 0 else tuple(k)
    rows, cols = x.shape[-2:]
    width = max(min(rows + min(0, hi), cols - max(0, lo)), 0)
    out = np.full(x.shape[:-2] + (hi - lo + 1, width), padding_value, x.dtype)
    for i, kk in enumerate(range(hi, lo - 1, -1)):
        n = _diag_len(rows, cols, kk)
        off = _offset(align, kk, n, width)
        for j in range(max(n, 0)):
            out[..., i, off + j] = x[..., j - min(kk, 0), j + max(kk, 0)]
    return out[..., 0, :] if lo == hi else out


def _diag_part_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(3, 3)]),
        Sample([m(3, 4)], {"k": 1}),
        Sample([m(2, 4, 3)], {"k": -2}),
        Sample([m(3, 4)], {"k": (-1, 2), "padding_value": 9}),
        Sample([m(4, 3)], {"k": (-2, 0), "align": "LEFT_LEFT"}),
        Sample([m(0, 3)]),
    ]


def _set_diag_ref(x, diagonal, k=0, align="RIGHT_LEFT"):
    lo, hi = (k, k) if np.ndim(k) == 0 else tuple(k)
    rows, cols = x.shape[-2:]
    d = diagonal if lo != hi else diagonal[..., None, :]
    width = d.shape[-1]
    out = x.copy()
    for i, kk in enumerate(range(hi, lo - 1, -1)):
        n = _diag_len(rows, cols, kk)
        off = _offset(align, kk, n, width)
        for j in range(max(n, 0)):
            out[..., j - min(kk, 0), j + max(kk, 0)] = d[..., i, off + j]
    return out


def _set_diag_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(3, 3), m(3)]),
        Sample([m(2, 3, 4), m(2, 3)], {"k": 1}),
        Sample([m(3, 4), m(3, 3)], {"k": (-1, 1), "align": "LEFT_RIGHT"}),
    ]


def _trace_samples(rng, dt):
    return [Sample([make(rng, (3, 3), dt)]), Sample([make(rng, (2, 3, 4), dt)])]


def _tensor_diag_samples(rng, dt):
    return [Sample([make(rng, (3,), dt)]), Sample([make(rng, (2, 3), dt)])]


def _tensor_diag_ref(x):
    return np.diag(x.reshape(-1)).reshape(x.shape + x.shape)


def _tensor_diag_part_samples(rng, dt):
    return [Sample([make(rng, (3, 3), dt)]), Sample([make(rng, (2, 3, 2, 3), dt)])]


def _tensor_diag_part_ref(x):
    h = x.ndim // 2
    n = int(np.prod(x.shape[:h]))
    return np.diagonal(x.reshape(n, n)).reshape(x.shape[:h])


def _cross_samples(rng, dt):
    return [
        Sample([make(rng, (3,), dt), make(rng, (3,), dt)]),
        Sample([make(rng, (2, 4, 3), dt), make(rng, (2, 4, 3), dt)]),
    ]


# ------------------------------------------------------------------ inverses and solvers


def _inv_samples(rng, dt):
    return [
        Sample([_square(rng, (3, 3), dt)]),
        Sample([_square(rng, (2, 3, 3), dt)]),
        Sample([_square(rng, (2, 2), dt)], {"adjoint": True}),
        Sample([_square(rng, (1, 1), dt)]),
    ]


def _inv_ref(x, adjoint=False):
    out = np.linalg.inv(x)
    return _mH(out) if adjoint else out


def _det_samples(rng, dt):
    return [
        Sample([_square(rng, (3, 3), dt)]),
        Sample([_square(rng, (2, 2, 2), dt)]),
        Sample([make(rng, (2, 0, 0), dt)], grad=False),
    ]


def _slogdet_ref(x):
    s, ld = np.linalg.slogdet(x)
    return s, ld


def _slogdet_fn(x):
    return tf.linalg.slogdet(x)


def _solve_samples(rng, dt):
    return [
        Sample([_square(rng, (3, 3), dt), make(rng, (3, 2), dt)]),
        Sample([_square(rng, (2, 3, 3), dt), make(rng, (2, 3, 1), dt)], {"adjoint": True}),
    ]


def _solve_ref(a, b, adjoint=False):
    return np.linalg.solve(_mH(a) if adjoint else a, b)


def _trsv_samples(rng, dt):
    lo = lambda s: np.tril(_square(rng, s, dt))  # noqa: E731
    up = lambda s: np.triu(_square(rng, s, dt))  # noqa: E731
    return [
        Sample([lo((3, 3)), make(rng, (3, 2), dt)]),
        Sample([up((3, 3)), make(rng, (3, 2), dt)], {"lower": False}),
        Sample([lo((2, 3, 3)), make(rng, (3, 1), dt)], {"adjoint": True}),
        Sample([up((3, 3)), make(rng, (2, 3, 2), dt)], {"lower": False, "adjoint": True}),
    ]


def _trsv_ref(a, b, lower=True, adjoint=False):
    a = np.tril(a) if lower else np.triu(a)
    a = _mH(a) if adjoint else a
    batch = np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    return np.linalg.solve(
        np.broadcast_to(a, batch + a.shape[-2:]), np.broadcast_to(b, batch + b.shape[-2:])
    )


def _chol_fn(x):
    return tf.linalg.cholesky(_sym(x))


def _spd_samples(rng, dt):
    return [Sample([_spd(rng, (3, 3), dt)]), Sample([_spd(rng, (2, 2, 2), dt)])]


def _chol_solve_samples(rng, dt):
    out = []
    for shape in ((3, 3), (2, 3, 3)):
        c = np.linalg.cholesky(_spd(rng, shape, dt)).astype(make(rng, (), dt).dtype)
        out.append(Sample([c, make(rng, shape[:-1] + (2,), dt)]))
    return out


def _chol_solve_ref(c, b):
    return np.linalg.solve(c @ _mH(c), b)


def _lstsq_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(5, 3), m(5, 2)]),
        Sample([m(3, 5), m(3, 2)]),
        Sample([m(2, 4, 3), m(2, 4, 1)], {"l2_regularizer": 0.5}),
        Sample([m(3, 4), m(3, 2)], {"l2_regularizer": 0.25}),
        Sample([m(5, 3), m(5, 2)], {"fast": False}),
        Sample([m(4, 3), m(4, 2)], {"fast": False, "l2_regularizer": 0.5}),
    ]


def _lstsq_ref(a, b, l2_regularizer=0.0, fast=True):
    if not fast:
        return np.linalg.pinv(a) @ b  # TensorFlow ignores the regularizer when fast=False
    ah = _mH(a)
    m, n = a.shape[-2:]
    if m >= n:
        return np.linalg.solve(ah @ a + l2_regularizer * np.eye(n), ah @ b)
    return ah @ np.linalg.solve(a @ ah + l2_regularizer * np.eye(m), b)


# ------------------------------------------------------------------ decompositions


def _qr_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(4, 3)]),
        Sample([m(3, 3)]),
        Sample([m(2, 4, 2)]),
        Sample([m(3, 3)], {"full_matrices": True}),
        Sample([m(4, 3)], {"full_matrices": True}, grad=False),
        Sample([m(2, 4)]),
        Sample([m(2, 2, 3)]),
    ]


def _qr_ref(x, full_matrices=False):
    return np.linalg.qr(x, mode="complete" if full_matrices else "reduced")


def _svd_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(4, 3)]),
        Sample([m(3, 3)]),
        Sample([m(2, 4)]),
        Sample([m(2, 3, 2)]),
        Sample([m(4, 3)], {"compute_uv": False}),
        Sample([m(3, 3)], {"full_matrices": True}),
    ]


def _svd_ref(x, full_matrices=False, compute_uv=True):
    if not compute_uv:
        return np.linalg.svd(x, compute_uv=False)
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return s, u, _mH(vh)


def _eigh_fn(x):
    return tf.linalg.eigh(_sym(x))


def _eigh_ref(x):
    return np.linalg.eigh((x + _mH(x)) / 2)


def _eigvalsh_fn(x):
    return tf.linalg.eigvalsh(_sym(x))


def _eig_samples(rng, dt):
    # Upper-triangular plus a small perturbation: distinct, well separated eigenvalues.
    out = []
    for shape in ((3, 3), (2, 3, 3)):
        base = np.triu(make(rng, shape, dt, -1, 1)) + np.diag(np.arange(1.0, shape[-1] + 1) * 2)
        x = base + 0.05 * make(rng, shape, dt, -1, 1)
        out.append(Sample([x.astype(make(rng, (), dt).dtype)]))
    return out


def _lu_samples(rng, dt):
    return [
        Sample([make(rng, (3, 3), dt, -1, 1) + np.diag([0.1, 0.2, 0.3]).astype(dt.as_numpy_dtype)]),
        Sample([_square(rng, (2, 3, 3), dt)]),
    ]


def _lu_ref(x):
    flat = x.reshape((-1,) + x.shape[-2:])
    lus, perms = [], []
    for a in flat:
        p, low, up = scipy.linalg.lu(a)  # a = p @ low @ up
        lus.append(np.tril(low, -1) + up)
        perms.append(np.argmax(p.T, axis=1).astype(np.int32))
    return np.stack(lus).reshape(x.shape), np.stack(perms).reshape(x.shape[:-1])


def _lu_solve_fn(a, b):
    lu, p = tf.linalg.lu(a)
    return tf.linalg.lu_solve(lu, p, b)


def _lu_inv_fn(a):
    lu, p = tf.linalg.lu(a)
    return tf.linalg.lu_matrix_inverse(lu, p)


def _lu_reconstruct_fn(a):
    lu, p = tf.linalg.lu(a)
    return tf.linalg.lu_reconstruct(lu, p)


def _expm_samples(rng, dt):
    return [Sample([make(rng, (3, 3), dt, -1, 1)]), Sample([make(rng, (2, 2, 2), dt, -1, 1)])]


def _sqrtm_samples(rng, dt):
    return [Sample([_spd(rng, (3, 3), dt)])]


def _pinv_samples(rng, dt):
    return [Sample([make(rng, (4, 3), dt)]), Sample([make(rng, (2, 2, 3), dt)])]


# ------------------------------------------------------------------ norms


def _norm_samples(rng, dt):
    m = lambda *s: make(rng, s, dt)  # noqa: E731
    return [
        Sample([m(2, 3)]),
        Sample([m(2, 3)], {"axis": 1}),
        Sample([m(2, 3)], {"ord": 1, "axis": 0, "keepdims": True}),
        Sample([m(2, 3)], {"ord": np.inf, "axis": -1}),
        Sample([m(4)], {"ord": 3}),
        Sample([m(2, 3, 2)], {"ord": "fro", "axis": (1, 2)}),
        Sample([m(2, 3, 2)], {"ord": 1, "axis": [0, 2]}),
        Sample([m(3, 2)], {"ord": np.inf, "axis": (0, 1), "keepdims": True}),
        Sample([m(2, 3, 2)], {"ord": 2, "axis": (-2, -1)}),
        Sample([m(2, 3)], {"keepdims": True}),
    ]


def _norm_ref(x, ord="euclidean", axis=None, keepdims=False):
    if axis is None:
        out = np.linalg.norm(x.reshape(-1), None if ord == "euclidean" else ord)
        return np.reshape(out, [1] * x.ndim) if keepdims else out
    if isinstance(axis, (list, tuple)):
        o = "fro" if ord == "euclidean" else ord
        return np.linalg.norm(x, o, axis=tuple(axis), keepdims=bool(keepdims))
    return np.linalg.norm(
        x, None if ord == "euclidean" else ord, axis=axis, keepdims=bool(keepdims)
    )


def _global_norm_fn(*ts):
    return tf.linalg.global_norm([tf.constant(t) if isinstance(t, np.ndarray) else t for t in ts])


def _global_norm_samples(rng, dt):
    return [
        Sample([make(rng, (2, 3), dt), make(rng, (4,), dt)]),
        Sample([make(rng, (3,), dt), None, make(rng, (), dt)]),
    ]


def _global_norm_ref(*ts):
    return np.sqrt(sum(np.sum(np.abs(t) ** 2) for t in ts if t is not None))


# ------------------------------------------------------------------ tridiagonal


def _tri_dense(d3):
    m = d3.shape[-1]
    out = np.zeros(d3.shape[:-2] + (m, m), d3.dtype)
    i = np.arange(m)
    out[..., i, i] = d3[..., 1, :]
    out[..., i[:-1], i[1:]] = d3[..., 0, :-1]
    out[..., i[1:], i[:-1]] = d3[..., 2, 1:]
    return out


def _tri(rng, shape, dt):
    d3 = make(rng, shape, dt, -1, 1)
    d3[..., 1, :] += 4  # diagonally dominant
    return d3


def _tri_seq_mm(sup, main, sub, rhs):
    return tf.linalg.tridiagonal_matmul((sup, main, sub), rhs, diagonals_format="sequence")


def _tri_seq_mm_ref(sup, main, sub, rhs):
    return _tri_dense(np.stack([sup, main, sub], -2)) @ rhs


def _tri_mm_samples(rng, dt):
    return [
        Sample([_tri(rng, (3, 4), dt), make(rng, (4, 2), dt)]),
        Sample([_tri(rng, (2, 3, 4), dt), make(rng, (2, 4, 3), dt)]),
    ]


def _tri_mm_matrix(m, rhs):
    return tf.linalg.tridiagonal_matmul(m, rhs, diagonals_format="matrix")


def _tri_solve_samples(rng, dt):
    return [
        Sample([_tri(rng, (3, 4), dt), make(rng, (4, 2), dt)]),
        Sample([_tri(rng, (2, 3, 3), dt), make(rng, (2, 3), dt)]),
        Sample([_tri(rng, (3, 4), dt), make(rng, (2, 4), dt)], {"transpose_rhs": True}),
        Sample([_tri(rng, (3, 3), dt), make(rng, (3, 1), dt)], {"partial_pivoting": False}),
    ]


def _tri_solve_ref(d3, rhs, transpose_rhs=False, partial_pivoting=True):
    if rhs.ndim == d3.ndim - 1:
        return np.linalg.solve(_tri_dense(d3), rhs[..., None])[..., 0]
    return np.linalg.solve(_tri_dense(d3), _mT(rhs) if transpose_rhs else rhs)


def _tri_solve_matrix(m, rhs):
    return tf.linalg.tridiagonal_solve(m, rhs, diagonals_format="matrix")


def _banded_ref(bands, rhs, lower=True, adjoint=False):
    k1, m = bands.shape[-2:]
    a = np.zeros(bands.shape[:-2] + (m, m), bands.dtype)
    for r in range(m):
        for k in range(k1):
            if lower and r - k >= 0:
                a[..., r, r - k] = bands[..., k, r]
            if not lower and r + k < m:
                a[..., r, r + k] = bands[..., k1 - 1 - k, r]
    a = _mH(a) if adjoint else a
    return np.linalg.solve(a, np.broadcast_to(rhs, a.shape[:-2] + rhs.shape[-2:]))


def _banded_samples(rng, dt):
    def bands(shape, lower):
        b = make(rng, shape, dt, -1, 1)
        b[..., 0 if lower else -1, :] += 4
        return b

    return [
        Sample([bands((2, 4), True), make(rng, (4, 2), dt)]),
        Sample([bands((3, 4), False), make(rng, (4, 1), dt)], {"lower": False}),
        Sample([bands((2, 1, 4), True), make(rng, (2, 4, 2), dt)], {"adjoint": True}),
        Sample([bands((1, 3), False), make(rng, (3, 2), dt)], {"lower": False}),
    ]


def _eigh_tri_ref(alpha, beta, eigvals_only=True, select="a", select_range=None):
    dense = np.diag(alpha) + np.diag(beta, 1) + np.diag(np.conj(beta), -1)
    e = np.linalg.eigvalsh(dense)
    return e[select_range[0] : select_range[1] + 1] if select == "i" else e


def _eigh_tri_samples(rng, dt):
    return [
        Sample([make(rng, (4,), dt), make(rng, (3,), dt)]),
        Sample([make(rng, (5,), dt), make(rng, (4,), dt)], {"select": "i", "select_range": [1, 3]}),
    ]


OPS = [
    OpInfo(
        "linalg.matmul",
        tf.linalg.matmul,
        _matmul_ref,
        FLOAT + (tf.int32, tf.int64) + COMPLEX,
        samples=_matmul_samples,
        grad2=True,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.matmul_int8",
        tf.matmul,
        _matmul_ref,
        (tf.int8,),
        samples=_matmul_int8_samples,
        result_dtype=lambda d: tf.int32,
        grad=False,
    ),
    OpInfo(
        "raw.BatchMatMulV3",
        lambda a, b: linalg_ops.BatchMatMulV3(a, b, Tout=a.dtype),
        np.matmul,
        FLOAT32_64,
        samples=lambda rng, dt: _matmul_samples(rng, dt)[4:6][:1],
    ),
    OpInfo(
        "linalg.matvec", tf.linalg.matvec, _matvec_ref, F64C, samples=_matvec_samples, tol=LOOSE
    ),
    OpInfo(
        "tensordot",
        tf.tensordot,
        lambda a, b, axes: np.tensordot(a, b, axes),
        F64C,
        samples=_tensordot_samples,
        tol=LOOSE,
    ),
    OpInfo("linalg.adjoint", tf.linalg.adjoint, _mH, F64C, samples=_transpose_samples),
    OpInfo(
        "linalg.matrix_transpose",
        tf.linalg.matrix_transpose,
        _mT,
        F64C + (tf.int32,),
        samples=_transpose_samples,
    ),
    OpInfo(
        "linalg.band_part",
        tf.linalg.band_part,
        _band_ref,
        FLOAT32_64 + (tf.int32, tf.bool) + COMPLEX,
        samples=_band_samples,
    ),
    OpInfo(
        "linalg.diag",
        tf.linalg.diag,
        _diag_ref,
        FLOAT32_64 + (tf.int32,) + COMPLEX,
        samples=_diag_samples,
    ),
    OpInfo(
        "linalg.diag_part",
        tf.linalg.diag_part,
        _diag_part_ref,
        FLOAT32_64 + (tf.int32,) + COMPLEX,
        samples=_diag_part_samples,
    ),
    OpInfo(
        "linalg.set_diag",
        tf.linalg.set_diag,
        _set_diag_ref,
        FLOAT32_64 + (tf.int32,) + COMPLEX,
        samples=_set_diag_samples,
    ),
    OpInfo(
        "linalg.trace",
        tf.linalg.trace,
        lambda x: np.trace(x, axis1=-2, axis2=-1),
        F64C + (tf.int32,),
        samples=_trace_samples,
    ),
    OpInfo(
        "linalg.tensor_diag",
        tf.linalg.tensor_diag,
        _tensor_diag_ref,
        F64C + (tf.int32,),
        samples=_tensor_diag_samples,
    ),
    OpInfo(
        "linalg.tensor_diag_part",
        tf.linalg.tensor_diag_part,
        _tensor_diag_part_ref,
        F64C + (tf.int32,),
        samples=_tensor_diag_part_samples,
    ),
    OpInfo(
        "linalg.cross",
        tf.linalg.cross,
        lambda a, b: np.cross(a, b),
        FLOAT32_64 + (tf.int32,),
        samples=_cross_samples,
    ),
    OpInfo(
        "linalg.inv",
        tf.linalg.inv,
        _inv_ref,
        F64C + (tf.float16,),
        samples=_inv_samples,
        grad2=True,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.det",
        tf.linalg.det,
        np.linalg.det,
        F64C,
        samples=_det_samples,
        grad2=True,
        tol=LOOSE,
    ),
    OpInfo("linalg.slogdet", _slogdet_fn, _slogdet_ref, F64C, samples=_det_samples, tol=LOOSE),
    OpInfo(
        "linalg.logdet",
        lambda x: tf.linalg.logdet(_sym(x)),
        lambda x: np.linalg.slogdet(x)[1],
        FLOAT32_64 + COMPLEX,
        samples=_spd_samples,
        tol=LOOSE,
    ),
    OpInfo("linalg.solve", tf.linalg.solve, _solve_ref, F64C, samples=_solve_samples, tol=LOOSE),
    OpInfo(
        "linalg.triangular_solve",
        tf.linalg.triangular_solve,
        _trsv_ref,
        F64C,
        samples=_trsv_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.cholesky",
        _chol_fn,
        lambda x: np.linalg.cholesky((x + _mH(x)) / 2),
        F64C,
        samples=_spd_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.cholesky_solve",
        tf.linalg.cholesky_solve,
        _chol_solve_ref,
        F64C,
        samples=_chol_solve_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.lstsq",
        tf.linalg.lstsq,
        _lstsq_ref,
        F64C,
        samples=_lstsq_samples,
        tol={**LOOSE, tf.float32: (1e-3, 1e-3), tf.complex64: (1e-3, 1e-3)},
    ),
    OpInfo("linalg.qr", tf.linalg.qr, _qr_ref, F64C, samples=_qr_samples, tol=LOOSE),
    OpInfo("linalg.svd", tf.linalg.svd, _svd_ref, FLOAT32_64, samples=_svd_samples, tol=LOOSE),
    OpInfo(
        "linalg.svd_complex",
        tf.linalg.svd,
        _svd_ref,
        COMPLEX,
        samples=_svd_samples,
        tol=LOOSE,
        grad=False,
    ),
    OpInfo(
        "linalg.pinv", tf.linalg.pinv, np.linalg.pinv, FLOAT32_64, samples=_pinv_samples, tol=LOOSE
    ),
    OpInfo("linalg.eigh", _eigh_fn, _eigh_ref, F64C, samples=_spd_samples, tol=LOOSE),
    OpInfo(
        "linalg.eigvalsh",
        _eigvalsh_fn,
        lambda x: np.linalg.eigvalsh((x + _mH(x)) / 2),
        F64C,
        samples=_spd_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.eig",
        tf.linalg.eig,
        np.linalg.eig,
        F64C,
        samples=_eig_samples,
        tol=LOOSE,
        result_dtype=lambda d: tf.complex128 if d in (tf.float64, tf.complex128) else tf.complex64,
    ),
    OpInfo(
        "linalg.eigvals",
        tf.linalg.eigvals,
        np.linalg.eigvals,
        F64C,
        samples=_eig_samples,
        tol=LOOSE,
        result_dtype=lambda d: tf.complex128 if d in (tf.float64, tf.complex128) else tf.complex64,
    ),
    OpInfo(
        "linalg.expm",
        tf.linalg.expm,
        lambda x: np.stack([scipy.linalg.expm(m) for m in x.reshape((-1,) + x.shape[-2:])]).reshape(
            x.shape
        ),
        F64C,
        samples=_expm_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.sqrtm",
        tf.linalg.sqrtm,
        lambda x: np.real_if_close(scipy.linalg.sqrtm(x)),
        FLOAT32_64,
        samples=_sqrtm_samples,
        tol=LOOSE,
    ),
    OpInfo("linalg.lu", tf.linalg.lu, _lu_ref, F64C, samples=_lu_samples, tol=LOOSE),
    OpInfo(
        "linalg.lu_solve",
        _lu_solve_fn,
        np.linalg.solve,
        F64C,
        tol=LOOSE,
        samples=lambda rng, dt: [Sample([_square(rng, (3, 3), dt), make(rng, (3, 2), dt)])],
    ),
    OpInfo(
        "linalg.lu_matrix_inverse",
        _lu_inv_fn,
        np.linalg.inv,
        F64C,
        tol=LOOSE,
        samples=lambda rng, dt: [Sample([_square(rng, (2, 3, 3), dt)])],
    ),
    OpInfo(
        "linalg.lu_reconstruct",
        _lu_reconstruct_fn,
        lambda x: x,
        F64C,
        tol=LOOSE,
        samples=lambda rng, dt: [Sample([_square(rng, (3, 3), dt)])],
    ),
    OpInfo(
        "linalg.logm",
        tf.linalg.logm,
        lambda x: np.stack(
            [scipy.linalg.logm(m, disp=False)[0] for m in x.reshape((-1,) + x.shape[-2:])]
        ).reshape(x.shape),
        COMPLEX,
        samples=lambda rng, dt: _spd_samples(rng, dt)[1:],
        tol=LOOSE,
        grad=False,
    ),
    OpInfo(
        "linalg.matrix_rank",
        tf.linalg.matrix_rank,
        np.linalg.matrix_rank,
        FLOAT32_64,
        result_dtype=lambda d: tf.int32,
        grad=False,
        samples=lambda rng, dt: [
            Sample([make(rng, (3, 4), dt)]),
            Sample([np.ones((2, 3, 3), dt.as_numpy_dtype)]),
            Sample([make(rng, (3, 2), dt) @ make(rng, (2, 3), dt)]),
        ],
    ),
    OpInfo(
        "linalg.normalize",
        tf.linalg.normalize,
        lambda x, ord="euclidean", axis=None: (
            x / _norm_ref(x, ord, axis, True),
            _norm_ref(x, ord, axis, True),
        ),
        FLOAT32_64,
        tol=LOOSE,
        samples=lambda rng, dt: [
            Sample([make(rng, (2, 3), dt)], {"axis": 1}),
            Sample([make(rng, (2, 3), dt)], {"ord": 1}),
        ],
    ),
    OpInfo("norm", tf.norm, _norm_ref, FLOAT32_64, samples=_norm_samples, tol=LOOSE),
    OpInfo(
        "norm_complex",
        tf.linalg.norm,
        _norm_ref,
        COMPLEX,
        samples=_norm_samples,
        tol=LOOSE,
        result_dtype=lambda d: d.real_dtype,
        grad=False,
    ),
    OpInfo(
        "linalg.global_norm",
        _global_norm_fn,
        _global_norm_ref,
        FLOAT32_64,
        samples=_global_norm_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.tridiagonal_matmul",
        tf.linalg.tridiagonal_matmul,
        lambda d3, rhs: _tri_dense(d3) @ rhs,
        F64C,
        samples=_tri_mm_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.tridiagonal_matmul_sequence",
        _tri_seq_mm,
        _tri_seq_mm_ref,
        FLOAT32_64,
        tol=LOOSE,
        samples=lambda rng, dt: [
            Sample(list(np.moveaxis(_tri(rng, (3, 4), dt), -2, 0)) + [make(rng, (4, 2), dt)])
        ],
    ),
    OpInfo(
        "linalg.tridiagonal_matmul_matrix",
        _tri_mm_matrix,
        lambda m, rhs: (
            _tri_dense(
                np.stack(
                    [
                        np.pad(np.diagonal(m, 1), (0, 1)),
                        np.diagonal(m),
                        np.pad(np.diagonal(m, -1), (1, 0)),
                    ]
                )
            )
            @ rhs
        ),
        FLOAT32_64,
        tol=LOOSE,
        samples=lambda rng, dt: [Sample([make(rng, (4, 4), dt), make(rng, (4, 2), dt)])],
    ),
    OpInfo(
        "linalg.tridiagonal_solve",
        tf.linalg.tridiagonal_solve,
        _tri_solve_ref,
        F64C,
        samples=_tri_solve_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.tridiagonal_solve_matrix",
        _tri_solve_matrix,
        lambda m, rhs: np.linalg.solve(np.triu(np.tril(m, 1), -1), rhs),
        FLOAT32_64,
        tol=LOOSE,
        samples=lambda rng, dt: [Sample([_square(rng, (4, 4), dt), make(rng, (4, 2), dt)])],
    ),
    OpInfo(
        "linalg.banded_triangular_solve",
        tf.linalg.banded_triangular_solve,
        _banded_ref,
        F64C,
        samples=_banded_samples,
        tol=LOOSE,
    ),
    OpInfo(
        "linalg.eigh_tridiagonal",
        tf.linalg.eigh_tridiagonal,
        _eigh_tri_ref,
        FLOAT32_64,
        samples=_eigh_tri_samples,
        tol=LOOSE,
    ),
]
