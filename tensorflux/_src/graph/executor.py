"""Runs a graph: its ops in creation order, each with its kernel, on eager tensors.

`Executor(graph, inputs, outputs)` compiles a plan once: the ops the outputs need (and every
stateful op, which runs in program order even when nothing reads it), a slot per tensor, and for
each step the slots that die after it, so intermediates are released as soon as they are dead.
"""

from __future__ import annotations

from typing import Optional, Sequence

from tensorflux._src import devices as _devices
from tensorflux._src import dispatch
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors
from tensorflux._src.core.device import DeviceSpec
from tensorflux._src.graph import parallel
from tensorflux._src.graph.graph import (
    CONST,
    PLACEHOLDER,
    Graph,
    Operation,
    SymbolicTensor,
    reachable_ops,
)
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor


class _Step:
    __slots__ = ("op", "op_def", "attrs", "ins", "outs", "free", "device", "spec")

    def __init__(self, op: Operation, ins, outs, device, spec):
        self.op = op
        self.op_def = op.op_def
        self.attrs = op.attrs
        self.ins = ins
        self.outs = outs
        self.free: list = []
        self.device = device
        self.spec = spec


class Executor:
    """A compiled plan that runs `graph` from values of `inputs` (placeholders) to `outputs`.

    Args:
      graph: the Graph to run.
      inputs: the placeholders fed on each call, in call order. Captured placeholders
        (`graph.captures`) are fed automatically with their captured values.
      outputs: the tensors to return.
      prune: run only the ops the outputs need, plus stateful ops (default True).
      keep_stateful: with `prune`, also run stateful ops the outputs do not need (default True).
      targets: operations to run as well, whose outputs are not returned (a Session's
        `run(init_op)`, say).
    """

    def __init__(
        self,
        graph: Graph,
        inputs: Sequence[SymbolicTensor],
        outputs: Sequence[SymbolicTensor],
        prune: bool = True,
        keep_stateful: bool = True,
        targets: Sequence[Operation] = (),
    ):
        self.graph = graph
        self.inputs = list(inputs)
        self.outputs = list(outputs)
        slot: dict[int, int] = {}  # id(tensor) -> slot

        def slot_of(t):
            k = slot.get(id(t))
            if k is None:
                k = slot[id(t)] = len(slot)
            return k

        for t in self.outputs:
            if not isinstance(t, SymbolicTensor) or t.graph is not graph:
                raise ValueError(f"Cannot fetch {t!r}: it is not a tensor of this graph")
        for op in targets:
            if not isinstance(op, Operation) or op.graph is not graph:
                raise ValueError(f"Cannot run {op!r}: it is not an operation of this graph")
        needed = _needed_ops(graph, self.outputs, prune, keep_stateful, targets)
        fed = {id(t) for t in self.inputs}
        captured = [(v, t) for v, t in graph.captures]
        fed.update(id(t) for _, t in captured)
        self._feed_slots = [slot_of(t) for t in self.inputs]
        self._capture_feeds = [(slot_of(t), v) for v, t in captured]
        self._consts: list[tuple[int, EagerTensor]] = []
        steps: list[_Step] = []
        for op in needed:
            if op.op_def is PLACEHOLDER:
                if id(op.outputs[0]) not in fed:
                    raise errors.InvalidArgumentError(
                        None,
                        op,
                        f"You must feed a value for placeholder tensor '{op.name}' with "
                        f"dtype {_tf_dtype_name(op.outputs[0].dtype)}"
                        f"{_tf_shape_text(op.outputs[0].shape)}",
                    )
                continue
            device, spec = _op_device(op)
            if op.op_def is CONST:
                dev = device or _devices.default_device()
                v = op.attrs["value"]
                self._consts.append(
                    (
                        slot_of(op.outputs[0]),
                        EagerTensor(dev.from_host(v), op.outputs[0].dtype, dev),
                    )
                )
                continue
            ins = [slot_of(x) for x in op.inputs]
            outs = [slot_of(t) for t in op.outputs]
            steps.append(_Step(op, ins, outs, device, spec))
        self._fetch_slots = [slot_of(t) for t in self.outputs]
        self._steps = steps
        self._n_slots = len(slot)
        # Release each slot after its last reader (never the fetched ones).
        keep = set(self._fetch_slots)
        last: dict[int, _Step] = {}
        for st in steps:
            for k in st.ins:
                last[k] = st
        for k, st in last.items():
            if k not in keep:
                st.free.append(k)
        for st in steps:  # outputs nobody reads die at once
            for k in st.outs:
                if k not in last and k not in keep:
                    st.free.append(k)

        self._parallel: set = set()
        self._fast = self._build_fast()

    def _build_fast(self):
        """The CPU plan: slots hold raw NumPy arrays and each step calls its kernel directly.

        Used when everything lives on CPU:0 (the default device, every capture and constant) and
        no op is placed elsewhere; dtypes are the graph's static ones, so no rule runs per call.
        """
        cpu = _devices.CPU0
        if _devices.default_device() is not cpu:
            return None
        for _, v in self._capture_feeds:
            if not isinstance(v, EagerTensor) or v._device is not cpu:
                return None
        if any(t._device is not cpu for _, t in self._consts):
            return None
        steps = []
        for st in self._steps:
            if st.device is not None:
                return None
            try:
                kernel = st.op_def.kernel_for(cpu.kernel_type)
            except (NotImplementedError, AttributeError):
                return None
            try:
                dt = st.op_def.rule.dtype([x.dtype for x in st.op.inputs], st.attrs)
            except Exception:  # noqa: BLE001 - the slow path reports it
                return None
            single = type(dt) is dtypes.DType and st.op_def.num_outputs == 1
            steps.append((kernel, st.ins, st.attrs, single, st.outs, st.free, st))
        fetch = [(k, t.dtype) for k, t in zip(self._fetch_slots, self.outputs)]
        from tensorflux._src.graph.passes._rewrite import is_pure

        self._parallel = parallel.choose_parallel(self._steps, is_pure)
        try:
            code = _compile_plan(self, steps, fetch, self._parallel)
        except Exception:  # noqa: BLE001 - the loop below serves every plan
            code = None
        return steps, fetch, code

    def __call__(self, *values) -> list:
        """Runs the plan on `values` (one per input) and returns the outputs as eager tensors."""
        if len(values) != len(self.inputs):
            raise ValueError(f"Expected {len(self.inputs)} input values, got {len(values)}")
        fast = self._fast
        if fast is not None and _context.ctx.device is None:
            out = self._run_fast(fast, values)
            if out is not None:
                return out
        slots: list = [None] * self._n_slots
        for k, v, ph in zip(self._feed_slots, values, self.inputs):
            slots[k] = _feed_value(ph, v)
        for k, v in self._capture_feeds:
            if not isinstance(v, EagerTensor):
                v = _resolve_capture(v)
            slots[k] = v
        for k, t in self._consts:
            slots[k] = t
        execute = dispatch.execute
        for st in self._steps:
            ins = [slots[k] for k in st.ins]
            try:
                if st.device is None:
                    res = execute(st.op_def, ins, st.attrs)
                else:
                    old = _context.set_device(st.device, st.spec)
                    try:
                        res = execute(st.op_def, ins, st.attrs)
                    finally:
                        _context.set_device(*old)
            except errors.OpError as e:
                raise _graph_error(e, st.op) from None
            if len(st.outs) == 1 and not isinstance(res, list):
                slots[st.outs[0]] = res
            else:
                for k, r in zip(st.outs, res):
                    slots[k] = r
            for k in st.free:
                slots[k] = None
        return [slots[k] for k in self._fetch_slots]

    def run_checked(self, values) -> list:
        """Like calling the plan, for `values` already known to be eager tensors of the inputs'
        dtypes and compatible shapes (tf.function checks them with its cache key)."""
        fast = self._fast
        if fast is not None and _context.ctx.device is None:
            out = self._run_fast(fast, values, checked=True)
            if out is not None:
                return out
        return self(*values)

    def _run_fast(self, fast, values, checked=False):
        cpu = _devices.CPU0
        slots: list = [None] * self._n_slots
        if checked:
            for k, v in zip(self._feed_slots, values):
                if v._device is not cpu:
                    return None
                slots[k] = v._value
        else:
            for k, v, ph in zip(self._feed_slots, values, self.inputs):
                v = _feed_value(ph, v)
                if v._device is not cpu:
                    return None
                slots[k] = v._value
        for k, v in self._capture_feeds:
            slots[k] = v._value
        for k, t in self._consts:
            slots[k] = t._value
        steps, fetch, code = fast
        xp = cpu.xp
        if code is not None:
            run, first_line = code
            try:
                res = run(slots, xp)
            except parallel.StepFailed as e:  # a step that ran on the pool
                err = e.error
                if isinstance(err, errors.OpError):
                    raise _graph_error(err, steps[e.index][6].op) from None
                raise err from None
            except Exception as e:  # noqa: BLE001 - find the step, give TensorFlow's error
                _raise_compiled_error(e, steps, first_line)
                raise
            return [EagerTensor(r, dt, cpu) for r, (_, dt) in zip(res, fetch)]
        for kernel, ins, attrs, single, outs, free, st in steps:
            try:
                res = kernel(xp, *[slots[k] for k in ins], **attrs)
            except Exception as e:  # redo the step the slow way for TensorFlow's error
                _raise_step_error(
                    st, [EagerTensor(slots[k], x.dtype, cpu) for k, x in zip(ins, st.op.inputs)], e
                )
                raise
            if single:
                slots[outs[0]] = res
            else:
                for k, r in zip(outs, res):
                    slots[k] = r
            for k in free:
                slots[k] = None
        return [EagerTensor(slots[k], dt, cpu) for k, dt in fetch]

    @property
    def num_steps(self) -> int:
        """How many kernel calls one run makes (constants and feeds excluded)."""
        return len(self._steps)


def _needed_ops(
    graph: Graph, outputs, prune: bool, keep_stateful: bool = True, targets=()
) -> list:
    ops = graph._ops
    if not prune:
        return list(ops)
    roots = [t.op for t in outputs] + list(targets)
    if keep_stateful:
        roots += [op for op in ops if getattr(op.op_def, "stateful", False)]
    mark = reachable_ops(roots)
    return [op for op in ops if id(op) in mark]


def _compile_plan(ex: Executor, steps: list, fetch: list, submitted=frozenset()):
    """Straight-line Python for a CPU plan: one line per step, values in local variables.

    Returns `(run, first_step_line)`; `run(slots, xp)` takes the slots holding feeds, captures
    and constants and returns the fetched arrays. Each step sits on its own line so a failure
    is traced back to its step (and its inputs, still in the frame's locals).
    """
    initial = sorted(
        {k for k in ex._feed_slots} | {k for k, _ in ex._capture_feeds} | {k for k, _ in ex._consts}
    )
    lines = ["def run(s, xp):"]
    lines += [f"    v{k} = s[{k}]" for k in initial]
    first = len(lines) + 1
    env: dict = {}
    futures: set = set()  # slots holding a future (a step running on the pool)
    for i, (kernel, ins, attrs, single, outs, free, _st) in enumerate(steps):
        if i in submitted and single:
            env[f"p{i}"] = parallel.make_submit(i, kernel, attrs)
            line = f"    v{outs[0]} = p{i}(" + ", ".join(["xp"] + [f"v{k}" for k in ins]) + ")"
            futures.add(outs[0])
        else:
            env[f"k{i}"] = kernel
            args = ", ".join(["xp"] + [f"v{k}" for k in ins])
            if attrs:
                env[f"a{i}"] = attrs
                args += f", **a{i}"
            if single:
                lhs = f"v{outs[0]}"
            elif outs:
                lhs = "(" + ", ".join(f"v{k}" for k in outs) + ",)"
            else:
                lhs = "_"
            waits = [k for k in dict.fromkeys(ins) if k in futures]
            futures.difference_update(waits)
            line = "    " + "".join(f"v{k} = v{k}.result(); " for k in waits)
            line += f"{lhs} = k{i}({args})"
        if free:
            line += "; del " + ", ".join(f"v{k}" for k in free)
            futures.difference_update(free)
        lines.append(line)
    waits = [k for k, _ in fetch if k in futures]
    lines.append("    " + "".join(f"v{k} = v{k}.result(); " for k in dict.fromkeys(waits))
                 + "return [" + ", ".join(f"v{k}" for k, _ in fetch) + "]")  # fmt: skip
    code = compile("\n".join(lines) + "\n", f"<tensorflux plan {id(ex):x}>", "exec")
    exec(code, env)  # noqa: S102 - code generated above from the plan, no user text
    return env["run"], first


def _raise_compiled_error(e: Exception, steps: list, first_line: int) -> None:
    """Maps an exception from a compiled plan to the failing step's TensorFlow error."""
    tb = e.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<tensorflux plan"):
        tb = tb.tb_next
    if tb is None:
        return
    i = tb.tb_lineno - first_line
    if not 0 <= i < len(steps):
        return
    st = steps[i][6]
    local = tb.tb_frame.f_locals
    cpu = _devices.CPU0
    ins = [EagerTensor(local[f"v{k}"], x.dtype, cpu) for k, x in zip(st.ins, st.op.inputs)]
    _raise_step_error(st, ins, e)


def _raise_step_error(st: _Step, ins: list, e: Exception) -> None:
    """Raises the error the slow path gives for step `st` on `ins` (if it fails there too)."""
    try:
        dispatch.execute(st.op_def, ins, st.attrs)
    except errors.OpError as err:
        raise _graph_error(err, st.op) from None
    raise e


_TF_DTYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def _tf_dtype_name(dtype) -> str:
    return _TF_DTYPE_NAMES.get(dtype.name, dtype.name)


def _tf_shape_text(shape) -> str:
    """' and shape [?,2]' as TensorFlow's messages write a known-rank shape, else ''."""
    if shape.rank is None:
        return ""
    dims = ",".join("?" if d is None else str(d) for d in shape.as_list())
    return f" and shape [{dims}]"


def _op_device(op: Operation):
    if not op.device:
        return None, None
    spec = DeviceSpec.from_string(op.device)
    return _devices.lookup(spec), spec


def _feed_value(ph: SymbolicTensor, v) -> EagerTensor:
    if not isinstance(v, EagerTensor):
        if isinstance(v, Tensor):
            raise TypeError(f"Cannot feed symbolic tensor {v!r} to placeholder '{ph.op.name}'")
        with _context.eager_scope():
            v = convert_to_tensor(v, dtype=ph.dtype)
    elif v.dtype is not ph.dtype:
        raise errors.InvalidArgumentError(
            None,
            ph.op,
            f"Placeholder '{ph.op.name}' expects a {ph.dtype.name} tensor but was "
            f"fed a {v.dtype.name} tensor",
        )
    if not ph.shape.is_compatible_with(v.shape):
        raise errors.InvalidArgumentError(
            None,
            ph.op,
            f"Placeholder '{ph.op.name}' of shape {ph.shape} was fed a tensor of shape {v.shape}",
        )
    return v


def _resolve_capture(v):
    """A captured value as an eager tensor (variables and other convertible values read now)."""
    if isinstance(v, SymbolicTensor):
        raise ValueError(f"The graph captures {v!r} of another graph, which must be fed")
    with _context.eager_scope():
        return convert_to_tensor(v)


def _graph_error(e: errors.OpError, op: Operation) -> errors.OpError:
    msg = e.message
    tail = f" [Op:{op.type}]"
    if msg.endswith(tail):
        msg = msg[: -len(tail)]
    where = "".join(f'  File "{f}", line {n}, in {fn}\n\n' for f, n, fn in op._traceback)
    text = (
        f"Graph execution error:\n\nDetected at node {op.name} defined at (most recent call last):"
        f"\n{where}{msg}\n\t [[{{{{node {op.name}}}}}]]"
    )
    return type(e)(None, op, text)


def run(graph: Graph, fetches, feeds: Optional[Sequence] = None, prune: bool = True):
    """Runs `graph` once, returning eager values of `fetches` (a tensor or a list of tensors).

    Args:
      graph: the Graph.
      fetches: a SymbolicTensor or a list of them.
      feeds: (placeholder, value) pairs, or a dict keyed by `placeholder.ref()`.
      prune: run only what the fetches need, plus stateful ops.
    """
    pairs = list(feeds.items()) if isinstance(feeds, dict) else list(feeds or [])
    pairs = [(k.deref() if hasattr(k, "deref") else k, v) for k, v in pairs]
    single = isinstance(fetches, Tensor)
    outs = [fetches] if single else list(fetches)
    ex = Executor(graph, [k for k, _ in pairs], outs, prune=prune)
    res = ex(*[v for _, v in pairs])
    return res[0] if single else res
