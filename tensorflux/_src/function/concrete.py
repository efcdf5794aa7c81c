"""`ConcreteFunction`: one trace of a tf.function, its graph, and how a call runs it.

Tracing (`trace_function`) calls the Python function on placeholders inside a `FuncGraph`:
tensor arguments become placeholders shaped by the cache key, variable arguments become
variables whose handle is a placeholder, everything else is passed unchanged. Variables the
function closes over are captured by handle (a resource placeholder fed with the live handle), so
each call reads their current value and assignments inside the function change them. After the
call, outputs pass through `Identity` nodes and stateful ops are chained with control edges
(per resource, and among the other stateful ops), so program order is explicit in the graph.

A call runs the graph one of two ways:
- plain eager call: the compiled `Executor` plan (built once, per-call cost is the plan's loop);
- while a tape records, or while another graph is being traced (a nested tf.function), the
  graph's ops are replayed through the dispatch point, so tapes record exactly what the eager
  function would have recorded (gradients of any order, w.r.t. inputs and captured variables)
  and an outer trace receives the ops inline.
"""

from __future__ import annotations

import contextlib
import itertools
import linecache
import os
import threading

from tensorflux._src import dispatch
from tensorflux._src import variables as _variables
from tensorflux._src.autodiff.tape import Tape as _Tape
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors, nest, registry
from tensorflux._src.function import trace_type as tt
from tensorflux._src.graph.executor import Executor, _needed_ops, _op_device
from tensorflux._src.graph.graph import CONST, PLACEHOLDER, Graph, SymbolicTensor
from tensorflux._src.graph.passes import pipeline
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec

_ctx = _context.ctx
_uid = itertools.count(1)


class FuncGraph(Graph):
    """The graph of one traced function: `inputs` (arguments, then captures), `outputs`,
    `structured_outputs`, `variables` and `name`."""

    _keeps_v1_variables = False

    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.structured_outputs = None
        self.structured_input_signature = None
        self.variables: tuple = ()
        self._call_feeds = None  # id(placeholder) -> value, while tracing for a real call

    @property
    def external_captures(self) -> list:
        return [v for v, _ in self.captures]

    @property
    def internal_captures(self) -> list:
        return [t for _, t in self.captures]


# ------------------------------------------------------------------ variable creation policy

_SINGLETON = (
    "tf.function only supports singleton tf.Variables created on the first call. Make sure the "
    "tf.Variable is only created once or created outside tf.function. See "
    "https://www.tensorflow.org/guide/function#creating_tfvariables for more information."
)
_NON_FIRST = "Creating variables on a non-first call to a function decorated with tf.function."


class _CreationWatch:
    """Told of every variable created while tracing: records them, or refuses creation."""

    def __init__(self, error=None):
        self.error = error
        self.created: list = []
        self.thread = threading.get_ident()

    def __call__(self, var) -> None:
        if threading.get_ident() != self.thread:
            return  # a variable made by another thread while this one traces
        if self.error is not None:
            raise ValueError(self.error)
        self.created.append(var)

    @contextlib.contextmanager
    def active(self):
        _variables._creation_observers.append(self)
        try:
            yield self
        finally:
            _variables._creation_observers.remove(self)


# ------------------------------------------------------------------ tracing


def _variable_view(var, handle):
    """A variable object like `var` whose handle is the graph tensor `handle`."""
    view = object.__new__(type(var))
    view.__dict__.update(var.__dict__)
    view._handle = handle
    view._primary = view
    return view


def _make_inputs(value, key, graph, name, placeholders, feeds, flat_values):
    """The traced stand-in for `value` (keyed `key`): placeholders for tensor leaves."""
    if isinstance(key, tt.VariableKey):
        ph = graph.placeholder(dtypes.resource, [], name)
        ph._handle_data = key.shape
        placeholders.append(ph)
        if flat_values is not None:
            feeds[id(ph)] = flat_values[len(placeholders) - 1]
        return _variable_view(value, ph)
    if key.__class__ is tt.CompositeKey:  # placeholders for the components, rebuilt inside
        phs = []
        for s in key.spec._flat_tensor_specs():
            ph = graph.placeholder(s.dtype, s.shape, name)
            placeholders.append(ph)
            if flat_values is not None:
                feeds[id(ph)] = flat_values[len(placeholders) - 1]
            phs.append(ph)
        return key.spec._from_tensor_list(phs)
    if isinstance(key, tt.TensorKey):
        spec_name = getattr(value, "name", None) if isinstance(value, TensorSpec) else None
        ph = graph.placeholder(key.dtype, key.shape, spec_name or name)
        placeholders.append(ph)
        if flat_values is not None:
            feeds[id(ph)] = flat_values[len(placeholders) - 1]
        return ph
    if key.__class__ is tuple:
        tag = key[0]
        if tag == "dict":
            return {
                k: _make_inputs(value[k], sub, graph, name, placeholders, feeds, flat_values)
                for k, sub in key[1:]
            }
        if tag == "namedtuple":
            return type(value)(
                *[
                    _make_inputs(v, sub, graph, name, placeholders, feeds, flat_values)
                    for v, sub in zip(value, key[2:])
                ]
            )
        items = [
            _make_inputs(v, sub, graph, name, placeholders, feeds, flat_values)
            for v, sub in zip(value, key[1:])
        ]
        return items if tag == "list" else tuple(items)
    return value


def _signature_value(value, key, name):
    """The structured_input_signature entry: TensorSpecs named after the argument."""
    if key.__class__ is tt.CompositeKey:
        return key.spec
    if isinstance(key, tt.TensorKey):
        spec_name = value.name if isinstance(value, TensorSpec) and value.name else name
        return TensorSpec(
            key.shape, dtypes.resource if isinstance(key, tt.VariableKey) else key.dtype, spec_name
        )
    if key.__class__ is tuple:
        tag = key[0]
        if tag == "dict":
            return {k: _signature_value(value[k], sub, name) for k, sub in key[1:]}
        if tag == "namedtuple":
            return type(value)(*[_signature_value(v, s, name) for v, s in zip(value, key[2:])])
        items = [_signature_value(v, s, name) for v, s in zip(value, key[1:])]
        return items if tag == "list" else tuple(items)
    return value


def _input_text(value, key) -> str:
    """An argument's type as TensorFlow prints it (TensorSpec names only when given)."""
    if isinstance(key, tt.TensorKey) and not isinstance(key, tt.VariableKey):
        name = value.name if isinstance(value, TensorSpec) else None
        return repr(TensorSpec(key.shape, key.dtype, name))
    return tt.type_text(key)


def _convert_output(x, graph):
    if x is None:
        return None
    if isinstance(x, SymbolicTensor) and x.graph is graph:
        t = x
    elif isinstance(x, Tensor):
        t = graph.capture(x)
    elif getattr(x, "_is_variable", False) or isinstance(x, tt._PRIMITIVES):
        t = convert_to_tensor(x)
    elif hasattr(x, "__array__") and not callable(x):
        t = convert_to_tensor(x)
    else:
        return x
    return registry.get("Identity")(t)


def add_auto_control_dependencies(graph: Graph) -> None:
    """Chains stateful ops with control edges: per resource, and the others among themselves."""
    last_by_resource: dict = {}
    last_other = None
    for op in graph._ops:
        if not getattr(op.op_def, "stateful", False):
            continue
        resources = [x for x in op.inputs if x.dtype is dtypes.resource]
        if resources:
            for r in resources:
                prev = last_by_resource.get(id(r))
                if prev is not None and prev is not op:
                    op._add_control_input(prev)
                last_by_resource[id(r)] = op
        else:
            if last_other is not None:
                op._add_control_input(last_other)
            last_other = op


def trace_function(function, values, key, flat_values=None, creation=None):
    """Traces `function`'s Python function for canonical argument `values` keyed `key`.

    Args:
      function: the `Function` (its spec, name and Python function are used).
      values: the canonical argument values, one per parameter (tensors, specs or Python values).
      key: the (possibly generalized) cache key, one entry per parameter.
      flat_values: the call's flat input values, when tracing for a real call (variable initial
        values that depend on arguments are then computed from them).
      creation: a `_CreationWatch` policing variable creation.

    Returns:
      A ConcreteFunction.
    """
    spec = function._spec
    base = getattr(function, "__name__", None) or function._name  # a callable object has none
    name = f"__inference_{base}_{next(_uid)}"
    graph = FuncGraph(name)
    placeholders: list = []
    feeds: dict = {}
    old_scope = _context.set_name_scope("")
    try:
        # Outer tapes see the call (replayed), never the trace's symbolic ops.
        with _context.graph_scope(graph), _context.pause_tapes():
            traced = [
                _make_inputs(v, k, graph, n, placeholders, feeds, flat_values)
                for v, k, n in zip(values, key, spec.value_names(values))
            ]
            graph._call_feeds = feeds if flat_values is not None else None
            args, kwargs = spec.rebuild(traced)
            watch = creation or _CreationWatch()
            with watch.active():
                try:
                    fn = function._python_function
                    if function._autograph:
                        from tensorflux._src.autograph.conversion import convert
                        fn = convert(fn)
                    outputs = fn(*args, **kwargs)
                except (TypeError, ValueError) as e:
                    new = _in_user_code(e, function._autograph)
                    if new is None:
                        raise
                    raise new.with_traceback(e.__traceback__) from None
            outputs = nest.map_structure(
                lambda x: _convert_output(x, graph), outputs, expand_composites=True
            )
    finally:
        _context.set_name_scope(old_scope)
        graph._call_feeds = None
    add_auto_control_dependencies(graph)
    return ConcreteFunction(function, graph, values, key, placeholders, outputs)


_SRC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _in_user_code(e: Exception, converted: bool):
    """`e` re-made with TensorFlow's "in user code:" preamble naming the user's lines."""
    msg = str(e)
    if msg.startswith("in user code:"):
        return None  # already framed by a nested function's trace
    frames = []
    tb = e.__traceback__.tb_next if e.__traceback__ is not None else None  # skip this frame
    while tb is not None:
        code = tb.tb_frame.f_code
        if not code.co_filename.startswith(_SRC_DIR):
            frames.append((code.co_filename, tb.tb_lineno, code.co_name))
        tb = tb.tb_next
    if not frames:
        return None
    star = "  *" if converted else ""
    lines = ["in user code:", ""]
    for filename, lineno, name in frames:
        lines.append(f'    File "{filename}", line {lineno}, in {name}{star}')
        source = linecache.getline(filename, lineno).strip()
        if source:
            lines.append(f"        {source}")
        lines.append("")
    lines.append(f"    {type(e).__name__}: {msg}")
    lines.append("")
    try:
        new = type(e)("\n".join(lines))
    except Exception:  # noqa: BLE001 - an exception type that needs other arguments
        return None
    return new if str(new) == "\n".join(lines) else None


# ------------------------------------------------------------------ ConcreteFunction


def _owner(handle):
    """The Variable behind an eager resource handle, or None."""
    ref = getattr(getattr(handle, "_value", None), "owner", None)
    return ref() if ref is not None else None


class ConcreteFunction:
    """One traced graph of a tf.function, callable with tensors of its input signature.

    Attributes:
      graph: the FuncGraph.
      inputs: the graph's placeholders: arguments first, then captured handles and tensors.
      outputs: the graph tensors returned, flattened.
      structured_outputs: what the Python function returned, with graph tensors in it.
      structured_input_signature: `(args, kwargs)` of TensorSpecs and Python values.
      variables / trainable_variables: the variables the function captured.
    """

    def __init__(self, function, graph, values, key, placeholders, outputs):
        self._function = function
        self._spec = function._spec
        self.graph = graph
        self._key = key
        self._arg_placeholders = list(placeholders)
        self._values = values
        leaves = nest.flatten(outputs, expand_composites=True)
        self._out_template = outputs
        self._out_leaves = leaves
        self._out_index = [i for i, x in enumerate(leaves) if isinstance(x, SymbolicTensor)]
        self._outputs = [leaves[i] for i in self._out_index]
        graph.inputs = self._arg_placeholders + [t for _, t in graph.captures]
        graph.outputs = list(self._outputs)
        graph.structured_outputs = outputs
        names = self._spec.value_names(values)
        sig = [_signature_value(v, k, n) for v, k, n in zip(values, key, names)]
        self.structured_input_signature = self._spec.rebuild(sig, as_tuple=True)
        graph.structured_input_signature = self.structured_input_signature
        owners = []
        for v, _ in graph.captures:
            var = _owner(v) if isinstance(v, EagerTensor) else None
            if var is not None and all(var is not o for o in owners):
                owners.append(var)
        self._variables = tuple(owners)
        graph.variables = self._variables
        self._executor = None
        self._replay_plan = None
        self._name = graph.name

    # --- attributes -----------------------------------------------------------------------------

    @property
    def name(self) -> bytes:
        return self._name.encode()

    @property
    def inputs(self) -> list:
        return list(self.graph.inputs)

    @property
    def captured_inputs(self) -> list:
        return [v for v, _ in self.graph.captures]

    @property
    def outputs(self) -> list:
        return list(self._outputs)

    @property
    def structured_outputs(self):
        return self._out_template

    @property
    def variables(self) -> tuple:
        return self._variables

    @property
    def trainable_variables(self) -> tuple:
        return tuple(v for v in self._variables if v.trainable)

    # --- printing -------------------------------------------------------------------------------

    def _params(self):
        return self._spec.param_rows(self._values, self._key, _input_text)

    def _output_text(self) -> str:
        return tt.value_type_text(self._out_template)

    def _signature_line(self) -> str:
        rows = self._params()
        parts = []
        kinds = [k for _, k, _ in rows]
        for i, (n, kind, text) in enumerate(rows):
            if kind == "KEYWORD_ONLY" and (i == 0 or kinds[i - 1] != "KEYWORD_ONLY"):
                if i > 0 and kinds[i - 1] == "POSITIONAL_ONLY":
                    parts.append("/")
                parts.append("*")
            parts.append(f"{n}: {text}")
            last = i == len(rows) - 1
            if kind == "POSITIONAL_ONLY" and (last or kinds[i + 1] != "POSITIONAL_ONLY"):
                if last or kinds[i + 1] != "KEYWORD_ONLY":
                    parts.append("/")
        return f"({', '.join(parts)}) -> {self._output_text()}"

    def pretty_printed_signature(self, verbose: bool = True) -> str:
        """The signature as text: inputs, output type and captures (one line if not verbose)."""
        if not verbose:
            return self._signature_line()
        lines = ["Input Parameters:"]
        lines += [f"  {n} ({kind}): {text}" for n, kind, text in self._params()]
        lines += ["Output Type:", f"  {self._output_text()}", "Captures:"]
        if self.graph.captures:
            lines += [
                f"  {id(v)}: {TensorSpec(t.shape, t.dtype)!r}" for v, t in self.graph.captures
            ]
        else:
            lines.append("  None")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<ConcreteFunction {self._signature_line()} at 0x{id(self):X}>"

    def __str__(self) -> str:
        return f"ConcreteFunction {self.pretty_printed_signature()}"

    # --- calling --------------------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        """Runs the traced graph on arguments matching its input signature."""
        values = self._spec.canonicalize(args, kwargs, self._function)
        flat: list = []
        key = tuple(tt.make_key(v, flat) for v in values)
        if key != self._key and tt.without_tensors(key) != tt.without_tensors(self._key):
            raise TypeError(
                f"Binding inputs to tf.function failed: the arguments {args!r}, {kwargs!r} do "
                f"not match the concrete function's signature {self._signature_line()}."
            )
        for i, (v, ph) in enumerate(zip(flat, self._arg_placeholders)):
            dt = dtypes.resource if getattr(v, "_is_variable", False) else v.dtype
            if dt is not ph.dtype:
                raise errors.InvalidArgumentError(
                    None,
                    None,
                    f"cannot compute {self._name} as input #{i}(zero-based) was expected to be "
                    f"a {_legacy(ph.dtype)} tensor but is a {_legacy(dt)} tensor "
                    f"[Op:{self._name}]",
                )
        return self._call_flat(flat)

    def _call_flat(self, flat: list, checked: bool = False):
        """Runs on the flat input values (tensors, variables) and packs the outputs.

        `checked`: the values are known to match the placeholders' dtypes and shapes.
        """
        c = _ctx
        if _context.GRAPH_TRACE is not None and c.graph is None:
            _context.GRAPH_TRACE[id(self.graph)] = self.graph  # tf.summary.trace_on collects it
        replay = c.graph is not None or (c.tapes and self._tapes_record(c.tapes, flat))
        flat = [v._handle if getattr(v, "_is_variable", False) else v for v in flat]
        if not replay:
            ex = self._executor
            if ex is None:
                ex = self._executor = self._make_executor()
            try:
                if checked and all(v.__class__ is EagerTensor for v in flat):
                    res = ex.run_checked(flat)
                else:
                    res = ex(*flat)
            except errors.OpError as e:
                msg = f"{e.message} [Op:{self._name}]"
                raise type(e)(None, getattr(e, "op", None), msg) from None
        else:
            res = self._replay(flat)
        if len(self._out_index) == len(self._out_leaves):
            leaves = res
        else:
            leaves = list(self._out_leaves)
            for i, r in zip(self._out_index, res):
                leaves[i] = r
        template = self._out_template
        if not nest.is_nested(template) and not getattr(template, "_is_composite_tensor", False):
            return leaves[0] if leaves else template
        return nest.pack_sequence_as(template, leaves, expand_composites=True)

    def _make_executor(self) -> Executor:
        """The compiled plan of the optimized graph (gradients replay the unoptimized one)."""
        options = pipeline.OptimizerOptions.from_flags(_context.OPTIMIZER_OPTIONS)
        stats: list = []
        graph, outputs = pipeline.optimize(
            self.graph, self._outputs, options=options, stats=stats
        )
        n = len(self._arg_placeholders)
        self._optimized = graph
        self._pass_stats = stats
        ex = Executor(graph, list(graph.inputs[:n]), outputs)
        if getattr(self._function, "_jit_compile", None):
            from tensorflux._src.function.jit import maybe_jit

            return maybe_jit(ex, self._name)
        return ex

    @property
    def optimized_graph(self):
        """The graph after the optimization passes (what calls run; `graph` is the traced one)."""
        if self._executor is None:
            self._executor = self._make_executor()
        return self._optimized

    def optimization_report(self) -> str:
        """What the graph passes did: one line per pass run, then the node counts.

        Print `cf.graph` and `cf.optimized_graph` (one line per node) to compare before/after.
        """
        graph = self.optimized_graph
        lines = [str(s) for s in self._pass_stats]
        lines.append(
            f"total: {len(self.graph.get_operations())} -> {len(graph.get_operations())} nodes"
        )
        return "\n".join(lines)

    def _tapes_record(self, tapes, flat) -> bool:
        """Whether a recording tape would see anything of this call (else it runs compiled)."""
        for tape in tapes:
            if type(tape) is not _Tape:
                return True  # forward accumulators and other watchers: replay to be safe
            watched = tape.watched
            if any(id(getattr(v, "_primary", v)) in watched for v in flat):
                return True
            arg_vars = [v for v in flat if getattr(v, "_is_variable", False)]
            for var in itertools.chain(self._variables, arg_vars):
                if id(var) in watched or (tape.watch_accessed_variables and var.trainable):
                    return True
        return False

    def _replay(self, flat: list) -> list:
        """Runs the graph's ops one by one through the dispatch point (see the module doc)."""
        plan = self._replay_plan
        if plan is None:
            plan = self._replay_plan = _needed_ops(self.graph, self._outputs, True)
        env: dict = {}
        for ph, v in zip(self._arg_placeholders, flat):
            env[id(ph)] = v
        for v, ph in self.graph.captures:
            env[id(ph)] = v
        outer = _ctx.graph
        op_map: dict = {}
        apply = dispatch.apply
        for op in plan:
            if op.op_def is PLACEHOLDER:
                if id(op.outputs[0]) not in env:
                    raise errors.InvalidArgumentError(
                        None, op, f"You must feed a value for placeholder tensor '{op.name}'"
                    )
                continue
            if op.op_def is CONST:
                with _context.eager_scope():
                    env[id(op.outputs[0])] = convert_to_tensor(
                        op.attrs["value"], dtype=op.attrs["dtype"]
                    )
                continue
            ins = [env[id(x)] for x in op.inputs]
            before = outer.version if outer is not None else 0
            with contextlib.ExitStack() as stack:
                if outer is not None:
                    ctrl = [op_map[id(c)] for c in op._control_inputs if id(c) in op_map]
                    if ctrl:
                        stack.enter_context(outer.control_dependencies(ctrl))
                device, spec = _op_device(op)
                if device is not None:
                    old = _context.set_device(device, spec)
                    stack.callback(_context.set_device, *old)
                var = _owner(ins[0]) if op.type == "ReadVariableOp" else None
                if var is not None:
                    res = var._read()
                else:
                    if _ctx.tapes and op.type != "ReadVariableOp":
                        _link_handles(op, ins)
                    res = apply(op.op_def, ins, dict(op.attrs))
            if outer is not None and outer.version != before:
                op_map[id(op)] = outer._ops[-1]
            if isinstance(res, list):
                for t, r in zip(op.outputs, res):
                    env[id(t)] = r
            else:
                env[id(op.outputs[0])] = res
        return [env[id(t)] for t in self._outputs]


def _link_handles(op, ins) -> None:
    """Variables read inside a differentiable op (a cond branch, say) through a handle input:
    tell recording tapes, and link the handle to its variable so gradients reach it."""
    if registry.gradient_function(op.type) is None:
        return
    for x in ins:
        if getattr(x, "dtype", None) is not dtypes.resource:
            continue
        var = _owner(x)
        if var is None:
            continue
        for tape in list(_ctx.tapes):
            p = getattr(var, "_primary", var)
            tape.variable_accessed(p)
            if id(x) not in getattr(tape, "watched", {}):
                tape.record_read(p, x)


def _legacy(dt) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dt.name, dt.name)
