"""`tf.nn` losses and embeddings.

Primitives: SoftmaxCrossEntropyWithLogits and SparseSoftmaxCrossEntropyWithLogits, fused kernels
giving the loss and its backprop in one pass (two outputs, as TensorFlow's). Composites: the
public cross entropies (any rank, any class axis), sigmoid and weighted cross entropies,
log_poisson_loss, compute_average_loss, scale_regularization_loss and embedding_lookup.
"""

from __future__ import annotations

import math

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed, check_same, static_value
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape, broadcast_shapes
from tensorflux._src.ops import (
    array_ops,
    binary_math_ops,
    clip_ops,
    gather_ops,
    manip_ops,
    math_ops,
    nn_ops,
    reduction_ops,
    unary_ops,
)
from tensorflux._src.ops._util import as_tensor

_D = dtypes
_FLOAT_T = (_D.float16, _D.bfloat16, _D.float32, _D.float64)
_LABEL_T = (_D.int32, _D.int64)


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _dims(s):
    if s.rank is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in s.as_list()) + "]"


def _is_zero(t) -> bool:
    """True when `t` is known to be all zeros (the tape fills unused output gradients so)."""
    v = static_value(t)
    return v is not None and not np.any(v)


# ------------------------------------------------------------------ SoftmaxCrossEntropyWithLogits


def _sce_dtype(in_dtypes, attrs):
    t = check_same(in_dtypes)
    check_allowed(t, _FLOAT_T)
    return [t, t]


def _sce_shape(inputs, attrs):
    f, lab = inputs[0].shape, inputs[1].shape
    for s in (f, lab):
        if s.rank is not None and s.rank != 2:
            raise _err(
                "logits and labels must be either 2-dimensional, or broadcasted to be 2-dimensional"
            )
    try:
        full = broadcast_shapes(f, lab)
    except (ValueError, InvalidArgumentError):
        raise _err(
            "logits and labels must be broadcastable: "
            f"logits_size={_dims(f)} labels_size={_dims(lab)}"
        ) from None
    batch = TensorShape(None) if full.rank is None else TensorShape([full[0]])
    return [batch, full]


SoftmaxCrossEntropyWithLogits = defop(
    "SoftmaxCrossEntropyWithLogits", infer=Rule(_sce_dtype, _sce_shape), num_outputs=2
)


@SoftmaxCrossEntropyWithLogits.kernel
def _(xp, features, labels):
    if features.ndim != 2 or labels.ndim != 2:
        raise ValueError("rank")  # the shape rule gives TensorFlow's message
    shifted = features - features.max(axis=-1, keepdims=True)
    e = xp.exp(shifted)
    total = e.sum(axis=-1, keepdims=True)
    logp = shifted - xp.log(total)
    loss = -(labels * logp).sum(axis=-1)
    e /= total
    backprop = e - labels
    return [loss.astype(features.dtype, copy=False), backprop.astype(features.dtype, copy=False)]


@SoftmaxCrossEntropyWithLogits.gradient
def _(op, dloss, dbackprop):
    features, labels = op.inputs
    backprop = op.outputs[1]
    g = array_ops.expand_dims(dloss, -1)
    dfeat = g * backprop
    dlab = g * math_ops.negative(nn_ops.log_softmax(features))
    if dbackprop is not None and not _is_zero(dbackprop):
        sm = nn_ops.softmax(features)
        dfeat = dfeat + (dbackprop - reduction_ops.reduce_sum(dbackprop * sm, -1, True)) * sm
        dlab = dlab - dbackprop
    return [math_ops.unbroadcast(dfeat, features), math_ops.unbroadcast(dlab, labels)]


# ------------------------------------------------------------------ SparseSoftmaxCrossEntropy...


def _ssce_dtype(in_dtypes, attrs):
    t, lt = in_dtypes
    check_allowed(t, _FLOAT_T)
    check_allowed(lt, _LABEL_T, "Tlabels")
    return [t, t]


def _ssce_shape(inputs, attrs):
    f, lab = inputs[0].shape, inputs[1].shape
    if f.rank is not None and f.rank != 2:
        raise _err(f"logits must be 2-D, but got shape {_dims(f)}")
    if lab.rank is not None and lab.rank != 1:
        raise _err(f"labels must be 1-D, but got shape {_dims(lab)}")
    if f.rank is not None and f[1] == 0:
        raise _err(f"Must have at least one class, but got logits shape {_dims(f)}")
    n = f[0] if f.rank is not None else None
    m = lab[0] if lab.rank is not None else None
    if n is not None and m is not None and n != m:
        raise _err(
            "logits and labels must have the same first dimension, got logits shape "
            f"{_dims(f)} and labels shape {_dims(lab)}"
        )
    batch = TensorShape([n if n is not None else m])
    return [batch, TensorShape([batch[0], f[1] if f.rank is not None else None])]


SparseSoftmaxCrossEntropyWithLogits = defop(
    "SparseSoftmaxCrossEntropyWithLogits", infer=Rule(_ssce_dtype, _ssce_shape), num_outputs=2
)


@SparseSoftmaxCrossEntropyWithLogits.kernel
def _(xp, features, labels):
    if features.ndim != 2 or labels.ndim != 1 or features.shape[0] != labels.shape[0]:
        raise ValueError("shapes")
    n, c = features.shape
    if c == 0:
        raise ValueError("no classes")
    bad = (labels < 0) | (labels >= c)
    if bool(bad.any()):
        host = labels.get() if hasattr(labels, "get") else labels
        first = int(host[np.argmax(np.asarray(bad.get() if hasattr(bad, "get") else bad))])
        raise _err(
            f"Received a label value of {first} which is outside the valid range of [0, {c}).  "
            "Label values: " + " ".join(str(int(v)) for v in np.asarray(host).reshape(-1))
        )
    rows = xp.arange(n)
    e = features - features.max(axis=-1, keepdims=True)
    picked = e[rows, labels]
    xp.exp(e, out=e)
    total = e.sum(axis=-1, keepdims=True)
    loss = xp.log(total[:, 0]) - picked
    e /= total
    e[rows, labels] -= 1
    return [loss.astype(features.dtype, copy=False), e.astype(features.dtype, copy=False)]


@SparseSoftmaxCrossEntropyWithLogits.gradient
def _(op, dloss, dbackprop):
    features = op.inputs[0]
    g = array_ops.expand_dims(dloss, -1) * op.outputs[1]
    if dbackprop is not None and not _is_zero(dbackprop):
        sm = nn_ops.softmax(features)
        g = g + (dbackprop - reduction_ops.reduce_sum(dbackprop * sm, -1, True)) * sm
    return [g, None]


# ------------------------------------------------------------------ public cross entropies


def _flatten_outer(x):
    """Reshapes to 2-D `[-1, last_dim]`."""
    last = x.shape[-1] if x.shape.rank is not None else None
    if last is None:
        last = array_ops.shape(x)[-1]
        return array_ops.reshape(x, array_ops.stack([as_tensor(-1), last]))
    return array_ops.reshape(x, [-1, last])


def _outer_shape(x):
    """`x`'s shape without its last dimension (a list if static, else a tensor)."""
    s = x.shape
    if s.rank is not None and s[:-1].is_fully_defined():
        return s.as_list()[:-1]
    return array_ops.shape(x)[:-1]


def _move_axis_last(x, axis):
    rank = x.shape.rank
    if axis == -1 or (rank is not None and axis == rank - 1):
        return x
    if rank is None:
        raise NotImplementedError("a class axis other than -1 needs a known rank")
    axis %= rank
    perm = [i for i in range(rank) if i != axis] + [axis]
    return array_ops.transpose(x, perm)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Cross entropy between the softmax of `logits` and the distribution `labels`.

    Each slice along `axis` is one example's class scores; `labels` must hold a probability
    distribution per example (one-hot or soft). Gradients flow to both `logits` and `labels`.

    Args:
      labels: A `Tensor` broadcastable to `logits` along the batch dims, same shape per class.
      logits: A floating `Tensor` of unscaled log probabilities.
      axis: The class dimension (default -1, the last).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of `logits`' shape without `axis`, of `logits`' dtype.

    Raises:
      InvalidArgumentError: if the shapes do not broadcast.
    """
    logits = as_tensor(logits)
    labels = as_tensor(labels, dtype_hint=logits.dtype)
    dtype = logits.dtype
    precise = math_ops.cast(logits, dtypes.float32) if dtype is dtypes.float16 else logits
    if labels.dtype is not precise.dtype:
        labels = math_ops.cast(labels, precise.dtype)
    if precise.shape.rank == 0:
        raise ValueError("Logits cannot be scalars - received shape ().")
    precise = _move_axis_last(precise, axis)
    labels = _move_axis_last(labels, axis)
    if precise.shape.rank == 2 and labels.shape.rank == 2:
        loss, _ = SoftmaxCrossEntropyWithLogits(precise, labels)  # the common case: no reshapes
    else:
        out_shape = _outer_shape(precise)
        loss, _ = SoftmaxCrossEntropyWithLogits(_flatten_outer(precise), _flatten_outer(labels))
        loss = array_ops.reshape(loss, out_shape)
    if dtype is dtypes.float16:
        loss = math_ops.cast(loss, dtype)
    return array_ops.identity(loss, name=name) if name else loss


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Cross entropy between the softmax of `logits` and integer class `labels`.

    Args:
      labels: An int32 or int64 `Tensor` of shape `logits.shape[:-1]`, each in `[0, classes)`.
      logits: A floating `Tensor` of shape `[..., classes]`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of `labels`' shape and `logits`' dtype.

    Raises:
      ValueError: if the shapes or ranks do not fit.
      InvalidArgumentError: if a label is out of range (checked when the op runs).
    """
    labels = as_tensor(labels)
    logits = as_tensor(logits)
    dtype = logits.dtype
    precise = math_ops.cast(logits, dtypes.float32) if dtype is dtypes.float16 else logits
    ls, gs = labels.shape, precise.shape
    if gs.rank == 0:
        raise ValueError(f"Logits cannot be scalars - received shape {gs}.")
    if ls.rank is not None and gs.rank is not None:
        if ls.rank != gs.rank - 1:
            raise ValueError(
                f"Rank mismatch: Rank of labels (received {ls.rank}) should equal rank of logits "
                f"minus 1 (received {gs.rank})."
            )
        if not ls.is_compatible_with(gs[:-1]):
            raise ValueError(
                "`labels.shape` must equal `logits.shape` except for the last dimension. "
                f"Received: labels.shape={ls} and logits.shape={gs}"
            )
    if gs.rank == 2:
        loss, _ = SparseSoftmaxCrossEntropyWithLogits(precise, labels)
    else:
        out_shape = _outer_shape(precise)
        loss, _ = SparseSoftmaxCrossEntropyWithLogits(
            _flatten_outer(precise), array_ops.reshape(labels, [-1])
        )
        loss = array_ops.reshape(loss, out_shape)
    if dtype is dtypes.float16:
        loss = math_ops.cast(loss, dtype)
    return array_ops.identity(loss, name=name) if name else loss


def _same_shape(labels, logits, what="`logits` and `labels`"):
    if not logits.shape.is_compatible_with(labels.shape):
        raise ValueError(
            f"{what} must have the same shape, received ({logits.shape} vs {labels.shape})."
        )


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Element-wise logistic loss `-z*log(sigmoid(x)) - (1-z)*log(1-sigmoid(x))`, computed stably.

    Uses `max(x, 0) - x * z + log(1 + exp(-|x|))`.

    Args:
      labels: A `Tensor` of `logits`' shape and dtype, values in [0, 1].
      logits: A floating `Tensor`.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of `logits`' shape and dtype.

    Raises:
      ValueError: if the shapes differ.
    """
    logits = as_tensor(logits)
    labels = as_tensor(labels)
    _same_shape(labels, logits)
    zeros = array_ops.zeros_like(logits)
    relu_x = array_ops.where(math_ops.greater_equal(logits, zeros), logits, zeros)
    tail = unary_ops.log1p(unary_ops.exp(math_ops.negative(unary_ops.abs(logits))))
    out = relu_x - logits * labels + tail
    return array_ops.identity(out, name=name) if name else out


def weighted_cross_entropy_with_logits(labels, logits, pos_weight, name=None):
    """Like `sigmoid_cross_entropy_with_logits`, with the positive term weighted by `pos_weight`.

    Computes `(1 - z) * x + (1 + (q - 1) * z) * (log(1 + exp(-|x|)) + max(-x, 0))`.

    Args:
      labels: A `Tensor` of `logits`' shape and dtype.
      logits: A floating `Tensor`.
      pos_weight: The weight of positive examples (scalar or broadcastable).
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of `logits`' shape and dtype.

    Raises:
      ValueError: if the shapes differ.
    """
    logits = as_tensor(logits)
    labels = as_tensor(labels, dtype_hint=logits.dtype)
    _same_shape(labels, logits)
    q = as_tensor(pos_weight, dtype_hint=logits.dtype)
    log_weight = 1 + (q - 1) * labels
    tail = unary_ops.log1p(unary_ops.exp(math_ops.negative(unary_ops.abs(logits))))
    out = (1 - labels) * logits + log_weight * (tail + nn_ops.relu(math_ops.negative(logits)))
    return array_ops.identity(out, name=name) if name else out


def log_poisson_loss(targets, log_input, compute_full_loss=False, name=None):
    """Negative log-likelihood of `targets` under a Poisson with log-rate `log_input`.

    Computes `exp(log_input) - log_input * targets`; with `compute_full_loss` the Stirling
    approximation of `log(targets!)` is added where `targets > 1`.

    Args:
      targets: A `Tensor` of `log_input`'s shape and dtype.
      log_input: A floating `Tensor`.
      compute_full_loss: Whether to add the Stirling term.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of `log_input`'s shape and dtype.

    Raises:
      ValueError: if the shapes differ.
    """
    log_input = as_tensor(log_input)
    targets = as_tensor(targets, dtype_hint=log_input.dtype)
    if not log_input.shape.is_compatible_with(targets.shape):
        raise ValueError(
            "`log_input` and `targets` must have the same shape, received "
            f"({log_input.shape} vs {targets.shape})."
        )
    result = unary_ops.exp(log_input) - log_input * targets
    if compute_full_loss:
        zeros = array_ops.zeros_like(targets)
        ones = array_ops.ones_like(targets)
        small = math_ops.logical_and(
            math_ops.greater_equal(targets, zeros), math_ops.less_equal(targets, ones)
        )
        safe = array_ops.where(small, ones, targets)  # keeps log() finite where unused
        stirling = safe * unary_ops.log(safe) - safe + 0.5 * unary_ops.log((2 * math.pi) * safe)
        result = result + array_ops.where(small, zeros, stirling)
    return array_ops.identity(result, name=name) if name else result


# ------------------------------------------------------------------ distributed-loss helpers


def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """Sums the per-example losses and divides by the global batch size.

    Without a distribution strategy the global batch size defaults to the leading dimension of
    `per_example_loss`; a zero batch size gives 0 (floating losses).

    Args:
      per_example_loss: A `Tensor` of rank >= 1, one loss per example.
      sample_weight: Optional weights, broadcastable to `per_example_loss`.
      global_batch_size: Optional Python int or scalar tensor.

    Returns:
      A scalar: the average loss (integer losses give float64, as true division does).

    Raises:
      ValueError: if `per_example_loss` is a scalar.
    """
    loss = as_tensor(per_example_loss)
    if loss.shape.rank == 0:
        raise ValueError(
            "Invalid value passed for `per_example_loss`. Expected a tensor with at least rank 1. "
            f"Received per_example_loss={loss.numpy() if hasattr(loss, 'numpy') else loss} "
            "with rank 0"
        )
    dtype = loss.dtype
    if sample_weight is not None:
        w = as_tensor(sample_weight, dtype_hint=dtype)
        if w.dtype is not dtype:
            w = math_ops.cast(w, dtype)
        loss = loss * w
    if global_batch_size is None:
        n = loss.shape[0] if loss.shape.rank is not None else None
        global_batch_size = n if n is not None else array_ops.shape(loss)[0]
    total = reduction_ops.reduce_sum(loss)
    if dtype.is_integer:
        return math_ops.truediv(total, math_ops.cast(as_tensor(global_batch_size), dtype))
    return binary_math_ops.divide_no_nan(total, math_ops.cast(as_tensor(global_batch_size), dtype))


def scale_regularization_loss(regularization_loss):
    """Sums a regularization loss (a tensor or a list of them) and divides by the replica count.

    Args:
      regularization_loss: A tensor, or a list of tensors to add.

    Returns:
      A scalar `Tensor`.
    """
    if isinstance(regularization_loss, (list, tuple)):
        regularization_loss = math_ops.add_n(list(regularization_loss))
    return reduction_ops.reduce_sum(regularization_loss)


# ------------------------------------------------------------------ embedding_lookup


def _shard_ids(ids, params, strategy):
    """(shard of each id, row within its shard) for ids spread over `params` by `strategy`."""
    n = len(params)
    if strategy == "mod":
        return ids % n, ids // n
    sizes = [p.shape[0] for p in params]
    if all(s is not None for s in sizes):
        total = sum(sizes)
    else:
        total = math_ops.add_n([math_ops.cast(array_ops.shape(p)[0], ids.dtype) for p in params])
    total = math_ops.cast(as_tensor(total), ids.dtype)
    per = total // n
    extras = total % n
    shard = math_ops.maximum(ids // (per + 1), (ids - extras) // math_ops.maximum(per, 1))
    row = array_ops.where(
        math_ops.less(shard, extras), ids % (per + 1), (ids - extras) % math_ops.maximum(per, 1)
    )
    return shard, row


def _lookup(params, ids, partition_strategy="mod", max_norm=None, name=None):
    if isinstance(params, (list, tuple)):
        params = list(params)
    else:
        params = [params]
    if not params:
        raise ValueError("Length of params is currently 0. Need at least one param.")
    if partition_strategy not in ("mod", "div"):
        raise ValueError(
            f"Unrecognized partition strategy: {partition_strategy}."
            "Must be one of either `mod` or `div`."
        )
    params = [p if hasattr(p, "_is_variable") else as_tensor(p) for p in params]
    ids = as_tensor(ids)
    if len(params) == 1:
        out = gather_ops.gather(params[0], ids)
    else:
        flat = array_ops.reshape(ids, [-1])
        shard, row = _shard_ids(flat, params, partition_strategy)
        pieces, positions = [], []
        for p_idx, p in enumerate(params):
            mask = math_ops.equal(shard, math_ops.cast(as_tensor(p_idx), shard.dtype))
            pieces.append(gather_ops.gather(p, gather_ops.boolean_mask(row, mask)))
            positions.append(gather_ops.boolean_mask(_iota_like(flat), mask))
        # Stitch the per-shard rows back into id order.
        order = manip_ops.concat(positions, 0)
        inverse = _invert(order)
        out = gather_ops.gather(manip_ops.concat(pieces, 0), inverse)
        tail = _tail_shape(params[0])
        out = array_ops.reshape(out, _concat_shape(array_ops.shape(ids), tail))
    if max_norm is not None:
        rank_ids = ids.shape.rank
        rank_out = out.shape.rank
        if rank_ids is None or rank_out is None:
            raise NotImplementedError("embedding_lookup with max_norm needs known ranks")
        axes = list(range(rank_ids, rank_out))
        out = clip_ops.clip_by_norm(out, max_norm, axes=axes)
    return array_ops.identity(out, name=name) if name else out


def _iota_like(flat):
    from tensorflux._src.ops import creation_ops

    return creation_ops.range(array_ops.shape(flat, out_type=flat.dtype)[0])


def _invert(order):
    """The inverse of a permutation given as a 1-D int tensor."""
    return array_ops.invert_permutation(order)


def _tail_shape(p):
    s = p.shape
    if s.rank is not None and s[1:].is_fully_defined():
        return s.as_list()[1:]
    return array_ops.shape(p)[1:]


def _concat_shape(head, tail):
    if isinstance(tail, list):
        tail = as_tensor(np.asarray(tail, np.int32))
    return manip_ops.concat([head, math_ops.cast(tail, head.dtype)], 0)


def embedding_lookup(params, ids, max_norm=None, name=None):
    """Looks up rows `ids` of the embedding table `params`.

    `params` may be one tensor (or variable) or a list of shards of one table, which are split
    in "div" order (contiguous blocks of ids, the first shards one row larger when the count
    does not divide). The gradient with respect to a table is a `tf.IndexedSlices`.

    Args:
      params: A tensor or variable of shape `[vocab, ...]`, or a list of shards of one table.
      ids: An int32 or int64 tensor of ids in `[0, vocab)`.
      max_norm: If given, each looked-up embedding with a larger L2 norm is rescaled to it.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` of shape `ids.shape + params.shape[1:]`.

    Raises:
      ValueError: if `params` is empty.
      InvalidArgumentError: if an id is out of range.
    """
    return _lookup(params, ids, "div", max_norm, name)


def embedding_lookup_v1(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                        max_norm=None):  # fmt: skip
    """`tf.compat.v1.nn.embedding_lookup`: sharded tables split by `partition_strategy`.

    Args:
      params: A tensor or variable, or a list of shards of one table.
      ids: An int32 or int64 tensor of ids.
      partition_strategy: "mod" (id `i` lives in shard `i % n`) or "div" (contiguous blocks).
      name: A name for the operation (optional).
      validate_indices: Unused (kept for compatibility).
      max_norm: If given, embeddings with a larger L2 norm are rescaled to it.

    Returns:
      A `Tensor` of shape `ids.shape + params.shape[1:]`.
    """
    del validate_indices
    return _lookup(params, ids, partition_strategy, max_norm, name)
