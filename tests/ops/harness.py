"""The op harness: `OpInfo` rows and the checks every row gets (see tests/ops/README.md).

A row names a public function, a NumPy reference, the dtypes to test and how to make inputs. For each
row x device x dtype the harness checks: forward values against the reference, the result dtype
(and that the array really has it), non-contiguous inputs, and -- for float rows -- the gradient
against float64 central differences (<J^T v, u> vs <v, J u>), to second order where asked.
Traced checks: the row's call traced into a graph (with exact and with unknown input dimensions)
promises eager's dtypes and compatible static shapes (`check_spec`), and running that graph gives
eager's values (`check_traced`). Array arguments become placeholders; everything else stays Python.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Optional, Sequence

import numpy as np

import tensorflux as tf
from tensorflux._src.core import dtypes as D
from tensorflux._src.core.shape import TensorShape
from tensorflux._src.graph.trace import InputSpec, run_traced, trace

FLOAT = (D.float16, D.bfloat16, D.float32, D.float64)
FLOAT32_64 = (D.float32, D.float64)
COMPLEX = (D.complex64, D.complex128)
INT = (D.int8, D.int16, D.int32, D.int64, D.uint8, D.uint16, D.uint32, D.uint64)
SIGNED_INT = (D.int8, D.int16, D.int32, D.int64)
INT32_64 = (D.int32, D.int64)
REAL = FLOAT + INT
NUMERIC = REAL + COMPLEX
BOOL = (D.bool,)

TOL = {
    D.float16: (1e-2, 1e-2),
    D.bfloat16: (4e-2, 4e-2),
    D.float32: (1e-5, 1e-5),
    D.float64: (1e-10, 1e-10),
    D.complex64: (1e-5, 1e-5),
    D.complex128: (1e-10, 1e-10),
}


@dataclasses.dataclass
class Sample:
    """One call: positional args (NumPy arrays become tensors) and keyword args (passed as is)."""

    args: Sequence[Any]
    kwargs: dict = dataclasses.field(default_factory=dict)
    grad: bool = True  # include this sample in gradient checks
    note: str = ""


@dataclasses.dataclass
class OpInfo:
    name: str  # public name, e.g. "math.sin"
    fn: Callable  # the tensorflux function
    ref: Optional[
        Callable
    ]  # NumPy reference over NumPy arrays (None: compare with `ref_dtype` only)
    dtypes: Sequence[D.DType]
    samples: Optional[Callable] = None  # (rng, dtype) -> list[Sample]; default: from arity/domain
    arity: int = 1
    domain: tuple = (-2.0, 2.0)
    result_dtype: Optional[Callable] = None  # dtype -> result dtype (default: same as input)
    grad: bool = True  # check first-order gradients on float32/float64
    grad2: bool = False  # and second order
    grad_argnums: Optional[Sequence[int]] = None  # args to differentiate (default: float arrays)
    tol: Optional[dict] = None  # per-dtype (rtol, atol) overrides
    grad_tol: float = 1e-6  # relative tolerance of the float64 gradient check
    ref_upcast: bool = True  # run the reference in float64 for low-precision float inputs
    noncontiguous: bool = True
    traced: bool = True  # check that the traced graph, run by the executor, gives eager's values
    exact_nan: bool = True
    spec: bool = True  # check traced dtypes and static shapes against eager results
    unknown_dims: bool = True  # also trace with every input dimension unknown (ranks kept)
    data_dependent_shape: bool = False  # output shape depends on input values (unique, where...)

    def __str__(self):
        return self.name


def default_samples(info: OpInfo, rng, dtype) -> list:
    lo, hi = info.domain
    shapes_unary = [(), (0,), (3,), (2, 3), (2, 1, 4)]
    if info.arity == 1:
        return [Sample([make(rng, s, dtype, lo, hi)]) for s in shapes_unary]
    pairs = [((), ()), ((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 3)), ((0, 3), (3,)), ((), (2, 2))]
    out = []
    for shapes in pairs:
        out.append(Sample([make(rng, s, dtype, lo, hi) for s in shapes[: info.arity]]))
    return out


def make(rng, shape, dtype, lo=-2.0, hi=2.0):
    """Random NumPy values of `dtype` in [lo, hi) (clipped to the dtype's range)."""
    dtype = D.as_dtype(dtype)
    np_t = dtype.as_numpy_dtype
    if dtype is D.bool:
        return rng.random(shape) < 0.5
    if dtype.is_integer:
        info = np.iinfo(np_t)
        a, b = max(int(np.floor(lo)), info.min), min(int(np.ceil(hi)), info.max)
        if b <= a:
            b = a + 1
        return rng.integers(a, b, size=shape, endpoint=False).astype(np_t)
    if dtype.is_complex:
        re = rng.uniform(lo, hi, size=shape)
        im = rng.uniform(lo, hi, size=shape)
        return (re + 1j * im).astype(np_t)
    if dtype is D.string:
        return np.array(rng.choice([b"a", b"bc", b"", b"xyz"], size=shape), dtype=object)
    return np.asarray(rng.uniform(lo, hi, size=shape)).astype(np_t)


def samples_for(info: OpInfo, rng, dtype) -> list:
    if info.samples is not None:
        return info.samples(rng, dtype)
    return default_samples(info, rng, dtype)


def to_tf(a, device: Optional[str] = None):
    if isinstance(a, np.ndarray) or isinstance(a, np.generic):
        if device:
            with tf.device(device):
                return tf.constant(a)
        return tf.constant(a)
    return a


def _ref_inputs(args, dtype, upcast):
    out = []
    for a in args:
        if (
            upcast
            and isinstance(a, np.ndarray)
            and a.dtype in (np.dtype(D.float16.as_numpy_dtype), np.dtype(D.bfloat16.as_numpy_dtype))
        ):
            a = a.astype(np.float64)
        out.append(a)
    return out


def flat_outputs(out) -> list:
    if isinstance(out, (list, tuple)):
        res = []
        for o in out:
            res.extend(flat_outputs(o))
        return res
    if hasattr(out, "_asdict"):
        return flat_outputs(list(out))
    return [out]


def assert_close(actual, expected, dtype, tol=None, what="", exact_nan=True):
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (
        f"{what}: shape {actual.shape} != reference {expected.shape}"
    )
    if actual.dtype == object or expected.dtype == object or actual.dtype.kind in "biuSU":
        np.testing.assert_array_equal(actual, expected, err_msg=what)
        return
    rtol, atol = (tol or {}).get(dtype, TOL.get(dtype, (0, 0)))
    a = actual.astype(np.complex128 if actual.dtype.kind == "c" else np.float64)
    e = expected.astype(np.complex128 if expected.dtype.kind == "c" else np.float64)
    np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


# ------------------------------------------------------------------------------ checks


def call(info: OpInfo, device: Optional[str], args, kwargs):
    """Calls the row's function placed on `device`, as a user's `with tf.device(...)` would."""
    if device:
        with tf.device(device):
            return info.fn(*args, **kwargs)
    return info.fn(*args, **kwargs)


def check_forward(info: OpInfo, dtype, device: Optional[str], rng):
    for i, s in enumerate(samples_for(info, rng, dtype)):
        args = [to_tf(a, device) for a in s.args]
        out = call(info, device, args, s.kwargs)
        outs = flat_outputs(out)
        for o in outs:
            if isinstance(o, tf.Tensor):
                arr = o.numpy()
                assert np.asarray(arr).dtype == np.dtype(o.dtype.as_numpy_dtype), (
                    f"{info.name}[{i}]: kernel returned {np.asarray(arr).dtype} for a {o.dtype.name} result"
                )
                if device:
                    assert (
                        o.device.endswith(device.lstrip("/").replace("device:", ""))
                        or device in o.device
                    ), f"{info.name}: result on {o.device}, expected {device}"
        if info.result_dtype is not None:
            want = info.result_dtype(dtype)
            assert outs[0].dtype == want, f"{info.name}: result dtype {outs[0].dtype} != {want}"
        elif info.ref is None:
            assert outs[0].dtype == dtype, f"{info.name}: result dtype {outs[0].dtype} != {dtype}"
        if info.ref is not None:
            expected = info.ref(*_ref_inputs(s.args, dtype, info.ref_upcast), **s.kwargs)
            exp = flat_outputs(expected) if isinstance(expected, (list, tuple)) else [expected]
            assert len(exp) == len(outs), f"{info.name}: {len(outs)} outputs, reference {len(exp)}"
            for k, (o, e) in enumerate(zip(outs, exp)):
                odt = o.dtype if isinstance(o, tf.Tensor) else dtype
                assert_close(
                    o.numpy() if isinstance(o, tf.Tensor) else o,
                    e,
                    odt,
                    info.tol,
                    f"{info.name} sample {i} output {k} ({dtype.name})",
                )
        if info.noncontiguous:
            _check_noncontiguous(info, s, outs, device)


def _check_noncontiguous(info, s, outs, device):
    changed = False
    args = []
    for a in s.args:
        if isinstance(a, np.ndarray) and a.ndim >= 1 and a.size > 1 and a.dtype != object:
            big = np.repeat(a[..., None], 2, axis=-1)  # same values, every other element
            args.append(to_tf(big[..., 0], device))
            changed = True
        else:
            args.append(to_tf(a, device))
    if not changed:
        return
    outs2 = flat_outputs(call(info, device, args, s.kwargs))
    for o, o2 in zip(outs, outs2):
        if isinstance(o, tf.Tensor):
            np.testing.assert_array_equal(
                o.numpy(),
                o2.numpy(),
                err_msg=f"{info.name}: non-contiguous input changed the result",
            )


def _diff_args(info: OpInfo, s: Sample) -> list:
    if info.grad_argnums is not None:
        return list(info.grad_argnums)
    return [i for i, a in enumerate(s.args) if isinstance(a, np.ndarray) and a.dtype.kind in "fc"]


def _as_f64(s: Sample, idx) -> list:
    out = []
    for i, a in enumerate(s.args):
        if i in idx:
            out.append(a.astype(np.complex128 if a.dtype.kind == "c" else np.float64))
        else:
            out.append(a)
    return out


def _float_outputs(outs):
    return [
        o for o in outs if isinstance(o, tf.Tensor) and (o.dtype.is_floating or o.dtype.is_complex)
    ]


def check_gradient(info: OpInfo, device: Optional[str], rng, eps=1e-6):
    """<J^T v, u> from the tape equals <v, J u> from central differences, in float64."""
    dt = (
        D.float64
        if D.float64 in info.dtypes
        else (D.complex128 if D.complex128 in info.dtypes else None)
    )
    if dt is None:
        return
    for i, s in enumerate(samples_for(info, rng, dt)):
        if not s.grad:
            continue
        idx = _diff_args(info, s)
        if not idx:
            continue
        base = _as_f64(s, idx)

        def f(vals):
            args = [to_tf(v, device) for v in vals]
            return _float_outputs(flat_outputs(call(info, device, args, s.kwargs)))

        xs = [to_tf(base[j], device) for j in idx]
        with tf.GradientTape(persistent=True) as tape:
            for x in xs:
                tape.watch(x)
            args = [to_tf(a, device) for a in base]
            for k, j in enumerate(idx):
                args[j] = xs[k]
            outs = _float_outputs(flat_outputs(call(info, device, args, s.kwargs)))
        if not outs:
            continue
        vs = [rng.standard_normal(o.shape.as_list()) for o in outs]
        us = [rng.standard_normal(base[j].shape) for j in idx]
        grads = tape.gradient(
            outs, xs, output_gradients=[tf.constant(v, dtype=o.dtype) for v, o in zip(vs, outs)]
        )
        lhs = 0.0
        for g, u in zip(grads, us):
            if g is not None:
                lhs += float(np.real(np.sum(np.asarray(tf.convert_to_tensor(g)) * u)))
        plus, minus = list(base), list(base)
        for k, j in enumerate(idx):
            plus[j] = base[j] + eps * us[k]
            minus[j] = base[j] - eps * us[k]
        fp, fm = f(plus), f(minus)
        rhs = 0.0
        for a, b, v in zip(fp, fm, vs):
            rhs += float(np.real(np.sum((a.numpy() - b.numpy()) / (2 * eps) * v)))
        scale = max(1.0, abs(lhs), abs(rhs))
        assert abs(lhs - rhs) <= info.grad_tol * 1e3 * scale + 1e-7, (
            f"{info.name} sample {i}: tape <J^T v,u>={lhs!r} vs finite differences <v,Ju>={rhs!r}"
        )


def check_gradient2(info: OpInfo, device: Optional[str], rng, eps=1e-5):
    """Second order: the gradient of <grad f(x), w> matches central differences of grad f."""
    if D.float64 not in info.dtypes:
        return
    for i, s in enumerate(samples_for(info, rng, D.float64)):
        if not s.grad:
            continue
        idx = _diff_args(info, s)
        if not idx:
            continue
        base = _as_f64(s, idx)
        outs0 = _float_outputs(
            flat_outputs(call(info, device, [to_tf(a, device) for a in base], s.kwargs))
        )
        if not outs0:
            continue
        vs = [tf.constant(rng.standard_normal(o.shape.as_list())) for o in outs0]
        ws = [rng.standard_normal(base[j].shape) for j in idx]
        us = [rng.standard_normal(base[j].shape) for j in idx]

        def first_grad(vals, outer=None):
            xs = [to_tf(vals[j], device) for j in idx]
            if outer is not None:
                for x in xs:
                    outer.watch(x)
            with tf.GradientTape() as inner:
                for x in xs:
                    inner.watch(x)
                args = [to_tf(a, device) for a in vals]
                for k, j in enumerate(idx):
                    args[j] = xs[k]
                outs = _float_outputs(flat_outputs(call(info, device, args, s.kwargs)))
            gs = inner.gradient(outs, xs, output_gradients=vs)
            gs = [
                tf.zeros_like(x) if g is None else tf.convert_to_tensor(g) for g, x in zip(gs, xs)
            ]
            return xs, gs

        with tf.GradientTape() as outer:
            xs, gs = first_grad(base, outer)
            total = tf.add_n([tf.reduce_sum(g * tf.constant(w)) for g, w in zip(gs, ws)])
        hs = outer.gradient(total, xs)
        lhs = sum(float(np.sum(np.asarray(h) * u)) for h, u in zip(hs, us) if h is not None)
        plus, minus = list(base), list(base)
        for k, j in enumerate(idx):
            plus[j] = base[j] + eps * us[k]
            minus[j] = base[j] - eps * us[k]
        _, gp = first_grad(plus)
        _, gm = first_grad(minus)
        rhs = sum(
            float(np.sum((a.numpy() - b.numpy()) / (2 * eps) * w)) for a, b, w in zip(gp, gm, ws)
        )
        scale = max(1.0, abs(lhs), abs(rhs))
        assert abs(lhs - rhs) <= 1e-4 * scale, (
            f"{info.name} sample {i}: second-order tape {lhs!r} vs finite differences {rhs!r}"
        )


# ------------------------------------------------------------------------------ traced checks


def _is_array(a) -> bool:
    return isinstance(a, (np.ndarray, np.generic))


def _traced_variants(info: OpInfo) -> tuple:
    return (False, True) if info.unknown_dims else (False,)


def check_spec(info: OpInfo, dtype, rng):
    """Traced outputs promise eager's dtypes and static shapes compatible with eager's shapes.

    With fully known input shapes the static shapes must equal eager's, unless the row says its
    output shape depends on input values (`data_dependent_shape`).
    """
    for i, s in enumerate(samples_for(info, rng, dtype)):
        args = [to_tf(a) for a in s.args]
        eager = flat_outputs(info.fn(*args, **s.kwargs))
        for unknown in _traced_variants(info):
            specs = [
                InputSpec(TensorShape([None] * a.shape.rank) if unknown else a.shape, a.dtype)
                if _is_array(raw)
                else raw
                for raw, a in zip(s.args, args)
            ]
            what = (
                f"{info.name} sample {i} ({dtype.name}, {'unknown' if unknown else 'exact'} dims)"
            )
            _, _, outs = trace(info.fn, specs, s.kwargs)
            traced = flat_outputs(outs)
            assert len(traced) == len(eager), (
                f"{what}: {len(traced)} traced outputs, eager {len(eager)}"
            )
            for k, (t, e) in enumerate(zip(traced, eager)):
                if not isinstance(e, tf.Tensor):
                    assert not isinstance(t, tf.Tensor), (
                        f"{what} output {k}: traced a tensor, eager {e!r}"
                    )
                    continue
                assert isinstance(t, tf.Tensor), f"{what} output {k}: traced {t!r}, eager a tensor"
                assert t.dtype == e.dtype, (
                    f"{what} output {k}: traced dtype {t.dtype.name} != eager {e.dtype.name}"
                )
                assert t.shape.is_compatible_with(e.shape), (
                    f"{what} output {k}: traced shape {t.shape} incompatible with eager {e.shape}"
                )
                if not unknown and not info.data_dependent_shape:
                    assert t.shape == e.shape, (
                        f"{what} output {k}: traced static shape {t.shape} != eager {e.shape} "
                        "though every input shape was known"
                    )


def check_traced(info: OpInfo, dtype, device: Optional[str], rng):
    """The traced graph, run by the executor on the same inputs, gives eager's values."""
    for i, s in enumerate(samples_for(info, rng, dtype)):
        args = [to_tf(a, device) for a in s.args]
        eager = flat_outputs(info.fn(*args, **s.kwargs))
        for unknown in _traced_variants(info):
            what = (
                f"{info.name} sample {i} ({dtype.name}, {'unknown' if unknown else 'exact'} dims)"
            )
            got = flat_outputs(run_traced(info.fn, args, s.kwargs, unknown_dims=unknown))
            assert len(got) == len(eager), f"{what}: {len(got)} traced outputs, eager {len(eager)}"
            for k, (g, e) in enumerate(zip(got, eager)):
                if not isinstance(e, tf.Tensor):
                    same = not isinstance(g, tf.Tensor) and np.array_equal(
                        np.asarray(g), np.asarray(e)
                    )
                    assert same, f"{what} output {k}: {g!r} != {e!r}"
                    continue
                assert isinstance(g, tf.Tensor), f"{what} output {k}: traced {g!r}, eager a tensor"
                assert g.dtype == e.dtype, (
                    f"{what} output {k}: dtype {g.dtype.name} != eager {e.dtype.name}"
                )
                arr = np.asarray(g.numpy())
                assert arr.dtype == np.dtype(g.dtype.as_numpy_dtype), (
                    f"{what} output {k}: kernel returned {arr.dtype} for a {g.dtype.name} result"
                )
                assert_close(
                    arr, e.numpy(), e.dtype, info.tol, f"{what} output {k} traced vs eager"
                )
