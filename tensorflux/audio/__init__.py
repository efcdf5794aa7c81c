"""`tf.audio`: decoding and encoding 16-bit PCM WAV files."""

from tensorflux._src.audio.wav_ops import decode_wav as decode_wav
from tensorflux._src.audio.wav_ops import encode_wav as encode_wav
