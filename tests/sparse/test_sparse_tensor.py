"""SparseTensor, SparseTensorSpec, TypeSpec: construction, printing, specs, nest, conversion."""

import numpy as np
import pytest

import tensorflux as tf
import tensorflux.sparse as sparse
from tensorflux._src.sparse_tensor import SparseTensor, SparseTensorSpec
from tensorflux._src.type_spec import IndexedSlicesSpec, TypeSpec, type_spec_from_value


def _st():
    return sparse.SparseTensor(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])


# Strings printed by TensorFlow 2.21 for the same values.
_TF_STR = (
    "SparseTensor(indices=tf.Tensor(\n[[0 0]\n [1 2]], shape=(2, 2), dtype=int64), "
    "values=tf.Tensor([1. 2.], shape=(2,), dtype=float32), "
    "dense_shape=tf.Tensor([3 4], shape=(2,), dtype=int64))"
)


def test_components_and_dtypes():
    st = _st()
    assert sparse.SparseTensor is SparseTensor
    assert st.indices.dtype == tf.int64 and st.dense_shape.dtype == tf.int64
    assert st.dtype == tf.float32
    assert st.shape == tf.TensorShape([3, 4]) and st.get_shape() == tf.TensorShape([3, 4])
    np.testing.assert_array_equal(st.indices.numpy(), [[0, 0], [1, 2]])
    np.testing.assert_array_equal(st.values.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(st.dense_shape.numpy(), [3, 4])


def test_printing_matches_tensorflow():
    st = _st()
    assert str(st) == _TF_STR
    assert repr(st) == _TF_STR


def test_eager_op_and_graph_raise():
    st = _st()
    with pytest.raises(AttributeError, match="Tensor.op is undefined"):
        st.op
    with pytest.raises(AttributeError, match="Tensor.graph is undefined"):
        st.graph


@pytest.mark.parametrize(
    "args, cls, msg",
    [
        (([[0, 0]], [1.0, 2.0], [2, 2]), ValueError, "Dimensions 1 and 2 are not compatible"),
        (([[0, 0]], [[1.0]], [2, 2]), ValueError, r"Shape \(1, 1\) must have rank 1"),
        (([0, 0], [1.0], [2, 2]), ValueError, r"Shape \(2,\) must have rank 2"),
        (([[0, 0]], [1.0], [2, 2, 2]), ValueError, "Dimensions 2 and 3 are not compatible"),
        (([[0.0, 0]], [1.0], [2, 2]), TypeError, "to EagerTensor of dtype int64"),
    ],
)
def test_construction_errors(args, cls, msg):
    with pytest.raises(cls, match=msg):
        SparseTensor(*args)


def test_with_values_and_from_value():
    st = _st()
    w = st.with_values(tf.constant([5, 6]))
    assert w.dtype == tf.int32 and w.shape == st.shape
    assert w.indices is st.indices
    c = SparseTensor.from_value(st)
    assert c is not st and c.values is st.values
    with pytest.raises(TypeError):
        SparseTensor.from_value(3)


def test_spec_repr_and_components():
    assert repr(_st()._type_spec) == "SparseTensorSpec(TensorShape([3, 4]), tf.float32)"
    assert repr(SparseTensorSpec([None, 3], tf.int32)) == (
        "SparseTensorSpec(TensorShape([None, 3]), tf.int32)"
    )
    assert repr(SparseTensorSpec()) == "SparseTensorSpec(TensorShape(None), tf.float32)"
    comps = SparseTensorSpec([None, 3])._component_specs
    assert [repr(c) for c in comps] == [
        "TensorSpec(shape=(None, 2), dtype=tf.int64, name=None)",
        "TensorSpec(shape=(None,), dtype=tf.float32, name=None)",
        "TensorSpec(shape=(2,), dtype=tf.int64, name=None)",
    ]
    assert SparseTensorSpec()._component_specs[0].shape.as_list() == [None, None]


def test_spec_relations():
    s = SparseTensorSpec([None, 3], tf.int32)
    assert s == SparseTensorSpec([None, 3], tf.int32)
    assert hash(s) == hash(SparseTensorSpec([None, 3], tf.int32))
    assert s != SparseTensorSpec([None, 3], tf.int64)
    exact = SparseTensorSpec([2, 3], tf.int32)
    assert exact.is_subtype_of(s) and not s.is_subtype_of(exact)
    assert s.is_compatible_with(exact)
    assert not s.is_compatible_with(SparseTensorSpec([2, 4], tf.int32))
    assert exact.most_specific_common_supertype([SparseTensorSpec([4, 3], tf.int32)]) == s
    other_rank = SparseTensorSpec([4, 3, 3], tf.int32)
    assert exact.most_specific_common_supertype([other_rank]) == SparseTensorSpec(None, tf.int32)
    assert exact.most_specific_common_supertype([SparseTensorSpec([2, 3], tf.int64)]) is None
    assert SparseTensorSpec([3, 4]).is_compatible_with(_st())
    assert not s.is_compatible_with(_st())
    assert repr(s._batch(4)) == "SparseTensorSpec(TensorShape([4, None, 3]), tf.int32)"
    assert repr(s._unbatch()) == "SparseTensorSpec(TensorShape([3]), tf.int32)"


def test_type_spec_protocol():
    assert isinstance(tf.TensorSpec([1]), TypeSpec)
    assert isinstance(SparseTensorSpec(), TypeSpec)
    assert type_spec_from_value(_st()) == SparseTensorSpec([3, 4], tf.float32)
    assert type_spec_from_value(3) == tf.TensorSpec([], tf.int32)
    assert type_spec_from_value([1.0, 2.0]) == tf.TensorSpec([2], tf.float32)
    with pytest.raises(TypeError, match="Could not build a TypeSpec for"):
        type_spec_from_value(object())
    spec = SparseTensorSpec([3, 4])
    rebuilt = spec._from_components(spec._to_components(_st()))
    assert str(rebuilt) == _TF_STR
    assert repr(IndexedSlicesSpec([None, 3])) == (
        "IndexedSlicesSpec(TensorShape([None, 3]), tf.float32, tf.int64, None, TensorShape([None]))"
    )


def test_nest_expand_composites():
    st = _st()
    assert tf.nest.flatten(st) == [st]
    flat = tf.nest.flatten({"a": st, "b": 1}, expand_composites=True)
    assert len(flat) == 4 and flat[3] == 1
    np.testing.assert_array_equal(flat[1].numpy(), [1.0, 2.0])
    doubled = tf.nest.map_structure(
        lambda x: x * 2 if x.dtype == tf.float32 else x, st, expand_composites=True
    )
    assert isinstance(doubled, SparseTensor)
    np.testing.assert_array_equal(doubled.values.numpy(), [2.0, 4.0])
    tf.nest.assert_same_structure(st, _st(), expand_composites=True)
    tf.nest.assert_same_structure(st, SparseTensor([[0]], [1.0], [3]), expand_composites=True)
    other = SparseTensor([[0]], [1], [3])  # as in TensorFlow, only the dtype clash is an error
    with pytest.raises(ValueError, match="Incompatible CompositeTensor TypeSpecs"):
        tf.nest.assert_same_structure(st, other, expand_composites=True)


def test_is_tensor_and_no_implicit_conversion():
    st = _st()
    assert tf.is_tensor(st)
    with pytest.raises(ValueError, match=r"Attempt to convert a value \(SparseTensor\(indices="):
        tf.convert_to_tensor(st)
    with pytest.raises(ValueError, match="with an unsupported type"):
        st * st
