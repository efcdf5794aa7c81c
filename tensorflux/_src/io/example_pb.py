"""`tf.train.Example` and friends: protobuf messages wire-compatible with TensorFlow's.

The schema is declared here (no generated code, no protoc): the same message names, field
numbers, types and packing as TensorFlow's `feature.proto` and `example.proto`, so serialized
bytes move between the two unchanged. The messages live in a private descriptor pool, so
importing TensorFlow in the same process cannot clash with them.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

_F = descriptor_pb2.FieldDescriptorProto
_PACKAGE = "tensorflow"


def _field(msg, name, number, ftype, label=_F.LABEL_OPTIONAL, type_name=None, oneof=None,
           packed=None):  # fmt: skip
    f = msg.field.add(name=name, number=number, type=ftype, label=label)
    if type_name:
        f.type_name = type_name
    if oneof is not None:
        f.oneof_index = oneof
    if packed is not None:
        f.options.packed = packed
    return f


def _map_entry(msg, entry_name, value_type):
    entry = msg.nested_type.add(name=entry_name)
    entry.options.map_entry = True
    _field(entry, "key", 1, _F.TYPE_STRING)
    _field(entry, "value", 2, _F.TYPE_MESSAGE, type_name=value_type)
    return entry


def _build_pool():
    fd = descriptor_pb2.FileDescriptorProto(
        name="tensorflux/example.proto", package=_PACKAGE, syntax="proto3"
    )
    rep = _F.LABEL_REPEATED
    m = fd.message_type.add(name="BytesList")
    _field(m, "value", 1, _F.TYPE_BYTES, rep)
    m = fd.message_type.add(name="FloatList")
    _field(m, "value", 1, _F.TYPE_FLOAT, rep, packed=True)
    m = fd.message_type.add(name="Int64List")
    _field(m, "value", 1, _F.TYPE_INT64, rep, packed=True)
    m = fd.message_type.add(name="Feature")
    m.oneof_decl.add(name="kind")
    _field(m, "bytes_list", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.BytesList", oneof=0)
    _field(m, "float_list", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.FloatList", oneof=0)
    _field(m, "int64_list", 3, _F.TYPE_MESSAGE, type_name=".tensorflow.Int64List", oneof=0)
    m = fd.message_type.add(name="Features")
    _map_entry(m, "FeatureEntry", ".tensorflow.Feature")
    _field(m, "feature", 1, _F.TYPE_MESSAGE, rep, type_name=".tensorflow.Features.FeatureEntry")
    m = fd.message_type.add(name="FeatureList")
    _field(m, "feature", 1, _F.TYPE_MESSAGE, rep, type_name=".tensorflow.Feature")
    m = fd.message_type.add(name="FeatureLists")
    _map_entry(m, "FeatureListEntry", ".tensorflow.FeatureList")
    _field(m, "feature_list", 1, _F.TYPE_MESSAGE, rep,
           type_name=".tensorflow.FeatureLists.FeatureListEntry")  # fmt: skip
    m = fd.message_type.add(name="Example")
    _field(m, "features", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    m = fd.message_type.add(name="SequenceExample")
    _field(m, "context", 1, _F.TYPE_MESSAGE, type_name=".tensorflow.Features")
    _field(m, "feature_lists", 2, _F.TYPE_MESSAGE, type_name=".tensorflow.FeatureLists")
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return pool


_POOL = _build_pool()


def _cls(name):
    cls = message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
    cls.__module__ = "tensorflux.train"
    return cls


BytesList = _cls("BytesList")
FloatList = _cls("FloatList")
Int64List = _cls("Int64List")
Feature = _cls("Feature")
Features = _cls("Features")
FeatureList = _cls("FeatureList")
FeatureLists = _cls("FeatureLists")
Example = _cls("Example")
SequenceExample = _cls("SequenceExample")
