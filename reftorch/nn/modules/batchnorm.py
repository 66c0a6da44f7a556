"""``torch.nn.BatchNorm1d`` / ``BatchNorm2d`` and their bases ``_NormBase`` / ``_BatchNorm``, mirroring
torch/nn/modules/batchnorm.py.

``_NormBase`` holds ``weight`` and ``bias`` (ones and zeros; absent without ``affine``, ``bias`` also with
``bias=False``) and the buffers ``running_mean`` (zeros), ``running_var`` (ones) and the int64 scalar
``num_batches_tracked`` (registered as None without ``track_running_stats``). ``_BatchNorm.forward``:
in training with tracked statistics ``num_batches_tracked`` goes up by one and the exponential average
factor is ``momentum`` (``momentum=None``: ``1 / num_batches_tracked``, a cumulative average); the batch
statistics normalise in training and in evaluation when no running statistics exist, else the running
ones; the running statistics are passed (and so updated) only in evaluation or when tracked.
"""

from __future__ import annotations

from typing import Any

from ... import _dtype as D
from ..._tensor import Tensor
from ...ops.registry import functions
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


class _NormBase(Module):
    """Common base of the batch norm modules: parameters, running-statistics buffers, reset and repr."""

    _version = 2
    __constants__ = ["track_running_stats", "momentum", "eps", "num_features", "affine"]

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device: Any = None, dtype: D.dtype | None = None, *,
                 bias: bool = True) -> None:
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        if self.affine:
            self.weight = Parameter(functions.empty(num_features, device=device, dtype=dtype))
            if bias:
                self.bias = Parameter(functions.empty(num_features, device=device, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if self.track_running_stats:
            self.register_buffer("running_mean", functions.zeros(num_features, device=device, dtype=dtype))
            self.register_buffer("running_var", functions.ones(num_features, device=device, dtype=dtype))
            self.register_buffer("num_batches_tracked", functions.tensor(0, dtype=D.int64, device=device))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)
        self.reset_parameters()

    def reset_running_stats(self) -> None:
        """Running mean to zeros, running variance to ones, the batch count to zero (in place)."""
        if self.track_running_stats:
            self.running_mean.zero_()
            self.running_var.fill_(1)
            self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Reset the running statistics, then ``weight`` to ones and ``bias`` to zeros."""
        self.reset_running_stats()
        if self.affine:
            init.ones_(self.weight)
            if self.bias is not None:
                init.zeros_(self.bias)

    def _check_input_dim(self, input: Tensor) -> None:
        raise NotImplementedError

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class _BatchNorm(_NormBase):
    """Batch normalisation over dim 1 (the channels) of a batch."""

    def forward(self, input: Tensor) -> Tensor:
        self._check_input_dim(input)
        exponential_average_factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats and self.num_batches_tracked is not None:
            self.num_batches_tracked.add_(1)
            if self.momentum is None:  # cumulative moving average
                exponential_average_factor = 1.0 / float(self.num_batches_tracked)
            else:
                exponential_average_factor = self.momentum
        bn_training = True if self.training else (self.running_mean is None and self.running_var is None)
        passed = not self.training or self.track_running_stats
        return F.batch_norm(input, self.running_mean if passed else None, self.running_var if passed else None,
                            self.weight, self.bias, bn_training, exponential_average_factor, self.eps)


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of a 2-D ``(N, C)`` or 3-D ``(N, C, L)`` input."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 2 and input.dim() != 3:
            raise ValueError(f"expected 2D or 3D input (got {input.dim()}D input)")


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of a 4-D ``(N, C, H, W)`` input."""

    def _check_input_dim(self, input: Tensor) -> None:
        if input.dim() != 4:
            raise ValueError(f"expected 4D input (got {input.dim()}D input)")


__all__ = ["BatchNorm1d", "BatchNorm2d"]
