"""`model.summary()`: Keras 3's table of layers, drawn with box characters.

The table is laid out as Keras's `rich` table is (heavy header box, a rule between rows, fixed
column widths shrunk evenly to the line length, words wrapped inside cells, over-long words cut
with an ellipsis), written here without `rich`; output is plain text (no colors).
"""

from __future__ import annotations

import math
import re
import shutil

import numpy as np

from tensorflux._src.core import dtypes, nest
from tensorflux._src.keras.utils import io_utils


def count_params(weights) -> int:
    """The number of scalars in `weights`."""
    return int(sum(math.prod(_shape(w)) for w in weights))


def _shape(w):
    s = w.shape
    return tuple(s.as_list()) if hasattr(s, "as_list") else tuple(s)


def _dtype_bits(dtype) -> int:
    name = dtype if isinstance(dtype, str) else getattr(dtype, "name", str(dtype))
    if name == "bool":
        return 1
    if name in ("string", "resource", "variant"):
        return 0
    try:
        return np.dtype(dtypes.as_dtype(name).as_numpy_dtype).itemsize * 8
    except Exception:
        m = re.search(r"(\d+)$", name)
        return int(m.group(1)) if m else 32


def weight_memory_size(weights) -> float:
    """The memory the weights take, in bytes."""
    unique = {id(w): w for w in weights}.values()
    bits = sum(math.prod(_shape(w)) * _dtype_bits(w.dtype) for w in unique)
    return bits / 8


def readable_memory_size(size) -> str:
    """ "92.00 B", "1.50 KB", ... (powers of 1024)."""
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


# ---------------------------------------------------------------------- table drawing


def _ratio_reduce(total, ratios, maximums, values):
    ratios = [r if m else 0 for r, m in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return list(values)
    remaining = total
    out = []
    for r, mx, v in zip(ratios, maximums, values):
        if r and total_ratio > 0:
            d = min(mx, round(r * remaining / total_ratio))
            out.append(v - d)
            remaining -= d
            total_ratio -= r
        else:
            out.append(v)
    return out


def _wrap(text: str, width: int) -> list:
    """Greedy word wrap; a word longer than the width is cut with "…"."""
    if width <= 0:
        return [""]
    lines = []
    for para in text.split("\n"):
        words = re.findall(r"\s*\S+\s*", para)
        if not words:
            lines.append("")
            continue
        line = ""
        for word in words:
            if line and len(line) + len(word.rstrip()) > width:
                lines.append(line.rstrip())
                line = word.lstrip()
            else:
                line += word
        lines.append(line.rstrip())
    out = []
    for ln in lines:
        if len(ln) > width:
            ln = ln[: width - 1] + "…"
        out.append(ln)
    return out


def _justify(text, width, how) -> str:
    if how == "right":
        return text.rjust(width)
    if how == "center":
        left = (width - len(text)) // 2
        return " " * left + text + " " * (width - len(text) - left)
    return text.ljust(width)


def render_table(header, rows, column_widths, alignment, line_length) -> list:
    """The table's lines: box-drawn, `show_lines` style, as Keras's summary draws it."""
    n = len(header)
    cells = [w + 2 for w in column_widths]  # cell padding of one space each side
    available = line_length - (n + 1)
    if sum(cells) > available:
        cells = _ratio_reduce(sum(cells) - available, [1] * n, cells, cells)
    inner = [max(c - 2, 0) for c in cells]

    def rule(left, mid, right, fill):
        return left + mid.join(fill * c for c in cells) + right

    def row_lines(values, sep, header_row=False):
        wrapped = [_wrap(str(v), w) for v, w in zip(values, inner)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            parts = []
            for col, w in enumerate(inner):
                text = wrapped[col][i] if i < len(wrapped[col]) else ""
                parts.append(" " + _justify(text, w, alignment[col]) + " ")
            out.append(sep + sep.join(parts) + sep)
        return out

    lines = [rule("┏", "┳", "┓", "━")]
    lines += row_lines(header, "┃", header_row=True)
    lines.append(rule("┡", "╇", "┩", "━"))
    for i, r in enumerate(rows):
        if i:
            lines.append(rule("├", "┼", "┤", "─"))
        lines += row_lines(r, "│")
    lines.append(rule("└", "┴", "┘", "─"))
    return lines


# ---------------------------------------------------------------------- model inspection


def _format_shape(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ")"


def format_layer_shape(layer) -> str:
    nodes = layer.__dict__.get("_inbound_nodes") or []
    build_shape = layer.__dict__.get("_build_input_shape")
    if not nodes and build_shape is None:
        return "?"
    if nodes:
        outs = nodes[-1].outputs
        shapes = nest.map_structure(lambda t: _format_shape(_shape(t)), outs, check_types=False)
    else:
        try:
            out = layer.compute_output_shape(build_shape)
        except Exception:
            return "?"
        if isinstance(out, (list, tuple)) and out and isinstance(out[0], (list, tuple)):
            shapes = [_format_shape(s) for s in out]
        elif isinstance(out, dict):
            shapes = {k: _format_shape(v) for k, v in out.items()}
        else:
            shapes = _format_shape(out)
    flat = nest.flatten(shapes)
    if len(flat) == 1:
        return flat[0]
    return str(shapes).replace("'", "")


def _node_depths(model):
    nodes = list(getattr(model, "_nodes", []) or [])
    depth = {id(n): 0 for n in nodes}
    for node in reversed(nodes):
        for parent in getattr(node, "parent_nodes", ()):
            if id(parent) in depth:
                depth[id(parent)] = max(depth[id(parent)], depth[id(node)] + 1)
    by_depth = {}
    for node in nodes:
        by_depth.setdefault(depth[id(node)], []).append(node)
    return nodes, by_depth


def _is_functional(model) -> bool:
    return hasattr(model, "_nodes") and hasattr(model, "_inputs_struct")


def layer_range_bounds(layers, layer_range=None):
    """[first index, last index + 1] of the layers matching `layer_range`'s two patterns."""
    if layer_range is None:
        return [0, len(layers)]
    if len(layer_range) != 2:
        raise ValueError(
            "layer_range must be a list or tuple of length 2. Received: "
            f"layer_range = {layer_range} of length {len(layer_range)}"
        )
    if not isinstance(layer_range[0], str) or not isinstance(layer_range[1], str):
        raise ValueError(f"layer_range should contain string type only. Received: {layer_range}")
    lower = [i for i, ly in enumerate(layers) if re.match(layer_range[0], ly.name)]
    upper = [i for i, ly in enumerate(layers) if re.match(layer_range[1], ly.name)]
    if not lower or not upper:
        raise ValueError(
            f"Passed layer_names do not match the layer names in the model. Received: {layer_range}"
        )
    if min(lower) > max(upper):
        return [min(upper), max(lower) + 1]
    return [min(lower), max(upper) + 1]


def print_summary(model, line_length=None, positions=None, print_fn=None, expand_nested=False,
                  show_trainable=False, layer_range=None):  # fmt: skip
    """Prints (or passes to `print_fn`) the summary table of `model` (see `Model.summary`)."""
    functional = _is_functional(model)
    sequential_like = True
    relevant = []
    if functional:
        layers = list(model.layers)
        nodes, by_depth = _node_depths(model)
        for group in by_depth.values():
            if len(group) > 1 or (len(group) == 1 and len(group[0].input_tensors) > 1):
                sequential_like = False
                break
        if sequential_like:
            ids = {id(n) for n in nodes}
            for layer in layers:
                hits = sum(1 for nd in layer._inbound_nodes if id(nd) in ids)
                if hits > 1:
                    sequential_like = False
                    break
        relevant = nodes
    else:
        layers = list(model.layers)
    if sequential_like:
        default_length = 88
        positions = positions or [0.45, 0.80, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #"]
        alignment = ["left", "left", "right"]
    else:
        default_length = 108
        positions = positions or [0.3, 0.56, 0.74, 1.0]
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
        alignment = ["left", "left", "right", "left"]
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header.append("Trainable")
        alignment.append("center")
    default_length = min(default_length, shutil.get_terminal_size().columns - 4)
    line_length = line_length or default_length
    widths = []
    current = 0
    for pos in positions:
        w = int(pos * line_length) - current
        if w < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(w)
        current += w
    relevant_ids = {id(n) for n in relevant}

    def connections(layer):
        out = []
        for node in layer._inbound_nodes:
            if relevant_ids and id(node) not in relevant_ids:
                continue
            for kt in node.input_tensors:
                h = kt._keras_history
                out.append(f"{h.operation.name}[{h.node_index}][{h.tensor_index}]")
        return ", ".join(out) if out else "-"

    def fields(layer, prefix=""):
        name = f"{prefix}{layer.name} ({type(layer).__name__})"
        if not hasattr(layer, "built"):
            params = "0"
        elif not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{layer.count_params():,}"
        row = [name, format_layer_shape(layer), params]
        if not sequential_like:
            row.append(connections(layer))
        if show_trainable:
            if getattr(layer, "weights", None):
                row.append("Y" if layer.trainable else "N")
            else:
                row.append("-")
        return row

    def layer_rows(layer, level=0):
        prefix = "   " * level + "└ " if level else ""
        rows = [fields(layer, prefix)]
        if expand_nested and getattr(layer, "layers", None):
            for sub in layer.layers:
                rows.extend(layer_rows(sub, level + 1))
        return rows

    lo, hi = layer_range_bounds(layers, layer_range)
    rows = []
    for layer in layers[lo:hi]:
        rows.extend(layer_rows(layer))
    trainable = model.trainable_weights
    non_trainable = model.non_trainable_weights
    t_count, t_mem = count_params(trainable), weight_memory_size(trainable)
    n_count, n_mem = count_params(non_trainable), weight_memory_size(non_trainable)
    opt = getattr(model, "optimizer", None)
    opt_built = bool(getattr(model, "compiled", False) and opt is not None
                     and getattr(opt, "built", False))  # fmt: skip
    o_count = o_mem = 0
    if opt_built:
        o_count, o_mem = count_params(opt.variables), weight_memory_size(opt.variables)
    lines = [f'Model: "{model.name}"']
    lines += render_table(header, rows, widths, alignment, line_length)
    lines.append(
        f" Total params: {t_count + n_count + o_count:,} "
        f"({readable_memory_size(t_mem + n_mem + o_mem)})"
    )
    lines.append(f" Trainable params: {t_count:,} ({readable_memory_size(t_mem)})")
    lines.append(f" Non-trainable params: {n_count:,} ({readable_memory_size(n_mem)})")
    if opt_built:
        lines.append(f" Optimizer params: {o_count:,} ({readable_memory_size(o_mem)})")
    text = "\n".join(lines) + "\n"
    if print_fn is None:
        io_utils.print_msg(text, line_break=False)
    else:
        print_fn(text)
