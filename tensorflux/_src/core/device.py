"""Device names as TensorFlow spells them: `/CPU:0`, `/job:worker/replica:0/task:1/device:GPU:0`."""

from __future__ import annotations

import re
from typing import Optional

_PART = re.compile(r"^(job|replica|task|device|cpu|gpu|CPU|GPU|TPU|[A-Z_]+):?(.*)$")


class DeviceSpec:
    """`tf.DeviceSpec`: the parts of a device name, any of which may be unspecified."""

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None, device_index=None):
        self._job = job
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        self._device_type = None if device_type is None else _canon_type(device_type)
        self._device_index = None if device_index in (None, "*") else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec: str) -> DeviceSpec:
        """Parses a device name; raises ValueError for a malformed one."""
        parts = {}
        for piece in (spec or "").split("/"):
            if not piece:
                continue
            bits = piece.split(":")
            key = bits[0]
            if key in ("job", "replica", "task") and len(bits) == 2:
                parts[key] = bits[1]
            elif key == "device" and len(bits) in (2, 3):
                parts["device_type"] = bits[1]
                if len(bits) == 3:
                    parts["device_index"] = bits[2]
            elif len(bits) in (1, 2) and re.fullmatch(r"[A-Za-z_]+", key):
                parts["device_type"] = key
                if len(bits) == 2:
                    parts["device_index"] = bits[1]
            else:
                raise ValueError(f"Unknown attribute: '{piece}' in '{spec}'")
        try:
            return cls(**parts)
        except ValueError:
            raise ValueError(f"Cannot parse device specification: '{spec}'") from None

    def to_string(self) -> str:
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
        fields = dict(
            job=self._job,
            replica=self._replica,
            task=self._task,
            device_type=self._device_type,
            device_index=self._device_index,
        )
        fields.update(kwargs)
        return DeviceSpec(**fields)

    def make_merged_spec(self, dev: DeviceSpec) -> DeviceSpec:
        """This spec with every field that `dev` specifies taken from `dev`."""
        fields = {}
        for f in ("job", "replica", "task", "device_type", "device_index"):
            v = getattr(dev, f)
            fields[f] = v if v is not None else getattr(self, f)
        return DeviceSpec(**fields)

    def __eq__(self, other) -> bool:
        return isinstance(other, DeviceSpec) and self.to_string() == other.to_string()

    def __hash__(self) -> int:
        return hash(self.to_string())

    def __repr__(self) -> str:
        return (
            f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
            f"device_type={self._device_type}, device_index={self._device_index})>"
        )


def _canon_type(t: str) -> str:
    return t.upper() if t.upper() in ("CPU", "GPU", "TPU") else t


def canonical_name(spec: Optional[DeviceSpec], device_type: str, index: int) -> str:
    """The full name TensorFlow gives a local device: /job:localhost/replica:0/task:0/device:..."""
    job = "localhost"
    replica = task = 0
    if spec is not None:
        job = spec.job or job
        replica = spec.replica if spec.replica is not None else replica
        task = spec.task if spec.task is not None else task
    return f"/job:{job}/replica:{replica}/task:{task}/device:{device_type}:{index}"
