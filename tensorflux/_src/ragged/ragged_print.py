"""NumPy and Python-list views of eager RaggedTensors, and their printing as TensorFlow shows it.

Eagerly a RaggedTensor prints as `<tf.RaggedTensor [[1, 2], [3]]>`: each level whose rows all have
the same length is laid out as a NumPy array with `, ` separators (one row per line), other
levels as a comma-separated list. Symbolic ones print their component tensors.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.tensor import EagerTensor


def _eager_or_raise(rt):
    if not rt._is_eager():
        raise ValueError("RaggedTensor.numpy() and to_list() are only supported in eager mode.")


def _rows(values, splits):
    return [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]


def _np_level(values, splits):
    """Nested object arrays (or one dense array when all rows match in length)."""
    rows = _rows(values, splits)
    lengths = np.diff(splits)
    if len(rows) and np.all(lengths == lengths[0]):
        # Equal rows form one array, as np.array would make of them (objects stay objects).
        return values[: splits[-1]].reshape((len(rows), int(lengths[0])) + values.shape[1:])
    out = np.empty(len(rows), dtype=object)
    for i, r in enumerate(rows):
        out[i] = r
    return out


def to_numpy(rt):
    _eager_or_raise(rt)
    flat = rt.flat_values.numpy()
    out = flat
    for splits in reversed(rt.nested_row_splits):
        out = _np_level(out, splits.numpy())
    return out


def _list_level(values, splits):
    return [values[splits[i]:splits[i + 1]] for i in range(len(splits) - 1)]


def to_list(rt) -> list:
    _eager_or_raise(rt)
    out = rt.flat_values.numpy().tolist()
    for splits in reversed(rt.nested_row_splits):
        out = _list_level(out, splits.numpy().tolist())
    return out


def _format(x) -> str:
    """One value of the NumPy view: arrays recurse, scalars print as Python would."""
    if isinstance(x, np.ndarray):
        if x.size == 0:
            return repr(x.tolist())
        with np.printoptions(formatter={"all": _format}):
            return np.array2string(x, separator=", ")
    return str(x)


def repr_text(rt) -> str:
    if rt._is_eager():
        with np.printoptions(formatter={"all": _format}):
            return f"<tf.RaggedTensor {_format(to_numpy(rt))}>"
    return f"tf.RaggedTensor(values={rt.values!s}, row_splits={rt.row_splits!s})"




def _print_scalar(v) -> str:
    if isinstance(v, bytes):
        return repr(v.decode("utf-8", "backslashreplace"))
    if isinstance(v, float):
        return f"{v:f}"
    return str(v)


def _print_nested(x) -> str:
    if isinstance(x, list):
        return "[" + ", ".join(_print_nested(v) for v in x) + "]"
    return _print_scalar(x)


class PrintText:
    """What `tf.print` shows for a RaggedTensor: nested lists, floats as `%f`."""

    def __init__(self, rt):
        self.text = _print_nested(to_list(rt))

    def __str__(self) -> str:
        return self.text


def _replace(x, fn):
    from tensorflux._src.ragged.ragged_tensor import RaggedTensor

    if isinstance(x, RaggedTensor):
        return fn(x)
    if isinstance(x, (list, tuple)):
        return type(x)(_replace(v, fn) for v in x)
    if isinstance(x, dict):
        return {k: _replace(v, fn) for k, v in x.items()}
    return x


def print_with_ragged(orig, *inputs, **kwargs):
    """`tf.print` with RaggedTensor arguments; inside tf.function the line is printed when the
    function runs, by a py_function that rebuilds the values and prints them eagerly."""
    from tensorflux._src.core import context, nest
    from tensorflux._src.ops import script_ops

    if context.ctx.graph is None:
        return orig(*_replace(list(inputs), PrintText), **kwargs)
    flat = nest.flatten(list(inputs), expand_composites=True)
    is_tensor = [isinstance(v, EagerTensor) or hasattr(v, "op") for v in flat]
    tensors = [v for v, t in zip(flat, is_tensor) if t]

    def run(*values):
        it = iter(values)
        rebuilt = [next(it) if t else v for v, t in zip(flat, is_tensor)]
        args = nest.pack_sequence_as(list(inputs), rebuilt, expand_composites=True)
        orig(*_replace(args, PrintText), **kwargs)
        return []

    return script_ops.py_function(run, tensors, Tout=[])


__all__ = ["to_numpy", "to_list", "repr_text", "print_with_ragged", "PrintText"]
