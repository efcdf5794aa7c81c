"""`tf.map_fn`, `tf.scan`, `tf.foldl`, `tf.foldr` and `tf.vectorized_map`.

Eagerly they are Python loops over the first dimension of `elems`, stacking results. While
tracing they become one `tf.while_loop` reading `elems[i]` each iteration; results are written into
a preallocated buffer (differentiable through the While gradient) when their shapes are known, else
into a TensorArray.
"""

from __future__ import annotations

from tensorflux._src.control_flow import subgraph as sgm
from tensorflux._src.control_flow.tensor_array import TensorArray
from tensorflux._src.control_flow.while_loop import while_loop
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.tensor import Tensor, convert_to_tensor

_ctx = _context.ctx


def _ops():
    from tensorflux._src.ops import array_ops, gather_ops, manip_ops, math_ops, shape_ops

    return array_ops, gather_ops, manip_ops, math_ops, shape_ops


def _flat_elems(elems):
    flat = [convert_to_tensor(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError("elems must be a Tensor or (possibly nested) sequence of Tensors.")
    for e in flat:
        if e.shape.rank == 0:
            raise ValueError("Elements in elems must be 1+ dimensional Tensors, not scalars")
    return flat


def _length(flat):
    array_ops, _, _, _, shape_ops = _ops()
    n = flat[0].shape[0] if flat[0].shape.rank else None
    for e in flat[1:]:
        m = e.shape[0] if e.shape.rank else None
        if n is not None and m is not None and n != m:
            raise ValueError(
                "All elements in elems must have the same first dimension: "
                f"{flat[0].shape} vs {e.shape}"
            )
    if n is not None:
        return n
    return array_ops.shape(flat[0])[0]


def _spec_dtype(s):
    if s is None:
        return None
    if isinstance(s, dtypes.DType) or isinstance(s, str):
        return dtypes.as_dtype(s)
    dt = getattr(s, "dtype", None)
    if dt is not None:
        return dtypes.as_dtype(dt)
    return dtypes.as_dtype(s)


def _spec_shape(s):
    shape = getattr(s, "shape", None)
    return TensorShape(None) if shape is None or isinstance(s, dtypes.DType) else shape


def _stack(values, dtype, elem_shape):
    array_ops = _ops()[0]
    if not values:
        tail = elem_shape.as_list() if elem_shape.is_fully_defined() else []
        return array_ops.zeros([0] + tail, dtype)
    return array_ops.stack(values)


def _check_dtype(v, want):
    if want is not None and v.dtype is not want:
        raise errors.InvalidArgumentError(
            None, None, f"TensorArray dtype is {want.name} but Op is trying to write dtype "
            f"{v.dtype.name} "
        )


def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """Applies `fn` to each slice of `elems` along its first axis and stacks the results.

    Args:
      fn: callable taking one element (with the structure of `elems`).
      elems: a tensor or nest of tensors sharing their first dimension.
      dtype: deprecated alias of `fn_output_signature`.
      parallel_iterations, back_prop, swap_memory, infer_shape: accepted.
      name: optional name.
      fn_output_signature: dtypes or TensorSpecs (a nest) of `fn`'s output, when it differs from
        the structure and dtypes of `elems`.

    Returns:
      The stacked outputs, with the structure of `fn_output_signature` (default: of `elems`).

    Raises:
      ValueError: for scalar elems, mismatched first dimensions or output structure.
      InvalidArgumentError: if an output's dtype differs from the signature.
    """
    sig = fn_output_signature if fn_output_signature is not None else dtype
    flat = _flat_elems(elems)
    if sig is None:
        out_struct = elems
        out_dtypes = [e.dtype for e in flat]
        out_shapes = [TensorShape(None)] * len(flat)
    else:
        out_struct = sig
        leaves = nest.flatten(sig)
        out_dtypes = [_spec_dtype(s) for s in leaves]
        out_shapes = [_spec_shape(s) for s in leaves]
    if _ctx.graph is None:
        n = int(flat[0].shape[0])
        _length(flat)
        cols = [[] for _ in out_dtypes]
        for i in range(n):
            x = nest.pack_sequence_as(elems, [e[i] for e in flat])
            y = fn(x)
            try:
                nest.assert_same_structure(out_struct, y, check_types=False)
            except (ValueError, TypeError):
                if sig is None:
                    nest.assert_same_structure(elems, y)
                raise
            for k, (v, dt) in enumerate(zip(nest.flatten(y), out_dtypes)):
                v = convert_to_tensor(v, dtype_hint=dt)
                _check_dtype(v, dt)
                cols[k].append(v)
        res = [_stack(c, dt, s) for c, dt, s in zip(cols, out_dtypes, out_shapes)]
        return nest.pack_sequence_as(out_struct, res)
    return _graph_map(fn, elems, flat, out_struct, out_dtypes, out_shapes, sig is None,
                      parallel_iterations or 10)


def _probe(fn, elems, flat):
    """Traces `fn` on one element in a scratch graph: its output structure, dtypes, shapes."""
    specs = [sgm.InputSpec(e.shape[1:], e.dtype) for e in flat]
    sg = sgm.trace_fn(lambda *xs: fn(nest.pack_sequence_as(elems, list(xs))), specs, "probe")
    return sg


def _graph_map(fn, elems, flat, out_struct, out_dtypes, out_shapes, default_sig, par):
    array_ops, gather_ops, _, math_ops, _ = _ops()
    n = _length(flat)
    probe = _probe(fn, elems, flat)
    y_struct = probe.structure
    nest.assert_same_structure(out_struct, y_struct, check_types=False)
    y_shapes = [t.shape for t in probe.outputs]
    for t, dt in zip(probe.outputs, out_dtypes):
        if t.dtype is not dt:
            raise TypeError(
                f"TensorArray dtype is {dt.name} but Op is trying to write dtype {t.dtype.name}"
            )
    shapes = [s if s.rank is not None else y for s, y in zip(out_shapes, y_shapes)]
    shapes = [y if not s.is_fully_defined() else s for s, y in zip(shapes, y_shapes)]
    use_buffers = all(s.is_fully_defined() for s in shapes)

    def read(i):
        return nest.pack_sequence_as(elems, [gather_ops.gather(e, i) for e in flat])

    i0 = convert_to_tensor(0, dtype=dtypes.int32)
    if use_buffers:
        accs = [array_ops.zeros(array_ops.stack([n] + s.as_list()) if isinstance(n, Tensor)
                                else [n] + s.as_list(), dt)
                for s, dt in zip(shapes, out_dtypes)]
    else:
        accs = [TensorArray(dt, size=n, element_shape=s) for s, dt in zip(shapes, out_dtypes)]

    def body(i, *accs):
        y = fn(read(i))
        ys = [convert_to_tensor(v, dtype_hint=dt) for v, dt in zip(nest.flatten(y), out_dtypes)]
        if use_buffers:
            idx = array_ops.reshape(i, [1, 1])
            new = [gather_ops.tensor_scatter_nd_update(a, idx, array_ops.expand_dims(v, 0))
                   for a, v in zip(accs, ys)]
        else:
            new = [a.write(i, v) for a, v in zip(accs, ys)]
        return [math_ops.add(i, 1)] + new

    res = while_loop(lambda i, *a: math_ops.less(i, n), body, [i0] + accs,
                     parallel_iterations=par)
    outs = res[1:]
    if not use_buffers:
        outs = [ta.stack() for ta in outs]
    return nest.pack_sequence_as(out_struct, outs)


def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True, swap_memory=False,
         infer_shape=True, reverse=False, name=None):
    """Cumulative application of `fn(accumulator, element)` over the first axis of `elems`.

    Args:
      fn: callable (accumulator, element) -> new accumulator (structure of `initializer`).
      elems: a tensor or nest of tensors sharing their first dimension.
      initializer: the first accumulator (default: the first element, which is also the first
        output).
      parallel_iterations, back_prop, swap_memory, infer_shape: accepted.
      reverse: scan from the last element to the first (outputs keep element order).
      name: optional name.

    Returns:
      The stacked accumulators, with the structure of `initializer` (or `elems`).

    Raises:
      OutOfRangeError: for empty `elems` without an initializer.
    """
    flat = _flat_elems(elems)
    if _ctx.graph is not None:
        return _graph_scan(fn, elems, flat, initializer, reverse, parallel_iterations)
    n = int(flat[0].shape[0])
    order = list(range(n))[::-1] if reverse else list(range(n))
    outs = []
    if initializer is None:
        if n == 0:
            raise errors.OutOfRangeError(
                None, None, "Tried to read from index 0 but array size is: 0 ")
        first = order[0]
        a = nest.pack_sequence_as(elems, [e[first] for e in flat])
        struct = elems
        outs.append(a)
        order = order[1:]
    else:
        a = nest.map_structure(convert_to_tensor, initializer)
        struct = initializer
    for i in order:
        x = nest.pack_sequence_as(elems, [e[i] for e in flat])
        a = fn(a, x)
        nest.assert_same_structure(struct, a, check_types=False)
        outs.append(a)
    if reverse:
        outs = outs[::-1]
    leaves = nest.flatten(struct)
    cols = [[convert_to_tensor(nest.flatten(o)[k]) for o in outs] for k in range(len(leaves))]
    res = []
    for k, c in enumerate(cols):
        ref = convert_to_tensor(leaves[k]) if initializer is not None else flat[k]
        shape = ref.shape if initializer is not None else ref.shape[1:]
        res.append(_stack(c, ref.dtype, shape))
    return nest.pack_sequence_as(struct, res)


def _graph_scan(fn, elems, flat, initializer, reverse, par):
    array_ops, gather_ops, _, math_ops, _ = _ops()
    n = _length(flat)
    n_t = convert_to_tensor(n, dtype=dtypes.int32)

    def at(i):
        j = math_ops.subtract(math_ops.subtract(n_t, 1), i) if reverse else i
        return j, nest.pack_sequence_as(elems, [gather_ops.gather(e, j) for e in flat])

    if initializer is None:
        _, a0 = at(convert_to_tensor(0, dtype=dtypes.int32))
        struct = elems
        start = 1
    else:
        a0 = nest.map_structure(convert_to_tensor, initializer)
        struct = initializer
        start = 0
    a_flat = [convert_to_tensor(v) for v in nest.flatten(a0)]
    accs = [array_ops.zeros(array_ops.concat([array_ops.reshape(n_t, [1]),
                                              array_ops.shape(v)], 0)
                            if not v.shape.is_fully_defined() or isinstance(n, Tensor)
                            else [n] + v.shape.as_list(), v.dtype) for v in a_flat]
    if initializer is None:
        j0 = math_ops.subtract(n_t, 1) if reverse else convert_to_tensor(0, dtype=dtypes.int32)
        idx = array_ops.reshape(j0, [1, 1])
        accs = [gather_ops.tensor_scatter_nd_update(b, idx, array_ops.expand_dims(v, 0))
                for b, v in zip(accs, a_flat)]

    def body(i, a, bufs):
        j, x = at(i)
        new = fn(nest.pack_sequence_as(struct, a), x)
        nf = [convert_to_tensor(v) for v in nest.flatten(new)]
        idx = array_ops.reshape(j, [1, 1])
        bufs = [gather_ops.tensor_scatter_nd_update(b, idx, array_ops.expand_dims(v, 0))
                for b, v in zip(bufs, nf)]
        return [math_ops.add(i, 1), nf, bufs]

    i0 = convert_to_tensor(start, dtype=dtypes.int32)
    _, _, bufs = while_loop(lambda i, a, b: math_ops.less(i, n_t), body, [i0, a_flat, accs],
                            parallel_iterations=par)
    return nest.pack_sequence_as(struct, bufs)


def _fold(fn, elems, initializer, reverse, par):
    flat = _flat_elems(elems)
    if _ctx.graph is None:
        n = int(flat[0].shape[0])
        order = list(range(n))[::-1] if reverse else list(range(n))
        if initializer is None:
            if n == 0:
                raise errors.OutOfRangeError(
                    None, None, "Tried to read from index 0 but array size is: 0 ")
            a = nest.pack_sequence_as(elems, [e[order[0]] for e in flat])
            order = order[1:]
        else:
            a = initializer
        for i in order:
            a = fn(a, nest.pack_sequence_as(elems, [e[i] for e in flat]))
        return nest.map_structure(convert_to_tensor, a)
    _, gather_ops, _, math_ops, _ = _ops()
    n_t = convert_to_tensor(_length(flat), dtype=dtypes.int32)

    def at(i):
        j = math_ops.subtract(math_ops.subtract(n_t, 1), i) if reverse else i
        return nest.pack_sequence_as(elems, [gather_ops.gather(e, j) for e in flat])

    if initializer is None:
        a0 = at(convert_to_tensor(0, dtype=dtypes.int32))
        struct = elems
        start = 1
    else:
        a0 = nest.map_structure(convert_to_tensor, initializer)
        struct = initializer
        start = 0
    a_flat = [convert_to_tensor(v) for v in nest.flatten(a0)]

    def body(i, a):
        new = fn(nest.pack_sequence_as(struct, a), at(i))
        return [math_ops.add(i, 1), [convert_to_tensor(v) for v in nest.flatten(new)]]

    i0 = convert_to_tensor(start, dtype=dtypes.int32)
    _, a = while_loop(lambda i, a: math_ops.less(i, n_t), body, [i0, a_flat],
                      parallel_iterations=par)
    return nest.pack_sequence_as(struct, a)


def foldl(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """Folds `fn(accumulator, element)` over `elems` from first to last.

    Args:
      fn: callable (accumulator, element) -> accumulator.
      elems: a tensor or nest of tensors sharing their first dimension.
      initializer: the first accumulator (default: the first element).
      parallel_iterations, back_prop, swap_memory: accepted.
      name: optional name.

    Returns:
      The final accumulator.

    Raises:
      OutOfRangeError: for empty `elems` without an initializer.
    """
    return _fold(fn, elems, initializer, False, parallel_iterations)


def foldr(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
          swap_memory=False, name=None):
    """Folds `fn(accumulator, element)` over `elems` from last to first (see `foldl`)."""
    return _fold(fn, elems, initializer, True, parallel_iterations)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """Applies `fn` to each slice of `elems` along its first axis (computed as a loop).

    Args:
      fn: callable taking one element; may return any nest of tensors.
      elems: a tensor or nest of tensors sharing their first dimension.
      fallback_to_while_loop, warn: accepted.

    Returns:
      The stacked outputs, with the structure `fn` returns.
    """
    flat = _flat_elems(elems)
    if _ctx.graph is None:
        n = int(flat[0].shape[0])
        if n == 0:
            probe = _probe(fn, elems, flat)
            res = [_stack([], t.dtype, t.shape) for t in probe.outputs]
            return sgm.pack_outputs(probe, res)
        outs = [fn(nest.pack_sequence_as(elems, [e[i] for e in flat])) for i in range(n)]
        struct = outs[0]
        cols = [[convert_to_tensor(nest.flatten(o)[k]) for o in outs]
                for k in range(len(nest.flatten(struct)))]
        array_ops = _ops()[0]
        return nest.pack_sequence_as(struct, [array_ops.stack(c) for c in cols])
    probe = _probe(fn, elems, flat)
    sig = nest.pack_sequence_as(probe.structure, [
        _Spec(t.shape, t.dtype) if t is not None else None for t in probe.leaves])
    return map_fn(fn, elems, fn_output_signature=sig)


class _Spec:
    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype
