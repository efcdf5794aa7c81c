"""tf.experimental.ExtensionType: fields, conversion, errors, Spec, tf.function, tf.nest, tf.data.

Expected reprs and error messages were produced by TensorFlow 2.21.
"""

import re
import typing

import numpy as np
import pytest

import tensorflux as tf


class MaskedTensor(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor

    def __validate__(self):
        self.values.shape.assert_is_compatible_with(self.mask.shape)
        assert self.mask.dtype.is_bool


class MT(tf.experimental.BatchableExtensionType):
    values: tf.Tensor
    mask: tf.Tensor


class P(tf.experimental.ExtensionType):
    x: int
    name: str = "hi"
    t: typing.Tuple[int, ...] = ()
    m: typing.Mapping[str, tf.Tensor] = {}
    o: typing.Optional[tf.Tensor] = None
    u: typing.Union[int, float] = 3


def test_construct_repr_and_spec():
    mt = MaskedTensor([1, 2, 3], [True, False, True])
    assert repr(mt) == (
        "MaskedTensor(values=<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], "
        "dtype=int32)>, mask=<tf.Tensor: shape=(3,), dtype=bool, numpy=array([ True, False,  "
        "True])>)"
    )
    spec = mt._type_spec
    assert repr(spec) == (
        "MaskedTensor.Spec(values=TensorSpec(shape=(3,), dtype=tf.int32, name=None), "
        "mask=TensorSpec(shape=(3,), dtype=tf.bool, name=None))"
    )
    assert isinstance(spec, MaskedTensor.Spec)
    assert isinstance(spec, tf.experimental.ExtensionTypeSpec)
    assert isinstance(spec, tf.TypeSpec)
    assert MaskedTensor.Spec.__name__ == "MaskedTensor.Spec"
    assert MaskedTensor.Spec.value_type is MaskedTensor
    assert spec == MaskedTensor.Spec(tf.TensorSpec([3], tf.int32), tf.TensorSpec([3], tf.bool))
    assert spec.values == tf.TensorSpec([3], tf.int32)
    assert tf.type_spec_from_value(mt) == spec


def test_python_fields_and_containers():
    p = P(3, t=[1, 2], m={"a": [1.0]})
    assert repr(p) == (
        "P(x=3, name='hi', t=(1, 2), m=ImmutableDict({'a': <tf.Tensor: shape=(1,), "
        "dtype=float32, numpy=array([1.], dtype=float32)>}), o=None, u=3)"
    )
    assert repr(p._type_spec) == (
        "P.Spec(x=3, name='hi', t=(1, 2), m={'a': TensorSpec(shape=(1,), dtype=tf.float32, "
        "name=None)}, o=None, u=3)"
    )
    assert p.t == (1, 2)
    assert bool(p == P(3, t=(1, 2), m={"a": [1.0]}))
    assert (p == P(4, t=(1, 2), m={"a": [1.0]})) is False
    # Specs ignore tensor values: same hash for different values.
    assert hash(p._type_spec) == hash(P(3, t=(1, 2), m={"a": [2.0]})._type_spec)
    with pytest.raises(TypeError, match="unhashable type: 'P'"):
        hash(p)


def test_shape_dtype_fields():
    class B(tf.experimental.ExtensionType):
        shape: tf.TensorShape
        dtype: tf.DType
        t: tf.Tensor

    b = B([2, None], tf.float32, 1.5)
    assert repr(b) == (
        "B(shape=TensorShape([2, None]), dtype=tf.float32, t=<tf.Tensor: shape=(), "
        "dtype=float32, numpy=1.5>)"
    )
    assert B([2], "float32", 1.0).dtype == tf.float32


@pytest.mark.parametrize(
    "make, err, msg",
    [
        (lambda: P("x"), TypeError, "x: expected 'int', got 'str'"),
        (lambda: P(3, u="s"), TypeError, "u: expected typing.Union[int, float], got 'str'"),
        (lambda: MaskedTensor([1, 2]), TypeError, "missing a required argument: 'mask'"),
        (lambda: MaskedTensor([1, 2], [True]), ValueError, "Shapes (2,) and (1,)"),
        (lambda: MT(1, 2, 3), TypeError, "too many positional arguments"),
        (lambda: MT(1, 2, c=3), TypeError, "got an unexpected keyword argument 'c'"),
        (lambda: MT(object(), 1), TypeError, "values: expected a Tensor, got 'object'"),
    ],
)
def test_field_errors(make, err, msg):
    with pytest.raises(err, match=re.escape(msg)):
        make()


def test_scalar_type_checks():
    class A(tf.experimental.ExtensionType):
        f: float
        i: int
        b: bool = False

    with pytest.raises(TypeError, match="f: expected 'float', got 'int'"):
        A(1, 2)
    assert repr(A(1.0, True)) == "A(f=1.0, i=True, b=False)"
    with pytest.raises(TypeError, match="i: expected 'int', got 'float'"):
        A(1.0, 2.0)

    class M(tf.experimental.ExtensionType):
        m: typing.Mapping[str, int]

    with pytest.raises(TypeError, match=r"m\[<key>\]: expected 'str', got 'int'"):
        M({1: 2})


def test_bad_annotation():
    with pytest.raises(TypeError, match="In field 'x': Unsupported type annotation 'list'"):

        class C(tf.experimental.ExtensionType):
            x: list


def test_immutable():
    mt = MT([1], [True])
    msg = "Cannot mutate attribute `values` outside the custom constructor of ExtensionType."
    with pytest.raises(AttributeError, match=msg):
        mt.values = 3
    with pytest.raises(AttributeError, match="Cannot mutate attribute `foo`"):
        mt.foo = 3
    with pytest.raises(AttributeError, match="Cannot mutate attribute `values`"):
        del mt.values


def test_custom_init():
    class D(tf.experimental.ExtensionType):
        x: tf.Tensor

        def __init__(self, x):
            self.x = tf.convert_to_tensor(x) * 2

    assert int(D(3).x) == 6

    class D2(tf.experimental.ExtensionType):
        x: tf.Tensor
        y: tf.Tensor

        def __init__(self, x):
            self.x = x

    with pytest.raises(ValueError, match="Missing required fields: {'y'}"):
        D2(1)


def test_equality():
    mt = MT([1, 2, 3], [True, False, True])
    eq = mt == mt
    assert isinstance(eq, tf.Tensor) and eq.dtype == tf.bool and bool(eq)
    assert not bool(mt == MT([1, 2, 3], [True, True, True]))
    assert not bool(mt != mt)
    assert (mt == MT([1, 2], [True, True])) is False  # different spec: a Python bool
    assert (mt == 1) is False


def test_nest_flatten_and_pack():
    class V(tf.experimental.ExtensionType):
        x: tf.Tensor

    class N(tf.experimental.ExtensionType):
        inner: V
        t: typing.Tuple[tf.Tensor, ...]

    n = N(V([1, 2]), [1, [2, 3]])
    assert repr(n._type_spec) == (
        "N.Spec(inner=V.Spec(x=TensorSpec(shape=(2,), dtype=tf.int32, name=None)), "
        "t=(TensorSpec(shape=(), dtype=tf.int32, name=None), TensorSpec(shape=(2,), "
        "dtype=tf.int32, name=None)))"
    )
    flat = tf.nest.flatten(n, expand_composites=True)
    assert [t.numpy().tolist() for t in flat] == [[1, 2], 1, [2, 3]]
    back = tf.nest.pack_sequence_as(n, [t * 10 for t in flat], expand_composites=True)
    assert isinstance(back, N) and back.inner.x.numpy().tolist() == [10, 20]
    with pytest.raises(TypeError, match="inner: expected 'V', got 'int'"):
        N(1, ())


def test_sparse_field():
    class S(tf.experimental.ExtensionType):
        s: tf.SparseTensor

    s = S(tf.sparse.from_dense([[1, 0]]))
    assert repr(s._type_spec) == "S.Spec(s=SparseTensorSpec(TensorShape([1, 2]), tf.int32))"
    assert len(tf.nest.flatten(s, expand_composites=True)) == 3


def test_tf_function_args_returns_and_retracing():
    count = [0]

    @tf.function
    def f(x):
        count[0] += 1
        return MT(x.values * 2, x.mask)

    out = f(MT([1, 2, 3], [True, False, True]))
    assert isinstance(out, MT) and out.values.numpy().tolist() == [2, 4, 6]
    f(MT([4, 5, 6], [True, True, True]))
    assert count[0] == 1
    f(MT([4, 5], [True, True]))
    assert count[0] == 2


def test_input_signature():
    spec = MT.Spec(tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.bool))

    @tf.function(input_signature=[spec])
    def g(x):
        return x.values

    assert g(MT([1, 2, 3], [True, False, True])).numpy().tolist() == [1, 2, 3]
    with pytest.raises(TypeError, match="Binding inputs to tf.function failed"):
        g(MT([1.0], [True]))
    with pytest.raises(TypeError, match="mask: expected a TensorSpec, got 'list'"):
        MT.Spec(values=tf.TensorSpec([3], tf.int32), mask=[1])


def test_spec_relations():
    a = MT([1, 2, 3], [True] * 3)._type_spec
    b = MT([1, 2], [True] * 2)._type_spec
    sup = a.most_specific_common_supertype([b])
    assert repr(sup) == (
        "MT.Spec(values=TensorSpec(shape=(None,), dtype=tf.int32, name=None), "
        "mask=TensorSpec(shape=(None,), dtype=tf.bool, name=None))"
    )
    assert a.is_subtype_of(sup) and not sup.is_subtype_of(a)
    assert a.is_compatible_with(sup) and not a.is_compatible_with(b)


def test_gradient_through_field():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        m = MT(x * x, [True, True])
        y = tf.reduce_sum(m.values)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0])


def test_batch_unbatch_in_tf_data():
    spec = MT.Spec(tf.TensorSpec([2], tf.int32), tf.TensorSpec([2], tf.bool))
    assert repr(spec._batch(3)) == (
        "MT.Spec(values=TensorSpec(shape=(3, 2), dtype=tf.int32, name=None), "
        "mask=TensorSpec(shape=(3, 2), dtype=tf.bool, name=None))"
    )
    ds = tf.data.Dataset.from_tensors(MT([[1, 2], [3, 4], [5, 6]], [[True, False]] * 3))
    rows = ds.unbatch()
    assert rows.element_spec == spec
    assert [e.values.numpy().tolist() for e in rows] == [[1, 2], [3, 4], [5, 6]]
    batched = rows.batch(2)
    assert repr(batched.element_spec) == (
        "MT.Spec(values=TensorSpec(shape=(None, 2), dtype=tf.int32, name=None), "
        "mask=TensorSpec(shape=(None, 2), dtype=tf.bool, name=None))"
    )
    got = [e.values.numpy().tolist() for e in batched]
    assert got == [[[1, 2], [3, 4]], [[5, 6]]]
    assert batched.unbatch().element_spec == spec
    doubled = rows.map(lambda m: MT(m.values * 2, m.mask))
    assert [e.values.numpy().tolist() for e in doubled] == [[2, 4], [6, 8], [10, 12]]


def test_composite_fields_through_tf_function():
    class V(tf.experimental.ExtensionType):
        x: tf.Tensor

    class R(tf.experimental.ExtensionType):
        r: tf.RaggedTensor
        v: V
        s: tf.SparseTensor

    val = R(tf.ragged.constant([[1, 2], [3]]), V([1.0]), tf.sparse.from_dense([[0, 5]]))

    @tf.function
    def f(r):
        return R(r.r * 2, V(r.v.x + 1.0), r.s)

    out = f(val)
    assert out.r.to_list() == [[2, 4], [6]]
    assert out.v.x.numpy().tolist() == [2.0]
    assert tf.sparse.to_dense(out.s).numpy().tolist() == [[0, 5]]


def test_user_spec_methods_and_inheritance():
    class A(tf.experimental.ExtensionType):
        x: tf.Tensor

        class Spec:
            def rank(self):
                return self.x.shape.rank

    class B(A):
        y: int = 2

    assert A([[1]])._type_spec.rank() == 2
    b = B([1], 3)
    assert repr(b._type_spec) == (
        "B.Spec(x=TensorSpec(shape=(1,), dtype=tf.int32, name=None), y=3)"
    )


def test_default_batch_encoder():
    enc = tf.experimental.ExtensionTypeBatchEncoder()
    m = MT([1, 2], [True, False])
    s = m._type_spec
    assert repr(enc.batch(s, 3)) == (
        "MT.Spec(values=TensorSpec(shape=(3, 2), dtype=tf.int32, name=None), "
        "mask=TensorSpec(shape=(3, 2), dtype=tf.bool, name=None))"
    )
    assert enc.unbatch(enc.batch(s, 3)) == s
    assert enc.encoding_specs(s) == (tf.TensorSpec([2], tf.int32), tf.TensorSpec([2], tf.bool))
    assert [t.numpy().tolist() for t in enc.encode(s, m)] == [[1, 2], [True, False]]
    assert enc.decode(s, enc.encode(s, m)).values.numpy().tolist() == [1, 2]
    assert not hasattr(MT, "__batch_encoder__")


class _PairEncoder(tf.experimental.ExtensionTypeBatchEncoder):
    """Encodes a Pair as one tensor holding both fields stacked on a last axis of 2."""

    calls = []

    def encode(self, spec, value, minimum_rank=0):
        self.calls.append("encode")
        return (tf.stack([value.a, value.b], axis=-1),)

    def decode(self, spec, encoded_value):
        (both,) = encoded_value
        return Pair(both[..., 0], both[..., 1])

    def encoding_specs(self, spec):
        return (tf.TensorSpec(spec.a.shape.as_list() + [2], spec.a.dtype),)


class Pair(tf.experimental.BatchableExtensionType):
    a: tf.Tensor
    b: tf.Tensor
    __batch_encoder__ = _PairEncoder()


def test_custom_batch_encoder():
    ds = tf.data.Dataset.from_tensors(Pair([1, 2, 3], [4, 5, 6])).unbatch()
    got = [(int(p.a), int(p.b)) for p in ds]
    assert got == [(1, 4), (2, 5), (3, 6)]
    batched = list(ds.batch(2))
    assert batched[0].a.numpy().tolist() == [1, 2] and batched[0].b.numpy().tolist() == [4, 5]
    assert "encode" in _PairEncoder.calls
