"""A test-only GPU:0 that runs NumPy kernels through the GPU device's code paths.

Every copy onto or off it makes a fresh array, so a kernel that forgets a copy or mixes devices
shows up in tests the same way it would with CuPy.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core.device import canonical_name


class FakeGPUDevice:
    device_type = "GPU"
    kernel_type = "CPU"  # generic NumPy kernels; GPU overrides need real CuPy
    xp = np

    def __init__(self, index: int = 0):
        self.index = index
        self.name = canonical_name(None, "GPU", index)

    def to_host(self, array):
        return np.array(array, copy=True) if isinstance(array, np.ndarray) else array

    def from_host(self, array):
        return np.array(array, copy=True) if isinstance(array, np.ndarray) else array

    def copy_from(self, array, src):
        return self.from_host(src.to_host(array))

    def __repr__(self) -> str:
        return f"<Device {self.name} (fake)>"
