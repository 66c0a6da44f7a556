"""Storage: the flat buffer that tensors view, and the version counter views share.

Mirrors ``torch.UntypedStorage``: every view of one buffer reports the same ``data_ptr()``;
sizes are in bytes. reftorch keeps the buffer as a flat 1-D backend array of the dtype the
storage was created with (``element_dtype``).
"""

from __future__ import annotations

from typing import Any

from ._device import device
from ._warnings import warn_once


class UntypedStorage:
    """A flat buffer on one device. ``array`` is the 1-D backend array holding the elements."""

    __slots__ = ("array", "device", "backend", "resizable", "__weakref__")

    def __init__(self, array: Any, device_: device, backend: Any, resizable: bool = True):
        self.array = array
        self.device = device_
        self.backend = backend
        self.resizable = resizable  # False for memory borrowed from NumPy (torch.from_numpy)

    def data_ptr(self) -> int:
        """Address of the first byte of the buffer (equal for every view of it); 0 for an empty
        buffer, which torch never allocates."""
        if self.array.nbytes == 0:
            return 0
        return self.backend.data_ptr(self.array)

    def nbytes(self) -> int:
        return self.array.nbytes

    def size(self) -> int:
        """Size in bytes, as ``torch.UntypedStorage.size()``."""
        return self.array.nbytes

    def __len__(self) -> int:
        return self.array.nbytes

    def element_size(self) -> int:
        return 1

    def __sizeof__(self) -> int:
        """``sys.getsizeof`` counts the buffer's bytes, as torch/storage.py's ``_StorageBase.__sizeof__``
        (the object's own overhead differs: torch's is a C object)."""
        return super().__sizeof__() + self.size()

    def __repr__(self) -> str:
        return f"reftorch.UntypedStorage(device={self.device}, nbytes={self.nbytes()})"


class TypedStorage:
    """``tensor.storage()``: deprecated in torch (a UserWarning, once), kept for its ``data_ptr``,
    ``size()`` in elements, ``dtype`` and ``tolist``."""

    __slots__ = ("_untyped", "dtype")

    def __init__(self, untyped: UntypedStorage, dtype: Any):
        warn_once(
            "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the "
            "only storage class. This should only matter to you if you are using storages directly.  To "
            "access UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()")
        self._untyped = untyped
        self.dtype = dtype

    @property
    def device(self) -> device:
        return self._untyped.device

    def data_ptr(self) -> int:
        return self._untyped.data_ptr()

    def untyped(self) -> UntypedStorage:
        return self._untyped

    def size(self) -> int:
        return self._untyped.nbytes() // self.dtype.itemsize

    def __len__(self) -> int:
        return self.size()

    def element_size(self) -> int:
        return self.dtype.itemsize

    def tolist(self) -> list:
        return self._untyped.backend.to_host(self._untyped.array).tolist()


class VersionCounter:
    """The in-place modification counter shared by a tensor, its views and ``detach()`` results."""

    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0

    def bump(self) -> None:
        self.value += 1
