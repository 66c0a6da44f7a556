"""Derivatives of ``_softmax``, ``_log_softmax`` and ``log_sigmoid`` (torch's derivatives.yaml:
``_softmax_backward_data``, ``_log_softmax_backward_data``, ``log_sigmoid_backward``), written with
reftorch ops so that ``create_graph=True`` differentiates them again; the softmax formulas also run on
backend arrays (the engine's array lane)."""

from __future__ import annotations

from typing import Any

from ..._tensor import Tensor
from . import define


def _sum(t: Any, dim: int) -> Any:
    """``t.sum(dim, keepdim=True)``; on a backend array float16 accumulates in float32, as reftorch's
    (and torch's) sum does, and a zero-dim array is its own sum."""
    if isinstance(t, Tensor):
        return t.sum(dim, keepdim=True)
    if t.ndim == 0:
        return t
    return t.sum(axis=dim, keepdims=True, dtype="float32" if t.dtype.itemsize == 2 else None).astype(t.dtype)


def _exp(t: Any) -> Any:
    """``t.exp()`` of a tensor or a backend array."""
    return t.exp() if isinstance(t, Tensor) else t.__array_namespace__().exp(t)


def _softmax_backward(grad: Any, result: Any, dim: int) -> Any:
    """``y * (g - sum(g * y, dim))``."""
    return result * (grad - _sum(grad * result, dim))


def _log_softmax_backward(grad: Any, result: Any, dim: int) -> Any:
    """``g - exp(y) * sum(g, dim)``."""
    return grad - _exp(result) * _sum(grad, dim)


def _log_sigmoid_backward(grad: Tensor, self: Tensor) -> Tensor:
    """``g * sigmoid(-x)`` (the derivative of ``log(sigmoid(x))``)."""
    return grad * (-self).sigmoid()


define("SoftmaxBackward0", {"self": _softmax_backward}, arrays=True)
define("LogSoftmaxBackward0", {"self": _log_softmax_backward}, arrays=True)
define("LogSigmoidBackward0", {"self": _log_sigmoid_backward})
