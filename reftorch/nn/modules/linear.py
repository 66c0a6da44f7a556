"""``torch.nn.Linear`` and ``torch.nn.Bilinear``, mirroring torch/nn/modules/linear.py."""

from __future__ import annotations

import math
from typing import Any

from ... import _dtype as D
from ..._tensor import Tensor
from ...ops.registry import functions
from .. import functional as F
from .. import init
from ..parameter import Parameter
from .module import Module


def reset_kaiming_uniform(weight: Tensor, bias: Tensor | None) -> None:
    """The default initialisation of torch's Linear and convolution layers, in torch's order:
    ``kaiming_uniform_(weight, a=sqrt(5))``, then the bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in))."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = init._calculate_fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        init.uniform_(bias, -bound, bound)


def add_weight_and_bias(module: Module, weight_shape: tuple[int, ...], out_features: int, bias: bool, device: Any,
                        dtype: D.dtype | None) -> None:
    """Uninitialised ``weight`` and (when ``bias``) ``bias`` parameters, else ``bias`` registered as None."""
    module.weight = Parameter(functions.empty(weight_shape, device=device, dtype=dtype))
    if bias:
        module.bias = Parameter(functions.empty(out_features, device=device, dtype=dtype))
    else:
        module.register_parameter("bias", None)


class Identity(Module):
    """Returns its input itself; accepts and ignores any constructor arguments (torch/nn/modules/linear.py)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Any) -> Any:
        return input


class Linear(Module):
    """``y = x A^T + b`` with ``weight`` (out_features, in_features) and ``bias`` (out_features).

    Initialised as torch does: ``kaiming_uniform_(weight, a=sqrt(5))``, then the bias from
    U(-1/sqrt(fan_in), 1/sqrt(fan_in)), both from the default generator.
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: D.dtype | None = None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        add_weight_and_bias(self, (out_features, in_features), out_features, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Redraw ``weight`` and ``bias`` with torch's default initialisation."""
        reset_kaiming_uniform(self.weight, self.bias)

    def forward(self, input: Tensor) -> Tensor:
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class NonDynamicallyQuantizableLinear(Linear):
    """torch's ``Linear`` subclass that ``MultiheadAttention.out_proj`` is (a marker for quantization)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device: Any = None,
                 dtype: D.dtype | None = None) -> None:
        super().__init__(in_features, out_features, bias=bias, device=device, dtype=dtype)


class Bilinear(Module):
    """``y = x1^T A x2 + b`` with ``weight`` (out_features, in1_features, in2_features) and ``bias``
    (out_features), both drawn from U(-1/sqrt(in1_features), 1/sqrt(in1_features)) as torch's
    ``reset_parameters`` does (weight first)."""

    def __init__(self, in1_features: int, in2_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: D.dtype | None = None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        add_weight_and_bias(self, (out_features, in1_features, in2_features), out_features, bias, device, dtype)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Redraw ``weight`` and ``bias`` from U(-1/sqrt(in1_features), 1/sqrt(in1_features))."""
        bound = 1 / math.sqrt(self.weight.size(1))
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1: Tensor, input2: Tensor) -> Tensor:
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")
