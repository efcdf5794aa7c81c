"""Graphs for TensorBoard's Graphs dashboard: `tf.summary.graph` and `trace_on`/`trace_export`.

A tensorflux graph is written as TensorFlow's `GraphDef` message: one `NodeDef` per operation
(name, op type, inputs, device) with the attributes that have an `AttrValue` form (types,
shapes, numbers, strings, constant tensors, lists of them); attributes holding sub-graphs or
Python callables are left out. `trace_on(graph=True)` collects the graph of every tf.function
called until `trace_export`, which writes them as TensorFlow does: a `RunMetadata` message under
the "graph_run_metadata_graph" plugin. The profiler is not available.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.summary import event_pb, summary_ops

_log = logging.getLogger("tensorflow")


def _shape_proto(shape: TensorShape):
    p = event_pb.TensorShapeProto()
    if shape.rank is None:
        p.unknown_rank = True
    else:
        for d in shape:
            p.dim.add(size=-1 if d is None else int(d))
    return p


def _dtype_of(arr: np.ndarray):
    if arr.dtype == object or arr.dtype.kind in "SU":
        return dtypes.string
    return dtypes.as_dtype(arr.dtype)


def _attr_value(v):
    """The `AttrValue` of a tensorflux attribute, or None when it has no such form."""
    from tensorflux._src.io.tensor_codec import tensor_proto_bytes

    a = event_pb.AttrValue()
    if isinstance(v, (bool, np.bool_)):
        a.b = bool(v)
    elif isinstance(v, (int, np.integer)):
        a.i = int(v)
    elif isinstance(v, (float, np.floating)):
        a.f = float(v)
    elif isinstance(v, str):
        a.s = v.encode("utf-8")
    elif isinstance(v, bytes):
        a.s = v
    elif isinstance(v, dtypes.DType):
        a.type = v.as_datatype_enum
    elif isinstance(v, TensorShape):
        a.shape.CopyFrom(_shape_proto(v))
    elif isinstance(v, np.ndarray):
        dt = _dtype_of(v)
        a.tensor.MergeFromString(tensor_proto_bytes(v.astype(object) if dt is dtypes.string
                                                    else v, dt))  # fmt: skip
    elif isinstance(v, (list, tuple)):
        return _list_value(v)
    else:
        return None
    return a


def _list_value(items):
    a = event_pb.AttrValue()
    a.list.SetInParent()
    lst = a.list
    for x in items:
        one = _attr_value(x)
        if one is None or one.WhichOneof("value") == "list":
            return None
        kind = one.WhichOneof("value")
        target = getattr(lst, kind)
        if kind in ("shape", "tensor"):
            target.add().CopyFrom(getattr(one, kind))
        else:
            target.append(getattr(one, kind))
    return a


def graph_def_proto(graph_data):
    """TensorFlow's `GraphDef` message for a tensorflux graph or `GraphDef`."""
    if isinstance(graph_data, event_pb.GraphDef):
        return graph_data
    nodes = graph_data.as_graph_def().node if hasattr(graph_data, "as_graph_def") else None
    if nodes is None:
        nodes = graph_data.node
    out = event_pb.GraphDef()
    for n in nodes:
        node = out.node.add(name=n.name, op=n.op, input=list(n.input), device=n.device or "")
        for key in sorted(n.attr):
            value = _attr_value(n.attr[key])
            if value is not None:
                node.attr[key].CopyFrom(value)
    return out


def _is_graph(x) -> bool:
    from tensorflux._src.graph.graph import Graph
    from tensorflux._src.graph.graph_def import GraphDef

    return isinstance(x, (Graph, GraphDef, event_pb.GraphDef))


def graph(graph_data):
    """Writes a graph (a `tf.Graph` or a `GraphDef`) to the default writer, at step 0.

    Args:
      graph_data: the graph, e.g. `f.get_concrete_function(...).graph`.

    Returns:
      True when written, False when there is no default writer.

    Raises:
      ValueError: `graph_data` is not a graph or GraphDef, or this is called while tracing.
    """
    from tensorflux._src.tensor import constant

    if _context.ctx.graph is not None:
        raise ValueError("graph() cannot be invoked inside a graph context.")
    cell = summary_ops.current_writer_cell()
    if cell is None:
        return constant(False)
    if not _is_graph(graph_data):
        raise ValueError(
            "Argument 'graph_data' is not tf.Graph or tf.compat.v1.GraphDef. Received "
            f"graph_data={graph_data} of type {type(graph_data).__name__}."
        )
    event = event_pb.Event(wall_time=_now(), step=0)
    event.graph_def = graph_def_proto(graph_data).SerializeToString()
    cell.write(event)
    return constant(True)


def _now() -> float:
    import time

    return time.time()


# ------------------------------------------------------------------ trace_on / trace_export

_lock = threading.Lock()
_trace_active = False


def trace_on(graph=True, profiler=False, profiler_outdir=None):
    """Starts collecting the graphs of the tf.functions called from now on (all threads).

    Args:
      graph: whether to collect graphs.
      profiler: must be False: the profiler is not available in tensorflux.
      profiler_outdir: accepted for compatibility (profiler output directory).

    Raises:
      NotImplementedError: `profiler=True`.
    """
    global _trace_active
    if profiler:
        raise NotImplementedError(
            "tf.summary.trace_on(profiler=True): tensorflux has no profiler; use graph=True "
            "alone to record function graphs."
        )
    if _context.ctx.graph is not None:
        _log.warning("Cannot enable trace inside a tf.function.")
        return
    with _lock:
        if _trace_active:
            _log.warning("Trace already enabled")
            return
        _trace_active = True
        _context.GRAPH_TRACE = {} if graph else None


def trace_off():
    """Stops collecting graphs and drops what was collected."""
    global _trace_active
    with _lock:
        _trace_active = False
        _context.GRAPH_TRACE = None


def _run_metadata_bytes(graphs) -> bytes:
    """TensorFlow's `RunMetadata` with one `function_graphs` entry per graph."""
    out = b""
    for g in graphs:
        body = graph_def_proto(g).SerializeToString()
        function_graphs = _len_field(2, body)  # FunctionGraphs.pre_optimization_graph
        out += _len_field(4, function_graphs)  # RunMetadata.function_graphs
    return out


def _len_field(number: int, data: bytes) -> bytes:
    from tensorflux._src.io.tensor_codec import _len_field as encode

    return encode(number, data)


def trace_export(name, step=None, profiler_outdir=None):
    """Writes the graphs collected since `trace_on` to the default writer and stops the trace.

    Args:
      name: the summary tag.
      step: an int64-castable step; None uses the default step.
      profiler_outdir: accepted for compatibility (no profile is written).

    Raises:
      ValueError: no trace was started with `trace_on`, or no step is set.
    """
    from tensorflux._src.tensor import constant

    if _context.ctx.graph is not None:
        _log.warning("Cannot export trace inside a tf.function.")
        return
    with _lock:
        if not _trace_active:
            raise ValueError("Must enable trace before export through tf.summary.trace_on.")
        graphs = list((_context.GRAPH_TRACE or {}).values())
    meta = event_pb.SummaryMetadata()
    meta.plugin_data.plugin_name = "graph_run_metadata_graph"
    meta.plugin_data.content = b"1"
    data = _run_metadata_bytes(graphs)
    with summary_ops.summary_scope(name, "graph_run_metadata_graph_summary") as (tag, _):
        summary_ops.write(tag=tag, tensor=constant(data, dtype=dtypes.string), step=step,
                          metadata=meta)  # fmt: skip
    trace_off()
