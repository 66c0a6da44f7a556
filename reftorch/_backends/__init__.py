"""Array backends: one per device type, behind one small interface.

Every op is written once against :class:`Backend`: it asks the backend of its operands' device for
the array module (``xp``) and never imports NumPy or CuPy itself. Backends are registered by device
type and created lazily, so ``import reftorch`` never imports CuPy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import Backend

_FACTORIES: dict[str, Callable[[], Backend]] = {}
_INSTANCES: dict[str, Backend] = {}


def register(device_type: str, factory: Callable[[], Backend]) -> None:
    """Make ``factory()`` the backend of ``device_type`` (replacing any previous one)."""
    _FACTORIES[device_type] = factory
    _INSTANCES.pop(device_type, None)


def get(device_type: str) -> Backend:
    """The backend serving ``device_type``; RuntimeError (torch's wording) when none is available."""
    backend = _INSTANCES.get(device_type)
    if backend is None:
        factory = _FACTORIES.get(device_type)
        if factory is None:
            raise RuntimeError(f"Could not run on device type '{device_type}': reftorch has no backend for it")
        backend = _INSTANCES[device_type] = factory()
    return backend


def special(xp: Any) -> Any:
    """The special-function module of the backend whose array module is ``xp``."""
    for backend in _INSTANCES.values():
        if backend.xp is xp:
            return backend.special()
    raise RuntimeError(f"no backend serves the array module {getattr(xp, '__name__', xp)!r}")


def _numpy_factory() -> Any:
    from .numpy_backend import NumpyBackend

    return NumpyBackend()


register("cpu", _numpy_factory)

__all__ = ["Backend", "get", "register", "special"]
