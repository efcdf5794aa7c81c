"""Operators on RaggedTensor and the ragged versions of public `tf.*` functions.

TensorFlow lets `tf.math.sin(rt)`, `tf.reduce_sum(rt, axis=1)` or `tf.concat([rt, rt], 0)`
take RaggedTensors. The first time a RaggedTensor is built, `install` replaces those public
functions (in the loaded public modules: `tf`, `tf.math`, `tf.nn`, ...) with thin wrappers
that check their arguments for RaggedTensors and otherwise call the original unchanged; the
`_src` functions themselves stay as they are.
"""

from __future__ import annotations

import functools
import inspect
import sys

from tensorflux._src.ops import math_ops
from tensorflux._src.ragged import ragged_array_ops as rao
from tensorflux._src.ragged import ragged_math_ops as rmo
from tensorflux._src.ragged import ragged_more_ops as rmore
from tensorflux._src.ragged.ragged_tensor import RaggedTensor
from tensorflux._src.tensor import convert_to_tensor

# Public names that act element-wise: their ragged form runs on flat values.
ELEMENTWISE = (
    "abs acos acosh angle asin asinh atan atanh bessel_i0 bessel_i0e bessel_i1 bessel_i1e ceil "
    "conj cos cosh digamma erf erfc erfinv exp expm1 floor imag is_finite is_inf is_nan lgamma "
    "log log1p log_sigmoid logical_not negative real reciprocal reciprocal_no_nan rint round "
    "rsqrt sigmoid sign sin sinh softplus softsign sqrt square tan tanh ndtri "
    "cast saturate_cast clip_by_value zeros_like ones_like identity stop_gradient one_hot "
    "relu relu6 elu selu gelu leaky_relu silu swish crelu dropout "
    "invert left_shift right_shift bitwise_and bitwise_or bitwise_xor "
    "add subtract multiply divide truediv floordiv floormod mod pow maximum minimum "
    "equal not_equal less less_equal greater greater_equal logical_and logical_or logical_xor "
    "squared_difference atan2 divide_no_nan multiply_no_nan xdivy xlogy xlog1py realdiv "
    "truncatediv truncatemod igamma igammac zeta polygamma betainc nextafter"
).split()

_REDUCE = {f"reduce_{k}": k for k in ("sum", "mean", "max", "min", "prod", "any", "all",
                                         "logsumexp")}
_SPECIAL = {
    "concat": rao.concat, "stack": rao.stack, "gather": rao.gather,
    "boolean_mask": rao.boolean_mask, "where": rao.where, "tile": rao.tile,
    "expand_dims": rao.expand_dims, "squeeze": rao.squeeze, "size": rao.size,
    "rank": rao.rank, "add_n": rmo.add_n, "matmul": rmo.matmul,
}  # fmt: skip
_SPECIAL.update({
    "cumsum": rmore.cumsum, "cumprod": rmore.cumprod, "softmax": rmore.softmax,
    "log_softmax": rmore.log_softmax, "reverse": rmore.reverse, "split": rmore.split,
    **rmore.segment_handlers(),
})  # fmt: skip
_MODULES = ("tensorflux", "tensorflux.math", "tensorflux.math.special", "tensorflux.nn",
            "tensorflux.bitwise", "tensorflux.dtypes", "tensorflux.linalg")  # fmt: skip


def _has_ragged(args, kwargs) -> bool:
    for a in args:
        if a.__class__ is RaggedTensor:
            return True
        if a.__class__ is list or a.__class__ is tuple:
            for b in a:
                if b.__class__ is RaggedTensor:
                    return True
    for a in kwargs.values():
        if a.__class__ is RaggedTensor:
            return True
    return False


def _map_fn_needs_ragged(args, kwargs) -> bool:
    from tensorflux._src.ragged.ragged_ops import _involves_ragged

    elems = args[1] if len(args) > 1 else kwargs.get("elems")
    sig = kwargs.get("fn_output_signature", kwargs.get("dtype"))
    if sig is None and len(args) > 2:
        sig = args[2]
    return _involves_ragged(elems, sig)


_LIST_PARAMS = ("values", "inputs", "tensors", "elems")


def _any_ragged(items) -> bool:
    return any(a.__class__ is RaggedTensor for a in items)


_FACTORIES: dict = {}


def _shape_of(fn):
    """`fn`'s parameters from its code object: (positional names, *args name, keyword-only
    names, **kwargs name), or None for callables without plain Python code."""
    code = getattr(fn, "__code__", None)
    if code is None or getattr(fn, "__wrapped__", None) is not None:
        return None
    names = code.co_varnames
    n, k = code.co_argcount, code.co_kwonlyargcount
    pos, kwonly = names[:n], names[n:n + k]
    i = n + k
    star = names[i] if code.co_flags & inspect.CO_VARARGS else None
    i += star is not None
    dstar = names[i] if code.co_flags & inspect.CO_VARKEYWORDS else None
    return pos, star, kwonly, dstar


def _factory_source(key, fname):
    """Source of `fname(_o, _h, _d, _kd)`, a maker of wrappers for one parameter shape: the
    wrapper has the same parameters and, for non-ragged calls, one class check per argument."""
    (pos, star, kwonly, dstar), ndefaults, kwdefaults = key
    first_default = len(pos) - ndefaults
    defs = [p if i < first_default else f"{p}=_d[{i - first_default}]" for i, p in enumerate(pos)]
    call = list(pos)
    cond = [f"{p}.__class__ is _RT" for p in pos]
    cond += [f"(({p}.__class__ is list or {p}.__class__ is tuple) and _any({p}))"
             for p in pos if p in _LIST_PARAMS]  # fmt: skip
    if star:
        defs.append(f"*{star}")
        call.append(f"*{star}")
        cond.append(f"_any({star})")
    elif kwonly:
        defs.append("*")
    for p in kwonly:
        defs.append(f"{p}=_kd[{p!r}]" if p in kwdefaults else p)
        call.append(f"{p}={p}")
    if dstar:
        defs.append(f"**{dstar}")
        call.append(f"**{dstar}")
        cond.append(f"_any({dstar}.values())")
    args = ", ".join(call)
    return (f"def {fname}(_o, _h, _d, _kd):\n"
            f"    def wrapper({', '.join(defs)}):\n"
            f"        if {' or '.join(cond) or 'False'}:\n"
            f"            return _h({args})\n"
            f"        return _o({args})\n"
            f"    return wrapper\n")  # fmt: skip


def _key(fn):
    shape = _shape_of(fn)
    if shape is None:
        return None
    return shape, len(fn.__defaults__ or ()), tuple(sorted(fn.__kwdefaults__ or {}))


def _compile_factories(keys) -> None:
    """Compiles the wrapper makers of all new parameter shapes in one go."""
    new = [k for k in dict.fromkeys(keys) if k is not None and k not in _FACTORIES]
    if not new:
        return
    src = "".join(_factory_source(k, f"make_{i}") for i, k in enumerate(new))
    env = {"_RT": RaggedTensor, "_any": _any_ragged}
    exec(compile(src, "<ragged dispatch wrappers>", "exec"), env)  # noqa: S102
    for i, k in enumerate(new):
        _FACTORIES[k] = env[f"make_{i}"]


def _fast_wrap(orig, handler):
    """A wrapper of `orig` with its own signature that calls `handler` for ragged arguments."""
    key = _key(orig)
    if key is None:
        return _wrap(orig, handler)
    _compile_factories([key])
    w = _FACTORIES[key](orig, handler, orig.__defaults__ or (), orig.__kwdefaults__ or {})
    for attr in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(w, attr, getattr(orig, attr, None))
    w.__wrapped__ = orig
    w._ragged_original = orig
    return w


def _wrap(orig, handler, check=_has_ragged):
    @functools.wraps(orig)
    def wrapper(*args, **kwargs):
        if check(args, kwargs):
            return handler(*args, **kwargs)
        return orig(*args, **kwargs)

    wrapper._ragged_original = orig
    return wrapper


def _handler(name, orig):
    if name in _REDUCE:
        kind = _REDUCE[name]
        return lambda input_tensor, axis=None, keepdims=False, name=None: rmo.reduce(
            kind, input_tensor, axis, keepdims
        )
    if name in ("reduce_variance", "reduce_std"):
        kind = name[7:]
        return lambda input_tensor, axis=None, keepdims=False, name=None: rmo.moment(
            kind, input_tensor, axis, keepdims
        )
    if name in _SPECIAL:
        return _SPECIAL[name]
    if name == "shape":
        return _shape
    if name == "print":
        from tensorflux._src.ragged.ragged_print import print_with_ragged

        return lambda *a, **k: print_with_ragged(orig, *a, **k)
    if name == "map_fn":
        from tensorflux._src.ragged.ragged_ops import map_fn

        return map_fn
    return lambda *a, **k: rmo.elementwise(orig, a, k)


def _shape(input, out_type=None, name=None):  # noqa: A002 - TensorFlow's argument name
    from tensorflux._src.core import dtypes
    from tensorflux._src.ragged.ragged_shape import DynamicRaggedShape

    return DynamicRaggedShape(input, out_type or dtypes.int32)


_WRAPPERS: dict = {}


def patch_modules() -> None:
    """Wraps the ragged-aware public functions of every loaded public module (idempotent)."""
    names = set(ELEMENTWISE) | set(_REDUCE) | set(_SPECIAL) | {
        "shape", "map_fn", "print", "reduce_variance", "reduce_std"}  # fmt: skip
    todo, keys = [], []
    for modname in _MODULES:
        mod = sys.modules.get(modname)
        if mod is None:
            continue
        for name in names:
            fn = mod.__dict__.get(name)
            if fn is None or not callable(fn) or isinstance(fn, type):
                continue
            if hasattr(fn, "_ragged_original"):
                continue
            todo.append((mod, name, fn))
            keys.append(_key(fn))
    _compile_factories(keys)
    for mod, name, fn in todo:
        w = _WRAPPERS.get(id(fn))
        if w is None or w._ragged_original is not fn:
            # One wrapper per function, so `tf.add is tf.math.add` still holds.
            if name == "map_fn":
                w = _wrap(fn, _handler(name, fn), _map_fn_needs_ragged)
            elif name == "print":
                w = _wrap(fn, _handler(name, fn))
            else:
                w = _fast_wrap(fn, _handler(name, fn))
            _WRAPPERS[id(fn)] = w
        setattr(mod, name, w)


# ------------------------------------------------------------------ operators


def _binary(fn):
    def op(self, other):
        return rmo.elementwise(fn, (self, other), {})

    def rop(self, other):
        if other.__class__ is int or other.__class__ is float:
            other = convert_to_tensor(other, dtype=self.dtype)  # `1 / rt`: rt's dtype
        return rmo.elementwise(fn, (other, self), {})

    return op, rop


def _install_operators() -> None:
    from tensorflux._src.ops import binary_math_ops, bitwise_ops

    table = {
        "add": math_ops.add, "sub": math_ops.subtract, "mul": math_ops.multiply,
        "truediv": math_ops.truediv, "floordiv": binary_math_ops.floordiv,
        "mod": binary_math_ops.floormod, "pow": binary_math_ops.pow,
    }  # fmt: skip
    for name, fn in table.items():
        op, rop = _binary(fn)
        setattr(RaggedTensor, f"__{name}__", op)
        setattr(RaggedTensor, f"__r{name}__", rop)

    def _logic(logical, bitwise):
        def fn(x, y):
            return logical(x, y) if x.dtype.is_bool else bitwise(x, y)

        return fn

    for name, lf, bf in (("and", math_ops.logical_and, bitwise_ops.bitwise_and),
                         ("or", math_ops.logical_or, bitwise_ops.bitwise_or),
                         ("xor", math_ops.logical_xor, bitwise_ops.bitwise_xor)):  # fmt: skip
        op, rop = _binary(_logic(lf, bf))
        setattr(RaggedTensor, f"__{name}__", op)
        setattr(RaggedTensor, f"__r{name}__", rop)
    for name, fn in (("lt", math_ops.less), ("le", math_ops.less_equal),
                     ("gt", math_ops.greater), ("ge", math_ops.greater_equal)):  # fmt: skip
        setattr(RaggedTensor, f"__{name}__", _binary(fn)[0])
    RaggedTensor.__neg__ = lambda self: self.with_flat_values(math_ops.negative(self.flat_values))
    RaggedTensor.__pos__ = lambda self: self
    RaggedTensor.__abs__ = lambda self: self.with_flat_values(_abs(self.flat_values))
    RaggedTensor.__invert__ = lambda self: self.with_flat_values(
        math_ops.logical_not(self.flat_values) if self.dtype.is_bool
        else bitwise_ops.invert(self.flat_values))  # fmt: skip
    RaggedTensor.__eq__ = _eq
    RaggedTensor.__ne__ = _ne
    RaggedTensor.__hash__ = None
    RaggedTensor.__getitem__ = rao.getitem
    RaggedTensor.__matmul__ = lambda self, other: rmo.matmul(self, other)
    RaggedTensor.__rmatmul__ = lambda self, other: rmo.matmul(other, self)


def _eq(self, other):
    if other is None:
        return False
    return rmo.elementwise(math_ops.equal, (self, other), {})


def _ne(self, other):
    if other is None:
        return True
    return rmo.elementwise(math_ops.not_equal, (self, other), {})


_TENSOR_OPS = ("add radd sub rsub mul rmul truediv rtruediv floordiv rfloordiv mod rmod pow rpow "
               "and rand or ror xor rxor lt le gt ge eq ne matmul rmatmul").split()


def _defer_tensor_operators() -> None:
    """`dense_tensor + rt`: Tensor operators step aside (NotImplemented) for a RaggedTensor
    operand, so Python calls the RaggedTensor's reflected operator, as in TensorFlow."""
    from tensorflux._src.tensor import Tensor

    for name in _TENSOR_OPS:
        orig = Tensor.__dict__.get(f"__{name}__")
        if orig is None or hasattr(orig, "_ragged_original"):
            continue

        def op(self, other, _orig=orig):
            if other.__class__ is RaggedTensor:
                return NotImplemented
            return _orig(self, other)

        op._ragged_original = orig
        Tensor._override_operator(f"__{name}__", op)


def _abs(x):
    from tensorflux._src.ops import unary_ops

    return unary_ops.abs(x)


_DONE = []


def install() -> None:
    """Installs operators once and patches the loaded public modules."""
    if not _DONE:
        _DONE.append(True)
        _install_operators()
        _defer_tensor_operators()
    patch_modules()


__all__ = ["install", "patch_modules", "ELEMENTWISE"]
