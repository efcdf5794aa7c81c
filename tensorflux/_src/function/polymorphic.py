"""`tf.function` and `Function`: the cache of traces keyed by the call's trace type.

A call binds its arguments to the Python signature (defaults applied, so `f(x)`, `f(x, 2)` and
`f(x, y=2)` share a key when 2 is the default), builds the key (see trace_type.py), and looks it
up: an exact hit, else a trace whose key is a supertype of the call's (a trace for shape (None,)
serves a call with shape (3,)), else it traces. With `reduce_retracing` a new trace is made for
the most specific supertype of the call and the earlier keys, so shapes that vary become None.
"""

from __future__ import annotations

import collections
import functools
import inspect
import logging
import os
import threading
import types
import weakref

from tensorflux._src.core import context as _context
from tensorflux._src.core import nest
from tensorflux._src.function import trace_type as tt
from tensorflux._src.function.concrete import (
    _NON_FIRST,
    _SINGLETON,
    ConcreteFunction,
    _CreationWatch,
    trace_function,
)
from tensorflux._src.tensor import Tensor, convert_to_tensor
from tensorflux._src.tensor_spec import TensorSpec
from tensorflux._src.type_spec import TypeSpec

_log = logging.getLogger("tensorflux")
_ctx = _context.ctx

_POS = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


# ------------------------------------------------------------------ argument binding


class FunctionSpec:
    """The Python signature of a traced function, and the input_signature if any."""

    def __init__(self, fn, input_signature=None):
        try:
            sig = inspect.signature(fn)
        except (TypeError, ValueError):
            sig = inspect.Signature(
                [
                    inspect.Parameter("args", inspect.Parameter.VAR_POSITIONAL),
                    inspect.Parameter("kwargs", inspect.Parameter.VAR_KEYWORD),
                ]
            )
        self.signature = sig
        self.params = list(sig.parameters.values())
        self.n_pos = sum(1 for p in self.params if p.kind in _POS)
        self.simple = self.n_pos == len(self.params)
        self.defaults = [p.default for p in self.params if p.kind in _POS]
        self.has_varargs = any(p.kind is p.VAR_POSITIONAL for p in self.params)
        # A function defined in a class body (decorated before it is bound): its first
        # parameter is the instance, which input_signature does not describe.
        qual = getattr(fn, "__qualname__", "") or ""
        owner = qual.rpartition(".")[0]
        self.is_method_in_class = (
            not isinstance(fn, types.MethodType) and bool(owner) and not owner.endswith("<locals>")
        ) or (bool(self.params) and self.params[0].name in ("self", "cls"))
        self.input_signature = None
        if input_signature is not None:
            self._set_input_signature(input_signature)

    def _set_input_signature(self, input_signature) -> None:
        if not isinstance(input_signature, (list, tuple)):
            raise TypeError(
                f"input_signature must be either a tuple or a list, got {type(input_signature)}."
            )
        bad = [s for s in nest.flatten(input_signature) if not isinstance(s, TypeSpec)]
        if bad:
            raise TypeError(
                "input_signature must be a possibly nested sequence of TensorSpec objects, got "
                f"invalid args {bad} with types {[type(b) for b in bad]}."
            )
        pos = [p for p in self.params if p.kind in _POS]
        if pos and self.is_method_in_class:
            pos = pos[1:]  # a method being decorated in its class: the instance is not typed
        if len(input_signature) > len(pos) and not self.has_varargs:
            raise TypeError(
                f"input_signature contains {len(input_signature)} elements but the function "
                f"takes only {len(pos)} positional arguments."
            )
        for p in pos[len(input_signature) :]:
            if p.default is p.empty:
                raise TypeError(f"input_signature missing type constraint for {p.name}")
        self.input_signature = tuple(input_signature)

    # --- binding --------------------------------------------------------------------------------

    def signature_text(self) -> str:
        if self.input_signature is not None:
            names = [p.name for p in self.params if p.kind in _POS]
            return "(" + ", ".join(f"{n}: {s!r}" for n, s in zip(names, self.input_signature)) + ")"
        parts = []
        for p in self.params:
            if p.kind is p.VAR_POSITIONAL:
                parts.append(f"*{p.name}")
            elif p.kind is p.VAR_KEYWORD:
                parts.append(f"**{p.name}")
            elif p.default is not p.empty:
                parts.append(f"{p.name}=<captured_default_value>")
            else:
                parts.append(p.name)
        return "(" + ", ".join(parts) + ")"

    def bind_error(self, why, args, kwargs) -> TypeError:
        return TypeError(
            f"Binding inputs to tf.function failed due to `{why}`. Received args: {args!r} and "
            f"kwargs: {kwargs!r} for signature: {self.signature_text()}."
        )

    def canonicalize(self, args, kwargs, function=None) -> tuple:
        """One value per parameter, defaults filled in (varargs a tuple, varkw a dict)."""
        if not kwargs and self.simple:
            n = len(args)
            if n == self.n_pos:
                return args if type(args) is tuple else tuple(args)
            if n < self.n_pos and all(d is not inspect.Parameter.empty for d in self.defaults[n:]):
                return tuple(args) + tuple(self.defaults[n:])
        try:
            ba = self.signature.bind(*args, **kwargs)
        except TypeError as e:
            raise self.bind_error(str(e), args, kwargs) from None
        ba.apply_defaults()
        out = []
        for p in self.params:
            v = ba.arguments.get(p.name)
            if v is None and p.kind is p.VAR_POSITIONAL:
                v = ()
            elif v is None and p.kind is p.VAR_KEYWORD:
                v = {}
            out.append(v)
        return tuple(out)

    def rebuild(self, values, as_tuple: bool = False):
        """`(args, kwargs)` for calling the Python function with canonical `values`."""
        args: list = []
        kwargs: dict = {}
        for p, v in zip(self.params, values):
            if p.kind in _POS:
                args.append(v)
            elif p.kind is p.VAR_POSITIONAL:
                args.extend(v)
            elif p.kind is p.KEYWORD_ONLY:
                kwargs[p.name] = v
            else:
                kwargs.update(v)
        return (tuple(args), kwargs) if as_tuple else (args, kwargs)

    def value_names(self, values) -> list:
        return [p.name for p in self.params]

    def param_rows(self, values, key, text) -> list:
        """(name, kind, type text) per argument, as TensorFlow's pretty printer lists them."""
        rows = []
        for p, v, k in zip(self.params, values, key):
            if p.kind in _POS:
                kind = "POSITIONAL_ONLY" if self.has_varargs else "POSITIONAL_OR_KEYWORD"
                rows.append((p.name, kind, text(v, k)))
            elif p.kind is p.VAR_POSITIONAL:
                rows += [
                    (f"{p.name}_{i}", "POSITIONAL_ONLY", text(x, kx))
                    for i, (x, kx) in enumerate(zip(v, k[1:]))
                ]
            elif p.kind is p.KEYWORD_ONLY:
                rows.append((p.name, "KEYWORD_ONLY", text(v, k)))
            else:
                rows += [(kk, "KEYWORD_ONLY", text(v[kk], kx)) for kk, kx in k[1:]]
        return rows

    # --- input_signature ------------------------------------------------------------------------

    def signature_values(self) -> tuple:
        """Canonical values for tracing the input_signature (specs, then defaults)."""
        sig = list(self.input_signature)
        out = []
        for p in self.params:
            if p.kind in _POS:
                out.append(sig.pop(0) if sig else p.default)
            elif p.kind is p.VAR_POSITIONAL:
                out.append(tuple(sig))
                sig = []
            elif p.kind is p.KEYWORD_ONLY:
                out.append(p.default)
            else:
                out.append({})
        return tuple(out)

    def convert_to_signature(self, args, kwargs) -> list:
        """The flat tensors of a call checked and converted against the input_signature."""
        n = len(self.input_signature)
        pos = [p for p in self.params if p.kind in _POS]
        if len(args) > n and not self.has_varargs:
            raise self.bind_error("too many positional arguments", args, kwargs)
        given = list(args)
        for p in pos[len(args) : n]:
            if p.name in kwargs:
                given.append(kwargs[p.name])
            else:
                raise self.bind_error(f"missing a required argument: '{p.name}'", args, kwargs)
        extra = set(kwargs) - {p.name for p in pos[:n]}
        if extra:
            name = sorted(extra)[0]
            raise self.bind_error(f"got an unexpected keyword argument '{name}'", args, kwargs)
        flat: list = []
        for spec, value in zip(self.input_signature, given):
            try:
                leaves = nest.flatten_up_to(spec, value, check_types=False)
            except (TypeError, ValueError) as e:
                raise self.bind_error(str(e), args, kwargs) from None
            for s, v in zip(nest.flatten(spec), leaves):
                if isinstance(s, TensorSpec):
                    flat.append(self._convert_leaf(s, v, args, kwargs))
                else:
                    flat.extend(self._convert_composite(s, v, args, kwargs))
        return flat

    def _convert_composite(self, spec, v, args, kwargs) -> list:
        """The component tensors of composite `v`, checked against composite `spec`."""
        if not isinstance(v, spec.value_type):
            raise self.bind_error(f"Can not cast {v!r} to {spec!r}", args, kwargs)
        comps = nest.flatten(v._type_spec._to_components(v), expand_composites=True)
        out = [
            self._convert_leaf(s, c, args, kwargs)
            for s, c in zip(spec._flat_tensor_specs(), comps)
        ]
        if not spec.is_compatible_with(v._type_spec):
            raise self.bind_error(f"Can not cast {v._type_spec!r} to {spec!r}", args, kwargs)
        return out

    def _convert_leaf(self, spec, v, args, kwargs):
        if getattr(v, "_is_variable", False):
            v = v.read_value()
        if not isinstance(v, Tensor):
            try:
                v = convert_to_tensor(v, dtype=spec.dtype)
            except (TypeError, ValueError):
                why = f"Cannot convert {v!r} to EagerTensor of dtype {_legacy(spec.dtype)}"
                raise self.bind_error(why, args, kwargs) from None
        if v.dtype != spec.dtype or not spec.shape.is_compatible_with(v.shape):
            got, want = TensorSpec(v.shape, v.dtype), TensorSpec(spec.shape, spec.dtype)
            why = f"Can not cast {got!r} to {want!r}"
            raise self.bind_error(why, args, kwargs)
        return v


def _legacy(dt) -> str:
    return {"float32": "float", "float64": "double", "float16": "half"}.get(dt.name, dt.name)


# ------------------------------------------------------------------ frequent retracing warning

_WINDOW = 10
_THRESHOLD = 5
_MAX_WARNINGS = 2


class _CallCounter:
    """The recent calls of one Python function (all its tf.functions): which ones traced."""

    __slots__ = ("recent", "warnings")

    def __init__(self):
        self.recent = collections.deque(maxlen=_WINDOW)
        self.warnings = 0

    def called(self, traced: bool, fn) -> None:
        self.recent.append(traced)
        if not traced or self.warnings >= _MAX_WARNINGS:
            return
        n = sum(self.recent)
        if n >= _THRESHOLD:
            self.warnings += 1
            _log.warning(
                "%d out of the last %d calls to %r triggered tf.function retracing. Tracing is "
                "expensive and the excessive number of tracings could be due to (1) creating "
                "@tf.function repeatedly in a loop, (2) passing tensors with different shapes, "
                "(3) passing Python objects instead of tensors. For (1), please define your "
                "@tf.function outside of the loop. For (2), @tf.function has "
                "reduce_retracing=True option that can avoid unnecessary retracing. For (3), "
                "please refer to https://www.tensorflow.org/guide/function#controlling_retracing"
                " and https://www.tensorflow.org/api_docs/python/tf/function for  more details.",
                n,
                len(self.recent),
                fn,
            )


_COUNTERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _counter_for(fn) -> _CallCounter:
    target = getattr(fn, "__func__", fn)
    target = getattr(target, "__code__", target)
    try:
        c = _COUNTERS.get(target)
        if c is None:
            c = _COUNTERS[target] = _CallCounter()
        return c
    except TypeError:  # not weak-referenceable
        return _CallCounter()


# ------------------------------------------------------------------ Function

_MEMO_LIMIT = 4096
_TRACE_LOCK = threading.RLock()  # tracing changes process-wide state (variable observers)


class Function:
    """A Python function compiled into graphs: what `tf.function` returns.

    Calling it traces the Python function once per input signature (see trace_type.py) and runs
    the graph. Used on a method, each instance gets its own bound Function and trace cache.
    """

    def __init__(
        self,
        python_function,
        name=None,
        input_signature=None,
        autograph=True,
        jit_compile=None,
        reduce_retracing=False,
        experimental_attributes=None,
    ):
        if not callable(python_function):
            raise TypeError(f"{python_function!r} is not a callable object.")
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", type(python_function).__name__)
        self._input_signature = input_signature
        self._autograph = autograph
        self._jit_compile = jit_compile
        self._reduce_retracing = bool(reduce_retracing)
        self._attributes = experimental_attributes
        self._spec = FunctionSpec(python_function, input_signature)
        self._memo: dict = {}  # call key -> ConcreteFunction (exact keys seen before)
        self._traces: list = []  # (key, ConcreteFunction), in tracing order
        self._tracing_count = 0
        self._created_variables = False
        self._retrace_reasons: list = []
        self._bound: dict = {}  # id(instance) -> (weakref or instance, bound Function)
        self._counter = _counter_for(python_function)
        try:
            functools.update_wrapper(self, python_function)
        except AttributeError:
            pass

    # --- public attributes ----------------------------------------------------------------------

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    @property
    def function_spec(self) -> FunctionSpec:
        return self._spec

    @property
    def experimental_autograph(self) -> bool:
        return self._autograph

    def experimental_get_tracing_count(self) -> int:
        """How many times the Python function has been traced."""
        return self._tracing_count

    def experimental_get_retrace_reasons(self) -> list:
        """Why each trace happened, oldest first: 'first call' or the argument that changed.

        Set the environment variable TFX_DEBUG to also log each reason as it happens.
        """
        return list(self._retrace_reasons)

    def experimental_get_compiler_ir(self, *args, **kwargs):
        raise NotImplementedError("experimental_get_compiler_ir (XLA) is not supported")

    # --- methods --------------------------------------------------------------------------------

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        entry = self._bound.get(id(instance))
        if entry is not None:
            ref, bound = entry
            if (ref() if isinstance(ref, weakref.ref) else ref) is instance:
                return bound
        bound = Function(
            types.MethodType(self._python_function, instance),
            name=self._name,
            input_signature=self._input_signature,
            autograph=self._autograph,
            jit_compile=self._jit_compile,
            reduce_retracing=self._reduce_retracing,
            experimental_attributes=self._attributes,
        )
        key = id(instance)
        try:
            ref = weakref.ref(instance, lambda _, k=key, b=self._bound: b.pop(k, None))
        except TypeError:
            ref = instance
        self._bound[key] = (ref, bound)
        return bound

    # --- calling --------------------------------------------------------------------------------

    def __call__(self, *args, **kwargs):
        if _context._RUN_FUNCTIONS_EAGERLY:
            return self._python_function(*args, **kwargs)
        spec = self._spec
        if spec.input_signature is not None:
            flat = spec.convert_to_signature(args, kwargs)
            if self._traces:
                cf = self._traces[0][1]
                traced = False
            else:
                values = spec.signature_values()
                key = tuple(tt.key_from_spec(v) for v in values)
                cf = self._trace(values, key, flat, "first call")
                traced = True
            self._counter.called(traced, self._python_function)
            return cf._call_flat(flat, checked=True)
        values = spec.canonicalize(args, kwargs, self)
        flat: list = []
        key = tuple([tt.make_key(v, flat) for v in values])
        cf = self._memo.get(key)
        traced = False
        if cf is None:
            cf = self._lookup(key)
            if cf is None:
                cf = self._trace_for_call(values, key, flat)
                traced = True
        self._counter.called(traced, self._python_function)
        return cf._call_flat(flat, checked=True)

    def _lookup(self, key):
        for k, cf in reversed(self._traces):
            if all(tt.is_subtype(a, b) for a, b in zip(key, k)):
                if len(self._memo) >= _MEMO_LIMIT:
                    self._memo.clear()
                self._memo[key] = cf
                return cf
        return None

    def _trace_for_call(self, values, key, flat, feeds=True):
        reason = self._reason(key)
        if self._reduce_retracing:
            relaxed = key
            for k, _ in self._traces:
                s = tuple(tt.supertype(a, b) for a, b in zip(relaxed, k))
                if all(x is not None for x in s) or not s:
                    relaxed = s
            key = relaxed
        return self._trace(values, key, flat if feeds else None, reason)

    def _reason(self, key) -> str:
        if not self._traces:
            return "first call"
        prev = self._traces[-1][0]
        names = [p.name for p in self._spec.params]
        for name, a, b in zip(names, key, prev):
            if a != b:
                return f"argument '{name}' changed: {tt.type_text(a)} (was {tt.type_text(b)})"
        return "no trace matched"

    def _trace(self, values, key, flat, reason) -> ConcreteFunction:
        with _TRACE_LOCK:
            return self._trace_locked(values, key, flat, reason)

    def _trace_locked(self, values, key, flat, reason) -> ConcreteFunction:
        self._retrace_reasons.append(reason)
        if _context.debug() or os.environ.get("TFX_DEBUG"):
            _log.warning("tf.function %s traced (%s)", self._name, reason)
        first = not self._traces and not self._created_variables and self._tracing_count == 0
        self._tracing_count += 1
        if first:
            watch = _CreationWatch()
            cf = trace_function(self, values, key, flat, watch)
            if watch.created:
                self._created_variables = True
                self._tracing_count += 1
                cf = trace_function(self, values, key, flat, _CreationWatch(_SINGLETON))
        else:
            cf = trace_function(self, values, key, flat, _CreationWatch(_NON_FIRST))
        self._traces.append((key, cf))
        return cf

    def get_concrete_function(self, *args, **kwargs) -> ConcreteFunction:
        """The trace for these arguments (tensors or `tf.TensorSpec`s), traced if needed."""
        spec = self._spec
        if spec.input_signature is not None:
            if not self._traces:
                values = spec.signature_values()
                key = tuple(tt.key_from_spec(v) for v in values)
                self._trace(values, key, None, "first call")
            return self._traces[0][1]
        values = spec.canonicalize(args, kwargs, self)
        flat: list = []
        key = tuple(tt.make_key(v, flat) for v in values)
        cf = self._memo.get(key) or self._lookup(key)
        if cf is None:
            cf = self._trace(values, key, None, self._reason(key))
            self._memo[key] = cf
        return cf

    def pretty_printed_concrete_signatures(self, verbose: bool = True) -> str:
        """Every trace's signature, as ConcreteFunction.pretty_printed_signature prints it."""
        sep = "\n\n" if verbose else "\n"
        return sep.join(cf.pretty_printed_signature(verbose) for _, cf in self._traces)

    def __repr__(self) -> str:
        return f"<tensorflux.Function {self._name} at 0x{id(self):x}>"


def function(
    func=None,
    input_signature=None,
    autograph=True,
    jit_compile=None,
    reduce_retracing=False,
    experimental_implements=None,
    experimental_autograph_options=None,
    experimental_attributes=None,
    experimental_relax_shapes=None,
    experimental_compile=None,
    experimental_follow_type_hints=None,
):
    """Compiles a Python function into a callable that runs traced graphs.

    Args:
      func: the function (or method) to compile. If None, returns a decorator.
      input_signature: a list or tuple of (possibly nested) `tf.TensorSpec`s, one per positional
        argument; the function is then traced once and every call must match it.
      autograph: whether to convert Python `if`/`while`/`for`/`return` on tensors into graph
        control flow (default True).
      jit_compile: compile the graph with XLA through JAX when JAX is installed (the `xla`
        extra); graphs it cannot lower run on the executor after a warning.
      reduce_retracing: on a retrace, trace for the most general shapes seen so far so that
        varying dimensions become None.
      experimental_implements: accepted and ignored.
      experimental_autograph_options: accepted and ignored.
      experimental_attributes: accepted and stored.
      experimental_relax_shapes: deprecated alias of `reduce_retracing`.
      experimental_compile: deprecated alias of `jit_compile`.
      experimental_follow_type_hints: accepted and ignored.

    Returns:
      A `Function` (or a decorator making one).

    Raises:
      TypeError: for an invalid `input_signature`.
    """
    if experimental_relax_shapes is not None:
        reduce_retracing = reduce_retracing or bool(experimental_relax_shapes)
    if experimental_compile is not None and jit_compile is None:
        jit_compile = experimental_compile

    def decorate(fn):
        return Function(
            fn,
            input_signature=input_signature,
            autograph=autograph,
            jit_compile=jit_compile,
            reduce_retracing=reduce_retracing,
            experimental_attributes=experimental_attributes,
        )

    if func is not None:
        return decorate(func)
    return decorate
