"""``torch.nn.functional``: the functional forms the built modules call, mirroring ATen's compositions.

``linear`` follows ``at::linear``: a 2-D input with a bias is one ``addmm`` (AddmmBackward0); other
ranks with a bias flatten to 2-D, ``addmm`` and view back (ViewBackward0); without a bias it is
``matmul(input, weight.t())``.
"""

from __future__ import annotations

from .._tensor import Tensor
from ..ops.registry import aten


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
