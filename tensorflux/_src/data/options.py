"""`tf.data.Options` and its sub-option groups.

Each group is a set of typed properties that start unset (None); `merge` combines two option
sets, the later one's set values winning, as `with_options` does along a pipeline.
"""

from __future__ import annotations

import enum


class AutoShardPolicy(enum.IntEnum):
    """How a dataset is split among workers (`tf.data.experimental.AutoShardPolicy`)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class AutotuneAlgorithm(enum.Enum):
    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class ExternalStatePolicy(enum.Enum):
    WARN = 0
    IGNORE = 1
    FAIL = 2


class _OptionsGroup:
    """Typed, initially unset properties; unknown attributes are refused."""

    _fields: dict = {}  # name -> (type or tuple of types, nested group class or None)

    def __init__(self):
        for name, (_, group) in self._fields.items():
            object.__setattr__(self, "_" + name, group() if group else None)

    def __getattr__(self, name):
        if name.startswith("_") or name not in type(self)._fields:
            raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")
        return object.__getattribute__(self, "_" + name)

    def __setattr__(self, name, value):
        if name not in self._fields:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        kind, group = self._fields[name]
        if group is None and value is not None and not isinstance(value, kind):
            raise TypeError(
                f'Property "{name}" must be of type {kind}, got: {value!r} (type: {type(value)})'
            )
        object.__setattr__(self, "_" + name, value)

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self._fields)

    def __ne__(self, other):
        r = self.__eq__(other)
        return r if r is NotImplemented else not r

    __hash__ = None

    def _merge_into(self, other):
        """A copy of self with every set value of `other` applied."""
        out = type(self)()
        for name, (_, group) in self._fields.items():
            mine, theirs = getattr(self, name), getattr(other, name)
            if group is not None:
                object.__setattr__(out, "_" + name, mine._merge_into(theirs))
            else:
                object.__setattr__(out, "_" + name, theirs if theirs is not None else mine)
        return out

    def __repr__(self) -> str:
        return f"<tensorflux.data.{type(self).__name__} object at 0x{id(self):x}>"


class ThreadingOptions(_OptionsGroup):
    """Thread pool settings: `max_intra_op_parallelism`, `private_threadpool_size`."""

    _fields = {"max_intra_op_parallelism": (int, None), "private_threadpool_size": (int, None)}


class AutotuneOptions(_OptionsGroup):
    """Autotuning: `enabled`, `cpu_budget`, `ram_budget`, `autotune_algorithm`, ..."""

    _fields = {
        "enabled": (bool, None),
        "cpu_budget": (int, None),
        "ram_budget": (int, None),
        "autotune_algorithm": (AutotuneAlgorithm, None),
        "initial_parallelism": (int, None),
        "min_parallelism": (int, None),
    }


class OptimizationOptions(_OptionsGroup):
    """Static optimizations. Here `map_and_batch_fusion` turns the vectorized map+batch path
    (docs/design/data.md) on (None/True) or off (False); the others are accepted and unused."""

    _fields = {
        n: (bool, None)
        for n in (
            "apply_default_optimizations filter_fusion filter_parallelization inject_prefetch "
            "map_and_batch_fusion map_and_filter_fusion map_fusion map_parallelization "
            "noop_elimination parallel_batch seq_interleave_prefetch shuffle_and_repeat_fusion"
        ).split()
    }


class DistributeOptions(_OptionsGroup):
    """Sharding among workers: `auto_shard_policy`, `num_devices`."""

    _fields = {"auto_shard_policy": (AutoShardPolicy, None), "num_devices": (int, None)}


class ServiceOptions(_OptionsGroup):
    _fields = {"pinned": (bool, None)}


class Options(_OptionsGroup):
    """Options of a dataset pipeline, applied with `Dataset.with_options`.

    Attributes: `deterministic` (order of parallel transformations), `threading`
    (ThreadingOptions), `autotune` (AutotuneOptions), `experimental_optimization`
    (OptimizationOptions), `experimental_distribute` (DistributeOptions), and the
    `experimental_*` flags TensorFlow has.
    """

    _fields = {
        "autotune": (None, AutotuneOptions),
        "dataset_name": (str, None),
        "deterministic": (bool, None),
        "experimental_distribute": (None, DistributeOptions),
        "experimental_external_state_policy": (ExternalStatePolicy, None),
        "experimental_optimization": (None, OptimizationOptions),
        "experimental_service": (None, ServiceOptions),
        "experimental_slack": (bool, None),
        "experimental_symbolic_checkpoint": (bool, None),
        "experimental_warm_start": (bool, None),
        "framework_type": (list, None),
        "threading": (None, ThreadingOptions),
    }

    # Older spellings TensorFlow still accepts.
    @property
    def experimental_deterministic(self):
        return self.deterministic

    @experimental_deterministic.setter
    def experimental_deterministic(self, value):
        self.deterministic = value

    @property
    def experimental_threading(self):
        return self.threading

    @experimental_threading.setter
    def experimental_threading(self, value):
        self.threading = value

    def __setattr__(self, name, value):
        if name in ("experimental_deterministic", "experimental_threading"):
            object.__setattr__(self, name, value)
            return
        if name in (
            "threading",
            "autotune",
            "experimental_optimization",
            "experimental_distribute",
            "experimental_service",
        ):
            group = self._fields[name][1]
            if not isinstance(value, group):
                raise TypeError(f'Property "{name}" must be of type {group}, got: {value!r}')
            object.__setattr__(self, "_" + name, value)
            return
        super().__setattr__(name, value)

    def merge(self, options):
        """These options with `options`' set values applied over them."""
        return self._merge_into(options)


__all__ = [
    "AutoShardPolicy",
    "AutotuneAlgorithm",
    "AutotuneOptions",
    "DistributeOptions",
    "ExternalStatePolicy",
    "OptimizationOptions",
    "Options",
    "ThreadingOptions",
]
