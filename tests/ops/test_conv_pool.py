"""Convolution and pooling beyond the harness rows: every stride/padding/dilation combination's
gradient against central differences, NCHW against NHWC, values against naive loops and against
numbers taken from TensorFlow 2.21, TensorFlow's error messages, and tracing."""

import itertools

import numpy as np
import pytest

import tensorflux as tf
from tests.ops.db_nn_conv import ref_conv, ref_pool

RNG = np.random.default_rng(7)


def _jvp_check(fn, args, eps=1e-6, rtol=1e-6):
    """<J^T v, u> from the tape equals <v, J u> by central differences (float64)."""
    args = [np.asarray(a, np.float64) for a in args]
    xs = [tf.constant(a) for a in args]
    with tf.GradientTape() as tape:
        for x in xs:
            tape.watch(x)
        y = fn(*xs)
    v = RNG.standard_normal(y.shape.as_list())
    us = [RNG.standard_normal(a.shape) for a in args]
    grads = tape.gradient(y, xs, output_gradients=tf.constant(v))
    lhs = sum(float(np.sum(g.numpy() * u)) for g, u in zip(grads, us))
    plus = fn(*[tf.constant(a + eps * u) for a, u in zip(args, us)]).numpy()
    minus = fn(*[tf.constant(a - eps * u) for a, u in zip(args, us)]).numpy()
    rhs = float(np.sum((plus - minus) / (2 * eps) * v))
    assert abs(lhs - rhs) <= rtol * 1e3 * max(1.0, abs(lhs), abs(rhs)), (lhs, rhs)


PADS = ["SAME", "VALID", [[0, 0], [1, 0], [2, 1], [0, 0]]]
STRIDES = [1, 2, [1, 3]]
DILATIONS = [1, 2, [2, 1]]


@pytest.mark.parametrize(
    "padding,strides,dilations", list(itertools.product(PADS, STRIDES, DILATIONS))
)
def test_conv2d_gradients_every_combo(padding, strides, dilations):
    x = RNG.standard_normal((2, 7, 8, 3))
    w = RNG.standard_normal((3, 2, 3, 4))

    def f(a, b):
        return tf.nn.conv2d(a, b, strides, padding, dilations=dilations)

    _jvp_check(f, [x, w])
    got = f(tf.constant(x), tf.constant(w)).numpy()
    np.testing.assert_allclose(got, ref_conv(x, w, strides, padding, dilations=dilations),
                               rtol=1e-10, atol=1e-10)  # fmt: skip


@pytest.mark.parametrize("padding,strides", list(itertools.product(PADS, STRIDES)))
def test_conv2d_nchw_matches_nhwc(padding, strides):
    x = RNG.standard_normal((2, 6, 7, 4))
    w = RNG.standard_normal((3, 3, 2, 6))  # two groups
    nhwc = tf.nn.conv2d(x, w, strides, padding, dilations=[1, 2])
    pad_nchw = padding
    if isinstance(padding, list):
        pad_nchw = [padding[0], padding[3], padding[1], padding[2]]
    nchw = tf.nn.conv2d(
        np.transpose(x, (0, 3, 1, 2)), w, strides, pad_nchw, data_format="NCHW", dilations=[1, 2]
    )
    np.testing.assert_allclose(np.transpose(nchw.numpy(), (0, 2, 3, 1)), nhwc.numpy(), 1e-12)

    def f(a, b):
        return tf.nn.conv2d(a, b, strides, pad_nchw, data_format="NCHW", dilations=[1, 2])

    _jvp_check(f, [np.transpose(x, (0, 3, 1, 2)), w])


@pytest.mark.parametrize("padding,strides,rate", list(itertools.product(
    ["SAME", "VALID"], [1, 2], [1, 2])))  # fmt: skip
def test_depthwise_gradients(padding, strides, rate):
    if strides > 1 and rate > 1:
        pytest.skip("TensorFlow rejects strides > 1 with dilation > 1 here")
    x = RNG.standard_normal((2, 7, 6, 3))
    w = RNG.standard_normal((3, 2, 3, 2))

    def f(a, b):
        return tf.nn.depthwise_conv2d(a, b, [1, strides, strides, 1], padding, dilations=[rate] * 2)

    _jvp_check(f, [x, w])
    nchw = tf.nn.depthwise_conv2d(np.transpose(x, (0, 3, 1, 2)), w, [1, 1, strides, strides],
                                  padding, data_format="NCHW", dilations=[rate] * 2)  # fmt: skip
    np.testing.assert_allclose(
        np.transpose(nchw.numpy(), (0, 2, 3, 1)), f(tf.constant(x), tf.constant(w)).numpy(), 1e-12
    )


@pytest.mark.parametrize("padding,strides,dil", list(itertools.product(
    ["SAME", "VALID"], [1, 2, [1, 2, 1]], [1, [1, 2, 1]])))  # fmt: skip
def test_conv3d_gradients(padding, strides, dil):
    x = RNG.standard_normal((1, 4, 5, 5, 2))
    w = RNG.standard_normal((2, 2, 3, 2, 3))

    def f(a, b):
        return tf.nn.conv3d(a, b, strides if isinstance(strides, int) else [1, *strides, 1],
                            padding, dilations=dil if isinstance(dil, int) else [1, *dil, 1])  # fmt: skip

    _jvp_check(f, [x, w])


@pytest.mark.parametrize("padding,strides", list(itertools.product(["SAME", "VALID"], [1, 2, 3])))
def test_conv2d_transpose_is_the_adjoint(padding, strides):
    # <conv2d(x, w), y> == <x, conv2d_transpose(y, w)>
    x = RNG.standard_normal((2, 7, 6, 3))
    w = RNG.standard_normal((3, 3, 3, 4))
    y = tf.nn.conv2d(x, w, strides, padding)
    dy = RNG.standard_normal(y.shape.as_list())
    xt = tf.nn.conv2d_transpose(dy, w, list(x.shape), strides, padding)
    np.testing.assert_allclose(np.sum(y.numpy() * dy), np.sum(x * xt.numpy()), rtol=1e-10)
    _jvp_check(lambda a, b: tf.nn.conv2d_transpose(a, b, list(x.shape), strides, padding),
               [dy, w])  # fmt: skip


POOL_CASES = list(
    itertools.product(["SAME", "VALID"], [(2, 2), (3, 2), (3, 1), (2, 3), ([2, 3], [1, 2])])
)


@pytest.mark.parametrize("padding,ks", POOL_CASES)
@pytest.mark.parametrize("kind", ["MAX", "AVG"])
def test_pool2d_values_and_gradients(padding, ks, kind):
    k, s = ks
    x = RNG.standard_normal((2, 7, 6, 3))
    fn = tf.nn.max_pool2d if kind == "MAX" else tf.nn.avg_pool2d
    got = fn(x, k, s, padding).numpy()
    np.testing.assert_allclose(got, ref_pool(x, k, s, padding, kind=kind), rtol=1e-12)
    _jvp_check(lambda a: fn(a, k, s, padding), [x])
    nchw = fn(np.transpose(x, (0, 3, 1, 2)), k, s, padding, data_format="NCHW").numpy()
    np.testing.assert_allclose(np.transpose(nchw, (0, 2, 3, 1)), got, rtol=1e-12)


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
@pytest.mark.parametrize("kind", ["MAX", "AVG"])
def test_pool3d_and_1d_gradients(padding, kind):
    x3 = RNG.standard_normal((1, 4, 5, 3, 2))
    fn3 = tf.nn.max_pool3d if kind == "MAX" else tf.nn.avg_pool3d
    _jvp_check(lambda a: fn3(a, [2, 3, 2], [1, 2, 2], padding), [x3])
    np.testing.assert_allclose(fn3(x3, [2, 3, 2], [1, 2, 2], padding).numpy(),
                               ref_pool(x3, [2, 3, 2], [1, 2, 2], padding, kind=kind), 1e-12)  # fmt: skip
    x1 = RNG.standard_normal((2, 9, 3))
    fn1 = tf.nn.max_pool1d if kind == "MAX" else tf.nn.avg_pool1d
    _jvp_check(lambda a: fn1(a, 3, 2, padding), [x1])


def test_max_pool_second_order():
    x = RNG.standard_normal((1, 5, 6, 2))
    xt = tf.constant(x)
    w = tf.constant(RNG.standard_normal((1, 3, 3, 2)))
    with tf.GradientTape() as outer:
        outer.watch(xt)
        with tf.GradientTape() as inner:
            inner.watch(xt)
            y = tf.nn.max_pool2d(xt, 3, 2, "SAME")
        g = inner.gradient(y, xt, output_gradients=w)
        s = tf.reduce_sum(g * g)
    # g is piecewise constant in x: its derivative is zero (and must exist, not None).
    h = outer.gradient(s, xt)
    assert h is not None and np.all(h.numpy() == 0)


# ------------------------------------------------------------------ fixed values from TF 2.21


def test_values_from_tensorflow():
    x = tf.reshape(tf.range(2 * 4 * 5 * 3, dtype=tf.float32) / 10.0 - 3, [2, 4, 5, 3])
    w = tf.reshape(tf.cos(tf.range(3 * 2 * 3 * 2, dtype=tf.float32)), [3, 2, 3, 2])
    y = tf.nn.conv2d(x, w, [1, 2, 1, 1], "SAME").numpy()
    assert y.shape == (2, 2, 5, 2)
    np.testing.assert_allclose(y[0, 0, :, 0], [-0.7052, -0.6315, -0.5578, -0.4841, -0.2291],
                               atol=2e-4)  # fmt: skip
    np.testing.assert_allclose(
        y[1, 1, :, 1], [-4.0557, -4.2171, -4.3785, -4.54, -2.4771], atol=2e-4
    )
    with tf.GradientTape() as t:
        t.watch([x, w])
        s = tf.reduce_sum(tf.sin(tf.nn.conv2d(x, w, 1, [[0, 0], [1, 0], [2, 1], [0, 0]])))
    gw = t.gradient(s, w).numpy()
    np.testing.assert_allclose(gw[0, 0], [[10.1028, -43.7254], [11.5954, -43.5552],
                                          [13.088, -43.3849]], rtol=1e-4)  # fmt: skip
    np.testing.assert_allclose(gw[2, 1, 2], [64.7179, -29.9029], rtol=1e-4)


def test_max_pool_ties_and_argmax_from_tensorflow():
    x = tf.constant([[[[1.0], [3.0], [2.0]], [[3.0], [0.0], [5.0]], [[4.0], [4.0], [1.0]]]])
    out, arg = tf.nn.max_pool_with_argmax(x, 2, 1, "SAME")
    assert out.numpy().ravel().tolist() == [3, 5, 5, 4, 5, 5, 4, 4, 1]
    assert arg.numpy().ravel().tolist() == [1, 5, 5, 6, 5, 5, 6, 7, 8]
    assert arg.dtype == tf.int64
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.nn.max_pool2d(x, 2, 1, "SAME")
    # Ties go to the first maximum in window order, as on TensorFlow's CPU.
    assert t.gradient(y, x).numpy().ravel().tolist() == [0, 1, 0, 0, 0, 4, 2, 1, 1]
    assert tf.nn.avg_pool2d(x, 2, 2, "SAME").numpy().ravel().tolist() == [1.75, 3.5, 4.0, 1.0]
    with tf.GradientTape() as t:
        t.watch(x)
        out, _ = tf.nn.max_pool_with_argmax(x, 2, 1, "SAME", include_batch_in_index=True)
    assert t.gradient(out, x).numpy().ravel().tolist() == [0, 1, 0, 0, 0, 4, 2, 1, 1]


# ------------------------------------------------------------------ errors as TensorFlow raises them


def _raises(cls, text, fn):
    with pytest.raises(cls) as e:
        fn()
    assert text in str(e.value), str(e.value)


def test_errors():
    x = tf.ones([1, 5, 5, 4])
    IA = tf.errors.InvalidArgumentError
    _raises(IA, "input depth must be evenly divisible by filter depth: 4 vs 3",
            lambda: tf.nn.conv2d(x, tf.ones([3, 3, 3, 2]), 1, "SAME"))  # fmt: skip
    _raises(IA, "convolution input must be 4-dimensional: [5,5,4]",
            lambda: tf.nn.conv2d(tf.ones([5, 5, 4]), tf.ones([3, 3, 4, 2]), 1, "SAME"))  # fmt: skip
    _raises(IA, "convolution filter must be 4-dimensional: [3,3,4]",
            lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4]), 1, "SAME"))  # fmt: skip
    _raises(IA, "Computed output size would be negative: -1 [input_size: 5, "
            "effective_filter_size: 7, stride: 1]",
            lambda: tf.nn.conv2d(x, tf.ones([7, 7, 4, 2]), 1, "VALID"))  # fmt: skip
    _raises(IA, "expected to be a float tensor but is a double tensor",
            lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4, 2], tf.float64), 1, "SAME"))  # fmt: skip
    _raises(IA, "input and filter must have the same depth: 4 vs 3",
            lambda: tf.nn.depthwise_conv2d(x, tf.ones([3, 3, 3, 2]), [1, 1, 1, 1], "SAME"))  # fmt: skip
    _raises(IA, "Number of channels in filter (1) must match last dimension of input (2)",
            lambda: tf.nn.conv3d(tf.ones([1, 4, 4, 4, 2]), tf.ones([2, 2, 2, 1, 3]),
                                 [1, 1, 1, 1, 1], "SAME"))  # fmt: skip
    _raises(tf.errors.UnimplementedError, "strides in the batch and depth dimensions",
            lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4, 2]), [2, 1, 1, 1], "SAME"))  # fmt: skip
    _raises(ValueError, "strides should be of length 1, 2 or 4. Received: strides=[1, 1, 1] "
            "of length 3", lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4, 2]), [1, 1, 1], "SAME"))  # fmt: skip
    _raises(ValueError, "When padding is a list, it must be of size 4",
            lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4, 2]), 1, [[1, 1], [2, 2], [0, 0]]))  # fmt: skip
    _raises(IA, "Nonzero explicit padding in the batch or depth dimensions is not supported",
            lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4, 2]), 1,
                                 [[1, 1], [1, 1], [2, 2], [0, 0]]))  # fmt: skip
    _raises(IA, "Size of out_backprop doesn't match computed: actual = 5, computed = 4",
            lambda: tf.nn.conv2d_transpose(x, tf.ones([3, 3, 2, 4]), [1, 7, 7, 2], 2, "SAME"))  # fmt: skip
    _raises(IA, "filter and out_backprop must have the same out_depth",
            lambda: tf.nn.conv2d_transpose(x, tf.ones([3, 3, 2, 3]), [1, 10, 10, 2], 2, "SAME"))  # fmt: skip
    _raises(IA, "Computed output size would be negative",
            lambda: tf.nn.max_pool2d(x, 7, 1, "VALID"))  # fmt: skip
    _raises(IA, "Value for attr 'T' of int32 is not in the list of allowed values",
            lambda: tf.nn.avg_pool2d(tf.ones([1, 5, 5, 4], tf.int32), 2, 2, "SAME"))  # fmt: skip
    _raises(tf.errors.UnimplementedError, "Pooling is not yet supported on the batch dimension.",
            lambda: tf.nn.max_pool2d(x, [2, 2, 2, 2], 2, "SAME"))  # fmt: skip
    _raises(IA, "tensor_in must be 5-dimensional",
            lambda: tf.nn.max_pool3d(tf.ones([1, 4, 4, 2]), 2, 2, "SAME"))  # fmt: skip
    _raises(ValueError, "`input.shape.rank` must be 3, 4 or 5",
            lambda: tf.nn.max_pool(tf.ones([2, 5, 4, 4, 4, 4]), 2, 2, "SAME"))  # fmt: skip
    _raises(TypeError, "Expected string for argument 'padding'",
            lambda: tf.nn.avg_pool2d(x, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]))  # fmt: skip
    _raises(ValueError, "2-D FOO pooling is not supported.",
            lambda: tf.nn.pool(x, [2, 2], "FOO"))  # fmt: skip
    _raises(ValueError, "pooling with 'SAME' padding is not implemented for `dilation_rate` > 1",
            lambda: tf.nn.pool(x, [2, 2], "MAX", padding="SAME", dilations=[2, 2]))  # fmt: skip
    _raises(ValueError, "values other  than 'NHWC' are not supported",
            lambda: tf.nn.max_pool_with_argmax(x, 2, 2, "SAME", data_format="NCHW"))  # fmt: skip


def test_attr_values_are_checked():
    x = tf.ones([1, 5, 5, 4])
    IA = tf.errors.InvalidArgumentError
    _raises(
        IA,
        'Value for attr \'padding\' of "same" is not in the list of allowed values: "SAME", '
        '"VALID", "EXPLICIT"',
        lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4, 2]), 1, "same"),
    )
    _raises(
        IA,
        'Value for attr \'padding\' of "same" is not in the list of allowed values: "SAME", '
        '"VALID"',
        lambda: tf.nn.avg_pool2d(x, 2, 2, "same"),
    )
    _raises(
        IA,
        "Value for attr 'data_format' of \"NWHC\" is not in the list of allowed values",
        lambda: tf.nn.conv2d(x, tf.ones([3, 3, 4, 2]), 1, "SAME", data_format="NWHC"),
    )


def test_explicit_padding_max_pool_and_shapes():
    x = tf.ones([1, 5, 5, 4])
    assert tf.nn.max_pool2d(x, 2, 2, [[0, 0], [1, 1], [1, 1], [0, 0]]).shape == [1, 3, 3, 4]
    assert tf.nn.conv2d(x, tf.ones([3, 3, 4, 2]), 2, [[0, 0], [1, 1], [2, 2], [0, 0]]).shape == [
        1, 3, 4, 2]  # fmt: skip
    assert tf.nn.conv1d(tf.ones([1, 4, 5]), tf.ones([3, 4, 2]), 1, "SAME",
                        data_format="NCW").shape == [1, 2, 5]  # fmt: skip
    assert tf.nn.separable_conv2d(x, tf.ones([3, 3, 4, 2]), tf.ones([1, 1, 8, 3]), [1, 1, 1, 1],
                                  "SAME", dilations=[2, 2]).shape == [1, 5, 5, 3]  # fmt: skip


def test_traced_with_unknown_dims():
    @tf.function(input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32)])
    def f(x):
        y = tf.nn.conv2d(x, tf.ones([3, 3, 3, 4]), 2, "SAME")
        return tf.nn.max_pool2d(y, 2, 2, "SAME")

    x = RNG.standard_normal((2, 9, 7, 3)).astype(np.float32)
    eager = tf.nn.max_pool2d(tf.nn.conv2d(x, tf.ones([3, 3, 3, 4]), 2, "SAME"), 2, 2, "SAME")
    np.testing.assert_allclose(f(x).numpy(), eager.numpy(), rtol=1e-5)
    assert f(x).shape == [2, 3, 2, 4]


def test_small_cnn_gradients_flow():
    x = tf.constant(RNG.standard_normal((4, 12, 12, 1)).astype(np.float32))
    w1 = tf.Variable(RNG.standard_normal((3, 3, 1, 8)).astype(np.float32) * 0.3)
    w2 = tf.Variable(RNG.standard_normal((3, 3, 8, 4)).astype(np.float32) * 0.3)
    with tf.GradientTape() as t:
        h = tf.nn.max_pool2d(tf.nn.relu(tf.nn.conv2d(x, w1, 1, "VALID")), 2, 2, "VALID")
        h = tf.nn.avg_pool2d(tf.nn.conv2d(h, w2, 1, "SAME"), 5, 5, "VALID")
        loss = tf.reduce_sum(h * h)
    g1, g2 = t.gradient(loss, [w1, w2])
    assert g1.shape == [3, 3, 1, 8] and g2.shape == [3, 3, 8, 4]
    assert np.abs(g1.numpy()).sum() > 0 and np.abs(g2.numpy()).sum() > 0


def test_gradients_inside_tf_function_match_eager():
    x = tf.constant(RNG.standard_normal((2, 9, 8, 3)).astype(np.float32))
    w = tf.Variable(RNG.standard_normal((3, 3, 3, 4)).astype(np.float32))

    def f(x):
        with tf.GradientTape() as t:
            y = tf.nn.conv2d(x, w, 2, "SAME")
            y = tf.nn.avg_pool2d(tf.nn.max_pool2d(y, 2, 1, "SAME"), 2, 2, "VALID")
            loss = tf.reduce_sum(y * y)
        return t.gradient(loss, [x, w])

    eager = f(x)
    spec = [tf.TensorSpec([None, None, None, 3], tf.float32)]
    for traced in (tf.function(f)(x), tf.function(f, input_signature=spec)(x)):
        for a, b in zip(eager, traced):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


def test_trace_time_errors_are_worded_as_tensorflow_graphs():
    def check(text, fn):
        with pytest.raises(ValueError) as e:
            tf.function(fn)()
        assert text in str(e.value), str(e.value)

    x = tf.ones([1, 5, 5, 4])
    check("Depth of input (4) is not a multiple of input depth of filter (3)",
          lambda: tf.nn.conv2d(x, tf.ones([3, 3, 3, 2]), 1, "SAME"))  # fmt: skip
    check("Depth of output (3) is not a multiple of the number of groups (2)",
          lambda: tf.nn.conv2d(x, tf.ones([3, 3, 2, 3]), 1, "SAME"))  # fmt: skip
    check("Negative dimension size caused by subtracting 7 from 5",
          lambda: tf.nn.conv2d(x, tf.ones([7, 7, 4, 2]), 1, "VALID"))  # fmt: skip
    check("Shape must be rank 4 but is rank 3",
          lambda: tf.nn.max_pool2d(tf.ones([5, 5, 4]), 2, 1, "VALID"))  # fmt: skip
    check("Dimensions must be equal, but are 4 and 3",
          lambda: tf.nn.depthwise_conv2d(x, tf.ones([3, 3, 3, 2]), [1, 1, 1, 1], "SAME"))  # fmt: skip


@pytest.mark.parametrize("groups", [1, 2])
def test_batch_slicing_gives_the_same_results(monkeypatch, groups):
    from tensorflux._src.ops import conv_kernels

    x = tf.constant(RNG.standard_normal((5, 6, 7, 4)))
    w = tf.constant(RNG.standard_normal((3, 2, 4 // groups, 6)))

    def run():
        with tf.GradientTape() as t:
            t.watch([x, w])
            y = tf.nn.conv2d(x, w, [1, 2], "SAME", dilations=[1, 1])
            loss = tf.reduce_sum(tf.sin(y))
        return [y.numpy()] + [g.numpy() for g in t.gradient(loss, [x, w])]

    whole = run()
    monkeypatch.setattr(conv_kernels, "_CHUNK_ELEMS", 50)  # one image per slice
    for a, b in zip(whole, run()):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
