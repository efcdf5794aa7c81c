"""`LossScaleOptimizer`: dynamic loss scaling for mixed-precision training."""

from __future__ import annotations

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.keras.optimizers.base import Optimizer, _eager, _is_sparse, _scale_grad
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)


@register_builtin("keras.optimizers")
class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer so float16 gradients neither underflow nor overflow.

    Scale the loss with `scale_loss(loss)` before taking gradients; `apply` divides the
    gradients by the current scale and applies them with the inner optimizer when all are
    finite. A step with a non-finite gradient is skipped and halves the scale; after
    `dynamic_growth_steps` finite steps in a row the scale doubles.

    Args:
      inner_optimizer: the optimizer doing the updates.
      initial_scale: the starting loss scale.
      dynamic_growth_steps: finite steps between scale doublings.
      name: the optimizer's name.

    Raises:
      ValueError: if `inner_optimizer` is not an `Optimizer`, or for unsupported arguments.
    """

    def __init__(self, inner_optimizer, initial_scale=2.0**15, dynamic_growth_steps=2000,
                 name=None, **kwargs):  # fmt: skip
        if not isinstance(inner_optimizer, Optimizer):
            raise ValueError(
                "Argument `inner_optimizer` must be an instance of `keras.optimizers."
                f"Optimizer`. Received: inner_optimizer={inner_optimizer}"
            )
        unsupported = [k for k in kwargs if k not in ("learning_rate",)]
        if unsupported:
            raise ValueError(
                "LossScaleOptimizer does not support arguments: "
                + ", ".join(f"`{k}`" for k in unsupported)
                + "."
            )
        kwargs.pop("learning_rate", None)
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        self.step_counter = self.add_variable(
            (), initializer="zeros", dtype="int64", aggregation="only_first_replica",
            name="step_counter",
        )  # fmt: skip
        self.dynamic_scale = self.add_variable(
            (), initializer=lambda shape, dtype: tf.constant(float(initial_scale), "float32"),
            dtype="float32", aggregation="only_first_replica", name="dynamic_scale",
        )  # fmt: skip

    def build(self, var_list):
        if not self.inner_optimizer.built:
            self.inner_optimizer.build(var_list)
        self.built = True

    @property
    def variables(self) -> list:
        return list(self._variables) + self.inner_optimizer.variables

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        self.inner_optimizer.learning_rate = value

    def scale_loss(self, loss):
        """`loss` times the current dynamic scale (and the inner optimizer's factor)."""
        return self.inner_optimizer.scale_loss(loss) * tf.cast(self.dynamic_scale, loss.dtype)

    def get_scaled_loss(self, loss):
        """The loss multiplied by the current scale (as `scale_loss`)."""
        return self.scale_loss(tf.convert_to_tensor(loss))

    def get_unscaled_gradients(self, grads):
        """The gradients divided by the current scale (None entries kept)."""
        inv = 1.0 / self.dynamic_scale
        return [None if g is None else _scale_grad(g, tf.cast(inv, g.dtype)) for g in grads]

    def check_finite(self, grads):
        """A scalar bool tensor: whether every gradient entry is finite."""
        flags = []
        for g in grads:
            if g is None:
                continue
            values = g.values if _is_sparse(g) else g
            flags.append(tf.reduce_all(tf.math.is_finite(values)))
        return tf.reduce_all(tf.stack(flags)) if flags else tf.constant(True)

    def apply(self, grads, trainable_variables=None):
        """Unscales `grads` and applies them, or skips the step and lowers the scale."""
        grads = list(grads)
        if trainable_variables is not None:
            trainable_variables = list(trainable_variables)
            if not self.built:
                from tensorflux._src.function import init_scope

                with init_scope():
                    self.build(trainable_variables)
        finite = self.check_finite(grads)

        def good():
            unscaled = self.get_unscaled_gradients(grads)
            self.inner_optimizer.apply(unscaled, trainable_variables)
            grow = tf.greater_equal(self.step_counter + 1, self.dynamic_growth_steps)
            self.step_counter.assign(tf.where(grow, tf.constant(0, "int64"),
                                              self.step_counter + 1))  # fmt: skip
            self.dynamic_scale.assign(tf.where(grow, self.dynamic_scale * 2.0,
                                               self.dynamic_scale.read_value()))  # fmt: skip

        def bad():
            self.step_counter.assign(0)
            self.dynamic_scale.assign(self.dynamic_scale / 2.0)

        if _eager():
            good() if bool(finite) else bad()
            return
        tf.cond(finite, lambda: (good(), tf.constant(0))[1],
                lambda: (bad(), tf.constant(0))[1])  # fmt: skip

    def apply_gradients(self, grads_and_vars):
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])
        return self.iterations

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "inner_optimizer": serialize_keras_object(self.inner_optimizer),
            "initial_scale": self.initial_scale,
            "dynamic_growth_steps": self.dynamic_growth_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        inner = deserialize_keras_object(config.pop("inner_optimizer"),
                                         custom_objects=custom_objects)  # fmt: skip
        return cls(inner, **config)
