"""`tf.function(jit_compile=True)`: the optimized graph compiled by XLA through JAX.

Kernels are written against the array module `xp`, so the same kernels trace under
`jax.numpy`: the plan's steps run once inside `jax.jit`, which hands XLA one fused program.
Variables are functionalized: reads and assignments (`ReadVariableOp`, `Assign*VariableOp`)
become values threaded through the program, and the variables written are stored back after
each call. A graph that cannot be lowered (a kernel using NumPy-only features, stateful random
ops, sub-graph ops) runs on the regular executor after a one-time warning. JAX is optional
(`pip install tensorflux[xla]`); without it `jit_compile=True` also falls back, with a warning.
"""

from __future__ import annotations

import logging
import threading

import numpy as np

from tensorflux._src import devices as _devices
from tensorflux._src.core import dtypes
from tensorflux._src.tensor import EagerTensor

_log = logging.getLogger("tensorflux")
_jax_lock = threading.Lock()
_jax = None

_ASSIGN = {"AssignVariableOp": None, "AssignAddVariableOp": "add", "AssignSubVariableOp": "sub"}


class CannotLower(Exception):
    """The graph has an op the JAX lowering does not handle."""


def jax_modules():
    """(jax, jax.numpy), or None when JAX is not installed."""
    global _jax
    with _jax_lock:
        if _jax is None:
            try:
                import jax
                import jax.numpy as jnp
            except ImportError:
                _jax = False
            else:
                jax.config.update("jax_enable_x64", True)  # int64/float64 tensors stay exact
                _jax = (jax, jnp)
        return _jax or None


def _cell_of(value):
    cell = getattr(value, "_value", None)
    return cell if hasattr(cell, "var_shape") else None


class JaxPlan:
    """Runs an `Executor`'s plan as one `jax.jit` program; same call interface as `Executor`."""

    def __init__(self, ex):
        mods = jax_modules()
        if mods is None:
            raise CannotLower("JAX is not installed")
        jax, jnp = mods
        self.ex = ex
        cpu = _devices.CPU0
        for st in ex._steps:
            if st.device is not None:
                raise CannotLower(f"{st.op.name} is placed on {st.op.device}")
        self._cells = []  # variables' storage cells, in capture order
        self._var_slots = {}  # slot -> index into _cells
        self._cap_slots = []  # (slot, value) for captured tensors
        for k, v in ex._capture_feeds:
            cell = _cell_of(v) if isinstance(v, EagerTensor) else None
            if cell is not None:
                self._var_slots[k] = len(self._cells)
                self._cells.append(cell)
            elif isinstance(v, EagerTensor) and v.dtype not in (dtypes.resource, dtypes.variant):
                self._cap_slots.append((k, v))
            else:
                raise CannotLower("a captured value is not a tensor or a variable")
        kernels = []
        for st in ex._steps:
            t = st.op.type
            if t == "ReadVariableOp" or t in _ASSIGN:
                kernels.append(None)
                continue
            if getattr(st.op_def, "stateful", False):
                raise CannotLower(f"stateful op {t} ({st.op.name})")
            if any(x.dtype in (dtypes.resource, dtypes.variant, dtypes.string)
                   for x in list(st.op.inputs) + list(st.op.outputs)):  # fmt: skip
                raise CannotLower(f"{t} ({st.op.name}) uses resource, variant or string tensors")
            if any(not isinstance(v, (int, float, bool, str, bytes, type(None), tuple, list,
                                      np.ndarray, np.generic, dtypes.DType))
                   and not hasattr(v, "as_list") for v in st.attrs.values()):  # fmt: skip
                raise CannotLower(f"{t} ({st.op.name}) has sub-graph or object attributes")
            try:
                kernels.append(st.op_def.kernel_for(cpu.kernel_type))
            except (NotImplementedError, AttributeError):
                raise CannotLower(f"{t} has no array kernel") from None
        self._kernels = kernels
        self._written: list = []  # indices of cells the program assigns (found while tracing)
        self._jnp = jnp
        self._jitted = jax.jit(self._program)
        self._traced = False
        self._broken = False
        self._name = ""

    def _program(self, feeds, caps, var_vals):
        jnp = self._jnp
        ex = self.ex
        slots: list = [None] * ex._n_slots
        for k, v in zip(ex._feed_slots, feeds):
            slots[k] = v
        for (k, _), v in zip(self._cap_slots, caps):
            slots[k] = v
        for k, i in self._var_slots.items():
            slots[k] = ("var", i)
        for k, t in ex._consts:
            slots[k] = t._value  # NumPy: stays a concrete value (shapes, axes, depths)
        state = list(var_vals)
        written = []
        for st, kernel in zip(ex._steps, self._kernels):
            t = st.op.type
            ins = [slots[k] for k in st.ins]
            if kernel is None:
                ref = ins[0]
                if not (isinstance(ref, tuple) and ref and ref[0] == "var"):
                    raise CannotLower(f"{t} on a handle that is not a captured variable")
                i = ref[1]
                if t == "ReadVariableOp":
                    slots[st.outs[0]] = state[i]
                    continue
                mode = _ASSIGN[t]
                new = ins[1]
                if mode == "add":
                    new = state[i] + new
                elif mode == "sub":
                    new = state[i] - new
                state[i] = jnp.asarray(new, dtype=state[i].dtype).reshape(state[i].shape)
                if i not in written:
                    written.append(i)
                for k in st.outs:  # read_value=True variants return the new value
                    slots[k] = state[i]
                continue
            try:
                res = kernel(jnp, *ins, **st.attrs)
            except Exception as e:  # noqa: BLE001 - name the op XLA could not take
                raise CannotLower(f"{t} ({st.op.name}): {type(e).__name__}: {e}") from e
            if len(st.outs) == 1 and not isinstance(res, (list, tuple)):
                slots[st.outs[0]] = res
            else:
                for k, r in zip(st.outs, res):
                    slots[k] = r
        self._written = written
        return [slots[k] for k in ex._fetch_slots], [state[i] for i in written]

    def __call__(self, *values):
        if self._broken:
            return self.ex(*values)
        feeds = []
        for v, ph in zip(values, self.ex.inputs):
            if not isinstance(v, EagerTensor):
                from tensorflux._src.graph.executor import _feed_value

                v = _feed_value(ph, v)
            feeds.append(v._value)
        return self._run(feeds)

    def run_checked(self, values):
        if self._broken:
            return self.ex.run_checked(values)
        return self._run([v._value for v in values])

    def _run(self, feeds):
        if self._broken:
            cpu = _devices.CPU0
            return self.ex(*[EagerTensor(f, ph.dtype, cpu) for f, ph in zip(feeds, self.ex.inputs)])
        if not self._traced:
            try:
                out = self._run_jitted(feeds)
            except Exception as e:  # noqa: BLE001 - a kernel XLA cannot take: run without it
                self._broken = True
                _warn(self._name, f"{type(e).__name__}: {e}")
                return self._run(feeds)
            self._traced = True
            return out
        return self._run_jitted(feeds)

    def _run_jitted(self, feeds):
        caps = [v._value for _, v in self._cap_slots]
        var_vals = [c.array for c in self._cells]
        outs, new_vals = self._jitted(feeds, caps, var_vals)
        for i, val in zip(self._written, new_vals):
            self._cells[i].array = np.array(val)  # writable host copy the variable owns
        cpu = _devices.CPU0
        return [
            EagerTensor(np.asarray(o), t.dtype, cpu) for o, t in zip(outs, self.ex.outputs)
        ]


_warned: set = set()


def _warn(name: str, why: str) -> None:
    if name not in _warned:
        _warned.add(name)
        _log.warning("jit_compile=True: %s runs without XLA (%s).", name, why)


def maybe_jit(ex, name: str):
    """A JaxPlan for `ex`, or `ex` itself (with a one-time warning) when lowering fails."""
    try:
        plan = JaxPlan(ex)
    except CannotLower as e:
        _warn(name, str(e))
        return ex
    plan._name = name
    return plan
