"""Connectionist temporal classification: the CTCLoss op, `tf.nn.ctc_loss` and the decoders.

CTCLoss is one fused op, as in TensorFlow: its kernel runs the forward-backward recursion in log
space and returns the per-sequence loss together with its gradient with respect to the logits.
Labels reach it in TensorFlow's sparse form (indices, values); `ctc_loss` builds that from
dense labels and lengths. The decoders return `tf.SparseTensor`s in TensorFlow, which tensorflux
does not have yet: `CTCGreedyDecoder` is available as an op; the public decoders raise.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.errors import InvalidArgumentError
from tensorflux._src.core.infer import check_allowed
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops import (
    array_ops,
    creation_ops,
    cumulative_ops,
    gather_ops,
    manip_ops,
    math_ops,
    reduction_ops,
)
from tensorflux._src.ops._util import as_tensor

_CTC_T = (dtypes.float32, dtypes.float64)
_NEG_INF = -np.inf


def _err(msg):
    return InvalidArgumentError(None, None, msg)


def _host(a):
    return a.get() if hasattr(a, "get") and not isinstance(a, np.ndarray) else np.asarray(a)


# ------------------------------------------------------------------ CTCLoss


def _ctc_dtype(in_dtypes, attrs):
    t = in_dtypes[0]
    check_allowed(t, _CTC_T)
    check_allowed(in_dtypes[1], (dtypes.int64,), "labels_indices")
    check_allowed(in_dtypes[2], (dtypes.int32,), "labels_values")
    check_allowed(in_dtypes[3], (dtypes.int32,), "sequence_length")
    return [t, t]


def _ctc_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank != 3:
        raise _err("inputs is not a 3-Tensor")
    sl = inputs[3].shape
    if sl.rank is not None and sl.rank != 1:
        raise _err("sequence_length is not a vector")
    li = inputs[1].shape
    if li.rank is not None and li.rank != 2:
        raise _err("labels_indices is not a matrix")
    batch = s[1] if s.rank is not None else None
    return [TensorShape([batch]), s]


CTCLoss = defop("CTCLoss", infer=Rule(_ctc_dtype, _ctc_shape), num_outputs=2)


def _log_softmax(x):
    s = x - x.max(axis=-1, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=-1, keepdims=True))


def _lse3(a, b, c):
    """log(exp(a) + exp(b) + exp(c)) element-wise, with -inf handled."""
    m = np.maximum(np.maximum(a, b), c)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(invalid="ignore"):
        total = np.exp(a - safe) + np.exp(b - safe) + np.exp(c - safe)
    with np.errstate(divide="ignore"):
        return np.where(np.isfinite(m), safe + np.log(total), m)


def _collapse(labels):
    out = []
    for v in labels:
        if not out or out[-1] != v:
            out.append(v)
    return out


def ctc_sequence(lp, labels, blank, merge_repeated):
    """(loss, d loss / d log_probs) for one sequence: `lp` is [time, classes] log-probabilities."""
    t_len, n_cls = lp.shape
    ext = np.full(2 * len(labels) + 1, blank, dtype=np.int64)
    ext[1::2] = labels
    s_len = ext.size
    # Skipping a blank (s-2 -> s) is allowed between different labels (or any labels when
    # repeats are not merged).
    skip = np.zeros(s_len, bool)
    if s_len > 2:
        skip[2:] = (ext[2:] != blank) & ((ext[2:] != ext[:-2]) | (not merge_repeated))
    # Without merging, a label held for two frames reads as two labels: no self-loops on them.
    stay = np.ones(s_len, bool) if merge_repeated else ext == blank
    emit = lp[:, ext]  # [time, S]
    alpha = np.full((t_len, s_len), _NEG_INF)
    if t_len == 0:
        return (0.0 if s_len == 1 else np.inf), np.zeros_like(lp)
    alpha[0, 0] = emit[0, 0]
    if s_len > 1:
        alpha[0, 1] = emit[0, 1]
    ninf = np.full(s_len, _NEG_INF)
    for t in range(1, t_len):
        prev = alpha[t - 1]
        one = np.concatenate([[_NEG_INF], prev[:-1]])
        two = np.where(skip, np.concatenate([[_NEG_INF, _NEG_INF], prev[:-2]]), ninf)
        alpha[t] = _lse3(np.where(stay, prev, ninf), one, two) + emit[t]
    beta = np.full((t_len, s_len), _NEG_INF)  # log prob of the frames after t, given state s
    beta[-1, -1] = 0.0
    if s_len > 1:
        beta[-1, -2] = 0.0
    skip_next = np.concatenate([skip[2:], [False, False]])
    for t in range(t_len - 2, -1, -1):
        nxt = beta[t + 1] + emit[t + 1]
        one = np.concatenate([nxt[1:], [_NEG_INF]])
        two = np.where(skip_next, np.concatenate([nxt[2:], [_NEG_INF, _NEG_INF]]), ninf)
        beta[t] = _lse3(np.where(stay, nxt, ninf), one, two)
    ends = alpha[-1, -2:] if s_len > 1 else alpha[-1, -1:]
    log_lik = np.logaddexp.reduce(ends)
    if not np.isfinite(log_lik):
        return np.inf, np.zeros_like(lp)
    gamma = np.exp(alpha + beta - log_lik)  # state occupancies, [time, S]
    occ = np.zeros_like(lp)
    for s in range(s_len):
        occ[:, ext[s]] += gamma[:, s]
    return -log_lik, -occ


def _valid_labels(labels, b, blank, n_cls):
    """TensorFlow's label rules: non-negative; labels >= blank (null) end the sequence."""
    text = ",".join(map(str, labels))
    if any(v < 0 for v in labels):
        raise _err(f"All labels must be nonnegative integers, batch: {b} labels: {text}")
    for i, v in enumerate(labels):
        if v >= blank:
            if any(w < blank for w in labels[i:]):
                seen = ",".join(map(str, labels[:i]))
                raise _err(
                    "Saw a non-null label (index >= num_classes - 1) following a null label, "
                    f"batch: {b} num_classes: {n_cls} labels: {text} labels seen so far: {seen}"
                )
            return labels[:i]
    return labels


@CTCLoss.kernel
def _(xp, inputs, labels_indices, labels_values, sequence_length,
      preprocess_collapse_repeated=False, ctc_merge_repeated=True,
      ignore_longer_outputs_than_inputs=False):  # fmt: skip
    if inputs.ndim != 3 or sequence_length.ndim != 1 or labels_indices.ndim != 2:
        raise ValueError("shapes")
    x = _host(inputs)
    idx, vals, seq = _host(labels_indices), _host(labels_values), _host(sequence_length)
    t_max, batch, n_cls = x.shape
    if seq.shape[0] != batch:
        raise _err(
            f"len(sequence_length) != batch_size.  len(sequence_length):  {seq.shape[0]} "
            f"batch_size: {batch}"
        )
    blank = n_cls - 1
    lp = _log_softmax(x.astype(np.float64))
    loss = np.zeros(batch)
    grad = np.zeros_like(lp)
    for b in range(batch):
        if not 0 <= seq[b] <= t_max:
            raise _err(f"sequence_length({b}) <= {t_max}")
        labels = [int(v) for v in vals[idx[:, 0] == b]] if idx.size else []
        labels = _valid_labels(labels, b, blank, n_cls)
        if preprocess_collapse_repeated:
            labels = _collapse(labels)
        t_len = int(seq[b])
        required = len(labels) + sum(
            1 for i in range(1, len(labels)) if labels[i] == labels[i - 1] and ctc_merge_repeated
        )
        if required > t_len:
            if ignore_longer_outputs_than_inputs:
                continue
            raise _err(
                f"Not enough time for target transition sequence (required: {required}, "
                f"available: {t_len}){b}You can turn this error into a warning by using the flag "
                "ignore_longer_outputs_than_inputs"
            )
        seq_lp = lp[:t_len, b]
        loss[b], g = ctc_sequence(seq_lp, np.asarray(labels, np.int64), blank, ctc_merge_repeated)
        # d loss / d logits = softmax - occupancy (the log-softmax Jacobian applied to g).
        grad[:t_len, b] = np.exp(seq_lp) * (-g.sum(axis=-1, keepdims=True)) + g
    out = [loss.astype(inputs.dtype), grad.astype(inputs.dtype)]
    return [xp.asarray(o) for o in out]


@CTCLoss.gradient
def _(op, dloss, dgrad):
    # Like TensorFlow, the loss's gradient is the precomputed second output; it is not
    # differentiable again.
    return [array_ops.expand_dims(dloss, -1) * op.outputs[1], None, None, None]


def _dense_to_sparse(labels, label_length):
    """(indices int64 [n, 2], values int32 [n]) of the first `label_length[b]` labels per row."""
    maxlen = array_ops.shape(labels)[1]
    mask = creation_ops.sequence_mask(label_length, maxlen)
    indices = array_ops.where(mask)
    values = gather_ops.gather_nd(labels, indices)
    return math_ops.cast(indices, dtypes.int64), math_ops.cast(values, dtypes.int32)


def _required_frames(labels, label_length):
    """Frames a dense label row needs: its length plus one blank between equal neighbours."""
    maxlen = array_ops.shape(labels)[1]
    mask = creation_ops.sequence_mask(label_length, maxlen)
    same = math_ops.logical_and(math_ops.equal(labels[:, 1:], labels[:, :-1]), mask[:, 1:])
    repeats = reduction_ops.reduce_sum(math_ops.cast(same, dtypes.int32), axis=1)
    return math_ops.cast(label_length, dtypes.int32) + repeats


def _blank_last(logits, labels_values, blank_index, num_classes):
    """Moves class `blank_index` to the end (where CTCLoss expects the blank)."""
    b = blank_index
    if num_classes is None or b != num_classes - 1:
        logits = manip_ops.concat(
            [logits[:, :, :b], logits[:, :, b + 1 :], logits[:, :, b : b + 1]], axis=2
        )
    shifted = array_ops.where(math_ops.less(labels_values, b), labels_values, labels_values - 1)
    return logits, shifted


def ctc_loss(labels, logits, label_length, logit_length, logits_time_major=True, unique=None,
             blank_index=None, name=None):  # fmt: skip
    """Computes the CTC (connectionist temporal classification) loss per sequence.

    Args:
      labels: An int32/int64 `Tensor` `[batch, max_label_length]` of dense labels.
      logits: A float32/float64 `Tensor` of unnormalized class scores, `[frames, batch,
        num_labels]` (or `[batch, frames, num_labels]` with `logits_time_major=False`).
      label_length: An int `Tensor` `[batch]`: the length of each label sequence.
      logit_length: An int `Tensor` `[batch]`: the number of valid frames per sequence.
      logits_time_major: Whether `logits` is time-major.
      unique: Unused (an optional speed-up in TensorFlow; results are identical).
      blank_index: The class used as blank; default 0 for dense labels.
      name: A name for the operation (optional).

    Returns:
      A `Tensor` `[batch]` of negative log-likelihoods.

    Raises:
      InvalidArgumentError: if a label sequence cannot fit in its frames or a label is out of
        range.
    """
    del unique
    if getattr(labels, "_is_sparse_tensor", False):
        raise NotImplementedError("ctc_loss with SparseTensor labels (no tf.SparseTensor yet)")
    if label_length is None:
        raise ValueError("label_length must be provided for dense labels.")
    logits = as_tensor(logits)
    labels = as_tensor(labels)
    if not logits_time_major:
        logits = array_ops.transpose(logits, [1, 0, 2])
    if blank_index is None:
        blank_index = 0
    num_classes = logits.shape[2] if logits.shape.rank is not None else None
    if blank_index < 0:
        if num_classes is None:
            raise NotImplementedError("a negative blank_index needs a known number of classes")
        blank_index += num_classes
    indices, values = _dense_to_sparse(labels, as_tensor(label_length))
    logits, values = _blank_last(logits, values, blank_index, num_classes)
    logit_length = math_ops.cast(as_tensor(logit_length), dtypes.int32)
    loss, _ = CTCLoss(
        logits, indices, values, logit_length,
        preprocess_collapse_repeated=False, ctc_merge_repeated=True,
        ignore_longer_outputs_than_inputs=True,
    )  # fmt: skip
    # A label sequence that cannot fit in its frames has probability 0: infinite loss (the op
    # itself reports 0 for them when told to ignore them).
    need = _required_frames(labels, as_tensor(label_length))
    too_long = math_ops.greater(need, logit_length)
    inf = array_ops.fill(array_ops.shape(loss), as_tensor(np.inf, dtype=loss.dtype))
    loss = array_ops.where(too_long, inf, loss)
    return array_ops.identity(loss, name=name) if name else loss


# ------------------------------------------------------------------ greedy decoder


def _greedy_dtype(in_dtypes, attrs):
    t = in_dtypes[0]
    check_allowed(t, _CTC_T)
    check_allowed(in_dtypes[1], (dtypes.int32,), "sequence_length")
    return [dtypes.int64, dtypes.int64, dtypes.int64, t]


def _greedy_shape(inputs, attrs):
    s = inputs[0].shape
    if s.rank is not None and s.rank != 3:
        raise _err("inputs is not a 3-Tensor")
    batch = s[1] if s.rank is not None else None
    return [TensorShape([None, 2]), TensorShape([None]), TensorShape([2]),
            TensorShape([batch, 1])]  # fmt: skip


CTCGreedyDecoder = defop(
    "CTCGreedyDecoder", infer=Rule(_greedy_dtype, _greedy_shape), num_outputs=4
)


@CTCGreedyDecoder.kernel
def _(xp, inputs, sequence_length, merge_repeated=False, blank_index=-1):
    if inputs.ndim != 3:
        raise ValueError("rank")
    x, seq = _host(inputs), _host(sequence_length)
    t_max, batch, n_cls = x.shape
    blank = blank_index % n_cls if n_cls else 0
    indices, values, logp = [], [], np.zeros((batch, 1), x.dtype)
    longest = 0
    for b in range(batch):
        t_len = int(seq[b])
        if not 0 <= t_len <= t_max:
            raise _err(f"sequence_length({b}) <= {t_max}")
        best = x[:t_len, b].argmax(axis=-1)
        logp[b, 0] = -x[:t_len, b].max(axis=-1).sum()
        out, prev = [], None
        for c in best:
            if c != blank and not (merge_repeated and c == prev):
                out.append(int(c))
            prev = c
        indices += [(b, i) for i in range(len(out))]
        values += out
        longest = max(longest, len(out))
    res = [
        np.asarray(indices, np.int64).reshape(-1, 2),
        np.asarray(values, np.int64),
        np.asarray([batch, longest], np.int64),
        logp,
    ]
    return [xp.asarray(r) for r in res]


not_differentiable(CTCGreedyDecoder)


def ctc_greedy_decoder(inputs, sequence_length, merge_repeated=True, blank_index=None):
    """Greedy (best-path) CTC decoding. Needs `tf.SparseTensor`, which tensorflux lacks yet.

    The decoding itself is available as the `CTCGreedyDecoder` op (indices, values, dense
    shape, negative sum of the best logits).

    Raises:
      NotImplementedError: always, until tf.SparseTensor exists.
    """
    raise NotImplementedError(
        "tf.nn.ctc_greedy_decoder returns a tf.SparseTensor, which tensorflux does not have yet"
    )


def ctc_beam_search_decoder(inputs, sequence_length, beam_width=100, top_paths=1):
    """Beam-search CTC decoding. Needs `tf.SparseTensor`, which tensorflux lacks yet.

    Raises:
      NotImplementedError: always, until tf.SparseTensor exists.
    """
    raise NotImplementedError(
        "tf.nn.ctc_beam_search_decoder returns tf.SparseTensors, which tensorflux does not have"
    )


def collapse_repeated(labels, seq_length, name=None):
    """Merges runs of equal labels into one label per run, row by row.

    Args:
      labels: An integer `Tensor` `[batch, max_len]`.
      seq_length: An integer `Tensor` `[batch]`: the valid length of each row.
      name: A name for the operation (optional).

    Returns:
      `(collapsed_labels, new_seq_length)`: the collapsed rows left-aligned and zero-padded to
      the longest new length, and the new lengths (of `seq_length`'s dtype).
    """
    del name
    labels = as_tensor(labels)
    seq_length = as_tensor(seq_length)
    first = array_ops.ones_like(labels[:, :1], dtype=dtypes.bool)
    changed = manip_ops.concat([first, math_ops.not_equal(labels[:, 1:], labels[:, :-1])], 1)
    keep = math_ops.logical_and(
        changed, creation_ops.sequence_mask(seq_length, array_ops.shape(labels)[1])
    )
    keep_i = math_ops.cast(keep, dtypes.int32)
    new_len = reduction_ops.reduce_sum(keep_i, axis=1)
    width = reduction_ops.reduce_max(new_len)
    # Each kept label moves to column (number of kept labels before it in its row).
    column = cumulative_ops.cumsum(keep_i, axis=1) - 1
    coords = array_ops.where(keep)
    rows = coords[:, 0]
    cols = math_ops.cast(gather_ops.gather_nd(column, coords), dtypes.int64)
    shape = array_ops.stack(
        [math_ops.cast(array_ops.shape(labels)[0], dtypes.int64),
         math_ops.cast(width, dtypes.int64)]
    )  # fmt: skip
    out = gather_ops.scatter_nd(
        array_ops.stack([rows, cols], axis=1), gather_ops.gather_nd(labels, coords), shape
    )
    return out, math_ops.cast(new_len, seq_length.dtype)
