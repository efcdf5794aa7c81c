"""`tf.train.Checkpoint`: save and restore the variables reachable from Python objects.

Objects form a graph: a Checkpoint's keyword arguments, the attributes of `tf.Module`s, Keras
layers, optimizers and metrics, and the lists/dicts among them. Each variable is stored under
its shortest path from the root, found breadth first with children in sorted order
(`model/dense/kernel/.ATTRIBUTES/VARIABLE_VALUE`, TensorFlow's key spelling). Restoring matches
paths; variables created later (a model built after `restore`) are filled in when they appear
(deferred restoration).

Files: `<prefix>.index` (JSON: keys, dtypes, shapes) and `<prefix>.data-00000-of-00001`
(safetensors), each written to a temporary name then renamed, and a `checkpoint` state file in
TensorFlow's text format. Deviation: the bytes are not TensorFlow's bundle format, so TensorFlow
cannot read these files (nor we theirs).
"""

from __future__ import annotations

import collections
import json
import os
import weakref

import numpy as np

from tensorflux._src.core import dtypes, errors
from tensorflux._src.io import gfile

_SUFFIX = "/.ATTRIBUTES/VARIABLE_VALUE"
_FORMAT = "tensorflux-checkpoint-1"
_DATA = ".data-00000-of-00001"
_INDEX = ".index"


def _is_variable(x) -> bool:
    return getattr(x, "_is_variable", False)


def _is_trackable(x) -> bool:
    from tensorflux._src.module import Module

    if isinstance(x, (Module, Checkpoint)):
        return True
    if getattr(x, "_is_layer", False) or getattr(x, "_is_metric", False):
        return True
    if hasattr(x, "apply_gradients") and hasattr(x, "variables"):  # an optimizer
        return True
    return type(x).__name__ == "SeedGenerator" or hasattr(x, "_checkpoint_dependencies")


_SKIP = frozenset(("_inbound_nodes", "_outbound_nodes", "_call_signature", "_dtype_policy"))


def _children(obj):
    """(name, child) pairs of a trackable object, sorted by name."""
    deps = getattr(obj, "_checkpoint_dependencies", None)
    if callable(deps):
        items = list(deps())
    elif isinstance(obj, Checkpoint):
        items = list(obj._deps.items())
    else:
        items = [(k, v) for k, v in vars(obj).items() if k not in _SKIP]
    out = []
    for name, value in sorted(items, key=lambda kv: kv[0]):
        if _is_variable(value) or _is_trackable(value):
            out.append((name, value))
        elif isinstance(value, (list, tuple)):
            sub = [(f"{name}/{i}", v) for i, v in enumerate(value)]
            out.extend((n, v) for n, v in sub if _is_variable(v) or _is_trackable(v))
        elif isinstance(value, dict):
            for k in sorted(value, key=str):
                v = value[k]
                if _is_variable(v) or _is_trackable(v):
                    out.append((f"{name}/{k}", v))
    return out


def object_graph_variables(root) -> "collections.OrderedDict[str, object]":
    """`{checkpoint key: variable}` for every variable reachable from `root` (shortest paths)."""
    found = collections.OrderedDict()
    seen = {id(root)}
    queue = collections.deque([("", root)])
    while queue:
        path, obj = queue.popleft()
        for name, child in _children(obj):
            if id(child) in seen:
                continue
            seen.add(id(child))
            child_path = f"{path}/{name}" if path else name
            if _is_variable(child):
                found[child_path + _SUFFIX] = child
            else:
                if hasattr(child, "_serialize_to_tensors"):  # a lookup table's contents, say
                    for slot in _TensorSlot.of(child):
                        found[f"{child_path}/.ATTRIBUTES/{slot.key}"] = slot
                queue.append((child_path, child))
    return found


class _TensorSlot:
    """One tensor a non-variable object saves (`_serialize_to_tensors`), posing as a variable
    for saving and restoring; the owner's `_restore_from_tensors` runs once all its slots are
    read."""

    _CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()

    def __init__(self, owner, key, tensor, pending):
        self.owner, self.key, self.tensor, self.pending = owner, key, tensor, pending
        self.dtype = tensor.dtype

    @staticmethod
    def of(owner) -> list:
        # The same slot objects every time, so restore bookkeeping (ids) stays valid.
        tensors = owner._serialize_to_tensors()
        slots = _TensorSlot._CACHE.get(owner)
        if slots is None or [s.key for s in slots] != sorted(tensors):
            pending: dict = {}
            slots = [_TensorSlot(owner, k, t, pending) for k, t in sorted(tensors.items())]
            _TensorSlot._CACHE[owner] = slots
        for slot in slots:
            slot.tensor = tensors[slot.key]
            slot.dtype = slot.tensor.dtype
        return slots

    def __repr__(self) -> str:
        return f"<table contents {self.key!r} of {type(self.owner).__name__}>"

    @property
    def shape(self):
        from tensorflux._src.core.shape import TensorShape

        return TensorShape(None)  # the contents' size is not fixed

    def numpy(self):
        return self.tensor.numpy()

    def assign(self, value) -> None:
        from tensorflux._src.tensor import constant

        self.pending[self.key] = constant(value, dtype=self.dtype)
        if len(self.pending) == len(_TensorSlot._CACHE.get(self.owner, ())):
            self.owner._restore_from_tensors(dict(self.pending))
            self.pending.clear()


def _encode_strings(arr: np.ndarray) -> np.ndarray:
    """String arrays as bytes: int64 lengths, then the concatenated contents."""
    items = [x if isinstance(x, bytes) else str(x).encode() for x in arr.reshape(-1).tolist()]
    lengths = np.array([len(x) for x in items], np.int64)
    return np.frombuffer(lengths.tobytes() + b"".join(items), np.uint8)


def _decode_strings(raw: np.ndarray, shape) -> np.ndarray:
    n = int(np.prod(shape)) if len(shape) else 1
    buf = raw.tobytes()
    lengths = np.frombuffer(buf[: 8 * n], np.int64)
    out = np.empty(n, object)
    pos = 8 * n
    for i, ln in enumerate(lengths.tolist()):
        out[i] = buf[pos : pos + ln]
        pos += ln
    return out.reshape(shape)


# ---------------------------------------------------------------------- files


def _atomic_write_bytes(path: str, data: bytes) -> None:
    gfile.atomic_write_bytes(path, data)


def _write_bundle(prefix: str, arrays: dict) -> None:
    from safetensors.numpy import save

    index, stored = {}, {}
    for key, (arr, dtype) in arrays.items():
        arr = np.array(arr, order="C", copy=True)
        index[key] = {"dtype": dtype.name, "shape": list(arr.shape)}
        if dtype is dtypes.string:
            stored[key] = _encode_strings(arr)
            continue
        stored[key] = arr.reshape(-1).view(np.uint8)  # bytes: every dtype, incl. bfloat16
    _atomic_write_bytes(prefix + _DATA, save(stored) if stored else save({}))
    _atomic_write_bytes(
        prefix + _INDEX,
        json.dumps({"format": _FORMAT, "variables": index}, indent=1).encode(),
    )


class CheckpointReader:
    """Reads the values stored in one checkpoint (what `tf.train.load_checkpoint` returns)."""

    def __init__(self, prefix: str):
        index_path = prefix + _INDEX
        if not os.path.exists(index_path):
            raise errors.NotFoundError(
                None, None,
                f"Error when restoring from checkpoint or SavedModel at {prefix}: Unsuccessful "
                f"TensorSliceReader constructor: Failed to find any matching files for {prefix}\n"
                "Please double-check that the path is correct. You may be missing the checkpoint "
                "suffix (e.g. the '-1' in 'path/to/ckpt-1').",
            )  # fmt: skip
        with open(index_path) as f:
            meta = json.load(f)
        if meta.get("format") != _FORMAT:
            raise errors.DataLossError(None, None, f"Unsupported checkpoint format at {prefix}.")
        self._index = meta["variables"]
        self._prefix = prefix
        self._data = None

    def _load(self):
        if self._data is None:
            from safetensors.numpy import load_file

            self._data = load_file(self._prefix + _DATA) if self._index else {}
        return self._data

    def has_tensor(self, key: str) -> bool:
        return key in self._index

    def get_tensor(self, key: str) -> np.ndarray:
        if key not in self._index:
            raise errors.NotFoundError(None, None, f"Key {key} not found in checkpoint")
        info = self._index[key]
        dtype = dtypes.as_dtype(info["dtype"])
        raw = self._load()[key]
        if dtype is dtypes.string:
            return _decode_strings(raw, info["shape"])
        arr = raw.view(dtype.as_numpy_dtype).reshape(info["shape"])
        return arr.copy()

    def get_variable_to_shape_map(self) -> dict:
        return {k: list(v["shape"]) for k, v in self._index.items()}

    def get_variable_to_dtype_map(self) -> dict:
        return {k: dtypes.as_dtype(v["dtype"]) for k, v in self._index.items()}


# ---------------------------------------------------------------------- restore status


class _Restore:
    """What one `restore()` read, and which keys found a variable so far."""

    def __init__(self, root, reader):
        self.root_ref = weakref.ref(root)
        self.reader = reader
        self.pending = set(reader.get_variable_to_shape_map())
        self.matched_ids: set = set()
        self.expect_partial_flag = False

    def apply(self) -> None:
        root = self.root_ref()
        if root is None or not self.pending:
            return
        for key, var in object_graph_variables(root).items():
            if key in self.pending:
                value = self.reader.get_tensor(key)
                if var.shape.rank is not None and tuple(var.shape.as_list()) != value.shape:
                    raise ValueError(
                        f"Received incompatible tensor with shape {value.shape} when attempting "
                        f"to restore variable with shape {tuple(var.shape.as_list())} and name "
                        f"{key}."
                    )
                var.assign(value)
                self.pending.discard(key)
                self.matched_ids.add(id(var))
        if not self.pending:
            _unwatch(self)


# Restores still waiting for variables (deferred restoration). Layers call
# `apply_pending_restores()` after building and optimizers after creating their slots.
_ACTIVE: list = []


def _watch(r) -> None:
    if r.pending and r not in _ACTIVE:
        _ACTIVE.append(r)


def _unwatch(r) -> None:
    if r in _ACTIVE:
        _ACTIVE.remove(r)


class CheckpointLoadStatus:
    """Returned by `Checkpoint.restore`: assertions about what matched."""

    def __init__(self, restore: _Restore, checkpoint):
        self._restore = restore
        self._checkpoint = checkpoint

    def _refresh(self):
        self._restore.apply()

    def assert_consumed(self):
        """Raises AssertionError unless every checkpoint value and every variable matched."""
        self._refresh()
        if self._restore.pending:
            key = sorted(self._restore.pending)[0]
            raise AssertionError(
                f"Unresolved object in checkpoint (root).{key.replace(_SUFFIX, '')}: attributes "
                f'{{ checkpoint_key: "{key}" }}'
            )
        root = self._restore.root_ref()
        unmatched = [
            v for k, v in object_graph_variables(root).items()
            if id(v) not in self._restore.matched_ids and k != "save_counter" + _SUFFIX
        ]  # fmt: skip
        if unmatched:
            raise AssertionError(
                f"Found {len(unmatched)} Python objects that were not bound to checkpointed "
                "values, likely due to changes in the Python program. Showing "
                f"{min(len(unmatched), 10)} of {len(unmatched)} unmatched objects: "
                f"{unmatched[:10]}"
            )
        return self

    def assert_existing_objects_matched(self):
        """Raises AssertionError if a variable that exists now found no checkpoint value."""
        self._refresh()
        root = self._restore.root_ref()
        unmatched = [
            v for k, v in object_graph_variables(root).items()
            if id(v) not in self._restore.matched_ids and k != "save_counter" + _SUFFIX
        ]  # fmt: skip
        if unmatched:
            raise AssertionError(
                f"Found {len(unmatched)} Python objects that were not bound to checkpointed "
                f"values: {unmatched[:10]}"
            )
        return self

    def assert_nontrivial_match(self):
        """Raises AssertionError if nothing but the save counter matched."""
        self._refresh()
        if len(self._restore.matched_ids) <= 1:
            raise AssertionError(
                "Nothing except the root object matched a checkpointed value. Typically this "
                "means that the checkpoint does not match the Python program."
            )
        return self

    def expect_partial(self):
        """Silences warnings about values left unrestored."""
        self._restore.expect_partial_flag = True
        _unwatch(self._restore)
        return self

    def run_restore_ops(self, session=None):
        self._refresh()

    def initialize_or_restore(self, session=None):
        self._refresh()


class InitializationOnlyStatus:
    """Returned by `restore(None)`: nothing to restore."""

    def assert_consumed(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def assert_existing_objects_matched(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def assert_nontrivial_match(self):
        raise AssertionError("No checkpoint specified (save_path=None); nothing is being restored.")

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        pass

    def initialize_or_restore(self, session=None):
        pass


# ---------------------------------------------------------------------- Checkpoint


class Checkpoint:
    """Groups trackable objects (models, optimizers, variables, ...) to save and restore them.

    Args:
      root: an optional object whose dependencies become the checkpoint's.
      **kwargs: named objects to track (`model=model, optimizer=opt`).

    Raises:
      ValueError: if a keyword value is not trackable.
    """

    def __init__(self, root=None, **kwargs):
        from tensorflux._src.function import init_scope
        from tensorflux._src.variables import Variable

        deps = {}
        for name, value in sorted(kwargs.items()):
            if not (_is_variable(value) or _is_trackable(value)):
                raise ValueError(
                    f"`Checkpoint` was expecting a trackable object (an object derived from "
                    f"`Trackable`), got {value}. If you believe this object should be trackable "
                    "(i.e. it is part of the TensorFlow Python API and manages state), please open "
                    "an issue."
                )
            deps[name] = value
        if root is not None:
            for name, value in _children(root):
                deps.setdefault(name, value)
        self._deps = deps
        self._root = root
        with init_scope():
            self._save_counter = Variable(0, dtype=dtypes.int64, trainable=False,
                                          name="save_counter")  # fmt: skip
        self._deps["save_counter"] = self._save_counter
        self._restores: list = []
        for k, v in deps.items():
            if k != "save_counter":
                object.__setattr__(self, k, v)

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        if not name.startswith("_") and (_is_variable(value) or _is_trackable(value)):
            self._deps[name] = value

    @property
    def save_counter(self):
        """An int64 variable counting `save()` calls."""
        return self._save_counter

    def _checkpoint_dependencies(self):
        return list(self._deps.items())

    def _arrays(self) -> dict:
        return {
            key: (np.asarray(var.numpy()), var.dtype)
            for key, var in object_graph_variables(self).items()
        }

    def write(self, file_prefix, options=None) -> str:
        """Writes the variables to `file_prefix` (no counter, no state file); returns the prefix."""
        file_prefix = os.fspath(file_prefix)
        _write_bundle(file_prefix, self._arrays())
        return file_prefix

    def save(self, file_prefix, options=None) -> str:
        """Increments `save_counter` and writes `<file_prefix>-<counter>`; updates the state file.

        Returns:
          The path prefix written.
        """
        file_prefix = os.fspath(file_prefix)
        self._save_counter.assign_add(1)
        path = f"{file_prefix}-{int(self._save_counter.numpy())}"
        self.write(path)
        directory = os.path.dirname(path) or "."
        state = _read_state(directory)
        paths = [p for p in state["all"] if p != path] + [path]
        _write_state(directory, path, paths, state.get("timestamps", {}))
        return path

    def read(self, save_path, options=None):
        """Restores from `save_path` written by `write` (no state-file bookkeeping)."""
        return self.restore(save_path, options)

    def restore(self, save_path, options=None):
        """Restores the variables from `save_path`; unmatched variables wait for creation.

        Returns:
          A status object with `assert_consumed()`, `expect_partial()`, ...

        Raises:
          NotFoundError: if no checkpoint exists at `save_path`.
        """
        if save_path is None:
            return InitializationOnlyStatus()
        save_path = os.fspath(save_path)
        if os.path.isdir(save_path):
            latest = latest_checkpoint(save_path)
            if latest is not None:
                save_path = latest
        reader = CheckpointReader(save_path)
        r = _Restore(self, reader)
        r.apply()
        if r.pending:
            _watch(r)
        return CheckpointLoadStatus(r, self)


def pending_restores() -> list:
    return list(_ACTIVE)


def apply_pending_restores() -> None:
    """Fills variables created since a restore that found no match (deferred restoration)."""
    for r in list(_ACTIVE):
        r.apply()


# ---------------------------------------------------------------------- state file


def _state_path(directory: str) -> str:
    return os.path.join(directory, "checkpoint")


def _read_state(directory: str) -> dict:
    path = _state_path(directory)
    state = {"latest": None, "all": [], "timestamps": {}}
    if not os.path.exists(path):
        return state
    with open(path) as f:
        for line in f:
            key, _, value = line.partition(":")
            value = value.strip().strip('"')
            full = value if os.path.isabs(value) else os.path.join(directory, value)
            if key == "model_checkpoint_path":
                state["latest"] = full
            elif key == "all_model_checkpoint_paths":
                state["all"].append(full)
    return state


def _write_state(directory, latest, paths, timestamps=None, last_preserved=None) -> None:
    def rel(p):
        return os.path.relpath(p, directory) if not os.path.isabs(p) or True else p

    lines = [f'model_checkpoint_path: "{rel(latest)}"']
    lines += [f'all_model_checkpoint_paths: "{rel(p)}"' for p in paths]
    ts = timestamps or {}
    lines += [f"all_model_checkpoint_timestamps: {ts[p]}" for p in paths if p in ts]
    if last_preserved is not None:
        lines.append(f"last_preserved_timestamp: {last_preserved}")
    _atomic_write_bytes(_state_path(directory), ("\n".join(lines) + "\n").encode())


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The prefix of the newest checkpoint recorded in `checkpoint_dir`, or None."""
    state = _read_state(os.fspath(checkpoint_dir))
    latest = state["latest"]
    if latest is None or not os.path.exists(latest + _INDEX):
        return None
    return latest


def _prefix_of(ckpt_dir_or_file) -> str:
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory "
                             f"{path}")  # fmt: skip
        return latest
    return path


def load_checkpoint(ckpt_dir_or_file) -> CheckpointReader:
    """A reader for a checkpoint prefix, or for the latest checkpoint in a directory."""
    return CheckpointReader(_prefix_of(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file) -> list:
    """`[(key, shape), ...]` of the values stored in a checkpoint, sorted by key."""
    reader = load_checkpoint(ckpt_dir_or_file)
    return sorted((k, v) for k, v in reader.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    """The NumPy value stored under `name` (a key from `list_variables`)."""
    if not name.endswith(_SUFFIX) and not load_checkpoint(ckpt_dir_or_file).has_tensor(name):
        name = name + _SUFFIX
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
