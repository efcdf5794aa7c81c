"""`tf.device`: a scope that places ops and new tensors on a device."""

from __future__ import annotations

import contextlib

from tensorflux._src import devices as _devices
from tensorflux._src.core import context as _context
from tensorflux._src.core.device import DeviceSpec


@contextlib.contextmanager
def device(device_name):
    """Places ops created or run inside on `device_name` (e.g. "/CPU:0", "/GPU:0", a DeviceSpec).

    An empty name or None clears the scope. A GPU name with no GPU present falls back to the CPU,
    as TensorFlow's soft placement does.
    """
    if callable(device_name) and not isinstance(device_name, (str, DeviceSpec)):
        raise RuntimeError("tf.device does not support functions when eager execution is enabled.")
    if device_name is None or device_name == "":
        old = _context.set_device(None, None)
    else:
        spec = device_name if isinstance(device_name, DeviceSpec) else DeviceSpec.from_string(device_name)
        outer = _context.ctx.device_spec
        if outer is not None:
            spec = outer.make_merged_spec(spec)
        old = _context.set_device(_devices.lookup(spec), spec)
    try:
        yield
    finally:
        _context.set_device(*old)
