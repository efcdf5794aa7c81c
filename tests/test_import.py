"""`import tensorflux` stays light: heavy optional libraries load on first use, never at import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy", "cupy", "PIL", "tensorflow", "jax")


def _modules_after(code: str) -> list:
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(m for m in sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _heavy(mods: list) -> list:
    return [m for m in mods if m.split(".")[0] in HEAVY]


def test_import_does_not_load_heavy_libraries():
    mods = _modules_after("import tensorflux")
    assert "tensorflux" in mods
    assert not _heavy(mods), f"import tensorflux loaded {_heavy(mods)}"


def test_probe_sees_heavy_imports():
    # the check itself can fail: a program that loads one of them is caught
    pytest.importorskip("PIL")
    assert "PIL" in [m.split(".")[0] for m in _modules_after("import tensorflux\nimport PIL")]
