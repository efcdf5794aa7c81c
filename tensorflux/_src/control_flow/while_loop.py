"""`tf.while_loop` and the While/StatelessWhile ops.

Eagerly the loop is a Python loop: `body` runs while `cond` is true, and tapes record its ops.
While tracing, `cond` and `body` are traced into sub-graphs and the loop becomes one While node.
Its loop variables are an iteration counter, the iteration limit (-1: none) and the user's
variables, flattened; values captured by cond or body follow as loop-invariant inputs.

Gradients of a While do not unroll: the op's gradient asks the forward loop to keep each
iteration's loop-variable values (a history kept beside the op, filled while it runs) and builds a
backward While that runs as many iterations, newest first, each replaying the body under a tape
on the recorded values to get its vector-Jacobian product.
"""

from __future__ import annotations


from tensorflux._src.control_flow import subgraph as sgm
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.tensor import Tensor, convert_to_tensor

_ctx = _context.ctx


_History = sgm.Cell


# ------------------------------------------------------------------ the ops


def _n_out(attrs, n_inputs):
    return attrs["n_vars"]


def _while_dtypes(dts, attrs):
    return list(dts[: attrs["n_vars"]])


def _while_shapes(inputs, attrs):
    return list(attrs["output_shapes"])


_RULE = Rule(_while_dtypes, _while_shapes)


def _while_kernel(xp, *args, **attrs):
    n = attrs["n_vars"]
    cond, body = attrs["cond"], attrs["body"]
    cix, bix = attrs["cond_inputs"], attrs["body_inputs"]
    dev = sgm.kernel_device(xp)
    vals = sgm.wrap(args, attrs["T"], dev)
    loop = vals[:n]
    hist_cell = attrs["_history"]
    hist = [] if hist_cell.enabled else None
    cex = cond.executor()
    bex = body.executor()
    while True:
        cur = loop + vals[n:]
        c = cex(*[cur[i] for i in cix])[0]
        if not bool(c.numpy()):
            break
        res = bex(*[cur[i] for i in bix])
        if hist is not None:
            hist.append(loop + res[n:])  # the iteration's inputs and its random draws
        loop = res[:n]
    if hist is not None:
        hist_cell.store(hist)
    return [v._value if v._device is dev else dev.copy_from(v._value, v._device) for v in loop]


StatelessWhile = defop("StatelessWhile", infer=_RULE, num_outputs=_n_out)
While = defop("While", infer=_RULE, num_outputs=_n_out, stateful=True)
for _op in (StatelessWhile, While):
    _op.kernel(_while_kernel)


def _hist_dtypes(dts, attrs):
    return list(attrs["T"])


# Reads the values the loop variables had at the start of iteration `index` of a While run.
# Input 0 is the forward loop's iteration count, which orders the read after the loop; the
# forward op's inputs follow (unused by the kernel), so that the read differentiates with
# respect to them: iteration j's values are the body applied j times to those inputs.
WhileHistoryRead = defop(
    "WhileHistoryRead",
    infer=Rule(_hist_dtypes, lambda inputs, attrs: list(attrs["shapes"])),
    num_outputs=lambda attrs, n: len(attrs["T"]),
    stateful=True,
)


@WhileHistoryRead.kernel
def _(xp, count, index, *forward_inputs, history=None, T=None, shapes=None, loop=None):
    hist = history.get()
    i = int(index)
    if hist is None or not 0 <= i < len(hist):
        raise errors.InternalError(
            None, None, f"while-loop history has no iteration {i} (the forward loop kept "
            f"{0 if hist is None else len(hist)})"
        )
    return [v._value for v in hist[i]]


@WhileHistoryRead.gradient
def _(op, *dys):
    # d(values at iteration j)/d(forward inputs): back-propagate through iterations j-1 .. 0.
    from tensorflux._src.ops import array_ops, math_ops

    info = op.get_attr("loop")
    count, index = op.inputs[0], op.inputs[1]
    inputs = list(op.inputs[2:])
    dv0 = []
    for k in info.var_idx:
        d = dys[k] if k < len(dys) else None
        dv0.append(array_ops.zeros_like(op.outputs[k]) if d is None else convert_to_tensor(d))
    grads = _backward(info, inputs, count, math_ops.subtract(index, 1), dv0)
    return [None, None] + grads


class _LoopInfo:
    """What a backward loop needs to know about its forward While op."""

    def __init__(self, op, hist):
        self.n = op.get_attr("n_vars")
        self.body = op.get_attr("body")
        self.bix = op.get_attr("body_inputs")
        self.shapes = list(op.get_attr("output_shapes"))
        self.hist = hist
        inputs = list(op.inputs)
        n, body = self.n, self.body
        self.var_idx = [k for k in range(2, n)
                        if sgm.differentiable(inputs[k].dtype) or inputs[k].dtype is dtypes.variant]
        self.var_info = {}  # variable handles read inside the loop: (dtype, shape) of their values
        for j in range(n, len(inputs)):
            if inputs[j].dtype is dtypes.resource:
                var = body.variables.get(id(inputs[j]))
                if var is None:
                    var = op.get_attr("cond").variables.get(id(inputs[j]))
                if var is not None and var.shape.is_fully_defined():
                    self.var_info[j] = (var.dtype, var.shape)
        self.cap_idx = [j for j in range(n, len(inputs))
                        if sgm.differentiable(inputs[j].dtype) or j in self.var_info
                        or inputs[j].dtype is dtypes.variant]
        self.var_dtypes = [x.dtype for x in inputs[:n]]
        self.rec_dtypes = [t.dtype for t in body.recorded]
        self.rec_shapes = [t.shape for t in body.recorded]
        self.variables = dict(body.variables)
        self.variables.update(op.get_attr("cond").variables)

    def zeros_for(self, j, x):
        from tensorflux._src.ops import array_ops

        if j in self.var_info:
            dt, shape = self.var_info[j]
            return array_ops.zeros(shape.as_list(), dt)
        return array_ops.zeros_like(x)


def _backward(info, inputs, count, start, dv0):
    """A While running iterations `start` .. 0 backwards: each replays the body on the recorded
    values under a tape for its vector-Jacobian product. Returns gradients for `inputs`."""
    from tensorflux._src.autodiff.backprop import GradientTape
    from tensorflux._src.control_flow.cond import _captured_value
    from tensorflux._src.ops import math_ops, shape_ops

    n, var_idx, cap_idx, shapes = info.n, info.var_idx, info.cap_idx, info.shapes
    body = info.body
    dc0 = [info.zeros_for(j, inputs[j]) for j in cap_idx]
    nv = len(var_idx)

    def bcond(j, *rest):
        return math_ops.greater_equal(j, 0)

    def bbody(j, *rest):
        for x in inputs:
            var = None
            if x.dtype is dtypes.resource:
                var = info.variables.get(id(x))
                if var is None:
                    var = info.variables.get(id(_captured_value(x)))
            if var is not None:
                sgm.note_variable(var, x)
        dv, dc = list(rest[:nv]), list(rest[nv:])
        xs = WhileHistoryRead(count, j, *inputs, history=info.hist,
                              T=info.var_dtypes + info.rec_dtypes,
                              shapes=shapes + info.rec_shapes, loop=info)
        full = list(xs[:n]) + inputs[n:]
        rec = list(xs[n:]) if body.recorded else None
        with GradientTape(persistent=True) as tape:
            for k in var_idx:
                tape._tape.watch(full[k])
            for i in cap_idx:
                tape._tape.watch(full[i])
            outs = sgm.replay(body, [full[i] for i in info.bix], rec)
        targets = [outs[k] for k in var_idx]
        srcs = [full[k] for k in var_idx] + [full[i] for i in cap_idx]
        grads = tape.gradient(targets, srcs, output_gradients=dv)
        keys = var_idx + cap_idx
        grads = [info.zeros_for(k, s) if g is None else convert_to_tensor(g)
                 for k, s, g in zip(keys, srcs, grads)]
        want = [shapes[k] for k in var_idx] + [x.shape for x in dc0]
        grads = [shape_ops.ensure_shape(g, w) if g.shape != w and w.rank is not None else g
                 for g, w in zip(grads, want)]
        new_dv = grads[:nv]
        new_dc = [math_ops.add_n([a, b]) if a.dtype is dtypes.variant else math_ops.add(a, b)
                  for a, b in zip(dc, grads[nv:])]  # lists (TensorArrays) add by AddN
        return [math_ops.subtract(j, 1)] + new_dv + new_dc

    invariants = [TensorShape([])] + [shapes[k] for k in var_idx] + [x.shape for x in dc0]
    res = while_loop(bcond, bbody, [start] + dv0 + dc0, shape_invariants=invariants)
    grads = [None] * len(inputs)
    for k, g in zip(var_idx, res[1:1 + nv]):
        grads[k] = g
    for j, g in zip(cap_idx, res[1 + nv:]):
        grads[j] = g
    return grads


def _while_grad(op, *dys):
    from tensorflux._src.ops import array_ops, math_ops

    inputs = list(op.inputs)
    body = op.get_attr("body")
    hist = op.get_attr("_history")
    g_op = sgm.graph_op(op)
    if g_op is not None:
        info = _LoopInfo(op, hist)
        if not info.var_idx and not info.cap_idx:
            return [None] * len(inputs)
        hist.enabled = True  # the forward loop (in the graph being built) keeps its history
        if g_op.op_def is StatelessWhile:
            g_op.op_def = While  # now it has a side effect: never fold or deduplicate it away
        count = op.outputs[0]
    else:
        # The forward op already ran without keeping history: run it again, keeping it.
        if body.recorded:
            raise NotImplementedError(
                "Differentiating a while_loop whose body draws random values needs the forward "
                "op in the graph being traced (running it again would draw other values)."
            )
        hist = _History()
        hist.enabled = True
        info = _LoopInfo(op, hist)
        if not info.var_idx and not info.cap_idx:
            return [None] * len(inputs)
        attrs = dict(op.attrs)
        attrs["_history"] = hist
        count = While(*inputs, **attrs)[0]
    dv0 = []
    for k in info.var_idx:
        d = dys[k] if k < len(dys) else None
        dv0.append(array_ops.zeros_like(op.outputs[k]) if d is None else convert_to_tensor(d))
    return _backward(info, inputs, count, math_ops.subtract(count, 1), dv0)


for _op in (StatelessWhile, While):
    _op.gradient(_while_grad)


# ------------------------------------------------------------------ tf.while_loop


def _check_args(cond, body, loop_vars, parallel_iterations):
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if isinstance(loop_vars, Tensor):
        if loop_vars.shape.rank == 0:
            raise TypeError("Scalar tensor has no `len()`")
    elif not loop_vars:
        raise ValueError("'loop_vars' must be provided.")


def while_loop(
    cond,
    body,
    loop_vars,
    shape_invariants=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    maximum_iterations=None,
    name=None,
):
    """Repeats `body` while `cond` is true.

    Args:
      cond: callable taking the loop variables, returning a boolean scalar.
      body: callable taking the loop variables, returning their new values (same structure).
      loop_vars: a list or tuple (of nests) of tensors: the initial values.
      shape_invariants: shapes (same structure) the variables keep across iterations; use None
        dimensions for those that change. Default: each variable's initial shape.
      parallel_iterations: accepted (iterations run in order).
      back_prop: False stops gradients at the results (deprecated in TensorFlow 2).
      swap_memory: accepted, ignored.
      maximum_iterations: optional limit on the number of iterations.
      name: optional name.

    Returns:
      The final loop variables, with the structure of `loop_vars`.

    Raises:
      TypeError: if cond/body are not callable or a variable changes dtype.
      ValueError: if loop_vars is empty, the body changes the structure, or a variable's shape
        leaves its invariant.
    """
    _check_args(cond, body, loop_vars, parallel_iterations)
    len(loop_vars)
    if _ctx.graph is None:
        out = _eager_while(cond, body, loop_vars, maximum_iterations)
    else:
        out = while_op(cond, body, loop_vars, shape_invariants, parallel_iterations,
                       maximum_iterations, name)
    if back_prop is False:
        from tensorflux._src.ops import shape_ops

        out = nest.map_structure(
            lambda t: shape_ops.stop_gradient(t) if isinstance(t, Tensor) else t, out)
    return out


def _eager_while(cond, body, loop_vars, maximum_iterations):
    from tensorflux._src.control_flow.tensor_array import TensorArray

    if maximum_iterations is not None:
        limit = int(convert_to_tensor(maximum_iterations).numpy())
        orig_cond, orig_body = cond, body
        loop_vars = (0, loop_vars)

        def cond(i, lv):
            return i < limit and bool(orig_cond(*lv))

        def body(i, lv):
            return (i + 1, orig_body(*lv))

    structure = list(loop_vars)
    while cond(*loop_vars):
        loop_vars = body(*loop_vars)
        if not isinstance(loop_vars, (list, tuple)):
            list(loop_vars)  # raises TensorFlow's TypeError for a bare value
        nest.assert_same_structure(structure, list(loop_vars), check_types=False)

    def convert(x):
        if isinstance(x, TensorArray) or getattr(x, "_is_composite_tensor", False):
            return x
        return convert_to_tensor(x)

    loop_vars = nest.map_structure(convert, loop_vars)
    return loop_vars[1] if maximum_iterations is not None else loop_vars


def while_op(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
             maximum_iterations=None, name=None):
    """`tf.while_loop` as one While node, eagerly too (the kernel then runs the loop)."""
    from tensorflux._src.control_flow import tensor_array as ta_mod
    from tensorflux._src.ops import math_ops, shape_ops

    structure = list(loop_vars) if isinstance(loop_vars, (list, tuple)) else loop_vars
    leaves = nest.flatten(structure)
    for x in leaves:
        if getattr(x, "_is_composite_tensor", False) and not isinstance(x, ta_mod.TensorArray):
            raise NotImplementedError(
                f"tf.while_loop: composite loop variables ({type(x).__name__}) are not "
                "supported yet inside tf.function; pass their component tensors (e.g. a "
                "RaggedTensor's flat_values and row_splits) as loop variables instead."
            )
    # TensorArrays travel as their flow value (a functional list of tensors).
    flat = [ta_mod.to_flow(x) if isinstance(x, ta_mod.TensorArray) else convert_to_tensor(x)
            for x in leaves]
    if shape_invariants is not None:
        inv = nest.flatten_up_to(structure, list(shape_invariants)
                                 if isinstance(loop_vars, (list, tuple)) else shape_invariants)
        inv = [None if s is None else as_shape(s) for s in inv]
    else:
        inv = [None] * len(flat)
    shapes = []
    for x, s in zip(flat, inv):
        if s is None:
            shapes.append(x.shape)
            continue
        if not s.is_compatible_with(x.shape) or (
            s.rank is not None and x.shape.rank is not None and x.shape.rank != s.rank
        ):
            raise ValueError(
                f"The shape invariant specified for {_var_name(x)} is not compatible with the "
                f"initial shape of the loop variable. It enters the loop with shape {x.shape}, "
                f"but the specified shape invariant is {s}."
            )
        shapes.append(s)
    has_max = maximum_iterations is not None
    maxit = convert_to_tensor(maximum_iterations if has_max else -1, dtype=dtypes.int32)
    counter = convert_to_tensor(0, dtype=dtypes.int32)
    n_user = len(flat)

    def pack(vals):
        vals = [ta_mod.from_flow(v, t) if isinstance(t, ta_mod.TensorArray) else v
                for v, t in zip(vals, leaves)]
        return nest.pack_sequence_as(structure, vals)

    def cond_fn(i, m, *vals):
        c = cond(*pack(vals)) if isinstance(structure, list) else cond(pack(vals))
        c = convert_to_tensor(c)
        if c.dtype is not dtypes.bool or (c.shape.rank not in (None, 0)):
            raise TypeError(
                f"cond must return a boolean scalar tensor, got {c.dtype.name} of shape {c.shape}"
            )
        if has_max:
            c = math_ops.logical_and(math_ops.less(i, m), c)
        return c

    def body_fn(i, m, *vals):
        out = body(*pack(vals)) if isinstance(structure, list) else body(pack(vals))
        if isinstance(structure, list) and not nest.is_nested(out):
            out = [out]
        if isinstance(structure, list) and isinstance(out, tuple) and not _is_namedtuple(out):
            out = list(out)
        nest.assert_same_structure(structure, out, check_types=False)
        outs = []
        for k, (o, t) in enumerate(zip(nest.flatten(out), leaves)):
            if isinstance(o, ta_mod.TensorArray):
                o = ta_mod.to_flow(o)
            o = convert_to_tensor(o)
            if o.dtype is not flat[k].dtype:
                raise TypeError(
                    f"Loop var {_var_name(flat[k])} enters the loop with type "
                    f"{flat[k].dtype!r}, but has type {o.dtype!r} after 1 iteration."
                )
            if not shapes[k].is_compatible_with(o.shape):
                raise ValueError(
                    f"Input tensor '{_var_name(flat[k])}' enters the loop with shape "
                    f"{shapes[k]}, but has shape {o.shape} after one iteration. To allow the "
                    "shape to vary across iterations, use the `shape_invariants` argument of "
                    "tf.while_loop to specify a less-specific shape."
                )
            if shapes[k].rank is not None and o.shape != o.shape.merge_with(shapes[k]):
                # Less specific than the invariant but compatible (an unknown static shape):
                # checked at run time.
                o = shape_ops.ensure_shape(o, shapes[k])
            outs.append(o)
        return [math_ops.add(i, 1), m] + outs

    specs = [sgm.InputSpec([], dtypes.int32), sgm.InputSpec([], dtypes.int32)]
    specs += [sgm.InputSpec(s, x.dtype) for s, x in zip(shapes, flat)]
    cond_sg = sgm.trace_fn(cond_fn, specs, "while_cond")
    body_sg = sgm.trace_fn(body_fn, specs, "while_body")
    inputs, (cix, bix) = sgm.union_inputs([cond_sg, body_sg], [counter, maxit] + flat,
                                         share_args=False)
    attrs = {
        "T": [x.dtype for x in inputs],
        "n_vars": 2 + n_user,
        "cond": cond_sg,
        "body": body_sg,
        "cond_inputs": cix,
        "body_inputs": bix,
        "output_shapes": [TensorShape([]), TensorShape([])] + shapes,
        "parallel_iterations": int(parallel_iterations),
        "_history": _History(),
    }
    from tensorflux._src.control_flow.cond import note_variable_reads

    variables = dict(cond_sg.variables)
    variables.update(body_sg.variables)
    note_variable_reads(inputs, variables)
    op = While if (cond_sg.stateful or body_sg.stateful) else StatelessWhile
    res = op(*inputs, name=name or "while", **attrs)
    out = res[2:]
    if isinstance(loop_vars, tuple):  # tuples and namedtuples come back as given
        vals = [ta_mod.from_flow(v, t) if isinstance(t, ta_mod.TensorArray) else v
                for v, t in zip(out, leaves)]
        return nest.pack_sequence_as(loop_vars, vals)
    return pack(out)


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(x, "_fields")


def _var_name(x) -> str:
    return getattr(x, "name", "") if not hasattr(x, "numpy") else ""
