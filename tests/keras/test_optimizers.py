"""Keras optimizers: updates against NumPy references, eagerly and in tf.function; the base
features (clipping, weight decay, EMA, accumulation, loss scaling); state, config, sparse
gradients, LossScaleOptimizer; and an optional differential run against TensorFlow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import optimizers as O
from tests.keras import optimizer_refs as R

W0 = [np.linspace(-0.5, 0.75, 6).reshape(2, 3), np.array([0.5, -1.0, 2.0])]
RNG = np.random.RandomState(0)
GRADS = [[RNG.randn(2, 3), RNG.randn(3)] for _ in range(4)]

CASES = [
    ("SGD", dict(learning_rate=0.1), R.sgd(0.1)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9), R.sgd(0.1, 0.9)),
    ("SGD", dict(learning_rate=0.1, momentum=0.9, nesterov=True), R.sgd(0.1, 0.9, True)),
    ("Adam", dict(learning_rate=0.1), R.adam(0.1)),
    ("Adam", dict(learning_rate=0.1, amsgrad=True), R.adam(0.1, amsgrad=True)),
    ("RMSprop", dict(learning_rate=0.1), R.rmsprop(0.1)),
    ("RMSprop", dict(learning_rate=0.1, momentum=0.5, centered=True),
     R.rmsprop(0.1, momentum=0.5, centered=True)),
    ("Adagrad", dict(learning_rate=0.1), R.adagrad(0.1)),
    ("Adadelta", dict(learning_rate=1.0), R.adadelta(1.0)),
    ("Adamax", dict(learning_rate=0.1), R.adamax(0.1)),
    ("Nadam", dict(learning_rate=0.1), R.nadam(0.1)),
    ("Ftrl", dict(learning_rate=0.1), R.ftrl(0.1)),
    ("Ftrl", dict(learning_rate=0.1, learning_rate_power=-0.6, l1_regularization_strength=0.01,
                  l2_regularization_strength=0.02, l2_shrinkage_regularization_strength=0.03,
                  beta=0.5),
     R.ftrl(0.1, -0.6, 0.1, 0.01, 0.02, 0.03, 0.5)),
    ("Lion", dict(learning_rate=0.1), R.lion(0.1)),
    ("Lamb", dict(learning_rate=0.1), R.lamb(0.1)),
    ("Adafactor", dict(learning_rate=0.1), R.adafactor(0.1)),
    ("ScheduleFreeAdamW", dict(learning_rate=0.1), R.schedule_free_adamw(0.1)),
    ("ScheduleFreeAdamW", dict(learning_rate=0.1, warmup_steps=3),
     R.schedule_free_adamw(0.1, warmup_steps=3)),
    ("Muon", dict(learning_rate=0.1), R.muon(0.1)),
    ("Muon", dict(learning_rate=0.1, nesterov=False, rms_rate=None, ns_steps=3),
     R.muon(0.1, nesterov=False, rms_rate=None, ns_steps=3)),
    ("Adafactor", dict(learning_rate=0.1, relative_step=False, clip_threshold=0.5),
     R.adafactor(0.1, relative_step=False, clip_threshold=0.5)),
]  # fmt: skip


def _run(opt, grads_seq, use_function, sparse=False):
    a = tf.keras.Variable(W0[0].astype("float32"), name="a")
    b = tf.keras.Variable(W0[1].astype("float32"), name="b")
    opt.build([a, b])

    def step(g0, g1):
        opt.apply_gradients([(g0, a), (g1, b)])

    if use_function:
        step = tf.function(step)
    out = []
    for g in grads_seq:
        step(tf.constant(g[0], "float32"), tf.constant(g[1], "float32"))
        out.append([a.numpy(), b.numpy()])
    return out, (a, b)


def _reference(update, grads_seq, transform=None):
    ws = [w.copy() for w in W0]
    states = [{}, {}]
    out = []
    for t, g in enumerate(grads_seq, 1):
        if transform is not None:
            g = transform(g)
        ws = [update(w, gi, t, s) for w, gi, s in zip(ws, g, states)]
        out.append([w.copy() for w in ws])
    return out


def _close(got, want, tol=2e-5):
    for gs, ws in zip(got, want):
        for g, w in zip(gs, ws):
            np.testing.assert_allclose(g, w, rtol=tol, atol=tol)


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
@pytest.mark.parametrize("name,kwargs,ref", CASES, ids=[f"{c[0]}-{i}" for i, c in
                                                         enumerate(CASES)])  # fmt: skip
def test_update_matches_reference(name, kwargs, ref, use_function):
    got, _ = _run(getattr(O, name)(**kwargs), GRADS, use_function)
    _close(got, _reference(ref, GRADS))


def _clip_norm(g, c):
    n = np.linalg.norm(g)
    return g * c / max(n, c)


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_clipping_and_loss_scale(use_function):
    cases = [
        (dict(clipnorm=0.5), lambda g: [_clip_norm(x, 0.5) for x in g]),
        (dict(clipvalue=0.3), lambda g: [np.clip(x, -0.3, 0.3) for x in g]),
        (dict(global_clipnorm=0.5), lambda g: [
            x * 0.5 / max(np.sqrt(sum((y**2).sum() for y in g)), 0.5) for x in g]),
        (dict(loss_scale_factor=4.0), lambda g: [x / 4.0 for x in g]),
    ]  # fmt: skip
    for kw, transform in cases:
        got, _ = _run(O.Adam(learning_rate=0.1, **kw), GRADS, use_function)
        _close(got, _reference(R.adam(0.1), GRADS, transform))


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_weight_decay_adamw_and_exclusion(use_function):
    got, _ = _run(O.AdamW(learning_rate=0.1, weight_decay=0.1), GRADS, use_function)
    adam = R.adam(0.1)
    _close(got, _reference(lambda w, g, t, s: adam(w - w * 0.1 * 0.1, g, t, s), GRADS))
    opt = O.SGD(learning_rate=0.1, weight_decay=0.2)
    opt.exclude_from_weight_decay(var_names=["b"])
    got, _ = _run(opt, GRADS, use_function)
    ws = [w.copy() for w in W0]
    for g in GRADS:
        ws = [ws[0] - ws[0] * 0.02 - 0.1 * g[0], ws[1] - 0.1 * g[1]]
    _close([got[-1]], [ws])


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_ema_and_overwrite(use_function):
    for freq in (None, 2):
        opt = O.SGD(learning_rate=0.1, use_ema=True, ema_momentum=0.5,
                    ema_overwrite_frequency=freq)  # fmt: skip
        got, (a, b) = _run(opt, GRADS, use_function)
        ws = [w.copy() for w in W0]
        avgs = [np.zeros_like(w) for w in W0]
        for it, g in enumerate(GRADS):
            ws = [w - 0.1 * gi for w, gi in zip(ws, g)]
            mom = 0.0 if it == 0 else 0.5
            avgs = [mom * av + (1 - mom) * w for av, w in zip(avgs, ws)]
            if freq and (it + 1) % freq == 0:
                ws = [av.copy() for av in avgs]
            _close([got[it]], [ws])
        opt.finalize_variable_values([a, b])
        _close([[a.numpy(), b.numpy()]], [avgs])


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_gradient_accumulation(use_function):
    opt = O.SGD(learning_rate=0.1, momentum=0.5, gradient_accumulation_steps=2)
    got, _ = _run(opt, GRADS, use_function)
    ref = R.sgd(0.1, 0.5)
    ws, states, t = [w.copy() for w in W0], [{}, {}], 0
    for i, g in enumerate(GRADS):
        if i % 2 == 1:
            t += 1
            mean = [(x + y) / 2 for x, y in zip(GRADS[i - 1], g)]
            ws = [ref(w, gi, t, s) for w, gi, s in zip(ws, mean, states)]
        _close([got[i]], [ws])
    assert int(opt.iterations) == 2 and int(opt._iterations.numpy()) == 4


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_schedule_learning_rate(use_function):
    sched = O.schedules.ExponentialDecay(0.1, 2, 0.5)
    got, _ = _run(O.SGD(learning_rate=sched), GRADS, use_function)
    ws = [w.copy() for w in W0]
    for it, g in enumerate(GRADS):
        lr = 0.1 * 0.5 ** (it / 2)
        ws = [w - lr * gi for w, gi in zip(ws, g)]
        _close([got[it]], [ws])


def test_slot_paths_and_iterations():
    d = tf.keras.Variable(np.zeros((3, 2), "float32"), name="kernel")
    opt = O.Adam(name="adam_t", amsgrad=True)
    opt.build([d])
    assert [v.path for v in opt.variables] == [
        "adam_t/iteration", "adam_t/learning_rate", "adam_t/kernel_momentum",
        "adam_t/kernel_velocity", "adam_t/kernel_velocity_hat",
    ]  # fmt: skip
    assert opt.iterations.dtype == tf.int64
    ret = opt.apply_gradients([(tf.ones((3, 2)), d)])
    assert int(ret.numpy()) == 1 and int(opt.iterations.numpy()) == 1
    rms = O.RMSprop(name="r", momentum=0.9, centered=True)
    rms.build([d])
    assert [v.path for v in rms.variables][2:] == [
        "r/kernel_velocity",
        "r/kernel_momentum",
        "r/kernel_average_gradient",
    ]
    assert O.Adam().name.startswith("adam") and O.RMSprop().name.startswith("rm_sprop")


def test_learning_rate_property():
    opt = O.SGD(learning_rate=0.5)
    assert isinstance(opt.learning_rate, tf.Variable)
    opt.learning_rate = 0.25
    assert float(opt.learning_rate.numpy()) == 0.25
    assert opt.get_config()["learning_rate"] == 0.25
    sched = O.schedules.PiecewiseConstantDecay([1], [1.0, 0.5])
    opt2 = O.SGD(learning_rate=sched)
    assert float(opt2.learning_rate) == 1.0
    with pytest.raises(TypeError, match="not settable"):
        opt2.learning_rate = 0.1


def test_errors_and_warnings():
    v = tf.keras.Variable([1.0, 2.0], name="v")
    w = tf.keras.Variable([1.0, 2.0], name="w")
    with pytest.raises(ValueError, match="Only one of `clipnorm`"):
        O.SGD(clipnorm=1, global_clipnorm=1)
    with pytest.raises(ValueError, match="not recognized"):
        O.SGD(lr=0.1)
    with pytest.raises(ValueError, match="learning_rate"):
        O.SGD(learning_rate="x")
    with pytest.raises(ValueError, match="No gradients provided"):
        O.SGD().apply_gradients([(None, v)])
    opt = O.SGD(0.1)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['w'\]"):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), v), (None, w)])
    np.testing.assert_allclose(v.numpy(), [0.9, 1.9])
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), tf.keras.Variable([0.0, 0.0]))])
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        O.SGD(decay=0.1)
    assert "no longer supported" in str(rec[0].message)
    with pytest.raises(ValueError, match="gradient_accumulation_steps"):
        O.SGD(gradient_accumulation_steps=1)


def test_constraint_applied_after_update():
    v = tf.Variable([1.0, -2.0], constraint=lambda x: tf.maximum(x, 0.0))
    O.SGD(0.1).apply_gradients([(tf.constant([1.0, 1.0]), v)])
    np.testing.assert_allclose(v.numpy(), [0.9, 0.0])


def test_minimize_and_apply_without_vars():
    v = tf.Variable([1.0, 2.0])
    opt = O.SGD(0.5)
    opt.minimize(lambda: tf.reduce_sum(v * v), [v])
    np.testing.assert_allclose(v.numpy(), [0.0, 0.0])
    opt.apply([tf.constant([1.0, 1.0])])
    np.testing.assert_allclose(v.numpy(), [-0.5, -0.5])


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_sparse_gradients(use_function):
    # Gather gradients are IndexedSlices with a repeated row: unary terms apply per row.
    for name in ("SGD", "Adam", "Adagrad"):
        v = tf.Variable(np.arange(10, dtype="float32").reshape(5, 2) / 10)
        opt = getattr(O, name)(learning_rate=0.1)
        opt.build([v])

        def step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.gather(v, [0, 2, 0]) ** 2)
            g = tape.gradient(loss, v)
            assert isinstance(g, tf.IndexedSlices)
            opt.apply_gradients([(g, v)])

        if use_function:
            step = tf.function(step)
        w = np.arange(10, dtype="float64").reshape(5, 2) / 10
        s = {}
        for t in range(1, 4):
            step()
            rows = np.stack([2 * w[0], 2 * w[2], 2 * w[0]])
            g = np.zeros_like(w)
            g2 = np.zeros_like(w)
            for r, i in zip(rows, [0, 2, 0]):
                g[i] += r
                g2[i] += r * r
            if name == "SGD":
                w = w - 0.1 * g
            elif name == "Adagrad":
                s["acc"] = s.get("acc", 0.1) + g2
                w = w - 0.1 * g / np.sqrt(s["acc"] + 1e-7)
            else:
                s["m"] = 0.9 * s.get("m", 0.0) + 0.1 * g
                s["v"] = 0.999 * s.get("v", 0.0) + 0.001 * g2
                alpha = 0.1 * np.sqrt(1 - 0.999**t) / (1 - 0.9**t)
                w = w - alpha * s["m"] / (np.sqrt(s["v"]) + 1e-7)
            np.testing.assert_allclose(v.numpy(), w, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_loss_scale_optimizer(use_function):
    v = tf.Variable([1.0, 2.0])
    opt = O.LossScaleOptimizer(O.SGD(0.1), initial_scale=4.0, dynamic_growth_steps=2)
    opt.build([v])
    assert [x.path for x in opt.variables][:4] == [
        f"{opt.name}/iteration", f"{opt.name}/learning_rate", f"{opt.name}/step_counter",
        f"{opt.name}/dynamic_scale",
    ]  # fmt: skip

    def step(g):
        opt.apply_gradients([(g, v)])

    if use_function:
        step = tf.function(step)
    expected = [  # (v, scale, counter) after each step
        ([0.9, 1.9], 4.0, 1), ([0.9, 1.9], 2.0, 0), ([0.8, 1.8], 2.0, 1),
        ([0.7, 1.7], 4.0, 0), ([0.5, 1.5], 4.0, 1),
    ]  # fmt: skip
    for g, (want, scale, counter) in zip(
        [[4.0, 4.0], [np.inf, 1.0], [2.0, 2.0], [2.0, 2.0], [8.0, 8.0]], expected
    ):
        step(tf.constant(g, "float32"))
        np.testing.assert_allclose(v.numpy(), want, rtol=1e-6)
        assert float(opt.dynamic_scale.numpy()) == scale
        assert int(opt.step_counter.numpy()) == counter
    assert int(opt.iterations.numpy()) == 4
    assert float(opt.scale_loss(tf.constant(2.0))) == 8.0
    cfg = opt.get_config()
    assert cfg["initial_scale"] == 4.0 and cfg["inner_optimizer"]["class_name"] == "SGD"
    again = O.LossScaleOptimizer.from_config(cfg)
    assert type(again.inner_optimizer) is O.SGD


def test_config_round_trip_and_get():
    for name in ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam",
                 "Ftrl", "Lion", "Adafactor", "Lamb", "ScheduleFreeAdamW", "Muon"):  # fmt: skip
        opt = getattr(O, name)(learning_rate=0.3, name="x", clipnorm=1.5)
        cfg = opt.get_config()
        assert cfg["name"] == "x" and abs(cfg["learning_rate"] - 0.3) < 1e-7
        assert cfg["clipnorm"] == 1.5
        again = O.deserialize(O.serialize(opt))
        assert type(again) is type(opt) and again.get_config() == cfg
    assert list(O.SGD().get_config())[:3] == ["name", "learning_rate", "weight_decay"]
    assert O.Adam().get_config()["learning_rate"] == 0.0010000000474974513
    assert type(O.get("adam")) is O.Adam and type(O.get("RMSprop")) is O.RMSprop
    assert type(O.get({"class_name": "SGD", "config": {"learning_rate": 0.5}})) is O.SGD
    opt = O.Adam()
    assert O.get(opt) is opt
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        O.get("foo")
    sched_opt = O.SGD(learning_rate=O.schedules.CosineDecay(0.1, 10))
    cfg = sched_opt.get_config()
    assert cfg["learning_rate"]["class_name"] == "CosineDecay"
    assert isinstance(O.SGD.from_config(cfg)._learning_rate, O.schedules.CosineDecay)


_ORACLE = "/work/tfenv/bin/python"
_PROGRAM = r"""
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
cases, w0, grads = json.loads(sys.stdin.read())
out = []
for name, kw in cases:
    a = tf.keras.Variable(np.array(w0[0], "float32"), name="a")
    b = tf.keras.Variable(np.array(w0[1], "float32"), name="b")
    opt = getattr(tf.keras.optimizers, name)(**kw)
    for g in grads:
        opt.apply_gradients([(tf.constant(g[0], "float32"), a), (tf.constant(g[1], "float32"), b)])
    out.append([a.numpy().tolist(), b.numpy().tolist()])
print(json.dumps(out))
"""


@pytest.mark.skipif(not os.path.exists(_ORACLE), reason="TensorFlow oracle not installed")
def test_differential_against_tensorflow():
    cases = [(name, kw) for name, kw, _ in CASES] + [
        ("Adam", dict(learning_rate=0.1, global_clipnorm=0.5))
    ]
    payload = json.dumps([cases, [w.tolist() for w in W0],
                          [[g[0].tolist(), g[1].tolist()] for g in GRADS]])  # fmt: skip
    proc = subprocess.run([_ORACLE, "-c", _PROGRAM], input=payload, capture_output=True,
                          text=True, timeout=300)  # fmt: skip
    if proc.returncode != 0:
        pytest.skip(f"oracle failed: {proc.stderr[-300:]}")
    want = json.loads(proc.stdout.strip().splitlines()[-1])
    for (name, kw), w in zip(cases, want):
        got, _ = _run(getattr(O, name)(**kw), GRADS, False)
        for g_arr, w_arr in zip(got[-1], w):
            np.testing.assert_allclose(g_arr, w_arr, rtol=1e-5, atol=1e-5, err_msg=name)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_accumulation_with_ema_and_schedule(use_function):
    # EMA runs on every call (momentum 0 until the first real update); schedules see every call.
    cases = [
        (dict(use_ema=True, ema_momentum=0.5), [0.5, 0.35, 0.35, 0.375, 0.375, 0.175], 0.271875),
        (dict(use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=1),
         [0.5, 0.35, 0.35, 0.3625, 0.3625, 0.2625], 0.2625),
        (dict(learning_rate=O.schedules.ExponentialDecay(0.1, 1, 0.5)),
         [0.5, 0.425, 0.425, 0.428125, 0.428125, 0.421875], None),
    ]  # fmt: skip
    for kw, want, avg in cases:
        kw = {"learning_rate": 0.1, **kw}
        b = tf.keras.Variable(np.array([0.5], "float32"), name="b")
        opt = O.SGD(gradient_accumulation_steps=2, **kw)
        opt.build([b])

        def step(g):
            opt.apply_gradients([(g, b)])

        if use_function:
            step = tf.function(step)
        got = []
        for g in [1.0, 2.0, -1.0, 0.5, 3.0, 1.0]:
            step(tf.constant([g]))
            got.append(float(b.numpy()[0]))
        np.testing.assert_allclose(got, want, rtol=1e-5)
        if avg is not None:
            np.testing.assert_allclose(opt._model_variables_moving_average[0].numpy(), [avg],
                                       rtol=1e-5)  # fmt: skip


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "function"])
def test_multi_optimizer(use_function):
    from tensorflux._src.keras import backend

    a = tf.keras.Variable([1.0, 2.0], name="a")
    with backend.name_scope("encoder"):
        b = tf.keras.Variable([1.0, 2.0], name="b")
    mapping = O.OptimizerMap(O.SGD(0.1, name="s"), {"encoder/.*": O.SGD(0.5, name="e")})
    opt = O.MultiOptimizer(mapping, name="mo")
    opt.build([a, b])
    assert [v.path for v in opt.variables] == [
        "mo/iteration", "mo/learning_rate", "e/iteration", "e/learning_rate", "s/iteration",
        "s/learning_rate",
    ]  # fmt: skip

    def step():
        opt.apply_gradients([(tf.constant([1.0, 1.0]), a), (tf.constant([1.0, 1.0]), b)])

    if use_function:
        step = tf.function(step)
    step()
    np.testing.assert_allclose(a.numpy(), [0.9, 1.9], rtol=1e-6)
    np.testing.assert_allclose(b.numpy(), [0.5, 1.5], rtol=1e-6)
    assert int(opt.iterations.numpy()) == 1 and [o.name for o in opt.optimizers] == ["e", "s"]
    with pytest.raises(AttributeError, match="cannot be accessed on a MultiOptimizer"):
        opt.learning_rate  # noqa: B018
    again = O.deserialize(O.serialize(opt))
    assert isinstance(again.optimizer_map, O.OptimizerMap)
    assert again.optimizer_map.default_optimizer.name == "s"
    assert again.get_config() == opt.get_config()
