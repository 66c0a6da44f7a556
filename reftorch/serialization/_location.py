"""``map_location``: where each loaded storage goes.

Mirrors torch/serialization.py ``_get_restore_location`` and ``default_restore_location``: ``None``
keeps the saved location; a string or ``torch.device`` sends every storage there; a dict renames
locations; a callable ``(storage, location)`` returns the storage to use (None: the saved location).
A storage saved on CUDA needs a CUDA device, else torch's RuntimeError naming ``map_location``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import _backends
from .._device import device
from .._storage import UntypedStorage

MapLocation = Callable[[UntypedStorage, str], Any] | device | str | dict[str, str] | None


def cuda_available() -> bool:
    """``torch.cuda.is_available()``, asked of ``reftorch.cuda`` (imported late: it imports the package)."""
    from .. import cuda

    return cuda.is_available()


def _validate_cuda(location: str) -> device:
    """torch/serialization.py ``_validate_device`` for CUDA."""
    if not cuda_available():
        raise RuntimeError(
            "Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. "
            "If you are running on a CPU-only machine, please use torch.load with "
            "map_location=torch.device('cpu') to map your storages to the CPU.")
    target = device(location)
    return device("cuda", target.index or 0)


def default_restore_location(storage: UntypedStorage, location: str) -> UntypedStorage:
    """``default_restore_location``: the CPU keeps the storage; CUDA moves it there; other tags fail."""
    if location == "cpu":
        return storage
    if location.startswith("cuda"):
        target = _validate_cuda(location)
        backend = _backends.get("cuda")
        return UntypedStorage(backend.from_host(storage.backend.to_host(storage.array)), target, backend)
    raise RuntimeError(f"don't know how to restore data location of torch.storage.UntypedStorage (tagged with "
                       f"{location})")


def restorer(map_location: MapLocation) -> Callable[[UntypedStorage, str], UntypedStorage]:
    """``_get_restore_location(map_location)``: storage, saved location -> restored storage."""
    if map_location is None:
        return default_restore_location
    if isinstance(map_location, dict):
        return lambda storage, location: default_restore_location(storage, map_location.get(location, location))
    if isinstance(map_location, (str, device)):
        return lambda storage, location: default_restore_location(storage, str(map_location))
    if not callable(map_location):
        raise TypeError(f"'{type(map_location).__name__}' object is not callable")

    def restore(storage: UntypedStorage, location: str) -> UntypedStorage:
        result = map_location(storage, location)
        if result is None:
            return default_restore_location(storage, location)
        if not isinstance(result, UntypedStorage):
            raise TypeError(f"Argument 'wrap_storage' must be UntypedStorage, but got {type(result)}")
        return result

    return restore
