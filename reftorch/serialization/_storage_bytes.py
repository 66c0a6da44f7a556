"""Storages to and from the host bytes a checkpoint record holds (host bytes, so NumPy is used here)."""

from __future__ import annotations

import numpy as np

from .. import _backends
from .. import _dtype as D
from .._device import CPU
from .._storage import UntypedStorage


def storage_from_bytes(data: bytes, dtype_: D.dtype, numel: int, byteorder: str = "little") -> UntypedStorage:
    """A CPU storage of ``numel`` elements of ``dtype_`` read from ``data`` (zeros when ``data`` is
    empty and ``numel`` is not: a placeholder filled later)."""
    if dtype_.array_name is None:
        raise NotImplementedError(f"reftorch cannot load tensors of dtype {dtype_}: NumPy has no such dtype")
    kind = np.dtype(dtype_.array_name)
    if not data and numel:
        host = np.zeros(numel, dtype=kind)
    else:
        host = np.frombuffer(data, dtype=kind.newbyteorder("<" if byteorder == "little" else ">"))
        host = host.astype(kind, copy=True)
    backend = _backends.get("cpu")
    return UntypedStorage(backend.from_host(host), CPU, backend)


def storage_bytes(storage: UntypedStorage) -> bytes:
    """The storage's bytes in little-endian order, as torch writes them."""
    host = np.asarray(storage.backend.to_host(storage.array))
    return host.astype(host.dtype.newbyteorder("<"), copy=False).tobytes()
