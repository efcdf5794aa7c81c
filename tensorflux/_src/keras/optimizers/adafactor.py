"""Adafactor: Adam-like steps with a factored (row x column) second moment."""

from __future__ import annotations

from tensorflux._src.function import init_scope
from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras.optimizers.base import Optimizer, common_args, sparse_map
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.keras.variables import Variable


@register_builtin("keras.optimizers")
class Adafactor(Optimizer):
    """Adafactor: the second moment of a matrix kept as row and column averages (memory
    O(n + m)); updates are clipped by their RMS and scaled relative to the weight's RMS.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      beta_2_decay: the second-moment decay is `1 - t**beta_2_decay`.
      epsilon_1: added to the squared gradient.
      epsilon_2: the smallest weight scale.
      clip_threshold: the update's RMS is clipped to this.
      relative_step: cap the step size at `1 / sqrt(t)`.
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30,
                 epsilon_2=1e-3, clip_threshold=1.0, relative_step=True, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for var in var_list:
            shape = tuple(var.shape.as_list())
            short = getattr(var, "name", "v").split(":")[0].split("/")[-1]
            if len(shape) < 2:
                # Keras keeps unused int32 placeholders here (outside its name scope).
                with init_scope():
                    r = Variable(0, shape=(), dtype="int32", trainable=False, name=short)
                    c = Variable(0, shape=(), dtype="int32", trainable=False, name=short)
                self._variables.extend([r, c])
            else:
                r = self.add_variable(shape[:-1], dtype=var.dtype, name=short)
                c = self.add_variable(shape[:-2] + shape[-1:], dtype=var.dtype, name=short)
            self._r.append(r)
            self._c.append(c)
            self._v.append(self.add_variable_from_reference(var, "velocity"))

    def _scalars(self, dt):
        lr = tf.cast(self.learning_rate, dt)
        t = self._local_step(dt)
        rho = tf.minimum(lr, 1.0 / tf.sqrt(t)) if self.relative_step else lr
        beta_2 = 1.0 - tf.pow(t, tf.cast(self.beta_2_decay, dt))
        return rho, beta_2

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        rho, beta_2 = self._step_scalars(dt, self._scalars)
        i = self._get_variable_index(variable)
        r, c, v = self._r[i], self._c[i], self._v[i]
        g = tf.convert_to_tensor(gradient)
        eps2 = tf.cast(self.epsilon_2, dt)
        param_scale = tf.maximum(tf.sqrt(tf.reduce_mean(tf.square(variable))), eps2)
        alpha = tf.maximum(eps2, param_scale) * rho
        g2 = sparse_map(tf.square, gradient) + tf.cast(self.epsilon_1, dt)
        if len(variable.shape) >= 2:
            r.assign(beta_2 * r + (1 - beta_2) * tf.reduce_mean(g2, axis=-1))
            c.assign(beta_2 * c + (1 - beta_2) * tf.reduce_mean(g2, axis=-2))
            r_val = r.read_value()
            row = tf.expand_dims(r_val / tf.reduce_mean(r_val, axis=-1, keepdims=True), -1)
            v.assign(row * tf.expand_dims(c, -2))
        else:
            v.assign(beta_2 * v + (1 - beta_2) * g2)
        u = g / tf.sqrt(v)
        rms = tf.sqrt(tf.reduce_mean(tf.square(u)))
        u = u / tf.maximum(1.0, rms / tf.cast(self.clip_threshold, dt))
        variable.assign_sub(alpha * u)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "beta_2_decay": self.beta_2_decay,
            "epsilon_1": self.epsilon_1,
            "epsilon_2": self.epsilon_2,
            "clip_threshold": self.clip_threshold,
            "relative_step": self.relative_step,
        }
