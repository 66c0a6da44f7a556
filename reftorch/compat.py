"""Running unmodified torch programs on reftorch: ``import torch`` (and every ``torch.X``) resolves to reftorch.

``install()`` puts a meta-path finder first on ``sys.meta_path`` that answers every import of ``torch`` or
``torch.<path>`` with the module ``reftorch.<path>`` itself -- the same module object, so classes, ``isinstance``
checks and pickled references agree whichever name a program used. A torch module that reftorch lacks raises
ModuleNotFoundError naming both. ``python -m reftorch SCRIPT.py [args]`` (``reftorch/__main__.py``) installs it
and runs the script.

This mirrors nothing in torch itself; it is the import system's aliasing (``importlib.abc.MetaPathFinder``,
a loader whose ``create_module`` returns an existing module and whose ``exec_module`` does nothing).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from types import ModuleType

_ALIAS, _TARGET = "torch", "reftorch"


def _target_of(fullname: str) -> str | None:
    """``reftorch.<path>`` for ``torch.<path>`` (``reftorch`` for ``torch``), None for other names."""
    if fullname == _ALIAS or fullname.startswith(_ALIAS + "."):
        return _TARGET + fullname[len(_ALIAS):]
    return None


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system the already imported reftorch module; executing it again does nothing."""

    def __init__(self, module: ModuleType) -> None:
        self._module = module

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self._module

    def exec_module(self, module: ModuleType) -> None:
        """Nothing to run: the reftorch module was executed when it was imported under its own name."""


class TorchAliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``torch`` and ``torch.<path>`` as ``reftorch`` and ``reftorch.<path>``; never the real torch."""

    def find_spec(self, fullname: str, path: object = None, target: object = None
                  ) -> importlib.machinery.ModuleSpec | None:
        name = _target_of(fullname)
        if name is None:
            return None
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the reftorch module exists but needs something missing: its own error
                raise
            raise ModuleNotFoundError(f"No module named '{fullname}': reftorch has no module '{name}' "
                                      f"(reftorch.compat aliases {_ALIAS} to {_TARGET})", name=fullname) from None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(module))


def _finder() -> TorchAliasFinder | None:
    return next((f for f in sys.meta_path if isinstance(f, TorchAliasFinder)), None)


def is_installed() -> bool:
    """Whether ``import torch`` currently resolves to reftorch in this process."""
    return _finder() is not None


def install() -> None:
    """Make ``import torch`` and ``import torch.<path>`` give reftorch's modules in this process.

    Idempotent. Raises RuntimeError, changing nothing, when the real torch (or any ``torch.*`` module not
    aliased here) is already imported: two libraries under one name would mix their tensors.
    """
    if is_installed():
        return
    loaded = sorted(n for n, m in sys.modules.items() if _target_of(n) is not None
                    and getattr(m, "__name__", None) != _target_of(n))
    if loaded:
        raise RuntimeError(f"reftorch.compat.install(): {loaded[0]} is already imported in this process; install "
                           "the alias before anything imports torch")
    sys.meta_path.insert(0, TorchAliasFinder())


def uninstall() -> None:
    """Undo ``install()``: ``import torch`` is searched normally again, and the aliased entries are forgotten."""
    finder = _finder()
    if finder is None:
        return
    sys.meta_path.remove(finder)
    for name in [n for n, m in sys.modules.items() if _target_of(n) is not None
                 and getattr(m, "__name__", None) == _target_of(n)]:
        del sys.modules[name]


__all__ = ["TorchAliasFinder", "install", "is_installed", "uninstall"]
