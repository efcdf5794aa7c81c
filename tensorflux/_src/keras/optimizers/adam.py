"""The Adam family: Adam (amsgrad), AdamW, Adamax, Nadam and Lamb."""

from __future__ import annotations

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras.optimizers.base import Optimizer, common_args, sparse_map
from tensorflux._src.keras.serialization import register_builtin


def _moments(opt, gradient, variable, dt):
    """Updates the first and second moments in place; returns (gradient, m, v)."""
    i = opt._get_variable_index(variable)
    m, v = opt._momentums[i], opt._velocities[i]
    g = tf.convert_to_tensor(gradient)
    m.assign_add((g - m) * tf.cast(1 - opt.beta_1, dt))
    v.assign_add((sparse_map(tf.square, gradient) - v) * tf.cast(1 - opt.beta_2, dt))
    return g, m, v


class _AdamBase(Optimizer):
    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )

    def _powers(self, dt):
        t = self._local_step(dt)
        return tf.pow(tf.cast(self.beta_1, dt), t), tf.pow(tf.cast(self.beta_2, dt), t)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
        }


@register_builtin("keras.optimizers")
class Adam(_AdamBase):
    """Adam: moving averages m, v of the gradient and its square, bias-corrected;
    `w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)`.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      beta_1: decay of the first moment.
      beta_2: decay of the second moment.
      epsilon: added to the denominator.
      amsgrad: use the running maximum of v (AMSGrad).
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def _alpha(self, dt):
        lr = tf.cast(self.learning_rate, dt)
        p1, p2 = self._powers(dt)
        return lr * tf.sqrt(1 - p2) / (1 - p1)

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        alpha = self._step_scalars(dt, self._alpha)
        _, m, v = _moments(self, gradient, variable, dt)
        if self.amsgrad:
            v_hat = self._velocity_hats[self._get_variable_index(variable)]
            v_hat.assign(tf.maximum(v_hat, v))
            v = v_hat
        variable.assign_sub((m * alpha) / (tf.sqrt(v) + tf.cast(self.epsilon, dt)))

    def get_config(self) -> dict:
        return {**super().get_config(), "amsgrad": self.amsgrad}


@register_builtin("keras.optimizers")
class AdamW(Adam):
    """Adam with decoupled weight decay (`w -= lr * weight_decay * w` before each step).

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      weight_decay: the decay rate (default 0.004).
      beta_1: decay of the first moment.
      beta_2: decay of the second moment.
      epsilon: added to the denominator.
      amsgrad: use the running maximum of v (AMSGrad).
      **kwargs: the common `Optimizer` arguments.

    Raises:
      ValueError: if `weight_decay` is None.
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon, amsgrad=amsgrad,
                         **common_args(locals()))  # fmt: skip
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: weight_decay=None")


@register_builtin("keras.optimizers")
class Adamax(_AdamBase):
    """Adamax (Adam with the infinity norm):
    `u = max(beta_2 * u, |g|)`, `w -= lr * m / ((1 - beta_1**t) * (u + epsilon))`.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      beta_1: decay of the first moment.
      beta_2: decay of the infinity norm.
      epsilon: added to the denominator.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        Optimizer.build(self, var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        p1, _ = self._step_scalars(dt, self._powers)
        i = self._get_variable_index(variable)
        m, u = self._m[i], self._u[i]
        g = tf.convert_to_tensor(gradient)
        m.assign_add((g - m) * tf.cast(1 - self.beta_1, dt))
        u.assign(tf.maximum(tf.cast(self.beta_2, dt) * u, sparse_map(tf.abs, gradient)))
        variable.assign_sub((lr * m) / ((1 - p1) * (u + tf.cast(self.epsilon, dt))))


@register_builtin("keras.optimizers")
class Nadam(_AdamBase):
    """Nadam: Adam with Nesterov momentum and a momentum schedule
    `mu_t = beta_1 * (1 - 0.5 * 0.96**t)` (as Keras 3).

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      beta_1: decay of the first moment.
      beta_2: decay of the second moment.
      epsilon: added to the denominator.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        from tensorflux._src.function import init_scope
        from tensorflux._src.keras.variables import Variable

        dt = var_list[0].dtype if var_list else "float32"
        with init_scope():  # Keras creates this one outside the optimizer's name scope
            self._u_product = Variable(1.0, dtype=dt, trainable=False, name="variable")
        self._variables.append(self._u_product)

    def _mu(self, t, dt):
        return tf.cast(self.beta_1, dt) * (1.0 - 0.5 * tf.pow(tf.cast(0.96, dt), t))

    def _backend_update_step(self, grads, variables, learning_rate):
        dt = self._u_product.dtype
        self._u_product.assign(self._u_product * self._mu(self._local_step(dt), dt))
        super()._backend_update_step(grads, variables, learning_rate)

    def _scalars(self, dt):
        t = self._local_step(dt)
        u_t, u_t1 = self._mu(t, dt), self._mu(t + 1, dt)
        prod_t = tf.cast(self._u_product, dt)
        prod_t1 = prod_t * u_t1
        b2_power = tf.pow(tf.cast(self.beta_2, dt), t)
        c_m = u_t1 / (1 - prod_t1)
        c_g = (1 - u_t) / (1 - prod_t)
        return c_m, c_g, 1 - b2_power

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        c_m, c_g, v_corr = self._step_scalars(dt, self._scalars)
        g, m, v = _moments(self, gradient, variable, dt)
        m_hat = c_m * m + c_g * g
        v_hat = v / v_corr
        variable.assign_sub((m_hat * lr) / (tf.sqrt(v_hat) + tf.cast(self.epsilon, dt)))


@register_builtin("keras.optimizers")
class Lamb(_AdamBase):
    """LAMB: the bias-corrected Adam direction, rescaled per variable by the trust ratio
    `||w|| / ||update||` (1 when either norm is 0).

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      beta_1: decay of the first moment.
      beta_2: decay of the second moment.
      epsilon: added to the denominator.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        p1, p2 = self._step_scalars(dt, self._powers)
        _, m, v = _moments(self, gradient, variable, dt)
        update = (m / (1 - p1)) / (tf.sqrt(v / (1 - p2)) + tf.cast(self.epsilon, dt))
        w_norm = tf.sqrt(tf.reduce_sum(tf.square(variable)))
        u_norm = tf.sqrt(tf.reduce_sum(tf.square(update)))
        ok = tf.logical_and(w_norm > 0, u_norm > 0)
        ratio = tf.where(ok, w_norm / tf.where(ok, u_norm, tf.ones_like(u_norm)), 1.0)
        variable.assign_sub(lr * ratio * update)


@register_builtin("keras.optimizers")
class ScheduleFreeAdamW(Optimizer):
    """Schedule-Free AdamW (Defazio et al., 2024) as Keras 3.15 computes it: an Adam-scaled
    step on the sequence z (slot "momentum", starting at the weights), and the weights set to
    the running mean of z (`w = (1 - 1/t) * w + z / t`). The learning rate ramps up linearly
    over `warmup_steps`. As in Keras, `beta_1` is stored but does not enter the update.

    Args:
      learning_rate: a float, schedule or callable (default 0.0025).
      beta_1: kept for the configuration.
      beta_2: decay of the second moment.
      epsilon: added to the denominator.
      warmup_steps: steps of linear learning-rate warmup.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8,
                 warmup_steps=0, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = [], []
        for v in var_list:
            start = v.numpy()
            self._momentums.append(self.add_variable_from_reference(
                v, "momentum", initializer=lambda shape, dtype, s=start: tf.constant(s, dtype)
            ))  # fmt: skip
            self._velocities.append(self.add_variable_from_reference(v, "velocity"))

    def _scalars(self, dt):
        lr = tf.cast(self.learning_rate, dt)
        t = self._local_step(dt)
        if self.warmup_steps:
            lr = lr * tf.minimum(tf.cast(1.0, dt), t / tf.cast(self.warmup_steps, dt))
        return lr, 1 - tf.pow(tf.cast(self.beta_2, dt), t), 1.0 / t

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr, v_corr, c = self._step_scalars(dt, self._scalars)
        i = self._get_variable_index(variable)
        z, v = self._momentums[i], self._velocities[i]
        g = tf.convert_to_tensor(gradient)
        v.assign_add((sparse_map(tf.square, gradient) - v) * tf.cast(1 - self.beta_2, dt))
        z.assign_sub(lr * g / (tf.sqrt(v / v_corr) + tf.cast(self.epsilon, dt)))
        variable.assign(variable * (1 - c) + z * c)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "warmup_steps": self.warmup_steps,
        }
