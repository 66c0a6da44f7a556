"""``torch.nn.functional``: the functional forms the built modules call, mirroring ATen's compositions.

``linear`` follows ``at::linear``: a 2-D input with a bias is one ``addmm`` (AddmmBackward0); other
ranks with a bias flatten to 2-D, ``addmm`` and view back (ViewBackward0); without a bias it is
``matmul(input, weight.t())``. ``dropout`` is torch/nn/functional.py's: its own probability check
(a ValueError), then ``torch.dropout``/``dropout_`` (reftorch.ops.dropout).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import repeat
from typing import Any

from .._tensor import Tensor
from ..autograd import no_grad
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
# ---- convolution, pooling, padding, folding
# torch/nn/functional.py binds these to ATen ops: ``conv2d`` is ``torch.conv2d``, ``unfold`` is
# ``torch._C._nn.im2col``... (reftorch.ops.convolution, pooling, padding); reftorch reaches the
# ``torch._C._nn`` ones through ``vf``, parsed as torch parses them.
def _tuple_of(value: Any, n: int) -> Any:
    """torch's ``_ntuple(n)``: an iterable as a tuple, anything else repeated ``n`` times."""
    if isinstance(value, Iterable):
        return tuple(value)
    return tuple(repeat(value, n))
def _list_with_default(out_size: Any, defaults: Sequence[int]) -> Any:
    """torch's ``_list_with_default``: ``None`` entries of an adaptive output size take the input's size."""
    if isinstance(out_size, int):
        return out_size
    if len(defaults) <= len(out_size):
        raise ValueError(f"Input dimension should be at least {len(out_size) + 1}")
    return [v if v is not None else d for v, d in zip(out_size, defaults[-len(out_size):])]
def conv1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """``torch.conv1d``: 1-d convolution of a (N, C, L) or (C, L) input."""
    return functions.conv1d(input, weight, bias, stride, padding, dilation, groups)
def conv2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Tensor:
    """``torch.conv2d``: 2-d convolution of a (N, C, H, W) or (C, H, W) input."""
    return functions.conv2d(input, weight, bias, stride, padding, dilation, groups)
def conv_transpose1d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """``torch.conv_transpose1d``: the adjoint of ``conv1d``."""
    return functions.conv_transpose1d(input, weight, bias, stride, padding, output_padding, groups, dilation)
def conv_transpose2d(input: Tensor, weight: Tensor, bias: Tensor | None = None, stride: Any = 1, padding: Any = 0,
                     output_padding: Any = 0, groups: int = 1, dilation: Any = 1) -> Tensor:
    """``torch.conv_transpose2d``: the adjoint of ``conv2d``."""
    return functions.conv_transpose2d(input, weight, bias, stride, padding, output_padding, groups, dilation)
def max_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """``torch.max_pool1d`` (or ``max_pool1d_with_indices`` with ``return_indices``); ``stride`` defaults
    to ``kernel_size``."""
    stride = [] if stride is None else stride
    if return_indices:
        return functions.max_pool1d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return functions.max_pool1d(input, kernel_size, stride, padding, dilation, ceil_mode)
def max_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, dilation: Any = 1,
               ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """``torch.max_pool2d`` (or ``torch._C._nn.max_pool2d_with_indices`` with ``return_indices``)."""
    stride = [] if stride is None else stride
    if return_indices:
        return vf.max_pool2d_with_indices(input, kernel_size, stride, padding, dilation, ceil_mode)
    return functions.max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode)
def avg_pool1d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True) -> Tensor:
    """``torch.avg_pool1d``."""
    return functions.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad)
def avg_pool2d(input: Tensor, kernel_size: Any, stride: Any = None, padding: Any = 0, ceil_mode: bool = False,
               count_include_pad: bool = True, divisor_override: int | None = None) -> Tensor:
    """``torch._C._nn.avg_pool2d``."""
    return vf.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)
def adaptive_max_pool1d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """``torch.adaptive_max_pool1d`` (values, or values and indices)."""
    out = functions.adaptive_max_pool1d(input, output_size)
    return out if return_indices else out[0]
def adaptive_max_pool2d(input: Tensor, output_size: Any, return_indices: bool = False) -> Any:
    """``torch._C._nn.adaptive_max_pool2d`` (values, or values and indices); ``None`` sizes keep the input's."""
    output_size = _list_with_default(output_size, input.size())
    out = vf.adaptive_max_pool2d(input, output_size)
    return out if return_indices else out[0]
def adaptive_avg_pool1d(input: Tensor, output_size: Any) -> Tensor:
    """``torch.adaptive_avg_pool1d``."""
    return functions.adaptive_avg_pool1d(input, output_size)
def adaptive_avg_pool2d(input: Tensor, output_size: Any) -> Tensor:
    """``torch._C._nn.adaptive_avg_pool2d``; ``None`` sizes keep the input's."""
    return vf.adaptive_avg_pool2d(input, _list_with_default(output_size, input.size()))
def pad(input: Tensor, pad: Sequence[int], mode: str = "constant", value: float | None = None) -> Tensor:
    """``torch._C._nn.pad``: constant (negative pads crop), reflect, replicate or circular padding of the
    last ``len(pad) // 2`` dims, ``pad`` listing (left, right) pairs from the last dim backwards."""
    return vf.pad(input, pad, mode, value)
def unfold(input: Tensor, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """``torch._C._nn.im2col``: sliding blocks as columns (N, C * prod(kernel_size), L)."""
    return vf.im2col(input, _tuple_of(kernel_size, 2), _tuple_of(dilation, 2), _tuple_of(padding, 2),
                     _tuple_of(stride, 2))
def fold(input: Tensor, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0,
         stride: Any = 1) -> Tensor:
    """``torch._C._nn.col2im``: columns summed back into an image of ``output_size``."""
    return vf.col2im(input, _tuple_of(output_size, 2), _tuple_of(kernel_size, 2), _tuple_of(dilation, 2),
                     _tuple_of(padding, 2), _tuple_of(stride, 2))
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
