"""Keras 3 file formats: `.keras` archives and `.weights.h5` weight files.

A `.keras` file is a zip holding `metadata.json`, `config.json` (the serialized model, with its
compile config) and `model.weights.h5`. The weights file stores each object's own variables as
datasets `<path>/vars/0, 1, ...`; paths come from walking the model as Keras does: a
Sequential/functional model's `layers` first, then the object's attributes in sorted order,
containers (lists/dicts) by the contained objects' names, each object once. Files are written
to a temporary name and renamed, so a failed save leaves the old file intact.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import tempfile
import warnings
import zipfile

import numpy as np

_KERAS_VERSION = "3.15.1"  # the Keras version whose layout we write
_CONFIG = "config.json"
_METADATA = "metadata.json"
_WEIGHTS = "model.weights.h5"


def _h5py():
    try:
        import h5py
    except ImportError:
        raise ImportError(
            "Saving and loading Keras weights (.keras, .weights.h5) needs h5py: "
            "`pip install tensorflux[h5]` (or `pip install h5py`)."
        ) from None
    return h5py


# ---------------------------------------------------------------------- object walk


def _kind(obj) -> str | None:
    from tensorflux._src.keras.layers.layer import Layer

    if isinstance(obj, Layer):
        if getattr(obj, "_layer_order", None) is not None and hasattr(obj, "_inputs_struct"):
            return "Functional"
        if type(obj).__name__ == "Sequential" or hasattr(obj, "_stack"):
            return "Sequential"
        from tensorflux._src.keras.models.model import Model

        return "Model" if isinstance(obj, Model) else "Layer"
    if getattr(obj, "_is_keras_optimizer", False) or type(obj).__name__.endswith("Optimizer") \
            or hasattr(obj, "apply_gradients"):  # fmt: skip
        return "Optimizer"
    return None


_BASE_ATTRS_CACHE: dict = {}


def _base_attrs(kind: str) -> frozenset:
    """Attribute names every object of this kind has (never walked as children)."""
    if kind not in _BASE_ATTRS_CACHE:
        from tensorflux._src.keras.layers.layer import Layer
        from tensorflux._src.keras.models.model import Model

        probe = Model() if kind == "Model" else Layer()
        names = set(probe.__dict__)
        _BASE_ATTRS_CACHE[kind] = frozenset(names)
    return _BASE_ATTRS_CACHE[kind]


def _children(obj):
    kind = _kind(obj)
    if kind in ("Sequential", "Functional"):
        yield "layers", obj.layers if kind == "Sequential" else list(obj._layer_order)
        if getattr(obj, "optimizer", None) is not None:
            yield "optimizer", obj.optimizer
        return
    if kind == "Optimizer":
        return
    skip = _base_attrs("Model" if kind == "Model" else "Layer")
    attrs = {k: v for k, v in obj.__dict__.items() if k not in skip and not k.startswith("__")}
    if kind == "Model":
        attrs["layers"] = obj.layers
        if getattr(obj, "optimizer", None) is not None:
            attrs["optimizer"] = obj.optimizer
    for name in sorted(attrs):
        yield name, attrs[name]


def _own_variables(obj) -> list:
    if _kind(obj) == "Optimizer":
        return list(obj.variables)
    return obj._direct_variables()  # seed-generator states are not saved (as Keras)


def _walk(obj, path, visit, visited) -> None:
    if id(obj) in visited:
        return
    visited.add(id(obj))
    visit(path, obj)
    for attr, child in _children(obj):
        child_path = f"{path}/{attr}" if path else attr
        if _kind(child) is not None:
            _walk(child, child_path, visit, visited)
        elif isinstance(child, (list, tuple, dict)):
            _walk_container(child, child_path, visit, visited, set())


def _snake(name: str) -> str:
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def _walk_container(container, path, visit, visited, seen) -> None:
    """Items of a list/dict are named as Keras names them: the snake_case class name, then
    `_1`, `_2`... for later items of the same class (never the layer's own `name`, which
    differs between two instances of one model); nested lists are `container`, `container_1`."""
    if id(container) in seen:
        return
    seen.add(id(container))
    used: dict = {}

    def unique(name):
        if name in used:
            used[name] += 1
            return f"{name}_{used[name]}"
        used[name] = 0
        return name

    items = list(container.values()) if isinstance(container, dict) else container
    for item in items:
        if _kind(item) is not None:
            _walk(item, f"{path}/{unique(_snake(type(item).__name__))}", visit, visited)
        elif isinstance(item, (list, tuple, dict)):
            _walk_container(item, f"{path}/{unique('container')}", visit, visited, seen)


# ---------------------------------------------------------------------- weights h5


def _write_weights(model, f) -> None:
    def visit(path, obj):
        variables = _own_variables(obj)
        group = f.require_group(f"{path}/vars" if path else "vars")
        group.attrs["name"] = getattr(obj, "name", "")
        for i, v in enumerate(variables):
            group.create_dataset(str(i), data=np.asarray(v.numpy()))

    _walk(model, "", visit, set())


def _read_weights(model, f, strict=True) -> None:
    failed = []  # (object, message)

    def visit(path, obj):
        variables = _own_variables(obj)
        key = f"{path}/vars" if path else "vars"
        group = f[key] if key in f else None
        found = 0 if group is None else len(group)
        if found != len(variables) and _kind(obj) == "Optimizer":
            warnings.warn(
                f"Skipping variable loading for optimizer '{getattr(obj, 'name', '')}', because "
                f"it has {len(variables)} variables whereas the saved optimizer has "
                f"{found} variables.",
                stacklevel=3,
            )
            return
        if found != len(variables):
            names = [getattr(v, "name", str(v)) for v in variables]
            failed.append((obj, (
                f"Layer '{getattr(obj, 'name', path)}' expected {len(variables)} variables, but "
                f"received {found} variables during loading. Expected: {names}"
            )))  # fmt: skip
            return
        for i, v in enumerate(variables):
            value = np.asarray(group[str(i)])
            if tuple(v.shape.as_list()) != value.shape:
                failed.append((obj, (
                    f"The shape of the target variable and the shape of the target value in "
                    f"`variable.assign(value)` must match. variable.shape={v.shape}, Received: "
                    f"value.shape={value.shape}. Target variable: {v}"
                )))  # fmt: skip
                return
        for i, v in enumerate(variables):
            v.assign(np.asarray(group[str(i)]).astype(v.dtype.as_numpy_dtype, copy=False))

    _walk(model, "", visit, set())
    if failed and strict:
        obj, msg = failed[0]
        raise ValueError(
            f"A total of {len(failed)} objects could not be loaded. Example error message for "
            f"object {obj!r}:\n\n{msg}\n\nList of objects that could not be loaded:\n"
            f"[{', '.join(repr(o) for o, _ in failed)}]"
        )


def _atomic_write(filepath, write_fn) -> None:
    filepath = os.fspath(filepath)
    directory = os.path.dirname(os.path.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=os.path.basename(filepath))
    os.close(fd)
    try:
        write_fn(tmp)
        os.replace(tmp, filepath)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def save_weights_only(model, filepath) -> None:
    """Writes `<filepath>` (must end in `.weights.h5`) with every variable of the model."""
    h5py = _h5py()

    def write(tmp):
        with h5py.File(tmp, "w") as f:
            _write_weights(model, f)

    _atomic_write(filepath, write)


def load_weights_only(model, filepath, skip_mismatch=False) -> None:
    """Reads a `.weights.h5` file (or the weights inside a `.keras` archive) into the model."""
    h5py = _h5py()
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras"):
        with zipfile.ZipFile(filepath) as z:
            data = z.read(_WEIGHTS)
        with h5py.File(io.BytesIO(data), "r") as f:
            _read_weights(model, f, strict=not skip_mismatch)
        return
    with h5py.File(filepath, "r") as f:
        _read_weights(model, f, strict=not skip_mismatch)


# ---------------------------------------------------------------------- assets


def _collect_assets(model) -> list:
    """(archive name, bytes) for the files objects write with `save_assets(dir)` (a lookup
    layer's vocabulary, say), under `assets/<path>/` as Keras stores them."""
    out = []

    def visit(path, obj):
        if not hasattr(obj, "save_assets"):
            return
        with tempfile.TemporaryDirectory() as d:
            obj.save_assets(d)
            for fn in sorted(os.listdir(d)):
                with open(os.path.join(d, fn), "rb") as f:
                    out.append(("/".join(p for p in ("assets", path, fn) if p), f.read()))

    _walk(model, "", visit, set())
    return out


def _load_assets(model, assets: dict) -> None:
    """Hands each object with `load_assets(dir)` the archive files under its assets path."""
    if not assets:
        return

    def visit(path, obj):
        if not hasattr(obj, "load_assets"):
            return
        prefix = f"assets/{path}/" if path else "assets/"
        mine = [n for n in assets if n.startswith(prefix) and "/" not in n[len(prefix) :]]
        if not mine:
            return
        with tempfile.TemporaryDirectory() as d:
            for n in mine:
                with open(os.path.join(d, n[len(prefix) :]), "wb") as f:
                    f.write(assets[n])
            obj.load_assets(d)

    _walk(model, "", visit, set())


# ---------------------------------------------------------------------- .keras archives


def save_model(model, filepath) -> None:
    """Writes a `.keras` archive: config, metadata and weights."""
    from tensorflux._src.keras.serialization import serialize_keras_object

    h5py = _h5py()
    config = serialize_keras_object(model)
    metadata = {
        "keras_version": _KERAS_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        _write_weights(model, f)
    weights = buf.getvalue()
    assets = _collect_assets(model)

    def write(tmp):
        with zipfile.ZipFile(tmp, "w") as z:
            z.writestr(_METADATA, json.dumps(metadata))
            z.writestr(_CONFIG, json.dumps(config, default=_json_default))
            z.writestr(_WEIGHTS, weights)
            for name, data in assets:
                z.writestr(name, data)

    _atomic_write(filepath, write)


def _json_default(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, np.floating):
        return float(x)
    if isinstance(x, np.ndarray):
        return x.tolist()
    if hasattr(x, "as_datatype_enum"):
        return x.name
    raise TypeError(f"Object of type {type(x).__name__} is not JSON serializable")


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Reads a `.keras` archive back into a model with its weights (and compile settings)."""
    from tensorflux._src.keras.serialization import SafeModeScope, deserialize_keras_object

    h5py = _h5py()
    with zipfile.ZipFile(filepath) as z:
        config = json.loads(z.read(_CONFIG))
        weights = z.read(_WEIGHTS)
        assets = {n: z.read(n) for n in z.namelist() if n.startswith("assets/")}
    if not compile:
        config = {k: v for k, v in config.items() if k != "compile_config"}
    with SafeModeScope(safe_mode):
        model = deserialize_keras_object(config, custom_objects=custom_objects)
    if getattr(model, "optimizer", None) is not None and hasattr(model.optimizer, "build"):
        model.optimizer.build(model.trainable_variables)
    with h5py.File(io.BytesIO(weights), "r") as f:
        _read_weights(model, f, strict=True)
    _load_assets(model, assets)
    return model
