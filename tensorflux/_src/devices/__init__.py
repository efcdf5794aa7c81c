"""Devices: where arrays live and which array module (`xp`) runs kernels on them.

The CPU device is NumPy. The GPU device is CuPy, imported the first time a GPU is asked for.
`TFX_FAKE_GPU=1` adds a test-only GPU:0 that keeps NumPy arrays but goes through the GPU code
paths (placement, copies, device names), so CI without a GPU still covers them.
"""

from __future__ import annotations

import os
from typing import Optional

from tensorflux._src.core.device import DeviceSpec, canonical_name
from tensorflux._src.devices.cpu import CPUDevice


class PhysicalDevice:
    """`tf.config.PhysicalDevice`: a name and a device type."""

    __slots__ = ("name", "device_type")

    def __init__(self, name: str, device_type: str):
        self.name = name
        self.device_type = device_type

    def __eq__(self, other):
        return (
            isinstance(other, PhysicalDevice)
            and other.name == self.name
            and other.device_type == self.device_type
        )

    def __hash__(self):
        return hash((self.name, self.device_type))

    def __repr__(self):
        return f"PhysicalDevice(name='{self.name}', device_type='{self.device_type}')"


CPU0 = CPUDevice(0)
_devices: dict[tuple, object] = {("CPU", 0): CPU0}
_gpus: Optional[list] = None


def _probe_gpus() -> list:
    """GPU devices, found once: CuPy with a CUDA device, or the fake one for tests."""
    global _gpus
    if _gpus is None:
        _gpus = []
        if os.environ.get("TFX_FAKE_GPU"):
            from tensorflux._src.devices.fake_gpu import FakeGPUDevice

            _gpus.append(FakeGPUDevice(0))
        elif not os.environ.get("TFX_NO_GPU"):
            try:
                from tensorflux._src.devices.gpu import GPUDevice, device_count

                _gpus.extend(GPUDevice(i) for i in range(device_count()))
            except Exception:  # no CuPy, no driver, no device: no GPU, nothing else changes
                pass
        for g in _gpus:
            _devices[("GPU", g.index)] = g
    return _gpus


def physical_devices(device_type: Optional[str] = None) -> list[PhysicalDevice]:
    out = []
    if device_type in (None, "CPU"):
        out.append(PhysicalDevice("/physical_device:CPU:0", "CPU"))
    if device_type in (None, "GPU"):
        out += [PhysicalDevice(f"/physical_device:GPU:{g.index}", "GPU") for g in _probe_gpus()]
    return out


def logical_cpus() -> list:
    return [d for k, d in sorted(_devices.items()) if k[0] == "CPU"]


def add_logical_cpus(n: int) -> None:
    """Splits the CPU into `n` logical devices (tf.config.set_logical_device_configuration)."""
    for i in range(1, n):
        _devices[("CPU", i)] = CPUDevice(i)


def lookup(spec: DeviceSpec):
    """The local Device a spec names; ValueError-free: unknown indices fall back as TF soft placement."""
    dtype = spec.device_type or "CPU"
    index = spec.device_index or 0
    if dtype == "GPU":
        _probe_gpus()
    dev = _devices.get((dtype, index))
    if dev is None:
        dev = _devices.get((dtype, 0)) or CPU0  # soft placement, as TensorFlow's default
    return dev


def default_device():
    gpus = _probe_gpus() if os.environ.get("TFX_DEFAULT_GPU") else []
    return gpus[0] if gpus else CPU0


__all__ = ["CPU0", "PhysicalDevice", "canonical_name", "lookup", "default_device"]
