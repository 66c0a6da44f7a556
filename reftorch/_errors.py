"""torch's own exception types (torch/csrc/Exceptions.cpp registers them on ``torch._C``, re-exported by torch)."""

from __future__ import annotations


class OutOfMemoryError(RuntimeError):
    """``torch.OutOfMemoryError`` (also ``torch.cuda.OutOfMemoryError``): exception raised when device is out of
    memory."""


__all__ = ["OutOfMemoryError"]
