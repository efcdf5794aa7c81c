"""Public saving entry points: `keras.models.save_model/load_model`, `model.save/save_weights`."""

from __future__ import annotations

import json
import os

from tensorflux._src.keras.saving import saving_lib


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs) -> None:
    """Saves a model (architecture, weights, compile settings) to a `.keras` file.

    Args:
      model: the model.
      filepath: a path ending in `.keras`.
      overwrite: if False and the file exists, raise instead of replacing it.
      zipped: must be None or True (unzipped directories are not supported).

    Raises:
      ValueError: for another extension.
      NotImplementedError: for the legacy `.h5` format.
    """
    filepath = os.fspath(filepath)
    if zipped is False:
        raise NotImplementedError("Saving unzipped .keras directories is not supported yet.")
    if filepath.endswith((".h5", ".hdf5")):
        raise NotImplementedError(
            "The legacy HDF5 model format is not supported; save to a `.keras` file instead."
        )
    if not filepath.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving. Please add either a `.keras` extension for "
            "the native Keras format (recommended) or a `.h5` extension. Use "
            "`model.export(filepath)` if you want to export a SavedModel for use with "
            f"TFLite/TFServing/etc. Received: filepath={filepath}."
        )
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"File {filepath} already exists and overwrite=False.")
    saving_lib.save_model(model, filepath)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved with `model.save("....keras")` (also by real Keras 3).

    Args:
      filepath: the `.keras` file.
      custom_objects: `{name: class}` for custom layers, losses, ...
      compile: whether to restore the compile settings (optimizer, loss, metrics).
      safe_mode: refuse Python lambdas stored in the file (Lambda layers); False allows them.

    Returns:
      The model.
    """
    filepath = os.fspath(filepath)
    if filepath.endswith((".h5", ".hdf5")):
        raise NotImplementedError(
            "The legacy HDF5 model format is not supported; use a `.keras` file."
        )
    if not os.path.isfile(filepath):
        raise ValueError(
            f"File not found: filepath={filepath}. Please ensure the file is an accessible "
            "`.keras` zip file."
        )
    return saving_lib.load_model(filepath, custom_objects, compile, safe_mode)


def save_weights(model, filepath, overwrite=True) -> None:
    """Writes every weight of `model` to `filepath` (ending in `.weights.h5`)."""
    filepath = os.fspath(filepath)
    if not filepath.endswith(".weights.h5"):
        raise ValueError(f"The filename must end in `.weights.h5`. Received: filepath={filepath}")
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"File {filepath} already exists and overwrite=False.")
    saving_lib.save_weights_only(model, filepath)


def load_weights(model, filepath, skip_mismatch=False, **kwargs) -> None:
    """Reads weights saved by `save_weights` (or from a `.keras` file) into `model`."""
    filepath = os.fspath(filepath)
    if filepath.endswith(".keras") or filepath.endswith(".weights.h5"):
        if not os.path.exists(filepath):
            raise FileNotFoundError(f"No such file or directory: '{filepath}'")
        saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch)
        return
    raise ValueError(
        "File format not supported: filepath={}. Keras 3 only supports V3 `.keras` and "
        "`.weights.h5` files.".format(filepath)
    )


def model_to_json(model, **kwargs) -> str:
    from tensorflux._src.keras.serialization import serialize_keras_object

    return json.dumps(serialize_keras_object(model), default=saving_lib._json_default, **kwargs)


def model_from_json(json_string, custom_objects=None):
    """Rebuilds a model (without weights) from `model.to_json()`."""
    from tensorflux._src.keras.serialization import deserialize_keras_object

    return deserialize_keras_object(json.loads(json_string), custom_objects=custom_objects)
