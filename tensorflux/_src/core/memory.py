"""Host-memory tuning: keep freed kernel buffers in the heap for the next step to reuse.

CPU kernels allocate many multi-megabyte NumPy arrays per training step. glibc's malloc serves
blocks that size with a fresh `mmap` and gives them back with `munmap` when freed, so every step
page-faults its way through all of its buffers again (about 3,000 faults per step of the Keras
CNN benchmark, a fifth of its time). TensorFlow avoids this with its own pooling allocator.
tensorflux asks glibc instead to serve blocks up to 32 MiB from the heap and to keep up to
256 MiB of freed heap memory (`mallopt`), which brings the faults per step to a handful.

The tuning is process-wide, runs once at import, and is skipped when:
  - `TFX_MALLOC_TUNING=0` is set in the environment;
  - the user already tunes malloc through `MALLOC_MMAP_THRESHOLD_` / `MALLOC_TRIM_THRESHOLD_`;
  - the C library is not glibc (macOS, musl, Windows).
"""

from __future__ import annotations

import os
import sys

MMAP_THRESHOLD = 32 << 20  # glibc's largest accepted value on 64-bit systems
TRIM_THRESHOLD = 256 << 20
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

tuned = False


def tune_malloc() -> bool:
    """Applies the tuning described above once; returns whether malloc is tuned."""
    global tuned
    if tuned:
        return True
    if os.environ.get("TFX_MALLOC_TUNING", "1").strip() in ("0", "false", "False", "no"):
        return False
    if "MALLOC_MMAP_THRESHOLD_" in os.environ or "MALLOC_TRIM_THRESHOLD_" in os.environ:
        return False
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    tuned = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
    return tuned
