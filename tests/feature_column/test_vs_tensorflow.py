"""Differential check: the dense outputs of feature columns equal TensorFlow 2.21's.

TensorFlow evaluates a column through its transformation cache (Keras 3 has no DenseFeatures);
tensorflux through `tf.keras.layers.DenseFeatures`. Embedding columns are left out (their tables
are random). Skips unless the TensorFlow oracle environment (/work/tfenv) is present.
"""

import os
import sys
import textwrap

import pytest

from tests.differential.runner import run_program

_ORACLE = "/work/tfenv/bin/python"

_PROGRAM = textwrap.dedent(
    """
    import os, tempfile
    import numpy as np
    fc = tf.feature_column
    vocab = os.path.join(tempfile.mkdtemp(), "vocab.txt")
    with open(vocab, "w") as f:
        f.write("apple\\nbanana\\ncherry\\n")
    feats = {
        "age": tf.constant([[10.0], [25.0], [60.0], [30.0]]),
        "pair": tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]),
        "color": tf.constant([["red", "blue"], ["pink", ""], ["blue", "green"], ["", ""]]),
        "fruit": tf.constant([["apple"], ["kiwi"], ["cherry"], ["banana"]]),
        "ids": tf.constant([[0, 3], [5, -1], [2, 2], [-1, -1]], tf.int64),
        "wts": tf.constant([[0.5, 2.0], [1.0, 0.0], [1.5, 3.0], [0.0, 0.0]]),
        "city": tf.sparse.SparseTensor([[0, 0], [1, 0], [1, 1], [3, 0]],
                                       ["paris", "rome", "oslo", "lima"], [4, 2]),
    }
    age = fc.numeric_column("age")
    cols = [
        age,
        fc.numeric_column("pair", shape=2, normalizer_fn=lambda x: x * 2.0 - 1.0),
        fc.bucketized_column(age, [18, 30, 50]),
        fc.indicator_column(fc.categorical_column_with_vocabulary_list(
            "color", ["red", "green", "blue"])),
        fc.indicator_column(fc.categorical_column_with_vocabulary_list(
            "color", ["red", "green", "blue"], num_oov_buckets=3)),
        fc.indicator_column(fc.categorical_column_with_vocabulary_file(
            "fruit", vocab, num_oov_buckets=2)),
        fc.indicator_column(fc.categorical_column_with_vocabulary_file(
            "fruit", vocab, vocabulary_size=2, default_value=0)),
        fc.indicator_column(fc.categorical_column_with_hash_bucket("city", 6)),
        fc.indicator_column(fc.categorical_column_with_hash_bucket("ids", 5, dtype=tf.int64)),
        fc.indicator_column(fc.categorical_column_with_identity("ids", 6)),
        fc.indicator_column(fc.categorical_column_with_identity("ids", 4, default_value=1)),
        fc.indicator_column(fc.weighted_categorical_column(
            fc.categorical_column_with_identity("ids", 6), "wts")),
        fc.indicator_column(fc.crossed_column(["color", "city"], 11)),
        fc.indicator_column(fc.crossed_column(
            [fc.bucketized_column(age, [20, 40]), "fruit"], 9, hash_key=12345)),
    ]
    for col in cols:
        print(col.name, dense(col))
    print(sorted(fc.make_parse_example_spec(cols).items()))
    """
)

_PRELUDE_TF = textwrap.dedent(
    """
    import tensorflow as tf
    from tensorflow.python.feature_column import feature_column_v2 as fcv2
    def dense(col):
        out = col.get_dense_tensor(fcv2.FeatureTransformationCache(feats), None)
        return np.round(tf.reshape(out, [4, -1]).numpy(), 5).tolist()
    """
)
_PRELUDE_TFX = textwrap.dedent(
    """
    import tensorflux as tf
    def dense(col):
        return np.round(tf.keras.layers.DenseFeatures([col])(feats).numpy(), 5).tolist()
    """
)


def _run(python, prelude) -> str:
    return run_program(python, prelude + _PROGRAM)


@pytest.mark.skipif(not os.path.exists(_ORACLE), reason="TensorFlow oracle not installed")
def test_dense_outputs_match_tensorflow():
    want = _run(_ORACLE, _PRELUDE_TF).splitlines()
    got = _run(sys.executable, _PRELUDE_TFX).splitlines()
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g == w
