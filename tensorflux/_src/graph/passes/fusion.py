"""Elementwise fusion: trees of element-wise ops become one `FusedElementwise` node.

A member's output must feed exactly one op (its fusion parent) and no graph output, so no
intermediate is ever needed outside the fused node. The fused kernel calls each member's own
kernel in order on the raw arrays, so values are bit-identical; what it saves is the per-op
dispatch of the executor (dtype rule, device pick, tensor wrapping, slot traffic).

Opt-in: see docs/design/graph-passes.md for the measurements.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core.registry import OpDef, Rule
from tensorflux._src.graph.graph import Graph, Operation
from tensorflux._src.graph.passes._rewrite import (
    Rewriter,
    check_outputs,
    consumers,
    control_targets,
    is_pure,
)

UNARY = frozenset(
    "Abs Acos Acosh Asin Asinh Atan Atanh Cast Ceil Cos Cosh Elu Erf Erfc Exp Expm1 Floor "
    "IsFinite IsInf IsNan LeakyRelu Log Log1p LogicalNot Neg Reciprocal Relu Relu6 Rint Round "
    "Rsqrt Selu Sigmoid Sign Sin Sinh Softplus Softsign Sqrt Square Tan Tanh".split()
)
BINARY = frozenset(
    "AddV2 Atan2 DivNoNan Equal FloorDiv FloorMod Greater GreaterEqual Less LessEqual LogicalAnd "
    "LogicalOr Maximum Minimum Mul MulNoNan NotEqual Pow RealDiv SquaredDifference Sub "
    "TruncateDiv TruncateMod Xdivy Xlog1py Xlogy".split()
)
ELEMENTWISE = UNARY | BINARY | {"SelectV2"}


# On NumPy these ops' kernels are exactly these ufuncs (fresh results): for float32/float64 the
# fused kernel may call them with `out=` set to a dead intermediate, saving an allocation.
_UFUNCS = {
    "Abs": np.absolute, "AddV2": np.add, "Ceil": np.ceil, "Cos": np.cos, "Exp": np.exp,
    "Expm1": np.expm1, "Floor": np.floor, "Log": np.log, "Log1p": np.log1p, "Maximum": np.maximum,
    "Minimum": np.minimum, "Mul": np.multiply, "Neg": np.negative, "RealDiv": np.true_divide,
    "Sin": np.sin, "Sqrt": np.sqrt, "Square": np.square, "Sub": np.subtract, "Tanh": np.tanh,
}  # fmt: skip
_INPLACE_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))
_INPLACE_MIN = 1 << 16  # below this many elements, reusing a buffer saves less than checking costs


class Program:
    """The members of a fused node: `(op_def, args, attrs, dtype)` steps; an arg `k >= 0` is
    input k, `~j` the result of step j; `dtype` is the step's result dtype. The last step's result
    is the node's output. Each device type gets a generated straight-line function."""

    __slots__ = ("steps", "out_dtype", "_compiled")

    def __init__(self, steps: list, out_dtype):
        self.steps = tuple(steps)
        self.out_dtype = out_dtype
        self._compiled: dict = {}

    def compiled(self, kernel_type: str):
        fn = self._compiled.get(kernel_type)
        if fn is None:
            fn = self._compiled[kernel_type] = _compile(self, kernel_type)
        return fn

    def source(self, kernel_type: str = "CPU") -> str:
        return _compile(self, kernel_type, source_only=True)

    def __repr__(self) -> str:
        return ">".join(d.name for d, _, _, _ in self.steps)


def _fits(a, *others) -> bool:
    """`a` can take the result of a ufunc on (a, *others): a big enough array of their shape."""
    if type(a) is not np.ndarray or a.size < _INPLACE_MIN:
        return False
    dt, shape = a.dtype, a.shape
    for b in others:
        if not isinstance(b, (np.ndarray, np.generic)) or b.dtype != dt:
            return False
        if b.shape != shape and (b.ndim > a.ndim or np.broadcast_shapes(b.shape, shape) != shape):
            return False
    return True


def _compile(program: Program, kernel_type: str, source_only: bool = False):
    """Straight-line code calling each member's kernel; each intermediate is deleted once read.

    On NumPy, a ufunc step may write into a dead intermediate made by an earlier ufunc step (a
    fresh array nothing else references) when `_fits` says the shapes and dtypes allow.
    """
    cpu = kernel_type == "CPU"
    env: dict = {"_fits": _fits}
    n_in = 1 + max((a for _, args, _, _ in program.steps for a in args if a >= 0), default=-1)
    params = "".join(f", a{i}" for i in range(n_in))
    lines = [f"def run(xp{params}):"]
    fresh: set = set()  # steps whose result is a fresh array (NumPy ufunc results)
    for j, (op_def, args, attrs, dtype) in enumerate(program.steps):
        env[f"k{j}"] = op_def.kernel_for(kernel_type)
        names = [f"a{a}" if a >= 0 else f"t{~a}" for a in args]
        extra = ""
        if attrs:
            env[f"A{j}"] = attrs
            extra = f", **A{j}"
        call = f"k{j}(xp, {', '.join(names)}{extra})"
        uf = _UFUNCS.get(op_def.name) if cpu else None
        ok_dtype = dtype is not None and np.dtype(dtype.as_numpy_dtype) in _INPLACE_DTYPES
        cand = next((~a for a in args if a < 0 and ~a in fresh), None) if uf and ok_dtype else None
        if cand is not None:
            env[f"u{j}"] = uf
            others = ", ".join(n for n in names if n != f"t{cand}")
            fits = f"_fits(t{cand}, {others})" if others else f"_fits(t{cand})"
            lines.append(f"    t{j} = u{j}({', '.join(names)}, out=t{cand}) if {fits} else {call}")
        else:
            lines.append(f"    t{j} = {call}")
        if uf is not None and ok_dtype:
            fresh.add(j)
        dead = sorted({~a for a in args if a < 0})
        if dead:
            lines.append(f"    del {', '.join(f't{m}' for m in dead)}")
    lines.append(f"    return t{len(program.steps) - 1}")
    src = "\n".join(lines) + "\n"
    if source_only:
        return src
    exec(compile(src, f"<FusedElementwise {program!r}>", "exec"), env)  # noqa: S102
    return env["run"]


def _make_kernel(kernel_type: str):
    def kernel(xp, *arrays, program):
        return program.compiled(kernel_type)(xp, *arrays)

    return kernel


FusedElementwise = OpDef(
    "FusedElementwise",
    Rule(lambda dts, attrs: attrs["program"].out_dtype, lambda ins, attrs: None),
)
FusedElementwise.kernel(_make_kernel("CPU"))
FusedElementwise.kernel(_make_kernel("GPU"), device="GPU")
FusedElementwise.differentiable = False  # execution only; gradients are taken before optimizing


def _fusible(op: Operation, targets: set) -> bool:
    return (
        op.type in ELEMENTWISE
        and len(op.outputs) == 1
        and is_pure(op)
        and not op._control_inputs
        and id(op) not in targets
        and not any(i in getattr(op.op_def, "host_inputs", ()) for i in range(len(op.inputs)))
    )


def fusion(graph: Graph, outputs, min_ops: int = 2):
    """Fuses trees of element-wise ops whose intermediates have a single reader.

    Args:
      graph: the Graph (left unchanged).
      outputs: the tensors to keep computable.
      min_ops: the smallest tree fused.

    Returns:
      `(new_graph, new_outputs, changes)`, changes being the number of ops absorbed.
    """
    outputs = check_outputs(graph, outputs)
    targets = control_targets(graph)
    reads = consumers(graph)
    fetched = {id(t) for t in outputs}
    ok = {id(op) for op in graph._ops if _fusible(op, targets)}
    root: dict[int, Operation] = {}  # id(member) -> the op whose output the tree computes
    for op in reversed(graph._ops):
        if id(op) not in ok:
            continue
        root.setdefault(id(op), op)
        for x in op.inputs:
            p = x.op
            if (
                id(p) in ok
                and reads.get(id(x), 0) == 1
                and id(x) not in fetched
                and p.device == op.device
            ):
                root[id(p)] = root[id(op)]
    members: dict[int, list] = {}
    for op in graph._ops:
        if id(op) in root:
            members.setdefault(id(root[id(op)]), []).append(op)
    rw = Rewriter(graph)
    for op in graph._ops:
        group = members.get(id(op))
        if id(op) in root and root[id(op)] is not op and len(members[id(root[id(op)])]) >= min_ops:
            rw.drop(op)  # computed inside its root's fused node
            continue
        if group is None or len(group) < min_ops:
            rw.copy(op)
            continue
        rw.changes -= 1  # the root is replaced, not removed
        _emit(rw, op, group)
    g, outs = rw.finish(outputs)
    return g, outs, rw.changes


def _emit(rw: Rewriter, root: Operation, group: list) -> None:
    step_of = {id(m.outputs[0]): j for j, m in enumerate(group)}
    ext: list = []
    ext_idx: dict[int, int] = {}
    steps = []
    for m in group:
        args = []
        for x in m.inputs:
            j = step_of.get(id(x))
            if j is not None:
                args.append(~j)
                continue
            nx = rw.tensor(x)
            k = ext_idx.get(id(nx))
            if k is None:
                k = ext_idx[id(nx)] = len(ext)
                ext.append(nx)
            args.append(k)
        steps.append((m.op_def, tuple(args), dict(m.attrs), m.outputs[0].dtype))
    out = root.outputs[0]
    prog = Program(steps, out.dtype)
    new = rw.add(
        root.name, FusedElementwise, ext, {"program": prog}, [out.dtype], [out.shape],
        root.device, root,
    )  # fmt: skip
    rw.forward(root, new.outputs)
