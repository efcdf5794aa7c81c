"""Runtime helpers called by AutoGraph-converted code.

Each helper decides at run time: a tensor condition or iterable builds `cond` / `while_loop`, a
Python value runs plain Python.
"""

from __future__ import annotations

import builtins
import sys
import types

from tensorflux._src.core.errors import OperatorNotAllowedInGraphError
from tensorflux._src.control_flow.cond import cond
from tensorflux._src.control_flow.while_loop import while_loop
from tensorflux._src.ops.array_ops import shape, zeros
from tensorflux._src.ops.math_ops import logical_and, logical_not, logical_or
from tensorflux._src.tensor import Tensor, constant


class _UndefinedType:
    """Marks a variable that has no value yet where a converted statement starts."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"Undefined({self.name})"


def get_vars(scope: dict, names):
    """The current values of `names` in `scope` (`Undefined` where unbound)."""
    return tuple(scope[n] if n in scope else _UndefinedType(n) for n in names)


def _is_tensor(x) -> bool:
    return isinstance(x, Tensor)


def _check_defined(vals, names, what):
    for v, n in zip(vals, names):
        if isinstance(v, _UndefinedType):
            raise ValueError(f"'{n}' must also be initialized in the {what}")


def if_stmt(test, body, orelse, vals, names):
    """`if test: body else: orelse`, where both branches map `vals` to new values."""
    if not _is_tensor(test):
        return body(*vals) if test else orelse(*vals)
    def branch(fn, what):
        def run():
            out = fn(*vals)
            _check_defined(out, names, what)
            return tuple(out)
        return run

    if not names:
        cond(test, lambda: (body(*vals), None)[1], lambda: (orelse(*vals), None)[1])
        return ()
    out = cond(test, branch(body, "if branch"), branch(orelse, "else branch"))
    return tuple(out)


def _split(vals):
    keep = [i for i, v in enumerate(vals) if not isinstance(v, _UndefinedType)]
    return keep


def _tensor_while(test, body, vals, names, extra_index=None):
    keep = _split(vals)

    def full(lv):
        out = list(vals)
        for i, v in zip(keep, lv):
            out[i] = v
        return out

    def c(*lv):
        return test(*full(lv))

    def b(*lv):
        out = body(*full(lv))
        return tuple(out[i] for i in keep)

    if not keep:
        raise NotImplementedError(
            "AutoGraph: a tensor-conditioned loop must update at least one variable defined "
            "before the loop")
    res = while_loop(c, b, tuple(vals[i] for i in keep))
    if not isinstance(res, (list, tuple)):
        res = (res,)
    return tuple(full(res))


def while_stmt(test, body, vals, names):
    """`while test: body`; switches to `tf.while_loop` once the condition is a tensor."""
    vals = tuple(vals)
    while True:
        t = test(*vals)
        if _is_tensor(t):
            return _tensor_while(test, body, vals, names)
        if not t:
            return vals
        vals = tuple(body(*vals))


def for_stmt(iterable, extra_test, body, vals, names, targets=()):
    """`for target in iterable: body`; a tensor iterable loops over its first dimension."""
    vals = tuple(vals)
    hook = getattr(iterable, "_tfx_for_stmt", None)
    if hook is not None:  # tf.data datasets/iterators lower to a while loop over iterator ops
        return hook(extra_test, body, vals, names, targets)
    if not _is_tensor(iterable):
        for item in iterable:
            if extra_test is not None:
                e = extra_test(*vals)
                if _is_tensor(e):
                    raise NotImplementedError(
                        "AutoGraph: break/continue on a tensor condition inside a loop over a "
                        "Python iterable is not supported")
                if not e:
                    break
            vals = tuple(body(item, *vals))
        return vals
    n = shape(iterable)[0]
    # A loop target unbound before the loop starts as zeros (so it is defined after the loop).
    vals = tuple(zeros(shape(iterable)[1:], iterable.dtype)
                 if isinstance(v, _UndefinedType) and nm in targets else v
                 for v, nm in zip(vals, names))

    def test(i, *v):
        ok = i < n
        if extra_test is not None:
            ok = and_(lambda: ok, lambda: extra_test(*v))
        return ok

    def step(i, *v):
        return (i + 1,) + tuple(body(iterable[i], *v))

    out = _tensor_while(test, step, (constant(0),) + vals, ("<index>",) + tuple(names))
    return out[1:]


def range_(*args):
    """`range(...)` in a converted `for`: `tf.range` when a bound is a tensor."""
    if any(_is_tensor(a) for a in args):
        from tensorflux._src.ops.creation_ops import range as tf_range

        return tf_range(*args)
    return range(*args)


def and_(a, b):
    """Lazy `a and b` (thunks); tensors use `logical_and`."""
    x = a()
    if _is_tensor(x):
        return logical_and(x, b())
    return x and b()


def or_(a, b):
    """Lazy `a or b` (thunks); tensors use `logical_or`."""
    x = a()
    if _is_tensor(x):
        return logical_or(x, b())
    return x or b()


def not_(x):
    """`not x`; tensors use `logical_not`."""
    if _is_tensor(x):
        return logical_not(x)
    return not x


def py_test(test, what):
    """The test of a statement left unconverted: must be a Python value."""
    if _is_tensor(test):
        try:
            return bool(test)
        except OperatorNotAllowedInGraphError as e:
            raise OperatorNotAllowedInGraphError(
                f"{e} (AutoGraph in tensorflux does not convert a tensor-conditioned statement "
                f"containing {what}: not implemented)") from None
    return test


def print_(*args, **kwargs):
    """`print`, as `tf.print` when an argument is a tensor and `tf.print` exists."""
    # tf.print is looked up on the loaded public package (it may not exist yet).
    tf_print = getattr(sys.modules.get("tensorflux"), "print", None)
    if tf_print is not None and any(_is_tensor(a) for a in args):
        return tf_print(*args, **kwargs)
    return builtins.print(*args, **kwargs)


_SKIP_PREFIXES = ("tensorflux", "numpy", "scipy", "builtins", "functools", "collections")


def converted_call(f, *args, **kwargs):
    """Calls `f`, converting it first where it is a user-defined Python function."""
    if isinstance(f, types.FunctionType) and not (f.__module__ or "").startswith(_SKIP_PREFIXES):
        from tensorflux._src.autograph.conversion import convert

        f = convert(f)
    return f(*args, **kwargs)
