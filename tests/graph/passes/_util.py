"""Shared checks: trace a function, run a pass, run both graphs on the same inputs, compare."""

from __future__ import annotations

import numpy as np

from tensorflux._src.graph.executor import Executor
from tensorflux._src.graph.graph import format_graph
from tensorflux._src.graph.trace import InputSpec, trace


def spec(shape, dtype="float32"):
    import tensorflux as tf

    return InputSpec(shape, getattr(tf, dtype))


def random_value(s, rng, concrete=3):
    shape = [concrete if d is None else d for d in s.shape.as_list()]
    dt = s.dtype.as_numpy_dtype
    if s.dtype.is_floating:
        return rng.standard_normal(shape).astype(dt)
    if s.dtype.is_bool:
        return rng.random(shape) < 0.5
    return rng.integers(-5, 6, shape).astype(dt)


def ops_of(graph, typ=None):
    return [op for op in graph.get_operations() if typ is None or op.type == typ]


def types(graph) -> list:
    return [op.type for op in graph.get_operations()]


def run_pass(fn, specs, pass_fn, seed=0, trials=2, **kw):
    """Traces `fn`, applies `pass_fn`, checks values/dtypes/shapes bit for bit on random inputs
    and that the source graph is untouched. Returns (source graph, new graph)."""
    g, phs, outs = trace(fn, specs)
    outs = [t for t in (outs if isinstance(outs, (list, tuple)) else [outs])]
    before = format_graph(g)
    g2, outs2, _ = pass_fn(g, outs, **kw)
    assert format_graph(g) == before, "the pass edited its input graph"
    assert g2 is not g
    assert len(g2.inputs) == len(phs)
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        feeds = [random_value(s, rng) for s in specs]
        compare(Executor(g, phs, outs)(*feeds), Executor(g2, g2.inputs, outs2)(*feeds))
    for a, b in zip(outs, outs2):
        assert a.dtype is b.dtype
        assert b.shape.is_compatible_with(a.shape)
    return g, g2


def compare(ref, got):
    assert len(ref) == len(got)
    for a, b in zip(ref, got):
        assert a.dtype is b.dtype, (a.dtype, b.dtype)
        assert a.shape == b.shape, (a.shape, b.shape)
        x, y = a.numpy(), b.numpy()
        assert x.dtype == y.dtype
        np.testing.assert_array_equal(x, y)
        if x.dtype.kind == "f":  # bit-exact: signed zeros too
            np.testing.assert_array_equal(np.signbit(x), np.signbit(y))
