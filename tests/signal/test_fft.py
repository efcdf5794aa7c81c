"""tf.signal FFT functions: values (literals from TensorFlow 2.21), fft_length, dtypes, shapes,
errors and gradients (complex directions included, which the op harness does not perturb)."""

import numpy as np
import pytest

import tensorflux as tf

X5 = [1.0, 2.0, 3.0, 4.0, 5.0]


def _close(a, b, tol=1e-5):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


def test_rfft_values_and_fft_length():
    x = tf.constant(X5)
    y = tf.signal.rfft(x)
    assert y.dtype == tf.complex64 and y.shape == (3,)
    _close(y, [15 + 0j, -2.4999998 + 3.440955j, -2.4999998 + 0.8122992j])
    padded = tf.signal.rfft(x, [8])  # zero-pads to 8 points: 5 bins
    _close(padded[1], -5.4142137 - 7.2426405j)
    _close(padded[4], 3 + 0j)
    cropped = tf.signal.rfft(x, [3])  # uses only the first 3 samples
    _close(cropped, [6 + 0j, -1.5 + 0.8660254j])
    assert tf.signal.rfft(tf.constant([1.0, 2.0, 3.0], tf.float64)).dtype == tf.complex128


def test_irfft_values_and_fft_length():
    spec = tf.signal.rfft(tf.constant(X5))
    _close(tf.signal.irfft(spec), [1.8750001, 2.6545224, 4.375, 6.0954776])
    _close(tf.signal.irfft(spec, [5]), X5)
    _close(tf.signal.irfft(spec, [2]), [6.25, 8.75])  # crops the spectrum to 2 bins
    nine = tf.signal.irfft(spec, [9])  # pads the spectrum to 5 bins
    _close(nine[:3], [0.55555564, 0.4753348, 1.2774688])
    assert nine.dtype == tf.float32
    assert tf.signal.irfft(tf.cast(spec, tf.complex128)).dtype == tf.float64


def test_rfft2d_irfft2d_values():
    x = tf.reshape(tf.range(6.0), [2, 3])
    y = tf.signal.rfft2d(x, [3, 2])
    _close(
        y, [[8, -2], [-2.5 - 6.0621777j, -0.5 + 0.8660254j], [-2.5 + 6.0621777j, -0.5 - 0.8660254j]]
    )
    z = tf.signal.irfft2d(tf.complex(x, 1.0), [3, 3])
    _close(z[0], [1.4444444, -0.6071224, 0.16267796])
    _close(z[2], [-0.10021376, 0.5148861, -0.6259972])


@pytest.mark.parametrize("k", [1, 2, 3])
def test_round_trips(k):
    rng = np.random.default_rng(k)
    shape = [2, 4, 6, 8][: k + 1]
    x = rng.standard_normal(shape)
    c = x + 1j * rng.standard_normal(shape)
    suffix = "" if k == 1 else f"{k}d"
    fft, ifft = getattr(tf.signal, "fft" + suffix), getattr(tf.signal, "ifft" + suffix)
    rfft, irfft = getattr(tf.signal, "rfft" + suffix), getattr(tf.signal, "irfft" + suffix)
    axes = tuple(range(-k, 0))
    _close(fft(tf.constant(c)), np.fft.fftn(c, axes=axes), 1e-10)
    _close(ifft(fft(tf.constant(c))), c, 1e-10)
    _close(irfft(rfft(tf.constant(x)), shape[-k:]), x, 1e-10)


def test_python_lists_and_dtypes():
    y = tf.signal.fft([1 + 2j, 3j])
    assert y.dtype == tf.complex128
    _close(y, [1 + 5j, 1 - 1j])
    assert tf.signal.rfft([1.0, 2.0, 3.0]).dtype == tf.complex64


def test_errors():
    with pytest.raises(ValueError, match="RFFT requires tf.float32 or tf.float64"):
        tf.signal.rfft(tf.constant([1, 2, 3]))
    with pytest.raises(ValueError, match="RFFT requires"):
        tf.signal.rfft(tf.zeros([2, 3], tf.float16))
    with pytest.raises(ValueError, match="IRFFT requires tf.complex64 or tf.complex128"):
        tf.signal.irfft(tf.constant([1.0, 2.0]))
    with pytest.raises(ValueError, match="must have rank at least 1"):
        tf.signal.rfft(tf.constant(1.0))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Tcomplex"):
        tf.signal.fft(tf.constant(X5))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank of at least 1"):
        tf.signal.fft(tf.constant(1 + 0j, tf.complex64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="rank of at least 2"):
        tf.signal.fft2d(tf.constant([1 + 0j], tf.complex64))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"fft_length\[0\] must >= 0"):
        tf.signal.rfft(tf.constant(X5), [-1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"fft_length must have shape \[1\]"):
        tf.signal.rfft(tf.constant(X5), [2, 3])
    with pytest.raises(ValueError):  # TensorFlow wants int32 fft_length tensors
        tf.signal.rfft(tf.constant(X5), tf.constant([4], tf.int64))


def test_empty_inputs():
    assert tf.signal.rfft(tf.zeros([2, 0])).shape == (2, 0 // 2 + 1)
    assert tf.signal.fft(tf.zeros([2, 0], tf.complex64)).shape == (2, 0)
    _close(tf.signal.rfft(tf.zeros([2, 0]), [4]), np.zeros([2, 3]))


def test_shape_inference_with_unknown_dims():
    seen = {}

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def f(a):
        seen["rfft"] = tf.signal.rfft(a).shape
        seen["rfft6"] = tf.signal.rfft(a, [6]).shape
        seen["irfft"] = tf.signal.irfft(tf.cast(a, tf.complex64)).shape
        seen["irfft7"] = tf.signal.irfft(tf.cast(a, tf.complex64), [7]).shape
        seen["rfft2d"] = tf.signal.rfft2d(a, [4, 6]).shape
        return tf.signal.irfft(tf.signal.rfft(a))

    out = f(tf.ones([2, 6]))
    _close(out, np.ones([2, 6]))
    assert seen["rfft"].as_list() == [None, None]
    assert seen["rfft6"].as_list() == [None, 4]
    assert seen["irfft"].as_list() == [None, None]
    assert seen["irfft7"].as_list() == [None, 7]
    assert seen["rfft2d"].as_list() == [4, 4]


def test_dynamic_fft_length():
    @tf.function(input_signature=[tf.TensorSpec([3, 5], tf.float32), tf.TensorSpec([1], tf.int32)])
    def f(a, n):
        y = tf.signal.rfft(a, n)
        assert y.shape.as_list()[0] == 3 and y.shape.as_list()[1] is None
        return y

    x = np.arange(15, dtype=np.float32).reshape(3, 5)
    _close(f(x, tf.constant([8])), np.fft.rfft(x, 8), 1e-4)


def _real_dot(a, b):
    return float(np.real(np.sum(np.conj(a) * b)))


@pytest.mark.parametrize(
    "fn, n",
    [
        (tf.signal.irfft, [5]),
        (tf.signal.irfft, [9]),
        (tf.signal.irfft, [3]),
        (tf.signal.irfft, None),
        (tf.signal.fft, None),
        (tf.signal.ifft, None),
    ],
)
def test_gradient_in_complex_directions(fn, n):
    """<grad, u> equals the directional derivative along a complex u (TF's conjugate convention)."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal([2, 5]) + 1j * rng.standard_normal([2, 5])
    kw = {} if n is None else {"fft_length": n}
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt, **kw)
    v = rng.standard_normal(y.shape.as_list())
    g = tape.gradient(y, xt, output_gradients=tf.constant(v, dtype=y.dtype)).numpy()
    u = rng.standard_normal(x.shape) + 1j * rng.standard_normal(x.shape)
    eps = 1e-6
    dy = fn(tf.constant(x + eps * u), **kw).numpy() - fn(tf.constant(x - eps * u), **kw).numpy()
    rhs = _real_dot(v, dy / (2 * eps))
    assert abs(_real_dot(g, u) - rhs) <= 1e-6 * max(1.0, abs(rhs))


@pytest.mark.parametrize("fn", [tf.signal.rfft2d, tf.signal.rfft3d])
def test_real_gradients_second_order(fn):
    rng = np.random.default_rng(3)
    x = tf.constant(rng.standard_normal([2, 3, 4]))
    w = tf.constant(rng.standard_normal([2, 3, 4]))

    def loss(t):
        y = fn(t * t, [3, 5]) if fn is tf.signal.rfft2d else fn(t * t, [2, 4, 3])
        return tf.reduce_sum(tf.abs(y) ** 2)

    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            val = loss(x)
        g = inner.gradient(val, x)
        gw = tf.reduce_sum(g * w)
    h = outer.gradient(gw, x).numpy()
    eps = 1e-5

    def grad_at(t):
        with tf.GradientTape() as tp:
            tp.watch(t)
            val = loss(t)
        return tp.gradient(val, t).numpy()

    u = rng.standard_normal([2, 3, 4])
    fd = (grad_at(x + eps * u) - grad_at(x - eps * u)) / (2 * eps)
    assert abs(np.sum(h * u) - np.sum(fd * w.numpy())) <= 1e-4 * max(1.0, abs(np.sum(h * u)))


def test_fftshift():
    assert tf.signal.fftshift(tf.range(5)).numpy().tolist() == [3, 4, 0, 1, 2]
    assert tf.signal.ifftshift(tf.range(5)).numpy().tolist() == [2, 3, 4, 0, 1]
    m = tf.reshape(tf.range(6), [2, 3])
    assert tf.signal.fftshift(m, axes=1).numpy().tolist() == [[2, 0, 1], [5, 3, 4]]
    assert tf.signal.fftshift(m, axes=[0]).numpy().tolist() == [[3, 4, 5], [0, 1, 2]]
    assert tf.signal.ifftshift(m).numpy().tolist() == [[4, 5, 3], [1, 2, 0]]
    assert tf.signal.fftshift(m, axes=tf.constant(1)).numpy().tolist() == [[2, 0, 1], [5, 3, 4]]

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.int32)])
    def f(a):
        return tf.signal.ifftshift(tf.signal.fftshift(a, axes=[0, 1]), axes=[0, 1])

    assert f(m).numpy().tolist() == m.numpy().tolist()


def test_gradient_with_fft_length_known_only_at_run_time():
    def loss(x, n):
        y = tf.signal.rfft2d(x, n)
        return tf.reduce_sum(tf.abs(y) ** 2) + tf.reduce_sum(tf.signal.irfft2d(y, n) ** 3)

    spec = [tf.TensorSpec([None, None], tf.float64), tf.TensorSpec([2], tf.int32)]

    @tf.function(input_signature=spec)
    def dynamic(x, n):
        with tf.GradientTape() as tape:
            tape.watch(x)
            val = loss(x, n)
        return tape.gradient(val, x)

    x = tf.constant(np.random.default_rng(0).standard_normal([3, 5]))
    for n in ([4, 7], [2, 3], [3, 5]):
        with tf.GradientTape() as tape:
            tape.watch(x)
            val = loss(x, n)
        _close(dynamic(x, tf.constant(n)), tape.gradient(val, x), 1e-10)
