"""`tf.cond`, `tf.case`, `tf.switch_case` and the branch ops If/StatelessIf/Case.

Eagerly the predicate is evaluated and the chosen Python function runs; its ops go through the
dispatch point, so tapes record them. While tracing, every branch is traced into a sub-graph and
the call becomes one If (or Case) node whose kernel runs the chosen sub-graph. The gradient of a
branch op is a branch op over the branches' gradient sub-graphs.
"""

from __future__ import annotations

from tensorflux._src.control_flow import subgraph as sgm
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors, nest
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor

_ctx = _context.ctx


# ------------------------------------------------------------------ the ops


def _n_out(attrs, n_inputs):
    return len(attrs["Tout"])


_RULE = Rule(lambda dts, attrs: list(attrs["Tout"]),
             lambda inputs, attrs: list(attrs["output_shapes"]))


def _run_branch(xp, branch, ix, args, attrs, k):
    dev = sgm.kernel_device(xp)
    vals = sgm.wrap(args, attrs["Tin"], dev)
    outs, rec = sgm.run(branch, [vals[i] for i in ix])
    cell = attrs.get("_record")
    if cell is not None and cell.enabled:
        cell.store((k, rec))
    return [o._value if o._device is dev else dev.copy_from(o._value, o._device) for o in outs]


def _if_kernel(xp, pred, *args, **attrs):
    take = bool(pred)
    ix = attrs["branch_inputs"][0 if take else 1]
    branch = attrs["then_branch"] if take else attrs["else_branch"]
    return _run_branch(xp, branch, ix, args, attrs, 0 if take else 1)


def _case_kernel(xp, index, *args, **attrs):
    branches = attrs["branches"]
    i = int(index)
    if not 0 <= i < len(branches):
        i = len(branches) - 1
    return _run_branch(xp, branches[i], attrs["branch_inputs"][i], args, attrs, i)


StatelessIf = defop("StatelessIf", infer=_RULE, num_outputs=_n_out)
If = defop("If", infer=_RULE, num_outputs=_n_out, stateful=True)
StatelessCase = defop("StatelessCase", infer=_RULE, num_outputs=_n_out)
Case = defop("Case", infer=_RULE, num_outputs=_n_out, stateful=True)
for _op in (StatelessIf, If):
    _op.kernel(_if_kernel)
for _op in (StatelessCase, Case):
    _op.kernel(_case_kernel)


def _recorded_dtypes(dts, attrs):
    return list(attrs["T"])


# The random values branch `branch` of an If/Case drew when it last ran (its gradient replays the
# branch with them). Input 0 is an output of that op, which orders the read after it.
RecordedRead = defop(
    "RecordedRead",
    infer=Rule(_recorded_dtypes, lambda inputs, attrs: list(attrs["shapes"])),
    num_outputs=lambda attrs, n: len(attrs["T"]),
    stateful=True,
    type_inputs=(),
)


@RecordedRead.kernel
def _(xp, dep, cell=None, T=None, shapes=None, branch=0):
    got = cell.get()
    if got is None or got[0] != branch:
        raise errors.InternalError(None, None, "the forward branch's random values are missing")
    return [v._value for v in got[1]]


not_differentiable(RecordedRead)


def _branches(op) -> list:
    if op.type in ("If", "StatelessIf"):
        return [op.get_attr("then_branch"), op.get_attr("else_branch")]
    return list(op.get_attr("branches"))


def _branch_grad(op, *dys):
    """Gradient of If/Case: the same op over each branch's gradient sub-graph."""
    from tensorflux._src.autodiff.backprop import GradientTape
    from tensorflux._src.ops import array_ops

    selector = op.inputs[0]
    xs = list(op.inputs[1:])
    branches = _branches(op)
    index = op.get_attr("branch_inputs")
    tout = list(op.get_attr("Tout"))
    outs = list(op.outputs)
    # Inputs that receive gradients: floating tensors, and variable handles read inside.
    var_info = {}
    for i, x in enumerate(xs):
        if x.dtype is dtypes.resource:
            for b, ix in zip(branches, index):
                var = b.variables.get(id(x))
                info = (var.dtype, var.shape) if var is not None else _read_info(b, ix, i)
                if info is not None and info[1].is_fully_defined():
                    var_info[i] = info
                    break
    diff = [i for i, x in enumerate(xs) if sgm.differentiable(x.dtype) or i in var_info]
    douts = [k for k, dt in enumerate(tout) if sgm.differentiable(dt)]
    if not diff or not douts:
        return [None] * len(op.inputs)
    dy_vals = []
    for k in douts:
        d = dys[k]
        dy_vals.append(array_ops.zeros_like(outs[k]) if d is None else convert_to_tensor(d))
    n = len(xs)
    cell = op.attrs.get("_record")
    if any(b.recorded for b in branches):
        if sgm.graph_op(op) is None:
            raise NotImplementedError(
                "Differentiating a cond/switch_case whose branches draw random values needs the "
                "forward op in the graph being traced (not supported for this op)."
            )
        cell.enabled = True

    def grad_fn(branch, ix):
        def g(*args):
            xin, dy = args[:n], list(args[n:])
            with GradientTape(persistent=True) as tape:
                for i in diff:
                    tape._tape.watch(xin[i])
                rec = None
                if branch.recorded:
                    rec = RecordedRead(outs[0], cell=cell, T=[t.dtype for t in branch.recorded],
                                       shapes=[t.shape for t in branch.recorded],
                                       branch=branches.index(branch))
                res = sgm.replay(branch, [xin[j] for j in ix], rec)
            targets = [res[k] for k in douts]
            grads = tape.gradient(targets, [xin[i] for i in diff], output_gradients=dy)
            out = []
            for i, gr in zip(diff, grads):
                if gr is None:
                    if i in var_info:
                        dt, shape = var_info[i]
                        gr = array_ops.zeros(shape, dt)
                    else:
                        gr = array_ops.zeros_like(xin[i])
                out.append(convert_to_tensor(gr))
            return out

        return g

    specs = [sgm.spec_of(x) for x in xs] + [sgm.spec_of(d) for d in dy_vals]
    gsgs = [sgm.trace_fn(grad_fn(b, ix), specs, f"{b.name}_grad") for b, ix in zip(branches, index)]
    # Variable handles reach the gradient branches as arguments, not captures: link them to
    # their variables so that an outer tape differentiates this op again (second order).
    fwd_vars = {}
    for b in branches:
        fwd_vars.update(b.variables)
    for x in xs:
        if x.dtype is dtypes.resource and id(x) not in fwd_vars:
            var = fwd_vars.get(id(_captured_value(x)))
            if var is not None:
                fwd_vars[id(x)] = var
    for g in gsgs:
        g.variables.update(fwd_vars)
    if op.type in ("If", "StatelessIf"):
        res = _build(If, StatelessIf, selector, gsgs, xs + dy_vals, cond=True)
    else:
        res = _build(Case, StatelessCase, selector, gsgs, xs + dy_vals, cond=False)
    grads = [None] * len(op.inputs)
    for i, r in zip(diff, res):
        grads[1 + i] = r
    return grads


def _captured_value(x):
    """The outer value a graph placeholder stands for (through nested graphs), else `x`."""
    seen = 0
    while seen < 32:
        graph = getattr(x, "graph", None)
        hit = None
        for value, ph in getattr(graph, "captures", ()):
            if ph is x:
                hit = value
                break
        if hit is None:
            return x
        x, seen = hit, seen + 1
    return x


def _read_info(branch, ix, i):
    """(dtype, shape) of a variable read through op input `i` inside `branch`, else None."""
    try:
        pos = ix.index(i)
    except ValueError:
        return None
    ph = branch.inputs[pos]
    for op in branch.graph._ops:
        if op.type == "ReadVariableOp" and op.inputs and op.inputs[0] is ph:
            return op.outputs[0].dtype, op.outputs[0].shape
    return None


for _op in (StatelessIf, If, StatelessCase, Case):
    _op.gradient(_branch_grad)


def _build(stateful_op, stateless_op, selector, sgs, args, cond: bool, name=None):
    """Adds the branch op running `sgs` (argument lists `args` then captures); returns outputs.

    Every sub-graph gets the op inputs it needs: `args` first (all sub-graphs take them), then
    the union of their captured values.
    """
    inputs, index = sgm.union_inputs(sgs, args)
    # Output shapes: the most specific shape every branch satisfies.
    shapes = list(sgs[0].output_shapes)
    for sg in sgs[1:]:
        shapes = [sgm.most_specific_compatible(a, b) for a, b in zip(shapes, sg.output_shapes)]
    attrs = {
        "Tin": [x.dtype for x in inputs],
        "Tout": list(sgs[0].output_dtypes),
        "output_shapes": shapes,
        "branch_inputs": index,
        "_record": sgm.Cell(),
    }
    if cond:
        attrs["then_branch"], attrs["else_branch"] = sgs
    else:
        attrs["branches"] = list(sgs)
    op = stateful_op if any(sg.stateful for sg in sgs) else stateless_op
    variables = {}
    for sg in sgs:
        variables.update(sg.variables)
    note_variable_reads(inputs, variables)
    res = op(selector, *inputs, name=name, **attrs)
    return res if isinstance(res, list) else [res]


def note_variable_reads(inputs, variables) -> None:
    """Links variable handles passed to a branch op to their variables on recording tapes."""
    if not variables or not _ctx.tapes:
        return
    for x in inputs:
        var = variables.get(id(x))
        if var is None:
            continue
        for tape in list(_ctx.tapes):
            p = getattr(var, "_primary", var)
            tape.variable_accessed(p)
            if id(x) not in getattr(tape, "watched", {}):  # link each handle once
                tape.record_read(p, x)


# ------------------------------------------------------------------ structure checks


def _check_same(sgs, names, what):
    first = sgs[0]
    for sg, nm in zip(sgs[1:], names[1:]):
        try:
            nest.assert_same_structure(first.structure, sg.structure, check_types=False)
        except (ValueError, TypeError) as e:
            raise ValueError(
                f"{names[0]} and {nm} arguments to {what} must have the same number, type, and "
                f"overall structure of return values.\n\n{names[0]} output: {first.structure}\n"
                f"{nm} output: {sg.structure}\n\nError details:\n{e}"
            ) from None
        if [x is None for x in first.leaves] != [x is None for x in sg.leaves] or len(
            first.outputs
        ) != len(sg.outputs):
            raise ValueError(
                f"{names[0]} and {nm} arguments to {what} must have the same number, type, and "
                f"overall structure of return values.\n\n{names[0]} output: {first.structure}\n"
                f"{nm} output: {sg.structure}"
            )
        for a, b in zip(first.outputs, sg.outputs):
            if a.dtype is not b.dtype:
                raise TypeError(
                    f"{names[0]} and {nm} arguments to {what} must have the same number, type, "
                    f"and overall structure of return values.\n\n{names[0]} output: "
                    f"{first.structure}\n{nm} output: {sg.structure}\n\nError details:\n{a} and "
                    f"{b} have different types"
                )


# ------------------------------------------------------------------ tf.cond


def _eager_bool(pred) -> bool:
    if isinstance(pred, EagerTensor):
        return bool(pred.numpy())
    if getattr(pred, "_is_variable", False):
        return bool(pred.numpy())
    return bool(pred)


def cond(pred, true_fn=None, false_fn=None, name=None):
    """Returns `true_fn()` if `pred` is true, else `false_fn()`.

    Eagerly only the chosen function runs. Inside a traced function both are traced and the call
    becomes one If node; both must return the same structure of tensors with the same dtypes.

    Args:
      pred: a scalar boolean (tensor or Python bool).
      true_fn: callable run when `pred` is true.
      false_fn: callable run when `pred` is false.
      name: optional name prefix.

    Returns:
      The value returned by the chosen function (a single-element list stays a list).

    Raises:
      TypeError: if a function is missing or not callable, or the branches' dtypes differ.
      ValueError: if the branches return different structures.
    """
    if true_fn is None:
        raise TypeError("cond(): 'true_fn' argument required")
    if false_fn is None:
        raise TypeError("cond(): 'false_fn' argument required")
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if _ctx.graph is None:
        return true_fn() if _eager_bool(pred) else false_fn()
    return cond_op(pred, true_fn, false_fn, name)


def cond_op(pred, true_fn, false_fn, name=None):
    """`tf.cond` as one If node, eagerly too (the kernel then runs the chosen sub-graph)."""
    pred = convert_to_tensor(pred)
    if pred.dtype is not dtypes.bool:
        raise TypeError(
            f"Input 'cond' of 'If' Op has type {pred.dtype.name} that does not match expected "
            "type of bool."
        )
    if pred.shape.rank is not None and pred.shape.rank != 0:
        raise ValueError(
            f"Shape must be rank 0 but is rank {pred.shape.rank} for 'cond' (op: 'If') with "
            f"input shapes: {pred.shape}."
        )
    then_sg = sgm.trace_fn(true_fn, [], "cond_true")
    else_sg = sgm.trace_fn(false_fn, [], "cond_false")
    _check_same([then_sg, else_sg], ["true_fn", "false_fn"], "tf.cond")
    res = _build(If, StatelessIf, pred, [then_sg, else_sg], [], cond=True, name=name or "cond")
    return sgm.pack_outputs(then_sg, res)


# ------------------------------------------------------------------ tf.switch_case


def _branch_list(branch_fns) -> list:
    if isinstance(branch_fns, dict):
        items = sorted(branch_fns.items())
    elif branch_fns and all(isinstance(b, (tuple, list)) and len(b) == 2 for b in branch_fns):
        items = sorted(branch_fns, key=lambda kv: kv[0])
    else:
        items = list(enumerate(branch_fns or []))
    if not items:
        raise ValueError("Must provide at least one item in 'branch_fns'")
    keys = [k for k, _ in items]
    for k, fn in items:
        if not isinstance(k, int):
            raise TypeError(f"key must be a Python `int`, got {type(k)}")
        if not callable(fn):
            raise TypeError(f"fn for key {k} must be callable.")
    if keys != list(range(len(keys))):
        found = ",".join(str(k) for k in sorted(keys))
        raise ValueError(
            f"branch indices (keys) must form contiguous range of [0 to {len(keys)}) but found "
            f"{{{found}}}"
        )
    return [fn for _, fn in items]


def switch_case(branch_index, branch_fns, default=None, name="switch_case"):
    """Runs `branch_fns[branch_index]()`, or `default()` when the index is out of range.

    Args:
      branch_index: an int32/int64 scalar tensor.
      branch_fns: a list of callables, a list of (int, callable) pairs, or a dict int -> callable;
        the keys must be 0..N-1.
      default: callable for out-of-range indices (default: the last branch).
      name: optional name.

    Returns:
      The chosen function's result.

    Raises:
      TypeError: if `branch_index` is not an integer tensor.
      ValueError: if `branch_fns` is empty or its keys are not contiguous.
    """
    if not isinstance(branch_index, Tensor):
        raise TypeError(f"'branch_index' must be a Tensor, got {type(branch_index)}")
    if not branch_index.dtype.is_integer:
        raise TypeError(f"'branch_index' must be an integer Tensor, got {branch_index.dtype!r}")
    fns = _branch_list(branch_fns)
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    if default is None:
        default = fns[-1]
    if _ctx.graph is None:
        i = int(branch_index.numpy())
        return fns[i]() if 0 <= i < len(fns) else default()
    return switch_case_op(branch_index, fns, default, name)


def switch_case_op(branch_index, fns, default, name=None):
    """`tf.switch_case` as one Case node, eagerly too."""
    if branch_index.shape.rank is not None and branch_index.shape.rank != 0:
        raise ValueError(
            f"Shape must be rank 0 but is rank {branch_index.shape.rank} for 'switch_case' "
            f"(op: 'Case') with input shapes: {branch_index.shape}."
        )
    if branch_index.dtype is not dtypes.int32:
        from tensorflux._src.ops import math_ops

        branch_index = math_ops.cast(branch_index, dtypes.int32)
    all_fns = fns + ([default] if default is not fns[-1] else [])
    sgs = [sgm.trace_fn(fn, [], f"branch_{i}") for i, fn in enumerate(all_fns)]
    _check_same(sgs, [f"branch_fns[{i}]" for i in range(len(sgs))], "tf.switch_case")
    res = _build(Case, StatelessCase, branch_index, sgs, [], cond=False, name=name)
    return sgm.pack_outputs(sgs[0], res)


# ------------------------------------------------------------------ tf.case


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """Runs the function paired with the first true predicate (or `default()`).

    Args:
      pred_fn_pairs: a list of (boolean scalar tensor, callable) pairs (or a dict).
      default: callable run when no predicate holds (default: the last pair's function, with a
        runtime error if no predicate holds).
      exclusive: raise InvalidArgumentError at run time if more than one predicate holds.
      strict: accepted for compatibility.
      name: optional name.

    Returns:
      The chosen function's result.

    Raises:
      TypeError: for malformed pairs or a non-tensor predicate.
      InvalidArgumentError: (at run time) as described for `exclusive` and `default`.
    """
    from tensorflux._src.control_flow import asserts
    from tensorflux._src.ops import array_ops, math_ops, reduction_ops

    if isinstance(pred_fn_pairs, dict):
        pairs = list(pred_fn_pairs.items())
    elif isinstance(pred_fn_pairs, (list, tuple)):
        pairs = list(pred_fn_pairs)
    else:
        raise TypeError("pred_fn_pairs must be a list, tuple, or dict")
    for p in pairs:
        if not isinstance(p, tuple) or len(p) != 2:
            if isinstance(p, (list, tuple)) and len(p) != 2:
                raise ValueError(f"not enough values to unpack (expected 2, got {len(p)})")
            raise TypeError("Each entry in pred_fn_pairs must be a 2-tuple")
        pred, fn = p
        if not isinstance(pred, Tensor):
            raise TypeError(f"pred must be a Tensor, got: {pred}")
        if pred.dtype is not dtypes.bool:
            raise TypeError(f"pred must be Tensor of type bool: {pred.name}")
        if not callable(fn):
            raise TypeError(f"fn for pred {pred} must be callable.")
    if not pairs:
        if default is None:
            raise ValueError("pred_fn_pairs must be provided if default is not provided.")
        raise ValueError("not enough values to unpack (expected 2, got 0)")
    preds = [p for p, _ in pairs]
    fns = [f for _, f in pairs]
    stacked = array_ops.stack(preds)
    checks = []
    if exclusive:
        count = reduction_ops.reduce_sum(math_ops.cast(stacked, dtypes.int32))
        names = ", ".join("?" if isinstance(p, EagerTensor) else p.name for p in preds)
        checks.append(
            asserts.Assert(
                math_ops.less(count, 2),
                [f"Input error: exclusive=True: more than 1 conditions ({names}) evaluated as "
                 "True:", stacked],
            )
        )
    if default is None:
        default_fn = fns[-1]
        preds, fns = preds[:-1], fns[:-1]
        none_true = math_ops.logical_not(reduction_ops.reduce_any(stacked))

        def last():
            asserts.Assert(
                math_ops.logical_not(none_true),
                ["Input error: None of conditions evaluated as True:", stacked],
            )
            return default_fn()

        default = last
    if _ctx.graph is None:
        for p, f in zip(preds, fns):
            if bool(p.numpy()):
                return f()
        return default()

    def chain(i):
        if i == len(preds):
            return default()
        return cond(preds[i], fns[i], lambda: chain(i + 1))

    if checks:
        with _ctx.graph.control_dependencies([c for c in checks if c is not None]):
            return chain(0)
    return chain(0)

