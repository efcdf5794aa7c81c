"""TFRecord files, byte-compatible with TensorFlow's.

Each record is `uint64 length | uint32 masked_crc32c(length) | data | uint32 masked_crc32c(data)`
(little endian); a file may be GZIP- or ZLIB-compressed as a whole. Reading checks both CRCs and
raises `DataLossError` on corruption or truncation instead of skipping records.
"""

from __future__ import annotations

import gzip
import os
import struct
import tempfile
import zlib

from tensorflux._src.core import errors

try:
    import google_crc32c as _crc

    def crc32c(data: bytes) -> int:
        return _crc.value(data)

except ImportError:  # pragma: no cover - the pure-Python fallback of DESIGN §9
    _TABLE = []
    for _i in range(256):
        _c = _i
        for _ in range(8):
            _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
        _TABLE.append(_c)

    def crc32c(data: bytes) -> int:
        c = 0xFFFFFFFF
        for b in data:
            c = _TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
        return c ^ 0xFFFFFFFF


_MASK_DELTA = 0xA282EAD8


def masked_crc(data: bytes, _crc=crc32c) -> int:
    """TFRecord's masked CRC32C of `data`."""
    c = _crc(data)
    return ((((c >> 15) | (c << 17)) & 0xFFFFFFFF) + _MASK_DELTA) & 0xFFFFFFFF


if "_crc" in globals():
    masked_crc.__defaults__ = (_crc.value,)  # skip one Python call per record on the fast path

_U64 = struct.Struct("<Q")
_U32 = struct.Struct("<I")


class TFRecordCompressionType:
    NONE = 0
    ZLIB = 1
    GZIP = 2


_NAMES = {None: "", "": "", 0: "", "ZLIB": "ZLIB", 1: "ZLIB", "GZIP": "GZIP", 2: "GZIP"}


class TFRecordOptions:
    """How a TFRecord file is compressed.

    Args:
      compression_type: "", "ZLIB" or "GZIP" (or a `TFRecordCompressionType` value).
      flush_mode, input_buffer_size, output_buffer_size, window_bits, compression_method,
      mem_level, compression_strategy: accepted (zlib defaults are used).
      compression_level: 0-9 (default 6 for ZLIB/GZIP).
    """

    compression_type_map = {"": TFRecordCompressionType.NONE,
                            "ZLIB": TFRecordCompressionType.ZLIB,
                            "GZIP": TFRecordCompressionType.GZIP}  # fmt: skip

    def __init__(
        self,
        compression_type=None,
        flush_mode=None,
        input_buffer_size=None,
        output_buffer_size=None,
        window_bits=None,
        compression_level=None,
        compression_method=None,
        mem_level=None,
        compression_strategy=None,
    ):
        if isinstance(compression_type, TFRecordOptions):
            compression_type = compression_type.compression_type
        if compression_type not in _NAMES:
            raise ValueError(f'Unsupported compression type: {compression_type!r}; expected '
                             '"", "ZLIB" or "GZIP"')  # fmt: skip
        self.compression_type = _NAMES[compression_type]
        self.flush_mode = flush_mode
        self.input_buffer_size = input_buffer_size
        self.output_buffer_size = output_buffer_size
        self.window_bits = window_bits
        self.compression_level = compression_level
        self.compression_method = compression_method
        self.mem_level = mem_level
        self.compression_strategy = compression_strategy

    @classmethod
    def get_compression_type_string(cls, options):
        if options is None:
            return ""
        if isinstance(options, TFRecordOptions):
            return options.compression_type
        return TFRecordOptions(options).compression_type


def _options(options) -> TFRecordOptions:
    if isinstance(options, TFRecordOptions):
        return options
    return TFRecordOptions(options)


def encode_record(data: bytes) -> bytes:
    header = _U64.pack(len(data))
    return b"".join((header, _U32.pack(masked_crc(header)), data, _U32.pack(masked_crc(data))))


class TFRecordWriter:
    """Writes records to a TFRecord file.

    The file is written under a temporary name in the same directory and renamed into place by
    `close()`, so an interrupted write never leaves a truncated file at `path`.

    Args:
      path: the file to write.
      options: a `TFRecordOptions` or a compression type string.
    """

    def __init__(self, path, options=None):
        self._path = os.fspath(path)
        self._options = _options(options)
        directory = os.path.dirname(os.path.abspath(self._path))
        if not os.path.isdir(directory):
            raise errors.NotFoundError(None, None, f"{directory}; No such file or directory")
        fd, self._tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-tfrecord-")
        raw = os.fdopen(fd, "wb")
        level = self._options.compression_level
        kind = self._options.compression_type
        if kind == "GZIP":
            self._raw = raw
            self._f = gzip.GzipFile(fileobj=raw, mode="wb",
                                    compresslevel=6 if level is None else level)  # fmt: skip
            self._z = None
        elif kind == "ZLIB":
            self._raw = raw
            self._f = raw
            self._z = zlib.compressobj(-1 if level is None else level)
        else:
            self._raw = raw
            self._f = raw
            self._z = None
        self._closed = False

    def write(self, record) -> None:
        """Appends one record (bytes or str)."""
        if self._closed:
            raise errors.FailedPreconditionError(None, None, "Writer is closed.")
        if isinstance(record, str):
            record = record.encode()
        elif hasattr(record, "numpy"):
            record = record.numpy()
        data = encode_record(bytes(record))
        self._f.write(self._z.compress(data) if self._z is not None else data)

    def flush(self) -> None:
        """Flushes buffered records to the (temporary) file."""
        if self._z is not None:
            self._f.write(self._z.flush(zlib.Z_SYNC_FLUSH))
        self._f.flush()

    def close(self) -> None:
        """Finishes the file and moves it to `path`."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._z is not None:
                self._f.write(self._z.flush())
            self._f.close()
            if self._raw is not self._f:
                self._raw.close()
            os.replace(self._tmp, self._path)
        except BaseException:
            if os.path.exists(self._tmp):
                os.remove(self._tmp)
            raise

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None and not self._closed:
            self._closed = True
            try:
                self._f.close()
            finally:
                if os.path.exists(self._tmp):
                    os.remove(self._tmp)
            return False
        self.close()
        return False

    def __del__(self):
        try:
            if not self._closed:
                self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass


def _read_all(path: str, options) -> bytes:
    kind = _options(options).compression_type
    try:
        with open(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise errors.NotFoundError(None, None, f"{path}; No such file or directory") from None
    try:
        if kind == "GZIP":
            return gzip.decompress(data)
        if kind == "ZLIB":
            return zlib.decompress(data)
    except (OSError, zlib.error, EOFError) as e:
        raise errors.DataLossError(None, None, f"corrupted compressed record file {path}: {e}")
    return data


def iter_records(data: bytes, path: str = "<bytes>"):
    """Yields the records of TFRecord bytes; DataLossError on a bad CRC or a truncated record."""
    pos, n = 0, len(data)
    while pos < n:
        if n - pos < 12:
            raise errors.DataLossError(None, None, f"truncated record at {pos} in {path}")
        header = data[pos : pos + 8]
        (length,) = _U64.unpack(header)
        (hcrc,) = _U32.unpack_from(data, pos + 8)
        if hcrc != masked_crc(header):
            raise errors.DataLossError(None, None, f"corrupted record at {pos} in {path}")
        start = pos + 12
        end = start + length
        if end + 4 > n:
            raise errors.DataLossError(None, None, f"truncated record at {pos} in {path}")
        body = data[start:end]
        (dcrc,) = _U32.unpack_from(data, end)
        if dcrc != masked_crc(body):
            raise errors.DataLossError(None, None, f"corrupted record at {pos} in {path}")
        yield body
        pos = end + 4


def tf_record_iterator(path, options=None):
    """Yields each record of a TFRecord file as bytes (TensorFlow's `tf_record_iterator`)."""
    path = os.fspath(path)
    yield from iter_records(_read_all(path, options), path)
