"""Reductions, scans and segment ops beyond the harness rows: TensorFlow's errors and edge values
(expected values taken from TensorFlow 2.21), and gradients built in graphs with unknown shapes."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import registry
from tensorflux._src.graph.executor import Executor
from tensorflux._src.graph.trace import InputSpec, run_traced, trace

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)


def _raises(fn, cls, msg):
    with pytest.raises(cls) as e:
        fn()
    assert msg in str(e.value), str(e.value)


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize(
    "fn, cls, msg",
    [
        (
            lambda: tf.reduce_sum(X, 2),
            tf.errors.InvalidArgumentError,
            "Invalid reduction dimension (2 for input with 2 dimension(s) [Op:Sum]",
        ),
        (
            lambda: tf.reduce_max(X, -3),
            tf.errors.InvalidArgumentError,
            "Invalid reduction dimension (-3 for input with 2 dimension(s) [Op:Max]",
        ),
        (
            lambda: tf.reduce_sum(tf.constant(2.0), 0),
            tf.errors.InvalidArgumentError,
            "Invalid reduction dimension (0 for input with 0 dimension(s)",
        ),
        (
            lambda: tf.reduce_mean(X, [0, 0]),
            tf.errors.InvalidArgumentError,
            "Axes contains duplicate dimension: 0",
        ),
        (
            lambda: tf.reduce_all(tf.constant([1])),
            tf.errors.InvalidArgumentError,
            "cannot compute All as input #0(zero-based) was expected to be a bool tensor but is a "
            "int32 tensor [Op:All]",
        ),
        (
            lambda: tf.reduce_max(tf.constant([True])),
            tf.errors.InvalidArgumentError,
            "Value for attr 'T' of bool is not in the list of allowed values",
        ),
        (
            lambda: tf.reduce_logsumexp(tf.constant([1, 2])),
            tf.errors.InvalidArgumentError,
            "[Op:IsFinite]",
        ),
        (
            lambda: tf.math.reduce_variance(tf.constant([1, 2])),
            TypeError,
            "Input must be either real or complex. Received integer type <dtype: 'int32'>.",
        ),
        (
            lambda: tf.math.argmax(X, 2),
            tf.errors.InvalidArgumentError,
            "Expected dimension in the range [-2, 2), but got 2 [Op:ArgMax]",
        ),
        (
            lambda: tf.math.argmax(tf.zeros([0])),
            tf.errors.InvalidArgumentError,
            "Reduction axis 0 is empty in shape [0] [Op:ArgMax]",
        ),
        (lambda: tf.math.argmax(X, [1]), TypeError, "axis must be int or Tensor"),
        (
            lambda: tf.math.argmax(X, 1, output_type=tf.float32),
            tf.errors.InvalidArgumentError,
            "Value for attr 'output_type' of float",
        ),
        (
            lambda: tf.cumsum(X, 2),
            tf.errors.InvalidArgumentError,
            "ScanOp: Expected scan axis in the range [-2, 2), but got 2 [Op:Cumsum]",
        ),
        (
            lambda: tf.math.cumulative_logsumexp(tf.constant([1, 2])),
            tf.errors.InvalidArgumentError,
            "Value for attr 'T' of int32",
        ),
        (
            lambda: tf.math.segment_sum([1.0, 2, 3, 4], [1, 0, 2, 2]),
            tf.errors.InvalidArgumentError,
            "segment ids are not increasing [Op:SegmentSum]",
        ),
        (
            lambda: tf.math.segment_sum([1.0, 2, 3, 4], [-1, 0, 2, 2]),
            tf.errors.InvalidArgumentError,
            "Segment id -1 out of range [0, 3), possibly because 'segment_ids' input is not sorted.",
        ),
        (
            lambda: tf.math.segment_sum([1.0, 2, 3, 4], [0, 0, 2]),
            tf.errors.InvalidArgumentError,
            "segment_ids should be the same size as dimension 0 of input.",
        ),
        (
            lambda: tf.math.segment_max(tf.constant([1j]), [0]),
            tf.errors.InvalidArgumentError,
            "Value for attr 'T' of complex128",
        ),
        (
            lambda: tf.math.segment_sum([1.0], tf.constant([0.0])),
            tf.errors.InvalidArgumentError,
            "Value for attr 'Tindices' of float",
        ),
        (
            lambda: tf.math.unsorted_segment_sum([1.0, 2, 3, 4], [2, 5, 0, 2], 4),
            tf.errors.InvalidArgumentError,
            "segment_ids[1] = 5 is out of range [0, 4)",
        ),
        (
            lambda: tf.math.unsorted_segment_sum(tf.ones([2, 3]), [[0, 1], [2, 2]], 3),
            tf.errors.InvalidArgumentError,
            "data.shape = [2,3] does not start with segment_ids.shape = [2,2]",
        ),
        (
            lambda: tf.math.unsorted_segment_sum([1.0, 2], [0, 0], -1),
            tf.errors.InvalidArgumentError,
            "Input num_segments == -1 must not be negative.",
        ),
        (
            lambda: tf.math.bincount(tf.constant([1, -1, 3])),
            tf.errors.InvalidArgumentError,
            "Input arr must be non-negative!",
        ),
        (
            lambda: tf.math.confusion_matrix([1, -2], [2, 2]),
            tf.errors.InvalidArgumentError,
            "`labels` contains negative values.",
        ),
        (
            lambda: tf.math.confusion_matrix([1, 2], [2, 5], num_classes=3),
            tf.errors.InvalidArgumentError,
            "`predictions` out of bound",
        ),
        (
            lambda: tf.math.confusion_matrix([1, 2, 3], [2, 2]),
            tf.errors.InvalidArgumentError,
            "Shapes of all inputs must match: values[0].shape = [3] != values[1].shape = [2]",
        ),
        (
            lambda: tf.math.in_top_k([1], tf.constant([[0.1, 0.2], [0.3, 0.4]]), 1),
            tf.errors.InvalidArgumentError,
            "First dimension of predictions 2 must match length of targets 1",
        ),
        (
            lambda: tf.math.in_top_k([1], tf.constant([0.1, 0.2]), 1),
            tf.errors.InvalidArgumentError,
            "predictions must be 2-dimensional",
        ),
        (
            lambda: tf.math.polyval(tf.constant([1.0]), 2.0),
            ValueError,
            "Argument coeffs must be list type.",
        ),
        (
            lambda: tf.math.accumulate_n([]),
            ValueError,
            "inputs must be a list of at least one Tensor with the same dtype and shape",
        ),
        (
            lambda: tf.math.accumulate_n([tf.constant([1.0, 2.0])], shape=[3]),
            ValueError,
            "Shapes (3,) and (2,) are not compatible",
        ),
        (
            lambda: tf.math.accumulate_n([tf.constant([1.0])], tensor_dtype=tf.int32),
            TypeError,
            "The `tensor_dtype` argument is <dtype: 'int32'>, but `input` is of type",
        ),
    ],
)
def test_errors_match_tensorflow(fn, cls, msg):
    _raises(fn, cls, msg)


# ------------------------------------------------------------------ values TensorFlow gives


def test_integer_mean_truncates_and_empty_means():
    assert tf.reduce_mean(tf.constant([1, 2, 4])).numpy() == 2
    assert tf.reduce_mean(tf.constant([-1, -2, -4])).numpy() == -2
    assert np.isnan(tf.reduce_mean(tf.zeros([0])).numpy())
    assert tf.reduce_mean(tf.zeros([0], tf.int32)).numpy() == 0


def test_empty_reductions_give_identities():
    assert tf.reduce_max(tf.zeros([0])).numpy() == -np.inf
    assert tf.reduce_max(tf.zeros([0], tf.int32)).numpy() == -(2**31)
    assert tf.reduce_min(tf.zeros([0], tf.uint8)).numpy() == 255
    assert tf.reduce_prod(tf.zeros([0])).numpy() == 1.0
    assert tf.reduce_all(tf.zeros([0], tf.bool)).numpy()
    assert not tf.reduce_any(tf.zeros([0], tf.bool)).numpy()
    assert tf.reduce_logsumexp(tf.zeros([0])).numpy() == -np.inf


def test_logsumexp_is_stable():
    out = tf.reduce_logsumexp(tf.constant([[-np.inf, -np.inf], [1000.0, 1000.0]]), axis=1)
    np.testing.assert_allclose(out.numpy(), [-np.inf, 1000.0 + np.log(2.0)])
    assert tf.reduce_logsumexp(tf.constant([np.inf, 1.0])).numpy() == np.inf


def test_nan_propagates_in_max_and_is_skipped_by_argmax():
    assert np.isnan(tf.reduce_max(tf.constant([1.0, np.nan, 2.0])).numpy())
    assert tf.math.argmax(tf.constant([1.0, np.nan, 2.0])).numpy() == 2
    assert tf.math.argmin(tf.constant([1.0, 0.0, 0.0])).numpy() == 1


def test_euclidean_norm_of_integers_and_complex():
    assert tf.math.reduce_euclidean_norm(tf.constant([3, 4])).numpy() == 5
    out = tf.math.reduce_euclidean_norm(tf.constant([3 + 4j, 0]))
    assert out.dtype == tf.complex128 and out.numpy() == 5


def test_variance_of_complex_is_real():
    out = tf.math.reduce_variance(tf.constant([1 + 1j, 2]))
    assert out.dtype == tf.float64 and out.numpy() == pytest.approx(0.5)


def test_argmax_defaults():
    out = tf.math.argmax(X)
    assert out.dtype == tf.int64 and out.numpy().tolist() == [1, 1, 1]
    assert tf.math.argmax(X, 1, output_type=tf.int16).dtype == tf.int16
    assert tf.math.argmax(tf.zeros([2, 0]), 0).shape == (0,)


def test_segment_empty_values():
    d = tf.constant([1.0, 2.0, 3.0, 4.0])
    ids = [0, 0, 2, 2]
    assert tf.math.segment_max(d, ids).numpy().tolist() == [2.0, 0.0, 4.0]
    assert tf.math.segment_prod(d, ids).numpy().tolist() == [2.0, 1.0, 12.0]
    uids = [2, -1, 0, 2]
    lo = np.finfo(np.float32)
    assert tf.math.unsorted_segment_max(d, uids, 4).numpy().tolist() == [3.0, lo.min, 4.0, lo.min]
    assert tf.math.unsorted_segment_min(d, uids, 4).numpy().tolist() == [3.0, lo.max, 1.0, lo.max]
    h = tf.math.unsorted_segment_max(tf.constant([1.0], tf.float16), [0], 2).numpy()
    assert h.tolist() == [1.0, -65504.0]


def test_unsorted_segment_mean_of_integers_is_float64():
    out = tf.math.unsorted_segment_mean(tf.constant([1, 2, 4]), [0, 0, 0], 2)
    assert out.dtype == tf.float64
    np.testing.assert_allclose(out.numpy(), [7 / 3, 0.0])
    assert tf.math.segment_mean(tf.constant([1, 2, 4]), [0, 0, 0]).numpy().tolist() == [2]


def test_bincount_dtypes_and_lengths():
    arr = tf.constant([1, 1, 3])
    assert tf.math.bincount(arr).numpy().tolist() == [0, 2, 0, 1]
    assert tf.math.bincount(arr, minlength=6, maxlength=2).numpy().tolist() == [0, 2]
    w = tf.math.bincount(arr, weights=tf.constant([1.0, 2, 3], tf.float64), dtype=tf.float32)
    assert w.dtype == tf.float64 and w.numpy().tolist() == [0.0, 3.0, 0.0, 3.0]
    assert tf.math.bincount(tf.constant([1.0, 1.0])).numpy().tolist() == [0, 2]
    rows = tf.math.bincount(tf.constant([[1, 2], [0, 0]]), axis=-1)
    assert rows.numpy().tolist() == [[0, 1, 1], [2, 0, 0]]


def test_count_nonzero_strings_and_dtype():
    assert tf.math.count_nonzero(tf.constant(["a", ""])).numpy() == 1
    out = tf.math.count_nonzero(tf.constant([0.0, 1.0]), dtype=tf.int32, keepdims=True)
    assert out.dtype == tf.int32 and out.shape == (1,)


def test_in_top_k_ties_and_non_finite_rows():
    p = tf.constant([[0.1, 0.5, 0.5, 0.2], [0.3, 0.1, np.nan, 0.3]])
    assert tf.math.in_top_k([1, 2], p, 1).numpy().tolist() == [True, False]
    assert tf.math.in_top_k([3, 0], p, 2).numpy().tolist() == [False, False]
    assert tf.math.in_top_k([5, -1], p, 1).numpy().tolist() == [False, False]


def test_l2_normalize_and_polyval():
    out = tf.math.l2_normalize(tf.constant([[3.0, 4.0], [0.0, 0.0]]), dim=1)
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [0.0, 0.0]], rtol=1e-6)
    assert tf.math.polyval([1, 2, 3], 2).numpy() == 11
    assert tf.math.polyval([], tf.constant(2.0)).numpy() == 0.0


# ------------------------------------------------------------------ gradients


def _grad(fn, x):
    x = tf.constant(x)
    with tf.GradientTape() as t:
        t.watch(x)
        y = fn(x)
    return t.gradient(y, x).numpy()


def test_max_gradient_is_shared_among_ties():
    g = _grad(lambda x: tf.reduce_max(x, 1), np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]]))
    np.testing.assert_allclose(g, [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    g = _grad(lambda x: tf.math.segment_min(x, [0, 0, 0, 1]), np.array([1.0, 1.0, 2.0, 5.0]))
    np.testing.assert_allclose(g, [0.5, 0.5, 0.0, 1.0])


def test_prod_gradient_with_zeros():
    x = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 1.5], [1.0, -2.0, 3.0]])
    g = _grad(lambda t: tf.reduce_prod(t, 1), x)
    np.testing.assert_allclose(g, [[6.0, 0.0, 0.0], [0.0, 0.0, 0.0], [-6.0, 3.0, -2.0]])
    g = _grad(
        lambda t: tf.math.unsorted_segment_prod(t, [0, 0, 0, -1], 1), np.array([0.0, 2.0, 3.0, 7.0])
    )
    np.testing.assert_allclose(g, [6.0, 0.0, 0.0, 0.0])


def _graph_op_grad(fn):
    """A function that builds fn's last op and then that op's registered gradient, in one graph."""

    def f(x):
        y = fn(x)
        dy = tf.ones_like(y) * 2.0
        return registry.gradient_function(y.op.type)(y.op, dy)[0]

    return f


def _eager_grad(fn, x):
    with tf.GradientTape() as t:
        t.watch(x)
        y = fn(x)
    return t.gradient(y, x, output_gradients=tf.ones_like(y) * 2.0)


GRAPH_GRAD_CASES = {
    "Sum": lambda x: tf.reduce_sum(x, 1),
    "Sum-all": tf.reduce_sum,
    "Mean": lambda x: tf.reduce_mean(x, [0, -1], keepdims=True),
    "Prod": lambda x: tf.reduce_prod(x, 0),
    "Max": lambda x: tf.reduce_max(x, -1),
    "Min": lambda x: tf.reduce_min(x, tf.constant([0])),
    "EuclideanNorm": lambda x: tf.math.reduce_euclidean_norm(x, 1),
    "Cumsum": lambda x: tf.cumsum(x, 1, reverse=True),
    "Cumprod": lambda x: tf.math.cumprod(x, 1, exclusive=True),
    "CumulativeLogsumexp": lambda x: tf.math.cumulative_logsumexp(x, 1),
    "SegmentMax": lambda x: tf.math.segment_max(x, [0, 0, 1]),
    "SegmentMean": lambda x: tf.math.segment_mean(x, [0, 0, 1]),
    "UnsortedSegmentSum": lambda x: tf.math.unsorted_segment_sum(x, [1, -1, 1], 2),
    "UnsortedSegmentProd": lambda x: tf.math.unsorted_segment_prod(x, [1, -1, 1], 2),
}


@pytest.mark.parametrize("unknown", [False, True])
@pytest.mark.parametrize("name", sorted(GRAPH_GRAD_CASES))
def test_gradients_in_graphs_with_unknown_dims(name, unknown):
    fn = GRAPH_GRAD_CASES[name]
    x = tf.constant(np.arange(12.0).reshape(3, 4) + 1.0)
    got = run_traced(_graph_op_grad(fn), [x], unknown_dims=unknown)
    np.testing.assert_allclose(got.numpy(), _eager_grad(fn, x).numpy(), rtol=1e-12)


def test_reduction_of_unknown_rank_over_all_axes():
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    graph, ph, out = trace(lambda t: tf.reduce_sum(t), [InputSpec(None, tf.float64)])
    assert out.shape.rank is None
    (value,) = Executor(graph, ph, [out])(x)
    assert value.numpy() == 15.0
    graph, ph, out = trace(
        _graph_op_grad(lambda t: tf.reduce_max(t)), [InputSpec(None, tf.float64)]
    )
    (value,) = Executor(graph, ph, [out])(x)
    np.testing.assert_array_equal(value.numpy(), [[0, 0, 0], [0, 0, 2.0]])


def test_integer_accumulation_matches_tensorflow():
    # Narrow integers are averaged in a wider type; 64-bit sums and integer norms wrap around.
    assert tf.reduce_mean(tf.constant([200, 200], tf.uint8)).numpy() == 200
    assert tf.reduce_mean(tf.constant([100, 100, 100], tf.int8)).numpy() == 100
    assert tf.reduce_mean(tf.constant([2**30] * 3, tf.int32)).numpy() == 2**30
    assert tf.reduce_mean(tf.constant([2**62] * 3, tf.int64)).numpy() == -1537228672809129301
    assert tf.math.reduce_euclidean_norm(tf.constant([100, 100], tf.int8)).numpy() == 5
    assert tf.math.reduce_euclidean_norm(tf.constant([50000, 50000])).numpy() == 26552
    assert tf.math.segment_mean(tf.constant([100, 100, 100], tf.int8), [0, 0, 0]).numpy() == [14]


def test_complex_gradients_follow_tensorflow_conjugation():
    z = tf.constant(np.array([[1 + 2j, 3 - 1j], [0.5j, 2]]))

    def grad(fn):
        with tf.GradientTape() as t:
            t.watch(z)
            y = fn(z)
        return np.round(t.gradient(y, z).numpy(), 6)

    # Prod conjugates; Cumprod and the segment products do not (values from TensorFlow 2.21).
    np.testing.assert_allclose(grad(lambda x: tf.reduce_prod(x, 1)), [[3 + 1j, 1 - 2j], [2, -0.5j]])
    np.testing.assert_allclose(grad(lambda x: tf.math.cumprod(x, 1)), [[4 - 1j, 1 + 2j], [3, 0.5j]])
    np.testing.assert_allclose(
        grad(lambda x: tf.math.segment_prod(x, [0, 0])), [[0.5j, 2], [1 + 2j, 3 - 1j]]
    )
