"""The activation modules of ``torch.nn``, mirroring torch/nn/modules/activation.py: constructor
arguments stored as attributes, ``forward`` calling the functional form, and torch's ``extra_repr``."""

from __future__ import annotations

import warnings
from typing import Any

from ... import _dtype as D
from ..._tensor import Tensor
from ...ops.registry import functions
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


def _inplace_only(module: Any) -> str:
    return "inplace=True" if module.inplace else ""


class _InplaceActivation(Module):
    """An activation whose only argument is ``inplace`` (torch writes each class out; they differ only in
    the function they call and whether ``extra_repr`` shows ``inplace=True``)."""

    __constants__ = ["inplace"]
    _function: str
    _shows_inplace = True

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._function)(input, inplace=self.inplace)

    def extra_repr(self) -> str:
        return _inplace_only(self) if self._shows_inplace else ""


class ReLU(_InplaceActivation):
    """``max(x, 0)`` elementwise; ``inplace=True`` overwrites the input (shown as ``ReLU(inplace=True)``)."""

    _function = "relu"


class Hardtanh(Module):
    """``clamp(x, min_val, max_val)``; torch's AssertionError unless ``max_val > min_val`` (the deprecated
    ``min_value``/``max_value`` keywords still accepted with a FutureWarning)."""

    __constants__ = ["min_val", "max_val", "inplace"]

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False,
                 min_value: float | None = None, max_value: float | None = None) -> None:
        super().__init__()
        if min_value is not None:
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`", FutureWarning,
                          stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`", FutureWarning,
                          stacklevel=2)
            max_val = max_value
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace
        if self.max_val <= self.min_val:
            raise AssertionError(f"max_val ({self.max_val}) must be greater than min_val ({self.min_val})")

    def forward(self, input: Tensor) -> Tensor:
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"min_val={self.min_val}, max_val={self.max_val}{inplace_str}"


class ReLU6(Hardtanh):
    """``Hardtanh(0.0, 6.0)``."""

    def __init__(self, inplace: bool = False) -> None:
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self) -> str:
        return _inplace_only(self)


class Sigmoid(Module):
    """``torch.sigmoid(x)``."""

    def forward(self, input: Tensor) -> Tensor:
        return functions.sigmoid(input)


class Tanh(Module):
    """``torch.tanh(x)``."""

    def forward(self, input: Tensor) -> Tensor:
        return functions.tanh(input)


class Hardsigmoid(_InplaceActivation):
    """``relu6(x + 3) / 6`` (no extra_repr in torch, even in place)."""

    _function = "hardsigmoid"
    _shows_inplace = False


class Hardswish(_InplaceActivation):
    """``x * relu6(x + 3) / 6`` (no extra_repr in torch)."""

    _function = "hardswish"
    _shows_inplace = False


class SiLU(_InplaceActivation):
    """``x * sigmoid(x)``."""

    _function = "silu"


class Mish(_InplaceActivation):
    """``x * tanh(softplus(x))``."""

    _function = "mish"


class _AlphaActivation(Module):
    """ELU and CELU: an ``alpha`` and ``inplace``, repr ``alpha=1.0`` (``, inplace=True`` when set)."""

    __constants__ = ["alpha", "inplace"]
    _function: str

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return getattr(F, self._function)(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"alpha={self.alpha}{inplace_str}"


class ELU(_AlphaActivation):
    """``x`` where positive, else ``alpha * (exp(x) - 1)``."""

    _function = "elu"


class CELU(_AlphaActivation):
    """``max(0, x) + min(0, alpha * (exp(x / alpha) - 1))``."""

    _function = "celu"


class SELU(_InplaceActivation):
    """``scale * elu(x, alpha)`` with torch's constants."""

    _function = "selu"


class GELU(Module):
    """``x * Phi(x)`` (``approximate='none'``) or its tanh approximation; shown as
    ``GELU(approximate='none')``."""

    __constants__ = ["approximate"]

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class LeakyReLU(Module):
    """``x`` where positive, else ``negative_slope * x``."""

    __constants__ = ["inplace", "negative_slope"]

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input: Tensor) -> Tensor:
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        inplace_str = ", inplace=True" if self.inplace else ""
        return f"negative_slope={self.negative_slope}{inplace_str}"


class Softplus(Module):
    """``log(1 + exp(beta * x)) / beta``, linear above ``threshold``."""

    __constants__ = ["beta", "threshold"]

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class PReLU(Module):
    """``x`` where positive, else ``weight * x`` with a learnable ``weight`` of ``num_parameters``
    elements (one, or one per channel), initialised to ``init`` (0.25)."""

    __constants__ = ["num_parameters"]
    num_parameters: int

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None,
                 dtype: D.dtype | None = None) -> None:
        self.num_parameters = num_parameters
        super().__init__()
        self.init = init
        self.weight = Parameter(functions.empty(num_parameters, device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Fill ``weight`` with ``init``."""
        init.constant_(self.weight, self.init)

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


# ---- softmax family
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
from .attention import MultiheadAttention  # noqa: E402,F401 - torch defines it in this module
