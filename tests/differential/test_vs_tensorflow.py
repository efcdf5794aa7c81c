"""Differential tests: every program of ``programs.py`` must print the same under TF and tensorflux.

TensorFlow is never importable in the project venv.  The test runs the programs in a separate
interpreter that has it: ``$TFX_TF_PYTHON``, else ``/work/tfenv/bin/python`` when that imports
tensorflow; without one the whole module is skipped.  Each backend runs all programs in a single
subprocess, once per test session.
"""

import functools
import json
import math
import os
import subprocess
import sys

import pytest

from tests.differential import programs, runner

pytestmark = pytest.mark.tf

_DEFAULT_TF_PYTHON = "/work/tfenv/bin/python"


@functools.lru_cache(maxsize=None)
def _tf_python():
    """Returns an interpreter that imports tensorflow, or None."""
    explicit = os.environ.get("TFX_TF_PYTHON")
    candidates = [explicit] if explicit else [_DEFAULT_TF_PYTHON]
    for py in candidates:
        if not py or not os.path.exists(py):
            continue
        try:
            proc = subprocess.run(
                [py, "-c", "import tensorflow"], capture_output=True, timeout=120,
                env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", CUDA_VISIBLE_DEVICES=""),
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if proc.returncode == 0:
            return py
    return None


@functools.lru_cache(maxsize=None)
def _both_results():
    """``(tensorflow_outputs, tensorflux_outputs)``: both runners at once, once per session."""
    py = _tf_python()
    if py is None:
        return None
    tf_proc = runner.start_backend(py, "tensorflow")
    fx_proc = runner.start_backend(sys.executable, "tensorflux")
    try:
        fx = runner.collect_backend(fx_proc, "tensorflux")
    finally:
        expected = runner.collect_backend(tf_proc, "tensorflow")
    return expected, fx


def _results(backend):
    both = _both_results()
    if both is None:
        pytest.skip("no TensorFlow interpreter (set TFX_TF_PYTHON or install /work/tfenv)")
    return both[0] if backend == "tensorflow" else both[1]


def _close(a, b, rtol=1e-5, atol=1e-6):
    if isinstance(a, list) and isinstance(b, list) and len(a) == 2 == len(b):
        return all(_close(x, y, rtol, atol) for x, y in zip(a, b))
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)
    return a == b


def _tolerances(dtype):
    if dtype in ("float16", "bfloat16"):
        return 1e-2, 1e-2
    if dtype in ("float64", "complex128"):
        return 1e-9, 1e-12
    return 1e-5, 1e-6


def compare_outputs(expected, actual):
    """Returns None when two program outputs agree, else a description of the first difference."""
    exp_lines, act_lines = expected.splitlines(), actual.splitlines()
    if len(exp_lines) != len(act_lines):
        return "line count differs"
    for i, (e, a) in enumerate(zip(exp_lines, act_lines)):
        if e.startswith(runner.SHOW_TAG) and a.startswith(runner.SHOW_TAG):
            ej = json.loads(e[len(runner.SHOW_TAG):])
            aj = json.loads(a[len(runner.SHOW_TAG):])
            if ej["dtype"] != aj["dtype"] or ej["shape"] != aj["shape"]:
                return f"line {i}: dtype/shape {ej['dtype']}{ej['shape']} vs {aj['dtype']}{aj['shape']}"
            rtol, atol = _tolerances(ej["dtype"])
            if len(ej["values"]) != len(aj["values"]) or not all(
                _close(x, y, rtol, atol) for x, y in zip(ej["values"], aj["values"])
            ):
                return f"line {i}: values differ"
        elif e != a:
            return f"line {i} differs"
    return None


def _params():
    out = []
    for name in programs.PROGRAMS:
        marks = []
        if name in programs.XFAIL:
            marks.append(pytest.mark.xfail(reason=programs.XFAIL[name], strict=True))
        elif name in programs.KNOWN:
            marks.append(pytest.mark.xfail(reason=programs.KNOWN[name], strict=False))
        out.append(pytest.param(name, marks=marks, id=name))
    return out


@pytest.mark.parametrize("name", _params())
def test_program_matches_tensorflow(name):
    expected = _results("tensorflow")[name]
    actual = _results("tensorflux")[name]
    problem = compare_outputs(expected, actual)
    assert problem is None, (
        f"{problem}\n--- program ---\n{programs.PROGRAMS[name]}"
        f"--- tensorflow ---\n{expected}--- tensorflux ---\n{actual}"
    )


def test_programs_compile_and_marks_name_programs():
    for name, src in programs.PROGRAMS.items():
        compile(src, name, "exec")  # a SyntaxError would "match" on both sides
    unknown = (set(programs.XFAIL) | set(programs.KNOWN)) - set(programs.PROGRAMS)
    assert not unknown, f"xfail marks for missing programs: {sorted(unknown)}"


def test_compare_outputs_can_fail():
    show = runner.SHOW_TAG + json.dumps({"dtype": "float32", "shape": [1], "values": [1.0]})
    other = runner.SHOW_TAG + json.dumps({"dtype": "float32", "shape": [1], "values": [1.1]})
    close = runner.SHOW_TAG + json.dumps({"dtype": "float32", "shape": [1], "values": [1.0000001]})
    assert compare_outputs(show, close) is None
    assert compare_outputs(show, other) == "line 0: values differ"
    assert compare_outputs("a\nb", "a\nc") == "line 1 differs"
    assert compare_outputs("a", "a\nb") == "line count differs"


def test_error_normalisation():
    class InvalidArgumentError(Exception):
        pass

    exc = InvalidArgumentError(
        "{{function_node __wrapped__AddV2_device_/job:localhost/replica:0/task:0/device:CPU:0}}"
        " Incompatible shapes: [2] vs. [3] [Op:AddV2] name: "
    )
    assert runner.normalise_error(exc) == (
        "EXC InvalidArgumentError: Incompatible shapes: [2] vs. [3] [Op:AddV2]"
    )
