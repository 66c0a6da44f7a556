"""``torch.nn.ReLU``, mirroring torch/nn/modules/activation.py."""

from __future__ import annotations

from ..._tensor import Tensor
from .. import functional as F
from .module import Module


class ReLU(Module):
    """``max(x, 0)`` elementwise; ``inplace=True`` overwrites the input (shown as ``ReLU(inplace=True)``)."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.relu(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class _SoftmaxBase(Module):
    """torch's Softmax/LogSoftmax/Softmin: ``dim`` (None: the deprecated implicit choice), repr ``dim=...``."""

    _function: str = "softmax"

    def __init__(self, dim: int | None = None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._function)(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class Softmax(_SoftmaxBase):
    """``torch.nn.Softmax(dim=None)``: ``F.softmax(input, self.dim)``."""

    _function = "softmax"


class LogSoftmax(_SoftmaxBase):
    """``torch.nn.LogSoftmax(dim=None)``: ``F.log_softmax(input, self.dim)``."""

    _function = "log_softmax"


class Softmin(_SoftmaxBase):
    """``torch.nn.Softmin(dim=None)``: ``F.softmin(input, self.dim)``."""

    _function = "softmin"
