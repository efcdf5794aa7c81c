"""DType properties and conversions, and the TensorShape API, checked against values and messages
produced by TensorFlow 2.21."""

import pickle

import numpy as np
import pytest

import tensorflux as tf

S = tf.TensorShape

# (name, repr, str, size, is_floating, is_integer, is_unsigned, is_complex, is_bool, is_numeric,
#  as_numpy_dtype.__name__, enum, repr(real_dtype), repr(min), repr(max), repr(limits)); a
#  leading "!" gives the exception TensorFlow raises instead.
DTYPE_ROWS = [
    (
        "float16",
        "tf.float16",
        "<dtype: 'float16'>",
        2,
        True,
        False,
        False,
        False,
        False,
        True,
        "float16",
        19,
        "tf.float16",
        "np.float16(-6.55e+04)",
        "np.float16(6.55e+04)",
        "!ValueError: <dtype: 'float16'> does not have defined limits.",
    ),
    (
        "float32",
        "tf.float32",
        "<dtype: 'float32'>",
        4,
        True,
        False,
        False,
        False,
        False,
        True,
        "float32",
        1,
        "tf.float32",
        "np.float32(-3.4028235e+38)",
        "np.float32(3.4028235e+38)",
        "(0, 1)",
    ),
    (
        "float64",
        "tf.float64",
        "<dtype: 'float64'>",
        8,
        True,
        False,
        False,
        False,
        False,
        True,
        "float64",
        2,
        "tf.float64",
        "np.float64(-1.7976931348623157e+308)",
        "np.float64(1.7976931348623157e+308)",
        "(0, 1)",
    ),
    (
        "bfloat16",
        "tf.bfloat16",
        "<dtype: 'bfloat16'>",
        2,
        True,
        False,
        False,
        False,
        False,
        True,
        "bfloat16",
        14,
        "tf.bfloat16",
        "-3.38953e+38",
        "3.38953e+38",
        "!ValueError: <dtype: 'bfloat16'> does not have defined limits.",
    ),
    (
        "int8",
        "tf.int8",
        "<dtype: 'int8'>",
        1,
        False,
        True,
        False,
        False,
        False,
        True,
        "int8",
        6,
        "tf.int8",
        "-128",
        "127",
        "(0, 127)",
    ),
    (
        "int16",
        "tf.int16",
        "<dtype: 'int16'>",
        2,
        False,
        True,
        False,
        False,
        False,
        True,
        "int16",
        5,
        "tf.int16",
        "-32768",
        "32767",
        "(0, 32767)",
    ),
    (
        "int32",
        "tf.int32",
        "<dtype: 'int32'>",
        4,
        False,
        True,
        False,
        False,
        False,
        True,
        "int32",
        3,
        "tf.int32",
        "-2147483648",
        "2147483647",
        "(0, 2147483647)",
    ),
    (
        "int64",
        "tf.int64",
        "<dtype: 'int64'>",
        8,
        False,
        True,
        False,
        False,
        False,
        True,
        "int64",
        9,
        "tf.int64",
        "-9223372036854775808",
        "9223372036854775807",
        "(0, 9223372036854775807)",
    ),
    (
        "uint8",
        "tf.uint8",
        "<dtype: 'uint8'>",
        1,
        False,
        True,
        True,
        False,
        False,
        True,
        "uint8",
        4,
        "tf.uint8",
        "0",
        "255",
        "(0, 255)",
    ),
    (
        "uint16",
        "tf.uint16",
        "<dtype: 'uint16'>",
        2,
        False,
        True,
        True,
        False,
        False,
        True,
        "uint16",
        17,
        "tf.uint16",
        "0",
        "65535",
        "(0, 65535)",
    ),
    (
        "uint32",
        "tf.uint32",
        "<dtype: 'uint32'>",
        4,
        False,
        True,
        True,
        False,
        False,
        True,
        "uint32",
        22,
        "tf.uint32",
        "0",
        "4294967295",
        "(0, 4294967295)",
    ),
    (
        "uint64",
        "tf.uint64",
        "<dtype: 'uint64'>",
        8,
        False,
        True,
        True,
        False,
        False,
        True,
        "uint64",
        23,
        "tf.uint64",
        "0",
        "18446744073709551615",
        "(0, 18446744073709551615)",
    ),
    (
        "bool",
        "tf.bool",
        "<dtype: 'bool'>",
        1,
        False,
        False,
        False,
        False,
        True,
        False,
        "bool",
        10,
        "tf.bool",
        "!TypeError: Cannot find minimum value of <dtype: 'bool'> with type <dtype: 'bool'>.",
        "!TypeError: Cannot find maximum value of <dtype: 'bool'> with type <dtype: 'bool'>.",
        "(0, True)",
    ),
    (
        "complex64",
        "tf.complex64",
        "<dtype: 'complex64'>",
        8,
        False,
        False,
        False,
        True,
        False,
        True,
        "complex64",
        8,
        "tf.float32",
        "!TypeError: Cannot find minimum value of <dtype: 'complex64'> with type <dtype: 'complex64'>.",
        "!TypeError: Cannot find maximum value of <dtype: 'complex64'> with type <dtype: 'complex64'>.",
        "!ValueError: <dtype: 'complex64'> does not have defined limits.",
    ),
    (
        "complex128",
        "tf.complex128",
        "<dtype: 'complex128'>",
        16,
        False,
        False,
        False,
        True,
        False,
        True,
        "complex128",
        18,
        "tf.float64",
        "!TypeError: Cannot find minimum value of <dtype: 'complex128'> with type <dtype: 'complex128'>.",
        "!TypeError: Cannot find maximum value of <dtype: 'complex128'> with type <dtype: 'complex128'>.",
        "!ValueError: <dtype: 'complex128'> does not have defined limits.",
    ),
    (
        "string",
        "tf.string",
        "<dtype: 'string'>",
        0,
        False,
        False,
        False,
        False,
        False,
        False,
        "object",
        7,
        "tf.string",
        "!TypeError: Cannot find minimum value of <dtype: 'string'> with type <dtype: 'string'>.",
        "!TypeError: Cannot find maximum value of <dtype: 'string'> with type <dtype: 'string'>.",
        "!ValueError: <dtype: 'string'> does not have defined limits.",
    ),
]


def _outcome(fn):
    try:
        return repr(fn())
    except Exception as e:  # noqa: BLE001 - the test compares which exception and message
        return f"!{type(e).__name__}: {e}"


@pytest.mark.parametrize("row", DTYPE_ROWS, ids=[r[0] for r in DTYPE_ROWS])
def test_dtype_properties(row):
    name, r, s, size, fl, it, un, cx, bo, nu, np_name, enum, real, mn, mx, lim = row
    d = tf.as_dtype(name)
    assert d is getattr(tf, name)
    assert (repr(d), str(d), d.name, d.size) == (r, s, name, size)
    assert (d.is_floating, d.is_integer, d.is_unsigned, d.is_complex, d.is_bool) == (
        fl,
        it,
        un,
        cx,
        bo,
    )
    assert d.is_numeric == nu and d.is_quantized is False
    assert d.as_numpy_dtype.__name__ == np_name
    assert d.as_datatype_enum == enum and tf.as_dtype(enum) is d
    assert repr(d.real_dtype) == real and d.base_dtype is d
    assert (_outcome(lambda: d.min), _outcome(lambda: d.max), _outcome(lambda: d.limits)) == (
        mn,
        mx,
        lim,
    )


@pytest.mark.parametrize(
    "value,want",
    [
        ("float32", tf.float32),
        ("float", tf.float32),
        ("double", tf.float64),
        ("half", tf.float16),
        (np.float32, tf.float32),
        (np.dtype("int64"), tf.int64),
        (float, tf.float32),
        (bool, tf.bool),
        (1, tf.float32),
        (9, tf.int64),
        (tf.float32, tf.float32),
        (object, tf.string),
        (np.object_, tf.string),
        ("string", tf.string),
        (np.str_, tf.string),
        (np.bytes_, tf.string),
        ("bfloat16", tf.bfloat16),
        ("resource", tf.resource),
        (20, tf.resource),
        ("variant", tf.variant),
    ],
)
def test_as_dtype(value, want):
    assert tf.as_dtype(value) is want


@pytest.mark.parametrize("value", [int, complex, str, bytes, "int", "foo", None])
def test_as_dtype_rejects(value):
    with pytest.raises(TypeError) as info:
        tf.as_dtype(value)
    assert (
        str(info.value)
        == f"Cannot convert the argument `type_value`: {value!r} to a TensorFlow DType."
    )


def test_dtype_equality_and_hash():
    assert tf.float32 == "float32" and tf.float32 == np.float32
    assert tf.float32 != tf.float64 and not (tf.float32 == None)  # noqa: E711
    assert tf.float32 == 1  # the DataType enum of float32, as in TensorFlow
    assert not (tf.float32 == "xx")
    assert tf.float32.is_compatible_with(tf.float32) and tf.float32.is_compatible_with("float32")
    assert not tf.float32.is_compatible_with(tf.int32)
    assert len({tf.float32, tf.as_dtype("float32"), tf.float64}) == 2
    assert pickle.loads(pickle.dumps(tf.bfloat16)) is tf.bfloat16
    assert tf.dtypes.float32 is tf.float32 and tf.dtypes.as_dtype("int8") is tf.int8


# ------------------------------------------------------------------ TensorShape


@pytest.mark.parametrize(
    "shape,r,s,rank,full,n",
    [
        (S(None), "TensorShape(None)", "<unknown>", None, False, None),
        (S([]), "TensorShape([])", "()", 0, True, 1),
        (S([1]), "TensorShape([1])", "(1,)", 1, True, 1),
        (S([None]), "TensorShape([None])", "(None,)", 1, False, None),
        (S([1, None, 3]), "TensorShape([1, None, 3])", "(1, None, 3)", 3, False, None),
        (S((2, 3)), "TensorShape([2, 3])", "(2, 3)", 2, True, 6),
        (S([2, 0]), "TensorShape([2, 0])", "(2, 0)", 2, True, 0),
    ],
)
def test_shape_basics(shape, r, s, rank, full, n):
    assert (repr(shape), str(shape), shape.rank, shape.ndims) == (r, s, rank, rank)
    assert shape.is_fully_defined() is full and shape.num_elements() == n
    assert bool(shape) is (rank is not None)
    if rank is None:
        for fn, msg in [
            (lambda: shape.as_list(), "as_list() is not defined on an unknown TensorShape."),
            (lambda: len(shape), "Cannot take the length of shape with unknown rank."),
            (lambda: list(shape), "Cannot iterate over a shape with unknown rank."),
        ]:
            with pytest.raises(ValueError) as info:
                fn()
            assert str(info.value) == msg
    else:
        assert len(shape) == rank and list(shape) == shape.as_list()


def test_merge_with():
    assert S([1, None]).merge_with(S([None, 2])) == S([1, 2])
    assert S(None).merge_with(S([1])) == S([1])
    assert S(None).merge_with(S(None)).rank is None
    with pytest.raises(ValueError, match=r"Shapes \(1, 2\) and \(1, 3\) are not compatible"):
        S([1, 2]).merge_with(S([1, 3]))
    with pytest.raises(ValueError, match=r"Shapes \(1, 2\) and \(1,\) are not compatible"):
        S([1, 2]).merge_with(S([1]))


def test_is_compatible_with():
    got = [
        S([1, None]).is_compatible_with(x)
        for x in [S([1, 2]), S([2, 2]), S(None), S([1]), [1, 5], (None, None)]
    ]
    assert got == [True, False, True, False, True, True]


def test_concatenate_and_add():
    assert S([1]).concatenate(S([2, None])) == S([1, 2, None])
    assert S([1]).concatenate(S(None)).rank is None
    assert S([1]).concatenate([3]) == S([1, 3])
    assert S([1]) + S([2]) == S([1, 2]) and [3] + S([1]) == S([3, 1])


def test_most_specific_compatible_shape():
    assert S([1, 2]).most_specific_compatible_shape(S([1, 3])) == S([1, None])
    assert S([1, 2]).most_specific_compatible_shape(S([1])).rank is None
    assert S([1, None]).most_specific_compatible_shape(S([1, 2])) == S([1, None])


def test_shape_equality_indexing_hash():
    assert S([1, 2]) == S([1, 2]) and S([1, None]) == S([1, None]) and S(None) == S(None)
    assert S([1, 2]) == [1, 2] and not (S([1, 2]) != (1, 2))
    assert S([1]) != "a"
    x = S([1, 2, 3])
    assert x[1] == 2 and x[1:] == S([2, 3]) and x[-1] == 3
    assert S(None)[0] is None and S(None)[1:].rank is None
    with pytest.raises(IndexError):
        S([1])[5]
    assert hash(S([1, 2])) == hash(S([1, 2]))
    assert pickle.loads(pickle.dumps(S([1, None]))) == S([1, None])
    assert S(np.array([2, 3])) == S([2, 3]) and S(3) == S([3])


def test_rank_assertions():
    assert S(None).with_rank(2) == S([None, None]) and S([1, 2]).with_rank(2) == S([1, 2])
    for fn, msg in [
        (lambda: S([1, 2]).with_rank(3), r"Shape \(1, 2\) must have rank 3"),
        (lambda: S([1, 2]).with_rank_at_least(3), r"Shape \(1, 2\) must have rank at least 3"),
        (lambda: S([1, 2]).with_rank_at_most(1), r"Shape \(1, 2\) must have rank at most 1"),
        (
            lambda: S([1, 2]).assert_is_compatible_with(S([2, 2])),
            r"Shapes \(1, 2\) and \(2, 2\) are incompatible",
        ),
        (lambda: S([1, None]).assert_is_fully_defined(), r"Shape \(1, None\) is not fully defined"),
        (
            lambda: S([1, None]).assert_same_rank(S([1])),
            r"Shapes \(1, None\) and \(1,\) must have the same rank",
        ),
        (lambda: S([1, None]).assert_has_rank(3), r"Shape \(1, None\) must have rank 3"),
    ]:
        with pytest.raises(ValueError, match=msg):
            fn()


def test_bad_dimensions():
    with pytest.raises(ValueError):
        S([-1])
    with pytest.raises(TypeError) as info:
        S([1.5])
    assert str(info.value) == (
        "Dimension value must be integer or None or have an __index__ method, got value '1.5' "
        "with type '<class 'float'>'"
    )
    with pytest.raises(TypeError):
        S(["a"])


def test_tensor_shape_of_tensors():
    assert tf.constant([[1, 2]]).shape == S([1, 2])
    assert tf.Variable([[1.0], [2.0]]).shape == S([2, 1])
