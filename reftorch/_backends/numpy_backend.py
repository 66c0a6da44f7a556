"""The NumPy backend: serves the ``cpu`` device."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Backend

try:  # np.errstate(all="ignore") costs ~1.5 us per op; setting its context variable directly does not
    from numpy._core.umath import _extobj_contextvar as _ERRSTATE
    from numpy._core.umath import _make_extobj

    _IGNORE = _make_extobj(all="ignore")
except ImportError:  # pragma: no cover - other NumPy layouts fall back to the public API
    _ERRSTATE = None


class _Quiet:
    """``np.errstate(all="ignore")`` as a cheap, single-use context manager."""

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token = _ERRSTATE.set(_IGNORE)

    def __exit__(self, *exc: object) -> None:
        _ERRSTATE.reset(self._token)


class NumpyBackend(Backend):
    """Host arrays. ``strided_view`` builds an ndarray directly on the storage buffer, so every
    tensor view is a NumPy view of the one flat storage array."""

    name = "numpy"
    device_type = "cpu"
    xp = np
    always_writable = False

    def quiet(self) -> Any:
        """A context in which floating-point exceptions (overflow, 0/0...) are silent, as in torch."""
        return _Quiet() if _ERRSTATE is not None else np.errstate(all="ignore")

    def quietly(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` with floating-point exceptions silent: the errstate context
        variable set and reset around the call (no context-manager object or method calls)."""
        if _ERRSTATE is None:  # pragma: no cover - other NumPy layouts
            return super().quietly(fn, *args, **kwargs)
        token = _ERRSTATE.set(_IGNORE)
        try:
            return fn(*args, **kwargs)
        finally:
            _ERRSTATE.reset(token)

    def special(self) -> Any:
        """``scipy.special`` (a dependency, imported on first use: ``import reftorch`` needs only NumPy)."""
        import scipy.special

        return scipy.special

    def allocation_error(self, nbytes: int) -> RuntimeError:
        """c10's DefaultCPUAllocator failing (``alloc_cpu`` in c10/core/impl/alloc_cpu.cpp:
        ``posix_memalign`` answering ENOMEM)."""
        return RuntimeError(
            f"[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried "
            f"to allocate {nbytes} bytes. Error code 12 (Cannot allocate memory)")

    def to_host(self, array: Any) -> np.ndarray:
        return array

    def from_host(self, host_array: np.ndarray) -> np.ndarray:
        return host_array

    def data_ptr(self, array: np.ndarray) -> int:
        return array.__array_interface__["data"][0]

    def strided_view(self, flat, offset, shape, strides):
        if 0 in shape:  # no element is addressed; NumPy would still bounds-check the offset
            return flat[:0].reshape(shape)
        itemsize = flat.itemsize
        return np.ndarray(shape, flat.dtype, flat, offset * itemsize, tuple(s * itemsize for s in strides))
