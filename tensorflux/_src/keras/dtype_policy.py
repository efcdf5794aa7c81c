"""`keras.DTypePolicy` and the global mixed-precision policy."""

from __future__ import annotations

from tensorflux._src.keras import backend
from tensorflux._src.keras.serialization import register_builtin

_GLOBAL = None  # None: the policy named by floatx()


@register_builtin("keras")
class DTypePolicy:
    """The variable dtype and the compute dtype of a layer.

    "mixed_float16" and "mixed_bfloat16" keep variables in float32 and compute in the half type;
    any dtype name uses that dtype for both.

    Args:
      name: a policy name ("float32", "mixed_float16", ...); None means `floatx()`.
    """

    def __init__(self, name=None):
        if name is None:
            name = backend.floatx()
        if isinstance(name, DTypePolicy):
            name = name.name
        if not isinstance(name, str):
            name = backend.standardize_dtype(name)
        if name in ("mixed_float16", "mixed_bfloat16"):
            self._compute = name.split("_", 1)[1]
            self._variable = "float32"
        else:
            try:
                dt = backend.standardize_dtype(name)
            except (TypeError, ValueError):
                raise ValueError(
                    f"Cannot convert '{name}' to a mixed precision DTypePolicy. Valid policies "
                    "include 'mixed_float16', 'mixed_bfloat16', and the name of any float dtype "
                    "such as 'float32'."
                ) from None
            self._compute = self._variable = dt
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        return self._compute

    @property
    def variable_dtype(self) -> str:
        return self._variable

    @property
    def quantization_mode(self):
        return None

    def __repr__(self) -> str:
        return f'<DTypePolicy "{self._name}">'

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


FloatDTypePolicy = DTypePolicy


def set_global_policy(policy) -> None:
    """Sets the policy new layers use by default ("mixed_float16", "float32", ...; None resets)."""
    global _GLOBAL
    if policy is None:
        _GLOBAL = None
        return
    policy = policy if isinstance(policy, DTypePolicy) else DTypePolicy(policy)
    if not backend.is_float_dtype(policy.compute_dtype):
        raise ValueError(
            "set_global_policy can only be used to set the global policy to floating-point "
            f"policies, such as 'float32' and 'mixed_float16', but got policy: {policy.name}"
        )
    _GLOBAL = policy


def global_policy() -> DTypePolicy:
    """The policy new layers use by default."""
    return _GLOBAL if _GLOBAL is not None else DTypePolicy(backend.floatx())


def get(identifier) -> DTypePolicy:
    """A DTypePolicy from None (the global one), a name, a dict config or a policy."""
    if identifier is None:
        return global_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        if "config" in identifier:
            return DTypePolicy.from_config(identifier["config"])
        return DTypePolicy.from_config(identifier)
    return DTypePolicy(identifier)
