"""`keras.optimizers.Optimizer`: the Keras 3 optimizer base (state, clipping, decay, EMA).

Subclasses create their slots in `build(var_list)` (always eagerly, under `init_scope`) and write
the per-variable math in `update_step(gradient, variable, learning_rate)` with `assign*` calls, so
one implementation runs eagerly and inside tf.function. Scalars shared by every variable of a
step (bias corrections...) come from `_step_scalars(dtype)`, computed once per step and dtype.
"""

from __future__ import annotations

import re
import warnings

import numpy as np

from tensorflux._src.keras.optimizers import _tf as tf
from tensorflux._src.function import init_scope
from tensorflux._src.keras import backend
from tensorflux._src.keras.optimizers.schedules import LearningRateSchedule
from tensorflux._src.keras.serialization import (
    deserialize_keras_object,
    register_builtin,
    serialize_keras_object,
)
from tensorflux._src.keras.variables import Variable


_I64_0 = np.int64(0)


def _is_sparse(g) -> bool:
    return getattr(g, "_is_indexed_slices", False)


def sparse_map(fn, g):
    """`fn` applied element-wise to a gradient; on an IndexedSlices it maps the rows before
    they are summed (duplicate indices: fn of each row, then added, as Keras on TensorFlow)."""
    if _is_sparse(g):
        return tf.convert_to_tensor(tf.IndexedSlices(fn(g.values), g.indices, g.dense_shape))
    return fn(g)


def _eager() -> bool:
    return tf.executing_eagerly()


def _when(pred, fn):
    """Runs `fn` (state updates, no outputs) when the scalar bool `pred` holds."""
    if _eager():
        if bool(pred):
            fn()
        return
    tf.cond(pred, lambda: (fn(), tf.constant(0))[1], lambda: tf.constant(0))


@register_builtin("keras.optimizers")
class Optimizer:
    """Base class of Keras optimizers.

    Args:
      learning_rate: a float, a `LearningRateSchedule` (evaluated at `iterations`), or a
        callable taking no arguments.
      weight_decay: if set, each step first shrinks variables by `lr * weight_decay * var`.
      clipnorm: clips each gradient to this L2 norm.
      clipvalue: clips each gradient element to `[-clipvalue, clipvalue]`.
      global_clipnorm: clips all gradients together to this global norm.
      use_ema: keeps an exponential moving average of the variables.
      ema_momentum: the EMA momentum (`avg = m * avg + (1 - m) * var`).
      ema_overwrite_frequency: every this many steps the variables take their averages.
      loss_scale_factor: `scale_loss` multiplies by it and gradients are divided by it.
      gradient_accumulation_steps: applies the mean gradient every this many calls.
      name: the optimizer's name (its variables' path prefix).

    Raises:
      ValueError: for several clipping options at once, a bad learning rate, or out-of-range
        EMA / accumulation settings.
    """

    _is_keras_optimizer = True

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.",
                          stacklevel=2)  # fmt: skip
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if name is None:
            name = backend.unique_object_name(backend.to_snake_case(type(self).__name__))
        self.name = name
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.global_clipnorm = global_clipnorm
        self.clipvalue = clipvalue
        self.use_ema = use_ema
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        if gradient_accumulation_steps is not None and (
            not isinstance(gradient_accumulation_steps, int) or gradient_accumulation_steps < 2
        ):
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. Received: "
                f"gradient_accumulation_steps={gradient_accumulation_steps}"
            )
        if use_ema:
            if not 0 <= ema_momentum <= 1:
                raise ValueError(
                    f"`ema_momentum` must be in the range [0, 1]. Received: "
                    f"ema_momentum={ema_momentum}"
                )
            if ema_overwrite_frequency is not None and (
                not isinstance(ema_overwrite_frequency, int) or ema_overwrite_frequency < 1
            ) and ema_overwrite_frequency != 0:  # fmt: skip
                raise ValueError(
                    "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
                    f"ema_overwrite_frequency={ema_overwrite_frequency}"
                )
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        set_clip = sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm))
        if set_clip > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}"
            )
        self.built = False
        self._variables: list = []
        self._trainable_variables: list = []
        self._index: dict = {}
        self._exclude_ids: set = set()
        self._exclude_names: list = []
        self._scalar_cache: dict = {}
        with init_scope(), backend.name_scope(self.name):
            self._iterations = Variable(
                0, shape=(), dtype="int64", trainable=False,
                aggregation="only_first_replica", name="iteration",
            )  # fmt: skip
        self._variables.append(self._iterations)
        if isinstance(learning_rate, LearningRateSchedule) or (
            callable(learning_rate) and not hasattr(learning_rate, "numpy")
        ):
            self._learning_rate = learning_rate
        elif isinstance(learning_rate, (int, float, np.number)) and not isinstance(
            learning_rate, bool
        ):
            with init_scope(), backend.name_scope(self.name):
                self._learning_rate = Variable(
                    float(learning_rate), shape=(), dtype=backend.floatx(), trainable=False,
                    aggregation="only_first_replica", name="learning_rate",
                )  # fmt: skip
            self._variables.append(self._learning_rate)
        else:
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration "
                "value and returns the corresponding learning rate value). Received instead: "
                f"learning_rate={learning_rate}"
            )

    # ------------------------------------------------------------------ state

    @property
    def iterations(self):
        """The number of update steps applied (an int64 variable, or a tensor when
        accumulating gradients: calls // gradient_accumulation_steps)."""
        if self.gradient_accumulation_steps:
            return self._iterations // self.gradient_accumulation_steps
        return self._iterations

    @property
    def variables(self) -> list:
        """Every state variable: iteration, learning rate, then the slots."""
        return list(self._variables)

    @property
    def learning_rate(self):
        """The current learning rate: the variable, or the schedule's value at the number of
        `apply` calls so far."""
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)  # every call counts, also when accumulating (as Keras)
        if callable(lr) and not isinstance(lr, tf.Variable):
            return lr()
        return lr

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, LearningRateSchedule) or (
            callable(value) and not hasattr(value, "numpy")
        ):
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not "
                "settable. If you need the learning rate to be settable, you should "
                "instantiate the optimizer with a float `learning_rate` argument."
            )
        if not isinstance(self._learning_rate, tf.Variable):
            with init_scope(), backend.name_scope(self.name):
                self._learning_rate = Variable(
                    float(value), shape=(), dtype=backend.floatx(), trainable=False,
                    name="learning_rate",
                )  # fmt: skip
            self._variables.insert(1, self._learning_rate)
            return
        self._learning_rate.assign(value)

    def add_variable(
        self, shape, initializer="zeros", dtype=None, aggregation="none", layout=None, name=None
    ):
        """Creates an optimizer state variable under the optimizer's name scope.

        Args:
          shape: the variable's shape.
          initializer: an initializer or its name.
          dtype: the dtype (default floatx).
          aggregation: the variable's aggregation.
          layout: ignored (distribution layouts are not supported).
          name: the short name.

        Returns:
          The new `keras.Variable` (also appended to `variables`).
        """
        with init_scope(), backend.name_scope(self.name):
            v = Variable(
                initializer, shape=shape, dtype=dtype, trainable=False,
                aggregation=aggregation, name=name,
            )  # fmt: skip
        self._variables.append(v)
        return v

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A state variable shaped like `reference_variable`, named "<its path>_<name>"."""
        base = getattr(reference_variable, "path", None) or reference_variable.name
        full = base.replace("/", "_").replace(":", "_")
        if name:
            full = f"{full}_{name}"
        return self.add_variable(
            shape=tuple(reference_variable.shape.as_list()), initializer=initializer,
            dtype=reference_variable.dtype, name=full,
        )  # fmt: skip

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One state variable per trainable variable (see `add_variable_from_reference`)."""
        if isinstance(name, str):
            return [self.add_variable_from_reference(v, name, initializer)
                    for v in trainable_variables]  # fmt: skip
        out = [[] for _ in name]
        for v in trainable_variables:
            for i, n in enumerate(name):
                out[i].append(self.add_variable_from_reference(v, n, initializer))
        return tuple(out)

    def build(self, var_list):
        """Creates the state for `var_list` (EMA averages, gradient accumulators; subclasses
        add their slots). Does nothing once built."""
        if self.built:
            return
        var_list = list(var_list)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(var_list, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                var_list, "gradient_accumulator"
            )
        self._trainable_variables = var_list[:]
        self._index = {id(v): i for i, v in enumerate(var_list)}
        self.built = True

    def _get_variable_index(self, variable) -> int:
        i = self._index.get(id(variable))
        if i is None:
            raise ValueError(
                f"Unknown variable: {variable}. This optimizer can only be called for the "
                "variables it was originally built with. When working with a new set of "
                "variables, you should recreate a new optimizer instance."
            )
        return i

    def _build_eagerly(self, var_list):
        with init_scope():
            self.build(var_list)

    # ------------------------------------------------------------------ applying

    def apply_gradients(self, grads_and_vars):
        """Applies `[(gradient, variable), ...]`; returns `iterations`."""
        pairs = list(grads_and_vars)
        grads = [g for g, _ in pairs]
        variables = [v for _, v in pairs]
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: the ones the optimizer was built with).

        Args:
          grads: a list of gradients (None entries are skipped with a warning).
          trainable_variables: the variables, in the order of `grads`.

        Raises:
          ValueError: if every gradient is None, or a variable is unknown.
        """
        grads = list(grads)
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already be "
                    "built on a list of variables. Call `optimizer.build(trainable_variables)` "
                    "first."
                )
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self._build_eagerly(trainable_variables)
            else:
                for v in trainable_variables:
                    self._get_variable_index(v)
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        if self.loss_scale_factor is not None:
            scale = self.loss_scale_factor
            grads = [_scale_grad(g, 1.0 / scale) for g in grads]
        direct = [getattr(v, "overwrite_with_gradient", False) for v in trainable_variables]
        if any(direct):
            for g, v, d in zip(grads, trainable_variables, direct):
                if d:
                    v.assign(tf.convert_to_tensor(g, dtype=v.dtype))
            grads = [g for g, d in zip(grads, direct) if not d]
            trainable_variables = [v for v, d in zip(trainable_variables, direct) if not d]
        self._scalar_cache = {}
        if self.gradient_accumulation_steps:
            self._apply_accumulated(grads, trainable_variables)
        else:
            self._apply_now(grads, trainable_variables)
        if self.use_ema:  # every call, also between accumulated updates (as Keras)
            self._update_ema(trainable_variables)
        self._scalar_cache = {}
        self._iterations.assign_add(1)
        for v in trainable_variables:
            constraint = getattr(v, "constraint", None)
            if constraint is not None:
                v.assign(constraint(v))

    def _apply_now(self, grads, variables):
        if grads:
            grads = self._clip_gradients(grads)
            self._apply_weight_decay(variables)
            self._backend_update_step(grads, variables, self.learning_rate)

    def _apply_accumulated(self, grads, variables):
        steps = self.gradient_accumulation_steps
        accs = [self._accumulated_gradients[self._get_variable_index(v)] for v in variables]
        is_update = tf.equal((self._iterations + 1) % steps, _I64_0)

        def update():
            mean = [(acc + tf.convert_to_tensor(g)) / steps for g, acc in zip(grads, accs)]
            self._apply_now(mean, variables)
            for acc in accs:
                acc.assign(tf.zeros_like(acc))

        def accumulate():
            for g, acc in zip(grads, accs):
                acc.assign_add(tf.convert_to_tensor(g))

        if _eager():
            update() if bool(is_update) else accumulate()
            return
        tf.cond(is_update, lambda: (update(), tf.constant(0))[1],
                lambda: (accumulate(), tf.constant(0))[1])  # fmt: skip

    def _backend_update_step(self, grads, variables, learning_rate):
        for g, v in zip(grads, variables):
            self.update_step(g, v, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Applies one gradient to one variable; implemented by each optimizer."""
        raise NotImplementedError

    def _step_scalars(self, dtype, make):
        """`make(dtype)` computed once per step and dtype (shared by all variables)."""
        key = (dtype, make)
        out = self._scalar_cache.get(key)
        if out is None:
            out = self._scalar_cache[key] = make(dtype)
        return out

    def _lr(self, learning_rate, dtype):
        return tf.cast(learning_rate, dtype)

    def _local_step(self, dtype):
        return tf.cast(self.iterations + 1, dtype)

    def _filter_empty_gradients(self, grads, variables):
        if len(grads) != len(variables):
            raise ValueError(
                "The number of gradients and variables must be the same. Received "
                f"{len(grads)} gradients and {len(variables)} variables."
            )
        missing = [v for g, v in zip(grads, variables) if g is None]
        if not missing:
            return grads, variables
        if len(missing) == len(grads):
            raise ValueError("No gradients provided for any variable.")
        warnings.warn(
            f"Gradients do not exist for variables {[v.name for v in missing]} when minimizing "
            "the loss. If using `model.compile()`, did you forget to provide a `loss` argument?",
            stacklevel=3,
        )
        kept = [(g, v) for g, v in zip(grads, variables) if g is not None]
        return [g for g, _ in kept], [v for _, v in kept]

    def _clip_gradients(self, grads):
        if self.clipnorm is not None:
            return [_map_values(g, lambda x: tf.clip_by_norm(x, self.clipnorm)) for g in grads]
        if self.clipvalue is not None:
            cv = self.clipvalue
            return [_map_values(g, lambda x: tf.clip_by_value(x, -cv, cv)) for g in grads]
        if self.global_clipnorm is not None:
            norm = tf.linalg.global_norm([g.values if _is_sparse(g) else g for g in grads])
            # As Keras: the norm counts each sparse row once; the clipped gradients are dense.
            dense = [tf.convert_to_tensor(g) for g in grads]
            return tf.clip_by_global_norm(dense, self.global_clipnorm, use_norm=norm)[0]
        return grads

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempts variables (or any whose name contains one of `var_names`) from decay."""
        if self.built:
            raise ValueError(
                "`exclude_from_weight_decay()` can only be configured before the optimizer "
                "is built."
            )
        self._exclude_ids = {id(v) for v in (var_list or [])}
        self._exclude_names = [re.compile(n) for n in (var_names or [])]

    def _use_weight_decay(self, variable) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        return not any(p.search(variable.name) for p in self._exclude_names)

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for v in variables:
            if self._use_weight_decay(v):
                lr = tf.cast(self.learning_rate, v.dtype)
                wd = tf.cast(self.weight_decay, v.dtype)
                v.assign(v - v * wd * lr)

    def _update_ema(self, variables):
        m = self.ema_momentum
        not_first = tf.not_equal(self.iterations, _I64_0)
        for v in variables:
            avg = self._model_variables_moving_average[self._get_variable_index(v)]
            mom = tf.cast(not_first, v.dtype) * tf.cast(m, v.dtype)
            avg.assign(mom * avg + (1 - mom) * v)
        freq = self.ema_overwrite_frequency
        if freq:
            pred = tf.equal((self.iterations + 1) % freq, _I64_0)
            _when(pred, lambda: self._overwrite_with_averages(variables))

    def _overwrite_with_averages(self, variables):
        for v in variables:
            v.assign(self._model_variables_moving_average[self._get_variable_index(v)])

    def finalize_variable_values(self, var_list):
        """At the end of training: with `use_ema`, each variable takes its moving average."""
        if self.use_ema:
            self._overwrite_with_averages(list(var_list))

    def minimize(self, loss, var_list, tape=None):
        """Computes gradients of `loss` and applies them.

        Args:
          loss: a callable taking no arguments (run under a new tape) or, with `tape`, a tensor.
          var_list: the variables, or a callable returning them.
          tape: the `tf.GradientTape` that recorded `loss`.

        Returns:
          The `iterations` variable.
        """
        if tape is None:
            if not callable(loss):
                raise ValueError("`tape` is required when a `Tensor` loss is passed.")
            with tf.GradientTape() as tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss_value = loss()
        else:
            loss_value = loss
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        grads = tape.gradient(loss_value, var_list)
        return self.apply_gradients(zip(grads, var_list))

    def scale_loss(self, loss):
        """`loss * loss_scale_factor` (unchanged when no factor is set)."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    # ------------------------------------------------------------------ small helpers

    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    def set_weights(self, weights):
        """Sets every state variable from a list of arrays (in `variables` order)."""
        if len(weights) != len(self._variables):
            raise ValueError(
                f"Optimizer variable count mismatch: expected {len(self._variables)} weights, "
                f"received {len(weights)}."
            )
        for v, w in zip(self._variables, weights):
            v.assign(w)

    def save_own_variables(self, store):
        for i, v in enumerate(self._variables):
            store[str(i)] = np.asarray(v.numpy())

    def load_own_variables(self, store):
        if len(store.keys()) != len(self._variables):
            warnings.warn(
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self._variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables.",
                stacklevel=2,
            )
            return
        for i, v in enumerate(self._variables):
            v.assign(store[str(i)])

    # ------------------------------------------------------------------ config

    def get_config(self) -> dict:
        lr = self._learning_rate
        if isinstance(lr, tf.Variable):
            lr = float(lr.numpy())
        else:
            lr = serialize_keras_object(lr)
        return {
            "name": self.name,
            "learning_rate": lr,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_keras_object(
                config["learning_rate"], custom_objects=custom_objects
            )
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} object at {hex(id(self))}>"


def _map_values(g, fn):
    if _is_sparse(g):
        return tf.IndexedSlices(fn(g.values), g.indices, g.dense_shape)
    return fn(g)


def _scale_grad(g, factor):
    if _is_sparse(g):
        return tf.IndexedSlices(g.values * factor, g.indices, g.dense_shape)
    return g * factor


_COMMON = (
    "learning_rate", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "use_ema",
    "ema_momentum", "ema_overwrite_frequency", "loss_scale_factor",
    "gradient_accumulation_steps", "name",
)  # fmt: skip


def common_args(local_vars: dict) -> dict:
    """The base-class arguments (and extra **kwargs) out of a subclass __init__'s locals()."""
    out = {k: local_vars[k] for k in _COMMON}
    out.update(local_vars.get("kwargs") or {})
    return out
