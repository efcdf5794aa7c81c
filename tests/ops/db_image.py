"""Harness rows for the tf.image ops (HSV, hue/saturation, crop_and_resize, patches, glimpses,
non-max suppression, box drawing), with naive per-pixel / per-box NumPy references."""

import colorsys

import numpy as np

import tensorflux as tf
from tests.ops.harness import OpInfo, Sample, make

F16_32 = (tf.float16, tf.float32)
FLOAT = (tf.float16, tf.bfloat16, tf.float32, tf.float64)
LOOSE = {tf.float16: (2e-2, 2e-2), tf.bfloat16: (5e-2, 5e-2), tf.float32: (1e-5, 2e-5)}


def _per_pixel(fn, x):
    flat = np.asarray(x, np.float64).reshape(-1, 3)
    return np.array([fn(*p) for p in flat]).reshape(np.shape(x))


def _rgb_samples(rng, dtype):
    return [Sample([make(rng, s, dtype, 0.0, 1.0)]) for s in [(3,), (4, 3), (2, 3, 5, 3)]]


def _hsv_samples(rng, dtype):
    out = []
    for s in [(3,), (4, 3), (2, 3, 5, 3)]:
        out.append(Sample([make(rng, s, dtype, 0.0, 0.99)], grad=False))
    return out


def _adjust_ref(fn):
    def ref(x, amount):
        return _per_pixel(lambda r, g, b: colorsys.hsv_to_rgb(*fn(*colorsys.rgb_to_hsv(r, g, b),
                                                                    amount)), x)  # fmt: skip

    return ref


def _hue(h, s, v, d):
    return (h + d) % 1.0, s, v


def _sat(h, s, v, k):
    return h, min(max(s * k, 0.0), 1.0), v


def _adjust_samples(amounts):
    def samples(rng, dtype):
        return [Sample([make(rng, (3, 4, 3), dtype, 0.0, 1.0), a], grad=False) for a in amounts]

    return samples


# ------------------------------------------------------------------ crop_and_resize


def _crop_ref(image, boxes, box_ind, crop_size, method="bilinear", extrapolation_value=0.0):
    img = np.asarray(image, np.float64)
    _, h, w, d = img.shape
    ch, cw = crop_size
    out = np.zeros((len(boxes), ch, cw, d))
    for n, (y1, x1, y2, x2) in enumerate(np.asarray(boxes, np.float64)):
        for i in range(ch):
            y = (y1 + i * (y2 - y1) / (ch - 1)) * (h - 1) if ch > 1 else (y1 + y2) / 2 * (h - 1)
            for j in range(cw):
                x = (x1 + j * (x2 - x1) / (cw - 1)) * (w - 1) if cw > 1 else (x1 + x2) / 2 * (w - 1)
                if not (0 <= y <= h - 1 and 0 <= x <= w - 1):
                    out[n, i, j] = extrapolation_value
                    continue
                im = img[box_ind[n]]
                if method == "nearest":
                    out[n, i, j] = im[int(np.floor(y + 0.5)), int(np.floor(x + 0.5))]
                    continue
                y0, x0 = int(np.floor(y)), int(np.floor(x))
                y1_, x1_ = min(y0 + 1, h - 1), min(x0 + 1, w - 1)
                fy, fx = y - y0, x - x0
                top = im[y0, x0] * (1 - fx) + im[y0, x1_] * fx
                bot = im[y1_, x0] * (1 - fx) + im[y1_, x1_] * fx
                out[n, i, j] = top * (1 - fy) + bot * fy
    return out.astype(np.float32)


_BOXES = np.array([[0.1, 0.2, 0.8, 0.88], [-0.2, 0.3, 0.5, 1.3], [0.9, 0.8, 0.15, 0.2]], np.float32)


def _crop_samples(rng, dtype):
    img = make(rng, (2, 5, 6, 2), dtype, 0, 5)
    ind = np.array([0, 1, 1], np.int32)
    return [
        Sample([img, _BOXES, ind, [3, 4]]),
        Sample([img, _BOXES, ind, [1, 2]], {"method": "nearest", "extrapolation_value": -1.0}),
        Sample([img, _BOXES[:0], ind[:0], [2, 2]]),
    ]


# ------------------------------------------------------------------ patches and glimpses


def _patches_ref(images, sizes, strides, rates, padding):
    x = np.asarray(images)
    b, h, w, d = x.shape
    (kr, kc), (sr, sc), (rr, rc) = sizes[1:3], strides[1:3], rates[1:3]
    er, ec = kr + (kr - 1) * (rr - 1), kc + (kc - 1) * (rc - 1)
    if padding == "VALID":
        orow, ocol, pr, pc = (h - er) // sr + 1, (w - ec) // sc + 1, 0, 0
    else:
        orow, ocol = -(-h // sr), -(-w // sc)
        pr = max((orow - 1) * sr + er - h, 0) // 2
        pc = max((ocol - 1) * sc + ec - w, 0) // 2
    out = np.zeros((b, max(orow, 0), max(ocol, 0), kr * kc * d), x.dtype)
    for i in range(max(orow, 0)):
        for j in range(max(ocol, 0)):
            vals = []
            for a in range(kr):
                for c in range(kc):
                    r, q = i * sr + a * rr - pr, j * sc + c * rc - pc
                    inside = 0 <= r < h and 0 <= q < w
                    vals.append(x[:, r, q] if inside else np.zeros((b, d), x.dtype))
            out[:, i, j] = np.concatenate(vals, -1)
    return out


def _patches_samples(rng, dtype):
    x = make(rng, (2, 5, 6, 2), dtype)
    return [
        Sample([x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 1, 1], "VALID"]),
        Sample([x, [1, 2, 2, 1], [1, 2, 3, 1], [1, 2, 1, 1], "SAME"]),
        Sample([x, [1, 3, 1, 1], [1, 1, 2, 1], [1, 1, 1, 1], "SAME"]),
    ]


def _glimpse_ref(x, size, offsets, centered=True, normalized=True, noise="zero"):
    x = np.asarray(x)
    b, h, w, d = x.shape
    gh, gw = size
    out = np.zeros((b, gh, gw, d), np.float32)
    for n, (oy, ox) in enumerate(offsets):
        y0 = int(oy * h / 2 + h / 2 - gh / 2)  # centered, normalized: the window's center
        x0 = int(ox * w / 2 + w / 2 - gw / 2)
        for i in range(gh):
            for j in range(gw):
                if 0 <= y0 + i < h and 0 <= x0 + j < w:
                    out[n, i, j] = x[n, y0 + i, x0 + j]
    return out


def _glimpse_samples(rng, dtype):
    x = make(rng, (2, 6, 7, 2), dtype)
    off = np.array([[0.1, -0.5], [0.9, 0.95]], np.float32)
    return [
        Sample([x, [3, 4], off], {"noise": "zero"}),
        Sample([x, [6, 7], off * 0], {"noise": "zero"}),
    ]


# ------------------------------------------------------------------ non-max suppression


def _iou(a, b):
    ay0, ay1, ax0, ax1 = min(a[0], a[2]), max(a[0], a[2]), min(a[1], a[3]), max(a[1], a[3])
    by0, by1, bx0, bx1 = min(b[0], b[2]), max(b[0], b[2]), min(b[1], b[3]), max(b[1], b[3])
    aa, ab = (ay1 - ay0) * (ax1 - ax0), (by1 - by0) * (bx1 - bx0)
    if aa <= 0 or ab <= 0:
        return 0.0
    inter = max(min(ay1, by1) - max(ay0, by0), 0) * max(min(ax1, bx1) - max(ax0, bx0), 0)
    return inter / (aa + ab - inter)


def _greedy(sim, scores, k, thr, sthr):
    order = sorted(range(len(scores)), key=lambda i: -float(scores[i]))
    picked = []
    for i in order:
        if len(picked) >= k or scores[i] <= sthr:
            break
        if all(sim(i, j) <= thr for j in picked):
            picked.append(i)
    return picked


def _nms_ref(boxes, scores, k, iou=0.5, sthr=float("-inf")):
    b = np.asarray(boxes, np.float64)
    return np.array(_greedy(lambda i, j: _iou(b[i], b[j]), scores, k, iou, sthr), np.int32)


def _nms_padded_ref(boxes, scores, k, iou=0.5, sthr=float("-inf"), pad_to_max_output_size=False):
    idx = _nms_ref(boxes, scores, k, iou, sthr)
    n = idx.size
    if pad_to_max_output_size:
        idx = np.concatenate([idx, np.zeros(k - n, np.int32)])
    return idx, np.int32(n)


def _nms_scores_ref(boxes, scores, k, iou=0.5, sthr=float("-inf")):
    idx = _nms_ref(boxes, scores, k, iou, sthr)
    return idx, np.asarray(scores)[idx]


def _overlaps_ref(ov, scores, k, thr=0.5, sthr=float("-inf")):
    return np.array(_greedy(lambda i, j: ov[i, j], scores, k, thr, sthr), np.int32)


def _boxes(rng, n):
    c = rng.uniform(0.2, 0.8, (n, 2))
    s = rng.uniform(0.05, 0.3, (n, 2))
    return np.concatenate([c - s, c + s], 1).astype(np.float32)


def _nms_samples(extra):
    def samples(rng, dtype):
        out = []
        for n, k, iou, st in [(12, 5, 0.5, float("-inf")), (15, 20, 0.2, 0.3), (0, 3, 0.5, 0.0)]:
            s = rng.permutation(n).astype(dtype.as_numpy_dtype) / max(n, 1)  # distinct scores
            out.append(Sample([_boxes(rng, n).astype(dtype.as_numpy_dtype), s, k, iou, st],
                              dict(extra), grad=False))  # fmt: skip
        return out

    return samples


def _overlap_samples(rng, dtype):
    out = []
    for n, k in [(8, 4), (10, 10)]:
        ov = rng.uniform(0, 1, (n, n)).astype(np.float32)
        out.append(Sample([ov, rng.permutation(n).astype(np.float32), k, 0.6, 1.0], grad=False))
    return out


def _combined_ref(boxes, scores, per_class, total, iou=0.5, sthr=float("-inf"),
                  pad_per_class=False, clip_boxes=True):  # fmt: skip
    b = np.asarray(boxes, np.float64)
    batch, n, q, _ = b.shape
    classes = scores.shape[2]
    size = min(total, per_class * classes) if pad_per_class else total
    ob, os_, oc = np.zeros((batch, size, 4)), np.zeros((batch, size)), np.zeros((batch, size))
    valid = np.zeros(batch, np.int32)
    for i in range(batch):
        found = []
        for c in range(classes):
            cb = b[i, :, 0 if q == 1 else c]
            sel = _greedy(lambda x, y: _iou(cb[x], cb[y]), scores[i, :, c], per_class, iou, sthr)
            found += [(scores[i, j, c], c, cb[j]) for j in sel]
        found = sorted(found, key=lambda t: -t[0])[:size]
        valid[i] = len(found)
        for k, (s, c, bx) in enumerate(found):
            ob[i, k], os_[i, k], oc[i, k] = np.clip(bx, 0, 1) if clip_boxes else bx, s, c
    f = np.float32
    return ob.astype(f), os_.astype(f), oc.astype(f), valid


def _combined_samples(rng, dtype):
    out = []
    for q, pad, clip in [(1, False, True), (3, True, False)]:
        bx = np.stack([_boxes(rng, 2 * 9).reshape(2, 9, 4) for _ in range(q)], 2) * 1.2 - 0.1
        sc = rng.permutation(2 * 9 * 3).reshape(2, 9, 3).astype(np.float32) / 54
        out.append(Sample([bx.astype(np.float32), sc, 3, 7, 0.4, 0.1],
                          {"pad_per_class": pad, "clip_boxes": clip}, grad=False))  # fmt: skip
    return out


# ------------------------------------------------------------------ draw_bounding_boxes


def _draw_ref(images, boxes, colors):
    img = np.array(images, copy=True)
    _, h, w, d = img.shape
    for i in range(img.shape[0]):
        for j, (y0, x0, y1, x1) in enumerate(boxes[i]):
            col = colors[j % len(colors), :d]
            r0, c0 = int(np.float32(y0) * (h - 1)), int(np.float32(x0) * (w - 1))
            r1, c1 = int(np.float32(y1) * (h - 1)), int(np.float32(x1) * (w - 1))
            if r0 > r1 or c0 > c1:
                continue
            for r in range(h):
                for c in range(w):
                    on_row = (r == r0 or r == r1) and c0 <= c <= c1
                    on_col = (c == c0 or c == c1) and r0 <= r <= r1
                    if on_row or on_col:
                        img[i, r, c] = col
    return img


def _draw_samples(rng, dtype):
    img = make(rng, (2, 7, 9, 3), dtype, 0, 1)
    bx = rng.uniform(-0.2, 1.2, (2, 5, 4)).astype(np.float32)
    bx[:, :3, 2:] = bx[:, :3, :2] + np.abs(bx[:, :3, 2:] - bx[:, :3, :2])
    cols = np.array([[1, 0.5, 0, 1], [0, 0, 1, 1]], np.float32)
    return [Sample([img, bx, cols], grad=False)]


OPS = [
    OpInfo("image.rgb_to_hsv", tf.image.rgb_to_hsv,
           lambda x: _per_pixel(colorsys.rgb_to_hsv, x), FLOAT, samples=_rgb_samples, tol=LOOSE),
    OpInfo("image.hsv_to_rgb", tf.image.hsv_to_rgb,
           lambda x: _per_pixel(colorsys.hsv_to_rgb, x), FLOAT, samples=_hsv_samples, grad=False,
           tol=LOOSE),
    OpInfo("image.adjust_hue", tf.image.adjust_hue, _adjust_ref(_hue), F16_32, grad=False,
           samples=_adjust_samples([0.0, 0.3, -0.45, 0.9]), tol=LOOSE),
    OpInfo("image.adjust_saturation", tf.image.adjust_saturation, _adjust_ref(_sat), F16_32,
           grad=False, samples=_adjust_samples([0.0, 0.5, 1.7]), tol=LOOSE),
    OpInfo("image.crop_and_resize", tf.image.crop_and_resize, _crop_ref,
           (tf.float32, tf.float64, tf.int32, tf.uint8), samples=_crop_samples,
           result_dtype=lambda dt: tf.float32, grad=False, tol=LOOSE),
    OpInfo("image.extract_patches", tf.image.extract_patches, _patches_ref,
           FLOAT + (tf.int32, tf.uint8), samples=_patches_samples, grad2=True),
    OpInfo("image.extract_glimpse", tf.image.extract_glimpse, _glimpse_ref, (tf.float32,),
           samples=_glimpse_samples, grad=False),
    OpInfo("image.non_max_suppression", tf.image.non_max_suppression, _nms_ref, F16_32,
           samples=_nms_samples({}), result_dtype=lambda dt: tf.int32, grad=False,
           data_dependent_shape=True),
    OpInfo("image.non_max_suppression_padded", tf.image.non_max_suppression_padded,
           _nms_padded_ref, F16_32, samples=_nms_samples({"pad_to_max_output_size": True}),
           result_dtype=lambda dt: tf.int32, grad=False),
    OpInfo("image.non_max_suppression_with_scores", tf.image.non_max_suppression_with_scores,
           _nms_scores_ref, F16_32, samples=_nms_samples({}), result_dtype=lambda dt: tf.int32,
           grad=False, data_dependent_shape=True),
    OpInfo("image.non_max_suppression_overlaps", tf.image.non_max_suppression_overlaps,
           _overlaps_ref, (tf.float32,), samples=_overlap_samples,
           result_dtype=lambda dt: tf.int32, grad=False, data_dependent_shape=True),
    OpInfo("image.combined_non_max_suppression", tf.image.combined_non_max_suppression,
           _combined_ref, (tf.float32,), samples=_combined_samples, grad=False),
    OpInfo("image.draw_bounding_boxes", tf.image.draw_bounding_boxes, _draw_ref, F16_32,
           samples=_draw_samples, grad=False),
]  # fmt: skip
