"""Run the differential programs under one backend (real TensorFlow or tensorflux).

Used two ways:

* as a script, ``python runner.py tensorflow|tensorflux``: imports the backend as ``tf``, runs every
  program of ``programs.py`` in a fresh namespace, and writes one JSON object
  ``{name: output}`` to stdout.  A program's output is what it printed, or, when it raised,
  ``EXC <ClassName>: <normalised message>`` appended to what it printed before raising.
* as a module, ``run_backend(python, backend)``: runs the script in a subprocess of ``python`` and
  returns that dict.

Everything runs in one subprocess per backend: importing TensorFlow alone takes seconds.
"""

import contextlib
import io
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

SHOW_TAG = "@show "

_FUNCTION_NODE = re.compile(r"^\{\{function_node [^}]*\}\}\s*")
_NAME_SUFFIX = re.compile(r"\s*name: \S*$")
_NODE_DEF = re.compile(r"\s*; NodeDef: .*?(?= \[Op:)", re.DOTALL)


def normalise_error(exc):
    """Returns ``EXC Class: message`` with TF's eager-op decorations removed.

    Dropped: the ``{{function_node ...}}`` prefix, the trailing ``name: <op name>`` and the
    ``; NodeDef: ...; Op<...>`` dump of the op signature (TF internals, not API).
    """
    msg = str(exc)
    msg = _FUNCTION_NODE.sub("", msg)
    msg = _NAME_SUFFIX.sub("", msg)
    msg = _NODE_DEF.sub("", msg)
    return f"EXC {type(exc).__name__}: {msg.strip()}"


def _jsonable(v):
    if isinstance(v, bytes):
        return v.decode("utf-8", "backslashreplace")
    if isinstance(v, complex):
        return [v.real, v.imag]
    if isinstance(v, float):
        if v != v:
            return "nan"
        if v in (float("inf"), float("-inf")):
            return "inf" if v > 0 else "-inf"
    return v


def make_show(np):
    """Builds ``show(x)``: prints dtype, shape and values of a tensor-like in a parseable line."""

    def show(x):
        dtype = getattr(x, "dtype", None)
        name = getattr(dtype, "name", None) or str(dtype)
        if hasattr(x, "numpy"):
            arr = np.asarray(x.numpy())
        else:
            arr = np.asarray(x)
        shape = list(arr.shape)
        if arr.dtype.kind in "fc" or name in ("bfloat16",):
            arr = arr.astype(np.complex128 if arr.dtype.kind == "c" else np.float64)
        values = [_jsonable(v) for v in arr.reshape(-1).tolist()]
        print(SHOW_TAG + json.dumps({"dtype": name, "shape": shape, "values": values}))

    return show


def _run_all(backend):
    import numpy as np

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if backend == "tensorflow":
        import tensorflow as tf
    else:
        sys.path.insert(0, REPO)
        import tensorflux as tf
    sys.path.insert(0, HERE)
    import programs

    show = make_show(np)
    results = {}
    for name, src in programs.PROGRAMS.items():
        buf = io.StringIO()
        ns = {"tf": tf, "np": np, "show": show, "__name__": f"prog_{name}"}
        with contextlib.redirect_stdout(buf):
            try:
                exec(compile(src, f"<program {name}>", "exec"), ns)
            except Exception as exc:  # noqa: BLE001 - the error is the result
                print(normalise_error(exc))
        results[name] = buf.getvalue()
        try:
            tf.random.set_seed(None)
        except Exception:  # noqa: BLE001
            pass
    return results


_MARKER = "\n@@RESULTS@@\n"


def start_backend(python, backend):
    """Starts the runner for ``backend`` under interpreter ``python``; returns the process."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    return subprocess.Popen(
        [python, os.path.join(HERE, "runner.py"), backend],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )


def collect_backend(proc, backend, timeout=120):
    """Waits for a started runner; returns ``{name: output}``."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    marker = out.rfind(_MARKER)
    if proc.returncode != 0 or marker < 0:
        raise RuntimeError(f"{backend} runner failed ({proc.returncode}):\n{err[-4000:]}")
    return json.loads(out[marker + len(_MARKER):])


def run_program(python, code, timeout=240):
    """Runs `code` with `python` (from the repository root, no GPU); returns its stdout."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES="")
    res = subprocess.run(
        [python, "-c", code], capture_output=True, text=True, env=env, timeout=timeout, cwd=REPO
    )
    assert res.returncode == 0, res.stderr[-3000:]
    return res.stdout


def run_backend(python, backend, timeout=120):
    """Runs all programs under ``backend`` with interpreter ``python``; returns ``{name: output}``."""
    return collect_backend(start_backend(python, backend), backend, timeout)


if __name__ == "__main__":
    out = _run_all(sys.argv[1])
    sys.stdout.write(_MARKER + json.dumps(out))
