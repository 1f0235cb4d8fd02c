"""The layer rule of DESIGN §4, checked on the code: an app imports only from
its own layer's left or from lower layers (tests and migrations aside)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "lvzhi"

# Each layer lists its apps left to right; an app may import the apps on its
# left in the same layer (or, for layer 3, none: those apps are independent).
LAYERS: list[list[str]] = [
    ["core"],
    ["accounts", "org"],
    ["duties"],
    ["proposals", "opinions", "consultations"],
    ["points", "studios", "public"],
    ["reports", "api"],
]
INDEPENDENT_LAYERS = {3}


def _position(app: str) -> tuple[int, int]:
    for level, apps in enumerate(LAYERS):
        if app in apps:
            return level, apps.index(app)
    raise AssertionError(f"app {app!r} is not placed in a layer (tests/test_layers.py)")


def _imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "lvzhi" and len(parts) > 1 and (ROOT / parts[1]).is_dir():
                found.add(parts[1])
    return found


def test_every_app_imports_only_from_its_left_or_lower_layers():
    violations = []
    for app_dir in sorted(p for p in ROOT.iterdir() if (p / "apps.py").exists()):
        app = app_dir.name
        level, column = _position(app)
        for path in app_dir.rglob("*.py"):
            relative = path.relative_to(app_dir).parts
            if relative[0] in {"tests", "migrations"}:
                continue
            for other in _imported_apps(path) - {app}:
                other_level, other_column = _position(other)
                allowed = other_level < level or (
                    other_level == level
                    and level not in INDEPENDENT_LAYERS
                    and other_column < column
                )
                if not allowed:
                    violations.append(f"{path.relative_to(ROOT.parent)} imports lvzhi.{other}")
    assert not violations, "\n".join(violations)
