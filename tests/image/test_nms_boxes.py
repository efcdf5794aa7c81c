"""tf.image non-max suppression, draw_bounding_boxes, sample_distorted_bounding_box (expected values printed by TensorFlow 2.21, hard-coded)."""

import numpy as np
import pytest

import tensorflux as tf

NB = np.array([[0, 0, 1, 1], [0, 0.1, 1, 1.1], [0, -0.1, 1, 0.9], [0, 10, 1, 11], [0, 10.1, 1, 11.1],
               [0, 100, 1, 101]], np.float32)  # fmt: skip
NS = np.array([0.9, 0.75, 0.6, 0.95, 0.5, 0.3], np.float32)
OV = np.array([[1, 0.7, 0.2], [0.7, 1, 0.4], [0.2, 0.4, 1]], np.float32)
CB = np.array([[[[0, 0, 0.5, 0.5]], [[0, 0.05, 0.5, 0.55]], [[0.5, 0.5, 1.2, 1.1]],
                [[-0.1, 0.6, 0.3, 0.9]]]], np.float32)  # fmt: skip
CS = np.array([[[0.9, 0.1], [0.8, 0.7], [0.3, 0.6], [0.2, 0.65]]], np.float32)
DI = np.zeros((1, 5, 6, 3), np.float32)
DB = np.array([[[0.25, 0.2, 0.75, 0.8], [-0.5, 0.5, 0.5, 1.5]]], np.float32)
NMS = [3, 0, 5]
NMS_ALL = [3, 0, 5]
NMS_THR = [3, 0]
SOFT_I = [3, 0, 1, 5, 4, 2]
SOFT_S = [0.95, 0.9, 0.384004, 0.3, 0.256003, 0.196972]
SOFT2_I = [3, 0]
SOFT2_S = [0.95, 0.9]
PAD_I = [3, 0, 5, 0, 0]
PAD_V = 3
OVL = [1, 2]
COMB = [
    [
        [
            [0.0, 0.0, 0.5, 0.5],
            [0.0, 0.05, 0.5, 0.55],
            [0.0, 0.6, 0.3, 0.9],
            [0.5, 0.5, 1.0, 1.0],
            [0.0, 0.0, 0.0, 0.0],
        ]
    ],
    [[0.9, 0.7, 0.65, 0.3, 0.0]],
    [[0.0, 1.0, 1.0, 0.0, 0.0]],
    [4],
]
COMB_PAD = [
    [[[0.0, 0.0, 0.5, 0.5], [0.0, 0.05, 0.5, 0.55], [0.0, 0.6, 0.3, 0.9], [0.5, 0.5, 1.0, 1.0]]],
    [[0.9, 0.7, 0.65, 0.3]],
    [[0.0, 1.0, 1.0, 0.0]],
    [4],
]
COMB_NOCLIP = [
    [[[0.0, 0.0, 0.5, 0.5], [0.0, 0.05, 0.5, 0.55], [-0.1, 0.6, 0.3, 0.9]]],
    [[0.9, 0.7, 0.65]],
    [[0.0, 1.0, 1.0]],
    [3],
]
DRAW = [
    [
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [1.0, 0.5, 0.25],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
    ],
    [
        [0.0, 0.0, 0.0],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [0.0, 0.0, 0.0],
    ],
    [
        [0.0, 0.0, 0.0],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
    ],
    [
        [0.0, 0.0, 0.0],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [1.0, 0.5, 0.25],
        [0.0, 0.0, 0.0],
    ],
    [
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
    ],
]
DRAW_DEFAULT = [
    [
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
    ],
    [
        [0.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [1.0, 1.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 0.0, 0.0],
    ],
    [
        [0.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, 1.0],
    ],
    [
        [0.0, 0.0, 0.0],
        [1.0, 1.0, 0.0],
        [1.0, 1.0, 0.0],
        [1.0, 1.0, 0.0],
        [1.0, 1.0, 0.0],
        [0.0, 0.0, 0.0],
    ],
    [
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0],
    ],
]


def close(a, b, atol=1e-5):
    np.testing.assert_allclose(np.asarray(a, np.float64), np.asarray(b, np.float64), atol=atol)


def test_non_max_suppression():
    np.testing.assert_array_equal(tf.image.non_max_suppression(NB, NS, 3, 0.5), NMS)
    np.testing.assert_array_equal(tf.image.non_max_suppression(NB, NS, 10, 0.5), NMS_ALL)
    np.testing.assert_array_equal(tf.image.non_max_suppression(NB, NS, 10, 0.5, 0.4), NMS_THR)
    f = tf.function(lambda b, s: tf.image.non_max_suppression(b, s, 10, 0.5))
    np.testing.assert_array_equal(f(NB, NS), NMS_ALL)
    with pytest.raises(tf.errors.InvalidArgumentError, match="iou_threshold must be in"):
        tf.image.non_max_suppression(NB, NS, 3, 1.5)


def test_soft_nms_and_padded():
    i, s = tf.image.non_max_suppression_with_scores(NB, NS, 6, 1.0, soft_nms_sigma=0.5)
    np.testing.assert_array_equal(i, SOFT_I)
    close(s, SOFT_S)
    i, s = tf.image.non_max_suppression_with_scores(NB, NS, 6, 0.5, score_threshold=0.4,
                                                    soft_nms_sigma=0.1)  # fmt: skip
    np.testing.assert_array_equal(i, SOFT2_I)
    close(s, SOFT2_S)
    i, v = tf.image.non_max_suppression_padded(NB, NS, 5, 0.5, pad_to_max_output_size=True)
    np.testing.assert_array_equal(i, PAD_I)
    assert int(v) == PAD_V
    bi, bv = tf.image.non_max_suppression_padded(np.stack([NB, NB]), np.stack([NS, NS]), 5, 0.5,
                                                 pad_to_max_output_size=True)  # fmt: skip
    np.testing.assert_array_equal(bi, [PAD_I, PAD_I])
    np.testing.assert_array_equal(bv, [PAD_V, PAD_V])
    with pytest.raises(ValueError, match="must be True for batched input"):
        tf.image.non_max_suppression_padded(np.stack([NB]), np.stack([NS]), 5)


def test_overlaps_and_combined():
    got = tf.image.non_max_suppression_overlaps(OV, np.array([0.5, 0.9, 0.7], np.float32), 3, 0.5)
    np.testing.assert_array_equal(got, OVL)
    for kw, want in [({}, COMB), ({"pad_per_class": True}, COMB_PAD)]:
        out = tf.image.combined_non_max_suppression(CB, CS, 2, 5, 0.5, 0.25, **kw)
        for o, w in zip(out, want):
            close(o, w)
    out = tf.image.combined_non_max_suppression(CB, CS, 2, 3, 0.5, clip_boxes=False)
    for o, w in zip(out, COMB_NOCLIP):
        close(o, w)
    assert out[3].dtype == tf.int32 and out[2].dtype == tf.float32


def test_draw_bounding_boxes():
    close(tf.image.draw_bounding_boxes(DI, DB, np.array([[1, 0.5, 0.25, 1]], np.float32))[0], DRAW)
    close(tf.image.draw_bounding_boxes(DI, DB, np.zeros((0, 4), np.float32))[0], DRAW_DEFAULT)
    close(tf.image.draw_bounding_boxes(DI, DB, None)[0], DRAW_DEFAULT)


def test_sample_distorted_bounding_box_contract():
    box = [[[0.2, 0.3, 0.5, 0.9]]]
    for i in range(30):
        begin, size, bbox = tf.image.stateless_sample_distorted_bounding_box(
            [30, 50, 3], box, seed=[i, 1], min_object_covered=0.5, area_range=(0.1, 0.9)
        )
        (y, x, z), (h, w, c) = begin.numpy(), size.numpy()
        assert z == 0 and c == -1 and y + h <= 30 and x + w <= 50
        if (h, w) != (30, 50):
            assert 0.1 <= h * w / 1500 <= 0.9 and 0.6 <= w / h <= 1.5
            ih = max(min(15, y + h) - max(6, y), 0)
            iw = max(min(45, x + w) - max(15, x), 0)
            assert ih * iw / (9 * 30) >= 0.5
        close(bbox, [[[y / 30, x / 50, (y + h) / 30, (x + w) / 50]]])
    a = tf.image.stateless_sample_distorted_bounding_box([30, 50, 3], box, seed=[7, 7])
    b = tf.image.stateless_sample_distorted_bounding_box([30, 50, 3], box, seed=[7, 7])
    for p, q in zip(a, b):
        np.testing.assert_array_equal(p, q)
    begin, size, _ = tf.image.sample_distorted_bounding_box(np.array([10, 20, 3], np.int64), box)
    assert begin.dtype == tf.int64 and size.shape == (3,)


def test_sample_distorted_bounding_box_errors_and_fallback():
    empty = np.zeros((1, 0, 4), np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="No bounding boxes provided"):
        tf.image.sample_distorted_bounding_box([10, 20, 3], empty)
    begin, size, bbox = tf.image.sample_distorted_bounding_box(
        [10, 20, 3],
        empty,
        use_image_if_no_bounding_boxes=True,
        min_object_covered=1.0,
        area_range=(1.0, 1.0),
        aspect_ratio_range=(2.0, 2.0),
    )
    np.testing.assert_array_equal(begin, [0, 0, 0])
    np.testing.assert_array_equal(size, [10, 20, -1])
    for kw, msg in [
        ({"min_object_covered": -1.0}, "Min object covered must be non-negative"),
        ({"area_range": [0.0, 1.0]}, "Area range must be non-negative"),
    ]:
        with pytest.raises(tf.errors.InvalidArgumentError, match=msg):
            tf.image.sample_distorted_bounding_box([10, 20, 3], [[[0.1, 0.1, 0.2, 0.9]]], **kw)
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be in \\[0.0, 1.0\\]"):
        tf.image.sample_distorted_bounding_box([10, 20, 3], [[[0.1, 0.1, 1.2, 0.9]]])
