"""tf.DeviceSpec, tf.device scopes and GPU placement (through the test-only fake GPU).

GPU paths run in subprocesses with TFX_FAKE_GPU=1, so they are covered on machines without one.
Expected DeviceSpec strings and messages were taken from TensorFlow 2.21.
"""

import pytest

import tensorflux as tf
from tensorflux._src.core.errors import InvalidArgumentError
from tests.test_config import run_fresh

DS = tf.DeviceSpec
CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"


@pytest.mark.parametrize(
    "text, canonical",
    [
        ("/CPU:0", "/device:CPU:0"),
        ("/cpu:0", "/device:CPU:0"),
        ("CPU:0", "/device:CPU:0"),
        ("/GPU:1", "/device:GPU:1"),
        ("/device:GPU:1", "/device:GPU:1"),
        ("/job:worker/replica:0/task:1/device:GPU:0", "/job:worker/replica:0/task:1/device:GPU:0"),
        ("/job:w/task:1", "/job:w/task:1"),
        ("/device:CPU:*", "/device:CPU:*"),
        ("gpu", "/device:GPU:*"),
        ("/replica:2/cpu:1", "/replica:2/device:CPU:1"),
        ("device:XLA_CPU:0", "/device:XLA_CPU:0"),
        ("/device:xla_cpu:0", "/device:xla_cpu:0"),
        ("/tpu:0", "/device:TPU:0"),
        ("/job:a/job:b", "/job:b"),
        ("", ""),
    ],
)
def test_device_spec_round_trip(text, canonical):
    spec = DS.from_string(text)
    assert spec.to_string() == canonical
    assert DS.from_string(canonical) == spec and hash(DS.from_string(canonical)) == hash(spec)


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "/foo:0",
            "Unknown attribute 'foo' is encountered while parsing the device spec: '/foo:0'.",
        ),
        (
            "/job:a:b",
            "Unknown attribute 'job' is encountered while parsing the device spec: '/job:a:b'.",
        ),
        (
            "/device:GPU",
            "Unknown attribute 'device' is encountered while parsing the device spec: "
            "'/device:GPU'.",
        ),
        (
            "/XLA_CPU:0",
            "Unknown attribute 'XLA_CPU' is encountered while parsing the device "
            "spec: '/XLA_CPU:0'.",
        ),
        (
            "/GPU:0/CPU:1",
            "Multiple device types are not allowed while parsing the device spec: /GPU:0/CPU:1.",
        ),
        ("/CPU:x", "invalid literal for int() with base 10: 'x'"),
    ],
)
def test_device_spec_parse_errors(text, message):
    with pytest.raises(ValueError) as e:
        DS.from_string(text)
    assert str(e.value) == message


def test_device_spec_fields_and_methods():
    s = DS(job="a", device_type="gpu", device_index=1)
    assert (s.job, s.replica, s.task, s.device_type, s.device_index) == ("a", None, None, "GPU", 1)
    assert (
        repr(s) == "<DeviceSpec(job=a, replica=None, task=None, device_type=GPU, device_index=1)>"
    )
    assert str(s) == repr(s)
    assert DS(device_type="Gpu").device_type == "Gpu"  # only exact "cpu"/"gpu" are upper-cased
    assert DS(replica="1").replica == 1 and DS(task=1.5).task == 1 and DS(job=5).job == "5"
    assert DS(device_type="CPU").to_string() == "/device:CPU:*"
    assert DS(device_index=1).to_string() == ""
    merged = DS.from_string("/job:a/GPU:0").make_merged_spec(DS.from_string("/CPU:1"))
    assert merged.to_string() == "/job:a/device:CPU:1"
    merged = DS.from_string("/job:a/GPU:0").make_merged_spec(DS(job="b", task=2))
    assert merged.to_string() == "/job:b/task:2/device:GPU:0"
    assert DS.from_string("/job:a/GPU:0").replace(job="b", device_index=3).to_string() == (
        "/job:b/device:GPU:3"
    )
    assert DS.from_string("/GPU:0").replace(device_type="cpu").to_string() == "/device:CPU:0"
    with pytest.raises(TypeError, match="unexpected keyword argument 'foo'"):
        DS().replace(foo=1)
    assert DS().parse_from_string("/CPU:1") == DS.from_string("/CPU:1")
    assert DS.from_string("/GPU:0") != DS.from_string("/GPU:1")
    assert DS.from_string("/GPU:0") != "/device:GPU:0"
    with pytest.raises(ValueError, match="invalid literal"):
        DS(device_index="*")


def test_device_scope_errors():
    with pytest.raises(RuntimeError, match="^tf.device does not support functions.$"):
        with tf.device(lambda op: "/CPU:0"):
            pass
    with pytest.raises(
        ValueError, match=r"^Expecting a string device name. Got <class 'int'>\(5\)$"
    ):
        with tf.device(5):
            pass
    with pytest.raises(InvalidArgumentError, match="device:CPU:0 unknown device."):
        with tf.device("/job:worker/CPU:0"):
            pass
    with pytest.raises(ValueError, match="Unknown attribute 'foo'"):
        with tf.device("/foo:0"):
            pass


def test_device_scope_on_cpu():
    with tf.device("/CPU:0"):
        x = tf.constant([1.0, 2.0])
        y = x * 2
    assert x.device == CPU0 and y.device == CPU0
    for name in ("/job:localhost/CPU:0", DS.from_string("/CPU:0"), "/device:XLA_CPU:0"):
        with tf.device(name):
            assert tf.constant(1).device == CPU0
    default = tf.constant(0).device
    with tf.device("/CPU:0"):
        for name in (None, ""):  # clears the scope: back to the default device
            with tf.device(name):
                assert tf.constant(1).device == default
    if not tf.config.list_logical_devices("GPU"):
        with tf.device("/GPU:0"):  # soft placement: no GPU here
            assert tf.constant(1.0).device == CPU0
    with tf.device("/job:localhost"):
        with tf.device("/CPU:0"):  # merged with the outer scope
            from tensorflux._src.core import context

            assert context.ctx.device_spec.to_string() == "/job:localhost/device:CPU:0"


FAKE_GPU_SCRIPT = """
import numpy as np
import tensorflux as tf
CPU0 = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
gpus = tf.config.list_physical_devices("GPU")
assert gpus == [tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU")], gpus
assert tf.config.experimental.get_memory_growth(gpus[0]) is None
tf.config.experimental.set_memory_growth(gpus[0], True)
assert tf.config.experimental.get_memory_growth(gpus[0]) is True
x = tf.constant([1.0, 2.0, 3.0])
assert x.device == CPU0, x.device                 # the fake GPU is not the default device
try:
    tf.config.experimental.set_memory_growth(gpus[0], False)
    raise AssertionError("expected RuntimeError")
except RuntimeError as e:
    assert str(e) == "Physical devices cannot be modified after being initialized", e
assert [d.name for d in tf.config.list_logical_devices("GPU")] == ["/device:GPU:0"]
with tf.device("/GPU:0"):
    y = tf.constant([1.0, 2.0, 3.0])
    z = x * 2 + y                               # x is copied onto the GPU
    r = tf.random.stateless_normal([4], seed=[1, 2])
    tf.random.set_seed(5)
    u = tf.random.uniform([4])
    c = tf.random.categorical([[0.0, 1.0]], 3, seed=2)
assert y.device == GPU0 and z.device == GPU0 and r.device == GPU0 and u.device == GPU0, z.device
assert c.device == GPU0
np.testing.assert_array_equal(z.numpy(), [3.0, 6.0, 9.0])
tf.random.set_seed(5)
u_cpu = tf.random.uniform([4])
assert u_cpu.device == CPU0
np.testing.assert_array_equal(u.numpy(), u_cpu.numpy())   # same numbers on every device
np.testing.assert_array_equal(r.numpy(), tf.random.stateless_normal([4], seed=[1, 2]).numpy())
with tf.device("/GPU:0"):
    gen = tf.random.Generator.from_seed(3)
    on_gpu = gen.normal([4])
assert on_gpu.device == GPU0 and gen.state.device == GPU0, (on_gpu.device, gen.state.device)
np.testing.assert_array_equal(on_gpu.numpy(), tf.random.Generator.from_seed(3).normal([4]).numpy())
g = x.gpu()
assert g.device == GPU0 and g._value is not x._value       # a real copy
back = g.cpu()
assert back.device == CPU0 and back._value is not g._value
np.testing.assert_array_equal(back.numpy(), x.numpy())
assert (g + g).device == GPU0
with tf.device("/GPU:0"):
    with tf.device("/CPU:0"):
        assert (x + 1).device == CPU0
    with tf.device(None):
        assert tf.constant(1).device == CPU0
with tf.device("/GPU:7"):                     # soft placement to GPU:0
    assert tf.constant(1).device == GPU0
details = tf.config.experimental.get_device_details(gpus[0])
assert "device_name" in details, details
try:
    tf.config.experimental.get_memory_info("GPU:0")
    raise AssertionError("expected ValueError")
except ValueError as e:
    assert "Allocator stats not available" in str(e)
print("OK")
"""


def test_fake_gpu_placement_and_copies():
    assert run_fresh(FAKE_GPU_SCRIPT, TFX_FAKE_GPU="1").strip().endswith("OK")


def test_fake_gpu_as_default_device():
    out = run_fresh(
        """
        import tensorflux as tf
        print(tf.constant(1.0).device)
        print((tf.constant([1, 2]) + 1).device)
        with tf.device("/CPU:0"):
            print(tf.constant(1.0).device)
        """,
        TFX_FAKE_GPU="1",
        TFX_DEFAULT_GPU="1",
    )
    assert out.split() == [GPU0, GPU0, CPU0]


def test_fake_gpu_split_and_hidden():
    out = run_fresh(
        """
        import tensorflux as tf
        gpu = tf.config.list_physical_devices("GPU")[0]
        LDC = tf.config.LogicalDeviceConfiguration
        try:
            tf.config.set_logical_device_configuration(gpu, [LDC()])
        except ValueError as e:
            print(e)
        tf.config.set_logical_device_configuration(gpu, [LDC(memory_limit=64), LDC(memory_limit=64)])
        try:
            tf.config.experimental.set_memory_growth(gpu, True)
        except ValueError as e:
            print(e)
        print([d.name for d in tf.config.list_logical_devices("GPU")])
        with tf.device("/GPU:1"):
            print(tf.constant(1.0).device)
        """,
        TFX_FAKE_GPU="1",
    )
    lines = out.strip().splitlines()
    assert lines[0] == "Setting memory limit is required for GPU virtual devices"
    assert lines[1] == "Cannot set memory growth on device when virtual devices configured"
    assert lines[2] == "['/device:GPU:0', '/device:GPU:1']"
    assert lines[3] == "/job:localhost/replica:0/task:0/device:GPU:1"
    out = run_fresh(
        """
        import tensorflux as tf
        tf.config.set_visible_devices([], "GPU")
        print(tf.config.get_visible_devices())
        print(tf.config.list_logical_devices("GPU"), len(tf.config.list_physical_devices("GPU")))
        with tf.device("/GPU:0"):
            print(tf.constant(1.0).device)
        """,
        TFX_FAKE_GPU="1",
    )
    lines = out.strip().splitlines()
    assert lines[0] == "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]"
    assert lines[1] == "[] 1"
    assert lines[2] == CPU0
