"""`keras.utils.to_categorical` and `keras.utils.normalize`."""

from __future__ import annotations

import numpy as np


def _is_tensor(x) -> bool:
    from tensorflux._src.tensor import Tensor

    return isinstance(x, Tensor)


def to_categorical(x, num_classes=None):
    """One-hot encodes integer class labels.

    Args:
      x: class indices (0 to `num_classes - 1`); a trailing dimension of size 1 is dropped.
      num_classes: the number of classes (default: `max(x) + 1`).

    Returns:
      A float64 NumPy array with the classes on a new last axis (a float32 tensor when `x` is
      a tensor).
    """
    if _is_tensor(x):
        from tensorflux._src.ops import array_ops

        shape = x.shape.as_list()
        if len(shape) > 1 and shape[-1] == 1:
            x = array_ops.reshape(x, shape[:-1])
        from tensorflux._src.ops.array_ops import one_hot

        return one_hot(x, num_classes)
    x = np.array(x, dtype="int64")
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = tuple(shape[:-1])
    flat = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(flat)) + 1
    out = np.zeros((flat.shape[0], num_classes))
    out[np.arange(flat.shape[0]), flat] = 1
    return out.reshape(tuple(shape) + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Scales `x` to unit norm along `axis`.

    Args:
      x: a NumPy array or tensor.
      axis: the axis to normalize along.
      order: the norm order (2 for L2).

    Returns:
      The normalized array (NumPy in, NumPy out; zero vectors stay zero) or tensor.

    Raises:
      ValueError: for a tensor and an `order` that is not an int >= 1.
    """
    if isinstance(x, np.ndarray):
        norm = np.atleast_1d(np.linalg.norm(x, order, axis))
        norm[norm == 0] = 1
        axis = axis or -1
        return x / np.expand_dims(norm, axis)
    import tensorflux as tf

    if not isinstance(order, int) or not order >= 1:
        raise ValueError(f"Argument `order` must be an int >= 1. Received: order={order}")
    from tensorflux._src.keras import backend

    x = tf.convert_to_tensor(x)
    if x.shape.rank == 0:
        x = tf.expand_dims(x, 0)
    eps = backend.epsilon()
    if order == 2:
        inv = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True))
        return x * tf.minimum(inv, 1.0 / eps)
    norm = tf.norm(x, ord=order, axis=axis, keepdims=True)
    return tf.divide(x, tf.maximum(norm, eps))
