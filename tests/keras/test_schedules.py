"""Learning-rate schedules against their formulas, eagerly and in tf.function; configs."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras.optimizers import schedules as S


def _cos(frac, alpha):
    return (1 - alpha) * 0.5 * (1 + math.cos(math.pi * frac)) + alpha


def _restarts(step, lr0=0.1, first=3, t_mul=2.0, m_mul=0.5, alpha=0.1):
    frac = step / first
    i = math.floor(math.log(1 - frac * (1 - t_mul)) / math.log(t_mul))
    done = (1 - t_mul**i) / (1 - t_mul)
    frac = (frac - done) / t_mul**i
    return lr0 * ((1 - alpha) * 0.5 * m_mul**i * (1 + math.cos(math.pi * frac)) + alpha)


CASES = [
    (S.ExponentialDecay(0.1, 3, 0.5), lambda s: 0.1 * 0.5 ** (s / 3)),
    (S.ExponentialDecay(0.1, 3, 0.5, staircase=True), lambda s: 0.1 * 0.5 ** (s // 3)),
    (S.PiecewiseConstantDecay([2, 4], [1.0, 0.5, 0.1]),
     lambda s: 1.0 if s <= 2 else (0.5 if s <= 4 else 0.1)),
    (S.PolynomialDecay(0.1, 5, 0.01, power=2.0),
     lambda s: 0.09 * (1 - min(s, 5) / 5) ** 2 + 0.01),
    (S.PolynomialDecay(0.1, 3, 0.01, cycle=True),
     lambda s: 0.09 * (1 - s / (3 * max(1, math.ceil(s / 3)))) + 0.01),
    (S.InverseTimeDecay(0.1, 2, 0.5), lambda s: 0.1 / (1 + 0.5 * s / 2)),
    (S.InverseTimeDecay(0.1, 2, 0.5, staircase=True), lambda s: 0.1 / (1 + 0.5 * (s // 2))),
    (S.CosineDecay(0.1, 5, alpha=0.1), lambda s: 0.1 * _cos(min(s, 5) / 5, 0.1)),
    (S.CosineDecay(0.0, 5, alpha=0.1, warmup_target=0.2, warmup_steps=3),
     lambda s: 0.2 * s / 3 if s < 3 else 0.2 * _cos(min(s - 3, 5) / 5, 0.1)),
    (S.CosineDecayRestarts(0.1, 3, t_mul=2.0, m_mul=0.5, alpha=0.1), _restarts),
]  # fmt: skip


@pytest.mark.parametrize("sched,formula", CASES, ids=[type(c[0]).__name__ for c in CASES])
def test_schedule_values(sched, formula):
    fn = tf.function(lambda step: sched(step))
    for step in range(12):
        want = formula(step)
        got = sched(step)
        assert got.dtype == tf.float32
        np.testing.assert_allclose(float(got), want, rtol=1e-5, atol=1e-7)
        np.testing.assert_allclose(float(fn(tf.constant(step, "int64"))), want, rtol=1e-5,
                                   atol=1e-7)  # fmt: skip


@pytest.mark.parametrize("sched", [c[0] for c in CASES], ids=[type(c[0]).__name__ for c in CASES])
def test_config_round_trip(sched):
    cfg = S.serialize(sched)
    assert cfg["module"] == "keras.optimizers.schedules"
    assert cfg["class_name"] == type(sched).__name__
    again = S.deserialize(cfg)
    assert type(again) is type(sched) and again.get_config() == sched.get_config()
    for step in (0, 4, 9):
        assert float(again(step)) == float(sched(step))


def test_names_and_errors():
    assert S.CosineDecayRestarts(0.1, 3).get_config()["name"] == "SGDRDecay"
    assert S.PiecewiseConstantDecay([1], [1.0, 2.0]).get_config()["name"] == "PiecewiseConstant"
    with pytest.raises(ValueError, match="length of boundaries"):
        S.PiecewiseConstantDecay([2], [1.0])
    with pytest.raises(ValueError, match="decay_steps` must be > 0"):
        S.ExponentialDecay(0.1, 0, 0.5)
    with pytest.raises(NotImplementedError):
        S.LearningRateSchedule()(1)
