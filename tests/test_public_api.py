"""The public surface (every name reachable from `tensorflux` outside `_src`) matches a golden list.

An API change shows up in review as a diff of tests/golden_api.txt. Regenerate it after an
intended change with `make golden` (python tests/test_public_api.py --update).
"""

import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "golden_api.txt")


def public_surface() -> list:
    import tensorflux

    seen_modules = set()
    lines = []

    def walk(mod, prefix):
        if id(mod) in seen_modules:
            return
        seen_modules.add(id(mod))
        for name in sorted(dir(mod)):
            if name.startswith("_"):
                continue
            obj = getattr(mod, name)
            path = f"{prefix}.{name}"
            if isinstance(obj, types.ModuleType):
                if obj.__name__.startswith("tensorflux") and "._src" not in obj.__name__:
                    lines.append(f"{path} module")
                    walk(obj, path)
                continue
            kind = "class" if isinstance(obj, type) else "function" if callable(obj) else "value"
            lines.append(f"{path} {kind}")

    walk(tensorflux, "tf")
    return lines


def test_public_api_matches_golden_list():
    with open(GOLDEN) as f:
        golden = [line.rstrip("\n") for line in f if line.strip()]
    actual = public_surface()
    added = sorted(set(actual) - set(golden))
    removed = sorted(set(golden) - set(actual))
    assert not added and not removed, (
        "Public API changed (run `make golden` if intended):\n"
        + "".join(f"  + {a}\n" for a in added[:50])
        + "".join(f"  - {r}\n" for r in removed[:50])
    )


def test_no_private_module_leaks_into_public_packages():
    import tensorflux

    for line in public_surface():
        path, kind = line.rsplit(" ", 1)
        if kind != "module":
            continue
        obj = tensorflux
        for part in path.split(".")[1:]:
            obj = getattr(obj, part)
        assert "._src" not in obj.__name__, f"{path} is a private module"


if __name__ == "__main__" and "--update" in sys.argv:
    sys.path.insert(0, os.path.dirname(HERE))
    with open(GOLDEN, "w") as f:
        f.write("\n".join(public_surface()) + "\n")
    print(f"wrote {GOLDEN}")
