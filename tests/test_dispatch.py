"""The dispatch point: Python-value conversion, error mapping, hooks, debug logging, kernels' dtypes."""

import logging

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import context, registry
from tensorflux._src.ops.math_ops import AddV2


def test_python_scalar_takes_dtype_of_tensor_before_it():
    x = tf.constant([1.0, 2.0], dtype=tf.float64)
    assert tf.add(x, 1).dtype == tf.float64
    assert (x + 1).dtype == tf.float64
    assert (1 + x).dtype == tf.float64  # reflected operators convert with the tensor's dtype


def test_python_scalar_before_tensor_keeps_its_default_dtype():
    # TensorFlow converts left to right: 1 becomes int32 and the float tensor then mismatches.
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"expected to be a int32 tensor but is a float tensor \[Op:AddV2\]",
    ):
        tf.add(1, tf.constant(1.5))


def test_lossy_python_value_is_not_coerced():
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2"):
        tf.constant(1) + 1.5


def test_incompatible_shapes_message_names_op_and_shapes():
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Incompatible shapes: \[2\] vs. \[3\] \[Op:AddV2\]"
    ):
        tf.add(tf.constant([1, 2]), tf.constant([1, 2, 3]))


def test_disallowed_dtype_message():
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"Value for attr 'T' of int32 is not in the list of allowed values: bfloat16, half, float, double, complex64, complex128 \[Op:Sin\]",
    ):
        tf.sin(tf.constant(1))


def test_hook_sees_every_dispatch_and_fast_path_is_restored():
    seen = []
    assert context.ctx.fast
    with context.dispatch_hook(lambda op, inputs, attrs: seen.append(op.name)):
        assert not context.ctx.fast
        tf.sin(tf.constant(1.0)) + 1.0
    assert context.ctx.fast
    assert seen == ["Sin", "AddV2"]


def test_debug_logs_each_dispatch(caplog):
    context.set_debug(True)
    try:
        with caplog.at_level(logging.WARNING, logger="tensorflux.dispatch"):
            tf.add(tf.constant([1.0]), tf.constant([2.0]))
    finally:
        context.set_debug(False)
    assert any(
        "AddV2(float32[1], float32[1]) -> float32[1]" in r.getMessage() for r in caplog.records
    )


def test_fast_and_slow_paths_agree():
    a, b = tf.constant([[1.0, 2.0]]), tf.constant([[3.0], [4.0]])
    fast = tf.add(a, b).numpy()
    with context.dispatch_hook(lambda *args: None):  # forces the slow path
        slow = tf.add(a, b).numpy()
    np.testing.assert_array_equal(fast, slow)


def test_registering_an_op_twice_fails():
    with pytest.raises(KeyError, match="already registered"):
        registry.defop("AddV2", AddV2.rule)


def test_op_type_names_are_tensorflow_names():
    ops = registry.all_ops()
    for name in ["AddV2", "Sub", "Mul", "RealDiv", "Reshape", "Sum", "Cast", "Pack"]:
        assert name in ops
