"""The import-layer contract (DESIGN.md section 2): modules under tensorflux/_src import downwards.

Each module's layer comes from its path. An import of `tensorflux._src.X` must name a layer at or
below the importer's. Imports inside functions may point upwards only when marked on the import
line (or the line above) with `# layer-ok: <reason>`. Imports of the public `tensorflux` packages
from `_src` are violations, except `import tensorflux` in the client areas (`CLIENTS`: Keras and
tf.image are written against the public API); `if TYPE_CHECKING:` blocks are ignored.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SRC = ROOT / "tensorflux" / "_src"
PUBLIC = 6  # the public packages sit above every _src layer

# Areas written against the public API, as real Keras is written against TensorFlow's: they may
# import the top-level `tensorflux` package (only that name) to reach `tf.*` ops.
CLIENTS = ("keras", "image", "feature_column")

# First path component under tensorflux/_src -> layer; anything not listed is layer 5.
LAYERS = {
    "core": 0,
    "tensor.py": 1, "tensor_spec.py": 1, "type_spec.py": 1, "variables.py": 1, "indexed_slices.py": 1, "dispatch.py": 1, "devices": 1,
    "ops": 2, "sparse_tensor.py": 2,
    "autodiff": 3, "graph": 3,
    "function.py": 4, "control_flow": 4, "autograph": 4,
}  # fmt: skip


def layer_of_path(rel: pathlib.PurePath) -> int:
    """The layer of a module file (or package directory) given relative to tensorflux/_src."""
    head = rel.parts[0] if rel.parts else ""
    if head in ("__init__.py", ""):
        return 5
    return LAYERS.get(head, LAYERS.get(head + ".py", 5))


def layer_of_module(name: str):
    """The layer of an absolute module name, or None for modules outside tensorflux."""
    parts = name.split(".")
    if parts[0] != "tensorflux":
        return None
    if len(parts) == 1 or parts[1] != "_src":
        return PUBLIC
    if len(parts) == 2:
        return 5  # `from tensorflux._src import x` is resolved per imported name
    return layer_of_path(pathlib.PurePath(*parts[2:]))


def _module_name(path: pathlib.Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(node, module: str, is_package: bool) -> list:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    target = _resolve(node, module, is_package)
    if target in ("tensorflux._src", "tensorflux"):
        # `from tensorflux._src import ops`: each name is a module of its own layer
        return [f"{target}.{a.name}" for a in node.names]
    return [target]


def _marked(lines: list, node) -> bool:
    end = getattr(node, "end_lineno", node.lineno)
    span = lines[max(node.lineno - 2, 0) : end]
    return any("# layer-ok:" in ln and ln.split("# layer-ok:", 1)[1].strip() for ln in span)


_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _imports(stmts, lazy: bool, out: list) -> list:
    """(import node, inside a function) for every import statement; expressions are skipped."""
    for node in stmts:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            out.append((node, lazy))
            continue
        if isinstance(node, ast.If):
            test = node.test
            if (getattr(test, "id", None) or getattr(test, "attr", None)) == "TYPE_CHECKING":
                _imports(node.orelse, lazy, out)  # annotations only: never executed
                continue
        inner = lazy or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for field in _BLOCKS:
            block = getattr(node, field, None)
            if isinstance(block, list):
                _imports(block, inner, out)
    return out


def violations() -> list:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        own = layer_of_path(rel)
        module = _module_name(path)
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        try:
            tree = ast.parse(text, filename=str(path))
        except SyntaxError as e:
            out.append(f"{rel}: does not parse ({e.msg})")
            continue
        for node, lazy in _imports(tree.body, False, []):
            for target in _targets(node, module, path.name == "__init__.py"):
                layer = layer_of_module(target)
                if layer is None or layer <= own:
                    continue
                if target == "tensorflux" and rel.parts[0] in CLIENTS:
                    continue
                if lazy and layer != PUBLIC and _marked(lines, node):
                    continue
                kind = "lazy import without '# layer-ok: reason'" if lazy else "import"
                out.append(f"{rel}:{node.lineno}: layer {own} {kind} of {target} (layer {layer})")
    return out


def test_layer_table_classifies_modules():
    p = pathlib.PurePath
    assert layer_of_path(p("core/dtypes.py")) == 0
    assert layer_of_path(p("tensor.py")) == 1 and layer_of_path(p("devices/cpu.py")) == 1
    assert layer_of_path(p("ops/math_ops.py")) == 2
    assert layer_of_path(p("graph/graph.py")) == 3 and layer_of_path(p("autodiff")) == 3
    assert layer_of_path(p("function.py")) == 4 and layer_of_path(p("control_flow/cond.py")) == 4
    assert layer_of_path(p("keras/layers/dense.py")) == 5
    assert layer_of_module("tensorflux._src.ops") == 2
    assert layer_of_module("tensorflux.math") == PUBLIC and layer_of_module("numpy") is None


def test_checker_flags_upward_imports(tmp_path, monkeypatch):
    # A fake tree: core importing ops (module level), and ops importing graph lazily, once
    # unmarked and once marked.
    src = tmp_path / "tensorflux" / "_src"
    (src / "core").mkdir(parents=True)
    (src / "ops").mkdir()
    (src / "core" / "bad.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "from tensorflux._src.ops import math_ops\n"
        "if TYPE_CHECKING:\n"
        "    from tensorflux._src.graph import graph\n"
        "class A:\n"
        "    import tensorflux.math\n"
    )
    (src / "ops" / "lazy.py").write_text(
        "def f():\n"
        "    from tensorflux._src.graph import graph\n"
        "    from tensorflux._src.graph import trace  # layer-ok: tracing hook\n"
        "    from . import sibling\n"
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "SRC", src)
    found = violations()
    assert len(found) == 3, found
    assert found[0].startswith("core/bad.py:2: layer 0 import of tensorflux._src.ops (layer 2)")
    assert found[1].startswith("core/bad.py:6: layer 0 import of tensorflux.math")
    assert "ops/lazy.py:2" in found[2] and "layer-ok" in found[2]


def test_imports_point_downwards():
    if not SRC.exists():
        pytest.skip("no tensorflux/_src")
    found = violations()
    assert not found, f"{len(found)} layer violations:\n" + "\n".join(found)
