"""Derivatives of the ops that overwrite a tensor: ``copy_`` (CopyBackwards), ``fill_``
(FillBackward2 for a number, FillBackward3 for a zero-dim tensor), ``zero_`` (ZeroBackward0) and the
random fills (UniformBackward0, NormalBackward0).
The overwritten tensor's old values get a zero gradient."""

from __future__ import annotations

from typing import Any

from .._tensor import Tensor
from .elementwise_grads import sum_to
from .graph import record


def _copy_backward(node: Any, g: Tensor) -> tuple:
    src_shape, src_dtype, src_device = node._ctx
    return (g.new_zeros(g._shape), sum_to(g, src_shape).to(device=src_device, dtype=src_dtype))


def record_copy(out: Tensor, target: Tensor, src: Tensor) -> None:
    record("CopyBackwards", out, (target, src), _copy_backward, (), (src._shape, src._dtype, src.device))


def _fill_backward(node: Any, g: Tensor) -> tuple:
    zeros = g.new_zeros(g._shape)
    return (zeros, g.sum()) if node._ctx else (zeros,)


def record_fill(out: Tensor, target: Tensor, value: Any) -> None:
    if isinstance(value, Tensor):
        record("FillBackward3", out, (target, value), _fill_backward, (), True)
    else:
        record("FillBackward2", out, (target,), _fill_backward, (), False)


def _zero_backward(node: Any, g: Tensor) -> tuple:
    return (g.new_zeros(g._shape),)


def record_zero(out: Tensor, target: Tensor, name: str = "ZeroBackward0") -> None:
    """A node whose gradient for the overwritten ``target`` is zero: ``zero_`` and the random fills
    (``UniformBackward0``, ``NormalBackward0``)."""
    record(name, out, (target,), _zero_backward)
