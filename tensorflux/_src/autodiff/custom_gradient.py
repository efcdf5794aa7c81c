"""`tf.custom_gradient`, `tf.recompute_grad`, `tf.RegisterGradient` and `tf.no_gradient`.

A custom gradient is an op, `CustomGradient`: its inputs are the function's results followed by
its arguments (and the variables it read), its outputs are the results passed through, and its
gradient calls the user's `grad_fn` (held as an attribute) for the arguments and returns None for
the results. Because it is an ordinary op, one mechanism serves tapes and traced graphs, and the
function's own ops, still recorded, receive no gradient: the results' gradient stops at the op.
"""

from __future__ import annotations

import functools
import inspect

from tensorflux._src.core import context as _context
from tensorflux._src.core import nest, registry
from tensorflux._src.core.registry import Rule, defop
from tensorflux._src.tensor import Tensor, convert_to_tensor

# ------------------------------------------------------------------ the CustomGradient op


def _cg_dtypes(in_dtypes, attrs):
    return list(in_dtypes[: attrs["num_results"]])


def _cg_shapes(inputs, attrs):
    return [x.shape for x in inputs[: attrs["num_results"]]]


CustomGradient = defop(
    "CustomGradient",
    infer=Rule(_cg_dtypes, _cg_shapes),
    num_outputs=lambda attrs, n_inputs: attrs["num_results"],
    type_inputs=(),
)


@CustomGradient.kernel
def _(xp, *xs, num_results, grad_fn):
    return list(xs[:num_results])


@CustomGradient.gradient
def _(op, *dys):
    n = op.get_attr("num_results")
    return [None] * n + list(op.get_attr("grad_fn")(*dys))


class VariableWatcher:
    """Sits among the recording tapes and collects the trainable variables read meanwhile."""

    def __init__(self):
        self.variables: dict[int, object] = {}

    def __enter__(self) -> VariableWatcher:
        _context.push_tape(self)
        return self

    def __exit__(self, *exc) -> None:
        _context.pop_tape(self)

    def watched_variables(self) -> tuple:
        return tuple(self.variables.values())

    # the tape protocol: ops are not recorded, variable reads are noted
    def record(self, op, inputs, attrs, outputs) -> None:
        pass

    def variable_accessed(self, var) -> None:
        if var.trainable:
            self.variables.setdefault(id(var), var)

    def record_read(self, var, value) -> None:
        pass


def _accepts_variables(fn) -> bool:
    try:
        spec = inspect.getfullargspec(fn)
    except TypeError:
        return True
    return "variables" in spec.args or "variables" in spec.kwonlyargs or spec.varkw is not None


def _call_with_custom_gradient(f, args, kwargs):
    with VariableWatcher() as watcher:
        result, grad_fn = f(*args, **kwargs)
    flat_args = nest.flatten(args)
    variables = [
        v for v in watcher.watched_variables()
        if not any(getattr(a, "_primary", a) is v for a in flat_args)
    ]  # fmt: skip
    if variables and not _accepts_variables(grad_fn):
        raise TypeError(
            "@tf.custom_gradient grad_fn must accept keyword argument 'variables', since "
            f"function uses variables: {variables}"
        )
    c = _context.ctx
    if not c.tapes and c.graph is None:
        return result  # nothing can ask for the gradient
    flat_result = nest.flatten(result)
    results = [convert_to_tensor(r) for r in flat_result]
    inputs = [a if isinstance(a, Tensor) else convert_to_tensor(a) for a in flat_args]
    inputs += [convert_to_tensor(v) for v in variables]
    n_args = len(flat_args)

    def actual_grad_fn(*dys):
        if variables:
            input_grads, variable_grads = grad_fn(*dys, variables=variables)
            variable_grads = list(variable_grads)
            if len(variable_grads) != len(variables):
                raise ValueError(
                    "Must return gradient for each variable from @custom_gradient grad_fn."
                )
        else:
            input_grads, variable_grads = grad_fn(*dys), []
        flat = nest.flatten(input_grads)
        if len(flat) != n_args:
            raise ValueError(
                f"custom_gradient function expected to return {n_args} gradients, but returned "
                f"{len(flat)} instead."
            )
        return flat + variable_grads

    outs = CustomGradient(*results, *inputs, num_results=len(results), grad_fn=actual_grad_fn)
    return nest.pack_sequence_as(result, list(outs))


def custom_gradient(f=None):
    """Decorates `f` so that its gradient is the one `f` itself supplies.

    `f(*args)` returns `(y, grad_fn)`. `grad_fn(*dys)` receives one upstream gradient per
    (flattened) result and returns one gradient per (flattened) argument. If `f` reads trainable
    variables that are not among its arguments, `grad_fn` must accept a `variables` keyword and
    return `(arg_grads, variable_grads)`, one gradient per variable.

    Args:
      f: the function to decorate.

    Returns:
      A function with the same results as `f` whose gradient comes from `grad_fn`.

    Raises:
      TypeError: if `f` reads variables and `grad_fn` does not accept `variables`.
      ValueError: when `grad_fn` returns the wrong number of gradients.
    """
    if f is None:
        return lambda fn: custom_gradient(fn)

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        return _call_with_custom_gradient(f, args, kwargs)

    return decorated


def recompute_grad(f):
    """Decorates `f` so that its intermediate values are recomputed during backprop.

    The forward call records nothing (saving memory); the gradient reruns `f` under a tape.

    Args:
      f: a function of tensors returning a tensor or nested structure of tensors.

    Returns:
      A function computing `f` with the same gradients, including those of variables it reads.
    """
    from tensorflux._src.autodiff.backprop import GradientTape

    @functools.wraps(f)
    def inner(*args, **kwargs):
        @custom_gradient
        def run(*xs):
            with _only_watchers():
                result = f(*xs, **kwargs)

            def grad_fn(*dresult, variables=None):
                variables = list(variables or [])
                sources = [x for x in xs if isinstance(x, Tensor)]
                with GradientTape() as tape:
                    tape.watch(sources)
                    tape.watch(variables)
                    again = f(*xs, **kwargs)
                grads = tape.gradient(
                    nest.flatten(again), sources + variables, output_gradients=list(dresult)
                )
                it = iter(grads[: len(sources)])
                arg_grads = [next(it) if isinstance(x, Tensor) else None for x in xs]
                if not variables:
                    return arg_grads
                return arg_grads, grads[len(sources) :]

            return result, grad_fn

        return run(*args)

    return inner


class _only_watchers:  # noqa: N801
    """Pauses the recording tapes but keeps variable watchers (recompute_grad's forward pass)."""

    def __enter__(self):
        c = _context.ctx
        self._saved = c.tapes
        c.tapes = [t for t in c.tapes if isinstance(t, VariableWatcher)]
        c.update()

    def __exit__(self, *exc):
        c = _context.ctx
        c.tapes = self._saved
        c.update()


# ------------------------------------------------------------------ gradient registration


class RegisterGradient:
    """Decorator registering a gradient function for an op type.

    The function takes `(op, *output_grads)` and returns one gradient (or None) per input.

    Args:
      op_type: the op type name, a string.

    Raises:
      TypeError: if `op_type` is not a string.
      KeyError: (when decorating) if the op type already has a gradient.
    """

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, f):
        _register(self._op_type, f)
        return f


def no_gradient(op_type) -> None:
    """Declares that ops of type `op_type` have no gradient (the tape passes nothing through).

    Raises:
      TypeError: if `op_type` is not a string.
      KeyError: if the op type already has a gradient.
    """
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    _register(op_type, None)


def _register(op_type: str, fn) -> None:
    op = registry.all_ops().get(op_type)
    if op_type in registry._USER_GRADIENTS or (op is not None and op.differentiable is not None):
        raise KeyError(f"Registering two gradient with name '{op_type}'!")
    registry.register_gradient(op_type, fn)


NotDifferentiable = no_gradient

__all__ = [
    "custom_gradient", "recompute_grad", "RegisterGradient", "no_gradient", "NotDifferentiable",
    "VariableWatcher", "CustomGradient",
]  # fmt: skip


def grad_pass_through(f):
    """Wraps `f` so that its forward result is `f`'s but its gradient is the identity.

    The gradient of `grad_pass_through(f)(x)` with respect to `x` is the upstream gradient
    unchanged, as if `f` were `tf.identity` (handy around non-differentiable steps such as a
    rounding or a variable assignment). Variables `f` reads get no gradient.

    Args:
      f: a function of tensors returning tensors of the same structure and shapes.

    Returns:
      The wrapped function.
    """

    @custom_gradient
    def passed(*args, **kwargs):
        def grad(*dys, variables=None):
            arg_grads = list(dys) if len(args) == len(dys) else [None] * len(args)
            if variables:
                return arg_grads, [None] * len(variables)
            return arg_grads

        return f(*args, **kwargs), grad

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return passed(*args, **kwargs)

    return wrapped
