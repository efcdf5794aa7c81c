"""`tf.compat.v1.ConfigProto` and `GPUOptions`: TensorFlow's session-configuration messages.

The commonly set fields, with TensorFlow's names and field numbers, as protobuf messages in a
private pool (so they print, compare, copy and reject unknown fields as TensorFlow's do).
A `Session` accepts one; see docs/compat.md for which fields act.
"""

from __future__ import annotations

from tensorflux._src.io.proto_schema import F, field, map_field, message_classes, new_file


def _file():
    fd = new_file("tensorflux/config.proto")
    m = fd.message_type.add(name="GPUOptions")
    field(m, "per_process_gpu_memory_fraction", 1, F.TYPE_DOUBLE)
    field(m, "allocator_type", 2, F.TYPE_STRING)
    field(m, "deferred_deletion_bytes", 3, F.TYPE_INT64)
    field(m, "allow_growth", 4, F.TYPE_BOOL)
    field(m, "visible_device_list", 5, F.TYPE_STRING)
    field(m, "polling_active_delay_usecs", 6, F.TYPE_INT32)
    field(m, "polling_inactive_delay_msecs", 7, F.TYPE_INT32)
    field(m, "force_gpu_compatible", 8, F.TYPE_BOOL)
    m = fd.message_type.add(name="ConfigProto")
    map_field(m, "device_count", 1, "DeviceCountEntry", F.TYPE_INT32)
    field(m, "intra_op_parallelism_threads", 2, F.TYPE_INT32)
    field(m, "inter_op_parallelism_threads", 5, F.TYPE_INT32)
    field(m, "gpu_options", 6, F.TYPE_MESSAGE, type_name="GPUOptions")
    field(m, "allow_soft_placement", 7, F.TYPE_BOOL)
    field(m, "log_device_placement", 8, F.TYPE_BOOL)
    field(m, "use_per_session_threads", 9, F.TYPE_BOOL)
    field(m, "operation_timeout_in_ms", 11, F.TYPE_INT64)
    field(m, "isolate_session_state", 15, F.TYPE_BOOL)
    return fd


GPUOptions, ConfigProto = message_classes(
    _file(), ["GPUOptions", "ConfigProto"], "tensorflux.compat.v1"
)
