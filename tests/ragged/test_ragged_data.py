"""RaggedTensors in tf.data: slicing, batching, unbatching, map and ragged_batch.
Expected reprs printed by TensorFlow 2.21."""

import tensorflux as tf


def rt():
    return tf.ragged.constant([[1, 2, 3], [], [4, 5]])


def test_from_tensor_slices_gives_rows():
    ds = tf.data.Dataset.from_tensor_slices(rt())
    assert repr(ds.element_spec) == "RaggedTensorSpec(TensorShape([None]), tf.int32, 0, tf.int64)"
    assert [x.numpy().tolist() for x in ds] == [[1, 2, 3], [], [4, 5]]
    assert [x.numpy().tolist() for x in ds.map(lambda x: x * 2)] == [[2, 4, 6], [], [8, 10]]
    d = tf.data.Dataset.from_tensor_slices({"a": rt()}).map(lambda d: tf.reduce_sum(d["a"]))
    assert [int(x) for x in d] == [6, 0, 9]


def test_batch_and_unbatch():
    b = tf.data.Dataset.from_tensor_slices(rt()).batch(2)
    assert repr(b.element_spec) == (
        "RaggedTensorSpec(TensorShape([None, None]), tf.int32, 1, tf.int64)"
    )
    assert [repr(x) for x in b] == [
        "<tf.RaggedTensor [[1, 2, 3], []]>",
        "<tf.RaggedTensor [[4, 5]]>",
    ]
    assert [x.numpy().tolist() for x in b.unbatch()] == [[1, 2, 3], [], [4, 5]]
    r2 = tf.ragged.constant([[[1, 2], [3]], [[4]], [[5], [6], []]])
    ds2 = tf.data.Dataset.from_tensor_slices(r2)
    assert [repr(x) for x in ds2.batch(2)] == [
        "<tf.RaggedTensor [[[1, 2], [3]], [[4]]]>",
        "<tf.RaggedTensor [[[5], [6], []]]>",
    ]


def test_map_returning_ragged_then_batch():
    d3 = tf.data.Dataset.from_tensor_slices(tf.constant([[1, 2], [3, 4], [5, 6]])).map(
        lambda x: tf.RaggedTensor.from_row_lengths(x, [1, 1])
    )
    assert repr(d3.element_spec) == (
        "RaggedTensorSpec(TensorShape([2, None]), tf.int32, 1, tf.int64)"
    )
    out = [repr(x) for x in d3.batch(2)]
    assert out == [
        "<tf.RaggedTensor [[[1],\n  [2]],\n\n [[3],\n  [4]]]>",
        "<tf.RaggedTensor [[[5],\n  [6]]]>",
    ]


def test_ragged_batch():
    d4 = tf.data.Dataset.range(4).map(lambda n: tf.range(n)).ragged_batch(3)
    assert repr(d4.element_spec) == (
        "RaggedTensorSpec(TensorShape([None, None]), tf.int64, 1, tf.int64)"
    )
    assert [repr(x) for x in d4] == [
        "<tf.RaggedTensor [[], [0], [0, 1]]>",
        "<tf.RaggedTensor [[0, 1, 2]]>",
    ]
