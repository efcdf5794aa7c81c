"""STFT, MDCT, DCT, mel filter banks and MFCCs (expected values from TensorFlow 2.21)."""

import numpy as np
import pytest

import tensorflux as tf

SIG = np.sin(np.arange(16) * 0.7).astype(np.float32)
X8 = np.arange(1, 9, dtype=np.float32)


def _close(a, b, tol=1e-5):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


def _check_grad(fn, x, eps=1e-6, tol=1e-6):
    """<J^T v, u> from the tape against central differences <v, J u>, in float64."""
    rng = np.random.default_rng(0)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = fn(xt)
    v = rng.standard_normal(y.shape.as_list())
    if y.dtype.is_complex:
        v = v + 1j * rng.standard_normal(y.shape.as_list())
    g = tape.gradient(y, xt, output_gradients=tf.constant(v, dtype=y.dtype)).numpy()
    u = rng.standard_normal(x.shape)
    dy = (fn(tf.constant(x + eps * u)).numpy() - fn(tf.constant(x - eps * u)).numpy()) / (2 * eps)
    lhs, rhs = float(np.sum(g * u)), float(np.real(np.sum(np.conj(v) * dy)))
    assert abs(lhs - rhs) <= tol * max(1.0, abs(rhs)), (lhs, rhs)


def test_stft_values():
    y = tf.signal.stft(SIG, 6, 4)
    assert y.shape == (3, 5) and y.dtype == tf.complex64
    _close(y[0], [1.9268963, -0.6857294 - 1.5253613j, -0.4878462 + 0.7898507j,
                  0.1832472 - 0.0471868j, 0.0537603])  # fmt: skip
    _close(y[2, :2], [2.2058353, -1.3931264 - 1.1380435j])
    padded = tf.signal.stft(SIG, 6, 4, fft_length=4, pad_end=True)
    assert padded.shape == (4, 3)
    _close(padded[3], [-1.0747805, 0.2748593 - 0.9594704j, 0.5250618])
    assert tf.signal.stft(tf.cast(SIG, tf.float64), 4, 2).dtype == tf.complex128
    with pytest.raises(ValueError, match="floating point"):
        tf.signal.stft(tf.range(10), 4, 2)
    with pytest.raises(ValueError, match="rank at least 1"):
        tf.signal.stft(tf.constant(1.0), 4, 2)


def test_inverse_stft_values():
    out = tf.signal.inverse_stft(tf.signal.stft(SIG, 6, 4), 6, 4)
    _close(out, [0, 0.0402636, 0.5543154, 0.8632094, 0.1884308, -0.0438479, -0.4902613,
                 -0.9824526, -0.3550874, 0.0021017, 0.3695549, 0.9881682, 0.4807118, 0.0199436])  # fmt: skip
    short = tf.signal.inverse_stft(tf.signal.stft(SIG, 6, 4, fft_length=4), 6, 4, fft_length=4)
    _close(short[:6], [0, 0.0402636, 0.5543154, 0.8632094, 0, -0.021924])
    with pytest.raises(ValueError, match="IRFFT requires"):
        tf.signal.inverse_stft(tf.ones([3, 5]), 8, 2)


def test_inverse_stft_window_fn_reconstructs():
    window_fn = tf.signal.inverse_stft_window_fn(2)
    out = tf.signal.inverse_stft(tf.signal.stft(SIG, 8, 2), 8, 2, window_fn=window_fn)
    _close(out[:4], [0, 0.0092109, 0.1642416, 0.4316047])
    _close(out[6:10], SIG[6:10])  # fully overlapped samples come back exactly
    ham = tf.signal.inverse_stft_window_fn(2, tf.signal.hamming_window)(6, dtype=tf.float64)
    _close(ham, [0.0671028, 0.2600235, 0.6458648, 0.8387854, 0.6458648, 0.2600235])


def test_stft_shapes_when_traced():
    seen = {}

    @tf.function(input_signature=[tf.TensorSpec([None, None], tf.float32)])
    def f(b):
        seen["stft"] = tf.signal.stft(b, 4, 2).shape.as_list()
        seen["pad"] = tf.signal.stft(b, 5, 2, pad_end=True).shape.as_list()
        seen["istft"] = tf.signal.inverse_stft(tf.complex(b, b), 4, 2).shape.as_list()
        return tf.signal.stft(b, 4, 2)

    assert f(tf.ones([2, 10])).shape == (2, 4, 3)
    assert seen == {"stft": [None, None, 3], "pad": [None, None, 5], "istft": [None]}


def test_stft_gradient():
    x = np.random.default_rng(1).standard_normal([2, 20])
    _check_grad(lambda t: tf.signal.stft(t, 8, 3, pad_end=True), x)
    _check_grad(lambda t: tf.signal.inverse_stft(tf.signal.stft(t, 8, 4), 8, 4), x)


def test_mdct_values_and_inverse():
    _close(tf.signal.mdct(SIG, 8)[1], [1.6689075, -3.3948994, -0.0760815, -0.287647])
    _close(tf.signal.mdct(SIG, 8, norm="ortho")[2], [-1.029419, 0.9803836, 0.0329407, 0.0946623])
    _close(tf.signal.mdct(SIG, 8, window_fn=None)[0], [1.6844333, 2.724117, -0.5770634, -0.7131858])
    back = tf.signal.inverse_mdct(tf.signal.mdct(SIG, 8))
    _close(back[4:12], SIG[4:12])  # interior samples are rebuilt (Princen-Bradley)
    _close(back[:2], [-0.051484, -0.2664167])
    ortho = tf.signal.inverse_mdct(tf.signal.mdct(SIG, 8, norm="ortho"), norm="ortho")
    _close(ortho, back)
    nowin = tf.signal.inverse_mdct(tf.signal.mdct(SIG, 8), window_fn=None)
    _close(nowin[:4], [-0.6092907, -0.4042023, 0.4042023, 0.6092907])
    with pytest.raises(ValueError, match="multiple of 4"):
        tf.signal.mdct(SIG, 6)


DCT_TF = {  # TensorFlow's dct(X8, type, norm), first four values
    (1, None): [63.0, -20.195667, 0.0, -2.5724163],
    (2, None): [72.0, -25.769293, 0.0, -2.6938195],
    (2, "ortho"): [12.7279215, -6.44232273, 0.0, -0.673454821],
    (3, None): [39.3351, -35.60267, 14.587742, -12.208907],
    (3, "ortho"): [9.937326, -8.797113, 3.7504885, -2.9486732],
    (4, None): [34.926693, -34.959743, 16.04713, -14.358997],
    (4, "ortho"): [8.731672, -8.739935, 4.011782, -3.589749],
}


@pytest.mark.parametrize("key", sorted(DCT_TF, key=str))
def test_dct_values(key):
    kind, norm = key
    _close(tf.signal.dct(X8, type=kind, norm=norm)[:4], DCT_TF[key], 2e-5)
    inverse = {1: 1, 2: 3, 3: 2, 4: 4}[kind]
    _close(tf.signal.idct(X8, type=inverse, norm=norm)[:4], DCT_TF[key], 2e-5)


@pytest.mark.parametrize("kind", [2, 3, 4])
def test_dct_ortho_round_trip_and_gradient(kind):
    x = np.random.default_rng(kind).standard_normal([3, 7])
    back = tf.signal.idct(tf.signal.dct(x, type=kind, norm="ortho"), type=kind, norm="ortho")
    _close(back, x, 1e-10)
    _check_grad(lambda t: tf.signal.dct(t, type=kind, norm="ortho"), x)
    _check_grad(lambda t: tf.signal.dct(t, type=1), x)


def test_dct_against_scipy():
    sp = pytest.importorskip("scipy.fft")
    x = np.random.default_rng(5).standard_normal([2, 9])
    for kind in (1, 2, 3, 4):
        for norm in (None, "ortho") if kind != 1 else (None,):
            _close(tf.signal.dct(x, type=kind, norm=norm), sp.dct(x, type=kind, norm=norm), 1e-10)


def test_dct_n_and_errors():
    _close(tf.signal.dct(X8, n=5), [30.0, -9.9595928, 0.0, -0.89805627, 0.0])
    _close(tf.signal.dct(X8, n=10)[:3], [72.0, -4.5684781, -29.601265])
    _close(tf.signal.idct(X8, n=4), [11.999626, -9.102943, 2.6176615, -1.5143447])
    assert tf.signal.dct(tf.constant([1.0, 2.0, 3.0], tf.float64)).dtype == tf.float64
    with pytest.raises(ValueError, match="positive integer"):
        tf.signal.dct(X8, n=0)
    with pytest.raises(NotImplementedError, match="axis must be -1"):
        tf.signal.dct(X8, axis=0)
    with pytest.raises(ValueError, match="Types I, II, III and IV"):
        tf.signal.dct(X8, type=5)
    with pytest.raises(ValueError, match="Unknown normalization"):
        tf.signal.dct(X8, norm="x")
    with pytest.raises(ValueError, match="not supported for the Type-I"):
        tf.signal.dct(X8, type=1, norm="ortho")
    with pytest.raises(ValueError, match="greater than one"):
        tf.signal.dct([1.0], type=1)
    with pytest.raises(TypeError):
        tf.signal.dct(tf.range(4))


def test_linear_to_mel_weight_matrix():
    m = tf.signal.linear_to_mel_weight_matrix(4, 9, 8000, 125.0, 3800.0)
    assert m.shape == (9, 4) and m.dtype == tf.float32
    _close(m[0], [0, 0, 0, 0])
    _close(m[1], [0.8956538, 0.1043461, 0, 0])
    _close(m[4], [0, 0, 0.505573, 0.4944271])
    _close(m[7], [0, 0, 0, 0.2033447])
    m64 = tf.signal.linear_to_mel_weight_matrix(3, 5, 16000, 0.0, 8000.0, dtype=tf.float64)
    assert m64.dtype == tf.float64
    _close(m64[1:4], [[0, 0.8572575, 0.1427425], [0, 0, 0.9773984], [0, 0, 0.4146281]], 1e-6)
    m_t = tf.signal.linear_to_mel_weight_matrix(3, 5, tf.constant(16000), 0.0, 8000.0)
    _close(m_t[3], [0, 0, 0.4146284], 1e-6)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"num_mel_bins": 0}, "num_mel_bins must be positive"),
        ({"lower_edge_hertz": -1.0}, "lower_edge_hertz must be non-negative"),
        ({"lower_edge_hertz": 4000.0, "upper_edge_hertz": 3000.0}, ">= upper_edge_hertz"),
        ({"upper_edge_hertz": 5000.0}, "Nyquist"),
        ({"sample_rate": 0}, "sample_rate must be positive"),
        ({"dtype": tf.int32}, "floating point"),
    ],
)
def test_mel_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tf.signal.linear_to_mel_weight_matrix(**kwargs)


def test_mfccs():
    out = tf.signal.mfccs_from_log_mel_spectrograms(tf.constant([[1.0, 2.0, 3.0, 4.0]]))
    _close(out, [[7.0710678, -2.2304425, 0.0, -0.15851244]])
    with pytest.raises(ValueError, match="num_mel_bins must be positive"):
        tf.signal.mfccs_from_log_mel_spectrograms(tf.zeros([2, 0]))
    x = np.random.default_rng(2).standard_normal([3, 6])
    _check_grad(tf.signal.mfccs_from_log_mel_spectrograms, x)


def test_stft_with_frame_length_known_at_run_time():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.int32)])
    def f(x, n):
        return tf.signal.stft(x, n, 4)

    for n in (6, 8, 9):
        _close(f(SIG, tf.constant(n)), tf.signal.stft(SIG, n, 4))
