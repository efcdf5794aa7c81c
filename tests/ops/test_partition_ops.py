"""reverse_sequence, dynamic_partition, dynamic_stitch, the histograms and concat([]): edge cases,
TensorFlow's error classes and messages (taken from TensorFlow 2.21), and traced static shapes."""

import numpy as np
import pytest

import tensorflux as tf

C = tf.constant
IAE = tf.errors.InvalidArgumentError


def _eq(t, expected, dtype=None):
    if dtype is not None:
        assert t.dtype == dtype
    np.testing.assert_array_equal(t.numpy(), np.asarray(expected))
    assert t.shape == np.asarray(expected).shape


def _traced_shapes(fn, *specs):
    shapes = []

    @tf.function
    def f(*args):
        out = fn(*args)
        shapes.append([o.shape for o in out] if isinstance(out, list) else out.shape)
        return out

    f.get_concrete_function(*specs)
    return shapes[-1]


# ------------------------------------------------------------------ reverse_sequence


def test_reverse_sequence_values_and_defaults():
    x = tf.reshape(tf.range(24), [2, 3, 4])
    _eq(
        tf.reverse_sequence([[1, 2, 3], [4, 5, 6]], [2, 3], seq_axis=1),  # batch_axis None -> 0
        [[2, 1, 3], [6, 5, 4]],
        tf.int32,
    )
    got = tf.reverse_sequence(x, C([1, 2, 3], tf.int64), seq_axis=2, batch_axis=1)
    _eq(got[0, 1], [5, 4, 6, 7])
    _eq(got[1, 2], [22, 21, 20, 23])
    _eq(tf.reverse_sequence(x, [0, 0], seq_axis=2), x.numpy())
    _eq(tf.reverse_sequence(C([["a", "b"]]), [2], 1), [[b"b", b"a"]])
    assert tf.reverse_sequence(tf.zeros([0, 3]), tf.zeros([0], tf.int32), 1).shape == (0, 3)


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((C([[1, 2]]), [3]), {"seq_axis": 1}, r"seq_lens\(0\) > input.dims\(1\)"),
        ((C([[1, 2], [3, 4]]), [1, -1]), {"seq_axis": 1}, r"seq_lens\(1\) < 0"),
        ((C([[1, 2]]), [1, 2]), {"seq_axis": 1}, r"Length of seq_lengths != input.dims\(0\), \(2 vs. 1\)"),
        ((C([[1, 2]]), [[1]]), {"seq_axis": 1}, "seq_lengths must be 1-dim, not 2"),
        ((C([[1, 2]]), [1]), {"seq_axis": 0}, "batch_dim == seq_dim == 0"),
        ((C([[1, 2]]), [1]), {"seq_axis": 2}, r"seq_dim must be < input rank \( 2 vs. 2\)"),
        ((C([[1, 2]]), [1]), {"seq_axis": 1, "batch_axis": 5}, r"batch_dim must be < input rank \( 5 vs. 2\)"),
        ((C([[1, 2]]), [1]), {"seq_axis": -1, "batch_axis": -1}, "Invalid batch_dim -1"),
        ((C([[1, 2]]), [1]), {"seq_axis": -1}, "Invalid seq_dim -1"),
        ((C([[1, 2]]), C([2], tf.int16)), {"seq_axis": 1}, "attr 'Tlen' of int16 is not in the list"),
        ((C([[1, 2]]), [1.0]), {"seq_axis": 1}, "attr 'Tlen' of float is not in the list"),
    ],
)  # fmt: skip
def test_reverse_sequence_errors(args, kwargs, message):
    with pytest.raises(IAE, match=message + r".* \[Op:ReverseSequence\]$"):
        tf.reverse_sequence(*args, **kwargs)


def test_reverse_sequence_axis_arguments():
    with pytest.raises(TypeError, match="Expected int for argument 'seq_dim' not None."):
        tf.reverse_sequence(C([[1, 2]]), [1])
    with pytest.raises(TypeError, match="Expected int for argument 'batch_dim' not 'b'."):
        tf.reverse_sequence(C([[1, 2]]), [1], 1, "b")
    _eq(tf.reverse_sequence(C([[1, 2]]), [2], seq_axis=np.int64(1)), [[2, 1]])


def test_reverse_sequence_traced_shapes_and_errors():
    rs = tf.reverse_sequence
    assert _traced_shapes(
        lambda a, n: rs(a, n, 1), tf.TensorSpec([None, 5]), tf.TensorSpec([7], tf.int32)
    ) == [7, 5]
    assert (
        _traced_shapes(
            lambda a, n: rs(a, n, 1), tf.TensorSpec(None), tf.TensorSpec([3], tf.int32)
        ).rank
        is None
    )
    with pytest.raises(ValueError, match="seq_dim must be < input rank"):
        _traced_shapes(lambda a: rs(a, [1, 2], 2), tf.TensorSpec([2, 3]))
    f = tf.function(lambda a, n: rs(a, n, 1))
    with pytest.raises(IAE, match=r"seq_lens\(0\) > input.dims\(1\)"):
        f(tf.ones([2, 3]), C([5, 1]))


def test_reverse_sequence_gradient_reverses_back():
    v = C([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    w = C([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = tf.reverse_sequence(v, [2, 3], 1, 0) * w
    _eq(tape.gradient(y, v), [[2.0, 1.0, 3.0], [6.0, 5.0, 4.0]])


# ------------------------------------------------------------------ dynamic_partition


def test_dynamic_partition_values():
    parts = tf.dynamic_partition(tf.reshape(tf.range(12), [2, 3, 2]), [[0, 1, 0], [2, 2, 1]], 3)
    _eq(parts[0], [[0, 1], [4, 5]])
    _eq(parts[1], [[2, 3], [10, 11]])
    _eq(parts[2], [[6, 7], [8, 9]])
    parts = tf.dynamic_partition(C(5), 0, 2)  # a scalar partition
    _eq(parts[0], [5])
    _eq(parts[1], np.zeros([0], np.int32))
    empty = tf.dynamic_partition(tf.reshape(tf.range(6), [3, 2]), [0, 2, 0], 3)[1]
    assert empty.shape == (0, 2)
    assert len(tf.dynamic_partition(C([1.0, 2.0]), [1, 0], 2.5)) == 2  # int() like TensorFlow


@pytest.mark.parametrize(
    "args, message",
    [
        ((C([10, 20, 30, 40]), [0, 1, 0, 5], 2), r"partitions\[3\] = 5 is not in \[0, 2\)"),
        ((tf.reshape(tf.range(6), [2, 3]), [[0, 1, 0], [2, 7, 1]], 3), r"partitions\[1,1\] = 7 is not in \[0, 3\)"),
        ((C(5), 3, 2), r"partitions = 3 is not in \[0, 2\)"),
        ((C([10, 20, 30, 40]), [0, 1, 0], 2), r"data.shape must start with partitions.shape, got data.shape = \[4\], partitions.shape = \[3\]"),
        ((C([1, 2]), C([0, 1], tf.int64), 2), r"cannot compute DynamicPartition as input #1\(zero-based\) was expected to be a int32 tensor but is a int64 tensor"),
        ((C([1, 2]), [0, 1], 0), "Value for attr 'num_partitions' of 0 must be at least minimum 1"),
    ],
)  # fmt: skip
def test_dynamic_partition_errors(args, message):
    with pytest.raises(IAE, match=message + r" \[Op:DynamicPartition\]$"):
        tf.dynamic_partition(*args)


def test_dynamic_partition_argument_errors():
    with pytest.raises(
        TypeError, match="Cannot convert \\[1.0, 0.0\\] to EagerTensor of dtype int32"
    ):
        tf.dynamic_partition(C([1.0, 2.0]), [1.0, 0.0], 2)
    with pytest.raises(TypeError, match="Expected int for argument 'num_partitions' not None."):
        tf.dynamic_partition(C([1.0, 2.0]), [1, 0], None)


def test_dynamic_partition_traced_shapes():
    dp = tf.dynamic_partition
    spec = tf.TensorSpec
    got = _traced_shapes(lambda a, p: dp(a, p, 2), spec([4, 3, 2]), spec([4, 3], tf.int32))
    assert got == [[None, 2], [None, 2]]
    got = _traced_shapes(lambda a, p: dp(a, p, 2), spec([None, 2]), spec(None, tf.int32))
    assert [s.rank for s in got] == [None, None]
    with pytest.raises(ValueError, match="data.shape must start with partitions.shape"):
        _traced_shapes(lambda a: dp(a, [0, 1, 0], 2), spec([2, 3]))


def test_dynamic_partition_gradient_stitches_back():
    v = C([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(v)
        parts = tf.dynamic_partition(v, [1, 1, 0, 1], 3)
        y = parts[1] * C([1.0, 2.0, 3.0])
    _eq(tape.gradient(y, v), [1.0, 2.0, 0.0, 3.0])
    _eq(tape.gradient(parts[2], v), [0.0, 0.0, 0.0, 0.0])  # an empty partition


# ------------------------------------------------------------------ dynamic_stitch


def test_dynamic_stitch_values():
    _eq(tf.dynamic_stitch([[0, 2], [1, 3]], [[10, 30], [20, 40]]), [10, 20, 30, 40], tf.int32)
    # later indices win, within an input and across inputs; unwritten rows are zero
    _eq(tf.dynamic_stitch([[0, 2], [0, 3]], [C([10, 30]), C([20, 40])]), [20, 0, 30, 40])
    _eq(tf.dynamic_stitch([[1, 1, 4]], [C([1.0, 2.0, 3.0])]), [0.0, 2.0, 0.0, 0.0, 3.0])
    got = tf.dynamic_stitch(
        [6, [4, 1], [[5, 2], [0, 3]]],
        [[61.0, 62.0], [[41.0, 42.0], [11.0, 12.0]], [[[51.0, 52.0], [21.0, 22.0]], [[1.0, 2.0], [31.0, 32.0]]]],
    )  # fmt: skip
    _eq(got[:, 0], [1.0, 11.0, 21.0, 31.0, 41.0, 51.0, 61.0])
    _eq(tf.dynamic_stitch([[0, 2]], [C(["a", "b"])]), [b"a", b"", b"b"])
    assert tf.dynamic_stitch([tf.zeros([0], tf.int32)], [tf.zeros([0, 3])]).shape == (0, 3)
    # values convert to the first tensor's dtype, or to the first value's
    assert tf.dynamic_stitch([[0, 2], [1]], [[10, 30], C([2.5])]).dtype == tf.float32
    with pytest.raises(TypeError, match="Cannot convert \\[2.5\\] to EagerTensor of dtype int32"):
        tf.dynamic_stitch([[0, 2], [1]], [[10, 30], [2.5]])
    _eq(tf.dynamic_stitch(C([0, 1]), [C(1), C(2)]), [1, 2])  # a tensor of indices iterates


@pytest.mark.parametrize(
    "indices, data, message",
    [
        ([[0, -1], [1, 3]], [C([10, 30]), C([20, 40])], r"indices\[1\] is out of range"),
        ([[0, 1], [[2, 3], [7, -1]]], [C([10, 30]), C([[20, 40], [2, 3]])], r"indices\[3\] is out of range"),
        ([[0, 2], [1, 3]], [C([10, 30, 4]), C([20, 40])], r"data\[0\].shape = \[3\] does not start with indices\[0\].shape = \[2\]"),
        ([[0, 1], [[2, 3], [7, 1]]], [C([[10], [30]]), C([[20, 40], [2, 3]])], r"Need data\[0\].shape\[1:\] = data\[1\].shape\[2:\], got data\[0\].shape = \[2,1\], data\[1\].shape = \[2,2\], indices\[0\].shape = \[2\], indices\[1\].shape = \[2,2\]"),
        ([[0, 2], [1, 3]], [C([10, 30]), C([20.0, 40.0])], r"input #3\(zero-based\) was expected to be a int32 tensor but is a float tensor"),
        ([C([0, 1], tf.int64)], [C([1, 2])], r"input #0\(zero-based\) was expected to be a int32 tensor but is a int64 tensor"),
    ],
)  # fmt: skip
def test_dynamic_stitch_errors(indices, data, message):
    with pytest.raises(IAE, match=message + r" \[Op:DynamicStitch\]$"):
        tf.dynamic_stitch(indices, data)


def test_dynamic_stitch_argument_errors():
    with pytest.raises(
        ValueError,
        match="List argument 'data' to 'dynamic_stitch' Op with length 2 must match length 1 of argument 'indices'.",
    ):
        tf.dynamic_stitch([[0, 2]], [C([10, 30]), C([20, 40])])
    with pytest.raises(
        TypeError, match="Expected list for 'indices' argument to 'dynamic_stitch' Op, not 5."
    ):
        tf.dynamic_stitch(5, [C(1)])
    with pytest.raises(TypeError, match="Expected list for 'data' argument to 'dynamic_stitch' Op"):
        tf.dynamic_stitch([[0, 2]], C([[10, 30]]))
    with pytest.raises(IAE, match="DynamicStitch needs at least one indices/data pair"):
        tf.dynamic_stitch([], [])
    with pytest.raises(
        ValueError,
        match="List argument 'indices' to 'DynamicStitch' Op with length 0 shorter than minimum length 1.",
    ):
        tf.function(lambda: tf.dynamic_stitch([], []))()


def test_dynamic_stitch_traced_shapes():
    spec = tf.TensorSpec
    ds = tf.dynamic_stitch
    # constant indices give the first dimension, as in TensorFlow
    assert _traced_shapes(lambda x: ds([[0, 2], [1, 3]], [x, x]), spec([2, 3])) == [4, 3]
    got = _traced_shapes(lambda i, x: ds([i, [2]], [x, [5.0]]), spec([2], tf.int32), spec([2]))
    assert got.as_list() == [None]
    got = _traced_shapes(
        lambda i, j, x, y: ds([i, j], [x, y]),
        spec([2], tf.int32), spec([None], tf.int32), spec([None, 5]), spec(None),
    )  # fmt: skip
    assert got.as_list() == [None, 5]
    with pytest.raises(ValueError, match="does not start with"):
        _traced_shapes(lambda x: ds([[0, 2], [1, 3, 4]], [x, x]), spec([2, 3]))


def test_dynamic_stitch_gradient_is_a_gather():
    v = C([1.0, 2.0, 3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(v)
        s = tf.dynamic_stitch([[0, 1], [1, 2]], [v[:2], v[2:]])
    # TensorFlow gathers: the overwritten v[1] still gets the gradient of position 1
    _eq(tape.gradient(s, v, output_gradients=C([1.0, 2.0, 3.0])), [1.0, 2.0, 2.0, 3.0])


# ------------------------------------------------------------------ histograms


def test_histogram_fixed_width_values():
    hist = tf.histogram_fixed_width
    _eq(hist(C([0.0, 0.5, 1.0, 5.0]), [0.0, 5.0], nbins=5), [2, 1, 0, 0, 1], tf.int32)
    _eq(hist([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5), [2, 1, 1, 0, 2])
    _eq(hist([1, 2, 3, 9], [0, 10], nbins=5, dtype=tf.int64), [1, 2, 0, 0, 1], tf.int64)
    _eq(hist([1.0, 2], [0, 10], nbins=3), [2, 0, 0])  # the range converts to float32
    _eq(hist([1.0, 2.0], C([0.0, 1.0], tf.float64), nbins=3), [0, 0, 2])
    _eq(hist(C(3.0), [0.0, 10.0], nbins=3), [1, 0, 0])
    _eq(hist(C([], tf.float32), [0.0, 10.0], nbins=3), [0, 0, 0])
    _eq(hist(C([-np.inf, np.inf]), [0.0, 1.0], nbins=2), [1, 1])
    # TensorFlow's float64 bin arithmetic puts a float32 value on an edge one bin low here
    lo, hi = np.float32(2.0041756629943848), np.float32(4.598039150238037)
    _eq(hist(C([np.float32(2.8687968254089355)]), C([lo, hi]), nbins=3), [1, 0, 0])
    big = C([-(2**63), 2**63 - 1], tf.int64)
    _eq(hist(big, big, nbins=4), [1, 0, 0, 1])


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (([1.0, 2], [10.0, 0]), {"nbins": 3}, "value_range should satisfy value_range\\[0\\] < value_range\\[1\\], but got '\\[10, 0\\]'"),
        (([1.0, 2], [1e10, 0.12345678]), {"nbins": 3}, "but got '\\[1e\\+10, 0.123457\\]'"),
        (([1.0, 2], [0.0, 10.0]), {"nbins": 0}, "nbins should be a positive number, but got '0'"),
        (([1.0, 2], [0.0, 10.0]), {"nbins": [3]}, "nbins should be a scalar."),
        (([1.0, 2], [0.0, 10.0, 3.0]), {"nbins": 3}, "value_range should be a vector of 2 elements."),
        (([1.0, 2], [[0.0, 10.0]]), {"nbins": 3}, "value_range should be a vector."),
        (([1.0, np.nan], [0.0, 10.0]), {"nbins": 3}, "Histogram values must not contain NaN"),
        ((C([1.0], tf.float16), C([0.0, 1.0], tf.float16)), {}, "Value for attr 'T' of half is not in the list of allowed values: int32, int64, float, double"),
        (([1, 2], [0, 10]), {"dtype": tf.float32}, "Value for attr 'dtype' of float is not in the list of allowed values: int32, int64"),
    ],
)  # fmt: skip
def test_histogram_fixed_width_errors(args, kwargs, message):
    with pytest.raises(IAE, match=message + r" \[Op:HistogramFixedWidth\]$"):
        tf.histogram_fixed_width(*args, **kwargs)


def test_histogram_fixed_width_argument_errors():
    with pytest.raises(
        TypeError, match="Cannot convert \\[0.0, 10\\] to EagerTensor of dtype int32"
    ):
        tf.histogram_fixed_width([1, 2], [0.0, 10], nbins=3)
    with pytest.raises(ValueError, match="^Tensor conversion requested dtype int32 for Tensor"):
        tf.histogram_fixed_width([1.0, 2], [0.0, 10.0], nbins=C(3, tf.int64))
    with pytest.raises(TypeError, match="Cannot convert 3.0 to EagerTensor of dtype int32"):
        tf.histogram_fixed_width([1.0, 2], [0.0, 10.0], nbins=3.0)


def test_histogram_fixed_width_bins_values():
    bins = tf.histogram_fixed_width_bins
    _eq(bins([-1.0, 0.0, 1.5, 2.0, 5.0, 15], [0.0, 5.0], nbins=5), [0, 0, 1, 2, 4, 4], tf.int32)
    _eq(bins([[-1.0, 0.0, 1.5], [2.0, 5.0, 15]], [0.0, 5.0], nbins=5), [[0, 0, 1], [2, 4, 4]])
    _eq(bins([1.0, 2.0], [0.0, 3.0], 3, dtype=tf.int64), [1, 2], tf.int32)  # dtype is ignored
    _eq(bins([1.0, 2.0], [10.0, 0.0], nbins=3), [2, 2])
    _eq(bins([1.0, 2.0], [1.0, 1.0], nbins=3), [-(2**31), 2])  # 0/0 casts to INT_MIN
    _eq(bins(C(3.0), [0.0, 10.0], nbins=3), 0)
    _eq(bins(C([0.7]), [0.0, 1.0], nbins=10), [7])  # float32 arithmetic, unlike the histogram
    _eq(tf.histogram_fixed_width(C([0.7]), [0.0, 1.0], nbins=10)[6:8], [1, 0])


def test_histogram_fixed_width_bins_errors():
    bins = tf.histogram_fixed_width_bins
    with pytest.raises(IAE) as e:
        bins([1.0, 2], [0.0, 10], nbins=0)
    assert str(e.value) == (
        "Expected 'tf.Tensor(False, shape=(), dtype=bool)' to be true. Summarized data: "
        "b'nbins tf.Tensor(0, shape=(), dtype=int32) must > 0'"
    )
    with pytest.raises(
        IAE,
        match=r"cannot compute Mul as input #1\(zero-based\) was expected to be a int32 tensor but is a double tensor",
    ):
        bins([1, 2, 3, 9], [0, 10], nbins=5)
    with pytest.raises(
        IAE,
        match=r"cannot compute Sub as input #1\(zero-based\) was expected to be a float tensor but is a int32 tensor",
    ):
        bins([1.0, 2], [0, 10], nbins=3)
    with pytest.raises(ValueError, match="^nbins: Tensor conversion requested dtype int32"):
        bins([1.0, 2.0], [0.0, 3.0], C(3, tf.int64))


def test_histograms_traced():
    spec = tf.TensorSpec

    def both(v, r, n):
        return [tf.histogram_fixed_width(v, r, n), tf.histogram_fixed_width_bins(v, r, n)]

    assert _traced_shapes(lambda v, r: both(v, r, 5), spec([None, 3]), spec([2])) == [
        [5],
        [None, 3],
    ]
    got = _traced_shapes(both, spec(None), spec([2]), spec([], tf.int32))
    assert got[0].as_list() == [None] and got[1].rank is None
    with pytest.raises(ValueError, match="Dimension must be 2 but is 3"):
        _traced_shapes(lambda v: tf.histogram_fixed_width(v, [1.0, 2, 3], 4), spec([2]))
    with pytest.raises(ValueError, match="Requires nbins > 0: -4"):
        _traced_shapes(lambda v: tf.histogram_fixed_width(v, [1.0, 2], -4), spec([2]))
    f = tf.function(lambda v, n: tf.histogram_fixed_width_bins(v, [0.0, 2.0], n))
    _eq(f(C([0.5, 1.5]), C(2)), [0, 1])
    with pytest.raises(IAE, match="assertion failed: .*must > 0"):
        f(C([0.5, 1.5]), C(0))


def test_histograms_not_differentiable():
    x = C([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        h = tf.histogram_fixed_width(x, [0.0, 10.0], 3)
        b = tf.histogram_fixed_width_bins(x, [0.0, 10.0], 3)
    assert tape.gradient(h, x) is None and tape.gradient(b, x) is None


# ------------------------------------------------------------------ concat of nothing


def test_concat_of_no_values():
    # TensorFlow's error class; its eager message is a KernelDef dump, ours says what is wrong.
    with pytest.raises(IAE, match="ConcatV2 needs at least one input tensor"):
        tf.concat([], 0)
    with pytest.raises(IAE, match="tf.concat got an empty list"):
        tf.concat((), C(0, tf.int64))
    with pytest.raises(
        ValueError,
        match="List argument 'values' to 'ConcatV2' Op with length 0 shorter than minimum length 2.",
    ):
        tf.function(lambda: tf.concat([], 0))()
