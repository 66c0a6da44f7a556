"""torch's ``TORCH_WARN_ONCE``: some warnings are issued only the first time in a process."""

from __future__ import annotations

import warnings

_ISSUED: set[str] = set()


def warn_once(message: str, category: type[Warning] = UserWarning, stacklevel: int = 3) -> None:
    """Warn with ``message`` unless this process has already been warned with it (torch warns once
    for deprecated ``.T``, ``storage()``, complex-to-real casts and read-only NumPy arrays)."""
    if message in _ISSUED:
        return
    _ISSUED.add(message)
    warnings.warn(message, category, stacklevel=stacklevel + 1)
