"""Derivatives of ``_softmax``, ``_log_softmax`` and ``log_sigmoid`` (torch's derivatives.yaml:
``_softmax_backward_data``, ``_log_softmax_backward_data``, ``log_sigmoid_backward``), written with
reftorch ops so that ``create_graph=True`` differentiates them again."""

from __future__ import annotations

from ..._tensor import Tensor
from . import define


def _softmax_backward(grad: Tensor, result: Tensor, dim: int) -> Tensor:
    """``y * (g - sum(g * y, dim))``."""
    return result * (grad - (grad * result).sum(dim, keepdim=True))


def _log_softmax_backward(grad: Tensor, result: Tensor, dim: int) -> Tensor:
    """``g - exp(y) * sum(g, dim)``."""
    return grad - result.exp() * grad.sum(dim, keepdim=True)


def _log_sigmoid_backward(grad: Tensor, self: Tensor) -> Tensor:
    """``g * sigmoid(-x)`` (the derivative of ``log(sigmoid(x))``)."""
    return grad * (-self).sigmoid()


define("SoftmaxBackward0", {"self": _softmax_backward})
define("LogSoftmaxBackward0", {"self": _log_softmax_backward})
define("LogSigmoidBackward0", {"self": _log_sigmoid_backward})
