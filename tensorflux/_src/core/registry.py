"""The op registry: one `OpDef` per TensorFlow op-type name, holding its rule, kernels and gradient.

An op is declared once with `defop` and filled in by decorators placed beside it:

    Sin = defop("Sin", infer=unary(floating))

    @Sin.kernel
    def _(xp, x):
        return xp.sin(x)

    @Sin.gradient
    def _(op, dy):
        return [dy * cos(op.inputs[0])]

Calling the OpDef (`Sin(x)`) goes through the single dispatch point (`dispatch.apply`), which is
installed here by layer 1 so that this module imports nothing above it.
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

_OPS: dict[str, "OpDef"] = {}
_apply: Optional[Callable] = None  # set by tensorflux._src.dispatch


class Rule:
    """An op's shape/dtype rule, as two functions.

    `dtype(in_dtypes, attrs)` returns the output DType (a list of them for multi-output ops) or
    raises; it runs on every call, eager included, so it must be cheap.
    `shape(inputs, attrs)` returns the output TensorShape (or a list); `inputs` are tensors (eager
    or symbolic) and may have unknown dimensions; `static_value(t)` gives a constant input's value.
    """

    __slots__ = ("dtype", "shape")

    def __init__(self, dtype: Callable, shape: Callable):
        self.dtype = dtype
        self.shape = shape


class OpDef:
    """One registered op type. Call it with input tensors and keyword attributes."""

    __slots__ = (
        "name", "rule", "num_outputs", "stateful", "host_inputs", "type_inputs",
        "_kernel", "_device_kernels", "_kcache", "fast", "grad_fn", "differentiable",
        "__weakref__",
    )  # fmt: skip

    def __init__(
        self,
        name: str,
        rule: Rule,
        num_outputs=1,
        stateful: bool = False,
        host_inputs: Sequence[int] = (),
        type_inputs: Optional[Sequence[int]] = None,
    ):
        self.name = name
        self.rule = rule
        # An int, or a callable(attrs, num_inputs) -> int for ops like Unpack and SplitV.
        self.num_outputs = num_outputs
        self.stateful = stateful
        # Inputs that are shapes/axes/sizes: their kernels get host NumPy arrays on every device.
        self.host_inputs = tuple(host_inputs)
        # Inputs that share one dtype: Python values given there convert to a tensor input's dtype.
        self.type_inputs = type_inputs
        self._kernel: Optional[Callable] = None
        self._device_kernels: dict[str, Callable] = {}
        self._kcache: dict[str, Callable] = {}  # kernel_type -> kernel, filled on first use
        # Eligible for the eager fast path: single output, no host (shape/axis) inputs.
        self.fast = num_outputs == 1 and not self.host_inputs
        self.grad_fn: Optional[Callable] = None
        self.differentiable: Optional[bool] = None  # None until a gradient or a mark is given

    def kernel(self, fn: Optional[Callable] = None, *, device: Optional[str] = None):
        """Registers the kernel `fn(xp, *arrays, **attrs)`; `device=` adds a per-device override."""

        def register(f):
            if device is None:
                self._kernel = f
            else:
                self._device_kernels[device] = f
            self._kcache.clear()
            return f

        return register(fn) if fn is not None else register

    def kernel_for(self, device_type: str) -> Callable:
        k = self._kcache.get(device_type)
        if k is None:
            k = self._device_kernels.get(device_type, self._kernel)
            if k is None:
                raise NotImplementedError(f"Op {self.name} has no kernel for device {device_type}")
            self._kcache[device_type] = k
        return k

    def gradient(self, fn: Callable) -> Callable:
        """Registers `fn(op, *output_grads) -> list of input grads` (None: not differentiable)."""
        self.grad_fn = fn
        self.differentiable = True
        return fn

    def n_outputs(self, attrs: dict, n_inputs: int) -> int:
        n = self.num_outputs
        return n if type(n) is int else n(attrs, n_inputs)

    def __call__(self, *inputs, name=None, **attrs):
        return _apply(self, inputs, attrs, name)

    def __repr__(self) -> str:
        return f"<OpDef {self.name}>"


def defop(
    name: str,
    infer: Rule,
    *,
    num_outputs=1,
    stateful: bool = False,
    host_inputs: Sequence[int] = (),
    type_inputs: Optional[Sequence[int]] = None,
) -> OpDef:
    """Declares op type `name`; registering a name twice is an error."""
    if name in _OPS:
        raise KeyError(f"Op {name} is already registered")
    op = OpDef(name, infer, num_outputs, stateful, host_inputs, type_inputs)
    _OPS[name] = op
    return op


def not_differentiable(*ops: OpDef) -> None:
    """Marks ops as having no gradient: the tape passes None through them instead of failing."""
    for op in ops:
        op.differentiable = False
        op.grad_fn = None


def get(name: str) -> OpDef:
    try:
        return _OPS[name]
    except KeyError:
        raise KeyError(f"No op named {name} is registered") from None


def all_ops() -> dict[str, OpDef]:
    return dict(_OPS)


# Gradients registered by users (tf.RegisterGradient) or tf.no_gradient, keyed by op type; they
# take precedence over the built-in ones for graph-mode and tape differentiation.
_USER_GRADIENTS: dict[str, Optional[Callable]] = {}


def register_gradient(op_type: str, fn: Optional[Callable]) -> None:
    if op_type in _USER_GRADIENTS:
        raise KeyError(f"Registering two gradient with name '{op_type}'!")
    _USER_GRADIENTS[op_type] = fn


def gradient_function(op_type: str):
    """The gradient function for `op_type`: a user override, the built-in one, or None."""
    if op_type in _USER_GRADIENTS:
        return _USER_GRADIENTS[op_type]
    op = _OPS.get(op_type)
    return None if op is None else op.grad_fn
