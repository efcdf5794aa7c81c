"""String hashing to buckets with TensorFlow's exact numbers: `to_hash_bucket` (TensorFlow's
Hash64, a MurmurHash64A variant), `_fast` (FarmHash Fingerprint64) and `_strong` (SipHash-2-4)."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.ops.string_ops import expect, map_strings, strings

_M64 = (1 << 64) - 1


def hash64(data: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TensorFlow's Hash64: MurmurHash64A over little-endian 8-byte words."""
    m, r = 0xC6A4A7935BD1E995, 47
    n = len(data)
    h = (seed ^ (n * m)) & _M64
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i : i + 8], "little") * m) & _M64
        k = ((k ^ (k >> r)) * m) & _M64
        h = ((h ^ k) * m) & _M64
    if end < n:
        h = ((h ^ int.from_bytes(data[end:], "little")) * m) & _M64
    h = ((h ^ (h >> r)) * m) & _M64
    return h ^ (h >> r)


def _rotl(x: int, b: int) -> int:
    return ((x << b) | (x >> (64 - b))) & _M64


def siphash24(k0: int, k1: int, data: bytes) -> int:
    """SipHash-2-4 of `data` with the 128-bit key (k0, k1), as a 64-bit integer."""
    v0, v1 = k0 ^ 0x736F6D6570736575, k1 ^ 0x646F72616E646F6D
    v2, v3 = k0 ^ 0x6C7967656E657261, k1 ^ 0x7465646279746573

    def rounds(v0, v1, v2, v3, count):
        for _ in range(count):
            v0 = (v0 + v1) & _M64
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _M64
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _M64
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _M64
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)
        return v0, v1, v2, v3

    n = len(data)
    end = n - n % 8
    words = [int.from_bytes(data[i : i + 8], "little") for i in range(0, end, 8)]
    words.append(((n & 0xFF) << 56) | int.from_bytes(data[end:], "little"))
    for w in words:
        v3 ^= w
        v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 2)
        v0 ^= w
    v2 ^= 0xFF
    v0, v1, v2, v3 = rounds(v0, v1, v2, v3, 4)
    return v0 ^ v1 ^ v2 ^ v3


def _fingerprint64(data: bytes) -> int:
    import farmhash

    return farmhash.fingerprint64(data)


def _bucket_rule():
    def dtype(dts, attrs):
        expect(dts[0], dtypes.string)
        n = attrs.get("num_buckets", 1)
        if n < 1:
            raise InvalidArgumentError(
                None, None, f"Value for attr 'num_buckets' of {n} must be at least minimum 1"
            )
        return dtypes.int64

    return Rule(dtype, lambda inputs, attrs: inputs[0].shape)


StringToHashBucket = defop("StringToHashBucket", infer=_bucket_rule())
StringToHashBucketFast = defop("StringToHashBucketFast", infer=_bucket_rule())
StringToHashBucketStrong = defop("StringToHashBucketStrong", infer=_bucket_rule())
not_differentiable(StringToHashBucket, StringToHashBucketFast, StringToHashBucketStrong)


def _buckets(x, fn, num_buckets):
    return map_strings(x, lambda s: fn(s) % num_buckets, np.int64)


@StringToHashBucket.kernel
def _(xp, x, num_buckets):
    return _buckets(x, hash64, num_buckets)


@StringToHashBucketFast.kernel
def _(xp, x, num_buckets):
    return _buckets(x, _fingerprint64, num_buckets)


@StringToHashBucketStrong.kernel
def _(xp, x, num_buckets, key):
    k0, k1 = (int(k) & _M64 for k in key)
    return _buckets(x, lambda s: siphash24(k0, k1, s), num_buckets)


def to_hash_bucket(string_tensor, num_buckets, name=None):
    """Hashes each string to `[0, num_buckets)` with TensorFlow's legacy Hash64.

    Prefer `to_hash_bucket_fast` (stable FarmHash) or `to_hash_bucket_strong` (keyed).
    """
    return StringToHashBucket(strings(string_tensor), num_buckets=int(num_buckets), name=name)


def to_hash_bucket_fast(input, num_buckets, name=None):
    """Hashes each string to `[0, num_buckets)` with FarmHash Fingerprint64."""
    return StringToHashBucketFast(strings(input), num_buckets=int(num_buckets), name=name)


def to_hash_bucket_strong(input, num_buckets, key, name=None):
    """Hashes each string to `[0, num_buckets)` with SipHash-2-4 keyed by `key` (two ints)."""
    key = [int(k) for k in key]
    if len(key) != 2:
        raise InvalidArgumentError(
            None, None, "Key must have 2 elements [Op:StringToHashBucketStrong]"
        )
    return StringToHashBucketStrong(
        strings(input), num_buckets=int(num_buckets), key=key, name=name
    )
