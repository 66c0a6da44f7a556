"""The interface every array backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class Backend(ABC):
    """An array backend for one device type.

    ``xp`` is a NumPy-compatible array module. Subclasses implement host transfers, pointer access
    and strided views of a flat buffer; everything else is done through ``xp``.
    """

    name: str = "abstract"
    device_type: str = "abstract"
    xp: Any = None
    always_writable: bool = True  # False where arrays can be read-only views (NumPy's broadcast_to)

    def is_available(self) -> bool:
        return True

    def __init__(self) -> None:
        self.dtype_map: dict = {}  # reftorch dtype -> backend dtype, filled by ``ops._util.array_dtype``

    def array_dtype(self, name: str) -> Any:
        """The backend's dtype object for a NumPy dtype name (``"float32"``)."""
        return self.xp.dtype(name)

    def quiet(self) -> Any:
        """A context in which floating-point exceptions raise no warnings (torch never warns)."""
        return self.xp.errstate(all="ignore")

    def quietly(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        """``fn(*args, **kwargs)`` inside :meth:`quiet` (one call for the ops' hot paths)."""
        with self.quiet():
            return fn(*args, **kwargs)

    @abstractmethod
    def to_host(self, array: Any) -> Any:
        """A NumPy array with the values of ``array`` (may share memory when already on the host)."""

    @abstractmethod
    def from_host(self, host_array: Any) -> Any:
        """A backend array holding a copy (or, on the host, the same memory) of a NumPy array."""

    @abstractmethod
    def data_ptr(self, array: Any) -> int:
        """Address of the first element of a (flat) array."""

    @abstractmethod
    def strided_view(self, flat: Any, offset: int, shape: tuple[int, ...], strides: tuple[int, ...]) -> Any:
        """A writable array viewing ``flat`` (1-D) at element ``offset`` with element ``strides``."""

    def special(self) -> Any:
        """The backend's special-function module (``erf``, ``erfc``, ``erfinv``...; SciPy's for NumPy,
        cupyx's for CuPy), imported on first use so that importing reftorch never needs it."""
        raise NotImplementedError(f"the {self.name} backend has no special functions")

    def synchronize(self) -> None:
        """Wait for queued work (no-op on the host)."""
