"""`tf.io.read_file`, `write_file` and `matching_files`: file access as ops.

They are host ops on string tensors, so they run eagerly and inside tf.function (where they are
stateful: kept in program order and never constant-folded, since files change between calls).
`write_file` creates missing parent directories, as TensorFlow does, and replaces the file
atomically (temporary name, then rename).
"""

from __future__ import annotations

import os

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.io import gfile


def _scalar_string(arr, what: str, op: str) -> str:
    a = np.asarray(arr, dtype=object)
    if a.ndim != 0:
        raise InvalidArgumentError(
            None, None, f"{op}: {what} must be a scalar, got shape {list(a.shape)}"
        )
    v = a.item()
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def _string_rule(shape_fn):
    def dtype(in_dtypes, attrs):
        for i, t in enumerate(in_dtypes):
            if t is not dtypes.string:
                raise InvalidArgumentError(
                    None, None, f"Input {i} must be a string tensor, got {t.name}"
                )
        return dtypes.string

    return Rule(dtype, shape_fn)


ReadFile = defop("ReadFile", infer=_string_rule(lambda inputs, attrs: TensorShape([])),
                 stateful=True)  # fmt: skip


@ReadFile.kernel
def _(xp, filename):
    path = gfile._path(_scalar_string(filename, "filename", "ReadFile"))
    if os.path.isdir(path):
        from tensorflux._src.core.errors import FailedPreconditionError

        raise FailedPreconditionError(None, None, f"{path}; Is a directory")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise gfile._os_error(e, path) from e
    return np.array(data, dtype=object)


def _write_rule():
    def dtype(in_dtypes, attrs):
        for i, t in enumerate(in_dtypes):
            if t is not dtypes.string:
                raise InvalidArgumentError(
                    None, None, f"Input {i} must be a string tensor, got {t.name}"
                )
        return []

    return Rule(dtype, lambda inputs, attrs: [])


WriteFile = defop("WriteFile", infer=_write_rule(), num_outputs=0, stateful=True)


@WriteFile.kernel
def _(xp, filename, contents):
    path = gfile._path(_scalar_string(filename, "filename", "WriteFile"))
    data = np.asarray(contents, dtype=object)
    if data.ndim != 0:
        raise InvalidArgumentError(
            None, None, f"WriteFile: contents must be a scalar, got shape {list(data.shape)}"
        )
    data = data.item()
    data = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    try:
        gfile.atomic_write_bytes(path, data, prefix=".tmp_write_")
    except OSError as e:
        raise gfile._os_error(e, path) from e
    return []


MatchingFiles = defop(
    "MatchingFiles", infer=_string_rule(lambda inputs, attrs: TensorShape([None])), stateful=True
)


@MatchingFiles.kernel
def _(xp, pattern):
    pats = np.asarray(pattern, dtype=object)
    if pats.ndim > 1:
        raise InvalidArgumentError(
            None, None, f"MatchingFiles: pattern must be a scalar or vector, got shape "
            f"{list(pats.shape)}"
        )  # fmt: skip
    out = []
    for p in pats.reshape(-1):
        out.extend(gfile.glob(p.decode("utf-8") if isinstance(p, bytes) else str(p)))
    return np.array([s.encode("utf-8") for s in out], dtype=object).reshape(-1)


not_differentiable(ReadFile, WriteFile, MatchingFiles)


def _string(x):
    from tensorflux._src.tensor import convert_to_tensor

    return convert_to_tensor(x, dtype=dtypes.string)


def read_file(filename, name=None):
    """Reads a whole file into a scalar string tensor.

    Args:
      filename: a scalar string tensor, the path.
      name: the op name.

    Returns:
      A scalar `tf.string` tensor with the file's bytes.

    Raises:
      NotFoundError: the file does not exist.
    """
    return ReadFile(_string(filename), name=name)


def write_file(filename, contents, name=None):
    """Writes `contents` to `filename`, creating missing parent directories.

    Args:
      filename: a scalar string tensor, the path.
      contents: a scalar string tensor.
      name: the op name.

    Returns:
      None eagerly; the WriteFile operation inside tf.function.
    """
    from tensorflux._src.core.context import ctx

    graph = ctx.graph
    WriteFile(_string(filename), _string(contents), name=name)
    if graph is not None:
        return graph.get_operations()[-1]
    return None


def matching_files(pattern, name=None):
    """The files matching a glob pattern (or any of a vector of patterns), as a 1-D string tensor.

    Args:
      pattern: a scalar or vector string tensor of shell wildcard patterns.
      name: the op name.

    Returns:
      A 1-D `tf.string` tensor of matching paths (empty when none match).
    """
    return MatchingFiles(_string(pattern), name=name)
