"""The ``ToCopyBackward0`` node of dtype/device conversions (``Tensor.to``), recorded by the
conversion ops until they move onto the op registry."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from .graph import record


def _to_copy_backward(node: Any, g: Tensor) -> tuple:
    device, dtype = node._ctx
    return (g.to(device=device, dtype=dtype),)


def record_view(name: str, out: Tensor, source: Tensor, ctx: Any) -> None:
    """Record ``ToCopyBackward0`` on ``out = source.to(...)`` (``ctx``: source's device and dtype)."""
    record(name, out, (source,), _to_copy_backward, (), ctx)
