"""Generated files of the public surface: :mod:`reftorch._namespace` (the ``reftorch.*`` functions)
from the installed surface. ``python -m reftorch._stubgen`` rewrites them; ``tests/test_surface.py``
fails when a checked-in file differs from what this module renders."""

from __future__ import annotations

import pathlib

from . import _surface

PACKAGE = pathlib.Path(__file__).resolve().parent

NAMESPACE_HEADER = '''"""The ``reftorch.*`` functions. Generated from the op registry by
``python -m reftorch._stubgen``; do not edit (tests/test_surface.py fails when this file is stale)."""

from .ops.registry import functions as _functions

'''


def render_namespace() -> str:
    """The text of :mod:`reftorch._namespace`: one assignment per public function."""
    names = sorted(_surface.FUNCTIONS)
    lines = [f"{name} = _functions.{name}" for name in names]
    exported = "".join(f'    "{name}",\n' for name in names)
    return NAMESPACE_HEADER + "\n".join(lines) + f"\n\n__all__ = [\n{exported}]\n"


GENERATED = {"_namespace.py": render_namespace}


def main() -> None:
    """Rewrite every generated file."""
    for name, render in GENERATED.items():
        (PACKAGE / name).write_text(render(), encoding="utf-8")


if __name__ == "__main__":
    main()
