"""`tf.Assert`, the `tf.debugging.assert_*` family and `check_numerics`.

Eagerly a failed check raises at once. While tracing, checks whose outcome is known from static
values raise at trace time (as TensorFlow does); the rest become stateful `Assert` nodes that raise
InvalidArgumentError when the graph runs.
"""

from __future__ import annotations

import numpy as np

from tensorflux._src.core import context as _context
from tensorflux._src.core import dtypes, errors
from tensorflux._src.core.registry import Rule, defop, not_differentiable
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.tensor import EagerTensor, Tensor, convert_to_tensor, static_value

_ctx = _context.ctx


# ------------------------------------------------------------------ the Assert op


def _graph_text(v, summarize) -> str:
    if isinstance(v, np.ndarray) and v.dtype.kind in "SUO":
        flat = [x.decode() if isinstance(x, bytes) else str(x) for x in v.reshape(-1)]
        if v.ndim == 0:
            return f"[{flat[0]}]"
    else:
        arr = np.asarray(v)
        fmt = (lambda e: f"{e:g}") if arr.dtype.kind == "f" else str
        flat = [fmt(x) for x in arr.reshape(-1).tolist()]
        if arr.ndim == 0:
            return f"[{flat[0]}]"
    more = "..." if len(flat) > summarize else ""
    return "[" + " ".join(flat[:summarize]) + more + "]"


AssertOp = defop(
    "Assert",
    infer=Rule(lambda dts, attrs: [], lambda inputs, attrs: []),
    num_outputs=0,
    stateful=True,
    type_inputs=(),
)


@AssertOp.kernel
def _(xp, condition, *data, summarize=3, T=None):
    if bool(np.all(_host(condition))):
        return []
    parts = " ".join(_graph_text(_host(d), summarize) for d in data)
    raise errors.InvalidArgumentError(None, None, f"assertion failed: {parts}")


def _host(a):
    get = getattr(a, "get", None)  # CuPy arrays
    return np.asarray(get() if get is not None and not isinstance(a, np.ndarray) else a)


not_differentiable(AssertOp)


def _eager_text(x, summarize) -> str:
    if isinstance(x, str):
        return repr(x.encode())
    if isinstance(x, bytes):
        return repr(x)
    if isinstance(x, Tensor) or getattr(x, "_is_variable", False):
        v = np.asarray(x.numpy())
    else:
        v = np.asarray(x)
    flat = list(v.reshape(-1))
    texts = [repr(e) if isinstance(e, bytes) else str(e) for e in flat]
    out = ", ".join(texts[:summarize])
    if len(texts) > summarize:
        out += ", ..."
    return out


def Assert(condition, data, summarize=None, name=None):  # noqa: N802 - TensorFlow's name
    """Asserts that `condition` is true; if not, reports the entries of `data`.

    Args:
      condition: a scalar boolean tensor (or Python bool).
      data: a list of tensors or strings printed when the condition is false.
      summarize: how many entries of each tensor to print (default 3).
      name: optional name.

    Returns:
      None eagerly; the Assert operation while tracing.

    Raises:
      InvalidArgumentError: eagerly, when `condition` is false.
    """
    summarize = 3 if summarize is None else summarize
    if _ctx.graph is None:
        ok = condition.numpy() if isinstance(condition, EagerTensor) else condition
        if not bool(np.all(ok)):
            text = "\n".join(_eager_text(d, summarize) for d in data)
            raise errors.InvalidArgumentError(
                None, None, f"Expected '{str(condition)}' to be true. Summarized data: {text}"
            )
        return None
    cond_t = convert_to_tensor(condition, dtype=dtypes.bool)
    data_t = [convert_to_tensor(d) for d in data]
    g = _ctx.graph
    AssertOp(cond_t, *data_t, summarize=summarize, name=name or "Assert")
    return g._ops[-1]


# ------------------------------------------------------------------ binary element-wise checks


def _binary_assert(sym, fn_name, x, y, data, summarize, message, name):
    from tensorflux._src.ops import math_ops, reduction_ops

    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype_hint=x.dtype)
    if y.dtype is not x.dtype:
        raise TypeError(
            f"Cannot convert {y} to EagerTensor of dtype {x.dtype.name}"
            if _ctx.graph is None else f"x and y must have the same dtype ({x.dtype.name} vs "
            f"{y.dtype.name})"
        )
    op = {"==": math_ops.equal, "!=": math_ops.not_equal, "<": math_ops.less,
          "<=": math_ops.less_equal, ">": math_ops.greater, ">=": math_ops.greater_equal}[sym]
    xv, yv = static_value(x), static_value(y)
    if _ctx.graph is None or (xv is not None and yv is not None):
        if xv is None:
            xv, yv = x.numpy(), y.numpy()
        xv, yv = np.asarray(xv), np.asarray(yv)
        cond = op(x, y) if _ctx.graph is None else None
        held = np.asarray(cond.numpy()) if cond is not None else _np_op(sym, xv, yv)
        if bool(np.all(held)):
            return None
        summarize = 3 if summarize is None else summarize
        lines = [] if not message else [str(message)]
        lines.append(f"Condition x {sym} y did not hold.")
        if held.shape == np.broadcast_shapes(xv.shape, yv.shape) and xv.shape == yv.shape:
            bad = np.argwhere(~held)[:summarize]
            lines += [
                f"Indices of first {len(bad)} different values:",
                str(bad),
                "Corresponding x values:",
                str(xv[tuple(bad.T)]),
                "Corresponding y values:",
                str(yv[tuple(bad.T)]),
            ]
        fx = xv.reshape(-1)[:summarize]
        fy = yv.reshape(-1)[:summarize]
        lines += [f"First {fx.size} elements of x:", str(fx), f"First {fy.size} elements of y:",
                  str(fy)]
        raise errors.InvalidArgumentError(None, None, "\n".join(lines))
    cond = reduction_ops.reduce_all(op(x, y))
    if data is None:
        data = [f"Condition x {sym} y did not hold element-wise:", f"x ({x.name}) = ", x,
                f"y ({y.name}) = ", y]
        if message:
            data = [str(message)] + data
    return Assert(cond, data, summarize=summarize, name=name or fn_name)


def _np_op(sym, a, b):
    return {"==": np.equal, "!=": np.not_equal, "<": np.less, "<=": np.less_equal,
            ">": np.greater, ">=": np.greater_equal}[sym](a, b)


def _make_binary(sym, fn_name):
    def check(x, y, message=None, summarize=None, name=None):
        return _binary_assert(sym, fn_name, x, y, None, summarize, message, name)

    check.__name__ = fn_name
    check.__doc__ = (
        f"Asserts `x {sym} y` element-wise (with broadcasting).\n\n"
        "    Args:\n      x: a tensor.\n      y: a tensor of x's dtype.\n"
        "      message: text prefixed to the error.\n"
        "      summarize: how many entries to print.\n      name: optional name.\n\n"
        "    Returns:\n      None eagerly, the Assert op while tracing.\n\n"
        "    Raises:\n      InvalidArgumentError: if the condition does not hold.\n"
    )
    return check


assert_equal = _make_binary("==", "assert_equal")
assert_none_equal = _make_binary("!=", "assert_none_equal")
assert_less = _make_binary("<", "assert_less")
assert_less_equal = _make_binary("<=", "assert_less_equal")
assert_greater = _make_binary(">", "assert_greater")
assert_greater_equal = _make_binary(">=", "assert_greater_equal")


def _sign_assert(sym, fn_name, x, message, summarize, name, newline=True):
    from tensorflux._src.ops import array_ops, math_ops, reduction_ops

    x = convert_to_tensor(x)
    zero = array_ops.zeros_like(x)
    op = {">": math_ops.greater, "<": math_ops.less, ">=": math_ops.greater_equal,
          "<=": math_ops.less_equal}[sym]
    summarize = 3 if summarize is None else summarize
    xv = static_value(x) if _ctx.graph is not None else x.numpy()
    if xv is not None:
        held = _np_op(sym, np.asarray(xv), 0)
        if bool(np.all(held)):
            return None
        vals = [str(v) for v in np.asarray(xv).reshape(-1).tolist()][:summarize]
        sep = "\n" if newline else ""
        text = (
            f"{message or ''}\nCondition x {sym} 0 did not hold element-wise:{sep}"
            f"x (shape={x.shape} dtype={x.dtype.name}) = \n{vals}"
        )
        raise errors.InvalidArgumentError(None, None, text)
    cond = reduction_ops.reduce_all(op(x, zero))
    data = ([str(message)] if message else []) + [
        f"Condition x {sym} 0 did not hold element-wise:", f"x ({x.name}) = ", x]
    return Assert(cond, data, summarize=summarize, name=name or fn_name)


def assert_positive(x, message=None, summarize=None, name=None):
    """Asserts `x > 0` element-wise (see `assert_equal` for arguments and errors)."""
    return _sign_assert(">", "assert_positive", x, message, summarize, name)


def assert_negative(x, message=None, summarize=None, name=None):
    """Asserts `x < 0` element-wise (see `assert_equal` for arguments and errors)."""
    return _sign_assert("<", "assert_negative", x, message, summarize, name)


def assert_non_negative(x, message=None, summarize=None, name=None):
    """Asserts `x >= 0` element-wise (see `assert_equal` for arguments and errors)."""
    return _sign_assert(">=", "assert_non_negative", x, message, summarize, name)


def assert_non_positive(x, message=None, summarize=None, name=None):
    """Asserts `x <= 0` element-wise (see `assert_equal` for arguments and errors)."""
    return _sign_assert("<=", "assert_non_positive", x, message, summarize, name, newline=False)


def assert_near(x, y, rtol=None, atol=None, message=None, summarize=None, name=None):
    """Asserts `|x - y| <= atol + rtol * |y|` element-wise.

    Args:
      x: a floating or complex tensor.
      y: a tensor of x's dtype.
      rtol: relative tolerance (default 10 * eps of the dtype).
      atol: absolute tolerance (default 10 * eps of the dtype).
      message: text prefixed to the error.
      summarize: how many entries to print.
      name: optional name.

    Returns:
      None eagerly, the Assert op while tracing.

    Raises:
      InvalidArgumentError: if x and y are not close.
    """
    from tensorflux._src.ops import math_ops, reduction_ops, unary_ops

    x = convert_to_tensor(x)
    y = convert_to_tensor(y, dtype_hint=x.dtype)
    real = x.dtype.real_dtype if x.dtype.is_complex else x.dtype
    eps = float(np.finfo(real.as_numpy_dtype).eps)
    rtol = convert_to_tensor(10 * eps if rtol is None else rtol, dtype=real)
    atol = convert_to_tensor(10 * eps if atol is None else atol, dtype=real)
    diff = unary_ops.abs(math_ops.subtract(x, y))
    tol = math_ops.add(atol, math_ops.multiply(rtol, unary_ops.abs(y)))
    cond = reduction_ops.reduce_all(math_ops.less_equal(diff, tol))
    data = [
        f"{message + ' ' if message else ''}x and y not equal to tolerance rtol = {str(rtol)}, "
        f"atol = {str(atol)}",
        f"x (shape={x.shape} dtype={x.dtype.name}) = ",
        x,
        f"y (shape={y.shape} dtype={y.dtype.name}) = ",
        y,
    ]
    if message:
        data[0] = f"{message}\n" + data[0][len(message) + 1:]
    return Assert(cond, data, summarize=summarize, name=name or "assert_near")


# ------------------------------------------------------------------ rank / shape / type checks


def _rank_error(message, name, what, rank, shape):
    prefix = f"{message}.  " if message else ""
    return ValueError(f"{prefix}Tensor {name} must have {what}.  Received rank {rank}, "
                      f"shape {shape}")


def _tensor_name(x) -> str:
    return "" if isinstance(x, EagerTensor) else getattr(x, "name", "")


def _rank_check(x, ok, what, message, name):
    x = convert_to_tensor(x)
    r = x.shape.rank
    if r is None:
        raise NotImplementedError(
            "tf.debugging rank checks on tensors of unknown rank are not supported while tracing"
        )
    if not ok(r):
        raise _rank_error(message, _tensor_name(x), what, r, x.shape)
    return None


def assert_rank(x, rank, message=None, name=None):
    """Checks that `x` has rank `rank` (statically: ValueError on mismatch).

    Args:
      x: a tensor.
      rank: an int.
      message: text prefixed to the error.
      name: optional name.

    Returns:
      None (the check is static).

    Raises:
      ValueError: if the rank differs.
    """
    rank = int(static_value(rank) if isinstance(rank, Tensor) else rank)
    return _rank_check(x, lambda r: r == rank, f"rank {rank}", message, name)


def assert_rank_at_least(x, rank, message=None, name=None):
    """Checks that `x` has rank at least `rank` (see `assert_rank`)."""
    rank = int(static_value(rank) if isinstance(rank, Tensor) else rank)
    return _rank_check(x, lambda r: r >= rank, f"rank at least {rank}", message, name)


def assert_rank_in(x, ranks, message=None, name=None):
    """Checks that the rank of `x` is one of `ranks` (see `assert_rank`)."""
    ranks = tuple(int(r) for r in ranks)
    return _rank_check(x, lambda r: r in ranks, f"rank in {ranks}", message, name)


def assert_scalar(tensor, name=None, message=None):
    """Checks that `tensor` is a scalar; returns it.

    Raises:
      ValueError: if it is not rank 0.
    """
    t = convert_to_tensor(tensor)
    if t.shape.rank != 0:
        prefix = f"{message}  " if message else ""
        raise ValueError(f"{prefix}Expected scalar shape, saw shape: {t.shape}.")
    return t


def assert_type(tensor, tf_type, message=None, name=None):
    """Checks that `tensor` has dtype `tf_type`.

    Raises:
      TypeError: if the dtype differs.
    """
    want = dtypes.as_dtype(tf_type)
    if not hasattr(tensor, "dtype") or not isinstance(tensor.dtype, dtypes.DType):
        tensor = convert_to_tensor(tensor)  # Python and NumPy values, as TensorFlow converts them
    if tensor.dtype is not want:
        prefix = f"{message}.  " if message else ""
        raise TypeError(f"{prefix}tensor must be of type {want!r}; got {tensor.dtype!r}")
    return None


def assert_integer(x, message=None, name=None):
    """Checks that `x` has an integer dtype.

    Raises:
      TypeError: otherwise.
    """
    x = convert_to_tensor(x)
    if not x.dtype.is_integer:
        prefix = f"{message}" if message else ""
        raise TypeError(f'{prefix}Expected "x" to be integer type.  Found: tensor of dtype '
                        f"{x.dtype!r}")
    return None


def assert_proper_iterable(values):
    """Checks that `values` is a proper iterable (not a tensor, ndarray or string).

    Raises:
      TypeError: otherwise.
    """
    if isinstance(values, (Tensor, np.ndarray, str, bytes)):
        raise TypeError(f"Expected argument \"values\" to be a \"proper\" iterable.  Found: "
                        f"{type(values)}")
    if not hasattr(values, "__iter__"):
        raise TypeError(f"Expected argument \"values\" to be iterable.  Found: {type(values)}")


def assert_same_float_dtype(tensors=None, dtype=None):
    """The common floating dtype of `tensors` (and `dtype`), float32 if none.

    Raises:
      ValueError: if the dtypes differ or are not floating.
    """
    found = dtypes.as_dtype(dtype) if dtype is not None else None
    for t in tensors or []:
        d = t.dtype
        if found is None:
            found = d
        elif d is not found:
            raise ValueError(f"{t} dtype {d!r} vs. {found!r}")
    if found is None:
        return dtypes.float32
    if not found.is_floating:
        raise ValueError(f"Expected floating point type, got {found!r}.")
    return found


def is_numeric_tensor(tensor) -> bool:
    """True for tensors of a numeric dtype."""
    return isinstance(tensor, Tensor) and tensor.dtype not in (
        dtypes.string, dtypes.resource, dtypes.variant)


def assert_shapes(shapes, data=None, summarize=None, message=None, name=None):
    """Checks tensor shapes against symbolic specifications and relations between them.

    Args:
      shapes: a list of (tensor, shape spec) pairs (or a dict); a spec entry is an int, a
        symbol string shared across tensors, None (any) or `...`/`*` as the first entry.
      data, summarize: accepted for compatibility.
      message: text prefixed to the error.
      name: optional name.

    Returns:
      None (the check uses static shapes).

    Raises:
      ValueError: on a mismatch.
    """
    pairs = list(shapes.items()) if isinstance(shapes, dict) else list(shapes)
    prefix = f"{message}.  " if message else ""
    sizes: dict = {}
    for x, spec in pairs:
        x = convert_to_tensor(x)
        spec = list(spec) if not isinstance(spec, str) else [spec]
        desc = f"shape={x.shape} dtype={x.dtype.name}"
        for i, s in enumerate(spec):
            if s in ("...", "*", Ellipsis) and i != 0:
                raise ValueError(
                    f"{prefix}Tensor {desc} specified shape index {i}.  Symbol `...` or `*` for "
                    "a variable number of unspecified dimensions is only allowed as the first "
                    "entry"
                )
        variable = bool(spec) and spec[0] in ("...", "*", Ellipsis)
        if variable:
            spec = spec[1:]
        shape = x.shape
        if shape.rank is None:
            raise NotImplementedError("tf.debugging.assert_shapes needs tensors of known rank")
        dims = shape.as_list()
        if not spec and not variable:
            spec = [1] * 0
        if variable:
            if len(dims) < len(spec):
                raise ValueError(f"{prefix}Tensor {_tensor_name(x)} must have rank at least "
                                 f"{len(spec)}.  Received rank {len(dims)}, shape {shape}")
            dims = dims[len(dims) - len(spec):]
            offset = shape.rank - len(spec)
        else:
            offset = 0
            if len(spec) == 0 and len(dims) > 0:
                spec = [1] * len(dims)  # a scalar spec broadcasts: every dimension must be 1
            if len(dims) != len(spec):
                raise ValueError(f"{prefix}Tensor {_tensor_name(x)} must have rank "
                                 f"{len(spec)}.  Received rank {len(dims)}, shape {shape}")
        for i, (d, s) in enumerate(zip(dims, spec)):
            if s is None or d is None:
                continue
            if isinstance(s, str):
                if s not in sizes:
                    sizes[s] = (d, f"Specified by tensor {desc} dimension {i + offset}")
                    continue
                want, origin = sizes[s]
            else:
                want, origin = int(s), "Specified explicitly"
            if d != want:
                raise ValueError(
                    f"{prefix}{origin}.  Tensor {desc} dimension {i + offset} must have size "
                    f"{want}.  Received size {d}, shape {shape}"
                )
    return None


# ------------------------------------------------------------------ CheckNumerics


CheckNumerics = defop(
    "CheckNumerics",
    infer=Rule(lambda dts, attrs: _float_only(dts[0]), lambda inputs, attrs: inputs[0].shape),
    stateful=True,
)


def _float_only(dt):
    if not (dt.is_floating or dt.is_complex):
        raise errors.InvalidArgumentError(
            None, None,
            f"Value for attr 'T' of {dt.name} is not in the list of allowed values: bfloat16, "
            "half, float, double",
        )
    return dt


@CheckNumerics.kernel
def _(xp, x, message=""):
    nan = bool(xp.isnan(x).any())
    inf = bool(xp.isinf(x).any())
    if nan or inf:
        what = "Inf and NaN" if nan and inf else "NaN" if nan else "Inf"
        raise errors.InvalidArgumentError(None, None, f"{message} : Tensor had {what} values")
    return x


@CheckNumerics.gradient
def _(op, dy):
    msg = ("Not a number (NaN) or infinity (Inf) values detected in gradient. "
           + op.get_attr("message"))
    return [CheckNumerics(dy, message=msg)]


def check_numerics(tensor, message, name=None):
    """Returns `tensor` unchanged, raising if it has NaN or Inf values.

    Args:
      tensor: a floating tensor.
      message: text put at the start of the error.
      name: optional name.

    Returns:
      `tensor`.

    Raises:
      InvalidArgumentError: if `tensor` contains NaN or Inf.
    """
    return CheckNumerics(tensor, message=str(message), name=name)


def assert_all_finite(x, message, name=None):
    """tf.debugging.assert_all_finite: `check_numerics` under its v2 name."""
    return check_numerics(x, message, name=name)


_ = TensorShape
