"""Keras regularizers and constraints: values against NumPy, configs, get."""

from __future__ import annotations

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import constraints as C
from tensorflux.keras import regularizers as R

X = np.array([[1.0, -2.0, 0.5], [3.0, 4.0, -1.0]])


def _cos_penalty(x, axis):
    x = x / np.linalg.norm(x, axis=axis, keepdims=True)
    g = x @ x.T if axis == 1 else x.T @ x
    n = g.shape[0]
    return np.abs(g - np.diag(np.diag(g))).sum() / (n * (n - 1))


def test_regularizer_values():
    x = tf.constant(X, "float32")
    np.testing.assert_allclose(float(R.L1(0.1)(x)), 0.1 * np.abs(X).sum(), rtol=1e-6)
    np.testing.assert_allclose(float(R.L2(0.1)(x)), 0.1 * (X**2).sum(), rtol=1e-6)
    np.testing.assert_allclose(float(R.L1L2(0.1, 0.2)(x)),
                               0.1 * np.abs(X).sum() + 0.2 * (X**2).sum(), rtol=1e-6)  # fmt: skip
    assert float(R.L1L2()(x)) == 0.0
    np.testing.assert_allclose(float(R.OrthogonalRegularizer(0.1)(x)),
                               0.1 * _cos_penalty(X, 1), rtol=1e-5)  # fmt: skip
    np.testing.assert_allclose(float(R.OrthogonalRegularizer(0.1, "columns")(x)),
                               0.1 * _cos_penalty(X, 0), rtol=1e-5)  # fmt: skip
    assert R.L2(0.5)(tf.constant([1.0, 2.0], "float64")).dtype == tf.float64
    with pytest.raises(ValueError, match="must have rank 2"):
        R.OrthogonalRegularizer()(tf.ones((2, 2, 2)))


def test_regularizer_configs_and_get():
    assert R.L1(0.3).get_config() == {"l1": 0.30000001192092896}  # float32 as Keras
    assert R.L2(0.3).get_config() == {"l2": 0.3}
    assert R.L1L2(l1=0.3, l2=0.7).get_config() == {"l1": 0.3, "l2": 0.7}
    assert R.OrthogonalRegularizer().get_config() == {"factor": 0.009999999776482582,
                                                      "mode": "rows"}  # fmt: skip
    assert R.serialize(R.L2(0.5)) == {"module": "keras.regularizers", "class_name": "L2",
                                      "config": {"l2": 0.5}, "registered_name": None}  # fmt: skip
    assert isinstance(R.deserialize(R.serialize(R.L1L2(0.1, 0.2))), R.L1L2)
    assert isinstance(R.get("l2"), R.L2) and R.get("l2").get_config() == {"l2": 0.01}
    assert isinstance(R.get("L1L2"), R.L1L2) and isinstance(R.get(R.L1), R.L1)
    assert R.l1_l2 is R.L1L2 and R.get(None) is None
    fn = lambda w: 0.0  # noqa: E731
    assert R.get(fn) is fn
    with pytest.raises(ValueError, match="Could not interpret regularizer identifier: foo"):
        R.get("foo")
    with pytest.raises(ValueError, match="non-negative float"):
        R.L1(-1)
    with pytest.raises(ValueError, match="Invalid value for argument `mode`"):
        R.OrthogonalRegularizer(mode="x")
    with pytest.raises(NotImplementedError):
        R.Regularizer().get_config()


def _scale_to(w, norms, desired):
    return w * desired / (1e-7 + norms)


def test_constraint_values():
    w = tf.constant(X, "float32")
    norms0 = np.linalg.norm(X, axis=0, keepdims=True)
    np.testing.assert_allclose(
        C.MaxNorm(2.0)(w).numpy(), _scale_to(X, norms0, np.minimum(norms0, 2.0)), rtol=1e-5
    )
    norms1 = np.linalg.norm(X, axis=1, keepdims=True)
    np.testing.assert_allclose(
        C.MaxNorm(2.0, axis=1)(w).numpy(), _scale_to(X, norms1, np.minimum(norms1, 2.0)), rtol=1e-5
    )
    np.testing.assert_allclose(C.UnitNorm()(w).numpy(), X / (1e-7 + norms0), rtol=1e-5)
    desired = 0.5 * np.clip(norms0, 1.0, 2.0) + 0.5 * norms0
    np.testing.assert_allclose(C.MinMaxNorm(1.0, 2.0, rate=0.5)(w).numpy(),
                               _scale_to(X, norms0, desired), rtol=1e-5)  # fmt: skip
    out = C.NonNeg()(w).numpy()
    np.testing.assert_array_equal(out, np.maximum(X, 0))
    assert not np.signbit(out).any()
    np.testing.assert_array_equal(C.MaxNorm(3.0)(tf.zeros((1, 2))).numpy(), np.zeros((1, 2)))


def test_constraint_configs_and_get():
    assert C.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert C.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0, "rate": 1.0,
                                           "axis": 0}  # fmt: skip
    assert C.UnitNorm(axis=[0, 1]).get_config() == {"axis": [0, 1]}
    assert C.NonNeg().get_config() == {}
    cfg = C.serialize(C.MaxNorm(3))
    assert cfg == {
        "module": "keras.constraints",
        "class_name": "MaxNorm",
        "config": {"max_value": 3, "axis": 0},
        "registered_name": None,
    }
    assert C.deserialize(cfg).get_config() == {"max_value": 3, "axis": 0}
    assert isinstance(C.get("max_norm"), C.MaxNorm) and isinstance(C.get("NonNeg"), C.NonNeg)
    assert isinstance(C.get(C.NonNeg), C.NonNeg) and C.get(None) is None
    assert C.non_neg is C.NonNeg
    with pytest.raises(ValueError, match="Could not interpret constraint identifier: foo"):
        C.get("foo")
    x = tf.constant([1.0, -2.0])
    np.testing.assert_array_equal(C.Constraint()(x).numpy(), [1.0, -2.0])
