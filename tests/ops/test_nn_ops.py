"""tf.nn beyond the harness: TensorFlow's errors, dropout's randomness, IndexedSlices gradients,
second derivatives of the fused losses, and the public names."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.ops import ctc_ops, nn_loss_ops, nn_norm_ops

IAE = tf.errors.InvalidArgumentError


def _softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


# ------------------------------------------------------------------ activations and softmax


def test_relu_keeps_integer_dtype_and_leaky_relu_casts_to_float32():
    r = tf.nn.relu(tf.constant([1, -2, 3]))
    assert r.dtype == tf.int32 and r.numpy().tolist() == [1, 0, 3]
    r6 = tf.nn.relu6(tf.constant([1, -2, 9], tf.int64))
    assert r6.dtype == tf.int64 and r6.numpy().tolist() == [1, 0, 6]
    lr = tf.nn.leaky_relu(tf.constant([1, -2]))
    assert lr.dtype == tf.float32
    np.testing.assert_allclose(lr.numpy(), [1.0, -0.4])
    np.testing.assert_allclose(tf.nn.leaky_relu(tf.constant([-2.0]), alpha=2.0).numpy(), [-4.0])


def test_activation_dtype_errors():
    with pytest.raises(IAE, match="Value for attr 'T' of int32 is not in the list of allowed "
                                  "values: half, bfloat16, float, double"):  # fmt: skip
        tf.nn.elu(tf.constant([1, 2]))
    with pytest.raises(IAE, match="of bool is not in the list"):
        tf.nn.relu(tf.constant([True]))
    with pytest.raises(ValueError, match="must be a floating point tensor"):
        tf.nn.gelu(tf.constant([1, 2]))


def test_selu_and_gelu_values():
    x = np.array([1.0, -2.0], np.float32)
    np.testing.assert_allclose(tf.nn.selu(x).numpy(), [1.050701, -1.5201665], rtol=1e-6)
    np.testing.assert_allclose(
        tf.nn.gelu(x, approximate=True).numpy(), [0.841192, -0.04540223], rtol=1e-5
    )
    np.testing.assert_allclose(tf.nn.gelu(x).numpy(), [0.8413447, -0.04550026], rtol=1e-5)
    np.testing.assert_allclose(
        tf.nn.swish(x, beta=2.0).numpy(), x / (1 + np.exp(-2 * x)), rtol=1e-6
    )


def test_softmax_errors():
    with pytest.raises(IAE, match=r"logits must have >= 1 dimension, got \[\]"):
        tf.nn.softmax(tf.constant(1.0))
    with pytest.raises(IAE, match=r"`dim` must be in the range \[-2, 2\) where 2 is the number"):
        tf.nn.softmax(tf.ones([2, 2]), axis=2)
    with pytest.raises(IAE, match="of int32 is not in the list"):
        tf.nn.softmax(tf.constant([1, 2]))


def test_softmax_is_stable_and_normalized():
    x = np.array([[1000.0, 1001.0, -1000.0]], np.float32)
    y = tf.nn.softmax(x).numpy()
    assert np.all(np.isfinite(y))
    np.testing.assert_allclose(y.sum(-1), 1.0, rtol=1e-6)
    ly = tf.math.log_softmax(x).numpy()
    np.testing.assert_allclose(ly, [[-1.3132617, -0.3132617, -2001.3132617]], rtol=1e-6)


def test_bias_add_errors_and_formats():
    with pytest.raises(ValueError, match=r"`data_format` must be of the form `N\.\.\.C` or"):
        tf.nn.bias_add(tf.ones([2, 3]), tf.ones([3]), data_format="XY")
    with pytest.raises(IAE, match=r"Must provide as many biases as the last dimension of the "
                                  r"input tensor: \[2\] vs\. \[2,3\]"):  # fmt: skip
        tf.nn.bias_add(tf.ones([2, 3]), tf.ones([2]))
    with pytest.raises(IAE, match=r"Input tensor must be at least 2D: \[3\]"):
        tf.nn.bias_add(tf.ones([3]), tf.ones([3]))
    with pytest.raises(IAE, match=r"Biases must be 1D: \[1,4\]"):
        tf.nn.bias_add(tf.ones([2, 3, 4]), tf.ones([1, 4]))
    out = tf.nn.bias_add(tf.zeros([2, 3, 4]), tf.constant([1.0, 2.0, 3.0]), data_format="NCW")
    assert out.numpy()[1, 2].tolist() == [3.0] * 4


def test_bias_add_gradient_in_tf_function_nchw():
    b = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            y = tf.nn.bias_add(x, b, data_format="NCHW")
            loss = tf.reduce_sum(y * y)
        return tape.gradient(loss, b)

    x = np.arange(8, dtype=np.float32).reshape(2, 2, 2)
    want = 2 * (x + np.array([1.0, 2.0]).reshape(1, 2, 1)).sum(axis=(0, 2))
    np.testing.assert_allclose(f(tf.constant(x)).numpy(), want)


# ------------------------------------------------------------------ cross entropies


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(IAE, match=r"Received a label value of 3 which is outside the valid "
                                  r"range of \[0, 3\)\.  Label values: 0 3"):  # fmt: skip
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0, 3]), tf.ones([2, 3]))
    with pytest.raises(IAE, match="Label values: 0 -1"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0, -1]), tf.ones([2, 3]))
    with pytest.raises(ValueError, match=r"`labels.shape` must equal `logits.shape` except for "
                                         r"the last dimension"):  # fmt: skip
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0, 1]), tf.ones([3, 3]))
    with pytest.raises(ValueError, match="Rank mismatch"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([[0]]), tf.ones([3]))
    with pytest.raises(IAE, match="Value for attr 'Tlabels' of float is not in the list of "
                                  "allowed values: int32, int64"):  # fmt: skip
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0.0]), tf.ones([1, 3]))
    with pytest.raises(IAE, match=r"Must have at least one class, but got logits shape \[1,0\]"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0]), tf.ones([1, 0]))


def test_sparse_softmax_cross_entropy_out_of_range_inside_tf_function():
    f = tf.function(tf.nn.sparse_softmax_cross_entropy_with_logits)
    assert f(tf.constant([1]), tf.ones([1, 3])).shape == (1,)
    with pytest.raises(IAE, match="outside the valid range"):
        f(tf.constant([5]), tf.ones([1, 3]))


def test_softmax_cross_entropy_broadcast_error_and_float16():
    with pytest.raises(IAE, match=r"logits and labels must be broadcastable: "
                                  r"logits_size=\[2,4\] labels_size=\[2,3\]"):  # fmt: skip
        tf.nn.softmax_cross_entropy_with_logits(tf.ones([2, 3]), tf.ones([2, 4]))
    out = tf.nn.softmax_cross_entropy_with_logits(
        tf.constant([[0.0, 1.0]], tf.float16), tf.constant([[1.0, 2.0]], tf.float16)
    )
    assert out.dtype == tf.float16
    np.testing.assert_allclose(out.numpy(), [np.log1p(np.exp(-1.0))], rtol=1e-3)


def test_softmax_cross_entropy_hessian_and_label_gradient():
    logits = tf.constant([[0.3, -1.0, 2.0]], tf.float64)
    labels = tf.constant([[0.2, 0.5, 0.3]], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(logits)
        with tf.GradientTape(persistent=True) as inner:
            inner.watch([logits, labels])
            loss = tf.nn.softmax_cross_entropy_with_logits(labels, logits)
        g = inner.gradient(loss, logits)
        gl = inner.gradient(loss, labels)
    hess = outer.jacobian(g, logits).numpy().reshape(3, 3)
    p = _softmax(logits.numpy())[0]
    np.testing.assert_allclose(hess, np.diag(p) - np.outer(p, p), atol=1e-12)
    np.testing.assert_allclose(gl.numpy(), -np.log(_softmax(logits.numpy())), atol=1e-12)


def test_sparse_softmax_cross_entropy_hessian():
    logits = tf.constant([[0.3, -1.0, 2.0]], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(logits)
        with tf.GradientTape() as inner:
            inner.watch(logits)
            loss = tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([2]), logits)
        g = inner.gradient(loss, logits)
    hess = outer.jacobian(g, logits).numpy().reshape(3, 3)
    p = _softmax(logits.numpy())[0]
    np.testing.assert_allclose(g.numpy()[0], p - np.eye(3)[2], atol=1e-12)
    np.testing.assert_allclose(hess, np.diag(p) - np.outer(p, p), atol=1e-12)


def test_sigmoid_cross_entropy_shape_error_and_values():
    with pytest.raises(ValueError, match=r"`logits` and `labels` must have the same shape, "
                                         r"received \(\(2, 4\) vs \(2, 3\)\)\."):  # fmt: skip
        tf.nn.sigmoid_cross_entropy_with_logits(tf.ones([2, 3]), tf.ones([2, 4]))
    out = tf.nn.sigmoid_cross_entropy_with_logits(labels=[1.0, 0.0], logits=[2.0, -3.0])
    np.testing.assert_allclose(out.numpy(), [0.126928, 0.04858735], rtol=1e-5)
    w = tf.nn.weighted_cross_entropy_with_logits([1.0, 0.0], tf.constant([2.0, -3.0]), 2.0)
    np.testing.assert_allclose(w.numpy(), [0.253856, 0.04858732], rtol=1e-5)


def test_log_poisson_loss_full():
    out = tf.nn.log_poisson_loss(
        tf.constant([1.0, 0.0, 3.0]), tf.constant([2.0, -3.0, 0.5]), compute_full_loss=True
    )
    np.testing.assert_allclose(out.numpy(), [5.389056, 0.04978707, 1.9128028], rtol=1e-5)


def test_compute_average_loss_and_regularization():
    np.testing.assert_allclose(tf.nn.compute_average_loss(tf.constant([1.0, 2.0, 3.0])), 2.0)
    out = tf.nn.compute_average_loss(
        tf.constant([1.0, 2.0, 3.0]), sample_weight=[1, 2, 3.0], global_batch_size=6
    )
    np.testing.assert_allclose(out.numpy(), 14 / 6, rtol=1e-6)
    as_int = tf.nn.compute_average_loss(tf.constant([1, 2]))
    assert as_int.dtype == tf.float64 and float(as_int) == 1.5
    assert float(tf.nn.compute_average_loss(tf.constant([1.0, 2.0]), global_batch_size=0)) == 0
    with pytest.raises(ValueError, match="Expected a tensor with at least rank 1"):
        tf.nn.compute_average_loss(tf.constant(5.0))
    reg = tf.nn.scale_regularization_loss([tf.constant(1.0), tf.constant(2.0)])
    assert float(reg) == 3.0


# ------------------------------------------------------------------ dropout


def test_dropout_rate_checks_and_identity():
    with pytest.raises(ValueError, match=r"`rate` must be a scalar tensor or a float in the "
                                         r"range \[0, 1\)\. Received: rate=1.0"):  # fmt: skip
        tf.nn.dropout(tf.ones([2]), 1.0)
    with pytest.raises(ValueError, match="Received: rate=-0.1"):
        tf.nn.dropout(tf.ones([2]), -0.1)
    with pytest.raises(ValueError, match="`x.dtype` must be a floating point tensor"):
        tf.nn.dropout(tf.ones([2], tf.int32), 0.5)
    x = tf.constant([1.0, 2.0])
    assert tf.nn.dropout(x, 0.0).numpy().tolist() == [1.0, 2.0]


def test_dropout_scales_kept_values_and_drops_about_rate():
    x = tf.ones([200, 50])
    y = tf.nn.dropout(x, 0.3).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert abs(1 - kept.mean() - 0.3) < 0.03
    t = tf.nn.dropout(x, tf.constant(0.3)).numpy()
    assert abs(1 - (t != 0).mean() - 0.3) < 0.03


def test_dropout_noise_shape_and_seeds():
    y = tf.nn.dropout(tf.ones([6, 40]), 0.5, noise_shape=[6, 1]).numpy()
    for row in y:
        assert len(set(row.tolist())) == 1
    y2 = tf.nn.dropout(tf.ones([3, 40]), 0.5, noise_shape=[None, 1]).numpy()
    assert all(len(set(r.tolist())) == 1 for r in y2)
    tf.random.set_seed(7)
    a = tf.nn.dropout(tf.ones([50]), 0.5, seed=3).numpy()
    tf.random.set_seed(7)
    b = tf.nn.dropout(tf.ones([50]), 0.5, seed=3).numpy()
    np.testing.assert_array_equal(a, b)


def test_dropout_draws_anew_in_each_tf_function_call():
    f = tf.function(lambda x: tf.nn.dropout(x, 0.5))
    a, b = f(tf.ones([100])).numpy(), f(tf.ones([100])).numpy()
    assert not np.array_equal(a, b)


def test_stateless_dropout_is_a_function_of_the_seed():
    x = tf.ones([100])
    sd = tf.nn.experimental.stateless_dropout
    a = sd(x, 0.5, seed=[1, 2]).numpy()
    np.testing.assert_array_equal(a, sd(x, 0.5, seed=[1, 2]).numpy())
    assert not np.array_equal(a, sd(x, 0.5, seed=[1, 3]).numpy())
    assert set(np.unique(a).tolist()) <= {0.0, 2.0}


def test_general_dropout_uses_the_sampler():
    out = tf.nn.experimental.general_dropout(
        tf.ones([4]), 0.5, lambda shape, dtype: tf.constant([0.1, 0.9, 0.4, 0.6], dtype)
    )
    assert out.numpy().tolist() == [0.0, 2.0, 0.0, 2.0]


# ------------------------------------------------------------------ norms


def test_moments_keep_float16_and_integer_means():
    m, v = tf.nn.moments(tf.constant([[1.0, 2.0], [3.0, 5.0]], tf.float16), [0, 1], keepdims=True)
    assert m.dtype == tf.float16 and m.shape == (1, 1)
    np.testing.assert_allclose(v.numpy(), [[2.1875]], rtol=1e-3)
    mi, vi = tf.nn.moments(tf.constant([[1, 2], [3, 5]]), axes=[0])
    assert mi.numpy().tolist() == [2, 3] and vi.numpy().tolist() == [1, 2]


def test_fused_batch_norm_checks():
    with pytest.raises(ValueError, match="Both `mean` and `variance` must be a 1D tensor"):
        nn_norm_ops.fused_batch_norm(tf.ones([2, 1, 1, 3]), tf.ones([3]), tf.zeros([3]),
                                     is_training=False)  # fmt: skip
    with pytest.raises(IAE, match=r"input must be 4 or 5-dimensional\[2,3\]"):
        nn_norm_ops.fused_batch_norm(tf.ones([2, 3]), tf.ones([3]), tf.zeros([3]))
    y, m, v = nn_norm_ops.fused_batch_norm(
        tf.ones([2, 1, 1, 3], tf.float16), tf.ones([3]), tf.zeros([3])
    )
    assert y.dtype == tf.float16 and m.dtype == tf.float32
    assert v.numpy().tolist() == [0.0, 0.0, 0.0]


def test_lrn_rank_error_and_alias():
    with pytest.raises(IAE, match="in must be 4-dimensional"):
        tf.nn.lrn(tf.ones([2, 4]))
    x = tf.reshape(tf.range(8.0), [1, 1, 2, 4])
    out = tf.nn.local_response_normalization(x, depth_radius=1)
    np.testing.assert_allclose(
        out.numpy().ravel()[:4], [0.0, 0.4082483, 0.5163978, 0.8017837], rtol=1e-6
    )


def test_lrn_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-2, 2, (1, 1, 2, 5))
    dy = rng.standard_normal(x0.shape)
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.lrn(x, depth_radius=2, bias=1.5, alpha=0.3, beta=0.75)
    g = tape.gradient(y, x, output_gradients=tf.constant(dy)).numpy()
    u = rng.standard_normal(x0.shape)
    eps = 1e-6

    def f(a):
        return tf.nn.lrn(tf.constant(a), depth_radius=2, bias=1.5, alpha=0.3, beta=0.75).numpy()

    fd = np.sum(dy * (f(x0 + eps * u) - f(x0 - eps * u)) / (2 * eps))
    np.testing.assert_allclose(np.sum(g * u), fd, rtol=1e-6)


# ------------------------------------------------------------------ embeddings


def test_embedding_lookup_gradient_is_indexed_slices():
    p = tf.Variable([[1.0, 2.0], [3.0, 5.0], [0.0, 1.0]])
    with tf.GradientTape() as tape:
        y = tf.nn.embedding_lookup(p, [1, 1, 2])
        loss = tf.reduce_sum(y)
    g = tape.gradient(loss, p)
    assert isinstance(g, tf.IndexedSlices)
    assert g.indices.numpy().tolist() == [1, 1, 2]
    np.testing.assert_allclose(tf.convert_to_tensor(g).numpy(), [[0, 0], [2, 2], [1, 1]])


def test_embedding_lookup_sharded_div_and_mod():
    shards = [tf.constant([[0.0], [1.0]]), tf.constant([[2.0]])]
    out = tf.nn.embedding_lookup(shards, [2, 0, 1])
    assert out.numpy().ravel().tolist() == [2.0, 0.0, 1.0]
    mod = nn_loss_ops.embedding_lookup_v1(shards, [0, 1, 2], partition_strategy="mod")
    # "mod": id 0 -> shard 0 row 0, id 1 -> shard 1 row 0, id 2 -> shard 0 row 1.
    assert mod.numpy().ravel().tolist() == [0.0, 2.0, 1.0]
    with tf.GradientTape() as tape:
        tape.watch(shards)
        y = tf.reduce_sum(tf.nn.embedding_lookup(shards, [2, 2, 0]))
    g0, g1 = tape.gradient(y, shards)
    np.testing.assert_allclose(tf.convert_to_tensor(g0).numpy(), [[1.0], [0.0]])
    np.testing.assert_allclose(tf.convert_to_tensor(g1).numpy(), [[2.0]])


def test_embedding_lookup_errors_and_max_norm():
    with pytest.raises(ValueError, match="Length of params is currently 0"):
        tf.nn.embedding_lookup([], [0])
    with pytest.raises(IAE, match=r"indices\[0\] = 2 is not in \[0, 2\)"):
        tf.nn.embedding_lookup(tf.constant([[3.0, 4.0], [0.3, 0.4]]), [2])
    out = tf.nn.embedding_lookup(tf.constant([[3.0, 4.0], [0.3, 0.4]]), [[1, 0]], max_norm=1.0)
    np.testing.assert_allclose(out.numpy(), [[[0.3, 0.4], [0.6, 0.8]]], rtol=1e-6)


def test_public_names():
    for name in [
        "relu", "relu6", "elu", "selu", "leaky_relu", "gelu", "silu", "swish", "crelu",
        "softmax", "log_softmax", "bias_add", "dropout", "moments", "weighted_moments",
        "normalize_moments", "batch_normalization", "l2_loss", "local_response_normalization",
        "lrn", "embedding_lookup", "compute_average_loss", "scale_regularization_loss",
        "softmax_cross_entropy_with_logits", "sparse_softmax_cross_entropy_with_logits",
        "sigmoid_cross_entropy_with_logits", "weighted_cross_entropy_with_logits",
        "log_poisson_loss",
    ]:  # fmt: skip
        assert callable(getattr(tf.nn, name)), name
    assert tf.math.softmax is tf.nn.softmax and tf.math.log_softmax is tf.nn.log_softmax
    assert tf.nn.swish is tf.nn.silu


# ------------------------------------------------------------------ CTC


def test_ctc_loss_matches_tensorflow_values_and_gradient():
    # Values and gradient rows from TensorFlow 2.21 for this seeded problem.
    rng = np.random.default_rng(0)
    logits = tf.constant(rng.standard_normal((6, 3, 5)).astype(np.float32))
    labels = np.array([[1, 2, 2], [3, 0, 0], [4, 1, 0]], np.int32)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = tf.nn.ctc_loss(labels, logits, [3, 1, 2], [6, 4, 5], blank_index=0)
        total = tf.reduce_sum(loss * [1.0, 2.0, 3.0])
    np.testing.assert_allclose(loss.numpy(), [8.255633, 4.5253825, 5.0092735], rtol=1e-5)
    g = tape.gradient(total, logits).numpy()[:, 1]
    np.testing.assert_allclose(g[0], [-1.28102, 0.86942, 0.60844, -0.26342, 0.06658], atol=1e-4)
    np.testing.assert_array_equal(g[4:], 0)
    other = tf.nn.ctc_loss(labels, logits, [3, 1, 2], [6, 4, 5], blank_index=2)
    np.testing.assert_allclose(other.numpy(), [9.047581, 4.4443846, 4.783096], rtol=1e-5)


def test_ctc_loss_too_long_is_infinite_and_traces():
    logits = tf.zeros([2, 1, 3])
    assert np.isinf(tf.nn.ctc_loss([[1, 1, 2]], logits, [3], [2]).numpy()[0])
    f = tf.function(tf.nn.ctc_loss)
    out = f(tf.constant([[1]]), logits, tf.constant([1]), tf.constant([2]))
    # Two frames, three classes: paths b1, 1b, 11 out of 9.
    np.testing.assert_allclose(out.numpy(), [-np.log(3 / 9)], rtol=1e-6)


def test_ctc_op_label_errors_and_decoders():
    x = tf.zeros([2, 1, 3])
    idx = tf.constant([[0, 0], [0, 1]], tf.int64)
    with pytest.raises(IAE, match="All labels must be nonnegative integers, batch: 0 labels: 1,-1"):
        ctc_ops.CTCLoss(x, idx, tf.constant([1, -1]), tf.constant([2]))
    with pytest.raises(IAE, match="Saw a non-null label"):
        ctc_ops.CTCLoss(x, idx, tf.constant([2, 1]), tf.constant([2]))
    # A null label (>= num_classes - 1) ends the sequence.
    loss, _ = ctc_ops.CTCLoss(x, idx, tf.constant([1, 2]), tf.constant([2]))
    np.testing.assert_allclose(loss.numpy(), [np.log(3.0)], rtol=1e-6)
    with pytest.raises(NotImplementedError, match="SparseTensor"):
        tf.nn.ctc_greedy_decoder(tf.zeros([2, 1, 3]), [2])
    with pytest.raises(NotImplementedError, match="SparseTensor"):
        tf.nn.ctc_beam_search_decoder(tf.zeros([2, 1, 3]), [2])


def test_collapse_repeated():
    out, n = tf.nn.collapse_repeated(tf.constant([[1, 1, 2, 2, 3], [4, 4, 4, 0, 0]]), [5, 2])
    assert out.numpy().tolist() == [[1, 2, 3], [4, 0, 0]]
    assert n.numpy().tolist() == [3, 1]


def test_zero_fraction_and_global_normalization():
    assert float(tf.nn.zero_fraction(tf.constant([0, 1, 0, 3]))) == 0.5
    assert np.isnan(float(tf.nn.zero_fraction(tf.zeros([0]))))
    x = tf.constant([[1.0, 2.0], [3.0, 5.0]])
    args = [tf.constant([1.0, 2.0]), tf.constant([2.0, 3.0]), tf.constant([0.0, 1.0]),
            tf.constant([2.0, 2.0]), 0.001]  # fmt: skip
    scaled = tf.nn.batch_norm_with_global_normalization(x, *args, True)
    np.testing.assert_allclose(scaled.numpy(), [[0.0, 1.0], [2.8277202, 4.463525]], rtol=1e-6)
    plain = tf.nn.batch_norm_with_global_normalization(x, *args, False)
    np.testing.assert_allclose(plain.numpy()[1], [1.4138601, 2.7317626], rtol=1e-5)
