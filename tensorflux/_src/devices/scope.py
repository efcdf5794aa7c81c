"""`tf.device`: a scope that places ops and new tensors on a device."""

from __future__ import annotations

import contextlib

from tensorflux._src import devices as _devices
from tensorflux._src.core import context as _context
from tensorflux._src.core import errors
from tensorflux._src.core.device import DeviceSpec


def device(device_name):
    """Places ops run (or traced) inside the scope, and tensors created there, on a device.

    Scopes nest: a name that leaves parts unspecified ("/GPU:1" inside "/job:localhost") takes
    them from the enclosing scope. An empty name or None clears the scope. A device that does not
    exist here (a GPU on a machine without one, "/CPU:7") falls back as TensorFlow's soft
    placement does: to index 0 of that type, then to the CPU.

    Args:
      device_name: a device name such as "/CPU:0", "GPU:1" or
        "/job:localhost/replica:0/task:0/device:GPU:0", a `tf.DeviceSpec`, or None.

    Returns:
      A context manager.

    Raises:
      RuntimeError: if `device_name` is a function (TensorFlow 2 has no device functions).
      ValueError: if `device_name` is not a string, DeviceSpec or None, or does not parse.
      InvalidArgumentError: eagerly, for a device of another job, replica or task.
    """
    if callable(device_name) and not isinstance(device_name, DeviceSpec):
        raise RuntimeError("tf.device does not support functions.")
    if device_name is not None and not isinstance(device_name, (str, DeviceSpec)):
        raise ValueError(f"Expecting a string device name. Got {type(device_name)}({device_name})")
    return _device_scope(device_name)


@contextlib.contextmanager
def _device_scope(device_name):
    if device_name is None or device_name == "":
        old = _context.set_device(None, None)
    else:
        if isinstance(device_name, DeviceSpec):
            spec = device_name
        else:
            spec = DeviceSpec.from_string(device_name)
        outer = _context.ctx.device_spec
        if outer is not None:
            spec = outer.make_merged_spec(spec)
        try:
            dev = _devices.lookup(spec)
        except errors.InvalidArgumentError:
            if _context.executing_eagerly():
                raise
            dev = None  # a remote device named while tracing: kept on the spec for the graph
        old = _context.set_device(dev, spec)
    try:
        yield
    finally:
        _context.set_device(*old)
