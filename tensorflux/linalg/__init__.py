"""`tf.linalg`: matrix products, decompositions, solvers and norms."""

from tensorflux._src.ops.creation_ops import eye as eye
from tensorflux._src.ops.einsum_ops import einsum as einsum
from tensorflux._src.ops.linalg_decomp_ops import cholesky as cholesky
from tensorflux._src.ops.linalg_decomp_ops import cholesky_solve as cholesky_solve
from tensorflux._src.ops.linalg_decomp_ops import det as det
from tensorflux._src.ops.linalg_decomp_ops import inv as inv
from tensorflux._src.ops.linalg_decomp_ops import logdet as logdet
from tensorflux._src.ops.linalg_decomp_ops import lstsq as lstsq
from tensorflux._src.ops.linalg_decomp_ops import qr as qr
from tensorflux._src.ops.linalg_decomp_ops import slogdet as slogdet
from tensorflux._src.ops.linalg_decomp_ops import solve as solve
from tensorflux._src.ops.linalg_decomp_ops import triangular_solve as triangular_solve
from tensorflux._src.ops.linalg_norm_ops import cross as cross
from tensorflux._src.ops.linalg_norm_ops import global_norm as global_norm
from tensorflux._src.ops.linalg_norm_ops import norm as norm
from tensorflux._src.ops.linalg_norm_ops import tensor_diag as tensor_diag
from tensorflux._src.ops.linalg_norm_ops import tensor_diag_part as tensor_diag_part
from tensorflux._src.ops.linalg_ops import adjoint as adjoint
from tensorflux._src.ops.linalg_ops import band_part as band_part
from tensorflux._src.ops.linalg_ops import diag as diag
from tensorflux._src.ops.linalg_ops import diag_part as diag_part
from tensorflux._src.ops.linalg_ops import matmul as matmul
from tensorflux._src.ops.linalg_ops import matrix_transpose as matrix_transpose
from tensorflux._src.ops.linalg_ops import matvec as matvec
from tensorflux._src.ops.linalg_ops import set_diag as set_diag
from tensorflux._src.ops.linalg_ops import tensordot as tensordot
from tensorflux._src.ops.linalg_ops import trace as trace
from tensorflux._src.ops.linalg_spectral_ops import eig as eig
from tensorflux._src.ops.linalg_spectral_ops import eigh as eigh
from tensorflux._src.ops.linalg_spectral_ops import eigvals as eigvals
from tensorflux._src.ops.linalg_spectral_ops import eigvalsh as eigvalsh
from tensorflux._src.ops.linalg_spectral_ops import expm as expm
from tensorflux._src.ops.linalg_spectral_ops import lu as lu
from tensorflux._src.ops.linalg_spectral_ops import lu_matrix_inverse as lu_matrix_inverse
from tensorflux._src.ops.linalg_spectral_ops import lu_reconstruct as lu_reconstruct
from tensorflux._src.ops.linalg_spectral_ops import lu_solve as lu_solve
from tensorflux._src.ops.linalg_spectral_ops import pinv as pinv
from tensorflux._src.ops.linalg_spectral_ops import sqrtm as sqrtm
from tensorflux._src.ops.linalg_spectral_ops import svd as svd
from tensorflux._src.ops.reduction_ops import l2_normalize as l2_normalize
from tensorflux._src.ops.linalg_norm_ops import normalize as normalize
from tensorflux._src.ops.linalg_spectral_ops import logm as logm
from tensorflux._src.ops.linalg_spectral_ops import matrix_rank as matrix_rank
from tensorflux._src.ops.linalg_tridiag_ops import tridiagonal_matmul as tridiagonal_matmul
from tensorflux._src.ops.linalg_tridiag_ops import tridiagonal_solve as tridiagonal_solve
from tensorflux._src.ops.linalg_tridiag_ops import (
    banded_triangular_solve as banded_triangular_solve,
)
from tensorflux._src.ops.linalg_tridiag_ops import eigh_tridiagonal as eigh_tridiagonal
