"""``torch.nn.functional``: the functional forms the built modules call, mirroring ATen's compositions.

``linear`` follows ``at::linear``: a 2-D input with a bias is one ``addmm`` (AddmmBackward0); other
ranks with a bias flatten to 2-D, ``addmm`` and view back (ViewBackward0); without a bias it is
``matmul(input, weight.t())``. ``dropout`` is torch/nn/functional.py's: its own probability check
(a ValueError), then ``torch.dropout``/``dropout_`` (reftorch.ops.dropout).
"""

from __future__ import annotations

from .._tensor import Tensor
from ..ops.registry import aten, functions


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """``y = input @ weight.T + bias``, recording the graph torch records."""
    if input.dim() == 0 or weight.dim() == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are {input.dim()}D "
                           f"and {weight.dim()}D")
    if bias is None:
        return aten.matmul(input, weight.t())
    if input.dim() == 2:
        return aten.addmm(bias, input, weight.t(), 1, 1)
    flat = input.reshape(-1, input.shape[-1])
    return aten.addmm(bias, flat, weight.t(), 1, 1).view(*input.shape[:-1], weight.shape[0])


def relu(input: Tensor, inplace: bool = False) -> Tensor:
    """``max(input, 0)`` elementwise (ReluBackward0); ``inplace=True`` writes into ``input``."""
    return input.relu_() if inplace else input.relu()


def dropout(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """During training, zero each element with probability ``p`` and scale the others by
    ``1 / (1 - p)`` (the mask from the scalar Bernoulli stream); otherwise return ``input`` itself."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return functions.dropout_(input, p, training) if inplace else functions.dropout(input, p, training)
