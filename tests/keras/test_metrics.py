"""keras.metrics: every metric against a NumPy reference over several weighted updates,
update/result/reset semantics, variables, configs, get/serialize, and use inside tf.function;
optional differential checks against real Keras."""

import os
import subprocess

import numpy as np
import pytest

import tensorflux as tf
from tensorflux.keras import losses as L
from tensorflux.keras import metrics as M

EPS = 1e-7
rng = np.random.RandomState(1)
N = 12
P = rng.uniform(0.0, 1.0, (N, 3)).astype("float32")
P[0, 0], P[1, 1], P[2, 2] = 0.0, 1.0, 0.5
Y01 = (rng.uniform(size=(N, 3)) > 0.5).astype("float32")
OH = np.eye(3, dtype="float32")[rng.randint(0, 3, N)]
SP = rng.randint(0, 3, N)
LG = (rng.normal(size=(N, 3)) * 3).astype("float32")
YR = rng.normal(size=(N, 3)).astype("float32")
PR = rng.normal(size=(N, 3)).astype("float32")
POS = rng.uniform(0.1, 3, (N, 3)).astype("float32")
SW = rng.uniform(0, 2, N).astype("float32")
SW[3] = 0.0


def _two_updates(m, y, p, sw=None):
    """Feeds the data in two batches of 6 and returns the result as NumPy."""
    for sl in (slice(0, 6), slice(6, N)):
        kw = {} if sw is None else {"sample_weight": sw[sl]}
        m.update_state(y[sl], p[sl], **kw)
    return np.asarray(m.result())


def _wmean(v, w=None):
    w = np.ones(len(v)) if w is None else w
    return (v * w).sum() / w.sum()


def _norm(x):
    return x / np.sqrt(np.maximum((x**2).sum(-1, keepdims=True), 1e-12))


# (metric factory, y_true, y_pred, sample_weight, expected)
MEAN_CASES = {
    "accuracy": (
        M.Accuracy,
        np.round(P * 2),
        np.round(PR),
        SW,
        _wmean((np.round(P * 2) == np.round(PR)).astype(float).mean(-1), SW),
    ),
    "binary_accuracy": (M.BinaryAccuracy, Y01, P, SW, _wmean((Y01 == (P > 0.5)).mean(-1), SW)),
    "binary_accuracy_t": (
        lambda: M.BinaryAccuracy(threshold=0.7),
        Y01,
        P,
        None,
        (Y01 == (P > 0.7)).mean(),
    ),
    "categorical_accuracy": (
        M.CategoricalAccuracy,
        OH,
        P,
        SW,
        _wmean(OH.argmax(-1) == P.argmax(-1), SW),
    ),
    "sparse_categorical_accuracy": (
        M.SparseCategoricalAccuracy,
        SP,
        P,
        SW,
        _wmean(SP == P.argmax(-1), SW),
    ),
    "top_k": (
        lambda: M.TopKCategoricalAccuracy(k=2),
        OH,
        P,
        SW,
        _wmean((np.argsort(-P, -1)[:, :2] == OH.argmax(-1)[:, None]).any(-1), SW),
    ),
    "sparse_top_k": (
        lambda: M.SparseTopKCategoricalAccuracy(k=2),
        SP,
        P,
        None,
        (np.argsort(-P, -1)[:, :2] == SP[:, None]).any(-1).mean(),
    ),
    "mse": (M.MeanSquaredError, YR, PR, SW, _wmean(((YR - PR) ** 2).mean(-1), SW)),
    "rmse": (M.RootMeanSquaredError, YR, PR, SW, np.sqrt(_wmean(((YR - PR) ** 2).mean(-1), SW))),
    "mae": (M.MeanAbsoluteError, YR, PR, None, np.abs(YR - PR).mean()),
    "mape": (
        M.MeanAbsolutePercentageError,
        YR,
        PR,
        None,
        100 * (np.abs(YR - PR) / np.maximum(np.abs(YR), EPS)).mean(),
    ),
    "msle": (
        M.MeanSquaredLogarithmicError,
        POS,
        P,
        None,
        ((np.log(np.maximum(P, EPS) + 1) - np.log(POS + 1)) ** 2).mean(),
    ),
    "cosine": (M.CosineSimilarity, YR, PR, SW, _wmean((_norm(YR) * _norm(PR)).sum(-1), SW)),
    "logcosh": (M.LogCoshError, YR, PR, None, np.log(np.cosh(PR - YR)).mean()),
    "hinge": (M.Hinge, Y01, PR, None, np.maximum(1 - (2 * Y01 - 1) * PR, 0).mean()),
    "squared_hinge": (
        M.SquaredHinge,
        Y01,
        PR,
        None,
        (np.maximum(1 - (2 * Y01 - 1) * PR, 0) ** 2).mean(),
    ),
    "poisson": (M.Poisson, POS, P, None, (P - POS * np.log(P + EPS)).mean()),
    "bce": (
        M.BinaryCrossentropy,
        Y01,
        np.clip(P, 0.05, 0.95),
        SW,
        _wmean(
            -(
                Y01 * np.log(np.clip(P, 0.05, 0.95))
                + (1 - Y01) * np.log(1 - np.clip(P, 0.05, 0.95))
            ).mean(-1),
            SW,
        ),
    ),
    "sparse_cce_logits": (
        lambda: M.SparseCategoricalCrossentropy(from_logits=True),
        SP,
        LG,
        SW,
        _wmean(np.log(np.exp(LG).sum(-1)) - LG[np.arange(N), SP], SW),
    ),
}


@pytest.mark.parametrize("name", sorted(MEAN_CASES))
def test_mean_metrics_match_numpy(name):
    make, y, p, sw, want = MEAN_CASES[name]
    m = make()
    np.testing.assert_allclose(_two_updates(m, y, p, sw), want, rtol=1e-4, atol=1e-6)


def test_mean_and_sum_semantics():
    m = M.Mean()
    assert [v.path for v in m.variables] == ["mean/total", "mean/count"]
    assert not any(v.trainable for v in m.variables)
    m.update_state([1.0, 2.0, 3.0])
    m.update_state([[4.0, 6.0]], sample_weight=[2.0])  # one sample: value 5, weight 2
    np.testing.assert_allclose(m.result().numpy(), (6 + 10) / 5)
    m.reset_state()
    assert m.result().numpy() == 0.0
    assert float(m(7.0)) == 7.0 and float(m([1.0])) == 4.0  # __call__ = update + result
    s = M.Sum()
    s.update_state(YR, sample_weight=SW)
    np.testing.assert_allclose(s.result().numpy(), (YR.sum(-1) * SW).sum(), rtol=1e-5)
    with_mask = tf.constant(YR)
    mask = np.arange(N) % 3 != 0
    with_mask._keras_mask = tf.constant(mask)
    mse = M.MeanSquaredError()
    pred = tf.constant(PR)
    pred._keras_mask = tf.constant(mask)
    mse.update_state(YR, pred)
    np.testing.assert_allclose(
        mse.result().numpy(), ((YR - PR) ** 2).mean(-1)[mask].mean(), rtol=1e-5
    )


def _counts(y, p, thresholds, w=None):
    w = np.ones_like(p) if w is None else np.broadcast_to(w, p.shape)
    pos = (y != 0).ravel()
    out = {k: [] for k in ("tp", "fp", "tn", "fn")}
    for t in thresholds:
        pred = (p > t).ravel()
        ww = w.ravel()
        out["tp"].append((ww * (pos & pred)).sum())
        out["fp"].append((ww * (~pos & pred)).sum())
        out["tn"].append((ww * (~pos & ~pred)).sum())
        out["fn"].append((ww * (pos & ~pred)).sum())
    return {k: np.array(v) for k, v in out.items()}


def test_confusion_counts_precision_recall():
    sw2 = SW[:, None]
    c = _counts(Y01, P, [0.5], sw2)
    for cls, key in (
        (M.TruePositives, "tp"),
        (M.FalsePositives, "fp"),
        (M.TrueNegatives, "tn"),
        (M.FalseNegatives, "fn"),
    ):
        np.testing.assert_allclose(_two_updates(cls(), Y01, P, sw2), c[key][0], rtol=1e-5)
    ts = [0.2, 0.5, 0.9]
    c3 = _counts(Y01, P, ts)
    np.testing.assert_allclose(_two_updates(M.TruePositives(thresholds=ts), Y01, P), c3["tp"])
    np.testing.assert_allclose(
        _two_updates(M.Precision(), Y01, P, sw2), c["tp"][0] / (c["tp"][0] + c["fp"][0]), rtol=1e-5
    )
    np.testing.assert_allclose(
        _two_updates(M.Recall(thresholds=ts), Y01, P), c3["tp"] / (c3["tp"] + c3["fn"]), rtol=1e-5
    )
    # top_k: only each row's 2 largest predictions count as positive.
    top = np.zeros_like(P)
    np.put_along_axis(top, np.argsort(-P, -1)[:, :2], 1.0, -1)
    want = (top * Y01).sum() / top.sum()
    np.testing.assert_allclose(_two_updates(M.Precision(top_k=2), Y01, P), want, rtol=1e-5)
    # class_id restricts to one column.
    c1 = _counts(Y01[:, 1], P[:, 1], [0.5])
    np.testing.assert_allclose(
        _two_updates(M.Recall(class_id=1), Y01, P),
        c1["tp"][0] / (c1["tp"][0] + c1["fn"][0]),
        rtol=1e-5,
    )
    m = M.Precision()
    m.update_state(Y01, P)
    m.reset_state()
    assert float(m.result()) == 0.0


def _auc_counts(y, p, n, w=None):
    thr = np.array([-EPS] + [(i + 1) / (n - 1) for i in range(n - 2)] + [1 + EPS])
    return _counts(y, p, thr, w)


def _roc_auc(c, method="interpolation"):
    tpr = c["tp"] / np.maximum(c["tp"] + c["fn"], 1e-30)
    fpr = c["fp"] / np.maximum(c["fp"] + c["tn"], 1e-30)
    if method == "interpolation":
        h = (tpr[:-1] + tpr[1:]) / 2
    elif method == "minoring":
        h = np.minimum(tpr[:-1], tpr[1:])
    else:
        h = np.maximum(tpr[:-1], tpr[1:])
    return ((fpr[:-1] - fpr[1:]) * h).sum()


def test_auc_roc_and_variants():
    sw2 = SW[:, None]
    got = _two_updates(M.AUC(num_thresholds=50), Y01, P, sw2)
    np.testing.assert_allclose(got, _roc_auc(_auc_counts(Y01, P, 50, sw2)), rtol=1e-4)
    for method in ("minoring", "majoring"):
        got = _two_updates(M.AUC(num_thresholds=11, summation_method=method), Y01, P)
        np.testing.assert_allclose(got, _roc_auc(_auc_counts(Y01, P, 11), method), rtol=1e-4)
    got = _two_updates(M.AUC(from_logits=True, num_thresholds=30), Y01, LG)
    np.testing.assert_allclose(
        got, _roc_auc(_auc_counts(Y01, 1 / (1 + np.exp(-LG)), 30)), rtol=1e-4
    )
    per_label = [_roc_auc(_auc_counts(Y01[:, j], P[:, j], 40)) for j in range(3)]
    got = _two_updates(M.AUC(num_thresholds=40, multi_label=True), Y01, P)
    np.testing.assert_allclose(got, np.mean(per_label), rtol=1e-4)
    lw = np.array([1.0, 0.0, 3.0])
    got = _two_updates(M.AUC(num_thresholds=40, multi_label=True, label_weights=lw), Y01, P)
    np.testing.assert_allclose(got, (np.array(per_label) * lw).sum() / lw.sum(), rtol=1e-4)
    # A perfect ranking gives 1, a reversed one 0.
    y = np.array([0, 0, 1, 1], "float32")
    s = np.array([0.1, 0.2, 0.8, 0.9], "float32")
    assert abs(float(M.AUC()(y, s)) - 1.0) < 1e-6
    assert abs(float(M.AUC()(y, 1 - s))) < 1e-6
    assert abs(float(M.AUC(curve="PR")(y, s)) - 1.0) < 1e-6


def test_sensitivity_specificity_family():
    n = 20
    c = _auc_counts(Y01, P, n)
    c["tp"], c["fp"], c["tn"], c["fn"] = (c[k] for k in ("tp", "fp", "tn", "fn"))
    sens = c["tp"] / np.maximum(c["tp"] + c["fn"], 1e-30)
    spec = c["tn"] / np.maximum(c["tn"] + c["fp"], 1e-30)
    prec = np.where(c["tp"] + c["fp"] > 0, c["tp"] / np.maximum(c["tp"] + c["fp"], 1e-30), 0)

    def best(constraint, value, dep):
        ok = constraint >= value
        return dep[ok].max() if ok.any() else 0.0

    got = _two_updates(M.SensitivityAtSpecificity(0.5, num_thresholds=n), Y01, P)
    np.testing.assert_allclose(got, best(spec, 0.5, sens), rtol=1e-5)
    got = _two_updates(M.SpecificityAtSensitivity(0.6, num_thresholds=n), Y01, P)
    np.testing.assert_allclose(got, best(sens, 0.6, spec), rtol=1e-5)
    got = _two_updates(M.PrecisionAtRecall(0.7, num_thresholds=n), Y01, P)
    np.testing.assert_allclose(got, best(sens, 0.7, prec), rtol=1e-5)
    got = _two_updates(M.RecallAtPrecision(0.6, num_thresholds=n), Y01, P)
    np.testing.assert_allclose(got, best(prec, 0.6, sens), rtol=1e-5)
    with pytest.raises(ValueError, match="must be in the range"):
        M.SensitivityAtSpecificity(1.5)


def _iou(cm, ids):
    tp = np.diag(cm)
    den = cm.sum(0) + cm.sum(1) - tp
    vals = [tp[i] / den[i] for i in ids if den[i] > 0]
    return np.sum(vals) / max(len(vals), 1)


def test_iou_family():
    pred = P.argmax(-1)
    w = np.floor(SW * 2)  # int64 confusion matrix truncates weights, as in Keras
    cm = np.zeros((3, 3))
    for t, q, ww in zip(SP, pred, w):
        cm[t, q] += ww
    got = _two_updates(M.MeanIoU(num_classes=3), SP, pred, SW * 2)
    np.testing.assert_allclose(got, _iou(cm, [0, 1, 2]), rtol=1e-6)
    cm1 = np.zeros((3, 3))
    for t, q in zip(SP, pred):
        cm1[t, q] += 1
    got = _two_updates(M.IoU(num_classes=3, target_class_ids=[0, 2]), SP, pred)
    np.testing.assert_allclose(got, _iou(cm1, [0, 2]), rtol=1e-6)
    got = _two_updates(M.OneHotMeanIoU(num_classes=3), OH, P)
    cm2 = np.zeros((3, 3))
    for t, q in zip(OH.argmax(-1), pred):
        cm2[t, q] += 1
    np.testing.assert_allclose(got, _iou(cm2, [0, 1, 2]), rtol=1e-6)
    cm3 = np.zeros((2, 2))
    for t, q in zip(Y01.ravel().astype(int), (P >= 0.5).ravel().astype(int)):
        cm3[t, q] += 1
    np.testing.assert_allclose(_two_updates(M.BinaryIoU(), Y01, P), _iou(cm3, [0, 1]), rtol=1e-6)
    m = M.MeanIoU(num_classes=3)
    assert m.variables[0].dtype == tf.int64 and m.get_config()["dtype"] == "int64"


@pytest.mark.parametrize("average", [None, "micro", "macro", "weighted"])
def test_f_scores(average):
    beta = 2.0
    pred = (P > 0.4).astype(float)
    axis = None if average == "micro" else 0
    w = SW[:, None]
    tp = (pred * Y01 * w).sum(axis)
    fp = (pred * (1 - Y01) * w).sum(axis)
    fn = ((1 - pred) * Y01 * w).sum(axis)
    prec, rec = tp / (tp + fp + EPS), tp / (tp + fn + EPS)
    f = (1 + beta**2) * prec * rec / (beta**2 * prec + rec + EPS)
    if average == "weighted":
        support = (Y01 * w).sum(0)
        f = (f * support / (support.sum() + EPS)).sum()
    elif average is not None:
        f = f.mean()
    got = _two_updates(M.FBetaScore(average=average, beta=beta, threshold=0.4), Y01, P, SW)
    np.testing.assert_allclose(got, f, rtol=1e-4, atol=1e-6)
    # F1 with threshold=None marks each row's arg-max.
    am = (P == P.max(-1, keepdims=True)).astype(float)
    tp, fp, fn = (am * Y01).sum(0), (am * (1 - Y01)).sum(0), ((1 - am) * Y01).sum(0)
    prec, rec = tp / (tp + fp + EPS), tp / (tp + fn + EPS)
    f1 = 2 * prec * rec / (prec + rec + EPS)
    np.testing.assert_allclose(_two_updates(M.F1Score(), Y01, P), f1, rtol=1e-4, atol=1e-6)


def test_r2_score():
    w = SW[:, None]
    mean = (YR * w).sum(0) / w.sum()
    total = ((YR - mean) ** 2 * w).sum(0)
    resid = ((YR - PR) ** 2 * w).sum(0)
    raw = 1 - resid / total
    np.testing.assert_allclose(_two_updates(M.R2Score(), YR, PR, SW), raw.mean(), rtol=1e-4)
    got = _two_updates(M.R2Score(class_aggregation=None), YR, PR, SW)
    np.testing.assert_allclose(got, raw, rtol=1e-4)
    with pytest.raises(ValueError, match="2D inputs"):
        M.R2Score().update_state(YR[:, 0], PR[:, 0])


def test_metrics_inside_tf_function():
    cases = [
        (M.AUC, Y01, P),
        (lambda: M.AUC(multi_label=True), Y01, P),
        (lambda: M.Precision(top_k=2), Y01, P),
        (M.SparseCategoricalAccuracy, SP, P),
        (lambda: M.F1Score(average="macro"), Y01, P),
        (lambda: M.MeanIoU(3), SP, P.argmax(-1)),
        (lambda: M.SensitivityAtSpecificity(0.5), Y01, P),
        (M.RootMeanSquaredError, YR, PR),
    ]
    for make, y, p in cases:
        eager, traced = make(), make()
        eager.update_state(y, p)
        eager.update_state(y, p)

        @tf.function
        def step(a, b, metric=traced):
            metric.update_state(a, b)
            return metric.result()

        step(tf.constant(y), tf.constant(p))
        got = step(tf.constant(y), tf.constant(p))
        np.testing.assert_allclose(
            got.numpy(), eager.result().numpy(), rtol=1e-6, err_msg=type(eager).__name__
        )


def test_unknown_batch_dimension_in_tf_function():
    m = M.AUC(num_thresholds=20)
    spec = tf.TensorSpec([None, 3], tf.float32)

    @tf.function(input_signature=[spec, spec])
    def step(a, b):
        m.update_state(a, b)
        return m.result()

    step(Y01[:5], P[:5])
    got = step(Y01[5:], P[5:])
    np.testing.assert_allclose(got.numpy(), _roc_auc(_auc_counts(Y01, P, 20)), rtol=1e-4)


def test_configs_get_serialize():
    auc = M.AUC(name="a")
    assert auc.get_config() == {
        "name": "a",
        "dtype": "float32",
        "num_thresholds": 200,
        "curve": "ROC",
        "summation_method": "interpolation",
        "multi_label": False,
        "num_labels": None,
        "label_weights": None,
        "from_logits": False,
    }
    assert [v.path for v in auc.variables] == [
        "a/true_positives",
        "a/false_positives",
        "a/true_negatives",
        "a/false_negatives",
    ]
    assert M.BinaryAccuracy().get_config() == {
        "name": "binary_accuracy",
        "dtype": "float32",
        "threshold": 0.5,
    }
    assert M.F1Score().get_config() == {
        "name": "f1_score",
        "dtype": "float32",
        "average": None,
        "threshold": None,
    }
    ser = M.serialize(M.Precision(thresholds=[0.3, 0.7], name="p"))
    assert ser["module"] == "keras.metrics" and ser["class_name"] == "Precision"
    back = M.deserialize(ser)
    assert isinstance(back, M.Precision) and back.thresholds == [0.3, 0.7]
    wrapper = M.MeanMetricWrapper(L.binary_crossentropy, name="w", from_logits=True)
    cfg = wrapper.get_config()
    assert cfg["fn"]["config"] == "binary_crossentropy" and cfg["from_logits"] is True
    again = M.MeanMetricWrapper.from_config(cfg)
    np.testing.assert_allclose(again(Y01, LG).numpy(), wrapper(Y01, LG).numpy(), rtol=1e-6)
    assert isinstance(M.get("accuracy"), M.Accuracy)
    assert isinstance(M.get("mse"), M.MeanSquaredError)
    assert isinstance(M.get("AUC"), M.AUC)
    assert M.mse is L.mse
    a1, a2 = M.AUC(), M.AUC()
    assert a1.name != a2.name
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        M.get("no_such_metric")
    with pytest.raises(ValueError, match="Invalid AUC curve"):
        M.AUC(curve="XYZ")
    with pytest.raises(ValueError, match="Threshold values must be in"):
        M.Precision(thresholds=[1.5])


_ORACLE = "/work/tfenv/bin/python"

DIFF_CASES = [
    ("AUC", {"num_thresholds": 50}, "Y01", "P"),
    ("AUC", {"curve": "PR"}, "Y01", "P"),
    ("AUC", {"curve": "PRGAIN"}, "Y01", "P"),
    ("AUC", {"multi_label": True, "curve": "PR", "label_weights": [1.0, 0.5, 2.0]}, "Y01", "P"),
    ("AUC", {"thresholds": [0.1, 0.35, 0.8]}, "Y01", "P"),
    ("Precision", {"top_k": 1, "class_id": 2}, "Y01", "P"),
    ("RecallAtPrecision", {"precision": 0.6}, "Y01", "P"),
    ("SpecificityAtSensitivity", {"sensitivity": 0.6, "num_thresholds": 7}, "Y01", "P"),
    ("BinaryIoU", {"target_class_ids": [1], "threshold": 0.3}, "Y01", "P"),
    ("OneHotIoU", {"num_classes": 3, "target_class_ids": [1]}, "OH", "P"),
    ("F1Score", {"average": "weighted"}, "Y01", "P"),
    (
        "R2Score",
        {"class_aggregation": "variance_weighted_average", "num_regressors": 2},
        "YR",
        "PR",
    ),
    ("PearsonCorrelation", {}, "YR", "PR"),
    ("ConcordanceCorrelation", {}, "YR", "PR"),
    ("SparseCategoricalCrossentropy", {"ignore_class": 1}, "SP", "P"),
    ("SparseTopKCategoricalAccuracy", {"k": 1, "from_sorted_ids": True}, "SP", "IDS"),
    ("CategoricalCrossentropy", {"from_logits": True, "label_smoothing": 0.1}, "OH", "LG"),
    ("KLDivergence", {}, "OH", "P"),
    ("CategoricalHinge", {}, "OH", "PR"),
]


@pytest.mark.tf
@pytest.mark.skipif(not os.path.exists(_ORACLE), reason="TensorFlow oracle not installed")
def test_differential_against_keras(tmp_path):
    data = {
        "Y01": Y01,
        "P": P,
        "OH": OH,
        "YR": YR,
        "PR": PR,
        "SP": SP,
        "LG": LG,
        "IDS": np.argsort(-P, -1),
    }
    np.savez(tmp_path / "data.npz", **data)
    prog = f"""
import os
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
d = np.load({str(tmp_path / "data.npz")!r})
out = []
for cls, kw, y, p in {DIFF_CASES!r}:
    m = getattr(tf.keras.metrics, cls)(**kw)
    m.update_state(d[y][:6], d[p][:6])
    m.update_state(d[y][6:], d[p][6:])
    out.append(np.asarray(m.result()).tolist())
print(repr(out))
"""
    res = subprocess.run([_ORACLE, "-c", prog], capture_output=True, text=True, timeout=300)
    if res.returncode != 0:
        pytest.skip("oracle failed: " + res.stderr[-500:])
    want = eval(res.stdout.strip().splitlines()[-1])
    for (cls, kw, y, p), w in zip(DIFF_CASES, want):
        m = getattr(M, cls)(**kw)
        got = _two_updates(m, data[y], data[p])
        np.testing.assert_allclose(got, np.asarray(w), rtol=1e-5, atol=1e-6, err_msg=cls)


def test_custom_metric_subclass_and_nested_metrics():
    class PositiveRate(M.Metric):
        def __init__(self, name="positive_rate", **kwargs):
            super().__init__(name=name, **kwargs)
            self.hits = self.add_weight(name="hits", initializer="zeros")
            self.seen = self.add_variable(shape=(), initializer="zeros", name="seen")
            self.inner = M.Mean(name="inner_mean")

        def update_state(self, values, sample_weight=None):
            values = tf.cast(values, self.dtype)
            self.hits.assign_add(tf.reduce_sum(tf.cast(values > 0, self.dtype)))
            self.seen.assign_add(tf.cast(tf.size(values), self.dtype))
            self.inner.update_state(values)

        def result(self):
            return self.hits / self.seen

    m = PositiveRate()
    assert [v.path for v in m.variables] == [
        "positive_rate/hits", "positive_rate/seen", "inner_mean/total", "inner_mean/count",
    ]  # fmt: skip
    step = tf.function(lambda v: m(v))
    step(tf.constant(YR[:6]))
    got = step(tf.constant(YR[6:]))
    np.testing.assert_allclose(got.numpy(), (YR > 0).mean(), rtol=1e-6)
    np.testing.assert_allclose(m.inner.result().numpy(), YR.mean(), rtol=1e-5)
    m.reset_state()
    assert all(float(np.sum(v.numpy())) == 0.0 for v in m.variables)
    assert repr(m) == "<PositiveRate name=positive_rate>"
