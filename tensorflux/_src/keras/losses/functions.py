"""The loss functions of `keras.losses`: per-sample values, reduced over the last axis.

Probabilities are clipped to [epsilon, 1 - epsilon] before logarithms; logits paths use
log-sum-exp / softplus forms, which stay finite for large inputs.
"""

from __future__ import annotations

import tensorflux as tf
from tensorflux._src.keras import backend
from tensorflux._src.keras.losses.loss import set_mask, squeeze_or_expand_to_same_rank
from tensorflux._src.keras.serialization import register_builtin

_MODULE = "keras.losses"
_LOG_ZERO = -1e30


def _pair(y_true, y_pred):
    """Tensors of y_pred's dtype, with ranks squeezed/expanded to match."""
    y_pred = tf.convert_to_tensor(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = tf.cast(y_pred, backend.floatx())
    y_true = tf.convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = tf.cast(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _mean(x, axis=-1):
    return tf.reduce_mean(x, axis=axis)


def _eps(dtype):
    return tf.cast(backend.epsilon(), dtype)


# ----------------------------------------------------------------------------- regression


@register_builtin(_MODULE)
def mean_squared_error(y_true, y_pred):
    """Mean of squared differences over the last axis.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample losses, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(tf.square(y_true - y_pred))


@register_builtin(_MODULE)
def mean_absolute_error(y_true, y_pred):
    """Mean of absolute differences over the last axis (per-sample values).

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(tf.abs(y_true - y_pred))


@register_builtin(_MODULE)
def mean_absolute_percentage_error(y_true, y_pred):
    """100 * mean(|y_true - y_pred| / max(|y_true|, epsilon)) over the last axis.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    diff = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), _eps(y_true.dtype)))
    return tf.cast(100.0, y_pred.dtype) * _mean(diff)


@register_builtin(_MODULE)
def mean_squared_logarithmic_error(y_true, y_pred):
    """Mean of squared differences of log(1 + max(x, epsilon)) over the last axis.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = _eps(y_pred.dtype)
    first = tf.math.log(tf.maximum(y_pred, eps) + 1.0)
    second = tf.math.log(tf.maximum(y_true, eps) + 1.0)
    return _mean(tf.square(first - second))


def _l2_normalize(x, axis):
    sq = tf.reduce_sum(tf.square(x), axis=axis, keepdims=True)
    return x * tf.math.rsqrt(tf.maximum(sq, tf.cast(1e-12, x.dtype)))


@register_builtin(_MODULE)
def cosine_similarity(y_true, y_pred, axis=-1):
    """Negative cosine similarity along `axis` (-1 for aligned vectors, 0 for orthogonal).

    Args:
      y_true: the targets.
      y_pred: the predictions.
      axis: the axis holding the vectors.

    Returns:
      Per-sample values in [-1, 1].
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return -tf.reduce_sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


@register_builtin(_MODULE)
def huber(y_true, y_pred, delta=1.0):
    """Huber loss: quadratic for |error| <= delta, linear beyond, averaged over the last axis.

    Args:
      y_true: the targets.
      y_pred: the predictions.
      delta: where the loss turns from quadratic to linear.

    Returns:
      Per-sample losses.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    delta = tf.cast(delta, y_pred.dtype)
    err = y_pred - y_true
    abs_err = tf.abs(err)
    quad = 0.5 * tf.square(err)
    lin = delta * abs_err - 0.5 * tf.square(delta)
    return _mean(tf.where(abs_err <= delta, quad, lin))


@register_builtin(_MODULE)
def log_cosh(y_true, y_pred):
    """Mean of log(cosh(y_pred - y_true)) over the last axis, computed without overflow.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    log2 = tf.cast(0.6931471805599453, x.dtype)
    return _mean(x + tf.math.softplus(-2.0 * x) - log2)


# ----------------------------------------------------------------------------- probabilistic


@register_builtin(_MODULE)
def kl_divergence(y_true, y_pred):
    """Kullback-Leibler divergence sum(y_true * log(y_true / y_pred)) over the last axis.

    Both inputs are clipped to [epsilon, 1] first.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    eps = backend.epsilon()
    y_true = tf.clip_by_value(y_true, eps, 1.0)
    y_pred = tf.clip_by_value(y_pred, eps, 1.0)
    return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), axis=-1)


@register_builtin(_MODULE)
def poisson(y_true, y_pred):
    """Mean of y_pred - y_true * log(y_pred + epsilon) over the last axis.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return _mean(y_pred - y_true * tf.math.log(y_pred + _eps(y_pred.dtype)))


def _check_same_rank(target, output, what):
    if target.shape.rank is not None and output.shape.rank is not None:
        if target.shape.rank != output.shape.rank:
            raise ValueError(
                "Arguments `target` and `output` must have the same rank (ndim). "
                f"Received: target.shape={target.shape}, output.shape={output.shape}"
            )
    if not target.shape.is_compatible_with(output.shape):
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={target.shape}, output.shape={output.shape}"
        )


def _get_logits(output, from_logits, op_type, fn_name):
    """Recovers logits from an activation's output, as Keras's TensorFlow backend does.

    A tensor carrying `_keras_logits`, or (while tracing) the output of a `op_type` op, is
    replaced by the logits behind it so the loss uses the stable logits formula.
    """
    has_keras_logits = hasattr(output, "_keras_logits")
    op = getattr(output, "op", None) if not hasattr(output, "numpy") else None
    from_op = (
        not has_keras_logits
        and op is not None
        and getattr(op, "type", None) == op_type
        and len(op.inputs) == 1
    )
    if from_logits and (has_keras_logits or from_op):
        import warnings

        activation = "Sigmoid" if op_type == "Sigmoid" else "Softmax"
        warnings.warn(
            f'"`{fn_name}` received `from_logits=True`, but the `output` argument was produced '
            f"by a {activation} activation and thus does not represent logits. Was this "
            "intended?",
            stacklevel=3,
        )
    if has_keras_logits:
        return output._keras_logits, True
    if from_op:
        return op.inputs[0], True
    return output, from_logits


def _bce_elementwise(target, output, from_logits):
    output, from_logits = _get_logits(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        # max(x, 0) - x * z + log(1 + exp(-|x|))
        return tf.maximum(output, 0.0) - output * target + tf.math.softplus(-tf.abs(output))
    eps = backend.epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -(target * tf.math.log(output) + (1.0 - target) * tf.math.log(1.0 - output))


def _softmax(x, axis=-1):
    return tf.exp(x - tf.reduce_logsumexp(x, axis=axis, keepdims=True))


def _cce(target, output, from_logits, axis):
    output, from_logits = _get_logits(output, from_logits, "Softmax", "categorical_crossentropy")
    if from_logits:
        log_p = output - tf.reduce_logsumexp(output, axis=axis, keepdims=True)
        return -tf.reduce_sum(target * log_p, axis=axis)
    eps = backend.epsilon()
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -tf.reduce_sum(target * tf.math.log(output), axis=axis)


def _smooth_binary(y_true, label_smoothing):
    if label_smoothing:
        ls = tf.cast(label_smoothing, y_true.dtype)
        y_true = y_true * (1.0 - ls) + 0.5 * ls
    return y_true


def _smooth_categorical(y_true, label_smoothing):
    if label_smoothing:
        ls = tf.cast(label_smoothing, y_true.dtype)
        n = tf.cast(tf.shape(y_true)[-1], y_true.dtype)
        y_true = y_true * (1.0 - ls) + ls / n
    return y_true


@register_builtin(_MODULE)
def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross-entropy, averaged over `axis`.

    Args:
      y_true: the labels (0 or 1, or soft labels).
      y_pred: probabilities, or logits when `from_logits`.
      from_logits: whether `y_pred` holds logits.
      label_smoothing: in [0, 1]; labels move towards 0.5 by this fraction.
      axis: the axis averaged over.

    Returns:
      Per-sample losses.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth_binary(y_true, label_smoothing)
    _check_same_rank(y_true, y_pred, "binary_crossentropy")
    return tf.reduce_mean(_bce_elementwise(y_true, y_pred, from_logits), axis=axis)


@register_builtin(_MODULE)
def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """Binary cross-entropy scaled by (1 - p_t) ** gamma, averaged over `axis`.

    Args:
      y_true: the labels.
      y_pred: probabilities, or logits when `from_logits`.
      apply_class_balancing: whether to weigh positives by `alpha`, negatives by `1 - alpha`.
      alpha: the class-balancing weight of positives.
      gamma: the focusing exponent.
      from_logits: whether `y_pred` holds logits.
      label_smoothing: in [0, 1].
      axis: the axis averaged over.

    Returns:
      Per-sample losses.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth_binary(y_true, label_smoothing)
    if from_logits:
        y_pred = tf.sigmoid(y_pred)
    bce = _bce_elementwise(y_true, y_pred, False)
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal = tf.pow(1.0 - p_t, tf.cast(gamma, y_pred.dtype)) * bce
    if apply_class_balancing:
        a = tf.cast(alpha, y_pred.dtype)
        focal = (y_true * a + (1.0 - y_true) * (1.0 - a)) * focal
    return tf.reduce_mean(focal, axis=axis)


@register_builtin(_MODULE)
def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross-entropy between one-hot (or soft) labels and class probabilities.

    Args:
      y_true: one-hot labels.
      y_pred: probabilities (renormalized to sum 1 along `axis`), or logits when `from_logits`.
      from_logits: whether `y_pred` holds logits.
      label_smoothing: in [0, 1]; labels move towards uniform by this fraction.
      axis: the class axis.

    Returns:
      Per-sample losses.

    Raises:
      ValueError: if the shapes differ.
    """
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type bool")
    y_true, y_pred = _pair(y_true, y_pred)
    if y_pred.shape.rank is not None and y_pred.shape[-1] == 1:
        import warnings

        warnings.warn(
            "In loss categorical_crossentropy, expected y_pred.shape to be "
            "(batch_size, num_classes) with num_classes > 1. Received: "
            f"y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' if you only "
            "have 2 classes.",
            SyntaxWarning,
            stacklevel=2,
        )
    y_true = _smooth_categorical(y_true, label_smoothing)
    _check_same_rank(y_true, y_pred, "categorical_crossentropy")
    return _cce(y_true, y_pred, from_logits, axis)


@register_builtin(_MODULE)
def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """Categorical cross-entropy scaled by alpha * (1 - p) ** gamma, summed over `axis`.

    Args:
      y_true: one-hot labels.
      y_pred: probabilities, or logits when `from_logits`.
      alpha: the weighting factor.
      gamma: the focusing exponent.
      from_logits: whether `y_pred` holds logits.
      label_smoothing: in [0, 1].
      axis: the class axis.

    Returns:
      Per-sample losses.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _smooth_categorical(y_true, label_smoothing)
    if from_logits:
        y_pred = _softmax(y_pred, axis)
    eps = backend.epsilon()
    out = y_pred / tf.reduce_sum(y_pred, axis=axis, keepdims=True)
    out = tf.clip_by_value(out, eps, 1.0 - eps)
    cce = -y_true * tf.math.log(out)
    weight = tf.pow(1.0 - out, tf.cast(gamma, out.dtype)) * tf.cast(alpha, out.dtype)
    return tf.reduce_sum(weight * cce, axis=axis)


@register_builtin(_MODULE)
def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None, axis=-1):
    """Cross-entropy between integer labels and class probabilities (or logits).

    Args:
      y_true: integer class ids, shape `[batch, ...]` or `[batch, ..., 1]`.
      y_pred: probabilities or logits, shape `[batch, ..., num_classes]`.
      from_logits: whether `y_pred` holds logits.
      ignore_class: a label whose entries get loss 0 (and are masked out of the mean).
      axis: the class axis.

    Returns:
      Per-sample losses.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = tf.cast(y_pred, backend.floatx())
    y_true = tf.convert_to_tensor(y_true)
    if (
        y_true.shape.rank is not None
        and y_pred.shape.rank is not None
        and y_true.shape.rank == y_pred.shape.rank
        and y_true.shape[-1] == 1
    ):
        y_true = tf.squeeze(y_true, -1)
    valid = None
    if ignore_class is not None:
        valid = tf.not_equal(y_true, tf.cast(ignore_class, y_true.dtype))
        y_true = y_true * tf.cast(valid, y_true.dtype)
        y_pred = y_pred * tf.cast(tf.expand_dims(valid, -1), y_pred.dtype)
    y_pred, from_logits = _get_logits(
        y_pred, from_logits, "Softmax", "sparse_categorical_crossentropy"
    )
    labels = tf.cast(y_true, tf.int64)
    num_classes = tf.shape(y_pred)[axis]
    onehot = tf.one_hot(labels, num_classes, dtype=y_pred.dtype, axis=axis)
    if from_logits:
        log_p = y_pred - tf.reduce_logsumexp(y_pred, axis=axis, keepdims=True)
    else:
        # Clip, then renormalize in log space (a softmax of the log-probabilities).
        eps = backend.epsilon()
        logits = tf.math.log(tf.clip_by_value(y_pred, eps, 1.0 - eps))
        log_p = logits - tf.reduce_logsumexp(logits, axis=axis, keepdims=True)
    res = -tf.reduce_sum(onehot * log_p, axis=axis)
    if valid is not None:
        res = tf.where(valid, res, tf.zeros_like(res))
        set_mask(res, valid)
    return res


@register_builtin(_MODULE)
def categorical_generalized_cross_entropy(y_true, y_pred, q):
    """Generalized cross-entropy (1 - p_y ** q) / q for integer labels (robust to noise).

    Args:
      y_true: integer class ids, shape `[batch]`.
      y_pred: class probabilities, shape `[batch, num_classes]`.
      q: in (0, 1]; towards 0 it approaches cross-entropy, at 1 mean absolute error.

    Returns:
      Per-sample losses.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(tf.convert_to_tensor(y_true), tf.int32)
    if y_true.shape.rank == 2 and y_true.shape[-1] == 1:
        y_true = tf.squeeze(y_true, -1)
    eps = backend.epsilon()
    y_pred = tf.clip_by_value(y_pred, eps, 1.0 - eps)
    onehot = tf.one_hot(y_true, tf.shape(y_pred)[-1], dtype=y_pred.dtype)
    p_y = tf.reduce_sum(onehot * y_pred, axis=-1)
    q = tf.cast(q, y_pred.dtype)
    return (1.0 - tf.pow(p_y, q)) / q


# ----------------------------------------------------------------------------- hinge


def _hinge_labels(y_true):
    # Labels given as {0, 1} become {-1, 1}.
    is_binary = tf.reduce_all(tf.logical_or(tf.equal(y_true, 0.0), tf.equal(y_true, 1.0)))
    return tf.where(is_binary, 2.0 * y_true - 1.0, y_true)


@register_builtin(_MODULE)
def hinge(y_true, y_pred):
    """Mean of max(1 - y_true * y_pred, 0) over the last axis ({0, 1} labels map to {-1, 1}).

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return _mean(tf.maximum(1.0 - y_true * y_pred, 0.0))


@register_builtin(_MODULE)
def squared_hinge(y_true, y_pred):
    """Mean of max(1 - y_true * y_pred, 0) ** 2 over the last axis.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return _mean(tf.square(tf.maximum(1.0 - y_true * y_pred, 0.0)))


@register_builtin(_MODULE)
def categorical_hinge(y_true, y_pred):
    """max(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0) for one-hot labels.

    Args:
      y_true: the targets, shape `[batch, d0, ..., dN]`.
      y_pred: the predictions, same shape.

    Returns:
      Per-sample values, shape `[batch, d0, ..., dN-1]`.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    pos = tf.reduce_sum(y_true * y_pred, axis=-1)
    neg = tf.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return tf.maximum(neg - pos + 1.0, 0.0)


# ----------------------------------------------------------------------------- segmentation


@register_builtin(_MODULE)
def dice(y_true, y_pred, axis=None):
    """1 - 2 * |y_true * y_pred| / (|y_true| + |y_pred|), summed over `axis` (None: all).

    Args:
      y_true: the targets.
      y_pred: the predictions.
      axis: the axes summed over (None: every axis, giving a scalar).

    Returns:
      The Dice loss per remaining index.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    inter = tf.reduce_sum(y_true * y_pred, axis=axis)
    denom = tf.reduce_sum(y_true, axis=axis) + tf.reduce_sum(y_pred, axis=axis)
    return 1.0 - 2.0 * inter / (denom + backend.epsilon())


@register_builtin(_MODULE)
def tversky(y_true, y_pred, alpha=0.5, beta=0.5, axis=None):
    """1 - TP / (TP + beta * FP + alpha * FN), with soft counts summed over `axis`.

    Args:
      y_true: the targets.
      y_pred: the predictions.
      alpha: the weight of false negatives.
      beta: the weight of false positives.
      axis: the axes summed over (None: all).

    Returns:
      The Tversky loss per remaining index.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, y_pred.dtype)
    tp = tf.reduce_sum(y_true * y_pred, axis=axis)
    fp = tf.reduce_sum((1.0 - y_true) * y_pred, axis=axis)
    fn = tf.reduce_sum(y_true * (1.0 - y_pred), axis=axis)
    return 1.0 - tp / (tp + beta * fp + alpha * fn + backend.epsilon())


@register_builtin(_MODULE)
def circle(
    y_true,
    y_pred,
    ref_labels=None,
    ref_embeddings=None,
    remove_diagonal=True,
    gamma=80,
    margin=0.4,
):
    """Circle loss for metric learning on L2-normalized embeddings.

    Similarities are dot products (capped at 1), so embeddings should already be unit-norm.

    Args:
      y_true: integer labels of the embeddings, shape `[batch]`.
      y_pred: embeddings, shape `[batch, dim]`.
      ref_labels: labels of the reference embeddings (default: `y_true`).
      ref_embeddings: reference embeddings (default: `y_pred`).
      remove_diagonal: whether to drop the (i, i) pairs from the positives.
      gamma: the scale factor.
      margin: the relaxation margin.

    Returns:
      Per-sample losses, shape `[batch]` (0 for samples without a positive or a negative).
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.cast(y_true, tf.int32)
    refs = y_pred if ref_embeddings is None else tf.cast(ref_embeddings, y_pred.dtype)
    ref_labels = y_true if ref_labels is None else tf.cast(ref_labels, tf.int32)
    sim = tf.minimum(tf.matmul(y_pred, refs, transpose_b=True), 1.0)
    same = tf.equal(tf.expand_dims(y_true, -1), tf.expand_dims(ref_labels, 0))
    pos_mask = same
    if remove_diagonal:
        rows = tf.range(tf.shape(sim)[0])
        cols = tf.range(tf.shape(sim)[1])
        diag = tf.equal(tf.expand_dims(rows, -1), tf.expand_dims(cols, 0))
        pos_mask = tf.logical_and(pos_mask, tf.logical_not(diag))
    neg_mask = tf.logical_not(same)
    gamma = tf.cast(gamma, y_pred.dtype)
    margin = tf.cast(margin, y_pred.dtype)
    # Adaptive weights; as in Keras, gradients flow through them too.
    pos_w = tf.maximum(1.0 + margin - sim, 0.0)
    neg_w = tf.maximum(sim + margin, 0.0)
    pos_logits = -gamma * pos_w * (sim - (1.0 - margin))
    neg_logits = gamma * neg_w * (sim - margin)
    low = tf.cast(_LOG_ZERO, y_pred.dtype)
    pos_lse = tf.reduce_logsumexp(tf.where(pos_mask, pos_logits, low), axis=-1)
    neg_lse = tf.reduce_logsumexp(tf.where(neg_mask, neg_logits, low), axis=-1)
    loss = tf.math.softplus(pos_lse + neg_lse)
    valid = tf.logical_and(tf.reduce_any(pos_mask, axis=-1), tf.reduce_any(neg_mask, axis=-1))
    return tf.where(valid, loss, tf.zeros_like(loss))


# ----------------------------------------------------------------------------- sequence


def _ctc_neg_log_likelihood(labels, logits, label_length):
    """-log p(labels | logits) by the CTC forward recursion in log space (blank index 0).

    labels: int [batch, max_len] (0-padded); logits: [batch, time, classes]; every sequence uses
    all `time` steps. Written with tensorflux ops, so it traces and differentiates.
    """
    num_steps = logits.shape[1]
    if num_steps is None:
        raise ValueError("ctc needs a static number of time steps in `y_pred`.")
    log_probs = logits - tf.reduce_logsumexp(logits, axis=-1, keepdims=True)
    batch = tf.shape(labels)[0]
    max_len = labels.shape[1] if labels.shape[1] is not None else tf.shape(labels)[1]
    # Extended labels: blank, l1, blank, l2, ..., blank.
    blanks = tf.zeros_like(labels)
    ext = tf.reshape(tf.stack([blanks, labels], axis=2), tf.stack([batch, 2 * max_len]))
    ext = tf.concat([ext, tf.zeros_like(labels[:, :1])], axis=1)
    num_classes = logits.shape[-1] if logits.shape[-1] is not None else tf.shape(logits)[-1]
    onehot = tf.one_hot(ext, num_classes, dtype=logits.dtype)
    emit = tf.einsum("btc,bsc->bts", log_probs, onehot)
    prev2 = tf.concat([tf.ones_like(ext[:, :2]), ext[:, :-2]], axis=1)
    can_skip = tf.logical_and(tf.not_equal(ext, 0), tf.not_equal(ext, prev2))
    width = tf.shape(ext)[1]
    pos = tf.range(width)
    zero = tf.cast(_LOG_ZERO, logits.dtype)
    neg_col = tf.fill(tf.stack([batch, 1]), zero)
    start = tf.less(pos, 2)
    alpha = tf.where(tf.expand_dims(start, 0), emit[:, 0, :], zero)
    for t in range(1, num_steps):
        one = tf.concat([neg_col, alpha[:, :-1]], axis=1)
        two = tf.concat([neg_col, neg_col, alpha[:, :-2]], axis=1)
        two = tf.where(can_skip, two, zero)
        alpha = tf.reduce_logsumexp(tf.stack([alpha, one, two], axis=0), axis=0) + emit[:, t, :]
    last = 2 * label_length
    ends = tf.logical_or(
        tf.equal(tf.expand_dims(pos, 0), tf.expand_dims(last, 1)),
        tf.logical_and(
            tf.equal(tf.expand_dims(pos, 0), tf.expand_dims(last - 1, 1)),
            tf.expand_dims(label_length > 0, 1),
        ),
    )
    return -tf.reduce_logsumexp(tf.where(ends, alpha, zero), axis=1)


@register_builtin(_MODULE)
def ctc(y_true, y_pred):
    """Connectionist Temporal Classification loss per sequence.

    Args:
      y_true: integer labels, shape `[batch, max_label_length]`, padded with 0 (class 0 is also
        the blank).
      y_pred: logits, shape `[batch, time, num_classes]`.

    Returns:
      The negative log-likelihood of each label sequence, shape `[batch]`.

    Raises:
      ValueError: if the ranks are not 2 and 3.
    """
    y_pred = tf.convert_to_tensor(y_pred)
    y_true = tf.convert_to_tensor(y_true)
    if y_true.shape.rank != 2:
        raise ValueError(
            "Targets `y_true` are expected to be a tensor of shape "
            f"`(batch_size, max_length)` in integer format. Received: y_true.shape={y_true.shape}"
        )
    if y_pred.shape.rank != 3:
        raise ValueError(
            "Logits `y_pred` are expected to be a tensor of shape "
            f"`(batch_size, max_length, num_classes)`. Received: y_pred.shape={y_pred.shape}"
        )
    labels = tf.cast(y_true, tf.int32)
    label_length = tf.reduce_sum(tf.cast(tf.not_equal(labels, 0), tf.int32), axis=-1)
    # Computed in float32 whatever the input float type, then cast back.
    loss = _ctc_neg_log_likelihood(labels, tf.cast(y_pred, tf.float32), label_length)
    return tf.cast(loss, y_pred.dtype)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
