"""Derivative of ``_trilinear`` (torch's FunctionsManual.cpp ``_trilinear_backward``): each input's
gradient is ``_trilinear`` of the output gradient (expanded at ``sumdim``) and the two other inputs,
summed over that input's own ``expand`` dims, so it is differentiable again."""

from __future__ import annotations

from ...ops.registry import call
from . import define

define("TrilinearBackward0", {
    "i1": lambda grad, i2, i3, expand1, expand2, expand3, sumdim: call(
        "_trilinear", grad, i2, i3, sumdim, expand2, expand3, expand1, 1),
    "i2": lambda grad, i1, i3, expand1, expand2, expand3, sumdim: call(
        "_trilinear", i1, grad, i3, expand1, sumdim, expand3, expand2, 1),
    "i3": lambda grad, i1, i2, expand1, expand2, expand3, sumdim: call(
        "_trilinear", i1, i2, grad, expand1, expand2, sumdim, expand3, 1),
})
