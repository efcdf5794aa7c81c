"""Ragged-returning string ops: `split` (StringSplitV2), `bytes_split` and `ngrams`
(StringNGrams). Results are RaggedTensors (dense for scalar or dense inputs where TF does so)."""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import dtypes
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.ops.string_ops import as_bytes, expect, host, strings
from tensorflux._src.ops.unicode_ops import _ragged_class, apply_ragged
from tensorflux._src.ops import array_ops
from tensorflux._src.tensor import Tensor, convert_to_tensor


def _split_dtype(dts, attrs):
    expect(dts[0], dtypes.string)
    return [dtypes.int64, dtypes.string, dtypes.int64]


StringSplitV2 = defop(
    "StringSplitV2",
    infer=Rule(_split_dtype, lambda i, a: [TensorShape([None, 2]), TensorShape([None]),
                                           TensorShape([2])]),
    num_outputs=3,
)  # fmt: skip


@StringSplitV2.kernel
def _(xp, x, sep, maxsplit=-1):
    x = host(x).reshape(-1)
    sep = as_bytes(np.asarray(host(sep)).reshape(()).item())
    idx, vals, width = [], [], 0
    for r, s in enumerate(x):
        # An empty separator splits on runs of whitespace and drops empty pieces.
        parts = as_bytes(s).split(sep or None, maxsplit)
        idx += [(r, j) for j in range(len(parts))]
        vals += parts
        width = max(width, len(parts))
    indices = np.array(idx, dtype=np.int64).reshape(-1, 2)
    values = np.empty(len(vals), dtype=object)
    values[:] = vals
    return [indices, values, np.array([x.size, width], dtype=np.int64)]


def _split_flat(x, sep, maxsplit):
    RaggedTensor = _ragged_class()
    indices, values, shape = StringSplitV2(x, sep, maxsplit=maxsplit)
    return RaggedTensor.from_value_rowids(values, indices[:, 0], nrows=shape[0], validate=False)


def split(input, sep=None, maxsplit=-1, name=None):
    """Splits each string at `sep` (runs of whitespace when None) into a RaggedTensor.

    At most `maxsplit` splits per string (-1: no limit). A scalar input gives a dense vector.
    """
    s = convert_to_tensor(b"" if sep is None else sep, dtype=dtypes.string)
    return apply_ragged(input, lambda x: _split_flat(x, s, int(maxsplit)))


# ------------------------------------------------------------------ bytes_split


def _bytes_flat(x):
    # Each byte is a one-byte substring: positions 0..len-1 of every string, row by row.
    from tensorflux._src.ops import creation_ops, cumulative_ops, gather_ops, manip_ops, math_ops
    from tensorflux._src.ops.segment_ops import unsorted_segment_sum
    from tensorflux._src.ops.string_ops import StringLength, Substr

    RaggedTensor = _ragged_class()
    lengths = math_ops.cast(StringLength(x, unit="BYTE"), dtypes.int64)
    ends = cumulative_ops.cumsum(lengths)
    splits = manip_ops.concat([array_ops.zeros([1], dtypes.int64), ends], 0)
    n = splits[-1]
    index = creation_ops.range(0, n, dtype=dtypes.int64)
    # The row of byte j is the number of strings ending at or before j.
    ended = unsorted_segment_sum(array_ops.ones_like(ends), ends, n + 1)
    rows = cumulative_ops.cumsum(ended)[:-1]
    pos = index - gather_ops.gather(splits, rows)
    chars = Substr(gather_ops.gather(x, rows), pos, array_ops.ones_like(pos), unit="BYTE")
    return RaggedTensor.from_row_splits(chars, splits, validate=False)


def bytes_split(input, name=None):
    """Splits each string into its bytes (one-byte strings): a RaggedTensor (dense for a scalar)."""
    return apply_ragged(input, _bytes_flat)


# ------------------------------------------------------------------ ngrams


def _ngrams_dtype(dts, attrs):
    expect(dts[0], dtypes.string)
    return [dtypes.string, dts[1]]


StringNGrams = defop(
    "StringNGrams",
    infer=Rule(_ngrams_dtype, lambda i, a: [TensorShape([None]), i[1].shape]),
    num_outputs=2,
)  # fmt: skip
not_differentiable(StringSplitV2, StringNGrams)


@StringNGrams.kernel
def _(xp, data, splits, separator, ngram_widths, left_pad, right_pad, pad_width,
      preserve_short_sequences, Tsplits=dtypes.int64):  # fmt: skip
    data, splits = host(data), host(splits)
    sep, lp, rp = as_bytes(separator), as_bytes(left_pad), as_bytes(right_pad)
    out, out_splits = [], [0]
    for r in range(len(splits) - 1):
        row = [as_bytes(v) for v in data[splits[r] : splits[r + 1]]]
        for w in ngram_widths:
            pad = max(0, min(pad_width if pad_width >= 0 else w - 1, w - 1))
            seq = [lp] * pad + row + [rp] * pad
            count = len(seq) - w + 1
            if count > 0:
                out += [sep.join(seq[j : j + w]) for j in range(count)]
            elif preserve_short_sequences and row:
                out.append(sep.join(seq))
        out_splits.append(len(out))
    values = np.empty(len(out), dtype=object)
    values[:] = out
    return [values, np.array(out_splits, dtype=splits.dtype)]


def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None,
           preserve_short_sequences=False, name=None):  # fmt: skip
    """The n-grams of the innermost dimension of `data`, joined with `separator`.

    `ngram_width` is an int or a list of them; `pad_values` (a string or a (left, right) pair)
    pads each sequence by `padding_width` (default `width - 1`) on both sides. Dense input gives
    a dense result, ragged input a ragged one.
    """
    widths = [int(ngram_width)] if np.ndim(ngram_width) == 0 else [int(w) for w in ngram_width]
    for w in widths:
        if w < 1:
            raise ValueError(f"All ngram_widths must be greater than 0. Got {w}")
    if pad_values is None:
        left = right = b""
        pad = 0
    else:
        if isinstance(pad_values, (tuple, list)):
            if len(pad_values) != 2:
                raise ValueError("pad_values must be a string, tuple or list.")
            left, right = pad_values
        else:
            left = right = pad_values
        pad = -1 if padding_width is None else int(padding_width)
        if padding_width is not None and pad < 1:
            raise ValueError("padding_width must be greater than 0.")
    attrs = dict(separator=separator, ngram_widths=widths, left_pad=as_bytes(left),
                 right_pad=as_bytes(right), pad_width=pad,
                 preserve_short_sequences=bool(preserve_short_sequences))  # fmt: skip
    RaggedTensor = _ragged_class()

    def on_ragged(rt):
        if rt.ragged_rank > 1:
            return rt.with_values(on_ragged(rt.values))
        if rt.values.shape.rank != 1:
            raise ValueError("ngrams: the innermost dimension of data must be ragged")
        vals, sp = StringNGrams(rt.values, rt.row_splits, **attrs)
        return RaggedTensor.from_row_splits(vals, sp, validate=False)

    if isinstance(data, RaggedTensor):
        return on_ragged(data)
    x = strings(data, "data") if not isinstance(data, Tensor) else data
    rank = x.shape.rank
    if rank == 0:
        raise ValueError("Data must have rank>0")
    # Dense rows all have the same length, so their n-grams reshape back to a dense tensor.
    rows, splits, outer = dense_rows(x)
    vals, _ = StringNGrams(rows, splits, **attrs)
    return array_ops.reshape(vals, manip_concat(outer, [-1]))


def manip_concat(outer, tail):
    from tensorflux._src.ops import manip_ops

    return manip_ops.concat([outer, convert_to_tensor(tail, dtype=outer.dtype)], 0)


def dense_rows(x):
    """A dense tensor's innermost rows as flat values, their int64 row_splits, and the outer
    shape (an int64 tensor)."""
    from tensorflux._src.ops import creation_ops, reduction_ops

    shape = array_ops.shape(x, out_type=dtypes.int64)
    width = shape[-1]
    flat = array_ops.reshape(x, [-1])
    nrows = reduction_ops.reduce_prod(shape[:-1])
    splits = creation_ops.range(0, nrows + 1, dtype=dtypes.int64) * width
    return flat, splits, shape[:-1]
