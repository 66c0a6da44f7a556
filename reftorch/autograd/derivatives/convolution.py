"""Derivatives of the convolutions and sliding-block ops (torch's derivatives.yaml):

- ``ConvolutionBackward0``: the three gradients together from ``convolution_backward`` (torch's
  ``convolution_backward_symint(grad, input, weight, bias_sym_sizes_opt, ..., grad_input_mask)``);
- ``Im2ColBackward0`` / ``Col2ImBackward0``: each op's gradient is the other op (so they are
  differentiable again).
"""

from __future__ import annotations

from typing import Any

from ...ops.registry import call
from . import define, not_implemented


def _convolution(grad: Any, self: Any, weight: Any, bias: Any, stride: Any, padding: Any, dilation: Any,
                 transposed: bool, output_padding: Any, groups: int, needs: tuple) -> tuple:
    bias_sizes = None if bias is None else tuple(bias.shape)
    return call("convolution_backward", grad, self, weight, bias_sizes, stride, padding, dilation, transposed,
                output_padding, groups, tuple(needs))


define("ConvolutionBackward0", {("self", "weight", "bias"): _convolution})
not_implemented("convolution_backward", ("grad_output", "self", "weight"))

define("Im2ColBackward0", {"self": lambda grad, self_shape, kernel_size, dilation, padding, stride: call(
    "col2im", grad, tuple(self_shape[-2:]), kernel_size, dilation, padding, stride)})
define("Col2ImBackward0", {"self": lambda grad, kernel_size, dilation, padding, stride: call(
    "im2col", grad, kernel_size, dilation, padding, stride)})
