"""The thread count of NumPy's BLAS (OpenBLAS, or MKL), set through its C API.

`tf.config.threading.set_intra_op_parallelism_threads(n)` ("threads one op may use") maps here:
matrix products and convolutions are BLAS calls. Found by looking for the BLAS library the
process has loaded (NumPy's bundled `scipy_openblas`, a system OpenBLAS, or MKL); without one
the setting is recorded and has no effect.
"""

from __future__ import annotations

import ctypes
import functools

_SETTERS = (
    "scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads_64_",
    "openblas_set_num_threads64_", "openblas_set_num_threads", "MKL_Set_Num_Threads",
)  # fmt: skip
_GETTERS = (
    "scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads_64_",
    "openblas_get_num_threads64_", "openblas_get_num_threads", "MKL_Get_Max_Threads",
)  # fmt: skip


@functools.lru_cache(maxsize=1)
def _library():
    """(set_fn, get_fn) of the loaded BLAS, or (None, None)."""
    import numpy  # noqa: F401 - loads the BLAS library first

    paths = []
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.rsplit(" ", 1)[-1].strip()
                name = path.rsplit("/", 1)[-1].lower()
                if ("openblas" in name or "libmkl_rt" in name) and path not in paths:
                    paths.append(path)
    except OSError:
        return None, None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        setter = next((getattr(lib, s) for s in _SETTERS if hasattr(lib, s)), None)
        getter = next((getattr(lib, g) for g in _GETTERS if hasattr(lib, g)), None)
        if setter is not None:
            return setter, getter
    return None, None


def set_threads(n: int) -> bool:
    """Sets BLAS's thread count (n >= 1); returns whether a BLAS library took it."""
    setter, _ = _library()
    if setter is None or n < 1:
        return False
    setter(ctypes.c_int(int(n)))
    return True


def get_threads() -> int:
    """BLAS's current thread count (0 when unknown)."""
    _, getter = _library()
    if getter is None:
        return 0
    getter.restype = ctypes.c_int
    return int(getter())
