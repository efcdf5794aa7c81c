"""Non-maximum suppression: the ops NonMaxSuppressionV3/V4/V5, NonMaxSuppressionWithOverlaps and
CombinedNonMaxSuppression, and the public functions over them.

One greedy routine serves them all: candidates leave a max-priority queue (higher score first,
lower index on ties); a candidate overlapping an already selected box by more than the threshold
is dropped (hard NMS) or has its score decayed by `exp(-iou^2 / (2 sigma))` and goes back in the
queue (soft NMS, V5 with soft_nms_sigma > 0).
"""

from __future__ import annotations

import heapq

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, static_value
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.image.color_adjust import host

_HF = (dtypes.float16, dtypes.float32)


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _iou_row(boxes, i, others):
    """IoU of box i with boxes[others], in float32 like TensorFlow's kernel (corners any order)."""
    b = boxes
    y0, y1 = np.minimum(b[:, 0], b[:, 2]), np.maximum(b[:, 0], b[:, 2])
    x0, x1 = np.minimum(b[:, 1], b[:, 3]), np.maximum(b[:, 1], b[:, 3])
    area = (y1 - y0) * (x1 - x0)
    o = np.asarray(others, np.int64)
    ih = np.maximum(np.minimum(y1[i], y1[o]) - np.maximum(y0[i], y0[o]), np.float32(0))
    iw = np.maximum(np.minimum(x1[i], x1[o]) - np.maximum(x0[i], x0[o]), np.float32(0))
    inter = ih * iw
    with np.errstate(divide="ignore", invalid="ignore"):
        iou = inter / (area[i] + area[o] - inter)
    return np.where((area[i] <= 0) | (area[o] <= 0), np.float32(0), iou).astype(np.float32)


def greedy_nms(sim, scores, max_out, threshold, score_threshold, sigma=0.0):
    """Selected indices and their (possibly decayed) scores; `sim(i, js)` gives similarities."""
    scores = np.asarray(scores, np.float32)
    soft = sigma > 0
    scale = np.float32(-0.5 / sigma) if soft else np.float32(0)
    thr, sthr = np.float32(threshold), np.float32(score_threshold)
    heap = [(-float(s), i, 0) for i, s in enumerate(scores) if s > sthr]
    heapq.heapify(heap)
    picked, picked_scores = [], []
    while heap and len(picked) < max_out:
        neg, i, begin = heapq.heappop(heap)
        score = orig = np.float32(-neg)
        sims = sim(i, picked[begin:]) if len(picked) > begin else np.zeros(0, np.float32)
        if not soft:
            if (sims > thr).any():
                continue
        else:
            for s in sims[::-1]:
                score = np.float32(score * np.exp(scale * s * s))
                if score <= sthr:
                    break
        if score == orig:
            picked.append(i)
            picked_scores.append(score)
        elif score > sthr:
            heapq.heappush(heap, (-float(score), i, len(picked)))
    return np.asarray(picked, np.int64), np.asarray(picked_scores, np.float32)


def _check_common(boxes, scores, max_out, iou, overlaps=False):
    if overlaps:
        if boxes.ndim != 2 or boxes.shape[0] != boxes.shape[1]:
            raise _err(f"overlaps must be square: {list(boxes.shape)}")
    elif boxes.ndim != 2 or boxes.shape[1] != 4:
        raise _err(f"boxes must be 2-D with 4 columns: {list(boxes.shape)}")
    if scores.ndim != 1 or scores.shape[0] != boxes.shape[0]:
        raise _err(f"scores has incompatible shape {list(scores.shape)}")
    if int(max_out) < 0:
        raise _err("max_output_size must be non-negative")
    if not overlaps and not 0 <= float(iou) <= 1:
        raise _err("iou_threshold must be in [0, 1]")


def _run(xp, boxes, scores, max_out, iou, score_thr, sigma=0.0, overlaps=False):
    b, s = host(boxes).astype(np.float32), host(scores).astype(np.float32)
    _check_common(b, s, host(max_out), host(iou), overlaps)
    if overlaps:
        sim = lambda i, js: b[i, np.asarray(js, np.int64)]  # noqa: E731
    else:
        sim = lambda i, js: _iou_row(b, i, js)  # noqa: E731
    return greedy_nms(sim, s, int(host(max_out)), float(host(iou)), float(host(score_thr)),
                      float(host(sigma)))  # fmt: skip


def _nms_dtype(n_out, scores_out=False):
    def dtype(dts, attrs):
        if dts[0] not in _HF:
            check_allowed(dts[0], _HF)
        out = [dtypes.int32, dts[0], dtypes.int32] if scores_out else [dtypes.int32, dtypes.int32]
        return dtypes.int32 if n_out == 1 else out[:n_out]

    return dtype


def _nms_shape(n_out):
    def shape(inputs, attrs):
        m = static_value(inputs[2])
        n = int(m) if attrs.get("pad_to_max_output_size") and m is not None else None
        outs = [TensorShape([n])] * (n_out - 1 if n_out > 1 else 1)
        return outs[0] if n_out == 1 else outs + [TensorShape([])]

    return shape


NonMaxSuppressionV3 = defop("NonMaxSuppressionV3", infer=Rule(_nms_dtype(1), _nms_shape(1)))
NonMaxSuppressionV4 = defop("NonMaxSuppressionV4", infer=Rule(_nms_dtype(2), _nms_shape(2)),
                            num_outputs=2)  # fmt: skip
NonMaxSuppressionV5 = defop(
    "NonMaxSuppressionV5", infer=Rule(_nms_dtype(3, True), _nms_shape(3)), num_outputs=3
)
NonMaxSuppressionWithOverlaps = defop(
    "NonMaxSuppressionWithOverlaps", infer=Rule(_nms_dtype(1), _nms_shape(1))
)


def _pad(a, n):
    out = np.zeros(n, a.dtype)
    out[: a.size] = a
    return out


@NonMaxSuppressionV3.kernel
def _(xp, boxes, scores, max_output_size, iou_threshold, score_threshold):
    idx, _ = _run(xp, boxes, scores, max_output_size, iou_threshold, score_threshold)
    return xp.asarray(idx.astype(np.int32))


@NonMaxSuppressionV4.kernel
def _(xp, boxes, scores, max_output_size, iou_threshold, score_threshold,
      pad_to_max_output_size=False):  # fmt: skip
    idx, _ = _run(xp, boxes, scores, max_output_size, iou_threshold, score_threshold)
    n = idx.size
    if pad_to_max_output_size:
        idx = _pad(idx, int(host(max_output_size)))
    return [xp.asarray(idx.astype(np.int32)), xp.asarray(np.int32(n))]


@NonMaxSuppressionV5.kernel
def _(xp, boxes, scores, max_output_size, iou_threshold, score_threshold, soft_nms_sigma,
      pad_to_max_output_size=False):  # fmt: skip
    if float(host(soft_nms_sigma)) < 0:
        raise _err("soft_nms_sigma must be non-negative")
    idx, sc = _run(xp, boxes, scores, max_output_size, iou_threshold, score_threshold,
                   soft_nms_sigma)  # fmt: skip
    n = idx.size
    if pad_to_max_output_size:
        m = int(host(max_output_size))
        idx, sc = _pad(idx, m), _pad(sc, m)
    dt = host(scores).dtype
    return [xp.asarray(idx.astype(np.int32)), xp.asarray(sc.astype(dt)), xp.asarray(np.int32(n))]


@NonMaxSuppressionWithOverlaps.kernel
def _(xp, overlaps, scores, max_output_size, overlap_threshold, score_threshold):
    idx, _ = _run(xp, overlaps, scores, max_output_size, overlap_threshold, score_threshold,
                  overlaps=True)  # fmt: skip
    return xp.asarray(idx.astype(np.int32))


# ------------------------------------------------------------------ CombinedNonMaxSuppression


def _combined_dtype(dts, attrs):
    check_allowed(dts[0], (dtypes.float32,))
    return [dtypes.float32, dtypes.float32, dtypes.float32, dtypes.int32]


def _combined_shape(inputs, attrs):
    b = inputs[0].shape[0] if inputs[0].shape.rank == 4 else None
    per_class, total = static_value(inputs[2]), static_value(inputs[3])
    n = None
    if total is not None:
        n = int(total)
        if attrs.get("pad_per_class"):
            c = inputs[1].shape[2] if inputs[1].shape.rank == 3 else None
            n = None if per_class is None or c is None else min(n, int(per_class) * c)
    return [TensorShape([b, n, 4]), TensorShape([b, n]), TensorShape([b, n]), TensorShape([b])]


CombinedNonMaxSuppression = defop(
    "CombinedNonMaxSuppression", infer=Rule(_combined_dtype, _combined_shape), num_outputs=4
)


@CombinedNonMaxSuppression.kernel
def _(xp, boxes, scores, max_output_size_per_class, max_total_size, iou_threshold,
      score_threshold, pad_per_class=False, clip_boxes=True):  # fmt: skip
    bx, sc = host(boxes).astype(np.float32), host(scores).astype(np.float32)
    per_class, total = int(host(max_output_size_per_class)), int(host(max_total_size))
    iou, sthr = float(host(iou_threshold)), float(host(score_threshold))
    if bx.ndim != 4 or bx.shape[3] != 4:
        raise _err(f"boxes must be 4-D [batch, num_boxes, q, 4]: {list(bx.shape)}")
    if sc.ndim != 3 or sc.shape[:2] != bx.shape[:2]:
        raise _err(f"scores has incompatible shape {list(sc.shape)}")
    batch, n, q, _ = bx.shape
    classes = sc.shape[2]
    if q not in (1, classes):
        raise _err("third dimension of boxes must be either 1 or num classes")
    if per_class <= 0 or total <= 0:
        raise _err("max_output_size_per_class and max_total_size must be > 0")
    if not 0 <= iou <= 1:
        raise _err("iou_threshold must be in [0, 1]")
    size = min(total, per_class * classes) if pad_per_class else total
    out_b = np.zeros((batch, size, 4), np.float32)
    out_s = np.zeros((batch, size), np.float32)
    out_c = np.zeros((batch, size), np.float32)
    valid = np.zeros(batch, np.int32)
    for i in range(batch):
        found = []  # (score, class, box index)
        for c in range(classes):
            cb = bx[i, :, 0 if q == 1 else c]
            idx, s = greedy_nms(lambda j, js: _iou_row(cb, j, js), sc[i, :, c],
                                min(per_class, n), iou, sthr)  # fmt: skip
            found += [(s[k], c, idx[k]) for k in range(idx.size)]
        found.sort(key=lambda t: -t[0])  # stable: ties keep class, then selection order
        found = found[:size]
        valid[i] = len(found)
        for k, (s, c, j) in enumerate(found):
            out_b[i, k] = bx[i, j, 0 if q == 1 else c]
            out_s[i, k], out_c[i, k] = s, c
    if clip_boxes:
        out_b = np.clip(out_b, 0, 1)
    return [xp.asarray(out_b), xp.asarray(out_s), xp.asarray(out_c), xp.asarray(valid)]


not_differentiable(NonMaxSuppressionV3, NonMaxSuppressionV4, NonMaxSuppressionV5,
                   NonMaxSuppressionWithOverlaps, CombinedNonMaxSuppression)  # fmt: skip


# ------------------------------------------------------------------ public functions


def _args(boxes, scores, max_output_size, iou_threshold, score_threshold):
    import tensorflux as tf

    b = tf.convert_to_tensor(boxes, dtype_hint=dtypes.float32)
    s = tf.convert_to_tensor(scores, dtype_hint=b.dtype)
    return (b, s, tf.convert_to_tensor(max_output_size, dtypes.int32),
            tf.convert_to_tensor(iou_threshold, dtypes.float32),
            tf.convert_to_tensor(score_threshold, dtypes.float32))  # fmt: skip


def non_max_suppression(boxes, scores, max_output_size, iou_threshold=0.5,
                        score_threshold=float("-inf"), name=None):  # fmt: skip
    """Greedily picks up to `max_output_size` boxes by descending score, skipping any box whose
    IoU with an already picked one exceeds `iou_threshold` (and any scoring <= score_threshold).

    Args:
      boxes: `[num_boxes, 4]` corners `(y1, x1, y2, x2)` (either diagonal pair).
      scores: `[num_boxes]`.

    Returns:
      int32 `[M]` indices into `boxes`, M <= max_output_size.
    """
    return NonMaxSuppressionV3(*_args(boxes, scores, max_output_size, iou_threshold,
                                      score_threshold), name=name)  # fmt: skip


def non_max_suppression_with_scores(boxes, scores, max_output_size, iou_threshold=0.5,
                                    score_threshold=float("-inf"), soft_nms_sigma=0.0,
                                    name=None):  # fmt: skip
    """`non_max_suppression` that also returns the selected scores; with `soft_nms_sigma` > 0,
    overlapping boxes have their scores decayed by a Gaussian of the IoU instead of being dropped.

    Returns:
      (int32 `[M]` indices, `[M]` scores after decay).
    """
    import tensorflux as tf

    idx, sc, _ = NonMaxSuppressionV5(
        *_args(boxes, scores, max_output_size, iou_threshold, score_threshold),
        tf.convert_to_tensor(soft_nms_sigma, dtypes.float32), pad_to_max_output_size=False,
        name=name)  # fmt: skip
    return idx, sc


def non_max_suppression_padded(boxes, scores, max_output_size, iou_threshold=0.5,
                               score_threshold=float("-inf"), pad_to_max_output_size=False,
                               name=None, sorted_input=False, canonicalized_coordinates=False,
                               tile_size=512):  # fmt: skip
    """`non_max_suppression` returning `(indices, valid_outputs)`; with `pad_to_max_output_size`
    the indices are zero-padded to `max_output_size`. Batched `[batch, num_boxes, 4]` input
    (which requires padding) gives `[batch, max_output_size]` indices and `[batch]` counts.

    `sorted_input`, `canonicalized_coordinates` and `tile_size` are speed hints: the result is
    the same greedy selection either way.
    """
    import tensorflux as tf

    b = tf.convert_to_tensor(boxes, dtype_hint=dtypes.float32)
    rank = b.shape.rank
    if rank is not None and rank > 2:
        if not pad_to_max_output_size:
            raise ValueError(f"'pad_to_max_output_size' (value {pad_to_max_output_size}) must "
                             "be True for batched input")  # fmt: skip
        s = tf.convert_to_tensor(scores, dtype_hint=b.dtype)
        lead = tf.shape(b)[:-2]
        fb = tf.reshape(b, tf.concat([[-1], tf.shape(b)[-2:]], 0))
        fs = tf.reshape(s, tf.concat([[-1], tf.shape(s)[-1:]], 0))

        def one(pair):
            return tuple(NonMaxSuppressionV4(*_args(pair[0], pair[1], max_output_size,
                                                    iou_threshold, score_threshold),
                                             pad_to_max_output_size=True))  # fmt: skip

        idx, valid = tf.map_fn(one, (fb, fs), fn_output_signature=(dtypes.int32, dtypes.int32))
        idx = tf.reshape(idx, tf.concat([lead, [-1]], 0))
        return idx, tf.reshape(valid, lead)
    return tuple(
        NonMaxSuppressionV4(
            *_args(b, scores, max_output_size, iou_threshold, score_threshold),
            pad_to_max_output_size=pad_to_max_output_size,
            name=name,
        )
    )


def non_max_suppression_overlaps(overlaps, scores, max_output_size, overlap_threshold=0.5,
                                 score_threshold=float("-inf"), name=None):  # fmt: skip
    """Greedy selection like `non_max_suppression`, with pairwise similarities given directly as
    an `[num_boxes, num_boxes]` `overlaps` matrix instead of computed IoUs."""
    return NonMaxSuppressionWithOverlaps(*_args(overlaps, scores, max_output_size,
                                                overlap_threshold, score_threshold),
                                         name=name)  # fmt: skip


def combined_non_max_suppression(boxes, scores, max_output_size_per_class, max_total_size,
                                 iou_threshold=0.5, score_threshold=float("-inf"),
                                 pad_per_class=False, clip_boxes=True, name=None):  # fmt: skip
    """Per-class greedy NMS over a batch, merged across classes by score.

    Args:
      boxes: float32 `[batch, num_boxes, q, 4]` (q is 1 for boxes shared by all classes, else
        num_classes).
      scores: float32 `[batch, num_boxes, num_classes]`.
      max_output_size_per_class, max_total_size: selection limits per class and per image.
      pad_per_class: output `min(max_total_size, max_output_size_per_class * num_classes)`
        detections per image instead of `max_total_size`.
      clip_boxes: clip the output boxes to [0, 1].

    Returns:
      (nmsed_boxes `[batch, n, 4]`, nmsed_scores `[batch, n]`, nmsed_classes `[batch, n]`
      (float32), valid_detections int32 `[batch]`), zero-padded past the valid detections.
    """
    import tensorflux as tf

    return tuple(CombinedNonMaxSuppression(
        tf.convert_to_tensor(boxes, dtypes.float32), tf.convert_to_tensor(scores, dtypes.float32),
        tf.convert_to_tensor(max_output_size_per_class, dtypes.int32),
        tf.convert_to_tensor(max_total_size, dtypes.int32),
        tf.convert_to_tensor(iou_threshold, dtypes.float32),
        tf.convert_to_tensor(score_threshold, dtypes.float32),
        pad_per_class=pad_per_class, clip_boxes=clip_boxes, name=name))  # fmt: skip
