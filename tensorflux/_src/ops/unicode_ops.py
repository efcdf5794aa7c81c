"""`tf.strings.unicode_*`: decoding strings to code points (ragged), encoding code points back,
transcoding between encodings, and Unicode script codes."""

from __future__ import annotations

import codecs
import threading

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops.string_ops import as_bytes, expect, host, map_strings, strings
from tensorflux._src.tensor import Tensor, convert_to_tensor

_MARK = "\ud800"  # a lone surrogate: no valid decoded text contains one
_local = threading.local()  # the invalid byte spans the decoder met, per thread


def _mark_error(e):
    _local.spans.append((e.start, e.end))
    return _MARK, e.end


codecs.register_error("tfx_mark", _mark_error)
_ERRORS = ("replace", "ignore", "strict")
_OUT_ENCODINGS = {"UTF-8": "utf-8", "UTF-16-BE": "utf-16-be", "UTF-32-BE": "utf-32-be"}


def _codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InvalidArgumentError(
            None, None, f"Could not create converter for input encoding: {encoding}"
        ) from None


def decode_one(s: bytes, codec: str, errors: str, replacement: int, replace_control: bool):
    """Code points of `s` and the byte offset where each starts."""
    _local.spans = spans = []
    text = s.decode(codec, "tfx_mark")
    codes, starts = [], []
    pos = 0
    for ch in text:
        if ch == _MARK:
            start, end = spans.pop(0)
            if errors == "strict":
                raise InvalidArgumentError(None, None, "Invalid formatting on input string")
            if errors == "replace":
                codes.append(replacement)
                starts.append(start)
            pos = end
            continue
        c = ord(ch)
        if replace_control and c < 0x20:
            c = replacement
        codes.append(c)
        starts.append(pos)
        pos += len(ch.encode(codec, "surrogatepass"))
    return codes, starts


def _decode_rule(with_offsets):
    def dtype(dts, attrs):
        expect(dts[0], dtypes.string)
        sp = attrs.get("Tsplits", dtypes.int64)
        return [sp, dtypes.int32] + ([dtypes.int64] if with_offsets else [])

    def shape(inputs, attrs):
        n = inputs[0].shape.num_elements() if inputs[0].shape.is_fully_defined() else None
        out = [TensorShape([None if n is None else n + 1]), TensorShape([None])]
        return out + ([TensorShape([None])] if with_offsets else [])

    return Rule(dtype, shape)


UnicodeDecode = defop("UnicodeDecode", infer=_decode_rule(False), num_outputs=2)
UnicodeDecodeWithOffsets = defop(
    "UnicodeDecodeWithOffsets", infer=_decode_rule(True), num_outputs=3
)


def _decode_kernel(x, input_encoding, errors, replacement_char, replace_control_characters,
                   Tsplits):  # fmt: skip
    codec = _codec(input_encoding)
    splits, codes, offsets = [0], [], []
    for s in host(x).reshape(-1):
        c, o = decode_one(as_bytes(s), codec, errors, replacement_char, replace_control_characters)
        codes += c
        offsets += o
        splits.append(len(codes))
    return (
        np.array(splits, dtype=Tsplits.as_numpy_dtype),
        np.array(codes, dtype=np.int32),
        np.array(offsets, dtype=np.int64),
    )


@UnicodeDecode.kernel
def _(xp, x, input_encoding, errors="replace", replacement_char=0xFFFD,
      replace_control_characters=False, Tsplits=dtypes.int64):  # fmt: skip
    return list(_decode_kernel(x, input_encoding, errors, replacement_char,
                               replace_control_characters, Tsplits)[:2])  # fmt: skip


@UnicodeDecodeWithOffsets.kernel
def _(xp, x, input_encoding, errors="replace", replacement_char=0xFFFD,
      replace_control_characters=False, Tsplits=dtypes.int64):  # fmt: skip
    return list(_decode_kernel(x, input_encoding, errors, replacement_char,
                               replace_control_characters, Tsplits))  # fmt: skip


# ------------------------------------------------------------------ encode


def _valid_code(c: int) -> bool:
    return 0 <= c <= 0x10FFFF and not 0xD800 <= c <= 0xDFFF


def encode_codes(codes, codec: str, errors: str, replacement: int) -> bytes:
    chars = []
    for c in codes:
        c = int(c)
        if not _valid_code(c):
            if errors == "strict":
                raise InvalidArgumentError(
                    None, None, "Code point is out of range for Unicode, or is a surrogate."
                )
            if errors == "ignore":
                continue
            c = replacement
        chars.append(chr(c))
    return "".join(chars).encode(codec)


def _encode_dtype(dts, attrs):
    expect(dts[0], dtypes.int32)
    return dtypes.string


def _encode_shape(inputs, attrs):
    n = inputs[1].shape[0] if inputs[1].shape.rank == 1 else None
    return TensorShape([None if n is None else n - 1])


UnicodeEncode = defop("UnicodeEncode", infer=Rule(_encode_dtype, _encode_shape))


@UnicodeEncode.kernel
def _(xp, values, splits, output_encoding, errors="replace", replacement_char=0xFFFD):
    values, splits = host(values), host(splits)
    codec = _OUT_ENCODINGS[output_encoding]
    out = np.empty(max(len(splits) - 1, 0), dtype=object)
    for i in range(out.size):
        out[i] = encode_codes(values[splits[i] : splits[i + 1]], codec, errors, replacement_char)
    return out


# ------------------------------------------------------------------ transcode / script

UnicodeTranscode = defop(
    "UnicodeTranscode",
    infer=Rule(lambda dts, a: (expect(dts[0], dtypes.string), dtypes.string)[1],
               lambda inputs, a: inputs[0].shape),
)  # fmt: skip


@UnicodeTranscode.kernel
def _(xp, x, input_encoding, output_encoding, errors="replace", replacement_char=0xFFFD,
      replace_control_characters=False):  # fmt: skip
    cin, cout = _codec(input_encoding), _OUT_ENCODINGS[output_encoding]

    def one(s):
        codes, _ = decode_one(s, cin, errors, replacement_char, replace_control_characters)
        return encode_codes(codes, cout, errors, replacement_char)

    return map_strings(x, one)


UnicodeScript = defop(
    "UnicodeScript",
    infer=Rule(lambda dts, a: (expect(dts[0], dtypes.int32), dtypes.int32)[1],
               lambda inputs, a: inputs[0].shape),
)  # fmt: skip


@UnicodeScript.kernel
def _script_kernel(xp, x):
    from tensorflux._src.ops.unicode_script import script_code

    x = host(x)
    out = np.empty(x.shape, dtype=np.int32)
    flat = out.reshape(-1)
    for i, c in enumerate(x.reshape(-1).tolist()):
        flat[i] = script_code(c)
    return out


@UnicodeScript.kernel(device="GPU")
def _(xp, x):
    return xp.asarray(_script_kernel(np, x))  # a host lookup; the result goes back to the GPU


not_differentiable(UnicodeDecode, UnicodeDecodeWithOffsets, UnicodeEncode, UnicodeTranscode,
                   UnicodeScript)  # fmt: skip


# ------------------------------------------------------------------ public functions


def _check_errors(errors):
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {_ERRORS}, got {errors!r}")


def _check_out_encoding(enc):
    if enc not in _OUT_ENCODINGS:
        raise ValueError(f"output_encoding must be one of {sorted(_OUT_ENCODINGS)}, got {enc!r}")


def _ragged_class():
    # Ragged results of string ops: the one upward import, made on first use.
    from tensorflux._src.ragged.ragged_tensor import RaggedTensor  # layer-ok: ragged outputs

    return RaggedTensor


def apply_ragged(input, fn_1d):
    """Applies `fn_1d` (a 1-D string tensor -> RaggedTensor, one row per string) to every
    string of `input`: a scalar gives the dense row, higher ranks keep their outer dims."""
    RaggedTensor = _ragged_class()
    if isinstance(input, RaggedTensor):
        return input.with_flat_values(fn_1d(input.flat_values))
    x = strings(input)
    rank = x.shape.rank
    if rank is None:
        raise ValueError("the rank of the string input must be known statically")
    if rank == 0:
        from tensorflux._src.ops import array_ops

        return fn_1d(array_ops.reshape(x, [1])).values
    if rank == 1:
        return fn_1d(x)
    rt = RaggedTensor.from_tensor(x, ragged_rank=rank - 1)
    return rt.with_flat_values(fn_1d(rt.flat_values))


def _decode_flat(x, input_encoding, errors, replacement_char, replace_control_characters,
                 with_offsets):  # fmt: skip
    RaggedTensor = _ragged_class()
    op = UnicodeDecodeWithOffsets if with_offsets else UnicodeDecode
    outs = op(x, input_encoding=input_encoding, errors=errors,
              replacement_char=int(replacement_char),
              replace_control_characters=bool(replace_control_characters))  # fmt: skip
    codes = RaggedTensor.from_row_splits(outs[1], outs[0], validate=False)
    if not with_offsets:
        return codes
    return codes, RaggedTensor.from_row_splits(outs[2], outs[0], validate=False)


def unicode_decode(input, input_encoding, errors="replace", replacement_char=65533,
                   replace_control_characters=False, name=None):  # fmt: skip
    """Decodes each string to its code points: a RaggedTensor of int32 (dense for a scalar).

    `errors`: "replace" (invalid bytes become `replacement_char`), "ignore" or "strict".
    """
    _check_errors(errors)
    return apply_ragged(
        input,
        lambda x: _decode_flat(
            x, input_encoding, errors, replacement_char, replace_control_characters, False
        ),
    )


def _pairwise(input, fn_pair):
    """Like `apply_ragged` for functions giving two RaggedTensors with the same partition."""
    holder = []

    def first(x):
        a, b = fn_pair(x)
        holder.append(b)
        return a

    a = apply_ragged(input, first)
    RaggedTensor = _ragged_class()
    b = holder[0]
    if isinstance(a, RaggedTensor):
        return a, a.with_flat_values(b.flat_values)
    return a, b.values


def unicode_decode_with_offsets(input, input_encoding, errors="replace", replacement_char=65533,
                                replace_control_characters=False, name=None):  # fmt: skip
    """`unicode_decode`, plus the byte offset where each character starts (int64)."""
    _check_errors(errors)
    return _pairwise(
        input,
        lambda x: _decode_flat(
            x, input_encoding, errors, replacement_char, replace_control_characters, True
        ),
    )


def _chars_of(codes_rt, input_encoding, errors, replacement_char):
    """Each code point encoded back as its own string (in `input_encoding`)."""
    from tensorflux._src.ops import creation_ops

    flat = codes_rt.values
    n = flat.shape[0]
    if n is None:
        from tensorflux._src.ops import array_ops

        n = array_ops.shape(flat, out_type=dtypes.int64)[0]
    splits = creation_ops.range(0, n + 1, dtype=dtypes.int64)
    enc = input_encoding.upper().replace("_", "-")
    enc = "UTF-8" if enc == "UTF8" else enc
    _check_out_encoding(enc)
    chars = UnicodeEncode(flat, splits, output_encoding=enc, errors=errors,
                          replacement_char=int(replacement_char))  # fmt: skip
    return codes_rt.with_values(chars)


def unicode_split(input, input_encoding, errors="replace", replacement_char=65533, name=None):
    """Splits each string into its characters (strings): a RaggedTensor (dense for a scalar)."""
    _check_errors(errors)
    return apply_ragged(input, lambda x: _chars_of(
        _decode_flat(x, input_encoding, errors, replacement_char, False, False),
        input_encoding, errors, replacement_char))  # fmt: skip


def unicode_split_with_offsets(input, input_encoding, errors="replace", replacement_char=65533,
                               name=None):  # fmt: skip
    """`unicode_split`, plus the byte offset where each character starts."""
    _check_errors(errors)

    def pair(x):
        codes, offs = _decode_flat(x, input_encoding, errors, replacement_char, False, True)
        return _chars_of(codes, input_encoding, errors, replacement_char), offs

    return _pairwise(input, pair)


def unicode_encode(input, output_encoding, errors="replace", replacement_char=65533, name=None):
    """Encodes code points along the innermost dimension into strings (UTF-8/16-BE/32-BE).

    `input` is an int32 Tensor of rank >= 1 or a RaggedTensor; the result has one rank less.
    """
    _check_errors(errors)
    _check_out_encoding(output_encoding)
    RaggedTensor = _ragged_class()
    attrs = dict(output_encoding=output_encoding, errors=errors,
                 replacement_char=int(replacement_char))  # fmt: skip
    if isinstance(input, RaggedTensor):
        if input.ragged_rank > 1:
            return input.with_values(unicode_encode(input.values, output_encoding, errors,
                                                    replacement_char))  # fmt: skip
        inner = input.values
        if inner.shape.rank != 1:  # uniform inner dims: encode those first
            inner = unicode_encode(inner, output_encoding, errors, replacement_char)
            return input.with_values(inner)
        splits = input.row_splits
        if splits.dtype is not dtypes.int64:
            from tensorflux._src.ops import math_ops

            splits = math_ops.cast(splits, dtypes.int64)
        return UnicodeEncode(inner, splits, **attrs, name=name)
    x = convert_to_tensor(input, dtype=dtypes.int32) if not isinstance(input, Tensor) else input
    if x.shape.rank == 0:
        raise ValueError("input_tensor's rank must be at least 1.")
    from tensorflux._src.ops import array_ops
    from tensorflux._src.ops.string_split_ops import dense_rows

    # Dense input: encode each innermost row, then restore the outer shape.
    rows, splits, outer = dense_rows(x)
    return array_ops.reshape(UnicodeEncode(rows, splits, **attrs, name=name), outer)


def unicode_transcode(
    input, input_encoding, output_encoding, errors="replace", replacement_char=65533,
    replace_control_characters=False, name=None,
):  # fmt: skip
    """Re-encodes each string from `input_encoding` to `output_encoding`."""
    _check_errors(errors)
    _check_out_encoding(output_encoding)
    return UnicodeTranscode(
        strings(input), input_encoding=input_encoding, output_encoding=output_encoding,
        errors=errors, replacement_char=int(replacement_char),
        replace_control_characters=bool(replace_control_characters), name=name,
    )  # fmt: skip


def unicode_script(input, name=None):
    """The ICU script code (UScriptCode) of each int32 code point; -1 for invalid ones."""
    x = input if isinstance(input, Tensor) else convert_to_tensor(input, dtype=dtypes.int32)
    return UnicodeScript(x, name=name)
