"""tf.linalg behaviour the harness rows do not cover: TensorFlow's errors and messages, result
structures, operators and the public names (values were taken from TensorFlow 2.21)."""

import numpy as np
import pytest

import tensorflux as tf


def _raises(cls, match, fn):
    with pytest.raises(cls, match=match):
        fn()


def test_matmul_errors():
    E = tf.errors.InvalidArgumentError
    _raises(
        E,
        r"Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[4,5\] \[Op:MatMul\]",
        lambda: tf.matmul(tf.ones([2, 3]), tf.ones([4, 5])),
    )
    _raises(
        E,
        r"In\[0\] and In\[1\] has different ndims: \[3\] vs. \[3,5\]",
        lambda: tf.matmul(tf.ones([3]), tf.ones([3, 5])),
    )
    _raises(
        E,
        r"In\[0\] and In\[1\] ndims must be == 2: 1",
        lambda: tf.matmul(tf.ones([3]), tf.ones([3])),
    )
    _raises(
        E,
        r"must have compatible batch dimensions: \[2,2,3\] vs. \[3,3,5\] "
        r"\[Op:BatchMatMulV2\]",
        lambda: tf.matmul(tf.ones([2, 2, 3]), tf.ones([3, 3, 5])),
    )
    _raises(
        E, r"In\[1\] ndims must be >= 2: 1", lambda: tf.matmul(tf.ones([2, 2, 3]), tf.ones([3]))
    )
    _raises(
        E,
        "expected to be a float tensor but is a double tensor",
        lambda: tf.matmul(tf.ones([2, 3]), tf.ones([3, 5], tf.float64)),
    )
    _raises(
        E,
        "Value for attr 'T' of int8 is not in the list of allowed values: bfloat16, half, "
        "float, double, int32, int64, uint8, uint16, uint32, uint64, complex64, complex128",
        lambda: tf.matmul(tf.ones([2, 3], tf.int8), tf.ones([3, 5], tf.int8)),
    )
    _raises(
        ValueError,
        "Only one of `transpose_a` and `adjoint_a` can be True",
        lambda: tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]), transpose_a=True, adjoint_a=True),
    )
    _raises(
        tf.errors.NotFoundError,
        "BatchMatMulV3",
        lambda: tf.matmul(tf.ones([2, 3]), tf.ones([3, 5]), output_type=tf.float64),
    )


def test_matmul_output_type_and_operators():
    a = tf.constant([[1, 2], [3, 4]], tf.int8)
    out = tf.matmul(a, a, output_type=tf.int32)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [[7, 10], [15, 22]])
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal((x @ x).numpy(), [[7.0, 10.0], [15.0, 22.0]])
    r = np.eye(2, dtype=np.float32) @ x  # __rmatmul__
    assert isinstance(r, tf.Tensor)
    np.testing.assert_array_equal(r.numpy(), x.numpy())
    c = tf.constant([[1 + 1j, 2], [0, 1j]], tf.complex64)
    want = np.conj(c.numpy()).T @ c.numpy()
    np.testing.assert_allclose(tf.matmul(c, c, adjoint_a=True).numpy(), want)
    np.testing.assert_allclose(tf.matmul(c, c, transpose_a=True).numpy(), c.numpy().T @ c.numpy())


def test_decomposition_errors():
    E = tf.errors.InvalidArgumentError
    _raises(
        E,
        r"^Input is not invertible. \[Op:MatrixInverse\]",
        lambda: tf.linalg.inv(tf.zeros([2, 2])),
    )
    _raises(
        E,
        r"Input matrix must be square. \[Op:MatrixInverse\]",
        lambda: tf.linalg.inv(tf.zeros([2, 3])),
    )
    _raises(
        E,
        r"Input tensor 0 must have rank >= 2, got 1 \[Op:MatrixDeterminant\]",
        lambda: tf.linalg.det(tf.zeros([3])),
    )
    _raises(
        E,
        r"Input matrix is not invertible. \[Op:MatrixSolve\]",
        lambda: tf.linalg.solve(tf.zeros([2, 2]), tf.ones([2, 1])),
    )
    _raises(
        E,
        r"Input matrix and rhs are incompatible.",
        lambda: tf.linalg.solve(tf.eye(2), tf.ones([3, 1])),
    )
    _raises(
        E,
        r"All input tensors must have the same outer dimensions.",
        lambda: tf.linalg.solve(tf.ones([2, 2, 2]), tf.ones([3, 2, 1])),
    )
    _raises(
        E,
        r"Input matrix must be square. \[Op:Cholesky\]",
        lambda: tf.linalg.cholesky(tf.ones([2, 3])),
    )
    _raises(E, r"Input is not invertible. \[Op:Lu\]", lambda: tf.linalg.lu(tf.zeros([2, 2])))
    _raises(
        E,
        r"In\[0\] mismatch In\[1\] shape: 2 vs. 3: \[2,2\] \[3,1\] 1 0",
        lambda: tf.linalg.triangular_solve(tf.ones([2, 2]), tf.ones([3, 1])),
    )
    _raises(
        E,
        "Value for attr 'T' of int32 is not in the list of allowed values: double, float, "
        "half, complex64, complex128",
        lambda: tf.linalg.inv(tf.ones([2, 2], tf.int32)),
    )
    _raises(
        E,
        r"Input matrix must be square. \[Op:SelfAdjointEigV2\]",
        lambda: tf.linalg.eigh(tf.ones([2, 3])),
    )


def test_structure_errors():
    E = tf.errors.InvalidArgumentError
    _raises(
        tf.errors.FailedPreconditionError,
        r"Cross-products are only defined for 3-element vectors. \[Op:Cross\]",
        lambda: tf.linalg.cross(tf.ones([2]), tf.ones([2])),
    )
    _raises(
        E,
        r"Both inputs must be of same shape: \[2,3\] vs. \[3\]",
        lambda: tf.linalg.cross(tf.ones([2, 3]), tf.ones([3])),
    )
    _raises(
        E,
        r"input must be at least 2-dim, received shape: \[3\] \[Op:MatrixBandPart\]",
        lambda: tf.linalg.band_part(tf.ones([3]), 1, 1),
    )
    _raises(
        E,
        r"num_lower must be negative or less or equal to number of rows \(3\) got: 4",
        lambda: tf.linalg.band_part(tf.ones([3, 3]), 4, 1),
    )
    _raises(
        E,
        r"input must be at least 2-dim, received shape: \[3\] \[Op:MatrixDiagPartV3\]",
        lambda: tf.linalg.diag_part(tf.ones([3])),
    )
    _raises(
        E,
        r"Invalid shape \[2,3\]: dimensions 0 and 1 do not match.",
        lambda: tf.linalg.tensor_diag_part(tf.ones([2, 3])),
    )
    _raises(
        E,
        "The number of rows or columns is not consistent",
        lambda: tf.linalg.diag(
            tf.ones([2, 2]), k=(0, 1), num_rows=3, num_cols=4, align="LEFT_LEFT"
        ),
    )
    _raises(
        ValueError,
        "Expected 3 diagonals got 2",
        lambda: tf.linalg.tridiagonal_solve(tf.ones([2, 3]), tf.ones([3, 1])),
    )
    _raises(
        ValueError,
        "`axes` must not be larger than the number of dimensions",
        lambda: tf.tensordot(tf.ones([2, 3]), tf.ones([3, 4]), 3),
    )


def test_norm_arguments():
    x = tf.ones([2, 3])
    _raises(
        ValueError, "'ord' must be a supported vector norm, got fro", lambda: tf.norm(x, ord="fro")
    )
    _raises(
        ValueError,
        "'ord' must be a supported vector norm, got -1",
        lambda: tf.norm(x, ord=-1, axis=1),
    )
    _raises(
        ValueError,
        r"'ord' must be a supported matrix norm in \['euclidean', 'fro', 1, 2, "
        r"inf\], got -1",
        lambda: tf.norm(x, ord=-1, axis=[0, 1]),
    )
    _raises(
        ValueError,
        r"'axis' must be None, an integer, or a tuple of 2 unique integers",
        lambda: tf.norm(x, axis=[0, 1, 2]),
    )
    assert float(tf.norm(x, ord=0.5, axis=1)[0]) == pytest.approx(9.0)
    assert tf.norm(tf.constant([[1 + 1j, 2]]), ord=1, axis=1).dtype == tf.float64
    assert tf.norm(x, keepdims=True).shape == (1, 1)


def test_results_and_values():
    a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    s = tf.linalg.svd(a, compute_uv=False)
    assert isinstance(s, tf.Tensor) and s.shape == (2,)
    s, u, v = tf.linalg.svd(tf.ones([4, 3]))
    assert (s.shape, u.shape, v.shape) == ((3,), (4, 3), (3, 3))
    q, r = tf.linalg.qr(tf.ones([3, 2]))
    assert (q.shape, r.shape) == ((3, 2), (2, 2))
    sign, logabs = tf.linalg.slogdet(tf.zeros([2, 2]))
    assert float(sign) == 0.0 and float(logabs) == -np.inf
    lu, p = tf.linalg.lu(a)
    np.testing.assert_allclose(lu.numpy(), [[3.0, 4.0], [1 / 3, 2 / 3]], rtol=1e-6)
    np.testing.assert_array_equal(p.numpy(), [1, 0])
    assert tf.linalg.lu(a, output_idx_type=tf.int64).p.dtype == tf.int64
    e = tf.linalg.eigvals(tf.ones([2, 2], tf.float64))
    assert e.dtype == tf.complex128
    assert np.isnan(tf.linalg.cholesky(-tf.eye(2)).numpy()).any()
    assert float(tf.linalg.global_norm([])) == 0.0
    assert tf.linalg.matrix_rank(tf.ones([2, 3, 3])).dtype == tf.int32
    # fast=False ignores the regularizer, as TensorFlow does
    m = tf.constant([[2.0, 1.0], [1.0, 3.0], [0.0, 1.0]])
    b = tf.constant([[1.0], [2.0], [3.0]])
    np.testing.assert_allclose(
        tf.linalg.lstsq(m, b, l2_regularizer=0.5, fast=False).numpy(), [[-0.2], [1.0]], atol=1e-5
    )
    np.testing.assert_allclose(
        tf.linalg.lstsq(m, b, l2_regularizer=0.5).numpy(), [[-0.10457525], [0.9150328]], atol=1e-5
    )


def test_eigh_tridiagonal_selects_by_value():
    a, b = tf.constant([1.0, 2.0, 3.0, 4.0]), tf.constant([1.0, 1.0, 1.0])
    e = tf.linalg.eigh_tridiagonal(a, b, select="v", select_range=[0.5, 3.0])
    np.testing.assert_allclose(e.numpy(), [1.8227171], rtol=1e-5)
    e, v = tf.linalg.eigh_tridiagonal(a, b, eigvals_only=False, select="i", select_range=[0, 1])
    assert e.shape == (2,) and v.shape == (4, 2)
    _raises(ValueError, "'select' must be", lambda: tf.linalg.eigh_tridiagonal(a, b, select="x"))


def test_gradient_of_batched_matmul_broadcasts_back():
    a = tf.constant(np.ones((2, 1, 2, 3)))
    b = tf.constant(np.ones((4, 3, 5)))
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = tf.reduce_sum(tf.matmul(a, b))
    ga, gb = tape.gradient(y, [a, b])
    assert ga.shape == a.shape and gb.shape == b.shape
    np.testing.assert_allclose(ga.numpy(), np.full((2, 1, 2, 3), 20.0))
    np.testing.assert_allclose(gb.numpy(), np.full((4, 3, 5), 4.0))


TF_LINALG_IMPLEMENTED = [
    "adjoint",
    "band_part",
    "banded_triangular_solve",
    "einsum",
    "eigh_tridiagonal",
    "cholesky",
    "cholesky_solve",
    "cross",
    "det",
    "diag",
    "diag_part",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "expm",
    "eye",
    "global_norm",
    "inv",
    "l2_normalize",
    "logdet",
    "logm",
    "lstsq",
    "lu",
    "lu_matrix_inverse",
    "lu_reconstruct",
    "lu_solve",
    "matmul",
    "matrix_rank",
    "matrix_transpose",
    "matvec",
    "norm",
    "normalize",
    "pinv",
    "qr",
    "set_diag",
    "slogdet",
    "solve",
    "sqrtm",
    "svd",
    "tensor_diag",
    "tensor_diag_part",
    "tensordot",
    "trace",
    "triangular_solve",
    "tridiagonal_matmul",
    "tridiagonal_solve",
]


def test_public_names():
    for n in TF_LINALG_IMPLEMENTED:
        assert callable(getattr(tf.linalg, n)), n
    for n in ("matmul", "norm", "tensordot", "eig", "eigvals"):
        assert getattr(tf, n) is getattr(tf.linalg, n)
    assert tf.matrix_square_root is tf.linalg.sqrtm
    assert not hasattr(tf, "trace") and not hasattr(tf, "svd")
