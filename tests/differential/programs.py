"""Differential programs: small TF2 snippets whose printed output must match real TensorFlow.

Each program is a block of ``_SOURCE`` starting with a ``## name`` header line.  Programs run with
``tf`` (the backend under test), ``np`` (numpy) and ``show(x)`` (prints dtype, shape and values in
a line the test compares with a float tolerance) in scope.  Raw ``print(t)`` / ``repr(t)`` checks
printing exactly.  Programs are exec'd from strings, so TF's AutoGraph cannot read their source:
avoid Python control flow on tensors inside ``tf.function`` here.  Random values never match
TensorFlow bit for bit, so random programs print only shapes and dtypes.

``XFAIL`` (strict xfail) maps a program to the reason we deliberately differ from TF (a TF bug or
TF internals); ``KNOWN`` (non-strict xfail) lists gaps not fixed yet, each with its owner's area.
"""

import textwrap

_SOURCE = r'''
## print_float32_vector
print(tf.constant([1.0, 2.5, -3.0]))
## print_float32_scalar
print(tf.constant(3.5))
## repr_float32_scalar
print(repr(tf.constant(3.5)))
## repr_int32_vector
print(repr(tf.constant([1, 2, 3])))
## print_int64
print(tf.constant([1, 2], dtype=tf.int64))
## print_float64_matrix
print(tf.constant([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float64))
## print_bool
print(tf.constant([True, False, True]))
## repr_bool_scalar
print(repr(tf.constant(False)))
## print_string_scalar
print(tf.constant("hello"))
## print_string_vector
print(tf.constant(["a", "bc", ""]))
## repr_string
print(repr(tf.constant([b"x\x00y", b"z"])))
## print_float16
print(tf.constant([0.1, 1.5, 65504.0], dtype=tf.float16))
## print_bfloat16
print(tf.constant([0.1, 1.5, 3.0], dtype=tf.bfloat16))
## repr_bfloat16_scalar
print(repr(tf.constant(2.5, dtype=tf.bfloat16)))
## print_complex64
print(tf.constant([1 + 2j, -3j]))
## print_complex128
print(tf.constant([1 + 2j], dtype=tf.complex128))
## print_uint8
print(tf.constant([0, 255], dtype=tf.uint8))
## print_int8_int16
print(tf.constant([-128, 127], dtype=tf.int8))
print(tf.constant([-5, 7], dtype=tf.int16))
## print_uint16_uint32_uint64
print(tf.constant([1, 2], dtype=tf.uint16))
print(tf.constant([1, 2], dtype=tf.uint32))
print(tf.constant([1, 2], dtype=tf.uint64))
## print_empty
print(tf.constant([]))
print(repr(tf.zeros([0, 3])))
## print_empty_int
print(tf.constant([], dtype=tf.int32))
print(tf.constant([[]], dtype=tf.int64))
print(tf.constant([], dtype=tf.bool), tf.constant([], dtype=tf.string))
## print_empty_float_dtypes
print(tf.constant([], dtype=tf.float16), tf.constant([], dtype=tf.complex64))
## fill_negative_dims
tf.fill([2, -3], 1)
## ones_negative_dims
tf.ones([-1])
## print_large_summarised
print(tf.range(2000))
## print_large_float_summarised
print(tf.reshape(tf.range(3000, dtype=tf.float32), [3, 1000]))
## print_3d
print(tf.reshape(tf.range(24), [2, 3, 4]))
## print_float_precision
print(tf.constant([1e-8, 1.0, 1e8]))
print(tf.constant([0.123456789, 2.0]))
## print_nan_inf
print(tf.constant([float("nan"), float("inf"), -float("inf"), 1.0]))
## str_and_shape_attrs
t = tf.constant([[1, 2, 3]])
print(t.shape, t.dtype, t.ndim)
print(str(t.shape), repr(t.shape), repr(t.dtype))
## numpy_roundtrip
t = tf.constant([1.5, 2.5])
a = t.numpy()
print(type(a).__name__, a.dtype, a)
## dtype_infer_python_int
print(tf.constant(1).dtype, tf.constant([1, 2]).dtype)
## dtype_infer_python_float
print(tf.constant(1.0).dtype, tf.constant([1.0, 2]).dtype)
## dtype_infer_bool
print(tf.constant(True).dtype, tf.constant([True, False]).dtype)
## dtype_infer_mixed_list
print(tf.constant([1, 2.5]).dtype)
## dtype_infer_big_int
print(tf.constant(2**31).dtype)
print(tf.constant([1, 2**40]).dtype)
## dtype_infer_too_big_int
print(tf.constant(2**63))
## dtype_infer_complex
print(tf.constant(1j).dtype)
## dtype_infer_string
print(tf.constant("a").dtype, tf.constant(b"a").dtype)
## dtype_infer_numpy
print(tf.constant(np.array([1, 2])).dtype)
print(tf.constant(np.array([1.0, 2.0])).dtype)
print(tf.constant(np.float32(2)).dtype)
print(tf.constant(np.array([1, 2], dtype=np.uint8)).dtype)
## dtype_infer_convert_to_tensor
print(tf.convert_to_tensor(3).dtype, tf.convert_to_tensor(3.0).dtype)
print(tf.convert_to_tensor([1, 2], dtype=tf.float32))
print(tf.convert_to_tensor(np.int64(5)).dtype)
## constant_with_dtype_cast
print(tf.constant([1, 2], dtype=tf.float64))
print(tf.constant(1.0, dtype=tf.int32))
## constant_bad_cast
print(tf.constant(1.5, dtype=tf.int32))
## constant_shape_broadcast
print(tf.constant(7, shape=[2, 3]))
print(tf.constant([1, 2], shape=[2, 1]))
## convert_to_tensor_bad_dtype
tf.convert_to_tensor(1.5, dtype=tf.int32)
## constant_ragged_list
tf.constant([[1, 2], [3]])
## nested_tuple_constant
print(tf.constant(((1, 2), (3, 4))))
## op_tensor_plus_int
print(tf.constant([1, 2]) + 1)
## op_int_plus_tensor
print(1 + tf.constant([1, 2]))
## op_float_tensor_times_int
print(tf.constant([1.5, 2.0]) * 2)
## op_int_tensor_times_float
tf.constant([1, 2]) * 2.5
## op_rsub_rdiv
x = tf.constant([2.0, 4.0])
print(10 - x, 8 / x, 2 ** x)
## op_int_truediv
print(tf.constant([1, 2, 3]) / tf.constant([2, 2, 2]))
print(tf.constant([1, 2, 3]) / 2)
## op_floordiv_mod
a = tf.constant([-7, 7, -7, 7])
b = tf.constant([2, 2, -2, -2])
print(a // b, a % b)
## op_float_floordiv_mod
a = tf.constant([-7.5, 7.5])
print(a // 2.0, a % 2.0)
## op_pow_int
print(tf.constant([2, 3]) ** 2)
## op_neg_abs_invert
print(-tf.constant([1, -2]), abs(tf.constant([-1.5, 2.0])), ~tf.constant([True, False]))
## op_comparisons
x = tf.constant([1, 2, 3])
print(x < 2, x >= 2, x == 2, x != 2)
## op_bool_logic
a = tf.constant([True, False])
b = tf.constant([True, True])
print(a & b, a | b, a ^ b)
## op_matmul_operator
a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
print(a @ a)
## op_dtype_mismatch
tf.constant([1, 2]) + tf.constant([1.0, 2.0])
## op_int32_int64_mismatch
tf.constant([1], dtype=tf.int32) + tf.constant([1], dtype=tf.int64)
## op_numpy_on_right
print(tf.constant([1.0, 2.0]) + np.array([1.0, 2.0]))
## op_numpy_int_on_float_tensor
print(tf.constant([1.0, 2.0]) + np.array([1, 2]))
## op_numpy_float_on_int_tensor
print(tf.constant([1, 2]) + np.array([1.5, 2.0]))
## op_numpy_wraps_to_uint8
print(tf.constant([1, 2], tf.uint8) + np.array([1, 300]))
## op_numpy_float64_on_float16
print(tf.constant([1.0, 2.0], tf.float16) + np.array([1.0, 2.0]))
## tf_add_numpy_second
print(tf.add(tf.constant([1.0, 2.0]), np.array([1.0, 2.0])))
## tf_add_python_float_first
tf.add(2.5, tf.constant([1, 2]))
## op_python_float_list_on_int_tensor
tf.constant([1, 2]) + [1.5, 2]
## op_bool_tensor_and_int
tf.constant([True]) & 1
## op_string_plus_int
tf.constant(["a"]) + 1
## op_float_plus_string
tf.constant([1.0]) + "a"
## op_numpy_scalars
print(tf.constant([1.0, 2.0]) + np.float64(1.5), tf.constant([1, 2]) + np.int64(3))
## op_big_python_int_wraps
print(tf.constant([1, 2]) + 2**40)
## op_numpy_on_left
r = np.array([1.0, 2.0], dtype=np.float32) + tf.constant([1.0, 2.0])
print(type(r).__name__, r)
## op_incompatible_shapes
tf.constant([1, 2]) + tf.constant([1, 2, 3])
## broadcast_add
print(tf.constant([[1], [2]]) + tf.constant([10, 20, 30]))
## broadcast_to
print(tf.broadcast_to(tf.constant([1, 2]), [3, 2]))
## broadcast_to_bad
tf.broadcast_to(tf.constant([1, 2, 3]), [2, 2])
## broadcast_static_shape
print(tf.broadcast_static_shape(tf.TensorShape([2, 1]), tf.TensorShape([3])))
print(tf.broadcast_dynamic_shape([2, 1], [1, 4]))
## bool_of_tensor
print(bool(tf.constant(1)), bool(tf.constant([True])))
## bool_of_multi_tensor
bool(tf.constant([1, 2]))
## int_float_of_tensor
print(int(tf.constant(3)), float(tf.constant(2.5)), int(tf.constant(3.9)))
## len_of_tensor
print(len(tf.constant([[1, 2], [3, 4], [5, 6]])))
## len_of_scalar
len(tf.constant(1))
## iterate_tensor
for row in tf.constant([[1, 2], [3, 4]]):
    print(row)
## tensor_index_basic
x = tf.reshape(tf.range(12), [3, 4])
print(x[1], x[:, 2], x[1:, ::2], x[-1, -1])
## tensor_index_newaxis_ellipsis
x = tf.reshape(tf.range(12), [3, 4])
print(x[..., tf.newaxis].shape, x[None, 0].shape)
## tensor_index_out_of_range
x = tf.constant([1, 2, 3])
x[5]
## reshape_ok
print(tf.reshape(tf.range(6), [2, -1]))
## reshape_bad
tf.reshape(tf.range(6), [4, 2])
## reshape_bad_infer
tf.reshape(tf.range(7), [2, -1])
## reduce_sum_bad_axis
tf.reduce_sum(tf.ones([2, 3]), axis=2)
## reduce_sum_axes
x = tf.reshape(tf.range(6, dtype=tf.float32), [2, 3])
show(tf.reduce_sum(x))
show(tf.reduce_sum(x, axis=0))
show(tf.reduce_sum(x, axis=-1, keepdims=True))
## reduce_mean_int
print(tf.reduce_mean(tf.constant([1, 2])))
## reduce_ops_sweep
x = tf.constant([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
for f in [tf.reduce_max, tf.reduce_min, tf.reduce_prod, tf.reduce_mean, tf.math.reduce_std,
          tf.math.reduce_variance, tf.reduce_logsumexp]:
    show(f(x, axis=1))
## reduce_any_all
b = tf.constant([[True, False], [True, True]])
print(tf.reduce_any(b, 1), tf.reduce_all(b, 0), tf.reduce_all(b))
## argmax_argmin
x = tf.constant([[1, 5, 3], [7, 2, 9]])
print(tf.argmax(x), tf.argmax(x, axis=1), tf.argmin(x, 1, output_type=tf.int32))
## reduce_empty
print(tf.reduce_sum(tf.zeros([0])), tf.reduce_max(tf.zeros([0])), tf.reduce_prod(tf.zeros([0])))
## gather_ok
print(tf.gather(tf.constant([10, 20, 30]), [2, 0]))
print(tf.gather(tf.reshape(tf.range(6), [2, 3]), [1], axis=1))
## gather_out_of_range
tf.gather(tf.constant([10, 20, 30]), [5])
## gather_nd
print(tf.gather_nd(tf.reshape(tf.range(6), [2, 3]), [[0, 1], [1, 2]]))
## gather_batch_dims
p = tf.reshape(tf.range(12), [2, 2, 3])
print(tf.gather(p, [[0, 2], [1, 1]], axis=2, batch_dims=1))
## matrix_inverse_singular
tf.linalg.inv(tf.constant([[1.0, 2.0], [2.0, 4.0]]))
## matrix_inverse_ok
show(tf.linalg.inv(tf.constant([[4.0, 7.0], [2.0, 6.0]])))
## unsupported_dtype_sin
tf.sin(tf.constant([1, 2]))
## unsupported_dtype_matmul_bool
tf.matmul(tf.constant([[True]]), tf.constant([[True]]))
## matmul_shape_mismatch
tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))
## concat_rank_mismatch
tf.concat([tf.ones([2]), tf.ones([2, 2])], 0)
## concat_stack
a = tf.constant([[1, 2]])
print(tf.concat([a, a], 0), tf.concat([a, a], axis=-1), tf.stack([a, a], axis=1))
## unstack_split
x = tf.reshape(tf.range(6), [3, 2])
print(tf.unstack(x))
print(tf.split(x, 3))
print(tf.split(tf.range(5), [2, 3]))
## split_uneven
tf.split(tf.range(5), 2)
## transpose_perm
x = tf.reshape(tf.range(6), [1, 2, 3])
print(tf.transpose(x).shape, tf.transpose(x, [0, 2, 1]))
## expand_squeeze
x = tf.ones([1, 3, 1])
print(tf.squeeze(x).shape, tf.squeeze(x, [0]).shape, tf.expand_dims(x, -1).shape)
## squeeze_bad
tf.squeeze(tf.ones([2, 3]), [0])
## tile_pad
x = tf.constant([[1, 2]])
print(tf.tile(x, [2, 2]))
print(tf.pad(x, [[1, 0], [0, 2]]))
print(tf.pad(x, [[0, 0], [1, 1]], mode="REFLECT"))
## where_and_boolean_mask
x = tf.constant([1, -2, 3, -4])
print(tf.where(x > 0))
print(tf.where(x > 0, x, -x))
print(tf.boolean_mask(x, x > 0))
## one_hot
print(tf.one_hot([0, 2, -1], 3))
print(tf.one_hot([1], 2, on_value=5, off_value=0))
## fill_zeros_ones_like
print(tf.fill([2, 2], 7), tf.zeros_like(tf.constant([1.5])), tf.ones([2], tf.int8))
## range_variants
print(tf.range(5), tf.range(1, 10, 3), tf.range(0.0, 1.0, 0.25), tf.range(5, dtype=tf.float64))
## linspace
show(tf.linspace(0.0, 1.0, 5))
## cast_sweep
x = tf.constant([-1.7, 0.5, 2.5, 300.0])
print(tf.cast(x, tf.int32), tf.cast(x, tf.bool), tf.cast(x, tf.float16))
print(tf.cast(tf.constant([1, 0, 2]), tf.bool), tf.cast(tf.constant([True]), tf.float32))
## cast_uint8_wrap
print(tf.cast(tf.constant([256, -1]), tf.uint8))
## cast_complex
print(tf.cast(tf.constant([1 + 2j]), tf.float32))
## math_unary_sweep
x = tf.constant([0.25, 0.5, 1.0, 2.0])
for f in [tf.exp, tf.math.log, tf.sqrt, tf.math.rsqrt, tf.sin, tf.cos, tf.tanh, tf.sigmoid,
          tf.math.log1p, tf.math.expm1, tf.math.erf, tf.math.lgamma, tf.math.softplus,
          tf.square, tf.math.reciprocal, tf.math.atan, tf.math.asinh]:
    show(f(x))
## math_round_family
x = tf.constant([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.7])
print(tf.round(x), tf.floor(x), tf.math.ceil(x), tf.math.rint(x), tf.sign(x))
## math_binary_sweep
a = tf.constant([1.0, -2.0, 3.0])
b = tf.constant([2.0, 3.0, -1.0])
for f in [tf.add, tf.subtract, tf.multiply, tf.divide, tf.maximum, tf.minimum, tf.pow,
          tf.math.squared_difference, tf.math.floormod, tf.math.floordiv, tf.math.atan2,
          tf.math.divide_no_nan, tf.math.xdivy, tf.truncatediv, tf.truncatemod]:
    show(f(a, b))
## math_int_div_by_zero
print(tf.math.floordiv(tf.constant([1]), tf.constant([0])))
## math_divide_no_nan
print(tf.math.divide_no_nan(tf.constant([1.0, 2.0]), tf.constant([0.0, 4.0])))
## math_add_n_accumulate
print(tf.add_n([tf.constant([1, 2]), tf.constant([3, 4]), tf.constant([5, 6])]))
## math_cumsum_cumprod
x = tf.constant([1, 2, 3, 4])
print(tf.cumsum(x), tf.cumsum(x, exclusive=True), tf.cumsum(x, reverse=True), tf.math.cumprod(x))
## math_is_finite
x = tf.constant([1.0, float("nan"), float("inf")])
print(tf.math.is_nan(x), tf.math.is_inf(x), tf.math.is_finite(x))
## math_clip
print(tf.clip_by_value(tf.constant([-5, 0, 5]), -2, 3))
show(tf.clip_by_norm(tf.constant([3.0, 4.0]), 1.0))
## math_complex_ops
z = tf.constant([3 + 4j, -1j])
print(tf.abs(z), tf.math.real(z), tf.math.imag(z), tf.math.conj(z))
show(tf.math.angle(z))
## math_complex_constructor
print(tf.complex(tf.constant([1.0]), tf.constant([2.0])))
## math_top_k
v, i = tf.math.top_k(tf.constant([1, 9, 3, 7]), k=2)
print(v, i)
## math_sort_argsort
x = tf.constant([3, 1, 2])
print(tf.sort(x), tf.sort(x, direction="DESCENDING"), tf.argsort(x))
## math_unique
y, idx = tf.unique(tf.constant([1, 1, 2, 4, 4, 4, 7, 8, 8]))
print(y, idx)
## math_segment_sum
print(tf.math.segment_sum(tf.constant([1, 2, 3, 4]), tf.constant([0, 0, 1, 1])))
print(tf.math.unsorted_segment_sum(tf.constant([1, 2, 3]), tf.constant([1, 0, 1]), 3))
## math_bincount_count
print(tf.math.bincount(tf.constant([1, 1, 3])))
print(tf.math.count_nonzero(tf.constant([0, 1, 2])))
## math_in_top_k_equal
print(tf.equal(tf.constant([1, 2]), 2), tf.math.logical_not(tf.constant([True])))
## math_l2_normalize
show(tf.math.l2_normalize(tf.constant([3.0, 4.0])))
show(tf.math.l2_normalize(tf.constant([[3.0, 4.0], [0.0, 0.0]]), axis=1))
## nn_softmax
show(tf.nn.softmax(tf.constant([1.0, 2.0, 3.0])))
show(tf.nn.log_softmax(tf.constant([1.0, 2.0, 3.0])))
## nn_activations
x = tf.constant([-2.0, -0.5, 0.0, 0.5, 2.0])
for f in [tf.nn.relu, tf.nn.relu6, tf.nn.elu, tf.nn.selu, tf.nn.gelu, tf.nn.silu,
          tf.nn.leaky_relu, tf.nn.softsign]:
    show(f(x))
## nn_sparse_xent
show(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1],
                                                     logits=[[2.0, 1.0], [0.5, 0.5]]))
## linalg_matmul_variants
a = tf.reshape(tf.range(6, dtype=tf.float32), [2, 3])
show(tf.matmul(a, a, transpose_b=True))
show(tf.matmul(a, a, transpose_a=True))
show(tf.linalg.matvec(a, tf.constant([1.0, 1.0, 1.0])))
## linalg_det_trace_diag
m = tf.constant([[2.0, 1.0], [1.0, 3.0]])
show(tf.linalg.det(m))
show(tf.linalg.trace(m))
print(tf.linalg.diag_part(m), tf.linalg.diag(tf.constant([1, 2])))
## linalg_eye_band
print(tf.eye(2, 3), tf.linalg.band_part(tf.ones([3, 3]), 0, 1))
## linalg_cholesky_solve
m = tf.constant([[4.0, 2.0], [2.0, 3.0]])
show(tf.linalg.cholesky(m))
show(tf.linalg.solve(m, tf.constant([[1.0], [2.0]])))
## linalg_norm
x = tf.constant([[3.0, 4.0], [0.0, 0.0]])
show(tf.norm(x))
show(tf.norm(x, axis=1))
show(tf.norm(x, ord=1, axis=1))
## linalg_einsum_tensordot
a = tf.reshape(tf.range(6.0), [2, 3])
show(tf.einsum("ij,kj->ik", a, a))
show(tf.tensordot(a, a, axes=[[1], [1]]))
## linalg_eigh_svd_values
m = tf.constant([[2.0, 0.0], [0.0, 1.0]])
e, _ = tf.linalg.eigh(m)
show(e)
show(tf.linalg.svd(m, compute_uv=False))
## linalg_qr_shapes
q, r = tf.linalg.qr(tf.ones([4, 3]))
print(q.shape, r.shape)
## linalg_cholesky_not_pd
tf.linalg.cholesky(tf.constant([[1.0, 2.0], [2.0, 1.0]]))
## random_uniform_shape
tf.random.set_seed(1)
x = tf.random.uniform([2, 3])
print(x.shape, x.dtype, bool(tf.reduce_all((x >= 0) & (x < 1))))
## random_normal_shape_dtype
x = tf.random.normal([4], dtype=tf.float64, seed=3)
print(x.shape, x.dtype)
## random_uniform_int
x = tf.random.uniform([5], minval=0, maxval=10, dtype=tf.int32, seed=1)
print(x.dtype, x.shape, bool(tf.reduce_all((x >= 0) & (x < 10))))
## random_uniform_int_no_maxval
tf.random.uniform([2], dtype=tf.int32)
## random_shuffle_categorical_shapes
print(tf.random.shuffle(tf.range(5)).shape)
c = tf.random.categorical(tf.math.log([[0.5, 0.5]]), 4)
print(c.shape, c.dtype)
## random_stateless_shapes
x = tf.random.stateless_uniform([3], seed=[1, 2])
print(x.shape, x.dtype)
## random_generator_shapes
g = tf.random.Generator.from_seed(1)
print(g.normal([2, 2]).shape, g.uniform([3], dtype=tf.float64).dtype)
## nest_flatten_dict_order
print(tf.nest.flatten({"b": 1, "a": 2, "c": {"z": 3, "y": 4}}))
## nest_flatten_mixed
print(tf.nest.flatten([1, (2, [3, {"k": 4}]), None]))
## nest_map_structure
print(tf.nest.map_structure(lambda x: x * 2, {"a": [1, 2], "b": (3,)}))
## nest_pack_sequence_as
print(tf.nest.pack_sequence_as({"b": [0, 0], "a": 0}, [1, 2, 3]))
## nest_assert_same_structure_fail
tf.nest.assert_same_structure([1, 2], [1, [2]])
## nest_map_structure_mismatch
tf.nest.map_structure(lambda a, b: a + b, [1, 2], [1, 2, 3])
## nest_is_nested
print(tf.nest.is_nested([1]), tf.nest.is_nested(1), tf.nest.is_nested({"a": 1}))
## nest_namedtuple
import collections
P = collections.namedtuple("P", ["y", "x"])
print(tf.nest.flatten(P(y=1, x=2)))
print(tf.nest.map_structure(lambda v: v + 1, P(1, 2)))
## tensorshape_basics
s = tf.TensorShape([2, None, 3])
print(s, repr(s), s.rank, s.as_list(), s[1], s[1:], s.is_fully_defined())
## tensorshape_unknown
s = tf.TensorShape(None)
print(s, repr(s), s.rank)
## tensorshape_merge_compat
a = tf.TensorShape([2, None])
b = tf.TensorShape([None, 3])
print(a.merge_with(b), a.is_compatible_with(b), a.concatenate([4]))
## tensorshape_merge_fail
tf.TensorShape([2]).merge_with(tf.TensorShape([3]))
## tensorshape_equality
print(tf.TensorShape([1, 2]) == [1, 2], tf.TensorShape([1, None]) == tf.TensorShape([1, None]))
print(tf.TensorShape([]).num_elements(), tf.TensorShape([2, 3]).num_elements())
## tensorshape_as_list_unknown
tf.TensorShape(None).as_list()
## dimension_repr
d = tf.TensorShape([5, None]).dims
print(d, [type(x).__name__ for x in d])
## dtype_attrs
for d in [tf.float32, tf.int8, tf.uint16, tf.bool, tf.string, tf.complex64, tf.bfloat16]:
    print(d, repr(d), d.name, d.is_floating, d.is_integer, d.is_complex, d.size)
## dtype_min_max
for d in [tf.int8, tf.uint8, tf.float16, tf.bfloat16, tf.int32]:
    print(d.min, d.max)
## dtype_as_dtype
print(tf.as_dtype("float32"), tf.as_dtype(np.int64), tf.as_dtype(np.dtype("bool")))
print(tf.float32 == np.float32, tf.float32 == "float32", tf.float32.as_numpy_dtype)
## dtype_base_real
print(tf.complex128.real_dtype, tf.float32.real_dtype, tf.float32.base_dtype)
## dtype_as_dtype_bad
tf.as_dtype("foo")
## variable_repr
v = tf.Variable([1.0, 2.0], name="w")
print(repr(v))
## variable_print
print(tf.Variable(3))
## variable_attrs
v = tf.Variable([[1, 2]], name="x")
print(v.name, v.dtype, v.shape, v.trainable)
v2 = tf.Variable(1.0, trainable=False)
print(v2.name, v2.trainable)
## variable_assign
v = tf.Variable([1.0, 2.0])
v.assign([3.0, 4.0])
v.assign_add([1.0, 1.0])
v.assign_sub([0.5, 0.5])
print(v.numpy())
## variable_assign_bad_shape
v = tf.Variable([1.0, 2.0])
v.assign([1.0, 2.0, 3.0])
## variable_ops
v = tf.Variable([1, 2])
print(v + 1, v * v, tf.reduce_sum(v), v[0])
## variable_dtype_cast
v = tf.Variable(1, dtype=tf.float32)
print(repr(v))
## tape_first_order
x = tf.constant(3.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
show(g.gradient(y, x))
## tape_variable
v = tf.Variable([1.0, 2.0])
with tf.GradientTape() as g:
    y = tf.reduce_sum(v ** 3)
show(g.gradient(y, v))
## tape_second_order
x = tf.constant(2.0)
with tf.GradientTape() as g2:
    g2.watch(x)
    with tf.GradientTape() as g1:
        g1.watch(x)
        y = x ** 3
    dy = g1.gradient(y, x)
show(dy)
show(g2.gradient(dy, x))
## tape_persistent
x = tf.constant([1.0, 2.0])
with tf.GradientTape(persistent=True) as g:
    g.watch(x)
    y = tf.reduce_sum(x * x)
    z = tf.reduce_sum(tf.sin(x))
show(g.gradient(y, x))
show(g.gradient(z, x))
## tape_non_persistent_twice
x = tf.constant(1.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
g.gradient(y, x)
g.gradient(y, x)
## tape_unconnected
x = tf.constant(1.0)
z = tf.constant(2.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * 2
print(g.gradient(y, z))
print(g.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO) if False else "-")
## tape_unconnected_zero
x = tf.constant([1.0, 2.0])
z = tf.constant([2.0, 3.0])
with tf.GradientTape() as g:
    g.watch([x, z])
    y = tf.reduce_sum(x)
show(g.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO))
## tape_int_not_watched
x = tf.constant(2)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
print(g.gradient(y, x))
## tape_jacobian
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
show(g.jacobian(y, x))
## tape_batch_jacobian
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
show(g.batch_jacobian(y, x))
## tape_structured_sources
a = tf.Variable(1.0)
b = tf.Variable(2.0)
with tf.GradientTape() as g:
    y = a * b + a
grads = g.gradient(y, {"a": a, "b": [b]})
print(sorted(grads), [float(grads["a"]), float(grads["b"][0])])
## tape_output_gradients
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = x * 3
show(g.gradient(y, x, output_gradients=tf.constant([1.0, 10.0])))
## tape_matmul_grad
a = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as g:
    y = tf.reduce_sum(tf.matmul(a, a))
show(g.gradient(y, a))
## tape_reduce_and_broadcast_grad
x = tf.Variable([1.0, 2.0, 3.0])
b = tf.Variable(1.0)
with tf.GradientTape() as g:
    e = tf.exp(x + b)
    y = tf.reduce_mean(e / tf.reduce_sum(e) * tf.constant([1.0, 2.0, 3.0]))
gx, gb = g.gradient(y, [x, b])
show(gx)
show(gb)
## tape_gather_grad_indexed_slices
v = tf.Variable([1.0, 2.0, 3.0])
with tf.GradientTape() as g:
    y = tf.reduce_sum(tf.gather(v, [0, 0, 2]))
gr = g.gradient(y, v)
print(type(gr).__name__)
show(tf.convert_to_tensor(gr))
## tape_stop_gradient
x = tf.constant(2.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * tf.stop_gradient(x)
show(g.gradient(y, x))
## tape_watched_variables
a = tf.Variable(1.0, name="a")
b = tf.Variable(2.0, name="b", trainable=False)
with tf.GradientTape() as g:
    y = a * b
print([v.name for v in g.watched_variables()])
## tape_watch_accessed_false
a = tf.Variable(1.0)
with tf.GradientTape(watch_accessed_variables=False) as g:
    y = a * 2
print(g.gradient(y, a))
## module_variable_order
class M(tf.Module):
    def __init__(self):
        super().__init__(name="m")
        self.z = tf.Variable(1.0, name="z")
        self.a = tf.Variable(2.0, name="a")
        self.sub = tf.Module(name="sub")
        self.sub.w = tf.Variable(3.0, name="w", trainable=False)
        self.lst = [tf.Variable(4.0, name="l0"), tf.Variable(5.0, name="l1")]
m = M()
print([v.name for v in m.variables])
print([v.name for v in m.trainable_variables])
print([s.name for s in m.submodules])
print(m.name, m.name_scope.name)
## module_dict_attr
class N(tf.Module):
    def __init__(self):
        super().__init__()
        self.d = {"b": tf.Variable(1.0, name="vb"), "a": tf.Variable(2.0, name="va")}
print([v.name for v in N().variables], N().name)
## module_name_bad
tf.Module(name="bad name")
## function_basic
@tf.function
def f(x):
    return x * 2 + 1
print(f(tf.constant([1, 2])))
print(f(tf.constant(3.0)))
## function_python_arg
@tf.function
def f(x, n):
    return x ** n
print(f(tf.constant(2.0), 3))
## identity_and_shape_size
x = tf.ones([2, 3])
print(tf.shape(x), tf.size(x), tf.rank(x), tf.identity(tf.constant([1])))
print(tf.shape(x, out_type=tf.int64))
## strings_basic
s = tf.constant(["Hello", "World"])
print(tf.strings.length(s), tf.strings.upper(s))
## sequence_mask_reverse
print(tf.sequence_mask([1, 3], 4))
print(tf.reverse(tf.constant([[1, 2], [3, 4]]), [1]))
## scatter_nd_update
print(tf.scatter_nd([[1], [3]], tf.constant([9, 8]), [5]))
print(tf.tensor_scatter_nd_update(tf.zeros([4], tf.int32), [[0], [2]], [5, 6]))
## meshgrid_roll
a, b = tf.meshgrid(tf.constant([1, 2]), tf.constant([3, 4, 5]))
print(a, b)
print(tf.roll(tf.range(5), 2, 0))
## zeros_bad_shape
tf.zeros([-1, 2])
## math_string_add
print(tf.constant("a") + tf.constant("b"))
## equal_different_dtypes
print(tf.constant(1) == tf.constant(1.0))
## tensor_hash
hash(tf.constant(1))
## tensor_numpy_methods
x = tf.constant([[1, 2], [3, 4]])
print(x.get_shape(), x.device.endswith("CPU:0"), np.array(x).sum())
## tensor_setitem
x = tf.constant([1, 2])
x[0] = 5
## eager_executing
print(tf.executing_eagerly())
## custom_gradient
@tf.custom_gradient
def clip_grad(x):
    def grad(dy):
        return tf.clip_by_value(dy, -0.5, 0.5)
    return tf.identity(x), grad
x = tf.constant(1.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = clip_grad(x) * 3.0
show(g.gradient(y, x))
## print_1001_elements
print(tf.range(1001))
print(tf.range(1000))
## print_float_mixed_magnitudes
print(tf.constant([1.5, 100000.0, 0.001]))
print(tf.constant([1e10, 1.0]))
print(tf.constant([-0.0, 0.0, 1.0]))
## print_float_integral_values
print(tf.constant([1.0, 2.0, 3.0]), tf.constant([[1.0], [2.0]]))
## print_float64_precision
print(tf.constant([1 / 3], dtype=tf.float64))
print(tf.constant(1 / 3, dtype=tf.float64))
## print_bfloat16_matrix
print(tf.constant([[1.0, 2.5], [-3.0, 0.125]], dtype=tf.bfloat16))
## print_float16_scalar_repr
print(repr(tf.constant(0.1, dtype=tf.float16)))
## print_complex_scalar
print(tf.constant(1 + 2j), repr(tf.constant(-1.5j, dtype=tf.complex128)))
## print_unicode_string
print(tf.constant("héllo"))
print(repr(tf.constant(["ü", "a"])))
## print_large_2d_summary
print(tf.zeros([1001, 2], dtype=tf.int32))
## repr_large
print(repr(tf.range(1500)))
## repr_matrix_float
print(repr(tf.constant([[1.5, 2.0], [3.25, -4.0]])))
## repr_empty_2d
print(repr(tf.zeros([2, 0], dtype=tf.int64)))
## print_int_negative_alignment
print(tf.constant([[-1, 20], [300, -4000]]))
## print_bool_matrix
print(tf.constant([[True, False], [False, True]]))
## print_uint8_matrix_repr
print(repr(tf.constant([[1, 2], [3, 4]], dtype=tf.uint8)))
## format_tensor_fstring
t = tf.constant([1, 2])
print(f"{t}")
print("%s" % tf.constant(3.0))
## format_spec_scalar
print(format(tf.constant(3.14159), ".2f"))
## tensorshape_with_rank
print(tf.TensorShape([None, 3]).with_rank(2))
tf.TensorShape([1, 2]).with_rank(3)
## tensorshape_most_specific
a = tf.TensorShape([2, 3])
b = tf.TensorShape([2, 4])
print(a.most_specific_compatible_shape(b))
## tensorshape_iter_and_len
s = tf.TensorShape([4, None, 2])
print(len(s), list(s), s[-1], s.as_list())
## tensorshape_unknown_len
len(tf.TensorShape(None))
## tensorshape_from_tensor_shape
print(tf.ones([2, 3]).shape + [4], tf.TensorShape([1]) + tf.TensorShape([2]))
## tensorshape_bool
print(bool(tf.TensorShape([])), bool(tf.TensorShape([0])), bool(tf.TensorShape(None)))
## tensorshape_compat_checks
print(tf.TensorShape([1, None]).is_compatible_with([1, 5]))
print(tf.TensorShape([1, 2]).is_compatible_with([1, 5]))
tf.TensorShape([1, 2]).assert_is_compatible_with([1, 5])
## dtype_equality_and_hash
print(tf.float32 == tf.dtypes.float32, tf.int32 != tf.int64, len({tf.float32, tf.float32}))
print(tf.dtypes.as_dtype(tf.float64) is tf.float64)
## dtype_is_compatible
print(tf.float32.is_compatible_with(tf.float32), tf.float32.is_compatible_with(tf.int32))
## dtype_limits_float32
print(tf.float32.min, tf.float32.max, tf.float64.max)
## dtype_unsigned_quantized
print(tf.uint8.is_unsigned, tf.int8.is_unsigned, tf.bool.is_bool, tf.string.is_numpy_compatible)
## variable_repr_int_bool
print(repr(tf.Variable([1, 2])))
print(repr(tf.Variable(True)))
## variable_repr_matrix
print(repr(tf.Variable([[1.5, 2.0], [3.0, 4.0]], name="m")))
## variable_str
print(str(tf.Variable([1.0])))
## variable_names_uniquified
a = tf.Variable(1.0, name="dup")
b = tf.Variable(1.0, name="dup")
print(a.name, b.name)
## variable_no_name
print(tf.Variable(1.0).name)
## variable_assign_dtype_mismatch
v = tf.Variable([1, 2])
v.assign([1.5, 2.5])
## variable_read_value_numpy
v = tf.Variable([[1, 2]])
print(v.read_value(), v.numpy(), tf.convert_to_tensor(v).dtype)
## variable_scatter_update
v = tf.Variable([1.0, 2.0, 3.0])
v.scatter_nd_update([[0], [2]], [10.0, 30.0])
print(v.numpy())
## variable_slice_assign
v = tf.Variable([1, 2, 3, 4])
v[1:3].assign([9, 9])
print(v.numpy())
## variable_shape_none
v = tf.Variable([1.0, 2.0], shape=tf.TensorShape(None))
print(v.shape)
v.assign([1.0, 2.0, 3.0])
print(v.shape)
## tape_abs_sqrt_at_points
x = tf.constant([0.0, 4.0, -1.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.abs(x) + tf.sqrt(tf.abs(x) + 1.0))
show(g.gradient(y, x))
## tape_reduce_max_ties
x = tf.constant([1.0, 3.0, 3.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_max(x)
show(g.gradient(y, x))
## tape_maximum_ties
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.maximum(x, 2.0))
show(g.gradient(y, x))
## tape_concat_reshape_transpose
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.concat([x, tf.transpose(x)], 0)
    z = tf.reduce_sum(tf.reshape(y, [-1]) * tf.range(8, dtype=tf.float32))
show(g.gradient(z, x))
## tape_where_grad
x = tf.constant([-1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.where(x > 0, x * x, -x))
show(g.gradient(y, x))
## tape_pow_zero_base
x = tf.constant([0.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(x ** 2.0)
show(g.gradient(y, x))
## tape_div_log_exp
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.math.log(x) / x + tf.exp(-x))
show(g.gradient(y, x))
## tape_cast_grad
x = tf.constant([1.5, 2.5])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.cast(x, tf.float64) * 2)
show(g.gradient(y, x))
## tape_gather_nd_grad
v = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as g:
    y = tf.reduce_sum(tf.gather_nd(v, [[0, 1], [1, 0]]))
show(tf.convert_to_tensor(g.gradient(y, v)))
## tape_slice_grad
x = tf.constant([1.0, 2.0, 3.0, 4.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(x[1:3] * 10.0) + x[-1]
show(g.gradient(y, x))
## tape_jacobian_matrix
x = tf.constant([[1.0, 2.0]])
w = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.matmul(x, w)
show(g.jacobian(y, x))
## tape_jacobian_unconnected
x = tf.constant([1.0, 2.0])
z = tf.constant([3.0])
with tf.GradientTape() as g:
    g.watch([x, z])
    y = x * 2
print(g.jacobian(y, z))
## tape_nested_persistent_hessian
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g2:
    g2.watch(x)
    with tf.GradientTape() as g1:
        g1.watch(x)
        y = tf.reduce_sum(x ** 3)
    gr = g1.gradient(y, x)
show(g2.jacobian(gr, x))
## tape_gradient_inside_context
x = tf.constant(3.0)
with tf.GradientTape(persistent=True) as g:
    g.watch(x)
    y = x * x
    dy = g.gradient(y, x)
show(dy)
## tape_stop_recording
x = tf.constant(3.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
    with g.stop_recording():
        z = y * x
    w = y + z
show(g.gradient(w, x))
## tape_reset
x = tf.constant(3.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
    g.reset()
    g.watch(x)
    z = x * 5.0
show(g.gradient(z, x))
## tape_target_list
x = tf.constant(2.0)
with tf.GradientTape() as g:
    g.watch(x)
    a = x * x
    b = x * 3.0
show(g.gradient([a, b], x))
## tape_variable_int_warning_none
v = tf.Variable(2)
with tf.GradientTape() as g:
    y = v * v
print(g.gradient(y, v))
## module_nested_and_tuple
class Leaf(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(1.0, name="w")
class Root(tf.Module):
    def __init__(self):
        super().__init__(name="root")
        self.b = Leaf("b_leaf")
        self.a = Leaf("a_leaf")
        self.t = (tf.Variable(0.0, name="t0"),)
r = Root()
print([v.name for v in r.variables])
print([m.name for m in r.submodules])
## module_with_name_scope
class M(tf.Module):
    @tf.Module.with_name_scope
    def __call__(self, x):
        return tf.identity(x)
m = M(name="scoped")
print(m(tf.constant(1)))
print(m.name)
## module_default_name
class MyDenseLayer(tf.Module):
    pass
print(MyDenseLayer().name, tf.Module().name)
## module_shared_variable_dedup
class M(tf.Module):
    def __init__(self):
        super().__init__()
        v = tf.Variable(1.0, name="shared")
        self.x = v
        self.y = v
print(len(M().variables))
## nest_flatten_none_and_scalars
print(tf.nest.flatten(None), tf.nest.flatten(3), tf.nest.flatten({}), tf.nest.flatten([[], ()]))
## nest_flatten_tensor_leaf
print(len(tf.nest.flatten({"x": tf.constant([1, 2]), "y": [tf.constant(1)]})))
## nest_map_up_to_dict_keys_sorted
print(tf.nest.map_structure(lambda k: k, {3: "c", 1: "a", 2: "b"}))
## nest_flatten_with_paths
print(tf.nest.flatten_with_joined_string_paths({"a": [1, 2], "b": {"c": 3}}))
## nest_assert_same_structure_types
tf.nest.assert_same_structure((1, 2), [1, 2])
## nest_assert_same_structure_no_types
tf.nest.assert_same_structure((1, 2), [1, 2], check_types=False)
print("ok")
## nest_pack_sequence_wrong_count
tf.nest.pack_sequence_as([0, 0], [1, 2, 3])
## nest_map_structure_tuple_out
print(tf.nest.map_structure(lambda a, b: (a, b), [1, 2], [3, 4]))
## reduce_int_keepdims_axes_list
x = tf.reshape(tf.range(24), [2, 3, 4])
print(tf.reduce_sum(x, [0, 2]), tf.reduce_max(x, axis=[-1], keepdims=True).shape)
## reduce_mean_float16
print(tf.reduce_mean(tf.constant([1.0, 2.0, 4.0], dtype=tf.float16)))
## reduce_bool_sum_error
tf.reduce_sum(tf.constant([True, False]))
## reduce_euclidean_norm
show(tf.math.reduce_euclidean_norm(tf.constant([[3.0, 4.0], [6.0, 8.0]]), axis=1))
## argmax_ties_and_axis_error
print(tf.argmax(tf.constant([3, 3, 1])))
tf.argmax(tf.constant([1, 2]), axis=1)
## math_int_overflow_and_neg
print(tf.constant([2**31 - 1]) + 1, -tf.constant([-2**31]))
## math_uint_sub_wrap
print(tf.constant([1], tf.uint8) - tf.constant([2], tf.uint8))
## math_float_div_zero
print(tf.constant([1.0, -1.0, 0.0]) / 0.0)
## math_int_truediv_dtypes
print((tf.constant([1], tf.int64) / 2).dtype, (tf.constant([1], tf.int8) / 2).dtype)
print((tf.constant([1], tf.int16) / 2).dtype, (tf.constant([1], tf.uint8) / 2).dtype)
## math_mod_float_negative
print(tf.math.floormod(tf.constant([-3.5, 3.5]), tf.constant([2.0, -2.0])))
## math_pow_negative_int_exponent
tf.pow(tf.constant([2]), tf.constant([-1]))
## math_abs_int_min
print(tf.abs(tf.constant([-128], dtype=tf.int8)))
## math_sqrt_negative
print(tf.sqrt(tf.constant([-1.0, 4.0])))
## math_log_zero
print(tf.math.log(tf.constant([0.0, 1.0])))
## math_maximum_nan
print(tf.maximum(tf.constant([float("nan"), 1.0]), tf.constant([0.0, float("nan")])))
## math_round_half_even_int
print(tf.round(tf.constant([1, 2])), tf.floor(tf.constant([1.5], tf.float64)))
## math_reduce_std_int_error
tf.math.reduce_std(tf.constant([1, 2]))
## math_polyval_and_misc
show(tf.math.polyval([1.0, 2.0, 3.0], tf.constant([2.0])))
show(tf.math.cumulative_logsumexp(tf.constant([1.0, 2.0, 3.0])))
## math_bessel_and_special
show(tf.math.bessel_i0(tf.constant([0.5, 1.0])))
show(tf.math.digamma(tf.constant([1.0, 2.5])))
show(tf.math.igamma(tf.constant([1.0]), tf.constant([2.0])))
## math_confusion_matrix
print(tf.math.confusion_matrix([0, 1, 1], [0, 0, 1]))
## math_in_top_k_and_accumulate
print(tf.math.in_top_k(targets=[1, 0], predictions=[[0.1, 0.9], [0.8, 0.2]], k=1))
## array_slice_strided
x = tf.reshape(tf.range(12), [3, 4])
print(tf.slice(x, [1, 1], [2, -1]), tf.strided_slice(x, [0, 0], [3, 4], [2, 2]))
## array_slice_bad_size
tf.slice(tf.range(4), [2], [5])
## array_reshape_scalar_and_empty
print(tf.reshape(tf.constant([5]), []), tf.reshape(tf.zeros([0, 3]), [3, 0]).shape)
## array_reshape_two_minus_one
tf.reshape(tf.range(6), [-1, -1])
## array_transpose_bad_perm
tf.transpose(tf.ones([2, 3]), [0, 0])
## array_gather_negative_index
tf.gather(tf.constant([1, 2, 3]), [-1])
## array_one_hot_axis_dtype
print(tf.one_hot([1, 0], 3, axis=0, dtype=tf.int32))
## array_expand_dims_bad_axis
tf.expand_dims(tf.ones([2]), 3)
## array_stack_shape_mismatch
tf.stack([tf.ones([2]), tf.ones([3])])
## array_concat_empty_list
tf.concat([], 0)
## array_tile_bad_multiples
tf.tile(tf.constant([1, 2]), [2, 2])
## array_unique_with_counts
y, idx, c = tf.unique_with_counts(tf.constant([3, 3, 1]))
print(y, idx, c)
## array_searchsorted
print(tf.searchsorted(tf.constant([1, 3, 5]), tf.constant([0, 3, 6])))
## array_ensure_shape
print(tf.ensure_shape(tf.ones([2, 3]), [None, 3]).shape)
tf.ensure_shape(tf.ones([2, 3]), [3, None])
## array_zeros_dtype_names
print(tf.zeros([2], dtype="int32"), tf.ones((1,), "float64"))
## array_identity_n_and_shape_n
print(tf.shape_n([tf.ones([2]), tf.ones([1, 3])]))
## array_repeat
print(tf.repeat(tf.constant([1, 2]), 2), tf.repeat(tf.constant([[1], [2]]), [1, 2], axis=0))
## array_clip_dtype_mismatch
tf.clip_by_value(tf.constant([1, 2]), 0.5, 1.5)
## array_tensor_scatter_add_bad_index
tf.tensor_scatter_nd_add(tf.zeros([3]), [[5]], [1.0])
## linalg_matmul_batch_broadcast
show(tf.matmul(tf.ones([2, 1, 2, 3]), tf.ones([3, 3, 2])))
## linalg_matmul_int_and_rank1
print(tf.matmul(tf.constant([[1, 2]]), tf.constant([[3], [4]])))
tf.matmul(tf.constant([1.0, 2.0]), tf.constant([[1.0], [2.0]]))
## linalg_det_singular_and_slogdet
print(tf.linalg.det(tf.constant([[1.0, 2.0], [2.0, 4.0]])))
s, l = tf.linalg.slogdet(tf.constant([[2.0, 0.0], [0.0, 3.0]]))
show(s)
show(l)
## linalg_inv_non_square
tf.linalg.inv(tf.ones([2, 3]))
## linalg_pinv_lstsq
show(tf.linalg.pinv(tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])))
show(tf.linalg.lstsq(tf.constant([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), tf.constant([[1.0], [2.0], [3.0]])))
## linalg_triangular_solve
show(tf.linalg.triangular_solve(tf.constant([[2.0, 0.0], [1.0, 1.0]]), tf.constant([[2.0], [3.0]])))
## linalg_cross_and_normalize
show(tf.linalg.cross(tf.constant([1.0, 0.0, 0.0]), tf.constant([0.0, 1.0, 0.0])))
show(tf.linalg.normalize(tf.constant([3.0, 4.0]))[0])
## linalg_matrix_transpose_adjoint
print(tf.linalg.matrix_transpose(tf.ones([2, 1, 3])).shape)
print(tf.linalg.adjoint(tf.constant([[1 + 1j, 2]])))
## linalg_expm_logdet
show(tf.linalg.expm(tf.constant([[0.0, 1.0], [0.0, 0.0]])))
show(tf.linalg.logdet(tf.constant([[2.0, 0.0], [0.0, 2.0]])))
## random_truncated_normal_shapes
x = tf.random.truncated_normal([3, 2], seed=5)
print(x.shape, x.dtype, bool(tf.reduce_all(tf.abs(x) <= 2.0)))
## random_uniform_bad_dtype
tf.random.uniform([2], dtype=tf.string)
## random_normal_int_dtype
tf.random.normal([2], dtype=tf.int32)
## random_gamma_poisson_shapes
print(tf.random.gamma([3], alpha=[1.0, 2.0], seed=1).shape)
print(tf.random.poisson([2], lam=[1.0, 3.0, 4.0], seed=1).shape)
## random_stateless_bad_seed
tf.random.stateless_uniform([2], seed=[1, 2, 3])
## random_stateless_int_bounds
x = tf.random.stateless_uniform([4], seed=[3, 4], minval=5, maxval=9, dtype=tf.int64)
print(x.dtype, bool(tf.reduce_all((x >= 5) & (x < 9))))
## random_categorical_dtype
print(tf.random.categorical([[0.0, 1.0]], 3, dtype=tf.int32).dtype)
## cast_string_error
tf.cast(tf.constant(["1"]), tf.int32)
## cast_saturate_vs_wrap
print(tf.cast(tf.constant([1e10, -1e10]), tf.int32))
print(tf.saturate_cast(tf.constant([300, -5]), tf.uint8))
## bitcast_and_bitwise
print(tf.bitcast(tf.constant(1.0), tf.int32))
print(tf.bitwise.bitwise_and(tf.constant([12]), tf.constant([10])), tf.bitwise.left_shift(1, 4))
## tensor_iter_scalar_error
iter(tf.constant(1))
## tensor_float_of_vector
float(tf.constant([1.0, 2.0]))
## tensor_index_bool_mask_and_list
x = tf.constant([1, 2, 3])
print(x[tf.constant(1)], x[1:][::-1])
x[[0, 1]]
## tensor_eq_none_and_list
t = tf.constant([1, 2])
print(t == None, t != None)
print(t == [1, 3])
## tensor_array_interface
x = tf.constant([[1.0, 2.0]])
print(np.add(x, 1.0), np.asarray(x).dtype, np.sum(x))
## tensor_numpy_scalar
v = tf.constant(3).numpy()
print(type(v).__name__, v)
print(type(tf.constant(b"x").numpy()).__name__)
## constant_of_scalar_tensor_list
print(tf.constant([tf.constant(1), tf.constant(2)]))
## convert_nested_tensors_list
print(tf.convert_to_tensor([tf.constant(1.5), 2.0]))
print(tf.convert_to_tensor([tf.constant([1]), tf.constant([2])]))
## constant_list_with_none
tf.constant([1, None])
## constant_big_int_float_dtype
print(tf.constant(2**64, dtype=tf.float32), tf.constant([1e40], dtype=tf.float64))
## constant_float32_out_of_range
tf.constant([1.0, 1e300])
## convert_float32_out_of_range_scalar
print(tf.constant(1e40, dtype=tf.float32))
tf.convert_to_tensor(1e40)
## constant_big_int_explicit_int32
tf.constant(2**70, dtype=tf.int32)
## fill_value_shape_one
print(tf.fill([2], tf.ones([1])))
tf.fill([2], tf.zeros([1, 1]))
## convert_mixed_tensor_dtype_list
tf.convert_to_tensor([tf.constant(1), 2.5])
## convert_mixed_tensor_nested_list
tf.convert_to_tensor([[tf.constant(1)], [2.5]])
## convert_dtype_hint
print(tf.convert_to_tensor(1, dtype_hint=tf.float32).dtype)
print(tf.convert_to_tensor(1.5, dtype_hint=tf.int32).dtype)
print(tf.convert_to_tensor(tf.constant(1), dtype_hint=tf.float32).dtype)
## convert_tensor_wrong_dtype
tf.convert_to_tensor(tf.constant(1), dtype=tf.float32)
## convert_none
tf.constant(None)
## convert_string_and_int_mixed
tf.constant(["a", 1])
## constant_float_to_int_list
tf.constant([1.0, 2.0], dtype=tf.int32)
## constant_int_to_bool
tf.constant([0, 1], dtype=tf.bool)
## constant_bool_to_int
print(tf.constant([True, False], dtype=tf.int32))
## constant_negative_to_uint
print(tf.constant([-1], dtype=tf.uint8), tf.constant(300, dtype=tf.uint8))
## constant_int_out_of_int64
tf.constant([2**64])
## constant_float_overflow_f16
print(tf.constant([70000.0], dtype=tf.float16), tf.constant(1e40))
## constant_shape_mismatch
tf.constant([1, 2, 3], shape=[2, 2])
## constant_numpy_float16_and_bool
print(tf.constant(np.float16(1.5)), tf.constant(np.array([True])))
## constant_numpy_object_strings
print(tf.constant(np.array(["a", "bb"])))
## constant_numpy_int64_dtype_override
print(tf.constant(np.array([1, 2]), dtype=tf.float32))
## op_scalar_tensor_float64_and_python
x = tf.constant([1.0], dtype=tf.float64)
print(x * 2, 2 * x, x + 0.5, x > 0)
## op_int8_and_python_int
x = tf.constant([100], dtype=tf.int8)
print(x + 1, x * 2)
## op_uint8_and_negative
print(tf.constant([5], tf.uint8) + (-1))
## op_bool_and_python_bool
print(tf.constant([True, False]) & True, tf.constant([True]) | False)
## op_compare_with_float_on_int
tf.constant([1, 2]) < 1.5
## op_complex_and_float
print(tf.constant([1 + 1j]) * 2.0, tf.constant([1 + 1j]) + 1)
## op_pow_float_int_tensor
print(tf.constant([2.0]) ** tf.constant([2.0]), 2.0 ** tf.constant([3.0]))
## op_matmul_rmatmul_numpy
print(np.ones([1, 2], dtype=np.float32) @ tf.ones([2, 1]))
## op_division_int64_by_zero
print(tf.constant([1.0]) / tf.constant([0.0]))
tf.constant([1]) // tf.constant([0])
## op_truediv_float16_int
print((tf.constant([1], tf.int32) / tf.constant([2], tf.int32)).dtype)
## op_getitem_on_scalar
tf.constant(1)[0]
## op_getitem_float_index
tf.constant([1, 2])[0.5]
## broadcast_three_way
x = tf.ones([2, 1, 3])
y = tf.ones([4, 1])
print((x + y).shape, (x * tf.ones([1])).shape)
## broadcast_to_scalar_and_same
print(tf.broadcast_to(5, [2]), tf.broadcast_to(tf.ones([2]), [2]).shape)
## broadcast_where_three
print(tf.where(tf.constant([[True], [False]]), tf.constant([1, 2]), tf.constant(0)))
## broadcast_incompatible_3d
tf.ones([2, 3, 4]) + tf.ones([3, 3, 4])
## errors_matmul_dtype
tf.matmul(tf.ones([2, 2]), tf.ones([2, 2], dtype=tf.float64))
## errors_gather_axis
tf.gather(tf.ones([2, 3]), [0], axis=2)
## errors_one_hot_negative_depth
tf.one_hot([0], -1)
## errors_segment_not_sorted
tf.math.segment_sum(tf.constant([1, 2, 3]), tf.constant([1, 0, 1]))
## errors_unsorted_segment_bad_id
tf.math.unsorted_segment_sum(tf.constant([1, 2]), tf.constant([0, 5]), 2)
## errors_solve_shape
tf.linalg.solve(tf.eye(2), tf.ones([3, 1]))
## errors_transpose_rank
tf.transpose(tf.ones([2, 3]), [1, 0, 2])
## errors_split_size_mismatch
tf.split(tf.range(6), [2, 2], 0)
## errors_range_zero_delta
tf.range(0, 5, 0)
## errors_pad_bad_paddings
tf.pad(tf.ones([2]), [[1, 1], [1, 1]])
## errors_reduce_axis_dup_and_bad
tf.reduce_sum(tf.ones([2, 2]), axis=[0, -3])
## errors_squeeze_axis_range
tf.squeeze(tf.ones([1, 2]), axis=5)
## errors_cumsum_axis
tf.cumsum(tf.ones([2]), axis=1)
## errors_argmax_empty
tf.argmax(tf.zeros([0]))
## errors_boolean_mask_shape
tf.boolean_mask(tf.constant([1, 2, 3]), tf.constant([True, False]))
## errors_linspace_num_neg
tf.linspace(0.0, 1.0, -1)
## errors_fill_value_not_scalar
tf.fill([2], [1, 2])
## errors_tensor_scatter_shape
tf.tensor_scatter_nd_update(tf.zeros([3]), [[0]], [1.0, 2.0])
## errors_eye_negative
tf.eye(-1)
## errors_eye_negative_columns
tf.eye(2, -3)
## errors_variable_bad_init
tf.Variable(None)
## errors_gradient_non_tape_target
x = tf.constant(1.0)
with tf.GradientTape() as g:
    g.watch(x)
g.gradient(None, x)
## reductions_int_mean_truncates
print(tf.reduce_mean(tf.constant([1, 2, 2])), tf.reduce_mean(tf.constant([-1, -2])))
## reductions_prod_int_and_bool_any
print(tf.reduce_prod(tf.constant([[2, 3], [4, 5]]), 1), tf.reduce_any(tf.zeros([0], tf.bool)))
## reductions_empty_axis_list
print(tf.reduce_sum(tf.ones([2, 2]), axis=[]))
## reductions_logsumexp_inf
show(tf.reduce_logsumexp(tf.constant([-float("inf"), -float("inf")])))
show(tf.reduce_logsumexp(tf.constant([1000.0, 1000.0])))
## reductions_variance_keepdims
show(tf.math.reduce_variance(tf.constant([[1.0, 2.0], [3.0, 5.0]]), axis=0, keepdims=True))
## reductions_complex_sum_mean
print(tf.reduce_sum(tf.constant([1 + 1j, 2 - 1j])), tf.reduce_mean(tf.constant([2j, 4j])))
## math_sign_int_and_complex
print(tf.sign(tf.constant([-3, 0, 2])), tf.sign(tf.constant([3 + 4j])))
## math_square_int_overflow
print(tf.square(tf.constant([50000])))
## math_floor_ceil_int_error
tf.floor(tf.constant([1, 2]))
## math_abs_complex_dtype
print(tf.abs(tf.constant([3 + 4j], dtype=tf.complex128)).dtype)
## math_logical_xor_and_ops
print(tf.math.logical_xor(tf.constant([True, False]), True))
print(tf.math.logical_and(True, False))
## math_zeta_betainc
show(tf.math.zeta(tf.constant([2.0]), tf.constant([1.0])))
show(tf.math.betainc(tf.constant([1.0]), tf.constant([2.0]), tf.constant([0.5])))
## math_nextafter_and_ndtri
show(tf.math.ndtri(tf.constant([0.5, 0.975])))
show(tf.math.log_sigmoid(tf.constant([0.0, -100.0])))
## math_reduce_weighted_and_softplus_large
show(tf.math.softplus(tf.constant([100.0, -100.0])))
## math_scalar_mul_and_truediv_dtypes
print(tf.math.scalar_mul(2, tf.constant([1, 2])), tf.math.truediv(tf.constant([3]), 2).dtype)
## math_invert_permutation
print(tf.math.invert_permutation([2, 0, 1]))
## math_accumulate_n
print(tf.math.accumulate_n([tf.constant([1.0]), tf.constant([2.0])]))
## array_where_2d_coords
print(tf.where(tf.constant([[True, False], [False, True]])))
## array_gather_params_dtype
print(tf.gather(tf.constant(["a", "b", "c"]), [2, 0]))
## array_reverse_sequence
print(tf.reverse_sequence(tf.constant([[1, 2, 3], [4, 5, 6]]), [2, 3], seq_axis=1, batch_axis=0))
## array_diag_matrix_set
print(tf.linalg.set_diag(tf.zeros([2, 2], tf.int32), [7, 8]))
## array_stack_scalars_python
print(tf.stack([1, 2, 3]), tf.stack([1.0, tf.constant(2.0)]))
## array_unstack_axis
print(tf.unstack(tf.reshape(tf.range(6), [2, 3]), axis=1))
## array_tensor_scatter_min_max
print(tf.tensor_scatter_nd_max(tf.constant([1, 5, 3]), [[0], [1]], [4, 2]))
## array_dynamic_partition_stitch
parts = tf.dynamic_partition(tf.constant([10, 20, 30, 40]), [0, 1, 0, 1], 2)
print(parts)
print(tf.dynamic_stitch([[0, 2], [1, 3]], parts))
## array_histogram
print(tf.histogram_fixed_width(tf.constant([0.0, 0.5, 1.0, 5.0]), [0.0, 5.0], nbins=5))
## array_shape_and_sizes_int64
print(tf.size(tf.ones([2, 3]), out_type=tf.int64), tf.rank(tf.constant(1)))
## array_zeros_like_string_and_bool
print(tf.zeros_like(tf.constant(["a"])), tf.ones_like(tf.constant([True, False])))
## array_pad_constant_value_and_symmetric
print(tf.pad(tf.constant([1, 2]), [[2, 1]], constant_values=9))
print(tf.pad(tf.constant([1, 2, 3]), [[2, 2]], mode="SYMMETRIC"))
## array_gather_nd_batch
print(tf.gather_nd(tf.reshape(tf.range(8), [2, 2, 2]), [[1], [0]], batch_dims=1))
## array_matrix_band_and_diag_k
print(tf.linalg.diag_part(tf.reshape(tf.range(9), [3, 3]), k=1))
## tensor_hash_and_ref
t = tf.constant(1)
d = {t.ref(): 1}
print(len(d), t.ref().deref() is t)
## tensor_dtype_shape_props_variable
v = tf.Variable(tf.zeros([2, 3]))
print(v.shape.as_list(), v.dtype.name, v.get_shape(), v.device.endswith("CPU:0"))
## tensor_numpy_readonly
a = tf.constant([1, 2]).numpy()
a[0] = 9
print(a)
## tensor_array_bool_truthiness_scalar_bool
print(bool(tf.constant(0.0)), bool(tf.constant("")), bool(tf.constant("x")))
## tensor_index_ellipsis_and_step
x = tf.reshape(tf.range(24), [2, 3, 4])
print(x[..., ::-2], x[1, ..., 0], x[:, tf.newaxis, 1, :2].shape)
## tensor_index_with_tensor_slice
x = tf.range(10)
print(x[tf.constant(2):tf.constant(5)])
## tensor_shrink_out_of_range_negative
tf.range(3)[-4]
## variable_assign_returns
v = tf.Variable(1.0)
r = v.assign(2.0)
print(type(r).__name__ in ("ResourceVariable", "_UnreadVariable"), float(r))
print(v.assign_add(1.0, read_value=False) is None)
## variable_constraint_and_trainable
v = tf.Variable([-1.0, 2.0], constraint=lambda x: tf.maximum(x, 0.0))
print(v.constraint is not None, v.numpy())
## variable_from_variable_and_copy
a = tf.Variable([1, 2])
b = tf.Variable(a)
a.assign([3, 4])
print(b.numpy(), b.dtype)
## variable_int64_assign_python
v = tf.Variable(tf.constant(1, tf.int64))
v.assign(2**40)
print(v.numpy(), v.dtype)
## variable_hash_in_set
v = tf.Variable(1.0)
print(len({v.ref()}), v.ref() == v.ref())
## variable_bool_truthiness
bool(tf.Variable([1, 2]))
## module_trainable_ordering_sorted_attrs
class M(tf.Module):
    def __init__(self):
        super().__init__()
        self.zz = [tf.Variable(1.0, name="zz0")]
        self.aa = {"k2": tf.Variable(2.0, name="k2"), "k1": tf.Variable(3.0, name="k1")}
        self.mm = tf.Variable(4.0, name="mm", trainable=False)
m = M()
print([v.name for v in m.variables])
print([v.name for v in m.trainable_variables], [v.name for v in m.non_trainable_variables])
## module_flatten_predicate
class M(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(1.0, name="v")
        self.c = tf.constant(2.0)
m = M()
print(len(m._flatten(predicate=lambda x: isinstance(x, tf.Tensor))))
## nest_flatten_up_to_and_dict_types
import collections
od = collections.OrderedDict([("b", 1), ("a", 2)])
print(tf.nest.flatten(od), tf.nest.flatten({"b": 1, "a": 2}))
print(tf.nest.map_structure(lambda x: x, od))
## nest_map_structure_check_types
tf.nest.map_structure(lambda a, b: a, (1,), [1])
## nest_map_structure_expand_composites
print(tf.nest.flatten(tf.constant([1, 2]), expand_composites=True))
## nest_pack_dict_order
print(tf.nest.pack_sequence_as({"z": 0, "a": (0, 0)}, ["A1", "A2", "Z"]))
## tape_watch_non_float
x = tf.constant([1, 2])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.cast(x, tf.float32) * 2.0
print(g.gradient(y, x))
## tape_grad_of_variable_int_cast
v = tf.Variable(3.0)
with tf.GradientTape() as g:
    y = tf.cast(tf.cast(v, tf.int32), tf.float32)
print(g.gradient(y, v))
## tape_complex_grad
x = tf.constant(1 + 1j)
with tf.GradientTape() as g:
    g.watch(x)
    y = x * x
print(g.gradient(y, x))
## tape_grad_reduce_mean_keepdims
x = tf.ones([2, 3])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_mean(x, axis=1, keepdims=True)
show(g.gradient(y, x))
## tape_grad_softmax_like_logsumexp
x = tf.constant([1.0, 2.0, 3.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_logsumexp(x)
show(g.gradient(y, x))
## tape_grad_norm_at_zero
x = tf.zeros([2])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.norm(x)
show(g.gradient(y, x))
## tape_grad_linalg_inv_det
m = tf.Variable([[2.0, 1.0], [1.0, 3.0]])
with tf.GradientTape(persistent=True) as g:
    d = tf.linalg.det(m)
    s = tf.reduce_sum(tf.linalg.inv(m))
show(g.gradient(d, m))
show(g.gradient(s, m))
## tape_grad_clip_and_relu_boundary
x = tf.constant([-1.0, 0.0, 1.0, 5.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.clip_by_value(x, 0.0, 1.0))
show(g.gradient(y, x))
## tape_grad_tile_and_broadcast_to
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.tile(x, [3]) + tf.reduce_sum(tf.broadcast_to(x, [2, 2])))
show(g.gradient(y, x))
## tape_grad_cumsum_sort
x = tf.constant([3.0, 1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.reduce_sum(tf.cumsum(x) * tf.constant([1.0, 2.0, 3.0])) + tf.sort(x)[0] * 10.0
show(g.gradient(y, x))
## tape_jacobian_scalar_to_vector
x = tf.constant(2.0)
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.stack([x, x * x, x ** 3])
show(g.jacobian(y, x))
## tape_jacobian_non_persistent_twice
x = tf.constant([1.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = x * 2
g.jacobian(y, x)
g.gradient(y, x)
## tape_third_order
x = tf.constant(1.5)
with tf.GradientTape() as g3:
    g3.watch(x)
    with tf.GradientTape() as g2:
        g2.watch(x)
        with tf.GradientTape() as g1:
            g1.watch(x)
            y = tf.sin(x)
        d1 = g1.gradient(y, x)
    d2 = g2.gradient(d1, x)
show(g3.gradient(d2, x))
## tape_gradient_list_of_targets_and_sources_none
a = tf.Variable(1.0)
b = tf.Variable(2.0)
with tf.GradientTape() as g:
    y = a * 3.0
print(g.gradient(y, [a, b]))
## print_summarise_3d_large
print(tf.reshape(tf.range(2400), [2, 2, 600]))
## print_summarise_float_edge
print(tf.linspace(0.0, 1.0, 1001)[:7], tf.linspace(0.0, 1.0, 1001).shape)
print(tf.linspace(0.0, 1.0, 1001))
## print_summarise_bool_and_string
print(tf.zeros([1500], dtype=tf.bool))
print(tf.fill([1200], "ab"))
## print_float_scientific
print(tf.constant([1e-5, 1.0]), tf.constant([123456789.0]), tf.constant(1e-10))
## print_float64_many_digits
print(tf.constant([3.141592653589793, 2.718281828459045], dtype=tf.float64))
## print_float16_values
print(tf.constant([0.001, 100.0, -3.3], dtype=tf.float16))
## print_bfloat16_scalar_and_large
print(tf.constant(1.0 / 3.0, dtype=tf.bfloat16), tf.constant([256.0, 257.0], dtype=tf.bfloat16))
## print_complex_matrix
print(tf.constant([[1 + 2j, 3.5 - 1j], [0j, -2 + 0.5j]]))
## print_int64_large_values
print(tf.constant([2**40, -2**50]), tf.constant([2**63 - 1]))
## print_uint64_max
print(tf.constant([2**64 - 1], dtype=tf.uint64))
## print_string_nonascii_bytes
print(tf.constant([b"\xff\xfe", b"ok"]))
## print_string_matrix_and_empty_string
print(tf.constant([["a", ""], ["ccc", "d"]]))
## print_4d
print(tf.reshape(tf.range(16), [2, 2, 2, 2]))
## repr_scalars_all_dtypes
for d in [tf.int8, tf.int16, tf.uint8, tf.int64, tf.float16, tf.float64, tf.complex128]:
    print(repr(tf.constant(1, dtype=d)))
## repr_bool_and_string_vectors
print(repr(tf.constant([True, False])), repr(tf.constant(["ab", "c"])))
## repr_nan_inf
print(repr(tf.constant([float("nan"), float("inf")])))
## repr_float16_bfloat16_vectors
print(repr(tf.constant([0.5, 1.5], dtype=tf.float16)))
print(repr(tf.constant([0.5, 1.5], dtype=tf.bfloat16)))
## repr_complex_vector
print(repr(tf.constant([1 + 2j, 3j])))
## repr_empty_various
print(repr(tf.constant([], dtype=tf.string)), repr(tf.zeros([0], tf.bool)))
## repr_variable_bfloat16_and_string
print(repr(tf.Variable(tf.constant([1.5], dtype=tf.bfloat16))))
print(repr(tf.Variable("hello")))
## str_variable_and_tensorshape_in_fstring
v = tf.Variable([1, 2], name="q")
print(f"{v.shape} {v.dtype!r} {tf.TensorShape([None])}")
## print_tensor_list_and_tuple
print([tf.constant(1), tf.constant([1.5])])
print((tf.constant(True),))
## print_dict_of_tensors
print({"a": tf.constant([1, 2])})
## dtype_repr_all
print([repr(d) for d in [tf.half, tf.double, tf.uint32, tf.int64, tf.dtypes.float32]])
## dtype_names_aliases
print(tf.half is tf.float16, tf.double is tf.float64, hasattr(tf, "float"))
## dtype_of_python_and_numpy_types
print(tf.as_dtype(float), tf.as_dtype(int), tf.as_dtype(bool), tf.as_dtype(np.float16))
## dtype_as_dtype_string_aliases
print(tf.as_dtype("half"), tf.as_dtype("double"), tf.as_dtype("float"), tf.as_dtype("bfloat16"))
## dtype_ordering_error
tf.float32 < tf.float64
## tensorshape_slicing_and_concat
s = tf.TensorShape([1, 2, 3, 4])
print(s[1:3], s[::-1], s[-2:], s.concatenate(tf.TensorShape(None)))
## tensorshape_index_unknown_rank
print(tf.TensorShape(None)[0], tf.TensorShape(None)[1:])
## tensorshape_num_elements_partial
print(tf.TensorShape([2, None]).num_elements(), tf.TensorShape(None).num_elements())
## tensorshape_as_proto_like_repr_nested
print(repr(tf.TensorShape([])), repr(tf.TensorShape([0])), str(tf.TensorShape([1])))
## tensorshape_from_tensor_bad
tf.TensorShape([1.5])
## tensorshape_negative_dim
tf.TensorShape([-2])
## tensorshape_merge_unknown_rank
print(tf.TensorShape(None).merge_with([1, 2]), tf.TensorShape([None, 2]).merge_with(tf.TensorShape(None)))
## tensorshape_merge_rank_mismatch
tf.TensorShape([1]).merge_with([1, 2])
## tensorshape_with_rank_at_least
print(tf.TensorShape([1, 2]).with_rank_at_least(1))
tf.TensorShape([1]).with_rank_at_least(2)
## tensorshape_eq_unknown
print(tf.TensorShape(None) == tf.TensorShape(None), tf.TensorShape([None]) == tf.TensorShape([None]))
print(tf.TensorShape([1]) != [2], tf.TensorShape([1]) == (1,))
## tensorshape_hash
print(hash(tf.TensorShape([1, 2])) == hash(tf.TensorShape([1, 2])))
## half_arith_printing
a = tf.constant([0.1, 0.2, 1000.0], dtype=tf.float16)
print(a + a, a * a, a / 3)
## bfloat16_arith_printing
a = tf.constant([0.1, 0.2, 1000.0], dtype=tf.bfloat16)
print(a + a, a * a, a / 3)
## bfloat16_reductions
a = tf.constant([1.0, 2.0, 3.5], dtype=tf.bfloat16)
print(tf.reduce_sum(a), tf.reduce_mean(a), tf.reduce_max(a))
## float16_unary
a = tf.constant([0.5, 2.0], dtype=tf.float16)
print(tf.exp(a), tf.sqrt(a), tf.math.log(a))
## int_dtype_sweep_ops
for d in [tf.int8, tf.int16, tf.int64, tf.uint8, tf.uint16, tf.uint32, tf.uint64]:
    a = tf.constant([7, 3], dtype=d)
    print(d.name, (a + a).numpy(), (a // 2).numpy(), (a % 2).numpy(), tf.reduce_sum(a).numpy())
## int_unsupported_ops_uint32
tf.math.floormod(tf.constant([3], tf.uint32), tf.constant([2], tf.uint32))
## int_truediv_int64_result
print(tf.constant([7], tf.int64) / tf.constant([2], tf.int64))
## bitwise_sweep
a = tf.constant([12, -3], tf.int32)
b = tf.constant([10, 1], tf.int32)
print(tf.bitwise.bitwise_or(a, b), tf.bitwise.bitwise_xor(a, b), tf.bitwise.invert(a))
print(tf.bitwise.right_shift(a, 1), tf.bitwise.left_shift(a, 33))
## bitwise_uint8_invert
print(tf.bitwise.invert(tf.constant([0, 255], tf.uint8)))
## bitwise_float_error
tf.bitwise.bitwise_and(tf.constant([1.0]), tf.constant([1.0]))
## invert_operator_int
print(~tf.constant([0, 5]))
## and_or_operator_int
print(tf.constant([12]) & tf.constant([10]), tf.constant([12]) | 1, tf.constant([12]) ^ 4)
## compare_strings
print(tf.constant(["a", "b"]) == "a", tf.constant(["a"]) != tf.constant(["b"]))
## compare_string_less_error
tf.constant(["a"]) < tf.constant(["b"])
## math_maximum_int_and_bool_error
print(tf.maximum(tf.constant([1, 5]), 3))
tf.maximum(tf.constant([True]), tf.constant([False]))
## math_reduce_max_string_error
tf.reduce_max(tf.constant(["a"]))
## math_exp_int_error
tf.exp(tf.constant(1))
## math_sqrt_complex
print(tf.sqrt(tf.constant([-4 + 0j])))
## math_log_complex
show(tf.math.log(tf.constant([1j])))
## math_abs_uint
print(tf.abs(tf.constant([3], tf.uint8)))
## math_negative_uint
print(-tf.constant([3], tf.uint8))
## math_round_decimals_like
print(tf.round(tf.constant([0.125, 2.675]) * 100) / 100)
## math_floordiv_float_zero
print(tf.constant([1.0, -1.0, 0.0]) // 0.0)
## math_mod_int_zero
tf.constant([1]) % tf.constant([0])
## math_reduce_prod_float_empty_axis
print(tf.reduce_prod(tf.ones([2, 0]), axis=1))
## grad_sigmoid_tanh_softplus
x = tf.constant([-1.0, 0.0, 2.0])
with tf.GradientTape(persistent=True) as g:
    g.watch(x)
    ys = [tf.sigmoid(x), tf.tanh(x), tf.math.softplus(x), tf.math.erf(x), tf.math.atan(x)]
for y in ys:
    show(g.gradient(y, x))
## grad_pow_both_args
x = tf.constant([2.0, 3.0])
y = tf.constant([3.0, 0.5])
with tf.GradientTape() as g:
    g.watch([x, y])
    z = tf.reduce_sum(x ** y)
gx, gy = g.gradient(z, [x, y])
show(gx)
show(gy)
## grad_divide_broadcast
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
y = tf.constant([2.0, 4.0])
with tf.GradientTape() as g:
    g.watch([x, y])
    z = tf.reduce_sum(x / y)
gx, gy = g.gradient(z, [x, y])
show(gx)
show(gy)
## grad_reduce_prod_with_zero
x = tf.constant([2.0, 0.0, 3.0])
with tf.GradientTape() as g:
    g.watch(x)
    z = tf.reduce_prod(x)
show(g.gradient(z, x))
## grad_reduce_min_and_argmax_none
x = tf.constant([2.0, 1.0, 3.0])
with tf.GradientTape() as g:
    g.watch(x)
    z = tf.reduce_min(x)
    a = tf.argmax(x)
show(g.gradient(z, x))
## grad_einsum_and_tensordot
a = tf.constant([[1.0, 2.0], [3.0, 4.0]])
with tf.GradientTape() as g:
    g.watch(a)
    z = tf.reduce_sum(tf.einsum("ij,jk->ik", a, a))
show(g.gradient(z, a))
## grad_gather_axis1_and_batch
p = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
with tf.GradientTape() as g:
    z = tf.reduce_sum(tf.gather(p, [2, 2], axis=1))
show(tf.convert_to_tensor(g.gradient(z, p)))
## grad_stack_unstack_split
x = tf.constant([1.0, 2.0, 3.0, 4.0])
with tf.GradientTape() as g:
    g.watch(x)
    a, b = tf.split(x, 2)
    z = tf.reduce_sum(tf.stack([a * 2.0, b * 3.0]))
show(g.gradient(z, x))
## grad_pad_and_slice
x = tf.constant([[1.0, 2.0]])
with tf.GradientTape() as g:
    g.watch(x)
    z = tf.reduce_sum(tf.pad(x, [[1, 1], [0, 1]]) * 2.0)
show(g.gradient(z, x))
## grad_sqrt_zero_and_log_zero
x = tf.constant([0.0])
with tf.GradientTape(persistent=True) as g:
    g.watch(x)
    a = tf.sqrt(x)
    b = tf.math.log(x)
show(g.gradient(a, x))
show(g.gradient(b, x))
## grad_div_no_nan
x = tf.constant([1.0, 2.0])
y = tf.constant([0.0, 4.0])
with tf.GradientTape() as g:
    g.watch([x, y])
    z = tf.reduce_sum(tf.math.divide_no_nan(x, y))
gx, gy = g.gradient(z, [x, y])
show(gx)
show(gy)
## grad_cholesky_solve
m = tf.constant([[4.0, 2.0], [2.0, 3.0]])
with tf.GradientTape() as g:
    g.watch(m)
    z = tf.reduce_sum(tf.linalg.solve(m, tf.constant([[1.0], [1.0]])))
show(g.gradient(z, m))
## grad_complex_abs
x = tf.constant([3.0 + 4.0j])
with tf.GradientTape() as g:
    g.watch(x)
    z = tf.abs(x)
print(g.gradient(z, x))
## grad_float16
x = tf.constant([1.0, 2.0], dtype=tf.float16)
with tf.GradientTape() as g:
    g.watch(x)
    z = tf.reduce_sum(x * x)
print(g.gradient(z, x))
## grad_float64_second_order_exp
x = tf.constant(0.5, dtype=tf.float64)
with tf.GradientTape() as g2:
    g2.watch(x)
    with tf.GradientTape() as g1:
        g1.watch(x)
        y = tf.exp(x) * tf.sin(x)
    d = g1.gradient(y, x)
show(d)
show(g2.gradient(d, x))
## grad_variable_in_dict_and_nested
w = {"a": tf.Variable([1.0, 2.0]), "b": [tf.Variable(3.0)]}
with tf.GradientTape() as g:
    z = tf.reduce_sum(w["a"] * w["b"][0])
gr = g.gradient(z, w)
show(gr["a"])
show(gr["b"][0])
## grad_jacobian_experimental_pfor_off
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = tf.stack([x[0] * x[1], x[0] + x[1]])
show(g.jacobian(y, x, experimental_use_pfor=False))
## grad_batch_jacobian_bad_shape
x = tf.constant([1.0, 2.0])
with tf.GradientTape() as g:
    g.watch(x)
    y = x * 2
g.batch_jacobian(y, x)
## grad_batch_jacobian_mismatch_and_pfor
x = tf.constant([1.0, 2.0])
with tf.GradientTape(persistent=True) as g:
    g.watch(x)
    y3 = tf.ones([3, 2]) * tf.reduce_sum(x)
    xs = tf.reshape(x, [2, 1])
try:
    g.batch_jacobian(y3, xs)
except ValueError as e:
    print(e)
with tf.GradientTape() as g2:
    g2.watch(xs)
    y = xs * 2.0
g2.batch_jacobian(y, xs, experimental_use_pfor=False)
## grad_source_is_tensor_not_watched
x = tf.constant(1.0)
with tf.GradientTape() as g:
    y = x * 2
print(g.gradient(y, x))
## grad_target_not_tensor
x = tf.constant(1.0)
with tf.GradientTape() as g:
    g.watch(x)
g.gradient(5.0, x)
## errors_class_hierarchy
print(issubclass(tf.errors.InvalidArgumentError, tf.errors.OpError))
print(tf.errors.InvalidArgumentError.__mro__[1].__name__, tf.errors.NotFoundError.__name__)
## errors_catch_as_oprerror
try:
    tf.reshape(tf.range(3), [2])
except tf.errors.OpError as e:
    print(type(e).__name__, e.error_code, e.op is None)
## errors_constructor
e = tf.errors.InvalidArgumentError(None, None, "boom")
print(str(e), e.message, e.error_code)
## errors_codes
print(tf.errors.OK, tf.errors.INVALID_ARGUMENT, tf.errors.NOT_FOUND, tf.errors.UNIMPLEMENTED)
## debugging_assert_equal_ok_and_fail
tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 2]))
print("ok")
tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))
## debugging_assert_shapes_rank
tf.debugging.assert_rank(tf.ones([2, 3]), 2)
print("ok")
tf.debugging.assert_rank(tf.ones([2, 3]), 3)
## debugging_check_numerics
tf.debugging.check_numerics(tf.constant([1.0, float("nan")]), "found")
## debugging_assert_positive
tf.debugging.assert_positive(tf.constant([1, -1]))
## debugging_assert_type
tf.debugging.assert_type(tf.constant([1]), tf.float32)
## identity_variable_and_stop_gradient
v = tf.Variable([1, 2])
print(tf.identity(v), tf.stop_gradient(v))
## tensor_ops_on_variable_repr
v = tf.Variable([[1.0]])
print(repr(v + 1), repr(tf.transpose(v)))
## variable_assign_add_int_dtype_error
v = tf.Variable([1, 2])
v.assign_add([1.5, 1.0])
## variable_read_after_assign_ops_chain
v = tf.Variable(10)
v.assign(v * 2).assign_add(1)
print(v.numpy())
## variable_trainable_int
v = tf.Variable(1)
print(v.trainable, tf.Variable(1.0).trainable, tf.Variable(True).trainable)
## variable_synchronization_aggregation
v = tf.Variable(1.0)
print(v.synchronization, v.aggregation)
## variable_initial_value_callable
v = tf.Variable(lambda: tf.ones([2]))
print(v.numpy(), v.initial_value.numpy() if hasattr(v, "initial_value") else None)
## variable_count_up_to_like_ops
v = tf.Variable([3, 1, 2])
print(tf.sort(v), tf.reduce_max(v), tf.shape(v), tf.size(v))
## variable_numpy_array_interface
v = tf.Variable([1.0, 2.0])
print(np.array(v), np.mean(v))
## variable_in_python_ops
v = tf.Variable(3)
print(v + v, 2 * v, v ** 2, -v, v > 1, abs(tf.Variable(-2.0)))
## variable_getitem
v = tf.Variable([[1, 2], [3, 4]])
print(v[0], v[:, 1], v[-1, -1])
## variable_assign_to_scalar_shape_mismatch
v = tf.Variable(1.0)
v.assign([1.0])
## module_name_scope_nested
class M(tf.Module):
    def __init__(self):
        super().__init__(name="outer")
        with self.name_scope:
            self.v = tf.Variable(1.0, name="v")
m = M()
print(m.v.name)
## module_trainable_variables_empty
print(tf.Module().trainable_variables, tf.Module().variables, tf.Module().submodules)
## module_attr_list_of_modules
class M(tf.Module):
    def __init__(self):
        super().__init__(name="top")
        self.layers = [tf.Module(name="l1"), tf.Module(name="l2")]
        self.layers[0].w = tf.Variable(1.0, name="w1")
        self.layers[1].w = tf.Variable(2.0, name="w2")
m = M()
print([s.name for s in m.submodules], [v.name for v in m.variables])
## module_no_super_init
class M(tf.Module):
    def __init__(self):
        self.v = tf.Variable(1.0)
M().variables
## nest_sequence_types_preserved
import collections
T = collections.namedtuple("T", "a b")
print(tf.nest.map_structure(lambda x: x * 10, [T(1, (2, 3)), {"k": [4]}]))
## nest_flatten_strings_not_sequences
print(tf.nest.flatten(["ab", b"cd", ("e",)]))
## nest_is_nested_tensor_and_np
print(tf.nest.is_nested(tf.constant([1])), tf.nest.is_nested(np.array([1])), tf.nest.is_nested(()))
## nest_map_structure_none_leaves
print(tf.nest.map_structure(lambda x: x, [None, (None,)]))
## nest_assert_same_structure_dict_keys
tf.nest.assert_same_structure({"a": 1}, {"b": 1})
## nest_pack_sequence_as_scalar
print(tf.nest.pack_sequence_as(1, [5]), tf.nest.pack_sequence_as([], []))
## nest_flatten_set_error_or_leaf
print(tf.nest.flatten({1, 2}) if False else tf.nest.flatten([{1}]))
## random_uniform_dtypes_shapes
for d in [tf.float16, tf.bfloat16, tf.float64, tf.int64]:
    kw = {"maxval": 5} if d.is_integer else {}
    x = tf.random.uniform([2, 1], dtype=d, seed=1, **kw)
    print(x.dtype, x.shape)
## random_normal_mean_stddev_tensor_shape
x = tf.random.normal(tf.constant([3, 2]), mean=1.0, stddev=[1.0, 2.0], seed=2)
print(x.shape, x.dtype)
## random_normal_bad_shape
tf.random.normal([2, -1])
## random_uniform_minval_ge_maxval_int
tf.random.uniform([2], minval=5, maxval=5, dtype=tf.int32)
## random_set_seed_repeatable
tf.random.set_seed(42)
a = tf.random.uniform([3])
tf.random.set_seed(42)
b = tf.random.uniform([3])
print(bool(tf.reduce_all(a == b)))
## random_op_seed_repeatable_across_set_seed
tf.random.set_seed(3)
a = tf.random.normal([2], seed=7)
tf.random.set_seed(3)
b = tf.random.normal([2], seed=7)
print(bool(tf.reduce_all(a == b)))
## random_stateless_repeatable
a = tf.random.stateless_normal([3], seed=[1, 2])
b = tf.random.stateless_normal([3], seed=[1, 2])
print(bool(tf.reduce_all(a == b)), a.dtype)
## random_shuffle_keeps_elements
x = tf.random.shuffle(tf.range(6), seed=1)
print(tf.sort(x))
## random_categorical_bad_logits_rank
tf.random.categorical(tf.constant([0.5, 0.5]), 2)
## random_generator_split_and_state
g = tf.random.Generator.from_seed(5)
gs = g.split(2)
print(len(gs), type(gs[0]).__name__, g.state.dtype, g.state.shape)
## random_generator_uniform_full_int
g = tf.random.Generator.from_seed(1)
x = g.uniform_full_int([3], dtype=tf.int64)
print(x.dtype, x.shape)
## random_gamma_dtypes
x = tf.random.gamma([2], alpha=tf.constant([1.0, 2.0], tf.float64), seed=1)
print(x.shape, x.dtype)
## random_truncated_normal_dtype_error
tf.random.truncated_normal([2], dtype=tf.int32)
## random_poisson_int_dtype
x = tf.random.poisson([3], lam=2.0, dtype=tf.int32, seed=1)
print(x.shape, x.dtype)
## random_uniform_int_maxval_float_error
tf.random.uniform([2], maxval=2.5, dtype=tf.int32)
## random_stateless_categorical_and_binomial
x = tf.random.stateless_categorical(tf.math.log([[0.3, 0.7]]), 5, seed=[1, 1])
print(x.shape, x.dtype)
y = tf.random.stateless_binomial([4], seed=[1, 2], counts=10.0, probs=0.5)
print(y.shape, y.dtype)
## random_uniform_scalar_shape
print(tf.random.uniform([]).shape, tf.random.normal(()).shape)
## creation_zeros_string_and_ones_bool
print(tf.zeros([2], tf.string), tf.ones([2], tf.bool))
## creation_ones_string_error
tf.ones([2], tf.string)
## creation_fill_string
print(tf.fill([2], "x"))
## creation_range_negative_and_float_delta
print(tf.range(5, 0, -2), tf.range(0, 1, 0.3))
## creation_range_mixed_types
print(tf.range(1, 2.5), tf.range(3, dtype=tf.int64).dtype)
## creation_range_bad_direction
tf.range(5, 0, 1)
## creation_eye_batch_and_dtype
print(tf.eye(2, batch_shape=[2], dtype=tf.int32))
## creation_linspace_int_and_num1
print(tf.linspace(1.0, 5.0, 1), tf.linspace(0, 10, 3))
## creation_zeros_like_dtype_and_optimize
print(tf.zeros_like(tf.constant([1, 2]), dtype=tf.float16), tf.ones_like([1.5, 2.5]))
## creation_constant_from_tensorshape
print(tf.constant(tf.TensorShape([2, 3])), tf.zeros(tf.TensorShape([1, 2])).shape)
## creation_constant_tensorshape_unknown
tf.constant(tf.TensorShape([2, None]))
## convert_tensorshape
print(tf.convert_to_tensor(tf.TensorShape([2, 3])), tf.convert_to_tensor(tf.TensorShape([])))
print(tf.convert_to_tensor(tf.TensorShape([2**40])), tf.constant(tf.TensorShape([])))
print(tf.convert_to_tensor(tf.TensorShape([2]), dtype=tf.int64))
## convert_tensorshape_partial
tf.convert_to_tensor(tf.TensorShape([2, None]))
## convert_tensorshape_unknown
tf.convert_to_tensor(tf.TensorShape(None))
## convert_tensorshape_float_dtype
tf.convert_to_tensor(tf.TensorShape([2]), dtype=tf.float32)
## reshape_partial_tensorshape
tf.reshape(tf.range(6), tf.TensorShape([2, None]))
## creation_one_hot_float_indices
tf.one_hot([1.0], 3)
## creation_meshgrid_ij
a, b = tf.meshgrid([1, 2], [3, 4, 5], indexing="ij")
print(a.shape, b.shape)
## creation_convert_variable_dtype
print(tf.convert_to_tensor(tf.Variable(1.0), dtype=tf.float32))
## shape_ops_shape_of_variable_and_list
print(tf.shape([[1, 2, 3]]), tf.shape(tf.Variable([1.0])), tf.shape(5))
## shape_ops_reshape_with_tensor_shape
x = tf.range(6)
print(tf.reshape(x, tf.constant([3, 2])), tf.reshape(x, tf.TensorShape([2, 3])).shape)
## shape_ops_reshape_with_none
tf.reshape(tf.range(6), [None, 2])
## shape_ops_squeeze_all_ones
print(tf.squeeze(tf.ones([1, 1])).shape, tf.squeeze(tf.constant([[5]])))
## shape_ops_expand_dims_negative
print(tf.expand_dims(tf.constant([1, 2]), -1).shape, tf.expand_dims(tf.constant(1), 0))
## shape_ops_broadcast_dynamic_shape_error
tf.broadcast_dynamic_shape([2, 3], [4])
## shape_ops_broadcast_static_shape_error
tf.broadcast_static_shape(tf.TensorShape([2, 3]), tf.TensorShape([4]))
## function_retrace_count
n = [0]
@tf.function
def f(x):
    n[0] += 1
    return x + 1
f(tf.constant(1)); f(tf.constant(2)); f(tf.constant([1, 2])); f(tf.constant(1.0))
print(n[0])
## function_python_scalar_retrace
n = [0]
@tf.function
def f(x):
    n[0] += 1
    return x * 2
print(f(1), f(2), f(1))
print(n[0])
## function_input_signature
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def f(x):
    return tf.reduce_sum(x)
print(f(tf.constant([1.0, 2.0])), f(tf.constant([3.0])))
## function_input_signature_mismatch
@tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
def f(x):
    return x
f(tf.constant([1, 2]))
## function_symbolic_shape_inside
@tf.function
def f(x):
    print(x.shape, x.dtype)
    return tf.shape(x)
print(f(tf.ones([2, 3])))
## function_tensor_print_inside_graph
@tf.function
def f(x):
    print(type(x).__name__ == "EagerTensor", tf.executing_eagerly())
    return x
f(tf.constant(1))
## function_variable_update
v = tf.Variable(1.0)
@tf.function
def step():
    v.assign_add(2.0)
    return v.read_value()
step()
print(step(), v.numpy())
## function_gradient_through
x = tf.Variable(3.0)
@tf.function
def f():
    with tf.GradientTape() as g:
        y = x * x
    return g.gradient(y, x)
print(f())
## function_returns_structure
@tf.function
def f(x):
    return {"a": x, "b": (x * 2, [x + 1])}
print(f(tf.constant(1)))
## function_graph_shape_error
@tf.function
def f(x, y):
    return x + y
f(tf.ones([2]), tf.ones([3]))
## function_get_concrete_function
@tf.function
def f(x):
    return x * 2
c = f.get_concrete_function(tf.TensorSpec([2], tf.int32))
print(c(tf.constant([1, 2])), c.structured_outputs)
## function_python_control_flow_on_python
@tf.function
def f(x, flag):
    if flag:
        return x + 1
    return x - 1
print(f(tf.constant(1), True), f(tf.constant(1), False))
## tensorspec_repr_and_compat
s = tf.TensorSpec([None, 3], tf.float32, name="x")
print(repr(s), s.shape, s.dtype, s.name)
print(s.is_compatible_with(tf.ones([2, 3])), s.is_compatible_with(tf.ones([2, 4])))
## tensorspec_from_tensor
print(tf.TensorSpec.from_tensor(tf.constant([1, 2])))
## tensorspec_equality
print(tf.TensorSpec([1], tf.int32) == tf.TensorSpec([1], tf.int32))
print(tf.TensorSpec([1], tf.int32) == tf.TensorSpec([None], tf.int32))
## indexed_slices_repr_and_dense
v = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
with tf.GradientTape() as g:
    y = tf.reduce_sum(tf.gather(v, [2, 0]))
gr = g.gradient(y, v)
print(gr.indices, gr.values, gr.dense_shape)
print(tf.convert_to_tensor(gr))
## workflow_linear_regression_steps
w = tf.Variable([[0.5], [-0.5]])
b = tf.Variable(0.0)
x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
y = tf.constant([[1.0], [2.0], [3.0]])
for _ in range(5):
    with tf.GradientTape() as g:
        loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
    gw, gb = g.gradient(loss, [w, b])
    w.assign_sub(0.01 * gw)
    b.assign_sub(0.01 * gb)
show(w)
show(b)
show(loss)
## workflow_logistic_grad
logits = tf.Variable([[2.0, -1.0, 0.5], [0.1, 0.2, 0.3]])
labels = tf.constant([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
with tf.GradientTape() as g:
    p = tf.exp(logits) / tf.reduce_sum(tf.exp(logits), axis=1, keepdims=True)
    loss = -tf.reduce_mean(tf.reduce_sum(labels * tf.math.log(p), axis=1))
show(loss)
show(g.gradient(loss, logits))
## workflow_module_mlp
class Dense(tf.Module):
    def __init__(self, i, o, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.reshape(tf.range(i * o, dtype=tf.float32), [i, o]) / 10.0, name="w")
        self.b = tf.Variable(tf.zeros([o]), name="b")
    def __call__(self, x):
        return tf.maximum(tf.matmul(x, self.w) + self.b, 0.0)
class MLP(tf.Module):
    def __init__(self):
        super().__init__(name="mlp")
        self.l1 = Dense(3, 4, name="l1")
        self.l2 = Dense(4, 2, name="l2")
    def __call__(self, x):
        return self.l2(self.l1(x))
m = MLP()
x = tf.constant([[1.0, -1.0, 2.0]])
with tf.GradientTape() as g:
    out = tf.reduce_sum(m(x))
grads = g.gradient(out, m.trainable_variables)
print([v.name for v in m.trainable_variables])
show(out)
for gr in grads:
    show(gr)
## workflow_batch_norm_like
x = tf.constant([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
mean, var = tf.nn.moments(x, axes=[0])
show(mean)
show(var)
show((x - mean) / tf.sqrt(var + 1e-5))
## workflow_one_hot_argmax_accuracy
preds = tf.constant([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
labels = tf.constant([1, 0, 0])
acc = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(preds, 1, output_type=tf.int32), labels), tf.float32))
print(acc)
## workflow_masking_and_where
x = tf.constant([[1.0, -2.0], [-3.0, 4.0]])
mask = x > 0
print(tf.where(mask, x, tf.zeros_like(x)), tf.reduce_sum(tf.cast(mask, tf.int32)))
print(tf.boolean_mask(x, mask), tf.boolean_mask(x, [True, False]))
## function_graph_tensor_repr
@tf.function
def f(x):
    y = x * 2
    print(x)
    print(repr(y), y.name, x.name)
    return y
f(tf.constant([1, 2]))
## function_graph_tensor_numpy_error
@tf.function
def f(x):
    return x.numpy()
f(tf.constant(1))
## function_graph_shape_partial
@tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
def f(x):
    print(x.shape, tf.reshape(x, [-1]).shape, tf.reduce_sum(x, 0).shape, (x @ tf.ones([2, 3])).shape)
    return x
f(tf.ones([1, 2]))
'''

XFAIL = {
    "grad_target_not_tensor": "TF crashes with AttributeError on a Python-number target; "
    "we return None (no path from the target to the source)",
    "constant_of_scalar_tensor_list": "TF bug: tf.constant([scalar tensors]) raises a ValueError "
    "carrying a traceback ('Scalar tensor has no len()'); we pack them as convert_to_tensor does",
    # Deliberate: TF's message names its private class path
    # ('tensorflow.python.framework.ops.EagerTensor').
    "tensor_setitem": "TF's message spells its internal module path",
}

# Known gaps, not yet fixed (non-strict xfail: they start passing once fixed).
_NOT_BUILT = "not implemented in tensorflux yet"
_DISPATCH = "dispatch.py conversion of non-tensor operands (reported to the lead)"
KNOWN = {
    "nn_softmax": _NOT_BUILT + " (tf.nn)",
    "nn_activations": _NOT_BUILT + " (tf.nn)",
    "nn_sparse_xent": _NOT_BUILT + " (tf.nn)",
    "strings_basic": _NOT_BUILT + " (tf.strings)",
    "dimension_repr": "TensorShape.dims gives ints, TF gives Dimension objects",
    "op_string_plus_int": "math_ops: TF runs string add as op 'Add', not 'AddV2'",
    "variable_slice_assign": _NOT_BUILT + " (v[1:3].assign: sliced variable assignment)",
    "nest_flatten_with_paths": "tf.nest exports flatten_with_joined_string_paths; TF does not",
    "reduce_bool_sum_error": "reduction_ops: allowed-dtype list order (TF lists quantized types)",
    "array_concat_empty_list": "concat of [] raises IndexError; TF InvalidArgumentError",
    "linalg_det_singular_and_slogdet": "det of a singular matrix: TF gives -0.0 (LU sign), we 0.0",
    "random_stateless_bad_seed": "TF names its StatelessRandomGetKeyCounter op in the message",
    "errors_linspace_num_neg": "TF's message comes from its Range-based linspace",
    "array_reverse_sequence": _NOT_BUILT + " (tf.reverse_sequence)",
    "array_dynamic_partition_stitch": _NOT_BUILT + " (tf.dynamic_partition/dynamic_stitch)",
    "array_histogram": _NOT_BUILT + " (tf.histogram_fixed_width)",
    "compare_string_less_error": "allowed-dtype list order is per op in TF (ops owned elsewhere)",
    "math_maximum_int_and_bool_error": "allowed-dtype list order is per op in TF",
    "math_reduce_max_string_error": "allowed-dtype list order is per op in TF",
    "function_graph_shape_error": "graph-mode shape-inference message and node naming "
    "('Dimensions must be equal ...', node 'add'); graph owner's work in progress",
    "workflow_batch_norm_like": _NOT_BUILT + " (tf.nn.moments)",
    "function_graph_tensor_repr": "graph node names: TF names `x * 2` 'mul' (the Python API "
    "name), we 'Mul' (the op type); graph owner's area",
    "bitcast_and_bitwise": "math_ops Bitcast of a scalar gives shape (1,), TF ()",
}


def _parse(source):
    programs = {}
    name = None
    lines = []
    for line in source.splitlines():
        if line.startswith("## "):
            if name is not None:
                programs[name] = textwrap.dedent("\n".join(lines)).strip() + "\n"
            name = line[3:].strip()
            if name in programs:
                raise ValueError(f"duplicate program {name}")
            lines = []
        elif name is not None:
            lines.append(line)
    if name is not None:
        programs[name] = textwrap.dedent("\n".join(lines)).strip() + "\n"
    return programs


PROGRAMS = _parse(_SOURCE)
