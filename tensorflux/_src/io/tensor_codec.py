"""Byte codecs of `tf.io`: tensors as TensorProto bytes, raw bytes, CSV, compression, base64, JSON.

`serialize_tensor` writes TensorFlow's `TensorProto` wire format (dtype, shape, then
`tensor_content` little-endian bytes, or one `string_val` per element for strings), encoded by
the small writer below; `parse_tensor` also reads the typed `*_val` fields TensorFlow accepts,
filling missing elements with the last value given (or zero). Every codec is a host op on string
tensors, so it runs eagerly and inside tf.function.
"""

from __future__ import annotations

import base64
import re
import struct
import zlib

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import DataLossError, InvalidArgumentError
from tensorflux._src.core.infer import legacy_name
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _flat(arr):
    return np.asarray(arr, dtype=object).reshape(-1)


def _to_bytes(v) -> bytes:
    return v.encode("utf-8") if isinstance(v, str) else bytes(v)


def _string_input(in_dtypes, op):
    if in_dtypes[0] is not dtypes.string:
        raise _err(f"{op}: input must be a string tensor, got {in_dtypes[0].name}")


def _elementwise(name, fn):
    """Declares a string -> string op applying `fn(bytes, **attrs)` to every element."""
    op = defop(name, infer=Rule(lambda d, a: _string_input(d, name) or dtypes.string,
                                lambda inputs, attrs: inputs[0].shape))  # fmt: skip

    @op.kernel
    def _(xp, x, **attrs):
        a = np.asarray(x, dtype=object)
        out = np.empty(a.shape, dtype=object)
        flat = out.reshape(-1)
        for i, v in enumerate(a.reshape(-1)):
            flat[i] = fn(_to_bytes(v), **attrs)
        return out

    not_differentiable(op)
    return op


def _tensor(x, dtype=None):
    from tensorflux._src.tensor import convert_to_tensor

    return convert_to_tensor(x, dtype=dtype)


# ------------------------------------------------------------------ TensorProto wire format


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _key(field: int, wire: int) -> bytes:
    return _varint(field << 3 | wire)


def _len_field(field: int, data: bytes) -> bytes:
    return _key(field, 2) + _varint(len(data)) + data


def tensor_proto_bytes(arr: np.ndarray, dtype) -> bytes:
    """A TensorProto for `arr`, byte-identical to what TensorFlow's serialize_tensor writes."""
    dims = b"".join(_len_field(2, _key(1, 0) + _varint(d) if d else b"") for d in arr.shape)
    out = _key(1, 0) + _varint(dtype.as_datatype_enum) + _len_field(2, dims)
    if dtype is dtypes.string:
        out += b"".join(_len_field(8, _to_bytes(v)) for v in arr.reshape(-1))
    elif arr.size:
        np_dt = np.dtype(dtype.as_numpy_dtype).newbyteorder("<")
        out += _len_field(4, np.ascontiguousarray(arr, dtype=np_dt).tobytes())
    return out


def _read_varint(buf: bytes, pos: int):
    shift = result = 0
    while True:
        if pos >= len(buf) or shift > 63:
            raise ValueError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        shift += 7
        if b < 0x80:
            return result, pos


def _fields(buf: bytes):
    """(field number, wire type, value) triples of a protobuf message."""
    pos, out = 0, []
    while pos < len(buf):
        key, pos = _read_varint(buf, pos)
        field, wire = key >> 3, key & 7
        if wire == 0:
            val, pos = _read_varint(buf, pos)
        elif wire == 1:
            val, pos = buf[pos : pos + 8], pos + 8
        elif wire == 5:
            val, pos = buf[pos : pos + 4], pos + 4
        elif wire == 2:
            n, pos = _read_varint(buf, pos)
            val, pos = buf[pos : pos + n], pos + n
        else:
            raise ValueError(f"unsupported wire type {wire}")
        if pos > len(buf) or field == 0:
            raise ValueError("truncated message")
        out.append((field, wire, val))
    return out


def _signed(n: int) -> int:
    return n - (1 << 64) if n >= 1 << 63 else n


# field number of the typed value list -> (struct format of a fixed-width item, or None: varint)
_VAL_FIELDS = {5: "<f", 6: "<d", 7: None, 9: "<f", 10: None, 11: None, 12: "<d", 13: None,
               16: None, 17: None}  # fmt: skip
_FIELD_OF = {
    1: 5, 2: 6, 3: 7, 4: 7, 5: 7, 6: 7, 17: 7, 8: 9, 9: 10, 10: 11, 18: 12, 19: 13, 14: 13,
    22: 16, 23: 17,
}  # fmt: skip


def _typed_values(field: int, items) -> list:
    fmt = _VAL_FIELDS[field]
    out: list = []
    for wire, val in items:
        if wire == 2 and fmt is not None:
            out.extend(v[0] for v in struct.iter_unpack(fmt, val))
        elif wire == 2:
            pos = 0
            while pos < len(val):
                n, pos = _read_varint(val, pos)
                out.append(n)
        elif fmt is not None:
            out.append(struct.unpack(fmt, val)[0])
        else:
            out.append(val)
    return out


def parse_tensor_proto(buf: bytes):
    """(numpy array, DType) from TensorProto bytes; raises ValueError when malformed."""
    fields = _fields(buf)
    enum, shape, content, strings, vals = 0, [], None, [], {}
    for field, wire, val in fields:
        if field == 1 and wire == 0:
            enum = val
        elif field == 2 and wire == 2:
            for f2, w2, v2 in _fields(val):
                if f2 == 2 and w2 == 2:
                    size = 0
                    for f3, w3, v3 in _fields(v2):
                        if f3 == 1 and w3 == 0:
                            size = _signed(v3)
                    shape.append(size)
                elif f2 == 3 and v2:
                    raise ValueError("unknown rank")
        elif field == 4 and wire == 2:
            content = val
        elif field == 8 and wire == 2:
            strings.append(bytes(val))
        elif field in _VAL_FIELDS:
            vals.setdefault(field, []).append((wire, val))
    dtype = dtypes._BY_ENUM.get(enum)
    if dtype is None or not dtype.is_numpy_compatible and dtype is not dtypes.string:
        raise ValueError(f"unsupported dtype enum {enum}")
    if any(d < 0 for d in shape):
        raise ValueError("negative dimension")
    n = int(np.prod(shape)) if shape else 1
    if dtype is dtypes.string:
        items = strings
        arr_dt = np.dtype(object)
    else:
        arr_dt = np.dtype(dtype.as_numpy_dtype)
        if content is not None:
            a = np.frombuffer(content, dtype=arr_dt.newbyteorder("<"))
            if a.size != n:
                raise ValueError("tensor_content size does not match the shape")
            return a.astype(arr_dt).reshape(shape), dtype
        field = _FIELD_OF.get(enum)
        items = _typed_values(field, vals.get(field, [])) if field else []
        if dtype.is_complex:
            items = [complex(r, i) for r, i in zip(items[::2], items[1::2])]
        elif dtype in (dtypes.float16, dtypes.bfloat16):
            bits = np.array(items, dtype=np.uint16)
            items = list(bits.view(arr_dt))
        elif dtype in (dtypes.int64, dtypes.int32, dtypes.int16, dtypes.int8):
            items = [_signed(v) for v in items]
    if len(items) > n:
        raise ValueError("more values than the shape holds")
    if not items:
        fill = b"" if dtype is dtypes.string else 0
        return np.full(shape, fill, dtype=arr_dt), dtype
    items = list(items) + [items[-1]] * (n - len(items))
    return np.array(items, dtype=arr_dt).reshape(shape), dtype


def _scalar_shape(inputs, attrs):
    return TensorShape([])


SerializeTensor = defop("SerializeTensor", infer=Rule(lambda d, a: dtypes.string, _scalar_shape))


@SerializeTensor.kernel
def _(xp, x, T):  # noqa: N803
    host = x.get() if hasattr(x, "get") else np.asarray(x)
    return np.array(tensor_proto_bytes(host, T), dtype=object)


def _parse_dtype(in_dtypes, attrs):
    _string_input(in_dtypes, "ParseTensor")
    return attrs["out_type"]


ParseTensor = defop(
    "ParseTensor", infer=Rule(_parse_dtype, lambda inputs, attrs: TensorShape(None))
)


@ParseTensor.kernel
def _(xp, serialized, out_type):
    a = np.asarray(serialized, dtype=object)
    if a.ndim != 0:
        raise _err(f"ParseTensor: serialized must be a scalar, got shape {list(a.shape)}")
    raw = _to_bytes(a.item())
    try:
        arr, dt = parse_tensor_proto(raw)
    except (ValueError, struct.error):
        b64 = base64.b64encode(raw).decode("ascii")
        raise _err(f"Could not parse `serialized` as TensorProto, base64: {b64}") from None
    if dt is not out_type:
        raise _err(f"Type mismatch between parsed tensor ({legacy_name(dt)}) and dtype "
                   f"({legacy_name(out_type)})")  # fmt: skip
    return xp.asarray(arr) if dt is not dtypes.string else arr


not_differentiable(SerializeTensor, ParseTensor)


def serialize_tensor(tensor, name=None):
    """Serializes a tensor as TensorFlow's TensorProto bytes (a scalar string tensor).

    Args:
      tensor: any tensor (numeric, bool or string).
      name: the op name.

    Returns:
      A scalar `tf.string` tensor; `parse_tensor` (here or in TensorFlow) reads it back.
    """
    t = _tensor(tensor)
    return SerializeTensor(t, T=t.dtype, name=name)


def parse_tensor(serialized, out_type, name=None):
    """Reads a tensor back from TensorProto bytes.

    Args:
      serialized: a scalar string tensor holding a serialized TensorProto.
      out_type: the dtype the tensor must have.
      name: the op name.

    Returns:
      The tensor (its shape is unknown until run time inside tf.function).

    Raises:
      InvalidArgumentError: the bytes are not a TensorProto or hold another dtype.
    """
    return ParseTensor(_tensor(serialized, dtypes.string), out_type=dtypes.as_dtype(out_type),
                       name=name)  # fmt: skip


def serialize_sparse(sp_input, out_type=dtypes.string, name=None):
    """Serializes a SparseTensor as a 3-vector: its indices, values and dense shape as TensorProtos.

    Args:
      sp_input: a `tf.SparseTensor`.
      out_type: `tf.string` (`tf.variant` is not supported).
      name: the op name.

    Returns:
      A `[3]` string tensor.
    """
    from tensorflux._src.ops.array_ops import stack

    if dtypes.as_dtype(out_type) is not dtypes.string:
        raise NotImplementedError("serialize_sparse: only out_type=tf.string is supported")
    parts = [serialize_tensor(sp_input.indices), serialize_tensor(sp_input.values),
             serialize_tensor(sp_input.dense_shape)]  # fmt: skip
    return stack(parts, name=name)


# ------------------------------------------------------------------ raw bytes


_RAW_TYPES = (
    dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32, dtypes.uint16, dtypes.uint8,
    dtypes.int16, dtypes.int8, dtypes.int64, dtypes.complex64, dtypes.complex128, dtypes.bool,
    dtypes.bfloat16,
)  # fmt: skip


def _raw_dtype(in_dtypes, attrs):
    _string_input(in_dtypes, "DecodeRaw")
    t = attrs["out_type"]
    if t not in _RAW_TYPES:
        raise _err(f"Value for attr 'out_type' of {legacy_name(t)} is not in the list of allowed "
                   "values: half, float, double, int32, uint16, uint8, int16, int8, int64, "
                   "complex64, complex128, bool, bfloat16")  # fmt: skip
    return t


def _np_raw(out_type, little_endian):
    dt = np.dtype(out_type.as_numpy_dtype)
    return dt if dt.itemsize == 1 else dt.newbyteorder("<" if little_endian else ">")


def _raw_shape(inputs, attrs):
    return inputs[0].shape.concatenate([None])


DecodeRaw = defop("DecodeRaw", infer=Rule(_raw_dtype, _raw_shape))


@DecodeRaw.kernel
def _(xp, x, out_type, little_endian=True):
    a = np.asarray(x, dtype=object)
    dt = _np_raw(out_type, little_endian)
    flat = [_to_bytes(v) for v in a.reshape(-1)]
    size = len(flat[0]) if flat else 0
    for i, b in enumerate(flat):
        if len(b) != size:
            raise _err("DecodeRaw requires input strings to all be the same size, but element "
                       f"{i} has size {len(b)} != {size}")  # fmt: skip
    if size % dt.itemsize:
        raise _err(f"Input to DecodeRaw has length {size} that is not a multiple of "
                   f"{dt.itemsize}, the size of {legacy_name(out_type)}")  # fmt: skip
    if a.ndim == 0:
        out = np.frombuffer(flat[0], dtype=dt)
    else:
        out = np.frombuffer(b"".join(flat), dtype=dt).reshape(a.shape + (size // dt.itemsize,))
    return xp.asarray(out.astype(dt.newbyteorder("=")))


def _padded_shape(inputs, attrs):
    from tensorflux._src.core.infer import static_value

    n = static_value(inputs[1])
    size = np.dtype(attrs["out_type"].as_numpy_dtype).itemsize
    return inputs[0].shape.concatenate([None if n is None else int(n) // size])


DecodePaddedRaw = defop("DecodePaddedRaw", infer=Rule(_raw_dtype, _padded_shape), host_inputs=(1,))


@DecodePaddedRaw.kernel
def _(xp, x, fixed_length, out_type, little_endian=True):
    a = np.asarray(x, dtype=object)
    n = int(np.asarray(fixed_length))
    dt = _np_raw(out_type, little_endian)
    if n % dt.itemsize:
        raise _err(f"fixed_length ({n}) must be a multiple of the size of out_type "
                   f"({dt.itemsize})")  # fmt: skip
    buf = b"".join(_to_bytes(v)[:n].ljust(n, b"\0") for v in a.reshape(-1))
    out = np.frombuffer(buf, dtype=dt).reshape(a.shape + (n // dt.itemsize,))
    return xp.asarray(out.astype(dt.newbyteorder("=")))


not_differentiable(DecodeRaw, DecodePaddedRaw)


def decode_raw(input_bytes, out_type, little_endian=True, fixed_length=None, name=None):
    """Reinterprets the bytes of each string as a vector of numbers.

    Args:
      input_bytes: a string tensor; all elements must have the same length unless `fixed_length`.
      out_type: the element dtype (numeric or bool).
      little_endian: the byte order of the data.
      fixed_length: pad (with zeros) or cut every string to this many bytes first.
      name: the op name.

    Returns:
      A tensor of shape `input_bytes.shape + [n]`.
    """
    x = _tensor(input_bytes, dtypes.string)
    out_type = dtypes.as_dtype(out_type)
    if fixed_length is None:
        return DecodeRaw(x, out_type=out_type, little_endian=little_endian, name=name)
    n = _tensor(fixed_length, dtypes.int32)
    return DecodePaddedRaw(x, n, out_type=out_type, little_endian=little_endian, name=name)


# ------------------------------------------------------------------ compression, base64, JSON


def _decompress(b: bytes, compression_type=""):
    if compression_type == "":
        return b
    if compression_type == "ZSTD":
        raise NotImplementedError("decode_compressed: ZSTD is not supported yet")
    if compression_type not in ("ZLIB", "GZIP"):
        raise _err("Only ZLIB, ZSTD, GZIP or NONE are supported compressions")
    try:
        d = zlib.decompressobj(15 if compression_type == "ZLIB" else 31)
        out = d.decompress(b) + d.flush()
        if not d.eof:
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out
    except zlib.error as e:
        raise DataLossError(None, None, f"inflate() failed: {e}") from None


DecodeCompressed = _elementwise("DecodeCompressed", _decompress)

_B64 = re.compile(rb"[A-Za-z0-9_-]*={0,2}\Z")


def _b64encode(b: bytes, pad=False):
    out = base64.urlsafe_b64encode(b)
    return out if pad else out.rstrip(b"=")


def _b64decode(b: bytes):
    if not _B64.match(b):
        raise _err("Invalid character found in base64.")
    b = b.rstrip(b"=")
    if len(b) % 4 == 1:
        raise _err("Base64 string length cannot be 1 modulo 4.")
    return base64.urlsafe_b64decode(b + b"=" * (-len(b) % 4))


EncodeBase64 = _elementwise("EncodeBase64", _b64encode)
DecodeBase64 = _elementwise("DecodeBase64", _b64decode)


def _json_example(b: bytes):
    from google.protobuf import json_format

    from tensorflux._src.io.example_pb import Example

    try:
        return json_format.Parse(b.decode("utf-8"), Example()).SerializeToString()
    except (json_format.ParseError, UnicodeDecodeError) as e:
        raise _err(f"Error while parsing JSON: {e}") from None


DecodeJSONExample = _elementwise("DecodeJSONExample", _json_example)


def decode_compressed(bytes, compression_type="", name=None):  # noqa: A002 - TensorFlow's name
    """Decompresses each string of a tensor.

    Args:
      bytes: a string tensor of compressed data.
      compression_type: "" (no compression), "ZLIB" or "GZIP".
      name: the op name.

    Returns:
      A string tensor of the same shape with the decompressed data.

    Raises:
      DataLossError: the data is not valid for the compression type.
    """
    return DecodeCompressed(_tensor(bytes, dtypes.string), compression_type=compression_type,
                            name=name)  # fmt: skip


def encode_base64(input, pad=False, name=None):  # noqa: A002 - TensorFlow's name
    """Encodes each string with the web-safe base64 alphabet (`-` and `_`).

    Args:
      input: a string tensor.
      pad: whether to add `=` padding to a multiple of 4 characters.
      name: the op name.

    Returns:
      A string tensor of the same shape.
    """
    return EncodeBase64(_tensor(input, dtypes.string), pad=bool(pad), name=name)


def decode_base64(input, name=None):  # noqa: A002 - TensorFlow's name
    """Decodes web-safe base64 strings (padding optional).

    Raises:
      InvalidArgumentError: a string has a character outside the web-safe alphabet.
    """
    return DecodeBase64(_tensor(input, dtypes.string), name=name)


def decode_json_example(json_examples, name=None):
    """Converts `tf.train.Example` protos written in JSON into their binary serialization.

    Args:
      json_examples: a string tensor of JSON objects (protobuf's JSON mapping of Example).
      name: the op name.

    Returns:
      A string tensor of the same shape with serialized Examples.
    """
    return DecodeJSONExample(_tensor(json_examples, dtypes.string), name=name)


# ------------------------------------------------------------------ CSV

_CSV_TYPES = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.string)
_INT_RE = re.compile(r"\s*[+-]?\d+\s*\Z")
_FLOAT_RE = re.compile(r"\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|nan|inf|infinity)"
                       r"\s*\Z", re.IGNORECASE)  # fmt: skip


def _csv_fields(rec: bytes, delim: bytes, quotes: bool, r: int) -> list:
    """Splits one record into fields following TensorFlow's quoting rules."""
    fields, i, n = [], 0, len(rec)
    while True:
        if quotes and i < n and rec[i : i + 1] == b'"':
            buf, i = bytearray(), i + 1
            while True:
                j = rec.find(b'"', i)
                if j < 0:
                    raise _err("Quoted field has to end with quote followed by delim or end")
                buf += rec[i:j]
                nxt = rec[j + 1 : j + 2]
                if nxt == b'"':
                    buf += b'"'
                    i = j + 2
                elif nxt in (b"", delim):
                    i = j + 1
                    break
                else:
                    raise _err("Quote inside a string has to be escaped by another quote")
            fields.append(bytes(buf))
        else:
            j = rec.find(delim, i)
            j = n if j < 0 else j
            field = rec[i:j]
            if quotes and (b'"' in field or b"\n" in field or b"\r" in field):
                raise _err(f"Unquoted fields cannot have quotes/CRLFs inside, in record {r}")
            fields.append(field)
            i = j
        if i >= n:
            return fields
        i += 1  # past the delimiter
        if i == n:
            fields.append(b"")
            return fields


def _csv_value(text: bytes, dtype, col: int, r: int):
    if dtype is dtypes.string:
        return text
    s = text.decode("utf-8", "replace")
    if dtype in (dtypes.int32, dtypes.int64):
        bits = 32 if dtype is dtypes.int32 else 64
        if _INT_RE.match(s) and -(2 ** (bits - 1)) <= int(s) < 2 ** (bits - 1):
            return int(s)
    elif _FLOAT_RE.match(s):
        return float(s)
    raise _err(f"Field {col} in record {r} is not a valid {legacy_name(dtype)}: {s}")


def _csv_dtypes(in_dtypes, attrs):
    _string_input(in_dtypes, "DecodeCSV")
    outs = list(in_dtypes[1:])
    for t in outs:
        if t not in _CSV_TYPES:
            raise _err(f"Value for attr 'OUT_TYPE' of {legacy_name(t)} is not in the list of "
                       "allowed values: float, double, int32, int64, string")  # fmt: skip
    return outs


DecodeCSV = defop(
    "DecodeCSV",
    infer=Rule(_csv_dtypes, lambda inputs, attrs: [inputs[0].shape] * (len(inputs) - 1)),
    num_outputs=lambda attrs, n: n - 1,
    type_inputs=(),
)


@DecodeCSV.kernel
def _(xp, records, *defaults, OUT_TYPE, field_delim=",", use_quote_delim=True,  # noqa: N803
      na_value="", select_cols=()):  # fmt: skip
    if len(field_delim) != 1:
        raise _err("field_delim should be only 1 char")
    delim = field_delim.encode("utf-8")
    na = na_value.encode("utf-8")
    recs = np.asarray(records, dtype=object)
    ncols = len(defaults)
    cols = list(select_cols) if select_cols else list(range(ncols))
    defs = []
    for i, d in enumerate(defaults):
        d = np.asarray(d).reshape(-1)
        if d.size > 1:
            raise _err(f"record_defaults[{i}] must be a scalar or a 1-element vector")
        defs.append(d[0] if d.size else None)
    texts: list = [[] for _ in range(ncols)]
    for r, rec in enumerate(recs.reshape(-1)):
        b = _to_bytes(rec)
        if use_quote_delim and (b'"' in b or b"\n" in b or b"\r" in b):
            fields = _csv_fields(b, delim, use_quote_delim, r)
        else:
            fields = b.split(delim)
        if select_cols:
            if len(fields) <= cols[-1]:
                raise _err(f"Expect {cols[-1] + 1} fields but have {len(fields)} in record {r}")
            fields = [fields[c] for c in cols]
        elif len(fields) != ncols:
            raise _err(f"Expect {ncols} fields but have {len(fields)} in record {r}")
        for k in range(ncols):
            texts[k].append(fields[k])
    outs = []
    for k, (col, dtype) in enumerate(zip(texts, OUT_TYPE)):
        missing = np.array([t == b"" or (na and t == na) for t in col], dtype=bool)
        if missing.any() and defs[k] is None:
            raise _err(f"Field {k} is required but missing in record {int(np.argmax(missing))}!")
        npdt = object if dtype is dtypes.string else dtype.as_numpy_dtype
        out = np.empty(len(col), dtype=npdt)
        out[missing] = defs[k] if missing.any() else 0
        present = [t for t, m in zip(col, missing) if not m]
        rows = np.flatnonzero(~missing)
        if dtype is dtypes.string:
            vals = present
        else:
            vals = _csv_numbers(present, dtype)
            if vals is None:  # something failed to parse: find it for the message
                vals = [_csv_value(t, dtype, k, int(r)) for t, r in zip(present, rows)]
        if len(rows):
            out[rows] = vals
        outs.append(out.reshape(recs.shape))
    return outs


def _csv_numbers(texts, dtype):
    """Parses a column with NumPy; None when some field is not valid (the caller reports it)."""
    if not texts:
        return []
    if any(b"_" in t for t in texts):  # NumPy accepts digit separators, TensorFlow does not
        return None
    try:
        raw = np.array(texts, dtype=bytes)
        if dtype in (dtypes.int32, dtypes.int64):
            v = raw.astype(np.int64)
            info = np.iinfo(dtype.as_numpy_dtype)
            if v.min() < info.min or v.max() > info.max:
                return None
            return v
        return raw.astype(np.float64).astype(dtype.as_numpy_dtype)
    except (ValueError, OverflowError):
        return None


not_differentiable(DecodeCSV)


def decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="",
               select_cols=None, name=None):  # fmt: skip
    """Splits CSV records into one tensor per column.

    Args:
      records: a string tensor; each element is one CSV line.
      record_defaults: one entry per output column: a scalar or 1-element default (its dtype is
        the column's: float32, float64, int32, int64 or string), or an empty tensor for a
        required column.
      field_delim: the one-character delimiter.
      use_quote_delim: whether `"` quotes fields (`""` inside a quoted field is a quote).
      na_value: a field equal to this is missing (takes the default).
      select_cols: sorted column indices to keep (one per default).
      name: the op name.

    Returns:
      A list of tensors, each shaped like `records`.

    Raises:
      InvalidArgumentError: a record has the wrong number of fields, a value does not parse, or a
        required field is empty.
    """
    from tensorflux._src.tensor import Tensor

    recs = _tensor(records, dtypes.string)
    if select_cols is not None:
        select_cols = [int(c) for c in select_cols]
        if any(b <= a for a, b in zip(select_cols, select_cols[1:])) or (
            select_cols and select_cols[0] < 0
        ):
            raise ValueError("select_cols is not strictly increasing.")
        if len(select_cols) != len(record_defaults):
            raise ValueError("Length of select_cols and record_defaults do not match.")
    defs = []
    for d in record_defaults:
        if isinstance(d, Tensor):
            defs.append(d)
            continue
        a = np.asarray(d)
        if a.dtype.kind in "SUO":
            defs.append(_tensor(a.astype(object), dtypes.string))
        elif a.size == 0:
            defs.append(_tensor(np.zeros([0], np.float32)))
        else:
            defs.append(_tensor(d))
    return DecodeCSV(recs, *defs, OUT_TYPE=tuple(t.dtype for t in defs),
                     field_delim=field_delim, use_quote_delim=use_quote_delim,
                     na_value=na_value, select_cols=tuple(select_cols or ()),
                     name=name)  # fmt: skip
