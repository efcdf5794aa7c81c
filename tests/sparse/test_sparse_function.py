"""SparseTensor through tf.function (arguments, outputs, signatures, retracing) and tapes."""

import numpy as np
import pytest

import tensorflux as tf
import tensorflux.sparse as sparse
from tensorflux._src.sparse_tensor import SparseTensor, SparseTensorSpec


def _st(nnz=2, shape=(3, 4), dtype=np.float32):
    idx = np.array([[0, 0], [1, 2], [2, 3]][:nnz], dtype=np.int64)
    return SparseTensor(idx, np.arange(1, nnz + 1).astype(dtype), list(shape))


def test_sparse_argument_and_output():
    seen = []

    @tf.function
    def f(x):
        seen.append(x)
        return tf.reduce_sum(x.values), x.with_values(x.values * 2.0)

    total, doubled = f(_st())
    assert float(total.numpy()) == 3.0
    assert isinstance(doubled, SparseTensor)
    np.testing.assert_array_equal(doubled.values.numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(doubled.dense_shape.numpy(), [3, 4])
    traced = seen[0]
    assert isinstance(traced, SparseTensor)
    assert traced.indices.shape.as_list() == [None, 2]
    assert traced.values.shape.as_list() == [None]
    assert traced.shape == tf.TensorShape([3, 4])


def test_one_trace_per_spec():
    @tf.function
    def f(x):
        return sparse.reduce_sum(x)

    f(_st(2))
    f(_st(3))  # another number of entries: same SparseTensorSpec, no retrace
    assert f.experimental_get_tracing_count() == 1
    f(_st(2, shape=(3, 5)))
    assert f.experimental_get_tracing_count() == 2
    f(_st(2, dtype=np.float64))
    assert f.experimental_get_tracing_count() == 3
    text = f.pretty_printed_concrete_signatures()
    assert "x (POSITIONAL_OR_KEYWORD): SparseTensorSpec(TensorShape([3, 4]), tf.float32)" in text
    assert "SparseTensorSpec(TensorShape([3, 5]), tf.float32)" in text


def test_reduce_retracing_relaxes_the_dense_shape():
    @tf.function(reduce_retracing=True)
    def f(x):
        return sparse.reduce_sum(x, 1)

    f(_st(2, shape=(3, 4)))
    f(_st(2, shape=(4, 4)))
    f(_st(2, shape=(5, 4)))
    assert f.experimental_get_tracing_count() == 2
    np.testing.assert_array_equal(f(_st(3, shape=(6, 4))).numpy(), [1, 2, 3, 0, 0, 0])


def test_input_signature():
    @tf.function(input_signature=[SparseTensorSpec([None, 4], tf.float32)])
    def f(x):
        return x * 2.0

    out = f(_st())
    np.testing.assert_array_equal(out.values.numpy(), [2.0, 4.0])
    out = f(_st(3, shape=(7, 4)))
    np.testing.assert_array_equal(out.dense_shape.numpy(), [7, 4])
    assert f.experimental_get_tracing_count() == 1
    args, kwargs = f.get_concrete_function().structured_input_signature
    assert args == (SparseTensorSpec([None, 4], tf.float32),) and kwargs == {}
    with pytest.raises(TypeError, match="Can not cast TensorSpec"):
        f(SparseTensor([[0, 0]], [1], [3, 4]))
    with pytest.raises(TypeError, match="Can not cast"):
        f(SparseTensor([[0, 0]], [1.0], [3, 5]))
    with pytest.raises(TypeError, match="Can not cast"):
        f(tf.constant([1.0]))


def test_get_concrete_function_from_spec():
    @tf.function
    def f(x):
        return sparse.to_dense(x)

    cf = f.get_concrete_function(SparseTensorSpec([2, 3], tf.float32))
    assert cf.outputs[0].shape.as_list() == [2, 3]
    out = cf(SparseTensor([[1, 2]], [5.0], [2, 3]))
    np.testing.assert_array_equal(out.numpy(), [[0, 0, 0], [0, 0, 5.0]])


def test_ops_traced_equal_eager():
    def body(x, b):
        r = sparse.reorder(x)
        return [
            sparse.to_dense(r),
            sparse.add(x, x),
            sparse.reduce_sum(x, 1),
            sparse.reduce_max(x, 0, output_is_sparse=True),
            sparse.sparse_dense_matmul(x, b),
            sparse.transpose(x),
            sparse.softmax(x),
            sparse.concat(0, [x, x]),
            sparse.slice(x, [0, 1], [2, 3]),
            sparse.from_dense(sparse.to_dense(x)),
            x * 2.0,
            sparse.fill_empty_rows(x, 0.0)[0],
            sparse.reshape(x, [-1, 2]),
            sparse.expand_dims(x, 0),
            sparse.split(sp_input=x, num_split=2, axis=1)[1],
            sparse.maximum(x, x),
        ]

    f = tf.function(body, input_signature=[SparseTensorSpec([None, 4]), tf.TensorSpec([4, 2])])
    x = SparseTensor([[0, 0], [1, 2], [2, 3]], [1.0, -2.0, 3.0], [3, 4])
    b = tf.constant(np.arange(8.0).reshape(4, 2), tf.float32)
    for o, e in zip(f(x, b), body(x, b)):
        if isinstance(e, SparseTensor):
            assert isinstance(o, SparseTensor)
            np.testing.assert_array_equal(o.indices.numpy(), e.indices.numpy())
            np.testing.assert_allclose(o.values.numpy(), e.values.numpy(), rtol=1e-6)
            np.testing.assert_array_equal(o.dense_shape.numpy(), e.dense_shape.numpy())
        else:
            np.testing.assert_allclose(o.numpy(), e.numpy(), rtol=1e-6)


def test_validation_error_inside_function():
    @tf.function
    def f(x):
        return sparse.to_dense(x)

    with pytest.raises(tf.errors.InvalidArgumentError, match=r"indices\[1\] = \[0,1\] is out"):
        f(SparseTensor([[1, 0], [0, 1]], [1.0, 2.0], [2, 2]))


def test_indexed_slices_output():
    v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])

    @tf.function
    def f(i):
        with tf.GradientTape() as t:
            y = tf.reduce_sum(tf.gather(v, i))
        return t.gradient(y, v)

    g = f(tf.constant([1]))
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(g.indices.numpy(), [1])
    np.testing.assert_array_equal(g.values.numpy(), [[1.0, 1.0]])


# ------------------------------------------------------------------ gradients


def _numeric_grad(fn, x, eps=1e-6):
    x = np.asarray(x, dtype=np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        g[i] = (fn(x + d) - fn(x - d)) / (2 * eps)
    return g


_IDX = np.array([[0, 0], [1, 2], [2, 1], [2, 3]], dtype=np.int64)
_W = np.random.default_rng(1).normal(size=(3, 2))


def _matmul_loss(values, b, adjoint_a=False):
    sp = SparseTensor(_IDX, values, [3, 4])
    if adjoint_a:
        sp = sparse.transpose(sp)
    out = sparse.sparse_dense_matmul(sp, b, adjoint_a=adjoint_a)
    return tf.reduce_sum(out * _W)


@pytest.mark.parametrize("adjoint_a", [False, True])
def test_sparse_dense_matmul_gradients(adjoint_a):
    rng = np.random.default_rng(2)
    values = tf.constant(rng.normal(size=4))
    b = tf.constant(rng.normal(size=(4, 2)))
    with tf.GradientTape() as t:
        t.watch([values, b])
        loss = _matmul_loss(values, b, adjoint_a)
    gv, gb = t.gradient(loss, [values, b])
    assert isinstance(gb, tf.Tensor)  # dense, as TensorFlow returns it
    num_v = _numeric_grad(lambda v: _matmul_loss(v, b, adjoint_a).numpy(), values.numpy())
    num_b = _numeric_grad(lambda m: _matmul_loss(values, m, adjoint_a).numpy(), b.numpy())
    np.testing.assert_allclose(gv.numpy(), num_v, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(gb.numpy(), num_b, rtol=1e-6, atol=1e-8)


def test_to_dense_gradient_wrt_values_and_default():
    w = np.random.default_rng(3).normal(size=(3, 4))

    def loss(values, default=0.5):
        dense = sparse.to_dense(SparseTensor(_IDX, values, [3, 4]), default_value=default)
        return tf.reduce_sum(tf.sin(dense) * w)

    values = tf.constant(np.random.default_rng(4).normal(size=4))
    default = tf.constant(0.5, tf.float64)
    with tf.GradientTape() as t:
        t.watch([values, default])
        y = loss(values, default)
    gv, gd = t.gradient(y, [values, default])
    np.testing.assert_allclose(
        gv.numpy(), _numeric_grad(lambda v: loss(v).numpy(), values.numpy()), rtol=1e-6
    )
    num_d = _numeric_grad(lambda d: loss(values, d[()]).numpy(), np.float64(0.5))
    np.testing.assert_allclose(gd.numpy(), num_d, rtol=1e-6)


def test_gradient_through_traced_function():
    @tf.function
    def f(values, b):
        return _matmul_loss(values, b)

    values = tf.constant(np.random.default_rng(5).normal(size=4))
    b = tf.constant(np.random.default_rng(6).normal(size=(4, 2)))
    with tf.GradientTape() as t:
        t.watch(values)
        y = f(values, b)
    with tf.GradientTape() as t2:
        t2.watch(values)
        y2 = _matmul_loss(values, b)
    np.testing.assert_allclose(y.numpy(), y2.numpy())
    np.testing.assert_allclose(t.gradient(y, values).numpy(), t2.gradient(y2, values).numpy())
