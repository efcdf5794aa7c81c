"""`tf.strings` element-wise and reducing ops: join, reduce_join, strip, case, length, substr,
regular expressions, unsorted_segment_join and format.

String tensors hold `bytes` in NumPy object arrays; kernels work on the host, element by element.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError, OutOfRangeError
from tensorflux._src.core.infer import check_allowed, legacy_name
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.tensor import Tensor, convert_to_tensor

_INDEX = (dtypes.int32, dtypes.int64)


def host(a) -> np.ndarray:
    """A kernel input as a host NumPy array."""
    return a.get() if hasattr(a, "get") else np.asarray(a)


def as_bytes(v) -> bytes:
    return v if isinstance(v, bytes) else (v.encode("utf-8") if isinstance(v, str) else bytes(v))


def map_strings(a, fn, dtype=object) -> np.ndarray:
    """Applies `fn` to every bytes element of `a`, giving an array of `a`'s shape."""
    a = host(a)
    out = np.empty(a.shape, dtype=dtype)
    flat = out.reshape(-1)
    for i, v in enumerate(a.reshape(-1)):
        flat[i] = fn(as_bytes(v))
    return out


def strings(x, name="input") -> Tensor:
    """`x` as a string tensor; tensors pass unchanged (the op's rule checks their dtype)."""
    if isinstance(x, Tensor) or getattr(x, "_is_variable", False):
        return x
    if isinstance(x, (list, tuple)) and _holds_tensor(x):
        from tensorflux._src.ops import array_ops

        return array_ops.Pack(*[strings(v) for v in x], axis=0)  # `[s]` of a traced `s`
    return convert_to_tensor(x, dtype=dtypes.string)


def _holds_tensor(x) -> bool:
    if isinstance(x, (list, tuple)):
        return any(_holds_tensor(v) for v in x)
    return isinstance(x, Tensor)


def expect(dt, want, i: int = 0) -> None:
    """TensorFlow's error for an input of the wrong fixed dtype."""
    if dt is not want:
        raise InvalidArgumentError(
            None, None,
            f"cannot compute {{op}} as input #{i}(zero-based) was expected to be a "
            f"{legacy_name(want)} tensor but is a {legacy_name(dt)} tensor",
        )  # fmt: skip


def _string_rule(out=dtypes.string):
    def dtype(in_dtypes, attrs):
        expect(in_dtypes[0], dtypes.string)
        return out

    return Rule(dtype, lambda inputs, attrs: inputs[0].shape)


# ------------------------------------------------------------------ join


def _join_shape(inputs, attrs):
    s = TensorShape([])
    for x in inputs:
        if x.shape.rank != 0:
            s = s.merge_with(x.shape) if s.rank != 0 else x.shape
    return s


def _all_strings(dts, attrs):
    for i, dt in enumerate(dts):
        expect(dt, dtypes.string, i)
    return dtypes.string


StringJoin = defop("StringJoin", infer=Rule(_all_strings, _join_shape), type_inputs=())


@StringJoin.kernel
def _(xp, *arrays, separator=""):
    arrays = [host(a) for a in arrays]
    shape = ()
    for a in arrays:
        if a.ndim:
            if shape and a.shape != shape:
                raise InvalidArgumentError(
                    None, None, f"Input shapes do not match: {list(shape)} vs. {list(a.shape)}"
                )
            shape = a.shape
    sep = as_bytes(separator)
    out = np.empty(shape, dtype=object)
    flat = out.reshape(-1)
    cols = [a.reshape(-1) if a.ndim else np.broadcast_to(a, (flat.size,)) for a in arrays]
    for i in range(flat.size):
        flat[i] = sep.join(as_bytes(c[i]) for c in cols)
    return out


def join(inputs, separator="", name=None):
    """Concatenates a list of string tensors element-wise (scalars broadcast), with `separator`.

    `tf.strings.join(["a", ["b", "c"]])` gives `[b"ab", b"ac"]`.
    """
    ts = [strings(x) for x in inputs]
    if not ts:
        return convert_to_tensor(b"", dtype=dtypes.string)
    return StringJoin(*ts, separator=separator, name=name)


# ------------------------------------------------------------------ reduce_join


def _reduce_join_shape(inputs, attrs):
    x, axes = inputs
    rank = x.shape.rank
    from tensorflux._src.core.infer import static_value

    ax = static_value(axes)
    if rank is None or ax is None:
        return TensorShape(None)
    ax = {int(a) % rank if rank else 0 for a in np.reshape(ax, -1)}
    dims = x.shape.as_list()
    if attrs.get("keep_dims"):
        return TensorShape([1 if i in ax else d for i, d in enumerate(dims)])
    return TensorShape([d for i, d in enumerate(dims) if i not in ax])


ReduceJoin = defop(
    "ReduceJoin",
    infer=Rule(
        lambda dts, attrs: (expect(dts[0], dtypes.string), dtypes.string)[1], _reduce_join_shape
    ),  # fmt: skip
    host_inputs=(1,),
)


@ReduceJoin.kernel
def _(xp, x, axes, keep_dims=False, separator=""):
    x = host(x)
    rank = x.ndim
    order = []
    for a in np.reshape(axes, -1).tolist():
        if not -rank <= a < rank:
            raise OutOfRangeError(
                None, None, f"Invalid reduction dimension {a} for input with {rank} dimension(s)"
            )
        a %= rank
        if a in order:
            raise InvalidArgumentError(None, None, f"Duplicate reduction dimension {a}")
        order.append(a)
    kept = [i for i in range(rank) if i not in order]
    # The first listed axis varies fastest in the joined text, the last listed slowest.
    moved = np.transpose(x, kept + order[::-1])
    rows = moved.reshape([x.shape[i] for i in kept] + [int(np.prod([x.shape[i] for i in order]))])
    sep = as_bytes(separator)
    out = np.empty(rows.shape[:-1], dtype=object)
    flat = out.reshape(-1)
    rflat = rows.reshape(flat.size, rows.shape[-1])
    for i in range(flat.size):
        flat[i] = sep.join(as_bytes(v) for v in rflat[i])
    if keep_dims:
        out = out.reshape([1 if i in order else d for i, d in enumerate(x.shape)])
    return out


def reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    """Joins the strings of `inputs` along `axis` (all axes when None), with `separator`.

    With several axes the first listed varies fastest in the result, as in TensorFlow.
    """
    x = strings(inputs)
    if axis is None:
        rank = x.shape.rank
        if rank is None:
            from tensorflux._src.ops import creation_ops, shape_ops

            r = shape_ops.rank(x)
            axis = creation_ops.range(r - 1, -1, -1)
        else:
            axis = list(range(rank - 1, -1, -1))
    elif isinstance(axis, (int, np.integer)):
        axis = [int(axis)]
    return ReduceJoin(x, axis, keep_dims=bool(keepdims), separator=separator, name=name)


# ------------------------------------------------------------------ strip / case / length

StringStrip = defop("StringStrip", infer=_string_rule())
StringLower = defop("StringLower", infer=_string_rule())
StringUpper = defop("StringUpper", infer=_string_rule())
StringLength = defop("StringLength", infer=_string_rule(dtypes.int32))

_SPACE = b" \t\n\v\f\r"


@StringStrip.kernel
def _(xp, x):
    return map_strings(x, lambda s: s.strip(_SPACE))


def _case(fn_name):
    def kernel(xp, x, encoding=""):
        if encoding == "":
            # Without an encoding only ASCII letters change, byte by byte.
            return map_strings(x, getattr(bytes, fn_name))
        if encoding.lower().replace("-", "") != "utf8":
            raise InvalidArgumentError(None, None, f"encoding '{encoding}' is not supported")
        return map_strings(
            x,
            lambda s: getattr(s.decode("utf-8", "surrogateescape"), fn_name)().encode(
                "utf-8", "surrogateescape"
            ),
        )

    return kernel


StringLower.kernel(_case("lower"))
StringUpper.kernel(_case("upper"))


def utf8_len(s: bytes) -> int:
    """Number of UTF-8 characters: bytes that are not continuation bytes."""
    return sum(1 for b in s if (b & 0xC0) != 0x80)


@StringLength.kernel
def _(xp, x, unit="BYTE"):
    fn = len if unit == "BYTE" else utf8_len
    return map_strings(x, fn, dtype=np.int32)


def _check_unit(unit):
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"unit must be one of 'BYTE', 'UTF8_CHAR'; got {unit!r}")


def strip(input, name=None):
    """Removes leading and trailing ASCII whitespace from each string."""
    return StringStrip(strings(input), name=name)


def lower(input, encoding="", name=None):
    """Lower-cases each string: ASCII bytes only, or all of Unicode with `encoding="utf-8"`."""
    return StringLower(strings(input), encoding=encoding, name=name)


def upper(input, encoding="", name=None):
    """Upper-cases each string: ASCII bytes only, or all of Unicode with `encoding="utf-8"`."""
    return StringUpper(strings(input), encoding=encoding, name=name)


def length(input, unit="BYTE", name=None):
    """The length of each string, in bytes or (`unit="UTF8_CHAR"`) in UTF-8 characters."""
    _check_unit(unit)
    return StringLength(strings(input), unit=unit, name=name)


# ------------------------------------------------------------------ substr


def _substr_dtype(dts, attrs):
    expect(dts[0], dtypes.string)
    check_allowed(dts[1], _INDEX)
    if dts[1] is not dts[2]:
        raise InvalidArgumentError(None, None, "pos and len must have the same dtype")
    return dtypes.string


def _substr_shape(inputs, attrs):
    x, pos, ln = inputs
    if pos.shape.is_fully_defined() and ln.shape.is_fully_defined() and pos.shape != ln.shape:
        raise ValueError(
            f"pos and len should have the same shape, got: {pos.shape.as_list()} vs. "
            f"{ln.shape.as_list()}"
        )
    return broadcast_shapes(x.shape, pos.shape)


Substr = defop("Substr", infer=Rule(_substr_dtype, _substr_shape), host_inputs=(1, 2))


def _utf8_starts(s: bytes) -> list:
    return [i for i, b in enumerate(s) if (b & 0xC0) != 0x80] + [len(s)]


@Substr.kernel
def _(xp, x, pos, ln, unit="BYTE"):
    x, pos, ln = host(x), np.asarray(pos), np.asarray(ln)
    if pos.shape != ln.shape:
        raise InvalidArgumentError(
            None, None,
            f"pos and len should have the same shape, got: {list(pos.shape)} vs. "
            f"{list(ln.shape)}",
        )  # fmt: skip
    bx, bp, bl = np.broadcast_arrays(x, pos, ln)
    out = np.empty(bx.shape, dtype=object)
    flat = out.reshape(-1)
    for i, (s, p, n) in enumerate(zip(bx.reshape(-1), bp.reshape(-1), bl.reshape(-1))):
        s, p, n = as_bytes(s), int(p), int(n)
        starts = _utf8_starts(s) if unit == "UTF8_CHAR" else None
        size = len(s) if starts is None else len(starts) - 1
        if not -size <= p <= size:
            raise InvalidArgumentError(
                None, None, f"pos {p} out of range for string b'{s.decode('latin-1')}' at index {i}"
            )
        if p < 0:
            p += size
        end = size if n < 0 else min(size, p + n)
        flat[i] = s[p:end] if starts is None else s[starts[p] : starts[end]]
    return out


def substr(input, pos, len, unit="BYTE", name=None):  # noqa: A002 - TensorFlow's argument name
    """Substrings of `len` units starting at `pos` (negative: from the end), broadcasting."""
    _check_unit(unit)
    x = strings(input)
    p = convert_to_tensor(pos, dtype_hint=dtypes.int32)
    n = convert_to_tensor(len, dtype=p.dtype)
    return Substr(x, p, n, unit=unit, name=name)


# ------------------------------------------------------------------ unsorted_segment_join


def _segment_join_shape(inputs, attrs):
    x, ids, num = inputs
    from tensorflux._src.core.infer import static_value

    n = static_value(num)
    n = None if n is None else int(n)
    if x.shape.rank is None or ids.shape.rank is None:
        return TensorShape(None)
    return TensorShape([n] + x.shape.as_list()[ids.shape.rank :])


UnsortedSegmentJoin = defop(
    "UnsortedSegmentJoin",
    infer=Rule(
        lambda dts, a: (expect(dts[0], dtypes.string), dtypes.string)[1], _segment_join_shape
    ),  # fmt: skip
    host_inputs=(1, 2),
)


@UnsortedSegmentJoin.kernel
def _(xp, x, ids, num, separator=""):
    x, ids, num = host(x), np.asarray(ids), int(np.asarray(num))
    if x.shape[: ids.ndim] != ids.shape:
        raise InvalidArgumentError(
            None, None,
            f"data.shape = {list(x.shape)} does not start with segment_ids.shape = "
            f"{list(ids.shape)}",
        )  # fmt: skip
    inner = x.shape[ids.ndim :]
    rows = x.reshape((-1,) + inner)
    groups: list = [[] for _ in range(num)]
    for r, s in enumerate(ids.reshape(-1).tolist()):
        if not 0 <= s < num:
            raise InvalidArgumentError(
                None, None,
                "segment_ids are not allowed to exceed num_segments or to have negative values.",
            )  # fmt: skip
        groups[s].append(r)
    sep = as_bytes(separator)
    out = np.empty((num,) + inner, dtype=object)
    for s in range(num):
        members = groups[s]
        for idx in np.ndindex(*inner):
            out[(s,) + idx] = sep.join(as_bytes(rows[(m,) + idx]) for m in members)
    return out


def unsorted_segment_join(inputs, segment_ids, num_segments, separator="", name=None):
    """Joins the rows of `inputs` that share a segment id; empty segments give `b""`."""
    return UnsortedSegmentJoin(
        strings(inputs), segment_ids, num_segments, separator=separator, name=name
    )


# ------------------------------------------------------------------ format


def format(template, inputs, placeholder="{}", summarize=3, name=None):  # noqa: A001
    """Formats `template`, replacing each `placeholder` with the text of one input tensor."""
    from tensorflux._src.ops.logging_ops import StringFormat

    if isinstance(inputs, (list, tuple)):
        items = list(inputs)
    else:
        items = [inputs]
    n = template.count(placeholder)
    if n != len(items):
        raise ValueError(
            f"The template expects {n} tensors, but the inputs only has {len(items)}. Please "
            "ensure the number of placeholders in template matches inputs length."
        )
    ts = [convert_to_tensor(v) for v in items]
    return StringFormat(
        *ts, template=template, placeholder=placeholder, summarize=summarize, name=name
    )


not_differentiable(
    StringJoin, ReduceJoin, StringStrip, StringLower, StringUpper, StringLength, Substr,
    UnsortedSegmentJoin,
)  # fmt: skip
