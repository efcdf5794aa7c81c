"""Differential check: the same tf.sparse program prints the same text on real TensorFlow.

Skips unless the TensorFlow oracle environment (/work/tfenv) is present.
"""

import os
import re
import sys
import textwrap

import pytest

from tests.differential.runner import run_program

_ORACLE = "/work/tfenv/bin/python"

_PROGRAM = textwrap.dedent(
    """
    def tr(f):
        try:
            print("OK", f())
        except Exception as e:
            print(type(e).__name__, repr(str(e)))

    S = tf.sparse.SparseTensor
    st = S(indices=[[0, 0], [1, 2]], values=[1.0, 2.0], dense_shape=[3, 4])
    print(st)
    print(repr(st.shape), st._type_spec, tf.SparseTensorSpec([None, 3], tf.int32))
    print(tf.SparseTensorSpec()._component_specs)
    print(tf.nest.flatten(st, expand_composites=True))
    tr(lambda: tf.sparse.to_dense(S([[1, 0], [0, 1]], [1.0, 2.0], [2, 2])))
    tr(lambda: tf.sparse.to_dense(S([[0, 0], [2, 1]], [1.0, 2.0], [2, 2])))
    tr(lambda: tf.sparse.to_dense(S([[0, 0], [0, 0]], [1.0, 2.0], [2, 2])))
    tr(lambda: tf.sparse.to_dense(S([[0, 0], [0, 5]], [1.0, 2.0], [2, 2]), validate_indices=False))
    tr(lambda: S([[0, 0]], [1.0, 2.0], [2, 2]))
    tr(lambda: S([[0, 0]], [[1.0]], [2, 2]))
    a = S([[0, 0], [1, 1]], [1.0, 2.0], [2, 2])
    b = S([[0, 0], [1, 0]], [-1.0, 0.5], [2, 2])
    tr(lambda: tf.sparse.add(a, b, threshold=0.6))
    tr(lambda: tf.sparse.add(a, tf.ones([2, 2])))
    tr(lambda: tf.sparse.maximum(a, b))
    tr(lambda: tf.sparse.minimum(a, b))
    n = S([[0, 0], [1, 1]], [-1.0, -2.0], [3, 2])
    tr(lambda: tf.sparse.reduce_max(n, 1))
    tr(lambda: tf.sparse.reduce_sum(n, 1, output_is_sparse=True))
    tr(lambda: tf.sparse.reduce_sum(n, [0, 1], keepdims=True))
    tr(lambda: tf.sparse.concat(1, [a, b]))
    tr(lambda: tf.sparse.concat(0, [a, S([[0, 1]], [3.0], [1, 3])]))
    c = S([[0, 0], [0, 4], [1, 2]], [1.0, 2.0, 3.0], [2, 5])
    tr(lambda: tf.sparse.split(sp_input=c, num_split=2, axis=1))
    tr(lambda: tf.sparse.slice(c, [0, 1], [5, 3]))
    tr(lambda: tf.sparse.reshape(c, [5, -1]))
    tr(lambda: tf.sparse.reshape(c, [3, -1]))
    tr(lambda: tf.sparse.reset_shape(c, [1, 1]))
    tr(lambda: tf.sparse.fill_empty_rows(S([[0, 1], [2, 0]], [1.0, 2.0], [4, 3]), 9.0))
    tr(lambda: tf.sparse.to_indicator(S([[0, 0], [0, 1], [1, 0]], [2, 0, 1], [2, 2]), 3))
    tr(lambda: tf.sparse.expand_dims(a, 1))
    tr(lambda: tf.sparse.eye(2, 3, dtype=tf.int32))
    tr(lambda: tf.sparse.transpose(S([[0, 0, 1], [1, 2, 0]], [1, 2], [2, 3, 2]), [2, 0, 1]))
    tr(lambda: tf.sparse.reorder(S([[1, 0], [0, 1], [0, 0]], [1, 2, 3], [2, 2])))
    tr(lambda: tf.sparse.from_dense(tf.constant([[0, 1], [2, 0]])))
    tr(lambda: tf.sparse.sparse_dense_matmul(a, tf.ones([2, 3])))
    tr(lambda: tf.sparse.segment_sum(tf.constant([[1.0, 2], [3, 4], [5, 6]]), [0, 2, 1], [0, 0, 1]))
    tr(lambda: a * tf.constant([[1.0, 2.0]]))
    tr(lambda: S([[0, 0]], [3], [2, 2]) / 2)
    tr(lambda: a * tf.ones([5, 2, 2]))
    tr(lambda: tf.sparse.cross([tf.constant([["d", "e"], ["f", "g"]]), S([[0, 0], [1, 0]], ["a", "c"], [2, 2])]))
    tr(lambda: tf.sparse.bincount(tf.constant([[3, 1, 3], [0, 0, 2]]), axis=-1))

    @tf.function
    def f(x):
        return x.values * 2.0, x

    print(f(a))
    print(f.pretty_printed_concrete_signatures())
    """
)

_PRELUDE_TF = "import tensorflow as tf\n"
_PRELUDE_TFX = (
    "import tensorflux as tf\n"
    "import tensorflux.sparse\n"
    "from tensorflux._src.sparse_tensor import SparseTensorSpec\n"
    "tf.sparse = tensorflux.sparse\n"
    "tf.SparseTensorSpec = SparseTensorSpec\n"
)


def _run(python, prelude) -> str:
    return run_program(python, prelude + _PROGRAM)


def _normalize(text: str) -> list:
    text = re.sub(r"\{\{function_node [^}]*\}\} ", "", text)
    text = text.replace(" name: ", "")
    text = re.sub(r"Captures:\n  None", "", text)
    return text.splitlines()


@pytest.mark.skipif(not os.path.exists(_ORACLE), reason="TensorFlow oracle not installed")
def test_same_output_as_tensorflow():
    want = _normalize(_run(_ORACLE, _PRELUDE_TF))
    got = _normalize(_run(sys.executable, _PRELUDE_TFX))
    assert got == want
