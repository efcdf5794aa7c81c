"""Host-memory tuning at import (tensorflux/_src/core/memory.py)."""

import os
import subprocess
import sys

import pytest

_PROBE = "import tensorflux; from tensorflux._src.core import memory; print(memory.tuned)"


def _tuned(**env) -> str:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "TFX_MALLOC"))}
    full.update(env)
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, env=full, check=True
    )
    return out.stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_import_tunes_glibc_malloc_unless_told_not_to():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    assert _tuned() == "True"
    assert _tuned(TFX_MALLOC_TUNING="0") == "False"
    assert _tuned(MALLOC_TRIM_THRESHOLD_="1000000") == "False"  # the user's own tuning wins


_FAULTS = """
import resource
import numpy as np
import tensorflux

def step():  # a training step's pattern: several large buffers alive at once, then freed
    bufs = [np.ones(2 << 20, np.float32) for _ in range(6)]  # 6 x 8 MiB
    del bufs

step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(5):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(**env) -> int:
    full = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "TFX_MALLOC"))}
    full.update(env)
    out = subprocess.run(
        [sys.executable, "-c", _FAULTS], capture_output=True, text=True, env=full, check=True
    )
    return int(out.stdout.strip())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_freed_buffers_are_reused_without_page_faults():
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("not glibc")
    tuned, untuned = _faults(), _faults(TFX_MALLOC_TUNING="0")
    assert tuned < 1000, tuned
    assert untuned > 10 * max(tuned, 100), (tuned, untuned)  # ~12,000 faults a step untuned
