"""SGD (with momentum / Nesterov) and Lion."""

from __future__ import annotations

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras.optimizers.base import Optimizer, _is_sparse
from tensorflux._src.keras.serialization import register_builtin


@register_builtin("keras.optimizers")
class SGD(Optimizer):
    """Gradient descent, optionally with (Nesterov) momentum.

    Without momentum: `w -= lr * g`. With momentum: `v = momentum * v - lr * g`, then
    `w += v` (or `w += momentum * v - lr * g` with `nesterov=True`).

    Args:
      learning_rate: a float, schedule or callable (default 0.01).
      momentum: a float >= 0.
      nesterov: whether to use Nesterov momentum.
      **kwargs: the common `Optimizer` arguments.

    Raises:
      ValueError: if `momentum` is not a float in [0, 1].
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay,
            clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
            use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, **kwargs,
        )  # fmt: skip
        if not isinstance(momentum, (int, float)) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        lr = tf.cast(learning_rate, variable.dtype)
        if not self.momentums:
            if _is_sparse(gradient):
                variable.scatter_sub(
                    tf.IndexedSlices(gradient.values * lr, gradient.indices, gradient.dense_shape)
                )
            else:
                variable.assign_sub(gradient * lr)
            return
        g = tf.convert_to_tensor(gradient)
        m = self.momentums[self._get_variable_index(variable)]
        mu = tf.cast(self.momentum, variable.dtype)
        step = g * lr
        new_m = mu * m - step
        m.assign(new_m)
        if self.nesterov:
            variable.assign_add(mu * new_m - step)
        else:
            variable.assign_add(new_m)

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}


@register_builtin("keras.optimizers")
class Lion(Optimizer):
    """Lion: `w -= lr * sign(beta_1 * m + (1 - beta_1) * g)`, then
    `m = beta_2 * m + (1 - beta_2) * g`.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      beta_1: the interpolation factor of the update direction.
      beta_2: the momentum decay.
      **kwargs: the common `Optimizer` arguments.

    Raises:
      ValueError: if `beta_1` is not in (0, 1].
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(
            learning_rate=learning_rate, name=name, weight_decay=weight_decay,
            clipnorm=clipnorm, clipvalue=clipvalue, global_clipnorm=global_clipnorm,
            use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, **kwargs,
        )  # fmt: skip
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        if beta_1 <= 0 or beta_1 > 1:
            raise ValueError(
                "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer "
                f"degenerates to SignSGD. Received: beta_1={beta_1}."
            )

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        g = tf.convert_to_tensor(gradient)
        m = self.momentums[self._get_variable_index(variable)]
        b1 = tf.cast(self.beta_1, dt)
        b2 = tf.cast(self.beta_2, dt)
        m_val = m.read_value()
        variable.assign_sub(lr * tf.sign(m_val * b1 + g * (1 - b1)))
        m.assign(m_val * b2 + g * (1 - b2))

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
