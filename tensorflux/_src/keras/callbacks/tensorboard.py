"""`keras.callbacks.TensorBoard`: training metrics, weight histograms and images as event files.

Files and tags follow Keras 3 (as in TensorFlow 2.21): `log_dir/train` gets the model's config
("keras", when `write_graph`), `epoch_<metric>` and `epoch_learning_rate` per epoch,
`batch_<metric>` every `update_freq` batches, and `<weight path>/histogram` (`/image`) every
`histogram_freq` epochs; `log_dir/validation` gets the validation `epoch_<metric>` values and
`evaluation_<metric>_vs_iterations` at the optimizer's iteration count.
"""

from __future__ import annotations

import os
import time
import warnings

import numpy as np

from tensorflux._src.keras.callbacks.callback import Callback


def _summary():
    import tensorflux as tf

    return tf.summary


def keras_model_summary(name, data, step=None):
    """Writes a Keras model's JSON config for TensorBoard's conceptual graph view.

    Args:
      name: the summary name.
      data: the model.
      step: the step (default: `tf.summary.experimental.get_step()`).

    Returns:
      True when written, False when no default writer exists or the model has no JSON form.
    """
    from tensorflux._src.summary.plugins import metadata

    summary = _summary()
    meta = metadata("graph_keras_model", content=b"1")
    try:
        json_string = data.to_json()
    except Exception as exc:  # noqa: BLE001 - a model that cannot be serialized is skipped
        warnings.warn(f"Model failed to serialize as JSON. Ignoring... {exc}")
        return False
    with summary.experimental.summary_scope(name, "graph_keras_model", [data, step]) as (tag, _):
        return summary.write(tag=tag, tensor=json_string, step=step, metadata=meta)


_PROFILE_ERROR = (
    "profile_batch must be a non-negative integer or 2-tuple of positive integers. A pair of "
    "positive integers signifies a range of batches to profile. Found: {}"
)


def _profile_range(profile_batch):
    original = profile_batch
    if isinstance(profile_batch, str):
        profile_batch = [int(p) for p in profile_batch.split(",")]
    if isinstance(profile_batch, int):
        start = stop = profile_batch
    elif isinstance(profile_batch, (tuple, list)) and len(profile_batch) == 2:
        start, stop = profile_batch
    else:
        raise ValueError(_PROFILE_ERROR.format(original))
    if start < 0 or stop < start:
        raise ValueError(_PROFILE_ERROR.format(original))
    return start, stop


class TensorBoard(Callback):
    """Writes TensorBoard event files while a model trains and evaluates.

    Args:
      log_dir: the directory holding the `train` and `validation` runs.
      histogram_freq: every how many epochs to write weight histograms (0: never).
      write_graph: whether to write the model's config (TensorBoard's conceptual graph).
      write_images: with `histogram_freq`, also write kernels and biases as images.
      write_steps_per_second: also write `epoch_steps_per_second` and
        `batch_steps_per_second`.
      update_freq: "epoch", "batch" or an integer N: write `batch_<metric>` every N batches
        (and make the train writer the default for summaries the model writes itself).
      profile_batch: a batch number or a (start, stop) pair: the graphs of the functions run
        in those batches are written (as `batch_<stop>`); tensorflux has no profiler, so no
        profile is (a warning says so). 0 turns this off.
      embeddings_freq: every how many epochs to save the weights for TensorBoard's projector
        (`train/keras_embedding.ckpt-<epoch>.weights.h5`, needs h5py).
      embeddings_metadata: a metadata file name for every `Embedding` layer, or a dict from
        layer name to file name.

    Raises:
      ValueError: a malformed `profile_batch`.
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):  # fmt: skip
        super().__init__()
        self.log_dir = str(log_dir)
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._start_batch, self._stop_batch = _profile_range(profile_batch)
        self._should_trace = self._stop_batch > 0
        self._is_tracing = False
        if self._should_trace:
            warnings.warn(
                "TensorBoard(profile_batch=...): tensorflux has no profiler; the graphs run in "
                "those batches are written, but no profile.",
                stacklevel=2,
            )
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._previous_epoch_iterations = 0.0
        self._epoch_start_time = 0.0
        self._batch_start_time = 0.0
        self._writers: dict = {}
        self._pushed: list = []  # (writer context, record_if context) pairs

    # --- writers -------------------------------------------------------------------------------

    def set_model(self, model):
        self._model = model
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._writers = {}
        if self.write_graph:
            with self._train_writer.as_default():
                if type(model).__name__ in ("Functional", "Sequential"):
                    keras_model_summary("keras", model, step=0)
        if self.embeddings_freq:
            self._configure_embeddings()

    @property
    def _train_writer(self):
        if "train" not in self._writers:
            self._writers["train"] = _summary().create_file_writer(self._train_dir)
        return self._writers["train"]

    @property
    def _val_writer(self):
        if "val" not in self._writers:
            self._writers["val"] = _summary().create_file_writer(self._val_dir)
        return self._writers["val"]

    def _push_writer(self, writer, step):
        """Makes `writer` the default (at `step`) for summaries written inside the model."""
        if self.update_freq == "epoch":
            return
        freq = self.update_freq
        contexts = (writer.as_default(step), _summary().record_if(lambda: step % freq == 0))
        for c in contexts:
            c.__enter__()
        self._pushed.append(contexts)

    def _pop_writer(self):
        if self.update_freq == "epoch":
            return
        writer_ctx, record_ctx = self._pushed.pop()
        record_ctx.__exit__(None, None, None)
        writer_ctx.__exit__(None, None, None)

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()

    # --- hooks ---------------------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0.0
        self._push_writer(self._train_writer, self._global_train_batch)

    def on_train_end(self, logs=None):
        self._pop_writer()
        if self._is_tracing:
            self._stop_trace()
        self._close_writers()

    def on_test_begin(self, logs=None):
        self._push_writer(self._val_writer, self._global_test_batch)

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "iterations"):
            summary = _summary()
            with self._val_writer.as_default():
                for name, value in (logs or {}).items():
                    summary.scalar(f"evaluation_{name}_vs_iterations", value,
                                   step=optimizer.iterations)  # fmt: skip
        self._pop_writer()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        if self.update_freq != "epoch":
            self._pop_writer()
            self._push_writer(self._train_writer, self._global_train_batch)
        if self.write_steps_per_second:
            self._batch_start_time = time.time()
        if self._should_trace and self._global_train_batch == self._start_batch:
            _summary().trace_on(graph=True, profiler=False)
            self._is_tracing = True

    def on_train_batch_end(self, batch, logs=None):
        summary = _summary()
        if self.write_steps_per_second:
            elapsed = time.time() - self._batch_start_time
            rate = 1.0 / elapsed if elapsed > 0 else float("inf")
            summary.scalar("batch_steps_per_second", rate, step=self._global_train_batch)
        if isinstance(logs, dict):
            for name, value in logs.items():
                summary.scalar(f"batch_{name}", value, step=self._global_train_batch)
        if self._is_tracing and self._global_train_batch >= self._stop_batch:
            self._stop_trace()

    def _stop_trace(self):
        with self._train_writer.as_default():
            name = "batch_%d" % self._stop_batch
            _summary().trace_export(name=name, step=self._stop_batch)
        self._is_tracing = False

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1
        if self.update_freq != "epoch":
            self._pop_writer()
            self._push_writer(self._val_writer, self._global_test_batch)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = float(self._iterations())
            self._epoch_start_time = time.time()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self._log_embeddings(epoch)

    # --- what is written -----------------------------------------------------------------------

    def _iterations(self):
        return np.asarray(self.model.optimizer.iterations.numpy())

    def _collect_learning_rate(self, logs):
        from tensorflux._src.keras.optimizers.base import Optimizer

        optimizer = self.model.optimizer
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if hasattr(optimizer, "optimizers"):
            for opt in optimizer.optimizers:
                logs[f"learning_rate_{opt.name}"] = _float(opt.learning_rate)
        elif isinstance(optimizer, Optimizer):
            logs["learning_rate"] = _float(optimizer.learning_rate)
        return logs

    def _steps_per_second(self) -> float:
        elapsed = np.float32(time.time() - self._epoch_start_time)
        steps = np.float32(self._iterations()) - np.float32(self._previous_epoch_iterations)
        return float(steps / elapsed)

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        summary = _summary()
        train_logs = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val_logs = {k: v for k, v in logs.items() if k.startswith("val_")}
        train_logs = self._collect_learning_rate(train_logs)
        if self.write_steps_per_second:
            train_logs["steps_per_second"] = self._steps_per_second()
        if train_logs:
            with self._train_writer.as_default():
                for name, value in train_logs.items():
                    summary.scalar(f"epoch_{name}", value, step=epoch)
        if val_logs:
            with self._val_writer.as_default():
                for name, value in val_logs.items():
                    summary.scalar(f"epoch_{name[4:]}", value, step=epoch)

    def _log_weights(self, epoch):
        summary = _summary()
        with self._train_writer.as_default():
            for layer in self.model.layers:
                for weight in layer.weights:
                    weight_name = weight.path.replace(":", "_")
                    summary.histogram(f"{weight_name}/histogram", weight, step=epoch)
                    if self.write_images:
                        self._log_weight_as_image(weight, f"{weight_name}/image", epoch)
            self._train_writer.flush()

    def _log_weight_as_image(self, weight, weight_name, epoch):
        from tensorflux._src.keras import backend

        w = np.squeeze(np.asarray(weight.numpy()))
        if w.ndim == 1:  # a bias
            w = w.reshape(1, w.shape[0], 1, 1)
        elif w.ndim == 2:  # a dense kernel, laid out wide
            if w.shape[0] > w.shape[1]:
                w = w.T
            w = w.reshape(1, w.shape[0], w.shape[1], 1)
        elif w.ndim == 3:  # a convolution kernel: one image per output channel
            if backend.image_data_format() == "channels_last":
                w = np.transpose(w, (2, 0, 1))
            w = w.reshape(w.shape[0], w.shape[1], w.shape[2], 1)
        if w.ndim == 4 and w.shape[-1] in (1, 3, 4):
            _summary().image(weight_name, w, step=epoch)

    def _configure_embeddings(self):
        from tensorflux._src.keras.layers.core import Embedding

        lines = []
        metadata = self.embeddings_metadata
        remaining = dict(metadata) if isinstance(metadata, dict) else None
        for layer in self.model.layers:
            if not isinstance(layer, Embedding):
                continue
            # Embeddings are always the first layer with weights in Keras's checkpoint naming.
            lines.append("embeddings {")
            lines.append('  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/'
                         'VARIABLE_VALUE"')  # fmt: skip
            path = None
            if isinstance(metadata, str):
                path = metadata
            elif remaining is not None and layer.name in remaining:
                path = remaining.pop(layer.name)
            if path is not None:
                lines.append(f'  metadata_path: "{_pbtxt_escape(path)}"')
            lines.append("}")
        if remaining:
            raise ValueError(
                "Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
                f"`embeddings_metadata` argument: {remaining.keys()}"
            )
        os.makedirs(self.log_dir, exist_ok=True)
        with open(os.path.join(self.log_dir, "projector_config.pbtxt"), "w") as f:
            f.write("".join(line + "\n" for line in lines))

    def _log_embeddings(self, epoch):
        path = os.path.join(self.log_dir, "train", f"keras_embedding.ckpt-{epoch}.weights.h5")
        self.model.save_weights(path)


def _float(value) -> float:
    if hasattr(value, "numpy"):
        value = value.numpy()
    return float(np.asarray(value))


def _pbtxt_escape(text: str) -> str:
    """A string as protobuf's text format writes it: C escapes, octal for other bytes."""
    out = []
    for b in text.encode("utf-8"):
        c = chr(b)
        if c in "\"'\\":
            out.append("\\" + c)
        elif c == "\n":
            out.append("\\n")
        elif c == "\r":
            out.append("\\r")
        elif c == "\t":
            out.append("\\t")
        elif b < 0x20 or b >= 0x7F:
            out.append("\\%03o" % b)
        else:
            out.append(c)
    return "".join(out)
