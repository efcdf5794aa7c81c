"""`tf.train.Example` and friends: protobuf messages wire-compatible with TensorFlow's.

The schema is declared here (no generated code, no protoc): the same message names, field
numbers, types and packing as TensorFlow's `feature.proto` and `example.proto`, so serialized
bytes move between the two unchanged. The messages live in a private descriptor pool, so
importing TensorFlow in the same process cannot clash with them.
"""

from __future__ import annotations

from tensorflux._src.io.proto_schema import F, REPEATED, field, map_field, message_classes, new_file


def _file():
    fd = new_file("tensorflux/example.proto")
    rep = REPEATED
    m = fd.message_type.add(name="BytesList")
    field(m, "value", 1, F.TYPE_BYTES, rep)
    m = fd.message_type.add(name="FloatList")
    field(m, "value", 1, F.TYPE_FLOAT, rep, packed=True)
    m = fd.message_type.add(name="Int64List")
    field(m, "value", 1, F.TYPE_INT64, rep, packed=True)
    m = fd.message_type.add(name="Feature")
    m.oneof_decl.add(name="kind")
    field(m, "bytes_list", 1, F.TYPE_MESSAGE, type_name="BytesList", oneof=0)
    field(m, "float_list", 2, F.TYPE_MESSAGE, type_name="FloatList", oneof=0)
    field(m, "int64_list", 3, F.TYPE_MESSAGE, type_name="Int64List", oneof=0)
    m = fd.message_type.add(name="Features")
    map_field(m, "feature", 1, "FeatureEntry", F.TYPE_MESSAGE, "Feature")
    m = fd.message_type.add(name="FeatureList")
    field(m, "feature", 1, F.TYPE_MESSAGE, rep, type_name="Feature")
    m = fd.message_type.add(name="FeatureLists")
    map_field(m, "feature_list", 1, "FeatureListEntry", F.TYPE_MESSAGE, "FeatureList")
    m = fd.message_type.add(name="Example")
    field(m, "features", 1, F.TYPE_MESSAGE, type_name="Features")
    m = fd.message_type.add(name="SequenceExample")
    field(m, "context", 1, F.TYPE_MESSAGE, type_name="Features")
    field(m, "feature_lists", 2, F.TYPE_MESSAGE, type_name="FeatureLists")
    return fd


(
    BytesList, FloatList, Int64List, Feature, Features, FeatureList, FeatureLists, Example,
    SequenceExample,
) = message_classes(
    _file(),
    ["BytesList", "FloatList", "Int64List", "Feature", "Features", "FeatureList",
     "FeatureLists", "Example", "SequenceExample"],
    "tensorflux.train",
)  # fmt: skip
