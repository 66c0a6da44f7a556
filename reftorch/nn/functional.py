"""``torch.nn.functional``: the functional forms the built modules call, mirroring ATen's compositions.

``linear`` follows ``at::linear``: a 2-D input with a bias is one ``addmm`` (AddmmBackward0); other
ranks with a bias flatten to 2-D, ``addmm`` and view back (ViewBackward0); without a bias it is
``matmul(input, weight.t())``. ``dropout`` is torch/nn/functional.py's: its own probability check
(a ValueError), then ``torch.dropout``/``dropout_`` (reftorch.ops.dropout).
"""

from __future__ import annotations

from .._tensor import Tensor
from ..ops.registry import aten, functions, vf


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


# ---- activations
# torch/nn/functional.py's activation functions. Those torch binds directly (``gelu``, ``softplus``,
# ``elu_``, ``leaky_relu_``, ``hardtanh_``: builtins of ``torch._C._nn``; ``prelu``, ``selu_``, ``celu_``,
# ``relu_``: of ``torch``) are the parsed bindings themselves, so their argument errors are torch's.
gelu = vf.gelu
softplus = vf.softplus
elu_ = vf.elu_
leaky_relu_ = vf.leaky_relu_
hardtanh_ = vf.hardtanh_
prelu = functions.prelu
selu_ = functions.selu_
celu_ = functions.celu_
relu_ = functions.relu_


def silu(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * sigmoid(x)`` (SiluBackward0); ``inplace=True`` writes into ``input``."""
    return vf.silu_(input) if inplace else vf.silu(input)


def mish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * tanh(softplus(x))`` (MishBackward0)."""
    return vf.mish_(input) if inplace else vf.mish(input)


def hardswish(input: Tensor, inplace: bool = False) -> Tensor:
    """``x * relu6(x + 3) / 6`` (HardswishBackward0)."""
    return vf.hardswish_(input) if inplace else vf.hardswish(input)


def hardsigmoid(input: Tensor, inplace: bool = False) -> Tensor:
    """``relu6(x + 3) / 6`` (HardsigmoidBackward0)."""
    return vf.hardsigmoid_(input) if inplace else vf.hardsigmoid(input)


def elu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``x`` where positive, else ``alpha * (exp(x) - 1)`` (EluBackward0; EluBackward1 in place)."""
    return vf.elu_(input, alpha) if inplace else vf.elu(input, alpha)


def selu(input: Tensor, inplace: bool = False) -> Tensor:
    """``scale * elu(x, alpha)`` with torch's SELU constants (``torch.selu``/``torch.selu_``)."""
    return functions.selu_(input) if inplace else functions.selu(input)


def celu(input: Tensor, alpha: float = 1.0, inplace: bool = False) -> Tensor:
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))`` (``torch.celu``/``torch.celu_``)."""
    return functions.celu_(input, alpha) if inplace else functions.celu(input, alpha)


def leaky_relu(input: Tensor, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:
    """``x`` where positive, else ``negative_slope * x`` (LeakyReluBackward0; LeakyReluBackward1 in place)."""
    return vf.leaky_relu_(input, negative_slope) if inplace else vf.leaky_relu(input, negative_slope)


def hardtanh(input: Tensor, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False) -> Tensor:
    """``clamp(x, min_val, max_val)`` (HardtanhBackward0); torch's ValueError when ``min_val > max_val``."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    return vf.hardtanh_(input, min_val, max_val) if inplace else vf.hardtanh(input, min_val, max_val)


def relu6(input: Tensor, inplace: bool = False) -> Tensor:
    """``min(max(0, x), 6)``: ATen's ``hardtanh(x, 0, 6)`` (HardtanhBackward0)."""
    return vf.relu6_(input) if inplace else vf.relu6(input)


def sigmoid(input: Tensor) -> Tensor:
    """``input.sigmoid()``, as torch.nn.functional.sigmoid."""
    return input.sigmoid()


def tanh(input: Tensor) -> Tensor:
    """``input.tanh()``, as torch.nn.functional.tanh."""
    return input.tanh()
