"""Strings to numbers and back: `tf.strings.to_number` (StringToNumber) and `tf.strings.as_string`
(AsString), with TensorFlow's parsing rules and printf-style formatting."""

from __future__ import annotations

import re

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, legacy_name
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.ops.string_ops import expect, host, map_strings, strings
from tensorflux._src.tensor import convert_to_tensor

_NUMBER_OUT = (dtypes.float32, dtypes.float64, dtypes.int32, dtypes.int64, dtypes.uint32,
               dtypes.uint64)  # fmt: skip
_INT_TEXT = re.compile(rb"\s*[+-]?\d+\s*")
_HEX_TEXT = re.compile(rb"\s*[+-]?0[xX][0-9a-fA-F]+\s*")


def _to_number_dtype(dts, attrs):
    expect(dts[0], dtypes.string)
    out = attrs.get("out_type", dtypes.float32)
    check_allowed(out, _NUMBER_OUT, "out_type")
    return out


StringToNumber = defop(
    "StringToNumber", infer=Rule(_to_number_dtype, lambda inputs, attrs: inputs[0].shape)
)


def _bad(s: bytes):
    return InvalidArgumentError(
        None, None,
        f"StringToNumberOp could not correctly convert string: {s.decode('utf-8', 'replace')}",
    )  # fmt: skip


def _parse(s: bytes, out):
    if out.is_floating:
        if b"_" in s:
            raise _bad(s)
        try:
            v = float(s)
        except ValueError:
            if _HEX_TEXT.fullmatch(s) is None:
                raise _bad(s) from None
            v = float(int(s.strip(), 16))
        return v
    if _INT_TEXT.fullmatch(s) is None:
        raise _bad(s)
    v = int(s)
    info = np.iinfo(out.as_numpy_dtype)
    if not info.min <= v <= info.max:
        raise _bad(s)
    return v


@StringToNumber.kernel
def _(xp, x, out_type=dtypes.float32):
    return map_strings(x, lambda s: _parse(s, out_type), out_type.as_numpy_dtype)


def to_number(input, out_type=dtypes.float32, name=None):
    """Parses each string as a number of `out_type` (float32, float64, int32, int64, ...).

    Raises InvalidArgumentError for a string that is not a number of that type.
    """
    out = dtypes.as_dtype(out_type)
    return StringToNumber(strings(input), out_type=out, name=name)


# ------------------------------------------------------------------ as_string

_AS_STRING_IN = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64, dtypes.int8,
                 dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.uint16,
                 dtypes.uint32, dtypes.uint64, dtypes.complex64, dtypes.complex128, dtypes.bool,
                 dtypes.string, dtypes.variant)  # fmt: skip


def _as_string_dtype(dts, attrs):
    check_allowed(dts[0], _AS_STRING_IN)
    return dtypes.string


AsString = defop("AsString", infer=Rule(_as_string_dtype, lambda inputs, attrs: inputs[0].shape))
not_differentiable(StringToNumber, AsString)


def _float_spec(precision, scientific, shortest, width, fill):
    spec = "%" + fill + (str(width) if width > -1 else "")
    if precision > -1:
        spec += f".{precision}"
    return spec + ("e" if scientific else "g" if shortest else "f")


def _fmt_float(spec, nonfinite_spec, v):
    v = float(v)
    return (spec if np.isfinite(v) else nonfinite_spec) % v


@AsString.kernel
def _(xp, x, precision=-1, scientific=False, shortest=False, width=-1, fill=""):
    x = host(x)
    kind = x.dtype.kind
    if scientific and shortest:
        raise InvalidArgumentError(
            None, None, "Cannot select both scientific and shortest notation"
        )
    if len(fill) > 1:
        raise InvalidArgumentError(None, None, "Fill string must be one or fewer characters")
    if fill not in ("", " ", "0"):
        raise InvalidArgumentError(None, None, f'Fill argument not supported: "{fill}"')
    if kind not in "fcV":
        name = "string" if kind == "O" else legacy_name(dtypes.from_numpy(x.dtype))
        for flag, what in ((scientific, "scientific"), (shortest, "shortest"),
                           (precision > -1, "precision")):  # fmt: skip
            if flag:
                raise InvalidArgumentError(None, None, f"{what} not supported for datatype {name}")
    if kind == "O":
        return np.array(x, dtype=object)
    if kind == "b":
        return _apply(x, lambda v: b"true" if v else b"false")
    if kind in "iu":
        spec = "%" + fill + (str(width) if width > -1 else "") + "d"
        return _apply(x, lambda v: (spec % int(v)).encode())
    spec = _float_spec(precision, scientific, shortest, width, fill)
    plain = _float_spec(precision, scientific, shortest, width, "")  # no 0-fill for nan/inf
    if kind == "c":
        return _apply(
            x,
            lambda v: (
                f"({_fmt_float(spec, plain, v.real)},{_fmt_float(spec, plain, v.imag)})".encode()
            ),
        )
    return _apply(x, lambda v: _fmt_float(spec, plain, v).encode())


def _apply(x, fn) -> np.ndarray:
    out = np.empty(x.shape, dtype=object)
    flat = out.reshape(-1)
    for i, v in enumerate(x.reshape(-1)):
        flat[i] = fn(v)
    return out


def as_string(input, precision=-1, scientific=False, shortest=False, width=-1, fill="",
              name=None):  # fmt: skip
    """Formats each element as a string (printf-style `%f`/`%e`/`%g`, `%d`, `true`/`false`).

    `precision` digits after the point, `scientific` for `%e`, `shortest` for `%g`, `width` with
    `fill` (`""`, `" "` or `"0"`).
    """
    x = convert_to_tensor(input)
    return AsString(x, precision=precision, scientific=scientific, shortest=shortest,
                    width=width, fill=fill, name=name)  # fmt: skip
