"""WAV decoding and encoding: 16-bit PCM files <-> float32 `[samples, channels]` in [-1, 1).

`EncodeWav` writes the canonical 44-byte RIFF header and samples scaled by 32768, rounded half
away from zero and clamped to int16, so its bytes equal TensorFlow's. `DecodeWav` reads any
RIFF/WAVE file with a 16-bit PCM `fmt ` chunk, skipping chunks it does not need.
"""

from __future__ import annotations

import collections
import struct

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, legacy_name
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops._util import as_tensor

DecodeWavResult = collections.namedtuple("DecodeWav", ["audio", "sample_rate"])


def _host(a):
    """A host NumPy view of a kernel input (CuPy arrays are copied back)."""
    return a.get() if hasattr(a, "get") and not isinstance(a, np.ndarray) else np.asarray(a)


def _dims(dims) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in dims) + "]"


def _bad(msg):
    return InvalidArgumentError(None, None, msg)


# ------------------------------------------------------------------ reading


class _Reader:
    def __init__(self, data: bytes):
        self.data = data
        self.pos = 0

    def take(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise _bad("Data too short when trying to read string")
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out

    def u32(self) -> int:
        return struct.unpack("<I", self.take(4))[0]

    def u16(self) -> int:
        return struct.unpack("<H", self.take(2))[0]

    def tag(self, want: str) -> None:
        got = self.take(4)
        if got != want.encode():
            raise _bad(f"Header mismatch: Expected {want} but found {got.decode('latin-1')}")


def decode_wav_bytes(data: bytes, desired_channels: int = -1, desired_samples: int = -1):
    """(float32 [samples, channels] array, sample rate) from the bytes of a 16-bit PCM WAV."""
    r = _Reader(data)
    r.tag("RIFF")
    r.u32()  # RIFF size: TensorFlow does not check it either
    r.tag("WAVE")
    fmt = None
    samples = None
    while r.pos < len(data):
        chunk_id = r.take(4)
        size = r.u32()
        if chunk_id == b"fmt ":
            body = _Reader(r.take(size))
            fmt_code, channels, rate = body.u16(), body.u16(), body.u32()
            body.u32()  # byte rate
            body.u16()  # block align
            bits = body.u16()
            if fmt_code != 1:
                raise _bad(f"Bad audio format for WAV: Expected 1 (PCM), but got {fmt_code}")
            if bits != 16:
                raise _bad(f"Can only read 16-bit WAV files, but received {bits}")
            if channels == 0:
                raise _bad("WAV file has no channels")
            fmt = (channels, rate)
        elif chunk_id == b"data":
            if fmt is None:
                raise _bad("The fmt chunk must come before the data chunk of a WAV file")
            raw = r.take(size)
            channels = fmt[0]
            frames = len(raw) // (2 * channels)
            samples = np.frombuffer(raw[: frames * 2 * channels], "<i2").reshape(frames, channels)
            break
        else:
            r.take(size)
        if size % 2:  # chunks are padded to an even length
            r.pos = min(r.pos + 1, len(data))
    if fmt is None:
        raise _bad("No fmt chunk found in WAV file")
    if samples is None:
        raise _bad("No data chunk found in WAV file")
    audio = samples.astype(np.float32) / np.float32(32768.0)
    channels = audio.shape[1]
    if desired_channels > 0 and desired_channels != channels:
        if desired_channels < channels:
            audio = audio[:, :desired_channels]
        else:  # extra channels repeat the file's last channel
            extra = np.repeat(audio[:, -1:], desired_channels - channels, axis=1)
            audio = np.concatenate([audio, extra], axis=1)
    if desired_samples >= 0 and desired_samples != audio.shape[0]:
        if desired_samples < audio.shape[0]:
            audio = audio[:desired_samples]
        else:
            pad = np.zeros((desired_samples - audio.shape[0], audio.shape[1]), np.float32)
            audio = np.concatenate([audio, pad], axis=0)
    return np.ascontiguousarray(audio, np.float32), fmt[1]


# ------------------------------------------------------------------ writing


def encode_wav_bytes(audio: np.ndarray, sample_rate: int) -> bytes:
    """The bytes of a 16-bit PCM WAV holding float `audio` shaped [samples, channels]."""
    frames, channels = audio.shape
    x = np.nan_to_num(audio.astype(np.float64), nan=0.0) * 32768.0
    q = np.sign(x) * np.floor(np.abs(x) + 0.5)  # C's roundf: half away from zero
    pcm = np.clip(q, -32768, 32767).astype("<i2").tobytes()
    header = b"".join(
        [
            b"RIFF",
            struct.pack("<I", 36 + len(pcm)),
            b"WAVE",
            b"fmt ",
            struct.pack(
                "<IHHIIHH",
                16,
                1,
                channels,
                sample_rate,
                sample_rate * channels * 2,
                channels * 2,
                16,
            ),  # fmt: skip
            b"data",
            struct.pack("<I", len(pcm)),
        ]
    )
    return header + pcm


# ------------------------------------------------------------------ ops


def _decode_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank not in (None, 0):
        raise _bad(f"contents must be scalar, got shape {s}")
    ch, n = attrs.get("desired_channels", -1), attrs.get("desired_samples", -1)
    return [TensorShape([n if n >= 0 else None, ch if ch > 0 else None]), TensorShape([])]


def _decode_dtype(in_dtypes, attrs):
    check_allowed(in_dtypes[0], (dtypes.string,), "contents")
    return [dtypes.float32, dtypes.int32]


DecodeWav = defop("DecodeWav", infer=Rule(_decode_dtype, _decode_shape), num_outputs=2)


@DecodeWav.kernel
def _(xp, contents, desired_channels=-1, desired_samples=-1):
    c = _host(contents)
    if c.ndim != 0:
        raise _bad(f"contents must be scalar, got shape {list(c.shape)}")
    audio, rate = decode_wav_bytes(c.item(), desired_channels, desired_samples)
    return xp.asarray(audio), xp.asarray(np.int32(rate))


def _encode_dtype(in_dtypes, attrs):
    a, r = in_dtypes
    for i, (got, want) in enumerate(((a, dtypes.float32), (r, dtypes.int32))):
        if got is not want:
            raise _bad(
                f"cannot compute EncodeWav as input #{i}(zero-based) was expected to be a "
                f"{legacy_name(want)} tensor but is a {legacy_name(got)} tensor"
            )
    return dtypes.string


def _encode_shape(inputs, attrs):
    a, r = inputs[0].shape, inputs[1].shape
    if a.rank is not None and a.rank != 2:
        raise _bad("audio must be 2-dimensional" + _dims(a.as_list()))
    if r.rank not in (None, 0):
        raise _bad(f"Input sample_rate should be a scalar tensor, got {r.as_list()} instead.")
    return TensorShape([])


EncodeWav = defop("EncodeWav", infer=Rule(_encode_dtype, _encode_shape), host_inputs=(1,))


@EncodeWav.kernel
def _(xp, audio, sample_rate):
    a = _host(audio)
    if a.ndim != 2:
        raise _bad("audio must be 2-dimensional" + _dims(list(a.shape)))
    rate = np.asarray(sample_rate)
    if rate.ndim != 0:
        raise _bad(f"Input sample_rate should be a scalar tensor, got {list(rate.shape)} instead.")
    return np.array(encode_wav_bytes(a, int(rate)), dtype=object)


not_differentiable(DecodeWav, EncodeWav)


def decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    """Decodes a 16-bit PCM WAV file into float32 samples and its sample rate.

    Args:
      contents: A scalar string `Tensor`: the bytes of the file.
      desired_channels: Channels wanted (-1: as in the file). Fewer keeps the first channels;
        more repeats the last one.
      desired_samples: Samples wanted per channel (-1: all). The audio is cut or zero-padded.
      name: A name for the operation (optional).

    Returns:
      A `(audio, sample_rate)` named tuple: float32 `[samples, channels]` in [-1, 1) and a
      scalar int32.

    Raises:
      InvalidArgumentError: for malformed files or sample formats other than 16-bit PCM.
    """
    contents = as_tensor(contents, dtype=dtypes.string)
    audio, rate = DecodeWav(
        contents,
        desired_channels=int(desired_channels),
        desired_samples=int(desired_samples),
        name=name,
    )
    return DecodeWavResult(audio, rate)


def encode_wav(audio, sample_rate, name=None):
    """Encodes float32 samples `[samples, channels]` as a 16-bit PCM WAV file.

    Samples are scaled by 32768, rounded and clamped to the int16 range (values outside
    [-1, 1] saturate).

    Args:
      audio: A float32 `Tensor` `[samples, channels]`.
      sample_rate: A scalar int32 `Tensor` or int.
      name: A name for the operation (optional).

    Returns:
      A scalar string `Tensor` with the file's bytes.

    Raises:
      InvalidArgumentError: for a wrong rank or dtype.
    """
    audio = as_tensor(audio, dtype_hint=dtypes.float32)
    rate = as_tensor(sample_rate, dtype_hint=dtypes.int32)
    return EncodeWav(audio, rate, name=name)
