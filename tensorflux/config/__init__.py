"""`tf.config`: devices, threading and process-wide switches."""

from tensorflux._src.config import LogicalDevice as LogicalDevice
from tensorflux._src.config import LogicalDeviceConfiguration as LogicalDeviceConfiguration
from tensorflux._src.config import PhysicalDevice as PhysicalDevice
from tensorflux._src.config import functions_run_eagerly as experimental_functions_run_eagerly
from tensorflux._src.config import functions_run_eagerly as functions_run_eagerly
from tensorflux._src.config import (
    get_logical_device_configuration as get_logical_device_configuration,
)
from tensorflux._src.config import get_soft_device_placement as get_soft_device_placement
from tensorflux._src.config import get_visible_devices as get_visible_devices
from tensorflux._src.config import list_logical_devices as list_logical_devices
from tensorflux._src.config import list_physical_devices as list_physical_devices
from tensorflux._src.config import run_functions_eagerly as experimental_run_functions_eagerly
from tensorflux._src.config import run_functions_eagerly as run_functions_eagerly
from tensorflux._src.config import (
    set_logical_device_configuration as set_logical_device_configuration,
)
from tensorflux._src.config import set_soft_device_placement as set_soft_device_placement
from tensorflux._src.config import set_visible_devices as set_visible_devices
from tensorflux.config import experimental as experimental
from tensorflux.config import optimizer as optimizer
from tensorflux.config import threading as threading
