"""`tf.experimental.dispatch_for_api` and the element-wise dispatch decorators.

Registering a dispatch target for a public API (`tf.math.add`, `tf.reduce_sum`, ...) replaces
that function, in every loaded public `tensorflux` module, with a wrapper that checks the
registered signatures against the call's arguments and calls the first target that matches;
otherwise it calls the original. Only calls through the public names dispatch (as with
ragged_dispatch.py): tensorflux's own `_src` functions stay as they are.
"""

from __future__ import annotations

import collections.abc
import functools
import importlib
import inspect
import sys
import typing

# Element-wise public APIs, by name (looked up on `tensorflux.math`, then `tensorflux`/`nn`).
UNARY = (
    "abs acos acosh asin asinh atan atanh bessel_i0 bessel_i0e bessel_i1 bessel_i1e ceil conj "
    "cos cosh digamma erf erfc erfinv exp expm1 floor imag is_finite is_inf is_nan lgamma log "
    "log1p log_sigmoid logical_not negative ndtri real reciprocal reciprocal_no_nan rint round "
    "rsqrt sigmoid sign sin sinh softplus softsign sqrt square tan tanh"
).split()
BINARY = (
    "add subtract multiply divide truediv floordiv floormod mod pow maximum minimum equal "
    "not_equal less less_equal greater greater_equal logical_and logical_or logical_xor "
    "squared_difference atan2 divide_no_nan multiply_no_nan xdivy xlogy xlog1py realdiv "
    "truncatediv truncatemod"
).split()
_LOOKUP = ("tensorflux.math", "tensorflux", "tensorflux.nn")


class _Dispatcher:
    """The wrapper installed in place of an API: its targets and the original function."""

    def __init__(self, api):
        self.api = api
        self.signature = inspect.signature(api)
        self.targets: list = []  # (target, {param: type})
        self.elementwise: list = []  # (handler, (types per leading argument))
        self.wrapper = None  # the function installed in the public modules

    def __call__(self, *args, **kwargs):
        if self.targets:
            try:
                bound = self.signature.bind(*args, **kwargs)
            except TypeError:
                bound = None
            if bound is not None:
                for target, sig in self.targets:
                    if all(_matches(bound.arguments.get(p, _ABSENT), t) for p, t in sig.items()):
                        return target(*args, **kwargs)
        for handler, types in self.elementwise:
            vals = _leading(self.signature, args, kwargs, len(types))
            if vals is not None and all(_matches(v, t) for v, t in zip(vals, types)):
                return handler(self.api, *vals)
        return self.api(*args, **kwargs)


_ABSENT = object()


def _matches(value, t) -> bool:
    if value is _ABSENT:
        return False
    origin = typing.get_origin(t)
    if origin is typing.Union:
        return any(_matches(value, a) for a in typing.get_args(t))
    if origin in (list, tuple, collections.abc.Sequence):
        inner = (typing.get_args(t) or (object,))[0]
        return isinstance(value, (list, tuple)) and all(_matches(v, inner) for v in value)
    if t is None or t is type(None):
        return value is None
    return isinstance(value, t)


def _leading(signature, args, kwargs, n):
    """The first `n` arguments of a call, by position or name (None if not all given)."""
    names = list(signature.parameters)[:n]
    out = []
    for i, name in enumerate(names):
        if i < len(args):
            out.append(args[i])
        elif name in kwargs:
            out.append(kwargs[name])
        else:
            return None
    return out


def _public_modules():
    for name, mod in list(sys.modules.items()):
        if mod is not None and name.split(".")[0] == "tensorflux" and "._src" not in name:
            yield mod


def _dispatcher_for(api) -> _Dispatcher:
    """The dispatcher of `api`, installing it in the public modules the first time."""
    existing = getattr(api, "_tfx_dispatcher", None)
    if existing is not None:
        return existing
    disp = _Dispatcher(api)

    @functools.wraps(api)
    def wrapper(*args, **kwargs):
        return disp(*args, **kwargs)

    wrapper._tfx_dispatcher = disp
    disp.wrapper = wrapper
    for mod in _public_modules():
        for attr, val in list(vars(mod).items()):
            if val is api:
                setattr(mod, attr, wrapper)
    return disp


def _signature_from_annotations(fn) -> dict:
    hints = typing.get_type_hints(fn)
    return {p: hints[p] for p in inspect.signature(fn).parameters if p in hints and p != "return"}


def dispatch_for_api(api, *signatures):
    """Decorator: calls of public API `api` whose arguments match a signature run the decorated
    function instead.

    Args:
      api: a public tensorflux function (e.g. `tf.math.add`).
      *signatures: dicts mapping parameter names to types (`Union`s and `List`s allowed). With
        none, the decorated function's parameter annotations are the signature.

    Returns:
      A decorator that registers its function and returns it unchanged.

    Raises:
      ValueError: if the function's parameters differ from the API's, or no signature is given.
    """
    disp = _dispatcher_for(api)

    def decorator(target):
        api_params = list(disp.signature.parameters)
        if list(inspect.signature(target).parameters) != api_params:
            raise ValueError(
                f"Dispatch function's signature {inspect.signature(target)} does not match "
                f"API's signature {disp.signature}."
            )
        sigs = list(signatures) or [_signature_from_annotations(target)]
        if not any(sigs):
            raise ValueError(
                "The dispatch_for_api decorator must be called with at least one signature, or "
                "applied to a function that has type annotations on its parameters."
            )
        for sig in sigs:
            bad = set(sig) - set(api_params)
            if bad:
                raise ValueError(f"Dispatch signature names unknown parameters {sorted(bad)}.")
            disp.targets.append((target, dict(sig)))
        _REGISTERED.setdefault(id(target), []).append(disp)
        return target

    return decorator


def _elementwise(names, types):
    for modname in _LOOKUP:
        importlib.import_module(modname)  # the element-wise APIs must be loaded to be wrapped

    def decorator(handler):
        for name in names:
            for modname in _LOOKUP:
                api = getattr(sys.modules.get(modname), name, None)
                if api is not None:
                    break
            if api is None:
                continue
            disp = _dispatcher_for(api)
            disp.elementwise.append((handler, types))
            _REGISTERED.setdefault(id(handler), []).append(disp)
        return handler

    return decorator


def dispatch_for_unary_elementwise_apis(x_type):
    """Decorator: `handler(api_func, x)` runs for every unary element-wise API (`tf.abs`,
    `tf.math.sin`, ...) called with an `x` of `x_type`."""
    return _elementwise(UNARY, (x_type,))


def dispatch_for_binary_elementwise_apis(x_type, y_type):
    """Decorator: `handler(api_func, x, y)` runs for every binary element-wise API (`tf.add`,
    `tf.math.maximum`, ...) called with `x` of `x_type` and `y` of `y_type`."""
    return _elementwise(BINARY, (x_type, y_type))


_REGISTERED: dict = {}  # id(target) -> dispatchers it is registered with


def unregister_dispatch_for(dispatch_target):
    """Removes every registration of `dispatch_target` made by the decorators above.

    Raises:
      ValueError: if `dispatch_target` was not registered.
    """
    disps = _REGISTERED.pop(id(dispatch_target), None)
    if not disps:
        raise ValueError(
            f"Function {dispatch_target} was not registered using a dispatch decorator."
        )
    for d in disps:
        d.targets = [(t, s) for t, s in d.targets if t is not dispatch_target]
        d.elementwise = [(h, ts) for h, ts in d.elementwise if h is not dispatch_target]
        if not d.targets and not d.elementwise:
            _uninstall(d)


def _uninstall(disp) -> None:
    """Puts the original API back where the dispatcher's wrapper still stands."""
    for mod in _public_modules():
        for attr, val in list(vars(mod).items()):
            if val is disp.wrapper:
                setattr(mod, attr, disp.api)
    disp.wrapper._tfx_dispatcher = None


__all__ = [
    "dispatch_for_api",
    "dispatch_for_binary_elementwise_apis",
    "dispatch_for_unary_elementwise_apis",
    "unregister_dispatch_for",
]
