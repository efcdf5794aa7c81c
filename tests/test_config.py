"""tf.config: device listing and configuration, threading, switches (messages from TensorFlow 2.21).

Configuration that must happen before the runtime initializes runs in a fresh subprocess.
"""

import os
import subprocess
import sys
import textwrap

import pytest

import tensorflux as tf
from tensorflux._src import config as config_impl

CPU = tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")


def run_fresh(code: str, **env) -> str:
    """Runs `code` in a new interpreter (tensorflux not yet initialized); returns its stdout."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TFX_")}
    full_env.update(env)
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        cwd=os.path.dirname(os.path.dirname(__file__)),
    )
    assert out.returncode == 0, f"subprocess failed:\n{out.stdout}\n{out.stderr}"
    return out.stdout


@pytest.fixture(autouse=True)
def _initialized():
    tf.constant(0)  # the runtime is initialized for in-process tests


def test_physical_and_logical_devices():
    assert CPU in tf.config.list_physical_devices()
    assert tf.config.list_physical_devices("CPU") == [CPU]
    assert tf.config.list_physical_devices("cpu") == []  # types are case-sensitive, as in TF
    assert tf.config.list_physical_devices("XLA") == []
    logical = tf.config.list_logical_devices("CPU")
    assert logical[0] == tf.config.LogicalDevice(name="/device:CPU:0", device_type="CPU")
    assert repr(CPU) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert repr(logical[0]) == "LogicalDevice(name='/device:CPU:0', device_type='CPU')"
    assert CPU in tf.config.get_visible_devices("CPU")


def test_logical_device_configuration_value():
    c = tf.config.LogicalDeviceConfiguration(memory_limit=10)
    assert repr(c) == (
        "LogicalDeviceConfiguration(memory_limit=10, experimental_priority=None, "
        "experimental_device_ordinal=None)"
    )
    assert tf.config.experimental.VirtualDeviceConfiguration is tf.config.LogicalDeviceConfiguration


def test_configuration_errors_after_initialization():
    LDC = tf.config.LogicalDeviceConfiguration
    with pytest.raises(ValueError, match="^Setting memory limit on CPU virtual devices is"):
        tf.config.set_logical_device_configuration(CPU, [LDC(memory_limit=5)])
    current = tf.config.get_logical_device_configuration(CPU)
    changed = [LDC()] * (len(current or [LDC()]) + 1)
    with pytest.raises(RuntimeError, match="^Virtual devices cannot be modified after being"):
        tf.config.set_logical_device_configuration(CPU, changed)
    if current is not None:
        tf.config.set_logical_device_configuration(CPU, list(current))  # unchanged: allowed
    with pytest.raises(ValueError, match="^Unrecognized device: 'x'$"):
        tf.config.get_logical_device_configuration("x")
    with pytest.raises(RuntimeError, match="^Visible devices cannot be modified after being"):
        tf.config.set_visible_devices([])
    tf.config.set_visible_devices(tf.config.get_visible_devices())  # unchanged: allowed
    bogus = tf.config.PhysicalDevice("/physical_device:GPU:9", "GPU")
    with pytest.raises(ValueError, match="Unrecognized device: PhysicalDevice"):
        tf.config.set_visible_devices([bogus])
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.set_visible_devices([CPU], "GPU")


def test_memory_growth_and_details_on_cpu():
    with pytest.raises(ValueError, match="^Cannot set memory growth on non-GPU and non-Pluggable"):
        tf.config.experimental.set_memory_growth(CPU, True)
    with pytest.raises(KeyError):
        tf.config.experimental.get_memory_growth(CPU)
    with pytest.raises(ValueError, match="^Unrecognized device: 'x'$"):
        tf.config.experimental.get_memory_growth("x")
    assert tf.config.experimental.get_device_details(CPU) == {}
    with pytest.raises(ValueError, match="device must be a tf.config.PhysicalDevice, but got: CPU"):
        tf.config.experimental.get_device_details("CPU:0")
    with pytest.raises(ValueError, match="^Allocator stats not available for device 'CPU:0'$"):
        tf.config.experimental.get_memory_info("CPU:0")
    with pytest.raises(ValueError, match="^Cannot reset memory stats for device 'CPU:0'$"):
        tf.config.experimental.reset_memory_stats("CPU:0")


def test_threading_after_initialization():
    th = tf.config.threading
    n = th.get_intra_op_parallelism_threads()
    th.set_intra_op_parallelism_threads(n)  # unchanged: allowed
    with pytest.raises(RuntimeError, match="^Intra op parallelism cannot be modified after"):
        th.set_intra_op_parallelism_threads(n + 3)
    with pytest.raises(RuntimeError, match="^Inter op parallelism cannot be modified after"):
        th.set_inter_op_parallelism_threads(th.get_inter_op_parallelism_threads() + 3)


def test_run_functions_eagerly_flag():
    from tensorflux._src.core import context

    assert tf.config.functions_run_eagerly() is False
    tf.config.run_functions_eagerly(1)
    try:
        assert tf.config.functions_run_eagerly() is True and context.functions_run_eagerly()
        assert tf.config.experimental_functions_run_eagerly() is True
    finally:
        tf.config.experimental_run_functions_eagerly(False)
    assert tf.config.functions_run_eagerly() is False


def test_switches():
    ex = tf.config.experimental
    assert ex.get_device_policy() == "silent"
    ex.set_device_policy("warn")
    assert ex.get_device_policy() == "warn"
    ex.set_device_policy(None)
    assert ex.get_device_policy() == "silent"
    with pytest.raises(ValueError, match="^Invalid argument `device_policy`: 'bad'"):
        ex.set_device_policy("bad")
    assert ex.tensor_float_32_execution_enabled() is True
    ex.enable_tensor_float_32_execution(False)
    assert ex.tensor_float_32_execution_enabled() is False
    ex.enable_tensor_float_32_execution(True)
    assert tf.config.get_soft_device_placement() is True
    tf.config.set_soft_device_placement(0)
    assert tf.config.get_soft_device_placement() is False
    tf.config.set_soft_device_placement(True)
    assert ex.get_synchronous_execution() is True


def test_optimizer_options():
    opt = tf.config.optimizer
    assert opt.get_jit() == ""
    opt.set_jit(True)
    assert opt.get_jit() == "autoclustering"
    opt.set_jit(False)
    assert opt.get_jit() == ""
    opt.set_experimental_options({"constant_folding": False, "bogus": 1})
    got = opt.get_experimental_options()
    assert got["constant_folding"] is False and "bogus" not in got
    assert got["disable_model_pruning"] is False and got["disable_meta_optimizer"] is False
    config_impl._optimizer_options.clear()


def test_enable_op_determinism_flag():
    from tensorflux._src.core import context

    try:
        tf.config.experimental.enable_op_determinism()
        assert context.op_determinism() is True
    finally:
        context.set_op_determinism(False)


def test_configuration_before_initialization():
    out = run_fresh(
        """
        import tensorflux as tf
        cpu = tf.config.list_physical_devices("CPU")[0]   # listing does not initialize
        tf.config.threading.set_intra_op_parallelism_threads(2)
        tf.config.threading.set_inter_op_parallelism_threads(3)
        LDC = tf.config.LogicalDeviceConfiguration
        tf.config.set_logical_device_configuration(cpu, [LDC(), LDC()])
        tf.config.set_visible_devices([])
        print(tf.config.threading.get_intra_op_parallelism_threads(),
              tf.config.threading.get_inter_op_parallelism_threads())
        print(len(tf.config.get_logical_device_configuration(cpu)), tf.config.get_visible_devices())
        print([d.name for d in tf.config.list_logical_devices()])
        with tf.device("/CPU:1"):
            x = tf.constant(1.0) + 1
        with tf.device("CPU:1"):
            y = tf.constant(1.0)
        z = x + y
        print(x.device, y.device, z.device)
        with tf.device("/CPU:5"):          # no such logical CPU: soft placement
            print(tf.constant(1).device)
        tf.config.set_logical_device_configuration(cpu, [LDC(), LDC()])  # unchanged: fine
        try:
            tf.config.set_logical_device_configuration(cpu, [LDC()])
        except RuntimeError as e:
            print("RuntimeError", e)
        """
    )
    lines = out.strip().splitlines()
    assert lines[0] == "2 3"
    assert lines[1] == "2 []"
    assert lines[2] == "['/device:CPU:0', '/device:CPU:1']"
    cpu1 = "/job:localhost/replica:0/task:0/device:CPU:1"
    assert lines[3].split() == [cpu1, cpu1, cpu1]
    assert lines[4] == "/job:localhost/replica:0/task:0/device:CPU:0"
    assert lines[5] == "RuntimeError Virtual devices cannot be modified after being initialized"


def test_listing_logical_devices_initializes():
    out = run_fresh(
        """
        import tensorflux as tf
        tf.config.list_logical_devices()
        try:
            tf.config.threading.set_intra_op_parallelism_threads(4)
        except RuntimeError as e:
            print(e)
        """
    )
    assert out.strip() == "Intra op parallelism cannot be modified after initialization."
