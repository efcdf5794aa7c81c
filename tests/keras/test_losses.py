"""keras.losses: every loss against a NumPy reference, reductions, sample weights, masks,
configs, get/serialize, gradients and tf.function; optional differential checks vs Keras."""

import copy
import os
import subprocess
import sys

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import losses as L

EPS = 1e-7
rng = np.random.RandomState(0)
P = rng.uniform(0.05, 0.95, (4, 3)).astype("float32")
Y01 = (rng.uniform(size=(4, 3)) > 0.5).astype("float32")
OH = np.eye(3, dtype="float32")[[0, 2, 1, 2]]
SP = np.array([0, 2, 1, 2])
LG = (rng.normal(size=(4, 3)) * 3).astype("float32")
YR = rng.normal(size=(4, 3)).astype("float32")
PR = rng.normal(size=(4, 3)).astype("float32")
POS = rng.uniform(0.1, 3, (4, 3)).astype("float32")
SW = np.array([1.0, 0.5, 2.0, 0.0], "float32")


def _sig(x):
    return 1 / (1 + np.exp(-x))


def _log_softmax(x):
    m = x.max(-1, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(-1, keepdims=True))


def _bce(t, p):
    p = np.clip(p, EPS, 1 - EPS)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p))


def _cce(t, p):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return -(t * np.log(p)).sum(-1)


def _hinge_t(t):
    return 2 * t - 1 if np.isin(t, (0, 1)).all() else t


def _huber(t, p, d=1.0):
    e = np.abs(p - t)
    return np.where(e <= d, 0.5 * e**2, d * e - 0.5 * d**2).mean(-1)


def _norm(x):
    return x / np.sqrt(np.maximum((x**2).sum(-1, keepdims=True), 1e-12))


def _bfce(t, p, gamma=2.0, alpha=0.25, balance=False):
    pt = t * p + (1 - t) * (1 - p)
    v = (1 - pt) ** gamma * _bce(t, p)
    if balance:
        v = (t * alpha + (1 - t) * (1 - alpha)) * v
    return v.mean(-1)


def _cfce(t, p, gamma=2.0, alpha=0.25):
    p = np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)
    return (alpha * (1 - p) ** gamma * -t * np.log(p)).sum(-1)


# (loss object, y_true, y_pred, per-sample NumPy reference)
CASES = {
    "mse": (L.MeanSquaredError(), YR, PR, ((YR - PR) ** 2).mean(-1)),
    "mae": (L.MeanAbsoluteError(), YR, PR, np.abs(YR - PR).mean(-1)),
    "mape": (
        L.MeanAbsolutePercentageError(),
        YR,
        PR,
        100 * (np.abs(YR - PR) / np.maximum(np.abs(YR), EPS)).mean(-1),
    ),
    "msle": (
        L.MeanSquaredLogarithmicError(),
        POS,
        PR,
        ((np.log(np.maximum(PR, EPS) + 1) - np.log(POS + 1)) ** 2).mean(-1),
    ),
    "huber": (L.Huber(delta=0.7), YR, 2 * PR, _huber(YR, 2 * PR, 0.7)),
    "logcosh": (L.LogCosh(), YR, 30 * PR, np.log(np.cosh(30 * PR.astype("float64") - YR)).mean(-1)),
    "hinge": (L.Hinge(), Y01, PR, np.maximum(1 - _hinge_t(Y01) * PR, 0).mean(-1)),
    "hinge_pm": (L.Hinge(), 2 * Y01 - 1, PR, np.maximum(1 - (2 * Y01 - 1) * PR, 0).mean(-1)),
    "squared_hinge": (
        L.SquaredHinge(),
        Y01,
        PR,
        (np.maximum(1 - _hinge_t(Y01) * PR, 0) ** 2).mean(-1),
    ),
    "categorical_hinge": (
        L.CategoricalHinge(),
        OH,
        PR,
        np.maximum(((1 - OH) * PR).max(-1) - (OH * PR).sum(-1) + 1, 0),
    ),
    "kld": (
        L.KLDivergence(),
        OH,
        P,
        (np.clip(OH, EPS, 1) * np.log(np.clip(OH, EPS, 1) / np.clip(P, EPS, 1))).sum(-1),
    ),
    "poisson": (L.Poisson(), POS, P, (P - POS * np.log(P + EPS)).mean(-1)),
    "cosine": (L.CosineSimilarity(), YR, PR, -(_norm(YR) * _norm(PR)).sum(-1)),
    "bce": (L.BinaryCrossentropy(), Y01, P, _bce(Y01, P).mean(-1)),
    "bce_saturated": (L.BinaryCrossentropy(), Y01, np.round(P), _bce(Y01, np.round(P)).mean(-1)),
    "bce_logits": (
        L.BinaryCrossentropy(from_logits=True),
        Y01,
        10 * LG,
        (np.maximum(10 * LG, 0) - 10 * LG * Y01 + np.log1p(np.exp(-np.abs(10 * LG)))).mean(-1),
    ),
    "bce_smooth": (
        L.BinaryCrossentropy(label_smoothing=0.2),
        Y01,
        P,
        _bce(Y01 * 0.8 + 0.1, P).mean(-1),
    ),
    "bfce": (L.BinaryFocalCrossentropy(), Y01, P, _bfce(Y01, P)),
    "bfce_balanced": (
        L.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.3, gamma=1.5),
        Y01,
        P,
        _bfce(Y01, P, 1.5, 0.3, True),
    ),
    "bfce_logits": (L.BinaryFocalCrossentropy(from_logits=True), Y01, LG, _bfce(Y01, _sig(LG))),
    "cce": (L.CategoricalCrossentropy(), OH, P, _cce(OH, P)),
    "cce_logits": (
        L.CategoricalCrossentropy(from_logits=True),
        OH,
        10 * LG,
        -(OH * _log_softmax(10 * LG.astype("float64"))).sum(-1),
    ),
    "cce_smooth": (
        L.CategoricalCrossentropy(label_smoothing=0.3),
        OH,
        P,
        _cce(OH * 0.7 + 0.1, P),
    ),
    "cfce": (L.CategoricalFocalCrossentropy(), OH, P, _cfce(OH, P)),
    "cfce_logits": (
        L.CategoricalFocalCrossentropy(from_logits=True, gamma=1.0, alpha=0.5),
        OH,
        LG,
        _cfce(OH, np.exp(_log_softmax(LG)), 1.0, 0.5),
    ),
    "scce": (L.SparseCategoricalCrossentropy(), SP, P, _cce(OH, P)),
    "scce_column": (L.SparseCategoricalCrossentropy(), SP[:, None], P, _cce(OH, P)),
    "scce_logits": (
        L.SparseCategoricalCrossentropy(from_logits=True),
        SP,
        10 * LG,
        -(OH * _log_softmax(10 * LG.astype("float64"))).sum(-1),
    ),
    "cgce": (
        L.CategoricalGeneralizedCrossEntropy(q=0.7),
        SP,
        P,
        (1 - np.clip(P, EPS, 1 - EPS)[np.arange(4), SP] ** 0.7) / 0.7,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_loss_matches_numpy(name):
    loss, yt, yp, ref = CASES[name]
    none = copy.copy(loss)
    none.reduction = "none"
    np.testing.assert_allclose(none(yt, yp).numpy(), ref, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(loss(yt, yp).numpy(), ref.mean(), rtol=1e-4, atol=1e-5)
    got = loss(yt, yp, sample_weight=SW).numpy()
    np.testing.assert_allclose(got, (ref * SW).sum() / 4, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize(
    "reduction, expect",
    [
        ("sum_over_batch_size", lambda v, w: (v * w).sum() / v.size),
        ("mean", lambda v, w: (v * w).sum() / v.size),
        ("sum", lambda v, w: (v * w).sum()),
        ("mean_with_sample_weight", lambda v, w: (v * w).sum() / w.sum()),
        ("none", lambda v, w: v * w),
        (None, lambda v, w: v * w),
    ],
)
def test_reductions(reduction, expect):
    ref = ((YR - PR) ** 2).mean(-1)
    got = L.MeanSquaredError(reduction=reduction)(YR, PR, sample_weight=SW).numpy()
    np.testing.assert_allclose(got, expect(ref, SW), rtol=1e-5)


def test_sample_weight_shapes():
    ref = ((YR - PR) ** 2).mean(-1)
    mse = L.MeanSquaredError()
    np.testing.assert_allclose(
        mse(YR, PR, sample_weight=SW[:, None]).numpy(), (ref * SW).mean(), rtol=1e-5
    )
    np.testing.assert_allclose(mse(YR, PR, sample_weight=2.0).numpy(), 2 * ref.mean(), rtol=1e-5)
    # A [batch, 1] label against [batch] predictions is squeezed, not broadcast.
    got = mse(YR[:, :1], PR[:, 0]).numpy()
    np.testing.assert_allclose(got, ((YR[:, 0] - PR[:, 0]) ** 2).mean(), rtol=1e-5)


def test_keras_mask_on_y_pred():
    class AbsLoss(L.Loss):
        def call(self, y_true, y_pred):
            return tf.reduce_mean(tf.abs(y_true - y_pred), -1)

    mask = np.array([True, False, True, True])
    x = tf.constant(PR)
    x._keras_mask = tf.constant(mask)
    per = np.abs(YR - PR).mean(-1)
    got = AbsLoss()(YR, x).numpy()
    np.testing.assert_allclose(got, per[mask].mean(), rtol=1e-4)
    got = AbsLoss(reduction="sum")(YR, x, sample_weight=SW).numpy()
    np.testing.assert_allclose(got, (per * SW * mask).sum(), rtol=1e-5)


def test_sparse_ignore_class_masks_mean():
    per = _cce(OH, P)
    keep = SP != 2
    got = L.SparseCategoricalCrossentropy(ignore_class=2)(SP, P).numpy()
    np.testing.assert_allclose(got, per[keep].mean(), rtol=1e-4)
    none = L.SparseCategoricalCrossentropy(ignore_class=2, reduction="none")(SP, P).numpy()
    np.testing.assert_allclose(none, np.where(keep, per, 0), rtol=1e-4)


def test_dice_and_tversky():
    inter = (Y01 * P).sum()
    dice = 1 - 2 * inter / (Y01.sum() + P.sum() + EPS)
    np.testing.assert_allclose(L.Dice()(Y01, P).numpy(), dice, rtol=1e-5)
    per_row = 1 - 2 * (Y01 * P).sum(1) / (Y01.sum(1) + P.sum(1) + EPS)
    np.testing.assert_allclose(L.Dice(axis=1)(Y01, P).numpy(), per_row.mean(), rtol=1e-5)
    fp, fn = ((1 - Y01) * P).sum(), (Y01 * (1 - P)).sum()
    tv = 1 - inter / (inter + 0.7 * fp + 0.3 * fn + EPS)
    np.testing.assert_allclose(L.Tversky(alpha=0.3, beta=0.7)(Y01, P).numpy(), tv, rtol=1e-5)


def test_logits_paths_stay_finite():
    big = np.array([[100.0, -100.0, 0.0]], "float32")
    y = np.array([[0.0, 1.0, 0.0]], "float32")
    assert np.isfinite(L.BinaryCrossentropy(from_logits=True)(y, big).numpy())
    v = L.CategoricalCrossentropy(from_logits=True)(y, big).numpy()
    np.testing.assert_allclose(v, 200.0, rtol=1e-5)
    v = L.SparseCategoricalCrossentropy(from_logits=True)(np.array([1]), big).numpy()
    np.testing.assert_allclose(v, 200.0, rtol=1e-5)
    assert np.isfinite(L.LogCosh()(y, big * 1000).numpy())


def test_function_aliases():
    assert L.mse is L.MSE is L.get("mean_squared_error")
    assert L.mse.__name__ == "mean_squared_error"
    assert L.kld is L.KLD is L.kullback_leibler_divergence
    assert L.logcosh.__name__ == "log_cosh"
    np.testing.assert_allclose(L.mae(YR, PR).numpy(), np.abs(YR - PR).mean(-1), rtol=1e-6)
    np.testing.assert_allclose(
        L.binary_crossentropy(Y01, LG, from_logits=True).numpy(),
        _bce(Y01, _sig(LG)).mean(-1),
        rtol=1e-3,
    )


def test_configs_and_serialization():
    bce = L.BinaryCrossentropy(from_logits=True, label_smoothing=0.1, name="b")
    assert bce.get_config() == {
        "name": "b",
        "reduction": "sum_over_batch_size",
        "from_logits": True,
        "label_smoothing": 0.1,
        "axis": -1,
    }
    assert L.Huber(delta=2.0).get_config() == {
        "name": "huber_loss",
        "reduction": "sum_over_batch_size",
    }
    ser = L.serialize(bce)
    assert ser["module"] == "keras.losses" and ser["class_name"] == "BinaryCrossentropy"
    again = L.deserialize(ser)
    assert isinstance(again, L.BinaryCrossentropy) and again.get_config() == bce.get_config()
    assert L.serialize(L.mse)["config"] == "mean_squared_error"
    assert L.get("mse") is L.mse
    assert L.get("bce") is L.binary_crossentropy
    assert isinstance(L.get("MeanSquaredError"), L.MeanSquaredError)
    assert L.get(None) is None
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        L.get("no_such_loss")
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        L.MeanSquaredError(reduction="bogus")
    assert L.Reduction.all() == ("auto", "none", "sum", "sum_over_batch_size")


def test_loss_name_and_dtype():
    a, b = L.Loss(), L.Loss()
    assert a.name != b.name and a.name.startswith("loss")
    got = L.MeanSquaredError(dtype="float64")(YR, PR)
    assert got.dtype == tf.float64


def test_gradients_and_tf_function():
    x = tf.Variable(LG)
    loss = L.CategoricalCrossentropy(from_logits=True)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            value = loss(OH, x)
        return value, tape.gradient(value, x)

    value, grad = step()
    soft = np.exp(_log_softmax(LG.astype("float64")))
    np.testing.assert_allclose(grad.numpy(), (soft - OH) / 4, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(value.numpy(), loss(OH, LG).numpy(), rtol=1e-6)

    sig = [tf.TensorSpec([None], tf.int32), tf.TensorSpec([None, 3], tf.float32)]
    scce = L.SparseCategoricalCrossentropy(ignore_class=2)
    traced = tf.function(lambda a, b: scce(a, b), input_signature=sig)
    np.testing.assert_allclose(
        traced(SP.astype("int32"), P).numpy(), scce(SP, P).numpy(), rtol=1e-6
    )


def _ctc_brute_force(labels, logits):
    """-log of the summed probability of every alignment that collapses to the labels."""
    import itertools

    t_steps, classes = logits.shape
    logp = _log_softmax(logits.astype("float64"))
    target = [c for c in labels if c != 0]
    total = 0.0
    for path in itertools.product(range(classes), repeat=t_steps):
        collapsed = [c for i, c in enumerate(path) if c != 0 and (i == 0 or path[i - 1] != c)]
        if collapsed == target:
            total += np.exp(sum(logp[t, c] for t, c in enumerate(path)))
    return -np.log(total)


def test_ctc_matches_brute_force():
    r = np.random.RandomState(3)
    logits = (r.normal(size=(3, 5, 3)) * 2).astype("float32")
    labels = np.array([[1, 2, 0], [2, 2, 0], [0, 0, 0]])
    want = [_ctc_brute_force(lab, lg) for lab, lg in zip(labels, logits)]
    got = L.CTC(reduction="none")(labels, logits).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-4)
    x = tf.Variable(logits)
    with tf.GradientTape() as tape:
        value = L.ctc(labels, x)[0]
    grad = tape.gradient(value, x).numpy()
    eps = 1e-3
    bumped = logits.copy()
    bumped[0, 2, 1] += eps
    numeric = (_ctc_brute_force(labels[0], bumped[0]) - want[0]) / eps
    np.testing.assert_allclose(grad[0, 2, 1], numeric, rtol=2e-2, atol=1e-3)
    with pytest.raises(ValueError, match="Logits `y_pred`"):
        L.ctc(labels, logits[0])


def _circle_ref(labels, x, gamma, margin, remove_diagonal):
    sim = np.minimum(x @ x.T, 1.0)
    same = labels[:, None] == labels[None, :]
    pos = same & ~np.eye(len(labels), dtype=bool) if remove_diagonal else same
    out = []
    for i in range(len(labels)):
        sp, sn = sim[i][pos[i]], sim[i][~same[i]]
        if not len(sp) or not len(sn):
            out.append(0.0)
            continue
        lp = -gamma * np.maximum(1 + margin - sp, 0) * (sp - (1 - margin))
        ln = gamma * np.maximum(sn + margin, 0) * (sn - margin)
        out.append(np.log1p(np.exp(lp).sum() * np.exp(ln).sum()))
    return np.array(out)


def test_circle_matches_numpy():
    x = PR / np.linalg.norm(PR, axis=-1, keepdims=True)
    for labels, gamma, margin, rd in (
        ([0, 1, 0, 1], 4.0, 0.4, True),
        ([0, 1, 0, 2], 2.0, 0.25, False),
    ):
        labels = np.array(labels)
        want = _circle_ref(labels, x, gamma, margin, rd)
        loss = L.Circle(gamma=gamma, margin=margin, remove_diagonal=rd, reduction="none")
        np.testing.assert_allclose(loss(labels, x).numpy(), want, rtol=1e-4, atol=1e-6)
    assert L.Circle().get_config() == {
        "name": "circle",
        "reduction": "sum_over_batch_size",
        "gamma": 80.0,
        "margin": 0.4,
        "remove_diagonal": True,
    }


def test_traced_activation_outputs_use_their_logits():
    # While tracing, a Sigmoid/Softmax output is traced back to its logits (as TF-Keras does),
    # so saturated probabilities give the exact logits loss instead of a clipped one.
    x = np.array([[20.0, -30.0, 1.0], [0.5, 0.2, -40.0]], "float32")
    y = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 1.0]], "float32")
    oh = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]], "float32")

    @tf.function
    def traced(a):
        return (
            L.BinaryCrossentropy()(y, tf.sigmoid(a)),
            L.CategoricalCrossentropy()(oh, tf.nn.softmax(a)),
            L.SparseCategoricalCrossentropy()(np.array([1, 0]), tf.nn.softmax(a)),
        )

    bce, cce, scce = traced(tf.constant(x))
    np.testing.assert_allclose(bce, L.BinaryCrossentropy(from_logits=True)(y, x), rtol=1e-5)
    want = L.CategoricalCrossentropy(from_logits=True)(oh, x).numpy()
    np.testing.assert_allclose(cce, want, rtol=1e-5)
    np.testing.assert_allclose(scce, want, rtol=1e-5)
    # Eagerly the probabilities are clipped instead.
    eager = L.CategoricalCrossentropy()(oh, tf.nn.softmax(tf.constant(x))).numpy()
    assert eager < want - 1.0


_ORACLE = "/work/tfenv/bin/python"


@pytest.mark.tf
@pytest.mark.skipif(not os.path.exists(_ORACLE), reason="TensorFlow oracle not installed")
def test_differential_against_keras(tmp_path):
    names = sorted(CASES)
    arrays = {}
    specs = []
    for i, name in enumerate(names):
        loss, yt, yp, _ = CASES[name]
        arrays[f"t{i}"], arrays[f"p{i}"] = np.asarray(yt), np.asarray(yp)
        # Huber/CosineSimilarity configs omit delta/axis (as in Keras): pass the fn kwargs too.
        specs.append((type(loss).__name__, {**loss._fn_kwargs, **loss.get_config()}))
    arrays["sw"] = SW
    np.savez(tmp_path / "data.npz", **arrays)
    prog = f"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
d = np.load({str(tmp_path / "data.npz")!r})
out = []
for i, (cls, cfg) in enumerate({specs!r}):
    loss = getattr(tf.keras.losses, cls).from_config(cfg)
    out.append(float(loss(d[f"t{{i}}"], d[f"p{{i}}"], sample_weight=d["sw"])))
print(repr(out))
"""
    res = subprocess.run([_ORACLE, "-c", prog], capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        pytest.skip("oracle failed: " + res.stderr[-500:])
    want = eval(res.stdout.strip().splitlines()[-1])
    for name, w in zip(names, want):
        loss, yt, yp, _ = CASES[name]
        got = float(loss(yt, yp, sample_weight=SW))
        np.testing.assert_allclose(got, w, rtol=1e-5, atol=1e-6, err_msg=name)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
