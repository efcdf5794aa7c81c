"""tf.signal.frame, overlap_and_add and the window functions (expected values from TF 2.21)."""

import numpy as np
import pytest

import tensorflux as tf


def _close(a, b, tol=1e-6):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


def test_frame():
    s = tf.range(10.0)
    assert tf.signal.frame(s, 4, 3).numpy().tolist() == [
        [0, 1, 2, 3],
        [3, 4, 5, 6],
        [6, 7, 8, 9],
    ]
    padded = tf.signal.frame(s, 4, 3, pad_end=True, pad_value=-1.0)
    assert padded.numpy()[-1].tolist() == [9, -1, -1, -1]
    assert tf.signal.frame(s, 12, 3).shape == (0, 12)
    long = tf.signal.frame(s, 12, 3, pad_end=True)
    assert long.shape == (4, 12) and long.numpy()[3].tolist() == [9] + [0] * 11
    m = tf.reshape(tf.range(12), [6, 2])
    assert tf.signal.frame(m, 3, 2, axis=0).shape == (2, 3, 2)
    assert tf.signal.frame(m, 3, 2, axis=-2).numpy().tolist() == [
        [[0, 1], [2, 3], [4, 5]],
        [[4, 5], [6, 7], [8, 9]],
    ]
    assert tf.signal.frame(tf.constant([b"a", b"b", b"c"]), 2, 1).numpy().tolist() == [
        [b"a", b"b"],
        [b"b", b"c"],
    ]
    assert tf.signal.frame(tf.zeros([0]), 4, 3).shape == (0, 4)
    assert tf.signal.frame(tf.zeros([0]), 4, 3, pad_end=True).shape == (0, 4)
    assert tf.signal.frame(s, 0, 2).shape == (6, 0)
    assert tf.signal.frame(s, tf.constant(4), tf.constant(3)).shape == (3, 4)


def test_frame_errors():
    with pytest.raises(ValueError, match="rank at least 1"):
        tf.signal.frame(tf.constant(1.0), 3, 2)
    with pytest.raises(ValueError, match="must have rank 0"):
        tf.signal.frame(tf.range(10.0), [4], 3)


def test_frame_static_shapes():
    seen = {}

    @tf.function(
        input_signature=[
            tf.TensorSpec([None, 10], tf.float32),
            tf.TensorSpec([None, None], tf.float32),
            tf.TensorSpec(None, tf.float32),
        ]
    )
    def f(a, b, c):
        seen["a"] = tf.signal.frame(a, 4, 3).shape.as_list()
        seen["a_pad"] = tf.signal.frame(a, 4, 3, pad_end=True).shape.as_list()
        seen["b"] = tf.signal.frame(b, 4, 3).shape.as_list()
        seen["b0"] = tf.signal.frame(b, 4, 3, axis=0).shape.as_list()
        seen["c"] = tf.signal.frame(c, 4, 3).shape.rank
        seen["ola"] = tf.signal.overlap_and_add(tf.reshape(a, [-1, 5, 2]), 1).shape.as_list()
        return tf.signal.frame(b, 4, 3, pad_end=True)

    out = f(tf.ones([2, 10]), tf.ones([3, 5]), tf.ones([7]))
    assert out.shape == (3, 2, 4)
    assert seen == {
        "a": [None, 3, 4],
        "a_pad": [None, 4, 4],
        "b": [None, None, 4],
        "b0": [None, 4, None],
        "c": None,
        "ola": [None, 6],
    }


def test_overlap_and_add():
    fr = tf.reshape(tf.range(12.0), [2, 3, 2])
    assert tf.signal.overlap_and_add(fr, 1).numpy().tolist() == [[0, 3, 7, 5], [6, 15, 19, 11]]
    assert tf.signal.overlap_and_add(fr, 3).numpy().tolist() == [
        [0, 1, 0, 2, 3, 0, 4, 5],
        [6, 7, 0, 8, 9, 0, 10, 11],
    ]
    gaps = tf.signal.overlap_and_add(tf.reshape(tf.range(6.0), [3, 2]), 5)
    assert gaps.numpy().tolist() == [0, 1, 0, 0, 0, 2, 3, 0, 0, 0, 4, 5]
    ints = tf.signal.overlap_and_add(tf.reshape(tf.range(6), [3, 2]), 1)
    assert ints.dtype == tf.int32 and ints.numpy().tolist() == [0, 3, 7, 5]
    assert tf.signal.overlap_and_add(tf.zeros([0, 4]), 2).numpy().tolist() == [0, 0]
    assert tf.signal.overlap_and_add(fr, tf.constant(1)).shape == (2, 4)
    with pytest.raises(ValueError, match="rank at least 2"):
        tf.signal.overlap_and_add(tf.range(3.0), 1)


def test_frame_and_overlap_add_gradients():
    x = tf.constant(np.arange(10.0))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.signal.overlap_and_add(tf.signal.frame(x, 4, 2), 2)
    # Each sample's gradient counts the frames that contain it.
    assert tape.gradient(y, x).numpy().tolist() == [1, 1, 2, 2, 2, 2, 2, 2, 1, 1]


def test_windows():
    _close(tf.signal.hann_window(4), [0, 0.5, 1, 0.5])
    # As in TensorFlow, `periodic` leaves odd lengths symmetric.
    _close(tf.signal.hann_window(5), [0, 0.5, 1, 0.5, 0])
    _close(tf.signal.hann_window(5, periodic=False), [0, 0.5, 1, 0.5, 0])
    _close(tf.signal.hann_window(1), [1])
    assert tf.signal.hann_window(0).shape == (0,)
    ham = tf.signal.hamming_window(4, dtype=tf.float64)
    assert ham.dtype == tf.float64
    _close(ham, [0.08, 0.54, 1, 0.54])
    _close(tf.signal.hann_window(tf.constant(4)), [0, 0.5, 1, 0.5])
    _close(tf.signal.kaiser_window(5), [5.2773448e-05, 0.21567266, 1, 0.21567266, 5.2773448e-05])
    _close(tf.signal.kaiser_window(1), [1])
    kbd6 = [0.00713103, 0.70710677, 0.99997455, 0.99997455, 0.70710677, 0.00713103]
    _close(tf.signal.kaiser_bessel_derived_window(6), kbd6)
    _close(
        tf.signal.kaiser_bessel_derived_window(5), [0.00726415, 0.9999736, 0.9999736, 0.00726415]
    )
    assert tf.signal.kaiser_bessel_derived_window(1).shape == (0,)
    _close(tf.signal.vorbis_window(5), [0.14943586, 0.8563191, 1.0, 0.8563191, 0.14943568])
    _close(
        tf.signal.vorbis_window(4, dtype=tf.float64),
        [0.22801432, 0.97365778] * 1 + [0.97365778, 0.22801432],
    )
    with pytest.raises(ValueError, match="floating point"):
        tf.signal.hann_window(4, dtype=tf.int32)


def test_window_of_dynamic_length():
    @tf.function(input_signature=[tf.TensorSpec([], tf.int32)])
    def f(n):
        return tf.signal.hann_window(n), tf.signal.vorbis_window(n), tf.signal.kaiser_window(n)

    hann, vorbis, kaiser = f(tf.constant(4))
    _close(hann, [0, 0.5, 1, 0.5])
    _close(vorbis, tf.signal.vorbis_window(4))
    _close(kaiser, tf.signal.kaiser_window(4))


def _fd_check(fn, x, eps=1e-6):
    rng = np.random.default_rng(0)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    v = rng.standard_normal(y.shape.as_list())
    g = tf.convert_to_tensor(tape.gradient(y, xt, output_gradients=tf.constant(v))).numpy()
    u = rng.standard_normal(x.shape)
    dy = (fn(tf.constant(x + eps * u)).numpy() - fn(tf.constant(x - eps * u)).numpy()) / (2 * eps)
    assert abs(np.sum(g * u) - np.sum(v * dy)) <= 1e-6 * max(1.0, abs(np.sum(v * dy)))


@pytest.mark.parametrize(
    "fn, shape",
    [
        (lambda t: tf.signal.frame(t, 3, 2, pad_end=True, axis=0), [3, 8]),
        (lambda t: tf.signal.frame(t, 4, 1, axis=-1), [3, 8]),
        (lambda t: tf.signal.overlap_and_add(tf.reshape(t, [3, 2, 4]), 3), [3, 8]),
        (lambda t: tf.math.real(tf.signal.stft(t, 5, 2, window_fn=None, pad_end=True)), [8]),
        (lambda t: tf.math.imag(tf.signal.stft(t, 4, 3)), [2, 9]),
    ],
)
def test_composite_gradients(fn, shape):
    _fd_check(fn, np.random.default_rng(4).standard_normal(shape))
