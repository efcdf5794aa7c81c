"""Devices: where arrays live and which array module (`xp`) runs kernels on them.

The CPU device is NumPy. The GPU device is CuPy, imported the first time GPUs are probed (only
when CuPy is installed). `TFX_FAKE_GPU=1` adds a test-only GPU:0 that keeps NumPy arrays but
goes through the GPU code paths (placement, copies, device names), so CI without a GPU still
covers them; it becomes the default device only with `TFX_DEFAULT_GPU=1`.

Physical devices are what the machine has; logical devices are what ops run on. The logical set
is built once, the first time a tensor is made or logical devices are listed ("initialization",
as in TensorFlow); after that, visible devices and logical configurations are frozen.
"""

from __future__ import annotations

import importlib.util
import os
from typing import NamedTuple, Optional

from tensorflux._src.core import errors
from tensorflux._src.core.device import DeviceSpec, canonical_name
from tensorflux._src.devices.cpu import CPUDevice


class PhysicalDevice(NamedTuple):
    """`tf.config.PhysicalDevice`: a device of the machine, by name and type."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """`tf.config.LogicalDevice`: a device ops can be placed on, by name and type."""

    name: str
    device_type: str


class LogicalDeviceConfiguration(NamedTuple):
    """`tf.config.LogicalDeviceConfiguration`: how one logical device carves a physical one.

    Args:
      memory_limit: MiB of memory for the logical device (required for GPUs, refused for CPUs).
      experimental_priority: a stream priority (GPU only).
      experimental_device_ordinal: ordering among logical GPUs (GPU only).
    """

    memory_limit: Optional[int] = None
    experimental_priority: Optional[int] = None
    experimental_device_ordinal: Optional[int] = None


CPU0 = CPUDevice(0)
_CPU_PHYSICAL = PhysicalDevice("/physical_device:CPU:0", "CPU")
_devices: dict[tuple, object] = {("CPU", 0): CPU0}  # logical devices by (type, index)
_default = None  # the default device; None until initialization
_gpu_physical: Optional[list] = None  # (PhysicalDevice, factory(logical_index)) per GPU
_visible: Optional[list] = None  # visible physical devices; None: all
_virtual: dict = {}  # PhysicalDevice -> list of LogicalDeviceConfiguration
_memory_growth: dict = {}  # GPU PhysicalDevice -> bool or None


def _probe_gpus() -> list:
    """Physical GPUs with a factory for their logical devices, found once."""
    global _gpu_physical
    if _gpu_physical is None:
        found = []
        if os.environ.get("TFX_FAKE_GPU"):
            from tensorflux._src.devices.fake_gpu import FakeGPUDevice

            found.append(lambda i: FakeGPUDevice(i))
        elif not os.environ.get("TFX_NO_GPU") and importlib.util.find_spec("cupy") is not None:
            try:
                from tensorflux._src.devices.gpu import GPUDevice, device_count

                found.extend(
                    (lambda i, p=p: GPUDevice(i, physical=p)) for p in range(device_count())
                )
            except Exception:  # no driver or no device: no GPU, nothing else changes
                pass
        _gpu_physical = [
            (PhysicalDevice(f"/physical_device:GPU:{i}", "GPU"), f) for i, f in enumerate(found)
        ]
        for p, _ in _gpu_physical:
            _memory_growth.setdefault(p, None)
    return _gpu_physical


def physical_devices(device_type: Optional[str] = None) -> list[PhysicalDevice]:
    """Every physical device of the machine (or of one type), visible or not."""
    out = [_CPU_PHYSICAL] + [p for p, _ in _probe_gpus()]
    return [d for d in out if device_type is None or d.device_type == device_type]


def visible_devices(device_type: Optional[str] = None) -> list[PhysicalDevice]:
    vis = physical_devices() if _visible is None else _visible
    return [d for d in vis if device_type is None or d.device_type == device_type]


def set_visible(devices: list) -> None:
    global _visible
    _visible = list(devices)


def is_initialized() -> bool:
    return _default is not None


def initialize():
    """Builds the logical devices from the configuration (once) and returns the default device."""
    global _default
    if _default is not None:
        return _default
    n_cpu = len(_virtual.get(_CPU_PHYSICAL) or ()) or 1
    for i in range(1, n_cpu):
        _devices[("CPU", i)] = CPUDevice(i)
    gpu_index = 0
    visible = set(visible_devices("GPU"))
    for phys, factory in _probe_gpus():
        if phys not in visible:
            continue
        for _ in range(len(_virtual.get(phys) or ()) or 1):
            _devices[("GPU", gpu_index)] = factory(gpu_index)
            gpu_index += 1
    gpu0 = _devices.get(("GPU", 0))
    use_gpu = gpu0 is not None and (
        not os.environ.get("TFX_FAKE_GPU") or bool(os.environ.get("TFX_DEFAULT_GPU"))
    )
    _default = gpu0 if use_gpu else CPU0
    return _default


def default_device():
    """The device ops run on when nothing places them: GPU:0 when a GPU is visible, else CPU:0."""
    return _default or initialize()


def logical_devices(device_type: Optional[str] = None) -> list:
    """The Device objects ops can run on, CPUs first, each type in index order."""
    initialize()
    order = {"CPU": 0, "GPU": 1}
    keys = sorted(_devices, key=lambda k: (order.get(k[0], 2), k[0], k[1]))
    return [_devices[k] for k in keys if device_type is None or k[0] == device_type]


def logical_cpus() -> list:
    return logical_devices("CPU")


def configure_logical_cpus(n: int) -> None:
    """Internal: splits the CPU into `n` logical devices at any time (tests, tf.distribute).

    The public `tf.config.set_logical_device_configuration` refuses changes after initialization,
    as TensorFlow does; this does not.
    """
    _virtual[_CPU_PHYSICAL] = [LogicalDeviceConfiguration() for _ in range(n)]
    for i in range(1, n):
        _devices.setdefault(("CPU", i), CPUDevice(i))
    for k in [k for k in _devices if k[0] == "CPU" and k[1] >= n]:
        if k[1] != 0:
            del _devices[k]


add_logical_cpus = configure_logical_cpus


def lookup(spec: DeviceSpec):
    """The local logical device a spec names.

    A missing type gives the default device; an unknown type or index falls back to index 0 of
    the type, then to the CPU, as TensorFlow's soft placement does. A job, replica or task other
    than this process raises InvalidArgumentError.
    """
    default = _default or initialize()
    if (
        spec.job not in (None, "localhost")
        or spec.replica not in (None, 0)
        or spec.task not in (None, 0)
    ):
        name = canonical_name(spec, spec.device_type or default.device_type, spec.device_index or 0)
        raise errors.InvalidArgumentError(None, None, f"{name} unknown device.")
    dtype = spec.device_type
    if dtype is None:
        return default
    if dtype not in ("CPU", "GPU"):
        dtype = dtype.upper()
    dev = _devices.get((dtype, spec.device_index or 0))
    if dev is None:
        dev = _devices.get((dtype, 0)) or CPU0
    return dev


__all__ = [
    "CPU0", "PhysicalDevice", "LogicalDevice", "LogicalDeviceConfiguration", "canonical_name",
    "lookup", "default_device", "physical_devices", "visible_devices", "logical_devices",
]  # fmt: skip
