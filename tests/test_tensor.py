"""tf.constant / tf.convert_to_tensor: dtype inference, conversion errors, printing, and the Python
protocols of eager tensors. Expected strings were produced by TensorFlow 2.21."""

import numpy as np
import pytest

import tensorflux as tf

# (expression, repr, str) as TensorFlow prints them.
PRINT_CASES = [
    (
        "tf.constant(1.)",
        "<tf.Tensor: shape=(), dtype=float32, numpy=1.0>",
        "tf.Tensor(1.0, shape=(), dtype=float32)",
    ),
    (
        "tf.constant(0.1)",
        "<tf.Tensor: shape=(), dtype=float32, numpy=0.10000000149011612>",
        "tf.Tensor(0.1, shape=(), dtype=float32)",
    ),
    (
        "tf.constant(0.1, tf.float64)",
        "<tf.Tensor: shape=(), dtype=float64, numpy=0.1>",
        "tf.Tensor(0.1, shape=(), dtype=float64)",
    ),
    (
        "tf.constant(1e10)",
        "<tf.Tensor: shape=(), dtype=float32, numpy=10000000000.0>",
        "tf.Tensor(1e+10, shape=(), dtype=float32)",
    ),
    (
        "tf.constant(3)",
        "<tf.Tensor: shape=(), dtype=int32, numpy=3>",
        "tf.Tensor(3, shape=(), dtype=int32)",
    ),
    (
        "tf.constant(True)",
        "<tf.Tensor: shape=(), dtype=bool, numpy=True>",
        "tf.Tensor(True, shape=(), dtype=bool)",
    ),
    (
        "tf.constant(np.float16(0.1))",
        "<tf.Tensor: shape=(), dtype=float16, numpy=0.0999755859375>",
        "tf.Tensor(0.1, shape=(), dtype=float16)",
    ),
    (
        "tf.constant(1.5, tf.bfloat16)",
        "<tf.Tensor: shape=(), dtype=bfloat16, numpy=1.5>",
        "tf.Tensor(1.5, shape=(), dtype=bfloat16)",
    ),
    (
        "tf.constant(1+2j)",
        "<tf.Tensor: shape=(), dtype=complex128, numpy=(1+2j)>",
        "tf.Tensor((1+2j), shape=(), dtype=complex128)",
    ),
    (
        "tf.constant(b'ab')",
        "<tf.Tensor: shape=(), dtype=string, numpy=b'ab'>",
        "tf.Tensor(b'ab', shape=(), dtype=string)",
    ),
    (
        "tf.constant('héllo')",
        "<tf.Tensor: shape=(), dtype=string, numpy=b'h\\xc3\\xa9llo'>",
        "tf.Tensor(b'h\\xc3\\xa9llo', shape=(), dtype=string)",
    ),
    (
        "tf.constant(np.nan)",
        "<tf.Tensor: shape=(), dtype=float32, numpy=nan>",
        "tf.Tensor(nan, shape=(), dtype=float32)",
    ),
    (
        "tf.constant(2**40)",
        "<tf.Tensor: shape=(), dtype=int64, numpy=1099511627776>",
        "tf.Tensor(1099511627776, shape=(), dtype=int64)",
    ),
    (
        "tf.constant([1, 2, 3])",
        "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>",
        "tf.Tensor([1 2 3], shape=(3,), dtype=int32)",
    ),
    (
        "tf.constant([[1., 2.], [3., 4.]])",
        "<tf.Tensor: shape=(2, 2), dtype=float32, numpy=\narray([[1., 2.],\n       [3., 4.]], dtype=float32)>",
        "tf.Tensor(\n[[1. 2.]\n [3. 4.]], shape=(2, 2), dtype=float32)",
    ),
    (
        "tf.constant(np.arange(2000, dtype=np.float32))",
        "<tf.Tensor: shape=(2000,), dtype=float32, numpy=\narray([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03,\n       1.999e+03], shape=(2000,), dtype=float32)>",
        "tf.Tensor([0.000e+00 1.000e+00 2.000e+00 ... 1.997e+03 1.998e+03 1.999e+03], shape=(2000,), dtype=float32)",
    ),
    (
        "tf.constant(np.arange(2000).reshape(40, 50))",
        "<tf.Tensor: shape=(40, 50), dtype=int64, numpy=\narray([[   0,    1,    2, ...,   47,   48,   49],\n       [  50,   51,   52, ...,   97,   98,   99],\n       [ 100,  101,  102, ...,  147,  148,  149],\n       ...,\n       [1850, 1851, 1852, ..., 1897, 1898, 1899],\n       [1900, 1901, 1902, ..., 1947, 1948, 1949],\n       [1950, 1951, 1952, ..., 1997, 1998, 1999]], shape=(40, 50))>",
        "tf.Tensor(\n[[   0    1    2 ...   47   48   49]\n [  50   51   52 ...   97   98   99]\n [ 100  101  102 ...  147  148  149]\n ...\n [1850 1851 1852 ... 1897 1898 1899]\n [1900 1901 1902 ... 1947 1948 1949]\n [1950 1951 1952 ... 1997 1998 1999]], shape=(40, 50), dtype=int64)",
    ),
    (
        "tf.constant(np.zeros((2, 0, 3)))",
        "<tf.Tensor: shape=(2, 0, 3), dtype=float64, numpy=array([], shape=(2, 0, 3), dtype=float64)>",
        "tf.Tensor([], shape=(2, 0, 3), dtype=float64)",
    ),
    (
        "tf.constant(np.array([], np.int64))",
        "<tf.Tensor: shape=(0,), dtype=int64, numpy=array([], dtype=int64)>",
        "tf.Tensor([], shape=(0,), dtype=int64)",
    ),
    (
        "tf.constant([[True, False]])",
        "<tf.Tensor: shape=(1, 2), dtype=bool, numpy=array([[ True, False]])>",
        "tf.Tensor([[ True False]], shape=(1, 2), dtype=bool)",
    ),
    (
        "tf.constant([b'a', b'bc'])",
        "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'bc'], dtype=object)>",
        "tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)",
    ),
    (
        "tf.constant([['x']])",
        "<tf.Tensor: shape=(1, 1), dtype=string, numpy=array([[b'x']], dtype=object)>",
        "tf.Tensor([[b'x']], shape=(1, 1), dtype=string)",
    ),
    (
        "tf.constant(np.arange(6, dtype=np.float64).reshape(2, 3) / 7)",
        "<tf.Tensor: shape=(2, 3), dtype=float64, numpy=\narray([[0.        , 0.14285714, 0.28571429],\n       [0.42857143, 0.57142857, 0.71428571]])>",
        "tf.Tensor(\n[[0.         0.14285714 0.28571429]\n [0.42857143 0.57142857 0.71428571]], shape=(2, 3), dtype=float64)",
    ),
    (
        "tf.constant([1.5, -2], tf.float16)",
        "<tf.Tensor: shape=(2,), dtype=float16, numpy=array([ 1.5, -2. ], dtype=float16)>",
        "tf.Tensor([ 1.5 -2. ], shape=(2,), dtype=float16)",
    ),
    (
        "tf.constant([1+2j, 3-1j], tf.complex64)",
        "<tf.Tensor: shape=(2,), dtype=complex64, numpy=array([1.+2.j, 3.-1.j], dtype=complex64)>",
        "tf.Tensor([1.+2.j 3.-1.j], shape=(2,), dtype=complex64)",
    ),
    (
        "tf.constant(np.arange(1001, dtype=np.int8))",
        "<tf.Tensor: shape=(1001,), dtype=int8, numpy=array([  0,   1,   2, ..., -26, -25, -24], shape=(1001,), dtype=int8)>",
        "tf.Tensor([  0   1   2 ... -26 -25 -24], shape=(1001,), dtype=int8)",
    ),
    (
        "tf.constant(np.arange(12).reshape(2, 2, 3))",
        "<tf.Tensor: shape=(2, 2, 3), dtype=int64, numpy=\narray([[[ 0,  1,  2],\n        [ 3,  4,  5]],\n\n       [[ 6,  7,  8],\n        [ 9, 10, 11]]])>",
        "tf.Tensor(\n[[[ 0  1  2]\n  [ 3  4  5]]\n\n [[ 6  7  8]\n  [ 9 10 11]]], shape=(2, 2, 3), dtype=int64)",
    ),
    (
        "tf.constant([np.nan, np.inf, -0.0])",
        "<tf.Tensor: shape=(3,), dtype=float32, numpy=array([nan, inf, -0.], dtype=float32)>",
        "tf.Tensor([nan inf -0.], shape=(3,), dtype=float32)",
    ),
    (
        "tf.constant([1e-9, 1e9])",
        "<tf.Tensor: shape=(2,), dtype=float32, numpy=array([1.e-09, 1.e+09], dtype=float32)>",
        "tf.Tensor([1.e-09 1.e+09], shape=(2,), dtype=float32)",
    ),
    (
        "tf.constant([1, 2], tf.uint64)",
        "<tf.Tensor: shape=(2,), dtype=uint64, numpy=array([1, 2], dtype=uint64)>",
        "tf.Tensor([1 2], shape=(2,), dtype=uint64)",
    ),
    (
        "tf.constant([1.5, 2], tf.bfloat16)",
        "<tf.Tensor: shape=(2,), dtype=bfloat16, numpy=array([1.5, 2], dtype=bfloat16)>",
        "tf.Tensor([1.5 2], shape=(2,), dtype=bfloat16)",
    ),
    (
        "tf.Variable([1., 2.])",
        "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>",
        "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>",
    ),
    (
        "tf.Variable(1.)",
        "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>",
        "<tf.Variable 'Variable:0' shape=() dtype=float32, numpy=1.0>",
    ),
    (
        "tf.Variable('ab')",
        "<tf.Variable 'Variable:0' shape=() dtype=string, numpy=b'ab'>",
        "<tf.Variable 'Variable:0' shape=() dtype=string, numpy=b'ab'>",
    ),
    (
        "tf.Variable(np.zeros((2, 3)))",
        "<tf.Variable 'Variable:0' shape=(2, 3) dtype=float64, numpy=\narray([[0., 0., 0.],\n       [0., 0., 0.]])>",
        "<tf.Variable 'Variable:0' shape=(2, 3) dtype=float64, numpy=\narray([[0., 0., 0.],\n       [0., 0., 0.]])>",
    ),
    (
        "tf.Variable(3, trainable=False, name='counter')",
        "<tf.Variable 'counter:0' shape=() dtype=int32, numpy=3>",
        "<tf.Variable 'counter:0' shape=() dtype=int32, numpy=3>",
    ),
    (
        "tf.Variable([1, 2], shape=tf.TensorShape(None))",
        "<tf.Variable 'Variable:0' shape=<unknown> dtype=int32, numpy=array([1, 2], dtype=int32)>",
        "<tf.Variable 'Variable:0' shape=<unknown> dtype=int32, numpy=array([1, 2], dtype=int32)>",
    ),
]


@pytest.mark.parametrize("expr,want_repr,want_str", PRINT_CASES, ids=[c[0] for c in PRINT_CASES])
def test_printing_matches_tensorflow(expr, want_repr, want_str):
    value = eval(expr, {"tf": tf, "np": np})
    assert repr(value) == want_repr
    assert str(value) == want_str


def test_format():
    assert f"{tf.constant(1.5):.3f}" == "1.500"
    assert f"{tf.constant(3):d}" == "3"
    assert "%s" % tf.constant(1.5) == "tf.Tensor(1.5, shape=(), dtype=float32)"


def test_handle_repr():
    h = tf.Variable([1.0, 2.0]).handle
    assert h.dtype == tf.resource
    assert repr(h).startswith("<tf.Tensor: shape=(), dtype=resource, value=<ResourceHandle(")


@pytest.mark.parametrize(
    "value,dtype",
    [
        (1, tf.int32),
        (1.0, tf.float32),
        (True, tf.bool),
        ("a", tf.string),
        (b"a", tf.string),
        (1j, tf.complex128),
        ([1, 2.0], tf.float32),
        ([[1], [2]], tf.int32),
        (np.float16(1), tf.float16),
        (2**31, tf.int64),
        (-(2**31), tf.int32),
        (-(2**31) - 1, tf.int64),
        ([], tf.float32),
        ([[]], tf.float32),
        (np.array(1, np.int16), tf.int16),
        ((1, 2), tf.int32),
        (np.int8(3), tf.int8),
        (np.zeros(2, np.uint32), tf.uint32),
        (np.array([b"x"]), tf.string),
    ],
)
def test_dtype_inference(value, dtype):
    assert tf.constant(value).dtype == dtype
    assert tf.convert_to_tensor(value).dtype == dtype


@pytest.mark.parametrize(
    "call,exc,msg",
    [
        (
            lambda: tf.constant(1.0, dtype=tf.int32),
            TypeError,
            "Cannot convert 1.0 to EagerTensor of dtype int32",
        ),
        (
            lambda: tf.convert_to_tensor([1.0, 2.0], dtype=tf.int32),
            TypeError,
            "Cannot convert [1.0, 2.0] to EagerTensor of dtype int32",
        ),
        (
            lambda: tf.convert_to_tensor("a", dtype=tf.float64),
            TypeError,
            "Cannot convert 'a' to EagerTensor of dtype double",
        ),
        (
            lambda: tf.convert_to_tensor("a", dtype=tf.float16),
            TypeError,
            "Cannot convert 'a' to EagerTensor of dtype half",
        ),
        (
            lambda: tf.convert_to_tensor(1j, dtype=tf.float32),
            TypeError,
            "Cannot convert 1j to EagerTensor of dtype float",
        ),
        (
            lambda: tf.convert_to_tensor(1, dtype=tf.bool),
            TypeError,
            "Cannot convert 1 to EagerTensor of dtype bool",
        ),
        (
            lambda: tf.constant(1, dtype=tf.string),
            TypeError,
            "Cannot convert 1 to EagerTensor of dtype string",
        ),
        (
            lambda: tf.constant([1, "a"]),
            ValueError,
            "Can't convert Python sequence with mixed types to Tensor.",
        ),
        (
            lambda: tf.constant([True, 1.5]),
            ValueError,
            "Can't convert Python sequence with mixed types to Tensor.",
        ),
        (
            lambda: tf.constant(None),
            ValueError,
            "Attempt to convert a value (None) with an unsupported type (<class 'NoneType'>) to a "
            "Tensor.",
        ),
        (
            lambda: tf.constant([[1], [1, 2]]),
            ValueError,
            "Can't convert non-rectangular Python sequence to Tensor.",
        ),
        (
            lambda: tf.constant(2**63),
            ValueError,
            "Can't convert Python sequence with out-of-range integer to Tensor.",
        ),
        (
            lambda: tf.convert_to_tensor(tf.constant(1), dtype=tf.float32),
            ValueError,
            "Tensor conversion requested dtype float32 for Tensor with dtype int32: "
            "<tf.Tensor: shape=(), dtype=int32, numpy=1>",
        ),
        (
            lambda: tf.constant([1, 2, 3], shape=[2, 2]),
            TypeError,
            "Eager execution of tf.constant with unsupported shape. Tensor [1 2 3] (converted from "
            "[1, 2, 3]) has 3 elements, but got `shape` (2, 2) with 4 elements).",
        ),
        (
            lambda: tf.constant(tf.constant([1, 2]), dtype=tf.float32),
            TypeError,
            "Expected tensor [1 2] with dtype tf.float32, but got dtype tf.int32.",
        ),
    ],
)
def test_conversion_errors(call, exc, msg):
    with pytest.raises(exc) as info:
        call()
    assert str(info.value) == msg


def test_explicit_integer_dtype_wraps_like_tensorflow():
    assert tf.constant(300, dtype=tf.int8).numpy() == 44
    assert tf.constant(-1, dtype=tf.uint8).numpy() == 255
    assert tf.constant(2**31, dtype=tf.int32).numpy() == -(2**31)
    assert tf.constant(2**63, dtype=tf.uint64).numpy() == 2**63
    assert (tf.constant([1], tf.int8) + 300).numpy().tolist() == [45]


def test_float_overflow_gives_inf():
    assert np.isinf(tf.constant(1e40, dtype=tf.float32).numpy())


def test_dtype_hint_and_python_operands():
    assert tf.convert_to_tensor(1, dtype_hint=tf.float32).dtype == tf.float32
    assert tf.convert_to_tensor(1.5, dtype_hint=tf.int32).dtype == tf.float32
    assert tf.convert_to_tensor(np.int8(1), dtype_hint=tf.int32).dtype == tf.int32
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.constant([1]) + 1.0  # a Python float never becomes an int32


def test_constant_shape_broadcast_and_reshape():
    np.testing.assert_array_equal(tf.constant(1.0, shape=[2, 2]).numpy(), np.ones((2, 2)))
    assert tf.constant([1, 2, 3, 4], shape=[2, 2]).shape == (2, 2)


def test_numpy_scalars_are_numpy_scalars():
    assert type(tf.constant(5.0).numpy()) is np.float32
    assert type(tf.constant(5).numpy()) is np.int32
    assert type(tf.constant(True).numpy()) is np.bool_
    assert tf.constant("a").numpy() == b"a"
    assert isinstance(tf.constant([1]).numpy(), np.ndarray)


def test_len_and_iter():
    x = tf.constant([[1, 2], [3, 4]])
    assert len(x) == 2
    rows = list(x)
    assert [r.numpy().tolist() for r in rows] == [[1, 2], [3, 4]]
    with pytest.raises(TypeError, match="Scalar tensor has no `len\\(\\)`"):
        len(tf.constant(1))
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor."):
        iter(tf.constant(1))


def test_bool_int_float_conversions():
    assert bool(tf.constant(0.0)) is False
    assert bool(tf.constant([1])) is True
    with pytest.raises(ValueError, match="truth value of an array with more than one element"):
        bool(tf.constant([1, 2]))
    assert int(tf.constant(3.7)) == 3
    assert float(tf.constant(2)) == 2.0
    assert complex(tf.constant(1 + 2j)) == 1 + 2j
    for fn in (int, float):
        with pytest.raises(TypeError, match="only 0-dimensional arrays"):
            fn(tf.constant([2]))


def test_index():
    assert [10, 20, 30][tf.constant(1)] == 20
    assert [10, 20][tf.constant(1, tf.int64)] == 20
    with pytest.raises(AttributeError):
        [10, 20][tf.constant(1.0)]
    with pytest.raises(TypeError, match="only integer scalar arrays"):
        [10, 20][tf.constant([1])]


def test_hash_and_ref():
    x = tf.constant([1, 2])
    with pytest.raises(TypeError, match="Tensor is unhashable. Instead, use tensor.ref"):
        hash(x)
    with pytest.raises(TypeError):
        {x}
    assert x.ref() == x.ref()
    assert x.ref() != tf.constant([1, 2]).ref()
    assert x.ref().deref() is x
    assert len({x.ref(), x.ref()}) == 1
    assert x.experimental_ref().deref() is x


def test_array_protocol_and_properties():
    x = tf.constant([[1, 2]])
    a = np.asarray(x)
    assert a.dtype == np.int32 and a.shape == (1, 2)
    assert np.asarray(x, dtype=np.float64).dtype == np.float64
    assert x.shape == (1, 2) and x.ndim == 2 and x.get_shape() == (1, 2)
    assert x.device.endswith("CPU:0")
    with pytest.raises(AttributeError, match="Tensor.name is undefined"):
        x.name
    with pytest.raises(ValueError):
        x.set_shape([2, 3])
    assert tf.is_tensor(x) and not tf.is_tensor(1) and not tf.is_tensor(np.zeros(2))
    assert tf.is_tensor(tf.Variable(1.0))


def test_equality():
    x = tf.constant([[1, 2], [3, 4]])
    assert (x == None) is False  # noqa: E711
    np.testing.assert_array_equal((x == [[1, 2], [3, 5]]).numpy(), [[True, True], [True, False]])
    assert bool(x == tf.constant([1, 2, 3])) is False  # incompatible shapes compare unequal
