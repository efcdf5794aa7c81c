"""`keras.callbacks.Callback`, `CallbackList` and the simple callbacks (History, progress bar,
lambda, NaN guard, CSV log, remote monitor)."""

from __future__ import annotations

import collections
import csv
import json
import os
import warnings

import numpy as np

from tensorflux._src.keras.utils import io_utils
from tensorflux._src.keras.utils.progbar import Progbar

_HOOKS = (
    "on_batch_begin", "on_batch_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_batch_begin", "on_predict_batch_end", "on_train_begin", "on_train_end",
    "on_test_begin", "on_test_end", "on_predict_begin", "on_predict_end",
)  # fmt: skip


class Callback:
    """Base class of callbacks: override the `on_*` hooks you need.

    `model` is the model being trained (set by `set_model`), `params` the run's parameters
    (`verbose`, `epochs`, `steps`). Batch hooks receive the batch index and the logs dict of the
    running metric values; epoch hooks the epoch index and the epoch's logs.
    """

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    @model.setter
    def model(self, value):
        self._model = value

    def on_batch_begin(self, batch, logs=None):
        """Alias of `on_train_batch_begin` (kept for older code)."""

    def on_batch_end(self, batch, logs=None):
        """Alias of `on_train_batch_end` (kept for older code)."""

    def on_epoch_begin(self, epoch, logs=None):
        """Called at the start of each training epoch."""

    def on_epoch_end(self, epoch, logs=None):
        """Called at the end of each training epoch with its metrics (and validation ones)."""

    def on_train_batch_begin(self, batch, logs=None):
        """Called before each training batch; calls `on_batch_begin` by default."""
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        """Called after each training batch; calls `on_batch_end` by default."""
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        """Called before each `evaluate` (or validation) batch."""

    def on_test_batch_end(self, batch, logs=None):
        """Called after each `evaluate` (or validation) batch."""

    def on_predict_batch_begin(self, batch, logs=None):
        """Called before each `predict` batch."""

    def on_predict_batch_end(self, batch, logs=None):
        """Called after each `predict` batch (`logs["outputs"]` holds the batch's outputs)."""

    def on_train_begin(self, logs=None):
        """Called when `fit` starts."""

    def on_train_end(self, logs=None):
        """Called when `fit` ends."""

    def on_test_begin(self, logs=None):
        """Called when `evaluate` (or a validation pass) starts."""

    def on_test_end(self, logs=None):
        """Called when `evaluate` (or a validation pass) ends."""

    def on_predict_begin(self, logs=None):
        """Called when `predict` starts."""

    def on_predict_end(self, logs=None):
        """Called when `predict` ends."""


def _overridden(cb, name) -> bool:
    if name in cb.__dict__:
        return True
    fn = getattr(type(cb), name, None)
    base = getattr(Callback, name)
    if fn is not base:
        return True
    if name in ("on_train_batch_begin", "on_train_batch_end"):
        alias = name.replace("train_", "")
        return alias in cb.__dict__ or getattr(type(cb), alias, None) is not getattr(
            Callback, alias
        )
    return False


def _pythonify(logs):
    if not logs:
        return logs if logs is not None else {}
    out = {}
    for k, v in logs.items():
        if isinstance(v, (float, int, str)):
            out[k] = v
        elif hasattr(v, "numpy") or isinstance(v, (np.ndarray, np.generic)):
            arr = np.asarray(v.numpy() if hasattr(v, "numpy") else v)
            out[k] = float(arr) if arr.ndim == 0 else arr
        else:
            out[k] = v
    return out


class CallbackList(Callback):
    """Runs a list of callbacks as one.

    Args:
      callbacks: the callbacks.
      add_history: whether to add a `History` callback when none is given.
      add_progbar: whether to add a `ProgbarLogger` when none is given.
      model: the model the callbacks observe.
      **params: the run's parameters given to every callback (`verbose`, `epochs`, `steps`).
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):  # fmt: skip
        super().__init__()
        self.callbacks = list(callbacks) if callbacks else []
        self._history = None
        self._progbar = None
        for cb in self.callbacks:
            if isinstance(cb, History):
                self._history = cb
            elif isinstance(cb, ProgbarLogger):
                self._progbar = cb
        if add_history and self._history is None:
            self._history = History()
            self.callbacks.append(self._history)
        if add_progbar and self._progbar is None:
            self._progbar = ProgbarLogger()
            self.callbacks.append(self._progbar)
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)
        self._refresh()

    def _refresh(self) -> None:
        # Per hook, only the callbacks that override it, so no-op hooks cost nothing.
        self._active = {h: [cb for cb in self.callbacks if _overridden(cb, h)] for h in _HOOKS}

    def append(self, callback):
        self.callbacks.append(callback)
        self._refresh()

    def set_params(self, params):
        self.params = params
        for cb in self.callbacks:
            cb.set_params(params)

    def set_model(self, model):
        super().set_model(model)
        if self._history is not None:
            model.history = self._history
        for cb in self.callbacks:
            cb.set_model(model)

    def _call(self, hook, *args, logs=None):
        active = self._active[hook]
        if not active:
            return
        logs = _pythonify(logs)
        for cb in active:
            getattr(cb, hook)(*args, logs=logs)

    def on_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_epoch_begin(self, epoch, logs=None):
        self._call("on_epoch_begin", epoch, logs=logs)

    def on_epoch_end(self, epoch, logs=None):
        self._call("on_epoch_end", epoch, logs=logs)

    def on_train_batch_begin(self, batch, logs=None):
        self._call("on_train_batch_begin", batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self._call("on_train_batch_end", batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        self._call("on_test_batch_begin", batch, logs=logs)

    def on_test_batch_end(self, batch, logs=None):
        self._call("on_test_batch_end", batch, logs=logs)

    def on_predict_batch_begin(self, batch, logs=None):
        self._call("on_predict_batch_begin", batch, logs=logs)

    def on_predict_batch_end(self, batch, logs=None):
        active = self._active["on_predict_batch_end"]
        for cb in active:
            cb.on_predict_batch_end(batch, logs=logs)

    def on_train_begin(self, logs=None):
        self._call("on_train_begin", logs=logs)

    def on_train_end(self, logs=None):
        self._call("on_train_end", logs=logs)

    def on_test_begin(self, logs=None):
        self._call("on_test_begin", logs=logs)

    def on_test_end(self, logs=None):
        self._call("on_test_end", logs=logs)

    def on_predict_begin(self, logs=None):
        self._call("on_predict_begin", logs=logs)

    def on_predict_end(self, logs=None):
        self._call("on_predict_end", logs=logs)

    def __iter__(self):
        return iter(self.callbacks)


class History(Callback):
    """Records each epoch's logs: `history.history` maps a metric name to its per-epoch values.

    `fit` adds one to every run and returns it (also kept as `model.history`).
    """

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        self.epoch.append(epoch)
        for k, v in logs.items():
            self.history.setdefault(k, []).append(v)
        self.model.history = self


class ProgbarLogger(Callback):
    """Prints the progress bar and metrics during `fit`, `evaluate` and `predict`."""

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.progbar = None
        self.target = None
        self.verbose = 1
        self.epochs = 1
        self._called_in_fit = False

    def set_params(self, params):
        verbose = params["verbose"]
        self.verbose = 1 if verbose == "auto" else verbose
        self.epochs = params["epochs"]
        self.target = params["steps"]

    def on_train_begin(self, logs=None):
        self._called_in_fit = True

    def on_test_begin(self, logs=None):
        if not self._called_in_fit:
            self._reset()
            self._ensure()

    def on_predict_begin(self, logs=None):
        self._reset()
        self._ensure()

    def on_epoch_begin(self, epoch, logs=None):
        self._reset()
        self._ensure()
        if self.verbose and self.epochs > 1:
            io_utils.print_msg(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_test_batch_end(self, batch, logs=None):
        if not self._called_in_fit:
            self._update(batch, logs)

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_epoch_end(self, epoch, logs=None):
        self._finalize(logs)

    def on_test_end(self, logs=None):
        if not self._called_in_fit:
            self._finalize(logs)

    def on_predict_end(self, logs=None):
        self._finalize(logs)

    def _reset(self):
        self.seen = 0
        self.progbar = None

    def _ensure(self):
        if self.progbar is None:
            self.progbar = Progbar(
                target=self.target, verbose=self.verbose, unit_name="step",
                stateless_metrics=set(),
            )  # fmt: skip

    def _update(self, batch, logs=None):
        self._ensure()
        self.seen = batch + 1
        if self.verbose == 1:
            self.progbar.update(self.seen, list((logs or {}).items()), finalize=False)

    def _finalize(self, logs):
        self._ensure()
        if self.target is None:
            self.target = self.seen
            self.progbar.target = self.target
        self.progbar.update(self.target, list((logs or {}).items()), finalize=True)


class LambdaCallback(Callback):
    """A callback built from functions.

    Args:
      on_epoch_begin / on_epoch_end: `f(epoch, logs)`.
      on_train_begin / on_train_end: `f(logs)`.
      on_train_batch_begin / on_train_batch_end: `f(batch, logs)`.
      **kwargs: any other hook by name (`on_test_batch_end=...`, ...).
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):  # fmt: skip
        super().__init__()
        self.__dict__.update(kwargs)
        given = dict(
            on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
            on_train_begin=on_train_begin, on_train_end=on_train_end,
            on_train_batch_begin=on_train_batch_begin, on_train_batch_end=on_train_batch_end,
        )  # fmt: skip
        for name, fn in given.items():
            if fn is not None:
                setattr(self, name, fn)


class TerminateOnNaN(Callback):
    """Stops training as soon as a batch's loss is NaN or infinite.

    Args:
      raise_error: raise a RuntimeError instead of stopping quietly.
    """

    def __init__(self, raise_error=False):
        super().__init__()
        self.raise_error = raise_error

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (np.isnan(loss) or np.isinf(loss)):
            if self.raise_error:
                raise RuntimeError(
                    f"NaN or Inf loss encountered at batch {batch}. Loss value: {loss}. "
                    "Terminating training immediately."
                )
            io_utils.print_msg(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True


class CSVLogger(Callback):
    """Writes each epoch's logs as a row of a CSV file.

    Args:
      filename: the CSV file.
      separator: the column separator.
      append: append to an existing file instead of overwriting it.
    """

    def __init__(self, filename, separator=",", append=False):
        super().__init__()
        self.sep = separator
        self.filename = os.fspath(filename)
        self.append = append
        self.writer = None
        self.keys = None
        self.append_header = True
        self.csv_file = None

    def on_train_begin(self, logs=None):
        mode = "w"
        if self.append:
            if os.path.exists(self.filename):
                with open(self.filename) as f:
                    self.append_header = not bool(len(f.readline()))
            mode = "a"
        self.csv_file = open(self.filename, mode, newline="")
        self.writer = None
        self.keys = None

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}

        def cell(v):
            is_seq = isinstance(v, collections.abc.Iterable) and not isinstance(v, str)
            if isinstance(v, np.ndarray) and v.ndim == 0:
                return v
            if is_seq:
                return f'"[{", ".join(map(str, v))}]"'
            return v

        if self.keys is None:
            self.keys = sorted(logs.keys())
            val_keys = [k for k in self.keys if k.startswith("val_")]
            if not val_keys and self.keys:
                self.keys.extend([f"val_{k}" for k in self.keys])
        if self.writer is None:

            class Dialect(csv.excel):
                delimiter = self.sep

            self.writer = csv.DictWriter(
                self.csv_file, fieldnames=["epoch"] + self.keys, dialect=Dialect
            )
            if self.append_header:
                self.writer.writeheader()
        row = {"epoch": epoch}
        row.update((k, cell(logs[k]) if k in logs else "NA") for k in self.keys)
        self.writer.writerow(row)
        self.csv_file.flush()

    def on_train_end(self, logs=None):
        if self.csv_file is not None:
            self.csv_file.close()
        self.writer = None


class RemoteMonitor(Callback):
    """Posts each epoch's logs as JSON to a server (failures only warn).

    Args:
      root: the server's root URL.
      path: the path on the server.
      field: the form field holding the JSON (when `send_as_json` is False).
      headers: extra HTTP headers.
      send_as_json: send the logs as the request body with a JSON content type.
    """

    def __init__(self, root="http://localhost:9000", path="/publish/epoch/end/",
                 field="data", headers=None, send_as_json=False):  # fmt: skip
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        import urllib.parse
        import urllib.request

        send = {"epoch": epoch}
        for k, v in (logs or {}).items():
            send[k] = v.item() if isinstance(v, (np.ndarray, np.generic)) else v
        headers = dict(self.headers or {})
        try:
            if self.send_as_json:
                headers["Content-Type"] = "application/json"
                body = json.dumps(send).encode("utf-8")
            else:
                body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            req = urllib.request.Request(self.root + self.path, data=body, headers=headers,
                                         method="POST")  # fmt: skip
            urllib.request.urlopen(req, timeout=10).close()
        except Exception:
            warnings.warn(
                "Could not reach RemoteMonitor root server at " + str(self.root), stacklevel=2
            )
