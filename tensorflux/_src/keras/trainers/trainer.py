"""The training API mixed into `keras.Model`: compile, fit, evaluate, predict (trainer helper).

One step is one call of a compiled `tf.function` wrapping `train_step`/`test_step`/
`predict_step` (or the plain method with `run_eagerly=True`); batches come from
`data_adapters` (NumPy slicing by index arrays), callbacks run only the hooks they override.
Before the first step the model, the compiled loss/metrics and the optimizer slots are built
eagerly on the first batch, so the traced step creates no state.
"""

from __future__ import annotations

import warnings

import numpy as np

from tensorflux._src.core import nest
from tensorflux._src.keras.trainers import data_adapters as _da
from tensorflux._src.keras.trainers.compile_utils import (
    CompileLoss,
    make_compile_metrics,
    metric_class,
)


class _State:
    """Trainer bookkeeping kept out of the layer attribute walk (not a Layer, list or dict)."""

    def __init__(self):
        self.loss_tracker = None
        self.compile_loss = None
        self.compile_metrics = None
        self.compile_config = None
        self.built_for_training = False
        self.eval_iterator = None


def _pythonify(logs):
    out = {}
    for k, v in logs.items():
        if isinstance(v, (float, int, str)):
            out[k] = v
            continue
        arr = np.asarray(v.numpy() if hasattr(v, "numpy") else v)
        out[k] = float(arr) if arr.ndim == 0 else arr
    return out


def _sorted(logs):
    if isinstance(logs, dict):
        return {k: logs[k] for k in sorted(logs)}
    return logs


def _to_numpy(x):
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    return x


class Trainer:
    """`compile`/`fit`/`evaluate`/`predict` and the step methods they call."""

    def __init__(self):
        self._trainer_state = _State()
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.steps_per_execution = 1
        self._run_eagerly = False
        self.jit_compile = False
        self.train_function = None
        self.test_function = None
        self.predict_function = None
        self.stop_training = False
        self.stop_evaluating = False
        self.stop_predicting = False
        self.history = None
        self._initial_epoch = None

    # ------------------------------------------------------------------ state helpers

    @property
    def _ts(self) -> _State:
        st = self.__dict__.get("_trainer_state")
        if st is None:
            st = _State()
            self.__dict__["_trainer_state"] = st
        return st

    @property
    def run_eagerly(self) -> bool:
        return bool(self.__dict__.get("_run_eagerly", False))

    @run_eagerly.setter
    def run_eagerly(self, value):
        self._run_eagerly = bool(value)
        self.train_function = self.test_function = self.predict_function = None

    @property
    def _compile_loss(self):
        return self._ts.compile_loss

    @property
    def _compile_metrics(self):
        return self._ts.compile_metrics

    @property
    def _loss_tracker(self):
        return self._ts.loss_tracker

    # ------------------------------------------------------------------ compile

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        loss_weights=None,
        metrics=None,
        weighted_metrics=None,
        run_eagerly=False,
        steps_per_execution=1,
        jit_compile="auto",
        auto_scale_loss=True,
    ):
        """Configures the model for training.

        Args:
          optimizer: an optimizer name ("adam", "sgd", ...) or instance.
          loss: a loss name, function or `keras.losses.Loss`, or a list/dict of them (one per
            output).
          loss_weights: scalars weighting each output's loss (a list or dict), or one scalar.
          metrics: metric names, functions or objects (a list, or a list/dict per output);
            "accuracy"/"acc" pick the right accuracy from the target and output shapes.
          weighted_metrics: metrics that also receive `sample_weight`/`class_weight`.
          run_eagerly: run the steps as plain Python instead of compiled functions.
          steps_per_execution: batches per call of the step function between callback calls.
          jit_compile: compile the steps with XLA (through JAX) when True; "auto" means False.
          auto_scale_loss: wrap the optimizer in a `LossScaleOptimizer` when the model computes
            in float16.

        Raises:
          ValueError: if `metrics`, `weighted_metrics` or `loss_weights` have the wrong type.
        """
        from tensorflux._src.keras import optimizers as optimizers_module

        if isinstance(optimizer, (str, dict)) or optimizer is None:
            opt = optimizers_module.get(optimizer)
        else:
            opt = optimizer
        if auto_scale_loss and getattr(self, "dtype_policy", None) is not None:
            if self.dtype_policy.compute_dtype == "float16":
                lso = getattr(optimizers_module, "LossScaleOptimizer", None)
                if lso is not None and not isinstance(opt, lso):
                    opt = lso(opt, name="loss_scale_optimizer")
        self.optimizer = opt
        st = self._ts
        st.compile_loss = (
            CompileLoss(loss, loss_weights, output_names=self._output_names())
            if loss is not None else None
        )  # fmt: skip
        if metrics is not None or weighted_metrics is not None:
            st.compile_metrics = make_compile_metrics(
                metrics, weighted_metrics, output_names=self._output_names()
            )
        else:
            st.compile_metrics = None
        st.loss_tracker = metric_class("Mean")(name="loss")
        st.built_for_training = False
        st.compile_config = {
            "optimizer": optimizer, "loss": loss, "loss_weights": loss_weights,
            "metrics": metrics, "weighted_metrics": weighted_metrics,
            "run_eagerly": run_eagerly, "steps_per_execution": steps_per_execution,
            "jit_compile": jit_compile,
        }  # fmt: skip
        self.loss = loss
        self._run_eagerly = bool(run_eagerly)
        self.steps_per_execution = int(steps_per_execution)
        self.jit_compile = False if jit_compile == "auto" else bool(jit_compile)
        self.train_function = self.test_function = self.predict_function = None
        self.stop_training = False
        self.compiled = True

    def _output_names(self):
        struct = self.__dict__.get("_outputs_struct")
        if struct is None:
            return None
        if isinstance(struct, dict):
            return list(struct.keys())
        names = []
        for t in nest.flatten(struct):
            hist = getattr(t, "_keras_history", None)
            names.append(hist.operation.name if hist is not None else None)
        return names

    @property
    def output_names(self):
        return self._output_names()

    def get_compile_config(self):
        """The arguments `compile` was called with (optimizer as an object), or None."""
        cfg = self._ts.compile_config
        if not self.compiled or cfg is None:
            return None
        out = dict(cfg)
        out["optimizer"] = self.optimizer
        out["jit_compile"] = self.jit_compile
        return out

    def compile_from_config(self, config):
        """Compiles from `get_compile_config()`'s output (deserialized)."""
        from tensorflux._src.keras.serialization import deserialize_keras_object

        config = dict(config)
        opt = config.get("optimizer")
        if isinstance(opt, dict):
            config["optimizer"] = deserialize_keras_object(opt)
        for key in ("loss", "metrics", "weighted_metrics", "loss_weights"):
            v = config.get(key)
            if isinstance(v, dict) and "class_name" in v:
                config[key] = deserialize_keras_object(v)
        self.compile(**config)
        if self.built and hasattr(self.optimizer, "build"):
            self.optimizer.build(self.trainable_variables)

    def _assert_compile_called(self, method_name=None):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    # ------------------------------------------------------------------ metrics

    @property
    def metrics(self):
        """The loss tracker, the compiled metrics container, per-output loss trackers, then
        metrics tracked by the model's layers."""
        from tensorflux._src.keras.layers.layer import Layer

        out = []
        st = self._ts
        if self.compiled:
            if st.loss_tracker is not None:
                out.append(st.loss_tracker)
            if st.compile_metrics is not None:
                out.append(st.compile_metrics)
            if st.compile_loss is not None:
                out.extend(st.compile_loss.metrics)
        for m in Layer.metrics.fget(self):
            if m not in out:
                out.append(m)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        """Resets the state of every metric in `metrics`."""
        for m in self.metrics:
            m.reset_state()

    def get_metrics_result(self):
        """The current metric values as a dict (containers expanded into their entries)."""
        out = {}
        for m in self.metrics:
            r = m.result()
            if isinstance(r, dict):
                out.update(r)
            else:
                out[m.name] = r
        return out

    def _get_metrics_result_or_logs(self, logs):
        if not logs:
            return _sorted(_pythonify(self.get_metrics_result())) if self.metrics else {}
        if not isinstance(logs, dict):
            return logs
        result = self.get_metrics_result()
        if set(result) == set(logs):
            return _sorted(_pythonify(result))
        return _sorted(_pythonify(logs))

    def _flatten_metrics_in_order(self, logs):
        names = []
        for m in self.metrics:
            if getattr(m, "_is_metrics_container", False):
                names.extend(sub.name for sub in m.metrics)
            else:
                names.append(m.name)
        out = [logs[n] for n in names if n in logs]
        out.extend(logs[k] for k in sorted(logs) if k not in names)
        return out[0] if len(out) == 1 else out

    # ------------------------------------------------------------------ losses and steps

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss of a batch: the compiled loss plus the model's `losses`.

        Args:
          x: the inputs.
          y: the targets.
          y_pred: the model's outputs.
          sample_weight: per-sample weights.
          training: whether this is a training step.

        Returns:
          A scalar tensor.

        Raises:
          ValueError: if there is no loss to compute.
        """
        import tensorflux as tfx

        losses = []
        cl = self._ts.compile_loss
        if cl is not None:
            value = cl(y, y_pred, sample_weight)
            if value is not None:
                losses.append(value)
        for extra in self.losses:
            extra = tfx.reduce_sum(extra)
            if losses and extra.dtype is not losses[0].dtype:
                extra = tfx.cast(extra, losses[0].dtype)
            losses.append(extra)
        if not losses:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        total = losses[0]
        for v in losses[1:]:
            total = total + v
        return total

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch and returns `get_metrics_result()`."""
        cm = self._ts.compile_metrics
        if cm is not None:
            cm.update_state(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _batch_size_of(self, x):
        import tensorflux as tfx

        first = nest.flatten(x)[0]
        return tfx.cast(tfx.shape(first)[0], "float32")

    def train_step(self, data):
        """One training step on a batch `data` (`x`, `(x, y)` or `(x, y, sample_weight)`).

        Returns:
          A dict of metric values (what the progress bar and callbacks show).
        """
        from tensorflux._src.autodiff.backprop import GradientTape

        x, y, sample_weight = _da.unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                     training=True)  # fmt: skip
            self._ts.loss_tracker.update_state(loss, sample_weight=self._batch_size_of(x))
            scale = getattr(self.optimizer, "scale_loss", None)
            if scale is not None:
                loss = scale(loss)
        weights = self.trainable_weights
        if weights:
            grads = tape.gradient(loss, weights)
            self.optimizer.apply_gradients(zip(grads, weights))
        else:
            warnings.warn("The model does not have any trainable weights.", stacklevel=2)
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        """One evaluation step on a batch; returns a dict of metric values."""
        x, y, sample_weight = _da.unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight,
                                 training=False)  # fmt: skip
        self._ts.loss_tracker.update_state(loss, sample_weight=self._batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        """One inference step on a batch; returns the model's outputs."""
        x, _, _ = _da.unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _wrap(self, step, sort):
        if sort:

            def run(data):
                return _sorted(step(data))

        else:

            def run(data):
                return step(data)

        if self.run_eagerly:
            return run
        from tensorflux._src.function import function

        return function(run, reduce_retracing=True, jit_compile=self.jit_compile or None)

    def make_train_function(self, force=False):
        """Builds `self.train_function(batch) -> logs` (a compiled function of `train_step`)."""
        if self.train_function is not None and not force:
            return self.train_function
        self.train_function = self._wrap(self.train_step, sort=True)
        return self.train_function

    def make_test_function(self, force=False):
        """Builds `self.test_function(batch) -> logs`."""
        if self.test_function is not None and not force:
            return self.test_function
        self.test_function = self._wrap(self.test_step, sort=True)
        return self.test_function

    def make_predict_function(self, force=False):
        """Builds `self.predict_function(batch) -> outputs`."""
        if self.predict_function is not None and not force:
            return self.predict_function
        self.predict_function = self._wrap(self.predict_step, sort=False)
        return self.predict_function

    def _symbolic_build(self, data):
        """Builds the model, compiled loss/metrics and optimizer slots from a first batch."""
        st = self._ts
        if st.built_for_training and self.built:
            return
        x, y, _ = _da.unpack_x_y_sample_weight(data)
        cl, cm = st.compile_loss, st.compile_metrics
        need = (
            (not self.built)
            or (cl is not None and not cl.built)
            or (cm is not None and not cm.built)
        )
        if not self.built:
            # build on shapes with an unknown batch size, as Keras's symbolic build does
            try:
                self.build(_batchless_shapes(x))
            except Exception:
                self.built = False
        if need:
            y_pred = self(x, training=False)
            if y is not None:
                if cl is not None and not cl.built:
                    cl.build(y, y_pred)
                if cm is not None and not cm.built:
                    cm.build(y, y_pred)
        opt = self.optimizer
        if opt is not None and not getattr(opt, "built", False) and self.trainable_variables:
            opt.build(self.trainable_variables)
        st.built_for_training = True

    # ------------------------------------------------------------------ fit / evaluate / predict

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_batch_size=None,
        validation_freq=1,
    ):
        """Trains the model for a number of epochs.

        Args:
          x: the inputs: arrays/tensors (or lists/dicts of them), a `tf.data.Dataset`, a Python
            generator or a `keras.utils.PyDataset` (the last three also yield the targets).
          y: the targets (arrays only).
          batch_size: samples per step for array data (default 32).
          epochs: the index of the last epoch (training runs from `initial_epoch`).
          verbose: "auto" (= 1), 0 (silent), 1 (progress bar) or 2 (one line per epoch).
          callbacks: `keras.callbacks.Callback` objects.
          validation_split: the fraction of the array data (taken from the end, before
            shuffling) held out for validation.
          validation_data: `(x_val, y_val)`, `(x_val, y_val, sample_weight)` or a dataset.
          shuffle: shuffle array data each epoch (True, False or "batch").
          class_weight: `{class_index: weight}` turned into per-sample weights.
          sample_weight: per-sample weights for array data.
          initial_epoch: the epoch to start at (to resume a run).
          steps_per_epoch: batches per epoch (default: one pass over the data).
          validation_steps: batches per validation pass.
          validation_batch_size: the validation batch size (default `batch_size`).
          validation_freq: validate every this many epochs (or at the epochs in a list).

        Returns:
          The `History` callback (`history.history` maps metric names to per-epoch values).

        Raises:
          ValueError: if the model is not compiled or the data are invalid.
        """
        from tensorflux._src.keras.callbacks.callback import CallbackList

        self._assert_compile_called("fit")
        st = self._ts
        st.eval_iterator = None
        if validation_split and validation_data is None:
            (x, y, sample_weight), validation_data = _da.train_validation_split(
                (x, y, sample_weight), validation_split=validation_split
            )
        if validation_data is not None:
            val_x, val_y, val_sw = _da.unpack_x_y_sample_weight(validation_data)
        iterator = _da.EpochIterator(
            x=x, y=y, sample_weight=sample_weight, batch_size=batch_size,
            steps_per_epoch=steps_per_epoch, shuffle=shuffle, class_weight=class_weight,
        )  # fmt: skip
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks, add_history=True, add_progbar=verbose != 0, verbose=verbose,
                epochs=epochs, steps=iterator.num_batches, model=self,
            )  # fmt: skip
        self.stop_training = False
        callbacks.on_train_begin()
        if self._initial_epoch:
            initial_epoch = self._initial_epoch
            self._initial_epoch = None
        train_fn = None
        training_logs = None
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            begin_batch = callbacks.on_train_batch_begin
            end_batch = callbacks.on_train_batch_end
            spe = max(1, self.steps_per_execution)
            pending = None
            for step, data in iterator.enumerate_epoch():
                if train_fn is None:
                    self._symbolic_build(data)
                    train_fn = self.make_train_function()
                if spe == 1:
                    begin_batch(step)
                    logs = train_fn(data)
                    end_batch(step, logs)
                else:  # callbacks see one "batch" per `steps_per_execution` steps
                    if step % spe == 0:
                        begin_batch(step)
                    logs = train_fn(data)
                    pending = step - step % spe + spe - 1  # Keras's index for the group
                    if (step + 1) % spe == 0:
                        end_batch(step, logs)
                        pending = None
                if self.stop_training:
                    break
            if pending is not None:
                end_batch(pending, logs)
            epoch_logs = dict(self._get_metrics_result_or_logs(logs))
            if validation_data is not None and _should_eval(epoch, validation_freq):
                if st.eval_iterator is None:
                    st.eval_iterator = _da.EpochIterator(
                        x=val_x, y=val_y, sample_weight=val_sw,
                        batch_size=validation_batch_size or batch_size,
                        steps_per_epoch=validation_steps, shuffle=False,
                    )  # fmt: skip
                val_logs = self.evaluate(
                    x=val_x, y=val_y, sample_weight=val_sw,
                    batch_size=validation_batch_size or batch_size, steps=validation_steps,
                    callbacks=callbacks, return_dict=True, _use_cached_eval_dataset=True,
                )  # fmt: skip
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        finalize = getattr(self.optimizer, "finalize_variable_values", None)
        if finalize is not None and epochs > 0:
            finalize(self.trainable_weights)
        st.eval_iterator = None
        callbacks.on_train_end(logs=training_logs)
        return self.history

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose="auto",
        sample_weight=None,
        steps=None,
        callbacks=None,
        return_dict=False,
        **kwargs,
    ):
        """Computes the loss and metrics of the model on data, batch by batch.

        Args:
          x, y, sample_weight: the data, as in `fit`.
          batch_size: samples per step for array data (default 32).
          verbose: "auto" (= 1), 0, 1 or 2.
          steps: the number of batches (default: all).
          callbacks: callbacks receiving the `on_test_*` hooks.
          return_dict: return `{name: value}` instead of a list.

        Returns:
          The loss (a float) when there is only the loss, else the list `[loss, metrics...]`
          (or a dict with `return_dict=True`).

        Raises:
          ValueError: if the model is not compiled or an argument is unknown.
        """
        from tensorflux._src.keras.callbacks.callback import CallbackList

        self._assert_compile_called("evaluate")
        use_cached = kwargs.pop("_use_cached_eval_dataset", False)
        if kwargs:
            raise ValueError(f"Arguments not recognized: {kwargs}")
        st = self._ts
        if use_cached and st.eval_iterator is not None:
            iterator = st.eval_iterator
        else:
            iterator = _da.EpochIterator(
                x=x, y=y, sample_weight=sample_weight, batch_size=batch_size,
                steps_per_epoch=steps, shuffle=False,
            )  # fmt: skip
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1,
                steps=iterator.num_batches, model=self,
            )  # fmt: skip
        self.stop_evaluating = False
        callbacks.on_test_begin()
        logs = {}
        self.reset_metrics()
        test_fn = None
        for step, data in iterator.enumerate_epoch():
            if test_fn is None:
                self._symbolic_build(data)
                test_fn = self.make_test_function()
            callbacks.on_test_batch_begin(step)
            logs = test_fn(data)
            callbacks.on_test_batch_end(step, logs)
            if self.stop_evaluating:
                break
        logs = self._get_metrics_result_or_logs(logs)
        callbacks.on_test_end(logs)
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Runs the model on inputs batch by batch and returns NumPy outputs.

        Args:
          x: the inputs (arrays, a dataset, a generator or a `PyDataset`; targets are ignored).
          batch_size: samples per step for array data (default 32).
          verbose: "auto" (= 1), 0, 1 or 2.
          steps: the number of batches (default: all).
          callbacks: callbacks receiving the `on_predict_*` hooks.

        Returns:
          NumPy array(s) shaped like the model's outputs.
        """
        from tensorflux._src.keras.callbacks.callback import CallbackList

        iterator = _da.EpochIterator(x=x, batch_size=batch_size, steps_per_epoch=steps,
                                     shuffle=False)  # fmt: skip
        if not isinstance(callbacks, CallbackList):
            callbacks = CallbackList(
                callbacks, add_progbar=verbose != 0, verbose=verbose, epochs=1,
                steps=iterator.num_batches, model=self,
            )  # fmt: skip
        self.stop_predicting = False
        callbacks.on_predict_begin()
        collected = None
        struct = None
        predict_fn = None
        for step, data in iterator.enumerate_epoch():
            if predict_fn is None:
                predict_fn = self.make_predict_function()
            callbacks.on_predict_batch_begin(step)
            out = predict_fn(data)
            flat = [_to_numpy(o) for o in nest.flatten(out)]
            if collected is None:
                struct = out
                collected = [[] for _ in flat]
            for bucket, arr in zip(collected, flat):
                bucket.append(arr)
            callbacks.on_predict_batch_end(step, {"outputs": out})
            if self.stop_predicting:
                break
        callbacks.on_predict_end()
        if collected is None:
            raise ValueError(
                "Unexpected result of `predict_function` (Empty batch_outputs). Please use "
                "`Model.compile(..., run_eagerly=True)`, or `tf.config.run_functions_eagerly("
                "True)` for more information of where went wrong, or file a issue/bug to "
                "`tf.keras`."
            )
        arrays = [np.concatenate(b, axis=0) if b[0].ndim > 0 else b[-1] for b in collected]
        return nest.pack_sequence_as(struct, arrays)

    # ------------------------------------------------------------------ single batches

    def _batch_data(self, x, y, sample_weight, class_weight=None):
        if class_weight is not None:
            if y is None:
                raise ValueError("`class_weight` requires targets `y`.")
            cw = _da.class_weight_to_sample_weights(nest.flatten(y)[0], class_weight)
            sample_weight = cw if sample_weight is None else np.asarray(sample_weight) * cw
        x = _da._standardize_arrays(x)
        y = _da._standardize_arrays(y)
        sample_weight = _da._standardize_arrays(sample_weight)
        return _da.pack_x_y_sample_weight(x, y, sample_weight)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):  # fmt: skip
        """Runs one training step on a single batch.

        Args:
          x, y, sample_weight: the batch.
          class_weight: `{class_index: weight}` for this batch.
          return_dict: return a dict instead of a list.

        Returns:
          The loss and metric values (a float, a list, or a dict).
        """
        self._assert_compile_called("train_on_batch")
        data = self._batch_data(x, y, sample_weight, class_weight)
        self._symbolic_build(data)
        logs = _pythonify(self.make_train_function()(data))
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates the model on a single batch (metrics keep accumulating).

        Returns:
          The loss and metric values (a float, a list, or a dict).
        """
        self._assert_compile_called("test_on_batch")
        data = self._batch_data(x, y, sample_weight)
        self._symbolic_build(data)
        logs = _pythonify(self.make_test_function()(data))
        if return_dict:
            return logs
        return self._flatten_metrics_in_order(logs)

    def predict_on_batch(self, x):
        """The model's outputs on a single batch, as NumPy arrays."""
        data = _da.pack_x_y_sample_weight(_da._standardize_arrays(x))
        out = self.make_predict_function()(data)
        return nest.map_structure(_to_numpy, out)

    # ------------------------------------------------------------------ legacy accessors

    @property
    def compiled_loss(self):
        """The loss function `compile` built: `compiled_loss(y, y_pred, sample_weight)`."""
        cl = self._ts.compile_loss
        if cl is None:
            return None

        def compiled_loss(y, y_pred, sample_weight=None, regularization_losses=None):
            return self.compute_loss(y=y, y_pred=y_pred, sample_weight=sample_weight)

        return compiled_loss

    @property
    def compiled_metrics(self):
        """The compiled metrics container (`update_state`, `result`, `metrics`), or None."""
        return self._ts.compile_metrics

    # ------------------------------------------------------------------ summary

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):  # fmt: skip
        """Prints a table of the model's layers, output shapes and parameter counts.

        Args:
          line_length: the table width (default 88, or 108 with the "Connected to" column).
          positions: the right edges of the columns, as fractions or absolute positions.
          print_fn: a function called with the whole summary text (default: print to stdout).
          expand_nested: list the layers of nested models too.
          show_trainable: add a column telling whether each layer is trainable.
          layer_range: `[first_name, last_name]` (regular expressions) to print part of it.
        """
        from tensorflux._src.keras.utils import summary_utils

        summary_utils.print_summary(
            self, line_length=line_length, positions=positions, print_fn=print_fn,
            expand_nested=expand_nested, show_trainable=show_trainable,
            layer_range=layer_range,
        )  # fmt: skip


def _should_eval(epoch, validation_freq) -> bool:
    epoch = epoch + 1
    if isinstance(validation_freq, int):
        return epoch % validation_freq == 0
    if isinstance(validation_freq, (list, tuple)):
        return epoch in validation_freq
    raise ValueError(
        "Expected `validation_freq` to be a list or int. Received: "
        f"validation_freq={validation_freq} of the type {type(validation_freq)}."
    )


def _batchless_shapes(x):
    def one(a):
        shape = a.shape.as_list() if hasattr(a.shape, "as_list") else list(np.shape(a))
        return tuple([None] + list(shape[1:]))

    if isinstance(x, dict):
        return {k: one(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [one(v) for v in x]
    return one(x)
