"""Ftrl: follow the regularized leader (FTRL-Proximal)."""

from __future__ import annotations

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras import initializers
from tensorflux._src.keras.optimizers.base import Optimizer, common_args, sparse_map
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.optimizers")
class Ftrl(Optimizer):
    """FTRL-Proximal with L1, L2 and L2-shrinkage regularization.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      learning_rate_power: the power (<= 0) applied to the accumulator.
      initial_accumulator_value: the accumulators' starting value (>= 0).
      l1_regularization_strength: L1 strength (>= 0).
      l2_regularization_strength: L2 strength (>= 0).
      l2_shrinkage_regularization_strength: L2 shrinkage strength (>= 0), on the gradient.
      beta: adds `beta / (2 * lr)` to the L2 strength.
      **kwargs: the common `Optimizer` arguments.

    Raises:
      ValueError: for negative strengths, a negative initial value or a positive power.
    """

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        checks = (
            ("initial_accumulator_value", initial_accumulator_value),
            ("l1_regularization_strength", l1_regularization_strength),
            ("l2_regularization_strength", l2_regularization_strength),
            ("l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength),
        )
        for arg, value in checks:
            if value < 0.0:
                raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value}.")
        if learning_rate_power > 0.0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. Received: "
                f"learning_rate_power={learning_rate_power}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        init = initializers.Constant(self.initial_accumulator_value)
        self._accumulators = []
        self._linears = []
        for v in var_list:
            self._accumulators.append(self.add_variable_from_reference(v, "accumulator", init))
            self._linears.append(self.add_variable_from_reference(v, "linear"))

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        i = self._get_variable_index(variable)
        acc, linear = self._accumulators[i], self._linears[i]
        g = tf.convert_to_tensor(gradient)
        power = tf.cast(-self.learning_rate_power, dt)
        l1 = tf.cast(self.l1_regularization_strength, dt)
        l2 = tf.cast(self.l2_regularization_strength, dt) + tf.cast(self.beta, dt) / (2.0 * lr)
        shrink = tf.cast(self.l2_shrinkage_regularization_strength, dt)
        g_used = g + 2.0 * shrink * variable
        old_acc = acc.read_value()
        new_acc = old_acc + sparse_map(tf.square, gradient)
        new_pow = tf.pow(new_acc, power)
        linear.assign_add(g_used - (new_pow - tf.pow(old_acc, power)) / lr * variable)
        quadratic = new_pow / lr + 2.0 * l2
        lin = linear.read_value()
        variable.assign((tf.clip_by_value(lin, -l1, l1) - lin) / quadratic)
        acc.assign(new_acc)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        }
