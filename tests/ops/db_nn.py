"""Harness rows for `tf.nn` (non-convolution): activations, softmax, bias_add, losses, norms."""

import numpy as np

import tensorflux as tf
import itertools

from tensorflux._src.ops import ctc_ops, nn_loss_ops, nn_norm_ops, nn_ops
from tests.ops.harness import FLOAT, FLOAT32_64, INT, OpInfo, Sample, make

D = tf
_SELU_A = 1.6732632423543772848170429916717
_SELU_S = 1.0507009873554804934193349852946
_NUMERIC_BIAS = FLOAT + (D.int32, D.int64, D.complex64, D.complex128)


def _away_from(points, lo=-3.0, hi=3.0, gap=0.05):
    """Unary samples whose values keep `gap` away from kinks (finite differences stay valid)."""

    def samples(rng, dtype):
        out = []
        for s in [(), (0,), (3,), (2, 3), (2, 1, 4)]:
            x = make(rng, s, dtype, lo, hi)
            if dtype.is_floating and x.size:
                xf = x.astype(np.float64)
                for p in points:
                    near = np.abs(xf - p) < gap
                    xf = np.where(near, p + gap * np.sign(xf - p + 1e-12) * 2, xf)
                x = xf.astype(x.dtype)
            out.append(Sample([x]))
        return out

    return samples


def _np_softmax(x, axis=-1):
    if x.size == 0:
        return x.copy()
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _np_log_softmax(x, axis=-1):
    if x.size == 0:
        return x.copy()
    s = x - np.max(x, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def _softmax_samples(rng, dtype):
    return [
        Sample([make(rng, (3,), dtype)]),
        Sample([make(rng, (2, 3), dtype)]),
        Sample([make(rng, (2, 3, 4), dtype)], {"axis": 1}),
        Sample([make(rng, (2, 3), dtype)], {"axis": 0}),
        Sample([make(rng, (2, 0), dtype)]),
    ]


def _leaky_samples(rng, dtype):
    return [
        Sample([make(rng, s, dtype)], {"alpha": a})
        for s, a in [((), 0.2), ((3,), 0.1), ((2, 3), 0.3), ((0, 2), 0.2)]
    ]


def _gelu_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype, -3, 3)], {"approximate": False}),
        Sample([make(rng, (4,), dtype, -3, 3)], {"approximate": True}),
        Sample([make(rng, (), dtype, -3, 3)]),
    ]


def _np_gelu(x, approximate=False):
    if approximate:
        return 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    from scipy.special import erf

    return 0.5 * x * (1 + erf(x / np.sqrt(2)))


def _silu_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)]),
        Sample([make(rng, (3,), dtype)], {"beta": 2.0}),
    ]


def _crelu_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)]),
        Sample([make(rng, (2, 3), dtype)], {"axis": 0}),
    ]


def _np_crelu(x, axis=-1):
    return np.maximum(np.concatenate([x, -x], axis=axis), 0)


def _bias_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), make(rng, (3,), dtype)]),
        Sample([make(rng, (2, 2, 2, 3), dtype), make(rng, (3,), dtype)]),
        Sample([make(rng, (2, 3, 4), dtype), make(rng, (3,), dtype)], {"data_format": "NCW"}),
        Sample([make(rng, (0, 3), dtype), make(rng, (3,), dtype)]),
    ]


def _np_bias_add(v, b, data_format=None):
    if data_format is not None and data_format.startswith("NC") and v.ndim >= 3:
        return v + b.reshape((-1,) + (1,) * (v.ndim - 2))
    return v + b


def _bias_grad_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype)]),
        Sample([make(rng, (2, 3, 4), dtype)], {"data_format": "NCHW"}),
    ]


def _np_bias_grad(dy, data_format="NHWC"):
    axis = 1 if data_format == "NCHW" and dy.ndim >= 3 else dy.ndim - 1
    return np.sum(dy, axis=tuple(i for i in range(dy.ndim) if i != axis))


def _grad_pair(rng, dtype, lo=-3.0, hi=3.0):
    return [Sample([make(rng, s, dtype), make(rng, s, dtype, lo, hi)]) for s in [(), (3,), (2, 3)]]


def _elu_grad_samples(rng, dtype):
    # EluGrad/SeluGrad take the forward outputs, which are > -1 (elu) / > -1.76 (selu).
    return [Sample([make(rng, s, dtype), make(rng, s, dtype, -0.9, 2.0)]) for s in [(3,), (2, 3)]]


# ------------------------------------------------------------------ cross entropies


def _labels_dist(rng, shape, dtype, axis=-1):
    p = rng.random(shape) + 0.1
    return (p / p.sum(axis=axis, keepdims=True)).astype(dtype.as_numpy_dtype)


def _sce_samples(rng, dtype):
    return [
        Sample([_labels_dist(rng, (2, 3), dtype), make(rng, (2, 3), dtype)]),
        Sample([_labels_dist(rng, (2, 2, 3), dtype), make(rng, (2, 2, 3), dtype)]),
        Sample([_labels_dist(rng, (3, 2), dtype, 0), make(rng, (3, 2), dtype)], {"axis": 0}),
        Sample([_labels_dist(rng, (1, 4), dtype), make(rng, (3, 4), dtype)]),
        Sample([_labels_dist(rng, (3,), dtype), make(rng, (3,), dtype)]),
    ]


def _np_sce(labels, logits, axis=-1):
    return -np.sum(labels * _np_log_softmax(logits, axis), axis=axis)


def _raw_sce(features, labels):
    return list(nn_loss_ops.SoftmaxCrossEntropyWithLogits(features, labels))


def _raw_sce_samples(rng, dtype):
    return [
        Sample([make(rng, (2, 3), dtype), _labels_dist(rng, (2, 3), dtype)]),
        Sample([make(rng, (3, 4), dtype), _labels_dist(rng, (1, 4), dtype)]),
        Sample([make(rng, (0, 4), dtype), _labels_dist(rng, (0, 4), dtype)]),
    ]


def _np_raw_sce(features, labels):
    loss = -np.sum(labels * _np_log_softmax(features), axis=-1)
    return [loss, _np_softmax(features) - labels]


def _sparse_samples(rng, dtype):
    return [
        Sample([rng.integers(0, 3, (2,)).astype(np.int32), make(rng, (2, 3), dtype)]),
        Sample([rng.integers(0, 4, (2, 3)).astype(np.int64), make(rng, (2, 3, 4), dtype)]),
        Sample([np.array(1, np.int32), make(rng, (3,), dtype)]),
        Sample([np.zeros((0,), np.int32), make(rng, (0, 3), dtype)]),
    ]


def _np_sparse(labels, logits):
    lp = _np_log_softmax(logits)
    return -np.take_along_axis(lp, labels[..., None].astype(np.int64), axis=-1)[..., 0]


def _raw_sparse(features, labels):
    return list(nn_loss_ops.SparseSoftmaxCrossEntropyWithLogits(features, labels))


def _raw_sparse_samples(rng, dtype):
    return [
        Sample([make(rng, (3, 4), dtype), rng.integers(0, 4, (3,)).astype(np.int64)]),
        Sample([make(rng, (1, 2), dtype), np.array([1], np.int32)]),
    ]


def _np_raw_sparse(features, labels):
    sm = _np_softmax(features)
    onehot = np.eye(features.shape[-1])[labels]
    return [_np_sparse(labels, features), sm - onehot]


def _sig_ce_samples(rng, dtype):
    return [
        Sample([rng.random((2, 3)).astype(dtype.as_numpy_dtype), make(rng, (2, 3), dtype, -4, 4)]),
        Sample([rng.random(()).astype(dtype.as_numpy_dtype), make(rng, (), dtype, -4, 4)]),
    ]


def _np_sig_ce(labels, logits):
    return np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))


def _weighted_samples(rng, dtype):
    return [
        Sample([rng.random((2, 3)).astype(dtype.as_numpy_dtype), make(rng, (2, 3), dtype), 2.5]),
        Sample([rng.random((4,)).astype(dtype.as_numpy_dtype), make(rng, (4,), dtype), 0.5]),
    ]


def _np_weighted(labels, logits, q):
    lw = 1 + (q - 1) * labels
    return (1 - labels) * logits + lw * (np.log1p(np.exp(-np.abs(logits))) + np.maximum(-logits, 0))


def _poisson_samples(rng, dtype):
    t = np.array([0.3, 0.5, 0.8, 2.0, 3.5, 7.0]).astype(dtype.as_numpy_dtype)
    return [
        Sample([t, make(rng, (6,), dtype)], grad=True),
        Sample([t, make(rng, (6,), dtype)], {"compute_full_loss": True}),
    ]


def _np_poisson(targets, log_input, compute_full_loss=False):
    loss = np.exp(log_input) - log_input * targets
    if compute_full_loss:
        t = np.where(targets > 1, targets, 1.0)
        stirling = t * np.log(t) - t + 0.5 * np.log(2 * np.pi * t)
        loss = loss + np.where(targets > 1, stirling, 0.0)
    return loss


def _avg_samples(rng, dtype):
    return [
        Sample([make(rng, (4,), dtype)]),
        Sample([make(rng, (3, 2), dtype)], {"global_batch_size": 6}),
        Sample([make(rng, (3,), dtype), make(rng, (3,), dtype)], {"global_batch_size": 4}),
    ]


def _np_avg(loss, sample_weight=None, global_batch_size=None):
    if sample_weight is not None:
        loss = loss * sample_weight
    n = loss.shape[0] if global_batch_size is None else global_batch_size
    return np.sum(loss) / n


# ------------------------------------------------------------------ norms


def _moments_fn(x, axes, keepdims=False):
    return list(tf.nn.moments(x, axes, keepdims=keepdims))


def _moments_samples(rng, dtype):
    return [
        Sample([make(rng, (3, 4), dtype), [0]]),
        Sample([make(rng, (2, 3, 4), dtype), [0, 2]], {"keepdims": True}),
        Sample([make(rng, (5,), dtype), [0]]),
    ]


def _np_moments(x, axes, keepdims=False):
    ax = tuple(axes)
    return [np.mean(x, ax, keepdims=keepdims), np.var(x, ax, keepdims=keepdims)]


def _wmoments_fn(x, w, axes, keepdims=False):
    return list(tf.nn.weighted_moments(x, axes, w, keepdims=keepdims))


def _wmoments_samples(rng, dtype):
    return [
        Sample([make(rng, (3, 4), dtype), make(rng, (3, 1), dtype, 0.5, 2), [0]]),
        Sample([make(rng, (2, 3), dtype), make(rng, (2, 3), dtype, 0.5, 2), [0, 1]],
               {"keepdims": True}),
    ]  # fmt: skip


def _np_wmoments(x, w, axes, keepdims=False):
    ax = tuple(axes)
    wb = w + np.zeros_like(x)
    m = np.sum(w * x, ax, keepdims=True) / np.sum(wb, ax, keepdims=True)
    v = np.sum(w * (x - m) ** 2, ax, keepdims=True) / np.sum(wb, ax, keepdims=True)
    if not keepdims:
        m, v = np.squeeze(m, ax), np.squeeze(v, ax)
    return [m, v]


def _normalize_fn(counts, mean_ss, var_ss, shift=None):
    return list(tf.nn.normalize_moments(counts, mean_ss, var_ss, shift))


def _normalize_samples(rng, dtype):
    c = np.asarray(4.0).astype(dtype.as_numpy_dtype)
    return [
        Sample([c, make(rng, (3,), dtype), make(rng, (3,), dtype, 2, 4)]),
        Sample([c, make(rng, (3,), dtype), make(rng, (3,), dtype, 2, 4), make(rng, (), dtype)]),
    ]


def _np_normalize(counts, mean_ss, var_ss, shift=None):
    sm = mean_ss / counts
    mean = sm if shift is None else sm + shift
    return [mean, var_ss / counts - sm**2]


def _bn_samples(rng, dtype):
    x = make(rng, (3, 4), dtype)
    return [
        Sample([x, make(rng, (4,), dtype), make(rng, (4,), dtype, 0.5, 2),
                make(rng, (4,), dtype), make(rng, (4,), dtype), 1e-3]),
        Sample([x, make(rng, (4,), dtype), make(rng, (4,), dtype, 0.5, 2), None, None, 1e-3]),
    ]  # fmt: skip


def _np_bn(x, mean, var, offset, scale, eps):
    inv = 1 / np.sqrt(var + eps)
    if scale is not None:
        inv = inv * scale
    return x * inv + ((offset if offset is not None else 0) - mean * inv)


def _fbn_y(x, scale, offset, mean, variance, is_training=True, data_format="NHWC",
           exponential_avg_factor=1.0):  # fmt: skip
    return nn_norm_ops.fused_batch_norm(
        x, scale, offset, mean, variance, epsilon=1e-3, data_format=data_format,
        is_training=is_training, exponential_avg_factor=exponential_avg_factor,
    )[0]  # fmt: skip


def _fbn_all(x, scale, offset, mean, variance, is_training=True, data_format="NHWC",
             exponential_avg_factor=1.0):  # fmt: skip
    return list(nn_norm_ops.fused_batch_norm(
        x, scale, offset, mean, variance, epsilon=1e-3, data_format=data_format,
        is_training=is_training, exponential_avg_factor=exponential_avg_factor,
    ))  # fmt: skip


def _fbn_samples(rng, dtype):
    u = D.float64 if dtype is D.float64 else D.float32

    def vecs(c):
        return [make(rng, (c,), u, 0.5, 2), make(rng, (c,), u), make(rng, (c,), u),
                make(rng, (c,), u, 0.5, 2)]  # fmt: skip

    return [
        Sample([make(rng, (2, 2, 3, 3), dtype), *vecs(3)]),
        Sample([make(rng, (2, 3, 2, 2), dtype), *vecs(3)], {"data_format": "NCHW"}),
        Sample([make(rng, (2, 2, 3, 3), dtype), *vecs(3)], {"is_training": False}),
        Sample([make(rng, (2, 1, 2, 2, 3), dtype), *vecs(3)], {"exponential_avg_factor": 0.3,
                                                              "data_format": "NDHWC"}),
    ]  # fmt: skip


def _np_fbn(x, scale, offset, mean, variance, is_training=True, data_format="NHWC",
            exponential_avg_factor=1.0):  # fmt: skip
    c = 1 if data_format.startswith("NC") else x.ndim - 1
    axes = tuple(i for i in range(x.ndim) if i != c)
    shape = [1] * x.ndim
    shape[c] = -1
    if is_training:
        m, v = x.mean(axes), x.var(axes)
        n = x.size // x.shape[c]
        f = exponential_avg_factor
        run_m = (1 - f) * mean + f * m
        run_v = (1 - f) * variance + f * v * n / (n - 1)
    else:
        m, v, run_m, run_v = mean, variance, mean, variance
    y = (x - m.reshape(shape)) / np.sqrt(v.reshape(shape) + 1e-3) * scale.reshape(shape)
    return [y + offset.reshape(shape), run_m, run_v]


def _lrn_samples(rng, dtype):
    return [
        Sample([make(rng, (1, 2, 2, 6), dtype)], {"depth_radius": 2}),
        Sample([make(rng, (2, 1, 1, 3), dtype)], {"depth_radius": 1, "bias": 2.0, "alpha": 0.5,
                                                  "beta": 0.75}),
        Sample([make(rng, (1, 1, 1, 4), dtype)]),
    ]  # fmt: skip


def _np_lrn(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    d = x.shape[-1]
    sq = np.zeros_like(x)
    for i in range(d):
        lo, hi = max(0, i - depth_radius), min(d, i + depth_radius + 1)
        sq[..., i] = np.sum(x[..., lo:hi] ** 2, axis=-1)
    return x / (bias + alpha * sq) ** beta


def _lrn_grad_samples(rng, dtype):
    x = make(rng, (1, 2, 1, 5), dtype)
    y = _np_lrn(x.astype(np.float64), 2).astype(x.dtype)
    return [Sample([make(rng, (1, 2, 1, 5), dtype), x, y], {"depth_radius": 2}, grad=False)]


def _np_lrn_grad(dy, x, y, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5):
    # The Jacobian-vector product of _np_lrn, by central differences on the exact float64 map.
    eps = 1e-6
    dy, x = dy.astype(np.float64), x.astype(np.float64)
    flat = x.reshape(-1)
    out = np.zeros_like(flat)
    for i in range(flat.size):
        e = np.zeros_like(flat)
        e[i] = eps
        fp = _np_lrn((flat + e).reshape(x.shape), depth_radius, bias, alpha, beta)
        fm = _np_lrn((flat - e).reshape(x.shape), depth_radius, bias, alpha, beta)
        out[i] = np.sum(dy * (fp - fm)) / (2 * eps)
    return out.reshape(x.shape)


# ------------------------------------------------------------------ embeddings


def _emb_samples(rng, dtype):
    return [
        Sample([make(rng, (5, 3), dtype), np.array([0, 4, 2, 4], np.int32)]),
        Sample([make(rng, (4, 2, 2), dtype), np.array([[1, 3], [0, 1]], np.int64)]),
    ] + ([] if dtype.is_integer else [
        Sample([make(rng, (4, 3), dtype, 1, 3), np.array([2, 0], np.int32)], {"max_norm": 1.5}),
    ])  # fmt: skip


def _np_emb(params, ids, max_norm=None):
    out = params[ids]
    if max_norm is not None:
        axes = tuple(range(ids.ndim, out.ndim))
        norm = np.sqrt(np.sum(out**2, axis=axes, keepdims=True))
        out = out * max_norm / np.maximum(norm, max_norm)
    return out


def _emb_sharded(p0, p1, p2, ids, partition_strategy="div"):
    return nn_loss_ops.embedding_lookup_v1([p0, p1, p2], ids, partition_strategy)


def _emb_sharded_samples(rng, dtype):
    # 8 ids over 3 shards: "div" gives sizes 3, 3, 2; "mod" gives 3, 3, 2 as well.
    shards = [make(rng, (3, 2), dtype), make(rng, (3, 2), dtype), make(rng, (2, 2), dtype)]
    ids = np.array([[7, 0], [3, 5], [2, 2]], np.int32)
    return [
        Sample([*shards, ids], {"partition_strategy": "div"}),
        Sample([*shards, ids], {"partition_strategy": "mod"}),
    ]


def _np_emb_sharded(p0, p1, p2, ids, partition_strategy="div"):
    if partition_strategy == "div":
        table = np.concatenate([p0, p1, p2])
    else:
        table = np.zeros((8, 2), p0.dtype)
        for s, p in enumerate((p0, p1, p2)):
            table[s::3] = p
    return table[ids]


# ------------------------------------------------------------------ CTC


def _brute_ctc(logits, labels, blank):
    """-log P(labels | logits) by summing over every alignment ([time, classes] logits)."""
    lp = logits - np.log(np.sum(np.exp(logits), axis=-1, keepdims=True))
    t_len, n_cls = lp.shape
    total = -np.inf
    for path in itertools.product(range(n_cls), repeat=t_len):
        out = [c for i, c in enumerate(path) if c != blank and (i == 0 or path[i - 1] != c)]
        if out == list(labels):
            total = np.logaddexp(total, sum(lp[t, c] for t, c in enumerate(path)))
    return -total


def _ctc_samples(rng, dtype):
    labels = np.array([[1, 2], [2, 2], [1, 0]], np.int32)
    return [
        Sample([labels, make(rng, (4, 3, 3), dtype), np.array([2, 2, 1], np.int32),
                np.array([4, 4, 3], np.int32)]),
        Sample([labels % 2, make(rng, (3, 4, 3), dtype), np.array([2, 2, 1], np.int32),
                np.array([4, 4, 3], np.int32)], {"logits_time_major": False, "blank_index": 2}),
    ]  # fmt: skip


def _np_ctc(labels, logits, label_length, logit_length, logits_time_major=True, blank_index=0):
    if not logits_time_major:
        logits = np.transpose(logits, (1, 0, 2))
    return np.array([
        _brute_ctc(logits[: logit_length[b], b], labels[b, : label_length[b]], blank_index)
        for b in range(labels.shape[0])
    ])  # fmt: skip


def _raw_ctc(inputs, indices, values, seq_len):
    return list(ctc_ops.CTCLoss(inputs, indices, values, seq_len))


def _raw_ctc_samples(rng, dtype):
    idx = np.array([[0, 0], [0, 1], [1, 0]], np.int64)
    return [Sample([make(rng, (3, 2, 3), dtype), idx, np.array([0, 1, 1], np.int32),
                    np.array([3, 2], np.int32)], grad=False)]  # fmt: skip


def _np_raw_ctc(inputs, indices, values, seq_len):
    inputs = inputs.astype(np.float64)
    n_cls = inputs.shape[-1]
    loss, grad = [], np.zeros_like(inputs)
    for b in range(inputs.shape[1]):
        labels = values[indices[:, 0] == b]
        x = inputs[: seq_len[b], b]
        loss.append(_brute_ctc(x, labels, n_cls - 1))
        for t in range(x.shape[0]):
            for c in range(n_cls):
                e = np.zeros_like(x)
                e[t, c] = 1e-6
                fd = _brute_ctc(x + e, labels, n_cls - 1) - _brute_ctc(x - e, labels, n_cls - 1)
                grad[t, b, c] = fd / 2e-6
    return [np.array(loss), grad]


def _greedy(inputs, seq_len, merge_repeated=False, blank_index=-1):
    return list(ctc_ops.CTCGreedyDecoder(inputs, seq_len, merge_repeated=merge_repeated,
                                         blank_index=blank_index))  # fmt: skip


def _greedy_samples(rng, dtype):
    x = make(rng, (5, 2, 3), dtype)
    x[1, 0] = x[0, 0]
    seq = np.array([5, 3], np.int32)
    return [
        Sample([x, seq], grad=False),
        Sample([x, seq], {"merge_repeated": True, "blank_index": 0}, grad=False),
    ]


def _np_greedy(inputs, seq_len, merge_repeated=False, blank_index=-1):
    blank = blank_index % inputs.shape[-1]
    idx, vals, logp, longest = [], [], [], 0
    for b in range(inputs.shape[1]):
        x = inputs[: seq_len[b], b]
        best = x.argmax(-1)
        out = [int(c) for i, c in enumerate(best)
               if c != blank and not (merge_repeated and i > 0 and best[i - 1] == c)]  # fmt: skip
        idx += [[b, i] for i in range(len(out))]
        vals += out
        longest = max(longest, len(out))
        logp.append([-x.max(-1).sum()])
    return [np.array(idx, np.int64).reshape(-1, 2), np.array(vals, np.int64),
            np.array([inputs.shape[1], longest], np.int64), np.array(logp)]  # fmt: skip


# ------------------------------------------------------------------ rows

OPS = [
    OpInfo("nn.relu", tf.nn.relu, lambda x: np.maximum(x, 0), FLOAT + INT,
           samples=_away_from([0.0]), grad2=True),
    OpInfo("nn.relu6", tf.nn.relu6, lambda x: np.clip(x, 0, 6), FLOAT + INT,
           samples=_away_from([0.0, 6.0], -2, 8), grad2=True),
    OpInfo("nn.elu", tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x)), FLOAT,
           samples=_away_from([0.0]), grad2=True),
    OpInfo("nn.selu", tf.nn.selu,
           lambda x: _SELU_S * np.where(x > 0, x, _SELU_A * np.expm1(x)), FLOAT,
           samples=_away_from([0.0]), grad2=True),
    OpInfo("nn.leaky_relu", tf.nn.leaky_relu,
           lambda x, alpha=0.2: np.where(x > 0, x, alpha * x), FLOAT,
           samples=_leaky_samples, grad2=True),
    OpInfo("nn.gelu", tf.nn.gelu, _np_gelu, FLOAT, samples=_gelu_samples, grad2=True),
    OpInfo("nn.silu", tf.nn.silu, lambda x, beta=1.0: x / (1 + np.exp(-beta * x)), FLOAT,
           samples=_silu_samples, grad2=True),
    OpInfo("nn.crelu", tf.nn.crelu, _np_crelu, FLOAT, samples=_crelu_samples),
    OpInfo("nn.softmax", tf.nn.softmax, _np_softmax, FLOAT, samples=_softmax_samples,
           grad2=True),
    OpInfo("nn.log_softmax", tf.nn.log_softmax, _np_log_softmax, FLOAT,
           samples=_softmax_samples, grad2=True),
    OpInfo("nn.bias_add", tf.nn.bias_add, _np_bias_add, _NUMERIC_BIAS, samples=_bias_samples,
           grad2=True),
    OpInfo("raw.BiasAddGrad", lambda dy, data_format="NHWC": nn_ops.BiasAddGrad(
        dy, data_format=data_format), _np_bias_grad, FLOAT, samples=_bias_grad_samples),
    OpInfo("raw.ReluGrad", lambda dy, x: nn_ops.ReluGrad(dy, x),
           lambda dy, x: np.where(x > 0, dy, 0), FLOAT32_64, samples=_grad_pair),
    OpInfo("raw.Relu6Grad", lambda dy, x: nn_ops.Relu6Grad(dy, x),
           lambda dy, x: np.where((x > 0) & (x < 6), dy, 0), FLOAT32_64,
           samples=lambda rng, dt: _grad_pair(rng, dt, -2, 8)),
    OpInfo("raw.EluGrad", lambda dy, y: nn_ops.EluGrad(dy, y),
           lambda dy, y: np.where(y > 0, dy, dy * (y + 1)), FLOAT32_64,
           samples=_elu_grad_samples, grad2=True),
    OpInfo("raw.SeluGrad", lambda dy, y: nn_ops.SeluGrad(dy, y),
           lambda dy, y: np.where(y > 0, _SELU_S * dy, dy * (y + _SELU_S * _SELU_A)), FLOAT32_64,
           samples=_elu_grad_samples, grad2=True),
    OpInfo("raw.LeakyReluGrad", lambda dy, x: nn_ops.LeakyReluGrad(dy, x, alpha=0.3),
           lambda dy, x: np.where(x > 0, dy, 0.3 * dy), FLOAT32_64, samples=_grad_pair),
    OpInfo("nn.softmax_cross_entropy_with_logits", tf.nn.softmax_cross_entropy_with_logits,
           _np_sce, FLOAT, samples=_sce_samples, grad2=True),
    OpInfo("raw.SoftmaxCrossEntropyWithLogits", _raw_sce, _np_raw_sce, FLOAT,
           samples=_raw_sce_samples, grad2=True),
    OpInfo("nn.sparse_softmax_cross_entropy_with_logits",
           tf.nn.sparse_softmax_cross_entropy_with_logits, _np_sparse, FLOAT,
           samples=_sparse_samples, grad2=True),
    OpInfo("raw.SparseSoftmaxCrossEntropyWithLogits", _raw_sparse, _np_raw_sparse, FLOAT,
           samples=_raw_sparse_samples, grad2=True),
    OpInfo("nn.sigmoid_cross_entropy_with_logits", tf.nn.sigmoid_cross_entropy_with_logits,
           _np_sig_ce, FLOAT, samples=_sig_ce_samples, grad2=True),
    OpInfo("nn.weighted_cross_entropy_with_logits", tf.nn.weighted_cross_entropy_with_logits,
           _np_weighted, FLOAT, samples=_weighted_samples, grad2=True),
    OpInfo("nn.log_poisson_loss", tf.nn.log_poisson_loss, _np_poisson, FLOAT,
           samples=_poisson_samples, grad2=True),
    OpInfo("nn.compute_average_loss", tf.nn.compute_average_loss, _np_avg, FLOAT32_64,
           samples=_avg_samples),
    OpInfo("nn.scale_regularization_loss", tf.nn.scale_regularization_loss, np.sum, FLOAT32_64,
           samples=lambda rng, dt: [Sample([make(rng, (3,), dt)])]),
    # No second order: like TensorFlow, the variance treats the mean as a constant
    # (stop_gradient), which is exact to first order only.
    OpInfo("nn.moments", _moments_fn, _np_moments, FLOAT, samples=_moments_samples),
    OpInfo("nn.weighted_moments", _wmoments_fn, _np_wmoments, FLOAT32_64,
           samples=_wmoments_samples, grad2=True),
    OpInfo("nn.normalize_moments", _normalize_fn, _np_normalize, FLOAT32_64,
           samples=_normalize_samples, grad2=True),
    OpInfo("nn.sufficient_statistics",
           lambda x, axes, shift=None, keepdims=False: list(
               tf.nn.sufficient_statistics(x, axes, shift, keepdims)[:3]),
           lambda x, axes, shift=None, keepdims=False: [
               np.asarray(np.prod([x.shape[a] for a in axes]), x.dtype),
               np.sum(x - (shift or 0), tuple(axes), keepdims=keepdims),
               np.sum((x - (shift or 0)) ** 2, tuple(axes), keepdims=keepdims)],
           FLOAT32_64, samples=lambda rng, dt: [
               Sample([make(rng, (3, 4), dt), [0]]),
               Sample([make(rng, (2, 3, 2), dt), [0, 2]], {"shift": 0.5, "keepdims": True})],
           grad2=True),
    OpInfo("nn.batch_normalization", tf.nn.batch_normalization, _np_bn, FLOAT,
           samples=_bn_samples, grad2=True),
    OpInfo("nn.fused_batch_norm", _fbn_y, lambda *a, **k: _np_fbn(*a, **k)[0],
           (D.float16, D.bfloat16, D.float32, D.float64), samples=_fbn_samples, grad2=True,
           grad_argnums=[0, 1, 2]),  # like TensorFlow, no gradient to mean/variance
    OpInfo("nn.fused_batch_norm(all outputs)", _fbn_all, _np_fbn,
           (D.float16, D.bfloat16, D.float32, D.float64), samples=_fbn_samples, grad=False),
    OpInfo("nn.l2_loss", tf.nn.l2_loss, lambda x: np.sum(x * x) / 2, FLOAT, grad2=True),
    OpInfo("nn.local_response_normalization", tf.nn.local_response_normalization, _np_lrn,
           (D.float16, D.bfloat16, D.float32, D.float64), samples=_lrn_samples),
    OpInfo("raw.LRNGrad", nn_norm_ops.lrn_grad, _np_lrn_grad, (D.float32, D.float64),
           samples=_lrn_grad_samples, grad=False, tol={D.float32: (1e-4, 1e-4),
                                                       D.float64: (1e-7, 1e-7)}),
    OpInfo("nn.embedding_lookup", tf.nn.embedding_lookup, _np_emb, FLOAT + (D.int32,),
           samples=_emb_samples),
    OpInfo("nn.embedding_lookup(sharded)", _emb_sharded, _np_emb_sharded, FLOAT32_64,
           samples=_emb_sharded_samples, data_dependent_shape=True),
    OpInfo("nn.ctc_loss", tf.nn.ctc_loss, _np_ctc, FLOAT32_64, samples=_ctc_samples,
           tol={D.float32: (1e-5, 1e-5), D.float64: (1e-9, 1e-9)}),
    OpInfo("raw.CTCLoss", _raw_ctc, _np_raw_ctc, FLOAT32_64, samples=_raw_ctc_samples,
           grad=False, tol={D.float32: (1e-4, 1e-5), D.float64: (1e-7, 1e-7)}),
    OpInfo("raw.CTCGreedyDecoder", _greedy, _np_greedy, FLOAT32_64, samples=_greedy_samples,
           grad=False, data_dependent_shape=True),
]  # fmt: skip
