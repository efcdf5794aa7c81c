"""tf.py_function and tf.numpy_function: Python callables as graph ops.

Eagerly both simply call the function. Inside a traced function they add an `EagerPyFunc` (tensors
in and out, differentiable by re-running the function under a tape) or a `PyFunc` /
`PyFuncStateless` node (NumPy arrays in and out, not differentiable) whose kernel calls it.
"""

from __future__ import annotations

import itertools
import traceback

import numpy as np

from tensorflux._src import tensor as _tensor
from tensorflux._src.core import context, dtypes, errors
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape

_NAMES = itertools.count()


def _out_dtypes(in_dtypes, attrs):
    return list(attrs["Tout"])


def _out_shapes(ins, attrs):
    return [TensorShape(None)] * len(attrs["Tout"])


def _count(attrs, n):
    return len(attrs["Tout"])


def _as_op_error(e: BaseException, label: str) -> errors.OpError:
    """TensorFlow's mapping of a Python exception raised inside a py_function."""
    if isinstance(e, errors.OpError):
        return e
    text = f"{type(e).__name__}: {e}\n" + "".join(traceback.format_tb(e.__traceback__))
    if isinstance(e, StopIteration):
        cls = errors.OutOfRangeError
    elif isinstance(e, (ValueError, TypeError)):
        cls = errors.InvalidArgumentError
    else:
        cls = errors.UnknownError
    return cls(None, None, f"{label}: {text}")


def _check_outputs(results, tout, label, strict):
    """Converts a function's results to arrays of the declared dtypes."""
    if results is None:
        results = []
    elif not isinstance(results, (list, tuple)):
        results = [results]
    if len(results) != len(tout):
        raise errors.InvalidArgumentError(
            None, None, f"{label} returns {len(results)} values, but expects to see "
            f"{len(tout)} values."
        )
    out = []
    for i, (r, dt) in enumerate(zip(results, tout)):
        a = r._numpy() if isinstance(r, _tensor.EagerTensor) else r
        if dt == dtypes.string:
            a = np.asarray(a, dtype=object)
        elif strict and isinstance(a, np.ndarray) and a.dtype != dt.as_numpy_dtype:
            got = dtypes.as_dtype(a.dtype).name
            raise errors.InvalidArgumentError(
                None, None, f"{i}-th value returned by {label} is {_tf_type(got)}, but expects "
                f"{_tf_type(dt.name)}"
            )
        else:
            a = np.asarray(a, dtype=dt.as_numpy_dtype)
        out.append(a)
    return out


def _tf_type(name: str) -> str:
    return {"float32": "float", "float64": "double"}.get(name, name)


# ----------------------------------------------------------------------------- EagerPyFunc

EagerPyFunc = defop(
    "EagerPyFunc", infer=Rule(_out_dtypes, _out_shapes), num_outputs=_count, stateful=True
)


@EagerPyFunc.kernel
def _(xp, *arrays, func, Tout, token=""):
    args = [_tensor.constant(a) for a in arrays]
    try:
        with context.eager_scope():
            results = func(*args)
    except Exception as e:  # noqa: BLE001 - any failure of user code becomes an op error
        raise _as_op_error(e, token) from e
    return _check_outputs(results, Tout, token, strict=False)


@EagerPyFunc.gradient
def _(op, *dys):
    func = op.get_attr("func")
    xs = list(op.inputs)
    grads_wanted = [x.dtype.is_floating or x.dtype.is_complex for x in xs]
    if not any(grads_wanted):
        return [None] * len(xs)
    n = len(xs)

    def grad_func(*args):
        from tensorflux._src.autodiff.backprop import GradientTape  # layer-ok: re-runs under a tape

        inputs, upstream = list(args[:n]), list(args[n:])
        with GradientTape() as tape:
            for x in inputs:
                tape.watch(x)
            outs = func(*inputs)
        outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
        wanted = [x for x, w in zip(inputs, grads_wanted) if w]
        gs = tape.gradient(outs, wanted, output_gradients=upstream[: len(outs)])
        return [g if g is not None else _tensor.constant(np.zeros(x.shape, x.dtype.as_numpy_dtype))
                for g, x in zip(gs, wanted)]

    tout = [x.dtype for x, w in zip(xs, grads_wanted) if w]
    gs = iter(_traced_call(EagerPyFunc, grad_func, [*xs, *dys], tout, "EagerPyFuncGrad"))
    return [next(gs) if w else None for w in grads_wanted]


# ----------------------------------------------------------------------------- PyFunc

def _numpy_kernel(xp, *arrays, func, Tout, token=""):
    results = func(*[np.asarray(a) for a in arrays])
    return _check_outputs(results, Tout, token, strict=True)


PyFunc = defop("PyFunc", infer=Rule(_out_dtypes, _out_shapes), num_outputs=_count, stateful=True)
PyFuncStateless = defop(
    "PyFuncStateless", infer=Rule(_out_dtypes, _out_shapes), num_outputs=_count
)
PyFunc.kernel(_numpy_kernel)
PyFuncStateless.kernel(_numpy_kernel)
not_differentiable(PyFunc, PyFuncStateless)


# ----------------------------------------------------------------------------- public functions

def _tout_list(Tout):
    single = not isinstance(Tout, (list, tuple))
    tout = [Tout] if single else list(Tout)
    return [dtypes.as_dtype(t) for t in tout], single


def _traced_call(op, func, inp, tout, name):
    token = f"pyfunc_{next(_NAMES)}"
    outs = op(*inp, func=func, Tout=tuple(tout), token=token, name=name)
    if isinstance(outs, (list, tuple)):
        return list(outs)
    return [outs]


def _convert_inputs(inp):
    from tensorflux._src.ops._util import as_tensor

    return [as_tensor(x) for x in (inp or [])]


def py_function(func=None, inp=None, Tout=None, name=None):
    """Wraps a Python function that takes and returns tensors as an op.

    Eagerly `func` runs immediately; in a traced function it runs each time the graph executes.
    Gradients flow through it. Use as `py_function(func, inp, Tout)` or as a decorator
    `@py_function(Tout=...)`.
    """
    if func is None:
        return lambda f: _wrap_decorated(py_function, f, Tout=Tout, name=name)
    if Tout is None:
        raise TypeError("py_function() missing required argument: 'Tout'")
    tout, single = _tout_list(Tout)
    inputs = _convert_inputs(inp)
    if context.executing_eagerly():
        try:
            results = func(*inputs)
        except Exception as e:  # noqa: BLE001 - user code failures map to TensorFlow's errors
            raise _as_op_error(e, "EagerPyFunc") from e
        arrays = _check_outputs(results, tout, "EagerPyFunc", False)
        rs = results if isinstance(results, (list, tuple)) else [results]
        # Tensors already of the declared dtype are returned as they are, so tapes see through.
        outs = [r if isinstance(r, _tensor.EagerTensor) and r.dtype == dt else _tensor.constant(a)
                for r, a, dt in zip(rs, arrays, tout)]
    else:
        outs = _traced_call(EagerPyFunc, func, inputs, tout, name or "EagerPyFunc")
    if single:
        return outs[0] if outs else None
    return outs


def numpy_function(func=None, inp=None, Tout=None, stateful=True, name=None):
    """Wraps a Python function that takes and returns NumPy arrays as an op (not differentiable).

    Eagerly `func` runs immediately; in a traced function it runs each time the graph executes.
    """
    if func is None:
        return lambda f: _wrap_decorated(
            numpy_function, f, Tout=Tout, stateful=stateful, name=name
        )
    if Tout is None:
        raise TypeError("numpy_function() missing required argument: 'Tout'")
    tout, single = _tout_list(Tout)
    inputs = _convert_inputs(inp)
    if context.executing_eagerly():
        results = func(*[x._numpy() for x in inputs])
        if results is None:
            results = []
        elif not isinstance(results, (list, tuple)):
            results = [results]
        outs = [_tensor.constant(r) for r in results]
    else:
        op = PyFunc if stateful else PyFuncStateless
        outs = _traced_call(op, func, inputs, tout, name or "PyFunc")
    if single:
        return outs[0] if outs else None
    return outs


def _wrap_decorated(public, f, **kwargs):
    import functools

    @functools.wraps(f)
    def wrapper(*args):
        return public(f, list(args), **kwargs)

    return wrapper
