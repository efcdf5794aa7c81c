"""`keras.utils.pad_sequences`."""

from __future__ import annotations

import numpy as np


def pad_sequences(sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre",
                  value=0.0):  # fmt: skip
    """Pads (and truncates) sequences to one length, giving a 2-D (or more) array.

    Args:
      sequences: a list of sequences (lists or arrays).
      maxlen: the output length (default: the longest sequence).
      dtype: the output dtype (use `object` for variable-length strings).
      padding: "pre" or "post": where to add `value`.
      truncating: "pre" or "post": which end to drop from sequences longer than `maxlen`.
      value: the padding value.

    Returns:
      A NumPy array of shape `(len(sequences), maxlen) + sample_shape`.

    Raises:
      ValueError: on an unknown `padding`/`truncating`, an incompatible `value`, or samples of
        different shapes.
    """
    if not hasattr(sequences, "__len__"):
        raise ValueError("`sequences` must be iterable.")
    n = len(sequences)
    lengths = []
    sample_shape = ()
    found = False
    for seq in sequences:
        try:
            lengths.append(len(seq))
        except TypeError as e:
            raise ValueError(
                f"`sequences` must be a list of iterables. Found non-iterable: {seq}"
            ) from e
        if not found and len(seq):
            sample_shape = np.asarray(seq).shape[1:]
            found = True
    if maxlen is None:
        maxlen = int(np.max(lengths)) if lengths else 0
    is_str = np.issubdtype(dtype, np.str_)
    if isinstance(value, str) and dtype is not object and not is_str:
        raise ValueError(
            f"`dtype` {dtype} is not compatible with `value`'s type: {type(value)}\n"
            "You should set `dtype=object` for variable length strings."
        )
    out = np.full((n, maxlen) + tuple(sample_shape), value, dtype=dtype)
    for i, seq in enumerate(sequences):
        if not len(seq):
            continue
        if truncating == "pre":
            kept = seq[-maxlen:]
        elif truncating == "post":
            kept = seq[:maxlen]
        else:
            raise ValueError(f'Truncating type "{truncating}" not understood')
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != tuple(sample_shape):
            raise ValueError(
                f"Shape of sample {kept.shape[1:]} of sequence at position {i} is different "
                f"from expected shape {sample_shape}"
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        elif padding == "pre":
            out[i, -len(kept) :] = kept
        else:
            raise ValueError(f'Padding type "{padding}" not understood')
    return out
