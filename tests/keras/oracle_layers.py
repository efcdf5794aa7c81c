"""Differential runs of Keras layers against the real TensorFlow/Keras (the oracle), if present.

A case is a tensorflux layer (already built), its call inputs and keyword arguments. The oracle
rebuilds the layer from our `serialize_keras_object` config (so configs must be Keras's), copies
our weights with `set_weights` (so weight order and shapes must be Keras's), and returns the
outputs and the gradients of `sum(outputs * cotangent)` with respect to the float inputs and the
trainable weights. All cases of a test module run in one oracle process.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile

import numpy as np

ORACLE = "/work/tfenv/bin/python"

_SCRIPT = r"""
import json, os, sys
import numpy as np
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import tensorflow as tf
k = tf.keras
d = sys.argv[1]
cases = json.load(open(os.path.join(d, "cases.json")))
arrs = np.load(os.path.join(d, "in.npz"))
out = {}

def dec(x):
    if isinstance(x, dict) and "__array__" in x:
        return tf.constant(arrs[x["__array__"]])
    if isinstance(x, list):
        return [dec(v) for v in x]
    if isinstance(x, dict):
        return {kk: dec(v) for kk, v in x.items()}
    return x

def cot(shape, i):
    n = int(np.prod(shape)) if len(shape) else 1
    return np.sin(np.arange(n, dtype=np.float64) * 0.37 + i).reshape(shape).astype(np.float32)

for ci, case in enumerate(cases):
    layer = k.utils.deserialize_keras_object(case["config"])
    args = dec(case["args"])
    kwargs = dec(case["kwargs"])
    layer(*args, **kwargs)
    layer.set_weights([arrs[n] for n in case["weights"]])
    flat_in = [t for t in tf.nest.flatten(args) if t.dtype.is_floating]
    with tf.GradientTape() as tape:
        tape.watch(flat_in)
        res = layer(*args, **kwargs)
        flat = [t for t in tf.nest.flatten(res)]
        loss = 0.0
        for i, t in enumerate(flat):
            loss += tf.reduce_sum(tf.cast(t, tf.float32) * cot(t.shape, i))
    grads = tape.gradient(loss, flat_in + list(layer.trainable_weights))
    for i, t in enumerate(flat):
        out[f"{ci}_out_{i}"] = t.numpy()
    for i, g in enumerate(grads):
        if g is not None:
            out[f"{ci}_grad_{i}"] = tf.convert_to_tensor(g).numpy()
    out[f"{ci}_config"] = np.array(json.dumps(layer.get_config(), default=str))
np.savez(os.path.join(d, "out.npz"), **out)
"""


def have_oracle() -> bool:
    return os.path.exists(ORACLE)


def cotangent(shape, i):
    n = int(np.prod(shape)) if len(shape) else 1
    return np.sin(np.arange(n, dtype=np.float64) * 0.37 + i).reshape(shape).astype(np.float32)


class Case:
    """One layer call to compare: `layer(*args, **kwargs)` (arrays as NumPy)."""

    def __init__(self, layer, args, kwargs=None):
        self.layer = layer
        self.args = list(args)
        self.kwargs = dict(kwargs or {})


def run_oracle(cases):
    """Runs `cases` in the oracle; returns, per case, {"outputs", "grads", "config"}."""
    from tensorflux._src.keras.serialization import serialize_keras_object

    arrays = {}

    def enc(x, prefix):
        if isinstance(x, np.ndarray):
            name = f"{prefix}_{len(arrays)}"
            arrays[name] = x
            return {"__array__": name}
        if isinstance(x, (list, tuple)):
            return [enc(v, prefix) for v in x]
        if isinstance(x, dict):
            return {kk: enc(v, prefix) for kk, v in x.items()}
        return x

    payload = []
    for ci, case in enumerate(cases):
        if not case.layer.built:
            case.layer(*case.args, **case.kwargs)
        weights = []
        for wi, w in enumerate(case.layer.get_weights()):
            name = f"w{ci}_{wi}"
            arrays[name] = w
            weights.append(name)
        payload.append({
            "config": serialize_keras_object(case.layer),
            "args": enc(case.args, f"a{ci}"),
            "kwargs": enc(case.kwargs, f"k{ci}"),
            "weights": weights,
        })  # fmt: skip
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "cases.json"), "w") as f:
            json.dump(payload, f, default=_json_default)
        np.savez(os.path.join(d, "in.npz"), **arrays)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
        proc = subprocess.run([ORACLE, "-c", _SCRIPT, d], capture_output=True, text=True,
                              env=env, timeout=600)  # fmt: skip
        if proc.returncode != 0:
            raise RuntimeError(proc.stderr[-4000:])
        res = dict(np.load(os.path.join(d, "out.npz")))
    out = []
    for ci in range(len(cases)):
        outs, grads = [], {}
        i = 0
        while f"{ci}_out_{i}" in res:
            outs.append(res[f"{ci}_out_{i}"])
            i += 1
        for key, v in res.items():
            if key.startswith(f"{ci}_grad_"):
                grads[int(key.rsplit("_", 1)[1])] = v
        out.append({"outputs": outs, "grads": grads,
                    "config": json.loads(str(res[f"{ci}_config"]))})  # fmt: skip
    return out


def _json_default(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    if isinstance(x, tuple):
        return list(x)
    raise TypeError(f"not JSON serializable: {x!r}")


def ours(case):
    """Our outputs and gradients for `case`, in the oracle's layout."""
    import tensorflux as tf

    from tensorflux._src.core import nest

    args = nest.map_structure(
        lambda x: tf.constant(x) if isinstance(x, np.ndarray) else x, case.args
    )
    kwargs = nest.map_structure(
        lambda x: tf.constant(x) if isinstance(x, np.ndarray) else x, case.kwargs
    )
    flat_in = [t for t in nest.flatten(args) if hasattr(t, "dtype") and t.dtype.is_floating]
    with tf.GradientTape() as tape:
        for t in flat_in:
            tape.watch(t)
        res = case.layer(*args, **kwargs)
        flat = nest.flatten(res)
        loss = 0.0
        for i, t in enumerate(flat):
            loss += tf.reduce_sum(t * cotangent(tuple(t.shape.as_list()), i))
    grads = tape.gradient(loss, flat_in + list(case.layer.trainable_weights))
    return {
        "outputs": [np.asarray(t.numpy()) for t in flat],
        "grads": {i: np.asarray(tf.convert_to_tensor(g).numpy())
                  for i, g in enumerate(grads) if g is not None},
    }  # fmt: skip


def assert_matches(mine, theirs, rtol=1e-5, atol=1e-5):
    assert len(mine["outputs"]) == len(theirs["outputs"])
    for a, b in zip(mine["outputs"], theirs["outputs"]):
        assert a.shape == b.shape, (a.shape, b.shape)
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    assert sorted(mine["grads"]) == sorted(theirs["grads"])
    for i in theirs["grads"]:
        np.testing.assert_allclose(mine["grads"][i], theirs["grads"][i], rtol=rtol, atol=atol)
