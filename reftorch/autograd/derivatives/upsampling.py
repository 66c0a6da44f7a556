"""Derivatives of the upsampling ops (torch's derivatives.yaml): the gradient of ``upsample_*`` is its
``_backward`` op with the forward's sizes and scales, and the gradient of that backward op (its
``grad_output``) is the forward op again, so second derivatives work as in torch."""

from __future__ import annotations

from ...ops.registry import call
from . import define

define("UpsampleNearest1DBackward0", {"self": lambda grad, output_size, self_shape, scales: call(
    "upsample_nearest1d_backward", grad, output_size, list(self_shape), scales)})
define("UpsampleNearest2DBackward0", {"self": lambda grad, output_size, self_shape, scales_h, scales_w: call(
    "upsample_nearest2d_backward", grad, output_size, list(self_shape), scales_h, scales_w)})
define("UpsampleNearest3DBackward0", {"self": lambda grad, output_size, self_shape, scales_d, scales_h, scales_w: call(
    "upsample_nearest3d_backward", grad, output_size, list(self_shape), scales_d, scales_h, scales_w)})
define("UpsampleLinear1DBackward0", {"self": lambda grad, output_size, self_shape, align_corners, scales: call(
    "upsample_linear1d_backward", grad, output_size, list(self_shape), align_corners, scales)})
define("UpsampleBilinear2DBackward0", {
    "self": lambda grad, output_size, self_shape, align_corners, scales_h, scales_w: call(
        "upsample_bilinear2d_backward", grad, output_size, list(self_shape), align_corners, scales_h, scales_w)})
define("UpsampleTrilinear3DBackward0", {
    "self": lambda grad, output_size, self_shape, align_corners, scales_d, scales_h, scales_w: call(
        "upsample_trilinear3d_backward", grad, output_size, list(self_shape), align_corners, scales_d, scales_h,
        scales_w)})

define("UpsampleNearest1DBackwardBackward0", {"grad_output": lambda grad, output_size, scales: call(
    "upsample_nearest1d", grad, output_size, scales)})
define("UpsampleNearest2DBackwardBackward0", {"grad_output": lambda grad, output_size, scales_h, scales_w: call(
    "upsample_nearest2d", grad, output_size, scales_h, scales_w)})
define("UpsampleNearest3DBackwardBackward0", {"grad_output": lambda grad, output_size, scales_d, scales_h, scales_w:
                                              call("upsample_nearest3d", grad, output_size, scales_d, scales_h,
                                                   scales_w)})
define("UpsampleLinear1DBackwardBackward0", {"grad_output": lambda grad, output_size, align_corners, scales: call(
    "upsample_linear1d", grad, output_size, align_corners, scales)})
define("UpsampleBilinear2DBackwardBackward0", {
    "grad_output": lambda grad, output_size, align_corners, scales_h, scales_w: call(
        "upsample_bilinear2d", grad, output_size, align_corners, scales_h, scales_w)})
define("UpsampleTrilinear3DBackwardBackward0", {
    "grad_output": lambda grad, output_size, align_corners, scales_d, scales_h, scales_w: call(
        "upsample_trilinear3d", grad, output_size, align_corners, scales_d, scales_h, scales_w)})

define("UpsampleNearestExact1DBackward0", {"self": lambda grad, output_size, self_shape, scales: call(
    "_upsample_nearest_exact1d_backward", grad, output_size, list(self_shape), scales)})
define("UpsampleNearestExact2DBackward0", {"self": lambda grad, output_size, self_shape, scales_h, scales_w: call(
    "_upsample_nearest_exact2d_backward", grad, output_size, list(self_shape), scales_h, scales_w)})
define("UpsampleNearestExact3DBackward0", {
    "self": lambda grad, output_size, self_shape, scales_d, scales_h, scales_w: call(
        "_upsample_nearest_exact3d_backward", grad, output_size, list(self_shape), scales_d, scales_h, scales_w)})
define("UpsampleNearestExact1DBackwardBackward0", {"grad_output": lambda grad, output_size, scales: call(
    "_upsample_nearest_exact1d", grad, output_size, scales)})
define("UpsampleNearestExact2DBackwardBackward0", {"grad_output": lambda grad, output_size, scales_h, scales_w: call(
    "_upsample_nearest_exact2d", grad, output_size, scales_h, scales_w)})
define("UpsampleNearestExact3DBackwardBackward0", {
    "grad_output": lambda grad, output_size, scales_d, scales_h, scales_w: call(
        "_upsample_nearest_exact3d", grad, output_size, scales_d, scales_h, scales_w)})
