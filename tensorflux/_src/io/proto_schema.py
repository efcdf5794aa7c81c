"""Protobuf messages declared in code, without protoc: TensorFlow's message names, field numbers
and types, added to a private descriptor pool (so TensorFlow or TensorBoard imported in the same
process cannot clash with them). Used by tf.train.Example, the event files and ConfigProto.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

F = descriptor_pb2.FieldDescriptorProto
PACKAGE = "tensorflow"
REPEATED = F.LABEL_REPEATED


def new_file(name: str):
    """An empty proto3 file descriptor in TensorFlow's package."""
    return descriptor_pb2.FileDescriptorProto(name=name, package=PACKAGE, syntax="proto3")


def field(msg, name, number, ftype, label=F.LABEL_OPTIONAL, type_name=None, oneof=None,
          packed=None):  # fmt: skip
    """Adds a field to `msg`; `type_name` is a message/enum of the package ("Summary.Value")."""
    f = msg.field.add(name=name, number=number, type=ftype, label=label)
    if type_name:
        f.type_name = f".{PACKAGE}.{type_name}"
    if oneof is not None:
        f.oneof_index = oneof
    if packed is not None:
        f.options.packed = packed
    return f


def map_field(msg, name, number, entry_name, value_type, value_type_name=None):
    """Adds `map<string, value> name = number` to `msg` (its entry message is `entry_name`)."""
    entry = msg.nested_type.add(name=entry_name)
    entry.options.map_entry = True
    field(entry, "key", 1, F.TYPE_STRING)
    field(entry, "value", 2, value_type, type_name=value_type_name)
    return field(msg, name, number, F.TYPE_MESSAGE, REPEATED, f"{msg.name}.{entry_name}")


def message_classes(fd, names, module: str) -> list:
    """The message classes `names` of file descriptor `fd`, built in a pool of their own."""
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    out = []
    for name in names:
        cls = message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{PACKAGE}.{name}"))
        cls.__module__ = module
        out.append(cls)
    return out
