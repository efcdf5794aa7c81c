"""TensorBoard's event-file messages, wire-compatible with TensorFlow's.

Declared here without generated code: the message names, field numbers and types of
TensorFlow's `event.proto`, `summary.proto`, `tensor.proto`, `tensor_shape.proto`, `graph.proto`,
`node_def.proto` and `attr_value.proto` (the parts event files use). They live in a private
descriptor pool, so TensorFlow or TensorBoard imported in the same process cannot clash with them.
"""

from __future__ import annotations

from tensorflux._src.io.proto_schema import F, REPEATED, field, map_field, message_classes, new_file

# types.proto's DataType values (the names TensorBoard prints).
_DATA_TYPES = (
    "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8",
    "DT_STRING", "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32",
    "DT_BFLOAT16", "DT_QINT16", "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF",
    "DT_RESOURCE", "DT_VARIANT", "DT_UINT32", "DT_UINT64", "DT_FLOAT8_E5M2", "DT_FLOAT8_E4M3FN",
)  # fmt: skip


def _msg(fd, name, *fields):
    """Adds message `name` with plain fields, each given as (name, number, type)."""
    m = fd.message_type.add(name=name)
    for spec in fields:
        field(m, *spec)
    return m


def _tensor_messages(fd):
    m = fd.message_type.add(name="TensorShapeProto")
    dim = m.nested_type.add(name="Dim")
    field(dim, "size", 1, F.TYPE_INT64)
    field(dim, "name", 2, F.TYPE_STRING)
    field(m, "dim", 2, F.TYPE_MESSAGE, REPEATED, "TensorShapeProto.Dim")
    field(m, "unknown_rank", 3, F.TYPE_BOOL)
    m = fd.message_type.add(name="TensorProto")
    field(m, "dtype", 1, F.TYPE_ENUM, type_name="DataType")
    field(m, "tensor_shape", 2, F.TYPE_MESSAGE, type_name="TensorShapeProto")
    field(m, "version_number", 3, F.TYPE_INT32)
    field(m, "tensor_content", 4, F.TYPE_BYTES)
    for name, number, ftype in (
        ("half_val", 13, F.TYPE_INT32), ("float_val", 5, F.TYPE_FLOAT),
        ("double_val", 6, F.TYPE_DOUBLE), ("int_val", 7, F.TYPE_INT32),
        ("scomplex_val", 9, F.TYPE_FLOAT), ("int64_val", 10, F.TYPE_INT64),
        ("bool_val", 11, F.TYPE_BOOL), ("dcomplex_val", 12, F.TYPE_DOUBLE),
        ("uint32_val", 16, F.TYPE_UINT32), ("uint64_val", 17, F.TYPE_UINT64),
        ("float8_val", 18, F.TYPE_BYTES),
    ):  # fmt: skip
        field(m, name, number, ftype, REPEATED, packed=None if ftype == F.TYPE_BYTES else True)
    field(m, "string_val", 8, F.TYPE_BYTES, REPEATED)


def _summary_messages(fd):
    e = fd.enum_type.add(name="DataClass")
    for i, n in enumerate(("UNKNOWN", "SCALAR", "TENSOR", "BLOB_SEQUENCE")):
        e.value.add(name=f"DATA_CLASS_{n}", number=i)
    _msg(fd, "HistogramProto",
         ("min", 1, F.TYPE_DOUBLE), ("max", 2, F.TYPE_DOUBLE), ("num", 3, F.TYPE_DOUBLE),
         ("sum", 4, F.TYPE_DOUBLE), ("sum_squares", 5, F.TYPE_DOUBLE))  # fmt: skip
    h = fd.message_type[-1]
    field(h, "bucket_limit", 6, F.TYPE_DOUBLE, REPEATED, packed=True)
    field(h, "bucket", 7, F.TYPE_DOUBLE, REPEATED, packed=True)
    m = fd.message_type.add(name="SummaryMetadata")
    pd = m.nested_type.add(name="PluginData")
    field(pd, "plugin_name", 1, F.TYPE_STRING)
    field(pd, "content", 2, F.TYPE_BYTES)
    field(m, "plugin_data", 1, F.TYPE_MESSAGE, type_name="SummaryMetadata.PluginData")
    field(m, "display_name", 2, F.TYPE_STRING)
    field(m, "summary_description", 3, F.TYPE_STRING)
    field(m, "data_class", 4, F.TYPE_ENUM, type_name="DataClass")
    m = fd.message_type.add(name="Summary")
    img = m.nested_type.add(name="Image")
    for name, number, ftype in (("height", 1, F.TYPE_INT32), ("width", 2, F.TYPE_INT32),
                                ("colorspace", 3, F.TYPE_INT32),
                                ("encoded_image_string", 4, F.TYPE_BYTES)):  # fmt: skip
        field(img, name, number, ftype)
    aud = m.nested_type.add(name="Audio")
    for name, number, ftype in (("sample_rate", 1, F.TYPE_FLOAT),
                                ("num_channels", 2, F.TYPE_INT64),
                                ("length_frames", 3, F.TYPE_INT64),
                                ("encoded_audio_string", 4, F.TYPE_BYTES),
                                ("content_type", 5, F.TYPE_STRING)):  # fmt: skip
        field(aud, name, number, ftype)
    val = m.nested_type.add(name="Value")
    val.oneof_decl.add(name="value")
    field(val, "node_name", 7, F.TYPE_STRING)
    field(val, "tag", 1, F.TYPE_STRING)
    field(val, "metadata", 9, F.TYPE_MESSAGE, type_name="SummaryMetadata")
    field(val, "simple_value", 2, F.TYPE_FLOAT, oneof=0)
    field(val, "obsolete_old_style_histogram", 3, F.TYPE_BYTES, oneof=0)
    field(val, "image", 4, F.TYPE_MESSAGE, type_name="Summary.Image", oneof=0)
    field(val, "histo", 5, F.TYPE_MESSAGE, type_name="HistogramProto", oneof=0)
    field(val, "audio", 6, F.TYPE_MESSAGE, type_name="Summary.Audio", oneof=0)
    field(val, "tensor", 8, F.TYPE_MESSAGE, type_name="TensorProto", oneof=0)
    field(m, "value", 1, F.TYPE_MESSAGE, REPEATED, "Summary.Value")


def _event_messages(fd):
    m = fd.message_type.add(name="LogMessage")
    e = m.enum_type.add(name="Level")
    for name, number in (("UNKNOWN", 0), ("DEBUGGING", 10), ("INFO", 20), ("WARN", 30),
                         ("ERROR", 40), ("FATAL", 50)):  # fmt: skip
        e.value.add(name=name, number=number)
    field(m, "level", 1, F.TYPE_ENUM, type_name="LogMessage.Level")
    field(m, "message", 2, F.TYPE_STRING)
    m = fd.message_type.add(name="SessionLog")
    e = m.enum_type.add(name="SessionStatus")
    for i, name in enumerate(("STATUS_UNSPECIFIED", "START", "STOP", "CHECKPOINT")):
        e.value.add(name=name, number=i)
    field(m, "status", 1, F.TYPE_ENUM, type_name="SessionLog.SessionStatus")
    field(m, "checkpoint_path", 2, F.TYPE_STRING)
    field(m, "msg", 3, F.TYPE_STRING)
    _msg(fd, "TaggedRunMetadata", ("tag", 1, F.TYPE_STRING), ("run_metadata", 2, F.TYPE_BYTES))
    _msg(fd, "SourceMetadata", ("writer", 1, F.TYPE_STRING))
    m = fd.message_type.add(name="Event")
    m.oneof_decl.add(name="what")
    field(m, "wall_time", 1, F.TYPE_DOUBLE)
    field(m, "step", 2, F.TYPE_INT64)
    field(m, "file_version", 3, F.TYPE_STRING, oneof=0)
    field(m, "graph_def", 4, F.TYPE_BYTES, oneof=0)
    field(m, "summary", 5, F.TYPE_MESSAGE, type_name="Summary", oneof=0)
    field(m, "log_message", 6, F.TYPE_MESSAGE, type_name="LogMessage", oneof=0)
    field(m, "session_log", 7, F.TYPE_MESSAGE, type_name="SessionLog", oneof=0)
    field(m, "tagged_run_metadata", 8, F.TYPE_MESSAGE, type_name="TaggedRunMetadata", oneof=0)
    field(m, "meta_graph_def", 9, F.TYPE_BYTES, oneof=0)
    field(m, "source_metadata", 10, F.TYPE_MESSAGE, type_name="SourceMetadata")


def _graph_messages(fd):
    m = fd.message_type.add(name="NameAttrList")
    field(m, "name", 1, F.TYPE_STRING)
    map_field(m, "attr", 2, "AttrEntry", F.TYPE_MESSAGE, "AttrValue")
    m = fd.message_type.add(name="AttrValue")
    lst = m.nested_type.add(name="ListValue")
    field(lst, "s", 2, F.TYPE_BYTES, REPEATED)
    field(lst, "i", 3, F.TYPE_INT64, REPEATED, packed=True)
    field(lst, "f", 4, F.TYPE_FLOAT, REPEATED, packed=True)
    field(lst, "b", 5, F.TYPE_BOOL, REPEATED, packed=True)
    field(lst, "type", 6, F.TYPE_ENUM, REPEATED, "DataType", packed=True)
    field(lst, "shape", 7, F.TYPE_MESSAGE, REPEATED, "TensorShapeProto")
    field(lst, "tensor", 8, F.TYPE_MESSAGE, REPEATED, "TensorProto")
    field(lst, "func", 9, F.TYPE_MESSAGE, REPEATED, "NameAttrList")
    m.oneof_decl.add(name="value")
    field(m, "s", 2, F.TYPE_BYTES, oneof=0)
    field(m, "i", 3, F.TYPE_INT64, oneof=0)
    field(m, "f", 4, F.TYPE_FLOAT, oneof=0)
    field(m, "b", 5, F.TYPE_BOOL, oneof=0)
    field(m, "type", 6, F.TYPE_ENUM, type_name="DataType", oneof=0)
    field(m, "shape", 7, F.TYPE_MESSAGE, type_name="TensorShapeProto", oneof=0)
    field(m, "tensor", 8, F.TYPE_MESSAGE, type_name="TensorProto", oneof=0)
    field(m, "list", 1, F.TYPE_MESSAGE, type_name="AttrValue.ListValue", oneof=0)
    field(m, "func", 10, F.TYPE_MESSAGE, type_name="NameAttrList", oneof=0)
    field(m, "placeholder", 9, F.TYPE_STRING, oneof=0)
    m = fd.message_type.add(name="NodeDef")
    field(m, "name", 1, F.TYPE_STRING)
    field(m, "op", 2, F.TYPE_STRING)
    field(m, "input", 3, F.TYPE_STRING, REPEATED)
    field(m, "device", 4, F.TYPE_STRING)
    map_field(m, "attr", 5, "AttrEntry", F.TYPE_MESSAGE, "AttrValue")
    _msg(fd, "VersionDef", ("producer", 1, F.TYPE_INT32), ("min_consumer", 2, F.TYPE_INT32))
    field(fd.message_type[-1], "bad_consumers", 3, F.TYPE_INT32, REPEATED, packed=True)
    m = fd.message_type.add(name="GraphDef")
    field(m, "node", 1, F.TYPE_MESSAGE, REPEATED, "NodeDef")
    field(m, "versions", 4, F.TYPE_MESSAGE, type_name="VersionDef")


def _file():
    fd = new_file("tensorflux/event.proto")
    e = fd.enum_type.add(name="DataType")
    for i, name in enumerate(_DATA_TYPES):
        e.value.add(name=name, number=i)
    _tensor_messages(fd)
    _summary_messages(fd)
    _event_messages(fd)
    _graph_messages(fd)
    return fd


(
    TensorShapeProto, TensorProto, HistogramProto, SummaryMetadata, Summary, SourceMetadata,
    TaggedRunMetadata, LogMessage, SessionLog, Event, AttrValue, NameAttrList, NodeDef, GraphDef,
) = message_classes(
    _file(),
    ["TensorShapeProto", "TensorProto", "HistogramProto", "SummaryMetadata", "Summary",
     "SourceMetadata", "TaggedRunMetadata", "LogMessage", "SessionLog", "Event", "AttrValue",
     "NameAttrList", "NodeDef", "GraphDef"],
    "tensorflux.summary",
)  # fmt: skip
