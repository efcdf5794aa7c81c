"""tf.print: a `StringFormat` node formats the tensors, a stateful `PrintV2` node writes them."""

from __future__ import annotations

import sys

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape

_STREAMS = ("stderr", "stdout", "log(info)", "log(warning)", "log(error)")


def _scalar_text(v, dtype) -> str:
    if isinstance(v, (bytes, np.bytes_)):
        return '"' + v.decode("utf-8", "backslashreplace") + '"'
    if isinstance(v, str):
        return '"' + v + '"'
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (float, np.floating)):
        return _float_text(v, dtype)
    if isinstance(v, (complex, np.complexfloating)):
        return "(%g,%g)" % (v.real, v.imag)
    return str(v)


def _float_text(v, dtype) -> str:
    # The short form when it reads back to the same value, else enough digits to round-trip.
    wide = np.dtype(dtype) == np.float64
    short, full, cast = ("%.15g", "%.17g", float) if wide else ("%.6g", "%.9g", np.float32)
    text = short % float(v)
    if not np.isfinite(v) or cast(text) == cast(v):
        return text
    return full % float(v)


def format_array(a: np.ndarray, summarize: int) -> str:
    """Text of `a` as TensorFlow prints it: nested brackets, `...` past `summarize` per dim."""
    a = np.asarray(a)
    if a.ndim == 0:
        return _scalar_text(a.item() if a.dtype.kind != "S" else a[()], a.dtype)

    def rec(x, depth):
        n = x.shape[0]
        if summarize >= 0 and n > 2 * summarize:
            idx = list(range(summarize)) + [None] + list(range(n - summarize, n))
        else:
            idx = list(range(n))
        if x.ndim == 1:
            parts = ["..." if i is None else _scalar_text(x[i], a.dtype) for i in idx]
            return "[" + " ".join(parts) + "]"
        sep = "\n" * (x.ndim - 1) + " " * (depth + 1)
        parts = ["..." if i is None else rec(x[i], depth + 1) for i in idx]
        return "[" + sep.join(parts) + "]"

    return rec(a, 0)


def _format_rule_dtype(in_dtypes, attrs):
    return dtypes.string


StringFormat = defop(
    "StringFormat",
    infer=Rule(_format_rule_dtype, lambda inputs, attrs: TensorShape([])),
    type_inputs=(),
)


@StringFormat.kernel
def _(xp, *arrays, template, placeholder="{}", summarize=3):
    pieces = template.split(placeholder)
    if len(pieces) != len(arrays) + 1:
        from tensorflux._src.core import errors

        raise errors.InvalidArgumentError(
            None,
            None,
            f"num placeholders in template and num inputs must match: "
            f"{len(pieces) - 1} vs. {len(arrays)}",
        )
    out = [pieces[0]]
    for arr, piece in zip(arrays, pieces[1:]):
        host = arr.get() if hasattr(arr, "get") else np.asarray(arr)
        out.append(format_array(host, summarize))
        out.append(piece)
    return np.array("".join(out).encode("utf-8"), dtype=object)


PrintV2 = defop(
    "PrintV2",
    infer=Rule(lambda in_dtypes, attrs: [], lambda inputs, attrs: []),
    num_outputs=0,
    stateful=True,
)


@PrintV2.kernel
def _(xp, text, output_stream="stderr", end="\n"):
    s = text.item() if hasattr(text, "item") else text
    if isinstance(s, bytes):
        s = s.decode("utf-8", "backslashreplace")
    s = s + end
    if output_stream == "stdout":
        sys.stdout.write(s)
        sys.stdout.flush()
    elif output_stream == "stderr":
        sys.stderr.write(s)
        sys.stderr.flush()
    elif output_stream.startswith("log("):
        import logging

        level = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}
        logging.getLogger("tensorflow").log(level[output_stream[4:-1]], s.rstrip("\n"))
    else:
        with open(output_stream[len("file://") :], "a") as f:
            f.write(s)
    return []


not_differentiable(StringFormat, PrintV2)


def _is_tensor(x) -> bool:
    from tensorflux._src.tensor import Tensor
    from tensorflux._src.variables import is_variable

    return isinstance(x, Tensor) or is_variable(x)


_SLOT = "\x00tfx-slot\x00"


def _template(x, tensors: list, top: bool) -> str:
    if _is_tensor(x):
        tensors.append(x)
        return _SLOT
    if isinstance(x, dict):
        items = (f"{k!r}: {_template(v, tensors, False)}" for k, v in x.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(x, (list, tuple)):
        body = ", ".join(_template(v, tensors, False) for v in x)
        if isinstance(x, tuple):
            return "(" + body + ("," if len(x) == 1 else "") + ")"
        return "[" + body + "]"
    if isinstance(x, str) and not top:
        return repr(x)
    return str(x)


def print_v2(*inputs, **kwargs):
    """Prints tensors and Python values; inside a tf.function, when the function runs.

    Args:
      *inputs: Tensors, Python values or nested lists/tuples/dicts of them, printed separated
        by `sep`. Tensors show their values (at most `summarize` entries from each end of
        every dimension).
      output_stream: "stderr" (default), "stdout", "log(info)", "log(warning)",
        "log(error)", a "file://<path>" string, or `sys.stdout`/`sys.stderr`.
      summarize: Entries kept at each end of each dimension (default 3); -1 prints all.
      sep: Text between inputs (default " ").
      end: Text after the last input (default newline).
      name: Optional name for the operation.

    Returns:
      None when executing eagerly; the print `Operation` while building a graph.

    Raises:
      ValueError: On an unknown `output_stream` or unexpected keyword argument.
    """
    output_stream = kwargs.pop("output_stream", sys.stderr)
    summarize = kwargs.pop("summarize", 3)
    sep = kwargs.pop("sep", " ")
    end = kwargs.pop("end", "\n")
    name = kwargs.pop("name", None)
    if kwargs:
        raise ValueError(f"Unrecognized keyword arguments for tf.print: {kwargs}")
    if output_stream is sys.stdout:
        stream = "stdout"
    elif output_stream is sys.stderr:
        stream = "stderr"
    elif isinstance(output_stream, str) and (
        output_stream in _STREAMS or output_stream.startswith("file://")
    ):
        stream = output_stream
    else:
        raise ValueError(
            f"Unsupported output stream, logging level, or file.{output_stream}. "
            "Supported streams are sys.stdout, sys.stderr, tf.logging.info, tf.logging.warning, "
            "tf.logging.error. File needs to be in the form of 'file://<filepath>'."
        )
    tensors: list = []
    template = sep.join(_template(x, tensors, True) for x in inputs)
    placeholder = "{}"
    while placeholder in template:  # literal text that looks like a placeholder
        placeholder = "{" + placeholder + "}"
    template = template.replace(_SLOT, placeholder)
    from tensorflux._src.core.context import ctx

    text = StringFormat(*tensors, template=template, placeholder=placeholder, summarize=summarize)
    graph = ctx.graph
    PrintV2(text, output_stream=stream, end=end, name=name)
    if graph is not None:
        return graph.get_operations()[-1]
    return None
