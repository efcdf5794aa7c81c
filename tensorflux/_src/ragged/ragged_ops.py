"""The `tf.ragged` functions not defined elsewhere: map_flat_values, boolean_mask, stack,
cross, cross_hashed and stack_dynamic_partitions."""

from __future__ import annotations

from tensorflux._src.core import dtypes
from tensorflux._src.ops import array_ops, gather_ops, manip_ops, math_ops, segment_ops
from tensorflux._src.ops import sort_ops
from tensorflux._src.ragged import ragged_array_ops
from tensorflux._src.ragged.ragged_math_ops import check_same_partitions
from tensorflux._src.ragged.ragged_tensor import RaggedTensor
from tensorflux._src.sparse_tensor import SparseTensor
from tensorflux._src.tensor import Tensor, convert_to_tensor


def map_flat_values(op, *args, **kwargs):
    """Calls `op` with every RaggedTensor argument replaced by its flat values.

    All RaggedTensor arguments must share their row partitions; the result takes them.

    Args:
      op: a callable returning a tensor with as many rows as the flat values.
      *args: positional arguments for `op` (RaggedTensors among them, also inside lists).
      **kwargs: keyword arguments for `op`.

    Returns:
      A RaggedTensor with the partitions of the RaggedTensor arguments, or `op`'s result when
      there is none.
    """
    found = []

    def unwrap(x):
        if isinstance(x, RaggedTensor):
            found.append(x)
            return x.flat_values
        if isinstance(x, (list, tuple)):
            return type(x)(unwrap(v) for v in x)
        if isinstance(x, dict):
            return {k: unwrap(v) for k, v in x.items()}
        return x

    new_args = [unwrap(a) for a in args]
    new_kwargs = {k: unwrap(v) for k, v in kwargs.items()}
    if not found:
        return op(*args, **kwargs)
    for rt in found[1:]:
        check_same_partitions(found[0], rt)
    out = op(*new_args, **new_kwargs)
    n_in = found[0].flat_values.shape[0]
    n_out = (out.shape[0] if out.shape.rank else -1) if isinstance(out, Tensor) else None
    if n_in is not None and n_out is not None and n_in != n_out:
        raise ValueError(
            "tf.ragged.map_flat_values requires that the output of `op` have the same "
            f"outer-dimension size as flat_values of any ragged inputs. (output shape: "
            f"{out.shape}; expected outer dimension size: {n_in})"
        )
    return found[0].with_flat_values(out)


def boolean_mask(data, mask, name=None):
    """Keeps the entries of `data` where `mask` is True; the result is ragged.

    Args:
      data: a Tensor or RaggedTensor.
      mask: a bool Tensor or RaggedTensor whose shape is a prefix of `data`'s: a 1-D mask
        selects rows, a mask ragged like `data` selects values within rows.
      name: ignored.

    Returns:
      A RaggedTensor (or a Tensor for a dense 1-D mask on dense data).
    """
    if not isinstance(mask, RaggedTensor):
        mask = convert_to_tensor(mask, dtype=dtypes.bool)
        if mask.shape.rank and mask.shape.rank > 1:
            mask = RaggedTensor.from_tensor(mask, ragged_rank=mask.shape.rank - 1)
    return ragged_array_ops.boolean_mask(data, mask)


def stack(values, axis=0, name=None):
    """Stacks Tensors and RaggedTensors along a new `axis` (rows may differ in length).

    Args:
      values: a list of Tensors or RaggedTensors of the same rank and dtype.
      axis: 0 or 1 (negative counts from the end).
      name: ignored.

    Returns:
      A RaggedTensor of rank `rank(values[0]) + 1`.
    """
    values = [v if isinstance(v, RaggedTensor) else convert_to_tensor(v) for v in values]
    if not any(isinstance(v, RaggedTensor) for v in values):
        ranks = {v.shape.rank for v in values}
        if ranks == {1} and axis in (0, -2):
            # Vectors of any lengths become the rows.
            lengths = array_ops.stack([array_ops.shape(v, out_type=dtypes.int64)[0]
                                       for v in values])  # fmt: skip
            return RaggedTensor.from_row_lengths(manip_ops.concat(values, 0), lengths,
                                                 validate=False)  # fmt: skip
        values = [RaggedTensor.from_tensor(v) if v.shape.rank and v.shape.rank > 1 else v
                  for v in values]  # fmt: skip
        if not any(isinstance(v, RaggedTensor) for v in values):
            return RaggedTensor.from_tensor(array_ops.stack(values, axis))
    return ragged_array_ops.stack(values, axis)


def _as_sparse(x):
    if isinstance(x, SparseTensor):
        return x
    if not isinstance(x, RaggedTensor):
        x = RaggedTensor.from_tensor(convert_to_tensor(x))
    return x.to_sparse()


def cross(inputs, name=None):
    """Crosses features row by row: every combination, joined with "_X_", as a RaggedTensor.

    Args:
      inputs: a list of rank-2 RaggedTensors, SparseTensors or dense tensors (string or int64)
        with the same number of rows.
      name: ignored.

    Returns:
      A string RaggedTensor with one row per input row.
    """
    from tensorflux._src.ops import sparse_cross

    sp = sparse_cross.cross([_as_sparse(x) for x in inputs])
    return RaggedTensor.from_sparse(sp)


def cross_hashed(inputs, num_buckets=0, hash_key=None, name=None):
    """Like `cross`, with each combination's fingerprint (modulo `num_buckets` if > 0)."""
    from tensorflux._src.ops import sparse_cross

    sp = sparse_cross.cross_hashed([_as_sparse(x) for x in inputs], num_buckets, hash_key)
    return RaggedTensor.from_sparse(sp)


def stack_dynamic_partitions(data, partitions, num_partitions, name=None):
    """Row `p` of the result holds the entries of `data` whose partition is `p`, in order.

    Args:
      data: a Tensor (or RaggedTensor) whose rows are distributed.
      partitions: an int tensor, one partition index per row, in `[0, num_partitions)`.
      num_partitions: the number of result rows.
      name: ignored.

    Returns:
      A RaggedTensor with `num_partitions` rows.
    """
    parts = convert_to_tensor(partitions) if not isinstance(partitions, Tensor) else partitions
    parts = math_ops.cast(array_ops.reshape(parts, [-1]), dtypes.int64)
    order = sort_ops.argsort(parts, stable=True)
    if isinstance(data, RaggedTensor):
        rows = ragged_array_ops.gather_rows(data, order)
    else:
        data = convert_to_tensor(data)
        rows = gather_ops.gather(data, order)
    counts = segment_ops.unsorted_segment_sum(array_ops.ones_like(parts), parts, num_partitions)
    return RaggedTensor.from_row_lengths(rows, counts, validate=False)




def _involves_ragged(elems, sig) -> bool:
    from tensorflux._src.core import nest

    leaves = (nest.flatten(elems) if elems is not None else []) + (
        nest.flatten(sig) if sig is not None else [])  # fmt: skip
    return any(isinstance(x, RaggedTensor) or type(x).__name__ == "RaggedTensorSpec"
               for x in leaves)  # fmt: skip


def _graph_map_fn(fn, elems, flat, sig):
    """Inside tf.function: a dense map over row indices, each step slicing the rows itself."""
    from tensorflux._src.control_flow import functional
    from tensorflux._src.core import nest

    if sig is None or _involves_ragged(None, sig):
        raise NotImplementedError(
            "tf.map_fn with RaggedTensor outputs inside tf.function is not supported yet; give "
            "a dense fn_output_signature"
        )
    first = flat[0]
    n = first.nrows(out_type=dtypes.int32) if isinstance(first, RaggedTensor) else (
        array_ops.shape(first)[0])  # fmt: skip

    def step(i):
        return fn(nest.pack_sequence_as(elems, [e[i] for e in flat]))

    from tensorflux._src.ops import creation_ops

    return functional.map_fn(step, creation_ops.range(n), fn_output_signature=sig)


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):  # fmt: skip
    """`tf.map_fn` over RaggedTensor rows or with RaggedTensorSpec outputs (eager only).

    Rows of ragged `elems` are passed to `fn` as Tensors (or RaggedTensors); outputs described by
    a RaggedTensorSpec are stacked into a RaggedTensor with one more ragged dimension.
    """
    from tensorflux._src.core import context, nest
    from tensorflux._src.ragged.ragged_spec import RaggedTensorSpec
    from tensorflux._src.tensor_spec import TensorSpec

    sig = fn_output_signature if fn_output_signature is not None else dtype
    flat = nest.flatten(elems)
    if context.ctx.graph is not None:
        return _graph_map_fn(fn, elems, flat, sig)
    if sig is None:
        sig = nest.map_structure(
            lambda e: e._type_spec._unbatch() if isinstance(e, RaggedTensor)
            else TensorSpec(e.shape[1:], e.dtype), elems)  # fmt: skip
    first = flat[0]
    n = int(first.nrows()) if isinstance(first, RaggedTensor) else int(first.shape[0])
    outs = [nest.flatten(fn(nest.pack_sequence_as(elems, [e[i] for e in flat])))
            for i in range(n)]  # fmt: skip
    specs = nest.flatten(sig)
    cols = []
    for k, spec in enumerate(specs):
        vals = [o[k] for o in outs]
        if isinstance(spec, RaggedTensorSpec):
            cols.append(spec._stack_values(vals))
            continue
        dt = spec.dtype if isinstance(spec, TensorSpec) else dtypes.as_dtype(spec)
        if not vals:
            shape = [0] + (spec.shape.as_list() if isinstance(spec, TensorSpec) else [])
            cols.append(array_ops.zeros(shape, dt))
            continue
        vals = [v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dt) for v in vals]
        cols.append(array_ops.stack(vals))
    return nest.pack_sequence_as(sig, cols)


__all__ = ["map_flat_values", "boolean_mask", "stack", "cross", "cross_hashed",
           "stack_dynamic_partitions", "map_fn"]  # fmt: skip
