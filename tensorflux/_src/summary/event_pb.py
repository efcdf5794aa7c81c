"""TensorBoard's event-file messages, wire-compatible with TensorFlow's.

Declared here without generated code: the message names, field numbers and types of
TensorFlow's `event.proto`, `summary.proto`, `tensor.proto`, `tensor_shape.proto`, `graph.proto`,
`node_def.proto` and `attr_value.proto` (the parts event files use). They live in a private
descriptor pool, so TensorFlow or TensorBoard imported in the same process cannot clash with them.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
_PACKAGE = "tensorflow"
_REP = _F.LABEL_REPEATED

# types.proto's DataType values (the names TensorBoard prints).
_DATA_TYPES = (
    "DT_INVALID", "DT_FLOAT", "DT_DOUBLE", "DT_INT32", "DT_UINT8", "DT_INT16", "DT_INT8",
    "DT_STRING", "DT_COMPLEX64", "DT_INT64", "DT_BOOL", "DT_QINT8", "DT_QUINT8", "DT_QINT32",
    "DT_BFLOAT16", "DT_QINT16", "DT_QUINT16", "DT_UINT16", "DT_COMPLEX128", "DT_HALF",
    "DT_RESOURCE", "DT_VARIANT", "DT_UINT32", "DT_UINT64", "DT_FLOAT8_E5M2", "DT_FLOAT8_E4M3FN",
)  # fmt: skip


def _field(msg, name, number, ftype, label=_F.LABEL_OPTIONAL, type_name=None, oneof=None,
           packed=None):  # fmt: skip
    f = msg.field.add(name=name, number=number, type=ftype, label=label)
    if type_name:
        f.type_name = f".{_PACKAGE}.{type_name}"
    if oneof is not None:
        f.oneof_index = oneof
    if packed is not None:
        f.options.packed = packed
    return f


def _msg(fd, name, *fields):
    """Adds message `name` with plain fields, each given as (name, number, type)."""
    m = fd.message_type.add(name=name)
    for spec in fields:
        _field(m, *spec)
    return m


def _tensor_messages(fd):
    m = fd.message_type.add(name="TensorShapeProto")
    dim = m.nested_type.add(name="Dim")
    _field(dim, "size", 1, _F.TYPE_INT64)
    _field(dim, "name", 2, _F.TYPE_STRING)
    _field(m, "dim", 2, _F.TYPE_MESSAGE, _REP, "TensorShapeProto.Dim")
    _field(m, "unknown_rank", 3, _F.TYPE_BOOL)
    m = fd.message_type.add(name="TensorProto")
    _field(m, "dtype", 1, _F.TYPE_ENUM, type_name="DataType")
    _field(m, "tensor_shape", 2, _F.TYPE_MESSAGE, type_name="TensorShapeProto")
    _field(m, "version_number", 3, _F.TYPE_INT32)
    _field(m, "tensor_content", 4, _F.TYPE_BYTES)
    for name, number, ftype in (
        ("half_val", 13, _F.TYPE_INT32), ("float_val", 5, _F.TYPE_FLOAT),
        ("double_val", 6, _F.TYPE_DOUBLE), ("int_val", 7, _F.TYPE_INT32),
        ("scomplex_val", 9, _F.TYPE_FLOAT), ("int64_val", 10, _F.TYPE_INT64),
        ("bool_val", 11, _F.TYPE_BOOL), ("dcomplex_val", 12, _F.TYPE_DOUBLE),
        ("uint32_val", 16, _F.TYPE_UINT32), ("uint64_val", 17, _F.TYPE_UINT64),
        ("float8_val", 18, _F.TYPE_BYTES),
    ):  # fmt: skip
        _field(m, name, number, ftype, _REP, packed=None if ftype == _F.TYPE_BYTES else True)
    _field(m, "string_val", 8, _F.TYPE_BYTES, _REP)


def _summary_messages(fd):
    e = fd.enum_type.add(name="DataClass")
    for i, n in enumerate(("UNKNOWN", "SCALAR", "TENSOR", "BLOB_SEQUENCE")):
        e.value.add(name=f"DATA_CLASS_{n}", number=i)
    _msg(fd, "HistogramProto",
         ("min", 1, _F.TYPE_DOUBLE), ("max", 2, _F.TYPE_DOUBLE), ("num", 3, _F.TYPE_DOUBLE),
         ("sum", 4, _F.TYPE_DOUBLE), ("sum_squares", 5, _F.TYPE_DOUBLE))  # fmt: skip
    h = fd.message_type[-1]
    _field(h, "bucket_limit", 6, _F.TYPE_DOUBLE, _REP, packed=True)
    _field(h, "bucket", 7, _F.TYPE_DOUBLE, _REP, packed=True)
    m = fd.message_type.add(name="SummaryMetadata")
    pd = m.nested_type.add(name="PluginData")
    _field(pd, "plugin_name", 1, _F.TYPE_STRING)
    _field(pd, "content", 2, _F.TYPE_BYTES)
    _field(m, "plugin_data", 1, _F.TYPE_MESSAGE, type_name="SummaryMetadata.PluginData")
    _field(m, "display_name", 2, _F.TYPE_STRING)
    _field(m, "summary_description", 3, _F.TYPE_STRING)
    _field(m, "data_class", 4, _F.TYPE_ENUM, type_name="DataClass")
    m = fd.message_type.add(name="Summary")
    img = m.nested_type.add(name="Image")
    for name, number, ftype in (("height", 1, _F.TYPE_INT32), ("width", 2, _F.TYPE_INT32),
                                ("colorspace", 3, _F.TYPE_INT32),
                                ("encoded_image_string", 4, _F.TYPE_BYTES)):  # fmt: skip
        _field(img, name, number, ftype)
    aud = m.nested_type.add(name="Audio")
    for name, number, ftype in (("sample_rate", 1, _F.TYPE_FLOAT),
                                ("num_channels", 2, _F.TYPE_INT64),
                                ("length_frames", 3, _F.TYPE_INT64),
                                ("encoded_audio_string", 4, _F.TYPE_BYTES),
                                ("content_type", 5, _F.TYPE_STRING)):  # fmt: skip
        _field(aud, name, number, ftype)
    val = m.nested_type.add(name="Value")
    val.oneof_decl.add(name="value")
    _field(val, "node_name", 7, _F.TYPE_STRING)
    _field(val, "tag", 1, _F.TYPE_STRING)
    _field(val, "metadata", 9, _F.TYPE_MESSAGE, type_name="SummaryMetadata")
    _field(val, "simple_value", 2, _F.TYPE_FLOAT, oneof=0)
    _field(val, "obsolete_old_style_histogram", 3, _F.TYPE_BYTES, oneof=0)
    _field(val, "image", 4, _F.TYPE_MESSAGE, type_name="Summary.Image", oneof=0)
    _field(val, "histo", 5, _F.TYPE_MESSAGE, type_name="HistogramProto", oneof=0)
    _field(val, "audio", 6, _F.TYPE_MESSAGE, type_name="Summary.Audio", oneof=0)
    _field(val, "tensor", 8, _F.TYPE_MESSAGE, type_name="TensorProto", oneof=0)
    _field(m, "value", 1, _F.TYPE_MESSAGE, _REP, "Summary.Value")


def _event_messages(fd):
    m = fd.message_type.add(name="LogMessage")
    e = m.enum_type.add(name="Level")
    for name, number in (("UNKNOWN", 0), ("DEBUGGING", 10), ("INFO", 20), ("WARN", 30),
                         ("ERROR", 40), ("FATAL", 50)):  # fmt: skip
        e.value.add(name=name, number=number)
    _field(m, "level", 1, _F.TYPE_ENUM, type_name="LogMessage.Level")
    _field(m, "message", 2, _F.TYPE_STRING)
    m = fd.message_type.add(name="SessionLog")
    e = m.enum_type.add(name="SessionStatus")
    for i, name in enumerate(("STATUS_UNSPECIFIED", "START", "STOP", "CHECKPOINT")):
        e.value.add(name=name, number=i)
    _field(m, "status", 1, _F.TYPE_ENUM, type_name="SessionLog.SessionStatus")
    _field(m, "checkpoint_path", 2, _F.TYPE_STRING)
    _field(m, "msg", 3, _F.TYPE_STRING)
    _msg(fd, "TaggedRunMetadata", ("tag", 1, _F.TYPE_STRING), ("run_metadata", 2, _F.TYPE_BYTES))
    _msg(fd, "SourceMetadata", ("writer", 1, _F.TYPE_STRING))
    m = fd.message_type.add(name="Event")
    m.oneof_decl.add(name="what")
    _field(m, "wall_time", 1, _F.TYPE_DOUBLE)
    _field(m, "step", 2, _F.TYPE_INT64)
    _field(m, "file_version", 3, _F.TYPE_STRING, oneof=0)
    _field(m, "graph_def", 4, _F.TYPE_BYTES, oneof=0)
    _field(m, "summary", 5, _F.TYPE_MESSAGE, type_name="Summary", oneof=0)
    _field(m, "log_message", 6, _F.TYPE_MESSAGE, type_name="LogMessage", oneof=0)
    _field(m, "session_log", 7, _F.TYPE_MESSAGE, type_name="SessionLog", oneof=0)
    _field(m, "tagged_run_metadata", 8, _F.TYPE_MESSAGE, type_name="TaggedRunMetadata", oneof=0)
    _field(m, "meta_graph_def", 9, _F.TYPE_BYTES, oneof=0)
    _field(m, "source_metadata", 10, _F.TYPE_MESSAGE, type_name="SourceMetadata")


def _graph_messages(fd):
    m = fd.message_type.add(name="NameAttrList")
    entry = m.nested_type.add(name="AttrEntry")
    entry.options.map_entry = True
    _field(entry, "key", 1, _F.TYPE_STRING)
    _field(entry, "value", 2, _F.TYPE_MESSAGE, type_name="AttrValue")
    _field(m, "name", 1, _F.TYPE_STRING)
    _field(m, "attr", 2, _F.TYPE_MESSAGE, _REP, "NameAttrList.AttrEntry")
    m = fd.message_type.add(name="AttrValue")
    lst = m.nested_type.add(name="ListValue")
    _field(lst, "s", 2, _F.TYPE_BYTES, _REP)
    _field(lst, "i", 3, _F.TYPE_INT64, _REP, packed=True)
    _field(lst, "f", 4, _F.TYPE_FLOAT, _REP, packed=True)
    _field(lst, "b", 5, _F.TYPE_BOOL, _REP, packed=True)
    _field(lst, "type", 6, _F.TYPE_ENUM, _REP, "DataType", packed=True)
    _field(lst, "shape", 7, _F.TYPE_MESSAGE, _REP, "TensorShapeProto")
    _field(lst, "tensor", 8, _F.TYPE_MESSAGE, _REP, "TensorProto")
    _field(lst, "func", 9, _F.TYPE_MESSAGE, _REP, "NameAttrList")
    m.oneof_decl.add(name="value")
    _field(m, "s", 2, _F.TYPE_BYTES, oneof=0)
    _field(m, "i", 3, _F.TYPE_INT64, oneof=0)
    _field(m, "f", 4, _F.TYPE_FLOAT, oneof=0)
    _field(m, "b", 5, _F.TYPE_BOOL, oneof=0)
    _field(m, "type", 6, _F.TYPE_ENUM, type_name="DataType", oneof=0)
    _field(m, "shape", 7, _F.TYPE_MESSAGE, type_name="TensorShapeProto", oneof=0)
    _field(m, "tensor", 8, _F.TYPE_MESSAGE, type_name="TensorProto", oneof=0)
    _field(m, "list", 1, _F.TYPE_MESSAGE, type_name="AttrValue.ListValue", oneof=0)
    _field(m, "func", 10, _F.TYPE_MESSAGE, type_name="NameAttrList", oneof=0)
    _field(m, "placeholder", 9, _F.TYPE_STRING, oneof=0)
    m = fd.message_type.add(name="NodeDef")
    entry = m.nested_type.add(name="AttrEntry")
    entry.options.map_entry = True
    _field(entry, "key", 1, _F.TYPE_STRING)
    _field(entry, "value", 2, _F.TYPE_MESSAGE, type_name="AttrValue")
    _field(m, "name", 1, _F.TYPE_STRING)
    _field(m, "op", 2, _F.TYPE_STRING)
    _field(m, "input", 3, _F.TYPE_STRING, _REP)
    _field(m, "device", 4, _F.TYPE_STRING)
    _field(m, "attr", 5, _F.TYPE_MESSAGE, _REP, "NodeDef.AttrEntry")
    _msg(fd, "VersionDef", ("producer", 1, _F.TYPE_INT32), ("min_consumer", 2, _F.TYPE_INT32))
    _field(fd.message_type[-1], "bad_consumers", 3, _F.TYPE_INT32, _REP, packed=True)
    m = fd.message_type.add(name="GraphDef")
    _field(m, "node", 1, _F.TYPE_MESSAGE, _REP, "NodeDef")
    _field(m, "versions", 4, _F.TYPE_MESSAGE, type_name="VersionDef")


def _build_pool():
    fd = descriptor_pb2.FileDescriptorProto(
        name="tensorflux/event.proto", package=_PACKAGE, syntax="proto3"
    )
    e = fd.enum_type.add(name="DataType")
    for i, name in enumerate(_DATA_TYPES):
        e.value.add(name=name, number=i)
    _tensor_messages(fd)
    _summary_messages(fd)
    _event_messages(fd)
    _graph_messages(fd)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return pool


_POOL = _build_pool()


def _cls(name):
    cls = message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
    cls.__module__ = "tensorflux.summary"
    return cls


TensorShapeProto = _cls("TensorShapeProto")
TensorProto = _cls("TensorProto")
HistogramProto = _cls("HistogramProto")
SummaryMetadata = _cls("SummaryMetadata")
Summary = _cls("Summary")
SourceMetadata = _cls("SourceMetadata")
TaggedRunMetadata = _cls("TaggedRunMetadata")
LogMessage = _cls("LogMessage")
SessionLog = _cls("SessionLog")
Event = _cls("Event")
AttrValue = _cls("AttrValue")
NameAttrList = _cls("NameAttrList")
NodeDef = _cls("NodeDef")
GraphDef = _cls("GraphDef")
