"""``torch.nn.functional``: the functional forms the built modules call, mirroring ATen's compositions.

``linear`` follows ``at::linear``: a 2-D input with a bias is one ``addmm`` (AddmmBackward0); other
ranks with a bias flatten to 2-D, ``addmm`` and view back (ViewBackward0); without a bias it is
``matmul(input, weight.t())``. ``dropout`` is torch/nn/functional.py's: its own probability check
(a ValueError), then ``torch.dropout``/``dropout_`` (reftorch.ops.dropout).
"""

from __future__ import annotations

from .._tensor import Tensor
from ..autograd import no_grad
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


# ---- normalization and embedding
def _verify_batch_size(size: list[int]) -> None:
    """torch's check that batch statistics see more than one value per channel."""
    size_prods = size[0]
    for s in size[2:]:
        size_prods *= s
    if size_prods == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def batch_norm(input: Tensor, running_mean: Tensor | None, running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """torch/nn/functional.py's ``batch_norm``: in training more than one value per channel and a
    positive ``eps`` (ValueErrors), then ``torch.batch_norm`` (NativeBatchNormBackward0), which updates
    the given running statistics in training."""
    if training:
        _verify_batch_size(input.size())
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    elif eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    return functions.batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps, False)


def layer_norm(input: Tensor, normalized_shape: list[int], weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """``torch.layer_norm`` over the trailing ``normalized_shape`` dims (NativeLayerNormBackward0)."""
    return functions.layer_norm(input, normalized_shape, weight, bias, eps, False)


def group_norm(input: Tensor, num_groups: int, weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:
    """torch/nn/functional.py's ``group_norm``: at least 2 dims and more than one value per group
    (checked as torch does, on ``[N * C // num_groups, num_groups, *spatial]``), then ``torch.group_norm``."""
    if input.dim() < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.dim()}")
    _verify_batch_size([input.size(0) * input.size(1) // num_groups, num_groups] + list(input.size()[2:]))
    return functions.group_norm(input, num_groups, weight, bias, eps, False)


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None, max_norm: float | None = None,
              norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:
    """torch/nn/functional.py's ``embedding``: ``padding_idx`` checked against ``weight.size(0)`` (an
    AssertionError) and wrapped when negative; with ``max_norm`` the rows ``input`` names are first
    renormalised in place (``embedding_renorm_`` under no_grad); then ``torch.embedding``."""
    if padding_idx is not None:
        if padding_idx > 0:
            if padding_idx >= weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
        elif padding_idx < 0:
            if padding_idx < -weight.size(0):
                raise AssertionError("Padding_idx must be within num_embeddings")
            padding_idx = weight.size(0) + padding_idx
    else:
        padding_idx = -1
    if max_norm is not None:
        input = input.contiguous()
        with no_grad():
            functions.embedding_renorm_(weight, input, max_norm, norm_type)
    return functions.embedding(weight, input, padding_idx, scale_grad_by_freq, sparse)
