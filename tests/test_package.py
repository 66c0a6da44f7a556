"""Package-level guarantees: ``import reftorch`` needs only NumPy, and the op layer reaches arrays
only through the backend interface (and autograd only through the layer over the registry)."""

from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import reftorch

PACKAGE = pathlib.Path(reftorch.__file__).parent


def test_import_needs_only_numpy():
    code = ("import sys, reftorch; heavy = sorted(m for m in ('torch', 'cupy', 'scipy', 'numba') if m in sys.modules); "
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def _imported_modules(path: pathlib.Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_op_and_autograd_layers_never_import_array_libraries():
    offenders = {}
    for folder in ("ops", "autograd"):
        for path in (PACKAGE / folder).glob("*.py"):
            bad = _imported_modules(path) & {"numpy", "cupy", "torch"}
            if bad:
                offenders[str(path.relative_to(PACKAGE))] = sorted(bad)
    assert offenders == {}


def _imports_autograd(path: pathlib.Path) -> bool:
    """Whether a module of reftorch/ops/ imports anything of ``reftorch.autograd`` (absolutely, or
    relatively from two levels up: ``from ..autograd.views import ...``, ``from .. import autograd``)."""
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = {0: "", 1: "reftorch.ops", 2: "reftorch"}.get(node.level, "")
            module = ".".join(part for part in (base, node.module) if part)
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        if any(name == "reftorch.autograd" or name.startswith("reftorch.autograd.") for name in names):
            return True
    return False


def test_op_modules_never_import_autograd():
    """An op module reaches autograd only through the layer that wraps its records (CONTRIBUTING.md):
    no module of ``reftorch/ops/`` imports ``reftorch.autograd``, not even inside a function."""
    offenders = [path.name for path in sorted((PACKAGE / "ops").glob("*.py")) if _imports_autograd(path)]
    assert offenders == []


def test_nothing_in_reftorch_imports_torch():
    offenders = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "torch" in _imported_modules(p)]
    assert offenders == []
