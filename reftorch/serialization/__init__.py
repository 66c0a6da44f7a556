"""``torch.save`` / ``torch.load`` in torch's own checkpoint format.

Mirrors torch/serialization.py: ``save`` writes the zip archive torch writes (``data.pkl`` pickled
under torch's global names, one ``data/<key>`` record per storage, ``byteorder``, ``version``,
``.format_version``, ``.storage_alignment``, ``.data/serialization_id``), so torch loads it with
``weights_only=True``; ``load`` reads that archive or torch's legacy format, with the weights-only
unpickler unless ``weights_only=False`` is asked for. Unlike torch, a save to a path writes a temporary
file in the same folder and renames it into place, so a failed save never leaves a broken checkpoint.
"""

from __future__ import annotations

import io
import os
import pickle
import secrets
import sys
import warnings
from typing import IO, Any

from ._archive import ArchiveReader, ArchiveWriter, archive_name, is_zip
from ._legacy import load_legacy
from ._location import restorer
from ._pickler import PROTOCOL, TorchPickler
from ._rebuild import UNTYPED, LoadedStorage, StorageType
from ._storage_bytes import storage_bytes, storage_from_bytes
from ._unpickler import (
    Unpickler,
    add_safe_globals,
    clear_safe_globals,
    get_safe_globals,
    safe_globals,
    weights_only_message,
)

DEFAULT_PROTOCOL = PROTOCOL  # torch.serialization.DEFAULT_PROTOCOL
FileLike = str | os.PathLike | IO[bytes]  # save/load annotate ``Any``: the generated stubs know no IO types

__all__ = ["add_safe_globals", "clear_safe_globals", "get_safe_globals", "load", "safe_globals", "save"]


# ----------------------------------------------------------------------------- save
def save(obj: object, f: Any, pickle_module: Any = pickle, pickle_protocol: int = DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization: bool = True, _disable_byteorder_record: bool = False) -> None:
    """``torch.save``: ``obj`` pickled into ``f`` (a path, written atomically, or a binary file object)."""
    if not isinstance(f, (str, os.PathLike)) and not hasattr(f, "write"):
        raise AttributeError("expected 'f' to be string, path, or a file-like object with a 'write' attribute")
    if pickle_module is not pickle:
        raise NotImplementedError("reftorch.save pickles with the pickle module only (pickle_module)")
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("reftorch.save writes torch's zip format only "
                                  "(_use_new_zipfile_serialization=False is not implemented)")
    data = io.BytesIO()
    pickler = TorchPickler(data, pickle_protocol)
    pickler.dump(obj)
    records = [("data.pkl", data.getvalue()), (".format_version", b"1"), (".storage_alignment", b"64")]
    if not _disable_byteorder_record:
        records.append(("byteorder", sys.byteorder.encode()))
    records += [(f"data/{key}", storage_bytes(storage)) for key, (storage, _) in pickler.storages.items()]
    records += [("version", b"3\n"), (".data/serialization_id", f"{secrets.randbelow(10**40):040d}".encode())]
    if isinstance(f, (str, os.PathLike)):
        _save_atomically(os.fspath(f), records)
    else:
        _write_archive(f, archive_name(None), records)


def _write_archive(f: IO[bytes], name: str, records: list[tuple[str, bytes]]) -> None:
    with ArchiveWriter(f, name) as writer:
        for record, data in records:
            writer.write_record(record, data)


def _save_atomically(path: str, records: list[tuple[str, bytes]]) -> None:
    """The archive written to a temporary file beside ``path`` (beside its target, for a symlink), then
    renamed onto it."""
    target = os.path.realpath(path)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise RuntimeError(f"Parent directory {os.path.dirname(path)} does not exist.")
    if os.path.isdir(target):
        raise RuntimeError(f"open file failed with strerror: Is a directory: {path}")
    fd, temporary = _create_beside(target)
    try:
        with os.fdopen(fd, "wb") as out:
            _write_archive(out, archive_name(path), records)
            out.flush()
            os.fsync(out.fileno())
        if os.path.exists(target):  # an overwritten checkpoint keeps its mode
            os.chmod(temporary, os.stat(target).st_mode & 0o7777)
        os.replace(temporary, target)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _create_beside(target: str) -> tuple[int, str]:
    """A new file beside ``target``, created exclusively with mode 0o666 less the process umask (the OS
    applies it, as when ``open`` creates the target itself: no umask round trip, which races threads)."""
    folder, base = os.path.split(target)
    while True:
        temporary = os.path.join(folder, f".{base}.{secrets.token_hex(6)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue


# ----------------------------------------------------------------------------- load
def load(f: Any, map_location: Any = None, pickle_module: Any = None, *,
         weights_only: bool | None = None, mmap: bool | None = None, **pickle_load_args: Any) -> Any:
    """``torch.load``: the object saved in ``f``, its storages placed by ``map_location``; weights-only
    unless ``weights_only=False`` (or a ``pickle_module``) is given."""
    if weights_only is None:
        weights_only = pickle_module is None
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_module not in (None, pickle):
        raise NotImplementedError("reftorch.load unpickles with the pickle module only (pickle_module)")
    if mmap:
        raise NotImplementedError("reftorch.load does not memory-map checkpoints (mmap=True)")
    if weights_only and pickle_load_args:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
        unexpected = [key for key in pickle_load_args if key != "encoding"]
        if unexpected:  # the weights-only unpickler takes an encoding only
            raise TypeError(f"Unpickler.__init__() got an unexpected keyword argument '{unexpected[0]}'")
    pickle_load_args.setdefault("encoding", "utf-8")
    restore = restorer(map_location)

    def make_unpickler(file: IO[bytes], persistent_load: Any) -> Unpickler:
        return Unpickler(file, persistent_load, weights_only, **pickle_load_args)

    with _open(f) as opened:
        try:
            if is_zip(opened):
                return _load_zip(opened, make_unpickler, restore)
            return load_legacy(opened, make_unpickler, restore)
        except pickle.UnpicklingError as exc:
            if weights_only:
                raise pickle.UnpicklingError(weights_only_message(str(exc))) from None
            raise
        except EOFError as exc:  # a pickle stream cut short
            raise pickle.UnpicklingError(f"the checkpoint's pickle is corrupted: {type(exc).__name__}: {exc}") \
                from None


class _open:
    """A seekable binary file for ``f`` (a path is opened and closed; a file object is used as is)."""

    def __init__(self, f: FileLike):
        self._owned = isinstance(f, (str, os.PathLike))
        if not self._owned and not hasattr(f, "seek"):
            raise AttributeError(
                f"'{type(f).__name__}' object has no attribute 'seek'. You can only torch.load from a file that is "
                "seekable. Please pre-load the data into a buffer like io.BytesIO and try to load from it instead.")
        self._file = open(f, "rb") if self._owned else f  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> IO[bytes]:
        return self._file

    def __exit__(self, *exc: object) -> None:
        if self._owned:
            self._file.close()


def _load_zip(f: IO[bytes], make_unpickler: Any, restore: Any) -> Any:
    """``torch.serialization._load``: ``data.pkl`` unpickled, each storage read once from its record."""
    reader = ArchiveReader(f)
    try:
        byteorder = reader.get_record("byteorder").decode() if reader.has_record("byteorder") else "little"
        loaded: dict[str, Any] = {}

        def persistent_load(pid: Any) -> Any:
            if not isinstance(pid, tuple) or len(pid) != 5 or pid[0] != "storage" \
                    or not isinstance(pid[1], StorageType):
                raise pickle.UnpicklingError(f"Unknown saved id type: {pid!r}")
            _, storage_type, key, location, numel = pid
            if key not in loaded:
                loaded[key] = _read_storage(reader, storage_type, str(key), str(location), int(numel), byteorder,
                                            restore)
            return loaded[key]

        return make_unpickler(io.BytesIO(reader.get_record("data.pkl")), persistent_load).load()
    finally:
        reader.close()


def _read_storage(reader: ArchiveReader, storage_type: StorageType, key: str, location: str, numel: int,
                  byteorder: str, restore: Any) -> Any:
    dtype_ = storage_type.dtype
    data = reader.get_record(f"data/{key}")
    expected = numel * dtype_.itemsize
    if len(data) != expected:  # torch reads the record untyped, so its message counts bytes
        raise RuntimeError(
            f"record size ({len(data)} bytes) does not match expected size ({expected} bytes = {expected} elements "
            f"* 1 bytes/element) for dtype Byte")
    storage = restore(storage_from_bytes(data, dtype_, numel, byteorder), location)
    return storage if storage_type is UNTYPED else LoadedStorage(storage, dtype_)
