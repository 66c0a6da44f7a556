"""``torch._utils.ExceptionWrapper``: an exception caught in a worker, carried back to the main process.

Mirrors torch/_utils.py: the wrapper keeps the exception's type and its formatted traceback (never the
traceback object, which does not pickle); ``reraise`` raises the same type with the message
``"Caught <Type> <where>.\\nOriginal Traceback ..."`` (a KeyError's message keeps its line breaks; a type
that cannot be built from one string is raised as a RuntimeError).
"""

from __future__ import annotations

import sys
import traceback
from typing import Any, NoReturn


class KeyErrorMessage(str):
    """A str whose repr is itself, so a re-raised KeyError shows its traceback readably."""

    __slots__ = ()

    def __repr__(self) -> str:
        return self


class ExceptionWrapper:
    """Wraps an exception and its traceback (as text) to communicate across processes."""

    def __init__(self, exc_info: Any = None, where: str = "in background") -> None:
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self) -> NoReturn:
        """Raise the wrapped exception's type in the current process."""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception
