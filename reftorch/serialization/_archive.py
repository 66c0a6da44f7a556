"""torch's checkpoint archive: an uncompressed zip whose records all sit in one top-level folder.

Mirrors caffe2/serialize/inline_container.cc (``PyTorchStreamWriter`` / ``PyTorchStreamReader``):
records are stored, each record's data starts on a 64-byte boundary (a local-header extra field
``FB`` of padding), and the reader finds the folder name from the first record. Errors are torch's
RuntimeErrors (``PytorchStreamReader failed ...``), never zipfile's.
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib
from typing import IO, Any

ALIGNMENT = 64
_LOCAL_HEADER = 30  # fixed part of a zip local file header
_ZIP64_EXTRA = 20  # the zip64 field zipfile appends to the local header of a record over 2 GiB
_MAGIC = b"PK\x03\x04"
# what torch appends to every PytorchStreamReader error
_CORRUPT = (". This is an internal miniz error. If you are seeing this error, there is a high likelihood that your "
            "checkpoint file is corrupted. This can happen if the checkpoint was not saved properly, was transferred "
            "incorrectly, or the file was modified after saving.")


def is_zip(f: IO[bytes]) -> bool:
    """``torch.serialization._is_zipfile``: the file starts with a zip local-header signature."""
    start = f.tell()
    head = f.read(4)
    f.seek(start)
    return head == _MAGIC


def archive_name(path: str | os.PathLike | None) -> str:
    """The records' folder: the file name without its extension (``archive`` for a file object)."""
    if path is None:
        return "archive"
    return os.path.splitext(os.path.basename(os.fspath(path)))[0] or "archive"


class ArchiveWriter:
    """Writes records into ``f`` (seekable or not) as ``PyTorchStreamWriter`` does."""

    def __init__(self, f: IO[bytes], name: str):
        self._prefix = name + "/"
        self._seekable = _seekable(f)
        self._start = f.tell() if self._seekable else 0
        self._file = f
        self._zip = zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED, allowZip64=True)

    def write_record(self, name: str, data: bytes | memoryview) -> None:
        """One record, its data aligned to :data:`ALIGNMENT` bytes from the archive's start."""
        info = zipfile.ZipInfo(self._prefix + name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_STORED
        if self._seekable:
            header = _LOCAL_HEADER + len(info.filename.encode()) + 4
            if len(data) > zipfile.ZIP64_LIMIT:
                header += _ZIP64_EXTRA
            padding = -(self._file.tell() - self._start + header) % ALIGNMENT
            info.extra = struct.pack("<HH", 0x4246, padding) + b"Z" * padding  # torch's "FB" field
        self._zip.writestr(info, data)

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        """Closes the zip (its central directory written) even when a record failed, so that nothing is
        left for the garbage collector to flush into a closed file."""
        self._zip.close()


class ArchiveReader:
    """Reads the records of a torch archive; missing or damaged records raise torch's RuntimeError."""

    def __init__(self, f: IO[bytes]):
        try:
            self._zip = zipfile.ZipFile(f, "r")
            names = self._zip.namelist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
            raise RuntimeError(
                "PytorchStreamReader failed reading zip archive: failed finding central directory" + _CORRUPT
                + f" ({exc})") from None
        if not names:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: the archive has no records")
        folder, sep, _ = names[0].partition("/")
        if not sep:
            raise RuntimeError("PytorchStreamReader failed reading zip archive: file in archive is not in a "
                               "subdirectory: " + names[0])
        self._prefix = folder + "/"
        self._names = set(names)

    def has_record(self, name: str) -> bool:
        return self._prefix + name in self._names

    def get_record(self, name: str) -> bytes:
        """The record's bytes, its CRC checked."""
        if not self.has_record(name):
            raise RuntimeError(f"PytorchStreamReader failed locating file {name}: file not found" + _CORRUPT)
        try:
            return self._zip.read(self._prefix + name)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, struct.error) as exc:
            raise RuntimeError(
                f"PytorchStreamReader failed reading file {name}: invalid header or archive is corrupted" + _CORRUPT
                + f" ({exc})") from None

    def close(self) -> None:
        self._zip.close()


def _seekable(f: Any) -> bool:
    try:
        return bool(f.seekable()) and f.tell() >= 0
    except (AttributeError, OSError, ValueError):
        return False
