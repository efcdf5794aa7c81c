"""`tf.compat.v1.ConfigProto` and `GPUOptions`: TensorFlow's session-configuration messages.

The commonly set fields, with TensorFlow's names and field numbers, as protobuf messages in a
private pool (so they print, compare, copy and reject unknown fields as TensorFlow's do).
A `Session` accepts one; see docs/compat.md for which fields act.
"""

from __future__ import annotations

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from tensorflux._src.io.example_pb import _F, _field

_PACKAGE = "tensorflow"


def _build_pool():
    fd = descriptor_pb2.FileDescriptorProto(
        name="tensorflux/config.proto", package=_PACKAGE, syntax="proto3"
    )
    m = fd.message_type.add(name="GPUOptions")
    _field(m, "per_process_gpu_memory_fraction", 1, _F.TYPE_DOUBLE)
    _field(m, "allocator_type", 2, _F.TYPE_STRING)
    _field(m, "deferred_deletion_bytes", 3, _F.TYPE_INT64)
    _field(m, "allow_growth", 4, _F.TYPE_BOOL)
    _field(m, "visible_device_list", 5, _F.TYPE_STRING)
    _field(m, "polling_active_delay_usecs", 6, _F.TYPE_INT32)
    _field(m, "polling_inactive_delay_msecs", 7, _F.TYPE_INT32)
    _field(m, "force_gpu_compatible", 8, _F.TYPE_BOOL)
    m = fd.message_type.add(name="ConfigProto")
    entry = m.nested_type.add(name="DeviceCountEntry")
    entry.options.map_entry = True
    _field(entry, "key", 1, _F.TYPE_STRING)
    _field(entry, "value", 2, _F.TYPE_INT32)
    _field(m, "device_count", 1, _F.TYPE_MESSAGE, _F.LABEL_REPEATED,
           type_name=".tensorflow.ConfigProto.DeviceCountEntry")  # fmt: skip
    _field(m, "intra_op_parallelism_threads", 2, _F.TYPE_INT32)
    _field(m, "inter_op_parallelism_threads", 5, _F.TYPE_INT32)
    _field(m, "gpu_options", 6, _F.TYPE_MESSAGE, type_name=".tensorflow.GPUOptions")
    _field(m, "allow_soft_placement", 7, _F.TYPE_BOOL)
    _field(m, "log_device_placement", 8, _F.TYPE_BOOL)
    _field(m, "use_per_session_threads", 9, _F.TYPE_BOOL)
    _field(m, "operation_timeout_in_ms", 11, _F.TYPE_INT64)
    _field(m, "isolate_session_state", 15, _F.TYPE_BOOL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return pool


_POOL = _build_pool()


def _cls(name):
    cls = message_factory.GetMessageClass(_POOL.FindMessageTypeByName(f"{_PACKAGE}.{name}"))
    cls.__module__ = "tensorflux.compat.v1"
    return cls


GPUOptions = _cls("GPUOptions")
ConfigProto = _cls("ConfigProto")
