"""tf.Variable: creation, naming, reading, assignment, scatter updates, operators, printing and
tape integration. Expected messages and values come from TensorFlow 2.21."""

import copy

import numpy as np
import pytest

import tensorflux as tf


def test_repr_and_naming():
    v = tf.Variable([1.0, 2.0])
    assert repr(v) == (
        "<tf.Variable 'Variable:0' shape=(2,) dtype=float32, numpy=array([1., 2.], dtype=float32)>"
    )
    assert str(v) == repr(v)
    assert tf.Variable(3).name == "Variable:0"  # eager names are not made unique
    with tf.name_scope("foo"):
        assert tf.Variable(1.0).name == "foo/Variable:0"
        assert tf.Variable(1.0, name="w").name == "foo/w:0"
        with tf.name_scope("bar") as scope:
            assert scope == "foo/bar/"
            assert tf.Variable(1.0).name == "foo/bar/Variable:0"
    with tf.name_scope("abs/") as scope:
        assert scope == "abs/" and tf.Variable(1.0).name == "abs/Variable:0"
    with tf.name_scope("a"), tf.name_scope("") as scope:
        assert scope == "" and tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0, name="w/x").name == "w/x:0"
    with pytest.raises(ValueError, match="name for name_scope must be a string."):
        tf.Variable(1.0, name=3)


def test_properties():
    v = tf.Variable([1.0, 2.0])
    assert v.device == tf.zeros([]).device  # the default device, "/job:localhost/.../CPU:0"
    assert v.device.startswith("/job:localhost/replica:0/task:0/device:")
    assert v.trainable and v.shape == (2,) and v.dtype == tf.float32 and v.constraint is None
    assert v.synchronization == tf.VariableSynchronization.AUTO
    assert v.aggregation == tf.VariableAggregation.NONE
    assert str(v.aggregation) == "VariableAggregation.NONE"
    assert repr(tf.VariableAggregation.SUM) == "<VariableAggregationV2.SUM: 1>"
    assert [m.value for m in tf.VariableSynchronization] == [0, 1, 2, 3]
    assert not tf.Variable(3, trainable=False).trainable
    assert v.get_shape() == (2,) and v._shared_name == "Variable"
    assert bool(v.is_initialized())
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        v.initial_value
    with pytest.raises(AttributeError, match="Tensor.op is undefined"):
        v.op
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are not compatible"):
        v.set_shape([3])
    assert v.handle.dtype == tf.resource and v.handle.shape == ()


@pytest.mark.parametrize(
    "value,kwargs,dtype,shape",
    [
        ([1, 2], {"dtype": tf.float32}, tf.float32, (2,)),
        (lambda: tf.ones([2]), {}, tf.float32, (2,)),
        (lambda: 1, {"dtype": tf.float32}, tf.float32, ()),
        (2**40, {}, tf.int64, ()),
        (np.float64(3.0), {}, tf.float64, ()),
        (np.zeros((2, 3)), {}, tf.float64, (2, 3)),
        ("ab", {}, tf.string, ()),
        (1.0, {"shape": tf.TensorShape(None)}, tf.float32, None),
        ([1.0, 2.0], {"shape": [None]}, tf.float32, (None,)),
    ],
)
def test_creation(value, kwargs, dtype, shape):
    v = tf.Variable(value, **kwargs)
    assert v.dtype == dtype
    assert v.shape == tf.TensorShape(shape)


def test_creation_from_tensor_and_variable():
    v = tf.Variable(tf.constant([1.5], tf.bfloat16))
    assert v.dtype == tf.bfloat16
    w = tf.Variable(tf.Variable([1.0, 2.0]))
    np.testing.assert_array_equal(w.numpy(), [1.0, 2.0])


@pytest.mark.parametrize(
    "kwargs,exc,msg",
    [
        (
            {},
            ValueError,
            "The `initial_value` arg to `tf.Variable` must be specified except when "
            "you are not providing a `variable_def`. You provided neither.",
        ),
        (
            {"initial_value": 1.0, "dtype": tf.int32},
            TypeError,
            "Cannot convert 1.0 to EagerTensor of dtype int32",
        ),
        (
            {"initial_value": [1.0, 2.0], "shape": (3,)},
            ValueError,
            "In this `tf.Variable` creation, the initial value's shape ((2,)) is not compatible with "
            "the explicitly supplied `shape` argument ((3,)).",
        ),
        (
            {"initial_value": 1.0, "constraint": 3},
            ValueError,
            "Argument `constraint` must be None or a callable. a callable. Got a <class 'int'>:  3",
        ),
    ],
)
def test_creation_errors(kwargs, exc, msg):
    with pytest.raises(exc) as info:
        tf.Variable(**kwargs)
    assert str(info.value) == msg


def test_assign_family_and_unread_views():
    v = tf.Variable([1.0, 2.0])
    r = v.read_value()
    u = v.assign([5.0, 6.0])
    assert repr(u) == (
        "<tf.Variable 'UnreadVariable' shape=(2,) dtype=float32, "
        "numpy=array([5., 6.], dtype=float32)>"
    )
    np.testing.assert_array_equal(r.numpy(), [1.0, 2.0])  # a read is a snapshot
    v.assign([7.0, 8.0])
    np.testing.assert_array_equal(u.numpy(), [7.0, 8.0])  # an unread view is live
    assert v.assign_add([1.0, 1.0], read_value=False) is None
    np.testing.assert_array_equal(v.numpy(), [8.0, 9.0])
    np.testing.assert_array_equal(v.assign_sub([2.0, 2.0]).numpy(), [6.0, 7.0])
    v.assign([1, 2])  # Python ints convert to the variable's dtype
    np.testing.assert_array_equal(v.value().numpy(), [1.0, 2.0])
    assert tf.Variable(1).assign_sub(3).numpy() == -2
    assert tf.Variable("a").assign("bc").numpy() == b"bc"
    c = tf.Variable(1.0, constraint=lambda z: z * 0)
    assert c.assign(5.0).numpy() == 5.0  # constraints are applied by optimizers, not assign


def test_partial_shape_variable_takes_new_shapes():
    w = tf.Variable([1.0, 2.0], shape=tf.TensorShape([None]))
    w.assign([1.0, 2.0, 3.0])
    assert w.shape == (None,)
    assert repr(w) == (
        "<tf.Variable 'Variable:0' shape=(None,) dtype=float32, "
        "numpy=array([1., 2., 3.], dtype=float32)>"
    )


@pytest.mark.parametrize(
    "call,exc,msg",
    [
        (
            lambda v: v.assign([1.0, 2.0, 3.0]),
            ValueError,
            "Cannot assign value to variable ' Variable:0': Shape mismatch.The variable shape (4,), "
            "and the assigned value shape (3,) are incompatible.",
        ),
        (
            lambda v: v.assign(tf.constant([1, 2, 3, 4])),
            ValueError,
            "Tensor conversion requested dtype float32 for Tensor with dtype int32: "
            "<tf.Tensor: shape=(4,), dtype=int32, numpy=array([1, 2, 3, 4], dtype=int32)>",
        ),
        (lambda v: v.assign("a"), TypeError, "Cannot convert 'a' to EagerTensor of dtype float"),
        (
            lambda v: v.assign_add([1.0]),
            tf.errors.InvalidArgumentError,
            "Cannot update variable with shape [4] using a Tensor with shape [1], shapes must be "
            "equal. [Op:AssignAddVariableOp]",
        ),
        (
            lambda v: v.scatter_update([1.0, 2.0]),
            TypeError,
            "Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: [1.0, 2.0]",
        ),
        (
            lambda v: v.scatter_nd_update([[5]], [1.0]),
            tf.errors.InvalidArgumentError,
            "indices[0] = [5] does not index into shape [4] [Op:ResourceScatterNdUpdate]",
        ),
        (
            lambda v: v.scatter_nd_update([[1]], [1.0, 2.0]),
            tf.errors.InvalidArgumentError,
            "Dimensions [0,1) of indices[shape=[1,1]] = 1 must match dimensions [0,1) of "
            "updates[shape=[2]] = 2 [Op:ResourceScatterNdUpdate]",
        ),
        (
            lambda v: v.scatter_update(tf.IndexedSlices(tf.constant([7.0]), tf.constant([5]))),
            tf.errors.InvalidArgumentError,
            "indices[0] = 5 is not in [0, 4) [Op:ResourceScatterUpdate]",
        ),
        (
            lambda v: v.scatter_update(tf.IndexedSlices(tf.constant([7.0]), tf.constant([-1]))),
            tf.errors.InvalidArgumentError,
            "indices[0] = -1 is not in [0, 4) [Op:ResourceScatterUpdate]",
        ),
        (
            lambda v: v.scatter_update(tf.IndexedSlices(tf.constant([7.0, 1.0]), tf.constant([1]))),
            tf.errors.InvalidArgumentError,
            "The shape of indices ([1]) must be a prefix of the shape of updates ([2]) "
            "[Op:ResourceScatterUpdate]",
        ),
        (
            lambda v: tf.convert_to_tensor(v, dtype=tf.int32),
            ValueError,
            "Incompatible type conversion requested to type int32 for `tf.Variable of type float32. "
            "(Variable: <tf.Variable 'Variable:0' shape=(4,) dtype=float32, "
            "numpy=array([1., 2., 3., 4.], dtype=float32)>)",
        ),
        (
            lambda v: hash(v),
            TypeError,
            "Variable is unhashable. Instead, use variable.ref() as the key. (Variable: "
            "<tf.Variable 'Variable:0' shape=(4,) dtype=float32, "
            "numpy=array([1., 2., 3., 4.], dtype=float32)>)",
        ),
    ],
)
def test_update_errors(call, exc, msg):
    v = tf.Variable([1.0, 2.0, 3.0, 4.0])
    with pytest.raises(exc) as info:
        call(v)
    assert str(info.value) == msg
    np.testing.assert_array_equal(
        v.numpy(), [1.0, 2.0, 3.0, 4.0]
    )  # a failed update changes nothing


def test_in_place_operators_raise():
    v = tf.Variable(1.0)
    with pytest.raises(RuntimeError, match=r"`variable \+= value` with `tf.Variable`s is not"):
        v += 1


def test_scatter_updates():
    x = tf.Variable([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(
        x.scatter_nd_update([[1], [3]], [10.0, 30.0]).numpy(), [1.0, 10.0, 3.0, 30.0]
    )
    np.testing.assert_array_equal(
        x.scatter_nd_add([[1], [1]], [1.0, 1.0]).numpy(), [1.0, 12.0, 3.0, 30.0]
    )  # repeated indices accumulate
    np.testing.assert_array_equal(x.scatter_nd_sub([[0]], [1.0]).numpy(), [0.0, 12.0, 3.0, 30.0])
    s = tf.IndexedSlices(tf.constant([7.0, 8.0]), tf.constant([0, 2]))
    np.testing.assert_array_equal(x.scatter_update(s).numpy(), [7.0, 12.0, 8.0, 30.0])
    np.testing.assert_array_equal(x.scatter_add(s).numpy(), [14.0, 12.0, 16.0, 30.0])
    np.testing.assert_array_equal(x.scatter_sub(s).numpy(), [7.0, 12.0, 8.0, 30.0])
    m = tf.Variable(np.zeros((2, 3), np.float32))
    m.scatter_nd_update([[1]], [[1.0, 2.0, 3.0]])
    m.scatter_nd_add([[0, 1], [1, 2]], [5.0, 6.0])
    np.testing.assert_array_equal(m.numpy(), [[0, 5, 0], [1, 2, 9]])
    m.scatter_max(tf.IndexedSlices(tf.constant([[9.0, 9.0, 9.0]]), tf.constant([0])))
    m.scatter_div(tf.IndexedSlices(tf.constant([[2.0, 2.0, 2.0]]), tf.constant([0])))
    np.testing.assert_array_equal(m.numpy(), [[4.5, 4.5, 4.5], [1, 2, 9]])
    k = tf.Variable(np.full((2, 3), 9, np.int32))
    k.scatter_div(tf.IndexedSlices(tf.constant([[2, -2, 4]]), tf.constant([0])))
    np.testing.assert_array_equal(k.numpy(), [[4, -4, 2], [9, 9, 9]])  # truncating division


def test_sparse_read_and_gather_nd():
    x = tf.Variable([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x.sparse_read([0, 2]).numpy(), [1.0, 3.0])
    np.testing.assert_array_equal(x.gather_nd([[2]]).numpy(), [3.0])


def test_operators_and_protocols():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal((v @ v).numpy(), [[7, 10], [15, 22]])
    np.testing.assert_array_equal((1 - v).numpy(), [[0, -1], [-2, -3]])
    np.testing.assert_array_equal((v / 2).numpy(), [[0.5, 1], [1.5, 2]])
    np.testing.assert_array_equal((v**2).numpy(), [[1, 4], [9, 16]])
    np.testing.assert_array_equal((-v).numpy(), -v.numpy())
    np.testing.assert_array_equal(abs(-v).numpy(), v.numpy())
    np.testing.assert_array_equal(v[0].numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(v[:, 1].numpy(), [2.0, 4.0])
    np.testing.assert_array_equal((v == v).numpy(), np.ones((2, 2), bool))
    np.testing.assert_array_equal((v < 2).numpy(), [[True, False], [False, False]])
    assert [r.numpy().tolist() for r in v] == [[1.0, 2.0], [3.0, 4.0]]
    np.testing.assert_array_equal(tf.add(v, 1.0).numpy(), v.numpy() + 1)
    assert float(tf.Variable(2.0)) == 2.0 and int(tf.Variable(2)) == 2
    assert bool(tf.Variable(True)) and complex(tf.Variable(1.0)) == 1
    with pytest.raises(ValueError, match="truth value"):
        bool(v)
    with pytest.raises(TypeError):
        len(v)
    a = np.asarray(v)
    assert a.dtype == np.float32 and np.array(v, dtype=np.float64).dtype == np.float64
    assert type(tf.Variable(5.0).numpy()) is np.float32
    assert tf.Variable("ab").numpy() == b"ab"
    assert isinstance(v, tf.Variable) and not isinstance(v, tf.Tensor) and tf.is_tensor(v)


def test_ref_copy_and_deepcopy():
    v = tf.Variable([1.0, 2.0])
    assert v.ref() == v.ref() and v.ref().deref() is v and {v.ref(): 1}[v.ref()] == 1
    assert copy.copy(v) is v
    w = copy.deepcopy(v)
    assert w is not v and w.name == v.name
    w.assign([0.0, 0.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_gradients_reach_variables():
    v = tf.Variable([1.0, 2.0, 3.0])
    w = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as g:
        y = tf.reduce_sum(v * v) * w
    gv, gw = g.gradient(y, [v, w])
    np.testing.assert_allclose(gv.numpy(), [4.0, 8.0, 12.0])
    assert gw is None  # non-trainable variables are not watched automatically
    assert g.watched_variables() == (v,)


def test_gradient_through_gather_is_indexed_slices():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as g:
        y = tf.reduce_sum(tf.gather(v, [0, 0, 2]))
    grad = g.gradient(y, v)
    assert type(grad).__name__ == "IndexedSlices"
    np.testing.assert_array_equal(tf.convert_to_tensor(grad).numpy(), [2.0, 0.0, 1.0])
    with tf.GradientTape() as g:
        y = tf.reduce_sum(v.sparse_read([1, 1]))
    np.testing.assert_array_equal(tf.convert_to_tensor(g.gradient(y, v)).numpy(), [0.0, 2.0, 0.0])


def test_gradient_through_assign_result_and_after_assign():
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as g:
        z = v.assign_add([1.0, 1.0, 1.0]) * 2  # reading the unread view counts as reading v
    np.testing.assert_array_equal(g.gradient(z, v).numpy(), [2.0, 2.0, 2.0])
    with tf.GradientTape() as g:
        z = v * 2
        v.assign([5.0, 5.0, 5.0])
    np.testing.assert_array_equal(g.gradient(z, v).numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(z.numpy(), [4.0, 6.0, 8.0])


def test_demo_training_step_matches_tensorflow():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.uniform(-1, 1, size=(8, 2)).astype(np.float32))
    w = tf.Variable(np.array([[0.5], [-0.25]], np.float32))
    b = tf.Variable(tf.zeros([1]))
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - 1.0))
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.1 * gw)
        b.assign_sub(0.1 * gb)
    xs = x.numpy()
    wn, bn = np.array([[0.5], [-0.25]], np.float32), np.zeros([1], np.float32)
    for _ in range(3):
        r = xs @ wn + bn - 1.0
        gwn, gbn = 2 * xs.T @ r / len(xs), 2 * r.mean(0)
        wn, bn = wn - 0.1 * gwn, bn - 0.1 * gbn
    np.testing.assert_allclose(w.numpy(), wn, rtol=1e-5)
    np.testing.assert_allclose(b.numpy(), bn, rtol=1e-5, atol=1e-7)


def test_device_placement_and_reads_across_devices():
    with tf.device("/CPU:0"):
        v = tf.Variable([1.0, 2.0])
    assert v.device.endswith("CPU:0")
    with tf.device("/GPU:0"):  # falls back to the CPU without a GPU, as TensorFlow does
        w = tf.Variable([3.0, 4.0])
        y = v * w
        v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(y.numpy(), [3.0, 8.0])
    np.testing.assert_array_equal(v.numpy(), [2.0, 3.0])


def test_sliced_variable_assign():
    v = tf.Variable([[1, 2, 3], [4, 5, 6]])
    s = v[0, 1:]
    assert s.numpy().tolist() == [2, 3] and hasattr(s, "assign")
    out = s.assign([9, 9])
    assert out.numpy().tolist() == [[1, 9, 9], [4, 5, 6]]
    v[:, 0].assign([7, 8])
    v[1].assign(tf.constant([0, 0, 0]))
    v[1, ::2].assign(5)  # broadcast
    assert v.numpy().tolist() == [[7, 9, 9], [5, 0, 5]]
    assert s.numpy().tolist() == [2, 3]  # the slice read earlier keeps its value
    with pytest.raises(
        tf.errors.InvalidArgumentError, match=r"Cannot broadcast input shape \[3\] into final"
    ):
        v[0, :2].assign([1, 2, 3])
    assert v.numpy().tolist() == [[7, 9, 9], [5, 0, 5]]  # a failed write changes nothing
    assert not hasattr(tf.constant([1, 2])[0:1], "assign")
    assert not hasattr(v[tf.constant([True, False])], "assign")  # boolean masks: as TF


def test_sliced_variable_assign_in_function_and_tape():
    w = tf.Variable([1.0, 2.0, 3.0])

    @tf.function
    def f(x):
        w[0:2].assign(x)
        return w.read_value() * 2.0

    np.testing.assert_allclose(f(tf.constant([5.0, 6.0])).numpy(), [10.0, 12.0, 6.0])
    np.testing.assert_allclose(f(tf.constant([0.0, 1.0])).numpy(), [0.0, 2.0, 6.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(w[1:] * 2.0)
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), [0.0, 2.0, 2.0])
