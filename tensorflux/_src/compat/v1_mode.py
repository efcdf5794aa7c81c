"""Switching TensorFlow 1 behaviours on and off: tensorflux has TensorFlow 2's only."""

from __future__ import annotations

_WHY = (
    "tensorflux always runs TensorFlow 2 behaviour: ops execute eagerly unless they are inside "
    "a tf.function or `with tf.Graph().as_default():`. Build TensorFlow 1 graphs inside such a "
    "block and run them with tf.compat.v1.Session."
)


def enable_eager_execution(config=None, device_policy=None, execution_mode=None) -> None:
    """Eager execution is always on in tensorflux: nothing to do."""
    del config, device_policy, execution_mode


def enable_v2_behavior() -> None:
    """TensorFlow 2 behaviour is always on in tensorflux: nothing to do."""


def disable_eager_execution() -> None:
    """Not supported: raises NotImplementedError (tensorflux has no global graph mode)."""
    raise NotImplementedError("tf.compat.v1.disable_eager_execution(): " + _WHY)


def disable_v2_behavior() -> None:
    """Not supported: raises NotImplementedError (tensorflux has no global graph mode)."""
    raise NotImplementedError("tf.compat.v1.disable_v2_behavior(): " + _WHY)
