"""Array creation/manipulation behaviour the harness rows do not reach: TensorFlow's error classes
and messages, dtype inference, argument forms, gradients to clip bounds, and the gradient paths
taken when shapes are only known at run time."""

import numpy as np
import pytest

import tensorflux as tf
from tensorflux._src.core import registry
from tensorflux._src.graph.trace import run_traced
from tensorflux._src.ops import space_ops

IAE = tf.errors.InvalidArgumentError if hasattr(tf, "errors") else None
if IAE is None:
    from tensorflux._src.core.errors import InvalidArgumentError as IAE  # noqa: N811


def _raises(exc, match, fn, *args, **kwargs):
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    assert match in str(info.value), str(info.value)


# ------------------------------------------------------------------ error messages (TF 2.21's)


@pytest.mark.parametrize(
    "call, match",
    [
        (
            lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 4])], 0),
            "ConcatOp : Dimension 1 in both shapes must be equal: shape[0] = [2,3] vs. shape[1] = "
            "[2,4] [Op:ConcatV2]",
        ),
        (
            lambda: tf.concat([tf.ones([2, 3]), tf.ones([2])], 0),
            "ConcatOp : Ranks of all input tensors should match: shape[0] = [2,3] vs. shape[1] = [2]",
        ),
        (
            lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], -3),
            "Expected concatenating dimensions in the range [-2, 2), but got -3",
        ),
        (
            lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 3], tf.int32)], 1),
            "cannot compute ConcatV2 as input #1(zero-based) was expected to be a float tensor but "
            "is a int32 tensor",
        ),
        (
            lambda: tf.concat([tf.constant(1.0), tf.constant(2.0)], 0),
            "Can't concatenate scalars (use tf.stack instead)",
        ),
        (
            lambda: tf.transpose(tf.ones([2, 3]), [0]),
            "transpose expects a vector of size 2. But input(1) is a vector of size 1",
        ),
        (lambda: tf.transpose(tf.ones([2, 3]), [0, 0]), "1 is missing from {0,0}."),
        (lambda: tf.transpose(tf.ones([2, 3]), [0, 2]), "2 is out of range [0 .. 2)"),
        (
            lambda: tf.split(tf.ones([5, 3]), 2),
            "Number of ways to split should evenly divide the split dimension, but got split_dim 0 "
            "(size = 5) and num_split 2",
        ),
        (
            lambda: tf.split(tf.ones([5, 3]), [2, 4]),
            "Determined shape must either match input shape along split_dim exactly if fully "
            "specified, or be less than the size of the input along split_dim if not fully "
            "specified.  Got: 6",
        ),
        (lambda: tf.split(tf.ones([5, 3]), [2, -1, -1]), "There can only be one -1 in the input."),
        (
            lambda: tf.split(tf.ones([4, 3]), 2, axis=2),
            "-input rank(-2) <= split_dim < input rank (2), but got 2",
        ),
        (
            lambda: tf.squeeze(tf.ones([2, 3]), 0),
            "Can not squeeze dim[0], expected a dimension of 1, got 2",
        ),
        (
            lambda: tf.squeeze(tf.ones([2, 3]), 4),
            "Tried to squeeze dim index 4 for tensor with 2 dimensions.",
        ),
        (
            lambda: tf.expand_dims(tf.ones([2, 3]), -4),
            "Tried to expand dim index -4 for tensor with 2 dimensions.",
        ),
        (
            lambda: tf.tile(tf.ones([2, 3]), [1]),
            "Expected multiples argument to be a vector of length 2 but got length 1",
        ),
        (lambda: tf.tile(tf.ones([2, 3]), [1, -1]), "Expected multiples[1] >= 0, but got -1"),
        (lambda: tf.reverse(tf.ones([2, 3]), [0, 0]), "axis 0 specified more than once."),
        (lambda: tf.roll(tf.ones([2, 3]), [1, 2], [0]), "shift and axis must have the same size"),
        (lambda: tf.roll(tf.ones([2, 3]), [1], [2]), "axis 2 is out of range"),
        (
            lambda: tf.ensure_shape(tf.ones([2, 3]), [2, 4]),
            "Shape of tensor input [2,3] is not compatible with expected shape [2,4].",
        ),
        (lambda: tf.broadcast_to(tf.ones([2, 3]), [3, 3]), "Incompatible shapes: [2,3] vs. [3,3]"),
        (
            lambda: tf.broadcast_to(tf.ones([2, 3]), [3]),
            "Rank of input (2) must be no greater than rank of output shape (1).",
        ),
        (lambda: tf.broadcast_dynamic_shape([2, 2], [3]), "Incompatible shapes: [2,2] vs. [3]"),
        (
            lambda: tf.pad(tf.ones([2, 3]), [[1, 1]]),
            "The first dimension of paddings must be the rank of inputs[1,2] [2,3]",
        ),
        (
            lambda: tf.pad(tf.ones([2, 3]), [[2, 2], [0, 0]], "REFLECT"),
            "paddings must be less than the dimension size: 2, 2 not less than 2",
        ),
        (
            lambda: tf.pad(tf.ones([2, 3]), [[3, 2], [0, 0]], "SYMMETRIC"),
            "paddings must be no greater than the dimension size: 3, 2 greater than 2",
        ),
        (lambda: tf.pad(tf.ones([2, 3]), [[-1, 2], [0, 0]]), "Paddings must be non-negative: -1 2"),
        (lambda: tf.range(0, 5, 0), "Requires delta != 0: 0"),
        (lambda: tf.range(5, 0, 1), "Requires start <= limit when delta > 0: 5/0"),
        (
            lambda: tf.one_hot([0, 2], 3, axis=-2),
            "Expected axis to be -1 or between [0, 2).  But received: -2",
        ),
        (lambda: tf.one_hot([0, 2], -1), "depth must be non-negative, got: -1"),
        (
            lambda: tf.one_hot([0.0, 2.0], 3),
            "is not in the list of allowed values: uint8, int8, int32, int64",
        ),
        (
            lambda: tf.space_to_batch_nd(tf.ones([1, 2, 4, 1]), [3, 2], [[0, 0], [0, 0]]),
            "padded_shape[0]=2 is not divisible by block_shape[0]=3",
        ),
        (
            lambda: tf.batch_to_space(tf.ones([3, 1, 2, 1]), [2, 2], [[0, 0], [0, 0]]),
            "Input batch dimension (3) is not divisible by product of block sizes (4)",
        ),
        (
            lambda: space_ops.space_to_depth(tf.ones([1, 2, 4, 2]), 3),
            "Image width 4 and height 2 should be divisible by block_size: 3",
        ),
        (
            lambda: space_ops.depth_to_space(tf.ones([1, 1, 2, 8]), 3),
            "Input depth dimension 8 should be divisible by: 9",
        ),
        (
            lambda: tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([4, 2])),
            "Expected dimension 3 at axis 0 of the input shaped [4,2] but got dimension 4",
        ),
        (
            lambda: tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([1, 2])),
            "Expected dimension 3 at axis 0 of the input shaped [1,2] but got dimension 1",
        ),
        (lambda: tf.einsum("ijk->", tf.ones([2, 3])), "Expected input 0 to have rank 3 but got: 2"),
        (
            lambda: tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([3, 2], tf.float64)),
            "cannot compute Einsum as input #1(zero-based) was expected to be a float tensor but is "
            "a double tensor",
        ),
    ],
)
def test_invalid_argument_messages(call, match):
    _raises(IAE, match, call)


def test_python_level_errors():
    _raises(ValueError, "Received `mode` = foo", tf.pad, tf.ones([2]), [[1, 1]], "foo")
    _raises(
        ValueError,
        "Incompatible shapes for broadcasting",
        tf.broadcast_static_shape,
        tf.TensorShape([2, 2]),
        tf.TensorShape([3]),
    )
    _raises(
        ValueError,
        'Got 1 inputs for equation "ij,jk->ik", expecting 2',
        tf.einsum,
        "ij,jk->ik",
        tf.ones([2, 3]),
    )
    _raises(
        TypeError,
        "Invalid keyword arguments for einsum: foo",
        tf.einsum,
        "ij",
        tf.ones([2, 3]),
        foo=1,
    )
    _raises(ValueError, "must be either 'xy' or 'ij', got 'foo'", tf.meshgrid, [1], indexing="foo")
    _raises(TypeError, "'foo' is an invalid keyword argument", tf.meshgrid, [1], foo=1)
    _raises(
        TypeError,
        "of on_value does not match dtype parameter",
        tf.one_hot,
        [0],
        3,
        on_value=5.0,
        dtype=tf.int32,
    )
    _raises(
        TypeError, "of on_value does not match dtype", tf.one_hot, [0], 3, on_value=5, off_value=1.0
    )
    _raises(
        TypeError,
        "`t_list` should be a sequence of tensors",
        tf.clip_by_global_norm,
        tf.constant([3.0, 4.0]),
        1.0,
    )
    _raises(
        ValueError,
        "Dimensions 3 and 2 are not compatible",
        tf.repeat,
        [[1, 2], [3, 4]],
        [1, 2, 3],
        axis=0,
    )


# ------------------------------------------------------------------ dtypes and argument forms


@pytest.mark.parametrize(
    "args, kwargs, dtype, values",
    [
        ((5,), {}, tf.int32, [0, 1, 2, 3, 4]),
        ((1, 4.0), {}, tf.float32, [1, 2, 3]),
        ((np.int64(3),), {}, tf.int64, [0, 1, 2]),
        ((np.float64(2),), {}, tf.float64, [0, 1]),
        ((3,), {"dtype": tf.float64}, tf.float64, [0, 1, 2]),
        ((3,), {"dtype": "int64"}, tf.int64, [0, 1, 2]),
        ((tf.constant(3, tf.int64), 5), {}, tf.int64, [3, 4]),
        ((tf.constant(3, tf.int64), 5.0), {}, tf.float32, [3, 4]),
        ((5, 0, -2), {}, tf.int32, [5, 3, 1]),
        ((0.0, 1.0, 0.25), {}, tf.float32, [0, 0.25, 0.5, 0.75]),
    ],
)
def test_range_dtype_inference(args, kwargs, dtype, values):
    r = tf.range(*args, **kwargs)
    assert r.dtype == dtype
    np.testing.assert_allclose(r.numpy(), values)


def test_zeros_ones_argument_forms():
    z = tf.zeros(tf.TensorShape([2, 1]), "int32")
    assert z.dtype == tf.int32 and z.shape == [2, 1]
    assert tf.zeros(3).shape == [3]
    assert tf.zeros([]).shape == []
    assert tf.zeros(tf.constant([2]), tf.bool).numpy().tolist() == [False, False]
    assert tf.zeros([2], tf.string).numpy().tolist() == [b"", b""]
    assert tf.ones((2,), "float64").numpy().tolist() == [1.0, 1.0]
    _raises(TypeError, "Cannot convert 1 to EagerTensor of dtype string", tf.ones, [2], tf.string)
    o = tf.ones_like([1, 2], dtype="float32")
    assert o.dtype == tf.float32 and o.numpy().tolist() == [1.0, 1.0]
    z = tf.zeros_like([1.0, 2.0], dtype=tf.bool)
    assert z.dtype == tf.bool and z.numpy().tolist() == [False, False]
    assert tf.newaxis is None


def test_shape_queries_and_identity_n():
    assert tf.size([[1, 2], [3, 4]], out_type=tf.int64).dtype == tf.int64
    assert int(tf.rank(tf.ones([2, 3, 4]))) == 3
    a, b = tf.shape_n([[1, 2], 3], out_type=tf.int64)
    assert a.dtype == tf.int64 and a.numpy().tolist() == [2] and b.numpy().tolist() == []
    x, y = tf.identity_n([1, [2.0, 3.0]])
    assert x.dtype == tf.int32 and y.dtype == tf.float32
    assert tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([None, 3])) == [2, 3]
    s = tf.broadcast_dynamic_shape(tf.constant([2, 1], tf.int64), tf.constant([3], tf.int64))
    assert s.dtype == tf.int64 and s.numpy().tolist() == [2, 3]
    assert tf.ensure_shape(tf.ones([2, 3]), [None, 3]).shape == [2, 3]


def test_concat_and_split_forms():
    x = tf.ones([2, 3])
    assert tf.concat([x], 0).shape == [2, 3]
    assert tf.concat(x, 0).shape == [2, 3]
    assert tf.concat([[1, 2], [3]], 0).numpy().tolist() == [1, 2, 3]
    parts = tf.split(tf.ones([4, 3]), tf.constant([1, 3]), axis=-2)
    assert [p.shape.as_list() for p in parts] == [[1, 3], [3, 3]]
    parts = tf.split(tf.ones([4, 3]), 2, num=3)  # num is ignored for an integer split
    assert len(parts) == 2


def test_one_hot_defaults_and_dtypes():
    assert tf.one_hot([0, 2], 3).dtype == tf.float32
    assert tf.one_hot([0, 2], 3, dtype=tf.int64).dtype == tf.int64
    h = tf.one_hot([0, 2], 3, on_value=5, off_value=-1)
    assert h.dtype == tf.int32 and h.numpy().tolist() == [[5, -1, -1], [-1, -1, 5]]


def test_eye_linspace_sequence_mask():
    e = tf.eye(2, 3, batch_shape=tf.TensorShape([2]), dtype=tf.int32)
    assert e.shape == [2, 2, 3] and e.numpy()[1].tolist() == [[1, 0, 0], [0, 1, 0]]
    assert tf.eye(0).shape == [0, 0]
    lin = tf.linspace(0, 1, 3)
    assert lin.dtype == tf.float64 and lin.numpy().tolist() == [0.0, 0.5, 1.0]
    assert tf.linspace(0.0, 1.0, 0).shape == [0]
    m = tf.sequence_mask([], None)
    assert m.shape == [0, 0] and m.dtype == tf.bool
    m = tf.sequence_mask(tf.constant([1, 3], tf.int64), 4, dtype=tf.float32)
    assert m.numpy().tolist() == [[1, 0, 0, 0], [1, 1, 1, 0]]


def test_einsum_implicit_output_and_trace():
    x = tf.reshape(tf.range(6.0), [2, 3])
    np.testing.assert_array_equal(tf.einsum("ba", x).numpy(), np.einsum("ba", x.numpy()))
    assert float(tf.einsum("ii", tf.eye(3) * 2.0)) == 6.0
    ints = tf.einsum("ij,jk->ik", tf.ones([2, 3], tf.int32), tf.ones([3, 2], tf.int32))
    assert ints.dtype == tf.int32 and ints.numpy().tolist() == [[3, 3], [3, 3]]


# ------------------------------------------------------------------ gradients


def test_stop_gradient_blocks_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * tf.stop_gradient(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.0, 2.0])


def test_clip_by_value_gradient_goes_to_bounds():
    # TensorFlow: x -> [0, 1, 1, 0]; both bounds get 1 (ties go to x).
    x, lo, hi = tf.constant([1.0, 5.0, 7.0, 9.0]), tf.constant(5.0), tf.constant(7.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, lo, hi])
        y = tf.clip_by_value(x, lo, hi)
    gx, glo, ghi = tape.gradient(y, [x, lo, hi])
    assert gx.numpy().tolist() == [0.0, 1.0, 1.0, 0.0]
    assert float(glo) == 1.0 and float(ghi) == 1.0


def test_clip_by_global_norm_values_and_nan():
    out, norm = tf.clip_by_global_norm([tf.constant([3.0, 4.0]), None, tf.constant([12.0])], 1.0)
    assert out[1] is None and float(norm) == 13.0
    np.testing.assert_allclose(out[0].numpy(), [3 / 13, 4 / 13], rtol=1e-6)
    out, norm = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)
    assert np.isnan(out[0].numpy()).all()


def test_fill_gradient_sums_back():
    v = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(v)
        y = tf.reduce_sum(tf.fill([2, 3], v) * tf.reshape(tf.range(6.0), [2, 3]))
    assert float(tape.gradient(y, v)) == 15.0


class _Op:
    """Stands in for a recorded op, so a gradient function can run on traced placeholders."""

    def __init__(self, type_, inputs, **attrs):
        self.type, self.inputs, self._attrs = type_, list(inputs), attrs

    def get_attr(self, name):
        return self._attrs[name]


def _grad_traced_vs_eager(type_, inputs, dy, attrs, keep_static=()):
    fn = registry.gradient_function(type_)

    def grads(*args):
        *xs, g = args
        xs = [keep if i in keep_static else x for i, (x, keep) in enumerate(zip(xs, inputs))]
        return [r for r in fn(_Op(type_, xs, **attrs), g) if r is not None]

    eager = grads(*inputs, dy)
    traced = run_traced(grads, [*inputs, dy], unknown_dims=True)
    assert len(eager) == len(traced)
    for e, t in zip(eager, traced):
        np.testing.assert_allclose(np.asarray(t.numpy()), e.numpy(), rtol=1e-12)
    return eager


def test_gradients_with_run_time_shapes():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((2, 3)))
    # Tile: the multiples only known at run time.
    m = tf.constant([2, 1], tf.int32)
    g = _grad_traced_vs_eager("Tile", [x, m], tf.constant(rng.standard_normal((4, 3))), {})
    assert g[0].shape == [2, 3]
    # Pad: paddings only known at run time.
    p = tf.constant([[1, 0], [2, 1]], tf.int32)
    _grad_traced_vs_eager("Pad", [x, p], tf.constant(rng.standard_normal((3, 6))), {})
    # Transpose: the permutation only known at run time.
    perm = tf.constant([1, 0], tf.int32)
    _grad_traced_vs_eager("Transpose", [x, perm], tf.constant(rng.standard_normal((3, 2))), {})
    # ConcatV2 with inputs of unknown size along the axis.
    y = tf.constant(rng.standard_normal((2, 4)))
    axis = tf.constant(1, tf.int32)
    _grad_traced_vs_eager(
        "ConcatV2", [x, y, axis], tf.constant(rng.standard_normal((2, 7))), {}, keep_static=(2,)
    )
    # BroadcastTo and ExpandDims back to an input shape known only at run time.
    z = tf.constant(rng.standard_normal((3,)))
    _grad_traced_vs_eager(
        "BroadcastTo",
        [z, tf.constant([2, 3])],
        tf.constant(rng.standard_normal((2, 3))),
        {},
        keep_static=(1,),
    )
    _grad_traced_vs_eager(
        "ExpandDims",
        [z, tf.constant(0)],
        tf.constant(rng.standard_normal((1, 3))),
        {},
        keep_static=(1,),
    )


def test_traced_static_shapes_with_unknown_dims():
    from tensorflux._src.graph.trace import InputSpec, trace

    def shapes(fn, *specs):
        _, _, out = trace(fn, [InputSpec(s, tf.float32) for s in specs])
        return [
            o.shape.as_list() if o.shape.rank is not None else None
            for o in (out if isinstance(out, list) else [out])
        ]

    assert shapes(lambda a, b: tf.concat([a, b], 1), [None, 3], [2, None]) == [[2, None]]
    assert shapes(lambda a: tf.split(a, [1, -1], axis=1), [None, 4]) == [[None, 1], [None, 3]]
    assert shapes(lambda a: tf.tile(a, [2, 3]), [None, 2]) == [[None, 6]]
    assert shapes(lambda a: tf.pad(a, [[1, 1], [0, 2]]), [None, 2]) == [[None, 4]]
    assert shapes(lambda a: tf.transpose(a), [None, 2, 5]) == [[5, 2, None]]
    assert shapes(lambda a: tf.squeeze(a, [1]), [None, 1, 3]) == [[None, 3]]
    assert shapes(lambda a: tf.squeeze(a), [None, 1, 3]) == [None]
    assert shapes(lambda a: tf.expand_dims(a, -1), [None, 3]) == [[None, 3, 1]]
    assert shapes(lambda a: tf.one_hot(tf.cast(a, tf.int32), 4), [None, 2]) == [[None, 2, 4]]
    assert shapes(lambda a: tf.einsum("ij,jk->ik", a, a), [None, None]) == [[None, None]]
    assert shapes(lambda a: tf.broadcast_to(a, [4, 3]), [None]) == [[4, 3]]
    assert shapes(lambda a: tf.ensure_shape(a, [None, 3]), [2, None]) == [[2, 3]]
    assert shapes(lambda a: space_ops.space_to_depth(a, 2), [None, 4, 6, 3]) == [[None, 2, 3, 12]]
