"""The one dispatch point: every op call goes through `apply`.

Eagerly, with no tape, device scope or hook active, `apply` is a handful of Python operations:
read the input dtypes, run the op's dtype rule, call the kernel, wrap the result. Everything else
(converting Python values, copies between devices, tapes, graph building, errors) is on the slow
path. A failed kernel re-runs the op's shape rule to turn NumPy's complaint into TensorFlow's error.
"""

from __future__ import annotations

import logging
import warnings

import numpy as np

from tensorflux._src import devices as _devices
from tensorflux._src.core import dtypes, errors, registry
from tensorflux._src.core import context as _context
from tensorflux._src.tensor import EagerTensor, Tensor, _CONVERSIONS, to_numpy, _wrap_constant

_ctx = _context.ctx
_log = logging.getLogger("tensorflux.dispatch")


def apply(op, inputs, attrs, name=None):
    """Runs `op` on `inputs` now, or adds it to the graph being traced; records it on tapes."""
    c = _ctx
    if c.eager_plain and op.fast:
        # The lean path: eager tensors on one device, no scope, single output; tapes record after.
        n = len(inputs)
        if n == 2:
            x, y = inputs
            if x.__class__ is EagerTensor and (y.__class__ is float or y.__class__ is int):
                y = _scalar_like(y, x)  # `t + 1.0`: the scalar takes the tensor's dtype
                inputs = (x, y)
            if x.__class__ is EagerTensor and y.__class__ is EagerTensor and x._device is y._device:
                dev = x._device
                try:
                    dt = op.rule.dtype((x._dtype, y._dtype), attrs)
                    res = (op._kcache.get(dev.kernel_type) or op.kernel_for(dev.kernel_type))(
                        dev.xp, x._value, y._value, **attrs
                    )
                except Exception as e:
                    raise _fast_error(op, inputs, attrs, e) from None
                out = EagerTensor(res, dt, dev)
                if c.tapes:
                    _record(c.tapes, op, inputs, attrs, [out])
                return out
        elif n == 1:
            x = inputs[0]
            if x.__class__ is EagerTensor:
                dev = x._device
                try:
                    dt = op.rule.dtype((x._dtype,), attrs)
                    res = (op._kcache.get(dev.kernel_type) or op.kernel_for(dev.kernel_type))(
                        dev.xp, x._value, **attrs
                    )
                except Exception as e:
                    raise _fast_error(op, inputs, attrs, e) from None
                out = EagerTensor(res, dt, dev)
                if c.tapes:
                    _record(c.tapes, op, inputs, attrs, [out])
                return out
        return _apply_slow(op, inputs, attrs, name)
    if c.fast and op.host_inputs:
        out = _apply_host_fast(op, inputs, attrs)
        if out is not None:
            return out
    return _apply_slow(op, inputs, attrs, name)


def _record(tapes, op, inputs, attrs, outputs) -> None:
    for tape in tapes:
        tape.record(op, inputs, attrs, outputs)


_I32_MIN, _I32_MAX = -(2**31), 2**31 - 1


def _apply_host_fast(op, inputs, attrs):
    """Eager ops with shape/axis inputs given as Python ints or int lists; None to fall back."""
    host = op.host_inputs
    dev = None
    dts = []
    arrays = []
    for i, x in enumerate(inputs):
        if i in host:
            if x.__class__ is EagerTensor:
                dts.append(x._dtype)
                arrays.append(x._device.to_host(x._value))
                continue
            t = type(x)
            if t is int:
                vals = (x,)
            elif (t is list or t is tuple) and all(type(v) is int for v in x):
                vals = x
            else:
                return None
            if vals and not (_I32_MIN <= min(vals) and max(vals) <= _I32_MAX):
                return None
            dts.append(dtypes.int32)
            arrays.append(np.array(x, dtype=np.int32))
        else:
            if x.__class__ is not EagerTensor:
                return None
            if dev is None:
                dev = x._device
            elif x._device is not dev:
                return None
            dts.append(x._dtype)
            arrays.append(x._value)
    if dev is None:
        return None  # no tensor input: the slow path picks the default device
    try:
        out_dtype = op.rule.dtype(dts, attrs)
    except errors.OpError as e:
        raise _with_op(e, op) from None
    try:
        res = op.kernel_for(dev.kernel_type)(dev.xp, *arrays, **attrs)
    except Exception as e:
        raise _fast_error(op, convert_inputs(op, inputs), attrs, e) from None
    if op.num_outputs == 1 and type(out_dtype) is dtypes.DType:
        return EagerTensor(res, out_dtype, dev)
    return [EagerTensor(r, d, dev) for r, d in zip(res, out_dtype)]


_FLOATISH = frozenset(
    id(d) for d in (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64,
                    dtypes.complex64, dtypes.complex128)
)  # fmt: skip
_INTS = frozenset(id(d) for d in dtypes.INTEGER)


def _scalar_like(v, x):
    """A Python int/float as a tensor of x's dtype when it fits exactly, else v unchanged."""
    dt = x._dtype
    i = id(dt)
    if i in _FLOATISH or (i in _INTS and v.__class__ is int):
        try:
            arr = np.array(v, dtype=dt._np)
        except OverflowError:
            return v
        return EagerTensor(x._device.from_host(arr), dt, x._device)
    return v


def _fast_error(op, inputs, attrs, e):
    if isinstance(e, errors.OpError):
        return _with_op(e, op)
    return _kernel_error(op, inputs, attrs, e)


def _apply_slow(op, inputs, attrs, name):
    c = _ctx
    inputs = convert_inputs(op, inputs)
    for hook in c.hooks:
        hook(op, inputs, attrs)
    if c.graph is not None:
        outputs = c.graph.add_op(op, inputs, attrs, name)
    else:
        outputs = execute(op, inputs, attrs)
    if _context.debug():
        _log.warning(
            "%s(%s) -> %s",
            op.name,
            ", ".join(_brief(x) for x in inputs),
            ", ".join(_brief(o) for o in _as_list(outputs)),
        )
    if c.tapes:
        outs = list(_as_list(outputs))  # the tape's own copy: callers may mutate the list
        for tape in c.tapes:
            tape.record(op, inputs, attrs, outs)
    return outputs


def execute(op, inputs, attrs):
    """Runs `op` eagerly on EagerTensor inputs (host inputs may be NumPy arrays)."""
    try:
        out_dtype = op.rule.dtype([x.dtype for x in inputs], attrs)
    except errors.OpError as e:
        raise _with_op(e, op) from None
    dev = _pick_device(op, inputs)
    arrays = []
    host = op.host_inputs
    for i, x in enumerate(inputs):
        if i in host:
            arrays.append(x.numpy())
        else:
            arrays.append(x._value if x._device is dev else dev.copy_from(x._value, x._device))
    try:
        res = op.kernel_for(dev.kernel_type)(dev.xp, *arrays, **attrs)
    except Exception as e:
        raise _kernel_error(op, inputs, attrs, e) from None
    if type(out_dtype) is dtypes.DType and (op.num_outputs == 1):
        return EagerTensor(res, out_dtype, dev)
    return [EagerTensor(r, d, dev) for r, d in zip(res, out_dtype)]


def _pick_device(op, inputs):
    if _ctx.device is not None:
        return _ctx.device
    # Mixed inputs run where the accelerator input lives (a Python scalar beside a GPU tensor
    # is made on the default device); otherwise on the first input's device.
    host = op.host_inputs
    first = None
    for i, x in enumerate(inputs):
        if i not in host and isinstance(x, EagerTensor):
            if x._device.device_type != "CPU":
                return x._device
            if first is None:
                first = x._device
    return first or _devices.default_device()


def convert_inputs(op, inputs) -> list:
    """Turns Python values, NumPy arrays and variables into tensors the op can take.

    Inputs sharing the op's type attribute take the dtype of the first tensor among them, as
    TensorFlow does: Python values must convert exactly (`int_t * 2.5` is a TypeError), NumPy
    values are cast (`int_t * np.array([1.5])` truncates). With no tensor there, each value gets
    its own default dtype.
    """
    host = op.host_inputs
    typed = op.type_inputs
    hint = None
    for i, x in enumerate(inputs):
        if i not in host and (typed is None or i in typed) and isinstance(x, Tensor):
            hint = x.dtype
            break
    out = []
    for i, x in enumerate(inputs):
        if i in host:
            out.append(x if isinstance(x, Tensor) else _host_value(x))
        elif isinstance(x, Tensor):
            out.append(x)
        else:
            out.append(_convert(x, hint if (typed is None or i in typed) else None))
    return out


def _host_value(x):
    """Shapes, axes and sizes given as Python values: a constant tensor (int32 unless too big)."""
    for base, fn in _CONVERSIONS:
        if isinstance(x, base):
            return fn(x, None, None, False)
    arr = to_numpy(x, None)
    if arr.size == 0 and arr.dtype.kind == "f":
        arr = arr.astype(np.int32)  # an empty axis list is an int32 shape, not a float tensor
    return _wrap_constant(arr, dtypes.from_numpy(arr.dtype))


def _convert(x, hint):
    """A non-tensor input as a tensor: of dtype `hint` (Python values strictly), else default."""
    for base, fn in _CONVERSIONS:
        if isinstance(x, base):
            out = fn(x, None, None, False)
            if out is not NotImplemented:
                return out
    if hint is not None:
        return _wrap_constant(to_numpy(x, hint), hint)  # TypeError: Cannot convert 2.5 to ...
    arr = to_numpy(x, None)
    return _wrap_constant(arr, dtypes.from_numpy(arr.dtype))


def convert_lenient(x, dtype):
    """`tf.add`'s conversion of a non-tensor operand: NumPy values cast to `dtype`; Python
    values take `dtype` when they fit exactly and their own default dtype otherwise."""
    if dtype is None or isinstance(x, (np.ndarray, np.generic)):
        return _convert(x, dtype)
    try:
        return _convert(x, dtype)
    except (TypeError, ValueError):
        return _convert(x, None)


def _with_op(e: errors.OpError, op) -> errors.OpError:
    msg = e.message.replace("{op}", op.name)
    if "[Op:" not in msg:
        msg = f"{msg} [Op:{op.name}]"
    return type(e)(None, None, msg)


def _kernel_error(op, inputs, attrs, e: Exception) -> Exception:
    """Maps a kernel failure to TensorFlow's error, asking the shape rule what was wrong."""
    if isinstance(e, errors.OpError):
        return _with_op(e, op)
    if isinstance(e, (NotImplementedError, MemoryError, KeyboardInterrupt)):
        return e
    try:
        op.rule.shape(list(inputs), attrs)
    except errors.OpError as r:
        return _with_op(r, op)
    except ValueError as r:
        return errors.InvalidArgumentError(None, None, f"{r} [Op:{op.name}]")
    return errors.InvalidArgumentError(None, None, f"{type(e).__name__}: {e} [Op:{op.name}]")


def _as_list(outputs):
    return outputs if isinstance(outputs, list) else [outputs]


def _brief(x) -> str:
    if isinstance(x, Tensor):
        return f"{x.dtype.name}{list(x.shape) if x.shape.rank is not None else '[?]'}"
    return type(x).__name__


registry._apply = apply
# TensorFlow computes inf/nan silently (log(0), 0/0, inf-inf); NumPy warns. Silence NumPy's
# floating-point warnings only where our kernels raise them, not in user code.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"tensorflux\._src\.")
