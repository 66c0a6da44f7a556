"""torch's legacy (pre-1.6, non-zip) checkpoint format, for reading.

Mirrors torch/serialization.py ``_legacy_load``: four pickles in a row (the magic number, the
protocol version, the writer's system info, then the object, whose storages are persistent ids
``('storage', type, key, location, numel, view_metadata)``), the list of storage keys, and each
storage's bytes in that order, every one after its 8-byte little-endian element count.
"""

from __future__ import annotations

import pickle
import struct
from collections.abc import Callable
from typing import IO, Any

from .. import _dtype as D
from ._rebuild import LoadedStorage, StorageType
from ._storage_bytes import storage_from_bytes

MAGIC_NUMBER = 0x1950A86A20F9469CFC6C
PROTOCOL_VERSION = 1001


def _read_storage(f: IO[bytes], dtype_: D.dtype, numel: int) -> bytes:
    header = f.read(8)
    if len(header) != 8:
        raise RuntimeError("unexpected EOF, expected 8 more bytes. The file might be corrupted.")
    (count,) = struct.unpack("<q", header)
    if count != numel:
        raise RuntimeError(f"storage has wrong size: expected {numel} got {count}")
    nbytes = numel * dtype_.itemsize
    data = f.read(nbytes)
    if len(data) != nbytes:
        raise RuntimeError(f"unexpected EOF, expected {nbytes - len(data)} more bytes. The file might be corrupted.")
    return data


def load_legacy(f: IO[bytes], make_unpickler: Callable[[IO[bytes], Callable[[Any], Any]], pickle.Unpickler],
                restore: Callable[[Any, str], Any]) -> Any:
    """The object of a legacy checkpoint; its storages are read in full before any is restored."""
    def plain(_: Any) -> Any:
        raise pickle.UnpicklingError("A load persistent id instruction was encountered, but no persistent_load "
                                     "function was specified.")

    if make_unpickler(f, plain).load() != MAGIC_NUMBER:
        raise RuntimeError("Invalid magic number; corrupt file?")
    protocol_version = make_unpickler(f, plain).load()
    if protocol_version != PROTOCOL_VERSION:
        raise RuntimeError(f"Invalid protocol version: {protocol_version}")
    make_unpickler(f, plain).load()  # the writer's sys_info

    wanted: dict[str, tuple[D.dtype, int, str]] = {}
    placeholders: dict[str, LoadedStorage] = {}

    def persistent_load(pid: Any) -> Any:
        if not isinstance(pid, tuple) or not pid:
            raise pickle.UnpicklingError(f"Unknown saved id type: {pid!r}")
        if pid[0] == "module":  # torch ignores a saved module's source
            return pid[1]
        if pid[0] != "storage" or len(pid) != 6 or not isinstance(pid[1], StorageType):
            raise pickle.UnpicklingError(f"Unknown saved id type: {pid[0]!r}")
        _, storage_type, key, location, numel, view_metadata = pid
        if view_metadata is not None:
            raise NotImplementedError("reftorch does not load legacy storage views (view_metadata)")
        if key not in placeholders:
            wanted[key] = (storage_type.dtype, int(numel), str(location))
            placeholders[key] = LoadedStorage(storage_from_bytes(b"", storage_type.dtype, int(numel)),
                                              storage_type.dtype)
        return placeholders[key]

    result = make_unpickler(f, persistent_load).load()
    keys = make_unpickler(f, plain).load()
    contents = {}
    for key in keys:
        if key not in wanted:
            raise RuntimeError(f"storage {key} is not referenced by the checkpoint's object; corrupt file?")
        dtype_, numel, _ = wanted[key]
        contents[key] = _read_storage(f, dtype_, numel)
    for key, (dtype_, numel, location) in wanted.items():
        if key not in contents:
            raise RuntimeError(f"storage {key} has no data in the checkpoint; corrupt file?")
        filled = restore(storage_from_bytes(contents[key], dtype_, numel), location)
        target = placeholders[key].untyped
        target.array, target.device, target.backend = filled.array, filled.device, filled.backend
    return result
