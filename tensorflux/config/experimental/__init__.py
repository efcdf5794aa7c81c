"""`tf.config.experimental`."""

from tensorflux._src.config import VirtualDeviceConfiguration as VirtualDeviceConfiguration
from tensorflux._src.config import disable_mlir_bridge as disable_mlir_bridge
from tensorflux._src.config import enable_mlir_bridge as enable_mlir_bridge
from tensorflux._src.config import enable_op_determinism as enable_op_determinism
from tensorflux._src.config import (
    enable_tensor_float_32_execution as enable_tensor_float_32_execution,
)
from tensorflux._src.config import get_device_details as get_device_details
from tensorflux._src.config import get_device_policy as get_device_policy
from tensorflux._src.config import get_memory_growth as get_memory_growth
from tensorflux._src.config import get_memory_info as get_memory_info
from tensorflux._src.config import get_memory_usage as get_memory_usage
from tensorflux._src.config import get_synchronous_execution as get_synchronous_execution
from tensorflux._src.config import (
    get_virtual_device_configuration as get_virtual_device_configuration,
)
from tensorflux._src.config import get_visible_devices as get_visible_devices
from tensorflux._src.config import list_logical_devices as list_logical_devices
from tensorflux._src.config import list_physical_devices as list_physical_devices
from tensorflux._src.config import reset_memory_stats as reset_memory_stats
from tensorflux._src.config import set_device_policy as set_device_policy
from tensorflux._src.config import set_memory_growth as set_memory_growth
from tensorflux._src.config import set_synchronous_execution as set_synchronous_execution
from tensorflux._src.config import (
    set_virtual_device_configuration as set_virtual_device_configuration,
)
from tensorflux._src.config import set_visible_devices as set_visible_devices
from tensorflux._src.config import (
    tensor_float_32_execution_enabled as tensor_float_32_execution_enabled,
)
