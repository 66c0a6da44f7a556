"""``torch.nn.functional``: the functional forms the built modules call, mirroring ATen's compositions.

``linear`` follows ``at::linear``: a 2-D input with a bias is one ``addmm`` (AddmmBackward0); other
ranks with a bias flatten to 2-D, ``addmm`` and view back (ViewBackward0); without a bias it is
``matmul(input, weight.t())``. ``dropout`` is torch/nn/functional.py's: its own probability check
(a ValueError), then ``torch.dropout``/``dropout_`` (reftorch.ops.dropout).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from typing import Any

from .. import _dtype as _dtypes
from .._tensor import Tensor
from ..autograd import no_grad
from ..ops import _args
from ..ops.registry import aten, call, functions, vf


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


def embedding_bag(input: Tensor, weight: Tensor, offsets: Tensor | None = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean", sparse: bool = False,
                  per_sample_weights: Tensor | None = None, include_last_offset: bool = False,
                  padding_idx: int | None = None) -> Tensor:
    """torch/nn/functional.py's ``embedding_bag``: the legacy ``(weight, input)`` order swapped back with
    its warning, a 2-D ``input`` taken as fixed-length bags (offsets ``0, L, 2L...``), torch's
    ValueErrors, ``max_norm`` renormalising the named rows in place first, then ``torch.embedding_bag``
    (reftorch/ops/embedding_bag.py) and its first output."""
    if weight.dtype == _dtypes.int64 and input.is_floating_point():
        warnings.warn("Argument order of nn.functional.embedding_bag was changed. Usage `embedding_bag(weight, "
                      "input, ...)` is deprecated, and should now be `embedding_bag(input, weight, ...)`.",
                      stacklevel=2)
        weight, input = input, weight
    if per_sample_weights is not None and input.size() != per_sample_weights.size():
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not None, then it "
                         f"must have the same shape as the input ({input.shape})")
    if not weight.dim() == 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension {weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated is a mini-batch of "
                             f"fixed length sequences. However, found offsets of type {type(offsets)}")
        offsets = functions.arange(0, input.numel(), input.size(1), dtype=input.dtype, device=input.device)
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension {input.dim()}")
    modes = {"sum": 0, "mean": 1, "max": 2}
    if mode not in modes:
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max":
        if scale_grad_by_freq:
            raise ValueError("max mode does not support scaling the gradient by the frequency")
        if sparse:
            raise ValueError("max mode does not support sparse weights")
    if max_norm is not None:
        functions.embedding_renorm_(weight.detach(), input, max_norm, norm_type)
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. per_sample_weights is only "
                                  f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    return functions.embedding_bag(weight, input, offsets, scale_grad_by_freq, modes[mode], sparse,
                                   per_sample_weights, include_last_offset, padding_idx)[0]


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
bilinear = functions.bilinear
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


# ---- losses and softmax
# Ported from torch/nn/functional.py: the Python-level checks, warnings and compositions are torch's;
# the ATen losses are registry records (reftorch/ops/loss.py), reached through ``vf`` (torch's
# ``torch._C._nn``) so their argument errors are the parser's.




def _get_softmax_dim(name: str, ndim: int, stacklevel: int) -> int:
    """torch's ``_get_softmax_dim``: warn that the implicit dim is deprecated; 0 for 0-, 1- and 3-dim
    inputs, else 1."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
                   "dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``exp(x_i) / sum_j exp(x_j)`` along ``dim`` (SoftmaxBackward0); ``dtype`` converts the input first."""
    if dim is None:
        dim = _get_softmax_dim("softmax", input.dim(), _stacklevel)
    return input.softmax(dim) if dtype is None else input.softmax(dim, dtype=dtype)


def softmin(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``softmax(-input)`` along ``dim`` (NegBackward0 below SoftmaxBackward0)."""
    if dim is None:
        dim = _get_softmax_dim("softmin", input.dim(), _stacklevel)
    return (-input).softmax(dim) if dtype is None else (-input).softmax(dim, dtype=dtype)


def log_softmax(input: Tensor, dim: int | None = None, _stacklevel: int = 3, dtype: Any = None) -> Tensor:
    """``x_i - log(sum_j exp(x_j))`` along ``dim`` (LogSoftmaxBackward0), computed stably."""
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.dim(), _stacklevel)
    return input.log_softmax(dim) if dtype is None else input.log_softmax(dim, dtype=dtype)


def logsigmoid(input: Tensor) -> Tensor:
    """``log(1 / (1 + exp(-x)))`` elementwise (``torch._C._nn.log_sigmoid``, LogSigmoidBackward0)."""
    return vf.log_sigmoid(input)


class _Reduction:
    """torch/nn/_reduction.py: reduction strings to ATen's enum, and the legacy size_average/reduce."""

    @staticmethod
    def get_enum(reduction: str) -> int:
        if reduction == "none":
            return 0
        if reduction == "mean":
            return 1
        if reduction == "elementwise_mean":
            warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                           stacklevel=2)
            return 1
        if reduction == "sum":
            return 2
        raise ValueError(f"{reduction} is not a valid value for reduction")

    @staticmethod
    def legacy_get_string(size_average: bool | None, reduce: bool | None, emit_warning: bool = True) -> str:
        warning = "size_average and reduce args will be deprecated, please use reduction='{}' instead."
        if size_average is None:
            size_average = True
        if reduce is None:
            reduce = True
        ret = ("mean" if size_average else "sum") if reduce else "none"
        if emit_warning:
            warnings.warn(warning.format(ret), stacklevel=2)
        return ret


def _enum(size_average: bool | None, reduce: bool | None, reduction: str) -> int:
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    return _Reduction.get_enum(reduction)


def _apply_reduction(loss: Tensor, reduction: str) -> Tensor:
    """ATen's ``apply_loss_reduction`` for the composite losses."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _size_warning(input: Tensor, target: Tensor) -> None:
    if target.size() != input.size():
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input size "
                       f"({input.size()}). This will likely lead to incorrect results due to broadcasting. "
                       "Please ensure they have the same size.", stacklevel=3)


def l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
            reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """``|x - y|`` (AbsBackward0), reduced (ATen's composite ``l1_loss``); warns on differing sizes."""
    _size_warning(input, target)
    reduction = _REDUCTIONS[_enum(size_average, reduce, reduction)]
    loss = (input - target).abs()
    if weight is not None:
        loss = loss * weight
    return _apply_reduction(loss, reduction)


_REDUCTIONS = ("none", "mean", "sum")


def mse_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
             reduction: str = "mean", weight: Tensor | None = None) -> Tensor:
    """``(x - y) ** 2`` (MseLossBackward0); warns on differing sizes, then broadcasts."""
    _size_warning(input, target)
    r = _enum(size_average, reduce, reduction)
    if weight is not None:
        return _apply_reduction((input - target) ** 2 * weight, _REDUCTIONS[r])
    return vf.mse_loss(input, target, r)


def binary_cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Tensor:
    """``-w (y log x + (1 - y) log(1 - x))``, logs clamped at -100 (BinaryCrossEntropyBackward0);
    a target of another size is a ValueError."""
    r = _enum(size_average, reduce, reduction)
    if target.size() != input.size():
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input size "
                         f"({input.size()}) is deprecated. Please ensure they have the same size.")
    if weight is not None:
        from ..ops._util import broadcast_shapes
        weight = weight.expand(broadcast_shapes(tuple(target.size()), tuple(weight.size())))
    return vf.binary_cross_entropy(input, target, weight, r)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                     size_average: bool | None = None, reduce: bool | None = None,
                                     reduction: str = "mean", pos_weight: Tensor | None = None) -> Tensor:
    """``BCE(sigmoid(x), y)`` computed stably, ``pos_weight`` scaling the positive term
    (BinaryCrossEntropyWithLogitsBackward0)."""
    r = _enum(size_average, reduce, reduction)
    if not (target.size() == input.size()):
        raise ValueError(f"Target size ({target.size()}) must be the same as input size ({input.size()})")
    return functions.binary_cross_entropy_with_logits(input, target, weight, pos_weight, r)


def nll_loss(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
             ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """ATen's ``nll_loss_nd``: 1-/2-D inputs -> ``nll_loss`` (NllLossBackward0), 4-D -> ``nll_loss2d``,
    3-D and > 4-D viewed as (N, C, 1, -1) for ``nll_loss2d`` (the unreduced loss viewed back)."""
    r = _enum(size_average, reduce, reduction)
    if input.dim() < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.dim()})")
    if input.dim() != 1 and input.shape[0] != target.shape[0]:
        raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                         f"({target.shape[0]}).")
    if input.dim() in (1, 2):
        return vf.nll_loss(input, target, weight, r, ignore_index)
    if input.dim() == 4:
        return vf.nll_loss2d(input, target, weight, r, ignore_index)
    n, c = input.shape[0], input.shape[1]
    out_size = (n, *input.shape[2:])
    if tuple(target.shape[1:]) != tuple(input.shape[2:]):
        raise RuntimeError(f"Expected target size [{', '.join(map(str, out_size))}], got "
                           f"[{', '.join(map(str, target.shape))}]")
    input, target = input.contiguous(), target.contiguous()
    input = input.view(n, c, 1, -1) if input.numel() > 0 else input.view(n, c, 0, 0)
    target = target.view(n, 1, -1) if target.numel() > 0 else target.view(n, 0, 0)
    out = vf.nll_loss2d(input, target, weight, r, ignore_index)
    return out if r != 0 else out.view(out_size)


def cross_entropy(input: Tensor, target: Tensor, weight: Tensor | None = None, size_average: bool | None = None,
                  ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Tensor:
    """ATen's ``cross_entropy_loss``: a target of the input's shape is class probabilities
    (``-sum(log_softmax(x) * y)``); otherwise class indices, ``nll_loss_nd(log_softmax(x, class_dim))``,
    mixed with the uniform-target loss when ``label_smoothing`` > 0."""
    r = _enum(size_average, reduce, reduction)
    class_dim = 0 if input.dim() == 1 else 1
    if tuple(input.shape) == tuple(target.shape):
        if not target.dtype.is_floating_point:
            raise RuntimeError("Expected floating point type for target with class probabilities, got "
                               f"{target.dtype.scalar_name if hasattr(target.dtype, 'scalar_name') else target.dtype}")
        if ignore_index >= 0:
            raise RuntimeError("ignore_index is not supported for floating point target")
        return _cross_entropy_probabilities(input, target, weight, r, label_smoothing, class_dim)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        return _cross_entropy_smoothed(input, target, weight, r, ignore_index, label_smoothing, class_dim)
    return nll_loss(input.log_softmax(class_dim, dtype=input.dtype), target, weight, None, ignore_index, None,
                    _REDUCTIONS[r])


def _class_weight(weight: Tensor, ndim: int, class_dim: int) -> Tensor:
    shape = [1] * ndim
    shape[class_dim] = weight.shape[0]
    return weight.view(shape)


def _cross_entropy_probabilities(input: Tensor, target: Tensor, weight: Tensor | None, r: int,
                                 label_smoothing: float, class_dim: int) -> Tensor:
    n_classes = input.shape[class_dim]
    if weight is not None and (weight.dim() != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"cross_entropy: weight tensor should be defined either for all {n_classes} classes or "
                           f"no classes but got weight tensor of shape: [{', '.join(map(str, weight.shape))}]")
    logp = input.log_softmax(class_dim, dtype=input.dtype)
    if label_smoothing > 0.0:
        if label_smoothing > 1.0:
            raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
        target = target * (1 - label_smoothing) + (label_smoothing / n_classes)
    terms = logp * target
    if weight is not None:
        terms = terms * (_class_weight(weight, logp.dim(), 1) if logp.dim() > 1 else weight)
    if r == 1:
        if logp.numel() == 0:
            return -(terms.sum().fill_(float("nan")))
        return call("divide.Scalar", -terms.sum(), logp.numel() // n_classes)  # DivBackward1, as torch
    if r == 2:
        return -terms.sum()
    return -terms.sum(class_dim)


def _cross_entropy_smoothed(input: Tensor, target: Tensor, weight: Tensor | None, r: int, ignore_index: int,
                            label_smoothing: float, class_dim: int) -> Tensor:
    logp = input.log_softmax(class_dim, dtype=input.dtype)
    nll = nll_loss(logp, target, weight, None, ignore_index, None, _REDUCTIONS[r])
    ignore_mask = target == ignore_index
    if weight is not None:
        smooth = -(logp * _class_weight(weight, logp.dim(), class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    smooth = smooth.masked_fill(ignore_mask, 0.0)
    if r == 1:
        if weight is not None:
            ret = smooth.sum() / weight.gather(0, target.masked_select(~ignore_mask).flatten()).sum()
        else:
            ret = smooth.sum() / (~ignore_mask).sum()
    elif r == 2:
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - label_smoothing) * nll + ret * (label_smoothing / input.shape[class_dim])


def kl_div(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
           reduction: str = "mean", log_target: bool = False) -> Tensor:
    """``y (log y - x)`` (0 where y == 0), or ``exp(y) (y - x)`` with ``log_target``; 'batchmean' divides
    the sum by the batch size, 'mean' by the element count with torch's UserWarning."""
    if size_average is not None or reduce is not None:
        reduction_enum = _enum(size_average, reduce, reduction)
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support "
                           "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
                           "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
                           "major release.", stacklevel=2)
        reduction_enum = 2 if reduction == "batchmean" else _Reduction.get_enum(reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        xlogy = functions.where(target > 0, target * target.masked_fill(target <= 0, 1).log(), target.new_zeros(()))
        xlogy = xlogy.masked_fill(target.isnan(), float("nan"))
        loss = xlogy - target * input
    loss = _apply_reduction(loss, _REDUCTIONS[reduction_enum])
    if reduction == "batchmean" and input.dim() != 0:
        loss = loss / input.size()[0]
    return loss


def poisson_nll_loss(input: Tensor, target: Tensor, log_input: bool = True, full: bool = False,
                     size_average: bool | None = None, eps: float = 1e-8, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """``exp(x) - y x`` (``log_input``) or ``x - y log(x + eps)``, plus Stirling's term where y > 1 with ``full``."""
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    loss = input.exp() - target * input if log_input else input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _apply_reduction(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var: Tensor | float, full: bool = False, eps: float = 1e-6,
                      reduction: str = "mean") -> Tensor:
    """torch's Python ``gaussian_nll_loss``: ``0.5 (log(max(var, eps)) + (x - y) ** 2 / max(var, eps))``
    (+ ``0.5 log(2 pi)`` with ``full``), with torch's shape and value checks."""
    if isinstance(var, (int, float)):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * input.new_ones(())
    if var.size() != input.size():
        if input.size()[:-1] == var.size():
            var = var.unsqueeze(-1)
        elif input.size()[:-1] == var.size()[:-1] and var.size(-1) == 1:
            pass
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    if bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    var = var.clone()
    from .. import no_grad
    with no_grad():
        var.clamp_(min=eps)
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _apply_reduction(loss, reduction)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                   reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """``0.5 d ** 2 / beta`` below ``beta``, ``|d| - 0.5 beta`` above (SmoothL1LossBackward0; beta == 0 is l1_loss)."""
    _size_warning(input, target)
    r = _enum(size_average, reduce, reduction)
    if beta == 0.0:
        return l1_loss(input, target, reduction=_REDUCTIONS[r])
    return vf.smooth_l1_loss(input, target, r, beta)


def huber_loss(input: Tensor, target: Tensor, reduction: str = "mean", delta: float = 1.0,
               weight: Tensor | None = None) -> Tensor:
    """``0.5 d ** 2`` below ``delta``, ``delta (|d| - 0.5 delta)`` above (HuberLossBackward0)."""
    _size_warning(input, target)
    return vf.huber_loss(input, target, _Reduction.get_enum(reduction), delta)


def soft_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None, reduce: bool | None = None,
                     reduction: str = "mean") -> Tensor:
    """``log(1 + exp(-y x))`` (SoftMarginLossBackward0)."""
    return vf.soft_margin_loss(input, target, _enum(size_average, reduce, reduction))


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight: Tensor | None = None,
                                size_average: bool | None = None, reduce: bool | None = None,
                                reduction: str = "mean") -> Tensor:
    """torch's Python composition: ``-(y logsigmoid(x) + (1 - y) logsigmoid(-x))`` averaged over classes."""
    if size_average is not None or reduce is not None:
        reduction = _Reduction.legacy_get_string(size_average, reduce)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                        size_average: bool | None = None, reduce: bool | None = None,
                        reduction: str = "mean") -> Tensor:
    """``max(0, -y (x1 - x2) + margin)`` (ClampMinBackward0); the three sizes must agree."""
    r = _enum(size_average, reduce, reduction)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.size()}, input2: {input2.size()}, target: {target.size()} ")
    return _apply_reduction((-target * (input1 - input2) + margin).clamp_min(0), _REDUCTIONS[r])


def hinge_embedding_loss(input: Tensor, target: Tensor, margin: float = 1.0, size_average: bool | None = None,
                         reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``x`` where y == 1, ``max(0, margin - x)`` where y == -1 (ATen's composite, AddBackward0)."""
    r = _enum(size_average, reduce, reduction)
    zeros = input.new_zeros(input.shape)
    margin_clamp = (margin - input).clamp_min(0)
    output_margin = functions.where(target != 1, margin_clamp, zeros)
    output_self = functions.where(target != -1, input, zeros)
    return _apply_reduction(output_margin + output_self, _REDUCTIONS[r])


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin: float = 0,
                          size_average: bool | None = None, reduce: bool | None = None,
                          reduction: str = "mean") -> Tensor:
    """``1 - cos`` where y == 1, ``max(0, cos - margin)`` where y == -1 (ATen's composite, EPSILON 1e-12)."""
    r = _enum(size_average, reduce, reduction)
    targ_dim = target.dim()
    if targ_dim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if targ_dim == 1 and not (input1.dim() == 2 and input2.dim() == 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{_list(input1)} and {_list(input2)}.")
    if targ_dim == 0 and not (input1.dim() == 1 and input2.dim() == 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{_list(input1)} and {_list(input2)}.")
    prod_sum = (input1 * input2).sum(targ_dim)
    mag_square1 = (input1 * input1).sum(targ_dim) + 1e-12
    mag_square2 = (input2 * input2).sum(targ_dim) + 1e-12
    cos = prod_sum / (mag_square1 * mag_square2).sqrt()
    zeros = cos.new_zeros(cos.shape)
    pos = 1 - cos
    neg = (cos - margin).clamp_min(0)
    output = functions.where(target == 1, pos, zeros) + functions.where(target == -1, neg, zeros)
    return _apply_reduction(output, _REDUCTIONS[r])


def _list(t: Tensor) -> str:
    return "[" + ", ".join(map(str, t.shape)) + "]"


def pairwise_distance(x1: Tensor, x2: Tensor, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> Tensor:
    """ATen's ``pairwise_distance``: ``norm(x1 - x2 + eps, p, dim=-1)`` (the last dim; 0 for 0-D inputs)."""
    output_dim = max(x1.dim(), x2.dim())
    inner = max(output_dim - 1, 0)
    return (x1 - x2 + eps).norm(p, dim=inner if output_dim else 0, keepdim=keepdim)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin: float = 1.0, p: float = 2,
                        eps: float = 1e-6, swap: bool = False, size_average: bool | None = None,
                        reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``max(d(a, p) - d(a, n) + margin, 0)`` with the pairwise p-norm distance (ClampMinBackward0)."""
    r = _enum(size_average, reduce, reduction)
    a_dim, p_dim, n_dim = anchor.dim(), positive.dim(), negative.dim()
    if not (a_dim == p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative {n_dim}D inputs")
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = dist_neg.minimum(pairwise_distance(positive, negative, p, eps))
    return _apply_reduction((margin + dist_pos - dist_neg).clamp_min(0), _REDUCTIONS[r])


def triplet_margin_with_distance_loss(anchor: Tensor, positive: Tensor, negative: Tensor, *,
                                      distance_function: Callable | None = None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Tensor:
    """torch's Python version: a custom ``distance_function`` (default ``pairwise_distance``)."""
    if margin <= 0:
        raise ValueError(f"TripletMarginWithDistanceLoss: expected margin to be greater than 0, got {margin} instead")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {a_dim}D, positive {p_dim}D, and negative {n_dim}D inputs")
    dist_fn = distance_function if distance_function is not None else pairwise_distance
    dist_pos = dist_fn(anchor, positive)
    dist_neg = dist_fn(anchor, negative)
    if swap:
        dist_neg = dist_neg.minimum(dist_fn(positive, negative))
    loss = (dist_pos - dist_neg + margin).clamp_min(0.0)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return _apply_reduction(loss, reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average: bool | None = None,
                           reduce: bool | None = None, reduction: str = "mean") -> Tensor:
    """``sum max(0, 1 - (x[j] - x[i])) / C`` over target classes j and others i (MultilabelMarginLossBackward0)."""
    return vf.multilabel_margin_loss(input, target, _enum(size_average, reduce, reduction))


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths: Any, target_lengths: Any, blank: int = 0,
             reduction: str = "mean", zero_infinity: bool = False) -> Tensor:
    """``torch.ctc_loss`` (torch/nn/functional.py): the connectionist temporal classification loss of
    ``(T, N, C)`` (or unbatched ``(T, C)``) log-probabilities (reftorch/ops/ctc.py)."""
    return functions.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                              _Reduction.get_enum(reduction), zero_infinity)


def multi_margin_loss(input: Tensor, target: Tensor, p: int = 1, margin: float = 1.0, weight: Tensor | None = None,
                      size_average: bool | None = None, reduce: bool | None = None,
                      reduction: str = "mean") -> Tensor:
    """``sum_{i != y} max(0, margin - x[y] + x[i]) ** p / C`` (MultiMarginLossBackward0); p is 1 or 2."""
    r = _enum(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    return vf.multi_margin_loss(input, target, p, margin, weight, r)


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """``torch._C._nn.one_hot``: int64 indices -> int64 rows with a 1 at each index (``num_classes=-1``:
    the largest index + 1), with torch's checks."""
    from .. import int64
    if tensor.dtype != int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if tensor.numel() == 0:
        if num_classes <= 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        return tensor.new_zeros((*tensor.shape, num_classes))
    if int(tensor.min()) < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        num_classes = int(tensor.max()) + 1
    elif int(tensor.max()) >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    return tensor.new_zeros((*tensor.shape, num_classes)).scatter(-1, tensor.unsqueeze(-1), 1)


# ---- attention
# ``scaled_dot_product_attention`` is ATen's math path (``_scaled_dot_product_attention_math``, the path
# torch's CPU takes with dropout or non-4-D inputs; its flash kernel for CPU gives the same values within
# float32 tolerance, under the node ScaledDotProductFlashAttentionForCpuBackward0 where reftorch records
# the composition's nodes). ``multi_head_attention_forward`` is torch/nn/functional.py's Python (the slow
# path) line by line, except ``torch.baddbmm`` (not in reftorch): ``attn_mask + bmm(q_scaled, k^T)``.


def _sdpa_convert_boolean_mask(attn_mask: Tensor | None, dtype: Any) -> Tensor | None:
    """ATen's ``convert_boolean_attn_mask``: a bool mask becomes 0 where True and -inf where False."""
    if attn_mask is None or attn_mask.dtype != _dtypes.bool:
        return attn_mask
    zero = functions.zeros((), dtype=dtype, device=attn_mask.device)
    return functions.where(attn_mask.logical_not(), -math.inf, zero)


def _safe_softmax(input: Tensor, dim: int) -> Tensor:
    """ATen's ``_safe_softmax``: softmax, with rows whose every entry is -inf giving 0 rather than NaN.

    Those rows are zeroed before the softmax too, so that their gradient is 0 as torch's
    (``_softmax_backward_data`` of the zeroed result) rather than NaN."""
    masked_rows = input.eq(-math.inf).all(dim, True)
    zero = functions.zeros((), dtype=input.dtype, device=input.device)
    out = functions.softmax(functions.where(masked_rows, zero, input), dim)
    return functions.where(masked_rows, zero, out)


_SDPA_PARSER = _args.Parser(["scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, "
                              "Tensor? attn_mask=None, double dropout_p=0.0, bool is_causal=False, *, "
                              "double? scale=None, bool enable_gqa=False)"])


def scaled_dot_product_attention(*args: Any, **kwargs: Any) -> Tensor:
    """``scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, *,
    scale=None, enable_gqa=False)``: ``softmax(q k^T * scale + mask) v`` as ATen's
    ``_scaled_dot_product_attention_math``.

    A builtin in torch (``torch._C._nn``), so its arguments go through torch's argument parser (its
    TypeErrors); then torch's input checks (``validate_sdpa_input``: one dtype, at least 2-D, a bool/float/query-dtype
    mask); a bool mask becomes 0/-inf; ``sqrt(scale)`` (``1/sqrt(E)`` by default, the sign applied to the
    query) multiplies both ``query`` and ``key^T``; ``is_causal`` (with no explicit mask, a RuntimeError
    otherwise) adds the lower-triangular ``ones(L, S).tril()`` mask; ``enable_gqa`` repeats key and value
    heads (``repeat_interleave`` on dim -3); the weights go through ``_safe_softmax`` and, when
    ``dropout_p > 0``, ``torch.dropout(attn, dropout_p, True)`` (the scalar Bernoulli stream, as torch's
    math path draws it), then ``attn @ value``.
    """
    _, (query, key, value, attn_mask, dropout_p, is_causal, scale, enable_gqa) = _SDPA_PARSER.parse(args, kwargs)
    if query.dtype != key.dtype or query.dtype != value.dtype:
        raise RuntimeError(f"Expected query, key, and value to have the same dtype, but got query.dtype: "
                           f"{_scalar_name(query.dtype)} key.dtype: {_scalar_name(key.dtype)} and value.dtype: "
                           f"{_scalar_name(value.dtype)} instead.")
    if query.device != key.device or query.device != value.device:
        raise RuntimeError(f"Expected query, key, and value to have the same device type, but got query.device: "
                           f"{query.device} key.device: {key.device} and value.device: {value.device} instead.")
    if query.dim() < 2 or key.dim() < 2 or value.dim() < 2:
        raise RuntimeError(f"Expected query, key, and value to all be  at least 2 dimensional, but got query.dim: "
                           f"{query.dim()} key.dim: {key.dim()} and value.dim: {value.dim()} instead.")
    if attn_mask is not None and attn_mask.dtype not in (_dtypes.bool, _dtypes.float32, query.dtype):
        raise RuntimeError(f"Expected attn_mask dtype to be bool or float or to match query dtype, but got "
                           f"attn_mask.dtype: {_scalar_name(attn_mask.dtype)} and  query.dtype: "
                           f"{_scalar_name(query.dtype)} instead.")
    mask = _sdpa_convert_boolean_mask(attn_mask, query.dtype)
    negative = scale is not None and scale < 0.0
    scale_value = abs(scale) if negative else scale
    if scale_value is None:
        scale_value = 1.0 / math.sqrt(query.size(-1))
    scaling_factor = math.sqrt(scale_value)
    q = query * (0.0 - scaling_factor if negative else scaling_factor)
    if is_causal:
        if mask is not None:
            raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be set when "
                               "is_causal=True")
        L, S = q.size(-2), key.size(-2)
        mask = _sdpa_convert_boolean_mask(functions.ones((L, S), dtype=_dtypes.bool, device=q.device).tril(),
                                          q.dtype)
    if enable_gqa and query.dim() >= 3 and key.dim() >= 3 and query.size(-3) != key.size(-3):
        q_heads, k_heads, v_heads = query.size(-3), key.size(-3), value.size(-3)
        if q_heads % k_heads != 0 or q_heads % v_heads != 0:
            raise RuntimeError("Number of heads in key and value must divide the number of heads in query")
        key = key.repeat_interleave(q_heads // k_heads, -3)
        value = value.repeat_interleave(q_heads // v_heads, -3)
    attn = functions.matmul(q, key.transpose(-2, -1) * scaling_factor)
    if mask is not None:
        attn = attn + mask
    attn = _safe_softmax(attn, -1)
    if dropout_p > 0.0:
        attn = functions.dropout(attn, dropout_p, True)
    return functions.matmul(attn, value)


def _scalar_name(dtype: Any) -> str:
    """A dtype as ATen's attention checks print it: its TypeMeta's demangled C++ name (``float``, ``long int``)."""
    return dtype.demangled_name


def _none_or_dtype(input: Tensor | None) -> Any:
    """torch's helper: the dtype of a mask, or None."""
    if input is None:
        return None
    elif isinstance(input, Tensor):
        return input.dtype
    raise RuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask: Tensor | None, mask_name: str, other_type: Any, other_name: str, target_type: Any,
                    check_other: bool = True) -> Tensor | None:
    """torch's ``_canonical_mask``: bool or float masks only (an AssertionError), a deprecation warning for
    mismatched mask dtypes, and a bool mask turned into a float one with -inf where True."""
    if mask is not None:
        _mask_dtype = mask.dtype
        _mask_is_float = functions.is_floating_point(mask)
        if _mask_dtype != _dtypes.bool and not _mask_is_float:
            raise AssertionError(f"only bool and floating types of {mask_name} are supported")
        if check_other and other_type is not None:
            if _mask_dtype != other_type:
                warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same type "
                              "for both instead.", stacklevel=2)
        if not _mask_is_float:
            mask = functions.zeros_like(mask, dtype=target_type).masked_fill_(mask, float("-inf"))
    return mask


def _mha_shape_check(query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Tensor | None,
                     attn_mask: Tensor | None, num_heads: int) -> bool:
    """torch's ``_mha_shape_check``: 3-D (batched) or 2-D (unbatched) inputs with masks to match
    (AssertionErrors); returns whether the input is batched."""
    if query.dim() == 3:
        is_batched = True
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError(f"For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError(f"For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but "
                                 f"found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError(f"For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D but "
                                 f"found {attn_mask.dim()}-D tensor instead")
    elif query.dim() == 2:
        is_batched = False
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError(f"For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                                 f"{key.dim()}-D and {value.dim()}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError(f"For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or 1-D "
                                 f"but found {key_padding_mask.dim()}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError(f"For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                                     f"but found {attn_mask.dim()}-D tensor instead")
            if attn_mask.dim() == 3:
                expected_shape = (num_heads, query.shape[0], key.shape[0])
                if attn_mask.shape != expected_shape:
                    raise AssertionError(f"Expected `attn_mask` shape to be {expected_shape} but got "
                                         f"{attn_mask.shape}")
    else:
        raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.dim()}-D "
                             "query tensor")
    return is_batched


def _in_projection_packed(q: Tensor, k: Tensor, v: Tensor, w: Tensor,
                          b: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """torch's packed in-projection: one linear for self-attention, q and kv for shared key/value,
    three chunks otherwise."""
    E = q.size(-1)
    if k is v:
        if q is k:
            proj = linear(q, w, b)
            proj = proj.unflatten(-1, (3, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
            return proj[0], proj[1], proj[2]
        w_q, w_kv = w.split([E, E * 2])
        if b is None:
            b_q = b_kv = None
        else:
            b_q, b_kv = b.split([E, E * 2])
        q_proj = linear(q, w_q, b_q)
        kv_proj = linear(k, w_kv, b_kv)
        kv_proj = kv_proj.unflatten(-1, (2, E)).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous()
        return q_proj, kv_proj[0], kv_proj[1]
    w_q, w_k, w_v = w.chunk(3)
    if b is None:
        b_q = b_k = b_v = None
    else:
        b_q, b_k, b_v = b.chunk(3)
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def _in_projection(q: Tensor, k: Tensor, v: Tensor, w_q: Tensor, w_k: Tensor, w_v: Tensor, b_q: Tensor | None = None,
                   b_k: Tensor | None = None, b_v: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
    """torch's separate in-projection, its weight and bias shapes checked (AssertionErrors)."""
    Eq, Ek, Ev = q.size(-1), k.size(-1), v.size(-1)
    for name, t, shape in (("query weights", w_q, (Eq, Eq)), ("key weights", w_k, (Eq, Ek)),
                           ("value weights", w_v, (Eq, Ev))):
        if t.shape != shape:
            raise AssertionError(f"expecting {name} shape of {shape}, but got {t.shape}")
    for name, t in (("query bias", b_q), ("key bias", b_k), ("value bias", b_v)):
        if t is not None and t.shape != (Eq,):
            raise AssertionError(f"expecting {name} shape of {(Eq,)}, but got {t.shape}")
    return linear(q, w_q, b_q), linear(k, w_k, b_k), linear(v, w_v, b_v)


def multi_head_attention_forward(
        query: Tensor, key: Tensor, value: Tensor, embed_dim_to_check: int, num_heads: int,
        in_proj_weight: Tensor | None, in_proj_bias: Tensor | None, bias_k: Tensor | None, bias_v: Tensor | None,
        add_zero_attn: bool, dropout_p: float, out_proj_weight: Tensor, out_proj_bias: Tensor | None,
        training: bool = True, key_padding_mask: Tensor | None = None, need_weights: bool = True,
        attn_mask: Tensor | None = None, use_separate_proj_weight: bool = False, q_proj_weight: Tensor | None = None,
        k_proj_weight: Tensor | None = None, v_proj_weight: Tensor | None = None, static_k: Tensor | None = None,
        static_v: Tensor | None = None, average_attn_weights: bool = True,
        is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
    """torch/nn/functional.py's ``multi_head_attention_forward`` (MultiheadAttention's slow path).

    Sequence-first ``(L, N, E)`` or unbatched ``(L, E)`` inputs; masks canonicalised to float; with
    ``need_weights`` the weights are ``softmax(attn_mask + q/sqrt(d) @ k^T)`` (torch: ``baddbmm``), dropped
    out with ``F.dropout`` and averaged over heads when ``average_attn_weights``; without, the heads go
    through ``scaled_dot_product_attention``.
    """
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query = query.unsqueeze(1)
        key = key.unsqueeze(1)
        value = value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len, _, _ = key.shape
    key_padding_mask = _canonical_mask(mask=key_padding_mask, mask_name="key_padding_mask",
                                       other_type=_none_or_dtype(attn_mask), other_name="attn_mask",
                                       target_type=query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the Transformer module "
                           "method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None
    else:
        attn_mask = _canonical_mask(mask=attn_mask, mask_name="attn_mask", other_type=None, other_name="",
                                    target_type=query.dtype, check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if key.shape[:2] != value.shape[:2]:
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match value's "
                                 f"{value.shape[:2]}")
    elif key.shape != value.shape:
        raise AssertionError(f"key shape {key.shape} does not match value shape {value.shape}")
    if not use_separate_proj_weight:
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    else:
        if q_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but q_proj_weight is None")
        if k_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but k_proj_weight is None")
        if v_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but v_proj_weight is None")
        if in_proj_bias is None:
            b_q = b_k = b_v = None
        else:
            b_q, b_k, b_v = in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight, v_proj_weight, b_q, b_k, b_v)
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            correct_2d_size = (tgt_len, src_len)
            if attn_mask.shape != correct_2d_size:
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but should be "
                                   f"{correct_2d_size}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            correct_3d_size = (bsz * num_heads, tgt_len, src_len)
            if attn_mask.shape != correct_3d_size:
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but should be "
                                   f"{correct_3d_size}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = functions.cat([k, bias_k.repeat(1, bsz, 1)])
        v = functions.cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    else:
        if bias_k is not None:
            raise AssertionError("bias_k is set but bias_v is None")
        if bias_v is not None:
            raise AssertionError("bias_v is set but bias_k is None")
    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    if static_k is None:
        k = k.view(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        if static_k.size(0) != bsz * num_heads:
            raise AssertionError(f"expecting static_k.size(0) of {bsz * num_heads}, but got {static_k.size(0)}")
        if static_k.size(2) != head_dim:
            raise AssertionError(f"expecting static_k.size(2) of {head_dim}, but got {static_k.size(2)}")
        k = static_k
    if static_v is None:
        v = v.view(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        if static_v.size(0) != bsz * num_heads:
            raise AssertionError(f"expecting static_v.size(0) of {bsz * num_heads}, but got {static_v.size(0)}")
        if static_v.size(2) != head_dim:
            raise AssertionError(f"expecting static_v.size(2) of {head_dim}, but got {static_v.size(2)}")
        v = static_v
    if add_zero_attn:
        zero_attn_shape = (bsz * num_heads, 1, head_dim)
        k = functions.cat([k, functions.zeros(zero_attn_shape, dtype=k.dtype, device=k.device)], dim=1)
        v = functions.cat([v, functions.zeros(zero_attn_shape, dtype=v.dtype, device=v.device)], dim=1)
        if attn_mask is not None:
            attn_mask = pad(attn_mask, (0, 1))
        if key_padding_mask is not None:
            key_padding_mask = pad(key_padding_mask, (0, 1))
    src_len = k.size(1)
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise AssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but got "
                                 f"{key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise AssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, but got "
                                 f"{key_padding_mask.shape[1]}")
        key_padding_mask = (key_padding_mask.view(bsz, 1, 1, src_len).expand(-1, num_heads, -1, -1)
                            .reshape(bsz * num_heads, 1, src_len))
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0
    if need_weights:
        _B, _Nt, E = q.shape
        q_scaled = q * math.sqrt(1.0 / float(E))
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None:
            attn_output_weights = attn_mask + functions.bmm(q_scaled, k.transpose(-2, -1))
        else:
            attn_output_weights = functions.bmm(q_scaled, k.transpose(-2, -1))
        attn_output_weights = softmax(attn_output_weights, dim=-1)
        if dropout_p > 0.0:
            attn_output_weights = dropout(attn_output_weights, p=dropout_p)
        attn_output = functions.bmm(attn_output_weights, v)
        attn_output = attn_output.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        attn_output = linear(attn_output, out_proj_weight, out_proj_bias)
        attn_output = attn_output.view(tgt_len, bsz, attn_output.size(1))
        attn_output_weights = attn_output_weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            attn_output_weights = attn_output_weights.mean(dim=1)
        if not is_batched:
            attn_output = attn_output.squeeze(1)
            attn_output_weights = attn_output_weights.squeeze(0)
        return attn_output, attn_output_weights
    if attn_mask is not None:
        if attn_mask.size(0) == 1 and attn_mask.dim() == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    attn_output = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    attn_output = attn_output.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    attn_output = linear(attn_output, out_proj_weight, out_proj_bias)
    attn_output = attn_output.view(tgt_len, bsz, attn_output.size(1))
    if not is_batched:
        attn_output = attn_output.squeeze(1)
    return attn_output, None

# ---- misc: normalize, distance, feature dropout, interpolate
def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12, out: Tensor | None = None) -> Tensor:
    """torch/nn/functional.py's ``normalize``: ``input / input.norm(p, dim, keepdim=True).clamp_min(eps)``
    (expanded to the input's shape); with ``out`` the clamp is in place and the division writes ``out``."""
    if out is None:
        denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
        return input / denom
    denom = input.norm(p, dim, keepdim=True).clamp_min_(eps).expand_as(input)
    return out.copy_(input / denom)


# ATen's cosine_similarity (reftorch.ops.distance), the parsed binding itself as in torch
cosine_similarity = functions.cosine_similarity


def _check_dropout_p(p: float) -> None:
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _feature_dropout(input: Tensor, p: float, training: bool, inplace: bool, batched: bool = True) -> Tensor:
    """``torch.feature_dropout`` (or ``feature_dropout_``), an unbatched input unsqueezed to one sample first
    and squeezed back after (in place when ``inplace``)."""
    if not batched:
        input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    drop = functions.feature_dropout_ if inplace else functions.feature_dropout
    result = drop(input, p, training)
    if not batched:
        result = result.squeeze_(0) if inplace else result.squeeze(0)
    return result


def dropout1d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of a 2-D (unbatched, unsqueezed first) or 3-D input through ``torch.feature_dropout``;
    a RuntimeError for other ranks."""
    _check_dropout_p(p)
    inp_dim = input.dim()
    if inp_dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. "
            "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension "
            "(i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, batched=inp_dim == 3)


def _warn_dropout_rank(n: int, inp_dim: int) -> None:
    """dropout2d/3d's deprecation warning for an input of neither n + 1 nor n + 2 dims (stacklevel: the
    caller of ``dropout{n}d``)."""
    if inp_dim not in (n + 1, n + 2):
        warnings.warn(
            f"dropout{n}d: Received a {inp_dim}-D input to dropout{n}d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            f"and silence this warning, please use dropout instead. Note that dropout{n}d "
            f"exists to provide channel-wise dropout on inputs with {n} spatial dimensions, "
            f"a channel dimension, and an optional batch dimension (i.e. {n + 1}D or {n + 2}D inputs).",
            stacklevel=3)


def dropout2d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout through ``torch.feature_dropout`` (dim 1 is the channel: a 3-D input is taken as
    (N, C, L), with torch's UserWarning; another deprecation warning outside 3-D/4-D)."""
    _check_dropout_p(p)
    inp_dim = input.dim()
    _warn_dropout_rank(2, inp_dim)
    if inp_dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input: Tensor, p: float = 0.5, training: bool = True, inplace: bool = False) -> Tensor:
    """Channel dropout of 4-D (unbatched) or 5-D inputs through ``torch.feature_dropout``; other ranks
    warn (deprecated) and are unsqueezed as unbatched."""
    _check_dropout_p(p)
    inp_dim = input.dim()
    _warn_dropout_rank(3, inp_dim)
    return _feature_dropout(input, p, training, inplace, batched=inp_dim == 5)


def alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """``torch.alpha_dropout`` (``alpha_dropout_`` when ``inplace``) after the ValueError check of ``p``."""
    _check_dropout_p(p)
    return functions.alpha_dropout_(input, p, training) if inplace else functions.alpha_dropout(input, p, training)


def feature_alpha_dropout(input: Tensor, p: float = 0.5, training: bool = False, inplace: bool = False) -> Tensor:
    """``torch.feature_alpha_dropout`` (or its in-place twin) after the ValueError check of ``p``."""
    _check_dropout_p(p)
    return (functions.feature_alpha_dropout_(input, p, training) if inplace
            else functions.feature_alpha_dropout(input, p, training))


def _is_integer(x: Any) -> bool:
    """torch's ``_is_integer``: an int, or an integral tensor."""
    return isinstance(x, int) or (isinstance(x, Tensor) and not x.is_floating_point())


_UPSAMPLE = {("nearest", 3): "upsample_nearest1d", ("nearest", 4): "upsample_nearest2d",
             ("nearest", 5): "upsample_nearest3d", ("linear", 3): "upsample_linear1d",
             ("bilinear", 4): "upsample_bilinear2d", ("trilinear", 5): "upsample_trilinear3d",
             ("nearest-exact", 3): "_upsample_nearest_exact1d", ("nearest-exact", 4): "_upsample_nearest_exact2d",
             ("nearest-exact", 5): "_upsample_nearest_exact3d"}


def interpolate(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Tensor:
    """torch/nn/functional.py's ``interpolate``, its checks and errors in torch's order: exactly one of
    ``size`` / ``scale_factor`` (scalars expanded to every spatial dim), ``recompute_scale_factor`` turning
    the factors into an output size ``int(in * factor)``, then ``upsample_nearest{1,2,3}d``,
    ``_upsample_nearest_exact{1,2,3}d``, ``upsample_linear1d`` / ``bilinear2d`` / ``trilinear3d``
    (``align_corners`` False by default) or, for ``area``, adaptive average pooling (1-D, 2-D). ``bicubic``,
    ``lanczos``, 3-D ``area`` and antialiasing are not built in reftorch (a NotImplementedError saying so)."""
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the "
                             "interpolating modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    dim = input.dim() - 2
    output_size: Any
    scale_factors: Any
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    elif size is not None:
        scale_factors = None
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError(
                    "Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and output size of {size}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                    "output size in (o1, o2, ...,oK) format.")
            if not all(_is_integer(x) for x in size):
                raise TypeError("expected size to be one of int or Tuple[int] or Tuple[int, int] or "
                                f"Tuple[int, int, int], but got size with types {[type(x) for x in size]}")
            output_size = size
        else:
            output_size = [size for _ in range(dim)]
    elif scale_factor is not None:
        output_size = None
        if isinstance(scale_factor, (list, tuple)):
            if len(scale_factor) != dim:
                raise ValueError(
                    "Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {list(input.shape[2:])} and "
                    f"scale_factor of shape {scale_factor}. "
                    "Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                    "scale_factor in (s1, s2, ...,sK) format.")
            scale_factors = scale_factor
        else:
            scale_factors = [scale_factor for _ in range(dim)]
    else:
        raise ValueError("either size or scale_factor should be defined")
    if recompute_scale_factor is not None and recompute_scale_factor and size is not None:
        raise ValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if mode == "area" and output_size is None:
        recompute_scale_factor = True
    if recompute_scale_factor is not None and recompute_scale_factor:
        output_size = [int(input.size(i + 2) * scale_factors[i]) for i in range(dim)]
        scale_factors = None
    if antialias and not (mode in ("bilinear", "bicubic", "lanczos") and input.ndim == 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires "
                         "a 4-D tensor as input")
    op = _UPSAMPLE.get((mode, input.dim()))
    if op is not None and not antialias:
        binding = getattr(vf, op)
        if mode in ("nearest", "nearest-exact"):
            return binding(input, output_size, scale_factors)
        return binding(input, output_size, align_corners, scale_factors)
    if mode == "area" and input.dim() in (3, 4):
        return (adaptive_avg_pool1d if input.dim() == 3 else adaptive_avg_pool2d)(input, output_size)
    if mode in ("bicubic", "lanczos", "area") or antialias:
        raise NotImplementedError(f"interpolate: mode={mode!r} (antialias={antialias}) for a {input.dim()}-D input "
                                  "is not built in reftorch")
    for d, m, need in ((3, "bilinear", "4D"), (3, "trilinear", "5D"), (4, "linear", "3D"), (4, "trilinear", "5D"),
                       (5, "linear", "3D"), (5, "bilinear", "4D")):
        if input.dim() == d and mode == m:
            raise NotImplementedError(f"Got {d}D input, but {m} mode needs {need} input")
    raise NotImplementedError(
        "Input Error: Only 3D, 4D and 5D input Tensors supported"
        f" (got {input.dim()}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | "
        f"nearest-exact (got {mode})")


def upsample(input: Tensor, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
             align_corners: bool | None = None) -> Tensor:
    """Deprecated ``F.upsample``: :func:`interpolate` (torch warns through its deprecation decorator)."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.",
                  FutureWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)
