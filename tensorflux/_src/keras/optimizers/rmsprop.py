"""Accumulator-based optimizers: RMSprop, Adagrad and Adadelta."""

from __future__ import annotations

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras import initializers
from tensorflux._src.keras.optimizers.base import Optimizer, common_args, sparse_map
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.optimizers")
class RMSprop(Optimizer):
    """RMSprop: `v = rho * v + (1 - rho) * g**2`, `w -= lr * g / sqrt(v + epsilon)`; with
    `centered`, the running mean gradient's square is subtracted from v; with `momentum`, the
    step goes through a momentum buffer.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      rho: decay of the squared-gradient average.
      momentum: momentum of the step (0 for none).
      epsilon: added inside the square root.
      centered: normalize by the estimated variance instead of the second moment.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        i = self._get_variable_index(variable)
        g = tf.convert_to_tensor(gradient)
        rho = tf.cast(self.rho, dt)
        vel = self._velocities[i]
        vel.assign(rho * vel + (1 - rho) * sparse_map(tf.square, gradient))
        if self.centered:
            avg = self._average_gradients[i]
            avg.assign(rho * avg + (1 - rho) * g)
            denom = vel - tf.square(avg) + tf.cast(self.epsilon, dt)
        else:
            denom = vel + tf.cast(self.epsilon, dt)
        increment = lr * g * tf.math.rsqrt(denom)
        if self._momentums:
            mom = self._momentums[i]
            mom.assign(tf.cast(self.momentum, dt) * mom + increment)
            variable.assign_sub(mom)
        else:
            variable.assign_sub(increment)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }


@register_builtin("keras.optimizers")
class Adagrad(Optimizer):
    """Adagrad: `a += g**2`, `w -= lr * g / sqrt(a + epsilon)`.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      initial_accumulator_value: the accumulators' starting value.
      epsilon: added inside the square root.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        init = initializers.Constant(self.initial_accumulator_value)
        self._accumulators = self.add_optimizer_variables(var_list, "accumulator", init)

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        g = tf.convert_to_tensor(gradient)
        acc = self._accumulators[self._get_variable_index(variable)]
        acc.assign_add(sparse_map(tf.square, gradient))
        variable.assign_sub(lr * g / tf.sqrt(acc + tf.cast(self.epsilon, dt)))

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }


@register_builtin("keras.optimizers")
class Adadelta(Optimizer):
    """Adadelta: steps scaled by the ratio of running RMS values of past steps and gradients,
    `d = -sqrt(E[d^2] + eps) / sqrt(E[g^2] + eps) * g`, `w += lr * d`.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      rho: decay of both running averages.
      epsilon: added inside the square roots.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        i = self._get_variable_index(variable)
        g = tf.convert_to_tensor(gradient)
        rho = tf.cast(self.rho, dt)
        eps = tf.cast(self.epsilon, dt)
        acc_g, acc_d = self._accumulated_grads[i], self._accumulated_delta_vars[i]
        acc_g.assign(rho * acc_g + (1 - rho) * sparse_map(tf.square, gradient))
        delta = -tf.sqrt(acc_d + eps) / tf.sqrt(acc_g + eps) * g
        acc_d.assign(rho * acc_d + (1 - rho) * tf.square(delta))
        variable.assign_add(lr * delta)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
