"""`tf.config`: devices, threading, and process-wide switches.

Device configuration (visible devices, logical devices, memory growth) may change only until
the runtime initializes -- the first tensor made or the first `list_logical_devices` call --
and raises RuntimeError afterwards unless the new setting equals the current one, as in
TensorFlow.
"""

from __future__ import annotations

from typing import Optional

from tensorflux._src import devices as _devices
from tensorflux._src.core import context as _context
from tensorflux._src.devices import LogicalDevice, LogicalDeviceConfiguration, PhysicalDevice

__all__ = ["PhysicalDevice", "LogicalDevice", "LogicalDeviceConfiguration"]


def _check_physical(device) -> None:
    if device not in _devices.physical_devices():
        raise ValueError(f"Unrecognized device: {device!r}")


# ------------------------------------------------------------------ devices


def list_physical_devices(device_type: Optional[str] = None) -> list:
    """The physical devices of this machine.

    Args:
      device_type: "CPU" or "GPU" (case-sensitive) to list one type only; None lists all.

    Returns:
      A list of `tf.config.PhysicalDevice`. Listing does not initialize the runtime.
    """
    return _devices.physical_devices(device_type)


def list_logical_devices(device_type: Optional[str] = None) -> list:
    """The logical devices ops can be placed on; initializes the runtime.

    Args:
      device_type: "CPU" or "GPU" to list one type only; None lists all.

    Returns:
      A list of `tf.config.LogicalDevice`, named like "/device:CPU:1".
    """
    return [
        LogicalDevice(f"/device:{d.device_type}:{d.index}", d.device_type)
        for d in _devices.logical_devices(device_type)
    ]


def get_visible_devices(device_type: Optional[str] = None) -> list:
    """The physical devices the runtime may use (all of them unless `set_visible_devices`)."""
    return _devices.visible_devices(device_type)


def set_visible_devices(devices, device_type: Optional[str] = None) -> None:
    """Restricts the physical devices the runtime may use.

    The CPU always runs ops; hiding it only changes what `get_visible_devices` reports.

    Args:
      devices: a `PhysicalDevice` or a list of them.
      device_type: when given, only devices of this type are replaced by `devices`.

    Raises:
      ValueError: for a device that is not a physical device (of `device_type`).
      RuntimeError: when the set changes after the runtime has initialized.
    """
    if not isinstance(devices, list):
        devices = [devices]
    for d in devices:
        _check_physical(d)
        if device_type is not None and d.device_type != device_type:
            raise ValueError(f"Unrecognized device: {d!r}")
    current = _devices.visible_devices()
    new = [] if device_type is None else [d for d in current if d.device_type != device_type]
    new += devices
    if new == current:
        return
    if _devices.is_initialized():
        raise RuntimeError("Visible devices cannot be modified after being initialized")
    _devices.set_visible(new)


def get_logical_device_configuration(device) -> Optional[list]:
    """The `LogicalDeviceConfiguration`s set for a physical device, or None.

    Raises:
      ValueError: if `device` is not a physical device.
    """
    _check_physical(device)
    return _devices._virtual.get(device)


def set_logical_device_configuration(device, logical_devices) -> None:
    """Splits a physical device into several logical ones, before the runtime initializes.

    With two configurations on the CPU, ops can be placed on "/CPU:0" and "/CPU:1".

    Args:
      device: a `PhysicalDevice` from `list_physical_devices`.
      logical_devices: a list of `LogicalDeviceConfiguration`, one per logical device.

    Raises:
      ValueError: for an unknown device, a memory limit on a CPU or none on a GPU.
      RuntimeError: when the configuration changes after the runtime has initialized.
    """
    _check_physical(device)
    if device.device_type == "CPU":
        for v in logical_devices:
            if v.memory_limit is not None:
                raise ValueError(
                    "Setting memory limit on CPU virtual devices is currently not supported"
                )
            if v.experimental_priority is not None:
                raise ValueError(
                    "Setting experimental_priority on CPU virtual  devices is currently not "
                    "supported"
                )
            if v.experimental_device_ordinal is not None:
                raise ValueError(
                    "Setting experimental_device_ordinal on CPU virtual  devices is currently "
                    "not supported"
                )
    elif device.device_type == "GPU":
        for v in logical_devices:
            if v.memory_limit is None:
                raise ValueError("Setting memory limit is required for GPU virtual devices")
    else:
        raise ValueError(f"Virtual devices are not supported for {device.device_type}")
    if _devices._virtual.get(device) == logical_devices:
        return
    if _devices.is_initialized():
        raise RuntimeError("Virtual devices cannot be modified after being initialized")
    _devices._virtual[device] = list(logical_devices)


get_virtual_device_configuration = get_logical_device_configuration
set_virtual_device_configuration = set_logical_device_configuration
VirtualDeviceConfiguration = LogicalDeviceConfiguration


def get_memory_growth(device) -> Optional[bool]:
    """Whether memory growth was enabled for a GPU (None if never set).

    Raises:
      ValueError: if `device` is not a physical device.
      KeyError: for a CPU, which has no such setting.
    """
    _check_physical(device)
    return _devices._memory_growth[device]


def set_memory_growth(device, enable: bool) -> None:
    """Asks a GPU to allocate memory as needed instead of all at start (stored and reported).

    Raises:
      ValueError: for an unknown device, a non-GPU, or a GPU split into logical devices.
      RuntimeError: when the setting changes after the runtime has initialized.
    """
    _check_physical(device)
    if device in _devices._virtual:
        raise ValueError("Cannot set memory growth on device when virtual devices configured")
    if device.device_type != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")
    if _devices._memory_growth.get(device) == enable:
        return
    if _devices.is_initialized():
        raise RuntimeError("Physical devices cannot be modified after being initialized")
    _devices._memory_growth[device] = enable


def get_device_details(device) -> dict:
    """Details of a physical GPU (`device_name`, `compute_capability`); `{}` for other devices.

    Raises:
      ValueError: if `device` is not a `PhysicalDevice`.
    """
    if not isinstance(device, PhysicalDevice):
        raise ValueError(f"device must be a tf.config.PhysicalDevice, but got: {device}")
    _check_physical(device)
    if device.device_type != "GPU":
        return {}
    gpu = _gpu_for(device)
    if gpu.xp.__name__ != "cupy":
        return {"device_name": "tensorflux fake GPU"}
    props = gpu.xp.cuda.runtime.getDeviceProperties(gpu.physical)
    name = props["name"]
    return {
        "device_name": name.decode() if isinstance(name, bytes) else name,
        "compute_capability": (int(props["major"]), int(props["minor"])),
    }


def _gpu_for(physical):
    index = int(physical.name.rsplit(":", 1)[1])
    for dev in _devices.logical_devices("GPU"):
        if getattr(dev, "physical", dev.index) == index:
            return dev
    raise ValueError(f"Device {physical.name} is not visible")


def _memory_pool(device: str):
    spec = _devices.DeviceSpec.from_string(device)
    dev = _devices.lookup(spec) if spec.device_type in ("GPU",) else None
    if dev is None or dev.device_type != "GPU" or dev.xp.__name__ != "cupy":
        return None
    return dev.xp.get_default_memory_pool()


def get_memory_info(device: str) -> dict:
    """Memory use of a GPU, in bytes: `current` (in use) and `peak` (held by the allocator pool).

    Raises:
      ValueError: for devices without allocator statistics (the CPU, the test-only fake GPU).
    """
    pool = _memory_pool(device)
    if pool is None:
        raise ValueError(f"Allocator stats not available for device '{device}'")
    return {"current": int(pool.used_bytes()), "peak": int(pool.total_bytes())}


def get_memory_usage(device: str) -> int:
    """Deprecated: `get_memory_info(device)["current"]`."""
    return get_memory_info(device)["current"]


def reset_memory_stats(device: str) -> None:
    """Frees the GPU allocator pool's cached blocks, resetting its held-bytes figure.

    Raises:
      ValueError: for devices without allocator statistics.
    """
    pool = _memory_pool(device)
    if pool is None:
        raise ValueError(f"Cannot reset memory stats for device '{device}'")
    pool.free_all_blocks()


# ------------------------------------------------------------------ threading

_threads = {"intra": 0, "inter": 0}


def _set_threads(kind: str, what: str, n: int) -> None:
    if _threads[kind] == n:
        return
    if _devices.is_initialized():
        raise RuntimeError(f"{what} parallelism cannot be modified after initialization.")
    _threads[kind] = n


def _default_blas_threads() -> int:
    import os

    return os.cpu_count() or 1


def get_intra_op_parallelism_threads() -> int:
    """Threads one op may use (0: the system chooses)."""
    return _threads["intra"]


def set_intra_op_parallelism_threads(num_threads: int) -> None:
    """Sets the threads one op may use, before the runtime initializes.

    Raises:
      RuntimeError: when the value changes after the runtime has initialized.
    """
    _set_threads("intra", "Intra op", num_threads)
    from tensorflux._src.devices import blas, intra_op

    blas.set_threads(int(num_threads) if num_threads else _default_blas_threads())
    intra_op.set_threads(int(num_threads))


def get_inter_op_parallelism_threads() -> int:
    """Threads that run independent ops in parallel (0: the system chooses)."""
    return _threads["inter"]


def set_inter_op_parallelism_threads(num_threads: int) -> None:
    """Sets the threads that run independent ops, before the runtime initializes.

    Raises:
      RuntimeError: when the value changes after the runtime has initialized.
    """
    _set_threads("inter", "Inter op", num_threads)
    _context.INTER_OP_THREADS[0] = int(num_threads)


# ------------------------------------------------------------------ switches

_state = {
    "soft_placement": True,
    "device_policy": "silent",
    "tf32": True,
    "synchronous": True,
    "mlir_bridge": None,
    "jit": "",
}
_optimizer_options: dict = _context.OPTIMIZER_OPTIONS  # read by tf.function
_DEVICE_POLICIES = (None, "warn", "explicit", "silent", "silent_for_int32")


def run_functions_eagerly(run_eagerly: bool) -> None:
    """Makes every `tf.function` run its Python function eagerly instead of a traced graph.

    Args:
      run_eagerly: True to run eagerly (for debugging), False for the default.
    """
    _context.set_run_functions_eagerly(run_eagerly)


def functions_run_eagerly() -> bool:
    """Whether `run_functions_eagerly(True)` is in force."""
    return _context.functions_run_eagerly()


def get_soft_device_placement() -> bool:
    """Whether ops fall back to a device that exists when the one asked for does not."""
    return _state["soft_placement"]


def set_soft_device_placement(enabled: bool) -> None:
    """Records the soft placement switch (placement here always falls back, as when True)."""
    _state["soft_placement"] = bool(enabled)


def enable_op_determinism() -> None:
    """Asks ops to give bit-identical results run after run.

    Every tensorflux kernel is already deterministic on the CPU; random ops stay reproducible
    through `tf.random.set_seed`. The switch is recorded for tf.data and GPU kernels to honour.
    """
    _context.set_op_determinism(True)


def enable_tensor_float_32_execution(enabled: bool) -> None:
    """Allows (True, the default) or forbids TensorFloat-32 matmuls and convolutions on GPUs."""
    _state["tf32"] = bool(enabled)


def tensor_float_32_execution_enabled() -> bool:
    """Whether TensorFloat-32 execution is allowed."""
    return _state["tf32"]


def get_device_policy() -> str:
    """How ops treat inputs on another device: "silent" (copy them) unless set otherwise."""
    return _state["device_policy"] or "silent"


def set_device_policy(device_policy: Optional[str]) -> None:
    """Records the device policy: None, "warn", "explicit", "silent" or "silent_for_int32".

    Raises:
      ValueError: for any other value.
    """
    if device_policy not in _DEVICE_POLICIES:
        raise ValueError(
            f"Invalid argument `device_policy`: {device_policy!r}. Please refer to "
            "https://www.tensorflow.org/api_docs/python/tf/config/experimental/set_device_policy "
            "for valid `device_policy` arguments."
        )
    _state["device_policy"] = device_policy


def get_synchronous_execution() -> bool:
    """Whether eager ops finish before returning (always true here; the switch is recorded)."""
    return _state["synchronous"]


def set_synchronous_execution(enable: bool) -> None:
    """Records the synchronous-execution switch."""
    _state["synchronous"] = bool(enable)


def enable_mlir_bridge() -> None:
    """Records that the MLIR bridge was asked for (tensorflux lowers to XLA through JAX)."""
    _state["mlir_bridge"] = True


def disable_mlir_bridge() -> None:
    """Records that the MLIR bridge was turned off."""
    _state["mlir_bridge"] = False


def set_jit(enabled) -> None:
    """Sets automatic JIT clustering: True or "autoclustering" turn it on, False/"" off."""
    if enabled is True or enabled == "autoclustering":
        _state["jit"] = "autoclustering"
    elif enabled is False or enabled == "":
        _state["jit"] = ""
    else:
        _state["jit"] = str(enabled)


def get_jit() -> str:
    """The JIT clustering setting: "autoclustering" or ""."""
    return _state["jit"]


_OPTIMIZER_KEYS = (
    "layout_optimizer", "constant_folding", "shape_optimization", "remapping",
    "arithmetic_optimization", "dependency_optimization", "loop_optimization",
    "function_optimization", "debug_stripper", "disable_model_pruning",
    "scoped_allocator_optimization", "pin_to_host_optimization", "implementation_selector",
    "auto_mixed_precision", "disable_meta_optimizer", "min_graph_nodes",
)  # fmt: skip


def set_experimental_options(options: dict) -> None:
    """Records graph optimizer options (`constant_folding`, `layout_optimizer`, ...).

    Unknown keys are ignored, as in TensorFlow.
    """
    _optimizer_options.update({k: v for k, v in options.items() if k in _OPTIMIZER_KEYS})


def get_experimental_options() -> dict:
    """The graph optimizer options set so far, with TensorFlow's two defaults."""
    out = dict(_optimizer_options)
    out.setdefault("disable_model_pruning", False)
    out.setdefault("disable_meta_optimizer", False)
    return out
