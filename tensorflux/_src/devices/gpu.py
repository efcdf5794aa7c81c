"""The GPU device: arrays are CuPy arrays; generic kernels run with xp=cupy.

Imported only when a GPU is first asked for, so `import tensorflux` never loads CuPy.
"""

from __future__ import annotations

import cupy  # noqa: F401 - ImportError here means "no GPU"

from tensorflux._src.core.device import canonical_name


def device_count() -> int:
    return cupy.cuda.runtime.getDeviceCount()


class GPUDevice:
    device_type = "GPU"
    kernel_type = "GPU"
    xp = cupy

    def __init__(self, index: int = 0, physical: int | None = None):
        self.index = index  # the logical index (GPU:<index>)
        self.physical = index if physical is None else physical  # the CUDA device it runs on
        self.name = canonical_name(None, "GPU", index)

    def to_host(self, array):
        return cupy.asnumpy(array)

    def from_host(self, array):
        with cupy.cuda.Device(self.physical):
            return cupy.asarray(array)

    def copy_from(self, array, src):
        if src.device_type == "GPU" and hasattr(array, "device"):
            with cupy.cuda.Device(self.physical):
                return cupy.asarray(array)  # peer copy
        return self.from_host(src.to_host(array))

    def __repr__(self) -> str:
        return f"<Device {self.name}>"
