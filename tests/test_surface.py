"""The public surface built from the op registry: generated files current, every record installed,
every node's derivative defined."""

from __future__ import annotations

import types

import pytest

import reftorch
from reftorch import _stubgen, _surface
from reftorch.autograd.derivatives import TABLE
from reftorch.ops.registry import OPS


@pytest.mark.parametrize("name", sorted(_stubgen.GENERATED))
def test_generated_files_are_current(name: str) -> None:
    """A checked-in generated file equals what the registry renders now (run
    ``python -m reftorch._stubgen`` after adding an op)."""
    on_disk = (_stubgen.PACKAGE / name).read_text(encoding="utf-8")
    assert on_disk == _stubgen.GENERATED[name](), f"reftorch/{name} is stale: run python -m reftorch._stubgen"


def test_every_record_is_installed() -> None:
    for op in OPS.values():
        assert op.call is not None, op.name
        if op.function and not op.attribute:
            assert getattr(reftorch, op.python_name) is _surface.FUNCTIONS[op.python_name]
        if op.method and not op.attribute:
            assert op.python_name in _surface.METHODS


def test_every_recorded_node_has_a_derivative() -> None:
    missing = sorted({op.node for op in OPS.values() if op.node and op.node not in TABLE})
    assert missing == []
    unused = sorted(set(TABLE) - {op.node for op in OPS.values()})
    assert unused == [], f"derivatives no op records: {unused}"


def _stub_names(path, within_class: str | None = None) -> set[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = tree.body
    if within_class:
        body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == within_class).body
    names = set()
    for node in body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return names


def test_stubs_declare_every_public_name() -> None:
    """The stubs name every public ``reftorch.*`` attribute and every public Tensor method/property
    (so IDEs and type checkers see the whole surface)."""
    in_package = _stub_names(_stubgen.PACKAGE / "__init__.pyi")
    public = {n for n in dir(reftorch) if not n.startswith("_") and n != "annotations"
              and not (isinstance(getattr(reftorch, n), types.ModuleType) and n not in _stubgen._package_submodules())}
    assert public - in_package == set()
    in_tensor = _stub_names(_stubgen.PACKAGE / "_tensor.pyi", "Tensor")
    tensor_public = {n for n in dir(reftorch.Tensor) if not n.startswith("_")} | set(_surface.METHODS)
    assert tensor_public - in_tensor == set()
