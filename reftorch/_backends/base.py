"""The interface every array backend implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

_INT64_MAX = (1 << 63) - 1
_UINT64_LIMIT = 1 << 64


def storage_nbytes(sizes: Sequence[int], itemsize: int, strides: Sequence[int] | None = None, offset: int = 0) -> int:
    """The bytes a storage for ``sizes`` (starting ``offset`` elements in) needs, with the overflow
    checks of aten/src/ATen/EmptyTensor.cpp: ``computeStorageNbytesContiguous`` multiplies the
    sizes, adds the offset and multiplies by the item size in unsigned 64-bit arithmetic, where any
    overflowing step (even one a later zero size would cancel) or a total above the largest int64 is
    torch's RuntimeError;
    ``computeStorageNbytes`` (``strides`` given) sizes the storage as one more than the last
    element's offset, and needs nothing when a size is zero."""
    elements, overflowed, where = 1, False, ""
    if strides is None:
        for size in sizes:
            elements *= size
            overflowed |= elements >= _UINT64_LIMIT
        elements += offset
        overflowed |= elements >= _UINT64_LIMIT
    else:
        if len(sizes) != len(strides):
            raise RuntimeError(f"dimensionality of sizes ({len(sizes)}) must match dimensionality of strides "
                               f"({len(strides)})")
        if 0 in sizes:
            return 0
        for size, stride in zip(sizes, strides):
            extent = stride * (size - 1)
            elements += extent
            overflowed |= extent >= _UINT64_LIMIT or elements >= _UINT64_LIMIT
        where = f" and strides=[{', '.join(map(str, strides))}]"
    nbytes = elements * itemsize
    if overflowed or nbytes > _INT64_MAX:
        raise RuntimeError(f"Storage size calculation overflowed with sizes=[{', '.join(map(str, sizes))}]{where}")
    return nbytes


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

    def allocate(self, sizes: Sequence[int], array_dtype: Any, strides: Sequence[int] | None = None,
                 offset: int = 0) -> Any:
        """A new zeroed flat array for a tensor of ``sizes`` (contiguous from ``offset``, or with
        ``strides``; ``resize_`` grows a storage to what its tensor's new size needs): the
        storage size is checked as c10 checks it (:func:`storage_nbytes`), and the array module's
        allocation failure becomes the device's own error (:meth:`allocation_error`), as torch's
        allocators raise it. Every fresh storage of a factory comes from here."""
        itemsize = array_dtype.itemsize
        nbytes = storage_nbytes(sizes, itemsize, strides, offset)
        try:
            return self.xp.zeros(nbytes // itemsize, dtype=array_dtype)
        except self.allocation_failures:
            raise self.allocation_error(nbytes) from None

    # The array module's exceptions for an allocation that failed.
    allocation_failures: tuple[type[BaseException], ...] = (MemoryError,)

    @abstractmethod
    def allocation_error(self, nbytes: int) -> Exception:
        """torch's error when this device's allocator cannot give ``nbytes`` bytes (the CPU allocator's
        RuntimeError, CUDA's ``torch.cuda.OutOfMemoryError``)."""

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
