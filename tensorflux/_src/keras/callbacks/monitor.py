"""Callbacks that watch a metric or the epoch count: EarlyStopping, ModelCheckpoint,
ReduceLROnPlateau, LearningRateScheduler, BackupAndRestore."""

from __future__ import annotations

import json
import os
import re
import warnings

import numpy as np

from tensorflux._src.keras.callbacks.callback import Callback
from tensorflux._src.keras.utils import io_utils

_UP_NAMES = ("acc", "accuracy", "auc", "precision", "recall", "f1_score", "fbeta_score",
             "iou", "top_k", "r2_score", "true_positives", "true_negatives")  # fmt: skip


def _lr_value(optimizer) -> float:
    lr = optimizer.learning_rate
    if hasattr(lr, "numpy"):
        lr = lr.numpy()
    return float(np.asarray(lr))


class MonitorCallback(Callback):
    """A callback that compares a monitored metric with its best value so far.

    Args:
      monitor: the logs key to watch.
      mode: "min", "max" or "auto" (from the metric: losses go down, accuracies go up).
      baseline: the value to beat at first (None: the first value seen).
      min_delta: the least change that counts as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto mode.",
                stacklevel=2,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = np.less
        elif self.mode == "max":
            self.monitor_op = np.greater
        else:
            name = self.monitor[4:] if self.monitor.startswith("val_") else self.monitor
            if name == "loss":
                self.monitor_op = np.less
            for m in _compiled_metrics(self.model):
                if getattr(m, "name", None) == name:
                    direction = getattr(m, "_direction", None)
                    if direction is None:
                        direction = "up" if _looks_up(name) else "down"
                    self.monitor_op = np.greater if direction == "up" else np.less
            if self.monitor_op is None:
                raise ValueError(
                    f"{type(self).__name__} callback received monitor={self.monitor}, but Keras "
                    "isn't able to automatically determine whether that metric should be "
                    "maximized or minimized. Pass `mode='max'` in order to monitor based on the "
                    "highest metric value, or pass `mode='min'` in order to use the lowest value."
                )
        if self.monitor_op is np.less:
            self.min_delta *= -1

    def _is_improvement(self, value, reference) -> bool:
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))


def _looks_up(name) -> bool:
    return any(name == u or name.endswith(u) or name.startswith(u) for u in _UP_NAMES)


def _compiled_metrics(model) -> list:
    out = []
    for m in getattr(model, "metrics", None) or ():
        sub = getattr(m, "_is_metrics_container", False)
        out.extend(m.metrics if sub else [m])
    return out


class EarlyStopping(MonitorCallback):
    """Stops training when a monitored metric has stopped improving.

    Args:
      monitor: the logs key to watch ("val_loss").
      min_delta: the least change that counts as an improvement.
      patience: epochs without improvement before stopping.
      verbose: 1 prints a message when stopping.
      mode: "auto", "min" or "max".
      baseline: a value the metric must beat; training stops if it does not within `patience`.
      restore_best_weights: put back the weights of the best epoch when training ends.
      start_from_epoch: epochs to wait before watching.
    """

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):  # fmt: skip
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = self.get_monitor_value(logs)
        if current is None or epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            io_utils.print_msg(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                io_utils.print_msg(
                    "Restoring model weights from the end of the best epoch: "
                    f"{self.best_epoch + 1}."
                )
            self.model.set_weights(self.best_weights)

    def get_monitor_value(self, logs):
        logs = logs or {}
        value = logs.get(self.monitor)
        if value is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(list(logs.keys()))}",
                stacklevel=2,
            )
        return value


class ModelCheckpoint(MonitorCallback):
    """Saves the model (or its weights) during training.

    Args:
      filepath: where to save; may hold `{epoch:02d}` and logs keys (`{val_loss:.2f}`). Must end
        in ".keras", or ".weights.h5" with `save_weights_only`.
      monitor: the logs key compared when `save_best_only`.
      verbose: 1 prints a message at each save.
      save_best_only: save only when `monitor` improved.
      save_weights_only: save with `model.save_weights` instead of `model.save`.
      mode: "auto", "min" or "max".
      save_freq: "epoch", or save every this many batches.
      initial_value_threshold: the value `monitor` must beat first.

    Raises:
      ValueError: on a bad `save_freq` or file extension.
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):  # fmt: skip
        super().__init__(monitor, mode, initial_value_threshold)
        self.verbose = verbose
        self.filepath = os.fspath(filepath) if not isinstance(filepath, str) else filepath
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Unrecognized save_freq: {self.save_freq}. Expected save_freq are 'epoch' or "
                "integer values"
            )
        if save_weights_only:
            if not self.filepath.endswith(".weights.h5"):
                raise ValueError(
                    "When using `save_weights_only=True` in `ModelCheckpoint`, the filepath "
                    "provided must end in `.weights.h5` (Keras weights format). Received: "
                    f"filepath={self.filepath}"
                )
        elif not self.filepath.endswith(".keras"):
            raise ValueError(
                "The filepath provided must end in `.keras` (Keras model format). Received: "
                f"filepath={self.filepath}"
            )

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        # a batch index not above the last one seen starts a new epoch
        add = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_seen_since_last_saving += add
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _should_save(self, epoch, filepath, logs) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                io_utils.print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"Can save best model only with {self.monitor} available.",
                          stacklevel=2)  # fmt: skip
            return True
        if isinstance(current, np.ndarray) and current.ndim > 0:
            warnings.warn(
                f"Can save best model only when `monitor` is a scalar value. Received: "
                f"{current}. Falling back to `save_best_only=False`.", stacklevel=2
            )  # fmt: skip
            return True
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                io_utils.print_msg(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                    f"{current:.5f}, saving model to {filepath}"
                )
            self.best = current
            return True
        if self.verbose > 0:
            io_utils.print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch, batch, logs):
        logs = logs or {}
        filepath = self._get_file_path(epoch, batch, logs)
        if not self._should_save(epoch, filepath, logs):
            return
        dirname = os.path.dirname(filepath)
        if dirname and not os.path.exists(dirname):
            os.makedirs(dirname, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)

    def _get_file_path(self, epoch, batch, logs) -> str:
        try:
            if batch is None or "batch" in logs:
                return self.filepath.format(epoch=epoch + 1, **logs)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **logs)
        except KeyError as e:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {e}'
            ) from e


class ReduceLROnPlateau(MonitorCallback):
    """Lowers the learning rate when a metric has stopped improving.

    Args:
      monitor: the logs key to watch.
      factor: the multiplier applied to the learning rate (< 1).
      patience: epochs without improvement before lowering.
      verbose: 1 prints a message on each change.
      mode: "auto", "min" or "max".
      min_delta: the least change that counts as an improvement.
      cooldown: epochs to wait after a change before counting again.
      min_lr: the lowest learning rate.

    Raises:
      ValueError: if `factor >= 1`.
    """

    def __init__(self, monitor="val_loss", factor=0.1, patience=10, verbose=0, mode="auto",
                 min_delta=1e-4, cooldown=0, min_lr=0.0, **kwargs):  # fmt: skip
        super().__init__(monitor, mode, min_delta=min_delta)
        if factor >= 1.0:
            raise ValueError(
                f"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={factor}"
            )
        self.factor = factor
        self.min_lr = min_lr
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self):
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def on_train_begin(self, logs=None):
        self._reset()

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def _reduce(self, optimizer, epoch, name="") -> bool:
        old = _lr_value(optimizer)
        if old > np.float32(self.min_lr):
            new = max(old * self.factor, self.min_lr)
            optimizer.learning_rate = new
            if self.verbose > 0:
                tag = f" {name}" if name else ""
                io_utils.print_msg(
                    f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing{tag} learning rate to {new}."
                )
            return True
        return False

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        opts = getattr(self.model.optimizer, "optimizers", None)
        if opts is not None:
            for opt in opts:
                logs[f"learning_rate_{opt.name}"] = _lr_value(opt)
        else:
            logs["learning_rate"] = _lr_value(self.model.optimizer)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(
                f"Learning rate reduction is conditioned on metric `{self.monitor}` which is not "
                f"available. Available metrics are: {','.join(list(logs.keys()))}.",
                stacklevel=2,
            )
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif not self.in_cooldown():
            self.wait += 1
            if self.wait >= self.patience:
                if opts is not None:
                    reduced = any([self._reduce(o, epoch, f"{o.name}") for o in opts])
                else:
                    reduced = self._reduce(self.model.optimizer, epoch)
                if reduced:
                    self.cooldown_counter = self.cooldown
                    self.wait = 0


class LearningRateScheduler(Callback):
    """Sets the learning rate at the start of each epoch from `schedule(epoch, lr)`.

    Args:
      schedule: `f(epoch, lr) -> new_lr` (or `f(epoch)`), epochs counted from 0.
      verbose: 1 prints the new rate.

    Raises:
      ValueError: if the schedule returns something other than a float.
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def _update(self, optimizer, epoch):
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            lr = self.schedule(epoch, _lr_value(optimizer))
        except TypeError:
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. Got: {lr}")
        optimizer.learning_rate = lr
        return lr

    def on_epoch_begin(self, epoch, logs=None):
        opts = getattr(self.model.optimizer, "optimizers", None)
        for opt in opts if opts is not None else [self.model.optimizer]:
            lr = self._update(opt, epoch)
            if self.verbose > 0:
                which = f"{opt.name} " if opts is not None else ""
                io_utils.print_msg(
                    f"\nEpoch {epoch + 1}: LearningRateScheduler setting {which}learning rate "
                    f"to {lr}."
                )

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        opts = getattr(self.model.optimizer, "optimizers", None)
        if opts is not None:
            for opt in opts:
                logs[f"learning_rate_{opt.name}"] = _lr_value(opt)
        else:
            logs["learning_rate"] = _lr_value(self.model.optimizer)


class BackupAndRestore(Callback):
    """Backs up the weights and the epoch so an interrupted `fit` resumes where it stopped.

    Writes `latest.weights.h5` and `training_metadata.json` in `backup_dir` (with
    `model.save_weights`); a new `fit` with the same directory loads them and skips the epochs
    already done. The backup is removed when training ends normally.

    Args:
      backup_dir: the directory for the backup files.
      save_freq: "epoch", or back up every this many batches.
      double_checkpoint: keep the previous backup too, as a fallback if the latest is broken.
      delete_checkpoint: remove the backup when training finishes.

    Raises:
      ValueError: on an empty `backup_dir` or a bad `save_freq`.
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):  # fmt: skip
        super().__init__()
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        self.backup_dir = backup_dir
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        self._weights_path = os.path.join(backup_dir, "latest.weights.h5")
        self._meta_path = os.path.join(backup_dir, "training_metadata.json")
        self._prev_weights_path = self._weights_path + ".bkp"
        self._prev_meta_path = self._meta_path + ".bkp"
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq}. "
                "Expected either 'epoch' or an integer value."
            )

    def on_train_begin(self, logs=None):
        if not self.model.built:
            raise ValueError(
                "To use the BackupAndRestore callback, you model must be built before you call "
                f"`fit()`. Model {self.model} is unbuilt. You can build it beforehand by calling "
                "it on a batch of data."
            )
        for wpath, mpath in ((self._weights_path, self._meta_path),
                             (self._prev_weights_path, self._prev_meta_path)):  # fmt: skip
            if os.path.exists(wpath):
                try:
                    self.model.load_weights(wpath)
                    if os.path.exists(mpath):
                        with open(mpath) as f:
                            meta = json.load(f)
                        self.model._initial_epoch = meta["epoch"]
                        self._last_batch_seen = meta.get("batch", -1) or 0
                    return
                except Exception:
                    if not self.double_checkpoint:
                        raise
                    continue

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save(epoch + 1, None)

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_seen_since_last_saving += 1
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            self._save(self._current_epoch, batch)

    def _save(self, epoch, batch):
        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint and os.path.exists(self._weights_path):
            os.replace(self._weights_path, self._prev_weights_path)
            if os.path.exists(self._meta_path):
                os.replace(self._meta_path, self._prev_meta_path)
        self.model.save_weights(self._weights_path, overwrite=True)
        with open(self._meta_path, "w") as f:
            json.dump({"epoch": epoch, "batch": batch}, f)

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            for p in (self._weights_path, self._meta_path, self._prev_weights_path,
                      self._prev_meta_path):  # fmt: skip
                if os.path.exists(p):
                    os.remove(p)


def latest_checkpoint_path(filepath):
    """The newest existing file matching a ModelCheckpoint `filepath` pattern, or None."""
    directory = os.path.dirname(filepath) or "."
    base = os.path.basename(filepath)
    pattern = re.compile("^" + re.sub(r"{.*}", r".*", base) + "$")
    best, best_time = None, 0
    for name in os.listdir(directory) if os.path.isdir(directory) else ():
        if pattern.match(name):
            path = os.path.join(directory, name)
            t = os.path.getmtime(path)
            if t >= best_time:
                best, best_time = path, t
    return best
