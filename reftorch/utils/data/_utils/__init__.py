"""``torch.utils.data._utils``: the pieces the DataLoader's iterators share (collation, fetching, workers).

Mirrors torch/utils/data/_utils/__init__.py: ``MP_STATUS_CHECK_INTERVAL`` (how often a blocked reader
checks that the other side lives) and ``python_exit_status`` (set at interpreter exit, so iterators do not
try to shut workers down while Python tears itself down).
"""

from __future__ import annotations

import atexit

MP_STATUS_CHECK_INTERVAL = 5.0

python_exit_status = False


def _set_python_exit_flag() -> None:
    global python_exit_status
    python_exit_status = True


atexit.register(_set_python_exit_flag)

from . import collate, fetch, worker  # noqa: E402 - after the flags, as torch's own package

__all__ = ["MP_STATUS_CHECK_INTERVAL", "collate", "fetch", "python_exit_status", "worker"]
