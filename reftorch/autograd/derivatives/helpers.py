"""Helpers of the derivative formulas that work alike on tensors (the create_graph path, where they
record graphs of their own) and on backend arrays (the engine's array lane), so that one formula
serves both (torch's FunctionsManual.cpp helpers)."""

from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from ...ops._util import zeros_where


def conj(t: Any) -> Any:
    """The complex conjugate (Wirtinger calculus: torch's ``grad * other.conj()``) of a tensor, a
    backend array or a Python number; real values pass through unchanged."""
    if isinstance(t, Tensor):
        return t.conj_physical() if t._dtype.is_complex else t
    dtype = getattr(t, "dtype", None)
    if dtype is None:  # a Python number
        return t.conjugate() if isinstance(t, complex) else t
    return t.conj() if dtype.kind == "c" else t


def t(m: Any) -> Any:
    """``Tensor.t()`` of a tensor, ``.T`` of a backend array (both views; a 0-d or 1-d one is itself)."""
    return m.t() if isinstance(m, Tensor) else m.T


def reduced_axes(shape: tuple[int, ...], target: tuple[int, ...]) -> tuple[tuple[int, ...], int]:
    """The axes of a ``shape``-d gradient to sum so it reduces to ``target`` (torch's ``sum_to``):
    the leading dims ``shape`` has beyond ``target``, and the dims where ``target`` has 1 and ``shape``
    does not. Returns (axes, number of leading axes)."""
    lead = len(shape) - len(target)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(target) if s == 1 and shape[i + lead] != 1)
    return axes, lead


def sum_to(grad: Any, shape: tuple[int, ...]) -> Any:
    """``grad`` summed down to ``shape`` (a shape it broadcasts from): ``at::sum_to``."""
    if grad.shape == shape:
        return grad
    axes, lead = reduced_axes(tuple(grad.shape), shape)
    if isinstance(grad, Tensor):
        reduced = grad.sum(axes, keepdim=True) if axes else grad
        return reduced.view(shape) if lead else reduced
    return grad.sum(axis=axes, keepdims=True).reshape(shape)


def zeros_like(t: Any) -> Any:
    """Zeros of ``t``'s shape and dtype (a tensor or a backend array)."""
    if isinstance(t, Tensor):
        return t.new_zeros(t._shape)
    return t.__array_namespace__().zeros_like(t)  # NumPy and CuPy arrays (and NumPy scalars) name their module


def zero_where(grad: Any, mask: Any) -> Any:
    """``grad`` with exact zeros where ``mask`` holds (torch's ``masked_fill``/``where`` formulas, so a
    NaN or infinite gradient does not leak into positions that get none)."""
    if isinstance(grad, Tensor):
        return grad.masked_fill(mask, 0)
    return zeros_where(grad.__array_namespace__(), mask, grad)


__all__ = ["conj", "reduced_axes", "sum_to", "t", "zero_where", "zeros_like"]
