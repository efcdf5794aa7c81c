"""`tf.train.CheckpointManager`: numbered checkpoints in a directory, old ones deleted."""

from __future__ import annotations

import os
import time

from tensorflux._src.training import checkpoint as _ckpt


class CheckpointOptions:
    """Options for saving and restoring (accepted for compatibility; none change behaviour).

    Args:
      experimental_io_device: ignored.
      experimental_enable_async_checkpoint: ignored (saves are synchronous).
      experimental_write_callbacks: callables run with the saved path after each save.
      enable_async: ignored.
      experimental_sharding_callback: ignored.
      experimental_skip_slot_variables: ignored.
    """

    def __init__(
        self,
        experimental_io_device=None,
        experimental_enable_async_checkpoint=False,
        experimental_write_callbacks=None,
        enable_async=False,
        experimental_sharding_callback=None,
        experimental_skip_slot_variables=False,
    ):
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.experimental_write_callbacks = list(experimental_write_callbacks or [])
        self.enable_async = enable_async


class CheckpointManager:
    """Saves `checkpoint` as `<directory>/<checkpoint_name>-<n>` and keeps the newest few.

    Args:
      checkpoint: the `tf.train.Checkpoint` to save and restore.
      directory: where checkpoints and the `checkpoint` state file go.
      max_to_keep: how many recent checkpoints to keep (None: all).
      keep_checkpoint_every_n_hours: additionally keep one checkpoint per this many hours.
      checkpoint_name: the file prefix (default "ckpt").
      step_counter: a variable whose value `save` checks against `checkpoint_interval`.
      checkpoint_interval: with `step_counter`, save only every this many steps.
      init_fn: called by `restore_or_initialize` when there is nothing to restore.
    """

    def __init__(
        self,
        checkpoint,
        directory,
        max_to_keep,
        keep_checkpoint_every_n_hours=None,
        checkpoint_name="ckpt",
        step_counter=None,
        checkpoint_interval=None,
        init_fn=None,
    ):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(
                f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}."
            )
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError(
                "`step_counter` should be passed if `checkpoint_interval` is not None."
            )
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._name = checkpoint_name
        self._step_counter = step_counter
        self._interval = checkpoint_interval
        self._init_fn = init_fn
        self._last_step = None
        state = _ckpt._read_state(self._directory)
        now = time.time()
        self._timestamps = {}
        self._maybe_delete: list = []
        for p in state["all"]:
            if os.path.exists(p + _ckpt._INDEX):
                self._maybe_delete.append(p)
                self._timestamps[p] = os.path.getmtime(p + _ckpt._INDEX)
        self._last_preserved = now
        self._latest = state["latest"] if state["latest"] in self._maybe_delete else (
            self._maybe_delete[-1] if self._maybe_delete else None
        )

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self):
        return self._checkpoint

    @property
    def checkpoint_interval(self):
        return self._interval

    @property
    def latest_checkpoint(self):
        """The newest checkpoint prefix this manager knows, or None."""
        return self._latest

    @property
    def checkpoints(self) -> list:
        """Prefixes of the kept checkpoints, oldest first."""
        return list(self._maybe_delete)

    def _sweep(self) -> None:
        if self._max_to_keep is None:
            return
        while len(self._maybe_delete) > self._max_to_keep:
            old = self._maybe_delete.pop(0)
            ts = self._timestamps.get(old, 0)
            keep_every = self._keep_hours
            if keep_every is not None and ts - self._last_preserved >= keep_every * 3600:
                self._last_preserved = ts
                continue
            for suffix in (_ckpt._INDEX, _ckpt._DATA):
                try:
                    os.remove(old + suffix)
                except FileNotFoundError:
                    pass
            self._timestamps.pop(old, None)

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Writes a new checkpoint; returns its prefix (None when skipped by the interval)."""
        if self._interval is not None and check_interval:
            step = int(self._step_counter.numpy())
            if self._last_step is not None and step < self._last_step + self._interval:
                return None
            self._last_step = step
        counter = self._checkpoint.save_counter
        if checkpoint_number is None:
            counter.assign_add(1)
            number = int(counter.numpy())
        else:
            number = int(checkpoint_number.numpy() if hasattr(checkpoint_number, "numpy")
                         else checkpoint_number)  # fmt: skip
        prefix = os.path.join(self._directory, f"{self._name}-{number}")
        self._checkpoint.write(prefix)
        now = time.time()
        if prefix in self._maybe_delete:
            self._maybe_delete.remove(prefix)
        self._maybe_delete.append(prefix)
        self._timestamps[prefix] = now
        self._latest = prefix
        self._sweep()
        _ckpt._write_state(
            self._directory, prefix, self._maybe_delete, self._timestamps, self._last_preserved
        )
        for cb in getattr(options, "experimental_write_callbacks", []) or []:
            cb(prefix)
        return prefix

    def restore_or_initialize(self):
        """Restores the latest checkpoint, or runs `init_fn`; returns the path or None."""
        if self._latest is not None:
            self._checkpoint.restore(self._latest)
            return self._latest
        if self._init_fn is not None:
            self._init_fn()
        return None
