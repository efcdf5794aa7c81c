"""Device names as TensorFlow spells them: `/CPU:0`, `/job:worker/replica:0/task:1/device:GPU:0`."""

from __future__ import annotations

from typing import Optional

_FIELDS = ("job", "replica", "task", "device_type", "device_index")
_SHORT_TYPES = ("CPU", "GPU", "TPU")  # types that may be written without "device:" ("/gpu:0")


class DeviceSpec:
    """`tf.DeviceSpec`: the parts of a device name, any of which may be left unspecified.

    A full name is `/job:<name>/replica:<int>/task:<int>/device:<type>:<index>`; every part is
    optional. Specs are immutable: `replace` and `make_merged_spec` return new ones.

    Args:
      job: the job name (converted to str).
      replica: the replica index (converted to int).
      task: the task index (converted to int).
      device_type: "CPU", "GPU", "TPU" or another device type; lowercase "cpu"/"gpu" are
        upper-cased.
      device_index: the device index (converted to int).
    """

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index", "_str", "_hash")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = None if job is None else str(job)
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        if device_type in ("cpu", "gpu"):
            device_type = device_type.upper()
        self._device_type = device_type
        self._device_index = None if device_index is None else int(device_index)
        self._str = self._make_string()
        self._hash = hash(self._str)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec: str) -> DeviceSpec:
        """Parses a device name such as "/job:w/task:1/device:GPU:0", "/cpu:0" or "GPU".

        Raises:
          ValueError: for an unknown part, two device types, or a non-integer index.
        """
        return cls(**_parse(spec))

    def parse_from_string(self, spec: str) -> DeviceSpec:
        """Like `from_string`, kept for compatibility with TensorFlow's older spelling."""
        return DeviceSpec.from_string(spec)

    def to_string(self) -> str:
        """The canonical name: "/job:a/replica:0/task:1/device:GPU:0", with unset parts left out."""
        return self._str

    def _make_string(self) -> str:
        out = ""
        if self._job is not None:
            out += f"/job:{self._job}"
        if self._replica is not None:
            out += f"/replica:{self._replica}"
        if self._task is not None:
            out += f"/task:{self._task}"
        if self._device_type is not None:
            idx = "*" if self._device_index is None else self._device_index
            out += f"/device:{self._device_type}:{idx}"
        return out

    def replace(self, **kwargs) -> DeviceSpec:
        """A copy of this spec with the given fields (job, replica, ...) replaced."""
        fields = {f: getattr(self, "_" + f) for f in _FIELDS}
        for k in kwargs:
            if k not in fields:
                raise TypeError(f"DeviceSpec.__init__() got an unexpected keyword argument '{k}'")
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def make_merged_spec(self, dev: DeviceSpec) -> DeviceSpec:
        """This spec with every field that `dev` specifies taken from `dev`."""
        fields = {}
        for f in _FIELDS:
            v = getattr(dev, f)
            fields[f] = v if v is not None else getattr(self, f)
        return DeviceSpec(**fields)

    def __eq__(self, other) -> bool:
        return isinstance(other, DeviceSpec) and self._str == other._str

    def __ne__(self, other) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return (
            f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
            f"device_type={self._device_type}, device_index={self._device_index})>"
        )

    __str__ = __repr__


def _parse(spec: str) -> dict:
    parts: dict = {}
    for piece in spec.split("/"):
        if not piece:
            continue
        bits = piece.split(":")
        key = bits[0]
        n = len(bits)
        if n == 2 and key in ("job", "replica", "task"):
            parts[key] = bits[1]
            continue
        if n in (1, 2) and key.upper() in _SHORT_TYPES:
            dtype, index = key.upper(), (bits[1] if n == 2 else "*")
        elif n == 3 and key == "device":
            dtype, index = bits[1], bits[2]
            if dtype.upper() in ("CPU", "GPU"):
                dtype = dtype.upper()
        else:
            raise ValueError(
                f"Unknown attribute '{key}' is encountered while parsing the device spec: '{spec}'."
            )
        if "device_type" in parts:
            raise ValueError(
                f"Multiple device types are not allowed while parsing the device spec: {spec}."
            )
        parts["device_type"] = dtype
        parts["device_index"] = None if index == "*" else index
    return parts


def canonical_name(spec: Optional[DeviceSpec], device_type: str, index: int) -> str:
    """The full name TensorFlow gives a local device: /job:localhost/replica:0/task:0/device:..."""
    job = "localhost"
    replica = task = 0
    if spec is not None:
        job = spec.job or job
        replica = spec.replica if spec.replica is not None else replica
        task = spec.task if spec.task is not None else task
    return f"/job:{job}/replica:{replica}/task:{task}/device:{device_type}:{index}"
