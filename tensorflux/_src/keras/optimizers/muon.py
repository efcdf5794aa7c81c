"""Muon: momentum orthogonalized by a Newton-Schulz iteration for 2-D weights, AdamW for the
rest (other ranks, embeddings, excluded layers)."""

from __future__ import annotations

import re

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras.optimizers.base import Optimizer, common_args, sparse_map
from tensorflux._src.keras.serialization import register_builtin
from tensorflux._src.ops import array_ops, linalg_ops


@register_builtin("keras.optimizers")
class Muon(Optimizer):
    """Muon (Jordan et al. 2024; Liu et al. 2025).

    For a 2-D weight: `m = momentum * m + g`; the direction (`g + momentum * m` with Nesterov,
    else `m`) is normalized and pushed towards the nearest orthogonal matrix by `ns_steps`
    iterations `X = a X + (b A + c A A) X`, `A = X X^T`; with `rms_rate`, it is scaled by
    `rms_rate * sqrt(max(rows, cols))`. Every other weight takes an AdamW step with
    `adam_beta_1`, `adam_beta_2`, `epsilon` and `learning_rate * adam_lr_ratio`.

    Args:
      learning_rate: a float, schedule or callable (default 0.001).
      adam_beta_1: Adam's first-moment decay.
      adam_beta_2: Adam's second-moment decay.
      adam_weight_decay: the decay rate of the Adam-updated weights.
      epsilon: Adam's denominator constant.
      weight_decay: the decay rate of the Muon-updated weights.
      exclude_layers: regular expressions; weights whose path matches one use AdamW.
      exclude_embeddings: weights whose path contains "embedding" use AdamW.
      muon_a: Newton-Schulz coefficient a.
      muon_b: Newton-Schulz coefficient b.
      muon_c: Newton-Schulz coefficient c.
      adam_lr_ratio: the AdamW learning rate over the Muon one.
      momentum: the Muon momentum.
      ns_steps: the number of Newton-Schulz iterations.
      nesterov: use Nesterov momentum.
      rms_rate: the update-RMS matching factor (None: no rescaling).
      **kwargs: the common `Optimizer` arguments.
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999,
                 adam_weight_decay=0.004, epsilon=1e-7, weight_decay=0.004, clipnorm=None,
                 clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None,
                 exclude_embeddings=True, muon_a=3.4445, muon_b=-4.775, muon_c=2.0315,
                 adam_lr_ratio=1, momentum=0.95, ns_steps=5, nesterov=True, rms_rate=0.2,
                 **kwargs):  # fmt: skip
        super().__init__(**common_args(locals()))
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.exclude_layers = list(exclude_layers or [])
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _uses_adam(self, variable) -> bool:
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", None) or variable.name
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(p, path) for p in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = [], []
        for v in var_list:
            self._momentums.append(self.add_variable_from_reference(v, "momentum"))
            self._velocities.append(
                self.add_variable_from_reference(v, "velocity") if self._uses_adam(v) else None
            )

    def _apply_weight_decay(self, variables):
        for v in variables:
            wd = self.adam_weight_decay if self._uses_adam(v) else self.weight_decay
            if wd is None or not self._use_weight_decay(v):
                continue
            lr = tf.cast(self.learning_rate, v.dtype)
            v.assign(v - v * tf.cast(wd, v.dtype) * lr)

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        g = tf.convert_to_tensor(gradient)
        m = self._momentums[i]
        if self._velocities[i] is not None:
            v = self._velocities[i]
            t = self._local_step(dt)
            b1, b2 = tf.cast(self.adam_beta_1, dt), tf.cast(self.adam_beta_2, dt)
            alpha = lr * tf.cast(self.adam_lr_ratio, dt)
            alpha = alpha * tf.sqrt(1 - tf.pow(b2, t)) / (1 - tf.pow(b1, t))
            m.assign_add((g - m) * (1 - b1))
            v.assign_add((sparse_map(tf.square, gradient) - v) * (1 - b2))
            variable.assign_sub((m * alpha) / (tf.sqrt(v) + tf.cast(self.epsilon, dt)))
            return
        mu = tf.cast(self.momentum, dt)
        m.assign_add(g + m * (mu - 1))
        direction = g + mu * m if self.nesterov else m.read_value()
        update = self._orthogonalize(direction)
        if self.rms_rate is not None:
            rows, cols = variable.shape.as_list()
            update = update * tf.cast(self.rms_rate * max(rows, cols) ** 0.5, dt)
        variable.assign_sub(lr * update)

    def _orthogonalize(self, x):
        tall = x.shape[0] > x.shape[1]
        if tall:
            x = array_ops.transpose(x)
        x = x / (tf.sqrt(tf.reduce_sum(tf.square(x))) + 1e-7)
        a, b, c = self.muon_a, self.muon_b, self.muon_c
        for _ in range(self.ns_steps):
            gram = linalg_ops.matmul(x, x, transpose_b=True)
            poly = b * gram + c * linalg_ops.matmul(gram, gram)
            x = a * x + linalg_ops.matmul(poly, x)
        return array_ops.transpose(x) if tall else x

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "adam_beta_1": self.adam_beta_1,
            "adam_beta_2": self.adam_beta_2,
            "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers,
            "muon_a": self.muon_a,
            "muon_b": self.muon_b,
            "muon_c": self.muon_c,
            "adam_lr_ratio": self.adam_lr_ratio,
            "momentum": self.momentum,
            "ns_steps": self.ns_steps,
            "nesterov": self.nesterov,
            "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay,
            "rms_rate": self.rms_rate,
        }
