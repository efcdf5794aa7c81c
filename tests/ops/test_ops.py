"""Runs every op-harness row x device x dtype (see harness.py for what each check asserts)."""

import os

import numpy as np
import pytest

import tensorflux as tf
from tests.ops.harness import (
    check_forward,
    check_gradient,
    check_gradient2,
    check_spec,
    check_traced,
)
from tests.ops.op_db import OPS


def _devices():
    wanted = os.environ.get("TFX_DEVICES")
    devs = ["/CPU:0"]
    if tf.config.list_physical_devices("GPU") if hasattr(tf, "config") else False:
        devs.append("/GPU:0")
    if wanted:
        devs = [d for d in devs if any(w.strip().upper() in d for w in wanted.split(","))]
    return devs


DEVICES = _devices()
CASES = [(op, dev, dt) for op in OPS for dev in DEVICES for dt in op.dtypes]


def _id(case):
    op, dev, dt = case
    return f"{op.name}-{dev.strip('/').split(':')[0]}-{dt.name}"


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_forward(case):
    op, dev, dt = case
    check_forward(op, dt, dev, np.random.default_rng(0))


GRAD_CASES = [(op, dev) for op in OPS for dev in DEVICES if op.grad]


@pytest.mark.parametrize(
    "case", GRAD_CASES, ids=[f"{o.name}-{d.strip('/').split(':')[0]}" for o, d in GRAD_CASES]
)
def test_gradient(case):
    op, dev = case
    check_gradient(op, dev, np.random.default_rng(1))


GRAD2_CASES = [(op, dev) for op in OPS for dev in DEVICES if op.grad2]


@pytest.mark.parametrize(
    "case", GRAD2_CASES, ids=[f"{o.name}-{d.strip('/').split(':')[0]}" for o, d in GRAD2_CASES]
)
def test_gradient_second_order(case):
    op, dev = case
    check_gradient2(op, dev, np.random.default_rng(2))


SPEC_CASES = [(op, dt) for op in OPS if op.spec for dt in op.dtypes]


@pytest.mark.parametrize("case", SPEC_CASES, ids=[f"{o.name}-{d.name}" for o, d in SPEC_CASES])
def test_spec(case):
    op, dt = case
    check_spec(op, dt, np.random.default_rng(0))


TRACED_CASES = [c for c in CASES if c[0].traced]


@pytest.mark.parametrize("case", TRACED_CASES, ids=[_id(c) for c in TRACED_CASES])
def test_traced(case):
    op, dev, dt = case
    check_traced(op, dt, dev, np.random.default_rng(0))
