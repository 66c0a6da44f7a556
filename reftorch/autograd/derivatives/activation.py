"""Derivatives of the activation functions (torch's derivatives.yaml entries and the CPU backward
kernels of aten/src/ATen/native/cpu/Activation.cpp, written with reftorch ops so that a create_graph
gradient is differentiable again).

The in-place forms torch differentiates through the result (``elu_``, ``celu_``, ``leaky_relu_``:
the ``*Backward1`` nodes) read ``result``, and refuse a negative slope as torch's backward does.
"""

from __future__ import annotations

import math
from typing import Any

from ..._tensor import Tensor
from ...ops.activation import GELU_BETA, GELU_KAPPA
from ...ops.registry import aten
from . import define


def gelu_backward(grad: Tensor, self: Tensor, approximate: str) -> Tensor:
    """``gelu_backward``: ``grad * (Phi(x) + x * phi(x))``, or the derivative of the tanh form."""
    if approximate == "tanh":
        x_sq = self * self
        inner = (self + x_sq * self * GELU_KAPPA) * GELU_BETA
        tanh_inner = inner.tanh()
        left_derivative = (tanh_inner + 1) * 0.5
        right_derivative = self * 0.5 * (1 - tanh_inner * tanh_inner) * GELU_BETA * (1 + x_sq * (3 * GELU_KAPPA))
        return grad * (left_derivative + right_derivative)
    cdf = ((self * math.sqrt(0.5)).erf() + 1) * 0.5
    pdf = (self * self * -0.5).exp() * (1 / math.sqrt(2 * math.pi))
    return grad * (cdf + self * pdf)


def silu_backward(grad: Tensor, self: Tensor) -> Tensor:
    """``infinitely_differentiable_silu_backward``: ``grad * s * (1 + x * (1 - s))``, s = sigmoid(x)."""
    sigmoid = self.sigmoid()
    return grad * sigmoid * ((1 - sigmoid) * self + 1)


def mish_backward(grad: Tensor, self: Tensor) -> Tensor:
    """``infinitely_differentiable_mish_backward``: ``grad * (t + x * sigmoid(x) * (1 - t^2))``,
    t = tanh(softplus(x))."""
    sigmoid = self.sigmoid()
    tanh_softplus = aten.softplus(self, 1, 20).tanh()
    return grad * (tanh_softplus + self * sigmoid * (1 - tanh_softplus * tanh_softplus))


def elu_backward(grad: Tensor, alpha: Any, scale: Any, input_scale: Any, is_result: bool,
                 self_or_result: Tensor) -> Tensor:
    """``elu_backward``: ``grad * scale`` where positive; below, ``grad * input_scale * alpha * scale
    * exp(x * input_scale)``, or from the result ``grad * input_scale * (result + alpha * scale)``."""
    negcoef = alpha * scale
    negative = self_or_result <= 0
    # torch's elu_double_backward differentiates the lower branch only where strictly negative: at 0 the
    # value read is the same constant, without a gradient path
    self_or_result = self_or_result.where(self_or_result < 0, 0)
    if is_result:
        if alpha < 0:
            raise RuntimeError(
                "In-place elu backward calculation is triggered with a negative slope which is not supported. "
                "This is caused by calling in-place forward function with a negative slope, please call "
                "out-of-place version instead.")
        below = grad * input_scale * (self_or_result + negcoef)
    else:
        below = grad * input_scale * negcoef * (self_or_result * input_scale).exp()
    return below.where(negative, grad * scale)


def leaky_relu_backward(grad: Tensor, self_or_result: Tensor, negative_slope: Any, is_result: bool) -> Tensor:
    """``leaky_relu_backward``: ``grad`` where the input (or result) is positive, else
    ``grad * negative_slope``."""
    if is_result and negative_slope < 0:
        raise RuntimeError(
            "In-place leakyReLu backward calculation is triggered with a negative slope which is not supported. "
            "This is caused by calling in-place forward function with a negative slope, please call out-of-place "
            "version instead. File an issue at https://github.com/pytorch/pytorch if you do require supporting "
            "in-place leakRelu backward calculation with negative slope")
    return grad.where(self_or_result > 0, grad * negative_slope)


def hardtanh_backward(grad: Tensor, self: Tensor, min_val: Any, max_val: Any) -> Tensor:
    """``hardtanh_backward``: zero where ``x <= min_val`` or ``x >= max_val``, ``grad`` elsewhere (NaN
    inputs included, as torch's kernel compares)."""
    return grad.masked_fill((self <= min_val) | (self >= max_val), 0)


def softplus_backward(grad: Tensor, self: Tensor, beta: Any, threshold: Any) -> Tensor:
    """``softplus_backward``: ``grad`` where ``x * beta > threshold``, else ``grad * z / (z + 1)``,
    z = exp(x * beta)."""
    scaled = self * beta
    z = scaled.exp()
    return grad.where(scaled > threshold, grad * z / (z + 1))


def hardswish_backward(grad: Tensor, self: Tensor) -> Tensor:
    """``hardswish_backward``: 0 up to -3, ``grad * (x / 3 + 1/2)`` strictly between -3 and 3, ``grad``
    elsewhere (from 3 on, and NaN)."""
    middle = grad * (self / 3 + 0.5)
    return middle.where(self < 3, grad).masked_fill(self <= -3, 0)


def hardsigmoid_backward(grad: Tensor, self: Tensor) -> Tensor:
    """``hardsigmoid_backward``: ``grad / 6`` strictly inside (-3, 3), zero elsewhere."""
    return (grad / 6).where((self > -3) & (self < 3), 0)


def prelu_kernel_backward(grad: Tensor, self: Tensor, weight: Tensor, needs: tuple) -> tuple:
    """``_prelu_kernel_backward``: the input's gradient ``grad`` where positive, else ``weight * grad``;
    the weight's ``x * grad`` where the input is not positive (summed to the weight's shape)."""
    positive = self > 0
    grad_self = grad.where(positive, weight * grad) if needs[0] else None
    grad_weight = (self * grad).where(positive.logical_not(), 0) if needs[1] else None
    return grad_self, grad_weight


define("GeluBackward0", {"self": lambda grad, self, approximate: gelu_backward(grad, self, approximate)})
define("SiluBackward0", {"self": silu_backward})
define("MishBackward0", {"self": mish_backward})
define("EluBackward0", {"self": lambda grad, self, alpha, scale, input_scale:
                        elu_backward(grad, alpha, scale, input_scale, False, self)})
define("EluBackward1", {"self": lambda grad, result, alpha, scale, input_scale:
                        elu_backward(grad, alpha, scale, input_scale, True, result)})
define("CeluBackward0", {"self": lambda grad, self, alpha: elu_backward(grad, alpha, 1, 1.0 / alpha, False, self)})
define("CeluBackward1", {"self": lambda grad, result, alpha:
                         elu_backward(grad, alpha, 1, 1.0 / alpha, True, result)})
define("LeakyReluBackward0", {"self": lambda grad, self, negative_slope:
                              leaky_relu_backward(grad, self, negative_slope, False)})
define("LeakyReluBackward1", {"self": lambda grad, result, negative_slope:
                              leaky_relu_backward(grad, result, negative_slope, True)})
define("HardtanhBackward0", {"self": hardtanh_backward})
define("SoftplusBackward0", {"self": softplus_backward})
define("HardswishBackward0", {"self": hardswish_backward})
define("HardsigmoidBackward0", {"self": hardsigmoid_backward})
define("PreluKernelBackward0", {("self", "weight"): prelu_kernel_backward})
