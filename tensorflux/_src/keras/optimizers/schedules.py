"""`keras.optimizers.schedules`: learning rates as functions of the optimizer step.

Each schedule is called with the step (an int tensor or number) and returns a scalar tensor of
the initial learning rate's dtype, computed with tensorflux ops so it also runs inside
tf.function.
"""

from __future__ import annotations

import math

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)

_MODULE = "keras.optimizers.schedules"


@register_builtin(_MODULE)
class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step)` and `get_config()`."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `__call__(self, "
            "step)`."
        )

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override `get_config()` "
            "in order to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check_steps(decay_steps):
    if decay_steps <= 0:
        raise ValueError(f"Argument `decay_steps` must be > 0. Received: decay_steps={decay_steps}")


def _start(initial_learning_rate, step):
    lr = tf.convert_to_tensor(initial_learning_rate)
    if not lr.dtype.is_floating:
        lr = tf.cast(lr, "float32")
    return lr, lr.dtype, tf.cast(step, lr.dtype)


@register_builtin(_MODULE)
class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)` (exponent floored when
    `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):  # fmt: skip
        _check_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        lr, dt, step = _start(self.initial_learning_rate, step)
        p = step / tf.cast(self.decay_steps, dt)
        if self.staircase:
            p = tf.floor(p)
        return lr * tf.pow(tf.cast(self.decay_rate, dt), p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


@register_builtin(_MODULE)
class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` up to `boundaries[0]` (inclusive), `values[i]` up to `boundaries[i]`, and
    `values[-1]` after the last boundary.

    Raises:
      ValueError: unless `len(values) == len(boundaries) + 1`.
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        values = [tf.convert_to_tensor(v) for v in self.values]
        step = tf.convert_to_tensor(step)
        result = values[-1]
        for b, v in zip(reversed(self.boundaries), reversed(values[:-1])):
            result = tf.where(step <= tf.cast(b, step.dtype), v, result)
        return result

    def get_config(self) -> dict:
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@register_builtin(_MODULE)
class PolynomialDecay(LearningRateSchedule):
    """`(initial - end) * (1 - step / decay_steps) ** power + end`, the step capped at
    `decay_steps` (or, with `cycle`, `decay_steps` stretched to the next multiple)."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):  # fmt: skip
        _check_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        lr, dt, step = _start(self.initial_learning_rate, step)
        end = tf.cast(self.end_learning_rate, dt)
        steps = tf.cast(self.decay_steps, dt)
        if self.cycle:
            mult = tf.where(tf.equal(step, 0), tf.ones_like(step), tf.math.ceil(step / steps))
            steps = steps * mult
        else:
            step = tf.minimum(step, steps)
        frac = step / steps
        return (lr - end) * tf.pow(1 - frac, tf.cast(self.power, dt)) + end

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "end_learning_rate": self.end_learning_rate,
            "power": self.power,
            "cycle": self.cycle,
            "name": self.name,
        }


@register_builtin(_MODULE)
class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (ratio floored when
    `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):  # fmt: skip
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        lr, dt, step = _start(self.initial_learning_rate, step)
        p = step / tf.cast(self.decay_steps, dt)
        if self.staircase:
            p = tf.floor(p)
        return lr / (1 + tf.cast(self.decay_rate, dt) * p)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "decay_rate": self.decay_rate,
            "staircase": self.staircase,
            "name": self.name,
        }


def _cosine(frac, alpha, dt):
    c = 0.5 * (1.0 + tf.cos(tf.constant(math.pi, dt) * frac))
    return (1 - alpha) * c + alpha


@register_builtin(_MODULE)
class CosineDecay(LearningRateSchedule):
    """Optional linear warmup from `initial_learning_rate` to `warmup_target` over
    `warmup_steps`, then a half cosine from the peak down to `alpha * peak` over
    `decay_steps`."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):  # fmt: skip
        _check_steps(decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def __call__(self, step):
        lr, dt, step = _start(self.initial_learning_rate, step)
        alpha = tf.cast(self.alpha, dt)
        steps = tf.cast(self.decay_steps, dt)
        if self.warmup_target is None:
            frac = tf.minimum(step, steps) / steps
            return lr * _cosine(frac, alpha, dt)
        target = tf.cast(self.warmup_target, dt)
        warm = tf.cast(self.warmup_steps, dt)
        decay_step = tf.minimum(tf.maximum(step - warm, 0.0), steps)
        decayed = target * _cosine(decay_step / steps, alpha, dt)
        warmup = lr + (target - lr) * (step / tf.maximum(warm, 1.0))
        return tf.where(step < warm, warmup, decayed)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "decay_steps": self.decay_steps,
            "alpha": self.alpha,
            "name": self.name,
            "warmup_target": self.warmup_target,
            "warmup_steps": self.warmup_steps,
        }


@register_builtin(_MODULE)
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): period i lasts `first_decay_steps * t_mul**i`
    steps and starts from `initial_learning_rate * m_mul**i`, decaying to `alpha` times it."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):  # fmt: skip
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        lr, dt, step = _start(self.initial_learning_rate, step)
        frac = step / tf.cast(self.first_decay_steps, dt)
        t_mul = tf.cast(self._t_mul, dt)
        if self._t_mul == 1.0:
            restart = tf.floor(frac)
            frac = frac - restart
        else:
            restart = tf.floor(tf.math.log(1.0 - frac * (1.0 - t_mul)) / tf.math.log(t_mul))
            done = (1.0 - tf.pow(t_mul, restart)) / (1.0 - t_mul)
            frac = (frac - done) / tf.pow(t_mul, restart)
        m_fac = tf.pow(tf.cast(self._m_mul, dt), restart)
        c = 0.5 * m_fac * (1.0 + tf.cos(tf.constant(math.pi, dt) * frac))
        alpha = tf.cast(self.alpha, dt)
        return lr * ((1 - alpha) * c + alpha)

    def get_config(self) -> dict:
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "first_decay_steps": self.first_decay_steps,
            "t_mul": self._t_mul,
            "m_mul": self._m_mul,
            "alpha": self.alpha,
            "name": self.name,
        }


def serialize(learning_rate_schedule):
    """The Keras config dict of a schedule."""
    return serialize_keras_object(learning_rate_schedule)


def deserialize(config, custom_objects=None):
    """A schedule from its config dict."""
    from tensorflux._src.keras.serialization import builtin_objects

    return deserialize_keras_object(
        config, module_objects=builtin_objects(_MODULE), custom_objects=custom_objects,
        printable_module_name="decay",
    )  # fmt: skip
