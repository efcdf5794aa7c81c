"""RaggedTensor, its TypeSpec and the `tf.ragged` ops (see docs/ragged.md).

Loading the package makes the loaded public `tf.*` functions ragged-aware (thin generated
wrappers, see ragged_dispatch.py), so that `tf.reduce_sum(tf.ragged.constant(...), axis=1)` works
even when the function is looked up before the first RaggedTensor exists.
"""

from tensorflux._src.ragged import ragged_dispatch as _ragged_dispatch

_ragged_dispatch.patch_modules()
