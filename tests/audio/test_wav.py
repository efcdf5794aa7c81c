"""tf.audio.encode_wav / decode_wav: bytes equal to TensorFlow 2.21's, decoding options, errors."""

import io
import struct
import wave

import numpy as np
import pytest

import tensorflux as tf

SAMPLES = [[0.0, 1.0], [-1.0, 0.5], [2.0, -2.0], [0.25, -0.75], [1 / 65534, -1 / 65534],
           [3 / 65534, 0.999999]]  # fmt: skip
# tf.audio.encode_wav(SAMPLES, 44100) from TensorFlow 2.21.
TF_HEADER = (
    "524946463c00000057415645666d7420100000000100020044ac000010b10200040010006461746118000000"
)
TF_DATA = "0000ff7f00800040ff7f0080002000a00100ffff0200ff7f"


def _wav(frames, channels=1, width=2, rate=8000):
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return buf.getvalue()


def test_encode_is_byte_exact():
    out = tf.audio.encode_wav(tf.constant(SAMPLES), 44100)
    assert out.dtype == tf.string and out.shape == ()
    assert out.numpy().hex() == TF_HEADER + TF_DATA


def test_encode_rounding_and_saturation():
    # Scaled by 32768, rounded half away from zero, clamped to int16; NaN -> 0.
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 32766.5, -32767.5, -32768], np.float64) / 32767
    got = tf.audio.encode_wav(x.astype(np.float32)[:, None], 8000).numpy()[44:]
    assert np.frombuffer(got, "<i2").tolist() == [1, 2, 3, -1, -2, -3, 32767, -32768, -32768]
    special = tf.audio.encode_wav(tf.constant([[np.nan], [np.inf]]), 8000).numpy()[44:]
    assert special.hex() == "0000ff7f"
    empty = tf.audio.encode_wav(tf.zeros([0, 2]), 8000).numpy()
    assert empty.hex() == (
        "524946462400000057415645666d74201000000001000200401f0000007d0000040010006461746100000000"
    )


def test_encode_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"2-dimensional\[2\]"):
        tf.audio.encode_wav(tf.constant([0.1, 0.2]), 8000)
    with pytest.raises(tf.errors.InvalidArgumentError, match="float tensor but is a double"):
        tf.audio.encode_wav(tf.constant([[0.1]], tf.float64), 8000)
    with pytest.raises(tf.errors.InvalidArgumentError, match="int32 tensor but is a int64"):
        tf.audio.encode_wav(tf.zeros([1, 1]), tf.constant(16000, tf.int64))
    with pytest.raises(tf.errors.InvalidArgumentError, match="scalar tensor, got \\[1\\]"):
        tf.audio.encode_wav(tf.zeros([1, 1]), [16000])


def test_decode():
    data = bytes.fromhex(TF_HEADER + TF_DATA)
    audio, rate = tf.audio.decode_wav(data)
    assert audio.dtype == tf.float32 and audio.shape == (6, 2)
    assert rate.dtype == tf.int32 and int(rate) == 44100
    expected = np.array([[0, 32767], [-32768, 16384], [32767, -32768], [8192, -24576],
                         [1, -1], [2, 32767]]) / 32768.0  # fmt: skip
    np.testing.assert_array_equal(audio.numpy(), expected.astype(np.float32))
    result = tf.audio.decode_wav(data)
    assert type(result).__name__ == "DecodeWav" and result.sample_rate.numpy() == 44100


def test_decode_channels_and_samples():
    data = bytes.fromhex(TF_HEADER + TF_DATA)
    one = tf.audio.decode_wav(data, desired_channels=1).audio.numpy()
    full = tf.audio.decode_wav(data).audio.numpy()
    np.testing.assert_array_equal(one, full[:, :1])
    three = tf.audio.decode_wav(data, desired_channels=3).audio.numpy()
    np.testing.assert_array_equal(three[:, 2], full[:, 1])  # extra channels copy the last
    assert tf.audio.decode_wav(data, desired_samples=3).audio.shape == (3, 2)
    longer = tf.audio.decode_wav(data, desired_samples=8).audio.numpy()
    assert longer.shape == (8, 2) and not longer[6:].any()
    mono = tf.audio.encode_wav(tf.constant([[0.5], [-0.5]]), 8000)
    both = tf.audio.decode_wav(mono, desired_channels=2).audio.numpy()
    assert both.tolist() == [[0.5, 0.5], [-0.5, -0.5]]


def test_decode_files_from_python_wave_and_extra_chunks():
    pcm = np.array([[100, -200], [300, -400], [32767, -32768]], "<i2")
    data = _wav(pcm.tobytes(), channels=2, rate=22050)
    audio, rate = tf.audio.decode_wav(data)
    assert int(rate) == 22050
    np.testing.assert_array_equal(audio.numpy() * 32768, pcm)
    # A LIST chunk before the data chunk is skipped.
    lst = b"LIST" + struct.pack("<I", 4) + b"INFO"
    with_list = b"RIFF" + struct.pack("<I", len(data) - 8 + len(lst)) + data[8:36] + lst + data[36:]
    np.testing.assert_array_equal(tf.audio.decode_wav(with_list).audio.numpy(), audio.numpy())


def test_decode_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="Data too short"):
        tf.audio.decode_wav(b"RIFFxxxx")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expected RIFF but found hell"):
        tf.audio.decode_wav(b"hello world this is not a wav file at all....")
    with pytest.raises(tf.errors.InvalidArgumentError, match="contents must be scalar"):
        tf.audio.decode_wav([bytes.fromhex(TF_HEADER + TF_DATA)])
    with pytest.raises(tf.errors.InvalidArgumentError, match="16-bit WAV files, but received 8"):
        tf.audio.decode_wav(_wav(bytes([0, 128, 255]), width=1))
    with pytest.raises(tf.errors.InvalidArgumentError, match="received 24"):
        tf.audio.decode_wav(_wav(bytes(6), width=3))


def test_round_trip_inside_tf_function():
    shapes = {}

    @tf.function(input_signature=[tf.TensorSpec([], tf.string)])
    def f(s):
        r = tf.audio.decode_wav(s)
        shapes["audio"] = r.audio.shape.as_list()
        shapes["rate"] = r.sample_rate.shape.as_list()
        shapes["fixed"] = tf.audio.decode_wav(s, 2, 7).audio.shape.as_list()
        return tf.audio.encode_wav(r.audio, r.sample_rate)

    data = bytes.fromhex(TF_HEADER + TF_DATA)
    assert f(tf.constant(data)).numpy() == data
    assert shapes == {"audio": [None, None], "rate": [], "fixed": [7, 2]}


def test_round_trip_of_random_audio():
    x = np.random.default_rng(0).uniform(-1, 1, size=(50, 3)).astype(np.float32)
    back = tf.audio.decode_wav(tf.audio.encode_wav(x, 16000)).audio.numpy()
    assert np.max(np.abs(back - x)) <= 0.5 / 32768 + 1e-7
