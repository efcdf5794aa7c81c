"""The CPU device: arrays are NumPy arrays and kernels run on NumPy."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core.device import canonical_name


class CPUDevice:
    device_type = "CPU"
    kernel_type = "CPU"  # key of per-device kernel overrides
    xp = np

    def __init__(self, index: int = 0):
        self.index = index
        self.name = canonical_name(None, "CPU", index)

    def to_host(self, array) -> np.ndarray:
        return array

    def from_host(self, array: np.ndarray):
        return array

    def copy_from(self, array, src) -> np.ndarray:
        """`array` (on device `src`) as an array of this device."""
        return src.to_host(array)

    def __repr__(self) -> str:
        return f"<Device {self.name}>"
