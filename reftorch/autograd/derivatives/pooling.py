"""Derivatives of the pooling ops (torch's derivatives.yaml): the max pools scatter the gradient to
their indices (``max_pool2d_with_indices_backward``, ``adaptive_max_pool2d_backward``), the average
pools spread it over their windows (``avg_pool2d_backward``, ``_adaptive_avg_pool2d_backward``).
The indices outputs never get history."""

from __future__ import annotations

from ...ops.registry import call
from . import define, not_implemented

define("MaxPool2DWithIndicesBackward0", {
    "self": lambda grad, self, kernel_size, stride, padding, dilation, ceil_mode, result1: call(
        "max_pool2d_with_indices_backward", grad, self, kernel_size, stride, padding, dilation, ceil_mode, result1),
}, output_differentiability=(True, False))
define("AdaptiveMaxPool2DBackward0", {
    "self": lambda grad, self, result1: call("adaptive_max_pool2d_backward", grad, self, result1),
}, output_differentiability=(True, False))
define("AvgPool2DBackward0", {
    "self": lambda grad, self, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override: call(
        "avg_pool2d_backward", grad, self, kernel_size, stride, padding, ceil_mode, count_include_pad,
        divisor_override),
})
define("AdaptiveAvgPool2DBackward0", {"self": lambda grad, self: call("_adaptive_avg_pool2d_backward", grad, self)})

not_implemented("max_pool2d_with_indices_backward", ("grad_output", "self"))
not_implemented("adaptive_max_pool2d_backward", ("grad_output", "self"))
not_implemented("avg_pool2d_backward", ("grad_output", "self"))
not_implemented("_adaptive_avg_pool2d_backward", ("grad_output", "self"))
