"""Graphs of ops: `Graph`, `Operation` and `SymbolicTensor`, the objects tracing builds.

While a graph is being built (`core.context.graph_scope(graph)`), the dispatch point hands every op
call to `Graph.add_op`, which runs the op's dtype and shape rules and adds a node whose outputs are
`SymbolicTensor`s. Operations offer the view gradient functions expect from tape entries
(`inputs`, `outputs`, `type`, `get_attr`), so one gradient function serves both.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from typing import Optional

import numpy as np

from tensorflux._src import devices as _devices
from tensorflux._src import dispatch
from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors
from tensorflux._src.core.shape import TensorShape, as_shape
from tensorflux._src.tensor import EagerTensor, Tensor

_ctx = _context.ctx


class _OperatorNotAllowedInGraphError(TypeError):
    """Using a symbolic tensor where Python needs a concrete value (`bool(t)`, `for x in t`)."""


# Prefer tf.errors' class once core/errors.py defines it, so `except` clauses see one class.
OperatorNotAllowedInGraphError = getattr(
    errors, "OperatorNotAllowedInGraphError", _OperatorNotAllowedInGraphError
)

_NOT_ALLOWED_HINT = (
    "You can attempt the following resolutions to the problem: If you are running in Graph mode, "
    "use Eager execution mode or decorate this function with @tf.function. If you are using "
    "AutoGraph, you can try decorating this function with @tf.function. If that does not work, "
    "then you may be using an unsupported feature or your source code may not be visible to "
    "AutoGraph."
)

# Eager tensors up to this many elements are captured as Const nodes, larger ones as placeholders.
_EAGER_CONST_THRESHOLD = 128
# Constant folding for static values (shape rules) only runs kernels on inputs this small.
_FOLD_MAX_ELEMENTS = 1024

_SRC_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_ROOT_NAME = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\\/>-]*$")
_SCOPED_NAME = re.compile(r"^[A-Za-z0-9_.\\/>-]*$")


# ------------------------------------------------------------------------------ SymbolicTensor


class SymbolicTensor(Tensor):
    """An output of a graph `Operation`: a dtype and a static shape, with no value until run."""

    __slots__ = (
        "_op", "_value_index", "_dtype", "_shape", "_handle_data", "_keras_mask", "__weakref__"
    )  # fmt: skip

    def __init__(self, op: "Operation", value_index: int, dtype: dtypes.DType, shape: TensorShape):
        self._op = op
        self._value_index = value_index
        self._dtype = dtype
        self._shape = shape
        # For a resource tensor standing for a variable: the variable's shape (read ops use it).
        self._handle_data: Optional[TensorShape] = None

    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def shape(self) -> TensorShape:
        return self._shape

    @property
    def op(self) -> "Operation":
        return self._op

    @property
    def graph(self) -> "Graph":
        return self._op.graph

    @property
    def name(self) -> str:
        return f"{self._op.name}:{self._value_index}"

    @property
    def value_index(self) -> int:
        return self._value_index

    @property
    def device(self) -> str:
        return self._op.device

    def set_shape(self, shape) -> None:
        """Narrows the static shape to `shape`; ValueError if they are incompatible."""
        shape = as_shape(shape)
        mine = self._shape
        if mine.rank is not None and shape.rank is not None:
            if mine.rank != shape.rank:
                raise ValueError(f"Shapes must be equal rank, but are {mine.rank} and {shape.rank}")
            for i, (a, b) in enumerate(zip(mine, shape)):
                if a is not None and b is not None and a != b:
                    raise ValueError(
                        f"Dimension {i} in both shapes must be equal, but are {a} and {b}. "
                        f"Shapes are {_shape_text(mine)} and {_shape_text(shape)}."
                    )
        self._shape = mine.merge_with(shape)

    def __hash__(self):
        # A plain tf.Graph's tensors are hashable (TF1 code keys feed_dicts by them); those of a
        # tf.function's graph are not, as eager tensors are not.
        if self._op.graph._keeps_v1_variables:
            return id(self)
        return Tensor.__hash__(self)

    def eval(self, feed_dict=None, session=None):
        """This tensor's value computed by `session` (or the default tf.compat.v1 Session)."""
        from tensorflux._src.compat import session as _session  # layer-ok: TF1 eval() API

        return _session.eval_tensor(self, feed_dict, session)

    def consumers(self) -> list:
        """The operations of this graph that take this tensor as an input."""
        return [op for op in self._op.graph._ops if any(x is self for x in op.inputs)]

    def _static_value(self) -> Optional[np.ndarray]:
        """The value when it is known while building (constants and small constant subgraphs)."""
        vals = self._op._fold()
        return None if vals is None else vals[self._value_index]

    def __bool__(self):
        raise OperatorNotAllowedInGraphError(
            f"Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. {_NOT_ALLOWED_HINT}"
        )

    def __iter__(self):
        raise OperatorNotAllowedInGraphError(
            f"Iterating over a symbolic `tf.Tensor` is not allowed. {_NOT_ALLOWED_HINT}"
        )

    def __len__(self):
        raise TypeError(
            f"len is not well defined for a symbolic Tensor ({self.name}). Please call `x.shape` "
            "rather than `len(x)` for shape information."
        )

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy array. This error may "
            "indicate that you're trying to pass a Tensor to a NumPy call, which is not supported."
        )

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __str__(self) -> str:
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    def __repr__(self) -> str:
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"


def _shape_text(s: TensorShape) -> str:
    if s.rank is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in s) + "]"


# ------------------------------------------------------------------------------ Operation


class _BuiltinOp:
    """The op definition of graph-only node types (Const, Placeholder), which have no kernel."""

    __slots__ = ("name",)
    num_outputs = 1
    stateful = False
    host_inputs = ()
    differentiable = False
    grad_fn = None

    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<OpDef {self.name}>"


CONST = _BuiltinOp("Const")
PLACEHOLDER = _BuiltinOp("Placeholder")

_UNFOLDED = object()


class Operation:
    """A node of a `Graph`: an op type, input tensors, attributes and output tensors."""

    __slots__ = (
        "graph", "name", "op_def", "inputs", "outputs", "attrs", "_control_inputs", "device",
        "_index", "_traceback", "_folded", "__weakref__",
    )  # fmt: skip

    def __init__(self, graph, name, op_def, inputs, attrs, out_dtypes, out_shapes, control_inputs):
        self.graph = graph
        self.name = name
        self.op_def = op_def
        self.inputs = tuple(inputs)
        self.attrs = attrs
        self._control_inputs = list(control_inputs)
        spec = _ctx.device_spec
        self.device = spec.to_string() if spec is not None else ""
        self._index = len(graph._ops)
        self._traceback = _user_frames()
        self._folded = _UNFOLDED
        self.outputs = [
            SymbolicTensor(self, i, dt, as_shape(s))
            for i, (dt, s) in enumerate(zip(out_dtypes, out_shapes))
        ]

    @property
    def type(self) -> str:
        return self.op_def.name

    @property
    def control_inputs(self) -> list:
        return list(self._control_inputs)

    @property
    def traceback(self) -> list:
        """Where the op was created: user frames (filename, lineno, function), outermost first."""
        return list(self._traceback)

    def values(self) -> tuple:
        return tuple(self.outputs)

    def get_attr(self, name: str):
        try:
            return self.attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self.name}' has no attr named '{name}'.") from None

    def _add_control_input(self, op: "Operation") -> None:
        if not isinstance(op, Operation) or op.graph is not self.graph:
            raise ValueError(f"{op!r} is not an Operation of the same graph as {self!r}")
        if all(c is not op for c in self._control_inputs):
            self._control_inputs.append(op)

    @property
    def node_def(self) -> "NodeDef":
        return NodeDef(self)

    def _fold(self) -> Optional[list]:
        """The outputs' values if computable while building (cached), else None."""
        if self._folded is _UNFOLDED:
            try:
                self._folded = _fold(self)
            except RecursionError:
                self._folded = None
        return self._folded

    def run(self, feed_dict=None, session=None) -> None:
        """Runs this operation in `session` (or the default `tf.compat.v1.Session`)."""
        from tensorflux._src.compat import session as _session  # layer-ok: TF1 run() API

        _session.run_operation(self, feed_dict, session)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self.name}' type={self.type}>"


class NodeDef:
    """A read-only view of an Operation shaped like TensorFlow's NodeDef message."""

    __slots__ = ("name", "op", "input", "device", "attr")

    def __init__(self, op: Operation):
        self.name = op.name
        self.op = op.type
        self.input = [_input_name(x) for x in op.inputs]
        self.input += [f"^{c.name}" for c in op._control_inputs]
        self.device = op.device
        self.attr = dict(op.attrs)

    def __str__(self) -> str:
        lines = [f'name: "{self.name}"', f'op: "{self.op}"']
        lines += [f'input: "{i}"' for i in self.input]
        if self.device:
            lines.append(f'device: "{self.device}"')
        for k in sorted(self.attr):
            lines.append(f"attr {{ key: {k!r} value: {_attr_text(self.attr[k])} }}")
        return "\n".join(lines) + "\n"


def _input_name(t: SymbolicTensor) -> str:
    return t._op.name if t._value_index == 0 else t.name


def _attr_text(v) -> str:
    if isinstance(v, np.ndarray):
        return np.array2string(v, threshold=8, edgeitems=2, separator=" ").replace("\n", "")
    if isinstance(v, dtypes.DType):
        return v.name
    return repr(v)


def _user_frames(limit: int = 2, depth: int = 24) -> tuple:
    """The innermost `limit` frames outside tensorflux's internals, outermost first."""
    out = []
    f = sys._getframe(3)  # skip Operation.__init__, Graph._create and its caller
    while f is not None and depth:
        code = f.f_code
        if not code.co_filename.startswith(_SRC_DIR):
            out.append((code.co_filename, f.f_lineno, code.co_name))
            if len(out) == limit:
                break
        f = f.f_back
        depth -= 1
    out.reverse()
    return tuple(out)


# ------------------------------------------------------------------------------ constant folding


def fold_shape_op(op: Operation) -> Optional[list]:
    """The value of a Shape/Size/Rank op from its input's static shape, or None if not known."""
    s = op.inputs[0].shape
    np_t = op.outputs[0].dtype.as_numpy_dtype
    if op.type == "Rank":
        return None if s.rank is None else [np.asarray(s.rank, dtype=np_t)]
    if not s.is_fully_defined():
        return None
    if op.type == "Shape":
        return [np.asarray(s.as_list(), dtype=np_t)]
    return [np.asarray(s.num_elements(), dtype=np_t)]


def reachable_ops(roots, control: bool = True) -> set:
    """ids of the ops the `roots` ops depend on (themselves included), through data inputs and,
    if `control`, control inputs."""
    mark = set()
    stack = list(roots)
    while stack:
        op = stack.pop()
        if id(op) in mark:
            continue
        mark.add(id(op))
        stack.extend(x.op for x in op.inputs)
        if control:
            stack.extend(op._control_inputs)
    return mark


def _fold(op: Operation) -> Optional[list]:
    t = op.type
    if op.op_def is CONST:
        return [op.attrs["value"]]
    if op.op_def is PLACEHOLDER or op.op_def.stateful:
        return None
    if t in ("Shape", "Size", "Rank") and op.inputs:
        return fold_shape_op(op)
    if not op.inputs or not hasattr(op.op_def, "kernel_for"):
        return None
    vals = []
    total = 0
    for x in op.inputs:
        v = x._static_value() if isinstance(x, SymbolicTensor) else None
        if v is None:
            return None
        total += np.size(v)
        if total > _FOLD_MAX_ELEMENTS:
            return None
        vals.append(v)
    if any(o.dtype in (dtypes.resource, dtypes.variant) for o in op.outputs):
        return None
    dev = _devices.CPU0
    ins = [EagerTensor(np.asarray(v), x.dtype, dev) for v, x in zip(vals, op.inputs)]
    try:
        res = dispatch.execute(op.op_def, ins, op.attrs)
    except Exception:  # a constant input the kernel rejects: the runtime will report it
        return None
    res = res if isinstance(res, list) else [res]
    return [r.numpy() for r in res]


# ------------------------------------------------------------------------------ Graph


class Graph:
    """A dataflow graph: operations in creation order, each with unique name.

    Ops called inside `with graph.as_default():` (or `core.context.graph_scope(graph)`) add nodes
    here instead of running. Eager tensors used as inputs are captured: small ones as `Const`
    nodes, larger ones as placeholders listed in `captures` (fed by the executor).
    """

    def __init__(self):
        self._ops: list[Operation] = []
        self._by_name: dict[str, Operation] = {}
        self._names_in_use: dict[str, int] = {}
        self._capture_map: dict[int, tuple] = {}
        self.captures: list[tuple] = []  # (outer value, placeholder) pairs, in capture order
        self.inputs: list[SymbolicTensor] = []  # placeholders of the traced function's arguments
        self.outputs: list = []
        self._control_stack: list[list[Operation]] = []
        self._version = 0
        self._finalized = False
        # (variable, initial value) for each variable created with this graph as the default
        # (TF1 style): tf.compat.v1's initializers assign those values again.
        self._v1_variables: list = []

    # Whether variables created while this is the default graph are listed in `_v1_variables`
    # (tf.compat.v1.global_variables_initializer); tf.function's graphs leave that off.
    _keeps_v1_variables = True

    @property
    def finalized(self) -> bool:
        """True after `finalize()`: no more operations can be added."""
        return self._finalized

    def finalize(self) -> None:
        """Makes the graph read-only; adding an operation afterwards raises RuntimeError."""
        self._finalized = True

    # --- building -------------------------------------------------------------------------------

    def as_default(self):
        """A context in which op calls add nodes to this graph."""
        return _context.graph_scope(self)

    def add_op(self, op_def, inputs, attrs, name=None):
        """Adds a node running `op_def` on `inputs`; returns its output tensor(s).

        Runs the op's dtype and shape rules. Rule failures raise what TensorFlow raises while
        tracing: TypeError for dtype mismatches, ValueError for incompatible shapes.
        """
        inputs = [self._as_graph_input(x) for x in inputs]
        in_dtypes = [x.dtype for x in inputs]
        try:
            out_dtype = op_def.rule.dtype(in_dtypes, attrs)
        except errors.OpError as e:
            raise TypeError(_dtype_message(e.message, op_def.name, in_dtypes)) from None
        try:
            out_shape = op_def.rule.shape(inputs, attrs)
        except (errors.OpError, ValueError) as e:
            msg = e.message if isinstance(e, errors.OpError) else str(e)
            node = self._op_name(name, op_def.name, mark=False)
            raise ValueError(_shape_message(msg, node, op_def.name, inputs, attrs)) from None
        single = isinstance(out_dtype, dtypes.DType) and op_def.num_outputs == 1
        if single:
            out_dtypes, out_shapes = [out_dtype], [out_shape]
        else:
            n = op_def.n_outputs(attrs, len(inputs))
            out_dtypes = list(out_dtype)
            multi = isinstance(out_shape, (list, tuple))
            out_shapes = list(out_shape) if multi else [out_shape] * n
            if len(out_dtypes) != n or len(out_shapes) != n:
                raise ValueError(
                    f"Op {op_def.name}'s rule gave {len(out_dtypes)} dtypes and {len(out_shapes)} "
                    f"shapes for {n} outputs"
                )
        op = self._create(
            self._op_name(name, op_def.name), op_def, inputs, attrs, out_dtypes, out_shapes
        )
        return op.outputs[0] if single else list(op.outputs)

    def constant(self, value, dtype: dtypes.DType, name: str = "Const") -> SymbolicTensor:
        """Adds a `Const` node holding the host array `value`."""
        value = np.asarray(value) if not isinstance(value, np.ndarray) else value
        op = self._create(
            self._op_name(name, "Const"),
            CONST,
            [],
            {"value": value, "dtype": dtype},
            [dtype],
            [TensorShape(value.shape)],
        )
        return op.outputs[0]

    def placeholder(self, dtype, shape=None, name: str = "Placeholder") -> SymbolicTensor:
        """Adds a `Placeholder` node: an input whose value is fed when the graph runs."""
        dtype = dtypes.as_dtype(dtype)
        shape = as_shape(shape) if shape is not None else TensorShape(None)
        op = self._create(
            self._op_name(name, "Placeholder"),
            PLACEHOLDER,
            [],
            {"dtype": dtype, "shape": shape},
            [dtype],
            [shape],
        )
        return op.outputs[0]

    def capture(self, value, name: Optional[str] = None) -> SymbolicTensor:
        """The graph tensor standing for `value`, an eager tensor or another graph's tensor."""
        hit = self._capture_map.get(id(value))
        if hit is not None:
            return hit[1]
        with self._no_control_dependencies():
            small = (
                isinstance(value, EagerTensor)
                and value._device.device_type == "CPU"
                and value.dtype not in (dtypes.resource, dtypes.variant)
                and value.shape.num_elements() <= _EAGER_CONST_THRESHOLD
            )
            if small:
                t = self.constant(value.numpy(), value.dtype, name or "Const")
            else:
                name = name or self._variable_capture_name(value) or "Placeholder"
                t = self.placeholder(value.dtype, value.shape, name)
                self.captures.append((value, t))
                t._handle_data = _handle_shape(value)
        self._capture_map[id(value)] = (value, t)  # keeps `value` alive, so its id stays unique
        return t

    def _variable_capture_name(self, value) -> Optional[str]:
        """In a plain graph, a captured variable handle's node takes the variable's name."""
        if not self._keeps_v1_variables or value.dtype is not dtypes.resource:
            return None
        name = getattr(value._value, "name", None)
        if not isinstance(name, str) or not _ROOT_NAME.match(name):
            return None
        base, i = name, 0
        while name.lower() in self._names_in_use:
            i += 1
            name = f"{base}_{i}"
        self._names_in_use[name.lower()] = 1
        return name + "/"  # taken as is, outside the current name scope

    def lift_to_eager(self, tensor: SymbolicTensor, feeds: Optional[dict] = None) -> EagerTensor:
        """Computes `tensor` of this graph now, eagerly (a variable's initial value, say).

        Only the ops `tensor` depends on run (stateful ones it does not need are left out).
        `feeds` maps `id(placeholder)` to a value for placeholders that are not captures.

        Raises:
          ValueError: if `tensor` depends on a placeholder with no value.
        """
        from tensorflux._src.graph.executor import Executor

        feeds = feeds or {}
        captured = {id(t) for _, t in self.captures}
        need = []
        seen = set()
        stack = [tensor.op]
        while stack:
            op = stack.pop()
            if id(op) in seen:
                continue
            seen.add(id(op))
            if op.op_def is PLACEHOLDER:
                t = op.outputs[0]
                if id(t) not in captured:
                    if id(t) not in feeds:
                        raise ValueError(
                            f"Cannot compute {tensor.name} eagerly: it depends on the "
                            f"function argument {op.name}"
                        )
                    need.append(t)
            stack.extend(x.op for x in op.inputs)
            stack.extend(op._control_inputs)
        ex = Executor(self, need, [tensor], keep_stateful=False)
        with _context.eager_scope():
            return ex(*[feeds[id(t)] for t in need])[0]

    def _as_graph_input(self, x) -> SymbolicTensor:
        if isinstance(x, SymbolicTensor):
            return x if x._op.graph is self else self.capture(x)
        if isinstance(x, EagerTensor):
            return self.capture(x)
        raise TypeError(f"Expected a tensor as an op input, got {type(x).__name__}: {x!r}")

    def _create(self, name, op_def, inputs, attrs, out_dtypes, out_shapes) -> Operation:
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        if name in self._by_name:  # only names given as "scope/" skip uniquification
            raise ValueError(f"Duplicate node name in graph: '{name}'")
        control = []
        for group in self._control_stack:
            control.extend(c for c in group if all(c is not k for k in control))
        op = Operation(self, name, op_def, inputs, attrs, out_dtypes, out_shapes, control)
        self._ops.append(op)
        self._by_name[name] = op
        self._version += 1
        return op

    # --- names ----------------------------------------------------------------------------------

    def _op_name(self, name: Optional[str], default: str, mark: bool = True) -> str:
        if name is None or name == "":
            name = default
        elif not isinstance(name, str):
            raise TypeError(f"Op names must be strings, got {name!r}")
        if name.endswith("/"):
            return name[:-1]  # a name scope used as a name: taken as is
        _check_name(name, rooted=not _scope_prefix())
        return self.unique_name(name, mark_as_used=mark)

    def unique_name(self, name: str, mark_as_used: bool = True) -> str:
        """`name` inside the current name scope, suffixed `_1`, `_2`... if already taken.

        Names are compared case-insensitively, as TensorFlow does.
        """
        name = _scope_prefix() + name
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self._names_in_use:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    @contextlib.contextmanager
    def name_scope(self, name: Optional[str]):
        """Opens name scope `name` (made unique); `"a/"` re-enters a scope, None/"" the root.

        Yields the scope string (ending in "/", or "" at the root).
        """
        if not name:
            scope = ""
        elif name.endswith("/"):
            scope = name[:-1]
        else:
            _check_name(name, rooted=not _scope_prefix())
            scope = self.unique_name(name)
        # The context keeps the scope without its trailing "/" (core.context's convention).
        old = _context.set_name_scope(scope)
        try:
            yield scope + "/" if scope else ""
        finally:
            _context.set_name_scope(old)

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        """Ops created inside run after `control_inputs` (ops or tensors); None clears them."""
        if control_inputs is None:
            with self._no_control_dependencies():
                yield
            return
        ops = []
        for c in control_inputs:
            if isinstance(c, SymbolicTensor):
                c = c.op
            if not isinstance(c, Operation):
                raise TypeError(f"Control input must be an Operation or a Tensor: {c!r}")
            if c.graph is not self:
                raise ValueError(f"Control input {c.name} is not an element of this graph.")
            ops.append(c)
        self._control_stack.append(ops)
        try:
            yield
        finally:
            self._control_stack.pop()

    @contextlib.contextmanager
    def _no_control_dependencies(self):
        saved = self._control_stack
        self._control_stack = []
        try:
            yield
        finally:
            self._control_stack = saved

    # --- queries --------------------------------------------------------------------------------

    def as_graph_def(self, from_version=None, add_shapes=False):
        """A `GraphDef` of this graph: one node (name, op, inputs, attrs, device) per operation."""
        del from_version, add_shapes
        from tensorflux._src.graph import graph_def

        return graph_def.as_graph_def(self)

    def get_operations(self) -> list:
        return list(self._ops)

    def get_operation_by_name(self, name: str) -> Operation:
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not {type(name).__name__}.")
        if ":" in name:
            raise ValueError(f"Name '{name}' appears to refer to a Tensor, not a Operation.")
        op = self._by_name.get(name)
        if op is None:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.")
        return op

    def get_tensor_by_name(self, name: str) -> SymbolicTensor:
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not {type(name).__name__}.")
        if ":" not in name:
            if name in self._by_name:
                raise ValueError(
                    f"The name '{name}' refers to an Operation, not a Tensor. Tensor names must "
                    'be of the form "<op_name>:<output_index>".'
                )
            raise ValueError(
                f"The name '{name}' looks a like a Tensor name, but is not a valid one. Tensor "
                'names must be of the form "<op_name>:<output_index>".'
            )
        op_name, _, index = name.rpartition(":")
        try:
            i = int(index)
        except ValueError:
            raise ValueError(
                f"The name '{name}' looks a like a Tensor name, but is not a valid one. Tensor "
                'names must be of the form "<op_name>:<output_index>".'
            ) from None
        op = self._by_name.get(op_name)
        if op is None:
            raise KeyError(
                f"The name '{name}' refers to a Tensor which does not exist. The operation, "
                f"'{op_name}', does not exist in the graph."
            )
        if not 0 <= i < len(op.outputs):
            raise KeyError(
                f"The name '{name}' refers to a Tensor which does not exist. The operation, "
                f"'{op_name}', exists but only has {len(op.outputs)} outputs."
            )
        return op.outputs[i]

    @property
    def version(self) -> int:
        """How many operations have been added (grows with every node)."""
        return self._version

    def __str__(self) -> str:
        return format_graph(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} with {len(self._ops)} ops>"


def _handle_shape(value) -> Optional[TensorShape]:
    """The variable shape behind a resource tensor (eager or symbolic), or None."""
    if value.dtype is not dtypes.resource:
        return None
    if isinstance(value, SymbolicTensor):
        return value._handle_data
    return getattr(getattr(value, "_value", None), "var_shape", None)


def _scope_prefix() -> str:
    s = _ctx.name_scope
    if not s or s.endswith("/"):
        return s or ""
    return s + "/"


def _check_name(name: str, rooted: bool) -> None:
    if rooted and not _ROOT_NAME.match(name):
        raise ValueError(
            f"'{name}' is not a valid root scope name. A root scope name has to match the "
            f"following pattern: {_ROOT_NAME.pattern}"
        )
    if not rooted and not _SCOPED_NAME.match(name):
        raise ValueError(
            f"'{name}' is not a valid scope name. A scope name has to match the following "
            f"pattern: {_SCOPED_NAME.pattern}"
        )


# ------------------------------------------------------------------------------ rule errors

_LONG_NAMES = {"half": "float16", "float": "float32", "double": "float64"}
_SAME_RE = re.compile(
    r"cannot compute \{op\} as input #(\d+)\(zero-based\) was expected to be a (\w+) tensor but "
    r"is a (\w+) tensor"
)
_ALLOWED_RE = re.compile(
    r"Value for attr '(\w+)' of (\w+) is not in the list of allowed values: (.*)$"
)


def _dtype_message(msg: str, op_type: str, in_dtypes: list) -> str:
    """An eager dtype-rule message in the form TensorFlow uses while building graphs."""
    m = _SAME_RE.search(msg)
    if m:
        i, want, got = int(m.group(1)), m.group(2), m.group(3)
        want = _LONG_NAMES.get(want, want)
        got = _LONG_NAMES.get(got, got)
        j = next((k for k, d in enumerate(in_dtypes[:i]) if d.name == want), 0)
        return (
            f"Input #{i} of '{op_type}' Op has type {got} that does not match type {want} of "
            f"argument #{j}."
        )
    m = _ALLOWED_RE.search(msg)
    if m:
        dt = m.group(2)
        allowed = ", ".join(_LONG_NAMES.get(a, a) for a in m.group(3).split(", "))
        j = next((k for k, d in enumerate(in_dtypes) if d.name == dt), None)
        where = f"parameter #{j}" if j is not None else f"attr '{m.group(1)}'"
        where += f" of '{op_type}'"
        return f"Value passed to {where} has DataType {dt} not in list of allowed values: {allowed}"
    return msg.replace("{op}", op_type)


def _shape_message(msg: str, node: str, op_type: str, inputs: list, attrs: dict) -> str:
    msg = msg.replace("{op}", op_type)
    tail = f" [Op:{op_type}]"
    if msg.endswith(tail):
        msg = msg[: -len(tail)]
    args = ", ".join(_input_name(x) for x in inputs)
    shapes = ", ".join(_shape_text(x.shape) for x in inputs)
    attr = ", ".join(f"{k}={_attr_text(v)}" for k, v in sorted(attrs.items()))
    attr = f"[{attr}]" if attr else ""
    return f"{msg} for '{{{{node {node}}}}} = {op_type}{attr}({args})' with input shapes: {shapes}."


# ------------------------------------------------------------------------------ printing


def _type_text(t: SymbolicTensor) -> str:
    s = t.shape
    return f"{t.dtype.name}{'[...]' if s.rank is None else _shape_text(s)}"


def format_op(op: Operation) -> str:
    """One line: `name = Type[attrs](inputs) -> dtype[shape], ...`."""
    attrs = dict(op.attrs)
    if op.op_def is CONST:
        attrs.pop("dtype", None)
    if op.op_def is PLACEHOLDER:
        attrs = {}
    attr = ", ".join(f"{k}={_attr_text(v)}" for k, v in sorted(attrs.items()))
    args = [_input_name(x) for x in op.inputs] + [f"^{c.name}" for c in op._control_inputs]
    line = f"{op.name} = {op.type}{f'[{attr}]' if attr else ''}({', '.join(args)})"
    line += " -> " + ", ".join(_type_text(t) for t in op.outputs)
    if op.device:
        line += f" @ {op.device}"
    return line


def format_graph(graph: Graph) -> str:
    """The graph, one line per node in creation order."""
    return "\n".join(format_op(op) for op in graph._ops)
