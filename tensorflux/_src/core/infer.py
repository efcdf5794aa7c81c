"""Shape/dtype rules shared by many ops, and the helpers rules are written with.

A rule's dtype part gets the list of input DTypes and the attrs; its shape part gets the inputs
(eager or symbolic tensors, dims possibly None) and the attrs. Both raise TensorFlow's errors.
"""

from __future__ import annotations

from typing import Optional, Sequence

from tensorflux._src.core import dtypes as d
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.registry import Rule
from tensorflux._src.core.shape import TensorShape, broadcast_shapes

# Allowed-dtype sets, in TensorFlow's order (it prints them in error messages).
floating = (d.bfloat16, d.float16, d.float32, d.float64)
complex_ = (d.complex64, d.complex128)
float_complex = floating + complex_
integer = (d.int8, d.int16, d.int32, d.int64, d.uint8, d.uint16, d.uint32, d.uint64)
signed_int = (d.int8, d.int16, d.int32, d.int64)
real_numeric = floating + integer
numeric = real_numeric + complex_
signed_numeric = floating + signed_int + complex_
bool_ = (d.bool,)
any_ = numeric + (d.bool, d.string)

_LEGACY = {"float16": "half", "float32": "float", "float64": "double"}


def legacy_name(dt: d.DType) -> str:
    """TensorFlow's attr spelling of a dtype in messages (float32 is "float", float16 "half")."""
    return _LEGACY.get(dt.name, dt.name)


def check_allowed(dt: d.DType, allowed: Sequence[d.DType], attr: str = "T") -> None:
    if dt not in allowed:
        names = ", ".join(legacy_name(a) for a in allowed)
        raise InvalidArgumentError(
            None,
            None,
            f"Value for attr '{attr}' of {legacy_name(dt)} is not in the list of allowed values: "
            f"{names}",
        )


def check_same(in_dtypes: Sequence[d.DType], indices: Optional[Sequence[int]] = None) -> d.DType:
    """All inputs (or those at `indices`) share the first one's dtype, as ops with one T attr do."""
    idx = range(len(in_dtypes)) if indices is None else indices
    first = None
    for i in idx:
        t = in_dtypes[i]
        if first is None:
            first = t
        elif t is not first:
            raise InvalidArgumentError(
                None,
                None,
                f"cannot compute {{op}} as input #{i}(zero-based) was expected to be a "
                f"{legacy_name(first)} tensor but is a {legacy_name(t)} tensor",
            )
    return first


def shape_of(t) -> TensorShape:
    return t.shape


def static_value(t):
    """A constant input's value as a NumPy array, or None when only known at run time."""
    f = getattr(t, "_static_value", None)
    return f() if f is not None else None


# ------------------------------------------------------------------ common rules


def ids(allowed: Sequence[d.DType]) -> frozenset:
    """The ids of allowed dtypes: `id(t) in ids` is the cheapest membership test eagerly."""
    return frozenset(id(a) for a in allowed)


def unary(allowed: Sequence[d.DType], out: Optional[d.DType] = None) -> Rule:
    """One input, output of the same shape and dtype (or of dtype `out`)."""
    ok = ids(allowed)

    def dtype(in_dtypes, attrs):
        t = in_dtypes[0]
        if id(t) not in ok:
            check_allowed(t, allowed)
        return out or t

    return Rule(dtype, lambda inputs, attrs: inputs[0].shape)


def unary_real(allowed: Sequence[d.DType] = numeric) -> Rule:
    """Like `unary` but complex inputs give their real dtype (Abs of complex, Real, Imag, Angle)."""

    def dtype(in_dtypes, attrs):
        t = in_dtypes[0]
        check_allowed(t, allowed)
        return t.real_dtype

    return Rule(dtype, lambda inputs, attrs: inputs[0].shape)


def binary(allowed: Sequence[d.DType], out: Optional[d.DType] = None) -> Rule:
    """Two inputs of one dtype, broadcast together (output dtype the same, or `out`)."""
    ok = ids(allowed)

    def dtype(in_dtypes, attrs):
        a, b = in_dtypes
        if a is not b:
            check_same(in_dtypes)
        if id(a) not in ok:
            check_allowed(a, allowed)
        return out or a

    def shape(inputs, attrs):
        return broadcast_shapes(inputs[0].shape, inputs[1].shape)

    return Rule(dtype, shape)


def compare(allowed: Sequence[d.DType]) -> Rule:
    return binary(allowed, out=d.bool)


def nary_same(allowed: Sequence[d.DType]) -> Rule:
    """Any number of inputs of one dtype and one shape (AddN)."""

    def dtype(in_dtypes, attrs):
        t = check_same(in_dtypes)
        check_allowed(t, allowed)
        return t

    def shape(inputs, attrs):
        s = TensorShape(None)
        for x in inputs:
            s = s.merge_with(x.shape)
        return s

    return Rule(dtype, shape)


def fixed(out_dtype, out_shape) -> Rule:
    """A rule from two plain functions of (in_dtypes, attrs) and (inputs, attrs)."""
    return Rule(out_dtype, out_shape)


def normalize_axis(axis: int, rank: Optional[int], what: str = "axis") -> int:
    if rank is None:
        return axis
    if not -rank <= axis < max(rank, 1):
        raise InvalidArgumentError(
            None, None, f"Expected {what} in the range [{-rank}, {rank}), but got {axis}"
        )
    return axis % rank if rank else 0
